//! vigil-compiler: Python source -> `CodeObject` trees for the vigil VM.
//!
//! Owns parsing (through Ruff's parser, pinned =0.0.10), scope analysis (`symtable`), code
//! generation (`codegen`), CFG shaping and assembly (`flow`), and the bytecode contract
//! (`bytecode`). It executes nothing and knows nothing of values beyond constants.
//!
//! Public API: [`compile`] (`source, filename, Mode -> Result<Rc<CodeObject>, CompileError>`),
//! [`disassemble`] for debugging, and the `bytecode` types.

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
            return Err(syntax_error_at(
                source,
                filename,
                e.location,
                parse_message(&e.error.to_string()),
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

/// Ruff's messages differ from CPython's; map the common ones, else say "invalid syntax".
fn parse_message(m: &str) -> String {
    if m.contains("indent") || m.contains("Unexpected indentation") {
        if m.contains("Unexpected indentation") {
            return "unexpected indent".into();
        }
        return "expected an indented block".into();
    }
    if m.contains("unterminated string") || m.contains("missing closing quote") {
        return "unterminated string literal (detected at line 1)".into();
    }
    "invalid syntax".into()
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
