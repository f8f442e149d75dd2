//! The benchmark harness's report (`bench/run.py --render`): given the raw samples of a run,
//! it sets each tool's worst cell against its target and says when the run's own noise is
//! larger than the miss. The samples here are made up, so the expected verdicts are known.

use std::process::Command;

use vigil_tests::{TempDir, root};

/// One configuration's samples as the harness's JSON holds them, with `extra` as its
/// settle rounds.
fn config(walls: &[f64], extra: &[f64]) -> String {
    let list = |xs: &[f64]| {
        xs.iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rss = |xs: &[f64]| vec!["6000"; xs.len()].join(", ");
    format!(
        "{{\"error\": null, \"note\": null, \"wall\": [{}], \"cpu\": [{}], \"rss_kb\": [{}], \
         \"extra_wall\": [{}], \"extra_cpu\": [{}], \"extra_rss_kb\": [{}]}}",
        list(walls),
        list(walls),
        rss(walls),
        list(extra),
        list(extra),
        rss(extra),
    )
}

/// A one-program run: every configuration takes `base` except the vigil debugger, which
/// takes `debugger`; no settle rounds.
fn run_json(base: &[f64], debugger: &[f64]) -> String {
    settled_json(base, debugger, &[], &[])
}

/// [`run_json`] whose vigil baseline and debugger also have settle rounds.
fn settled_json(base: &[f64], debugger: &[f64], base_extra: &[f64], dbg_extra: &[f64]) -> String {
    let mut configs = Vec::new();
    for key in [
        "cpython",
        "cpython:none",
        "cpython:breakpoint",
        "cpython:count",
        "cpython:coverage",
        "cpython:profile",
        "vigil:coverage-line",
        "vigil:coverage-branch",
        "vigil:profiler",
        "vigil:count",
    ] {
        configs.push(format!("\"{key}\": {}", config(base, &[])));
    }
    configs.push(format!("\"vigil\": {}", config(base, base_extra)));
    configs.push(format!(
        "\"vigil:debugger\": {}",
        config(debugger, dbg_extra)
    ));
    format!(
        "{{\"info\": {{\"date\": \"d\", \"commit\": \"c\", \"machine\": \"m\", \"load\": \"0\", \
         \"cpython\": \"3.13\"}}, \"programs\": {{\"nbody\": {{\"size\": 20000, \"load\": [0.5], \
         \"configs\": {{{}}}}}}}}}",
        configs.join(", ")
    )
}

fn render(dir: &TempDir, json: &str) -> (bool, String, String) {
    let file = dir.write("run.json", json);
    let out = Command::new("python3")
        .arg(root().join("bench").join("run.py"))
        .arg("--render")
        .arg(&file)
        .output()
        .expect("python3 runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The host's two speeds: runs of one binary land near 100 ms or near 120 ms. The debugger's
/// median misses 1.02 against this baseline, by less than the noise.
const NOISY_BASE: [f64; 15] = [
    0.100, 0.121, 0.099, 0.118, 0.101, 0.122, 0.100, 0.119, 0.102, 0.120, 0.098, 0.100, 0.101,
    0.121, 0.099,
];
const NOISY_DEBUGGER: [f64; 15] = [
    0.104, 0.122, 0.103, 0.121, 0.120, 0.105, 0.123, 0.104, 0.119, 0.103, 0.122, 0.104, 0.120,
    0.105, 0.103,
];

fn worst_row(report: &str) -> &str {
    report
        .lines()
        .find(|l| l.starts_with("vigil worst"))
        .unwrap_or_else(|| panic!("no worst row in:\n{report}"))
}

#[test]
fn a_steady_miss_is_a_miss_with_a_tight_interval() {
    let dir = TempDir::new("bench-steady");
    let base = [0.100; 15];
    let debugger = [0.110; 15];
    let (ok, report, err) = render(&dir, &run_json(&base, &debugger));
    assert!(ok, "{err}");
    assert!(
        worst_row(&report).contains("1.10 MISS [1.10–1.10]"),
        "{report}"
    );
    assert!(
        worst_row(&report).contains("1.00 PASS [1.00–1.00]"),
        "{report}"
    );
    assert!(!report.contains("not resolved"), "{report}");
}

#[test]
fn a_miss_inside_the_noise_is_called_unresolved() {
    let dir = TempDir::new("bench-noisy");
    let (ok, report, err) = render(&dir, &run_json(&NOISY_BASE, &NOISY_DEBUGGER));
    assert!(ok, "{err}");
    let row = worst_row(&report);
    let cell = row
        .split("  ")
        .map(str::trim)
        .filter(|c| c.contains("MISS"))
        .last()
        .unwrap_or_else(|| panic!("the debugger misses 1.02 by its medians: {report}"));
    let lo: f64 = cell
        .split('[')
        .nth(1)
        .and_then(|r| r.split('–').next())
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("an interval after the verdict: {cell}"));
    assert!(lo <= 1.02, "the interval reaches the target: {cell}");
    assert!(
        report.contains("not resolved by this run: debugger, unhit breakpoint"),
        "{report}"
    );
}

#[test]
fn a_file_that_is_not_a_run_is_refused() {
    let dir = TempDir::new("bench-bad");
    let (ok, _report, err) = render(&dir, "{\"programs\": 3}");
    assert!(!ok);
    assert!(err.contains("not a --json file of this harness"), "{err}");
}

#[test]
fn a_settled_cell_is_computed_from_all_its_rounds_and_marked() {
    let dir = TempDir::new("bench-settled");
    // The measured rounds alone straddle 1.02 (as in the test above); 30 settle rounds of
    // the baseline and the debugger at a steady 1.00 pull the cell to a clear pass.
    let steady = [0.100; 30];
    let (ok, report, err) = render(
        &dir,
        &settled_json(&NOISY_BASE, &NOISY_DEBUGGER, &steady, &steady),
    );
    assert!(ok, "{err}");
    let row = worst_row(&report);
    assert!(row.contains("1.00 PASS ["), "{report}");
    assert!(!row.contains("MISS"), "{report}");
    // The program's row marks the debugger cell with its settle rounds; the other cells
    // (no settle rounds) are unmarked, and the main table's ratio ignores settle rounds.
    let nbody = report
        .lines()
        .find(|l| l.starts_with("nbody") && l.contains(" / "))
        .unwrap_or_else(|| panic!("no tool row for nbody: {report}"));
    assert_eq!(nbody.matches("(+30)").count(), 1, "{nbody}");
    // The settle rounds' paired reading of the worst cell is printed beside the verdict.
    assert!(
        report.contains("debugger, unhit breakpoint 1.000 (30 rounds)"),
        "{report}"
    );
    assert!(!report.contains("not resolved"), "{report}");
}
