//! `repr()` and `str()` of every value, plus `format(value, spec)` dispatch. Number and
//! string rendering itself comes from `vigil-support` (through `shim`).

use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::rc::Rc;

impl Vm {
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        // Nested containers recurse in Rust: bound the depth like CPython's C recursion check.
        if matches!(
            v,
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Set(_) | Value::FrozenSet(_)
        ) {
            if self.depth >= self.recursion_limit {
                return Err(self.err(
                    "RecursionError",
                    "maximum recursion depth exceeded while getting the repr of an object",
                ));
            }
            self.depth += 1;
            let r = self.repr_inner(v);
            self.depth -= 1;
            return r;
        }
        self.repr_inner(v)
    }

    fn repr_inner(&mut self, v: &Value) -> PyResult<String> {
        Ok(match v {
            Value::Null => "<NULL>".into(),
            Value::None => "None".into(),
            Value::NotImplemented => "NotImplemented".into(),
            Value::Ellipsis => "Ellipsis".into(),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::Int(i) => i.to_string(),
            Value::Big(b) => self.big_str(b)?,
            Value::Float(f) => crate::shim::float_repr(*f),
            Value::Complex(c) => complex_repr(c.0, c.1),
            Value::Str(s) => crate::shim::str_repr(&s.s),
            Value::Bytes(b) => vigil_support::bytes_repr(b),
            Value::ByteArray(b) => format!("bytearray({})", vigil_support::bytes_repr(&b.borrow())),
            Value::Tuple(t) => {
                if t.len() == 1 {
                    format!("({},)", self.repr_guarded(&t[0])?)
                } else {
                    let parts = self.repr_items(t)?;
                    format!("({})", parts.join(", "))
                }
            }
            Value::List(l) => {
                if self.repr_enter(v) {
                    return Ok("[...]".into());
                }
                let items = l.borrow().clone();
                let r = self.repr_items(&items);
                self.repr_leave();
                format!("[{}]", r?.join(", "))
            }
            Value::Dict(d) => {
                if self.repr_enter(v) {
                    return Ok("{...}".into());
                }
                let items: Vec<(Value, Value)> = d
                    .borrow()
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect();
                let mut parts = Vec::with_capacity(items.len());
                let mut res = Ok(());
                for (k, val) in items {
                    match (self.repr(&k), self.repr(&val)) {
                        (Ok(a), Ok(b)) => parts.push(format!("{a}: {b}")),
                        (Err(e), _) | (_, Err(e)) => {
                            res = Err(e);
                            break;
                        }
                    }
                }
                self.repr_leave();
                res?;
                format!("{{{}}}", parts.join(", "))
            }
            Value::Set(_) | Value::FrozenSet(_) => {
                let items = crate::ops::set_items(v).unwrap_or_default();
                let frozen = matches!(v, Value::FrozenSet(_));
                if items.is_empty() {
                    return Ok(if frozen {
                        "frozenset()".into()
                    } else {
                        "set()".into()
                    });
                }
                let parts = self.repr_items(&items)?;
                if frozen {
                    format!("frozenset({{{}}})", parts.join(", "))
                } else {
                    format!("{{{}}}", parts.join(", "))
                }
            }
            Value::Class(c) if c.meta.is_some() && self.meta_dunder(c, "__repr__").is_some() => {
                return self.meta_str(v, "__repr__");
            }
            Value::Class(c) => {
                if c.is_user_defined() {
                    format!("<class '{}.{}'>", c.module, c.qualname)
                } else {
                    format!("<class '{}'>", c.name)
                }
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(f) = self.class_lookup(&cls, "__repr__") {
                    let r = self.call1(&f, v.clone())?;
                    match r {
                        Value::Str(s) => s.s.to_string(),
                        _ => {
                            let tn = self.type_name(&r);
                            return Err(self
                                .type_error(format!("__repr__ returned non-string (type {tn})")));
                        }
                    }
                } else if let Some(exc) = inst.exc() {
                    let args = exc.args.borrow().clone();
                    let inner = match &args {
                        Value::Tuple(t) if t.len() == 1 => self.repr(&t[0])?,
                        Value::Tuple(t) => self.repr_items(t)?.join(", "),
                        _ => String::new(),
                    };
                    format!("{}({inner})", cls.name)
                } else if cls.module == "builtins" {
                    // object.__repr__ leaves the module out for builtins ("<object object at").
                    format!("<{} object at {:#x}>", cls.qualname, v.ptr().unwrap_or(0))
                } else {
                    format!(
                        "<{}.{} object at {:#x}>",
                        cls.module,
                        cls.qualname,
                        v.ptr().unwrap_or(0)
                    )
                }
            }
            Value::Function(f) => {
                let q = match &*f.qualname.borrow() {
                    Value::Str(s) => s.s.to_string(),
                    _ => f.code.qualname.to_string(),
                };
                format!("<function {q} at {:#x}>", v.ptr().unwrap_or(0))
            }
            Value::Builtin(b) => match (&b.owner, &b.bound) {
                (Some(o), _) => format!("<method '{}' of '{o}' objects>", b.name),
                (None, Some(_)) => format!("<built-in method {}>", b.name),
                _ => format!("<built-in function {}>", b.name),
            },
            Value::Method(m) => {
                let fname = match &m.1 {
                    Value::Function(f) => match &*f.qualname.borrow() {
                        Value::Str(s) => s.s.to_string(),
                        _ => f.code.qualname.to_string(),
                    },
                    Value::Builtin(b) => {
                        let tn = self.type_name(&m.0);
                        return Ok(format!(
                            "<built-in method {} of {tn} object at {:#x}>",
                            b.name,
                            m.0.ptr().unwrap_or(0)
                        ));
                    }
                    _ => "?".into(),
                };
                let sr = self.repr(&m.0)?;
                format!("<bound method {fname} of {sr}>")
            }
            Value::Gen(g) => {
                let kind = if g.is_coroutine {
                    "coroutine"
                } else {
                    "generator"
                };
                format!(
                    "<{kind} object {} at {:#x}>",
                    g.qualname.s,
                    v.ptr().unwrap_or(0)
                )
            }
            Value::Iter(_) => format!(
                "<{} object at {:#x}>",
                self.type_name(v),
                v.ptr().unwrap_or(0)
            ),
            Value::Module(m) => {
                if self.is_builtin_module(&m.name) {
                    format!("<module '{}' (built-in)>", m.name)
                } else {
                    let n = self.intern("__file__");
                    match Vm::table_get_str(&m.dict.borrow(), &n) {
                        Some(Value::Str(f)) => format!("<module '{}' from '{}'>", m.name, f.s),
                        _ => format!("<module '{}'>", m.name),
                    }
                }
            }
            Value::Range(r) => {
                if r.2 == 1 {
                    format!("range({}, {})", r.0, r.1)
                } else {
                    format!("range({}, {}, {})", r.0, r.1, r.2)
                }
            }
            Value::Slice(s) => {
                let (a, b, c) = (self.repr(&s.0)?, self.repr(&s.1)?, self.repr(&s.2)?);
                format!("slice({a}, {b}, {c})")
            }
            Value::Cell(_) => format!("<cell at {:#x}>", v.ptr().unwrap_or(0)),
            Value::Code(c) => format!(
                "<code object {} at {:#x}, file \"{}\", line {}>",
                c.name,
                v.ptr().unwrap_or(0),
                c.filename,
                c.first_line
            ),
            Value::Property(_) => format!("<property object at {:#x}>", v.ptr().unwrap_or(0)),
            Value::ClassMethod(_) => format!("<classmethod object at {:#x}>", v.ptr().unwrap_or(0)),
            Value::StaticMethod(_) => {
                format!("<staticmethod object at {:#x}>", v.ptr().unwrap_or(0))
            }
            Value::Super(s) => format!(
                "<super: <class '{}'>, <{} object>>",
                s.0.name,
                self.type_name(&s.1)
            ),
            Value::StringIO(_) => format!("<_io.StringIO object at {:#x}>", v.ptr().unwrap_or(0)),
            Value::Array(a) => {
                let a2 = a.borrow();
                let tc = a2.typecode;
                let items = a2.items.clone();
                drop(a2);
                if items.is_empty() {
                    format!("array('{tc}')")
                } else {
                    let parts = self.repr_items(&items)?;
                    format!("array('{tc}', [{}])", parts.join(", "))
                }
            }
            Value::Random(_) => format!("<random.Random object at {:#x}>", v.ptr().unwrap_or(0)),
            Value::Traceback(_) => format!("<traceback object at {:#x}>", v.ptr().unwrap_or(0)),
            Value::FrameObj(o) => self.frame_repr(v, o),
            Value::DictView(dv) => {
                let name = ["dict_keys", "dict_values", "dict_items"][dv.1 as usize % 3];
                let items = self.collect(v)?;
                let parts = self.repr_items(&items)?;
                format!("{name}([{}])", parts.join(", "))
            }
        })
    }

    fn repr_guarded(&mut self, v: &Value) -> PyResult<String> {
        self.repr(v)
    }

    fn repr_items(&mut self, items: &[Value]) -> PyResult<Vec<String>> {
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            out.push(self.repr(x)?);
        }
        Ok(out)
    }

    /// Recursion guard for self-containing containers; true when already being printed.
    fn repr_enter(&mut self, v: &Value) -> bool {
        let p = v.ptr().unwrap_or(0);
        if self.repr_stack.contains(&p) {
            return true;
        }
        self.repr_stack.push(p);
        false
    }

    fn repr_leave(&mut self) {
        self.repr_stack.pop();
    }

    pub fn big_str(&mut self, b: &num_bigint::BigInt) -> PyResult<String> {
        vigil_support::big_to_decimal(b).map_err(|e| self.support_err(e))
    }

    pub fn to_str(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Str(s) => Ok(s.s.to_string()),
            Value::Int(i) => Ok(i.to_string()),
            Value::Float(f) => Ok(crate::shim::float_repr(*f)),
            Value::Complex(c) => Ok(complex_repr(c.0, c.1)),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(f) = self.class_lookup(&cls, "__str__") {
                    let r = self.call1(&f, v.clone())?;
                    return match r {
                        Value::Str(s) => Ok(s.s.to_string()),
                        _ => {
                            let tn = self.type_name(&r);
                            Err(self.type_error(format!("__str__ returned non-string (type {tn})")))
                        }
                    };
                }
                if let Some(exc) = inst.exc() {
                    let args = exc.args.borrow().clone();
                    if self.exc_matches(v, "KeyError")
                        && let Value::Tuple(t) = &args
                        && t.len() == 1
                    {
                        return self.repr(&t[0]);
                    }
                    return match &args {
                        Value::Tuple(t) if t.is_empty() => Ok(String::new()),
                        Value::Tuple(t) if t.len() == 1 => self.to_str(&t[0]),
                        other => self.repr(other),
                    };
                }
                self.repr(v)
            }
            Value::Class(c) if c.meta.is_some() && self.meta_dunder(c, "__str__").is_some() => {
                self.meta_str(v, "__str__")
            }
            _ => self.repr(v),
        }
    }

    /// `repr(C)`/`str(C)` through the metaclass's dunder `name`.
    #[cold]
    fn meta_str(&mut self, v: &Value, name: &'static str) -> PyResult<String> {
        match self.meta_call(v, name, &[])? {
            Some(Value::Str(s)) => Ok(s.s.to_string()),
            Some(r) => {
                let tn = self.type_name(&r);
                Err(self.type_error(format!("{name} returned non-string (type {tn})")))
            }
            None => self.repr(v),
        }
    }

    pub fn str_value(&mut self, v: &Value) -> PyResult<Value> {
        match v {
            Value::Str(_) => Ok(v.clone()),
            Value::Int(i) => Ok(int_str(*i)),
            _ => Ok(Value::string(self.to_str(v)?)),
        }
    }

    /// FORMAT_SIMPLE (`f"{v}"`) on a value that is not a str: `format(v, "")` as a str
    /// value, a small int's digits written straight into it.
    pub(crate) fn format_simple(&mut self, v: &Value) -> PyResult<Value> {
        match v {
            Value::Int(i) => Ok(int_str(*i)),
            _ => Ok(Value::string(self.format_value(v, "")?)),
        }
    }

    /// `format(v, spec)`.
    pub fn format_value(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        let r = match v {
            Value::Int(i) => vigil_support::format_i64(*i, spec, "int"),
            Value::Bool(b) => {
                if spec.is_empty() {
                    return Ok(if *b { "True" } else { "False" }.into());
                }
                vigil_support::format_i64(*b as i64, spec, "bool")
            }
            Value::Big(b) => vigil_support::format_bigint(b, spec, "int"),
            Value::Float(f) => vigil_support::format_f64(*f, spec, "float"),
            Value::Complex(c) => {
                return complex_format(c.0, c.1, spec).map_err(|e| self.support_err(e));
            }
            Value::Str(s) => vigil_support::format_str(&s.s, spec, "str"),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(f) = self.class_lookup(&cls, "__format__") {
                    let r = self.call2(&f, v.clone(), Value::str(spec))?;
                    return match r {
                        Value::Str(s) => Ok(s.s.to_string()),
                        _ => Err(self.type_error("__format__ must return a str")),
                    };
                }
                if !spec.is_empty() {
                    return Err(self.type_error(format!(
                        "unsupported format string passed to {}.__format__",
                        cls.name
                    )));
                }
                return self.to_str(v);
            }
            _ => {
                if !spec.is_empty() {
                    let tn = self.type_name(v);
                    return Err(self.type_error(format!(
                        "unsupported format string passed to {tn}.__format__"
                    )));
                }
                return self.to_str(v);
            }
        };
        r.map_err(|e| self.support_err(e))
    }

    pub fn is_builtin_module(&self, name: &str) -> bool {
        matches!(
            name,
            "sys" | "builtins" | "math" | "time" | "gc" | "itertools" | "array" | "_io" | "dis"
        )
    }

    pub fn new_module(&mut self, name: &str) -> Value {
        let d = Rc::new(std::cell::RefCell::new(crate::dict::Table::new()));
        let n = self.intern("__name__");
        Vm::table_set_str(&mut d.borrow_mut(), n, Value::str(name));
        Value::Module(Rc::new(Module {
            name: name.to_string(),
            dict: d,
        }))
    }
}

/// One part of a complex's repr: the float's repr without a trailing `.0` (`2j`, `1.5j`,
/// `1e+16j`), as CPython formats the parts with `repr` but no added `.0`.
fn complex_part(f: f64) -> String {
    let mut s = crate::shim::float_repr(f);
    if s.ends_with(".0") {
        s.truncate(s.len() - 2);
    }
    s
}

/// CPython's complex repr (also its str): `2j` when the real part is +0.0, else
/// `(re+imj)` with the imaginary part's sign always written (`(-0-1j)`, `(nan+infj)`).
pub fn complex_repr(re: f64, im: f64) -> String {
    if re == 0.0 && re.is_sign_positive() {
        return format!("{}j", complex_part(im));
    }
    let sign = if im.is_sign_negative() && !im.is_nan() {
        '-'
    } else {
        '+'
    };
    let imag = complex_part(im.abs());
    format!("({}{sign}{imag}j)", complex_part(re))
}

/// `format(z, spec)` as CPython's complex `__format__`: each part formatted as a float (the
/// imaginary one always signed), parentheses only without a presentation type (and no
/// real part then when it is +0.0), the whole padded to the width (right-aligned by default).
fn complex_format(re: f64, im: f64, spec: &str) -> vigil_support::PyResult<String> {
    use vigil_support::{FormatSpec, Grouping, PyError};
    if spec.is_empty() {
        return Ok(complex_repr(re, im));
    }
    let f = FormatSpec::parse(spec, "complex", true)?;
    if f.fill == '0' {
        return Err(PyError::value(
            "Zero padding is not allowed in complex format specifier",
        ));
    }
    if f.align == Some('=') {
        return Err(PyError::value(
            "'=' alignment flag is not allowed in complex format specifier",
        ));
    }
    let ty = match f.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n') => f.ty,
        Some(t) => {
            return Err(PyError::value(format!(
                "Unknown format code '{t}' for object of type 'complex'"
            )));
        }
    };
    // The parts' own spec: sign, `z`, `#`, grouping, precision and type, no width.
    let part_spec = |sign: Option<char>| {
        let mut p = String::new();
        p.extend(sign);
        if f.no_neg_0 {
            p.push('z');
        }
        if f.alternate {
            p.push('#');
        }
        match f.grouping {
            Grouping::Comma => p.push(','),
            Grouping::Underscore => p.push('_'),
            Grouping::None => {}
        }
        if let Some(n) = f.precision {
            p.push_str(&format!(".{n}"));
        }
        p.extend(ty.or(f.precision.map(|_| 'g')));
        p
    };
    let bare = ty.is_none() && f.precision.is_none();
    let (re_s, im_s) = if bare
        && f.sign.is_none()
        && !f.no_neg_0
        && !f.alternate
        && f.grouping == Grouping::None
    {
        let sign = if im.is_sign_negative() && !im.is_nan() {
            '-'
        } else {
            '+'
        };
        (
            complex_part(re),
            format!("{sign}{}", complex_part(im.abs())),
        )
    } else {
        let mut re_s = vigil_support::format_f64(re, &part_spec(f.sign), "complex")?;
        let mut im_s = vigil_support::format_f64(im, &part_spec(Some('+')), "complex")?;
        if bare {
            for s in [&mut re_s, &mut im_s] {
                if s.ends_with(".0") {
                    s.truncate(s.len() - 2);
                }
            }
        }
        (re_s, im_s)
    };
    let body = if ty.is_none() {
        if re == 0.0 && re.is_sign_positive() {
            let im_s = match f.sign {
                Some('+') => im_s,
                Some(' ') if !im_s.starts_with('-') => format!(" {}", &im_s[1..]),
                _ => im_s.strip_prefix('+').map(str::to_owned).unwrap_or(im_s),
            };
            format!("{im_s}j")
        } else {
            format!("({re_s}{im_s}j)")
        }
    } else {
        format!("{re_s}{im_s}j")
    };
    let mut pad = String::new();
    if f.width.is_some() {
        pad.push(f.fill);
        pad.push(f.align.unwrap_or('>'));
        pad.push_str(&f.width.unwrap_or(0).to_string());
    }
    vigil_support::format_str(&body, &pad, "complex")
}

/// `str(i)`: the digits written backwards into a stack buffer, then into the str's inline
/// text (no `String` allocated, copied and freed, as `to_string` would).
pub(crate) fn int_str(i: i64) -> Value {
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    let digits = std::str::from_utf8(&buf[at..]).unwrap_or_default();
    Value::str_n(digits, digits.len())
}
