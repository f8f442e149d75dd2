//! The language suite: every `tests/lang/NAME.py` runs under the VM and its combined
//! stdout+stderr plus `exit=N` must equal `NAME.out`, which CPython 3.13 produced
//! (`tests/lang/regen.sh`). Expected files are never written from vigil's output.

// The allocator the `vigil` binary runs with, so these suites exercise it (one thread per
// program run, in debug builds too).
#[global_allocator]
static ALLOC: vigil_vm::SmallAlloc = vigil_vm::SmallAlloc;

use std::path::Path;

#[test]
fn language_suite() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lang");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/lang exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no language tests found");
    let mut failures = Vec::new();
    for py in &names {
        let src = std::fs::read_to_string(py).expect("readable test");
        // Programs outside the subset have no CPython output to compare with: their header
        // states the refusal (`# vigil-expect-unsupported: LINE:COL: unsupported: WHAT`).
        let directive = src
            .lines()
            .find_map(|l| l.strip_prefix("# vigil-expect-unsupported: "));
        let expected = match directive {
            Some(d) => format!(
                "{}:{d}\nexit=2\n",
                py.file_name().unwrap_or_default().to_string_lossy()
            ),
            None => std::fs::read_to_string(py.with_extension("out"))
                .unwrap_or_else(|_| panic!("{} has no .out (run regen.sh)", py.display())),
        };
        let argv = vec![py.to_string_lossy().to_string()];
        let (outcome, text) = vigil_vm::run_captured(py, argv);
        let got = format!("{text}exit={}\n", outcome.status);
        // Tracebacks name the script by the path it was run with; the .out files were made
        // from inside tests/lang, so compare with the directory prefix removed.
        let prefix = format!("{}/", dir.display());
        let got = got.replace(&prefix, "");
        if got != expected {
            failures.push(format!(
                "--- {} ---\nexpected:\n{expected}\ngot:\n{got}",
                py.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}
