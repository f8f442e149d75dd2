//! Methods of builtin types (str, list, dict, set, tuple, int, float, bytes, generators,
//! object, BaseException, type). Each is a native function taking the receiver as its first
//! argument; `setup` installs them into the type's class dict, so attribute lookup, method
//! calls (`LOAD_ATTR` method form) and `type.method(obj)` all go through one path.

use crate::argsig::*;
use crate::builtins::{Kw, check_args, kwarg, sort_values};
use crate::frame::GenStep;
use crate::ops::{CmpOp, int_like};
use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;
use vigil_support::unicode;

type M = (&'static str, NativeFn);

/// `__len__` of a builtin type: `len()` itself (with its OverflowError for a range too long
/// for it).
fn dunder_len(vm: &mut Vm, a: &[Value], _: &[(Rc<PyStr>, Value)]) -> PyResult<Value> {
    Ok(Value::Int(vm.len(&a[0])? as i64))
}

/// A str method that maps the receiver's text to new text.
fn str_map(vm: &mut Vm, a: &[Value], name: &str, f: fn(&str) -> String) -> PyResult<Value> {
    Ok(Value::string(f(&recv_str(vm, a, name)?.s)))
}

/// A str predicate method (`isdigit`, `isupper`, ...).
fn str_test(vm: &mut Vm, a: &[Value], name: &str, f: fn(&str) -> bool) -> PyResult<Value> {
    Ok(Value::Bool(f(&recv_str(vm, a, name)?.s)))
}

/// The builtin value of a subclass instance (see `subclass`): the second try of the
/// `recv_*` helpers, out of line so that their exact-type test stays small where inlined.
#[inline(never)]
fn subclass_base(v: Option<&Value>) -> Option<&Value> {
    match v {
        Some(Value::Instance(i)) => i.base(),
        _ => None,
    }
}

/// The error of a builtin method of `ty` called on something else, or on nothing.
#[cold]
#[inline(never)]
fn recv_error(vm: &mut Vm, v: Option<&Value>, ty: &str, m: &str) -> PyErr {
    match v {
        Some(v) => {
            let tn = vm.type_name(v);
            vm.type_error(format!(
                "descriptor '{m}' for '{ty}' objects doesn't apply to a '{tn}' object"
            ))
        }
        None => vm.type_error(format!("unbound method {ty}.{m}() needs an argument")),
    }
}

#[inline(always)]
fn recv_str<'a>(vm: &mut Vm, args: &'a [Value], m: &str) -> PyResult<&'a Rc<PyStr>> {
    match args.first() {
        Some(Value::Str(x)) => Ok(x),
        other => match subclass_base(other) {
            Some(Value::Str(x)) => Ok(x),
            _ => Err(recv_error(vm, other, "str", m)),
        },
    }
}

#[inline(always)]
fn recv_list<'a>(vm: &mut Vm, args: &'a [Value], m: &str) -> PyResult<&'a Rc<RefCell<Vec<Value>>>> {
    match args.first() {
        Some(Value::List(x)) => Ok(x),
        other => match subclass_base(other) {
            Some(Value::List(x)) => Ok(x),
            _ => Err(recv_error(vm, other, "list", m)),
        },
    }
}

#[inline(always)]
fn recv_dict<'a>(
    vm: &mut Vm,
    args: &'a [Value],
    m: &str,
) -> PyResult<&'a Rc<RefCell<crate::dict::Table>>> {
    match args.first() {
        Some(Value::Dict(x)) => Ok(x),
        other => match subclass_base(other) {
            Some(Value::Dict(x)) => Ok(x),
            _ => Err(recv_error(vm, other, "dict", m)),
        },
    }
}

fn arg_str<'a>(vm: &mut Vm, v: Option<&'a Value>, what: &str) -> PyResult<Option<&'a str>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(&s.s)),
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("{what} arg must be None or str, not {tn}")))
        }
    }
}

fn need_str<'a>(vm: &mut Vm, v: Option<&'a Value>, what: &str) -> PyResult<&'a str> {
    match v {
        Some(Value::Str(s)) => Ok(&s.s),
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("{what}, not {tn}")))
        }
        None => Err(vm.type_error(format!("{what}, not nothing"))),
    }
}

pub fn str_methods() -> Vec<M> {
    vec![
        ("join", |vm, a, kw| {
            check_method(vm, &STR_JOIN, a, kw)?;
            str_join(vm, a, kw)
        }),
        ("split", |vm, a, kw| {
            check_method(vm, &STR_SPLIT, a, kw)?;
            str_split(vm, a, kw)
        }),
        ("rsplit", |vm, a, kw| {
            check_method(vm, &STR_RSPLIT, a, kw)?;
            str_rsplit(vm, a, kw)
        }),
        ("splitlines", |vm, a, kw| {
            check_method(vm, &STR_SPLITLINES, a, kw)?;
            str_splitlines(vm, a, kw)
        }),
        ("strip", |vm, a, kw| {
            check_method(vm, &STR_STRIP, a, kw)?;
            str_strip(vm, a, kw)
        }),
        ("lstrip", |vm, a, kw| {
            check_method(vm, &STR_LSTRIP, a, kw)?;
            str_lstrip(vm, a, kw)
        }),
        ("rstrip", |vm, a, kw| {
            check_method(vm, &STR_RSTRIP, a, kw)?;
            str_rstrip(vm, a, kw)
        }),
        // Case mappings and predicates come from vigil-support's Unicode tables, generated
        // from CPython 3.13 (Rust's char methods differ: casefold, final sigma, titlecase
        // digraphs, what counts as a digit or as numeric).
        ("upper", |vm, a, kw| {
            check_method(vm, &STR_UPPER, a, kw)?;
            str_map(vm, a, "upper", unicode::str_upper)
        }),
        ("lower", |vm, a, kw| {
            check_method(vm, &STR_LOWER, a, kw)?;
            str_map(vm, a, "lower", unicode::str_lower)
        }),
        ("casefold", |vm, a, kw| {
            check_method(vm, &STR_CASEFOLD, a, kw)?;
            str_map(vm, a, "casefold", unicode::str_casefold)
        }),
        ("swapcase", |vm, a, kw| {
            check_method(vm, &STR_SWAPCASE, a, kw)?;
            str_map(vm, a, "swapcase", unicode::str_swapcase)
        }),
        ("capitalize", |vm, a, kw| {
            check_method(vm, &STR_CAPITALIZE, a, kw)?;
            str_map(vm, a, "capitalize", unicode::str_capitalize)
        }),
        ("title", |vm, a, kw| {
            check_method(vm, &STR_TITLE, a, kw)?;
            str_map(vm, a, "title", unicode::str_title)
        }),
        ("startswith", |vm, a, kw| {
            check_method(vm, &STR_STARTSWITH, a, kw)?;
            str_startswith(vm, a, kw)
        }),
        ("endswith", |vm, a, kw| {
            check_method(vm, &STR_ENDSWITH, a, kw)?;
            str_endswith(vm, a, kw)
        }),
        ("find", |vm, a, kw| {
            check_method(vm, &STR_FIND, a, kw)?;
            str_find(vm, a, kw)
        }),
        ("rfind", |vm, a, kw| {
            check_method(vm, &STR_RFIND, a, kw)?;
            str_rfind(vm, a, kw)
        }),
        ("index", |vm, a, kw| {
            check_method(vm, &STR_INDEX, a, kw)?;
            str_index(vm, a, kw)
        }),
        ("rindex", |vm, a, kw| {
            check_method(vm, &STR_RINDEX, a, kw)?;
            str_rindex(vm, a, kw)
        }),
        ("count", |vm, a, kw| {
            check_method(vm, &STR_COUNT, a, kw)?;
            str_count(vm, a, kw)
        }),
        ("replace", |vm, a, kw| {
            check_method(vm, &STR_REPLACE, a, kw)?;
            str_replace(vm, a, kw)
        }),
        ("format", |vm, a, kw| {
            let s = recv_str(vm, a, "format")?.clone();
            Ok(Value::string(vm.str_format(&s.s, &a[1..], kw)?))
        }),
        ("isdigit", |vm, a, kw| {
            check_method(vm, &STR_ISDIGIT, a, kw)?;
            str_test(vm, a, "isdigit", unicode::str_isdigit)
        }),
        ("isdecimal", |vm, a, kw| {
            check_method(vm, &STR_ISDECIMAL, a, kw)?;
            str_test(vm, a, "isdecimal", unicode::str_isdecimal)
        }),
        ("isnumeric", |vm, a, kw| {
            check_method(vm, &STR_ISNUMERIC, a, kw)?;
            str_test(vm, a, "isnumeric", unicode::str_isnumeric)
        }),
        ("isalpha", |vm, a, kw| {
            check_method(vm, &STR_ISALPHA, a, kw)?;
            str_test(vm, a, "isalpha", unicode::str_isalpha)
        }),
        ("isalnum", |vm, a, kw| {
            check_method(vm, &STR_ISALNUM, a, kw)?;
            str_test(vm, a, "isalnum", unicode::str_isalnum)
        }),
        ("isspace", |vm, a, kw| {
            check_method(vm, &STR_ISSPACE, a, kw)?;
            str_test(vm, a, "isspace", unicode::str_isspace)
        }),
        ("isupper", |vm, a, kw| {
            check_method(vm, &STR_ISUPPER, a, kw)?;
            str_test(vm, a, "isupper", unicode::str_isupper)
        }),
        ("islower", |vm, a, kw| {
            check_method(vm, &STR_ISLOWER, a, kw)?;
            str_test(vm, a, "islower", unicode::str_islower)
        }),
        ("istitle", |vm, a, kw| {
            check_method(vm, &STR_ISTITLE, a, kw)?;
            str_test(vm, a, "istitle", unicode::str_istitle)
        }),
        ("isidentifier", |vm, a, kw| {
            check_method(vm, &STR_ISIDENTIFIER, a, kw)?;
            str_test(vm, a, "isidentifier", unicode::str_isidentifier)
        }),
        ("isascii", |vm, a, kw| {
            check_method(vm, &STR_ISASCII, a, kw)?;
            let s = recv_str(vm, a, "isascii")?;
            Ok(Value::Bool(s.s.is_ascii()))
        }),
        ("isprintable", |vm, a, kw| {
            check_method(vm, &STR_ISPRINTABLE, a, kw)?;
            let s = recv_str(vm, a, "isprintable")?;
            Ok(Value::Bool(s.s.chars().all(vigil_support::is_printable)))
        }),
        ("center", |vm, a, kw| {
            check_method(vm, &STR_CENTER, a, kw)?;
            str_pad(vm, a, 'c')
        }),
        ("ljust", |vm, a, kw| {
            check_method(vm, &STR_LJUST, a, kw)?;
            str_pad(vm, a, 'l')
        }),
        ("rjust", |vm, a, kw| {
            check_method(vm, &STR_RJUST, a, kw)?;
            str_pad(vm, a, 'r')
        }),
        ("zfill", |vm, a, kw| {
            check_method(vm, &STR_ZFILL, a, kw)?;
            let s = recv_str(vm, a, "zfill")?.clone();
            check_args(vm, "zfill", &a[1..], 1, 1)?;
            let w = vm.index_value(&a[1])?.max(0) as usize;
            if s.nchars >= w {
                return Ok(a[0].clone());
            }
            let fill = "0".repeat(w - s.nchars);
            let (sign, rest) = match s.s.chars().next() {
                Some(c @ ('+' | '-')) => (c.to_string(), &s.s[1..]),
                _ => (String::new(), &s.s[..]),
            };
            Ok(Value::string(format!("{sign}{fill}{rest}")))
        }),
        ("partition", |vm, a, kw| {
            check_method(vm, &STR_PARTITION, a, kw)?;
            let s = recv_str(vm, a, "partition")?.clone();
            let sep = need_str(vm, a.get(1), "must be str")?;
            if sep.is_empty() {
                return Err(vm.value_error("empty separator"));
            }
            Ok(match s.s.find(sep) {
                Some(p) => Value::tuple(vec![
                    Value::str(&s.s[..p]),
                    Value::str(sep),
                    Value::str(&s.s[p + sep.len()..]),
                ]),
                None => Value::tuple(vec![a[0].clone(), Value::str(""), Value::str("")]),
            })
        }),
        ("rpartition", |vm, a, kw| {
            check_method(vm, &STR_RPARTITION, a, kw)?;
            let s = recv_str(vm, a, "rpartition")?.clone();
            let sep = need_str(vm, a.get(1), "must be str")?;
            if sep.is_empty() {
                return Err(vm.value_error("empty separator"));
            }
            Ok(match s.s.rfind(sep) {
                Some(p) => Value::tuple(vec![
                    Value::str(&s.s[..p]),
                    Value::str(sep),
                    Value::str(&s.s[p + sep.len()..]),
                ]),
                None => Value::tuple(vec![Value::str(""), Value::str(""), a[0].clone()]),
            })
        }),
        ("removeprefix", |vm, a, kw| {
            check_method(vm, &STR_REMOVEPREFIX, a, kw)?;
            let s = recv_str(vm, a, "removeprefix")?.clone();
            let p = need_str(vm, a.get(1), "removeprefix() argument must be str")?;
            Ok(match s.s.strip_prefix(p) {
                Some(r) => Value::str(r),
                None => a[0].clone(),
            })
        }),
        ("removesuffix", |vm, a, kw| {
            check_method(vm, &STR_REMOVESUFFIX, a, kw)?;
            let s = recv_str(vm, a, "removesuffix")?.clone();
            let p = need_str(vm, a.get(1), "removesuffix() argument must be str")?;
            Ok(match s.s.strip_suffix(p) {
                Some(r) if !p.is_empty() => Value::str(r),
                _ => a[0].clone(),
            })
        }),
        ("encode", |vm, a, kw| {
            let args = &*crate::argsig::bind(vm, &STR_ENCODE, a.get(1..).unwrap_or(&[]), kw)?;
            let s = recv_str(vm, a, "encode")?.clone();
            crate::codecs::encode(vm, &s.s, args.first(), args.get(1))
        }),
        ("expandtabs", |vm, a, kw| {
            check_method(vm, &STR_EXPANDTABS, a, kw)?;
            let s = recv_str(vm, a, "expandtabs")?.clone();
            let ts = match a.get(1) {
                Some(v) => vm.index_value(v)?,
                None => 8,
            };
            let mut out = String::new();
            let mut col = 0i64;
            for c in s.s.chars() {
                if c == '\t' {
                    if ts > 0 {
                        let n = ts - col % ts;
                        out.push_str(&" ".repeat(n as usize));
                        col += n;
                    }
                } else {
                    out.push(c);
                    col = if c == '\n' || c == '\r' { 0 } else { col + 1 };
                }
            }
            Ok(Value::string(out))
        }),
        ("__len__", dunder_len),
        ("__contains__", |vm, a, _| {
            Ok(Value::Bool(vm.contains(&a[0], &a[1])?))
        }),
        ("__getitem__", |vm, a, _| vm.getitem(&a[0], &a[1])),
        ("__add__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Add, false)
        }),
        ("__mul__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Mul, false)
        }),
        ("__mod__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Mod, false)
        }),
        ("maketrans", |vm, a, kw| {
            // str.maketrans(x, y[, z]) as a staticmethod-like builtin: args are (x, y, z).
            check(vm, &STR_MAKETRANS, a, kw)?;
            let d = vm.new_dict();
            if let (Some(Value::Str(x)), Some(Value::Str(y))) = (a.first(), a.get(1))
                && let Value::Dict(t) = &d
            {
                for (c1, c2) in x.s.chars().zip(y.s.chars()) {
                    vm.table_set(t, Value::Int(c1 as i64), Value::Int(c2 as i64))?;
                }
                if let Some(Value::Str(z)) = a.get(2) {
                    for c in z.s.chars() {
                        vm.table_set(t, Value::Int(c as i64), Value::None)?;
                    }
                }
            }
            Ok(d)
        }),
        ("translate", |vm, a, kw| {
            check_method(vm, &STR_TRANSLATE, a, kw)?;
            let s = recv_str(vm, a, "translate")?.clone();
            let table = a.get(1).cloned().unwrap_or_default();
            let mut out = String::new();
            for c in s.s.chars() {
                match vm.getitem(&table, &Value::Int(c as i64)) {
                    Ok(Value::None) => {}
                    Ok(Value::Int(i)) => out.push(char::from_u32(i as u32).unwrap_or(c)),
                    Ok(Value::Str(r)) => out.push_str(&r.s),
                    Ok(_) => out.push(c),
                    Err(e) => {
                        if vm.exc_matches(&e.0, "LookupError") {
                            out.push(c)
                        } else {
                            return Err(e);
                        }
                    }
                }
            }
            Ok(Value::string(out))
        }),
    ]
}

fn str_pad(vm: &mut Vm, a: &[Value], how: char) -> PyResult<Value> {
    let s = recv_str(vm, a, "center")?.clone();
    let w = match a.get(1) {
        Some(v) => vm.index_value(v)?,
        None => return Err(vm.type_error("expected at least 1 argument, got 0")),
    };
    let fill = match a.get(2) {
        Some(Value::Str(f)) if f.nchars == 1 => f.s.chars().next().unwrap_or(' '),
        Some(_) => {
            return Err(vm.type_error("The fill character must be exactly one character long"));
        }
        None => ' ',
    };
    let n = s.nchars as i64;
    if w <= n {
        return Ok(a[0].clone());
    }
    let total = (w - n) as usize;
    let (left, right) = match how {
        'l' => (0, total),
        'r' => (total, 0),
        _ => {
            // CPython's centering puts the extra char on the right unless width is odd
            // and the string length even (left = total/2 + (total & width & 1)).
            let left = total / 2 + (total & (w as usize) & 1);
            (left, total - left)
        }
    };
    let f = fill.to_string();
    Ok(Value::string(format!(
        "{}{}{}",
        f.repeat(left),
        s.s,
        f.repeat(right)
    )))
}

fn str_join(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let sep = recv_str(vm, a, "join")?;
    check_args(vm, "str.join", &a[1..], 1, 1)?;
    // A list or tuple is read in place (no Python code runs while it is borrowed); anything
    // else is gathered first.
    match &a[1] {
        Value::List(l) => join_strs(vm, sep, &l.borrow()),
        Value::Tuple(t) => join_strs(vm, sep, t),
        other => {
            // CPython names the failure to iterate in join's own words.
            let it = match vm.get_iter(other) {
                Ok(it) => it,
                Err(e) if vm.exc_matches(&e.0, "TypeError") => {
                    return Err(vm.type_error("can only join an iterable"));
                }
                Err(e) => return Err(e),
            };
            let items = vm.collect(&it)?;
            join_strs(vm, sep, &items)
        }
    }
}

/// `sep.join(items)`: one pass to check the items and size the result, one to copy, so the
/// text is allocated once and its code point count is known without a scan.
fn join_strs(vm: &mut Vm, sep: &PyStr, items: &[Value]) -> PyResult<Value> {
    let (mut bytes, mut chars) = (0, 0);
    for (i, it) in items.iter().enumerate() {
        match it {
            Value::Str(s) => {
                bytes += s.s.len();
                chars += s.nchars;
            }
            // A str subclass instance joins by its text.
            Value::Instance(i) if matches!(i.base(), Some(Value::Str(_))) => {
                if let Some(Value::Str(s)) = i.base() {
                    bytes += s.s.len();
                    chars += s.nchars;
                }
            }
            _ => {
                let tn = vm.type_name(it);
                return Err(vm.type_error(format!(
                    "sequence item {i}: expected str instance, {tn} found"
                )));
            }
        }
    }
    if let [one @ Value::Str(_)] = items {
        return Ok(one.clone());
    }
    let gaps = items.len().saturating_sub(1);
    bytes += sep.s.len() * gaps;
    chars += sep.nchars * gaps;
    let mut out = TextBuilder::with_capacity(bytes);
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push(&sep.s);
        }
        match it {
            Value::Str(s) => out.push(&s.s),
            other => {
                if let Some(Value::Str(s)) = crate::subclass::base_of(other) {
                    out.push(&s.s);
                }
            }
        }
    }
    Ok(Value::Str(Rc::new(PyStr::with_nchars(out.finish(), chars))))
}

/// The separator and maxsplit of `split`/`rsplit`. The separator stays a `Value` (a
/// positional one is borrowed from the arguments, a keyword one owned) so its text need
/// not be copied.
fn split_args<'a>(
    vm: &mut Vm,
    a: &'a [Value],
    kw: Kw<'_>,
) -> PyResult<(Option<std::borrow::Cow<'a, Value>>, i64)> {
    use std::borrow::Cow;
    let sep = match a.get(1) {
        Some(v) => Some(Cow::Borrowed(v)),
        None => kwarg(kw, "sep").map(Cow::Owned),
    };
    let sep = match sep {
        None => None,
        Some(v) => match &*v {
            Value::None => None,
            Value::Str(_) => Some(v),
            other => {
                let tn = vm.type_name(other);
                return Err(vm.type_error(format!("must be str or None, not {tn}")));
            }
        },
    };
    let max = match a.get(2).cloned().or_else(|| kwarg(kw, "maxsplit")) {
        Some(v) => vm.index_value(&v)?,
        None => -1,
    };
    if sep.as_deref().is_some_and(|v| sep_text(v).is_empty()) {
        return Err(vm.value_error("empty separator"));
    }
    Ok((sep, max))
}

/// The text of a separator `split_args` accepted.
fn sep_text(v: &Value) -> &str {
    match v {
        Value::Str(s) => &s.s,
        _ => unreachable!("split_args lets only str separators through"),
    }
}

/// `s.split()` (whitespace) on an ASCII str: a byte scan, and every piece, being ASCII too,
/// built with its length as its code point count.
fn split_ascii_space(s: &str, max: i64) -> Vec<Value> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(12);
    let mut i = 0;
    let mut n = 0;
    loop {
        while i < b.len() && ascii_space(b[i]) {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        if max >= 0 && n >= max {
            out.push(Value::str_n(&s[i..], b.len() - i));
            break;
        }
        let start = i;
        while i < b.len() && !ascii_space(b[i]) {
            i += 1;
        }
        out.push(Value::str_n(&s[start..i], i - start));
        n += 1;
    }
    out
}

/// A piece of `s` as a str value: an ASCII str's pieces need no count of their code points.
fn piece(s: &PyStr, p: &str) -> Value {
    if s.is_ascii() {
        Value::str_n(p, p.len())
    } else {
        Value::str(p)
    }
}

fn str_split(vm: &mut Vm, a: &[Value], kw: Kw<'_>) -> PyResult<Value> {
    let s = recv_str(vm, a, "split")?;
    let (sep, max) = split_args(vm, a, kw)?;
    let parts: Vec<Value> = match sep {
        Some(sep) => {
            let sep = sep_text(&sep);
            if max < 0 {
                s.s.split(sep).map(|p| piece(s, p)).collect()
            } else {
                s.s.splitn(max as usize + 1, sep)
                    .map(|p| piece(s, p))
                    .collect()
            }
        }
        None if s.is_ascii() => split_ascii_space(&s.s, max),
        None => {
            let mut out = Vec::new();
            let mut rest = s.s.trim_start_matches(py_space);
            let mut n = 0;
            while !rest.is_empty() {
                if max >= 0 && n >= max {
                    out.push(Value::str(rest));
                    break;
                }
                let end = rest.find(py_space).unwrap_or(rest.len());
                out.push(Value::str(&rest[..end]));
                n += 1;
                rest = rest[end..].trim_start_matches(py_space);
            }
            out
        }
    };
    Ok(Value::list(parts))
}

fn str_rsplit(vm: &mut Vm, a: &[Value], kw: Kw<'_>) -> PyResult<Value> {
    let s = recv_str(vm, a, "rsplit")?;
    let (sep, max) = split_args(vm, a, kw)?;
    let mut parts: Vec<Value> = match sep {
        Some(sep) => {
            let sep = sep_text(&sep);
            if max < 0 {
                s.s.rsplit(sep).map(|p| piece(s, p)).collect()
            } else {
                s.s.rsplitn(max as usize + 1, sep)
                    .map(|p| piece(s, p))
                    .collect()
            }
        }
        None => {
            let mut out = Vec::new();
            let mut rest = s.s.trim_end_matches(py_space);
            let mut n = 0;
            while !rest.is_empty() {
                if max >= 0 && n >= max {
                    out.push(Value::str(rest));
                    break;
                }
                let start = rest
                    .rfind(py_space)
                    .map(|p| p + rest[p..].chars().next().map_or(1, |c| c.len_utf8()))
                    .unwrap_or(0);
                out.push(Value::str(&rest[start..]));
                n += 1;
                rest = rest[..start].trim_end_matches(py_space);
            }
            out
        }
    };
    parts.reverse();
    Ok(Value::list(parts))
}

fn str_splitlines(vm: &mut Vm, a: &[Value], kw: Kw<'_>) -> PyResult<Value> {
    let s = recv_str(vm, a, "splitlines")?.clone();
    let keep = match a.get(1).cloned().or_else(|| kwarg(kw, "keepends")) {
        Some(v) => vm.truthy(&v)?,
        None => false,
    };
    let mut out = Vec::new();
    let text: &str = &s.s;
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_line_break(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, d)| d == '\n') {
            chars.next();
            end += 1;
        }
        out.push(Value::str(&text[start..if keep { end } else { i }]));
        start = end;
    }
    if start < text.len() {
        out.push(Value::str(&text[start..]));
    }
    Ok(Value::list(out))
}

/// What `str.split()` with no separator splits on: `str.isspace()`'s characters, which
/// besides Unicode's White_Space include the ASCII separators U+001C–U+001F.
fn py_space(c: char) -> bool {
    if c.is_ascii() {
        ascii_space(c as u8)
    } else {
        vigil_support::unicode::is_space(c)
    }
}

/// `py_space` for an ASCII character: space, `\t` to `\r`, and U+001C–U+001F.
#[inline(always)]
fn ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f)
}

/// `str.splitlines()`'s line boundaries: `\n`, `\r` (and `\r\n` as one), `\v`, `\f`, the
/// separators U+001C–U+001E, NEL, and the line and paragraph separators.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn strip_impl(vm: &mut Vm, a: &[Value], left: bool, right: bool) -> PyResult<Value> {
    let s = recv_str(vm, a, "strip")?.clone();
    let chars = arg_str(vm, a.get(1), "strip")?.map(|c| c.to_string());
    let pred = |c: char| match &chars {
        Some(cs) => cs.contains(c),
        None => py_space(c),
    };
    let mut r: &str = &s.s;
    if left {
        r = r.trim_start_matches(pred);
    }
    if right {
        r = r.trim_end_matches(pred);
    }
    if r.len() == s.s.len() {
        return Ok(a[0].clone());
    }
    Ok(Value::str(r))
}

fn str_strip(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    strip_impl(vm, a, true, true)
}
fn str_lstrip(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    strip_impl(vm, a, true, false)
}
fn str_rstrip(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    strip_impl(vm, a, false, true)
}

fn prefix_impl(vm: &mut Vm, a: &[Value], ends: bool) -> PyResult<Value> {
    let name = if ends { "endswith" } else { "startswith" };
    let s = recv_str(vm, a, name)?;
    let win = sub_range(vm, s, a.get(2), a.get(3))?;
    let test = |p: &str| match win {
        None => false,
        Some((st, en)) if ends => s.s[st..en].ends_with(p),
        Some((st, en)) => s.s[st..en].starts_with(p),
    };
    match a.get(1) {
        Some(Value::Str(p)) => Ok(Value::Bool(test(&p.s))),
        Some(Value::Tuple(t)) => {
            for x in t.iter() {
                match x {
                    Value::Str(p) => {
                        if test(&p.s) {
                            return Ok(Value::Bool(true));
                        }
                    }
                    _ => {
                        let tn = vm.type_name(x);
                        return Err(vm.type_error(format!(
                            "tuple for {name} must only contain str, not {tn}"
                        )));
                    }
                }
            }
            Ok(Value::Bool(false))
        }
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!(
                "{name} first arg must be str or a tuple of str, not {tn}"
            )))
        }
        None => Err(vm.type_error(format!("{name}() takes at least 1 argument (0 given)"))),
    }
}

fn str_startswith(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    prefix_impl(vm, a, false)
}
fn str_endswith(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    prefix_impl(vm, a, true)
}

/// Byte range of `s` covering the code-point slice [start:end], or `None` when the start,
/// once adjusted as CPython adjusts it (negative from the end; past the end left alone),
/// lies beyond the end: there even the empty string is not found (`"ab".find("", 3)` is -1).
fn sub_range(
    vm: &mut Vm,
    s: &PyStr,
    start: Option<&Value>,
    end: Option<&Value>,
) -> PyResult<Option<(usize, usize)>> {
    let n = s.nchars as i64;
    let norm = |vm: &mut Vm, v: Option<&Value>, default: i64| -> PyResult<i64> {
        match v {
            None | Some(Value::None) => Ok(default),
            Some(v) => {
                let i = vm.slice_int(v)?;
                Ok(if i < 0 { (i + n).max(0) } else { i })
            }
        }
    };
    let st = norm(vm, start, 0)?;
    let en = norm(vm, end, n)?.min(n);
    if st > en {
        return Ok(None);
    }
    Ok(Some((
        char_to_byte(s, st as usize),
        char_to_byte(s, en as usize),
    )))
}

/// `find()` and the like: a str argument, else CPython's argument error, which calls None
/// `None` rather than `NoneType`.
fn sub_arg<'a>(vm: &mut Vm, v: Option<&'a Value>, fname: &str) -> PyResult<&'a str> {
    match v {
        Some(Value::Str(s)) => Ok(&s.s),
        Some(Value::None) => {
            Err(vm.type_error(format!("{fname}() argument 1 must be str, not None")))
        }
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("{fname}() argument 1 must be str, not {tn}")))
        }
        None => Err(vm.type_error(format!("{fname} expected at least 1 argument, got 0"))),
    }
}

fn char_to_byte(s: &PyStr, ci: usize) -> usize {
    if s.is_ascii() {
        return ci.min(s.s.len());
    }
    s.s.char_indices()
        .nth(ci)
        .map(|(b, _)| b)
        .unwrap_or(s.s.len())
}

fn byte_to_char(s: &PyStr, bi: usize) -> usize {
    if s.is_ascii() {
        return bi;
    }
    s.s[..bi].chars().count()
}

fn find_impl(vm: &mut Vm, a: &[Value], rev: bool, name: &str) -> PyResult<i64> {
    let s = recv_str(vm, a, name)?;
    let sub = sub_arg(vm, a.get(1), name)?;
    let Some((st, en)) = sub_range(vm, s, a.get(2), a.get(3))? else {
        return Ok(-1);
    };
    // Byte search is exact on UTF-8: a match of valid UTF-8 starts on a code point boundary.
    let hay = &s.s.as_bytes()[st..en];
    let r = if rev {
        rfind_bytes(hay, sub.as_bytes())
    } else {
        find_bytes(hay, sub.as_bytes())
    };
    Ok(match r {
        Some(p) => byte_to_char(s, st + p) as i64,
        None => -1,
    })
}

/// Haystacks shorter than this are searched by scanning for the needle's first byte:
/// building a `memmem` searcher costs more than the whole search of a short string.
const SHORT_HAY: usize = 64;

/// The first occurrence of `needle` in `hay`.
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => Some(0),
        &[c] => memchr::memchr(c, hay),
        [c, rest @ ..] if hay.len() < SHORT_HAY => {
            let last = hay.len().checked_sub(needle.len())?;
            let mut i = 0;
            while let Some(p) = memchr::memchr(*c, &hay[i..=last]) {
                let at = i + p;
                if hay[at + 1..].starts_with(rest) {
                    return Some(at);
                }
                i = at + 1;
            }
            None
        }
        _ => memchr::memmem::find(hay, needle),
    }
}

/// The last occurrence of `needle` in `hay`.
fn rfind_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => Some(hay.len()),
        &[c] => memchr::memrchr(c, hay),
        [c, rest @ ..] if hay.len() < SHORT_HAY => {
            let mut end = hay.len().checked_sub(needle.len())? + 1;
            while let Some(at) = memchr::memrchr(*c, &hay[..end]) {
                if hay[at + 1..].starts_with(rest) {
                    return Some(at);
                }
                end = at;
            }
            None
        }
        _ => memchr::memmem::rfind(hay, needle),
    }
}

fn str_find(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    Ok(Value::Int(find_impl(vm, a, false, "find")?))
}
fn str_rfind(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    Ok(Value::Int(find_impl(vm, a, true, "rfind")?))
}
fn str_index(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let r = find_impl(vm, a, false, "index")?;
    if r < 0 {
        return Err(vm.value_error("substring not found"));
    }
    Ok(Value::Int(r))
}
fn str_rindex(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let r = find_impl(vm, a, true, "rindex")?;
    if r < 0 {
        return Err(vm.value_error("substring not found"));
    }
    Ok(Value::Int(r))
}

fn str_count(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let s = recv_str(vm, a, "count")?;
    let sub = sub_arg(vm, a.get(1), "count")?;
    let Some((st, en)) = sub_range(vm, s, a.get(2), a.get(3))? else {
        return Ok(Value::Int(0));
    };
    let hay = &s.s[st..en];
    let n = match sub.as_bytes() {
        [] => hay.chars().count() + 1,
        // One byte (an ASCII character): a plain count the compiler vectorizes.
        &[c] => hay.bytes().filter(|&b| b == c).count(),
        needle => memchr::memmem::find_iter(hay.as_bytes(), needle).count(),
    };
    Ok(Value::Int(n as i64))
}

fn str_replace(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let s = recv_str(vm, a, "replace")?.clone();
    let old = need_str(vm, a.get(1), "replace() argument 1 must be str")?.to_string();
    let new = need_str(vm, a.get(2), "replace() argument 2 must be str")?.to_string();
    let count = match a.get(3) {
        Some(v) => vm.index_value(v)?,
        None => -1,
    };
    Ok(Value::string(if count < 0 {
        s.s.replace(&old, &new)
    } else {
        s.s.replacen(&old, &new, count as usize)
    }))
}

// ---------- list ----------

pub fn list_methods() -> Vec<M> {
    vec![
        ("append", |vm, a, kw| {
            let l = recv_list(vm, a, "append")?;
            // The full check runs only when the count is wrong or a keyword came (two
            // compares on the common call; the whole check on every append costs the loops
            // that call it); then it fails, in CPython's words.
            if a.len() != 2 || !kw.is_empty() {
                check_method(vm, &LIST_APPEND, a, kw)?;
            }
            l.borrow_mut().push(a[1].clone());
            Ok(Value::None)
        }),
        ("extend", |vm, a, kw| {
            check_method(vm, &LIST_EXTEND, a, kw)?;
            let l = recv_list(vm, a, "extend")?.clone();
            let items = vm.collect(&a[1])?;
            l.borrow_mut().extend(items);
            Ok(Value::None)
        }),
        ("pop", |vm, a, kw| {
            let l = recv_list(vm, a, "pop")?.clone();
            // As in `append`.
            if a.len() > 2 || !kw.is_empty() {
                check_method(vm, &LIST_POP, a, kw)?;
            }
            let n = l.borrow().len() as i64;
            if n == 0 {
                return Err(vm.index_error("pop from empty list"));
            }
            let i = match a.get(1) {
                Some(v) => vm.index_value(v)?,
                None => n - 1,
            };
            let Some(j) = crate::iter::index_in(i, n as usize) else {
                return Err(vm.index_error("pop index out of range"));
            };
            Ok(l.borrow_mut().remove(j))
        }),
        ("insert", |vm, a, kw| {
            let l = recv_list(vm, a, "insert")?.clone();
            // As in `append`.
            if a.len() != 3 || !kw.is_empty() {
                check_method(vm, &LIST_INSERT, a, kw)?;
            }
            let n = l.borrow().len() as i64;
            let i = vm.index_value(&a[1])?;
            let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
            l.borrow_mut().insert(j as usize, a[2].clone());
            Ok(Value::None)
        }),
        ("remove", |vm, a, kw| {
            check_method(vm, &LIST_REMOVE, a, kw)?;
            let l = recv_list(vm, a, "remove")?.clone();
            let n = l.borrow().len();
            for i in 0..n {
                let x = l.borrow().get(i).cloned().unwrap_or_default();
                if vm.eq_identity_first(&x, &a[1])? {
                    l.borrow_mut().remove(i);
                    return Ok(Value::None);
                }
            }
            Err(vm.value_error("list.remove(x): x not in list"))
        }),
        ("index", |vm, a, kw| {
            check_method(vm, &LIST_INDEX, a, kw)?;
            let l = recv_list(vm, a, "index")?.clone();
            let items = l.borrow().clone();
            let n = items.len() as i64;
            let norm = |i: i64| if i < 0 { (i + n).max(0) } else { i.min(n) };
            let st = match a.get(2) {
                Some(v) => norm(vm.index_value(v)?),
                None => 0,
            };
            let en = match a.get(3) {
                Some(v) => norm(vm.index_value(v)?),
                None => n,
            };
            for i in st..en {
                if vm.eq_identity_first(&items[i as usize], &a[1])? {
                    return Ok(Value::Int(i));
                }
            }
            let r = vm.repr(&a[1])?;
            Err(vm.value_error(format!("{r} is not in list")))
        }),
        ("count", |vm, a, kw| {
            check_method(vm, &LIST_COUNT, a, kw)?;
            let l = recv_list(vm, a, "count")?.clone();
            let items = l.borrow().clone();
            let mut c = 0;
            for x in &items {
                if vm.eq_identity_first(x, &a[1])? {
                    c += 1;
                }
            }
            Ok(Value::Int(c))
        }),
        ("reverse", |vm, a, kw| {
            check_method(vm, &LIST_REVERSE, a, kw)?;
            recv_list(vm, a, "reverse")?.borrow_mut().reverse();
            Ok(Value::None)
        }),
        ("clear", |vm, a, kw| {
            check_method(vm, &LIST_CLEAR, a, kw)?;
            recv_list(vm, a, "clear")?.borrow_mut().clear();
            Ok(Value::None)
        }),
        ("copy", |vm, a, kw| {
            check_method(vm, &LIST_COPY, a, kw)?;
            Ok(Value::list(recv_list(vm, a, "copy")?.borrow().clone()))
        }),
        ("sort", |vm, a, kw| {
            check_method(vm, &LIST_SORT, a, kw)?;
            let l = recv_list(vm, a, "sort")?.clone();
            if a.len() > 1 {
                return Err(vm.type_error("sort() takes no positional arguments"));
            }
            let key = kwarg(kw, "key").filter(|k| !k.is_none());
            let reverse = match kwarg(kw, "reverse") {
                Some(r) => vm.truthy(&r)?,
                None => false,
            };
            let mut items = std::mem::take(&mut *l.borrow_mut());
            let r = sort_values(vm, &mut items, key, reverse);
            let modified = !l.borrow().is_empty();
            *l.borrow_mut() = items;
            r?;
            if modified {
                return Err(vm.value_error("list modified during sort"));
            }
            Ok(Value::None)
        }),
        ("__len__", dunder_len),
        ("__getitem__", |vm, a, _| vm.getitem(&a[0], &a[1])),
        ("__setitem__", |vm, a, _| {
            vm.setitem(&a[0], &a[1], a[2].clone())?;
            Ok(Value::None)
        }),
        ("__contains__", |vm, a, _| {
            Ok(Value::Bool(vm.contains(&a[0], &a[1])?))
        }),
        ("__iter__", |vm, a, _| vm.get_iter(&a[0])),
    ]
}

pub fn tuple_methods() -> Vec<M> {
    vec![
        ("index", |vm, a, kw| {
            check_method(vm, &TUPLE_INDEX, a, kw)?;
            let Some(Value::Tuple(t)) = a.first().map(crate::subclass::unwrap) else {
                return Err(vm.type_error("descriptor 'index' requires a tuple"));
            };
            let t = t.clone();
            for (i, x) in t.iter().enumerate() {
                if vm.eq_identity_first(x, &a[1])? {
                    return Ok(Value::Int(i as i64));
                }
            }
            Err(vm.value_error("tuple.index(x): x not in tuple"))
        }),
        ("count", |vm, a, kw| {
            check_method(vm, &TUPLE_COUNT, a, kw)?;
            let Some(Value::Tuple(t)) = a.first().map(crate::subclass::unwrap) else {
                return Err(vm.type_error("descriptor 'count' requires a tuple"));
            };
            let t = t.clone();
            let mut c = 0;
            for x in t.iter() {
                if vm.eq_identity_first(x, &a[1])? {
                    c += 1;
                }
            }
            Ok(Value::Int(c))
        }),
        ("__len__", dunder_len),
        ("__getitem__", |vm, a, _| vm.getitem(&a[0], &a[1])),
        ("__contains__", |vm, a, _| {
            Ok(Value::Bool(vm.contains(&a[0], &a[1])?))
        }),
    ]
}

/// `range`'s methods. `count` and `index` of an int are arithmetic (no scan); anything else
/// is compared item by item, as CPython does for non-int values.
pub fn range_methods() -> Vec<M> {
    fn recv(vm: &mut Vm, a: &[Value], name: &str) -> PyResult<(i64, i64, i64)> {
        match a.first() {
            Some(Value::Range(r)) => Ok(**r),
            _ => Err(vm.type_error(format!("descriptor '{name}' requires a 'range' object"))),
        }
    }
    /// The positions of `a[1]` in the range `a[0]`, found by comparing every item.
    fn scan(vm: &mut Vm, a: &[Value]) -> PyResult<Vec<usize>> {
        let items = vm.collect(&a[0])?;
        let mut at = Vec::new();
        for (i, v) in items.iter().enumerate() {
            if vm.eq(v, &a[1])? {
                at.push(i);
            }
        }
        Ok(at)
    }
    vec![
        ("__len__", dunder_len),
        ("__getitem__", |vm, a, _| vm.getitem(&a[0], &a[1])),
        ("__contains__", |vm, a, _| {
            Ok(Value::Bool(vm.contains(&a[0], &a[1])?))
        }),
        ("__iter__", |vm, a, _| vm.get_iter(&a[0])),
        ("count", |vm, a, _| {
            recv(vm, a, "count")?;
            check_args(vm, "range.count", &a[1..], 1, 1)?;
            if let Value::Int(_) = a[1] {
                return Ok(Value::Int(vm.contains(&a[0], &a[1])? as i64));
            }
            Ok(Value::Int(scan(vm, a)?.len() as i64))
        }),
        ("index", |vm, a, _| {
            let (start, _, step) = recv(vm, a, "index")?;
            check_args(vm, "range.index", &a[1..], 1, 1)?;
            if let Value::Int(i) = a[1] {
                if vm.contains(&a[0], &a[1])? {
                    return Ok(Value::Int(
                        ((i as i128 - start as i128) / step as i128) as i64,
                    ));
                }
                let r = vm.repr(&a[1])?;
                return Err(vm.value_error(format!("{r} is not in range")));
            }
            match scan(vm, a)?.first() {
                Some(&i) => Ok(Value::Int(i as i64)),
                None => Err(vm.value_error("sequence.index(x): x not in sequence")),
            }
        }),
    ]
}

// ---------- dict ----------

pub fn dict_methods() -> Vec<M> {
    vec![
        ("get", |vm, a, kw| {
            // `DICT_GET` admits one or two arguments, so `a[1]` is there.
            check_method(vm, &DICT_GET, a, kw)?;
            let d = recv_dict(vm, a, "get")?.clone();
            Ok(vm
                .table_get(&d, &a[1])?
                .unwrap_or_else(|| a.get(2).cloned().unwrap_or(Value::None)))
        }),
        ("keys", |vm, a, kw| {
            check_method(vm, &DICT_KEYS, a, kw)?;
            let d = recv_dict(vm, a, "keys")?.clone();
            Ok(Value::DictView(Rc::new((d, 0))))
        }),
        ("values", |vm, a, kw| {
            check_method(vm, &DICT_VALUES, a, kw)?;
            let d = recv_dict(vm, a, "values")?.clone();
            Ok(Value::DictView(Rc::new((d, 1))))
        }),
        ("items", |vm, a, kw| {
            check_method(vm, &DICT_ITEMS, a, kw)?;
            let d = recv_dict(vm, a, "items")?.clone();
            Ok(Value::DictView(Rc::new((d, 2))))
        }),
        ("pop", |vm, a, kw| {
            check_method(vm, &DICT_POP, a, kw)?;
            let d = recv_dict(vm, a, "pop")?.clone();
            check_args(vm, "pop", &a[1..], 1, 2)?;
            match vm.table_del(&d, &a[1])? {
                Some(v) => Ok(v),
                None => match a.get(2) {
                    Some(x) => Ok(x.clone()),
                    None => Err(vm.key_error(a[1].clone())),
                },
            }
        }),
        ("popitem", |vm, a, kw| {
            check_method(vm, &DICT_POPITEM, a, kw)?;
            let d = recv_dict(vm, a, "popitem")?.clone();
            let e = d.borrow_mut().pop_last();
            match e {
                Some(e) => Ok(Value::tuple(vec![e.key, e.value])),
                None => Err(vm.key_error(Value::str("popitem(): dictionary is empty"))),
            }
        }),
        ("setdefault", |vm, a, kw| {
            check_method(vm, &DICT_SETDEFAULT, a, kw)?;
            let d = recv_dict(vm, a, "setdefault")?.clone();
            match vm.table_get(&d, &a[1])? {
                Some(v) => Ok(v),
                None => {
                    let v = a.get(2).cloned().unwrap_or(Value::None);
                    vm.table_set(&d, a[1].clone(), v.clone())?;
                    Ok(v)
                }
            }
        }),
        ("update", |vm, a, kw| {
            let d = recv_dict(vm, a, "update")?.clone();
            // Any keyword is an item; only the positional count is checked.
            if a.len() > 2 {
                check_method(vm, &DICT_UPDATE, a, &[])?;
            }
            if let Some(src) = a.get(1) {
                crate::builtins::dict_update(vm, &Value::Dict(d.clone()), src)?;
            }
            for (k, v) in kw {
                Vm::table_set_str(&mut d.borrow_mut(), k.clone(), v.clone());
            }
            Ok(Value::None)
        }),
        ("clear", |vm, a, kw| {
            check_method(vm, &DICT_CLEAR, a, kw)?;
            recv_dict(vm, a, "clear")?.borrow_mut().clear();
            Ok(Value::None)
        }),
        ("copy", |vm, a, kw| {
            check_method(vm, &DICT_COPY, a, kw)?;
            let d = recv_dict(vm, a, "copy")?;
            Ok(Value::Dict(Rc::new(RefCell::new(d.borrow().clone()))))
        }),
        ("fromkeys", |vm, a, kw| {
            // Installed as a classmethod-like builtin: a[0] is the class.
            check_method(vm, &DICT_FROMKEYS, a, kw)?;
            let keys = vm.collect(a.get(1).unwrap_or(&Value::None))?;
            let v = a.get(2).cloned().unwrap_or(Value::None);
            // On a subclass: an instance of it, filled through its `__setitem__`.
            if let Some(Value::Class(c)) = a.first()
                && c.kind == Kind::User
            {
                let d = vm.call(&a[0], Vec::new(), Vec::new())?;
                for k in keys {
                    vm.setitem(&d, &k, v.clone())?;
                }
                return Ok(d);
            }
            let d = vm.new_dict();
            if let Value::Dict(t) = &d {
                for k in keys {
                    vm.table_set(t, k, v.clone())?;
                }
            }
            Ok(d)
        }),
        ("__len__", dunder_len),
        ("__getitem__", |vm, a, _| vm.getitem(&a[0], &a[1])),
        ("__setitem__", |vm, a, _| {
            vm.setitem(&a[0], &a[1], a[2].clone())?;
            Ok(Value::None)
        }),
        ("__delitem__", |vm, a, _| {
            vm.delitem(&a[0], &a[1])?;
            Ok(Value::None)
        }),
        ("__contains__", |vm, a, _| {
            Ok(Value::Bool(vm.contains(&a[0], &a[1])?))
        }),
        ("__iter__", |vm, a, _| vm.get_iter(&a[0])),
    ]
}

// ---------- set ----------

/// The receiver of a mutating set method, borrowed from the arguments (no reference-count
/// round trip per `s.add(x)`).
fn recv_set<'a>(vm: &mut Vm, a: &'a [Value]) -> PyResult<&'a Rc<RefCell<crate::sets::SetT>>> {
    match a.first() {
        Some(Value::Set(s)) => Ok(s),
        // A subclass instance is served by its builtin value (see `subclass`).
        Some(Value::Instance(i)) if matches!(i.base(), Some(Value::Set(_))) => match i.base() {
            Some(Value::Set(s)) => Ok(s),
            _ => unreachable!("matched above"),
        },
        _ => Err(vm.type_error("descriptor requires a 'set' object")),
    }
}

fn wrap_like(like: &Value, t: crate::sets::SetT) -> Value {
    if matches!(like, Value::FrozenSet(_)) {
        crate::sets::new_frozenset(t)
    } else {
        crate::sets::new_set(t)
    }
}

/// `s.op(*others)` folding the set algebra over every argument.
fn set_fold(vm: &mut Vm, a: &[Value], op: char) -> PyResult<Value> {
    let mut cur = vm.as_set_table(&a[0])?;
    if a.len() == 1 {
        // `s.union()` etc. return a copy.
        return Ok(wrap_like(&a[0], cur.copy()));
    }
    for o in &a[1..] {
        let other = vm.as_set_table(o)?;
        cur = vm.set_algebra(&cur, &other, op)?;
    }
    Ok(wrap_like(&a[0], cur))
}

pub fn set_methods(frozen: bool) -> Vec<M> {
    let mut v: Vec<M> = vec![
        ("union", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_UNION
                } else {
                    &SET_UNION
                },
                a,
                kw,
            )?;
            set_fold(vm, a, '|')
        }),
        ("intersection", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_INTERSECTION
                } else {
                    &SET_INTERSECTION
                },
                a,
                kw,
            )?;
            set_fold(vm, a, '&')
        }),
        ("difference", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_DIFFERENCE
                } else {
                    &SET_DIFFERENCE
                },
                a,
                kw,
            )?;
            set_fold(vm, a, '-')
        }),
        ("symmetric_difference", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_SYMMETRIC_DIFFERENCE
                } else {
                    &SET_SYMMETRIC_DIFFERENCE
                },
                a,
                kw,
            )?;
            check_args(vm, "symmetric_difference", &a[1..], 1, 1)?;
            set_fold(vm, a, '^')
        }),
        ("issubset", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_ISSUBSET
                } else {
                    &SET_ISSUBSET
                },
                a,
                kw,
            )?;
            let x = vm.as_set_table(&a[0])?;
            let y = vm.as_set_table(&a[1])?;
            Ok(Value::Bool(vm.set_is_subset(&x, &y)?))
        }),
        ("issuperset", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_ISSUPERSET
                } else {
                    &SET_ISSUPERSET
                },
                a,
                kw,
            )?;
            let x = vm.as_set_table(&a[0])?;
            let y = vm.as_set_table(&a[1])?;
            Ok(Value::Bool(vm.set_is_subset(&y, &x)?))
        }),
        ("isdisjoint", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_ISDISJOINT
                } else {
                    &SET_ISDISJOINT
                },
                a,
                kw,
            )?;
            for x in vm.collect(&a[1])? {
                if vm.contains(&a[0], &x)? {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        }),
        ("copy", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::FrozenSet(_))) {
                    &FROZENSET_COPY
                } else {
                    &SET_COPY
                },
                a,
                kw,
            )?;
            let t = vm.as_set_table(&a[0])?;
            Ok(wrap_like(&a[0], t.copy()))
        }),
        ("__len__", dunder_len),
        ("__contains__", |vm, a, _| {
            Ok(Value::Bool(vm.contains(&a[0], &a[1])?))
        }),
    ];
    if !frozen {
        v.extend::<Vec<M>>(vec![
            ("add", |vm, a, kw| {
                // `SET_ADD` admits exactly one argument, so `a[1]` is there.
                check_method(vm, &SET_ADD, a, kw)?;
                let s = recv_set(vm, a)?;
                vm.set_insert(s, a[1].clone())?;
                Ok(Value::None)
            }),
            ("discard", |vm, a, kw| {
                check_method(vm, &SET_DISCARD, a, kw)?;
                let s = recv_set(vm, a)?;
                vm.set_discard(s, &a[1])?;
                Ok(Value::None)
            }),
            ("remove", |vm, a, kw| {
                check_method(vm, &SET_REMOVE, a, kw)?;
                let s = recv_set(vm, a)?;
                match vm.set_discard(s, &a[1])? {
                    Some(_) => Ok(Value::None),
                    None => Err(vm.key_error(a[1].clone())),
                }
            }),
            ("pop", |vm, a, kw| {
                check_method(vm, &SET_POP, a, kw)?;
                let s = recv_set(vm, a)?;
                let r = s.borrow_mut().pop();
                match r {
                    Some(k) => Ok(k),
                    None => Err(vm.key_error(Value::str(vigil_support::POP_EMPTY_MSG))),
                }
            }),
            ("clear", |vm, a, kw| {
                check_method(vm, &SET_CLEAR, a, kw)?;
                recv_set(vm, a)?.borrow_mut().clear();
                Ok(Value::None)
            }),
            ("update", |vm, a, kw| {
                check_method(vm, &SET_UPDATE, a, kw)?;
                let s = recv_set(vm, a)?;
                for o in &a[1..] {
                    vm.set_update(s, o)?;
                }
                Ok(Value::None)
            }),
            ("difference_update", |vm, a, kw| {
                check_method(vm, &SET_DIFFERENCE_UPDATE, a, kw)?;
                let s = recv_set(vm, a)?;
                for o in &a[1..] {
                    let other = vm.as_set_table(o)?;
                    let mut cur = s.borrow().clone();
                    cur.difference_update(&other, |x, y| vm.eq_identity_first(x, y))?;
                    *s.borrow_mut() = cur;
                }
                Ok(Value::None)
            }),
            ("intersection_update", |vm, a, kw| {
                check_method(vm, &SET_INTERSECTION_UPDATE, a, kw)?;
                let s = recv_set(vm, a)?;
                for o in &a[1..] {
                    let other = vm.as_set_table(o)?;
                    let mut cur = s.borrow().clone();
                    cur.intersection_update(&other, |x, y| vm.eq_identity_first(x, y))?;
                    *s.borrow_mut() = cur;
                }
                Ok(Value::None)
            }),
            ("symmetric_difference_update", |vm, a, kw| {
                check_method(vm, &SET_SYMMETRIC_DIFFERENCE_UPDATE, a, kw)?;
                let s = recv_set(vm, a)?;
                let other = vm.as_set_table(&a[1])?;
                let mut cur = s.borrow().clone();
                cur.symmetric_difference_update(&other, |x, y| vm.eq_identity_first(x, y))?;
                *s.borrow_mut() = cur;
                Ok(Value::None)
            }),
        ]);
    }
    v
}

// ---------- numbers ----------

pub fn int_methods() -> Vec<M> {
    vec![
        ("bit_length", |vm, a, kw| {
            check_method(vm, &INT_BIT_LENGTH, a, kw)?;
            let b = int_like(crate::subclass::unwrap(&a[0]))
                .ok_or_else(|| vm.type_error("descriptor 'bit_length' requires an int"))?;
            Ok(Value::Int(vigil_support::bit_length_big(&b) as i64))
        }),
        ("bit_count", |vm, a, kw| {
            check_method(vm, &INT_BIT_COUNT, a, kw)?;
            let b = int_like(crate::subclass::unwrap(&a[0]))
                .ok_or_else(|| vm.type_error("descriptor 'bit_count' requires an int"))?;
            let (_, digits) = b.to_u32_digits();
            Ok(Value::Int(
                digits.iter().map(|d| d.count_ones() as i64).sum(),
            ))
        }),
        ("conjugate", |vm, a, kw| {
            check_method(vm, &INT_CONJUGATE, a, kw)?;
            vm.unary_pos(crate::subclass::unwrap(&a[0]))
        }),
        ("to_bytes", |vm, a, kw| {
            check_method(vm, &INT_TO_BYTES, a, kw)?;
            let b = int_like(crate::subclass::unwrap(&a[0])).unwrap_or_default();
            let len = match a.get(1).cloned().or_else(|| kwarg(kw, "length")) {
                Some(v) => vm.index_value(&v)?,
                None => 1,
            };
            if len < 0 {
                return Err(vm.value_error("length argument must be non-negative"));
            }
            let order = a.get(2).cloned().or_else(|| kwarg(kw, "byteorder"));
            let little = byteorder_is_little(vm, order)?;
            let signed = match kwarg(kw, "signed") {
                Some(v) => vm.truthy(&v)?,
                None => false,
            };
            if !signed && b.sign() == num_bigint::Sign::Minus {
                return Err(vm.err("OverflowError", "can't convert negative int to unsigned"));
            }
            let len = len as usize;
            let mut bytes = if signed {
                b.to_signed_bytes_le()
            } else {
                b.to_bytes_le().1
            };
            // Zero is one 0x00 byte here, and fits in no bytes at all.
            if b.sign() == num_bigint::Sign::NoSign {
                bytes.clear();
            }
            if bytes.len() > len {
                return Err(vm.err("OverflowError", "int too big to convert"));
            }
            let fill = if signed && b.sign() == num_bigint::Sign::Minus {
                0xff
            } else {
                0
            };
            bytes.resize(len, fill);
            if !little {
                bytes.reverse();
            }
            Ok(Value::Bytes(Rc::new(bytes)))
        }),
        ("as_integer_ratio", |vm, a, kw| {
            check_method(vm, &INT_AS_INTEGER_RATIO, a, kw)?;
            let n = vm.unary_pos(crate::subclass::unwrap(&a[0]))?;
            Ok(Value::tuple(vec![n, Value::Int(1)]))
        }),
        ("is_integer", |vm, a, kw| {
            check_method(vm, &INT_IS_INTEGER, a, kw)?;
            Ok(Value::Bool(true))
        }),
        ("from_bytes", |vm, a, kw| {
            // Installed as a classmethod: a[0] is the class.
            check_method(vm, &INT_FROM_BYTES, a, kw)?;
            let src = a.get(1).cloned().or_else(|| kwarg(kw, "bytes"));
            let mut data = match &src {
                Some(Value::Bytes(b)) => b.to_vec(),
                Some(Value::ByteArray(b)) => b.borrow().clone(),
                Some(Value::Str(_)) => {
                    return Err(vm.type_error("cannot convert 'str' object to bytes"));
                }
                Some(v) => {
                    let items = match vm.get_iter(v) {
                        Ok(it) => vm.collect(&it)?,
                        Err(_) => {
                            let tn = vm.type_name(v);
                            return Err(
                                vm.type_error(format!("cannot convert '{tn}' object to bytes"))
                            );
                        }
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in &items {
                        let i = vm.index_value(item)?;
                        if !(0..256).contains(&i) {
                            return Err(vm.value_error("bytes must be in range(0, 256)"));
                        }
                        out.push(i as u8);
                    }
                    out
                }
                None => Vec::new(),
            };
            let order = a.get(2).cloned().or_else(|| kwarg(kw, "byteorder"));
            let little = byteorder_is_little(vm, order)?;
            let signed = match kwarg(kw, "signed") {
                Some(v) => vm.truthy(&v)?,
                None => false,
            };
            if !little {
                data.reverse();
            }
            let n = if signed {
                num_bigint::BigInt::from_signed_bytes_le(&data)
            } else {
                num_bigint::BigInt::from_bytes_le(num_bigint::Sign::Plus, &data)
            };
            let v = Value::from_bigint(n);
            match &a[0] {
                Value::Class(c) if !Rc::ptr_eq(c, &vm.types.int) => {
                    // A subclass is built by calling it with the int, as CPython does.
                    let cls = a[0].clone();
                    vm.call(&cls, vec![v], Default::default())
                }
                _ => Ok(v),
            }
        }),
        ("__index__", |vm, a, _| {
            vm.unary_pos(crate::subclass::unwrap(&a[0]))
        }),
        ("__int__", |vm, a, _| {
            vm.unary_pos(crate::subclass::unwrap(&a[0]))
        }),
        ("__float__", |vm, a, _| {
            Ok(Value::Float(crate::builtins::to_float(vm, &a[0])?))
        }),
        ("__add__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Add, false)
        }),
        ("__sub__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Sub, false)
        }),
        ("__mul__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Mul, false)
        }),
        ("__neg__", |vm, a, _| vm.unary_neg(&a[0])),
        ("__lt__", |vm, a, _| vm.compare(&a[0], &a[1], CmpOp::Lt)),
        ("__eq__", |vm, a, _| vm.compare(&a[0], &a[1], CmpOp::Eq)),
        ("__hash__", |vm, a, _| Ok(Value::Int(vm.hash(&a[0])?))),
        ("__repr__", |vm, a, _| Ok(Value::string(vm.repr(&a[0])?))),
        ("__format__", format_by_spec),
    ]
}

/// `__format__` of a type whose whole format-spec language `Vm::format_value` knows (int,
/// float, complex): the spec is the second argument, empty when absent.
fn format_by_spec(vm: &mut Vm, a: &[Value], _: &[(Rc<PyStr>, Value)]) -> PyResult<Value> {
    let spec = match a.get(1) {
        Some(Value::Str(s)) => s.s.to_string(),
        _ => String::new(),
    };
    Ok(Value::string(vm.format_value(&a[0], &spec)?))
}

pub fn complex_methods() -> Vec<M> {
    vec![
        ("conjugate", |vm, a, kw| {
            check_method(vm, &COMPLEX_CONJUGATE, a, kw)?;
            match &a[0] {
                Value::Complex(c) => Ok(Value::complex(c.0, -c.1)),
                _ => Err(vm.type_error("descriptor 'conjugate' requires a 'complex' object")),
            }
        }),
        ("__repr__", |vm, a, _| Ok(Value::string(vm.repr(&a[0])?))),
        ("__str__", |vm, a, _| Ok(Value::string(vm.to_str(&a[0])?))),
        ("__format__", format_by_spec),
    ]
}

pub fn float_methods() -> Vec<M> {
    vec![
        ("is_integer", |vm, a, kw| {
            check_method(vm, &FLOAT_IS_INTEGER, a, kw)?;
            match crate::subclass::unwrap(&a[0]) {
                Value::Float(f) => Ok(Value::Bool(vigil_support::f64_is_integer(*f))),
                _ => Err(vm.type_error("descriptor 'is_integer' requires a float")),
            }
        }),
        ("fromhex", |vm, a, kw| {
            // Installed as a classmethod: a[0] is the class.
            check_method(vm, &FLOAT_FROMHEX, a, kw)?;
            let Some(Value::Str(s)) = a.get(1) else {
                return Err(vm.type_error("bad argument type for built-in operation"));
            };
            vigil_support::f64_fromhex(&s.s)
                .map(Value::Float)
                .map_err(|e| vm.support_err(e))
        }),
        ("hex", |vm, a, kw| {
            check_method(vm, &FLOAT_HEX, a, kw)?;
            match crate::subclass::unwrap(&a[0]) {
                Value::Float(f) => Ok(Value::string(vigil_support::f64_hex(*f))),
                _ => Err(vm.type_error("descriptor 'hex' requires a float")),
            }
        }),
        ("as_integer_ratio", |vm, a, kw| {
            check_method(vm, &FLOAT_AS_INTEGER_RATIO, a, kw)?;
            let Value::Float(f) = crate::subclass::unwrap(&a[0]) else {
                return Err(vm.type_error("requires a float"));
            };
            if !f.is_finite() {
                return Err(vm.err(
                    if f.is_nan() {
                        "ValueError"
                    } else {
                        "OverflowError"
                    },
                    if f.is_nan() {
                        "cannot convert NaN to integer ratio"
                    } else {
                        "cannot convert Infinity to integer ratio"
                    },
                ));
            }
            let bits = f.to_bits();
            let sign: i64 = if bits >> 63 == 1 { -1 } else { 1 };
            let exp = ((bits >> 52) & 0x7ff) as i64;
            let mant = if exp == 0 {
                (bits & ((1 << 52) - 1)) << 1
            } else {
                (bits & ((1 << 52) - 1)) | (1 << 52)
            };
            let mut num = num_bigint::BigInt::from(mant) * sign;
            let mut den = num_bigint::BigInt::from(1);
            let e = exp - 1075;
            if e > 0 {
                num <<= e as usize;
            } else {
                den <<= (-e) as usize;
            }
            let g = num_integer::Integer::gcd(&num, &den);
            Ok(Value::tuple(vec![
                Value::from_bigint(num / &g),
                Value::from_bigint(den / g),
            ]))
        }),
        ("conjugate", |vm, a, kw| {
            check_method(vm, &FLOAT_CONJUGATE, a, kw)?;
            Ok(crate::subclass::unwrap(&a[0]).clone())
        }),
        ("__float__", |_vm, a, _| {
            Ok(crate::subclass::unwrap(&a[0]).clone())
        }),
        ("__int__", |vm, a, _| match crate::subclass::unwrap(&a[0]) {
            Value::Float(f) => vigil_support::f64_to_int(*f)
                .map(|i| match i {
                    vigil_support::Int::Small(v) => Value::Int(v),
                    vigil_support::Int::Big(b) => Value::Big(Rc::new(b)),
                })
                .map_err(|e| vm.support_err(e)),
            _ => Err(vm.type_error("requires a float")),
        }),
        ("__repr__", |vm, a, _| Ok(Value::string(vm.repr(&a[0])?))),
        ("__add__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Add, false)
        }),
        ("__mul__", |vm, a, _| {
            vm.binary_op(&a[0], &a[1], crate::ops::BinOp::Mul, false)
        }),
        ("__format__", format_by_spec),
    ]
}

/// Bytes as a str of the same code points (latin-1), so str algorithms can serve bytes.
fn bytes_to_latin1(b: &[u8]) -> Value {
    Value::string(b.iter().map(|&c| c as char).collect())
}

fn latin1_to_bytes(v: Value) -> Value {
    match v {
        Value::Str(s) => Value::Bytes(Rc::new(s.s.chars().map(|c| c as u32 as u8).collect())),
        Value::List(l) => {
            let items: Vec<Value> = l.borrow().iter().cloned().map(latin1_to_bytes).collect();
            Value::list(items)
        }
        Value::Tuple(t) => Value::tuple(t.iter().cloned().map(latin1_to_bytes).collect()),
        other => other,
    }
}

fn bytes_arg(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    match v {
        Value::Bytes(b) => Ok(bytes_to_latin1(b)),
        Value::ByteArray(b) => Ok(bytes_to_latin1(&b.borrow())),
        Value::Tuple(t) => {
            let mut out = Vec::with_capacity(t.len());
            for x in t.iter() {
                out.push(bytes_arg(vm, x)?);
            }
            Ok(Value::tuple(out))
        }
        Value::Str(_) => Err(vm.type_error("a bytes-like object is required, not 'str'")),
        other => Ok(other.clone()),
    }
}

/// Runs a str method on bytes operands through the latin-1 mapping (byte values are code
/// points 0..=255), converting str results back to bytes. `join` takes an iterable whose
/// items are converted too.
fn via_str(vm: &mut Vm, a: &[Value], kw: Kw<'_>, name: &str, f: NativeFn) -> PyResult<Value> {
    let mut args = Vec::with_capacity(a.len());
    for (i, x) in a.iter().enumerate() {
        if i == 1 && matches!(name, "find" | "rfind" | "index" | "rindex" | "count") {
            args.push(needle_arg(vm, x)?);
        } else if name == "join" && i == 1 {
            let items = vm.collect(x)?;
            let mut conv = Vec::with_capacity(items.len());
            for (k, it) in items.iter().enumerate() {
                match it {
                    Value::Bytes(_) | Value::ByteArray(_) => conv.push(bytes_arg(vm, it)?),
                    _ => {
                        let tn = vm.type_name(it);
                        return Err(vm.type_error(format!(
                            "sequence item {k}: expected a bytes-like object, {tn} found"
                        )));
                    }
                }
            }
            args.push(Value::list(conv));
        } else {
            args.push(bytes_arg(vm, x)?);
        }
    }
    let r = latin1_to_bytes(f(vm, &args, kw)?);
    Ok(if is_ba(a) { to_bytearray(r) } else { r })
}

fn is_ba(a: &[Value]) -> bool {
    matches!(a.first(), Some(Value::ByteArray(_)))
}

/// Bytes results (alone or in a list or tuple) as bytearrays: a bytearray's methods answer in
/// its own type, as CPython's do.
fn to_bytearray(v: Value) -> Value {
    match v {
        Value::Bytes(b) => Value::ByteArray(Rc::new(RefCell::new(b.to_vec()))),
        Value::List(l) => {
            let items: Vec<Value> = l.borrow().iter().cloned().map(to_bytearray).collect();
            Value::list(items)
        }
        Value::Tuple(t) => Value::tuple(t.iter().cloned().map(to_bytearray).collect()),
        other => other,
    }
}

/// The receiver's bytes (a copy: the caller may run Python code or mutate afterwards).
fn recv_buf(vm: &mut Vm, a: &[Value], name: &str) -> PyResult<Vec<u8>> {
    match a.first() {
        Some(Value::Bytes(b)) => Ok(b.to_vec()),
        Some(Value::ByteArray(b)) => Ok(b.borrow().clone()),
        _ => Err(vm.type_error(format!("descriptor '{name}' requires a 'bytes' object"))),
    }
}

/// A new value of the receiver's type.
fn same_kind(a: &[Value], v: Vec<u8>) -> Value {
    if is_ba(a) {
        Value::ByteArray(Rc::new(RefCell::new(v)))
    } else {
        Value::Bytes(Rc::new(v))
    }
}

fn kind_name(a: &[Value]) -> &'static str {
    if is_ba(a) { "bytearray" } else { "bytes" }
}

/// METH_NOARGS' checks, worded with the receiver's type ("bytearray.upper() takes no
/// arguments (1 given)").
fn noargs(vm: &mut Vm, a: &[Value], kw: Kw<'_>, short: &str) -> PyResult<()> {
    if !kw.is_empty() {
        let t = kind_name(a);
        return Err(vm.type_error(format!("{t}.{short}() takes no keyword arguments")));
    }
    if a.len() > 1 {
        let (t, n) = (kind_name(a), a.len() - 1);
        return Err(vm.type_error(format!("{t}.{short}() takes no arguments ({n} given)")));
    }
    Ok(())
}

/// METH_O's checks: exactly one positional argument.
fn one_arg(vm: &mut Vm, a: &[Value], kw: Kw<'_>, short: &str) -> PyResult<()> {
    if !kw.is_empty() {
        let t = kind_name(a);
        return Err(vm.type_error(format!("{t}.{short}() takes no keyword arguments")));
    }
    if a.len() != 2 {
        let (t, n) = (kind_name(a), a.len() - 1);
        return Err(vm.type_error(format!(
            "{t}.{short}() takes exactly one argument ({n} given)"
        )));
    }
    Ok(())
}

/// `to_bytes`/`from_bytes`' byteorder: "big" (the default) or "little".
fn byteorder_is_little(vm: &mut Vm, order: Option<Value>) -> PyResult<bool> {
    match &order {
        None => Ok(false),
        Some(Value::Str(s)) if &*s.s == "little" => Ok(true),
        Some(Value::Str(s)) if &*s.s == "big" => Ok(false),
        Some(Value::Str(_)) => Err(vm.value_error("byteorder must be either 'little' or 'big'")),
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!(
                "to_bytes() argument 'byteorder' must be str, not {tn}"
            )))
        }
    }
}

/// A bytes-like argument's bytes; anything else is CPython's "a bytes-like object is
/// required" error.
fn buf_arg(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    match v {
        Value::Bytes(b) => Ok(b.to_vec()),
        Value::ByteArray(b) => Ok(b.borrow().clone()),
        other => {
            let tn = vm.type_name(other);
            Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")))
        }
    }
}

/// One byte value from an int-like argument, range-checked as CPython does.
fn byte_value(vm: &mut Vm, v: &Value) -> PyResult<u8> {
    let i = vm.index_value(v)?;
    if !(0..256).contains(&i) {
        return Err(vm.value_error("byte must be in range(0, 256)"));
    }
    Ok(i as u8)
}

/// The needle of `find`/`count`/`index`: an int is a single byte.
fn needle_arg(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    match v {
        Value::Bytes(b) => Ok(bytes_to_latin1(b)),
        Value::ByteArray(b) => Ok(bytes_to_latin1(&b.borrow())),
        Value::Int(_) | Value::Bool(_) | Value::Big(_) => {
            let c = byte_value(vm, v)?;
            Ok(Value::string(char::from(c).to_string()))
        }
        other => {
            let tn = vm.type_name(other);
            Err(vm.type_error(format!(
                "argument should be integer or bytes-like object, not '{tn}'"
            )))
        }
    }
}

/// The bytes of an iterable of ints (`bytearray.extend`, slice assignment); a bytes-like
/// value is taken as is.
fn int_items(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    if let Value::Bytes(_) | Value::ByteArray(_) = v {
        return buf_arg(vm, v);
    }
    let items = vm.collect(v)?;
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        out.push(byte_value(vm, it)?);
    }
    Ok(out)
}

fn recv_ba(vm: &mut Vm, a: &[Value], name: &str) -> PyResult<Rc<RefCell<Vec<u8>>>> {
    match a.first() {
        Some(Value::ByteArray(b)) => Ok(b.clone()),
        _ => Err(vm.type_error(format!("descriptor '{name}' requires a 'bytearray' object"))),
    }
}

fn ascii_title(b: &[u8]) -> Vec<u8> {
    let mut prev_cased = false;
    b.iter()
        .map(|&c| {
            let r = if prev_cased {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            };
            prev_cased = c.is_ascii_alphabetic();
            r
        })
        .collect()
}

fn ascii_istitle(b: &[u8]) -> bool {
    unicode::is_title_shaped(
        b.iter().copied(),
        |c| c.is_ascii_uppercase(),
        |c| c.is_ascii_lowercase(),
    )
}

/// A case mapping over ASCII letters only (bytes never map the latin-1 range).
fn bytes_map(
    vm: &mut Vm,
    a: &[Value],
    kw: Kw<'_>,
    name: &str,
    f: fn(&[u8]) -> Vec<u8>,
) -> PyResult<Value> {
    noargs(vm, a, kw, name)?;
    let b = recv_buf(vm, a, name)?;
    Ok(same_kind(a, f(&b)))
}

fn bytes_test(
    vm: &mut Vm,
    a: &[Value],
    kw: Kw<'_>,
    name: &str,
    f: fn(&[u8]) -> bool,
) -> PyResult<Value> {
    noargs(vm, a, kw, name)?;
    let b = recv_buf(vm, a, name)?;
    Ok(Value::Bool(f(&b)))
}

fn bytes_partition(vm: &mut Vm, a: &[Value], kw: Kw<'_>, right: bool) -> PyResult<Value> {
    let name = if right { "rpartition" } else { "partition" };
    one_arg(vm, a, kw, name)?;
    let b = recv_buf(vm, a, name)?;
    let sep = buf_arg(vm, &a[1])?;
    if sep.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let at = if right {
        b.windows(sep.len()).rposition(|w| w == sep.as_slice())
    } else {
        b.windows(sep.len()).position(|w| w == sep.as_slice())
    };
    let parts = match at {
        Some(i) => [b[..i].to_vec(), sep.clone(), b[i + sep.len()..].to_vec()],
        None if right => [Vec::new(), Vec::new(), b],
        None => [b, Vec::new(), Vec::new()],
    };
    // CPython hands back the bytes receiver itself when nothing matched; equal either way.
    Ok(Value::tuple(
        parts.into_iter().map(|p| same_kind(a, p)).collect(),
    ))
}

fn bytes_affix(vm: &mut Vm, a: &[Value], kw: Kw<'_>, suffix: bool) -> PyResult<Value> {
    let name = if suffix {
        "removesuffix"
    } else {
        "removeprefix"
    };
    one_arg(vm, a, kw, name)?;
    let b = recv_buf(vm, a, name)?;
    let x = buf_arg(vm, &a[1])?;
    let out = if suffix {
        b.strip_suffix(x.as_slice()).unwrap_or(&b)
    } else {
        b.strip_prefix(x.as_slice()).unwrap_or(&b)
    };
    Ok(same_kind(a, out.to_vec()))
}

/// `bytes.hex(sep, bytes_per_sep)`: groups of `per` bytes counted from the right (from the
/// left when `per` is negative).
fn hex_grouped(b: &[u8], sep: Option<char>, per: i64) -> String {
    let mut out = String::with_capacity(b.len() * 3);
    let group = per.unsigned_abs() as usize;
    for (i, x) in b.iter().enumerate() {
        if let Some(c) = sep
            && group > 0
            && i > 0
        {
            let boundary = if per > 0 {
                (b.len() - i).is_multiple_of(group)
            } else {
                i % group == 0
            };
            if boundary {
                out.push(c);
            }
        }
        out.push_str(&format!("{x:02x}"));
    }
    out
}

/// `bytes.fromhex`: pairs of hex digits, ASCII whitespace allowed between pairs; the error
/// is the position of the first character that does not fit.
fn from_hex(s: &str) -> Result<Vec<u8>, usize> {
    let cs: Vec<char> = s.chars().collect();
    let hex = |c: Option<&char>| c.filter(|c| c.is_ascii()).and_then(|c| c.to_digit(16));
    let mut out = Vec::with_capacity(cs.len() / 2);
    let mut i = 0;
    while i < cs.len() {
        if cs[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let hi = hex(cs.get(i)).ok_or(i)?;
        let lo = hex(cs.get(i + 1)).ok_or(i + 1)?;
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(out)
}

fn bytes_pad(vm: &mut Vm, a: &[Value], kw: Kw<'_>, sig: &Sig, how: char) -> PyResult<Value> {
    check_method(vm, sig, a, kw)?;
    let b = recv_buf(vm, a, sig.short)?;
    let w = vm.index_value(&a[1])?;
    let fill = match a.get(2) {
        None => b' ',
        Some(Value::Bytes(f)) if f.len() == 1 => f[0],
        Some(Value::ByteArray(f)) if f.borrow().len() == 1 => f.borrow()[0],
        Some(v) => {
            let tn = vm.type_name(v);
            let name = sig.short;
            return Err(vm.type_error(format!(
                "{name}() argument 2 must be a byte string of length 1, not {tn}"
            )));
        }
    };
    let n = b.len() as i64;
    if w <= n {
        return Ok(same_kind(a, b));
    }
    let total = (w - n) as usize;
    let left = match how {
        'l' => 0,
        'r' => total,
        // As str.center: the odd one out goes left only when width is odd and the length even.
        _ => total / 2 + (total & (w as usize) & 1),
    };
    let mut out = vec![fill; left];
    out.extend_from_slice(&b);
    out.resize(w as usize, fill);
    Ok(same_kind(a, out))
}

fn bytes_rfind_index(vm: &mut Vm, a: &[Value], kw: Kw<'_>, right: bool) -> PyResult<Value> {
    let (sig, f): (&Sig, NativeFn) = match (is_ba(a), right) {
        (false, false) => (&BYTES_INDEX, str_find),
        (true, false) => (&BYTEARRAY_INDEX, str_find),
        (false, true) => (&BYTES_RINDEX, str_rfind),
        (true, true) => (&BYTEARRAY_RINDEX, str_rfind),
    };
    check_method(vm, sig, a, kw)?;
    let r = via_str(vm, a, kw, "index", f)?;
    if matches!(r, Value::Int(-1)) {
        return Err(vm.value_error("subsection not found"));
    }
    Ok(r)
}

/// The mutators in `bytes_methods`, which `bytes` does not get.
pub const BYTEARRAY_ONLY: &[&str] = &[
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "reverse",
    "copy",
    "__setitem__",
    "__delitem__",
];

pub fn bytes_methods() -> Vec<M> {
    vec![
        ("split", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_SPLIT
                } else {
                    &BYTES_SPLIT
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "split", str_split)
        }),
        ("rsplit", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_RSPLIT
                } else {
                    &BYTES_RSPLIT
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "rsplit", str_rsplit)
        }),
        ("splitlines", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_SPLITLINES
                } else {
                    &BYTES_SPLITLINES
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "splitlines", str_splitlines)
        }),
        ("strip", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_STRIP
                } else {
                    &BYTES_STRIP
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "strip", str_strip)
        }),
        ("lstrip", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_LSTRIP
                } else {
                    &BYTES_LSTRIP
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "lstrip", str_lstrip)
        }),
        ("rstrip", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_RSTRIP
                } else {
                    &BYTES_RSTRIP
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "rstrip", str_rstrip)
        }),
        ("startswith", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_STARTSWITH
                } else {
                    &BYTES_STARTSWITH
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "startswith", str_startswith)
        }),
        ("endswith", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_ENDSWITH
                } else {
                    &BYTES_ENDSWITH
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "endswith", str_endswith)
        }),
        ("find", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_FIND
                } else {
                    &BYTES_FIND
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "find", str_find)
        }),
        ("rfind", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_RFIND
                } else {
                    &BYTES_RFIND
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "rfind", str_rfind)
        }),
        ("index", |vm, a, kw| bytes_rfind_index(vm, a, kw, false)),
        ("count", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_COUNT
                } else {
                    &BYTES_COUNT
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "count", str_count)
        }),
        ("replace", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_REPLACE
                } else {
                    &BYTES_REPLACE
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "replace", str_replace)
        }),
        ("join", |vm, a, kw| {
            check_method(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_JOIN
                } else {
                    &BYTES_JOIN
                },
                a,
                kw,
            )?;
            via_str(vm, a, kw, "join", str_join)
        }),
        ("upper", |vm, a, kw| {
            bytes_map(vm, a, kw, "upper", <[u8]>::to_ascii_uppercase)
        }),
        ("lower", |vm, a, kw| {
            bytes_map(vm, a, kw, "lower", <[u8]>::to_ascii_lowercase)
        }),
        ("swapcase", |vm, a, kw| {
            bytes_map(vm, a, kw, "swapcase", |b| {
                b.iter()
                    .map(|&c| if c.is_ascii_alphabetic() { c ^ 0x20 } else { c })
                    .collect()
            })
        }),
        ("capitalize", |vm, a, kw| {
            bytes_map(vm, a, kw, "capitalize", |b| {
                let mut v = b.to_ascii_lowercase();
                if let Some(c) = v.first_mut() {
                    c.make_ascii_uppercase();
                }
                v
            })
        }),
        ("title", |vm, a, kw| {
            bytes_map(vm, a, kw, "title", ascii_title)
        }),
        ("isdigit", |vm, a, kw| {
            bytes_test(vm, a, kw, "isdigit", |b| {
                !b.is_empty() && b.iter().all(u8::is_ascii_digit)
            })
        }),
        ("isalpha", |vm, a, kw| {
            bytes_test(vm, a, kw, "isalpha", |b| {
                !b.is_empty() && b.iter().all(u8::is_ascii_alphabetic)
            })
        }),
        ("isalnum", |vm, a, kw| {
            bytes_test(vm, a, kw, "isalnum", |b| {
                !b.is_empty() && b.iter().all(u8::is_ascii_alphanumeric)
            })
        }),
        ("isspace", |vm, a, kw| {
            bytes_test(vm, a, kw, "isspace", |b| {
                !b.is_empty()
                    && b.iter()
                        .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
            })
        }),
        ("isascii", |vm, a, kw| {
            bytes_test(vm, a, kw, "isascii", |b| b.is_ascii())
        }),
        ("islower", |vm, a, kw| {
            bytes_test(vm, a, kw, "islower", |b| {
                b.iter().any(u8::is_ascii_lowercase) && !b.iter().any(u8::is_ascii_uppercase)
            })
        }),
        ("isupper", |vm, a, kw| {
            bytes_test(vm, a, kw, "isupper", |b| {
                b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase)
            })
        }),
        ("istitle", |vm, a, kw| {
            bytes_test(vm, a, kw, "istitle", ascii_istitle)
        }),
        ("partition", |vm, a, kw| bytes_partition(vm, a, kw, false)),
        ("rpartition", |vm, a, kw| bytes_partition(vm, a, kw, true)),
        ("removeprefix", |vm, a, kw| bytes_affix(vm, a, kw, false)),
        ("removesuffix", |vm, a, kw| bytes_affix(vm, a, kw, true)),
        ("rindex", |vm, a, kw| bytes_rfind_index(vm, a, kw, true)),
        ("decode", |vm, a, kw| {
            let args = &*crate::argsig::bind(
                vm,
                if matches!(a.first(), Some(Value::ByteArray(_))) {
                    &BYTEARRAY_DECODE
                } else {
                    &BYTES_DECODE
                },
                a.get(1..).unwrap_or(&[]),
                kw,
            )?;
            let b: Vec<u8> = match &a[0] {
                Value::Bytes(b) => b.to_vec(),
                Value::ByteArray(b) => b.borrow().clone(),
                _ => return Err(vm.type_error("descriptor 'decode' requires bytes")),
            };
            crate::codecs::decode(vm, &b, args.first(), args.get(1))
        }),
        ("hex", |vm, a, kw| {
            let args = bind(vm, &BYTES_HEX, a.get(1..).unwrap_or(&[]), kw)?;
            let b = recv_buf(vm, a, "hex")?;
            let sep = match opt(&args, 0) {
                None => None,
                Some(v) => {
                    let sb: Vec<u8> = match v {
                        Value::Str(s) => {
                            if s.nchars != 1 {
                                return Err(vm.value_error("sep must be length 1."));
                            }
                            if !s.s.is_ascii() {
                                return Err(vm.value_error("sep must be ASCII."));
                            }
                            s.s.as_bytes().to_vec()
                        }
                        Value::Bytes(_) | Value::ByteArray(_) => buf_arg(vm, v)?,
                        other => {
                            let tn = vm.type_name(other);
                            return Err(
                                vm.type_error(format!("object of type '{tn}' has no len()"))
                            );
                        }
                    };
                    if sb.len() != 1 {
                        return Err(vm.value_error("sep must be length 1."));
                    }
                    if !sb[0].is_ascii() {
                        return Err(vm.value_error("sep must be ASCII."));
                    }
                    Some(sb[0] as char)
                }
            };
            let per = match opt(&args, 1) {
                Some(v) => vm.index_value(v)?,
                None => 1,
            };
            Ok(Value::string(hex_grouped(&b, sep, per)))
        }),
        ("fromhex", |vm, a, kw| {
            // Installed as a classmethod: a[0] is the class.
            let ba =
                matches!(a.first(), Some(Value::Class(c)) if Rc::ptr_eq(c, &vm.types.bytearray));
            let owner = if ba { "bytearray" } else { "bytes" };
            if !kw.is_empty() {
                return Err(vm.type_error(format!("{owner}.fromhex() takes no keyword arguments")));
            }
            if a.len() != 2 {
                let n = a.len().saturating_sub(1);
                return Err(vm.type_error(format!(
                    "{owner}.fromhex() takes exactly one argument ({n} given)"
                )));
            }
            let Value::Str(s) = &a[1] else {
                let tn = vm.type_name(&a[1]);
                return Err(vm.type_error(format!("fromhex() argument must be str, not {tn}")));
            };
            let s = s.clone();
            let out = from_hex(&s.s).map_err(|pos| {
                vm.value_error(format!(
                    "non-hexadecimal number found in fromhex() arg at position {pos}"
                ))
            })?;
            Ok(if ba {
                Value::ByteArray(Rc::new(RefCell::new(out)))
            } else {
                Value::Bytes(Rc::new(out))
            })
        }),
        ("center", |vm, a, kw| bytes_pad(vm, a, kw, &BYTES_PAD, 'c')),
        ("ljust", |vm, a, kw| bytes_pad(vm, a, kw, &BYTES_LJUST, 'l')),
        ("rjust", |vm, a, kw| bytes_pad(vm, a, kw, &BYTES_RJUST, 'r')),
        ("zfill", |vm, a, kw| {
            one_arg(vm, a, kw, "zfill")?;
            let b = recv_buf(vm, a, "zfill")?;
            let w = vm.index_value(&a[1])?.max(0) as usize;
            if b.len() >= w {
                return Ok(same_kind(a, b));
            }
            let (sign, rest) = match b.first() {
                Some(c @ (b'+' | b'-')) => (Some(*c), &b[1..]),
                _ => (None, &b[..]),
            };
            let mut out = Vec::with_capacity(w);
            out.extend(sign);
            out.resize(out.len() + (w - b.len()), b'0');
            out.extend_from_slice(rest);
            Ok(same_kind(a, out))
        }),
        ("expandtabs", |vm, a, kw| {
            let args = bind(vm, &BYTES_EXPANDTABS, a.get(1..).unwrap_or(&[]), kw)?;
            let b = recv_buf(vm, a, "expandtabs")?;
            let ts = match opt(&args, 0) {
                Some(v) => vm.index_value(v)?,
                None => 8,
            };
            let mut out = Vec::with_capacity(b.len());
            let mut col = 0i64;
            for &c in &b {
                match c {
                    b'\t' => {
                        if ts > 0 {
                            let n = ts - col % ts;
                            out.resize(out.len() + n as usize, b' ');
                            col += n;
                        }
                    }
                    b'\n' | b'\r' => {
                        out.push(c);
                        col = 0;
                    }
                    _ => {
                        out.push(c);
                        col += 1;
                    }
                }
            }
            Ok(same_kind(a, out))
        }),
        ("translate", |vm, a, kw| {
            let args = bind(vm, &BYTES_TRANSLATE, a.get(1..).unwrap_or(&[]), kw)?;
            let b = recv_buf(vm, a, "translate")?;
            let table = match &args[0] {
                Value::None => None,
                t => {
                    let t = buf_arg(vm, t)?;
                    if t.len() != 256 {
                        return Err(vm.value_error("translation table must be 256 characters long"));
                    }
                    Some(t)
                }
            };
            let delete = match opt(&args, 1) {
                Some(d) => buf_arg(vm, d)?,
                None => Vec::new(),
            };
            let out = b
                .iter()
                .filter(|c| !delete.contains(c))
                .map(|&c| table.as_ref().map_or(c, |t| t[c as usize]))
                .collect();
            Ok(same_kind(a, out))
        }),
        ("maketrans", |vm, a, kw| {
            // Installed as a staticmethod: a is (from, to).
            check(vm, &BYTES_MAKETRANS, a, kw)?;
            let from = buf_arg(vm, &a[0])?;
            let to = buf_arg(vm, &a[1])?;
            if from.len() != to.len() {
                return Err(vm.value_error("maketrans arguments must have same length"));
            }
            let mut t: Vec<u8> = (0..=255).collect();
            for (&f, &x) in from.iter().zip(&to) {
                t[f as usize] = x;
            }
            Ok(Value::Bytes(Rc::new(t)))
        }),
        ("append", |vm, a, kw| {
            check_method(vm, &BYTEARRAY_APPEND, a, kw)?;
            let Value::ByteArray(b) = &a[0] else {
                return Err(vm.type_error("bytes has no append"));
            };
            let b = b.clone();
            let i = vm.index_value(&a[1])?;
            if !(0..256).contains(&i) {
                return Err(vm.value_error("byte must be in range(0, 256)"));
            }
            b.borrow_mut().push(i as u8);
            Ok(Value::None)
        }),
        ("extend", |vm, a, kw| {
            one_arg(vm, a, kw, "extend")?;
            let b = recv_ba(vm, a, "extend")?;
            let items = match &a[1] {
                Value::Str(_) => {
                    return Err(vm.type_error("expected iterable of integers; got: 'str'"));
                }
                v @ (Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None) => {
                    let tn = vm.type_name(v);
                    return Err(vm.type_error(format!("can't extend bytearray with {tn}")));
                }
                v => int_items(vm, v)?,
            };
            b.borrow_mut().extend_from_slice(&items);
            Ok(Value::None)
        }),
        ("insert", |vm, a, kw| {
            check_method(vm, &BYTEARRAY_INSERT, a, kw)?;
            let b = recv_ba(vm, a, "insert")?;
            let i = vm.index_value(&a[1])?;
            let x = byte_value(vm, &a[2])?;
            let mut bb = b.borrow_mut();
            let n = bb.len() as i64;
            let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
            bb.insert(at as usize, x);
            Ok(Value::None)
        }),
        ("pop", |vm, a, kw| {
            check_method(vm, &BYTEARRAY_POP, a, kw)?;
            let b = recv_ba(vm, a, "pop")?;
            let i = match a.get(1) {
                Some(v) => vm.index_value(v)?,
                None => -1,
            };
            let n = b.borrow().len();
            if n == 0 {
                return Err(vm.index_error("pop from empty bytearray"));
            }
            match crate::iter::index_in(i, n) {
                Some(j) => Ok(Value::Int(b.borrow_mut().remove(j) as i64)),
                None => Err(vm.index_error("pop index out of range")),
            }
        }),
        ("remove", |vm, a, kw| {
            one_arg(vm, a, kw, "remove")?;
            let b = recv_ba(vm, a, "remove")?;
            let x = byte_value(vm, &a[1])?;
            let at = b.borrow().iter().position(|&c| c == x);
            match at {
                Some(j) => {
                    b.borrow_mut().remove(j);
                    Ok(Value::None)
                }
                None => Err(vm.value_error("value not found in bytearray")),
            }
        }),
        ("__setitem__", |vm, a, kw| {
            check_method(vm, &BYTEARRAY_SETITEM, a, kw)?;
            recv_ba(vm, a, "__setitem__")?;
            vm.setitem(&a[0], &a[1], a[2].clone())?;
            Ok(Value::None)
        }),
        ("__delitem__", |vm, a, kw| {
            one_arg(vm, a, kw, "__delitem__")?;
            recv_ba(vm, a, "__delitem__")?;
            vm.delitem(&a[0], &a[1])?;
            Ok(Value::None)
        }),
        ("clear", |vm, a, kw| {
            noargs(vm, a, kw, "clear")?;
            recv_ba(vm, a, "clear")?.borrow_mut().clear();
            Ok(Value::None)
        }),
        ("reverse", |vm, a, kw| {
            noargs(vm, a, kw, "reverse")?;
            recv_ba(vm, a, "reverse")?.borrow_mut().reverse();
            Ok(Value::None)
        }),
        ("copy", |vm, a, kw| {
            noargs(vm, a, kw, "copy")?;
            let b = recv_ba(vm, a, "copy")?.borrow().clone();
            Ok(Value::ByteArray(Rc::new(RefCell::new(b))))
        }),
    ]
}

// ---------- generators ----------

fn recv_gen(vm: &mut Vm, a: &[Value]) -> PyResult<Rc<Generator>> {
    match a.first() {
        Some(Value::Gen(g)) => Ok(g.clone()),
        _ => Err(vm.type_error("descriptor requires a generator")),
    }
}

pub fn gen_methods() -> Vec<M> {
    vec![
        ("send", |vm, a, _| {
            let g = recv_gen(vm, a)?;
            check_args(vm, "send", &a[1..], 1, 1)?;
            vm.gen_send(&g, a[1].clone())
        }),
        ("__next__", |vm, a, _| {
            let g = recv_gen(vm, a)?;
            vm.gen_send(&g, Value::None)
        }),
        ("__iter__", |_vm, a, _| Ok(a[0].clone())),
        ("throw", |vm, a, _| {
            let g = recv_gen(vm, a)?;
            check_args(vm, "throw", &a[1..], 1, 3)?;
            let mut v = a[1].clone();
            if let (Value::Class(_), Some(val)) = (&v, a.get(2))
                && !val.is_none()
            {
                let c = v.clone();
                v = vm.call1(&c, val.clone())?;
            }
            let e = vm.make_raisable(v).map_err(|_| {
                vm.type_error(
                    "exceptions must be classes or instances deriving from BaseException, not str",
                )
            })?;
            match vm.gen_throw(&g, PyErr(e))? {
                GenStep::Yield(y) => Ok(y),
                GenStep::Return(r) => {
                    Err(vm.stop_iteration(if r.is_none() { Value::Null } else { r }))
                }
            }
        }),
        ("close", |vm, a, _| {
            let g = recv_gen(vm, a)?;
            vm.gen_close(&g)
        }),
    ]
}

pub fn coro_methods() -> Vec<M> {
    let mut v = gen_methods();
    v.retain(|(n, _)| *n != "__next__" && *n != "__iter__");
    v.push(("__await__", |_vm, a, _| Ok(a[0].clone())));
    v
}

pub fn iter_methods() -> Vec<M> {
    vec![
        ("__next__", |vm, a, _| match vm.next(&a[0])? {
            Some(v) => Ok(v),
            None => Err(vm.stop_iteration(Value::Null)),
        }),
        ("__iter__", |_vm, a, _| Ok(a[0].clone())),
    ]
}

// ---------- object / BaseException / type ----------

pub fn object_methods() -> Vec<M> {
    vec![
        ("__init__", |_vm, _a, _| Ok(Value::None)),
        ("__new__", |vm, a, _| match a.first() {
            Some(Value::Class(c)) => {
                let c = c.clone();
                if c.meta.is_some() {
                    vm.check_abstract(&c)?;
                }
                Ok(vm.new_instance(&c, &a[1..]))
            }
            _ => Err(vm.type_error("object.__new__(X): X is not a type object")),
        }),
        ("__repr__", |vm, a, _| {
            let v = &a[0];
            let cls = vm.type_of(v);
            Ok(Value::string(format!(
                "<{}.{} object at {:#x}>",
                cls.module,
                cls.qualname,
                v.ptr().unwrap_or(0)
            )))
        }),
        ("__str__", |vm, a, _| Ok(Value::string(vm.repr(&a[0])?))),
        ("__eq__", |_vm, a, _| {
            Ok(if a[0].is(&a[1]) {
                Value::Bool(true)
            } else {
                Value::NotImplemented
            })
        }),
        ("__ne__", |vm, a, _| {
            let r = vm.compare(&a[0], &a[1], CmpOp::Eq)?;
            match r {
                Value::NotImplemented => Ok(r),
                _ => Ok(Value::Bool(!vm.truthy(&r)?)),
            }
        }),
        ("__hash__", |_vm, a, _| {
            Ok(Value::Int(crate::ops::id_hash(&a[0])))
        }),
        ("__setattr__", |vm, a, _| {
            let Value::Str(n) = &a[1] else {
                return Err(vm.type_error("attribute name must be string"));
            };
            let n = vm.intern(&n.s);
            if let Value::Instance(inst) = &a[0] {
                if let Some(slots) = &inst.class.slots
                    && !slots.iter().any(|s| s.s == n.s)
                {
                    return Err(vm.attr_error(format!(
                        "'{}' object has no attribute '{}'",
                        inst.class.name, n.s
                    )));
                }
                crate::attr::inst_set(inst, &n, a[2].clone());
                return Ok(Value::None);
            }
            // `super().__setattr__` in a metaclass's `__setattr__`: the class's namespace.
            if let Value::Class(c) = &a[0]
                && c.is_user_defined()
            {
                vm.set_class_attr(c, &n, a[2].clone());
                return Ok(Value::None);
            }
            vm.set_attr(&a[0], &n, a[2].clone())?;
            Ok(Value::None)
        }),
        ("__getattribute__", |vm, a, _| {
            let Value::Str(n) = &a[1] else {
                return Err(vm.type_error("attribute name must be string"));
            };
            let n = vm.intern(&n.s);
            vm.get_attr(&a[0], &n)
        }),
        ("__delattr__", |vm, a, _| {
            let Value::Str(n) = &a[1] else {
                return Err(vm.type_error("attribute name must be string"));
            };
            let n = vm.intern(&n.s);
            vm.del_attr_plain(&a[0], &n)?;
            Ok(Value::None)
        }),
        ("__format__", |vm, a, _| {
            let spec = match a.get(1) {
                Some(Value::Str(s)) => s.s.to_string(),
                _ => String::new(),
            };
            if !spec.is_empty() {
                let tn = vm.type_name(&a[0]);
                return Err(vm.type_error(format!(
                    "unsupported format string passed to {tn}.__format__"
                )));
            }
            Ok(Value::string(vm.to_str(&a[0])?))
        }),
        ("__init_subclass__", |vm, a, kw| {
            if !kw.is_empty() {
                let q = match a.first() {
                    Some(Value::Class(c)) => c.qualname.clone(),
                    _ => "object".into(),
                };
                return Err(vm.type_error(format!(
                    "{q}.__init_subclass__() takes no keyword arguments"
                )));
            }
            Ok(Value::None)
        }),
    ]
}

pub fn exception_methods() -> Vec<M> {
    vec![
        ("__init__", |vm, a, _| {
            if let Some(Value::Instance(i)) = a.first()
                && let Some(x) = i.exc()
            {
                *x.args.borrow_mut() = Value::tuple(a[1..].to_vec());
            }
            let _ = vm;
            Ok(Value::None)
        }),
        ("__str__", |vm, a, _| {
            let Some(Value::Instance(i)) = a.first() else {
                return Ok(Value::str(""));
            };
            let args = i.exc().map(|x| x.args.borrow().clone()).unwrap_or_default();
            match &args {
                Value::Tuple(t) if t.is_empty() => Ok(Value::str("")),
                Value::Tuple(t) if t.len() == 1 => Ok(Value::string(vm.to_str(&t[0])?)),
                other => Ok(Value::string(vm.repr(other)?)),
            }
        }),
        ("__repr__", |vm, a, _| {
            let Some(Value::Instance(i)) = a.first() else {
                return Ok(Value::str(""));
            };
            let args = i.exc().map(|x| x.args.borrow().clone()).unwrap_or_default();
            let inner = match &args {
                Value::Tuple(t) if t.len() == 1 => vm.repr(&t[0])?,
                Value::Tuple(t) => {
                    let mut parts = Vec::new();
                    for x in t.iter() {
                        parts.push(vm.repr(x)?);
                    }
                    parts.join(", ")
                }
                _ => String::new(),
            };
            Ok(Value::string(format!("{}({inner})", i.class.name)))
        }),
        ("with_traceback", |vm, a, _| {
            if let (Value::Instance(i), Some(tb)) = (&a[0], a.get(1))
                && let Some(x) = i.exc()
            {
                vm.set_exc_traceback(x, tb.clone())?;
            }
            Ok(a[0].clone())
        }),
        ("add_note", |vm, a, _| {
            let Some(Value::Instance(i)) = a.first() else {
                return Ok(Value::None);
            };
            let Some(Value::Str(n)) = a.get(1) else {
                return Err(vm.type_error("note must be a str"));
            };
            if let Some(x) = i.exc() {
                x.notes.borrow_mut().push(n.s.to_string());
            }
            Ok(Value::None)
        }),
    ]
}

pub fn type_methods() -> Vec<M> {
    vec![
        ("mro", |vm, a, _| match a.first() {
            Some(Value::Class(c)) => {
                let mut v = vec![Value::Class(c.clone())];
                v.extend(c.mro.iter().map(|b| Value::Class(b.clone())));
                Ok(Value::list(v))
            }
            _ => Err(vm.type_error("descriptor 'mro' requires a type")),
        }),
        // The direct subclasses still alive, oldest first.
        ("__subclasses__", |vm, a, _| match a.first() {
            Some(Value::Class(c)) => {
                let subs: Vec<Value> = c
                    .subclasses
                    .borrow()
                    .iter()
                    .filter_map(|w| w.upgrade())
                    .filter(|s| s.bases.iter().any(|b| Rc::ptr_eq(b, c)))
                    .map(Value::Class)
                    .collect();
                Ok(Value::list(subs))
            }
            _ => Err(vm.type_error("descriptor '__subclasses__' requires a 'type' object")),
        }),
        ("__new__", type_new_fn),
        // type.__init__ only checks its argument count (CPython's words).
        ("__init__", |vm, a, kw| {
            if a.len() == 2 && !kw.is_empty() {
                return Err(vm.type_error("type.__init__() takes no keyword arguments"));
            }
            if a.len() != 2 && a.len() != 4 {
                return Err(vm.type_error("type.__init__() takes 1 or 3 arguments"));
            }
            Ok(Value::None)
        }),
        ("__call__", |vm, a, kw| match a.first() {
            Some(Value::Class(c)) => {
                let c = c.clone();
                vm.type_call(&c, a[1..].to_vec(), kw.to_vec())
            }
            _ => Err(vm.type_error("descriptor '__call__' requires a 'type' object")),
        }),
        // A classmethod (see `setup`): the namespace a class body starts from.
        ("__prepare__", |vm, _a, _| Ok(vm.new_dict())),
        ("__instancecheck__", |vm, a, _| match a {
            [Value::Class(c), v] => {
                let t = vm.type_of(v);
                Ok(Value::Bool(crate::vm::is_subclass(&t, c)))
            }
            _ => Err(vm.type_error("__instancecheck__ expected 1 argument")),
        }),
        ("__subclasscheck__", |vm, a, _| match a {
            [Value::Class(c), Value::Class(s)] => Ok(Value::Bool(crate::vm::is_subclass(s, c))),
            [Value::Class(_), _] => Err(vm.type_error("issubclass() arg 1 must be a class")),
            _ => Err(vm.type_error("__subclasscheck__ expected 1 argument")),
        }),
    ]
}

/// `type.__new__(mcls, name, bases, ns, **kw)` (a static method, see `setup`).
pub(crate) fn type_new_fn(vm: &mut Vm, a: &[Value], kw: &[(Rc<PyStr>, Value)]) -> PyResult<Value> {
    match a.first() {
        Some(Value::Class(m)) if m.base_kind == Kind::Type => {
            let m = m.clone();
            vm.type_new(&m, &a[1..], kw)
        }
        Some(Value::Class(m)) => {
            let n = m.name.clone();
            Err(vm.type_error(format!("type.__new__({n}): {n} is not a subtype of type")))
        }
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("type.__new__(X): X is not a type object ({tn})")))
        }
        None => Err(vm.type_error("type.__new__(): not enough arguments")),
    }
}

pub fn property_methods() -> Vec<M> {
    fn with(vm: &mut Vm, a: &[Value], which: u8) -> PyResult<Value> {
        let Some(Value::Property(p)) = a.first() else {
            return Err(vm.type_error("descriptor requires a property"));
        };
        let f = a.get(1).cloned().unwrap_or(Value::None);
        let (mut g, mut s, mut d) = (p.fget.clone(), p.fset.clone(), p.fdel.clone());
        match which {
            0 => g = f,
            1 => s = f,
            _ => d = f,
        }
        Ok(Value::Property(Rc::new(Property {
            fget: g,
            fset: s,
            fdel: d,
            doc: p.doc.clone(),
        })))
    }
    vec![
        ("getter", |vm, a, _| with(vm, a, 0)),
        ("setter", |vm, a, _| with(vm, a, 1)),
        ("deleter", |vm, a, _| with(vm, a, 2)),
    ]
}
