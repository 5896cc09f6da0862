//! The stack effects of the packed table ([`Op::effect`]) against the
//! opcode docs' stack notation written out plainly, for every opcode and
//! every operand: a wrong descriptor bit shows here.

use p14p_protocol::opcode::{make_fn, BinOp, CmpOp, Effect, Op};

/// The effect of `op arg` as each opcode's doc comment states it, with the
/// `BUILD_*` counts capped where `1 - n` would leave 16 bits.
fn documented(op: Op, arg: u16) -> Option<Effect> {
    use Op::*;
    // Computed in i32 and narrowed at the end: operands near u16::MAX
    // (e.g. `BUILD_MAP 0x8000`) are rejected, never overflowed.
    const fn e(needs: i32, next: i32) -> Option<Effect> {
        if needs < 0 || needs > u16::MAX as i32 || next < i16::MIN as i32 || next > i16::MAX as i32
        {
            return None;
        }
        Some(Effect {
            needs: needs as u16,
            next: next as i16,
            jump: next as i16,
        })
    }
    const fn branch(needs: i32, next: i32, jump: i32) -> Option<Effect> {
        match e(needs, next) {
            Some(mut eff) => {
                eff.jump = jump as i16;
                Some(eff)
            }
            None => None,
        }
    }
    let n = arg as i32;
    match op {
        NOP | JUMP => e(0, 0),
        POP_TOP | RETURN_VALUE | POP_EXCEPT | RERAISE | PRINT_EXPR | SET_LAST => e(1, -1),
        LOAD_NONE | LOAD_TRUE | LOAD_FALSE | LOAD_ASSERTION_ERROR | LOAD_BUILD_CLASS => e(0, 1),
        BINARY_SUBSCR => e(2, -1),
        STORE_SUBSCR => e(3, -3),
        DELETE_SUBSCR => e(2, -2),
        UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_NOT | UNARY_INVERT | GET_ITER | LIST_TO_TUPLE
        | YIELD_VALUE | GET_YIELD_FROM_ITER => e(1, 0),
        PUSH_EXC_INFO => e(1, 1),
        CHECK_EXC_MATCH => e(2, 0),
        BEFORE_WITH => e(1, 1),
        WITH_EXCEPT_START => e(3, 1),
        LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE => e(0, 1),
        STORE_FAST | STORE_DEREF => e(1, -1),
        DELETE_FAST | DELETE_DEREF => e(0, 0),
        COPY => {
            if n >= 1 {
                e(n, 1)
            } else {
                None
            }
        }
        SWAP => {
            if n >= 2 {
                e(n, 0)
            } else {
                None
            }
        }
        BINARY_OP => {
            if n <= 0xFF && BinOp::from_u8((arg as u8) & !BinOp::INPLACE).is_some() {
                e(2, -1)
            } else {
                None
            }
        }
        COMPARE_OP => {
            if n <= 0xFF && CmpOp::from_u8(arg as u8).is_some() {
                e(2, -1)
            } else {
                None
            }
        }
        IS_OP | CONTAINS_OP => {
            if n <= 1 {
                e(2, -1)
            } else {
                None
            }
        }
        UNPACK_SEQUENCE => e(1, n - 1),
        CALL => e(n + 1, -n),
        CALL_KW => e(n + 2, -n - 1),
        CALL_METHOD => e(n + 2, -n - 1),
        CALL_METHOD_KW => e(n + 3, -n - 2),
        CALL_EX => match arg {
            0 => e(2, -1),
            1 => e(3, -2),
            _ => None,
        },
        MAKE_FUNCTION => {
            // The flags above the 12-bit code index: any other bit there
            // makes the operand invalid (the index is the verifier's).
            let known = (make_fn::DEFAULTS | make_fn::KWDEFAULTS | make_fn::CLOSURE) as u16;
            let flags = arg >> 12;
            if flags & !known != 0 {
                return None;
            }
            let extra = i32::from((flags & 1) + ((flags >> 1) & 1) + ((flags >> 3) & 1));
            e(extra, 1 - extra)
        }
        RAISE_VARARGS => {
            if n <= 2 {
                e(n, -n)
            } else {
                None
            }
        }
        FORMAT_VALUE => {
            if n <= 7 {
                if n & 4 != 0 {
                    e(2, -1)
                } else {
                    e(1, 0)
                }
            } else {
                None
            }
        }
        BUILD_SLICE => {
            if n == 2 || n == 3 {
                e(n, 1 - n)
            } else {
                None
            }
        }
        // The target container must be below the popped item(s).
        LIST_APPEND | SET_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE | DICT_MERGE => {
            if n >= 1 {
                e(n + 1, -1)
            } else {
                None
            }
        }
        MAP_ADD => {
            if n >= 1 {
                e(n + 2, -2)
            } else {
                None
            }
        }
        LOAD_CONST | LOAD_INT | LOAD_GLOBAL | LOAD_NAME | IMPORT_NAME => e(0, 1),
        STORE_GLOBAL | STORE_NAME => e(1, -1),
        DELETE_GLOBAL | DELETE_NAME => e(0, 0),
        LOAD_ATTR => e(1, 0),
        STORE_ATTR => e(2, -2),
        DELETE_ATTR => e(1, -1),
        LOAD_METHOD | IMPORT_FROM => e(1, 1),
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => e(n, 1 - n),
        BUILD_MAP => e(2 * n, 1 - 2 * n),
        UNPACK_EX => e(1, (n & 0xFF) + (n >> 8)),
        POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => e(1, -1),
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => branch(1, -1, 0),
        FOR_ITER => branch(1, 1, -1),
        SEND => branch(2, 0, -1),
    }
}

#[test]
fn the_table_gives_every_documented_effect() {
    for &op in Op::ALL {
        let limit = match op {
            Op::BUILD_TUPLE | Op::BUILD_LIST | Op::BUILD_SET | Op::BUILD_STRING => 0x7FFF,
            Op::BUILD_MAP => 0x3FFF,
            _ => u16::MAX,
        };
        for arg in 0..=u16::MAX {
            let want = if arg > limit {
                None
            } else {
                documented(op, arg)
            };
            assert_eq!(op.effect(arg), want, "{op:?} {arg}");
        }
    }
}
