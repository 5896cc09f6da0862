//! `tuple`: `[header, len, items…]`, immutable once built.

use super::tag;
use crate::heap::Value;
use crate::vm::{Vm, R};

impl Vm<'_> {
    /// A tuple of `n` NULL items (the caller fills it before it escapes).
    pub(crate) fn tuple_new(&mut self, n: usize) -> R<Value> {
        let w = self.alloc(tag::TUPLE, 2 + n)?;
        self.heap.set(w + 1, n as u32);
        Ok(Value::obj(w))
    }

    /// A tuple copied from arena words `[base, base + n)`.
    pub(crate) fn tuple_from_words(&mut self, base: usize, n: usize) -> R<Value> {
        let t = self.tuple_new(n)?;
        let w = t.word();
        self.heap.arena.copy_within(base..base + n, w + 2);
        Ok(t)
    }

    /// A 2-tuple.
    pub(crate) fn tuple2(&mut self, a: Value, b: Value) -> R<Value> {
        let ma = self.root(a);
        self.root(b);
        let t = self.tuple_new(2);
        self.unroot(ma);
        let t = t?;
        self.heap.setv(t.word() + 2, a);
        self.heap.setv(t.word() + 3, b);
        Ok(t)
    }

    /// If `v` is a tuple or list: `(absolute index of item 0, len)`.
    #[inline]
    pub(crate) fn seq_items(&self, v: Value) -> Option<(usize, usize)> {
        if !v.is_obj() {
            return None;
        }
        let w = v.word();
        match self.heap.tag(w) {
            tag::TUPLE => Some((w + 2, self.heap.w(w + 1) as usize)),
            tag::LIST => {
                let n = self.heap.w(w + 1) as usize;
                let arr = self.heap.v(w + 2);
                if arr.is_null() {
                    Some((0, 0))
                } else {
                    Some((arr.word() + 1, n))
                }
            }
            _ => None,
        }
    }
}
