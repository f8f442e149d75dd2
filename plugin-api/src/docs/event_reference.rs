//! # Event reference
//!
//! The 17 events of CPython 3.13's `sys.monitoring`, with the same names and bit values
//! ([`EventSet`](crate::EventSet)), the arguments a callback receives, and where each fires.
//! Every callback also receives the tool's state first (the SDK hides it). `offset` is
//! CPython 3.13's byte offset of the instruction, the number a `sys.monitoring` callback gets
//! under CPython for the same program (inline caches and EXTENDED_ARG prefixes counted, so
//! consecutive instructions are 2 or more bytes apart); lines are source lines. A jump's
//! destination is where CPython's jump lands (the target's first EXTENDED_ARG prefix, if it
//! has one), and INSTRUCTION fires for each EXTENDED_ARG prefix at its own offset before the
//! instruction it extends, as in CPython. Every Host API call that takes or returns an
//! offset (`frame_info`, `code_line_table`, `code_branches`, `disable_branch_direction`)
//! uses the same byte offsets, so they round-trip, and so do guest callbacks, `co_lines()`
//! and `co_positions()`. (Earlier builds gave native tools vigil's own instruction indices
//! instead; no type's layout changed, so the ABI version did not move.)
//!
//! | event | bit | `Tool` method / vtable slot | arguments | group |
//! |---|---|---|---|---|
//! | `PY_START` | 0 | `py_start` | code, offset | local |
//! | `PY_RESUME` | 1 | `py_resume` | code, offset | local |
//! | `PY_RETURN` | 2 | `py_return` | code, offset, return value | local |
//! | `PY_YIELD` | 3 | `py_yield` | code, offset, yielded value | local |
//! | `CALL` | 4 | `call` | code, offset, callable, arg0 (or MISSING) | local |
//! | `LINE` | 5 | `line` | code, line number | local |
//! | `INSTRUCTION` | 6 | `instruction` | code, offset | local |
//! | `JUMP` | 7 | `jump` | code, offset, destination offset | local |
//! | `BRANCH` | 8 | `branch` | code, offset, destination offset | local |
//! | `STOP_ITERATION` | 9 | `stop_iteration` | code, offset, exception | local |
//! | `RAISE` | 10 | `raise` | code, offset, exception | other |
//! | `EXCEPTION_HANDLED` | 11 | `exception_handled` | code, offset, exception | other |
//! | `PY_UNWIND` | 12 | `py_unwind` | code, offset, exception | other |
//! | `PY_THROW` | 13 | `py_throw` | code, offset, exception | other |
//! | `RERAISE` | 14 | `reraise` | code, offset, exception | other |
//! | `C_RETURN` | 15 | `c_return` | code, offset, callable, arg0 | ancillary |
//! | `C_RAISE` | 16 | `c_raise` | code, offset, callable, arg0 | ancillary |
//!
//! ## When an event reaches a tool
//!
//! Exactly CPython's rules (the host's monitoring core implements them; the rulebook is
//! `shared/spec/monitoring-semantics.md`):
//!
//! * A tool receives an event at a code location if the event is in its global set
//!   ([`Host::set_events`](crate::Host::set_events)) or in its local set for that code object
//!   ([`Host::set_local_events`](crate::Host::set_local_events)), **and** it has a callback for
//!   it. The vtable slots filled by the SDK (one per event in [`Tool::EVENTS`](crate::Tool::EVENTS))
//!   are the initial callbacks; [`Host::register_callback`](crate::Host::register_callback)
//!   swaps one and returns the previous.
//! * Only the ten *local* events can be set per code object and answered with
//!   [`Action::DISABLE`](crate::Action::DISABLE) (which silences that event at that location for
//!   this tool until `restart_events`). `DISABLE` on another event is refused as CPython refuses
//!   it (`ValueError: Cannot disable <EVENT> events. Callback removed.`) and the callback is
//!   unregistered.
//! * `C_RETURN` and `C_RAISE` are never set on their own: they follow `CALL` — a tool with
//!   `CALL` active and a `C_RETURN`/`C_RAISE` callback gets them after builtin calls.
//!   `set_events` refuses them without `CALL` (`cannot set C_RETURN or C_RAISE events
//!   independently`), and `get_events` never reports them.
//! * Tools are called from the highest id to the lowest, as CPython 3.13 does (spec M1). While
//!   any callback runs, no event fires for any tool (spec M3): what a callback does (asking for a
//!   `repr`, say) is invisible to monitoring. A tool's own callbacks never trigger events for
//!   that tool.
//! * `free_tool_id` (3.13) only releases the name; events and callbacks stay.
//!
//! ## Values and code objects
//!
//! Callbacks get opaque handles, never objects. A [`Code`](crate::Code) handle stays valid for
//! the whole run (keep it as a map key); a [`Value`](crate::Value) only during the callback.
//! `arg0` of a call without arguments is [`ValueRef::MISSING`](crate::ValueRef::MISSING),
//! recognisable without a host call. Nothing is allocated for an event unless the tool asks for
//! a string (a qualname, a repr): plain counting tools run allocation-free.
//!
//! ## Return values
//!
//! [`Action::CONTINUE`](crate::Action::CONTINUE), [`Action::DISABLE`](crate::Action::DISABLE),
//! or [`Action::ERROR`](crate::Action::ERROR) — the last one is what the SDK returns after a
//! panic (having told the host why with `report_error`); the host then disables the whole tool
//! (clears its events and callbacks, prints the tool's name and the reason) and the program
//! runs on without it.
