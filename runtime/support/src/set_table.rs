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
#[derive(Clone, Debug)]
pub struct SetTable<K> {
    slots: Vec<Slot<K>>,
    fill: usize,
    used: usize,
    finger: usize,
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
            slots: Self::empty_slots(SET_MINSIZE),
            fill: 0,
            used: 0,
            finger: 0,
        }
    }

    fn empty_slots(n: usize) -> Vec<Slot<K>> {
        let mut v = Vec::with_capacity(n);
        v.resize_with(n, || Slot::Empty);
        v
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
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
        self.slots.len()
    }

    /// Finds the slot holding a key equal to `key` (probing like `set_lookkey`).
    pub fn find<Q: ?Sized, E>(
        &self,
        key: &Q,
        hash: i64,
        mut eq: impl FnMut(&K, &Q) -> Result<bool, E>,
    ) -> Result<Option<usize>, E> {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                match &self.slots[j] {
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
    pub fn insert<E>(
        &mut self,
        key: K,
        hash: i64,
        mut eq: impl FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        // The usual case first: the home slot is empty (nothing before it on the probe path,
        // so no dummy to prefer). Through the loop below this paid the run-length set-up
        // and the inclusive range's bookkeeping.
        if matches!(self.slots[i], Slot::Empty) {
            self.slots[i] = Slot::Active(hash, key);
            self.fill += 1;
            self.used += 1;
            if self.fill * 5 >= mask * 3 {
                self.grow();
            }
            return Ok(true);
        }
        let mut freeslot: Option<usize> = None;
        let target = 'probe: loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                match &self.slots[j] {
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
            self.slots[f] = Slot::Active(hash, key);
            self.used += 1;
            return Ok(true);
        }
        self.slots[target] = Slot::Active(hash, key);
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

    fn insert_clean(slots: &mut [Slot<K>], hash: i64, key: K) {
        let mask = slots.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
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

    /// `set_table_resize`: rebuild at the smallest power of two above `minused`.
    fn resize(&mut self, minused: usize) {
        let mut newsize = SET_MINSIZE;
        while newsize <= minused {
            newsize <<= 1;
        }
        if newsize == SET_MINSIZE && self.slots.len() == SET_MINSIZE && self.fill == self.used {
            return;
        }
        let old = std::mem::replace(&mut self.slots, Self::empty_slots(newsize));
        self.fill = self.used;
        for s in old {
            if let Slot::Active(h, k) = s {
                Self::insert_clean(&mut self.slots, h, k);
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
        let old = std::mem::replace(&mut self.slots[j], Slot::Dummy);
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
        let mask = self.mask();
        let mut j = self.finger & mask;
        while !matches!(self.slots[j], Slot::Active(..)) {
            j += 1;
            if j > mask {
                j = 0;
            }
        }
        let old = std::mem::replace(&mut self.slots[j], Slot::Dummy);
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
        self.slots.iter().filter_map(|s| match s {
            Slot::Active(h, k) => Some((k, *h)),
            _ => None,
        })
    }

    /// The member at slot `pos` or later, for index-based iterators that must survive the VM
    /// re-borrowing the set: returns `(next_pos, key, hash)`.
    #[must_use]
    pub fn next_from(&self, pos: usize) -> Option<(usize, &K, i64)> {
        (pos..self.slots.len()).find_map(|j| match &self.slots[j] {
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
            for (dst, src) in self.slots.iter_mut().zip(&other.slots) {
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
            for s in &other.slots {
                if let Slot::Active(h, k) = s {
                    Self::insert_clean(&mut self.slots, *h, k.clone());
                }
            }
            return Ok(());
        }
        for s in &other.slots {
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
