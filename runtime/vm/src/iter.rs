//! Iteration and subscripting: `iter()`/`next()` over native iterator states, generators and
//! user `__iter__`/`__next__`; `collect` and sequence unpacking; `obj[key]` get/set/delete
//! including slices and slice assignment.

use crate::dict::Table;
use crate::frame::GenStep;
use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

/// The room `drain_to_scratch` and `set(gen)` give their buffer before draining a generator
/// with `Vm::sink_step`, which never grows it (a value finding it full comes back the
/// ordinary way and the consumer pushes it).
pub(crate) const SINK_ROOM: usize = 32;

impl Vm {
    pub fn new_iter(st: IterState) -> Value {
        Value::Iter(Rc::new(RefCell::new(st)))
    }

    pub fn get_iter(&mut self, v: &Value) -> PyResult<Value> {
        Ok(match v {
            Value::List(_)
            | Value::Tuple(_)
            | Value::Bytes(_)
            | Value::ByteArray(_)
            | Value::Array(_) => Self::new_iter(IterState::Seq {
                seq: v.clone(),
                idx: 0,
            }),
            Value::Range(r) => Self::new_iter(IterState::Range {
                cur: r.0,
                stop: r.1,
                step: r.2,
            }),
            Value::Str(s) => Self::new_iter(IterState::Str {
                s: s.clone(),
                byte: 0,
            }),
            Value::Dict(d) => {
                let len = d.borrow().len();
                Self::new_iter(IterState::DictKeys {
                    d: d.clone(),
                    pos: 0,
                    len,
                    what: 0,
                })
            }
            Value::DictView(v) => {
                let len = v.0.borrow().len();
                Self::new_iter(IterState::DictKeys {
                    d: v.0.clone(),
                    pos: 0,
                    len,
                    what: v.1,
                })
            }
            Value::Set(_) | Value::FrozenSet(_) => {
                // Iterates a snapshot of the members in CPython's slot order.
                let items = crate::ops::set_items(v).unwrap_or_default();
                Self::new_iter(IterState::SetIter { items, idx: 0 })
            }
            Value::Iter(_) | Value::Gen(_) => {
                if let Value::Gen(g) = v
                    && g.is_coroutine
                {
                    return Err(self.type_error("'coroutine' object is not iterable"));
                }
                v.clone()
            }
            Value::StringIO(_) => {
                // Reads a line at a time from the live position (`readline` until ''), so a
                // loop body that seeks, writes or reads sees CPython's state.
                let n = self.intern("readline");
                let readline = self.get_attr(v, &n)?;
                Self::new_iter(IterState::CallIter {
                    f: readline,
                    sentinel: Value::str(""),
                })
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(f) = self.class_lookup(&cls, "__iter__") {
                    // Through `call1`'s pooled vector (generators: one `__iter__` generator
                    // per tree node).
                    let it = self.call1(&f, v.clone())?;
                    let ok = match &it {
                        Value::Iter(_) | Value::Gen(_) => true,
                        Value::Instance(i2) => {
                            let c2 = i2.class.clone();
                            self.class_lookup(&c2, "__next__").is_some()
                        }
                        _ => false,
                    };
                    if !ok {
                        let tn = self.type_name(&it);
                        return Err(
                            self.type_error(format!("iter() returned non-iterator of type '{tn}'"))
                        );
                    }
                    it
                } else if self.class_lookup(&cls, "__getitem__").is_some() {
                    // The old sequence protocol: index from 0 until IndexError.
                    Self::new_iter(IterState::Seq {
                        seq: v.clone(),
                        idx: 0,
                    })
                } else {
                    return Err(self.type_error(format!("'{}' object is not iterable", cls.name)));
                }
            }
            Value::Class(c) if c.meta.is_some() => {
                if let Some(it) = self.meta_call(v, "__iter__", &[])? {
                    return Ok(it);
                }
                if self.meta_dunder(&c.clone(), "__getitem__").is_some() {
                    return Ok(Self::new_iter(IterState::Seq {
                        seq: v.clone(),
                        idx: 0,
                    }));
                }
                let tn = self.type_name(v);
                return Err(self.type_error(format!("'{tn}' object is not iterable")));
            }
            _ => {
                let tn = self.type_name(v);
                return Err(self.type_error(format!("'{tn}' object is not iterable")));
            }
        })
    }

    /// One step of iteration; `None` when exhausted.
    pub fn next(&mut self, it: &Value) -> PyResult<Option<Value>> {
        match it {
            Value::Iter(st) => self.next_native(st),
            Value::Gen(g) => {
                let g = g.clone();
                match self.gen_resume(&g, Value::None, None)? {
                    GenStep::Yield(v) => Ok(Some(v)),
                    GenStep::Return(v) => {
                        self.last_stop_value = Some(v);
                        Ok(None)
                    }
                }
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.class_lookup(&cls, "__next__") {
                    Some(f) => match self.call1(&f, it.clone()) {
                        Ok(v) => Ok(Some(v)),
                        Err(e) => {
                            if self.exc_matches(&e.0, "StopIteration") {
                                let n = self.intern("value");
                                let v = self.get_attr(&e.0, &n).unwrap_or(Value::None);
                                self.last_stop_value = Some(v);
                                Ok(None)
                            } else {
                                Err(e)
                            }
                        }
                    },
                    None => {
                        Err(self.type_error(format!("'{}' object is not an iterator", cls.name)))
                    }
                }
            }
            _ => {
                let tn = self.type_name(it);
                Err(self.type_error(format!("'{tn}' object is not an iterator")))
            }
        }
    }

    fn next_native(&mut self, st: &Rc<RefCell<IterState>>) -> PyResult<Option<Value>> {
        let mut s = st.borrow_mut();
        let out = match &mut *s {
            IterState::Seq { seq, idx } => {
                let i = *idx;
                let r = match seq {
                    Value::List(l) => l.borrow().get(i).cloned(),
                    Value::Tuple(t) => t.get(i).cloned(),
                    Value::Bytes(b) => b.get(i).map(|x| Value::Int(*x as i64)),
                    Value::ByteArray(b) => b.borrow().get(i).map(|x| Value::Int(*x as i64)),
                    Value::Array(a) => a.borrow().items.get(i).cloned(),
                    Value::Instance(_) => {
                        let seq = seq.clone();
                        drop(s);
                        let r = self.getitem(&seq, &Value::Int(i as i64));
                        let mut s = st.borrow_mut();
                        return match r {
                            Ok(v) => {
                                if let IterState::Seq { idx, .. } = &mut *s {
                                    *idx += 1;
                                }
                                Ok(Some(v))
                            }
                            Err(e) => {
                                if self.exc_matches(&e.0, "IndexError")
                                    || self.exc_matches(&e.0, "StopIteration")
                                {
                                    *s = IterState::Exhausted;
                                    Ok(None)
                                } else {
                                    Err(e)
                                }
                            }
                        };
                    }
                    _ => None,
                };
                if r.is_some() {
                    *idx += 1;
                }
                r
            }
            IterState::Range { cur, stop, step } => range_step(cur, *stop, *step).map(Value::Int),
            IterState::Str { s: ps, byte } => match ps.s[*byte..].chars().next() {
                Some(c) => {
                    *byte += c.len_utf8();
                    let mut b = [0u8; 4];
                    let cs: &str = c.encode_utf8(&mut b);
                    Some(Value::Str(self.intern_char(cs)))
                }
                None => None,
            },
            IterState::DictKeys { d, pos, len, what } => {
                let what = *what;
                match dict_step(d, pos, *len, |e| match what {
                    0 => e.key.clone(),
                    1 => e.value.clone(),
                    _ => Value::tuple(vec![e.key.clone(), e.value.clone()]),
                }) {
                    Ok(r) => r,
                    Err(DictChanged) => {
                        *s = IterState::Exhausted;
                        drop(s);
                        return Err(self.dict_changed());
                    }
                }
            }
            IterState::SetIter { items, idx } => {
                let r = items.get(*idx).cloned();
                *idx += 1;
                r
            }
            IterState::Reversed { seq, idx } => {
                if *idx == 0 {
                    None
                } else {
                    *idx -= 1;
                    match seq {
                        Value::List(l) => l.borrow().get(*idx).cloned(),
                        Value::Tuple(t) => t.get(*idx).cloned(),
                        _ => {
                            let seq = seq.clone();
                            let i = *idx;
                            drop(s);
                            return self.getitem(&seq, &Value::Int(i as i64)).map(Some);
                        }
                    }
                }
            }
            // Out of line: rarer than list and range steps, and an earlier trial with these
            // bodies inline moved unrelated programs by +3-5% (code layout of the loop).
            IterState::Enumerate { .. } => {
                drop(s);
                return self.next_enumerate(st);
            }
            IterState::Zip { .. } => {
                drop(s);
                return self.next_zip(st);
            }
            IterState::Map { f, iters } => {
                let f = f.clone();
                let iters = iters.clone();
                drop(s);
                let mut args = Vec::with_capacity(iters.len());
                for it in &iters {
                    match self.next(it)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                return self.call(&f, args, vec![]).map(Some);
            }
            IterState::Filter { f, inner } => {
                let f = f.clone();
                let inner = inner.clone();
                drop(s);
                loop {
                    let Some(v) = self.next(&inner)? else {
                        return Ok(None);
                    };
                    let keep = if f.is_none() {
                        self.truthy(&v)?
                    } else {
                        let r = self.call1(&f, v.clone())?;
                        self.truthy(&r)?
                    };
                    if keep {
                        return Ok(Some(v));
                    }
                }
            }
            IterState::CallIter { f, sentinel } => {
                let f = f.clone();
                let sentinel = sentinel.clone();
                drop(s);
                let v = self.call(&f, vec![], vec![])?;
                if self.eq(&v, &sentinel)? {
                    *st.borrow_mut() = IterState::Exhausted;
                    return Ok(None);
                }
                return Ok(Some(v));
            }
            IterState::Exhausted => None,
        };
        if out.is_none() {
            *s = IterState::Exhausted;
        }
        Ok(out)
    }

    fn intern_char(&mut self, c: &str) -> Rc<PyStr> {
        if c.len() == 1 {
            return self.intern(c);
        }
        Rc::new(PyStr::new(c))
    }

    /// One `enumerate` step (see `take_unique` for the result tuple).
    #[inline(never)]
    fn next_enumerate(&mut self, st: &Rc<RefCell<IterState>>) -> PyResult<Option<Value>> {
        let mut s = st.borrow_mut();
        let IterState::Enumerate { inner, n, last } = &mut *s else {
            return Ok(None);
        };
        let inner = inner.clone();
        let i = *n;
        let recycled = take_unique(last);
        drop(s);
        let Some(v) = self.next(&inner)? else {
            return Ok(None);
        };
        let out = fill_tuple(recycled, [Value::Int(i), v]);
        if let IterState::Enumerate { n, last, .. } = &mut *st.borrow_mut() {
            *n += 1;
            *last = Some(out.clone());
        }
        Ok(Some(Value::Tuple(out)))
    }

    fn dict_changed(&mut self) -> PyErr {
        self.err("RuntimeError", "dictionary changed size during iteration")
    }

    /// FOR_ITER's step when UNPACK_SEQUENCE 2 follows it, for the iterators whose items are
    /// pairs made for the purpose: `enumerate`, a two-way `zip` and a dict's items. The parts
    /// come back as they are, with no result tuple filled only to be unpacked. Any other
    /// iterator (a `zip(strict=True)` too, whose checks live in `next_zip`) is `Other`, and
    /// takes the usual step. The state changes exactly as `next` would change it.
    pub(crate) fn next_pair(&mut self, st: &Rc<RefCell<IterState>>) -> PyResult<Pair> {
        let mut s = st.borrow_mut();
        match &mut *s {
            IterState::Enumerate { inner, n, .. } => {
                let inner = inner.clone();
                let i = *n;
                drop(s);
                let Some(v) = self.next(&inner)? else {
                    return Ok(Pair::Done);
                };
                if let IterState::Enumerate { n, .. } = &mut *st.borrow_mut() {
                    *n += 1;
                }
                Ok(Pair::Item(Value::Int(i), v))
            }
            IterState::Zip {
                iters,
                strict: false,
                ..
            } if iters.len() == 2 => {
                let (x, y) = (iters[0].clone(), iters[1].clone());
                drop(s);
                // As in `next_zip`, running out leaves the state as it is.
                let Some(a) = self.next(&x)? else {
                    return Ok(Pair::Done);
                };
                let Some(b) = self.next(&y)? else {
                    return Ok(Pair::Done);
                };
                Ok(Pair::Item(a, b))
            }
            IterState::DictKeys {
                d,
                pos,
                len,
                what: 2,
            } => match dict_step(d, pos, *len, |e| (e.key.clone(), e.value.clone())) {
                Ok(Some((k, v))) => Ok(Pair::Item(k, v)),
                Ok(None) => Ok(Pair::Done),
                Err(DictChanged) => {
                    *s = IterState::Exhausted;
                    drop(s);
                    Err(self.dict_changed())
                }
            },
            _ => Ok(Pair::Other),
        }
    }

    /// One `zip` step (see `take_unique` for the result tuple).
    #[inline(never)]
    fn next_zip(&mut self, st: &Rc<RefCell<IterState>>) -> PyResult<Option<Value>> {
        let mut s = st.borrow_mut();
        let IterState::Zip {
            iters,
            strict,
            last,
        } = &mut *s
        else {
            return Ok(None);
        };
        let n = iters.len();
        let strict = *strict;
        let recycled = take_unique(last);
        drop(s);
        let mut out = fill_tuple(recycled, std::iter::empty());
        let mut spare = Vec::new();
        let out_items = Rc::get_mut(&mut out).unwrap_or(&mut spare);
        // One iterator at a time, cloned out of the state (a refcount each): cloning the
        // whole vector per step was an allocation per result.
        for k in 0..n {
            let it = match &*st.borrow() {
                IterState::Zip { iters, .. } if k < iters.len() => iters[k].clone(),
                _ => return Ok(None),
            };
            match self.next(&it)? {
                Some(v) => out_items.push(v),
                None => {
                    if strict && k > 0 {
                        return Err(self.value_error(zip_strict_mismatch(k, "shorter")));
                    }
                    if strict && k == 0 {
                        let iters = match &*st.borrow() {
                            IterState::Zip { iters, .. } => iters.clone(),
                            _ => Vec::new(),
                        };
                        for (j, other) in iters.iter().enumerate().skip(1) {
                            if self.next(other)?.is_some() {
                                return Err(self.value_error(zip_strict_mismatch(j, "longer")));
                            }
                        }
                    }
                    // No exhausted state: like CPython's zip, the next call asks the
                    // iterators again (an iterator with side effects can tell).
                    return Ok(None);
                }
            }
        }
        if n == 0 {
            return Ok(None);
        }
        if !spare.is_empty() {
            out = Rc::new(spare);
        }
        if let IterState::Zip { last, .. } = &mut *st.borrow_mut() {
            *last = Some(out.clone());
        }
        Ok(Some(Value::Tuple(out)))
    }

    /// Materialises any iterable.
    pub fn collect(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        match v {
            Value::List(l) => return Ok(l.borrow().clone()),
            Value::Tuple(t) => return Ok((**t).clone()),
            Value::Range(r) if crate::ops::range_len(r.0, r.1, r.2) > (1 << 28) => {
                // More than 4 GiB of values: fail as CPython would, before allocating.
                return Err(crate::vm::PyErr(
                    self.make_exc(&self.exc_class("MemoryError"), vec![]),
                ));
            }
            _ => {}
        }
        let it = self.get_iter(v)?;
        // Gathered in a reused buffer and then moved into a vector of exactly the right
        // size: growing a fresh vector cost a malloc and a realloc or two for the short
        // results of `tuple(genexpr)` and the like, this one malloc (and no spare capacity).
        let mut scratch = self.drain_to_scratch(&it)?;
        if scratch.capacity() > 256 {
            // Too big to keep: hand it over rather than copy it.
            return Ok(scratch);
        }
        let mut out = Vec::with_capacity(scratch.len());
        out.append(&mut scratch);
        self.put_scratch(scratch);
        Ok(out)
    }

    /// Runs the iterator `it` to its end into the reused scratch buffer (`collect_scratch`),
    /// which the caller gives back with `put_scratch` once it has taken the values out. On an
    /// error the buffer is given back here.
    fn drain_to_scratch(&mut self, it: &Value) -> PyResult<Vec<Value>> {
        let mut scratch = std::mem::take(&mut self.collect_scratch);
        // A generator's values land in `scratch` without a resume each (`Vm::sink_step`).
        if let Value::Gen(g) = it
            && Vm::sinkable(g)
        {
            // Room for the usual short runs, so that few values come back for a push.
            scratch.reserve(SINK_ROOM);
            loop {
                match self.sink_step(g, false, &mut scratch) {
                    Ok(None) => return Ok(scratch),
                    Ok(Some(x)) => {
                        scratch.push(x);
                        if scratch.len() > (1 << 28) {
                            return Err(crate::vm::PyErr(
                                self.make_exc(&self.exc_class("MemoryError"), vec![]),
                            ));
                        }
                    }
                    Err(e) => {
                        self.put_scratch(scratch);
                        return Err(e);
                    }
                }
            }
        }
        loop {
            let x = match self.next_owned(it) {
                Ok(Some(x)) => x,
                Ok(None) => return Ok(scratch),
                Err(e) => {
                    self.put_scratch(scratch);
                    return Err(e);
                }
            };
            scratch.push(x);
            if scratch.len() > (1 << 28) {
                return Err(crate::vm::PyErr(
                    self.make_exc(&self.exc_class("MemoryError"), vec![]),
                ));
            }
        }
    }

    /// `tuple(it)` for an iterable that is not a tuple: `collect`, except that a generator's
    /// values (`tuple(genexpr)`) go into a tuple object from `tuple_pool` whose buffer fits
    /// them, when there is one (no allocation; see `recycle_tuple`).
    pub(crate) fn collect_tuple(&mut self, v: &Value) -> PyResult<Value> {
        let Value::Gen(g) = v else {
            return Ok(Value::tuple(self.collect(v)?));
        };
        if g.is_coroutine || self.tuple_pool.is_empty() {
            return Ok(Value::tuple(self.collect(v)?));
        }
        let mut scratch = self.drain_to_scratch(v)?;
        let n = scratch.len();
        if let Some(at) = self.tuple_pool.iter().rposition(|t| t.capacity() >= n) {
            let mut t = self.tuple_pool.swap_remove(at);
            if let Some(items) = Rc::get_mut(&mut t) {
                items.append(&mut scratch);
                self.put_scratch(scratch);
                return Ok(Value::Tuple(t));
            }
        }
        if scratch.capacity() > 256 {
            return Ok(Value::tuple(scratch));
        }
        let mut out = Vec::with_capacity(n);
        out.append(&mut scratch);
        self.put_scratch(scratch);
        Ok(Value::tuple(out))
    }

    /// `collect` for a value the caller owns: a tuple nothing else refers to (the ones
    /// BUILD_TUPLE makes for MAKE_FUNCTION's closure cells and defaults) gives up its vector
    /// instead of being copied.
    pub fn into_vec(&mut self, v: Value) -> PyResult<Vec<Value>> {
        match v {
            Value::Tuple(t) => match Rc::try_unwrap(t) {
                Ok(items) => Ok(items),
                Err(t) => Ok((*t).clone()),
            },
            v => self.collect(&v),
        }
    }

    /// Gives `collect`'s buffer back emptied, unless it grew too big to keep around.
    pub(crate) fn put_scratch(&mut self, mut scratch: Vec<Value>) {
        if scratch.capacity() <= 256 {
            scratch.clear();
            self.collect_scratch = scratch;
        }
    }

    pub fn unpack(&mut self, v: &Value, n: usize) -> PyResult<Vec<Value>> {
        let known_len = match v {
            Value::List(l) => Some(l.borrow().len()),
            Value::Tuple(t) => Some(t.len()),
            Value::Str(s) => Some(s.nchars),
            Value::Dict(d) => Some(d.borrow().len()),
            Value::Set(d) => Some(d.borrow().len()),
            _ => None,
        };
        let it = match self.get_iter(v) {
            Ok(it) => it,
            Err(e) => {
                if self.exc_matches(&e.0, "TypeError") {
                    let tn = self.type_name(v);
                    return Err(self.type_error(format!("cannot unpack non-iterable {tn} object")));
                }
                return Err(e);
            }
        };
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self.next(&it)? {
                Some(x) => out.push(x),
                None => {
                    return Err(self.value_error(format!(
                        "not enough values to unpack (expected {n}, got {})",
                        out.len()
                    )));
                }
            }
        }
        if self.next(&it)?.is_some() {
            // CPython 3.13 does not report the actual length (3.14 does).
            let _ = known_len;
            return Err(self.value_error(format!("too many values to unpack (expected {n})")));
        }
        Ok(out)
    }

    // ---------- subscripts ----------

    /// Normalises a slice against a length: (start, stop, step, count).
    pub fn slice_indices(
        &mut self,
        s: &(Value, Value, Value),
        len: i64,
    ) -> PyResult<(i64, i64, i64, usize)> {
        // Ints and `None` (nearly every slice) need no conversions and cannot fail.
        if let Some((start, stop, step)) = int_slice(&s.0, &s.1, &s.2) {
            return Ok(norm_slice(start, stop, step, len));
        }
        let step = if s.2.is_none() {
            1
        } else {
            self.slice_int(&s.2)?
        };
        if step == 0 {
            return Err(self.value_error("slice step cannot be zero"));
        }
        let start = if s.0.is_none() {
            None
        } else {
            Some(self.slice_int(&s.0)?)
        };
        let stop = if s.1.is_none() {
            None
        } else {
            Some(self.slice_int(&s.1)?)
        };
        Ok(norm_slice(start, stop, step, len))
    }

    pub(crate) fn slice_int(&mut self, v: &Value) -> PyResult<i64> {
        match v {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(*b as i64),
            Value::Big(b) => Ok(if num_traits::Signed::is_negative(&**b) {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            }),
            Value::Instance(_) => self.index_value(v),
            _ => Err(self
                .type_error("slice indices must be integers or None or have an __index__ method")),
        }
    }

    fn seq_index(&mut self, k: &Value, len: usize, what: &str) -> PyResult<usize> {
        let i = match k {
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            Value::Big(_) => {
                return Err(
                    self.index_error("cannot fit 'int' into an index-sized integer".to_string())
                );
            }
            Value::Instance(_) => self.index_value(k)?,
            _ => {
                let tn = self.type_name(k);
                return Err(self.type_error(format!(
                    "{what} indices must be integers or slices, not {tn}"
                )));
            }
        };
        match index_in(i, len) {
            Some(j) => Ok(j),
            None => Err(self.index_error(format!("{what} index out of range"))),
        }
    }

    pub fn getitem(&mut self, c: &Value, k: &Value) -> PyResult<Value> {
        // `tuple[int]` in range first (BINARY_SUBSCR does `list[int]` itself): no call to
        // `seq_index`; anything else, errors included, takes the general path below.
        if let (Value::Tuple(t), Value::Int(i)) = (c, k)
            && let Some(j) = index_in(*i, t.len())
        {
            return Ok(t[j].clone());
        }
        if let Value::Slice(s) = k {
            return self.get_slice(c, s);
        }
        match c {
            Value::List(l) => {
                let n = l.borrow().len();
                let i = self.seq_index(k, n, "list")?;
                Ok(l.borrow()[i].clone())
            }
            Value::Tuple(t) => {
                let i = self.seq_index(k, t.len(), "tuple")?;
                Ok(t[i].clone())
            }
            Value::Str(s) => {
                let i = match self.seq_index(k, s.nchars, "string") {
                    Ok(i) => i,
                    Err(e) => {
                        if self.exc_matches(&e.0, "TypeError") {
                            let tn = self.type_name(k);
                            return Err(self.type_error(format!(
                                "string indices must be integers, not '{tn}'"
                            )));
                        }
                        return Err(e);
                    }
                };
                if s.is_ascii() {
                    Ok(Value::Str(self.intern(&s.s[i..i + 1])))
                } else {
                    let ch = s.s.chars().nth(i).unwrap_or(' ');
                    Ok(Value::string(ch.to_string()))
                }
            }
            Value::Bytes(b) => {
                let i = self.seq_index(k, b.len(), "index")?;
                Ok(Value::Int(b[i] as i64))
            }
            Value::ByteArray(b) => {
                let n = b.borrow().len();
                let i = self.seq_index(k, n, "bytearray")?;
                Ok(Value::Int(b.borrow()[i] as i64))
            }
            Value::Array(a) => {
                let n = a.borrow().items.len();
                let i = self.seq_index(k, n, "array")?;
                Ok(a.borrow().items[i].clone())
            }
            Value::Range(r) => {
                let i = match k {
                    Value::Int(i) => *i,
                    Value::Bool(b) => *b as i64,
                    Value::Instance(_) => self.index_value(k)?,
                    // Out of range for any range: its length is below 2**64.
                    Value::Big(_) => {
                        return Err(self.index_error("range object index out of range"));
                    }
                    _ => {
                        let tn = self.type_name(k);
                        return Err(self.type_error(format!(
                            "range indices must be integers or slices, not {tn}"
                        )));
                    }
                };
                match crate::ops::range_item(r, i) {
                    Some(v) => Ok(Value::Int(v)),
                    None => Err(self.index_error("range object index out of range")),
                }
            }
            Value::Dict(d) => {
                let d = d.clone();
                match self.table_get(&d, k)? {
                    Some(v) => Ok(v),
                    None => Err(self.key_error(k.clone())),
                }
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.class_lookup(&cls, "__getitem__") {
                    Some(f) => self.call2(&f, c.clone(), k.clone()),
                    None => {
                        Err(self.type_error(format!("'{}' object is not subscriptable", cls.name)))
                    }
                }
            }
            Value::Class(cls) => {
                let cls = cls.clone();
                if cls.meta.is_some()
                    && let Some(r) = self.meta_call(c, "__getitem__", std::slice::from_ref(k))?
                {
                    return Ok(r);
                }
                if let Some(f) = self.class_lookup(&cls, "__class_getitem__") {
                    return self.call2(&f, c.clone(), k.clone());
                }
                // Generic aliases (`list[int]`) are accepted and ignored.
                Ok(c.clone())
            }
            _ => {
                let tn = self.type_name(c);
                Err(self.type_error(format!("'{tn}' object is not subscriptable")))
            }
        }
    }

    /// `c[s]` for a slice `s` given by its parts (BINARY_SLICE passes them without building
    /// a slice object).
    pub(crate) fn get_slice(&mut self, c: &Value, s: &(Value, Value, Value)) -> PyResult<Value> {
        let len = match c {
            Value::List(l) => l.borrow().len(),
            Value::Tuple(t) => t.len(),
            Value::Str(s) => s.nchars,
            Value::Bytes(b) => b.len(),
            Value::ByteArray(b) => b.borrow().len(),
            Value::Range(r) => crate::ops::range_len(r.0, r.1, r.2) as usize,
            Value::Array(a) => a.borrow().items.len(),
            Value::Instance(_) => {
                return self.getitem_dunder(c, &Value::Slice(Rc::new(s.clone())));
            }
            // A slice is an ordinary (hashable) key of a dict.
            Value::Dict(d) => {
                let d = d.clone();
                let k = Value::Slice(Rc::new(s.clone()));
                return match self.table_get(&d, &k)? {
                    Some(v) => Ok(v),
                    None => Err(self.key_error(k)),
                };
            }
            _ => {
                let tn = self.type_name(c);
                return Err(self.type_error(format!("'{tn}' object is not subscriptable")));
            }
        };
        let (start, _stop, step, count) = self.slice_indices(s, len as i64)?;
        Ok(self.slice_build(c, start, step, count, false))
    }

    /// The items `start`, `start + step`, ... (`count` of them, all in range) of a list,
    /// tuple, str, bytes, bytearray, array or range, as a new object of its type. A list
    /// result reuses a list from `list_pool` when `pooled` (see `slice_subscr`).
    // Always: its two callers (`get_slice`, and BUILD_SLICE's fused subscript) are themselves
    // out of line; as a call of its own it cost BINARY_SLICE ~20 instructions (generators).
    #[inline(always)]
    pub(crate) fn slice_build(
        &mut self,
        c: &Value,
        start: i64,
        step: i64,
        count: usize,
        pooled: bool,
    ) -> Value {
        let idx = (0..count).map(move |i| (start + step * i as i64) as usize);
        match c {
            Value::List(l) => {
                let l = l.borrow();
                let pool = if pooled { self.list_pool.pop() } else { None };
                let Some(out) = pool else {
                    return Value::list(if step == 1 {
                        l[start as usize..start as usize + count].to_vec()
                    } else {
                        idx.map(|i| l[i].clone()).collect()
                    });
                };
                // A pooled list is empty, its buffer kept (see `recycle_list`).
                let mut o = out.borrow_mut();
                o.reserve(count);
                if step == 1 {
                    o.extend_from_slice(&l[start as usize..start as usize + count]);
                } else {
                    for i in idx {
                        o.push(l[i].clone());
                    }
                }
                drop(o);
                Value::List(out)
            }
            Value::Tuple(t) => Value::tuple(idx.map(|i| t[i].clone()).collect()),
            Value::Str(ps) => {
                if ps.is_ascii() {
                    let b = ps.s.as_bytes();
                    let v: Vec<u8> = idx.map(|i| b[i]).collect();
                    Value::string(String::from_utf8(v).unwrap_or_default())
                } else {
                    let chars: Vec<char> = ps.s.chars().collect();
                    Value::string(idx.map(|i| chars[i]).collect())
                }
            }
            Value::Bytes(b) => Value::Bytes(Rc::new(idx.map(|i| b[i]).collect())),
            Value::ByteArray(b) => {
                let b = b.borrow();
                Value::ByteArray(Rc::new(RefCell::new(idx.map(|i| b[i]).collect())))
            }
            Value::Array(a) => {
                let a = a.borrow();
                Value::Array(Rc::new(RefCell::new(Array {
                    typecode: a.typecode,
                    items: idx.map(|i| a.items[i].clone()).collect(),
                })))
            }
            Value::Range(r) => {
                let st = r.0 + r.2 * start;
                let sp = r.2 * step;
                let stop = st + sp * count as i64;
                Value::Range(Rc::new((st, stop, sp)))
            }
            _ => Value::None,
        }
    }

    fn getitem_dunder(&mut self, c: &Value, k: &Value) -> PyResult<Value> {
        let cls = self.type_of(c);
        match self.class_lookup(&cls, "__getitem__") {
            Some(f) => self.call2(&f, c.clone(), k.clone()),
            None => Err(self.type_error(format!("'{}' object is not subscriptable", cls.name))),
        }
    }

    pub fn setitem(&mut self, c: &Value, k: &Value, v: Value) -> PyResult<()> {
        match c {
            Value::List(l) => {
                if let Value::Slice(s) = k {
                    return self.set_list_slice(l, s, v);
                }
                let n = l.borrow().len();
                let i = match self.seq_index(k, n, "list") {
                    Ok(i) => i,
                    Err(e) => {
                        if self.exc_matches(&e.0, "IndexError") {
                            return Err(self.index_error("list assignment index out of range"));
                        }
                        return Err(e);
                    }
                };
                l.borrow_mut()[i] = v;
                Ok(())
            }
            Value::Dict(d) => {
                let d = d.clone();
                self.table_set(&d, k.clone(), v)
            }
            Value::ByteArray(b) => {
                if let Value::Slice(s) = k {
                    return self.set_bytearray_slice(b, s, &v);
                }
                let n = b.borrow().len();
                let i = self.seq_index(k, n, "bytearray")?;
                let x = self.index_value(&v)?;
                if !(0..256).contains(&x) {
                    return Err(self.value_error("byte must be in range(0, 256)"));
                }
                b.borrow_mut()[i] = x as u8;
                Ok(())
            }
            Value::Array(a) => {
                let n = a.borrow().items.len();
                let i = self.seq_index(k, n, "array")?;
                let v = crate::modules::array_check(self, a.borrow().typecode, v)?;
                a.borrow_mut().items[i] = v;
                Ok(())
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.class_lookup(&cls, "__setitem__") {
                    Some(f) => {
                        self.call3(&f, c.clone(), k.clone(), v)?;
                        Ok(())
                    }
                    None => Err(self.type_error(format!(
                        "'{}' object does not support item assignment",
                        cls.name
                    ))),
                }
            }
            _ => {
                let tn = self.type_name(c);
                Err(self.type_error(format!("'{tn}' object does not support item assignment")))
            }
        }
    }

    /// `l[s] = v`. A list or tuple source is read in place (no intermediate copy unless it
    /// is `l` itself), and a contiguous slice replaced by as many items is assigned slot by
    /// slot instead of spliced.
    pub(crate) fn set_list_slice(
        &mut self,
        l: &Rc<RefCell<Vec<Value>>>,
        s: &(Value, Value, Value),
        v: Value,
    ) -> PyResult<()> {
        let in_place = match &v {
            Value::Tuple(_) => true,
            Value::List(vl) => !Rc::ptr_eq(vl, l),
            _ => false,
        };
        if !in_place {
            // Any other iterable (or the list itself) is materialised first, as before: this
            // can run Python code, so it happens before anything is borrowed.
            let it = match self.get_iter(&v) {
                Err(e) if self.exc_matches(&e.0, "TypeError") => {
                    return Err(self.type_error("must assign iterable to extended slice"));
                }
                r => r?,
            };
            let items = self.collect(&it)?;
            return self.set_list_slice_items(l, s, items);
        }
        let r = self.set_list_slice_in_place(l, s, &v);
        self.recycle_list(v);
        r
    }

    /// `x + y` for two lists: the result is built in the pool's last list when its buffer
    /// is big enough (it then needs no allocation), else in a fresh list of the exact size.
    #[inline(never)]
    pub(crate) fn list_concat(
        &mut self,
        x: &Rc<RefCell<Vec<Value>>>,
        y: &Rc<RefCell<Vec<Value>>>,
    ) -> Value {
        let (x, y) = (x.borrow(), y.borrow());
        let n = x.len() + y.len();
        if let Some(l) = self.list_pool.pop_if(|l| l.borrow().capacity() >= n) {
            {
                let mut o = l.borrow_mut();
                o.extend_from_slice(&x);
                o.extend_from_slice(&y);
            }
            return Value::List(l);
        }
        Value::list(crate::ops::concat(&x, &y))
    }

    /// A list value that nothing else refers to goes, emptied, to `list_pool` (at most 8,
    /// none with a buffer over 64 slots, so the pool never holds much memory); anything else
    /// is just dropped. Emptying it may drop the last reference to other objects, but none of
    /// them can reach this list: its only reference is the one held here.
    pub(crate) fn recycle_list(&mut self, v: Value) {
        if let Value::List(l) = v
            && Rc::strong_count(&l) == 1
            && Rc::weak_count(&l) == 0
            && self.list_pool.len() < 8
            && l.borrow().capacity() <= 64
        {
            l.borrow_mut().clear();
            self.list_pool.push(l);
        }
    }

    /// `l[s] = v` for a tuple or another list `v`, read where it is.
    fn set_list_slice_in_place(
        &mut self,
        l: &Rc<RefCell<Vec<Value>>>,
        s: &(Value, Value, Value),
        v: &Value,
    ) -> PyResult<()> {
        // `slice_indices` may call `__index__` (Python code), so no borrow is held across it.
        let len = l.borrow().len() as i64;
        let (start, stop, step, count) = self.slice_indices(s, len)?;
        if let Value::List(vl) = v
            && step == 1
            && Rc::strong_count(vl) == 1
        {
            // A temporary source (`p[:k] = p[k::-1]`): its values are swapped in rather than
            // cloned; the old ones leave with it.
            let (start, stop) = (start as usize, stop.max(start) as usize);
            let mut src = vl.borrow_mut();
            if stop - start == src.len() {
                l.borrow_mut()[start..stop].swap_with_slice(&mut src);
                return Ok(());
            }
        }
        let own;
        let src: &[Value] = match v {
            Value::Tuple(t) => t,
            Value::List(vl) => {
                own = vl.borrow();
                &own
            }
            _ => unreachable!("checked above"),
        };
        if step == 1 {
            let (start, stop) = (start as usize, stop.max(start) as usize);
            let mut lb = l.borrow_mut();
            if stop - start == src.len() {
                lb[start..stop].clone_from_slice(src);
            } else {
                lb.splice(start..stop, src.iter().cloned());
            }
            return Ok(());
        }
        if src.len() != count {
            let n = src.len();
            return Err(self.value_error(format!(
                "attempt to assign sequence of size {n} to extended slice of size {count}"
            )));
        }
        let mut lb = l.borrow_mut();
        for (i, it) in src.iter().enumerate() {
            lb[(start + step * i as i64) as usize] = it.clone();
        }
        Ok(())
    }

    /// `b[s] = v` for a bytearray: `v` is bytes-like or an iterable of ints in range.
    fn set_bytearray_slice(
        &mut self,
        b: &Rc<RefCell<Vec<u8>>>,
        s: &(Value, Value, Value),
        v: &Value,
    ) -> PyResult<()> {
        const MSG: &str = "can assign only bytes, buffers, or iterables of ints in range(0, 256)";
        let src: Vec<u8> = match v {
            Value::Bytes(x) => x.to_vec(),
            Value::ByteArray(x) => x.borrow().clone(),
            Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None => {
                return Err(self.type_error(MSG));
            }
            _ => {
                let items = self.collect(v)?;
                let mut out = Vec::with_capacity(items.len());
                for it in &items {
                    let x = self.index_value(it)?;
                    if !(0..256).contains(&x) {
                        return Err(self.value_error("byte must be in range(0, 256)"));
                    }
                    out.push(x as u8);
                }
                out
            }
        };
        let len = b.borrow().len() as i64;
        let (start, stop, step, count) = self.slice_indices(s, len)?;
        if step == 1 {
            let stop = stop.max(start);
            b.borrow_mut().splice(start as usize..stop as usize, src);
            return Ok(());
        }
        if src.len() != count {
            return Err(self.value_error(format!(
                "attempt to assign bytes of size {} to extended slice of size {count}",
                src.len()
            )));
        }
        let mut bb = b.borrow_mut();
        for (i, x) in src.into_iter().enumerate() {
            bb[(start + step * i as i64) as usize] = x;
        }
        Ok(())
    }

    fn set_list_slice_items(
        &mut self,
        l: &Rc<RefCell<Vec<Value>>>,
        s: &(Value, Value, Value),
        items: Vec<Value>,
    ) -> PyResult<()> {
        let len = l.borrow().len() as i64;
        let (start, stop, step, count) = self.slice_indices(s, len)?;
        let mut lb = l.borrow_mut();
        if step == 1 {
            let stop = stop.max(start);
            lb.splice(start as usize..stop as usize, items);
        } else {
            if items.len() != count {
                drop(lb);
                return Err(self.value_error(format!(
                    "attempt to assign sequence of size {} to extended slice of size {count}",
                    items.len()
                )));
            }
            for (i, it) in items.into_iter().enumerate() {
                lb[(start + step * i as i64) as usize] = it;
            }
        }
        Ok(())
    }

    /// `del seq[a:b:c]` on a list's or a bytearray's items.
    fn del_slice<T>(&mut self, v: &RefCell<Vec<T>>, s: &(Value, Value, Value)) -> PyResult<()> {
        let len = v.borrow().len() as i64;
        let (start, _stop, step, count) = self.slice_indices(s, len)?;
        let mut idx: Vec<usize> = (0..count)
            .map(|i| (start + step * i as i64) as usize)
            .collect();
        idx.sort_unstable();
        let mut vb = v.borrow_mut();
        for i in idx.into_iter().rev() {
            vb.remove(i);
        }
        Ok(())
    }

    pub fn delitem(&mut self, c: &Value, k: &Value) -> PyResult<()> {
        match c {
            Value::List(l) => {
                if let Value::Slice(s) = k {
                    return self.del_slice(l, s);
                }
                let n = l.borrow().len();
                let i = match self.seq_index(k, n, "list") {
                    Ok(i) => i,
                    Err(e) => {
                        if self.exc_matches(&e.0, "IndexError") {
                            return Err(self.index_error("list assignment index out of range"));
                        }
                        return Err(e);
                    }
                };
                l.borrow_mut().remove(i);
                Ok(())
            }
            Value::ByteArray(b) => {
                if let Value::Slice(s) = k {
                    return self.del_slice(b, s);
                }
                let n = b.borrow().len();
                let i = self.seq_index(k, n, "bytearray")?;
                b.borrow_mut().remove(i);
                Ok(())
            }
            Value::Dict(d) => {
                let d = d.clone();
                match self.table_del(&d, k)? {
                    Some(_) => Ok(()),
                    None => Err(self.key_error(k.clone())),
                }
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.class_lookup(&cls, "__delitem__") {
                    Some(f) => {
                        self.call2(&f, c.clone(), k.clone())?;
                        Ok(())
                    }
                    None => Err(self.type_error(format!(
                        "'{}' object does not support item deletion",
                        cls.name
                    ))),
                }
            }
            _ => {
                let tn = self.type_name(c);
                Err(self.type_error(format!("'{tn}' object does not support item deletion")))
            }
        }
    }

    pub fn new_table_value(t: Table) -> Value {
        Value::Dict(Rc::new(RefCell::new(t)))
    }
}

/// One step of a machine-integer range iterator: the current value, and `cur` moved on. The
/// step saturates, so a range ending near either end of i64 stops instead of wrapping round.
/// Shared by `next()` here and the dispatch loop's inlined FOR_ITER.
#[inline(always)]
pub(crate) fn range_step(cur: &mut i64, stop: i64, step: i64) -> Option<i64> {
    if (step > 0 && *cur < stop) || (step < 0 && *cur > stop) {
        let v = *cur;
        *cur = cur.saturating_add(step);
        Some(v)
    } else {
        None
    }
}

/// Python's index `i` into a sequence of `len` items (negative counts from the end): the
/// position when it is in range, `None` when not.
#[inline(always)]
pub(crate) fn index_in(i: i64, len: usize) -> Option<usize> {
    let n = len as i64;
    let j = if i < 0 { i + n } else { i };
    (0..n).contains(&j).then_some(j as usize)
}

/// A dict iterator's step found the dict's size changed since the iterator was made.
struct DictChanged;

/// One step of a dict iterator at `pos`: `pick` applied to the next live entry, `None` at the
/// end, or `DictChanged` when the dict no longer has the `len` entries it had when the
/// iteration began (CPython's "dictionary changed size during iteration").
fn dict_step<R>(
    d: &RefCell<crate::dict::Table>,
    pos: &mut usize,
    len: usize,
    pick: impl FnOnce(&crate::dict::Entry) -> R,
) -> Result<Option<R>, DictChanged> {
    let t = d.borrow();
    if t.len() != len {
        return Err(DictChanged);
    }
    while *pos < t.slots() {
        let p = *pos;
        *pos += 1;
        if let Some(e) = t.entry_at(p) {
            return Ok(Some(pick(e)));
        }
    }
    Ok(None)
}

/// What `Vm::next_pair` found.
pub(crate) enum Pair {
    /// The next item's two parts.
    Item(Value, Value),
    /// The iterator is exhausted.
    Done,
    /// Not an iterator of pairs: take the usual step.
    Other,
}

/// An `enumerate`/`zip` iterator's previous result tuple, taken out of its state when
/// nothing but the iterator refers to it any more (the loop unpacked it and let it go, the
/// common case): the next result is written into it instead of a new allocation, as
/// CPython's own `enumerate` and `zip` do. Nobody can see the change, since nobody else
/// holds the tuple.
fn take_unique(last: &mut Option<Rc<Vec<Value>>>) -> Option<Rc<Vec<Value>>> {
    match last.take() {
        Some(rc) if Rc::strong_count(&rc) == 1 && Rc::weak_count(&rc) == 0 => Some(rc),
        // Still held elsewhere: only our count goes (never the last one, so nothing is freed
        // while the caller borrows the iterator state).
        _ => None,
    }
}

/// A result tuple holding `items`: the recycled one from `take_unique` when there is one
/// (its old values are dropped here, with no iterator state borrowed), else a new one.
fn fill_tuple<I: IntoIterator<Item = Value>>(
    recycled: Option<Rc<Vec<Value>>>,
    items: I,
) -> Rc<Vec<Value>> {
    if let Some(mut rc) = recycled
        && let Some(slots) = Rc::get_mut(&mut rc)
    {
        slots.clear();
        slots.extend(items);
        return rc;
    }
    Rc::new(items.into_iter().collect())
}

/// `zip(strict=True)`'s message when argument `k` (0-based, k ≥ 1) ran out before or after
/// the ones before it ("shorter"/"longer"), worded as CPython 3.13 words it.
fn zip_strict_mismatch(k: usize, relation: &str) -> String {
    if k > 1 {
        format!(
            "zip() argument {} is {relation} than arguments 1-{k}",
            k + 1
        )
    } else {
        format!("zip() argument {} is {relation} than argument 1", k + 1)
    }
}

/// A slice part that is an int (or bool) or `None`: `Some(Some(i))`, `Some(None)`; `None`
/// for anything that needs `slice_int` (big ints, `__index__`, errors).
#[inline(always)]
fn slice_part(v: &Value) -> Option<Option<i64>> {
    match v {
        Value::None => Some(None),
        Value::Int(i) => Some(Some(*i)),
        Value::Bool(b) => Some(Some(*b as i64)),
        _ => None,
    }
}

/// The parts of a slice that are all ints or `None`, with a step other than zero: (start,
/// stop, step), normalised by `norm_slice` without any conversion that could run Python code
/// or fail. `None` for everything else (the caller goes through `Vm::slice_indices`).
#[inline(always)]
pub(crate) fn int_slice(
    start: &Value,
    stop: &Value,
    step: &Value,
) -> Option<(Option<i64>, Option<i64>, i64)> {
    let step = slice_part(step)?.unwrap_or(1);
    if step == 0 {
        return None;
    }
    Some((slice_part(start)?, slice_part(stop)?, step))
}

/// Clamps slice bounds (`None` for an omitted one) against a length, as `slice.indices`
/// does: (start, stop, step, count). `step` is not zero.
#[inline(always)]
pub(crate) fn norm_slice(
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
    len: i64,
) -> (i64, i64, i64, usize) {
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let norm = |v: i64| -> i64 {
        if v < 0 {
            (v + len).max(lower)
        } else {
            v.min(upper)
        }
    };
    let start = match start {
        None if step < 0 => upper,
        None => lower,
        Some(v) => norm(v),
    };
    let stop = match stop {
        None if step < 0 => lower,
        None => upper,
        Some(v) => norm(v),
    };
    let count = if step > 0 {
        if stop > start {
            ((stop - start - 1) / step + 1) as usize
        } else {
            0
        }
    } else if start > stop {
        // `unsigned_abs`: a step of `i64::MIN` is an `Int` too.
        ((start - stop - 1) as u64 / step.unsigned_abs() + 1) as usize
    } else {
        0
    };
    (start, stop, step, count)
}
