//! Precision-driven float→text conversion with CPython's `PyOS_double_to_string` semantics:
//! codes `e`/`f`/`g`/`r` (and upper-case twins), the alternate form, forced `+`, `.0` for
//! integral results and negative-zero coercion. Shared by `format()` and `%` formatting. It
//! does not pad, group or align (the callers do that).
//!
//! Digits: the shortest repr digits come from `float_repr::shortest_digits` (ryu); fixed and
//! significant-digit rounding use Rust's `{:.N}` / `{:.Ne}`, which are correctly rounded on the
//! exact binary value exactly like CPython's dtoa modes 3 and 2.

use crate::float_repr::shortest_digits;

/// Options of one conversion, mirroring CPython's `Py_DTSF_*` flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct FloatFlags {
    /// Always emit a sign (`+` for non-negative values).
    pub sign: bool,
    /// Append `.0` when the result would otherwise look like an integer (`Py_DTSF_ADD_DOT_0`).
    pub add_dot_0: bool,
    /// Alternate form: keep the decimal point and, for `g`, trailing zeros.
    pub alt: bool,
    /// Turn a negative zero result into a positive one (`z` option).
    pub no_neg_0: bool,
}

/// Decimal digits of `|x|` (no leading/trailing zeros, possibly empty when `f` rounds to 0)
/// and the decimal-point position `decpt` (value = 0.DIGITS × 10**decpt).
fn digits_for(x: f64, mode: char, precision: usize) -> (Vec<u8>, i64) {
    let a = x.abs();
    if a == 0.0 {
        return (vec![b'0'], 1);
    }
    match mode {
        'r' => {
            let (d, p) = shortest_digits(a);
            (d, i64::from(p))
        }
        'f' => {
            let s = fixed_exact(a, precision).unwrap_or_else(|| format!("{a:.precision$}"));
            let (int_part, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
            let mut digits: Vec<u8> = Vec::with_capacity(s.len());
            digits.extend_from_slice(int_part.as_bytes());
            digits.extend_from_slice(frac.as_bytes());
            let mut decpt = int_part.len() as i64;
            let lead = digits.iter().take_while(|&&c| c == b'0').count();
            digits.drain(..lead);
            decpt -= lead as i64;
            while digits.last() == Some(&b'0') {
                digits.pop();
            }
            if digits.is_empty() {
                // dtoa's "no digits" answer: rounds to zero at this precision.
                decpt = -(precision as i64);
            }
            (digits, decpt)
        }
        _ => {
            // 'e' and 'g': `precision` significant digits (at least 1).
            let p = precision.max(1) - 1;
            let s = format!("{a:.p$e}");
            let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
            let exp: i64 = exp.parse().unwrap_or(0);
            let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
            while digits.len() > 1 && digits.last() == Some(&b'0') {
                digits.pop();
            }
            (digits, exp + 1)
        }
    }
}

/// `format!("{a:.precision$}")` for a finite `a >= 0` that is not too large nor too small,
/// in integer arithmetic: `a` is exactly `m / 2**k`, so `a * 10**precision` is
/// `m * 10**precision / 2**k`, a quotient and remainder in `u128`, rounded half to even on
/// the exact value as dtoa's mode 3 does. `None` (the caller formats the slow way) outside
/// that range: `m * 10**precision` must fit in 128 bits and `k` stay below 128.
fn fixed_exact(a: f64, precision: usize) -> Option<String> {
    if precision > 17 || !a.is_finite() || a >= 1e17 {
        return None;
    }
    let bits = a.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let scale = 10u128.pow(precision as u32);
    let q = if m == 0 {
        0
    } else if e >= 0 {
        // An integer below 1e17: shifting cannot overflow 64 bits.
        u128::from(m << e) * scale
    } else {
        let k = (-e) as u32;
        if k >= 120 {
            return None;
        }
        let n = u128::from(m) * scale;
        let q = n >> k;
        let r = n & ((1u128 << k) - 1);
        let half = 1u128 << (k - 1);
        if r > half || (r == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    let int_part = q / scale;
    let mut s = int_part.to_string();
    if precision > 0 {
        let fr = (q % scale).to_string();
        s.reserve(precision + 1);
        s.push('.');
        for _ in fr.len()..precision {
            s.push('0');
        }
        s.push_str(&fr);
    }
    Some(s)
}

/// `PyOS_double_to_string(x, code, precision, flags)`: `code` is one of `e E f F g G r`.
/// Returns the full text including any sign.
#[must_use]
pub fn double_to_string(x: f64, code: char, precision: usize, flags: FloatFlags) -> String {
    let upper = code.is_ascii_uppercase();
    let mut lc = code.to_ascii_lowercase();
    let mut out = String::new();
    if x.is_nan() || x.is_infinite() {
        if x.is_infinite() && x < 0.0 {
            out.push('-');
        } else if flags.sign {
            out.push('+');
        }
        out.push_str(match (x.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        });
        return out;
    }
    let mut precision = precision;
    // `g` with precision 0 means 1; `e` asks dtoa for precision+1 significant digits.
    let mode_prec = match lc {
        'e' => precision + 1,
        'g' => {
            if precision == 0 {
                precision = 1;
            }
            precision
        }
        _ => precision,
    };
    if lc == 'r' {
        precision = 0;
    }
    let (digits, mut decpt) = digits_for(x, lc, mode_prec);
    let mut negative = x.is_sign_negative();
    if flags.no_neg_0 && negative && digits.iter().all(|&c| c == b'0') {
        negative = false;
    }
    let digits_len = digits.len() as i64;
    let precision = precision as i64;
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match lc {
        'e' => {
            use_exp = true;
            vdigits_end = precision + 1;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            let limit = if flags.add_dot_0 {
                precision - 1
            } else {
                precision
            };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alt {
                vdigits_end = precision;
            }
        }
        _ => {
            lc = 'r';
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    vdigits_end = if !use_exp && flags.add_dot_0 {
        vdigits_end.max(decpt + 1)
    } else {
        vdigits_end.max(decpt)
    };
    let _ = lc;
    if negative {
        out.push('-');
    } else if flags.sign {
        out.push('+');
    }
    let zeros = |out: &mut String, n: i64| {
        for _ in 0..n.max(0) {
            out.push('0');
        }
    };
    let ds = |out: &mut String, d: &[u8]| out.push_str(std::str::from_utf8(d).unwrap_or(""));
    if decpt <= 0 {
        zeros(&mut out, decpt - vdigits_start);
        out.push('.');
        zeros(&mut out, -decpt);
    } else {
        zeros(&mut out, -vdigits_start);
    }
    if 0 < decpt && decpt <= digits_len {
        ds(&mut out, &digits[..decpt as usize]);
        out.push('.');
        ds(&mut out, &digits[decpt as usize..]);
    } else {
        ds(&mut out, &digits);
    }
    if digits_len < decpt {
        zeros(&mut out, decpt - digits_len);
        out.push('.');
        zeros(&mut out, vdigits_end - decpt);
    } else {
        zeros(&mut out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fixed_exact;

    /// The integer fast path agrees with Rust's exact formatting (correctly rounded, ties
    /// to even) wherever it answers: a sweep of bit patterns across the exponents it
    /// covers, plus the exact ties a few bits wide.
    #[test]
    fn fixed_exact_matches_exact_formatting() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut checked = 0;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let exp = 0x3b0 + (x % 0xa0);
            let a = f64::from_bits((exp << 52) | (x >> 12));
            let p = (x % 18) as usize;
            if let Some(s) = fixed_exact(a, p) {
                assert_eq!(s, format!("{a:.p$}"), "{a:e} at precision {p}");
                checked += 1;
            }
        }
        for n in 0..4096u32 {
            let a = f64::from(n) / 64.0;
            for p in 0..5 {
                assert_eq!(fixed_exact(a, p).unwrap(), format!("{a:.p$}"));
            }
        }
        assert!(checked > 100_000);
    }
}
