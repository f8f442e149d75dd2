//! Drives the debugger through the real SDK trampolines and vtable, with `vigil-host`'s
//! `DetachedHost` standing in for the VM: the zero-cost event plan (PY_START only, DISABLEd on
//! code without breakpoints; LINE as a local event on the code object holding one; DISABLE on
//! its other lines). This host has no frames, so stops are checked in `session.rs`'s tests.

use vigil_debugger::DebuggerTool;
use vigil_host::{CodeInfo, DetachedHost, EventArgs};
use vigil_plugin_api::sdk::create_in_process;
use vigil_plugin_api::{Action, CodeHandle, Event, EventSet, LineEntry, ToolId};

const TOOL: u32 = 0;

fn code(host: &DetachedHost, q: &str, lines: &[i32], children: Vec<CodeHandle>) -> CodeHandle {
    host.register_code(CodeInfo {
        name: q.to_owned(),
        qualname: q.to_owned(),
        filename: "/w/prog.py".to_owned(),
        first_line: lines[0] as u32,
        lines: lines
            .iter()
            .enumerate()
            .map(|(i, &line)| LineEntry {
                offset: 2 * i as u32,
                line,
            })
            .collect(),
        children,
    })
}

#[test]
fn only_breakpoint_code_gets_line_events() {
    let dir = std::env::temp_dir().join(format!("vigil-debugger-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let transcript = dir.join("t.txt").display().to_string();
    let host = DetachedHost::new();
    let api = host.api();
    (api.vtable.use_tool_id())(api.ctx, TOOL as i32, "debugger".into())
        .into_result()
        .unwrap();
    let id = ToolId::new(TOOL).unwrap();
    let settings = format!("break = [\"prog.py:3\"]\ncommands = []\noutput = \"{transcript}\"");
    let inst = create_in_process::<DebuggerTool>(api, id, &settings).unwrap();
    host.attach(id, &inst);
    assert_eq!(
        (api.vtable.get_events())(api.ctx, TOOL as i32).unwrap(),
        EventSet::PY_START
    );
    let f = code(&host, "f", &[1, 2, 3], vec![]);
    let g = code(&host, "g", &[5, 6], vec![]);
    let m = code(&host, "<module>", &[0, 1, 5, 8], vec![f, g]);
    // The module's PY_START registers every nested code object, then is DISABLEd.
    assert_eq!(
        host.fire(Event::PyStart, m, EventArgs::Offset(0)),
        vec![(id, Action::DISABLE)]
    );
    let local = |c| (api.vtable.get_local_events())(api.ctx, TOOL as i32, c).unwrap();
    assert_eq!(local(f), EventSet::LINE);
    assert_eq!(local(g), EventSet::empty());
    assert_eq!(local(m), EventSet::empty());
    assert_eq!(
        host.fire(Event::PyStart, g, EventArgs::Offset(0)),
        vec![(id, Action::DISABLE)]
    );
    assert_eq!(
        host.fire(Event::Line, f, EventArgs::Line(2)),
        vec![(id, Action::DISABLE)]
    );
    // The breakpoint line stops (and, with no frames here, says so) and keeps its LINE event.
    assert_eq!(
        host.fire(Event::Line, f, EventArgs::Line(3)),
        vec![(id, Action::CONTINUE)]
    );
    (inst.callbacks.finish())(inst.state, 0)
        .into_result()
        .unwrap();
    (inst.callbacks.release())(inst.state);
    assert_eq!(
        std::fs::read_to_string(&transcript).unwrap(),
        "*** no frame\n"
    );
}
