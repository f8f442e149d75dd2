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

/// Output with object addresses (`at 0x7f…` in default reprs) blanked: they depend on the
/// allocator, not on monitoring. The differential comparison uses it.
pub fn normalize(out: &str) -> String {
    let mut s = String::with_capacity(out.len());
    let mut rest = out;
    while let Some(i) = rest.find("0x") {
        s.push_str(&rest[..i + 2]);
        let tail = &rest[i + 2..];
        let n = tail.len()
            - tail
                .trim_start_matches(|c: char| c.is_ascii_hexdigit())
                .len();
        if n > 0 {
            s.push('?');
        }
        rest = &tail[n..];
    }
    s.push_str(rest);
    s
}

/// Inputs whose output legitimately differs between two runs of the same VM (object
/// identities printed as numbers).
pub fn nondeterministic(src: &str) -> bool {
    src.contains("id(") || src.contains("hash(")
}
