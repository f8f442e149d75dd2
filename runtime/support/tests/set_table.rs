//! Set slot order against CPython 3.13 (`tests/data/sets.txt`): sequences of add, discard,
//! pop, update-from-set, copy and clear on sets of ints and strs, comparing iteration order.

mod common;

use common::{Mismatches, rows};
use num_bigint::BigInt;
use std::convert::Infallible;
use vigil_support::{self as vs, SetTable};

#[derive(Clone, PartialEq, Debug)]
enum K {
    I(BigInt),
    S(String),
}

fn key(t: &str) -> K {
    let (tag, rest) = t.split_at(1);
    if tag == "i" {
        K::I(rest.parse().unwrap())
    } else {
        K::S(rest.to_owned())
    }
}

fn hash(k: &K) -> i64 {
    match k {
        K::I(b) => vs::hash_big(b),
        K::S(s) => vs::hash_str(s),
    }
}

fn text(k: &K) -> String {
    match k {
        K::I(b) => format!("i{b}"),
        K::S(s) => format!("s{s}"),
    }
}

fn eq(a: &K, b: &K) -> Result<bool, Infallible> {
    Ok(a == b)
}

#[test]
fn set_order_matches() {
    let mut m = Mismatches::default();
    for r in rows("sets.txt") {
        let mut s: SetTable<K> = SetTable::new();
        let mut popped = Vec::new();
        for op in &r[2..] {
            let (o, arg) = op.split_once(':').unwrap();
            match o {
                "a" => {
                    let k = key(arg);
                    let h = hash(&k);
                    s.insert(k, h, eq).unwrap();
                }
                "d" => {
                    let k = key(arg);
                    s.remove(&k, hash(&k), eq).unwrap();
                }
                "p" => popped.push(text(&s.pop().unwrap())),
                "m" => {
                    let mut other = SetTable::new();
                    for t in arg.split(',').filter(|t| !t.is_empty()) {
                        let k = key(t);
                        let h = hash(&k);
                        other.insert(k, h, eq).unwrap();
                    }
                    s.merge(&other, eq).unwrap();
                }
                "c" => {
                    let mut copy = SetTable::new();
                    copy.merge(&s, eq).unwrap();
                    s = copy;
                }
                _ => s.clear(),
            }
        }
        let order: Vec<String> = s.iter().map(|(k, _)| text(k)).collect();
        m.check(|| format!("ops {:?}", &r[2..]), &order.join(" "), &r[0]);
        m.check(|| format!("pops {:?}", &r[2..]), &popped.join(" "), &r[1]);
    }
    m.finish("sets");
}

fn build(vals: &str, drops: &str) -> SetTable<K> {
    let mut s = SetTable::new();
    for t in vals.split(',').filter(|t| !t.is_empty()) {
        let k = key(t);
        let h = hash(&k);
        s.insert(k, h, eq).unwrap();
    }
    for t in drops.split(',').filter(|t| !t.is_empty()) {
        let k = key(t);
        s.remove(&k, hash(&k), eq).unwrap();
    }
    s
}

#[test]
fn set_algebra_matches() {
    let mut m = Mismatches::default();
    for r in rows("setops.txt") {
        let ops = [
            "or", "and", "sub", "xor", "ior", "iand", "isub", "ixor", "le",
        ];
        for (i, op) in ops.iter().enumerate() {
            let (mut a, b) = (build(&r[0], &r[1]), build(&r[2], &r[3]));
            let mut res = match *op {
                "or" => a.union(&b, eq).unwrap(),
                "and" => a.intersection(&b, eq).unwrap(),
                "sub" => a.difference(&b, eq).unwrap(),
                "xor" => a.symmetric_difference(&b, eq).unwrap(),
                "ior" => {
                    a.merge(&b, eq).unwrap();
                    a
                }
                "iand" => {
                    a.intersection_update(&b, eq).unwrap();
                    a
                }
                "isub" => {
                    a.difference_update(&b, eq).unwrap();
                    a
                }
                "ixor" => {
                    a.symmetric_difference_update(&b, eq).unwrap();
                    a
                }
                _ => {
                    let got = if a.is_subset(&b, eq).unwrap() {
                        "True"
                    } else {
                        "False"
                    };
                    m.check(|| format!("le {:?}", &r[..4]), got, &r[4 + i]);
                    continue;
                }
            };
            for t in ["i-7", "snew"] {
                let k = key(t);
                let h = hash(&k);
                res.insert(k, h, eq).unwrap();
            }
            let order: Vec<String> = res.iter().map(|(k, _)| text(k)).collect();
            m.check(
                || format!("{op} {:?}", &r[..4]),
                &order.join(" "),
                &r[4 + i],
            );
        }
    }
    m.finish("set algebra");
}
