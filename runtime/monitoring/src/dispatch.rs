//! Delivering one event occurrence to the tools: the loop every event shares.
//!
//! [`deliver`] encodes the delivery rules so the VM cannot get them subtly
//! wrong: nothing fires while a callback runs (M3); the slot mask is computed
//! once, then walked highest slot first (M1); each slot's callback is read at
//! its turn and slots without one are skipped (E4); a callback error stops the
//! walk (M2); DISABLE is recorded per location for local events and turned
//! into CPython's ValueError (callback removed) for the others, which also
//! stops the walk (C3). It owns no calling convention: the VM's closure builds
//! the arguments and calls a guest or native callback. It assumes the VM keeps
//! the state in `RefCell`s, and never holds a borrow across a callback, since
//! callbacks may call the monitoring API themselves (D6, p20_enable_in_cb).

use std::cell::RefCell;

use vigil_plugin_api::Event;

use crate::code::CodeMonitoring;
use crate::error::MonitoringError;
use crate::slot::{Slot, ToolMask};
use crate::state::{Disabled, Monitoring};
use crate::tracing::Tracing;

/// What a callback returned, as far as monitoring cares (C3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Anything but `sys.monitoring.DISABLE` (the value is ignored).
    Continue,
    /// `sys.monitoring.DISABLE` (compared by identity).
    Disable,
}

/// Where an occurrence happens: the code object's state and the location.
/// Needed for the local events and C_RETURN/C_RAISE; `None` for the five
/// global-only events.
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    /// The monitoring state of the code object the event happens in (for
    /// CALL/C_RETURN/C_RAISE: the caller's).
    pub code: &'a RefCell<CodeMonitoring>,
    /// The instruction location (offset) of the event.
    pub location: u32,
}

/// The outcome of a delivery that raised nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    /// How many callbacks ran.
    pub calls: u32,
    /// A DISABLE left no slot wanting this event at this location: put the
    /// plain instruction back (or drop the LINE/INSTRUCTION overlay) there.
    pub deinstrument: bool,
}

/// Delivers one occurrence of `event`; see the module docs for the rules.
///
/// `call(slot, callback)` runs one callback with the event's arguments and
/// returns its [`Verdict`] or the exception it raised (`X`, the VM's
/// exception type). It runs with `tracing` entered. `refused` turns the
/// DISABLE-refusal error of a non-local event into an `X`. An `Err` must then
/// enter the program where C5 says for `event`.
pub fn deliver<C: Clone, N, X>(
    monitoring: &RefCell<Monitoring<C, N>>,
    tracing: &Tracing,
    event: Event,
    site: Option<Site<'_>>,
    mut call: impl FnMut(Slot, C) -> Result<Verdict, X>,
    mut refused: impl FnMut(MonitoringError) -> X,
) -> Result<Delivered, X> {
    let mut out = Delivered::default();
    if tracing.is_active() {
        return Ok(out);
    }
    let mask = {
        let mon = monitoring.borrow();
        match site {
            Some(site) => mon.tools_at(&site.code.borrow(), event, site.location),
            None if event.is_local() => ToolMask::EMPTY,
            None => mon.global_tools(event),
        }
    };
    for slot in mask.dispatch_order() {
        let Some(callback) = monitoring.borrow().callback(slot, event).cloned() else {
            continue;
        };
        out.calls += 1;
        let verdict = {
            let _muted = tracing.enter();
            call(slot, callback)?
        };
        if verdict == Verdict::Continue {
            continue;
        }
        let result = match site {
            Some(site) => monitoring.borrow_mut().disable(
                &mut site.code.borrow_mut(),
                slot,
                event,
                site.location,
            ),
            // A global-only event: no location to record, always refused.
            None => monitoring
                .borrow_mut()
                .disable(&mut CodeMonitoring::default(), slot, event, 0),
        };
        match result {
            Ok(Disabled::Local { remaining }) => out.deinstrument |= remaining.is_empty(),
            Err(e) => return Err(refused(e)),
        }
    }
    Ok(out)
}
