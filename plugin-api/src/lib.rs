//! The stable plugin ABI of vigil and the safe SDK for writing monitoring tools.
//!
//! vigil runs Python programs on its own VM and reports what they do through the event model
//! of CPython 3.13's `sys.monitoring` (PEP 669). A *tool* is a shared library built against
//! this crate: the host loads it, binds it to a tool id (0–5) from a session file, and calls
//! it through a per-tool vtable of `extern "C"` functions, one per event. This crate depends on
//! nothing else of vigil's; it owns the vocabulary that the host, the monitoring core and every
//! plugin share ([`events`]), the types that cross the library boundary ([`abi`]) and the safe
//! layer plugin authors use ([`sdk`]). It does no loading and holds no monitoring state.
//!
//! # A complete plugin
//!
//! A plugin is a `cdylib` crate that depends on `vigil-plugin-api` alone:
//!
//! ```toml
//! [package]
//! name = "vigil-linecount"
//!
//! [lib]
//! crate-type = ["cdylib"]
//!
//! [dependencies]
//! vigil-plugin-api = { path = "…/plugin-api" }
//! ```
//!
//! It implements [`Tool`], asks for its events in `create`, and exports itself with
//! [`export_plugin!`]. This one counts LINE events and prints the total at the end:
//!
//! ```
//! use vigil_plugin_api::{Action, Code, EventSet, Host, PluginError, Tool, export_plugin};
//!
//! struct LineCount {
//!     lines: u64,
//!     quiet: bool,
//! }
//!
//! impl Tool for LineCount {
//!     const NAME: &'static str = "linecount";
//!     const VERSION: &'static str = "0.1.0";
//!     const EVENTS: EventSet = EventSet::LINE;
//!
//!     fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
//!         // `settings` is the session's [tool.settings] table as TOML text; a real plugin
//!         // would parse it with the `toml` crate and name any key it rejects.
//!         let quiet = match settings.trim() {
//!             "" => false,
//!             "quiet = true" => true,
//!             other => return Err(PluginError::settings(format!("unknown setting `{other}`"))),
//!         };
//!         host.set_events(EventSet::LINE)?;
//!         Ok(LineCount { lines: 0, quiet })
//!     }
//!
//!     fn line(&mut self, _host: &Host, _code: Code<'_>, _line: u32) -> Action {
//!         self.lines += 1;
//!         Action::CONTINUE
//!     }
//!
//!     fn finish(&mut self, _host: &Host, exit_code: i32) -> Result<(), PluginError> {
//!         if !self.quiet {
//!             eprintln!("linecount: {} lines (exit status {exit_code})", self.lines);
//!         }
//!         Ok(())
//!     }
//! }
//!
//! export_plugin!(LineCount);
//! # fn main() {
//! #     // The generated root module describes the plugin:
//! #     let module = __vigil_plugin_root_module();
//! #     assert_eq!(module.name().as_str(), "linecount");
//! #     assert_eq!(module.events(), EventSet::LINE);
//! # }
//! ```
//!
//! Build it with `cargo build --release`, copy `target/release/liblinecount.so` to
//! `libvigil_linecount.so` in a plugin directory (or name the crate `vigil-linecount`), and
//! name it in a session:
//!
//! ```toml
//! [[tool]]
//! plugin = "linecount"
//! id = "auto"
//! [tool.settings]
//! quiet = true
//! ```
//!
//! # The rest of the manual
//!
//! * [`docs::writing_plugins`]: the lifecycle of a tool, the Host API, errors and panics.
//! * [`docs::event_reference`]: every event, its arguments and when it fires.
//! * [`docs::abi_evolution`]: what may change between versions, and which old/new pairs load.
//! * [`docs::implementing_a_host`]: the other side of the contract, for the VM.
#![deny(missing_docs)]

pub mod abi;
pub mod docs;
pub mod events;
pub mod glob;
pub mod sdk;

pub use abi::{
    ABI_VERSION, Action, BranchEntry, Callback, CodeHandle, ErrorKind, EventHints, FrameInfo,
    HostApi, HostError, LEAN_DELIVERY, LineEntry, LocalVar, PluginError, PluginErrorKind,
    ValueKind, ValueRef,
};
pub use events::{
    COVERAGE_ID, DEBUGGER_ID, Event, EventSet, OPTIMIZER_ID, PROFILER_ID, ToolId, UnknownEvent,
};
pub use sdk::{Code, Host, Tool, Value};

/// Re-exports the export macro's generated code needs; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use abi_stable;
    #[cfg(feature = "private-heap")]
    pub use dlmalloc;
}

/// Makes this plugin allocate from a heap of its own instead of the host's `malloc`: use it
/// once, in the plugin crate, with this crate's `private-heap` feature on.
///
/// It declares the crate's `#[global_allocator]` (dlmalloc, taking its memory from the kernel
/// with `mmap`), so nothing the plugin allocates or frees lands in the arena where the VM
/// keeps the program's objects. Why that matters: glibc merges an arena's small free blocks
/// lazily, the next time a request cannot be served from its bins, walking every block the
/// program has freed since. A plugin that allocates in the VM's arena moves the arena's top
/// and brings those walks on (measured: line coverage on the corpus's generators program ran
/// 1.7 % more instructions than the program alone, 0.5 % with this heap; a report written at
/// exit was enough to trigger one walk over 43,000 freed blocks). Memory crosses the library
/// boundary only in abi_stable types, which free through the allocating side's vtable, so
/// the two heaps never see each other's blocks.
///
/// The allocator applies to every binary the crate is linked into: gate the call behind a
/// feature of the plugin's own (as vigil's plugins do, on by default) if its `rlib` is also
/// linked into test or benchmark binaries that should keep the system allocator.
///
/// ```ignore
/// vigil_plugin_api::private_heap!();
/// ```
#[cfg(feature = "private-heap")]
#[macro_export]
macro_rules! private_heap {
    () => {
        #[global_allocator]
        static __VIGIL_PLUGIN_HEAP: $crate::__private::dlmalloc::GlobalDlmalloc =
            $crate::__private::dlmalloc::GlobalDlmalloc;
    };
}

/// The symbol abi_stable looks for in a library (`abi_stable::library::ROOT_MODULE_LOADER_NAME`),
/// as a literal so that `export_plugin!` can put it in an `export_name` attribute; a unit test
/// checks it against abi_stable's constant.
#[doc(hidden)]
#[macro_export]
macro_rules! __root_module_loader_name {
    () => {
        "_1as_0lib_1header_0root_bmodule_bloader"
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn loader_symbol_matches_abi_stable() {
        assert_eq!(
            crate::__root_module_loader_name!(),
            abi_stable::library::ROOT_MODULE_LOADER_NAME
        );
    }
}
