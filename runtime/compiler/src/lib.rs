//! vigil-compiler: Python source -> `CodeObject` trees for the vigil VM.
//!
//! Owns parsing (through Ruff's parser), scope analysis, code generation and the bytecode
//! contract (`bytecode`). It executes nothing and knows nothing of values beyond constants.
//!
//! Public API: `compile(source, filename, Mode) -> Result<Rc<CodeObject>, CompileError>`.

pub mod bytecode;
mod error;

pub use bytecode::{
    CodeObject, Constant, ExceptionEntry, Instruction, Location, OPCODE_TABLE, OpInfo, Opcode,
    Operand, event_for,
};
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
