//! Breakpoints: where they are (`file:line` or a function name), their condition, hit and
//! ignore counts, and which code objects they concern. pdb's rules for a hit are kept: the hit
//! count grows each time the location is reached, a condition that is false (or fails to
//! evaluate, which stops, like pdb) lets execution go on, and an ignore count swallows that
//! many hits. This module does not evaluate anything itself (the caller passes an evaluator).

use std::collections::BTreeSet;

/// Where a breakpoint is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A source line; the file as the user wrote it, resolved to an absolute path if possible.
    Line {
        /// The file.
        file: String,
        /// The line.
        line: u32,
    },
    /// The first line of every call of a function (matched on `co_qualname`, or on
    /// `co_name` when the name has no dot).
    Function(String),
}

/// One breakpoint.
#[derive(Clone, Debug)]
pub struct Breakpoint {
    /// pdb's number (from 1).
    pub number: usize,
    /// Where.
    pub location: Location,
    /// An expression that must be true for the breakpoint to stop.
    pub condition: Option<String>,
    /// Times reached.
    pub hits: u64,
    /// Hits still to be ignored.
    pub ignore: u64,
    /// Disabled breakpoints never stop.
    pub enabled: bool,
    /// A `tbreak`: deleted when it first stops.
    pub temporary: bool,
}

/// A code object as far as breakpoints care.
#[derive(Clone, Debug, Default)]
pub struct CodeInfo {
    /// `co_filename`.
    pub file: String,
    /// `co_qualname`.
    pub qualname: String,
    /// `co_name`.
    pub name: String,
    /// `co_firstlineno`.
    pub first_line: u32,
    /// The lines of its own line table (not those of nested code objects).
    pub lines: BTreeSet<u32>,
}

/// Whether a breakpoint file names `code_file`: equal, or a path suffix at a `/`.
pub fn file_matches(bp_file: &str, code_file: &str) -> bool {
    code_file == bp_file
        || code_file
            .strip_suffix(bp_file)
            .is_some_and(|head| head.ends_with('/') || bp_file.starts_with('/'))
}

impl Breakpoint {
    /// Whether this breakpoint is on `line` of `code`.
    pub fn at_line(&self, code: &CodeInfo, line: u32) -> bool {
        matches!(&self.location, Location::Line { file, line: l } if *l == line && file_matches(file, &code.file))
    }

    /// Whether this breakpoint needs LINE events in `code`.
    pub fn concerns(&self, code: &CodeInfo) -> bool {
        match &self.location {
            Location::Line { file, line } => {
                file_matches(file, &code.file) && code.lines.contains(line)
            }
            Location::Function(name) => self.names_function(code, name),
        }
    }

    /// Whether this is a function breakpoint on `code`.
    pub fn on_function(&self, code: &CodeInfo) -> bool {
        matches!(&self.location, Location::Function(n) if self.names_function(code, n))
    }

    fn names_function(&self, code: &CodeInfo, name: &str) -> bool {
        code.qualname == name || (!name.contains('.') && code.name == name)
    }

    /// How pdb describes the breakpoint (`/p/prog.py:5` or `f`).
    pub fn describe(&self) -> String {
        match &self.location {
            Location::Line { file, line } => format!("{file}:{line}"),
            Location::Function(f) => f.clone(),
        }
    }
}

/// pdb's `effective`: among the breakpoints reached, the one that stops, if any. `eval`
/// evaluates a condition (`Ok(true)`: true). A failing condition stops, as in pdb.
pub fn effective<'a>(
    reached: impl Iterator<Item = &'a mut Breakpoint>,
    eval: &mut dyn FnMut(&str) -> Result<bool, String>,
) -> Option<(usize, Option<String>)> {
    for b in reached {
        if !b.enabled {
            continue;
        }
        b.hits += 1;
        let go = match &b.condition {
            None => true,
            Some(c) => match eval(c) {
                Ok(v) => v,
                Err(e) => {
                    return Some((
                        b.number,
                        Some(format!(
                            "*** Error in condition `{c}` of breakpoint {}: {e}",
                            b.number
                        )),
                    ));
                }
            },
        };
        if go {
            if b.ignore > 0 {
                b.ignore -= 1;
                continue;
            }
            return Some((b.number, None));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bp(n: usize, loc: Location) -> Breakpoint {
        Breakpoint {
            number: n,
            location: loc,
            condition: None,
            hits: 0,
            ignore: 0,
            enabled: true,
            temporary: false,
        }
    }

    fn code() -> CodeInfo {
        CodeInfo {
            file: "/w/prog.py".into(),
            qualname: "C.method".into(),
            name: "method".into(),
            first_line: 3,
            lines: [3, 4, 5].into(),
        }
    }

    #[test]
    fn files_match_by_suffix_at_a_slash() {
        assert!(file_matches("prog.py", "/w/prog.py"));
        assert!(file_matches("w/prog.py", "/w/prog.py"));
        assert!(file_matches("/w/prog.py", "/w/prog.py"));
        assert!(!file_matches("og.py", "/w/prog.py"));
    }

    #[test]
    fn concerns_and_function_names() {
        let c = code();
        assert!(
            bp(
                1,
                Location::Line {
                    file: "prog.py".into(),
                    line: 4
                }
            )
            .concerns(&c)
        );
        assert!(
            !bp(
                1,
                Location::Line {
                    file: "prog.py".into(),
                    line: 9
                }
            )
            .concerns(&c)
        );
        assert!(bp(2, Location::Function("method".into())).on_function(&c));
        assert!(bp(2, Location::Function("C.method".into())).on_function(&c));
        assert!(!bp(2, Location::Function("D.method".into())).on_function(&c));
    }

    #[test]
    fn hits_conditions_and_ignore_counts_follow_pdb() {
        let mut b = bp(1, Location::Function("f".into()));
        b.condition = Some("x > 2".into());
        b.ignore = 1;
        let mut stops = Vec::new();
        for x in 1..=5 {
            let mut eval = |_: &str| Ok(x > 2);
            stops.push(effective(std::iter::once(&mut b), &mut eval).is_some());
        }
        // x = 3 is ignored (ignore 1), x = 4 and 5 stop; every reach counts as a hit.
        assert_eq!(stops, [false, false, false, true, true]);
        assert_eq!(b.hits, 5);
        let mut failing = |_: &str| Err("NameError: name 'y' is not defined".to_owned());
        let (n, msg) = effective(std::iter::once(&mut b), &mut failing).unwrap();
        assert_eq!(n, 1);
        assert!(msg.unwrap().contains("NameError"));
        b.enabled = false;
        let mut t = |_: &str| Ok(true);
        assert!(effective(std::iter::once(&mut b), &mut t).is_none());
    }
}
