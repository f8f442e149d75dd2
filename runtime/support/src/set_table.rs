//! An open-addressing hash table that stores `(hash, key)` pairs in exactly the slots CPython
//! 3.13's `Objects/setobject.c` would use, so iterating it (and so printing a set) gives
//! CPython's order: table sizes (8, then powers of two), runs of 9 linear probes followed by
//! perturbed probing, the last-seen dummy reused on insert, growth when `fill*5 >= mask*3`,
//! `set.update` / `set(other_set)` merging and the `pop` finger. Key equality is a caller
//! closure that may fail (Python `__eq__` can raise). The set-with-set algebra (`|`, `&`, `-`,
//! `^`, their in-place forms and `<=`) follows CPython's loops so results come out in the
//! same order. It does not compute hashes (see `hash`), handle non-set operands (the VM feeds
//! iterables through `insert`/`remove`, then calls [`SetTable::shrink_after_discards`]), or
//! detect `a op a` (the caller checks identity first, as CPython does).

use std::mem::ManuallyDrop;

/// The smallest table CPython allocates (`PySet_MINSIZE`).
pub const SET_MINSIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// KeyError text of `set().pop()`.
pub const POP_EMPTY_MSG: &str = "pop from an empty set";

#[derive(Clone, Debug)]
enum Slot<K> {
    Empty,
    Dummy,
    Active(i64, K),
}

/// A set's slot table, generic over the VM's key type.
///
/// The first table lives inline, as CPython's `smalltable` does: a set that stays at 8 slots
/// (up to 4 members) never allocates one, and one that grows (a set of 5 or more) allocates
/// only the bigger table, where a heap-allocated first table cost a malloc/free pair more per
/// set and a free at the first growth. While `big` is in use `small` is all `Empty`.
#[derive(Clone, Debug)]
pub struct SetTable<K> {
    /// Dropped by hand (see `Drop`).
    small: ManuallyDrop<[Slot<K>; SET_MINSIZE]>,
    /// The table once it outgrew `small` (a power of two above 8); empty while `small` is used.
    big: Vec<Slot<K>>,
    fill: usize,
    used: usize,
    finger: usize,
}

impl<K> Drop for SetTable<K> {
    /// Only active slots own a key: this visits slots until the `used` active ones were let
    /// go. The derived glue looked at every slot (the 8 inline ones and all of `big`, about
    /// 6 instructions each), most of them empty, for every set dropped.
    fn drop(&mut self) {
        if std::mem::needs_drop::<K>() {
            let mut left = self.used;
            for s in self.slots_mut() {
                if left == 0 {
                    break;
                }
                if matches!(s, Slot::Active(..)) {
                    drop(std::mem::replace(s, Slot::Empty));
                    left -= 1;
                }
            }
        }
        // SAFETY: shortening a vector exposes nothing uninitialised; the slots it forgets
        // own nothing (each active one was emptied above, or keys need no drop).
        unsafe { self.big.set_len(0) };
    }
}

impl<K> Default for SetTable<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> SetTable<K> {
    /// An empty table of CPython's minimum size.
    #[must_use]
    pub fn new() -> Self {
        Self {
            small: ManuallyDrop::new(Self::empty_small()),
            big: Vec::new(),
            fill: 0,
            used: 0,
            finger: 0,
        }
    }

    fn empty_small() -> [Slot<K>; SET_MINSIZE] {
        [const { Slot::Empty }; SET_MINSIZE]
    }

    fn empty_slots(n: usize) -> Vec<Slot<K>> {
        let mut v = Vec::with_capacity(n);
        v.resize_with(n, || Slot::Empty);
        v
    }

    /// The table in use.
    #[inline]
    fn slots(&self) -> &[Slot<K>] {
        if self.big.is_empty() {
            &self.small[..]
        } else {
            &self.big
        }
    }

    #[inline]
    fn slots_mut(&mut self) -> &mut [Slot<K>] {
        if self.big.is_empty() {
            &mut self.small[..]
        } else {
            &mut self.big
        }
    }

    fn mask(&self) -> usize {
        self.slots().len() - 1
    }

    /// Number of members.
    #[must_use]
    pub fn len(&self) -> usize {
        self.used
    }

    /// True when there are no members.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Current table size (a power of two, at least 8).
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.slots().len()
    }

    /// Finds the slot holding a key equal to `key` (probing like `set_lookkey`).
    // The probe's slot numbers are the result (and `insert_probe` remembers a dummy's), so
    // the loops run over indices.
    #[allow(clippy::needless_range_loop)]
    pub fn find<Q: ?Sized, E>(
        &self,
        key: &Q,
        hash: i64,
        mut eq: impl FnMut(&K, &Q) -> Result<bool, E>,
    ) -> Result<Option<usize>, E> {
        let slots = self.slots();
        let mask = slots.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                match &slots[j] {
                    Slot::Empty => return Ok(None),
                    Slot::Active(h, k) if *h == hash && eq(k, key)? => return Ok(Some(j)),
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    /// Membership test.
    pub fn contains<Q: ?Sized, E>(
        &self,
        key: &Q,
        hash: i64,
        eq: impl FnMut(&K, &Q) -> Result<bool, E>,
    ) -> Result<bool, E> {
        Ok(self.find(key, hash, eq)?.is_some())
    }

    /// `set.add`: inserts `key` unless an equal key is present. Returns whether it was added.
    ///
    /// The usual case is written into the caller: the home slot is empty (nothing before it
    /// on the probe path, so no dummy to prefer). As a call of its own, its prologue and
    /// epilogue were about 20 of the 50 instructions such an insert took (callgrind).
    #[inline]
    pub fn insert<E>(
        &mut self,
        key: K,
        hash: i64,
        eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let slots = self.slots_mut();
        let mask = slots.len() - 1;
        let i = (hash as u64 as usize) & mask;
        if matches!(slots[i], Slot::Empty) {
            slots[i] = Slot::Active(hash, key);
            self.fill += 1;
            self.used += 1;
            if self.fill * 5 >= mask * 3 {
                self.grow();
            }
            return Ok(true);
        }
        self.insert_probe(key, hash, eq)
    }

    /// `insert` past an occupied home slot: the probe loop of `set_add_entry`.
    #[inline(never)]
    #[allow(clippy::needless_range_loop)] // as in `find`
    fn insert_probe<E>(
        &mut self,
        key: K,
        hash: i64,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let slots = self.slots_mut();
        let mask = slots.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        let mut freeslot: Option<usize> = None;
        let target = 'probe: loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                match &slots[j] {
                    Slot::Empty => break 'probe j,
                    Slot::Active(h, k) if *h == hash => {
                        if eq(k, &key)? {
                            return Ok(false);
                        }
                    }
                    // CPython remembers the *last* dummy on the probe path.
                    Slot::Dummy => freeslot = Some(j),
                    Slot::Active(..) => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        };
        if let Some(f) = freeslot {
            slots[f] = Slot::Active(hash, key);
            self.used += 1;
            return Ok(true);
        }
        slots[target] = Slot::Active(hash, key);
        self.fill += 1;
        self.used += 1;
        if self.fill * 5 >= mask * 3 {
            self.grow();
        }
        Ok(true)
    }

    /// `insert`'s growth once the table is 3/5 full, as `set_add_entry` does it.
    #[inline(never)]
    fn grow(&mut self) {
        let minused = if self.used > 50_000 {
            self.used * 2
        } else {
            self.used * 4
        };
        self.resize(minused);
    }

    #[inline]
    fn insert_clean(slots: &mut [Slot<K>], hash: i64, key: K) {
        let mask = slots.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        // A rebuilt table is sparse: the home slot is usually free.
        if matches!(slots[i], Slot::Empty) {
            slots[i] = Slot::Active(hash, key);
            return;
        }
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            if let Some(slot) = slots[i..=i + probes]
                .iter_mut()
                .find(|s| matches!(s, Slot::Empty))
            {
                *slot = Slot::Active(hash, key);
                return;
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    /// `set_table_resize`: rebuild at the smallest power of two above `minused` (in `small`
    /// when that is 8, as CPython goes back to its `smalltable`).
    fn resize(&mut self, minused: usize) {
        let mut newsize = SET_MINSIZE;
        while newsize <= minused {
            newsize <<= 1;
        }
        let in_small = self.big.is_empty();
        if newsize == SET_MINSIZE && in_small && self.fill == self.used {
            return;
        }
        self.fill = self.used;
        if newsize == SET_MINSIZE {
            // `small` is all `Empty` while `big` is in use, so only a small-to-small rebuild
            // (dummies to clear) needs the old inline table moved out first.
            if in_small {
                let old = std::mem::replace(&mut *self.small, Self::empty_small());
                Self::reinsert(&mut self.small[..], old);
            } else {
                Self::reinsert(&mut self.small[..], std::mem::take(&mut self.big));
            }
            return;
        }
        let mut new = Self::empty_slots(newsize);
        if in_small {
            for s in self.small.iter_mut() {
                if let Slot::Active(h, k) = std::mem::replace(s, Slot::Empty) {
                    Self::insert_clean(&mut new, h, k);
                }
            }
            // Every slot of `small` was replaced by `Empty` above (dummies too), as it must
            // be while `big` is in use. `big` is the empty vector: nothing to drop.
            std::mem::forget(std::mem::replace(&mut self.big, new));
        } else {
            let old = std::mem::replace(&mut self.big, new);
            Self::reinsert(&mut self.big, old);
        }
    }

    /// Puts the active members of `old` into the clean table `dst` (dummies are dropped).
    fn reinsert(dst: &mut [Slot<K>], old: impl IntoIterator<Item = Slot<K>>) {
        for s in old {
            if let Slot::Active(h, k) = s {
                Self::insert_clean(dst, h, k);
            }
        }
    }

    /// `set.discard`/`set.remove`: removes and returns the member equal to `key`.
    pub fn remove<Q: ?Sized, E>(
        &mut self,
        key: &Q,
        hash: i64,
        eq: impl FnMut(&K, &Q) -> Result<bool, E>,
    ) -> Result<Option<K>, E> {
        let Some(j) = self.find(key, hash, eq)? else {
            return Ok(None);
        };
        let old = std::mem::replace(&mut self.slots_mut()[j], Slot::Dummy);
        self.used -= 1;
        Ok(match old {
            Slot::Active(_, k) => Some(k),
            _ => None,
        })
    }

    /// `set.pop()`: removes the member CPython would return (`None` when empty; raise
    /// `KeyError(POP_EMPTY_MSG)`).
    pub fn pop(&mut self) -> Option<K> {
        if self.used == 0 {
            return None;
        }
        let finger = self.finger;
        let slots = self.slots_mut();
        let mask = slots.len() - 1;
        let mut j = finger & mask;
        while !matches!(slots[j], Slot::Active(..)) {
            j += 1;
            if j > mask {
                j = 0;
            }
        }
        let old = std::mem::replace(&mut slots[j], Slot::Dummy);
        self.used -= 1;
        self.finger = j + 1;
        match old {
            Slot::Active(_, k) => Some(k),
            _ => None,
        }
    }

    /// `set.clear()`. CPython keeps the `pop` finger across a clear, so we do too.
    pub fn clear(&mut self) {
        let finger = self.finger;
        *self = Self::new();
        self.finger = finger;
    }

    /// Members with their hashes, in CPython's iteration order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, i64)> + '_ {
        self.slots().iter().filter_map(|s| match s {
            Slot::Active(h, k) => Some((k, *h)),
            _ => None,
        })
    }

    /// The member at slot `pos` or later, for index-based iterators that must survive the VM
    /// re-borrowing the set: returns `(next_pos, key, hash)`.
    #[must_use]
    pub fn next_from(&self, pos: usize) -> Option<(usize, &K, i64)> {
        let slots = self.slots();
        (pos..slots.len()).find_map(|j| match &slots[j] {
            Slot::Active(h, k) => Some((j + 1, k, *h)),
            _ => None,
        })
    }

    /// The up-front growth `set.update(d)` does for a dict of `n` keys before adding them
    /// one by one (also right for any source whose size is known in CPython's fast paths).
    pub fn reserve_for_update(&mut self, n: usize) {
        if (self.fill + n) * 5 >= self.mask() * 3 {
            self.resize((self.used + n) * 2);
        }
    }

    /// `set_merge`: `self |= other` for another set table, including CPython's copying fast
    /// paths (so `set(s)` and `s.copy()` reproduce `s`'s layout).
    pub fn merge<E>(
        &mut self,
        other: &SetTable<K>,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E>
    where
        K: Clone,
    {
        if other.used == 0 {
            return Ok(());
        }
        if (self.fill + other.used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other.used) * 2);
        }
        if self.fill == 0 && self.mask() == other.mask() && other.fill == other.used {
            for (dst, src) in self.slots_mut().iter_mut().zip(other.slots()) {
                if let Slot::Active(h, k) = src {
                    *dst = Slot::Active(*h, k.clone());
                }
            }
            self.fill = other.fill;
            self.used = other.used;
            return Ok(());
        }
        if self.fill == 0 {
            self.fill = other.used;
            self.used = other.used;
            let slots = self.slots_mut();
            for s in other.slots() {
                if let Slot::Active(h, k) = s {
                    Self::insert_clean(slots, *h, k.clone());
                }
            }
            return Ok(());
        }
        for s in other.slots() {
            if let Slot::Active(h, k) = s {
                self.insert(k.clone(), *h, &mut eq)?;
            }
        }
        Ok(())
    }

    /// CPython's clean-up after `difference_update`: rebuild when more than a quarter of the
    /// slots are dummies.
    pub fn shrink_after_discards(&mut self) {
        if self.fill - self.used > self.mask() / 4 {
            let minused = if self.used > 50_000 {
                self.used * 2
            } else {
                self.used * 4
            };
            self.resize(minused);
        }
    }

    /// A copy laid out as `set.copy()` / `set(s)` would lay it out (fresh `pop` finger).
    #[must_use]
    pub fn copy(&self) -> Self
    where
        K: Clone,
    {
        let mut t = Self::new();
        // Merging into an empty table never compares keys.
        let _ = t.merge(self, |_, _| Ok::<bool, std::convert::Infallible>(false));
        t
    }

    /// `a | b` for two distinct sets.
    pub fn union<E>(
        &self,
        other: &Self,
        eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<Self, E>
    where
        K: Clone,
    {
        let mut r = self.copy();
        r.merge(other, eq)?;
        Ok(r)
    }

    /// `a & b` for two distinct sets: iterates the smaller one, probing the larger.
    pub fn intersection<E>(
        &self,
        other: &Self,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<Self, E>
    where
        K: Clone,
    {
        let (big, small) = if other.len() > self.len() {
            (other, self)
        } else {
            (self, other)
        };
        let mut r = Self::new();
        for (k, h) in small.iter() {
            if big.contains(k, h, &mut eq)? {
                r.insert(k.clone(), h, &mut eq)?;
            }
        }
        Ok(r)
    }

    /// `a &= b`: the intersection replaces the table (the `pop` finger stays, as in CPython).
    pub fn intersection_update<E>(
        &mut self,
        other: &Self,
        eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E>
    where
        K: Clone,
    {
        let finger = self.finger;
        *self = self.intersection(other, eq)?;
        self.finger = finger;
        Ok(())
    }

    /// `a -= b` for two distinct sets.
    pub fn difference_update<E>(
        &mut self,
        other: &Self,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E>
    where
        K: Clone,
    {
        // CPython narrows a much larger `other` to the intersection first, which changes
        // the order keys are discarded in (and so which dummies later inserts reuse).
        let narrowed;
        let src = if (other.len() >> 3) > self.len() {
            narrowed = self.intersection(other, &mut eq)?;
            &narrowed
        } else {
            other
        };
        for (k, h) in src.iter() {
            self.remove(k, h, &mut eq)?;
        }
        self.shrink_after_discards();
        Ok(())
    }

    /// `a - b` for two distinct sets.
    pub fn difference<E>(
        &self,
        other: &Self,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<Self, E>
    where
        K: Clone,
    {
        if (self.len() >> 2) > other.len() {
            let mut r = self.copy();
            r.difference_update(other, eq)?;
            return Ok(r);
        }
        let mut r = Self::new();
        for (k, h) in self.iter() {
            if !other.contains(k, h, &mut eq)? {
                r.insert(k.clone(), h, &mut eq)?;
            }
        }
        Ok(r)
    }

    /// `a ^= b` for two distinct sets.
    pub fn symmetric_difference_update<E>(
        &mut self,
        other: &Self,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E>
    where
        K: Clone,
    {
        for (k, h) in other.iter() {
            if self.remove(k, h, &mut eq)?.is_none() {
                self.insert(k.clone(), h, &mut eq)?;
            }
        }
        Ok(())
    }

    /// `a ^ b` for two distinct sets: starts from a copy of `b`, then toggles `a`'s keys.
    pub fn symmetric_difference<E>(
        &self,
        other: &Self,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<Self, E>
    where
        K: Clone,
    {
        let mut r = Self::new();
        r.merge(other, &mut eq)?;
        r.symmetric_difference_update(self, eq)?;
        Ok(r)
    }

    /// `a <= b` (`issubset`) for two sets.
    pub fn is_subset<E>(
        &self,
        other: &Self,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        if self.len() > other.len() {
            return Ok(false);
        }
        for (k, h) in self.iter() {
            if !other.contains(k, h, &mut eq)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
