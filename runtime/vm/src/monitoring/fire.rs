//! Firing: the per-VM and per-code state, (re-)instrumentation of a code object from a
//! `SyncReport`, and the hooks the dispatch loop and unwinder call. Every event goes through
//! `Vm::fire`, which uses `vigil_monitoring::deliver` (highest slot first, nothing while a
//! callback runs, DISABLE recorded per location). It does not own the API checks (the crate)
//! nor the guest module (`guest.rs`).

use super::native::LeanArgs;
use crate::frame::{CodeCache, Frame};
use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm};
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;
use vigil_compiler::bytecode::{CodeObject, Instruction, Opcode, event_for, op};
use vigil_monitoring::{
    CodeMonitoring, Event, LineInstr, LineRole, Monitoring, MonitoringError, Site, Slot, ToolMask,
    Tracing, Update, Verdict, deliver, line_event_due, line_starts, prune_never_due,
};
use vigil_plugin_api::abi::Action;

/// A registered callback: a guest callable (native plugin tools are dispatched by the host
/// through the same slots).
#[derive(Clone)]
pub enum Callback {
    Guest(Value),
    /// A native tool's vtable entry (session tools, or `register_callback` through the Host
    /// API).
    Native(super::native::NativeCb),
}

pub(super) const LINE: u8 = 1;
pub(super) const INSTR: u8 = 2;
pub(super) const EVENT: u8 = 4;
/// With EVENT on a conditional jump written as INSTRUMENTED_BRANCH_ONE_WAY: every slot that
/// wants BRANCH there silenced the taken direction (`SILENT_TAKEN`) or the fall-through
/// (`SILENT_NEXT`), and not the other one (see `Vm::one_way`).
pub(super) const SILENT_TAKEN: u8 = 8;
pub(super) const SILENT_NEXT: u8 = 16;

/// Locations with this bit are CPython EXTENDED_ARG prefixes, which vigil's bytecode does not
/// have but CPython fires INSTRUCTION for (and DISABLEs separately): the rest of the location
/// is the prefix's CPython code unit. Real locations are instruction indices, far below it.
const PREFIX_LOC: usize = 1 << 31;

/// The location of prefix `k` (from 0) of instruction `i` (see [`PREFIX_LOC`]).
fn prefix_loc(code: &CodeObject, i: usize, k: u32) -> usize {
    PREFIX_LOC | (code.cpython_target(i) / 2 + k) as usize
}

/// The instruction a location belongs to (a prefix location belongs to the instruction the
/// prefix extends).
fn loc_index(code: &CodeObject, loc: usize) -> usize {
    if loc & PREFIX_LOC == 0 {
        return loc;
    }
    let unit = (loc & !PREFIX_LOC) as u32;
    code.index_at_cpython_offset(2 * unit).unwrap_or(0)
}

/// `Vm::twin_plain`'s answer when a callback or the instruction failed: not an instruction
/// word (no opcode byte is 255), and the exception is in `VmState::twin_err`.
pub(crate) const TWIN_ERR: u32 = u32::MAX;

/// The lowest of the answers of RESUME's and the returns' twins after a lean delivery
/// that did not answer CONTINUE (`Vm::lane_lean`): `TWIN_LEAN | a` for the answer `a`
/// (1 DISABLE, 2 a failure, 3 FULL). Not instruction words (no opcode byte is 0xF1 to
/// 0xF3), nor [`TWIN_ERR`]. The loop hands them to [`Vm::twin_lean_again`], which has
/// the frame, the code and the location the twin's function did not keep across the call.
pub(crate) const TWIN_LEAN: u32 = 0xffff_fff0;

/// The word a twin's function answers after a lean delivery answered `a` (not CONTINUE).
#[inline(always)]
fn lean_word(a: Action) -> u32 {
    TWIN_LEAN
        | match a {
            Action::DISABLE | Action::FULL => u32::from(a.0),
            _ => u32::from(Action::ERROR.0),
        }
}

/// What the loop must do after an instrumented instruction ran.
pub enum Post {
    None,
    /// BRANCH or JUMP from `site` to wherever `f.pc` points now.
    Branch(Event, usize),
    /// The call at `site` called something that is not a plain Python function.
    CReturn(usize),
    /// Nothing fires after the instruction, but it must run outside the loop's own arm
    /// for its opcode: a FOR_ITER that is still instrumented after its overlay's events
    /// (see `Vm::for_iter_overlaid`).
    Unspecialized,
}

/// A C call in flight, for C_RETURN / C_RAISE.
struct PendingC {
    frame: usize,
    site: usize,
    callable: Value,
    /// `None`: the call had no argument (`sys.monitoring.MISSING`).
    arg0: Option<Value>,
}

pub struct VmState {
    pub state: Rc<RefCell<Monitoring<Callback, Value>>>,
    /// `state`'s change count (`Monitoring::change_cell`), which the fast lane reads on
    /// every event without borrowing `state` (see `Vm::lane_open`).
    pub(super) changes: Rc<Cell<u64>>,
    pub tracing: Rc<Tracing>,
    /// Mirror of `state.version()` for the entry check.
    pub version: u64,
    /// Some tool has (had) events: the exception path must look.
    pub active: bool,
    pub disable: Value,
    pub missing: Value,
    pending_c: Vec<PendingC>,
    /// The Host API backend, once a session created native tools.
    pub native: Option<Box<super::native::NativeHost>>,
    /// Generation of the BRANCH directions native tools silenced (the bits live in each
    /// code's `CodeState::dir_off`); `restart_events` bumps it instead of visiting every
    /// code object, which makes every older bit set stale.
    pub branch_off_gen: u64,
    /// Some direction was silenced in this generation (the per-event check stops here
    /// otherwise).
    pub branch_off_any: bool,
    /// Slots (bit per index) of native tools that gave the hint
    /// `EventHints::SKIP_PY_FUNCTION_CALLS`: a CALL of a plain Python function that only
    /// such a tool receives is not delivered (see `fire_with`).
    pub skip_py_calls: u8,
    /// Slots (bit per index) of native tools that gave the hint `EventHints::BUILTIN_KEYS`:
    /// their CALL callable carries its builtin key (`ValueRef::KEYED`, see `call_native`).
    pub keyed_calls: u8,
    /// Slots (bit per index) of native tools that gave the hint
    /// `EventHints::SKIP_CLASS_CALLS`.
    pub skip_class_calls: u8,
    /// Slots (bit per index) of native tools that gave the hint `EventHints::LEAN`: their
    /// fast lane's code and call events are tried lean first (see `Vm::lane_fire`).
    pub lean_calls: u8,
    /// A CALL whose callable is a class reaches no callback, and neither do its C_RETURN
    /// and C_RAISE: every slot with a callback for one of the three is a native tool that
    /// gave `SKIP_CLASS_CALLS` (recomputed with `py_calls_silent`). `twin_call` then
    /// hands such a call to the loop as a plain CALL.
    pub class_calls_silent: bool,
    /// A CALL whose callable is a plain Python function reaches no callback: every slot with
    /// a CALL callback is a native tool that gave `SKIP_PY_FUNCTION_CALLS` (or no slot has
    /// one). `fire` then drops such a CALL before the delivery path, and `twin_call` before
    /// any prologue (see [`VmState::refresh_py_calls_silent`] for when it is recomputed).
    pub py_calls_silent: bool,
    /// `sys.addaudithook` hooks (the audit event of `register_callback`).
    pub audit_hooks: Vec<Value>,
    /// A SEND in this frame (address) got a generator's return value (for END_SEND).
    send_returned: Option<(usize, Value)>,
    /// Some END_SEND was given the event layer (STOP_ITERATION) since the VM started
    /// (`relayer` sets it, nothing clears it). SEND's arm tests it before it looks at its
    /// END_SEND's layer: with a tool that never asks for STOP_ITERATION (a debugger, line
    /// coverage) every finished `await` then costs one load, not ten instructions.
    pub send_stop_any: Cell<bool>,
    /// The exception of a failed `Vm::twin_plain`, until the loop takes it (`Null`
    /// otherwise).
    twin_err: Value,
    /// Whether the last FOR_ITER step over a generator that failed ran as CPython's
    /// specialized FOR_ITER_GEN (G6), for the RAISE offset in its frame (`mon_raise`). Set
    /// only on that failure path (`mon_for_iter_failed`), so steps pay nothing for it.
    for_iter_spec: bool,
    /// The exception (its address) a Python frame just unwound with into its caller, 0 for
    /// none (X2: the caller's RAISE offset depends on it). Kept as an identity so that an
    /// unwind that C code swallowed does not apply to a later, unrelated exception.
    unwound: usize,
    /// The frame (address) of the last RAISE/RERAISE and its CPython offset, which that
    /// frame's PY_UNWIND reports (X2).
    last_raise: (usize, u32),
}

impl Default for VmState {
    fn default() -> Self {
        let state = Monitoring::new();
        VmState {
            changes: state.change_cell(),
            state: Rc::new(RefCell::new(state)),
            tracing: Rc::new(Tracing::new()),
            version: 0,
            active: false,
            disable: Value::Null,
            missing: Value::Null,
            pending_c: Vec::new(),
            native: None,
            branch_off_gen: 1,
            branch_off_any: false,
            skip_py_calls: 0,
            keyed_calls: 0,
            lean_calls: 0,
            skip_class_calls: 0,
            class_calls_silent: false,
            py_calls_silent: false,
            audit_hooks: Vec::new(),
            for_iter_spec: false,
            send_returned: None,
            send_stop_any: Cell::new(false),
            twin_err: Value::Null,
            unwound: 0,
            last_raise: (0, 0),
        }
    }
}

pub struct CodeState {
    pub state: RefCell<CodeMonitoring>,
    pub version: Cell<u64>,
    /// The eval-breaker word (`limits::word`) RESUME last found while this code object was
    /// at the VM's version and nothing was pending; RESUME's fast path is `word == stamp`.
    /// Starts at a value no word takes (all breaker bits set), so the first RESUME looks.
    pub stamp: Cell<u64>,
    pub layers: Box<[Cell<u8>]>,
    pub line_starts: OnceCell<Vec<bool>>,
    first_resume: usize,
    /// The compiler's (never instrumented) instructions are the base table.
    pub(super) code: Rc<CodeObject>,
    /// This code object's Host API handle, once a native tool got an event from it (0:
    /// none yet), so that an event does not look the handle up.
    pub(super) native_handle: Cell<u64>,
    /// BRANCH directions native tools silenced (`disable_branch_direction`), one word per
    /// instruction: bit `2 * slot` for the taken destination, `2 * slot + 1` for the
    /// fall-through (8 slots fill a `u16`). Read per BRANCH event, so it is indexed by offset
    /// instead of hashed; allocated on the first silenced direction of this code object.
    /// Valid only while `dir_off_gen` equals `VmState::branch_off_gen`.
    pub(super) dir_off: OnceCell<Box<[Cell<u16>]>>,
    pub(super) dir_off_gen: Cell<u64>,
    /// The slots that want BRANCH here, as `(code version, ToolMask bits)`: they change only
    /// when this code object syncs (`mon_sync` sets `version` with them), and
    /// `branch_silenced` needs them on every pass over a branch with a silenced direction,
    /// where borrowing both states and walking the mask cost ~60 instructions.
    branch_tools: Cell<(u64, u8)>,
    /// The fast lane of PY_START, PY_RESUME, PY_RETURN, PY_YIELD, CALL, C_RETURN, LINE,
    /// BRANCH and JUMP (in `native::LANE_EVENTS` order): per event, the one native tool that gets it everywhere
    /// in this code object, or `None` (see `Vm::lane_fire`). Valid while `lane_stamp` equals
    /// `Monitoring::changes()`; `u64::MAX` (never a count) until `Vm::lane_build` ran.
    pub(super) lane: [Cell<Option<super::native::LaneCb>>; 9],
    pub(super) lane_stamp: Cell<u64>,
    /// CPython's byte offset of every instruction (`CodeObject::cpython_offset`), for the
    /// lane's events: made by the first `Vm::lane_build` of this code object, before it puts
    /// anything on the lane, and never changed after. One load per event where
    /// `cpython_offset` was the code object's pointer, a bounds test and the doubling.
    lane_offsets: OnceCell<Box<[u32]>>,
    /// `lane_offsets`' first element once it is made (null before): read per event without
    /// the `OnceCell`'s test.
    pub(super) lane_offsets_ptr: Cell<*const u32>,
}

impl VmState {
    /// Recomputes `py_calls_silent` from the callback table and the hints. Must run after
    /// every change that can add a CALL callback or drop a hint (a registration from the
    /// guest or the Host API, a tool attached, `set_events` with other hints); a removal
    /// can only make more CALLs silent, so it needs no refresh to stay correct. Skipping
    /// for several hinted tools at once is what the hint allows: each promised that such a
    /// CALL is a no-op for it.
    pub(crate) fn refresh_py_calls_silent(&mut self) {
        let Ok(m) = self.state.try_borrow() else {
            self.py_calls_silent = false;
            self.class_calls_silent = false;
            return;
        };
        // Whether every slot's callback for `ev` is absent, or native with a hint in `hinted`.
        let silent = |ev: Event, hinted: u8| {
            (0..Slot::COUNT)
                .filter_map(Slot::from_index)
                .all(|slot| match m.callback(slot, ev) {
                    None => true,
                    Some(Callback::Native(_)) => hinted & (1 << slot.index()) != 0,
                    Some(Callback::Guest(_)) => false,
                })
        };
        self.py_calls_silent = silent(Event::Call, self.skip_py_calls);
        // The same rule for the class-call hint, on the three events of such a call.
        self.class_calls_silent = [Event::Call, Event::CReturn, Event::CRaise]
            .into_iter()
            .all(|ev| silent(ev, self.skip_class_calls));
    }

    /// Forgets every silenced BRANCH direction (`restart_events`).
    pub(super) fn clear_branch_off(&mut self) {
        self.branch_off_gen += 1;
        self.branch_off_any = false;
    }
}

/// The `dir_off` bits of `slot` that `dest` names at a branch with these destinations
/// (both bits when the two destinations are the same instruction).
pub(super) fn direction_bits(slot: Slot, (taken, not_taken): (u32, u32), dest: u32) -> u16 {
    let shift = 2 * slot.index();
    (u16::from(dest == taken) << shift) | (u16::from(dest == not_taken) << (shift + 1))
}

impl CodeState {
    /// Makes `lane_offsets` (once) and points `lane_offsets_ptr` at it.
    pub(super) fn make_lane_offsets(&self) {
        if !self.lane_offsets_ptr.get().is_null() {
            return;
        }
        let table = self.lane_offsets.get_or_init(|| {
            (0..self.code.instructions.len())
                .map(|i| self.code.cpython_offset(i))
                .collect()
        });
        self.lane_offsets_ptr.set(table.as_ptr());
    }

    /// CPython's byte offset of instruction `pc` for a lane event: `lane_offsets` is made
    /// (a lane entry was found, which `lane_build` sets only after making it), and `pc` is
    /// an instruction of this code object (one whose twin runs).
    #[inline(always)]
    pub(super) fn lane_offset(&self, pc: usize) -> u32 {
        debug_assert!(pc < self.code.instructions.len());
        debug_assert!(!self.lane_offsets_ptr.get().is_null());
        // SAFETY: as above: the table has one entry per instruction, and the box behind the
        // pointer is never replaced or freed while this state lives.
        unsafe { *self.lane_offsets_ptr.get().add(pc) }
    }

    /// Records that `slot` silenced the direction of the branch at `offset` that goes to
    /// `dest` (already checked to be one of `targets`), in generation `generation`.
    pub(super) fn silence_direction(
        &self,
        generation: u64,
        slot: Slot,
        offset: usize,
        targets: (u32, u32),
        dest: u32,
    ) {
        let bits = self.dir_off.get_or_init(|| {
            self.code
                .instructions
                .iter()
                .map(|_| Cell::new(0))
                .collect()
        });
        if self.dir_off_gen.get() != generation {
            bits.iter().for_each(|b| b.set(0));
            self.dir_off_gen.set(generation);
        }
        if let Some(b) = bits.get(offset) {
            b.set(b.get() | direction_bits(slot, targets, dest));
        }
    }

    pub fn new(code: &Rc<CodeObject>) -> CodeState {
        let first_resume = code
            .instructions
            .iter()
            .position(|i| i.op() == Opcode::RESUME)
            .unwrap_or(0);
        CodeState {
            state: RefCell::new(CodeMonitoring::new()),
            version: Cell::new(0),
            stamp: Cell::new(u64::MAX),
            layers: code.instructions.iter().map(|_| Cell::new(0)).collect(),
            line_starts: OnceCell::new(),
            first_resume,
            code: code.clone(),
            native_handle: Cell::new(0),
            dir_off: OnceCell::new(),
            dir_off_gen: Cell::new(0),
            branch_tools: Cell::new((u64::MAX, 0)),
            lane: Default::default(),
            lane_stamp: Cell::new(u64::MAX),
            lane_offsets: OnceCell::new(),
            lane_offsets_ptr: Cell::new(std::ptr::null()),
        }
    }
}

fn line_role(ins: Instruction) -> LineRole {
    match ins.op() {
        Opcode::RESUME | Opcode::END_FOR | Opcode::END_SEND => LineRole::Transparent,
        Opcode::END_ASYNC_FOR => LineRole::EndAsyncFor,
        Opcode::POP_JUMP_IF_FALSE
        | Opcode::POP_JUMP_IF_TRUE
        | Opcode::POP_JUMP_IF_NONE
        | Opcode::POP_JUMP_IF_NOT_NONE => LineRole::Jump(ins.arg() as usize),
        Opcode::JUMP_FORWARD | Opcode::JUMP_BACKWARD | Opcode::JUMP_BACKWARD_NO_INTERRUPT => {
            LineRole::Goto(ins.arg() as usize)
        }
        Opcode::RETURN_VALUE | Opcode::RETURN_CONST | Opcode::RAISE_VARARGS | Opcode::RERAISE => {
            LineRole::Stop
        }
        Opcode::FOR_ITER | Opcode::SEND => LineRole::LoopExit(ins.arg() as usize),
        _ => LineRole::Plain,
    }
}

fn compute_line_starts(code: &CodeObject, first_resume: usize) -> Vec<bool> {
    let instrs: Vec<LineInstr> = code
        .instructions
        .iter()
        .enumerate()
        .map(|(i, ins)| LineInstr {
            line: code.line_at(i),
            role: line_role(*ins),
        })
        .collect();
    let handlers: Vec<usize> = code
        .exception_table
        .iter()
        .map(|e| e.handler as usize)
        .collect();
    let mut starts = line_starts(&instrs, first_resume, &handlers);
    prune_never_due(&instrs, &mut starts, &handlers);
    starts
}

/// The answer of [`Vm::receivers`].
enum Receivers {
    Nobody,
    OneNative(Slot, super::native::NativeCb),
    Others,
}

/// Errors out of a delivery: the callback's exception, or the DISABLE refusal.
enum FireErr {
    Py(PyErr),
    Mon(MonitoringError),
}

/// The arguments of one event occurrence, borrowed from the firing site: `(code, n, rest)`
/// where `n` is the instruction offset (the line number for LINE). Nothing is built per
/// event: native tools read these through handles, and a guest callback gets them as
/// `Value`s from [`EvArgs::to_vec`].
#[derive(Clone, Copy)]
pub(crate) struct EvArgs<'a> {
    pub code: &'a Rc<CodeObject>,
    pub n: usize,
    pub rest: Rest<'a>,
}

/// What follows `(code, offset)` in an event's arguments.
#[derive(Clone, Copy)]
pub(crate) enum Rest<'a> {
    /// PY_START, PY_RESUME, LINE, INSTRUCTION.
    Nothing,
    /// INSTRUCTION for CPython's EXTENDED_ARG prefix number `k` (from 0) of instruction `n`.
    Prefix(u32),
    /// BRANCH, JUMP: the destination offset.
    Dest(usize),
    /// PY_RETURN, PY_YIELD, STOP_ITERATION and the exception events: one value.
    Value(&'a Value),
    /// RAISE, RERAISE, PY_UNWIND: the exception, reported at CPython byte offset `.1`
    /// rather than the instruction's own (CPython 3.13's RAISE offsets, X2).
    ValueAt(&'a Value, u32),
    /// CALL, C_RETURN, C_RAISE: the callable and `arg0` (`None` is `sys.monitoring.MISSING`).
    Call(&'a Value, Option<&'a Value>),
    /// STOP_ITERATION: what the `StopIteration` carries (`Value::Null`: no argument). The
    /// exception object is built only for a callback that can see it: a guest callback
    /// (`fire_deliver`), or a native tool that asks the Host API about its value
    /// (`native::value_of`). Building it costs more than the rest of the event (a class
    /// lookup, an instance, an args tuple), and tools that count events never look.
    Stop(&'a Value),
}

impl<'a> EvArgs<'a> {
    pub(crate) fn new(code: &'a Rc<CodeObject>, n: usize, rest: Rest<'a>) -> EvArgs<'a> {
        EvArgs { code, n, rest }
    }

    /// The offset argument as CPython reports it (every event but LINE, whose `n` is a
    /// line): the byte offset of the instruction itself (of the EXTENDED_ARG prefix, for a
    /// prefix's INSTRUCTION), not our instruction index.
    #[inline(always)]
    pub(crate) fn cpython_offset(&self) -> u32 {
        match self.rest {
            Rest::Prefix(k) => self.code.cpython_target(self.n) + 2 * k,
            Rest::ValueAt(_, at) => at,
            _ => self.code.cpython_offset(self.n),
        }
    }

    /// The positional arguments of a guest callback (`missing` is `sys.monitoring.MISSING`).
    /// Guests get CPython's byte offsets, not our instruction indices (see
    /// [`EvArgs::cpython_offset`]); a BRANCH/JUMP destination is where CPython's jump lands
    /// (the target's first EXTENDED_ARG prefix, if any).
    fn to_vec(self, ev: Event, missing: Value) -> Vec<Value> {
        let mut v = Vec::with_capacity(4);
        v.push(Value::Code(self.code.clone()));
        let n = if ev == Event::Line {
            self.n as u32
        } else {
            self.cpython_offset()
        };
        v.push(Value::Int(n as i64));
        match self.rest {
            Rest::Nothing | Rest::Prefix(_) => {}
            Rest::Dest(d) => v.push(Value::Int(self.code.cpython_target(d) as i64)),
            Rest::Value(x) | Rest::ValueAt(x, _) => v.push(x.clone()),
            Rest::Call(c, a) => {
                v.push(c.clone());
                v.push(a.cloned().unwrap_or(missing));
            }
            Rest::Stop(_) => unreachable!("fire_deliver builds the StopIteration first"),
        }
        v
    }
}

/// The per-event copies of [`Vm::fire_with`] (see [`Vm::fire`]): `name(EVENT, extra
/// parameters) => the Rest they make`. Out of line, so that each firing site stays a call.
macro_rules! fire_copies {
    ($($name:ident($ev:expr $(, $p:ident: $t:ty)*) => $rest:expr;)*) => {
        $(
            #[inline(never)]
            fn $name(
                &mut self,
                cache: &CodeCache,
                loc: usize,
                code: &Rc<CodeObject>,
                n: usize,
                $($p: $t),*
            ) -> PyResult<()> {
                self.fire_with($ev, Some(cache), loc, EvArgs::new(code, n, $rest))
            }
        )*
    };
}

/// CALL's `arg0` for the call laid out at `base` with `argc` arguments: the bound `self` if
/// the stack holds one, else the first argument, else none (`sys.monitoring.MISSING`).
#[inline(always)]
fn call_arg0(f: &Frame, base: usize, argc: usize) -> Option<&Value> {
    let selfv = &f.slots[base + 1];
    if !selfv.is_null() {
        Some(selfv)
    } else if argc > 0 {
        Some(&f.slots[base + 2])
    } else {
        None
    }
}

fn is_call_op(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::CALL | Opcode::CALL_KW | Opcode::CALL_FUNCTION_EX | Opcode::LOAD_SUPER_ATTR
    )
}

impl Vm {
    /// A native function is returning an error. A Python frame that unwound into it (a
    /// generator resumed by `throw`/`next`, a function `map` called) unwound into C, not into
    /// the caller's call: CPython then sees the call instruction itself fail, and RAISE is at
    /// its last code unit (X2), so the mark is dropped.
    #[cold]
    pub(crate) fn mon_native_failed(&mut self) {
        self.monitoring.s.unwound = 0;
    }

    /// Turns a crate error into the guest exception.
    pub(crate) fn mon_error(&mut self, e: MonitoringError) -> PyErr {
        self.err(e.kind.name(), e.message)
    }

    /// Delivers one occurrence. `site` is the code (for local events and the C events) and
    /// the location; `args` are the callback arguments, borrowed: a native tool reads them in
    /// place (its handles point at them while it runs), and only a guest callback gets the
    /// owned `Value`s it is called with.
    ///
    /// The common case of a session, one slot wanting the event and a native callback for
    /// it, is delivered here directly; every other occurrence goes through
    /// `vigil_monitoring::deliver`. Both follow the same rules for one slot: nothing while a
    /// callback runs, the callback read at its turn and called with tracing entered, a local
    /// DISABLE recorded at the location, a non-local one removing the callback.
    ///
    /// The nine events a busy tool gets most (per line, branch, call and return) each have a
    /// copy of the delivery path of their own ([`Vm::fire_with`] with the event and the kind
    /// of its arguments fixed), chosen here; at a call site that names its event this match
    /// folds away. In one shared copy the event and its `Rest` were matched again at each
    /// step (the receiver query, the callback's signature, the value pointers, the offset):
    /// callgrind, count every event on richards 1, ~34 instructions per event.
    #[inline(always)]
    fn fire(
        &mut self,
        ev: Event,
        cache: Option<&CodeCache>,
        loc: usize,
        args: EvArgs<'_>,
    ) -> PyResult<()> {
        if let Some(c) = cache {
            let EvArgs { code, n, rest } = args;
            match (ev, rest) {
                (Event::Line, Rest::Nothing) => return self.fire_line(c, loc, code, n),
                (Event::PyStart, Rest::Nothing) => return self.fire_py_start(c, loc, code, n),
                (Event::PyResume, Rest::Nothing) => return self.fire_py_resume(c, loc, code, n),
                (Event::PyReturn, Rest::Value(v)) => {
                    return self.fire_py_return(c, loc, code, n, v);
                }
                (Event::PyYield, Rest::Value(v)) => return self.fire_py_yield(c, loc, code, n, v),
                (Event::Call, Rest::Call(f, a)) => {
                    // A profiler's CALL of a Python function: dropped here, before the
                    // delivery path's prologue and receiver query (callgrind, profiler on
                    // richards 1: ~45 instructions per Python call in `fire_call`).
                    if self.monitoring.s.py_calls_silent && matches!(f, Value::Function(_)) {
                        return Ok(());
                    }
                    // The lane inline: one call (the callback's) per CALL on it, instead of
                    // `fire_call`'s prologue and its result in memory around it.
                    if self.lane_fire_call(Event::Call, super::native::LANE_CALL, c, loc, f, a) {
                        return Ok(());
                    }
                    return self.fire_call(c, loc, code, n, f, a);
                }
                (Event::CReturn, Rest::Call(f, a)) => {
                    return self.fire_c_return(c, loc, code, n, f, a);
                }
                (Event::Branch, Rest::Dest(d)) => return self.fire_branch(c, loc, code, n, d),
                (Event::Jump, Rest::Dest(d)) => return self.fire_jump(c, loc, code, n, d),
                _ => {}
            }
        }
        self.fire_any(ev, cache, loc, args)
    }

    fire_copies! {
        fire_line_slow(Event::Line) => Rest::Nothing;
        fire_py_start(Event::PyStart) => Rest::Nothing;
        fire_py_resume(Event::PyResume) => Rest::Nothing;
        fire_py_return(Event::PyReturn, v: &Value) => Rest::Value(v);
        fire_py_yield(Event::PyYield, v: &Value) => Rest::Value(v);
        fire_call_slow(Event::Call, f: &Value, a: Option<&Value>) => Rest::Call(f, a);
        fire_c_return(Event::CReturn, f: &Value, a: Option<&Value>) => Rest::Call(f, a);
        fire_branch_slow(Event::Branch, d: usize) => Rest::Dest(d);
        fire_jump_slow(Event::Jump, d: usize) => Rest::Dest(d);
    }

    /// LINE (`n` is the line): through the code object's fast lane when it applies (one
    /// native tool gets LINE everywhere in this code, see `Vm::lane_fire_line`), else the
    /// delivery path. The twins' functions take the lane the same way for their events;
    /// these four are the events the traced copy's arms and `mon_event` fire through `fire`.
    #[inline(never)]
    fn fire_line(
        &mut self,
        cache: &CodeCache,
        loc: usize,
        code: &Rc<CodeObject>,
        n: usize,
    ) -> PyResult<()> {
        if self.lane_fire_line(cache, loc, n as u32) {
            return Ok(());
        }
        self.lane_refresh(cache);
        self.fire_line_slow(cache, loc, code, n)
    }

    /// `fire_line` where the caller tried the lane inline: marked cold, so that the traced
    /// copy's arms keep their registers for the lane's way.
    #[cold]
    #[inline(never)]
    fn fire_line_cold(
        &mut self,
        cache: &CodeCache,
        loc: usize,
        code: &Rc<CodeObject>,
        n: usize,
    ) -> PyResult<()> {
        self.fire_line(cache, loc, code, n)
    }

    /// `fire_branch` off the lane, as `fire_line_cold`.
    #[cold]
    #[inline(never)]
    fn fire_branch_cold(
        &mut self,
        cache: &CodeCache,
        loc: usize,
        code: &Rc<CodeObject>,
        n: usize,
        d: usize,
    ) -> PyResult<()> {
        self.fire_branch(cache, loc, code, n, d)
    }

    /// `fire_jump` off the lane, as `fire_line_cold`.
    #[cold]
    #[inline(never)]
    fn fire_jump_cold(
        &mut self,
        cache: &CodeCache,
        loc: usize,
        code: &Rc<CodeObject>,
        n: usize,
        d: usize,
    ) -> PyResult<()> {
        self.fire_jump(cache, loc, code, n, d)
    }

    /// CALL: the lane first, as `fire_line`.
    #[inline(never)]
    fn fire_call(
        &mut self,
        cache: &CodeCache,
        loc: usize,
        code: &Rc<CodeObject>,
        n: usize,
        f: &Value,
        a: Option<&Value>,
    ) -> PyResult<()> {
        if self.lane_fire_call(Event::Call, super::native::LANE_CALL, cache, loc, f, a) {
            return Ok(());
        }
        self.lane_refresh(cache);
        self.fire_call_slow(cache, loc, code, n, f, a)
    }

    /// BRANCH to instruction `d`: the lane first, as `fire_line`.
    #[inline(never)]
    fn fire_branch(
        &mut self,
        cache: &CodeCache,
        loc: usize,
        code: &Rc<CodeObject>,
        n: usize,
        d: usize,
    ) -> PyResult<()> {
        if self.lane_fire_jump(Event::Branch, super::native::LANE_BRANCH, cache, loc, d) {
            return Ok(());
        }
        self.lane_refresh(cache);
        self.fire_branch_slow(cache, loc, code, n, d)
    }

    /// JUMP to instruction `d`: the lane first, as `fire_line`.
    #[inline(never)]
    fn fire_jump(
        &mut self,
        cache: &CodeCache,
        loc: usize,
        code: &Rc<CodeObject>,
        n: usize,
        d: usize,
    ) -> PyResult<()> {
        if self.lane_fire_jump(Event::Jump, super::native::LANE_JUMP, cache, loc, d) {
            return Ok(());
        }
        self.lane_refresh(cache);
        self.fire_jump_slow(cache, loc, code, n, d)
    }

    /// [`Vm::fire`] for every other event (and a call site without a code cache).
    #[inline(never)]
    fn fire_any(
        &mut self,
        ev: Event,
        cache: Option<&CodeCache>,
        loc: usize,
        args: EvArgs<'_>,
    ) -> PyResult<()> {
        self.fire_with(ev, cache, loc, args)
    }

    /// The delivery path (see [`Vm::fire`]); inlined into each copy.
    #[inline(always)]
    fn fire_with(
        &mut self,
        ev: Event,
        cache: Option<&CodeCache>,
        loc: usize,
        args: EvArgs<'_>,
    ) -> PyResult<()> {
        if self.monitoring.s.tracing.is_active() {
            return Ok(());
        }
        match self.receivers(ev, cache, loc) {
            Receivers::Nobody => Ok(()),
            // The one receiver said it does nothing with a CALL of a plain Python function
            // (the callables `call_native` flags `PY_FUNCTION`): a profiler times those by
            // PY_START/PY_RETURN. Skipping it here spares the callback's whole delivery
            // (callgrind, profiler on richards 1: ~140 instructions per Python call).
            Receivers::OneNative(slot, _)
                if ev == Event::Call
                    && self.monitoring.s.skip_py_calls & (1 << slot.index()) != 0
                    && matches!(args.rest, Rest::Call(Value::Function(_), _)) =>
            {
                Ok(())
            }
            Receivers::OneNative(slot, n) => self.fire_native(ev, cache, loc, &args, slot, n),
            Receivers::Others => self.fire_deliver(ev, cache, loc, args),
        }
    }

    /// Who gets this occurrence: nobody, exactly one slot whose callback is native (the
    /// common case of a session), or something `fire_deliver` must handle (several slots, a
    /// guest callback, or a state that is borrowed right now).
    #[inline(always)]
    fn receivers(&self, ev: Event, cache: Option<&CodeCache>, loc: usize) -> Receivers {
        let s = &self.monitoring.s;
        // SAFETY: the references from `try_borrow_unguarded` live only inside this function,
        // which calls nothing but the pure queries `tools_at`, `global_tools` and
        // `callback`, and copies out a `ToolMask` and a `NativeCb` (both `Copy`). Nothing can
        // take a mutable borrow of either cell while they are alive. If one is mutably
        // borrowed already, `fire_deliver` borrows it the checked way (as before).
        // Skipping the checked borrows saves the flag updates on every event.
        let Ok(m) = (unsafe { s.state.try_borrow_unguarded() }) else {
            return Receivers::Others;
        };
        let mask = match cache {
            Some(c) => {
                // SAFETY: as above.
                let Ok(cm) = (unsafe { c.mon.m.state.try_borrow_unguarded() }) else {
                    return Receivers::Others;
                };
                m.tools_at(cm, ev, loc as u32)
            }
            None if ev.is_local() => ToolMask::EMPTY,
            None => m.global_tools(ev),
        };
        let bits = mask.bits();
        if bits == 0 {
            return Receivers::Nobody;
        }
        if bits & (bits - 1) == 0
            && let Some(slot) = Slot::from_index(bits.trailing_zeros() as usize)
            && let Some(Callback::Native(n)) = m.callback(slot, ev)
        {
            return Receivers::OneNative(slot, *n);
        }
        Receivers::Others
    }

    /// [`Vm::fire`] for one slot with a native callback.
    #[inline(always)]
    fn fire_native(
        &mut self,
        ev: Event,
        cache: Option<&CodeCache>,
        loc: usize,
        args: &EvArgs<'_>,
        slot: Slot,
        n: super::native::NativeCb,
    ) -> PyResult<()> {
        // `branch_off_any` is tested here, before the out-of-line call: nearly every BRANCH
        // of a run without silenced directions stops at it.
        let verdict = if ev == Event::Branch
            && self.monitoring.s.branch_off_any
            && let Some(v) = self.branch_direction_off(slot, cache, args)
        {
            v
        } else {
            // SAFETY: `VmState::tracing` is created with the VM and never replaced or dropped
            // before it, and the callback cannot drop the VM it runs in, so the pointer stays
            // valid across `call_native` (a borrow could not be held over its `&mut self`;
            // this spares an `Rc` clone and drop per event).
            let tr: &Tracing = unsafe { &*Rc::as_ptr(&self.monitoring.s.tracing) };
            let _muted = tr.enter();
            self.call_native(slot, ev, n, args, cache)
                .unwrap_or(Verdict::Continue)
        };
        if verdict == Verdict::Disable {
            self.native_disable(ev, cache, loc, slot);
        }
        Ok(())
    }

    /// A native callback returned DISABLE (a single-slot delivery, see `fire`).
    #[cold]
    pub(super) fn native_disable(
        &mut self,
        ev: Event,
        cache: Option<&CodeCache>,
        loc: usize,
        slot: Slot,
    ) {
        let st = self.monitoring.s.state.clone();
        match cache {
            Some(c) if ev.is_local() => {
                let r =
                    st.borrow_mut()
                        .disable(&mut c.mon.m.state.borrow_mut(), slot, ev, loc as u32);
                if let Ok(vigil_monitoring::Disabled::Local { remaining }) = r
                    && remaining.is_empty()
                {
                    self.relayer(c, &st.borrow(), loc_index(&c.mon.m.code, loc));
                }
            }
            // CPython refuses this DISABLE and removes the callback; for a native tool there
            // is no guest code to raise the ValueError into, so only the removal happens.
            _ => {
                st.borrow_mut().register_callback(slot, ev, None);
            }
        }
    }

    /// [`Vm::fire`] through `vigil_monitoring::deliver`: several slots, or guest callbacks.
    /// Kept out of line so that `fire`'s own frame stays small for the native path.
    #[inline(never)]
    fn fire_deliver(
        &mut self,
        ev: Event,
        cache: Option<&CodeCache>,
        loc: usize,
        args: EvArgs<'_>,
    ) -> PyResult<()> {
        // Several slots or a guest callback: the exception is built once, shared by all.
        let stop_exc;
        let args = match args.rest {
            Rest::Stop(v) => {
                stop_exc = self.stop_iteration(v.clone()).0;
                EvArgs {
                    rest: Rest::Value(&stop_exc),
                    ..args
                }
            }
            _ => args,
        };
        let st = self.monitoring.s.state.clone();
        let tr = self.monitoring.s.tracing.clone();
        let site = cache.map(|c| Site {
            code: &c.mon.m.state,
            location: loc as u32,
        });
        let r = deliver(
            &st,
            &tr,
            ev,
            site,
            |slot, cb| match cb {
                Callback::Guest(f) => {
                    let missing = self.monitoring.s.missing.clone();
                    let r = self
                        .call(&f, args.to_vec(ev, missing), vec![])
                        .map_err(FireErr::Py)?;
                    let disable = &self.monitoring.s.disable;
                    Ok(if r.is(disable) && !disable.is_null() {
                        Verdict::Disable
                    } else {
                        Verdict::Continue
                    })
                }
                // A failed native tool is disabled, not an exception in the program.
                Callback::Native(n) => {
                    if ev == Event::Branch
                        && let Some(v) = self.branch_direction_off(slot, cache, &args)
                    {
                        return Ok(v);
                    }
                    let v = self
                        .call_native(slot, ev, n, &args, cache)
                        .unwrap_or(Verdict::Continue);
                    if v == Verdict::Disable && !ev.is_local() {
                        // CPython refuses this DISABLE and removes the callback; for a native
                        // tool there is no guest code to raise the ValueError into, so only
                        // the removal happens (as in vigil-host's DetachedHost).
                        self.monitoring
                            .s
                            .state
                            .borrow_mut()
                            .register_callback(slot, ev, None);
                        return Ok(Verdict::Continue);
                    }
                    Ok(v)
                }
            },
            FireErr::Mon,
        );
        match r {
            Ok(d) => {
                if d.deinstrument
                    && let Some(c) = cache
                {
                    self.relayer(c, &st.borrow(), loc_index(&c.mon.m.code, loc));
                }
                Ok(())
            }
            Err(FireErr::Py(e)) => Err(e),
            Err(FireErr::Mon(e)) => Err(self.mon_error(e)),
        }
    }

    /// Brings `cache` up to the global version (lazy instrumentation).
    pub(crate) fn mon_sync(&mut self, cache: &CodeCache) {
        let st = self.monitoring.s.state.clone();
        let m = st.borrow();
        let report = m.instrument(&mut cache.mon.m.state.borrow_mut());
        cache.mon.m.version.set(m.version());
        if let Some(r) = report
            && (r.changed() || r.restarted || r.disables_cleared)
        {
            self.relayer_all(cache, &m);
        }
    }

    /// After `set_local_events` synced a code object itself.
    pub(crate) fn mon_apply_local(&mut self, cache: &CodeCache) {
        let st = self.monitoring.s.state.clone();
        let m = st.borrow();
        self.relayer_all(cache, &m);
    }

    /// Re-instruments code objects after the global version moved: D6 asks for the code of
    /// every frame running now, and only those. Any other code object catches up at its next
    /// RESUME (function entry, generator resume), which the epoch bump below makes stale.
    /// Syncing a code object that does not run would be observable: an event toggled off and
    /// on again without the code running in between must keep its DISABLEs (D4,
    /// probes/c_disable2), and a sync at the "off" step would drop them. The walk is over the
    /// chain of running frames, which costs a call nothing at entry.
    pub(crate) fn mon_update(&mut self, u: Update) {
        self.monitoring.s.version = self.monitoring.s.state.borrow().version();
        // Every code object's RESUME stamp is stale now.
        crate::limits::bump_epoch();
        self.monitoring.s.active = true;
        if u == Update::ExecutingFrames {
            let version = self.monitoring.s.version;
            let mut stale: Vec<Rc<CodeCache>> = Vec::new();
            let mut link = self.running;
            while !link.is_null() {
                // SAFETY: a non-null link is a local of a `run_frame` call that is still
                // running (see `Vm::running` and `run_frame`): it is the head only while that
                // call runs, and each `prev` was the head when its link was made, so it
                // belongs to an enclosing `run_frame`. The frame it points to is borrowed by
                // that `run_frame` and stays in place; the interpreter is inside a call
                // (`set_events` or a host entry) and touches no frame while this runs, so
                // reading the frame's function here races with nothing. Only an `Rc` clone of
                // its code cache is kept, no reference into the frame.
                let (frame, prev) = unsafe { ((*link).frame as *const Frame, (*link).prev) };
                // SAFETY: as above, the frame is live and not being written.
                let cache = unsafe { (*frame).cache() };
                if cache.mon.m.version.get() != version
                    && !stale.iter().any(|c| Rc::ptr_eq(c, cache))
                {
                    stale.push(cache.clone());
                }
                link = prev;
            }
            for c in stale {
                self.mon_sync(&c);
            }
        }
    }

    fn relayer_all(&self, cache: &CodeCache, m: &Monitoring<Callback, Value>) {
        for i in 0..cache.mon.instrs.len() {
            self.relayer(cache, m, i);
        }
    }

    /// Recomputes which layers sit on instruction `i` and writes the topmost one.
    fn relayer(&self, cache: &CodeCache, m: &Monitoring<Callback, Value>, i: usize) {
        let code = &cache.mon.m;
        let orig = self.orig_instr(cache, i);
        let cm = code.state.borrow();
        let mut layers = 0u8;
        if let Some(ev) = event_for(orig.op(), orig.arg())
            && ev.is_local()
            && !m.tools_at(&cm, ev, i as u32).is_empty()
        {
            layers |= EVENT;
        }
        if !m.code_tools(&cm, Event::Line).is_empty() {
            let starts = code
                .line_starts
                .get_or_init(|| compute_line_starts(&code.code, code.first_resume));
            if starts.get(i).copied().unwrap_or(false)
                && !m.tools_at(&cm, Event::Line, i as u32).is_empty()
            {
                layers |= LINE;
            }
        }
        // The overlay stays while the instruction or one of CPython's EXTENDED_ARG prefixes
        // before it (DISABLEd separately, as in CPython) still has a tool.
        if i >= code.first_resume
            && !matches!(orig.op(), Opcode::RESUME | Opcode::END_FOR)
            && (!m.tools_at(&cm, Event::Instruction, i as u32).is_empty()
                || (0..code.code.cpython_prefixes(i)).any(|k| {
                    let loc = prefix_loc(&code.code, i, k) as u32;
                    !m.tools_at(&cm, Event::Instruction, loc).is_empty()
                }))
        {
            layers |= INSTR;
        }
        let op = if layers & LINE != 0 {
            Opcode::INSTRUMENTED_LINE
        } else if layers & INSTR != 0 {
            Opcode::INSTRUMENTED_INSTRUCTION
        } else if layers & EVENT != 0 {
            if let Some(silent) = self.one_way(cache, m, &cm, i, orig) {
                layers |= silent;
                Opcode::INSTRUMENTED_BRANCH_ONE_WAY
            } else {
                orig.op().instrumented().unwrap_or(orig.op())
            }
        } else {
            orig.op()
        };
        if layers & EVENT != 0 && orig.op() == Opcode::END_SEND {
            self.monitoring.s.send_stop_any.set(true);
        }
        let old = code.layers[i].replace(layers);
        // A plain FOR_ITER's word is its warm-up state (FOR_ITER_COLD or FOR_ITER, see
        // `monitoring::executed`): kept while the location stays plain; cold again when it
        // loses its instrumentation, as CPython resets the adaptive counter of every
        // instruction it de-instruments, whether or not it ran meanwhile (G6).
        if op == Opcode::FOR_ITER {
            if old & (LINE | INSTR | EVENT) != 0 {
                cache.mon.instrs[i].set(orig.with_op(Opcode::FOR_ITER_COLD));
            }
            return;
        }
        cache.mon.instrs[i].set(orig.with_op(op));
    }

    /// Whether the conditional jump or FOR_ITER `orig` at `i`, carrying only its BRANCH twin, can run as
    /// INSTRUMENTED_BRANCH_ONE_WAY: every slot that wants BRANCH in this code silenced the same
    /// one direction (`disable_branch_direction`) and not the other. Then the direction bit
    /// to put in its layers (`SILENT_TAKEN`/`SILENT_NEXT`). The same rule as
    /// `branch_silenced`, decided once here instead of on every pass: a coverage tool that
    /// saw a branch go one way leaves it in that state until the other way comes, which in a
    /// loop is usually never, and the plain copies of the dispatch loop run such a word
    /// themselves on the silenced way (see `Vm::branch_one_way`).
    fn one_way(
        &self,
        cache: &CodeCache,
        m: &Monitoring<Callback, Value>,
        cm: &CodeMonitoring,
        i: usize,
        orig: Instruction,
    ) -> Option<u8> {
        if !matches!(
            orig.op(),
            Opcode::POP_JUMP_IF_FALSE
                | Opcode::POP_JUMP_IF_TRUE
                | Opcode::POP_JUMP_IF_NONE
                | Opcode::POP_JUMP_IF_NOT_NONE
                | Opcode::FOR_ITER
        ) {
            return None;
        }
        let s = &self.monitoring.s;
        let code = &cache.mon.m;
        if !s.branch_off_any || code.dir_off_gen.get() != s.branch_off_gen {
            return None;
        }
        let word = code.dir_off.get()?.get(i)?.get();
        let (taken, next) = super::native::branch_targets(&code.code, i)?;
        let mut bits = m.code_tools(cm, Event::Branch).bits();
        if word == 0 || bits == 0 || taken == next {
            return None;
        }
        // Bit 0 of a slot's pair: taken silenced; bit 1: fall-through silenced.
        let first = (word >> (2 * bits.trailing_zeros())) & 3;
        if first != 1 && first != 2 {
            return None;
        }
        while bits != 0 {
            let shift = 2 * bits.trailing_zeros();
            bits &= bits - 1;
            if (word >> shift) & 3 != first {
                return None;
            }
        }
        Some(if first == 1 {
            SILENT_TAKEN
        } else {
            SILENT_NEXT
        })
    }

    /// Re-layers instruction `i` after a native tool silenced one of its BRANCH directions, so
    /// that it can become (or stop being) INSTRUMENTED_BRANCH_ONE_WAY. Skipped while either
    /// monitoring state is borrowed (a delivery in progress): the word then keeps its full
    /// BRANCH twin, which is always correct, only slower.
    pub(super) fn relayer_branch(&self, cache: &CodeCache, i: usize) {
        let Ok(m) = self.monitoring.s.state.try_borrow() else {
            return;
        };
        // `relayer` borrows the code state shared, which a mutable borrow would make panic.
        if cache.mon.m.state.try_borrow().is_err() || i >= cache.mon.instrs.len() {
            return;
        }
        self.relayer(cache, &m, i);
    }

    /// Whether the INSTRUMENTED_BRANCH_ONE_WAY word at `pc`, which just went the way
    /// `jumped` says, needs no BRANCH event: `relayer` found that direction silenced by every
    /// slot, and neither the code's instrumentation (its version) nor the silenced bits (their
    /// generation, which `restart_events` moves) changed since. A new silenced direction
    /// re-layers the word at once (`relayer_branch`). Otherwise the caller fires through
    /// `mon_after`, which checks everything again.
    #[inline(always)]
    pub(crate) fn one_way_silenced(&self, cache: &CodeCache, pc: usize, jumped: bool) -> bool {
        let m = &cache.mon.m;
        let s = &self.monitoring.s;
        let bit = if jumped { SILENT_TAKEN } else { SILENT_NEXT };
        m.layers[pc].get() & bit != 0
            && m.version.get() == s.version
            && m.dir_off_gen.get() == s.branch_off_gen
    }

    fn orig_instr(&self, cache: &CodeCache, i: usize) -> Instruction {
        cache.mon.m.code.instructions[i]
    }

    /// The RESUME check (PEP 669 entry check): sync a stale code object, then fire
    /// PY_START / PY_RESUME if the RESUME now carries its twin.
    #[inline]
    pub(crate) fn mon_resume(&mut self, f: &mut Frame, cache: &Rc<CodeCache>) -> PyResult<()> {
        if cache.mon.m.version.get() == self.monitoring.s.version {
            return Ok(());
        }
        self.mon_sync(cache);
        let pc = f.lasti;
        if cache.mon.m.layers[pc].get() & EVENT != 0 {
            self.fire_resume(f, cache, pc)?;
        }
        Ok(())
    }

    fn fire_resume(&mut self, f: &Frame, cache: &CodeCache, pc: usize) -> PyResult<()> {
        let ins = f.code().instructions[pc];
        let ev = if ins.arg() == 0 {
            Event::PyStart
        } else {
            Event::PyResume
        };
        self.fire(
            ev,
            Some(cache),
            pc,
            EvArgs::new(f.code(), pc, Rest::Nothing),
        )
    }

    /// Runs the events of an instrumented word at `f.pc` that come before the instruction
    /// and returns the plain instruction to execute.
    #[inline(always)]
    pub(crate) fn mon_before(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        post: &mut Post,
    ) -> PyResult<Instruction> {
        let pc = f.pc;
        let prev = f.lasti;
        f.lasti = pc;
        let code = &f.code();
        let orig = code.instructions[pc];
        // Read once, and again only after a callback ran (its DISABLE may have changed it).
        let layer = &cache.mon.m.layers[pc];
        let mut layers = layer.get();
        if layers & LINE != 0
            && let Some(line) = code.line_at(pc)
        {
            let prev_is_resume = code
                .instructions
                .get(prev)
                .is_some_and(|i| i.op_byte() == Opcode::RESUME as u8);
            if line_event_due(code.line_at(prev), prev_is_resume, line) {
                self.fire(
                    Event::Line,
                    Some(cache),
                    pc,
                    EvArgs::new(code, line as usize, Rest::Nothing),
                )?;
                layers = layer.get();
            }
        }
        self.mon_before_tail(f, cache, orig, layers, post)
    }

    /// The part of `mon_before` after LINE: INSTRUCTION, then the instruction's own events.
    #[inline(always)]
    fn mon_before_tail(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        orig: Instruction,
        layers: u8,
        post: &mut Post,
    ) -> PyResult<Instruction> {
        let pc = f.pc;
        let code = &f.code();
        let layer = &cache.mon.m.layers[pc];
        let mut layers = layers;
        if layers & INSTR != 0 {
            // CPython executes (and reports) each EXTENDED_ARG prefix first, at its own offset.
            for k in 0..code.cpython_prefixes(pc) {
                self.fire(
                    Event::Instruction,
                    Some(cache),
                    prefix_loc(code, pc, k),
                    EvArgs::new(code, pc, Rest::Prefix(k)),
                )?;
            }
            self.fire(
                Event::Instruction,
                Some(cache),
                pc,
                EvArgs::new(code, pc, Rest::Nothing),
            )?;
            layers = layer.get();
        }
        if layers & EVENT == 0 && orig.op_byte() != op::RESUME {
            if orig.op_byte() == op::FOR_ITER {
                return Ok(self.for_iter_overlaid(cache, pc, orig, post));
            }
            return Ok(orig);
        }
        self.mon_event(f, cache, orig, post)?;
        Ok(orig)
    }

    /// The word a FOR_ITER `orig` under an overlay (LINE, INSTRUCTION) runs as once the
    /// overlay's events fired. Still instrumented, it runs as CPython's unspecialized
    /// FOR_ITER, which neither uses nor advances the warm-up (`Post::Unspecialized`: the
    /// caller runs it in `exec_then_post`, not as the loop's FOR_ITER word, which stands
    /// for the specialized one). If a callback took its last instrumentation away (a
    /// DISABLE), `relayer` left the cold word there, and this run is its first plain one:
    /// CPython counts the run that follows a de-instrumentation (probes: a loop whose LINE
    /// was DISABLEd on its second step ends its third specialized).
    #[inline(always)]
    fn for_iter_overlaid(
        &self,
        cache: &CodeCache,
        pc: usize,
        orig: Instruction,
        post: &mut Post,
    ) -> Instruction {
        let w = cache.mon.instrs[pc].get();
        if w.op_byte() == op::FOR_ITER_COLD {
            return w;
        }
        *post = Post::Unspecialized;
        orig
    }

    /// `mon_line_word`'s end for a FOR_ITER (see `for_iter_overlaid`).
    #[cold]
    #[inline(never)]
    fn for_iter_line_word(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> PyResult<Option<Instruction>> {
        let mut post = Post::None;
        let w = self.for_iter_overlaid(cache, pc, orig, &mut post);
        if matches!(post, Post::None) {
            return Ok(Some(w));
        }
        self.exec_then_post(f, cache, w, post)?;
        Ok(None)
    }

    /// The INSTRUMENTED_LINE word at `pc` in the traced copy (`f.pc` is `pc + 1`), where
    /// most such words carry LINE alone (coverage, count every event): LINE's due test
    /// reads the two instructions' lines once each, and the INSTRUCTION and event layers
    /// are not tested unless the LINE callback changed the word's layers. Answers the base
    /// instruction for the loop to run next, or `None` when the word ran here: a word with
    /// more layers than LINE takes `mon_word_cold` (the general `mon_before`, and the
    /// instruction itself when it has events after it). So the loop's arm keeps no `Post`
    /// and does not move `f.pc` back and forth around the event (the callbacks and the
    /// unwinder read `lasti`, as for the twins).
    #[inline(always)]
    pub(crate) fn mon_line_word(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
    ) -> PyResult<Option<Instruction>> {
        let layer = &cache.mon.m.layers[pc];
        if layer.get() != LINE {
            return self.mon_word_cold(f, cache, pc, None);
        }
        let prev = f.lasti;
        f.lasti = pc;
        let code = &f.code();
        let line = code.locations[pc].line;
        // `line_event_due` spelled on the raw fields: no line (-1) never fires; LINE is due
        // unless the previous instruction exists, has this line and is not a RESUME (a
        // previous instruction without a line (-1) differs from any line here).
        if line >= 0
            && !(code.locations.get(prev).is_some_and(|l| l.line == line)
                && code
                    .instructions
                    .get(prev)
                    .is_some_and(|i| i.op_byte() != op::RESUME))
        {
            // The lane inline: a tool that takes every line pays no call of `fire_line`
            // (its prologue, its result in memory) around its callback.
            if !self.lane_fire_line(cache, pc, line as u32) {
                self.fire_line_cold(cache, pc, code, line as usize)?;
            }
            // The callback may have added INSTRUCTION or the instruction's own events here.
            let layers = layer.get();
            if layers & (INSTR | EVENT) != 0 {
                return self.mon_word_cold(f, cache, pc, Some(layers));
            }
        }
        let orig = code.instructions[pc];
        if orig.op_byte() == op::FOR_ITER {
            return self.for_iter_line_word(f, cache, pc, orig);
        }
        Ok(Some(orig))
    }

    /// `mon_line_word` for a word with more than LINE: `mon_before` from the start
    /// (`layers` `None`), or after LINE fired (`layers`: the word's layers then), then the
    /// instruction here if it has events after it (`exec_then_post`; answers `None`), else
    /// its word for the loop.
    #[cold]
    #[inline(never)]
    fn mon_word_cold(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        layers: Option<u8>,
    ) -> PyResult<Option<Instruction>> {
        // `mon_before` works on the word at `f.pc`, with `lasti` still the previous one.
        f.pc = pc;
        let mut post = Post::None;
        let ins = match layers {
            None => self.mon_before(f, cache, &mut post)?,
            Some(layers) => {
                let orig = f.code().instructions[pc];
                self.mon_before_tail(f, cache, orig, layers, &mut post)?
            }
        };
        f.lasti = pc;
        f.pc = pc + 1;
        if matches!(post, Post::None) {
            return Ok(Some(ins));
        }
        self.exec_then_post(f, cache, ins, post)?;
        Ok(None)
    }

    /// The events of the instruction `orig` at `f.pc` itself that come before it runs
    /// (PY_START/PY_RESUME, PY_RETURN/PY_YIELD, CALL, STOP_ITERATION; BRANCH/JUMP and
    /// C_RETURN are set up in `post`), for a word whose layers include EVENT (RESUME checks
    /// its own). `mon_before` calls it after the overlays' events; `twin_general` calls it
    /// for a word that carries only its twin, without reading the layers.
    #[inline(always)]
    pub(crate) fn mon_event(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        orig: Instruction,
        post: &mut Post,
    ) -> PyResult<()> {
        let pc = f.pc;
        let code = &f.code();
        // Matched by its byte: decoding `op()` is two table lookups with a validity test
        // (~12 instructions), paid on every instrumented word (callgrind, count every event).
        let byte = orig.op_byte();
        if byte == op::RESUME {
            // The version check comes before PY_START / PY_RESUME.
            if cache.mon.m.version.get() != self.monitoring.s.version {
                self.mon_sync(cache);
            }
            if cache.mon.m.layers[pc].get() & EVENT != 0 {
                self.fire_resume(f, cache, pc)?;
            }
            return Ok(());
        }
        match byte {
            op::RETURN_VALUE | op::YIELD_VALUE => {
                let ev = if byte == op::YIELD_VALUE {
                    Event::PyYield
                } else {
                    Event::PyReturn
                };
                let null = Value::Null;
                let v = f.slots.last().unwrap_or(&null);
                self.fire(ev, Some(cache), pc, EvArgs::new(code, pc, Rest::Value(v)))?;
            }
            op::RETURN_CONST => {
                let v = &cache.consts[orig.arg() as usize];
                self.fire(
                    Event::PyReturn,
                    Some(cache),
                    pc,
                    EvArgs::new(code, pc, Rest::Value(v)),
                )?;
            }
            op::CALL | op::CALL_KW => {
                let argc = orig.arg() as usize;
                let kw = usize::from(byte == op::CALL_KW);
                let base = f.slots.len() - kw - argc - 2;
                let callable = &f.slots[base];
                let selfv = &f.slots[base + 1];
                let arg0 = call_arg0(f, base, argc);
                self.fire(
                    Event::Call,
                    Some(cache),
                    pc,
                    EvArgs::new(code, pc, Rest::Call(callable, arg0)),
                )?;
                // After binding: a bound Python method (types.MethodType) in the callable
                // slot is unpacked into its function, which is not a C call. A bound builtin
                // method stays as it is (CPython only unpacks PyMethod objects).
                let python = match (callable, selfv.is_null()) {
                    (Value::Function(_), _) => true,
                    (Value::Method(m), true) => matches!(m.1, Value::Function(_)),
                    _ => false,
                };
                if !python {
                    let (callable, arg0) = (callable.clone(), arg0.cloned());
                    self.push_c(f, pc, callable, arg0, post);
                }
            }
            op::CALL_FUNCTION_EX => {
                let has_kw = orig.arg() & 1 == 1;
                let n = f.slots.len();
                let args = &f.slots[n - 1 - usize::from(has_kw)];
                let callable = &f.slots[n - 3 - usize::from(has_kw)];
                let arg0 = match args {
                    Value::Tuple(t) if !t.is_empty() => Some(t[0].clone()),
                    Value::List(l) if !l.borrow().is_empty() => Some(l.borrow()[0].clone()),
                    _ => None,
                };
                self.fire(
                    Event::Call,
                    Some(cache),
                    pc,
                    EvArgs::new(code, pc, Rest::Call(callable, arg0.as_ref())),
                )?;
                if !matches!(callable, Value::Function(_) | Value::Method(_)) {
                    let callable = callable.clone();
                    self.push_c(f, pc, callable, arg0, post);
                }
            }
            op::LOAD_SUPER_ATTR => {
                let callable = Value::Class(self.types.super_.clone());
                let arg0 = if orig.arg() & 2 == 0 {
                    None
                } else {
                    let n = f.slots.len();
                    Some(f.slots[n - 2].clone())
                };
                self.fire(
                    Event::Call,
                    Some(cache),
                    pc,
                    EvArgs::new(code, pc, Rest::Call(&callable, arg0.as_ref())),
                )?;
                self.push_c(f, pc, callable, arg0, post);
            }
            op::JUMP_FORWARD | op::JUMP_BACKWARD => {
                *post = Post::Branch(Event::Jump, pc);
            }
            op::END_SEND => {
                let me = f as *const Frame as usize;
                if let Some((fr, v)) = self.monitoring.s.send_returned.take()
                    && fr == me
                {
                    let a = if v.is_none() { Value::Null } else { v };
                    self.fire(
                        Event::StopIteration,
                        Some(cache),
                        pc,
                        EvArgs::new(code, pc, Rest::Stop(&a)),
                    )?;
                }
            }
            op::POP_JUMP_IF_FALSE
            | op::POP_JUMP_IF_TRUE
            | op::POP_JUMP_IF_NONE
            | op::POP_JUMP_IF_NOT_NONE
            | op::FOR_ITER => {
                *post = Post::Branch(Event::Branch, pc);
            }
            _ => {}
        }
        Ok(())
    }

    /// A word carrying only its twin (RESUME, returns, yields, calls, END_FOR, END_SEND) met
    /// in any copy of the dispatch loop: fires the events that come before the
    /// instruction and answers the base instruction's word, which the loop then runs in the
    /// same copy (CPython's shape: the event out of line, the base operation in the
    /// interpreter). A function whose RESUME, calls and returns carry twins (the profiler's
    /// events) so never leaves the plain copy. An instruction with events after it (C_RETURN
    /// after a call of something that is not a plain Python function) runs here with them
    /// (`exec_then_post`), and NOP's word comes back. A failure answers [`TWIN_ERR`] with
    /// the exception parked in `VmState::twin_err` (see [`Vm::twin_err`]): a plain `u32` comes
    /// back in a register, and each event's own function below is reached by a jump.
    ///
    /// `f.lasti` is `pc` from here on; `f.pc` stays `pc + 1` (the callbacks and the unwinder
    /// read `lasti`). The base instruction is the code object's own word (the five arms below
    /// rebuild it from `twin`, the word the loop met before any callback ran: a twin keeps
    /// its base's argument, see `relayer`, and this spares a load chain and a bounds check
    /// per event), so a callback that re-instruments the code (DISABLE, `set_local_events`,
    /// `restart_events`) cannot change what runs.
    ///
    /// The loop has an arm of its own for each twin with a function of its own (the five
    /// below); this is the way for the others.
    #[cold]
    #[inline(never)]
    pub(crate) fn twin_plain(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
    ) -> u32 {
        f.lasti = pc;
        let w = match twin.op_byte() {
            op::INSTRUMENTED_RESUME => self.twin_resume(f, cache, pc, twin),
            op::INSTRUMENTED_RETURN_VALUE => self.twin_leave::<false>(f, cache, pc, twin),
            op::INSTRUMENTED_YIELD_VALUE => self.twin_leave::<true>(f, cache, pc, twin),
            op::INSTRUMENTED_RETURN_CONST => self.twin_return_const(f, cache, pc, twin),
            _ => return self.twin_plain_other(f, cache, pc, twin),
        };
        self.twin_settle(f, cache, pc, twin, w)
    }

    /// The answer `w` of RESUME's or a return's twin, as the loop takes it: a lean
    /// delivery's unfinished answer ([`TWIN_LEAN`]) finished.
    #[inline(always)]
    pub(crate) fn twin_settle(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
        w: u32,
    ) -> u32 {
        if w >= TWIN_LEAN && w != TWIN_ERR {
            return self.twin_lean_again(f, cache, pc, twin, w);
        }
        w
    }

    /// A lean delivery of PY_START, PY_RESUME, PY_RETURN or PY_YIELD by `twin`'s function
    /// answered `w` ([`TWIN_LEAN`]): FULL delivers the event again the ordinary way (the
    /// twin's function without its lean try); DISABLE and a failure are handled as after an
    /// ordinary delivery ([`Vm::lane_lean_rare`]), and the base instruction runs.
    #[cold]
    #[inline(never)]
    pub(crate) fn twin_lean_again(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
        w: u32,
    ) -> u32 {
        let action = Action((w - TWIN_LEAN) as u8);
        let (ev, k, base) = match twin.op_byte() {
            op::INSTRUMENTED_RESUME if twin.arg() == 0 => (Event::PyStart, 0, Opcode::RESUME),
            op::INSTRUMENTED_RESUME => (Event::PyResume, 1, Opcode::RESUME),
            op::INSTRUMENTED_RETURN_VALUE => (Event::PyReturn, 2, Opcode::RETURN_VALUE),
            op::INSTRUMENTED_RETURN_CONST => (Event::PyReturn, 2, Opcode::RETURN_CONST),
            op::INSTRUMENTED_YIELD_VALUE => (Event::PyYield, 3, Opcode::YIELD_VALUE),
            _ => unreachable!("a lean answer from a twin without one"),
        };
        let orig = twin.with_op(base);
        if action != Action::FULL {
            self.lane_lean_rare(action, ev, k, cache, pc, LeanArgs::Value(None));
            return orig.0;
        }
        match base {
            Opcode::RESUME => self.twin_resume_ordinary(f, cache, pc, orig),
            Opcode::RETURN_CONST => self.twin_return_const_ordinary(f, cache, pc, orig),
            Opcode::YIELD_VALUE => self.twin_stack_top_ordinary::<true>(f, cache, pc, orig),
            _ => self.twin_stack_top_ordinary::<false>(f, cache, pc, orig),
        }
    }

    /// [`Vm::twin_plain`] for the twins other than RESUME's and the returns'.
    #[inline(always)]
    fn twin_plain_other(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
    ) -> u32 {
        match twin.op_byte() {
            op::INSTRUMENTED_CALL => self.twin_call(f, cache, pc, twin),
            _ => {
                let orig = f.code().instructions[pc];
                self.twin_general(f, cache, pc, orig)
            }
        }
    }

    /// The exception a `twin_plain` that answered [`TWIN_ERR`] parked.
    #[cold]
    #[inline(never)]
    pub(crate) fn twin_err(&mut self) -> PyErr {
        PyErr(std::mem::take(&mut self.monitoring.s.twin_err))
    }

    /// `r`'s answer for the loop: `ok` or, with the exception parked, [`TWIN_ERR`].
    #[inline(always)]
    fn twin_answer(&mut self, r: PyResult<()>, ok: Instruction) -> u32 {
        match r {
            Ok(()) => ok.0,
            Err(PyErr(e)) => {
                self.monitoring.s.twin_err = e;
                TWIN_ERR
            }
        }
    }

    /// RESUME: PY_START / PY_RESUME through the code's fast lane when it applies
    /// (`Vm::lane_fire`: one native tool, code synced), the general path otherwise.
    #[inline(never)]
    pub(crate) fn twin_resume(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
    ) -> u32 {
        f.lasti = pc;
        let orig = twin.with_op(Opcode::RESUME);
        let lean = if orig.arg() == 0 {
            self.lane_lean(Event::PyStart, 0, cache, pc)
        } else {
            self.lane_lean(Event::PyResume, 1, cache, pc)
        };
        match lean {
            Some(Action::CONTINUE) => orig.0,
            Some(a) => lean_word(a),
            None => self.twin_resume_ordinary(f, cache, pc, orig),
        }
    }

    /// `twin_resume` without the lean try: the lane's ordinary delivery, else the general
    /// way. Out of line, so that the lean try keeps nothing but its answer across its call.
    #[inline(never)]
    fn twin_resume_ordinary(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        let hit = if orig.arg() == 0 {
            self.lane_fire(Event::PyStart, 0, cache, pc, None)
        } else {
            self.lane_fire(Event::PyResume, 1, cache, pc, None)
        };
        if hit {
            return orig.0;
        }
        self.twin_resume_slow(f, cache, pc, orig)
    }

    /// `twin_resume` off the lane: the version check (a stale code object is synced first),
    /// the layer test, then PY_START / PY_RESUME through `fire` (see `mon_event`). Out of
    /// line, so that the lane's function saves no registers for it.
    #[inline(never)]
    fn twin_resume_slow(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        if cache.mon.m.version.get() != self.monitoring.s.version {
            self.mon_sync(cache);
        }
        self.lane_refresh(cache);
        if cache.mon.m.layers[pc].get() & EVENT == 0 {
            return orig.0;
        }
        let args = EvArgs::new(f.code(), pc, Rest::Nothing);
        let r = if orig.arg() == 0 {
            self.fire(Event::PyStart, Some(cache), pc, args)
        } else {
            self.fire(Event::PyResume, Some(cache), pc, args)
        };
        self.twin_answer(r, orig)
    }

    /// RETURN_VALUE's twin (`YIELD` false: PY_RETURN) or YIELD_VALUE's (`YIELD` true:
    /// PY_YIELD), `twin`: see `twin_stack_top`.
    #[inline(always)]
    pub(crate) fn twin_leave<const YIELD: bool>(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
    ) -> u32 {
        let base = if YIELD {
            Opcode::YIELD_VALUE
        } else {
            Opcode::RETURN_VALUE
        };
        self.twin_stack_top::<YIELD>(f, cache, pc, twin.with_op(base))
    }

    /// RETURN_VALUE, YIELD_VALUE: PY_RETURN / PY_YIELD (`YIELD`) with the value on top,
    /// through the code's fast lane when it applies (see `twin_resume`). One copy per event,
    /// so that neither tests which it is (a parameter was ~3 instructions per event).
    #[inline(never)]
    fn twin_stack_top<const YIELD: bool>(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        f.lasti = pc;
        let lean = if YIELD {
            self.lane_lean(Event::PyYield, 3, cache, pc)
        } else {
            self.lane_lean(Event::PyReturn, 2, cache, pc)
        };
        match lean {
            Some(Action::CONTINUE) => orig.0,
            Some(a) => lean_word(a),
            None => self.twin_stack_top_ordinary::<YIELD>(f, cache, pc, orig),
        }
    }

    /// `twin_stack_top` without the lean try (see `twin_resume_ordinary`).
    #[inline(never)]
    fn twin_stack_top_ordinary<const YIELD: bool>(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        let ev = if YIELD {
            Event::PyYield
        } else {
            Event::PyReturn
        };
        let Some(v) = f.slots.last() else {
            return self.twin_general(f, cache, pc, orig);
        };
        let hit = if YIELD {
            self.lane_fire(Event::PyYield, 3, cache, pc, Some(v))
        } else {
            self.lane_fire(Event::PyReturn, 2, cache, pc, Some(v))
        };
        if hit {
            return orig.0;
        }
        self.twin_stack_top_slow(f, cache, pc, orig, ev)
    }

    /// `twin_stack_top` off the lane: `fire` (which asks who gets the event).
    #[inline(never)]
    fn twin_stack_top_slow(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
        ev: Event,
    ) -> u32 {
        self.lane_refresh(cache);
        let Some(v) = f.slots.last() else {
            return self.twin_general(f, cache, pc, orig);
        };
        let args = EvArgs::new(f.code(), pc, Rest::Value(v));
        let r = if ev == Event::PyYield {
            self.fire(Event::PyYield, Some(cache), pc, args)
        } else {
            self.fire(Event::PyReturn, Some(cache), pc, args)
        };
        self.twin_answer(r, orig)
    }

    /// RETURN_CONST: PY_RETURN with the constant (the fast lane first, see `twin_resume`).
    #[inline(never)]
    pub(crate) fn twin_return_const(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
    ) -> u32 {
        f.lasti = pc;
        let orig = twin.with_op(Opcode::RETURN_CONST);
        match self.lane_lean(Event::PyReturn, 2, cache, pc) {
            Some(Action::CONTINUE) => orig.0,
            Some(a) => lean_word(a),
            None => self.twin_return_const_ordinary(f, cache, pc, orig),
        }
    }

    /// `twin_return_const` without the lean try (see `twin_resume_ordinary`).
    #[inline(never)]
    fn twin_return_const_ordinary(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        let v = &cache.consts[orig.arg() as usize];
        if self.lane_fire(Event::PyReturn, 2, cache, pc, Some(v)) {
            return orig.0;
        }
        self.lane_refresh(cache);
        let r = self.fire(
            Event::PyReturn,
            Some(cache),
            pc,
            EvArgs::new(f.code(), pc, Rest::Value(v)),
        );
        self.twin_answer(r, orig)
    }

    /// CALL: the CALL event; a plain Python function (or a bound method of one) then runs
    /// in the loop, anything else here with its C_RETURN (see `mon_event`). A plain Python
    /// function or a class whose CALL every receiver ignores (`py_calls_silent`,
    /// `class_calls_silent`: the profiler's) answers at once, in a function that saves no
    /// registers; the rest is `twin_call_fire`'s (callgrind, profiler on richards 1: ~480 K
    /// such calls, each through the whole function's prologue before).
    #[inline(never)]
    pub(crate) fn twin_call(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        twin: Instruction,
    ) -> u32 {
        f.lasti = pc;
        let orig = twin.with_op(Opcode::CALL);
        let argc = orig.arg() as usize;
        let base = f.slots.len() - argc - 2;
        let s = &self.monitoring.s;
        match f.slots[base] {
            Value::Function(_) if s.py_calls_silent => orig.0,
            Value::Class(_) if s.class_calls_silent => orig.0,
            Value::Function(_) | Value::Method(_) => self.twin_call_fire(f, cache, pc, orig),
            // Not a Python function, nor a bound method of one: `twin_call_fire` would
            // find the same.
            _ => self.twin_c_call(f, cache, pc, orig),
        }
    }

    /// [`Vm::twin_call`] past its silent cases, for a Python function or a bound method.
    #[inline(never)]
    fn twin_call_fire(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        let argc = orig.arg() as usize;
        let base = f.slots.len() - argc - 2;
        let callable = &f.slots[base];
        let selfv = &f.slots[base + 1];
        let python = match (callable, selfv.is_null()) {
            (Value::Function(_), _) => true,
            (Value::Method(m), true) => matches!(m.1, Value::Function(_)),
            _ => false,
        };
        if !python {
            return self.twin_c_call(f, cache, pc, orig);
        }
        let arg0 = call_arg0(f, base, argc);
        let r = self.fire(
            Event::Call,
            Some(cache),
            pc,
            EvArgs::new(f.code(), pc, Rest::Call(callable, arg0)),
        );
        self.twin_answer(r, orig)
    }

    /// CALL of anything but a plain Python function (a builtin, a class, a bound builtin):
    /// CALL, the call, then C_RETURN, all here with the callable and `arg0` held in locals.
    /// `twin_general` took `mon_event`'s general match, a `Post`, the `PendingC` push and
    /// pop and `exec_then_post`'s second decode for the same work (callgrind, profiler on
    /// fannkuch 7: ~230 instructions per builtin call around the two deliveries). A failed
    /// call leaves its `PendingC` for the unwinder, as `mon_event` would have: `mon_raise`
    /// fires C_RAISE from it and places RAISE as after a C call. Nothing reads this frame's
    /// entry while the call runs (a nested frame's `mon_raise` looks only for its own), so
    /// pushing it only on failure changes no event.
    #[inline(never)]
    fn twin_c_call(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        let argc = orig.arg() as usize;
        let base = f.slots.len() - argc - 2;
        // A class call that every receiver of its events said it ignores never comes here:
        // `twin_call` answers it, and the loop runs it as a plain CALL (callgrind, profiler
        // on generators: ~300 instructions per `Tree(...)` for the two deliveries, which
        // end in the plugin's early returns).
        let callable = f.slots[base].clone();
        let arg0 = call_arg0(f, base, argc).cloned();
        // CALL and C_RETURN through the code's fast lane when it applies (see `twin_resume`):
        // callgrind, profiler on float 5000, ~125 and ~100 instructions per builtin call in
        // `fire_call` and `fire_c_return` (the receiver query, the general argument setup).
        if !self.lane_fire_call(Event::Call, 4, cache, pc, &callable, arg0.as_ref()) {
            self.lane_refresh(cache);
            let r = self.fire_call(cache, pc, f.code(), pc, &callable, arg0.as_ref());
            if r.is_err() {
                return self.twin_answer(r, orig);
            }
        }
        match self.call_positional(f, base, argc) {
            Ok(()) => {}
            Err(e) => {
                let mut post = Post::None;
                self.push_c(f, pc, callable, arg0, &mut post);
                return self.twin_answer(Err(e), orig);
            }
        }
        if self.lane_fire_call(Event::CReturn, 5, cache, pc, &callable, arg0.as_ref()) {
            return Instruction::new(Opcode::NOP, 0).0;
        }
        let r = self.fire_c_return(cache, pc, f.code(), pc, &callable, arg0.as_ref());
        if r.is_err() {
            f.slots.pop();
        }
        self.twin_answer(r, Instruction::new(Opcode::NOP, 0))
    }

    /// Any other twin-only word: `mon_event`, then the instruction here if it has events
    /// after it.
    #[inline(never)]
    fn twin_general(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        orig: Instruction,
    ) -> u32 {
        // `mon_event` works on the word at `f.pc`.
        f.pc = pc;
        let mut post = Post::None;
        let r = self.mon_event(f, cache, orig, &mut post);
        f.pc = pc + 1;
        if r.is_err() || matches!(post, Post::None) {
            return self.twin_answer(r, orig);
        }
        let r = self.exec_then_post(f, cache, orig, post);
        self.twin_answer(r, Instruction::new(Opcode::NOP, 0))
    }

    /// The BRANCH or JUMP event (`ev`) of the jump at `site`, which went to `f.pc`. Inlined
    /// into the traced copy's arms for a word that carries only its jump's twin (see
    /// `Vm::exec_traced`), where the event is a constant and this folds to one fire copy.
    #[inline(always)]
    pub(crate) fn mon_branch_after(
        &mut self,
        f: &mut Frame,
        ev: Event,
        site: usize,
    ) -> PyResult<()> {
        let dest = f.pc;
        // `branch_off_any` first: `branch_silenced` is a call, and nearly every BRANCH of a
        // run without silenced directions stops at that flag.
        if ev == Event::Branch
            && self.monitoring.s.branch_off_any
            && self.branch_silenced(f.cache(), site, dest)
        {
            return Ok(());
        }
        // The lane inline, as for LINE in `mon_line_word`.
        let k = if ev == Event::Branch {
            super::native::LANE_BRANCH
        } else {
            super::native::LANE_JUMP
        };
        if self.lane_fire_jump(ev, k, f.cache(), site, dest) {
            return Ok(());
        }
        let r = if ev == Event::Branch {
            self.fire_branch_cold(f.cache(), site, f.code(), site, dest)
        } else {
            self.fire_jump_cold(f.cache(), site, f.code(), site, dest)
        };
        if r.is_err() {
            f.lasti = dest;
        }
        r
    }

    fn push_c(
        &mut self,
        f: &Frame,
        site: usize,
        callable: Value,
        arg0: Option<Value>,
        post: &mut Post,
    ) {
        self.monitoring.s.pending_c.push(PendingC {
            frame: f as *const Frame as usize,
            site,
            callable,
            arg0,
        });
        *post = Post::CReturn(site);
    }

    /// Events after an instrumented instruction ran: BRANCH/JUMP with the real destination,
    /// C_RETURN after a successful C call.
    pub(crate) fn mon_after(&mut self, f: &mut Frame, post: Post) -> PyResult<()> {
        match post {
            Post::None | Post::Unspecialized => Ok(()),
            Post::Branch(ev, site) => self.mon_branch_after(f, ev, site),
            Post::CReturn(site) => {
                let Some(p) = self.monitoring.s.pending_c.pop() else {
                    return Ok(());
                };
                let r = self.fire(
                    Event::CReturn,
                    Some(f.cache()),
                    site,
                    EvArgs::new(f.code(), site, Rest::Call(&p.callable, p.arg0.as_ref())),
                );
                if r.is_err() {
                    f.slots.pop();
                }
                r
            }
        }
    }

    /// Replaces the exception in flight with a callback's exception (no `__context__`).
    fn replace_exc(&mut self, f: &Frame, new: PyErr) -> PyErr {
        if let Value::Instance(i) = &new.0
            && let Some(exc) = i.exc()
        {
            let frame = self.frame_object(f);
            exc.traceback
                .borrow_mut()
                .push(TbEntry { frame, pc: f.lasti });
        }
        new
    }

    /// C_RAISE (for a failed C call of this frame), then RAISE or RERAISE.
    pub(crate) fn mon_raise(&mut self, f: &mut Frame, mut err: PyErr, reraise: bool) -> PyErr {
        let me = f as *const Frame as usize;
        let unwound = std::mem::take(&mut self.monitoring.s.unwound);
        let unwound = unwound != 0 && err.0.ptr() == Some(unwound);
        let mut was_c = false;
        if self
            .monitoring
            .s
            .pending_c
            .last()
            .is_some_and(|p| p.frame == me)
            && let Some(p) = self.monitoring.s.pending_c.pop()
        {
            was_c = true;
            if let Err(e) = self.fire(
                Event::CRaise,
                Some(f.cache()),
                p.site,
                EvArgs::new(f.code(), p.site, Rest::Call(&p.callable, p.arg0.as_ref())),
            ) {
                err = self.replace_exc(f, e);
            }
        }
        let ev = if reraise {
            Event::Reraise
        } else {
            Event::Raise
        };
        // CPython 3.13 reports the code unit before its `next_instr` (X2): for an exception
        // a Python callee unwound into this frame's call, the unit before the call (the
        // frame still points at the call); for an instruction failing here, its last code
        // unit (its last inline cache, or itself without caches).
        let loc = f.lasti;
        let code = f.code();
        let op = code.instructions[loc].op();
        let at = if !reraise && !was_c && unwound && is_call_op(op) {
            code.cpython_offset(loc).saturating_sub(2)
        } else if unwound
            && op == Opcode::FOR_ITER
            && self.monitoring.s.for_iter_spec
            && matches!(f.slots.last(), Some(Value::Gen(_)))
        {
            // A generator unwinding into a FOR_ITER CPython has specialized (it pushed the
            // generator's frame inline, G6): the unit before it, as for a call. The flag
            // belongs to the last generator step that failed, which is this one when the
            // iterator (still on the stack) is a generator; any other iterator never runs
            // specialized there (CPython has no specialized FOR_ITER for a class's
            // `__next__` or `map`).
            code.cpython_offset(loc).saturating_sub(2)
        } else {
            code.cpython_target(loc + 1).saturating_sub(2)
        };
        self.monitoring.s.last_raise = (f as *const Frame as usize, at);
        let args = EvArgs::new(code, loc, Rest::ValueAt(&err.0, at));
        if let Err(e) = self.fire(ev, None, loc, args) {
            err = self.replace_exc(f, e);
        }
        err
    }

    /// EXCEPTION_HANDLED at the handler the exception table chose (`f.pc`).
    pub(crate) fn mon_handled(&mut self, f: &mut Frame) -> PyResult<()> {
        let null = Value::Null;
        let exc = f.slots.last().unwrap_or(&null);
        let h = f.pc;
        self.fire(
            Event::ExceptionHandled,
            None,
            h,
            EvArgs::new(f.code(), h, Rest::Value(exc)),
        )
    }

    /// PY_UNWIND as the exception leaves the frame.
    pub(crate) fn mon_unwind(&mut self, f: &mut Frame, mut err: PyErr) -> PyErr {
        let loc = f.lasti;
        // At the offset of this frame's last RAISE or RERAISE, as CPython (X2).
        let (frame, at) = std::mem::take(&mut self.monitoring.s.last_raise);
        let rest = if frame == f as *const Frame as usize {
            Rest::ValueAt(&err.0, at)
        } else {
            Rest::Value(&err.0)
        };
        if let Err(e) = self.fire(Event::PyUnwind, None, loc, EvArgs::new(f.code(), loc, rest)) {
            err = self.replace_exc(f, e);
        }
        // A callback's own frames unwinding (a raising callback) are not the program's: the
        // exception then enters the program where the callback was called from.
        if !self.monitoring.s.tracing.is_active() {
            self.monitoring.s.unwound = err.0.ptr().unwrap_or(0);
        }
        err
    }

    /// PY_THROW when `throw()`/`close()` resumes a suspended generator; the callback's
    /// exception replaces the thrown one.
    pub(crate) fn mon_throw(&mut self, f: &mut Frame, err: PyErr) -> PyErr {
        if !self.monitoring.s.active {
            return err;
        }
        let cache = f.cache().clone();
        if cache.mon.m.version.get() != self.monitoring.s.version {
            self.mon_sync(&cache);
        }
        let loc = f.pc;
        match self.fire(
            Event::PyThrow,
            None,
            loc,
            EvArgs::new(f.code(), loc, Rest::Value(&err.0)),
        ) {
            Ok(()) => err,
            Err(e) => e,
        }
    }

    /// A FOR_ITER step over a generator failed: publish whether it ran as CPython's
    /// specialized FOR_ITER_GEN (`spec`, the word that ran was a warm FOR_ITER) for
    /// `mon_raise`. Only on the failure path: the step itself decides nothing (G6, see
    /// `monitoring::executed`).
    #[cold]
    #[inline(never)]
    pub(crate) fn mon_for_iter_failed(&mut self, spec: bool) {
        self.monitoring.s.for_iter_spec = spec;
    }

    /// FOR_ITER found its iterator exhausted: STOP_ITERATION at END_FOR (specialized
    /// generator: `spec`, the step ran as a warm FOR_ITER word), or RAISE(StopIteration) at
    /// the FOR_ITER (a Python `__next__` raised it, or an unspecialized generator returned a
    /// value). Out of line: it runs once per
    /// exhausted loop and only with a tool, and when LLVM inlined it into the FOR_ITER
    /// helper the plain loop's code got worse for every program (callgrind, richards 1 with
    /// no tool, +2.8%).
    #[inline(never)]
    pub(crate) fn mon_for_iter_exit(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        it: &Value,
        spec: bool,
    ) -> PyResult<()> {
        let pc = f.lasti;
        let end_for = f.code().instructions[pc].arg() as usize;
        let value = self.last_stop_value.clone().unwrap_or(Value::None);
        let stop = |vm: &mut Vm, v: &Value| {
            let a = if v.is_none() { Value::Null } else { v.clone() };
            vm.stop_iteration(a).0
        };
        match it {
            Value::Gen(g) if !g.is_coroutine => {
                if spec {
                    let a = if value.is_none() {
                        Value::Null
                    } else {
                        value.clone()
                    };
                    let r = self.fire(
                        Event::StopIteration,
                        Some(cache),
                        end_for,
                        EvArgs::new(f.code(), end_for, Rest::Stop(&a)),
                    );
                    if r.is_err() {
                        f.lasti = end_for;
                    }
                    return r;
                }
                if value.is_none() {
                    return Ok(());
                }
            }
            Value::Instance(_) => {}
            _ => return Ok(()),
        }
        let e = stop(self, &value);
        self.fire(
            Event::Raise,
            None,
            pc,
            EvArgs::new(f.code(), pc, Rest::Value(&e)),
        )
    }

    /// SEND's delegate (a generator or coroutine) returned `v`.
    ///
    /// Kept only when SEND's target, the END_SEND that runs next, carries the event layer
    /// (some tool wants STOP_ITERATION there): only then does `mon_before` take the value.
    /// Any active tool gets here, so a debugger or coverage run used to clone (and later
    /// drop) the value of every `await` and `yield from` that finished: ~20 instructions
    /// each, 0.55 M on coroutines 20. SEND is `lasti` (its arm set it, and the delegate
    /// runs other frames), and nothing runs between it and END_SEND that could re-layer.
    /// Inlined into SEND's arm: the test is cheaper than the call was (16 instructions a
    /// finished `await`, 0.35 M on coroutines 20). The arm calls it only once some END_SEND
    /// ever had the layer (`VmState::send_stop_any`).
    #[inline(always)]
    pub(crate) fn mon_send_returned(&mut self, f: &Frame, v: &Value) {
        let end_send = f.code().instructions[f.lasti].arg() as usize;
        let wanted = f
            .cache()
            .mon
            .m
            .layers
            .get(end_send)
            .is_some_and(|l| l.get() & EVENT != 0);
        if wanted {
            self.keep_send_returned(f, v);
        }
    }

    /// Out of line, so that the test above stays a leaf without the register saves that
    /// dropping the previous value needs (they cost as much as the test).
    #[cold]
    #[inline(never)]
    fn keep_send_returned(&mut self, f: &Frame, v: &Value) {
        self.monitoring.s.send_returned = Some((f as *const Frame as usize, v.clone()));
    }

    /// Whether the BRANCH from `site` to `dest` would reach no callback because every slot
    /// that wants BRANCH in this code silenced this direction (and not yet the other one,
    /// whose DISABLE `fire` must record). Checked before `fire`, whose borrows, DISABLE
    /// lookup and callback lookup would come to the same answer at about 150 more
    /// instructions: after a coverage tool saw one direction of a loop test, every later
    /// pass lands here. The slots are the code's synced BRANCH set without the per-location
    /// DISABLEs, a superset of what `fire` would deliver to, so skipping stays exact.
    fn branch_silenced(&self, c: &CodeCache, site: usize, dest: usize) -> bool {
        let s = &self.monitoring.s;
        if !s.branch_off_any {
            return false;
        }
        let m = &c.mon.m;
        if m.dir_off_gen.get() != s.branch_off_gen {
            return false;
        }
        let Some(word) = m.dir_off.get().and_then(|b| b.get(site)).map(Cell::get) else {
            return false;
        };
        if word == 0 {
            return false;
        }
        let Some(targets) = super::native::branch_targets(&m.code, site) else {
            return false;
        };
        let version = m.version.get();
        let (at, cached) = m.branch_tools.get();
        let mut bits = if at == version {
            cached
        } else {
            let (Ok(st), Ok(cm)) = (s.state.try_borrow(), m.state.try_borrow()) else {
                return false;
            };
            let b = st.code_tools(&cm, Event::Branch).bits();
            m.branch_tools.set((version, b));
            b
        };
        if bits == 0 {
            return false;
        }
        // Every wanting slot silenced this direction and not yet the other one.
        let dir = u16::from(dest as u32 == targets.0) | (u16::from(dest as u32 == targets.1) << 1);
        while bits != 0 {
            let shift = 2 * bits.trailing_zeros();
            bits &= bits - 1;
            let mine = (word >> shift) & 3;
            if mine == 3 || dir & mine == 0 {
                return false;
            }
        }
        true
    }

    /// `disable_branch_direction` (native tools): `None` to deliver this BRANCH; otherwise
    /// the verdict to act on without calling the tool (DISABLE once both directions of the
    /// branch are silenced, as if the tool had returned it).
    fn branch_direction_off(
        &self,
        slot: vigil_monitoring::Slot,
        cache: Option<&CodeCache>,
        args: &EvArgs<'_>,
    ) -> Option<Verdict> {
        let s = &self.monitoring.s;
        if !s.branch_off_any {
            return None;
        }
        let (Some(c), Rest::Dest(dest)) = (cache, args.rest) else {
            return None;
        };
        let m = &c.mon.m;
        if m.dir_off_gen.get() != s.branch_off_gen {
            return None;
        }
        let word = m.dir_off.get()?.get(args.n)?.get();
        let mine = (word >> (2 * slot.index())) & 3;
        if mine == 0 {
            return None;
        }
        let targets = super::native::branch_targets(args.code, args.n)?;
        if direction_bits(slot, targets, dest as u32) >> (2 * slot.index()) & mine == 0 {
            return None;
        }
        Some(if mine == 3 {
            Verdict::Disable
        } else {
            Verdict::Continue
        })
    }
}

#[cfg(test)]
mod tests {
    //! Instrumentation and de-instrumentation, checked on the words the loop executes.
    use super::*;

    const SETUP: &str = "import sys\nM = sys.monitoring\nE = M.events\nM.use_tool_id(1, 't')\n";

    /// Runs `src` as `__main__`; returns the VM (for its code caches) and the output.
    fn run(src: &str) -> (Vm, String) {
        let code = vigil_compiler::compile(src, "<t>", vigil_compiler::Mode::Exec)
            .unwrap_or_else(|e| panic!("compile: {e}"));
        let mut vm = Vm::new(vec!["<t>".into()]);
        vm.capture = Some(Vec::new());
        let status = vm.run_main_code(&code, "<t>");
        vm.flush();
        let out = String::from_utf8_lossy(&vm.capture.take().unwrap_or_default()).to_string();
        assert_eq!(status, 0, "program failed:\n{out}");
        (vm, out)
    }

    /// The code cache of the function with this qualname.
    fn cache_of(vm: &Vm, qualname: &str) -> (Rc<CodeObject>, Rc<CodeCache>) {
        vm.code_caches
            .values()
            .find(|(c, _)| &*c.qualname == qualname)
            .map(|(c, k)| (c.clone(), k.clone()))
            .unwrap_or_else(|| panic!("no code cache for {qualname}"))
    }

    fn words(cache: &CodeCache) -> Vec<Instruction> {
        cache.mon.instrs.iter().map(Cell::get).collect()
    }

    const F: &str = "def f(x):\n    y = x + 1\n    if y > 1:\n        y = 2\n    for i in range(2):\n        y += i\n    return y\n";

    #[test]
    fn line_overlay_exactly_at_line_starts() {
        let src = format!(
            "{SETUP}M.register_callback(1, E.LINE, lambda c, l: None)\nM.set_events(1, E.LINE)\n{F}f(1)\n"
        );
        let (vm, _) = run(&src);
        let (code, cache) = cache_of(&vm, "f");
        let resume = code
            .instructions
            .iter()
            .position(|i| i.op() == Opcode::RESUME)
            .unwrap();
        let starts = compute_line_starts(&code, resume);
        assert!(starts.iter().filter(|s| **s).count() >= 5);
        for (i, w) in words(&cache).iter().enumerate() {
            if starts[i] {
                assert_eq!(w.op(), Opcode::INSTRUMENTED_LINE, "index {i}");
            } else {
                assert_eq!(*w, code.instructions[i], "index {i} should be plain");
            }
        }
    }

    /// Every line start of this function executes for f(1) and f(5); a `for` loop would
    /// leave its exit POP_TOP (a line start FOR_ITER jumps over) instrumented, as in CPython.
    const G: &str = "def f(x):\n    y = x + 1\n    if y > 2:\n        y = 2\n    else:\n        y = 3\n    return y\n";

    #[test]
    fn disable_everywhere_restores_compiler_output() {
        let src = format!(
            "{SETUP}M.register_callback(1, E.LINE, lambda c, l: M.DISABLE)\nM.register_callback(1, E.BRANCH, lambda c, o, d: M.DISABLE)\nM.set_events(1, E.LINE | E.BRANCH)\n{G}f(1)\nf(5)\n"
        );
        let (vm, _) = run(&src);
        let (code, cache) = cache_of(&vm, "f");
        assert_eq!(words(&cache), code.instructions);
    }

    #[test]
    fn set_events_zero_restores_compiler_output() {
        let src = format!(
            "{SETUP}M.register_callback(1, E.LINE, lambda c, l: None)\nM.register_callback(1, E.CALL, lambda *a: None)\nM.set_events(1, E.LINE | E.CALL | E.PY_START | E.INSTRUCTION)\n{F}f(1)\nM.set_events(1, 0)\nf(2)\n"
        );
        let (vm, _) = run(&src);
        let (code, cache) = cache_of(&vm, "f");
        assert_eq!(words(&cache), code.instructions);
    }

    #[test]
    fn twins_only_where_the_event_is_wanted() {
        let src = format!(
            "{SETUP}M.register_callback(1, E.PY_RETURN, lambda *a: None)\nM.set_events(1, E.PY_RETURN)\n{F}f(1)\n"
        );
        let (vm, _) = run(&src);
        let (code, cache) = cache_of(&vm, "f");
        for (i, w) in words(&cache).iter().enumerate() {
            let orig = code.instructions[i];
            if matches!(orig.op(), Opcode::RETURN_VALUE | Opcode::RETURN_CONST) {
                assert_eq!(w.op(), orig.op().instrumented().unwrap(), "index {i}");
            } else {
                assert_eq!(*w, orig, "index {i}");
            }
        }
    }

    /// A function with over 256 constants: CPython lays out EXTENDED_ARG prefixes before the
    /// later LOAD_CONSTs, each with an INSTRUCTION event and a DISABLE location of its own.
    fn prefixed_source(cb: &str) -> String {
        let mut h = String::from("def h():\n    t = 0\n");
        for k in 0..270 {
            h.push_str(&format!("    t += {}\n", 1000 + k));
        }
        h.push_str("    return t\n");
        format!(
            "import dis\n{SETUP}{h}ops = {{i.offset for i in dis.get_instructions(h)}}\nseen = []\n{cb}\nM.register_callback(1, E.INSTRUCTION, cb)\nM.set_local_events(1, h.__code__, E.INSTRUCTION)\nh()\na = len(seen)\nseen.clear()\nh()\nprint(a - len(seen), len([o for o in seen if o not in ops]))\n"
        )
    }

    #[test]
    fn disabled_prefixes_keep_the_instruction_overlay() {
        // DISABLE at every prefix offset only: the prefixes go quiet, the instructions they
        // extend keep firing, so their words keep the INSTRUCTION overlay.
        let (vm, out) = run(&prefixed_source(
            "def cb(c, o):\n    seen.append(o)\n    if o not in ops:\n        return M.DISABLE",
        ));
        let (code, cache) = cache_of(&vm, "h");
        let prefixed: Vec<usize> = (0..code.instructions.len())
            .filter(|&i| code.cpython_prefixes(i) > 0)
            .collect();
        let prefixes: u32 = prefixed.iter().map(|&i| code.cpython_prefixes(i)).sum();
        assert!(prefixes > 0);
        assert_eq!(out, format!("{prefixes} 0\n"));
        for &i in &prefixed {
            assert_eq!(
                words(&cache)[i].op(),
                Opcode::INSTRUMENTED_INSTRUCTION,
                "index {i}"
            );
        }
        // DISABLE everywhere, prefixes included: the compiler's words come back.
        let (vm, out) = run(&prefixed_source(
            "def cb(c, o):\n    seen.append(o)\n    return M.DISABLE",
        ));
        let (code, cache) = cache_of(&vm, "h");
        assert!(out.ends_with(" 0\n"), "{out}");
        assert_eq!(words(&cache), code.instructions);
    }

    #[test]
    fn no_tool_never_instruments() {
        let (vm, _) = run(&format!("{F}f(1)\n"));
        let (code, cache) = cache_of(&vm, "f");
        assert_eq!(words(&cache), code.instructions);
        assert_eq!(cache.mon.m.version.get(), 0);
    }

    #[test]
    fn local_events_instrument_one_code_object() {
        let src = format!(
            "{SETUP}M.register_callback(1, E.LINE, lambda c, l: print('L', l))\n{F}def g():\n    return 1\nM.set_local_events(1, f.__code__, E.LINE)\nf(1)\ng()\n"
        );
        let (vm, out) = run(&src);
        let (gcode, gcache) = cache_of(&vm, "g");
        assert_eq!(words(&gcache), gcode.instructions);
        // What CPython 3.13 prints for the same program.
        assert_eq!(out, "L 7\nL 8\nL 9\nL 10\nL 11\nL 10\nL 11\nL 10\nL 12\n");
    }
}
