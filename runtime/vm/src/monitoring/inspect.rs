//! Instrumentation introspection: which instruction words of which code objects carry a LINE,
//! INSTRUCTION or event layer right now. It exists so tests can check the promise that a tool
//! costs nothing where it is not listening (e.g. a debugger with one breakpoint leaves LINE
//! only in that breakpoint's code object). It reads the layers `fire.rs` writes and changes
//! nothing; it does not decide what is instrumented.

use super::fire::{EVENT, INSTR, LINE};
use crate::vm::Vm;
use vigil_compiler::bytecode::Opcode;

/// The instrumentation of one code object the VM has run (or prepared to run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInstrumentation {
    pub qualname: String,
    pub filename: String,
    pub first_line: u32,
    /// Source lines of the words with the LINE layer (sorted, deduplicated; words without a
    /// line are left out).
    pub line_lines: Vec<u32>,
    /// Words with the INSTRUCTION layer.
    pub instruction_words: usize,
    /// Words with their own event's instrumented twin (PY_START at RESUME, CALL, BRANCH...).
    pub event_words: usize,
    /// Of those, conditional jumps run as INSTRUMENTED_BRANCH_ONE_WAY (every BRANCH tool
    /// silenced one direction).
    pub one_way_words: usize,
}

impl CodeInstrumentation {
    /// True when nothing in this code object is instrumented.
    pub fn is_plain(&self) -> bool {
        self.line_lines.is_empty() && self.instruction_words == 0 && self.event_words == 0
    }
}

impl Vm {
    /// The instrumentation of every code object the VM holds an execution cache for, in no
    /// particular order. Code objects never entered have no cache and are plain by
    /// construction (instrumentation is applied lazily at entry).
    pub fn instrumentation(&self) -> Vec<CodeInstrumentation> {
        self.code_caches
            .values()
            .map(|(code, cache)| {
                let layers = &cache.mon.m.layers;
                let mut line_lines: Vec<u32> = layers
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.get() & LINE != 0)
                    .filter_map(|(i, _)| code.locations.get(i).and_then(|loc| loc.line()))
                    .collect();
                line_lines.sort_unstable();
                line_lines.dedup();
                CodeInstrumentation {
                    qualname: code.qualname.to_string(),
                    filename: code.filename.to_string(),
                    first_line: code.first_line,
                    line_lines,
                    instruction_words: layers.iter().filter(|l| l.get() & INSTR != 0).count(),
                    event_words: layers.iter().filter(|l| l.get() & EVENT != 0).count(),
                    one_way_words: cache
                        .mon
                        .instrs
                        .iter()
                        .filter(|w| w.get().op() == Opcode::INSTRUMENTED_BRANCH_ONE_WAY)
                        .count(),
                }
            })
            .collect()
    }
}
