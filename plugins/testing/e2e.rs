//! Shared by the tool plugins' end-to-end tests (included with `#[path]`, not a crate): where
//! the `vigil` binary, the plugin directory, the corpus and CPython 3.13 are, and building the
//! binary and the plugins once per test binary so `cargo test -p vigil-coverage` works on its
//! own, not only inside `cargo test --workspace`. It knows nothing of what the tests expect.
//!
//! `VIGIL_BIN` and `VIGIL_PLUGIN_DIR` point the tests at prebuilt artifacts (nothing is built
//! then); `VIGIL_CORPUS` and `CPYTHON313` override the other defaults.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root.
pub fn workspace() -> PathBuf {
    let w = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&w).unwrap_or(w)
}

fn from_env(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var).map_or(default, PathBuf::from)
}

fn target_debug() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from)
        .join("debug")
}

/// Builds `vigil` and every tool plugin (debug profile, the workspace's target directory) once
/// per test binary, unless `VIGIL_BIN` says they are prebuilt. Cargo's own lock makes this
/// safe while other test binaries do the same.
fn ensure_built() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        if std::env::var_os("VIGIL_BIN").is_some() {
            return;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = Command::new(cargo)
            .current_dir(workspace())
            .args(["build", "-p", "vigil"])
            .args(["-p", "vigil-coverage", "-p", "vigil-profiler"])
            .args(["-p", "vigil-tracer", "-p", "vigil-debugger"])
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "building vigil and the plugins failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// The `vigil` binary, built if needed.
pub fn vigil() -> PathBuf {
    ensure_built();
    let p = from_env("VIGIL_BIN", target_debug().join("vigil"));
    assert!(p.exists(), "no vigil binary at {}", p.display());
    p
}

/// The directory holding `libvigil_coverage.so` and the other tools, built if needed.
pub fn plugin_dir() -> PathBuf {
    ensure_built();
    from_env("VIGIL_PLUGIN_DIR", target_debug())
}

/// The conformance corpus.
pub fn corpus() -> PathBuf {
    from_env(
        "VIGIL_CORPUS",
        workspace().join("../shared/conformance/corpus"),
    )
}

/// CPython 3.13, the reference interpreter.
pub fn python() -> PathBuf {
    from_env(
        "CPYTHON313",
        PathBuf::from("/root/.cache/cpython3.13/python3.13"),
    )
}

/// A fresh directory under the system temp dir for one test (`tag` keeps tests apart).
pub fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vigil-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `f` over `items` on one thread each (the work is a child process per item, so the threads
/// mostly wait); results in `items` order. Keeps a corpus sweep as long as its slowest
/// program rather than their sum.
pub fn par_map<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    std::thread::scope(|s| {
        let handles: Vec<_> = items.iter().map(|i| s.spawn(|| f(i))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker thread"))
            .collect()
    })
}
