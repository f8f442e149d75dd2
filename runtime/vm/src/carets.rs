//! The position-marker line CPython 3.13 prints under a traceback source line (its
//! `traceback.StackSummary.format_frame_summary`). The failing instruction's source segment
//! is re-parsed (as CPython does with `ast`) to find anchors: for a binary operation `~`
//! marks the operands and `^` the operator; for a subscript `~` the value and `^` the
//! brackets; for a call `~` the callee and `^` the argument list. Without anchors the range
//! is marked with `^`, but only when it does not cover the whole line. `x = f(a)` and
//! `return f(a)` (callee a plain name, call filling the range) get no markers.
//! Ranges spanning several lines are not handled: they print no markers.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;
use vigil_compiler::Location;

/// Returns the marker line (without the 4-space indent) for source line `text` (original,
/// with its indentation) and the instruction location, or None when CPython prints none.
pub fn caret_line(text: &str, loc: Location) -> Option<String> {
    if loc.line < 0 || loc.end_line != loc.line || loc.col < 0 || loc.end_col < 0 {
        return None;
    }
    let (col, end) = (loc.col as usize, loc.end_col as usize);
    if end > text.len() || col > end || !text.is_char_boundary(col) || !text.is_char_boundary(end) {
        return None;
    }
    let dedented = text.trim_start();
    let indent = text.len() - dedented.len();
    // Character offsets into the dedented line.
    let start_off = text[..col]
        .chars()
        .count()
        .saturating_sub(text[..indent].chars().count());
    let end_off = text[..end]
        .chars()
        .count()
        .saturating_sub(text[..indent].chars().count());
    let dchars: Vec<char> = dedented.chars().collect();
    if end_off > dchars.len() || start_off > end_off {
        return None;
    }
    let segment: String = dchars[start_off..end_off].iter().collect();
    let anchors = anchors(&segment);
    if !should_show(dedented, start_off, end_off, anchors.is_some()) {
        return None;
    }
    let mut s = String::new();
    for i in 0..end_off {
        if i < start_off {
            s.push(' ');
        } else {
            let rel = i - start_off;
            let c = match anchors {
                Some((l, r)) => {
                    if rel >= l && rel < r {
                        '^'
                    } else {
                        '~'
                    }
                }
                None => '^',
            };
            s.push(c);
        }
    }
    Some(s)
}

fn should_show(line: &str, start: usize, end: usize, has_anchors: bool) -> bool {
    if let Ok(parsed) = ruff_python_parser::parse_module(line)
        && let Some(stmt) = parsed.suite().first()
    {
        let call = match stmt {
            Stmt::Return(r) => r.value.as_deref(),
            Stmt::Assign(a) if a.targets.len() == 1 && matches!(a.targets[0], Expr::Name(_)) => {
                Some(&*a.value)
            }
            _ => None,
        };
        if let Some(Expr::Call(c)) = call
            && matches!(&*c.func, Expr::Name(_))
        {
            let s = char_off(line, c.range().start().to_usize());
            let e = char_off(line, c.range().end().to_usize());
            if s == start && e == end {
                return false;
            }
        }
    }
    if has_anchors {
        return true;
    }
    let chars: Vec<char> = line.chars().collect();
    let before: String = chars[..start.min(chars.len())].iter().collect();
    let after: String = chars[end.min(chars.len())..].iter().collect();
    !before.trim_start().is_empty() || !after.trim_end().is_empty()
}

fn char_off(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |p| p.chars().count())
}

/// `(left, right)` character offsets of the `^` region inside the segment.
fn anchors(segment: &str) -> Option<(usize, usize)> {
    let wrapped = format!("(\n{segment}\n)");
    let parsed = ruff_python_parser::parse_expression(&wrapped).ok()?;
    let expr = parsed.expr();
    // Offsets in `wrapped` are 2 bytes ("(\n") past the segment's.
    let seg_chars: Vec<char> = segment.chars().collect();
    let to_seg = |b: usize| char_off(segment, b.saturating_sub(2));
    match expr {
        Expr::BinOp(b) => {
            let mut col = to_seg(b.left.range().end().to_usize());
            while col < seg_chars.len() && (seg_chars[col].is_whitespace() || seg_chars[col] == ')')
            {
                col += 1;
            }
            let mut right = col + 1;
            let right_start = to_seg(b.right.range().start().to_usize());
            if right < seg_chars.len()
                && right < right_start
                && !seg_chars[right].is_whitespace()
                && !matches!(seg_chars[right], '\\' | '#')
            {
                right += 1;
            }
            Some((col, right))
        }
        Expr::Subscript(s) => {
            let mut col = to_seg(s.value.range().end().to_usize());
            while col < seg_chars.len() && seg_chars[col] != '[' {
                col += 1;
            }
            Some((col, to_seg(s.range().end().to_usize())))
        }
        Expr::Call(c) => {
            let mut col = to_seg(c.func.range().end().to_usize());
            while col < seg_chars.len() && seg_chars[col] != '(' {
                col += 1;
            }
            Some((col, to_seg(c.range().end().to_usize())))
        }
        _ => None,
    }
}
