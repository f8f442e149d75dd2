//! A plugin that misuses the Host API from inside a callback, against the VM's real Host API
//! (not the host crate's detached stand-in): a tool id out of range, a code handle the VM
//! never gave out, event sets that CPython refuses. Every call must come back as an error with
//! CPython's text (or the ABI's InvalidHandle kind), the VM must not crash, and the program's
//! output must be intact (issue 7, "a plugin that calls the Host API with invalid arguments").

#![cfg(feature = "monitoring")]

use std::sync::Mutex;

use vigil_plugin_api::sdk::{Code, Host, Tool, create_in_process};
use vigil_plugin_api::{Action, CodeHandle, EventSet, PluginError, ToolId};

/// What the tool saw, one line per misuse, in call order.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Misuse {
    done: bool,
}

fn outcome<T: std::fmt::Debug>(what: &str, r: Result<T, vigil_plugin_api::HostError>) -> String {
    match r {
        Ok(v) => format!("{what}: ok {v:?}"),
        Err(e) => format!("{what}: {e}"),
    }
}

impl Tool for Misuse {
    const NAME: &'static str = "misuse";
    const VERSION: &'static str = "0";
    const EVENTS: EventSet = EventSet::PY_START;

    fn create(host: &Host, _settings: &str) -> Result<Self, PluginError> {
        host.set_events(EventSet::PY_START)
            .map_err(|e| PluginError::failed(e.to_string()))?;
        Ok(Misuse { done: false })
    }

    fn py_start(&mut self, host: &Host, code: Code<'_>, _offset: u32) -> Action {
        if self.done {
            return Action::CONTINUE;
        }
        self.done = true;
        let raw = host.raw();
        let v = raw.vtable;
        let mut seen = SEEN.lock().unwrap();
        seen.push(outcome(
            "get_events(9)",
            (v.get_events())(raw.ctx, 9).into_result(),
        ));
        seen.push(outcome(
            "set_events(-1)",
            (v.set_events())(raw.ctx, -1, 1).into_result(),
        ));
        seen.push(outcome(
            "set_events(3, 1<<17)",
            (v.set_events())(raw.ctx, 3, 1 << 17).into_result(),
        ));
        seen.push(outcome(
            "set_events(3, C_RETURN)",
            (v.set_events())(raw.ctx, 3, EventSet::C_RETURN.bits()).into_result(),
        ));
        seen.push(outcome(
            "set_events(4, LINE) unused",
            (v.set_events())(raw.ctx, 4, EventSet::LINE.bits()).into_result(),
        ));
        let bogus = CodeHandle(u64::MAX - 7);
        seen.push(outcome(
            "set_local_events(foreign)",
            host.set_local_events(bogus, EventSet::LINE)
                .inspect_err(|e| {
                    // The kind is what a plugin branches on; the text is for people.
                    assert_eq!(e.kind, vigil_plugin_api::ErrorKind::INVALID_HANDLE);
                }),
        ));
        seen.push(outcome(
            "qualname(foreign)",
            host.code(bogus).qualname().map(|q| q.to_string()),
        ));
        seen.push(outcome(
            "set_local_events(RAISE)",
            host.set_local_events(code.handle(), EventSet::RAISE),
        ));
        seen.push(outcome(
            "set_local_events(LINE)",
            host.set_local_events(code.handle(), EventSet::LINE),
        ));
        Action::CONTINUE
    }
}

#[test]
fn host_api_misuse_is_refused_with_cpython_errors_and_the_program_runs_on() {
    let dir = std::env::temp_dir().join(format!("vigil-misuse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("prog.py");
    std::fs::write(
        &script,
        "def f(x):\n    return x * 2\nprint([f(i) for i in range(3)])\nprint('done')\n",
    )
    .unwrap();
    let out = vigil_vm::run_session(&script, vec!["prog.py".into()], |s| {
        let api = s.api();
        let tool = ToolId::new(3).unwrap();
        (api.vtable.use_tool_id())(api.ctx, 3, "misuse".into())
            .into_result()
            .expect("use_tool_id");
        let inst = create_in_process::<Misuse>(api, tool, "").expect("create");
        s.attach(tool, &inst);
        let (status, text) = s.run_captured();
        let faults = s.faults();
        (inst.callbacks.finish())(inst.state, status)
            .into_result()
            .expect("finish");
        (inst.callbacks.release())(inst.state);
        (status, text, faults.len())
    })
    .expect("interpreter thread");
    let _ = std::fs::remove_dir_all(&dir);
    let (status, text, faults) = out;
    assert_eq!(status, 0, "{text}");
    assert_eq!(text, "[0, 2, 4]\ndone\n");
    assert_eq!(faults, 0, "refused calls must not count as a tool failure");

    let seen = SEEN.lock().unwrap().join("\n");
    // Texts from shared/spec/monitoring-semantics.md T1, E1 and E6 (CPython 3.13.5 probes).
    let expected = [
        "get_events(9): ValueError: invalid tool 9 (must be between 0 and 5)",
        "set_events(-1): ValueError: invalid tool -1 (must be between 0 and 5)",
        "set_events(3, 1<<17): ValueError: invalid event set 0x20000",
        "set_events(3, C_RETURN): ValueError: cannot set C_RETURN or C_RAISE events independently",
        "set_events(4, LINE) unused: ValueError: tool 4 is not in use",
        "set_local_events(RAISE): ValueError: invalid local event set 0x400",
        "set_local_events(LINE): ok ()",
    ];
    for line in expected {
        assert!(seen.contains(line), "missing `{line}` in:\n{seen}");
    }
    for call in ["set_local_events(foreign)", "qualname(foreign)"] {
        let got = seen
            .lines()
            .find(|l| l.starts_with(call))
            .unwrap_or_else(|| panic!("no `{call}` in:\n{seen}"));
        assert!(!got.contains(": ok"), "{got}");
    }
}
