//! Expression code generation (calls, comprehensions, f-strings, displays, yields) and the
//! AST-level constant folding CPython's ast_opt.c does before codegen. Statement-level
//! emission lives in codegen.rs.

use std::rc::Rc;

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use ruff_python_ast as ast;
use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};

use super::{Compiler, NameCtx, R, SeqKind, binop, parse_int};
use crate::bytecode::{BinaryOp, Constant, Location, Opcode as O, intrinsic1};
use crate::flow::{NO_BLOCK, Op};
use crate::symtable::{NameScope, ScopeKind};

/// CPython's STACK_USE_GUIDELINE.
const STACK_USE_GUIDELINE: usize = 30;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

impl<'a> Compiler<'a> {
    pub(super) fn expr(&mut self, e: &'a Expr) -> R<()> {
        let loc = self.loc_of(e.range());
        // Constant folding first (literals, constant tuples, unary/binary ops on constants).
        if matches!(
            e,
            Expr::UnaryOp(_) | Expr::BinOp(_) | Expr::Tuple(_) | Expr::Subscript(_)
        ) && let Some(c) = self.const_of(e)
        {
            self.load_const(c, loc);
            return Ok(());
        }
        match e {
            Expr::NumberLiteral(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {
                let c = self.const_of(e).unwrap_or(Constant::None);
                self.load_const(c, loc);
            }
            Expr::Name(n) => {
                if n.id.as_str() == "__debug__" {
                    self.load_const(Constant::Bool(true), loc);
                } else {
                    self.nameop(&n.id, NameCtx::Load, loc)?;
                }
            }
            Expr::BoolOp(b) => {
                let end = self.new_block();
                let j = if b.op == ast::BoolOp::Or {
                    O::POP_JUMP_IF_TRUE
                } else {
                    O::POP_JUMP_IF_FALSE
                };
                let n = b.values.len();
                for v in &b.values[..n - 1] {
                    self.expr(v)?;
                    self.opi(O::COPY, 1, loc);
                    self.op(O::TO_BOOL, loc);
                    self.jump(Op::R(j), end, loc);
                    self.op(O::POP_TOP, loc);
                }
                self.expr(&b.values[n - 1])?;
                self.use_block(end);
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.opi(O::COPY, 1, loc);
                self.store_target(&n.target)?;
            }
            Expr::BinOp(b) if self.try_percent_format(b, loc)? => {}
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.opi(O::BINARY_OP, binop(b.op) as u32, loc);
            }
            Expr::UnaryOp(u)
                if u.op == ast::UnaryOp::Not && super::inverted_compare(&u.operand).is_some() =>
            {
                // `not a in b` is folded to `a not in b` first (CPython's ast optimizer).
                let (c, op) = super::inverted_compare(&u.operand).expect("checked");
                self.expr(&c.left)?;
                self.compare_operand(op, &c.comparators[0])?;
                self.compare_op(op, loc);
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                match u.op {
                    ast::UnaryOp::Not => {
                        self.op(O::TO_BOOL, loc);
                        self.op(O::UNARY_NOT, loc);
                    }
                    ast::UnaryOp::USub => self.op(O::UNARY_NEGATIVE, loc),
                    ast::UnaryOp::Invert => self.op(O::UNARY_INVERT, loc),
                    ast::UnaryOp::UAdd => {
                        self.opi(O::CALL_INTRINSIC_1, intrinsic1::UNARY_POSITIVE, loc)
                    }
                }
            }
            Expr::Lambda(l) => self.lambda(l)?,
            Expr::If(i) => {
                let end = self.new_block();
                let next = self.new_block();
                self.jump_if(&i.test, next, false)?;
                self.expr(&i.body)?;
                self.jump(Op::JumpNoInterrupt, end, Location::NONE);
                self.use_block(next);
                self.expr(&i.orelse)?;
                self.use_block(end);
            }
            Expr::Dict(d) => self.dict(d, loc)?,
            Expr::Set(s) => self.sequence(&s.elts, loc, SeqKind::Set)?,
            Expr::List(l) => self.sequence(&l.elts, loc, SeqKind::List)?,
            Expr::Tuple(t) => self.sequence(&t.elts, loc, SeqKind::Tuple)?,
            Expr::ListComp(c) => {
                self.comprehension(e.range(), CompKind::List, &c.generators, &c.elt, None)?
            }
            Expr::SetComp(c) => {
                self.comprehension(e.range(), CompKind::Set, &c.generators, &c.elt, None)?
            }
            Expr::DictComp(c) => {
                let Some(k) = &c.key else {
                    return self.unsupported(c.range, "dict comprehension unpacking");
                };
                self.comprehension(e.range(), CompKind::Dict, &c.generators, k, Some(&c.value))?
            }
            Expr::Generator(c) => {
                self.comprehension(e.range(), CompKind::Gen, &c.generators, &c.elt, None)?
            }
            Expr::Await(a) => {
                if !self.ur().comps.is_empty() || self.ur().name == "<genexpr>" {
                    return self.unsupported(a.range, "await inside a comprehension");
                }
                if self.ur().kind != ScopeKind::Function {
                    return self.syntax_error(a.range, "'await' outside function");
                }
                if !self.in_async_function() {
                    return self.syntax_error(a.range, "'await' outside async function");
                }
                self.expr(&a.value)?;
                self.opi(O::GET_AWAITABLE, 0, loc);
                self.load_const(Constant::None, loc);
                self.yield_from_loop(loc, true);
            }
            Expr::Yield(y) => {
                if self.ur().kind != ScopeKind::Function {
                    return self.syntax_error(y.range, "'yield' outside function");
                }
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Constant::None, loc),
                }
                self.opi(O::YIELD_VALUE, 0, loc);
                self.opi(O::RESUME, 1, loc);
            }
            Expr::YieldFrom(y) => {
                if self.ur().kind != ScopeKind::Function {
                    return self.syntax_error(y.range, "'yield' outside function");
                }
                if self.in_async_function() {
                    return self.syntax_error(y.range, "'yield from' inside async function");
                }
                self.expr(&y.value)?;
                self.op(O::GET_YIELD_FROM_ITER, loc);
                self.load_const(Constant::None, loc);
                self.yield_from_loop(loc, false);
            }
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                let n = c.ops.len();
                if n == 1 {
                    self.compare_operand(c.ops[0], &c.comparators[0])?;
                    self.compare_op(c.ops[0], loc);
                } else {
                    let cleanup = self.new_block();
                    for i in 0..n - 1 {
                        self.expr(&c.comparators[i])?;
                        self.opi(O::SWAP, 2, loc);
                        self.opi(O::COPY, 2, loc);
                        self.compare_op(c.ops[i], loc);
                        self.opi(O::COPY, 1, loc);
                        self.op(O::TO_BOOL, loc);
                        self.jump(Op::R(O::POP_JUMP_IF_FALSE), cleanup, loc);
                        self.op(O::POP_TOP, loc);
                    }
                    self.compare_operand(c.ops[n - 1], &c.comparators[n - 1])?;
                    self.compare_op(c.ops[n - 1], loc);
                    let end = self.new_block();
                    self.jump(Op::Jump, end, Location::NONE);
                    self.use_block(cleanup);
                    self.opi(O::SWAP, 2, loc);
                    self.op(O::POP_TOP, loc);
                    self.use_block(end);
                }
            }
            Expr::Call(c) => self.call(c)?,
            Expr::FString(f) => self.fstring(f, loc)?,
            Expr::TString(t) => return self.unsupported(t.range, "template string"),
            Expr::Attribute(a) => {
                if let Some(two) = self
                    .super_call_kind(&a.value)
                    .filter(|_| a.attr.id.as_str() != "__class__")
                {
                    self.load_args_for_super(&a.value)?;
                    let l = self.attr_loc(a);
                    let ni = self.name_idx(&self.mangle(&a.attr.id));
                    self.opi(O::LOAD_SUPER_ATTR, (ni << 2) | ((two as u32) << 1), l);
                } else {
                    self.expr(&a.value)?;
                    let l = self.attr_loc(a);
                    let ni = self.name_idx(&self.mangle(&a.attr.id));
                    self.opi(O::LOAD_ATTR, ni << 1, l);
                }
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                if let Expr::Slice(sl) = &*s.slice
                    && sl.step.is_none()
                {
                    self.slice_parts(sl)?;
                    self.op(O::BINARY_SLICE, loc);
                } else {
                    self.expr(&s.slice)?;
                    self.op(O::BINARY_SUBSCR, loc);
                }
            }
            Expr::Slice(sl) => {
                self.slice_parts(sl)?;
                if let Some(st) = &sl.step {
                    self.expr(st)?;
                    self.opi(O::BUILD_SLICE, 3, loc);
                } else {
                    self.opi(O::BUILD_SLICE, 2, loc);
                }
            }
            Expr::Starred(s) => {
                return self.syntax_error(s.range, "can't use starred expression here");
            }
            Expr::IpyEscapeCommand(i) => {
                return self.unsupported(i.range, "IPython escape command");
            }
        }
        Ok(())
    }

    fn in_async_function(&self) -> bool {
        let u = self.ur();
        u.kind == ScopeKind::Function && self.st.scopes[u.scope].coroutine
    }

    /// The right operand of a comparison: for `in`/`not in`, a list display becomes a tuple
    /// and a set display of constants a frozenset (CPython's fold_compare).
    pub(super) fn compare_operand(&mut self, op: ast::CmpOp, e: &'a Expr) -> R<()> {
        if matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn) {
            let loc = self.loc_of(e.range());
            match e {
                Expr::List(l) if !l.elts.iter().any(|x| matches!(x, Expr::Starred(_))) => {
                    if let Some(c) = self.const_tuple(&l.elts) {
                        self.load_const(c, loc);
                        return Ok(());
                    }
                    return self.sequence(&l.elts, loc, SeqKind::Tuple);
                }
                Expr::Set(st) => {
                    if let Some(Constant::Tuple(items)) = self.const_tuple(&st.elts) {
                        self.load_const(Constant::FrozenSet(items), loc);
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        self.expr(e)
    }

    pub(super) fn slice_parts(&mut self, sl: &'a ast::ExprSlice) -> R<()> {
        let loc = self.loc_of(sl.range);
        match &sl.lower {
            Some(l) => self.expr(l)?,
            None => self.load_const(Constant::None, loc),
        }
        match &sl.upper {
            Some(u) => self.expr(u)?,
            None => self.load_const(Constant::None, loc),
        }
        Ok(())
    }

    fn yield_from_loop(&mut self, loc: Location, is_await: bool) {
        let send = self.new_block();
        let fail = self.new_block();
        let exit = self.new_block();
        self.use_block(send);
        self.jump(Op::R(O::SEND), exit, loc);
        self.jump(Op::SetupFinally, fail, loc);
        self.opi(O::YIELD_VALUE, 1, loc);
        self.emit(Op::PopBlock, 0, NO_BLOCK, Location::NONE);
        self.opi(O::RESUME, if is_await { 3 } else { 2 }, loc);
        self.jump(Op::JumpNoInterrupt, send, loc);
        self.use_block(fail);
        self.op(O::CLEANUP_THROW, loc);
        self.use_block(exit);
        self.op(O::END_SEND, loc);
    }

    // ---------- displays ----------

    pub(super) fn sequence(&mut self, elts: &'a [Expr], loc: Location, kind: SeqKind) -> R<()> {
        let (build, add, extend) = match kind {
            SeqKind::Tuple | SeqKind::List => (O::BUILD_LIST, O::LIST_APPEND, O::LIST_EXTEND),
            SeqKind::Set => (O::BUILD_SET, O::SET_ADD, O::SET_UPDATE),
        };
        let n = elts.len();
        if n > 2
            && let Some(c) = self.const_tuple(elts)
        {
            match kind {
                SeqKind::Tuple => self.load_const(c, loc),
                SeqKind::List => {
                    self.opi(O::BUILD_LIST, 0, loc);
                    self.load_const(c, loc);
                    self.opi(O::LIST_EXTEND, 1, loc);
                }
                SeqKind::Set => {
                    let Constant::Tuple(items) = c else {
                        unreachable!()
                    };
                    self.opi(O::BUILD_SET, 0, loc);
                    self.load_const(Constant::FrozenSet(items), loc);
                    self.opi(O::SET_UPDATE, 1, loc);
                }
            }
            return Ok(());
        }
        let big = n > STACK_USE_GUIDELINE;
        let seen_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !seen_star && !big {
            for e in elts {
                self.expr(e)?;
            }
            let op = match kind {
                SeqKind::Tuple => O::BUILD_TUPLE,
                _ => build,
            };
            self.opi(op, n as u32, loc);
            return Ok(());
        }
        let mut built = false;
        if big {
            self.opi(build, 0, loc);
            built = true;
        }
        for (i, e) in elts.iter().enumerate() {
            if let Expr::Starred(s) = e {
                if !built {
                    self.opi(build, i as u32, loc);
                    built = true;
                }
                self.expr(&s.value)?;
                self.opi(extend, 1, loc);
            } else {
                self.expr(e)?;
                if built {
                    self.opi(add, 1, loc);
                }
            }
        }
        if kind == SeqKind::Tuple {
            self.opi(O::CALL_INTRINSIC_1, intrinsic1::LIST_TO_TUPLE, loc);
        }
        Ok(())
    }

    fn dict(&mut self, d: &'a ast::ExprDict, loc: Location) -> R<()> {
        // CPython 3.13's compiler_dict: runs of key/value pairs (at most 17 per run), `**`
        // unpacking merged with DICT_UPDATE.
        let items = &d.items;
        let n = items.len();
        let mut have_dict = false;
        let mut elements = 0usize;
        for i in 0..n {
            if items[i].key.is_none() {
                if elements > 0 {
                    self.subdict(&items[i - elements..i], loc)?;
                    if have_dict {
                        self.opi(O::DICT_UPDATE, 1, loc);
                    }
                    have_dict = true;
                    elements = 0;
                }
                if !have_dict {
                    self.opi(O::BUILD_MAP, 0, loc);
                    have_dict = true;
                }
                self.expr(&items[i].value)?;
                self.opi(O::DICT_UPDATE, 1, loc);
            } else if elements * 2 > STACK_USE_GUIDELINE {
                self.subdict(&items[i - elements..=i], loc)?;
                if have_dict {
                    self.opi(O::DICT_UPDATE, 1, loc);
                }
                have_dict = true;
                elements = 0;
            } else {
                elements += 1;
            }
        }
        if elements > 0 {
            self.subdict(&items[n - elements..], loc)?;
            if have_dict {
                self.opi(O::DICT_UPDATE, 1, loc);
            }
            have_dict = true;
        }
        if !have_dict {
            self.opi(O::BUILD_MAP, 0, loc);
        }
        Ok(())
    }

    fn subdict(&mut self, items: &'a [ast::DictItem], loc: Location) -> R<()> {
        let n = items.len();
        let big = n * 2 > STACK_USE_GUIDELINE;
        let keys: Vec<&Expr> = items.iter().filter_map(|i| i.key.as_ref()).collect();
        if n > 1
            && !big
            && let Some(kt) = self.const_tuple_refs(&keys)
        {
            for i in items {
                self.expr(&i.value)?;
            }
            self.load_const(kt, loc);
            self.opi(O::BUILD_CONST_KEY_MAP, n as u32, loc);
            return Ok(());
        }
        if big {
            self.opi(O::BUILD_MAP, 0, loc);
        }
        for i in items {
            if let Some(k) = &i.key {
                self.expr(k)?;
            }
            self.expr(&i.value)?;
            if big {
                self.opi(O::MAP_ADD, 1, loc);
            }
        }
        if !big {
            self.opi(O::BUILD_MAP, n as u32, loc);
        }
        Ok(())
    }

    // ---------- calls ----------

    fn is_import_originated(&self, e: &Expr) -> bool {
        let Expr::Name(n) = e else { return false };
        self.st.scopes[0]
            .sym
            .get(n.id.as_str())
            .is_some_and(|f| f & crate::symtable::DEF_IMPORT != 0)
    }

    /// Is `e` a `super()` / `super(C, x)` call that compiles to LOAD_SUPER_ATTR? Returns
    /// whether it is the two-argument form.
    fn super_call_kind(&self, e: &Expr) -> Option<bool> {
        let Expr::Call(c) = e else { return None };
        let Expr::Name(n) = &*c.func else { return None };
        if n.id.as_str() != "super" || !c.arguments.keywords.is_empty() {
            return None;
        }
        let u = self.ur();
        if u.kind != ScopeKind::Function || !u.comps.is_empty() {
            return None;
        }
        let sc = &self.st.scopes[u.scope];
        if sc.lookup("super") != NameScope::GlobalImplicit {
            return None;
        }
        // Any module-level use or binding of `super` disables the optimization (CPython
        // checks the module's symbol table for the name).
        if self.st.scopes[0].sym.contains_key("super") {
            return None;
        }
        match c.arguments.args.len() {
            0 => {
                // Needs __class__ and a first argument.
                if sc.params.is_empty() || !matches!(sc.lookup("__class__"), NameScope::Free) {
                    return None;
                }
                // CPython wants at least one positional parameter (not just `*args`).
                if u.argcount == 0 {
                    return None;
                }
                Some(false)
            }
            2 => {
                if c.arguments
                    .args
                    .iter()
                    .any(|a| matches!(a, Expr::Starred(_)))
                {
                    return None;
                }
                Some(true)
            }
            _ => None,
        }
    }

    fn load_args_for_super(&mut self, e: &'a Expr) -> R<()> {
        let Expr::Call(c) = e else { return Ok(()) };
        let loc = self.loc_of(c.func.range());
        let si = self.name_idx("super");
        self.opi(O::LOAD_GLOBAL, si << 1, loc);
        if c.arguments.args.is_empty() {
            let cloc = self.loc_of(c.range());
            self.nameop("__class__", NameCtx::Load, cloc)?;
            let first = self.st.scopes[self.ur().scope].params[0].clone();
            self.nameop(&first, NameCtx::Load, cloc)?;
        } else {
            self.expr(&c.arguments.args[0])?;
            self.expr(&c.arguments.args[1])?;
        }
        Ok(())
    }

    fn call(&mut self, c: &'a ast::ExprCall) -> R<()> {
        let loc = self.loc_of(c.range());
        // (Measured: inside a module-level inlined comprehension CPython 3.13 skips the
        // imported-module check.)
        if let Expr::Attribute(meth) = &*c.func
            && ((self.ur().kind == ScopeKind::Module && !self.ur().comps.is_empty())
                || !self.is_import_originated(&meth.value))
        {
            let args = &c.arguments.args;
            let kws = &c.arguments.keywords;
            let argsl = args.len();
            let kwdsl = kws.len();
            let ok = argsl + kwdsl + usize::from(kwdsl != 0) < STACK_USE_GUIDELINE
                && !args.iter().any(|a| matches!(a, Expr::Starred(_)))
                && !kws.iter().any(|k| k.arg.is_none());
            if ok {
                let mloc = self.attr_loc(meth);
                if let Some(two) = self
                    .super_call_kind(&meth.value)
                    .filter(|_| meth.attr.id.as_str() != "__class__")
                {
                    self.load_args_for_super(&meth.value)?;
                    let ni = self.name_idx(&self.mangle(&meth.attr.id));
                    self.opi(
                        O::LOAD_SUPER_ATTR,
                        (ni << 2) | ((two as u32) << 1) | 1,
                        mloc,
                    );
                } else {
                    self.expr(&meth.value)?;
                    let ni = self.name_idx(&self.mangle(&meth.attr.id));
                    self.opi(O::LOAD_ATTR, (ni << 1) | 1, mloc);
                }
                self.note_sole_genexp(&c.arguments);
                for a in args.iter() {
                    self.expr(a)?;
                }
                let mut cl = loc;
                let al = self.attr_loc(meth);
                if al.line != cl.line {
                    cl.line = al.line;
                    cl.col = al.col;
                }
                if kwdsl > 0 {
                    for k in kws.iter() {
                        self.expr(&k.value)?;
                    }
                    self.kwnames(kws, cl);
                    self.opi(O::CALL_KW, (argsl + kwdsl) as u32, cl);
                } else {
                    self.opi(O::CALL, argsl as u32, cl);
                }
                return Ok(());
            }
        }
        self.expr(&c.func)?;
        let floc = self.loc_of(c.func.range());
        self.op(O::PUSH_NULL, floc);
        self.note_sole_genexp(&c.arguments);
        self.call_helper(loc, 0, &c.arguments.args, &c.arguments.keywords)
    }

    fn note_sole_genexp(&mut self, a: &ast::Arguments) {
        if a.args.len() == 1
            && a.keywords.is_empty()
            && let Expr::Generator(g) = &a.args[0]
            && !g.parenthesized
        {
            self.genexp_range = Some((g.range.start().to_u32(), a.range));
        }
    }

    fn kwnames(&mut self, kws: &[ast::Keyword], loc: Location) {
        let names: Vec<Constant> = kws
            .iter()
            .map(|k| {
                Constant::Str(Rc::from(
                    k.arg.as_ref().map(|a| a.id.as_str()).unwrap_or(""),
                ))
            })
            .collect();
        self.load_const(Constant::Tuple(Rc::from(names)), loc);
    }

    pub(super) fn call_helper(
        &mut self,
        loc: Location,
        n: u32,
        args: &'a [Expr],
        kws: &'a [ast::Keyword],
    ) -> R<()> {
        // Duplicate keyword arguments are a SyntaxError.
        for (i, k) in kws.iter().enumerate() {
            if let Some(a) = &k.arg
                && kws[..i]
                    .iter()
                    .any(|o| o.arg.as_ref().is_some_and(|b| b.id == a.id))
            {
                return self.syntax_error(k.range, &format!("keyword argument repeated: {}", a.id));
            }
        }
        let nelts = args.len();
        let nkw = kws.len();
        let ex = args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || kws.iter().any(|k| k.arg.is_none())
            || nelts + nkw * 2 > STACK_USE_GUIDELINE;
        if !ex {
            for a in args {
                self.expr(a)?;
            }
            if nkw > 0 {
                for k in kws {
                    self.expr(&k.value)?;
                }
                self.kwnames(kws, loc);
                self.opi(O::CALL_KW, n + (nelts + nkw) as u32, loc);
            } else {
                self.opi(O::CALL, n + nelts as u32, loc);
            }
            return Ok(());
        }
        // CALL_FUNCTION_EX: positional tuple, then an optional kwargs dict.
        if n == 0
            && nelts == 1
            && let Expr::Starred(s) = &args[0]
        {
            self.expr(&s.value)?;
        } else {
            self.sequence_pushed(args, n, loc)?;
        }
        if nkw > 0 {
            let mut have_dict = false;
            let mut nseen = 0;
            for (i, k) in kws.iter().enumerate() {
                if k.arg.is_none() {
                    if nseen > 0 {
                        self.subkwargs(&kws[i - nseen..i], loc)?;
                        if have_dict {
                            self.opi(O::DICT_MERGE, 1, loc);
                        }
                        have_dict = true;
                        nseen = 0;
                    }
                    if !have_dict {
                        self.opi(O::BUILD_MAP, 0, loc);
                        have_dict = true;
                    }
                    self.expr(&k.value)?;
                    self.opi(O::DICT_MERGE, 1, loc);
                } else {
                    nseen += 1;
                }
            }
            if nseen > 0 {
                self.subkwargs(&kws[nkw - nseen..], loc)?;
                if have_dict {
                    self.opi(O::DICT_MERGE, 1, loc);
                }
            }
        }
        self.opi(O::CALL_FUNCTION_EX, (nkw > 0) as u32, loc);
        Ok(())
    }

    /// starunpack_helper for call arguments with `pushed` values already on the stack
    /// (class bases after the name), always producing a tuple.
    fn sequence_pushed(&mut self, elts: &'a [Expr], pushed: u32, loc: Location) -> R<()> {
        let n = elts.len();
        if pushed == 0
            && n > 2
            && let Some(c) = self.const_tuple(elts)
        {
            self.load_const(c, loc);
            return Ok(());
        }
        let big = n + pushed as usize > STACK_USE_GUIDELINE;
        let seen_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !seen_star && !big {
            for e in elts {
                self.expr(e)?;
            }
            self.opi(O::BUILD_TUPLE, n as u32 + pushed, loc);
            return Ok(());
        }
        let mut built = false;
        if big {
            self.opi(O::BUILD_LIST, pushed, loc);
            built = true;
        }
        for (i, e) in elts.iter().enumerate() {
            if let Expr::Starred(s) = e {
                if !built {
                    self.opi(O::BUILD_LIST, i as u32 + pushed, loc);
                    built = true;
                }
                self.expr(&s.value)?;
                self.opi(O::LIST_EXTEND, 1, loc);
            } else {
                self.expr(e)?;
                if built {
                    self.opi(O::LIST_APPEND, 1, loc);
                }
            }
        }
        self.opi(O::CALL_INTRINSIC_1, intrinsic1::LIST_TO_TUPLE, loc);
        Ok(())
    }

    fn subkwargs(&mut self, kws: &'a [ast::Keyword], loc: Location) -> R<()> {
        let n = kws.len();
        if n * 2 > STACK_USE_GUIDELINE {
            self.opi(O::BUILD_MAP, 0, Location::NONE);
            for k in kws {
                let name = k.arg.as_ref().map(|a| a.id.to_string()).unwrap_or_default();
                self.load_const(Constant::Str(Rc::from(name.as_str())), loc);
                self.expr(&k.value)?;
                self.opi(O::MAP_ADD, 1, Location::NONE);
            }
            return Ok(());
        }
        if n > 1 {
            for k in kws {
                self.expr(&k.value)?;
            }
            self.kwnames(kws, loc);
            self.opi(O::BUILD_CONST_KEY_MAP, n as u32, loc);
        } else {
            for k in kws {
                let name = k.arg.as_ref().map(|a| a.id.to_string()).unwrap_or_default();
                self.load_const(Constant::Str(Rc::from(name.as_str())), loc);
                self.expr(&k.value)?;
            }
            self.opi(O::BUILD_MAP, n as u32, loc);
        }
        Ok(())
    }

    // ---------- comprehensions ----------

    fn comprehension(
        &mut self,
        range: TextRange,
        kind: CompKind,
        gens: &'a [ast::Comprehension],
        elt: &'a Expr,
        val: Option<&'a Expr>,
    ) -> R<()> {
        let mut loc = self.loc_of(range);
        if kind == CompKind::Gen
            && let Some((start, r)) = self.genexp_range
            && start == range.start().to_u32()
        {
            loc = self.loc_of(r);
        }
        if gens.iter().any(|g| g.is_async) {
            return self.unsupported(range, "async comprehension");
        }
        let scope = *self
            .st
            .by_range
            .get(&(range.start().to_u32(), range.end().to_u32()))
            .expect("comp scope");
        let outermost = &gens[0];
        if kind == CompKind::Gen {
            let qualname = self.qualname_for("<genexpr>");
            let private = self.ur().private.clone();
            self.enter_unit(
                scope,
                "<genexpr>",
                qualname,
                loc.line as u32,
                ScopeKind::Function,
            );
            self.u().private = private;
            self.u().argcount = 1;
            self.comp_generator(loc, gens, 0, 0, elt, val, kind, false)?;
            let code = self.exit_unit();
            self.make_closure(code, 0, loc)?;
            self.iter_expr(&outermost.iter)?;
            let oloc = self.loc_of(outermost.iter.range());
            self.op(O::GET_ITER, oloc);
            self.opi(O::CALL, 0, loc);
            return Ok(());
        }
        // Inlined (PEP 709).
        self.iter_expr(&outermost.iter)?;
        let oloc = self.loc_of(outermost.iter.range());
        self.op(O::GET_ITER, oloc);
        let mut pushed: Vec<String> = Vec::new();
        // The comprehension's own symbols, then those of comprehensions inlined into it
        // (CPython merges them into the outer comprehension's table).
        let mut syms: Vec<(String, NameScope, u8)> = Vec::new();
        let mut todo = vec![scope];
        while let Some(sc) = todo.pop() {
            let st = &self.st.scopes[sc];
            for (k, f) in st.sym.iter() {
                if sc != scope && (f & crate::symtable::DEF_LOCAL == 0 || k == ".0") {
                    continue;
                }
                if let Some(e) = syms.iter_mut().find(|(n, _, _)| n == k) {
                    // Seen as a use of an inner comprehension's variable: it is bound
                    // there, so the outer one saves it too.
                    e.2 |= *f;
                    if !matches!(e.1, NameScope::Local | NameScope::Cell) {
                        e.1 = st.lookup(k);
                    }
                } else {
                    syms.push((k.clone(), st.lookup(k), *f));
                }
            }
            for &c in st.children.iter().rev() {
                if self.st.scopes[c].kind == ScopeKind::InlinedComp {
                    todo.push(c);
                }
            }
        }
        let in_class = self.ur().kind == ScopeKind::Class;
        for (name, ns, flags) in &syms {
            if in_class || flags & crate::symtable::DEF_LOCAL != 0 {
                let slot = self.fast_slot(name);
                self.opi(O::LOAD_FAST_AND_CLEAR, slot, loc);
                if *ns == NameScope::Cell {
                    let cs = self.cell_slot(name).unwrap_or(0);
                    self.opi(O::MAKE_CELL, cs, loc);
                }
                pushed.push(name.clone());
            }
        }
        let cleanup = self.new_block();
        if !pushed.is_empty() {
            self.opi(O::SWAP, pushed.len() as u32 + 1, loc);
            self.jump(Op::SetupFinally, cleanup, loc);
        }
        let build = match kind {
            CompKind::List => O::BUILD_LIST,
            CompKind::Set => O::BUILD_SET,
            _ => O::BUILD_MAP,
        };
        self.opi(build, 0, loc);
        self.opi(O::SWAP, 2, loc);
        self.u().comps.push(scope);
        let r = self.comp_generator(loc, gens, 0, 0, elt, val, kind, true);
        self.u().comps.pop();
        r?;
        if !pushed.is_empty() {
            let end = self.new_block();
            self.emit(Op::PopBlock, 0, NO_BLOCK, Location::NONE);
            self.jump(Op::JumpNoInterrupt, end, Location::NONE);
            self.use_block(cleanup);
            self.opi(O::SWAP, 2, Location::NONE);
            self.op(O::POP_TOP, Location::NONE);
            self.restore_inlined(&pushed, loc);
            self.opi(O::RERAISE, 0, Location::NONE);
            self.use_block(end);
            self.restore_inlined(&pushed, loc);
        }
        Ok(())
    }

    fn restore_inlined(&mut self, pushed: &[String], loc: Location) {
        self.opi(O::SWAP, pushed.len() as u32 + 1, loc);
        for name in pushed.iter().rev() {
            let slot = self.fast_slot(name);
            self.emit(Op::StoreFastMaybeNull, slot, NO_BLOCK, loc);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn comp_generator(
        &mut self,
        loc: Location,
        gens: &'a [ast::Comprehension],
        index: usize,
        mut depth: u32,
        elt: &'a Expr,
        val: Option<&'a Expr>,
        kind: CompKind,
        iter_on_stack: bool,
    ) -> R<()> {
        let g = &gens[index];
        let mut start = Some(self.new_block());
        let if_cleanup = self.new_block();
        let anchor = self.new_block();
        let iloc = self.loc_of(g.iter.range());
        if !iter_on_stack {
            if index == 0 {
                self.opi(O::LOAD_FAST, 0, loc);
            } else {
                let single = match &g.iter {
                    Expr::List(l) if l.elts.len() == 1 => Some(&l.elts[0]),
                    Expr::Tuple(t) if t.elts.len() == 1 => Some(&t.elts[0]),
                    _ => None,
                };
                match single {
                    Some(e) if !matches!(e, Expr::Starred(_)) => {
                        self.expr(e)?;
                        start = None;
                    }
                    _ => {
                        self.iter_expr(&g.iter)?;
                        self.op(O::GET_ITER, iloc);
                    }
                }
            }
        }
        if let Some(st) = start {
            depth += 1;
            self.op(O::GET_ITER, iloc);
            self.use_block(st);
            self.jump(Op::R(O::FOR_ITER), anchor, iloc);
        }
        self.store_target(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, if_cleanup, false)?;
        }
        let mut elt_loc = self.loc_of(elt.range());
        if index + 1 < gens.len() {
            self.comp_generator(loc, gens, index + 1, depth, elt, val, kind, false)?;
        } else {
            match kind {
                CompKind::Gen => {
                    self.expr(elt)?;
                    self.opi(O::YIELD_VALUE, 0, elt_loc);
                    self.opi(O::RESUME, 1, elt_loc);
                    self.op(O::POP_TOP, elt_loc);
                }
                CompKind::List => {
                    self.expr(elt)?;
                    self.opi(O::LIST_APPEND, depth + 1, elt_loc);
                }
                CompKind::Set => {
                    self.expr(elt)?;
                    self.opi(O::SET_ADD, depth + 1, elt_loc);
                }
                CompKind::Dict => {
                    self.expr(elt)?;
                    let v = val.expect("dict value");
                    self.expr(v)?;
                    let vl = self.loc_of(v.range());
                    elt_loc.end_line = vl.end_line;
                    elt_loc.end_col = vl.end_col;
                    self.opi(O::MAP_ADD, depth + 1, elt_loc);
                }
            }
        }
        self.use_block(if_cleanup);
        if let Some(st) = start {
            self.jump(Op::Jump, st, elt_loc);
            self.use_block(anchor);
            self.op(O::END_FOR, Location::NONE);
            self.op(O::POP_TOP, Location::NONE);
        }
        Ok(())
    }

    // ---------- strings ----------

    fn fstring(&mut self, f: &'a ast::ExprFString, loc: Location) -> R<()> {
        enum Piece<'b> {
            // Text and the range of its first source piece (its location, as CPython's
            // concatenated Constant keeps the first piece's position).
            Lit(String, TextRange),
            Val(&'b ast::InterpolatedElement),
        }
        let mut pieces: Vec<Piece<'a>> = Vec::new();
        let push_lit = |pieces: &mut Vec<Piece<'a>>, s: &str, r: TextRange| {
            if s.is_empty() {
                return;
            }
            if let Some(Piece::Lit(l, _)) = pieces.last_mut() {
                l.push_str(s);
            } else {
                pieces.push(Piece::Lit(s.to_string(), r));
            }
        };
        for part in f.value.as_slice() {
            match part {
                ast::FStringPart::Literal(l) => push_lit(&mut pieces, &l.value, l.range),
                ast::FStringPart::FString(fs) => {
                    for el in fs.elements.iter() {
                        match el {
                            ast::InterpolatedStringElement::Literal(l) => {
                                push_lit(&mut pieces, &l.value, l.range)
                            }
                            ast::InterpolatedStringElement::Interpolation(i) => {
                                if let Some(dt) = &i.debug_text {
                                    let text = format!(
                                        "{}{}{}",
                                        dt.leading(),
                                        dt.expression(),
                                        dt.trailing()
                                    );
                                    push_lit(&mut pieces, &text, i.range);
                                }
                                pieces.push(Piece::Val(i));
                            }
                        }
                    }
                }
            }
        }
        if pieces.is_empty() {
            self.load_const(Constant::Str(Rc::from("")), loc);
            return Ok(());
        }
        let n = pieces.len();
        if n > STACK_USE_GUIDELINE {
            return self.unsupported(f.range, "f-string with more than 30 parts");
        }
        for p in &pieces {
            match p {
                Piece::Lit(s, r) => {
                    let l = if pieces.len() == 1 {
                        loc
                    } else {
                        self.loc_of(*r)
                    };
                    self.load_const(Constant::Str(Rc::from(s.as_str())), l)
                }
                Piece::Val(i) => {
                    let il = self.loc_of(i.range);
                    self.formatted_value(i, il)?
                }
            }
        }
        if n != 1 {
            self.opi(O::BUILD_STRING, n as u32, loc);
        }
        Ok(())
    }

    fn formatted_value(&mut self, i: &'a ast::InterpolatedElement, loc: Location) -> R<()> {
        self.expr(&i.expression)?;
        let mut conv = match i.conversion {
            ast::ConversionFlag::None => 0,
            ast::ConversionFlag::Str => 1,
            ast::ConversionFlag::Repr => 2,
            ast::ConversionFlag::Ascii => 3,
        };
        if conv == 0 && i.debug_text.is_some() && i.format_spec.is_none() {
            conv = 2;
        }
        if conv != 0 {
            self.opi(O::CONVERT_VALUE, conv, loc);
        }
        if let Some(spec) = &i.format_spec {
            // The spec is itself an f-string body.
            let mut n = 0u32;
            let mut lit = String::new();
            for el in spec.elements.iter() {
                match el {
                    ast::InterpolatedStringElement::Literal(l) => lit.push_str(&l.value),
                    ast::InterpolatedStringElement::Interpolation(inner) => {
                        if !lit.is_empty() {
                            self.load_const(Constant::Str(Rc::from(lit.as_str())), loc);
                            lit.clear();
                            n += 1;
                        }
                        self.formatted_value(inner, loc)?;
                        n += 1;
                    }
                }
            }
            if !lit.is_empty() || n == 0 {
                self.load_const(Constant::Str(Rc::from(lit.as_str())), loc);
                n += 1;
            }
            if n > 1 {
                self.opi(O::BUILD_STRING, n, loc);
            }
            self.op(O::FORMAT_WITH_SPEC, loc);
        } else {
            self.op(O::FORMAT_SIMPLE, loc);
        }
        Ok(())
    }

    /// CPython 3.13's ast optimizer rewrites `"..%s..%r.." % (a, b)` (only s/r/a
    /// conversions, optional `-` flag, width and precision) into an f-string.
    fn try_percent_format(&mut self, b: &'a ast::ExprBinOp, loc: Location) -> R<bool> {
        if b.op != ast::Operator::Mod {
            return Ok(false);
        }
        let Expr::Tuple(args) = &*b.right else {
            return Ok(false);
        };
        // The format may itself be folded (`"a" + "b"`).
        let Some(Constant::Str(fmt)) = self.const_of(&b.left) else {
            return Ok(false);
        };
        if args.elts.iter().any(|e| matches!(e, Expr::Starred(_))) {
            return Ok(false);
        }
        // A tuple of constants is folded into one constant first, and the rewrite only
        // applies to a tuple display.
        if self.const_tuple(&args.elts).is_some() {
            return Ok(false);
        }
        enum P {
            Lit(String),
            Arg(u32, String),
        }
        let chars: Vec<char> = fmt.chars().collect();
        let mut parts: Vec<P> = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        let mut nargs = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                lit.push(c);
                i += 1;
                continue;
            }
            i += 1;
            if i < chars.len() && chars[i] == '%' {
                lit.push('%');
                i += 1;
                continue;
            }
            let mut left = false;
            // Flags: only '-' changes a %s/%r/%a result; the others are accepted and ignored.
            while i < chars.len() && matches!(chars[i], '-' | '+' | ' ' | '#' | '0') {
                if chars[i] == '-' {
                    left = true;
                }
                i += 1;
            }
            let mut width = String::new();
            while i < chars.len() && chars[i].is_ascii_digit() {
                width.push(chars[i]);
                i += 1;
            }
            let mut prec = String::new();
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    prec.push(chars[i]);
                    i += 1;
                }
                prec.insert(0, '.');
            }
            // CPython only rewrites widths and precisions below 100.
            if width.len() > 2 || prec.len() > 3 {
                return Ok(false);
            }
            let Some(&conv) = chars.get(i) else {
                return Ok(false);
            };
            i += 1;
            let conv = match conv {
                's' => 1,
                'r' => 2,
                'a' => 3,
                _ => return Ok(false),
            };
            let mut spec = String::new();
            if !width.is_empty() {
                if !left {
                    spec.push('>');
                }
                spec.push_str(&width);
            }
            spec.push_str(&prec);
            if !lit.is_empty() {
                parts.push(P::Lit(std::mem::take(&mut lit)));
            }
            parts.push(P::Arg(conv, spec));
            nargs += 1;
        }
        if nargs != args.elts.len() || nargs == 0 {
            return Ok(false);
        }
        if !lit.is_empty() {
            parts.push(P::Lit(lit));
        }
        let mut argi = 0;
        for p in &parts {
            match p {
                P::Lit(s) => self.load_const(Constant::Str(Rc::from(s.as_str())), Location::NONE),
                P::Arg(conv, spec) => {
                    let a = &args.elts[argi];
                    argi += 1;
                    let al = self.loc_of(a.range());
                    self.expr(a)?;
                    self.opi(O::CONVERT_VALUE, *conv, al);
                    if spec.is_empty() {
                        self.op(O::FORMAT_SIMPLE, al);
                    } else {
                        self.load_const(Constant::Str(Rc::from(spec.as_str())), al);
                        self.op(O::FORMAT_WITH_SPEC, al);
                    }
                }
            }
        }
        if parts.len() != 1 {
            self.opi(O::BUILD_STRING, parts.len() as u32, loc);
        }
        Ok(true)
    }

    // ---------- constants ----------

    pub(super) fn const_tuple(&self, elts: &[Expr]) -> Option<Constant> {
        let v: Option<Vec<Constant>> = elts.iter().map(|e| self.const_of(e)).collect();
        v.map(|v| Constant::Tuple(Rc::from(v)))
    }

    pub(super) fn const_tuple_refs(&self, elts: &[&Expr]) -> Option<Constant> {
        let v: Option<Vec<Constant>> = elts.iter().map(|e| self.const_of(e)).collect();
        v.map(|v| Constant::Tuple(Rc::from(v)))
    }

    /// The constant value of `e` after CPython-style folding, if it has one.
    pub(super) fn const_of(&self, e: &Expr) -> Option<Constant> {
        Some(match e {
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => match i.as_i64() {
                    Some(v) => Constant::Int(v),
                    None => parse_int(&i.to_string()),
                },
                ast::Number::Float(f) => Constant::Float(*f),
                ast::Number::Complex { real, imag } => Constant::Complex(*real, *imag),
            },
            Expr::StringLiteral(s) => Constant::Str(Rc::from(s.value.to_str())),
            Expr::BytesLiteral(b) => {
                Constant::Bytes(Rc::from(b.value.bytes().collect::<Vec<u8>>()))
            }
            Expr::BooleanLiteral(b) => Constant::Bool(b.value),
            Expr::NoneLiteral(_) => Constant::None,
            Expr::EllipsisLiteral(_) => Constant::Ellipsis,
            Expr::Name(n) if n.id.as_str() == "__debug__" => Constant::Bool(true),
            Expr::Tuple(t) => {
                if t.elts.iter().any(|x| matches!(x, Expr::Starred(_))) {
                    return None;
                }
                return self.const_tuple(&t.elts);
            }
            Expr::UnaryOp(u) => {
                let v = self.const_of(&u.operand)?;
                return fold_unary(u.op, &v);
            }
            Expr::BinOp(b) => {
                let l = self.const_of(&b.left)?;
                let r = self.const_of(&b.right)?;
                return fold_binary(binop(b.op), &l, &r);
            }
            Expr::Subscript(sb) if !matches!(&*sb.slice, Expr::Slice(_)) => {
                // Constant indexing of str/bytes/tuple constants (CPython's fold_subscr).
                let v = self.const_of(&sb.value)?;
                let Constant::Int(i) = self.const_of(&sb.slice)? else {
                    return None;
                };
                return match v {
                    Constant::Str(s) => {
                        let chars: Vec<char> = s.chars().collect();
                        let n = chars.len() as i64;
                        let k = if i < 0 { i + n } else { i };
                        (0..n).contains(&k).then(|| {
                            Constant::Str(Rc::from(chars[k as usize].to_string().as_str()))
                        })
                    }
                    Constant::Bytes(b) => {
                        let n = b.len() as i64;
                        let k = if i < 0 { i + n } else { i };
                        (0..n)
                            .contains(&k)
                            .then(|| Constant::Int(b[k as usize] as i64))
                    }
                    Constant::Tuple(t) => {
                        let n = t.len() as i64;
                        let k = if i < 0 { i + n } else { i };
                        (0..n).contains(&k).then(|| t[k as usize].clone())
                    }
                    _ => None,
                };
            }
            _ => return None,
        })
    }
}

fn to_big(c: &Constant) -> Option<BigInt> {
    match c {
        Constant::Int(i) => Some(BigInt::from(*i)),
        Constant::BigInt(b) => Some(b.clone()),
        Constant::Bool(b) => Some(BigInt::from(*b as i64)),
        _ => None,
    }
}

fn from_big(b: BigInt) -> Option<Constant> {
    // CPython refuses to fold ints beyond 128 bits (MAX_INT_SIZE).
    if b.bits() > 128 {
        return None;
    }
    Some(match b.to_i64() {
        Some(i) => Constant::Int(i),
        None => Constant::BigInt(b),
    })
}

fn to_float(c: &Constant) -> Option<f64> {
    match c {
        Constant::Float(f) => Some(*f),
        Constant::Int(i) if i.unsigned_abs() < (1u64 << 53) => Some(*i as f64),
        Constant::Bool(b) => Some(*b as i64 as f64),
        _ => None,
    }
}

fn fold_unary(op: ast::UnaryOp, v: &Constant) -> Option<Constant> {
    match (op, v) {
        (ast::UnaryOp::USub, Constant::Float(f)) => Some(Constant::Float(-f)),
        (ast::UnaryOp::USub, Constant::Complex(a, b)) => Some(Constant::Complex(-a, -b)),
        (ast::UnaryOp::UAdd, Constant::Float(f)) => Some(Constant::Float(*f)),
        (ast::UnaryOp::USub, Constant::Int(_) | Constant::BigInt(_) | Constant::Bool(_)) => {
            from_big(-to_big(v)?)
        }
        (ast::UnaryOp::UAdd, Constant::Int(_) | Constant::BigInt(_) | Constant::Bool(_)) => {
            from_big(to_big(v)?)
        }
        (ast::UnaryOp::Invert, Constant::Int(_) | Constant::BigInt(_) | Constant::Bool(_)) => {
            from_big(-to_big(v)? - 1)
        }
        (ast::UnaryOp::Not, c) => crate::flow::const_truth(c).map(|t| Constant::Bool(!t)),
        _ => None,
    }
}

fn fold_binary(op: BinaryOp, l: &Constant, r: &Constant) -> Option<Constant> {
    use BinaryOp as B;
    let ints = matches!(l, Constant::Int(_) | Constant::BigInt(_))
        && matches!(r, Constant::Int(_) | Constant::BigInt(_));
    if ints {
        let a = to_big(l)?;
        let b = to_big(r)?;
        let res = match op {
            B::Add => a + b,
            B::Subtract => a - b,
            B::Multiply => {
                if a.bits() + b.bits() > 128 {
                    return None;
                }
                a * b
            }
            B::FloorDivide | B::Remainder => {
                if b.is_zero() {
                    return None;
                }
                let (q, m) = floor_divmod(&a, &b);
                if op == B::FloorDivide { q } else { m }
            }
            B::Power => {
                if b.is_negative() {
                    return None;
                }
                let e = b.to_u32()?;
                if a.bits() * e as u64 > 128 {
                    return None;
                }
                num_traits::pow::Pow::pow(&a, e)
            }
            B::Lshift => {
                if b.is_negative() {
                    return None;
                }
                let s = b.to_u32()?;
                if a.bits() + s as u64 > 128 {
                    return None;
                }
                a << s
            }
            B::Rshift => {
                if b.is_negative() {
                    return None;
                }
                let s = b.to_u32().unwrap_or(u32::MAX).min(1024);
                // Python's >> floors (arithmetic shift).
                floor_divmod(&a, &(BigInt::from(1) << s)).0
            }
            B::And => a & b,
            B::Or => a | b,
            B::Xor => a ^ b,
            B::TrueDivide => {
                let (x, y) = (to_float(l)?, to_float(r)?);
                if y == 0.0 {
                    return None;
                }
                return Some(Constant::Float(x / y));
            }
            B::MatrixMultiply => return None,
        };
        return from_big(res);
    }
    let floats = matches!(l, Constant::Float(_) | Constant::Int(_))
        && matches!(r, Constant::Float(_) | Constant::Int(_));
    if floats {
        let (x, y) = (to_float(l)?, to_float(r)?);
        let v = match op {
            B::Add => x + y,
            B::Subtract => x - y,
            B::Multiply => x * y,
            B::TrueDivide => {
                if y == 0.0 {
                    return None;
                }
                x / y
            }
            _ => return None,
        };
        return Some(Constant::Float(v));
    }
    match (op, l, r) {
        (B::Add, Constant::Str(a), Constant::Str(b)) => {
            if a.chars().count() + b.chars().count() > 4096 {
                return None;
            }
            Some(Constant::Str(Rc::from(format!("{a}{b}").as_str())))
        }
        (B::Multiply, Constant::Str(a), Constant::Int(n)) => {
            let n = (*n).max(0) as usize;
            if a.chars().count() * n > 4096 {
                return None;
            }
            Some(Constant::Str(Rc::from(a.repeat(n).as_str())))
        }
        (B::Multiply, Constant::Int(_), Constant::Str(_) | Constant::Bytes(_)) => {
            fold_binary(B::Multiply, r, l)
        }
        (B::Multiply, Constant::Bytes(a), Constant::Int(n)) => {
            let n = (*n).max(0) as usize;
            if a.len() * n > 4096 {
                return None;
            }
            Some(Constant::Bytes(Rc::from(a.repeat(n))))
        }
        (B::Add, Constant::Bytes(a), Constant::Bytes(b)) => {
            let mut v = a.to_vec();
            v.extend_from_slice(b);
            Some(Constant::Bytes(Rc::from(v)))
        }
        _ => None,
    }
}

fn floor_divmod(a: &BigInt, b: &BigInt) -> (BigInt, BigInt) {
    let q = a / b;
    let m = a - &q * b;
    if !m.is_zero() && (m.is_negative() != b.is_negative()) {
        (q - 1, m + b)
    } else {
        (q, m)
    }
}
