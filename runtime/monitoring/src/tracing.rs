//! The per-thread "a monitoring callback is running" mark (spec M3).
//!
//! CPython raises `tstate->tracing` around every callback, and while it is
//! raised *no* event fires on that thread, for any tool, of any kind, including
//! the events of Python code the callback runs and exceptions it raises and
//! catches internally (p17_reentrancy.out, p28_trace_in_cb.out). The VM keeps
//! one [`Tracing`] per thread state, checks [`Tracing::is_active`] before it
//! fires anything, and holds a [`TracingGuard`] while a callback runs. This
//! module owns only the counter; it does not know about threads.

use std::cell::Cell;

/// Per-thread callback nesting counter. Not `Sync` on purpose: one per thread.
#[derive(Debug, Default)]
pub struct Tracing {
    depth: Cell<u32>,
}

impl Tracing {
    /// A thread that is not running a callback.
    pub fn new() -> Tracing {
        Tracing::default()
    }

    /// Whether a callback is running on this thread: if so, fire nothing.
    #[inline]
    pub fn is_active(&self) -> bool {
        self.depth.get() != 0
    }

    /// Marks a callback as running until the guard drops (also on unwind, so a
    /// panicking native callback cannot leave the thread muted).
    #[inline]
    pub fn enter(&self) -> TracingGuard<'_> {
        self.depth.set(self.depth.get() + 1);
        TracingGuard { tracing: self }
    }
}

/// Keeps [`Tracing::is_active`] true while alive.
#[derive(Debug)]
#[must_use = "events are suppressed only while the guard lives"]
pub struct TracingGuard<'a> {
    tracing: &'a Tracing,
}

impl Drop for TracingGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        self.tracing.depth.set(self.tracing.depth.get() - 1);
    }
}
