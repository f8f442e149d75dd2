//! Drives the tracer through the real SDK trampolines and vtable, with `vigil-host`'s
//! `DetachedHost` standing in for the VM: montrace lines for the main script only (the first
//! code object's file, as this host cannot name the program), line 0 printed as 0 (module
//! RESUME, as in the corpus .counts files), counts mode, and DISABLE.

use vigil_host::{CodeInfo, DetachedHost, EventArgs};
use vigil_plugin_api::abi::ToolInstance;
use vigil_plugin_api::sdk::create_in_process;
use vigil_plugin_api::{Action, CodeHandle, Event, EventSet, LineEntry, ToolId, ValueRef};
use vigil_tracer::TracerTool;

const TOOL: u32 = 3;

fn start(host: &DetachedHost, settings: &str) -> ToolInstance {
    let api = host.api();
    (api.vtable.use_tool_id())(api.ctx, TOOL as i32, "tracer".into())
        .into_result()
        .unwrap();
    let instance =
        create_in_process::<TracerTool>(api, ToolId::new(TOOL).unwrap(), settings).unwrap();
    host.attach(ToolId::new(TOOL).unwrap(), &instance);
    instance
}

fn finish(instance: &ToolInstance) {
    (instance.callbacks.finish())(instance.state, 0)
        .into_result()
        .unwrap();
    (instance.callbacks.release())(instance.state);
}

fn code(host: &DetachedHost, file: &str, q: &str, lines: &[(u32, i32)]) -> CodeHandle {
    host.register_code(CodeInfo {
        name: q.to_owned(),
        qualname: q.to_owned(),
        filename: file.to_owned(),
        first_line: 1,
        lines: lines
            .iter()
            .map(|&(offset, line)| LineEntry { offset, line })
            .collect(),
        children: vec![],
    })
}

fn out(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("vigil-tracer-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

fn run(host: &DetachedHost) {
    let m = code(
        host,
        "/w/prog.py",
        "<module>",
        &[(0, 0), (2, 1), (6, 2), (10, 4)],
    );
    let lib = code(host, "/lib/other.py", "helper", &[(0, 7)]);
    host.fire(Event::PyStart, m, EventArgs::Offset(0));
    host.fire(Event::Line, m, EventArgs::Line(1));
    host.fire(Event::Branch, m, EventArgs::Jump(4, 10));
    host.fire(Event::Line, m, EventArgs::Line(4));
    host.fire(
        Event::Call,
        m,
        EventArgs::Call(10, ValueRef::MISSING, ValueRef::MISSING),
    );
    host.fire(Event::PyStart, lib, EventArgs::Offset(0));
    host.fire(Event::Line, lib, EventArgs::Line(7));
    host.fire(Event::Line, m, EventArgs::Line(4));
}

#[test]
fn montrace_stream_keeps_the_main_script() {
    let host = DetachedHost::new();
    let path = out("stream.txt");
    let inst = start(&host, &format!("output = \"{path}\""));
    let api = host.api();
    // "all" is every event but INSTRUCTION; get_events does not show C_RETURN/C_RAISE.
    let ev = (api.vtable.get_events())(api.ctx, TOOL as i32).unwrap();
    assert_eq!(
        ev,
        EventSet::all() - EventSet::INSTRUCTION - EventSet::ANCILLARY
    );
    run(&host);
    finish(&inst);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "PY_START <module>:0\nLINE <module>:1\nBRANCH <module>:1 ->4\nLINE <module>:4\n\
         CALL <module>:4 MISSING MISSING\nLINE <module>:4\n"
    );
}

#[test]
fn counts_mode_and_disable() {
    let host = DetachedHost::new();
    let path = out("counts.txt");
    let inst = start(
        &host,
        &format!("mode = \"counts\"\nevents = [\"LINE\"]\ndisable = true\noutput = \"{path}\""),
    );
    let m = code(&host, "/w/prog.py", "<module>", &[(0, 1)]);
    let id = ToolId::new(TOOL).unwrap();
    assert_eq!(
        host.fire(Event::Line, m, EventArgs::Line(1)),
        vec![(id, Action::DISABLE)]
    );
    host.fire(Event::Line, m, EventArgs::Line(2));
    host.fire(Event::Line, m, EventArgs::Line(1));
    finish(&inst);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "2\tLINE <module>:1\n1\tLINE <module>:2\n"
    );
}
