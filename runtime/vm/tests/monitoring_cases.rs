//! The sys.monitoring conformance cases: for every `NN_name.py` in
//! `../shared/conformance/cases`, `runner.py NN_name.py` run by vigil must print exactly
//! `NN_name.expected` (recorded with CPython 3.13), and `runner.py --raw NN_name.py`, which
//! adds every event's byte offset and destination, `NN_name.expected_raw` (CPython's offsets,
//! its RAISE-offset quirks included). The fixtures are read in place. Cases
//! that fail for reasons outside monitoring are listed in `KNOWN` with the reason; the test
//! fails on any other mismatch (with a diff) and reports known cases that started passing.

#![cfg(feature = "monitoring")]

use std::path::{Path, PathBuf};

/// Cases failing for VM gaps that are not monitoring's, with the reason.
const KNOWN: &[(&str, &str)] = &[];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/cases")
}

/// A line diff good enough to read a mismatch: expected vs got, line by line.
pub fn diff(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for i in 0..e.len().max(g.len()) {
        match (e.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => out.push_str(&format!("   {a}\n")),
            (a, b) => {
                if let Some(a) = a {
                    out.push_str(&format!(" - {a}\n"));
                }
                if let Some(b) = b {
                    out.push_str(&format!(" + {b}\n"));
                }
            }
        }
    }
    out
}

#[test]
fn conformance_cases() {
    let dir = cases_dir();
    let rd = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the conformance cases are missing at {} ({e}): tests read them from ../shared \
             beside the repository, as CI has it",
            dir.display()
        )
    });
    let runner = dir.join("runner.py");
    let mut cases: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "py")
                && p.file_name().is_some_and(|n| n != "runner.py")
        })
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let name = case
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let known = KNOWN.iter().find(|(n, _)| *n == name);
        let mut ok = true;
        for (raw, ext) in [(false, "expected"), (true, "expected_raw")] {
            let expected = std::fs::read_to_string(case.with_extension(ext)).unwrap_or_default();
            let mut argv = vec![runner.to_string_lossy().to_string()];
            if raw {
                argv.push("--raw".to_string());
            }
            argv.push(case.to_string_lossy().to_string());
            let (_, got) = vigil_vm::run_captured(&runner, argv);
            if got != expected {
                ok = false;
                if known.is_none() {
                    failures.push(format!("{name}.{ext}:\n{}", diff(&expected, &got)));
                }
            }
        }
        if ok {
            passed += 1;
            if known.is_some() {
                fixed.push(name);
            }
        }
    }
    eprintln!("{passed}/{} cases pass", cases.len());
    if !fixed.is_empty() {
        eprintln!("known failures now passing (remove from KNOWN): {fixed:?}");
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
