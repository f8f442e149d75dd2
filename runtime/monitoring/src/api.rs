//! The shape of each `sys.monitoring` function's argument list, and the
//! TypeErrors CPython 3.13 raises for a wrong one (T8).
//!
//! Every function is positional-only. Keywords are refused first, then the
//! count (probes/arity.out: `set_events(0, event_set=1)` reports the keyword).
//! The fixed-arity functions use one message form, the one-argument functions
//! another, the no-argument functions a third (p22_api_errors.out). This
//! module owns those texts; converting the arguments themselves is the guest
//! layer's job (see `INTEGRATION.md` §5).

use crate::error::{MonResult, MonitoringError};

/// A function of the `sys.monitoring` namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiFn {
    /// `use_tool_id(tool_id, name, /)`
    UseToolId,
    /// `free_tool_id(tool_id, /)`
    FreeToolId,
    /// `get_tool(tool_id, /)`
    GetTool,
    /// `get_events(tool_id, /)`
    GetEvents,
    /// `set_events(tool_id, event_set, /)`
    SetEvents,
    /// `get_local_events(tool_id, code, /)`
    GetLocalEvents,
    /// `set_local_events(tool_id, code, event_set, /)`
    SetLocalEvents,
    /// `register_callback(tool_id, event, func, /)`
    RegisterCallback,
    /// `restart_events()`
    RestartEvents,
    /// `_all_events()`
    AllEvents,
}

impl ApiFn {
    /// Every function, for building the namespace.
    pub const ALL: [ApiFn; 10] = [
        ApiFn::UseToolId,
        ApiFn::FreeToolId,
        ApiFn::GetTool,
        ApiFn::GetEvents,
        ApiFn::SetEvents,
        ApiFn::GetLocalEvents,
        ApiFn::SetLocalEvents,
        ApiFn::RegisterCallback,
        ApiFn::RestartEvents,
        ApiFn::AllEvents,
    ];

    /// The attribute name in `sys.monitoring`.
    pub const fn name(self) -> &'static str {
        match self {
            ApiFn::UseToolId => "use_tool_id",
            ApiFn::FreeToolId => "free_tool_id",
            ApiFn::GetTool => "get_tool",
            ApiFn::GetEvents => "get_events",
            ApiFn::SetEvents => "set_events",
            ApiFn::GetLocalEvents => "get_local_events",
            ApiFn::SetLocalEvents => "set_local_events",
            ApiFn::RegisterCallback => "register_callback",
            ApiFn::RestartEvents => "restart_events",
            ApiFn::AllEvents => "_all_events",
        }
    }

    /// How many positional arguments it takes.
    pub const fn arity(self) -> usize {
        match self {
            ApiFn::RestartEvents | ApiFn::AllEvents => 0,
            ApiFn::FreeToolId | ApiFn::GetTool | ApiFn::GetEvents => 1,
            ApiFn::UseToolId | ApiFn::SetEvents | ApiFn::GetLocalEvents => 2,
            ApiFn::SetLocalEvents | ApiFn::RegisterCallback => 3,
        }
    }

    /// Checks a call's shape: `nargs` positional arguments, and whether any
    /// keyword argument was passed.
    pub fn check_call(self, nargs: usize, has_keywords: bool) -> MonResult<()> {
        let name = self.name();
        if has_keywords {
            return Err(MonitoringError::no_keyword_arguments(name));
        }
        let want = self.arity();
        if nargs == want {
            return Ok(());
        }
        Err(match want {
            0 => MonitoringError::takes_no_arguments(name, nargs),
            1 => MonitoringError::takes_exactly_one(name, nargs),
            n => MonitoringError::expected_arguments(name, n, nargs),
        })
    }
}
