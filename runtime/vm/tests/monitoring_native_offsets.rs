//! Native tools see CPython 3.13's byte offsets, like guest callbacks: every event's offset and
//! destination, the Host API's line table, branch table, frame offsets and
//! `disable_branch_direction`. A tool records `tests/native/offsets.py`'s events in the
//! format of `tests/native/offsets_record.py`, whose output under CPython 3.13 is
//! `tests/native/offsets.expected` (regenerate with
//! `python3.13 offsets_record.py > offsets.expected` in that folder). The program has
//! EXTENDED_ARG prefixes, so prefix INSTRUCTION events and jumps landing on a prefix are in it.
//! Besides the stream, the tool checks that every BRANCH it sees is in `code_branches` and
//! that `disable_branch_direction` accepts exactly the offsets the events report.

#![cfg(feature = "monitoring")]

use std::cell::RefCell;
use std::path::Path;
use vigil_plugin_api::abi::LineEntry;
use vigil_plugin_api::sdk::{Code, Host, Tool, Value, create_in_process};
use vigil_plugin_api::{Action, EventSet, PluginError, ToolId};

thread_local! {
    static OUT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static BRANCHES: RefCell<Vec<(u64, u32, u32)>> = const { RefCell::new(Vec::new()) };
}

/// Records events of the program's own code objects as offsets_record.py prints them.
struct Offsets {
    path: String,
}

/// The line `offset` belongs to in `table` (-1: none), as offsets_record.py's `line_of`.
fn line_of(table: &[LineEntry], offset: u32) -> i32 {
    match table.partition_point(|e| e.offset <= offset) {
        0 => -1,
        i => table[i - 1].line,
    }
}

impl Offsets {
    /// `name qualname offset @line`, or None for code objects outside the program and big's
    /// constant lines (see offsets.py).
    fn row(&self, name: &str, code: &Code<'_>, offset: u32) -> Option<(String, Vec<LineEntry>)> {
        if code.filename().ok()? != self.path {
            return None;
        }
        let table = code.line_table().ok()?;
        let line = line_of(&table, offset);
        let q = code.qualname().ok()?;
        if q == "big" && (39..=288).contains(&line) {
            return None;
        }
        Some((format!("{name} {q} {offset} @{line}"), table))
    }

    fn push(&self, name: &str, code: &Code<'_>, offset: u32) {
        if let Some((row, _)) = self.row(name, code, offset) {
            OUT.with(|o| o.borrow_mut().push(row));
        }
    }
}

impl Tool for Offsets {
    const NAME: &'static str = "offsets";
    const VERSION: &'static str = "0";
    const EVENTS: EventSet = EventSet::PY_START
        .union(EventSet::PY_RESUME)
        .union(EventSet::PY_RETURN)
        .union(EventSet::PY_YIELD)
        .union(EventSet::CALL)
        .union(EventSet::LINE)
        .union(EventSet::INSTRUCTION)
        .union(EventSet::JUMP)
        .union(EventSet::BRANCH)
        .union(EventSet::STOP_ITERATION)
        .union(EventSet::RAISE)
        .union(EventSet::EXCEPTION_HANDLED);

    fn create(host: &Host, _: &str) -> Result<Self, PluginError> {
        host.set_events(Self::EVENTS)?;
        Ok(Offsets {
            path: host.program_path()?,
        })
    }

    fn py_start(&mut self, _: &Host, code: Code<'_>, offset: u32) -> Action {
        self.push("PY_START", &code, offset);
        Action::CONTINUE
    }
    fn py_resume(&mut self, _: &Host, code: Code<'_>, offset: u32) -> Action {
        self.push("PY_RESUME", &code, offset);
        Action::CONTINUE
    }
    fn py_return(&mut self, _: &Host, code: Code<'_>, offset: u32, _: Value<'_>) -> Action {
        self.push("PY_RETURN", &code, offset);
        Action::CONTINUE
    }
    fn py_yield(&mut self, _: &Host, code: Code<'_>, offset: u32, _: Value<'_>) -> Action {
        self.push("PY_YIELD", &code, offset);
        Action::CONTINUE
    }
    fn call(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        _: Value<'_>,
        _: Value<'_>,
    ) -> Action {
        if let Some((row, _)) = self.row("CALL", &code, offset) {
            let lasti = host.frame_info(0).map_or(-1, |f| f.offset as i64);
            OUT.with(|o| o.borrow_mut().push(format!("{row} lasti {lasti}")));
        }
        Action::CONTINUE
    }
    fn line(&mut self, _: &Host, code: Code<'_>, line: u32) -> Action {
        if code.filename().ok().as_deref() == Some(&self.path)
            && let Ok(q) = code.qualname()
            && !(q == "big" && (39..=288).contains(&line))
        {
            OUT.with(|o| o.borrow_mut().push(format!("LINE {q} {line}")));
        }
        Action::CONTINUE
    }
    fn instruction(&mut self, _: &Host, code: Code<'_>, offset: u32) -> Action {
        self.push("INSTRUCTION", &code, offset);
        Action::CONTINUE
    }
    fn jump(&mut self, _: &Host, code: Code<'_>, offset: u32, dest: u32) -> Action {
        if let Some((row, table)) = self.row("JUMP", &code, offset) {
            let to = line_of(&table, dest);
            OUT.with(|o| o.borrow_mut().push(format!("{row} -> {dest} @{to}")));
        }
        Action::CONTINUE
    }
    fn branch(&mut self, _: &Host, code: Code<'_>, offset: u32, dest: u32) -> Action {
        if let Some((row, table)) = self.row("BRANCH", &code, offset) {
            let to = line_of(&table, dest);
            OUT.with(|o| o.borrow_mut().push(format!("{row} -> {dest} @{to}")));
            let known = code.branches().is_ok_and(|bs| {
                bs.iter()
                    .any(|b| b.offset == offset && (b.taken == dest || b.not_taken == dest))
            });
            if !known {
                OUT.with(|o| o.borrow_mut().push("^ not in code_branches".into()));
            }
            BRANCHES.with(|b| b.borrow_mut().push((code.handle().0, offset, dest)));
        }
        Action::CONTINUE
    }
    fn stop_iteration(&mut self, _: &Host, code: Code<'_>, offset: u32, _: Value<'_>) -> Action {
        self.push("STOP_ITERATION", &code, offset);
        Action::CONTINUE
    }
    fn raise(&mut self, _: &Host, code: Code<'_>, offset: u32, _: Value<'_>) -> Action {
        self.push("RAISE", &code, offset);
        Action::CONTINUE
    }
    fn exception_handled(&mut self, _: &Host, code: Code<'_>, offset: u32, _: Value<'_>) -> Action {
        self.push("EXCEPTION_HANDLED", &code, offset);
        Action::CONTINUE
    }

    /// `disable_branch_direction` takes the offsets the BRANCH events reported, and refuses an
    /// offset that is not a branch's (one code unit further, mid-instruction).
    fn finish(&mut self, host: &Host, _: i32) -> Result<(), PluginError> {
        for (code, offset, dest) in BRANCHES.with(|b| b.borrow().clone()) {
            let h = vigil_plugin_api::abi::CodeHandle(code);
            if let Err(e) = host.disable_branch_direction(h, offset, dest) {
                OUT.with(|o| {
                    o.borrow_mut()
                        .push(format!("refused {offset} {dest}: {e:?}"))
                });
            }
            if host.disable_branch_direction(h, offset + 2, dest).is_ok() {
                OUT.with(|o| {
                    o.borrow_mut()
                        .push(format!("accepted {} {dest}", offset + 2))
                });
            }
        }
        Ok(())
    }
}

#[test]
fn native_tools_see_cpython_offsets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native");
    let script = dir.join("offsets.py");
    let want = std::fs::read_to_string(dir.join("offsets.expected")).expect("offsets.expected");
    let argv = vec![script.to_string_lossy().to_string()];
    let got = vigil_vm::run_session(&script, argv, |s| {
        let api = s.api();
        let tool = ToolId::new(3).expect("tool id");
        (api.vtable.use_tool_id())(api.ctx, 3, Offsets::NAME.into())
            .into_result()
            .expect("use_tool_id");
        let inst = create_in_process::<Offsets>(api, tool, "").expect("create");
        s.attach(tool, &inst);
        let (status, out) = s.run_captured();
        (inst.callbacks.finish())(inst.state, status)
            .into_result()
            .expect("finish");
        (inst.callbacks.release())(inst.state);
        assert_eq!(status, 0, "{out}");
        out + &OUT.with(|o| o.borrow().join("\n")) + "\n"
    })
    .expect("interpreter thread");
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    if let Some(i) = (0..g.len().max(w.len())).find(|&i| g.get(i) != w.get(i)) {
        panic!(
            "line {}: got {:?}, expected {:?} ({} lines vs {})",
            i + 1,
            g.get(i),
            w.get(i),
            g.len(),
            w.len()
        );
    }
}
