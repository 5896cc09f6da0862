//! `range`: `[header, start, stop, step]` as raw i32 (small-int bounds).

use super::{tag, T};
use crate::heap::Value;
use crate::vm::call::Args;
use crate::vm::fmt::Out;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

impl Vm<'_> {
    /// A new range (step != 0, checked by the caller).
    pub(crate) fn range_new(&mut self, start: i32, stop: i32, step: i32) -> R<Value> {
        let w = self.alloc(tag::RANGE, 4)?;
        self.heap.set(w + 1, start as u32);
        self.heap.set(w + 2, stop as u32);
        self.heap.set(w + 3, step as u32);
        Ok(Value::obj(w))
    }

    /// `range(stop)`, `range(start, stop[, step])` (the arity checked by
    /// the caller).
    pub(crate) fn range_construct(&mut self, a: &Args) -> R<Value> {
        let mut p = [0i64, 0, 1];
        for (i, slot) in p.iter_mut().enumerate().take(a.n) {
            *slot = crate::builtins::funcs::int_arg(self, self.arg(a, i), "range()")?;
        }
        let (s, e, st) = if a.n == 1 {
            (0, p[0], 1)
        } else {
            (p[0], p[1], p[2])
        };
        if st == 0 {
            return self.raise_s(T::ValueError, ErrMsg::ValueRange, b"range() step");
        }
        let fits = |x: i64| (i32::MIN as i64 / 2..=i32::MAX as i64 / 2).contains(&x);
        if !fits(s) || !fits(e) || !fits(st) {
            return self.raise(T::OverflowError, ErrMsg::IntOverflow);
        }
        self.range_new(s as i32, e as i32, st as i32)
    }

    /// `(start, stop, step)` of range `r`: the three words with one bounds
    /// check (inlined at ten callers: −124 bytes against a check each).
    pub(crate) fn range_parts(&self, r: Value) -> (i64, i64, i64) {
        let [a, b, s] = self
            .heap
            .words::<3>(r.word() + 1)
            .copied()
            .unwrap_or_default();
        (a as i32 as i64, b as i32 as i64, s as i32 as i64)
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

impl Vm<'_> {
    /// Writes range `v`'s repr: `range(0, 5)`, the step only when not 1.
    pub(crate) fn write_range(&mut self, out: &mut Out, v: Value) {
        let (a, b, s) = self.range_parts(v);
        self.emit(out, b"range(");
        self.emit_int(out, a);
        self.emit(out, b", ");
        self.emit_int(out, b);
        if s != 1 {
            self.emit(out, b", ");
            self.emit_int(out, s);
        }
        self.emit(out, b")");
    }
}
