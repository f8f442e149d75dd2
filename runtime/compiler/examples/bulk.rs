//! Debug helper: compile every .py file under the given folders, report panics and errors,
//! and with `--shape-dir D` write each file's shape to D (for comparing with CPython).
//! `cargo run -p vigil-compiler --example bulk -- DIR...`

use std::path::{Path, PathBuf};

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "py") {
                out.push(path);
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    let mut shape_dir: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--shape-dir" {
            shape_dir = it.next().map(PathBuf::from);
        } else {
            walk(Path::new(a), &mut files);
        }
    }
    files.sort();
    let (mut ok, mut unsup, mut syn, mut panics) = (0, 0, 0, 0);
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        let name = f.display().to_string();
        let r = std::panic::catch_unwind(|| {
            vigil_compiler::compile(&src, &name, vigil_compiler::Mode::Exec)
        });
        match r {
            Ok(Ok(code)) => {
                ok += 1;
                if let Some(d) = &shape_dir {
                    let out = d.join(name.replace('/', "_") + ".shape");
                    let _ = std::fs::write(out, vigil_compiler::shape(&code));
                }
            }
            Ok(Err(vigil_compiler::CompileError::Unsupported { construct, .. })) => {
                unsup += 1;
                println!("UNSUPPORTED {name}: {construct}");
            }
            Ok(Err(e)) => {
                syn += 1;
                println!("SYNTAX {name}: {}", e.message());
            }
            Err(_) => {
                panics += 1;
                println!("PANIC {name}");
            }
        }
    }
    println!("ok={ok} unsupported={unsup} syntax={syn} panics={panics}");
}
