//! Debug helper: print (opname, line) for `eval` and `single` mode compiles of fixed
//! snippets, to compare with CPython by eye.

fn main() {
    for (src, mode) in [
        ("a + f(b)\n", vigil_compiler::Mode::Eval),
        ("print(x)\n", vigil_compiler::Mode::Single),
    ] {
        let code = vigil_compiler::compile(src, "<s>", mode).expect("compile");
        let v: Vec<(String, Option<u32>)> = code
            .instructions
            .iter()
            .enumerate()
            .map(|(i, ins)| (ins.op().name().to_string(), code.line_at(i)))
            .collect();
        println!("{v:?}");
    }
}
