//! vigil-compiler: Python source -> `CodeObject` trees for the vigil VM.
//!
//! Owns parsing (through Ruff's parser, pinned =0.0.10, target version 3.13), scope analysis
//! (`symtable`), code generation (`codegen`, `codegen/expr`), CFG shaping and assembly
//! (`flow`), and the bytecode contract (`bytecode`). It executes nothing and knows nothing of
//! values beyond constants.
//!
//! # Shape fidelity
//! Monitoring conformance is judged on the lines of LINE/BRANCH/JUMP/... events and on the
//! opcode names INSTRUCTION events report, so the compiler reproduces CPython 3.13's
//! bytecode shape: the same opcodes, the same instruction order, the same line per
//! instruction, the same exception-table ranges. `codegen` follows compile.c statement by
//! statement (including the AST optimizer's folding: constants, `%`-format to f-string,
//! `not in`, list-to-tuple in `in`/`for`); `flow` reimplements flowgraph.c's passes
//! (blocks start only at jump targets, small-exit inlining, jump threading, NOP removal,
//! line propagation and exit duplication, cold-block placement, backward conditional
//! normalization, superinstructions, LOAD_FAST_CHECK, static SWAP elimination, unused
//! constant removal). Where CPython's source was unclear, behaviour was measured against
//! python3.13 and the comment says so.
//!
//! Verified by `cargo test -p vigil-compiler`:
//! - `tests/shape.rs`: our `shape()` equals CPython's `dis` shape for the committed cases
//!   (`tests/shape/regen.sh` regenerates expectations from python3.13) and, live, for every
//!   program in `shared/conformance/{cases,corpus}` (all identical).
//! - `tests/errors.rs`: SyntaxError reports equal CPython's (`tests/errors/regen.sh`),
//!   unsupported constructs are refused with a position, and CPython's whole standard
//!   library compiles or is refused without a panic.
//! - `tests/shape.rs` also compares every 4th module of CPython 3.13's own standard library
//!   live; `examples/bulk.rs` (compile a tree, dump shapes) showed all 575 modules of that
//!   library identical to CPython's `dis` (opcodes, lines, jump targets, exception table),
//!   and 661 of the 662 modules of Python 3.11's library (compiled by 3.13; the odd one
//!   out folds `__debug__ and x`).
//!
//! # Refused (unsupported) constructs
//! `match`, `async for`, `async with`, async generators, async comprehensions and `await`
//! inside comprehensions, `except*`, type parameters and `type` aliases, template strings,
//! IPython escapes, f-strings with more than 30 parts.
//!
//! Public API: [`compile`] (`source, filename, Mode -> Result<Rc<CodeObject>, CompileError>`),
//! [`disassemble`] and [`shape`] for debugging, and the `bytecode` types.

pub mod bytecode;
mod codegen;
mod disasm;
mod error;
mod flow;
mod symtable;

use std::rc::Rc;

use ruff_python_ast::Mod;
use ruff_python_parser::{Mode as PMode, ParseOptions};
use ruff_text_size::TextRange;

pub use bytecode::{
    CodeObject, Constant, ExceptionEntry, Instruction, Location, OPCODE_TABLE, OpInfo, Opcode,
    Operand, event_for,
};
pub use disasm::{disassemble, shape};
pub use error::CompileError;

/// What kind of source is compiled (CPython's `compile()` modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A module or `exec()` source: statements, returns None.
    Exec,
    /// A single expression (`eval()`): returns its value.
    Eval,
    /// Interactive statement: expression statements print their value.
    Single,
}

/// Compile Python source into a module (or expression) code object.
pub fn compile(source: &str, filename: &str, mode: Mode) -> Result<Rc<CodeObject>, CompileError> {
    let pmode = if mode == Mode::Eval {
        PMode::Expression
    } else {
        PMode::Module
    };
    let opts = ParseOptions::from(pmode).with_target_version(ruff_python_ast::PythonVersion::PY313);
    let parsed = match ruff_python_parser::parse(source, opts) {
        Ok(p) => p,
        Err(e) => {
            if std::env::var_os("VIGIL_PARSE_DEBUG").is_some() {
                eprintln!("ruff: {:?} / {}", e.error, e.error);
            }
            return Err(parse_error(
                source,
                filename,
                e.location,
                &e.error.to_string(),
            ));
        }
    };
    if let Some(u) = parsed.unsupported_syntax_errors().first() {
        return Err(syntax_error_at(
            source,
            filename,
            u.range,
            "invalid syntax".to_string(),
        ));
    }
    let module = parsed.into_syntax();
    match &module {
        Mod::Module(m) if mode == Mode::Single && m.body.len() > 1 => {
            use ruff_text_size::Ranged;
            let end = m.body[0].range().end();
            Err(syntax_error_at(
                source,
                filename,
                TextRange::new(end, end),
                "multiple statements found while compiling a single statement".to_string(),
            ))
        }
        Mod::Module(m) => {
            let st = symtable::build(&m.body)
                .map_err(|e| syntax_error_at(source, filename, e.range, e.message))?;
            codegen::Compiler::new(source, filename, st, mode).compile_module(&m.body)
        }
        Mod::Expression(e) => {
            let st = symtable::build_expr(&e.body)
                .map_err(|e| syntax_error_at(source, filename, e.range, e.message))?;
            codegen::Compiler::new(source, filename, st, mode).compile_expression(&e.body)
        }
    }
}

pub(crate) fn syntax_error_at(
    source: &str,
    filename: &str,
    range: TextRange,
    message: String,
) -> CompileError {
    let start = range.start().to_usize().min(source.len());
    let end = range.end().to_usize().min(source.len()).max(start);
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line_no = source[..start].bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let source_line = source[line_start..line_end]
        .trim_end_matches('\r')
        .to_string();
    let col = source[line_start..start].chars().count() as u32 + 1;
    let end_on_line = end.min(line_end);
    let end_col = source[line_start..end_on_line].chars().count() as u32 + 1;
    CompileError::Syntax {
        filename: filename.to_string(),
        line: line_no,
        col,
        end_col: end_col.max(col + 1),
        source_line,
        message,
        kind: "SyntaxError",
    }
}

/// Turn a Ruff parse error into CPython's report. Messages are mapped for the common cases;
/// anything else is CPython's generic "invalid syntax" at Ruff's position.
fn parse_error(source: &str, filename: &str, range: TextRange, ruff_msg: &str) -> CompileError {
    let at = |r: TextRange, m: &str| syntax_error_at(source, filename, r, m.to_string());
    let pos = |b: usize| TextRange::new((b as u32).into(), (b as u32 + 1).into());
    let line_of = |b: usize| {
        source[..b.min(source.len())]
            .bytes()
            .filter(|&c| c == b'\n')
            .count()
            + 1
    };
    let nlines = source.lines().count().max(1);
    if (ruff_msg.contains("unexpected EOF")
        || ruff_msg.contains("Expected `,`")
        || ruff_msg.contains("Expected `)`")
        || ruff_msg.contains("Expected `]`")
        || ruff_msg.contains("Expected `}`"))
        && let Some((b, ch)) = unclosed_bracket(source)
    {
        return at(pos(b), &format!("'{ch}' was never closed"));
    }
    if ruff_msg.contains("missing closing quote") {
        let start = range.start().to_usize();
        let triple = source[start..].starts_with("\"\"\"")
            || source[start..].starts_with("\'\'\'")
            || source[start..]
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .starts_with("\"\"\"");
        if triple {
            return at(
                pos(start),
                &format!("unterminated triple-quoted string literal (detected at line {nlines})"),
            );
        }
        return at(
            pos(start),
            &format!(
                "unterminated string literal (detected at line {})",
                line_of(start)
            ),
        );
    }
    if ruff_msg.contains("Unexpected indentation") {
        let mut e = at(range, "unexpected indent");
        if let CompileError::Syntax {
            kind, col, end_col, ..
        } = &mut e
        {
            *kind = "IndentationError";
            // CPython shows no caret for this one.
            *col = 0;
            *end_col = 0;
        }
        return e;
    }
    if let Some(what) = ruff_msg.strip_prefix("Expected an indented block after ") {
        let l = line_of(range.start().to_usize());
        let before: Vec<&str> = source.lines().take(l.saturating_sub(1)).collect();
        let header = before
            .iter()
            .rposition(|t| t.trim_end().ends_with(':'))
            .map_or(l.saturating_sub(1), |i| i + 1);
        let mut e = at(
            range,
            &format!("expected an indented block after {what} on line {header}"),
        );
        if let CompileError::Syntax { kind, .. } = &mut e {
            *kind = "IndentationError";
        }
        return e;
    }
    if ruff_msg.starts_with("Expected `:`") {
        return at(range, "expected ':'");
    }
    if ruff_msg.contains("Unparenthesized generator expression") {
        return at(range, "Generator expression must be parenthesized");
    }
    if ruff_msg.contains("Iterable argument unpacking cannot follow keyword argument unpacking") {
        return at(
            range,
            "iterable argument unpacking follows keyword argument unpacking",
        );
    }
    if ruff_msg.contains("Simple statements must be separated") {
        // Python 2 print statement gets CPython's special hint.
        let start = range.start().to_usize();
        let ls = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let le = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = &source[ls..le];
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("print ")
            && !rest.trim_start().starts_with('(')
        {
            let b = ls + (line.len() - t.len());
            let r = TextRange::new(
                (b as u32).into(),
                ((ls + line.trim_end().len()) as u32).into(),
            );
            return at(
                r,
                "Missing parentheses in call to 'print'. Did you mean print(...)?",
            );
        }
    }
    if ruff_msg.contains("Invalid assignment target") {
        let t = &source[range.start().to_usize()..range.end().to_usize()];
        let first = t.chars().next().unwrap_or(' ');
        if first.is_ascii_digit() || first == '"' || first == '\'' {
            return at(
                range,
                "cannot assign to literal here. Maybe you meant '==' instead of '='?",
            );
        }
        if t.ends_with(')') {
            return at(
                range,
                "cannot assign to function call here. Maybe you meant '==' instead of '='?",
            );
        }
    }
    at(range, "invalid syntax")
}

/// The last bracket left open at end of input (ignoring strings and comments).
fn unclosed_bracket(source: &str) -> Option<(usize, char)> {
    let b = source.as_bytes();
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                let triple = i + 2 < b.len() && b[i + 1] == c && b[i + 2] == c;
                let q = if triple { 3 } else { 1 };
                i += q;
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == c && (!triple || (i + 2 < b.len() && b[i + 1] == c && b[i + 2] == c))
                    {
                        i += q - 1;
                        break;
                    }
                    if !triple && b[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => stack.push((i, c as char)),
            b')' | b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}
