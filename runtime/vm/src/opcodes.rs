//! Bodies of the opcodes that are too long for the dispatch loop: raise, exception matching,
//! `with` entry, intrinsics, dict merging, imports.

use crate::frame::Frame;
use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm, is_subclass};
use std::rc::Rc;
use vigil_compiler::bytecode::intrinsic1;

impl Vm {
    /// Turns a raised value (class or instance) into an exception instance.
    pub fn make_raisable(&mut self, v: Value) -> PyResult<Value> {
        match &v {
            Value::Class(c) if c.kind == Kind::Exception => {
                let c = c.clone();
                let e = self.call_class(&c, vec![], vec![])?;
                if !matches!(&e, Value::Instance(i) if i.exc().is_some()) {
                    let tn = self.type_name(&e);
                    return Err(self.type_error(format!(
                        "calling {} should have returned an instance of BaseException, not {tn}",
                        c.name
                    )));
                }
                Ok(e)
            }
            Value::Instance(i) if i.exc().is_some() => Ok(v),
            _ => Err(self.type_error("exceptions must derive from BaseException")),
        }
    }

    pub fn do_raise(&mut self, f: &mut Frame, argc: usize) -> PyErr {
        match argc {
            0 => {
                let cur = self.handled_exc();
                if cur.is_null() {
                    return self.err("RuntimeError", "No active exception to reraise");
                }
                self.reraising = true;
                PyErr(cur)
            }
            1 => {
                let v = f.slots.pop().unwrap_or_default();
                match self.make_raisable(v) {
                    Ok(e) => PyErr(e),
                    Err(e) => e,
                }
            }
            _ => {
                let cause = f.slots.pop().unwrap_or_default();
                let v = f.slots.pop().unwrap_or_default();
                let e = match self.make_raisable(v) {
                    Ok(e) => e,
                    Err(e) => return e,
                };
                let cause = match cause {
                    Value::None => Value::None,
                    other => match self.make_raisable(other) {
                        Ok(c) => c,
                        Err(_) => {
                            return self
                                .type_error("exception causes must derive from BaseException");
                        }
                    },
                };
                if let Value::Instance(i) = &e
                    && let Some(x) = i.exc()
                {
                    *x.cause.borrow_mut() = cause;
                    x.suppress_context.set(true);
                }
                PyErr(e)
            }
        }
    }

    /// `except T:` matching; T may be a class or a tuple of classes.
    pub fn exception_match(&mut self, e: &Value, t: &Value) -> PyResult<bool> {
        let ecls = self.type_of(e);
        match t {
            Value::Class(c) => {
                if c.kind != Kind::Exception {
                    return Err(self.type_error(
                        "catching classes that do not inherit from BaseException is not allowed",
                    ));
                }
                Ok(is_subclass(&ecls, c))
            }
            Value::Tuple(ts) => {
                for x in ts.iter() {
                    if self.exception_match(e, x)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(self.type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    }

    pub fn before_with(&mut self, mgr: &Value) -> PyResult<(Value, Value)> {
        let cls = self.type_of(mgr);
        let enter = self.class_lookup(&cls, "__enter__");
        let exit = self.class_lookup(&cls, "__exit__");
        let (Some(enter), Some(exit)) = (enter, exit) else {
            let missing = if self.class_lookup(&cls, "__enter__").is_none() {
                ""
            } else {
                " (missed __exit__ method)"
            };
            return Err(self.type_error(format!(
                "'{}' object does not support the context manager protocol{missing}",
                cls.name
            )));
        };
        let exit_b = self.bind(exit, mgr, &cls);
        let r = self.call1(&enter, mgr.clone())?;
        Ok((exit_b, r))
    }

    pub fn intrinsic1(&mut self, n: u32, v: Value, f: &mut Frame) -> PyResult<Value> {
        match n {
            intrinsic1::UNARY_POSITIVE => self.unary_pos(&v),
            intrinsic1::LIST_TO_TUPLE => match v {
                Value::List(l) => Ok(Value::tuple(l.borrow().clone())),
                other => Ok(other),
            },
            intrinsic1::STOPITERATION_ERROR => {
                if self.exc_matches(&v, "StopIteration") {
                    let what =
                        if f.code().flags & vigil_compiler::bytecode::co_flags::COROUTINE != 0 {
                            "coroutine"
                        } else {
                            "generator"
                        };
                    let e = self.err("RuntimeError", format!("{what} raised StopIteration"));
                    if let Value::Instance(i) = &e.0
                        && let Some(x) = i.exc()
                    {
                        *x.cause.borrow_mut() = v.clone();
                        *x.context.borrow_mut() = v;
                        x.suppress_context.set(true);
                    }
                    Ok(e.0)
                } else {
                    Ok(v)
                }
            }
            intrinsic1::IMPORT_STAR => {
                if let Value::Module(m) = &v {
                    let target = f.locals_dict.clone().unwrap_or_else(|| f.globals().clone());
                    let items: Vec<(Value, Value)> = m
                        .dict
                        .borrow()
                        .iter()
                        .map(|e| (e.key.clone(), e.value.clone()))
                        .collect();
                    for (k, val) in items {
                        if let Value::Str(s) = &k
                            && !s.s.starts_with('_')
                        {
                            Vm::table_set_str(&mut target.borrow_mut(), s.clone(), val);
                        }
                    }
                }
                Ok(Value::None)
            }
            intrinsic1::PRINT => {
                if !v.is_none() {
                    let r = self.repr(&v)?;
                    self.write_out(&r);
                    self.write_out("\n");
                }
                Ok(Value::None)
            }
            _ => Err(self.err("SystemError", format!("unsupported intrinsic {n}"))),
        }
    }

    pub fn dict_update_from(
        &mut self,
        target: &Value,
        src: &Value,
        merge: bool,
        _f: &Frame,
    ) -> PyResult<()> {
        let Value::Dict(t) = target else {
            return Ok(());
        };
        let t = t.clone();
        let plain;
        let src = match self.plain_dict_of(src) {
            Some(b) => {
                plain = b;
                &plain
            }
            None => src,
        };
        let pairs: Vec<(Value, Value)> = match src {
            Value::Dict(d) => d
                .borrow()
                .iter()
                .map(|e| (e.key.clone(), e.value.clone()))
                .collect(),
            _ => {
                let n = self.intern("keys");
                let Some(keys) = self.get_attr_opt(src, &n)? else {
                    let tn = self.type_name(src);
                    return Err(self.type_error(if merge {
                        format!("argument after ** must be a mapping, not {tn}")
                    } else {
                        format!("'{tn}' object is not a mapping")
                    }));
                };
                let ks = self.call(&keys, vec![], vec![])?;
                let ks = self.collect(&ks)?;
                let mut out = Vec::new();
                for k in ks {
                    let v = self.getitem(src, &k)?;
                    out.push((k, v));
                }
                out
            }
        };
        for (k, v) in pairs {
            if merge && self.table_find(&t, &k)?.1.is_some() {
                let ks = self.to_str(&k)?;
                return Err(self.type_error(format!(
                    "function got multiple values for keyword argument '{ks}'"
                )));
            }
            self.table_set(&t, k, v)?;
        }
        Ok(())
    }

    pub fn import_name(&mut self, name: &str, fromlist: &Value, level: &Value) -> PyResult<Value> {
        if let Value::Int(l) = level
            && *l > 0
        {
            return Err(self.err(
                "ImportError",
                "attempted relative import with no known parent package",
            ));
        }
        let m = match self.import_module(name)? {
            Some(m) => m,
            None => {
                let e = self.err("ModuleNotFoundError", format!("No module named '{name}'"));
                return Err(e);
            }
        };
        let has_from = match fromlist {
            Value::Tuple(t) => !t.is_empty(),
            Value::None => false,
            _ => true,
        };
        if !has_from && name.contains('.') {
            let top = name.split('.').next().unwrap_or(name);
            return Ok(self.import_module(top)?.unwrap_or(m));
        }
        Ok(m)
    }

    /// Loads a module by dotted name: builtin modules first, then a sibling `.py` file of
    /// the main script. Returns None when not found.
    pub fn import_module(&mut self, name: &str) -> PyResult<Option<Value>> {
        if let Some(m) = self.modules.get(name) {
            return Ok(Some(m.clone()));
        }
        if let Some(m) = crate::modules::make_builtin_module(self, name)? {
            self.modules.insert(name.to_string(), m.clone());
            return Ok(Some(m));
        }
        if name.contains('.') {
            return Ok(None);
        }
        let (src, filename) = match crate::modules::pylib_source(name) {
            Some(src) => (src.to_string(), format!("<vigil-lib>/{name}.py")),
            None => {
                let Some(dir) = self.script_dir.clone() else {
                    return Ok(None);
                };
                let path = dir.join(format!("{name}.py"));
                let Ok(src) = std::fs::read_to_string(&path) else {
                    return Ok(None);
                };
                (src, path.to_string_lossy().to_string())
            }
        };
        let code = match vigil_compiler::compile(&src, &filename, vigil_compiler::Mode::Exec) {
            Ok(c) => c,
            Err(e) => return Err(self.compile_error_to_exc(&e)),
        };
        self.sources
            .insert(filename.clone(), Rc::from(src.as_str()));
        let module = self.new_module(name);
        if let Value::Module(md) = &module {
            let f = self.intern("__file__");
            Vm::table_set_str(&mut md.dict.borrow_mut(), f, Value::string(filename));
        }
        self.modules.insert(name.to_string(), module.clone());
        if let Value::Module(md) = &module {
            let md = md.clone();
            if let Err(e) = self.run_module_code(&code, &md) {
                self.modules.remove(name);
                return Err(e);
            }
        }
        Ok(Some(module))
    }

    pub fn compile_error_to_exc(&mut self, e: &vigil_compiler::CompileError) -> PyErr {
        let kind = e.kind();
        self.err(kind, e.message())
    }
}
