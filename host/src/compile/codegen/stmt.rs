//! Statements: assignments, control flow, exceptions, `with`, imports.
//!
//! The exception schemes mirror CPython 3.11 (`dis` of the same source),
//! with our handler table instead of `SETUP_*` pseudo-instructions. `d` is
//! the stack depth at the statement:
//!
//! ```text
//! try/except              handler H (depth d) covers the body
//!   body; else; JUMP end
//! H:    [exc]           PUSH_EXC_INFO → [prev exc]; handler C (depth d+1)
//!       <type> CHECK_EXC_MATCH POP_JUMP_IF_FALSE next
//!       STORE e → [prev]; handler Ce (depth d+1) covers the body
//!       body; POP_EXCEPT; e = None; del e; JUMP end
//! Ce:   e = None; del e; RERAISE
//! next: … RERAISE        (no clause matched; C catches it)
//! C:    [prev exc2]     SWAP 2; POP_EXCEPT; RERAISE
//! ```
//!
//! `finally` bodies are duplicated: once on the normal path, once on the
//! exception path (`PUSH_EXC_INFO … SWAP 2; POP_EXCEPT; RERAISE`), and once
//! per `return`/`break`/`continue` that leaves through them (see
//! [`Codegen::unwind`]).

use super::{span, Codegen, FBlockKind};
use crate::compile::unsupported::Unsupported;
use crate::diag::Diagnostic;
use p14p_protocol::opcode::{BinOp, Op};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

impl<'a> Codegen<'a> {
    pub(super) fn stmts(&mut self, body: &'a [Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &'a Stmt) {
        let (errors, depth) = (self.errors.len(), self.depth());
        self.stmt_inner(s);
        if self.errors.len() > errors && self.asm().reachable() {
            self.asm().set_depth(depth);
        }
    }

    fn stmt_inner(&mut self, s: &'a Stmt) {
        self.set_line(s.range());
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Return(r) => self.return_stmt(r),
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete_target(t);
                }
            }
            Stmt::TypeAlias(t) => self.unsupported(Unsupported::TypeAlias, t.range),
            Stmt::Assign(a) => {
                self.expr(&a.value);
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.emit(Op::COPY, 1);
                    }
                    self.store_target(t);
                }
            }
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => {
                // Annotations are not evaluated on the device.
                if let Some(v) = &a.value {
                    self.expr(v);
                    self.store_target(&a.target);
                }
            }
            Stmt::For(f) => self.for_stmt(f),
            Stmt::While(w) => self.while_stmt(w),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::With(w) => self.with_items(&w.items, &w.body, w.is_async),
            Stmt::Match(m) => self.unsupported(Unsupported::Match, m.range),
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e);
                    n = 1;
                    if let Some(c) = &r.cause {
                        self.expr(c);
                        n = 2;
                    }
                }
                self.emit(Op::RAISE_VARARGS, n);
            }
            Stmt::Try(t) => {
                if t.is_star {
                    self.unsupported(Unsupported::TryStar, t.range);
                } else if t.finalbody.is_empty() {
                    self.try_except(t);
                } else {
                    self.try_finally(t);
                }
            }
            Stmt::Assert(a) => {
                let end = self.label();
                self.jump_if(&a.test, true, end);
                self.emit(Op::LOAD_ASSERTION_ERROR, 0);
                if let Some(m) = &a.msg {
                    self.expr(m);
                    self.emit(Op::CALL, 1);
                }
                self.emit(Op::RAISE_VARARGS, 1);
                self.bind(end);
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    // `import a.b` binds `a`; `import a.b as m` binds the
                    // submodule.
                    self.import_packages(&a.name);
                    let (module, alias) = match &a.asname {
                        Some(alias) => (a.name.as_str(), alias.as_str()),
                        None => {
                            let top = a.name.split('.').next().unwrap_or(&a.name);
                            (top, top)
                        }
                    };
                    let n = self.name_index(module);
                    self.emit(Op::IMPORT_NAME, n);
                    self.store_name(alias);
                    self.bind_import(module, alias);
                }
            }
            Stmt::ImportFrom(i) => self.import_from(i),
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => {}
            Stmt::Expr(e) => self.expr_stmt(&e.value),
            Stmt::Break(b) => self.break_continue(true, b.range),
            Stmt::Continue(c) => self.break_continue(false, c.range),
            Stmt::IpyEscapeCommand(c) => self.error(Diagnostic::error(
                "IPython escape commands are not Python",
                span(c.range),
            )),
        }
    }

    fn expr_stmt(&mut self, e: &'a Expr) {
        let repl = self.target.repl && self.units.len() == 1;
        let constant = matches!(
            e,
            Expr::StringLiteral(_)
                | Expr::NumberLiteral(_)
                | Expr::EllipsisLiteral(_)
                | Expr::NoneLiteral(_)
                | Expr::BooleanLiteral(_)
                | Expr::BytesLiteral(_)
        );
        if constant && !repl {
            // A docstring or `...`: nothing to run. Still checked (floats).
            if let Expr::NumberLiteral(n) = e {
                self.check_number(n);
            }
            return;
        }
        self.expr(e);
        self.emit(if repl { Op::PRINT_EXPR } else { Op::POP_TOP }, 0);
    }

    /// Imports each package of dotted module `name` from the top down and
    /// binds each submodule as an attribute of its package (`a.b` is
    /// module `a.b`, set as `b` on module `a`): `IMPORT_NAME a; IMPORT_NAME
    /// a.b; SWAP 2; STORE_ATTR b` per dot, nothing for a plain name. The
    /// device's registry runs each body once; a repeated `IMPORT_NAME` is a
    /// dict lookup.
    fn import_packages(&mut self, name: &str) {
        for (i, _) in name.match_indices('.') {
            let package = self.name_index(&name[..i]);
            self.emit(Op::IMPORT_NAME, package);
            let end = name[i + 1..].find('.').map_or(name.len(), |j| i + 1 + j);
            let module = self.name_index(&name[..end]);
            self.emit(Op::IMPORT_NAME, module);
            self.emit(Op::SWAP, 2);
            let attr = self.name_index(&name[i + 1..end]);
            self.emit(Op::STORE_ATTR, attr);
        }
    }

    fn import_from(&mut self, i: &'a ast::StmtImportFrom) {
        // `packages::absolute` made every relative import absolute.
        let Some(module) = i.module.as_ref().filter(|_| i.level == 0) else {
            return;
        };
        self.import_packages(module);
        // `from a import b` of a submodule the host sees imports `a.b`
        // first, so that `b` is an attribute of `a` when it is read.
        for a in &i.names {
            if crate::compile::packages::is_submodule(self.target, module, &a.name) {
                self.import_packages(&format!("{module}.{}", a.name));
            }
        }
        // A native module's functions are known from the handshake.
        let natives = &self.target.natives;
        if let Some((_, funcs)) = natives.iter().find(|(m, _)| m == module.as_str()) {
            for a in &i.names {
                if !funcs.iter().any(|f| f == a.name.as_str()) {
                    self.error(
                        Diagnostic::error(
                            format!(
                                "module '{}' has no '{}' on this device",
                                module.as_str(),
                                a.name.as_str()
                            ),
                            span(a.range),
                        )
                        .with_help(format!("it provides: {}", funcs.join(", "))),
                    );
                }
            }
        }
        let m = self.name_index(module);
        self.emit(Op::IMPORT_NAME, m);
        for a in &i.names {
            let n = self.name_index(&a.name);
            self.emit(Op::IMPORT_FROM, n);
            self.store_name(a.asname.as_ref().unwrap_or(&a.name));
            self.bind_from(module, a);
        }
        self.emit(Op::POP_TOP, 0);
    }

    fn return_stmt(&mut self, r: &'a ast::StmtReturn) {
        if !self.scope().kind.is_function() {
            self.error(Diagnostic::error(
                "'return' outside function",
                span(r.range),
            ));
            return;
        }
        match &r.value {
            Some(v) => self.expr(v),
            None => self.emit(Op::LOAD_NONE, 0),
        }
        let (blocks, handlers, _) = self.unwind(true, false);
        self.emit(Op::RETURN_VALUE, 0);
        self.restore((blocks, handlers));
    }

    fn break_continue(&mut self, is_break: bool, at: ruff_text_size::TextRange) {
        let (blocks, handlers, found) = self.unwind(false, true);
        match found.map(|b| b.kind) {
            Some(FBlockKind::While { top, exit }) => {
                self.jump(Op::JUMP, if is_break { exit } else { top });
            }
            Some(FBlockKind::For { top, exit }) => {
                if is_break {
                    self.emit(Op::POP_TOP, 0);
                    self.jump(Op::JUMP, exit);
                } else {
                    self.jump(Op::JUMP, top);
                }
            }
            _ => {
                let word = if is_break { "break" } else { "continue" };
                self.error(Diagnostic::error(
                    format!("'{word}' outside loop"),
                    span(at),
                ));
            }
        }
        self.restore((blocks, handlers));
    }

    fn if_stmt(&mut self, i: &'a ast::StmtIf) {
        let end = self.label();
        let mut next = self.label();
        self.jump_if(&i.test, false, next);
        self.stmts(&i.body);
        for clause in &i.elif_else_clauses {
            self.jump(Op::JUMP, end);
            self.bind(next);
            next = self.label();
            self.set_line(clause.range);
            if let Some(t) = &clause.test {
                self.jump_if(t, false, next);
            }
            self.stmts(&clause.body);
        }
        self.bind(next);
        self.bind(end);
    }

    fn while_stmt(&mut self, w: &'a ast::StmtWhile) {
        let top = self.label();
        let orelse = self.label();
        let exit = self.label();
        self.bind(top);
        self.jump_if(&w.test, false, orelse);
        let h = self.handler_height();
        self.push_fblock(FBlockKind::While { top, exit }, h);
        self.stmts(&w.body);
        self.pop_fblock();
        self.jump(Op::JUMP, top);
        self.bind(orelse);
        self.stmts(&w.orelse);
        self.bind(exit);
    }

    fn for_stmt(&mut self, f: &'a ast::StmtFor) {
        if f.is_async {
            self.async_for(f);
            return;
        }
        let top = self.label();
        let orelse = self.label();
        let exit = self.label();
        self.expr(&f.iter);
        self.emit(Op::GET_ITER, 0);
        self.bind(top);
        self.jump(Op::FOR_ITER, orelse);
        let h = self.handler_height();
        self.push_fblock(FBlockKind::For { top, exit }, h);
        self.store_target(&f.target);
        self.stmts(&f.body);
        self.pop_fblock();
        self.set_line(f.range);
        self.jump(Op::JUMP, top);
        self.bind(orelse);
        self.stmts(&f.orelse);
        self.bind(exit);
    }

    /// `async for t in x: body else: orelse` (in a coroutine): the loop
    /// of CPython's `async for` in opcodes that exist already.
    ///
    /// ```text
    ///       x; LOAD_METHOD __aiter__; CALL_METHOD 0      [ait]
    /// top:  (handler h) COPY 1; LOAD_METHOD __anext__; CALL_METHOD 0
    ///       await                                         [ait v]
    ///       t = v; body; JUMP top
    /// h:    [ait exc] PUSH_EXC_INFO; StopAsyncIteration; CHECK_EXC_MATCH
    ///       POP_JUMP_IF_FALSE reraise; POP_TOP; POP_EXCEPT; POP_TOP
    ///       orelse                                        []
    /// ```
    ///
    /// The async iterator stays on the stack as a `for`'s iterator does, so
    /// `break`, `continue` and `return` unwind it with the `For` block. The
    /// handler covers only the awaited `__anext__()`: a StopAsyncIteration
    /// raised by the body propagates, as in CPython.
    fn async_for(&mut self, f: &'a ast::StmtFor) {
        let top = self.label();
        let handler = self.label();
        let exit = self.label();
        let d = self.depth();
        self.expr(&f.iter);
        let aiter = self.name_index("__aiter__");
        self.emit(Op::LOAD_METHOD, aiter);
        self.emit(Op::CALL_METHOD, 0);
        self.bind(top);
        self.asm().push_handler(handler, d + 1);
        self.emit(Op::COPY, 1);
        let anext = self.name_index("__anext__");
        self.emit(Op::LOAD_METHOD, anext);
        self.emit(Op::CALL_METHOD, 0);
        self.await_top();
        self.asm().pop_handler();
        let h = self.handler_height();
        self.push_fblock(FBlockKind::For { top, exit }, h);
        self.store_target(&f.target);
        self.stmts(&f.body);
        self.pop_fblock();
        self.set_line(f.range);
        self.jump(Op::JUMP, top);

        // [ait exc]
        self.bind(handler);
        self.emit(Op::PUSH_EXC_INFO, 0); // [ait prev exc]
        let cleanup = self.label();
        let reraise = self.label();
        self.asm().push_handler(cleanup, d + 2);
        let stop = self.name_index("StopAsyncIteration");
        self.emit(Op::LOAD_GLOBAL, stop);
        self.emit(Op::CHECK_EXC_MATCH, 0);
        self.jump(Op::POP_JUMP_IF_FALSE, reraise);
        self.emit(Op::POP_TOP, 0); // [ait prev]
        self.asm().pop_handler();
        self.emit(Op::POP_EXCEPT, 0); // [ait]
        self.emit(Op::POP_TOP, 0);
        self.stmts(&f.orelse);
        self.jump(Op::JUMP, exit);
        self.asm().push_handler(cleanup, d + 2);
        self.bind(reraise); // [ait prev exc]
        self.emit(Op::RERAISE, 0);
        self.asm().pop_handler();
        // [ait prev exc2]
        self.bind(cleanup);
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::RERAISE, 0);
        self.bind(exit);
    }

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) {
        let op = super::expr::bin_op(a.op) as u16 | BinOp::INPLACE as u16;
        match &*a.target {
            Expr::Name(n) => {
                self.load_name(&n.id);
                self.expr(&a.value);
                self.emit(Op::BINARY_OP, op);
                self.store_name(&n.id);
            }
            Expr::Attribute(at) => {
                // obj; COPY 1; LOAD_ATTR; v; op; SWAP 2; STORE_ATTR
                self.expr(&at.value);
                self.emit(Op::COPY, 1);
                let name = self.name_index(&at.attr);
                self.emit(Op::LOAD_ATTR, name);
                self.expr(&a.value);
                self.emit(Op::BINARY_OP, op);
                self.emit(Op::SWAP, 2);
                self.emit(Op::STORE_ATTR, name);
            }
            Expr::Subscript(sub) => {
                // c k; COPY 2; COPY 2; BINARY_SUBSCR; v; op; SWAP 3; SWAP 2; STORE_SUBSCR
                self.expr(&sub.value);
                self.subscript_key(&sub.slice);
                self.emit(Op::COPY, 2);
                self.emit(Op::COPY, 2);
                self.emit(Op::BINARY_SUBSCR, 0);
                self.expr(&a.value);
                self.emit(Op::BINARY_OP, op);
                self.emit(Op::SWAP, 3);
                self.emit(Op::SWAP, 2);
                self.emit(Op::STORE_SUBSCR, 0);
            }
            other => self.error(Diagnostic::error(
                "invalid augmented assignment target",
                span(other.range()),
            )),
        }
    }

    /// Stores the value on top of the stack into `t`.
    pub(super) fn store_target(&mut self, t: &'a Expr) {
        match t {
            Expr::Name(n) => self.store_name(&n.id),
            Expr::Attribute(a) => {
                self.expr(&a.value);
                let n = self.name_index(&a.attr);
                self.emit(Op::STORE_ATTR, n);
            }
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.subscript_key(&s.slice);
                self.emit(Op::STORE_SUBSCR, 0);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                self.unpack(elts, t);
            }
            Expr::Starred(s) => self.error(Diagnostic::error(
                "starred assignment target must be in a list or tuple",
                span(s.range),
            )),
            other => self.error(Diagnostic::error(
                "cannot assign to this expression",
                span(other.range()),
            )),
        }
    }

    fn unpack(&mut self, elts: &'a [Expr], whole: &'a Expr) {
        let star = elts.iter().position(|e| matches!(e, Expr::Starred(_)));
        match star {
            None => {
                if elts.len() > 255 {
                    self.unsupported(Unsupported::TooManySlots, whole.range());
                    return;
                }
                self.emit(Op::UNPACK_SEQUENCE, elts.len() as u16);
            }
            Some(i) => {
                if elts
                    .iter()
                    .filter(|e| matches!(e, Expr::Starred(_)))
                    .count()
                    > 1
                {
                    self.error(Diagnostic::error(
                        "multiple starred expressions in assignment",
                        span(whole.range()),
                    ));
                    return;
                }
                let after = elts.len() - i - 1;
                if i > 255 || after > 255 {
                    self.unsupported(Unsupported::TooManySlots, whole.range());
                    return;
                }
                self.emit(Op::UNPACK_EX, (i | (after << 8)) as u16);
            }
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.store_target(&s.value),
                other => self.store_target(other),
            }
        }
    }

    fn delete_target(&mut self, t: &'a Expr) {
        match t {
            Expr::Name(n) => self.delete_name(&n.id),
            Expr::Attribute(a) => {
                self.expr(&a.value);
                let n = self.name_index(&a.attr);
                self.emit(Op::DELETE_ATTR, n);
            }
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.subscript_key(&s.slice);
                self.emit(Op::DELETE_SUBSCR, 0);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for e in elts {
                    self.delete_target(e);
                }
            }
            other => self.error(Diagnostic::error(
                "cannot delete this expression",
                span(other.range()),
            )),
        }
    }

    // ---- exceptions ----------------------------------------------------

    /// Drops handlers down to height `h` (code after this is not covered).
    fn truncate_handlers(&mut self, h: usize) {
        let mut hs = self.asm().handler_stack();
        hs.truncate(h);
        self.asm().set_handler_stack(hs);
    }

    fn try_except(&mut self, t: &'a ast::StmtTry) {
        let d = self.depth();
        let handler = self.label();
        let end = self.label();
        let h = self.handler_height();
        self.asm().push_handler(handler, d);
        self.push_fblock(FBlockKind::TryExcept, h);
        self.stmts(&t.body);
        self.pop_fblock();
        self.asm().pop_handler();
        self.stmts(&t.orelse);
        self.jump(Op::JUMP, end);

        // [exc]
        self.bind(handler);
        self.emit(Op::PUSH_EXC_INFO, 0); // [prev exc]
        let cleanup = self.label();
        let hc = self.handler_height();
        self.asm().push_handler(cleanup, d + 1);
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.set_line(h.range);
            let next = self.label();
            if let Some(ty) = &h.type_ {
                self.expr(ty);
                self.emit(Op::CHECK_EXC_MATCH, 0);
                self.jump(Op::POP_JUMP_IF_FALSE, next);
            }
            match &h.name {
                Some(name) => {
                    self.store_name(name); // [prev]
                    let cleanup_name = self.label();
                    self.asm().push_handler(cleanup_name, d + 1);
                    self.push_fblock(FBlockKind::HandlerCleanup { name: Some(name) }, hc);
                    self.stmts(&h.body);
                    self.pop_fblock();
                    self.asm().pop_handler();
                    // Leaving the clause: nothing may see `prev` after this.
                    let with_cleanup = self.asm().handler_stack();
                    self.truncate_handlers(hc);
                    self.emit(Op::POP_EXCEPT, 0);
                    self.clear_name(name);
                    self.jump(Op::JUMP, end);
                    self.asm().set_handler_stack(with_cleanup);
                    // [prev exc2]
                    self.set_line(h.range);
                    self.bind(cleanup_name);
                    self.clear_name(name);
                    self.emit(Op::RERAISE, 0);
                }
                None => {
                    self.emit(Op::POP_TOP, 0); // [prev]
                    self.push_fblock(FBlockKind::HandlerCleanup { name: None }, hc);
                    self.stmts(&h.body);
                    self.pop_fblock();
                    let with_cleanup = self.asm().handler_stack();
                    self.truncate_handlers(hc);
                    self.emit(Op::POP_EXCEPT, 0);
                    self.jump(Op::JUMP, end);
                    self.asm().set_handler_stack(with_cleanup);
                }
            }
            self.bind(next);
        }
        // No clause matched: [prev exc]
        self.set_line(t.range);
        self.emit(Op::RERAISE, 0);
        self.asm().pop_handler();
        // [prev exc2]
        self.bind(cleanup);
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::RERAISE, 0);
        self.bind(end);
    }

    fn try_finally(&mut self, t: &'a ast::StmtTry) {
        let d = self.depth();
        let handler = self.label();
        let end = self.label();
        let h = self.handler_height();
        self.asm().push_handler(handler, d);
        self.push_fblock(FBlockKind::Finally { body: &t.finalbody }, h);
        if t.handlers.is_empty() {
            self.stmts(&t.body);
            self.stmts(&t.orelse);
        } else {
            self.try_except(t);
        }
        self.pop_fblock();
        self.asm().pop_handler();
        self.stmts(&t.finalbody);
        self.jump(Op::JUMP, end);

        // Exception path: [exc]
        self.set_line(t.range);
        self.bind(handler);
        self.emit(Op::PUSH_EXC_INFO, 0); // [prev exc]
        let cleanup = self.label();
        let hc = self.handler_height();
        self.asm().push_handler(cleanup, d + 1);
        self.push_fblock(FBlockKind::FinallyEnd, hc);
        self.stmts(&t.finalbody);
        self.pop_fblock();
        self.asm().pop_handler();
        // Falls into the cleanup: restore prev, re-raise exc.
        self.bind(cleanup);
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::RERAISE, 0);
        self.bind(end);
    }

    /// `with a as x, b as y: body` is `with a as x: with b as y: body`.
    /// `async with` (in a coroutine) is the same with `__aenter__` and
    /// `__aexit__`, each result awaited: a coroutine is a generator here,
    /// so no opcode is new.
    fn with_items(&mut self, items: &'a [ast::WithItem], body: &'a [Stmt], is_async: bool) {
        let Some((item, rest)) = items.split_first() else {
            self.stmts(body);
            return;
        };
        let d = self.depth();
        self.expr(&item.context_expr);
        if is_async {
            // [mgr] -> [aexit (await mgr.__aenter__())]
            self.emit(Op::COPY, 1);
            let aexit = self.name_index("__aexit__");
            self.emit(Op::LOAD_ATTR, aexit);
            self.emit(Op::SWAP, 2);
            let aenter = self.name_index("__aenter__");
            self.emit(Op::LOAD_METHOD, aenter);
            self.emit(Op::CALL_METHOD, 0);
            self.await_top();
        } else {
            self.emit(Op::BEFORE_WITH, 0); // [exit res]
        }
        let handler = self.label();
        let end = self.label();
        let h = self.handler_height();
        self.asm().push_handler(handler, d + 1);
        self.push_fblock(FBlockKind::With { is_async }, h);
        match &item.optional_vars {
            Some(t) => self.store_target(t),
            None => self.emit(Op::POP_TOP, 0),
        }
        self.with_items(rest, body, is_async);
        self.pop_fblock();
        self.asm().pop_handler();
        self.set_line(item.range);
        self.call_exit_with_nones(is_async);
        self.jump(Op::JUMP, end);

        // [exit exc]
        self.bind(handler);
        self.emit(Op::PUSH_EXC_INFO, 0); // [exit prev exc]
        let cleanup = self.label();
        let suppress = self.label();
        self.asm().push_handler(cleanup, d + 2);
        self.emit(Op::WITH_EXCEPT_START, 0); // [exit prev exc res]
        if is_async {
            self.await_top();
        }
        self.jump(Op::POP_JUMP_IF_TRUE, suppress);
        self.emit(Op::RERAISE, 0);
        self.asm().pop_handler();
        self.bind(suppress); // [exit prev exc]
        self.emit(Op::POP_TOP, 0);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::POP_TOP, 0);
        self.jump(Op::JUMP, end);
        // [exit prev exc2]
        self.bind(cleanup);
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::RERAISE, 0);
        self.bind(end);
    }
}
