//! Micro-benchmark: the cost of loading a plugin (issue 6).
//!
//! `cold` is what `vigil run` pays once per tool: `load_library` on a file this process has
//! never opened (dlopen maps and relocates it, runs its initialisers, then abi_stable checks the
//! header, the plugin-api version and the layout of every type reachable from the root
//! module). Every iteration loads a fresh copy of `libvigil_counter.so` under a new name,
//! because the dynamic loader hands back the already-mapped library for a path it knows, and
//! the loader never unloads (function pointers into a plugin may live anywhere). The copying
//! is done outside the timed section. `again` is that second, cached case, and `create` the
//! plugin's constructor plus `release` on a DetachedHost, the rest of the start-up cost, and
//! `isolated` the whole of what `vigil run` does per plugin (probe process, then load). This
//! file owns only measurements; the loader's behaviour is tested in the host's own tests.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use divan::Bencher;
use vigil_host::{DetachedHost, load_isolated, load_library};
use vigil_plugin_api::ToolId;

fn main() {
    divan::main();
}

/// `$VIGIL_COUNTER_SO`, or the counter's cdylib that cargo built into `deps/` for this bench
/// (vigil-counter is a dev-dependency of this crate).
fn counter_library() -> PathBuf {
    if let Some(p) = std::env::var_os("VIGIL_COUNTER_SO") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current_exe");
    let deps = exe.parent().expect("deps dir");
    [Some(deps), deps.parent()]
        .into_iter()
        .flatten()
        .map(|d| d.join("libvigil_counter.so"))
        .find(|lib| lib.exists())
        .expect("libvigil_counter.so next to the bench (or set VIGIL_COUNTER_SO)")
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vigil-load-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

static COPY: AtomicUsize = AtomicUsize::new(0);

fn fresh_copy(src: &Path, dir: &Path) -> PathBuf {
    let n = COPY.fetch_add(1, Ordering::Relaxed);
    let dst = dir.join(format!("libvigil_counter{n}.so"));
    std::fs::copy(src, &dst).expect("copy plugin");
    dst
}

// One load per sample: each one maps a new library for good, so keep the count modest.
#[divan::bench(sample_count = 40, sample_size = 1)]
fn cold(bencher: Bencher<'_, '_>) {
    let src = counter_library();
    let dir = scratch_dir();
    bencher
        .with_inputs(|| fresh_copy(&src, &dir))
        .bench_local_values(|path| load_library(&path).expect("load"));
    // The mappings stay; the files can go.
    let _ = std::fs::remove_dir_all(&dir);
}

/// `$VIGIL_BIN`, or the release `vigil` binary (it serves as the probe process).
fn vigil_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("VIGIL_BIN") {
        return Some(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("vigil");
    bin.exists().then_some(bin)
}

/// What `vigil run` pays per plugin: `load_isolated` first opens the library in a probe
/// process (`vigil __probe-library PATH`), then loads it here. Cold file each time, like
/// `cold`. Skipped (with a note) when no `vigil` binary is built.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn isolated(bencher: Bencher<'_, '_>) {
    let Some(vigil) = vigil_binary() else {
        eprintln!("isolated: skipped, no target/release/vigil (cargo build --release -p vigil)");
        return;
    };
    let src = counter_library();
    let dir = scratch_dir();
    bencher
        .with_inputs(|| fresh_copy(&src, &dir))
        .bench_local_values(|path| load_isolated(&path, &vigil).expect("load"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[divan::bench]
fn again(bencher: Bencher<'_, '_>) {
    let path = counter_library();
    load_library(&path).expect("first load");
    bencher.bench_local(|| load_library(&path).expect("load"));
}

#[divan::bench]
fn create(bencher: Bencher<'_, '_>) {
    let plugin = load_library(&counter_library()).expect("load");
    let host = DetachedHost::new();
    let api = host.api();
    let id = ToolId::new(3).unwrap();
    bencher.bench_local(|| {
        (api.vtable.use_tool_id())(api.ctx, 3, "counter".into())
            .into_result()
            .expect("use_tool_id");
        let instance = (plugin.module.create())(api, id, "".into())
            .into_result()
            .expect("create");
        (instance.callbacks.release())(instance.state);
        (api.vtable.free_tool_id())(api.ctx, 3)
            .into_result()
            .expect("free_tool_id");
    });
}
