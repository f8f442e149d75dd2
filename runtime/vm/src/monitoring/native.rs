//! The VM's implementation of the plugin Host API (`vigil_plugin_api::abi::HostVTable`) over
//! the same monitoring state the guest `sys.monitoring` uses, and the direct calling of a
//! native tool's vtable entries. Session tools and guest tools share the six ids: a tool the
//! host created holds its id through `use_tool_id`, so the guest's `use_tool_id` of that id
//! raises CPython's "tool N is already in use".
//!
//! Handles: a `CodeHandle` is an index (from 1) into a registry of code objects that lives as
//! long as the VM (each code object also keeps its handle beside its monitoring state, so an
//! event does not look it up). A `ValueRef` is valid while the callback that got it runs
//! (`ValueRef::MISSING` is 0): 1 and 2 are the event's own value arguments, read in place
//! through pointers to the firing site's values (nothing is copied per event); 3 and up index
//! a table of values the Host API handed out during the callback (exception args, items),
//! cleared when it returns. A native
//! callback that returns `Action::ERROR` (the SDK's answer to a panic or failure) loses all
//! its events and callbacks at once (`clear_slot`); the fault, with the message the plugin
//! reported, is kept for the host (`Session::faults`), and the program runs on.
//!
//! Host API functions reach the VM through a raw pointer kept in `NativeHost`: the VM is
//! single-threaded and boxed for the whole session, and a Host API call happens either
//! before the program runs or while a native callback runs, during which the interpreter does
//! not touch its state. It does not own tool lifecycles (`vigil-host`) or event firing
//! (`fire.rs`).

use super::fire::{Callback, EvArgs, Rest};
use crate::frame::CodeCache;
use crate::value::*;
use crate::vm::Vm;
use abi_stable::prefix_type::WithMetadata;
use abi_stable::std_types::{RNone, ROption, RResult, RSome, RStr, RString, RVec};
use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::rc::Rc;
use vigil_compiler::bytecode::{CodeObject, Opcode};
use vigil_monitoring::{Event, MonitoringError, Slot, Tracing};
use vigil_plugin_api::abi::{
    Action, BranchEntry, Callback as RawKind, CodeHandle, ErrorKind, EventHints, FrameInfo,
    HostApi, HostCtx, HostError, HostResult, HostVTable, HostVTableRef, LEAN_DELIVERY, LineEntry,
    LocalVar, RawCallback, ToolInstance, ToolState, ValueKind, ValueRef,
};
use vigil_plugin_api::{EventSet, ToolId};

/// A native callback: the tool's state and the erased function for the event it is
/// registered for.
#[derive(Clone, Copy)]
pub struct NativeCb {
    pub state: ToolState,
    pub raw: RawCallback,
}

/// The Host API's side of the VM (`HostCtx` points here).
pub struct NativeHost {
    vm: *mut Vm,
    /// The running callback's value arguments (ValueRef 1 and 2), null when absent. They
    /// point at values the firing site borrows for the whole call (see `call_native`).
    /// A pointer with [`STOP_TAG`] set is a STOP_ITERATION's payload (`Rest::Stop`).
    args: Cell<[*const Value; 2]>,
    /// Values handed out during the running callback, ValueRef 3 and up.
    values: RefCell<Vec<Value>>,
    /// `values` got an entry since it was last cleared: the one flag `call_native` tests
    /// after each callback (the table's borrow flag and length were two tests and two loads
    /// per event, and its clearing loop sat in every delivery copy).
    values_used: Cell<bool>,
    codes: RefCell<Vec<Rc<CodeObject>>>,
    code_ids: RefCell<FxHashMap<usize, u64>>,
    /// The last (code address, handle) pair handed out. Consecutive events nearly always come
    /// from the same code object, so this spares the map lookup per event. The address cannot
    /// be reused by another code object: `codes` keeps every handed-out code alive.
    last_code: Cell<(usize, u64)>,
    states: RefCell<[Option<ToolState>; ToolId::COUNT]>,
    reported: RefCell<[Option<String>; ToolId::COUNT]>,
    faults: RefCell<Vec<(ToolId, String)>>,
    pub program_path: RefCell<String>,
    /// `builtin_key`'s table: what decides a builtin's display, to its key.
    builtin_keys: RefCell<FxHashMap<BuiltinId, u64>>,
    /// The receiver classes `builtin_keys` names by address, kept alive so that no other
    /// class can later get the same address (and a wrong name through an old key).
    builtin_classes: RefCell<Vec<Rc<Class>>>,
    /// `builtin_key`'s recent answers, direct-mapped by the address of the callable's object
    /// (a builtin or a method object wrapping one): (the callable itself, its key). Each
    /// entry holds its callable, so no other object can take that address while the entry
    /// answers for it; both kinds are immutable (name, owner and the object bound), and only
    /// answers that do not depend on the receiver's state are kept (not an iterator's). A
    /// profiler asks at every builtin CALL, nearly always for the same few callables (a
    /// module function, a method object kept in a local): a hit spares the table's hashing
    /// and probing (callgrind, profiler on richards 1: ~200 instructions per CALL of
    /// `isinstance`).
    key_cache: RefCell<Box<[(Value, u64); KEY_CACHE]>>,
}

/// Entries of [`NativeHost::key_cache`] (a power of two).
const KEY_CACHE: usize = 64;

/// The address `key_cache` knows a callable by, for the callables it may cache.
#[inline(always)]
fn key_cache_addr(v: &Value) -> Option<usize> {
    match v {
        Value::Builtin(b) => Some(Rc::as_ptr(b) as usize),
        Value::Method(m) => Some(Rc::as_ptr(m) as *const u8 as usize),
        _ => None,
    }
}

/// The slot of `key_cache` for an address (objects are at least 16-byte aligned).
#[inline(always)]
fn key_cache_slot(addr: usize) -> usize {
    (addr >> 4) & (KEY_CACHE - 1)
}

/// What decides how a tool names a builtin (`callable_name`, `callable_qualname`,
/// `builtin_self_type_name`): its name and owner class, both static text identified by
/// address and length (two copies of one text just get two keys), and the type name of the
/// object it is bound to, if that is not a module or `None`.
#[derive(PartialEq, Eq, Hash)]
struct BuiltinId {
    name: (usize, usize),
    owner: (usize, usize),
    receiver: Receiver,
}

/// The part of [`BuiltinId`] that decides `builtin_self_type_name`.
#[derive(PartialEq, Eq, Hash)]
enum Receiver {
    /// Unbound, or bound to a module or `None`: no type name.
    Nothing,
    /// Bound to a value whose type name is its class's name: the class, by address (a
    /// class's name never changes, and `builtin_classes` keeps the class alive). This spares
    /// building the name's `String` on every CALL.
    Class(usize),
    /// Bound to an iterator, whose type name depends on its state, not on one class.
    Named(String),
    /// A method descriptor (unbound): its self type name is its owner's (`BuiltinId::owner`).
    Owner,
}

impl NativeHost {
    pub fn new(vm: *mut Vm) -> Box<NativeHost> {
        Box::new(NativeHost {
            vm,
            args: Cell::new([std::ptr::null(); 2]),
            values: RefCell::new(Vec::new()),
            values_used: Cell::new(false),
            codes: RefCell::new(Vec::new()),
            code_ids: RefCell::new(FxHashMap::default()),
            last_code: Cell::new((0, 0)),
            states: RefCell::new([None; ToolId::COUNT]),
            reported: RefCell::new(Default::default()),
            faults: RefCell::new(Vec::new()),
            program_path: RefCell::new(String::new()),
            builtin_keys: RefCell::new(FxHashMap::default()),
            builtin_classes: RefCell::new(Vec::new()),
            key_cache: RefCell::new(Box::new(std::array::from_fn(|_| (Value::Null, 0)))),
        })
    }

    pub fn api(&self) -> HostApi {
        HostApi {
            ctx: HostCtx(self as *const NativeHost as *const c_void),
            vtable: HostVTableRef(VTABLE.static_as_prefix()),
        }
    }

    fn code_handle(&self, code: &Rc<CodeObject>) -> CodeHandle {
        let key = Rc::as_ptr(code) as usize;
        let (last_key, last_h) = self.last_code.get();
        if last_key == key {
            return CodeHandle(last_h);
        }
        let known = self.code_ids.borrow().get(&key).copied();
        let h = known.unwrap_or_else(|| {
            let mut codes = self.codes.borrow_mut();
            codes.push(code.clone());
            let h = codes.len() as u64;
            self.code_ids.borrow_mut().insert(key, h);
            h
        });
        self.last_code.set((key, h));
        CodeHandle(h)
    }

    fn value_ref(&self, vm: &Vm, v: &Value) -> ValueRef {
        if v.is(&vm.monitoring.s.missing) {
            return ValueRef::MISSING;
        }
        self.values_used.set(true);
        let mut vals = self.values.borrow_mut();
        vals.push(v.clone());
        ValueRef(vals.len() as u64 + ARG_REFS)
    }

    /// Forgets the values handed out during the callback that just returned.
    #[cold]
    #[inline(never)]
    fn clear_values(&self) {
        self.values_used.set(false);
        self.values.borrow_mut().clear();
    }

    /// Faults recorded so far: (tool, reason).
    pub fn faults(&self) -> Vec<(ToolId, String)> {
        self.faults.borrow().clone()
    }
}

impl Vm {
    /// Installs the native Host API backend (once per VM; the VM must not move afterwards).
    pub fn native_host(&mut self) -> &NativeHost {
        if self.monitoring.s.native.is_none() {
            let me = self as *mut Vm;
            self.monitoring.s.native = Some(NativeHost::new(me));
            // Native tools may want exception events before the guest touches monitoring.
            if self.monitoring.s.disable.is_null() {
                let obj = self.types.object.clone();
                self.monitoring.s.disable = self.new_instance(&obj, &[]);
                self.monitoring.s.missing = self.new_instance(&obj, &[]);
            }
        }
        self.monitoring.s.native.as_deref().expect("native host")
    }

    /// Installs a created tool: its vtable slots become its registered callbacks, as if it had
    /// called `register_callback` for each.
    pub fn attach_tool(&mut self, tool: ToolId, instance: &ToolInstance) {
        if let Some(h) = self.monitoring.s.native.as_deref() {
            h.states.borrow_mut()[tool.index()] = Some(instance.state);
        }
        let slot = Slot::tool(tool);
        let mut m = self.monitoring.s.state.borrow_mut();
        for ev in Event::ALL {
            if let Some(cb) = instance.callbacks.slot(ev) {
                let native = NativeCb {
                    state: instance.state,
                    raw: cb.to_raw(),
                };
                m.register_callback(slot, ev, Some(Callback::Native(native)));
            }
        }
        drop(m);
        self.monitoring.s.refresh_py_calls_silent();
    }

    /// Calls one native callback with the arguments of `ev`. `cache` is the code object's
    /// cache when the event has a site (it keeps the code's handle); `args.code` is that same
    /// code object.
    #[inline(always)]
    pub(crate) fn call_native(
        &mut self,
        slot: Slot,
        ev: Event,
        cb: NativeCb,
        args: &EvArgs<'_>,
        cache: Option<&CodeCache>,
    ) -> Option<vigil_monitoring::Verdict> {
        let host: *const NativeHost = self.monitoring.s.native.as_deref()?;
        // SAFETY: the host is boxed inside this VM and lives as long as it.
        let host = unsafe { &*host };
        let code = match cache {
            Some(c) => {
                let h = c.mon.m.native_handle.get();
                if h != 0 {
                    CodeHandle(h)
                } else {
                    debug_assert!(Rc::ptr_eq(&c.mon.m.code, args.code));
                    let h = host.code_handle(args.code);
                    c.mon.m.native_handle.set(h.0);
                    h
                }
            }
            None => host.code_handle(args.code),
        };
        let null = std::ptr::null::<Value>();
        // The value arguments, for the Host API (ValueRef 1 and 2) and for the call below.
        let (v1, v2) = match args.rest {
            Rest::Value(v) | Rest::ValueAt(v, _) => (v as *const Value, null),
            Rest::Stop(v) => ((v as *const Value).map_addr(|a| a | STOP_TAG), null),
            Rest::Call(c, a) => (c as *const Value, a.map_or(null, |a| a as *const Value)),
            Rest::Nothing | Rest::Prefix(_) | Rest::Dest(_) => (null, null),
        };
        // The pointers stay valid and unchanged while the callback runs: they come from
        // `args`, which borrows the firing site's values (a frame's stack, its constants, a
        // local) for the whole of this call, and the Host API only reads through them.
        // Restored afterwards, so a handle kept past its callback finds nothing. Events
        // without values leave the (null) pointers as they are: no callback is running, so
        // they are null already, and a nested delivery cannot happen (nothing fires while a
        // callback runs).
        let has_values = !v1.is_null();
        let saved = if has_values {
            host.args.replace([v1, v2])
        } else {
            debug_assert!(host.args.get().iter().all(|p| p.is_null()));
            [null, null]
        };
        let ref1 = if has_values {
            ValueRef(1)
        } else {
            ValueRef::MISSING
        };
        let ref2 = if v2.is_null() {
            ValueRef::MISSING
        } else {
            ValueRef(2)
        };
        // Offsets are CPython's byte offsets, as guests get them: one table lookup per event
        // (LINE's argument is a line).
        // SAFETY: the slot holds a callback registered for this very event.
        let action = match unsafe { RawKind::from_raw(ev, cb.raw) } {
            RawKind::Line(f) => f(cb.state, code, args.n as u32),
            RawKind::PyStart(f) | RawKind::PyResume(f) | RawKind::Instruction(f) => {
                f(cb.state, code, args.cpython_offset())
            }
            RawKind::PyReturn(f)
            | RawKind::PyYield(f)
            | RawKind::StopIteration(f)
            | RawKind::Raise(f)
            | RawKind::ExceptionHandled(f)
            | RawKind::PyUnwind(f)
            | RawKind::PyThrow(f)
            | RawKind::Reraise(f) => f(cb.state, code, args.cpython_offset(), ref1),
            RawKind::Call(f) => {
                // Marked when the callable is a plain Python function (`ValueRef::PY_FUNCTION`):
                // a profiler otherwise asks `builtin_key` at every call to learn that.
                // A tool that gave the hint `BUILTIN_KEYS` finds the builtin key in the
                // handle (`ValueRef::KEYED`) instead of asking `builtin_key` for it.
                let ref1 = match args.rest {
                    Rest::Call(Value::Function(_), _) => ValueRef(ref1.0 | ValueRef::PY_FUNCTION),
                    // Only the byte is tested here: with the slot's bit computed inline,
                    // LLVM hoisted the shift and spilled around it, ~9 instructions per
                    // CALL for every tool (callgrind, count every event on coroutines 20).
                    Rest::Call(c, _) if self.monitoring.s.keyed_calls != 0 => {
                        self.carry_key(host, slot, ref1, c)
                    }
                    _ => ref1,
                };
                f(cb.state, code, args.cpython_offset(), ref1, ref2)
            }
            RawKind::CReturn(f) | RawKind::CRaise(f) => {
                f(cb.state, code, args.cpython_offset(), ref1, ref2)
            }
            RawKind::Jump(f) | RawKind::Branch(f) => {
                let dest = match args.rest {
                    Rest::Dest(d) => args.code.cpython_target(d),
                    _ => 0,
                };
                f(cb.state, code, args.cpython_offset(), dest)
            }
        };
        if has_values {
            host.args.set(saved);
        }
        if host.values_used.get() {
            host.clear_values();
        }
        match action {
            Action::CONTINUE => Some(vigil_monitoring::Verdict::Continue),
            Action::DISABLE => Some(vigil_monitoring::Verdict::Disable),
            _ => {
                self.native_failed(host, slot, ev);
                None
            }
        }
    }

    /// A native callback failed: the tool gets nothing more; the program runs on.
    #[cold]
    fn native_failed(&mut self, host: &NativeHost, slot: Slot, ev: Event) {
        if let Some(tool) = slot.as_tool() {
            let reason = host.reported.borrow_mut()[tool.index()]
                .take()
                .unwrap_or_else(|| format!("its {} callback failed", ev.name()));
            host.faults.borrow_mut().push((tool, reason));
            set_hints(self, tool.index() as i32, 0);
        }
        let u = self.monitoring.s.state.borrow_mut().clear_slot(slot);
        self.mon_update(u);
    }
}

/// One entry of a code object's fast lane (`CodeState::lane`): the native tool that gets
/// the event everywhere in that code object, and its slot (for a DISABLE or a failure).
#[derive(Clone, Copy)]
pub(crate) struct LaneCb {
    cb: NativeCb,
    slot: Slot,
    /// The tool gave `EventHints::LEAN`, and this is one of the events the host delivers
    /// lean (PY_START, PY_RESUME, PY_RETURN, PY_YIELD, CALL, C_RETURN): see
    /// [`Vm::lane_lean`].
    lean: bool,
}

/// The events with a fast lane, in the order of `CodeState::lane`.
const LANE_EVENTS: [Event; 9] = [
    Event::PyStart,
    Event::PyResume,
    Event::PyReturn,
    Event::PyYield,
    Event::Call,
    Event::CReturn,
    Event::Line,
    Event::Branch,
    Event::Jump,
];

/// The entries of CALL, LINE, BRANCH and JUMP in [`LANE_EVENTS`].
pub(super) const LANE_CALL: usize = 4;
pub(super) const LANE_LINE: usize = 6;
pub(super) const LANE_BRANCH: usize = 7;
pub(super) const LANE_JUMP: usize = 8;

/// The event's values, kept for a lean delivery's second, ordinary one
/// ([`Vm::lane_lean_rare`]).
#[derive(Clone, Copy)]
pub(super) enum LeanArgs<'a> {
    /// PY_START, PY_RESUME (`None`), PY_RETURN, PY_YIELD.
    Value(Option<&'a Value>),
    /// CALL, C_RETURN: the callable and the first argument.
    Call(&'a Value, Option<&'a Value>),
}

impl Vm {
    /// PY_START, PY_RESUME, PY_RETURN or PY_YIELD (`ev`, entry `k` of [`LANE_EVENTS`]) at
    /// `pc`, through the code object's fast lane: when one native tool, and nobody else, gets
    /// `ev` in this code object with no DISABLE of it on record, and nothing in the
    /// monitoring table changed since `lane_build` found that, its callback is called here
    /// after a handful of tests, instead of through `fire` (which asks the table who gets
    /// the occurrence, each time). Answers `false` when the lane does not apply, and the
    /// caller then fires the general way; `true` when the occurrence was handled (delivered,
    /// or muted because a callback is running).
    ///
    /// The rules are `fire_native`'s: nothing while a callback runs, the callback called with
    /// tracing entered, a DISABLE recorded at the location, a failing tool disabled with its
    /// message. The per-location DISABLE test of `tools_at` is not needed: any DISABLE moves
    /// `changes`, and `lane_build` leaves `ev` off the lane while one of it is on record in
    /// the code object, so a lane entry means the one tool wants `ev` at every location. Nor
    /// is the event layer tested: the lane is current only while the code object is synced,
    /// and a synced code object carries a twin word only where its event layer is set.
    /// This is the ordinary delivery; a tool that gave `EventHints::LEAN` is tried lean
    /// first ([`Vm::lane_lean`]).
    #[inline(always)]
    pub(super) fn lane_fire(
        &mut self,
        ev: Event,
        k: usize,
        cache: &CodeCache,
        pc: usize,
        value: Option<&Value>,
    ) -> bool {
        let (LaneCb { cb, slot, .. }, host) = match self.lane_open(cache, k) {
            Ok(open) => open,
            Err(answer) => return answer,
        };
        let cs = &cache.mon.m;
        let s = &self.monitoring.s;
        // `lane_build` made the handle before it put anything on the lane.
        let code = CodeHandle(cs.native_handle.get());
        let off = cs.lane_offset(pc);
        // SAFETY: as in `fire_native`: the tracing counter lives as long as the VM, which the
        // callback cannot drop.
        let tr: &Tracing = unsafe { &*Rc::as_ptr(&s.tracing) };
        let muted = tr.enter();
        // The value's address only (`None` for PY_START/PY_RESUME): the arm below stores it
        // and never dereferences it, so PY_RETURN/PY_YIELD need no test of the `Option`.
        let vp = value.map_or(std::ptr::null(), |v| v as *const Value);
        // SAFETY: the lane holds the callback registered for `ev` itself (`lane_build`), and
        // no registration happened since (it would have moved `changes`).
        let action = match unsafe { RawKind::from_raw(ev, cb.raw) } {
            RawKind::PyStart(f) | RawKind::PyResume(f) => f(cb.state, code, off),
            RawKind::PyReturn(f) | RawKind::PyYield(f) => {
                // The value is read in place, as in `call_native`: `v` borrows the frame's
                // stack or the code's constants for the whole call. No callback is running
                // (tested above), so the pointers are null now and are put back to null
                // afterwards instead of saved and restored.
                let null = std::ptr::null();
                debug_assert!(!vp.is_null());
                debug_assert!(host.args.get().iter().all(|p| p.is_null()));
                host.args.set([vp, null]);
                let a = f(cb.state, code, off, ValueRef(1));
                host.args.set([null, null]);
                a
            }
            _ => unreachable!("the lane has the four code events only"),
        };
        self.lane_close(host, action, muted, ev, cache, pc, slot);
        true
    }

    /// PY_START, PY_RESUME, PY_RETURN or PY_YIELD (`ev`, entry `k` of [`LANE_EVENTS`]) at
    /// `pc` as a lean delivery (`LEAN_DELIVERY`), when the lane applies and its tool gave
    /// `EventHints::LEAN`: no tracing mark (the callback calls no Host API function, so it
    /// cannot cause an event), no value slots (the value's handle stays unreadable), nothing
    /// to undo afterwards. `None` when that is not the case (the caller then tries
    /// [`Vm::lane_fire`], then the general way); else the answer: CONTINUE when the event was
    /// handled (or muted because a callback is running), and anything else for the caller to
    /// hand to the loop (`twin_lean_again` then finishes it out of line). So the twins'
    /// functions keep nothing but their answer word across the call: their register saves
    /// were ~16 of ~50 instructions per event (callgrind, profiler on generators).
    #[inline(always)]
    pub(super) fn lane_lean(
        &mut self,
        ev: Event,
        k: usize,
        cache: &CodeCache,
        pc: usize,
    ) -> Option<Action> {
        let (LaneCb { cb, lean, .. }, _) = match self.lane_open(cache, k) {
            Ok(open) => open,
            Err(false) => return None,
            Err(true) => return Some(Action::CONTINUE),
        };
        if !lean {
            return None;
        }
        let cs = &cache.mon.m;
        let code = CodeHandle(cs.native_handle.get());
        let off = cs.lane_offset(pc) | LEAN_DELIVERY;
        // SAFETY: the lane holds the callback registered for `ev` itself (`lane_build`), and
        // no registration happened since (it would have moved `changes`).
        Some(match unsafe { RawKind::from_raw(ev, cb.raw) } {
            RawKind::PyStart(f) | RawKind::PyResume(f) => f(cb.state, code, off),
            // The value's handle, unreadable: its slot stays null.
            RawKind::PyReturn(f) | RawKind::PyYield(f) => f(cb.state, code, off, ValueRef(1)),
            _ => unreachable!("lane_lean is for the four code events"),
        })
    }

    /// CALL or C_RETURN (`ev`, entry `k` of [`LANE_EVENTS`]) of `callable` with `arg0` at
    /// `pc`, through the code object's fast lane: [`Vm::lane_fire`]'s tests and rules, and
    /// the callable's handle marked as `call_native` marks it (`PY_FUNCTION` for a plain
    /// Python function, the builtin key carried for a tool that gave `BUILTIN_KEYS`; a
    /// tool that gave `SKIP_PY_FUNCTION_CALLS` gets no CALL of a plain Python function).
    /// Answers `false` when the lane does not apply (the caller fires the general way).
    #[inline(always)]
    pub(super) fn lane_fire_call(
        &mut self,
        ev: Event,
        k: usize,
        cache: &CodeCache,
        pc: usize,
        callable: &Value,
        arg0: Option<&Value>,
    ) -> bool {
        self.lane_fire_call_as::<true>(ev, k, cache, pc, callable, arg0)
    }

    /// [`Vm::lane_fire_call`], with a lean delivery first when `LEAN` and the tool takes
    /// them.
    #[inline(always)]
    fn lane_fire_call_as<const LEAN: bool>(
        &mut self,
        ev: Event,
        k: usize,
        cache: &CodeCache,
        pc: usize,
        callable: &Value,
        arg0: Option<&Value>,
    ) -> bool {
        let (LaneCb { cb, slot, lean }, host) = match self.lane_open(cache, k) {
            Ok(open) => open,
            Err(answer) => return answer,
        };
        let cs = &cache.mon.m;
        let s = &self.monitoring.s;
        let python = matches!(callable, Value::Function(_));
        if ev == Event::Call && python && s.skip_py_calls & (1 << slot.index()) != 0 {
            return true;
        }
        let code = CodeHandle(cs.native_handle.get());
        let off = cs.lane_offset(pc);
        let ref1 = if ev != Event::Call {
            ValueRef(1)
        } else if python {
            ValueRef(1 | ValueRef::PY_FUNCTION)
        } else if s.keyed_calls != 0 {
            self.carry_key(host, slot, ValueRef(1), callable)
        } else {
            ValueRef(1)
        };
        let ref2 = if arg0.is_some() {
            ValueRef(2)
        } else {
            ValueRef::MISSING
        };
        if LEAN && lean {
            // A lean delivery (see `lane_lean`): the handles carry their flags, the values
            // stay unreadable. (Kept in this function: CALL and C_RETURN are rarer than the
            // code events, and their ordinary path shares its setup.)
            let lean_off = off | LEAN_DELIVERY;
            // SAFETY: as below.
            let action = match unsafe { RawKind::from_raw(ev, cb.raw) } {
                RawKind::Call(f) | RawKind::CReturn(f) => f(cb.state, code, lean_off, ref1, ref2),
                _ => unreachable!("lane_fire_call is for CALL and C_RETURN"),
            };
            if action != Action::CONTINUE {
                self.lane_lean_rare(action, ev, k, cache, pc, LeanArgs::Call(callable, arg0));
            }
            return true;
        }
        let null = std::ptr::null();
        let v2 = arg0.map_or(null, |a| a as *const Value);
        // SAFETY: as in `fire_native`: the tracing counter lives as long as the VM.
        let tr: &Tracing = unsafe { &*Rc::as_ptr(&s.tracing) };
        let muted = tr.enter();
        // The values are read in place, as in `lane_fire`: `callable` and `arg0` are the
        // caller's locals, alive for the whole call; the pointers are null now (no callback
        // is running) and are put back to null afterwards.
        debug_assert!(host.args.get().iter().all(|p| p.is_null()));
        host.args.set([callable as *const Value, v2]);
        // SAFETY: the lane holds the callback registered for `ev` itself (`lane_build`), and
        // no registration happened since (it would have moved `changes`).
        let action = match unsafe { RawKind::from_raw(ev, cb.raw) } {
            RawKind::Call(f) | RawKind::CReturn(f) => f(cb.state, code, off, ref1, ref2),
            _ => unreachable!("lane_fire_call is for CALL and C_RETURN"),
        };
        host.args.set([null, null]);
        self.lane_close(host, action, muted, ev, cache, pc, slot);
        true
    }

    /// LINE of `line` at `pc` through the code object's fast lane: [`Vm::lane_fire`]'s tests
    /// and rules. Answers `false` when the lane does not apply (the caller fires the general
    /// way). A tool that takes every line (coverage, count every event) gets one per line
    /// executed, so this path is the one the per-line cost is made of: through `fire` (the
    /// receiver query, the general argument setup) it was ~70 instructions per event
    /// (callgrind, count every event on richards 1).
    #[inline(always)]
    pub(super) fn lane_fire_line(&mut self, cache: &CodeCache, pc: usize, line: u32) -> bool {
        let (LaneCb { cb, slot, .. }, _) = match self.lane_open(cache, LANE_LINE) {
            Ok(open) => open,
            Err(answer) => return answer,
        };
        let code = CodeHandle(cache.mon.m.native_handle.get());
        // SAFETY: as in `fire_native`: the tracing counter lives as long as the VM.
        let tr: &Tracing = unsafe { &*Rc::as_ptr(&self.monitoring.s.tracing) };
        let muted = tr.enter();
        // SAFETY: the lane holds the callback registered for LINE itself (`lane_build`), and
        // no registration happened since (it would have moved `changes`).
        let action = match unsafe { RawKind::from_raw(Event::Line, cb.raw) } {
            RawKind::Line(f) => f(cb.state, code, line),
            _ => unreachable!("the LINE entry holds a LINE callback"),
        };
        let host = self.lane_host();
        self.lane_close(host, action, muted, Event::Line, cache, pc, slot);
        true
    }

    /// BRANCH or JUMP (`ev`, entry `k` of [`LANE_EVENTS`]) of the jump at `pc` that went to
    /// instruction `dest`, through the code object's fast lane (see
    /// [`Vm::lane_fire_line`]). A BRANCH while some tool has silenced a direction
    /// (`branch_off_any`) takes the general way, which asks whether this one is.
    #[inline(always)]
    pub(super) fn lane_fire_jump(
        &mut self,
        ev: Event,
        k: usize,
        cache: &CodeCache,
        pc: usize,
        dest: usize,
    ) -> bool {
        if ev == Event::Branch && self.monitoring.s.branch_off_any {
            return false;
        }
        let (LaneCb { cb, slot, .. }, _) = match self.lane_open(cache, k) {
            Ok(open) => open,
            Err(answer) => return answer,
        };
        let cs = &cache.mon.m;
        let code = CodeHandle(cs.native_handle.get());
        let off = cs.lane_offset(pc);
        let to = cs.code.cpython_target(dest);
        // SAFETY: as in `fire_native`: the tracing counter lives as long as the VM.
        let tr: &Tracing = unsafe { &*Rc::as_ptr(&self.monitoring.s.tracing) };
        let muted = tr.enter();
        // SAFETY: the lane holds the callback registered for `ev` itself (`lane_build`), and
        // no registration happened since (it would have moved `changes`).
        let action = match unsafe { RawKind::from_raw(ev, cb.raw) } {
            RawKind::Branch(f) | RawKind::Jump(f) => f(cb.state, code, off, to),
            _ => unreachable!("lane_fire_jump is for BRANCH and JUMP"),
        };
        let host = self.lane_host();
        self.lane_close(host, action, muted, ev, cache, pc, slot);
        true
    }

    /// The native host, for a lane that has delivered (see `lane_open`). Read after the
    /// callback rather than kept from `lane_open`: LINE and BRANCH/JUMP are delivered from
    /// inside the traced copy of the loop, where a value kept across the callback is a stack
    /// slot written and read per event.
    #[inline(always)]
    fn lane_host<'h>(&self) -> &'h NativeHost {
        debug_assert!(self.monitoring.s.native.is_some());
        // SAFETY: as in `lane_open`: a lane that applied means the host is installed, it is
        // never removed, and it lives as long as the VM.
        unsafe { &*(self.monitoring.s.native.as_deref().unwrap_unchecked() as *const NativeHost) }
    }

    /// The tests [`Vm::lane_fire`] and [`Vm::lane_fire_call`] start with: `Ok` with the
    /// lane's entry `k` and the native host when the lane applies, else `Err` with the
    /// answer to give at once (`false`: fire the general way; `true`: a callback is running,
    /// so the event is muted).
    #[inline(always)]
    fn lane_open<'h>(&self, cache: &CodeCache, k: usize) -> Result<(LaneCb, &'h NativeHost), bool> {
        let cs = &cache.mon.m;
        let s = &self.monitoring.s;
        // The table's change count, read from its own cell: no borrow of the table (which
        // may even be mutably borrowed now; the count is current all the same).
        if cs.lane_stamp.get() != s.changes.get() {
            return Err(false);
        }
        let Some(lane) = cs.lane[k].get() else {
            return Err(false);
        };
        if s.tracing.is_active() {
            return Err(true);
        }
        debug_assert!(s.native.is_some(), "a fast lane without the native host");
        // SAFETY: `lane_build` puts nothing on a lane without the native host, and the host
        // is never removed once installed (`native_host` is the only place that sets
        // `native`), so a lane entry means it is there; that spares a test per event. The
        // host is boxed inside this VM and lives as long as it; the caller uses the
        // reference only while it runs this event.
        let host: &'h NativeHost =
            unsafe { &*(s.native.as_deref().unwrap_unchecked() as *const NativeHost) };
        Ok((lane, host))
    }

    /// What the lane does after its callback answered `action`: drop the values the
    /// callback asked the host about, then a DISABLE (with tracing ended first, `muted`) or
    /// the tool's failure.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn lane_close(
        &mut self,
        host: &NativeHost,
        action: Action,
        muted: vigil_monitoring::TracingGuard<'_>,
        ev: Event,
        cache: &CodeCache,
        pc: usize,
        slot: Slot,
    ) {
        // One test for the common case: CONTINUE (0) and no values handed out.
        if action.0 | u8::from(host.values_used.get()) == 0 {
            return;
        }
        self.lane_close_rare(host, action, muted, ev, cache, pc, slot);
    }

    /// [`Vm::lane_close`] past its one test: out of line, so that the lane's functions carry
    /// one test and one call for it.
    #[allow(clippy::too_many_arguments)]
    #[cold]
    #[inline(never)]
    fn lane_close_rare(
        &mut self,
        host: &NativeHost,
        action: Action,
        muted: vigil_monitoring::TracingGuard<'_>,
        ev: Event,
        cache: &CodeCache,
        pc: usize,
        slot: Slot,
    ) {
        if host.values_used.get() {
            host.clear_values();
        }
        match action {
            Action::CONTINUE => {}
            Action::DISABLE => {
                drop(muted);
                self.native_disable(ev, Some(cache), pc, slot);
            }
            _ => self.native_failed(host, slot, ev),
        }
    }

    /// A lean delivery (see [`Vm::lane_lean`]) answered `action`, not CONTINUE: FULL
    /// delivers the event again the ordinary way; DISABLE and a failure are handled as
    /// after an ordinary delivery. The lane entry is read again: a lean callback calls no
    /// Host API function, so nothing it did can have changed it.
    #[cold]
    #[inline(never)]
    pub(super) fn lane_lean_rare(
        &mut self,
        action: Action,
        ev: Event,
        k: usize,
        cache: &CodeCache,
        pc: usize,
        args: LeanArgs<'_>,
    ) {
        let Some(LaneCb { slot, .. }) = cache.mon.m.lane[k].get() else {
            return;
        };
        match action {
            Action::FULL => {
                // Delivered through the lane's ordinary path, which finds the lane as it was.
                let delivered = match args {
                    LeanArgs::Value(v) => self.lane_fire(ev, k, cache, pc, v),
                    LeanArgs::Call(c, a) => self.lane_fire_call_ordinary(ev, k, cache, pc, c, a),
                };
                debug_assert!(delivered, "the lane changed under a lean delivery");
            }
            Action::DISABLE => self.native_disable(ev, Some(cache), pc, slot),
            _ => {
                let host = self.lane_host();
                self.native_failed(host, slot, ev);
            }
        }
    }

    /// [`Vm::lane_fire_call`]'s ordinary delivery, for a lean one answered with FULL.
    #[inline(never)]
    fn lane_fire_call_ordinary(
        &mut self,
        ev: Event,
        k: usize,
        cache: &CodeCache,
        pc: usize,
        callable: &Value,
        arg0: Option<&Value>,
    ) -> bool {
        self.lane_fire_call_as::<false>(ev, k, cache, pc, callable, arg0)
    }

    /// Rebuilds `cache`'s fast lane if the monitoring table changed since it was built (on
    /// the general path of the lane's events, so a lane that stays empty costs one compare).
    #[inline(always)]
    pub(super) fn lane_refresh(&self, cache: &CodeCache) {
        if let Ok(m) = self.monitoring.s.state.try_borrow()
            && cache.mon.m.lane_stamp.get() != m.changes()
        {
            drop(m);
            self.lane_build(cache);
        }
    }

    /// Fills `cache`'s fast lane from the monitoring table (see [`Vm::lane_fire`]). A code
    /// object that is not synced, or a table that is borrowed, gets no lane now.
    #[cold]
    #[inline(never)]
    fn lane_build(&self, cache: &CodeCache) {
        let s = &self.monitoring.s;
        let cs = &cache.mon.m;
        let Some(host) = s.native.as_deref() else {
            return;
        };
        let (Ok(m), Ok(cm)) = (s.state.try_borrow(), cs.state.try_borrow()) else {
            return;
        };
        if cs.version.get() != m.version() {
            return;
        }
        if cs.native_handle.get() == 0 {
            cs.native_handle.set(host.code_handle(&cs.code).0);
        }
        cs.make_lane_offsets();
        for (k, ev) in LANE_EVENTS.into_iter().enumerate() {
            let bits = m.code_tools(&cm, ev).bits();
            let entry = if bits != 0
                && bits & (bits - 1) == 0
                && !cm.has_disabled(ev)
                && let Some(slot) = Slot::from_index(bits.trailing_zeros() as usize)
                && let Some(Callback::Native(cb)) = m.callback(slot, ev)
            {
                Some(LaneCb {
                    cb: *cb,
                    slot,
                    lean: k < LANE_LINE && s.lean_calls & (1 << slot.index()) != 0,
                })
            } else {
                None
            };
            cs.lane[k].set(entry);
        }
        cs.lane_stamp.set(m.changes());
    }
}

/// `ValueRef`s 1..=ARG_REFS are the running event's own value arguments.
const ARG_REFS: u64 = 2;

/// The handle without [`ValueRef::FLAG_BITS`] (`call_native` sets `PY_FUNCTION`, or
/// `KEYED` and a key, on a CALL's callable), as every Host API function reads handles.
#[inline(always)]
fn unflagged(v: ValueRef) -> ValueRef {
    ValueRef(v.0 & !ValueRef::FLAG_BITS)
}

// ----- the Host API functions -----

fn parts<'a>(ctx: HostCtx) -> (&'a NativeHost, &'a mut Vm) {
    // SAFETY: `ctx` comes from `NativeHost::api` of a host boxed inside a live, boxed VM that
    // does not move for the session; see the module docs for why the VM may be entered here.
    let host = unsafe { &*(ctx.0 as *const NativeHost) };
    let vm = unsafe { &mut *host.vm };
    (host, vm)
}

fn mon<T>(r: Result<T, MonitoringError>) -> Result<T, HostError> {
    r.map_err(|e| {
        let kind = match e.kind {
            vigil_monitoring::ErrorKind::ValueError => ErrorKind::VALUE_ERROR,
            vigil_monitoring::ErrorKind::TypeError => ErrorKind::TYPE_ERROR,
            vigil_monitoring::ErrorKind::OverflowError => ErrorKind::OVERFLOW_ERROR,
        };
        HostError::new(kind, e.message)
    })
}

fn res<T>(r: Result<T, HostError>) -> HostResult<T> {
    r.into()
}

fn bad_handle<T>() -> Result<T, HostError> {
    Err(HostError::new(ErrorKind::INVALID_HANDLE, "unknown handle"))
}

fn code_of(host: &NativeHost, h: CodeHandle) -> Result<Rc<CodeObject>, HostError> {
    let codes = host.codes.borrow();
    match (h.0 as usize).checked_sub(1).and_then(|i| codes.get(i)) {
        Some(c) => Ok(c.clone()),
        None => bad_handle(),
    }
}

/// Marks an argument pointer as the payload of a STOP_ITERATION whose exception is built
/// only when a tool asks for it (`Rest::Stop`). A `Value` is at least pointer-aligned, so the
/// low bit of a pointer to one is free.
const STOP_TAG: usize = 1;
const _: () = assert!(std::mem::align_of::<Value>() > STOP_TAG);

fn value_of(host: &NativeHost, vm: &mut Vm, v: ValueRef) -> Result<Value, HostError> {
    let v = unflagged(v);
    if v.is_missing() {
        return Ok(vm.monitoring.s.missing.clone());
    }
    if (1..=ARG_REFS).contains(&v.0) {
        let p = host.args.get()[v.0 as usize - 1];
        if p.is_null() {
            return bad_handle();
        }
        // SAFETY: non-null only while the callback this handle was given to runs, and then,
        // with the STOP_TAG bit cleared, it points at a value its firing site keeps borrowed
        // and unchanged (`call_native`); the tag only ever sets that bit of such a pointer.
        let x = unsafe { (*p.map_addr(|a| a & !STOP_TAG)).clone() };
        // Built at each request: within a callback a tool may get two equal exceptions
        // where CPython has one object, which nothing in the Host API can tell apart.
        return Ok(if p.addr() & STOP_TAG != 0 {
            vm.stop_iteration(x).0
        } else {
            x
        });
    }
    let vals = host.values.borrow();
    match (v.0 - ARG_REFS - 1)
        .try_into()
        .ok()
        .and_then(|i: usize| vals.get(i))
    {
        Some(x) => Ok(x.clone()),
        None => bad_handle(),
    }
}

fn py_err(vm: &mut Vm, e: crate::vm::PyErr) -> HostError {
    let t = vm.type_name(&e.0);
    let m = vm.to_str(&e.0).unwrap_or_default();
    HostError::new(ErrorKind::PYTHON_ERROR, format!("{t}: {m}"))
}

extern "C" fn use_tool_id(ctx: HostCtx, tool: i32, name: RStr<'_>) -> HostResult<()> {
    let (_, vm) = parts(ctx);
    let r = vm
        .monitoring
        .s
        .state
        .borrow_mut()
        .use_tool_id(tool, Some(Value::str(name.as_str())));
    res(mon(r))
}

extern "C" fn free_tool_id(ctx: HostCtx, tool: i32) -> HostResult<()> {
    let (_, vm) = parts(ctx);
    let r = vm.monitoring.s.state.borrow_mut().free_tool_id(tool);
    if r.is_ok() {
        set_hints(vm, tool, 0);
    }
    res(mon(r))
}

/// Records `hints` (the `EventHints` bits of a `set_events` call) for tool `tool`; only the
/// ones this host acts on are kept.
fn set_hints(vm: &mut Vm, tool: i32, hints: u32) {
    let Some(bit) = usize::try_from(tool)
        .ok()
        .filter(|&t| t < ToolId::COUNT)
        .map(|t| 1u8 << t)
    else {
        return;
    };
    let s = &mut vm.monitoring.s;
    if hints & EventHints::SKIP_PY_FUNCTION_CALLS.0 != 0 {
        s.skip_py_calls |= bit;
    } else {
        s.skip_py_calls &= !bit;
    }
    if hints & EventHints::BUILTIN_KEYS.0 != 0 {
        s.keyed_calls |= bit;
    } else {
        s.keyed_calls &= !bit;
    }
    if hints & EventHints::SKIP_CLASS_CALLS.0 != 0 {
        s.skip_class_calls |= bit;
    } else {
        s.skip_class_calls &= !bit;
    }
    let lean = if hints & EventHints::LEAN.0 != 0 {
        s.lean_calls | bit
    } else {
        s.lean_calls & !bit
    };
    if lean != s.lean_calls {
        s.lean_calls = lean;
        // Lane entries record the hint (`lane_build`): make every lane stale.
        s.changes.set(s.changes.get().wrapping_add(1));
    }
    s.refresh_py_calls_silent();
}

extern "C" fn get_tool(ctx: HostCtx, tool: i32) -> HostResult<ROption<RString>> {
    let (_, vm) = parts(ctx);
    let r = vm
        .monitoring
        .s
        .state
        .borrow()
        .get_tool(tool)
        .map(|n| n.cloned());
    res(mon(r).map(|n| match n {
        Some(Value::Str(s)) => RSome(RString::from(&*s.s)),
        Some(_) => RSome(RString::new()),
        None => RNone,
    }))
}

extern "C" fn get_events(ctx: HostCtx, tool: i32) -> HostResult<EventSet> {
    let (_, vm) = parts(ctx);
    let r = vm.monitoring.s.state.borrow().get_events(tool);
    res(mon(r))
}

extern "C" fn set_events(ctx: HostCtx, tool: i32, events: u32) -> HostResult<()> {
    let (_, vm) = parts(ctx);
    // Delivery hints ride in bits no event uses; the event set is checked without them.
    let hints = events & EventHints::MASK;
    let r = vm
        .monitoring
        .s
        .state
        .borrow_mut()
        .set_events(tool, (events & !EventHints::MASK) as i32);
    if r.is_ok() {
        set_hints(vm, tool, hints);
    }
    res(mon(r).map(|u| vm.mon_update(u)))
}

extern "C" fn get_local_events(ctx: HostCtx, tool: i32, code: CodeHandle) -> HostResult<EventSet> {
    let (host, vm) = parts(ctx);
    res((|| {
        let code = code_of(host, code)?;
        let cache = vm.code_cache(&code);
        let r = vm
            .monitoring
            .s
            .state
            .borrow()
            .get_local_events(tool, &cache.mon.m.state.borrow());
        mon(r)
    })())
}

extern "C" fn set_local_events(
    ctx: HostCtx,
    tool: i32,
    code: CodeHandle,
    events: u32,
) -> HostResult<()> {
    let (host, vm) = parts(ctx);
    res((|| {
        let code = code_of(host, code)?;
        let cache = vm.code_cache(&code);
        if cache.mon.m.version.get() != vm.monitoring.s.version {
            vm.mon_sync(&cache);
        }
        let r = vm.monitoring.s.state.borrow_mut().set_local_events(
            tool,
            &mut cache.mon.m.state.borrow_mut(),
            events as i32,
        );
        if mon(r)?.is_some() {
            vm.monitoring.s.active = true;
            vm.mon_apply_local(&cache);
        }
        Ok(())
    })())
}

extern "C" fn restart_events(ctx: HostCtx) -> HostResult<()> {
    let (_, vm) = parts(ctx);
    let u = vm.monitoring.s.state.borrow_mut().restart_events();
    vm.monitoring.s.clear_branch_off();
    vm.mon_update(u);
    RResult::ROk(())
}

extern "C" fn register_callback(
    ctx: HostCtx,
    tool: i32,
    event: u32,
    cb: ROption<RawCallback>,
) -> HostResult<ROption<RawCallback>> {
    let (host, vm) = parts(ctx);
    res((|| {
        let r = vm
            .monitoring
            .s
            .state
            .borrow()
            .check_register_callback(tool, event as i32);
        let (slot, ev) = mon(r)?;
        let state = slot
            .as_tool()
            .and_then(|t| host.states.borrow()[t.index()])
            .unwrap_or(ToolState(std::ptr::null_mut()));
        let new = cb
            .into_option()
            .map(|raw| Callback::Native(NativeCb { state, raw }));
        let old = vm
            .monitoring
            .s
            .state
            .borrow_mut()
            .register_callback(slot, ev, new);
        vm.monitoring.s.refresh_py_calls_silent();
        Ok(match old {
            Some(Callback::Native(n)) => RSome(n.raw),
            _ => RNone,
        })
    })())
}

extern "C" fn report_error(ctx: HostCtx, tool: i32, message: RStr<'_>) {
    let (host, _) = parts(ctx);
    if let Some(t) = u32::try_from(tool).ok().and_then(ToolId::new) {
        host.reported.borrow_mut()[t.index()] = Some(message.as_str().to_owned());
    }
}

fn with_code<T>(ctx: HostCtx, h: CodeHandle, f: impl FnOnce(&CodeObject) -> T) -> HostResult<T> {
    let (host, _) = parts(ctx);
    res(code_of(host, h).map(|c| f(&c)))
}

extern "C" fn code_name(ctx: HostCtx, h: CodeHandle) -> HostResult<RString> {
    with_code(ctx, h, |c| RString::from(&*c.name))
}

extern "C" fn code_qualname(ctx: HostCtx, h: CodeHandle) -> HostResult<RString> {
    with_code(ctx, h, |c| RString::from(&*c.qualname))
}

extern "C" fn code_filename(ctx: HostCtx, h: CodeHandle) -> HostResult<RString> {
    with_code(ctx, h, |c| RString::from(&*c.filename))
}

extern "C" fn code_first_line(ctx: HostCtx, h: CodeHandle) -> HostResult<u32> {
    with_code(ctx, h, |c| c.first_line)
}

extern "C" fn code_line_table(ctx: HostCtx, h: CodeHandle) -> HostResult<RVec<LineEntry>> {
    with_code(ctx, h, |c| {
        c.cpython_co_lines()
            .into_iter()
            .map(|(start, _, line)| LineEntry {
                offset: start,
                line: line.map_or(-1, |l| l as i32),
            })
            .collect()
    })
}

extern "C" fn code_children(ctx: HostCtx, h: CodeHandle) -> HostResult<RVec<CodeHandle>> {
    let (host, _) = parts(ctx);
    res(code_of(host, h).map(|c| {
        c.consts
            .iter()
            .filter_map(|k| match k {
                vigil_compiler::bytecode::Constant::Code(cc) => Some(host.code_handle(cc)),
                _ => None,
            })
            .collect()
    }))
}

fn with_value<T>(
    ctx: HostCtx,
    v: ValueRef,
    f: impl FnOnce(&NativeHost, &mut Vm, Value) -> Result<T, HostError>,
) -> HostResult<T> {
    let (host, vm) = parts(ctx);
    res(value_of(host, vm, v).and_then(|x| f(host, vm, x)))
}

/// [`with_value`] without a copy of the value when it is one of the event's own arguments
/// (read in place, as `value_of` reads it before cloning).
fn with_value_ref<T>(
    ctx: HostCtx,
    v: ValueRef,
    f: impl FnOnce(&NativeHost, &mut Vm, &Value) -> Result<T, HostError>,
) -> HostResult<T> {
    let (host, vm) = parts(ctx);
    let v = unflagged(v);
    if (1..=ARG_REFS).contains(&v.0) {
        let p = host.args.get()[v.0 as usize - 1];
        if !p.is_null() && p.addr() & STOP_TAG == 0 {
            // SAFETY: as in `value_of`: non-null and untagged, it points at a value its
            // firing site keeps borrowed and unchanged while this callback runs; `f` only
            // reads through it (the VM does not run code that could change it meanwhile).
            let x = unsafe { &*p };
            return res(f(host, vm, x));
        }
    }
    res(value_of(host, vm, v).and_then(|x| f(host, vm, &x)))
}

fn type_error<T>(what: &str) -> Result<T, HostError> {
    Err(HostError::new(ErrorKind::TYPE_ERROR, what.to_owned()))
}

extern "C" fn value_kind(ctx: HostCtx, v: ValueRef) -> HostResult<ValueKind> {
    if v.is_missing() {
        return RResult::ROk(ValueKind::MISSING);
    }
    with_value(ctx, v, |_, _, x| {
        Ok(match &x {
            Value::None => ValueKind::NONE,
            Value::Bool(_) => ValueKind::BOOL,
            Value::Int(_) | Value::Big(_) => ValueKind::INT,
            Value::Float(_) => ValueKind::FLOAT,
            Value::Str(_) => ValueKind::STR,
            Value::Bytes(_) => ValueKind::BYTES,
            Value::Tuple(_) => ValueKind::TUPLE,
            Value::List(_) => ValueKind::LIST,
            Value::Dict(_) => ValueKind::DICT,
            Value::Set(_) | Value::FrozenSet(_) => ValueKind::SET,
            Value::Function(_) => ValueKind::FUNCTION,
            // An unbound method of a builtin type is CPython's method_descriptor, not a
            // builtin function.
            Value::Builtin(b) if is_descriptor(b) => ValueKind::OTHER,
            Value::Builtin(_) => ValueKind::BUILTIN,
            Value::Class(_) => ValueKind::CLASS,
            Value::Instance(i) if i.exc().is_some() => ValueKind::EXCEPTION,
            Value::Code(_) => ValueKind::CODE,
            Value::Gen(g) if g.is_coroutine => ValueKind::COROUTINE,
            Value::Gen(_) => ValueKind::GENERATOR,
            Value::Method(m) if matches!(m.1, Value::Function(_)) => ValueKind::METHOD,
            Value::Method(_) => ValueKind::BUILTIN,
            _ => ValueKind::OTHER,
        })
    })
}

/// An unbound method of a builtin type (`list.append`, `coroutine.send` loaded for a call).
fn is_descriptor(b: &Builtin) -> bool {
    b.owner.is_some() && b.bound.is_none()
}

/// Whether a profiler counts a call of descriptor `b` as a builtin call, as CPython 3.13's
/// cProfile does: it binds a `method_descriptor` to the call's first argument and times the
/// bound method (`{method 'append' of 'list' objects}`), but ignores the slot wrappers
/// (`wrapper_descriptor`: `list.__len__`, `object.__init__`), which vigil keeps in the same
/// class dicts as plain builtins. So a dunder counts only if CPython defines it as a method
/// (the pairs below, from `type(vars(T)[name]).__name__` in CPython 3.13, for the types vigil
/// gives dunders). The methods of vigil's one `iterator` class are left out: their receiver's
/// type name (`list_iterator`, ...) is not the owner's.
fn is_profiled_descriptor(b: &Builtin) -> bool {
    let Some(owner) = b.owner else {
        return false;
    };
    if owner == "iterator" {
        return false;
    }
    if !(b.name.starts_with("__") && b.name.ends_with("__")) {
        return true;
    }
    matches!(
        (owner, b.name),
        (
            "list" | "dict",
            "__getitem__" | "__reversed__" | "__sizeof__"
        ) | ("dict" | "set" | "frozenset", "__contains__")
            | (
                "object"
                    | "str"
                    | "int"
                    | "float"
                    | "set"
                    | "frozenset"
                    | "bytearray"
                    | "type"
                    | "generator"
                    | "coroutine",
                "__sizeof__"
            )
            | ("object" | "str" | "int" | "float", "__format__")
            | ("object" | "set" | "frozenset" | "bytearray", "__reduce__")
            | ("object" | "bytearray", "__reduce_ex__")
            | ("object" | "type", "__dir__")
            | ("object", "__getstate__")
            | (
                "str" | "tuple" | "int" | "float" | "bytes",
                "__getnewargs__"
            )
            | (
                "int" | "float",
                "__trunc__" | "__floor__" | "__ceil__" | "__round__"
            )
            | ("bytes", "__bytes__")
            | (
                "type",
                "__subclasses__" | "__instancecheck__" | "__subclasscheck__"
            )
    )
}

extern "C" fn value_type_name(ctx: HostCtx, v: ValueRef) -> HostResult<RString> {
    with_value(ctx, v, |_, vm, x| {
        Ok(RString::from(match &x {
            Value::Builtin(b) if is_descriptor(b) => "method_descriptor".to_owned(),
            _ => vm.type_name(&x),
        }))
    })
}

extern "C" fn value_repr(ctx: HostCtx, v: ValueRef) -> HostResult<RString> {
    with_value(ctx, v, |_, vm, x| match vm.repr(&x) {
        Ok(s) => Ok(RString::from(s)),
        Err(e) => Err(py_err(vm, e)),
    })
}

extern "C" fn value_to_i64(ctx: HostCtx, v: ValueRef) -> HostResult<i64> {
    with_value(ctx, v, |_, _, x| match x {
        Value::Int(i) => Ok(i),
        Value::Bool(b) => Ok(b as i64),
        Value::Big(_) => Err(HostError::new(
            ErrorKind::OVERFLOW_ERROR,
            "Python int too large to convert to C long",
        )),
        _ => type_error("not an int"),
    })
}

extern "C" fn value_to_f64(ctx: HostCtx, v: ValueRef) -> HostResult<f64> {
    with_value(ctx, v, |_, _, x| match x {
        Value::Float(f) => Ok(f),
        Value::Int(i) => Ok(i as f64),
        Value::Bool(b) => Ok(b as i64 as f64),
        _ => type_error("not a float"),
    })
}

extern "C" fn value_to_str(ctx: HostCtx, v: ValueRef) -> HostResult<RString> {
    with_value(ctx, v, |_, _, x| match x {
        Value::Str(s) => Ok(RString::from(&*s.s)),
        _ => type_error("not a str"),
    })
}

extern "C" fn value_to_bool(ctx: HostCtx, v: ValueRef) -> HostResult<bool> {
    with_value(ctx, v, |_, _, x| match x {
        Value::Bool(b) => Ok(b),
        _ => type_error("not a bool"),
    })
}

extern "C" fn exception_type_name(ctx: HostCtx, v: ValueRef) -> HostResult<RString> {
    with_value(ctx, v, |_, vm, x| match &x {
        Value::Instance(i) if i.exc().is_some() => Ok(RString::from(vm.type_name(&x))),
        _ => type_error("not an exception"),
    })
}

extern "C" fn exception_args(ctx: HostCtx, v: ValueRef) -> HostResult<RVec<ValueRef>> {
    with_value(ctx, v, |host, vm, x| match &x {
        Value::Instance(i) if i.exc().is_some() => {
            let args = i.exc().map(|e| e.args.borrow().clone());
            Ok(match args {
                Some(Value::Tuple(t)) => t.iter().map(|a| host.value_ref(vm, a)).collect(),
                _ => RVec::new(),
            })
        }
        _ => type_error("not an exception"),
    })
}

fn str_attr(vm: &mut Vm, x: &Value, name: &str) -> Result<String, HostError> {
    let n = vm.intern(name);
    match vm.get_attr(x, &n) {
        Ok(Value::Str(s)) => Ok(s.s.to_string()),
        Ok(_) => type_error(&format!("{name} is not a str")),
        Err(e) => Err(py_err(vm, e)),
    }
}

extern "C" fn callable_qualname(ctx: HostCtx, v: ValueRef) -> HostResult<RString> {
    with_value(ctx, v, |_, vm, x| {
        let target = match &x {
            Value::Method(m) => m.1.clone(),
            _ => x.clone(),
        };
        // A builtin answers from its own fields, as its `__qualname__` attribute does (a
        // profiler asks at every builtin call).
        if let Value::Builtin(b) = &target {
            return Ok(match b.owner {
                Some(o) => RString::from(format!("{o}.{}", b.name)),
                None => RString::from(b.name),
            });
        }
        str_attr(vm, &target, "__qualname__").map(RString::from)
    })
}

extern "C" fn callable_name(ctx: HostCtx, v: ValueRef) -> HostResult<RString> {
    with_value(ctx, v, |_, vm, x| match &x {
        // Its `__name__` attribute, without the attribute lookup (see `callable_qualname`).
        Value::Builtin(b) => Ok(RString::from(b.name)),
        _ => str_attr(vm, &x, "__name__").map(RString::from),
    })
}

extern "C" fn builtin_self_type_name(ctx: HostCtx, v: ValueRef) -> HostResult<ROption<RString>> {
    with_value(ctx, v, |_, vm, x| {
        let owner = match &x {
            // A method descriptor names as the method bound to an instance of its owner
            // (cProfile's `{method 'append' of 'list' objects}` for `lst.append(x)`).
            Value::Builtin(b) if is_descriptor(b) => {
                return Ok(RSome(RString::from(b.owner.unwrap_or_default())));
            }
            Value::Builtin(b) => b.bound.clone(),
            Value::Method(m) if !matches!(m.1, Value::Function(_)) => Some(m.0.clone()),
            _ => None,
        };
        Ok(match owner {
            Some(Value::Module(_)) | Some(Value::None) | None => RNone,
            Some(o) => RSome(RString::from(vm.type_name(&o))),
        })
    })
}

extern "C" fn builtin_key(ctx: HostCtx, v: ValueRef) -> HostResult<u64> {
    if v.is_python_function() {
        return RResult::ROk(0);
    }
    if v.is_missing() {
        return RResult::ROk(0);
    }
    let v = unflagged(v);
    // A profiler asks at every CALL, and the callable is nearly always a Python function:
    // answered before the general path (its closure and `Result` conversion).
    if (1..=ARG_REFS).contains(&v.0) {
        let (host, _) = parts(ctx);
        let p = host.args.get()[v.0 as usize - 1];
        if !p.is_null() && p.addr() & STOP_TAG == 0 {
            // SAFETY: as in `with_value_ref`: non-null and untagged, it points at a value its
            // firing site keeps borrowed and unchanged while this callback runs; it is only
            // read.
            let x = unsafe { &*p };
            if let Some(k) = host.cached_key(x) {
                return RResult::ROk(k);
            }
        }
    }
    with_value_ref(ctx, v, |host, vm, x| key_of(host, vm, x))
}

impl NativeHost {
    /// `builtin_key`'s answer without the table: 0 for a Python function, a `key_cache`
    /// hit's key; `None` when `key_of` must decide.
    #[inline(always)]
    fn cached_key(&self, x: &Value) -> Option<u64> {
        if matches!(x, Value::Function(_)) {
            return Some(0);
        }
        let addr = key_cache_addr(x)?;
        // SAFETY: no `RefMut` of the cache is alive: only `key_of` borrows it mutably, in a
        // statement that ends its borrow, and neither it nor this function calls the other
        // while its borrow lives.
        let c = unsafe { self.key_cache.try_borrow_unguarded() }.ok()?;
        let (v, key) = &c[key_cache_slot(addr)];
        (key_cache_addr(v) == Some(addr)).then_some(*key)
    }
}

/// `builtin_key`'s answer for `x` past `key_cache` (which it fills).
fn key_of(host: &NativeHost, vm: &Vm, x: &Value) -> Result<u64, HostError> {
    // The values `value_kind` calls BUILTIN, and what `callable_name`, `callable_qualname`
    // and `builtin_self_type_name` read from each.
    let (b, receiver) = match x {
        // A method descriptor called for a method call (`lst.append(x)`, `list.append(lst,
        // x)`): named by its owner type (`builtin_self_type_name`), like the bound method
        // cProfile makes of it; a slot wrapper is not a builtin call to a profiler.
        Value::Builtin(b) if is_descriptor(b) => {
            if !is_profiled_descriptor(b) {
                return Ok(0);
            }
            (b, None)
        }
        Value::Builtin(b) => (b, b.bound.as_ref()),
        // A builtin bound as a method object (`f = lst.insert`): its `__name__` is the
        // builtin's name, its qualname the builtin's (`callable_qualname` reads the
        // function), its self type that of the object it is bound to, so it names like
        // the builtin bound to that object, and shares its key.
        Value::Method(m) => match &m.1 {
            Value::Builtin(b) => (b, Some(&m.0)),
            Value::Function(_) => return Ok(0),
            // Any other callable bound as a method object: its names come from attribute
            // lookups on the method (`str_attr`), which this table does not model.
            _ => {
                return Err(HostError::new(
                    ErrorKind::UNSUPPORTED,
                    "a bound method object is not keyed",
                ));
            }
        },
        _ => return Ok(0),
    };
    let text = |s: &'static str| (s.as_ptr() as usize, s.len());
    // `type_name` is `type_of(o).name` for everything but iterators.
    let mut class = None;
    let mut cacheable = true;
    let receiver = match receiver {
        None if is_descriptor(b) => Receiver::Owner,
        Some(Value::Module(_)) | Some(Value::None) | None => Receiver::Nothing,
        Some(o @ Value::Iter(_)) => {
            cacheable = false;
            Receiver::Named(vm.type_name(o))
        }
        Some(o) => {
            let c = vm.type_of(o);
            let at = Rc::as_ptr(&c) as usize;
            class = Some(c);
            Receiver::Class(at)
        }
    };
    let id = BuiltinId {
        name: text(b.name),
        owner: b.owner.map_or((0, 0), text),
        receiver,
    };
    let mut keys = host.builtin_keys.borrow_mut();
    let next = keys.len() as u64 + 1;
    let key = *keys.entry(id).or_insert_with(|| {
        if let Some(c) = class {
            host.builtin_classes.borrow_mut().push(c);
        }
        next
    });
    if cacheable && let Some(addr) = key_cache_addr(x) {
        // The entry it replaces is dropped here: a builtin or method object, whose drop
        // runs no Python code.
        host.key_cache.borrow_mut()[key_cache_slot(addr)] = (x.clone(), key);
    }
    Ok(key)
}

impl Vm {
    /// `r` (a CALL's callable handle) carrying `c`'s builtin key (`ValueRef::KEYED`) if
    /// `slot`'s tool gave the hint `BUILTIN_KEYS`, or as it is if it did not or the key
    /// cannot be carried. Out of line, so that `fire_call` keeps its registers for the
    /// tools that did not ask.
    #[inline(never)]
    fn carry_key(&self, host: &NativeHost, slot: Slot, r: ValueRef, c: &Value) -> ValueRef {
        if self.monitoring.s.keyed_calls & (1 << slot.index()) == 0 {
            return r;
        }
        let key = match host.cached_key(c) {
            Some(k) => Some(k),
            // Anything but a builtin or a bound builtin is not one (`key_of`'s answer).
            None if key_cache_addr(c).is_none() => Some(0),
            None => self.carry_key_slow(host, c),
        };
        key.and_then(|k| r.with_builtin_key(k)).unwrap_or(r)
    }

    /// [`Vm::carry_key`] past `key_cache`.
    #[cold]
    #[inline(never)]
    fn carry_key_slow(&self, host: &NativeHost, c: &Value) -> Option<u64> {
        key_of(host, self, c).ok()
    }
}

extern "C" fn value_items(ctx: HostCtx, v: ValueRef) -> HostResult<RVec<ValueRef>> {
    with_value(ctx, v, |host, vm, x| match &x {
        Value::Tuple(t) => Ok(t.iter().map(|a| host.value_ref(vm, a)).collect()),
        Value::List(l) => {
            let items = l.borrow().clone();
            Ok(items.iter().map(|a| host.value_ref(vm, a)).collect())
        }
        _ => type_error("not a tuple or list"),
    })
}

extern "C" fn value_as_code(ctx: HostCtx, v: ValueRef) -> HostResult<CodeHandle> {
    with_value(ctx, v, |host, _, x| match &x {
        Value::Code(c) => Ok(host.code_handle(c)),
        Value::Function(f) => Ok(host.code_handle(&f.code)),
        Value::Method(m) => match &m.1 {
            Value::Function(f) => Ok(host.code_handle(&f.code)),
            _ => type_error("no code object"),
        },
        _ => type_error("no code object"),
    })
}

extern "C" fn program_path(ctx: HostCtx) -> HostResult<RString> {
    let (host, _) = parts(ctx);
    let p = host.program_path.borrow().clone();
    if p.is_empty() {
        return RResult::RErr(HostError::new(ErrorKind::UNSUPPORTED, "no program"));
    }
    RResult::ROk(RString::from(p))
}

/// The two BRANCH destinations of the instruction at `i`: (taken, not taken), instruction
/// indices. For FOR_ITER, "taken" is leaving the loop (past END_FOR and POP_TOP, where the VM
/// goes). The Host API reports them as CPython byte offsets (`cpython_target`).
#[inline]
pub(crate) fn branch_targets(c: &CodeObject, i: usize) -> Option<(u32, u32)> {
    let ins = c.instructions.get(i)?;
    let arg = ins.arg();
    match ins.op() {
        Opcode::POP_JUMP_IF_FALSE
        | Opcode::POP_JUMP_IF_TRUE
        | Opcode::POP_JUMP_IF_NONE
        | Opcode::POP_JUMP_IF_NOT_NONE => Some((arg, i as u32 + 1)),
        Opcode::FOR_ITER => Some((arg + 2, i as u32 + 1)),
        _ => None,
    }
}

extern "C" fn code_branches(ctx: HostCtx, h: CodeHandle) -> HostResult<RVec<BranchEntry>> {
    with_code(ctx, h, |c| {
        (0..c.instructions.len())
            .filter_map(|i| {
                branch_targets(c, i).map(|(taken, not_taken)| BranchEntry {
                    offset: c.cpython_offset(i),
                    taken: c.cpython_target(taken as usize),
                    not_taken: c.cpython_target(not_taken as usize),
                })
            })
            .collect()
    })
}

extern "C" fn disable_branch_direction(
    ctx: HostCtx,
    tool: i32,
    code: CodeHandle,
    offset: u32,
    dest: u32,
) -> HostResult<()> {
    let (host, vm) = parts(ctx);
    res((|| {
        let id = u32::try_from(tool)
            .ok()
            .and_then(ToolId::new)
            .ok_or_else(|| {
                HostError::value_error(format!("invalid tool {tool} (must be between 0 and 5)"))
            })?;
        let c = code_of(host, code)?;
        // `offset` and `dest` are CPython byte offsets, as the BRANCH event reported them; the
        // bits are kept per instruction index.
        let at = c
            .index_at_cpython_offset(offset)
            .filter(|&i| c.cpython_offset(i) == offset);
        let found = at.and_then(|i| {
            let (t, n) = branch_targets(&c, i)?;
            let d = [t, n]
                .into_iter()
                .find(|&d| c.cpython_target(d as usize) == dest)?;
            Some((i, (t, n), d))
        });
        let Some((i, targets, d)) = found else {
            return Err(HostError::value_error(format!(
                "{dest} is not a destination of a branch at offset {offset}"
            )));
        };
        let cache = vm.code_cache(&c);
        let generation = vm.monitoring.s.branch_off_gen;
        cache
            .mon
            .m
            .silence_direction(generation, Slot::tool(id), i, targets, d);
        vm.monitoring.s.branch_off_any = true;
        // One direction silenced by every tool: the plain loop can run the branch itself.
        vm.relayer_branch(&cache, i);
        Ok(())
    })())
}

/// Frame `depth` (0 = innermost) while a callback runs: walks the chain of running frames
/// from `Vm::running`.
fn frame_at<'a>(vm: &Vm, depth: u32) -> Result<&'a crate::frame::Frame, HostError> {
    let mut link = vm.running;
    for _ in 0..depth {
        if link.is_null() {
            break;
        }
        // SAFETY: a non-null link is on the Rust stack of a `run_frame` call that is still
        // running (it is the head only between its two stores there, and a link's `prev`
        // was the head when it was made, so it belongs to an enclosing `run_frame`); a
        // callback runs inside the innermost of them, so every link in the chain is live.
        link = unsafe { (*link).prev };
    }
    if link.is_null() {
        return Err(HostError::value_error(format!("no frame at depth {depth}")));
    }
    // SAFETY: the link is live (above) and its frame is borrowed by that `run_frame` for as
    // long as it runs, so the frame neither moves nor drops meanwhile; the interpreter does
    // not touch the frame while a callback runs, so reading it here races with nothing.
    Ok(unsafe { &*(*link).frame })
}

extern "C" fn frame_count(ctx: HostCtx) -> HostResult<u32> {
    let (_, vm) = parts(ctx);
    let mut n = 0u32;
    let mut link = vm.running;
    while !link.is_null() {
        n += 1;
        // SAFETY: as in `frame_at`: every link of the chain belongs to a running `run_frame`.
        link = unsafe { (*link).prev };
    }
    RResult::ROk(n)
}

extern "C" fn frame_info(ctx: HostCtx, depth: u32) -> HostResult<FrameInfo> {
    let (host, vm) = parts(ctx);
    res(frame_at(vm, depth).map(|f| FrameInfo {
        code: host.code_handle(f.code()),
        offset: f.code().cpython_offset(f.lasti),
        line: f.code().line_at(f.lasti).map_or(-1, |l| l as i32),
    }))
}

fn repr_or_note(vm: &mut Vm, v: &Value) -> String {
    match vm.repr(v) {
        Ok(s) => s,
        Err(e) => {
            let t = vm.type_name(&e.0);
            let m = vm.to_str(&e.0).unwrap_or_default();
            format!("<repr failed: {t}: {m}>")
        }
    }
}

/// The bound names of a frame: fast locals and cells in slot order, or (module and class
/// bodies) its namespace.
fn frame_vars(f: &crate::frame::Frame) -> Vec<(String, Value)> {
    if f.func().is_none()
        && let Some(d) = &f.locals_dict
    {
        return d
            .borrow()
            .iter()
            .filter_map(|e| match &e.key {
                Value::Str(k) => Some((k.s.to_string(), e.value.clone())),
                _ => None,
            })
            .collect();
    }
    let mut out = Vec::new();
    for (i, v) in f.locals().iter().enumerate() {
        let v = match v {
            Value::Cell(c) => c.borrow().clone(),
            other => other.clone(),
        };
        if !v.is_null() {
            out.push((f.code().slot_name(i as u32).to_string(), v));
        }
    }
    out
}

extern "C" fn frame_locals(ctx: HostCtx, depth: u32) -> HostResult<RVec<LocalVar>> {
    let (_, vm) = parts(ctx);
    res(frame_at(vm, depth).map(|f| {
        let vars = frame_vars(f);
        vars.iter()
            .map(|(n, v)| LocalVar {
                name: RString::from(n.as_str()),
                repr: RString::from(repr_or_note(vm, v)),
            })
            .collect()
    }))
}

extern "C" fn frame_eval(ctx: HostCtx, depth: u32, source: RStr<'_>) -> HostResult<RString> {
    let (_, vm) = parts(ctx);
    res((|| {
        let f = frame_at(vm, depth)?;
        let code =
            vigil_compiler::compile(source.as_str(), "<debugger>", vigil_compiler::Mode::Eval)
                .map_err(|e| {
                    HostError::new(ErrorKind::PYTHON_ERROR, format!("SyntaxError: {e}"))
                })?;
        let globals = f.globals().clone();
        let locals = match (f.func(), &f.locals_dict) {
            (None, Some(d)) => d.clone(),
            _ => {
                let mut t = crate::dict::Table::new();
                for (n, v) in frame_vars(f) {
                    let k = vm.intern(&n);
                    Vm::table_set_str(&mut t, k, v);
                }
                Rc::new(RefCell::new(t))
            }
        };
        // No events while the expression runs (it is the tool's, not the program's).
        let tracing = vm.monitoring.s.tracing.clone();
        let _quiet = tracing.enter();
        match vm.run_code(&code, globals, Some(locals)) {
            Ok(v) => Ok(RString::from(repr_or_note(vm, &v))),
            Err(e) => Err(py_err(vm, e)),
        }
    })())
}

#[cfg(feature = "abi-next")]
extern "C" fn next_probe(_: HostCtx) -> u32 {
    0
}

static VTABLE: WithMetadata<HostVTable> = WithMetadata::new(HostVTable {
    use_tool_id,
    free_tool_id,
    get_tool,
    get_events,
    set_events,
    get_local_events,
    set_local_events,
    restart_events,
    register_callback,
    report_error,
    code_name,
    code_qualname,
    code_filename,
    code_first_line,
    code_line_table,
    code_children,
    value_kind,
    value_type_name,
    value_repr,
    value_to_i64,
    value_to_f64,
    value_to_str,
    value_to_bool,
    exception_type_name,
    exception_args,
    callable_qualname,
    program_path,
    code_branches,
    disable_branch_direction,
    value_items,
    value_as_code,
    callable_name,
    builtin_self_type_name,
    frame_count,
    frame_info,
    frame_locals,
    frame_eval,
    builtin_key,
    #[cfg(feature = "abi-next")]
    next_probe,
});
