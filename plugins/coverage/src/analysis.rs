//! From recorded events to per-file results: statements (every line in the line table of
//! every code object of the file), executed and missing lines, branch arcs by line, functions,
//! and the summary numbers and formatting rules coverage.py uses (percentages that never show
//! 0 or 100 unless exact, `Missing` ranges that coalesce consecutive statements, `a->b` for
//! partial branches).
//!
//! Branch arcs are line pairs `(from, to)`, `to = -1` for a destination with no line (an exit).
//! A line is a branch line when its conditional branches can go to at least two distinct
//! lines. Without the host's branch table (`code_branches`), only the arcs seen can be known,
//! so nothing is reported missing for them. This module writes no files.

use std::collections::{BTreeMap, BTreeSet};

use crate::collect::Collector;

/// A function (or other non-module code object) of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// `co_qualname`.
    pub name: String,
    /// `co_firstlineno`.
    pub first_line: u32,
    /// The last line in its line table.
    pub last_line: u32,
    /// Whether any of its own lines (besides the `def` line) ran.
    pub hit: bool,
}

/// The results for one file.
#[derive(Clone, Debug, Default)]
pub struct FileCoverage {
    /// `co_filename`.
    pub path: String,
    /// The name reports show: relative to the current directory when under it.
    pub name: String,
    /// Executable lines.
    pub statements: BTreeSet<u32>,
    /// Lines that ran.
    pub executed: BTreeSet<u32>,
    /// Statements that did not run.
    pub missing: BTreeSet<u32>,
    /// Branch lines → destination line → taken.
    pub arcs: BTreeMap<u32, BTreeMap<i64, bool>>,
    /// Functions, in source order.
    pub functions: Vec<Function>,
}

/// Summary numbers, for a file or the total.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Numbers {
    /// Statements.
    pub statements: usize,
    /// Statements that ran.
    pub executed: usize,
    /// Branch arcs.
    pub branches: usize,
    /// Branch arcs taken.
    pub taken: usize,
    /// Branch lines that ran with some arc not taken.
    pub partial: usize,
}

impl Numbers {
    /// Statements that did not run.
    pub fn missing(&self) -> usize {
        self.statements - self.executed
    }

    /// Arcs not taken.
    pub fn missing_branches(&self) -> usize {
        self.branches - self.taken
    }

    /// coverage.py's `pc_covered`: lines and arcs together.
    pub fn percent(&self) -> f64 {
        let den = self.statements + self.branches;
        if den == 0 {
            100.0
        } else {
            100.0 * (self.executed + self.taken) as f64 / den as f64
        }
    }

    /// Statements only.
    pub fn percent_statements(&self) -> f64 {
        ratio(self.executed, self.statements)
    }

    /// Arcs only.
    pub fn percent_branches(&self) -> f64 {
        ratio(self.taken, self.branches)
    }

    /// Adds another file's numbers.
    pub fn add(&mut self, o: &Numbers) {
        self.statements += o.statements;
        self.executed += o.executed;
        self.branches += o.branches;
        self.taken += o.taken;
        self.partial += o.partial;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl FileCoverage {
    /// The file's numbers.
    pub fn numbers(&self) -> Numbers {
        let mut n = Numbers {
            statements: self.statements.len(),
            executed: self.statements.len() - self.missing.len(),
            ..Numbers::default()
        };
        for (line, dests) in &self.arcs {
            let taken = dests.values().filter(|&&t| t).count();
            n.branches += dests.len();
            n.taken += taken;
            if taken < dests.len() && self.executed.contains(line) {
                n.partial += 1;
            }
        }
        n
    }

    /// Arcs not taken from lines that ran, by line (what the `Missing` column and Cobertura's
    /// `missing-branches` show).
    pub fn missing_arcs(&self) -> BTreeMap<u32, Vec<i64>> {
        let mut m = BTreeMap::new();
        for (line, dests) in &self.arcs {
            let missing: Vec<i64> = dests
                .iter()
                .filter(|(_, t)| !**t)
                .map(|(d, _)| *d)
                .collect();
            if !missing.is_empty() && self.executed.contains(line) {
                m.insert(*line, missing);
            }
        }
        m
    }

    /// The `Missing` column.
    pub fn missing_formatted(&self, branch: bool) -> String {
        let arcs = if branch {
            self.missing_arcs()
        } else {
            BTreeMap::new()
        };
        format_lines(&self.statements, &self.missing, &arcs)
    }
}

/// Builds every file's results from what the collector saw. `cwd` makes names relative.
pub fn analyse(c: &Collector, cwd: Option<&str>) -> Vec<FileCoverage> {
    let mut out = Vec::new();
    for f in &c.files {
        let mut fc = FileCoverage {
            path: f.path.clone(),
            name: display_name(&f.path, cwd),
            ..FileCoverage::default()
        };
        for h in &f.codes {
            let rec = &c.codes[h];
            let own: BTreeSet<u32> = rec
                .desc
                .lines
                .iter()
                .filter_map(|e| u32::try_from(e.line).ok())
                .filter(|&l| l > 0)
                .collect();
            fc.statements.extend(&own);
            if rec.desc.qualname != "<module>" {
                let hit = own
                    .iter()
                    .any(|l| *l != rec.desc.first_line && f.executed.contains(l));
                fc.functions.push(Function {
                    name: rec.desc.qualname.clone(),
                    first_line: rec.desc.first_line,
                    last_line: own
                        .iter()
                        .next_back()
                        .copied()
                        .unwrap_or(rec.desc.first_line),
                    hit,
                });
            }
            let line_of = |off: u32| rec.line_at(off).map_or(-1, i64::from);
            let seen =
                |off: u32, dest: u32| c.taken.get(&(*h, off)).is_some_and(|s| s.contains(&dest));
            // Both directions of every branch the host lists, not taken until seen...
            for b in rec.desc.branches.iter().flatten() {
                let Some(from) = rec.line_at(b.offset) else {
                    continue;
                };
                let arcs = fc.arcs.entry(from).or_default();
                for dest in [b.taken, b.not_taken] {
                    *arcs.entry(line_of(dest)).or_insert(false) |= seen(b.offset, dest);
                }
            }
            // ...and every direction seen, listed or not (a host without `code_branches`
            // lets only these be known).
            for ((_, off), dests) in c.taken.range((*h, 0)..=(*h, u32::MAX)) {
                let Some(from) = rec.line_at(*off) else {
                    continue;
                };
                for d in dests {
                    fc.arcs.entry(from).or_default().insert(line_of(*d), true);
                }
            }
        }
        // A line is a branch line only if its branches can reach two different lines.
        fc.arcs.retain(|_, d| d.len() >= 2);
        fc.executed = f.executed.intersection(&fc.statements).copied().collect();
        fc.missing = fc.statements.difference(&fc.executed).copied().collect();
        fc.functions.sort_by_key(|f| f.first_line);
        out.push(fc);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// `path` relative to `cwd` when it is inside it.
pub fn display_name(path: &str, cwd: Option<&str>) -> String {
    if let Some(cwd) = cwd {
        let cwd = cwd.trim_end_matches('/');
        if let Some(rest) = path.strip_prefix(cwd)
            && let Some(rel) = rest.strip_prefix('/')
        {
            return rel.to_owned();
        }
    }
    path.to_owned()
}

/// coverage.py's `display_covered` with precision 0: "0" and "100" only when exact.
pub fn display_percent(pc: f64) -> String {
    let shown = if 0.0 < pc && pc < 1.0 {
        1.0
    } else if 99.0 < pc && pc < 100.0 {
        99.0
    } else {
        round_half_even(pc)
    };
    format!("{shown:.0}")
}

/// Python's `round(x)`: halves go to the even neighbour.
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

/// coverage.py's `format_lines`: missing statements coalesced into ranges of consecutive
/// statements, plus `a->b` arcs (from lines that ran, to lines that are not missing), sorted
/// by line and then by text.
pub fn format_lines(
    statements: &BTreeSet<u32>,
    missing: &BTreeSet<u32>,
    arcs: &BTreeMap<u32, Vec<i64>>,
) -> String {
    let mut items: Vec<(u32, String)> = Vec::new();
    let mut start: Option<u32> = None;
    let mut end = 0;
    for &s in statements {
        if missing.contains(&s) {
            if start.is_none() {
                start = Some(s);
            }
            end = s;
        } else if let Some(st) = start.take() {
            items.push((st, range(st, end)));
        }
    }
    if let Some(st) = start {
        items.push((st, range(st, end)));
    }
    for (&line, exits) in arcs {
        let mut exits = exits.clone();
        exits.sort_unstable();
        for ex in exits {
            let ex_missing = u32::try_from(ex).is_ok_and(|e| missing.contains(&e));
            if !missing.contains(&line) && !ex_missing {
                let dest = if ex > 0 {
                    ex.to_string()
                } else {
                    "exit".to_owned()
                };
                items.push((line, format!("{line}->{dest}")));
            }
        }
    }
    items.sort();
    items
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(", ")
}

fn range(a: u32, b: u32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}-{b}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::fake::Table;
    use vigil_plugin_api::CodeHandle;

    #[test]
    fn percent_display_matches_coverage_py() {
        // Values from coverage.py 7.17's display_covered(pc, 0).
        assert_eq!(display_percent(85.71428571428571), "86");
        assert_eq!(display_percent(69.23076923076923), "69");
        assert_eq!(display_percent(99.5), "99");
        assert_eq!(display_percent(0.2), "1");
        assert_eq!(display_percent(0.0), "0");
        assert_eq!(display_percent(100.0), "100");
        assert_eq!(display_percent(12.5), "12");
        assert_eq!(display_percent(13.5), "14");
    }

    #[test]
    fn format_lines_like_coverage_py() {
        // coverage.py's own docstring example.
        let st: BTreeSet<u32> = [1, 2, 3, 4, 5, 10, 11, 12, 13, 14].into();
        let miss: BTreeSet<u32> = [1, 2, 5, 10, 11, 13, 14].into();
        assert_eq!(
            format_lines(&st, &miss, &BTreeMap::new()),
            "1-2, 5-11, 13-14"
        );
        // Arcs: only from lines that ran, to lines not missing; exits as "exit"; ties by text.
        let st: BTreeSet<u32> = [1, 2, 3, 4, 5, 6].into();
        let miss: BTreeSet<u32> = [5].into();
        let arcs = BTreeMap::from([(2, vec![4, 10]), (3, vec![-1]), (4, vec![5])]);
        assert_eq!(format_lines(&st, &miss, &arcs), "2->10, 2->4, 3->exit, 5");
    }

    /// A program (`def g(x): if x: y = 1 / else: y = 2 / while x > 5: x -= 1 / return y`,
    /// then `g(1)`, `g(2)`) with the statement lines CPython 3.13's `co_lines()` gives
    /// (module 1, 9, 10; g 1, 2, 3, 5, 6, 7, 8) and its two branch lines (2 and 6); the
    /// offsets are made up. coverage.py 7.17 reports 9 statements, 2 missing (5, 7),
    /// 4 branches, 2 partial, 69%, `Missing` "5, 7".
    #[test]
    fn partial_branches_and_numbers() {
        let mut t = Table::default();
        t.add(
            1,
            "/w/p2.py",
            "<module>",
            &[(0, 0), (2, 1), (4, 9), (8, 10)],
            &[],
            &[2],
        );
        // g: if x (offset 4: ->6 line 3 / ->10 line 5); while x > 5 (offset 14: ->16 line 7 /
        // ->20 line 8).
        t.add(
            2,
            "/w/p2.py",
            "g",
            &[(0, 1), (2, 2), (6, 3), (10, 5), (12, 6), (16, 7), (20, 8)],
            &[(4, 10, 6), (14, 20, 16)],
            &[],
        );
        let mut c = Collector::new();
        for l in [1, 9, 10] {
            c.line(&t, CodeHandle(1), l);
        }
        for l in [2, 3, 6, 8] {
            c.line(&t, CodeHandle(2), l);
        }
        c.branch(&t, CodeHandle(2), 4, 6);
        c.branch(&t, CodeHandle(2), 14, 20);
        let files = analyse(&c, Some("/w"));
        let f = &files[0];
        assert_eq!(f.name, "p2.py");
        let n = f.numbers();
        assert_eq!(
            (n.statements, n.missing(), n.branches, n.partial),
            (9, 2, 4, 2)
        );
        assert_eq!(display_percent(n.percent()), "69");
        assert_eq!(f.missing_formatted(true), "5, 7");
        assert_eq!(
            f.functions,
            vec![Function {
                name: "g".into(),
                first_line: 1,
                last_line: 8,
                hit: true
            }]
        );
        assert_eq!(
            f.missing_arcs(),
            BTreeMap::from([(2, vec![5]), (6, vec![7])])
        );
    }
}
