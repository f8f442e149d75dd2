//! Fuzz target: any source text -> the compiler returns a code object or an error, never
//! panics. It does not run anything (see `run`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = vigil_compiler::compile(src, "<fuzz>", vigil_compiler::Mode::Exec);
    }
});
