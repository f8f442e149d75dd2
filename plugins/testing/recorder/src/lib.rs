//! Test fixture: a well-behaved tool that records every event it receives (and the answers
//! of the Host API calls it makes) and writes them to the file named by its `report`
//! setting in `finish`. Tests use it as the tool that "goes on" while another one fails, and
//! to check what a plugin sees through the ABI.

use std::fmt::Write as _;

use vigil_plugin_api::{Action, Code, EventSet, Host, PluginError, Tool, Value, export_plugin};

struct Recorder {
    report: String,
    log: String,
}

fn setting<'a>(settings: &'a str, key: &str) -> Option<&'a str> {
    settings.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"'))
    })
}

impl Recorder {
    fn note(&mut self, host: &Host, event: &str, code: Code<'_>, detail: String) {
        let name = code.qualname().unwrap_or_else(|e| format!("<{e}>"));
        let _ = writeln!(self.log, "{} {event} {name} {detail}", host.tool_id());
    }
}

fn show(v: Value<'_>) -> String {
    if v.is_missing() {
        "MISSING".to_owned()
    } else {
        v.repr().unwrap_or_else(|e| format!("<{e}>"))
    }
}

impl Tool for Recorder {
    const NAME: &'static str = "recorder";
    const VERSION: &'static str = "0.2.0";
    const EVENTS: EventSet = EventSet::PY_START
        .union(EventSet::LINE)
        .union(EventSet::CALL)
        .union(EventSet::BRANCH)
        .union(EventSet::RAISE);

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let Some(report) = setting(settings, "report") else {
            return Err(PluginError::settings(
                "missing key `report` (the file to write the event log to)",
            ));
        };
        host.set_events(Self::EVENTS)?;
        let mut log = String::new();
        let _ = writeln!(
            log,
            "{} create name={:?} events={:?}",
            host.tool_id(),
            host.get_tool(host.tool_id())?,
            host.get_events()?
        );
        Ok(Recorder {
            report: report.to_owned(),
            log,
        })
    }

    fn py_start(&mut self, host: &Host, code: Code<'_>, offset: u32) -> Action {
        self.note(host, "PY_START", code, format!("@{offset}"));
        Action::CONTINUE
    }

    fn line(&mut self, host: &Host, code: Code<'_>, line: u32) -> Action {
        self.note(host, "LINE", code, format!("{line}"));
        Action::CONTINUE
    }

    fn call(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        let detail = format!("@{offset} {} {}", show(callable), show(arg0));
        self.note(host, "CALL", code, detail);
        Action::CONTINUE
    }

    fn branch(&mut self, host: &Host, code: Code<'_>, offset: u32, dest: u32) -> Action {
        self.note(host, "BRANCH", code, format!("@{offset}->{dest}"));
        // Ask to stop hearing about this branch, as a coverage tool would.
        Action::DISABLE
    }

    fn finish(&mut self, host: &Host, exit_code: i32) -> Result<(), PluginError> {
        let _ = writeln!(self.log, "{} finish exit={exit_code}", host.tool_id());
        std::fs::write(&self.report, &self.log)
            .map_err(|e| PluginError::failed(format!("cannot write {}: {e}", self.report)))
    }
}

export_plugin!(Recorder);
