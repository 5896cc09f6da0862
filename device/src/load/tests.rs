//! Verifier tests: a valid image passes; each rule has a hand-built image
//! that breaks it and must be rejected with the matching [`ImageError`];
//! truncations and random corruption never panic.

use super::*;
use p14p_protocol::image::{code_flags, CodeBuilder, Handler, ImageBuilder, OwnedConst};
use p14p_protocol::opcode::{
    BinOp, Op, BUILD_TUPLE_2, LOAD_INT_0, LOAD_INT_1, NARROW, SHORT_LOAD_FAST,
};
use std::vec;
use std::vec::Vec;

/// Bytes of an opcode with its operand, as the compiler encodes it.
fn op16(op: Op, arg: u16) -> Vec<u8> {
    let mut v = Vec::new();
    p14p_protocol::opcode::encode(op, arg, &mut v).expect("encodable");
    v
}

/// A module that exercises loops, a handler, a closure and constants:
///
/// ```python
/// def f(x):            # code 1: x is a cell, captured by nothing here
///     return x
/// for i in range(3):   # loop with FOR_ITER / JUMP back
///     try: f(i)
///     except: pass
/// ```
fn valid_image() -> Vec<u8> {
    let mut b = ImageBuilder::new();
    let m = b.reserve_code();
    let f = b.reserve_code();
    let n_mod = b.name("<module>");
    let n_f = b.name("f");
    let n_x = b.name("x");
    let n_range = b.name("range");
    let n_i = b.name("i");
    // A code constant nothing loads: the indices below stay as they were.
    let _c_code = b.constant(OwnedConst::Code(f));
    let c_s = b.constant(OwnedConst::Str("héllo".into()));
    let _c_t = b.constant(OwnedConst::Tuple(vec![c_s]));
    let mut code = Vec::new();
    code.extend(op16(Op::MAKE_FUNCTION, f)); // 0
    code.extend([Op::NOP as u8, Op::NOP as u8]); // 2 (the NOPs keep offsets)
    code.extend(op16(Op::STORE_NAME, n_f)); // 4
    code.extend(op16(Op::LOAD_NAME, n_range)); // 6
    code.extend(op16(Op::LOAD_INT, 3)); // 8
    code.extend([Op::CALL as u8, 1]); // 10
    code.push(Op::GET_ITER as u8); // 12
    code.extend(op16(Op::FOR_ITER, 33)); // 13: depth 1 -> 2, exit -> 0
    code.extend(op16(Op::STORE_NAME, n_i)); // 15
    code.extend(op16(Op::LOAD_NAME, n_f)); // 17  try body (handler depth 1)
    code.extend(op16(Op::LOAD_NAME, n_i)); // 19
    code.extend([Op::CALL as u8, 1]); // 21
    code.push(Op::POP_TOP as u8); // 23
    code.extend(op16(Op::JUMP, 13)); // 24 (narrow, as every jump here)
    code.push(Op::PUSH_EXC_INFO as u8); // 26 handler target: depth 2 -> 3
    code.push(Op::POP_TOP as u8); // 27
    code.push(Op::POP_EXCEPT as u8); // 28
    code.extend(op16(Op::JUMP, 13)); // 29
    code.push(Op::NOP as u8); // 31 unreachable
    code.push(Op::NOP as u8); // 32 unreachable
    code.push(Op::LOAD_NONE as u8); // 33
    code.push(Op::RETURN_VALUE as u8); // 34
    b.set_code(
        m,
        CodeBuilder {
            flags: code_flags::MODULE,
            name: n_mod,
            max_stack: 3,
            code,
            handlers: vec![Handler {
                start: 17,
                end: 24,
                target: 26,
                depth: 1,
            }],
            ..Default::default()
        },
    );
    b.set_code(
        f,
        CodeBuilder {
            argcount: 1,
            name: n_f,
            slot_names: vec![n_x],
            cells: vec![0],
            max_stack: 1,
            code: vec![Op::LOAD_DEREF as u8, 0, Op::RETURN_VALUE as u8],
            ..Default::default()
        },
    );
    b.finish().unwrap()
}

/// An image whose module (code 0) is `code` with the given header tweaks.
fn module_with(code: Vec<u8>, tweak: impl FnOnce(&mut CodeBuilder)) -> Vec<u8> {
    let mut b = ImageBuilder::new();
    let m = b.reserve_code();
    let name = b.name("<module>");
    b.name("x");
    b.constant(OwnedConst::Int(7));
    let mut c = CodeBuilder {
        flags: code_flags::MODULE,
        name,
        max_stack: 2,
        code,
        ..Default::default()
    };
    tweak(&mut c);
    b.set_code(m, c);
    b.finish().unwrap()
}

/// An image with a module that just returns and one function `f` built by
/// `tweak` (code 1).
fn function_with(code: Vec<u8>, tweak: impl FnOnce(&mut CodeBuilder)) -> Vec<u8> {
    let mut b = ImageBuilder::new();
    let m = b.reserve_code();
    let f = b.reserve_code();
    let name = b.name("<module>");
    b.set_code(
        m,
        CodeBuilder {
            flags: code_flags::MODULE,
            name,
            max_stack: 1,
            code: vec![Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8],
            ..Default::default()
        },
    );
    let mut c = CodeBuilder {
        name,
        max_stack: 2,
        code,
        ..Default::default()
    };
    tweak(&mut c);
    b.set_code(f, c);
    b.finish().unwrap()
}

fn check(image: &[u8]) -> Result<(), VerifyError> {
    let mut scratch = [0u8; 512];
    verify(image, &mut scratch)
}

fn bad(e: ImageError) -> Result<(), VerifyError> {
    Err(VerifyError::Bad(e))
}

const RET: [u8; 2] = [Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8];

/// Recomputes the header hash after a test edited the bytes.
fn rehash(img: &mut [u8]) {
    let h = p14p_protocol::image::fnv1a(&img[16..]);
    img[12..16].copy_from_slice(&h.to_le_bytes());
}

#[test]
fn a_valid_image_passes() {
    assert_eq!(check(&valid_image()), Ok(()));
    assert_eq!(check(&module_with(RET.to_vec(), |_| {})), Ok(()));
}

#[test]
fn scratch_too_small_is_reported_not_a_panic() {
    let img = valid_image();
    let need = scratch_needed(&img).unwrap();
    assert_eq!(need, 35);
    assert_eq!(
        verify(&img, &mut vec![0u8; need - 1]),
        Err(VerifyError::Scratch)
    );
    assert_eq!(verify(&img, &mut vec![0u8; need]), Ok(()));
}

#[test]
fn wide_stacks_use_two_bytes_per_entry() {
    let img = module_with(RET.to_vec(), |c| c.max_stack = 300);
    assert_eq!(scratch_needed(&img), Some(4));
    assert_eq!(verify(&img, &mut [0u8; 3]), Err(VerifyError::Scratch));
    assert_eq!(verify(&img, &mut [0u8; 4]), Ok(()));
}

#[test]
fn a_bad_hash_is_rejected() {
    let mut img = valid_image();
    let last = img.len() - 1;
    img[last] ^= 0x40;
    assert_eq!(check(&img), Err(VerifyError::Hash));
}

#[test]
fn header_rules() {
    let h = bad(ImageError::Header { code: 1 });
    let ret = || RET.to_vec();
    // More parameters than locals.
    assert_eq!(check(&function_with(ret(), |c| c.argcount = 1)), h);
    // posonly > argcount.
    assert_eq!(
        check(&function_with(ret(), |c| {
            c.slot_names = vec![0, 0];
            c.argcount = 1;
            c.posonly = 2;
        })),
        h
    );
    // *args and **kwargs need slots too.
    assert_eq!(
        check(&function_with(ret(), |c| {
            c.slot_names = vec![0];
            c.flags = code_flags::VARARGS | code_flags::VARKW;
        })),
        h
    );
    // No unknown flag bit can be written: the seven flags and EXTRA fill
    // the flag byte.
    // Cell slot out of range, duplicated, or a free slot.
    assert_eq!(check(&function_with(ret(), |c| c.cells = vec![0])), h);
    assert_eq!(
        check(&function_with(ret(), |c| {
            c.slot_names = vec![0, 0];
            c.cells = vec![1, 1];
        })),
        h
    );
    assert_eq!(
        check(&function_with(ret(), |c| {
            c.slot_names = vec![0];
            c.nfree = 1;
            c.cells = vec![0];
        })),
        h
    );
    // More free variables than slots.
    assert_eq!(check(&function_with(ret(), |c| c.nfree = 1)), h);
    // Function name or slot name outside the name table.
    assert_eq!(check(&function_with(ret(), |c| c.name = 9)), h);
    assert_eq!(
        check(&function_with(ret(), |c| {
            c.argcount = 1;
            c.slot_names = vec![9];
        })),
        h
    );
    // max_stack colliding with the table marks.
    assert_eq!(check(&function_with(ret(), |c| c.max_stack = 0xFFFF)), h);
    // The module body takes no arguments and closes over nothing.
    assert_eq!(
        check(&module_with(ret(), |c| {
            c.slot_names = vec![0];
            c.argcount = 1;
        })),
        bad(ImageError::Header { code: 0 })
    );
    assert_eq!(
        check(&module_with(ret(), |c| {
            c.slot_names = vec![0];
            c.nfree = 1;
        })),
        bad(ImageError::Header { code: 0 })
    );
}

#[test]
fn unknown_opcode_is_rejected_with_its_pc() {
    let code = vec![
        Op::NOP as u8,
        0x5F,
        Op::LOAD_NONE as u8,
        Op::RETURN_VALUE as u8,
    ];
    assert_eq!(
        check(&module_with(code, |_| {})),
        bad(ImageError::Opcode { code: 0, pc: 1 })
    );
    let code = vec![Op::NOP as u8, 0xFF, Op::RETURN_VALUE as u8];
    assert_eq!(
        check(&module_with(code, |_| {})),
        bad(ImageError::Opcode { code: 0, pc: 1 })
    );
}

#[test]
fn operand_rules() {
    let at = |pc| bad(ImageError::Operand { code: 0, pc });
    let with = |first: &[u8]| {
        let mut v = first.to_vec();
        v.extend(RET);
        check(&module_with(v, |c| c.slot_names = vec![1]))
    };
    // module_with has 1 constant, 2 names, and here 1 local slot.
    assert_eq!(with(&op16(Op::LOAD_CONST, 0)), Ok(()));
    assert_eq!(with(&op16(Op::LOAD_CONST, 1)), at(0));
    assert_eq!(with(&op16(Op::LOAD_GLOBAL, 2)), at(0));
    assert_eq!(with(&op16(Op::IMPORT_NAME, 2)), at(0));
    assert_eq!(with(&[Op::LOAD_FAST as u8, 1]), at(0));
    assert_eq!(
        with(&[Op::LOAD_DEREF as u8, 0]),
        at(0),
        "slot 0 is not a cell"
    );
    assert_eq!(with(&[Op::COPY as u8, 0]), at(0));
    assert_eq!(with(&[Op::BINARY_OP as u8, 13]), at(0));
    assert_eq!(with(&[Op::COMPARE_OP as u8, 6]), at(0));
    // Every real operator is an operator form: the one byte accepted, its
    // two-byte encoding refused.
    let add = op16(Op::BINARY_OP, 0)[0];
    let iadd = op16(Op::BINARY_OP, BinOp::INPLACE as u16)[0];
    let ge = op16(Op::COMPARE_OP, 5)[0];
    for form in [add, iadd, ge] {
        assert_eq!(
            with(&[LOAD_INT_0, LOAD_INT_1, form, Op::POP_TOP as u8]),
            Ok(())
        );
        assert_eq!(
            with(&[LOAD_INT_0, form, Op::POP_TOP as u8]),
            bad(ImageError::Stack { code: 0, pc: 1 }),
            "an operator form's stack effect is its opcode's"
        );
    }
    assert_eq!(
        with(&[
            LOAD_INT_0,
            LOAD_INT_1,
            Op::BINARY_OP as u8,
            0,
            Op::POP_TOP as u8
        ]),
        at(2),
        "BINARY_OP 0 with an operand byte"
    );
    assert_eq!(
        with(&[
            LOAD_INT_0,
            LOAD_INT_1,
            Op::COMPARE_OP as u8,
            5,
            Op::POP_TOP as u8
        ]),
        at(2)
    );
    // A jump whose target fits a byte takes the narrow form only.
    assert_eq!(with(&[Op::JUMP as u8 | NARROW, 2]), Ok(()));
    assert_eq!(with(&[Op::JUMP as u8, 3, 0]), at(0));
    // An unknown flag (0x04), and a code record the image does not have.
    assert_eq!(with(&op16(Op::MAKE_FUNCTION, 0x4001)), at(0));
    assert_eq!(with(&op16(Op::MAKE_FUNCTION, 1)), at(0));
    assert_eq!(
        with(&[Op::BUILD_TUPLE as u8, 0xFF, 0x7F]),
        bad(ImageError::Stack { code: 0, pc: 0 }),
        "no overflow panic: the largest count needs more stack than there is"
    );
    assert_eq!(
        with(&[Op::LOAD_CONST as u8, 0, 0]),
        at(0),
        "constant 0 in the wide form: one encoding per instruction"
    );
    assert_eq!(
        with(&op16(Op::BUILD_MAP, 0x4000)),
        at(0),
        "no overflow panic"
    );
    // An operand cut off by the end of the code.
    assert_eq!(
        check(&module_with(
            vec![Op::LOAD_NONE as u8, Op::LOAD_CONST as u8 | NARROW],
            |_| {}
        )),
        at(1)
    );
    // In range, these pass.
    assert_eq!(with(&[SHORT_LOAD_FAST, Op::POP_TOP as u8]), Ok(()));
    assert_eq!(
        with(&[Op::LOAD_FAST as u8, 0, Op::POP_TOP as u8]),
        at(0),
        "slot 0 in the long form: one encoding per instruction"
    );
    assert_eq!(with(&[SHORT_LOAD_FAST | 1]), at(0), "slot 1 of 1");
    assert_eq!(
        with(&[Op::LOAD_INT as u8, 0xFF, 0xFF, Op::POP_TOP as u8]),
        Ok(())
    );
    // The implied forms: one byte, the longer encodings refused.
    assert_eq!(
        with(&[LOAD_INT_0, LOAD_INT_1, BUILD_TUPLE_2, Op::POP_TOP as u8]),
        Ok(())
    );
    assert_eq!(
        with(&[Op::LOAD_INT as u8 | NARROW, 1, Op::POP_TOP as u8]),
        at(0),
        "LOAD_INT 1 in the narrow form: one encoding per instruction"
    );
    assert_eq!(
        with(&[
            LOAD_INT_1,
            Op::BUILD_TUPLE as u8 | NARROW,
            1,
            Op::POP_TOP as u8
        ]),
        at(1),
        "BUILD_TUPLE 1 with an operand byte"
    );
    assert_eq!(
        with(&[LOAD_INT_1, BUILD_TUPLE_2]),
        bad(ImageError::Stack { code: 0, pc: 1 }),
        "an implied form's stack effect is its opcode's"
    );
}

#[test]
fn fast_and_deref_slots_are_kept_apart() {
    // Slot 0 is a cell: LOAD_FAST 0 would leak the cell as a value.
    let f = |code: Vec<u8>| {
        check(&function_with(code, |c| {
            c.slot_names = vec![0, 0];
            c.cells = vec![0];
            c.nfree = 1;
        }))
    };
    let ret = |first: [u8; 2]| {
        let mut v = first.to_vec();
        v.push(Op::RETURN_VALUE as u8);
        v
    };
    assert_eq!(f(ret([Op::LOAD_DEREF as u8, 0])), Ok(()));
    assert_eq!(f(ret([Op::LOAD_CLOSURE as u8, 1])), Ok(()), "free slot");
    assert_eq!(
        f(ret([Op::LOAD_FAST as u8, 0])),
        bad(ImageError::Operand { code: 1, pc: 0 })
    );
    assert_eq!(
        f(ret([Op::LOAD_FAST as u8, 1])),
        bad(ImageError::Operand { code: 1, pc: 0 })
    );
}

#[test]
fn jump_and_handler_targets_must_start_instructions() {
    // JUMP into the middle of its own operand.
    let mut code = op16(Op::JUMP, 1).to_vec();
    code.extend(RET);
    assert_eq!(
        check(&module_with(code, |_| {})),
        bad(ImageError::Target { code: 0, pc: 0 })
    );
    // JUMP past the end.
    let mut code = op16(Op::JUMP, 50).to_vec();
    code.extend(RET);
    assert_eq!(
        check(&module_with(code, |_| {})),
        bad(ImageError::Target { code: 0, pc: 0 })
    );
    let code = || {
        // Three bytes, as the handler offsets below expect.
        let mut v = op16(Op::LOAD_INT, 300).to_vec();
        v.extend([Op::RETURN_VALUE as u8, Op::POP_TOP as u8]);
        v.extend(RET);
        v
    };
    let h = |start, end, target, depth| {
        check(&module_with(code(), |c| {
            c.handlers = vec![Handler {
                start,
                end,
                target,
                depth,
            }]
        }))
    };
    assert_eq!(
        h(0, 3, 4, 0),
        Ok(()),
        "the target reached only by the handler"
    );
    assert_eq!(h(0, 3, 2, 0), bad(ImageError::Target { code: 0, pc: 2 }));
    assert_eq!(h(3, 3, 4, 0), bad(ImageError::Target { code: 0, pc: 3 }));
    assert_eq!(h(0, 2, 4, 0), bad(ImageError::Target { code: 0, pc: 0 }));
    assert_eq!(h(1, 3, 4, 0), bad(ImageError::Target { code: 0, pc: 1 }));
    assert_eq!(h(0, 9, 4, 0), bad(ImageError::Target { code: 0, pc: 0 }));
    // A handler over its own target, or before its range, would catch its
    // own exceptions forever.
    assert_eq!(h(0, 4, 3, 0), bad(ImageError::Target { code: 0, pc: 3 }));
    assert_eq!(h(5, 6, 4, 0), bad(ImageError::Target { code: 0, pc: 4 }));
    // The handler depth must leave room for the exception...
    assert_eq!(h(0, 3, 4, 2), bad(ImageError::Stack { code: 0, pc: 4 }));
    // ...and must not exceed the depth of a covered instruction.
    assert_eq!(h(0, 3, 4, 1), bad(ImageError::Stack { code: 0, pc: 0 }));
}

#[test]
fn stack_rules() {
    let m = |code: &[u8], max| check(&module_with(code.to_vec(), |c| c.max_stack = max));
    let stack = |pc| bad(ImageError::Stack { code: 0, pc });
    // Underflow.
    assert_eq!(
        m(
            &[
                Op::POP_TOP as u8,
                Op::LOAD_NONE as u8,
                Op::RETURN_VALUE as u8
            ],
            2
        ),
        stack(0)
    );
    // Overflow of max_stack.
    let two = [
        Op::LOAD_NONE as u8,
        Op::LOAD_NONE as u8,
        Op::RETURN_VALUE as u8,
    ];
    assert_eq!(m(&two, 1), stack(1));
    assert_eq!(m(&two, 2), Ok(()));
    // Two depths at one instruction: a loop that pushes each time round.
    let mut lp = vec![Op::LOAD_NONE as u8];
    lp.extend(op16(Op::JUMP, 0));
    assert_eq!(m(&lp, 9), stack(0));
    // A conditional that leaves different depths at the join.
    let mut join = vec![Op::LOAD_TRUE as u8];
    join.extend(op16(Op::POP_JUMP_IF_FALSE, 5)); // 1 -> 5 with depth 0
    join.push(Op::LOAD_NONE as u8); // 4: depth 0 -> 1, falls to 5 with depth 1
    join.extend(RET); // 5
    assert_eq!(m(&join, 3), stack(5));
}

#[test]
fn falling_off_the_end_is_rejected() {
    let fo = bad(ImageError::FallsOff { code: 0 });
    assert_eq!(check(&module_with(vec![], |_| {})), fo);
    assert_eq!(check(&module_with(vec![Op::NOP as u8], |_| {})), fo);
    // A conditional jump's fall-through path off the end.
    let mut code = vec![Op::LOAD_TRUE as u8];
    code.extend(op16(Op::POP_JUMP_IF_FALSE, 0));
    assert_eq!(check(&module_with(code, |_| {})), fo);
    // Unreachable trailing code is fine.
    let mut code = RET.to_vec();
    code.push(Op::NOP as u8);
    assert_eq!(check(&module_with(code, |_| {})), Ok(()));
}

#[test]
fn malformed_constants_and_names_are_rejected() {
    let mut b = ImageBuilder::new();
    let m = b.reserve_code();
    let name = b.name("<module>");
    b.constant(OwnedConst::Str("ok".into()));
    b.set_code(
        m,
        CodeBuilder {
            flags: code_flags::MODULE,
            name,
            max_stack: 1,
            code: RET.to_vec(),
            ..Default::default()
        },
    );
    let good = b.finish().unwrap();
    assert_eq!(check(&good), Ok(()));
    let consts_off = u16::from_le_bytes(good[20..22].try_into().unwrap()) as usize;
    // Turn the constant's kind into an unknown one.
    let mut img = good.clone();
    img[consts_off] = 200;
    rehash(&mut img);
    assert_eq!(check(&img), bad(ImageError::Const(0)));
    // Invalid UTF-8 in the string constant.
    let mut img = good.clone();
    img[consts_off + 2] = 0xFF;
    rehash(&mut img);
    assert_eq!(check(&img), bad(ImageError::Const(0)));
    // Invalid UTF-8 in a name.
    let names_off = p14p_protocol::image::HEADER_LEN + 2;
    let mut img = good.clone();
    img[names_off + 1] = 0xFF;
    rehash(&mut img);
    assert!(matches!(check(&img), Err(VerifyError::Bad(_))));
}

/// A tiny deterministic generator (xorshift32): the tests are reproducible.
struct Rng(u32);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

#[test]
fn every_truncation_is_rejected_without_panic() {
    let img = valid_image();
    for cut in 0..img.len() {
        assert!(check(&img[..cut]).is_err(), "cut at {cut}");
        // With the length (and hash) fixed up, the deeper checks see it.
        let mut b = img[..cut].to_vec();
        if b.len() >= 16 {
            b[8..12].copy_from_slice(&(cut as u32).to_le_bytes());
            rehash(&mut b);
            assert!(check(&b).is_err(), "fixed-up cut at {cut}");
        }
    }
}

#[test]
fn random_corruption_never_panics() {
    let img = valid_image();
    let mut rng = Rng(0x1450_0001);
    let mut accepted = 0;
    for round in 0..20_000 {
        let mut b = img.clone();
        for _ in 0..1 + round % 3 {
            let at = rng.next() as usize % b.len();
            b[at] ^= 1 << (rng.next() % 8);
        }
        // Flips that cancel out, or that only touch the reserved header
        // flags (outside the hash, ignored by this format version), leave
        // a valid image.
        let same_outside_flags = b[..6] == img[..6] && b[8..] == img[8..];
        if same_outside_flags {
            continue;
        }
        // Without a fixed-up hash the flip must be caught by the hash (or
        // an earlier header check)...
        assert!(check(&b).is_err());
        // ...with it, the structural checks run on the corrupt bytes.
        rehash(&mut b);
        let mut scratch = [0u8; 64];
        if verify(&b, &mut scratch).is_ok() {
            accepted += 1;
        }
    }
    // Some flips are harmless (a different constant value, name text): the
    // verifier is not a checksum. Most are not.
    assert!(accepted < 20_000);
}
