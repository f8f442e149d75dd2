//! The profiler check of the tools issue, end to end: for each corpus program, the calls the
//! profiler reports per function equal the PY_START events CPython 3.13 delivered for it (read
//! from the corpus' `P.counts`, which CPython's montrace.py wrote; summed per qualname).
//!
//! It runs the real `vigil` binary with the plugins from the workspace's `target/debug`, building
//! both first if needed (see `plugins/testing/e2e.rs`; `VIGIL_BIN`, `VIGIL_PLUGIN_DIR`,
//! `VIGIL_CORPUS` and `CPYTHON313` override the defaults).

use std::collections::BTreeMap;
use std::process::Command;

#[path = "../../testing/e2e.rs"]
mod e2e;

use e2e::{corpus, par_map, plugin_dir, vigil};

/// `qualname → PY_START count` from a montrace counts file.
fn py_starts(counts: &str) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for l in counts.lines() {
        let Some((n, text)) = l.split_once('\t') else {
            continue;
        };
        let Some(rest) = text.strip_prefix("PY_START ") else {
            continue;
        };
        let qualname = rest.rsplit_once(':').map_or(rest, |(q, _)| q);
        *m.entry(qualname.to_owned()).or_insert(0) += n.parse::<u64>().unwrap();
    }
    m
}

#[test]
fn py_start_parsing() {
    let m = py_starts("3\tPY_START f:4\n1\tPY_START <module>:0\n2\tPY_START f:9\n5\tLINE f:5\n");
    assert_eq!(m, BTreeMap::from([("<module>".into(), 1), ("f".into(), 5)]));
}

#[test]
fn calls_equal_cpython_py_starts_for_every_corpus_program() {
    let vigil = vigil();
    let plugins = plugin_dir();
    let corpus = corpus();
    let dir = std::env::temp_dir().join(format!("vigil-profiler-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| {
            let n = e.ok()?.file_name().into_string().ok()?;
            n.strip_suffix(".counts").map(str::to_owned)
        })
        .collect();
    names.sort();
    let results = par_map(&names, |name| -> Result<(), String> {
        let want =
            py_starts(&std::fs::read_to_string(corpus.join(format!("{name}.counts"))).unwrap());
        let json = dir.join(format!("{name}.json"));
        let session = dir.join(format!("{name}.toml"));
        std::fs::write(
            &session,
            format!(
                "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"profiler\"\nid = 2\n[tool.settings]\nreport = [\"json:{}\"]\n",
                plugins.display(),
                json.display()
            ),
        )
        .unwrap();
        Command::new(&vigil)
            .current_dir(&corpus)
            .args(["run", "--session"])
            .arg(&session)
            .arg(format!("{name}.py"))
            .output()
            .expect("run vigil");
        let Ok(text) = std::fs::read_to_string(&json) else {
            return Err(format!("{name}: no profile written"));
        };
        let rows: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut got: BTreeMap<String, u64> = BTreeMap::new();
        for r in rows.as_array().unwrap() {
            if r["file"]
                .as_str()
                .is_some_and(|f| f.ends_with(&format!("{name}.py")))
            {
                *got.entry(r["function"].as_str().unwrap().to_owned())
                    .or_insert(0) += r["calls"].as_u64().unwrap();
            }
        }
        if got != want {
            return Err(format!("{name}: calls {got:?}, CPython PY_STARTs {want:?}"));
        }
        Ok(())
    });
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
