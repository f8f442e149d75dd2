//! Drives the counter through the real SDK trampolines and vtable, with `vigil-host`'s
//! `DetachedHost` standing in for the VM: what it asks for, what it counts, what it answers,
//! and what it writes at finish. It does not load the cdylib (the host's loader tests and the
//! benchmark harness do that).

use vigil_counter::{COUNTED, Counter};
use vigil_host::{CodeInfo, DetachedHost, EventArgs};
use vigil_plugin_api::abi::ToolInstance;
use vigil_plugin_api::sdk::create_in_process;
use vigil_plugin_api::{Action, Event, EventSet, ToolId, ValueRef};

const TOOL: u32 = 3;

fn start(host: &DetachedHost, settings: &str) -> Result<ToolInstance, String> {
    let api = host.api();
    let id = ToolId::new(TOOL).unwrap();
    (api.vtable.use_tool_id())(api.ctx, TOOL as i32, "counter".into())
        .into_result()
        .map_err(|e| e.to_string())?;
    let instance = create_in_process::<Counter>(api, id, settings).map_err(|e| e.to_string())?;
    host.attach(id, &instance);
    Ok(instance)
}

fn events_of(host: &DetachedHost) -> EventSet {
    let api = host.api();
    (api.vtable.get_events())(api.ctx, TOOL as i32).unwrap()
}

fn args_for(event: Event) -> EventArgs {
    match event {
        Event::PyStart | Event::PyResume | Event::Instruction => EventArgs::Offset(4),
        Event::Line => EventArgs::Line(7),
        Event::Jump | Event::Branch => EventArgs::Jump(4, 10),
        Event::Call | Event::CReturn | Event::CRaise => {
            EventArgs::Call(4, ValueRef(9), ValueRef::MISSING)
        }
        _ => EventArgs::Value(4, ValueRef(9)),
    }
}

fn finish(instance: &ToolInstance) -> Result<(), String> {
    let r = (instance.callbacks.finish())(instance.state, 0).into_result();
    (instance.callbacks.release())(instance.state);
    r.map_err(|e| e.to_string())
}

#[test]
fn asks_for_every_event_but_instruction() {
    let host = DetachedHost::new();
    let instance = start(&host, "").unwrap();
    // CPython's get_events never reports C_RETURN/C_RAISE (python3.13: set_events(3,
    // 0x1ffbf) then get_events(3) gives 0x7fbf); they ride on CALL.
    assert_eq!(events_of(&host).bits(), 0x7fbf);
    assert_eq!(events_of(&host), COUNTED.difference(EventSet::ANCILLARY));
    assert!(!events_of(&host).contains(EventSet::INSTRUCTION));
    assert!(instance.callbacks.slot(Event::Instruction).is_none());
    for e in COUNTED.events() {
        assert!(instance.callbacks.slot(e).is_some(), "no callback for {e}");
    }
    finish(&instance).unwrap();
}

#[test]
fn counts_each_event_and_never_disables() {
    let dir = std::env::temp_dir().join(format!("vigil-counter-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("counts.txt");
    let host = DetachedHost::new();
    let instance = start(&host, &format!("report = {:?}", report.to_str().unwrap())).unwrap();
    let code = host.register_code(CodeInfo {
        name: "f".into(),
        qualname: "f".into(),
        ..CodeInfo::default()
    });
    // Event number i fires i+1 times, so a count landing in the wrong slot shows.
    for (i, event) in Event::ALL.into_iter().enumerate() {
        for _ in 0..=i {
            let answers = host.fire(event, code, args_for(event));
            if event == Event::Instruction {
                assert!(answers.is_empty(), "INSTRUCTION was delivered");
            } else {
                assert_eq!(
                    answers,
                    vec![(ToolId::new(TOOL).unwrap(), Action::CONTINUE)]
                );
            }
        }
    }
    assert!(
        host.disabled_locations(ToolId::new(TOOL).unwrap())
            .is_empty()
    );
    finish(&instance).unwrap();
    let text = std::fs::read_to_string(&report).unwrap();
    let mut expected = String::new();
    let mut total = 0;
    for (i, event) in Event::ALL.into_iter().enumerate() {
        if event != Event::Instruction {
            expected.push_str(&format!("{}\t{}\n", event.name(), i + 1));
            total += i + 1;
        }
    }
    expected.push_str(&format!("TOTAL\t{total}\n"));
    assert_eq!(text, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn event_subset_setting() {
    let host = DetachedHost::new();
    let instance = start(&host, "events = [\"LINE\", \"C_RETURN\"]").unwrap();
    // C_RETURN needs CALL and C_RAISE in CPython's rules; the counter adds them, and the host
    // drops the ancillary bits from what it reports, as CPython's get_events does.
    let got = events_of(&host);
    assert!(got.contains(EventSet::LINE | EventSet::CALL), "{got:?}");
    assert!(!got.contains(EventSet::BRANCH));
    finish(&instance).unwrap();
}

#[test]
fn bad_settings_are_refused_naming_the_key() {
    for (settings, needle) in [
        ("colour = 1", "unknown key `colour`"),
        ("report = 3", "`report`"),
        ("events = \"LINE\"", "`events`"),
        ("events = [\"LINES\"]", "`events`"),
        ("events = [\"INSTRUCTION\"]", "INSTRUCTION"),
        ("report =", "invalid settings TOML"),
    ] {
        let host = DetachedHost::new();
        let err = start(&host, settings).err().expect(settings);
        assert!(err.contains(needle), "{settings}: {err}");
    }
}
