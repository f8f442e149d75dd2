//! The harness's instruction-count report (`bench/run.py --instructions`, bench/counted.py):
//! given made-up counts, it must set each tool's worst program against the target,
//! and fail a configuration whose output differs from CPython's instead of reporting its
//! count. The counts here are invented, so the expected verdicts are known.

use std::process::Command;

use vigil_tests::root;

/// Runs `counted.render` on programs built by `setup` (Python statements that fill the list
/// `programs`) and returns the text report, or panics with Python's stderr.
fn report(setup: &str) -> String {
    let script = format!(
        "import sys\nsys.path.insert(0, {bench:?})\nimport counted as C\n\
         from types import SimpleNamespace\n\
         def prog(name, size, counts, outs=None):\n\
         \x20   p = C.Program(name, size)\n\
         \x20   for key, n in counts.items():\n\
         \x20       c = C.Count(key, [])\n\
         \x20       c.instructions = n\n\
         \x20       c.stdout = (outs or {{}}).get(key, b'ok')\n\
         \x20       p.counts[key] = c\n\
         \x20   return p\n\
         programs = []\n{setup}\n\
         C.check_outputs(programs)\n\
         info = dict(date='d', commit='c', machine='m', cpython='3.13', vigil='v')\n\
         print(C.render(programs, info, SimpleNamespace(quick=False, no_tools=False))[0])\n",
        bench = root().join("bench").display().to_string(),
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn worst_row(report: &str) -> &str {
    report
        .lines()
        .find(|l| l.starts_with("worst (target)"))
        .unwrap_or_else(|| panic!("no worst row in:\n{report}"))
}

const TWO_PROGRAMS: &str = "\
programs.append(prog('nbody', 20000, {'cpython': 2000, 'vigil': 1000, \
'vigil:coverage-line': 1010, 'vigil:coverage-branch': 1020, 'vigil:profiler': 1200, \
'vigil:count': 1500, 'vigil:debugger': 1001}))
programs.append(prog('richards', 3, {'cpython': 1000, 'vigil': 1000, \
'vigil:coverage-line': 1060, 'vigil:coverage-branch': 1030, 'vigil:profiler': 1300, \
'vigil:count': 1900, 'vigil:debugger': 1030}))";

#[test]
fn each_tool_is_judged_by_its_worst_program() {
    let r = report(TWO_PROGRAMS);
    let row = worst_row(&r);
    assert!(row.contains("1.060 richards (≤1.05: MISS)"), "{r}");
    assert!(row.contains("1.030 richards (≤1.1: PASS)"), "{r}");
    assert!(row.contains("1.300 richards (≤1.5: PASS)"), "{r}");
    assert!(row.contains("1.900 richards (≤2.0: PASS)"), "{r}");
    assert!(row.contains("1.030 richards (≤1.02: MISS)"), "{r}");
    // vigil/CPython: 0.5 and 1.0, geomean √0.5.
    assert!(
        r.contains("geomean vigil/CPython instructions: 0.707"),
        "{r}"
    );
}

#[test]
fn a_tool_run_that_printed_something_else_is_a_miss_not_a_count() {
    let setup =
        format!("{TWO_PROGRAMS}\nprograms[0].counts['vigil:coverage-line'].stdout = b'wrong'");
    let r = report(&setup);
    let row = worst_row(&r);
    assert!(row.contains("FAIL nbody (≤1.05: MISS)"), "{r}");
    let nbody = r
        .lines()
        .find(|l| l.starts_with("nbody 20000") && l.contains("FAIL"))
        .unwrap_or_else(|| panic!("nbody's line coverage cell reads FAIL: {r}"));
    assert!(!nbody.contains("1.010"), "{nbody}");
}

#[test]
fn a_failed_vigil_run_leaves_no_geomean() {
    let setup = format!("{TWO_PROGRAMS}\nprograms[1].counts['vigil'].stdout = b'wrong'");
    let r = report(&setup);
    assert!(
        r.contains("geomean vigil/CPython instructions: — (vigil or CPython failed"),
        "{r}"
    );
}
