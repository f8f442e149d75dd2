//! Fuzz target: monitoring must not change what a program does. Each input runs twice under
//! the same step budget, with no tool and with a native tool listening to every event; the
//! exit status and the printed output must be equal, even when the budget cuts the run short:
//! native callbacks run no bytecode, so both runs stop at the same step.
#![no_main]

use libfuzzer_sys::fuzz_target;

const BUDGET: u64 = 5_000;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if vigil_fuzz_guard::skip(src) || vigil_fuzz_guard::nondeterministic(src) {
        return;
    }
    let Some(plain) = vigil_vm::fuzzing::run_source(src, BUDGET, false) else {
        return;
    };
    let Some(watched) = vigil_vm::fuzzing::run_source(src, BUDGET, true) else {
        panic!("compiles once but not twice");
    };
    assert_eq!(
        (plain.status, vigil_fuzz_guard::normalize(&plain.output)),
        (watched.status, vigil_fuzz_guard::normalize(&watched.output)),
        "monitoring changed the program's behaviour"
    );
});

#[path = "guard.rs"]
mod vigil_fuzz_guard;
