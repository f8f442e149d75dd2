//! Inputs the run targets skip: programs whose cost is in one native operation the step
//! budget cannot interrupt (huge ranges consumed by builtins, huge repetitions, big powers),
//! which would only time the fuzzer out, and programs touching the file system.

/// True for an input that should not be run.
pub fn skip(src: &str) -> bool {
    // A long digit run is a huge count (range(10**9), "x" * 123456789); `**` and `<<` make
    // one out of short literals.
    let mut run = 0;
    for c in src.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run > 5 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    src.contains("**")
        || src.contains("<<")
        || src.contains("pow")
        || src.contains("open")
        || src.contains("input")
        || src.contains("sleep")
        || src.contains("setrecursionlimit")
}
