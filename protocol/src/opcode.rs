//! The opcode table: the one definition of p14p bytecode, read by the
//! compiler (emission), the verifier (operand and stack checks), the VM
//! (dispatch) and `p14p dis`.
//!
//! ## Encoding
//! An instruction is one opcode byte followed by its operand. The operand's
//! size follows from the opcode's *range*, so no table is needed to step
//! through code (after MicroPython's `py/bc0.h`):
//!
//! | opcode byte   | operand                                          |
//! |---------------|--------------------------------------------------|
//! | `0x00..=0x3F` | none                                             |
//! | `0x40..=0x5F` | one byte (`u8`)                                  |
//! | `0x60..=0x7F` | none: `BINARY_OP`/`COMPARE_OP` with the operand  |
//! | `0x80..=0xBF` | two bytes, little-endian (`u16`)                 |
//! | `0xC0..=0xFF` | one byte: the *narrow form* of `byte & !0x40`    |
//!
//! Every opcode of the `u16` range ([`Op::has_narrow`]) has a narrow form
//! one byte shorter for operands up to 255: `LOAD_CONST 3` is `0xC0 0x03`,
//! `LOAD_CONST 300` is `0x80 0x2C 0x01`. The compiler picks the narrow form
//! whenever the operand fits, and the verifier refuses the wide form of an
//! operand that would fit (one instruction, one encoding). For a jump the
//! operand is its target, known only once the code is laid out: the
//! assembler emits every jump wide and shrinks those whose target fits a
//! byte until none more does (shrinking one brings others in range). Names, constants and counts
//! are nearly always below 256, so most of these instructions are two
//! bytes long, as in MicroPython's `.mpy`; unlike its varints, the width
//! still follows from the opcode byte alone, so the VM's dispatch decodes
//! a fixed-width operand in every arm (see `device/src/vm/dispatch.rs`).
//!
//! The commonest instructions of all, `LOAD_FAST` and `STORE_FAST` of the
//! first sixteen slots, have a *short form* without an operand byte: the
//! slot is the low four bits of the opcode ([`SHORT_LOAD_FAST`]`..=0x2F`,
//! [`SHORT_STORE_FAST`]`..=0x3F`), as MicroPython's `LOAD_FAST_MULTI`. The
//! same rule holds: the compiler emits it whenever it fits, the verifier
//! refuses the long form of a slot below 16.
//!
//! The five bytes left in the no-operand range are *implied forms*
//! ([`IMPLIED`]): common instructions with an operand, each a byte of its
//! own with the operand implied (`LOAD_INT 1` is [`LOAD_INT_1`]). Same
//! rule again: emitted whenever it fits, the longer encoding refused.
//!
//! `BINARY_OP` and `COMPARE_OP` have no operand byte at all: the operator
//! is in the opcode byte ([`OPERATOR_FORMS`]: `BINARY_OP k` is
//! [`BINARY_OP_0`]` + k`, its in-place form [`INPLACE_OP_0`]` + k`,
//! `COMPARE_OP c` is [`COMPARE_OP_0`]` + c`), thirty-two bytes for every
//! operator there is, so their `u8` forms are never valid.
//!
//! Jump operands are absolute byte offsets in the code object.
//!
//! ## Stack notation
//! `(a b -- c)`: pops `b` (top) and `a`, pushes `c`. `NULL` is a VM-internal
//! marker that never becomes a Python value. The semantics follow CPython 3.11
//! closely where an opcode shares its name; differences are stated.
//!
//! ## Exceptions
//! There is no block stack. Each code object carries a handler table of
//! `(start, end, target, depth)`: when an exception is raised at a `pc` with
//! `start <= pc < end` (innermost = first matching entry in table order), the
//! value stack is cut to `depth` items, the exception is pushed, and
//! execution continues at `target`. Otherwise the frame is popped and the
//! search continues in the caller. The compiler orders entries innermost
//! first.
//!
//! ## Locals and cells
//! A frame has `nlocals` slots: positional parameters first, then keyword-only
//! parameters, then `*args`, then `**kwargs`, then other locals. At entry the
//! slots listed in the code's cell table are replaced by new cells holding
//! their value (or empty), and the last `nfree` slots receive the cells of the
//! function's closure tuple, in order. `*_DEREF` opcodes address a slot that
//! holds a cell; `*_FAST` a slot holding a value.

/// How many bytes of operand an opcode byte carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// No operand.
    None,
    /// One byte.
    U8,
    /// Two bytes, little-endian.
    U16,
}

impl Format {
    /// Operand size for the opcode byte `byte` (every range has one; the
    /// unassigned bytes in it are refused by [`decode_at`]).
    pub const fn of(byte: u8) -> Option<Format> {
        match byte >> 5 {
            0 | 1 | 3 => Some(Format::None),
            4 | 5 => Some(Format::U16),
            _ => Some(Format::U8),
        }
    }

    /// Operand size in bytes.
    pub const fn len(self) -> usize {
        match self {
            Format::None => 0,
            Format::U8 => 1,
            Format::U16 => 2,
        }
    }

    /// True for [`Format::None`].
    pub const fn is_empty(self) -> bool {
        matches!(self, Format::None)
    }
}

/// What an opcode byte's narrow form adds to its wide byte (see the module
/// docs).
pub const NARROW: u8 = 0x40;

/// The short form of `LOAD_FAST n` for `n < 16` is `SHORT_LOAD_FAST | n`.
pub const SHORT_LOAD_FAST: u8 = 0x20;

/// The short form of `STORE_FAST n` for `n < 16` is `SHORT_STORE_FAST | n`.
pub const SHORT_STORE_FAST: u8 = 0x30;

/// `LOAD_INT 0` in one byte: an implied form (see [`IMPLIED`]).
pub const LOAD_INT_0: u8 = 0x1B;
/// `LOAD_INT 1` in one byte: an implied form.
pub const LOAD_INT_1: u8 = 0x1C;
/// `LOAD_INT 2` in one byte: an implied form.
pub const LOAD_INT_2: u8 = 0x1D;
/// `BUILD_TUPLE 1` in one byte: an implied form.
pub const BUILD_TUPLE_1: u8 = 0x1E;
/// `BUILD_TUPLE 2` in one byte: an implied form.
pub const BUILD_TUPLE_2: u8 = 0x1F;

/// The *implied forms*: common instructions with an operand, in one byte
/// each, the operand implied by the opcode byte (the last five bytes of
/// the no-operand range; Pystone has 10, 14, 3, 6 and 6 of them). Only
/// opcodes whose VM arm is cold or trivial: `CALL 1` would save more (11
/// in Pystone), but an arm shared between a hot opcode's forms cost the
/// dispatch loop a register (+10% host instructions on loops.py).
/// `BINARY_OP` and `COMPARE_OP` have one form each, in a range of their
/// own ([`OPERATOR_FORMS`]). `(byte, opcode, operand)`.
pub const IMPLIED: [(u8, Op, u16); 5] = [
    // In byte order from LOAD_INT_0: `implied` indexes this table.
    (LOAD_INT_0, Op::LOAD_INT, 0),
    (LOAD_INT_1, Op::LOAD_INT, 1),
    (LOAD_INT_2, Op::LOAD_INT, 2),
    (BUILD_TUPLE_1, Op::BUILD_TUPLE, 1),
    (BUILD_TUPLE_2, Op::BUILD_TUPLE, 2),
];

/// The implied form `byte` stands for, if it is one.
pub const fn implied(byte: u8) -> Option<(Op, u16)> {
    // The forms are the bytes from LOAD_INT_0 on, in table order.
    let i = byte.wrapping_sub(LOAD_INT_0) as usize;
    if i < IMPLIED.len() {
        Some((IMPLIED[i].1, IMPLIED[i].2))
    } else {
        None
    }
}

/// `COMPARE_OP 0` in one byte: the comparisons are
/// `COMPARE_OP_0..COMPARE_OP_0 + 6` (see [`OPERATOR_FORMS`]).
pub const COMPARE_OP_0: u8 = 0x60;
/// `BINARY_OP 0` in one byte: the operators are
/// `BINARY_OP_0..BINARY_OP_0 + 13`.
pub const BINARY_OP_0: u8 = 0x66;
/// `BINARY_OP 0 | INPLACE` (`+=`) in one byte: the in-place operators are
/// `INPLACE_OP_0..INPLACE_OP_0 + 13`.
pub const INPLACE_OP_0: u8 = 0x73;

/// The *operator forms*: the bytes `0x60..=0x7F`, `BINARY_OP` and
/// `COMPARE_OP` with the operator in the opcode byte, one byte for what
/// took two (Pystone has 48 of them). The VM matches these bytes
/// directly, the fast paths on the byte itself; the operand is rebuilt
/// (`operator`) only on the slow path. `(first byte, opcode, first
/// operand, count)`.
pub const OPERATOR_FORMS: [(u8, Op, u16, u8); 3] = [
    (COMPARE_OP_0, Op::COMPARE_OP, 0, 6),
    (BINARY_OP_0, Op::BINARY_OP, 0, 13),
    (INPLACE_OP_0, Op::BINARY_OP, BinOp::INPLACE as u16, 13),
];

/// The instruction an operator form `byte` stands for, if it is one.
pub const fn operator(byte: u8) -> Option<(Op, u16)> {
    let mut i = 0;
    while i < OPERATOR_FORMS.len() {
        let (first, op, arg, n) = OPERATOR_FORMS[i];
        if byte >= first && byte - first < n {
            return Some((op, arg + (byte - first) as u16));
        }
        i += 1;
    }
    None
}

/// The one-byte form (short, implied or operator) of `op arg`, if it has
/// one.
const fn short_form(op: Op, arg: u16) -> Option<u8> {
    let mut f = 0;
    while f < OPERATOR_FORMS.len() {
        let (first, o, base, n) = OPERATOR_FORMS[f];
        if o as u8 == op as u8 && arg >= base && arg - base < n as u16 {
            return Some(first + (arg - base) as u8);
        }
        f += 1;
    }
    let mut i = 0;
    while i < IMPLIED.len() {
        if IMPLIED[i].1 as u8 == op as u8 && IMPLIED[i].2 == arg {
            return Some(IMPLIED[i].0);
        }
        i += 1;
    }
    match op {
        _ if arg >= 16 => None,
        Op::LOAD_FAST => Some(SHORT_LOAD_FAST | arg as u8),
        Op::STORE_FAST => Some(SHORT_STORE_FAST | arg as u8),
        _ => None,
    }
}

mod effect;

macro_rules! opcodes {
    ($( $(#[$doc:meta])* $name:ident = $byte:literal, )*) => {
        /// A p14p opcode. See the module docs for the encoding.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        #[allow(non_camel_case_types)]
        pub enum Op { $( $(#[$doc])* $name = $byte, )* }

        impl Op {
            /// Decodes an opcode byte; `None` for unassigned bytes.
            pub const fn from_byte(b: u8) -> Option<Op> {
                match b { $( $byte => Some(Op::$name), )* _ => None }
            }

            /// Decodes an opcode byte, narrow and short forms included (to
            /// their long opcode); `None` for unassigned bytes.
            pub const fn of_byte(b: u8) -> Option<Op> {
                if b & 0xF0 == SHORT_LOAD_FAST {
                    return Some(Op::LOAD_FAST);
                }
                if b & 0xF0 == SHORT_STORE_FAST {
                    return Some(Op::STORE_FAST);
                }
                if let Some((op, _)) = implied(b) {
                    return Some(op);
                }
                if let Some((op, _)) = operator(b) {
                    return Some(op);
                }
                if b < 0xC0 {
                    return Op::from_byte(b);
                }
                match Op::from_byte(b & !NARROW) {
                    Some(op) if op.has_narrow() => Some(op),
                    _ => None,
                }
            }

            /// True for the opcodes with a narrow form (see the module
            /// docs): the `u16` range.
            pub const fn has_narrow(self) -> bool {
                let b = self as u8;
                b >= 0x80 && b < 0xC0
            }

            /// The mnemonic, as `p14p dis` prints it.
            pub const fn name(self) -> &'static str {
                match self { $( Op::$name => stringify!($name), )* }
            }

            /// Every opcode, in byte order.
            pub const ALL: &'static [Op] = &[ $( Op::$name, )* ];
        }

        /// Every opcode's byte as a `u8` constant, named as the opcode: for
        /// `match` patterns over raw code bytes (the VM's dispatch loop).
        pub mod byte {
            $(
                #[doc = concat!("[`Op::", stringify!($name), "`](super::Op::", stringify!($name), ") as a byte.")]
                pub const $name: u8 = $byte;
            )*
        }
    };
}

opcodes! {
    // ---- 0x00..=0x3F: no operand --------------------------------------
    /// `( -- )` Does nothing.
    NOP = 0x00,
    /// `(a -- )`
    POP_TOP = 0x01,
    /// `(v -- )` Returns `v` from the frame. In a generator, finishes it
    /// with `StopIteration(v)`.
    RETURN_VALUE = 0x02,
    /// `( -- None)`
    LOAD_NONE = 0x03,
    /// `( -- True)`
    LOAD_TRUE = 0x04,
    /// `( -- False)`
    LOAD_FALSE = 0x05,
    /// `(container key -- container[key])`
    BINARY_SUBSCR = 0x06,
    /// `(v container key -- )` `container[key] = v`
    STORE_SUBSCR = 0x07,
    /// `(container key -- )` `del container[key]`
    DELETE_SUBSCR = 0x08,
    /// `(a -- +a)`
    UNARY_POSITIVE = 0x09,
    /// `(a -- -a)`
    UNARY_NEGATIVE = 0x0A,
    /// `(a -- not a)`
    UNARY_NOT = 0x0B,
    /// `(a -- ~a)`
    UNARY_INVERT = 0x0C,
    /// `(iterable -- iter(iterable))`
    GET_ITER = 0x0D,
    /// `(list -- tuple(list))`
    LIST_TO_TUPLE = 0x0E,
    /// `(v -- sent)` Suspends the generator, yielding `v`; resumes with the
    /// value passed to `send()` (`None` for `next()`).
    YIELD_VALUE = 0x0F,
    /// `(iterable -- iter)` `iter(iterable)`, but a generator is kept as is.
    GET_YIELD_FROM_ITER = 0x10,
    /// `(exc -- prev exc)` Makes `exc` the exception being handled (what a
    /// bare `raise` re-raises), saving the previous one (or None) below it.
    PUSH_EXC_INFO = 0x11,
    /// `(prev -- )` Restores `prev` as the exception being handled.
    POP_EXCEPT = 0x12,
    /// `(exc type -- exc bool)` `isinstance(exc, type)`; `type` may be a
    /// tuple of classes.
    CHECK_EXC_MATCH = 0x13,
    /// `(exc -- )` Raises `exc` again, keeping its traceback.
    RERAISE = 0x14,
    /// `( -- AssertionError)`
    LOAD_ASSERTION_ERROR = 0x15,
    /// `( -- __build_class__)` The builtin that runs a class body:
    /// `__build_class__(body_fn, name, *bases)`.
    LOAD_BUILD_CLASS = 0x16,
    /// `(mgr -- exit res)` Looks up `mgr.__exit__` (bound), calls
    /// `mgr.__enter__()`.
    BEFORE_WITH = 0x17,
    /// `(exit prev exc -- exit prev exc res)` `res = exit(type(exc), exc, None)`.
    WITH_EXCEPT_START = 0x18,
    /// `(v -- )` REPL echo: if `v` is not None, prints `repr(v)` and a newline.
    PRINT_EXPR = 0x19,
    /// `(v -- )` Stores `v` as builtins `_` and as the REPL's last value.
    /// Reserved; the compiler does not emit it yet.
    SET_LAST = 0x1A,

    // ---- 0x40..=0x5F: u8 operand (0x60..=0x7F: OPERATOR_FORMS) ---------
    /// `( -- v)` Local slot `n`; `UnboundLocalError` if empty.
    LOAD_FAST = 0x40,
    /// `(v -- )` Local slot `n`.
    STORE_FAST = 0x41,
    /// `( -- )` Empties local slot `n`; `UnboundLocalError` if already empty.
    DELETE_FAST = 0x42,
    /// `( -- v)` The content of the cell in slot `n`; `NameError` if empty.
    LOAD_DEREF = 0x43,
    /// `(v -- )` Sets the content of the cell in slot `n`.
    STORE_DEREF = 0x44,
    /// `( -- )` Empties the cell in slot `n`.
    DELETE_DEREF = 0x45,
    /// `( -- cell)` The cell object itself in slot `n` (for closures).
    LOAD_CLOSURE = 0x46,
    /// `(x_n .. x_1 -- x_n .. x_1 x_n)` Pushes a copy of the `n`-th item
    /// (1 = top). `n >= 1`.
    COPY = 0x47,
    /// `(x_n .. x_1 -- x_1 .. x_n)` Swaps the top with the `n`-th item.
    /// `n >= 2`.
    SWAP = 0x48,
    /// `(a b -- a op b)` Operator `n` is a [`BinOp`]; with
    /// [`BinOp::INPLACE`] set, the in-place form (`+=`: lists extend).
    /// Always encoded as an operator form ([`OPERATOR_FORMS`]).
    BINARY_OP = 0x49,
    /// `(a b -- a cmp b)` `n` is a [`CmpOp`]. Always encoded as an
    /// operator form ([`OPERATOR_FORMS`]).
    COMPARE_OP = 0x4A,
    /// `(a b -- a is b)`, negated when `n == 1`.
    IS_OP = 0x4B,
    /// `(a b -- a in b)`, negated when `n == 1`.
    CONTAINS_OP = 0x4C,
    /// `(seq -- x_n .. x_1)` Unpacks exactly `n` items, first item on top.
    UNPACK_SEQUENCE = 0x4D,
    /// `(f a_1 .. a_n -- r)` Calls `f` with `n` positional arguments.
    CALL = 0x4E,
    /// `(f a_1 .. a_n names -- r)` `names` is a tuple of `k <= n` strings:
    /// the last `k` arguments are keyword arguments with those names.
    CALL_KW = 0x4F,
    /// `(f self_or_null a_1 .. a_n -- r)` After [`Op::LOAD_METHOD`]: if
    /// `self_or_null` is not NULL it is passed as the first argument.
    CALL_METHOD = 0x50,
    /// `(f self_or_null a_1 .. a_n names -- r)` [`Op::CALL_METHOD`] with keywords as in
    /// [`Op::CALL_KW`].
    CALL_METHOD_KW = 0x51,
    /// `(f args [kwargs] -- r)` `f(*args, **kwargs)`; `args` is a tuple,
    /// `kwargs` (present when `n & 1`) a dict.
    CALL_EX = 0x52,
    /// `n = 0: ( -- )` re-raise the exception being handled;
    /// `n = 1: (exc -- )`; `n = 2: (exc cause -- )` `raise exc from cause`.
    /// A class is instantiated with no arguments.
    RAISE_VARARGS = 0x53,
    /// `(v [spec] -- str)` f-string field. `n & 3`: conversion (0 none,
    /// 1 `!s`, 2 `!r`, 3 `!a`); `n & 4`: a format spec string is on top.
    FORMAT_VALUE = 0x54,
    /// `(start stop -- slice)` for `n == 2`; `(start stop step -- slice)` for 3.
    BUILD_SLICE = 0x55,
    /// `(v -- )` Appends `v` to the list that is then `n`-th on the stack
    /// (1 = top). For comprehensions.
    LIST_APPEND = 0x56,
    /// `(v -- )` Adds `v` to the set `n`-th on the stack.
    SET_ADD = 0x57,
    /// `(k v -- )` Sets `k: v` in the dict `n`-th on the stack.
    MAP_ADD = 0x58,
    /// `(iterable -- )` Extends the list `n`-th on the stack.
    LIST_EXTEND = 0x59,
    /// `(iterable -- )` Updates the set `n`-th on the stack.
    SET_UPDATE = 0x5A,
    /// `(mapping -- )` Updates the dict `n`-th on the stack (`{**m}`).
    DICT_UPDATE = 0x5B,
    /// `(mapping -- )` Like [`Op::DICT_UPDATE`] but a repeated key is a
    /// `TypeError` (`f(**a, **b)`).
    DICT_MERGE = 0x5C,

    // ---- 0x80..=0xBF: u16 operand; narrow forms at 0xC0..=0xDB ---------
    /// `( -- consts[n])` An image constant.
    LOAD_CONST = 0x80,
    /// `( -- int)` The operand as a signed 16-bit integer (the narrow
    /// form: `0..=255`).
    LOAD_INT = 0x81,
    /// `( -- v)` Global `names[n]`, then builtin; `NameError` if neither.
    LOAD_GLOBAL = 0x82,
    /// `(v -- )` Sets global `names[n]`.
    STORE_GLOBAL = 0x83,
    /// `( -- )` Deletes global `names[n]`; `NameError` if missing.
    DELETE_GLOBAL = 0x84,
    /// `( -- v)` `names[n]` in the frame's namespace (class body), then
    /// globals, then builtins. In module code the namespace is the globals.
    LOAD_NAME = 0x85,
    /// `(v -- )` Sets `names[n]` in the frame's namespace.
    STORE_NAME = 0x86,
    /// `( -- )` Deletes `names[n]` from the frame's namespace.
    DELETE_NAME = 0x87,
    /// `(obj -- obj.name)`
    LOAD_ATTR = 0x88,
    /// `(v obj -- )` `obj.name = v`
    STORE_ATTR = 0x89,
    /// `(obj -- )` `del obj.name`
    DELETE_ATTR = 0x8A,
    /// `(obj -- f self_or_null)` For a method found on the class of `obj`,
    /// pushes the plain function and `obj` (no bound-method allocation);
    /// otherwise pushes `obj.name` and NULL.
    LOAD_METHOD = 0x8B,
    /// `( -- module)` Imports module `names[n]` (loaded by the host, or native).
    IMPORT_NAME = 0x8C,
    /// `(module -- module v)` `v = module.names[n]`; `ImportError` if missing.
    IMPORT_FROM = 0x8D,
    /// `(x_1 .. x_n -- tuple)`
    BUILD_TUPLE = 0x8E,
    /// `(x_1 .. x_n -- list)`
    BUILD_LIST = 0x8F,
    /// `(x_1 .. x_n -- set)`
    BUILD_SET = 0x90,
    /// `(k_1 v_1 .. k_n v_n -- dict)`
    BUILD_MAP = 0x91,
    /// `(s_1 .. s_n -- s)` Concatenates `n` strings (f-strings).
    BUILD_STRING = 0x92,
    /// `(seq -- a_k .. list b_n .. b_1)` Starred unpacking: `n & 0xFF` items
    /// before the star, `n >> 8` after; the first item ends on top.
    UNPACK_EX = 0x93,
    /// `([defaults] [kwdefaults] [closure] -- fn)` Makes a function of code
    /// record `n & 0xFFF` of this image ([`make_fn::CODE`]). `n >> 12`
    /// bits: 0x01 a defaults tuple, 0x02 a kw-defaults dict, 0x08 a
    /// closure tuple of cells; present items are pushed in that order. A
    /// function without them is the narrow form's `MAKE_FUNCTION c`, two
    /// bytes (no code constant, no `LOAD_CONST`).
    MAKE_FUNCTION = 0x94,
    // The jumps: their narrow form chosen by the assembler's relaxation.
    /// `( -- )` Continues at `n`.
    JUMP = 0x95,
    /// `(v -- )` Continues at `n` if `v` is false.
    POP_JUMP_IF_FALSE = 0x96,
    /// `(v -- )` Continues at `n` if `v` is true.
    POP_JUMP_IF_TRUE = 0x97,
    /// If TOS is false, continue at `n` keeping it: `(v -- v)`; else pop it:
    /// `(v -- )`.
    JUMP_IF_FALSE_OR_POP = 0x98,
    /// If TOS is true, continue at `n` keeping it; else pop it.
    JUMP_IF_TRUE_OR_POP = 0x99,
    /// `(iter -- iter next)`; when `iter` is exhausted: `(iter -- )` and
    /// continue at `n`.
    FOR_ITER = 0x9A,
    /// `(sub v -- sub y)` Sends `v` into the sub-iterator (`next()` when `v`
    /// is None); if it yields `y`, falls through (the compiler follows with
    /// `YIELD_VALUE; JUMP` back to this `SEND`). If it returns `r`:
    /// `(sub v -- r)` and continue at `n`.
    SEND = 0x9B,
}

/// The largest number of operand bytes of `op` (see [`Instr::next_pc`]
/// for one instruction's).
pub const fn operand_len(op: Op) -> usize {
    match Format::of(op as u8) {
        Some(f) => f.len(),
        None => 0,
    }
}

/// The value of [`Op::LOAD_INT`]'s operand `arg`: 16 bits, signed.
pub const fn load_int_value(arg: u16) -> i32 {
    arg as i16 as i32
}

/// [`Op::LOAD_INT`]'s operand for `v`, if `v` fits its 16 bits.
pub const fn load_int_operand(v: i64) -> Option<u16> {
    if v >= i16::MIN as i64 && v <= i16::MAX as i64 {
        Some(v as u16)
    } else {
        None
    }
}

/// Appends `op` and its operand `arg` to `out`, in the narrow form when
/// `op` has one and `arg` fits a byte (`None` when `arg` does not fit the
/// opcode's format): the one encoder, for the compiler and tests.
pub fn encode(op: Op, arg: u16, out: &mut impl Extend<u8>) -> Option<()> {
    let [lo, hi] = arg.to_le_bytes();
    if let Some(short) = short_form(op, arg) {
        out.extend([short]);
        return Some(());
    }
    match Format::of(op as u8)? {
        Format::None => out.extend([op as u8]),
        Format::U16 if op.has_narrow() && arg <= 0xFF => out.extend([op as u8 | NARROW, lo]),
        Format::U16 => out.extend([op as u8, lo, hi]),
        Format::U8 if arg <= 0xFF => out.extend([op as u8, lo]),
        Format::U8 => return None,
    }
    Some(())
}

/// Binary operators for [`Op::BINARY_OP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum BinOp {
    /// `+`
    Add = 0,
    /// `-`
    Sub = 1,
    /// `*`
    Mul = 2,
    /// `/`
    TrueDiv = 3,
    /// `//`
    FloorDiv = 4,
    /// `%`
    Mod = 5,
    /// `**`
    Pow = 6,
    /// `<<`
    LShift = 7,
    /// `>>`
    RShift = 8,
    /// `&`
    And = 9,
    /// `|`
    Or = 10,
    /// `^`
    Xor = 11,
    /// `@`
    MatMul = 12,
}

impl BinOp {
    /// Flag or-ed into the operand for the augmented-assignment form.
    pub const INPLACE: u8 = 0x80;

    /// Decodes an operand (without [`BinOp::INPLACE`]).
    pub const fn from_u8(v: u8) -> Option<BinOp> {
        Some(match v {
            0 => BinOp::Add,
            1 => BinOp::Sub,
            2 => BinOp::Mul,
            3 => BinOp::TrueDiv,
            4 => BinOp::FloorDiv,
            5 => BinOp::Mod,
            6 => BinOp::Pow,
            7 => BinOp::LShift,
            8 => BinOp::RShift,
            9 => BinOp::And,
            10 => BinOp::Or,
            11 => BinOp::Xor,
            12 => BinOp::MatMul,
            _ => return None,
        })
    }

    /// The operator as written in Python.
    pub const fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::MatMul => "@",
        }
    }
}

/// Rich comparisons for [`Op::COMPARE_OP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CmpOp {
    /// `<`
    Lt = 0,
    /// `<=`
    Le = 1,
    /// `==`
    Eq = 2,
    /// `!=`
    Ne = 3,
    /// `>`
    Gt = 4,
    /// `>=`
    Ge = 5,
}

impl CmpOp {
    /// Decodes an operand.
    pub const fn from_u8(v: u8) -> Option<CmpOp> {
        Some(match v {
            0 => CmpOp::Lt,
            1 => CmpOp::Le,
            2 => CmpOp::Eq,
            3 => CmpOp::Ne,
            4 => CmpOp::Gt,
            5 => CmpOp::Ge,
            _ => return None,
        })
    }

    /// The operator as written in Python.
    pub const fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// [`Op::MAKE_FUNCTION`] operand bits.
pub mod make_fn {
    /// A tuple of positional defaults is on the stack.
    pub const DEFAULTS: u8 = 0x01;
    /// A dict of keyword-only defaults is on the stack.
    pub const KWDEFAULTS: u8 = 0x02;
    /// A tuple of cells (the closure) is on the stack.
    pub const CLOSURE: u8 = 0x08;
    /// The operand's low bits: the code record's index (the flags above
    /// are `n >> FLAGS_SHIFT`). Twelve bits: an image has at most 4,095
    /// code records besides the module body's.
    pub const CODE: u16 = 0x0FFF;
    /// Where the flags start in the operand.
    pub const FLAGS_SHIFT: u32 = 12;

    /// The operand of `MAKE_FUNCTION` for code record `code` with `flags`
    /// (`None` when `code` does not fit [`CODE`]).
    pub const fn operand(code: u16, flags: u8) -> Option<u16> {
        if code > CODE {
            None
        } else {
            Some(code | (flags as u16) << FLAGS_SHIFT)
        }
    }
}

/// What control does after an instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Continues with the next instruction.
    Next,
    /// Continues with the next instruction or at the operand.
    Branch,
    /// Continues only at the operand.
    Jump,
    /// Leaves the frame (return, raise).
    Stop,
}

/// The stack effect of one instruction: how many items it needs on the
/// stack, and the depth change on each path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    /// Items that must be on the stack before the instruction.
    pub needs: u16,
    /// Depth change when falling through.
    pub next: i16,
    /// Depth change when jumping (for [`Flow::Branch`] and [`Flow::Jump`]).
    pub jump: i16,
}

impl Op {
    /// Control flow after this opcode.
    pub const fn flow(self) -> Flow {
        use Op::*;
        match self {
            RETURN_VALUE | RERAISE | RAISE_VARARGS => Flow::Stop,
            JUMP => Flow::Jump,
            POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE | JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP
            | FOR_ITER | SEND => Flow::Branch,
            _ => Flow::Next,
        }
    }

    /// True if the operand is a jump target.
    pub const fn is_jump(self) -> bool {
        matches!(self.flow(), Flow::Branch | Flow::Jump)
    }

    /// The stack effect with operand `arg`; `None` if the operand is invalid
    /// for this opcode (e.g. `COPY 0`, `BUILD_SLICE 4`), or if a depth would
    /// not fit the effect's 16 bits (`BUILD_LIST 0x8000`, `BUILD_MAP 0x4000`,
    /// `CALL 0xFFFF`). Read from one packed table (`opcode/effect.rs`), the
    /// only definition of the effects.
    pub fn effect(self, arg: u16) -> Option<Effect> {
        effect::of(self, arg)
    }
}

/// One decoded instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instr {
    /// Byte offset of the opcode.
    pub pc: usize,
    /// The opcode.
    pub op: Op,
    /// The operand (0 when none).
    pub arg: u16,
    /// Operand bytes.
    pub operand_len: u8,
}

impl Instr {
    /// Byte offset of the following instruction.
    pub fn next_pc(&self) -> usize {
        self.pc + 1 + self.operand_len as usize
    }
}

/// Decodes the instruction at `pc`. `Err(pc)` for an unknown opcode, an
/// operand that runs past the end of `code`, or the wide form of an
/// operand that fits the narrow one. A narrow form decodes to its wide
/// opcode with `operand_len` 1.
pub fn decode_at(code: &[u8], pc: usize) -> Result<Instr, usize> {
    let byte = *code.get(pc).ok_or(pc)?;
    let at = |i: usize| code.get(pc + i).copied().ok_or(pc);
    let (op, arg, operand_len) = match Format::of(byte).ok_or(pc)? {
        // A short form's operand is in its opcode byte.
        Format::None if (SHORT_LOAD_FAST..0x40).contains(&byte) => {
            (Op::of_byte(byte).ok_or(pc)?, (byte & 0x0F) as u16, 0)
        }
        // So is an implied or operator form's.
        Format::None => match (implied(byte), operator(byte)) {
            (Some((op, arg)), _) | (_, Some((op, arg))) => (op, arg, 0),
            _ => (Op::from_byte(byte).ok_or(pc)?, 0, 0),
        },
        Format::U8 => {
            let op = Op::of_byte(byte).ok_or(pc)?;
            let arg = at(1)? as u16;
            if short_form(op, arg).is_some() {
                return Err(pc);
            }
            (op, arg, 1)
        }
        Format::U16 => {
            let op = Op::from_byte(byte).ok_or(pc)?;
            let arg = u16::from_le_bytes([at(1)?, at(2)?]);
            if op.has_narrow() && arg <= 0xFF {
                return Err(pc);
            }
            (op, arg, 2)
        }
    };
    Ok(Instr {
        pc,
        op,
        arg,
        operand_len,
    })
}

/// Iterates the instructions of `code`; stops at the first undecodable byte
/// (yielding `Err(pc)` once).
pub fn instructions(code: &[u8]) -> impl Iterator<Item = Result<Instr, usize>> + '_ {
    let mut pc = 0;
    let mut failed = false;
    core::iter::from_fn(move || {
        if failed || pc >= code.len() {
            return None;
        }
        match decode_at(code, pc) {
            Ok(i) => {
                pc = i.next_pc();
                Some(Ok(i))
            }
            Err(at) => {
                failed = true;
                Some(Err(at))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_opcode_sits_in_the_range_of_its_format() {
        for &op in Op::ALL {
            assert!(
                Format::of(op as u8).is_some(),
                "{} in invalid range",
                op.name()
            );
            assert_eq!(Op::from_byte(op as u8), Some(op));
        }
    }

    #[test]
    fn every_opcode_has_an_effect_for_a_typical_operand() {
        for &op in Op::ALL {
            let arg = match op {
                Op::SWAP | Op::BUILD_SLICE => 2,
                _ => 1,
            };
            assert!(
                op.effect(arg).is_some(),
                "{} has no effect for {arg}",
                op.name()
            );
        }
    }

    #[test]
    fn no_operand_overflows_the_effect_arithmetic() {
        for &op in Op::ALL {
            for arg in [0, 1, 2, 0x3FFF, 0x4000, 0x7FFF, 0x8000, 0xFFFF] {
                if let Some(e) = op.effect(arg) {
                    assert!(e.next as i32 >= -(e.needs as i32), "{} {arg}", op.name());
                }
            }
        }
        assert_eq!(Op::BUILD_MAP.effect(0x8000), None);
        // Flag 0x04 is unknown; the code index (low 12 bits) is free here.
        assert_eq!(Op::MAKE_FUNCTION.effect(0x4001), None);
        assert_eq!(Op::MAKE_FUNCTION.effect(0x0FFF).map(|e| e.next), Some(1));
        let e = Op::MAKE_FUNCTION.effect(0xB005).unwrap();
        assert_eq!((e.needs, e.next), (3, -2));
        assert_eq!(Op::BUILD_LIST.effect(0xFFFF), None);
        assert_eq!(Op::BUILD_LIST.effect(0x7FFF).map(|e| e.next), Some(-0x7FFE));
    }

    #[test]
    fn decodes_operands_little_endian() {
        let code = [
            Op::LOAD_CONST as u8,
            0x34,
            0x12,
            Op::LOAD_FAST as u8,
            17,
            Op::LOAD_GLOBAL as u8 | NARROW,
            5,
            Op::JUMP as u8,
            0x34,
            0x12,
            Op::RETURN_VALUE as u8,
        ];
        let got: Vec<_> = instructions(&code)
            .map(|i| i.unwrap())
            .map(|i| (i.pc, i.op, i.arg))
            .collect();
        assert_eq!(
            got,
            [
                (0, Op::LOAD_CONST, 0x1234),
                (3, Op::LOAD_FAST, 17),
                (5, Op::LOAD_GLOBAL, 5),
                (7, Op::JUMP, 0x1234),
                (10, Op::RETURN_VALUE, 0)
            ]
        );
    }

    #[test]
    fn truncated_operand_is_an_error() {
        assert_eq!(decode_at(&[Op::JUMP as u8, 1], 0), Err(0));
        assert_eq!(decode_at(&[0xFF], 0), Err(0));
        assert_eq!(decode_at(&[Op::LOAD_CONST as u8 | NARROW], 0), Err(0));
    }

    #[test]
    fn load_int_operands_round_trip_over_16_bits() {
        for v in [0i64, 1, 255, 256, -1, -0x8000, 0x7FFF] {
            let arg = load_int_operand(v).unwrap();
            assert_eq!(load_int_value(arg) as i64, v);
        }
        assert_eq!(load_int_operand(0x8000), None);
        assert_eq!(load_int_operand(-0x8001), None);
    }

    #[test]
    fn narrow_forms_take_one_byte_up_to_255_and_one_encoding_each() {
        for arg in [0, 1, 0xFF, 0x100, 0x1234, 0xFFFF] {
            let mut code = Vec::new();
            encode(Op::LOAD_GLOBAL, arg, &mut code).unwrap();
            let narrow = arg <= 0xFF;
            assert_eq!(code.len(), if narrow { 2 } else { 3 }, "{arg}");
            assert_eq!(code[0] == Op::LOAD_GLOBAL as u8 | NARROW, narrow);
            let i = decode_at(&code, 0).unwrap();
            assert_eq!(
                (i.op, i.arg, i.next_pc()),
                (Op::LOAD_GLOBAL, arg, code.len())
            );
        }
        assert_eq!(encode(Op::LOAD_FAST, 0x100, &mut Vec::new()), None);
        // 5 in the wide form decodes to nothing.
        assert_eq!(decode_at(&[Op::LOAD_CONST as u8, 5, 0], 0), Err(0));
        // Jumps too: a target below 256 takes the narrow form only.
        let mut code = Vec::new();
        encode(Op::JUMP, 5, &mut code).unwrap();
        assert_eq!(code, [Op::JUMP as u8 | NARROW, 5]);
        let i = decode_at(&code, 0).unwrap();
        assert_eq!((i.op, i.arg, i.next_pc()), (Op::JUMP, 5, 2));
        assert_eq!(decode_at(&[Op::JUMP as u8, 5, 0], 0), Err(0));
        assert_eq!(decode_at(&[Op::FOR_ITER as u8, 0, 1], 0).unwrap().arg, 256);
    }

    #[test]
    fn operator_forms_hold_every_operator_in_one_byte() {
        let mut seen = Vec::new();
        let mut check = |op: Op, arg: u16| {
            let mut code = Vec::new();
            encode(op, arg, &mut code).unwrap();
            assert_eq!(code.len(), 1, "{} {arg}", op.name());
            assert!((0x60..=0x7F).contains(&code[0]));
            assert_eq!(Format::of(code[0]), Some(Format::None));
            assert_eq!(Op::from_byte(code[0]), None, "{:#x} collides", code[0]);
            let i = decode_at(&code, 0).unwrap();
            assert_eq!((i.op, i.arg, i.next_pc()), (op, arg, 1));
            // The two-byte encoding of the same instruction is refused.
            assert_eq!(decode_at(&[op as u8, arg as u8], 0), Err(0));
            seen.push(code[0]);
        };
        for k in 0..13 {
            check(Op::BINARY_OP, k);
            check(Op::BINARY_OP, k | BinOp::INPLACE as u16);
        }
        for c in 0..6 {
            check(Op::COMPARE_OP, c);
        }
        seen.sort();
        assert_eq!(seen, (0x60..=0x7F).collect::<Vec<u8>>(), "each byte once");
        // Operators that do not exist have no form; their two-byte
        // encoding decodes, for the verifier's stack effects to refuse.
        assert_eq!(encode(Op::BINARY_OP, 13, &mut Vec::new()), Some(()));
        assert_eq!(Op::BINARY_OP.effect(13), None);
        assert_eq!(Op::COMPARE_OP.effect(6), None);
    }

    #[test]
    fn short_forms_hold_slots_below_16_in_the_opcode() {
        for (op, short) in [
            (Op::LOAD_FAST, SHORT_LOAD_FAST),
            (Op::STORE_FAST, SHORT_STORE_FAST),
        ] {
            for arg in [0u16, 5, 15, 16, 255] {
                let mut code = Vec::new();
                encode(op, arg, &mut code).unwrap();
                let want: &[u8] = if arg < 16 {
                    &[short | arg as u8]
                } else {
                    &[op as u8, arg as u8]
                };
                assert_eq!(code, want);
                let i = decode_at(&code, 0).unwrap();
                assert_eq!((i.op, i.arg, i.next_pc()), (op, arg, code.len()));
            }
            // The long form of a slot below 16: one encoding each.
            assert_eq!(decode_at(&[op as u8, 3], 0), Err(0));
        }
        for b in SHORT_LOAD_FAST..=0x3F {
            assert_eq!(Op::from_byte(b), None, "{b:#x} collides");
        }
        assert_eq!(decode_at(&[Op::POP_TOP as u8], 0).unwrap().arg, 0);
    }

    #[test]
    fn implied_forms_take_one_byte_and_refuse_the_longer_encodings() {
        for (i, (byte, op, arg)) in IMPLIED.into_iter().enumerate() {
            assert_eq!(byte, LOAD_INT_0 + i as u8, "in byte order");
            assert_eq!(Op::from_byte(byte), None, "{byte:#x} collides");
            assert_eq!(Format::of(byte), Some(Format::None));
            let mut code = Vec::new();
            encode(op, arg, &mut code).unwrap();
            assert_eq!(code, [byte]);
            let i = decode_at(&code, 0).unwrap();
            assert_eq!((i.op, i.arg, i.next_pc()), (op, arg, 1));
            // The narrow and wide forms of the same instruction.
            let narrow = if op.has_narrow() {
                op as u8 | NARROW
            } else {
                op as u8
            };
            assert_eq!(decode_at(&[narrow, arg as u8], 0), Err(0), "{}", op.name());
            // A nearby operand without an implied form keeps its longer
            // form (`+ 3`: LOAD_INT 0, 1 and 2 all have one).
            let mut code = Vec::new();
            encode(op, arg + 3, &mut code).unwrap();
            assert_eq!(code, [narrow, arg as u8 + 3]);
        }
        assert_eq!(decode_at(&[Op::LOAD_INT as u8, 1, 0], 0), Err(0));
    }

    #[test]
    fn every_narrow_byte_is_in_the_u8_range() {
        for &op in Op::ALL.iter().filter(|o| o.has_narrow()) {
            let b = op as u8 | NARROW;
            assert_eq!(Format::of(b), Some(Format::U8));
            assert_eq!(Op::from_byte(b), None, "{} collides", op.name());
        }
    }
}
