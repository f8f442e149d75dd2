//! Support for vigil's end-to-end tests: building the `vigil` binary, the fixture plugins and
//! the out-of-workspace plugins, and laying them out in temporary plugin directories.
//!
//! Tests call [`artifacts`] (it runs `cargo build` once per test binary for everything they
//! need, in the workspace's target directory and debug profile) and then copy libraries into
//! fresh directories with [`TempDir`]. Fixture libraries are named `libfixture_*.so` and the
//! out-of-workspace ones `libcallcount_plugin.so` / `libabi_next_plugin.so`, so none is ever on
//! a default search path; tests give them `libvigil_NAME.so` names where they place them.
//! Nothing here knows what the tests expect.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Where cargo puts things.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn run_cargo(dir: &Path, args: &[&str]) {
    let target = target_dir();
    let out = Command::new(cargo())
        .args(args)
        .arg("--target-dir")
        .arg(&target)
        .current_dir(dir)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The workspace fixtures, by crate suffix.
pub const FIXTURES: [&str; 7] = [
    "not-a-plugin",
    "layout-mismatch",
    "version-mismatch",
    "ctor-error",
    "ctor-panic",
    "callback-panic",
    "recorder",
];

/// Paths of everything the end-to-end tests use.
#[derive(Debug)]
pub struct Artifacts {
    /// The `vigil` binary.
    pub vigil: PathBuf,
    /// `target/debug`.
    pub out: PathBuf,
}

impl Artifacts {
    /// The library of workspace fixture `name` (`ctor-error`, ...).
    pub fn fixture(&self, name: &str) -> PathBuf {
        self.out
            .join(format!("libfixture_{}.so", name.replace('-', "_")))
    }

    /// The third-party plugin from `tests/third-party-plugin`, built on first use.
    pub fn third_party(&self) -> PathBuf {
        static BUILT: OnceLock<()> = OnceLock::new();
        BUILT.get_or_init(|| run_cargo(&root().join("tests/third-party-plugin"), &["build"]));
        self.out.join("libcallcount_plugin.so")
    }

    /// The `abi-next` plugin and host probe from `tests/abi-next`, built on first use.
    pub fn abi_next(&self) -> (PathBuf, PathBuf) {
        static BUILT: OnceLock<()> = OnceLock::new();
        BUILT.get_or_init(|| run_cargo(&root().join("tests/abi-next"), &["build"]));
        (
            self.out.join("libabi_next_plugin.so"),
            self.out.join("vigil-host-probe"),
        )
    }
}

/// Builds `vigil` and the fixtures (once per test binary).
pub fn artifacts() -> &'static Artifacts {
    static ART: OnceLock<Artifacts> = OnceLock::new();
    ART.get_or_init(|| {
        let mut args = vec!["build", "-p", "vigil"];
        let names: Vec<String> = FIXTURES.iter().map(|f| format!("fixture-{f}")).collect();
        for n in &names {
            args.push("-p");
            args.push(n);
        }
        run_cargo(&root(), &args);
        let out = target_dir().join("debug");
        Artifacts {
            vigil: out.join("vigil"),
            out,
        }
    })
}

/// A directory under the system temp dir, removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, empty directory.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "vigil-e2e-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Copies `lib` in as plugin `name` (`libvigil_NAME.so`) and returns the new path.
    pub fn add_plugin(&self, lib: &Path, name: &str) -> PathBuf {
        let dest = self.0.join(vigil_host::library_file_name(name));
        std::fs::copy(lib, &dest)
            .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", lib.display(), dest.display()));
        dest
    }

    /// Copies `lib` in as plugin `name` inside subdirectory `sub` (created if needed).
    pub fn add_plugin_to(&self, sub: &str, lib: &Path, name: &str) -> PathBuf {
        let dir = self.0.join(sub);
        std::fs::create_dir_all(&dir).expect("subdir");
        let dest = dir.join(vigil_host::library_file_name(name));
        std::fs::copy(lib, &dest)
            .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", lib.display(), dest.display()));
        dest
    }

    /// Writes a file (a session, a script) and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `vigil ARGS` with a clean plugin environment (no `$VIGIL_PLUGIN_PATH` from outside).
pub fn vigil(args: &[&str]) -> Output {
    vigil_with_env(args, &[])
}

/// Runs `vigil ARGS` with extra environment variables.
pub fn vigil_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(&artifacts().vigil);
    cmd.args(args).env_remove(vigil_host::PLUGIN_PATH_VAR);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("vigil runs")
}

/// stdout and stderr as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of the shared library `lib` damaged the way the dynamic loader does not survive: the
/// first entry of `.rela.dyn` (one of the "relative" relocations ld.so applies on a fast path
/// that only asserts their type) gets another type. Opening it ends the opening process.
pub fn corrupt_relocations(lib: &Path) -> Vec<u8> {
    let mut b = std::fs::read(lib).expect("library");
    let u16_at = |b: &[u8], o: usize| u16::from_le_bytes([b[o], b[o + 1]]) as usize;
    let u32_at = |b: &[u8], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap()) as usize;
    let u64_at = |b: &[u8], o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap()) as usize;
    let (shoff, shentsize, shnum, shstrndx) = (
        u64_at(&b, 0x28),
        u16_at(&b, 0x3a),
        u16_at(&b, 0x3c),
        u16_at(&b, 0x3e),
    );
    let strtab = u64_at(&b, shoff + shstrndx * shentsize + 0x18);
    let rela = (0..shnum)
        .map(|i| shoff + i * shentsize)
        .find(|&h| {
            let name = strtab + u32_at(&b, h);
            b[name..].starts_with(b".rela.dyn\0")
        })
        .expect("a .rela.dyn section");
    let first = u64_at(&b, rela + 0x18);
    // r_info of entry 0: symbol 0, type R_X86_64_64 (1) instead of R_X86_64_RELATIVE (8).
    b[first + 8..first + 16].copy_from_slice(&1u64.to_le_bytes());
    b
}
