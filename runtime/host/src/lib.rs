//! vigil's host side: session files, plugin discovery and loading, and the lifecycle of the
//! tools a session names.
//!
//! A run goes: [`load_session_file`] (and [`parse_tool_flag`] for `--tool`) → a
//! [`SearchPath`] → [`resolve`] (find and load each library, assign ids) → [`ToolSet::create`]
//! against a Host API backend → the program runs → [`ToolSet::finish`]. Every failure before
//! the program starts is a [`ConfigError`] naming file, line and key, with a hint. The
//! [`DetachedHost`] backend implements the Host API without a program (for `vigil check` and
//! tests); the VM provides the real one. This crate does not interpret Python and does not
//! render diagnostics for a terminal (the CLI does).

mod detached;
mod discovery;
mod error;
mod loader;
mod session;
mod tools;

pub use detached::{CodeInfo, DetachedHost, EventArgs, Fault};
pub use discovery::{
    Candidate, DirOrigin, PLUGIN_PATH_VAR, PluginDir, SearchPath, Warning, library_file_name,
    plugin_name_of,
};
pub use error::{ConfigError, ConfigErrorKind, LoadError};
pub use loader::{
    LoadedPlugin, PROBE_SUBCOMMAND, Probe, load_isolated, load_library, probe, probe_cache,
};
pub use session::{
    IdRequest, Origin, SessionConfig, ToolSource, ToolSpec, assign_ids, check_unique_ids,
    load_session_file, parse_session, parse_tool_flag,
};
pub use tools::{FinishProblem, ResolvedTool, RunningTool, ToolSet, ToolStatus, resolve};
