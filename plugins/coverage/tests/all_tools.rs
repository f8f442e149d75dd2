//! `config/all-tools.toml` end to end: coverage, profiler and tracer together on one program
//! leave its stdout and exit status exactly CPython's, and each writes every report, also when
//! the program ends with an exception or `sys.exit`.
//!
//! It runs the real `vigil` binary with the plugins from the workspace's `target/debug`, building
//! both first if needed (see `plugins/testing/e2e.rs`; `VIGIL_BIN`, `VIGIL_PLUGIN_DIR`,
//! `VIGIL_CORPUS` and `CPYTHON313` override the defaults).

use std::process::Command;

#[path = "../../testing/e2e.rs"]
mod e2e;

use e2e::{plugin_dir, python, vigil, workspace};

const REPORTS: [&str; 9] = [
    "coverage.json",
    "coverage.lcov",
    "coverage.xml",
    "htmlcov/index.html",
    "profile.txt",
    "profile.json",
    "profile.folded",
    "profile.svg",
    "trace.counts",
];

/// Runs `src` under vigil with all-tools.toml and under CPython; compares stdout and status
/// and checks every report was written.
fn check(name: &str, src: &str) {
    let vigil = vigil();
    let python = python();
    let dir = std::env::temp_dir().join(format!("vigil-all-tools-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("prog.py"), src).unwrap();
    let session = workspace().join("config/all-tools.toml");
    let ours = Command::new(&vigil)
        .current_dir(&dir)
        .env("VIGIL_PLUGIN_PATH", plugin_dir())
        .args(["run", "--session"])
        .arg(&session)
        .arg("prog.py")
        .output()
        .unwrap();
    let theirs = Command::new(&python)
        .current_dir(&dir)
        .env("PYTHONHASHSEED", "0")
        .arg("prog.py")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&theirs.stdout),
        "{name}: stdout"
    );
    assert_eq!(
        ours.status.code(),
        theirs.status.code(),
        "{name}: exit status"
    );
    for r in REPORTS {
        let p = dir.join(r);
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(
            len > 0,
            "{name}: report {r} missing or empty; stderr:\n{}",
            String::from_utf8_lossy(&ours.stderr)
        );
    }
}

#[test]
fn every_tool_reports_and_the_program_is_unchanged() {
    let prog = "def f(n):\n    return n * 2\n\nfor i in range(3):\n    print(f(i))\n";
    check("normal", prog);
    check("exit", "import sys\nprint('bye')\nsys.exit(3)\n");
    check(
        "raise",
        "def g():\n    raise ValueError('x')\nprint('before')\ng()\n",
    );
}

#[test]
fn a_report_that_cannot_be_written_is_named_and_the_others_are_written() {
    let vigil = vigil();
    let dir = std::env::temp_dir().join(format!("vigil-all-tools-{}-blocked", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("prog.py"), "print('hello')\n").unwrap();
    // A directory where the coverage JSON report should go: that one write must fail.
    std::fs::create_dir_all(dir.join("coverage.json")).unwrap();
    let out = Command::new(&vigil)
        .current_dir(&dir)
        .env("VIGIL_PLUGIN_PATH", plugin_dir())
        .args(["run", "--session"])
        .arg(workspace().join("config/all-tools.toml"))
        .arg("prog.py")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello\n", "{stderr}");
    assert!(
        stderr.contains("coverage.json"),
        "the failed report is named on stderr: {stderr}"
    );
    for r in REPORTS {
        if r == "coverage.json" {
            continue;
        }
        let len = std::fs::metadata(dir.join(r)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "report {r} missing or empty; stderr:\n{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
