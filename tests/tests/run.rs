//! `vigil run` end to end: every tool's `finish` runs after the program, with the program's
//! exit status; a tool whose `finish` panics is reported by name and the others' reports are
//! still written.

use vigil_tests::{TempDir, artifacts, texts, vigil};

#[test]
fn finish_runs_for_every_tool_and_a_finish_panic_is_named() {
    let a = artifacts();
    let dir = TempDir::new("run-finish");
    dir.add_plugin_to("plugins", &a.fixture("recorder"), "recorder");
    dir.add_plugin_to("plugins", &a.fixture("callback-panic"), "panicky");
    let report = dir.path().join("rec.log");
    let session = dir.write(
        "s.toml",
        &format!(
            "[session]\nplugin_dirs = [\"plugins\"]\n\n[[tool]]\nplugin = \"panicky\"\nid = 0\n[tool.settings]\npanic_in = \"finish\"\n\n[[tool]]\nplugin = \"recorder\"\nid = 3\n[tool.settings]\nreport = \"{}\"\n",
            report.display()
        ),
    );
    let script = dir.write("prog.py", "import sys\nprint('out')\nsys.exit(3)\n");
    let out = vigil(&[
        "run",
        "--session",
        session.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    let (_, stderr) = texts(&out);
    let status = out.status.code().expect("exited normally, not by a signal");
    assert!(
        stderr.contains("vigil: tool `callback-panic` (tool 0): finish failed: panicked: fixture: finish panics (at "),
        "{stderr}"
    );
    assert!(
        !stderr.contains("thread '"),
        "the SDK's hook keeps the default panic message out: {stderr}"
    );
    let log = std::fs::read_to_string(&report).expect("the recorder's finish ran");
    assert!(log.ends_with(&format!("3 finish exit={status}\n")), "{log}");
}

fn run_with_recorder(tag: &str, program: &str, args: &[&str]) -> (i32, String, String, String) {
    let a = artifacts();
    let dir = TempDir::new(tag);
    dir.add_plugin_to("plugins", &a.fixture("recorder"), "recorder");
    let report = dir.path().join("rec.log");
    let session = dir.write(
        "s.toml",
        &format!(
            "[session]\nplugin_dirs = [\"plugins\"]\n[[tool]]\nplugin = \"recorder\"\nid = 2\n[tool.settings]\nreport = \"{}\"\n",
            report.display()
        ),
    );
    let script = dir.write("prog.py", program);
    let mut argv = vec![
        "run",
        "--session",
        session.to_str().unwrap(),
        script.to_str().unwrap(),
    ];
    argv.extend_from_slice(args);
    let out = vigil(&argv);
    let (stdout, stderr) = texts(&out);
    let log = std::fs::read_to_string(&report).unwrap_or_default();
    (out.status.code().expect("no signal"), stdout, stderr, log)
}

#[test]
fn program_output_and_status_pass_through_and_finish_sees_the_status() {
    let (status, stdout, stderr, log) = run_with_recorder(
        "run-ok",
        "import sys\nprint('args', sys.argv[1:])\n",
        &["-x", "two words"],
    );
    assert_eq!(
        (status, stdout.as_str(), stderr.as_str()),
        (0, "args ['-x', 'two words']\n", "")
    );
    assert!(log.ends_with("2 finish exit=0\n"), "{log}");

    let (status, stdout, _, log) = run_with_recorder(
        "run-exit",
        "import sys\nprint('before')\nsys.exit(3)\n",
        &[],
    );
    assert_eq!((status, stdout.as_str()), (3, "before\n"));
    assert!(log.ends_with("2 finish exit=3\n"), "{log}");

    let (status, stdout, stderr, log) = run_with_recorder(
        "run-raise",
        "print('start')\nraise ValueError('boom')\n",
        &[],
    );
    assert_eq!((status, stdout.as_str()), (1, "start\n"));
    assert!(
        stderr.starts_with("Traceback (most recent call last):\n"),
        "{stderr}"
    );
    assert!(stderr.ends_with("ValueError: boom\n"), "{stderr}");
    assert!(log.ends_with("2 finish exit=1\n"), "{log}");
}

#[test]
fn a_callback_panic_disables_only_that_tool_and_the_program_completes() {
    // Through the real binary and the VM's event delivery: the fixture panics in its first
    // LINE callback; the recorder, on another id, must keep receiving LINE events after that,
    // and the program's output and status must be untouched.
    let a = artifacts();
    let dir = TempDir::new("run-callback-panic");
    dir.add_plugin_to("plugins", &a.fixture("recorder"), "recorder");
    dir.add_plugin_to("plugins", &a.fixture("callback-panic"), "panicky");
    let report = dir.path().join("rec.log");
    let session = dir.write(
        "s.toml",
        &format!(
            "[session]\nplugin_dirs = [\"plugins\"]\n\n[[tool]]\nplugin = \"panicky\"\nid = 4\n\n[[tool]]\nplugin = \"recorder\"\nid = 2\n[tool.settings]\nreport = \"{}\"\n",
            report.display()
        ),
    );
    let script = dir.write(
        "prog.py",
        "total = 0\nfor i in range(3):\n    total += i\nprint('total', total)\nprint('end')\n",
    );
    let out = vigil(&[
        "run",
        "--session",
        session.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "total 3\nend\n");
    assert!(
        stderr.contains(
            "tool `callback-panic` (tool 4) disabled: panicked in the LINE callback: fixture: the LINE callback panics at line 1"
        ),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("disabled").count(),
        1,
        "only the panicking tool is disabled: {stderr}"
    );
    let log = std::fs::read_to_string(&report).expect("the recorder's finish ran");
    // Lines 4 and 5 run long after the panic at line 1: the other tool still gets them.
    for line in ["LINE <module> 4", "LINE <module> 5"] {
        assert!(
            log.contains(&format!("2 {line}\n")),
            "missing `{line}`: {log}"
        );
    }
    assert!(log.ends_with("2 finish exit=0\n"), "{log}");
}
