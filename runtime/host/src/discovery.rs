//! The plugin search path and what lives on it: which directories are searched, in which
//! order, which file a plugin name resolves to, and the warnings a careful loader gives
//! (shadowed names, directories other users can write to).
//!
//! Order: `--plugin-dir` flags, then `$VIGIL_PLUGIN_PATH` (colon-separated), then the
//! session's `plugin_dirs`, then the folder holding the `vigil` executable. The current
//! directory is never searched unless one of those names it: an empty `$VIGIL_PLUGIN_PATH`
//! entry (which a shell would read as ".") is skipped. This module never opens a library;
//! that is [`crate::loader`]'s job.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::ConfigErrorKind;

/// The environment variable holding extra plugin directories.
pub const PLUGIN_PATH_VAR: &str = "VIGIL_PLUGIN_PATH";

/// The file a plugin named `name` lives in: `libvigil_NAME.so` on Linux (`-` becomes `_`,
/// as Cargo does for `vigil-NAME` crates).
pub fn library_file_name(name: &str) -> String {
    format!(
        "{}vigil_{}{}",
        std::env::consts::DLL_PREFIX,
        name.replace('-', "_"),
        std::env::consts::DLL_SUFFIX
    )
}

/// The plugin name of a library file, if it is named like one.
pub fn plugin_name_of(file_name: &str) -> Option<&str> {
    let stem = file_name
        .strip_prefix(std::env::consts::DLL_PREFIX)?
        .strip_suffix(std::env::consts::DLL_SUFFIX)?;
    let name = stem.strip_prefix("vigil_")?;
    (!name.is_empty()).then_some(name)
}

/// Why a directory is on the search path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirOrigin {
    /// A `--plugin-dir` flag.
    Flag,
    /// `$VIGIL_PLUGIN_PATH`.
    Env,
    /// The session's `plugin_dirs`.
    Session,
    /// The folder of the `vigil` executable.
    Executable,
}

impl fmt::Display for DirOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DirOrigin::Flag => "--plugin-dir",
            DirOrigin::Env => "$VIGIL_PLUGIN_PATH",
            DirOrigin::Session => "session plugin_dirs",
            DirOrigin::Executable => "beside vigil",
        })
    }
}

/// One directory on the search path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginDir {
    /// The directory.
    pub path: PathBuf,
    /// Where it came from.
    pub origin: DirOrigin,
}

/// Something worth telling the user that does not stop the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// Two directories hold a plugin of the same name; the first wins.
    Shadowed {
        /// The plugin name.
        name: String,
        /// The file that is used.
        used: PathBuf,
        /// The file that is ignored.
        ignored: PathBuf,
    },
    /// A plugin directory (or library) that users other than its owner can write to: anyone
    /// able to write there can run code as whoever runs vigil.
    WorldWritable(PathBuf),
    /// A directory the user named explicitly (flag or session) that cannot be read: probably a
    /// typo. (Missing `$VIGIL_PLUGIN_PATH` entries are normal and not reported.)
    MissingDir(PluginDir),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Shadowed {
                name,
                used,
                ignored,
            } => write!(
                f,
                "plugin `{name}` found twice: using {}, ignoring {}",
                used.display(),
                ignored.display()
            ),
            Warning::WorldWritable(path) => write!(
                f,
                "{} is writable by other users; anyone who can write there can run code as you (chmod o-w)",
                path.display()
            ),
            Warning::MissingDir(dir) => write!(
                f,
                "plugin directory {} (from {}) cannot be read",
                dir.path.display(),
                dir.origin
            ),
        }
    }
}

/// A library found on the search path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The plugin name (from the file name).
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// The directory it was found in.
    pub dir: PluginDir,
    /// `Some(file)` if an earlier directory has a plugin of the same name (that file wins).
    pub shadowed_by: Option<PathBuf>,
}

/// The ordered list of plugin directories.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchPath {
    dirs: Vec<PluginDir>,
}

fn world_writable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o002 != 0)
}

impl SearchPath {
    /// Builds the path from its four sources, in the documented order. Duplicate directories
    /// keep their first position.
    pub fn new(
        flags: &[PathBuf],
        env: Option<&OsStr>,
        session_dirs: &[PathBuf],
        exe_dir: Option<&Path>,
    ) -> SearchPath {
        let mut path = SearchPath::default();
        for d in flags {
            path.push(d.clone(), DirOrigin::Flag);
        }
        if let Some(env) = env {
            for d in std::env::split_paths(env) {
                if !d.as_os_str().is_empty() {
                    path.push(d, DirOrigin::Env);
                }
            }
        }
        for d in session_dirs {
            path.push(d.clone(), DirOrigin::Session);
        }
        if let Some(d) = exe_dir {
            path.push(d.to_path_buf(), DirOrigin::Executable);
        }
        path
    }

    /// [`SearchPath::new`] with `$VIGIL_PLUGIN_PATH` and the running executable's folder.
    pub fn from_environment(flags: &[PathBuf], session_dirs: &[PathBuf]) -> SearchPath {
        let env = std::env::var_os(PLUGIN_PATH_VAR);
        let exe = std::env::current_exe().ok();
        let exe_dir = exe.as_deref().and_then(Path::parent);
        SearchPath::new(flags, env.as_deref(), session_dirs, exe_dir)
    }

    fn push(&mut self, path: PathBuf, origin: DirOrigin) {
        if !self.dirs.iter().any(|d| d.path == path) {
            self.dirs.push(PluginDir { path, origin });
        }
    }

    /// The directories, in search order.
    pub fn dirs(&self) -> &[PluginDir] {
        &self.dirs
    }

    /// Every plugin-named library in every directory, in search order (within a directory,
    /// by name), with shadowing marked, plus the warnings about the directories.
    pub fn scan(&self) -> (Vec<Candidate>, Vec<Warning>) {
        let mut found = Vec::new();
        let mut warnings = Vec::new();
        let mut first: BTreeMap<String, PathBuf> = BTreeMap::new();
        for dir in &self.dirs {
            let Ok(entries) = std::fs::read_dir(&dir.path) else {
                if matches!(dir.origin, DirOrigin::Flag | DirOrigin::Session) {
                    warnings.push(Warning::MissingDir(dir.clone()));
                }
                continue;
            };
            if world_writable(&dir.path) {
                warnings.push(Warning::WorldWritable(dir.path.clone()));
            }
            let mut here: Vec<(String, PathBuf)> = entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let file_name = e.file_name();
                    let name = plugin_name_of(file_name.to_str()?)?.to_owned();
                    let path = e.path();
                    path.is_file().then_some((name, path))
                })
                .collect();
            here.sort();
            for (name, path) in here {
                let shadowed_by = first.get(&name).cloned();
                match &shadowed_by {
                    // The copy beside the binary is the default of last resort: an explicitly
                    // listed directory overriding it is the normal case, not a surprise.
                    Some(_) if dir.origin == DirOrigin::Executable => {}
                    Some(used) => warnings.push(Warning::Shadowed {
                        name: name.clone(),
                        used: used.clone(),
                        ignored: path.clone(),
                    }),
                    None => {
                        first.insert(name.clone(), path.clone());
                    }
                }
                found.push(Candidate {
                    name,
                    path,
                    dir: dir.clone(),
                    shadowed_by,
                });
            }
        }
        (found, warnings)
    }

    /// The file plugin `name` resolves to (the first directory holding it), with the warnings
    /// that concern it; or the error listing where it looked and what it found.
    ///
    /// The same answer and warnings, in the same order, as picking the name out of
    /// [`SearchPath::scan`], but it looks only at the one file name the plugin can have in
    /// each directory: listing every directory and testing each plugin-named entry cost ~90 K
    /// instructions of every tool run (callgrind, a session with one plugin directory
    /// holding a build's `target/release`), a third of what loading the plugin itself costs.
    /// Only a name found nowhere lists the directories, for the error's list of what is there.
    pub fn find(&self, name: &str) -> Result<(PathBuf, Vec<Warning>), ConfigErrorKind> {
        let file = library_file_name(name);
        let wanted = name.replace('-', "_");
        // A name no listed entry could carry (empty, or with a `/` that would reach into
        // another directory) is left to the listing, which finds nothing.
        if file.contains('/') || plugin_name_of(&file) != Some(wanted.as_str()) {
            return self.find_by_scan(name);
        }
        let mut hit: Option<PathBuf> = None;
        let mut warnings = Vec::new();
        for dir in &self.dirs {
            // Readable as `scan` needs it (a directory that cannot be listed contributes
            // nothing there, even if the file could be opened by name).
            if std::fs::read_dir(&dir.path).is_err() {
                if matches!(dir.origin, DirOrigin::Flag | DirOrigin::Session) {
                    warnings.push(Warning::MissingDir(dir.clone()));
                }
                continue;
            }
            let path = dir.path.join(&file);
            if !path.is_file() {
                continue;
            }
            match &hit {
                None => {
                    if world_writable(&dir.path) {
                        warnings.push(Warning::WorldWritable(dir.path.clone()));
                    }
                    hit = Some(path);
                }
                Some(_) if dir.origin == DirOrigin::Executable => {}
                Some(used) => warnings.push(Warning::Shadowed {
                    name: wanted.clone(),
                    used: used.clone(),
                    ignored: path,
                }),
            }
        }
        match hit {
            Some(path) => Ok((path, warnings)),
            None => self.find_by_scan(name),
        }
    }

    /// [`SearchPath::find`] by listing every directory: the reference it must agree with, and
    /// the error for a name found nowhere.
    fn find_by_scan(&self, name: &str) -> Result<(PathBuf, Vec<Warning>), ConfigErrorKind> {
        let (found, warnings) = self.scan();
        let wanted = name.replace('-', "_");
        let Some(hit) = found.iter().find(|c| c.name == wanted) else {
            let mut names: Vec<String> = found
                .iter()
                .filter(|c| c.shadowed_by.is_none())
                .map(|c| c.name.clone())
                .collect();
            names.dedup();
            return Err(ConfigErrorKind::UnknownPlugin {
                name: name.to_owned(),
                searched: self.dirs.iter().map(|d| d.path.clone()).collect(),
                found: names,
            });
        };
        let relevant = warnings
            .into_iter()
            .filter(|w| match w {
                Warning::Shadowed { name: n, .. } => *n == wanted,
                Warning::WorldWritable(dir) => hit.path.parent() == Some(dir.as_path()),
                Warning::MissingDir(_) => true,
            })
            .collect();
        Ok((hit.path.clone(), relevant))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(library_file_name("coverage"), "libvigil_coverage.so");
        assert_eq!(library_file_name("my-tool"), "libvigil_my_tool.so");
        assert_eq!(plugin_name_of("libvigil_coverage.so"), Some("coverage"));
        assert_eq!(plugin_name_of("libvigil_.so"), None);
        assert_eq!(plugin_name_of("libcoverage.so"), None);
        assert_eq!(plugin_name_of("libvigil_x.so.1"), None);
    }

    #[test]
    fn order_and_no_implicit_cwd() {
        let p = SearchPath::new(
            &[PathBuf::from("/flag")],
            Some(OsStr::new("/env1::/env2:")),
            &[PathBuf::from("/session"), PathBuf::from("/flag")],
            Some(Path::new("/exe")),
        );
        let got: Vec<(&str, DirOrigin)> = p
            .dirs()
            .iter()
            .map(|d| (d.path.to_str().unwrap(), d.origin))
            .collect();
        assert_eq!(
            got,
            [
                ("/flag", DirOrigin::Flag),
                ("/env1", DirOrigin::Env),
                ("/env2", DirOrigin::Env),
                ("/session", DirOrigin::Session),
                ("/exe", DirOrigin::Executable),
            ]
        );
    }

    #[test]
    fn first_wins_and_warnings() {
        use std::os::unix::fs::PermissionsExt;
        let base = std::env::temp_dir().join(format!("vigil-disc-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("libvigil_x.so"), b"").unwrap();
        std::fs::write(b.join("libvigil_x.so"), b"").unwrap();
        std::fs::write(b.join("libvigil_y.so"), b"").unwrap();
        std::fs::write(b.join("notes.txt"), b"").unwrap();
        std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o777)).unwrap();
        let p = SearchPath::new(&[a.clone(), b.clone()], None, &[], None);
        let (path, warnings) = p.find("x").unwrap();
        assert_eq!(path, a.join("libvigil_x.so"));
        assert_eq!(
            warnings,
            [Warning::Shadowed {
                name: "x".into(),
                used: a.join("libvigil_x.so"),
                ignored: b.join("libvigil_x.so")
            }]
        );
        let (path, warnings) = p.find("y").unwrap();
        assert_eq!(path, b.join("libvigil_y.so"));
        assert_eq!(warnings, [Warning::WorldWritable(b.clone())]);
        match p.find("z") {
            Err(ConfigErrorKind::UnknownPlugin {
                searched, found, ..
            }) => {
                assert_eq!(searched, [a.clone(), b.clone()]);
                assert_eq!(found, ["x", "y"]);
            }
            other => panic!("{other:?}"),
        }
        let with_exe = SearchPath::new(std::slice::from_ref(&a), None, &[], Some(&b));
        let (found, warnings) = with_exe.scan();
        assert!(found.iter().any(|c| c.shadowed_by.is_some()));
        assert!(
            !warnings
                .iter()
                .any(|w| matches!(w, Warning::Shadowed { .. })),
            "{warnings:?}"
        );
        // The directed lookup agrees with picking the name out of the full listing, warnings
        // and their order included: missing directories before and after the hit, a
        // world-writable hit directory, shadowing by a later directory and by the folder
        // beside the executable (no warning), names found nowhere or that no file can carry.
        std::fs::create_dir_all(base.join("c")).unwrap();
        std::fs::write(base.join("c").join("libvigil_x.so"), b"").unwrap();
        std::fs::create_dir_all(base.join("c").join("libvigil_d.so")).unwrap();
        std::fs::write(a.join("libvigil_my_tool.so"), b"").unwrap();
        let layouts = [
            SearchPath::new(
                &[base.join("nope"), b.clone()],
                None,
                &[a.clone(), base.join("gone")],
                Some(&base.join("c")),
            ),
            SearchPath::new(&[b.clone(), a.clone()], None, &[base.join("c")], None),
            SearchPath::new(&[], None, std::slice::from_ref(&a), Some(&b)),
        ];
        for p in &layouts {
            for name in ["x", "y", "z", "d", "my-tool", "", "../a/libvigil_x", "a/b"] {
                assert_eq!(
                    format!("{:?}", p.find(name)),
                    format!("{:?}", p.find_by_scan(name)),
                    "{name:?} in {p:?}"
                );
            }
        }
        let typo = SearchPath::new(&[base.join("nope")], None, &[], None);
        let (_, warnings) = typo.scan();
        assert_eq!(
            warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [format!(
                "plugin directory {} (from --plugin-dir) cannot be read",
                base.join("nope").display()
            )]
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
