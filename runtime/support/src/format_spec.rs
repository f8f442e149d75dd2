//! The format-spec mini-language behind `format(x, spec)`, `str.format` fields and f-string
//! `{x:spec}`: parsing a spec and rendering ints (i64 and big), floats and strs with CPython
//! 3.13's `Python/formatter_unicode.c` behaviour and error texts. The C locale is assumed, so
//! `n` never groups. It does not split replacement fields out of a format string or call
//! `__format__` on user objects (the VM does that and calls in here for builtin types).

use crate::error::{PyError, PyResult};
use crate::float_fmt::{FloatFlags, double_to_string};
use crate::int::{Int, big_to_f64, u64_digits};
use num_bigint::{BigInt, Sign};

/// Thousands separator requested by a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// None.
    None,
    /// `,` every three digits.
    Comma,
    /// `_` every three digits (decimal) or four (b/o/x/X).
    Underscore,
}

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    /// Fill character (default space).
    pub fill: char,
    /// `<`, `>`, `^` or `=`; `None` means the type's default.
    pub align: Option<char>,
    /// `+`, `-` or ` `; `None` when absent.
    pub sign: Option<char>,
    /// `z`: coerce negative zero.
    pub no_neg_0: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// Minimum width.
    pub width: Option<usize>,
    /// Thousands separator.
    pub grouping: Grouping,
    /// Precision.
    pub precision: Option<usize>,
    /// Presentation type, `None` when absent.
    pub ty: Option<char>,
}

fn get_integer(chars: &[char], pos: &mut usize) -> PyResult<Option<usize>> {
    let start = *pos;
    let mut v: usize = 0;
    while *pos < chars.len() {
        let Some(d) = chars[*pos].to_digit(10) else {
            break;
        };
        // CPython accepts any Unicode decimal here; we accept ASCII only (to_digit(10)).
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as usize))
            .filter(|&v| v <= isize::MAX as usize)
            .ok_or_else(|| PyError::value("Too many decimal digits in format string"))?;
        *pos += 1;
    }
    Ok((*pos > start).then_some(v))
}

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '^')
}

impl FormatSpec {
    /// Parses `spec` for an object whose type is called `type_name` (used in error text).
    /// `default_numeric` selects numbers' zero-padding rule (`0` implies `=` alignment).
    pub fn parse(spec: &str, type_name: &str, default_numeric: bool) -> PyResult<Self> {
        // The characters, in a stack buffer for the usual short spec (`>5`, `.2f`).
        let mut buf = ['\0'; 16];
        let long: Vec<char>;
        let chars: &[char] = if spec.len() <= buf.len() {
            let mut n = 0;
            for c in spec.chars() {
                buf[n] = c;
                n += 1;
            }
            &buf[..n]
        } else {
            long = spec.chars().collect();
            &long
        };
        let end = chars.len();
        let mut pos = 0;
        let mut f = Self {
            fill: ' ',
            align: None,
            sign: None,
            no_neg_0: false,
            alternate: false,
            width: None,
            grouping: Grouping::None,
            precision: None,
            ty: None,
        };
        let mut fill_specified = false;
        if end >= 2 && is_align(chars[1]) {
            f.align = Some(chars[1]);
            f.fill = chars[0];
            fill_specified = true;
            pos = 2;
        } else if end >= 1 && is_align(chars[0]) {
            f.align = Some(chars[0]);
            pos = 1;
        }
        if pos < end && matches!(chars[pos], '+' | '-' | ' ') {
            f.sign = Some(chars[pos]);
            pos += 1;
        }
        if pos < end && chars[pos] == 'z' {
            f.no_neg_0 = true;
            pos += 1;
        }
        if pos < end && chars[pos] == '#' {
            f.alternate = true;
            pos += 1;
        }
        if !fill_specified && pos < end && chars[pos] == '0' {
            f.fill = '0';
            if f.align.is_none() && default_numeric {
                f.align = Some('=');
            }
            pos += 1;
        }
        f.width = get_integer(chars, &mut pos)?;
        let both = || PyError::value("Cannot specify both ',' and '_'.");
        if pos < end && chars[pos] == ',' {
            f.grouping = Grouping::Comma;
            pos += 1;
        }
        if pos < end && chars[pos] == '_' {
            if f.grouping != Grouping::None {
                return Err(both());
            }
            f.grouping = Grouping::Underscore;
            pos += 1;
        }
        if pos < end && chars[pos] == ',' && f.grouping == Grouping::Underscore {
            return Err(both());
        }
        if pos < end && chars[pos] == '.' {
            pos += 1;
            f.precision = get_integer(chars, &mut pos)?;
            if f.precision.is_none() {
                return Err(PyError::value("Format specifier missing precision"));
            }
        }
        if end - pos > 1 {
            return Err(PyError::value(format!(
                "Invalid format specifier '{spec}' for object of type '{type_name}'"
            )));
        }
        if end - pos == 1 {
            f.ty = Some(chars[pos]);
        }
        Ok(f)
    }

    /// CPython's check that the separator fits the presentation type (`default_ty` is what
    /// an absent type means for error messages: `s` for str, none for numbers).
    fn check_grouping(&self, default_ty: Option<char>) -> PyResult<()> {
        if self.grouping == Grouping::None {
            return Ok(());
        }
        let ty = self.ty.or(default_ty);
        match ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => Ok(()),
            Some('b' | 'o' | 'x' | 'X') if self.grouping == Grouping::Underscore => Ok(()),
            Some(t) => {
                let sep = if self.grouping == Grouping::Comma {
                    ','
                } else {
                    '_'
                };
                Err(PyError::value(if (t as u32) > 32 && (t as u32) < 128 {
                    format!("Cannot specify '{sep}' with '{t}'.")
                } else {
                    format!("Cannot specify '{sep}' with 'x{:x}'.", t as u32)
                }))
            }
        }
    }
}

fn unknown_code(t: char, type_name: &str) -> PyError {
    PyError::value(if (t as u32) > 32 && (t as u32) < 128 {
        format!("Unknown format code '{t}' for object of type '{type_name}'")
    } else {
        format!(
            "Unknown format code 'x{:x}' for object of type '{type_name}'",
            t as u32
        )
    })
}

/// Inserts separators into `digits` (ASCII) every `group` digits from the right, padding with
/// leading zeros so the result is at least `min_width` chars (CPython's grouping with
/// zero-fill). With `sep == None` it only pads.
fn group_digits(digits: &str, sep: Option<char>, group: usize, min_width: usize) -> String {
    let Some(sep) = sep else {
        let mut s = String::with_capacity(min_width.max(digits.len()));
        for _ in digits.len()..min_width {
            s.push('0');
        }
        s.push_str(digits);
        return s;
    };
    let d = digits.as_bytes();
    let mut remaining = d.len() as i64;
    let mut min_width = min_width as i64;
    let group = group as i64;
    // Built reversed, then flipped.
    let mut rev: Vec<u8> = Vec::with_capacity(d.len() + d.len() / 3 + 4);
    let mut first = true;
    loop {
        let len = group.min(remaining.max(min_width).max(1));
        let n_zeros = (len - remaining).max(0);
        let n_chars = remaining.min(len).max(0);
        if !first {
            rev.push(sep as u8);
        }
        first = false;
        for i in 0..n_chars {
            rev.push(d[(remaining - 1 - i) as usize]);
        }
        rev.extend(std::iter::repeat_n(b'0', n_zeros as usize));
        remaining -= n_chars;
        min_width -= len;
        if remaining <= 0 && min_width <= 0 {
            break;
        }
        min_width -= 1;
    }
    rev.reverse();
    String::from_utf8(rev).unwrap_or_default()
}

/// Assembles sign + prefix + (grouped) digits + remainder, then pads to the width.
fn fill_number(
    spec: &FormatSpec,
    negative: bool,
    prefix: &str,
    digits: &str,
    remainder: &str,
    group: usize,
    upper_digits: bool,
) -> String {
    let sign = if negative {
        "-"
    } else {
        match spec.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    };
    let align = spec.align.unwrap_or('>');
    let width = spec.width.unwrap_or(0);
    let fixed = sign.len() + prefix.len() + remainder.chars().count();
    let sep = match spec.grouping {
        Grouping::None => None,
        Grouping::Comma => Some(','),
        Grouping::Underscore => Some('_'),
    };
    let min_digits = if spec.fill == '0' && align == '=' {
        width.saturating_sub(fixed)
    } else {
        0
    };
    // CPython skips grouping (and its zero padding) when there are no digits: inf and nan.
    // Digits needing neither separators, zeros nor case are used as they are.
    let body: std::borrow::Cow<'_, str> = if digits.is_empty() {
        "".into()
    } else if sep.is_none() && min_digits <= digits.len() && !upper_digits {
        digits.into()
    } else {
        let mut b = group_digits(digits, sep, group, min_digits);
        if upper_digits {
            b.make_ascii_uppercase();
        }
        b.into()
    };
    let total = fixed + body.chars().count();
    let pad = width.saturating_sub(total);
    let mut out = String::with_capacity(total + pad * spec.fill.len_utf8());
    let push_fill = |out: &mut String, n: usize| {
        for _ in 0..n {
            out.push(spec.fill);
        }
    };
    let (left, right) = match align {
        '<' => (0, pad),
        '^' => (pad / 2, pad - pad / 2),
        '=' => (0, 0),
        _ => (pad, 0),
    };
    push_fill(&mut out, left);
    out.push_str(sign);
    out.push_str(prefix);
    if align == '=' {
        push_fill(&mut out, pad);
    }
    out.push_str(&body);
    out.push_str(remainder);
    push_fill(&mut out, right);
    out
}

/// Digits of an int's magnitude for the int presentation types.
enum Mag<'a> {
    Small(u64),
    Big(&'a BigInt),
}

fn format_int_impl(
    negative: bool,
    mag: Mag<'_>,
    as_float: impl FnOnce() -> PyResult<f64>,
    spec: &str,
    type_name: &str,
) -> PyResult<String> {
    let f = FormatSpec::parse(spec, type_name, true)?;
    f.check_grouping(None)?;
    let ty = f.ty.unwrap_or('d');
    match ty {
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            return format_float_spec(as_float()?, &f);
        }
        'b' | 'c' | 'd' | 'n' | 'o' | 'x' | 'X' => {}
        t => return Err(unknown_code(t, type_name)),
    }
    if f.precision.is_some() {
        return Err(PyError::value(
            "Precision not allowed in integer format specifier",
        ));
    }
    if f.no_neg_0 {
        return Err(PyError::value(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    if ty == 'c' {
        if f.sign.is_some() {
            return Err(PyError::value(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if f.alternate {
            return Err(PyError::value(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        let cp = match mag {
            Mag::Small(v) if !negative && v <= 0x10_ffff => Some(v as u32),
            Mag::Small(_) => None,
            Mag::Big(_) => {
                return Err(PyError::overflow(
                    "Python int too large to convert to C long",
                ));
            }
        };
        let c = cp
            .and_then(char::from_u32)
            .or_else(|| cp.filter(|&v| v <= 0x10_ffff).map(|_| '\u{fffd}'))
            .ok_or_else(|| PyError::overflow("%c arg not in range(0x110000)"))?;
        // Lone surrogates cannot live in a Rust String; they are the one gap here.
        let digits = c.to_string();
        let mut f2 = f.clone();
        f2.grouping = Grouping::None;
        return Ok(fill_number(&f2, false, "", &digits, "", 3, false));
    }
    let (radix, prefix, group) = match ty {
        'b' => (2, "0b", 4),
        'o' => (8, "0o", 4),
        'x' => (16, "0x", 4),
        'X' => (16, "0X", 4),
        _ => (10, "", 3),
    };
    let digits = match mag {
        Mag::Small(v) => u64_digits(v, radix),
        Mag::Big(b) => {
            if radix == 10 {
                let s = b.magnitude().to_str_radix(10);
                if s.len() > crate::int::INT_MAX_STR_DIGITS {
                    return Err(crate::int::int_str_limit_error());
                }
                s
            } else {
                b.magnitude().to_str_radix(radix)
            }
        }
    };
    let prefix = if f.alternate { prefix } else { "" };
    Ok(fill_number(
        &f,
        negative,
        prefix,
        &digits,
        "",
        group,
        ty == 'X',
    ))
}

/// `format(v, spec)` for an `i64` int. `type_name` is `int` (or a subclass name such as
/// `bool`) for error messages. An empty spec gives `str(v)`; the caller must handle `bool`'s
/// `str()` (`True`) itself.
pub fn format_i64(v: i64, spec: &str, type_name: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(v.to_string());
    }
    format_int_impl(
        v < 0,
        Mag::Small(v.unsigned_abs()),
        || Ok(v as f64),
        spec,
        type_name,
    )
}

/// `format(v, spec)` for a big int.
pub fn format_bigint(v: &BigInt, spec: &str, type_name: &str) -> PyResult<String> {
    if spec.is_empty() {
        return crate::int::big_to_decimal(v);
    }
    format_int_impl(
        v.sign() == Sign::Minus,
        Mag::Big(v),
        || big_to_f64(v),
        spec,
        type_name,
    )
}

/// `format(v, spec)` for an [`Int`].
pub fn format_int(v: &Int, spec: &str, type_name: &str) -> PyResult<String> {
    match v {
        Int::Small(i) => format_i64(*i, spec, type_name),
        Int::Big(b) => format_bigint(b, spec, type_name),
    }
}

fn format_float_spec(x: f64, f: &FormatSpec) -> PyResult<String> {
    let mut ty = f.ty;
    let mut flags = FloatFlags {
        alt: f.alternate,
        no_neg_0: f.no_neg_0,
        ..FloatFlags::default()
    };
    let mut default_precision = 6;
    if ty.is_none() {
        flags.add_dot_0 = true;
        ty = Some('r');
        default_precision = 0;
    }
    let mut ty = ty.unwrap_or('r');
    if ty == 'n' {
        ty = 'g';
    }
    let mut val = x;
    let mut pct = false;
    if ty == '%' {
        ty = 'f';
        val *= 100.0;
        pct = true;
    }
    let precision = match f.precision {
        Some(p) => {
            if ty == 'r' {
                ty = 'g';
            }
            p
        }
        None => default_precision,
    };
    if precision > i32::MAX as usize {
        return Err(PyError::value("precision too big"));
    }
    let s = double_to_string(val, ty, precision, flags);
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let ndig = body.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, rest) = body.split_at(ndig);
    let mut remainder = rest.to_owned();
    if pct {
        remainder.push('%');
    }
    Ok(fill_number(f, negative, "", digits, &remainder, 3, false))
}

/// `format(x, spec)` for a float. An empty spec gives `repr(x)`.
pub fn format_f64(x: f64, spec: &str, type_name: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(crate::float_repr::float_repr(x));
    }
    let f = FormatSpec::parse(spec, type_name, true)?;
    f.check_grouping(None)?;
    match f.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => format_float_spec(x, &f),
        Some(t) => Err(unknown_code(t, type_name)),
    }
}

/// `format(s, spec)` for a str.
pub fn format_str(s: &str, spec: &str, type_name: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(s.to_owned());
    }
    let f = FormatSpec::parse(spec, type_name, false)?;
    f.check_grouping(Some('s'))?;
    match f.ty {
        None | Some('s') => {}
        Some(t) => return Err(unknown_code(t, type_name)),
    }
    if f.sign == Some(' ') {
        return Err(PyError::value(
            "Space not allowed in string format specifier",
        ));
    }
    if f.sign.is_some() {
        return Err(PyError::value(
            "Sign not allowed in string format specifier",
        ));
    }
    if f.no_neg_0 {
        return Err(PyError::value(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if f.alternate {
        return Err(PyError::value(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if f.align == Some('=') {
        return Err(PyError::value(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let body: &str = match f.precision {
        Some(p) => match s.char_indices().nth(p) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        None => s,
    };
    let len = body.chars().count();
    let width = f.width.unwrap_or(0);
    if len >= width {
        return Ok(body.to_owned());
    }
    let pad = width - len;
    let (l, r) = match f.align.unwrap_or('<') {
        '>' => (pad, 0),
        '^' => (pad / 2, pad - pad / 2),
        _ => (0, pad),
    };
    let mut out = String::with_capacity(body.len() + pad * f.fill.len_utf8());
    for _ in 0..l {
        out.push(f.fill);
    }
    out.push_str(body);
    for _ in 0..r {
        out.push(f.fill);
    }
    Ok(out)
}
