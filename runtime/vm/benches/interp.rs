//! Micro-benchmark: the interpreter loop on small Python kernels (issue 6).
//!
//! Each kernel is compiled once; every iteration runs it as `__main__` on a fresh `Vm`, so a
//! number is the loop's cost plus a fixed VM set-up that the `empty` kernel shows on its own.
//! The kernels are chosen to stress different parts of the loop: plain arithmetic and jumps,
//! Python-to-Python calls (frame entry is where monitoring's one check per RESUME sits),
//! generator resumption, attribute access on instances, and a comprehension.
//!
//! This is also the "monitoring compiled out vs compiled in with no tool" benchmark (target
//! ≤ 1.01): run it once with the default features and once with `--no-default-features`
//! (once vigil-vm has its `monitoring` feature) and compare the medians; `bench/mon_cost.py`
//! does both and prints the ratios. Correctness of the kernels is not checked here beyond the
//! exit status (the conformance tests own output).

use std::hint::black_box;
use std::rc::Rc;

use vigil_compiler::{CodeObject, Mode};
use vigil_vm::Vm;

fn main() {
    divan::main();
}

const KERNELS: &[(&str, &str)] = &[
    ("empty", "pass\n"),
    (
        "arith_loop",
        "def f(n):\n    x = 0\n    for i in range(n):\n        x = (x + i * 3) % 1000003\n    return x\nf(20000)\n",
    ),
    (
        "calls",
        "def g(a, b):\n    return a + b\ndef f(n):\n    s = 0\n    for i in range(n):\n        s = g(s, i)\n    return s\nf(20000)\n",
    ),
    (
        "generator",
        "def gen(n):\n    for i in range(n):\n        yield i\ndef f(n):\n    s = 0\n    for v in gen(n):\n        s += v\n    return s\nf(20000)\n",
    ),
    (
        "attributes",
        "class P:\n    def __init__(self):\n        self.x = 0\n    def bump(self, d):\n        self.x += d\ndef f(n):\n    p = P()\n    for i in range(n):\n        p.bump(i)\n    return p.x\nf(20000)\n",
    ),
    (
        "comprehension",
        "def f(n):\n    return sum([i * i for i in range(n) if i % 3])\nf(20000)\n",
    ),
];

fn compiled(name: &str) -> Rc<CodeObject> {
    let (_, src) = KERNELS.iter().find(|(n, _)| *n == name).expect("kernel");
    vigil_compiler::compile(src, "bench.py", Mode::Exec).expect("kernel compiles")
}

#[divan::bench(args = ["empty", "arith_loop", "calls", "generator", "attributes", "comprehension"])]
fn run(bencher: divan::Bencher<'_, '_>, kernel: &str) {
    let code = compiled(kernel);
    bencher.bench_local(|| {
        let mut vm = Vm::new(vec!["bench.py".to_owned()]);
        let status = vm.run_main_code(black_box(&code), "bench.py");
        assert_eq!(status, 0, "kernel {kernel} failed");
        vm
    });
}
