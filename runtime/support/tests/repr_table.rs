//! str/bytes repr, ascii() and isprintable against CPython 3.13 (`tests/data/repr.txt`).

mod common;

use common::{Mismatches, rows, unesc};
use vigil_support as vs;

#[test]
fn repr_matches() {
    let mut m = Mismatches::default();
    for r in rows("repr.txt") {
        if r[0] == "str" {
            let s = unesc(&r[1]);
            m.check(|| format!("repr {s:?}"), &vs::str_repr(&s), &unesc(&r[2]));
            m.check(|| format!("ascii {s:?}"), &vs::str_ascii(&s), &unesc(&r[3]));
            let p: String = s
                .chars()
                .map(|c| if vs::is_printable(c) { '1' } else { '0' })
                .collect();
            m.check(|| format!("isprintable {s:?}"), &p, &r[4]);
        } else {
            let b: Vec<u8> = (0..r[1].len() / 2)
                .map(|i| u8::from_str_radix(&r[1][2 * i..2 * i + 2], 16).unwrap())
                .collect();
            m.check(
                || format!("bytes {:?}", r[1]),
                &vs::bytes_repr(&b),
                &unesc(&r[2]),
            );
        }
    }
    m.finish("repr");
}
