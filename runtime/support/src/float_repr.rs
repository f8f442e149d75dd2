//! `repr(float)` / `str(float)` exactly as CPython 3.13 prints them, plus the shortest
//! round-trip digit generator that the format-spec code reuses for `format(x, '')` and `'r'`.
//! The digits come from `ryu` (identical to CPython's dtoa mode 0 on every tested value); this
//! file only applies CPython's layout rules. It does not do precision-based formatting (see
//! `format_spec`).

/// Shortest round-trip decimal digits of a finite, non-zero `|x|`.
///
/// Returns the digit characters (no leading or trailing zeros) and `decpt`, CPython's decimal
/// point position: the value is `0.DIGITS * 10**decpt`.
#[must_use]
pub fn shortest_digits(x: f64) -> (Vec<u8>, i32) {
    let mut buf = [0u8; 20];
    let (n, decpt) = shortest_digits_into(x, &mut buf);
    (buf[..n].to_vec(), decpt)
}

/// Allocation-free core of [`shortest_digits`]: writes the digits into `out` (at most 17)
/// and returns `(count, decpt)`.
pub(crate) fn shortest_digits_into(x: f64, out: &mut [u8; 20]) -> (usize, i32) {
    debug_assert!(x.is_finite() && x != 0.0);
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(x.abs()).as_bytes();
    // ryu writes either "123.45", "0.00123" or "1.2345e-7" / "1e16".
    let (mant, exp10) = match s.iter().position(|&c| c == b'e') {
        Some(p) => {
            let (neg, digits) = match s[p + 1] {
                b'-' => (true, &s[p + 2..]),
                _ => (false, &s[p + 1..]),
            };
            let mut e: i32 = 0;
            for &d in digits {
                e = e * 10 + i32::from(d - b'0');
            }
            (&s[..p], if neg { -e } else { e })
        }
        None => (s, 0),
    };
    let mut n = 0usize;
    let mut int_len: i32 = 0;
    let mut seen_point = false;
    let mut leading = true;
    let mut lead_zeros: i32 = 0;
    for &c in mant {
        if c == b'.' {
            seen_point = true;
            continue;
        }
        if !seen_point {
            int_len += 1;
        }
        if leading && c == b'0' {
            // Leading zeros move the decimal point left instead of being digits.
            lead_zeros += 1;
            continue;
        }
        leading = false;
        if n < out.len() {
            out[n] = c;
            n += 1;
        }
    }
    while n > 0 && out[n - 1] == b'0' {
        n -= 1;
    }
    if n == 0 {
        out[0] = b'0';
        return (1, 1);
    }
    (n, int_len + exp10 - lead_zeros)
}

/// Lays out `digits`/`decpt` in positional notation (`123.45`, `0.001`, `100.0`).
/// `dot0` appends `.0` to results with no fractional part.
pub(crate) fn push_positional(out: &mut String, digits: &[u8], decpt: i32, min_frac: usize) {
    let n = digits.len() as i32;
    if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..(-decpt) {
            out.push('0');
        }
        push_bytes(out, digits);
        let frac = (-decpt + n) as usize;
        for _ in frac..min_frac {
            out.push('0');
        }
    } else if decpt >= n {
        push_bytes(out, digits);
        for _ in 0..(decpt - n) {
            out.push('0');
        }
        if min_frac > 0 {
            out.push('.');
            for _ in 0..min_frac {
                out.push('0');
            }
        }
    } else {
        let (a, b) = digits.split_at(decpt as usize);
        push_bytes(out, a);
        out.push('.');
        push_bytes(out, b);
        for _ in b.len()..min_frac {
            out.push('0');
        }
    }
}

/// Lays out `d.ddde+XX` with at least two exponent digits. `min_frac` pads the fraction.
pub(crate) fn push_exponent(out: &mut String, digits: &[u8], decpt: i32, min_frac: usize, e: char) {
    out.push(digits[0] as char);
    if digits.len() > 1 || min_frac > 0 {
        out.push('.');
        push_bytes(out, &digits[1..]);
        for _ in (digits.len() - 1)..min_frac {
            out.push('0');
        }
    }
    let exp = decpt - 1;
    out.push(e);
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
}

fn push_bytes(out: &mut String, b: &[u8]) {
    // Digits are ASCII by construction.
    out.push_str(std::str::from_utf8(b).unwrap_or(""));
}

/// Appends `repr(x)` to `out` without an intermediate allocation for the common case.
pub fn push_float_repr(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return;
    }
    let mut buf = [0u8; 20];
    let (n, decpt) = shortest_digits_into(x, &mut buf);
    let digits = &buf[..n];
    // CPython's repr switches to exponent notation when decpt <= -4 or decpt > 16.
    if decpt > -4 && decpt <= 16 {
        push_positional(out, digits, decpt, 1);
    } else {
        push_exponent(out, digits, decpt, 0, 'e');
    }
}

/// `repr(x)` (also `str(x)`) for a Python float, e.g. `1e+16`, `1e-05`, `-0.0`, `inf`, `nan`.
#[must_use]
pub fn float_repr(x: f64) -> String {
    let mut s = String::with_capacity(24);
    push_float_repr(&mut s, x);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_examples_from_cpython() {
        // Expected strings are CPython 3.13's repr of each value.
        let cases: &[(f64, &str)] = &[
            (1e16, "1e+16"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1.0, "1.0"),
            (12_345_678_901_234_567.0, "1.2345678901234568e+16"),
            (1e15, "1000000000000000.0"),
            (123.456, "123.456"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for &(x, want) in cases {
            assert_eq!(float_repr(x), want, "{x:e}");
        }
    }
}
