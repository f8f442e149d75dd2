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
//! * times come from the caller (`now`, in clock ticks that never decrease), who excludes the
//!   profiler's own time; [`Profile::scale`] turns them into seconds at the end.
//!
//! While the program runs only the call tree is updated: an event enters or leaves one node
//! (a function at one exact stack), whose calls, primitive calls, self and cumulative ticks
//! are integers. Per-function totals and per-caller statistics are sums over nodes, so
//! [`Profile::close`] computes them once: a node's function is the callee and its parent
//! node's function the caller, exactly what a per-event update would have charged. Finding
//! the child node for a function goes through a small direct-mapped cache in front of one
//! hash map for the whole tree; loops call the same few callees from the same few places, so
//! nearly every entry is one probe of that cache.
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
    /// Totals: filled by [`Profile::close`] from the call tree.
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
    /// Self time spent at this exact stack (set from the tick counts by [`Profile::close`]).
    pub self_time: f64,
    /// Calls and primitive calls of the frames at this exact stack, counted when they are
    /// entered (the caller → callee edge statistics, summed per caller function by
    /// [`Profile::close`]). Counting them on entry keeps them off the pop, which a yield,
    /// the most frequent event of generator code, pays; a frame still open at the end is
    /// left by [`Profile::close`] anyway, so the totals are those of counting on exit.
    calls: u64,
    primitive: u64,
    /// Ticks in the frames at this exact stack: their own, and cumulative (added by the
    /// function's outermost active frame only).
    self_ticks: u64,
    cum_ticks: u64,
}

/// A begin or end event, for the trace-event reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceEvent {
    /// The function.
    pub func: usize,
    /// Seconds since the start (ticks until [`Profile::scale`]).
    pub ts: f64,
    /// Begin (`true`) or end.
    pub begin: bool,
}

/// An entry of the shadow stack: 40 bytes (a `(u64, u32)` site tuple and `usize` indices
/// made it 56), written on every push and read on every pop. Function and node indices fit
/// in `u32`: [`Profile::intern`] and [`Profile::child_slow`] refuse to go past that.
#[derive(Clone, Copy, Debug)]
struct Frame {
    func: u32,
    node: u32,
    /// When the frame was (re-)entered.
    entered: u64,
    /// Ticks of callees since entry (subtracted from its own time).
    callees: u64,
    /// The call site's code handle with [`C_SITE`] set and its offset, for C frames
    /// (`C_FRAME` set); for a Python frame, its own code handle when the caller gave one
    /// (0 otherwise), so that a return or yield can find its frame on top without looking
    /// the function up ([`Profile::try_leave_code`]). Code handles are below 2^63, so one
    /// compare of this word tells a Python frame's handle from any C frame's site.
    site_code: u64,
    site_offset: u32,
    /// `C_FRAME`, `OUTERMOST`, `IS_CALL`.
    flags: u8,
}

/// A C frame, opened at a CALL site and left at that site's C_RETURN / C_RAISE.
const C_FRAME: u8 = 1;
/// Set in a C frame's `site_code` (see [`Frame::site_code`]).
const C_SITE: u64 = 1 << 63;

/// A frame's `site_code` for a frame with `flags` entered at `site` (see
/// [`Frame::site_code`]); `flags` is a constant at every caller, so this folds.
#[inline(always)]
fn site_code(site: (u64, u32), flags: u8) -> u64 {
    if flags & C_FRAME != 0 {
        site.0 | C_SITE
    } else {
        site.0
    }
}

/// The function's outermost active frame (adds cumulative time).
const OUTERMOST: u8 = 2;
/// A call (PY_START / C call), not a resume.
const IS_CALL: u8 = 8;

/// Entries of the child cache (a power of two): 16 bytes each, so 16 KiB.
const CHILD_CACHE: usize = 1024;

/// One entry of the child cache: parent node + 1 (0 for roots), the callee's key (see
/// [`cache_key`]), the child node and the callee's function; all four fit in `u32` (`intern`
/// and `child_slow` keep every index below `u32::MAX`). An empty entry has `key ==
/// u32::MAX`, which no key is.
#[derive(Clone, Copy)]
struct ChildEntry {
    parent: u32,
    key: u32,
    child: u32,
    func: u32,
}

/// What the child cache knows a callee by: a Python frame by its code handle when the
/// caller gave one from 1 to 2^31 - 1 (so that PY_START / PY_RESUME find their node and
/// their function in one probe, without first mapping the handle to a function: ~8
/// instructions per event, callgrind, profiler on generators), anything else by its
/// function index with the top bit set ([`Profile::intern`] keeps indices below 2^31 - 1,
/// so that is never `u32::MAX`). A handle and a function index name one function each, so
/// two keys of one function at one parent are two entries for the same node, never two
/// nodes.
#[inline(always)]
fn cache_key(code: u64, func: u32) -> u32 {
    if code.wrapping_sub(1) < (1 << 31) - 1 {
        code as u32
    } else {
        func | FUNC_KEY
    }
}

/// Set in a [`cache_key`] made from a function index.
const FUNC_KEY: u32 = 1 << 31;

/// The child cache's entry for the callee keyed `key` entered from node `p - 1` (see
/// [`Profile::child`]): Fibonacci hashing of one 32-bit word holding both, `p` in the low
/// half and `key` rotated into the high half (injective while both are below 2^16, nearly
/// every program), so the product's top bits depend on both. A 32-bit multiply by an
/// immediate: the 64-bit key it replaces took ten instructions per entry (a 64-bit constant
/// load, shifts and an or) against five.
#[inline(always)]
fn child_slot(p: u32, key: u32) -> usize {
    let key = (p ^ key.rotate_left(16)).wrapping_mul(0x9e37_79b9);
    (key >> (32 - CHILD_CACHE.trailing_zeros())) as usize
}

/// The bottom of every shadow stack: a frame that is never popped and that no event
/// leaves, so that the stack always has a top and a popped frame always a parent (the
/// emptiness tests were four instructions per PY_YIELD, two per PY_RESUME). Its node,
/// `u32::MAX`, is no node, and `node + 1` wraps to 0, a root's "entered from no frame";
/// its function is no function, its `site_code` no code handle and no C frame's site, and
/// its flags carry no `C_FRAME`, so no leave matches it. It collects the root frames'
/// time as its `callees`, which nothing reads.
const BOTTOM: Frame = Frame {
    func: u32::MAX,
    node: u32::MAX,
    entered: 0,
    callees: 0,
    site_code: 0,
    site_offset: 0,
    flags: 0,
};

const NO_CHILD: ChildEntry = ChildEntry {
    parent: 0,
    key: u32::MAX,
    child: 0,
    func: 0,
};

/// The profile of a run.
pub struct Profile {
    /// Functions, by index.
    pub funcs: Vec<FuncInfo>,
    index: HashMap<FuncKey, usize>,
    /// Statistics per function (same index), filled by [`Profile::close`].
    pub stats: Vec<FuncStats>,
    /// The call tree.
    pub nodes: Vec<Node>,
    /// Every node by (parent node or `usize::MAX`, function).
    children: HashMap<(usize, usize), usize>,
    /// A direct-mapped cache in front of `children`.
    child_cache: Box<[ChildEntry; CHILD_CACHE]>,
    /// The shadow stack, on top of [`BOTTOM`].
    stack: Vec<Frame>,
    /// Active frames per function (same index as `funcs`).
    active: Vec<u32>,
    /// Begin/end events, if recording.
    pub trace: Vec<TraceEvent>,
    /// Stop recording trace events past this many (they are for viewers, not totals).
    pub trace_limit: usize,
    /// Whether the trace hit its limit.
    pub trace_truncated: bool,
    /// Whether events still go to `trace_event` (until the trace is full).
    trace_on: bool,
    /// Total calls (set by [`Profile::close`]).
    pub total_calls: u64,
    /// Total primitive calls (set by [`Profile::close`]).
    pub primitive_calls: u64,
    /// The first timestamp (of the first push).
    first: Option<u64>,
    /// The run's wall time, set by [`Profile::close`] (ticks until [`Profile::scale`]).
    total: f64,
}

impl Default for Profile {
    fn default() -> Self {
        Profile::new(0)
    }
}

impl Profile {
    /// An empty profile recording up to `trace_limit` trace events.
    pub fn new(trace_limit: usize) -> Profile {
        Profile {
            funcs: Vec::new(),
            index: HashMap::default(),
            stats: Vec::new(),
            nodes: Vec::new(),
            children: HashMap::default(),
            child_cache: Box::new([NO_CHILD; CHILD_CACHE]),
            stack: vec![BOTTOM],
            active: Vec::new(),
            trace: Vec::new(),
            trace_limit,
            trace_truncated: false,
            trace_on: true,
            total_calls: 0,
            primitive_calls: 0,
            first: None,
            total: 0.0,
        }
    }

    /// The function's index, registering it with `info` on first sight.
    pub fn intern(&mut self, key: FuncKey, info: impl FnOnce() -> FuncInfo) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        // Frames keep function indices in `u32`, and the child cache below 2^31 - 1 (see
        // `cache_key`); two billion functions is not a program.
        assert!(
            self.funcs.len() < (1 << 31) - 1,
            "the profiler's function table is full"
        );
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

    /// The whole run's wall time as seen by the profiler (after [`Profile::close`]).
    pub fn total_time(&self) -> f64 {
        self.total
    }

    /// The node for function `func`, known to the child cache as `key` (see [`cache_key`]),
    /// entered from node `p - 1` (`p == 0`: from no frame). This, `push` and `pop` are
    /// inlined into each event's entry point so that its constant arguments fold and no call
    /// saves six registers and spills the arguments (callgrind, profiler on richards 1:
    /// −1.2% of the whole run). All three arguments are `u32` already (a frame's node index
    /// is below `u32::MAX`, so `p` fits, and a function index is below 2^31 - 1, see
    /// `intern`), so the cache key needs no range checks, and `key` is never `u32::MAX`, the
    /// empty entry's mark.
    #[inline(always)]
    fn child(&mut self, p: u32, key: u32, func: u32) -> u32 {
        let slot = child_slot(p, key);
        let e = self.child_cache[slot];
        if e.key == key && e.parent == p {
            debug_assert_eq!(e.func, func);
            return e.child;
        }
        let child = self.child_slow((p as usize).wrapping_sub(1), func as usize);
        self.child_cache[slot] = ChildEntry {
            parent: p,
            key,
            child,
            func,
        };
        child
    }

    /// [`Profile::child`] past its cache: the tree's map, and a new node on first sight.
    #[inline(never)]
    fn child_slow(&mut self, parent: usize, func: usize) -> u32 {
        if let Some(&n) = self.children.get(&(parent, func)) {
            return n as u32;
        }
        // Frames keep node indices in `u32`; the tree would need hundreds of GiB first.
        assert!(
            self.nodes.len() < u32::MAX as usize,
            "the profiler's call tree is full"
        );
        self.nodes.push(Node {
            parent,
            func,
            self_time: 0.0,
            calls: 0,
            primitive: 0,
            self_ticks: 0,
            cum_ticks: 0,
        });
        let n = self.nodes.len() - 1;
        self.children.insert((parent, func), n);
        // Below `u32::MAX` by the assertion above.
        n as u32
    }

    #[inline(always)]
    fn push(&mut self, func: usize, now: u64, site: (u64, u32), flags: u8) {
        // Indexing `active` (as long as `funcs`) first proves `func < u32::MAX` (see
        // `intern`), so the casts below are lossless.
        let depth = self.active[func];
        self.active[func] = depth.wrapping_add(1);
        let func = func as u32;
        if self.stack.len() == 1 {
            self.first.get_or_insert(now);
        }
        let p = self.top().node.wrapping_add(1);
        let key = if flags & C_FRAME != 0 {
            func | FUNC_KEY
        } else {
            cache_key(site.0, func)
        };
        let node = self.child(p, key, func);
        let mut flags = flags;
        if depth == 0 {
            flags |= OUTERMOST;
        }
        if flags & IS_CALL != 0 {
            let n = &mut self.nodes[node as usize];
            n.calls += 1;
            n.primitive += u64::from(depth == 0);
        }
        self.stack.push(Frame {
            func,
            node,
            entered: now,
            callees: 0,
            site_code: site_code(site, flags),
            site_offset: site.1,
            flags,
        });
        if self.trace_on {
            self.trace_event(func as usize, now, true);
        }
    }

    /// Records a begin or end event if there is room; past the limit, marks the trace
    /// truncated and stops the callers from calling again.
    #[cold]
    #[inline(never)]
    fn trace_event(&mut self, func: usize, now: u64, begin: bool) {
        if self.trace.len() < self.trace_limit {
            self.trace.push(TraceEvent {
                func,
                ts: now as f64,
                begin,
            });
        } else {
            self.trace_truncated = true;
            self.trace_on = false;
        }
    }

    /// The frame on top ([`BOTTOM`] if none was entered).
    #[inline(always)]
    fn top(&self) -> &Frame {
        debug_assert!(!self.stack.is_empty());
        // SAFETY: the stack starts with `BOTTOM`, which is never popped (`pop` and
        // `try_pop` refuse it).
        unsafe { self.stack.get_unchecked(self.stack.len() - 1) }
    }

    /// The frames entered and not left yet, outermost first.
    #[cfg(test)]
    fn frames(&self) -> &[Frame] {
        &self.stack[1..]
    }

    #[inline(always)]
    fn pop(&mut self, now: u64) {
        if self.stack.len() <= 1 {
            return;
        }
        let Some(f) = self.stack.pop() else {
            return;
        };
        let elapsed = now.saturating_sub(f.entered);
        let own = elapsed.saturating_sub(f.callees);
        let d = &mut self.active[f.func as usize];
        *d = d.saturating_sub(1);
        let node = &mut self.nodes[f.node as usize];
        node.self_ticks += own;
        if f.flags & OUTERMOST != 0 {
            node.cum_ticks += elapsed;
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.callees += elapsed;
        }
        if self.trace_on {
            self.trace_event(f.func as usize, now, false);
        }
    }

    /// PY_START of function `func`.
    #[inline(always)]
    pub fn py_start(&mut self, func: usize, now: u64) {
        self.push(func, now, (0, 0), IS_CALL);
    }

    /// PY_RESUME / PY_THROW: a generator or coroutine frame is re-entered.
    #[inline(always)]
    pub fn py_resume(&mut self, func: usize, now: u64) {
        self.push(func, now, (0, 0), 0);
    }

    /// [`Profile::py_start`] (`call`) or [`Profile::py_resume`] of `func`, whose code
    /// handle is `code`: the frame remembers it for [`Profile::try_leave_code`]. A handle
    /// of 2^63 or more (which could pass for a C frame's site, see [`Frame::site_code`]) is
    /// remembered as none, and that frame is left the full way.
    #[inline(always)]
    pub fn py_enter_code(&mut self, func: usize, code: u64, now: u64, call: bool) {
        let code = if code & C_SITE == 0 { code } else { 0 };
        self.push(func, now, (code, 0), if call { IS_CALL } else { 0 });
    }

    /// PY_RETURN / PY_YIELD / PY_UNWIND of `func`: leaves its frame (and any C frames left
    /// open above it, which only a host bug could leave).
    #[inline(always)]
    pub fn py_leave(&mut self, func: usize, now: u64) {
        // Nearly always the frame on top: leave it without scanning the whole stack.
        if self
            .stack
            .last()
            .is_some_and(|f| f.func as usize == func && f.flags & C_FRAME == 0)
        {
            self.pop(now);
            return;
        }
        self.py_leave_deep(func, now);
    }

    #[cold]
    #[inline(never)]
    fn py_leave_deep(&mut self, func: usize, now: u64) {
        if !self
            .stack
            .iter()
            .any(|f| f.func as usize == func && f.flags & C_FRAME == 0)
        {
            return;
        }
        while let Some(top) = self.stack.last() {
            let done = top.func as usize == func && top.flags & C_FRAME == 0;
            self.pop(now);
            if done {
                break;
            }
        }
    }

    /// Whether begin/end events still go to the trace (a trace report was asked for and
    /// is not full yet; with no trace report, until the first event). The `try_` methods
    /// do not record them, so a caller uses those only while this is `false`.
    #[inline]
    pub fn keeps_trace(&self) -> bool {
        self.trace_on
    }

    /// [`Profile::py_start`] (`call`) or [`Profile::py_resume`] in the common case only: a
    /// frame on the stack, the child node in the cache, room on the stack. Otherwise it
    /// changes nothing and returns `false`. Written without calls or panics (every index
    /// is tested first), so the SDK's fast trampoline needs no saved registers. Only for a
    /// caller that has seen [`Profile::keeps_trace`] answer `false` (as every `try_`
    /// method): the test is the caller's, folded into one it makes anyway (the profiler's
    /// countdown), rather than one more per event here.
    #[inline(always)]
    pub fn try_enter(&mut self, func: usize, now: u64, call: bool) -> bool {
        // A function index below `active`'s length is one `intern` gave, below 2^31 - 1.
        if func >= self.active.len() {
            return false;
        }
        let key = func as u32 | FUNC_KEY;
        self.try_push(key, now, (0, 0), if call { IS_CALL } else { 0 })
    }

    /// [`Profile::py_enter_code`] in the common case only, as [`Profile::try_enter`], for
    /// the code handle `code`: the function is the one the child cache holds for that
    /// handle at the frame on top (the caller need not look it up). A handle outside 1 to
    /// 2^31 - 1 declines, as does one not entered from that frame before.
    #[inline(always)]
    pub fn try_enter_code(&mut self, code: u64, now: u64, call: bool) -> bool {
        if code.wrapping_sub(1) >= (1 << 31) - 1 {
            return false;
        }
        self.try_push(code as u32, now, (code, 0), if call { IS_CALL } else { 0 })
    }

    /// [`Profile::c_call`] in the common case only, as [`Profile::try_enter`].
    #[inline(always)]
    pub fn try_c_call(&mut self, func: usize, site: (u64, u32), now: u64) -> bool {
        if func >= self.active.len() {
            return false;
        }
        let key = func as u32 | FUNC_KEY;
        self.try_push(key, now, site, IS_CALL | C_FRAME)
    }

    /// [`Profile::push`] in the common case only (see [`Profile::try_enter`]) of the callee
    /// the child cache knows as `key` ([`cache_key`]): `flags` is `push`'s (`IS_CALL`,
    /// `C_FRAME`), `site` the C call site, the Python frame's code handle and 0, or `(0, 0)`.
    #[inline(always)]
    fn try_push(&mut self, key: u32, now: u64, site: (u64, u32), flags: u8) -> bool {
        debug_assert!(!self.trace_on, "a `try_` method while a trace is kept");
        if self.stack.len() == self.stack.capacity() {
            return false;
        }
        let p = self.top().node.wrapping_add(1);
        let slot = child_slot(p, key);
        let Some(e) = self.child_cache.get(slot) else {
            return false;
        };
        if e.key != key || e.parent != p {
            return false;
        }
        let (node, func32) = (e.child, e.func);
        let func = func32 as usize;
        debug_assert!(func < self.active.len() && (node as usize) < self.nodes.len());
        // SAFETY: a cached entry holds a function index `intern` gave (below `active`'s
        // length, which never shrinks), as `child` caches only what its caller passed.
        let d = unsafe { self.active.get_unchecked_mut(func) };
        let depth = *d;
        *d = depth.wrapping_add(1);
        let mut flags = flags;
        if depth == 0 {
            flags |= OUTERMOST;
        }
        if flags & IS_CALL != 0 {
            // SAFETY: a cached child is a node of the tree (`child` caches only what
            // `child_slow` answered), and nodes are never removed.
            let n = unsafe { self.nodes.get_unchecked_mut(node as usize) };
            // A branch, not `+= u64::from(depth == 0)`: LLVM turned the two adjacent adds
            // into one 16-byte load, add and store with a constant vector (six instructions
            // and a saved register more than the scalar adds), whose load also waits for
            // the full path's two 8-byte stores to the same pair.
            n.calls = n.calls.wrapping_add(1);
            if depth == 0 {
                n.primitive = n.primitive.wrapping_add(1);
            }
        }
        let frame = Frame {
            func: func32,
            node,
            entered: now,
            callees: 0,
            site_code: site_code(site, flags),
            site_offset: site.1,
            flags,
        };
        // Below capacity (tested above), so this does not grow the vector.
        self.stack.push(frame);
        true
    }

    /// [`Profile::py_leave`] in the common case only: `func`'s frame on top, no trace kept.
    /// Otherwise it changes nothing and returns `false`. No calls or panics, as in
    /// [`Profile::try_enter`].
    #[inline(always)]
    pub fn try_leave(&mut self, func: usize, now: u64) -> bool {
        self.try_pop(now, |f| f.func as usize == func && f.flags & C_FRAME == 0)
    }

    /// [`Profile::try_leave`] for the code handle `code` (never 0, below 2^63) instead of
    /// the function: the frame on top must be the Python frame entered with it
    /// ([`Profile::py_enter_code`], [`Profile::try_enter_code`]). A frame entered without a
    /// handle declines, and the caller leaves it the full way. A C frame's `site_code`
    /// carries [`C_SITE`], so the one compare also refuses C frames.
    #[inline(always)]
    pub fn try_leave_code(&mut self, code: u64, now: u64) -> bool {
        debug_assert!(code != 0 && code & C_SITE == 0);
        self.try_pop(now, |f| f.site_code == code)
    }

    /// [`Profile::c_leave_open`] in the common case only (no trace kept), as
    /// [`Profile::try_leave`]; the caller has seen [`Profile::c_open_at`] answer `true`.
    #[inline(always)]
    pub fn try_c_leave_open(&mut self, now: u64) -> bool {
        self.try_pop(now, |f| f.flags & C_FRAME != 0)
    }

    /// [`Profile::pop`] in the common case only, for a frame on top that `top_ok` accepts
    /// (see [`Profile::try_leave`]).
    #[inline(always)]
    fn try_pop(&mut self, now: u64, top_ok: impl FnOnce(&Frame) -> bool) -> bool {
        debug_assert!(!self.trace_on, "a `try_` method while a trace is kept");
        let n = self.stack.len();
        let f = *self.top();
        // `top_ok` never accepts `BOTTOM` (see there), so `n >= 2` below.
        if !top_ok(&f) {
            return false;
        }
        debug_assert!(n >= 2);
        // Every test has passed: from here on nothing can fail.
        self.stack.truncate(n - 1);
        // Timestamps never decrease (see `try_push`), so a frame's time is at least its
        // callees' and no subtraction here can wrap: plain ones, where the full path's
        // `pop` saturates (three instructions per event).
        debug_assert!(now >= f.entered && now - f.entered >= f.callees);
        let elapsed = now.wrapping_sub(f.entered);
        let own = elapsed.wrapping_sub(f.callees);
        let (func, node) = (f.func as usize, f.node as usize);
        debug_assert!(func < self.active.len() && node < self.nodes.len());
        // SAFETY: a frame is pushed only with a function index that indexed `active` and a
        // node of the tree, and neither vector ever shrinks (the bounds tests were four
        // instructions per event on the profiler's most frequent one, PY_YIELD).
        let d = unsafe { self.active.get_unchecked_mut(func) };
        // The frame's own entry made it at least 1.
        debug_assert!(*d > 0);
        *d = d.wrapping_sub(1);
        // SAFETY: as above.
        let node = unsafe { self.nodes.get_unchecked_mut(node) };
        node.self_ticks = node.self_ticks.wrapping_add(own);
        if f.flags & OUTERMOST != 0 {
            node.cum_ticks = node.cum_ticks.wrapping_add(elapsed);
        }
        // SAFETY: the popped frame was not `BOTTOM`, which is still below it.
        let parent = unsafe { self.stack.get_unchecked_mut(n - 2) };
        parent.callees = parent.callees.wrapping_add(elapsed);
        true
    }

    /// CALL of builtin `func` at `site` (code handle, offset).
    #[inline(always)]
    pub fn c_call(&mut self, func: usize, site: (u64, u32), now: u64) {
        self.push(func, now, site, IS_CALL | C_FRAME);
    }

    /// C_RETURN / C_RAISE at `site`: leaves the C frame opened there, if any.
    #[inline(always)]
    pub fn c_leave(&mut self, site: (u64, u32), now: u64) {
        if self.c_open_at(site) {
            self.pop(now);
        }
    }

    /// [`Profile::c_leave`] for a caller that has just seen [`Profile::c_open_at`] answer
    /// `true` (and changed nothing since): leaves the frame on top without testing again.
    #[inline(always)]
    pub fn c_leave_open(&mut self, now: u64) {
        debug_assert!(self.stack.last().is_some_and(|f| f.flags & C_FRAME != 0));
        self.pop(now);
    }

    /// Whether the frame on top is a C frame opened at `site`, so that [`Profile::c_leave`]
    /// would leave it. The caller can then skip its clock read for a C_RETURN of a call it
    /// never entered (a class call, whose `__init__` its own events time).
    #[inline(always)]
    pub fn c_open_at(&self, site: (u64, u32)) -> bool {
        // Only a C frame's `site_code` carries `C_SITE`.
        self.stack
            .last()
            .is_some_and(|f| f.site_code == site.0 | C_SITE && f.site_offset == site.1)
    }

    /// Closes every open frame at `now` (the program ended, by return, exception or exit),
    /// then sums the call tree into each function's totals and `callers`.
    pub fn close(&mut self, now: u64) {
        while self.stack.len() > 1 {
            self.pop(now);
        }
        self.total = self.first.map_or(0.0, |f| now.saturating_sub(f) as f64);
        self.sum_nodes();
    }

    /// Per function, the totals and the statistics per caller: sums over the call-tree
    /// nodes of the function (for callers, those whose parent node belongs to that caller).
    /// A node's parent is the frame that was on top when it was entered, which is exactly
    /// the caller a per-event update would have charged, so the sums are the same (up to the
    /// order of floating-point additions). Every node's frames have been left by now (`close`
    /// pops what is still open), so every edge ever entered appears.
    fn sum_nodes(&mut self) {
        for st in &mut self.stats {
            st.stats = Stats::default();
            st.callers.clear();
        }
        self.total_calls = 0;
        self.primitive_calls = 0;
        for i in 0..self.nodes.len() {
            let n = &mut self.nodes[i];
            n.self_time = n.self_ticks as f64;
            let edge = Stats {
                calls: n.calls,
                primitive: n.primitive,
                tottime: n.self_ticks as f64,
                cumtime: n.cum_ticks as f64,
            };
            let (func, parent) = (n.func, n.parent);
            let s = &mut self.stats[func].stats;
            s.calls += edge.calls;
            s.primitive += edge.primitive;
            s.tottime += edge.tottime;
            s.cumtime += edge.cumtime;
            self.total_calls += edge.calls;
            self.primitive_calls += edge.primitive;
            if parent == usize::MAX {
                continue;
            }
            let caller = self.nodes[parent].func;
            let e = self.stats[func].callers.entry(caller).or_default();
            e.calls += edge.calls;
            e.primitive += edge.primitive;
            e.tottime += edge.tottime;
            e.cumtime += edge.cumtime;
        }
    }

    /// Multiplies every time by `factor`: the caller timestamps in clock ticks and converts
    /// to seconds once, at the end (every time here is a sum or difference of timestamps, so
    /// scaling the results equals scaling the inputs). Call it after [`Profile::close`].
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
        self.total *= factor;
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

    /// The `try_` fast paths, falling back to the full methods when they decline, give the
    /// same statistics as the full methods alone, and do take the event once the tree is
    /// warm (a recursive generator chain, resumed and left many times, and builtin calls
    /// from two sites, one of them also inside a recursion of the builtin's caller).
    #[test]
    fn fast_paths_match_the_full_ones() {
        #[derive(Clone, Copy)]
        enum Ev {
            Start(usize),
            Resume(usize),
            Leave(usize),
            CCall(usize, (u64, u32)),
            CLeave((u64, u32)),
        }
        let mut events = vec![Ev::Start(0)];
        for _ in 0..50 {
            events.extend([Ev::Start(1), Ev::Start(2), Ev::Leave(2), Ev::Leave(1)]);
            // A return of a function with no frame open (only a host bug could send it):
            // nothing, whichever path takes it.
            events.extend([
                Ev::Resume(3),
                Ev::Leave(4),
                Ev::Start(1),
                Ev::Leave(1),
                Ev::Leave(3),
            ]);
            events.extend([Ev::Resume(3), Ev::Resume(4), Ev::Leave(4), Ev::Leave(3)]);
            events.extend([Ev::CCall(5, (1, 4)), Ev::CLeave((1, 4))]);
            // A C_RETURN with no C frame open at its site (a class call): nothing.
            events.extend([Ev::CLeave((1, 6))]);
            events.extend([Ev::Start(2), Ev::CCall(5, (3, 8)), Ev::CLeave((3, 8))]);
            events.extend([Ev::Start(2), Ev::CCall(5, (3, 8)), Ev::CLeave((3, 8))]);
            events.extend([Ev::Leave(2), Ev::Leave(2)]);
        }
        events.push(Ev::Leave(0));
        let run = |fast: bool| {
            let mut p = Profile::new(0);
            for h in 0..5 {
                py(&mut p, h + 1, &format!("f{h}"));
            }
            p.intern(FuncKey::Builtin("len".into()), || FuncInfo {
                name: "{built-in method len}".into(),
                file: "~".into(),
                line: 0,
                builtin: true,
            });
            let mut taken = 0;
            for (t, &e) in events.iter().enumerate() {
                let now = 10 * t as u64 + (t as u64 % 7);
                let done = fast
                    && !p.keeps_trace()
                    && match e {
                        // The profiler's own fast paths: frames known by code handle.
                        Ev::Start(f) => p.try_enter_code(f as u64 + 1, now, true),
                        Ev::Resume(f) => p.try_enter_code(f as u64 + 1, now, false),
                        Ev::Leave(f) => p.try_leave_code(f as u64 + 1, now),
                        Ev::CCall(f, site) => p.try_c_call(f, site, now),
                        // As the profiler's `c_return_fast`: no frame open there is done.
                        Ev::CLeave(site) => !p.c_open_at(site) || p.try_c_leave_open(now),
                    };
                if done {
                    taken += 1;
                    continue;
                }
                match e {
                    Ev::Start(f) if fast => p.py_enter_code(f, f as u64 + 1, now, true),
                    Ev::Resume(f) if fast => p.py_enter_code(f, f as u64 + 1, now, false),
                    Ev::Start(f) => p.py_start(f, now),
                    Ev::Resume(f) => p.py_resume(f, now),
                    Ev::Leave(f) => p.py_leave(f, now),
                    Ev::CCall(f, site) => p.c_call(f, site, now),
                    Ev::CLeave(site) => p.c_leave(site, now),
                }
            }
            p.close(10 * events.len() as u64);
            p.scale(1.0);
            let stats: Vec<_> = p
                .stats
                .iter()
                .map(|s| {
                    let mut callers: Vec<_> = s.callers.iter().map(|(k, v)| (*k, *v)).collect();
                    callers.sort_by_key(|c| c.0);
                    (s.stats, callers)
                })
                .collect();
            (
                format!("{stats:?}"),
                p.total_calls,
                p.primitive_calls,
                taken,
            )
        };
        let (full, fast) = (run(false), run(true));
        assert_eq!(full.0, fast.0);
        assert_eq!((full.1, full.2), (fast.1, fast.2));
        assert!(
            fast.3 > events.len() / 2,
            "fast paths took {} events",
            fast.3
        );
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
        p.py_start(m, 0);
        p.py_start(f, 10);
        p.c_call(len, (2, 10), 20);
        p.c_leave((2, 10), 25);
        p.py_leave(f, 40);
        p.py_leave(m, 100);
        p.close(100);
        p.scale(0.1);
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
        p.py_start(m, 10000);
        p.py_start(f, 30000);
        p.py_leave(f, 70000);
        p.close(110000);
        p.scale(1e-4);
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
        p.py_start(fact, 0);
        p.py_start(fact, 10);
        p.py_start(fact, 20);
        p.py_leave(fact, 30);
        p.py_leave(fact, 40);
        p.py_leave(fact, 60);
        p.close(60);
        p.scale(0.1);
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
        p.py_start(m, 0);
        p.py_start(g, 10);
        p.py_leave(g, 20); // PY_YIELD
        p.py_resume(g, 30);
        p.py_leave(g, 50); // PY_YIELD
        p.py_resume(g, 60);
        p.py_leave(g, 65); // PY_RETURN
        p.py_leave(m, 70);
        p.close(70);
        p.scale(0.1);
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
            let mut now = 0;
            for _ in 0..500 {
                now += next() % 5;
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
            p.close(now + 1);
            assert!(p.frames().is_empty());
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
        p.py_start(m, 0);
        p.py_start(f, 10);
        p.py_start(g, 20);
        p.py_leave(g, 30); // PY_UNWIND
        p.py_leave(f, 35); // PY_UNWIND
        // A C_RETURN for a call the profiler did not open (a class call): ignored.
        p.c_leave((1, 8), 40);
        assert_eq!(p.frames().len(), 1);
        p.close(50);
        p.scale(0.1);
        assert!(p.frames().is_empty());
        assert!(close(p.stats[m].stats.cumtime, 5.0));
        assert!(close(p.stats[f].stats.cumtime, 2.5));
    }

    /// The child cache is only a cache: with far more (parent, function) pairs than entries,
    /// entered in an order that makes them evict each other, every frame still lands on the
    /// node of its own stack, and equal stacks share one node.
    #[test]
    fn call_tree_nodes_survive_cache_evictions() {
        let mut p = Profile::new(0);
        let funcs: Vec<usize> = (0..64).map(|h| py(&mut p, h, &format!("f{h}"))).collect();
        let mut seen: HashMap<Vec<usize>, usize> = HashMap::default();
        let mut now = 0;
        for round in 0..3 {
            for a in 0..64 {
                for b in 0..64 {
                    let (fa, fb) = (funcs[a], funcs[(b * 7 + round) % 64]);
                    p.py_start(fa, now);
                    p.py_start(fb, now + 1);
                    for _ in 0..2 {
                        let top = p.frames().last().unwrap().node as usize;
                        let stack = p.stack_of(top);
                        assert_eq!(*stack.last().unwrap(), p.nodes[top].func);
                        assert_eq!(*seen.entry(stack).or_insert(top), top);
                        let f = p.nodes[top].func;
                        p.py_leave(f, now + 2);
                    }
                    now += 3;
                }
            }
        }
        // 64 roots and 64 × 64 children, each entered three times.
        assert_eq!(p.nodes.len(), 64 + 64 * 64);
        p.close(now);
        assert_eq!(p.total_calls, 3 * 2 * 64 * 64);
    }
}
