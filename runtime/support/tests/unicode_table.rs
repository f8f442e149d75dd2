//! Unicode-dependent str methods against CPython 3.13 (`tests/data/strmethods.txt`).

mod common;

use common::{Mismatches, rows, unesc};
use vigil_support::unicode as u;

fn b(v: bool) -> String {
    if v { "True" } else { "False" }.into()
}

#[test]
fn str_methods_match() {
    let mut m = Mismatches::default();
    let names = [
        "lower",
        "upper",
        "casefold",
        "swapcase",
        "title",
        "capitalize",
        "isupper",
        "islower",
        "istitle",
        "isidentifier",
        "isalpha",
        "isalnum",
        "isdecimal",
        "isdigit",
        "isnumeric",
        "isspace",
    ];
    for r in rows("strmethods.txt") {
        let s = unesc(&r[0]);
        for (i, name) in names.iter().enumerate() {
            let got = match *name {
                "lower" => u::str_lower(&s),
                "upper" => u::str_upper(&s),
                "casefold" => u::str_casefold(&s),
                "swapcase" => u::str_swapcase(&s),
                "title" => u::str_title(&s),
                "capitalize" => u::str_capitalize(&s),
                "isupper" => b(u::str_isupper(&s)),
                "islower" => b(u::str_islower(&s)),
                "istitle" => b(u::str_istitle(&s)),
                "isidentifier" => b(u::str_isidentifier(&s)),
                "isalpha" => b(u::str_isalpha(&s)),
                "isalnum" => b(u::str_isalnum(&s)),
                "isdecimal" => b(u::str_isdecimal(&s)),
                "isdigit" => b(u::str_isdigit(&s)),
                "isnumeric" => b(u::str_isnumeric(&s)),
                _ => b(u::str_isspace(&s)),
            };
            m.check(|| format!("{name}({s:?})"), &got, &unesc(&r[i + 1]));
        }
    }
    m.finish("str methods");
}
