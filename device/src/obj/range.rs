//! `range`: `[header, start, stop, step]` as raw i32 (small-int bounds).

use super::tag;
use crate::heap::Value;
use crate::vm::{Vm, R};

impl Vm<'_> {
    /// A new range (step != 0, checked by the caller).
    pub(crate) fn range_new(&mut self, start: i32, stop: i32, step: i32) -> R<Value> {
        let w = self.alloc(tag::RANGE, 4)?;
        self.heap.set(w + 1, start as u32);
        self.heap.set(w + 2, stop as u32);
        self.heap.set(w + 3, step as u32);
        Ok(Value::obj(w))
    }

    /// `(start, stop, step)` of range `r`.
    pub(crate) fn range_parts(&self, r: Value) -> (i64, i64, i64) {
        let w = r.word();
        (
            self.heap.w(w + 1) as i32 as i64,
            self.heap.w(w + 2) as i32 as i64,
            self.heap.w(w + 3) as i32 as i64,
        )
    }
}

/// Number of items of `range(start, stop, step)`.
pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        (stop - start + step - 1) / step
    } else if step < 0 && start > stop {
        (start - stop - step - 1) / (-step)
    } else {
        0
    }
}
