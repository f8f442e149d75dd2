//! Scope analysis: which names are local, global, free or cell in each scope, following
//! CPython's symtable rules (module, class, function/lambda/genexp scopes; list/set/dict
//! comprehensions are inlined per PEP 709 and modelled as transparent scopes whose bound
//! names become fast locals of the enclosing code object).
//!
//! Owns only name resolution. It does not emit code and does not report unsupported syntax
//! (codegen does); it does report the scoping SyntaxErrors CPython raises at compile time
//! (nonlocal without binding, nonlocal at module level).

use std::collections::HashMap;

use indexmap::{IndexMap, IndexSet};
use ruff_python_ast as ast;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::TextRange;

pub(crate) const DEF_LOCAL: u8 = 1;
pub(crate) const DEF_PARAM: u8 = 2;
pub(crate) const DEF_GLOBAL: u8 = 4;
pub(crate) const DEF_NONLOCAL: u8 = 8;
pub(crate) const USE: u8 = 16;
pub(crate) const DEF_IMPORT: u8 = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScopeKind {
    Module,
    Class,
    Function,
    /// list/set/dict comprehension, inlined into the enclosing code object.
    InlinedComp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameScope {
    Local,
    GlobalExplicit,
    GlobalImplicit,
    Free,
    Cell,
}

#[derive(Debug)]
pub(crate) struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<usize>,
    pub sym: IndexMap<String, u8>,
    pub params: Vec<String>,
    pub generator: bool,
    pub coroutine: bool,
    /// Class: some method needs the implicit `__class__` cell.
    pub needs_class_cell: bool,
    pub resolved: HashMap<String, NameScope>,
    pub cells: IndexSet<String>,
    pub frees: IndexSet<String>,
    /// Class scope only: free names that pass through the class to its methods.
    pub class_frees: IndexSet<String>,
    pub children: Vec<usize>,
    /// Where each `nonlocal` name was declared (for error positions).
    pub directives: HashMap<String, TextRange>,
    /// For comprehension scopes: CPython's name of the kind, for error messages.
    pub comp_kind: Option<&'static str>,
}

impl Scope {
    fn new(kind: ScopeKind, parent: Option<usize>) -> Scope {
        Scope {
            kind,
            parent,
            sym: IndexMap::new(),
            params: Vec::new(),
            generator: false,
            coroutine: false,
            needs_class_cell: false,
            resolved: HashMap::new(),
            cells: IndexSet::new(),
            frees: IndexSet::new(),
            class_frees: IndexSet::new(),
            children: Vec::new(),
            directives: HashMap::new(),
            comp_kind: None,
        }
    }

    pub fn lookup(&self, name: &str) -> NameScope {
        self.resolved
            .get(name)
            .copied()
            .unwrap_or(NameScope::GlobalImplicit)
    }
}

pub(crate) struct SymbolTable {
    pub scopes: Vec<Scope>,
    /// Scope of each def/lambda/class/comprehension node, keyed by its range.
    pub by_range: HashMap<(u32, u32), usize>,
}

pub(crate) struct ScopeError {
    pub range: TextRange,
    pub message: String,
}

struct Builder {
    scopes: Vec<Scope>,
    by_range: HashMap<(u32, u32), usize>,
    cur: usize,
    error: Option<ScopeError>,
}

fn key(r: TextRange) -> (u32, u32) {
    (r.start().to_u32(), r.end().to_u32())
}

pub(crate) fn build(module: &[Stmt]) -> Result<SymbolTable, ScopeError> {
    let mut b = Builder {
        scopes: vec![Scope::new(ScopeKind::Module, None)],
        by_range: HashMap::new(),
        cur: 0,
        error: None,
    };
    for s in module {
        b.stmt(s);
    }
    if let Some(e) = b.error {
        return Err(e);
    }
    let mut t = SymbolTable {
        scopes: b.scopes,
        by_range: b.by_range,
    };
    analyze(&mut t, 0, &IndexSet::new())?;
    Ok(t)
}

pub(crate) fn build_expr(expr: &Expr) -> Result<SymbolTable, ScopeError> {
    let mut b = Builder {
        scopes: vec![Scope::new(ScopeKind::Module, None)],
        by_range: HashMap::new(),
        cur: 0,
        error: None,
    };
    b.expr(expr);
    if let Some(e) = b.error {
        return Err(e);
    }
    let mut t = SymbolTable {
        scopes: b.scopes,
        by_range: b.by_range,
    };
    analyze(&mut t, 0, &IndexSet::new())?;
    Ok(t)
}

impl Builder {
    fn add(&mut self, name: &str, flag: u8) {
        *self.scopes[self.cur]
            .sym
            .entry(name.to_string())
            .or_insert(0) |= flag;
        // A use inside an inlined comprehension is, for scoping, a use in the enclosing real
        // scope (the comprehension shares its code object), so record it there too.
        if flag == USE {
            let mut s = self.cur;
            while self.scopes[s].kind == ScopeKind::InlinedComp {
                let Some(p) = self.scopes[s].parent else {
                    break;
                };
                s = p;
                *self.scopes[s].sym.entry(name.to_string()).or_insert(0) |= USE;
            }
        }
    }

    fn push(&mut self, kind: ScopeKind, range: TextRange) -> usize {
        let id = self.scopes.len();
        self.scopes.push(Scope::new(kind, Some(self.cur)));
        self.scopes[self.cur].children.push(id);
        self.by_range.insert(key(range), id);
        self.cur = id;
        id
    }

    fn pop(&mut self) {
        self.cur = self.scopes[self.cur].parent.unwrap_or(0);
    }

    /// The scope that a walrus binds in: the nearest non-comprehension scope.
    fn walrus_scope(&self) -> usize {
        let mut s = self.cur;
        while self.scopes[s].kind == ScopeKind::InlinedComp
            || (self.scopes[s].kind == ScopeKind::Function && self.is_genexp(s))
        {
            match self.scopes[s].parent {
                Some(p) => s = p,
                None => break,
            }
        }
        s
    }

    fn is_genexp(&self, s: usize) -> bool {
        self.scopes[s].params.first().map(String::as_str) == Some(".0")
    }

    /// CPython's errors for a global/nonlocal declaration that comes after a use.
    fn check_directive(&mut self, names: &[ast::Identifier], range: TextRange, what: &str) {
        if self.error.is_some() {
            return;
        }
        for n in names {
            let Some(&f) = self.scopes[self.cur].sym.get(n.id.as_str()) else {
                continue;
            };
            let msg = if f & DEF_PARAM != 0 {
                format!("name '{}' is parameter and {what}", n.id)
            } else if f & DEF_LOCAL != 0 {
                format!("name '{}' is assigned to before {what} declaration", n.id)
            } else if f & USE != 0 {
                format!("name '{}' is used prior to {what} declaration", n.id)
            } else {
                continue;
            };
            self.error = Some(ScopeError {
                range,
                message: msg,
            });
            return;
        }
    }

    fn yield_in_comprehension(&mut self, range: TextRange) {
        if let Some(k) = self.scopes[self.cur].comp_kind
            && self.error.is_none()
        {
            self.error = Some(ScopeError {
                range,
                message: format!("'yield' inside {k}"),
            });
        }
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn params(&mut self, p: &ast::Parameters) {
        // Parameter order: posonly, args, kwonly, *args, **kwargs (CPython's co_varnames).
        let mut ids: Vec<&ast::Identifier> = Vec::new();
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            ids.push(&a.parameter.name);
        }
        for a in &p.kwonlyargs {
            ids.push(&a.parameter.name);
        }
        if let Some(v) = &p.vararg {
            ids.push(&v.name);
        }
        if let Some(k) = &p.kwarg {
            ids.push(&k.name);
        }
        let mut names: Vec<String> = Vec::new();
        for id in ids {
            if names.iter().any(|n| n == id.id.as_str()) && self.error.is_none() {
                self.error = Some(ScopeError {
                    range: id.range,
                    message: format!("duplicate argument '{}' in function definition", id.id),
                });
            }
            names.push(id.id.to_string());
        }
        for n in &names {
            self.add(n, DEF_PARAM);
        }
        self.scopes[self.cur].params = names;
    }

    fn param_defaults_and_annotations(&mut self, p: &ast::Parameters, annotations: bool) {
        for a in p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .chain(p.kwonlyargs.iter())
        {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
        if annotations {
            for a in p
                .posonlyargs
                .iter()
                .chain(p.args.iter())
                .chain(p.kwonlyargs.iter())
            {
                if let Some(an) = &a.parameter.annotation {
                    self.expr(an);
                }
            }
            for v in p.vararg.iter().chain(p.kwarg.iter()) {
                if let Some(an) = &v.annotation {
                    self.expr(an);
                }
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.expr(&d.expression);
                }
                self.param_defaults_and_annotations(&f.parameters, true);
                if let Some(r) = &f.returns {
                    self.expr(r);
                }
                self.add(&f.name.id, DEF_LOCAL);
                self.push(ScopeKind::Function, f.range);
                self.scopes[self.cur].coroutine = f.is_async;
                self.params(&f.parameters);
                self.stmts(&f.body);
                self.pop();
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.expr(&d.expression);
                }
                if let Some(a) = &c.arguments {
                    for e in &a.args {
                        self.expr(e);
                    }
                    for k in &a.keywords {
                        self.expr(&k.value);
                    }
                }
                self.add(&c.name.id, DEF_LOCAL);
                self.push(ScopeKind::Class, c.range);
                self.stmts(&c.body);
                self.pop();
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v);
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.expr(t);
                }
            }
            Stmt::Assign(a) => {
                for t in &a.targets {
                    self.expr(t);
                }
                self.expr(&a.value);
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.target);
                if let Expr::Name(n) = &*a.target {
                    self.add(&n.id, USE);
                }
                self.expr(&a.value);
            }
            Stmt::AnnAssign(a) => {
                self.expr(&a.target);
                self.expr(&a.annotation);
                if let Some(v) = &a.value {
                    self.expr(v);
                }
            }
            Stmt::For(f) => {
                self.expr(&f.target);
                self.expr(&f.iter);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.stmts(&w.body);
                self.stmts(&w.orelse);
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                self.stmts(&i.body);
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t);
                    }
                    self.stmts(&c.body);
                }
            }
            Stmt::With(w) => {
                for it in &w.items {
                    self.expr(&it.context_expr);
                    if let Some(v) = &it.optional_vars {
                        self.expr(v);
                    }
                }
                self.stmts(&w.body);
            }
            Stmt::Match(m) => {
                self.expr(&m.subject);
                for c in &m.cases {
                    self.pattern(&c.pattern);
                    if let Some(g) = &c.guard {
                        self.expr(g);
                    }
                    self.stmts(&c.body);
                }
            }
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => {}
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e);
                }
                if let Some(c) = &r.cause {
                    self.expr(c);
                }
            }
            Stmt::Try(t) => {
                self.stmts(&t.body);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.expr(ty);
                    }
                    if let Some(n) = &h.name {
                        self.add(&n.id, DEF_LOCAL);
                    }
                    self.stmts(&h.body);
                }
                self.stmts(&t.orelse);
                self.stmts(&t.finalbody);
            }
            Stmt::Assert(a) => {
                self.expr(&a.test);
                if let Some(m) = &a.msg {
                    self.expr(m);
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let n = match &a.asname {
                        Some(x) => x.id.to_string(),
                        None => a.name.id.split('.').next().unwrap_or("").to_string(),
                    };
                    self.add(&n, DEF_LOCAL | DEF_IMPORT);
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    if &a.name.id == "*" {
                        continue;
                    }
                    let n = a.asname.as_ref().unwrap_or(&a.name);
                    self.add(&n.id, DEF_LOCAL | DEF_IMPORT);
                }
            }
            Stmt::Global(g) => {
                self.check_directive(&g.names, g.range, "global");
                for n in &g.names {
                    self.add(&n.id, DEF_GLOBAL);
                    // CPython also records the declaration in the module's own symbols, so
                    // module-level code then uses LOAD_GLOBAL/STORE_GLOBAL for the name.
                    *self.scopes[0].sym.entry(n.id.to_string()).or_insert(0) |= DEF_GLOBAL;
                }
            }
            Stmt::Nonlocal(g) => {
                if self.scopes[self.cur].kind == ScopeKind::Module && self.error.is_none() {
                    self.error = Some(ScopeError {
                        range: g.range,
                        message: "nonlocal declaration not allowed at module level".into(),
                    });
                }
                self.check_directive(&g.names, g.range, "nonlocal");
                for n in &g.names {
                    self.add(&n.id, DEF_NONLOCAL);
                    let c = self.cur;
                    self.scopes[c]
                        .directives
                        .entry(n.id.to_string())
                        .or_insert(g.range);
                }
            }
            Stmt::Expr(e) => self.expr(&e.value),
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
        }
    }

    /// A `case` pattern: captures bind like assignments; value, class and key expressions
    /// are ordinary uses.
    fn pattern(&mut self, p: &ast::Pattern) {
        use ast::Pattern as P;
        match p {
            P::MatchValue(v) => self.expr(&v.value),
            P::MatchSingleton(_) => {}
            P::MatchSequence(s) => s.patterns.iter().for_each(|q| self.pattern(q)),
            P::MatchMapping(m) => {
                for k in &m.keys {
                    self.expr(k);
                }
                m.patterns.iter().for_each(|q| self.pattern(q));
                if let Some(r) = &m.rest {
                    self.add(&r.id, DEF_LOCAL);
                }
            }
            P::MatchClass(c) => {
                self.expr(&c.cls);
                c.arguments.patterns.iter().for_each(|q| self.pattern(q));
                for k in &c.arguments.keywords {
                    self.pattern(&k.pattern);
                }
            }
            P::MatchStar(s) => {
                if let Some(n) = &s.name {
                    self.add(&n.id, DEF_LOCAL);
                }
            }
            P::MatchAs(a) => {
                if let Some(q) = &a.pattern {
                    self.pattern(q);
                }
                if let Some(n) = &a.name {
                    self.add(&n.id, DEF_LOCAL);
                }
            }
            P::MatchOr(o) => o.patterns.iter().for_each(|q| self.pattern(q)),
        }
    }

    fn comprehension(
        &mut self,
        range: TextRange,
        gens: &[ast::Comprehension],
        elts: &[&Expr],
        genexp: bool,
        kind_name: &'static str,
    ) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = gens.first() {
            self.expr(&first.iter);
        }
        let kind = if genexp {
            ScopeKind::Function
        } else {
            ScopeKind::InlinedComp
        };
        self.push(kind, range);
        let c = self.cur;
        self.scopes[c].comp_kind = Some(kind_name);
        if genexp {
            self.scopes[self.cur].generator = true;
            self.scopes[self.cur].params = vec![".0".to_string()];
        }
        // Inlined comprehensions keep CPython's implicit `.0` symbol too (it matters for
        // the class-body save/restore sequence).
        self.add(".0", DEF_PARAM);
        for (i, g) in gens.iter().enumerate() {
            if g.is_async {
                self.scopes[self.cur].coroutine = true;
            }
            self.expr(&g.target);
            if i > 0 {
                self.expr(&g.iter);
            }
            for c in &g.ifs {
                self.expr(c);
            }
        }
        for e in elts {
            self.expr(e);
        }
        self.pop();
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => {
                let flag = if n.ctx.is_load() { USE } else { DEF_LOCAL };
                self.add(&n.id, flag);
                if n.ctx.is_load() && (&n.id == "super" || &n.id == "__class__") {
                    // Zero-argument super() and __class__ need the class cell.
                    if self.scopes[self.cur].kind == ScopeKind::Function {
                        self.add("__class__", USE);
                    }
                }
            }
            Expr::Named(n) => {
                self.expr(&n.value);
                if let Expr::Name(t) = &*n.target {
                    let s = self.walrus_scope();
                    if s != self.cur
                        && self.scopes[s].kind == ScopeKind::Class
                        && self.error.is_none()
                    {
                        self.error = Some(ScopeError {
                            range: n.range,
                            message: "assignment expression within a comprehension cannot be used in a class body".into(),
                        });
                    }
                    if s != self.cur && self.scopes[s].kind == ScopeKind::Module {
                        // CPython: the target becomes an explicit global of the module, and
                        // the comprehension still saves/restores a slot for it.
                        *self.scopes[0].sym.entry(t.id.to_string()).or_insert(0) |=
                            DEF_GLOBAL | DEF_LOCAL;
                        let c = self.cur;
                        *self.scopes[c].sym.entry(t.id.to_string()).or_insert(0) |=
                            DEF_GLOBAL | DEF_LOCAL;
                    } else {
                        *self.scopes[s].sym.entry(t.id.to_string()).or_insert(0) |= DEF_LOCAL;
                        if s != self.cur {
                            // Visible inside the comprehension as a non-local use.
                            self.add(&t.id, USE);
                        }
                    }
                }
            }
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.param_defaults_and_annotations(p, false);
                }
                self.push(ScopeKind::Function, l.range);
                if let Some(p) = &l.parameters {
                    self.params(p);
                }
                self.expr(&l.body);
                self.pop();
            }
            Expr::ListComp(c) => self.comprehension(
                c.range,
                &c.generators,
                &[&c.elt],
                false,
                "list comprehension",
            ),
            Expr::SetComp(c) => self.comprehension(
                c.range,
                &c.generators,
                &[&c.elt],
                false,
                "set comprehension",
            ),
            Expr::DictComp(c) => {
                let mut v: Vec<&Expr> = Vec::new();
                if let Some(k) = &c.key {
                    v.push(k);
                }
                v.push(&c.value);
                self.comprehension(c.range, &c.generators, &v, false, "dict comprehension")
            }
            Expr::Generator(c) => self.comprehension(
                c.range,
                &c.generators,
                &[&c.elt],
                true,
                "generator expression",
            ),
            Expr::Yield(y) => {
                self.yield_in_comprehension(y.range);
                self.scopes[self.cur].generator = true;
                if let Some(v) = &y.value {
                    self.expr(v);
                }
            }
            Expr::YieldFrom(y) => {
                self.yield_in_comprehension(y.range);
                self.scopes[self.cur].generator = true;
                self.expr(&y.value);
            }
            _ => {
                ruff_python_ast::visitor::walk_expr(&mut SubVisitor(self), e);
            }
        }
    }
}

/// Adapter so the generic walker recurses through `Builder::expr` for sub-expressions.
struct SubVisitor<'a>(&'a mut Builder);

impl<'a> ruff_python_ast::visitor::Visitor<'a> for SubVisitor<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.0.expr(expr);
    }
    fn visit_stmt(&mut self, _stmt: &'a Stmt) {}
}

/// Resolve every name of scope `id` given the names bound in enclosing function scopes.
/// Returns the names that are free in this scope (needed from outside).
fn analyze(
    t: &mut SymbolTable,
    id: usize,
    enclosing: &IndexSet<String>,
) -> Result<IndexSet<String>, ScopeError> {
    let kind = t.scopes[id].kind;
    let syms: Vec<(String, u8)> = t.scopes[id]
        .sym
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let mut free: IndexSet<String> = IndexSet::new();
    let mut resolved: HashMap<String, NameScope> = HashMap::new();
    let mut local: IndexSet<String> = IndexSet::new();
    let mut globals: IndexSet<String> = IndexSet::new();
    for (name, flags) in &syms {
        let ns = if flags & DEF_GLOBAL != 0 {
            globals.insert(name.clone());
            NameScope::GlobalExplicit
        } else if flags & DEF_NONLOCAL != 0 {
            if !enclosing.contains(name) {
                return Err(ScopeError {
                    range: t.scopes[id]
                        .directives
                        .get(name)
                        .copied()
                        .unwrap_or_default(),
                    message: format!("no binding for nonlocal '{name}' found"),
                });
            }
            free.insert(name.clone());
            NameScope::Free
        } else if flags & (DEF_LOCAL | DEF_PARAM) != 0 {
            local.insert(name.clone());
            NameScope::Local
        } else if kind == ScopeKind::InlinedComp {
            // Resolved through the enclosing scope by codegen.
            NameScope::GlobalImplicit
        } else if kind != ScopeKind::Module && enclosing.contains(name) {
            free.insert(name.clone());
            NameScope::Free
        } else {
            NameScope::GlobalImplicit
        };
        resolved.insert(name.clone(), ns);
    }
    // What children may see as bound outside them.
    let mut child_env = enclosing.clone();
    match kind {
        ScopeKind::Module => child_env.clear(),
        ScopeKind::Function | ScopeKind::InlinedComp => {
            for n in &local {
                child_env.insert(n.clone());
            }
            for n in &globals {
                child_env.shift_remove(n);
            }
        }
        ScopeKind::Class => {
            child_env.insert("__class__".to_string());
        }
    }
    let children = t.scopes[id].children.clone();
    for c in children {
        let child_free = analyze(t, c, &child_env)?;
        for n in child_free {
            match kind {
                ScopeKind::Function | ScopeKind::InlinedComp if local.contains(&n) => {
                    resolved.insert(n.clone(), NameScope::Cell);
                }
                ScopeKind::Class if n == "__class__" => {
                    t.scopes[id].needs_class_cell = true;
                }
                ScopeKind::Class => {
                    t.scopes[id].class_frees.insert(n.clone());
                    free.insert(n);
                }
                _ => {
                    if kind != ScopeKind::Module {
                        if !resolved.contains_key(&n) {
                            resolved.insert(n.clone(), NameScope::Free);
                        }
                        free.insert(n);
                    }
                }
            }
        }
    }
    let s = &mut t.scopes[id];
    let mut cells: Vec<String> = resolved
        .iter()
        .filter(|(_, v)| **v == NameScope::Cell)
        .map(|(k, _)| k.clone())
        .collect();
    cells.sort();
    if s.needs_class_cell {
        cells.insert(0, "__class__".to_string());
        cells.sort();
    }
    s.cells = cells.into_iter().collect();
    let mut frees: Vec<String> = free.iter().cloned().collect();
    frees.sort();
    s.frees = frees.into_iter().collect();
    s.resolved = resolved;
    Ok(free)
}
