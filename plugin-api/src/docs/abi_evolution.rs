//! # ABI evolution: what may change, and which old/new pairs load
//!
//! Every type that crosses the library boundary derives abi_stable's `StableAbi`, so a host
//! checks, at load time, the layout of the plugin's root module and of every type reachable
//! from it (the callback vtable, the Host API table, handles, errors). A library that fails
//! the check is refused with a one-line reason; nothing is ever called through a mismatched
//! type.
//!
//! ## The three vtables are prefix types
//!
//! [`PluginMod`](crate::abi::PluginMod), [`Callbacks`](crate::abi::Callbacks) and
//! [`HostVTable`](crate::abi::HostVTable) are abi_stable *prefix types*: new fields may be
//! appended after the last one, and code reads fields beyond the guaranteed prefix through
//! accessors that know whether the other side's struct has them:
//!
//! * `Callbacks`: `finish` and `release` are the prefix; every event slot reads as `None` if
//!   the plugin predates it (`missing_field(default)`).
//! * `HostVTable`: everything in the first release is the prefix; functions added later read
//!   as `Option` (`missing_field(option)`), so a plugin can test for them and degrade.
//! * `PluginMod`: `create` closes the prefix; later fields would be read as `Option` too.
//!
//! ## What a release may do
//!
//! * **Patch** (0.1.x): no change to any type that crosses the boundary.
//! * **Minor, additive**: append fields to the end of a prefix type (new events, new Host API
//!   functions, new view functions); add constants to the integer newtypes
//!   ([`ValueKind`](crate::ValueKind), [`ErrorKind`](crate::ErrorKind),
//!   [`Action`](crate::Action)), which is why they are not Rust enums: an unknown value is
//!   representable and each documents how it is treated; give a flag bit of an opaque
//!   handle a meaning that hosts accept either way and older hosts never set (as
//!   [`ValueRef::PY_FUNCTION`](crate::abi::ValueRef::PY_FUNCTION), a hint in CALL events:
//!   a plugin built before it never looks at the bit, and a newer plugin on an older host
//!   sees it clear and asks the Host API as before; likewise
//!   [`ValueRef::KEYED`](crate::abi::ValueRef::KEYED), a builtin key carried in a CALL's
//!   callable for a tool that asked for it with a hint); give a meaning to bits of a Host API
//!   argument that older hosts refuse with an error, when the plugin can do without it (as
//!   [`EventHints`](crate::EventHints) in `set_events`: an older host answers
//!   `ValueError: invalid event set`, and [`Host::set_events_hinted`](crate::Host::set_events_hinted)
//!   sets the events again without the hints); combine these, as lean deliveries do (the
//!   hint [`EventHints::LEAN`](crate::EventHints::LEAN), the offset flag
//!   [`LEAN_DELIVERY`](crate::LEAN_DELIVERY) and the answer
//!   [`Action::FULL`](crate::Action::FULL): a host makes them only to a tool that asked, so a
//!   plugin built before them never sees the flag nor is expected to answer FULL, and a host
//!   built before them ignores the hint and only ever delivers the ordinary way).
//! * **Breaking**: anything else — reordering, removing or retyping a field, changing a
//!   callback's signature. It moves the crate's minor version while it is 0.x (abi_stable
//!   refuses a plugin whose `vigil-plugin-api` version is not compatible) and bumps
//!   [`ABI_VERSION`](crate::ABI_VERSION).
//!
//! ## Which pairs load (measured, both directions)
//!
//! abi_stable accepts prefix growth in one direction only: the *plugin's* types may have more
//! fields than the *host's*, never fewer.
//!
//! | plugin built against | host built against | result |
//! |---|---|---|
//! | same API | same API | loads |
//! | newer API (more fields) | older API | **loads**: the host never reads the fields it does not know; the plugin sees the Host API functions the older host lacks as `None` |
//! | older API (fewer fields) | newer API | **refused**: `ABI layout mismatch: too many fields: expected N, found M (the plugin was built against an older vigil-plugin-api)`; rebuild the plugin |
//!
//! So the policy is: **a host loads plugins built against its own API version or a newer
//! compatible one; when the host's API has grown, plugins must be rebuilt** (their source
//! does not change: the SDK fills new slots with `None` and the `Tool` trait's new methods have
//! defaults). The end-to-end tests build both pairs for real: `tests/abi-next` compiles this
//! crate with the test-only `abi-next` feature, which appends one field to each vtable, into a
//! plugin (loaded by the normal host) and into a host (which refuses the normal plugins).
//!
//! ## Why not accept older plugins too
//!
//! It would mean keeping, for every released minor version, a frozen copy of the whole type
//! tree for the layout check, and choosing between them by the plugin's version before
//! checking. That is possible later without breaking anything built today, because the refusal
//! happens before any call; until then, refusing with a clear message is the safe behaviour.
