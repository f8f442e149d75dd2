//! The binary interface between the vigil host and a plugin: every type that crosses the
//! shared-library boundary, and nothing else.
//!
//! Three structures cross it. The plugin exports a [`PluginMod`] root module; the host hands
//! `create` a [`HostApi`] (the plugin's `sys.monitoring`, plus read-only views of code and
//! values); `create` returns a [`ToolInstance`] whose [`Callbacks`] vtable holds one optional
//! `extern "C"` function per event. All three vtables are abi_stable *prefix types* so they can
//! grow at the end (see [`crate::docs::abi_evolution`]). Handles ([`CodeHandle`],
//! [`ValueRef`], [`ToolState`], [`HostCtx`]) are opaque integers or pointers: nothing of the
//! VM's object model is visible here. Small enumerations are `#[repr(transparent)]` integer
//! newtypes rather than Rust enums, because a newer peer may send a value this build does not
//! know, and an out-of-range Rust enum would be undefined behaviour.
//!
//! This module holds no logic beyond conversions; the safe wrappers live in [`crate::sdk`].

use std::ffi::c_void;
use std::fmt;

use abi_stable::StableAbi;
use abi_stable::library::RootModule;
use abi_stable::sabi_types::VersionStrings;
use abi_stable::std_types::{ROption, RResult, RStr, RString, RVec};

use crate::events::{Event, EventSet, ToolId};

/// The ABI generation this crate implements. A host refuses plugins whose `abi_version`
/// differs; it is bumped only for changes that prefix growth cannot express (and then the
/// crate's minor version moves too, which abi_stable checks on its own).
pub const ABI_VERSION: u32 = 1;

// ---------------------------------------------------------------------------------------------
// Handles.

/// An opaque, plugin-owned pointer to a tool's state; the host passes it back to every callback.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ToolState(pub *mut c_void);

/// An opaque, host-owned context pointer; the plugin passes it back to every Host API call.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostCtx(pub *const c_void);

/// Identifies one code object for the life of the run.
///
/// The host chooses the encoding (an index into its code registry, typically) and must check
/// every handle a plugin passes in: a foreign or stale handle is an
/// [`ErrorKind::INVALID_HANDLE`] error, never undefined behaviour. Plugins may keep handles
/// (in maps keyed by them, for example) and use them after the callback returns.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeHandle(pub u64);

/// A flag a host sets in the second argument of a *lean delivery* (the instruction offset;
/// LINE's line number), which it makes only to a tool that gave the hint
/// [`EventHints::LEAN`], and only of the events that hint names (offsets and line numbers
/// stay below 2^31). A lean delivery is a first try at the event: the host calls the
/// callback without raising the re-entrancy mark and without making the event's values
/// readable (the value arguments keep their flags, [`ValueRef::PY_FUNCTION`] and
/// [`ValueRef::KEYED`], but the Host API refuses them), so the callback may call no Host
/// API function (other than `report_error` before answering [`Action::ERROR`]). It either
/// handles the event completely and answers [`Action::CONTINUE`] (or [`Action::DISABLE`]),
/// or changes nothing and answers [`Action::FULL`], and the host then delivers the same
/// event again the ordinary way, with the flag clear. The SDK does this with the `Tool`'s
/// fast paths ([`crate::Tool::py_start_fast`]). A host that predates the flag never sets
/// it, and a plugin that predates it never gives the hint. Added in 0.1 as an additive
/// change (see [`crate::docs::abi_evolution`]): no layout changes. Why: the mark, the value
/// slots and the registers a host keeps across the call to undo them afterwards were ~20
/// of the ~50 instructions a host spent per event on a profiler (callgrind, generators).
/// In the offset rather than in the code handle because a fast path that ignores the
/// offset (a profiler's PY_RESUME) then pays nothing to clear it.
pub const LEAN_DELIVERY: u32 = 1 << 31;

/// A value seen by a callback (a return value, a callable, an argument, an exception).
///
/// Valid only until the callback that received it returns; the SDK's `Value<'_>` enforces
/// that with a lifetime. [`ValueRef::MISSING`] stands for CPython's `sys.monitoring.MISSING`
/// (the `arg0` of a call without arguments) and needs no host call to recognise.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ValueRef(pub u64);

impl ValueRef {
    /// `sys.monitoring.MISSING`.
    pub const MISSING: ValueRef = ValueRef(0);

    /// Whether this is [`ValueRef::MISSING`].
    pub const fn is_missing(self) -> bool {
        self.0 == 0
    }

    /// A flag a host may set in the callable argument of a CALL event: the callable is a
    /// plain Python function (a `def` or a `lambda`, not a builtin, class or bound method
    /// object). It saves a tool that only cares about builtins (a profiler timing C calls)
    /// a Host API call per Python call. Hosts accept a handle with or without the flag
    /// wherever they accept one; a host that predates the flag never sets it, so a clear
    /// flag means "not known", never "not a Python function". Added in 0.1 as an additive
    /// change (see [`crate::docs::abi_evolution`]): the type's layout is unchanged.
    pub const PY_FUNCTION: u64 = 1 << 62;

    /// Whether the host set [`ValueRef::PY_FUNCTION`] on this handle.
    pub const fn is_python_function(self) -> bool {
        self.0 & Self::PY_FUNCTION != 0
    }

    /// A flag a host may set in the callable argument of a CALL event delivered to a tool
    /// that gave the hint [`EventHints::BUILTIN_KEYS`]: bits 32–60 of the handle
    /// ([`ValueRef::KEY_SHIFT`], [`ValueRef::KEY_BITS`]) then hold what
    /// `HostVTable::builtin_key` would answer for the callable (0: not a builtin), so the
    /// tool needs no Host API call to learn it. A host leaves the flag clear when it cannot
    /// key the callable that way (a key too large, a callable it does not key); the tool then
    /// asks as before. Hosts accept a handle with or without these bits wherever they accept
    /// one; a host that predates the flag never sets it. Added in 0.1 as an additive change
    /// (see [`crate::docs::abi_evolution`]): the type's layout is unchanged.
    pub const KEYED: u64 = 1 << 61;
    /// Where a [`ValueRef::KEYED`] handle's builtin key starts.
    pub const KEY_SHIFT: u32 = 32;
    /// How many bits a [`ValueRef::KEYED`] handle's builtin key has.
    pub const KEY_BITS: u32 = 29;
    /// Every bit a host may set beside the handle itself (flags and a carried key): hosts
    /// clear these before reading a handle.
    pub const FLAG_BITS: u64 = !((1 << Self::KEY_SHIFT) - 1);

    /// The builtin key the host carried in this handle ([`ValueRef::KEYED`]): `Some(0)` for
    /// a callable that is not a builtin, `None` when the host carried none.
    pub const fn carried_builtin_key(self) -> Option<u64> {
        if self.0 & Self::KEYED == 0 {
            return None;
        }
        Some((self.0 >> Self::KEY_SHIFT) & ((1 << Self::KEY_BITS) - 1))
    }

    /// This handle carrying builtin key `key` ([`ValueRef::KEYED`]), if the key fits.
    pub const fn with_builtin_key(self, key: u64) -> Option<ValueRef> {
        if key >> Self::KEY_BITS != 0 {
            return None;
        }
        Some(ValueRef(self.0 | Self::KEYED | key << Self::KEY_SHIFT))
    }
}

/// Delivery hints a tool may add to the event set it passes to `HostVTable::set_events`, in
/// bits 24–31, which no event uses (CPython 3.13 has 17 events, 3.14 adds two more).
///
/// A hint tells the host which occurrences of a wanted event the tool does nothing with, so
/// the host *may* skip delivering them; it never changes which events are set (`get_events`
/// and the guest's `sys.monitoring` do not see it), and a tool that gives a hint must still
/// treat such an occurrence as the no-op it declared, should one arrive (a host delivers it
/// when several tools share the event, for example). Each `set_events` call replaces the
/// tool's hints with the ones it carries.
///
/// Added in 0.1 as an additive change (see [`crate::docs::abi_evolution`]): no layout
/// changes. A host that predates hints refuses the bits as an invalid event set
/// ([`ErrorKind::VALUE_ERROR`]), so a tool tries with its hints and, on that error, sets its
/// events again without them ([`crate::Host::set_events_hinted`] does both). A host that
/// knows hints ignores hint bits it does not know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EventHints(pub u32);

impl EventHints {
    /// No hints.
    pub const NONE: EventHints = EventHints(0);
    /// The bits of an event set that carry hints.
    pub const MASK: u32 = 0xff00_0000;
    /// The tool returns CONTINUE at once, and does nothing else, for a CALL event whose
    /// callable is a plain Python function (the callables the host flags with
    /// [`ValueRef::PY_FUNCTION`]): a profiler, which times such calls by their own PY_START
    /// and PY_RETURN, or anything that only watches builtins. The host may skip those
    /// occurrences: for a tool alone on CALL that spares the whole delivery, about half of
    /// what a Python call costs such a tool.
    pub const SKIP_PY_FUNCTION_CALLS: EventHints = EventHints(1 << 31);
    /// The tool reads the builtin key of every CALL's callable (a profiler naming C calls):
    /// the host may carry it in the callable's handle ([`ValueRef::KEYED`]), which spares a
    /// `builtin_key` call per CALL. [`Value::builtin_key`](crate::sdk::Value::builtin_key)
    /// reads a carried key before it asks the host.
    pub const BUILTIN_KEYS: EventHints = EventHints(1 << 30);
    /// The tool returns CONTINUE at once, and does nothing else, for CALL, C_RETURN and
    /// C_RAISE events whose callable is a class (a call that makes an instance; a Python
    /// `__init__` it runs has its own events): a profiler that times builtins only. The
    /// host may skip those occurrences; for a tool alone on these events that spares both
    /// deliveries of such a call.
    pub const SKIP_CLASS_CALLS: EventHints = EventHints(1 << 29);
    /// The tool's callbacks for PY_START, PY_RESUME, PY_RETURN, PY_YIELD, CALL, C_RETURN,
    /// LINE, JUMP and BRANCH accept lean deliveries ([`LEAN_DELIVERY`]): the host may try
    /// any occurrence of those events lean first. Worth giving for a tool whose callbacks
    /// for these events nearly always handle them without the host (the SDK's fast paths);
    /// for any other, a lean try is a wasted call before each delivery. A plugin built with
    /// the SDK before this hint never gives it, and an older host ignores it (so the
    /// callbacks then never see the flag).
    pub const LEAN: EventHints = EventHints(1 << 28);

    /// Whether every hint of `other` is in `self`.
    pub const fn contains(self, other: EventHints) -> bool {
        self.0 & other.0 == other.0
    }

    /// The hints of both.
    pub const fn union(self, other: EventHints) -> EventHints {
        EventHints(self.0 | other.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Small enumerations, as integer newtypes (see the module docs for why).

/// What a callback asks of the host.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Action(pub u8);

impl Action {
    /// Keep delivering this event here (CPython: any return value but `DISABLE`).
    pub const CONTINUE: Action = Action(0);
    /// `sys.monitoring.DISABLE`: stop this event at this code location for this tool, until
    /// `restart_events`. Refused by the host for non-local events (CPython raises
    /// `ValueError: Cannot disable <EVENT> events. Callback removed.`).
    pub const DISABLE: Action = Action(1);
    /// The callback failed (the SDK returns this after a panic, having called
    /// `report_error` first). The host disables the whole tool. Unknown values mean the same.
    pub const ERROR: Action = Action(2);
    /// The answer to a lean delivery ([`LEAN_DELIVERY`]) the callback declined, having
    /// changed nothing: deliver this event again, the ordinary way. Added in 0.1 as an
    /// additive change; only a host that makes lean deliveries accepts it (elsewhere, as
    /// every unknown value, it means ERROR), and it is only ever an answer to one.
    pub const FULL: Action = Action(3);
}

impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Action::CONTINUE => f.write_str("CONTINUE"),
            Action::DISABLE => f.write_str("DISABLE"),
            Action::ERROR => f.write_str("ERROR"),
            Action::FULL => f.write_str("FULL"),
            Action(n) => write!(f, "Action({n})"),
        }
    }
}

/// The coarse kind of a value, enough for a tool to decide how to render it.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ValueKind(pub u8);

#[allow(missing_docs)] // the names are Python's
impl ValueKind {
    /// Anything not listed below (and any kind a newer host adds).
    pub const OTHER: ValueKind = ValueKind(0);
    /// `sys.monitoring.MISSING`.
    pub const MISSING: ValueKind = ValueKind(1);
    pub const NONE: ValueKind = ValueKind(2);
    pub const BOOL: ValueKind = ValueKind(3);
    pub const INT: ValueKind = ValueKind(4);
    pub const FLOAT: ValueKind = ValueKind(5);
    pub const STR: ValueKind = ValueKind(6);
    pub const BYTES: ValueKind = ValueKind(7);
    pub const TUPLE: ValueKind = ValueKind(8);
    pub const LIST: ValueKind = ValueKind(9);
    pub const DICT: ValueKind = ValueKind(10);
    pub const SET: ValueKind = ValueKind(11);
    /// A Python function. (Hosts older than [`ValueKind::METHOD`] report bound methods here
    /// too.)
    pub const FUNCTION: ValueKind = ValueKind(12);
    /// A builtin callable (a "C function" in CPython's terms).
    pub const BUILTIN: ValueKind = ValueKind(13);
    pub const CLASS: ValueKind = ValueKind(14);
    /// An exception instance.
    pub const EXCEPTION: ValueKind = ValueKind(15);
    pub const CODE: ValueKind = ValueKind(16);
    pub const GENERATOR: ValueKind = ValueKind(17);
    pub const COROUTINE: ValueKind = ValueKind(18);
    /// A bound method (`types.MethodType`: a Python function bound to an object).
    pub const METHOD: ValueKind = ValueKind(19);
}

impl fmt::Debug for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 20] = [
            "OTHER",
            "MISSING",
            "NONE",
            "BOOL",
            "INT",
            "FLOAT",
            "STR",
            "BYTES",
            "TUPLE",
            "LIST",
            "DICT",
            "SET",
            "FUNCTION",
            "BUILTIN",
            "CLASS",
            "EXCEPTION",
            "CODE",
            "GENERATOR",
            "COROUTINE",
            "METHOD",
        ];
        match NAMES.get(self.0 as usize) {
            Some(name) => f.write_str(name),
            None => write!(f, "ValueKind({})", self.0),
        }
    }
}

/// The kind of a Host API error; mirrors the Python exception CPython would raise.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorKind(pub u8);

impl ErrorKind {
    /// CPython raises `ValueError` (bad tool id, tool not in use, invalid event set...).
    pub const VALUE_ERROR: ErrorKind = ErrorKind(0);
    /// CPython raises `TypeError` (wrong kind of value for a view, for example).
    pub const TYPE_ERROR: ErrorKind = ErrorKind(1);
    /// CPython raises `OverflowError` (an int too large for the requested Rust type).
    pub const OVERFLOW_ERROR: ErrorKind = ErrorKind(2);
    /// A code handle or value reference the host does not know (foreign, stale, forged).
    pub const INVALID_HANDLE: ErrorKind = ErrorKind(3);
    /// The host cannot answer now (no program is running, or a newer request).
    pub const UNSUPPORTED: ErrorKind = ErrorKind(4);
    /// A Python exception escaped while computing the answer (a raising `__repr__`).
    pub const PYTHON_ERROR: ErrorKind = ErrorKind(5);

    /// The Python-style name of the kind (`ValueError`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::VALUE_ERROR => "ValueError",
            ErrorKind::TYPE_ERROR => "TypeError",
            ErrorKind::OVERFLOW_ERROR => "OverflowError",
            ErrorKind::INVALID_HANDLE => "InvalidHandle",
            ErrorKind::UNSUPPORTED => "Unsupported",
            ErrorKind::PYTHON_ERROR => "PythonError",
            _ => "Error",
        }
    }
}

impl fmt::Debug for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error from a Host API call: a kind and CPython's message text.
#[repr(C)]
#[derive(StableAbi, Clone, PartialEq, Eq)]
pub struct HostError {
    /// Which Python exception this stands for.
    pub kind: ErrorKind,
    /// The message, worded as CPython words it (`invalid tool 7 (must be between 0 and 5)`).
    pub message: RString,
}

impl HostError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<RString>) -> HostError {
        HostError {
            kind,
            message: message.into(),
        }
    }

    /// A `ValueError`.
    pub fn value_error(message: impl Into<RString>) -> HostError {
        HostError::new(ErrorKind::VALUE_ERROR, message)
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl fmt::Debug for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for HostError {}

/// The kind of a plugin error.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PluginErrorKind(pub u8);

impl PluginErrorKind {
    /// The `[tool.settings]` table was rejected; the message says which key and why.
    pub const SETTINGS: PluginErrorKind = PluginErrorKind(0);
    /// Anything else went wrong (an I/O error writing a report, for example).
    pub const FAILED: PluginErrorKind = PluginErrorKind(1);
    /// The plugin panicked; the SDK caught it and the message is the panic's.
    pub const PANICKED: PluginErrorKind = PluginErrorKind(2);
}

impl fmt::Debug for PluginErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PluginErrorKind::SETTINGS => f.write_str("SETTINGS"),
            PluginErrorKind::FAILED => f.write_str("FAILED"),
            PluginErrorKind::PANICKED => f.write_str("PANICKED"),
            PluginErrorKind(n) => write!(f, "PluginErrorKind({n})"),
        }
    }
}

/// An error returned by a plugin's `create` or `finish`.
#[repr(C)]
#[derive(StableAbi, Clone, PartialEq, Eq)]
pub struct PluginError {
    /// What kind of failure.
    pub kind: PluginErrorKind,
    /// A one-line message for the user.
    pub message: RString,
}

impl PluginError {
    /// The settings were rejected: `message` should name the key.
    pub fn settings(message: impl Into<RString>) -> PluginError {
        PluginError {
            kind: PluginErrorKind::SETTINGS,
            message: message.into(),
        }
    }

    /// Any other failure.
    pub fn failed(message: impl Into<RString>) -> PluginError {
        PluginError {
            kind: PluginErrorKind::FAILED,
            message: message.into(),
        }
    }

    /// A caught panic.
    pub fn panicked(message: impl Into<RString>) -> PluginError {
        PluginError {
            kind: PluginErrorKind::PANICKED,
            message: message.into(),
        }
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PluginErrorKind::PANICKED => write!(f, "panicked: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl fmt::Debug for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for PluginError {}

impl From<HostError> for PluginError {
    fn from(e: HostError) -> PluginError {
        PluginError::failed(e.to_string())
    }
}

/// A Host API result.
pub type HostResult<T> = RResult<T, HostError>;

/// One row of a code object's offset → line table (CPython's `co_lines()`, in its byte
/// offsets): instructions from `offset` up to the next row's offset belong to `line` (`-1`: no
/// line, like CPython's `None`).
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineEntry {
    /// First byte offset of the run.
    pub offset: u32,
    /// Source line, or `-1`.
    pub line: i32,
}

/// One conditional branch of a code object, as [`HostVTable::code_branches`] lists it: the
/// instruction at `offset` fires BRANCH with `destination` equal to `taken` or `not_taken`.
/// Coverage tools use it to know both directions before either has run.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BranchEntry {
    /// The offset BRANCH events report for this branch.
    pub offset: u32,
    /// The destination offset when the jump is taken.
    pub taken: u32,
    /// The destination offset when it falls through.
    pub not_taken: u32,
}

/// One frame of the running program, as [`HostVTable::frame_info`] describes it.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// The frame's code object.
    pub code: CodeHandle,
    /// The byte offset of the instruction the frame is at (the one being monitored, for
    /// frame 0; for an EXTENDED_ARG prefix's INSTRUCTION event, the instruction it extends).
    pub offset: u32,
    /// Its line, or `-1`.
    pub line: i32,
}

/// One local variable of a frame: its name and `repr()` (a failing `repr` shows as
/// `<repr failed: Type: message>`).
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct LocalVar {
    /// The variable's name.
    pub name: RString,
    /// `repr(value)`.
    pub repr: RString,
}

// ---------------------------------------------------------------------------------------------
// Callback signatures. Every one gets the tool's state first, then the event's arguments as
// CPython passes them to a `sys.monitoring` callback.

/// PY_START, PY_RESUME, INSTRUCTION: `(code, instruction_offset)`.
pub type CodeFn = extern "C" fn(ToolState, CodeHandle, u32) -> Action;
/// LINE: `(code, line_number)`.
pub type LineFn = extern "C" fn(ToolState, CodeHandle, u32) -> Action;
/// PY_RETURN, PY_YIELD: `(code, instruction_offset, retval)`.
pub type ValueFn = extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action;
/// STOP_ITERATION, RAISE, RERAISE, EXCEPTION_HANDLED, PY_UNWIND, PY_THROW:
/// `(code, instruction_offset, exception)`.
pub type ExceptionFn = extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action;
/// CALL, C_RETURN, C_RAISE: `(code, instruction_offset, callable, arg0)`; `arg0` is
/// [`ValueRef::MISSING`] when the call has no arguments.
pub type CallFn = extern "C" fn(ToolState, CodeHandle, u32, ValueRef, ValueRef) -> Action;
/// JUMP, BRANCH: `(code, instruction_offset, destination_offset)`.
pub type JumpFn = extern "C" fn(ToolState, CodeHandle, u32, u32) -> Action;

/// A callback with its signature erased, as `register_callback` moves it across the ABI.
///
/// Which concrete signature it has follows from the event it is registered for; convert with
/// [`Callback::to_raw`] and [`Callback::from_raw`] rather than by hand.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct RawCallback(pub unsafe extern "C" fn());

/// A callback with its event and its concrete signature: the typed twin of [`RawCallback`].
#[derive(Clone, Copy, Debug)]
#[allow(missing_docs)] // one variant per event, named after it
pub enum Callback {
    PyStart(CodeFn),
    PyResume(CodeFn),
    PyReturn(ValueFn),
    PyYield(ValueFn),
    Call(CallFn),
    Line(LineFn),
    Instruction(CodeFn),
    Jump(JumpFn),
    Branch(JumpFn),
    StopIteration(ExceptionFn),
    Raise(ExceptionFn),
    ExceptionHandled(ExceptionFn),
    PyUnwind(ExceptionFn),
    PyThrow(ExceptionFn),
    Reraise(ExceptionFn),
    CReturn(CallFn),
    CRaise(CallFn),
}

macro_rules! erase {
    ($f:expr, $ty:ty) => {
        // SAFETY: function pointers of any signature have the same size and representation;
        // the pointer is only ever called again after `from_raw` restores this exact type.
        RawCallback(unsafe { std::mem::transmute::<$ty, unsafe extern "C" fn()>($f) })
    };
}

macro_rules! unerase {
    ($raw:expr, $ty:ty) => {
        // SAFETY: the caller of `from_raw` promises `raw` was erased from this event's type.
        unsafe { std::mem::transmute::<unsafe extern "C" fn(), $ty>($raw.0) }
    };
}

impl Callback {
    /// The event this callback is for.
    pub fn event(self) -> Event {
        use Callback as C;
        match self {
            C::PyStart(_) => Event::PyStart,
            C::PyResume(_) => Event::PyResume,
            C::PyReturn(_) => Event::PyReturn,
            C::PyYield(_) => Event::PyYield,
            C::Call(_) => Event::Call,
            C::Line(_) => Event::Line,
            C::Instruction(_) => Event::Instruction,
            C::Jump(_) => Event::Jump,
            C::Branch(_) => Event::Branch,
            C::StopIteration(_) => Event::StopIteration,
            C::Raise(_) => Event::Raise,
            C::ExceptionHandled(_) => Event::ExceptionHandled,
            C::PyUnwind(_) => Event::PyUnwind,
            C::PyThrow(_) => Event::PyThrow,
            C::Reraise(_) => Event::Reraise,
            C::CReturn(_) => Event::CReturn,
            C::CRaise(_) => Event::CRaise,
        }
    }

    /// Erases the signature for `register_callback`.
    pub fn to_raw(self) -> RawCallback {
        use Callback as C;
        match self {
            C::PyStart(f) | C::PyResume(f) | C::Instruction(f) | C::Line(f) => erase!(f, CodeFn),
            C::PyReturn(f)
            | C::PyYield(f)
            | C::StopIteration(f)
            | C::Raise(f)
            | C::ExceptionHandled(f)
            | C::PyUnwind(f)
            | C::PyThrow(f)
            | C::Reraise(f) => erase!(f, ValueFn),
            C::Call(f) | C::CReturn(f) | C::CRaise(f) => erase!(f, CallFn),
            C::Jump(f) | C::Branch(f) => erase!(f, JumpFn),
        }
    }

    /// Restores the signature of a callback registered for `event`.
    ///
    /// # Safety
    /// `raw` must come from [`Callback::to_raw`] of a callback for the same `event` (which
    /// is what a host receives from `register_callback(tool, event, raw)`).
    pub unsafe fn from_raw(event: Event, raw: RawCallback) -> Callback {
        use Callback as C;
        match event {
            Event::PyStart => C::PyStart(unerase!(raw, CodeFn)),
            Event::PyResume => C::PyResume(unerase!(raw, CodeFn)),
            Event::Instruction => C::Instruction(unerase!(raw, CodeFn)),
            Event::Line => C::Line(unerase!(raw, LineFn)),
            Event::PyReturn => C::PyReturn(unerase!(raw, ValueFn)),
            Event::PyYield => C::PyYield(unerase!(raw, ValueFn)),
            Event::StopIteration => C::StopIteration(unerase!(raw, ExceptionFn)),
            Event::Raise => C::Raise(unerase!(raw, ExceptionFn)),
            Event::ExceptionHandled => C::ExceptionHandled(unerase!(raw, ExceptionFn)),
            Event::PyUnwind => C::PyUnwind(unerase!(raw, ExceptionFn)),
            Event::PyThrow => C::PyThrow(unerase!(raw, ExceptionFn)),
            Event::Reraise => C::Reraise(unerase!(raw, ExceptionFn)),
            Event::Call => C::Call(unerase!(raw, CallFn)),
            Event::CReturn => C::CReturn(unerase!(raw, CallFn)),
            Event::CRaise => C::CRaise(unerase!(raw, CallFn)),
            Event::Jump => C::Jump(unerase!(raw, JumpFn)),
            Event::Branch => C::Branch(unerase!(raw, JumpFn)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The tool's callback vtable.

/// The per-tool callback vtable, built by the plugin and read by the host once, at `create`.
///
/// `finish` and `release` are required. The event slots are the callbacks registered when the
/// tool starts (what `register_callback` would have set); `None` means no callback. A host
/// built against an older crate simply does not see slots added later.
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = CallbacksRef)))]
#[sabi(missing_field(default))]
pub struct Callbacks {
    /// Writes the tool's reports. Called once, after the program ended (normally, by an
    /// uncaught exception or by `SystemExit`), with the program's exit status. Not called for
    /// a tool the host disabled after a fault.
    pub finish: extern "C" fn(ToolState, i32) -> RResult<(), PluginError>,
    /// Frees the tool's state. Always the last call the host makes with this `ToolState`.
    #[sabi(last_prefix_field)]
    pub release: extern "C" fn(ToolState),
    /// PY_START.
    pub py_start: Option<extern "C" fn(ToolState, CodeHandle, u32) -> Action>,
    /// PY_RESUME.
    pub py_resume: Option<extern "C" fn(ToolState, CodeHandle, u32) -> Action>,
    /// PY_RETURN.
    pub py_return: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// PY_YIELD.
    pub py_yield: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// CALL.
    pub call: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef, ValueRef) -> Action>,
    /// LINE.
    pub line: Option<extern "C" fn(ToolState, CodeHandle, u32) -> Action>,
    /// INSTRUCTION.
    pub instruction: Option<extern "C" fn(ToolState, CodeHandle, u32) -> Action>,
    /// JUMP.
    pub jump: Option<extern "C" fn(ToolState, CodeHandle, u32, u32) -> Action>,
    /// BRANCH.
    pub branch: Option<extern "C" fn(ToolState, CodeHandle, u32, u32) -> Action>,
    /// STOP_ITERATION.
    pub stop_iteration: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// RAISE.
    pub raise: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// EXCEPTION_HANDLED.
    pub exception_handled: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// PY_UNWIND.
    pub py_unwind: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// PY_THROW.
    pub py_throw: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// RERAISE.
    pub reraise: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef) -> Action>,
    /// C_RETURN.
    pub c_return: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef, ValueRef) -> Action>,
    /// C_RAISE.
    pub c_raise: Option<extern "C" fn(ToolState, CodeHandle, u32, ValueRef, ValueRef) -> Action>,
    /// Only in builds with the `abi-next` feature: a field a future minor version might add,
    /// used by the ABI evolution tests to build a "newer" plugin.
    #[cfg(feature = "abi-next")]
    pub next_probe: Option<extern "C" fn(ToolState, CodeHandle, u32) -> Action>,
}

impl CallbacksRef {
    /// The callback in the slot for `event`, typed.
    pub fn slot(self, event: Event) -> Option<Callback> {
        use Callback as C;
        match event {
            Event::PyStart => self.py_start().map(C::PyStart),
            Event::PyResume => self.py_resume().map(C::PyResume),
            Event::PyReturn => self.py_return().map(C::PyReturn),
            Event::PyYield => self.py_yield().map(C::PyYield),
            Event::Call => self.call().map(C::Call),
            Event::Line => self.line().map(C::Line),
            Event::Instruction => self.instruction().map(C::Instruction),
            Event::Jump => self.jump().map(C::Jump),
            Event::Branch => self.branch().map(C::Branch),
            Event::StopIteration => self.stop_iteration().map(C::StopIteration),
            Event::Raise => self.raise().map(C::Raise),
            Event::ExceptionHandled => self.exception_handled().map(C::ExceptionHandled),
            Event::PyUnwind => self.py_unwind().map(C::PyUnwind),
            Event::PyThrow => self.py_throw().map(C::PyThrow),
            Event::Reraise => self.reraise().map(C::Reraise),
            Event::CReturn => self.c_return().map(C::CReturn),
            Event::CRaise => self.c_raise().map(C::CRaise),
        }
    }
}

/// What `create` returns: the tool's state and its vtable.
#[repr(C)]
#[derive(StableAbi)]
pub struct ToolInstance {
    /// Passed back to every callback, `finish` and `release`.
    pub state: ToolState,
    /// The tool's callbacks.
    pub callbacks: CallbacksRef,
}

// ---------------------------------------------------------------------------------------------
// The Host API.

/// The functions the host offers a plugin: its `sys.monitoring`, plus read-only views.
///
/// Every function takes the [`HostCtx`] from the [`HostApi`] it came with. Tool ids and event
/// sets are raw integers (`i32`, `u32`) so that invalid ones reach the host and come back as
/// CPython's errors rather than being unrepresentable. Functions added after the first release
/// go after `callable_qualname` and are read through `Option` accessors, so a plugin can tell
/// that an older host lacks them.
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = HostVTableRef)))]
#[sabi(missing_field(option))]
pub struct HostVTable {
    /// `sys.monitoring.use_tool_id(tool, name)`.
    pub use_tool_id: extern "C" fn(HostCtx, i32, RStr<'_>) -> HostResult<()>,
    /// `sys.monitoring.free_tool_id(tool)`.
    pub free_tool_id: extern "C" fn(HostCtx, i32) -> HostResult<()>,
    /// `sys.monitoring.get_tool(tool)`: the name, or `RNone` for a free slot.
    pub get_tool: extern "C" fn(HostCtx, i32) -> HostResult<ROption<RString>>,
    /// `sys.monitoring.get_events(tool)`.
    pub get_events: extern "C" fn(HostCtx, i32) -> HostResult<EventSet>,
    /// `sys.monitoring.set_events(tool, events)`.
    pub set_events: extern "C" fn(HostCtx, i32, u32) -> HostResult<()>,
    /// `sys.monitoring.get_local_events(tool, code)`.
    pub get_local_events: extern "C" fn(HostCtx, i32, CodeHandle) -> HostResult<EventSet>,
    /// `sys.monitoring.set_local_events(tool, code, events)`.
    pub set_local_events: extern "C" fn(HostCtx, i32, CodeHandle, u32) -> HostResult<()>,
    /// `sys.monitoring.restart_events()`.
    pub restart_events: extern "C" fn(HostCtx) -> HostResult<()>,
    /// `sys.monitoring.register_callback(tool, event, func)`: `event` is the event's set value
    /// (`1 << bit`); returns the previous callback of that slot.
    pub register_callback:
        extern "C" fn(HostCtx, i32, u32, ROption<RawCallback>) -> HostResult<ROption<RawCallback>>,
    /// Tells the host why the next `Action::ERROR` (or failing `finish`) happens; the host shows
    /// it, naming the tool. Never fails.
    pub report_error: extern "C" fn(HostCtx, i32, RStr<'_>),
    /// `code.co_name`.
    pub code_name: extern "C" fn(HostCtx, CodeHandle) -> HostResult<RString>,
    /// `code.co_qualname`.
    pub code_qualname: extern "C" fn(HostCtx, CodeHandle) -> HostResult<RString>,
    /// `code.co_filename`.
    pub code_filename: extern "C" fn(HostCtx, CodeHandle) -> HostResult<RString>,
    /// `code.co_firstlineno`.
    pub code_first_line: extern "C" fn(HostCtx, CodeHandle) -> HostResult<u32>,
    /// The offset → line table, ascending by offset (CPython's `co_lines()`, one row per run).
    pub code_line_table: extern "C" fn(HostCtx, CodeHandle) -> HostResult<RVec<LineEntry>>,
    /// The code objects nested in this one's constants, in order.
    pub code_children: extern "C" fn(HostCtx, CodeHandle) -> HostResult<RVec<CodeHandle>>,
    /// The coarse kind of a value.
    pub value_kind: extern "C" fn(HostCtx, ValueRef) -> HostResult<ValueKind>,
    /// `type(value).__name__`.
    pub value_type_name: extern "C" fn(HostCtx, ValueRef) -> HostResult<RString>,
    /// `repr(value)`.
    pub value_repr: extern "C" fn(HostCtx, ValueRef) -> HostResult<RString>,
    /// An `int` (or `bool`) that fits in `i64`; `OverflowError` otherwise, `TypeError` for
    /// other kinds.
    pub value_to_i64: extern "C" fn(HostCtx, ValueRef) -> HostResult<i64>,
    /// A `float` (ints are not converted: `TypeError`).
    pub value_to_f64: extern "C" fn(HostCtx, ValueRef) -> HostResult<f64>,
    /// A `str`'s contents.
    pub value_to_str: extern "C" fn(HostCtx, ValueRef) -> HostResult<RString>,
    /// A `bool`.
    pub value_to_bool: extern "C" fn(HostCtx, ValueRef) -> HostResult<bool>,
    /// The exception's class `__qualname__` (`ValueError`).
    pub exception_type_name: extern "C" fn(HostCtx, ValueRef) -> HostResult<RString>,
    /// The exception's `args`.
    pub exception_args: extern "C" fn(HostCtx, ValueRef) -> HostResult<RVec<ValueRef>>,
    /// The `__qualname__` of a callable (function, builtin, bound method, class).
    #[sabi(last_prefix_field)]
    pub callable_qualname: extern "C" fn(HostCtx, ValueRef) -> HostResult<RString>,
    // Added for the tool plugins (coverage, tracer, debugger). A host may answer any of these
    // with `ErrorKind::UNSUPPORTED`; tools then degrade as their docs say.
    /// The absolute path of the program's main script, spelled as its code objects'
    /// `co_filename` spells it (what `montrace.py` compares against to keep only the main
    /// script's events).
    pub program_path: extern "C" fn(HostCtx) -> HostResult<RString>,
    /// The conditional branches of a code object that fire BRANCH, ascending by offset, with
    /// both destinations (so a coverage tool knows the directions not yet taken).
    pub code_branches: extern "C" fn(HostCtx, CodeHandle) -> HostResult<RVec<BranchEntry>>,
    /// `(tool, code, offset, destination)`: stops BRANCH events for `tool` at `offset` of
    /// `code` *when they go to `destination`*, until `restart_events`; the other direction keeps
    /// firing. CPython 3.13's `DISABLE` on BRANCH silences both directions (3.14 split the event
    /// into BRANCH_LEFT/BRANCH_RIGHT); this is the native API's way to get 3.14's economy.
    /// Once both directions are disabled the host treats the location as `DISABLE`d.
    /// `ValueError` for a destination that is not one of the branch's two.
    pub disable_branch_direction:
        extern "C" fn(HostCtx, i32, CodeHandle, u32, u32) -> HostResult<()>,
    /// The elements of a `tuple` or `list` (`TypeError` for other kinds).
    pub value_items: extern "C" fn(HostCtx, ValueRef) -> HostResult<RVec<ValueRef>>,
    /// The code object of a code value, of a Python function (`__code__`) or of a bound method
    /// (`__func__.__code__`); `TypeError` otherwise.
    pub value_as_code: extern "C" fn(HostCtx, ValueRef) -> HostResult<CodeHandle>,
    /// A callable's `__name__`.
    pub callable_name: extern "C" fn(HostCtx, ValueRef) -> HostResult<RString>,
    /// For a builtin callable bound to an object that is not a module (`[].append`),
    /// `type(callable.__self__).__name__`; for a builtin type's unbound method (the method
    /// descriptor `list.append`, the callable of a CALL for `lst.append(x)`), its owner
    /// type's name (`list`: what a method bound from it to an instance of the owner would
    /// answer); `None` for every other value.
    pub builtin_self_type_name: extern "C" fn(HostCtx, ValueRef) -> HostResult<ROption<RString>>,
    /// The number of Python frames on the stack while a callback runs (0 outside callbacks).
    pub frame_count: extern "C" fn(HostCtx) -> HostResult<u32>,
    /// Frame `depth` (0 = the frame the current event is about, 1 = its caller, ...);
    /// `ValueError` past the outermost frame.
    pub frame_info: extern "C" fn(HostCtx, u32) -> HostResult<FrameInfo>,
    /// The local variables of frame `depth` that are bound, in `co_varnames` order then cells
    /// (what `frame.f_locals` shows; for module frames, the module's globals).
    pub frame_locals: extern "C" fn(HostCtx, u32) -> HostResult<RVec<LocalVar>>,
    /// Evaluates the expression `source` in frame `depth`'s globals and locals, with monitoring
    /// events off for the evaluation, and returns `repr()` of the result. A raised exception is
    /// `ErrorKind::PYTHON_ERROR` with the message `Type: message`; a syntax error likewise
    /// (`SyntaxError: ...`).
    pub frame_eval: extern "C" fn(HostCtx, u32, RStr<'_>) -> HostResult<RString>,
    // Added for the profiler's per-call cost.
    /// An identity for a builtin callable's display, so that a tool naming builtins the way
    /// pstats does (from `callable_name`, `callable_qualname`, `builtin_self_type_name`) can
    /// ask those once per builtin instead of at every call. `0` for a value whose
    /// [`ValueKind`] is not `BUILTIN`, and for a builtin whose call a deterministic profiler
    /// does not time as a builtin call (CPython 3.13's cProfile times a `method_descriptor`
    /// bound to the call's first argument but not a slot wrapper: `list.append` is keyed,
    /// `list.__len__` and `object.__init__` are `0`); otherwise a nonzero key such that two
    /// values with the same key give the same answers to those three functions for the rest
    /// of the run (the converse need not hold: one display may have several keys).
    /// `UNSUPPORTED` for a builtin the host cannot key cheaply; ask the three functions then.
    pub builtin_key: extern "C" fn(HostCtx, ValueRef) -> HostResult<u64>,
    /// Only in builds with the `abi-next` feature; see [`Callbacks::finish`]'s sibling
    /// `next_probe` for why.
    #[cfg(feature = "abi-next")]
    pub next_probe: extern "C" fn(HostCtx) -> u32,
}

/// The Host API value handed to `create`: a context pointer and the function table.
#[repr(C)]
#[derive(StableAbi, Clone, Copy)]
pub struct HostApi {
    /// Passed back as the first argument of every function in `vtable`.
    pub ctx: HostCtx,
    /// The functions.
    pub vtable: HostVTableRef,
}

// ---------------------------------------------------------------------------------------------
// The root module.

/// The signature of a plugin's constructor: `create(host, tool_id, settings_toml)`.
///
/// `settings_toml` is the session's `[tool.settings]` table serialised as TOML (empty when the
/// session has none). The host has already claimed `tool_id` under the plugin's name with
/// `use_tool_id`.
pub type CreateFn = extern "C" fn(HostApi, ToolId, RStr<'_>) -> RResult<ToolInstance, PluginError>;

/// The root module every plugin exports (through [`crate::export_plugin!`]).
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = PluginModRef)))]
#[sabi(missing_field(panic))]
pub struct PluginMod {
    /// Must equal the host's [`ABI_VERSION`].
    pub abi_version: u32,
    /// The plugin's name (`coverage`); also the name `use_tool_id` records.
    pub name: RStr<'static>,
    /// The plugin's own version (its crate version, normally).
    pub version: RStr<'static>,
    /// The events the plugin can handle (the slots its vtable fills), for listings.
    pub events: EventSet,
    /// The constructor.
    #[sabi(last_prefix_field)]
    pub create: extern "C" fn(HostApi, ToolId, RStr<'_>) -> RResult<ToolInstance, PluginError>,
    /// Only in builds with the `abi-next` feature (ABI evolution tests).
    #[cfg(feature = "abi-next")]
    pub next_probe: u32,
}

impl RootModule for PluginModRef {
    abi_stable::declare_root_module_statics! {PluginModRef}
    const BASE_NAME: &'static str = "vigil_plugin";
    const NAME: &'static str = "vigil plugin";
    const VERSION_STRINGS: VersionStrings = abi_stable::package_version_strings!();
}
