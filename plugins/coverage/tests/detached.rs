//! Drives the coverage tool through the real SDK trampolines and vtable, with `vigil-host`'s
//! `DetachedHost` standing in for the VM (synthetic code objects, no values): what it asks
//! for, what it answers, and the reports it writes at finish.

use vigil_coverage::Coverage;
use vigil_host::{CodeInfo, DetachedHost, EventArgs};
use vigil_plugin_api::abi::ToolInstance;
use vigil_plugin_api::sdk::create_in_process;
use vigil_plugin_api::{Action, CodeHandle, Event, EventSet, LineEntry, ToolId};

const TOOL: u32 = 1;

fn start(host: &DetachedHost, settings: &str) -> ToolInstance {
    let api = host.api();
    (api.vtable.use_tool_id())(api.ctx, TOOL as i32, "coverage".into())
        .into_result()
        .unwrap();
    let instance =
        create_in_process::<Coverage>(api, ToolId::new(TOOL).unwrap(), settings).unwrap();
    host.attach(ToolId::new(TOOL).unwrap(), &instance);
    instance
}

fn finish(instance: &ToolInstance) -> Result<(), String> {
    let r = (instance.callbacks.finish())(instance.state, 0).into_result();
    (instance.callbacks.release())(instance.state);
    r.map_err(|e| e.to_string())
}

fn code(
    host: &DetachedHost,
    q: &str,
    lines: &[(u32, i32)],
    children: Vec<CodeHandle>,
) -> CodeHandle {
    host.register_code(CodeInfo {
        name: q.to_owned(),
        qualname: q.to_owned(),
        filename: "/w/prog.py".to_owned(),
        first_line: lines.iter().map(|l| l.1).find(|&l| l > 0).unwrap_or(1) as u32,
        lines: lines
            .iter()
            .map(|&(offset, line)| LineEntry { offset, line })
            .collect(),
        children,
    })
}

fn tmp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("vigil-coverage-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

#[test]
fn lines_disable_after_first_hit_and_never_called_functions_are_missed() {
    let host = DetachedHost::new();
    let json = tmp("lines.json");
    let inst = start(&host, &format!("report = [\"json:{json}\"]"));
    let api = host.api();
    assert_eq!(
        (api.vtable.get_events())(api.ctx, TOOL as i32).unwrap(),
        EventSet::LINE
    );
    let f = code(&host, "f", &[(0, 1), (2, 2), (4, 3)], vec![]);
    let never = code(&host, "never", &[(0, 5), (2, 6)], vec![]);
    let module = code(&host, "<module>", &[(0, 1), (4, 5), (8, 8)], vec![f, never]);
    for (c, line) in [(module, 1), (module, 5), (module, 8), (f, 2), (f, 3)] {
        let got = host.fire(Event::Line, c, EventArgs::Line(line));
        assert_eq!(got, vec![(ToolId::new(TOOL).unwrap(), Action::DISABLE)]);
    }
    finish(&inst).unwrap();
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let file = &j["files"]["/w/prog.py"];
    assert_eq!(file["executed_lines"], serde_json::json!([1, 2, 3, 5, 8]));
    assert_eq!(file["missing_lines"], serde_json::json!([6]));
    assert_eq!(j["totals"]["num_statements"], 6);
}

#[test]
fn branches_disable_once_both_directions_were_seen() {
    let host = DetachedHost::new();
    let lcov = tmp("branches.lcov");
    let inst = start(&host, &format!("branch = true\nreport = [\"lcov:{lcov}\"]"));
    let api = host.api();
    assert_eq!(
        (api.vtable.get_events())(api.ctx, TOOL as i32).unwrap(),
        EventSet::LINE | EventSet::BRANCH
    );
    // if at line 2 (offset 4): ->3 at offset 6, ->4 at offset 10.
    let module = code(
        &host,
        "<module>",
        &[(0, 1), (2, 2), (6, 3), (10, 4)],
        vec![],
    );
    let id = ToolId::new(TOOL).unwrap();
    for l in [1, 2, 3, 4] {
        host.fire(Event::Line, module, EventArgs::Line(l));
    }
    // This host lacks per-direction disabling and a branch table: the tool keeps listening
    // until it has seen two directions, then answers DISABLE.
    assert_eq!(
        host.fire(Event::Branch, module, EventArgs::Jump(4, 6)),
        vec![(id, Action::CONTINUE)]
    );
    assert_eq!(
        host.fire(Event::Branch, module, EventArgs::Jump(4, 6)),
        vec![(id, Action::CONTINUE)]
    );
    assert_eq!(
        host.fire(Event::Branch, module, EventArgs::Jump(4, 10)),
        vec![(id, Action::DISABLE)]
    );
    finish(&inst).unwrap();
    let text = std::fs::read_to_string(&lcov).unwrap();
    assert!(
        text.contains("BRDA:2,0,jump to line 3,1\nBRDA:2,0,jump to line 4,1\nBRF:2\nBRH:2\n"),
        "{text}"
    );
}

#[test]
fn an_unwritable_report_fails_finish_and_names_it() {
    let host = DetachedHost::new();
    let good = tmp("good.json");
    let inst = start(
        &host,
        &format!("report = [\"cobertura:/nonexistent-vigil-dir/c.xml\", \"json:{good}\"]"),
    );
    let err = finish(&inst).unwrap_err();
    assert!(err.contains("/nonexistent-vigil-dir/c.xml"), "{err}");
    assert!(std::path::Path::new(&good).exists());
}
