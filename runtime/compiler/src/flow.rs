//! The control-flow graph between codegen and the final `CodeObject`: basic blocks with
//! pseudo-instructions, exception-target labelling, CPython 3.13's flowgraph passes that
//! decide the shape monitoring sees (small-exit inlining, jump threading, NOP removal, line
//! propagation, cold-block placement, backward-conditional normalization,
//! superinstructions), stack depth, and assembly into instructions plus exception table.
//!
//! It does not know the AST (codegen.rs does) and does not decide what is supported.

use std::rc::Rc;

use crate::bytecode::{
    COMPARE_TO_BOOL, CodeObject, Constant, ExceptionEntry, Instruction, Location, Opcode,
};

/// Opcodes of the CFG: real ones plus CPython's pseudo-instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    R(Opcode),
    /// Unconditional jump; becomes JUMP_FORWARD or JUMP_BACKWARD.
    Jump,
    /// Becomes JUMP_FORWARD or JUMP_BACKWARD_NO_INTERRUPT.
    JumpNoInterrupt,
    SetupFinally,
    SetupCleanup,
    SetupWith,
    PopBlock,
    /// LOAD_FAST of a cell for building a closure tuple.
    LoadClosure,
    /// STORE_FAST that may store NULL (comprehension restore).
    StoreFastMaybeNull,
}

pub(crate) type BlockId = usize;
pub(crate) const NO_BLOCK: BlockId = usize::MAX;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Ins {
    pub op: Op,
    pub arg: u32,
    pub target: BlockId,
    pub loc: Location,
    /// Handler block of the innermost active try, set by `label_exception_targets`.
    pub except: BlockId,
}

impl Ins {
    fn is_jump(&self) -> bool {
        match self.op {
            Op::Jump | Op::JumpNoInterrupt => true,
            Op::R(o) => o.is_jump(),
            _ => false,
        }
    }
    fn is_uncond_jump(&self) -> bool {
        matches!(self.op, Op::Jump | Op::JumpNoInterrupt)
            || matches!(self.op, Op::R(o) if o.is_unconditional_jump())
    }
    fn is_block_push(&self) -> bool {
        matches!(self.op, Op::SetupFinally | Op::SetupCleanup | Op::SetupWith)
    }
    fn is_scope_exit(&self) -> bool {
        matches!(
            self.op,
            Op::R(
                Opcode::RETURN_VALUE
                    | Opcode::RETURN_CONST
                    | Opcode::RAISE_VARARGS
                    | Opcode::RERAISE
            )
        )
    }
    fn is_nop(&self) -> bool {
        self.op == Op::R(Opcode::NOP)
    }
    fn has_eval_break(&self) -> bool {
        matches!(
            self.op,
            Op::Jump
                | Op::R(
                    Opcode::JUMP_BACKWARD
                        | Opcode::CALL
                        | Opcode::CALL_KW
                        | Opcode::CALL_FUNCTION_EX
                        | Opcode::RESUME
                )
        )
    }
    fn set_nop(&mut self) {
        self.op = Op::R(Opcode::NOP);
        self.arg = 0;
        self.target = NO_BLOCK;
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Block {
    pub instrs: Vec<Ins>,
    pub next: Option<BlockId>,
    pub except_handler: bool,
    pub preserve_lasti: bool,
    pub predecessors: u32,
    pub visited: bool,
    pub warm: bool,
    pub cold: bool,
    pub start_depth: i32,
    pub except_stack: Option<Vec<BlockId>>,
    pub offset: u32,
}

impl Block {
    fn last(&self) -> Option<&Ins> {
        self.instrs.last()
    }
    fn has_fallthrough(&self) -> bool {
        match self.instrs.last() {
            None => true,
            Some(i) => !(i.is_scope_exit() || i.is_uncond_jump()),
        }
    }
    fn exits_scope(&self) -> bool {
        self.instrs.last().is_some_and(|i| i.is_scope_exit())
    }
    fn has_no_lineno(&self) -> bool {
        self.instrs.iter().all(|i| i.loc.line < 0)
    }
    fn has_eval_break(&self) -> bool {
        self.instrs.iter().any(|i| i.has_eval_break())
    }
}

pub(crate) struct Cfg {
    pub blocks: Vec<Block>,
    pub entry: BlockId,
}

const MAX_COPY_SIZE: usize = 4;

impl Cfg {
    pub fn new() -> Cfg {
        Cfg {
            blocks: vec![Block::default()],
            entry: 0,
        }
    }

    pub fn new_block(&mut self) -> BlockId {
        self.blocks.push(Block::default());
        self.blocks.len() - 1
    }

    fn order(&self) -> Vec<BlockId> {
        let mut v = Vec::new();
        let mut b = Some(self.entry);
        while let Some(id) = b {
            v.push(id);
            b = self.blocks[id].next;
        }
        v
    }

    fn next_nonempty(&self, mut b: Option<BlockId>) -> Option<BlockId> {
        while let Some(id) = b {
            if !self.blocks[id].instrs.is_empty() {
                return Some(id);
            }
            b = self.blocks[id].next;
        }
        None
    }

    fn copy_block(&mut self, from: BlockId) -> BlockId {
        let id = self.new_block();
        self.blocks[id].instrs = self.blocks[from].instrs.clone();
        id
    }

    /// CPython 3.13 builds its CFG from a flat instruction sequence in which only jump
    /// (and SETUP_*) targets start new blocks; labels nobody jumps to do not split. Codegen
    /// here opens a block at every label, so fold the untargeted ones back into the block
    /// they fall out of (this decides which NOPs survive, hence INSTRUCTION/LINE shapes).
    fn merge_untargeted_blocks(&mut self) {
        let mut targeted = vec![false; self.blocks.len()];
        targeted[self.entry] = true;
        for b in &self.blocks {
            for i in &b.instrs {
                if i.target != NO_BLOCK {
                    targeted[i.target] = true;
                }
            }
        }
        let order = self.order();
        let mut cur = order[0];
        for &b in &order[1..] {
            let cur_terminated = self.blocks[cur]
                .instrs
                .last()
                .is_some_and(|i| i.is_jump() || i.is_scope_exit());
            if !targeted[b] && !cur_terminated {
                let moved = std::mem::take(&mut self.blocks[b].instrs);
                self.blocks[cur].instrs.extend(moved);
                self.blocks[cur].next = self.blocks[b].next;
                self.blocks[b].next = None;
            } else {
                cur = b;
            }
        }
    }

    // ---- exception targets ----

    fn mark_except_handlers(&mut self) {
        for id in self.order() {
            for k in 0..self.blocks[id].instrs.len() {
                let i = self.blocks[id].instrs[k];
                if i.is_block_push() {
                    let t = i.target;
                    self.blocks[t].except_handler = true;
                    if matches!(i.op, Op::SetupCleanup | Op::SetupWith) {
                        self.blocks[t].preserve_lasti = true;
                    }
                }
            }
        }
    }

    fn label_exception_targets(&mut self) {
        for b in &mut self.blocks {
            b.visited = false;
            b.except_stack = None;
        }
        let mut todo = vec![self.entry];
        self.blocks[self.entry].except_stack = Some(Vec::new());
        self.blocks[self.entry].visited = true;
        while let Some(id) = todo.pop() {
            let mut stack = self.blocks[id].except_stack.take().unwrap_or_default();
            let mut handler = stack.last().copied().unwrap_or(NO_BLOCK);
            for k in 0..self.blocks[id].instrs.len() {
                let ins = self.blocks[id].instrs[k];
                if ins.is_block_push() {
                    let t = ins.target;
                    if !self.blocks[t].visited {
                        self.blocks[t].except_stack = Some(stack.clone());
                        self.blocks[t].visited = true;
                        todo.push(t);
                    }
                    stack.push(t);
                    handler = t;
                } else if ins.op == Op::PopBlock {
                    stack.pop();
                    handler = stack.last().copied().unwrap_or(NO_BLOCK);
                    self.blocks[id].instrs[k].set_nop();
                } else if ins.is_jump() {
                    self.blocks[id].instrs[k].except = handler;
                    let t = ins.target;
                    if !self.blocks[t].visited {
                        self.blocks[t].except_stack = Some(stack.clone());
                        self.blocks[t].visited = true;
                        todo.push(t);
                    }
                } else {
                    self.blocks[id].instrs[k].except = handler;
                }
            }
            if self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
                && !self.blocks[n].visited
            {
                self.blocks[n].except_stack = Some(stack.clone());
                self.blocks[n].visited = true;
                todo.push(n);
            }
        }
    }

    // ---- reachability ----

    fn remove_unreachable(&mut self) {
        for b in &mut self.blocks {
            b.predecessors = 0;
            b.visited = false;
        }
        self.blocks[self.entry].predecessors = 1;
        self.blocks[self.entry].visited = true;
        let mut stack = vec![self.entry];
        while let Some(id) = stack.pop() {
            if self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
            {
                if !self.blocks[n].visited {
                    self.blocks[n].visited = true;
                    stack.push(n);
                }
                self.blocks[n].predecessors += 1;
            }
            for k in 0..self.blocks[id].instrs.len() {
                let i = self.blocks[id].instrs[k];
                if i.is_jump() || i.is_block_push() {
                    let t = i.target;
                    if !self.blocks[t].visited {
                        self.blocks[t].visited = true;
                        stack.push(t);
                    }
                    self.blocks[t].predecessors += 1;
                }
            }
        }
        for id in self.order() {
            if self.blocks[id].predecessors == 0 {
                self.blocks[id].instrs.clear();
            }
        }
    }

    // ---- optimizations ----

    fn inline_small_or_no_lineno_blocks(&mut self) {
        loop {
            let mut changed = false;
            for id in self.order() {
                let Some(last) = self.blocks[id].last().copied() else {
                    continue;
                };
                if !last.is_uncond_jump() {
                    continue;
                }
                let t = last.target;
                let tb = &self.blocks[t];
                let small_exit = tb.exits_scope() && tb.instrs.len() <= MAX_COPY_SIZE;
                let no_lineno_no_ft = tb.has_no_lineno() && !tb.has_fallthrough();
                if small_exit || no_lineno_no_ft {
                    let removed = last.op;
                    let copy = self.blocks[t].instrs.clone();
                    let b = &mut self.blocks[id];
                    b.instrs.last_mut().unwrap().set_nop();
                    b.instrs.extend(copy);
                    // Keep eval-breaker checks: a JUMP that inlines a block ending in a
                    // JUMP_NO_INTERRUPT turns it into a JUMP.
                    if no_lineno_no_ft
                        && let Some(l) = b.instrs.last_mut()
                        && l.is_uncond_jump()
                        && removed == Op::Jump
                    {
                        l.op = Op::Jump;
                    }
                    self.blocks[t].predecessors = self.blocks[t].predecessors.saturating_sub(1);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    fn first_real(&self, b: BlockId) -> Option<Ins> {
        self.blocks[b].instrs.first().copied()
    }

    /// CPython's optimize_basic_block, or with `load_const_only` its earlier pass
    /// (basicblock_optimize_load_const): the folds of a LOAD_CONST with what follows it
    /// (RETURN_VALUE, TO_BOOL, a conditional jump, `is None` + jump) run over every block
    /// first, so the NOPs they leave are already there when the main pass meets a SWAP
    /// before them (swaptimize reuses a run's trailing NOPs, and their locations).
    fn optimize_basic_block(
        &mut self,
        id: BlockId,
        consts: &mut Vec<Constant>,
        load_const_only: bool,
    ) {
        let mut k = 0;
        while k < self.blocks[id].instrs.len() {
            if load_const_only != self.is_load_const_fold(id, k, consts) {
                k += 1;
                continue;
            }
            let ins = self.blocks[id].instrs[k];
            let next = self.blocks[id].instrs.get(k + 1).copied();
            match ins.op {
                Op::R(Opcode::LOAD_CONST) => {
                    if let Some(n) = next {
                        match n.op {
                            Op::R(Opcode::RETURN_VALUE) => {
                                let b = &mut self.blocks[id];
                                b.instrs[k].set_nop();
                                b.instrs[k + 1].op = Op::R(Opcode::RETURN_CONST);
                                b.instrs[k + 1].arg = ins.arg;
                            }
                            Op::R(Opcode::TO_BOOL) => {
                                if let Some(v) = const_truth(&consts[ins.arg as usize]) {
                                    let idx = add_const(consts, Constant::Bool(v));
                                    let b = &mut self.blocks[id];
                                    b.instrs[k].set_nop();
                                    b.instrs[k + 1].op = Op::R(Opcode::LOAD_CONST);
                                    b.instrs[k + 1].arg = idx;
                                    continue;
                                }
                            }
                            Op::R(Opcode::POP_JUMP_IF_FALSE | Opcode::POP_JUMP_IF_TRUE) => {
                                if let Some(v) = const_truth(&consts[ins.arg as usize]) {
                                    let jump_if = n.op == Op::R(Opcode::POP_JUMP_IF_TRUE);
                                    let b = &mut self.blocks[id];
                                    b.instrs[k].set_nop();
                                    if v == jump_if {
                                        b.instrs[k + 1].op = Op::Jump;
                                    } else {
                                        b.instrs[k + 1].set_nop();
                                    }
                                    continue;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Op::R(Opcode::STORE_FAST)
                    if next.is_some_and(|n| {
                        n.op == Op::R(Opcode::STORE_FAST)
                            && n.arg == ins.arg
                            && n.loc.line == ins.loc.line
                    }) =>
                {
                    // Two stores to one variable in a row: the first is dead.
                    self.blocks[id].instrs[k].op = Op::R(Opcode::POP_TOP);
                    self.blocks[id].instrs[k].arg = 0;
                }
                Op::R(Opcode::SWAP) => {
                    if ins.arg == 1 {
                        self.blocks[id].instrs[k].set_nop();
                    } else {
                        k = swaptimize(&mut self.blocks[id].instrs, k);
                        apply_static_swaps(&mut self.blocks[id].instrs, k);
                    }
                }
                Op::R(Opcode::LOAD_GLOBAL) => {
                    if let Some(n) = next
                        && n.op == Op::R(Opcode::PUSH_NULL)
                        && ins.arg & 1 == 0
                    {
                        let b = &mut self.blocks[id];
                        b.instrs[k].arg |= 1;
                        b.instrs[k + 1].set_nop();
                    }
                }
                Op::R(Opcode::TO_BOOL) => {
                    if let Some(n) = next
                        && n.op == Op::R(Opcode::TO_BOOL)
                    {
                        self.blocks[id].instrs[k + 1].set_nop();
                    }
                }
                Op::R(Opcode::COMPARE_OP) => {
                    if let Some(n) = next
                        && n.op == Op::R(Opcode::TO_BOOL)
                    {
                        let b = &mut self.blocks[id];
                        b.instrs[k].arg |= COMPARE_TO_BOOL;
                        b.instrs[k + 1].set_nop();
                    }
                }
                Op::R(Opcode::IS_OP)
                    if k >= 1
                        && self.blocks[id].instrs[k - 1].op == Op::R(Opcode::LOAD_CONST)
                        && matches!(
                            consts[self.blocks[id].instrs[k - 1].arg as usize],
                            Constant::None
                        ) =>
                {
                    // x is None + jump -> POP_JUMP_IF_NONE / POP_JUMP_IF_NOT_NONE.
                    let mut j = k + 1;
                    if self.blocks[id]
                        .instrs
                        .get(j)
                        .is_some_and(|i| i.op == Op::R(Opcode::TO_BOOL))
                    {
                        j += 1;
                    }
                    if let Some(jmp) = self.blocks[id].instrs.get(j).copied() {
                        let inv = ins.arg == 1;
                        let new = match (jmp.op, inv) {
                            (Op::R(Opcode::POP_JUMP_IF_TRUE), false)
                            | (Op::R(Opcode::POP_JUMP_IF_FALSE), true) => {
                                Some(Opcode::POP_JUMP_IF_NONE)
                            }
                            (Op::R(Opcode::POP_JUMP_IF_FALSE), false)
                            | (Op::R(Opcode::POP_JUMP_IF_TRUE), true) => {
                                Some(Opcode::POP_JUMP_IF_NOT_NONE)
                            }
                            _ => None,
                        };
                        if let Some(new) = new {
                            let b = &mut self.blocks[id];
                            b.instrs[k - 1].set_nop();
                            for x in k..j {
                                b.instrs[x].set_nop();
                            }
                            b.instrs[j].op = Op::R(new);
                        } else if self.blocks[id]
                            .instrs
                            .get(k + 1)
                            .is_some_and(|i| i.op == Op::R(Opcode::TO_BOOL))
                        {
                            self.blocks[id].instrs[k + 1].set_nop();
                        }
                    }
                }
                Op::R(Opcode::CONTAINS_OP | Opcode::IS_OP) => {
                    if let Some(n) = next
                        && n.op == Op::R(Opcode::TO_BOOL)
                    {
                        self.blocks[id].instrs[k + 1].set_nop();
                    }
                }
                Op::R(Opcode::UNARY_NOT) => {
                    if let Some(n) = next {
                        if n.op == Op::R(Opcode::TO_BOOL) {
                            // UNARY_NOT already yields a bool.
                            self.blocks[id].instrs[k + 1].set_nop();
                            continue;
                        }
                        let inv = match n.op {
                            Op::R(Opcode::POP_JUMP_IF_FALSE) => Some(Opcode::POP_JUMP_IF_TRUE),
                            Op::R(Opcode::POP_JUMP_IF_TRUE) => Some(Opcode::POP_JUMP_IF_FALSE),
                            _ => None,
                        };
                        if let Some(inv) = inv {
                            let b = &mut self.blocks[id];
                            b.instrs[k].set_nop();
                            b.instrs[k + 1].op = Op::R(inv);
                        }
                    }
                }
                Op::R(Opcode::BUILD_TUPLE)
                    if (ins.arg as usize) <= k
                        && self.blocks[id].instrs[k - ins.arg as usize..k]
                            .iter()
                            .all(|i| i.op == Op::R(Opcode::LOAD_CONST))
                        && !next.is_some_and(|n| {
                            n.op == Op::R(Opcode::UNPACK_SEQUENCE) && n.arg == ins.arg
                        }) =>
                {
                    let n = ins.arg as usize;
                    let items: Vec<Constant> = self.blocks[id].instrs[k - n..k]
                        .iter()
                        .map(|i| consts[i.arg as usize].clone())
                        .collect();
                    let idx = add_const(consts, Constant::Tuple(items.into()));
                    let b = &mut self.blocks[id];
                    for x in k - n..k {
                        b.instrs[x].set_nop();
                    }
                    b.instrs[k].op = Op::R(Opcode::LOAD_CONST);
                    b.instrs[k].arg = idx;
                }
                Op::R(Opcode::BUILD_TUPLE) => {
                    if let Some(n) = next
                        && n.op == Op::R(Opcode::UNPACK_SEQUENCE)
                        && n.arg == ins.arg
                    {
                        let b = &mut self.blocks[id];
                        match ins.arg {
                            1 => {
                                b.instrs[k].set_nop();
                                b.instrs[k + 1].set_nop();
                            }
                            2 | 3 => {
                                b.instrs[k].set_nop();
                                b.instrs[k + 1].op = Op::R(Opcode::SWAP);
                            }
                            _ => {}
                        }
                    }
                }
                Op::Jump
                | Op::JumpNoInterrupt
                | Op::R(
                    Opcode::POP_JUMP_IF_FALSE
                    | Opcode::POP_JUMP_IF_TRUE
                    | Opcode::POP_JUMP_IF_NONE
                    | Opcode::POP_JUMP_IF_NOT_NONE,
                ) => {
                    // Jump threading: a jump to an unconditional JUMP goes straight on.
                    if k + 1 == self.blocks[id].instrs.len()
                        && let Some(t) = self.first_real(ins.target)
                        && (t.op == Op::Jump
                            || (t.op == Op::JumpNoInterrupt && ins.op == Op::JumpNoInterrupt))
                        && t.target != ins.target
                        && ins.target != id
                    {
                        let new_op = if ins.op == Op::JumpNoInterrupt {
                            t.op
                        } else {
                            ins.op
                        };
                        let b = &mut self.blocks[id];
                        b.instrs[k].set_nop();
                        // CPython appends a fresh jump, which has no exception handler.
                        b.instrs.push(Ins {
                            op: new_op,
                            target: t.target,
                            except: NO_BLOCK,
                            loc: t.loc,
                            ..ins
                        });
                        continue;
                    }
                }
                _ => {}
            }
            k += 1;
        }
    }

    /// Is instruction `k` of `id` one the LOAD_CONST pass handles: a LOAD_CONST, or an IS_OP
    /// right after `LOAD_CONST None`?
    fn is_load_const_fold(&self, id: BlockId, k: usize, consts: &[Constant]) -> bool {
        match self.blocks[id].instrs[k].op {
            Op::R(Opcode::LOAD_CONST) => true,
            Op::R(Opcode::IS_OP) => {
                k >= 1
                    && self.blocks[id].instrs[k - 1].op == Op::R(Opcode::LOAD_CONST)
                    && matches!(
                        consts[self.blocks[id].instrs[k - 1].arg as usize],
                        Constant::None
                    )
            }
            _ => false,
        }
    }

    fn remove_redundant_nops(&mut self) -> bool {
        let order = self.order();
        let mut changed = false;
        for &id in &order {
            let instrs = std::mem::take(&mut self.blocks[id].instrs);
            let mut out: Vec<Ins> = Vec::with_capacity(instrs.len());
            let mut prev_line: i32 = -1;
            let n = instrs.len();
            let mut instrs = instrs;
            for src in 0..n {
                let ins = instrs[src];
                let line = ins.loc.line;
                if ins.is_nop() {
                    if line < 0 || prev_line == line {
                        changed = true;
                        continue;
                    }
                    if src + 1 < n {
                        let nl = instrs[src + 1].loc.line;
                        if nl == line {
                            changed = true;
                            continue;
                        }
                        if nl < 0 {
                            instrs[src + 1].loc = ins.loc;
                            changed = true;
                            continue;
                        }
                    } else {
                        let next = self.next_nonempty(self.blocks[id].next);
                        if let Some(nb) = next {
                            let mut next_line = -1;
                            for i in &self.blocks[nb].instrs {
                                if i.is_nop() && i.loc.line < 0 {
                                    continue;
                                }
                                next_line = i.loc.line;
                                break;
                            }
                            if next_line == line {
                                changed = true;
                                continue;
                            }
                        }
                    }
                }
                prev_line = line;
                out.push(ins);
            }
            self.blocks[id].instrs = out;
        }
        changed
    }

    /// CPython's remove_redundant_nops_and_pairs: besides the NOPs, a `COPY 1` directly
    /// followed by `POP_TOP` does nothing (a `match` case whose pattern is `_` with a guard
    /// makes one), also across a fall-through into a block no jump targets.
    fn remove_redundant_nops_and_pairs(&mut self) {
        loop {
            self.remove_redundant_nops();
            let mut labelled = vec![false; self.blocks.len()];
            for b in &self.blocks {
                for i in &b.instrs {
                    if i.target != NO_BLOCK {
                        labelled[i.target] = true;
                    }
                }
            }
            let mut changed = false;
            let mut prev: Option<(BlockId, usize)> = None;
            for id in self.order() {
                if labelled[id] || self.blocks[id].except_handler {
                    prev = None;
                }
                for k in 0..self.blocks[id].instrs.len() {
                    let ins = self.blocks[id].instrs[k];
                    if ins.op == Op::R(Opcode::POP_TOP)
                        && let Some((pb, pk)) = prev
                        && self.blocks[pb].instrs[pk].op == Op::R(Opcode::COPY)
                        && self.blocks[pb].instrs[pk].arg == 1
                    {
                        self.blocks[pb].instrs[pk].set_nop();
                        self.blocks[id].instrs[k].set_nop();
                        changed = true;
                    }
                    prev = Some((id, k));
                }
                let b = &self.blocks[id];
                if b.last().is_some_and(|i| i.is_jump()) || !b.has_fallthrough() {
                    prev = None;
                }
            }
            if !changed {
                break;
            }
        }
    }

    fn remove_redundant_jumps(&mut self) -> bool {
        let mut changed = false;
        for id in self.order() {
            let Some(last) = self.blocks[id].last().copied() else {
                continue;
            };
            if last.is_uncond_jump() {
                let jt = self.next_nonempty(Some(last.target));
                let nx = self.next_nonempty(self.blocks[id].next);
                if jt == nx {
                    self.blocks[id].instrs.last_mut().unwrap().set_nop();
                    changed = true;
                }
            }
        }
        changed
    }

    fn remove_redundant_nops_and_jumps(&mut self) {
        loop {
            let a = self.remove_redundant_nops();
            let b = self.remove_redundant_jumps();
            self.eliminate_empty_blocks();
            if !a && !b {
                break;
            }
        }
    }

    fn is_exit_or_eval_check_without_lineno(&self, b: BlockId) -> bool {
        let blk = &self.blocks[b];
        (blk.exits_scope() || blk.has_eval_break()) && blk.has_no_lineno()
    }

    fn duplicate_exits_without_lineno(&mut self) {
        for id in self.order() {
            let Some(last) = self.blocks[id].last().copied() else {
                continue;
            };
            if last.is_jump() {
                let Some(t) = self.next_nonempty(Some(last.target)) else {
                    continue;
                };
                if self.is_exit_or_eval_check_without_lineno(t) && self.blocks[t].predecessors > 1 {
                    let nt = self.copy_block(t);
                    self.blocks[nt].instrs[0].loc = last.loc;
                    self.blocks[id].instrs.last_mut().unwrap().target = nt;
                    self.blocks[t].predecessors -= 1;
                    self.blocks[nt].predecessors = 1;
                    self.blocks[nt].next = self.blocks[t].next;
                    self.blocks[nt].cold = self.blocks[t].cold;
                    self.blocks[t].next = Some(nt);
                }
            }
        }
        for id in self.order() {
            if self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
                && let Some(last) = self.blocks[id].last().copied()
                && self.is_exit_or_eval_check_without_lineno(n)
            {
                self.blocks[n].instrs[0].loc = last.loc;
            }
        }
    }

    fn propagate_line_numbers(&mut self) {
        for id in self.order() {
            let mut prev = Location::NONE;
            for i in &mut self.blocks[id].instrs {
                if i.loc.line < 0 {
                    i.loc = prev;
                } else {
                    prev = i.loc;
                }
            }
            if self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
                && self.blocks[n].predecessors == 1
                && let Some(f) = self.blocks[n].instrs.first_mut()
                && f.loc.line < 0
            {
                f.loc = prev;
            }
            if let Some(last) = self.blocks[id].last().copied()
                && last.is_jump()
            {
                let t = last.target;
                if self.blocks[t].predecessors == 1
                    && let Some(f) = self.blocks[t].instrs.first_mut()
                    && f.loc.line < 0
                {
                    f.loc = prev;
                }
            }
        }
    }

    fn resolve_line_numbers(&mut self) {
        self.duplicate_exits_without_lineno();
        self.propagate_line_numbers();
    }

    fn eliminate_empty_blocks(&mut self) {
        let order = self.order();
        let nonempty: Vec<BlockId> = order
            .iter()
            .copied()
            .filter(|&b| !self.blocks[b].instrs.is_empty())
            .collect();
        if nonempty.is_empty() {
            return;
        }
        // Retarget jumps to the next non-empty block in layout order.
        let mut next_ne = vec![NO_BLOCK; self.blocks.len()];
        let mut after = NO_BLOCK;
        for &b in order.iter().rev() {
            if !self.blocks[b].instrs.is_empty() {
                after = b;
            }
            next_ne[b] = after;
        }
        for &b in &order {
            for i in &mut self.blocks[b].instrs {
                if i.target != NO_BLOCK && next_ne[i.target] != NO_BLOCK && i.target < next_ne.len()
                {
                    i.target = next_ne[i.target];
                }
            }
        }
        for w in nonempty.windows(2) {
            self.blocks[w[0]].next = Some(w[1]);
        }
        let last = *nonempty.last().unwrap();
        self.blocks[last].next = None;
        self.entry = nonempty[0];
    }

    fn optimize_cfg(&mut self, consts: &mut Vec<Constant>) {
        self.eliminate_empty_blocks();
        self.inline_small_or_no_lineno_blocks();
        self.remove_unreachable();
        self.resolve_line_numbers();
        for id in self.order() {
            self.optimize_basic_block(id, consts, true);
        }
        for id in self.order() {
            self.optimize_basic_block(id, consts, false);
        }
        self.remove_redundant_nops_and_pairs();
        self.remove_unreachable();
        self.remove_redundant_nops_and_jumps();
    }

    fn insert_superinstructions(&mut self) {
        for id in self.order() {
            let instrs = &mut self.blocks[id].instrs;
            let mut k = 0;
            while k + 1 < instrs.len() {
                let a = instrs[k];
                let b = instrs[k + 1];
                let combined = match (a.op, b.op) {
                    (Op::R(Opcode::LOAD_FAST), Op::R(Opcode::LOAD_FAST)) => {
                        Some(Opcode::LOAD_FAST_LOAD_FAST)
                    }
                    (Op::R(Opcode::STORE_FAST), Op::R(Opcode::LOAD_FAST)) => {
                        Some(Opcode::STORE_FAST_LOAD_FAST)
                    }
                    (Op::R(Opcode::STORE_FAST), Op::R(Opcode::STORE_FAST)) => {
                        Some(Opcode::STORE_FAST_STORE_FAST)
                    }
                    _ => None,
                };
                if let Some(op) = combined
                    && a.arg < 16
                    && b.arg < 16
                    && a.loc.line == b.loc.line
                {
                    instrs[k].op = Op::R(op);
                    instrs[k].arg = (a.arg << 4) | b.arg;
                    instrs[k + 1].set_nop();
                    // The NOP has the same line and is dropped below.
                    instrs.remove(k + 1);
                }
                k += 1;
            }
        }
    }

    fn mark_warm(&mut self) {
        for b in &mut self.blocks {
            b.visited = false;
            b.warm = false;
            b.cold = false;
        }
        let mut stack = vec![self.entry];
        self.blocks[self.entry].visited = true;
        while let Some(id) = stack.pop() {
            self.blocks[id].warm = true;
            let mut succ = Vec::new();
            if self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
            {
                succ.push(n);
            }
            if let Some(l) = self.blocks[id].last()
                && l.is_jump()
            {
                succ.push(l.target);
            }
            for s in succ {
                if !self.blocks[s].visited {
                    self.blocks[s].visited = true;
                    stack.push(s);
                }
            }
        }
    }

    fn mark_cold(&mut self) {
        self.mark_warm();
        for b in &mut self.blocks {
            b.visited = false;
        }
        let mut stack: Vec<BlockId> = Vec::new();
        for id in self.order() {
            if self.blocks[id].except_handler {
                self.blocks[id].visited = true;
                stack.push(id);
            }
        }
        while let Some(id) = stack.pop() {
            self.blocks[id].cold = true;
            let mut succ = Vec::new();
            if self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
            {
                succ.push(n);
            }
            if let Some(l) = self.blocks[id].last()
                && l.is_jump()
            {
                succ.push(l.target);
            }
            for s in succ {
                if !self.blocks[s].warm && !self.blocks[s].visited {
                    self.blocks[s].visited = true;
                    stack.push(s);
                }
            }
        }
    }

    fn push_cold_blocks_to_end(&mut self) {
        if self.blocks[self.entry].next.is_none() {
            return;
        }
        self.mark_cold();
        for id in self.order() {
            if self.blocks[id].cold
                && self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
                && self.blocks[n].warm
            {
                let j = self.new_block();
                self.blocks[j].instrs.push(Ins {
                    op: Op::JumpNoInterrupt,
                    arg: 0,
                    target: n,
                    loc: Location::NONE,
                    except: NO_BLOCK,
                });
                self.blocks[j].cold = true;
                self.blocks[j].next = Some(n);
                self.blocks[j].predecessors = 1;
                self.blocks[id].next = Some(j);
            }
        }
        let order = self.order();
        let (warm, cold): (Vec<BlockId>, Vec<BlockId>) =
            order.into_iter().partition(|&b| !self.blocks[b].cold);
        let all: Vec<BlockId> = warm.into_iter().chain(cold).collect();
        for w in all.windows(2) {
            self.blocks[w[0]].next = Some(w[1]);
        }
        if let Some(&l) = all.last() {
            self.blocks[l].next = None;
        }
        self.remove_redundant_nops_and_jumps();
    }

    fn normalize_jumps(&mut self) {
        for b in &mut self.blocks {
            b.visited = false;
        }
        let order = self.order();
        for id in order {
            self.blocks[id].visited = true;
            let Some(last) = self.blocks[id].last().copied() else {
                continue;
            };
            if !last.is_jump() || last.is_uncond_jump() {
                continue;
            }
            if !self.blocks[last.target].visited {
                continue;
            }
            let rev = match last.op {
                Op::R(Opcode::POP_JUMP_IF_FALSE) => Opcode::POP_JUMP_IF_TRUE,
                Op::R(Opcode::POP_JUMP_IF_TRUE) => Opcode::POP_JUMP_IF_FALSE,
                Op::R(Opcode::POP_JUMP_IF_NONE) => Opcode::POP_JUMP_IF_NOT_NONE,
                Op::R(Opcode::POP_JUMP_IF_NOT_NONE) => Opcode::POP_JUMP_IF_NONE,
                _ => continue,
            };
            let j = self.new_block();
            self.blocks[j].instrs.push(Ins {
                op: Op::Jump,
                arg: 0,
                target: last.target,
                except: NO_BLOCK,
                ..last
            });
            self.blocks[j].cold = self.blocks[id].cold;
            self.blocks[j].next = self.blocks[id].next;
            let next = self.blocks[id].next.unwrap_or(NO_BLOCK);
            let l = self.blocks[id].instrs.last_mut().unwrap();
            l.op = Op::R(rev);
            l.target = next;
            self.blocks[id].next = Some(j);
            self.blocks[j].visited = true;
        }
    }

    /// Insert LOAD_FAST_CHECK where a local may be unbound (CPython's
    /// add_checks_for_loads_of_uninitialized_variables, simplified to a forward dataflow).
    fn add_checks_for_uninitialized(&mut self, nlocals: usize, nparams: usize) {
        if nlocals == 0 {
            return;
        }
        let nb = self.blocks.len();
        // bit set per block: locals that may be unbound at entry (u128 chunks).
        let words = nlocals.div_ceil(64);
        let mut state: Vec<Option<Vec<u64>>> = vec![None; nb];
        let mut entry = vec![0u64; words];
        for i in nparams..nlocals {
            entry[i / 64] |= 1 << (i % 64);
        }
        state[self.entry] = Some(entry);
        let mut work = vec![self.entry];
        let merge = |state: &mut Vec<Option<Vec<u64>>>,
                     b: BlockId,
                     v: &Vec<u64>,
                     work: &mut Vec<BlockId>| {
            match &mut state[b] {
                None => {
                    state[b] = Some(v.clone());
                    work.push(b);
                }
                Some(old) => {
                    let mut ch = false;
                    for (o, n) in old.iter_mut().zip(v) {
                        if *o | n != *o {
                            *o |= n;
                            ch = true;
                        }
                    }
                    if ch {
                        work.push(b);
                    }
                }
            }
        };
        while let Some(id) = work.pop() {
            let mut cur = state[id].clone().unwrap_or_else(|| vec![0; words]);
            for k in 0..self.blocks[id].instrs.len() {
                let i = self.blocks[id].instrs[k];
                if i.except != NO_BLOCK {
                    merge(&mut state, i.except, &cur, &mut work);
                }
                let set = |cur: &mut Vec<u64>, s: u32, v: bool| {
                    let s = s as usize;
                    if s < nlocals {
                        if v {
                            cur[s / 64] |= 1 << (s % 64);
                        } else {
                            cur[s / 64] &= !(1 << (s % 64));
                        }
                    }
                };
                match i.op {
                    Op::R(Opcode::DELETE_FAST | Opcode::LOAD_FAST_AND_CLEAR) => {
                        set(&mut cur, i.arg, true)
                    }
                    Op::StoreFastMaybeNull => set(&mut cur, i.arg, true),
                    Op::R(Opcode::STORE_FAST) => set(&mut cur, i.arg, false),
                    Op::R(Opcode::LOAD_FAST) => {
                        let s = i.arg as usize;
                        if s < nlocals && cur[s / 64] & (1 << (s % 64)) != 0 {
                            self.blocks[id].instrs[k].op = Op::R(Opcode::LOAD_FAST_CHECK);
                        }
                        set(&mut cur, i.arg, false);
                    }
                    Op::R(Opcode::LOAD_FAST_CHECK) => set(&mut cur, i.arg, false),
                    _ => {}
                }
                if i.is_jump() || i.is_block_push() {
                    merge(&mut state, i.target, &cur, &mut work);
                }
            }
            if self.blocks[id].has_fallthrough()
                && let Some(n) = self.blocks[id].next
            {
                merge(&mut state, n, &cur, &mut work);
            }
        }
    }

    fn convert_pseudo_ops(&mut self) {
        for b in &mut self.blocks {
            for i in &mut b.instrs {
                match i.op {
                    Op::SetupFinally | Op::SetupCleanup | Op::SetupWith | Op::PopBlock => {
                        i.op = Op::R(Opcode::NOP);
                        i.target = NO_BLOCK;
                    }
                    Op::LoadClosure => i.op = Op::R(Opcode::LOAD_FAST),
                    Op::StoreFastMaybeNull => i.op = Op::R(Opcode::STORE_FAST),
                    _ => {}
                }
            }
        }
        // Drop the NOPs that carry no line of their own.
        self.remove_redundant_nops();
    }

    fn stackdepth(&mut self) -> i32 {
        for b in &mut self.blocks {
            b.start_depth = i32::MIN;
        }
        let mut stack = vec![self.entry];
        self.blocks[self.entry].start_depth = 0;
        let mut max = 0;
        while let Some(id) = stack.pop() {
            let mut depth = self.blocks[id].start_depth;
            let mut falls = true;
            for k in 0..self.blocks[id].instrs.len() {
                let i = self.blocks[id].instrs[k];
                if i.is_jump() || i.is_block_push() {
                    let tdepth = depth + stack_effect(i.op, i.arg, true);
                    max = max.max(tdepth);
                    let t = i.target;
                    if self.blocks[t].start_depth < tdepth {
                        self.blocks[t].start_depth = tdepth;
                        stack.push(t);
                    }
                }
                depth += stack_effect(i.op, i.arg, false);
                max = max.max(depth);
                if i.is_uncond_jump() || i.is_scope_exit() {
                    falls = false;
                    break;
                }
            }
            if falls
                && let Some(n) = self.blocks[id].next
                && self.blocks[n].start_depth < depth
            {
                self.blocks[n].start_depth = depth;
                stack.push(n);
            }
        }
        max
    }

    #[allow(dead_code)]
    fn dump(&self, what: &str) {
        if std::env::var_os("VIGIL_CFG_DEBUG").is_none() {
            return;
        }
        eprintln!("--- {what}");
        for id in self.order() {
            let b = &self.blocks[id];
            let ops: Vec<String> = b
                .instrs
                .iter()
                .map(|i| {
                    format!(
                        "{:?}@{}{}!{}",
                        i.op,
                        i.loc.line,
                        if i.target != NO_BLOCK {
                            format!("->{}", i.target)
                        } else {
                            String::new()
                        },
                        i.except as i64
                    )
                })
                .collect();
            eprintln!(
                "  b{id} cold={} pred={}: {}",
                b.cold,
                b.predecessors,
                ops.join(", ")
            );
        }
    }

    /// Run every pass and produce the final instruction stream.
    pub fn finish(
        mut self,
        consts: &mut Vec<Constant>,
        nlocals: usize,
        nparams: usize,
        prologue: Vec<Ins>,
    ) -> Assembled {
        self.merge_untargeted_blocks();
        self.dump("start");
        self.mark_except_handlers();
        self.label_exception_targets();
        self.optimize_cfg(consts);
        self.dump("optimized");
        self.add_checks_for_uninitialized(nlocals, nparams);
        self.insert_superinstructions();
        self.push_cold_blocks_to_end();
        self.dump("cold");
        self.resolve_line_numbers();
        // Handler depths come from the SETUP_* edges, so measure before they become NOPs.
        let maxdepth = self.stackdepth() + 1;
        self.convert_pseudo_ops();
        // Prologue (MAKE_CELL / COPY_FREE_VARS) goes before everything, without lines.
        if !prologue.is_empty() {
            let e = self.entry;
            let mut v = prologue;
            v.append(&mut self.blocks[e].instrs);
            self.blocks[e].instrs = v;
        }
        self.normalize_jumps();
        // Lay out.
        let order = self.order();
        let mut off = 0u32;
        for &id in &order {
            self.blocks[id].offset = off;
            off += self.blocks[id].instrs.len() as u32;
        }
        let mut instructions: Vec<Instruction> = Vec::with_capacity(off as usize);
        let mut locations = Vec::with_capacity(off as usize);
        let mut handlers: Vec<Option<(u32, u32, bool)>> = Vec::with_capacity(off as usize);
        for &id in &order {
            let start = self.blocks[id].offset;
            for (k, i) in self.blocks[id].instrs.iter().enumerate() {
                let pc = start + k as u32;
                let (op, arg) = match i.op {
                    Op::R(o) if o.is_jump() => (o, self.blocks[i.target].offset),
                    Op::R(o) => (o, i.arg),
                    Op::Jump | Op::JumpNoInterrupt => {
                        let t = self.blocks[i.target].offset;
                        let op = if t > pc {
                            Opcode::JUMP_FORWARD
                        } else if i.op == Op::Jump {
                            Opcode::JUMP_BACKWARD
                        } else {
                            Opcode::JUMP_BACKWARD_NO_INTERRUPT
                        };
                        (op, t)
                    }
                    _ => (Opcode::NOP, 0),
                };
                instructions.push(Instruction::new(op, arg));
                locations.push(i.loc);
                handlers.push(if i.except == NO_BLOCK {
                    None
                } else {
                    let h = &self.blocks[i.except];
                    let lasti = h.preserve_lasti;
                    let depth = h.start_depth.saturating_sub(1 + lasti as i32);
                    Some((h.offset, depth.max(0) as u32, lasti))
                });
            }
        }
        let mut table: Vec<ExceptionEntry> = Vec::new();
        for (pc, h) in handlers.iter().enumerate() {
            let Some((handler, depth, push_lasti)) = *h else {
                continue;
            };
            if let Some(last) = table.last_mut()
                && last.end == pc as u32
                && last.handler == handler
                && last.depth == depth
                && last.push_lasti == push_lasti
            {
                last.end += 1;
                continue;
            }
            table.push(ExceptionEntry {
                start: pc as u32,
                end: pc as u32 + 1,
                handler,
                depth,
                push_lasti,
            });
        }
        remove_unused_consts(&mut instructions, consts);
        Assembled {
            instructions,
            locations,
            exception_table: table,
            stacksize: maxdepth.max(0) as u32,
        }
    }
}

/// Drop constants no instruction loads (code objects of dead branches, folded operands),
/// keeping index 0 (a function's docstring slot), as CPython's remove_unused_consts does.
fn remove_unused_consts(instructions: &mut [Instruction], consts: &mut Vec<Constant>) {
    if consts.is_empty() {
        return;
    }
    let loads = |op: Opcode| matches!(op, Opcode::LOAD_CONST | Opcode::RETURN_CONST);
    let mut used = vec![false; consts.len()];
    used[0] = true;
    for i in instructions.iter() {
        if loads(i.op()) {
            used[i.arg() as usize] = true;
        }
    }
    if used.iter().all(|&u| u) {
        return;
    }
    let mut map = vec![0u32; consts.len()];
    let mut kept = Vec::with_capacity(consts.len());
    for (k, c) in consts.drain(..).enumerate() {
        if used[k] {
            map[k] = kept.len() as u32;
            kept.push(c);
        }
    }
    *consts = kept;
    for i in instructions.iter_mut() {
        if loads(i.op()) {
            *i = Instruction::new(i.op(), map[i.arg() as usize]);
        }
    }
}

fn swappable(i: &Ins) -> bool {
    matches!(
        i.op,
        Op::R(Opcode::STORE_FAST | Opcode::POP_TOP) | Op::StoreFastMaybeNull
    )
}

fn stores_to(i: &Ins) -> Option<u32> {
    matches!(i.op, Op::R(Opcode::STORE_FAST) | Op::StoreFastMaybeNull).then_some(i.arg)
}

fn next_swappable(instrs: &[Ins], mut i: usize, line: Option<i32>) -> Option<usize> {
    loop {
        i += 1;
        let ins = instrs.get(i)?;
        if let Some(l) = line
            && ins.loc.line != l
        {
            return None;
        }
        if ins.is_nop() {
            continue;
        }
        return swappable(ins).then_some(i);
    }
}

/// CPython's swaptimize: a run of SWAPs (NOPs between them allowed) starting at `start` is
/// rewritten as the fewest SWAPs with the same effect (the `match` statement's captures make
/// such runs). Returns the index of the run's last instruction (`start` when it has one SWAP).
fn swaptimize(instrs: &mut [Ins], start: usize) -> usize {
    let mut depth = instrs[start].arg as usize;
    let mut len = 1;
    let mut more = false;
    while let Some(i) = instrs.get(start + len) {
        match i.op {
            Op::R(Opcode::SWAP) => {
                depth = depth.max(i.arg as usize);
                more = true;
            }
            _ if i.is_nop() => {}
            _ => break,
        }
        len += 1;
    }
    if !more {
        return start;
    }
    let run = &mut instrs[start..start + len];
    // Where each stack position's value ends up, simulated on positions 0..depth (0 = top).
    let mut stack: Vec<Option<usize>> = (0..depth).map(Some).collect();
    for i in run.iter() {
        if i.op == Op::R(Opcode::SWAP) {
            stack.swap(0, i.arg as usize - 1);
        }
    }
    // Each cycle of the permutation, walked through position 0 (the only one a SWAP can
    // exchange with), is one SWAP per non-top member; emitted from the end of the run
    // backwards, since undoing the shuffle in reverse performs it.
    let mut current = len as isize - 1;
    for i in 0..depth {
        if stack[i].is_none() || stack[i] == Some(i) {
            continue;
        }
        let mut j = i;
        loop {
            if j != 0 {
                let ins = &mut run[current as usize];
                ins.op = Op::R(Opcode::SWAP);
                ins.arg = j as u32 + 1;
                current -= 1;
            }
            match stack[j] {
                None => break,
                Some(next) => {
                    stack[j] = None;
                    j = next;
                }
            }
        }
    }
    while current >= 0 {
        run[current as usize].set_nop();
        current -= 1;
    }
    start + len - 1
}

/// CPython's apply_static_swaps: a SWAP followed by stores/pops can be removed by
/// reordering those stores when that is unobservable.
fn apply_static_swaps(instrs: &mut [Ins], start: usize) {
    let mut i = start as isize;
    while i >= 0 {
        let iu = i as usize;
        let swap = instrs[iu];
        if swap.op != Op::R(Opcode::SWAP) {
            if swap.is_nop() || swappable(&swap) {
                i -= 1;
                continue;
            }
            return;
        }
        let Some(j) = next_swappable(instrs, iu, None) else {
            return;
        };
        let line = instrs[j].loc.line;
        let mut k = j;
        for _ in 1..swap.arg {
            match next_swappable(instrs, k, Some(line)) {
                Some(n) => k = n,
                None => return,
            }
        }
        let (sj, sk) = (stores_to(&instrs[j]), stores_to(&instrs[k]));
        if sj.is_some() || sk.is_some() {
            if sj == sk {
                return;
            }
            for ins in &instrs[j + 1..k] {
                let s = stores_to(ins);
                if s.is_some() && (s == sj || s == sk) {
                    return;
                }
            }
        }
        instrs[iu].set_nop();
        instrs.swap(j, k);
        i -= 1;
    }
}

pub(crate) struct Assembled {
    pub instructions: Vec<Instruction>,
    pub locations: Vec<Location>,
    pub exception_table: Vec<ExceptionEntry>,
    pub stacksize: u32,
}

pub(crate) fn add_const(consts: &mut Vec<Constant>, c: Constant) -> u32 {
    if let Some(i) = consts.iter().position(|x| *x == c) {
        return i as u32;
    }
    consts.push(c);
    (consts.len() - 1) as u32
}

pub(crate) fn const_truth(c: &Constant) -> Option<bool> {
    Some(match c {
        Constant::None => false,
        Constant::Bool(b) => *b,
        Constant::Int(i) => *i != 0,
        Constant::BigInt(_) => true,
        Constant::Float(f) => *f != 0.0,
        Constant::Complex(a, b) => *a != 0.0 || *b != 0.0,
        Constant::Str(s) => !s.is_empty(),
        Constant::Bytes(b) => !b.is_empty(),
        Constant::Tuple(t) => !t.is_empty(),
        Constant::FrozenSet(t) => !t.is_empty(),
        Constant::Ellipsis => true,
        Constant::Code(_) => return None,
    })
}

/// Net stack effect of one instruction (`jump`: along the jump edge).
pub(crate) fn stack_effect(op: Op, arg: u32, jump: bool) -> i32 {
    use Opcode as O;
    let a = arg as i32;
    let o = match op {
        Op::Jump | Op::JumpNoInterrupt | Op::PopBlock => return 0,
        Op::SetupFinally | Op::SetupWith => return jump as i32,
        Op::SetupCleanup => return 2 * jump as i32,
        Op::LoadClosure => return 1,
        Op::StoreFastMaybeNull => return -1,
        Op::R(o) => o.deinstrumented(),
    };
    match o {
        O::LOAD_ATTR => (arg & 1) as i32,
        O::LOAD_GLOBAL => 1 + (arg & 1) as i32,
        O::LOAD_SUPER_ATTR => -2 + (arg & 1) as i32,
        O::POP_TOP
        | O::END_FOR
        | O::END_SEND
        | O::RETURN_VALUE
        | O::STORE_FAST
        | O::STORE_NAME
        | O::STORE_GLOBAL
        | O::STORE_DEREF
        | O::DELETE_ATTR
        | O::BINARY_OP
        | O::COMPARE_OP
        | O::IS_OP
        | O::CONTAINS_OP
        | O::BINARY_SUBSCR
        | O::LIST_APPEND
        | O::SET_ADD
        | O::LIST_EXTEND
        | O::SET_UPDATE
        | O::DICT_UPDATE
        | O::DICT_MERGE
        | O::POP_EXCEPT
        | O::FORMAT_WITH_SPEC
        | O::SET_FUNCTION_ATTRIBUTE
        | O::CALL_INTRINSIC_2
        | O::IMPORT_NAME
        | O::RERAISE
        | O::CLEANUP_THROW
        | O::POP_JUMP_IF_FALSE
        | O::POP_JUMP_IF_TRUE
        | O::POP_JUMP_IF_NONE
        | O::POP_JUMP_IF_NOT_NONE => -1,
        O::END_ASYNC_FOR
        | O::STORE_ATTR
        | O::DELETE_SUBSCR
        | O::BINARY_SLICE
        | O::STORE_FAST_STORE_FAST
        | O::MAP_ADD => -2,
        O::STORE_SUBSCR => -3,
        O::STORE_SLICE => -4,
        O::PUSH_NULL
        | O::LOAD_CONST
        | O::LOAD_FAST
        | O::LOAD_FAST_CHECK
        | O::LOAD_FAST_AND_CLEAR
        | O::LOAD_NAME
        | O::LOAD_DEREF
        | O::LOAD_BUILD_CLASS
        | O::LOAD_LOCALS
        | O::LOAD_ASSERTION_ERROR
        | O::COPY
        | O::PUSH_EXC_INFO
        | O::BEFORE_WITH
        | O::IMPORT_FROM
        | O::GET_LEN
        | O::MATCH_MAPPING
        | O::MATCH_SEQUENCE
        | O::MATCH_KEYS
        | O::RETURN_GENERATOR
        | O::WITH_EXCEPT_START
        | O::FOR_ITER => 1,
        O::LOAD_FAST_LOAD_FAST => 2,
        O::BUILD_SLICE => 1 - a,
        O::BUILD_TUPLE | O::BUILD_LIST | O::BUILD_SET | O::BUILD_STRING => 1 - a,
        O::BUILD_MAP => 1 - 2 * a,
        O::BUILD_CONST_KEY_MAP => -a,
        O::UNPACK_SEQUENCE => a - 1,
        O::UNPACK_EX => (arg & 0xFF) as i32 + (arg >> 8) as i32,
        O::CALL => -1 - a,
        O::CALL_KW => -2 - a,
        O::CALL_FUNCTION_EX => -2 - (arg & 1) as i32,
        O::RAISE_VARARGS => -a,
        O::MATCH_CLASS => -2,
        _ => 0,
    }
}

/// Wrap up a finished code object.
#[allow(clippy::too_many_arguments)]
pub(crate) fn make_code(
    asm: Assembled,
    name: &str,
    qualname: &str,
    filename: &Rc<str>,
    first_line: u32,
    counts: (u32, u32, u32),
    flags: u32,
    varnames: Vec<Rc<str>>,
    cellvars: Vec<Rc<str>>,
    cell_slots: Vec<u32>,
    freevars: Vec<Rc<str>>,
    names: Vec<Rc<str>>,
    consts: Vec<Constant>,
) -> CodeObject {
    let (cpy_starts, cpy_ops) = crate::bytecode::cpython_layout(&asm.instructions);
    CodeObject {
        name: Rc::from(name),
        qualname: Rc::from(qualname),
        filename: filename.clone(),
        first_line,
        argcount: counts.0,
        posonlyargcount: counts.1,
        kwonlyargcount: counts.2,
        flags,
        varnames,
        cellvars,
        freevars,
        cell_slots,
        names,
        consts,
        cpy_starts,
        cpy_ops,
        instructions: asm.instructions,
        locations: asm.locations,
        exception_table: asm.exception_table,
        stacksize: asm.stacksize,
    }
}
