//! Compile errors: real syntax errors must print CPython 3.13's SyntaxError report (expected
//! files from CPython via `tests/errors/regen.sh`); valid Python outside the subset must be
//! refused with `FILE:LINE:COL: unsupported: construct`, never miscompiled or panicking.

use std::path::PathBuf;

use vigil_compiler::{CompileError, Mode, compile};

#[test]
fn syntax_errors_match_cpython_reports() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/errors/cases");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let src = std::fs::read_to_string(&path).expect("read");
        let expected = std::fs::read_to_string(path.with_extension("expected")).expect("expected");
        n += 1;
        match compile(&src, &name, Mode::Exec) {
            Ok(_) => failures.push(format!("{name}: compiled without error")),
            Err(e) => {
                let got = format!("{e}\n");
                if got != expected {
                    failures.push(format!("{name}:\n--- expected\n{expected}--- got\n{got}"));
                }
            }
        }
    }
    assert!(n >= 10);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn unsupported(src: &str) -> (u32, u32, String) {
    match compile(src, "u.py", Mode::Exec) {
        Err(CompileError::Unsupported {
            line,
            col,
            construct,
            ..
        }) => (line, col, construct),
        other => panic!("expected Unsupported for {src:?}, got {other:?}"),
    }
}

#[test]
fn outside_the_subset_is_refused_with_position() {
    let (l, c, what) = unsupported("x = 1\nif x:\n    type X = int\n");
    assert_eq!((l, c, what.as_str()), (3, 5, "type alias statement"));
    assert_eq!(
        unsupported("async def f():\n    async for x in y:\n        pass\n").2,
        "async for"
    );
    assert_eq!(
        unsupported("async def f():\n    async with y:\n        pass\n").2,
        "async with"
    );
    assert_eq!(
        unsupported("async def f():\n    yield 1\n").2,
        "async generator"
    );
    assert_eq!(
        unsupported("try:\n    pass\nexcept* E:\n    pass\n").2,
        "except*"
    );
    assert_eq!(unsupported("def f[T](x):\n    pass\n").2, "type parameters");
    assert_eq!(unsupported("type X = int\n").2, "type alias statement");
    let e = compile("x = 1\ntype X = int\n", "u.py", Mode::Exec).unwrap_err();
    assert_eq!(e.to_string(), "u.py:2:1: unsupported: type alias statement");
}

#[test]
fn modes_compile() {
    let e = compile("1 + 2", "<string>", Mode::Eval).expect("eval");
    assert_eq!(
        e.instructions.last().map(|i| i.op().name()),
        Some("RETURN_CONST")
    );
    let s = compile("x\n", "<stdin>", Mode::Single).expect("single");
    assert!(
        s.instructions
            .iter()
            .any(|i| i.op().name() == "CALL_INTRINSIC_1")
    );
    let e = compile("x = 1\nx\n", "<stdin>", Mode::Single).unwrap_err();
    assert_eq!(
        e.message(),
        "multiple statements found while compiling a single statement"
    );
}

/// Robustness: every module of CPython's own standard library (when installed) must compile
/// or be refused as unsupported; never a panic, never a SyntaxError on valid code.
#[test]
fn cpython_stdlib_compiles_or_is_refused() {
    let lib = std::path::Path::new("/root/.cache/cpython3.13/root/usr/lib/python3.13");
    assert!(
        lib.exists(),
        "CPython 3.13's standard library is missing at {}: run \
         ../shared/conformance/get-cpython.sh (.ci/run does)",
        lib.display()
    );
    fn walk(p: &std::path::Path, out: &mut Vec<PathBuf>) {
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
    let mut bad = Vec::new();
    let mut compiled = 0;
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        let name = f.display().to_string();
        match std::panic::catch_unwind(|| compile(&src, &name, Mode::Exec)) {
            Ok(Ok(_)) => compiled += 1,
            Ok(Err(CompileError::Unsupported { .. })) => {}
            Ok(Err(e)) => bad.push(format!("{name}: {}", e.message())),
            Err(_) => bad.push(format!("{name}: panic")),
        }
    }
    assert!(compiled > 100, "only {compiled} files compiled");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
