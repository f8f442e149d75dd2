//! Drives the profiler through the real SDK trampolines and vtable, with `vigil-host`'s
//! `DetachedHost` standing in for the VM: the events it asks for, call counts per function
//! equal to the PY_STARTs it saw, and its JSON report.

use vigil_host::{CodeInfo, DetachedHost, EventArgs};
use vigil_plugin_api::sdk::create_in_process;
use vigil_plugin_api::{CodeHandle, Event, EventSet, LineEntry, ToolId, ValueRef};
use vigil_profiler::Profiler;

const TOOL: u32 = 2;

fn code(host: &DetachedHost, q: &str, first: u32) -> CodeHandle {
    host.register_code(CodeInfo {
        name: q.to_owned(),
        qualname: q.to_owned(),
        filename: "/w/prog.py".to_owned(),
        first_line: first,
        lines: vec![LineEntry {
            offset: 0,
            line: first as i32,
        }],
        children: vec![],
    })
}

#[test]
fn calls_equal_py_starts_and_json_is_written() {
    let dir = std::env::temp_dir().join(format!("vigil-profiler-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("p.json").display().to_string();
    let host = DetachedHost::new();
    let api = host.api();
    (api.vtable.use_tool_id())(api.ctx, TOOL as i32, "profiler".into())
        .into_result()
        .unwrap();
    let id = ToolId::new(TOOL).unwrap();
    let inst =
        create_in_process::<Profiler>(api, id, &format!("report = [\"json:{json}\"]")).unwrap();
    host.attach(id, &inst);
    // `DetachedHost` predates event hints and refuses the profiler's hint bit as an invalid
    // event set; the SDK then sets the same events without it.
    let ev = (api.vtable.get_events())(api.ctx, TOOL as i32).unwrap();
    assert!(
        ev.contains(EventSet::PY_START | EventSet::PY_YIELD | EventSet::PY_UNWIND | EventSet::CALL)
    );
    assert_eq!(ev.bits() & vigil_plugin_api::EventHints::MASK, 0);
    let m = code(&host, "<module>", 1);
    let fib = code(&host, "fib", 3);
    let v = |o| EventArgs::Value(o, ValueRef::MISSING);
    host.fire(Event::PyStart, m, EventArgs::Offset(0));
    for _ in 0..3 {
        host.fire(Event::PyStart, fib, EventArgs::Offset(0));
        host.fire(Event::PyStart, fib, EventArgs::Offset(0));
        host.fire(Event::PyReturn, fib, v(8));
        host.fire(Event::PyUnwind, fib, v(8));
    }
    // A CALL of something that is not a builtin opens no C frame.
    host.fire(
        Event::Call,
        m,
        EventArgs::Call(4, ValueRef::MISSING, ValueRef::MISSING),
    );
    host.fire(Event::PyReturn, m, v(12));
    (inst.callbacks.finish())(inst.state, 0)
        .into_result()
        .unwrap();
    (inst.callbacks.release())(inst.state);
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let rows = j.as_array().unwrap();
    let fib_row = rows.iter().find(|r| r["function"] == "fib").unwrap();
    assert_eq!(fib_row["calls"], 6);
    assert_eq!(fib_row["primitive_calls"], 3);
    assert_eq!(fib_row["line"], 3);
    let m_row = rows.iter().find(|r| r["function"] == "<module>").unwrap();
    assert_eq!(m_row["calls"], 1);
    assert_eq!(rows.len(), 2);
}
