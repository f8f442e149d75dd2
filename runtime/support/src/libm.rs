//! Direct bindings to the platform C math library, the same functions CPython's `math`
//! module calls. Rust's own `f64::cbrt`, `asinh`, `acosh`, `atanh` are computed differently
//! and disagree with glibc in the last bit, so every transcendental goes through here. These
//! are plain pure functions on doubles, declared `safe`; nothing else lives in this file.
//!
//! Rust's `compiler_builtins` statically defines its own `cbrt`, `erf` and `erfc` (and
//! `fmod`), which win over libm at link time; those three are therefore looked up in
//! `libm.so.6` at run time, falling back to a pure-Rust answer (possibly 1 ulp off CPython)
//! when that library cannot be opened.

#![allow(unsafe_code)]

// On Linux, std already links libm, so no extra link directive is needed.
unsafe extern "C" {
    pub(crate) safe fn exp(x: f64) -> f64;
    pub(crate) safe fn exp2(x: f64) -> f64;
    pub(crate) safe fn expm1(x: f64) -> f64;
    pub(crate) safe fn log(x: f64) -> f64;
    pub(crate) safe fn log2(x: f64) -> f64;
    pub(crate) safe fn log10(x: f64) -> f64;
    pub(crate) safe fn log1p(x: f64) -> f64;
    pub(crate) safe fn sin(x: f64) -> f64;
    pub(crate) safe fn cos(x: f64) -> f64;
    pub(crate) safe fn tan(x: f64) -> f64;
    pub(crate) safe fn asin(x: f64) -> f64;
    pub(crate) safe fn acos(x: f64) -> f64;
    pub(crate) safe fn atan(x: f64) -> f64;
    pub(crate) safe fn atan2(y: f64, x: f64) -> f64;
    pub(crate) safe fn sinh(x: f64) -> f64;
    pub(crate) safe fn cosh(x: f64) -> f64;
    pub(crate) safe fn tanh(x: f64) -> f64;
    pub(crate) safe fn asinh(x: f64) -> f64;
    pub(crate) safe fn acosh(x: f64) -> f64;
    pub(crate) safe fn atanh(x: f64) -> f64;
    pub(crate) safe fn pow(x: f64, y: f64) -> f64;
}

type Unary = unsafe extern "C" fn(f64) -> f64;

struct Shadowed {
    cbrt: Unary,
    erf: Unary,
    erfc: Unary,
}

fn shadowed() -> Option<&'static Shadowed> {
    static CELL: std::sync::OnceLock<Option<Shadowed>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        // SAFETY: libm's initialisers have no preconditions; the library is leaked so the
        // function pointers stay valid for the life of the process.
        let lib = unsafe { libloading::Library::new("libm.so.6") }.ok()?;
        let lib: &'static libloading::Library = Box::leak(Box::new(lib));
        // SAFETY: these symbols are C functions of type double(double) in every libm.
        unsafe {
            Some(Shadowed {
                cbrt: *lib.get::<Unary>(b"cbrt\0").ok()?,
                erf: *lib.get::<Unary>(b"erf\0").ok()?,
                erfc: *lib.get::<Unary>(b"erfc\0").ok()?,
            })
        }
    })
    .as_ref()
}

/// libm's `cbrt`.
pub(crate) fn cbrt(x: f64) -> f64 {
    match shadowed() {
        // SAFETY: a pure C math function taking and returning a double.
        Some(s) => unsafe { (s.cbrt)(x) },
        None => x.cbrt(),
    }
}

/// libm's `erf`.
pub(crate) fn erf(x: f64) -> f64 {
    match shadowed() {
        // SAFETY: as above.
        Some(s) => unsafe { (s.erf)(x) },
        None => erf_fallback(x),
    }
}

/// libm's `erfc`.
pub(crate) fn erfc(x: f64) -> f64 {
    match shadowed() {
        // SAFETY: as above.
        Some(s) => unsafe { (s.erfc)(x) },
        None => 1.0 - erf_fallback(x),
    }
}

/// Series/continued-fraction erf used only when libm cannot be loaded (not bit-exact).
fn erf_fallback(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let a = x.abs();
    let r = if a < 2.5 {
        // Maclaurin series: 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)).
        let mut term = a;
        let mut sum = a;
        let x2 = a * a;
        for n in 1..200 {
            term *= -x2 / f64::from(n);
            let add = term / f64::from(2 * n + 1);
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    } else if a < 6.0 {
        // Continued fraction for erfc.
        let mut f = 0.0;
        for k in (1..60).rev() {
            f = f64::from(k) / 2.0 / (a + f);
        }
        1.0 - (-a * a).exp() / std::f64::consts::PI.sqrt() / (a + f)
    } else {
        1.0
    };
    r.copysign(x)
}
