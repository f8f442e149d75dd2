//! The stable plugin ABI of vigil and the safe SDK for tool authors.
//!
//! This crate depends on nothing else of vigil's. It owns the vocabulary that the
//! host, the monitoring core and every plugin share: events, event sets and tool
//! ids (see [`events`]).
#![deny(missing_docs)]

pub mod events;

pub use events::{
    COVERAGE_ID, DEBUGGER_ID, Event, EventSet, OPTIMIZER_ID, PROFILER_ID, ToolId, UnknownEvent,
};
