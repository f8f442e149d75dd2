//! Operators and protocols on values: type_of, truthiness, hash, equality and ordering,
//! arithmetic (with the i64 fast path spilling to big ints), repr/str, len, subscripts and
//! iteration. Dunder methods of user classes are found here and called through `call`.
//! Builtin *methods* (str.upper, list.append, ...) live in `methods`.

use crate::dict::Table;
use crate::shim;
use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm, is_subclass};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
    MatMul,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            TrueDiv => "/",
            FloorDiv => "//",
            Mod => "%",
            Pow => "** or pow()",
            LShift => "<<",
            RShift => ">>",
            And => "&",
            Or => "|",
            Xor => "^",
            MatMul => "@",
        }
    }
    pub fn dunder(self) -> (&'static str, &'static str, &'static str) {
        use BinOp::*;
        match self {
            Add => ("__add__", "__radd__", "__iadd__"),
            Sub => ("__sub__", "__rsub__", "__isub__"),
            Mul => ("__mul__", "__rmul__", "__imul__"),
            TrueDiv => ("__truediv__", "__rtruediv__", "__itruediv__"),
            FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
            Mod => ("__mod__", "__rmod__", "__imod__"),
            Pow => ("__pow__", "__rpow__", "__ipow__"),
            LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
            RShift => ("__rshift__", "__rrshift__", "__irshift__"),
            And => ("__and__", "__rand__", "__iand__"),
            Or => ("__or__", "__ror__", "__ior__"),
            Xor => ("__xor__", "__rxor__", "__ixor__"),
            MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
    pub(crate) fn dunder(self) -> &'static str {
        match self {
            CmpOp::Lt => "__lt__",
            CmpOp::Le => "__le__",
            CmpOp::Eq => "__eq__",
            CmpOp::Ne => "__ne__",
            CmpOp::Gt => "__gt__",
            CmpOp::Ge => "__ge__",
        }
    }
    fn swapped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Eq => CmpOp::Eq,
            CmpOp::Ne => CmpOp::Ne,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
        }
    }
    fn test(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Lt => o == Less,
            CmpOp::Le => o != Greater,
            CmpOp::Eq => o == Equal,
            CmpOp::Ne => o != Equal,
            CmpOp::Gt => o == Greater,
            CmpOp::Ge => o != Less,
        }
    }
}

fn big_to_f64(b: &BigInt) -> Option<f64> {
    let f = b.to_f64()?;
    if f.is_finite() { Some(f) } else { None }
}

impl Vm {
    pub fn type_of(&self, v: &Value) -> Rc<Class> {
        let t = &self.types;
        match v {
            Value::Null | Value::None => t.none.clone(),
            Value::NotImplemented => t.notimpl.clone(),
            Value::Ellipsis => t.ellipsis.clone(),
            Value::Bool(_) => t.bool_.clone(),
            Value::Int(_) | Value::Big(_) => t.int.clone(),
            Value::Float(_) => t.float.clone(),
            Value::Complex(_) => t.complex.clone(),
            Value::Str(_) => t.str_.clone(),
            Value::Bytes(_) => t.bytes.clone(),
            Value::ByteArray(_) => t.bytearray.clone(),
            Value::Tuple(_) => t.tuple.clone(),
            Value::List(_) => t.list.clone(),
            Value::Dict(_) => t.dict.clone(),
            Value::Set(_) => t.set.clone(),
            Value::FrozenSet(_) => t.frozenset.clone(),
            Value::Class(c) => c.meta.as_ref().unwrap_or(&t.type_).clone(),
            Value::Instance(i) => i.class.clone(),
            Value::Function(_) => t.function.clone(),
            // An unbound method of a builtin type is a method_descriptor, as in CPython
            // (monitoring's CALL passes it as the callable of `[].append(6)`).
            Value::Builtin(b) if b.owner.is_some() && b.bound.is_none() => {
                t.method_descriptor.clone()
            }
            Value::Builtin(_) => t.builtin.clone(),
            // A builtin bound to its receiver is a builtin_function_or_method, as in CPython.
            Value::Method(m) if matches!(m.1, Value::Builtin(_)) => t.builtin.clone(),
            Value::Method(_) => t.method.clone(),
            Value::Gen(g) => {
                if g.is_coroutine {
                    t.coroutine.clone()
                } else {
                    t.generator.clone()
                }
            }
            Value::Iter(it) => {
                let idx = match &*it.borrow() {
                    IterState::Map { .. } => 0,
                    IterState::Filter { .. } => 1,
                    IterState::Zip { .. } => 2,
                    IterState::Enumerate { .. } => 3,
                    IterState::Reversed { .. } => 4,
                    _ => usize::MAX,
                };
                self.iter_classes
                    .get(idx)
                    .cloned()
                    .unwrap_or_else(|| t.iterator.clone())
            }
            Value::Module(_) => t.module.clone(),
            Value::Range(_) => t.range.clone(),
            Value::Slice(_) => t.slice.clone(),
            Value::Cell(_) => t.cell.clone(),
            Value::Code(_) => t.code.clone(),
            Value::Property(_) => t.property.clone(),
            Value::ClassMethod(_) => t.classmethod.clone(),
            Value::StaticMethod(_) => t.staticmethod.clone(),
            Value::Super(_) => t.super_.clone(),
            Value::StringIO(_) => t.stringio.clone(),
            Value::Array(_) => t.array.clone(),
            Value::Random(_) => t.random.clone(),
            Value::Traceback(_) => t.traceback.clone(),
            Value::FrameObj(_) => t.frame.clone(),
            Value::DictView(v) => self
                .iter_classes
                .get(5 + v.1 as usize)
                .cloned()
                .unwrap_or_else(|| t.object.clone()),
        }
    }

    pub fn type_name(&self, v: &Value) -> String {
        match v {
            Value::Iter(it) => match &*it.borrow() {
                IterState::Seq {
                    seq: Value::List(_),
                    ..
                } => "list_iterator".into(),
                IterState::Seq {
                    seq: Value::Tuple(_),
                    ..
                } => "tuple_iterator".into(),
                IterState::Range { .. } => "range_iterator".into(),
                IterState::Str { .. } => "str_ascii_iterator".into(),
                IterState::Enumerate { .. } => "enumerate".into(),
                IterState::Zip { .. } => "zip".into(),
                IterState::Map { .. } => "map".into(),
                IterState::Filter { .. } => "filter".into(),
                IterState::Reversed { .. } => "list_reverseiterator".into(),
                IterState::DictKeys { what, .. } => match what {
                    0 => "dict_keyiterator".into(),
                    1 => "dict_valueiterator".into(),
                    _ => "dict_itemiterator".into(),
                },
                IterState::SetIter { .. } => "set_iterator".into(),
                _ => "iterator".into(),
            },
            _ => self.type_of(v).name.clone(),
        }
    }

    // ---------- truthiness ----------

    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        Ok(match v {
            Value::Bool(b) => *b,
            Value::None | Value::Null => false,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(c) => c.0 != 0.0 || c.1 != 0.0,
            Value::Big(b) => !b.is_zero(),
            Value::Str(s) => !s.s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::ByteArray(b) => !b.borrow().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Dict(d) => !d.borrow().is_empty(),
            Value::Set(d) => !d.borrow().is_empty(),
            Value::FrozenSet(d) => !d.is_empty(),
            Value::Range(r) => range_len(r.0, r.1, r.2) > 0,
            Value::DictView(v) => !v.0.borrow().is_empty(),
            Value::Array(a) => !a.borrow().items.is_empty(),
            Value::Instance(inst) => {
                // The last class seen with neither `__bool__` nor `__len__`, by address and
                // version: a class's version changes with its namespace or a base's, to a
                // value no class had before, so a hit means both lookups would still fail
                // (generators' `if self.left:`, two method-cache lookups per test).
                let key = (Rc::as_ptr(&inst.class) as usize, inst.class.version.get());
                if self.plain_truthy == key {
                    return Ok(true);
                }
                let cls = inst.class.clone();
                if let Some(f) = self.class_lookup(&cls, "__bool__") {
                    let r = self.call1(&f, v.clone())?;
                    match r {
                        Value::Bool(b) => b,
                        _ => {
                            let tn = self.type_name(&r);
                            return Err(self.type_error(format!(
                                "__bool__ should return bool, returned {tn}"
                            )));
                        }
                    }
                } else if let Some(f) = self.class_lookup(&cls, "__len__") {
                    let r = self.call1(&f, v.clone())?;
                    self.index_value(&r)? != 0
                } else {
                    self.plain_truthy = key;
                    true
                }
            }
            Value::Class(c) if c.meta.is_some() => return self.meta_truthy(v),
            _ => true,
        })
    }

    /// `bool(C)` for a class with a metaclass: the metaclass's `__bool__`, then `__len__`.
    #[cold]
    fn meta_truthy(&mut self, v: &Value) -> PyResult<bool> {
        if let Some(r) = self.meta_call(v, "__bool__", &[])? {
            return match r {
                Value::Bool(b) => Ok(b),
                _ => {
                    let tn = self.type_name(&r);
                    Err(self.type_error(format!("__bool__ should return bool, returned {tn}")))
                }
            };
        }
        if let Some(r) = self.meta_call(v, "__len__", &[])? {
            return Ok(self.index_value(&r)? != 0);
        }
        Ok(true)
    }

    // ---------- hashing ----------

    pub fn str_hash(s: &PyStr) -> i64 {
        let h = s.hash.get();
        if h != -1 {
            return h;
        }
        let h = shim::hash_str(&s.s);
        s.hash.set(h);
        h
    }

    /// `hash(v)`. Ints, the commonest keys, are hashed here without a call (nqueens'
    /// `set(vec[i] + i for i in cols)`, int-keyed dicts); everything else in `hash_any`.
    #[inline(always)]
    pub fn hash(&mut self, v: &Value) -> PyResult<i64> {
        match v {
            Value::Int(i) => Ok(shim::hash_i64(*i)),
            _ => self.hash_any(v),
        }
    }

    fn hash_any(&mut self, v: &Value) -> PyResult<i64> {
        Ok(match v {
            Value::Str(s) => Self::str_hash(s),
            Value::Int(i) => shim::hash_i64(*i),
            Value::Bool(b) => *b as i64,
            Value::Float(f) => shim::hash_f64(*f),
            Value::Complex(c) => complex_hash(c.0, c.1),
            Value::Big(b) => shim::hash_big(b),
            Value::None => vigil_support::HASH_NONE,
            Value::Tuple(t) => {
                let mut hs = Vec::with_capacity(t.len());
                for x in t.iter() {
                    hs.push(self.hash(x)?);
                }
                shim::hash_tuple(&hs)
            }
            // By value since 3.12 (so `d[1:2]` is a plain dict lookup); an unhashable part
            // raises its own TypeError.
            Value::Slice(s) => {
                let s = s.clone();
                shim::hash_slice([self.hash(&s.0)?, self.hash(&s.1)?, self.hash(&s.2)?])
            }
            Value::Bytes(b) => shim::hash_bytes(b),
            Value::FrozenSet(t) => {
                let hs: Vec<i64> = t.iter().map(|(_, h)| h).collect();
                vigil_support::hash_frozenset(&hs)
            }
            Value::List(_) | Value::Dict(_) | Value::Set(_) | Value::ByteArray(_) => {
                let tn = self.type_name(v);
                return Err(self.type_error(format!("unhashable type: '{tn}'")));
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                let f = self.class_lookup(&cls, "__hash__");
                return self.hash_by_dunder(f, v, |_| cls.name.to_string());
            }
            Value::Class(c) if c.meta.is_some() => {
                let c = c.clone();
                let f = self.meta_dunder(&c, "__hash__");
                return self.hash_by_dunder(f, v, |vm| vm.type_name(v));
            }
            _ => id_hash(v),
        })
    }

    /// The hash of `v` by the `__hash__` its type defines (`method`): `None` assigned there
    /// makes `v` unhashable (the message names `type_name`'s answer), a method's result
    /// becomes a hash as CPython reduces it (-1 is -2, big ints fold), and no method at all
    /// means identity hashing.
    fn hash_by_dunder(
        &mut self,
        method: Option<Value>,
        v: &Value,
        type_name: impl FnOnce(&mut Self) -> String,
    ) -> PyResult<i64> {
        match method {
            Some(Value::None) => {
                let tn = type_name(self);
                Err(self.type_error(format!("unhashable type: '{tn}'")))
            }
            Some(f) => match self.call1(&f, v.clone())? {
                Value::Int(-1) => Ok(-2),
                Value::Int(i) => Ok(i),
                Value::Big(b) => Ok(shim::hash_big(&b)),
                Value::Bool(b) => Ok(b as i64),
                _ => Err(self.type_error("__hash__ method should return an integer")),
            },
            None => Ok(id_hash(v)),
        }
    }

    // ---------- equality and ordering ----------

    /// Fast equality for builtin values that cannot run guest code; `None` means "ask the
    /// general path".
    fn fast_eq(a: &Value, b: &Value) -> Option<bool> {
        use Value::*;
        Some(match (a, b) {
            (Int(x), Int(y)) => x == y,
            (Str(x), Str(y)) => Rc::ptr_eq(x, y) || x.s == y.s,
            (Float(x), Float(y)) => x == y,
            (Int(x), Float(y)) | (Float(y), Int(x)) => {
                (*x as f64) == *y && (*y).fract() == 0.0 && y.abs() < 9.3e18 && (*y as i64) == *x
            }
            (Bool(x), Bool(y)) => x == y,
            (Bool(x), Int(y)) | (Int(y), Bool(x)) => (*x as i64) == *y,
            (None, None) => true,
            (Big(x), Big(y)) => x == y,
            (Big(_), Int(_)) | (Int(_), Big(_)) => false,
            (Str(_), Int(_) | Float(_) | None | Tuple(_) | Bool(_)) => false,
            (Int(_) | Float(_) | None | Tuple(_) | Bool(_), Str(_)) => false,
            (None, Int(_) | Float(_) | Tuple(_)) | (Int(_) | Float(_) | Tuple(_), None) => false,
            _ => return Option::None,
        })
    }

    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let Some(r) = Self::fast_eq(a, b) {
            return Ok(r);
        }
        // Not for floats or complexes: a NaN is unequal to itself.
        if a.is(b) && !matches!(a, Value::Float(_) | Value::Complex(_)) {
            return Ok(true);
        }
        let r = self.compare(a, b, CmpOp::Eq)?;
        self.truthy(&r)
    }

    /// Equality used by containers (`in`, dict lookup): identity first, as CPython does.
    pub fn eq_identity_first(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if a.is(b) {
            return Ok(true);
        }
        self.eq(a, b)
    }

    pub fn compare(&mut self, a: &Value, b: &Value, op: CmpOp) -> PyResult<Value> {
        use Value::*;
        // Numbers and strings: the hot paths.
        match (a, b) {
            (Int(x), Int(y)) => return Ok(Bool(op.test(x.cmp(y)))),
            (Float(x), Float(y)) => return Ok(Bool(float_cmp(*x, *y, op))),
            (Int(x), Float(y)) => {
                return Ok(Bool(int_float_cmp(&BigInt::from(*x), *x as f64, *y, op)));
            }
            (Float(x), Int(y)) => {
                return Ok(Bool(int_float_cmp(
                    &BigInt::from(*y),
                    *y as f64,
                    *x,
                    op.swapped(),
                )));
            }
            (Str(x), Str(y)) => return Ok(Bool(op.test(x.s.cmp(&y.s)))),
            _ => {}
        }
        // Two instances (`a < b` on a user class): none of the builtin pairs below can
        // match, so straight to the dunders.
        if !(matches!(a, Instance(_)) && matches!(b, Instance(_)))
            && let Some(r) = self.compare_builtin(a, b, op)?
        {
            return Ok(r);
        }
        self.compare_dunders(a, b, op)
    }

    /// `compare` for the pairs of builtin values it handles itself past its hot paths
    /// (big ints, sequences, sets, dicts, views, ranges, complex equality); `None` for
    /// everything else, left to the dunders.
    fn compare_builtin(&mut self, a: &Value, b: &Value, op: CmpOp) -> PyResult<Option<Value>> {
        use Value::*;
        if let (Some(x), Some(y)) = (int_like(a), int_like(b)) {
            return Ok(Some(Bool(op.test(x.cmp(&y)))));
        }
        if let (Some(x), Float(y)) = (int_like(a), b) {
            let xf = x.to_f64().unwrap_or(f64::INFINITY);
            return Ok(Some(Bool(int_float_cmp(&x, xf, *y, op))));
        }
        if let (Float(x), Some(y)) = (a, int_like(b)) {
            let yf = y.to_f64().unwrap_or(f64::INFINITY);
            return Ok(Some(Bool(int_float_cmp(&y, yf, *x, op.swapped()))));
        }
        match (a, b) {
            (Tuple(x), Tuple(y)) => return self.seq_compare(&x.clone(), &y.clone(), op).map(Some),
            (List(x), List(y)) => {
                let xv = x.borrow().clone();
                let yv = y.borrow().clone();
                return self.seq_compare(&xv, &yv, op).map(Some);
            }
            (Bytes(x), Bytes(y)) => return Ok(Some(Bool(op.test(x.cmp(y))))),
            (Bytes(_) | ByteArray(_), Bytes(_) | ByteArray(_)) => {
                let ord = match (a, b) {
                    (Bytes(x), ByteArray(y)) => x[..].cmp(&y.borrow()[..]),
                    (ByteArray(x), Bytes(y)) => x.borrow()[..].cmp(&y[..]),
                    (ByteArray(x), ByteArray(y)) => x.borrow()[..].cmp(&y.borrow()[..]),
                    _ => unreachable!("bytes with bytes matched above"),
                };
                return Ok(Some(Bool(op.test(ord))));
            }
            // Slices compare as the tuples of their parts.
            (Slice(x), Slice(y)) => {
                let (x, y) = (x.clone(), y.clone());
                return self
                    .seq_compare(
                        &[x.0.clone(), x.1.clone(), x.2.clone()],
                        &[y.0.clone(), y.1.clone(), y.2.clone()],
                        op,
                    )
                    .map(Some);
            }
            _ => {}
        }
        if matches!(op, CmpOp::Eq | CmpOp::Ne)
            && (matches!(a, Complex(_)) || matches!(b, Complex(_)))
            && let Some(r) = self.complex_eq(a, b)?
        {
            return Ok(Some(Bool(if op == CmpOp::Eq { r } else { !r })));
        }
        if matches!(op, CmpOp::Eq | CmpOp::Ne) {
            let r = match (a, b) {
                (Dict(x), Dict(y)) => Some(self.dict_eq(&x.clone(), &y.clone())?),
                _ => Option::None,
            };
            if let Some(r) = r {
                return Ok(Some(Bool(if op == CmpOp::Eq { r } else { !r })));
            }
            if let (Some(x), Some(y)) = (set_items(a), set_items(b)) {
                let r = x.len() == y.len() && self.set_subset(&x, b)?;
                return Ok(Some(Bool(if op == CmpOp::Eq { r } else { !r })));
            }
            if let (DictView(x), DictView(y)) = (a, b)
                && x.1 != 1
                && x.1 == y.1
            {
                let ta = self.set_from(a)?;
                let tb = self.set_from(b)?;
                let r = ta.len() == tb.len() && self.set_is_subset(&ta, &tb)?;
                return Ok(Some(Bool(if op == CmpOp::Eq { r } else { !r })));
            }
            if let (Range(x), Range(y)) = (a, b) {
                let r = range_eq(x, y);
                return Ok(Some(Bool(if op == CmpOp::Eq { r } else { !r })));
            }
        } else if let (Some(x), Some(y)) = (set_items(a), set_items(b)) {
            let r = match op {
                CmpOp::Le => self.set_subset(&x, b)?,
                CmpOp::Lt => x.len() < y.len() && self.set_subset(&x, b)?,
                CmpOp::Ge => self.set_subset(&y, a)?,
                _ => y.len() < x.len() && self.set_subset(&y, a)?,
            };
            return Ok(Some(Bool(r)));
        }
        Ok(Option::None)
    }

    /// `compare` through the rich-comparison dunders, then identity for `==`/`!=`.
    fn compare_dunders(&mut self, a: &Value, b: &Value, op: CmpOp) -> PyResult<Value> {
        use Value::*;
        // Rich comparison through dunders: reflected first when b's type is a subclass of a's.
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        let reflected_first = !Rc::ptr_eq(&ta, &tb) && is_subclass(&tb, &ta) && has_dunders(b);
        if reflected_first && let Some(f) = self.cmp_dunder(&tb, op.swapped()) {
            let r = self.call2(&f, b.clone(), a.clone())?;
            if !matches!(r, NotImplemented) {
                return Ok(r);
            }
        }
        if has_dunders(a) {
            if let Some(f) = self.cmp_dunder(&ta, op) {
                let r = self.call2(&f, a.clone(), b.clone())?;
                if !matches!(r, NotImplemented) {
                    return Ok(r);
                }
            } else if op == CmpOp::Ne
                && let Some(f) = self.class_lookup(&ta, "__eq__")
            {
                let r = self.call2(&f, a.clone(), b.clone())?;
                if !matches!(r, NotImplemented) {
                    let t = self.truthy(&r)?;
                    return Ok(Bool(!t));
                }
            }
        }
        if !reflected_first
            && has_dunders(b)
            && let Some(f) = self.cmp_dunder(&tb, op.swapped())
        {
            let r = self.call2(&f, b.clone(), a.clone())?;
            if !matches!(r, NotImplemented) {
                return Ok(r);
            }
        }
        match op {
            CmpOp::Eq => Ok(Bool(a.is(b))),
            CmpOp::Ne => Ok(Bool(!a.is(b))),
            _ => {
                let (na, nb) = (self.type_name(a), self.type_name(b));
                Err(self.type_error(format!(
                    "'{}' not supported between instances of '{na}' and '{nb}'",
                    op.symbol()
                )))
            }
        }
    }

    fn seq_compare(&mut self, x: &[Value], y: &[Value], op: CmpOp) -> PyResult<Value> {
        // Nested containers compare recursively in Rust (limits.rs).
        self.enter_native(" in comparison")?;
        let r = self.seq_compare_inner(x, y, op);
        self.depth -= 1;
        r
    }

    fn seq_compare_inner(&mut self, x: &[Value], y: &[Value], op: CmpOp) -> PyResult<Value> {
        let n = x.len().min(y.len());
        for i in 0..n {
            if !self.eq_identity_first(&x[i], &y[i])? {
                return match op {
                    CmpOp::Eq => Ok(Value::Bool(false)),
                    CmpOp::Ne => Ok(Value::Bool(true)),
                    _ => self.compare(&x[i], &y[i], op),
                };
            }
        }
        Ok(Value::Bool(op.test(x.len().cmp(&y.len()))))
    }

    fn dict_eq(&mut self, x: &Rc<RefCell<Table>>, y: &Rc<RefCell<Table>>) -> PyResult<bool> {
        self.enter_native(" in comparison")?;
        let r = self.dict_eq_inner(x, y);
        self.depth -= 1;
        r
    }

    fn dict_eq_inner(&mut self, x: &Rc<RefCell<Table>>, y: &Rc<RefCell<Table>>) -> PyResult<bool> {
        if x.borrow().len() != y.borrow().len() {
            return Ok(false);
        }
        let items: Vec<(Value, Value)> = x
            .borrow()
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        for (k, v) in items {
            match self.table_get(y, &k)? {
                Some(v2) => {
                    if !self.eq_identity_first(&v, &v2)? {
                        return Ok(false);
                    }
                }
                Option::None => return Ok(false),
            }
        }
        Ok(true)
    }

    fn set_subset(&mut self, items: &[Value], other: &Value) -> PyResult<bool> {
        for k in items {
            if !self.contains(other, k)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub fn lt(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let (Value::Int(x), Value::Int(y)) = (a, b) {
            return Ok(x < y);
        }
        let r = self.compare(a, b, CmpOp::Lt)?;
        self.truthy(&r)
    }

    // ---------- dict/table access with Python keys ----------

    pub fn table_find(
        &mut self,
        t: &Rc<RefCell<Table>>,
        key: &Value,
    ) -> PyResult<(i64, Option<usize>)> {
        let h = self.hash(key)?;
        let tb = t.borrow();
        let pos = tb.find(h, |k| {
            if let Some(r) = Self::fast_eq(k, key) {
                return Ok(r);
            }
            if k.is(key) {
                return Ok(true);
            }
            // Slow path: guest __eq__. The table stays borrowed; guest code that mutates
            // this same dict during its own lookup is not supported.
            self.eq(k, key)
        })?;
        Ok((h, pos))
    }

    pub fn table_get(&mut self, t: &Rc<RefCell<Table>>, key: &Value) -> PyResult<Option<Value>> {
        let (_, pos) = self.table_find(t, key)?;
        Ok(pos.map(|p| {
            t.borrow()
                .entry_at(p)
                .map(|e| e.value.clone())
                .unwrap_or_default()
        }))
    }

    pub fn table_set(&mut self, t: &Rc<RefCell<Table>>, key: Value, value: Value) -> PyResult<()> {
        let (h, pos) = self.table_find(t, &key)?;
        let mut tb = t.borrow_mut();
        match pos {
            Some(p) => *tb.value_at_mut(p) = value,
            None => tb.push_new(h, key, value),
        }
        Ok(())
    }

    pub fn table_del(&mut self, t: &Rc<RefCell<Table>>, key: &Value) -> PyResult<Option<Value>> {
        let (_, pos) = self.table_find(t, key)?;
        Ok(pos.map(|p| t.borrow_mut().remove_at(p).value))
    }

    /// Lookup by a str name (globals, class dicts): no guest code can run.
    pub fn table_get_str(t: &Table, name: &PyStr) -> Option<Value> {
        let h = Self::str_hash(name);
        let pos = t
            .find::<()>(h, |k| Ok(matches!(k, Value::Str(s) if s.s == name.s)))
            .ok()
            .flatten()?;
        t.entry_at(pos).map(|e| e.value.clone())
    }

    pub fn table_set_str(t: &mut Table, name: Rc<PyStr>, value: Value) {
        let h = Self::str_hash(&name);
        let pos = t
            .find::<()>(h, |k| Ok(matches!(k, Value::Str(s) if s.s == name.s)))
            .ok()
            .flatten();
        match pos {
            Some(p) => *t.value_at_mut(p) = value,
            None => t.push_new(h, Value::Str(name), value),
        }
    }

    pub fn table_del_str(t: &mut Table, name: &PyStr) -> Option<Value> {
        let h = Self::str_hash(name);
        let pos = t
            .find::<()>(h, |k| Ok(matches!(k, Value::Str(s) if s.s == name.s)))
            .ok()
            .flatten()?;
        Some(t.remove_at(pos).value)
    }

    pub fn new_dict(&self) -> Value {
        Value::Dict(Rc::new(RefCell::new(Table::new())))
    }

    // ---------- arithmetic ----------

    pub fn binary_op(&mut self, a: &Value, b: &Value, op: BinOp, inplace: bool) -> PyResult<Value> {
        use Value::*;
        // Hot paths first.
        match (a, b) {
            (Int(x), Int(y)) => {
                if let Some(v) = int_op(self, *x, *y, op)? {
                    return Ok(v);
                }
            }
            (Float(x), Float(y)) => {
                if let Some(v) = float_op(self, *x, *y, op)? {
                    return Ok(v);
                }
            }
            (Float(x), Int(y)) => {
                if let Some(v) = float_op(self, *x, *y as f64, op)? {
                    return Ok(v);
                }
            }
            (Int(x), Float(y)) => {
                if let Some(v) = float_op(self, *x as f64, *y, op)? {
                    return Ok(v);
                }
            }
            // `l1 + l2` (nqueens' `indices[i + 1:] + indices[i:i + 1]`): one buffer of the
            // final size, without the int and float probes `builtin_binop` makes first.
            (List(x), List(y)) if op == BinOp::Add && !inplace => {
                return Ok(self.list_concat(x, y));
            }
            _ => {}
        }
        if let Some(v) = self.builtin_binop(a, b, op, inplace)? {
            return Ok(v);
        }
        let (name, rname, iname) = op.dunder();
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        if inplace
            && has_dunders(a)
            && let Some(f) = self.class_lookup(&ta, iname)
        {
            let r = self.call2(&f, a.clone(), b.clone())?;
            if !matches!(r, NotImplemented) {
                return Ok(r);
            }
        }
        let b_sub = !Rc::ptr_eq(&ta, &tb) && is_subclass(&tb, &ta) && has_dunders(b);
        if b_sub && let Some(f) = self.class_lookup(&tb, rname) {
            let r = self.call2(&f, b.clone(), a.clone())?;
            if !matches!(r, NotImplemented) {
                return Ok(r);
            }
        }
        if has_dunders(a)
            && let Some(f) = self.class_lookup(&ta, name)
        {
            let r = self.call2(&f, a.clone(), b.clone())?;
            if !matches!(r, NotImplemented) {
                return Ok(r);
            }
        }
        // A builtin `a`'s own method takes an instance of a subclass of a builtin type as
        // the builtin value it stands on (`[0] + L([1])`, `1 - MyInt(3)`).
        if !matches!(a, Instance(_))
            && let Some(bb) = crate::subclass::base_of(b)
        {
            let bb = bb.clone();
            if let Some(v) = self.builtin_pair(a, &bb, op, inplace)? {
                return Ok(v);
            }
        }
        if !b_sub
            && has_dunders(b)
            && !Rc::ptr_eq(&ta, &tb)
            && let Some(f) = self.class_lookup(&tb, rname)
        {
            let r = self.call2(&f, b.clone(), a.clone())?;
            if !matches!(r, NotImplemented) {
                return Ok(r);
            }
        }
        let (na, nb) = (self.type_name(a), self.type_name(b));
        // A subclass of a builtin type fails in its builtin's words.
        let (a, b) = (crate::subclass::unwrap(a), crate::subclass::unwrap(b));
        let sym = if inplace {
            format!("{}=", op.symbol().trim_end_matches(" or pow()"))
        } else {
            op.symbol().to_string()
        };
        if op == BinOp::Add && matches!(a, Str(_)) {
            return Err(self.type_error(format!("can only concatenate str (not \"{nb}\") to str")));
        }
        if op == BinOp::Add && matches!(a, List(_)) {
            return Err(
                self.type_error(format!("can only concatenate list (not \"{nb}\") to list"))
            );
        }
        if op == BinOp::Add && matches!(a, Tuple(_)) {
            return Err(self.type_error(format!(
                "can only concatenate tuple (not \"{nb}\") to tuple"
            )));
        }
        if op == BinOp::Mul
            && (matches!(a, Str(_) | List(_) | Tuple(_))
                || matches!(b, Str(_) | List(_) | Tuple(_)))
        {
            let other = if matches!(a, Str(_) | List(_) | Tuple(_)) {
                nb
            } else {
                na
            };
            return Err(self.type_error(format!(
                "can't multiply sequence by non-int of type '{other}'"
            )));
        }
        Err(self.type_error(format!(
            "unsupported operand type(s) for {sym}: '{na}' and '{nb}'"
        )))
    }

    pub(crate) fn builtin_binop(
        &mut self,
        a: &Value,
        b: &Value,
        op: BinOp,
        inplace: bool,
    ) -> PyResult<Option<Value>> {
        use Value::*;
        // Ints including bools and big ints.
        if let (Some(x), Some(y)) = (int_like(a), int_like(b)) {
            if let (Some(xi), Some(yi)) = (x.to_i64(), y.to_i64()) {
                if matches!(a, Bool(_))
                    && matches!(b, Bool(_))
                    && matches!(op, BinOp::And | BinOp::Or | BinOp::Xor)
                {
                    let r = match op {
                        BinOp::And => xi & yi,
                        BinOp::Or => xi | yi,
                        _ => xi ^ yi,
                    };
                    return Ok(Some(Bool(r != 0)));
                }
                if let Some(v) = int_op(self, xi, yi, op)? {
                    return Ok(Some(v));
                }
            }
            return big_op(self, &x, &y, op).map(Some);
        }
        // Not a plain return: `"%s" % z` must still reach the str formatting below.
        if (matches!(a, Complex(_)) || matches!(b, Complex(_)))
            && let Some(v) = self.complex_binop(a, b, op)?
        {
            return Ok(Some(v));
        }
        // Mixed float and (big) int.
        let fa = match a {
            Float(f) => Some(*f),
            _ => Option::None,
        };
        let fb = match b {
            Float(f) => Some(*f),
            _ => Option::None,
        };
        if fa.is_some() || fb.is_some() {
            let x = match fa {
                Some(f) => Some(f),
                Option::None => match int_like(a) {
                    Some(i) => Some(self.int_to_f64(&i)?),
                    Option::None => Option::None,
                },
            };
            let y = match fb {
                Some(f) => Some(f),
                Option::None => match int_like(b) {
                    Some(i) => Some(self.int_to_f64(&i)?),
                    Option::None => Option::None,
                },
            };
            if let (Some(x), Some(y)) = (x, y) {
                return float_op(self, x, y, op);
            }
        }
        match (a, b, op) {
            (Str(x), Str(y), BinOp::Add) => {
                return Ok(Some(Value::Str(Rc::new(PyStr::concat(x, y)))));
            }
            // `l1 + l2` returned earlier (`binary_op`, `list_concat`).
            (List(x), List(y), BinOp::Add) if inplace => {
                let add = y.borrow().clone();
                x.borrow_mut().extend(add);
                return Ok(Some(a.clone()));
            }
            (List(x), _, BinOp::Add) if inplace => {
                let items = self.collect(b)?;
                x.borrow_mut().extend(items);
                return Ok(Some(a.clone()));
            }
            (Tuple(x), Tuple(y), BinOp::Add) => {
                return Ok(Some(Value::tuple(concat(x, y))));
            }
            (Bytes(x), Bytes(y), BinOp::Add) => {
                let mut v = (**x).clone();
                v.extend(y.iter());
                return Ok(Some(Bytes(Rc::new(v))));
            }
            // Mixed with a bytearray, the left operand's type wins; `+=` extends in place.
            (ByteArray(x), Bytes(_) | ByteArray(_), BinOp::Add) => {
                let add = match b {
                    Bytes(y) => y.to_vec(),
                    ByteArray(y) => y.borrow().clone(),
                    _ => unreachable!("matched above"),
                };
                if inplace {
                    x.borrow_mut().extend_from_slice(&add);
                    return Ok(Some(a.clone()));
                }
                let mut v = x.borrow().clone();
                v.extend_from_slice(&add);
                return Ok(Some(ByteArray(Rc::new(RefCell::new(v)))));
            }
            (
                Bytes(_) | ByteArray(_),
                Str(_) | Int(_) | Bool(_) | Float(_) | List(_) | Tuple(_) | None,
                BinOp::Add,
            ) => {
                let (tn, owner) = (self.type_name(b), self.type_name(a));
                return Err(self.type_error(format!("can't concat {tn} to {owner}")));
            }
            (Bytes(x), ByteArray(y), BinOp::Add) => {
                let mut v = (**x).clone();
                v.extend_from_slice(&y.borrow());
                return Ok(Some(Bytes(Rc::new(v))));
            }
            (
                Str(_) | List(_) | Tuple(_) | Bytes(_) | ByteArray(_),
                Int(_) | Bool(_) | Big(_),
                BinOp::Mul,
            ) => {
                return self.repeat(a, b, inplace).map(Some);
            }
            (
                Int(_) | Bool(_) | Big(_),
                Str(_) | List(_) | Tuple(_) | Bytes(_) | ByteArray(_),
                BinOp::Mul,
            ) => {
                return self.repeat(b, a, false).map(Some);
            }
            (Str(x), _, BinOp::Mod) => {
                let s = crate::format::percent_format(self, &x.s, b)?;
                return Ok(Some(Value::string(s)));
            }
            (Dict(x), Dict(y), BinOp::Or) => {
                let nd = if inplace {
                    x.clone()
                } else {
                    Rc::new(RefCell::new(x.borrow().clone()))
                };
                let items: Vec<_> = y
                    .borrow()
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect();
                for (k, v) in items {
                    self.table_set(&nd, k, v)?;
                }
                return Ok(Some(Dict(nd)));
            }
            _ => {}
        }
        let view_setlike = |v: &Value| matches!(v, DictView(x) if x.1 != 1);
        if (view_setlike(a) || view_setlike(b))
            && (view_setlike(a) || matches!(a, Set(_) | FrozenSet(_)))
            && (view_setlike(b) || matches!(b, Set(_) | FrozenSet(_)))
            && matches!(op, BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor)
        {
            // Keys and items views are set-like: the result is a new set.
            let ta = self.set_from(a)?;
            let tb = self.set_from(b)?;
            let c = match op {
                BinOp::Or => '|',
                BinOp::And => '&',
                BinOp::Sub => '-',
                _ => '^',
            };
            let t = self.set_algebra(&ta, &tb, c)?;
            return Ok(Some(Set(Rc::new(RefCell::new(t)))));
        }
        if matches!(a, Set(_) | FrozenSet(_))
            && matches!(b, Set(_) | FrozenSet(_))
            && matches!(op, BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor)
        {
            let ta = self.as_set_table(a)?;
            let tb = self.as_set_table(b)?;
            let c = match op {
                BinOp::Or => '|',
                BinOp::And => '&',
                BinOp::Sub => '-',
                _ => '^',
            };
            if inplace && let Set(s) = a {
                // In-place forms mutate the left set the way CPython's *_update loops do.
                let mut cur = ta;
                let mut eq = |x: &Value, y: &Value| self.eq_identity_first(x, y);
                match c {
                    '|' => cur.merge(&tb, &mut eq)?,
                    '&' => cur.intersection_update(&tb, &mut eq)?,
                    '-' => cur.difference_update(&tb, &mut eq)?,
                    _ => cur.symmetric_difference_update(&tb, &mut eq)?,
                }
                *s.borrow_mut() = cur;
                return Ok(Some(a.clone()));
            }
            let t = self.set_algebra(&ta, &tb, c)?;
            return Ok(Some(if matches!(a, FrozenSet(_)) {
                FrozenSet(Rc::new(t))
            } else {
                Set(Rc::new(RefCell::new(t)))
            }));
        }
        Ok(Option::None)
    }

    pub fn build_table(&mut self, items: Vec<Value>) -> PyResult<Table> {
        let t = Rc::new(RefCell::new(Table::new()));
        for k in items {
            let (h, pos) = self.table_find(&t, &k)?;
            if pos.is_none() {
                t.borrow_mut().push_new(h, k, Value::None);
            }
        }
        Ok(Rc::try_unwrap(t)
            .map(|c| c.into_inner())
            .unwrap_or_default())
    }

    fn repeat(&mut self, seq: &Value, n: &Value, inplace: bool) -> PyResult<Value> {
        let n = match n {
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            _ => {
                return Err(self.err(
                    "OverflowError",
                    "cannot fit 'int' into an index-sized integer",
                ));
            }
        };
        let n = n.max(0) as usize;
        let len = self.len(seq)?;
        // Refuse what cannot be allocated instead of letting the allocator abort the process:
        // more than 4 GiB of payload is a MemoryError here.
        let unit = if matches!(seq, Value::Str(_) | Value::Bytes(_) | Value::ByteArray(_)) {
            4
        } else {
            16
        };
        if len.saturating_mul(n).saturating_mul(unit) > (1usize << 32) {
            return Err(PyErr(self.make_exc(&self.exc_class("MemoryError"), vec![])));
        }
        Ok(match seq {
            Value::Str(s) => Value::string(s.s.repeat(n)),
            Value::Bytes(b) => Value::Bytes(Rc::new(b.repeat(n))),
            Value::ByteArray(b) => {
                let v = b.borrow().repeat(n);
                if inplace {
                    *b.borrow_mut() = v;
                    seq.clone()
                } else {
                    Value::ByteArray(Rc::new(RefCell::new(v)))
                }
            }
            Value::List(l) => {
                let v = l.borrow().clone();
                let mut out = Vec::with_capacity(v.len() * n);
                for _ in 0..n {
                    out.extend(v.iter().cloned());
                }
                if inplace {
                    *l.borrow_mut() = out;
                    seq.clone()
                } else {
                    Value::list(out)
                }
            }
            Value::Tuple(t) => {
                let mut out = Vec::with_capacity(t.len() * n);
                for _ in 0..n {
                    out.extend(t.iter().cloned());
                }
                Value::tuple(out)
            }
            _ => unreachable!("repeat on non-sequence"),
        })
    }

    pub fn int_to_f64(&mut self, i: &BigInt) -> PyResult<f64> {
        match big_to_f64(i) {
            Some(f) => Ok(f),
            None => Err(self.err("OverflowError", "int too large to convert to float")),
        }
    }

    pub fn unary_neg(&mut self, v: &Value) -> PyResult<Value> {
        Ok(match v {
            Value::Int(i) => match i.checked_neg() {
                Some(n) => Value::Int(n),
                None => Value::from_bigint(-BigInt::from(*i)),
            },
            Value::Bool(b) => Value::Int(-(*b as i64)),
            Value::Float(f) => Value::Float(-f),
            Value::Complex(c) => Value::complex(-c.0, -c.1),
            Value::Big(b) => Value::from_bigint(-(**b).clone()),
            _ => return self.unary_dunder(v, "__neg__", "unary -"),
        })
    }

    pub fn unary_pos(&mut self, v: &Value) -> PyResult<Value> {
        Ok(match v {
            Value::Int(_) | Value::Float(_) | Value::Big(_) => v.clone(),
            // A fresh object, as CPython's `+z` for an exact complex returns `z` itself:
            // the same value either way (complex is immutable).
            Value::Complex(_) => v.clone(),
            Value::Bool(b) => Value::Int(*b as i64),
            _ => return self.unary_dunder(v, "__pos__", "unary +"),
        })
    }

    pub fn unary_invert(&mut self, v: &Value) -> PyResult<Value> {
        Ok(match v {
            Value::Int(i) => Value::Int(!i),
            Value::Bool(b) => Value::Int(!(*b as i64)),
            Value::Big(b) => Value::from_bigint(-(**b).clone() - 1),
            _ => return self.unary_dunder(v, "__invert__", "unary ~"),
        })
    }

    fn unary_dunder(&mut self, v: &Value, name: &'static str, sym: &str) -> PyResult<Value> {
        if let Value::Instance(i) = v {
            let c = i.class.clone();
            if let Some(f) = self.class_lookup(&c, name) {
                return self.call1(&f, v.clone());
            }
        }
        let tn = self.type_name(v);
        Err(self.type_error(format!("bad operand type for {sym}: '{tn}'")))
    }

    /// `operator.index`-style conversion to i64.
    pub fn index_value(&mut self, v: &Value) -> PyResult<i64> {
        match v {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(*b as i64),
            Value::Big(_) => Err(self.err(
                "OverflowError",
                "Python int too large to convert to C ssize_t",
            )),
            Value::Instance(inst) => {
                let c = inst.class.clone();
                if let Some(f) = self.class_lookup(&c, "__index__") {
                    let r = self.call1(&f, v.clone())?;
                    return self.index_value(&r);
                }
                let tn = self.type_name(v);
                Err(self.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
            }
            _ => {
                let tn = self.type_name(v);
                Err(self.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
            }
        }
    }

    // ---------- len / contains ----------

    pub fn len(&mut self, v: &Value) -> PyResult<usize> {
        Ok(match v {
            Value::Str(s) => s.nchars,
            Value::List(l) => l.borrow().len(),
            Value::Tuple(t) => t.len(),
            Value::Dict(d) => d.borrow().len(),
            Value::Set(d) => d.borrow().len(),
            Value::FrozenSet(d) => d.len(),
            Value::Bytes(b) => b.len(),
            Value::ByteArray(b) => b.borrow().len(),
            Value::Range(r) => {
                let n = range_len(r.0, r.1, r.2);
                if n > isize::MAX as u64 {
                    return Err(self.err(
                        "OverflowError",
                        "Python int too large to convert to C ssize_t",
                    ));
                }
                n as usize
            }
            Value::DictView(v) => v.0.borrow().len(),
            Value::Array(a) => a.borrow().items.len(),
            Value::Instance(inst) => {
                let c = inst.class.clone();
                if let Some(f) = self.class_lookup(&c, "__len__") {
                    let r = self.call1(&f, v.clone())?;
                    let n = self.index_value(&r)?;
                    if n < 0 {
                        return Err(self.value_error("__len__() should return >= 0"));
                    }
                    n as usize
                } else {
                    return Err(
                        self.type_error(format!("object of type '{}' has no len()", c.name))
                    );
                }
            }
            _ => {
                if let Some(r) = self.meta_call(v, "__len__", &[])? {
                    let n = self.index_value(&r)?;
                    if n < 0 {
                        return Err(self.value_error("__len__() should return >= 0"));
                    }
                    return Ok(n as usize);
                }
                let tn = self.type_name(v);
                return Err(self.type_error(format!("object of type '{tn}' has no len()")));
            }
        })
    }

    pub fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match container {
            Value::List(l) => {
                let n = l.borrow().len();
                for i in 0..n {
                    let x = match l.borrow().get(i) {
                        Some(x) => x.clone(),
                        None => break,
                    };
                    if self.eq_identity_first(&x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Tuple(t) => {
                for x in t.iter() {
                    if self.eq_identity_first(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Dict(d) => {
                let d = d.clone();
                Ok(self.table_find(&d, item)?.1.is_some())
            }
            Value::DictView(v) => {
                let d = v.0.clone();
                match v.1 {
                    0 => Ok(self.table_find(&d, item)?.1.is_some()),
                    2 => {
                        let Value::Tuple(t) = item else {
                            return Ok(false);
                        };
                        if t.len() != 2 {
                            return Ok(false);
                        }
                        match self.table_get(&d, &t[0])? {
                            Some(val) => self.eq_identity_first(&val, &t[1]),
                            None => Ok(false),
                        }
                    }
                    _ => {
                        let vals: Vec<Value> = d.borrow().iter().map(|e| e.value.clone()).collect();
                        for x in vals {
                            if self.eq_identity_first(&x, item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                }
            }
            Value::Set(s) => {
                let t = s.borrow().clone();
                self.set_has(&t, item)
            }
            Value::FrozenSet(t) => {
                let t = t.clone();
                self.set_has(&t, item)
            }
            Value::Str(s) => match item {
                Value::Str(sub) => Ok(s.s.contains(&*sub.s)),
                // A str subclass instance is looked for by its text.
                Value::Instance(i) if matches!(i.base(), Some(Value::Str(_))) => {
                    let Some(Value::Str(sub)) = i.base() else {
                        unreachable!("matched above")
                    };
                    Ok(s.s.contains(&*sub.s))
                }
                _ => {
                    let tn = self.type_name(item);
                    Err(self.type_error(format!(
                        "'in <string>' requires string as left operand, not {tn}"
                    )))
                }
            },
            Value::Bytes(_) | Value::ByteArray(_) => {
                // The needle is borrowed where it is (a bytearray's through its cell; both
                // borrows are shared, so `b in b` is fine), not copied per test.
                let (held, byte);
                let sub: &[u8] = match item {
                    Value::Bytes(x) => x,
                    Value::ByteArray(x) => {
                        held = x.borrow();
                        &held
                    }
                    Value::Int(_) | Value::Bool(_) | Value::Big(_) => {
                        let i = self.index_value(item)?;
                        if !(0..256).contains(&i) {
                            return Err(self.value_error("byte must be in range(0, 256)"));
                        }
                        byte = [i as u8];
                        &byte
                    }
                    _ => {
                        let tn = self.type_name(item);
                        return Err(
                            self.type_error(format!("a bytes-like object is required, not '{tn}'"))
                        );
                    }
                };
                let found = |b: &[u8]| sub.is_empty() || b.windows(sub.len()).any(|w| w == sub);
                Ok(match container {
                    Value::Bytes(b) => found(b),
                    Value::ByteArray(b) => found(&b.borrow()),
                    _ => unreachable!("matched above"),
                })
            }
            Value::Range(r) => {
                if let Value::Int(i) = item {
                    let (start, stop, step) = **r;
                    let inr = if step > 0 {
                        *i >= start && *i < stop
                    } else {
                        *i <= start && *i > stop
                    };
                    // In 128 bits: `i - start` can exceed `i64` in a long range.
                    Ok(inr && (*i as i128 - start as i128) % step as i128 == 0)
                } else {
                    let items = self.collect(container)?;
                    for x in items {
                        if self.eq(&x, item)? {
                            return Ok(true);
                        }
                    }
                    Ok(false)
                }
            }
            Value::Instance(inst) => {
                let c = inst.class.clone();
                if let Some(f) = self.class_lookup(&c, "__contains__") {
                    let r = self.call2(&f, container.clone(), item.clone())?;
                    return self.truthy(&r);
                }
                self.contains_by_iter(container, item)
            }
            Value::Class(_) => {
                match self.meta_call(container, "__contains__", std::slice::from_ref(item))? {
                    Some(r) => self.truthy(&r),
                    None => self.contains_by_iter(container, item),
                }
            }
            _ => self.contains_by_iter(container, item),
        }
    }

    fn contains_by_iter(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        let it = match self.get_iter(container) {
            Ok(it) => it,
            Err(e) => {
                if self.exc_matches(&e.0, "TypeError") {
                    let tn = self.type_name(container);
                    return Err(self.type_error(format!("argument of type '{tn}' is not iterable")));
                }
                return Err(e);
            }
        };
        while let Some(x) = self.next(&it)? {
            if self.eq_identity_first(&x, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// BINARY_OP's inline cases (`arg` in CPython's NB_* numbering, in-place forms included):
/// int and float operands whose result the general path (`Vm::binary_op`) would compute the
/// same way, with nothing to raise: no int overflow, no zero divisor, `MIN // -1` excluded,
/// `**` only for a positive float base with a finite result. `None` sends the operands to the
/// general path. Only ever `Some` for `Int`/`Float` operands, which own nothing (the
/// dispatch loop relies on that to overwrite and drop them without their drop glue).
#[inline(always)]
pub fn binop_fast(a: &Value, b: &Value, arg: usize) -> Option<Value> {
    use Value::{Float, Int};
    Some(match (a, b, arg) {
        (Float(x), Float(y), 0 | 13) => Float(x + y),
        (Float(x), Float(y), 10 | 23) => Float(x - y),
        (Float(x), Float(y), 5 | 18) => Float(x * y),
        (Float(x), Float(y), 11 | 24) if *y != 0.0 => Float(x / y),
        (Float(x), Float(y), 8 | 21) if *x > 0.0 => {
            let r = x.powf(*y);
            if !r.is_finite() {
                return None;
            }
            Float(r)
        }
        (Int(x), Int(y), 0 | 13) => Int(x.checked_add(*y)?),
        (Int(x), Int(y), 10 | 23) => Int(x.checked_sub(*y)?),
        (Int(x), Int(y), 5 | 18) => Int(x.checked_mul(*y)?),
        // Floor division: round the truncated quotient down when the signs differ and there
        // is a remainder (MIN // -1 overflows and takes the general path).
        (Int(x), Int(y), 2 | 15) if *y != 0 && !(*x == i64::MIN && *y == -1) => {
            let q = x / y;
            Int(if x % y != 0 && (*x < 0) != (*y < 0) {
                q - 1
            } else {
                q
            })
        }
        // Mixed int/float: the int converts with `as f64` (round to nearest even), as
        // `binary_op` and CPython's int-to-float do.
        (Float(x), Int(y), 0 | 13) => Float(x + *y as f64),
        (Int(x), Float(y), 0 | 13) => Float(*x as f64 + y),
        (Float(x), Int(y), 10 | 23) => Float(x - *y as f64),
        (Int(x), Float(y), 10 | 23) => Float(*x as f64 - y),
        (Float(x), Int(y), 5 | 18) => Float(x * *y as f64),
        (Int(x), Float(y), 5 | 18) => Float(*x as f64 * y),
        (Float(x), Int(y), 11 | 24) if *y != 0 => Float(x / *y as f64),
        (Int(x), Float(y), 11 | 24) if *y != 0.0 => Float(*x as f64 / y),
        _ => return None,
    })
}

/// COMPARE_OP's inline cases: int/int and float/float (IEEE rules, so NaN compares false
/// except `!=`, as CPython's float compare). `op` is COMPARE_OP's `arg >> 5`. `None` for
/// any other operands (only ever `Some` for operands that own nothing, as `binop_fast`).
#[inline(always)]
pub fn compare_fast(a: &Value, b: &Value, op: usize) -> Option<bool> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(compare_ord(x, y, op)),
        (Value::Float(x), Value::Float(y)) => Some(compare_ord(x, y, op)),
        _ => None,
    }
}

/// One rich comparison by COMPARE_OP's operator number (`<`, `<=`, `==`, `!=`, `>`, `>=`),
/// through `PartialOrd`, so floats keep the IEEE answers for NaN.
#[inline(always)]
fn compare_ord<T: PartialOrd>(x: &T, y: &T, op: usize) -> bool {
    match op {
        0 => x < y,
        1 => x <= y,
        2 => x == y,
        3 => x != y,
        4 => x > y,
        _ => x >= y,
    }
}

pub fn id_hash(v: &Value) -> i64 {
    let p = v.ptr().unwrap_or(0);
    // CPython rotates the pointer by 4 bits.
    (p.rotate_right(4)) as i64
}

pub fn int_like(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::Big(b) => Some((**b).clone()),
        _ => Option::None,
    }
}

pub fn set_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::Set(t) => Some(t.borrow().iter().map(|(k, _)| k.clone()).collect()),
        Value::FrozenSet(t) => Some(t.iter().map(|(k, _)| k.clone()).collect()),
        Value::Dict(_) => Option::None,
        _ => Option::None,
    }
}

fn float_cmp(x: f64, y: f64, op: CmpOp) -> bool {
    match op {
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
    }
}

/// Exact comparison of an int against a float (CPython compares exactly, not via rounding).
fn int_float_cmp(i: &BigInt, i_as_f: f64, f: f64, op: CmpOp) -> bool {
    if f.is_nan() {
        return op == CmpOp::Ne;
    }
    if f.is_infinite() {
        return op.test(if f > 0.0 {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        });
    }
    if i_as_f.abs() < 9.0e15 {
        return float_cmp(i_as_f, f, op);
    }
    let fl = f.floor();
    let fb = BigInt::from(fl as i128);
    let ord = i.cmp(&fb);
    let ord = if ord == std::cmp::Ordering::Equal && f != fl {
        std::cmp::Ordering::Less
    } else {
        ord
    };
    op.test(ord)
}

fn range_eq(x: &(i64, i64, i64), y: &(i64, i64, i64)) -> bool {
    let lx = range_len(x.0, x.1, x.2);
    let ly = range_len(y.0, y.1, y.2);
    if lx != ly {
        return false;
    }
    if lx == 0 {
        return true;
    }
    if x.0 != y.0 {
        return false;
    }
    lx == 1 || x.2 == y.2
}

/// The number of values of `range(start, stop, step)`. Unsigned: with `i64` bounds it can
/// reach 2**64 - 1, more than `len()` may return (CPython's ssize_t; see `Vm::len`), and an
/// `i64` result wrapped negative for such ranges (`bool(range(-2**62, 2**62))` read `False`).
pub fn range_len(start: i64, stop: i64, step: i64) -> u64 {
    // Step 1 (almost every range) needs no 128-bit division (`__divti3`, ≈ 40 instructions).
    if step == 1 {
        return if start < stop {
            (stop as i128 - start as i128) as u64
        } else {
            0
        };
    }
    if step > 0 && start < stop {
        ((stop as i128 - start as i128 - 1) / step as i128 + 1) as u64
    } else if step < 0 && start > stop {
        ((start as i128 - stop as i128 - 1) / (-(step as i128)) + 1) as u64
    } else {
        0
    }
}

/// Item `i` (negative counts from the end) of `range(r.0, r.1, r.2)`, `None` out of range.
/// In 128 bits: the length and the offset may exceed `i64` while the item itself cannot.
pub fn range_item(r: &(i64, i64, i64), i: i64) -> Option<i64> {
    let n = range_len(r.0, r.1, r.2) as i128;
    let j = if i < 0 { i as i128 + n } else { i as i128 };
    (0..n)
        .contains(&j)
        .then(|| (r.0 as i128 + r.2 as i128 * j) as i64)
}

fn int_op(vm: &mut Vm, x: i64, y: i64, op: BinOp) -> PyResult<Option<Value>> {
    use Value::*;
    Ok(Some(match op {
        BinOp::Add => match x.checked_add(y) {
            Some(r) => Int(r),
            Option::None => return Ok(Option::None),
        },
        BinOp::Sub => match x.checked_sub(y) {
            Some(r) => Int(r),
            Option::None => return Ok(Option::None),
        },
        BinOp::Mul => match x.checked_mul(y) {
            Some(r) => Int(r),
            Option::None => return Ok(Option::None),
        },
        BinOp::FloorDiv => {
            if y == 0 {
                return Err(vm.zero_div("integer division or modulo by zero"));
            }
            if x == i64::MIN && y == -1 {
                return Ok(Option::None);
            }
            Int(Integer::div_floor(&x, &y))
        }
        BinOp::Mod => {
            if y == 0 {
                return Err(vm.zero_div("integer modulo by zero"));
            }
            if y == -1 {
                return Ok(Some(Int(0)));
            }
            Int(Integer::mod_floor(&x, &y))
        }
        BinOp::TrueDiv => {
            if y == 0 {
                return Err(vm.zero_div("division by zero"));
            }
            if x.unsigned_abs() < (1 << 53) && y.unsigned_abs() < (1 << 53) {
                Float(x as f64 / y as f64)
            } else {
                Float(true_div_big(vm, &BigInt::from(x), &BigInt::from(y))?)
            }
        }
        BinOp::Pow => {
            if y < 0 {
                if x == 0 {
                    return Err(vm.zero_div("zero to a negative power"));
                }
                Float((x as f64).powf(y as f64))
            } else {
                let mut acc: i64 = 1;
                let mut base = x;
                let mut e = y as u64;
                loop {
                    if e & 1 == 1 {
                        match acc.checked_mul(base) {
                            Some(r) => acc = r,
                            Option::None => return Ok(Option::None),
                        }
                    }
                    e >>= 1;
                    if e == 0 {
                        break;
                    }
                    match base.checked_mul(base) {
                        Some(r) => base = r,
                        Option::None => return Ok(Option::None),
                    }
                }
                Int(acc)
            }
        }
        BinOp::LShift => {
            if y < 0 {
                return Err(vm.value_error("negative shift count"));
            }
            if y < 63 {
                let r = x << y;
                if r >> y == x {
                    return Ok(Some(Int(r)));
                }
            }
            return Ok(Option::None);
        }
        BinOp::RShift => {
            if y < 0 {
                return Err(vm.value_error("negative shift count"));
            }
            Int(if y >= 64 {
                if x < 0 { -1 } else { 0 }
            } else {
                x >> y
            })
        }
        BinOp::And => Int(x & y),
        BinOp::Or => Int(x | y),
        BinOp::Xor => Int(x ^ y),
        BinOp::MatMul => return Ok(Option::None),
    }))
}

/// Correctly rounded int/int true division, with CPython's OverflowError for quotients too
/// large for a float (vigil-support's version, tested against CPython 3.13).
fn true_div_big(vm: &mut Vm, a: &BigInt, b: &BigInt) -> PyResult<f64> {
    vigil_support::truediv_big(a, b).map_err(|e| vm.support_err(e))
}

fn big_op(vm: &mut Vm, x: &BigInt, y: &BigInt, op: BinOp) -> PyResult<Value> {
    Ok(match op {
        BinOp::Add => Value::from_bigint(x + y),
        BinOp::Sub => Value::from_bigint(x - y),
        BinOp::Mul => {
            if x.bits() + y.bits() > 1 << 32 {
                return Err(PyErr(vm.make_exc(&vm.exc_class("MemoryError"), vec![])));
            }
            Value::from_bigint(x * y)
        }
        BinOp::FloorDiv => {
            if y.is_zero() {
                return Err(vm.zero_div("integer division or modulo by zero"));
            }
            Value::from_bigint(Integer::div_floor(x, y))
        }
        BinOp::Mod => {
            if y.is_zero() {
                return Err(vm.zero_div("integer modulo by zero"));
            }
            Value::from_bigint(Integer::mod_floor(x, y))
        }
        BinOp::TrueDiv => {
            if y.is_zero() {
                return Err(vm.zero_div("division by zero"));
            }
            Value::Float(true_div_big(vm, x, y)?)
        }
        BinOp::Pow => {
            if y.is_negative() {
                let xf = vm.int_to_f64(x)?;
                let yf = vm.int_to_f64(y)?;
                if xf == 0.0 {
                    return Err(vm.zero_div("zero to a negative power"));
                }
                return Ok(Value::Float(xf.powf(yf)));
            }
            let e = y.to_u32().unwrap_or(u32::MAX);
            if x.bits().saturating_mul(e as u64) > 1 << 32 {
                return Err(PyErr(vm.make_exc(&vm.exc_class("MemoryError"), vec![])));
            }
            Value::from_bigint(num_traits::pow::Pow::pow(x, e))
        }
        BinOp::LShift => {
            if y.is_negative() {
                return Err(vm.value_error("negative shift count"));
            }
            let s = y.to_usize().unwrap_or(usize::MAX);
            if s > 1 << 32 {
                return Err(PyErr(vm.make_exc(&vm.exc_class("MemoryError"), vec![])));
            }
            Value::from_bigint(x << s)
        }
        BinOp::RShift => {
            if y.is_negative() {
                return Err(vm.value_error("negative shift count"));
            }
            let s = y.to_usize().unwrap_or(usize::MAX);
            if s > 1 << 40 {
                Value::Int(if x.is_negative() { -1 } else { 0 })
            } else {
                // Arithmetic shift: floor division by 2**s.
                Value::from_bigint(Integer::div_floor(x, &(BigInt::from(1) << s)))
            }
        }
        BinOp::And => Value::from_bigint(x & y),
        BinOp::Or => Value::from_bigint(x | y),
        BinOp::Xor => Value::from_bigint(x ^ y),
        BinOp::MatMul => {
            return Err(vm.type_error("unsupported operand type(s) for @: 'int' and 'int'"));
        }
    })
}

fn float_op(vm: &mut Vm, x: f64, y: f64, op: BinOp) -> PyResult<Option<Value>> {
    use Value::Float;
    Ok(Some(match op {
        BinOp::Add => Float(x + y),
        BinOp::Sub => Float(x - y),
        BinOp::Mul => Float(x * y),
        BinOp::TrueDiv => {
            if y == 0.0 {
                return Err(vm.zero_div("float division by zero"));
            }
            Float(x / y)
        }
        BinOp::FloorDiv => {
            if y == 0.0 {
                return Err(vm.zero_div("float floor division by zero"));
            }
            Float(float_divmod(x, y).0)
        }
        BinOp::Mod => {
            if y == 0.0 {
                return Err(vm.zero_div("float modulo by zero"));
            }
            Float(float_divmod(x, y).1)
        }
        BinOp::Pow => {
            // 0.0 ** -inf is inf (CPython checks infinite exponents first).
            if x == 0.0 && y < 0.0 && y.is_finite() {
                return Err(vm.zero_div("zero to a negative power"));
            }
            if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                // A negative base to a fractional power is complex, as in CPython.
                return complex_pow(vm, (x, 0.0), (y, 0.0)).map(Some);
            }
            let r = x.powf(y);
            if r.is_infinite() && x.is_finite() && y.is_finite() {
                return Err(vm.err("OverflowError", "(34, 'Numerical result out of range')"));
            }
            Float(r)
        }
        _ => return Ok(Option::None),
    }))
}

/// CPython's float_divmod: remainder takes the divisor's sign, signed zeros kept.
pub fn float_divmod(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

// ---------- complex ----------

/// CPython's complex hash: `hash(re) + 1000003 * hash(im)` in wrapping arithmetic, -1 mapped
/// to -2, so `hash(complex(x, 0)) == hash(x)`.
fn complex_hash(re: f64, im: f64) -> i64 {
    let h = shim::hash_f64(re).wrapping_add(shim::hash_f64(im).wrapping_mul(1_000_003));
    if h == -1 { -2 } else { h }
}

fn c_prod(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// Complex division by Smith's method (CPython's `_Py_c_quot`); `None` for a zero divisor.
fn c_quot(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    let (abs_br, abs_bi) = (b.0.abs(), b.1.abs());
    if abs_br >= abs_bi {
        if abs_br == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abs_bi >= abs_br {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        // At least one part of the divisor is a NaN.
        Some((f64::NAN, f64::NAN))
    }
}

/// `a ** b` for complex operands with CPython's algorithm: small integral exponents by
/// repeated squaring (so `1j ** 2` is exactly `-1+0j`), the rest in polar form.
fn complex_pow(vm: &mut Vm, a: (f64, f64), b: (f64, f64)) -> PyResult<Value> {
    let zero_err = |vm: &mut Vm| vm.zero_div("0.0 to a negative or complex power");
    let r = if b.1 == 0.0 && b.0 == b.0.floor() && b.0.abs() <= 100.0 {
        let n = b.0 as i64;
        let mut r = (1.0, 0.0);
        let mut p = a;
        let mut mask: u64 = 1;
        let m = n.unsigned_abs();
        while mask > 0 && m >= mask {
            if m & mask != 0 {
                r = c_prod(r, p);
            }
            mask <<= 1;
            p = c_prod(p, p);
        }
        if n < 0 {
            match c_quot((1.0, 0.0), r) {
                Some(q) => q,
                None => return Err(zero_err(vm)),
            }
        } else {
            r
        }
    } else if b.0 == 0.0 && b.1 == 0.0 {
        (1.0, 0.0)
    } else if a.0 == 0.0 && a.1 == 0.0 {
        if b.1 != 0.0 || b.0 < 0.0 {
            return Err(zero_err(vm));
        }
        (0.0, 0.0)
    } else {
        let vabs = a.0.hypot(a.1);
        let mut len = vabs.powf(b.0);
        let at = a.1.atan2(a.0);
        let mut phase = at * b.0;
        if b.1 != 0.0 {
            len /= (at * b.1).exp();
            phase += b.1 * vabs.ln();
        }
        (len * phase.cos(), len * phase.sin())
    };
    if r.0.is_infinite() || r.1.is_infinite() {
        return Err(vm.err("OverflowError", "complex exponentiation"));
    }
    Ok(Value::complex(r.0, r.1))
}

impl Vm {
    /// A number operand as a complex `(re, im)`; `None` for non-numbers (so the general path
    /// tries the other operand's dunders and reports the TypeError).
    fn as_complex(&mut self, v: &Value) -> PyResult<Option<(f64, f64)>> {
        Ok(match v {
            Value::Complex(c) => Some(**c),
            Value::Float(f) => Some((*f, 0.0)),
            Value::Int(_) | Value::Bool(_) | Value::Big(_) => {
                let i = int_like(v).unwrap_or_default();
                Some((self.int_to_f64(&i)?, 0.0))
            }
            _ => Option::None,
        })
    }

    /// `a OP b` where one side is complex: `None` when the other is not a number or the
    /// operator is not defined for complex (`//`, `%`, bit operators), which ends in
    /// CPython's "unsupported operand type(s)" TypeError.
    fn complex_binop(&mut self, a: &Value, b: &Value, op: BinOp) -> PyResult<Option<Value>> {
        let (Some(x), Some(y)) = (self.as_complex(a)?, self.as_complex(b)?) else {
            return Ok(Option::None);
        };
        Ok(Some(match op {
            BinOp::Add => Value::complex(x.0 + y.0, x.1 + y.1),
            BinOp::Sub => Value::complex(x.0 - y.0, x.1 - y.1),
            BinOp::Mul => {
                let r = c_prod(x, y);
                Value::complex(r.0, r.1)
            }
            BinOp::TrueDiv => match c_quot(x, y) {
                Some(r) => Value::complex(r.0, r.1),
                Option::None => return Err(self.zero_div("complex division by zero")),
            },
            BinOp::Pow => complex_pow(self, x, y)?,
            _ => return Ok(Option::None),
        }))
    }

    /// `a == b` with a complex on one side: `None` when the other side is not a number.
    fn complex_eq(&mut self, a: &Value, b: &Value) -> PyResult<Option<bool>> {
        let (x, y) = match (a, b) {
            (Value::Complex(x), Value::Complex(y)) => return Ok(Some(x.0 == y.0 && x.1 == y.1)),
            (Value::Complex(c), other) | (other, Value::Complex(c)) => (**c, other),
            _ => return Ok(Option::None),
        };
        if !matches!(
            y,
            Value::Int(_) | Value::Bool(_) | Value::Big(_) | Value::Float(_)
        ) {
            return Ok(Option::None);
        }
        if x.1 != 0.0 {
            return Ok(Some(false));
        }
        // The real part against an int or float, with the exact int/float comparison.
        let r = self.compare(&Value::Float(x.0), y, CmpOp::Eq)?;
        Ok(Some(matches!(r, Value::Bool(true))))
    }
}

/// `a + b` for two sequences' items, in one allocation of the final size (a clone of `a`
/// extended by `b` allocates twice: the clone is exactly sized).
pub(crate) fn concat(a: &[Value], b: &[Value]) -> Vec<Value> {
    let mut v = Vec::with_capacity(a.len() + b.len());
    v.extend_from_slice(a);
    v.extend_from_slice(b);
    v
}

/// Whether the operators look for dunders on `v`'s type: an instance of a user class, or a
/// class whose metaclass is not `type` (`C | D` with `M.__or__`).
#[inline(always)]
fn has_dunders(v: &Value) -> bool {
    match v {
        Value::Instance(_) => true,
        Value::Class(c) => c.meta.is_some(),
        _ => false,
    }
}
