//! The `math` module's numeric cores with CPython 3.13 semantics: special values, which
//! results raise `ValueError: math domain error` or `OverflowError: math range error`, the
//! big-int paths of `log`/`log2`/`log10`, exact `fsum` (Shewchuk partials with CPython's
//! final half-even fix-up), `hypot`/`dist` with CPython's compensated `vector_norm`, and the
//! integer functions (`factorial`, `gcd`, `lcm`, `isqrt`, `comb`, `perm`). Transcendentals use
//! the platform libm through `std`, as CPython does. It does not convert arguments (`__float__`,
//! `__index__`, "must be real number" TypeErrors are the VM's), and `gamma`, `lgamma`, `prod`
//! and `sumprod` are not here.

use crate::error::{PyError, PyResult};
use crate::int::{Int, big_to_f64, f64_to_int};
use crate::libm;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// `math.pi`.
pub const PI: f64 = std::f64::consts::PI;
/// `math.e`.
pub const E: f64 = std::f64::consts::E;
/// `math.tau`.
pub const TAU: f64 = std::f64::consts::TAU;

fn domain() -> PyError {
    PyError::value("math domain error")
}

fn range() -> PyError {
    PyError::overflow("math range error")
}

/// CPython's `math_1`: NaN from a non-NaN is a domain error; an infinity from a finite input
/// is a range error when the function can overflow, otherwise a domain error.
fn math_1(x: f64, r: f64, can_overflow: bool) -> PyResult<f64> {
    if r.is_nan() && !x.is_nan() {
        return Err(domain());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow { range() } else { domain() });
    }
    Ok(r)
}

macro_rules! unary {
    ($($(#[$doc:meta])* $name:ident => $f:path, $ovf:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(x: f64) -> PyResult<f64> {
                math_1(x, $f(x), $ovf)
            }
        )*
    };
}

unary! {
    /// `math.sqrt`.
    sqrt => f64::sqrt, false;
    /// `math.exp`.
    exp => libm::exp, true;
    /// `math.exp2`.
    exp2 => libm::exp2, true;
    /// `math.expm1`.
    expm1 => libm::expm1, true;
    /// `math.sin`.
    sin => libm::sin, false;
    /// `math.cos`.
    cos => libm::cos, false;
    /// `math.tan`.
    tan => libm::tan, false;
    /// `math.asin`.
    asin => libm::asin, false;
    /// `math.acos`.
    acos => libm::acos, false;
    /// `math.atan`.
    atan => libm::atan, false;
    /// `math.sinh`.
    sinh => libm::sinh, true;
    /// `math.cosh`.
    cosh => libm::cosh, true;
    /// `math.tanh`.
    tanh => libm::tanh, false;
    /// `math.asinh`.
    asinh => libm::asinh, false;
    /// `math.acosh`.
    acosh => libm::acosh, false;
    /// `math.atanh`.
    atanh => libm::atanh, false;
    /// `math.cbrt`.
    cbrt => libm::cbrt, false;
    /// `math.erf`.
    erf => libm::erf, false;
    /// `math.erfc`.
    erfc => libm::erfc, false;
    /// `math.fabs`.
    fabs => f64::abs, false;
}

/// `math.log1p`.
pub fn log1p(x: f64) -> PyResult<f64> {
    if x <= -1.0 {
        return Err(domain());
    }
    Ok(libm::log1p(x))
}

/// `math.atan2(y, x)`.
#[must_use]
pub fn atan2(y: f64, x: f64) -> f64 {
    libm::atan2(y, x)
}

/// A real argument of the log family: floats, or ints of any size.
#[derive(Debug, Clone)]
pub enum Real {
    /// A float (or an int the caller already converted).
    Float(f64),
    /// An int; huge ones are handled without overflow.
    Int(Int),
}

#[derive(Clone, Copy)]
enum LogKind {
    E,
    Two,
    Ten,
}

fn log_f(x: f64, k: LogKind) -> PyResult<f64> {
    // CPython's m_log: finite x <= 0 is a domain error; inf -> inf; nan -> nan.
    if x.is_nan() {
        return Ok(x);
    }
    if x <= 0.0 {
        return Err(domain());
    }
    Ok(match k {
        LogKind::E => libm::log(x),
        LogKind::Two => libm::log2(x),
        LogKind::Ten => libm::log10(x),
    })
}

/// CPython's `loghelper`: ints too big for a float use `log(m) + log(2) * e` from frexp.
fn log_helper(x: &Real, k: LogKind) -> PyResult<f64> {
    match x {
        Real::Float(f) => log_f(*f, k),
        Real::Int(i) => {
            let b = i.to_big();
            if !b.is_positive() {
                return Err(domain());
            }
            match big_to_f64(&b) {
                Ok(f) => log_f(f, k),
                Err(_) => {
                    let e = b.bits() as i64;
                    let m = crate::int::round_big_to_f64(&b, -e, false).unwrap_or(1.0);
                    Ok(log_f(m, k)? + log_f(2.0, k)? * e as f64)
                }
            }
        }
    }
}

/// `math.log(x)` or `math.log(x, base)`.
/// Errors: `ValueError: math domain error`, `ZeroDivisionError: float division by zero`
/// (base 1).
pub fn log(x: &Real, base: Option<&Real>) -> PyResult<f64> {
    let num = log_helper(x, LogKind::E)?;
    let Some(b) = base else { return Ok(num) };
    let den = log_helper(b, LogKind::E)?;
    if den == 0.0 {
        return Err(PyError::zero_div("float division by zero"));
    }
    Ok(num / den)
}

/// `math.log2(x)`.
pub fn log2(x: &Real) -> PyResult<f64> {
    log_helper(x, LogKind::Two)
}

/// `math.log10(x)`.
pub fn log10(x: &Real) -> PyResult<f64> {
    log_helper(x, LogKind::Ten)
}

/// `math.pow(x, y)` (always float; IEEE specials as CPython's `math_pow_impl`).
pub fn pow(x: f64, y: f64) -> PyResult<f64> {
    if !x.is_finite() || !y.is_finite() {
        let r = if x.is_nan() {
            if y == 0.0 { 1.0 } else { x }
        } else if y.is_nan() {
            if x == 1.0 { 1.0 } else { y }
        } else if x.is_infinite() {
            let odd_y = y.is_finite() && (y.abs() % 2.0) == 1.0;
            if y > 0.0 {
                if odd_y { x } else { x.abs() }
            } else if y == 0.0 {
                1.0
            } else if odd_y {
                0.0f64.copysign(x)
            } else {
                0.0
            }
        } else if x.abs() == 1.0 {
            1.0
        } else if y > 0.0 && x.abs() > 1.0 {
            y
        } else if y < 0.0 && x.abs() < 1.0 {
            -y
        } else {
            0.0
        };
        return Ok(r);
    }
    let r = libm::pow(x, y);
    if r.is_nan() {
        return Err(domain());
    }
    if r.is_infinite() {
        return Err(if x == 0.0 { domain() } else { range() });
    }
    Ok(r)
}

/// `math.floor(x)` for a float.
pub fn floor(x: f64) -> PyResult<Int> {
    f64_to_int(x.floor())
}

/// `math.ceil(x)` for a float.
pub fn ceil(x: f64) -> PyResult<Int> {
    f64_to_int(x.ceil())
}

/// `math.trunc(x)` for a float.
pub fn trunc(x: f64) -> PyResult<Int> {
    f64_to_int(x)
}

/// `math.fmod(x, y)`.
pub fn fmod(x: f64, y: f64) -> PyResult<f64> {
    if y.is_infinite() && x.is_finite() {
        return Ok(x);
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain());
    }
    Ok(r)
}

/// `math.copysign(x, y)`.
#[must_use]
pub fn copysign(x: f64, y: f64) -> f64 {
    x.copysign(y)
}

/// `math.isclose(a, b, rel_tol=1e-09, abs_tol=0.0)`.
pub fn isclose(a: f64, b: f64, rel_tol: f64, abs_tol: f64) -> PyResult<bool> {
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(PyError::value("tolerances must be non-negative"));
    }
    if a == b {
        return Ok(true);
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(false);
    }
    let diff = (b - a).abs();
    Ok(diff <= (rel_tol * b).abs() || diff <= (rel_tol * a).abs() || diff <= abs_tol)
}

/// `math.degrees(x)`.
#[must_use]
pub fn degrees(x: f64) -> f64 {
    x * (180.0 / PI)
}

/// `math.radians(x)`.
#[must_use]
pub fn radians(x: f64) -> f64 {
    x * (PI / 180.0)
}

/// `math.modf(x)` → `(fractional, integral)`, both carrying x's sign.
#[must_use]
pub fn modf(x: f64) -> (f64, f64) {
    if x.is_infinite() {
        return (0.0f64.copysign(x), x);
    }
    if x.is_nan() {
        return (x, x);
    }
    let i = x.trunc();
    ((x - i).copysign(x), i)
}

/// `math.frexp(x)` → `(m, e)` with `0.5 <= |m| < 1` (or x itself for 0, inf, nan).
#[must_use]
pub fn frexp(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (x2, adj) = if x.abs() < f64::MIN_POSITIVE {
        (x * 2f64.powi(64), -64)
    } else {
        (x, 0)
    };
    let bits = x2.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022 + adj)
}

/// `math.ldexp(x, i)` (correctly rounded for subnormal results).
/// Error: `OverflowError: math range error`.
pub fn ldexp(x: f64, i: &Int) -> PyResult<f64> {
    if x == 0.0 || !x.is_finite() {
        return Ok(x);
    }
    let e = match i {
        Int::Small(v) => *v,
        Int::Big(b) => {
            if b.is_positive() {
                return Err(range());
            }
            return Ok(0.0f64.copysign(x));
        }
    };
    let (m, ex) = frexp(x);
    let t = ex.saturating_add(e);
    if t > 1024 {
        return Err(range());
    }
    if t >= -1021 {
        // m * 2**t is exact: m has 53 bits and the exponent is in the normal range.
        let scaled = m * 2.0;
        return Ok(scaled * f64::from_bits(((t - 1 + 1023) as u64) << 52));
    }
    if t < -1080 {
        return Ok(0.0f64.copysign(x));
    }
    // Subnormal: round m * 2**(t + 1074) to an integer (ties to even), then scale exactly.
    let k = (m * f64::from_bits(((t + 1074 + 1023) as u64) << 52)).round_ties_even();
    Ok((k * f64::from_bits(1)).copysign(x))
}

/// `math.isfinite`.
#[must_use]
pub fn isfinite(x: f64) -> bool {
    x.is_finite()
}

/// `math.isinf`.
#[must_use]
pub fn isinf(x: f64) -> bool {
    x.is_infinite()
}

/// `math.isnan`.
#[must_use]
pub fn isnan(x: f64) -> bool {
    x.is_nan()
}

/// `math.nextafter(x, y)`.
#[must_use]
pub fn nextafter(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let b = x.to_bits();
    let up = (y > x) == (x > 0.0);
    f64::from_bits(if up { b + 1 } else { b - 1 })
}

/// `math.ulp(x)`.
#[must_use]
pub fn ulp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let x = x.abs();
    if x.is_infinite() {
        return x;
    }
    let next = nextafter(x, f64::INFINITY);
    if next.is_infinite() {
        return x - nextafter(x, f64::NEG_INFINITY);
    }
    next - x
}

/// Double-length product `x*y = hi + lo` (exact, via fma).
fn dl_mul(x: f64, y: f64) -> (f64, f64) {
    let z = x * y;
    (z, x.mul_add(y, -z))
}

/// Fast two-sum for `|a| >= |b|`.
fn dl_fast_sum(a: f64, b: f64) -> (f64, f64) {
    let x = a + b;
    let z = x - a;
    (x, b - z)
}

/// CPython's `vector_norm` on non-negative finite-or-special magnitudes.
fn vector_norm(vec: &mut [f64], max: f64, found_nan: bool) -> f64 {
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    let (_, max_e) = frexp(max);
    if max_e < -1023 {
        for v in vec.iter_mut() {
            *v /= f64::MIN_POSITIVE;
        }
        return f64::MIN_POSITIVE * vector_norm(vec, max / f64::MIN_POSITIVE, found_nan);
    }
    let scale = ldexp(1.0, &Int::Small(-max_e)).unwrap_or(1.0);
    let (mut csum, mut frac1, mut frac2) = (1.0f64, 0.0f64, 0.0f64);
    for &v in vec.iter() {
        let x = v * scale;
        let pr = dl_mul(x, x);
        let sm = dl_fast_sum(csum, pr.0);
        csum = sm.0;
        frac1 += pr.1;
        frac2 += sm.1;
    }
    let mut h = (csum - 1.0 + (frac1 + frac2)).sqrt();
    let pr = dl_mul(-h, h);
    let sm = dl_fast_sum(csum, pr.0);
    csum = sm.0;
    frac1 += pr.1;
    frac2 += sm.1;
    let x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    h / scale
}

/// `math.hypot(*coordinates)`.
#[must_use]
pub fn hypot(coords: &[f64]) -> f64 {
    let mut v: Vec<f64> = coords.iter().map(|c| c.abs()).collect();
    let found_nan = v.iter().any(|x| x.is_nan());
    let max = v.iter().fold(0.0f64, |m, &x| if x > m { x } else { m });
    vector_norm(&mut v, max, found_nan)
}

/// `math.dist(p, q)`.
/// Error: `ValueError: both points must have the same number of dimensions`.
pub fn dist(p: &[f64], q: &[f64]) -> PyResult<f64> {
    if p.len() != q.len() {
        return Err(PyError::value(
            "both points must have the same number of dimensions",
        ));
    }
    let mut v: Vec<f64> = p.iter().zip(q).map(|(a, b)| (a - b).abs()).collect();
    let found_nan = v.iter().any(|x| x.is_nan());
    let max = v.iter().fold(0.0f64, |m, &x| if x > m { x } else { m });
    Ok(vector_norm(&mut v, max, found_nan))
}

/// `math.fsum(iterable)`: the correctly rounded sum.
/// Errors: `OverflowError: intermediate overflow in fsum`, `ValueError: -inf + inf in fsum`.
pub fn fsum(items: impl IntoIterator<Item = f64>) -> PyResult<f64> {
    let mut p: Vec<f64> = Vec::new();
    let mut special_sum = 0.0f64;
    let mut inf_sum = 0.0f64;
    for xsave in items {
        let mut x = xsave;
        let mut i = 0;
        for j in 0..p.len() {
            let mut y = p[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let yr = hi - x;
            let lo = y - yr;
            if lo != 0.0 {
                p[i] = lo;
                i += 1;
            }
            x = hi;
        }
        p.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                if xsave.is_finite() {
                    return Err(PyError::overflow("intermediate overflow in fsum"));
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special_sum += xsave;
                p.clear();
            } else {
                p.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if inf_sum.is_nan() {
            return Err(PyError::value("-inf + inf in fsum"));
        }
        return Ok(special_sum);
    }
    let mut n = p.len();
    let mut hi = 0.0f64;
    if n > 0 {
        n -= 1;
        hi = p[n];
        let mut lo = 0.0f64;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

fn product_range(lo: u64, hi: u64) -> BigInt {
    // Product of lo..=hi by binary splitting (balanced multiplications are much faster).
    if lo > hi {
        return BigInt::one();
    }
    if hi - lo < 16 {
        let mut acc = BigInt::from(lo);
        for k in lo + 1..=hi {
            acc *= k;
        }
        return acc;
    }
    let mid = lo + (hi - lo) / 2;
    product_range(lo, mid) * product_range(mid + 1, hi)
}

/// `math.factorial(n)`.
/// Errors: `ValueError: factorial() not defined for negative values`,
/// `OverflowError: factorial() argument should not exceed 9223372036854775807`.
pub fn factorial(n: &Int) -> PyResult<Int> {
    let n = match n {
        Int::Small(v) => *v,
        Int::Big(b) => {
            if b.is_negative() {
                return Err(PyError::value(
                    "factorial() not defined for negative values",
                ));
            }
            return Err(PyError::overflow(
                "factorial() argument should not exceed 9223372036854775807",
            ));
        }
    };
    if n < 0 {
        return Err(PyError::value(
            "factorial() not defined for negative values",
        ));
    }
    Ok(Int::from_big(product_range(1, n as u64)))
}

/// `math.gcd(*integers)` (0 for no arguments; always non-negative).
#[must_use]
pub fn gcd(args: &[Int]) -> Int {
    let mut g = BigInt::zero();
    for a in args {
        g = g.gcd(&a.to_big());
    }
    Int::from_big(g)
}

/// `math.lcm(*integers)` (1 for no arguments; 0 if any argument is 0).
#[must_use]
pub fn lcm(args: &[Int]) -> Int {
    let mut l = BigInt::one();
    for a in args {
        let b = a.to_big();
        if b.is_zero() {
            return Int::Small(0);
        }
        l = l.lcm(&b);
    }
    Int::from_big(l.abs())
}

/// `math.isqrt(n)`. Error: `ValueError: isqrt() argument must be nonnegative`.
pub fn isqrt(n: &Int) -> PyResult<Int> {
    let b = n.to_big();
    if b.is_negative() {
        return Err(PyError::value("isqrt() argument must be nonnegative"));
    }
    Ok(Int::from_big(b.sqrt()))
}

/// `math.comb(n, k)`.
pub fn comb(n: &Int, k: &Int) -> PyResult<Int> {
    let (n, k) = (n.to_big(), k.to_big());
    if n.is_negative() {
        return Err(PyError::value("n must be a non-negative integer"));
    }
    if k.is_negative() {
        return Err(PyError::value("k must be a non-negative integer"));
    }
    if k > n {
        return Ok(Int::Small(0));
    }
    let k = std::cmp::min(k.clone(), &n - &k);
    let k = k
        .to_u64()
        .ok_or_else(|| PyError::overflow(format!("min(n - k, k) must not exceed {}", i64::MAX)))?;
    let mut acc = BigInt::one();
    for i in 0..k {
        acc = acc * (&n - i) / (i + 1);
    }
    Ok(Int::from_big(acc))
}

/// `math.perm(n, k=None)`.
pub fn perm(n: &Int, k: Option<&Int>) -> PyResult<Int> {
    let Some(k) = k else { return factorial(n) };
    let (nb, kb) = (n.to_big(), k.to_big());
    if nb.is_negative() {
        return Err(PyError::value("n must be a non-negative integer"));
    }
    if kb.is_negative() {
        return Err(PyError::value("k must be a non-negative integer"));
    }
    if kb > nb {
        return Ok(Int::Small(0));
    }
    let k = kb
        .to_u64()
        .ok_or_else(|| PyError::overflow(format!("k must not exceed {}", i64::MAX)))?;
    let mut acc = BigInt::one();
    for i in 0..k {
        acc *= &nb - i;
    }
    Ok(Int::from_big(acc))
}
