//! float.hex/fromhex/is_integer, float divmod, bin/oct/hex, int.bit_length and int divmod
//! against CPython 3.13 (`tests/data/misc.txt`).

mod common;

use common::{Mismatches, err_text, fbits, rows, unesc};
use vigil_support::{self as vs, Int};

fn fh(x: f64) -> String {
    format!("{:016x}", x.to_bits())
}

fn it(i: &Int) -> String {
    match i {
        Int::Small(v) => v.to_string(),
        Int::Big(b) => b.to_string(),
    }
}

#[test]
fn misc_matches() {
    let mut m = Mismatches::default();
    for r in rows("misc.txt") {
        let int = || Int::from_big(r[1].parse().unwrap());
        if r[0] == "to_bytes" || r[0] == "from_bytes" {
            let opts: Vec<&str> = r[2].split(' ').collect();
            let got = if r[0] == "to_bytes" {
                vs::int_to_bytes(
                    &int(),
                    opts[0].parse().unwrap(),
                    opts[1] == "big",
                    opts[2] == "True",
                )
                .map_or_else(
                    |e| err_text(&e),
                    |b| b.iter().map(|x| format!("{x:02x}")).collect(),
                )
            } else {
                let b: Vec<u8> = (0..r[1].len() / 2)
                    .map(|i| u8::from_str_radix(&r[1][2 * i..2 * i + 2], 16).unwrap())
                    .collect();
                it(&vs::int_from_bytes(&b, opts[0] == "big", opts[1] == "True"))
            };
            m.check(|| format!("{}({}, {})", r[0], r[1], r[2]), &got, &r[3]);
            continue;
        }
        let got = match r[0].as_str() {
            "as_integer_ratio" => vs::f64_as_integer_ratio(fbits(&r[1]))
                .map_or_else(|e| err_text(&e), |(n, d)| format!("{} {}", it(&n), it(&d))),
            "cmp" => {
                let n = Int::from_big(r[1].parse().unwrap());
                let got = match vs::cmp_int_float(&n, fbits(&r[2])) {
                    Some(std::cmp::Ordering::Less) => "lt",
                    Some(std::cmp::Ordering::Greater) => "gt",
                    Some(std::cmp::Ordering::Equal) => "eq",
                    None => "un",
                };
                m.check(|| format!("cmp({}, {})", r[1], r[2]), got, &r[3]);
                continue;
            }
            "hex" => vs::f64_hex(fbits(&r[1])),
            "is_integer" => if vs::f64_is_integer(fbits(&r[1])) {
                "True"
            } else {
                "False"
            }
            .into(),
            "fromhex" => vs::f64_fromhex(&unesc(&r[1])).map_or_else(|e| err_text(&e), fh),
            "divmod_f" => vs::divmod_f64(fbits(&r[1]), 3.5)
                .map_or_else(|e| err_text(&e), |(q, m)| format!("{} {}", fh(q), fh(m))),
            "bin" => vs::int_to_prefixed(&int(), 2),
            "oct" => vs::int_to_prefixed(&int(), 8),
            "hex_int" => vs::int_to_prefixed(&int(), 16),
            "bit_length" => match int() {
                Int::Small(v) => vs::bit_length_i64(v).to_string(),
                Int::Big(b) => vs::bit_length_big(&b).to_string(),
            },
            "divmod_i" => match int() {
                Int::Small(v) => vs::divmod_i64(v, -7)
                    .map_or_else(|e| err_text(&e), |(q, m)| format!("{} {m}", it(&q))),
                Int::Big(b) => vs::divmod_big(&b, &(-7).into())
                    .map_or_else(|e| err_text(&e), |(q, m)| format!("{q} {m}")),
            },
            other => panic!("unknown case {other}"),
        };
        m.check(|| format!("{}({})", r[0], r[1]), &got, &r[2]);
    }
    m.finish("misc");
}
