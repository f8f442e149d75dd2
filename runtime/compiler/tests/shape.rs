//! Shape tests: the compiler must lay out bytecode the way CPython 3.13 does (same opcode
//! names, lines, jump targets and exception table), because monitoring events are judged by
//! the lines CPython reports. Expected files come from CPython via `tests/shape/regen.sh`.

use std::path::{Path, PathBuf};

fn shape_of(path: &Path, display: &str) -> String {
    let src = std::fs::read_to_string(path).expect("read case");
    let code = vigil_compiler::compile(&src, display, vigil_compiler::Mode::Exec)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    vigil_compiler::shape(&code)
}

fn first_difference(expected: &str, got: &str) -> String {
    for (i, (a, b)) in expected.lines().zip(got.lines()).enumerate() {
        if a != b {
            return format!("line {}: expected `{a}`, got `{b}`", i + 1);
        }
    }
    format!(
        "lengths differ: expected {} lines, got {}",
        expected.lines().count(),
        got.lines().count()
    )
}

#[test]
fn committed_cases_match_cpython() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/shape");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(dir.join("cases")).expect("cases dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let expected = std::fs::read_to_string(dir.join("expected").join(format!("{name}.shape")))
            .expect("expected shape (run tests/shape/regen.sh)");
        let got = shape_of(&path, &format!("{name}.py"));
        n += 1;
        if got != expected {
            failures.push(format!("{name}: {}", first_difference(&expected, &got)));
        }
    }
    assert!(n >= 5, "too few cases found");
    assert!(
        failures.is_empty(),
        "shape mismatches:\n{}",
        failures.join("\n")
    );
}

/// The shared conformance programs, compared live against CPython 3.13 (both must be
/// present; the data stays outside the repo).
#[test]
fn conformance_programs_match_cpython_live() {
    let py =
        std::env::var("PYTHON313").unwrap_or_else(|_| "/root/.cache/cpython3.13/python3.13".into());
    let conf = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance");
    assert!(
        Path::new(&py).exists() && conf.exists(),
        "CPython 3.13 ({py}) or the conformance folder ({}) is missing: run \
         ../shared/conformance/get-cpython.sh (.ci/run does) with ../shared beside the repository",
        conf.display()
    );
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/shape/cpython_shape.py");
    let mut failures = Vec::new();
    for sub in ["cases", "corpus"] {
        let d = conf.join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "py"))
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let out = std::process::Command::new(&py)
                .arg(&script)
                .arg(&name)
                .current_dir(&d)
                .output()
                .expect("run cpython");
            let expected = String::from_utf8_lossy(&out.stdout).to_string();
            let got = shape_of(&path, &name);
            if got != expected {
                failures.push(format!(
                    "{sub}/{name}: {}",
                    first_difference(&expected, &got)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "shape mismatches:\n{}",
        failures.join("\n")
    );
}

/// A sample of CPython's own standard library (every 4th module), compared live against
/// CPython 3.13's `dis` (CPython 3.13 must be installed). The whole library matches;
/// `examples/bulk.rs` is the tool for checking all of it.
#[test]
fn cpython_stdlib_sample_matches_cpython_live() {
    let py =
        std::env::var("PYTHON313").unwrap_or_else(|_| "/root/.cache/cpython3.13/python3.13".into());
    let lib = Path::new("/root/.cache/cpython3.13/root/usr/lib/python3.13");
    assert!(
        Path::new(&py).exists() && lib.exists(),
        "CPython 3.13 ({py}) or its standard library ({}) is missing: run \
         ../shared/conformance/get-cpython.sh (.ci/run does)",
        lib.display()
    );
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "py") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(lib, &mut files);
    files.sort();
    let sample: Vec<PathBuf> = files.into_iter().step_by(4).collect();
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/shape/cpython_shapes_many.py");
    let out = std::process::Command::new(&py)
        .arg(&script)
        .args(&sample)
        .output()
        .expect("run cpython");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut expected: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut cur: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(p) = line.strip_prefix("#### ") {
            cur = Some(p.trim_end().to_string());
            expected.insert(cur.clone().unwrap(), String::new());
        } else if let Some(c) = &cur {
            expected.get_mut(c).unwrap().push_str(line);
        }
    }
    let mut failures = Vec::new();
    let mut compared = 0;
    for path in &sample {
        let name = path.display().to_string();
        let Some(exp) = expected.get(&name) else {
            continue;
        };
        if exp.is_empty() {
            continue;
        }
        let src = std::fs::read_to_string(path).expect("read");
        let Ok(code) = vigil_compiler::compile(&src, &name, vigil_compiler::Mode::Exec) else {
            continue;
        };
        compared += 1;
        let got = vigil_compiler::shape(&code);
        if &got != exp {
            failures.push(format!("{name}: {}", first_difference(exp, &got)));
        }
    }
    assert!(compared > 50, "only {compared} modules compared");
    assert!(
        failures.is_empty(),
        "shape mismatches:\n{}",
        failures.join("\n")
    );
}
