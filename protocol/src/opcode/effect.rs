//! Every opcode's stack effect, as one packed 16-bit descriptor per opcode:
//! the single definition that [`Op::effect`] reads, so the compiler (stack
//! depths), the verifier (operand and depth checks) and `p14p dis` agree.
//!
//! A table rather than a `match` because the verifier runs on the device:
//! the `match` compiled to about three times the code on Cortex-M.
//!
//! ## Descriptor
//! `needs = nb + nm·m`, `next = xb + xm·m`, `jump = next + jd`, where `m` is
//! the operand or a count decoded from it (by the descriptor's `kind`),
//! packed as `nb` (bits 0-1), `nm` (2-3), `xb + 3` (4-6), `xm + 2` (7-8),
//! `jd + 2` (9-10), `kind` (11-14).

use super::{make_fn, BinOp, CmpOp, Effect, Op};

/// The stack effect of `op arg`, `None` when the operand is invalid for
/// `op` (see [`Op::effect`]).
pub(super) fn of(op: Op, arg: u16) -> Option<Effect> {
    let d = EFFECTS[slot(op)];
    let n = i32::from(arg);
    // The operand's check, and the count `m` the depths are linear in.
    let (ok, m) = match d >> KIND_SHIFT {
        K_ANY => (true, n),
        K_MIN1 => (n >= 1, n),
        K_MIN2 => (n >= 2, n),
        K_MAX1 => (n <= 1, n),
        K_MAX2 => (n <= 2, n),
        K_SLICE => (n == 2 || n == 3, n),
        K_BUILD => (n <= 0x7FFF, n),
        K_BUILD_MAP => (n <= 0x3FFF, n),
        K_BINOP => (
            n <= 0xFF && BinOp::from_u8((arg as u8) & !BinOp::INPLACE).is_some(),
            n,
        ),
        K_CMPOP => (n <= 0xFF && CmpOp::from_u8(arg as u8).is_some(), n),
        K_MAKE_FN => {
            // No flag bit besides the three (the code index is the
            // verifier's to check against the image).
            let known = make_fn::DEFAULTS | make_fn::KWDEFAULTS | make_fn::CLOSURE;
            let f = n >> make_fn::FLAGS_SHIFT;
            (
                f & !i32::from(known) == 0,
                (f & 1) + ((f >> 1) & 1) + ((f >> 3) & 1),
            )
        }
        // Bit 2: a format spec is on the stack too.
        K_FORMAT => (n <= 7, (n >> 2) & 1),
        // `before | after << 8`.
        _ => (true, (n & 0xFF) + (n >> 8)),
    };
    let field = |shift: u32, bits: u32, bias: i32| ((d >> shift) & ((1 << bits) - 1)) as i32 - bias;
    let needs = field(0, 2, 0) + field(2, 2, 0) * m;
    let next = field(4, 3, 3) + field(7, 2, 2) * m;
    // Depths that do not fit the effect's 16 bits are invalid, never
    // truncated (e.g. `CALL 0xFFFF`'s `needs`).
    if !ok || needs > u16::MAX as i32 || next < i16::MIN as i32 || next > i16::MAX as i32 {
        return None;
    }
    Some(Effect {
        needs: needs as u16,
        next: next as i16,
        jump: (next + field(9, 2, 2)) as i16,
    })
}

/// Index of `op` in [`EFFECTS`]: one row of 30 per operand width (no width
/// has more opcodes, see `EFFECTS`'s construction).
const fn slot(op: Op) -> usize {
    let b = op as u8 as usize;
    (b >> 6) * 30 + (b & 0x3F)
}

// Kinds of operand check (a descriptor's top bits).
const KIND_SHIFT: u32 = 11;
const K_ANY: u16 = 0;
const K_MIN1: u16 = 1;
const K_MIN2: u16 = 2;
const K_MAX1: u16 = 3;
const K_MAX2: u16 = 4;
const K_SLICE: u16 = 5;
// The `BUILD_*` counts are capped where `1 - n` (`1 - 2n` for maps) would
// leave 16 bits: no stack could hold that many items anyway.
const K_BUILD: u16 = 6;
const K_BUILD_MAP: u16 = 7;
const K_BINOP: u16 = 8;
const K_CMPOP: u16 = 9;
const K_MAKE_FN: u16 = 10;
const K_FORMAT: u16 = 11;
const K_UNPACK_EX: u16 = 12;

/// A descriptor (see the module docs).
const fn desc(kind: u16, nb: i32, nm: i32, xb: i32, xm: i32, jd: i32) -> u16 {
    assert!(0 <= nb && nb <= 3 && 0 <= nm && nm <= 3);
    assert!(-3 <= xb && xb <= 4 && -2 <= xm && xm <= 1 && -2 <= jd && jd <= 1);
    (nb | nm << 2 | (xb + 3) << 4 | (xm + 2) << 7 | (jd + 2) << 9) as u16 | kind << KIND_SHIFT
}

/// The descriptor of `op`: its effect in the stack notation of its doc
/// comment (`(a b -- c)`), operand `n`.
const fn describe(op: Op) -> u16 {
    use Op::*;
    // A fixed effect.
    const fn e(needs: i32, next: i32) -> u16 {
        desc(K_ANY, needs, 0, next, 0, 0)
    }
    match op {
        NOP | JUMP | DELETE_FAST | DELETE_DEREF | DELETE_GLOBAL | DELETE_NAME => e(0, 0),
        POP_TOP | RETURN_VALUE | POP_EXCEPT | RERAISE | PRINT_EXPR | SET_LAST | STORE_FAST
        | STORE_DEREF | STORE_GLOBAL | STORE_NAME | DELETE_ATTR | POP_JUMP_IF_FALSE
        | POP_JUMP_IF_TRUE => e(1, -1),
        LOAD_NONE | LOAD_TRUE | LOAD_FALSE | LOAD_ASSERTION_ERROR | LOAD_BUILD_CLASS
        | LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE | LOAD_CONST | LOAD_INT | LOAD_GLOBAL
        | LOAD_NAME | IMPORT_NAME => e(0, 1),
        BINARY_SUBSCR => e(2, -1),
        STORE_SUBSCR => e(3, -3),
        DELETE_SUBSCR | STORE_ATTR => e(2, -2),
        UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_NOT | UNARY_INVERT | GET_ITER | LIST_TO_TUPLE
        | YIELD_VALUE | GET_YIELD_FROM_ITER | LOAD_ATTR => e(1, 0),
        PUSH_EXC_INFO | BEFORE_WITH | LOAD_METHOD | IMPORT_FROM => e(1, 1),
        CHECK_EXC_MATCH => e(2, 0),
        WITH_EXCEPT_START => e(3, 1),
        // `(x_n .. x_1 -- x_n .. x_1 x_n)`, `n >= 1`.
        COPY => desc(K_MIN1, 0, 1, 1, 0, 0),
        // `n >= 2`.
        SWAP => desc(K_MIN2, 0, 1, 0, 0, 0),
        BINARY_OP => desc(K_BINOP, 2, 0, -1, 0, 0),
        COMPARE_OP => desc(K_CMPOP, 2, 0, -1, 0, 0),
        IS_OP | CONTAINS_OP => desc(K_MAX1, 2, 0, -1, 0, 0),
        UNPACK_SEQUENCE => desc(K_ANY, 1, 0, -1, 1, 0),
        CALL => desc(K_ANY, 1, 1, 0, -1, 0),
        CALL_KW | CALL_METHOD => desc(K_ANY, 2, 1, -1, -1, 0),
        CALL_METHOD_KW => desc(K_ANY, 3, 1, -2, -1, 0),
        // `n` is 0 (no kwargs dict) or 1.
        CALL_EX => desc(K_MAX1, 2, 1, -1, -1, 0),
        MAKE_FUNCTION => desc(K_MAKE_FN, 0, 1, 1, -1, 0),
        RAISE_VARARGS => desc(K_MAX2, 0, 1, 0, -1, 0),
        FORMAT_VALUE => desc(K_FORMAT, 1, 1, 0, -1, 0),
        BUILD_SLICE => desc(K_SLICE, 0, 1, 1, -1, 0),
        // The target container must be below the popped item(s).
        LIST_APPEND | SET_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE | DICT_MERGE => {
            desc(K_MIN1, 1, 1, -1, 0, 0)
        }
        MAP_ADD => desc(K_MIN1, 2, 1, -2, 0, 0),
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => desc(K_BUILD, 0, 1, 1, -1, 0),
        BUILD_MAP => desc(K_BUILD_MAP, 0, 2, 1, -2, 0),
        UNPACK_EX => desc(K_UNPACK_EX, 1, 0, 0, 1, 0),
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => desc(K_ANY, 1, 0, -1, 0, 1),
        FOR_ITER => desc(K_ANY, 1, 0, 1, 0, -2),
        SEND => desc(K_ANY, 2, 0, 0, 0, -1),
    }
}

/// Every opcode's descriptor, at [`slot`].
static EFFECTS: [u16; 3 * 30] = {
    let mut t = [0; 3 * 30];
    let mut i = 0;
    while i < Op::ALL.len() {
        let op = Op::ALL[i];
        // Rows of 30 hold every opcode of a width.
        assert!((op as u8 & 0x3F) < 30);
        t[slot(op)] = describe(op);
        i += 1;
    }
    t
};
