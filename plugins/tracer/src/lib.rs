//! vigil's event tracer plugin: the SDK glue that turns Host API events into tracer input.
//!
//! Formats (setting `format`): `montrace`, which prints exactly what
//! `shared/conformance/montrace.py` prints under CPython 3.13 for the same options (the
//! conformance contract: `mode`, `events`, `output`, `disable` mirror its `--mode`,
//! `--events`, `--out`, `--disable`, and like it only events whose code object comes from the
//! main script are kept); `text`, readable lines indented by call depth; `chrome:PATH`, trace
//! events for Perfetto / `chrome://tracing`. The text and Chrome formats also filter by file
//! glob (`files`) and function (`functions`). Settings are in `settings.rs`, the output logic
//! in `trace.rs`, value rendering in `norm.rs`; this file owns only the plumbing: caching
//! what it learns about each code object, and asking the host for names and lines.
//!
//! Host API used: `set_events`; code views `qualname`, `filename`, `line_table`;
//! `program_path` (falls back to the first code object's file when the host lacks it); value
//! views `kind`, `repr`, `type_name`, `callable_qualname`, `callable_name`, `items`,
//! `exception_args`, `builtin_self_type_name`, `as_code` + code `qualname` (for code values).

pub mod norm;
pub mod settings;
pub mod trace;

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

use vigil_plugin_api::{
    Action, Code, CodeHandle, Event, EventSet, Host, PluginError, Tool, Value, ValueKind,
    export_plugin,
};

use norm::{ValueView, callable_name, norm};
use settings::{Format, Settings};
use trace::{CodeMeta, Tracer};

impl ValueView for Value<'_> {
    fn kind(&self) -> ValueKind {
        Value::kind(self).unwrap_or(ValueKind::OTHER)
    }
    fn repr(&self) -> String {
        Value::repr(self).unwrap_or_else(|e| format!("<repr failed: {e}>"))
    }
    fn type_name(&self) -> String {
        Value::type_name(self).unwrap_or_else(|_| "object".to_owned())
    }
    fn qualname(&self) -> Option<String> {
        self.callable_qualname().ok()
    }
    fn name(&self) -> Option<String> {
        self.callable_name().ok()
    }
    fn items(&self) -> Vec<Self> {
        Value::items(self).unwrap_or_default()
    }
    fn exception_args(&self) -> Vec<Self> {
        Value::exception_args(self).unwrap_or_default()
    }
    fn builtin_self_type(&self) -> Option<String> {
        self.builtin_self_type_name().ok().flatten()
    }
    fn code_qualname(&self) -> Option<String> {
        None
    }
}

/// Renders a value for montrace, resolving code values through the host.
fn show(host: &Host, v: &Value<'_>) -> String {
    if ValueView::kind(v) == ValueKind::CODE
        && let Ok(h) = v.as_code()
        && let Ok(q) = host.code(h).qualname()
    {
        return format!("<code {q}>");
    }
    norm(v)
}

/// The tracer tool.
pub struct TracerTool {
    tracer: Tracer,
    codes: HashMap<CodeHandle, Rc<CodeMeta>>,
    main_path: Option<String>,
    /// The host handle from `create` (a copyable pair of pointers, valid for the run).
    host: Host,
    start: Instant,
}

impl TracerTool {
    fn meta(&mut self, code: Code<'_>) -> Rc<CodeMeta> {
        if let Some(m) = self.codes.get(&code.handle()) {
            return m.clone();
        }
        let filename = code.filename().unwrap_or_default();
        if self.main_path.is_none() {
            // Asked again here because a host may learn the script only when it starts it;
            // without an answer, the first code object to run is the main script's module.
            self.main_path = Some(
                self.host
                    .program_path()
                    .unwrap_or_else(|_| filename.clone()),
            );
        }
        let main = self.main_path.clone().unwrap_or_default();
        let qualname = code.qualname().unwrap_or_else(|_| "?".to_owned());
        let mine = filename == main;
        let meta = Rc::new(CodeMeta {
            selected: self.tracer.settings().selects(&filename, &qualname, mine),
            qualname,
            filename,
            mine,
            lines: code.line_table().unwrap_or_default(),
        });
        self.codes.insert(code.handle(), meta.clone());
        meta
    }

    fn action(&self, event: Event) -> Action {
        if self.tracer.settings().disable && event.is_local() {
            Action::DISABLE
        } else {
            Action::CONTINUE
        }
    }

    /// One event at `offset` (or, for LINE, at `line`), with its argument text built only
    /// when the event is kept.
    fn on(
        &mut self,
        event: Event,
        code: Code<'_>,
        at: Result<u32, u32>,
        extra: impl FnOnce(&CodeMeta) -> String,
    ) -> Action {
        let meta = self.meta(code);
        let line = match at {
            Ok(offset) => meta.line_at(offset),
            Err(line) => Some(line as i32),
        };
        let text = if self.tracer.wants(event, &meta) {
            extra(&meta)
        } else {
            String::new()
        };
        let ts = self.start.elapsed().as_secs_f64() * 1e6;
        self.tracer.event(event, &meta, line, &text, ts);
        self.action(event)
    }

    fn on_call(
        &mut self,
        host: &Host,
        event: Event,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        self.on(event, code, Ok(offset), |_| {
            format!("{} {}", callable_name(&callable), show(host, &arg0))
        })
    }
}

impl Tool for TracerTool {
    const NAME: &'static str = "tracer";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const EVENTS: EventSet = EventSet::all();

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let settings = Settings::parse(settings).map_err(PluginError::settings)?;
        let sink: Box<dyn std::io::Write> = match &settings.output {
            Some(path) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(path).map_err(|e| {
                    PluginError::settings(format!("`output`: cannot create {path}: {e}"))
                })?,
            )),
            None => Box::new(std::io::stderr()),
        };
        let mut events = settings.events;
        if settings.format == Format::Text {
            // Indentation needs every frame entry and exit, printed or not.
            events |= EventSet::PY_START
                | EventSet::PY_RESUME
                | EventSet::PY_RETURN
                | EventSet::PY_YIELD
                | EventSet::PY_UNWIND;
        }
        host.set_events(events)?;
        Ok(TracerTool {
            tracer: Tracer::new(settings, sink),
            codes: HashMap::new(),
            main_path: host.program_path().ok(),
            host: *host,
            start: Instant::now(),
        })
    }

    fn finish(&mut self, _host: &Host, _exit_code: i32) -> Result<(), PluginError> {
        self.tracer.finish().map_err(PluginError::failed)
    }

    fn py_start(&mut self, _: &Host, code: Code<'_>, offset: u32) -> Action {
        self.on(Event::PyStart, code, Ok(offset), |_| String::new())
    }
    fn py_resume(&mut self, _: &Host, code: Code<'_>, offset: u32) -> Action {
        self.on(Event::PyResume, code, Ok(offset), |_| String::new())
    }
    fn py_return(&mut self, host: &Host, code: Code<'_>, offset: u32, value: Value<'_>) -> Action {
        self.on(Event::PyReturn, code, Ok(offset), |_| show(host, &value))
    }
    fn py_yield(&mut self, host: &Host, code: Code<'_>, offset: u32, value: Value<'_>) -> Action {
        self.on(Event::PyYield, code, Ok(offset), |_| show(host, &value))
    }
    fn call(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        self.on_call(host, Event::Call, code, offset, callable, arg0)
    }
    fn c_return(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        self.on_call(host, Event::CReturn, code, offset, callable, arg0)
    }
    fn c_raise(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        self.on_call(host, Event::CRaise, code, offset, callable, arg0)
    }
    fn line(&mut self, _: &Host, code: Code<'_>, line: u32) -> Action {
        self.on(Event::Line, code, Err(line), |_| String::new())
    }
    fn instruction(&mut self, _: &Host, code: Code<'_>, offset: u32) -> Action {
        self.on(Event::Instruction, code, Ok(offset), |_| String::new())
    }
    fn jump(&mut self, _: &Host, code: Code<'_>, offset: u32, dest: u32) -> Action {
        self.on(Event::Jump, code, Ok(offset), |m| arrow(m, dest))
    }
    fn branch(&mut self, _: &Host, code: Code<'_>, offset: u32, dest: u32) -> Action {
        self.on(Event::Branch, code, Ok(offset), |m| arrow(m, dest))
    }
    fn stop_iteration(&mut self, h: &Host, c: Code<'_>, o: u32, exc: Value<'_>) -> Action {
        self.on(Event::StopIteration, c, Ok(o), |_| show(h, &exc))
    }
    fn raise(&mut self, h: &Host, c: Code<'_>, o: u32, exc: Value<'_>) -> Action {
        self.on(Event::Raise, c, Ok(o), |_| show(h, &exc))
    }
    fn exception_handled(&mut self, h: &Host, c: Code<'_>, o: u32, exc: Value<'_>) -> Action {
        self.on(Event::ExceptionHandled, c, Ok(o), |_| show(h, &exc))
    }
    fn py_unwind(&mut self, h: &Host, c: Code<'_>, o: u32, exc: Value<'_>) -> Action {
        self.on(Event::PyUnwind, c, Ok(o), |_| show(h, &exc))
    }
    fn py_throw(&mut self, h: &Host, c: Code<'_>, o: u32, exc: Value<'_>) -> Action {
        self.on(Event::PyThrow, c, Ok(o), |_| show(h, &exc))
    }
    fn reraise(&mut self, h: &Host, c: Code<'_>, o: u32, exc: Value<'_>) -> Action {
        self.on(Event::Reraise, c, Ok(o), |_| show(h, &exc))
    }
}

/// BRANCH/JUMP's argument: `->L`, L the line of the destination offset.
fn arrow(meta: &CodeMeta, dest: u32) -> String {
    match meta.line_at(dest) {
        Some(l) => format!("->{l}"),
        None => "->None".to_owned(),
    }
}

export_plugin!(TracerTool);

// Its own heap, apart from the arena holding the program's objects (see the macro).
#[cfg(feature = "private-heap")]
vigil_plugin_api::private_heap!();
