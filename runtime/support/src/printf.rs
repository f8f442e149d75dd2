//! printf-style `str % args` formatting with CPython 3.13's `PyUnicode_Format` rules: mapping
//! keys `%(name)s`, flags `-+ #0`, `*` width and precision, length modifiers `h l L` (ignored),
//! conversions `d i u o x X e E f F g G c s r a %`, and the exact error texts. The VM supplies
//! arguments through [`PercentArgs`]; this file never touches objects itself. bytes `%` is not
//! covered.

use crate::error::{ExcKind, PyError, PyResult};
use crate::float_fmt::{FloatFlags, double_to_string};
use crate::int::{Int, u64_digits};
use num_bigint::Sign;

/// What the VM must answer for `%` formatting. `Value` is the VM's value handle.
pub trait PercentArgs {
    /// An argument value.
    type Value;
    /// `Some(len)` when the right operand is a tuple, `None` when it is a single object.
    fn tuple_len(&self) -> Option<usize>;
    /// Item `i` of the tuple operand.
    fn tuple_item(&mut self, i: usize) -> Self::Value;
    /// The right operand itself (non-tuple case).
    fn whole(&mut self) -> Self::Value;
    /// CPython's `PyMapping_Check(args) && !tuple && !str`: `%(key)` is allowed.
    fn is_mapping(&self) -> bool;
    /// `args[key]`; a missing key is the VM's `KeyError` (message `repr(key)`).
    fn get_item(&mut self, key: &str) -> PyResult<Self::Value>;
    /// `str(v)`.
    fn str(&mut self, v: &Self::Value) -> PyResult<String>;
    /// `repr(v)`.
    fn repr(&mut self, v: &Self::Value) -> PyResult<String>;
    /// With `index_only`, `operator.index(v)` or `Ok(None)` if `v` has no `__index__`.
    /// Without it, `int(v)` for numbers (floats truncate; NaN/inf raise as `int()` does) or
    /// `Ok(None)` when `v` is not a number at all.
    fn to_int(&mut self, v: &Self::Value, index_only: bool) -> PyResult<Option<Int>>;
    /// `float(v)` for numbers, `Ok(None)` for non-numbers.
    fn to_float(&mut self, v: &Self::Value) -> PyResult<Option<f64>>;
    /// The contents if `v` is a str, else `None` (used by `%c`).
    fn as_str(&mut self, v: &Self::Value) -> Option<String>;
    /// `type(v).__name__`, for error messages.
    fn type_name(&mut self, v: &Self::Value) -> String;
}

const F_LJUST: u8 = 1;
const F_SIGN: u8 = 2;
const F_BLANK: u8 = 4;
const F_ALT: u8 = 8;
const F_ZERO: u8 = 16;

/// Where the next positional argument comes from (CPython's `arglen`/`argidx` pair).
struct ArgCursor<V> {
    /// A value looked up by `%(key)`, replacing the operand until consumed.
    keyed: Option<Option<V>>,
    idx: isize,
    len: isize,
}

fn next_arg<A: PercentArgs>(a: &mut A, c: &mut ArgCursor<A::Value>) -> PyResult<A::Value> {
    let not_enough = || PyError::type_error("not enough arguments for format string");
    if let Some(slot) = c.keyed.as_mut() {
        return slot.take().ok_or_else(not_enough);
    }
    if c.idx < c.len {
        c.idx += 1;
        return Ok(if c.len < 0 {
            a.whole()
        } else {
            a.tuple_item((c.idx - 1) as usize)
        });
    }
    Err(not_enough())
}

/// `fmt % args`.
pub fn percent_format<A: PercentArgs>(fmt: &str, args: &mut A) -> PyResult<String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::with_capacity(fmt.len() + 16);
    let (len, idx) = match args.tuple_len() {
        Some(n) => (n as isize, 0),
        None => (-1, -2),
    };
    let mapping = args.is_mapping();
    let mut cur = ArgCursor {
        keyed: None,
        idx,
        len,
    };
    let mut i = 0;
    let n = chars.len();
    let incomplete = || PyError::value("incomplete format");
    while i < n {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if i < n && chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        if i < n && chars[i] == '(' {
            if !mapping {
                return Err(PyError::type_error("format requires a mapping"));
            }
            i += 1;
            let start = i;
            let mut depth = 1;
            while i < n {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            if depth != 0 || i >= n {
                return Err(PyError::value("incomplete format key"));
            }
            let key: String = chars[start..i].iter().collect();
            i += 1;
            cur.keyed = Some(Some(args.get_item(&key)?));
        }
        let mut flags = 0u8;
        while i < n {
            match chars[i] {
                '-' => flags |= F_LJUST,
                '+' => flags |= F_SIGN,
                ' ' => flags |= F_BLANK,
                '#' => flags |= F_ALT,
                '0' => flags |= F_ZERO,
                _ => break,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        if i < n && chars[i] == '*' {
            let v = next_arg(args, &mut cur)?;
            let w = star_value(args, &v)?;
            if w < 0 {
                flags |= F_LJUST;
            }
            width = Some(w.unsigned_abs() as usize);
            i += 1;
        } else {
            let mut w: Option<usize> = None;
            while i < n && chars[i].is_ascii_digit() {
                let d = chars[i] as usize - '0' as usize;
                let nw = w
                    .unwrap_or(0)
                    .checked_mul(10)
                    .and_then(|x| x.checked_add(d));
                w = Some(
                    nw.filter(|&x| x <= isize::MAX as usize)
                        .ok_or_else(|| PyError::value("width too big"))?,
                );
                i += 1;
            }
            width = width.or(w);
        }
        let mut prec: Option<usize> = None;
        if i < n && chars[i] == '.' {
            i += 1;
            if i < n && chars[i] == '*' {
                let v = next_arg(args, &mut cur)?;
                let p = star_value(args, &v)?;
                prec = Some(if p < 0 { 0 } else { p as usize });
                i += 1;
            } else {
                let mut p = 0usize;
                while i < n && chars[i].is_ascii_digit() {
                    p = p
                        .checked_mul(10)
                        .and_then(|x| x.checked_add(chars[i] as usize - '0' as usize))
                        .filter(|&x| x <= i32::MAX as usize)
                        .ok_or_else(|| PyError::value("precision too big"))?;
                    i += 1;
                }
                prec = Some(p);
            }
        }
        while i < n && matches!(chars[i], 'h' | 'l' | 'L') {
            i += 1;
        }
        if i >= n {
            return Err(incomplete());
        }
        let conv = chars[i];
        let conv_index = i;
        i += 1;
        let v = next_arg(args, &mut cur)?;
        let width = width.unwrap_or(0);
        match conv {
            's' | 'r' | 'a' => {
                let s = match conv {
                    's' => args.str(&v)?,
                    'r' => args.repr(&v)?,
                    _ => crate::repr::ascii_escape(&args.repr(&v)?),
                };
                let body = match prec {
                    Some(p) => s.chars().take(p).collect::<String>(),
                    None => s,
                };
                pad_plain(&mut out, &body, width, flags & F_LJUST != 0);
            }
            'c' => {
                let ch = if let Some(s) = args.as_str(&v) {
                    let mut it = s.chars();
                    match (it.next(), it.next()) {
                        (Some(c), None) => c,
                        _ => return Err(PyError::type_error("%c requires int or char")),
                    }
                } else {
                    let iv = match args.to_int(&v, true) {
                        Ok(Some(iv)) => iv,
                        Ok(None) => return Err(PyError::type_error("%c requires int or char")),
                        Err(e) if e.kind == ExcKind::TypeError => {
                            return Err(PyError::type_error("%c requires int or char"));
                        }
                        Err(e) => return Err(e),
                    };
                    let cp = match iv {
                        Int::Small(x) if (0..=0x10_ffff).contains(&x) => x as u32,
                        _ => return Err(PyError::overflow("%c arg not in range(0x110000)")),
                    };
                    // Lone surrogates cannot live in a Rust String: U+FFFD stands in.
                    char::from_u32(cp).unwrap_or('\u{fffd}')
                };
                pad_plain(&mut out, &ch.to_string(), width, flags & F_LJUST != 0);
            }
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                let index_only = matches!(conv, 'o' | 'x' | 'X');
                let iv = match args.to_int(&v, index_only)? {
                    Some(iv) => iv,
                    None => {
                        let t = args.type_name(&v);
                        return Err(PyError::type_error(if index_only {
                            format!("%{conv} format: an integer is required, not {t}")
                        } else {
                            format!("%{conv} format: a real number is required, not {t}")
                        }));
                    }
                };
                let (neg, mut digits) = match &iv {
                    Int::Small(x) => {
                        let radix = match conv {
                            'o' => 8,
                            'x' | 'X' => 16,
                            _ => 10,
                        };
                        (*x < 0, u64_digits(x.unsigned_abs(), radix))
                    }
                    Int::Big(b) => {
                        let radix = match conv {
                            'o' => 8,
                            'x' | 'X' => 16,
                            _ => 10,
                        };
                        let s = b.magnitude().to_str_radix(radix);
                        if radix == 10 && s.len() > crate::int::INT_MAX_STR_DIGITS {
                            return Err(crate::int::int_str_limit_error());
                        }
                        (b.sign() == Sign::Minus, s)
                    }
                };
                if conv == 'X' {
                    digits.make_ascii_uppercase();
                }
                if let Some(p) = prec
                    && digits.len() < p
                {
                    digits.insert_str(0, &"0".repeat(p - digits.len()));
                }
                let prefix = if flags & F_ALT != 0 {
                    match conv {
                        'o' => "0o",
                        'x' => "0x",
                        'X' => "0X",
                        _ => "",
                    }
                } else {
                    ""
                };
                pad_number(&mut out, neg, prefix, &digits, width, flags);
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let x = match args.to_float(&v)? {
                    Some(x) => x,
                    None => {
                        let t = args.type_name(&v);
                        return Err(PyError::type_error(format!("must be real number, not {t}")));
                    }
                };
                let ff = FloatFlags {
                    alt: flags & F_ALT != 0,
                    ..FloatFlags::default()
                };
                let s = double_to_string(x, conv, prec.unwrap_or(6), ff);
                let (neg, body) = match s.strip_prefix('-') {
                    Some(b) => (true, b),
                    None => (false, s.as_str()),
                };
                pad_number(&mut out, neg, "", body, width, flags);
            }
            other => {
                return Err(PyError::value(format!(
                    "unsupported format character '{other}' (0x{:x}) at index {conv_index}",
                    u32::from(other)
                )));
            }
        }
        // A keyed value is consumed by exactly one conversion.
        if let Some(slot) = cur.keyed.as_mut() {
            let _ = slot.take();
        }
    }
    if cur.keyed.is_none() && cur.idx < cur.len && !mapping {
        return Err(PyError::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}

fn star_value<A: PercentArgs>(a: &mut A, v: &A::Value) -> PyResult<i64> {
    // CPython demands an int instance here; `__index__` objects are the one thing we accept
    // beyond it.
    match a.to_int(v, true)? {
        Some(Int::Small(x)) => Ok(x),
        Some(Int::Big(_)) => Err(PyError::overflow(
            "Python int too large to convert to C ssize_t",
        )),
        None => Err(PyError::type_error("* wants int")),
    }
}

fn pad_plain(out: &mut String, body: &str, width: usize, left: bool) {
    let len = body.chars().count();
    let pad = width.saturating_sub(len);
    if !left {
        out.extend(std::iter::repeat_n(' ', pad));
    }
    out.push_str(body);
    if left {
        out.extend(std::iter::repeat_n(' ', pad));
    }
}

/// Sign, prefix, zero or space padding for numeric conversions (CPython's
/// `unicode_format_arg_output`).
fn pad_number(out: &mut String, neg: bool, prefix: &str, digits: &str, width: usize, flags: u8) {
    let sign = if neg {
        "-"
    } else if flags & F_SIGN != 0 {
        "+"
    } else if flags & F_BLANK != 0 {
        " "
    } else {
        ""
    };
    let zero = flags & F_ZERO != 0 && flags & F_LJUST == 0;
    let len = sign.len() + prefix.len() + digits.chars().count();
    let pad = width.saturating_sub(len);
    if flags & F_LJUST == 0 && !zero {
        out.extend(std::iter::repeat_n(' ', pad));
    }
    out.push_str(sign);
    out.push_str(prefix);
    if zero {
        out.extend(std::iter::repeat_n('0', pad));
    }
    out.push_str(digits);
    if flags & F_LJUST != 0 {
        out.extend(std::iter::repeat_n(' ', pad));
    }
}
