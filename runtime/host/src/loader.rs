//! Opening one library file as a vigil plugin, and turning every way that can fail into a
//! specific [`LoadError`].
//!
//! Libraries are loaded with abi_stable's `lib_header_from_path` + `init_root_module`, which
//! checks the abi_stable header, the plugin-api version and the layout of every type reachable
//! from the root module. `RootModule::load_from_*` is not used: it caches one module per root
//! module *type*, and every vigil plugin has the same root module type. Libraries are never
//! unloaded (abi_stable leaks them on purpose: function pointers into them may live anywhere).
//! Opening a library runs its initialisers, so only files the user pointed at (by directory or
//! path) are ever opened; see the trust model in the README. A passed layout check is
//! remembered per library file and executable ([`probe_cache::layout_key`]) and skipped on
//! the next load of the same file by the same executable.

use std::os::unix::fs::FileExt;
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

/// The hidden `vigil` subcommand that loads one library and exits; see [`load_isolated`].
pub const PROBE_SUBCOMMAND: &str = "__probe-library";

/// Loads `path` in a child process first (`probe_exe PROBE_SUBCOMMAND path`), then, if the
/// child survived, in this process.
///
/// The dynamic loader has no error path for some damage (corrupt relocations end in an
/// `ld.so` assertion that exits the process; a bad pointer ends in SIGSEGV), so a library is
/// only opened here once it has been opened once elsewhere without killing its opener. The
/// child's own verdict is not used: the in-process load repeats every check and gives the
/// structured error.
///
/// A successful probe is remembered (see [`probe_cache`]), so an unchanged library is probed
/// once, not on every run; a library that changed in any way is probed again.
pub fn load_isolated(path: &Path, probe_exe: &Path) -> Result<LoadedPlugin, LoadError> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(LoadError::Missing(format!("{}: {e}", path.display())));
    }
    let cache = probe_cache::ProbeCache::from_env();
    let key = cache
        .as_ref()
        .and_then(|_| probe_cache::key(path, probe_exe));
    if let (Some(c), Some(k)) = (&cache, &key)
        && c.knows(k)
    {
        return load_remembering_layout(path, c);
    }
    let out = std::process::Command::new(probe_exe)
        .arg(PROBE_SUBCOMMAND)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| LoadError::Crashed(format!("cannot start {}: {e}", probe_exe.display())))?;
    if !out.status.success() {
        use std::os::unix::process::ExitStatusExt;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let how = match (out.status.signal(), out.status.code()) {
            (Some(sig), _) => format!("killed by signal {sig}"),
            (None, Some(code)) => format!("exit status {code}"),
            (None, None) => "unknown status".to_owned(),
        };
        return Err(LoadError::Crashed(if last.is_empty() {
            how
        } else {
            format!("{how}: {last}")
        }));
    }
    // Remembered only if the file is still the one probed: stat before, probe, stat after.
    if let (Some(c), Some(k)) = (&cache, &key)
        && probe_cache::key(path, probe_exe).as_ref() == Some(k)
    {
        c.remember(path, k);
    }
    match &cache {
        Some(c) => load_remembering_layout(path, c),
        None => load_library(path),
    }
}

/// [`load_library`], skipping abi_stable's layout check when the cache holds a passed check
/// of this very library file by this very executable (see [`probe_cache::layout_key`]), and
/// remembering a check that passed.
///
/// The layout check walks every type reachable from the root module on both sides: about a
/// million instructions, most of what a tool adds to a short run besides the tool's own work.
/// Its verdict is a function of static data in the two files alone, so with both files
/// unchanged it would be the same again.
fn load_remembering_layout(
    path: &Path,
    cache: &probe_cache::ProbeCache,
) -> Result<LoadedPlugin, LoadError> {
    let before = probe_cache::layout_key(path);
    let known = before.as_ref().is_some_and(|k| cache.knows(k));
    let loaded = load_checked(path, !known, || {
        // Re-examined after `dlopen`: the library must still be the file the key named, or
        // the remembered verdict is not about what was just mapped.
        probe_cache::layout_key(path) == before
    })?;
    if !known
        && let Some(k) = &before
        && probe_cache::exe_settled()
        && probe_cache::layout_key(path).as_ref() == Some(k)
    {
        cache.remember(path, k);
    }
    Ok(loaded)
}

pub mod probe_cache {
    //! Remembering successful probes, so that `vigil run` does not start a probe process per
    //! plugin per run (about 11 ms each) for libraries it has already seen load safely.
    //!
    //! An entry is one small file in `$VIGIL_PROBE_CACHE`, else `$XDG_CACHE_HOME/vigil/probes`,
    //! else `~/.cache/vigil/probes` (`VIGIL_PROBE_CACHE=off` turns the cache off). Its name is
    //! a hash of its key and its text is the key, compared in full, so a hash collision is a
    //! miss. The key names the library by canonical path, device, inode, size, modification
    //! and status-change times (nanoseconds), and the probing `vigil` binary the same way:
    //! replacing, rewriting, truncating or touching the library, or rebuilding vigil, changes
    //! the key, and the library is probed again. Only successes are stored; a failure is
    //! always probed afresh.
    //!
    //! File times have the granularity of the kernel's clock tick, so a library rewritten
    //! twice within one tick could keep its times. A library is therefore remembered only
    //! once its modification time is [`SETTLED`] in the past (as git does with racily clean
    //! index entries): any later write moves the time to "now", away from the stored one.
    //! Cache errors (no home, read-only disk) only mean probing as before.
    //!
    //! The same directory remembers passed abi_stable layout checks ([`layout_key`]): keyed
    //! the same way by the library and by the running executable, stored only once both
    //! files have settled, and only after the check itself passed in this process.

    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::MetadataExt;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, SystemTime};

    /// How old a library's modification time must be before a probe of it is remembered.
    pub const SETTLED: Duration = Duration::from_secs(2);

    /// The environment variable naming the cache directory (`off`: no cache).
    pub const CACHE_VAR: &str = "VIGIL_PROBE_CACHE";

    /// Format version, first in every key: bump it when the key changes meaning.
    const FORMAT: &str = "vigil-probe-1";

    /// The same for remembered layout checks ([`layout_key`]).
    const LAYOUT_FORMAT: &str = "vigil-layout-1";

    /// A cache directory (created on first store).
    #[derive(Debug)]
    pub struct ProbeCache {
        dir: PathBuf,
    }

    impl ProbeCache {
        /// The cache the environment selects, if any.
        pub fn from_env() -> Option<ProbeCache> {
            let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
            let dir = match var(CACHE_VAR) {
                Some(v) if v == "off" => return None,
                Some(v) => PathBuf::from(v),
                None => var("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .or_else(|| var("HOME").map(|h| Path::new(&h).join(".cache")))?
                    .join("vigil")
                    .join("probes"),
            };
            Some(ProbeCache { dir })
        }

        fn entry(&self, key: &str) -> PathBuf {
            // SipHash with fixed keys: stable for one build of vigil, and a different build
            // has a different key anyway (the binary is part of it).
            let mut h = std::collections::hash_map::DefaultHasher::new();
            key.hash(&mut h);
            self.dir.join(format!("{:016x}", h.finish()))
        }

        /// Whether a probe with exactly this key succeeded before.
        pub fn knows(&self, key: &str) -> bool {
            std::fs::read(self.entry(key)).is_ok_and(|text| text == key.as_bytes())
        }

        /// Stores a successful probe of `path` under `key`, if the file has settled.
        pub fn remember(&self, path: &Path, key: &str) {
            if !settled(path) || std::fs::create_dir_all(&self.dir).is_err() {
                return;
            }
            // Written under a unique name and renamed into place, so a concurrent reader sees
            // the whole entry or none.
            let entry = self.entry(key);
            let tmp = entry.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, key).is_ok() && std::fs::rename(&tmp, &entry).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }

    /// Whether `path`'s modification time is at least [`SETTLED`] in the past.
    pub fn settled(path: &Path) -> bool {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age >= SETTLED)
    }

    fn identity(path: &Path) -> Option<String> {
        let m = std::fs::metadata(path).ok()?;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(format!(
            "dev={} ino={} size={} mtime={} ctime={}",
            m.dev(),
            m.ino(),
            m.len(),
            ns(m.mtime(), m.mtime_nsec()),
            ns(m.ctime(), m.ctime_nsec())
        ))
    }

    /// The key of a passed abi_stable layout check of library `path` by the running
    /// executable, now. `None` if anything cannot be examined: then the check is made.
    ///
    /// The executable is named twice: by `/proc/self/exe` (the image the kernel started, even
    /// if its file was replaced since) and by the path `current_exe` reads from that link
    /// (the same file, except under an emulator such as valgrind, which runs as the former and
    /// presents the guest binary as the latter). A replaced executable has no path any more
    /// (` (deleted)`), so it never matches.
    pub fn layout_key(path: &Path) -> Option<String> {
        let canon = std::fs::canonicalize(path).ok()?;
        let lib = identity(&canon)?;
        let image = identity(Path::new("/proc/self/exe"))?;
        let exe_path = std::env::current_exe().ok()?;
        let exe = identity(&exe_path)?;
        let (canon, exe_path) = (canon.to_str()?, exe_path.to_str()?);
        Some(format!(
            "{LAYOUT_FORMAT}\nlib {lib} {canon}\nimage {image}\nexe {exe} {exe_path}\n"
        ))
    }

    /// Whether the running executable's files have settled (see [`layout_key`]).
    pub fn exe_settled() -> bool {
        settled(Path::new("/proc/self/exe")) && std::env::current_exe().is_ok_and(|p| settled(&p))
    }

    /// The key of probing library `path` with `probe_exe` now (`None` if either cannot be
    /// examined: then nothing is cached).
    pub fn key(path: &Path, probe_exe: &Path) -> Option<String> {
        let canon = std::fs::canonicalize(path).ok()?;
        let lib = identity(&canon)?;
        let exe = identity(probe_exe)?;
        let canon = canon.to_str()?;
        Some(format!("{FORMAT}\nlib {lib} {canon}\nexe {exe}\n"))
    }
}

/// Loads `path` as a vigil plugin, in this process. Prefer [`load_isolated`] for files not
/// known to be sound.
pub fn load_library(path: &Path) -> Result<LoadedPlugin, LoadError> {
    load_checked(path, true, || false)
}

/// [`load_library`]; without `check_layout`, the layout check is still made unless
/// `still_known` (asked once the library is open) confirms that a passed check of the same
/// file is remembered.
fn load_checked(
    path: &Path,
    check_layout: bool,
    still_known: impl FnOnce() -> bool,
) -> Result<LoadedPlugin, LoadError> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(LoadError::Missing(format!("{}: {e}", path.display())));
    }
    check_elf(path)?;
    let header = lib_header_from_path(path).map_err(|e| classify(path, e))?;
    let module: PluginModRef = if check_layout || !still_known() {
        header.init_root_module::<PluginModRef>()
    } else {
        // SAFETY: abi_stable's layout check compares the root module's layout constant in
        // this executable with the one in the library: static data of the two files only.
        // `still_known` has just confirmed that the cache holds a pass of that check for a
        // library with this canonical path, device, inode, size, modification and
        // status-change time (taken before and again after the library was opened), checked
        // by an executable with the same identity as this one (see `layout_key`), and only
        // stored for files whose modification time had settled (see `probe_cache`). Any
        // write to either file changes its status-change time, so the files are the ones
        // that passed, and the check would pass again. The version-number check and the
        // constructor still run.
        unsafe { header.init_root_module_with_unchecked_layout::<PluginModRef>() }
    }
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
/// The report lists both layouts and the chain of types down to the mismatch, and ends with
/// the innermost complaint: an `Error:<what>` line followed by `Expected:` and `Found:` blocks.
fn layout_summary(full: &str) -> String {
    let lines: Vec<&str> = full
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(at) = lines.iter().rposition(|l| l.starts_with("Error:")) else {
        return lines
            .last()
            .copied()
            .unwrap_or("the types differ")
            .to_owned();
    };
    let what = lines[at].trim_start_matches("Error:").trim();
    let after = |label: &str| {
        let i = lines[at..].iter().position(|l| *l == label)? + at;
        lines.get(i + 1).copied()
    };
    match (after("Expected:"), after("Found:")) {
        (Some(e), Some(f)) => format!("{what}: expected {e}, found {f}"),
        _ => what.to_owned(),
    }
}

/// Refuses files the dynamic loader would map past their end.
///
/// glibc maps a library's segments straight from the file; a truncated file makes the first
/// touch of a missing page raise SIGBUS and kill vigil, so the program headers are checked
/// against the file size before `dlopen` ever sees it. (Damage inside the file cannot be
/// detected this way; such a library runs with the user's rights like any other.)
fn check_elf(path: &Path) -> Result<(), LoadError> {
    // Only the 64-byte header and the program-header table are read, and the size comes from
    // the metadata: a release plugin is megabytes of mostly debug info, and reading all of it
    // used to dominate a short run's load time and peak memory.
    let missing = |e: std::io::Error| LoadError::Missing(e.to_string());
    let file = std::fs::File::open(path).map_err(missing)?;
    let bad = |why: &str| Err(LoadError::NotALibrary(why.to_owned()));
    let mut head = [0u8; 64];
    // A short file is "not an ELF file", not an I/O error, so fill as much as there is.
    let mut got = 0;
    while got < head.len() {
        match file.read_at(&mut head[got..], got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(missing(e)),
        }
    }
    let len = file.metadata().map_err(missing)?.len();
    if got < 64 || &head[..4] != b"\x7fELF" {
        return bad("not an ELF file");
    }
    if head[4] != 2 || head[5] != 1 {
        return bad("not a 64-bit little-endian ELF file");
    }
    let u16_at = |b: &[u8], o: usize| u16::from_le_bytes([b[o], b[o + 1]]) as u64;
    let u64_at = |b: &[u8], o: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[o..o + 8]);
        u64::from_le_bytes(w)
    };
    let (phoff, phentsize, phnum) = (
        u64_at(&head, 0x20),
        u16_at(&head, 0x36),
        u16_at(&head, 0x38),
    );
    let (shoff, shentsize, shnum) = (
        u64_at(&head, 0x28),
        u16_at(&head, 0x3a),
        u16_at(&head, 0x3c),
    );
    let fits = |off: u64, size: u64| off.checked_add(size).is_some_and(|end| end <= len);
    if phentsize < 56 || !fits(phoff, phentsize * phnum) {
        return bad("truncated: the program headers are cut off");
    }
    if shnum > 0 && !fits(shoff, shentsize * shnum) {
        return bad("truncated: the section headers are cut off");
    }
    // Bounded by the file size just checked (and by 65535 * 65535 bytes in any case).
    let mut table = vec![0u8; (phentsize * phnum) as usize];
    if let Err(e) = file.read_exact_at(&mut table, phoff) {
        // The file shrank between the size check and the read: as cut off as it gets.
        return if e.kind() == std::io::ErrorKind::UnexpectedEof {
            bad("truncated: the program headers are cut off")
        } else {
            Err(missing(e))
        };
    }
    for h in table.chunks_exact(phentsize as usize) {
        let kind = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
        const PT_LOAD: u32 = 1;
        if kind == PT_LOAD && !fits(u64_at(h, 8), u64_at(h, 32)) {
            return bad("truncated: a loadable segment extends past the end of the file");
        }
    }
    Ok(())
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
            let mut summary = layout_summary(&full);
            // abi_stable refuses a vtable with fewer fields than this host's: the plugin
            // predates the API this host was built with (see plugin-api's abi_evolution).
            if summary.starts_with("too many fields") {
                summary.push_str(" (the plugin was built against an older vigil-plugin-api)");
            }
            LoadError::LayoutMismatch { summary, full }
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

/// Loads `path` for a listing (through a probe process when `probe_exe` is given).
pub fn probe(path: &Path, probe_exe: Option<&Path>) -> Probe {
    Probe {
        path: path.to_path_buf(),
        result: match probe_exe {
            Some(exe) => load_isolated(path, exe),
            None => load_library(path),
        },
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
        let report = "Error:x\n  type:PluginMod\nError:mismatched package\nExpected:\n    a\nFound:\n    b\n";
        assert_eq!(
            layout_summary(report),
            "mismatched package: expected a, found b"
        );
        assert_eq!(layout_summary("odd\nlast line\n"), "last line");
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// The ELF pre-check reads attacker-shaped headers: truncations and byte flips of a real
    /// ELF file must give a verdict, never a panic (an out-of-range index would be one).
    #[test]
    fn elf_check_survives_mangled_headers() {
        let exe = std::env::current_exe().unwrap();
        let bytes = std::fs::read(&exe).unwrap();
        let head = &bytes[..bytes.len().min(8192)];
        let dir = std::env::temp_dir().join(format!("vigil-elf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("x.so");
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..400u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut b = head[..(64 + (seed as usize) % (head.len() - 64))].to_vec();
            if round % 2 == 0 {
                // Flip header bytes: the offsets and counts the check trusts least.
                let at = (seed >> 20) as usize % 64;
                b[at] ^= (seed >> 8) as u8 | 1;
            }
            std::fs::write(&file, &b).unwrap();
            let _ = check_elf(&file);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
