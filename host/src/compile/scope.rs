//! The symbol table: which scope every name lives in, decided before any
//! code is emitted (CPython's `symtable.c`, in two passes).
//!
//! Pass 1 (`Builder`) walks the AST and records, per scope, how each name
//! is used: bound (assigned, imported, a parameter, a `def`), read, declared
//! `global` or `nonlocal`. Pass 2 (`analyze`) resolves every name to a
//! [`SymKind`], top-down with the set of names bound by enclosing function
//! scopes, then bottom-up turns names that children close over into cells.
//!
//! Python's rules that shape this:
//! * a name bound anywhere in a function is local to all of it (a read
//!   before the binding is an `UnboundLocalError` at run time);
//! * class bodies are not enclosing scopes for their methods: a method's
//!   free variable skips the class and binds in the function around it;
//! * a walrus in a comprehension binds in the enclosing non-comprehension
//!   scope;
//! * zero-argument `super()` reads the implicit `__class__` cell of the
//!   class body and the method's first parameter.
//!
//! Scopes are found again by codegen through the range of their AST node.

use super::unsupported::Unsupported;
use crate::diag::Diagnostic;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::collections::HashMap;

/// Index of a scope in [`ScopeTable::scopes`].
pub type ScopeId = usize;

/// What kind of block a scope is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// The module body.
    Module,
    /// A `def`.
    Function,
    /// A `lambda`.
    Lambda,
    /// A list/set/dict comprehension or a generator expression.
    Comprehension,
    /// A class body.
    Class,
}

impl ScopeKind {
    /// Function-like scopes have fast locals and can own cells.
    pub fn is_function(self) -> bool {
        matches!(
            self,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }
}

/// Where a name lives, once resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymKind {
    /// A fast local of this function (or a class-namespace name).
    Local,
    /// A local that a nested function closes over: it lives in a cell.
    Cell,
    /// A variable of an enclosing function, reached through the closure.
    Free,
    /// Declared `global` (or a walrus target bound at module level).
    GlobalExplicit,
    /// Not bound anywhere visible: module global, then builtin.
    GlobalImplicit,
}

const DEF_LOCAL: u8 = 1;
const DEF_PARAM: u8 = 2;
const DEF_GLOBAL: u8 = 4;
const DEF_NONLOCAL: u8 = 8;
const USE: u8 = 16;
const BOUND: u8 = DEF_LOCAL | DEF_PARAM;

/// One name in one scope.
#[derive(Debug, Clone)]
pub struct Symbol {
    /// The name.
    pub name: String,
    flags: u8,
    /// The resolved kind (valid after analysis).
    pub kind: SymKind,
    /// Where it first appeared (for messages).
    pub first: TextRange,
}

/// One scope of the program.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Its kind.
    pub kind: ScopeKind,
    /// Its name as tracebacks show it (`<module>`, `f`, `<lambda>`, `<listcomp>`).
    pub name: String,
    /// The enclosing scope.
    pub parent: Option<ScopeId>,
    /// Nested scopes, in source order.
    pub children: Vec<ScopeId>,
    /// Symbols in order of first appearance.
    pub symbols: Vec<Symbol>,
    index: HashMap<String, usize>,
    /// Parameter names in slot order: positional, keyword-only, `*args`, `**kwargs`.
    pub params: Vec<String>,
    /// Positional parameters (including positional-only).
    pub argcount: u8,
    /// Positional-only parameters.
    pub posonly: u8,
    /// Keyword-only parameters.
    pub kwonly: u8,
    /// Has `*args`.
    pub varargs: bool,
    /// Has `**kwargs`.
    pub varkw: bool,
    /// Contains `yield` (or is a generator expression), or is an `async
    /// def` (a coroutine is a generator on the device).
    pub generator: bool,
    /// An `async def`: `await` may appear in it.
    pub coroutine: bool,
    /// A class body whose methods use `__class__` (zero-argument `super()`).
    pub class_cell: bool,
    /// Free variables, in closure order (the last `free.len()` slots).
    pub free: Vec<String>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, parent: Option<ScopeId>) -> Self {
        Scope {
            kind,
            name: name.into(),
            parent,
            children: Vec::new(),
            symbols: Vec::new(),
            index: HashMap::new(),
            params: Vec::new(),
            argcount: 0,
            posonly: 0,
            kwonly: 0,
            varargs: false,
            varkw: false,
            generator: false,
            coroutine: false,
            class_cell: false,
            free: Vec::new(),
        }
    }

    /// The symbol `name`, if the scope mentions it.
    pub fn symbol(&self, name: &str) -> Option<&Symbol> {
        self.index.get(name).map(|&i| &self.symbols[i])
    }

    /// How `name` is reached from this scope's code.
    pub fn kind_of(&self, name: &str) -> SymKind {
        self.symbol(name)
            .map_or(SymKind::GlobalImplicit, |s| s.kind)
    }

    fn add(&mut self, name: &str, flags: u8, at: TextRange) -> u8 {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                self.symbols.push(Symbol {
                    name: name.into(),
                    flags: 0,
                    kind: SymKind::GlobalImplicit,
                    first: at,
                });
                self.index.insert(name.into(), self.symbols.len() - 1);
                self.symbols.len() - 1
            }
        };
        let old = self.symbols[i].flags;
        self.symbols[i].flags |= flags;
        old
    }

    /// Local slots of a function-like or class scope, in order: parameters,
    /// other locals, cells (sorted), then free variables: CPython's
    /// `co_varnames` then `co_cellvars` order, which `locals()` shows.
    /// Class bodies keep only cells and free variables in slots (their
    /// names live in a dict).
    pub fn slots(&self) -> Vec<String> {
        let mut slots: Vec<String> = Vec::new();
        if self.kind.is_function() {
            slots.extend(self.params.iter().cloned());
            let mut cells = Vec::new();
            for s in &self.symbols {
                if slots.contains(&s.name) {
                    continue;
                }
                match s.kind {
                    SymKind::Local => slots.push(s.name.clone()),
                    SymKind::Cell => cells.push(s.name.clone()),
                    _ => {}
                }
            }
            cells.sort();
            slots.extend(cells);
        } else if self.kind == ScopeKind::Class && self.class_cell {
            slots.push("__class__".into());
        }
        slots.extend(self.free.iter().cloned());
        slots
    }

    /// Slots that hold cells: locals with kind [`SymKind::Cell`] (and a
    /// class body's `__class__`).
    pub fn cell_names(&self) -> Vec<String> {
        if self.kind == ScopeKind::Class {
            return if self.class_cell {
                vec!["__class__".into()]
            } else {
                Vec::new()
            };
        }
        self.symbols
            .iter()
            .filter(|s| s.kind == SymKind::Cell)
            .map(|s| s.name.clone())
            .collect()
    }
}

/// All scopes of a module; scope 0 is the module.
#[derive(Debug, Clone)]
pub struct ScopeTable {
    /// The scopes, parents before children.
    pub scopes: Vec<Scope>,
    by_range: HashMap<(u32, u32), ScopeId>,
}

impl ScopeTable {
    /// True if no scope of the module binds `name` (assigns it, takes it
    /// as a parameter or declares it `global`): a load of it then always
    /// reaches the builtin.
    pub fn never_bound(&self, name: &str) -> bool {
        self.scopes.iter().all(|s| {
            s.symbol(name)
                .is_none_or(|sym| sym.flags & (BOUND | DEF_GLOBAL | DEF_NONLOCAL) == 0)
        })
    }

    /// True if a load of `name` in scope `at` reaches the builtin: the
    /// scope and those around it up to the module do not bind it (a
    /// binding elsewhere, in an unrelated function, does not matter),
    /// and nothing declares it global.
    pub fn is_builtin(&self, at: ScopeId, name: &str) -> bool {
        let unbound = |s: &Scope| {
            s.symbol(name)
                .is_none_or(|sym| sym.flags & (BOUND | DEF_NONLOCAL) == 0)
        };
        let mut id = Some(at);
        while let Some(i) = id {
            let s = &self.scopes[i];
            if !unbound(s) {
                return false;
            }
            id = s.parent;
        }
        // A `global name` anywhere may bind it in the module.
        self.scopes
            .iter()
            .all(|s| s.symbol(name).is_none_or(|sym| sym.flags & DEF_GLOBAL == 0))
    }

    /// The module-level names the module binds, in first-seen order:
    /// assigned, defined or imported at its top level (inside blocks too),
    /// or assigned in a function that declares them `global`. The REPL
    /// completes them.
    pub fn module_bindings(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (i, scope) in self.scopes.iter().enumerate() {
            for sym in &scope.symbols {
                let bound = if i == 0 {
                    sym.flags & BOUND != 0
                } else {
                    sym.flags & DEF_GLOBAL != 0 && sym.flags & DEF_LOCAL != 0
                };
                if bound && !names.contains(&sym.name) {
                    names.push(sym.name.clone());
                }
            }
        }
        names
    }

    /// The scope created for the AST node spanning `range`.
    pub fn for_node(&self, range: TextRange) -> Option<ScopeId> {
        self.by_range
            .get(&(range.start().to_u32(), range.end().to_u32()))
            .copied()
    }

    /// Builds and resolves the symbol table of a module.
    pub fn build(module: &[Stmt]) -> Result<ScopeTable, Vec<Diagnostic>> {
        let mut b = Builder {
            scopes: vec![Scope::new(ScopeKind::Module, "<module>", None)],
            by_range: HashMap::new(),
            cur: 0,
            errors: Vec::new(),
        };
        b.stmts(module);
        let mut table = ScopeTable {
            scopes: b.scopes,
            by_range: b.by_range,
        };
        let mut errors = b.errors;
        analyze(&mut table.scopes, 0, &[], &mut errors);
        if errors.is_empty() {
            Ok(table)
        } else {
            errors.sort_by_key(|d| d.span.start);
            Err(errors)
        }
    }
}

fn span(r: TextRange) -> std::ops::Range<usize> {
    r.start().to_usize()..r.end().to_usize()
}

/// Pass 1: records how each scope uses each name.
struct Builder {
    scopes: Vec<Scope>,
    by_range: HashMap<(u32, u32), ScopeId>,
    cur: ScopeId,
    errors: Vec<Diagnostic>,
}

impl Builder {
    fn scope(&mut self) -> &mut Scope {
        &mut self.scopes[self.cur]
    }

    fn push(&mut self, kind: ScopeKind, name: &str, node: TextRange) -> ScopeId {
        let id = self.scopes.len();
        self.scopes.push(Scope::new(kind, name, Some(self.cur)));
        self.scopes[self.cur].children.push(id);
        self.by_range
            .insert((node.start().to_u32(), node.end().to_u32()), id);
        self.cur = id;
        id
    }

    fn pop(&mut self) {
        self.cur = self.scopes[self.cur].parent.unwrap_or(0);
    }

    fn bind(&mut self, name: &str, at: TextRange) {
        self.scope().add(name, DEF_LOCAL, at);
    }

    fn use_name(&mut self, name: &str, at: TextRange) {
        self.scope().add(name, USE, at);
    }

    fn param(&mut self, name: &str, at: TextRange) {
        if self
            .scope()
            .symbol(name)
            .is_some_and(|s| s.flags & DEF_PARAM != 0)
        {
            self.errors.push(Diagnostic::error(
                format!("duplicate argument '{name}' in function definition"),
                span(at),
            ));
        }
        self.scope().add(name, DEF_PARAM, at);
        self.scope().params.push(name.into());
    }

    fn parameters(&mut self, p: &ast::Parameters) {
        for a in p.posonlyargs.iter().chain(&p.args) {
            self.param(a.name(), a.parameter.name.range);
        }
        for a in &p.kwonlyargs {
            self.param(a.name(), a.parameter.name.range);
        }
        if let Some(v) = &p.vararg {
            self.param(&v.name, v.name.range);
        }
        if let Some(k) = &p.kwarg {
            self.param(&k.name, k.name.range);
        }
        let s = self.scope();
        s.posonly = p.posonlyargs.len().min(255) as u8;
        s.argcount = (p.posonlyargs.len() + p.args.len()).min(255) as u8;
        s.kwonly = p.kwonlyargs.len().min(255) as u8;
        s.varargs = p.vararg.is_some();
        s.varkw = p.kwarg.is_some();
    }

    /// Defaults are evaluated in the defining scope.
    fn defaults(&mut self, p: &ast::Parameters) {
        for a in p.iter_non_variadic_params() {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn declare(&mut self, names: &[ast::Identifier], flag: u8, at: TextRange) {
        let word = if flag == DEF_GLOBAL {
            "global"
        } else {
            "nonlocal"
        };
        if flag == DEF_NONLOCAL && self.scope().kind == ScopeKind::Module {
            self.errors.push(Diagnostic::error(
                "nonlocal declaration not allowed at module level",
                span(at),
            ));
            return;
        }
        for n in names {
            let old = self.scope().symbol(n).map_or(0, |s| s.flags);
            let msg = if old & DEF_PARAM != 0 {
                Some(format!("name '{}' is parameter and {word}", n.as_str()))
            } else if old & (DEF_GLOBAL | DEF_NONLOCAL) & !flag != 0 {
                Some(format!("name '{}' is nonlocal and global", n.as_str()))
            } else if old & DEF_LOCAL != 0 {
                Some(format!(
                    "name '{}' is assigned to before {word} declaration",
                    n.as_str()
                ))
            } else if old & USE != 0 {
                Some(format!(
                    "name '{}' is used prior to {word} declaration",
                    n.as_str()
                ))
            } else {
                None
            };
            if let Some(m) = msg {
                self.errors.push(Diagnostic::error(m, span(n.range)));
            }
            self.scope().add(n, flag, n.range);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.expr(&d.expression);
                }
                self.defaults(&f.parameters);
                self.bind(&f.name, f.name.range);
                self.push(ScopeKind::Function, &f.name, f.range);
                if f.is_async {
                    self.scope().generator = true;
                    self.scope().coroutine = true;
                }
                self.parameters(&f.parameters);
                self.stmts(&f.body);
                self.pop();
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.expr(&d.expression);
                }
                if let Some(args) = &c.arguments {
                    for a in args.args.iter() {
                        self.expr(a);
                    }
                    for k in &args.keywords {
                        self.expr(&k.value);
                    }
                }
                self.bind(&c.name, c.name.range);
                self.push(ScopeKind::Class, &c.name, c.range);
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
                    self.target(t);
                }
            }
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) | Stmt::Pass(_) => {}
            Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::Assign(a) => {
                self.expr(&a.value);
                for t in &a.targets {
                    self.target(t);
                }
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.value);
                // `x += 1` both reads and binds x.
                if let Expr::Name(n) = &*a.target {
                    self.use_name(&n.id, n.range);
                }
                self.target(&a.target);
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v);
                }
                self.target(&a.target);
            }
            Stmt::For(f) => {
                if f.is_async && !self.scope().coroutine {
                    self.errors.push(Diagnostic::error(
                        "'async for' outside async function",
                        span(f.range),
                    ));
                }
                self.expr(&f.iter);
                self.target(&f.target);
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
                if w.is_async && !self.scope().coroutine {
                    self.errors.push(Diagnostic::error(
                        "'async with' outside async function",
                        span(w.range),
                    ));
                }
                for item in &w.items {
                    self.expr(&item.context_expr);
                    if let Some(v) = &item.optional_vars {
                        self.target(v);
                    }
                }
                self.stmts(&w.body);
            }
            Stmt::Match(_) => {}
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
                        self.bind(n, n.range);
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
                    let bound = a.asname.as_ref().unwrap_or(&a.name);
                    let top = bound.split('.').next().unwrap_or(bound);
                    self.bind(top, bound.range);
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    let bound = a.asname.as_ref().unwrap_or(&a.name);
                    if bound.as_str() != "*" {
                        self.bind(bound, bound.range);
                    }
                }
            }
            Stmt::Global(g) => self.declare(&g.names, DEF_GLOBAL, g.range),
            Stmt::Nonlocal(n) => self.declare(&n.names, DEF_NONLOCAL, n.range),
            Stmt::Expr(e) => self.expr(&e.value),
        }
    }

    /// An assignment (or `del`, `for`, `with … as`) target.
    fn target(&mut self, t: &Expr) {
        match t {
            Expr::Name(n) => self.bind(&n.id, n.range),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
            Expr::Starred(s) => self.target(&s.value),
            other => self.expr(other),
        }
    }

    fn comprehension(
        &mut self,
        node: TextRange,
        name: &str,
        gens: &[ast::Comprehension],
        elts: &[&Expr],
        generator: bool,
    ) {
        let Some(first) = gens.first() else { return };
        // The outermost iterable is evaluated in the enclosing scope.
        self.expr(&first.iter);
        self.push(ScopeKind::Comprehension, name, node);
        self.scope().generator = generator;
        self.param(".0", first.range);
        self.scope().argcount = 1;
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter);
            }
            self.target(&g.target);
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
            Expr::Name(n) => match n.ctx {
                ast::ExprContext::Load => self.use_name(&n.id, n.range),
                _ => self.bind(&n.id, n.range),
            },
            Expr::BoolOp(b) => b.values.iter().for_each(|v| self.expr(v)),
            Expr::Named(n) => {
                self.expr(&n.value);
                if let Expr::Name(t) = &*n.target {
                    self.walrus(&t.id, t.range);
                }
            }
            Expr::BinOp(b) => {
                self.expr(&b.left);
                self.expr(&b.right);
            }
            Expr::UnaryOp(u) => self.expr(&u.operand),
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.defaults(p);
                }
                self.push(ScopeKind::Lambda, "<lambda>", l.range);
                if let Some(p) = &l.parameters {
                    self.parameters(p);
                }
                self.expr(&l.body);
                self.pop();
            }
            Expr::If(i) => {
                self.expr(&i.test);
                self.expr(&i.body);
                self.expr(&i.orelse);
            }
            Expr::Dict(d) => {
                for item in &d.items {
                    if let Some(k) = &item.key {
                        self.expr(k);
                    }
                    self.expr(&item.value);
                }
            }
            Expr::Set(s) => s.elts.iter().for_each(|v| self.expr(v)),
            Expr::ListComp(c) => {
                self.comprehension(c.range, "<listcomp>", &c.generators, &[&c.elt], false)
            }
            Expr::SetComp(c) => {
                self.comprehension(c.range, "<setcomp>", &c.generators, &[&c.elt], false)
            }
            Expr::DictComp(c) => {
                let mut elts: Vec<&Expr> = Vec::new();
                if let Some(k) = &c.key {
                    elts.push(k);
                }
                elts.push(&c.value);
                self.comprehension(c.range, "<dictcomp>", &c.generators, &elts, false)
            }
            Expr::Generator(g) => {
                self.comprehension(g.range, "<genexpr>", &g.generators, &[&g.elt], true)
            }
            Expr::Await(a) => {
                // `await x` is `yield from x` in a coroutine.
                if !self.scope().coroutine {
                    self.errors.push(Diagnostic::error(
                        "'await' outside async function",
                        span(a.range),
                    ));
                }
                self.expr(&a.value);
            }
            Expr::Yield(y) => {
                self.yield_here(y.range);
                if let Some(v) = &y.value {
                    self.expr(v);
                }
            }
            Expr::YieldFrom(y) => {
                self.yield_here(y.range);
                self.expr(&y.value);
            }
            Expr::Compare(c) => {
                self.expr(&c.left);
                c.comparators.iter().for_each(|v| self.expr(v));
            }
            Expr::Call(c) => {
                self.expr(&c.func);
                if is_zero_arg_super(c) {
                    self.zero_arg_super(c.range());
                }
                c.arguments.args.iter().for_each(|v| self.expr(v));
                for k in &c.arguments.keywords {
                    self.expr(&k.value);
                }
            }
            Expr::FString(f) => {
                for part in f.value.iter() {
                    if let ast::FStringPart::FString(fs) = part {
                        self.interpolations(&fs.elements);
                    }
                }
            }
            Expr::TString(_) => {}
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::IpyEscapeCommand(_) => {}
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Starred(s) => self.expr(&s.value),
            Expr::List(l) => l.elts.iter().for_each(|v| self.expr(v)),
            Expr::Tuple(t) => t.elts.iter().for_each(|v| self.expr(v)),
            Expr::Slice(s) => {
                for v in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(v);
                }
            }
        }
    }

    fn interpolations(&mut self, elements: &ast::InterpolatedStringElements) {
        for el in elements.iter() {
            if let ast::InterpolatedStringElement::Interpolation(i) = el {
                self.expr(&i.expression);
                if let Some(spec) = &i.format_spec {
                    self.interpolations(&spec.elements);
                }
            }
        }
    }

    fn yield_here(&mut self, at: TextRange) {
        let kind = self.scope().kind;
        match kind {
            // `yield` in an `async def` would make an async generator,
            // which p14p does not compile (a coroutine is already a
            // generator; its yields go to the scheduler).
            ScopeKind::Function if self.scope().coroutine => {
                self.errors.push(Unsupported::AsyncGenerator.at(at))
            }
            ScopeKind::Function | ScopeKind::Lambda => self.scope().generator = true,
            ScopeKind::Comprehension => {
                let what = self.scope().name.trim_matches(['<', '>']).to_string();
                self.errors.push(Diagnostic::error(
                    format!("'yield' inside {}", comp_words(&what)),
                    span(at),
                ))
            }
            ScopeKind::Module | ScopeKind::Class => self
                .errors
                .push(Diagnostic::error("'yield' outside function", span(at))),
        }
    }

    /// `super()` reads `__class__` and the first parameter of the method.
    fn zero_arg_super(&mut self, at: TextRange) {
        if !self.scope().kind.is_function() {
            return;
        }
        self.use_name("__class__", at);
        if let Some(first) = self.scope().params.first().cloned() {
            self.use_name(&first, at);
        }
    }

    /// A walrus binds in the nearest enclosing non-comprehension scope.
    fn walrus(&mut self, name: &str, at: TextRange) {
        if self.scope().kind != ScopeKind::Comprehension {
            self.bind(name, at);
            return;
        }
        let mut target = self.cur;
        while self.scopes[target].kind == ScopeKind::Comprehension {
            target = self.scopes[target].parent.unwrap_or(0);
        }
        let flag = match self.scopes[target].kind {
            ScopeKind::Module => DEF_GLOBAL,
            ScopeKind::Class => {
                self.errors.push(Diagnostic::error(
                    "assignment expression within a comprehension cannot be used in a class body",
                    span(at),
                ));
                return;
            }
            _ => DEF_NONLOCAL,
        };
        self.scopes[target].add(name, DEF_LOCAL, at);
        let mut s = self.cur;
        while self.scopes[s].kind == ScopeKind::Comprehension {
            self.scopes[s].add(name, flag, at);
            s = self.scopes[s].parent.unwrap_or(0);
        }
    }
}

fn comp_words(tag: &str) -> &'static str {
    match tag {
        "listcomp" => "list comprehension",
        "setcomp" => "set comprehension",
        "dictcomp" => "dict comprehension",
        _ => "generator expression",
    }
}

/// True for a call `dir()` with no arguments (`sorted(locals())`, see the
/// code generator).
pub fn is_zero_arg_dir(c: &ast::ExprCall) -> bool {
    c.arguments.args.is_empty()
        && c.arguments.keywords.is_empty()
        && matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "dir")
}

/// `super()` with no arguments.
pub fn is_zero_arg_super(c: &ast::ExprCall) -> bool {
    matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "super")
        && c.arguments.args.is_empty()
        && c.arguments.keywords.is_empty()
}

/// Pass 2: resolves names in scope `id`. `bound` holds the names bound by
/// enclosing function scopes (what a free variable may refer to). Returns the
/// names that are free in this scope (for the parent to turn into cells).
fn analyze(
    scopes: &mut [Scope],
    id: ScopeId,
    bound: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let kind = scopes[id].kind;
    let mut free: Vec<String> = Vec::new();
    for s in scopes[id].symbols.iter_mut() {
        s.kind = if s.flags & DEF_GLOBAL != 0 {
            SymKind::GlobalExplicit
        } else if s.flags & DEF_NONLOCAL != 0 {
            if !bound.contains(&s.name) {
                errors.push(Diagnostic::error(
                    format!("no binding for nonlocal '{}' found", s.name),
                    span(s.first),
                ));
            }
            SymKind::Free
        } else if s.flags & BOUND != 0 {
            SymKind::Local
        } else if bound.contains(&s.name) {
            SymKind::Free
        } else {
            SymKind::GlobalImplicit
        };
        if s.kind == SymKind::Free {
            free.push(s.name.clone());
        }
    }
    // What children may close over.
    let mut child_bound: Vec<String> = bound.to_vec();
    match kind {
        ScopeKind::Module => child_bound.clear(),
        ScopeKind::Class => child_bound.push("__class__".into()),
        _ => {
            for s in &scopes[id].symbols {
                if s.kind == SymKind::Local && !child_bound.contains(&s.name) {
                    child_bound.push(s.name.clone());
                }
            }
        }
    }
    // A global declaration hides the outer binding from nested scopes.
    for s in &scopes[id].symbols {
        if s.kind == SymKind::GlobalExplicit {
            child_bound.retain(|n| n != &s.name);
        }
    }
    let children = scopes[id].children.clone();
    for c in children {
        for name in analyze(scopes, c, &child_bound, errors) {
            let scope = &mut scopes[id];
            if kind == ScopeKind::Class && name == "__class__" {
                scope.class_cell = true;
                continue;
            }
            match scope.index.get(&name).map(|&i| scope.symbols[i].kind) {
                Some(SymKind::Local) if kind.is_function() => {
                    let i = scope.index[&name];
                    scope.symbols[i].kind = SymKind::Cell;
                }
                Some(SymKind::Cell) | Some(SymKind::Free) => {}
                // Not ours (or a class-namespace name): pass it through.
                _ => {
                    if kind != ScopeKind::Module && !free.contains(&name) {
                        free.push(name);
                    }
                }
            }
        }
    }
    // Sorted, as CPython's `co_freevars` (the order `locals()` shows).
    free.sort();
    scopes[id].free = free.clone();
    free
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(src: &str) -> ScopeTable {
        let m = ruff_python_parser::parse_module(src).unwrap();
        ScopeTable::build(&m.syntax().body).unwrap()
    }

    fn find<'t>(t: &'t ScopeTable, name: &str) -> &'t Scope {
        t.scopes.iter().find(|s| s.name == name).unwrap()
    }

    fn errors(src: &str) -> Vec<String> {
        let m = ruff_python_parser::parse_module(src).unwrap();
        ScopeTable::build(&m.syntax().body)
            .unwrap_err()
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn module_bindings_are_the_globals_a_module_binds() {
        let t = table(
            "import os.path\nfrom m import a as b\nx = 1\nif x:\n    for i in y: pass\n\
             def f(p):\n    global g\n    g = p\n    local = 2\nclass C:\n    attr = 1\n",
        );
        assert_eq!(t.module_bindings(), ["os", "b", "x", "i", "f", "C", "g"]);
    }

    #[test]
    fn locals_globals_and_builtins() {
        let t = table("x = 1\ndef f(a):\n    b = a + x\n    print(b)\n");
        let f = find(&t, "f");
        assert_eq!(f.kind_of("a"), SymKind::Local);
        assert_eq!(f.kind_of("b"), SymKind::Local);
        assert_eq!(f.kind_of("x"), SymKind::GlobalImplicit);
        assert_eq!(f.kind_of("print"), SymKind::GlobalImplicit);
        assert_eq!(f.slots(), ["a", "b"]);
    }

    #[test]
    fn use_before_assignment_is_still_local() {
        let t = table("def f():\n    print(y)\n    y = 1\n");
        assert_eq!(find(&t, "f").kind_of("y"), SymKind::Local);
    }

    #[test]
    fn closures_make_cells_and_free_variables() {
        let t = table(
            "def outer():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n    def get():\n        return n\n    return inc\n",
        );
        let outer = find(&t, "outer");
        assert_eq!(outer.kind_of("n"), SymKind::Cell);
        assert_eq!(outer.cell_names(), ["n"]);
        assert_eq!(find(&t, "inc").free, ["n"]);
        assert_eq!(find(&t, "get").kind_of("n"), SymKind::Free);
    }

    #[test]
    fn free_variables_pass_through_intermediate_functions() {
        let t = table("def a():\n    x = 1\n    def b():\n        def c():\n            return x\n        return c\n    return b\n");
        assert_eq!(find(&t, "b").free, ["x"]);
        assert_eq!(find(&t, "c").free, ["x"]);
        assert_eq!(find(&t, "a").kind_of("x"), SymKind::Cell);
    }

    #[test]
    fn methods_skip_the_class_scope() {
        let t = table("def f():\n    y = 1\n    class C:\n        y = 2\n        def m(self):\n            return y\n    return C\n");
        assert_eq!(find(&t, "m").kind_of("y"), SymKind::Free);
        assert_eq!(find(&t, "f").kind_of("y"), SymKind::Cell);
        let c = find(&t, "C");
        assert_eq!(c.kind_of("y"), SymKind::Local);
        assert_eq!(c.free, ["y"], "the class passes y through to m");
    }

    #[test]
    fn class_level_names_are_invisible_in_methods() {
        let t = table("class C:\n    k = 1\n    def m(self):\n        return k\n");
        assert_eq!(find(&t, "m").kind_of("k"), SymKind::GlobalImplicit);
    }

    #[test]
    fn zero_arg_super_uses_the_class_cell() {
        let t = table("class C(B):\n    def m(self):\n        return super().m()\n");
        let c = find(&t, "C");
        assert!(c.class_cell);
        assert_eq!(c.slots(), ["__class__"]);
        let m = find(&t, "m");
        assert_eq!(m.kind_of("__class__"), SymKind::Free);
        assert_eq!(m.slots(), ["self", "__class__"]);
    }

    #[test]
    fn walrus_in_comprehension_binds_in_function() {
        let t = table("def f(d):\n    return [y for v in d if (y := v)]\n");
        assert_eq!(find(&t, "f").kind_of("y"), SymKind::Cell);
        let comp = find(&t, "<listcomp>");
        assert_eq!(comp.kind_of("y"), SymKind::Free);
        assert_eq!(comp.kind_of("v"), SymKind::Local);
        assert_eq!(comp.params, [".0"]);
        assert_eq!(
            comp.kind_of("d"),
            SymKind::GlobalImplicit,
            "outer iterable is read outside"
        );
    }

    #[test]
    fn walrus_in_module_comprehension_is_global() {
        let t = table("[y for v in d if (y := v)]\n");
        assert_eq!(find(&t, "<listcomp>").kind_of("y"), SymKind::GlobalExplicit);
    }

    #[test]
    fn global_declarations() {
        let t = table("c = 0\ndef f():\n    global c\n    c += 1\n");
        assert_eq!(find(&t, "f").kind_of("c"), SymKind::GlobalExplicit);
        assert!(find(&t, "f").slots().is_empty());
    }

    #[test]
    fn generators_are_detected() {
        let t = table("def g():\n    yield 1\ndef h():\n    return (x for x in y)\n");
        assert!(find(&t, "g").generator);
        assert!(!find(&t, "h").generator);
        assert!(find(&t, "<genexpr>").generator);
    }

    #[test]
    fn scope_errors_are_located() {
        assert_eq!(
            errors("def f():\n    x = 1\n    global x\n"),
            ["name 'x' is assigned to before global declaration"]
        );
        assert_eq!(
            errors("def f():\n    print(x)\n    global x\n"),
            ["name 'x' is used prior to global declaration"]
        );
        assert_eq!(
            errors("def f():\n    nonlocal q\n"),
            ["no binding for nonlocal 'q' found"]
        );
        assert_eq!(
            errors("nonlocal q\n"),
            ["nonlocal declaration not allowed at module level"]
        );
        assert_eq!(
            errors("def f(a):\n    global a\n"),
            ["name 'a' is parameter and global"]
        );
        assert_eq!(errors("yield 1\n"), ["'yield' outside function"]);
    }
}
