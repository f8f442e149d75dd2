//! Subclasses of builtin types (`class D(dict)`, `class S(str)`, `class P(tuple)`).
//!
//! An instance of such a class is an ordinary `Value::Instance` (its class, its attributes)
//! whose `Instance::native` holds the builtin value it stands on (`Native::Base`): a
//! `Value::Dict`, `Value::Str`, ... of the exact builtin type. Keeping the subclass
//! instance a different variant is the point: every fast path of the interpreter tests
//! exact variants (`Value::Int`, `Value::Str`), so a subclass value can never be taken
//! for an exact one (`generator::sink_step`, the `BINARY_OP` int paths, the dict key
//! fast paths), and exact values pay nothing for subclasses existing.
//!
//! Everything the builtin type does for a subclass instance goes through the type's own
//! class dict, as CPython's slot wrappers do: this module installs, on each builtin type
//! that may be subclassed, native dunders (`__eq__`, `__hash__`, `__len__`, `__getitem__`,
//! `__add__`, `__repr__`, `__new__`, `__init__`, ...) that unwrap their operands to the
//! builtin values and run the builtin operation on them. The interpreter's generic paths
//! for instances (`compare_dunders`, `binary_op`'s dunders, `len`, `getitem`, `repr`)
//! already look those dunders up along the MRO, so a method the subclass defines is found
//! first and wins, and one it does not define reaches the builtin's behaviour. Builtin
//! methods (`d.get`, `s.upper()`) find their receiver through `receiver`, which accepts a
//! subclass instance. A builtin method never looks up an override on the instance unless
//! CPython's does (`dict.__getitem__`'s `__missing__`); so `dict.update` does not call an
//! overridden `__setitem__`, as in CPython.
//!
//! What this module does not do: the types not listed in `subclassable` stay refused at
//! class creation with a TypeError; builtin functions that take a str or a number (`int(s)`,
//! `str.join`, `float(s)`) unwrap their argument themselves (`base_of`).

use crate::ops::{BinOp, CmpOp};
use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::rc::Rc;

type M = (&'static str, NativeFn);

/// The builtin value a subclass instance stands on.
#[inline]
pub fn base_of(v: &Value) -> Option<&Value> {
    match v {
        Value::Instance(i) => i.base(),
        _ => None,
    }
}

/// `v`'s builtin value when it is a subclass instance, else `v` itself.
#[inline]
pub fn unwrap(v: &Value) -> &Value {
    base_of(v).unwrap_or(v)
}

/// The builtin kinds a class statement may derive from (beyond `object` and exceptions).
pub fn subclassable(k: Kind) -> bool {
    matches!(
        k,
        Kind::Dict | Kind::List | Kind::Str | Kind::Int | Kind::Tuple | Kind::Float | Kind::Set
    )
}

impl Vm {
    /// A new instance of the subclass `cls` standing on the builtin value `base`.
    pub fn subclass_instance(&self, cls: &Rc<Class>, base: Value) -> Value {
        Value::Instance(Instance::new(
            cls.clone(),
            Some(Box::new(Native::Base(base))),
        ))
    }

    /// The empty (or zero) builtin value an instance of a subclass of `kind` starts from
    /// when it is made without the type's `__new__` (`object.__new__(cls)`, `copy`).
    pub fn empty_base(&self, kind: Kind) -> Value {
        match kind {
            Kind::Dict => self.new_dict(),
            Kind::List => Value::list(Vec::new()),
            Kind::Set => crate::sets::new_set(crate::sets::SetT::new()),
            Kind::Str => Value::str(""),
            Kind::Int => Value::Int(0),
            Kind::Float => Value::Float(0.0),
            Kind::Tuple => Value::tuple(Vec::new()),
            _ => Value::None,
        }
    }

    /// The builtin type a subclass of `kind` stands on.
    fn builtin_class(&self, kind: Kind) -> Rc<Class> {
        let t = &self.types;
        match kind {
            Kind::Dict => t.dict.clone(),
            Kind::List => t.list.clone(),
            Kind::Set => t.set.clone(),
            Kind::Str => t.str_.clone(),
            Kind::Int => t.int.clone(),
            Kind::Float => t.float.clone(),
            _ => t.tuple.clone(),
        }
    }

    /// The dict a dict subclass instance stands on, when its class leaves `__iter__` alone:
    /// CPython's `dict.update(d)`, `dict(d)` and `{**d}` then read the items straight from
    /// it, without the subclass's `keys` or `__getitem__`.
    pub(crate) fn plain_dict_of(&mut self, v: &Value) -> Option<Value> {
        let Value::Instance(i) = v else { return None };
        let b @ Value::Dict(_) = i.base()? else {
            return None;
        };
        let cls = i.class.clone();
        match self.class_lookup(&cls, "__iter__") {
            Some(Value::Builtin(_)) => Some(b.clone()),
            _ => None,
        }
    }

    /// `x op y` for two builtin values, `None` when their types do not combine: what
    /// `binary_op` does for them, without its error.
    pub(crate) fn builtin_pair(
        &mut self,
        x: &Value,
        y: &Value,
        op: BinOp,
        inplace: bool,
    ) -> PyResult<Option<Value>> {
        if let (Value::List(l), Value::List(r)) = (x, y)
            && op == BinOp::Add
            && !inplace
        {
            return Ok(Some(self.list_concat(l, r)));
        }
        self.builtin_binop(x, y, op, inplace)
    }

    /// Installs the dunders below on the builtin type of `kind` (once), before its first
    /// subclass is made. The type's version changes, so no cached lookup outlives them.
    pub(crate) fn ready_subclassing(&mut self, kind: Kind) {
        let bit = 1u64 << (kind as u32);
        if !subclassable(kind) || self.subclass_ready & bit != 0 {
            return;
        }
        self.subclass_ready |= bit;
        let cls = self.builtin_class(kind);
        let (owner, ms) = match kind {
            Kind::Dict => ("dict", dict_dunders()),
            Kind::List => ("list", list_dunders()),
            Kind::Set => ("set", set_dunders()),
            Kind::Str => ("str", str_dunders()),
            Kind::Int => ("int", number_dunders(true)),
            Kind::Float => ("float", number_dunders(false)),
            _ => ("tuple", tuple_dunders()),
        };
        self.install_subclass_dunders(&cls, owner, ms);
        cls.changed(false);
    }

    fn install_subclass_dunders(&mut self, cls: &Rc<Class>, owner: &'static str, ms: Vec<M>) {
        // The type's own dunders after the common ones, which they replace.
        let mut all = common_dunders();
        all.extend(ms);
        self.add_methods(cls, owner, all);
        // `__new__` is a static method, as in CPython (`super().__new__(cls, ...)`).
        let n = self.intern("__new__");
        let f = Value::Builtin(Rc::new(Builtin {
            name: "__new__",
            f: builtin_new,
            bound: None,
            owner: Some(owner),
        }));
        Vm::table_set_str(
            &mut cls.dict.borrow_mut(),
            n,
            Value::StaticMethod(Rc::new(f)),
        );
        // The number attributes (`x.real`), which exact numbers answer in `get_attr`.
        if matches!(cls.kind, Kind::Int | Kind::Float) {
            let props: [(&'static str, NativeFn); 4] = [
                ("real", |vm, a, _| vm.unary_pos(recv(a))),
                ("imag", |_, a, _| {
                    Ok(match recv(a) {
                        Value::Float(_) => Value::Float(0.0),
                        _ => Value::Int(0),
                    })
                }),
                ("numerator", |vm, a, _| vm.unary_pos(recv(a))),
                ("denominator", |_, _, _| Ok(Value::Int(1))),
            ];
            for (name, f) in props {
                if cls.kind == Kind::Float && matches!(name, "numerator" | "denominator") {
                    continue;
                }
                let fget = Value::Builtin(Rc::new(Builtin {
                    name,
                    f,
                    bound: None,
                    owner: Some(owner),
                }));
                let p = Value::Property(Rc::new(Property {
                    fget,
                    fset: Value::None,
                    fdel: Value::None,
                    doc: Value::None,
                }));
                let n = self.intern(name);
                Vm::table_set_str(&mut cls.dict.borrow_mut(), n, p);
            }
        }
        // Mutable containers are unhashable, and so are their subclasses.
        if matches!(cls.kind, Kind::Dict | Kind::List | Kind::Set) {
            let n = self.intern("__hash__");
            Vm::table_set_str(&mut cls.dict.borrow_mut(), n, Value::None);
        }
    }
}

/// `T.__new__(cls, ...)` for the subclassable builtin `T` that owns it: the builtin value
/// (built by `T`'s constructor; empty for the mutable containers, which `__init__` fills),
/// as a `cls` instance when `cls` is a proper subclass.
fn builtin_new(vm: &mut Vm, a: &[Value], kw: &[(Rc<PyStr>, Value)]) -> PyResult<Value> {
    let Some(Value::Class(cls)) = a.first() else {
        return Err(vm.type_error("__new__(X): X is not a type object"));
    };
    let cls = cls.clone();
    let kind = if subclassable(cls.kind) {
        cls.kind
    } else {
        cls.base_kind
    };
    if !subclassable(kind) {
        return Err(vm.type_error(format!("__new__({}): not a builtin subtype", cls.name)));
    }
    let exact = vm.builtin_class(kind);
    let base = match kind {
        Kind::Dict | Kind::List | Kind::Set => vm.empty_base(kind),
        _ => crate::builtins::construct_builtin(vm, &exact, &a[1..], kw.to_vec())?,
    };
    if Rc::ptr_eq(&cls, &exact) {
        return Ok(base);
    }
    Ok(vm.subclass_instance(&cls, base))
}

/// The receiver of a builtin method called on a subclass instance: its builtin value.
#[inline]
fn recv(a: &[Value]) -> &Value {
    unwrap(&a[0])
}

/// The source argument of a container's `__init__` (`list(x)`, `set(x)`, `dict(x)`): at
/// most one, with CPython's message for more; keywords are refused unless `kw_ok`.
fn init_source<'a>(
    vm: &mut Vm,
    a: &'a [Value],
    kw: &[(Rc<PyStr>, Value)],
    name: &str,
    kw_ok: bool,
) -> PyResult<Option<&'a Value>> {
    if !kw_ok && !kw.is_empty() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    if a.len() > 2 {
        return Err(vm.type_error(format!(
            "{name} expected at most 1 argument, got {}",
            a.len() - 1
        )));
    }
    Ok(a.get(1))
}

/// Dunders every subclassable type has: repr, comparisons, `__format__`.
fn common_dunders() -> Vec<M> {
    vec![
        ("__repr__", |vm, a, _| Ok(Value::string(vm.repr(recv(a))?))),
        ("__eq__", |vm, a, _| native_cmp(vm, a, CmpOp::Eq)),
        ("__ne__", |vm, a, _| native_cmp(vm, a, CmpOp::Ne)),
        ("__lt__", |vm, a, _| native_cmp(vm, a, CmpOp::Lt)),
        ("__le__", |vm, a, _| native_cmp(vm, a, CmpOp::Le)),
        ("__gt__", |vm, a, _| native_cmp(vm, a, CmpOp::Gt)),
        ("__ge__", |vm, a, _| native_cmp(vm, a, CmpOp::Ge)),
        ("__format__", |vm, a, _| {
            let spec = match a.get(1).map(unwrap) {
                Some(Value::Str(s)) => s.s.to_string(),
                _ => String::new(),
            };
            // `format(x, "")` is `str(x)` (which sees an overridden `__str__`/`__repr__`).
            if spec.is_empty() {
                return Ok(Value::string(vm.to_str(&a[0])?));
            }
            Ok(Value::string(vm.format_value(recv(a), &spec)?))
        }),
    ]
}

/// Whether `compare` of two builtin values can answer without falling back to identity
/// or a "not supported" error: a builtin comparison then returns `NotImplemented`
/// instead, as CPython's do, so that the other operand's reflected method is tried.
fn comparable(x: &Value, y: &Value) -> bool {
    use Value::*;
    let num = |v: &Value| matches!(v, Int(_) | Bool(_) | Big(_) | Float(_));
    let set = |v: &Value| matches!(v, Set(_) | FrozenSet(_));
    (num(x) && num(y))
        || (set(x) && set(y))
        || matches!(
            (x, y),
            (Str(_), Str(_)) | (List(_), List(_)) | (Tuple(_), Tuple(_)) | (Dict(_), Dict(_))
        )
}

fn native_cmp(vm: &mut Vm, a: &[Value], op: CmpOp) -> PyResult<Value> {
    let (x, y) = (recv(a), unwrap(&a[1]));
    if !comparable(x, y) {
        return Ok(Value::NotImplemented);
    }
    // Dicts and sets have no order: `<` on them is refused, as for the exact types.
    if matches!(x, Value::Dict(_)) && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return Ok(Value::NotImplemented);
    }
    let (x, y) = (x.clone(), y.clone());
    vm.compare(&x, &y, op)
}

/// `x op y` on the builtin values, `NotImplemented` when the builtin types do not combine
/// (so that the other operand's reflected method is tried).
fn native_binop(vm: &mut Vm, a: &[Value], op: BinOp, reflected: bool) -> PyResult<Value> {
    let (mut x, mut y) = (recv(a).clone(), unwrap(&a[1]).clone());
    if reflected {
        std::mem::swap(&mut x, &mut y);
    }
    if matches!(x, Value::Instance(_)) || matches!(y, Value::Instance(_)) {
        return Ok(Value::NotImplemented);
    }
    Ok(vm
        .builtin_pair(&x, &y, op, false)?
        .unwrap_or(Value::NotImplemented))
}

/// `x op= y` on a mutable builtin value in place, returning the receiver itself (the
/// subclass instance, as CPython's in-place methods return `self`).
fn native_inplace(vm: &mut Vm, a: &[Value], op: BinOp) -> PyResult<Value> {
    let (x, y) = (recv(a).clone(), unwrap(&a[1]).clone());
    if matches!(y, Value::Instance(_)) {
        return Ok(Value::NotImplemented);
    }
    match vm.builtin_binop(&x, &y, op, true)? {
        Some(_) => Ok(a[0].clone()),
        None => Ok(Value::NotImplemented),
    }
}

macro_rules! binops {
    ($($name:literal => $op:ident, $refl:literal;)*) => {
        {
            let v: Vec<M> = vec![$(($name, |vm: &mut Vm, a: &[Value], _: &[(Rc<PyStr>, Value)]| {
                native_binop(vm, a, BinOp::$op, $refl)
            }),)*];
            v
        }
    };
}

/// `len`, `in`, iteration and subscription on the builtin value.
fn container_dunders() -> Vec<M> {
    vec![
        ("__len__", |vm, a, _| {
            Ok(Value::Int(vm.len(recv(a))? as i64))
        }),
        ("__contains__", |vm, a, _| {
            let c = recv(a).clone();
            Ok(Value::Bool(vm.contains(&c, &a[1])?))
        }),
        ("__iter__", |vm, a, _| {
            let c = recv(a).clone();
            vm.get_iter(&c)
        }),
        ("__getitem__", |vm, a, _| {
            let c = recv(a).clone();
            vm.getitem(&c, &a[1])
        }),
    ]
}

fn mutable_dunders() -> Vec<M> {
    vec![
        ("__setitem__", |vm, a, _| {
            let c = recv(a).clone();
            vm.setitem(&c, &a[1], a[2].clone())?;
            Ok(Value::None)
        }),
        ("__delitem__", |vm, a, _| {
            let c = recv(a).clone();
            vm.delitem(&c, &a[1])?;
            Ok(Value::None)
        }),
    ]
}

fn dict_dunders() -> Vec<M> {
    let mut v = container_dunders();
    v.extend(mutable_dunders());
    v.extend(binops!("__or__" => Or, false;));
    let more: Vec<M> = vec![
        // `d[k]`: a subclass's `__missing__` answers for an absent key, as in CPython.
        (
            "__getitem__",
            |vm: &mut Vm, a: &[Value], _: &[(Rc<PyStr>, Value)]| {
                let Value::Dict(d) = recv(a) else {
                    return Err(vm.type_error("descriptor '__getitem__' requires a 'dict' object"));
                };
                let d = d.clone();
                if let Some(v) = vm.table_get(&d, &a[1])? {
                    return Ok(v);
                }
                if let Value::Instance(i) = &a[0] {
                    let cls = i.class.clone();
                    if let Some(f) = vm.class_lookup(&cls, "__missing__") {
                        return vm.call2(&f, a[0].clone(), a[1].clone());
                    }
                }
                Err(vm.key_error(a[1].clone()))
            },
        ),
        ("__ior__", |vm, a, _| {
            let d = recv(a).clone();
            crate::builtins::dict_update(vm, &d, unwrap(&a[1]))?;
            Ok(a[0].clone())
        }),
        ("__init__", |vm, a, kw| {
            let d = recv(a).clone();
            let Value::Dict(t) = &d else {
                return Err(vm.type_error("descriptor '__init__' requires a 'dict' object"));
            };
            if let Some(src) = init_source(vm, a, kw, "dict", true)? {
                crate::builtins::dict_update(vm, &d, src)?;
            }
            for (k, v) in kw {
                Vm::table_set_str(&mut t.borrow_mut(), k.clone(), v.clone());
            }
            Ok(Value::None)
        }),
    ];
    v.extend(more);
    v
}

fn list_dunders() -> Vec<M> {
    let mut v = container_dunders();
    v.extend(mutable_dunders());
    v.extend(binops!("__add__" => Add, false; "__mul__" => Mul, false; "__rmul__" => Mul, true;));
    let more: Vec<M> = vec![
        (
            "__iadd__",
            |vm: &mut Vm, a: &[Value], _: &[(Rc<PyStr>, Value)]| {
                let Value::List(l) = recv(a) else {
                    return Err(vm.type_error("descriptor '__iadd__' requires a 'list' object"));
                };
                let l = l.clone();
                let items = vm.collect(&a[1])?;
                l.borrow_mut().extend(items);
                Ok(a[0].clone())
            },
        ),
        ("__imul__", |vm, a, _| native_inplace(vm, a, BinOp::Mul)),
        ("__init__", |vm, a, kw| {
            let Value::List(l) = recv(a) else {
                return Err(vm.type_error("descriptor '__init__' requires a 'list' object"));
            };
            let l = l.clone();
            let items = match init_source(vm, a, kw, "list", false)? {
                Some(src) => vm.collect(src)?,
                None => Vec::new(),
            };
            *l.borrow_mut() = items;
            Ok(Value::None)
        }),
    ];
    v.extend(more);
    v
}

fn set_dunders() -> Vec<M> {
    let mut v = vec![
        // A set subclass shows its class: `S({1, 2})`, `S()`.
        (
            "__repr__",
            (|vm, a, _| {
                let Value::Instance(i) = &a[0] else {
                    return Ok(Value::string(vm.repr(&a[0])?));
                };
                let name = i.class.name.clone();
                let base = recv(a).clone();
                if vm.len(&base)? == 0 {
                    return Ok(Value::string(format!("{name}()")));
                }
                Ok(Value::string(format!("{name}({})", vm.repr(&base)?)))
            }) as NativeFn,
        ),
    ];
    // A set has the containers' dunders but no subscription.
    v.extend(
        container_dunders()
            .into_iter()
            .filter(|(name, _)| *name != "__getitem__"),
    );
    v.extend(binops!(
        "__or__" => Or, false; "__and__" => And, false; "__sub__" => Sub, false;
        "__xor__" => Xor, false; "__ror__" => Or, true; "__rand__" => And, true;
        "__rsub__" => Sub, true; "__rxor__" => Xor, true;
    ));
    v.extend([
        (
            "__ior__",
            (|vm, a, _| native_inplace(vm, a, BinOp::Or)) as NativeFn,
        ),
        ("__iand__", |vm, a, _| native_inplace(vm, a, BinOp::And)),
        ("__isub__", |vm, a, _| native_inplace(vm, a, BinOp::Sub)),
        ("__ixor__", |vm, a, _| native_inplace(vm, a, BinOp::Xor)),
        ("__init__", |vm, a, kw| {
            let Value::Set(s) = recv(a) else {
                return Err(vm.type_error("descriptor '__init__' requires a 'set' object"));
            };
            let s = s.clone();
            let t = match init_source(vm, a, kw, "set", false)? {
                Some(src) => vm.set_from(src)?,
                None => crate::sets::SetT::new(),
            };
            *s.borrow_mut() = t;
            Ok(Value::None)
        }),
    ]);
    v
}

fn hash_dunder() -> M {
    ("__hash__", |vm, a, _| {
        let x = recv(a).clone();
        Ok(Value::Int(vm.hash(&x)?))
    })
}

fn str_dunders() -> Vec<M> {
    let mut v = container_dunders();
    v.push(hash_dunder());
    v.extend(binops!(
        "__add__" => Add, false; "__mul__" => Mul, false; "__rmul__" => Mul, true;
        "__mod__" => Mod, false;
    ));
    v.push(("__str__", |_, a, _| Ok(recv(a).clone())));
    v
}

fn tuple_dunders() -> Vec<M> {
    let mut v = container_dunders();
    v.push(hash_dunder());
    v.extend(binops!("__add__" => Add, false; "__mul__" => Mul, false; "__rmul__" => Mul, true;));
    v
}

fn number_dunders(int: bool) -> Vec<M> {
    let mut v = binops!(
        "__add__" => Add, false; "__radd__" => Add, true;
        "__sub__" => Sub, false; "__rsub__" => Sub, true;
        "__mul__" => Mul, false; "__rmul__" => Mul, true;
        "__truediv__" => TrueDiv, false; "__rtruediv__" => TrueDiv, true;
        "__floordiv__" => FloorDiv, false; "__rfloordiv__" => FloorDiv, true;
        "__mod__" => Mod, false; "__rmod__" => Mod, true;
        "__pow__" => Pow, false; "__rpow__" => Pow, true;
    );
    if int {
        v.extend(binops!(
            "__and__" => And, false; "__rand__" => And, true;
            "__or__" => Or, false; "__ror__" => Or, true;
            "__xor__" => Xor, false; "__rxor__" => Xor, true;
            "__lshift__" => LShift, false; "__rlshift__" => LShift, true;
            "__rshift__" => RShift, false; "__rrshift__" => RShift, true;
        ));
        v.push(("__index__", |_, a, _| Ok(recv(a).clone())));
        v.push(("__invert__", |vm, a, _| {
            let x = recv(a).clone();
            vm.unary_invert(&x)
        }));
    }
    v.extend([
        hash_dunder(),
        ("__round__", |vm, a, _| {
            let n = vm.intern("round");
            let Some(f) = Vm::table_get_str(&vm.builtins.borrow(), &n) else {
                return Ok(Value::NotImplemented);
            };
            let mut args = vec![recv(a).clone()];
            args.extend(a[1..].iter().cloned());
            vm.call(&f, args, Vec::new())
        }),
        ("__neg__", |vm, a, _| {
            let x = recv(a).clone();
            vm.unary_neg(&x)
        }),
        ("__pos__", |vm, a, _| {
            let x = recv(a).clone();
            vm.unary_pos(&x)
        }),
        ("__abs__", |_, a, _| {
            let x = recv(a).clone();
            Ok(match x {
                Value::Float(f) => Value::Float(f.abs()),
                _ => match crate::ops::int_like(&x) {
                    Some(i) => Value::from_bigint(num_traits::Signed::abs(&i)),
                    None => return Ok(Value::NotImplemented),
                },
            })
        }),
        ("__bool__", |vm, a, _| {
            let x = recv(a).clone();
            Ok(Value::Bool(vm.truthy(&x)?))
        }),
        ("__int__", |vm, a, _| {
            let x = recv(a).clone();
            crate::builtins::construct_builtin(vm, &vm.types.int.clone(), &[x], Vec::new())
        }),
        ("__float__", |vm, a, _| {
            let x = recv(a).clone();
            Ok(Value::Float(crate::builtins::to_float(vm, &x)?))
        }),
    ]);
    v
}

/// Whether `cls` (a user class) stands on a builtin value, and `v` is one of its instances
/// made without one (by `object.__new__`): the caller then gives it an empty base.
pub fn needs_base(cls: &Class) -> bool {
    cls.kind == Kind::User && subclassable(cls.base_kind)
}

/// The builtin kind a new class derives from through `bases`, `Kind::Object` for none;
/// `Err` names the conflict (two different builtin bases, or a builtin with an exception).
pub fn base_kind_of(bases: &[Rc<Class>]) -> Result<Kind, String> {
    let mut found = Kind::Object;
    for b in bases {
        let k = if b.kind == Kind::User {
            b.base_kind
        } else {
            b.kind
        };
        if !subclassable(k) {
            continue;
        }
        if found != Kind::Object && found != k {
            return Err("multiple bases have instance lay-out conflict".into());
        }
        found = k;
    }
    Ok(found)
}
