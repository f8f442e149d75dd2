//! The deterministic profiler's bookkeeping: a shadow stack driven by events, per-function
//! statistics (calls total and primitive, tottime, cumtime, callers), a call tree for folded
//! stacks and flame graphs, and an optional trace of begin/end events.
//!
//! Rules, and where they differ from cProfile:
//! * a Python call is a PY_START; PY_RESUME and PY_THROW re-enter a generator or coroutine
//!   frame without counting a call (cProfile counts every resume as a call; the issue asks for
//!   calls equal to PY_START counts), PY_YIELD, PY_RETURN and PY_UNWIND leave it;
//! * a C function is entered at a CALL whose callable is a builtin and left at the C_RETURN or
//!   C_RAISE from the same call site; other CALLs are left to PY_START;
//! * a call is primitive when the function was not already on the stack; cumtime is added
//!   only by the outermost active call of a function, so recursion is not counted twice;
//! * times come from the caller (`now`, in seconds), who excludes the profiler's own time.
//!
//! It knows nothing of the Host API (functions are described by the caller as [`FuncKey`] and
//! names) and writes no files (see `report.rs`).

use rustc_hash::FxHashMap as HashMap;

/// What identifies a function.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FuncKey {
    /// A Python code object (the host's code handle).
    Python(u64),
    /// A builtin, by its display name.
    Builtin(String),
}

/// A function as reports show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncInfo {
    /// `co_qualname`, or the builtin's display name (`{built-in method len}`).
    pub name: String,
    /// `co_filename` (`~` for builtins, as pstats shows them).
    pub file: String,
    /// `co_firstlineno` (0 for builtins).
    pub line: u32,
    /// Whether it is a builtin.
    pub builtin: bool,
}

/// Statistics of one function, or of one caller → callee edge.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Calls.
    pub calls: u64,
    /// Calls that were not recursive.
    pub primitive: u64,
    /// Time in the function itself.
    pub tottime: f64,
    /// Time in the function and everything it called.
    pub cumtime: f64,
}

/// A function's statistics and callers.
#[derive(Clone, Debug, Default)]
pub struct FuncStats {
    /// Totals.
    pub stats: Stats,
    /// Per caller (index into [`Profile::funcs`]): filled by [`Profile::close`] from the
    /// call tree (a node's parent is its caller), not per event.
    pub callers: HashMap<usize, Stats>,
}

/// One node of the call tree (folded stacks).
#[derive(Clone, Debug)]
pub struct Node {
    /// The parent node (`usize::MAX` for roots).
    pub parent: usize,
    /// The function.
    pub func: usize,
    /// Self time spent at this exact stack.
    pub self_time: f64,
    /// Calls, primitive calls and cumulative time of the frames at this exact stack (the
    /// caller → callee edge statistics, summed per caller function by [`Profile::close`]).
    calls: u64,
    primitive: u64,
    cumtime: f64,
    /// Whether a frame at this stack was ever left (only edges left at least once get a
    /// `callers` entry, as when they were updated per event).
    left: bool,
    /// The child last entered from here: loops enter the same callee again and again, so
    /// this spares most `children` lookups.
    last_child: (usize, usize),
    children: HashMap<usize, usize>,
}

/// A begin or end event, for the trace-event reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceEvent {
    /// The function.
    pub func: usize,
    /// Seconds since the start.
    pub ts: f64,
    /// Begin (`true`) or end.
    pub begin: bool,
}

#[derive(Clone, Debug)]
struct Frame {
    func: usize,
    node: usize,
    /// When the frame was (re-)entered.
    entered: f64,
    /// Time of callees since entry (subtracted from tottime).
    callees: f64,
    /// The call site for C frames.
    site: Option<(u64, u32)>,
    /// Whether this is the function's outermost active frame (adds cumtime).
    outermost: bool,
    /// Whether this frame counted a primitive call.
    primitive: bool,
    /// Whether this entry is a call (PY_START / C call), not a resume.
    is_call: bool,
}

/// The profile of a run.
#[derive(Default)]
pub struct Profile {
    /// Functions, by index.
    pub funcs: Vec<FuncInfo>,
    index: HashMap<FuncKey, usize>,
    /// Statistics per function (same index).
    pub stats: Vec<FuncStats>,
    /// The call tree.
    pub nodes: Vec<Node>,
    roots: HashMap<usize, usize>,
    stack: Vec<Frame>,
    /// Active frames per function (same index as `funcs`).
    active: Vec<u32>,
    /// Begin/end events, if recording.
    pub trace: Vec<TraceEvent>,
    /// Stop recording trace events past this many (they are for viewers, not totals).
    pub trace_limit: usize,
    /// Whether the trace hit its limit.
    pub trace_truncated: bool,
    /// Total calls.
    pub total_calls: u64,
    /// Total primitive calls.
    pub primitive_calls: u64,
    first: Option<f64>,
    last: f64,
}

impl Profile {
    /// An empty profile recording up to `trace_limit` trace events.
    pub fn new(trace_limit: usize) -> Profile {
        Profile {
            trace_limit,
            ..Profile::default()
        }
    }

    /// The function's index, registering it with `info` on first sight.
    pub fn intern(&mut self, key: FuncKey, info: impl FnOnce() -> FuncInfo) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.funcs.push(info());
        self.stats.push(FuncStats::default());
        self.active.push(0);
        self.index.insert(key, self.funcs.len() - 1);
        self.funcs.len() - 1
    }

    /// Whether the function is known (to avoid building its info twice).
    pub fn lookup(&self, key: &FuncKey) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// The whole run's wall time as seen by the profiler.
    pub fn total_time(&self) -> f64 {
        self.first.map_or(0.0, |f| self.last - f)
    }

    fn tick(&mut self, now: f64) {
        self.first.get_or_insert(now);
        self.last = now;
    }

    fn push(&mut self, func: usize, now: f64, site: Option<(u64, u32)>, is_call: bool) {
        self.tick(now);
        let parent_node = self.stack.last().map(|f| f.node);
        let node = match parent_node {
            Some(p) => {
                let parent = &mut self.nodes[p];
                if parent.last_child.0 == func {
                    parent.last_child.1
                } else {
                    let n = match parent.children.get(&func) {
                        Some(&n) => n,
                        None => self.new_node(p, func),
                    };
                    self.nodes[p].last_child = (func, n);
                    n
                }
            }
            None => match self.roots.get(&func) {
                Some(&n) => n,
                None => {
                    let n = self.new_node(usize::MAX, func);
                    self.roots.insert(func, n);
                    n
                }
            },
        };
        let depth = &mut self.active[func];
        let outermost = *depth == 0;
        *depth += 1;
        if is_call {
            self.total_calls += 1;
            let s = &mut self.stats[func].stats;
            s.calls += 1;
            if outermost {
                s.primitive += 1;
                self.primitive_calls += 1;
            }
        }
        self.stack.push(Frame {
            func,
            node,
            entered: now,
            callees: 0.0,
            site,
            outermost,
            primitive: outermost && is_call,
            is_call,
        });
        if self.trace.len() < self.trace_limit {
            self.trace.push(TraceEvent {
                func,
                ts: now,
                begin: true,
            });
        } else {
            self.trace_truncated = true;
        }
    }

    fn new_node(&mut self, parent: usize, func: usize) -> usize {
        self.nodes.push(Node {
            parent,
            func,
            self_time: 0.0,
            calls: 0,
            primitive: 0,
            cumtime: 0.0,
            left: false,
            last_child: (usize::MAX, usize::MAX),
            children: HashMap::default(),
        });
        let n = self.nodes.len() - 1;
        if parent != usize::MAX {
            self.nodes[parent].children.insert(func, n);
        }
        n
    }

    fn pop(&mut self, now: f64) {
        self.tick(now);
        let Some(f) = self.stack.pop() else {
            return;
        };
        let elapsed = (now - f.entered).max(0.0);
        let own = (elapsed - f.callees).max(0.0);
        if let Some(d) = self.active.get_mut(f.func) {
            *d = d.saturating_sub(1);
        }
        let st = &mut self.stats[f.func];
        st.stats.tottime += own;
        if f.outermost {
            st.stats.cumtime += elapsed;
        }
        // The edge from the caller: the parent node's function (see `sum_callers`).
        let node = &mut self.nodes[f.node];
        node.self_time += own;
        node.left = true;
        if f.is_call {
            node.calls += 1;
            if f.primitive {
                node.primitive += 1;
            }
        }
        if f.outermost {
            node.cumtime += elapsed;
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.callees += elapsed;
        }
        if self.trace.len() < self.trace_limit {
            self.trace.push(TraceEvent {
                func: f.func,
                ts: now,
                begin: false,
            });
        } else {
            self.trace_truncated = true;
        }
    }

    /// PY_START of function `func`.
    pub fn py_start(&mut self, func: usize, now: f64) {
        self.push(func, now, None, true);
    }

    /// PY_RESUME / PY_THROW: a generator or coroutine frame is re-entered.
    pub fn py_resume(&mut self, func: usize, now: f64) {
        self.push(func, now, None, false);
    }

    /// PY_RETURN / PY_YIELD / PY_UNWIND of `func`: leaves its frame (and any C frames left
    /// open above it, which only a host bug could leave).
    pub fn py_leave(&mut self, func: usize, now: f64) {
        // Nearly always the frame on top: leave it without scanning the whole stack.
        if self
            .stack
            .last()
            .is_some_and(|f| f.func == func && f.site.is_none())
        {
            self.pop(now);
            return;
        }
        if !self
            .stack
            .iter()
            .any(|f| f.func == func && f.site.is_none())
        {
            return;
        }
        while let Some(top) = self.stack.last() {
            let done = top.func == func && top.site.is_none();
            self.pop(now);
            if done {
                break;
            }
        }
    }

    /// CALL of builtin `func` at `site` (code handle, offset).
    pub fn c_call(&mut self, func: usize, site: (u64, u32), now: f64) {
        self.push(func, now, Some(site), true);
    }

    /// C_RETURN / C_RAISE at `site`: leaves the C frame opened there, if any.
    pub fn c_leave(&mut self, site: (u64, u32), now: f64) {
        if self.stack.last().is_some_and(|f| f.site == Some(site)) {
            self.pop(now);
        }
    }

    /// Closes every open frame at `now` (the program ended, by return, exception or exit),
    /// then fills each function's `callers` from the call tree.
    pub fn close(&mut self, now: f64) {
        while !self.stack.is_empty() {
            self.pop(now);
        }
        self.sum_callers();
    }

    /// Per function, the statistics per caller: the sum over the call-tree nodes of the
    /// function whose parent node belongs to that caller. A node's parent is the frame that
    /// was on top when it was entered, which is exactly the caller a per-event update would
    /// have charged, so the sums are the same (up to the order of floating-point additions).
    /// Only edges that were left at least once appear, as before.
    fn sum_callers(&mut self) {
        for st in &mut self.stats {
            st.callers.clear();
        }
        for n in &self.nodes {
            if n.parent == usize::MAX || !n.left {
                continue;
            }
            let caller = self.nodes[n.parent].func;
            let e = self.stats[n.func].callers.entry(caller).or_default();
            e.calls += n.calls;
            e.primitive += n.primitive;
            e.tottime += n.self_time;
            e.cumtime += n.cumtime;
        }
    }

    /// Multiplies every time by `factor`: the caller timestamps in clock ticks and converts
    /// to seconds once, at the end (every time here is a sum or difference of timestamps, so
    /// scaling the results equals scaling the inputs). Frames still open keep their ticks;
    /// call it after [`Profile::close`].
    pub fn scale(&mut self, factor: f64) {
        for st in &mut self.stats {
            scale_stats(&mut st.stats, factor);
            for c in st.callers.values_mut() {
                scale_stats(c, factor);
            }
        }
        for n in &mut self.nodes {
            n.self_time *= factor;
        }
        for e in &mut self.trace {
            e.ts *= factor;
        }
        if let Some(f) = &mut self.first {
            *f *= factor;
        }
        self.last *= factor;
    }

    /// The stack of node `n`, outermost first, as function indices.
    pub fn stack_of(&self, mut n: usize) -> Vec<usize> {
        let mut v = Vec::new();
        while n != usize::MAX {
            v.push(self.nodes[n].func);
            n = self.nodes[n].parent;
        }
        v.reverse();
        v
    }
}

fn scale_stats(s: &mut Stats, factor: f64) {
    s.tottime *= factor;
    s.cumtime *= factor;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(p: &mut Profile, h: u64, name: &str) -> usize {
        p.intern(FuncKey::Python(h), || FuncInfo {
            name: name.to_owned(),
            file: "/p/prog.py".to_owned(),
            line: h as u32,
            builtin: false,
        })
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn nested_calls_split_self_and_cumulative_time() {
        let mut p = Profile::new(100);
        let m = py(&mut p, 1, "<module>");
        let f = py(&mut p, 2, "f");
        let len = p.intern(FuncKey::Builtin("len".into()), || FuncInfo {
            name: "{built-in method len}".into(),
            file: "~".into(),
            line: 0,
            builtin: true,
        });
        p.py_start(m, 0.0);
        p.py_start(f, 1.0);
        p.c_call(len, (2, 10), 2.0);
        p.c_leave((2, 10), 2.5);
        p.py_leave(f, 4.0);
        p.py_leave(m, 10.0);
        p.close(10.0);
        let s = |i: usize| p.stats[i].stats;
        assert!(close(s(m).tottime, 7.0) && close(s(m).cumtime, 10.0));
        assert!(close(s(f).tottime, 2.5) && close(s(f).cumtime, 3.0));
        assert!(close(s(len).tottime, 0.5) && s(len).calls == 1);
        assert_eq!(p.stats[f].callers[&m].calls, 1);
        assert_eq!(p.total_calls, 3);
        assert!(close(p.total_time(), 10.0));
        // Folded stacks: self time at each path.
        let mut folded: Vec<(Vec<usize>, f64)> = (0..p.nodes.len())
            .map(|n| (p.stack_of(n), p.nodes[n].self_time))
            .collect();
        folded.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(folded.len(), 3);
        assert_eq!(folded[2].0, vec![m, f, len]);
    }

    #[test]
    fn scaling_converts_every_time() {
        let mut p = Profile::new(100);
        let m = py(&mut p, 1, "<module>");
        let f = py(&mut p, 2, "f");
        p.py_start(m, 1000.0);
        p.py_start(f, 3000.0);
        p.py_leave(f, 7000.0);
        p.close(11000.0);
        p.scale(1e-3);
        let s = |i: usize| p.stats[i].stats;
        assert!(close(s(m).tottime, 6.0) && close(s(m).cumtime, 10.0));
        assert!(close(s(f).tottime, 4.0) && close(s(f).cumtime, 4.0));
        assert!(close(p.stats[f].callers[&m].cumtime, 4.0));
        assert!(close(p.total_time(), 10.0));
        let self_total: f64 = p.nodes.iter().map(|n| n.self_time).sum();
        assert!(close(self_total, 10.0));
        assert!(close(p.trace[0].ts, 1.0) && close(p.trace[3].ts, 11.0));
    }

    #[test]
    fn recursion_counts_primitive_calls_and_cumtime_once() {
        let mut p = Profile::new(0);
        let fact = py(&mut p, 1, "fact");
        p.py_start(fact, 0.0);
        p.py_start(fact, 1.0);
        p.py_start(fact, 2.0);
        p.py_leave(fact, 3.0);
        p.py_leave(fact, 4.0);
        p.py_leave(fact, 6.0);
        let s = p.stats[fact].stats;
        assert_eq!((s.calls, s.primitive), (3, 1));
        assert!(close(s.cumtime, 6.0), "{}", s.cumtime);
        assert!(close(s.tottime, 6.0));
        assert!(p.trace_truncated);
    }

    #[test]
    fn generators_resume_without_counting_calls() {
        let mut p = Profile::new(100);
        let m = py(&mut p, 1, "<module>");
        let g = py(&mut p, 2, "gen");
        p.py_start(m, 0.0);
        p.py_start(g, 1.0);
        p.py_leave(g, 2.0); // PY_YIELD
        p.py_resume(g, 3.0);
        p.py_leave(g, 5.0); // PY_YIELD
        p.py_resume(g, 6.0);
        p.py_leave(g, 6.5); // PY_RETURN
        p.py_leave(m, 7.0);
        let s = p.stats[g].stats;
        assert_eq!(s.calls, 1);
        assert!(close(s.tottime, 3.5) && close(s.cumtime, 3.5));
        assert!(close(p.stats[m].stats.tottime, 3.5));
    }

    /// Arbitrary, even ill-formed, event orders (a host bug, a tool attached mid-run) must
    /// never panic or leave time negative, and closing must empty the stack.
    #[test]
    fn arbitrary_event_orders_are_survived() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..50 {
            let mut p = Profile::new(64);
            let funcs: Vec<usize> = (0..4).map(|h| py(&mut p, h, &format!("f{h}"))).collect();
            let mut now = 0.0;
            for _ in 0..500 {
                now += (next() % 5) as f64;
                let f = funcs[(next() % 4) as usize];
                let site = (next() % 3, (next() % 3) as u32);
                match next() % 5 {
                    0 => p.py_start(f, now),
                    1 => p.py_resume(f, now),
                    2 => p.py_leave(f, now),
                    3 => p.c_call(f, site, now),
                    _ => p.c_leave(site, now),
                }
            }
            p.close(now + 1.0);
            assert!(p.stack.is_empty());
            for s in &p.stats {
                assert!(s.stats.tottime >= 0.0 && s.stats.cumtime >= 0.0);
                assert!(s.stats.primitive <= s.stats.calls);
            }
            let self_total: f64 = p.nodes.iter().map(|n| n.self_time).sum();
            assert!(
                self_total <= p.total_time() + 1e-9,
                "{self_total} > {}",
                p.total_time()
            );
        }
    }

    #[test]
    fn unwinding_and_unmatched_c_returns() {
        let mut p = Profile::new(100);
        let m = py(&mut p, 1, "<module>");
        let f = py(&mut p, 2, "f");
        let g = py(&mut p, 3, "g");
        p.py_start(m, 0.0);
        p.py_start(f, 1.0);
        p.py_start(g, 2.0);
        p.py_leave(g, 3.0); // PY_UNWIND
        p.py_leave(f, 3.5); // PY_UNWIND
        // A C_RETURN for a call the profiler did not open (a class call): ignored.
        p.c_leave((1, 8), 4.0);
        assert_eq!(p.stack.len(), 1);
        p.close(5.0);
        assert!(p.stack.is_empty());
        assert!(close(p.stats[m].stats.cumtime, 5.0));
        assert!(close(p.stats[f].stats.cumtime, 2.5));
    }
}
