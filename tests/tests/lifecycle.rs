//! End to end through real loaded libraries and the host library, driven by
//! [`DetachedHost`] (the Host API without a program): create, callbacks through the vtable,
//! faults isolated to the faulty tool, finish and release.
//!
//! The program itself is not run here (that needs the VM); these tests fire events the way
//! the VM will, through the same vtable function pointers.

use std::path::Path;

use vigil_host::{
    CodeInfo, DetachedHost, EventArgs, IdRequest, Origin, ResolvedTool, ToolSet, ToolSource,
    ToolSpec, load_library,
};
use vigil_plugin_api::abi::{Action, LineEntry, ValueRef};
use vigil_plugin_api::{Event, EventSet, ToolId};
use vigil_tests::{TempDir, artifacts};

fn resolved(lib: &Path, id: u32, settings: &str) -> ResolvedTool {
    let plugin = load_library(lib).unwrap_or_else(|e| panic!("{}: {e}", lib.display()));
    ResolvedTool {
        spec: ToolSpec {
            source: ToolSource::Path(lib.to_path_buf()),
            id: IdRequest::Fixed(ToolId::new(id).unwrap()),
            settings: settings.to_owned(),
            origin: Origin::command_line(),
        },
        id: ToolId::new(id).unwrap(),
        path: lib.to_path_buf(),
        plugin,
    }
}

fn code(host: &DetachedHost) -> vigil_plugin_api::CodeHandle {
    host.register_code(CodeInfo {
        name: "f".into(),
        qualname: "C.f".into(),
        filename: "prog.py".into(),
        first_line: 3,
        lines: vec![LineEntry { offset: 0, line: 3 }],
        children: vec![],
    })
}

#[test]
fn a_panicking_callback_disables_only_its_tool() {
    let a = artifacts();
    let dir = TempDir::new("life");
    let report = dir.path().join("rec.log");
    let host = DetachedHost::new();
    let tools = vec![
        resolved(&a.fixture("callback-panic"), 0, ""),
        resolved(
            &a.fixture("recorder"),
            2,
            &format!("report = \"{}\"\n", report.display()),
        ),
    ];
    let mut set = ToolSet::create(host.api(), tools, |id, inst| host.attach(id, inst)).unwrap();
    let f = code(&host);

    // Tool 0 panics on the first LINE; tool 2 gets it too (first: highest id first), and
    // every later one.
    let got = host.fire(Event::Line, f, EventArgs::Line(3));
    assert_eq!(
        got,
        [
            (ToolId::new(2).unwrap(), Action::CONTINUE),
            (ToolId::new(0).unwrap(), Action::ERROR)
        ]
    );
    let faults = host.faults();
    assert_eq!(faults.len(), 1);
    assert!(
        faults[0].reason.starts_with(
            "panicked in the LINE callback: fixture: the LINE callback panics at line 3 (at plugins/testing/callback-panic/src/lib.rs:"
        ),
        "{}",
        faults[0].reason
    );
    let msg = set.mark_faulted(faults[0].tool, &faults[0].reason).unwrap();
    assert!(
        msg.starts_with("tool `callback-panic` (tool 0) disabled: panicked in the LINE callback"),
        "{msg}"
    );
    assert!(msg.ends_with("the program continues without it"), "{msg}");
    let got = host.fire(Event::Line, f, EventArgs::Line(4));
    assert_eq!(got, [(ToolId::new(2).unwrap(), Action::CONTINUE)]);

    // CALL with no arguments passes MISSING; the plugin recognises it without a host call.
    let got = host.fire(
        Event::Call,
        f,
        EventArgs::Call(6, ValueRef(77), ValueRef::MISSING),
    );
    assert_eq!(got, [(ToolId::new(2).unwrap(), Action::CONTINUE)]);
    // BRANCH: the recorder answers DISABLE for this location, so it is not called again there.
    let got = host.fire(Event::Branch, f, EventArgs::Jump(8, 12));
    assert_eq!(got, [(ToolId::new(2).unwrap(), Action::DISABLE)]);
    assert!(
        host.fire(Event::Branch, f, EventArgs::Jump(8, 12))
            .is_empty()
    );
    assert_eq!(
        host.disabled_locations(ToolId::new(2).unwrap()),
        [(Event::Branch, f, 8)]
    );
    // The recorder lists RAISE in its EVENTS without overriding `raise`: the SDK's default
    // method answers CONTINUE.
    let got = host.fire(Event::Raise, f, EventArgs::Value(9, ValueRef(5)));
    assert_eq!(got, [(ToolId::new(2).unwrap(), Action::CONTINUE)]);
    // An event nobody asked for reaches nobody.
    assert!(
        host.fire(Event::PyReturn, f, EventArgs::Value(9, ValueRef(5)))
            .is_empty()
    );

    let problems = set.finish(0);
    assert_eq!(problems, []);
    let log = std::fs::read_to_string(&report).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines,
        [
            "2 create name=Some(\"recorder\") events=PY_START | CALL | LINE | BRANCH | RAISE",
            "2 LINE C.f 3",
            "2 LINE C.f 4",
            // The detached host has no values: the view answers with a clean error.
            "2 CALL C.f @6 <InvalidHandle: value 77 does not belong to this host (no program is running)> MISSING",
            "2 BRANCH C.f @8->12",
            "2 finish exit=0",
        ]
    );
}

/// A panic in an SDK fast path (`py_start_fast`, tried before the full guarded callback)
/// disables the tool with the same kind of report, and later events skip it.
#[test]
fn a_panicking_fast_path_disables_only_its_tool() {
    let a = artifacts();
    let host = DetachedHost::new();
    let tools = vec![resolved(
        &a.fixture("callback-panic"),
        1,
        "panic_in = \"py_start_fast\"\n",
    )];
    let mut set = ToolSet::create(host.api(), tools, |id, inst| host.attach(id, inst)).unwrap();
    let f = code(&host);
    let got = host.fire(Event::PyStart, f, EventArgs::Offset(7));
    assert_eq!(got, [(ToolId::new(1).unwrap(), Action::ERROR)]);
    let faults = host.faults();
    assert_eq!(faults.len(), 1);
    assert!(
        faults[0].reason.starts_with(
            "panicked in the PY_START callback: fixture: the PY_START fast path panics at offset 7"
        ),
        "{}",
        faults[0].reason
    );
    let msg = set.mark_faulted(faults[0].tool, &faults[0].reason).unwrap();
    assert!(
        msg.contains("disabled: panicked in the PY_START callback"),
        "{msg}"
    );
    assert!(
        host.fire(Event::PyStart, f, EventArgs::Offset(8))
            .is_empty()
    );
}

/// The same for the CALL fast path (`call_fast`), whose trampoline also passes the callable
/// and first argument.
#[test]
fn a_panicking_call_fast_path_disables_its_tool() {
    let a = artifacts();
    let host = DetachedHost::new();
    let tools = vec![resolved(
        &a.fixture("callback-panic"),
        1,
        "panic_in = \"call_fast\"\n",
    )];
    let mut set = ToolSet::create(host.api(), tools, |id, inst| host.attach(id, inst)).unwrap();
    let f = code(&host);
    let got = host.fire(
        Event::Call,
        f,
        EventArgs::Call(6, ValueRef(77), ValueRef::MISSING),
    );
    assert_eq!(got, [(ToolId::new(1).unwrap(), Action::ERROR)]);
    let faults = host.faults();
    assert_eq!(faults.len(), 1);
    assert!(
        faults[0].reason.starts_with(
            "panicked in the CALL callback: fixture: the CALL fast path panics at offset 6"
        ),
        "{}",
        faults[0].reason
    );
    let msg = set.mark_faulted(faults[0].tool, &faults[0].reason).unwrap();
    assert!(
        msg.contains("disabled: panicked in the CALL callback"),
        "{msg}"
    );
    assert!(
        host.fire(
            Event::Call,
            f,
            EventArgs::Call(8, ValueRef(77), ValueRef::MISSING)
        )
        .is_empty()
    );
}

#[test]
fn a_panicking_finish_is_reported_and_the_other_reports_are_written() {
    let a = artifacts();
    let dir = TempDir::new("finish");
    let report = dir.path().join("rec.log");
    let host = DetachedHost::new();
    let tools = vec![
        resolved(
            &a.fixture("recorder"),
            5,
            &format!("report = \"{}\"\n", report.display()),
        ),
        resolved(&a.fixture("callback-panic"), 1, "panic_in = \"finish\"\n"),
    ];
    let set = ToolSet::create(host.api(), tools, |id, inst| host.attach(id, inst)).unwrap();
    // Ordered by id whatever the session order.
    let ids: Vec<usize> = set.tools().iter().map(|t| t.id.index()).collect();
    assert_eq!(ids, [1, 5]);
    let problems = set.finish(3);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = problems[0].to_string();
    assert!(
        p.starts_with(
            "tool `callback-panic` (tool 1): finish failed: panicked: fixture: finish panics (at "
        ),
        "{p}"
    );
    let log = std::fs::read_to_string(&report).unwrap();
    assert!(log.ends_with("5 finish exit=3\n"), "{log}");
}

#[test]
fn a_failed_create_releases_the_tools_already_created_and_frees_their_ids() {
    let a = artifacts();
    let host = DetachedHost::new();
    let dir = TempDir::new("create");
    let report = dir.path().join("rec.log");
    let tools = vec![
        resolved(
            &a.fixture("recorder"),
            0,
            &format!("report = \"{}\"\n", report.display()),
        ),
        resolved(&a.fixture("ctor-panic"), 1, ""),
    ];
    let errors = match ToolSet::create(host.api(), tools, |id, inst| host.attach(id, inst)) {
        Ok(_) => panic!("create must fail"),
        Err(e) => e,
    };
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .to_string()
            .contains("plugin `ctor-panic` failed to start: panicked")
    );
    let api = host.api();
    for id in 0..2 {
        let name = (api.vtable.get_tool())(api.ctx, id).into_result().unwrap();
        assert!(name.is_none(), "tool {id} still claimed");
    }
    assert!(
        !report.exists(),
        "finish must not run for a session that never started"
    );
}

#[test]
fn host_api_misuse_gets_cpython_errors_not_undefined_behaviour() {
    // The plugin side of the Host API, through the SDK's safe wrapper, on a real tool id.
    let host = DetachedHost::new();
    let api = host.api();
    let sdk = vigil_plugin_api::Host::new(api, ToolId::new(3).unwrap());
    assert_eq!(
        sdk.set_events(EventSet::LINE).unwrap_err().to_string(),
        "ValueError: tool 3 is not in use"
    );
    (api.vtable.use_tool_id())(api.ctx, 3, "t".into())
        .into_result()
        .unwrap();
    sdk.set_events(EventSet::LINE | EventSet::RAISE).unwrap();
    assert_eq!(sdk.get_events().unwrap(), EventSet::LINE | EventSet::RAISE);
    let bogus = vigil_plugin_api::CodeHandle(12345);
    assert_eq!(
        sdk.set_local_events(bogus, EventSet::LINE)
            .unwrap_err()
            .to_string(),
        "InvalidHandle: code handle 12345 does not belong to this host"
    );
    assert_eq!(
        sdk.code(bogus).qualname().unwrap_err().kind,
        vigil_plugin_api::ErrorKind::INVALID_HANDLE
    );
    let raw = sdk.raw();
    assert_eq!(
        (raw.vtable.get_events())(raw.ctx, -1)
            .into_result()
            .unwrap_err()
            .to_string(),
        "ValueError: invalid tool -1 (must be between 0 and 5)"
    );
    // register_callback swaps one slot and hands back the previous callback.
    extern "C" fn on_line(
        _: vigil_plugin_api::abi::ToolState,
        _: vigil_plugin_api::CodeHandle,
        _: u32,
    ) -> Action {
        Action::CONTINUE
    }
    use vigil_plugin_api::Callback;
    assert!(
        sdk.register_callback(Event::Line, Some(Callback::Line(on_line)))
            .unwrap()
            .is_none()
    );
    let prev = sdk.register_callback(Event::Line, None).unwrap();
    assert!(matches!(prev, Some(Callback::Line(_))));
    assert_eq!(
        sdk.register_callback(Event::Jump, Some(Callback::Line(on_line)))
            .unwrap_err()
            .to_string(),
        "ValueError: a LINE callback cannot be registered for JUMP"
    );
}
