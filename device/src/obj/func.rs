//! Functions, cells and bound methods.
//!
//! ```text
//! FUNC   [header, code, entry, shape, image, globals]                    (a plain function)
//! FUNC   [header, code, entry, shape, image, globals, defaults, kwdefaults, closure]
//! CELL   [header, content]
//! BOUND  [header, self, function]
//! GEN    [header, frame]
//! ```
//!
//! A function without defaults, keyword defaults or a closure (most
//! functions and methods) is the short form, 12 bytes less of heap each;
//! the three words are read through [`Vm::func_extra`], which answers
//! `NULL` past the block's end.
//!
//! `code`, `entry` and `shape` are raw words (the collector scans a FUNC
//! from `image` on): the code index, plus what a call needs from the code
//! record, decoded once by `MAKE_FUNCTION` instead of on every call (see
//! [`F_FAST`], [`shape`]).
//!
//! A generator's state lives in its frame's flags (see
//! [`crate::vm::frame::flag`]).

use super::tag;
use crate::heap::Value;
use crate::vm::{Vm, R};

/// FUNC field: code index (bits 0..16) | [`F_FAST`].
pub const F_CODE: usize = 1;
// `F_CODE`, `F_ENTRY`, `F_SHAPE` are read as one run by a call.
const _: () = assert!(F_ENTRY == F_CODE + 1 && F_SHAPE == F_CODE + 2);

/// FUNC field: code address of the bytecode (raw).
pub const F_ENTRY: usize = 2;
/// FUNC field: [`shape`] of the code (raw).
pub const F_SHAPE: usize = 3;
/// FUNC field: image.
pub const F_IMAGE: usize = 4;
/// FUNC field: globals.
pub const F_GLOBALS: usize = 5;
/// FUNC field: defaults tuple.
pub const F_DEFAULTS: usize = 6;
/// FUNC field: kw-defaults dict.
pub const F_KWDEFAULTS: usize = 7;
/// FUNC field: closure tuple.
pub const F_CLOSURE: usize = 8;
/// Words of a FUNC block with defaults, keyword defaults or a closure.
pub const FUNC_WORDS: usize = 9;
/// Words of a FUNC block without them.
pub const FUNC_SHORT: usize = F_DEFAULTS;
/// First FUNC word the collector scans.
pub const FUNC_VALUES: usize = F_IMAGE;

/// `F_CODE` bit: a call with exactly `argcount` positional arguments and no
/// keywords just copies them into the first locals. Set when the code is
/// not a generator, has no `*args`, `**kwargs`, keyword-only parameters,
/// cells or free variables.
pub const F_FAST: u32 = 1 << 16;

/// The `F_SHAPE` word: `argcount | nlocals << 8 | max_stack << 16`.
pub fn shape(argcount: u8, nlocals: u8, max_stack: u16) -> u32 {
    argcount as u32 | (nlocals as u32) << 8 | (max_stack as u32) << 16
}

impl Vm<'_> {
    /// Word `field` of function `f` past its globals ([`F_DEFAULTS`],
    /// [`F_KWDEFAULTS`], [`F_CLOSURE`]): `NULL` in a short FUNC.
    pub(crate) fn func_extra(&self, f: Value, field: usize) -> Value {
        let w = f.word();
        if field < self.heap.size(w) {
            self.heap.v(w + field)
        } else {
            Value::NULL
        }
    }

    /// A new cell holding `v`.
    pub(crate) fn cell_new(&mut self, v: Value) -> R<Value> {
        let m = self.root(v);
        let w = self.alloc(tag::CELL, 2);
        self.unroot(m);
        let w = w?;
        self.heap.setv(w + 1, v);
        Ok(Value::obj(w))
    }

    /// A bound method (only when a method escapes: `f = obj.meth`).
    pub(crate) fn bound_new(&mut self, this: Value, f: Value) -> R<Value> {
        let m = self.root(this);
        self.root(f);
        let w = self.alloc(tag::BOUND, 3);
        self.unroot(m);
        let w = w?;
        self.heap.setv(w + 1, this);
        self.heap.setv(w + 2, f);
        Ok(Value::obj(w))
    }
}
