//! Code generation: AST + symbol table → code objects in an image.
//!
//! One [`Unit`] per code object being compiled (the module is code 0; each
//! `def`, `lambda`, comprehension and class body gets its own). Statements
//! are in [`stmt`], expressions in [`expr`]; this file holds the units, name
//! resolution into opcodes, and function/class object creation.
//!
//! Conventions the VM relies on (see `protocol/src/opcode.rs`):
//! * Slots: parameters, then other locals and cells, then free variables
//!   (the order of [`Scope::slots`]); the code's cell table lists the slots
//!   that become cells at entry.
//! * A function is made by `[defaults] [kwdefaults] [closure] code
//!   MAKE_FUNCTION`; the closure tuple holds the parent's cells (via
//!   `LOAD_CLOSURE`) in the order of the child's free variables.
//! * A class is made by `LOAD_BUILD_CLASS; <body fn>; 'Name'; bases…; CALL`.
//!   The body function returns its `__class__` cell when a method uses
//!   zero-argument `super()` (so `__build_class__` can fill it with the new
//!   class, as CPython does with `__classcell__`), and None otherwise.
//! * Zero-argument `super()` compiles to `super(__class__, <first param>)`.

mod expr;
mod native;
mod stmt;

use super::emit::{Asm, AsmError, Label};
use super::scope::{Scope, ScopeId, ScopeKind, ScopeTable, SymKind};
use super::unsupported::Unsupported;
use super::{CodeDebug, Target};
use crate::diag::source::LineIndex;
use crate::diag::Diagnostic;
use p14p_protocol::image::{code_flags, CodeBuilder, ImageBuilder, OwnedConst};
use p14p_protocol::opcode::{make_fn, Op};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::TextRange;
use std::collections::HashMap;

/// A block that an early exit (`return`, `break`, `continue`) must clean up
/// as it leaves (CPython's `fblockinfo`).
#[derive(Debug, Clone, Copy)]
enum FBlockKind<'a> {
    /// `while`: nothing on the stack.
    While { top: Label, exit: Label },
    /// `for`: the iterator is on the stack.
    For { top: Label, exit: Label },
    /// A `try` body with `except` clauses.
    TryExcept,
    /// A `try` body with a `finally`: leaving runs a copy of it.
    Finally { body: &'a [Stmt] },
    /// The `finally` copy run on the exception path: `prev exc` on the stack.
    FinallyEnd,
    /// An `except` body: `prev` on the stack, and the `as` name to clear.
    HandlerCleanup { name: Option<&'a str> },
    /// A `with` body: the bound `__exit__` (`__aexit__`, awaited, for
    /// `async with`) on the stack.
    With { is_async: bool },
}

#[derive(Debug, Clone, Copy)]
struct FBlock<'a> {
    kind: FBlockKind<'a>,
    /// Handler-stack height outside this block: leaving it drops the
    /// handlers it pushed.
    handlers: usize,
}

/// One code object being compiled.
struct Unit<'a> {
    scope: ScopeId,
    asm: Asm,
    fblocks: Vec<FBlock<'a>>,
    slots: HashMap<String, u8>,
}

/// The code generator for one module.
pub(crate) struct Codegen<'a> {
    lines: LineIndex,
    target: &'a Target,
    scopes: &'a ScopeTable,
    img: ImageBuilder,
    /// Debug info per code object, by code index.
    pub debug: Vec<CodeDebug>,
    /// Errors found so far (compilation continues to report more).
    pub errors: Vec<Diagnostic>,
    units: Vec<Unit<'a>>,
    /// Globals bound to a port's native module or function, for the
    /// checks of their calls ([`native`]).
    native: HashMap<String, native::Bound>,
    /// Code for `eval`/`exec` ([`Codegen::dynamic`]): the module's names
    /// by name; `Some(true)`: its one expression's value returned.
    dynamic: Option<bool>,
}

/// What a code object's body is.
enum Body<'a> {
    Module(&'a [Stmt]),
    Function(&'a [Stmt]),
    Lambda(&'a Expr),
    Class(&'a [Stmt]),
    Comprehension(expr::Comp<'a>),
}

pub(crate) fn span(r: TextRange) -> std::ops::Range<usize> {
    r.start().to_usize()..r.end().to_usize()
}

impl<'a> Codegen<'a> {
    /// A code generator for `source` with resolved `scopes`.
    pub fn new(source: &'a str, target: &'a Target, scopes: &'a ScopeTable) -> Self {
        Codegen {
            lines: LineIndex::new(source),
            target,
            scopes,
            img: ImageBuilder::new(),
            debug: Vec::new(),
            errors: Vec::new(),
            units: Vec::new(),
            native: HashMap::new(),
            dynamic: None,
        }
    }

    /// Compiles for `eval` (`eval`: the body is one expression statement,
    /// whose value the code returns) or `exec`: the module's names by
    /// name, in the namespace the device runs the code in.
    pub fn dynamic(mut self, eval: bool) -> Self {
        self.dynamic = Some(eval);
        self
    }

    /// Compiles the module body as code 0 and returns the image bytes.
    pub fn module(
        mut self,
        body: &'a [Stmt],
    ) -> Result<(Vec<u8>, Vec<CodeDebug>), Vec<Diagnostic>> {
        self.code_object(0, Body::Module(body), TextRange::default());
        if !self.errors.is_empty() {
            let mut e = self.errors;
            e.sort_by_key(|d| d.span.start);
            return Err(e);
        }
        match self.img.finish() {
            Ok(bytes) => Ok((bytes, self.debug)),
            Err(e) => Err(vec![Diagnostic::error(
                format!("the program does not fit an image: {e:?}"),
                0..0,
            )]),
        }
    }

    // ---- plumbing ----------------------------------------------------

    fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("no code unit")
    }

    fn scope(&self) -> &'a Scope {
        let scopes: &'a ScopeTable = self.scopes;
        &scopes.scopes[self.units.last().expect("no code unit").scope]
    }

    fn asm(&mut self) -> &mut Asm {
        &mut self.unit().asm
    }

    fn emit(&mut self, op: Op, arg: u16) {
        self.asm().emit(op, arg);
    }

    fn jump(&mut self, op: Op, l: Label) {
        self.asm().emit_jump(op, l);
    }

    fn label(&mut self) -> Label {
        self.asm().label()
    }

    fn bind(&mut self, l: Label) {
        self.asm().bind(l);
    }

    fn depth(&mut self) -> u16 {
        self.asm().depth()
    }

    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    fn unsupported(&mut self, what: Unsupported, at: TextRange) {
        self.errors.push(what.at(at));
    }

    /// Attributes the following instructions to the line of `at`.
    fn set_line(&mut self, at: TextRange) {
        let line = self.lines.line(at.start().to_usize()) as u32;
        self.asm().line = line;
    }

    fn name_index(&mut self, name: &str) -> u16 {
        if name.len() > 255 {
            self.errors.push(Diagnostic::error(
                format!("name longer than 255 bytes: {}…", &name[..32]),
                0..0,
            ));
        }
        self.img.name(name)
    }

    fn load_const(&mut self, c: OwnedConst) {
        let i = self.img.constant(c);
        self.emit(Op::LOAD_CONST, i);
    }

    fn load_str(&mut self, s: &str) {
        self.load_const(OwnedConst::Str(s.into()));
    }

    fn load_int(&mut self, v: i64) {
        match p14p_protocol::opcode::load_int_operand(v) {
            Some(arg) => self.emit(Op::LOAD_INT, arg),
            None => self.load_const(OwnedConst::Int(v)),
        }
    }

    /// A tuple constant of strings (keyword names for `CALL_KW`).
    fn names_tuple(&mut self, names: &[&str]) -> u16 {
        let items = names
            .iter()
            .map(|n| self.img.constant(OwnedConst::Str((*n).into())))
            .collect();
        self.img.constant(OwnedConst::Tuple(items))
    }

    fn slot(&mut self, name: &str) -> u16 {
        match self.unit().slots.get(name) {
            Some(&s) => s as u16,
            None => {
                // The symbol table promised a slot; a miss is a compiler bug,
                // reported rather than panicking.
                self.errors.push(Diagnostic::error(
                    format!("internal compiler error: no slot for '{name}'"),
                    0..0,
                ));
                0
            }
        }
    }

    // ---- names -------------------------------------------------------

    /// Emits the load/store/delete of `name` for the current scope: `ops`
    /// is the (namespace, fast, deref, global) family of the operation.
    fn name_op(&mut self, name: &str, ops: [Op; 4]) {
        let [by_name, fast, deref, global] = ops;
        let scope = self.scope();
        let kind = scope.kind_of(name);
        let op = match (scope.kind, kind) {
            (ScopeKind::Module, SymKind::Local | SymKind::GlobalImplicit)
                if self.dynamic.is_some() =>
            {
                by_name
            }
            (ScopeKind::Module, _) => global,
            (ScopeKind::Class, SymKind::Local | SymKind::GlobalImplicit) => by_name,
            (_, SymKind::Local) => fast,
            (_, SymKind::Cell | SymKind::Free) => deref,
            (_, SymKind::GlobalExplicit | SymKind::GlobalImplicit) => global,
        };
        let arg = if op == fast || op == deref {
            self.slot(name)
        } else {
            self.name_index(name)
        };
        self.emit(op, arg);
    }

    fn load_name(&mut self, name: &str) {
        // The builtin `Ellipsis` is the constant `...`: the device has no
        // builtin of that name.
        if name == "Ellipsis" && self.scopes.never_bound(name) {
            self.load_const(OwnedConst::Ellipsis);
            return;
        }
        // `complex` and `memoryview` are classes of carried modules.
        if let Some(module) = crate::library::builtin_class(name, self.target) {
            let here = self.unit().scope;
            if self.scopes.is_builtin(here, name) {
                self.load_builtin_class(module, name);
                return;
            }
        }
        self.name_op(
            name,
            [
                Op::LOAD_NAME,
                Op::LOAD_FAST,
                Op::LOAD_DEREF,
                Op::LOAD_GLOBAL,
            ],
        );
    }

    /// Loads builtin class `name` from carried module `module`
    /// ([`crate::library::BUILTIN_CLASSES`]): `IMPORT_NAME module;
    /// LOAD_ATTR name` (after the first, the import is a registry lookup).
    fn load_builtin_class(&mut self, module: &str, name: &str) {
        let m = self.name_index(module);
        self.emit(Op::IMPORT_NAME, m);
        let n = self.name_index(name);
        self.emit(Op::LOAD_ATTR, n);
    }

    fn store_name(&mut self, name: &str) {
        self.forget_native(name);
        self.name_op(
            name,
            [
                Op::STORE_NAME,
                Op::STORE_FAST,
                Op::STORE_DEREF,
                Op::STORE_GLOBAL,
            ],
        );
    }

    fn delete_name(&mut self, name: &str) {
        self.name_op(
            name,
            [
                Op::DELETE_NAME,
                Op::DELETE_FAST,
                Op::DELETE_DEREF,
                Op::DELETE_GLOBAL,
            ],
        );
    }

    // ---- code objects ------------------------------------------------

    /// Compiles one code object into image slot `index` (reserved by the
    /// caller).
    fn code_object(&mut self, scope: ScopeId, body: Body<'a>, node: TextRange) -> u16 {
        let index = self.img.reserve_code();
        let sc: &'a Scope = &self.scopes.scopes[scope];
        let slot_list = sc.slots();
        if slot_list.len() > 255 {
            self.unsupported(Unsupported::TooManySlots, node);
        }
        let slots = slot_list
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i.min(255) as u8))
            .collect();
        self.units.push(Unit {
            scope,
            asm: Asm::new(),
            fblocks: Vec::new(),
            slots,
        });
        if node != TextRange::default() {
            self.set_line(node);
        } else {
            self.asm().line = 1;
        }
        let mut flags = 0;
        match body {
            Body::Module(stmts) => {
                flags |= code_flags::MODULE;
                match (self.dynamic, stmts) {
                    (Some(true), [Stmt::Expr(e)]) => self.expr(&e.value),
                    _ => {
                        self.stmts(stmts);
                        self.emit(Op::LOAD_NONE, 0);
                    }
                }
                self.emit(Op::RETURN_VALUE, 0);
            }
            Body::Function(stmts) => {
                self.stmts(skip_docstring(stmts));
                if self.asm().reachable() {
                    self.emit(Op::LOAD_NONE, 0);
                    self.emit(Op::RETURN_VALUE, 0);
                }
            }
            Body::Lambda(e) => {
                flags |= code_flags::LAMBDA;
                self.expr(e);
                self.emit(Op::RETURN_VALUE, 0);
            }
            Body::Class(stmts) => {
                flags |= code_flags::CLASS_BODY;
                self.stmts(skip_docstring(stmts));
                if self.asm().reachable() {
                    if sc.class_cell {
                        let s = self.slot("__class__");
                        self.emit(Op::LOAD_CLOSURE, s);
                    } else {
                        self.emit(Op::LOAD_NONE, 0);
                    }
                    self.emit(Op::RETURN_VALUE, 0);
                }
            }
            Body::Comprehension(c) => {
                flags |= code_flags::COMPREHENSION;
                self.comprehension_body(c);
            }
        }
        if sc.generator {
            flags |= code_flags::GENERATOR;
        }
        if sc.varargs {
            flags |= code_flags::VARARGS;
        }
        if sc.varkw {
            flags |= code_flags::VARKW;
        }
        let unit = self.units.pop().expect("unit");
        let asm = match unit.asm.finish() {
            Ok(a) => a,
            Err(AsmError::TooLong) => {
                self.error(Diagnostic::error(
                    format!("`{}` compiles to more than 64 KiB of bytecode", sc.name),
                    span(node),
                ));
                return index;
            }
            Err(AsmError::BadOperand(op)) => {
                self.error(
                    Diagnostic::error(
                        format!("`{}` needs an operand too large for {op}", sc.name),
                        span(node),
                    )
                    .with_help("split large literals, calls or nested comprehensions"),
                );
                return index;
            }
        };
        // Only the parameters' names enter the image (keyword binding,
        // argument errors); the others stay host debug info.
        let params = usize::from(sc.argcount)
            + usize::from(sc.kwonly)
            + usize::from(flags & code_flags::VARARGS != 0)
            + usize::from(flags & code_flags::VARKW != 0);
        let params = params.min(slot_list.len());
        let slot_names = slot_list[..params]
            .iter()
            .map(|n| self.name_index(n))
            .collect();
        let unnamed_slots = (slot_list.len() - params).min(255) as u8;
        let cells = sc
            .cell_names()
            .iter()
            .filter_map(|n| slot_list.iter().position(|s| s == n))
            .map(|i| i as u8)
            .collect();
        // The module body is never a function, so the device never shows
        // its name (`<module>` is the host's, in the debug info): it names
        // itself with any name the image has, and adds none.
        let name = if sc.kind == ScopeKind::Module && !self.img.names().is_empty() {
            0
        } else {
            self.name_index(&sc.name)
        };
        self.img.set_code(
            index,
            CodeBuilder {
                flags,
                argcount: sc.argcount,
                posonly: sc.posonly,
                kwonly: sc.kwonly,
                slot_names,
                unnamed_slots,
                cells,
                nfree: sc.free.len().min(255) as u8,
                max_stack: asm.max_stack,
                name,
                code: asm.code,
                handlers: asm.handlers,
            },
        );
        let i = index as usize;
        if self.debug.len() <= i {
            self.debug.resize(i + 1, CodeDebug::default());
        }
        self.debug[i] = CodeDebug {
            name: sc.name.clone(),
            lines: asm.lines,
            slots: slot_list.clone(),
        };
        index
    }

    /// Emits the closure tuple for child scope `child` (if it has free
    /// variables) and `MAKE_FUNCTION` for code `code`; returns nothing, the
    /// function is on the stack. `flags` says which of defaults/kwdefaults
    /// the caller already pushed.
    fn make_function(&mut self, child: ScopeId, code: u16, mut flags: u8) {
        let free = &self.scopes.scopes[child].free;
        if !free.is_empty() {
            for n in free {
                let s = self.slot(n);
                self.emit(Op::LOAD_CLOSURE, s);
            }
            self.emit(Op::BUILD_TUPLE, free.len() as u16);
            flags |= make_fn::CLOSURE;
        }
        // Code indices past make_fn::CODE are refused when the image is
        // built (`ImageBuilder::finish`).
        let arg = make_fn::operand(code, flags).unwrap_or(make_fn::CODE);
        self.emit(Op::MAKE_FUNCTION, arg);
    }

    /// Pushes the defaults tuple and kw-defaults dict of `params`; returns
    /// the `MAKE_FUNCTION` flags for them.
    fn defaults(&mut self, params: &'a ast::Parameters) -> u8 {
        let mut flags = 0;
        let positional: Vec<&Expr> = params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .filter_map(|p| p.default.as_deref())
            .collect();
        if !positional.is_empty() {
            for d in &positional {
                self.expr(d);
            }
            self.emit(Op::BUILD_TUPLE, positional.len() as u16);
            flags |= make_fn::DEFAULTS;
        }
        let kw: Vec<(&str, &Expr)> = params
            .kwonlyargs
            .iter()
            .filter_map(|p| p.default.as_deref().map(|d| (p.name().as_str(), d)))
            .collect();
        if !kw.is_empty() {
            for (n, d) in &kw {
                self.load_str(n);
                self.expr(d);
            }
            self.emit(Op::BUILD_MAP, kw.len() as u16);
            flags |= make_fn::KWDEFAULTS;
        }
        flags
    }

    fn scope_of(&mut self, node: TextRange) -> Option<ScopeId> {
        let s = self.scopes.for_node(node);
        if s.is_none() {
            self.error(Diagnostic::error(
                "internal compiler error: no scope for this node",
                span(node),
            ));
        }
        s
    }

    /// `def`: decorators, defaults, the body, then `MAKE_FUNCTION`, the
    /// decorator calls and the store.
    fn function_def(&mut self, f: &'a ast::StmtFunctionDef) {
        // An `async def` is a generator function (the scope table says so):
        // its coroutine is a generator that `asyncio` drives.
        if let Some(tp) = &f.type_params {
            self.unsupported(Unsupported::TypeAlias, tp.range);
            return;
        }
        for d in &f.decorator_list {
            self.expr(&d.expression);
        }
        let Some(child) = self.scope_of(f.range) else {
            return;
        };
        let flags = self.defaults(&f.parameters);
        let code = self.code_object(child, Body::Function(&f.body), f.range);
        self.set_line(f.range);
        self.make_function(child, code, flags);
        for _ in &f.decorator_list {
            self.emit(Op::CALL, 1);
        }
        self.store_name(&f.name);
    }

    /// `lambda`: like `def` without decorators or a name.
    fn lambda(&mut self, l: &'a ast::ExprLambda) {
        let Some(child) = self.scope_of(l.range) else {
            return;
        };
        let flags = match &l.parameters {
            Some(p) => self.defaults(p),
            None => 0,
        };
        let code = self.code_object(child, Body::Lambda(&l.body), l.range);
        self.make_function(child, code, flags);
    }

    /// `class`: `__build_class__(body_fn, name, *bases)`, decorated, stored.
    fn class_def(&mut self, c: &'a ast::StmtClassDef) {
        if let Some(tp) = &c.type_params {
            self.unsupported(Unsupported::TypeAlias, tp.range);
            return;
        }
        for d in &c.decorator_list {
            self.expr(&d.expression);
        }
        let Some(child) = self.scope_of(c.range) else {
            return;
        };
        self.emit(Op::LOAD_BUILD_CLASS, 0);
        let code = self.code_object(child, Body::Class(&c.body), c.range);
        self.set_line(c.range);
        self.make_function(child, code, 0);
        self.load_str(&c.name);
        let mut n = 2;
        let mut starred = false;
        if let Some(args) = &c.arguments {
            if let Some(k) = args.keywords.first() {
                self.unsupported(Unsupported::ClassKeywords, k.range);
            }
            starred = args.args.iter().any(|a| matches!(a, Expr::Starred(_)));
            if starred {
                // (build_class fn name) + *bases: gather everything in a tuple.
                self.emit(Op::BUILD_LIST, 2);
                for a in args.args.iter() {
                    if let Expr::Starred(s) = a {
                        self.expr(&s.value);
                        self.emit(Op::LIST_EXTEND, 1);
                    } else {
                        self.expr(a);
                        self.emit(Op::LIST_APPEND, 1);
                    }
                }
                self.emit(Op::LIST_TO_TUPLE, 0);
                self.emit(Op::CALL_EX, 0);
            } else {
                for a in args.args.iter() {
                    self.expr(a);
                    n += 1;
                }
            }
        }
        if !starred {
            self.emit(Op::CALL, n);
        }
        for _ in &c.decorator_list {
            self.emit(Op::CALL, 1);
        }
        self.store_name(&c.name);
    }

    // ---- early exits -------------------------------------------------

    fn push_fblock(&mut self, kind: FBlockKind<'a>, handlers: usize) {
        self.unit().fblocks.push(FBlock { kind, handlers });
    }

    fn pop_fblock(&mut self) {
        self.unit().fblocks.pop();
    }

    fn handler_height(&mut self) -> usize {
        self.asm().handler_stack().len()
    }

    /// Emits the cleanup of leaving `b` early. With `preserve_tos`, a value
    /// (the return value) sits on top and must stay there.
    fn unwind_block(&mut self, b: FBlock<'a>, preserve_tos: bool) {
        let mut hs = self.asm().handler_stack();
        hs.truncate(b.handlers);
        self.asm().set_handler_stack(hs);
        match b.kind {
            FBlockKind::While { .. } | FBlockKind::TryExcept => {}
            FBlockKind::For { .. } => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_TOP, 0);
            }
            FBlockKind::Finally { body } => self.stmts(body),
            FBlockKind::FinallyEnd => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                    self.emit(Op::POP_TOP, 0);
                    self.emit(Op::SWAP, 2);
                } else {
                    self.emit(Op::POP_TOP, 0);
                }
                self.emit(Op::POP_EXCEPT, 0);
            }
            FBlockKind::HandlerCleanup { name } => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_EXCEPT, 0);
                if let Some(n) = name {
                    self.clear_name(n);
                }
            }
            FBlockKind::With { is_async } => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.call_exit_with_nones(is_async);
            }
        }
    }

    /// `exit(None, None, None)` (awaited for `async with`) and drop its
    /// result: `(exit -- )`.
    fn call_exit_with_nones(&mut self, is_async: bool) {
        self.emit(Op::LOAD_NONE, 0);
        self.emit(Op::LOAD_NONE, 0);
        self.emit(Op::LOAD_NONE, 0);
        self.emit(Op::CALL, 3);
        if is_async {
            self.await_top();
        }
        self.emit(Op::POP_TOP, 0);
    }

    /// `name = None; del name` (the `except … as name` cleanup).
    fn clear_name(&mut self, name: &str) {
        self.emit(Op::LOAD_NONE, 0);
        self.store_name(name);
        self.delete_name(name);
    }

    /// Unwinds blocks from the innermost outwards. With `to_loop`, stops at
    /// (and returns) the innermost loop; otherwise unwinds everything.
    /// Returns the saved state for [`Codegen::restore`], which the caller
    /// calls after emitting its jump or return.
    fn unwind(
        &mut self,
        preserve_tos: bool,
        to_loop: bool,
    ) -> (Vec<FBlock<'a>>, Vec<(Label, u16)>, Option<FBlock<'a>>) {
        let saved_blocks = self.unit().fblocks.clone();
        let saved_handlers = self.asm().handler_stack();
        let mut found = None;
        while let Some(&b) = self.unit().fblocks.last() {
            if to_loop && matches!(b.kind, FBlockKind::While { .. } | FBlockKind::For { .. }) {
                found = Some(b);
                break;
            }
            self.unit().fblocks.pop();
            self.unwind_block(b, preserve_tos);
        }
        (saved_blocks, saved_handlers, found)
    }

    fn restore(&mut self, saved: (Vec<FBlock<'a>>, Vec<(Label, u16)>)) {
        self.unit().fblocks = saved.0;
        self.asm().set_handler_stack(saved.1);
    }
}

/// A leading string literal statement is a docstring: not compiled (the
/// device has no use for it).
fn skip_docstring(body: &[Stmt]) -> &[Stmt] {
    match body.first() {
        Some(Stmt::Expr(e)) if matches!(&*e.value, Expr::StringLiteral(_)) => &body[1..],
        _ => body,
    }
}
