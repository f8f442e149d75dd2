//! Program faults end to end (issue 7): uncaught exceptions, `SystemExit` codes and messages,
//! `RecursionError`, `MemoryError` (huge allocations, and gradual growth under
//! `VIGIL_MEMORY_LIMIT`), `KeyboardInterrupt` from SIGINT, and output flushed in every case.
//! Each program in `tests/faults/` runs under the real `vigil` binary twice: alone, and with the
//! coverage tool writing a JSON report. stdout, stderr and the exit status (or the signal)
//! must equal what CPython 3.13 produced for the same program (`tests/faults/regen.py`
//! recorded them; this folder's path reads `<DIR>` there), and the report must be written
//! even when the program dies. Plugin and session faults are in the other files of this folder.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use vigil_tests::{TempDir, artifacts, root, target_dir};

fn faults_dir() -> PathBuf {
    root().join("tests/faults")
}

/// The coverage plugin library (built once per test binary).
fn coverage_lib() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["build", "-p", "vigil-coverage", "--target-dir"])
                .arg(target_dir())
                .current_dir(root())
                .output()
                .expect("cargo runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            target_dir().join("debug/libvigil_coverage.so")
        })
        .clone()
}

struct Ran {
    stdout: String,
    stderr: String,
    /// `exit N` or `signal N`, as in the `.status` files.
    status: String,
}

/// Runs `vigil run [--session S] NAME.py` in the faults folder, driving it as regen.py drives
/// CPython (SIGINT after the first stdout line; stdin gets one line then EOF; the memory
/// ceiling from the first line).
fn run_vigil(name: &str, session: Option<&Path>) -> Ran {
    let dir = faults_dir();
    let script = format!("{name}.py");
    let first = std::fs::read_to_string(dir.join(&script))
        .expect("case")
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut cmd = Command::new(&artifacts().vigil);
    cmd.arg("run");
    if let Some(s) = session {
        cmd.arg("--session").arg(s);
    }
    cmd.arg(&script)
        .current_dir(&dir)
        .env_remove(vigil_host::PLUGIN_PATH_VAR)
        .env_remove(vigil_vm_limit_var())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(limit) = first.strip_prefix("# memory-limit:") {
        cmd.env(vigil_vm_limit_var(), limit.trim());
    }
    // SAFETY: only async-signal-safe calls between fork and exec. A test run started from a
    // background job inherits SIGINT ignored, which vigil (like CPython) would respect.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("vigil runs");
    let mut out_pipe = BufReader::new(child.stdout.take().expect("stdout"));
    let mut stdout = String::new();
    if first.starts_with("# sigint-after-first-line") {
        out_pipe.read_line(&mut stdout).expect("first line");
        std::thread::sleep(std::time::Duration::from_millis(200));
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    // What regen.py feeds CPython: one line, then end of input.
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = stdin.write_all(b"second line\n");
    drop(stdin);
    let mut err_pipe = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    out_pipe.read_to_string(&mut stdout).expect("stdout");
    let stderr = err_reader.join().expect("stderr reader");
    let st = child.wait().expect("wait");
    let status = match (st.code(), st.signal()) {
        (Some(c), _) => format!("exit {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => "unknown".into(),
    };
    let d = dir.to_string_lossy().into_owned();
    Ran {
        stdout: stdout.replace(&d, "<DIR>"),
        stderr: stderr.replace(&d, "<DIR>"),
        status,
    }
}

fn vigil_vm_limit_var() -> &'static str {
    "VIGIL_MEMORY_LIMIT"
}

fn expected(name: &str, ext: &str) -> String {
    let p = faults_dir().join(format!("{name}.{ext}"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Checks one case alone and under the coverage tool.
fn check(name: &str) {
    let want_status = expected(name, "status").trim().to_owned();
    let want_out = expected(name, "stdout");
    let want_err = expected(name, "stderr");

    let alone = run_vigil(name, None);
    assert_eq!(alone.stdout, want_out, "{name}: stdout");
    assert_eq!(alone.stderr, want_err, "{name}: stderr");
    assert_eq!(alone.status, want_status, "{name}: status");

    let tmp = TempDir::new(&format!("fault-{name}"));
    tmp.add_plugin_to("plugins", &coverage_lib(), "coverage");
    let report = tmp.path().join("coverage.json");
    let session = tmp.write(
        "s.toml",
        &format!(
            "[session]\nplugin_dirs = [\"plugins\"]\n[[tool]]\nplugin = \"coverage\"\nid = 1\n[tool.settings]\nreport = [\"json:{}\"]\n",
            report.display()
        ),
    );
    let tooled = run_vigil(name, Some(&session));
    assert_eq!(tooled.stdout, want_out, "{name} with a tool: stdout");
    assert_eq!(tooled.stderr, want_err, "{name} with a tool: stderr");
    assert_eq!(tooled.status, want_status, "{name} with a tool: status");
    let json = std::fs::read_to_string(&report)
        .unwrap_or_else(|e| panic!("{name}: the coverage report was not written: {e}"));
    assert!(
        json.contains(&format!("{name}.py")) && json.trim_end().ends_with('}'),
        "{name}: report {json}"
    );
}

#[test]
fn uncaught_exception_after_a_partial_line() {
    check("exception_after_partial_line");
}

#[test]
fn system_exit_codes_and_messages() {
    for name in [
        "exit_code",
        "exit_message",
        "exit_none",
        "exit_wraps",
        "exit_tuple",
    ] {
        check(name);
    }
}

#[test]
fn recursion_error_uncaught_and_caught() {
    check("recursion_uncaught");
    check("recursion_caught");
    check("recursion_nested_containers");
}

#[test]
fn memory_error_for_huge_allocations() {
    check("memory_huge_allocations");
}

#[test]
fn memory_error_for_gradual_growth_under_the_ceiling() {
    check("memory_growth");
}

#[test]
fn keyboard_interrupt_from_sigint() {
    check("sigint_caught");
    check("sigint_uncaught");
    check("sigint_in_input");
}

#[test]
fn large_output_is_flushed_before_the_traceback() {
    check("output_flushed");
}

#[test]
fn a_malformed_memory_ceiling_is_a_usage_error() {
    let out = Command::new(&artifacts().vigil)
        .args(["run", "exit_none.py"])
        .current_dir(faults_dir())
        .env(vigil_vm_limit_var(), "lots")
        .output()
        .expect("vigil runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing ran");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("VIGIL_MEMORY_LIMIT"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
