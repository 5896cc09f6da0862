//! `tuple`: `[header, len, items…]`, immutable once built.

use super::{tag, T};
use crate::builtins::methods::m;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::call::Args;
use crate::vm::fmt::{Out, Up};
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

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
    #[inline(always)]
    pub(crate) fn seq_items(&self, v: Value) -> Option<(usize, usize)> {
        self.seq_items_packed(v).map(crate::heap::unpack)
    }

    /// [`Vm::seq_items`] as one register pair (see [`crate::heap::pack`]).
    /// An empty list without an item array answers its own block, which
    /// no read of zero items touches.
    fn seq_items_packed(&self, v: Value) -> Option<core::num::NonZeroU64> {
        if !v.is_obj() {
            return None;
        }
        let w = v.word();
        match self.heap.tag(w) {
            tag::TUPLE => crate::heap::pack(w + 2, self.heap.w(w + 1) as usize),
            tag::LIST => {
                let n = self.heap.w(w + 1) as usize;
                let arr = self.heap.v(w + 2);
                if arr.is_null() {
                    crate::heap::pack(w, 0)
                } else {
                    crate::heap::pack(arr.word() + 1, n)
                }
            }
            _ => None,
        }
    }

    /// Calls tuple method `id` (`index`, `count`) on `self` (argument 0, a
    /// tuple: checked by `methods::call`, with the arity).
    pub(crate) fn tuple_method(&mut self, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
        if id == m::TUPLE_INDEX {
            return match self.seq_index(host, a)? {
                Some(i) => self.int_from_i64(i as i64),
                None => self.raise(T::ValueError, ErrMsg::TupleIndexNotIn),
            };
        }
        let (this, x) = (self.arg(a, 0), self.arg(a, 1));
        let (mut c, mut i) = (0, 0);
        while let Some(j) = self.seq_find(host, this, x, i, usize::MAX)? {
            (c, i) = (c + 1, j + 1);
        }
        self.int_from_i64(c)
    }

    /// `seq.index(x[, start[, stop]])` of a list or tuple, `seq` and the
    /// arguments in `a`: where `x` first is in `start..stop` (clamped as a
    /// slice's bounds), `None` if nowhere (`list.remove` shares it).
    pub(crate) fn seq_index(&mut self, host: &mut Hx<'_>, a: &Args) -> R<Option<usize>> {
        let this = self.arg(a, 0);
        let (_, len) = self.seq_items(this).unwrap_or((0, 0));
        let bound = |vm: &Vm, i: usize, dflt: usize| -> usize {
            if a.n > i {
                let v = vm.int_val(vm.arg(a, i)).unwrap_or(0);
                let v = if v < 0 { v + len as i64 } else { v };
                v.clamp(0, len as i64) as usize
            } else {
                dflt
            }
        };
        let (lo, hi) = (bound(self, 2, 0), bound(self, 3, len));
        self.seq_find(host, this, self.arg(a, 1), lo, hi)
    }
}

impl Vm<'_> {
    /// Writes tuple or list `v`'s repr (`(1,)`, `[1, 2]`), inside `me`;
    /// `t` is its tag, which the caller dispatched on.
    pub(crate) fn write_seq(&mut self, out: &mut Out, v: Value, t: u32, me: &Up) -> R<()> {
        let is_list = t == tag::LIST;
        self.emit(out, if is_list { b"[" } else { b"(" });
        if self.write_items(out, v, me)? == 1 && !is_list {
            self.emit(out, b",");
        }
        self.emit(out, if is_list { b"]" } else { b")" });
        Ok(())
    }

    /// Renders the items of tuple or list `s` (inside `me`), comma
    /// separated, re-read after each (a user method may change a list);
    /// the count.
    pub(crate) fn write_items(&mut self, out: &mut Out, s: Value, me: &Up) -> R<usize> {
        let mut i = 0;
        loop {
            let (b, n) = self.seq_items(s).unwrap_or((0, 0));
            if i >= n {
                return Ok(n);
            }
            if i > 0 {
                self.emit(out, b", ");
            }
            let x = self.heap.v(b + i);
            self.write_in(out, x, true, Some(me))?;
            i += 1;
        }
    }
}
