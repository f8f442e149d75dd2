//! The safe SDK: the [`Tool`] trait a plugin implements, the [`Host`] handle it talks to, the
//! [`Code`] and [`Value`] views, and the machinery behind [`crate::export_plugin!`].
//!
//! Every `extern "C"` entry point generated here (each callback, `create`, `finish`,
//! `release`) runs the plugin's code under `catch_unwind`: unwinding out of an `extern "C"`
//! function aborts the process, and a third-party bug must not take the user's program down.
//! A caught panic is reported to the host with `report_error` and turned into
//! [`Action::ERROR`] or a [`PluginError`]; after one, the tool answers every further callback
//! with `ERROR` without running user code again. This module owns no host-side logic.

use std::cell::{Cell, UnsafeCell};
use std::ffi::c_void;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU32, Ordering};

use abi_stable::prefix_type::{PrefixTypeTrait, WithMetadata};
use abi_stable::std_types::{RNone, RResult, RSome, RStr, RString, RVec};

use crate::abi::{
    ABI_VERSION, Action, BranchEntry, Callback, Callbacks, CallbacksRef, CodeHandle, ErrorKind,
    EventHints, FrameInfo, HostApi, HostError, HostResult, LEAN_DELIVERY, LineEntry, LocalVar,
    PluginError, PluginMod, PluginModRef, ToolInstance, ToolState, ValueKind, ValueRef,
};
use crate::events::{Event, EventSet, ToolId};

/// A monitoring tool, written in safe Rust.
///
/// Every event method has a default that does nothing and returns [`Action::CONTINUE`];
/// override the ones listed in [`Tool::EVENTS`]. Events are delivered only once the tool
/// asks for them with [`Host::set_events`] or [`Host::set_local_events`] (usually in
/// [`Tool::create`]), exactly as with CPython's `sys.monitoring`.
#[allow(unused_variables)] // the default bodies ignore their arguments by design
pub trait Tool: Sized + 'static {
    /// The plugin's name; a session's `plugin = "NAME"` finds `libvigil_NAME.so`.
    const NAME: &'static str;
    /// The plugin's version, shown by `vigil plugins`.
    const VERSION: &'static str;
    /// The events this tool handles: the vtable gets a callback for each of them.
    const EVENTS: EventSet;

    /// Builds the tool. `settings` is the session's `[tool.settings]` table as TOML text
    /// (empty if there is none); reject bad settings with [`PluginError::settings`], naming
    /// the key.
    fn create(host: &Host, settings: &str) -> Result<Self, PluginError>;

    /// The program has ended with `exit_code`: write the reports.
    fn finish(&mut self, host: &Host, exit_code: i32) -> Result<(), PluginError> {
        Ok(())
    }

    /// An optional fast path for PY_START, tried before [`Tool::py_start`]: either handle the
    /// event completely and return `true`, or change nothing and return `false` (the SDK
    /// then calls `py_start` as usual). It gets no [`Host`], so it cannot call the host; it
    /// is meant for the common case of a hot event, written without calls (rare work is left
    /// to `py_start`), so that its trampoline saves no registers. It must not call the host
    /// through a [`Host`] kept from elsewhere either: the SDK runs it without the re-entrancy
    /// mark of the full callbacks, so it must be unable to cause an event. A panic in it still
    /// disables the tool with a report (only the default panic message is not suppressed).
    /// The same holds for [`Tool::py_resume_fast`], [`Tool::py_return_fast`],
    /// [`Tool::py_yield_fast`], [`Tool::call_fast`], [`Tool::c_return_fast`],
    /// [`Tool::line_fast`], [`Tool::jump_fast`] and [`Tool::branch_fast`].
    ///
    /// A tool whose fast paths take nearly every occurrence should also give the hint
    /// [`EventHints::LEAN`](crate::EventHints::LEAN) (with
    /// [`Host::set_events_hinted`]): a host may then call these fast paths alone, without
    /// the re-entrancy mark and the value slots of an ordinary delivery, and deliver again
    /// the ordinary way only when one declines ([`LEAN_DELIVERY`](crate::LEAN_DELIVERY)).
    #[inline(always)]
    fn py_start_fast(&mut self, code: CodeHandle, offset: u32) -> bool {
        false
    }
    /// The fast path for PY_RESUME (see [`Tool::py_start_fast`]).
    #[inline(always)]
    fn py_resume_fast(&mut self, code: CodeHandle, offset: u32) -> bool {
        false
    }
    /// The fast path for PY_RETURN (see [`Tool::py_start_fast`]); the value is not passed.
    #[inline(always)]
    fn py_return_fast(&mut self, code: CodeHandle, offset: u32) -> bool {
        false
    }
    /// The fast path for PY_YIELD (see [`Tool::py_start_fast`]); the value is not passed.
    #[inline(always)]
    fn py_yield_fast(&mut self, code: CodeHandle, offset: u32) -> bool {
        false
    }
    /// The fast path for CALL (see [`Tool::py_start_fast`]), tried before [`Tool::call`].
    /// The callable and first argument come as raw handles: with no [`Host`], only what the
    /// handle itself says can be read ([`ValueRef::is_python_function`],
    /// [`ValueRef::carried_builtin_key`]).
    #[inline(always)]
    fn call_fast(
        &mut self,
        code: CodeHandle,
        offset: u32,
        callable: ValueRef,
        arg0: ValueRef,
    ) -> bool {
        false
    }
    /// The fast path for C_RETURN (see [`Tool::call_fast`]), tried before [`Tool::c_return`].
    #[inline(always)]
    fn c_return_fast(
        &mut self,
        code: CodeHandle,
        offset: u32,
        callable: ValueRef,
        arg0: ValueRef,
    ) -> bool {
        false
    }

    /// The fast path for LINE (see [`Tool::py_start_fast`]): `line` is the line number.
    #[inline(always)]
    fn line_fast(&mut self, code: CodeHandle, line: u32) -> bool {
        false
    }
    /// The fast path for JUMP (see [`Tool::py_start_fast`]).
    #[inline(always)]
    fn jump_fast(&mut self, code: CodeHandle, offset: u32, dest: u32) -> bool {
        false
    }
    /// The fast path for BRANCH (see [`Tool::py_start_fast`]).
    #[inline(always)]
    fn branch_fast(&mut self, code: CodeHandle, offset: u32, dest: u32) -> bool {
        false
    }

    /// PY_START: a Python function starts.
    fn py_start(&mut self, host: &Host, code: Code<'_>, offset: u32) -> Action {
        Action::CONTINUE
    }
    /// PY_RESUME: a generator or coroutine resumes.
    fn py_resume(&mut self, host: &Host, code: Code<'_>, offset: u32) -> Action {
        Action::CONTINUE
    }
    /// PY_RETURN: a Python function returns `value`.
    fn py_return(&mut self, host: &Host, code: Code<'_>, offset: u32, value: Value<'_>) -> Action {
        Action::CONTINUE
    }
    /// PY_YIELD: a generator yields `value`.
    fn py_yield(&mut self, host: &Host, code: Code<'_>, offset: u32, value: Value<'_>) -> Action {
        Action::CONTINUE
    }
    /// CALL: `callable` is about to be called; `arg0` is its first argument or MISSING.
    fn call(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        Action::CONTINUE
    }
    /// LINE: an instruction on `line` is about to run.
    fn line(&mut self, host: &Host, code: Code<'_>, line: u32) -> Action {
        Action::CONTINUE
    }
    /// INSTRUCTION: the instruction at `offset` is about to run.
    fn instruction(&mut self, host: &Host, code: Code<'_>, offset: u32) -> Action {
        Action::CONTINUE
    }
    /// JUMP: an unconditional jump from `offset` to `destination`.
    fn jump(&mut self, host: &Host, code: Code<'_>, offset: u32, destination: u32) -> Action {
        Action::CONTINUE
    }
    /// BRANCH: a conditional branch at `offset` goes to `destination`.
    fn branch(&mut self, host: &Host, code: Code<'_>, offset: u32, destination: u32) -> Action {
        Action::CONTINUE
    }
    /// STOP_ITERATION: an artificial `StopIteration`.
    fn stop_iteration(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        exc: Value<'_>,
    ) -> Action {
        Action::CONTINUE
    }
    /// RAISE: `exc` is raised.
    fn raise(&mut self, host: &Host, code: Code<'_>, offset: u32, exc: Value<'_>) -> Action {
        Action::CONTINUE
    }
    /// EXCEPTION_HANDLED: `exc` is caught.
    fn exception_handled(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        exc: Value<'_>,
    ) -> Action {
        Action::CONTINUE
    }
    /// PY_UNWIND: a Python function exits by `exc`.
    fn py_unwind(&mut self, host: &Host, code: Code<'_>, offset: u32, exc: Value<'_>) -> Action {
        Action::CONTINUE
    }
    /// PY_THROW: `exc` is thrown into a generator or coroutine.
    fn py_throw(&mut self, host: &Host, code: Code<'_>, offset: u32, exc: Value<'_>) -> Action {
        Action::CONTINUE
    }
    /// RERAISE: `exc` is re-raised.
    fn reraise(&mut self, host: &Host, code: Code<'_>, offset: u32, exc: Value<'_>) -> Action {
        Action::CONTINUE
    }
    /// C_RETURN: a builtin `callable` returned.
    fn c_return(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        Action::CONTINUE
    }
    /// C_RAISE: a builtin `callable` raised.
    fn c_raise(
        &mut self,
        host: &Host,
        code: Code<'_>,
        offset: u32,
        callable: Value<'_>,
        arg0: Value<'_>,
    ) -> Action {
        Action::CONTINUE
    }
}

// ---------------------------------------------------------------------------------------------
// Host.

/// The plugin's handle on the host: `sys.monitoring` for its own tool id, and the views.
///
/// Cheap to copy. The methods act on this tool's id; [`Host::raw`] reaches the raw table for
/// anything else (other tools' ids, or deliberately invalid arguments in tests).
#[derive(Clone, Copy)]
pub struct Host {
    api: HostApi,
    tool: ToolId,
}

fn res<T>(r: HostResult<T>) -> Result<T, HostError> {
    r.into_result()
}

impl Host {
    /// Wraps the raw API for `tool`.
    pub fn new(api: HostApi, tool: ToolId) -> Host {
        Host { api, tool }
    }

    /// This tool's id.
    pub fn tool_id(&self) -> ToolId {
        self.tool
    }

    /// The raw Host API.
    pub fn raw(&self) -> HostApi {
        self.api
    }

    fn id(&self) -> i32 {
        self.tool.index() as i32
    }

    /// `sys.monitoring.get_events(tool)`.
    pub fn get_events(&self) -> Result<EventSet, HostError> {
        res((self.api.vtable.get_events())(self.api.ctx, self.id()))
    }

    /// `sys.monitoring.set_events(tool, events)`.
    pub fn set_events(&self, events: EventSet) -> Result<(), HostError> {
        res((self.api.vtable.set_events())(
            self.api.ctx,
            self.id(),
            events.bits(),
        ))
    }

    /// `sys.monitoring.set_events(tool, events)` with delivery hints ([`EventHints`]): `Ok(true)`
    /// when the host took the hints, `Ok(false)` when it predates them (it refused the hint
    /// bits as an invalid event set) and the events were set without them.
    pub fn set_events_hinted(
        &self,
        events: EventSet,
        hints: EventHints,
    ) -> Result<bool, HostError> {
        let hints = hints.0 & EventHints::MASK;
        if hints == 0 {
            return self.set_events(events).map(|()| false);
        }
        let set = self.api.vtable.set_events();
        match res(set(self.api.ctx, self.id(), events.bits() | hints)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind == ErrorKind::VALUE_ERROR => self.set_events(events).map(|()| false),
            Err(e) => Err(e),
        }
    }

    /// `sys.monitoring.get_local_events(tool, code)`.
    pub fn get_local_events(&self, code: CodeHandle) -> Result<EventSet, HostError> {
        res((self.api.vtable.get_local_events())(
            self.api.ctx,
            self.id(),
            code,
        ))
    }

    /// `sys.monitoring.set_local_events(tool, code, events)`.
    pub fn set_local_events(&self, code: CodeHandle, events: EventSet) -> Result<(), HostError> {
        res((self.api.vtable.set_local_events())(
            self.api.ctx,
            self.id(),
            code,
            events.bits(),
        ))
    }

    /// `sys.monitoring.restart_events()`.
    pub fn restart_events(&self) -> Result<(), HostError> {
        res((self.api.vtable.restart_events())(self.api.ctx))
    }

    /// `sys.monitoring.register_callback(tool, event, func)`: sets (or with `None` clears) the
    /// callback for `event` and returns the previous one.
    pub fn register_callback(
        &self,
        event: Event,
        callback: Option<Callback>,
    ) -> Result<Option<Callback>, HostError> {
        if let Some(cb) = callback
            && cb.event() != event
        {
            return Err(HostError::value_error(format!(
                "a {} callback cannot be registered for {event}",
                cb.event()
            )));
        }
        let raw = match callback {
            Some(cb) => RSome(cb.to_raw()),
            None => RNone,
        };
        let prev = res((self.api.vtable.register_callback())(
            self.api.ctx,
            self.id(),
            event.set().bits(),
            raw,
        ))?;
        // SAFETY: the host hands back what was registered for this same event.
        Ok(prev
            .into_option()
            .map(|p| unsafe { Callback::from_raw(event, p) }))
    }

    /// `sys.monitoring.get_tool(id)`.
    pub fn get_tool(&self, id: ToolId) -> Result<Option<String>, HostError> {
        res((self.api.vtable.get_tool())(
            self.api.ctx,
            id.index() as i32,
        ))
        .map(|n| n.into_option().map(RString::into_string))
    }

    /// `sys.monitoring.free_tool_id(tool)` for this tool.
    pub fn free_tool_id(&self) -> Result<(), HostError> {
        res((self.api.vtable.free_tool_id())(self.api.ctx, self.id()))
    }

    /// Tells the host why this tool is about to fail.
    pub fn report_error(&self, message: &str) {
        (self.api.vtable.report_error())(self.api.ctx, self.id(), RStr::from_str(message))
    }

    /// A view of a code object from a handle kept from an earlier callback.
    pub fn code(&self, handle: CodeHandle) -> Code<'_> {
        Code { host: self, handle }
    }

    /// The main script's absolute path, as its code objects' `co_filename` spells it.
    /// `Unsupported` from a host that predates the call.
    pub fn program_path(&self) -> Result<String, HostError> {
        let f = self
            .api
            .vtable
            .program_path()
            .ok_or_else(|| too_old("program_path"))?;
        res(f(self.api.ctx)).map(RString::into_string)
    }

    /// Stops BRANCH events at `offset` of `code` that go to `destination`, for this tool only,
    /// leaving the other direction live (see [`crate::abi::HostVTable::disable_branch_direction`]).
    pub fn disable_branch_direction(
        &self,
        code: CodeHandle,
        offset: u32,
        destination: u32,
    ) -> Result<(), HostError> {
        let f = self
            .api
            .vtable
            .disable_branch_direction()
            .ok_or_else(|| too_old("disable_branch_direction"))?;
        res(f(self.api.ctx, self.id(), code, offset, destination))
    }

    /// The number of Python frames on the stack (valid inside a callback).
    pub fn frame_count(&self) -> Result<u32, HostError> {
        let f = self
            .api
            .vtable
            .frame_count()
            .ok_or_else(|| too_old("frame_count"))?;
        res(f(self.api.ctx))
    }

    /// Frame `depth` (0 = the frame of the current event).
    pub fn frame_info(&self, depth: u32) -> Result<FrameInfo, HostError> {
        let f = self
            .api
            .vtable
            .frame_info()
            .ok_or_else(|| too_old("frame_info"))?;
        res(f(self.api.ctx, depth))
    }

    /// The bound local variables of frame `depth`, as `(name, repr)`.
    pub fn frame_locals(&self, depth: u32) -> Result<Vec<(String, String)>, HostError> {
        let f = self
            .api
            .vtable
            .frame_locals()
            .ok_or_else(|| too_old("frame_locals"))?;
        res(f(self.api.ctx, depth)).map(|v| {
            v.into_iter()
                .map(|LocalVar { name, repr }| (name.into_string(), repr.into_string()))
                .collect()
        })
    }

    /// `repr(eval(source))` in frame `depth`; a raised exception is a `PythonError` whose
    /// message is `Type: message`.
    pub fn frame_eval(&self, depth: u32, source: &str) -> Result<String, HostError> {
        let f = self
            .api
            .vtable
            .frame_eval()
            .ok_or_else(|| too_old("frame_eval"))?;
        res(f(self.api.ctx, depth, RStr::from_str(source))).map(RString::into_string)
    }
}

/// The error for a Host API function this host does not have.
fn too_old(what: &str) -> HostError {
    HostError::new(
        ErrorKind::UNSUPPORTED,
        format!("the host does not provide `{what}` (it predates that Host API function)"),
    )
}

// ---------------------------------------------------------------------------------------------
// Views.

/// A read-only view of a code object. Every accessor is one Host API call; string accessors
/// allocate, the rest do not.
#[derive(Clone, Copy)]
pub struct Code<'h> {
    host: &'h Host,
    handle: CodeHandle,
}

impl<'h> Code<'h> {
    /// The handle, to keep (it stays valid for the whole run).
    pub fn handle(&self) -> CodeHandle {
        self.handle
    }

    fn call<T>(
        &self,
        f: fn(HostApi) -> extern "C" fn(crate::abi::HostCtx, CodeHandle) -> HostResult<T>,
    ) -> Result<T, HostError> {
        res(f(self.host.api)(self.host.api.ctx, self.handle))
    }

    /// `co_name`.
    pub fn name(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.code_name())
            .map(RString::into_string)
    }

    /// `co_qualname`.
    pub fn qualname(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.code_qualname())
            .map(RString::into_string)
    }

    /// `co_filename`.
    pub fn filename(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.code_filename())
            .map(RString::into_string)
    }

    /// `co_firstlineno`.
    pub fn first_line(&self) -> Result<u32, HostError> {
        self.call(|a| a.vtable.code_first_line())
    }

    /// The offset → line table.
    pub fn line_table(&self) -> Result<Vec<LineEntry>, HostError> {
        self.call(|a| a.vtable.code_line_table())
            .map(RVec::into_vec)
    }

    /// The nested code objects.
    pub fn children(&self) -> Result<Vec<CodeHandle>, HostError> {
        self.call(|a| a.vtable.code_children()).map(RVec::into_vec)
    }

    /// The conditional branches (offset and both destinations).
    pub fn branches(&self) -> Result<Vec<BranchEntry>, HostError> {
        let f = self
            .host
            .api
            .vtable
            .code_branches()
            .ok_or_else(|| too_old("code_branches"))?;
        res(f(self.host.api.ctx, self.handle)).map(RVec::into_vec)
    }
}

/// A read-only view of a value, valid only during the callback that received it.
#[derive(Clone, Copy)]
pub struct Value<'cb> {
    host: &'cb Host,
    raw: ValueRef,
    _callback: PhantomData<&'cb ()>,
}

impl<'cb> Value<'cb> {
    /// A view of `raw`, for code that calls the raw vtable itself.
    pub fn new(host: &'cb Host, raw: ValueRef) -> Value<'cb> {
        Value {
            host,
            raw,
            _callback: PhantomData,
        }
    }

    /// The raw reference (valid only during this callback).
    pub fn raw(&self) -> ValueRef {
        self.raw
    }

    /// Whether this is `sys.monitoring.MISSING`; answered without calling the host.
    pub fn is_missing(&self) -> bool {
        self.raw.is_missing()
    }

    fn call<T>(
        &self,
        f: fn(HostApi) -> extern "C" fn(crate::abi::HostCtx, ValueRef) -> HostResult<T>,
    ) -> Result<T, HostError> {
        res(f(self.host.api)(self.host.api.ctx, self.raw))
    }

    /// The coarse kind.
    pub fn kind(&self) -> Result<ValueKind, HostError> {
        if self.is_missing() {
            return Ok(ValueKind::MISSING);
        }
        self.call(|a| a.vtable.value_kind())
    }

    /// `type(value).__name__`.
    pub fn type_name(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.value_type_name())
            .map(RString::into_string)
    }

    /// `repr(value)`.
    pub fn repr(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.value_repr())
            .map(RString::into_string)
    }

    /// An `int` or `bool` that fits in `i64`.
    pub fn to_i64(&self) -> Result<i64, HostError> {
        self.call(|a| a.vtable.value_to_i64())
    }

    /// A `float`.
    pub fn to_f64(&self) -> Result<f64, HostError> {
        self.call(|a| a.vtable.value_to_f64())
    }

    /// A `str`.
    pub fn to_str(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.value_to_str())
            .map(RString::into_string)
    }

    /// A `bool`.
    pub fn to_bool(&self) -> Result<bool, HostError> {
        self.call(|a| a.vtable.value_to_bool())
    }

    /// An exception's class name.
    pub fn exception_type_name(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.exception_type_name())
            .map(RString::into_string)
    }

    /// An exception's `args`.
    pub fn exception_args(&self) -> Result<Vec<Value<'cb>>, HostError> {
        let host = self.host;
        self.call(|a| a.vtable.exception_args())
            .map(|v| v.into_iter().map(|r| Value::new(host, r)).collect())
    }

    /// A callable's `__qualname__`.
    pub fn callable_qualname(&self) -> Result<String, HostError> {
        self.call(|a| a.vtable.callable_qualname())
            .map(RString::into_string)
    }

    /// The elements of a `tuple` or `list`.
    pub fn items(&self) -> Result<Vec<Value<'cb>>, HostError> {
        let f = self
            .host
            .api
            .vtable
            .value_items()
            .ok_or_else(|| too_old("value_items"))?;
        let host = self.host;
        res(f(host.api.ctx, self.raw)).map(|v| v.into_iter().map(|r| Value::new(host, r)).collect())
    }

    /// The code object of a code value, function or bound method (a handle to keep).
    pub fn as_code(&self) -> Result<CodeHandle, HostError> {
        let f = self
            .host
            .api
            .vtable
            .value_as_code()
            .ok_or_else(|| too_old("value_as_code"))?;
        res(f(self.host.api.ctx, self.raw))
    }

    /// A callable's `__name__`.
    pub fn callable_name(&self) -> Result<String, HostError> {
        let f = self
            .host
            .api
            .vtable
            .callable_name()
            .ok_or_else(|| too_old("callable_name"))?;
        res(f(self.host.api.ctx, self.raw)).map(RString::into_string)
    }

    /// The host's identity for this builtin's display (see `HostVTable::builtin_key`):
    /// `Ok(None)` when the value is not a builtin (nor for a slot wrapper such as
    /// `list.__len__`, which a profiler does not time), `Ok(Some(key))` with a key stable for the
    /// run, `Err` (`UNSUPPORTED`, also from a host that predates the function) when the tool
    /// must ask [`Value::kind`] and the name functions instead.
    #[inline]
    pub fn builtin_key(&self) -> Result<Option<u64>, HostError> {
        if self.is_python_function() {
            return Ok(None);
        }
        if self.is_missing() {
            return Ok(None);
        }
        // Carried in the handle for a tool that gave the hint `BUILTIN_KEYS`: inlined into
        // the tool's CALL callback, so this answer costs a few instructions.
        if let Some(k) = self.raw.carried_builtin_key() {
            return Ok((k != 0).then_some(k));
        }
        self.builtin_key_asked()
    }

    /// [`Value::builtin_key`] through the Host API.
    #[inline(never)]
    fn builtin_key_asked(&self) -> Result<Option<u64>, HostError> {
        let f = self
            .host
            .api
            .vtable
            .builtin_key()
            .ok_or_else(|| too_old("builtin_key"))?;
        res(f(self.host.api.ctx, self.raw)).map(|k| (k != 0).then_some(k))
    }

    /// Whether the host marked this CALL callable as a plain Python function
    /// ([`ValueRef::PY_FUNCTION`](crate::abi::ValueRef::PY_FUNCTION)): `true` is certain, `false`
    /// means "not known" (any other value, or a host that does not mark). No host call.
    pub fn is_python_function(&self) -> bool {
        self.raw.is_python_function()
    }

    /// For a builtin bound to a non-module object, `type(__self__).__name__`; for a builtin
    /// type's method descriptor (`list.append`), the owner type's name; else `None`.
    pub fn builtin_self_type_name(&self) -> Result<Option<String>, HostError> {
        let f = self
            .host
            .api
            .vtable
            .builtin_self_type_name()
            .ok_or_else(|| too_old("builtin_self_type_name"))?;
        res(f(self.host.api.ctx, self.raw)).map(|o| o.into_option().map(RString::into_string))
    }
}

// ---------------------------------------------------------------------------------------------
// The generated side of the ABI.

/// What a `ToolState` points to: the tool plus the wrapper's bookkeeping.
struct Slot<T> {
    host: Host,
    tool: UnsafeCell<T>,
    /// [`IDLE`], [`BUSY`] or [`FAULTED`]: one byte, so a callback's entry tests both with
    /// one compare.
    state: Cell<u8>,
}

/// No callback of the tool is running.
const IDLE: u8 = 0;
/// A callback runs: a re-entrant delivery to the same tool is skipped rather than aliasing
/// `&mut T` (the host should not re-enter a tool, but a plugin cannot prove that).
const BUSY: u8 = 1;
/// A callback panicked: the tool's state may be broken, so no more user code runs.
const FAULTED: u8 = 2;

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_owned()
    };
    match PANIC_LOCATION.with(|l| l.take()) {
        Some(at) => format!("{text} (at {at})"),
        None => text,
    }
}

/// How many [`guarded`] calls are active: while it is above zero, panics are reported through
/// the host, so the default hook's stderr message is replaced by a note of the location.
///
/// A process-wide counter rather than a thread-local because, in a `dlopen`ed plugin, every
/// thread-local access is a `__tls_get_addr` call, paid twice per event callback. It is sound
/// because the host only ever calls into a tool from its single interpreter thread, so the
/// counter is never updated from two threads at once; relaxed plain loads and stores (no lock
/// prefix) are enough. The one thing it gives up: a panic on some *other* thread of the plugin
/// while a callback runs would have its stderr message suppressed. That is cosmetic, since
/// the counter only decides whether the hook prints.
static GUARD_DEPTH: AtomicU32 = AtomicU32::new(0);

thread_local! {
    static PANIC_LOCATION: Cell<Option<String>> = const { Cell::new(None) };
}

/// Runs `f`, catching a panic. The first call installs a panic hook that stays silent for
/// panics inside `guarded` (recording where they happened) and defers to the previous hook
/// for every other panic, so a host that links a tool in-process keeps its own hook.
fn guarded<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARD_DEPTH.load(Ordering::Relaxed) > 0 {
                let at = info.location().map(ToString::to_string);
                PANIC_LOCATION.with(|l| l.set(at));
            } else {
                previous(info);
            }
        }));
    });
    guarded_hooked(f)
}

/// [`guarded`] once its hook is installed: what every event callback runs (the `Once` test
/// is paid at creation only).
#[inline(always)]
fn guarded_hooked<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    // Load + store instead of `fetch_add`: a locked read-modify-write costs more than the
    // thread-local it replaces, and no other thread writes the counter (see GUARD_DEPTH).
    // The way out reloads and decrements rather than restoring a saved value, so nothing
    // has to be kept in a callee-saved register or stack slot across the callback; the
    // callbacks nest (a callback's host call may run another), so the counts balance.
    GUARD_DEPTH.store(
        GUARD_DEPTH.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARD_DEPTH.store(
        GUARD_DEPTH.load(Ordering::Relaxed).wrapping_sub(1),
        Ordering::Relaxed,
    );
    result
}

/// Runs `f` on the tool behind `state`, turning a panic into `Action::ERROR`.
fn dispatch<T: Tool>(
    state: ToolState,
    what: &str,
    f: impl FnOnce(&mut T, &Host) -> Action,
) -> Action {
    // SAFETY: `state` is the pointer `create_tool` leaked for this `T`; the host passes it
    // back unchanged until `release`.
    let slot = unsafe { &*(state.0 as *const Slot<T>) };
    let st = slot.state.get();
    if st != IDLE {
        return if st == FAULTED {
            Action::ERROR
        } else {
            Action::CONTINUE
        };
    }
    slot.state.set(BUSY);
    // SAFETY: `BUSY` guarantees this is the only live reference to the tool.
    let tool = unsafe { &mut *slot.tool.get() };
    // The hook `guarded` installs once is in place: `create_tool` ran `guarded` before this
    // `state` existed.
    let result = guarded_hooked(|| f(tool, &slot.host));
    match result {
        Ok(action) => {
            slot.state.set(IDLE);
            action
        }
        Err(payload) => callback_panicked(&slot.host, &slot.state, what, payload),
    }
}

/// A callback panicked: the tool is marked faulted and the host told why.
#[cold]
#[inline(never)]
fn callback_panicked(
    host: &Host,
    state: &Cell<u8>,
    what: &str,
    payload: Box<dyn std::any::Any + Send>,
) -> Action {
    state.set(FAULTED);
    let msg = panic_message(&*payload);
    // The report itself must not unwind either.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        host.report_error(&format!("panicked in the {what} callback: {msg}"))
    }));
    Action::ERROR
}

macro_rules! trampolines {
    ($( $fn_name:ident, $method:ident, $event:literal, ($($arg:ident : $ty:ty),*) => ($($call:expr),*); )*) => {
        $(
            extern "C" fn $fn_name<T: Tool>(state: ToolState, code: CodeHandle $(, $arg: $ty)*) -> Action {
                dispatch::<T>(state, $event, |tool, host| {
                    let code = Code { host, handle: code };
                    #[allow(unused_variables)]
                    let h = host;
                    tool.$method(host, code $(, $call(h))*)
                })
            }
        )*
    };
}

fn v(raw: ValueRef) -> impl FnOnce(&Host) -> Value<'_> {
    move |h| Value::new(h, raw)
}

fn n(x: u32) -> impl FnOnce(&Host) -> u32 {
    move |_| x
}

/// The events with a fast path (see [`Tool::py_start_fast`], [`Tool::call_fast`]): PY_START,
/// PY_RESUME, PY_RETURN, PY_YIELD, CALL, C_RETURN, LINE, JUMP and BRANCH. The trampoline tries it
/// first and goes to the full, guarded callback (a separate function, entered by a tail
/// call) only when it declines. The fast path is the only work in the trampoline's body, so
/// a tool whose fast path makes no calls gets a trampoline that saves no registers (the
/// full path's calls used to cost six callee-saved pushes and pops on every event).
macro_rules! fast_trampolines {
    ($( $fn_name:ident, $full:ident, $method:ident, $fast:ident, $event:literal, ($($arg:ident : $ty:ty),*) => ($($call:expr),*) fast ($($farg:ident),*); )*) => {
        $(
            extern "C" fn $fn_name<T: Tool>(state: ToolState, code: CodeHandle, offset: u32 $(, $arg: $ty)*) -> Action {
                // SAFETY: `state` is the pointer `create_tool` leaked for this `T`; the host
                // passes it back unchanged until `release`.
                let slot = unsafe { &*(state.0 as *const Slot<T>) };
                // A lean delivery (`LEAN_DELIVERY`) gets the fast path only, and FULL when it
                // declines; the host then delivers the event again, the ordinary way.
                let lean = offset & LEAN_DELIVERY != 0;
                let offset = offset & !LEAN_DELIVERY;
                // No `BUSY` mark around the fast path, which cannot re-enter the tool: it
                // gets no `Host`, and may not use one kept from elsewhere (see
                // `Tool::py_start_fast`), so nothing it does delivers an event; its end is
                // the end of the only reference made here. (The two stores were two of the
                // ~60 instructions of a profiler PY_RESUME.) The full callback, entered
                // after the fast path has returned, marks as usual.
                if slot.state.get() == IDLE {
                    // SAFETY: `IDLE`: no callback of the tool is running (a running full
                    // callback marks `BUSY`), so this is the only live reference to it.
                    let tool = unsafe { &mut *slot.tool.get() };
                    match catch_unwind(AssertUnwindSafe(|| tool.$fast(code, offset $(, $farg)*))) {
                        Ok(true) => return Action::CONTINUE,
                        Ok(false) => {}
                        Err(payload) => {
                            return callback_panicked(&slot.host, &slot.state, $event, payload);
                        }
                    }
                }
                if lean {
                    // Declined, or the tool is not idle: the ordinary delivery that follows
                    // runs the full callback (or answers for a busy or faulted tool).
                    return Action::FULL;
                }
                $full::<T>(state, code, offset $(, $arg)*)
            }

            // `extern "C"` like the trampoline, so that the trampoline's call to it can be
            // a tail jump.
            #[inline(never)]
            extern "C" fn $full<T: Tool>(state: ToolState, code: CodeHandle, offset: u32 $(, $arg: $ty)*) -> Action {
                dispatch::<T>(state, $event, |tool, host| {
                    let code = Code { host, handle: code };
                    #[allow(unused_variables)]
                    let h = host;
                    tool.$method(host, code, offset $(, $call(h))*)
                })
            }
        )*
    };
}

fast_trampolines! {
    tr_py_start, full_py_start, py_start, py_start_fast, "PY_START", () => () fast ();
    tr_py_resume, full_py_resume, py_resume, py_resume_fast, "PY_RESUME", () => () fast ();
    tr_py_return, full_py_return, py_return, py_return_fast, "PY_RETURN", (value: ValueRef) => (v(value)) fast ();
    tr_py_yield, full_py_yield, py_yield, py_yield_fast, "PY_YIELD", (value: ValueRef) => (v(value)) fast ();
    tr_call, full_call, call, call_fast, "CALL", (callable: ValueRef, arg0: ValueRef) => (v(callable), v(arg0)) fast (callable, arg0);
    tr_c_return, full_c_return, c_return, c_return_fast, "C_RETURN", (callable: ValueRef, arg0: ValueRef) => (v(callable), v(arg0)) fast (callable, arg0);
    tr_line, full_line, line, line_fast, "LINE", () => () fast ();
    tr_jump, full_jump, jump, jump_fast, "JUMP", (dest: u32) => (n(dest)) fast (dest);
    tr_branch, full_branch, branch, branch_fast, "BRANCH", (dest: u32) => (n(dest)) fast (dest);
}

trampolines! {
    tr_instruction, instruction, "INSTRUCTION", (offset: u32) => (n(offset));
    tr_stop_iteration, stop_iteration, "STOP_ITERATION", (offset: u32, exc: ValueRef) => (n(offset), v(exc));
    tr_raise, raise, "RAISE", (offset: u32, exc: ValueRef) => (n(offset), v(exc));
    tr_exception_handled, exception_handled, "EXCEPTION_HANDLED", (offset: u32, exc: ValueRef) => (n(offset), v(exc));
    tr_py_unwind, py_unwind, "PY_UNWIND", (offset: u32, exc: ValueRef) => (n(offset), v(exc));
    tr_py_throw, py_throw, "PY_THROW", (offset: u32, exc: ValueRef) => (n(offset), v(exc));
    tr_reraise, reraise, "RERAISE", (offset: u32, exc: ValueRef) => (n(offset), v(exc));
    tr_c_raise, c_raise, "C_RAISE", (offset: u32, callable: ValueRef, arg0: ValueRef) => (n(offset), v(callable), v(arg0));
}

extern "C" fn tr_finish<T: Tool>(state: ToolState, exit_code: i32) -> RResult<(), PluginError> {
    // SAFETY: as in `dispatch`.
    let slot = unsafe { &*(state.0 as *const Slot<T>) };
    match slot.state.get() {
        IDLE => {}
        FAULTED => {
            return RResult::RErr(PluginError::failed(
                "the tool was disabled after an earlier panic",
            ));
        }
        _ => return RResult::RErr(PluginError::failed("finish called from inside a callback")),
    }
    slot.state.set(BUSY);
    // SAFETY: `BUSY` guarantees exclusivity.
    let tool = unsafe { &mut *slot.tool.get() };
    let result = guarded(|| tool.finish(&slot.host, exit_code));
    slot.state.set(IDLE);
    match result {
        Ok(r) => r.into(),
        Err(payload) => {
            slot.state.set(FAULTED);
            RResult::RErr(PluginError::panicked(panic_message(&*payload)))
        }
    }
}

extern "C" fn tr_release<T: Tool>(state: ToolState) {
    // SAFETY: the host calls `release` exactly once, last; the box came from `create_tool`.
    let slot = unsafe { Box::from_raw(state.0 as *mut Slot<T>) };
    // A panicking Drop must not unwind into the host; leaking is the lesser evil.
    let _ = guarded(move || drop(slot));
}

const fn slot_if<F: Copy>(events: EventSet, event: EventSet, f: F) -> Option<F> {
    if events.contains(event) {
        Some(f)
    } else {
        None
    }
}

/// The vtable for `T` (one per tool type; built at compile time).
struct VTable<T>(PhantomData<T>);

impl<T: Tool> VTable<T> {
    const CALLBACKS: Callbacks = {
        let e = T::EVENTS;
        Callbacks {
            finish: tr_finish::<T>,
            release: tr_release::<T>,
            py_start: slot_if(e, EventSet::PY_START, tr_py_start::<T> as _),
            py_resume: slot_if(e, EventSet::PY_RESUME, tr_py_resume::<T> as _),
            py_return: slot_if(e, EventSet::PY_RETURN, tr_py_return::<T> as _),
            py_yield: slot_if(e, EventSet::PY_YIELD, tr_py_yield::<T> as _),
            call: slot_if(e, EventSet::CALL, tr_call::<T> as _),
            line: slot_if(e, EventSet::LINE, tr_line::<T> as _),
            instruction: slot_if(e, EventSet::INSTRUCTION, tr_instruction::<T> as _),
            jump: slot_if(e, EventSet::JUMP, tr_jump::<T> as _),
            branch: slot_if(e, EventSet::BRANCH, tr_branch::<T> as _),
            stop_iteration: slot_if(e, EventSet::STOP_ITERATION, tr_stop_iteration::<T> as _),
            raise: slot_if(e, EventSet::RAISE, tr_raise::<T> as _),
            exception_handled: slot_if(
                e,
                EventSet::EXCEPTION_HANDLED,
                tr_exception_handled::<T> as _,
            ),
            py_unwind: slot_if(e, EventSet::PY_UNWIND, tr_py_unwind::<T> as _),
            py_throw: slot_if(e, EventSet::PY_THROW, tr_py_throw::<T> as _),
            reraise: slot_if(e, EventSet::RERAISE, tr_reraise::<T> as _),
            c_return: slot_if(e, EventSet::C_RETURN, tr_c_return::<T> as _),
            c_raise: slot_if(e, EventSet::C_RAISE, tr_c_raise::<T> as _),
            #[cfg(feature = "abi-next")]
            next_probe: None,
        }
    };
    const WITH_META: &'static WithMetadata<Callbacks> = &WithMetadata::new(Self::CALLBACKS);
    const MODULE: &'static WithMetadata<PluginMod> = &WithMetadata::new(PluginMod {
        abi_version: ABI_VERSION,
        name: RStr::from_str(T::NAME),
        version: RStr::from_str(T::VERSION),
        events: T::EVENTS,
        create: create_tool::<T>,
        #[cfg(feature = "abi-next")]
        next_probe: 1,
    });
}

extern "C" fn create_tool<T: Tool>(
    api: HostApi,
    tool_id: ToolId,
    settings: RStr<'_>,
) -> RResult<ToolInstance, PluginError> {
    let host = Host::new(api, tool_id);
    let built = guarded(|| T::create(&host, settings.as_str()));
    let tool = match built {
        Ok(Ok(tool)) => tool,
        Ok(Err(e)) => return RResult::RErr(e),
        Err(payload) => return RResult::RErr(PluginError::panicked(panic_message(&*payload))),
    };
    let slot = Box::new(Slot {
        host,
        tool: UnsafeCell::new(tool),
        state: Cell::new(IDLE),
    });
    RResult::ROk(ToolInstance {
        state: ToolState(Box::into_raw(slot) as *mut c_void),
        callbacks: CallbacksRef(VTable::<T>::WITH_META.static_as_prefix()),
    })
}

/// The root module for `T`; called by the code [`crate::export_plugin!`] generates.
#[doc(hidden)]
pub fn root_module<T: Tool>() -> PluginModRef {
    PluginModRef(VTable::<T>::MODULE.static_as_prefix())
}

/// A [`ToolInstance`] for `T` built without a shared library, for in-process hosts and tests.
#[doc(hidden)]
pub fn create_in_process<T: Tool>(
    api: HostApi,
    tool_id: ToolId,
    settings: &str,
) -> Result<ToolInstance, PluginError> {
    create_tool::<T>(api, tool_id, RStr::from_str(settings)).into_result()
}

#[allow(dead_code)]
fn _assert_prefix_trait()
where
    Callbacks: PrefixTypeTrait,
{
}

/// Exports `$tool` (a type implementing [`Tool`]) as this library's vigil plugin.
///
/// Use it once, in a `cdylib` crate. It generates the abi_stable root module; the plugin needs
/// no direct dependency on abi_stable.
#[macro_export]
macro_rules! export_plugin {
    ($tool:ty) => {
        #[doc(hidden)]
        pub fn __vigil_plugin_root_module() -> $crate::abi::PluginModRef {
            $crate::sdk::root_module::<$tool>()
        }

        #[doc(hidden)]
        #[unsafe(export_name = $crate::__root_module_loader_name!())]
        pub static __VIGIL_PLUGIN_LIB_HEADER: $crate::__private::abi_stable::library::LibHeader = {
            extern "C" fn erased() -> $crate::__private::abi_stable::library::RootModuleResult {
                $crate::__private::abi_stable::library::__call_root_module_loader(
                    __vigil_plugin_root_module,
                )
            }
            // SAFETY: `erased` returns the root module of exactly this type, which is what
            // abi_stable requires of the constructor it stores in the header.
            unsafe {
                $crate::__private::abi_stable::library::LibHeader::from_constructor::<
                    $crate::abi::PluginModRef,
                >(
                    erased,
                    $crate::__private::abi_stable::library::CheckTypeLayout::Yes,
                )
            }
        };
    };
}
