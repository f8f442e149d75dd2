//! The host's error types: configuration errors pinned to file, line and key, and library
//! load errors, each with a short message and a hint saying what to do.
//!
//! Rendering for a terminal (colours, the `--verbose` layout dump) is the CLI's job; this
//! module only carries the facts.

use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why a session (or the tools named on the command line) cannot be used.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ConfigErrorKind {
    /// The file could not be read.
    #[error("cannot read the session file: {0}")]
    Unreadable(String),
    /// TOML syntax error.
    #[error("invalid TOML: {0}")]
    Syntax(String),
    /// A key this format does not have.
    #[error("unknown key in {table} (valid keys: {valid})")]
    UnknownKey {
        /// Which table it was in.
        table: String,
        /// The keys that table takes.
        valid: &'static str,
    },
    /// A value of the wrong TOML type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What the key takes.
        expected: &'static str,
        /// What was written.
        found: &'static str,
    },
    /// `id` outside `0..=5`.
    #[error("tool id {0} is out of range (must be between 0 and 5, or \"auto\")")]
    IdOutOfRange(String),
    /// Two tools with the same fixed id.
    #[error("tool id {id} is given to both {first} and {second}")]
    DuplicateId {
        /// The id.
        id: u8,
        /// The first tool, with its location.
        first: String,
        /// The second tool.
        second: String,
    },
    /// More tools than ids.
    #[error("no free tool id is left for {0} (there are only 6)")]
    NoFreeId(String),
    /// Both `plugin` and `path`.
    #[error("a [[tool]] has both `plugin` and `path`")]
    PluginAndPath,
    /// Neither `plugin` nor `path`.
    #[error("a [[tool]] needs `plugin = \"NAME\"` or `path = \"FILE\"`")]
    NoPlugin,
    /// A plugin name with a path separator, or empty.
    #[error("`{0}` is not a plugin name")]
    BadPluginName(String),
    /// No library with that name on the search path.
    #[error("{}", unknown_plugin_message(.name, .searched, .found))]
    UnknownPlugin {
        /// The requested name.
        name: String,
        /// The directories searched, in order.
        searched: Vec<PathBuf>,
        /// The plugin names that do exist there.
        found: Vec<String>,
    },
    /// The library exists but was refused.
    #[error("cannot load {what}: {reason}")]
    Refused {
        /// The plugin, as the user named it.
        what: String,
        /// Why.
        reason: LoadError,
    },
    /// The plugin's `create` rejected its settings.
    #[error("plugin `{plugin}` rejected its settings: {message}")]
    SettingsRejected {
        /// Plugin name.
        plugin: String,
        /// The plugin's message.
        message: String,
    },
    /// The plugin's `create` failed otherwise (or panicked).
    #[error("plugin `{plugin}` failed to start: {message}")]
    CreateFailed {
        /// Plugin name.
        plugin: String,
        /// The plugin's message.
        message: String,
    },
}

fn unknown_plugin_message(name: &str, searched: &[PathBuf], found: &[String]) -> String {
    let mut s = format!(
        "no plugin named `{name}` (looked for {} in: ",
        crate::discovery::library_file_name(name)
    );
    if searched.is_empty() {
        s.push_str("no directories");
    } else {
        let dirs: Vec<String> = searched.iter().map(|d| d.display().to_string()).collect();
        s.push_str(&dirs.join(", "));
    }
    s.push(')');
    if found.is_empty() {
        s.push_str("; no plugins were found there");
    } else {
        s.push_str("; found: ");
        s.push_str(&found.join(", "));
    }
    s
}

impl ConfigErrorKind {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        use ConfigErrorKind as K;
        match self {
            K::Unreadable(_) => "check the path given to --session",
            K::Syntax(_) => "fix the TOML syntax at the position shown",
            K::UnknownKey { .. } => "remove the key or fix its spelling",
            K::WrongType { .. } => "change the value to the expected type",
            K::IdOutOfRange(_) => "use an id from 0 to 5, or id = \"auto\"",
            K::DuplicateId { .. } => "give each tool its own id, or use id = \"auto\"",
            K::NoFreeId(_) => "remove a tool: at most 6 tools can run at once",
            K::PluginAndPath => "keep only one of `plugin` and `path`",
            K::NoPlugin => {
                "add `plugin = \"NAME\"` (searched on the plugin path) or `path = \"FILE\"`"
            }
            K::BadPluginName(_) => "use `path = \"FILE\"` to load a library from a path",
            K::UnknownPlugin { .. } => {
                "add the plugin's directory with --plugin-dir, $VIGIL_PLUGIN_PATH or [session] plugin_dirs; `vigil plugins` lists what is found"
            }
            K::Refused { reason, .. } => reason.hint(),
            K::SettingsRejected { .. } => "fix [tool.settings] as the plugin's message says",
            K::CreateFailed { .. } => "this is a fault in the plugin; report it to its author",
        }
    }
}

/// A configuration error with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The session file (or `<command line>`).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The key (dotted: `tool.id`), when one is to blame.
    pub key: Option<String>,
    /// What is wrong.
    pub kind: ConfigErrorKind,
}

impl ConfigError {
    /// Builds an error.
    pub fn new(
        file: &Path,
        line: Option<usize>,
        key: Option<String>,
        kind: ConfigErrorKind,
    ) -> ConfigError {
        ConfigError {
            file: file.to_path_buf(),
            line,
            key,
            kind,
        }
    }

    /// The hint for the user.
    pub fn hint(&self) -> &'static str {
        self.kind.hint()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": `{key}`")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for ConfigError {}

/// Why a library file was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The file does not exist or cannot be read.
    #[error("{0}")]
    Missing(String),
    /// The dynamic loader refused the file: not a shared library, truncated or corrupt.
    #[error("not a loadable shared library ({0})")]
    NotALibrary(String),
    /// A shared library without vigil's root module.
    #[error("not a vigil plugin (the library exports no plugin root module)")]
    NotAPlugin,
    /// The root module's types do not have the layout this host expects.
    #[error("ABI layout mismatch: {summary}")]
    LayoutMismatch {
        /// One line: abi_stable's most specific complaint.
        summary: String,
        /// abi_stable's whole report (shown with --verbose).
        full: String,
    },
    /// Built against an incompatible version of vigil-plugin-api.
    #[error("built against vigil-plugin-api {found}, this vigil needs {expected}")]
    VersionMismatch {
        /// The host's plugin-api version.
        expected: String,
        /// The plugin's.
        found: String,
    },
    /// The root module's `abi_version` differs from the host's.
    #[error("plugin ABI version {found}, this vigil speaks version {expected}")]
    AbiVersion {
        /// The host's ABI version.
        expected: u32,
        /// The plugin's.
        found: u32,
    },
    /// The root module's initialiser failed.
    #[error("the plugin's root module failed to initialise: {0}")]
    InitFailed(String),
    /// Loading the library in a separate probe process killed that process: the file is
    /// corrupt in a way the dynamic loader does not survive, so it was never loaded into vigil.
    #[error("corrupt library: loading it killed a probe process ({0})")]
    Crashed(String),
}

impl LoadError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            LoadError::Missing(_) => "check the path",
            LoadError::NotALibrary(_) | LoadError::NotAPlugin | LoadError::Crashed(_) => {
                "remove the file from the plugin directory, or point to the right file"
            }
            LoadError::LayoutMismatch { .. }
            | LoadError::VersionMismatch { .. }
            | LoadError::AbiVersion { .. } => {
                "rebuild the plugin against this vigil's plugin-api (run with --verbose for the full layout report)"
            }
            LoadError::InitFailed(_) => "this is a fault in the plugin; report it to its author",
        }
    }

    /// The long report, where there is one (layout mismatches).
    pub fn details(&self) -> Option<&str> {
        match self {
            LoadError::LayoutMismatch { full, .. } => Some(full),
            _ => None,
        }
    }
}
