//! Metaclasses: classes whose type is a subclass of `type` (`class C(metaclass=M)`). Owns the
//! metaclass half of class creation (CPython's most-derived-metaclass rule, `__prepare__`,
//! `type.__new__`, `type.__call__`), attribute lookup that falls back from a class to its
//! metaclass, the metaclass dunders applied to a class (`len(C)`, `C[k]`, `repr(C)`), and
//! `__instancecheck__`/`__subclasscheck__`.
//!
//! Cost model: a class without a metaclass (`Class::meta` is `None`) never reaches this
//! module. A class with one never fills its constructor cache, so every call of it comes
//! here through `call_class`'s cache miss (where `M.__call__` is honoured); the operator
//! paths test `meta` only after their builtin fast paths, where a plain class already fails
//! or falls through. Not supported (refused with a TypeError, never ignored): a `__prepare__`
//! namespace whose class overrides `__setitem__`/`__getitem__`/`__delitem__`/`__missing__`
//! (the class body would write around them), and a metaclass of a metaclass that defines
//! `__call__`.

use crate::dict::Table;
use crate::value::*;
use crate::vm::{PyResult, Vm, is_subclass};
use std::cell::RefCell;
use std::rc::Rc;

type KwArgs = Vec<(Rc<PyStr>, Value)>;

impl Vm {
    /// CPython's `_PyType_CalculateMetaclass`: the most derived of `start` and the
    /// metaclasses of `bases`, or the "metaclass conflict" TypeError.
    pub(crate) fn calculate_meta(
        &mut self,
        start: Rc<Class>,
        bases: &[Rc<Class>],
    ) -> PyResult<Rc<Class>> {
        let mut winner = start;
        for b in bases {
            let t = b.meta.clone().unwrap_or_else(|| self.types.type_.clone());
            if is_subclass(&winner, &t) {
                continue;
            }
            if is_subclass(&t, &winner) {
                winner = t;
                continue;
            }
            return Err(self.type_error(
                "metaclass conflict: the metaclass of a derived class must be a (non-strict) \
                 subclass of the metaclasses of all its bases",
            ));
        }
        Ok(winner)
    }

    /// Whether `m` is `type` itself (a class with it needs no `meta`).
    fn is_plain_type(&self, m: &Rc<Class>) -> bool {
        Rc::ptr_eq(m, &self.types.type_)
    }

    /// A dunder found on the metaclass of the class `cls` (`len(C)` with `M.__len__`), for
    /// the operators' paths; `None` when the class has no metaclass or only `type`'s and
    /// `object`'s own.
    #[cold]
    pub(crate) fn meta_dunder(&mut self, cls: &Rc<Class>, name: &'static str) -> Option<Value> {
        let m = cls.meta.clone()?;
        match self.class_lookup(&m, name) {
            Some(Value::Builtin(b)) if b.owner == Some("type") => None,
            r => r,
        }
    }

    /// `f(C, args...)` when the metaclass of the class `v` defines the dunder `name`;
    /// `None` otherwise (the caller's own handling of classes applies).
    #[cold]
    pub(crate) fn meta_call(
        &mut self,
        v: &Value,
        name: &'static str,
        args: &[Value],
    ) -> PyResult<Option<Value>> {
        let Value::Class(c) = v else { return Ok(None) };
        let Some(f) = self.meta_dunder(c, name) else {
            return Ok(None);
        };
        let mut a = vec![v.clone()];
        a.extend_from_slice(args);
        self.call(&f, a, vec![]).map(Some)
    }

    /// `__build_class__` once a metaclass is involved (explicit `metaclass=`, or a base
    /// whose metaclass is not `type`): `meta` is the explicit one if any. Runs
    /// `__prepare__`, the body in its namespace, then `meta(name, bases, ns, **kw)`.
    pub(crate) fn build_class_meta(
        &mut self,
        body: Rc<Function>,
        name: &str,
        bases: Vec<Rc<Class>>,
        meta: Option<Value>,
        kw: KwArgs,
    ) -> PyResult<Value> {
        let meta = match meta {
            None => {
                let start = bases
                    .first()
                    .and_then(|b| b.meta.clone())
                    .unwrap_or_else(|| self.types.type_.clone());
                Value::Class(self.calculate_meta(start, &bases)?)
            }
            Some(Value::Class(m)) => Value::Class(self.calculate_meta(m, &bases)?),
            Some(other) => other,
        };
        let name_v = Value::str(name);
        let bases_v = Value::tuple(bases.iter().map(|b| Value::Class(b.clone())).collect());
        let n_prep = self.intern("__prepare__");
        let ns_v = match self.get_attr_opt(&meta, &n_prep)? {
            Some(prep) => self.call(&prep, vec![name_v.clone(), bases_v.clone()], kw.clone())?,
            None => self.new_dict(),
        };
        let table = self.namespace_table(&meta, &ns_v)?;
        let ret = self.run_class_body(&body, table)?;
        let cls = self.call(&meta, vec![name_v, bases_v, ns_v], kw)?;
        if let Value::Cell(c) = ret
            && let Value::Class(_) = cls
        {
            *c.borrow_mut() = cls.clone();
        }
        Ok(cls)
    }

    /// The table a class body writes into for the namespace `ns` that `__prepare__` gave.
    fn namespace_table(&mut self, meta: &Value, ns: &Value) -> PyResult<Rc<RefCell<Table>>> {
        match ns {
            Value::Dict(d) => return Ok(d.clone()),
            Value::Instance(i) => {
                if let Some(Value::Dict(d)) = i.base() {
                    let cls = i.class.clone();
                    for n in ["__setitem__", "__getitem__", "__delitem__", "__missing__"] {
                        if let Some(Value::Function(_)) = self.class_lookup(&cls, n) {
                            return Err(self.type_error(format!(
                                "vigil: a __prepare__ namespace whose class overrides {n} is \
                                 not supported ('{}')",
                                cls.name
                            )));
                        }
                    }
                    return Ok(d.clone());
                }
            }
            _ => {}
        }
        let mn = match meta {
            Value::Class(c) => c.name.clone(),
            other => {
                let n = self.intern("__name__");
                match self.get_attr_opt(other, &n)? {
                    Some(Value::Str(s)) => s.s.to_string(),
                    _ => "<metaclass>".into(),
                }
            }
        };
        let tn = self.type_name(ns);
        Err(self.type_error(format!(
            "{mn}.__prepare__() must return a mapping, not {tn}"
        )))
    }

    /// `call_class` for a class with a metaclass, or for a metaclass itself: the
    /// metaclass's `__call__` when it defines one, else `type.__call__`.
    #[cold]
    #[inline(never)]
    pub(crate) fn call_class_meta(
        &mut self,
        cls: &Rc<Class>,
        mut args: Vec<Value>,
        kwargs: KwArgs,
    ) -> PyResult<Value> {
        if let Some(f) = self.meta_dunder(cls, "__call__") {
            args.insert(0, Value::Class(cls.clone()));
            return self.call(&f, args, kwargs);
        }
        if cls.base_kind == Kind::Type
            && let Some(mm) = &cls.meta
            && self.meta_dunder(mm, "__call__").is_some()
        {
            return Err(self.type_error(
                "vigil: a metaclass whose metaclass defines __call__ is not supported",
            ));
        }
        self.type_call(cls, args, kwargs)
    }

    /// `type.__call__(cls, *args, **kwargs)`: `__new__`, then `__init__` of the result's
    /// type when the result is an instance of `cls` (no constructor cache).
    pub(crate) fn type_call(
        &mut self,
        cls: &Rc<Class>,
        args: Vec<Value>,
        kwargs: KwArgs,
    ) -> PyResult<Value> {
        if cls.base_kind != Kind::Type {
            if !matches!(cls.kind, Kind::User | Kind::Exception) {
                return crate::builtins::construct_builtin(self, cls, &args, kwargs);
            }
            self.check_abstract(cls)?;
            let new = self.class_lookup(cls, "__new__");
            let init = self.class_lookup(cls, "__init__");
            return self.construct(cls, new, init, args, kwargs);
        }
        // `cls` is `type` or a metaclass: the result is a class.
        if self.is_plain_type(cls) && args.len() == 1 {
            if !kwargs.is_empty() {
                return Err(self.type_error("type() takes no keyword arguments"));
            }
            return Ok(Value::Class(self.type_of(&args[0])));
        }
        if self.is_plain_type(cls) && args.len() != 3 {
            return Err(self.type_error("type() takes 1 or 3 arguments"));
        }
        let obj = match self.class_lookup(cls, "__new__") {
            Some(nf @ (Value::Function(_) | Value::StaticMethod(_))) if !is_type_builtin(&nf) => {
                let mut a = vec![Value::Class(cls.clone())];
                a.extend(args.iter().cloned());
                self.call(&nf, a, kwargs.clone())?
            }
            _ => self.type_new(cls, &args, &kwargs)?,
        };
        let t = self.type_of(&obj);
        // `__init__` of the result's own type, when the result is a class made by `cls`.
        if matches!(obj, Value::Class(_))
            && is_subclass(&t, cls)
            && let Some(init @ Value::Function(_)) = self.class_lookup(&t, "__init__")
        {
            let mut a = vec![obj.clone()];
            a.extend(args);
            let r = self.call(&init, a, kwargs)?;
            if !r.is_none() {
                let tn = self.type_name(&r);
                return Err(self.type_error(format!("__init__() should return None, not '{tn}'")));
            }
        }
        Ok(obj)
    }

    /// CPython's refusal to instantiate a class whose `__abstractmethods__` (set by
    /// `abc.ABCMeta`) is not empty.
    pub(crate) fn check_abstract(&mut self, cls: &Rc<Class>) -> PyResult<()> {
        let n = self.intern("__abstractmethods__");
        let Some(am) = crate::attr::class_lookup_str(cls, &n) else {
            return Ok(());
        };
        let mut names = Vec::new();
        for v in self.collect(&am)? {
            names.push(self.to_str(&v)?);
        }
        if names.is_empty() {
            return Ok(());
        }
        names.sort();
        let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        Err(self.type_error(format!(
            "Can't instantiate abstract class {} without an implementation for abstract method{} {}",
            cls.name,
            if names.len() == 1 { "" } else { "s" },
            quoted.join(", ")
        )))
    }

    /// `type.__new__(mcls, name, bases, ns, **kw)`: a new class whose metaclass is the most
    /// derived of `mcls` and the bases' (a winner with its own `__new__` makes it instead),
    /// then `__set_name__` and `__init_subclass__(**kw)`.
    pub(crate) fn type_new(
        &mut self,
        mcls: &Rc<Class>,
        args: &[Value],
        kw: &[(Rc<PyStr>, Value)],
    ) -> PyResult<Value> {
        let [name, bases_v, ns] = args else {
            return Err(self.type_error(format!(
                "type.__new__() takes exactly 3 arguments ({} given)",
                args.len()
            )));
        };
        let Value::Str(name) = crate::subclass::unwrap(name) else {
            let tn = self.type_name(name);
            return Err(self.type_error(format!("type.__new__() argument 1 must be str, not {tn}")));
        };
        let name = name.s.to_string();
        let Value::Tuple(bt) = bases_v else {
            let tn = self.type_name(bases_v);
            return Err(
                self.type_error(format!("type.__new__() argument 2 must be tuple, not {tn}"))
            );
        };
        let mut bases = Vec::new();
        for b in bt.iter() {
            match b {
                Value::Class(c) => bases.push(c.clone()),
                _ => return Err(self.type_error("bases must be types")),
            }
        }
        let table = match ns {
            Value::Dict(d) => d.borrow().clone(),
            Value::Instance(i) if matches!(i.base(), Some(Value::Dict(_))) => {
                let Some(Value::Dict(d)) = i.base() else {
                    unreachable!()
                };
                d.borrow().clone()
            }
            _ => {
                let tn = self.type_name(ns);
                return Err(
                    self.type_error(format!("type.__new__() argument 3 must be dict, not {tn}"))
                );
            }
        };
        let winner = self.calculate_meta(mcls.clone(), &bases)?;
        if !Rc::ptr_eq(&winner, mcls)
            && let Some(nf @ (Value::Function(_) | Value::StaticMethod(_))) =
                self.class_lookup(&winner, "__new__")
            && !is_type_builtin(&nf)
        {
            let mut a = vec![Value::Class(winner.clone())];
            a.extend(args.iter().cloned());
            return self.call(&nf, a, kw.to_vec());
        }
        let meta = if self.is_plain_type(&winner) {
            None
        } else {
            Some(winner)
        };
        let cls = self.new_class_meta(&name, bases, Rc::new(RefCell::new(table)), meta)?;
        self.class_created_hooks(&cls, kw)?;
        Ok(Value::Class(cls))
    }

    /// An attribute of the class `cls` found on its metaclass (after the class's own MRO):
    /// functions bind to the class, properties run their getter on it. `None` when the
    /// class has no metaclass or the metaclass lacks the name.
    #[cold]
    pub(crate) fn meta_getattr(
        &mut self,
        cls: &Rc<Class>,
        name: &Rc<PyStr>,
    ) -> PyResult<Option<Value>> {
        let Some(m) = cls.meta.clone() else {
            return Ok(None);
        };
        let Some(v) = crate::attr::class_lookup_str(&m, name) else {
            return Ok(None);
        };
        let obj = Value::Class(cls.clone());
        Ok(Some(match v {
            Value::Property(p) => {
                let f = p.fget.clone();
                self.call1(&f, obj)?
            }
            Value::Instance(ref di) => {
                let dc = di.class.clone();
                match self.class_lookup(&dc, "__get__") {
                    Some(g) => self.call(&g, vec![v.clone(), obj, Value::Class(m)], vec![])?,
                    None => v,
                }
            }
            other => self.bind(other, &obj, &m),
        }))
    }

    /// A data descriptor (property, or an object with `__set__`) on the metaclass of `cls`
    /// named `name`: it wins over the class's own namespace, as in CPython.
    #[cold]
    pub(crate) fn meta_data_descriptor(&mut self, cls: &Rc<Class>, name: &PyStr) -> Option<Value> {
        let m = cls.meta.as_ref()?;
        let v = crate::attr::class_lookup_str(m, name)?;
        match &v {
            Value::Property(_) => Some(v),
            Value::Instance(di) => {
                let dc = di.class.clone();
                self.class_lookup(&dc, "__set__").map(|_| v)
            }
            _ => None,
        }
    }

    /// `isinstance(v, c)` where `c`'s metaclass may define `__instancecheck__` (exact type
    /// matches never ask it, as in CPython).
    #[cold]
    pub(crate) fn meta_instancecheck(&mut self, v: &Value, c: &Rc<Class>) -> PyResult<bool> {
        if let Some(f) = self.meta_dunder(c, "__instancecheck__") {
            let r = self.call2(&f, Value::Class(c.clone()), v.clone())?;
            return self.truthy(&r);
        }
        let vt = self.type_of(v);
        Ok(is_subclass(&vt, c))
    }

    /// `issubclass(a, c)` through the `__subclasscheck__` of `c`'s metaclass.
    #[cold]
    pub(crate) fn meta_subclasscheck(&mut self, a: &Rc<Class>, c: &Rc<Class>) -> PyResult<bool> {
        if let Some(f) = self.meta_dunder(c, "__subclasscheck__") {
            let r = self.call2(&f, Value::Class(c.clone()), Value::Class(a.clone()))?;
            return self.truthy(&r);
        }
        Ok(is_subclass(a, c))
    }

    /// `C.name = value` when the metaclass has a data descriptor `d` for `name`.
    #[cold]
    pub(crate) fn meta_setattr(
        &mut self,
        obj: &Value,
        d: Value,
        name: &PyStr,
        value: Value,
    ) -> PyResult<()> {
        match &d {
            Value::Property(p) => {
                if p.fset.is_null() || p.fset.is_none() {
                    let Value::Class(c) = obj else { unreachable!() };
                    let mn = c.meta.as_ref().map(|m| m.name.clone()).unwrap_or_default();
                    return Err(self.attr_error(format!(
                        "property '{}' of '{mn}' object has no setter",
                        name.s
                    )));
                }
                let f = p.fset.clone();
                self.call2(&f, obj.clone(), value)?;
            }
            Value::Instance(di) => {
                let dc = di.class.clone();
                if let Some(setter) = self.class_lookup(&dc, "__set__") {
                    self.call3(&setter, d.clone(), obj.clone(), value)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Whether `v` is `type`'s own `__new__` (a static builtin), which `type_new` implements.
fn is_type_builtin(v: &Value) -> bool {
    match v {
        Value::StaticMethod(f) => {
            matches!(&**f, Value::Builtin(b) if b.name == "__new__" && is_type_new(b))
        }
        Value::Builtin(b) => is_type_new(b),
        _ => false,
    }
}

fn is_type_new(b: &Builtin) -> bool {
    std::ptr::fn_addr_eq(b.f, crate::methods::type_new_fn as NativeFn)
}
