//! Micro-benchmark: instrumenting and de-instrumenting one code object (issue 6).
//!
//! It goes through the guest `sys.monitoring` API, which is how every tool reaches the
//! instrumentation code: `set_local_events(tool, code, EVENTS)` brings the code object's
//! words up to date at once (twins for the event sites, the LINE overlay on line starts), and
//! `set_local_events(tool, code, 0)` puts the plain words back. A kernel does that pair N times
//! on the code of a ~20-line function with loops, branches and calls; the `get` kernel makes
//! the same number of API calls without changing anything, so (pair − get) / N is the cost of
//! one instrument + de-instrument, without the interpreter's call overhead. Each iteration runs
//! a kernel on a fresh `Vm`; `empty` shows that fixed set-up alone. Needs the `monitoring`
//! feature (there is no `sys.monitoring` without it).

use std::hint::black_box;
use std::rc::Rc;

use vigil_compiler::{CodeObject, Mode};
use vigil_vm::Vm;

fn main() {
    divan::main();
}

/// How many set/unset pairs one kernel run makes.
const N: usize = 1000;

const TARGET: &str = r#"
import sys
M = sys.monitoring
E = M.events
T = 3
M.use_tool_id(T, "bench")

def target(items, limit):
    total = 0
    seen = []
    for i, x in enumerate(items):
        if x > limit:
            total += x - limit
        elif x < 0:
            continue
        else:
            seen.append(i)
        while total > 1000:
            total //= 2
    try:
        ratio = total / len(seen)
    except ZeroDivisionError:
        ratio = 0.0
    return [total, ratio, len(seen)] if seen else None

code = target.__code__
EV = E.LINE | E.BRANCH | E.JUMP | E.PY_START | E.PY_RETURN | E.CALL
"#;

fn kernel(which: &str) -> String {
    let body = match which {
        "empty" => "pass",
        "set_unset" => {
            "for _ in range(N):\n    M.set_local_events(T, code, EV)\n    M.set_local_events(T, code, 0)"
        }
        "get" => {
            "for _ in range(N):\n    M.get_local_events(T, code)\n    M.get_local_events(T, code)"
        }
        other => panic!("no kernel {other}"),
    };
    format!("{TARGET}\nN = {N}\n{body}\n")
}

fn compiled(which: &str) -> Rc<CodeObject> {
    vigil_compiler::compile(&kernel(which), "bench.py", Mode::Exec).expect("kernel compiles")
}

#[divan::bench(args = ["empty", "get", "set_unset"])]
fn instrument(bencher: divan::Bencher<'_, '_>, which: &str) {
    let code = compiled(which);
    bencher.bench_local(|| {
        let mut vm = Vm::new(vec!["bench.py".to_owned()]);
        let status = vm.run_main_code(black_box(&code), "bench.py");
        assert_eq!(status, 0, "kernel {which} failed");
        vm
    });
}
