//! Attribute access: class lookup along the MRO, descriptor binding (functions, classmethod,
//! staticmethod, property), instance attribute storage (including `__slots__` checks), module
//! and class attributes, and the special attributes of builtin objects. Method *bodies* of
//! builtin types live in `methods`; calls live in `call`.

use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::rc::Rc;

impl Vm {
    /// Finds `name` on the class or its MRO (no binding).
    /// Finds a dunder `name` on the class or its MRO for protocol dispatch. Native defaults
    /// (builtin methods on `object`, `BaseException`, ...) are skipped: the caller's native
    /// fallback implements them.
    pub fn class_lookup(&mut self, cls: &Rc<Class>, name: &'static str) -> Option<Value> {
        // Cached: dunder lookups (`__bool__`/`__len__` for truth tests, `__iter__`, the
        // operator dunders) otherwise walk the MRO on every operation.
        let key = (cls.id, name.as_ptr() as usize, name.len());
        let version = cls.version.get();
        if let Some((v, r)) = self.dunder_cache.get(&key)
            && *v == version
        {
            return r.clone();
        }
        let n = self.intern_static(name);
        let r = match self.class_lookup_cached(cls, &n) {
            Some(Value::Builtin(b)) if matches!(b.owner, Some("object" | "BaseException")) => None,
            other => other,
        };
        if self.dunder_cache.len() > 100_000 {
            self.dunder_cache.clear();
        }
        self.dunder_cache.insert(key, (version, r.clone()));
        r
    }

    /// `class_lookup` of the rich-comparison dunder for `op` (`__lt__` for `<`), through the
    /// class's own cache (see `value::CmpDunders`).
    #[inline]
    pub fn cmp_dunder(&mut self, cls: &Rc<Class>, op: crate::ops::CmpOp) -> Option<Value> {
        let (ver, slot) = &cls.cmp_dunders.0[op as usize];
        let version = cls.version.get();
        if ver.get() == version {
            return slot.borrow().clone();
        }
        let r = self.class_lookup(cls, op.dunder());
        ver.set(version);
        // The displaced value is dropped after the borrow ends.
        let old = slot.replace(r.clone());
        drop(old);
        r
    }

    /// Class attribute lookup through the per-VM cache (see `Vm::method_cache`).
    #[inline]
    pub fn class_lookup_cached(&mut self, cls: &Rc<Class>, name: &Rc<PyStr>) -> Option<Value> {
        let key = (cls.id, Rc::as_ptr(name) as usize);
        let version = cls.version.get();
        if let Some((ver, _, v)) = self.method_cache.get(&key)
            && *ver == version
        {
            return v.clone();
        }
        let v = class_lookup_str(cls, name);
        if self.method_cache.len() > 100_000 {
            self.method_cache.clear();
        }
        self.method_cache
            .insert(key, (version, name.clone(), v.clone()));
        v
    }

    /// `getattr(obj, name)`.
    pub fn get_attr(&mut self, obj: &Value, name: &Rc<PyStr>) -> PyResult<Value> {
        match self.get_attr_opt(obj, name)? {
            Some(v) => Ok(v),
            None => {
                // __getattr__ fallback for user instances.
                if let Value::Instance(inst) = obj {
                    let cls = inst.class.clone();
                    if let Some(f) = self.class_lookup(&cls, "__getattr__") {
                        return self.call2(&f, obj.clone(), Value::Str(name.clone()));
                    }
                }
                Err(self.no_attr(obj, name))
            }
        }
    }

    pub fn no_attr(&mut self, obj: &Value, name: &PyStr) -> crate::vm::PyErr {
        let msg = match obj {
            Value::Module(m) => format!("module '{}' has no attribute '{}'", m.name, name.s),
            Value::Class(c) => format!("type object '{}' has no attribute '{}'", c.name, name.s),
            _ => format!(
                "'{}' object has no attribute '{}'",
                self.type_name(obj),
                name.s
            ),
        };
        let e = self.attr_error(msg);
        if let Value::Instance(i) = &e.0 {
            let n = self.intern("name");
            inst_set(i, &n, Value::Str(Rc::new(PyStr::new(&*name.s))));
            let o = self.intern("obj");
            inst_set(i, &o, obj.clone());
        }
        e
    }

    pub fn get_attr_str(&mut self, obj: &Value, name: &str) -> PyResult<Value> {
        let n = self.intern(name);
        self.get_attr(obj, &n)
    }

    /// `getattr` without raising AttributeError for a missing name (other errors propagate).
    pub fn get_attr_opt(&mut self, obj: &Value, name: &Rc<PyStr>) -> PyResult<Option<Value>> {
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                let cattr = self.class_lookup_cached(&cls, name);
                if let Some(Value::Property(p)) = &cattr {
                    if p.fget.is_null() || p.fget.is_none() {
                        return Err(self.attr_error(format!(
                            "property '{}' of '{}' object has no getter",
                            name.s, cls.name
                        )));
                    }
                    let f = p.fget.clone();
                    return self.call1(&f, obj.clone()).map(Some);
                }
                // User descriptors: data descriptors (with __set__) win over the instance
                // dict; non-data ones (only __get__) apply when the instance has no value.
                let mut getter = None;
                if let Some(Value::Instance(di)) = &cattr
                    && cls.has_descriptors.get()
                {
                    let dc = di.class.clone();
                    if let Some(g) = self.class_lookup(&dc, "__get__") {
                        if self.class_lookup(&dc, "__set__").is_some() {
                            let d = cattr.clone().unwrap_or_default();
                            return self
                                .call3(&g, d, obj.clone(), Value::Class(cls.clone()))
                                .map(Some);
                        }
                        getter = Some(g);
                    }
                }
                if let Some(v) = inst_get(inst, name) {
                    return Ok(Some(v));
                }
                if let Some(g) = getter {
                    let d = cattr.clone().unwrap_or_default();
                    return self
                        .call3(&g, d, obj.clone(), Value::Class(cls.clone()))
                        .map(Some);
                }
                if let Some(exc) = inst.exc()
                    && let Some(v) = self.exc_attr(obj, exc, name)
                {
                    return Ok(Some(v));
                }
                match cattr {
                    Some(v) => Ok(Some(self.bind(v, obj, &cls))),
                    None => {
                        if &*name.s == "__class__" {
                            return Ok(Some(Value::Class(cls)));
                        }
                        // Instances of fully slotted classes (and of `object`) have none.
                        // The instance's own storage from now on (see `shape`'s dict mode).
                        if &*name.s == "__dict__" && cls.slots.is_none() && cls.kind != Kind::Object
                        {
                            return Ok(Some(Value::Dict(inst.attrs.dict())));
                        }
                        Ok(None)
                    }
                }
            }
            Value::Class(cls) => self.class_getattr(cls, name),
            Value::Module(m) => {
                let v = Vm::table_get_str(&m.dict.borrow(), name);
                if v.is_none() && &*name.s == "__name__" {
                    return Ok(Some(Value::str(&m.name)));
                }
                if v.is_none() && &*name.s == "__dict__" {
                    return Ok(Some(Value::Dict(m.dict.clone())));
                }
                Ok(v)
            }
            Value::Function(f) => {
                if let Some(v) = f
                    .attrs
                    .borrow()
                    .iter()
                    .find(|(k, _)| k.s == name.s)
                    .map(|(_, v)| v.clone())
                {
                    return Ok(Some(v));
                }
                Ok(match &*name.s {
                    "__name__" => Some(f.name.borrow().clone()),
                    "__qualname__" => Some(f.qualname.borrow().clone()),
                    "__doc__" => Some(f.doc.borrow().clone()),
                    "__module__" => Some(f.module.clone()),
                    "__code__" => Some(Value::Code(f.code.clone())),
                    "__defaults__" => {
                        let d = f.defaults.borrow();
                        Some(if d.is_empty() {
                            Value::None
                        } else {
                            Value::tuple(d.clone())
                        })
                    }
                    "__kwdefaults__" => Some(f.kwdefaults.borrow().clone()),
                    "__globals__" => Some(Value::Dict(f.globals.clone())),
                    "__annotations__" => Some(f.annotations.borrow().clone()),
                    "__dict__" => {
                        let d = self.new_dict();
                        if let Value::Dict(t) = &d {
                            for (k, v) in f.attrs.borrow().iter() {
                                Vm::table_set_str(&mut t.borrow_mut(), k.clone(), v.clone());
                            }
                        }
                        Some(d)
                    }
                    "__closure__" => Some(if f.closure.borrow().is_empty() {
                        Value::None
                    } else {
                        Value::tuple(f.closure.borrow().clone())
                    }),
                    _ => self.builtin_type_attr(obj, name),
                })
            }
            Value::Method(m) if matches!(m.1, Value::Builtin(_)) => Ok(match &*name.s {
                "__self__" => Some(m.0.clone()),
                "__name__" => Some(match &m.1 {
                    Value::Builtin(b) => Value::str(b.name),
                    _ => Value::None,
                }),
                "__qualname__" => {
                    let tn = self.type_name(&m.0);
                    let bn = match &m.1 {
                        Value::Builtin(b) => b.name,
                        _ => "",
                    };
                    Some(Value::string(format!("{tn}.{bn}")))
                }
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Method(m) => Ok(match &*name.s {
                "__self__" => Some(m.0.clone()),
                "__func__" => Some(m.1.clone()),
                "__name__" | "__qualname__" | "__doc__" | "__module__" => {
                    let f = m.1.clone();
                    self.get_attr_opt(&f, name)?
                }
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Builtin(b) => Ok(match &*name.s {
                "__name__" => Some(Value::str(b.name)),
                "__qualname__" => Some(Value::string(match b.owner {
                    Some(o) => format!("{o}.{}", b.name),
                    None => b.name.to_string(),
                })),
                "__self__" => Some(b.bound.clone().unwrap_or(Value::None)),
                "__doc__" => Some(Value::None),
                "__module__" => Some(Value::str("builtins")),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Gen(g) => Ok(match &*name.s {
                "__name__" => Some(Value::Str(g.name.clone())),
                "__qualname__" => Some(Value::Str(g.qualname.clone())),
                "gi_code" | "cr_code" => Some(Value::Code(g.code.clone())),
                "gi_running" | "cr_running" => {
                    Some(Value::Bool(g.state.get() == GenState::Running))
                }
                "gi_suspended" | "cr_suspended" => {
                    Some(Value::Bool(g.state.get() == GenState::Suspended))
                }
                "gi_frame" | "cr_frame" => Some(Value::None),
                "gi_yieldfrom" | "cr_await" => {
                    let v = g.delegate();
                    Some(if v.is_null() { Value::None } else { v })
                }
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Code(c) => Ok(match &*name.s {
                "co_name" => Some(Value::str(&c.name)),
                "co_qualname" => Some(Value::str(&c.qualname)),
                "co_filename" => Some(Value::str(&c.filename)),
                "co_firstlineno" => Some(Value::Int(c.first_line as i64)),
                "co_argcount" => Some(Value::Int(c.argcount as i64)),
                "co_posonlyargcount" => Some(Value::Int(c.posonlyargcount as i64)),
                "co_kwonlyargcount" => Some(Value::Int(c.kwonlyargcount as i64)),
                "co_flags" => Some(Value::Int(c.flags as i64)),
                "co_varnames" => Some(Value::tuple(
                    c.varnames.iter().map(|s| Value::str(s)).collect(),
                )),
                "co_freevars" => Some(Value::tuple(
                    c.freevars.iter().map(|s| Value::str(s)).collect(),
                )),
                "co_cellvars" => Some(Value::tuple(
                    c.cellvars.iter().map(|s| Value::str(s)).collect(),
                )),
                "co_names" => Some(Value::tuple(
                    c.names.iter().map(|s| Value::str(s)).collect(),
                )),
                "co_nlocals" => Some(Value::Int(c.varnames.len() as i64)),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Property(p) => Ok(match &*name.s {
                "fget" => Some(p.fget.clone()),
                "fset" => Some(p.fset.clone()),
                "fdel" => Some(p.fdel.clone()),
                "__doc__" => Some(p.doc.clone()),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::ClassMethod(f) | Value::StaticMethod(f) => Ok(match &*name.s {
                "__func__" | "__wrapped__" => Some((**f).clone()),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Slice(s) => Ok(match &*name.s {
                "start" => Some(s.0.clone()),
                "stop" => Some(s.1.clone()),
                "step" => Some(s.2.clone()),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Range(r) => Ok(match &*name.s {
                "start" => Some(Value::Int(r.0)),
                "stop" => Some(Value::Int(r.1)),
                "step" => Some(Value::Int(r.2)),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Cell(c) => Ok(match &*name.s {
                "cell_contents" => {
                    let v = c.borrow().clone();
                    if v.is_null() {
                        return Err(self.value_error("Cell is empty"));
                    }
                    Some(v)
                }
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Super(s) => self.super_getattr(&s.0.clone(), &s.1.clone(), name),
            Value::Int(_) | Value::Big(_) | Value::Bool(_) => Ok(match &*name.s {
                "real" | "numerator" => Some(self.unary_pos(obj)?),
                "imag" => Some(Value::Int(0)),
                "denominator" => Some(Value::Int(1)),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Traceback(t) => Ok(match crate::frameobj::tb_attr(t, &name.s) {
                Some(v) => Some(v),
                None => self.builtin_type_attr(obj, name),
            }),
            Value::FrameObj(o) => Ok(match self.frame_attr(o, &name.s) {
                Some(v) => Some(v),
                None => self.builtin_type_attr(obj, name),
            }),
            Value::Complex(c) => Ok(match &*name.s {
                "real" => Some(Value::Float(c.0)),
                "imag" => Some(Value::Float(c.1)),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Float(f) => Ok(match &*name.s {
                "real" => Some(Value::Float(*f)),
                "imag" => Some(Value::Float(0.0)),
                _ => self.builtin_type_attr(obj, name),
            }),
            Value::Array(a) => Ok(match &*name.s {
                "typecode" => Some(Value::string(a.borrow().typecode.to_string())),
                "itemsize" => Some(Value::Int(crate::modules::array_itemsize(
                    a.borrow().typecode,
                ))),
                _ => self.builtin_type_attr(obj, name),
            }),
            _ => Ok(self.builtin_type_attr(obj, name)),
        }
    }

    fn builtin_type_attr(&mut self, obj: &Value, name: &Rc<PyStr>) -> Option<Value> {
        let cls = self.type_of(obj);
        if &*name.s == "__class__" {
            return Some(Value::Class(cls));
        }
        let v = class_lookup_str(&cls, name)?;
        Some(self.bind(v, obj, &cls))
    }

    /// Descriptor binding of a class attribute found for instance `obj`.
    pub fn bind(&mut self, v: Value, obj: &Value, cls: &Rc<Class>) -> Value {
        match v {
            ref m if binds_as_method(m) => Value::Method(Rc::new((obj.clone(), v))),
            Value::ClassMethod(f) => {
                Value::Method(Rc::new((Value::Class(cls.clone()), (*f).clone())))
            }
            Value::StaticMethod(f) => (*f).clone(),
            other => other,
        }
    }

    fn exc_attr(&mut self, obj: &Value, exc: &ExcData, name: &PyStr) -> Option<Value> {
        Some(match &*name.s {
            "args" => exc.args.borrow().clone(),
            "__cause__" => {
                let v = exc.cause.borrow().clone();
                if v.is_null() { Value::None } else { v }
            }
            "__context__" => {
                let v = exc.context.borrow().clone();
                if v.is_null() { Value::None } else { v }
            }
            "__suppress_context__" => Value::Bool(exc.suppress_context.get()),
            "__traceback__" => crate::frameobj::tb(exc),
            "__notes__" => {
                let n = exc.notes.borrow();
                if n.is_empty() {
                    return None;
                }
                Value::list(n.iter().map(|s| Value::str(s)).collect())
            }
            "value" if self.exc_matches(obj, "StopIteration") => match &*exc.args.borrow() {
                Value::Tuple(t) if !t.is_empty() => t[0].clone(),
                _ => Value::None,
            },
            "code" if self.exc_matches(obj, "SystemExit") => match &*exc.args.borrow() {
                Value::Tuple(t) if t.len() == 1 => t[0].clone(),
                Value::Tuple(t) if t.is_empty() => Value::None,
                other => other.clone(),
            },
            "msg" if self.exc_matches(obj, "SyntaxError") => match &*exc.args.borrow() {
                Value::Tuple(t) if !t.is_empty() => t[0].clone(),
                _ => Value::None,
            },
            "name" | "obj"
                if self.exc_matches(obj, "AttributeError")
                    || self.exc_matches(obj, "NameError") =>
            {
                Value::None
            }
            _ => return None,
        })
    }

    fn class_getattr(&mut self, cls: &Rc<Class>, name: &Rc<PyStr>) -> PyResult<Option<Value>> {
        // A data descriptor on the metaclass wins over the class's namespace.
        if cls.meta.is_some() && self.meta_data_descriptor(cls, name).is_some() {
            return self.meta_getattr(cls, name);
        }
        if let Some(v) = class_lookup_str(cls, name) {
            // A user descriptor read through the class: __get__(None, cls).
            if let Value::Instance(di) = &v
                && (cls.kind == Kind::User || cls.kind == Kind::Exception)
            {
                let dc = di.class.clone();
                if let Some(g) = self.class_lookup(&dc, "__get__") {
                    return self
                        .call(
                            &g,
                            vec![v.clone(), Value::None, Value::Class(cls.clone())],
                            vec![],
                        )
                        .map(Some);
                }
            }
            return Ok(Some(match v {
                Value::ClassMethod(f) => {
                    Value::Method(Rc::new((Value::Class(cls.clone()), (*f).clone())))
                }
                Value::StaticMethod(f) => (*f).clone(),
                other => other,
            }));
        }
        Ok(Some(match &*name.s {
            "__name__" => Value::str(&cls.name),
            "__qualname__" => Value::str(&cls.qualname),
            "__module__" => Value::str(&cls.module),
            "__doc__" => Value::None,
            "__bases__" => {
                Value::tuple(cls.bases.iter().map(|b| Value::Class(b.clone())).collect())
            }
            "__base__" => cls
                .bases
                .first()
                .map(|b| Value::Class(b.clone()))
                .unwrap_or(Value::None),
            "__mro__" => {
                let mut v = vec![Value::Class(cls.clone())];
                v.extend(cls.mro.iter().map(|b| Value::Class(b.clone())));
                Value::tuple(v)
            }
            "__dict__" => Value::Dict(Rc::new(std::cell::RefCell::new(cls.dict.borrow().clone()))),
            "__class__" => Value::Class(self.type_of(&Value::Class(cls.clone()))),
            _ => {
                // Attributes of the metaclass (methods bind to the class).
                if cls.meta.is_some()
                    && let Some(v) = self.meta_getattr(cls, name)?
                {
                    return Ok(Some(v));
                }
                // Methods of `type` itself (e.g. `C.mro()`), bound to the class.
                let tt = self.types.type_.clone();
                match class_lookup_str(&tt, name) {
                    Some(v @ Value::Builtin(_)) => {
                        Value::Method(Rc::new((Value::Class(cls.clone()), v)))
                    }
                    _ => return Ok(None),
                }
            }
        }))
    }

    fn super_getattr(
        &mut self,
        start: &Rc<Class>,
        obj: &Value,
        name: &Rc<PyStr>,
    ) -> PyResult<Option<Value>> {
        // `super(M, x)` with a class `x`: a subclass of M (classmethods, `__new__`) walks
        // x's own MRO and leaves functions unbound; an instance of M (a metaclass's method
        // on the class it made) walks type(x)'s MRO and binds, like any instance.
        let class_form = matches!(obj, Value::Class(c) if crate::vm::is_subclass(c, start));
        let obj_cls = match obj {
            Value::Class(c) if class_form => c.clone(),
            _ => self.type_of(obj),
        };
        // Walk obj's MRO after `start`.
        let mut full = vec![obj_cls.clone()];
        full.extend(obj_cls.mro.iter().cloned());
        let pos = full
            .iter()
            .position(|c| Rc::ptr_eq(c, start))
            .map(|p| p + 1)
            .unwrap_or(full.len());
        for c in &full[pos..] {
            let found = Vm::table_get_str(&c.dict.borrow(), name);
            if let Some(v) = found {
                return Ok(Some(match v {
                    ref m if binds_as_method(m) => {
                        if class_form {
                            v
                        } else {
                            Value::Method(Rc::new((obj.clone(), v)))
                        }
                    }
                    Value::ClassMethod(f) => {
                        Value::Method(Rc::new((Value::Class(obj_cls.clone()), (*f).clone())))
                    }
                    Value::StaticMethod(f) => (*f).clone(),
                    Value::Property(p) => {
                        let f = p.fget.clone();
                        self.call1(&f, obj.clone())?
                    }
                    other => other,
                }));
            }
        }
        Ok(None)
    }

    /// The method-call form of attribute lookup: returns `(callable, Some(self))` when the
    /// attribute is a plain function on the type (no bound-method allocation), else
    /// `(attr, None)`.
    pub fn load_method(
        &mut self,
        obj: &Value,
        name: &Rc<PyStr>,
    ) -> PyResult<(Value, Option<Value>)> {
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(v) = self.class_lookup_cached(&cls, name)
                    && binds_as_method(&v)
                    && inst_get(inst, name).is_none()
                {
                    return Ok((v, Some(obj.clone())));
                }
                Ok((self.get_attr(obj, name)?, None))
            }
            Value::Module(_) | Value::Class(_) | Value::Super(_) => {
                Ok((self.get_attr(obj, name)?, None))
            }
            _ => {
                let cls = self.type_of(obj);
                if let Some(v @ Value::Builtin(_)) = self.class_lookup_cached(&cls, name) {
                    return Ok((v, Some(obj.clone())));
                }
                Ok((self.get_attr(obj, name)?, None))
            }
        }
    }

    pub fn set_attr(&mut self, obj: &Value, name: &Rc<PyStr>, value: Value) -> PyResult<()> {
        let interned;
        let name = if name.interned.get() {
            name
        } else {
            interned = self.intern(&name.s);
            &interned
        };
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if cls.kind == Kind::User || cls.kind == Kind::Exception {
                    // Cached: this runs on every instance attribute store.
                    if let Some(attr) = self.class_lookup_cached(&cls, name)
                        && let Value::Property(p) = attr
                    {
                        if p.fset.is_null() || p.fset.is_none() {
                            return Err(self.attr_error(format!(
                                "property '{}' of '{}' object has no setter",
                                name.s, cls.name
                            )));
                        }
                        let f = p.fset.clone();
                        self.call2(&f, obj.clone(), value)?;
                        return Ok(());
                    }
                    if cls.has_descriptors.get()
                        && let Some(d) = class_lookup_str(&cls, name)
                        && let Value::Instance(di) = &d
                    {
                        let dc = di.class.clone();
                        if let Some(setter) = self.class_lookup(&dc, "__set__") {
                            self.call3(&setter, d, obj.clone(), value)?;
                            return Ok(());
                        }
                    }
                    let setattr = self.intern_static("__setattr__");
                    // Not object's own (the store below is that), but another builtin's
                    // (`__setattr__ = dict.__setitem__`) is called like a Python one.
                    if let Some(f) = self.class_lookup_cached(&cls, &setattr)
                        && !matches!(&f, Value::Builtin(b) if b.owner == Some("object"))
                    {
                        self.call(
                            &f,
                            vec![obj.clone(), Value::Str(name.clone()), value],
                            vec![],
                        )?;
                        return Ok(());
                    }
                }
                if &*name.s == "__dict__" && cls.slots.is_none() && cls.kind != Kind::Object {
                    let Value::Dict(d) = &value else {
                        let tn = self.type_name(&value);
                        return Err(self.type_error(format!(
                            "__dict__ must be set to a dictionary, not a '{tn}'"
                        )));
                    };
                    inst.attrs.set_dict(d.clone());
                    return Ok(());
                }
                if let Some(exc) = inst.exc() {
                    match &*name.s {
                        "__cause__" => {
                            *exc.cause.borrow_mut() = value;
                            exc.suppress_context.set(true);
                            return Ok(());
                        }
                        "__context__" => {
                            *exc.context.borrow_mut() = value;
                            return Ok(());
                        }
                        "__traceback__" => return self.set_exc_traceback(exc, value),
                        "__suppress_context__" => {
                            let b = self.truthy(&value)?;
                            exc.suppress_context.set(b);
                            return Ok(());
                        }
                        "args" => {
                            let items = self.collect(&value)?;
                            *exc.args.borrow_mut() = Value::tuple(items);
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                if cls.kind == Kind::Object
                    || cls
                        .slots
                        .as_ref()
                        .is_some_and(|slots| !slots.iter().any(|s| s.s == name.s))
                {
                    return Err(self.attr_error(format!(
                            "'{}' object has no attribute '{}' and no __dict__ for setting new attributes",
                            cls.name, name.s
                        )));
                }
                inst_set(inst, name, value);
                Ok(())
            }
            Value::Class(cls) => {
                if cls.immutable() {
                    return Err(self.immutable_type(cls, name));
                }
                // The metaclass's `__setattr__`, or a data descriptor on it.
                if cls.meta.is_some() {
                    if let Some(f @ Value::Function(_)) = self.meta_dunder(cls, "__setattr__") {
                        self.call(
                            &f,
                            vec![obj.clone(), Value::Str(name.clone()), value],
                            vec![],
                        )?;
                        return Ok(());
                    }
                    if let Some(d) = self.meta_data_descriptor(cls, name) {
                        return self.meta_setattr(obj, d, name, value);
                    }
                }
                self.set_class_attr(cls, name, value);
                Ok(())
            }
            Value::Module(m) => {
                Vm::table_set_str(&mut m.dict.borrow_mut(), name.clone(), value);
                Ok(())
            }
            Value::Function(f) => {
                match &*name.s {
                    "__name__" => *f.name.borrow_mut() = value,
                    "__qualname__" => *f.qualname.borrow_mut() = value,
                    "__doc__" => *f.doc.borrow_mut() = value,
                    "__defaults__" => {
                        *f.defaults.borrow_mut() = if value.is_none() {
                            vec![]
                        } else {
                            self.collect(&value)?
                        }
                    }
                    // Read by `bind_args` for keyword-only parameters left out of a call.
                    "__kwdefaults__" => {
                        if !matches!(value, Value::None | Value::Dict(_)) {
                            return Err(self.type_error(
                                "__kwdefaults__ must be set to a dict object".to_string(),
                            ));
                        }
                        *f.kwdefaults.borrow_mut() = value;
                    }
                    _ => {
                        let mut a = f.attrs.borrow_mut();
                        match a.iter_mut().find(|(k, _)| k.s == name.s) {
                            Some(e) => e.1 = value,
                            None => a.push((name.clone(), value)),
                        }
                    }
                }
                Ok(())
            }
            _ => {
                let tn = self.type_name(obj);
                let has = self.get_attr_opt(obj, name)?.is_some();
                Err(self.attr_error(if has {
                    format!("'{tn}' object attribute '{}' is read-only", name.s)
                } else {
                    format!("'{tn}' object has no attribute '{}' and no __dict__ for setting new attributes", name.s)
                }))
            }
        }
    }

    pub fn del_attr(&mut self, obj: &Value, name: &Rc<PyStr>) -> PyResult<()> {
        if let Value::Class(cls) = obj
            && cls.meta.is_some()
            && let Some(f @ Value::Function(_)) = self.meta_dunder(&cls.clone(), "__delattr__")
        {
            self.call2(&f, obj.clone(), Value::Str(name.clone()))?;
            return Ok(());
        }
        // A class's own `__delattr__` (defining one marks the class as having descriptors);
        // object's native one is `del_attr_plain`.
        if let Value::Instance(inst) = obj
            && inst.class.has_descriptors.get()
        {
            let cls = inst.class.clone();
            if let Some(f) = self.class_lookup(&cls, "__delattr__") {
                self.call2(&f, obj.clone(), Value::Str(name.clone()))?;
                return Ok(());
            }
        }
        self.del_attr_plain(obj, name)
    }

    /// `object.__delattr__`: `del obj.name` without the class's `__delattr__`.
    pub fn del_attr_plain(&mut self, obj: &Value, name: &Rc<PyStr>) -> PyResult<()> {
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(Value::Property(p)) = class_lookup_str(&cls, name) {
                    let f = p.fdel.clone();
                    if f.is_null() || f.is_none() {
                        return Err(self.attr_error(format!(
                            "property '{}' of '{}' object has no deleter",
                            name.s, cls.name
                        )));
                    }
                    self.call1(&f, obj.clone())?;
                    return Ok(());
                }
                if inst.attrs.remove(name).is_some() {
                    return Ok(());
                }
                // An unset `__slots__` slot: CPython's message is the bare name.
                let shape = inst.attrs.shape();
                if shape.index_of(name).is_some_and(|i| i < shape.nslots()) {
                    return Err(self.attr_error(name.s.to_string()));
                }
                Err(self.no_attr(obj, name))
            }
            Value::Class(cls) => {
                if cls.immutable() {
                    return Err(self.immutable_type(cls, name));
                }
                let removed = Vm::table_del_str(&mut cls.dict.borrow_mut(), name);
                if removed.is_none() {
                    return Err(self.no_attr(obj, name));
                }
                cls.changed(false);
                Ok(())
            }
            Value::Module(m) => {
                if Vm::table_del_str(&mut m.dict.borrow_mut(), name).is_none() {
                    return Err(self.no_attr(obj, name));
                }
                Ok(())
            }
            _ => Err(self.no_attr(obj, name)),
        }
    }
}

impl Vm {
    /// `type.__setattr__`: stores into a user class's namespace (the caller checked it is
    /// mutable) and invalidates what was cached about it.
    pub(crate) fn set_class_attr(&mut self, cls: &Rc<Class>, name: &Rc<PyStr>, value: Value) {
        let desc = matches!(value, Value::Property(_) | Value::Instance(_))
            || matches!(
                &*name.s,
                "__setattr__" | "__getattribute__" | "__delattr__" | "__getattr__"
            );
        Vm::table_set_str(&mut cls.dict.borrow_mut(), name.clone(), value);
        cls.changed(desc);
    }

    /// CPython's TypeError for setting or deleting an attribute of a builtin type.
    #[cold]
    fn immutable_type(&mut self, cls: &Class, name: &PyStr) -> crate::PyErr {
        self.type_error(format!(
            "cannot set '{}' attribute of immutable type '{}'",
            name.s, cls.name
        ))
    }
}

impl Class {
    /// Whether the class's attributes are fixed, as CPython's static types are: every
    /// builtin type but `random.Random`, which CPython defines in Python.
    fn immutable(&self) -> bool {
        !self.is_user_defined() && self.kind != Kind::Random
    }
}

/// Whether a class attribute `v` becomes a bound method when looked up on an instance: a
/// Python function, or a builtin type's method (a method descriptor, which has an owner).
/// A builtin function (`len`, `math.sqrt`) stored on a class is returned as it is, as in
/// CPython, where builtin functions are not descriptors.
pub(crate) fn binds_as_method(v: &Value) -> bool {
    match v {
        Value::Function(_) => true,
        Value::Builtin(b) => b.owner.is_some() && b.bound.is_none(),
        _ => false,
    }
}

pub fn class_lookup_str(cls: &Rc<Class>, name: &PyStr) -> Option<Value> {
    if let Some(v) = Vm::table_get_str(&cls.dict.borrow(), name) {
        return Some(v);
    }
    for c in &cls.mro {
        if let Some(v) = Vm::table_get_str(&c.dict.borrow(), name) {
            return Some(v);
        }
    }
    None
}

/// The instance attribute `name` (no class lookup), `None` when absent.
#[inline]
pub fn inst_get(inst: &Instance, name: &Rc<PyStr>) -> Option<Value> {
    inst.attrs.get(name)
}

/// Stores an instance attribute, with no descriptor, `__setattr__` or `__slots__` checks.
/// `name` must be interned (`Vm::intern`): shapes compare names by address.
#[inline]
pub fn inst_set(inst: &Instance, name: &Rc<PyStr>, value: Value) {
    debug_assert!(
        name.interned.get(),
        "instance attribute names must be interned"
    );
    inst.attrs.set(&inst.class.layout.hint, name, value);
}
