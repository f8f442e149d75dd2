//! Differential test: monitoring must not change what a program does. Every corpus program
//! runs three ways inside vigil: with no tool, with a tool that holds an id but listens to
//! nothing, and with a tool that has a callback for every event and all events on. The
//! program's output must be identical in all three and equal the CPython-recorded `.stdout`.
//! (In a debug build the all-events run is limited to two programs unless
//! `VIGIL_DIFF_ALL=1` is set; the full set passed on 2026-11-28.) The corpus is read in place; the small wrapper that sets the tool up is written to a
//! temporary directory.

#![cfg(feature = "monitoring")]

use std::path::{Path, PathBuf};

const WRAPPER: &str = r#"
import sys
M = sys.monitoring
E = M.events
mode, path = sys.argv[1], sys.argv[2]
calls = [0]
if mode != 'off':
    M.use_tool_id(4, 'differential')
if mode == 'all':
    def cb(*args):
        calls[0] += 1
    mask = 0
    for name in dir(E):
        if name.isupper() and name != 'NO_EVENTS':
            M.register_callback(4, getattr(E, name), cb)
            mask |= getattr(E, name)
    M.set_events(4, mask)
src = open(path).read()
sys.argv = [path]
code = compile(src, path, 'exec')
ns = {'__name__': '__main__', '__builtins__': __builtins__}
exec(code, ns)
if mode == 'all':
    M.set_events(4, 0)
    if calls[0] == 0:
        print('NO EVENTS DELIVERED')
"#;

fn corpus() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/corpus");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    v.sort();
    Some(v)
}

#[test]
fn output_is_the_same_with_and_without_tools() {
    let progs = corpus().expect(
        "the corpus is missing: tests read it from ../shared beside the repository, as CI has it",
    );
    let tmp = std::env::temp_dir().join(format!("vigil-mon-diff-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let wrapper = tmp.join("wrapper.py");
    std::fs::write(&wrapper, WRAPPER).expect("write wrapper");
    let mut failures = Vec::new();
    for py in &progs {
        let expected = std::fs::read_to_string(py.with_extension("stdout")).unwrap_or_default();
        let name = py
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        // Every event on costs minutes per program in a debug build: two programs by
        // default, all of them with VIGIL_DIFF_ALL=1.
        let all = std::env::var_os("VIGIL_DIFF_ALL").is_some()
            || matches!(name.as_str(), "coroutines" | "generators");
        for mode in ["off", "idle", "all"] {
            if mode == "all" && !all {
                continue;
            }
            let argv = vec![
                wrapper.to_string_lossy().to_string(),
                mode.to_string(),
                py.to_string_lossy().to_string(),
            ];
            let (outcome, got) = vigil_vm::run_captured(&wrapper, argv);
            if outcome.status != 0 || got != expected {
                failures.push(format!(
                    "{} [{mode}]: status {}\n--- got\n{got}\n--- expected\n{expected}",
                    py.display(),
                    outcome.status
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
