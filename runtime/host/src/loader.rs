//! Opening one library file as a vigil plugin, and turning every way that can fail into a
//! specific [`LoadError`].
//!
//! Libraries are loaded with abi_stable's `lib_header_from_path` + `init_root_module`, which
//! checks the abi_stable header, the plugin-api version and the layout of every type reachable
//! from the root module. `RootModule::load_from_*` is not used: it caches one module per root
//! module *type*, and every vigil plugin has the same root module type. Libraries are never
//! unloaded (abi_stable leaks them on purpose: function pointers into them may live anywhere).
//! Opening a library runs its initialisers, so only files the user pointed at (by directory or
//! path) are ever opened; see the trust model in the README.

use std::path::{Path, PathBuf};

use abi_stable::library::{LibraryError, RootModule, lib_header_from_path};
use vigil_plugin_api::EventSet;
use vigil_plugin_api::abi::{ABI_VERSION, PluginModRef};

use crate::error::LoadError;

/// A library that passed every check.
#[derive(Clone, Copy)]
pub struct LoadedPlugin {
    /// The root module.
    pub module: PluginModRef,
}

impl std::fmt::Debug for LoadedPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPlugin")
            .field("name", &self.name())
            .field("version", &self.version())
            .field("events", &self.events())
            .finish()
    }
}

impl LoadedPlugin {
    /// The plugin's own name.
    pub fn name(&self) -> &'static str {
        self.module.name().as_str()
    }

    /// The plugin's version.
    pub fn version(&self) -> &'static str {
        self.module.version().as_str()
    }

    /// The events it handles.
    pub fn events(&self) -> EventSet {
        self.module.events()
    }
}

/// Loads `path` as a vigil plugin.
pub fn load_library(path: &Path) -> Result<LoadedPlugin, LoadError> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(LoadError::Missing(format!("{}: {e}", path.display())));
    }
    let header = lib_header_from_path(path).map_err(|e| classify(path, e))?;
    let module: PluginModRef = header
        .init_root_module::<PluginModRef>()
        .map_err(|e| classify(path, e))?;
    let found = module.abi_version();
    if found != ABI_VERSION {
        return Err(LoadError::AbiVersion {
            expected: ABI_VERSION,
            found,
        });
    }
    Ok(LoadedPlugin { module })
}

/// The most useful single line of abi_stable's layout report.
///
/// The report lists the whole chain of types from the root module down to the mismatch and
/// ends with the innermost complaint, which is the one that says what differs.
fn layout_summary(full: &str) -> String {
    let lines: Vec<&str> = full
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let error_line = lines
        .iter()
        .rev()
        .find(|l| l.starts_with("Error:") || l.contains("mismatch") || l.contains("too many"))
        .or(lines.last())
        .copied()
        .unwrap_or("the types differ");
    error_line.trim_start_matches("Error:").trim().to_owned()
}

fn classify(path: &Path, e: LibraryError) -> LoadError {
    match e {
        LibraryError::OpenError { err, .. } => {
            // libloading's message repeats the path; keep the loader's reason only.
            let msg = err.to_string();
            let shown = path.display().to_string();
            let reason = msg
                .rsplit_once(&format!("{shown}: "))
                .map(|(_, r)| r.to_owned())
                .unwrap_or(msg);
            LoadError::NotALibrary(reason)
        }
        LibraryError::GetSymbolError { .. } => LoadError::NotAPlugin,
        LibraryError::IncompatibleVersionNumber {
            expected_version,
            actual_version,
            ..
        } => LoadError::VersionMismatch {
            expected: expected_version.to_string(),
            found: actual_version.to_string(),
        },
        LibraryError::ParseVersionError(e) => LoadError::VersionMismatch {
            expected: PluginModRef::VERSION_STRINGS.version.to_string(),
            found: format!("an unreadable version ({e})"),
        },
        LibraryError::AbiInstability(report) => {
            let full = report.to_string();
            LoadError::LayoutMismatch {
                summary: layout_summary(&full),
                full,
            }
        }
        LibraryError::InvalidAbiHeader(h) => LoadError::LayoutMismatch {
            summary: format!(
                "built with abi_stable {}.{}, incompatible with this vigil's",
                h.abi_major, h.abi_minor
            ),
            full: format!("{h:?}"),
        },
        LibraryError::RootModule { err, .. } => LoadError::InitFailed(err.to_string()),
        other => LoadError::LayoutMismatch {
            summary: other.to_string().lines().next().unwrap_or("").to_owned(),
            full: other.to_string(),
        },
    }
}

/// A candidate file and the result of loading it, for listings (`vigil plugins`).
#[derive(Debug)]
pub struct Probe {
    /// The file.
    pub path: PathBuf,
    /// The outcome.
    pub result: Result<LoadedPlugin, LoadError>,
}

/// Loads `path` for a listing.
pub fn probe(path: &Path) -> Probe {
    Probe {
        path: path.to_path_buf(),
        result: load_library(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_libraries_clearly() {
        let dir = std::env::temp_dir().join(format!("vigil-loader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = dir.join("libvigil_text.so");
        std::fs::write(&text, b"this is not ELF").unwrap();
        match load_library(&text) {
            Err(LoadError::NotALibrary(reason)) => {
                assert!(!reason.contains(dir.to_str().unwrap()), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        match load_library(&dir.join("libvigil_absent.so")) {
            Err(LoadError::Missing(m)) => assert!(m.contains("libvigil_absent.so"), "{m}"),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn summary_picks_the_innermost_complaint() {
        let report = "\nError:\n  outer\n  Layout of PluginMod\n   Error:too many fields\n";
        assert_eq!(layout_summary(report), "too many fields");
    }
}
