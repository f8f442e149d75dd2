//! Micro-benchmark: the cost of one native callback dispatch (issue 6 target: ≤ 5 ns).
//!
//! "One dispatch" is what the VM pays per event once it has decided a tool wants it: an
//! indirect call through the tool's callback vtable slot into the SDK trampoline, which runs
//! the tool method under `catch_unwind` with its busy/faulted guards, and back. The tool is the
//! real `counter` (the benchmark's count-every-event tool), called two ways: created in-process
//! from the rlib, and loaded from `libvigil_counter.so` through `vigil-host`'s loader (the
//! path `vigil run` takes), whose function pointers cross into a separately linked library.
//! The VM's own work before the call (finding which tools want the event, the DISABLE
//! bookkeeping) is not part of this number; the interpreter-level benchmarks measure that.
//! `detached_fire` is there for contrast only: it is `DetachedHost::fire`, the reference
//! delivery loop of the host crate, not the VM's.

use std::hint::black_box;
use std::path::PathBuf;

use divan::Bencher;
use vigil_counter::Counter;
use vigil_host::{CodeInfo, DetachedHost, EventArgs, load_library};
use vigil_plugin_api::abi::{CodeHandle, ToolInstance, ValueRef};
use vigil_plugin_api::sdk::create_in_process;
use vigil_plugin_api::{Event, ToolId};

fn main() {
    divan::main();
}

const TOOL: u32 = 3;

/// A host with the counter in slot 3, created by `make`.
fn with_tool(
    make: impl FnOnce(&DetachedHost) -> ToolInstance,
) -> (Box<DetachedHost>, ToolInstance) {
    let host = DetachedHost::new();
    let api = host.api();
    (api.vtable.use_tool_id())(api.ctx, TOOL as i32, "counter".into())
        .into_result()
        .expect("use_tool_id");
    let instance = make(&host);
    host.attach(ToolId::new(TOOL).unwrap(), &instance);
    (host, instance)
}

fn in_process() -> (Box<DetachedHost>, ToolInstance) {
    with_tool(|host| {
        create_in_process::<Counter>(host.api(), ToolId::new(TOOL).unwrap(), "")
            .expect("create counter")
    })
}

/// `$VIGIL_COUNTER_SO`, or `libvigil_counter.so` from this benchmark's own build: cargo builds
/// the package's cdylib into `deps/` beside the bench executable (and uplifts it one level up
/// only when the library itself is the target being built).
fn counter_library() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("VIGIL_COUNTER_SO") {
        return Some(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    let deps = exe.parent()?;
    [deps, deps.parent()?]
        .into_iter()
        .map(|d| d.join("libvigil_counter.so"))
        .find(|lib| lib.exists())
}

fn from_library() -> Option<(Box<DetachedHost>, ToolInstance)> {
    let path = counter_library()?;
    let plugin = load_library(&path).expect("load libvigil_counter.so");
    Some(with_tool(|host| {
        (plugin.module.create())(host.api(), ToolId::new(TOOL).unwrap(), "".into())
            .into_result()
            .expect("create counter")
    }))
}

fn finish((host, instance): (Box<DetachedHost>, ToolInstance)) {
    // Quiet finish: the counter would print its totals to stderr.
    (instance.callbacks.release())(instance.state);
    drop(host);
}

/// LINE, `(code, line)`: the most frequent event of a coverage-like tool.
#[divan::bench(args = ["in-process", "libvigil_counter.so"])]
fn line(bencher: Bencher<'_, '_>, how: &str) {
    let Some(setup) = (if how == "in-process" {
        Some(in_process())
    } else {
        from_library()
    }) else {
        eprintln!(
            "skipped: libvigil_counter.so not found (cargo bench -p vigil-counter builds it)"
        );
        return;
    };
    let f = setup.1.callbacks.line().expect("counter handles LINE");
    let state = setup.1.state;
    bencher.bench_local(|| f(black_box(state), black_box(CodeHandle(1)), black_box(42)));
    finish(setup);
}

/// CALL, `(code, offset, callable, arg0)`: the widest signature.
#[divan::bench(args = ["in-process", "libvigil_counter.so"])]
fn call(bencher: Bencher<'_, '_>, how: &str) {
    let Some(setup) = (if how == "in-process" {
        Some(in_process())
    } else {
        from_library()
    }) else {
        return;
    };
    let f = setup.1.callbacks.call().expect("counter handles CALL");
    let state = setup.1.state;
    bencher.bench_local(|| {
        f(
            black_box(state),
            black_box(CodeHandle(1)),
            black_box(8),
            black_box(ValueRef(77)),
            black_box(ValueRef::MISSING),
        )
    });
    finish(setup);
}

/// For contrast: `DetachedHost::fire` (RefCell borrow, tool scan, typed re-dispatch).
#[divan::bench]
fn detached_fire(bencher: Bencher<'_, '_>) {
    let setup = in_process();
    let code = setup.0.register_code(CodeInfo::default());
    bencher.bench_local(|| {
        setup
            .0
            .fire(black_box(Event::Line), black_box(code), EventArgs::Line(42))
    });
    finish(setup);
}
