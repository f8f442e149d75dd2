//! What the coverage tool records while the program runs, and the answers it gives the host.
//!
//! Lines: the first LINE event of a line records it and answers DISABLE, so each line costs
//! one callback for the whole run. Branches: each BRANCH event records `(offset,
//! destination)`; the tool silences the direction just seen through the native
//! `disable_branch_direction` call when the host has it, and answers DISABLE once both
//! directions of the branch were seen (with a 3.13-only host that is the best there is:
//! DISABLE there silences both directions, so it must wait for the second one).
//!
//! When a code object is seen for the first time, its file is registered by walking the code
//! object and all code objects nested in it, so functions that never run still contribute
//! their lines to the statements. The code objects are described through [`CodeSource`]
//! (the Host API in the plugin, a table in tests). Analysis and reports live elsewhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use vigil_plugin_api::{BranchEntry, CodeHandle, LineEntry};

/// Everything the collector needs to know about one code object.
#[derive(Clone, Debug, Default)]
pub struct CodeDesc {
    /// `co_filename`.
    pub filename: String,
    /// `co_qualname`.
    pub qualname: String,
    /// `co_firstlineno`.
    pub first_line: u32,
    /// The offset → line table.
    pub lines: Vec<LineEntry>,
    /// The conditional branches, when the host can list them.
    pub branches: Option<Vec<BranchEntry>>,
    /// Nested code objects.
    pub children: Vec<CodeHandle>,
}

/// Describes code objects (the host, or a test table).
pub trait CodeSource {
    /// The description of `code`, or `None` if it cannot be had.
    fn describe(&self, code: CodeHandle) -> Option<CodeDesc>;
}

/// One code object as recorded.
#[derive(Clone, Debug)]
pub struct CodeRec {
    /// Index of its file in [`Collector::files`].
    pub file: usize,
    /// Its description.
    pub desc: CodeDesc,
}

impl CodeRec {
    /// The line of the instruction at `offset` (`None`: no line).
    pub fn line_at(&self, offset: u32) -> Option<u32> {
        let t = &self.desc.lines;
        let i = t.partition_point(|e| e.offset <= offset);
        let e = t.get(i.checked_sub(1)?)?;
        u32::try_from(e.line).ok().filter(|&l| l > 0)
    }
}

/// One source file as recorded.
#[derive(Clone, Debug, Default)]
pub struct FileRec {
    /// `co_filename`.
    pub path: String,
    /// Lines that ran.
    pub executed: BTreeSet<u32>,
    /// The file's code objects, outermost first.
    pub codes: Vec<CodeHandle>,
}

/// How the collector wants a BRANCH event answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BranchAnswer {
    /// Silence this direction (`disable_branch_direction`), if the host can.
    pub disable_direction: bool,
    /// Answer DISABLE: every direction has been seen.
    pub disable: bool,
}

/// The run's recorded coverage.
#[derive(Default)]
pub struct Collector {
    /// Files in the order they were first seen.
    pub files: Vec<FileRec>,
    file_index: HashMap<String, usize>,
    /// Every code object of every registered file.
    pub codes: HashMap<CodeHandle, CodeRec>,
    /// `(code, offset)` → destinations seen.
    pub taken: BTreeMap<(CodeHandle, u32), BTreeSet<u32>>,
}

impl Collector {
    /// An empty collector.
    pub fn new() -> Collector {
        Collector::default()
    }

    /// Makes sure `code` (and with it its whole file, as far as it can be reached from it)
    /// is registered; returns its record.
    fn register(&mut self, src: &dyn CodeSource, code: CodeHandle) -> Option<&CodeRec> {
        if !self.codes.contains_key(&code) {
            let mut stack = vec![code];
            while let Some(h) = stack.pop() {
                if self.codes.contains_key(&h) {
                    continue;
                }
                let Some(desc) = src.describe(h) else {
                    continue;
                };
                let file = match self.file_index.get(&desc.filename) {
                    Some(&i) => i,
                    None => {
                        self.files.push(FileRec {
                            path: desc.filename.clone(),
                            ..FileRec::default()
                        });
                        self.file_index
                            .insert(desc.filename.clone(), self.files.len() - 1);
                        self.files.len() - 1
                    }
                };
                self.files[file].codes.push(h);
                // Children in reverse so the walk visits them in source order.
                stack.extend(desc.children.iter().rev());
                self.codes.insert(h, CodeRec { file, desc });
            }
        }
        self.codes.get(&code)
    }

    /// A LINE event: records the line. The answer is always DISABLE (first hit is enough).
    pub fn line(&mut self, src: &dyn CodeSource, code: CodeHandle, line: u32) {
        if let Some(rec) = self.register(src, code) {
            let f = rec.file;
            self.files[f].executed.insert(line);
        }
    }

    /// A BRANCH event from `offset` to `dest`.
    pub fn branch(
        &mut self,
        src: &dyn CodeSource,
        code: CodeHandle,
        offset: u32,
        dest: u32,
    ) -> BranchAnswer {
        let known = self
            .register(src, code)
            .and_then(|r| r.desc.branches.as_ref())
            .and_then(|bs| bs.iter().find(|b| b.offset == offset).copied());
        let seen = self.taken.entry((code, offset)).or_default();
        seen.insert(dest);
        let complete = match known {
            Some(b) => seen.contains(&b.taken) && seen.contains(&b.not_taken),
            // Without the host's branch table, two distinct destinations are both directions.
            None => seen.len() >= 2,
        };
        BranchAnswer {
            disable_direction: !complete,
            disable: complete,
        }
    }
}

#[cfg(test)]
pub(crate) mod fake {
    //! A table of synthetic code objects.
    use super::*;

    #[derive(Default)]
    pub struct Table(pub HashMap<CodeHandle, CodeDesc>);

    impl Table {
        pub fn add(
            &mut self,
            h: u64,
            file: &str,
            qualname: &str,
            lines: &[(u32, i32)],
            branches: &[(u32, u32, u32)],
            children: &[u64],
        ) {
            self.0.insert(
                CodeHandle(h),
                CodeDesc {
                    filename: file.to_owned(),
                    qualname: qualname.to_owned(),
                    first_line: lines
                        .iter()
                        .map(|l| l.1)
                        .filter(|&l| l > 0)
                        .min()
                        .unwrap_or(1) as u32,
                    lines: lines
                        .iter()
                        .map(|&(offset, line)| LineEntry { offset, line })
                        .collect(),
                    branches: Some(
                        branches
                            .iter()
                            .map(|&(offset, taken, not_taken)| BranchEntry {
                                offset,
                                taken,
                                not_taken,
                            })
                            .collect(),
                    ),
                    children: children.iter().map(|&c| CodeHandle(c)).collect(),
                },
            );
        }
    }

    impl CodeSource for Table {
        fn describe(&self, code: CodeHandle) -> Option<CodeDesc> {
            self.0.get(&code).cloned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::Table;
    use super::*;

    fn table() -> Table {
        let mut t = Table::default();
        // <module>: lines 1, 6, 10, 11; f: 2, 3, 4 (branch at 2: ->3 / ->4); never: 7, 8.
        t.add(
            1,
            "/p/a.py",
            "<module>",
            &[(0, 1), (4, 6), (8, 10), (12, 11)],
            &[],
            &[2, 3],
        );
        t.add(
            2,
            "/p/a.py",
            "f",
            &[(0, 1), (2, 2), (6, 3), (8, 4)],
            &[(4, 8, 6)],
            &[],
        );
        t.add(3, "/p/a.py", "never", &[(0, 6), (2, 7), (4, 8)], &[], &[]);
        t
    }

    #[test]
    fn the_first_code_object_registers_the_whole_file() {
        let t = table();
        let mut c = Collector::new();
        c.line(&t, CodeHandle(1), 1);
        assert_eq!(c.files.len(), 1);
        assert_eq!(
            c.codes.len(),
            3,
            "nested and never-called code objects included"
        );
        assert_eq!(
            c.files[0].codes,
            vec![CodeHandle(1), CodeHandle(2), CodeHandle(3)]
        );
        c.line(&t, CodeHandle(2), 3);
        assert_eq!(c.files[0].executed, BTreeSet::from([1, 3]));
    }

    #[test]
    fn branch_disables_only_after_both_directions() {
        let t = table();
        let mut c = Collector::new();
        let a = c.branch(&t, CodeHandle(2), 4, 8);
        assert_eq!(
            a,
            BranchAnswer {
                disable_direction: true,
                disable: false
            }
        );
        // The same direction again (a host without per-direction disabling).
        assert!(!c.branch(&t, CodeHandle(2), 4, 8).disable);
        let b = c.branch(&t, CodeHandle(2), 4, 6);
        assert!(b.disable && !b.disable_direction);
    }

    #[test]
    fn without_a_branch_table_two_destinations_complete_a_branch() {
        let mut t = table();
        t.0.get_mut(&CodeHandle(2)).unwrap().branches = None;
        let mut c = Collector::new();
        assert!(!c.branch(&t, CodeHandle(2), 4, 8).disable);
        assert!(c.branch(&t, CodeHandle(2), 4, 6).disable);
    }

    #[test]
    fn line_lookup() {
        let t = table();
        let mut c = Collector::new();
        c.line(&t, CodeHandle(1), 1);
        let f = &c.codes[&CodeHandle(2)];
        assert_eq!(f.line_at(5), Some(2));
        assert_eq!(f.line_at(8), Some(4));
        assert_eq!(f.line_at(100), Some(4));
    }
}
