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
    pub name: &'static str,
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
    if n >= min && n <= max {
        return None;
    }
    Some(match sig.count {
        Count::One => format!("{name}() takes exactly one argument ({n} given)"),
        Count::NoArgs => format!("{name}() takes no arguments ({n} given)"),
        Count::Expected => {
            if min == max {
                format!("{name} expected {min} argument{}, got {n}", plural(min))
            } else if n < min {
                format!(
                    "{name} expected at least {min} argument{}, got {n}",
                    plural(min)
                )
            } else {
                format!(
                    "{name} expected at most {max} argument{}, got {n}",
                    plural(max)
                )
            }
        }
        Count::Clinic => return clinic_count_error(sig, n, 0),
    })
}

/// Clinic's count checks, before any argument is bound (`nk` keywords present).
fn clinic_count_error(sig: &Sig, n: usize, nk: usize) -> Option<String> {
    let name = sig.name;
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
                            sig.name,
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
                            sig.name,
                            i + 1
                        )));
                    }
                }
                let known = || sig.params[posonly..].iter().chain(sig.kwonly).copied();
                for (k, _) in kw {
                    if !known().any(|p| p == &*k.s) {
                        return Err(unexpected(vm, sig.name, &k.s, known()));
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
