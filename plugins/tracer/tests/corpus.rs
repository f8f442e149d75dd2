//! The conformance contract, end to end: `vigil run` with the tracer in montrace format prints
//! exactly what CPython 3.13's `montrace.py` printed for the corpus (`P.counts` in counts mode
//! with all events; `coroutines.trace` and `nqueens.4.trace` in stream mode). The expected
//! files come from CPython (`shared/conformance/regenerate.sh`), never from vigil.
//!
//! It runs the real `vigil` binary with the plugins from the workspace's `target/debug`, building
//! both first if needed (see `plugins/testing/e2e.rs`; `VIGIL_BIN`, `VIGIL_PLUGIN_DIR`,
//! `VIGIL_CORPUS` and `CPYTHON313` override the defaults).

use std::process::Command;

#[path = "../../testing/e2e.rs"]
mod e2e;

use e2e::{corpus, par_map, plugin_dir, vigil};

/// Runs `prog` from the corpus folder under a tracer session; returns the trace file's text.
/// `mode` names the files, so the stream and counts tests (run in parallel) never share one.
fn trace(prog: &str, args: &[&str], mode: &str, settings: &str) -> String {
    let vigil = vigil();
    let plugins = plugin_dir();
    let dir = std::env::temp_dir().join(format!("vigil-tracer-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(format!("{prog}.{mode}.out"));
    let session = dir.join(format!("{prog}.{mode}.toml"));
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
    let got = par_map(&names, |n| {
        trace(n, &[], "counts", "mode = \"counts\"\nevents = \"all\"")
    });
    for (n, got) in names.iter().zip(got) {
        let want = std::fs::read_to_string(corpus().join(format!("{n}.counts"))).unwrap();
        if got != want {
            failures.push(format!("{n}: {}", first_difference(&got, &want)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn stream_traces_equal_cpython() {
    for (prog, args, file) in [
        ("coroutines", &[][..], "coroutines.trace"),
        ("nqueens", &["4"][..], "nqueens.4.trace"),
    ] {
        let got = trace(prog, args, "stream", "mode = \"stream\"");
        let want = std::fs::read_to_string(corpus().join(file)).unwrap();
        assert!(got == want, "{file}: {}", first_difference(&got, &want));
    }
}
