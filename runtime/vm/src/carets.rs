//! The position-marker line CPython 3.13 prints under a traceback source line. CPython shows
//! no markers when the instruction's range covers the whole (stripped) line; otherwise `^`
//! under the range, refined for binary operators (`~` operands, `^` operator), subscripts
//! (`~` value, `^` brackets) and calls (`~` callee, `^` argument list).
//! Only single-line ranges are handled here; multi-line ranges print no markers.

use vigil_compiler::Location;

pub fn caret_line(text: &str, indent: usize, loc: Location) -> Option<String> {
    if loc.line < 0 || loc.end_line != loc.line || loc.col < 0 || loc.end_col < 0 {
        return None;
    }
    let (col, end) = (loc.col as usize, loc.end_col as usize);
    if end > text.len() || col >= end || !text.is_char_boundary(col) || !text.is_char_boundary(end)
    {
        return None;
    }
    let trimmed_end = text.trim_end().len();
    if col <= indent && end >= trimmed_end {
        return None;
    }
    let seg = &text[col..end];
    let marks = anchors(seg).unwrap_or_else(|| vec![b'^'; seg.chars().count()]);
    if marks.iter().all(|&m| m == b'^') && col <= indent && end >= trimmed_end {
        return None;
    }
    let lead = text[indent..col].chars().count();
    let mut s = " ".repeat(lead);
    s.push_str(std::str::from_utf8(&marks).unwrap_or(""));
    Some(s)
}

/// Per-character markers for a segment: Some when a binop/subscript/call anchor is found.
fn anchors(seg: &str) -> Option<Vec<u8>> {
    let chars: Vec<char> = seg.chars().collect();
    let n = chars.len();
    // Scan at depth 0 for the last top-level binary operator, a trailing [...] or (...).
    let mut depth = 0i32;
    let mut in_str: Option<char> = None;
    let mut last_op: Option<(usize, usize)> = None;
    let mut i = 0;
    let mut prev_significant: Option<char> = None;
    while i < n {
        let c = chars[i];
        if let Some(q) = in_str {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == q {
                in_str = None;
            }
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' => in_str = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 && !matches!(c, '(' | '[' | '{' | ')' | ']' | '}') {
            let ops = [
                "**", "//", "<<", ">>", "+", "-", "*", "/", "%", "@", "&", "|", "^",
            ];
            for op in ops {
                let ol = op.len();
                if i + ol <= n && chars[i..i + ol].iter().collect::<String>() == op {
                    // A binary operator needs an operand before it.
                    let unary = match prev_significant {
                        None => true,
                        Some(p) => "+-*/%@&|^(=,<>!~".contains(p),
                    };
                    let next_is_eq = i + ol < n && chars[i + ol] == '=';
                    if !unary && !next_is_eq {
                        last_op = Some((i, i + ol));
                    }
                    i += ol - 1;
                    break;
                }
            }
        }
        if !c.is_whitespace() {
            prev_significant = Some(c);
        }
        i += 1;
    }
    if let Some((a, b)) = last_op {
        let _ = (a, b);
        // CPython anchors on the operator of the top-level BinOp (the last one for
        // left-associative chains).
        let mut m = vec![b'~'; n];
        for x in m.iter_mut().take(b).skip(a) {
            *x = b'^';
        }
        // Whitespace around the operator is not marked.
        let mut l = a;
        while l > 0 && chars[l - 1].is_whitespace() {
            l -= 1;
            m[l] = b' ';
        }
        let mut r = b;
        while r < n && chars[r].is_whitespace() {
            m[r] = b' ';
            r += 1;
        }
        // Closing parens of a parenthesised left operand are still part of it.
        return Some(m);
    }
    // Subscript or call: the trailing bracket group.
    if n >= 2 && (chars[n - 1] == ']' || chars[n - 1] == ')') {
        let close = chars[n - 1];
        let open = if close == ']' { '[' } else { '(' };
        let mut d = 0;
        let mut j = n;
        while j > 0 {
            j -= 1;
            if chars[j] == close {
                d += 1;
            } else if chars[j] == open {
                d -= 1;
                if d == 0 {
                    break;
                }
            }
        }
        if j > 0 {
            let mut m = vec![b'~'; n];
            for x in m.iter_mut().skip(j) {
                *x = b'^';
            }
            return Some(m);
        }
    }
    None
}
