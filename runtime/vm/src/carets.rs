//! The source excerpt CPython 3.13 prints for one traceback entry (its
//! `traceback.StackSummary.format_frame_summary`): the lines of the failing instruction's
//! range (first, last and those around the anchors; `...<N lines>...` for gaps), dedented,
//! each followed by a marker line when markers are shown. The instruction's source segment
//! is re-parsed (as CPython does with `ast`) to find anchors: for a binary operation `~`
//! marks the operands and `^` the operator; for a subscript `~` the value and `^` the
//! brackets; for a call `~` the callee and `^` the argument list. Without anchors the range
//! is marked with `^`, but only when it does not cover the whole statement. `x = f(a)` and
//! `return f(a)` (callee a plain name, call filling the range) get no markers.
//! Display widths of East Asian wide characters are not accounted for (one column each).

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;
use std::collections::BTreeSet;
use vigil_compiler::Location;

/// Anchors: `(line, col)` of the `^` region's start and end inside the dedented lines
/// (columns in characters, line 0 columns already shifted by the range start).
struct Anchors {
    left: (usize, usize),
    right: (usize, usize),
}

/// Renders the excerpt for `loc` from the file's source `src` (each output line ends in
/// `\n` and is indented by four spaces), or None when there is no source line to show.
pub fn excerpt(src: &str, loc: Location) -> Option<String> {
    if loc.line < 1 {
        return None;
    }
    let all_src: Vec<&str> = src.lines().collect();
    let first = loc.line as usize - 1;
    let first_text = *all_src.get(first)?;
    if first_text.trim().is_empty() {
        return None;
    }
    let multi_ok = loc.end_line >= loc.line && loc.col >= 0 && loc.end_col >= 0;
    if !multi_ok {
        return Some(format!("    {}\n", first_text.trim()));
    }
    let last = loc.end_line as usize - 1;
    let original: Vec<&str> = (first..=last)
        .map(|i| all_src.get(i).copied().unwrap_or(""))
        .collect();
    let lines = dedent(&original);
    let n = lines.len();
    let dedent_chars = original[0].chars().count() - lines[0].chars().count();
    let start = byte_to_char(original[0], loc.col as usize)?.saturating_sub(dedent_chars);
    let end = byte_to_char(original[n - 1], loc.end_col as usize)?.saturating_sub(dedent_chars);
    // The exact segment of the instruction.
    let joined = lines.join("\n");
    let jchars: Vec<char> = joined.chars().collect();
    let last_len = lines[n - 1].chars().count();
    let seg_end = jchars.len().checked_sub(last_len.checked_sub(end)?)?;
    if start > seg_end {
        return None;
    }
    let segment: String = jchars[start..seg_end].iter().collect();
    let anchors = anchors(&segment, start);
    let show = should_show(&lines, start, end, anchors.is_some());

    let mut significant: BTreeSet<usize> = [0, n - 1].into_iter().collect();
    let (primary, secondary) = if anchors.is_some() {
        ('~', '^')
    } else {
        ('^', '^')
    };
    if let Some(a) = &anchors {
        for l in [a.left.0, a.right.0] {
            for x in l.saturating_sub(1)..=l + 1 {
                if x < n {
                    significant.insert(x);
                }
            }
        }
    }
    let mut result: Vec<String> = Vec::new();
    let output_line = |lineno: usize, result: &mut Vec<String>| {
        let text = &lines[lineno];
        result.push(text.clone());
        if !show {
            return;
        }
        let chars: Vec<char> = text.chars().collect();
        let num_spaces = chars.len() - text.trim_start().chars().count();
        let num_carets = if lineno == n - 1 { end } else { chars.len() };
        let mut carets = String::new();
        for col in 0..num_carets {
            let c = if col < num_spaces || (lineno == 0 && col < start) {
                ' '
            } else if let Some(a) = &anchors {
                let after_left = lineno > a.left.0 || (lineno == a.left.0 && col >= a.left.1);
                let before_right = lineno < a.right.0 || (lineno == a.right.0 && col < a.right.1);
                if after_left && before_right {
                    secondary
                } else {
                    primary
                }
            } else {
                primary
            };
            carets.push(c);
        }
        result.push(carets);
    };
    let sig: Vec<usize> = significant.into_iter().collect();
    for (i, &lineno) in sig.iter().enumerate() {
        if i > 0 {
            let diff = lineno - sig[i - 1];
            if diff == 2 {
                output_line(lineno - 1, &mut result);
            } else if diff > 2 {
                result.push(format!("...<{} lines>...", diff - 1));
            }
        }
        output_line(lineno, &mut result);
    }
    let result = dedent(&result.iter().map(String::as_str).collect::<Vec<_>>());
    let mut out = String::new();
    for l in result {
        out.push_str("    ");
        out.push_str(l.trim_end_matches(['\r']));
        out.push('\n');
    }
    Some(out)
}

/// `textwrap.dedent`: remove the longest common leading whitespace of the non-blank lines;
/// blank lines become empty.
fn dedent(lines: &[&str]) -> Vec<String> {
    let mut common: Option<&str> = None;
    for l in lines {
        if l.trim().is_empty() {
            continue;
        }
        let ws = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
        common = Some(match common {
            None => ws,
            Some(c) => {
                let k = c
                    .bytes()
                    .zip(ws.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &c[..k]
            }
        });
    }
    let k = common.map_or(0, str::len);
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                l[k.min(l.len())..].to_string()
            }
        })
        .collect()
}

fn byte_to_char(s: &str, byte: usize) -> Option<usize> {
    if byte > s.len() {
        return Some(s.chars().count());
    }
    s.get(..byte).map(|p| p.chars().count())
}

fn char_off(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |p| p.chars().count())
}

fn should_show(lines: &[String], start: usize, end: usize, has_anchors: bool) -> bool {
    let joined = lines.join("\n");
    if let Ok(parsed) = ruff_python_parser::parse_module(&joined)
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
            // (line, column) of the call's start and end in the joined dedented lines.
            let pos = |b: usize| {
                let before = &joined[..b];
                let line = before.matches('\n').count();
                let col = before.rsplit('\n').next().map_or(0, |t| t.chars().count());
                (line, col)
            };
            let s = pos(c.range().start().to_usize());
            let e = pos(c.range().end().to_usize());
            if s == (0, start) && e == (lines.len() - 1, end) {
                return false;
            }
        }
    }
    if has_anchors {
        return true;
    }
    let first: Vec<char> = lines[0].chars().collect();
    let lastl: Vec<char> = lines[lines.len() - 1].chars().collect();
    let before: String = first[..start.min(first.len())].iter().collect();
    let after: String = lastl[end.min(lastl.len())..].iter().collect();
    !before.trim_start().is_empty() || !after.trim_end().is_empty()
}

/// Finds the anchors of `segment` (the instruction's exact source text; `start` is its
/// column on the first line).
fn anchors(segment: &str, start: usize) -> Option<Anchors> {
    let wrapped = format!("(\n{segment}\n)");
    let parsed = ruff_python_parser::parse_expression(&wrapped).ok()?;
    let expr = parsed.expr();
    let seg_chars: Vec<char> = segment.chars().collect();
    // Offsets in `wrapped` are 2 bytes ("(\n") past the segment's.
    let to_seg = |b: usize| char_off(segment, b.saturating_sub(2));
    // Segment character offset -> (line, column), line-0 columns shifted by `start`.
    let line_col = |off: usize| {
        let mut line = 0;
        let mut col = 0;
        for &c in seg_chars.iter().take(off) {
            if c == '\n' {
                line += 1;
                col = 0;
            } else {
                col += 1;
            }
        }
        if line == 0 {
            col += start;
        }
        (line, col)
    };
    let (l, r) = match expr {
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
            (col, right)
        }
        Expr::Subscript(s) => {
            let mut col = to_seg(s.value.range().end().to_usize());
            while col < seg_chars.len() && seg_chars[col] != '[' {
                col += 1;
            }
            (col, to_seg(s.range().end().to_usize()))
        }
        Expr::Call(c) => {
            let mut col = to_seg(c.func.range().end().to_usize());
            while col < seg_chars.len() && seg_chars[col] != '(' {
                col += 1;
            }
            (col, to_seg(c.range().end().to_usize()))
        }
        _ => return None,
    };
    Some(Anchors {
        left: line_col(l),
        right: line_col(r),
    })
}
