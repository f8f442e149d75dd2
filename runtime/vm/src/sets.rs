//! `set` and `frozenset` storage: support's `SetTable`, which keeps members in exactly the
//! slots CPython 3.13 uses, so iteration and printing order match CPython. This file adapts
//! it to VM values (hashing, `__eq__` that may run guest code) and implements building,
//! updating and the set algebra for any operand kinds.

use crate::value::Value;
use crate::vm::{PyResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

pub type SetT = vigil_support::SetTable<Value>;

impl Vm {
    pub fn set_insert(&mut self, t: &RefCell<SetT>, k: Value) -> PyResult<()> {
        let h = self.hash(&k)?;
        let mut tb = t.borrow_mut();
        tb.insert(k, h, |a, b| self.eq_identity_first(a, b))?;
        Ok(())
    }

    pub fn set_has(&mut self, t: &SetT, k: &Value) -> PyResult<bool> {
        let h = self.hash(k)?;
        t.contains(k, h, |a, b| self.eq_identity_first(a, b))
    }

    pub fn set_discard(&mut self, t: &RefCell<SetT>, k: &Value) -> PyResult<Option<Value>> {
        let h = self.hash(k)?;
        let mut tb = t.borrow_mut();
        tb.remove(k, h, |a, b| self.eq_identity_first(a, b))
    }

    /// `s |= src` / `s.update(src)` for any iterable, with CPython's fast paths for sets
    /// and dicts (which decide the table layout).
    pub fn set_update(&mut self, t: &RefCell<SetT>, src: &Value) -> PyResult<()> {
        match src {
            Value::Set(o) => {
                if Rc::as_ptr(o) as *const u8 == t as *const RefCell<SetT> as *const u8 {
                    return Ok(());
                }
                let other = o.borrow().clone();
                let mut tb = t.borrow_mut();
                tb.merge(&other, |a, b| self.eq_identity_first(a, b))
            }
            Value::FrozenSet(o) => {
                let mut tb = t.borrow_mut();
                tb.merge(o, |a, b| self.eq_identity_first(a, b))
            }
            Value::Dict(d) => {
                let keys: Vec<Value> = d.borrow().iter().map(|e| e.key.clone()).collect();
                t.borrow_mut().reserve_for_update(keys.len());
                for k in keys {
                    self.set_insert(t, k)?;
                }
                Ok(())
            }
            _ => {
                let it = self.get_iter(src)?;
                while let Some(k) = self.next_owned(&it)? {
                    self.set_insert(t, k)?;
                }
                Ok(())
            }
        }
    }

    pub fn build_set(&mut self, items: Vec<Value>) -> PyResult<SetT> {
        let t = RefCell::new(SetT::new());
        for k in items {
            self.set_insert(&t, k)?;
        }
        Ok(t.into_inner())
    }

    /// BUILD_SET: the set is filled where it lives. A `SetT` carries its first table inline
    /// (about 250 bytes), so building it on the stack and moving it into its `Rc` cost
    /// several `memcpy` calls per set. The members come straight off the value stack.
    pub fn build_set_value(&mut self, items: impl Iterator<Item = Value>) -> PyResult<Value> {
        let t = new_set_rc();
        for k in items {
            self.set_insert(&t, k)?;
        }
        Ok(Value::Set(t))
    }

    pub fn set_from(&mut self, src: &Value) -> PyResult<SetT> {
        let t = RefCell::new(SetT::new());
        self.set_fill(&t, src)?;
        Ok(t.into_inner())
    }

    /// `set(src)`, filled in place (see `build_set_value`).
    pub fn set_value_from(&mut self, src: &Value) -> PyResult<Value> {
        let t = new_set_rc();
        self.set_fill(&t, src)?;
        Ok(Value::Set(t))
    }

    /// Adds the members of `src` to the empty set `t`.
    fn set_fill(&mut self, t: &RefCell<SetT>, src: &Value) -> PyResult<()> {
        if let Value::Gen(g) = src
            && Vm::sinkable(g)
        {
            self.set_fill_sunk(t, g, src)
        } else {
            self.set_update(t, src)
        }
    }

    /// `set(gen)`: the generator is drained with `Vm::sink_step` while it yields values
    /// that hash natively (ints, strings, ...), which are added after it yielded them rather
    /// than between yields: that cannot be seen, since their hashing and comparisons with the
    /// members so far (all native too) run no Python code and cannot fail. The first other
    /// value is added as it comes (after those before it), and the rest of the generator runs
    /// the ordinary way, where a member with a Python `__eq__` is compared at each yield.
    fn set_fill_sunk(
        &mut self,
        t: &RefCell<SetT>,
        g: &Rc<crate::value::Generator>,
        src: &Value,
    ) -> PyResult<()> {
        let mut buf = std::mem::take(&mut self.collect_scratch);
        buf.reserve(crate::iter::SINK_ROOM);
        loop {
            let step = self.sink_step(g, true, &mut buf);
            // Native hashes and comparisons: no error and no Python code, so the table stays
            // borrowed for the whole batch (one borrow and no `set_insert` call per value).
            let mut tb = t.borrow_mut();
            for k in buf.drain(..) {
                let h = self.hash(&k)?;
                tb.insert(k, h, |a, b| self.eq_identity_first(a, b))?;
            }
            drop(tb);
            match step? {
                None => break,
                Some(v) => {
                    // Refused for want of room (then sink mode goes on), or not native.
                    let native = crate::generator::hashes_natively(&v);
                    self.set_insert(t, v)?;
                    if !native {
                        while let Some(k) = self.next_owned(src)? {
                            self.set_insert(t, k)?;
                        }
                        break;
                    }
                }
            }
        }
        self.put_scratch(buf);
        Ok(())
    }

    /// A borrowed-or-built table for a set operand (sets are used as they are).
    pub fn as_set_table(&mut self, v: &Value) -> PyResult<SetT> {
        match v {
            Value::Set(s) => Ok(s.borrow().clone()),
            Value::FrozenSet(s) => Ok((**s).clone()),
            _ => self.set_from(v),
        }
    }

    /// The set algebra `a op b` for two set tables: op is one of `| & - ^`.
    pub fn set_algebra(&mut self, a: &SetT, b: &SetT, op: char) -> PyResult<SetT> {
        let mut eq = |x: &Value, y: &Value| self.eq_identity_first(x, y);
        match op {
            '|' => a.union(b, &mut eq),
            '&' => a.intersection(b, &mut eq),
            '-' => a.difference(b, &mut eq),
            _ => a.symmetric_difference(b, &mut eq),
        }
    }

    pub fn set_is_subset(&mut self, a: &SetT, b: &SetT) -> PyResult<bool> {
        a.is_subset(b, |x, y| self.eq_identity_first(x, y))
    }
}

/// An empty set's `Rc`, written in its allocation: `Rc::new(RefCell::new(SetT::new()))`
/// built the ~250-byte table on the stack and copied it twice (two `memcpy` calls per set).
pub(crate) fn new_set_rc() -> Rc<RefCell<SetT>> {
    let mut rc = Rc::<RefCell<SetT>>::new_uninit();
    Rc::get_mut(&mut rc)
        .expect("a new Rc is unique")
        .write(RefCell::new(SetT::new()));
    // SAFETY: the value was written just above.
    unsafe { rc.assume_init() }
}

pub fn new_set(t: SetT) -> Value {
    Value::Set(Rc::new(RefCell::new(t)))
}

pub fn new_frozenset(t: SetT) -> Value {
    Value::FrozenSet(Rc::new(t))
}
