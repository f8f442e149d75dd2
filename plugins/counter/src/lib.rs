//! `counter`: a tool that counts every event except INSTRUCTION and never returns DISABLE,
//! so each event at each location keeps firing for the whole run. It is the worst-case
//! native tool of the benchmark (issue 6's "count-every-event ≤ 2.0" target) and the twin of
//! `cpy_tools.py count` on CPython; at finish it writes one total per event.
//!
//! It deliberately does no per-location bookkeeping (no maps keyed by code or offset, no
//! Host API calls in callbacks): the benchmark should measure the cost of delivering events,
//! not of a tool's own data structures. It does not validate counts against CPython either;
//! the harness does that by comparing the totals with the corpus `.counts` files.
//!
//! Settings (`[tool.settings]`, all optional):
//! * `report = "PATH"`: write the totals to PATH instead of stderr.
//! * `events = ["LINE", "CALL", ...]`: count only these (default: all but INSTRUCTION).
//!   INSTRUCTION is refused: it is outside what this tool is for, and asking for it by
//!   accident would make every benchmark meaningless.

use std::fmt::Write as _;
use std::str::FromStr as _;

use vigil_plugin_api::{
    Action, Code, CodeHandle, Event, EventHints, EventSet, Host, PluginError, Tool, Value, ValueRef,
};

/// Every event but INSTRUCTION: what the tool handles and asks for by default.
pub const COUNTED: EventSet = EventSet::all().difference(EventSet::INSTRUCTION);

/// The tool: one counter per event, indexed by [`Event`] as `usize`.
pub struct Counter {
    counts: [u64; Event::COUNT],
    report: Option<String>,
    events: EventSet,
}

/// The parsed `[tool.settings]`.
#[derive(Debug, PartialEq, Eq)]
pub struct Settings {
    /// Where the totals go; `None` means stderr.
    pub report: Option<String>,
    /// The events to ask for.
    pub events: EventSet,
}

impl Settings {
    /// Parses the settings table (TOML text, possibly empty), naming the key on any error.
    pub fn parse(text: &str) -> Result<Settings, PluginError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e| PluginError::settings(format!("invalid settings TOML: {e}")))?;
        let mut settings = Settings {
            report: None,
            events: COUNTED,
        };
        for (key, value) in &table {
            match key.as_str() {
                "report" => match value.as_str() {
                    Some(path) if !path.is_empty() => settings.report = Some(path.to_owned()),
                    _ => {
                        return Err(PluginError::settings(
                            "`report` must be a non-empty string (a file path)",
                        ));
                    }
                },
                "events" => settings.events = parse_events(value)?,
                other => {
                    return Err(PluginError::settings(format!(
                        "unknown key `{other}` (valid keys: report, events)"
                    )));
                }
            }
        }
        Ok(settings)
    }
}

fn parse_events(value: &toml::Value) -> Result<EventSet, PluginError> {
    let list = value
        .as_array()
        .ok_or_else(|| PluginError::settings("`events` must be an array of event names"))?;
    let mut set = EventSet::empty();
    for item in list {
        let name = item
            .as_str()
            .ok_or_else(|| PluginError::settings("`events` must be an array of event names"))?;
        let event =
            Event::from_str(name).map_err(|e| PluginError::settings(format!("`events`: {e}")))?;
        if event == Event::Instruction {
            return Err(PluginError::settings(
                "`events`: INSTRUCTION is not counted by this tool",
            ));
        }
        set |= event.set();
    }
    // CPython refuses C_RETURN or C_RAISE unless CALL, C_RETURN and C_RAISE are all set
    // ("cannot set C_RETURN or C_RAISE events independently"); completing the triple keeps a
    // list like ["C_RETURN"] working instead of failing in set_events.
    if set.intersects(EventSet::ANCILLARY) {
        set |= EventSet::CALL | EventSet::ANCILLARY;
    }
    Ok(set)
}

impl Counter {
    /// A counter with the given settings and every total at zero.
    pub fn new(settings: Settings) -> Counter {
        Counter {
            counts: [0; Event::COUNT],
            report: settings.report,
            events: settings.events,
        }
    }

    #[inline(always)]
    fn hit(&mut self, event: Event) -> Action {
        self.counts[event as usize] += 1;
        Action::CONTINUE
    }

    /// How many times `event` was delivered.
    #[inline(always)]
    fn hit_fast(&mut self, event: Event) -> bool {
        self.counts[event as usize] += 1;
        true
    }

    pub fn count(&self, event: Event) -> u64 {
        self.counts[event as usize]
    }

    /// The sum over all events.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The report: `EVENT<TAB>N` for each requested event in bit order, then `TOTAL<TAB>N`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for event in self.events.events() {
            let _ = writeln!(out, "{}\t{}", event.name(), self.count(event));
        }
        let _ = writeln!(out, "TOTAL\t{}", self.total());
        out
    }
}

impl Tool for Counter {
    const NAME: &'static str = "counter";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const EVENTS: EventSet = COUNTED;

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let settings = Settings::parse(settings)?;
        // Every callback of the SDK's fast-path events counts in its fast path, which never
        // declines: lean deliveries (`EventHints::LEAN`) spare the host its mark and value
        // slots around those calls.
        host.set_events_hinted(settings.events, EventHints::LEAN)?;
        Ok(Counter::new(settings))
    }

    fn finish(&mut self, _host: &Host, _exit_code: i32) -> Result<(), PluginError> {
        let text = self.render();
        match &self.report {
            Some(path) => std::fs::write(path, text)
                .map_err(|e| PluginError::failed(format!("cannot write report {path}: {e}"))),
            None => {
                eprint!("{text}");
                Ok(())
            }
        }
    }

    // The fast paths: a count needs no host, and the SDK then skips its re-entrancy mark
    // and panic bookkeeping (the full callbacks below stay, for a host that delivers the
    // ordinary way).
    #[inline(always)]
    fn py_start_fast(&mut self, _: CodeHandle, _: u32) -> bool {
        self.hit_fast(Event::PyStart)
    }
    #[inline(always)]
    fn py_resume_fast(&mut self, _: CodeHandle, _: u32) -> bool {
        self.hit_fast(Event::PyResume)
    }
    #[inline(always)]
    fn py_return_fast(&mut self, _: CodeHandle, _: u32) -> bool {
        self.hit_fast(Event::PyReturn)
    }
    #[inline(always)]
    fn py_yield_fast(&mut self, _: CodeHandle, _: u32) -> bool {
        self.hit_fast(Event::PyYield)
    }
    #[inline(always)]
    fn call_fast(&mut self, _: CodeHandle, _: u32, _: ValueRef, _: ValueRef) -> bool {
        self.hit_fast(Event::Call)
    }
    #[inline(always)]
    fn c_return_fast(&mut self, _: CodeHandle, _: u32, _: ValueRef, _: ValueRef) -> bool {
        self.hit_fast(Event::CReturn)
    }
    #[inline(always)]
    fn line_fast(&mut self, _: CodeHandle, _: u32) -> bool {
        self.hit_fast(Event::Line)
    }
    #[inline(always)]
    fn jump_fast(&mut self, _: CodeHandle, _: u32, _: u32) -> bool {
        self.hit_fast(Event::Jump)
    }
    #[inline(always)]
    fn branch_fast(&mut self, _: CodeHandle, _: u32, _: u32) -> bool {
        self.hit_fast(Event::Branch)
    }

    fn py_start(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
        self.hit(Event::PyStart)
    }
    fn py_resume(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
        self.hit(Event::PyResume)
    }
    fn py_return(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::PyReturn)
    }
    fn py_yield(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::PyYield)
    }
    fn call(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>, _: Value<'_>) -> Action {
        self.hit(Event::Call)
    }
    fn line(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
        self.hit(Event::Line)
    }
    fn jump(&mut self, _: &Host, _: Code<'_>, _: u32, _: u32) -> Action {
        self.hit(Event::Jump)
    }
    fn branch(&mut self, _: &Host, _: Code<'_>, _: u32, _: u32) -> Action {
        self.hit(Event::Branch)
    }
    fn stop_iteration(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::StopIteration)
    }
    fn raise(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::Raise)
    }
    fn exception_handled(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::ExceptionHandled)
    }
    fn py_unwind(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::PyUnwind)
    }
    fn py_throw(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::PyThrow)
    }
    fn reraise(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
        self.hit(Event::Reraise)
    }
    fn c_return(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>, _: Value<'_>) -> Action {
        self.hit(Event::CReturn)
    }
    fn c_raise(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>, _: Value<'_>) -> Action {
        self.hit(Event::CRaise)
    }
}

vigil_plugin_api::export_plugin!(Counter);

// Its own heap, apart from the arena holding the program's objects (see the macro).
#[cfg(feature = "private-heap")]
vigil_plugin_api::private_heap!();
