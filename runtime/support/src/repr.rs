//! `repr()` of str and bytes and `ascii()`, with CPython 3.13's quote choice and escapes, and
//! `str.isprintable()` for single characters from a table generated from CPython 3.13
//! (Unicode 15.1, see `scripts/gen_printable.py`). It does not implement other Unicode
//! properties (case mapping, `isdigit`, ...).

use crate::printable_table::{DECIMAL_ZEROS, PRINTABLE};
use std::fmt::Write;

/// `c.isprintable()` as CPython 3.13 answers it.
#[must_use]
pub fn is_printable(c: char) -> bool {
    let cp = u32::from(c);
    if cp < 0x7f {
        return cp >= 0x20;
    }
    PRINTABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `unicodedata.decimal(c)` for any Unicode decimal digit (category Nd), `None` otherwise.
#[must_use]
pub fn decimal_value(c: char) -> Option<u8> {
    let cp = u32::from(c);
    if c.is_ascii_digit() {
        return Some((cp - 0x30) as u8);
    }
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= cp);
    let zero = *DECIMAL_ZEROS.get(i.checked_sub(1)?)?;
    (cp - zero < 10).then(|| (cp - zero) as u8)
}

fn choose_quote(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double { '"' } else { '\'' }
}

fn push_escaped(out: &mut String, s: &str, quote: char, ascii_only: bool) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x7f => out.push(c),
            c if !ascii_only && is_printable(c) => out.push(c),
            c => {
                let cp = c as u32;
                if cp <= 0xff {
                    let _ = write!(out, "\\x{cp:02x}");
                } else if cp <= 0xffff {
                    let _ = write!(out, "\\u{cp:04x}");
                } else {
                    let _ = write!(out, "\\U{cp:08x}");
                }
            }
        }
    }
}

/// Appends `repr(s)` to `out`.
pub fn push_str_repr(out: &mut String, s: &str) {
    let q = choose_quote(s.contains('\''), s.contains('"'));
    out.push(q);
    push_escaped(out, s, q, false);
    out.push(q);
}

/// `repr(s)` for a str.
#[must_use]
pub fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str_repr(&mut out, s);
    out
}

/// `ascii(s)` for a str: like `repr` but every non-ASCII character is escaped.
#[must_use]
pub fn str_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let q = choose_quote(s.contains('\''), s.contains('"'));
    out.push(q);
    push_escaped(&mut out, s, q, true);
    out.push(q);
    out
}

/// `ascii(obj)` given `repr(obj)`: every non-ASCII character becomes `\xNN`, `\uNNNN` or
/// `\UNNNNNNNN` (CPython's `backslashreplace`). Use this for `ascii()` and the `!a`
/// conversion on any object; [`str_ascii`] is only the shortcut for a str *value*.
#[must_use]
pub fn ascii_escape(repr: &str) -> String {
    if repr.is_ascii() {
        return repr.to_owned();
    }
    let mut out = String::with_capacity(repr.len() + 8);
    for ch in repr.chars() {
        let cp = u32::from(ch);
        if cp < 0x80 {
            out.push(ch);
        } else if cp <= 0xff {
            let _ = write!(out, "\\x{cp:02x}");
        } else if cp <= 0xffff {
            let _ = write!(out, "\\u{cp:04x}");
        } else {
            let _ = write!(out, "\\U{cp:08x}");
        }
    }
    out
}

/// `repr(b)` for bytes, e.g. `b'a\x00\'"'` → `b'a\\x00\'"'`. `prefix` lets bytearray reuse it
/// (`bytearray(b'...')` wraps this result).
#[must_use]
pub fn bytes_repr(b: &[u8]) -> String {
    let q = choose_quote(b.contains(&b'\''), b.contains(&b'"'));
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(q);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c as char == q => {
                out.push('\\');
                out.push(c as char);
            }
            c if !(0x20..0x7f).contains(&c) => {
                let _ = write!(out, "\\x{c:02x}");
            }
            c => out.push(c as char),
        }
    }
    out.push(q);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // Expected values are CPython 3.13 output.
        assert_eq!(str_repr("\x7f\u{ad}\u{200b}"), r"'\x7f\xad\u200b'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("'\""), r#"'\'"'"#);
        assert_eq!(str_ascii("é€😀"), r"'\xe9\u20ac\U0001f600'");
        // ascii() of a list containing a str: CPython 3.13 gives ['\xe9'].
        assert_eq!(ascii_escape("['é']"), r"['\xe9']");
        assert_eq!(bytes_repr(b"a\x00'\""), r#"b'a\x00\'"'"#);
    }
}
