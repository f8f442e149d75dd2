//! The conformance contract, end to end: `vigil run` with the tracer in montrace format prints
//! exactly what CPython 3.13's `montrace.py` printed for the corpus (`P.counts` in counts mode
//! with all events; `coroutines.trace` and `nqueens.4.trace` in stream mode). The expected
//! files come from CPython (`shared/conformance/regenerate.sh`), never from vigil.
//!
//! Ignored by default: it needs a built `vigil` whose VM delivers monitoring events to plugins
//! (`cargo build -p vigil -p vigil-tracer`, then `cargo test -p vigil-tracer -- --ignored`).
//! `VIGIL_BIN`, `VIGIL_PLUGIN_DIR` and `VIGIL_CORPUS` override where things are looked for.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    let w = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&w).unwrap_or(w)
}

fn from_env(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var).map_or(default, PathBuf::from)
}

fn corpus() -> PathBuf {
    from_env(
        "VIGIL_CORPUS",
        workspace().join("../shared/conformance/corpus"),
    )
}

/// Runs `prog` from the corpus folder under a tracer session; returns the trace file's text.
fn trace(prog: &str, args: &[&str], settings: &str) -> String {
    let vigil = from_env("VIGIL_BIN", workspace().join("target/debug/vigil"));
    let plugins = from_env("VIGIL_PLUGIN_DIR", workspace().join("target/debug"));
    assert!(
        vigil.exists(),
        "build vigil first: {} is missing",
        vigil.display()
    );
    let dir = std::env::temp_dir().join(format!("vigil-tracer-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(format!("{prog}.out"));
    let session = dir.join(format!("{prog}.toml"));
    std::fs::write(
        &session,
        format!(
            "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"tracer\"\nid = 3\n[tool.settings]\nformat = \"montrace\"\n{settings}\noutput = \"{}\"\n",
            plugins.display(),
            out.display()
        ),
    )
    .unwrap();
    let status = Command::new(&vigil)
        .current_dir(corpus())
        .arg("run")
        .arg("--session")
        .arg(&session)
        .arg(format!("{prog}.py"))
        .args(args)
        .output()
        .expect("run vigil");
    let stdout = String::from_utf8_lossy(&status.stdout);
    let expected_stdout =
        std::fs::read_to_string(corpus().join(format!("{prog}.stdout"))).unwrap_or_default();
    if args.is_empty() {
        assert_eq!(
            stdout, expected_stdout,
            "{prog}: the program's output changed under the tracer"
        );
    }
    std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{prog}: no trace written: {e}"))
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}: got `{x}`, CPython `{y}`", i + 1);
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
#[ignore = "needs vigil's VM delivering monitoring events to plugins"]
fn counts_equal_cpython_for_every_corpus_program() {
    let mut failures = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .filter_map(|e| {
            let n = e.ok()?.file_name().into_string().ok()?;
            n.strip_suffix(".counts").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no corpus at {}", corpus().display());
    for n in &names {
        let got = trace(n, &[], "mode = \"counts\"\nevents = \"all\"");
        let want = std::fs::read_to_string(corpus().join(format!("{n}.counts"))).unwrap();
        if got != want {
            failures.push(format!("{n}: {}", first_difference(&got, &want)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "needs vigil's VM delivering monitoring events to plugins"]
fn stream_traces_equal_cpython() {
    for (prog, args, file) in [
        ("coroutines", &[][..], "coroutines.trace"),
        ("nqueens", &["4"][..], "nqueens.4.trace"),
    ] {
        let got = trace(prog, args, "mode = \"stream\"");
        let want = std::fs::read_to_string(corpus().join(file)).unwrap();
        assert!(got == want, "{file}: {}", first_difference(&got, &want));
    }
}
