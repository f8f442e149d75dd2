//! Fuzz target: compile and run any source text under a step budget; the VM must end with a
//! status (exceptions included), never panic or overflow its stack. It does not compare
//! outputs (see `differential`).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Backward jumps plus calls allowed per input: enough for the corpus programs' hot loops to
/// run a while, small enough to keep executions fast.
const BUDGET: u64 = 20_000;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        if vigil_fuzz_guard::skip(src) {
            return;
        }
        let _ = vigil_vm::fuzzing::run_source(src, BUDGET, false);
    }
});

#[path = "guard.rs"]
mod vigil_fuzz_guard;
