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
    let (l, c, what) = unsupported("x = 1\nmatch x:\n    case 1:\n        pass\n");
    assert_eq!((l, c, what.as_str()), (2, 1, "match statement"));
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
    let e = compile("x = 1\nmatch x:\n    case 1: pass\n", "u.py", Mode::Exec).unwrap_err();
    assert_eq!(e.to_string(), "u.py:2:1: unsupported: match statement");
}

#[test]
fn modes_compile() {
    let e = compile("1 + 2", "<string>", Mode::Eval).expect("eval");
    assert_eq!(
        e.instructions.last().map(|i| i.op().name()),
        Some("RETURN_CONST")
    );
    let s = compile("x = 1\nx", "<stdin>", Mode::Single).expect("single");
    assert!(
        s.instructions
            .iter()
            .any(|i| i.op().name() == "CALL_INTRINSIC_1")
    );
}
