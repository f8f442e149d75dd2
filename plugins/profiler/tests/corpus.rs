//! The profiler check of the tools issue, end to end: for each corpus program, the calls the
//! profiler reports per function equal the PY_START events CPython 3.13 delivered for it (read
//! from the corpus' `P.counts`, which CPython's montrace.py wrote; summed per qualname).
//!
//! It runs the real `vigil` binary with the plugins from the workspace's `target/debug`, building
//! both first if needed (see `plugins/testing/e2e.rs`; `VIGIL_BIN`, `VIGIL_PLUGIN_DIR`,
//! `VIGIL_CORPUS` and `CPYTHON313` override the defaults).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

#[path = "../../testing/e2e.rs"]
mod e2e;

use e2e::{corpus, par_map, plugin_dir, vigil};

/// Runs `script` (from `cwd` when given) under the profiler with a JSON report to `json`;
/// the session file is written to `session` first.
fn run_profiled(cwd: Option<&Path>, script: &Path, session: &Path, json: &Path) -> Output {
    std::fs::write(
        session,
        format!(
            "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"profiler\"\nid = 2\n[tool.settings]\nreport = [\"json:{}\"]\n",
            plugin_dir().display(),
            json.display()
        ),
    )
    .unwrap();
    let mut cmd = Command::new(vigil());
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    cmd.args(["run", "--session"])
        .arg(session)
        .arg(script)
        .output()
        .expect("run vigil")
}

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
        run_profiled(
            Some(&corpus),
            Path::new(&format!("{name}.py")),
            &session,
            &json,
        );
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

/// Builtins are told apart by name, owner and receiver type, also when the host keys them
/// (`builtin_key`): `pop` bound to a list and to a dict are two functions, a bound method
/// called through a variable is the same function at every call. The counts are the ones
/// CPython 3.13's cProfile reports for this program (leaving out what its `import math` runs);
/// the names follow this profiler's pstats spelling.
#[test]
fn builtins_are_named_per_receiver_type() {
    let dir = std::env::temp_dir().join(format!("vigil-profiler-builtins-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join("prog.py");
    std::fs::write(
        &prog,
        "import math\na = []\npush = a.append\npush(1)\npush(2)\nd = {1: 2, 3: 4}\n\
         for x in (a.pop, d.pop):\n    x(1) if x is not a.pop else x()\n\
         for i in range(3):\n    len(a)\nmath.sqrt(4.0)\nprint(isinstance(a, list), len(d))\n",
    )
    .unwrap();
    let json = dir.join("p.json");
    let session = dir.join("s.toml");
    let out = run_profiled(None, &prog, &session, &json);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "True 1\n");
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("profile written")).unwrap();
    let got: BTreeMap<String, u64> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["file"] == "~")
        .map(|r| {
            (
                r["function"].as_str().unwrap().to_owned(),
                r["calls"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeMap<String, u64> = [
        ("{built-in method isinstance}", 1),
        ("{built-in method len}", 4),
        ("{built-in method print}", 1),
        ("{built-in method sqrt}", 1),
        ("{method 'append' of 'list' objects}", 2),
        ("{method 'pop' of 'dict' objects}", 1),
        ("{method 'pop' of 'list' objects}", 1),
    ]
    .into_iter()
    .map(|(n, c)| (n.to_owned(), c))
    .collect();
    assert_eq!(got, want);
}

/// Methods of builtin types called as methods (`x.append(i)`: the CALL's callable is the
/// unbound method descriptor, its first argument the receiver) and through the type
/// (`list.append(x, -1)`) are builtin calls named by the owner type, as CPython 3.13's
/// cProfile times them; slot wrappers (`a.__len__()`, `object.__init__(a)`,
/// `it.__next__()`) are not builtin calls to it. The expected rows are CPython 3.13's
/// cProfile's for this program (calls, primitive calls, callers), but for the builtins' pstats
/// spelling (`{built-in method len}` here, `builtins.len` there).
#[test]
fn method_descriptors_are_builtin_calls() {
    let dir = std::env::temp_dir().join(format!("vigil-profiler-descr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join("prog.py");
    std::fs::write(
        &prog,
        "def fill(x, n):\n    for i in range(n):\n        x.append(i)\n    list.append(x, -1)\n\
         \x20   return x.pop()\na = []\nfill(a, 3)\nfill(a, 2)\na.insert(0, 3)\nd = {}\n\
         for i in range(4):\n    d.get(i, 0)\n    d.setdefault(i, [])\ndict.get(d, 1)\n\
         s = \"a,b\"\ns.split(\",\")\nstr.upper(s)\n\" \".join([\"x\", \"y\"])\n\
         a.sort(key=abs)\na.__len__()\nd.__contains__(1)\nobject.__init__(a)\nit = iter(a)\n\
         it.__next__()\nprint(len(a), sorted(d.keys()), d.items().__class__.__name__)\n",
    )
    .unwrap();
    let json = dir.join("p.json");
    let session = dir.join("s.toml");
    let out = run_profiled(None, &prog, &session, &json);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "6 [0, 1, 2, 3] dict_items\n"
    );
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("profile written")).unwrap();
    // function -> (calls, primitive calls, [(caller, calls, primitive calls)])
    type Row = (u64, u64, Vec<(String, u64, u64)>);
    let got: BTreeMap<String, Row> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let callers = r["callers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["function"].as_str().unwrap().to_owned(),
                        c["calls"].as_u64().unwrap(),
                        c["primitive_calls"].as_u64().unwrap(),
                    )
                })
                .collect();
            (
                r["function"].as_str().unwrap().to_owned(),
                (
                    r["calls"].as_u64().unwrap(),
                    r["primitive_calls"].as_u64().unwrap(),
                    callers,
                ),
            )
        })
        .collect();
    let m = |n: u64| vec![("<module>".to_owned(), n, n)];
    let want: BTreeMap<String, Row> = [
        ("<module>", (1, 1, vec![])),
        ("fill", (2, 2, m(2))),
        ("{built-in method iter}", (1, 1, m(1))),
        ("{built-in method len}", (1, 1, m(1))),
        ("{built-in method print}", (1, 1, m(1))),
        ("{built-in method sorted}", (1, 1, m(1))),
        ("{method '__contains__' of 'dict' objects}", (1, 1, m(1))),
        (
            "{method 'append' of 'list' objects}",
            (7, 7, vec![("fill".to_owned(), 7, 7)]),
        ),
        ("{method 'get' of 'dict' objects}", (5, 5, m(5))),
        ("{method 'insert' of 'list' objects}", (1, 1, m(1))),
        ("{method 'items' of 'dict' objects}", (1, 1, m(1))),
        ("{method 'join' of 'str' objects}", (1, 1, m(1))),
        ("{method 'keys' of 'dict' objects}", (1, 1, m(1))),
        (
            "{method 'pop' of 'list' objects}",
            (2, 2, vec![("fill".to_owned(), 2, 2)]),
        ),
        ("{method 'setdefault' of 'dict' objects}", (4, 4, m(4))),
        ("{method 'sort' of 'list' objects}", (1, 1, m(1))),
        ("{method 'split' of 'str' objects}", (1, 1, m(1))),
        ("{method 'upper' of 'str' objects}", (1, 1, m(1))),
    ]
    .into_iter()
    .map(|(n, r)| (n.to_owned(), r))
    .collect();
    assert_eq!(got, want);
}
