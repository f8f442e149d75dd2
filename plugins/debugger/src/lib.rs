//! vigil's debugger plugin: pdb's commands and feel, on the monitoring events, scripted with
//! `commands = [...]` or interactive on the terminal. The logic is in [`session`] (the command
//! loop, stepping, the zero-cost event plan) and [`breakpoints`]; this file is the SDK glue:
//! settings, and a [`session::Backend`] over the Host API.
//!
//! Settings: `break` (breakpoints to set before the program starts, as the `break` command
//! takes them: `"prog.py:12"`, `"prog.py:12, n > 3"`, `"fib"`), `commands` (a script run at
//! the stops, one command per entry; when it runs out the program continues), `interactive`
//! (read commands from stdin once the script is exhausted; default: true when there is no
//! `commands` script), `output` (where the session transcript goes; default stdout, like pdb).
//!
//! Host API used: `set_events`, `set_local_events`, `restart_events`; code views `filename`,
//! `name`, `qualname`, `first_line`, `line_table`, `children`; `frame_count`, `frame_info`,
//! `frame_locals`, `frame_eval` (the frame functions added to the Host API for this tool);
//! value view `repr` (return values).

pub mod breakpoints;
pub mod session;

use std::collections::{BTreeSet, HashMap};
use std::io::{BufReader, Write};

use vigil_plugin_api::{
    Action, Code, CodeHandle, EventSet, Host, PluginError, Tool, Value, export_plugin,
};

use breakpoints::CodeInfo;
use session::{Backend, Debugger, FrameView};

/// Validated settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Initial breakpoints.
    pub breakpoints: Vec<String>,
    /// The command script.
    pub commands: Vec<String>,
    /// Read stdin after the script.
    pub interactive: bool,
    /// Transcript file (`None`: stdout).
    pub output: Option<String>,
}

impl Settings {
    /// Parses the settings TOML; errors name the key.
    pub fn parse(text: &str) -> Result<Settings, String> {
        let table: toml::Table = text.parse().map_err(|e| format!("settings: {e}"))?;
        let strings = |key: &str, v: &toml::Value| -> Result<Vec<String>, String> {
            match v {
                toml::Value::String(s) => Ok(vec![s.clone()]),
                toml::Value::Array(a) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| format!("`{key}`: expected strings, found {x}"))
                    })
                    .collect(),
                other => Err(format!(
                    "`{key}`: expected a list of strings, found {other}"
                )),
            }
        };
        let mut s = Settings::default();
        let mut interactive = None;
        for (key, v) in &table {
            match key.as_str() {
                "break" => s.breakpoints = strings(key, v)?,
                "commands" => s.commands = strings(key, v)?,
                "interactive" => {
                    interactive = Some(v.as_bool().ok_or_else(|| {
                        format!("`interactive`: expected true or false, found {v}")
                    })?);
                }
                "output" => {
                    s.output = Some(
                        v.as_str()
                            .ok_or_else(|| format!("`output`: expected a path, found {v}"))?
                            .to_owned(),
                    );
                }
                other => {
                    return Err(format!(
                        "unknown setting `{other}` (valid: break, commands, interactive, output)"
                    ));
                }
            }
        }
        s.interactive = interactive.unwrap_or(!table.contains_key("commands"));
        Ok(s)
    }
}

/// The Host API as the debugger's backend.
struct HostBackend<'a> {
    host: &'a Host,
    sources: &'a mut HashMap<String, Option<String>>,
}

impl Backend for HostBackend<'_> {
    fn frame_count(&mut self) -> Option<u32> {
        self.host.frame_count().ok()
    }
    fn frame(&mut self, depth: u32) -> Option<FrameView> {
        let f = self.host.frame_info(depth).ok()?;
        let code = self.host.code(f.code);
        Some(FrameView {
            code: f.code,
            file: code.filename().unwrap_or_default(),
            name: code.name().unwrap_or_default(),
            line: u32::try_from(f.line).unwrap_or(0),
        })
    }
    fn locals(&mut self, depth: u32) -> Result<Vec<(String, String)>, String> {
        self.host
            .frame_locals(depth)
            .map_err(|e| e.message.into_string())
    }
    fn eval(&mut self, depth: u32, expr: &str) -> Result<String, String> {
        self.host
            .frame_eval(depth, expr)
            .map_err(|e| e.message.into_string())
    }
    fn set_events(&mut self, events: EventSet) {
        let _ = self.host.set_events(events);
    }
    fn set_local_events(&mut self, code: CodeHandle, events: EventSet) {
        let _ = self.host.set_local_events(code, events);
    }
    fn restart_events(&mut self) {
        let _ = self.host.restart_events();
    }
    fn source(&mut self, file: &str) -> Option<String> {
        self.sources
            .entry(file.to_owned())
            .or_insert_with(|| std::fs::read_to_string(file).ok())
            .clone()
    }
}

/// The code object and every code object nested in it, described for breakpoints.
fn walk(host: &Host, root: CodeHandle) -> Vec<(CodeHandle, CodeInfo)> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(h) = stack.pop() {
        let c = host.code(h);
        let lines: BTreeSet<u32> = c
            .line_table()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| u32::try_from(e.line).ok())
            .filter(|&l| l > 0)
            .collect();
        out.push((
            h,
            CodeInfo {
                file: c.filename().unwrap_or_default(),
                qualname: c.qualname().unwrap_or_default(),
                name: c.name().unwrap_or_default(),
                first_line: c.first_line().unwrap_or(0),
                lines,
            },
        ));
        stack.extend(c.children().unwrap_or_default().into_iter().rev());
    }
    out
}

/// The debugger tool.
pub struct DebuggerTool {
    debugger: Debugger,
    sources: HashMap<String, Option<String>>,
}

impl DebuggerTool {
    fn with<R>(&mut self, host: &Host, f: impl FnOnce(&mut Debugger, &mut dyn Backend) -> R) -> R {
        let mut b = HostBackend {
            host,
            sources: &mut self.sources,
        };
        f(&mut self.debugger, &mut b)
    }
}

impl Tool for DebuggerTool {
    const NAME: &'static str = "debugger";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const EVENTS: EventSet = EventSet::PY_START
        .union(EventSet::LINE)
        .union(EventSet::PY_RETURN)
        .union(EventSet::PY_YIELD);

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let s = Settings::parse(settings).map_err(PluginError::settings)?;
        let out: Box<dyn Write> =
            match &s.output {
                Some(p) => Box::new(std::fs::File::create(p).map_err(|e| {
                    PluginError::settings(format!("`output`: cannot create {p}: {e}"))
                })?),
                None => Box::new(std::io::stdout()),
            };
        let input: Option<Box<dyn std::io::BufRead>> = s
            .interactive
            .then(|| Box::new(BufReader::new(std::io::stdin())) as Box<dyn std::io::BufRead>);
        let debugger = Debugger::new(&s.breakpoints, s.commands, s.interactive, input, out)
            .map_err(|e| PluginError::settings(format!("`break`: {e}")))?;
        host.set_events(debugger.initial_events())?;
        Ok(DebuggerTool {
            debugger,
            sources: HashMap::new(),
        })
    }

    fn py_start(&mut self, host: &Host, code: Code<'_>, _offset: u32) -> Action {
        let h = code.handle();
        if !self.debugger.knows(h) {
            let codes = walk(host, h);
            self.with(host, |d, b| d.discover(b, codes));
        }
        self.with(host, |d, b| d.py_start(b, h))
    }

    fn line(&mut self, host: &Host, code: Code<'_>, line: u32) -> Action {
        let h = code.handle();
        if !self.debugger.knows(h) {
            // Reached by stepping into code whose PY_START came before we listened.
            let codes = walk(host, h);
            self.with(host, |d, b| d.discover(b, codes));
        }
        self.with(host, |d, b| d.line(b, h, line))
    }

    fn py_return(&mut self, host: &Host, code: Code<'_>, _: u32, value: Value<'_>) -> Action {
        let v = value.repr().unwrap_or_else(|e| format!("<{e}>"));
        let h = code.handle();
        self.with(host, |d, b| d.py_return(b, h, &v, false))
    }

    fn py_yield(&mut self, host: &Host, code: Code<'_>, _: u32, value: Value<'_>) -> Action {
        let v = value.repr().unwrap_or_else(|e| format!("<{e}>"));
        let h = code.handle();
        self.with(host, |d, b| d.py_return(b, h, &v, true))
    }
}

export_plugin!(DebuggerTool);

// Its own heap, apart from the arena holding the program's objects (see the macro).
#[cfg(feature = "private-heap")]
vigil_plugin_api::private_heap!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings() {
        let s =
            Settings::parse("break = [\"prog.py:3\", \"f, n > 1\"]\ncommands = [\"p n\", \"c\"]")
                .unwrap();
        assert_eq!(s.breakpoints, ["prog.py:3", "f, n > 1"]);
        assert!(
            !s.interactive,
            "a script means not interactive unless asked"
        );
        assert!(Settings::parse("").unwrap().interactive);
        assert!(
            Settings::parse("breaks = 1")
                .unwrap_err()
                .contains("`breaks`")
        );
        assert!(
            Settings::parse("interactive = \"yes\"")
                .unwrap_err()
                .contains("`interactive`")
        );
    }
}
