//! Where LINE events can fire: CPython 3.13's "line start" instructions (spec
//! L2, part A) and the dynamic test at each of them (L2, part B).
//!
//! This module owns only the rule, over an abstract view of a code object's
//! instructions ([`LineInstr`]), so it can be checked against CPython's own
//! bytecode (`probes/line_starts.out`) and reused unchanged by the VM, which
//! maps its opcodes to [`LineRole`]s. It does not know opcodes, offsets or
//! frames. Computed once per code object, the first time LINE is active in it.

/// What an instruction means for line-start placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRole {
    /// Any instruction not listed below.
    Plain,
    /// RESUME, END_FOR, END_SEND: never a line start in the sequential pass,
    /// and invisible to it (the "current line" does not change).
    Transparent,
    /// END_ASYNC_FOR: like [`LineRole::Transparent`], and also never marked as
    /// an exception handler target.
    EndAsyncFor,
    /// POP_JUMP_IF_FALSE/TRUE/NONE/NOT_NONE, with the index of their target.
    /// (JUMP_FORWARD, JUMP_BACKWARD and JUMP_BACKWARD_NO_INTERRUPT may be given this role
    /// too; [`LineRole::Goto`] says more.)
    Jump(usize),
    /// JUMP_FORWARD, JUMP_BACKWARD and JUMP_BACKWARD_NO_INTERRUPT: a [`LineRole::Jump`]
    /// that never goes on to the next instruction.
    Goto(usize),
    /// RETURN_VALUE, RETURN_CONST, RAISE_VARARGS, RERAISE: like [`LineRole::Plain`] for
    /// line starts, but the next instruction is never entered from here.
    Stop,
    /// FOR_ITER or SEND, with the index of the END_FOR / END_SEND they jump
    /// to on exhaustion. The instruction right after that one is marked.
    LoopExit(usize),
}

/// One instruction as the line-start rule sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineInstr {
    /// Its source line; `None` for artificial instructions.
    pub line: Option<u32>,
    /// Its role.
    pub role: LineRole,
}

/// The line starts of a code object: `result[i]` is whether instruction `i`
/// carries a LINE overlay when LINE is active.
///
/// `first_traceable` is the index of the first RESUME (the prologue before it
/// never gets LINE); `handlers` are the exception-table handler indices. The
/// rule (L2 part A; CPython's `initialize_lines`):
/// 1. Walk from `first_traceable` with a current line of "none". A
///    [`LineRole::Transparent`] or [`LineRole::EndAsyncFor`] instruction is
///    skipped. Any other instruction starts a line when it has a line
///    different from the current one; the current line then becomes its line,
///    or "none" when it has none.
/// 2. Every jump target and every loop-exit successor that has a line starts
///    one.
/// 3. Every handler that has a line starts one, unless it is END_ASYNC_FOR.
pub fn line_starts(instrs: &[LineInstr], first_traceable: usize, handlers: &[usize]) -> Vec<bool> {
    let mut starts = vec![false; instrs.len()];
    let mut current: Option<u32> = None;
    for (i, ins) in instrs.iter().enumerate().skip(first_traceable) {
        if matches!(ins.role, LineRole::Transparent | LineRole::EndAsyncFor) {
            continue;
        }
        if ins.line.is_some() && ins.line != current {
            starts[i] = true;
        }
        current = ins.line;
    }
    let has_line = |i: usize| instrs.get(i).is_some_and(|x| x.line.is_some());
    for ins in instrs.iter().skip(first_traceable) {
        let target = match ins.role {
            LineRole::Jump(t) | LineRole::Goto(t) => t,
            LineRole::LoopExit(end) => end + 1,
            _ => continue,
        };
        if has_line(target) {
            starts[target] = true;
        }
    }
    for &h in handlers {
        if has_line(h) && instrs[h].role != LineRole::EndAsyncFor {
            starts[h] = true;
        }
    }
    starts
}

/// Clears the line starts at which a LINE event can never be due (part B below), so the VM
/// leaves them without an overlay: a jump target whose every way in comes from an
/// instruction of its own line (the end of `a and b`, of `x if c else y`, a one-line loop's
/// head) would otherwise keep its overlay for the whole run, because the tool never gets an
/// event there to answer DISABLE to, and every pass over it costs the instrumented path.
/// CPython instruments these too; they fire nothing there either, so no event changes.
///
/// The ways into instruction `t` are taken generously: the instruction before it unless it
/// is a [`LineRole::Stop`] or [`LineRole::Goto`] (a return, raise or unconditional jump
/// never goes on to the next instruction: after `if x: return`, the code for the `if`
/// line's false branch follows the body's return; generators, nqueens' `permutations`),
/// every [`LineRole::Jump`] or [`LineRole::Goto`] to `t`, every
/// [`LineRole::LoopExit`] whose END_FOR / END_SEND is `t`, `t - 1` or `t - 2` (the exit
/// lands after it), and being an exception handler or the first instruction (then the
/// previous instruction can be anything). A way in keeps the start when it comes from
/// another line, from an instruction without a line, or from a RESUME (whose successor
/// always gets its LINE). Of the transparent instructions, END_FOR and END_SEND (the ones
/// a [`LineRole::LoopExit`] names) count with their own line, as part B compares it: after
/// an `await`, the line start behind END_SEND is entered from END_SEND on the same line
/// every time. Every other transparent instruction is taken for a RESUME.
pub fn prune_never_due(instrs: &[LineInstr], starts: &mut [bool], handlers: &[usize]) {
    let n = instrs.len().min(starts.len());
    let mut resume: Vec<bool> = instrs
        .iter()
        .take(n)
        .map(|i| matches!(i.role, LineRole::Transparent | LineRole::EndAsyncFor))
        .collect();
    for i in instrs.iter().take(n) {
        if let LineRole::LoopExit(end) = i.role
            && let Some(r) = resume.get_mut(end)
        {
            *r = false;
        }
    }
    let mut may_fire = vec![false; n];
    if let Some(first) = may_fire.first_mut() {
        *first = true;
    }
    for &h in handlers {
        if let Some(m) = may_fire.get_mut(h) {
            *m = true;
        }
    }
    let mut way_in = |from: usize, to: usize| {
        if to < n
            && (resume[from] || instrs[from].line.is_none() || instrs[from].line != instrs[to].line)
        {
            may_fire[to] = true;
        }
    };
    for (i, p) in instrs.iter().enumerate().take(n) {
        if !matches!(p.role, LineRole::Stop | LineRole::Goto(_)) {
            way_in(i, i + 1);
        }
        match p.role {
            LineRole::Jump(t) | LineRole::Goto(t) => way_in(i, t),
            LineRole::LoopExit(end) => {
                way_in(i, end);
                way_in(i, end + 1);
                way_in(i, end + 2);
            }
            _ => {}
        }
    }
    for (s, m) in starts.iter_mut().zip(may_fire) {
        *s &= m;
    }
}

/// L2 part B: at a line start whose line is `line`, LINE fires when the
/// instruction this frame executed before it was a RESUME, or had a different
/// line (`None` counts as a different line). `prev` is that instruction's
/// line and whether it was a RESUME.
pub fn line_event_due(prev_line: Option<u32>, prev_is_resume: bool, line: u32) -> bool {
    prev_is_resume || prev_line != Some(line)
}
