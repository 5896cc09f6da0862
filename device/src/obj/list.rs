//! `list`: `[header, len, items]`, where `items` is an `ARRAY` block whose
//! size is the capacity (unused slots stay NULL so the collector may scan
//! the whole array). Growth doubles the capacity.

use super::tag;
use crate::heap::Value;
use crate::vm::{Vm, R};

impl Vm<'_> {
    /// An empty list with room for `cap` items.
    pub(crate) fn list_new(&mut self, cap: usize) -> R<Value> {
        let w = self.alloc(tag::LIST, 3)?;
        if cap > 0 {
            let m = self.root(Value::obj(w));
            let arr = self.alloc(tag::ARRAY, 1 + cap);
            self.unroot(m);
            self.heap.setv(w + 2, Value::obj(arr?));
        }
        Ok(Value::obj(w))
    }

    /// A list holding arena words `[base, base + n)`. `base` must not be
    /// in a block that can be collected while allocating (stack or rooted).
    pub(crate) fn list_from_words(&mut self, base: usize, n: usize) -> R<Value> {
        let l = self.list_new(n)?;
        if n > 0 {
            let arr = self.heap.v(l.word() + 2).word();
            self.heap.arena.copy_within(base..base + n, arr + 1);
            self.heap.set(l.word() + 1, n as u32);
        }
        Ok(l)
    }

    /// Length of list `l`.
    #[inline]
    pub(crate) fn list_len(&self, l: Value) -> usize {
        self.heap.w(l.word() + 1) as usize
    }

    /// Capacity of list `l`.
    fn list_cap(&self, l: Value) -> usize {
        let arr = self.heap.v(l.word() + 2);
        if arr.is_null() {
            0
        } else {
            self.heap.size(arr.word()) - 1
        }
    }

    /// Absolute index of item 0 (valid only when len > 0).
    #[inline]
    pub(crate) fn list_base(&self, l: Value) -> usize {
        self.heap.v(l.word() + 2).word() + 1
    }

    /// Makes room for `need` items in total.
    pub(crate) fn list_reserve(&mut self, l: Value, need: usize) -> R<()> {
        let cap = self.list_cap(l);
        if need <= cap {
            return Ok(());
        }
        let want = need.max(cap * 2).max(4);
        let need = need.max(cap + cap / 4).max(4);
        let m = self.root(l);
        let arr = self.alloc_grow(tag::ARRAY, 1 + need, 1 + want);
        self.unroot(m);
        let arr = arr?;
        let n = self.list_len(l);
        let old = self.heap.v(l.word() + 2);
        if n > 0 {
            let b = old.word() + 1;
            self.heap.arena.copy_within(b..b + n, arr + 1);
        }
        self.heap.setv(l.word() + 2, Value::obj(arr));
        Ok(())
    }

    /// `l.append(v)`.
    pub(crate) fn list_push(&mut self, l: Value, v: Value) -> R<()> {
        let n = self.list_len(l);
        if n >= self.list_cap(l) {
            let m = self.root(v);
            let r = self.list_reserve(l, n + 1);
            self.unroot(m);
            r?;
        }
        let b = self.list_base(l);
        self.heap.setv(b + n, v);
        self.heap.set(l.word() + 1, (n + 1) as u32);
        Ok(())
    }

    /// Sets the length to `n` (shrinking), clearing dropped slots.
    pub(crate) fn list_truncate(&mut self, l: Value, n: usize) {
        let len = self.list_len(l);
        if n >= len {
            return;
        }
        let b = self.list_base(l);
        for i in n..len {
            self.heap.setv(b + i, Value::NULL);
        }
        self.heap.set(l.word() + 1, n as u32);
    }

    /// Removes and returns item `i` (in range).
    pub(crate) fn list_remove_at(&mut self, l: Value, i: usize) -> Value {
        let n = self.list_len(l);
        let b = self.list_base(l);
        let v = self.heap.v(b + i);
        self.heap.arena.copy_within(b + i + 1..b + n, b + i);
        self.heap.setv(b + n - 1, Value::NULL);
        self.heap.set(l.word() + 1, (n - 1) as u32);
        v
    }

    /// Inserts `v` before index `i` (clamped).
    pub(crate) fn list_insert(&mut self, l: Value, i: usize, v: Value) -> R<()> {
        let n = self.list_len(l);
        let m = self.root(v);
        let r = self.list_reserve(l, n + 1);
        self.unroot(m);
        r?;
        let i = i.min(n);
        let b = self.list_base(l);
        self.heap.arena.copy_within(b + i..b + n, b + i + 1);
        self.heap.setv(b + i, v);
        self.heap.set(l.word() + 1, (n + 1) as u32);
        Ok(())
    }

    /// Replaces items `[lo, hi)` with arena words `[src, src + k)`, which
    /// must not alias the list's array (copy to a tuple first if needed).
    pub(crate) fn list_splice(&mut self, l: Value, lo: usize, hi: usize, src: Value) -> R<()> {
        let (sb, k) = self.seq_items(src).unwrap_or((0, 0));
        let _ = sb;
        let n = self.list_len(l);
        let new_n = n - (hi - lo) + k;
        let m = self.root(src);
        let r = self.list_reserve(l, new_n);
        self.unroot(m);
        r?;
        if new_n == 0 {
            self.list_truncate(l, 0);
            return Ok(());
        }
        let b = self.list_base(l);
        self.heap.arena.copy_within(b + hi..b + n, b + lo + k);
        let (sb, _) = self.seq_items(src).unwrap_or((0, 0));
        if k > 0 {
            self.heap.arena.copy_within(sb..sb + k, b + lo);
        }
        for i in new_n..n {
            self.heap.setv(b + i, Value::NULL);
        }
        self.heap.set(l.word() + 1, new_n as u32);
        Ok(())
    }
}
