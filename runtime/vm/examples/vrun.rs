//! Development runner: `cargo run -p vigil-vm --example vrun -- script.py args…` runs a
//! script through `vigil_vm::run_main` without the CLI crate.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(script) = args.first() else {
        eprintln!("usage: vrun script.py [args...]");
        std::process::exit(2);
    };
    let out = vigil_vm::run_main(std::path::Path::new(script), args.clone());
    std::process::exit(out.status);
}
