//! Debug helper: `cargo run -p vigil-compiler --example vdis -- FILE [--shape]` prints our
//! disassembly (or the shape format compared against CPython's by the shape tests).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = &args[1];
    let src = std::fs::read_to_string(path).expect("read");
    match vigil_compiler::compile(&src, path, vigil_compiler::Mode::Exec) {
        Ok(code) => {
            if args.iter().any(|a| a == "--shape") {
                print!("{}", vigil_compiler::shape(&code));
            } else {
                print!("{}", vigil_compiler::disassemble(&code));
            }
        }
        Err(e) => {
            if std::env::var_os("VDIS_DEBUG").is_some() {
                eprintln!("{e:?}");
            }
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
