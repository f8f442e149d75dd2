//! Python arithmetic semantics on plain Rust numbers: floor division and modulo with Python
//! signs, divmod, correctly rounded int/int true division, int and float powers, `round()`,
//! `float.is_integer`, `float.hex`. Every error carries CPython 3.13's exact text. It does not
//! dispatch on Python types or call dunder methods; the VM picks the function by operand type.

use crate::error::{PyError, PyResult};
use crate::int::{Int, round_big_to_f64};
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

fn int_zero_div() -> PyError {
    PyError::zero_div("integer division or modulo by zero")
}

/// `a // b` for `i64`; `i64::MIN // -1` promotes to a big int.
pub fn floordiv_i64(a: i64, b: i64) -> PyResult<Int> {
    if b == 0 {
        return Err(int_zero_div());
    }
    if a == i64::MIN && b == -1 {
        return Ok(Int::Big(-BigInt::from(a)));
    }
    Ok(Int::Small(Integer::div_floor(&a, &b)))
}

fn int_mod_zero() -> PyError {
    PyError::zero_div("integer modulo by zero")
}

/// `a % b` for `i64` (result has the divisor's sign).
pub fn mod_i64(a: i64, b: i64) -> PyResult<i64> {
    if b == 0 {
        return Err(int_mod_zero());
    }
    if b == -1 {
        return Ok(0);
    }
    Ok(Integer::mod_floor(&a, &b))
}

/// `divmod(a, b)` for `i64`.
pub fn divmod_i64(a: i64, b: i64) -> PyResult<(Int, i64)> {
    if b == 0 {
        return Err(int_zero_div());
    }
    Ok((floordiv_i64(a, b)?, mod_i64(a, b)?))
}

/// `a // b` for big ints.
pub fn floordiv_big(a: &BigInt, b: &BigInt) -> PyResult<BigInt> {
    if b.is_zero() {
        return Err(int_zero_div());
    }
    Ok(Integer::div_floor(a, b))
}

/// `a % b` for big ints.
pub fn mod_big(a: &BigInt, b: &BigInt) -> PyResult<BigInt> {
    if b.is_zero() {
        return Err(int_mod_zero());
    }
    Ok(Integer::mod_floor(a, b))
}

/// `divmod(a, b)` for big ints.
pub fn divmod_big(a: &BigInt, b: &BigInt) -> PyResult<(BigInt, BigInt)> {
    if b.is_zero() {
        return Err(int_zero_div());
    }
    Ok(Integer::div_mod_floor(a, b))
}

/// `a / b` for `i64`, correctly rounded as CPython's `long_true_divide`.
pub fn truediv_i64(a: i64, b: i64) -> PyResult<f64> {
    if b == 0 {
        return Err(PyError::zero_div("division by zero"));
    }
    const EXACT: u64 = 1 << 53;
    if a.unsigned_abs() <= EXACT && b.unsigned_abs() <= EXACT {
        // Both exact as doubles, so one IEEE division is correctly rounded.
        return Ok(a as f64 / b as f64);
    }
    truediv_big(&BigInt::from(a), &BigInt::from(b))
}

/// `a / b` for big ints, correctly rounded (ties to even) at any size.
/// Errors: `ZeroDivisionError: division by zero`,
/// `OverflowError: integer division result too large for a float`.
pub fn truediv_big(a: &BigInt, b: &BigInt) -> PyResult<f64> {
    if b.is_zero() {
        return Err(PyError::zero_div("division by zero"));
    }
    let negative = (a.sign() == Sign::Minus) != (b.sign() == Sign::Minus);
    if a.is_zero() {
        return Ok(if negative { -0.0 } else { 0.0 });
    }
    let (am, bm) = (
        BigInt::from(a.magnitude().clone()),
        BigInt::from(b.magnitude().clone()),
    );
    let diff = am.bits() as i64 - bm.bits() as i64;
    if diff > 1025 {
        return Err(PyError::overflow(
            "integer division result too large for a float",
        ));
    }
    // Scale so the integer quotient carries at least 55 significant bits; the remainder
    // becomes the sticky bit for rounding.
    let shift = 55 - diff;
    let (q, r) = if shift >= 0 {
        Integer::div_rem(&(am << shift as u64), &bm)
    } else {
        Integer::div_rem(&(am >> (-shift) as u64), &bm)
    };
    // A right shift of the numerator is only possible when diff > 55; lost bits are sticky.
    let lost = shift < 0 && a.magnitude().trailing_zeros().unwrap_or(0) < (-shift) as u64;
    let sticky = !r.is_zero() || lost;
    let v = round_big_to_f64(&q, -shift, sticky)
        .ok_or_else(|| PyError::overflow("integer division result too large for a float"))?;
    Ok(if negative { -v } else { v })
}

/// `a / b` for floats: `ZeroDivisionError: float division by zero`.
pub fn truediv_f64(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(PyError::zero_div("float division by zero"));
    }
    Ok(a / b)
}

/// CPython's `float_divmod` core (without the zero check): `(floor quotient, modulo)`.
fn float_divmod_raw(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

/// `a % b` for floats: `ZeroDivisionError: float modulo by zero`.
pub fn mod_f64(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(PyError::zero_div("float modulo by zero"));
    }
    // CPython's float_rem computes only the modulo part the same way.
    let mut m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    Ok(m)
}

/// `a // b` for floats: `ZeroDivisionError: float floor division by zero`.
pub fn floordiv_f64(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(PyError::zero_div("float floor division by zero"));
    }
    Ok(float_divmod_raw(a, b).0)
}

/// `divmod(a, b)` for floats: `ZeroDivisionError: float divmod()`.
pub fn divmod_f64(a: f64, b: f64) -> PyResult<(f64, f64)> {
    if b == 0.0 {
        return Err(PyError::zero_div("float divmod()"));
    }
    Ok(float_divmod_raw(a, b))
}

/// The result of `int ** int`: an int, or a float when the exponent is negative.
#[derive(Debug, Clone, PartialEq)]
pub enum PowResult {
    /// Non-negative exponent.
    Int(Int),
    /// Negative exponent: computed as `float(a) ** float(b)`.
    Float(f64),
}

/// `a ** b` for ints. A negative exponent goes through float power as CPython does
/// (`ZeroDivisionError: 0.0 cannot be raised to a negative power` for `0 ** -1`).
pub fn pow_int(a: &Int, b: &Int) -> PyResult<PowResult> {
    let neg_exp = match b {
        Int::Small(e) => *e < 0,
        Int::Big(e) => e.is_negative(),
    };
    if neg_exp {
        let af = match a {
            Int::Small(v) => *v as f64,
            Int::Big(v) => crate::int::big_to_f64(v)?,
        };
        let bf = match b {
            Int::Small(v) => *v as f64,
            Int::Big(v) => crate::int::big_to_f64(v)?,
        };
        return pow_f64(af, bf).map(PowResult::Float);
    }
    let exp = match b {
        Int::Small(e) => *e as u64,
        Int::Big(e) => {
            // Only bases 0, 1 and -1 have representable results for such exponents.
            let base = match a {
                Int::Small(v) => *v,
                Int::Big(_) => 2,
            };
            return match base {
                0 | 1 => Ok(PowResult::Int(Int::Small(base))),
                -1 => Ok(PowResult::Int(Int::Small(if e.is_even() { 1 } else { -1 }))),
                _ => Err(PyError::new(crate::error::ExcKind::MemoryError, "")),
            };
        }
    };
    if let Int::Small(base) = a {
        if let Ok(e32) = u32::try_from(exp)
            && let Some(v) = base.checked_pow(e32)
        {
            return Ok(PowResult::Int(Int::Small(v)));
        }
        match base {
            0 | 1 => return Ok(PowResult::Int(Int::Small(*base))),
            -1 => {
                return Ok(PowResult::Int(Int::Small(if exp % 2 == 0 {
                    1
                } else {
                    -1
                })));
            }
            _ => {}
        }
    }
    let base = a.to_big();
    // Refuse results that cannot possibly fit in memory instead of aborting.
    if (base.bits() as u128) * u128::from(exp) > (1u128 << 40) {
        return Err(PyError::new(crate::error::ExcKind::MemoryError, ""));
    }
    let e = u32::try_from(exp).map_err(|_| PyError::new(crate::error::ExcKind::MemoryError, ""))?;
    Ok(PowResult::Int(Int::from_big(num_traits::pow::Pow::pow(
        &base, e,
    ))))
}

/// `pow(a, b, m)` for ints with `m != 0` and `b >= 0` handled; negative `b` computes the
/// modular inverse as CPython 3.8+ does.
pub fn pow_mod(a: &BigInt, b: &BigInt, m: &BigInt) -> PyResult<BigInt> {
    if m.is_zero() {
        return Err(PyError::value("pow() 3rd argument cannot be 0"));
    }
    let mm = m.abs();
    let (base, exp) = if b.is_negative() {
        let inv = mod_inverse(&Integer::mod_floor(a, &mm), &mm)
            .ok_or_else(|| PyError::value("base is not invertible for the given modulus"))?;
        (inv, -b)
    } else {
        (Integer::mod_floor(a, &mm), b.clone())
    };
    let mut r = base.modpow(&exp, &mm);
    // Python's result has the modulus' sign.
    if m.is_negative() && !r.is_zero() {
        r += m;
    }
    Ok(r)
}

fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let g = a.extended_gcd(m);
    if !g.gcd.is_one() {
        return None;
    }
    Some(Integer::mod_floor(&g.x, m))
}

/// `a ** b` for floats with CPython's special cases.
/// Errors: `ZeroDivisionError: 0.0 cannot be raised to a negative power`,
/// `OverflowError: (34, 'Numerical result out of range')`, and for a negative base with a
/// non-integral exponent `ValueError: negative number cannot be raised to a fractional power`
/// — CPython 3.13 returns a complex number there instead; the VM has no complex type, so it
/// gets this error to raise (or to replace with its own complex support).
pub fn pow_f64(iv: f64, iw: f64) -> PyResult<f64> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(if iw == 0.0 { 1.0 } else { iv });
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let a = iv.abs();
        return Ok(if a == 1.0 {
            1.0
        } else if (iw > 0.0) == (a > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    let iw_is_odd = iw.rem_euclid(2.0) == 1.0;
    if iv.is_infinite() {
        return Ok(if iw > 0.0 {
            if iw_is_odd { iv } else { iv.abs() }
        } else if iw_is_odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(PyError::zero_div(
                "0.0 cannot be raised to a negative power",
            ));
        }
        return Ok(if iw_is_odd { iv } else { 0.0 });
    }
    let mut iv = iv;
    let mut negate = false;
    if iv < 0.0 {
        if iw != iw.floor() {
            return Err(PyError::value(
                "negative number cannot be raised to a fractional power",
            ));
        }
        iv = -iv;
        negate = iw_is_odd;
    }
    if iv == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let ix = iv.powf(iw);
    if ix.is_infinite() {
        return Err(PyError::overflow("(34, 'Numerical result out of range')"));
    }
    Ok(if negate { -ix } else { ix })
}

/// Exact rational value of a finite double as `(numerator, exponent)`: `x = n * 2**e`.
pub(crate) fn f64_as_ratio(x: f64) -> (BigInt, i64) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let mut n = BigInt::from(m);
    if x.is_sign_negative() {
        n = -n;
    }
    (n, e)
}

/// Rounds the exact rational `n / d` (d > 0) to an integer, ties to even.
fn round_ratio_half_even(n: &BigInt, d: &BigInt) -> BigInt {
    let (q, r) = Integer::div_mod_floor(n, d);
    let twice = &r * 2u8;
    match twice.cmp(d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1u8,
        std::cmp::Ordering::Equal => {
            if q.is_even() {
                q
            } else {
                q + 1u8
            }
        }
    }
}

/// `round(x)` for a float: nearest integer, ties to even.
pub fn round_f64_to_int(x: f64) -> PyResult<Int> {
    if x.is_nan() {
        return Err(PyError::value("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(PyError::overflow(
            "cannot convert float infinity to integer",
        ));
    }
    let r = x.round_ties_even();
    crate::int::f64_to_int(r)
}

/// `round(x, ndigits)` for a float: the double nearest to `x` rounded half-even to
/// `ndigits` decimal places, computed exactly (CPython uses dtoa mode 3 for the same result).
pub fn round_f64(x: f64, ndigits: i64) -> PyResult<f64> {
    if !x.is_finite() || x == 0.0 {
        return Ok(x);
    }
    // CPython's NDIGITS_MAX/MIN: beyond these the answer is x itself or a signed zero.
    if ndigits > 323 {
        return Ok(x);
    }
    if ndigits < -308 {
        return Ok(0.0 * x);
    }
    let (n, e) = f64_as_ratio(x);
    // x * 10**ndigits = n * 2**e * 10**ndigits as a fraction num/den.
    let (mut num, mut den) = (n, BigInt::one());
    if e >= 0 {
        num <<= e as u64;
    } else {
        den <<= (-e) as u64;
    }
    let p10 = num_traits::pow::Pow::pow(&BigInt::from(10u8), ndigits.unsigned_abs() as u32);
    if ndigits >= 0 {
        num *= &p10;
    } else {
        den *= &p10;
    }
    let q = round_ratio_half_even(&num, &den);
    // Result = q / 10**ndigits, correctly rounded to a double.
    let neg = q.is_negative();
    let qm = q.abs();
    let r = if ndigits >= 0 {
        ratio_to_f64(&qm, &p10)
    } else {
        ratio_to_f64(&(qm * &p10), &BigInt::one())
    };
    let r = r.ok_or_else(|| PyError::overflow("rounded value too large to represent"))?;
    Ok(if neg {
        -r
    } else if r == 0.0 {
        0.0f64.copysign(x)
    } else {
        r
    })
}

/// Correctly rounded `n / d` for non-negative `n` and positive `d`; `None` on overflow.
fn ratio_to_f64(n: &BigInt, d: &BigInt) -> Option<f64> {
    if n.is_zero() {
        return Some(0.0);
    }
    let diff = n.bits() as i64 - d.bits() as i64;
    let shift = 55 - diff;
    let (q, r) = if shift >= 0 {
        Integer::div_rem(&(n << shift as u64), d)
    } else {
        Integer::div_rem(&(n >> (-shift) as u64), d)
    };
    let lost = shift < 0 && n.trailing_zeros().unwrap_or(0) < (-shift) as u64;
    round_big_to_f64(&q, -shift, !r.is_zero() || lost)
}

/// `round(n, ndigits)` for ints with negative `ndigits`: half-even to a multiple of
/// `10**-ndigits`. Non-negative `ndigits` returns `n` unchanged.
#[must_use]
pub fn round_big(n: &BigInt, ndigits: i64) -> BigInt {
    if ndigits >= 0 {
        return n.clone();
    }
    let Ok(k) = u32::try_from(ndigits.unsigned_abs()) else {
        return BigInt::zero();
    };
    let p = num_traits::pow::Pow::pow(&BigInt::from(10u8), k);
    round_ratio_half_even(n, &p) * p
}

/// `float.is_integer()`.
#[must_use]
pub fn f64_is_integer(x: f64) -> bool {
    x.is_finite() && x.trunc() == x
}

/// `float.hex()`, e.g. `0x1.8000000000000p+0`, `-0x0.0p+0`, `inf`, `nan`.
#[must_use]
pub fn f64_hex(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (lead, e) = if exp == 0 {
        (0, -1022)
    } else {
        (1, exp - 1023)
    };
    let esign = if e < 0 { '-' } else { '+' };
    format!("{sign}0x{lead}.{frac:013x}p{esign}{}", e.abs())
}

/// `float.fromhex(s)`: hex significand with optional `0x`, fraction and `p` exponent, or
/// inf/nan spellings; correctly rounded (ties to even, subnormals included).
/// Errors: `ValueError: invalid hexadecimal floating-point string`,
/// `OverflowError: hexadecimal value too large to represent as a float`.
pub fn f64_fromhex(s: &str) -> PyResult<f64> {
    let invalid = || PyError::value("invalid hexadecimal floating-point string");
    let t = s.trim_matches(|c: char| c.is_whitespace());
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
    if let Some(v) = special {
        return Ok(if neg { -v } else { v });
    }
    let b = lower.as_bytes();
    let mut i = 0;
    if b.len() >= 2 && &b[..2] == b"0x" {
        i = 2;
    }
    let mut mant = BigInt::zero();
    let mut ndigits = 0usize;
    let mut frac_digits: i64 = 0;
    let mut seen_point = false;
    while i < b.len() {
        let c = b[i];
        if c == b'.' && !seen_point {
            seen_point = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            mant = (mant << 4u32) + d;
            ndigits += 1;
            if seen_point {
                frac_digits += 1;
            }
        } else {
            break;
        }
        i += 1;
    }
    if ndigits == 0 {
        return Err(invalid());
    }
    let mut exp: i64 = 0;
    if i < b.len() && b[i] == b'p' {
        i += 1;
        let mut eneg = false;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            eneg = b[i] == b'-';
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            exp = exp
                .saturating_mul(10)
                .saturating_add(i64::from(b[i] - b'0'));
            i += 1;
        }
        if i == start {
            return Err(invalid());
        }
        if eneg {
            exp = -exp;
        }
    }
    if i != b.len() {
        return Err(invalid());
    }
    let e2 = exp.saturating_sub(frac_digits.saturating_mul(4));
    // Keep the exponent in a range where the rounding helper cannot overflow its arithmetic.
    let e2 = e2.clamp(-(1 << 40), 1 << 40);
    let v = if mant.is_zero() {
        0.0
    } else {
        round_big_to_f64(&mant, e2, false).ok_or_else(|| {
            PyError::overflow("hexadecimal value too large to represent as a float")
        })?
    };
    Ok(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_signs() {
        assert_eq!(floordiv_i64(7, -2).unwrap(), Int::Small(-4));
        assert_eq!(mod_i64(7, -2).unwrap(), -1);
        assert_eq!(mod_i64(-7, 2).unwrap(), 1);
        assert_eq!(mod_f64(7.5, -2.0).unwrap(), -0.5);
        assert_eq!(floordiv_f64(-7.5, 2.0).unwrap(), -4.0);
        assert!(mod_f64(0.0, -1.0).unwrap().is_sign_negative());
    }

    #[test]
    fn truediv_rounding() {
        // CPython 3.13: 7044577470827281968 / 66174 == 106455367226210.92
        assert_eq!(
            truediv_i64(7_044_577_470_827_281_968, 66174).unwrap(),
            106_455_367_226_210.92
        );
    }
}
