//! A third-party vigil tool: counts PY_START and CALL events and writes the counts to the
//! file named by its `output` setting. It validates its settings like a real plugin (unknown
//! keys and wrong types are rejected with a message naming the key).

use vigil_plugin_api::{Action, Code, EventSet, Host, PluginError, Tool, Value, export_plugin};

struct CallCount {
    output: String,
    starts: u64,
    calls: u64,
}

fn parse_settings(settings: &str) -> Result<String, PluginError> {
    let mut output = None;
    for line in settings.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once('=') else {
            return Err(PluginError::settings(format!("cannot read `{line}`")));
        };
        match key.trim() {
            "output" => {
                let v = value.trim();
                if !(v.starts_with('"') && v.ends_with('"') && v.len() >= 2) {
                    return Err(PluginError::settings("`output` must be a string"));
                }
                output = Some(v[1..v.len() - 1].to_owned());
            }
            other => {
                return Err(PluginError::settings(format!(
                    "unknown setting `{other}` (valid: output)"
                )));
            }
        }
    }
    output.ok_or_else(|| PluginError::settings("missing setting `output`"))
}

impl Tool for CallCount {
    const NAME: &'static str = "callcount";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const EVENTS: EventSet = EventSet::PY_START.union(EventSet::CALL);

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let output = parse_settings(settings)?;
        host.set_events(Self::EVENTS)?;
        Ok(CallCount {
            output,
            starts: 0,
            calls: 0,
        })
    }

    fn py_start(&mut self, _host: &Host, _code: Code<'_>, _offset: u32) -> Action {
        self.starts += 1;
        Action::CONTINUE
    }

    fn call(
        &mut self,
        _host: &Host,
        _code: Code<'_>,
        _offset: u32,
        _callable: Value<'_>,
        _arg0: Value<'_>,
    ) -> Action {
        self.calls += 1;
        Action::CONTINUE
    }

    fn finish(&mut self, host: &Host, exit_code: i32) -> Result<(), PluginError> {
        let text = format!(
            "callcount tool={} starts={} calls={} exit={exit_code}\n",
            host.tool_id(),
            self.starts,
            self.calls
        );
        std::fs::write(&self.output, text)
            .map_err(|e| PluginError::failed(format!("cannot write {}: {e}", self.output)))
    }
}

export_plugin!(CallCount);
