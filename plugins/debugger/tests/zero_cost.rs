//! The debugger's zero-cost promise, checked on the VM's own instrumentation: with one
//! breakpoint that is never hit (its condition never holds), after the whole program ran only
//! the breakpoint's code object carries LINE instrumentation, and every other code object the
//! program entered is back to plain instructions (its PY_START answered DISABLE). The debugger
//! runs in-process against the VM's Host API, exactly as `vigil run --session` creates it.

use std::path::{Path, PathBuf};
use vigil_debugger::DebuggerTool;
use vigil_plugin_api::ToolId;
use vigil_plugin_api::sdk::create_in_process;

fn corpus() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/corpus");
    p.canonicalize().unwrap_or(p)
}

/// Runs `nqueens.py 4` under the debugger with `settings`; the instrumentation left behind
/// for the program's own code objects, and the program's output.
fn run(settings: String) -> (Vec<vigil_vm::CodeInstrumentation>, String) {
    let script = corpus().join("nqueens.py");
    let file = script.display().to_string();
    let argv = vec![file.clone(), "4".to_owned()];
    vigil_vm::run_session(&script, argv, move |s| {
        let api = s.api();
        (api.vtable.use_tool_id())(api.ctx, 0, "debugger".into())
            .into_result()
            .expect("use_tool_id");
        let tool = ToolId::new(0).unwrap();
        let inst = create_in_process::<DebuggerTool>(api, tool, &settings).expect("create");
        s.attach(tool, &inst);
        let (status, out) = s.run_captured();
        (inst.callbacks.finish())(inst.state, status)
            .into_result()
            .expect("finish");
        (inst.callbacks.release())(inst.state);
        let mut codes: Vec<_> = s
            .instrumentation()
            .into_iter()
            .filter(|c| c.filename == file)
            .collect();
        codes.sort_by(|a, b| (a.first_line, &a.qualname).cmp(&(b.first_line, &b.qualname)));
        (codes, out)
    })
    .expect("interpreter thread")
}

#[test]
fn one_unhit_breakpoint_leaves_line_only_in_its_code_object() {
    let script = corpus().join("nqueens.py");
    let bp = format!("{}:20, i == 99", script.display());
    let transcript =
        std::env::temp_dir().join(format!("vigil-zero-cost-{}.txt", std::process::id()));
    let (codes, out) = run(format!(
        "break = [\"{bp}\"]\noutput = \"{}\"\n",
        transcript.display()
    ));
    let _ = std::fs::remove_file(&transcript);
    assert_eq!(out, "2\n", "the program ran normally");
    // The program entered these (a sanity check that the listing sees them at all).
    let names: Vec<&str> = codes.iter().map(|c| c.qualname.as_str()).collect();
    for n in ["<module>", "permutations", "n_queens", "run"] {
        assert!(names.contains(&n), "{n} not among {names:?}");
    }
    for c in &codes {
        if c.qualname == "permutations" {
            assert!(
                c.line_lines.contains(&20),
                "the breakpoint's line keeps LINE: {c:?}"
            );
            assert_eq!(c.instruction_words, 0, "{c:?}");
        } else {
            assert!(c.is_plain(), "instrumented outside the breakpoint: {c:?}");
        }
    }
}

#[test]
fn without_breakpoints_nothing_stays_instrumented() {
    let transcript =
        std::env::temp_dir().join(format!("vigil-zero-cost-none-{}.txt", std::process::id()));
    let (codes, out) = run(format!("output = \"{}\"\n", transcript.display()));
    let _ = std::fs::remove_file(&transcript);
    assert_eq!(out, "2\n");
    assert!(!codes.is_empty());
    for c in &codes {
        assert!(c.is_plain(), "{c:?}");
    }
}

#[test]
fn a_breakpoint_in_a_function_never_called_leaves_everything_that_ran_plain() {
    // bench_n_queens (line 54) is never called by `nqueens.py 4`.
    let script = corpus().join("nqueens.py");
    let bp = format!("{}:54", script.display());
    let transcript = std::env::temp_dir().join(format!(
        "vigil-zero-cost-uncalled-{}.txt",
        std::process::id()
    ));
    let (codes, out) = run(format!(
        "break = [\"{bp}\"]\noutput = \"{}\"\n",
        transcript.display()
    ));
    let _ = std::fs::remove_file(&transcript);
    assert_eq!(out, "2\n");
    assert!(codes.iter().any(|c| c.qualname == "permutations"));
    for c in &codes {
        // The breakpoint's own code object is instrumented up front (set_local_events
        // instruments at once, as CPython does) but never runs; everything that ran is plain.
        if c.qualname == "bench_n_queens" {
            assert_eq!(c.line_lines, [54], "{c:?}");
        } else {
            assert!(c.is_plain(), "{c:?}");
        }
    }
}
