//! The insertion-ordered hash table behind `dict`, `set`, `frozenset`, class namespaces and
//! module globals. It owns storage, probing and order; it does not know how to hash or compare
//! Python values (the caller passes a precomputed hash and an equality closure, because Python
//! `__eq__` may run guest code and fail). Deleted entries leave tombstones so iteration order
//! stays insertion order, as CPython's dict does; the table compacts when tombstones pile up.

use crate::value::Value;
use hashbrown::HashTable;

/// One live or deleted slot of the entry array.
#[derive(Clone)]
pub struct Entry {
    pub hash: i64,
    pub key: Value,
    pub value: Value,
}

/// An insertion-ordered table of `(hash, key, value)`.
#[derive(Clone, Default)]
pub struct Table {
    entries: Vec<Option<Entry>>,
    index: HashTable<usize>,
    live: usize,
    /// Changes on every mutation to a value never used before by any table (0 = never
    /// mutated), so `(table, version)` pairs can validate lookup caches (LOAD_GLOBAL).
    version: u64,
}

thread_local! {
    static NEXT_VERSION: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

fn next_version() -> u64 {
    NEXT_VERSION.with(|c| {
        let v = c.get();
        c.set(v + 1);
        v
    })
}

impl Table {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Finds the entry position of `key`, using `eq` on candidates with the same hash.
    pub fn find<E>(
        &self,
        hash: i64,
        mut eq: impl FnMut(&Value) -> Result<bool, E>,
    ) -> Result<Option<usize>, E> {
        let mut err = None;
        let entries = &self.entries;
        let found = self.index.find(hash as u64, |&i| {
            if err.is_some() {
                return false;
            }
            match &entries[i] {
                Some(e) if e.hash == hash => match eq(&e.key) {
                    Ok(b) => b,
                    Err(x) => {
                        err = Some(x);
                        false
                    }
                },
                _ => false,
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
        Ok(found.copied())
    }

    pub fn entry_at(&self, pos: usize) -> Option<&Entry> {
        self.entries.get(pos).and_then(|e| e.as_ref())
    }

    pub fn value_at_mut(&mut self, pos: usize) -> &mut Value {
        self.version = next_version();
        &mut self.entries[pos].as_mut().expect("live entry").value
    }

    /// Appends a new key known to be absent.
    pub fn push_new(&mut self, hash: i64, key: Value, value: Value) {
        self.version = next_version();
        let pos = self.entries.len();
        self.entries.push(Some(Entry { hash, key, value }));
        let entries = &self.entries;
        self.index.insert_unique(hash as u64, pos, |&i| {
            entries[i].as_ref().map_or(0, |e| e.hash as u64)
        });
        self.live += 1;
    }

    /// Removes the entry at `pos`, returning it.
    pub fn remove_at(&mut self, pos: usize) -> Entry {
        self.version = next_version();
        let hash = self.entries[pos].as_ref().expect("live entry").hash;
        if let Ok(slot) = self.index.find_entry(hash as u64, |&i| i == pos) {
            slot.remove();
        }
        let e = self.entries[pos].take().expect("live entry");
        self.live -= 1;
        if self.entries.len() > 16 && self.live * 2 < self.entries.len() {
            self.compact();
        }
        e
    }

    fn compact(&mut self) {
        let old = std::mem::take(&mut self.entries);
        self.index.clear();
        self.live = 0;
        for e in old.into_iter().flatten() {
            self.push_new(e.hash, e.key, e.value);
        }
    }

    pub fn clear(&mut self) {
        self.version = next_version();
        self.entries.clear();
        self.index.clear();
        self.live = 0;
    }

    /// Live entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }

    /// The raw slot count, for iterators that walk positions and must notice mutation.
    pub fn slots(&self) -> usize {
        self.entries.len()
    }

    pub fn pop_last(&mut self) -> Option<Entry> {
        while let Some(last) = self.entries.last() {
            if last.is_none() {
                self.entries.pop();
            } else {
                let pos = self.entries.len() - 1;
                let e = self.remove_at(pos);
                return Some(e);
            }
        }
        None
    }

    pub fn first_pos(&self) -> Option<usize> {
        self.entries.iter().position(|e| e.is_some())
    }
}
