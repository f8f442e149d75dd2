//! The debugger proper: what happens at each event, when to stop, and the pdb-like command
//! loop at a stop. It talks to the running program through the [`Backend`] trait (the Host API
//! in the plugin, a scripted fake in tests) and to the user through a writer and a command
//! source (the `commands = [...]` script, then the terminal if `interactive`).
//!
//! Cost model: PY_START is the only global event while running; the first PY_START of a code
//! object registers it and all code objects nested in it, gives LINE (as a *local* event) to
//! those that hold a breakpoint, and answers DISABLE, so later calls cost nothing. In a
//! breakpoint's code object, LINE on other lines answers DISABLE too. `step`, `next` and
//! `return` turn on global LINE (or PY_RETURN/PY_YIELD) until the next stop, and adding a
//! breakpoint or stepping calls `restart_events` so DISABLEd locations can fire again.
//!
//! Differences from pdb, on purpose or for lack of host support: `quit` detaches the debugger
//! and lets the program run to its end (the host API cannot raise into the program); `locals`
//! is a command (pdb spells it `p locals()`).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::io::{BufRead, Write};

use vigil_plugin_api::{Action, CodeHandle, EventSet};

use crate::breakpoints::{Breakpoint, CodeInfo, Location, effective};

/// One frame as the debugger shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameView {
    /// Its code object.
    pub code: CodeHandle,
    /// `co_filename`.
    pub file: String,
    /// `co_name` (pdb shows the name, not the qualname).
    pub name: String,
    /// The current line (0: unknown).
    pub line: u32,
}

/// The running program, as the debugger reaches it.
pub trait Backend {
    /// Frames on the stack (`None`: the host cannot tell).
    fn frame_count(&mut self) -> Option<u32>;
    /// Frame `depth` (0 = the frame of the current event).
    fn frame(&mut self, depth: u32) -> Option<FrameView>;
    /// `(name, repr)` of frame `depth`'s locals.
    fn locals(&mut self, depth: u32) -> Result<Vec<(String, String)>, String>;
    /// `repr(eval(expr))` in frame `depth`.
    fn eval(&mut self, depth: u32, expr: &str) -> Result<String, String>;
    /// `sys.monitoring.set_events` for the debugger's tool id.
    fn set_events(&mut self, events: EventSet);
    /// `sys.monitoring.set_local_events` for `code`.
    fn set_local_events(&mut self, code: CodeHandle, events: EventSet);
    /// `sys.monitoring.restart_events()`.
    fn restart_events(&mut self);
    /// The source text of a file.
    fn source(&mut self, file: &str) -> Option<String>;
}

/// What the program should do until the next stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Run until a breakpoint.
    Continue,
    /// Stop at the next line anywhere.
    Step,
    /// Stop at the next line in a frame at this depth or shallower.
    Next(u32),
    /// Stop when the frame at this depth returns.
    Return(u32),
    /// `next` in a generator frame that yielded: pdb ignores a generator's return events
    /// unless stepping and stops at that frame's next line once it is resumed (same code,
    /// same depth: the frame identity the Host API lets us see).
    NextIn(CodeHandle, u32),
    /// The user quit: no more events.
    Detached,
}

/// The debugger's state.
pub struct Debugger {
    breakpoints: Vec<Breakpoint>,
    next_number: usize,
    codes: HashMap<CodeHandle, CodeInfo>,
    /// Code objects seen yielding: generators and coroutines (their return events follow
    /// pdb's generator rule, see [`Mode::NextIn`]).
    generators: std::collections::HashSet<CodeHandle>,
    /// Code objects that currently have local LINE events from us.
    watched: BTreeSet<CodeHandle>,
    /// Code objects entered through a function breakpoint, waiting for their first line
    /// (with the frame depth of that call).
    pending_function: Vec<(CodeHandle, Option<u32>, usize)>,
    mode: Mode,
    script: VecDeque<String>,
    interactive: bool,
    input: Option<Box<dyn BufRead>>,
    out: Box<dyn Write>,
    last_command: String,
    /// Frame selected by up/down, as a depth.
    selected: u32,
    /// The last line `list` showed, per stop.
    list_next: Option<u32>,
    /// The innermost frame of the current (or last) stop.
    stop_frame: Option<FrameView>,
}

/// The outcome of one command.
enum Next {
    /// Stay at the prompt.
    Prompt,
    /// Resume the program.
    Resume,
}

impl Debugger {
    /// A debugger with its initial breakpoints (as `break` arguments), its command script, and
    /// whether it reads the terminal once the script is exhausted.
    pub fn new(
        breakpoints: &[String],
        script: Vec<String>,
        interactive: bool,
        input: Option<Box<dyn BufRead>>,
        out: Box<dyn Write>,
    ) -> Result<Debugger, String> {
        let mut d = Debugger {
            breakpoints: Vec::new(),
            next_number: 1,
            codes: HashMap::new(),
            generators: Default::default(),
            watched: BTreeSet::new(),
            pending_function: Vec::new(),
            mode: Mode::Continue,
            script: script.into(),
            interactive,
            input,
            out,
            last_command: String::new(),
            selected: 0,
            list_next: None,
            stop_frame: None,
        };
        for b in breakpoints {
            d.add_breakpoint(b)?;
        }
        Ok(d)
    }

    /// The events to ask for when the program starts.
    pub fn initial_events(&self) -> EventSet {
        EventSet::PY_START
    }

    fn say(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    /// Parses `FILE:LINE[, COND]`, `LINE[, COND]` or `FUNC[, COND]` and adds it.
    fn add_breakpoint(&mut self, arg: &str) -> Result<String, String> {
        self.add_breakpoint_kind(arg, false)
    }

    fn add_breakpoint_kind(&mut self, arg: &str, temporary: bool) -> Result<String, String> {
        let (place, cond) = match arg.split_once(',') {
            Some((p, c)) => (
                p.trim(),
                Some(c.trim().to_owned()).filter(|c| !c.is_empty()),
            ),
            None => (arg.trim(), None),
        };
        let location = if let Some((file, line)) = place.rsplit_once(':')
            && let Ok(line) = line.trim().parse::<u32>()
        {
            Location::Line {
                file: resolve(file.trim()),
                line,
            }
        } else if let Ok(line) = place.parse::<u32>() {
            let file = self
                .current_file()
                .ok_or("a bare line number needs a current file (stop somewhere first)")?;
            Location::Line { file, line }
        } else if !place.is_empty()
            && place
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '<' || c == '>')
        {
            Location::Function(place.to_owned())
        } else {
            return Err(format!(
                "bad breakpoint `{arg}` (use FILE:LINE, LINE or FUNCTION)"
            ));
        };
        let number = self.next_number;
        self.next_number += 1;
        let b = Breakpoint {
            number,
            location,
            condition: cond,
            hits: 0,
            ignore: 0,
            enabled: true,
            temporary,
        };
        let kind = if temporary {
            "Temporary breakpoint"
        } else {
            "Breakpoint"
        };
        let msg = format!("{kind} {number} at {}", b.describe());
        self.breakpoints.push(b);
        Ok(msg)
    }

    fn current_file(&self) -> Option<String> {
        self.stop_frame.as_ref().map(|f| f.file.clone())
    }

    /// Registers code objects (a module's code and everything nested in it).
    pub fn discover(&mut self, backend: &mut dyn Backend, codes: Vec<(CodeHandle, CodeInfo)>) {
        for (h, info) in codes {
            self.codes.entry(h).or_insert(info);
        }
        self.rewatch(backend);
    }

    /// Whether a code object is known.
    pub fn knows(&self, code: CodeHandle) -> bool {
        self.codes.contains_key(&code)
    }

    /// Gives local LINE events to exactly the code objects that hold a breakpoint.
    fn rewatch(&mut self, backend: &mut dyn Backend) {
        let want: BTreeSet<CodeHandle> = self
            .codes
            .iter()
            .filter(|(_, c)| self.breakpoints.iter().any(|b| b.enabled && b.concerns(c)))
            .map(|(h, _)| *h)
            .collect();
        for h in want.difference(&self.watched) {
            let mut ev = EventSet::LINE;
            if self
                .breakpoints
                .iter()
                .any(|b| b.on_function(&self.codes[h]))
            {
                ev |= EventSet::PY_START;
            }
            backend.set_local_events(*h, ev);
        }
        for h in self.watched.difference(&want) {
            backend.set_local_events(*h, EventSet::empty());
        }
        self.watched = want;
    }

    /// PY_START of `code`.
    pub fn py_start(&mut self, backend: &mut dyn Backend, code: CodeHandle) -> Action {
        if self.mode == Mode::Detached {
            return Action::DISABLE;
        }
        let Some(info) = self.codes.get(&code) else {
            return Action::CONTINUE;
        };
        let hit: Vec<usize> = self
            .breakpoints
            .iter()
            .enumerate()
            .filter(|(_, b)| b.enabled && b.on_function(info))
            .map(|(i, _)| i)
            .collect();
        let depth = backend.frame_count();
        let stepping = self.mode == Mode::Step;
        if hit.is_empty() && !stepping {
            // Nothing to do here on later calls: this is what keeps calls free.
            return Action::DISABLE;
        }
        for i in hit {
            self.pending_function.push((code, depth, i));
        }
        if stepping {
            // pdb's `step` stops at the call itself, on the `def` line.
            self.say("--Call--");
            self.stop(backend, None);
        }
        Action::CONTINUE
    }

    /// LINE `line` in `code`.
    pub fn line(&mut self, backend: &mut dyn Backend, code: CodeHandle, line: u32) -> Action {
        if self.mode == Mode::Detached {
            return Action::DISABLE;
        }
        let info = self.codes.get(&code).cloned().unwrap_or_default();
        // A function breakpoint stops at the first line of the call.
        let depth = backend.frame_count();
        let pending: Vec<usize> = self
            .pending_function
            .iter()
            .filter(|(c, d, _)| *c == code && (d.is_none() || *d == depth))
            .map(|(_, _, i)| *i)
            .collect();
        self.pending_function
            .retain(|(c, d, _)| !(*c == code && (d.is_none() || *d == depth)));
        let mut reached: Vec<usize> = pending;
        reached.extend(
            self.breakpoints
                .iter()
                .enumerate()
                .filter(|(_, b)| b.at_line(&info, line))
                .map(|(i, _)| i),
        );
        let has_line_bp = self.breakpoints.iter().any(|b| b.at_line(&info, line));
        let stepping_stop = match self.mode {
            Mode::Step => true,
            Mode::Next(d) => depth.is_none_or(|now| now <= d),
            Mode::NextIn(c, d) => c == code && depth.is_none_or(|now| now == d),
            _ => false,
        };
        let mut stop_msg = None;
        let mut stop = stepping_stop;
        if !reached.is_empty() {
            let mut eval = |c: &str| backend.eval(0, &format!("bool({c})")).map(|r| r == "True");
            let mut bps: Vec<&mut Breakpoint> = Vec::new();
            for (i, b) in self.breakpoints.iter_mut().enumerate() {
                if reached.contains(&i) {
                    bps.push(b);
                }
            }
            if let Some((number, msg)) = effective(bps.into_iter(), &mut eval) {
                stop = true;
                stop_msg = msg;
                if let Some(i) = self
                    .breakpoints
                    .iter()
                    .position(|b| b.number == number && b.temporary)
                {
                    let b = self.breakpoints.remove(i);
                    self.say(&format!("Deleted breakpoint {number} at {}", b.describe()));
                    self.rewatch(backend);
                }
            }
        }
        if stop {
            if let Some(m) = stop_msg {
                self.say(&m);
            }
            self.stop(backend, None);
            return Action::CONTINUE;
        }
        if has_line_bp
            || matches!(self.mode, Mode::Step | Mode::Next(_))
            || matches!(self.mode, Mode::NextIn(c, _) if c == code)
        {
            Action::CONTINUE
        } else {
            Action::DISABLE
        }
    }

    /// PY_RETURN (`yielding` false) / PY_YIELD of `code` with the returned value's repr.
    pub fn py_return(
        &mut self,
        backend: &mut dyn Backend,
        code: CodeHandle,
        value: &str,
        yielding: bool,
    ) -> Action {
        if yielding {
            self.generators.insert(code);
        }
        let depth = backend.frame_count();
        let generator = self.generators.contains(&code);
        // Like pdb, `step` stops at any return, `next` and `return` at the current frame's,
        // except that a generator's returns and yields only stop `step` (bdb's
        // dispatch_return): `next` then waits for the frame's next line after it resumes,
        // `return` (pdb's set_return on a generator frame) and a finished generator simply
        // run on.
        let stop = match self.mode {
            Mode::Step => true,
            Mode::Next(d) | Mode::Return(d) if generator => {
                if depth.is_none_or(|now| now == d) {
                    self.mode = match self.mode {
                        Mode::Next(_) if yielding => Mode::NextIn(code, d),
                        _ => Mode::Continue,
                    };
                }
                false
            }
            Mode::NextIn(c, d) => {
                if !yielding && c == code && depth.is_none_or(|now| now == d) {
                    self.mode = Mode::Continue;
                }
                false
            }
            Mode::Next(d) | Mode::Return(d) => depth.is_none_or(|now| now <= d),
            Mode::Continue | Mode::Detached => false,
        };
        if stop {
            self.say("--Return--");
            self.stop(backend, Some(value));
        }
        Action::CONTINUE
    }

    /// Shows the stop and runs commands until one resumes the program.
    fn stop(&mut self, backend: &mut dyn Backend, returning: Option<&str>) {
        self.selected = 0;
        self.list_next = None;
        self.stop_frame = backend.frame(0);
        self.show_frame(backend, 0, returning, true);
        loop {
            let Some(cmd) = self.next_command() else {
                // Script over and nobody at the terminal: run on.
                self.resume(backend, Mode::Continue);
                return;
            };
            match self.command(backend, &cmd) {
                Next::Prompt => {}
                Next::Resume => return,
            }
        }
    }

    fn next_command(&mut self) -> Option<String> {
        if let Some(c) = self.script.pop_front() {
            self.say(&format!("(Pdb) {c}"));
            return Some(c);
        }
        if !self.interactive {
            return None;
        }
        let input = self.input.as_mut()?;
        let _ = write!(self.out, "(Pdb) ");
        let _ = self.out.flush();
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => {
                // End of input: like pdb at EOF, leave.
                self.say("");
                Some("quit".to_owned())
            }
            Ok(_) => {
                let line = line.trim().to_owned();
                if line.is_empty() {
                    Some(self.last_command.clone())
                } else {
                    self.last_command.clone_from(&line);
                    Some(line)
                }
            }
        }
    }

    fn resume(&mut self, backend: &mut dyn Backend, mode: Mode) {
        self.mode = mode;
        let events = match mode {
            Mode::Continue => EventSet::PY_START,
            Mode::Step | Mode::Next(_) | Mode::NextIn(..) => {
                EventSet::PY_START | EventSet::LINE | EventSet::PY_RETURN | EventSet::PY_YIELD
            }
            Mode::Return(_) => EventSet::PY_START | EventSet::PY_RETURN | EventSet::PY_YIELD,
            Mode::Detached => EventSet::empty(),
        };
        backend.set_events(events);
        if matches!(mode, Mode::Step | Mode::Next(_)) {
            // Lines and calls we DISABLEd earlier must be able to stop us now.
            backend.restart_events();
        }
        if mode == Mode::Detached {
            for h in std::mem::take(&mut self.watched) {
                backend.set_local_events(h, EventSet::empty());
            }
        }
    }

    fn show_frame(
        &mut self,
        backend: &mut dyn Backend,
        depth: u32,
        returning: Option<&str>,
        current: bool,
    ) {
        let Some(f) = backend.frame(depth) else {
            self.say("*** no frame");
            return;
        };
        let ret = returning.map(|v| format!("->{v}")).unwrap_or_default();
        let mark = if current { ">" } else { " " };
        self.say(&format!("{mark} {}({}){}(){ret}", f.file, f.line, f.name));
        let text = self.source_line(backend, &f.file, f.line);
        self.say(&format!("-> {}", text.trim()));
    }

    fn source_line(&mut self, backend: &mut dyn Backend, file: &str, line: u32) -> String {
        backend
            .source(file)
            .and_then(|s| {
                s.lines()
                    .nth(line.saturating_sub(1) as usize)
                    .map(str::to_owned)
            })
            .unwrap_or_default()
    }

    fn command(&mut self, backend: &mut dyn Backend, cmd: &str) -> Next {
        let (name, arg) = match cmd.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (cmd, ""),
        };
        match name {
            "s" | "step" => {
                self.resume(backend, Mode::Step);
                return Next::Resume;
            }
            "n" | "next" => {
                let d = backend.frame_count().unwrap_or(u32::MAX);
                self.resume(backend, Mode::Next(d));
                return Next::Resume;
            }
            "r" | "return" => {
                let d = backend.frame_count().unwrap_or(u32::MAX);
                self.resume(backend, Mode::Return(d));
                return Next::Resume;
            }
            "c" | "cont" | "continue" => {
                self.resume(backend, Mode::Continue);
                return Next::Resume;
            }
            "q" | "quit" | "exit" => {
                self.resume(backend, Mode::Detached);
                return Next::Resume;
            }
            "w" | "where" | "bt" => self.where_(backend),
            "p" | "print" => match backend.eval(self.selected, arg) {
                Ok(v) => self.say(&v),
                Err(e) => self.say(&format!("*** {e}")),
            },
            "locals" => match backend.locals(self.selected) {
                Ok(vars) => {
                    for (n, v) in vars {
                        self.say(&format!("{n} = {v}"));
                    }
                }
                Err(e) => self.say(&format!("*** {e}")),
            },
            "l" | "list" => self.list(backend, arg),
            "b" | "break" | "tbreak" => {
                if arg.is_empty() {
                    self.list_breakpoints();
                } else {
                    match self.add_breakpoint_kind(arg, name == "tbreak") {
                        Ok(m) => {
                            self.say(&m);
                            self.rewatch(backend);
                            backend.restart_events();
                        }
                        Err(e) => self.say(&format!("*** {e}")),
                    }
                }
            }
            "cl" | "clear" => self.clear(backend, arg),
            "enable" | "disable" => {
                let on = name == "enable";
                for n in arg.split_whitespace() {
                    match self.find(n) {
                        Some(i) => {
                            self.breakpoints[i].enabled = on;
                            let what = if on { "Enabled" } else { "Disabled" };
                            let msg = format!("{what} breakpoint {n} at {}", self.breakpoints[i].describe());
                            self.say(&msg);
                        }
                        None => self.say(&format!("*** No breakpoint numbered {n}")),
                    }
                }
                self.rewatch(backend);
                if on {
                    backend.restart_events();
                }
            }
            "condition" => {
                let (n, c) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
                match self.find(n) {
                    Some(i) => {
                        let c = c.trim();
                        self.breakpoints[i].condition = (!c.is_empty()).then(|| c.to_owned());
                        let msg = if c.is_empty() {
                            format!("Breakpoint {n} is now unconditional.")
                        } else {
                            format!("New condition set for breakpoint {n}.")
                        };
                        self.say(&msg);
                    }
                    None => self.say(&format!("*** No breakpoint numbered {n}")),
                }
            }
            "ignore" => {
                let (n, c) = arg.split_once(char::is_whitespace).unwrap_or((arg, "0"));
                match (self.find(n), c.trim().parse::<u64>()) {
                    (Some(i), Ok(count)) => {
                        self.breakpoints[i].ignore = count;
                        self.say(&format!(
                            "Will ignore next {count} crossings of breakpoint {n}."
                        ));
                    }
                    (None, _) => self.say(&format!("*** No breakpoint numbered {n}")),
                    (_, Err(_)) => self.say("*** ignore needs a count"),
                }
            }
            "u" | "up" => {
                let max = backend.frame_count().unwrap_or(1).saturating_sub(1);
                if self.selected >= max {
                    self.say("*** Oldest frame");
                } else {
                    self.selected += 1;
                    self.list_next = None;
                    self.show_frame(backend, self.selected, None, true);
                }
            }
            "d" | "down" => {
                if self.selected == 0 {
                    self.say("*** Newest frame");
                } else {
                    self.selected -= 1;
                    self.list_next = None;
                    self.show_frame(backend, self.selected, None, true);
                }
            }
            "h" | "help" => self.say(
                "Commands: break|tbreak [FILE:LINE|LINE|FUNC][, COND], clear [N|FILE:LINE], enable N, disable N, condition N [COND], \
                 ignore N COUNT, step, next, return, continue, where, up, down, print EXPR, locals, \
                 list [FIRST[,LAST]], quit",
            ),
            "" => {}
            other => self.say(&format!("*** Unknown command: {other}")),
        }
        Next::Prompt
    }

    fn find(&self, n: &str) -> Option<usize> {
        let n: usize = n.trim().parse().ok()?;
        self.breakpoints.iter().position(|b| b.number == n)
    }

    fn list_breakpoints(&mut self) {
        if self.breakpoints.is_empty() {
            return;
        }
        let mut lines = vec!["Num Type         Disp Enb   Where".to_owned()];
        for b in &self.breakpoints {
            lines.push(format!(
                "{:<3} breakpoint   {} {:<5} at {}",
                b.number,
                if b.temporary { "del " } else { "keep" },
                if b.enabled { "yes" } else { "no" },
                b.describe()
            ));
            if let Some(c) = &b.condition {
                lines.push(format!("\tstop only if {c}"));
            }
            if b.ignore > 0 {
                lines.push(format!("\twill ignore next {} hits", b.ignore));
            }
            if b.hits > 0 {
                let s = if b.hits == 1 { "" } else { "s" };
                lines.push(format!("\tbreakpoint already hit {} time{s}", b.hits));
            }
        }
        for l in lines {
            self.say(&l);
        }
    }

    fn clear(&mut self, backend: &mut dyn Backend, arg: &str) {
        let removed: Vec<Breakpoint> = if arg.is_empty() {
            std::mem::take(&mut self.breakpoints)
        } else if let Some(i) = self.find(arg) {
            vec![self.breakpoints.remove(i)]
        } else if let Some((file, line)) = arg.rsplit_once(':')
            && let Ok(line) = line.trim().parse::<u32>()
        {
            let file = resolve(file.trim());
            let (gone, keep): (Vec<Breakpoint>, Vec<Breakpoint>) =
                std::mem::take(&mut self.breakpoints)
                    .into_iter()
                    .partition(|b| {
                        b.location
                            == Location::Line {
                                file: file.clone(),
                                line,
                            }
                    });
            self.breakpoints = keep;
            gone
        } else {
            self.say(&format!("*** No breakpoint at {arg}"));
            return;
        };
        for b in removed {
            self.say(&format!(
                "Deleted breakpoint {} at {}",
                b.number,
                b.describe()
            ));
        }
        self.rewatch(backend);
    }

    fn where_(&mut self, backend: &mut dyn Backend) {
        let n = backend.frame_count().unwrap_or(1);
        for depth in (0..n).rev() {
            self.show_frame(backend, depth, None, depth == self.selected);
        }
    }

    fn list(&mut self, backend: &mut dyn Backend, arg: &str) {
        let Some(f) = backend.frame(self.selected) else {
            self.say("*** no frame");
            return;
        };
        let (first, last) = if let Some((a, b)) = arg.split_once(',') {
            match (a.trim().parse::<u32>(), b.trim().parse::<u32>()) {
                (Ok(a), Ok(b)) => (a, if b < a { a + b } else { b }),
                _ => {
                    self.say("*** list takes FIRST[,LAST]");
                    return;
                }
            }
        } else if let Ok(center) = arg.parse::<u32>() {
            (
                center.saturating_sub(5).max(1),
                center.saturating_sub(5).max(1) + 10,
            )
        } else {
            let first = self
                .list_next
                .unwrap_or_else(|| f.line.saturating_sub(5).max(1));
            (first, first + 10)
        };
        let Some(src) = backend.source(&f.file) else {
            self.say(&format!("*** cannot read {}", f.file));
            return;
        };
        let bp_lines: BTreeSet<u32> = self
            .breakpoints
            .iter()
            .filter_map(|b| match &b.location {
                Location::Line { file, line }
                    if crate::breakpoints::file_matches(file, &f.file) =>
                {
                    Some(*line)
                }
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for (i, text) in src.lines().enumerate() {
            let no = i as u32 + 1;
            if no < first || no > last {
                continue;
            }
            // pdb's layout: number right-aligned in 3, a space, B for a breakpoint, -> for
            // the current line, a tab, the source.
            let mut s = format!("{no:>3}");
            if s.len() < 4 {
                s.push(' ');
            }
            s.push(if bp_lines.contains(&no) { 'B' } else { ' ' });
            if no == f.line {
                s.push_str("->");
            }
            out.push(format!("{s}\t{text}"));
        }
        let total = src.lines().count() as u32;
        for l in out {
            self.say(&l);
        }
        if last > total {
            self.say("[EOF]");
        }
        self.list_next = Some(last + 1);
    }
}

/// A breakpoint file that exists is made absolute and canonical, as pdb shows it; others are
/// kept as typed and matched as a path suffix (a module not found yet, a path the host spells
/// differently).
fn resolve(file: &str) -> String {
    std::fs::canonicalize(file)
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
        .unwrap_or_else(|| file.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    const SRC: &str = "def f(n):\n    x = n * 2\n    y = g(x)\n    return y\n\ndef g(v):\n    return v + 1\n\nf(1)\nf(2)\n";

    /// A program simulated by hand: a frame stack, values for expressions, and a record of
    /// the monitoring calls the debugger makes.
    #[derive(Default)]
    struct Fake {
        frames: Vec<FrameView>,
        values: HashMap<String, String>,
        events: Vec<EventSet>,
        local: HashMap<CodeHandle, EventSet>,
        restarts: usize,
    }

    impl Fake {
        fn enter(&mut self, code: u64, name: &str, line: u32) {
            self.frames.push(FrameView {
                code: CodeHandle(code),
                file: "/w/prog.py".into(),
                name: name.into(),
                line,
            });
        }
        fn at(&mut self, line: u32) {
            self.frames.last_mut().unwrap().line = line;
        }
    }

    impl Backend for Fake {
        fn frame_count(&mut self) -> Option<u32> {
            Some(self.frames.len() as u32)
        }
        fn frame(&mut self, depth: u32) -> Option<FrameView> {
            let n = self.frames.len();
            self.frames.get(n.checked_sub(1 + depth as usize)?).cloned()
        }
        fn locals(&mut self, depth: u32) -> Result<Vec<(String, String)>, String> {
            Ok(if depth == 0 {
                vec![("n".into(), "2".into()), ("x".into(), "4".into())]
            } else {
                vec![]
            })
        }
        fn eval(&mut self, _: u32, expr: &str) -> Result<String, String> {
            self.values
                .get(expr)
                .cloned()
                .ok_or_else(|| format!("NameError: name '{expr}' is not defined"))
        }
        fn set_events(&mut self, events: EventSet) {
            self.events.push(events);
        }
        fn set_local_events(&mut self, code: CodeHandle, events: EventSet) {
            self.local.insert(code, events);
        }
        fn restart_events(&mut self) {
            self.restarts += 1;
        }
        fn source(&mut self, _: &str) -> Option<String> {
            Some(SRC.to_owned())
        }
    }

    #[derive(Clone, Default)]
    struct Out(Rc<RefCell<Vec<u8>>>);
    impl Write for Out {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Out {
        fn take(&self) -> String {
            String::from_utf8(std::mem::take(&mut *self.0.borrow_mut())).unwrap()
        }
    }

    fn codes() -> Vec<(CodeHandle, CodeInfo)> {
        let info = |q: &str, first: u32, lines: &[u32]| CodeInfo {
            file: "/w/prog.py".into(),
            qualname: q.into(),
            name: q.into(),
            first_line: first,
            lines: lines.iter().copied().collect(),
        };
        vec![
            (CodeHandle(1), info("<module>", 1, &[1, 6, 9, 10])),
            (CodeHandle(2), info("f", 1, &[1, 2, 3, 4])),
            (CodeHandle(3), info("g", 6, &[6, 7])),
        ]
    }

    fn debugger(bps: &[&str], script: &[&str]) -> (Debugger, Out) {
        let out = Out::default();
        let d = Debugger::new(
            &bps.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            script.iter().map(|s| (*s).to_owned()).collect(),
            false,
            None,
            Box::new(out.clone()),
        )
        .unwrap();
        (d, out)
    }

    #[test]
    fn line_breakpoint_watches_only_its_code_object_and_inspects() {
        let (mut d, out) = debugger(&["prog.py:3"], &["p x", "p nope", "locals", "where", "c"]);
        let mut b = Fake::default();
        b.values.insert("x".into(), "4".into());
        assert_eq!(d.initial_events(), EventSet::PY_START);
        b.enter(1, "<module>", 1);
        d.discover(&mut b, codes());
        // Only f holds a breakpoint, so only f gets (local) LINE events.
        assert_eq!(b.local, HashMap::from([(CodeHandle(2), EventSet::LINE)]));
        assert_eq!(d.py_start(&mut b, CodeHandle(1)), Action::DISABLE);
        b.at(9);
        b.enter(2, "f", 1);
        assert_eq!(d.py_start(&mut b, CodeHandle(2)), Action::DISABLE);
        b.at(2);
        assert_eq!(d.line(&mut b, CodeHandle(2), 2), Action::DISABLE);
        b.at(3);
        assert_eq!(d.line(&mut b, CodeHandle(2), 3), Action::CONTINUE);
        assert_eq!(
            out.take(),
            "> /w/prog.py(3)f()\n-> y = g(x)\n(Pdb) p x\n4\n(Pdb) p nope\n\
             *** NameError: name 'nope' is not defined\n(Pdb) locals\nn = 2\nx = 4\n\
             (Pdb) where\n  /w/prog.py(9)<module>()\n-> f(1)\n> /w/prog.py(3)f()\n-> y = g(x)\n\
             (Pdb) c\n"
        );
        assert_eq!(b.events.last(), Some(&EventSet::PY_START));
        // The second call stops again; with the script over, it shows the stop and runs on.
        assert_eq!(d.line(&mut b, CodeHandle(2), 3), Action::CONTINUE);
        assert_eq!(out.take(), "> /w/prog.py(3)f()\n-> y = g(x)\n");
    }

    #[test]
    fn function_breakpoint_with_condition_then_next_and_return() {
        let (mut d, out) = debugger(&["f, n > 1"], &["next", "next", "return", "list", "c"]);
        let mut b = Fake::default();
        b.enter(1, "<module>", 9);
        d.discover(&mut b, codes());
        assert_eq!(b.local[&CodeHandle(2)], EventSet::LINE | EventSet::PY_START);
        // f(1): the condition is false, no stop.
        b.values.insert("bool(n > 1)".into(), "False".into());
        b.enter(2, "f", 1);
        assert_eq!(d.py_start(&mut b, CodeHandle(2)), Action::CONTINUE);
        b.at(2);
        d.line(&mut b, CodeHandle(2), 2);
        assert_eq!(out.take(), "");
        b.frames.pop();
        // f(2): stops at the first line, then `next` skips over g's lines.
        b.values.insert("bool(n > 1)".into(), "True".into());
        b.at(10);
        b.enter(2, "f", 1);
        d.py_start(&mut b, CodeHandle(2));
        b.at(2);
        d.line(&mut b, CodeHandle(2), 2);
        assert!(
            out.take()
                .starts_with("> /w/prog.py(2)f()\n-> x = n * 2\n(Pdb) next\n")
        );
        assert_eq!(
            b.events.last(),
            Some(&(EventSet::PY_START | EventSet::LINE | EventSet::PY_RETURN | EventSet::PY_YIELD))
        );
        assert!(b.restarts >= 1);
        b.at(3);
        d.line(&mut b, CodeHandle(2), 3);
        assert!(
            out.take()
                .starts_with("> /w/prog.py(3)f()\n-> y = g(x)\n(Pdb) next\n")
        );
        b.enter(3, "g", 7);
        assert_eq!(d.line(&mut b, CodeHandle(3), 7), Action::CONTINUE);
        assert_eq!(out.take(), "", "a deeper frame does not stop `next`");
        b.frames.pop();
        b.at(4);
        d.line(&mut b, CodeHandle(2), 4);
        assert!(
            out.take()
                .starts_with("> /w/prog.py(4)f()\n-> return y\n(Pdb) return\n")
        );
        assert!(b.events.last().unwrap().contains(EventSet::PY_RETURN));
        d.py_return(&mut b, CodeHandle(2), "5", false);
        assert_eq!(
            out.take(),
            "--Return--\n> /w/prog.py(4)f()->5\n-> return y\n(Pdb) list\n  1  \tdef f(n):\n\
             \x20 2  \t    x = n * 2\n  3  \t    y = g(x)\n  4  ->\t    return y\n  5  \t\n\
             \x20 6  \tdef g(v):\n  7  \t    return v + 1\n  8  \t\n  9  \tf(1)\n 10  \tf(2)\n\
             [EOF]\n(Pdb) c\n"
        );
    }

    #[test]
    fn breakpoints_added_at_a_stop_restart_events_and_quit_detaches() {
        let (mut d, out) = debugger(
            &["prog.py:9"],
            &[
                "break g",
                "break",
                "condition 2 v > 100",
                "ignore 2 1",
                "disable 2",
                "enable 2",
                "clear 1",
                "tbreak prog.py:7",
                "quit",
            ],
        );
        let mut b = Fake::default();
        b.enter(1, "<module>", 9);
        d.discover(&mut b, codes());
        d.line(&mut b, CodeHandle(1), 9);
        let text = out.take();
        assert!(
            text.contains("(Pdb) break g\nBreakpoint 2 at g\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "1   breakpoint   keep yes   at prog.py:9\n\tbreakpoint already hit 1 time\n"
            ),
            "{text}"
        );
        assert!(text.contains("New condition set for breakpoint 2."));
        assert!(text.contains("Will ignore next 1 crossings of breakpoint 2."));
        assert!(text.contains("Deleted breakpoint 1 at prog.py:9"));
        assert!(
            text.contains("(Pdb) disable 2\nDisabled breakpoint 2 at g\n(Pdb) enable 2\nEnabled breakpoint 2 at g\n"),
            "{text}"
        );
        assert!(
            text.contains("Temporary breakpoint 3 at prog.py:7"),
            "{text}"
        );
        assert!(b.restarts >= 1);
        // After quit: no events, no local events, and every callback asks to be disabled.
        assert_eq!(b.events.last(), Some(&EventSet::empty()));
        assert!(b.local.values().all(|e| e.is_empty()));
        assert_eq!(d.line(&mut b, CodeHandle(3), 7), Action::DISABLE);
        assert_eq!(d.py_start(&mut b, CodeHandle(3)), Action::DISABLE);
    }

    #[test]
    fn a_temporary_breakpoint_stops_once() {
        let (mut d, out) = debugger(&["prog.py:9"], &["tbreak prog.py:3", "c"]);
        let mut b = Fake::default();
        b.enter(1, "<module>", 9);
        d.discover(&mut b, codes());
        d.line(&mut b, CodeHandle(1), 9);
        assert!(out.take().contains("Temporary breakpoint 2 at prog.py:3\n"));
        assert_eq!(b.local[&CodeHandle(2)], EventSet::LINE);
        b.enter(2, "f", 3);
        assert_eq!(d.line(&mut b, CodeHandle(2), 3), Action::CONTINUE);
        assert_eq!(
            out.take(),
            "Deleted breakpoint 2 at prog.py:3\n> /w/prog.py(3)f()\n-> y = g(x)\n"
        );
        // Gone: f loses its LINE events, and the line no longer stops.
        assert_eq!(b.local[&CodeHandle(2)], EventSet::empty());
        assert_eq!(d.line(&mut b, CodeHandle(2), 3), Action::DISABLE);
        assert_eq!(out.take(), "");
    }

    #[test]
    fn interactive_input_and_step_into_calls() {
        let out = Out::default();
        let input = std::io::Cursor::new(b"step\n\np v\n".to_vec());
        let mut d = Debugger::new(
            &["prog.py:3".to_owned()],
            vec![],
            true,
            Some(Box::new(input)),
            Box::new(out.clone()),
        )
        .unwrap();
        let mut b = Fake::default();
        b.values.insert("v".into(), "4".into());
        b.enter(1, "<module>", 9);
        d.discover(&mut b, codes());
        b.enter(2, "f", 3);
        d.line(&mut b, CodeHandle(2), 3);
        assert!(out.take().ends_with("(Pdb) "));
        // `step` stops at the call, on the `def` line, like pdb's `--Call--`...
        b.enter(3, "g", 6);
        assert_eq!(d.py_start(&mut b, CodeHandle(3)), Action::CONTINUE);
        assert_eq!(
            out.take(),
            "--Call--\n> /w/prog.py(6)g()\n-> def g(v):\n(Pdb) "
        );
        // ...an empty line repeats `step`, which stops at the first line of the body.
        b.at(7);
        d.line(&mut b, CodeHandle(3), 7);
        let t = out.take();
        assert!(
            t.starts_with("> /w/prog.py(7)g()\n-> return v + 1\n(Pdb) "),
            "{t}"
        );
        // Then `p v`, then end of input quits.
        assert!(t.contains("(Pdb) 4\n(Pdb) \n"), "{t}");
        assert_eq!(b.events.last(), Some(&EventSet::empty()));
    }
}
