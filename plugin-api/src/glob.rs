//! Shell-style name matching for tool settings (`include = ["src/*.py"]`, function filters).
//!
//! Tools filter files and functions by user-typed patterns; this is the one matcher they share
//! so that every tool reads a pattern the same way. It owns no state and does no I/O.

/// Shell-style matching: `*` matches any run of characters (`/` included), `?` exactly one
/// character; everything else matches itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and how much text it has swallowed so far: on a mismatch the
    // star takes one more character and matching resumes after it.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn stars_and_question_marks() {
        assert!(glob_match("*.py", "/a/b/c.py"));
        assert!(glob_match("/a/*/c.py", "/a/b/c.py"));
        assert!(!glob_match("*.py", "/a/b/c.pyc"));
        assert!(glob_match("f?o", "foo"));
        assert!(!glob_match("f?o", "fo"));
        assert!(glob_match("C.*", "C.method"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("", "x"));
    }
}
