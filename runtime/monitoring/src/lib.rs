//! The PEP 669 (`sys.monitoring`) state machine of vigil, with CPython 3.13's
//! semantics and no interpreter.
//!
//! This crate owns the state and the rules: tool slots and names, global and
//! per-code event sets, callbacks, DISABLEd locations, the instrumentation
//! version that drives lazy re-instrumentation, the per-thread "in a callback"
//! mark, and every error type and message of the API. The guest
//! `sys.monitoring` module and the native plugin Host API are thin layers over
//! [`Monitoring`]. It deliberately owns no object model, no bytecode and no
//! calling of callbacks: the callback type `C` and the tool-name type `N` are
//! opaque, a code object is represented by the [`CodeMonitoring`] the VM embeds
//! in it, and a location is a `u32` the VM chooses (its instruction offset).
//! How the VM fires each event is written down in `INTEGRATION.md` beside this
//! crate; the rule ids (T1, E3, C5, …) are those of
//! `shared/spec/monitoring-semantics.md`, measured on CPython 3.13.5.
//!
//! # Rules the VM implements with this crate
//!
//! **Delivery (M1, M2, E4).** [`deliver`] implements this paragraph and the
//! next two; use it unless the VM has a reason not to. For one occurrence,
//! compute the mask once
//! ([`Monitoring::tools_at`], or [`Monitoring::global_tools`] for the five
//! global-only events), then walk it with [`ToolMask::dispatch_order`]:
//! **highest slot first** (7, 6, 5 … 0 — c_multi1.out prints `t5 t2 t0`).
//! For each slot read [`Monitoring::callback`] at that moment and skip slots
//! without one. A callback that raises stops the walk: lower slots do not see
//! that occurrence. A DISABLE does not stop the walk.
//!
//! **No events inside callbacks (M3).** Hold [`Tracing::enter`]'s guard while
//! any callback runs; fire nothing while [`Tracing::is_active`]. That covers
//! Python code the callback calls and exceptions it raises internally
//! (p17_reentrancy.out).
//!
//! **Return values (C2, C3).** `DISABLE` and `MISSING` are two distinct plain
//! `object()` instances, compared by identity. Returning DISABLE calls
//! [`Monitoring::disable`]; any other return value is ignored. DISABLE from a
//! non-local event yields a `ValueError` which the VM treats as if the
//! callback had raised it. `MISSING` is the CALL/C_RETURN/C_RAISE `arg0` when
//! the call has no argument at all (K4).
//!
//! **A callback that raises (C5).** The exception enters the program; the
//! callback stays registered and events stay on. Where:
//! * PY_START / PY_RESUME: in the callee at its RESUME, before any code runs.
//! * LINE / INSTRUCTION: at that instruction, which does **not** execute;
//!   handlers of the frame covering it can catch it.
//! * CALL: in the caller at the call; the callee is not called.
//! * PY_RETURN / PY_YIELD: at the return/yield; the value is not delivered.
//! * C_RETURN: after the C function returned; its result is dropped.
//! * STOP_ITERATION: at the END_FOR / END_SEND.
//! * RAISE, RERAISE, C_RAISE, PY_UNWIND, PY_THROW: the new exception replaces
//!   the one in flight, with `__context__ = None` (p24_ctx.out).
//! * EXCEPTION_HANDLED: the handler is already chosen; the new exception
//!   unwinds from the handler's position, so it escapes that `try`.
//! * BRANCH / JUMP: raised at the destination instruction (the behaviour newer
//!   CPython intends; 3.13.5 has a garbage-location bug here, §12.3).
//!
//! The usual exception events (RAISE at that point, then EXCEPTION_HANDLED or
//! PY_UNWIND …) follow as for any exception.
//!
//! **Versions (D4, D6, §11.3).** Keep the hot check to `code.version() ==
//! mon.version()` at function entry and generator resume; on mismatch call
//! [`Monitoring::instrument`] and apply its [`SyncReport`]. After an API call
//! returns [`Update::ExecutingFrames`], instrument the code of every frame on
//! every stack at once. `set_local_events` re-instruments its code object
//! itself and returns the report.

mod api;
mod code;
mod dispatch;
mod error;
mod lines;
mod slot;
mod state;
mod tracing;

pub use api::ApiFn;
pub use code::{ActiveEvents, CodeMonitoring, LOCAL_EVENT_COUNT, SyncReport};
pub use dispatch::{Delivered, Site, Verdict, deliver};
pub use error::{ErrorKind, MonResult, MonitoringError};
pub use lines::{LineInstr, LineRole, line_event_due, line_starts, prune_never_due};
pub use slot::{Slot, ToolMask};
pub use state::{Disabled, Monitoring, Update};
pub use tracing::{Tracing, TracingGuard};
pub use vigil_plugin_api::{Event, EventSet, ToolId};
