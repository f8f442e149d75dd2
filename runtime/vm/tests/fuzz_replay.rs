//! Replays the committed fuzz corpora (`fuzz/seeds/`) in the normal test run, so CI exercises
//! what the fuzzers found without nightly or libFuzzer: every input must compile or be
//! refused without a panic, run under the fuzz targets' step budget without a panic, and
//! print the same thing with and without a native tool listening to every event. It does not
//! fuzz (see fuzz/README.md).

use std::path::{Path, PathBuf};

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/seeds")
        .join(target);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no seeds in {}", dir.display());
    v
}

/// The same filter the run targets apply (fuzz/fuzz_targets/guard.rs).
#[path = "../../../fuzz/fuzz_targets/guard.rs"]
// Without monitoring the differential test (the user of `normalize` and `nondeterministic`)
// is compiled out.
#[cfg_attr(not(feature = "monitoring"), allow(dead_code))]
mod guard;

fn text(p: &Path) -> Option<String> {
    String::from_utf8(std::fs::read(p).ok()?).ok()
}

#[test]
fn compile_seeds_never_panic() {
    // The compiler recurses over nesting (some seeds nest brackets 500 deep; CPython would
    // refuse past 200): run it on a large stack, as vigil does (its interpreter thread).
    let worker = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            for p in seeds("compile") {
                if let Some(src) = text(&p) {
                    let r = std::panic::catch_unwind(|| {
                        let _ = vigil_compiler::compile(&src, "<fuzz>", vigil_compiler::Mode::Exec);
                    });
                    assert!(r.is_ok(), "compiler panicked on {}", p.display());
                }
            }
        })
        .expect("spawn");
    if let Err(p) = worker.join() {
        std::panic::resume_unwind(p);
    }
}

#[test]
fn run_seeds_never_panic() {
    for p in seeds("run") {
        if let Some(src) = text(&p)
            && !guard::skip(&src)
        {
            let r = std::panic::catch_unwind(|| vigil_vm::fuzzing::run_source(&src, 20_000, false));
            assert!(r.is_ok(), "the VM panicked on {}", p.display());
        }
    }
}

#[cfg(feature = "monitoring")]
#[test]
fn differential_seeds_print_the_same_with_every_event_on() {
    for p in seeds("differential") {
        if let Some(src) = text(&p)
            && !guard::skip(&src)
            && !guard::nondeterministic(&src)
        {
            let plain = vigil_vm::fuzzing::run_source(&src, 5_000, false);
            let watched = vigil_vm::fuzzing::run_source(&src, 5_000, true);
            assert_eq!(
                plain.map(|o| (o.status, guard::normalize(&o.output))),
                watched.map(|o| (o.status, guard::normalize(&o.output))),
                "monitoring changed {}",
                p.display()
            );
        }
    }
}

#[test]
fn the_step_budget_stops_an_endless_loop_and_recursion() {
    let o = vigil_vm::fuzzing::run_source("print('a')\nwhile True:\n    pass\n", 1000, false)
        .expect("compiles");
    assert!(o.out_of_budget && o.status == 1, "{o:?}");
    assert!(o.output.starts_with("a\nTraceback"), "{o:?}");
    let o = vigil_vm::fuzzing::run_source(
        "def f():\n    try:\n        f()\n    except RecursionError:\n        f()\nf()\n",
        1000,
        false,
    )
    .expect("compiles");
    assert!(o.out_of_budget, "{o:?}");
    let o =
        vigil_vm::fuzzing::run_source("print(sum(range(10)))\n", 1000, false).expect("compiles");
    assert_eq!(
        (o.status, o.output.as_str(), o.out_of_budget),
        (0, "45\n", false)
    );
}
