//! `list`: `[header, len, items]`, where `items` is an `ARRAY` block whose
//! size is the capacity (unused slots stay NULL so the collector may scan
//! the whole array). Growth doubles the capacity.
//!
//! Here too: the list's methods ([`Vm::list_method`]; `count` is Python,
//! in `lib/list.py`) and its sort.

use super::{tag, T};
use crate::builtins::methods::m;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::CmpOp;

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

    /// Calls list method `id` on `self` (argument 0, a list: checked by
    /// `methods::call`, with the arity).
    pub(crate) fn list_method(&mut self, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
        let this = self.arg(a, 0);
        match id {
            m::LIST_APPEND => self.list_push(this, self.arg(a, 1))?,
            m::LIST_EXTEND => self.list_extend_iter(host, this, self.arg(a, 1))?,
            m::LIST_POP => {
                let len = self.list_len(this);
                if len == 0 {
                    return self.raise(T::IndexError, ErrMsg::PopEmpty);
                }
                let i = if a.n == 2 {
                    self.index(self.arg(a, 1), len, b"pop")?
                } else {
                    len - 1
                };
                return Ok(self.list_remove_at(this, i));
            }
            m::LIST_INSERT => {
                let Some(i) = self.int_val(self.arg(a, 1)) else {
                    return self.raise_type(ErrMsg::IndexType, self.arg(a, 1));
                };
                let len = self.list_len(this) as i64;
                let i = if i < 0 { (i + len).max(0) } else { i.min(len) };
                self.list_insert(this, i as usize, self.arg(a, 2))?;
            }
            m::LIST_REMOVE => match self.seq_index(host, a)? {
                Some(i) => {
                    self.list_remove_at(this, i);
                }
                None => return self.raise(T::ValueError, ErrMsg::ListRemoveNotIn),
            },
            m::LIST_INDEX => {
                return match self.seq_index(host, a)? {
                    Some(i) => self.int_from_i64(i as i64),
                    None => {
                        crate::builtins::methods::not_in(self, self.arg(a, 1), ErrMsg::NotInList)
                    }
                }
            }
            m::LIST_SORT => {
                let key = self.kwarg(a, b"key").unwrap_or(Value::NONE);
                let rev = self.kwarg(a, b"reverse").is_some_and(|r| self.truthy(r));
                self.list_sort(host, this, key, rev)?;
            }
            m::LIST_REVERSE => {
                let len = self.list_len(this);
                if len > 1 {
                    let b = self.list_base(this);
                    self.heap.arena[b..b + len].reverse();
                }
            }
            m::LIST_COPY => return self.list_from_iter(host, this),
            _ => self.list_truncate(this, 0),
        }
        Ok(Value::NONE)
    }

    /// Stable merge sort of list `l` in place, by `key` (None: the items);
    /// `rev`: descending (still stable).
    pub(crate) fn list_sort(
        &mut self,
        host: &mut Hx<'_>,
        l: Value,
        key: Value,
        rev: bool,
    ) -> R<()> {
        let n = self.list_len(l);
        if n < 2 {
            return Ok(());
        }
        let mk = self.root(l);
        let r = (|| {
            // pairs[2i] = key, pairs[2i+1] = item; tmp is the merge target.
            let pairs = self.alloc(tag::ARRAY, 1 + 2 * n)?;
            self.root(Value::obj(pairs));
            let tmp = self.alloc(tag::ARRAY, 1 + 2 * n)?;
            self.root(Value::obj(tmp));
            for i in 0..n {
                let x = self.heap.v(self.list_base(l) + i);
                self.heap.setv(pairs + 1 + 2 * i + 1, x);
                self.heap.setv(pairs + 1 + 2 * i, x);
            }
            if key != Value::NONE {
                for i in 0..n {
                    let x = self.heap.v(pairs + 2 + 2 * i);
                    let k = self.call_nested(host, key, &[x])?;
                    self.heap.setv(pairs + 1 + 2 * i, k);
                }
            }
            let (mut src, mut dst) = (pairs, tmp);
            let mut width = 1;
            while width < n {
                let mut lo = 0;
                while lo < n {
                    let mid = (lo + width).min(n);
                    let hi = (lo + 2 * width).min(n);
                    let (mut i, mut j, mut k) = (lo, mid, lo);
                    while i < mid || j < hi {
                        let take_right = if i >= mid {
                            true
                        } else if j >= hi {
                            false
                        } else {
                            let ki = self.heap.v(src + 1 + 2 * i);
                            let kj = self.heap.v(src + 1 + 2 * j);
                            if rev {
                                self.compare_host(host, CmpOp::Lt, ki, kj)?
                            } else {
                                self.compare_host(host, CmpOp::Lt, kj, ki)?
                            }
                        };
                        let from = if take_right { &mut j } else { &mut i };
                        let (kk, vv) = (
                            self.heap.w(src + 1 + 2 * *from),
                            self.heap.w(src + 2 + 2 * *from),
                        );
                        *from += 1;
                        self.heap.set(dst + 1 + 2 * k, kk);
                        self.heap.set(dst + 2 + 2 * k, vv);
                        k += 1;
                    }
                    lo = hi;
                }
                core::mem::swap(&mut src, &mut dst);
                width *= 2;
            }
            let n2 = self.list_len(l).min(n);
            let b = self.list_base(l);
            for i in 0..n2 {
                let v = self.heap.v(src + 2 + 2 * i);
                self.heap.setv(b + i, v);
            }
            Ok(())
        })();
        self.unroot(mk);
        r
    }
}
