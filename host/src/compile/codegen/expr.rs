//! Expressions: constants, operators, calls, displays, comprehensions,
//! f-strings, `yield`.
//!
//! Every expression leaves exactly one value on the stack. Operand orders
//! follow `protocol/src/opcode.rs`: e.g. a chained comparison `a < b < c`
//! is CPython 3.11's `a b SWAP 2 COPY 2 COMPARE JUMP_IF_FALSE_OR_POP … `
//! so the middle operand is evaluated once.

use super::{span, Body, Codegen};
use crate::compile::scope::{is_zero_arg_dir, is_zero_arg_super};
use crate::compile::unsupported::Unsupported;
use crate::diag::Diagnostic;
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::image::OwnedConst;
use p14p_protocol::opcode::{BinOp, CmpOp, Op};
use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::{Ranged, TextRange};

/// Which container a comprehension builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CompKind {
    List,
    Set,
    Dict,
    Generator,
}

/// A comprehension, as its code object sees it.
#[derive(Clone, Copy)]
pub(super) struct Comp<'a> {
    kind: CompKind,
    generators: &'a [ast::Comprehension],
    /// The element (the key for a dict comprehension).
    elt: &'a Expr,
    /// The value of a dict comprehension.
    value: Option<&'a Expr>,
}

/// Our operator number for a Python binary operator.
pub(super) fn bin_op(op: ast::Operator) -> u8 {
    use ast::Operator as O;
    (match op {
        O::Add => BinOp::Add,
        O::Sub => BinOp::Sub,
        O::Mult => BinOp::Mul,
        O::MatMult => BinOp::MatMul,
        O::Div => BinOp::TrueDiv,
        O::Mod => BinOp::Mod,
        O::Pow => BinOp::Pow,
        O::LShift => BinOp::LShift,
        O::RShift => BinOp::RShift,
        O::BitOr => BinOp::Or,
        O::BitXor => BinOp::Xor,
        O::BitAnd => BinOp::And,
        O::FloorDiv => BinOp::FloorDiv,
    }) as u8
}

/// Emits the comparison `op` on the two values on top of the stack.
fn cmp_op(op: ast::CmpOp) -> (Op, u16) {
    use ast::CmpOp as C;
    match op {
        C::Eq => (Op::COMPARE_OP, CmpOp::Eq as u16),
        C::NotEq => (Op::COMPARE_OP, CmpOp::Ne as u16),
        C::Lt => (Op::COMPARE_OP, CmpOp::Lt as u16),
        C::LtE => (Op::COMPARE_OP, CmpOp::Le as u16),
        C::Gt => (Op::COMPARE_OP, CmpOp::Gt as u16),
        C::GtE => (Op::COMPARE_OP, CmpOp::Ge as u16),
        C::Is => (Op::IS_OP, 0),
        C::IsNot => (Op::IS_OP, 1),
        C::In => (Op::CONTAINS_OP, 0),
        C::NotIn => (Op::CONTAINS_OP, 1),
    }
}

/// Magnitude of a big integer literal (`token` as written, any base, with
/// underscores), little-endian bytes.
fn big_magnitude(token: &str) -> Option<Vec<u8>> {
    let t = token.replace('_', "").to_ascii_lowercase();
    let (digits, radix) = match t.get(..2) {
        Some("0x") => (&t[2..], 16),
        Some("0o") => (&t[2..], 8),
        Some("0b") => (&t[2..], 2),
        _ => (&t[..], 10),
    };
    let mut mag: Vec<u8> = Vec::new();
    for c in digits.chars() {
        let mut carry = c.to_digit(radix)?;
        for b in mag.iter_mut() {
            let v = *b as u32 * radix + carry;
            *b = v as u8;
            carry = v >> 8;
        }
        while carry > 0 {
            mag.push(carry as u8);
            carry >>= 8;
        }
    }
    Some(mag)
}

impl<'a> Codegen<'a> {
    /// Compiles `e`, leaving its value on the stack. Instructions are
    /// attributed to `e`'s line.
    pub(super) fn expr(&mut self, e: &'a Expr) {
        let saved = self.asm().line;
        let (errors, depth) = (self.errors.len(), self.depth());
        self.set_line(e.range());
        self.expr_inner(e);
        if self.errors.len() > errors && self.asm().reachable() {
            // Keep the stack model whole after a reported error so that
            // compilation goes on to find more (the code is discarded).
            self.asm().set_depth(depth + 1);
        }
        self.asm().line = saved;
    }

    /// Rejects numbers the target cannot represent; true if usable.
    pub(super) fn check_number(&mut self, n: &ast::ExprNumberLiteral) -> bool {
        match &n.value {
            Number::Float(_) if !self.target.floats => {
                self.unsupported(Unsupported::Float, n.range);
                false
            }
            Number::Complex { .. } if !self.target.floats => {
                self.unsupported(Unsupported::Complex, n.range);
                false
            }
            _ => true,
        }
    }

    fn number(&mut self, n: &ast::ExprNumberLiteral, negate: bool) {
        if !self.check_number(n) {
            return;
        }
        match &n.value {
            Number::Int(i) => match i.as_i64() {
                Some(v) => self.load_int(if negate { -v } else { v }),
                None => {
                    let text = i.to_string();
                    match big_magnitude(&text) {
                        Some(mag) if self.target.bigint => {
                            self.load_const(OwnedConst::BigInt(negate, mag))
                        }
                        _ => self.unsupported(Unsupported::BigInt, n.range),
                    }
                }
            },
            Number::Float(f) => self.load_const(OwnedConst::Float(if negate { -f } else { *f })),
            // `2j` is `complex(0.0, 2.0)`, the carried class (never folded
            // with a sign: `-2j` negates it, as CPython's).
            Number::Complex { real, imag } => {
                self.load_builtin_class("_complex", "complex");
                self.load_const(OwnedConst::Float(*real));
                self.load_const(OwnedConst::Float(*imag));
                self.emit(Op::CALL, 2);
            }
        }
    }

    fn expr_inner(&mut self, e: &'a Expr) {
        match e {
            Expr::NumberLiteral(n) => self.number(n, false),
            Expr::StringLiteral(s) => self.load_str(s.value.to_str()),
            Expr::BytesLiteral(b) if !self.target.bytes => {
                self.unsupported(Unsupported::Bytes, b.range);
            }
            Expr::BytesLiteral(b) => {
                let bytes: Vec<u8> = b.value.bytes().collect();
                self.load_const(OwnedConst::Bytes(bytes));
            }
            Expr::BooleanLiteral(b) => self.emit(
                if b.value {
                    Op::LOAD_TRUE
                } else {
                    Op::LOAD_FALSE
                },
                0,
            ),
            Expr::NoneLiteral(_) => self.emit(Op::LOAD_NONE, 0),
            Expr::EllipsisLiteral(_) => self.load_const(OwnedConst::Ellipsis),
            Expr::Name(n) => self.load_name(&n.id),
            Expr::BoolOp(b) => {
                let end = self.label();
                let op = match b.op {
                    ast::BoolOp::And => Op::JUMP_IF_FALSE_OR_POP,
                    ast::BoolOp::Or => Op::JUMP_IF_TRUE_OR_POP,
                };
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v);
                    if i + 1 < n {
                        self.jump(op, end);
                    }
                }
                self.bind(end);
            }
            Expr::Named(n) => {
                self.expr(&n.value);
                self.emit(Op::COPY, 1);
                self.store_target(&n.target);
            }
            Expr::BinOp(b) => {
                self.expr(&b.left);
                self.expr(&b.right);
                self.emit(Op::BINARY_OP, bin_op(b.op) as u16);
            }
            Expr::UnaryOp(u) => {
                if let (ast::UnaryOp::USub, Expr::NumberLiteral(n)) = (u.op, &*u.operand) {
                    // Fold `-5` into one constant.
                    if !matches!(n.value, Number::Complex { .. }) {
                        self.number(n, true);
                        return;
                    }
                }
                self.expr(&u.operand);
                let op = match u.op {
                    ast::UnaryOp::Invert => Op::UNARY_INVERT,
                    ast::UnaryOp::Not => Op::UNARY_NOT,
                    ast::UnaryOp::UAdd => Op::UNARY_POSITIVE,
                    ast::UnaryOp::USub => Op::UNARY_NEGATIVE,
                };
                self.emit(op, 0);
            }
            Expr::Lambda(l) => self.lambda(l),
            Expr::If(i) => {
                let orelse = self.label();
                let end = self.label();
                self.jump_if(&i.test, false, orelse);
                self.expr(&i.body);
                self.jump(Op::JUMP, end);
                self.bind(orelse);
                self.expr(&i.orelse);
                self.bind(end);
            }
            Expr::Dict(d) => self.dict_display(d),
            Expr::Set(s) => self.sequence_display(&s.elts, Op::BUILD_SET),
            Expr::List(l) => self.sequence_display(&l.elts, Op::BUILD_LIST),
            Expr::Tuple(t) => self.sequence_display(&t.elts, Op::BUILD_TUPLE),
            Expr::ListComp(c) => self.comprehension(
                c.range,
                Comp {
                    kind: CompKind::List,
                    generators: &c.generators,
                    elt: &c.elt,
                    value: None,
                },
            ),
            Expr::SetComp(c) => self.comprehension(
                c.range,
                Comp {
                    kind: CompKind::Set,
                    generators: &c.generators,
                    elt: &c.elt,
                    value: None,
                },
            ),
            Expr::DictComp(c) => match &c.key {
                Some(k) => self.comprehension(
                    c.range,
                    Comp {
                        kind: CompKind::Dict,
                        generators: &c.generators,
                        elt: k,
                        value: Some(&c.value),
                    },
                ),
                None => self.error(Diagnostic::error(
                    "dict unpacking cannot be used in dict comprehension",
                    span(c.range),
                )),
            },
            Expr::Generator(g) => self.comprehension(
                g.range,
                Comp {
                    kind: CompKind::Generator,
                    generators: &g.generators,
                    elt: &g.elt,
                    value: None,
                },
            ),
            // A coroutine is a generator: `await x` delegates to x as
            // `yield from x` does (the scope table refused it elsewhere).
            Expr::Await(a) => self.yield_from(&a.value),
            Expr::Yield(y) => {
                match &y.value {
                    Some(v) => self.expr(v),
                    None => self.emit(Op::LOAD_NONE, 0),
                }
                self.emit(Op::YIELD_VALUE, 0);
            }
            Expr::YieldFrom(y) => self.yield_from(&y.value),
            Expr::Compare(c) => self.compare(c),
            Expr::Call(c) => self.call(c),
            Expr::FString(f) => self.fstring(f),
            Expr::TString(t) => self.unsupported(Unsupported::TString, t.range),
            Expr::Attribute(a) => {
                if !self.native.is_empty() {
                    self.check_native_attr(a);
                }
                self.expr(&a.value);
                let n = self.name_index(&a.attr);
                self.emit(Op::LOAD_ATTR, n);
            }
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.subscript_key(&s.slice);
                self.emit(Op::BINARY_SUBSCR, 0);
            }
            Expr::Slice(s) => self.slice(s),
            Expr::Starred(s) => self.error(Diagnostic::error(
                "starred expression cannot be used here",
                span(s.range),
            )),
            Expr::IpyEscapeCommand(c) => self.error(Diagnostic::error(
                "IPython escape commands are not Python",
                span(c.range),
            )),
        }
    }

    /// The key of a subscript: a slice builds a slice object.
    /// `yield from value` (and `await value`): the value's iterator,
    /// driven until it returns, each of its values yielded to our caller.
    fn yield_from(&mut self, value: &'a Expr) {
        self.expr(value);
        self.await_top();
    }

    /// `yield from` (and `await`) of the value on the stack: `(v -- r)`.
    pub(super) fn await_top(&mut self) {
        // sub v; L: SEND exit; YIELD_VALUE; JUMP L; exit: r
        self.emit(Op::GET_YIELD_FROM_ITER, 0);
        self.emit(Op::LOAD_NONE, 0);
        let send = self.label();
        let exit = self.label();
        self.bind(send);
        self.jump(Op::SEND, exit);
        self.emit(Op::YIELD_VALUE, 0);
        self.jump(Op::JUMP, send);
        self.bind(exit);
    }

    pub(super) fn subscript_key(&mut self, key: &'a Expr) {
        self.expr(key);
    }

    fn slice(&mut self, s: &'a ast::ExprSlice) {
        for part in [&s.lower, &s.upper] {
            match part {
                Some(v) => self.expr(v),
                None => self.emit(Op::LOAD_NONE, 0),
            }
        }
        match &s.step {
            Some(step) => {
                self.expr(step);
                self.emit(Op::BUILD_SLICE, 3);
            }
            None => self.emit(Op::BUILD_SLICE, 2),
        }
    }

    /// Jumps to `target` when `e` is truthy (`when == true`) or falsy,
    /// without materialising `and`/`or`/`not` results.
    pub(super) fn jump_if(&mut self, e: &'a Expr, when: bool, target: super::Label) {
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                self.jump_if(&u.operand, !when, target)
            }
            Expr::BoolOp(b) => {
                let is_and = b.op == ast::BoolOp::And;
                let n = b.values.len();
                // `a and b` jumps when false as soon as one is false; when
                // jumping on true, every operand but the last must be true.
                if is_and != when {
                    for v in &b.values {
                        self.jump_if(v, when, target);
                    }
                } else {
                    let skip = self.label();
                    for (i, v) in b.values.iter().enumerate() {
                        if i + 1 < n {
                            self.jump_if(v, !when, skip);
                        } else {
                            self.jump_if(v, when, target);
                        }
                    }
                    self.bind(skip);
                }
            }
            _ => {
                self.expr(e);
                let op = if when {
                    Op::POP_JUMP_IF_TRUE
                } else {
                    Op::POP_JUMP_IF_FALSE
                };
                self.jump(op, target);
            }
        }
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) {
        self.expr(&c.left);
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0]);
            let (op, arg) = cmp_op(c.ops[0]);
            self.emit(op, arg);
            return;
        }
        let cleanup = self.label();
        let end = self.label();
        for (i, (op, right)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
            self.expr(right);
            let (code, arg) = cmp_op(*op);
            if i + 1 < n {
                // [a b] -> [b a b] -> [b r]
                self.emit(Op::SWAP, 2);
                self.emit(Op::COPY, 2);
                self.emit(code, arg);
                self.jump(Op::JUMP_IF_FALSE_OR_POP, cleanup);
            } else {
                self.emit(code, arg);
                self.jump(Op::JUMP, end);
            }
        }
        // [b r]: drop the kept middle operand under the false result.
        self.bind(cleanup);
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_TOP, 0);
        self.bind(end);
    }

    /// `[a, *b, c]`, `(…)`, `{…}`: the plain form when nothing is starred,
    /// else a list built piecewise (then converted).
    fn sequence_display(&mut self, elts: &'a [Expr], build: Op) {
        let starred = elts.iter().position(|e| matches!(e, Expr::Starred(_)));
        if elts.len() > u16::MAX as usize {
            self.error(Diagnostic::error(
                "display with more than 65535 items",
                span(elts[0].range()),
            ));
            return;
        }
        let Some(first_star) = starred else {
            for e in elts {
                self.expr(e);
            }
            self.emit(build, elts.len() as u16);
            return;
        };
        let (add, extend) = if build == Op::BUILD_SET {
            (Op::SET_ADD, Op::SET_UPDATE)
        } else {
            (Op::LIST_APPEND, Op::LIST_EXTEND)
        };
        for e in &elts[..first_star] {
            self.expr(e);
        }
        self.emit(
            if build == Op::BUILD_SET {
                Op::BUILD_SET
            } else {
                Op::BUILD_LIST
            },
            first_star as u16,
        );
        for e in &elts[first_star..] {
            match e {
                Expr::Starred(s) => {
                    self.expr(&s.value);
                    self.emit(extend, 1);
                }
                other => {
                    self.expr(other);
                    self.emit(add, 1);
                }
            }
        }
        if build == Op::BUILD_TUPLE {
            self.emit(Op::LIST_TO_TUPLE, 0);
        }
    }

    /// `{k: v, **m, …}`: runs of pairs become `BUILD_MAP`, merged in order.
    fn dict_display(&mut self, d: &'a ast::ExprDict) {
        let mut built = false;
        let mut run = 0u16;
        for item in &d.items {
            match &item.key {
                Some(k) => {
                    self.expr(k);
                    self.expr(&item.value);
                    run += 1;
                }
                None => {
                    if run > 0 || !built {
                        self.emit(Op::BUILD_MAP, run);
                        if built {
                            self.emit(Op::DICT_UPDATE, 1);
                        }
                        built = true;
                        run = 0;
                    }
                    self.expr(&item.value);
                    self.emit(Op::DICT_UPDATE, 1);
                }
            }
        }
        if run > 0 || !built {
            self.emit(Op::BUILD_MAP, run);
            if built {
                self.emit(Op::DICT_UPDATE, 1);
            }
        }
    }

    // ---- calls ---------------------------------------------------------

    fn call(&mut self, c: &'a ast::ExprCall) {
        self.check_native_call(c);
        let args = &c.arguments;
        if is_zero_arg_super(c) && self.scope().kind.is_function() {
            self.zero_arg_super(c);
            return;
        }
        if self.locals_call(c) || self.eval_call(c) || self.err_call(c) {
            return;
        }
        if is_zero_arg_dir(c) {
            let here = self.unit().scope;
            if ["dir", "sorted", "locals"]
                .iter()
                .all(|n| self.scopes.is_builtin(here, n))
            {
                self.zero_arg_dir(c);
                return;
            }
        }
        let dynamic = args.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || args.keywords.iter().any(|k| k.arg.is_none());
        if args.args.len() + args.keywords.len() > 255 && !dynamic {
            self.unsupported(Unsupported::TooManySlots, c.range());
            return;
        }
        let kwnames: Vec<&str> = args
            .keywords
            .iter()
            .filter_map(|k| k.arg.as_ref().map(|a| a.as_str()))
            .collect();
        if let (Expr::Attribute(a), false) = (&*c.func, dynamic) {
            // obj.m(args): LOAD_METHOD avoids allocating a bound method.
            self.expr(&a.value);
            let n = self.name_index(&a.attr);
            self.set_line(c.range());
            self.emit(Op::LOAD_METHOD, n);
            self.plain_args(args);
            let total = (args.args.len() + args.keywords.len()) as u16;
            self.set_line(c.range());
            if kwnames.is_empty() {
                self.emit(Op::CALL_METHOD, total);
            } else {
                let t = self.names_tuple(&kwnames);
                self.emit(Op::LOAD_CONST, t);
                self.emit(Op::CALL_METHOD_KW, total);
            }
            return;
        }
        self.expr(&c.func);
        if dynamic {
            self.call_ex(args);
            return;
        }
        self.plain_args(args);
        let total = (args.args.len() + args.keywords.len()) as u16;
        self.set_line(c.range());
        if kwnames.is_empty() {
            self.emit(Op::CALL, total);
        } else {
            let t = self.names_tuple(&kwnames);
            self.emit(Op::LOAD_CONST, t);
            self.emit(Op::CALL_KW, total);
        }
    }

    /// Positional values, then keyword values (names go in a tuple).
    fn plain_args(&mut self, args: &'a ast::Arguments) {
        for a in args.args.iter() {
            self.expr(a);
        }
        for k in &args.keywords {
            self.expr(&k.value);
        }
    }

    /// `f(*a, **k)`: a tuple of positionals and (if any) a dict of keywords.
    fn call_ex(&mut self, args: &'a ast::Arguments) {
        let lead = args
            .args
            .iter()
            .take_while(|a| !matches!(a, Expr::Starred(_)))
            .count();
        for a in &args.args[..lead] {
            self.expr(a);
        }
        self.emit(Op::BUILD_LIST, lead as u16);
        for a in &args.args[lead..] {
            match a {
                Expr::Starred(s) => {
                    self.expr(&s.value);
                    self.emit(Op::LIST_EXTEND, 1);
                }
                other => {
                    self.expr(other);
                    self.emit(Op::LIST_APPEND, 1);
                }
            }
        }
        self.emit(Op::LIST_TO_TUPLE, 0);
        if args.keywords.is_empty() {
            self.emit(Op::CALL_EX, 0);
            return;
        }
        let mut built = false;
        let mut run = 0u16;
        for k in &args.keywords {
            match &k.arg {
                Some(name) => {
                    self.load_str(name);
                    self.expr(&k.value);
                    run += 1;
                }
                None => {
                    if run > 0 || !built {
                        self.emit(Op::BUILD_MAP, run);
                        if built {
                            self.emit(Op::DICT_MERGE, 1);
                        }
                        built = true;
                        run = 0;
                    }
                    self.expr(&k.value);
                    self.emit(Op::DICT_MERGE, 1);
                }
            }
        }
        if run > 0 || !built {
            self.emit(Op::BUILD_MAP, run);
            if built {
                self.emit(Op::DICT_MERGE, 1);
            }
        }
        self.emit(Op::CALL_EX, 1);
    }

    /// `super()` in a method is `super(__class__, <first parameter>)`.
    /// `locals()` and `vars()` without arguments, when they are the
    /// builtins (neither name bound here or around): the builtin
    /// `locals`, passed in a function the names of its slots (parameters,
    /// locals, cells, free variables, in slot order), since the image
    /// names only parameters; the device reads the bound ones into a dict
    /// (`Vm::locals`). A constant tuple only where `locals()` is called,
    /// rather than every local's name in every image.
    fn locals_call(&mut self, c: &'a ast::ExprCall) -> bool {
        let Expr::Name(n) = &*c.func else {
            return false;
        };
        let args = &c.arguments;
        let here = self.unit().scope;
        if !matches!(n.id.as_str(), "locals" | "vars")
            || !args.args.is_empty()
            || !args.keywords.is_empty()
            || !self.scopes.is_builtin(here, &n.id)
            || !self.scopes.is_builtin(here, "locals")
        {
            return false;
        }
        self.emit_locals(c);
        true
    }

    /// `_err(cls, "text", detail)`, when `_err` is the builtin (the frozen
    /// library's exceptions, see `device/src/vm/frozen.rs`): the text must
    /// be one of the protocol's numbered messages ([`ErrMsg`]) and compiles
    /// to its number, so the image carries no error text; the host renders
    /// it, as it does the VM's own. Any other text is an error here, not a
    /// message that would be missing at run time.
    fn err_call(&mut self, c: &'a ast::ExprCall) -> bool {
        let Expr::Name(n) = &*c.func else {
            return false;
        };
        let args = &c.arguments;
        let here = self.unit().scope;
        if n.id.as_str() != "_err"
            || !self.scopes.is_builtin(here, "_err")
            || !args.keywords.is_empty()
            || !(2..=3).contains(&args.args.len())
        {
            return false;
        }
        let text = match args.args.get(1) {
            Some(Expr::StringLiteral(s)) => s.value.to_str(),
            _ => return false,
        };
        let numbered = (0..ErrMsg::COUNT)
            .filter_map(ErrMsg::from_index)
            .find(|m| m.template() == text);
        let Some(m) = numbered else {
            self.error(
                Diagnostic::error(
                    format!("`_err`'s message is not a numbered message: {text:?}"),
                    span(c.range()),
                )
                .with_help("add it to protocol/src/errmsg.rs (append, never reorder)"),
            );
            return true;
        };
        self.expr(&c.func);
        self.expr(&args.args[0]);
        self.load_int(m as i64);
        if let Some(d) = args.args.get(2) {
            self.expr(d);
        }
        self.set_line(c.range());
        self.emit(Op::CALL, args.args.len() as u16);
        true
    }

    /// `eval(source)` and `exec(source)` in a function, when they are the
    /// builtins: `eval(source, globals(), locals())`, so the code sees the
    /// function's variables (a snapshot, as CPython's); a frame has no
    /// dict for the device to lend (`device/src/vm/eval.rs`).
    fn eval_call(&mut self, c: &'a ast::ExprCall) -> bool {
        let Expr::Name(n) = &*c.func else {
            return false;
        };
        let args = &c.arguments;
        let here = self.unit().scope;
        if !matches!(n.id.as_str(), "eval" | "exec")
            || !self.scope().kind.is_function()
            || args.args.len() != 1
            || matches!(args.args[0], Expr::Starred(_))
            || !args.keywords.is_empty()
            || !["eval", "exec", "globals", "locals"]
                .iter()
                .all(|b| self.scopes.is_builtin(here, b))
        {
            return false;
        }
        let f = self.name_index(&n.id);
        self.emit(Op::LOAD_GLOBAL, f);
        self.expr(&args.args[0]);
        let g = self.name_index("globals");
        self.emit(Op::LOAD_GLOBAL, g);
        self.set_line(c.range());
        self.emit(Op::CALL, 0);
        self.emit_locals(c);
        self.set_line(c.range());
        self.emit(Op::CALL, 3);
        true
    }

    /// The builtin `locals()` called as [`Codegen::locals_call`] explains
    /// (in a function, with the names of its slots).
    fn emit_locals(&mut self, c: &'a ast::ExprCall) {
        let f = self.name_index("locals");
        self.emit(Op::LOAD_GLOBAL, f);
        self.set_line(c.range());
        if self.scope().kind.is_function() {
            let slots = self.scope().slots();
            let names: Vec<&str> = slots.iter().map(String::as_str).collect();
            let t = self.names_tuple(&names);
            self.emit(Op::LOAD_CONST, t);
            self.emit(Op::CALL, 1);
        } else {
            self.emit(Op::CALL, 0);
        }
    }

    fn zero_arg_super(&mut self, c: &'a ast::ExprCall) {
        let scope = self.scope();
        if scope.symbol("__class__").is_none()
            || scope.kind_of("__class__") != crate::compile::scope::SymKind::Free
        {
            self.error(
                Diagnostic::error(
                    "super() without arguments outside a class method",
                    span(c.range()),
                )
                .with_help("pass the class and instance: super(Class, self)"),
            );
            return;
        }
        let Some(first) = scope.params.first() else {
            self.error(Diagnostic::error(
                "super() without arguments needs the method's first parameter",
                span(c.range()),
            ));
            return;
        };
        self.load_name("super");
        self.load_name("__class__");
        self.load_name(first);
        self.set_line(c.range());
        self.emit(Op::CALL, 2);
    }

    /// `dir()` is `sorted(locals())`, as CPython's lists the names of the
    /// current namespace: the device's `dir` (lib/builtins/names.py) needs
    /// an object. At module level the namespace is the globals, which is
    /// what the REPL's `dir()` shows.
    fn zero_arg_dir(&mut self, c: &'a ast::ExprCall) {
        self.load_name("sorted");
        self.emit_locals(c);
        self.set_line(c.range());
        self.emit(Op::CALL, 1);
    }

    // ---- comprehensions --------------------------------------------------

    /// Makes the comprehension function and calls it with
    /// `iter(outermost iterable)`, as CPython 3.11 does.
    fn comprehension(&mut self, node: TextRange, comp: Comp<'a>) {
        if let Some(g) = comp.generators.iter().find(|g| g.is_async) {
            self.unsupported(Unsupported::Async, g.range);
            return;
        }
        let Some(first) = comp.generators.first() else {
            return;
        };
        let Some(child) = self.scope_of(node) else {
            return;
        };
        let code = self.code_object(child, Body::Comprehension(comp), node);
        self.set_line(node);
        self.make_function(child, code, 0);
        self.expr(&first.iter);
        self.emit(Op::GET_ITER, 0);
        self.set_line(node);
        self.emit(Op::CALL, 1);
    }

    /// The code of a comprehension function: argument `.0` is the iterator.
    pub(super) fn comprehension_body(&mut self, comp: Comp<'a>) {
        match comp.kind {
            CompKind::List => self.emit(Op::BUILD_LIST, 0),
            CompKind::Set => self.emit(Op::BUILD_SET, 0),
            CompKind::Dict => self.emit(Op::BUILD_MAP, 0),
            CompKind::Generator => {}
        }
        self.emit(Op::LOAD_FAST, 0);
        self.comp_loop(comp, 0);
        if comp.kind == CompKind::Generator {
            self.emit(Op::LOAD_NONE, 0);
        }
        self.emit(Op::RETURN_VALUE, 0);
    }

    fn comp_loop(&mut self, comp: Comp<'a>, i: usize) {
        let g = &comp.generators[i];
        let top = self.label();
        let exit = self.label();
        if i > 0 {
            self.expr(&g.iter);
            self.emit(Op::GET_ITER, 0);
        }
        self.bind(top);
        self.jump(Op::FOR_ITER, exit);
        self.store_target(&g.target);
        for cond in &g.ifs {
            self.jump_if(cond, false, top);
        }
        if i + 1 < comp.generators.len() {
            self.comp_loop(comp, i + 1);
        } else {
            // The container sits under one iterator per loop.
            let depth = (i + 2) as u16;
            match comp.kind {
                CompKind::List => {
                    self.expr(comp.elt);
                    self.emit(Op::LIST_APPEND, depth);
                }
                CompKind::Set => {
                    self.expr(comp.elt);
                    self.emit(Op::SET_ADD, depth);
                }
                CompKind::Dict => {
                    self.expr(comp.elt);
                    if let Some(v) = comp.value {
                        self.expr(v);
                    }
                    self.emit(Op::MAP_ADD, depth);
                }
                CompKind::Generator => {
                    self.expr(comp.elt);
                    self.emit(Op::YIELD_VALUE, 0);
                    self.emit(Op::POP_TOP, 0);
                }
            }
        }
        self.jump(Op::JUMP, top);
        self.bind(exit);
    }

    // ---- f-strings -------------------------------------------------------

    fn fstring(&mut self, f: &'a ast::ExprFString) {
        let mut pieces = 0u16;
        let mut pending = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => pending.push_str(&l.value),
                ast::FStringPart::FString(fs) => {
                    self.fstring_elements(&fs.elements, &mut pending, &mut pieces)
                }
            }
        }
        self.flush_literal(&mut pending, &mut pieces);
        match pieces {
            0 => self.load_str(""),
            1 => {}
            n => self.emit(Op::BUILD_STRING, n),
        }
    }

    fn flush_literal(&mut self, pending: &mut String, pieces: &mut u16) {
        if !pending.is_empty() {
            let s = std::mem::take(pending);
            self.load_str(&s);
            *pieces += 1;
        }
    }

    fn fstring_elements(
        &mut self,
        elements: &'a ast::InterpolatedStringElements,
        pending: &mut String,
        pieces: &mut u16,
    ) {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => pending.push_str(&l.value),
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let mut conversion = match i.conversion {
                        ast::ConversionFlag::None => 0,
                        ast::ConversionFlag::Str => 1,
                        ast::ConversionFlag::Repr => 2,
                        ast::ConversionFlag::Ascii => 3,
                    };
                    if let Some(dbg) = &i.debug_text {
                        // `f"{x=}"` shows the source text, then repr(x)
                        // unless a conversion or spec says otherwise.
                        pending.push_str(dbg.leading());
                        pending.push_str(dbg.expression());
                        pending.push_str(dbg.trailing());
                        if conversion == 0 && i.format_spec.is_none() {
                            conversion = 2;
                        }
                    }
                    self.flush_literal(pending, pieces);
                    self.expr(&i.expression);
                    if let Some(spec) = &i.format_spec {
                        let mut spec_pending = String::new();
                        let mut spec_pieces = 0u16;
                        self.fstring_elements(&spec.elements, &mut spec_pending, &mut spec_pieces);
                        self.flush_literal(&mut spec_pending, &mut spec_pieces);
                        match spec_pieces {
                            0 => self.load_str(""),
                            1 => {}
                            n => self.emit(Op::BUILD_STRING, n),
                        }
                        conversion |= 4;
                    }
                    self.emit(Op::FORMAT_VALUE, conversion);
                    *pieces += 1;
                }
            }
        }
    }
}
