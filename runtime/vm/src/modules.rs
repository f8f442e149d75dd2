//! Builtin modules: sys, math, random, io (StringIO), types, array, time, collections /
//! collections.abc and typing (names only, for annotations and isinstance-free use), plus
//! `open()` for text and binary files. Each module is a plain `Module` whose dict holds
//! native functions; the module table is consulted by `import_module` before sibling files.

use crate::argsig::{Count, Sig, VAR, bind, check, check_method};
use crate::builtins::{Kw, check_args, kwarg};
use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

fn set(vm: &mut Vm, m: &Value, name: &str, v: Value) {
    if let Value::Module(md) = m {
        let n = vm.intern(name);
        Vm::table_set_str(&mut md.dict.borrow_mut(), n, v);
    }
}

fn func(name: &'static str, f: NativeFn) -> Value {
    Value::Builtin(Rc::new(Builtin {
        name,
        f,
        bound: None,
        owner: None,
    }))
}

fn add_fns(vm: &mut Vm, m: &Value, fns: &[(&'static str, NativeFn)]) {
    for (n, f) in fns {
        set(vm, m, n, func(n, *f));
    }
}

fn std_stream(vm: &mut Vm, fd: i64) -> Value {
    let cls = match vm.modules.get("__stdstream_class") {
        Some(Value::Class(c)) => c.clone(),
        _ => {
            let ns = Rc::new(RefCell::new(crate::dict::Table::new()));
            let obj = vm.types.object.clone();
            let c = vm
                .new_class("_StdStream", vec![obj], ns)
                .unwrap_or_else(|_| vm.types.object.clone());
            let write: NativeFn = |vm, a, _| {
                let s = match a.get(1) {
                    Some(Value::Str(s)) => s.s.to_string(),
                    Some(v) => {
                        let tn = vm.type_name(v);
                        return Err(
                            vm.type_error(format!("write() argument must be str, not {tn}"))
                        );
                    }
                    None => String::new(),
                };
                let n = s.chars().count();
                let fdn = vm.intern("fd");
                let fd = match &a[0] {
                    Value::Instance(i) => crate::attr::inst_get(i, &fdn),
                    _ => None,
                };
                if matches!(fd, Some(Value::Int(2))) {
                    vm.write_err(&s);
                } else {
                    vm.write_out(&s);
                }
                Ok(Value::Int(n as i64))
            };
            let flush: NativeFn = |vm, _a, _| {
                vm.flush();
                Ok(Value::None)
            };
            // Methods (owned, so they bind), as CPython's `sys.stdout` is a TextIOWrapper.
            vm.add_methods(
                &c,
                "TextIOWrapper",
                vec![("write", write), ("flush", flush)],
            );
            vm.modules
                .insert("__stdstream_class".into(), Value::Class(c.clone()));
            c
        }
    };
    let inst = vm.new_instance(&cls, &[]);
    if let Value::Instance(i) = &inst {
        let n = vm.intern("fd");
        crate::attr::inst_set(i, &n, Value::Int(fd));
    }
    inst
}

/// Standard-library modules vigil implements in Python (compiled on first import).
pub fn pylib_source(name: &str) -> Option<&'static str> {
    Some(match name {
        "itertools" => include_str!("pylib/itertools.py"),
        "functools" => include_str!("pylib/functools.py"),
        "collections" => include_str!("pylib/collections.py"),
        "dataclasses" => include_str!("pylib/dataclasses.py"),
        "string" => include_str!("pylib/string.py"),
        "operator" => include_str!("pylib/operator.py"),
        "heapq" => include_str!("pylib/heapq.py"),
        "bisect" => include_str!("pylib/bisect.py"),
        "copy" => include_str!("pylib/copy.py"),
        "json" => include_str!("pylib/json.py"),
        "traceback" => include_str!("pylib/traceback.py"),
        "re" => include_str!("pylib/re.py"),
        "abc" => include_str!("pylib/abc.py"),
        "enum" => include_str!("pylib/enum.py"),
        "contextlib" => include_str!("pylib/contextlib.py"),
        "textwrap" => include_str!("pylib/textwrap.py"),
        _ => return None,
    })
}

pub fn make_builtin_module(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    if name == "builtins" {
        // The module's dict is the very table name lookup falls back to, so reading
        // `builtins.len` and rebinding `builtins.print` behave as in CPython (the globals
        // cache checks the table's version, so a rebinding is seen at the next lookup).
        let n = vm.intern("__name__");
        Vm::table_set_str(&mut vm.builtins.borrow_mut(), n, Value::str("builtins"));
        return Ok(Some(Value::Module(Rc::new(Module {
            name: name.to_string(),
            dict: vm.builtins.clone(),
        }))));
    }
    let m = vm.new_module(name);
    match name {
        "sys" => {
            let argv = Value::list(vm.argv.iter().map(|a| Value::str(a)).collect());
            set(vm, &m, "argv", argv);
            let so = std_stream(vm, 1);
            let se = std_stream(vm, 2);
            set(vm, &m, "stdout", so.clone());
            set(vm, &m, "stderr", se.clone());
            set(vm, &m, "__stdout__", so);
            set(vm, &m, "__stderr__", se);
            set(vm, &m, "maxsize", Value::Int(i64::MAX));
            set(vm, &m, "byteorder", Value::str("little"));
            set(vm, &m, "platform", Value::str("linux"));
            set(vm, &m, "implementation", Value::str("vigil"));
            set(vm, &m, "version", Value::str("3.13.0 (vigil)"));
            set(
                vm,
                &m,
                "version_info",
                Value::tuple(vec![
                    Value::Int(3),
                    Value::Int(13),
                    Value::Int(0),
                    Value::str("final"),
                    Value::Int(0),
                ]),
            );
            let mods = vm.new_dict();
            set(vm, &m, "modules", mods);
            set(vm, &m, "path", Value::list(vec![]));
            add_fns(
                vm,
                &m,
                &[
                    ("exit", |vm, a, kw| {
                        sig_expected(vm, a, kw, "sys.exit", "exit", 0, 1)?;
                        let cls = vm.exc_class("SystemExit");
                        let e = vm.make_exc(&cls, a.to_vec());
                        Err(crate::vm::PyErr(e))
                    }),
                    ("getrecursionlimit", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "sys.getrecursionlimit")?;
                        Ok(Value::Int(vm.recursion_limit as i64))
                    }),
                    ("setrecursionlimit", |vm, a, kw| {
                        sig_one(vm, a, kw, "sys.setrecursionlimit")?;
                        let n = vm.index_value(&a[0])?;
                        if n < 1 {
                            return Err(
                                vm.value_error("recursion limit must be greater or equal than 1")
                            );
                        }
                        // Keep the Rust stack safe: the interpreter thread's stack bounds depth.
                        vm.recursion_limit = (n as usize).min(crate::MAX_DEPTH);
                        Ok(Value::None)
                    }),
                    ("_getframe", |vm, a, kw| {
                        if !kw.is_empty() {
                            return Err(vm.type_error("_getframe() takes no keyword arguments"));
                        }
                        check_args(vm, "_getframe", a, 0, 1)?;
                        let depth = match a.first() {
                            Some(v) => vm.index_value(v)?,
                            None => 0,
                        };
                        vm.getframe(depth)
                    }),
                    ("exc_info", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "sys.exc_info")?;
                        let e = vm.handled_exc();
                        if e.is_null() {
                            return Ok(Value::tuple(vec![Value::None, Value::None, Value::None]));
                        }
                        let t = Value::Class(vm.type_of(&e));
                        let tb = vm.exc_traceback(&e);
                        Ok(Value::tuple(vec![t, e, tb]))
                    }),
                    ("exception", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "sys.exception")?;
                        let e = vm.handled_exc();
                        Ok(if e.is_null() { Value::None } else { e })
                    }),
                    ("getsizeof", |_vm, _a, _| Ok(Value::Int(64))),
                    ("intern", |vm, a, kw| {
                        sig_one(vm, a, kw, "sys.intern")?;
                        match &a[0] {
                            Value::Str(_) => Ok(a[0].clone()),
                            v => {
                                let tn = vm.type_name(v);
                                Err(vm
                                    .type_error(format!("intern() argument must be str, not {tn}")))
                            }
                        }
                    }),
                    ("get_int_max_str_digits", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "sys.get_int_max_str_digits")?;
                        Ok(Value::Int(4300))
                    }),
                ],
            );
            #[cfg(feature = "monitoring")]
            crate::monitoring::guest::install_sys(vm, &m)?;
        }
        "math" => {
            set(vm, &m, "pi", Value::Float(std::f64::consts::PI));
            set(vm, &m, "e", Value::Float(std::f64::consts::E));
            set(vm, &m, "tau", Value::Float(std::f64::consts::TAU));
            set(vm, &m, "inf", Value::Float(f64::INFINITY));
            set(vm, &m, "nan", Value::Float(f64::NAN));
            add_fns(
                vm,
                &m,
                &[
                    ("sqrt", |vm, a, kw| {
                        math1(vm, a, kw, "math.sqrt", f64::sqrt, |x| x >= 0.0)
                    }),
                    ("exp", |vm, a, kw| {
                        math1(vm, a, kw, "math.exp", f64::exp, |_| true)
                    }),
                    ("sin", |vm, a, kw| {
                        math1(vm, a, kw, "math.sin", f64::sin, |x| {
                            x.is_finite() || x.is_nan()
                        })
                    }),
                    ("cos", |vm, a, kw| {
                        math1(vm, a, kw, "math.cos", f64::cos, |x| {
                            x.is_finite() || x.is_nan()
                        })
                    }),
                    ("tan", |vm, a, kw| {
                        math1(vm, a, kw, "math.tan", f64::tan, |x| {
                            x.is_finite() || x.is_nan()
                        })
                    }),
                    ("asin", |vm, a, kw| {
                        math1(vm, a, kw, "math.asin", f64::asin, |x| {
                            (-1.0..=1.0).contains(&x)
                        })
                    }),
                    ("acos", |vm, a, kw| {
                        math1(vm, a, kw, "math.acos", f64::acos, |x| {
                            (-1.0..=1.0).contains(&x)
                        })
                    }),
                    ("atan", |vm, a, kw| {
                        math1(vm, a, kw, "math.atan", f64::atan, |_| true)
                    }),
                    ("sinh", |vm, a, kw| {
                        math1(vm, a, kw, "math.sinh", f64::sinh, |_| true)
                    }),
                    ("cosh", |vm, a, kw| {
                        math1(vm, a, kw, "math.cosh", f64::cosh, |_| true)
                    }),
                    ("tanh", |vm, a, kw| {
                        math1(vm, a, kw, "math.tanh", f64::tanh, |_| true)
                    }),
                    ("fabs", |vm, a, kw| {
                        math1(vm, a, kw, "math.fabs", f64::abs, |_| true)
                    }),
                    ("log2", |vm, a, kw| {
                        math1(vm, a, kw, "math.log2", f64::log2, |x| x > 0.0)
                    }),
                    ("log10", |vm, a, kw| {
                        math1(vm, a, kw, "math.log10", f64::log10, |x| x > 0.0)
                    }),
                    ("log", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.log", "log", 1, 2)?;
                        let x = num(vm, &a[0])?;
                        if x <= 0.0 {
                            return Err(vm.value_error("expected a positive input"));
                        }
                        let mut r = x.ln();
                        if let Some(b) = a.get(1) {
                            let b = num(vm, b)?;
                            if b <= 0.0 {
                                return Err(vm.value_error("expected a positive input"));
                            }
                            r /= b.ln();
                        }
                        Ok(Value::Float(r))
                    }),
                    ("atan2", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.atan2", "atan2", 2, 2)?;
                        Ok(Value::Float(num(vm, &a[0])?.atan2(num(vm, &a[1])?)))
                    }),
                    ("pow", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.pow", "pow", 2, 2)?;
                        let (x, y) = (num(vm, &a[0])?, num(vm, &a[1])?);
                        vigil_support::pow_f64(x, y)
                            .map(Value::Float)
                            .map_err(|e| vm.support_err(e))
                    }),
                    ("hypot", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.hypot", "hypot", 0, VAR)?;
                        let mut acc = 0.0f64;
                        for x in a {
                            let v = num(vm, x)?;
                            acc = acc.hypot(v);
                        }
                        Ok(Value::Float(acc))
                    }),
                    ("floor", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.floor")?;
                        round_to_int(vm, a, f64::floor, "__floor__")
                    }),
                    ("ceil", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.ceil")?;
                        round_to_int(vm, a, f64::ceil, "__ceil__")
                    }),
                    ("trunc", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.trunc")?;
                        round_to_int(vm, a, f64::trunc, "__trunc__")
                    }),
                    ("isnan", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.isnan")?;
                        Ok(Value::Bool(num(vm, &a[0])?.is_nan()))
                    }),
                    ("isinf", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.isinf")?;
                        Ok(Value::Bool(num(vm, &a[0])?.is_infinite()))
                    }),
                    ("isfinite", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.isfinite")?;
                        Ok(Value::Bool(num(vm, &a[0])?.is_finite()))
                    }),
                    ("copysign", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.copysign", "copysign", 2, 2)?;
                        Ok(Value::Float(num(vm, &a[0])?.copysign(num(vm, &a[1])?)))
                    }),
                    ("fmod", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.fmod", "fmod", 2, 2)?;
                        let (x, y) = (num(vm, &a[0])?, num(vm, &a[1])?);
                        if y == 0.0 {
                            return Err(vm.value_error("math domain error"));
                        }
                        Ok(Value::Float(x % y))
                    }),
                    ("degrees", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.degrees")?;
                        Ok(Value::Float(num(vm, &a[0])?.to_degrees()))
                    }),
                    ("radians", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.radians")?;
                        Ok(Value::Float(num(vm, &a[0])?.to_radians()))
                    }),
                    ("isclose", |vm, a, kw| {
                        static SIG: Sig = Sig::clinic(
                            "isclose",
                            Count::Clinic,
                            &["a", "b"],
                            0,
                            2,
                            &["rel_tol", "abs_tol"],
                        );
                        let a = &*bind(vm, &SIG, a, kw)?;
                        let (x, y) = (num(vm, &a[0])?, num(vm, &a[1])?);
                        let rel = match kwarg(kw, "rel_tol") {
                            Some(v) => num(vm, &v)?,
                            None => 1e-9,
                        };
                        let abs = match kwarg(kw, "abs_tol") {
                            Some(v) => num(vm, &v)?,
                            None => 0.0,
                        };
                        if rel < 0.0 || abs < 0.0 {
                            return Err(vm.value_error("tolerances must be non-negative"));
                        }
                        if x == y {
                            return Ok(Value::Bool(true));
                        }
                        if x.is_infinite() || y.is_infinite() {
                            return Ok(Value::Bool(false));
                        }
                        let d = (x - y).abs();
                        Ok(Value::Bool(
                            d <= (rel * y).abs() || d <= (rel * x).abs() || d <= abs,
                        ))
                    }),
                    ("gcd", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.gcd", "gcd", 0, VAR)?;
                        let mut g = num_bigint::BigInt::from(0);
                        for x in a {
                            let b = crate::ops::int_like(x)
                                .ok_or_else(|| vm.type_error("gcd() requires integers"))?;
                            g = num_integer::Integer::gcd(&g, &b);
                        }
                        Ok(Value::from_bigint(g))
                    }),
                    ("factorial", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.factorial")?;
                        let n = vm.index_value(&a[0])?;
                        if n < 0 {
                            return Err(
                                vm.value_error("factorial() not defined for negative values")
                            );
                        }
                        let mut r = num_bigint::BigInt::from(1);
                        for i in 2..=n {
                            r *= i;
                        }
                        Ok(Value::from_bigint(r))
                    }),
                    ("isqrt", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.isqrt")?;
                        let b = crate::ops::int_like(&a[0])
                            .ok_or_else(|| vm.type_error("isqrt() requires an integer"))?;
                        if num_traits::Signed::is_negative(&b) {
                            return Err(vm.value_error("isqrt() argument must be nonnegative"));
                        }
                        Ok(Value::from_bigint(b.sqrt()))
                    }),
                    ("fsum", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.fsum")?;
                        let items = vm.collect(&a[0])?;
                        let mut fs = Vec::with_capacity(items.len());
                        for x in &items {
                            fs.push(num(vm, x)?);
                        }
                        Ok(Value::Float(fsum(&fs)))
                    }),
                    ("cbrt", |vm, a, kw| {
                        math1(vm, a, kw, "math.cbrt", f64::cbrt, |_| true)
                    }),
                    ("exp2", |vm, a, kw| {
                        math1(vm, a, kw, "math.exp2", f64::exp2, |_| true)
                    }),
                    ("expm1", |vm, a, kw| {
                        math1(vm, a, kw, "math.expm1", f64::exp_m1, |_| true)
                    }),
                    ("log1p", |vm, a, kw| {
                        math1(vm, a, kw, "math.log1p", f64::ln_1p, |x| {
                            x > -1.0 || x.is_nan()
                        })
                    }),
                    ("asinh", |vm, a, kw| {
                        math1(vm, a, kw, "math.asinh", f64::asinh, |_| true)
                    }),
                    ("acosh", |vm, a, kw| {
                        math1(vm, a, kw, "math.acosh", f64::acosh, |x| {
                            x >= 1.0 || x.is_nan()
                        })
                    }),
                    ("atanh", |vm, a, kw| {
                        math1(vm, a, kw, "math.atanh", f64::atanh, |x| {
                            (x > -1.0 && x < 1.0) || x.is_nan()
                        })
                    }),
                    ("modf", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.modf")?;
                        let x = num(vm, &a[0])?;
                        let (frac, whole) = if x.is_infinite() {
                            (0.0f64.copysign(x), x)
                        } else {
                            (x.fract().copysign(x), x.trunc())
                        };
                        Ok(Value::tuple(vec![Value::Float(frac), Value::Float(whole)]))
                    }),
                    ("frexp", |vm, a, kw| {
                        sig_one(vm, a, kw, "math.frexp")?;
                        let (m, e) = frexp(num(vm, &a[0])?);
                        Ok(Value::tuple(vec![Value::Float(m), Value::Int(e)]))
                    }),
                    ("ldexp", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.ldexp", "ldexp", 2, 2)?;
                        let x = num(vm, &a[0])?;
                        let e = match crate::ops::int_like(&a[1]) {
                            Some(e) => e,
                            None => {
                                return Err(
                                    vm.type_error("Expected an int as second argument to ldexp.")
                                );
                            }
                        };
                        // Exponents beyond ±2200 over- or underflow every finite double.
                        let e = num_traits::ToPrimitive::to_i64(&e)
                            .unwrap_or(if num_traits::Signed::is_negative(&e) {
                                -4000
                            } else {
                                4000
                            })
                            .clamp(-4000, 4000) as i32;
                        let r = ldexp(x, e);
                        if r.is_infinite() && x.is_finite() {
                            return Err(vm.err("OverflowError", "math range error"));
                        }
                        Ok(Value::Float(r))
                    }),
                    ("lcm", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.lcm", "lcm", 0, VAR)?;
                        let mut l = num_bigint::BigInt::from(1);
                        for x in a {
                            let b = int_arg(vm, x)?;
                            l = num_integer::Integer::lcm(&l, &b);
                        }
                        Ok(Value::from_bigint(l))
                    }),
                    ("comb", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.comb", "comb", 2, 2)?;
                        let (n, k) = (int_arg(vm, &a[0])?, int_arg(vm, &a[1])?);
                        comb_perm(vm, n, Some(k), true)
                    }),
                    ("perm", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.perm", "perm", 1, 2)?;
                        let n = int_arg(vm, &a[0])?;
                        let k = match a.get(1) {
                            None | Some(Value::None) => None,
                            Some(v) => Some(int_arg(vm, v)?),
                        };
                        comb_perm(vm, n, k, false)
                    }),
                    ("dist", |vm, a, kw| {
                        sig_expected(vm, a, kw, "math.dist", "dist", 2, 2)?;
                        let p = vm.collect(&a[0])?;
                        let q = vm.collect(&a[1])?;
                        if p.len() != q.len() {
                            return Err(vm.value_error(
                                "both points must have the same number of dimensions",
                            ));
                        }
                        let mut acc = 0.0f64;
                        for (x, y) in p.iter().zip(&q) {
                            let d = num(vm, x)? - num(vm, y)?;
                            acc = acc.hypot(d);
                        }
                        Ok(Value::Float(acc))
                    }),
                    ("prod", |vm, a, kw| {
                        static SIG: Sig =
                            Sig::clinic("prod", Count::Clinic, &["iterable"], 1, 1, &["start"]);
                        check(vm, &SIG, a, kw)?;
                        let items = vm.collect(&a[0])?;
                        let mut acc = kwarg(kw, "start").unwrap_or(Value::Int(1));
                        for x in items {
                            acc = vm.binary_op(&acc, &x, crate::ops::BinOp::Mul, false)?;
                        }
                        Ok(acc)
                    }),
                ],
            );
        }
        "random" => {
            let r = Value::Random(Rc::new(RefCell::new(vigil_support::Random::from_int(
                &num_bigint::BigInt::from(0),
            ))));
            if let Value::Random(rr) = &r {
                rr.borrow_mut().seed_entropy();
            }
            set(vm, &m, "Random", Value::Class(vm.types.random.clone()));
            for (n, f) in random_methods() {
                set(
                    vm,
                    &m,
                    n,
                    Value::Builtin(Rc::new(Builtin {
                        name: n,
                        f,
                        bound: Some(r.clone()),
                        owner: None,
                    })),
                );
            }
        }
        "_vigil_re" => add_fns(vm, &m, &crate::re::functions()),
        "io" | "_io" => {
            set(vm, &m, "StringIO", Value::Class(vm.types.stringio.clone()));
        }
        "array" => {
            set(vm, &m, "array", Value::Class(vm.types.array.clone()));
        }
        "time" => {
            add_fns(
                vm,
                &m,
                &[
                    ("time", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "time.time")?;
                        Ok(Value::Float(
                            std::time::SystemTime::now()
                                .duration_since(std::time::UNIX_EPOCH)
                                .map(|d| d.as_secs_f64())
                                .unwrap_or(0.0),
                        ))
                    }),
                    ("perf_counter", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "time.perf_counter")?;
                        Ok(Value::Float(perf_now()))
                    }),
                    ("monotonic", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "time.monotonic")?;
                        Ok(Value::Float(perf_now()))
                    }),
                    ("process_time", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "time.process_time")?;
                        Ok(Value::Float(perf_now()))
                    }),
                    ("time_ns", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "time.time_ns")?;
                        let ns = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map(|d| d.as_nanos())
                            .unwrap_or(0);
                        Ok(Value::Int(ns as i64))
                    }),
                    ("perf_counter_ns", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "time.perf_counter_ns")?;
                        Ok(Value::Int((perf_now() * 1e9) as i64))
                    }),
                    ("monotonic_ns", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "time.monotonic_ns")?;
                        Ok(Value::Int((perf_now() * 1e9) as i64))
                    }),
                    ("sleep", |vm, a, kw| {
                        sig_one(vm, a, kw, "time.sleep")?;
                        let secs = match &a[0] {
                            Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::Big(_) => {
                                num(vm, &a[0])?
                            }
                            other => {
                                let tn = vm.type_name(other);
                                return Err(vm.type_error(format!(
                                    "'{tn}' object cannot be interpreted as an integer"
                                )));
                            }
                        };
                        if secs.is_nan() {
                            return Err(vm.value_error("Invalid value NaN (not a number)"));
                        }
                        if secs < 0.0 {
                            return Err(vm.value_error("sleep length must be non-negative"));
                        }
                        if !secs.is_finite() || secs > 9.2e9 {
                            return Err(vm.err(
                                "OverflowError",
                                "timestamp out of range for platform time_t",
                            ));
                        }
                        std::thread::sleep(std::time::Duration::from_secs_f64(secs));
                        Ok(Value::None)
                    }),
                ],
            );
        }
        "gc" => {
            add_fns(
                vm,
                &m,
                &[
                    ("collect", |_vm, _a, _| Ok(Value::Int(0))),
                    ("disable", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "gc.disable")?;
                        Ok(Value::None)
                    }),
                    ("enable", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "gc.enable")?;
                        Ok(Value::None)
                    }),
                ],
            );
        }
        "types" => {
            let t = &vm.types;
            let pairs: Vec<(&str, Rc<Class>)> = vec![
                ("FunctionType", t.function.clone()),
                ("LambdaType", t.function.clone()),
                ("BuiltinFunctionType", t.builtin.clone()),
                ("BuiltinMethodType", t.builtin.clone()),
                ("MethodDescriptorType", t.method_descriptor.clone()),
                ("MethodType", t.method.clone()),
                ("GeneratorType", t.generator.clone()),
                ("CoroutineType", t.coroutine.clone()),
                ("ModuleType", t.module.clone()),
                ("CodeType", t.code.clone()),
                ("CellType", t.cell.clone()),
                ("NoneType", t.none.clone()),
                ("EllipsisType", t.ellipsis.clone()),
                ("NotImplementedType", t.notimpl.clone()),
            ];
            for (n, c) in pairs {
                set(vm, &m, n, Value::Class(c));
            }
            add_fns(
                vm,
                &m,
                &[
                    ("coroutine", |_vm, a, _| {
                        Ok(a.first().cloned().unwrap_or(Value::None))
                    }),
                    ("SimpleNamespace", |vm, _a, kw| {
                        let ns = Rc::new(RefCell::new(crate::dict::Table::new()));
                        let obj = vm.types.object.clone();
                        let c = vm.new_class("SimpleNamespace", vec![obj], ns)?;
                        let inst = vm.new_instance(&c, &[]);
                        if let Value::Instance(i) = &inst {
                            for (k, v) in kw {
                                let k = vm.intern(&k.s);
                                crate::attr::inst_set(i, &k, v.clone());
                            }
                        }
                        Ok(inst)
                    }),
                ],
            );
        }
        "collections.abc" | "typing" => {
            // Names used in annotations and as base classes; they behave as plain classes.
            let names: &[&str] = &[
                "Iterator",
                "Iterable",
                "Generator",
                "Callable",
                "Sequence",
                "Mapping",
                "MutableMapping",
                "MutableSequence",
                "Set",
                "MutableSet",
                "Hashable",
                "Sized",
                "Container",
                "Awaitable",
                "Coroutine",
                "AsyncIterator",
                "AsyncIterable",
                "Any",
                "Optional",
                "Union",
                "List",
                "Dict",
                "Tuple",
                "Type",
                "TypeVar",
                "Generic",
                "Protocol",
                "ClassVar",
                "Final",
                "Literal",
                "ABC",
                "NamedTuple",
                "Self",
                "TYPE_CHECKING",
            ];
            for n in names {
                if *n == "TYPE_CHECKING" {
                    set(vm, &m, n, Value::Bool(false));
                    continue;
                }
                let ns = Rc::new(RefCell::new(crate::dict::Table::new()));
                // Their own module, as CPython's (`match` tells Sequence/Mapping subclasses
                // by it, and reprs show it).
                let n_mod = vm.intern("__module__");
                Vm::table_set_str(&mut ns.borrow_mut(), n_mod, Value::str(name));
                let obj = vm.types.object.clone();
                let c = vm.new_class(n, vec![obj], ns)?;
                set(vm, &m, n, Value::Class(c));
            }
            if name == "typing" {
                add_fns(
                    vm,
                    &m,
                    &[
                        ("abstractmethod", |_vm, a, _| Ok(a[0].clone())),
                        ("cast", |_vm, a, _| {
                            Ok(a.get(1).cloned().unwrap_or(Value::None))
                        }),
                    ],
                );
            }
        }
        "os" => {
            set(vm, &m, "sep", Value::str("/"));
            set(vm, &m, "linesep", Value::str("\n"));
            set(vm, &m, "name", Value::str("posix"));
            set(vm, &m, "curdir", Value::str("."));
            let env = vm.new_dict();
            if let Value::Dict(t) = &env {
                for (k, v) in std::env::vars() {
                    vm.table_set(t, Value::string(k), Value::string(v))?;
                }
            }
            set(vm, &m, "environ", env);
            add_fns(
                vm,
                &m,
                &[
                    ("getcwd", |vm, a, kw| {
                        sig_noargs(vm, a, kw, "posix.getcwd")?;
                        match std::env::current_dir() {
                            Ok(p) => Ok(Value::string(p.to_string_lossy().to_string())),
                            Err(e) => Err(vm.err("OSError", e.to_string())),
                        }
                    }),
                    ("getenv", |vm, a, _| {
                        let k = path_arg(vm, a.first())?;
                        Ok(match std::env::var(&k) {
                            Ok(v) => Value::string(v),
                            Err(_) => a.get(1).cloned().unwrap_or(Value::None),
                        })
                    }),
                    ("listdir", |vm, a, _| {
                        let p = if a.is_empty() {
                            ".".to_string()
                        } else {
                            path_arg(vm, a.first())?
                        };
                        match std::fs::read_dir(&p) {
                            Ok(rd) => {
                                let mut names: Vec<Value> = rd
                                    .filter_map(|e| e.ok())
                                    .map(|e| {
                                        Value::string(e.file_name().to_string_lossy().to_string())
                                    })
                                    .collect();
                                names.shrink_to_fit();
                                Ok(Value::list(names))
                            }
                            Err(e) => Err(os_error(vm, &e, &p)),
                        }
                    }),
                    ("remove", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        std::fs::remove_file(&p)
                            .map(|_| Value::None)
                            .map_err(|e| os_error(vm, &e, &p))
                    }),
                    ("mkdir", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        std::fs::create_dir(&p)
                            .map(|_| Value::None)
                            .map_err(|e| os_error(vm, &e, &p))
                    }),
                ],
            );
            let path = vm.import_module("os.path")?.unwrap_or(Value::None);
            set(vm, &m, "path", path);
        }
        "os.path" => {
            set(vm, &m, "sep", Value::str("/"));
            add_fns(
                vm,
                &m,
                &[
                    ("join", |vm, a, _| {
                        let mut out = String::new();
                        for (i, x) in a.iter().enumerate() {
                            let p = path_arg(vm, Some(x))?;
                            if p.starts_with('/') || i == 0 {
                                out = p;
                            } else {
                                if !out.is_empty() && !out.ends_with('/') {
                                    out.push('/');
                                }
                                out.push_str(&p);
                            }
                        }
                        Ok(Value::string(out))
                    }),
                    ("exists", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        Ok(Value::Bool(std::path::Path::new(&p).exists()))
                    }),
                    ("isfile", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        Ok(Value::Bool(std::path::Path::new(&p).is_file()))
                    }),
                    ("isdir", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        Ok(Value::Bool(std::path::Path::new(&p).is_dir()))
                    }),
                    ("isabs", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        Ok(Value::Bool(p.starts_with('/')))
                    }),
                    ("getsize", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        std::fs::metadata(&p)
                            .map(|m| Value::Int(m.len() as i64))
                            .map_err(|e| os_error(vm, &e, &p))
                    }),
                    ("basename", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        Ok(Value::string(
                            p.rsplit('/').next().unwrap_or("").to_string(),
                        ))
                    }),
                    ("dirname", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        Ok(Value::string(match p.rfind('/') {
                            Some(0) => "/".to_string(),
                            Some(i) => p[..i].trim_end_matches('/').to_string().max(
                                if p.starts_with('/') {
                                    "/".into()
                                } else {
                                    String::new()
                                },
                            ),
                            None => String::new(),
                        }))
                    }),
                    ("split", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        let (head, tail) = match p.rfind('/') {
                            Some(i) => {
                                let h = p[..=i].trim_end_matches('/');
                                (
                                    if h.is_empty() {
                                        p[..=i].to_string()
                                    } else {
                                        h.to_string()
                                    },
                                    p[i + 1..].to_string(),
                                )
                            }
                            None => (String::new(), p.clone()),
                        };
                        Ok(Value::tuple(vec![Value::string(head), Value::string(tail)]))
                    }),
                    ("splitext", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        let base_start = p.rfind('/').map_or(0, |i| i + 1);
                        let base = &p[base_start..];
                        let lead = base.len() - base.trim_start_matches('.').len();
                        let (root, ext) = match base[lead..].rfind('.') {
                            Some(j) => {
                                let cut = base_start + lead + j;
                                (p[..cut].to_string(), p[cut..].to_string())
                            }
                            None => (p.clone(), String::new()),
                        };
                        Ok(Value::tuple(vec![Value::string(root), Value::string(ext)]))
                    }),
                    ("abspath", |vm, a, _| {
                        let p = path_arg(vm, a.first())?;
                        let abs = std::path::absolute(&p)
                            .map(|x| x.to_string_lossy().to_string())
                            .unwrap_or(p);
                        // Normalise `.` and `..` components as posixpath.normpath does.
                        let mut parts: Vec<&str> = Vec::new();
                        for c in abs.split('/') {
                            match c {
                                "" | "." => {}
                                ".." => {
                                    parts.pop();
                                }
                                other => parts.push(other),
                            }
                        }
                        Ok(Value::string(format!("/{}", parts.join("/"))))
                    }),
                ],
            );
        }
        "dis" => {
            add_fns(vm, &m, &[("get_instructions", dis_get_instructions)]);
        }
        // The native half of pylib's `traceback`.
        "_vigil_traceback" => {
            add_fns(
                vm,
                &m,
                &[
                    ("format_exception", |vm, a, _| {
                        let e = a.first().cloned().unwrap_or(Value::None);
                        Ok(Value::string(vm.format_exception(&e)))
                    }),
                    ("format_exception_only", |vm, a, _| {
                        let e = a.first().cloned().unwrap_or(Value::None);
                        let mut out = String::new();
                        vm.format_exception_only(&e, &mut out);
                        Ok(Value::string(out))
                    }),
                    ("format_tb", |vm, a, _| {
                        let tb = a.first().cloned().unwrap_or(Value::None);
                        let limit = match a.get(1) {
                            Some(Value::Int(n)) => Some(*n),
                            _ => None,
                        };
                        let parts = vm.format_tb(&tb, limit);
                        Ok(Value::list(parts.into_iter().map(Value::string).collect()))
                    }),
                    ("entry", |vm, a, _| {
                        let Some(Value::Traceback(t)) = a.first() else {
                            return Err(vm.type_error("expected a traceback object"));
                        };
                        let code = t.frame.code.clone();
                        let lineno = crate::frameobj::line_of(&code, t.lasti);
                        let line = match (&lineno, vm.sources.get(&*code.filename)) {
                            (Value::Int(n), Some(src)) => src
                                .lines()
                                .nth((*n as usize).saturating_sub(1))
                                .map_or(Value::None, |l| Value::str(l.trim())),
                            _ => Value::None,
                        };
                        Ok(Value::tuple(vec![
                            Value::str(&code.filename),
                            lineno,
                            Value::str(&code.name),
                            line,
                        ]))
                    }),
                ],
            );
        }
        "__future__" => {
            set(vm, &m, "annotations", Value::None);
        }
        _ => return Ok(None),
    }
    Ok(Some(m))
}

/// `dis.get_instructions(code)`: one record per instruction with `offset` (CPython's byte
/// offset, the unit monitoring callbacks get), `opname`, `opcode`, `arg` (ours: jump
/// arguments are absolute instruction indices) and `line_number`. No CACHE or EXTENDED_ARG
/// records.
fn dis_get_instructions(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let code = match a.first() {
        Some(Value::Code(c)) => c.clone(),
        Some(Value::Function(f)) => f.code.clone(),
        _ => return Err(vm.type_error("get_instructions() expects a code object or function")),
    };
    let cls = match vm.modules.get("__dis_instr_class") {
        Some(Value::Class(c)) => c.clone(),
        _ => {
            let ns = Rc::new(RefCell::new(crate::dict::Table::new()));
            let obj = vm.types.object.clone();
            let c = vm.new_class("Instruction", vec![obj], ns)?;
            vm.modules
                .insert("__dis_instr_class".into(), Value::Class(c.clone()));
            c
        }
    };
    let mut out = Vec::with_capacity(code.instructions.len());
    for (i, ins) in code.instructions.iter().enumerate() {
        let inst = vm.new_instance(&cls, &[]);
        if let Value::Instance(o) = &inst {
            let line = code
                .line_at(i)
                .map_or(Value::None, |l| Value::Int(l as i64));
            for (k, v) in [
                ("offset", Value::Int(code.cpython_offset(i) as i64)),
                ("opname", Value::str(ins.op().name())),
                ("opcode", Value::Int(ins.op_byte() as i64)),
                ("arg", Value::Int(ins.arg() as i64)),
                ("line_number", line.clone()),
                (
                    "starts_line",
                    Value::Bool(i == 0 || code.line_at(i) != code.line_at(i - 1)),
                ),
            ] {
                let n = vm.intern(k);
                crate::attr::inst_set(o, &n, v);
            }
        }
        out.push(inst);
    }
    Ok(Value::list(out))
}

pub fn code_methods() -> Vec<(&'static str, NativeFn)> {
    vec![
        ("co_lines", |vm, a, _| {
            let Some(Value::Code(c)) = a.first() else {
                return Err(vm.type_error("co_lines() requires a code object"));
            };
            // CPython's byte offsets (the internal `co_lines` is in instruction indices).
            let items = c
                .cpython_co_lines()
                .into_iter()
                .map(|(s, e, l)| {
                    Value::tuple(vec![
                        Value::Int(s as i64),
                        Value::Int(e as i64),
                        l.map_or(Value::None, |x| Value::Int(x as i64)),
                    ])
                })
                .collect();
            Ok(Vm::new_iter(IterState::Seq {
                seq: Value::list(items),
                idx: 0,
            }))
        }),
        ("co_positions", |vm, a, _| {
            let Some(Value::Code(c)) = a.first() else {
                return Err(vm.type_error("co_positions() requires a code object"));
            };
            let opt = |x: i32| {
                if x < 0 {
                    Value::None
                } else {
                    Value::Int(x as i64)
                }
            };
            // One entry per CPython code unit, caches and EXTENDED_ARG prefixes included.
            let items = c
                .cpython_positions()
                .iter()
                .map(|l| {
                    Value::tuple(vec![
                        opt(l.line),
                        opt(l.end_line),
                        opt(l.col),
                        opt(l.end_col),
                    ])
                })
                .collect();
            Ok(Vm::new_iter(IterState::Seq {
                seq: Value::list(items),
                idx: 0,
            }))
        }),
    ]
}

fn path_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<String> {
    match v {
        Some(Value::Str(s)) => Ok(s.s.to_string()),
        Some(Value::Bytes(b)) => Ok(String::from_utf8_lossy(b).to_string()),
        Some(other) => {
            let tn = vm.type_name(other);
            Err(vm.type_error(format!(
                "expected str, bytes or os.PathLike object, not {tn}"
            )))
        }
        None => Err(vm.type_error("missing path argument")),
    }
}

fn os_error(vm: &mut Vm, e: &std::io::Error, path: &str) -> crate::vm::PyErr {
    let (cls, errno, text) = match e.kind() {
        std::io::ErrorKind::NotFound => ("FileNotFoundError", 2, "No such file or directory"),
        std::io::ErrorKind::PermissionDenied => ("PermissionError", 13, "Permission denied"),
        std::io::ErrorKind::AlreadyExists => ("FileExistsError", 17, "File exists"),
        _ => ("OSError", e.raw_os_error().unwrap_or(0), "error"),
    };
    vm.err(cls, format!("[Errno {errno}] {text}: '{path}'"))
}

fn perf_now() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

fn fsum(xs: &[f64]) -> f64 {
    // Shewchuk's exact partial sums (the algorithm behind math.fsum).
    let mut partials: Vec<f64> = Vec::new();
    for &x0 in xs {
        let mut x = x0;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        partials.push(x);
    }
    partials.iter().sum()
}

/// A float argument of a `math` function. Floats and small ints are inlined into the
/// callers: as a call of its own this was about 20 instructions of each `math.sin(x)`
/// (float 10000: three calls per point, two with an int).
#[inline(always)]
fn num(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        _ => num_other(vm, v),
    }
}

/// `num` of anything but a float or a small int.
#[inline(never)]
fn num_other(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Big(_) | Value::Instance(_) => crate::builtins::to_float(vm, v),
        _ => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("must be real number, not {tn}")))
        }
    }
}

/// A one-argument float function of `math`, with CPython 3.13's errors ("math domain error"
/// outside the domain, "math range error" on overflow).
/// A METH_O module function's check: "math.sqrt() takes exactly one argument (0 given)",
/// "math.sqrt() takes no keyword arguments" (`qual` is the qualified name). The ok test is
/// written out here: going through `check` with a `Sig` built on the stack cost ~24
/// instructions a call (float 5000: +0.5%), the `Sig` being materialised before the test.
#[inline(always)]
fn sig_one(vm: &mut Vm, a: &[Value], kw: Kw<'_>, qual: &'static str) -> PyResult<()> {
    if kw.is_empty() && a.len() == 1 {
        return Ok(());
    }
    sig_fail(vm, a, kw, qual, qual, Count::One, 1, 1)
}

/// A positional-only module function checked by CPython's positional checker: "pow expected
/// 2 arguments, got 1" (`short`), "math.pow() takes no keyword arguments" (`qual`).
#[inline(always)]
fn sig_expected(
    vm: &mut Vm,
    a: &[Value],
    kw: Kw<'_>,
    qual: &'static str,
    short: &'static str,
    min: u8,
    max: u8,
) -> PyResult<()> {
    if kw.is_empty() && a.len() >= min as usize && a.len() <= max as usize {
        return Ok(());
    }
    sig_fail(vm, a, kw, qual, short, Count::Expected, min, max)
}

/// A METH_NOARGS module function: "time.time() takes no arguments (1 given)".
#[inline(always)]
fn sig_noargs(vm: &mut Vm, a: &[Value], kw: Kw<'_>, qual: &'static str) -> PyResult<()> {
    if kw.is_empty() && a.is_empty() {
        return Ok(());
    }
    sig_fail(vm, a, kw, qual, qual, Count::NoArgs, 0, 0)
}

/// The error (or, for a count `check` accepts, nothing) of a call the inline tests refused.
#[cold]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn sig_fail(
    vm: &mut Vm,
    a: &[Value],
    kw: Kw<'_>,
    qual: &'static str,
    short: &'static str,
    count: Count,
    min: u8,
    max: u8,
) -> PyResult<()> {
    let sig = Sig::positional(qual, short, count, min, max);
    check(vm, &sig, a, kw)
}

/// An integer argument of math's integer functions (`__index__`, CPython's TypeError).
fn int_arg(vm: &mut Vm, v: &Value) -> PyResult<num_bigint::BigInt> {
    if let Some(b) = crate::ops::int_like(v) {
        return Ok(b);
    }
    let i = vm.index_value(v)?;
    Ok(num_bigint::BigInt::from(i))
}

/// `comb(n, k)` or `perm(n, k)` (`k` None: `n!`), with CPython's checks.
fn comb_perm(
    vm: &mut Vm,
    n: num_bigint::BigInt,
    k: Option<num_bigint::BigInt>,
    comb: bool,
) -> PyResult<Value> {
    use num_traits::{Signed, ToPrimitive};
    if n.is_negative() {
        return Err(vm.value_error(if k.is_none() {
            "factorial() not defined for negative values"
        } else {
            "n must be a non-negative integer"
        }));
    }
    let k = k.unwrap_or_else(|| n.clone());
    if k.is_negative() {
        return Err(vm.value_error("k must be a non-negative integer"));
    }
    if k > n {
        return Ok(Value::Int(0));
    }
    // comb(n, k) == comb(n, n - k): take the shorter product.
    let k = if comb {
        std::cmp::min(k.clone(), &n - &k)
    } else {
        k
    };
    let Some(steps) = k.to_u64() else {
        return Err(vm.err("OverflowError", format!("k must not exceed {}", i64::MAX)));
    };
    let mut r = num_bigint::BigInt::from(1);
    let mut f = n;
    for i in 0..steps {
        r *= &f;
        f -= 1;
        if comb {
            r /= i + 1;
        }
    }
    Ok(Value::from_bigint(r))
}

/// `x` as mantissa in [0.5, 1) times a power of two (zero, infinities and NaN as they are).
fn frexp(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (mut y, mut adj) = (x, 0i64);
    if y.abs() < f64::MIN_POSITIVE {
        // Subnormal: scale into the normal range first.
        y *= 2f64.powi(54);
        adj = -54;
    }
    let bits = y.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1022;
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp + adj)
}

/// `x * 2**e` rounded once, as C's ldexp.
fn ldexp(x: f64, e: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let (m, fe) = frexp(x);
    let total = fe + e as i64;
    if total > 1024 {
        return f64::INFINITY.copysign(x);
    }
    if total >= -1021 {
        // Normal result: exact (in two steps at the top, where 2**total itself overflows).
        if total > 1000 {
            return m * 2f64.powi(total as i32 - 64) * 2f64.powi(64);
        }
        return m * 2f64.powi(total as i32);
    }
    if total < -1075 {
        return 0.0f64.copysign(x);
    }
    // Subnormal result: one rounding, done by the final multiplication.
    (m * 2f64.powi(total as i32 + 64)) * 2f64.powi(-64)
}

fn math1(
    vm: &mut Vm,
    a: &[Value],
    kw: Kw<'_>,
    qual: &'static str,
    f: fn(f64) -> f64,
    domain: fn(f64) -> bool,
) -> PyResult<Value> {
    sig_one(vm, a, kw, qual)?;
    let x = num(vm, &a[0])?;
    if !domain(x) {
        return Err(vm.value_error("math domain error"));
    }
    let r = f(x);
    if r.is_infinite() && x.is_finite() {
        return Err(vm.err("OverflowError", "math range error"));
    }
    Ok(Value::Float(r))
}

fn round_to_int(
    vm: &mut Vm,
    a: &[Value],
    f: fn(f64) -> f64,
    dunder: &'static str,
) -> PyResult<Value> {
    match &a[0] {
        Value::Int(_) | Value::Big(_) => Ok(a[0].clone()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Instance(inst) => {
            let cls = inst.class.clone();
            match vm.class_lookup(&cls, dunder) {
                Some(m) => vm.call1(&m, a[0].clone()),
                None => {
                    let x = num(vm, &a[0])?;
                    float_to_int(vm, f(x))
                }
            }
        }
        v => {
            let x = num(vm, v)?;
            float_to_int(vm, f(x))
        }
    }
}

fn float_to_int(vm: &mut Vm, x: f64) -> PyResult<Value> {
    vigil_support::f64_to_int(x)
        .map(|i| match i {
            vigil_support::Int::Small(v) => Value::Int(v),
            vigil_support::Int::Big(b) => Value::Big(Rc::new(b)),
        })
        .map_err(|e| vm.support_err(e))
}

fn to_sint(vm: &mut Vm, v: &Value) -> PyResult<vigil_support::Int> {
    match v {
        Value::Int(i) => Ok(vigil_support::Int::Small(*i)),
        Value::Bool(b) => Ok(vigil_support::Int::Small(*b as i64)),
        Value::Big(b) => Ok(vigil_support::Int::Big((**b).clone())),
        Value::Float(_) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
        _ => Ok(vigil_support::Int::Small(vm.index_value(v)?)),
    }
}

fn int_val(i: vigil_support::Int) -> Value {
    match i {
        vigil_support::Int::Small(v) => Value::Int(v),
        vigil_support::Int::Big(b) => Value::Big(Rc::new(b)),
    }
}

fn rng(vm: &mut Vm, a: &[Value]) -> PyResult<Rc<RefCell<vigil_support::Random>>> {
    match a.first() {
        Some(Value::Random(r)) => Ok(r.clone()),
        _ => Err(vm.type_error("descriptor requires a 'random.Random' object")),
    }
}

fn stringio_self(vm: &mut Vm, a: &[Value]) -> PyResult<Rc<RefCell<StringIo>>> {
    match a.first() {
        Some(Value::StringIO(s)) => Ok(s.clone()),
        _ => Err(vm.type_error("requires StringIO")),
    }
}

/// A `size` argument of `read`/`readline`: None or negative means "all".
fn stringio_size(vm: &mut Vm, v: Option<&Value>) -> PyResult<Option<usize>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok((*i >= 0).then_some(*i as usize)),
        Some(Value::Bool(b)) => Ok(Some(*b as usize)),
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("argument should be integer or None, not '{tn}'")))
        }
    }
}

fn stringio_int(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        v => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
    }
}

/// A standard normal deviate by Kinderman and Monahan's ratio-of-uniforms method, drawing
/// from the generator in the order CPython's `normalvariate` does.
fn normal_z(r: &mut vigil_support::Random) -> f64 {
    let magic = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
    loop {
        let u1 = r.random();
        let u2 = 1.0 - r.random();
        let z = magic * (u1 - 0.5) / u2;
        if z * z / 4.0 <= -u2.ln() {
            return z;
        }
    }
}

pub fn random_methods() -> Vec<(&'static str, NativeFn)> {
    vec![
        ("seed", |vm, a, _| {
            let r = rng(vm, a)?;
            match a.get(1) {
                None | Some(Value::None) => r.borrow_mut().seed_entropy(),
                Some(Value::Int(i)) => r.borrow_mut().seed_int(&num_bigint::BigInt::from(*i)),
                Some(Value::Big(b)) => r.borrow_mut().seed_int(b),
                Some(Value::Bool(b)) => r
                    .borrow_mut()
                    .seed_int(&num_bigint::BigInt::from(*b as i64)),
                Some(Value::Str(s)) => r.borrow_mut().seed_bytes(s.s.as_bytes()),
                Some(Value::Bytes(b)) => r.borrow_mut().seed_bytes(b),
                Some(Value::Float(f)) => {
                    let h = crate::shim::hash_f64(*f);
                    r.borrow_mut().seed_hash(h)
                }
                Some(v) => {
                    let tn = vm.type_name(v);
                    return Err(vm.type_error(format!("The only supported seed types are:\nNone, int, float, str, bytes, and bytearray. not {tn}")));
                }
            }
            Ok(Value::None)
        }),
        ("random", |vm, a, _| {
            let r = rng(vm, a)?;
            let x = r.borrow_mut().random();
            Ok(Value::Float(x))
        }),
        ("randrange", |vm, a, kw| {
            let r = rng(vm, a)?;
            check_args(vm, "randrange", &a[1..], 1, 3)?;
            let start = to_sint(vm, &a[1])?;
            let stop = match a.get(2).cloned().or_else(|| kwarg(kw, "stop")) {
                Some(v) if !v.is_none() => Some(to_sint(vm, &v)?),
                _ => None,
            };
            let step = match a.get(3).cloned().or_else(|| kwarg(kw, "step")) {
                Some(v) => to_sint(vm, &v)?,
                None => vigil_support::Int::Small(1),
            };
            let res = r.borrow_mut().randrange(&start, stop.as_ref(), Some(&step));
            res.map(int_val).map_err(|e| vm.support_err(e))
        }),
        ("randint", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "randint", &a[1..], 2, 2)?;
            let (x, y) = (to_sint(vm, &a[1])?, to_sint(vm, &a[2])?);
            let res = r.borrow_mut().randint(&x, &y);
            res.map(int_val).map_err(|e| vm.support_err(e))
        }),
        ("choice", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "choice", &a[1..], 1, 1)?;
            let n = vm.len(&a[1])?;
            let res = r.borrow_mut().choice_index(n);
            let i = res.map_err(|e| vm.support_err(e))?;
            vm.getitem(&a[1], &Value::Int(i as i64))
        }),
        ("shuffle", |vm, a, _| {
            let r = rng(vm, a)?;
            let Some(Value::List(l)) = a.get(1) else {
                return Err(vm.type_error("shuffle() requires a list"));
            };
            r.borrow_mut().shuffle(&mut l.borrow_mut());
            Ok(Value::None)
        }),
        ("choices", |vm, a, kw| {
            let r = rng(vm, a)?;
            static SIG: Sig = Sig::clinic(
                "choices",
                Count::Clinic,
                &["population", "weights"],
                0,
                1,
                &["cum_weights", "k"],
            );
            check(vm, &SIG, &a[1..], kw)?;
            let pop = a[1].clone();
            let n = vm.len(&pop)?;
            let k = match kwarg(kw, "k") {
                Some(v) => vm.index_value(&v)?,
                None => 1,
            };
            let weights = a.get(2).cloned().or_else(|| kwarg(kw, "weights"));
            let weights = weights.filter(|w| !w.is_none());
            let cum = kwarg(kw, "cum_weights").filter(|w| !w.is_none());
            let mut out = Vec::new();
            let cum = match (weights, cum) {
                (None, None) => {
                    // Each pick is floor(random() * n), as CPython's unweighted path.
                    for _ in 0..k.max(0) {
                        let i = (r.borrow_mut().random() * n as f64).floor() as i64;
                        out.push(vm.getitem(&pop, &Value::Int(i))?);
                    }
                    return Ok(Value::list(out));
                }
                (Some(w), None) => {
                    if matches!(w, Value::Int(_)) {
                        let k = vm.repr(&w)?;
                        return Err(vm.type_error(format!(
                            "The number of choices must be a keyword argument: k={k}"
                        )));
                    }
                    let ws = vm.collect(&w)?;
                    let mut acc: Option<Value> = None;
                    let mut cum = Vec::with_capacity(ws.len());
                    for x in ws {
                        let next = match acc {
                            None => x,
                            Some(p) => vm.binary_op(&p, &x, crate::ops::BinOp::Add, false)?,
                        };
                        cum.push(next.clone());
                        acc = Some(next);
                    }
                    cum
                }
                (None, Some(c)) => vm.collect(&c)?,
                (Some(_), Some(_)) => {
                    return Err(vm.type_error("Cannot specify both weights and cumulative weights"));
                }
            };
            if cum.len() != n {
                return Err(vm.value_error("The number of weights does not match the population"));
            }
            let Some(last) = cum.last() else {
                return Err(vm.err("IndexError", "list index out of range"));
            };
            let total = num(vm, last)? + 0.0;
            if total <= 0.0 {
                return Err(vm.value_error("Total of weights must be greater than zero"));
            }
            if !total.is_finite() {
                return Err(vm.value_error("Total of weights must be finite"));
            }
            for _ in 0..k.max(0) {
                // bisect_right(cum, random() * total, 0, n - 1)
                let x = Value::Float(r.borrow_mut().random() * total);
                let (mut lo, mut hi) = (0usize, n - 1);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    let lt = vm.compare(&x, &cum[mid], crate::ops::CmpOp::Lt)?;
                    if vm.truthy(&lt)? {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                out.push(vm.getitem(&pop, &Value::Int(lo as i64))?);
            }
            Ok(Value::list(out))
        }),
        ("triangular", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "triangular", &a[1..], 0, 3)?;
            let mut low = match a.get(1) {
                Some(v) => num(vm, v)?,
                None => 0.0,
            };
            let mut high = match a.get(2) {
                Some(v) => num(vm, v)?,
                None => 1.0,
            };
            let mut u = r.borrow_mut().random();
            let mut c = match a.get(3) {
                None | Some(Value::None) => 0.5,
                Some(m) => {
                    if high == low {
                        // CPython's ZeroDivisionError path returns `low` itself.
                        return Ok(a.get(1).cloned().unwrap_or(Value::Float(low)));
                    }
                    (num(vm, m)? - low) / (high - low)
                }
            };
            if u > c {
                u = 1.0 - u;
                c = 1.0 - c;
                std::mem::swap(&mut low, &mut high);
            }
            Ok(Value::Float(low + (high - low) * (u * c).sqrt()))
        }),
        ("expovariate", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "expovariate", &a[1..], 0, 1)?;
            let lambd = match a.get(1) {
                Some(v) => num(vm, v)?,
                None => 1.0,
            };
            if lambd == 0.0 {
                return Err(vm.err("ZeroDivisionError", "float division by zero"));
            }
            let u = r.borrow_mut().random();
            Ok(Value::Float(-(1.0 - u).ln() / lambd))
        }),
        ("normalvariate", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "normalvariate", &a[1..], 0, 2)?;
            let z = normal_z(&mut r.borrow_mut());
            let mu = match a.get(1) {
                Some(v) => num(vm, v)?,
                None => 0.0,
            };
            let sigma = match a.get(2) {
                Some(v) => num(vm, v)?,
                None => 1.0,
            };
            Ok(Value::Float(mu + z * sigma))
        }),
        ("lognormvariate", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "lognormvariate", &a[1..], 2, 2)?;
            let z = normal_z(&mut r.borrow_mut());
            let (mu, sigma) = (num(vm, &a[1])?, num(vm, &a[2])?);
            Ok(Value::Float((mu + z * sigma).exp()))
        }),
        ("paretovariate", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "paretovariate", &a[1..], 1, 1)?;
            let alpha = num(vm, &a[1])?;
            let u = 1.0 - r.borrow_mut().random();
            let e = Value::Float(-1.0 / alpha);
            vm.binary_op(&Value::Float(u), &e, crate::ops::BinOp::Pow, false)
        }),
        ("weibullvariate", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "weibullvariate", &a[1..], 2, 2)?;
            let (alpha, beta) = (num(vm, &a[1])?, num(vm, &a[2])?);
            let u = 1.0 - r.borrow_mut().random();
            let p = vm.binary_op(
                &Value::Float(-u.ln()),
                &Value::Float(1.0 / beta),
                crate::ops::BinOp::Pow,
                false,
            )?;
            Ok(Value::Float(alpha * num(vm, &p)?))
        }),
        ("uniform", |vm, a, _| {
            let r = rng(vm, a)?;
            check_args(vm, "uniform", &a[1..], 2, 2)?;
            let (x, y) = (num(vm, &a[1])?, num(vm, &a[2])?);
            let v = r.borrow_mut().uniform(x, y);
            Ok(Value::Float(v))
        }),
        ("getrandbits", |vm, a, _| {
            let r = rng(vm, a)?;
            let k = vm.index_value(&a[1])?;
            let res = r.borrow_mut().getrandbits(k);
            res.map(int_val).map_err(|e| vm.support_err(e))
        }),
        ("sample", |vm, a, _| {
            let r = rng(vm, a)?;
            let pop = vm.collect(&a[1])?;
            let k = vm.index_value(&a[2])?;
            let res = r.borrow_mut().sample_indices(pop.len(), k);
            let idx = res.map_err(|e| vm.support_err(e))?;
            Ok(Value::list(
                idx.into_iter().map(|i| pop[i].clone()).collect(),
            ))
        }),
        ("gauss", |vm, a, _| {
            let r = rng(vm, a)?;
            let mu = match a.get(1) {
                Some(v) => num(vm, v)?,
                None => 0.0,
            };
            let sigma = match a.get(2) {
                Some(v) => num(vm, v)?,
                None => 1.0,
            };
            let v = r.borrow_mut().gauss(mu, sigma);
            Ok(Value::Float(v))
        }),
    ]
}

pub fn construct_random(vm: &mut Vm, args: &[Value]) -> PyResult<Value> {
    let r = Value::Random(Rc::new(RefCell::new(vigil_support::Random::from_int(
        &num_bigint::BigInt::from(0),
    ))));
    let mut a = vec![r.clone()];
    a.extend(args.iter().cloned());
    if a.len() == 1 {
        a.push(Value::None);
    }
    let seed = random_methods()[0].1;
    seed(vm, &a, &[])?;
    Ok(r)
}

pub fn install_random_methods(vm: &mut Vm) {
    let code_cls = vm.types.code.clone();
    for (n, f) in code_methods() {
        let name = vm.intern(n);
        let v = Value::Builtin(Rc::new(Builtin {
            name: n,
            f,
            bound: None,
            owner: Some("code"),
        }));
        Vm::table_set_str(&mut code_cls.dict.borrow_mut(), name, v);
    }
    let cls = vm.types.random.clone();
    for (n, f) in random_methods() {
        let name = vm.intern(n);
        let v = Value::Builtin(Rc::new(Builtin {
            name: n,
            f,
            bound: None,
            owner: Some("Random"),
        }));
        Vm::table_set_str(&mut cls.dict.borrow_mut(), name, v);
    }
    let c = vm.types.stringio.clone();
    let ms: Vec<(&'static str, NativeFn)> = vec![
        ("write", |vm, a, kw| {
            let Some(Value::StringIO(s)) = a.first() else {
                return Err(vm.type_error("requires StringIO"));
            };
            check_method(
                vm,
                &Sig::positional("StringIO.write", "write", Count::One, 1, 1),
                a,
                kw,
            )?;
            let t = match a.get(1) {
                Some(Value::Str(t)) => t.clone(),
                Some(v) => {
                    let tn = vm.type_name(v);
                    return Err(vm.type_error(format!("string argument expected, got '{tn}'")));
                }
                None => return Err(vm.type_error("write() takes exactly one argument (0 given)")),
            };
            s.borrow_mut().write_str(&t.s);
            Ok(Value::Int(t.nchars as i64))
        }),
        ("getvalue", |vm, a, kw| {
            let Some(Value::StringIO(s)) = a.first() else {
                return Err(vm.type_error("requires StringIO"));
            };
            check_method(vm, &Sig::noargs("StringIO.getvalue", "getvalue"), a, kw)?;
            Ok(Value::string(s.borrow().buf.clone()))
        }),
        ("read", |vm, a, kw| {
            let s = stringio_self(vm, a)?;
            check_method(
                vm,
                &Sig::positional("StringIO.read", "read", Count::Expected, 0, 1),
                a,
                kw,
            )?;
            let size = stringio_size(vm, a.get(1))?;
            Ok(Value::string(s.borrow_mut().read(size)))
        }),
        ("readline", |vm, a, kw| {
            let s = stringio_self(vm, a)?;
            check_method(
                vm,
                &Sig::positional("StringIO.readline", "readline", Count::Expected, 0, 1),
                a,
                kw,
            )?;
            let size = stringio_size(vm, a.get(1))?;
            Ok(Value::string(s.borrow_mut().readline(size)))
        }),
        ("readlines", |vm, a, kw| {
            let s = stringio_self(vm, a)?;
            check_method(
                vm,
                &Sig::positional("StringIO.readlines", "readlines", Count::Expected, 0, 1),
                a,
                kw,
            )?;
            // A positive hint stops once that many code points have been read.
            let hint = stringio_size(vm, a.get(1))?.filter(|&h| h > 0);
            let mut lines = Vec::new();
            let mut total = 0;
            let mut s = s.borrow_mut();
            loop {
                let line = s.readline(None);
                if line.is_empty() {
                    break;
                }
                total += line.chars().count();
                lines.push(Value::string(line));
                if hint.is_some_and(|h| total >= h) {
                    break;
                }
            }
            Ok(Value::list(lines))
        }),
        ("__next__", |vm, a, _| {
            let s = stringio_self(vm, a)?;
            let line = s.borrow_mut().readline(None);
            if line.is_empty() {
                return Err(vm.stop_iteration(Value::Null));
            }
            Ok(Value::string(line))
        }),
        ("tell", |vm, a, kw| {
            let s = stringio_self(vm, a)?;
            check_method(vm, &Sig::noargs("StringIO.tell", "tell"), a, kw)?;
            Ok(Value::Int(s.borrow().pos as i64))
        }),
        ("seek", |vm, a, kw| {
            let s = stringio_self(vm, a)?;
            check_method(
                vm,
                &Sig::positional("StringIO.seek", "seek", Count::Expected, 1, 2),
                a,
                kw,
            )?;
            let pos = stringio_int(vm, &a[1])?;
            let whence = match a.get(2) {
                Some(v) => stringio_int(vm, v)?,
                None => 0,
            };
            let mut s = s.borrow_mut();
            match whence {
                0 if pos < 0 => Err(vm.value_error(format!("Negative seek position {pos}"))),
                0 => {
                    s.pos = pos as usize;
                    Ok(Value::Int(pos))
                }
                // CPython 3.13 words both cases as cur-relative.
                1 | 2 if pos != 0 => Err(vm.err("OSError", "Can't do nonzero cur-relative seeks")),
                1 => Ok(Value::Int(s.pos as i64)),
                2 => {
                    s.pos = s.len;
                    Ok(Value::Int(s.len as i64))
                }
                _ => Err(vm.value_error(format!("Invalid whence ({whence}, should be 0, 1 or 2)"))),
            }
        }),
        ("truncate", |vm, a, kw| {
            let s = stringio_self(vm, a)?;
            check_method(
                vm,
                &Sig::positional("StringIO.truncate", "truncate", Count::Expected, 0, 1),
                a,
                kw,
            )?;
            let size = match a.get(1) {
                None | Some(Value::None) => s.borrow().pos as i64,
                Some(v) => stringio_int(vm, v)?,
            };
            if size < 0 {
                return Err(vm.value_error(format!("Negative size value {size}")));
            }
            s.borrow_mut().truncate(size as usize);
            Ok(Value::Int(size))
        }),
        ("writelines", |vm, a, kw| {
            let s = stringio_self(vm, a)?;
            check_method(
                vm,
                &Sig::positional("StringIO.writelines", "writelines", Count::One, 1, 1),
                a,
                kw,
            )?;
            let items = vm.collect(&a[1])?;
            for item in items {
                let Value::Str(t) = &item else {
                    let tn = vm.type_name(&item);
                    return Err(vm.type_error(format!("string argument expected, got '{tn}'")));
                };
                s.borrow_mut().write_str(&t.s);
            }
            Ok(Value::None)
        }),
        ("readable", |vm, a, kw| {
            check_method(vm, &Sig::noargs("StringIO.readable", "readable"), a, kw)?;
            Ok(Value::Bool(true))
        }),
        ("writable", |vm, a, kw| {
            check_method(vm, &Sig::noargs("StringIO.writable", "writable"), a, kw)?;
            Ok(Value::Bool(true))
        }),
        ("seekable", |vm, a, kw| {
            check_method(vm, &Sig::noargs("StringIO.seekable", "seekable"), a, kw)?;
            Ok(Value::Bool(true))
        }),
        ("__iter__", |vm, a, _| {
            stringio_self(vm, a)?;
            Ok(a[0].clone())
        }),
        ("close", |vm, a, kw| {
            check_method(vm, &Sig::noargs("StringIO.close", "close"), a, kw)?;
            Ok(Value::None)
        }),
        ("flush", |vm, a, kw| {
            check_method(vm, &Sig::noargs("StringIO.flush", "flush"), a, kw)?;
            Ok(Value::None)
        }),
        ("__enter__", |_vm, a, _| Ok(a[0].clone())),
        ("__exit__", |_vm, _a, _| Ok(Value::None)),
    ];
    for (n, f) in ms {
        let name = vm.intern(n);
        let v = Value::Builtin(Rc::new(Builtin {
            name: n,
            f,
            bound: None,
            owner: Some("StringIO"),
        }));
        Vm::table_set_str(&mut c.dict.borrow_mut(), name, v);
    }
    let c = vm.types.array.clone();
    let ms: Vec<(&'static str, NativeFn)> = vec![
        ("append", |vm, a, kw| {
            let Some(Value::Array(arr)) = a.first() else {
                return Err(vm.type_error("requires array"));
            };
            check_method(
                vm,
                &Sig::positional("array.append", "append", Count::One, 1, 1),
                a,
                kw,
            )?;
            let tc = arr.borrow().typecode;
            let v = array_check(vm, tc, a[1].clone())?;
            arr.borrow_mut().items.push(v);
            Ok(Value::None)
        }),
        ("extend", |vm, a, kw| {
            let Some(Value::Array(arr)) = a.first() else {
                return Err(vm.type_error("requires array"));
            };
            static EXTEND: Sig = Sig::clinic("extend", Count::Clinic, &["bb"], 1, 1, &[]);
            check_method(vm, &EXTEND, a, kw)?;
            let arr = arr.clone();
            let tc = arr.borrow().typecode;
            for x in vm.collect(&a[1])? {
                let v = array_check(vm, tc, x)?;
                arr.borrow_mut().items.push(v);
            }
            Ok(Value::None)
        }),
        ("tolist", |vm, a, kw| {
            let Some(Value::Array(arr)) = a.first() else {
                return Err(vm.type_error("requires array"));
            };
            check_method(vm, &Sig::noargs("array.tolist", "tolist"), a, kw)?;
            Ok(Value::list(arr.borrow().items.clone()))
        }),
        ("pop", |vm, a, kw| {
            let Some(Value::Array(arr)) = a.first() else {
                return Err(vm.type_error("requires array"));
            };
            check_method(
                vm,
                &Sig::positional("array.pop", "pop", Count::Expected, 0, 1),
                a,
                kw,
            )?;
            let arr = arr.clone();
            let n = arr.borrow().items.len() as i64;
            if n == 0 {
                return Err(vm.index_error("pop from empty array"));
            }
            let i = match a.get(1) {
                Some(v) => vm.index_value(v)?,
                None => -1,
            };
            let Some(j) = crate::iter::index_in(i, n as usize) else {
                return Err(vm.index_error("pop index out of range"));
            };
            Ok(arr.borrow_mut().items.remove(j))
        }),
        ("__len__", |vm, a, _| Ok(Value::Int(vm.len(&a[0])? as i64))),
    ];
    for (n, f) in ms {
        let name = vm.intern(n);
        let v = Value::Builtin(Rc::new(Builtin {
            name: n,
            f,
            bound: None,
            owner: Some("array"),
        }));
        Vm::table_set_str(&mut c.dict.borrow_mut(), name, v);
    }
}

pub fn array_itemsize(tc: char) -> i64 {
    match tc {
        'b' | 'B' => 1,
        'h' | 'H' => 2,
        'i' | 'I' | 'f' => 4,
        'u' | 'w' => 4,
        _ => 8,
    }
}

pub fn array_check(vm: &mut Vm, tc: char, v: Value) -> PyResult<Value> {
    match tc {
        'f' | 'd' => match &v {
            Value::Float(_) => Ok(v),
            Value::Int(i) => Ok(Value::Float(*i as f64)),
            _ => {
                let tn = vm.type_name(&v);
                Err(vm.type_error(format!("must be real number, not {tn}")))
            }
        },
        'u' | 'w' => match &v {
            Value::Str(s) if s.nchars == 1 => Ok(v),
            _ => Err(vm.type_error("array item must be a unicode character")),
        },
        _ => {
            let i = match &v {
                Value::Int(i) => *i,
                Value::Bool(b) => *b as i64,
                Value::Float(_) => {
                    return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
                }
                _ => vm.index_value(&v)?,
            };
            let (lo, hi): (i128, i128) = match tc {
                'b' => (-128, 127),
                'B' => (0, 255),
                'h' => (-32768, 32767),
                'H' => (0, 65535),
                'i' | 'l' => (i32::MIN as i128, i32::MAX as i128),
                'I' | 'L' => (0, u32::MAX as i128),
                'q' => (i64::MIN as i128, i64::MAX as i128),
                _ => (0, u64::MAX as i128),
            };
            if (i as i128) < lo || (i as i128) > hi {
                let msg = match tc {
                    'b' if i < 0 => "signed char is less than minimum",
                    'b' => "signed char is greater than maximum",
                    'B' if i < 0 => "unsigned byte integer is less than minimum",
                    'B' => "unsigned byte integer is greater than maximum",
                    'h' if i < 0 => "signed short integer is less than minimum",
                    'h' => "signed short integer is greater than maximum",
                    'H' if i < 0 => "unsigned short is less than minimum",
                    'H' => "unsigned short is greater than maximum",
                    'i' if i < 0 => "signed integer is less than minimum",
                    'i' => "signed integer is greater than maximum",
                    _ => "integer out of range",
                };
                return Err(vm.err("OverflowError", msg));
            }
            Ok(Value::Int(i))
        }
    }
}

pub fn construct_array(vm: &mut Vm, args: &[Value]) -> PyResult<Value> {
    check_args(vm, "array", args, 1, 2)?;
    let tc = match &args[0] {
        Value::Str(s) if s.nchars == 1 => s.s.chars().next().unwrap_or('b'),
        _ => return Err(vm.type_error("array() argument 1 must be a unicode character, not str")),
    };
    if !"bBuwhHiIlLqQfd".contains(tc) {
        return Err(
            vm.value_error("bad typecode (must be b, B, u, w, h, H, i, I, l, L, q, Q, f or d)")
        );
    }
    let mut items = Vec::new();
    if let Some(init) = args.get(1) {
        for x in vm.collect(init)? {
            items.push(array_check(vm, tc, x)?);
        }
    }
    Ok(Value::Array(Rc::new(RefCell::new(Array {
        typecode: tc,
        items,
    }))))
}

pub fn open_file(vm: &mut Vm, args: &[Value], kw: Kw<'_>) -> PyResult<Value> {
    let path = match args.first().cloned().or_else(|| kwarg(kw, "file")) {
        Some(Value::Str(s)) => s.s.to_string(),
        _ => return Err(vm.type_error("open() requires a path string")),
    };
    let mode = match args.get(1).cloned().or_else(|| kwarg(kw, "mode")) {
        Some(Value::Str(s)) => s.s.to_string(),
        _ => "r".into(),
    };
    let binary = mode.contains('b');
    if mode.contains('w') || mode.contains('a') || mode.contains('x') {
        // Writing: a StringIO whose contents are written out on close()/__exit__.
        return crate::files::open_for_write(vm, &path, &mode);
    }
    match std::fs::read(&path) {
        Ok(data) => {
            if binary {
                crate::files::reader_bytes(vm, data)
            } else {
                match String::from_utf8(data) {
                    Ok(s) => crate::files::reader_text(vm, s),
                    Err(_) => Err(vm.err(
                        "UnicodeDecodeError",
                        "'utf-8' codec can't decode file contents",
                    )),
                }
            }
        }
        Err(e) => {
            let (cls, msg) = match e.kind() {
                std::io::ErrorKind::NotFound => (
                    "FileNotFoundError",
                    format!("[Errno 2] No such file or directory: '{path}'"),
                ),
                std::io::ErrorKind::PermissionDenied => (
                    "PermissionError",
                    format!("[Errno 13] Permission denied: '{path}'"),
                ),
                _ => ("OSError", format!("{e}: '{path}'")),
            };
            Err(vm.err(cls, msg))
        }
    }
}
