//! Events, event sets and tool ids, with CPython 3.13's names and values.
//!
//! `EventSet` keeps PEP 669's upper-case names (`EventSet::PY_START`) so that
//! numbers and names read the same as in `sys.monitoring.events`; the `Event`
//! enum is the Rust-cased twin used where exactly one event is meant. Anything a
//! user types (session files, CLI flags) goes through the name table here, so
//! errors can list the valid names. This module owns no state.

use std::fmt;
use std::str::FromStr;

use abi_stable::StableAbi;

/// A set of monitoring events; the bit values are CPython 3.13's.
///
/// Declared outside `bitflags!` so that it can derive `StableAbi`: across the
/// ABI it is a plain `u32`.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EventSet(u32);

bitflags::bitflags! {
    impl EventSet: u32 {
        /// A Python function starts (after its arguments are bound).
        const PY_START = 1 << 0;
        /// A generator or coroutine resumes (not on its first start).
        const PY_RESUME = 1 << 1;
        /// A Python function returns.
        const PY_RETURN = 1 << 2;
        /// A generator or coroutine yields.
        const PY_YIELD = 1 << 3;
        /// A call is about to be made, from Python code.
        const CALL = 1 << 4;
        /// An instruction on a new line is about to run.
        const LINE = 1 << 5;
        /// Any instruction is about to run.
        const INSTRUCTION = 1 << 6;
        /// An unconditional jump.
        const JUMP = 1 << 7;
        /// A conditional branch is taken or not.
        const BRANCH = 1 << 8;
        /// An artificial `StopIteration` (for-loop exhaustion of a generator).
        const STOP_ITERATION = 1 << 9;
        /// An exception is raised (except those that cause STOP_ITERATION).
        const RAISE = 1 << 10;
        /// An exception is caught by a handler.
        const EXCEPTION_HANDLED = 1 << 11;
        /// A Python function exits with an exception.
        const PY_UNWIND = 1 << 12;
        /// An exception is thrown into a generator or coroutine (`throw`).
        const PY_THROW = 1 << 13;
        /// An exception is re-raised, for example at the end of `finally`.
        const RERAISE = 1 << 14;
        /// A C (builtin) callable returned; follows CALL.
        const C_RETURN = 1 << 15;
        /// A C (builtin) callable raised; follows CALL.
        const C_RAISE = 1 << 16;
    }
}

impl fmt::Debug for EventSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bitflags::parser::to_writer(self, &mut *f)
    }
}

impl EventSet {
    /// `sys.monitoring.events.NO_EVENTS`.
    pub const NO_EVENTS: EventSet = EventSet::empty();
    /// The ten events that can be set per code object and DISABLEd per location.
    pub const LOCAL: EventSet = EventSet::from_bits_truncate(0x3ff);
    /// Events that only exist as a consequence of CALL (never stored on their own).
    pub const ANCILLARY: EventSet = EventSet::C_RETURN.union(EventSet::C_RAISE);
    /// Events that can only be set globally.
    pub const OTHER: EventSet = EventSet::RAISE
        .union(EventSet::EXCEPTION_HANDLED)
        .union(EventSet::PY_UNWIND)
        .union(EventSet::PY_THROW)
        .union(EventSet::RERAISE);

    /// The events in this set, in ascending bit order.
    pub fn events(self) -> impl Iterator<Item = Event> {
        Event::ALL
            .into_iter()
            .filter(move |e| self.contains(e.set()))
    }
}

/// One monitoring event. `Event as u8` is the bit number in [`EventSet`].
#[repr(u8)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // each variant is documented on its EventSet twin
pub enum Event {
    PyStart = 0,
    PyResume = 1,
    PyReturn = 2,
    PyYield = 3,
    Call = 4,
    Line = 5,
    Instruction = 6,
    Jump = 7,
    Branch = 8,
    StopIteration = 9,
    Raise = 10,
    ExceptionHandled = 11,
    PyUnwind = 12,
    PyThrow = 13,
    Reraise = 14,
    CReturn = 15,
    CRaise = 16,
}

impl Event {
    /// Number of events.
    pub const COUNT: usize = 17;

    /// Every event, in bit order.
    pub const ALL: [Event; Event::COUNT] = [
        Event::PyStart,
        Event::PyResume,
        Event::PyReturn,
        Event::PyYield,
        Event::Call,
        Event::Line,
        Event::Instruction,
        Event::Jump,
        Event::Branch,
        Event::StopIteration,
        Event::Raise,
        Event::ExceptionHandled,
        Event::PyUnwind,
        Event::PyThrow,
        Event::Reraise,
        Event::CReturn,
        Event::CRaise,
    ];

    const NAMES: [&'static str; Event::COUNT] = [
        "PY_START",
        "PY_RESUME",
        "PY_RETURN",
        "PY_YIELD",
        "CALL",
        "LINE",
        "INSTRUCTION",
        "JUMP",
        "BRANCH",
        "STOP_ITERATION",
        "RAISE",
        "EXCEPTION_HANDLED",
        "PY_UNWIND",
        "PY_THROW",
        "RERAISE",
        "C_RETURN",
        "C_RAISE",
    ];

    /// The bit number (`log2` of the event's value).
    pub const fn bit(self) -> u32 {
        self as u32
    }

    /// The one-element set holding this event.
    pub const fn set(self) -> EventSet {
        EventSet::from_bits_truncate(1 << self as u32)
    }

    /// The event with this bit number.
    pub fn from_bit(bit: u32) -> Option<Event> {
        Event::ALL.get(bit as usize).copied()
    }

    /// PEP 669's name, as in `sys.monitoring.events`.
    pub const fn name(self) -> &'static str {
        Event::NAMES[self as usize]
    }

    /// Whether the event can be set per code object and DISABLEd per location.
    pub const fn is_local(self) -> bool {
        (self as u32) < 10
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of the 17 events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEvent(pub String);

impl fmt::Display for UnknownEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown event `{}` (valid: {})",
            self.0,
            Event::NAMES.join(", ")
        )
    }
}

impl std::error::Error for UnknownEvent {}

impl FromStr for Event {
    type Err = UnknownEvent;

    /// Accepts PEP 669's names in any case (`PY_START`, `py_start`).
    fn from_str(s: &str) -> Result<Event, UnknownEvent> {
        Event::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownEvent(s.to_owned()))
    }
}

/// A tool id, `0..=5`. Construct with [`ToolId::new`]; the range is an invariant.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ToolId(u8);

impl ToolId {
    /// How many tool ids there are.
    pub const COUNT: usize = 6;

    /// The id if it is in `0..=5`.
    pub const fn new(id: u32) -> Option<ToolId> {
        if id < ToolId::COUNT as u32 {
            Some(ToolId(id as u8))
        } else {
            None
        }
    }

    /// The id as an index into per-tool tables.
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// Every tool id, ascending. (Callbacks are delivered in the reverse order,
    /// highest id first, as CPython 3.13 does: see vigil-monitoring.)
    pub fn all() -> impl Iterator<Item = ToolId> {
        (0..ToolId::COUNT as u8).map(ToolId)
    }
}

impl fmt::Display for ToolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// `sys.monitoring.DEBUGGER_ID`.
pub const DEBUGGER_ID: ToolId = ToolId(0);
/// `sys.monitoring.COVERAGE_ID`.
pub const COVERAGE_ID: ToolId = ToolId(1);
/// `sys.monitoring.PROFILER_ID`.
pub const PROFILER_ID: ToolId = ToolId(2);
/// `sys.monitoring.OPTIMIZER_ID`.
pub const OPTIMIZER_ID: ToolId = ToolId(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_cpython() {
        assert_eq!(EventSet::PY_START.bits(), 1);
        assert_eq!(EventSet::STOP_ITERATION.bits(), 512);
        assert_eq!(EventSet::RERAISE.bits(), 16384);
        assert_eq!(EventSet::C_RAISE.bits(), 65536);
        assert_eq!(EventSet::all().bits(), (1 << 17) - 1);
        assert_eq!(EventSet::LOCAL.iter().count(), 10);
        assert!(EventSet::LOCAL.contains(EventSet::STOP_ITERATION));
        assert!(!EventSet::LOCAL.intersects(EventSet::OTHER | EventSet::ANCILLARY));
        assert_eq!(
            EventSet::LOCAL | EventSet::OTHER | EventSet::ANCILLARY,
            EventSet::all()
        );
    }

    #[test]
    fn names_round_trip() {
        for e in Event::ALL {
            assert_eq!(e.name().parse::<Event>(), Ok(e));
            assert_eq!(e.set().bits(), 1 << e.bit());
            assert_eq!(Event::from_bit(e.bit()), Some(e));
            assert_eq!(e.is_local(), EventSet::LOCAL.contains(e.set()));
        }
        assert_eq!("branch".parse::<Event>(), Ok(Event::Branch));
        let err = "PY_STRAT".parse::<Event>().unwrap_err().to_string();
        assert!(err.contains("PY_STRAT") && err.contains("C_RAISE"), "{err}");
    }

    #[test]
    fn tool_ids() {
        assert_eq!(ToolId::new(5), Some(OPTIMIZER_ID));
        assert_eq!(ToolId::new(6), None);
        assert_eq!(ToolId::all().count(), 6);
    }
}
