//! The VM side of PEP 669 (`sys.monitoring`): instrumentation of code objects, firing of
//! every event at its place, and the bookkeeping the dispatch loop needs for it. The state
//! machine itself (tool slots, event sets, DISABLE, versions, API errors) lives in the
//! `vigil-monitoring` crate; this module owns applying it to our bytecode and calling
//! callbacks. The guest `sys.monitoring` module is in `monitoring/guest.rs`. It does not own
//! the dispatch loop or unwinding (`frame`), which call in here through a handful of hooks:
//! `mon_before` for INSTRUMENTED_* words, `mon_after` for events that follow an instruction,
//! `mon_resume` at RESUME (the one per-entry check), and `mon_raise` / `mon_handled` /
//! `mon_unwind` on the exception path.
//!
//! Instrumentation follows INTEGRATION.md (runtime/monitoring): every code object's executed
//! words live in `CodeMon::instrs` (cells, so twins can be written under a running frame);
//! the compiler's `CodeObject::instructions` is never modified and serves as the base
//! ("original") table. Per instruction, `layers` records which of LINE, INSTRUCTION and the
//! instruction's own event are installed; the written word is the topmost layer
//! (INSTRUMENTED_LINE, then INSTRUMENTED_INSTRUCTION, then the twin, else the plain op).
//! Without the `monitoring` feature only the plain `instrs` copy remains.

use std::cell::Cell;
use std::rc::Rc;
use vigil_compiler::bytecode::{CodeObject, Instruction};

#[cfg(feature = "monitoring")]
mod fire;
#[cfg(feature = "monitoring")]
pub(crate) mod guest;
#[cfg(feature = "monitoring")]
pub mod inspect;
#[cfg(feature = "monitoring")]
pub(crate) mod native;
#[cfg(feature = "monitoring")]
pub mod session;

#[cfg(feature = "monitoring")]
pub use fire::Post;
#[cfg(feature = "monitoring")]
pub(crate) use fire::TWIN_ERR;

/// Per-code-object execution words plus (with the feature) its monitoring state.
pub struct CodeMon {
    /// The words the loop executes. Equal to the compiler's instructions except where a
    /// twin or overlay is installed.
    pub instrs: Box<[Cell<Instruction>]>,
    #[cfg(feature = "monitoring")]
    pub(crate) m: fire::CodeState,
}

impl CodeMon {
    /// The eval-breaker word at which RESUME needs no slow path (see `limits::PENDING`):
    /// the code's stamp, or 0 without the feature (the breaker test alone).
    #[inline(always)]
    pub fn resume_stamp(&self) -> u64 {
        #[cfg(feature = "monitoring")]
        {
            self.m.stamp.get()
        }
        #[cfg(not(feature = "monitoring"))]
        {
            0
        }
    }

    pub fn new(code: &Rc<CodeObject>) -> CodeMon {
        assert_targets_in_range(code);
        CodeMon {
            instrs: code
                .instructions
                .iter()
                .map(|i| Cell::new(executed(*i)))
                .collect(),
            #[cfg(feature = "monitoring")]
            m: fire::CodeState::new(code),
        }
    }
}

/// The word the loop starts with for the compiler's instruction `i`: itself, except that a
/// FOR_ITER starts cold (`FOR_ITER_COLD`) with monitoring compiled in. Its first plain run
/// makes it FOR_ITER, as CPython 3.13 specializes a FOR_ITER on its second run; `fire`'s
/// `relayer` puts the cold word back when the location loses its instrumentation, as
/// CPython resets the adaptive counter then (G6). Which of the two ran decides how a
/// generator's return ends the loop, so that tracking it costs nothing per step, with or
/// without tools, and a tool that arrives late finds the state CPython would have.
#[inline]
fn executed(i: Instruction) -> Instruction {
    #[cfg(feature = "monitoring")]
    if i.op_byte() == vigil_compiler::bytecode::op::FOR_ITER {
        return i.with_op(vigil_compiler::bytecode::Opcode::FOR_ITER_COLD);
    }
    i
}

/// Checks what the dispatch loop relies on when it reads `instrs[pc]` without a bounds
/// check (`Vm::exec_loop`): every place control can reach is inside the code. Control
/// moves by falling through to the next word, by a jump to its argument, by FOR_ITER's exit
/// two words past its argument, and to an exception handler; monitoring rewrites only
/// opcode bytes, never arguments. So it suffices that the last word never falls through,
/// that jump arguments (FOR_ITER's plus two) are in range, and that handlers are. The
/// compiler always produces such code; a violation is an internal error, found here once
/// per code object instead of by a bounds check at every instruction.
fn assert_targets_in_range(code: &CodeObject) {
    let n = code.instructions.len();
    let in_range = code
        .instructions
        .last()
        .is_some_and(|i| i.op().is_terminator())
        && code.instructions.iter().all(|i| {
            let op = i.op();
            let arg = i.arg() as usize;
            match op {
                vigil_compiler::bytecode::Opcode::FOR_ITER => arg + 2 < n,
                _ => !op.is_jump() || arg < n,
            }
        })
        && code
            .exception_table
            .iter()
            .all(|e| (e.handler as usize) < n);
    assert!(
        in_range,
        "internal error: code object {} has a jump or handler outside its {n} instructions",
        code.qualname
    );
}

/// Interpreter-wide monitoring state (`Vm::monitoring`).
#[derive(Default)]
pub struct VmMon {
    #[cfg(feature = "monitoring")]
    pub(crate) s: fire::VmState,
}

impl VmMon {
    /// True when some tool may want an exception event (cheap flag, checked on the error
    /// path only).
    #[inline]
    pub fn active(&self) -> bool {
        #[cfg(feature = "monitoring")]
        {
            self.s.active
        }
        #[cfg(not(feature = "monitoring"))]
        {
            false
        }
    }
}
