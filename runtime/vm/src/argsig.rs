//! Declared signatures of builtin functions and builtin type constructors, and the one checker
//! that binds a call's arguments to them with CPython 3.13's error messages.
//!
//! CPython words argument errors by which C argument parser a builtin uses, so a `Sig` says
//! which one (`Count`), besides the parameter names, how many are positional-only, how many
//! are required and which keywords are allowed (`Kw`). The ok path (`bind`, `check`) is one
//! or two compares; everything that can fail or needs keywords moved into place runs in a
//! cold function, so declaring a signature costs the common call nothing measurable.

use crate::builtins::Kw;
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use std::borrow::Cow;

/// The most positional arguments a variadic builtin (`print`, `min`, `zip`) accepts.
pub const VAR: u8 = u8::MAX;

/// How CPython words an argument-count error for a builtin called without keywords.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// METH_O: "len() takes exactly one argument (0 given)".
    One,
    /// METH_NOARGS: "globals() takes no arguments (1 given)".
    NoArgs,
    /// The positional checker: "sorted expected 1 argument, got 0", "vars expected at most 1
    /// argument, got 2", "getattr expected at least 2 arguments, got 1".
    Expected,
    /// Argument Clinic: "round() missing required argument 'number' (pos 1)", "pow() takes
    /// at most 3 arguments (6 given)", "sum() takes at least 1 positional argument (0 given)".
    Clinic,
}

/// Which keywords a builtin accepts, and how an unexpected one is reported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KwMode {
    /// None at all; checked before the count: "len() takes no keyword arguments".
    No,
    /// Only the keyword-only names `Sig::kwonly`, checked after the count; an unknown one is
    /// "NAME() got an unexpected keyword argument 'k'" (plus CPython's "Did you mean" hint),
    /// where NAME is `Sig::kw_owner` (`sorted` hands its keywords to `list.sort`).
    KwOnly,
    /// The positional parameters after the positional-only ones, and `Sig::kwonly`, bound as
    /// Argument Clinic does (every check, count included, in Clinic's words once a keyword
    /// is present).
    Clinic,
}

/// A builtin's declared signature.
pub struct Sig {
    /// The name in METH_O/METH_NOARGS and "takes no keyword arguments" messages: the
    /// qualified name for methods ("list.append").
    pub name: &'static str,
    /// The name in the positional checker's and Clinic's messages ("index expected at least
    /// 1 argument", "sort() takes at most 2 arguments"): the bare name for methods.
    pub short: &'static str,
    pub count: Count,
    pub kw: KwMode,
    /// Names of the positional parameters, in order.
    pub params: &'static [&'static str],
    /// How many leading `params` are positional-only.
    pub posonly: u8,
    /// Required positional arguments.
    pub min: u8,
    /// Most positional arguments (`VAR`: no limit).
    pub max: u8,
    pub kwonly: &'static [&'static str],
    /// The function named in an unexpected-keyword error (`KwMode::KwOnly`).
    pub kw_owner: &'static str,
}

impl Sig {
    /// A builtin without keywords: only a count to check, worded per `count`.
    pub const fn pos(name: &'static str, count: Count, min: u8, max: u8) -> Sig {
        Sig {
            name,
            short: name,
            count,
            kw: KwMode::No,
            params: &[],
            posonly: 0,
            min,
            max,
            kwonly: &[],
            kw_owner: name,
        }
    }

    /// A positional-checker builtin that also takes the keyword-only `kwonly`.
    pub const fn kwonly(
        name: &'static str,
        min: u8,
        max: u8,
        kwonly: &'static [&'static str],
        kw_owner: &'static str,
    ) -> Sig {
        Sig {
            name,
            short: name,
            count: Count::Expected,
            kw: KwMode::KwOnly,
            params: &[],
            posonly: 0,
            min,
            max,
            kwonly,
            kw_owner,
        }
    }

    /// An Argument Clinic builtin; `count` words the errors of calls without keywords
    /// (`Count::Expected` for `int`/`str`, whose keyword-free call skips Clinic).
    pub const fn clinic(
        name: &'static str,
        count: Count,
        params: &'static [&'static str],
        posonly: u8,
        min: u8,
        kwonly: &'static [&'static str],
    ) -> Sig {
        Sig {
            name,
            short: name,
            count,
            kw: KwMode::Clinic,
            params,
            posonly,
            min,
            max: params.len() as u8,
            kwonly,
            kw_owner: name,
        }
    }
}

impl Sig {
    /// A method of a builtin type (`qual` = "list.append", `short` = "append"); the table
    /// `method_sig` below is made of these.
    #[allow(clippy::too_many_arguments)]
    pub const fn method(
        qual: &'static str,
        short: &'static str,
        count: Count,
        kw: KwMode,
        params: &'static [&'static str],
        posonly: u8,
        min: u8,
        max: u8,
        kwonly: &'static [&'static str],
    ) -> Sig {
        Sig {
            name: qual,
            short,
            count,
            kw,
            params,
            posonly,
            min,
            max,
            kwonly,
            kw_owner: short,
        }
    }

    /// A method or module function taking only positional arguments, no keywords: most of
    /// the module functions and the `StringIO`/`array` methods.
    pub const fn positional(
        qual: &'static str,
        short: &'static str,
        count: Count,
        min: u8,
        max: u8,
    ) -> Sig {
        Sig::method(qual, short, count, KwMode::No, &[], 0, min, max, &[])
    }
}

impl Sig {
    /// A method without arguments (METH_NOARGS): "float.hex() takes no arguments (1 given)".
    pub const fn noargs(qual: &'static str, short: &'static str) -> Sig {
        Sig::method(qual, short, Count::NoArgs, KwMode::No, &[], 0, 0, 0, &[])
    }
}

/// Checks a method call: `a[0]` is the receiver, `a[1..]` the arguments checked against
/// `sig`.
#[inline]
pub fn check_method(vm: &mut Vm, sig: &Sig, a: &[Value], kw: Kw<'_>) -> PyResult<()> {
    check(vm, sig, a.get(1..).unwrap_or(&[]), kw)
}

/// Checks a call of a builtin whose parameters are all positional (`KwMode::No`) or whose
/// keywords it reads itself (`KwMode::KwOnly`, by `kwarg`).
#[inline]
pub fn check(vm: &mut Vm, sig: &Sig, args: &[Value], kw: Kw<'_>) -> PyResult<()> {
    let n = args.len();
    if kw.is_empty() && n >= sig.min as usize && n <= sig.max as usize {
        return Ok(());
    }
    bind_slow(vm, sig, args, kw).map(|_| ())
}

/// Binds a call: the positional arguments, with those of `params` given by keyword moved to
/// their positions (a skipped optional one is `Value::Null`). Keyword-only arguments stay in
/// `kw` for the builtin to read.
#[inline]
pub fn bind<'a>(
    vm: &mut Vm,
    sig: &Sig,
    args: &'a [Value],
    kw: Kw<'_>,
) -> PyResult<Cow<'a, [Value]>> {
    let n = args.len();
    if kw.is_empty() && n >= sig.min as usize && n <= sig.max as usize {
        return Ok(Cow::Borrowed(args));
    }
    bind_slow(vm, sig, args, kw)
}

/// The `i`th bound argument, `None` when absent or skipped.
#[inline]
pub fn opt(args: &[Value], i: usize) -> Option<&Value> {
    args.get(i).filter(|v| !v.is_null())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The count error of a keyword-free call, in the words of `sig.count`.
fn count_error(sig: &Sig, n: usize) -> Option<String> {
    let (name, min, max) = (sig.name, sig.min as usize, sig.max as usize);
    let short = sig.short;
    if n >= min && n <= max {
        return None;
    }
    Some(match sig.count {
        Count::One => format!("{name}() takes exactly one argument ({n} given)"),
        Count::NoArgs => format!("{name}() takes no arguments ({n} given)"),
        Count::Expected => {
            if min == max {
                format!("{short} expected {min} argument{}, got {n}", plural(min))
            } else if n < min {
                format!(
                    "{short} expected at least {min} argument{}, got {n}",
                    plural(min)
                )
            } else {
                format!(
                    "{short} expected at most {max} argument{}, got {n}",
                    plural(max)
                )
            }
        }
        Count::Clinic => return clinic_count_error(sig, n, 0),
    })
}

/// Clinic's count checks, before any argument is bound (`nk` keywords present).
fn clinic_count_error(sig: &Sig, n: usize, nk: usize) -> Option<String> {
    let name = sig.short;
    let (min, max) = (sig.min as usize, sig.max as usize);
    let maxargs = sig.params.len() + sig.kwonly.len();
    if n + nk > maxargs {
        return Some(format!(
            "{name}() takes at most {maxargs} {}argument{} ({} given)",
            if n == 0 { "keyword " } else { "" },
            plural(maxargs),
            n + nk
        ));
    }
    if n > max {
        return Some(if max == 0 {
            format!("{name}() takes no positional arguments")
        } else {
            format!(
                "{name}() takes {} {max} positional argument{} ({n} given)",
                if min < max { "at most" } else { "exactly" },
                plural(max)
            )
        });
    }
    let minposonly = min.min(sig.posonly as usize);
    if n < minposonly {
        return Some(format!(
            "{name}() takes {} {minposonly} positional argument{} ({n} given)",
            if minposonly < max {
                "at least"
            } else {
                "exactly"
            },
            plural(minposonly)
        ));
    }
    None
}

#[cold]
#[inline(never)]
fn bind_slow<'a>(
    vm: &mut Vm,
    sig: &Sig,
    args: &'a [Value],
    kw: Kw<'_>,
) -> PyResult<Cow<'a, [Value]>> {
    let n = args.len();
    match sig.kw {
        KwMode::No => {
            if !kw.is_empty() {
                return Err(vm.type_error(format!("{}() takes no keyword arguments", sig.name)));
            }
            if let Some(m) = count_error(sig, n) {
                return Err(vm.type_error(m));
            }
            Ok(Cow::Borrowed(args))
        }
        KwMode::KwOnly => {
            if let Some(m) = count_error(sig, n) {
                return Err(vm.type_error(m));
            }
            for (k, _) in kw {
                if !sig.kwonly.contains(&&*k.s) {
                    return Err(unexpected(
                        vm,
                        sig.kw_owner,
                        &k.s,
                        sig.kwonly.iter().copied(),
                    ));
                }
            }
            Ok(Cow::Borrowed(args))
        }
        KwMode::Clinic => {
            if kw.is_empty() && sig.count != Count::Clinic {
                if let Some(m) = count_error(sig, n) {
                    return Err(vm.type_error(m));
                }
                return Ok(Cow::Borrowed(args));
            }
            if let Some(m) = clinic_count_error(sig, n, kw.len()) {
                return Err(vm.type_error(m));
            }
            let mut out = args.to_vec();
            let mut used = 0;
            let posonly = sig.posonly as usize;
            for i in n.max(posonly)..sig.params.len() {
                let p = sig.params[i];
                match kw.iter().find(|(k, _)| &*k.s == p) {
                    Some((_, v)) => {
                        out.resize(i, Value::Null);
                        out.push(v.clone());
                        used += 1;
                    }
                    None if i < sig.min as usize => {
                        return Err(vm.type_error(format!(
                            "{}() missing required argument '{p}' (pos {})",
                            sig.short,
                            i + 1
                        )));
                    }
                    None => {}
                }
            }
            used += kw
                .iter()
                .filter(|(k, _)| sig.kwonly.contains(&&*k.s))
                .count();
            if used < kw.len() {
                for i in posonly..n.min(sig.params.len()) {
                    let p = sig.params[i];
                    if kw.iter().any(|(k, _)| &*k.s == p) {
                        return Err(vm.type_error(format!(
                            "argument for {}() given by name ('{p}') and position ({})",
                            sig.short,
                            i + 1
                        )));
                    }
                }
                let known = || sig.params[posonly..].iter().chain(sig.kwonly).copied();
                for (k, _) in kw {
                    if !known().any(|p| p == &*k.s) {
                        return Err(unexpected(vm, sig.short, &k.s, known()));
                    }
                }
            }
            Ok(Cow::Owned(out))
        }
    }
}

/// "f() got an unexpected keyword argument 'k'", with CPython's "Did you mean" hint drawn
/// from the keywords `f` does take.
pub fn unexpected<'s>(
    vm: &mut Vm,
    owner: &str,
    k: &str,
    known: impl Iterator<Item = &'s str>,
) -> crate::vm::PyErr {
    let mut msg = format!("{owner}() got an unexpected keyword argument '{k}'");
    if let Some(s) = suggest(k, known) {
        msg.push_str(&format!(". Did you mean '{s}'?"));
    }
    vm.type_error(msg)
}

/// Cost of an insertion or deletion in `distance` (a case-only change costs 1).
const MOVE: usize = 2;

/// The closest candidate to `name`, by the rule CPython 3.13 uses for its "Did you mean"
/// hints: an edit distance over UTF-8 bytes (substitution 2, case change 1, insertion or
/// deletion 2), accepted up to (len(name) + len(candidate) + 3) * 2 / 6, first best wins.
pub fn suggest<'s>(name: &str, candidates: impl Iterator<Item = &'s str>) -> Option<&'s str> {
    let mut best: Option<(&str, usize)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let mut limit = (name.len() + c.len() + 3) * MOVE / 6;
        if let Some((_, d)) = best {
            limit = limit.min(d.saturating_sub(1));
        }
        let d = distance(name.as_bytes(), c.as_bytes(), limit);
        if d > limit {
            continue;
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c)
}

/// Edit distance between `a` and `b` with the costs of `suggest`; anything above `limit`
/// comes back as `limit + 1`.
fn distance(a: &[u8], b: &[u8], limit: usize) -> usize {
    if a == b {
        return 0;
    }
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE;
    }
    if a.len() > 40 || b.len() > 40 {
        return limit + 1;
    }
    let (a, b) = if b.len() < a.len() { (b, a) } else { (a, b) };
    if (b.len() - a.len()) * MOVE > limit {
        return limit + 1;
    }
    let sub = |x: u8, y: u8| {
        if x == y {
            0
        } else if x.eq_ignore_ascii_case(&y) {
            1
        } else {
            MOVE
        }
    };
    let mut row: Vec<usize> = (1..=a.len()).map(|i| i * MOVE).collect();
    let mut result = 0;
    for (bi, &code) in b.iter().enumerate() {
        let mut diag = bi * MOVE;
        result = diag;
        let mut minimum = usize::MAX;
        for (ai, &ac) in a.iter().enumerate() {
            let substitute = diag + sub(code, ac);
            diag = row[ai];
            let insert_delete = result.min(diag) + MOVE;
            result = insert_delete.min(substitute);
            row[ai] = result;
            minimum = minimum.min(result);
        }
        if minimum > limit {
            return limit + 1;
        }
    }
    result
}

// The signatures of the methods of builtin types (OWNER_NAME), checked by the methods in
// `methods` that take them. Generated from CPython 3.13: each method's
// `inspect.signature` and the messages it gives for no arguments, seven arguments and an
// unknown keyword (static and class methods and `str.format`, `dict.update`, `bytes.hex`
// are left out, and so are methods vigil lacks). `list.append` and `list.insert` are
// checked only when the count is wrong, and `list.pop` not at all: a full check per call
// costs the benchmarks that call them in their inner loop (fannkuch) measurably. Clinic methods still read their
// keywords themselves; the check only refuses wrong ones.
pub static STR_CAPITALIZE: Sig =
    Sig::positional("str.capitalize", "capitalize", Count::NoArgs, 0, 0);
pub static STR_CASEFOLD: Sig = Sig::positional("str.casefold", "casefold", Count::NoArgs, 0, 0);
pub static STR_CENTER: Sig = Sig::positional("str.center", "center", Count::Expected, 1, 2);
pub static STR_COUNT: Sig = Sig::positional("str.count", "count", Count::Expected, 1, 3);
pub static STR_ENCODE: Sig = Sig::method(
    "str.encode",
    "encode",
    Count::Clinic,
    KwMode::Clinic,
    &["encoding", "errors"],
    0,
    0,
    2,
    &[],
);
pub static STR_ENDSWITH: Sig = Sig::positional("str.endswith", "endswith", Count::Expected, 1, 3);
pub static STR_EXPANDTABS: Sig = Sig::method(
    "str.expandtabs",
    "expandtabs",
    Count::Clinic,
    KwMode::Clinic,
    &["tabsize"],
    0,
    0,
    1,
    &[],
);
pub static STR_FIND: Sig = Sig::positional("str.find", "find", Count::Expected, 1, 3);
pub static STR_INDEX: Sig = Sig::positional("str.index", "index", Count::Expected, 1, 3);
pub static STR_ISALNUM: Sig = Sig::positional("str.isalnum", "isalnum", Count::NoArgs, 0, 0);
pub static STR_ISALPHA: Sig = Sig::positional("str.isalpha", "isalpha", Count::NoArgs, 0, 0);
pub static STR_ISASCII: Sig = Sig::positional("str.isascii", "isascii", Count::NoArgs, 0, 0);
pub static STR_ISDECIMAL: Sig = Sig::positional("str.isdecimal", "isdecimal", Count::NoArgs, 0, 0);
pub static STR_ISDIGIT: Sig = Sig::positional("str.isdigit", "isdigit", Count::NoArgs, 0, 0);
pub static STR_ISIDENTIFIER: Sig =
    Sig::positional("str.isidentifier", "isidentifier", Count::NoArgs, 0, 0);
pub static STR_ISLOWER: Sig = Sig::positional("str.islower", "islower", Count::NoArgs, 0, 0);
pub static STR_ISNUMERIC: Sig = Sig::positional("str.isnumeric", "isnumeric", Count::NoArgs, 0, 0);
pub static STR_ISPRINTABLE: Sig =
    Sig::positional("str.isprintable", "isprintable", Count::NoArgs, 0, 0);
pub static STR_ISSPACE: Sig = Sig::positional("str.isspace", "isspace", Count::NoArgs, 0, 0);
pub static STR_ISUPPER: Sig = Sig::positional("str.isupper", "isupper", Count::NoArgs, 0, 0);
pub static STR_ISTITLE: Sig = Sig::positional("str.istitle", "istitle", Count::NoArgs, 0, 0);
pub static STR_JOIN: Sig = Sig::positional("str.join", "join", Count::One, 1, 1);
pub static STR_LJUST: Sig = Sig::positional("str.ljust", "ljust", Count::Expected, 1, 2);
pub static STR_LOWER: Sig = Sig::positional("str.lower", "lower", Count::NoArgs, 0, 0);
pub static STR_LSTRIP: Sig = Sig::positional("str.lstrip", "lstrip", Count::Expected, 0, 1);
pub static STR_PARTITION: Sig = Sig::positional("str.partition", "partition", Count::One, 1, 1);
pub static STR_REMOVEPREFIX: Sig =
    Sig::positional("str.removeprefix", "removeprefix", Count::One, 1, 1);
pub static STR_REMOVESUFFIX: Sig =
    Sig::positional("str.removesuffix", "removesuffix", Count::One, 1, 1);
pub static STR_REPLACE: Sig = Sig::method(
    "str.replace",
    "replace",
    Count::Clinic,
    KwMode::Clinic,
    &["old", "new", "count"],
    2,
    2,
    3,
    &[],
);
pub static STR_RFIND: Sig = Sig::positional("str.rfind", "rfind", Count::Expected, 1, 3);
pub static STR_RINDEX: Sig = Sig::positional("str.rindex", "rindex", Count::Expected, 1, 3);
pub static STR_RJUST: Sig = Sig::positional("str.rjust", "rjust", Count::Expected, 1, 2);
pub static STR_RPARTITION: Sig = Sig::positional("str.rpartition", "rpartition", Count::One, 1, 1);
pub static STR_RSPLIT: Sig = Sig::method(
    "str.rsplit",
    "rsplit",
    Count::Clinic,
    KwMode::Clinic,
    &["sep", "maxsplit"],
    0,
    0,
    2,
    &[],
);
pub static STR_RSTRIP: Sig = Sig::positional("str.rstrip", "rstrip", Count::Expected, 0, 1);
pub static STR_SPLIT: Sig = Sig::method(
    "str.split",
    "split",
    Count::Clinic,
    KwMode::Clinic,
    &["sep", "maxsplit"],
    0,
    0,
    2,
    &[],
);
pub static STR_SPLITLINES: Sig = Sig::method(
    "str.splitlines",
    "splitlines",
    Count::Clinic,
    KwMode::Clinic,
    &["keepends"],
    0,
    0,
    1,
    &[],
);
pub static STR_STARTSWITH: Sig =
    Sig::positional("str.startswith", "startswith", Count::Expected, 1, 3);
pub static STR_STRIP: Sig = Sig::positional("str.strip", "strip", Count::Expected, 0, 1);
pub static STR_SWAPCASE: Sig = Sig::positional("str.swapcase", "swapcase", Count::NoArgs, 0, 0);
pub static STR_TITLE: Sig = Sig::positional("str.title", "title", Count::NoArgs, 0, 0);
pub static STR_TRANSLATE: Sig = Sig::positional("str.translate", "translate", Count::One, 1, 1);
pub static STR_UPPER: Sig = Sig::positional("str.upper", "upper", Count::NoArgs, 0, 0);
pub static STR_ZFILL: Sig = Sig::positional("str.zfill", "zfill", Count::One, 1, 1);
pub static LIST_CLEAR: Sig = Sig::positional("list.clear", "clear", Count::NoArgs, 0, 0);
pub static LIST_COPY: Sig = Sig::positional("list.copy", "copy", Count::NoArgs, 0, 0);
pub static LIST_COUNT: Sig = Sig::positional("list.count", "count", Count::One, 1, 1);
pub static LIST_EXTEND: Sig = Sig::positional("list.extend", "extend", Count::One, 1, 1);
pub static LIST_INDEX: Sig = Sig::positional("list.index", "index", Count::Expected, 1, 3);
pub static LIST_REMOVE: Sig = Sig::positional("list.remove", "remove", Count::One, 1, 1);
pub static LIST_REVERSE: Sig = Sig::positional("list.reverse", "reverse", Count::NoArgs, 0, 0);
pub static LIST_SORT: Sig = Sig::method(
    "list.sort",
    "sort",
    Count::Clinic,
    KwMode::Clinic,
    &[],
    0,
    0,
    0,
    &["key", "reverse"],
);
pub static TUPLE_COUNT: Sig = Sig::positional("tuple.count", "count", Count::One, 1, 1);
pub static TUPLE_INDEX: Sig = Sig::positional("tuple.index", "index", Count::Expected, 1, 3);
pub static DICT_CLEAR: Sig = Sig::positional("dict.clear", "clear", Count::NoArgs, 0, 0);
pub static DICT_COPY: Sig = Sig::positional("dict.copy", "copy", Count::NoArgs, 0, 0);
pub static DICT_GET: Sig = Sig::positional("dict.get", "get", Count::Expected, 1, 2);
pub static DICT_ITEMS: Sig = Sig::positional("dict.items", "items", Count::NoArgs, 0, 0);
pub static DICT_KEYS: Sig = Sig::positional("dict.keys", "keys", Count::NoArgs, 0, 0);
pub static DICT_POP: Sig = Sig::positional("dict.pop", "pop", Count::Expected, 1, 2);
pub static DICT_POPITEM: Sig = Sig::positional("dict.popitem", "popitem", Count::NoArgs, 0, 0);
pub static DICT_SETDEFAULT: Sig =
    Sig::positional("dict.setdefault", "setdefault", Count::Expected, 1, 2);
pub static DICT_VALUES: Sig = Sig::positional("dict.values", "values", Count::NoArgs, 0, 0);
pub static SET_ADD: Sig = Sig::method("set.add", "add", Count::One, KwMode::No, &[], 0, 1, 1, &[]);
pub static SET_CLEAR: Sig = Sig::positional("set.clear", "clear", Count::NoArgs, 0, 0);
pub static SET_COPY: Sig = Sig::positional("set.copy", "copy", Count::NoArgs, 0, 0);
pub static SET_DIFFERENCE: Sig =
    Sig::positional("set.difference", "difference", Count::Expected, 0, VAR);
pub static SET_DIFFERENCE_UPDATE: Sig = Sig::positional(
    "set.difference_update",
    "difference_update",
    Count::Expected,
    0,
    VAR,
);
pub static SET_DISCARD: Sig = Sig::positional("set.discard", "discard", Count::One, 1, 1);
pub static SET_INTERSECTION: Sig =
    Sig::positional("set.intersection", "intersection", Count::Expected, 0, VAR);
pub static SET_INTERSECTION_UPDATE: Sig = Sig::positional(
    "set.intersection_update",
    "intersection_update",
    Count::Expected,
    0,
    VAR,
);
pub static SET_ISDISJOINT: Sig = Sig::positional("set.isdisjoint", "isdisjoint", Count::One, 1, 1);
pub static SET_ISSUBSET: Sig = Sig::positional("set.issubset", "issubset", Count::One, 1, 1);
pub static SET_ISSUPERSET: Sig = Sig::positional("set.issuperset", "issuperset", Count::One, 1, 1);
pub static SET_POP: Sig = Sig::positional("set.pop", "pop", Count::NoArgs, 0, 0);
pub static SET_REMOVE: Sig = Sig::positional("set.remove", "remove", Count::One, 1, 1);
pub static SET_SYMMETRIC_DIFFERENCE: Sig = Sig::positional(
    "set.symmetric_difference",
    "symmetric_difference",
    Count::One,
    1,
    1,
);
pub static SET_SYMMETRIC_DIFFERENCE_UPDATE: Sig = Sig::positional(
    "set.symmetric_difference_update",
    "symmetric_difference_update",
    Count::One,
    1,
    1,
);
pub static SET_UNION: Sig = Sig::positional("set.union", "union", Count::Expected, 0, VAR);
pub static SET_UPDATE: Sig = Sig::positional("set.update", "update", Count::Expected, 0, VAR);
pub static FROZENSET_COPY: Sig = Sig::positional("frozenset.copy", "copy", Count::NoArgs, 0, 0);
pub static FROZENSET_DIFFERENCE: Sig = Sig::positional(
    "frozenset.difference",
    "difference",
    Count::Expected,
    0,
    VAR,
);
pub static FROZENSET_INTERSECTION: Sig = Sig::positional(
    "frozenset.intersection",
    "intersection",
    Count::Expected,
    0,
    VAR,
);
pub static FROZENSET_ISDISJOINT: Sig =
    Sig::positional("frozenset.isdisjoint", "isdisjoint", Count::One, 1, 1);
pub static FROZENSET_ISSUBSET: Sig =
    Sig::positional("frozenset.issubset", "issubset", Count::One, 1, 1);
pub static FROZENSET_ISSUPERSET: Sig =
    Sig::positional("frozenset.issuperset", "issuperset", Count::One, 1, 1);
pub static FROZENSET_SYMMETRIC_DIFFERENCE: Sig = Sig::positional(
    "frozenset.symmetric_difference",
    "symmetric_difference",
    Count::One,
    1,
    1,
);
pub static FROZENSET_UNION: Sig =
    Sig::positional("frozenset.union", "union", Count::Expected, 0, VAR);
pub static INT_BIT_COUNT: Sig = Sig::positional("int.bit_count", "bit_count", Count::NoArgs, 0, 0);
pub static INT_BIT_LENGTH: Sig =
    Sig::positional("int.bit_length", "bit_length", Count::NoArgs, 0, 0);
pub static INT_CONJUGATE: Sig = Sig::positional("int.conjugate", "conjugate", Count::NoArgs, 0, 0);
pub static INT_TO_BYTES: Sig = Sig::method(
    "int.to_bytes",
    "to_bytes",
    Count::Clinic,
    KwMode::Clinic,
    &["length", "byteorder"],
    0,
    0,
    2,
    &["signed"],
);
pub static INT_AS_INTEGER_RATIO: Sig = Sig::positional(
    "int.as_integer_ratio",
    "as_integer_ratio",
    Count::NoArgs,
    0,
    0,
);
pub static INT_IS_INTEGER: Sig =
    Sig::positional("int.is_integer", "is_integer", Count::NoArgs, 0, 0);
pub static INT_FROM_BYTES: Sig = Sig::method(
    "int.from_bytes",
    "from_bytes",
    Count::Clinic,
    KwMode::Clinic,
    &["bytes", "byteorder"],
    0,
    1,
    2,
    &["signed"],
);
pub static FLOAT_AS_INTEGER_RATIO: Sig = Sig::positional(
    "float.as_integer_ratio",
    "as_integer_ratio",
    Count::NoArgs,
    0,
    0,
);
pub static BYTES_COUNT: Sig = Sig::positional("bytes.count", "count", Count::Expected, 1, 3);
pub static BYTES_DECODE: Sig = Sig::method(
    "bytes.decode",
    "decode",
    Count::Clinic,
    KwMode::Clinic,
    &["encoding", "errors"],
    0,
    0,
    2,
    &[],
);
pub static BYTES_ENDSWITH: Sig =
    Sig::positional("bytes.endswith", "endswith", Count::Expected, 1, 3);
pub static BYTES_FIND: Sig = Sig::positional("bytes.find", "find", Count::Expected, 1, 3);
pub static BYTES_INDEX: Sig = Sig::positional("bytes.index", "index", Count::Expected, 1, 3);
pub static BYTES_RINDEX: Sig = Sig::positional("bytes.rindex", "rindex", Count::Expected, 1, 3);
pub static BYTEARRAY_RINDEX: Sig =
    Sig::positional("bytearray.rindex", "rindex", Count::Expected, 1, 3);
pub static BYTEARRAY_POP: Sig = Sig::positional("bytearray.pop", "pop", Count::Expected, 0, 1);
pub static BYTEARRAY_INSERT: Sig =
    Sig::positional("bytearray.insert", "insert", Count::Expected, 2, 2);
// Clinic and positional-checker messages name only the bare method, so bytes and
// bytearray share these.
pub static BYTES_PAD: Sig = Sig::positional("bytes.center", "center", Count::Expected, 1, 2);
pub static BYTES_LJUST: Sig = Sig::positional("bytes.ljust", "ljust", Count::Expected, 1, 2);
pub static BYTES_RJUST: Sig = Sig::positional("bytes.rjust", "rjust", Count::Expected, 1, 2);
pub static BYTES_EXPANDTABS: Sig = Sig::method(
    "bytes.expandtabs",
    "expandtabs",
    Count::Clinic,
    KwMode::Clinic,
    &["tabsize"],
    0,
    0,
    1,
    &[],
);
pub static BYTES_TRANSLATE: Sig = Sig::method(
    "bytes.translate",
    "translate",
    Count::Clinic,
    KwMode::Clinic,
    &["table", "delete"],
    1,
    1,
    2,
    &[],
);
pub static BYTES_MAKETRANS: Sig =
    Sig::positional("bytes.maketrans", "maketrans", Count::Expected, 2, 2);
pub static BYTEARRAY_SETITEM: Sig = Sig::positional(
    "bytearray.__setitem__",
    "__setitem__",
    Count::Expected,
    2,
    2,
);
pub static BYTES_JOIN: Sig = Sig::positional("bytes.join", "join", Count::One, 1, 1);
pub static BYTES_LSTRIP: Sig = Sig::positional("bytes.lstrip", "lstrip", Count::Expected, 0, 1);
pub static BYTES_REPLACE: Sig = Sig::positional("bytes.replace", "replace", Count::Expected, 2, 3);
pub static BYTES_RFIND: Sig = Sig::positional("bytes.rfind", "rfind", Count::Expected, 1, 3);
pub static BYTES_RSPLIT: Sig = Sig::method(
    "bytes.rsplit",
    "rsplit",
    Count::Clinic,
    KwMode::Clinic,
    &["sep", "maxsplit"],
    0,
    0,
    2,
    &[],
);
pub static BYTES_RSTRIP: Sig = Sig::positional("bytes.rstrip", "rstrip", Count::Expected, 0, 1);
pub static BYTES_SPLIT: Sig = Sig::method(
    "bytes.split",
    "split",
    Count::Clinic,
    KwMode::Clinic,
    &["sep", "maxsplit"],
    0,
    0,
    2,
    &[],
);
pub static BYTES_SPLITLINES: Sig = Sig::method(
    "bytes.splitlines",
    "splitlines",
    Count::Clinic,
    KwMode::Clinic,
    &["keepends"],
    0,
    0,
    1,
    &[],
);
pub static BYTES_STARTSWITH: Sig =
    Sig::positional("bytes.startswith", "startswith", Count::Expected, 1, 3);
pub static BYTES_STRIP: Sig = Sig::positional("bytes.strip", "strip", Count::Expected, 0, 1);
pub static BYTEARRAY_APPEND: Sig = Sig::positional("bytearray.append", "append", Count::One, 1, 1);
pub static BYTEARRAY_COUNT: Sig =
    Sig::positional("bytearray.count", "count", Count::Expected, 1, 3);
pub static BYTEARRAY_DECODE: Sig = Sig::method(
    "bytearray.decode",
    "decode",
    Count::Clinic,
    KwMode::Clinic,
    &["encoding", "errors"],
    0,
    0,
    2,
    &[],
);
pub static BYTEARRAY_ENDSWITH: Sig =
    Sig::positional("bytearray.endswith", "endswith", Count::Expected, 1, 3);
pub static BYTEARRAY_FIND: Sig = Sig::positional("bytearray.find", "find", Count::Expected, 1, 3);
pub static BYTEARRAY_INDEX: Sig =
    Sig::positional("bytearray.index", "index", Count::Expected, 1, 3);
pub static BYTEARRAY_JOIN: Sig = Sig::positional("bytearray.join", "join", Count::One, 1, 1);
pub static BYTEARRAY_LSTRIP: Sig =
    Sig::positional("bytearray.lstrip", "lstrip", Count::Expected, 0, 1);
pub static BYTEARRAY_REPLACE: Sig =
    Sig::positional("bytearray.replace", "replace", Count::Expected, 2, 3);
pub static BYTEARRAY_RFIND: Sig =
    Sig::positional("bytearray.rfind", "rfind", Count::Expected, 1, 3);
pub static BYTEARRAY_RSPLIT: Sig = Sig::method(
    "bytearray.rsplit",
    "rsplit",
    Count::Clinic,
    KwMode::Clinic,
    &["sep", "maxsplit"],
    0,
    0,
    2,
    &[],
);
pub static BYTEARRAY_RSTRIP: Sig =
    Sig::positional("bytearray.rstrip", "rstrip", Count::Expected, 0, 1);
pub static BYTEARRAY_SPLIT: Sig = Sig::method(
    "bytearray.split",
    "split",
    Count::Clinic,
    KwMode::Clinic,
    &["sep", "maxsplit"],
    0,
    0,
    2,
    &[],
);
pub static BYTEARRAY_SPLITLINES: Sig = Sig::method(
    "bytearray.splitlines",
    "splitlines",
    Count::Clinic,
    KwMode::Clinic,
    &["keepends"],
    0,
    0,
    1,
    &[],
);
pub static BYTEARRAY_STARTSWITH: Sig =
    Sig::positional("bytearray.startswith", "startswith", Count::Expected, 1, 3);
pub static BYTEARRAY_STRIP: Sig =
    Sig::positional("bytearray.strip", "strip", Count::Expected, 0, 1);

// Static and class methods, and methods taking any keyword, written by hand from CPython
// 3.13's messages.
pub static STR_MAKETRANS: Sig =
    Sig::positional("str.maketrans", "maketrans", Count::Expected, 1, 3);
pub static DICT_FROMKEYS: Sig = Sig::positional("dict.fromkeys", "fromkeys", Count::Expected, 1, 2);
pub static DICT_UPDATE: Sig = Sig::positional("dict.update", "update", Count::Expected, 0, 1);
pub static BYTES_HEX: Sig = Sig::method(
    "bytes.hex",
    "hex",
    Count::Clinic,
    KwMode::Clinic,
    &["sep", "bytes_per_sep"],
    0,
    0,
    2,
    &[],
);
pub static FLOAT_IS_INTEGER: Sig = Sig::noargs("float.is_integer", "is_integer");
pub static FLOAT_HEX: Sig = Sig::noargs("float.hex", "hex");
pub static FLOAT_FROMHEX: Sig = Sig::positional("float.fromhex", "fromhex", Count::One, 1, 1);
pub static FLOAT_CONJUGATE: Sig = Sig::noargs("float.conjugate", "conjugate");
pub static COMPLEX_CONJUGATE: Sig = Sig::noargs("complex.conjugate", "conjugate");
pub static LIST_APPEND: Sig = Sig::positional("list.append", "append", Count::One, 1, 1);
pub static LIST_POP: Sig = Sig::positional("list.pop", "pop", Count::Expected, 0, 1);
pub static LIST_INSERT: Sig = Sig::positional("list.insert", "insert", Count::Expected, 2, 2);
