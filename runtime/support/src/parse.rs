//! String→number conversions with CPython's exact acceptance rules and messages: `float(s)`
//! (whitespace, underscores, `inf`/`infinity`/`nan` spellings) and `int(s, base)` (base 0
//! prefixes, underscores, the 4300-digit limit). It does not parse Python source literals
//! (the compiler gets those from the parser) and only treats ASCII digits as digits.
//!
//! Non-ASCII decimal digits (`int('١٢')`) and non-ASCII whitespace are accepted as CPython
//! does, using a digit table generated from CPython 3.13's `unicodedata`.

use crate::error::{PyError, PyResult};
use crate::int::{INT_MAX_STR_DIGITS, Int};
use crate::repr::str_repr;
use num_bigint::BigInt;
use num_traits::Num;

/// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII` followed by stripping ASCII
/// whitespace: non-ASCII whitespace becomes a space and non-ASCII decimal digits become ASCII
/// digits; anything else non-ASCII makes the text invalid (`None`).
fn to_ascii_number_text(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if c.is_whitespace() {
            out.push(' ');
        } else if let Some(d) = crate::repr::decimal_value(c) {
            out.push(char::from(b'0' + d));
        } else {
            return None;
        }
    }
    let t = out.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'));
    Some(t.to_owned())
}

/// Removes underscores from `s` if each one sits between two digits (`is_digit` decides what a
/// digit is); `None` if an underscore is misplaced.
fn strip_underscores(s: &str, is_digit: impl Fn(u8) -> bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let prev_ok = i > 0 && is_digit(b[i - 1]);
            let next_ok = i + 1 < b.len() && is_digit(b[i + 1]);
            if !(prev_ok && next_ok) {
                return None;
            }
        } else {
            out.push(c as char);
        }
    }
    Some(out)
}

/// Checks the decimal float grammar CPython's `_Py_dg_strtod` accepts (after the sign):
/// `digits [. digits] [e [sign] digits]` or `. digits ...`.
fn is_float_body(s: &[u8]) -> bool {
    let mut i = 0;
    let n = s.len();
    let int_start = i;
    while i < n && s[i].is_ascii_digit() {
        i += 1;
    }
    let mut ndigits = i - int_start;
    if i < n && s[i] == b'.' {
        i += 1;
        let f = i;
        while i < n && s[i].is_ascii_digit() {
            i += 1;
        }
        ndigits += i - f;
    }
    if ndigits == 0 {
        return false;
    }
    if i < n && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        if i < n && (s[i] == b'+' || s[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < n && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == n
}

/// `float(s)` for a str argument.
/// Error: `ValueError: could not convert string to float: <repr(s)>`.
pub fn parse_float(s: &str) -> PyResult<f64> {
    let err = || {
        PyError::value(format!(
            "could not convert string to float: {}",
            str_repr(s)
        ))
    };
    let t = to_ascii_number_text(s).ok_or_else(err)?;
    let t = t.as_str();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    let v = if let Some(v) = special {
        v
    } else {
        let cleaned = if body.contains('_') {
            strip_underscores(body, |c| c.is_ascii_digit()).ok_or_else(err)?
        } else {
            body.to_owned()
        };
        if !is_float_body(cleaned.as_bytes()) {
            return Err(err());
        }
        // Rust's parser is correctly rounded, like CPython's dtoa.
        cleaned.parse::<f64>().map_err(|_| err())?
    };
    Ok(if neg { -v } else { v })
}

/// `int(s, base)` for a str argument (`base` 0 or 2..=36; pass 10 for plain `int(s)`).
/// Errors: `ValueError: int() base must be >= 2 and <= 36, or 0`,
/// `ValueError: invalid literal for int() with base N: <repr(s), at most 200 chars>`, and the
/// 4300-digit limit message.
pub fn parse_int(s: &str, base: u32) -> PyResult<Int> {
    if base == 1 || base > 36 {
        return Err(PyError::value("int() base must be >= 2 and <= 36, or 0"));
    }
    let err = || {
        let r = str_repr(s);
        let r: String = r.chars().take(200).collect();
        PyError::value(format!("invalid literal for int() with base {base}: {r}"))
    };
    let t = to_ascii_number_text(s).ok_or_else(err)?;
    let t = t.as_str();
    let (neg, mut body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut base = base;
    let lower2 = body.get(..2).map(str::to_ascii_lowercase);
    let prefix_base = match lower2.as_deref() {
        Some("0x") => Some(16),
        Some("0o") => Some(8),
        Some("0b") => Some(2),
        _ => None,
    };
    let mut had_prefix = false;
    if let Some(pb) = prefix_base
        && (base == 0 || base == pb)
    {
        base = pb;
        body = &body[2..];
        had_prefix = true;
    }
    let base0_decimal = base == 0;
    if base == 0 {
        base = 10;
    }
    let is_digit = |c: u8| (c as char).is_digit(base);
    // After a prefix one leading underscore is allowed: 0x_ff.
    let body = if had_prefix && body.starts_with('_') {
        &body[1..]
    } else {
        body
    };
    if body.is_empty() || !body.bytes().all(|c| c == b'_' || is_digit(c)) {
        return Err(err());
    }
    let digits = if body.contains('_') {
        strip_underscores(body, is_digit).ok_or_else(err)?
    } else {
        body.to_owned()
    };
    if base0_decimal
        && digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().any(|c| c != b'0')
    {
        // Base 0 forbids leading zeros in non-zero decimals (they look like old octal).
        return Err(err());
    }
    if !base.is_power_of_two() && digits.len() > INT_MAX_STR_DIGITS {
        return Err(PyError::value(format!(
            "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: \
             value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
            digits.len()
        )));
    }
    if let Ok(v) = i64::from_str_radix(&digits, base) {
        return Ok(Int::Small(if neg { -v } else { v }));
    }
    let mut b = BigInt::from_str_radix(&digits, base).map_err(|_| err())?;
    if neg {
        b = -b;
    }
    Ok(Int::from_big(b))
}
