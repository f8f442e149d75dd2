//! # Implementing the host side (for the VM)
//!
//! The contract between vigil's monitoring core and loaded plugins. `vigil-host` does the
//! loading and the lifecycle; the VM (which must not depend on libloading) implements the Host
//! API over its monitoring state and calls the vtables. `vigil_host::DetachedHost` is a
//! complete, tested implementation without an interpreter: read it as the reference.
//!
//! ## 1. Provide a `HostApi`
//!
//! Fill a [`HostVTable`](crate::abi::HostVTable) with `extern "C"` functions (a `static`
//! `WithMetadata::new(HostVTable { .. })`, then `static_as_prefix()`), and pair it with a
//! [`HostCtx`](crate::abi::HostCtx) pointing at your state. Rules:
//!
//! * Validate everything a plugin passes: tool ids arrive as raw `i32`, event sets as raw
//!   `u32`, code handles and value references as raw integers. Answer with
//!   [`HostError`](crate::HostError) carrying CPython's exception kind and exact message
//!   (`invalid tool 7 (must be between 0 and 5)`, `tool 3 is not in use`,
//!   `invalid event set 0x20000`, `cannot set C_RETURN or C_RAISE events independently`,
//!   `invalid local event set 0x400`, `The callback can only be set for one event at a time`,
//!   `invalid event 131072`), and [`ErrorKind::INVALID_HANDLE`](crate::ErrorKind::INVALID_HANDLE)
//!   for a code handle or value the VM did not hand out. Never dereference an unchecked handle.
//! * [`CodeHandle`](crate::CodeHandle): your choice of encoding (an index into a registry of
//!   every code object compiled, from 1; 0 is never valid), stable for the whole run.
//! * [`ValueRef`](crate::ValueRef): valid only during the callback it was passed to; `0` is
//!   reserved for MISSING. A cheap scheme: an index into a per-callback table of the values
//!   passed, cleared when the callback returns (so stale references fail cleanly).
//! * Never unwind out of a host function; a Python exception raised while answering (a
//!   `__repr__` that raises) is [`ErrorKind::PYTHON_ERROR`](crate::ErrorKind::PYTHON_ERROR).
//! * `report_error(tool, message)` stores the message; it is the reason shown when that tool's
//!   next callback returns [`Action::ERROR`](crate::Action::ERROR).
//!
//! ## 2. Install a created tool
//!
//! `vigil_host::ToolSet::create(api, tools, attach)` calls `use_tool_id(id, name)` through
//! your API, then the plugin's `create`, then your `attach(id, &ToolInstance)`. In `attach`,
//! copy each event's slot ([`CallbacksRef::slot`](crate::abi::CallbacksRef::slot)) into the
//! tool's callback table as a *native* callback, exactly as if the plugin had called
//! `register_callback` for it, and keep the [`ToolState`](crate::abi::ToolState).
//! `register_callback` later swaps one slot: the raw pointer it receives is restored with
//! [`Callback::from_raw`](crate::Callback::from_raw) for that event.
//!
//! ## 3. Fire an event
//!
//! One event to one tool is one indirect call: match the stored [`Callback`](crate::Callback)
//! variant and call the function pointer with `(state, code, offset, …)`. Then:
//!
//! * `CONTINUE` (0): nothing.
//! * `DISABLE` (1): for a local event, disable this (tool, event, location) until
//!   `restart_events`; for any other event, do what CPython does for a Python callback that
//!   returns DISABLE there (raise `ValueError: Cannot disable <EVENT> events. Callback
//!   removed.` into the program and unregister the callback).
//! * anything else (`ERROR`): disable the tool — clear its global and local events and its
//!   callbacks so it receives nothing more — and record the fault with the reported message.
//!   The program is not affected. `vigil-host`'s `ToolSet::mark_faulted` produces the message
//!   naming the tool; `finish` is then skipped for it.
//!
//! Deliver to tools from the highest id to the lowest (spec M1), and fire no event at all
//! while any callback runs (spec M3: a `repr` a plugin asks for must not produce events); the
//! SDK also skips a re-entrant call into the same tool's full callbacks rather than alias its
//! state (a fast path, which cannot call the host, runs without that mark). A tool's
//! `ERROR` does not stop delivery to the remaining tools (unlike a raising Python callback,
//! spec M2): faults are isolated to the faulty tool.
//!
//! A host may make *lean deliveries* to a tool that gave the hint
//! [`EventHints::LEAN`](crate::EventHints::LEAN) (and only of the events it names): set
//! [`LEAN_DELIVERY`](crate::LEAN_DELIVERY) in the offset argument (LINE: the line), skip the
//! re-entrancy mark and leave the value arguments unreadable. The answer `FULL` (3) then
//! means "deliver this event again the ordinary way", which the host does at once; the other
//! answers mean what they mean above. A host that never makes lean deliveries needs nothing
//! of this: a tool never answers `FULL` to an ordinary delivery (if one did, it is an
//! `ERROR` like any unknown value).
//!
//! ## 4. End of run
//!
//! After the program ends by any route, `ToolSet::finish(exit_status)` calls each active tool's
//! `finish` and then every tool's `release`; after `release`, the `ToolState` is dangling and
//! no callback may be called again.
