//! The `match` statement (PEP 634): subject, cases, guards and every pattern kind, laid out
//! instruction for instruction as CPython 3.13 lays them out, because LINE, BRANCH and
//! INSTRUCTION events (and their byte offsets) depend on that shape.
//!
//! The scheme: the subject stays on the stack while a case's pattern runs; a pattern that
//! fails jumps to a "fail pop" block that pops whatever that pattern had pushed so far (the
//! blocks are a chain: entering block `n` pops `n` values and falls into block `n - 1`).
//! Captured values are not stored while matching: they are rotated under the values still
//! in use, and stored together once the whole pattern has matched, so a failed case binds
//! nothing. (Alternatives of an or-pattern are compiled the same way, each with its own
//! chain, and their captures are reordered to the first alternative's order.)

use ruff_python_ast as ast;
use ruff_python_ast::{Expr, Pattern};
use ruff_text_size::Ranged;

use super::{Compiler, R};
use crate::bytecode::{Constant, Location, Opcode as O};
use crate::flow::{BlockId, Op};

/// The state of one case's pattern while it is being compiled.
#[derive(Default)]
struct PatCtx {
    /// Names captured so far, in the order their values sit on the stack (bottom first).
    stores: Vec<String>,
    /// May this (sub)pattern be irrefutable (a bare capture or `_`)?
    allow_irrefutable: bool,
    /// `fail_pop[n]` pops n values, then falls into `fail_pop[n - 1]`; `fail_pop[0]` is
    /// where matching continues after a failure.
    fail_pop: Vec<BlockId>,
    /// Values above the subject that the rest of the pattern still needs.
    on_top: usize,
}

/// `_` (a capture pattern without a name).
fn is_wildcard(p: &Pattern) -> bool {
    matches!(p, Pattern::MatchAs(a) if a.pattern.is_none() && a.name.is_none())
}

/// `*_`.
fn is_star_wildcard(p: &Pattern) -> bool {
    matches!(p, Pattern::MatchStar(s) if s.name.is_none())
}

impl<'a> Compiler<'a> {
    pub(super) fn match_stmt(&mut self, m: &'a ast::StmtMatch) -> R<()> {
        self.expr(&m.subject)?;
        let end = self.new_block();
        let cases = m.cases.len();
        let last = &m.cases[cases - 1];
        // A trailing `case _:` needs no copy of the subject and no pattern code.
        let has_default = usize::from(is_wildcard(&last.pattern) && cases > 1);
        for (i, c) in m.cases[..cases - has_default].iter().enumerate() {
            let ploc = self.loc_of(c.pattern.range());
            let not_last = i != cases - has_default - 1;
            if not_last {
                self.opi(O::COPY, 1, ploc);
            }
            let mut pc = PatCtx {
                allow_irrefutable: c.guard.is_some() || i == cases - 1,
                ..PatCtx::default()
            };
            self.pattern(&c.pattern, &mut pc)?;
            debug_assert_eq!(pc.on_top, 0);
            // Matched: bind the captures (their values are on the stack, last on top).
            let stores = std::mem::take(&mut pc.stores);
            for n in &stores {
                self.store_name(n, ploc)?;
            }
            if let Some(g) = &c.guard {
                self.ensure_fail_pop(&mut pc, 0);
                let fail = pc.fail_pop[0];
                self.jump_if(g, fail, false)?;
            }
            if not_last {
                // Done with the subject.
                self.op(O::POP_TOP, ploc);
            }
            self.stmts(&c.body)?;
            self.jump(Op::Jump, end, Location::NONE);
            // The failure path keeps the pattern's line, not the body's last line.
            self.emit_fail_pops(ploc, &mut pc);
        }
        if has_default == 1 {
            let ploc = self.loc_of(last.pattern.range());
            if cases == 1 {
                self.op(O::POP_TOP, ploc);
            } else {
                // No code for the pattern itself, but its line is covered.
                self.op(O::NOP, ploc);
            }
            if let Some(g) = &last.guard {
                self.jump_if(g, end, false)?;
            }
            self.stmts(&last.body)?;
        }
        self.use_block(end);
        Ok(())
    }

    fn ensure_fail_pop(&mut self, pc: &mut PatCtx, n: usize) {
        while pc.fail_pop.len() <= n {
            let b = self.new_block();
            pc.fail_pop.push(b);
        }
    }

    /// Jump with `op` to the fail-pop block that pops everything this pattern has pushed
    /// (values still in use and captures not yet stored).
    fn jump_to_fail_pop(&mut self, loc: Location, pc: &mut PatCtx, op: Op) {
        let pops = pc.on_top + pc.stores.len();
        self.ensure_fail_pop(pc, pops);
        self.jump(op, pc.fail_pop[pops], loc);
    }

    /// Place the fail-pop chain: block n pops one value and falls into block n - 1.
    fn emit_fail_pops(&mut self, loc: Location, pc: &mut PatCtx) {
        let blocks = std::mem::take(&mut pc.fail_pop);
        let Some((&first, rest)) = blocks.split_first() else {
            return;
        };
        for &b in rest.iter().rev() {
            self.use_block(b);
            self.op(O::POP_TOP, loc);
        }
        self.use_block(first);
    }

    /// Move the top of the stack `count - 1` places down.
    fn rotate(&mut self, loc: Location, mut count: usize) {
        while count > 1 {
            self.opi(O::SWAP, count as u32, loc);
            count -= 1;
        }
    }

    /// Capture the top of the stack as `name` (or drop it for `_`): rotate it below the
    /// values still in use, to be stored once the whole pattern matched.
    fn capture(&mut self, loc: Location, name: Option<&ast::Identifier>, pc: &mut PatCtx) -> R<()> {
        let Some(n) = name else {
            self.op(O::POP_TOP, loc);
            return Ok(());
        };
        if pc.stores.iter().any(|s| s == n.id.as_str()) {
            return self.syntax_error(
                n.range,
                &format!("multiple assignments to name '{}' in pattern", n.id),
            );
        }
        self.rotate(loc, pc.on_top + pc.stores.len() + 1);
        pc.stores.push(n.id.to_string());
        Ok(())
    }

    fn pattern(&mut self, p: &'a Pattern, pc: &mut PatCtx) -> R<()> {
        let loc = self.loc_of(p.range());
        match p {
            Pattern::MatchValue(v) => {
                self.expr(&v.value)?;
                self.opi(O::COMPARE_OP, 2 << 5, loc);
                self.op(O::TO_BOOL, loc);
                self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
                Ok(())
            }
            Pattern::MatchSingleton(s) => {
                let c = match s.value {
                    ast::Singleton::None => Constant::None,
                    ast::Singleton::True => Constant::Bool(true),
                    ast::Singleton::False => Constant::Bool(false),
                };
                self.load_const(c, loc);
                self.opi(O::IS_OP, 0, loc);
                self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
                Ok(())
            }
            Pattern::MatchAs(a) => {
                let Some(sub) = &a.pattern else {
                    if !pc.allow_irrefutable {
                        let msg = match &a.name {
                            Some(n) => {
                                format!(
                                    "name capture '{}' makes remaining patterns unreachable",
                                    n.id
                                )
                            }
                            None => "wildcard makes remaining patterns unreachable".to_string(),
                        };
                        return self.syntax_error(a.range, &msg);
                    }
                    return self.capture(loc, a.name.as_ref(), pc);
                };
                // Keep a copy to capture once the subpattern matched.
                pc.on_top += 1;
                self.opi(O::COPY, 1, loc);
                self.pattern(sub, pc)?;
                pc.on_top -= 1;
                self.capture(loc, a.name.as_ref(), pc)
            }
            Pattern::MatchStar(s) => self.capture(loc, s.name.as_ref(), pc),
            Pattern::MatchOr(o) => self.pattern_or(o, loc, pc),
            Pattern::MatchSequence(s) => self.pattern_sequence(s, loc, pc),
            Pattern::MatchMapping(m) => self.pattern_mapping(m, loc, pc),
            Pattern::MatchClass(c) => self.pattern_class(c, loc, pc),
        }
    }

    /// A subpattern: irrefutable ones are always allowed inside a larger pattern.
    fn subpattern(&mut self, p: &'a Pattern, pc: &mut PatCtx) -> R<()> {
        let saved = pc.allow_irrefutable;
        pc.allow_irrefutable = true;
        self.pattern(p, pc)?;
        pc.allow_irrefutable = saved;
        Ok(())
    }

    fn pattern_or(&mut self, o: &'a ast::PatternMatchOr, loc: Location, pc: &mut PatCtx) -> R<()> {
        let end = self.new_block();
        let outer_stores = std::mem::take(&mut pc.stores);
        let outer_fail = std::mem::take(&mut pc.fail_pop);
        let (outer_on_top, outer_irrefutable) = (pc.on_top, pc.allow_irrefutable);
        // The names the first alternative binds, in its stack order: every other
        // alternative must bind the same names, and is reordered to this order.
        let mut control: Option<Vec<String>> = None;
        let n = o.patterns.len();
        for (i, alt) in o.patterns.iter().enumerate() {
            let aloc = self.loc_of(alt.range());
            pc.stores = Vec::new();
            pc.allow_irrefutable = i == n - 1 && outer_irrefutable;
            pc.fail_pop = Vec::new();
            pc.on_top = 0;
            self.opi(O::COPY, 1, aloc);
            self.pattern(alt, pc)?;
            match &control {
                None => control = Some(pc.stores.clone()),
                Some(ctl) => {
                    if ctl.len() != pc.stores.len() {
                        return self
                            .syntax_error(o.range, "alternative patterns bind different names");
                    }
                    // Walk the control names from the last: bring each to its place.
                    for icontrol in (0..ctl.len()).rev() {
                        let Some(istores) = pc.stores.iter().position(|s| *s == ctl[icontrol])
                        else {
                            return self.syntax_error(
                                o.range,
                                "alternative patterns bind different names",
                            );
                        };
                        if icontrol != istores {
                            let rotations = istores + 1;
                            let moved: Vec<String> = pc.stores.drain(..rotations).collect();
                            let at = icontrol - istores;
                            pc.stores.splice(at..at, moved);
                            for _ in 0..rotations {
                                self.rotate(aloc, icontrol + 1);
                            }
                        }
                    }
                }
            }
            self.jump(Op::Jump, end, aloc);
            self.emit_fail_pops(aloc, pc);
        }
        pc.stores = outer_stores;
        pc.fail_pop = outer_fail;
        pc.on_top = outer_on_top;
        pc.allow_irrefutable = outer_irrefutable;
        // No alternative matched: pop the copy of the subject and fail.
        self.op(O::POP_TOP, loc);
        self.jump_to_fail_pop(loc, pc, Op::Jump);
        self.use_block(end);
        // Move the captures under everything else: the other captures, the subject copy,
        // the values still in use and the captures made before this pattern.
        let control = control.unwrap_or_default();
        let nrots = control.len() + 1 + pc.on_top + pc.stores.len();
        for name in control {
            self.rotate(loc, nrots);
            if pc.stores.contains(&name) {
                return self.syntax_error(
                    o.range,
                    &format!("multiple assignments to name '{name}' in pattern"),
                );
            }
            pc.stores.push(name);
        }
        // Pop the copy of the subject.
        self.op(O::POP_TOP, loc);
        Ok(())
    }

    fn pattern_sequence(
        &mut self,
        s: &'a ast::PatternMatchSequence,
        loc: Location,
        pc: &mut PatCtx,
    ) -> R<()> {
        let pats = &s.patterns;
        let size = pats.len();
        let mut star: Option<usize> = None;
        let mut only_wildcard = true;
        let mut star_wildcard = false;
        for (i, p) in pats.iter().enumerate() {
            if let Pattern::MatchStar(_) = p {
                if star.is_some() {
                    return self
                        .syntax_error(s.range, "multiple starred names in sequence pattern");
                }
                star_wildcard = is_star_wildcard(p);
                only_wildcard &= star_wildcard;
                star = Some(i);
                continue;
            }
            only_wildcard &= is_wildcard(p);
        }
        // The subject stays on top through the type and length checks.
        pc.on_top += 1;
        self.op(O::MATCH_SEQUENCE, loc);
        self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
        let len_check = match star {
            None => Some((size, 2u32)),
            Some(_) if size > 1 => Some((size - 1, 5u32)),
            Some(_) => None,
        };
        if let Some((n, cmp)) = len_check {
            self.op(O::GET_LEN, loc);
            self.load_const(Constant::Int(n as i64), loc);
            self.opi(O::COMPARE_OP, cmp << 5, loc);
            self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
        }
        pc.on_top -= 1;
        if only_wildcard {
            self.op(O::POP_TOP, loc);
        } else if star_wildcard {
            self.sequence_subscr(pats, star.unwrap_or(0), loc, pc)?;
        } else {
            self.sequence_unpack(pats, star, loc, pc)?;
        }
        Ok(())
    }

    fn sequence_unpack(
        &mut self,
        pats: &'a [Pattern],
        star: Option<usize>,
        loc: Location,
        pc: &mut PatCtx,
    ) -> R<()> {
        let size = pats.len();
        match star {
            Some(i) => {
                if i >= 1 << 8 {
                    return self.syntax_error(
                        pats[i].range(),
                        "too many expressions in star-unpacking sequence pattern",
                    );
                }
                if size - i > 1 << 16 {
                    // CPython allows more, but the count must fit vigil's 24-bit argument.
                    return self.unsupported(pats[i].range(), "sequence pattern this long");
                }
                self.opi(O::UNPACK_EX, (i + ((size - i - 1) << 8)) as u32, loc);
            }
            None => self.opi(O::UNPACK_SEQUENCE, size as u32, loc),
        }
        pc.on_top += size;
        for p in pats {
            pc.on_top -= 1;
            self.subpattern(p, pc)?;
        }
        Ok(())
    }

    /// `[a, *_, b]`-style patterns: index the subject instead of unpacking it all.
    fn sequence_subscr(
        &mut self,
        pats: &'a [Pattern],
        star: usize,
        loc: Location,
        pc: &mut PatCtx,
    ) -> R<()> {
        let size = pats.len();
        pc.on_top += 1;
        for (i, p) in pats.iter().enumerate() {
            if is_wildcard(p) || i == star {
                continue;
            }
            self.opi(O::COPY, 1, loc);
            if i < star {
                self.load_const(Constant::Int(i as i64), loc);
            } else {
                // Indexes from the end are computed, not negative: the subject may not
                // support negative indexes.
                self.op(O::GET_LEN, loc);
                self.load_const(Constant::Int((size - i) as i64), loc);
                self.opi(
                    O::BINARY_OP,
                    crate::bytecode::BinaryOp::Subtract as u32,
                    loc,
                );
            }
            self.op(O::BINARY_SUBSCR, loc);
            self.subpattern(p, pc)?;
        }
        pc.on_top -= 1;
        self.op(O::POP_TOP, loc);
        Ok(())
    }

    fn pattern_mapping(
        &mut self,
        m: &'a ast::PatternMatchMapping,
        loc: Location,
        pc: &mut PatCtx,
    ) -> R<()> {
        let size = m.keys.len();
        pc.on_top += 1;
        self.op(O::MATCH_MAPPING, loc);
        self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
        if size == 0 && m.rest.is_none() {
            // `{}`: any mapping matches.
            pc.on_top -= 1;
            self.op(O::POP_TOP, loc);
            return Ok(());
        }
        if size > 0 {
            self.op(O::GET_LEN, loc);
            self.load_const(Constant::Int(size as i64), loc);
            self.opi(O::COMPARE_OP, 5 << 5, loc);
            self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
        }
        let mut seen: Vec<Constant> = Vec::new();
        for k in &m.keys {
            if let Some(c) = self.const_of(k) {
                if seen.iter().any(|s| same_key(s, &c)) {
                    let shown = key_repr(&c);
                    return self.syntax_error(
                        m.range,
                        &format!("mapping pattern checks duplicate key ({shown})"),
                    );
                }
                seen.push(c);
            } else if !matches!(k, Expr::Attribute(_)) {
                return self.syntax_error(
                    m.range,
                    "mapping pattern keys may only match literals and attribute lookups",
                );
            }
            self.expr(k)?;
        }
        self.opi(O::BUILD_TUPLE, size as u32, loc);
        self.op(O::MATCH_KEYS, loc);
        // The keys tuple and the values tuple (or None) are on top of the subject.
        pc.on_top += 2;
        self.opi(O::COPY, 1, loc);
        self.load_const(Constant::None, loc);
        self.opi(O::IS_OP, 1, loc);
        self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
        self.opi(O::UNPACK_SEQUENCE, size as u32, loc);
        pc.on_top += size;
        pc.on_top -= 1;
        for p in &m.patterns {
            pc.on_top -= 1;
            self.subpattern(p, pc)?;
        }
        pc.on_top -= 2;
        if let Some(rest) = &m.rest {
            // rest = dict(subject), then delete each matched key from it.
            self.opi(O::BUILD_MAP, 0, loc);
            self.opi(O::SWAP, 3, loc);
            self.opi(O::DICT_UPDATE, 2, loc);
            self.opi(O::UNPACK_SEQUENCE, size as u32, loc);
            let mut left = size;
            while left > 0 {
                self.opi(O::COPY, (1 + left) as u32, loc);
                left -= 1;
                self.opi(O::SWAP, 2, loc);
                self.op(O::DELETE_SUBSCR, loc);
            }
            self.capture(loc, Some(rest), pc)?;
        } else {
            self.op(O::POP_TOP, loc);
            self.op(O::POP_TOP, loc);
        }
        Ok(())
    }

    fn pattern_class(
        &mut self,
        c: &'a ast::PatternMatchClass,
        loc: Location,
        pc: &mut PatCtx,
    ) -> R<()> {
        let args = &c.arguments;
        let nargs = args.patterns.len();
        let nattrs = args.keywords.len();
        for (i, k) in args.keywords.iter().enumerate() {
            if args.keywords[i + 1..]
                .iter()
                .any(|o| o.attr.id == k.attr.id)
            {
                let dup = args.keywords[i + 1..]
                    .iter()
                    .find(|o| o.attr.id == k.attr.id)
                    .map_or(k.range, |o| o.pattern.range());
                return self.syntax_error(
                    dup,
                    &format!("attribute name repeated in class pattern: {}", k.attr.id),
                );
            }
        }
        self.expr(&c.cls)?;
        let names: Vec<Constant> = args
            .keywords
            .iter()
            .map(|k| Constant::Str(k.attr.id.as_str().into()))
            .collect();
        self.load_const(Constant::Tuple(names.into()), loc);
        self.opi(O::MATCH_CLASS, nargs as u32, loc);
        self.opi(O::COPY, 1, loc);
        self.load_const(Constant::None, loc);
        self.opi(O::IS_OP, 1, loc);
        // On top: the tuple of the (nargs + nattrs) attributes, or None.
        pc.on_top += 1;
        self.jump_to_fail_pop(loc, pc, Op::R(O::POP_JUMP_IF_FALSE));
        self.opi(O::UNPACK_SEQUENCE, (nargs + nattrs) as u32, loc);
        pc.on_top += nargs + nattrs;
        pc.on_top -= 1;
        let subs = args
            .patterns
            .iter()
            .chain(args.keywords.iter().map(|k| &k.pattern));
        for p in subs {
            pc.on_top -= 1;
            if is_wildcard(p) {
                self.op(O::POP_TOP, loc);
                continue;
            }
            self.subpattern(p, pc)?;
        }
        Ok(())
    }
}

/// Would these two constant keys be equal as dict keys (1 == 1.0 == True)?
fn same_key(a: &Constant, b: &Constant) -> bool {
    use Constant as C;
    let num = |c: &C| match c {
        C::Bool(v) => Some(f64::from(u8::from(*v))),
        C::Int(v) => Some(*v as f64),
        C::Float(v) => Some(*v),
        _ => None,
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// The repr CPython's duplicate-key message shows for a literal key.
fn key_repr(c: &Constant) -> String {
    use Constant as C;
    match c {
        C::None => "None".into(),
        C::Bool(v) => if *v { "True" } else { "False" }.into(),
        C::Int(v) => v.to_string(),
        C::BigInt(v) => v.to_string(),
        C::Float(v) if v.fract() == 0.0 && v.is_finite() => format!("{v:.1}"),
        C::Float(v) => v.to_string(),
        C::Str(s) if s.contains('\'') && !s.contains('"') => format!("\"{s}\""),
        C::Str(s) => format!("'{}'", s.replace('\'', "\\'")),
        C::Bytes(b) => format!("b'{}'", String::from_utf8_lossy(b)),
        _ => "...".into(),
    }
}
