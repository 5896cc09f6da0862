//! Functions, cells and bound methods.
//!
//! ```text
//! FUNC   [header, code index, image, globals, defaults, kwdefaults, closure]
//! CELL   [header, content]
//! BOUND  [header, self, function]
//! GEN    [header, frame]
//! ```
//!
//! A generator's state lives in its frame's flags (see
//! [`crate::vm::frame::flag`]).

use super::tag;
use crate::heap::Value;
use crate::vm::{Vm, R};

/// FUNC field: code index.
pub const F_CODE: usize = 1;
/// FUNC field: image.
pub const F_IMAGE: usize = 2;
/// FUNC field: globals.
pub const F_GLOBALS: usize = 3;
/// FUNC field: defaults tuple.
pub const F_DEFAULTS: usize = 4;
/// FUNC field: kw-defaults dict.
pub const F_KWDEFAULTS: usize = 5;
/// FUNC field: closure tuple.
pub const F_CLOSURE: usize = 6;

impl Vm<'_> {
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
