//! The errors of the monitoring API, as CPython 3.13 raises them: an exception
//! type plus the exact message text.
//!
//! This module owns the message texts (each cited to the rule and probe that
//! shows it) and the helpers the guest `sys.monitoring` layer needs for argument
//! conversion messages. It does not own argument conversion itself (`__index__`,
//! `str` checks): that needs the VM's object model. The VM turns a
//! [`MonitoringError`] into a Python exception of [`ErrorKind`]'s type; the
//! plugin Host API turns it into its ABI error.

use std::fmt;

use vigil_plugin_api::Event;

/// The Python exception type a [`MonitoringError`] becomes in the guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `ValueError`: bad tool id, bad event set, tool (not) in use, DISABLE refusal.
    ValueError,
    /// `TypeError`: wrong argument count or type.
    TypeError,
    /// `OverflowError`: an integer argument does not fit a C `int`.
    OverflowError,
}

impl ErrorKind {
    /// The Python name of the exception type.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::ValueError => "ValueError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::OverflowError => "OverflowError",
        }
    }
}

/// An error raised by a monitoring API call: exception type and exact message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitoringError {
    /// Which exception the guest sees.
    pub kind: ErrorKind,
    /// The message, byte for byte what CPython 3.13.5 prints.
    pub message: String,
}

/// Result of a monitoring API call.
pub type MonResult<T> = Result<T, MonitoringError>;

impl fmt::Display for MonitoringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for MonitoringError {}

impl MonitoringError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> MonitoringError {
        MonitoringError {
            kind,
            message: message.into(),
        }
    }

    /// T1: `invalid tool <n> (must be between 0 and 5)` (p03_toolids.out).
    pub fn invalid_tool(tool: i32) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::ValueError,
            format!("invalid tool {tool} (must be between 0 and 5)"),
        )
    }

    /// T3: `tool name must be a str` — a ValueError, not a TypeError (p03).
    pub fn tool_name_not_str() -> MonitoringError {
        MonitoringError::new(ErrorKind::ValueError, "tool name must be a str")
    }

    /// T3: `tool <n> is already in use` (p03).
    pub fn tool_in_use(tool: i32) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::ValueError,
            format!("tool {tool} is already in use"),
        )
    }

    /// T7: `tool <n> is not in use` (p03, p04_free.out).
    pub fn tool_not_in_use(tool: i32) -> MonitoringError {
        MonitoringError::new(ErrorKind::ValueError, format!("tool {tool} is not in use"))
    }

    /// E1: `invalid event set 0x<hex>`, the hex of the 32-bit pattern (p05).
    pub fn invalid_event_set(events: i32) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::ValueError,
            format!("invalid event set {:#x}", events as u32),
        )
    }

    /// E6: `invalid local event set 0x<hex>` (p05).
    pub fn invalid_local_event_set(events: i32) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::ValueError,
            format!("invalid local event set {:#x}", events as u32),
        )
    }

    /// E1/E6: `cannot set C_RETURN or C_RAISE events independently` (p05).
    pub fn c_events_independently() -> MonitoringError {
        MonitoringError::new(
            ErrorKind::ValueError,
            "cannot set C_RETURN or C_RAISE events independently",
        )
    }

    /// E6/E7: `code must be a code object`, raised by the guest layer before the
    /// tool range check (p05).
    pub fn not_a_code_object() -> MonitoringError {
        MonitoringError::new(ErrorKind::TypeError, "code must be a code object")
    }

    /// C6: `The callback can only be set for one event at a time` (p05).
    pub fn one_event_at_a_time() -> MonitoringError {
        MonitoringError::new(
            ErrorKind::ValueError,
            "The callback can only be set for one event at a time",
        )
    }

    /// C6: `invalid event <decimal>` (p05: `invalid event 131072`).
    pub fn invalid_event(event: i32) -> MonitoringError {
        MonitoringError::new(ErrorKind::ValueError, format!("invalid event {event}"))
    }

    /// C3: `Cannot disable <EV> events. Callback removed.` (p09_disable_nonlocal.out).
    pub fn cannot_disable(event: Event) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::ValueError,
            format!("Cannot disable {} events. Callback removed.", event.name()),
        )
    }

    /// T2/E1: an integer argument outside the C `int` range (p03, p05).
    pub fn c_int_overflow() -> MonitoringError {
        MonitoringError::new(
            ErrorKind::OverflowError,
            "Python int too large to convert to C int",
        )
    }

    /// T2: an argument without `__index__`, e.g. `'str' object cannot be
    /// interpreted as an integer` (p03, p22).
    pub fn not_an_integer(type_name: &str) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::TypeError,
            format!("'{type_name}' object cannot be interpreted as an integer"),
        )
    }

    /// T8: `<func> expected <n> arguments, got <k>` for use_tool_id, set_events,
    /// register_callback, set_local_events, get_local_events (p22).
    pub fn expected_arguments(func: &str, expected: usize, got: usize) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::TypeError,
            format!("{func} expected {expected} arguments, got {got}"),
        )
    }

    /// T8: `sys.monitoring.<func>() takes exactly one argument (<k> given)` for
    /// get_events, get_tool, free_tool_id (p22).
    pub fn takes_exactly_one(func: &str, got: usize) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::TypeError,
            format!("sys.monitoring.{func}() takes exactly one argument ({got} given)"),
        )
    }

    /// T8: `sys.monitoring.<func>() takes no arguments (<k> given)` for
    /// restart_events and _all_events (p22).
    pub fn takes_no_arguments(func: &str, got: usize) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::TypeError,
            format!("sys.monitoring.{func}() takes no arguments ({got} given)"),
        )
    }

    /// T3/T8: `sys.monitoring.<func>() takes no keyword arguments` (p03, p22).
    pub fn no_keyword_arguments(func: &str) -> MonitoringError {
        MonitoringError::new(
            ErrorKind::TypeError,
            format!("sys.monitoring.{func}() takes no keyword arguments"),
        )
    }

    /// Converts an integer that already went through `__index__` to a C `int`,
    /// as every integer argument of the API is (T2, E1). Big ints that do not
    /// fit an `i64` should map straight to [`MonitoringError::c_int_overflow`].
    pub fn c_int(value: i64) -> MonResult<i32> {
        i32::try_from(value).map_err(|_| MonitoringError::c_int_overflow())
    }
}
