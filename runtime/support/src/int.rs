//! Integer plumbing shared by the other modules: a normalised small/big integer value
//! ([`Int`]), correctly rounded int→float conversion, float→int truncation, `int.bit_length`,
//! and int→str in any base with CPython's 4300-digit limit. It does not parse strings (see
//! `parse`) or do arithmetic operators (see `arith`).

use crate::error::{PyError, PyResult};
use num_bigint::{BigInt, Sign};
use num_traits::{ToPrimitive, Zero};

/// CPython's default `sys.get_int_max_str_digits()`.
pub const INT_MAX_STR_DIGITS: usize = 4300;

/// An integer result: `Small` whenever the value fits in `i64`, `Big` only otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Int {
    /// Fits in `i64`.
    Small(i64),
    /// Outside the `i64` range (constructors keep this invariant).
    Big(BigInt),
}

impl Int {
    /// Normalises a `BigInt` (back to `Small` if it fits).
    #[must_use]
    pub fn from_big(b: BigInt) -> Self {
        match b.to_i64() {
            Some(v) => Self::Small(v),
            None => Self::Big(b),
        }
    }
    /// The value as a `BigInt` (allocates for `Small`).
    #[must_use]
    pub fn to_big(&self) -> BigInt {
        match self {
            Self::Small(v) => BigInt::from(*v),
            Self::Big(b) => b.clone(),
        }
    }
}

impl From<i64> for Int {
    fn from(v: i64) -> Self {
        Self::Small(v)
    }
}

impl From<BigInt> for Int {
    fn from(b: BigInt) -> Self {
        Self::from_big(b)
    }
}

/// `int.bit_length()`.
#[must_use]
pub fn bit_length_i64(v: i64) -> u64 {
    u64::from(64 - v.unsigned_abs().leading_zeros())
}

/// `int.bit_length()` for big ints.
#[must_use]
pub fn bit_length_big(v: &BigInt) -> u64 {
    v.bits()
}

/// Rounds the non-negative integer `m` (given as a `BigInt`) times `2**exp2` to the nearest
/// double, ties to even. Returns `None` on overflow. This is the one rounding routine used by
/// int→float and int/int true division, so both match CPython bit for bit.
pub(crate) fn round_big_to_f64(m: &BigInt, exp2: i64, sticky: bool) -> Option<f64> {
    if m.is_zero() {
        return Some(0.0);
    }
    let nbits = i64::try_from(m.bits()).unwrap_or(i64::MAX);
    // Value is in [2**(top-1), 2**top).
    let top = nbits + exp2;
    if top > 1024 {
        return None;
    }
    // Bits of precision available at this magnitude (fewer for subnormals).
    let prec = if top > -1022 {
        53
    } else {
        53 - (-1022 - (top - 1))
    };
    if prec <= 0 {
        // Below half the smallest subnormal, except exactly the half-way boundary case.
        if prec == 0 {
            // Value in [2**-1075, 2**-1074): rounds up unless exactly 2**-1075.
            let exact_half = m.bits() > 0 && is_power_of_two(m) && !sticky;
            return Some(if exact_half { 0.0 } else { f64::from_bits(1) });
        }
        return Some(0.0);
    }
    let drop = nbits - prec;
    let (mut mant, e) = if drop > 0 {
        let d = u64::try_from(drop).unwrap_or(0);
        let kept: BigInt = m >> d;
        let kept = kept.to_u64().unwrap_or(0);
        let rest_mask = (BigInt::from(1u8) << d) - 1u8;
        let rest: BigInt = m & &rest_mask;
        let half = BigInt::from(1u8) << (d - 1);
        let mut k = kept;
        let round_up = match rest.cmp(&half) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => sticky || (k & 1 == 1),
        };
        if round_up {
            k += 1;
        }
        (k, exp2 + drop)
    } else {
        // Exact already; sticky bits below cannot matter except through ties, which need a
        // dropped bit, so only `drop > 0` rounds.
        (m.to_u64().unwrap_or(0), exp2)
    };
    if mant == 0 {
        return Some(0.0);
    }
    // Renormalise a carry out of the top bit.
    let mut e = e;
    if mant >> 53 != 0 {
        mant >>= 1;
        e += 1;
    }
    let r = ldexp_exact(mant as f64, e);
    if r.is_infinite() { None } else { Some(r) }
}

fn is_power_of_two(m: &BigInt) -> bool {
    m.trailing_zeros() == Some(m.bits() - 1)
}

/// `x * 2**e` for an integer-valued `x` below 2**53, exact whenever the result is representable.
pub(crate) fn ldexp_exact(x: f64, e: i64) -> f64 {
    let mut r = x;
    let mut e = e;
    // Step in chunks that keep every intermediate exact (no premature underflow).
    while e > 1000 {
        r *= f64::from_bits((1023 + 1000) << 52);
        e -= 1000;
    }
    while e < -1000 {
        // Only fine because our mantissas have <= 53 bits and the final result is rounded once
        // by construction in `round_big_to_f64` (subnormal precision already applied).
        r *= f64::from_bits((1023 - 1000) << 52);
        e += 1000;
    }
    let ei = e as i32;
    if ei >= -1022 {
        r * f64::from_bits(((1023 + ei) as u64) << 52)
    } else {
        r * f64::from_bits(1u64 << 52 >> (-1022 - ei)) * 1.0
    }
}

/// `float(n)` for a big int: correctly rounded; `OverflowError: int too large to convert to
/// float` when out of range.
pub fn big_to_f64(v: &BigInt) -> PyResult<f64> {
    let mag = v.magnitude();
    let r = round_big_to_f64(&BigInt::from(mag.clone()), 0, false)
        .ok_or_else(|| PyError::overflow("int too large to convert to float"))?;
    Ok(if v.sign() == Sign::Minus { -r } else { r })
}

/// `float(n)` for an `i64` (ties-to-even, the same as CPython's `PyLong_AsDouble`).
#[must_use]
pub fn i64_to_f64(v: i64) -> f64 {
    v as f64
}

/// `int(x)` / `math.trunc(x)` for a float: truncation toward zero, to a big int when needed.
/// Errors: `ValueError: cannot convert float NaN to integer`,
/// `OverflowError: cannot convert float infinity to integer`.
pub fn f64_to_int(x: f64) -> PyResult<Int> {
    if x.is_nan() {
        return Err(PyError::value("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(PyError::overflow(
            "cannot convert float infinity to integer",
        ));
    }
    let t = x.trunc();
    // 2**63 is exactly representable; anything strictly inside (-2**63-1, 2**63) fits.
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
        return Ok(Int::Small(t as i64));
    }
    let bits = t.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let mut b = BigInt::from(mant);
    if exp >= 0 {
        b <<= exp as u64;
    } else {
        b >>= (-exp) as u64;
    }
    if t < 0.0 {
        b = -b;
    }
    Ok(Int::from_big(b))
}

/// The ValueError raised when converting an int with more than 4300 decimal digits to str.
#[must_use]
pub fn int_str_limit_error() -> PyError {
    PyError::value(format!(
        "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion; \
         use sys.set_int_max_str_digits() to increase the limit"
    ))
}

/// `str(n)` for a big int, with CPython's 4300-digit limit.
pub fn big_to_decimal(v: &BigInt) -> PyResult<String> {
    // Cheap pre-check as CPython does: more than ~4300*log2(10) bits can never fit.
    if v.bits() > 14_300 {
        return Err(int_str_limit_error());
    }
    let s = v.to_str_radix(10);
    let ndigits = s.len() - usize::from(s.starts_with('-'));
    if ndigits > INT_MAX_STR_DIGITS {
        return Err(int_str_limit_error());
    }
    Ok(s)
}

/// Appends the decimal digits of `v` (with a `-` sign) to `out`. Never fails for `i64`.
pub fn push_i64(out: &mut String, v: i64) {
    use std::fmt::Write;
    let _ = write!(out, "{v}");
}

/// Magnitude digits of `|v|` in `radix` (2, 8, 10 or 16, lowercase), without sign or prefix.
#[must_use]
pub fn u64_digits(v: u64, radix: u32) -> String {
    match radix {
        2 => format!("{v:b}"),
        8 => format!("{v:o}"),
        16 => format!("{v:x}"),
        _ => v.to_string(),
    }
}

/// `bin(n)`, `oct(n)`, `hex(n)` for any `Int`: sign, `0b`/`0o`/`0x` prefix, digits.
#[must_use]
pub fn int_to_prefixed(v: &Int, radix: u32) -> String {
    let prefix = match radix {
        2 => "0b",
        8 => "0o",
        16 => "0x",
        _ => "",
    };
    let (neg, digits) = match v {
        Int::Small(i) => (*i < 0, u64_digits(i.unsigned_abs(), radix)),
        Int::Big(b) => (b.sign() == Sign::Minus, b.magnitude().to_str_radix(radix)),
    };
    let mut s = String::with_capacity(digits.len() + 3);
    if neg {
        s.push('-');
    }
    s.push_str(prefix);
    s.push_str(&digits);
    s
}

/// Exact comparison of an int with a float, as CPython's `float_richcompare` does it (no
/// rounding of big ints): `None` when `f` is NaN.
#[must_use]
pub fn cmp_int_float(i: &Int, f: f64) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    if let Int::Small(v) = i
        && v.unsigned_abs() <= 1 << 53
    {
        // Exactly representable: one float comparison is exact.
        return (*v as f64).partial_cmp(&f);
    }
    let t = f.trunc();
    let ti = match f64_to_int(t) {
        Ok(x) => x.to_big(),
        Err(_) => return None,
    };
    let ib = i.to_big();
    match ib.cmp(&ti) {
        Ordering::Equal => 0.0f64.partial_cmp(&(f - t)),
        o => Some(o),
    }
}

/// `float.as_integer_ratio()`: the exact value as a reduced fraction with positive
/// denominator. Errors: `OverflowError: cannot convert Infinity to integer ratio`,
/// `ValueError: cannot convert NaN to integer ratio`.
pub fn f64_as_integer_ratio(x: f64) -> PyResult<(Int, Int)> {
    if x.is_nan() {
        return Err(PyError::value("cannot convert NaN to integer ratio"));
    }
    if x.is_infinite() {
        return Err(PyError::overflow(
            "cannot convert Infinity to integer ratio",
        ));
    }
    if x == 0.0 {
        return Ok((Int::Small(0), Int::Small(1)));
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let tz = i64::from(m.trailing_zeros());
    m >>= tz;
    e += tz;
    let mut num = BigInt::from(m);
    let mut den = BigInt::from(1u8);
    if e >= 0 {
        num <<= e as u64;
    } else {
        den <<= (-e) as u64;
    }
    if x < 0.0 {
        num = -num;
    }
    Ok((Int::from_big(num), Int::from_big(den)))
}

/// `int.to_bytes(length, byteorder, signed=...)` with `big_endian` for `'big'`.
/// Errors: `ValueError: length argument must be non-negative`,
/// `OverflowError: can't convert negative int to unsigned`,
/// `OverflowError: int too big to convert`.
pub fn int_to_bytes(v: &Int, length: i64, big_endian: bool, signed: bool) -> PyResult<Vec<u8>> {
    if length < 0 {
        return Err(PyError::value("length argument must be non-negative"));
    }
    let b = v.to_big();
    if !signed && b.sign() == Sign::Minus {
        return Err(PyError::overflow("can't convert negative int to unsigned"));
    }
    let len = usize::try_from(length).map_err(|_| PyError::overflow("int too big to convert"))?;
    let mut bytes = if signed {
        b.to_signed_bytes_le()
    } else {
        b.to_bytes_le().1
    };
    // to_signed_bytes_le of 0 is [0]; the minimal encoding of 0 is empty.
    if b.is_zero() {
        bytes.clear();
    }
    // CPython quirk: -1 fits in zero bytes when signed ((-1).to_bytes(0, signed=True) == b'').
    if signed && len == 0 && b == BigInt::from(-1) {
        return Ok(Vec::new());
    }
    if bytes.len() > len {
        return Err(PyError::overflow("int too big to convert"));
    }
    let fill = if signed && b.sign() == Sign::Minus {
        0xff
    } else {
        0
    };
    bytes.resize(len, fill);
    if big_endian {
        bytes.reverse();
    }
    Ok(bytes)
}

/// `int.from_bytes(bytes, byteorder, signed=...)`.
#[must_use]
pub fn int_from_bytes(bytes: &[u8], big_endian: bool, signed: bool) -> Int {
    let b = match (big_endian, signed) {
        (true, true) => BigInt::from_signed_bytes_be(bytes),
        (false, true) => BigInt::from_signed_bytes_le(bytes),
        (true, false) => BigInt::from_bytes_be(Sign::Plus, bytes),
        (false, false) => BigInt::from_bytes_le(Sign::Plus, bytes),
    };
    Int::from_big(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_to_float_rounds_half_even() {
        // 2**53 + 1 is a tie between 2**53 and 2**53 + 2: CPython gives 9007199254740992.0.
        let b = BigInt::from(9_007_199_254_740_993u64);
        assert_eq!(big_to_f64(&b).unwrap(), 9_007_199_254_740_992.0);
        let b = BigInt::from(9_007_199_254_740_995u64);
        assert_eq!(big_to_f64(&b).unwrap(), 9_007_199_254_740_996.0);
        let huge = BigInt::from(1u8) << 1024u32;
        assert_eq!(
            big_to_f64(&huge).unwrap_err().to_string(),
            "OverflowError: int too large to convert to float"
        );
    }

    #[test]
    fn float_to_int_big() {
        assert_eq!(
            f64_to_int(1e20).unwrap(),
            Int::Big("100000000000000000000".parse().unwrap())
        );
        assert_eq!(f64_to_int(-2.5).unwrap(), Int::Small(-2));
        assert!(f64_to_int(f64::NAN).is_err());
    }
}
