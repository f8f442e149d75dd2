//! Compile errors and their CPython-style rendering. Owns only the error values; deciding
//! exit statuses and printing is the CLI's job.

use std::fmt;

/// Why source could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// A real syntax error, rendered like CPython's `SyntaxError` report.
    Syntax {
        /// File name as given to `compile`.
        filename: String,
        /// 1-based line.
        line: u32,
        /// 1-based column of the caret start (in characters, as CPython's offset).
        col: u32,
        /// 1-based column one past the caret end (CPython's end_offset).
        end_col: u32,
        /// The offending source line, without its newline.
        source_line: String,
        /// The message after `SyntaxError: `.
        message: String,
        /// CPython's exception class name (`SyntaxError`, `IndentationError`, `TabError`).
        kind: &'static str,
    },
    /// Valid Python that vigil does not support.
    Unsupported {
        /// File name.
        filename: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
        /// What construct.
        construct: String,
    },
}

impl CompileError {
    /// The exception class a guest `compile()` should raise (`SyntaxError`, ...). For
    /// `Unsupported`, a guest sees `SyntaxError` too (the VM may choose otherwise).
    pub fn kind(&self) -> &'static str {
        match self {
            CompileError::Syntax { kind, .. } => kind,
            CompileError::Unsupported { .. } => "SyntaxError",
        }
    }

    /// The message alone.
    pub fn message(&self) -> String {
        match self {
            CompileError::Syntax { message, .. } => message.clone(),
            CompileError::Unsupported { construct, .. } => format!("unsupported: {construct}"),
        }
    }

    /// Line of the error.
    pub fn line(&self) -> u32 {
        match self {
            CompileError::Syntax { line, .. } | CompileError::Unsupported { line, .. } => *line,
        }
    }
}

impl fmt::Display for CompileError {
    /// `Syntax`: CPython's report as printed for an uncaught SyntaxError in a script:
    /// `  File "f.py", line N` / `    source` / `    ^^^` / `SyntaxError: msg`.
    /// `Unsupported`: `FILE:LINE:COL: unsupported: construct`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Syntax {
                filename,
                line,
                col,
                end_col,
                source_line,
                message,
                kind,
            } => {
                writeln!(f, "  File \"{filename}\", line {line}")?;
                // CPython strips leading whitespace from the shown line and shifts the caret.
                let trimmed = source_line.trim_start();
                let cut = source_line.chars().count() - trimmed.chars().count();
                let trimmed = trimmed.trim_end();
                writeln!(f, "    {trimmed}")?;
                if *col == 0 {
                    // No caret (CPython's "unexpected indent").
                    return write!(f, "{kind}: {message}");
                }
                let start = (*col as usize).saturating_sub(1).saturating_sub(cut);
                let end = (*end_col as usize)
                    .saturating_sub(1)
                    .saturating_sub(cut)
                    .max(start + 1);
                writeln!(f, "    {}{}", " ".repeat(start), "^".repeat(end - start))?;
                write!(f, "{kind}: {message}")
            }
            CompileError::Unsupported {
                filename,
                line,
                col,
                construct,
            } => {
                write!(f, "{filename}:{line}:{col}: unsupported: {construct}")
            }
        }
    }
}

impl std::error::Error for CompileError {}
