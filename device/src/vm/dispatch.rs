//! The instruction loop.
//!
//! One `match` over the opcode byte; the operand size follows from the
//! byte's range (see `p14p_protocol::opcode`), so it is decoded before the
//! match. The image was verified at load, so operands are trusted.
//!
//! Values stay on the value stack until an operation has finished: an
//! operation that allocates may collect, and only stack slots below `SP`
//! are roots. Hence the pattern "peek, compute, then drop and store".

use super::call::Args;
use super::frame::{flag, CONSTS, GLOBALS, LOCALS, NAMES, NS};
use super::{Dunder, Vm, POLL_EVERY, R};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::{Hx, Poll};
use crate::obj::func::{FUNC_SHORT, FUNC_WORDS, F_CLOSURE, F_DEFAULTS, F_KWDEFAULTS};
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::{
    byte as op, load_int_value, make_fn, BinOp, CmpOp, Format, Op, BINARY_OP_0, BUILD_TUPLE_1,
    BUILD_TUPLE_2, COMPARE_OP_0, INPLACE_OP_0, LOAD_INT_0, LOAD_INT_1, LOAD_INT_2, NARROW,
    SHORT_LOAD_FAST, SHORT_STORE_FAST,
};

// COMPARE_OP's fused conditional jumps take a two-byte operand, or one in
// their narrow form.
const _: () = assert!(width(op::POP_JUMP_IF_FALSE) == 2 && width(op::POP_JUMP_IF_TRUE) == 2);
const _: () = assert!(width(N_POP_JUMP_IF_FALSE) == 1);

/// Operand bytes of opcode `op` ([`Format`]).
const fn width(op: u8) -> usize {
    match Format::of(op) {
        Some(f) => f.len(),
        None => 2,
    }
}

/// The narrow form's byte of opcode byte `op` (see `p14p_protocol::opcode`).
const fn narrow(op: u8) -> u8 {
    op | NARROW
}

// The short forms' bytes, spelled out in the dispatch `match`.
const _: () = assert!(SHORT_LOAD_FAST == 0x20 && SHORT_STORE_FAST == 0x30);

// The implied forms of LOAD_INT share an arm: the value is the byte's
// distance from LOAD_INT_0.
const _: () = assert!(LOAD_INT_1 == LOAD_INT_0 + 1 && LOAD_INT_2 == LOAD_INT_0 + 2);
// The cold ones take the `_` arm (BUILD_TUPLE's count follows from the
// byte there).
const _: () = assert!(BUILD_TUPLE_1 < 0x40 && BUILD_TUPLE_2 < 0x40);
const _: () = assert!(BUILD_TUPLE_2 == BUILD_TUPLE_1 + 1);

// The narrow forms' bytes of the opcodes with a hot arm.
const N_LOAD_CONST: u8 = narrow(op::LOAD_CONST);
const N_LOAD_INT: u8 = narrow(op::LOAD_INT);
const N_LOAD_GLOBAL: u8 = narrow(op::LOAD_GLOBAL);
const N_LOAD_ATTR: u8 = narrow(op::LOAD_ATTR);
const N_LOAD_METHOD: u8 = narrow(op::LOAD_METHOD);
const N_STORE_ATTR: u8 = narrow(op::STORE_ATTR);
const N_JUMP: u8 = narrow(op::JUMP);
const N_POP_JUMP_IF_FALSE: u8 = narrow(op::POP_JUMP_IF_FALSE);
const N_POP_JUMP_IF_TRUE: u8 = narrow(op::POP_JUMP_IF_TRUE);
const N_JUMP_IF_FALSE_OR_POP: u8 = narrow(op::JUMP_IF_FALSE_OR_POP);
const N_JUMP_IF_TRUE_OR_POP: u8 = narrow(op::JUMP_IF_TRUE_OR_POP);
const N_FOR_ITER: u8 = narrow(op::FOR_ITER);

// The operator forms' bytes (`p14p_protocol::opcode::OPERATOR_FORMS`),
// spelled out in the dispatch `match` as constants (see the short forms).
const _: () = assert!(COMPARE_OP_0 == 0x60 && BINARY_OP_0 == 0x66 && INPLACE_OP_0 == 0x73);
/// The comparison operator form of `c`.
const fn cmp(c: CmpOp) -> u8 {
    COMPARE_OP_0 + c as u8
}
const LT: u8 = cmp(CmpOp::Lt);
const LE: u8 = cmp(CmpOp::Le);
const EQ: u8 = cmp(CmpOp::Eq);
const NE: u8 = cmp(CmpOp::Ne);
const GT: u8 = cmp(CmpOp::Gt);
const ADD: u8 = BINARY_OP_0 + BinOp::Add as u8;
const IADD: u8 = INPLACE_OP_0 + BinOp::Add as u8;
const SUB: u8 = BINARY_OP_0 + BinOp::Sub as u8;
const ISUB: u8 = INPLACE_OP_0 + BinOp::Sub as u8;
const MUL: u8 = BINARY_OP_0 + BinOp::Mul as u8;
const IMUL: u8 = INPLACE_OP_0 + BinOp::Mul as u8;
const FLOORDIV: u8 = BINARY_OP_0 + BinOp::FloorDiv as u8;
const IFLOORDIV: u8 = INPLACE_OP_0 + BinOp::FloorDiv as u8;
const MOD: u8 = BINARY_OP_0 + BinOp::Mod as u8;
const IMOD: u8 = INPLACE_OP_0 + BinOp::Mod as u8;
const AND: u8 = BINARY_OP_0 + BinOp::And as u8;
const IAND: u8 = INPLACE_OP_0 + BinOp::And as u8;
const OR: u8 = BINARY_OP_0 + BinOp::Or as u8;
const IOR: u8 = INPLACE_OP_0 + BinOp::Or as u8;
const XOR: u8 = BINARY_OP_0 + BinOp::Xor as u8;
const IXOR: u8 = INPLACE_OP_0 + BinOp::Xor as u8;

/// `BINARY_OP`'s operand for its operator form `opc` (`BinOp` and
/// `BinOp::INPLACE`): the slow path's, the fast one matches `opc` itself.
fn binary_arg(opc: u8) -> u8 {
    if opc >= INPLACE_OP_0 {
        (opc - INPLACE_OP_0) | BinOp::INPLACE
    } else {
        opc - BINARY_OP_0
    }
}

/// The operand of `width` bytes in the instruction `word` (little-endian,
/// opcode in the low byte).
#[inline(always)]
fn operand(word: u32, width: usize) -> usize {
    match width {
        0 => 0,
        1 => ((word >> 8) & 0xFF) as usize,
        _ => ((word >> 8) & 0xFFFF) as usize,
    }
}

// Arms that serve several opcodes step by the first one's width.
const _: () = assert!(width(op::NOP) == width(op::SET_LAST));
const _: () = assert!(width(op::POP_JUMP_IF_FALSE) == width(op::POP_JUMP_IF_TRUE));
const _: () = assert!(width(op::JUMP_IF_FALSE_OR_POP) == width(op::JUMP_IF_TRUE_OR_POP));
const _: () = assert!(width(op::GET_ITER) == width(op::GET_YIELD_FROM_ITER));
const _: () = assert!(width(op::CALL) == width(op::CALL_METHOD));
const _: () = assert!(width(op::CALL_KW) == width(op::CALL_METHOD_KW));

/// Instruction decoding by `opcode >> 5`: operand mask `<< 16` | length,
/// from [`width`].
const DECODE: [u32; 8] = {
    let mut t = [0; 8];
    let mut i = 0;
    while i < 8 {
        let w = width((i as u8) << 5);
        t[i] = ((1u32 << (8 * w)) - 1) << 16 | (w as u32 + 1);
        i += 1;
    }
    t
};

impl Vm<'_> {
    #[inline(always)]
    pub(crate) fn push(&mut self, v: Value) {
        self.heap.set_hot(self.sp, v.0);
        self.sp += 1;
    }

    #[inline(always)]
    fn peek(&self, n: usize) -> Value {
        self.heap.v(self.sp - n)
    }

    #[inline(always)]
    fn set_top(&mut self, v: Value) {
        self.heap.set_hot(self.sp - 1, v.0);
    }

    /// [`Vm::peek`] out of line, for the cold opcodes: a call is about
    /// half the code of the inlined, bounds-checked read, and `cold_op`
    /// has some forty.
    #[inline(never)]
    fn peek_cold(&self, n: usize) -> Value {
        self.peek(n)
    }

    /// [`Vm::push`] out of line, for the cold opcodes (see `peek_cold`).
    #[inline(never)]
    fn push_cold(&mut self, v: Value) {
        self.push(v);
    }

    /// [`Vm::set_top`] out of line, for the cold opcodes (see `peek_cold`).
    #[inline(never)]
    fn set_top_cold(&mut self, v: Value) {
        self.set_top(v);
    }

    #[inline(always)]
    fn jump(&mut self, target: usize) {
        self.ip = self.heap.w(self.fp + super::frame::CODE) as usize + target;
    }

    #[inline(always)]
    fn name(&self, i: usize) -> Value {
        let names = self.heap.v(self.fp + NAMES).word();
        self.heap.v(names + 1 + i)
    }

    /// Raises `UnboundLocalError` for local slot `slot` (out of line: both
    /// forms of `LOAD_FAST` share it).
    #[inline(never)]
    fn unbound_local(&mut self, slot: usize) -> R<Value> {
        let n = self.local_name(slot);
        self.raise_v(T::UnboundLocalError, ErrMsg::UnboundLocal, n)
    }

    /// The str naming local slot `slot` of the current frame, or for a
    /// slot past the parameters (the image names only those) its number:
    /// the host names it from its debug info (`p14p::trace`).
    fn local_name(&self, slot: usize) -> Value {
        let f = self.fp;
        let image = self.heap.v(f + super::frame::IMAGE);
        let ci = self.code_info(image, (self.heap.w(f + super::frame::INFO) & 0xFFFF) as u16);
        if slot >= ci.param_slots() {
            return Value::small(slot as i32);
        }
        let idx = self.slot_name_index(&ci, slot);
        self.name(idx)
    }

    /// Global (then builtin) lookup of the str `name`: a remembered entry
    /// of the globals dict first ([`super::cache`]).
    #[inline(always)]
    fn load_global(&mut self, host: &mut Hx<'_>, name: Value) -> R<Value> {
        let globals = self.heap.v(self.fp + GLOBALS);
        if let Some(e) = self.cache.global(globals, name) {
            if let Some(v) = self.dict_entry_if(globals, e, name) {
                return Ok(v);
            }
        }
        self.load_global_slow(host, globals, name)
    }

    /// [`Vm::load_global`] past the cache.
    #[inline(never)]
    fn load_global_slow(&mut self, host: &mut Hx<'_>, globals: Value, name: Value) -> R<Value> {
        let h = self.str_hash(name);
        if let Some(e) = self.dict_entry_index(globals, name, h) {
            self.cache.set_global(globals, name, e);
            return Ok(self.dict_value_at(globals, e));
        }
        if let Some(v) = crate::builtins::lookup(self.str_bytes(name), h) {
            return Ok(v);
        }
        // A cold builtin, in Python in the frozen library.
        if let Some(f) = self.library_builtin(host, name)? {
            return Ok(f);
        }
        // `__main__`'s `__name__` (an imported module's is in its globals),
        // made when asked: the `if __name__ == "__main__":` idiom keeps no
        // heap on a board where every word counts.
        if globals == self.globals && self.str_bytes(name) == b"__name__" {
            return self.str_from_bytes(b"__main__");
        }
        self.raise_v(T::NameError, ErrMsg::NameNotDefined, name)
    }

    /// The caller's jump operand at `at` (an absolute op address), in
    /// either form.
    fn jump_operand(&self, at: usize) -> usize {
        if self.code_byte(at) >= 0xC0 {
            usize::from(self.code_byte(at + 1))
        } else {
            self.u16_at(at + 1) as usize
        }
    }

    /// Continues the caller after a (non-boundary) generator frame yielded
    /// or returned `v`.
    fn gen_to_caller(&mut self, v: Value, finished: bool) {
        let at = self.op_ip;
        let op = self.code_byte(at) & !NARROW;
        if !finished {
            self.push(v);
            return;
        }
        let target = self.jump_operand(at);
        if op == op::FOR_ITER {
            self.sp -= 1;
        } else {
            self.set_top(v);
        }
        self.jump(target);
    }

    /// The instruction bytes at `ip` (little-endian) when the four bytes
    /// from `ip` are not all arena bytes: an image executing in place
    /// (flash), or the arena's last bytes. Bytes past the end read as 0
    /// (the verifier proved the instruction itself is there).
    #[inline(never)]
    fn fetch_far(&self, ip: usize) -> u32 {
        let (b, i) = self.code_space(ip);
        let at = |j: usize| b.get(i + j).copied().unwrap_or(0);
        u32::from_le_bytes([at(0), at(1), at(2), 0])
    }

    /// The loop. Returns when a boundary frame returns or yields. Out of
    /// line (its one caller is `execute`) so that it stays one symbol in
    /// footprint and profile reports.
    #[inline(never)]
    pub(crate) fn dispatch(&mut self, host: &mut Hx<'_>) -> R<Value> {
        loop {
            // Code addresses fit 32 bits on every target; saying so lets
            // the compiler drop the wrap-around check of `ip + 4`.
            let ip = self.ip as u32 as usize;
            // One bounds check and one load for the opcode and both
            // operand bytes (what follows a short instruction is read and
            // masked off); code in flash or at the arena's very end takes
            // `fetch_far`.
            let word = match self.heap.bytes().get(ip..ip + 4) {
                Some(&[o, x, y, z]) => u32::from_le_bytes([o, x, y, z]),
                _ => self.fetch_far(ip),
            };
            let opc = word as u8;
            self.op_ip = ip;
            // Each arm below advances `ip` past its instruction and takes
            // its operand: the size follows from the opcode's range (see
            // `width`), a constant in every arm, so neither is computed
            // here for all of them.
            macro_rules! step {
                ($op:ident) => {
                    step!(@ op::$op)
                };
                (@ $byte:expr) => {{
                    const W: usize = width($byte);
                    self.ip = ip + 1 + W;
                    operand(word, W)
                }};
            }
            // The arms shared by an opcode's wide (`u16`) and narrow (`u8`)
            // forms: the width follows from bit 6 of the opcode, without a
            // branch.
            macro_rules! step_either {
                () => {{
                    let n = usize::from((opc >> 6) & 1);
                    self.ip = ip + 3 - n;
                    ((word >> 8) & (0xFFFF >> (8 * n))) as usize
                }};
            }
            // The bodies of the arms that two forms of a jump share.
            macro_rules! pop_jump {
                ($arg:expr) => {{
                    self.sp -= 1;
                    let v = self.heap.v(self.sp);
                    let t = match v {
                        Value::TRUE => true,
                        Value::FALSE => false,
                        _ if self.is(v, tag::INST) => {
                            // v was popped: keep it reachable for the call.
                            self.sp += 1;
                            let t = self.truth_host(host, v);
                            self.sp -= 1;
                            t?
                        }
                        _ => self.truthy(v),
                    };
                    if t == (opc & !NARROW == op::POP_JUMP_IF_TRUE) {
                        self.jump($arg);
                    }
                }};
            }
            macro_rules! for_iter {
                ($arg:expr) => {{
                    let it = self.peek(1);
                    let w = it.word();
                    match self.heap.tag(w) {
                        tag::RANGE_ITER => {
                            let cur = self.heap.w(w + 1) as i32;
                            let stop = self.heap.w(w + 2) as i32;
                            let step = self.heap.w(w + 3) as i32;
                            if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
                                self.heap.set_hot(w + 1, cur.saturating_add(step) as u32);
                                // Range bounds are small ints.
                                self.push(Value::small(cur));
                            } else {
                                self.sp -= 1;
                                self.jump($arg);
                            }
                        }
                        tag::GEN => {
                            if !self.gen_resume(it, Value::NONE, false)? {
                                self.sp -= 1;
                                self.jump($arg);
                            }
                        }
                        _ => match self.iter_next(host, it)? {
                            Some(v) => self.push(v),
                            None => {
                                self.sp -= 1;
                                self.jump($arg);
                            }
                        },
                    }
                }};
            }
            self.fuel -= 1;
            // Out of line: the hot loop keeps only the test and the call.
            if self.fuel == 0 && self.poll_point(host, ip, opc)? {
                continue;
            }
            match opc {
                // The short forms: the slot in the opcode's low bits, an
                // arm of their own (no operand byte to fetch). Sixteen
                // constants each, not a range pattern: rustc tests a range
                // before the jump table, on every instruction (+5% host
                // instructions on calls.py).
                #[allow(clippy::manual_range_patterns)]
                0x20 | 0x21 | 0x22 | 0x23 | 0x24 | 0x25 | 0x26 | 0x27 | 0x28 | 0x29 | 0x2A
                | 0x2B | 0x2C | 0x2D | 0x2E | 0x2F => {
                    let arg = (word & 0x0F) as usize;
                    self.ip = ip + 1;
                    let v = self.heap.v(self.fp + LOCALS + arg);
                    if v.is_null() {
                        return self.unbound_local(arg);
                    }
                    self.push(v);
                }
                #[allow(clippy::manual_range_patterns)]
                0x30 | 0x31 | 0x32 | 0x33 | 0x34 | 0x35 | 0x36 | 0x37 | 0x38 | 0x39 | 0x3A
                | 0x3B | 0x3C | 0x3D | 0x3E | 0x3F => {
                    let arg = (word & 0x0F) as usize;
                    self.ip = ip + 1;
                    self.sp -= 1;
                    let v = self.heap.v(self.sp);
                    self.heap.set_hot(self.fp + LOCALS + arg, v.0);
                }
                op::LOAD_FAST => {
                    let arg = step!(LOAD_FAST);
                    let v = self.heap.v(self.fp + LOCALS + arg);
                    if v.is_null() {
                        return self.unbound_local(arg);
                    }
                    self.push(v);
                }
                op::STORE_FAST => {
                    let arg = step!(STORE_FAST);
                    self.sp -= 1;
                    let v = self.heap.v(self.sp);
                    self.heap.set_hot(self.fp + LOCALS + arg, v.0);
                }
                // Each form of these two has its own arm: a constant width
                // for the common narrow one.
                N_LOAD_CONST => {
                    let arg = step!(@ N_LOAD_CONST);
                    let c = self.heap.v(self.fp + CONSTS).word();
                    let v = self.heap.v(c + 1 + arg);
                    self.push(v);
                }
                op::LOAD_CONST => {
                    let arg = step!(LOAD_CONST);
                    let c = self.heap.v(self.fp + CONSTS).word();
                    let v = self.heap.v(c + 1 + arg);
                    self.push(v);
                }
                N_LOAD_INT => {
                    let arg = step!(@ N_LOAD_INT);
                    self.push(Value::small(arg as i32));
                }
                op::LOAD_INT => {
                    let arg = step!(LOAD_INT);
                    self.push(Value::small(load_int_value(arg as u16)));
                }
                LOAD_INT_0 | LOAD_INT_1 | LOAD_INT_2 => {
                    step!(@ LOAD_INT_0);
                    self.push(Value::small(i32::from(opc - LOAD_INT_0)));
                }
                op::LOAD_NONE => {
                    step!(LOAD_NONE);
                    self.push(Value::NONE);
                }
                op::LOAD_TRUE => {
                    step!(LOAD_TRUE);
                    self.push(Value::TRUE);
                }
                op::LOAD_FALSE => {
                    step!(LOAD_FALSE);
                    self.push(Value::FALSE);
                }
                op::POP_TOP => {
                    step!(POP_TOP);
                    self.sp -= 1;
                }
                op::NOP | op::SET_LAST => {
                    step!(NOP);
                    if opc == op::SET_LAST {
                        self.sp -= 1;
                    }
                }
                // The hot jumps' wide and narrow forms have arms of their
                // own (a constant operand width each), one body: one
                // `step_either!` arm for each of POP_JUMP_IF and FOR_ITER
                // saved 480 bytes of flash but cost sieve.py +3.9% host
                // instructions, generators.py +1.6% (+3.1% and
                // +1.3% with FOR_ITER's alone).
                op::JUMP => {
                    let arg = step!(JUMP);
                    self.jump(arg);
                }
                N_JUMP => {
                    let arg = step!(@ N_JUMP);
                    self.jump(arg);
                }
                op::POP_JUMP_IF_FALSE | op::POP_JUMP_IF_TRUE => {
                    let arg = step!(POP_JUMP_IF_FALSE);
                    pop_jump!(arg);
                }
                N_POP_JUMP_IF_FALSE | N_POP_JUMP_IF_TRUE => {
                    let arg = step!(@ N_POP_JUMP_IF_FALSE);
                    pop_jump!(arg);
                }
                op::JUMP_IF_FALSE_OR_POP
                | op::JUMP_IF_TRUE_OR_POP
                | N_JUMP_IF_FALSE_OR_POP
                | N_JUMP_IF_TRUE_OR_POP => {
                    let arg = step_either!();
                    let t = self.truth_host(host, self.peek(1))?;
                    if t == (opc & !NARROW == op::JUMP_IF_TRUE_OR_POP) {
                        self.jump(arg);
                    } else {
                        self.sp -= 1;
                    }
                }
                // BINARY_OP's operator forms (the operator in the byte), in
                // place or not: one arm, the fast path matching the byte.
                #[allow(clippy::manual_range_patterns)]
                0x66 | 0x67 | 0x68 | 0x69 | 0x6A | 0x6B | 0x6C | 0x6D | 0x6E | 0x6F | 0x70
                | 0x71 | 0x72 | 0x73 | 0x74 | 0x75 | 0x76 | 0x77 | 0x78 | 0x79 | 0x7A | 0x7B
                | 0x7C | 0x7D | 0x7E | 0x7F => {
                    self.ip = ip + 1;
                    let (a, b) = (self.peek(2), self.peek(1));
                    if a.is_small() && b.is_small() {
                        // Small ints are 31-bit: sums and differences fit
                        // an i32, and the divisions (non-negative operands)
                        // are the core's 32-bit ones.
                        let (x, y) = (a.small_val(), b.small_val());
                        let r = match opc {
                            ADD | IADD => Some(x + y),
                            SUB | ISUB => Some(x - y),
                            MUL | IMUL => x.checked_mul(y),
                            FLOORDIV | IFLOORDIV if y > 0 && x >= 0 => {
                                Some((x as u32 / y as u32) as i32)
                            }
                            MOD | IMOD if y > 0 && x >= 0 => Some((x as u32 % y as u32) as i32),
                            AND | IAND => Some(x & y),
                            OR | IOR => Some(x | y),
                            XOR | IXOR => Some(x ^ y),
                            _ => None,
                        };
                        if let Some(r) = r {
                            // Still a small int (one unsigned compare).
                            if (-(1 << 30)..1 << 30).contains(&r) {
                                self.sp -= 1;
                                self.set_top(Value::small(r));
                                continue;
                            }
                        }
                    }
                    let r = self.binary_general(host, binary_arg(opc), a, b)?;
                    self.sp -= 1;
                    self.set_top(r);
                }
                // COMPARE_OP's operator forms.
                #[allow(clippy::manual_range_patterns)]
                0x60 | 0x61 | 0x62 | 0x63 | 0x64 | 0x65 => {
                    self.ip = ip + 1;
                    let (a, b) = (self.peek(2), self.peek(1));
                    let r = if a.is_small() && b.is_small() {
                        let (x, y) = (a.0 as i32, b.0 as i32);
                        match opc {
                            LT => x < y,
                            LE => x <= y,
                            EQ => x == y,
                            NE => x != y,
                            GT => x > y,
                            _ => x >= y,
                        }
                    } else if self.is(a, tag::INST) || self.is(b, tag::INST) {
                        let c = CmpOp::from_u8(opc - COMPARE_OP_0).unwrap_or(CmpOp::Eq);
                        let r = self.compare_dunder(host, c, a, b)?;
                        self.sp -= 1;
                        self.set_top(r);
                        continue;
                    } else {
                        let c = CmpOp::from_u8(opc - COMPARE_OP_0).unwrap_or(CmpOp::Eq);
                        self.compare_host(host, c, a, b)?
                    };
                    // The conditional jump the compiler puts after a
                    // condition's comparison, done here without the bool
                    // (it cannot fail, so nothing needs its address), in
                    // its narrow form or its wide one.
                    let at = self.ip;
                    if let Some(&[j, lo, hi]) = self.heap.bytes().get(at..at + 3) {
                        let (wide, target, len) = if j >= 0xC0 {
                            (j & !NARROW, usize::from(lo), 2)
                        } else {
                            (j, usize::from(u16::from_le_bytes([lo, hi])), 3)
                        };
                        if wide == op::POP_JUMP_IF_FALSE || wide == op::POP_JUMP_IF_TRUE {
                            self.sp -= 2;
                            if r == (wide == op::POP_JUMP_IF_TRUE) {
                                self.jump(target);
                            } else {
                                self.ip = at + len;
                            }
                            continue;
                        }
                    }
                    self.sp -= 1;
                    self.set_top(Value::bool(r));
                }
                op::IS_OP => {
                    let arg = step!(IS_OP);
                    let r = (self.peek(2) == self.peek(1)) != (arg == 1);
                    self.sp -= 1;
                    self.set_top(Value::bool(r));
                }
                op::CONTAINS_OP => {
                    let arg = step!(CONTAINS_OP);
                    let (a, b) = (self.peek(2), self.peek(1));
                    let r = self.contains(host, a, b)? != (arg == 1);
                    self.sp -= 1;
                    self.set_top(Value::bool(r));
                }
                op::UNARY_NOT => {
                    step!(UNARY_NOT);
                    let t = self.truth_host(host, self.peek(1))?;
                    self.set_top(Value::bool(!t));
                }
                op::BINARY_SUBSCR => {
                    step!(BINARY_SUBSCR);
                    let (c, k) = (self.peek(2), self.peek(1));
                    if self.is(c, tag::INST) {
                        if let Some(f) = self.special(c, Dunder::GetItem)? {
                            let slot = self.sp - 2;
                            self.call_python(f, Args::arena(slot, 2), Some(slot))?;
                            continue;
                        }
                        let r = self.inst_getitem(host, c, k)?;
                        self.sp -= 1;
                        self.set_top(r);
                        continue;
                    }
                    let r = if c.is_kind(kind::MEM) {
                        self.mem_get(host, c, k)?
                    } else if self.is(c, tag::LIST) && k.is_small() {
                        let n = self.list_len(c) as i32;
                        let i = k.small_val();
                        let i = if i < 0 { i + n } else { i };
                        if i >= 0 && i < n {
                            self.heap.v(self.list_base(c) + i as usize)
                        } else {
                            self.getitem(c, k)?
                        }
                    } else {
                        self.getitem(c, k)?
                    };
                    self.sp -= 1;
                    self.set_top(r);
                }
                op::STORE_SUBSCR => {
                    step!(STORE_SUBSCR);
                    let (v, c, k) = (self.peek(3), self.peek(2), self.peek(1));
                    if self.is(c, tag::LIST) && k.is_small() {
                        let n = self.list_len(c) as i32;
                        let i = k.small_val();
                        let i = if i < 0 { i + n } else { i };
                        if i >= 0 && i < n {
                            let at = self.list_base(c) + i as usize;
                            self.heap.set_hot(at, v.0);
                            self.sp -= 3;
                            continue;
                        }
                    }
                    self.store_subscr(host, c, k, v)?;
                    self.sp -= 3;
                }
                op::GET_ITER | op::GET_YIELD_FROM_ITER => {
                    step!(GET_ITER);
                    let v = self.peek(1);
                    let it = self.iter_of(host, v)?;
                    self.set_top(it);
                }
                op::FOR_ITER => {
                    let arg = step!(FOR_ITER);
                    for_iter!(arg);
                }
                N_FOR_ITER => {
                    let arg = step!(@ N_FOR_ITER);
                    for_iter!(arg);
                }
                op::RETURN_VALUE => {
                    step!(RETURN_VALUE);
                    let v = self.peek(1);
                    if self.return_fast(v) {
                        continue;
                    }
                    let f = self.fp;
                    let flags = self.frame_flags(f);
                    if flags & flag::GEN != 0 {
                        self.set_frame_flags(
                            f,
                            (flags | flag::DONE) & !(flag::RUNNING | flag::BOUNDARY),
                        );
                    }
                    self.pop_frame();
                    if flags & flag::BOUNDARY != 0 {
                        return Ok(v);
                    }
                    if flags & flag::GEN != 0 {
                        self.gen_to_caller(v, true);
                    } else if flags & flag::CTOR == 0 {
                        self.push(v);
                    }
                }
                op::YIELD_VALUE => {
                    step!(YIELD_VALUE);
                    self.sp -= 1;
                    let v = self.heap.v(self.sp);
                    let f = self.fp;
                    let flags = self.frame_flags(f);
                    self.set_frame_flags(f, flags & !(flag::RUNNING | flag::BOUNDARY));
                    self.pop_frame();
                    if flags & flag::BOUNDARY != 0 {
                        return Ok(v);
                    }
                    self.gen_to_caller(v, false);
                }
                op::CALL | op::CALL_METHOD => {
                    let arg = step!(CALL);
                    // A Python function taking exactly the positional
                    // arguments given: straight into its frame.
                    let method = opc == op::CALL_METHOD;
                    let fslot = self.sp - arg - 1 - usize::from(method);
                    let f = self.heap.v(fslot);
                    if self.is(f, tag::FUNC) {
                        let (base, n) = if method && !self.heap.v(fslot + 1).is_null() {
                            (fslot + 1, arg + 1)
                        } else {
                            (fslot + 1 + usize::from(method), arg)
                        };
                        if self.call_fast(f, base, n, Some(fslot))? {
                            continue;
                        }
                    }
                    self.call_op(host, opc, arg)?;
                }
                op::CALL_KW | op::CALL_METHOD_KW => {
                    let arg = step!(CALL_KW);
                    self.call_op(host, opc, arg)?;
                }
                op::LOAD_GLOBAL | N_LOAD_GLOBAL => {
                    let arg = step_either!();
                    let name = self.name(arg);
                    let v = self.load_global(host, name)?;
                    self.push(v);
                }
                op::COPY => {
                    let arg = step!(COPY);
                    let v = self.peek(arg);
                    self.push(v);
                }
                op::SWAP => {
                    let arg = step!(SWAP);
                    let (a, b) = (self.peek(1), self.peek(arg));
                    self.heap.setv(self.sp - 1, b);
                    self.heap.setv(self.sp - arg, a);
                }
                op::LOAD_ATTR | N_LOAD_ATTR => {
                    let arg = step_either!();
                    let name = self.name(arg);
                    let v = crate::builtins::getattr(self, host, self.peek(1), name)?;
                    self.set_top(v);
                }
                op::LOAD_METHOD | N_LOAD_METHOD => {
                    let arg = step_either!();
                    let name = self.name(arg);
                    let obj = self.peek(1);
                    let (m, this) = crate::builtins::load_method(self, host, obj, name)?;
                    self.set_top(m);
                    self.push(this);
                }
                op::STORE_ATTR | N_STORE_ATTR => {
                    let arg = step_either!();
                    let name = self.name(arg);
                    let (v, obj) = (self.peek(2), self.peek(1));
                    crate::builtins::setattr(self, host, obj, name, v)?;
                    self.sp -= 2;
                }
                _ => {
                    let d = DECODE[usize::from(opc >> 5)];
                    self.ip = ip + (d & 0xFF) as usize;
                    // `cold_op` matches the wide forms' bytes.
                    let wide = if opc >= 0xC0 { opc & !NARROW } else { opc };
                    self.cold_op(host, wide, ((word >> 8) & (d >> 16)) as usize)?;
                }
            }
        }
    }

    /// The poll every [`POLL_EVERY`] instructions, before the instruction
    /// at `ip` (opcode `opc`) runs: the host's interrupt, its collection,
    /// then the soft interrupts (`vm/soft.rs`, feature `soft-irq`). True if a soft handler ran:
    /// the instruction is fetched again.
    #[cold]
    #[inline(never)]
    fn poll_point(&mut self, host: &mut Hx<'_>, ip: usize, opc: u8) -> R<bool> {
        // As if the instruction had been decoded (the interrupt's
        // traceback and handler search see it in flight).
        self.ip = ip + (DECODE[usize::from(opc >> 5)] & 0xFF) as usize;
        // A safe point for a collection the host asks for: the
        // instruction at `op_ip` has not started, so its operands are
        // still on the value stack below `sp` (which `gc` writes back
        // into the frame), and the dispatch loop holds only offsets and
        // code (`ip`, `word`), which a non-moving collector leaves valid.
        // In a nested loop (a native calling back into Python) the
        // native is suspended in `call_nested`/`iter_next`, after the
        // callee's frame was allocated (or while Python code runs that
        // may allocate): it already had to root whatever it holds,
        // exactly as for a collection at that allocation.
        self.poll_host(host)?;
        // Soft interrupts: a handler runs here, before this instruction,
        // which is fetched again after.
        #[cfg(feature = "soft-irq")]
        return self.soft_poll(host, ip);
        #[cfg(not(feature = "soft-irq"))]
        Ok(false)
    }

    /// One step, worth `steps` instructions, of a native loop whose length
    /// an int sets (a range consumed by `sum`, the exponent's bits in
    /// `pow(b, e, m)`): it spends the instructions' fuel and, when that
    /// runs out, polls the host as [`Vm::dispatch`] does, so an interrupt
    /// ends `sum(range(10**9))` as it ends a Python loop. `time.sleep_us`
    /// spends a whole fuel's worth per step, so it polls at every step.
    #[inline(never)]
    pub(crate) fn native_tick(&mut self, host: &mut Hx<'_>, steps: u32) -> R<()> {
        self.fuel = self.fuel.saturating_sub(steps);
        if self.fuel == 0 {
            // A collection here is as at an allocation: whoever asked for
            // the next item rooted what it holds (the item may run Python
            // code).
            self.poll_host(host)?;
        }
        Ok(())
    }

    /// Refills the fuel and asks the host whether to go on: a
    /// `KeyboardInterrupt`, or a collection it asked for (the callers are
    /// points where everything held is rooted).
    #[inline(never)]
    fn poll_host(&mut self, host: &mut Hx<'_>) -> R<()> {
        self.fuel = POLL_EVERY;
        match host.poll_with_heap(&self.heap) {
            Poll::Continue => {}
            Poll::Interrupt => return self.raise(T::KeyboardInterrupt, ErrMsg::Interrupted),
            Poll::Collect => {
                self.gc();
                host.collected(&self.heap);
            }
        }
        Ok(())
    }

    /// Charges native work worth `steps` instructions against the fuel
    /// that times the polls (never below 1: [`Vm::dispatch`] counts it down
    /// and polls at 0), so an instruction that does a lot of work brings
    /// the next poll nearer. Needs no host: the next instruction polls.
    #[cfg(feature = "bigint")]
    #[inline]
    pub(crate) fn burn(&mut self, steps: usize) {
        let steps = u32::try_from(steps).unwrap_or(u32::MAX);
        self.fuel = self.fuel.saturating_sub(steps).max(1);
    }

    /// The container at `peek(n)` that `LIST_APPEND`, `SET_ADD`, `MAP_ADD`
    /// and the `*_UPDATE`/`*_EXTEND`/`DICT_MERGE` opcodes add to, if it has
    /// tag `t`. The verifier proves depths, not types: an image can put
    /// anything there, and the adders trust their container's layout.
    #[inline(never)]
    fn container(&mut self, n: usize, t: u32) -> R<Value> {
        let c = self.peek(n);
        if self.is(c, t) {
            Ok(c)
        } else {
            self.raise_type(ErrMsg::ArgType, c)
        }
    }

    /// `a op b` past the loop's small-int shortcut, out of the loop: set
    /// algebra, a user class's methods, `str % args` (the plain `%d`/`%s`
    /// shape on the stack, else the general formatter), then the builtin
    /// types' [`Vm::binary_op`].
    #[inline(never)]
    pub(crate) fn binary_general(
        &mut self,
        host: &mut Hx<'_>,
        arg: u8,
        a: Value,
        b: Value,
    ) -> R<Value> {
        let op = arg & !BinOp::INPLACE;
        if self.is_anyset(a) && self.is_anyset(b) {
            let o = match op {
                10 => Some(b'|'),
                9 => Some(b'&'),
                1 => Some(b'-'),
                11 => Some(b'^'),
                _ => None,
            };
            if let Some(o) = o {
                return self.set_op(host, o, a, b);
            }
        }
        if self.is(a, tag::INST) || self.is(b, tag::INST) {
            if let Some(r) = self.binop_dunder(host, op, a, b)? {
                return Ok(r);
            }
            if let Some(r) = self.binary_native(host, arg, a, b)? {
                return Ok(r);
            }
        }
        if op == BinOp::Mod as u8 && self.is_str(a) {
            return match self.str_percent_simple(a, b)? {
                Some(r) => Ok(r),
                None => self.format_library(host, b"percent", &[a, b]),
            };
        }
        self.binary_op(arg, a, b)
    }

    /// The `ValueError` of an unpacking that wanted `want` values and got
    /// more (`many`) or fewer.
    #[inline(never)]
    fn raise_unpack(&mut self, many: bool, want: usize) -> R<()> {
        let m = if many {
            ErrMsg::UnpackTooMany
        } else {
            ErrMsg::UnpackTooFew
        };
        let d = self.int_from_i64(want as i64)?;
        let d = self.str_of(d)?;
        self.raise_v(T::ValueError, m, d)
    }

    /// `c[k] = v` past the loop's list shortcut: machine memory, a class's
    /// `__setitem__`, then the builtin containers.
    #[inline(never)]
    fn store_subscr(&mut self, host: &mut Hx<'_>, c: Value, k: Value, v: Value) -> R<()> {
        if c.is_kind(kind::MEM) {
            self.mem_set(host, c, k, v)
        } else if let Some(f) = self.special(c, Dunder::SetItem)? {
            self.call_nested(host, f, &[c, k, v]).map(drop)
        } else {
            self.setitem(host, c, k, v)
        }
    }

    /// The calls [`Vm::dispatch`] does not enter at once: keywords,
    /// natives, classes, bound methods, anything with defaults or cells.
    #[inline(never)]
    fn call_op(&mut self, host: &mut Hx<'_>, opc: u8, arg: usize) -> R<()> {
        let kw = if opc == op::CALL_KW || opc == op::CALL_METHOD_KW {
            self.sp -= 1;
            self.heap.v(self.sp)
        } else {
            Value::NULL
        };
        let nk = match self.seq_items(kw) {
            _ if kw.is_null() => 0,
            // An image can put anything where the names go (the verifier
            // proves depths, not types): a tuple naming no more than the
            // arguments given, or a TypeError, never `arg - nk` wrapping.
            Some((at, nk)) if nk <= arg && self.is(kw, tag::TUPLE) => {
                for i in at..at + nk {
                    let name = self.heap.v(i);
                    if !self.is_str(name) {
                        return self.raise_type(ErrMsg::ArgType, name);
                    }
                }
                nk
            }
            _ => return self.raise_type(ErrMsg::ArgType, kw),
        };
        let method = opc == op::CALL_METHOD || opc == op::CALL_METHOD_KW;
        let fslot = self.sp - arg - 1 - usize::from(method);
        let f = self.heap.v(fslot);
        let (base, n) = if method && !self.heap.v(fslot + 1).is_null() {
            (fslot + 1, arg + 1 - nk)
        } else {
            (fslot + 1 + usize::from(method), arg - nk)
        };
        if !kw.is_null() {
            // Keep the names reachable: park them in the f slot's
            // neighbourhood is not possible, so root them.
            self.root(kw);
        }
        let a = Args {
            src: super::call::Src::Arena(base),
            n,
            kw,
        };
        let mark = self.nroots - usize::from(!kw.is_null());
        let r = if self.is(f, tag::FUNC) {
            self.call_python(f, a, Some(fslot))
        } else {
            self.call_value(host, f, a, Some(fslot))
        };
        self.unroot(mark);
        if let Some(v) = r? {
            self.heap.setv(fslot, v);
            self.sp = fslot + 1;
        }
        Ok(())
    }

    /// The opcodes outside the hot loop of [`Vm::dispatch`]: building,
    /// unpacking, exceptions, imports, names and closures. Out of line so
    /// that the loop's own code (and its register pressure) stays small.
    #[inline(never)]
    fn cold_op(&mut self, host: &mut Hx<'_>, opc: u8, arg: usize) -> R<()> {
        match opc {
            op::UNARY_NEGATIVE | op::UNARY_POSITIVE | op::UNARY_INVERT => {
                let o = Op::from_byte(opc).unwrap_or(Op::UNARY_POSITIVE);
                let a = self.peek_cold(1);
                if self.is(a, tag::INST) {
                    let d = match o {
                        Op::UNARY_NEGATIVE => Dunder::Neg,
                        Op::UNARY_POSITIVE => Dunder::Pos,
                        _ => Dunder::Invert,
                    };
                    if let Some(f) = self.special(a, d)? {
                        let r = self.call_nested(host, f, &[a])?;
                        self.set_top_cold(r);
                        return Ok(());
                    }
                }
                let r = self.unary_op(o, self.native_of(a))?;
                self.set_top_cold(r);
            }
            op::DELETE_SUBSCR => {
                let (c, k) = (self.peek_cold(2), self.peek_cold(1));
                match self.special(c, Dunder::DelItem)? {
                    Some(f) => {
                        self.call_nested(host, f, &[c, k])?;
                    }
                    None => self.delitem(c, k)?,
                }
                self.sp -= 2;
            }
            op::SEND => {
                let (sub, v) = (self.peek_cold(2), self.peek_cold(1));
                if self.is(sub, tag::GEN) {
                    self.sp -= 1;
                    if !self.gen_resume(sub, v, false)? {
                        self.set_top_cold(Value::NONE);
                        self.jump(arg);
                    }
                } else {
                    match self.iter_next(host, sub)? {
                        Some(y) => self.set_top_cold(y),
                        None => {
                            self.sp -= 1;
                            self.set_top_cold(Value::NONE);
                            self.jump(arg);
                        }
                    }
                }
            }
            op::CALL_EX => {
                let kwargs = if arg & 1 != 0 {
                    self.peek_cold(1)
                } else {
                    Value::NULL
                };
                let args = self.peek_cold(1 + (arg & 1));
                let fslot = self.sp - 2 - (arg & 1);
                let f = self.heap.v(fslot);
                let args = if self.is(args, tag::TUPLE) || self.is(args, tag::LIST) {
                    args
                } else {
                    let t = self.tuple_from_iter(host, args)?;
                    self.heap.setv(fslot + 1, t);
                    t
                };
                if let Some(v) = self.call_ex(host, f, args, kwargs, fslot)? {
                    self.heap.setv(fslot, v);
                    self.sp = fslot + 1;
                }
            }
            op::LOAD_NAME
            | op::STORE_GLOBAL
            | op::STORE_NAME
            | op::DELETE_GLOBAL
            | op::DELETE_NAME
            | op::DELETE_ATTR
            | op::IMPORT_NAME
            | op::IMPORT_FROM => {
                let name = self.name(arg);
                return self.name_op(host, opc, name);
            }
            op::DELETE_FAST => {
                let slot = self.fp + LOCALS + arg;
                if self.heap.v(slot).is_null() {
                    let n = self.local_name(arg);
                    return self.raise_v(T::UnboundLocalError, ErrMsg::UnboundLocal, n);
                }
                self.heap.setv(slot, Value::NULL);
            }
            op::LOAD_DEREF => {
                let cell = self.heap.v(self.fp + LOCALS + arg);
                let v = if self.is(cell, tag::CELL) {
                    self.heap.v(cell.word() + 1)
                } else {
                    Value::NULL
                };
                if v.is_null() {
                    let n = self.local_name(arg);
                    return self.raise_v(T::NameError, ErrMsg::UnboundFree, n);
                }
                self.push_cold(v);
            }
            op::STORE_DEREF | op::DELETE_DEREF => {
                let cell = self.heap.v(self.fp + LOCALS + arg);
                let v = if opc == op::STORE_DEREF {
                    self.sp -= 1;
                    self.heap.v(self.sp)
                } else {
                    Value::NULL
                };
                if self.is(cell, tag::CELL) {
                    self.heap.setv(cell.word() + 1, v);
                }
            }
            op::LOAD_CLOSURE => {
                let v = self.heap.v(self.fp + LOCALS + arg);
                self.push_cold(v);
            }
            op::MAKE_FUNCTION => {
                let image = self.heap.v(self.fp + super::frame::IMAGE);
                // Proved by the verifier: a code record of this image.
                let code = arg as u16 & make_fn::CODE;
                let flags = (arg >> make_fn::FLAGS_SHIFT) as u8;
                let words = if flags == 0 { FUNC_SHORT } else { FUNC_WORDS };
                let w = self.alloc(tag::FUNC, words)?;
                // The optional parts on the stack, nearest first.
                let mut at = 1;
                // Each of the type the call layer reads it as (a stack
                // value: the verifier proves no types).
                for (bit, field, t) in [
                    (make_fn::CLOSURE, F_CLOSURE, tag::TUPLE),
                    (make_fn::KWDEFAULTS, F_KWDEFAULTS, tag::DICT),
                    (make_fn::DEFAULTS, F_DEFAULTS, tag::TUPLE),
                ] {
                    if flags & bit != 0 {
                        let v = self.peek_cold(at);
                        if !self.is(v, t) {
                            return self.raise_type(ErrMsg::ArgType, v);
                        }
                        self.heap.setv(w + field, v);
                        at += 1;
                    }
                }
                let f = self.fp;
                self.func_init(w, image, code);
                let g = self.heap.v(f + GLOBALS);
                self.heap.setv(w + crate::obj::func::F_GLOBALS, g);
                self.sp -= at - 1;
                self.push_cold(Value::obj(w));
            }
            op::BUILD_TUPLE | BUILD_TUPLE_1 | BUILD_TUPLE_2 => {
                // The implied forms (below 0x40, operand 0 from the cold arm)
                // count from BUILD_TUPLE_1.
                let arg = if opc < 0x40 {
                    usize::from(opc - BUILD_TUPLE_1) + 1
                } else {
                    arg
                };
                let t = self.tuple_from_words(self.sp - arg, arg)?;
                self.sp -= arg;
                self.push_cold(t);
            }
            op::BUILD_LIST => {
                let l = self.list_from_words(self.sp - arg, arg)?;
                self.sp -= arg;
                self.push_cold(l);
            }
            op::BUILD_MAP | op::BUILD_SET => {
                // A set is a dict whose values are None: one loop for both.
                let map = opc == op::BUILD_MAP;
                let d = if map {
                    self.dict_new(arg)?
                } else {
                    self.set_new()?
                };
                let m = self.root(d);
                let per = 1 + usize::from(map);
                let base = self.sp - per * arg;
                for i in 0..arg {
                    let at = base + per * i;
                    let k = self.heap.v(at);
                    let v = if map {
                        self.heap.v(at + 1)
                    } else {
                        Value::NONE
                    };
                    if let Err(e) = self.dict_set(d, k, v) {
                        self.unroot(m);
                        return Err(e);
                    }
                }
                self.unroot(m);
                self.sp = base;
                self.push_cold(d);
            }
            op::BUILD_STRING => {
                let base = self.sp - arg;
                let mut total = 0;
                for i in 0..arg {
                    let v = self.heap.v(base + i);
                    // The compiler puts FORMAT_VALUE's strs here; an image
                    // may put anything (the verifier proves no types).
                    if !self.is_str(v) {
                        return self.raise_type(ErrMsg::ArgType, v);
                    }
                    total += self.str_span(v).1;
                }
                let w = self.str_alloc(total)?;
                let mut d = crate::obj::str::data(w);
                for i in 0..arg {
                    let (s, n) = self.str_span(self.heap.v(base + i));
                    self.copy_code(s, d, n);
                    d += n;
                }
                self.str_finish(w);
                self.sp = base;
                self.push_cold(Value::obj(w));
            }
            op::BUILD_SLICE => {
                let w = self.alloc(tag::SLICE, 4)?;
                let base = self.sp - arg;
                for i in 0..3 {
                    let v = if i < arg {
                        self.heap.v(base + i)
                    } else {
                        Value::NONE
                    };
                    self.heap.setv(w + 1 + i, v);
                }
                self.sp = base;
                self.push_cold(Value::obj(w));
            }
            op::LIST_APPEND => {
                let (l, v) = (self.container(arg + 1, tag::LIST)?, self.peek_cold(1));
                self.list_push(l, v)?;
                self.sp -= 1;
            }
            op::LIST_EXTEND => {
                let (l, v) = (self.container(arg + 1, tag::LIST)?, self.peek_cold(1));
                self.list_extend_iter(host, l, v)?;
                self.sp -= 1;
            }
            op::LIST_TO_TUPLE => {
                let l = self.peek_cold(1);
                let (b, n) = self.seq_items(l).unwrap_or((0, 0));
                let t = self.tuple_from_words(b, n)?;
                self.set_top_cold(t);
            }
            op::SET_ADD => {
                let (st, x) = (self.container(arg + 1, tag::SET)?, self.peek_cold(1));
                self.set_add(st, x)?;
                self.sp -= 1;
            }
            op::SET_UPDATE => {
                let (st, x) = (self.container(arg + 1, tag::SET)?, self.peek_cold(1));
                self.set_update(host, st, x)?;
                self.sp -= 1;
            }
            op::MAP_ADD => {
                let d = self.container(arg + 2, tag::DICT)?;
                let (k, v) = (self.peek_cold(2), self.peek_cold(1));
                self.dict_set(d, k, v)?;
                self.sp -= 2;
            }
            op::DICT_UPDATE | op::DICT_MERGE => {
                let d = self.container(arg + 1, tag::DICT)?;
                // A dict subclass's instance: its base (reachable from it).
                let src = self.native_of(self.peek_cold(1));
                if !self.is(src, tag::DICT) {
                    return self.raise_type(ErrMsg::ArgType, src);
                }
                // `f(**a, **b)` names each keyword once.
                let mut i = 0;
                while opc == op::DICT_MERGE && i < self.dict_used(src) {
                    if let Some((k, _)) = self.dict_entry(src, i) {
                        if self.dict_get(d, k)?.is_some() {
                            return self.raise_v(T::TypeError, ErrMsg::DuplicateArg, k);
                        }
                    }
                    i += 1;
                }
                self.dict_update_from(host, d, src)?;
                self.sp -= 1;
            }
            op::UNPACK_SEQUENCE => {
                let seq = self.peek_cold(1);
                let seq = if self.is(seq, tag::TUPLE) || self.is(seq, tag::LIST) {
                    seq
                } else {
                    let l = self.list_from_iter(host, seq)?;
                    self.set_top_cold(l);
                    l
                };
                let (b, n) = self.seq_items(seq).unwrap_or((0, 0));
                if n != arg {
                    return self.raise_unpack(n > arg, arg);
                }
                let base = self.sp - 1;
                for i in 0..n {
                    let v = self.heap.v(b + n - 1 - i);
                    self.heap.setv(base + i, v);
                }
                self.sp = base + n;
            }
            op::UNPACK_EX => {
                let before = arg & 0xFF;
                let after = arg >> 8;
                let seq = self.peek_cold(1);
                let l = self.list_from_iter(host, seq)?;
                self.set_top_cold(l);
                let n = self.list_len(l);
                if n < before + after {
                    return self.raise_unpack(false, before + after);
                }
                let mid = if n > 0 {
                    let b = self.list_base(l);
                    self.list_from_words(b + before, n - before - after)?
                } else {
                    self.list_new(0)?
                };
                let base = self.sp - 1;
                let b = if n > 0 { self.list_base(l) } else { 0 };
                // l stays reachable until overwritten below: read all first.
                let mut k = base;
                for i in (n - after..n).rev() {
                    let v = self.heap.v(b + i);
                    self.heap.setv(k, v);
                    k += 1;
                }
                // Now the middle list, then the leading items.
                let lead_start = k + 1;
                for (j, i) in (0..before).rev().enumerate() {
                    let v = self.heap.v(b + i);
                    self.heap.setv(lead_start + j, v);
                }
                self.heap.setv(k, mid);
                self.sp = lead_start + before;
            }
            op::RAISE_VARARGS => {
                if arg == 0 {
                    let h = self.handled;
                    if h == Value::NONE || h.is_null() {
                        return self.raise(T::RuntimeError, ErrMsg::NoActiveException);
                    }
                    self.exc = h;
                    return Err(super::Raised);
                }
                let v = self.peek_cold(arg);
                let e = self.exc_from(host, v)?;
                // Raised inside an except block: the handled exception
                // becomes the implicit `__context__`.
                let ctx = self.handled;
                let chain = self.is(ctx, tag::EXC) && ctx != e;
                if (arg == 2 || chain) && self.is(e, tag::EXC) {
                    let m = self.root(e);
                    let cause = self.peek_cold(1);
                    let r = (|| {
                        let d = self.inst_dict(e)?;
                        if arg == 2 {
                            let n = self.dunder(Dunder::Cause)?;
                            self.dict_set(d, n, cause)?;
                        }
                        if chain {
                            let n = self.dunder(Dunder::Context)?;
                            self.dict_set(d, n, ctx)?;
                        }
                        Ok(())
                    })();
                    self.unroot(m);
                    r?;
                }
                self.exc = e;
                self.tb_reset();
                return Err(super::Raised);
            }
            op::RERAISE => {
                self.sp -= 1;
                self.exc = self.heap.v(self.sp);
                return Err(super::Raised);
            }
            op::PUSH_EXC_INFO => {
                let e = self.peek_cold(1);
                let prev = self.handled;
                self.set_top_cold(prev);
                self.push_cold(e);
                self.handled = e;
            }
            op::POP_EXCEPT => {
                self.sp -= 1;
                self.handled = self.heap.v(self.sp);
            }
            op::CHECK_EXC_MATCH => {
                let (e, c) = (self.peek_cold(2), self.peek_cold(1));
                let r = self.exc_matches(e, c);
                self.set_top_cold(Value::bool(r));
            }
            op::BEFORE_WITH => {
                let mgr = self.peek_cold(1);
                let exit_name = self.dunder(Dunder::Exit)?;
                let exit = crate::builtins::getattr(self, host, mgr, exit_name)?;
                self.set_top_cold(exit);
                let enter = match self.special(mgr, Dunder::Enter)? {
                    Some(f) => f,
                    // A file's `__enter__`.
                    #[cfg(feature = "files")]
                    None if self.is(mgr, crate::obj::tag::FILE) => {
                        let n = self.dunder(Dunder::Enter)?;
                        crate::builtins::native_method(self, mgr, n).unwrap_or(Value::NONE)
                    }
                    None => {
                        let n = self.dunder(Dunder::Enter)?;
                        return self.raise_v(T::AttributeError, ErrMsg::NoAttribute, n);
                    }
                };
                let res = self.call_nested(host, enter, &[mgr])?;
                self.push_cold(res);
            }
            op::WITH_EXCEPT_START => {
                let (exit, e) = (self.peek_cold(3), self.peek_cold(1));
                let t = if e.is_kind(kind::TYPE) {
                    e
                } else {
                    self.class_of(e)
                };
                let res = self.call_nested(host, exit, &[t, e, Value::NONE])?;
                self.push_cold(res);
            }
            op::LOAD_ASSERTION_ERROR => self.push_cold(T::AssertionError.value()),
            op::LOAD_BUILD_CLASS => self.push_cold(crate::builtins::BUILD_CLASS),
            op::PRINT_EXPR => {
                let v = self.peek_cold(1);
                if v != Value::NONE {
                    let mut out = super::fmt::Out::host(host);
                    let r = self.write_value(&mut out, v, true);
                    self.emit(&mut out, b"\n");
                    out.flush();
                    r?;
                }
                self.sp -= 1;
            }
            op::FORMAT_VALUE => {
                let spec = if arg & 4 != 0 {
                    self.peek_cold(1)
                } else {
                    Value::NULL
                };
                let v = self.peek_cold(1 + usize::from(arg & 4 != 0));
                let v = match arg & 3 {
                    0 => v,
                    c => {
                        let s = self.format_host(host, v, c >= 2)?;
                        self.heap.setv(self.sp - 1 - usize::from(arg & 4 != 0), s);
                        s
                    }
                };
                let s = if spec.is_null() {
                    self.format_host(host, v, false)?
                } else {
                    self.format_spec(host, v, spec)?
                };
                if arg & 4 != 0 {
                    self.sp -= 1;
                }
                self.set_top_cold(s);
            }
            // The verifier admits only the opcodes handled here and in
            // the loop.
            _ => return self.raise(T::NotImplementedError, ErrMsg::NotImplemented),
        }
        Ok(())
    }

    /// The cold opcodes whose operand names a str of the code's names:
    /// the name is read once here, not in each arm.
    #[inline(never)]
    fn name_op(&mut self, host: &mut Hx<'_>, opc: u8, name: Value) -> R<()> {
        let ns = self.heap.v(self.fp + NS);
        let globals = self.heap.v(self.fp + GLOBALS);
        // Where the by-name opcodes work: a class body's namespace, else
        // (and for the `*_GLOBAL` ones) the globals.
        let by_name = matches!(opc, op::LOAD_NAME | op::STORE_NAME | op::DELETE_NAME);
        let g = if by_name && !ns.is_null() {
            ns
        } else {
            globals
        };
        match opc {
            op::LOAD_NAME => {
                // Only class bodies load by name (the compiler): past the
                // lookup cache, which serves `LOAD_GLOBAL`.
                let h = self.str_hash(name);
                let v = match self.dict_get_h(g, name, h) {
                    Some(v) => v,
                    None => self.load_global_slow(host, globals, name)?,
                };
                self.push_cold(v);
            }
            op::STORE_GLOBAL | op::STORE_NAME => {
                let v = self.peek_cold(1);
                let h = self.str_hash(name);
                self.dict_set_h(g, name, h, v)?;
                self.sp -= 1;
            }
            op::DELETE_GLOBAL | op::DELETE_NAME => {
                let gone = self.dict_del(g, name)?;
                if gone.is_none() {
                    return self.raise_v(T::NameError, ErrMsg::NameNotDefined, name);
                }
            }
            op::DELETE_ATTR => {
                let obj = self.peek_cold(1);
                crate::builtins::setattr(self, host, obj, name, Value::NULL)?;
                self.sp -= 1;
            }
            op::IMPORT_NAME => {
                self.import(host, name)?;
            }
            op::IMPORT_FROM => {
                let m = self.peek_cold(1);
                match crate::builtins::getattr(self, host, m, name) {
                    Ok(v) => self.push_cold(v),
                    Err(_) => return self.raise_v(T::ImportError, ErrMsg::NoModule, name),
                }
            }
            _ => {}
        }
        Ok(())
    }
}
