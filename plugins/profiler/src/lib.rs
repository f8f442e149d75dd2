//! vigil's deterministic profiler plugin: the SDK glue feeding [`profile::Profile`] from events
//! and writing the reports of [`report`] at the end.
//!
//! Timing: each callback reads the clock once, on entry, and its timestamp is that reading
//! minus an overhead total, so the profiler's own work is not charged to the program (what
//! remains uncounted is the host's dispatch of the callback, a few nanoseconds per event).
//! The overhead total grows by each callback's own duration; that is measured (a second
//! clock read on the way out) on one callback in [`SAMPLE_EVERY`] and estimated for the
//! others as a running average of the measured ones. A clock read is not cheap on every
//! machine (`rdtsc` here takes ~35 cycles, more than the rest of a typical callback's
//! bookkeeping), so this halves the reads for an estimate whose error only moves time
//! between the program's functions and the profiler. Timestamps never decrease (an estimate
//! larger than a callback's real cost could otherwise make one do so). Times are kept in the
//! ticks of [`clock::Clock`] while the program runs and scaled to seconds once, in `finish`. Reports are written when the program ends in any way; each is
//! attempted even if an earlier one failed, and `finish` fails naming every report that could
//! not be written.
//!
//! Host API used: `set_events` (with the hints `SKIP_PY_FUNCTION_CALLS`, `BUILTIN_KEYS` and
//! `SKIP_CLASS_CALLS`); code views `qualname`, `filename`, `first_line`; value views
//! `builtin_key` (to tell builtins from Python callables at CALL, and to remember a builtin's
//! name by the host's key for it), `callable_qualname`, `callable_name` and
//! `builtin_self_type_name` (to name builtins the way pstats does, once per key); `kind` in
//! place of `builtin_key` when the host cannot key a builtin.

pub mod clock;
pub mod profile;
pub mod report;
pub mod settings;

use vigil_plugin_api::{
    Action, Code, CodeHandle, EventHints, EventSet, Host, PluginError, Tool, Value, ValueKind,
    ValueRef, export_plugin,
};

use clock::Clock;
use profile::{FuncInfo, FuncKey, Profile};
use rustc_hash::FxHashMap;
use settings::{Report, Settings};

/// The profiler tool.
pub struct Profiler {
    settings: Settings,
    profile: Profile,
    clock: Clock,
    /// The clock's creation reading plus the ticks spent inside the profiler's own callbacks
    /// so far (measured or estimated): a raw reading minus this is a program timestamp.
    overhead: u64,
    /// The last timestamp handed to the profile.
    last: u64,
    /// Callbacks left until the next measured one (0: this one is measured), in the low
    /// 31 bits; the sign bit is [`Profiler::full_only`]. A countdown rather than a count:
    /// the fast paths take an event only when this is positive (callbacks left, a TSC
    /// clock, no trace kept), one compare for all three tests, and decrement it in place,
    /// where a counter needed a load, an add, a store and a mask test.
    countdown: i32,
    /// `i32::MIN` while the fast paths must decline every event: the clock is not the TSC
    /// (they read the TSC), or the profile keeps a trace (they do not record it; see
    /// [`Profile::keeps_trace`]); else 0. The sign bit every reset of `countdown` carries.
    full_only: i32,
    /// The running estimate of one callback's own duration, in ticks × 16.
    estimate16: u64,
    /// `estimate16 / 16`, what an unmeasured callback adds to `overhead`.
    estimate: u64,
    /// Function index + 1 per code handle (0: not seen yet). Handles are small integers
    /// from 1, and every full PY_* callback asks (the fast paths find the function in the
    /// profile's child cache instead), so this is a vector, not a map.
    by_handle: Vec<usize>,
    /// Function index per `builtin_key` (the host's identity for a builtin's name), so a
    /// builtin call builds its pstats name only the first time.
    by_builtin_key: BuiltinKeys,
}

/// Function index per builtin key. vigil's host numbers keys from 1 in order of first
/// sight, so nearly every key is small: those index a vector (index + 1, 0 for not seen),
/// which every builtin CALL reads; only a key beyond [`BuiltinKeys::DENSE`] goes to the map
/// (a hashed probe was ~20 instructions per builtin call in callgrind, fannkuch).
#[derive(Default)]
struct BuiltinKeys {
    dense: Vec<usize>,
    sparse: FxHashMap<u64, usize>,
}

impl BuiltinKeys {
    /// Keys below this are kept in `dense`.
    const DENSE: u64 = 1 << 16;

    /// [`BuiltinKeys::get`] for the vector alone: no hashing, no calls (a key beyond
    /// [`BuiltinKeys::DENSE`] answers `None`, and the caller asks `get`).
    #[inline(always)]
    fn get_dense(&self, k: u64) -> Option<usize> {
        match self.dense.get(usize::try_from(k).ok()?) {
            Some(&i) if i != 0 => Some(i - 1),
            _ => None,
        }
    }

    #[inline(always)]
    fn get(&self, k: u64) -> Option<usize> {
        if k < Self::DENSE {
            match self.dense.get(k as usize) {
                Some(&i) if i != 0 => Some(i - 1),
                _ => None,
            }
        } else {
            self.sparse.get(&k).copied()
        }
    }

    #[cold]
    #[inline(never)]
    fn insert(&mut self, k: u64, f: usize) {
        if k < Self::DENSE {
            let k = k as usize;
            if self.dense.len() <= k {
                self.dense.resize(k + 1, 0);
            }
            self.dense[k] = f + 1;
        } else {
            self.sparse.insert(k, f);
        }
    }
}

/// pstats' name for a builtin: `{method 'append' of 'list' objects}` or
/// `{built-in method len}`.
fn builtin_name(v: &Value<'_>) -> String {
    let name = v
        .callable_name()
        .or_else(|_| v.callable_qualname())
        .unwrap_or_else(|_| "?".to_owned());
    match v.builtin_self_type_name() {
        Ok(Some(owner)) => format!("{{method '{name}' of '{owner}' objects}}"),
        _ => format!(
            "{{built-in method {}}}",
            v.callable_qualname().unwrap_or(name)
        ),
    }
}

/// One callback in this many (a power of two) reads the clock again on its way out, to
/// measure its own duration. The measured one takes the full callback (the fast paths
/// decline it), which costs several times a fast one: at 16 those were ~1 % of the
/// instructions of a profiled run (callgrind, richards 1); at 64 a run of 10^6 events still
/// measures ~15,000, and the running estimate (an eighth of the way per measurement)
/// follows a change within a few hundred events.
pub const SAMPLE_EVERY: u32 = 64;

impl Profiler {
    /// Runs `f` with the profiler's clock (ticks, own overhead excluded).
    #[inline]
    fn timed(&mut self, f: impl FnOnce(&mut Profile, u64)) -> Action {
        // `overhead` starts at the clock's creation reading, so this is `ticks() - own time`
        // without a second subtraction.
        let t0 = self.clock.raw();
        let now = t0.saturating_sub(self.overhead).max(self.last);
        self.last = now;
        f(&mut self.profile, now);
        if self.full_only != 0 && self.clock.is_tsc() && !self.profile.keeps_trace() {
            // The trace is full (or none was asked for, and the first event turned it
            // off): the fast paths may take events from now on.
            self.full_only = 0;
            self.countdown &= i32::MAX;
        }
        if self.countdown & i32::MAX == 0 {
            self.countdown = (SAMPLE_EVERY - 1) as i32 | self.full_only;
            self.measure(t0);
        } else {
            self.countdown -= 1;
            self.overhead += self.estimate;
        }
        Action::CONTINUE
    }

    /// The SDK's fast path for PY_START (`call`) and PY_RESUME ([`Tool::py_start_fast`]):
    /// what [`Profiler::timed`] does, on the TSC clock, for a callback that is not the
    /// measured one, and only if [`Profile::try_enter_code`] takes the event (which finds
    /// the function by the code handle itself, in the child cache, so there is no lookup
    /// here). Anything else is declined before anything changes, and the full callback does
    /// it. No calls and no panics, so the trampoline saves no registers.
    #[inline(always)]
    fn fast_enter(&mut self, code: CodeHandle, call: bool) -> bool {
        if self.countdown <= 0 {
            return false;
        }
        self.fast_timed(|p, now| p.try_enter_code(code.0, now, call))
    }

    /// PY_RETURN / PY_YIELD's fast path: as [`Profiler::fast_enter`], the frame on top
    /// being recognised by the code handle it was entered with.
    #[inline(always)]
    fn fast_leave(&mut self, code: CodeHandle) -> bool {
        // `try_leave_code` takes handles from 1 to 2^63 - 1: one signed compare.
        if self.countdown <= 0 || code.0 as i64 <= 0 {
            return false;
        }
        self.fast_timed(|p, now| p.try_leave_code(code.0, now))
    }

    /// The clock and overhead part of [`Profiler::fast_enter`], for a caller that has found
    /// the countdown positive (see the field) and found what `f` needs.
    #[inline(always)]
    fn fast_timed(&mut self, f: impl FnOnce(&mut Profile, u64) -> bool) -> bool {
        // A positive countdown means a TSC clock (see the field).
        let t0 = self.clock.raw_tsc();
        let now = t0.saturating_sub(self.overhead).max(self.last);
        if !f(&mut self.profile, now) {
            return false;
        }
        self.last = now;
        self.countdown -= 1;
        self.overhead = self.overhead.wrapping_add(self.estimate);
        true
    }

    /// Measures the callback that started at `t0` (a raw clock reading): its duration joins
    /// the overhead, and the
    /// estimate moves an eighth of the way towards it. A duration more than twice the
    /// estimate (the first sight of a function, the OS taking the CPU away) is counted in
    /// full for that callback but moves the estimate as if it were twice the estimate, so
    /// one outlier cannot inflate what is subtracted from thousands of later events.
    #[cold]
    #[inline(never)]
    fn measure(&mut self, t0: u64) {
        let cost = self.clock.raw().saturating_sub(t0);
        self.overhead += cost;
        let cost16 = cost.saturating_mul(16);
        self.estimate16 = if self.estimate16 == 0 {
            cost16
        } else {
            let cost16 = cost16.min(self.estimate16.saturating_mul(2));
            self.estimate16.saturating_mul(7).saturating_add(cost16) / 8
        };
        self.estimate = self.estimate16 >> 4;
    }

    /// The function index of builtin `callable`, by its pstats name.
    fn builtin(&mut self, callable: &Value<'_>) -> usize {
        let key = FuncKey::Builtin(builtin_name(callable));
        // Looked up first so that a known builtin copies no name.
        match self.profile.lookup(&key) {
            Some(f) => f,
            None => {
                let FuncKey::Builtin(name) = &key else {
                    unreachable!("built as a builtin key above")
                };
                let name = name.clone();
                self.profile.intern(key, || FuncInfo {
                    name,
                    file: "~".to_owned(),
                    line: 0,
                    builtin: true,
                })
            }
        }
    }

    /// The function index of a Python code object: every full PY_* callback asks, and after
    /// its first event a code object is found in `by_handle`, so that test is all that is
    /// inlined (with the first-time path in the same function, its register saves cost about
    /// 20 instructions per event).
    #[inline]
    fn python(&mut self, code: Code<'_>) -> usize {
        let h = code.handle().0;
        if let Some(&i) = usize::try_from(h).ok().and_then(|h| self.by_handle.get(h))
            && i != 0
        {
            return i - 1;
        }
        self.python_first(code)
    }

    /// [`Profiler::python`] for a code object not in `by_handle` yet.
    #[cold]
    #[inline(never)]
    fn python_first(&mut self, code: Code<'_>) -> usize {
        let h = code.handle().0;
        let key = FuncKey::Python(h);
        let i = match self.profile.lookup(&key) {
            Some(i) => i,
            None => self.profile.intern(key, || FuncInfo {
                name: code.qualname().unwrap_or_else(|_| "?".to_owned()),
                file: code.filename().unwrap_or_else(|_| "?".to_owned()),
                line: code.first_line().unwrap_or(0),
                builtin: false,
            }),
        };
        // Handles are dense; a wild one (beyond a million) just is not cached.
        if let Ok(h) = usize::try_from(h)
            && h < 1 << 20
        {
            if self.by_handle.len() <= h {
                self.by_handle.resize(h + 1, 0);
            }
            self.by_handle[h] = i + 1;
        }
        i
    }
}

impl Tool for Profiler {
    const NAME: &'static str = "profiler";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const EVENTS: EventSet = EventSet::PY_START
        .union(EventSet::PY_RESUME)
        .union(EventSet::PY_RETURN)
        .union(EventSet::PY_YIELD)
        .union(EventSet::PY_UNWIND)
        .union(EventSet::PY_THROW)
        .union(EventSet::CALL)
        .union(EventSet::C_RETURN)
        .union(EventSet::C_RAISE);

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let settings = Settings::parse(settings).map_err(PluginError::settings)?;
        // Its CALL callback ignores plain Python functions (their PY_START/PY_RETURN time
        // them), so the host may skip those CALLs; an older host just delivers them. It
        // reads every other callable's builtin key, which a host may carry in the handle
        // (an older one does not, and `builtin_key` asks). A class is not a builtin (its
        // key is 0), so its CALL pushes nothing and its C_RETURN or C_RAISE finds no C
        // frame opened at that site on top (the calling frame's own PY_START or PY_RESUME
        // is above any older one): all three are no-ops, which the host may skip.
        host.set_events_hinted(
            Self::EVENTS,
            EventHints::SKIP_PY_FUNCTION_CALLS
                .union(EventHints::BUILTIN_KEYS)
                .union(EventHints::SKIP_CLASS_CALLS)
                // Its fast paths take nearly every PY_START, PY_RESUME, PY_RETURN, PY_YIELD,
                // CALL and C_RETURN (all but one in `SAMPLE_EVERY`, and first sights), so
                // the host may try them lean (`LEAN_DELIVERY`).
                .union(EventHints::LEAN),
        )?;
        // Begin/end events are kept only for a report that shows them.
        let wants_trace = settings
            .reports
            .iter()
            .any(|r| matches!(r, Report::Trace(_)));
        let clock = Clock::new();
        // A new profile keeps a trace until its first event (see `timed`).
        let full_only = i32::MIN;
        Ok(Profiler {
            profile: Profile::new(if wants_trace { settings.trace_limit } else { 0 }),
            settings,
            clock,
            overhead: clock.start_ticks(),
            last: 0,
            // The first callback is measured (by the full path: the fast ones decline 0).
            countdown: full_only,
            full_only,
            estimate16: 0,
            estimate: 0,
            by_handle: Vec::new(),
            by_builtin_key: BuiltinKeys::default(),
        })
    }

    #[inline(always)]
    fn py_start_fast(&mut self, code: CodeHandle, _: u32) -> bool {
        self.fast_enter(code, true)
    }
    #[inline(always)]
    fn py_resume_fast(&mut self, code: CodeHandle, _: u32) -> bool {
        self.fast_enter(code, false)
    }
    #[inline(always)]
    fn py_return_fast(&mut self, code: CodeHandle, _: u32) -> bool {
        self.fast_leave(code)
    }
    #[inline(always)]
    fn py_yield_fast(&mut self, code: CodeHandle, _: u32) -> bool {
        self.fast_leave(code)
    }

    /// CALL without a host: a Python function's (timed by its own events) or a
    /// non-builtin's (key 0) is nothing to do; a builtin whose key the host carried and
    /// that has a function index already is pushed as in [`Tool::call`]. Anything else (no
    /// key carried, a builtin seen for the first time, the cases [`Profiler::fast_enter`]
    /// declines) goes to `call`.
    #[inline(always)]
    fn call_fast(
        &mut self,
        code: CodeHandle,
        offset: u32,
        callable: ValueRef,
        _: ValueRef,
    ) -> bool {
        if callable.is_python_function() {
            return true;
        }
        let f = match callable.carried_builtin_key() {
            Some(0) => return true,
            Some(k) => match self.by_builtin_key.get_dense(k) {
                Some(f) => f,
                None => return false,
            },
            None => return false,
        };
        if self.countdown <= 0 {
            return false;
        }
        let site = (code.0, offset);
        self.fast_timed(|p, now| p.try_c_call(f, site, now))
    }

    /// C_RETURN without a host: as [`Tool::c_return`], whose no-op case (no C frame opened
    /// at this site on top) needs no clock either.
    #[inline(always)]
    fn c_return_fast(&mut self, code: CodeHandle, offset: u32, _: ValueRef, _: ValueRef) -> bool {
        if !self.profile.c_open_at((code.0, offset)) {
            return true;
        }
        if self.countdown <= 0 {
            return false;
        }
        self.fast_timed(|p, now| p.try_c_leave_open(now))
    }

    #[inline]
    fn py_start(&mut self, _: &Host, code: Code<'_>, _: u32) -> Action {
        let f = self.python(code);
        let h = code.handle().0;
        self.timed(|p, now| p.py_enter_code(f, h, now, true))
    }
    #[inline]
    fn py_resume(&mut self, _: &Host, code: Code<'_>, _: u32) -> Action {
        let f = self.python(code);
        let h = code.handle().0;
        self.timed(|p, now| p.py_enter_code(f, h, now, false))
    }
    #[inline]
    fn py_throw(&mut self, _: &Host, code: Code<'_>, _: u32, _: Value<'_>) -> Action {
        let f = self.python(code);
        let h = code.handle().0;
        self.timed(|p, now| p.py_enter_code(f, h, now, false))
    }
    #[inline]
    fn py_return(&mut self, _: &Host, code: Code<'_>, _: u32, _: Value<'_>) -> Action {
        let f = self.python(code);
        self.timed(|p, now| p.py_leave(f, now))
    }
    #[inline]
    fn py_yield(&mut self, _: &Host, code: Code<'_>, _: u32, _: Value<'_>) -> Action {
        let f = self.python(code);
        self.timed(|p, now| p.py_leave(f, now))
    }
    #[inline]
    fn py_unwind(&mut self, _: &Host, code: Code<'_>, _: u32, _: Value<'_>) -> Action {
        let f = self.python(code);
        self.timed(|p, now| p.py_leave(f, now))
    }
    #[inline]
    fn call(
        &mut self,
        _: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        _: Value<'_>,
    ) -> Action {
        // A Python function's own events (PY_START ...) time it; only builtins are pushed here.
        if callable.is_python_function() {
            return Action::CONTINUE;
        }
        let f = match callable.builtin_key() {
            Ok(None) => return Action::CONTINUE,
            Ok(Some(k)) => match self.by_builtin_key.get(k) {
                Some(f) => f,
                None => {
                    let f = self.builtin(&callable);
                    self.by_builtin_key.insert(k, f);
                    f
                }
            },
            // An older host, or a builtin it does not key: ask for the names every time.
            Err(_) => {
                if callable.kind() != Ok(ValueKind::BUILTIN) {
                    return Action::CONTINUE;
                }
                self.builtin(&callable)
            }
        };
        let site = (code.handle().0, offset);
        self.timed(|p, now| p.c_call(f, site, now))
    }
    #[inline]
    fn c_return(
        &mut self,
        _: &Host,
        code: Code<'_>,
        offset: u32,
        _: Value<'_>,
        _: Value<'_>,
    ) -> Action {
        let site = (code.handle().0, offset);
        // Nothing to leave (the CALL was not a builtin's): no clock read, no overhead.
        if !self.profile.c_open_at(site) {
            return Action::CONTINUE;
        }
        self.timed(|p, now| p.c_leave_open(now))
    }
    #[inline]
    fn c_raise(
        &mut self,
        _: &Host,
        code: Code<'_>,
        offset: u32,
        _: Value<'_>,
        _: Value<'_>,
    ) -> Action {
        let site = (code.handle().0, offset);
        if !self.profile.c_open_at(site) {
            return Action::CONTINUE;
        }
        self.timed(|p, now| p.c_leave_open(now))
    }

    fn finish(&mut self, _host: &Host, _exit_code: i32) -> Result<(), PluginError> {
        self.timed(|p, now| p.close(now));
        self.profile.scale(self.clock.seconds_per_tick());
        let errors = write_reports(&self.settings, &self.profile);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(PluginError::failed(errors.join("; ")))
        }
    }
}

/// Writes every report; returns one message per report that could not be written.
pub fn write_reports(settings: &Settings, profile: &Profile) -> Vec<String> {
    let cwd = std::env::current_dir()
        .ok()
        .map(|p| p.to_string_lossy().into_owned());
    let display = |f: &str| -> String {
        if let Some(c) = &cwd
            && let Some(rest) = f.strip_prefix(c.as_str())
            && let Some(rel) = rest.strip_prefix('/')
        {
            return rel.to_owned();
        }
        f.to_owned()
    };
    let write = |path: &str, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| format!("cannot write the report {path}: {e}"))
    };
    let mut errors = Vec::new();
    for r in &settings.reports {
        let result = match r {
            Report::Text(None) => {
                eprint!("{}", report::text(profile, settings.sort, &display));
                Ok(())
            }
            Report::Text(Some(p)) => {
                write(p, report::text(profile, settings.sort, &display).as_bytes())
            }
            Report::Json(p) => write(p, report::json(profile, settings.sort, &display).as_bytes()),
            Report::Collapsed(p) => write(p, report::collapsed(profile).as_bytes()),
            Report::Flamegraph(p) => report::flamegraph(profile)
                .map_err(|e| format!("flame graph {p}: {e}"))
                .and_then(|svg| write(p, &svg)),
            Report::Trace(p) => write(p, report::trace_events(profile).as_bytes()),
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    errors
}

export_plugin!(Profiler);

// Its own heap, apart from the arena holding the program's objects (see the macro).
#[cfg(feature = "private-heap")]
vigil_plugin_api::private_heap!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_report_does_not_stop_the_others() {
        let dir = std::env::temp_dir().join(format!("vigil-prof-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("p.folded");
        let s = Settings::parse(&format!(
            "report = [\"flamegraph:{}/empty.svg\", \"json:/nonexistent-dir/p.json\", \"collapsed:{}\"]",
            dir.display(),
            good.display()
        ))
        .unwrap();
        let errors = write_reports(&s, &Profile::new(0));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("no time was recorded"));
        assert!(errors[1].contains("/nonexistent-dir/p.json"));
        assert!(good.exists());
    }
}
