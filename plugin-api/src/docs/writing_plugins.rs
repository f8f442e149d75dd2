//! # Writing a plugin
//!
//! ## The lifecycle
//!
//! 1. **Discovery.** The host finds `libvigil_NAME.so` on its search path (`--plugin-dir`,
//!    `$VIGIL_PLUGIN_PATH`, the session's `plugin_dirs`, the folder of the `vigil` binary) or
//!    loads the file a session names with `path = "…"`. It checks abi_stable's header, the
//!    plugin-api version and the layout of every shared type before calling anything.
//! 2. **Create.** The host claims the session's tool id under the plugin's name
//!    (`use_tool_id`) and calls [`Tool::create`](crate::Tool::create) with a [`Host`](crate::Host)
//!    and the `[tool.settings]` table as TOML text. Validate the settings here and return
//!    [`PluginError::settings`](crate::PluginError::settings) naming the key: the user sees
//!    `session.toml:LINE: plugin `x` rejected its settings: …` and nothing runs. Ask for events
//!    here too: nothing is delivered until the tool calls `set_events` or `set_local_events`.
//! 3. **Events.** The host calls the vtable entry for each event, highest tool id first
//!    (CPython 3.13's order).
//!    Keep callbacks cheap; store [`CodeHandle`](crate::CodeHandle)s and resolve names lazily.
//! 4. **Finish.** After the program ends — normally, by an uncaught exception or by
//!    `SystemExit` — every active tool's [`Tool::finish`](crate::Tool::finish) runs with the
//!    program's exit status. Write reports here. Then the state is dropped (`release`).
//!
//! ## The Host API
//!
//! [`Host`](crate::Host) is the plugin's `sys.monitoring` for its own tool id: `get_events`,
//! `set_events`, `get_local_events`, `set_local_events`, `restart_events`,
//! `register_callback`, `get_tool`, `free_tool_id`; plus read-only views of code objects
//! (qualname, filename, first line, offset→line table, nested code objects) and of values
//! (kind, type name, repr, int/float/str/bool contents, exception type and args, callable
//! qualname). Errors come back as [`HostError`](crate::HostError) with CPython's exception kind
//! and message (`ValueError: invalid tool 7 (must be between 0 and 5)`). Invalid handles give
//! `InvalidHandle` errors, never undefined behaviour. [`Host::raw`](crate::Host::raw) exposes
//! the raw function table for other tools' ids.
//!
//! ## Errors and panics
//!
//! The SDK runs all plugin code under `catch_unwind`. A panic in `create` becomes a
//! `failed to start: panicked: MESSAGE (at FILE:LINE:COL)` error; in a callback, the SDK
//! reports the message to the host and returns [`Action::ERROR`](crate::Action::ERROR), and the
//! host disables that tool only; in `finish`, the failure is printed naming the tool and the
//! other tools' reports are still written. The SDK's panic hook stays silent for these (the
//! host prints the message), and defers to the previous hook for any other panic.
//!
//! ## Trust
//!
//! A plugin is native code running with the user's rights inside the vigil process; loading a
//! library runs its initialisers. vigil only loads from the directories listed above (never
//! implicitly from the current directory), warns about plugin directories other users can
//! write to, and `vigil plugins` shows exactly which file each name resolves to. Each library
//! is opened once in a probe process before vigil opens it, so a file that crashes the
//! dynamic loader is refused rather than fatal.
//!
//! ## Memory
//!
//! A plugin runs on the VM's thread, so by default its allocations share the `malloc` arena
//! that holds the program's objects, and can change how often glibc reorganises that arena
//! (a few percent of a run, measured on a generator-heavy program). Turn on this crate's
//! `private-heap` feature and call `vigil_plugin_api::private_heap!()` once to give the plugin its own heap;
//! vigil's plugins all do.
//!
//! ## Building
//!
//! A plugin crate is a `cdylib` depending on `vigil-plugin-api` only; [`export_plugin!`]
//! generates the root module, so it needs no direct abi_stable dependency. Name the crate
//! `vigil-NAME` to get `libvigil_NAME.so` directly, or copy the library under that name.
//!
//! [`export_plugin!`]: crate::export_plugin
