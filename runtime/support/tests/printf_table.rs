//! `%` formatting against CPython 3.13 (`tests/data/printf.txt`, from
//! `scripts/gen_testdata.py`), through a small value model implementing `PercentArgs`.

mod common;

use common::{Mismatches, err_text, fbits, rows, unesc};
use num_bigint::BigInt;
use vigil_support as vs;

#[derive(Clone, Debug)]
enum TV {
    Int(vs::Int),
    Bool(bool),
    Float(f64),
    Str(String),
    None,
    List(String),
}

fn dec(s: &str) -> TV {
    let (tag, rest) = s.split_at(1);
    match tag {
        "i" => {
            let (neg, hex) = match rest.strip_prefix('-') {
                Some(h) => (true, h),
                None => (false, rest),
            };
            let mut b = BigInt::parse_bytes(hex.as_bytes(), 16).expect("hex int");
            if neg {
                b = -b;
            }
            TV::Int(vs::Int::from_big(b))
        }
        "b" => TV::Bool(rest == "1"),
        "f" => TV::Float(fbits(rest)),
        "s" => TV::Str(unesc(rest)),
        "n" => TV::None,
        _ => TV::List(unesc(rest)),
    }
}

struct Args {
    kind: String,
    items: Vec<TV>,
    map: Vec<(String, TV)>,
}

impl vs::PercentArgs for Args {
    type Value = TV;
    fn tuple_len(&self) -> Option<usize> {
        (self.kind == "T").then_some(self.items.len())
    }
    fn tuple_item(&mut self, i: usize) -> TV {
        self.items[i].clone()
    }
    fn whole(&mut self) -> TV {
        if self.kind == "M" {
            // str() of the dict operand: the generator only uses {'a': 1} this way.
            return TV::List("{'a': 1}".into());
        }
        self.items[0].clone()
    }
    fn is_mapping(&self) -> bool {
        self.kind == "M"
    }
    fn get_item(&mut self, key: &str) -> vs::PyResult<TV> {
        self.map
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| vs::PyError::new(vs::ExcKind::KeyError, vs::str_repr(key)))
    }
    fn str(&mut self, v: &TV) -> vs::PyResult<String> {
        Ok(match v {
            TV::Int(i) => match i {
                vs::Int::Small(x) => x.to_string(),
                vs::Int::Big(b) => vs::big_to_decimal(b)?,
            },
            TV::Bool(b) => if *b { "True" } else { "False" }.into(),
            TV::Float(f) => vs::float_repr(*f),
            TV::Str(s) => s.clone(),
            TV::None => "None".into(),
            TV::List(r) => r.clone(),
        })
    }
    fn repr(&mut self, v: &TV) -> vs::PyResult<String> {
        match v {
            TV::Str(s) => Ok(vs::str_repr(s)),
            other => self.str(other),
        }
    }
    fn to_int(&mut self, v: &TV, index_only: bool) -> vs::PyResult<Option<vs::Int>> {
        Ok(match v {
            TV::Int(i) => Some(i.clone()),
            TV::Bool(b) => Some(vs::Int::Small(i64::from(*b))),
            TV::Float(f) if !index_only => Some(vs::f64_to_int(*f)?),
            _ => None,
        })
    }
    fn to_float(&mut self, v: &TV) -> vs::PyResult<Option<f64>> {
        Ok(match v {
            TV::Int(vs::Int::Small(x)) => Some(*x as f64),
            TV::Int(vs::Int::Big(b)) => Some(vs::big_to_f64(b)?),
            TV::Bool(b) => Some(f64::from(u8::from(*b))),
            TV::Float(f) => Some(*f),
            _ => None,
        })
    }
    fn as_str(&mut self, v: &TV) -> Option<String> {
        match v {
            TV::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn type_name(&mut self, v: &TV) -> String {
        match v {
            TV::Int(_) => "int",
            TV::Bool(_) => "bool",
            TV::Float(_) => "float",
            TV::Str(_) => "str",
            TV::None => "NoneType",
            TV::List(_) => "list",
        }
        .into()
    }
}

#[test]
fn printf_matches() {
    let mut m = Mismatches::default();
    for r in rows("printf.txt") {
        let fmt = unesc(&r[0]);
        let want = unesc(&r[1]);
        let kind = r[2].clone();
        let mut args = Args {
            kind: kind.clone(),
            items: Vec::new(),
            map: Vec::new(),
        };
        if kind == "M" {
            for kv in r[3..].chunks(2) {
                args.map.push((unesc(&kv[0]), dec(&kv[1])));
            }
        } else {
            args.items = r[3..].iter().map(|s| dec(s)).collect();
        }
        let got = match vs::percent_format(&fmt, &mut args) {
            Ok(s) => s,
            Err(e) => err_text(&e),
        };
        m.check(|| format!("{fmt:?} % {kind}{:?}", &r[3..]), &got, &want);
    }
    m.finish("printf");
}
