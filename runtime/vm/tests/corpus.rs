//! The corpus test: every program in `../shared/conformance/corpus` (default sizes) must
//! print exactly its `.stdout` and exit 0. Missing shared data is a failure, not a skip: a
//! run without it would prove nothing.

// The allocator the `vigil` binary runs with, so these suites exercise it (one thread per
// program run, in debug builds too).
#[global_allocator]
static ALLOC: vigil_vm::SmallAlloc = vigil_vm::SmallAlloc;

use std::path::Path;

#[test]
fn corpus_programs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/corpus");
    let rd = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the corpus is missing at {} ({e}): tests read it from ../shared beside the \
             repository, as CI has it",
            dir.display()
        )
    });
    let mut progs: Vec<_> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    progs.sort();
    assert!(progs.len() >= 8, "expected the 8 corpus programs");
    let mut failures = Vec::new();
    for py in &progs {
        let expected =
            std::fs::read_to_string(py.with_extension("stdout")).expect("corpus .stdout");
        let name = py
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let (outcome, text) = vigil_vm::run_captured(py, vec![name.clone()]);
        if outcome.status != 0 || text != expected {
            failures.push(format!(
                "{name}: exit {} output {text:?} expected {expected:?}",
                outcome.status
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
