//! The tracer's `[tool.settings]`: parsing and validation, with errors that name the key.
//!
//! Keys: `format` (`"montrace"`, `"text"` or `"chrome:PATH"`), `mode` (`"stream"` or
//! `"counts"`, montrace only), `events` (`"all"`, a list of event names, or a comma-separated
//! string; `"all"` means every event but INSTRUCTION, as in montrace.py), `output` (a file;
//! default stderr, as montrace.py), `disable` (return DISABLE from every local-event callback,
//! montrace.py's `--disable`), `files` (globs on `co_filename`; default: the main script only;
//! montrace format never goes beyond the main script) and `functions` (qualname globs; default:
//! all).
//! It does not open files.

use vigil_plugin_api::{Event, EventSet};

/// The output format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// montrace.py's line format (the conformance contract).
    Montrace,
    /// Readable lines indented by call depth.
    Text,
    /// Chrome trace-event JSON written to the path at the end.
    Chrome(String),
}

/// montrace's `--mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One line per event, in order.
    Stream,
    /// `N<TAB>line` histogram at the end.
    Counts,
}

/// Validated settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Output format.
    pub format: Format,
    /// Stream or counts.
    pub mode: Mode,
    /// The events traced.
    pub events: EventSet,
    /// Where the stream goes (`None`: stderr).
    pub output: Option<String>,
    /// Answer DISABLE from local-event callbacks.
    pub disable: bool,
    /// File globs (`None`: main script only).
    pub files: Option<Vec<String>>,
    /// Function qualname globs (`None`: every function).
    pub functions: Option<Vec<String>>,
}

fn string_list(key: &str, v: &toml::Value) -> Result<Vec<String>, String> {
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
}

/// Parses an `events` value: `"all"`, `[names]` or `"A,B"`.
pub fn parse_events(v: &toml::Value) -> Result<EventSet, String> {
    if v.as_str() == Some("all") {
        return Ok(EventSet::all().difference(EventSet::INSTRUCTION));
    }
    let names: Vec<String> = match v {
        toml::Value::String(s) => s.split(',').map(|x| x.trim().to_owned()).collect(),
        other => string_list("events", other)?,
    };
    let mut set = EventSet::empty();
    for n in names {
        let e: Event = n.parse().map_err(|_| {
            let valid: Vec<&str> = Event::ALL.iter().map(|e| e.name()).collect();
            format!(
                "`events`: unknown event `{n}` (valid: all, {})",
                valid.join(", ")
            )
        })?;
        set |= e.set();
    }
    Ok(set)
}

impl Settings {
    /// Parses the settings TOML.
    pub fn parse(text: &str) -> Result<Settings, String> {
        let table: toml::Table = text.parse().map_err(|e| format!("settings: {e}"))?;
        let mut s = Settings {
            format: Format::Montrace,
            mode: Mode::Stream,
            events: EventSet::all().difference(EventSet::INSTRUCTION),
            output: None,
            disable: false,
            files: None,
            functions: None,
        };
        for (key, v) in &table {
            let want_str = || {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{key}`: expected a string, found {v}"))
            };
            match key.as_str() {
                "format" => {
                    let f = want_str()?;
                    s.format = match f.as_str() {
                        "montrace" => Format::Montrace,
                        "text" => Format::Text,
                        _ => match f.strip_prefix("chrome:") {
                            Some(p) if !p.is_empty() => Format::Chrome(p.to_owned()),
                            _ => {
                                return Err(format!(
                                    "`format`: unknown format `{f}` (valid: montrace, text, chrome:PATH)"
                                ));
                            }
                        },
                    }
                }
                "mode" => {
                    s.mode = match want_str()?.as_str() {
                        "stream" => Mode::Stream,
                        "counts" => Mode::Counts,
                        m => {
                            return Err(format!(
                                "`mode`: unknown mode `{m}` (valid: stream, counts)"
                            ));
                        }
                    }
                }
                "events" => s.events = parse_events(v)?,
                "output" => s.output = Some(want_str()?),
                "disable" => {
                    s.disable = v
                        .as_bool()
                        .ok_or_else(|| format!("`disable`: expected true or false, found {v}"))?;
                }
                "files" => s.files = Some(string_list(key, v)?),
                "functions" => s.functions = Some(string_list(key, v)?),
                other => {
                    return Err(format!(
                        "unknown setting `{other}` (valid: format, mode, events, output, disable, files, functions)"
                    ));
                }
            }
        }
        if s.mode == Mode::Counts && s.format != Format::Montrace {
            return Err("`mode`: counts is only for format = \"montrace\"".to_owned());
        }
        Ok(s)
    }

    /// Whether the file and function filters keep a code object.
    pub fn selects(&self, filename: &str, qualname: &str, main_script: bool) -> bool {
        let file_ok = match &self.files {
            None => main_script,
            Some(globs) => globs.iter().any(|g| glob_match(g, filename)),
        };
        let func_ok = match &self.functions {
            None => true,
            Some(globs) => globs.iter().any(|g| glob_match(g, qualname)),
        };
        file_ok && func_ok
    }
}

pub use vigil_plugin_api::glob::glob_match;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_montraces() {
        let s = Settings::parse("").unwrap();
        assert_eq!(s.format, Format::Montrace);
        assert_eq!(s.mode, Mode::Stream);
        assert_eq!(s.events, EventSet::all() - EventSet::INSTRUCTION);
        assert!(s.output.is_none());
    }

    #[test]
    fn errors_name_the_key() {
        assert!(
            Settings::parse("mode = \"lots\"")
                .unwrap_err()
                .contains("`mode`")
        );
        assert!(
            Settings::parse("events = [\"LINES\"]")
                .unwrap_err()
                .contains("LINES")
        );
        assert!(
            Settings::parse("colour = 1")
                .unwrap_err()
                .contains("`colour`")
        );
        assert!(
            Settings::parse("format = \"chrome:\"")
                .unwrap_err()
                .contains("`format`")
        );
        assert!(Settings::parse("format = \"text\"\nmode = \"counts\"").is_err());
    }

    #[test]
    fn events_forms() {
        let a = Settings::parse("events = \"LINE,CALL\"").unwrap().events;
        let b = Settings::parse("events = [\"LINE\", \"CALL\"]")
            .unwrap()
            .events;
        assert_eq!(a, EventSet::LINE | EventSet::CALL);
        assert_eq!(a, b);
    }

    #[test]
    fn globs_and_filters() {
        assert!(glob_match("*.py", "/a/b/c.py"));
        assert!(glob_match("/a/*/c.py", "/a/b/c.py"));
        assert!(!glob_match("*.py", "/a/b/c.pyc"));
        assert!(glob_match("f?o", "foo"));
        assert!(glob_match("C.*", "C.method"));
        let s = Settings::parse("files = [\"*/lib/*\"]\nfunctions = [\"work*\"]").unwrap();
        assert!(s.selects("/x/lib/m.py", "worker", false));
        assert!(!s.selects("/x/lib/m.py", "main", false));
        assert!(!s.selects("/x/src/m.py", "worker", true));
        let d = Settings::parse("").unwrap();
        assert!(d.selects("/p.py", "f", true));
        assert!(!d.selects("/lib.py", "f", false));
    }
}
