//! [`DetachedHost`]: the Host API with no program attached — the tool registry, global and
//! local event sets and callback slots, validated with CPython 3.13's rules and messages, and
//! a reference implementation of event delivery.
//!
//! It serves three purposes. `vigil check` creates every tool against it to validate settings
//! without running anything. The end-to-end tests drive real loaded plugins through it. And it
//! is the executable specification of the contract the VM implements later over its own
//! monitoring core: how `create` is preceded by `use_tool_id`, how a tool's vtable slots become
//! its registered callbacks, how a callback's [`Action`] is handled, and how a faulty tool is
//! disabled. It has no code objects of its own (tests may register synthetic ones) and no
//! values besides MISSING, so most views answer `Unsupported`. It does not implement
//! per-location DISABLE bookkeeping beyond recording it, nor instrumentation versions.

use std::cell::RefCell;
use std::ffi::c_void;

use abi_stable::prefix_type::WithMetadata;
use abi_stable::std_types::{RNone, ROption, RResult, RSome, RStr, RString, RVec};
use vigil_plugin_api::abi::{
    Action, BranchEntry, Callback, CodeHandle, ErrorKind, FrameInfo, HostApi, HostCtx, HostError,
    HostResult, HostVTable, HostVTableRef, LineEntry, LocalVar, RawCallback, ToolInstance,
    ToolState, ValueKind, ValueRef,
};
use vigil_plugin_api::{Event, EventSet, ToolId};

/// A synthetic code object, for tests and for hosts without a compiler.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeInfo {
    /// `co_name`.
    pub name: String,
    /// `co_qualname`.
    pub qualname: String,
    /// `co_filename`.
    pub filename: String,
    /// `co_firstlineno`.
    pub first_line: u32,
    /// Offset → line table.
    pub lines: Vec<LineEntry>,
    /// Nested code objects.
    pub children: Vec<CodeHandle>,
}

/// The arguments of one event, as [`DetachedHost::fire`] delivers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventArgs {
    /// PY_START, PY_RESUME, INSTRUCTION.
    Offset(u32),
    /// LINE.
    Line(u32),
    /// PY_RETURN, PY_YIELD and the exception events.
    Value(u32, ValueRef),
    /// CALL, C_RETURN, C_RAISE.
    Call(u32, ValueRef, ValueRef),
    /// JUMP, BRANCH.
    Jump(u32, u32),
}

/// A tool that was disabled after a fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Its id.
    pub tool: ToolId,
    /// Why, as the plugin reported it (or a generic reason).
    pub reason: String,
}

#[derive(Default)]
struct ToolSlot {
    name: Option<String>,
    events: EventSet,
    local: Vec<(CodeHandle, EventSet)>,
    callbacks: [Option<RawCallback>; Event::COUNT],
    state: Option<ToolState>,
    reported: Option<String>,
    disabled_locations: Vec<(Event, CodeHandle, u32)>,
}

#[derive(Default)]
struct State {
    tools: [ToolSlot; ToolId::COUNT],
    codes: Vec<CodeInfo>,
    faults: Vec<Fault>,
    restarts: u32,
}

/// The Host API without a program; see the module docs.
///
/// Single-threaded, like the VM. It is handed out boxed because the [`HostApi`] it produces
/// points at it.
pub struct DetachedHost {
    state: RefCell<State>,
}

fn err<T>(kind: ErrorKind, message: String) -> HostResult<T> {
    RResult::RErr(HostError::new(kind, message))
}

fn check_tool(tool: i32) -> Result<usize, HostError> {
    if (0..ToolId::COUNT as i32).contains(&tool) {
        Ok(tool as usize)
    } else {
        Err(HostError::value_error(format!(
            "invalid tool {tool} (must be between 0 and 5)"
        )))
    }
}

/// CPython's E1 steps 3–5: range, the C_RETURN/C_RAISE rule, then the C bits dropped.
fn check_event_set(events: u32, local: bool) -> Result<EventSet, HostError> {
    if !local && events >= 1 << Event::COUNT {
        return Err(HostError::value_error(format!(
            "invalid event set 0x{events:x}"
        )));
    }
    let c = EventSet::C_RETURN.bits() | EventSet::C_RAISE.bits();
    let call_c = c | EventSet::CALL.bits();
    if events & c != 0 && events & call_c != call_c {
        return Err(HostError::value_error(
            "cannot set C_RETURN or C_RAISE events independently",
        ));
    }
    let events = events & !c;
    if local && events >= 1 << 10 {
        return Err(HostError::value_error(format!(
            "invalid local event set 0x{events:x}"
        )));
    }
    Ok(EventSet::from_bits_truncate(events))
}

fn in_use(slot: &ToolSlot, tool: usize) -> Result<(), HostError> {
    if slot.name.is_some() {
        Ok(())
    } else {
        Err(HostError::value_error(format!("tool {tool} is not in use")))
    }
}

impl DetachedHost {
    /// A host with every tool slot free.
    pub fn new() -> Box<DetachedHost> {
        Box::new(DetachedHost {
            state: RefCell::new(State::default()),
        })
    }

    /// The Host API pointing at this host (valid while `self` lives).
    pub fn api(&self) -> HostApi {
        HostApi {
            ctx: HostCtx(self as *const DetachedHost as *const c_void),
            vtable: HostVTableRef(VTABLE.static_as_prefix()),
        }
    }

    fn with<T>(ctx: HostCtx, f: impl FnOnce(&mut State) -> Result<T, HostError>) -> HostResult<T> {
        // SAFETY: `ctx` comes from `api()` on a live, boxed DetachedHost.
        let host = unsafe { &*(ctx.0 as *const DetachedHost) };
        match host.state.try_borrow_mut() {
            Ok(mut state) => f(&mut state).into(),
            Err(_) => err(
                ErrorKind::UNSUPPORTED,
                "the host is busy (a Host API call re-entered it)".to_owned(),
            ),
        }
    }

    /// Registers a synthetic code object and returns its handle.
    pub fn register_code(&self, info: CodeInfo) -> CodeHandle {
        let mut s = self.state.borrow_mut();
        s.codes.push(info);
        // Handles start at 1 so that 0 is never valid: a zeroed handle is a plugin bug.
        CodeHandle(s.codes.len() as u64)
    }

    /// Installs a created tool: its vtable slots become its registered callbacks, exactly as
    /// if the plugin had called `register_callback` for each.
    pub fn attach(&self, tool: ToolId, instance: &ToolInstance) {
        let mut s = self.state.borrow_mut();
        let slot = &mut s.tools[tool.index()];
        slot.state = Some(instance.state);
        for event in Event::ALL {
            slot.callbacks[event as usize] = instance.callbacks.slot(event).map(Callback::to_raw);
        }
    }

    /// Disables a tool after a fault: clears its events and callbacks so it gets nothing more,
    /// and records the reason (the plugin's `report_error` message, if it sent one).
    pub fn disable(&self, tool: ToolId, fallback_reason: &str) -> Fault {
        let mut s = self.state.borrow_mut();
        let slot = &mut s.tools[tool.index()];
        slot.events = EventSet::empty();
        slot.local.clear();
        slot.callbacks = [None; Event::COUNT];
        slot.state = None;
        let reason = slot
            .reported
            .take()
            .unwrap_or_else(|| fallback_reason.to_owned());
        let fault = Fault { tool, reason };
        s.faults.push(fault.clone());
        fault
    }

    /// The message a plugin reported for `tool` and no fault has consumed yet.
    pub fn take_reported(&self, tool: ToolId) -> Option<String> {
        self.state.borrow_mut().tools[tool.index()].reported.take()
    }

    /// Faults so far.
    pub fn faults(&self) -> Vec<Fault> {
        self.state.borrow().faults.clone()
    }

    /// How many times `restart_events` was called.
    pub fn restarts(&self) -> u32 {
        self.state.borrow().restarts
    }

    /// The (tool, event, code, offset) locations DISABLEd so far.
    pub fn disabled_locations(&self, tool: ToolId) -> Vec<(Event, CodeHandle, u32)> {
        self.state.borrow().tools[tool.index()]
            .disabled_locations
            .clone()
    }

    /// Delivers one event at `code` to every tool that wants it, highest id first (CPython
    /// 3.13's order, spec M1), and
    /// applies what each returns; returns the (tool, action) pairs. This is the reference for
    /// the VM: a tool gets the event if it is in its global set or its local set for `code`
    /// (C_RETURN/C_RAISE follow CALL) and it has a callback; `DISABLE` on a local event records
    /// the location, on any other event it removes the callback (CPython raises
    /// `ValueError: Cannot disable <EVENT> events. Callback removed.` into the program); `ERROR`
    /// disables the tool.
    pub fn fire(&self, event: Event, code: CodeHandle, args: EventArgs) -> Vec<(ToolId, Action)> {
        let mut out = Vec::new();
        let tools: Vec<ToolId> = ToolId::all().collect();
        for &tool in tools.iter().rev() {
            // Copy what is needed and release the borrow: the callback may call back in.
            let (cb, state) = {
                let s = self.state.borrow();
                let slot = &s.tools[tool.index()];
                let trigger = match event {
                    Event::CReturn | Event::CRaise => Event::Call,
                    e => e,
                };
                let local = slot
                    .local
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map_or(EventSet::empty(), |(_, e)| *e);
                let offset = match args {
                    EventArgs::Offset(o)
                    | EventArgs::Value(o, _)
                    | EventArgs::Call(o, _, _)
                    | EventArgs::Jump(o, _) => Some(o),
                    EventArgs::Line(_) => None,
                };
                let disabled = slot
                    .disabled_locations
                    .iter()
                    .any(|&(e, c, o)| e == event && c == code && Some(o) == offset);
                if !(slot.events | local).contains(trigger.set()) || disabled {
                    continue;
                }
                match (slot.callbacks[event as usize], slot.state) {
                    (Some(cb), Some(state)) => (cb, state),
                    _ => continue,
                }
            };
            // SAFETY: slots hold callbacks registered for this very event.
            let action = match (unsafe { Callback::from_raw(event, cb) }, args) {
                (
                    Callback::PyStart(f) | Callback::PyResume(f) | Callback::Instruction(f),
                    EventArgs::Offset(o),
                ) => f(state, code, o),
                (Callback::Line(f), EventArgs::Line(l)) => f(state, code, l),
                (
                    Callback::PyReturn(f)
                    | Callback::PyYield(f)
                    | Callback::StopIteration(f)
                    | Callback::Raise(f)
                    | Callback::ExceptionHandled(f)
                    | Callback::PyUnwind(f)
                    | Callback::PyThrow(f)
                    | Callback::Reraise(f),
                    EventArgs::Value(o, v),
                ) => f(state, code, o, v),
                (
                    Callback::Call(f) | Callback::CReturn(f) | Callback::CRaise(f),
                    EventArgs::Call(o, c, a),
                ) => f(state, code, o, c, a),
                (Callback::Jump(f) | Callback::Branch(f), EventArgs::Jump(o, d)) => {
                    f(state, code, o, d)
                }
                _ => panic!("{event} fired with arguments of another event: {args:?}"),
            };
            match action {
                Action::CONTINUE => {}
                Action::DISABLE if event.is_local() => {
                    let offset = match args {
                        EventArgs::Offset(o)
                        | EventArgs::Value(o, _)
                        | EventArgs::Call(o, _, _)
                        | EventArgs::Jump(o, _) => o,
                        EventArgs::Line(l) => l,
                    };
                    self.state.borrow_mut().tools[tool.index()]
                        .disabled_locations
                        .push((event, code, offset));
                }
                Action::DISABLE => {
                    self.state.borrow_mut().tools[tool.index()].callbacks[event as usize] = None;
                }
                _ => {
                    self.disable(tool, "a callback failed without a message");
                }
            }
            out.push((tool, action));
        }
        out
    }
}

extern "C" fn use_tool_id(ctx: HostCtx, tool: i32, name: RStr<'_>) -> HostResult<()> {
    DetachedHost::with(ctx, |s| {
        let t = check_tool(tool)?;
        if s.tools[t].name.is_some() {
            return Err(HostError::value_error(format!(
                "tool {t} is already in use"
            )));
        }
        s.tools[t].name = Some(name.to_string());
        Ok(())
    })
}

extern "C" fn free_tool_id(ctx: HostCtx, tool: i32) -> HostResult<()> {
    // 3.13 only drops the name; events and callbacks stay (spec T5).
    DetachedHost::with(ctx, |s| {
        let t = check_tool(tool)?;
        s.tools[t].name = None;
        Ok(())
    })
}

extern "C" fn get_tool(ctx: HostCtx, tool: i32) -> HostResult<ROption<RString>> {
    DetachedHost::with(ctx, |s| {
        let t = check_tool(tool)?;
        Ok(match &s.tools[t].name {
            Some(n) => RSome(RString::from(n.as_str())),
            None => RNone,
        })
    })
}

extern "C" fn get_events(ctx: HostCtx, tool: i32) -> HostResult<EventSet> {
    DetachedHost::with(ctx, |s| Ok(s.tools[check_tool(tool)?].events))
}

extern "C" fn set_events(ctx: HostCtx, tool: i32, events: u32) -> HostResult<()> {
    DetachedHost::with(ctx, |s| {
        let t = check_tool(tool)?;
        let events = check_event_set(events, false)?;
        in_use(&s.tools[t], t)?;
        s.tools[t].events = events;
        Ok(())
    })
}

fn check_code(s: &State, code: CodeHandle) -> Result<usize, HostError> {
    match code.0.checked_sub(1) {
        Some(i) if (i as usize) < s.codes.len() => Ok(i as usize),
        _ => Err(HostError::new(
            ErrorKind::INVALID_HANDLE,
            format!("code handle {} does not belong to this host", code.0),
        )),
    }
}

extern "C" fn get_local_events(ctx: HostCtx, tool: i32, code: CodeHandle) -> HostResult<EventSet> {
    DetachedHost::with(ctx, |s| {
        check_code(s, code)?;
        let t = check_tool(tool)?;
        Ok(s.tools[t]
            .local
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(EventSet::empty(), |(_, e)| *e))
    })
}

extern "C" fn set_local_events(
    ctx: HostCtx,
    tool: i32,
    code: CodeHandle,
    events: u32,
) -> HostResult<()> {
    DetachedHost::with(ctx, |s| {
        check_code(s, code)?;
        let t = check_tool(tool)?;
        let events = check_event_set(events, true)?;
        in_use(&s.tools[t], t)?;
        let local = &mut s.tools[t].local;
        match local.iter_mut().find(|(c, _)| *c == code) {
            Some(entry) => entry.1 = events,
            None => local.push((code, events)),
        }
        Ok(())
    })
}

extern "C" fn restart_events(ctx: HostCtx) -> HostResult<()> {
    DetachedHost::with(ctx, |s| {
        for t in &mut s.tools {
            t.disabled_locations.clear();
        }
        s.restarts += 1;
        Ok(())
    })
}

extern "C" fn register_callback(
    ctx: HostCtx,
    tool: i32,
    event: u32,
    callback: ROption<RawCallback>,
) -> HostResult<ROption<RawCallback>> {
    DetachedHost::with(ctx, |s| {
        let t = check_tool(tool)?;
        if event.count_ones() != 1 {
            return Err(HostError::value_error(
                "The callback can only be set for one event at a time",
            ));
        }
        let Some(e) = Event::from_bit(event.trailing_zeros()) else {
            return Err(HostError::value_error(format!("invalid event {event}")));
        };
        let slot = &mut s.tools[t].callbacks[e as usize];
        let previous = std::mem::replace(slot, callback.into_option());
        Ok(previous.map_or(RNone, RSome))
    })
}

extern "C" fn report_error(ctx: HostCtx, tool: i32, message: RStr<'_>) {
    let _ = DetachedHost::with(ctx, |s| {
        let t = check_tool(tool)?;
        s.tools[t].reported = Some(message.to_string());
        Ok(())
    });
}

fn code_view<T>(ctx: HostCtx, code: CodeHandle, f: impl FnOnce(&CodeInfo) -> T) -> HostResult<T> {
    DetachedHost::with(ctx, |s| {
        let i = check_code(s, code)?;
        Ok(f(&s.codes[i]))
    })
}

extern "C" fn code_name(ctx: HostCtx, code: CodeHandle) -> HostResult<RString> {
    code_view(ctx, code, |c| c.name.as_str().into())
}

extern "C" fn code_qualname(ctx: HostCtx, code: CodeHandle) -> HostResult<RString> {
    code_view(ctx, code, |c| c.qualname.as_str().into())
}

extern "C" fn code_filename(ctx: HostCtx, code: CodeHandle) -> HostResult<RString> {
    code_view(ctx, code, |c| c.filename.as_str().into())
}

extern "C" fn code_first_line(ctx: HostCtx, code: CodeHandle) -> HostResult<u32> {
    code_view(ctx, code, |c| c.first_line)
}

extern "C" fn code_line_table(ctx: HostCtx, code: CodeHandle) -> HostResult<RVec<LineEntry>> {
    code_view(ctx, code, |c| c.lines.clone().into())
}

extern "C" fn code_children(ctx: HostCtx, code: CodeHandle) -> HostResult<RVec<CodeHandle>> {
    code_view(ctx, code, |c| c.children.clone().into())
}

fn no_values<T>(value: ValueRef) -> HostResult<T> {
    if value.is_missing() {
        err(ErrorKind::TYPE_ERROR, "MISSING has no contents".to_owned())
    } else {
        err(
            ErrorKind::INVALID_HANDLE,
            format!(
                "value {} does not belong to this host (no program is running)",
                value.0
            ),
        )
    }
}

extern "C" fn value_kind(_: HostCtx, v: ValueRef) -> HostResult<ValueKind> {
    if v.is_missing() {
        RResult::ROk(ValueKind::MISSING)
    } else {
        no_values(v)
    }
}

extern "C" fn value_string(_: HostCtx, v: ValueRef) -> HostResult<RString> {
    no_values(v)
}

extern "C" fn value_i64(_: HostCtx, v: ValueRef) -> HostResult<i64> {
    no_values(v)
}

extern "C" fn value_f64(_: HostCtx, v: ValueRef) -> HostResult<f64> {
    no_values(v)
}

extern "C" fn value_bool(_: HostCtx, v: ValueRef) -> HostResult<bool> {
    no_values(v)
}

extern "C" fn value_args(_: HostCtx, v: ValueRef) -> HostResult<RVec<ValueRef>> {
    no_values(v)
}

// The tool-plugin additions to the Host API (program path, branches, frames) need a running
// program; a detached host has none.
fn no_program<T>() -> HostResult<T> {
    err(ErrorKind::UNSUPPORTED, "no program is running".to_owned())
}

extern "C" fn no_program_path(_: HostCtx) -> HostResult<RString> {
    no_program()
}

extern "C" fn no_branches(ctx: HostCtx, code: CodeHandle) -> HostResult<RVec<BranchEntry>> {
    code_view(ctx, code, |_| RVec::new())
}

extern "C" fn no_branch_direction(
    _: HostCtx,
    _: i32,
    _: CodeHandle,
    _: u32,
    _: u32,
) -> HostResult<()> {
    no_program()
}

extern "C" fn no_code_value(_: HostCtx, v: ValueRef) -> HostResult<CodeHandle> {
    no_values(v)
}

extern "C" fn no_self_type(_: HostCtx, v: ValueRef) -> HostResult<ROption<RString>> {
    no_values(v)
}

extern "C" fn no_frames(_: HostCtx) -> HostResult<u32> {
    RResult::ROk(0)
}

extern "C" fn no_frame(_: HostCtx, _: u32) -> HostResult<FrameInfo> {
    no_program()
}

extern "C" fn no_frame_locals(_: HostCtx, _: u32) -> HostResult<RVec<LocalVar>> {
    no_program()
}

extern "C" fn no_frame_eval(_: HostCtx, _: u32, _: RStr<'_>) -> HostResult<RString> {
    no_program()
}

/// Builtins are not keyed here: a tool falls back to `value_kind` and the name functions.
extern "C" fn no_builtin_key(_: HostCtx, _: ValueRef) -> HostResult<u64> {
    err(
        ErrorKind::UNSUPPORTED,
        "the detached host does not key builtins".to_owned(),
    )
}

#[cfg(feature = "abi-next")]
extern "C" fn next_probe(_: HostCtx) -> u32 {
    1
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
    value_type_name: value_string,
    value_repr: value_string,
    value_to_i64: value_i64,
    value_to_f64: value_f64,
    value_to_str: value_string,
    value_to_bool: value_bool,
    exception_type_name: value_string,
    exception_args: value_args,
    callable_qualname: value_string,
    program_path: no_program_path,
    code_branches: no_branches,
    disable_branch_direction: no_branch_direction,
    value_items: value_args,
    value_as_code: no_code_value,
    callable_name: value_string,
    builtin_self_type_name: no_self_type,
    frame_count: no_frames,
    frame_info: no_frame,
    frame_locals: no_frame_locals,
    frame_eval: no_frame_eval,
    builtin_key: no_builtin_key,
    #[cfg(feature = "abi-next")]
    next_probe,
});

#[cfg(test)]
mod tests {
    use super::*;

    fn call<T>(r: HostResult<T>) -> Result<T, String> {
        r.into_result().map_err(|e| e.to_string())
    }

    #[test]
    fn cpython_rules_and_messages() {
        let host = DetachedHost::new();
        let api = host.api();
        let v = api.vtable;
        let ctx = api.ctx;
        assert_eq!(
            call(v.set_events()(ctx, 7, 0)),
            Err("ValueError: invalid tool 7 (must be between 0 and 5)".into())
        );
        assert_eq!(
            call(v.set_events()(ctx, 2, 0)),
            Err("ValueError: tool 2 is not in use".into())
        );
        call(v.use_tool_id()(ctx, 2, "cov".into())).unwrap();
        assert_eq!(
            call(v.use_tool_id()(ctx, 2, "cov".into())),
            Err("ValueError: tool 2 is already in use".into())
        );
        assert_eq!(
            call(v.set_events()(ctx, 2, 1 << 17)),
            Err("ValueError: invalid event set 0x20000".into())
        );
        assert_eq!(
            call(v.set_events()(ctx, 2, EventSet::C_RETURN.bits())),
            Err("ValueError: cannot set C_RETURN or C_RAISE events independently".into())
        );
        call(v.set_events()(ctx, 2, (1 << 17) - 1)).unwrap();
        assert_eq!(call(v.get_events()(ctx, 2)).unwrap().bits(), 32767);
        let code = host.register_code(CodeInfo::default());
        assert_eq!(
            call(v.set_local_events()(ctx, 2, code, EventSet::RAISE.bits())),
            Err("ValueError: invalid local event set 0x400".into())
        );
        assert_eq!(
            call(v.get_local_events()(ctx, 2, CodeHandle(99))),
            Err("InvalidHandle: code handle 99 does not belong to this host".into())
        );
        assert_eq!(
            call(v.register_callback()(ctx, 2, 3, RNone)).map(|_| ()),
            Err("ValueError: The callback can only be set for one event at a time".into())
        );
        assert_eq!(
            call(v.register_callback()(ctx, 2, 1 << 17, RNone)).map(|_| ()),
            Err("ValueError: invalid event 131072".into())
        );
        call(v.free_tool_id()(ctx, 2)).unwrap();
        assert_eq!(call(v.get_tool()(ctx, 2)).unwrap(), RNone);
        // 3.13: free keeps the events (spec T5).
        assert_eq!(call(v.get_events()(ctx, 2)).unwrap().bits(), 32767);
    }
}
