//! The tracer's logic: which events are kept (event, file and function filters), how one event
//! becomes one line of `montrace` or `text` output or one Chrome trace event, the `counts`
//! histogram, and writing it all out. Events arrive here already resolved to names and lines
//! (the SDK glue in `lib.rs` asks the host), so every rule is testable on synthetic sequences.
//!
//! It does not talk to the host and does not parse settings (see `settings.rs`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use vigil_plugin_api::{Event, LineEntry};

use crate::settings::{Format, Mode, Settings};

/// What the tracer knows about one code object, fetched once per code object.
#[derive(Clone, Debug, Default)]
pub struct CodeMeta {
    /// `co_qualname`.
    pub qualname: String,
    /// `co_filename`.
    pub filename: String,
    /// Whether the code comes from the main script (montrace keeps only those).
    pub mine: bool,
    /// Whether the file and function filters keep this code.
    pub selected: bool,
    /// The offset → line table.
    pub lines: Vec<LineEntry>,
}

impl CodeMeta {
    /// The line of `offset`, as montrace's `Lines` computes it from `co_lines()`; `None` where
    /// the instruction has no line.
    pub fn line_at(&self, offset: u32) -> Option<i32> {
        let i = self.lines.partition_point(|e| e.offset <= offset);
        let entry = self.lines.get(i.checked_sub(1)?)?;
        (entry.line >= 0).then_some(entry.line)
    }
}

/// `qualname:line`, with `None` for a missing line as montrace prints it.
pub fn where_(code: &CodeMeta, line: Option<i32>) -> String {
    match line {
        Some(l) => format!("{}:{l}", code.qualname),
        None => format!("{}:None", code.qualname),
    }
}

/// The output of a run in progress.
pub struct Tracer {
    settings: Settings,
    counts: HashMap<String, u64>,
    /// Call depth, for the `text` format's indentation.
    depth: usize,
    /// Chrome trace events, written at the end.
    chrome: Vec<serde_json::Value>,
    sink: Box<dyn Write>,
    /// The first write error; later lines are dropped and `finish` reports it.
    failed: Option<io::Error>,
}

impl Tracer {
    /// A tracer writing its stream to `sink` (the output file, or stderr).
    pub fn new(settings: Settings, sink: Box<dyn Write>) -> Tracer {
        Tracer {
            settings,
            counts: HashMap::new(),
            depth: 0,
            chrome: Vec::new(),
            sink,
            failed: None,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether an event on `code` is printed (filters and the main-script rule).
    pub fn wants(&self, event: Event, code: &CodeMeta) -> bool {
        if !self.settings.events.contains(event.set()) {
            return false;
        }
        match self.settings.format {
            // The conformance format keeps montrace's selection (main script only); explicit
            // `files`/`functions` filters narrow it further.
            Format::Montrace => code.mine && code.selected,
            Format::Text | Format::Chrome(_) => code.selected,
        }
    }

    fn write_line(&mut self, text: &str) {
        if self.failed.is_some() {
            return;
        }
        // One write per line: on stderr (unbuffered) that keeps each line whole and in order
        // with whatever the program writes there, as montrace's line-buffered stderr does.
        let mut line = String::with_capacity(text.len() + 1);
        line.push_str(text);
        line.push('\n');
        if let Err(e) = self.sink.write_all(line.as_bytes()) {
            self.failed = Some(e);
        }
    }

    /// One event. `line` is the line the event is reported at (for LINE, the new line);
    /// `extra` is the event's argument text as montrace formats it (empty for none);
    /// `ts_us` is the time since the start, for the Chrome format.
    pub fn event(
        &mut self,
        event: Event,
        code: &CodeMeta,
        line: Option<i32>,
        extra: &str,
        ts_us: f64,
    ) {
        // Depth is tracked for every code object, kept or not, so indentation stays right.
        let leaving = matches!(event, Event::PyReturn | Event::PyYield | Event::PyUnwind);
        let entering = matches!(event, Event::PyStart | Event::PyResume);
        if leaving {
            self.depth = self.depth.saturating_sub(1);
        }
        if self.wants(event, code) {
            let mut text = format!("{} {}", event.name(), where_(code, line));
            if !extra.is_empty() {
                text.push(' ');
                text.push_str(extra);
            }
            match &self.settings.format {
                Format::Montrace => match self.settings.mode {
                    Mode::Counts => *self.counts.entry(text).or_insert(0) += 1,
                    Mode::Stream => self.write_line(&text),
                },
                Format::Text => {
                    let mut s = String::with_capacity(text.len() + 2 * self.depth + 20);
                    for _ in 0..self.depth {
                        s.push_str("  ");
                    }
                    let _ = write!(s, "{text}");
                    if entering {
                        let file = code.filename.rsplit('/').next().unwrap_or("");
                        let _ = write!(s, "  ({file})");
                    }
                    self.write_line(&s);
                }
                Format::Chrome(_) => self.chrome_event(event, code, line, extra, ts_us),
            }
        }
        if entering {
            self.depth += 1;
        }
    }

    fn chrome_event(
        &mut self,
        event: Event,
        code: &CodeMeta,
        line: Option<i32>,
        extra: &str,
        ts_us: f64,
    ) {
        let (ph, name) = match event {
            Event::PyStart | Event::PyResume => ("B", code.qualname.clone()),
            Event::PyReturn | Event::PyYield | Event::PyUnwind => ("E", code.qualname.clone()),
            _ => ("i", event.name().to_owned()),
        };
        let mut ev = serde_json::json!({
            "name": name,
            "cat": event.name(),
            "ph": ph,
            "ts": ts_us,
            "pid": 1,
            "tid": 1,
            "args": {
                "file": code.filename,
                "function": code.qualname,
                "line": line,
            },
        });
        if ph == "i" {
            ev["s"] = "t".into();
        }
        if !extra.is_empty() {
            ev["args"]["detail"] = extra.into();
        }
        self.chrome.push(ev);
    }

    /// Writes what is buffered (the counts histogram, the Chrome file) and flushes.
    pub fn finish(&mut self) -> Result<(), String> {
        if self.settings.format == Format::Montrace && self.settings.mode == Mode::Counts {
            let mut rows: Vec<(&String, &u64)> = self.counts.iter().collect();
            // montrace sorts the texts as Python strings: by code point, which is the byte
            // order of UTF-8.
            rows.sort_by(|a, b| a.0.cmp(b.0));
            let lines: Vec<String> = rows.iter().map(|(t, n)| format!("{n}\t{t}")).collect();
            for l in lines {
                self.write_line(&l);
            }
        }
        if let Format::Chrome(path) = &self.settings.format {
            let doc = serde_json::json!({
                "traceEvents": std::mem::take(&mut self.chrome),
                "displayTimeUnit": "ms",
            });
            let text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
            std::fs::write(path, text)
                .map_err(|e| format!("cannot write the Chrome trace {path}: {e}"))?;
        }
        if let Err(e) = self.sink.flush() {
            self.failed.get_or_insert(e);
        }
        match self.failed.take() {
            Some(e) => Err(format!("cannot write the trace: {e}")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use vigil_plugin_api::EventSet;

    #[derive(Clone, Default)]
    struct Buf(Rc<RefCell<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    impl Buf {
        fn text(&self) -> String {
            String::from_utf8(self.0.borrow().clone()).unwrap()
        }
    }

    fn code(q: &str, mine: bool, lines: &[(u32, i32)]) -> CodeMeta {
        CodeMeta {
            qualname: q.to_owned(),
            filename: if mine { "/p/prog.py" } else { "/lib/other.py" }.to_owned(),
            mine,
            selected: mine,
            lines: lines
                .iter()
                .map(|&(offset, line)| LineEntry { offset, line })
                .collect(),
        }
    }

    fn tracer(settings: &str) -> (Tracer, Buf) {
        let buf = Buf::default();
        let s = Settings::parse(settings).unwrap();
        (Tracer::new(s, Box::new(buf.clone())), buf)
    }

    #[test]
    fn line_lookup_follows_co_lines() {
        let c = code("f", true, &[(0, 3), (4, -1), (6, 5)]);
        assert_eq!(c.line_at(0), Some(3));
        assert_eq!(c.line_at(3), Some(3));
        assert_eq!(c.line_at(4), None);
        assert_eq!(c.line_at(100), Some(5));
        assert_eq!(where_(&c, c.line_at(5)), "f:None");
    }

    #[test]
    fn stream_mode_prints_montrace_lines_for_the_main_script_only() {
        let (mut t, buf) = tracer("format = \"montrace\"");
        let m = code("<module>", true, &[(0, 1)]);
        let lib = code("helper", false, &[(0, 10)]);
        t.event(Event::PyStart, &m, Some(1), "", 0.0);
        t.event(Event::Line, &m, Some(1), "", 0.0);
        t.event(Event::Call, &m, Some(1), "helper 3", 0.0);
        t.event(Event::PyStart, &lib, Some(10), "", 0.0);
        t.event(Event::Branch, &m, Some(1), "->4", 0.0);
        t.event(Event::PyReturn, &m, Some(1), "None", 0.0);
        t.finish().unwrap();
        assert_eq!(
            buf.text(),
            "PY_START <module>:1\nLINE <module>:1\nCALL <module>:1 helper 3\n\
             BRANCH <module>:1 ->4\nPY_RETURN <module>:1 None\n"
        );
    }

    #[test]
    fn montrace_honours_an_explicit_function_filter() {
        let (mut t, buf) = tracer("functions = [\"f\"]");
        let mut f = code("f", true, &[(0, 3)]);
        let mut g = code("g", true, &[(0, 5)]);
        f.selected = t.settings().selects(&f.filename, &f.qualname, true);
        g.selected = t.settings().selects(&g.filename, &g.qualname, true);
        t.event(Event::Line, &f, Some(3), "", 0.0);
        t.event(Event::Line, &g, Some(5), "", 0.0);
        t.finish().unwrap();
        assert_eq!(buf.text(), "LINE f:3\n");
    }

    #[test]
    fn instruction_is_not_in_all_and_event_lists_filter() {
        let s = Settings::parse("format = \"montrace\"\nevents = \"all\"").unwrap();
        assert!(!s.events.contains(EventSet::INSTRUCTION));
        assert!(s.events.contains(EventSet::C_RAISE | EventSet::LINE));
        let (mut t, buf) = tracer("events = [\"LINE\"]");
        let m = code("<module>", true, &[(0, 1)]);
        t.event(Event::PyStart, &m, Some(1), "", 0.0);
        t.event(Event::Line, &m, Some(2), "", 0.0);
        t.finish().unwrap();
        assert_eq!(buf.text(), "LINE <module>:2\n");
    }

    #[test]
    fn counts_mode_sorts_by_text_like_python() {
        let (mut t, buf) = tracer("mode = \"counts\"");
        let m = code("<module>", true, &[(0, 1)]);
        let f = code("f", true, &[(0, 7)]);
        for _ in 0..3 {
            t.event(Event::Line, &f, Some(8), "", 0.0);
        }
        t.event(Event::Line, &m, Some(1), "", 0.0);
        t.event(Event::Call, &m, Some(1), "f 1", 0.0);
        t.event(Event::Line, &f, Some(10), "", 0.0);
        t.finish().unwrap();
        assert_eq!(
            buf.text(),
            "1\tCALL <module>:1 f 1\n1\tLINE <module>:1\n1\tLINE f:10\n3\tLINE f:8\n"
        );
    }

    #[test]
    fn text_format_indents_by_depth() {
        let (mut t, buf) = tracer("format = \"text\"");
        let m = code("<module>", true, &[(0, 1)]);
        let f = code("f", true, &[(0, 3)]);
        let lib = code("g", false, &[(0, 3)]);
        t.event(Event::PyStart, &m, Some(1), "", 0.0);
        t.event(Event::Line, &m, Some(1), "", 0.0);
        t.event(Event::PyStart, &lib, Some(3), "", 0.0);
        t.event(Event::PyStart, &f, Some(3), "", 0.0);
        t.event(Event::Line, &f, Some(4), "", 0.0);
        t.event(Event::PyReturn, &f, Some(4), "3", 0.0);
        t.event(Event::PyReturn, &lib, Some(4), "3", 0.0);
        t.event(Event::PyReturn, &m, Some(1), "None", 0.0);
        t.finish().unwrap();
        assert_eq!(
            buf.text(),
            "PY_START <module>:1  (prog.py)\n  LINE <module>:1\n    PY_START f:3  (prog.py)\n\
             \x20     LINE f:4\n    PY_RETURN f:4 3\nPY_RETURN <module>:1 None\n"
        );
    }

    #[test]
    fn chrome_format_writes_begin_end_pairs() {
        let dir = std::env::temp_dir().join(format!("vigil-tracer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.json");
        let (mut t, _) = tracer(&format!("format = \"chrome:{}\"", path.display()));
        let f = code("f", true, &[(0, 3)]);
        t.event(Event::PyStart, &f, Some(3), "", 1.0);
        t.event(Event::Line, &f, Some(3), "", 2.0);
        t.event(Event::PyReturn, &f, Some(3), "None", 5.0);
        t.finish().unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let evs = doc["traceEvents"].as_array().unwrap();
        let phases: Vec<&str> = evs.iter().map(|e| e["ph"].as_str().unwrap()).collect();
        assert_eq!(phases, ["B", "i", "E"]);
        assert_eq!(evs[0]["name"], "f");
        assert_eq!(evs[2]["ts"], 5.0);
    }

    #[test]
    fn a_failing_sink_is_reported_by_finish() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut t = Tracer::new(Settings::parse("").unwrap(), Box::new(Broken));
        t.event(Event::Line, &code("f", true, &[(0, 1)]), Some(1), "", 0.0);
        let err = t.finish().unwrap_err();
        assert!(err.contains("disk full"), "{err}");
    }
}
