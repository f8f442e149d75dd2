//! `random` sequences against CPython 3.13 for int, str, bytes and float seeds
//! (`tests/data/random.txt`, from `scripts/gen_testdata.py`).

mod common;

use common::{Mismatches, err_text, fbits, rows, unesc};
use num_bigint::BigInt;
use vigil_support::{self as vs, Int, Random};

fn int_text(i: &Int) -> String {
    match i {
        Int::Small(v) => v.to_string(),
        Int::Big(b) => b.to_string(),
    }
}

fn fh(x: f64) -> String {
    format!("{:016x}", x.to_bits())
}

fn seeded(kind: &str, s: &str) -> Random {
    let mut r = Random::from_int(&BigInt::from(0));
    match kind {
        "i" => r.seed_int(&s.parse().unwrap()),
        "s" => r.seed_bytes(unesc(s).as_bytes()),
        "b" => {
            let b: Vec<u8> = (0..s.len() / 2)
                .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            r.seed_bytes(&b);
        }
        _ => r.seed_hash(vs::hash_f64(fbits(s), 0)),
    }
    r
}

fn join(v: impl IntoIterator<Item = String>) -> String {
    v.into_iter().collect::<Vec<_>>().join(" ")
}

fn small(v: i64) -> Int {
    Int::Small(v)
}

#[test]
fn random_matches() {
    let mut m = Mismatches::default();
    for row in rows("random.txt") {
        let mut r = seeded(&row[0], &row[1]);
        let name = row[2].as_str();
        let got = match name {
            "random" => join((0..30).map(|_| fh(r.random()))),
            "getrandbits" => join(
                [0, 1, 5, 31, 32, 33, 63, 64, 65, 100, 200, 7]
                    .map(|k| int_text(&r.getrandbits(k).unwrap())),
            ),
            "randrange" => {
                let mut out = Vec::new();
                let big70 = Int::from_big(BigInt::from(1) << 70u32);
                let big64 = Int::from_big(BigInt::from(1) << 64u32);
                for _ in 0..10 {
                    out.push(r.randrange(&small(10), None, None).unwrap());
                }
                for _ in 0..5 {
                    out.push(r.randrange(&small(5), Some(&big70), None).unwrap());
                }
                for _ in 0..5 {
                    out.push(
                        r.randrange(&small(-10), Some(&small(10)), Some(&small(3)))
                            .unwrap(),
                    );
                }
                for _ in 0..5 {
                    out.push(
                        r.randrange(&small(10), Some(&small(-10)), Some(&small(-4)))
                            .unwrap(),
                    );
                }
                for _ in 0..3 {
                    out.push(r.randrange(&big64, None, None).unwrap());
                }
                for _ in 0..2 {
                    out.push(r.randrange(&small(1), None, None).unwrap());
                }
                join(out.iter().map(int_text))
            }
            "randint" => join((0..40).map(|_| int_text(&r.randint(&small(1), &small(6)).unwrap()))),
            "choice" => join(
                [1usize, 2, 3, 7, 10, 100, 1000, 1 << 31, 1 << 33, 5]
                    .map(|n| r.choice_index(n).unwrap().to_string()),
            ),
            "shuffle" => {
                let mut v: Vec<usize> = (0..25).collect();
                r.shuffle(&mut v);
                join(v.iter().map(ToString::to_string))
            }
            "uniform" => join((0..10).map(|_| fh(r.uniform(-3.0, 7.5)))),
            "sample" => {
                let mut v = r.sample_indices(30, 10).unwrap();
                v.extend(r.sample_indices(1000, 12).unwrap());
                v.extend(r.sample_indices(5, 5).unwrap());
                join(v.iter().map(ToString::to_string))
            }
            "gauss" => join((0..11).map(|_| fh(r.gauss(1.0, 2.0)))),
            "normalvariate" => join((0..11).map(|_| fh(r.normalvariate(0.0, 1.0)))),
            "randrange0" => show(r.randrange(&small(0), None, None)),
            "randrange55" => show(r.randrange(&small(5), Some(&small(5)), None)),
            "randrange_step0" => show(r.randrange(&small(1), Some(&small(5)), Some(&small(0)))),
            "randrange_empty_step" => {
                show(r.randrange(&small(5), Some(&small(1)), Some(&small(2))))
            }
            "randrange_nostop" => show(r.randrange(&small(5), None, Some(&small(2)))),
            "getrandbits_neg" => show(r.getrandbits(-1)),
            "choice_empty" => r
                .choice_index(0)
                .map_or_else(|e| err_text(&e), |v| v.to_string()),
            "sample_big" => r
                .sample_indices(3, 4)
                .map_or_else(|e| err_text(&e), |v| format!("{v:?}")),
            other => panic!("unknown case {other}"),
        };
        m.check(
            || format!("{name} seed {} {}", row[0], row[1]),
            &got,
            &row[3],
        );
    }
    m.finish("random");
}

fn show(r: vs::PyResult<Int>) -> String {
    r.map_or_else(|e| err_text(&e), |v| int_text(&v))
}
