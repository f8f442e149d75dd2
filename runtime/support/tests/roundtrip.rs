//! Self-consistency properties that hold in CPython and must hold here, over pseudo-random
//! inputs: float repr round-trips through float(), int text round-trips through int() in
//! every base, and `format(x, '.17g')` parses back to x. (These complement the CPython
//! tables; they check invariants, not outputs.)

use vigil_support as vs;

/// SplitMix64: deterministic, dependency-free test input generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[test]
fn float_repr_round_trips() {
    let mut r = Rng(1);
    for _ in 0..200_000 {
        let x = f64::from_bits(r.next());
        if x.is_nan() {
            continue;
        }
        let s = vs::float_repr(x);
        let back = vs::parse_float(&s).unwrap();
        assert_eq!(back.to_bits(), x.to_bits(), "{s}");
        let g = vs::format_f64(x, ".17g", "float").unwrap();
        assert_eq!(vs::parse_float(&g).unwrap().to_bits(), x.to_bits(), "{g}");
    }
}

#[test]
fn int_text_round_trips() {
    let mut r = Rng(2);
    for _ in 0..20_000 {
        let v = r.next() as i64 >> (r.next() % 64);
        for (radix, spec) in [(2, "b"), (8, "o"), (10, "d"), (16, "x")] {
            let s = vs::format_i64(v, spec, "int").unwrap();
            assert_eq!(vs::parse_int(&s, radix).unwrap(), vs::Int::Small(v), "{s}");
            let p = vs::int_to_prefixed(&vs::Int::Small(v), radix);
            assert_eq!(vs::parse_int(&p, 0).unwrap(), vs::Int::Small(v), "{p}");
        }
    }
}

#[test]
fn floor_division_identity() {
    let mut r = Rng(3);
    for _ in 0..100_000 {
        let a = r.next() as i64 >> (r.next() % 64);
        let b = r.next() as i64 >> (r.next() % 64);
        if b == 0 {
            continue;
        }
        let (q, m) = vs::divmod_i64(a, b).unwrap();
        let q = q.to_big();
        assert_eq!(q * b + m, a.into(), "{a} {b}");
        assert!(m == 0 || (m < 0) == (b < 0), "{a} % {b} = {m}");
    }
}
