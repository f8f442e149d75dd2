//! Shared reader for the CPython-generated case tables in `tests/data/` (format described in
//! `scripts/gen_testdata.py`). Test plumbing only.

#![allow(dead_code)]

use vigil_support::PyError;

/// Undoes the generator's escaping of backslash, TAB, CR and LF.
pub fn unesc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses a float written as 16 hex digits of its bits.
pub fn fbits(s: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(s, 16).expect("float bits"))
}

/// Renders an error the way the generator wrote it.
pub fn err_text(e: &PyError) -> String {
    format!("!{e}")
}

/// Reads a data file into rows of fields.
pub fn rows(name: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Collects mismatches and fails with the first few.
#[derive(Default)]
pub struct Mismatches {
    pub total: usize,
    pub bad: Vec<String>,
}

impl Mismatches {
    pub fn check(&mut self, what: impl FnOnce() -> String, got: &str, want: &str) {
        self.total += 1;
        if got != want {
            self.bad
                .push(format!("{}\n    got:  {got:?}\n    want: {want:?}", what()));
        }
    }
    pub fn finish(self, name: &str) {
        if !self.bad.is_empty() {
            // Show a few of each kind (the text before the first '(').
            let mut per_kind = std::collections::HashMap::new();
            let shown: Vec<_> = self
                .bad
                .iter()
                .filter(|b| {
                    let k = b.split('(').next().unwrap_or("").to_owned();
                    let n = per_kind.entry(k).or_insert(0);
                    *n += 1;
                    *n <= 3
                })
                .take(60)
                .cloned()
                .collect();
            panic!(
                "{name}: {} of {} cases differ from CPython 3.13:\n{}",
                self.bad.len(),
                self.total,
                shown.join("\n")
            );
        }
        assert!(self.total > 0, "{name}: no cases read");
    }
}
