//! `math` functions against CPython 3.13 (`tests/data/math.txt`, from
//! `scripts/gen_testdata.py`).

mod common;

use common::{Mismatches, err_text, fbits, rows};
use vigil_support::math::{self, Real};
use vigil_support::{Int, PyResult};

fn fh(x: f64) -> String {
    format!("{:016x}", x.to_bits())
}

fn it(i: &Int) -> String {
    match i {
        Int::Small(v) => v.to_string(),
        Int::Big(b) => b.to_string(),
    }
}

fn int(s: &str) -> Int {
    Int::from_big(s.parse().unwrap())
}

fn fl(r: PyResult<f64>) -> String {
    r.map_or_else(|e| err_text(&e), fh)
}

fn il(r: PyResult<Int>) -> String {
    r.map_or_else(|e| err_text(&e), |v| it(&v))
}

fn b(v: bool) -> String {
    if v { "True" } else { "False" }.into()
}

fn floats(s: &str) -> Vec<f64> {
    s.split(' ').filter(|t| !t.is_empty()).map(fbits).collect()
}

fn ints(s: &str) -> Vec<Int> {
    s.split(' ').filter(|t| !t.is_empty()).map(int).collect()
}

#[test]
fn math_matches() {
    let mut m = Mismatches::default();
    for r in rows("math.txt") {
        let name = r[0].as_str();
        let want = r.last().unwrap().clone();
        let a = || fbits(&r[1]);
        let bb = || fbits(&r[2]);
        let got = match name {
            "sqrt" => fl(math::sqrt(a())),
            "exp" => fl(math::exp(a())),
            "exp2" => fl(math::exp2(a())),
            "expm1" => fl(math::expm1(a())),
            "sin" => fl(math::sin(a())),
            "cos" => fl(math::cos(a())),
            "tan" => fl(math::tan(a())),
            "asin" => fl(math::asin(a())),
            "acos" => fl(math::acos(a())),
            "atan" => fl(math::atan(a())),
            "sinh" => fl(math::sinh(a())),
            "cosh" => fl(math::cosh(a())),
            "tanh" => fl(math::tanh(a())),
            "asinh" => fl(math::asinh(a())),
            "acosh" => fl(math::acosh(a())),
            "atanh" => fl(math::atanh(a())),
            "cbrt" => fl(math::cbrt(a())),
            "erf" => fl(math::erf(a())),
            "erfc" => fl(math::erfc(a())),
            "fabs" => fl(math::fabs(a())),
            "log1p" => fl(math::log1p(a())),
            "degrees" => fh(math::degrees(a())),
            "radians" => fh(math::radians(a())),
            "floor" => il(math::floor(a())),
            "ceil" => il(math::ceil(a())),
            "trunc" => il(math::trunc(a())),
            "log" => fl(math::log(&Real::Float(a()), None)),
            "log2" => fl(math::log2(&Real::Float(a()))),
            "log10" => fl(math::log10(&Real::Float(a()))),
            "isfinite" => b(math::isfinite(a())),
            "isinf" => b(math::isinf(a())),
            "isnan" => b(math::isnan(a())),
            "modf" => {
                let (f, i) = math::modf(a());
                format!("{} {}", fh(f), fh(i))
            }
            "frexp" => {
                let (f, e) = math::frexp(a());
                format!("{} {e}", fh(f))
            }
            "ulp" => fh(math::ulp(a())),
            "pow" => fl(math::pow(a(), bb())),
            "fmod" => fl(math::fmod(a(), bb())),
            "atan2" => fh(math::atan2(a(), bb())),
            "copysign" => fh(math::copysign(a(), bb())),
            "nextafter" => fh(math::nextafter(a(), bb())),
            "logb" => fl(math::log(&Real::Float(a()), Some(&Real::Float(bb())))),
            "isclose" => math::isclose(a(), bb(), 1e-9, 0.0).map_or_else(|e| err_text(&e), b),
            "ldexp" => fl(math::ldexp(a(), &int(&r[2]))),
            "ilog" => fl(math::log(&Real::Int(int(&r[1])), None)),
            "ilog2" => fl(math::log2(&Real::Int(int(&r[1])))),
            "ilog10" => fl(math::log10(&Real::Int(int(&r[1])))),
            "ilogb" => fl(math::log(
                &Real::Int(int(&r[1])),
                Some(&Real::Int(Int::Small(10))),
            )),
            "hypot" => fh(math::hypot(&floats(&r[1]))),
            "dist" => fl(math::dist(&floats(&r[1]), &floats(&r[2]))),
            "fsum" => fl(math::fsum(floats(&r[1]))),
            "factorial" => il(math::factorial(&int(&r[1]))),
            "gcd" => it(&math::gcd(&ints(&r[1]))),
            "lcm" => it(&math::lcm(&ints(&r[1]))),
            "isqrt" => il(math::isqrt(&int(&r[1]))),
            "comb" => il(math::comb(&int(&r[1]), &int(&r[2]))),
            "perm" => il(math::perm(&int(&r[1]), Some(&int(&r[2])))),
            "perm1" => il(math::perm(&int(&r[1]), None)),
            other => panic!("unknown function {other}"),
        };
        m.check(|| format!("{name}{:?}", &r[1..r.len() - 1]), &got, &want);
    }
    m.finish("math");
}
