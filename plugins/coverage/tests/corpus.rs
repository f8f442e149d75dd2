//! The coverage check of the tools issue, end to end: for each corpus program, the lines vigil's
//! coverage tool reports as run equal the lines CPython 3.13 reports LINE events for, and the
//! missed lines equal the lines of `co_lines()` of every code object of the file minus those.
//! The expected sets are computed by CPython in the test (a small `sys.monitoring` script),
//! never taken from vigil.
//!
//! It runs the real `vigil` binary with the plugins from the workspace's `target/debug`, building
//! both first if needed (see `plugins/testing/e2e.rs`; `VIGIL_BIN`, `VIGIL_PLUGIN_DIR`,
//! `VIGIL_CORPUS` and `CPYTHON313` override the defaults).

use std::path::PathBuf;
use std::process::Command;

#[path = "../../testing/e2e.rs"]
mod e2e;

use e2e::{corpus, par_map, plugin_dir, python, vigil};

/// Executed and statement lines of the main script under CPython 3.13, as JSON.
const EXPECTED: &str = r#"
import json, os, sys
M = sys.monitoring
path = os.path.abspath(sys.argv[1])
out = sys.argv[2]
hit = set()
def line(code, n):
    if code.co_filename == path:
        hit.add(n)
    return M.DISABLE
src = open(path).read()
code = compile(src, path, "exec")
def walk(c):
    yield c
    for k in c.co_consts:
        if isinstance(k, type(c)):
            yield from walk(k)
stmts = {n for c in walk(code) for _, _, n in c.co_lines() if n}
M.use_tool_id(1, "expected")
M.register_callback(1, M.events.LINE, line)
sys.argv = sys.argv[1:2]
sys.path[0] = os.path.dirname(path)
M.set_events(1, M.events.LINE)
try:
    exec(code, {"__name__": "__main__", "__file__": path})
except SystemExit:
    pass
finally:
    M.set_events(1, 0)
ran = sorted(hit & stmts)
json.dump({"executed": ran, "missing": sorted(stmts - hit)}, open(out, "w"))
"#;

#[test]
fn hit_and_missed_lines_equal_cpython_for_every_corpus_program() {
    let vigil = vigil();
    let plugins = plugin_dir();
    let python = python();
    let dir = std::env::temp_dir().join(format!("vigil-coverage-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("expected.py");
    std::fs::write(&script, EXPECTED).unwrap();
    let mut progs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    progs.sort();
    assert!(!progs.is_empty());
    let mut failures = Vec::new();
    for prog in progs {
        let name = prog.file_stem().unwrap().to_string_lossy().into_owned();
        let want_file = dir.join(format!("{name}.expected.json"));
        let ok = Command::new(&python)
            .env("PYTHONHASHSEED", "0")
            .current_dir(corpus())
            .arg(&script)
            .arg(&prog)
            .arg(&want_file)
            .output()
            .expect("run CPython 3.13");
        assert!(
            ok.status.success() || want_file.exists(),
            "{name}: CPython failed"
        );
        let want: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&want_file).unwrap()).unwrap();
        let got_file = dir.join(format!("{name}.coverage.json"));
        let session = dir.join(format!("{name}.toml"));
        std::fs::write(
            &session,
            format!(
                "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"coverage\"\nid = 1\n[tool.settings]\nreport = [\"json:{}\"]\n",
                plugins.display(),
                got_file.display()
            ),
        )
        .unwrap();
        Command::new(&vigil)
            .current_dir(corpus())
            .args(["run", "--session"])
            .arg(&session)
            .arg(&prog)
            .output()
            .expect("run vigil");
        let Ok(text) = std::fs::read_to_string(&got_file) else {
            failures.push(format!("{name}: no coverage report"));
            continue;
        };
        let got: serde_json::Value = serde_json::from_str(&text).unwrap();
        let file = got["files"]
            .as_object()
            .and_then(|m| m.iter().find(|(k, _)| k.ends_with(&format!("{name}.py"))))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if file["executed_lines"] != want["executed"] {
            failures.push(format!(
                "{name}: executed {} but CPython {}",
                file["executed_lines"], want["executed"]
            ));
        }
        if file["missing_lines"] != want["missing"] {
            failures.push(format!(
                "{name}: missing {} but CPython {}",
                file["missing_lines"], want["missing"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The branch arcs CPython 3.13 reports BRANCH events for in the main script, as
/// `[from line, to line]` (`-1` for a destination without a line), as JSON.
const ARCS: &str = r#"
import json, os, sys
M = sys.monitoring
path = os.path.abspath(sys.argv[1])
out = sys.argv[2]
arcs = set()
lines = {}
def line_of(code, off):
    if code not in lines:
        m = {}
        for s, e, n in code.co_lines():
            for o in range(s, e, 2):
                m[o] = n
        lines[code] = m
    n = lines[code].get(off)
    return -1 if n is None else n
def branch(code, off, dest):
    if code.co_filename == path:
        arcs.add((line_of(code, off), line_of(code, dest)))
M.use_tool_id(1, "expected")
M.register_callback(1, M.events.BRANCH, branch)
src = open(path).read()
code = compile(src, path, "exec")
sys.argv = sys.argv[1:2]
sys.path[0] = os.path.dirname(path)
M.set_events(1, M.events.BRANCH)
try:
    exec(code, {"__name__": "__main__", "__file__": path})
except SystemExit:
    pass
finally:
    M.set_events(1, 0)
json.dump(sorted(arcs), open(out, "w"))
"#;

/// With `branch = true`, the taken arcs of the JSON report are CPython's: every executed arc
/// is one CPython took, and every arc CPython took from a line the report tracks as a branch
/// is reported executed (the report keeps only lines with two or more destinations).
#[test]
fn taken_branch_arcs_equal_cpython_for_every_corpus_program() {
    let vigil = vigil();
    let plugins = plugin_dir();
    let python = python();
    let dir = std::env::temp_dir().join(format!("vigil-coverage-arcs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("arcs.py");
    std::fs::write(&script, ARCS).unwrap();
    // The corpus, and this crate's own programs for paths the corpus may not reach.
    let own = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/arcs");
    let mut progs: Vec<(String, PathBuf)> = [corpus(), own]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?.strip_suffix(".py")?.to_owned();
            Some((name, path))
        })
        .collect();
    progs.sort();
    let results = par_map(&progs, |(name, prog)| -> Option<String> {
        let want_file = dir.join(format!("{name}.arcs.json"));
        Command::new(&python)
            .env("PYTHONHASHSEED", "0")
            .current_dir(corpus())
            .arg(&script)
            .arg(prog)
            .arg(&want_file)
            .output()
            .expect("run CPython 3.13");
        let want: std::collections::BTreeSet<(i64, i64)> =
            serde_json::from_str(&std::fs::read_to_string(&want_file).unwrap()).unwrap();
        let got_file = dir.join(format!("{name}.coverage.json"));
        let session = dir.join(format!("{name}.toml"));
        std::fs::write(
            &session,
            format!(
                "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"coverage\"\nid = 1\n[tool.settings]\nbranch = true\nreport = [\"json:{}\"]\n",
                plugins.display(),
                got_file.display()
            ),
        )
        .unwrap();
        Command::new(&vigil)
            .current_dir(corpus())
            .args(["run", "--session"])
            .arg(&session)
            .arg(prog)
            .output()
            .expect("run vigil");
        let Ok(text) = std::fs::read_to_string(&got_file) else {
            return Some(format!("{name}: no coverage report"));
        };
        let got: serde_json::Value = serde_json::from_str(&text).unwrap();
        let file = got["files"]
            .as_object()
            .and_then(|m| m.iter().find(|(k, _)| k.ends_with(&format!("{name}.py"))))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let arcs = |key: &str| -> std::collections::BTreeSet<(i64, i64)> {
            serde_json::from_value(file[key].clone()).unwrap_or_default()
        };
        let (executed, missing) = (arcs("executed_branches"), arcs("missing_branches"));
        let tracked: std::collections::BTreeSet<i64> =
            executed.iter().chain(&missing).map(|a| a.0).collect();
        let not_taken: Vec<_> = executed.difference(&want).collect();
        let unreported: Vec<_> = want
            .iter()
            .filter(|a| tracked.contains(&a.0) && !executed.contains(a))
            .collect();
        (!not_taken.is_empty() || !unreported.is_empty() || executed.is_empty()).then(|| {
            format!(
                "{name}: executed but not taken by CPython {not_taken:?}; taken by CPython but not executed {unreported:?}; executed {}",
                executed.len()
            )
        })
    });
    let failures: Vec<String> = results.into_iter().flatten().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
