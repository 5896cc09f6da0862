//! `bytes` and `bytearray`.
//!
//! ```text
//! BYTES      [header, hash, len, len, bytes…]   the str layout
//! BYTEARRAY  [header, buffer]                   buffer: a BYTES block
//! ```
//!
//! A `bytes` block has exactly the layout of a `str` block, with its byte
//! count in the char-count word too: every accessor and algorithm of
//! [`super::str`] (`str_bytes`, `str_span`, `str_from_arena`, the str
//! methods) reads it as it is, byte for byte. A `bytearray` keeps its bytes
//! in a separate `BYTES` block so it can grow in place: the block's size is
//! the capacity, its length words say how much is used, and its cached hash
//! goes stale (a bytearray is unhashable). The buffer never escapes to
//! Python: whatever a method returns is a fresh block.

#[cfg(feature = "bytes")]
pub mod methods;

use super::exc::Part;
use super::str::data;
use super::{tag, T};
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

impl Vm<'_> {
    /// Allocates a zeroed bytes block of `n` bytes (call
    /// [`Vm::bytes_finish`] after filling it).
    pub(crate) fn bytes_alloc(&mut self, n: usize) -> R<usize> {
        if n >= 1 << 24 {
            return Err(self.raise_oom());
        }
        let w = self.alloc(tag::BYTES, 4 + n.div_ceil(4))?;
        self.bytes_set_len(w, n);
        Ok(w)
    }

    /// Sets the length words of bytes block `w` (at most its capacity:
    /// a block may be shortened after it is filled, as the buses do).
    pub(crate) fn bytes_set_len(&mut self, w: usize, n: usize) {
        self.heap.set(w + 2, n as u32);
        self.heap.set(w + 3, n as u32);
    }

    /// Computes the cached hash of bytes block `w`; returns it as a value.
    pub(crate) fn bytes_finish(&mut self, w: usize) -> Value {
        let h = super::str::hash_bytes(self.str_bytes(Value::obj(w)));
        self.heap.set(w + 1, h);
        Value::obj(w)
    }

    #[cfg(feature = "bytes")]
    /// A new bytes with a copy of `b`.
    pub(crate) fn bytes_from_slice(&mut self, b: &[u8]) -> R<Value> {
        let w = self.bytes_alloc(b.len())?;
        let d = data(w);
        self.heap.bytes_mut()[d..d + b.len()].copy_from_slice(b);
        Ok(self.bytes_finish(w))
    }

    /// A new bytes (or, with `ba`, bytearray) copied from arena bytes
    /// `[src, src + n)`.
    pub(crate) fn bytes_from_arena(&mut self, src: usize, n: usize, ba: bool) -> R<Value> {
        let w = self.bytes_alloc(n)?;
        self.copy_code(src, data(w), n);
        self.bytes_done(w, ba)
    }

    /// Finishes a filled bytes block `w` as a bytes, or wraps it as the
    /// buffer of a new bytearray.
    pub(crate) fn bytes_done(&mut self, w: usize, ba: bool) -> R<Value> {
        let b = self.bytes_finish(w);
        if !ba {
            return Ok(b);
        }
        let m = self.root(b);
        let a = self.alloc(tag::BYTEARRAY, 2);
        self.unroot(m);
        let a = a?;
        self.heap.setv(a + 1, b);
        Ok(Value::obj(a))
    }

    /// True for a bytearray. Without the `bytes` feature no bytearray
    /// can exist (its constructor raises; no literal makes one), so the
    /// answer is a constant and the bytearray paths behind it (`+=`,
    /// item and slice assignment, `del`) leave the firmware.
    #[inline]
    pub(crate) fn is_bytearray(&self, v: Value) -> bool {
        cfg!(feature = "bytes") && self.is(v, tag::BYTEARRAY)
    }

    /// The bytes-layout block holding the content of a bytes or bytearray
    /// (a bytes itself, a bytearray's buffer); `None` for anything else.
    pub(crate) fn bytes_view(&self, v: Value) -> Option<Value> {
        if self.is(v, tag::BYTES) {
            Some(v)
        } else if self.is_bytearray(v) {
            Some(self.heap.v(v.word() + 1))
        } else {
            None
        }
    }

    /// The content of a bytes or bytearray.
    pub(crate) fn bytes_data(&self, v: Value) -> Option<&[u8]> {
        self.bytes_view(v).map(|b| self.str_bytes(b))
    }

    /// `(absolute start, length)` of the content of a bytes or bytearray.
    #[inline(always)]
    pub(crate) fn bytes_span(&self, v: Value) -> Option<(usize, usize)> {
        self.bytes_span_packed(v).map(crate::heap::unpack)
    }

    /// [`Vm::bytes_span`] in a register pair ([`crate::heap::pack`]; a
    /// content's start is past the block's header, never 0).
    fn bytes_span_packed(&self, v: Value) -> Option<core::num::NonZeroU64> {
        let (at, n) = self.str_span(self.bytes_view(v)?);
        crate::heap::pack(at, n)
    }

    /// Equality of contents when both are bytes-like (`b'a' ==
    /// bytearray(b'a')`); `None` when either is not.
    pub(crate) fn bytes_eq(&self, a: Value, b: Value) -> Option<bool> {
        Some(self.bytes_data(a)? == self.bytes_data(b)?)
    }

    /// `bytes(x)` / `bytearray(x)` for one argument that is not a str:
    /// a count of zero bytes, a bytes-like object, or an iterable of ints
    /// in `range(0, 256)`.
    pub(crate) fn bytes_of(&mut self, host: &mut Hx<'_>, x: Value, ba: bool) -> R<Value> {
        if let Some((s, n)) = self.bytes_span(x) {
            if !ba && self.is(x, tag::BYTES) {
                return Ok(x);
            }
            return self.bytes_from_arena(s, n, ba);
        }
        if let Some(n) = self.int_val(x) {
            if n < 0 {
                return self.raise(T::ValueError, ErrMsg::NegativeCount);
            }
            let w = self.bytes_alloc(n as usize)?;
            return self.bytes_done(w, ba);
        }
        if self.is_str(x) {
            return self.raise(T::TypeError, ErrMsg::StrWithoutEncoding);
        }
        let items = if self.is(x, tag::LIST) || self.is(x, tag::TUPLE) {
            x
        } else {
            self.list_from_iter(host, x)?
        };
        let m = self.root(items);
        let r = (|| {
            let (_, n) = self.seq_items(items).unwrap_or((0, 0));
            let w = self.bytes_alloc(n)?;
            for i in 0..n {
                let (b, k) = self.seq_items(items).unwrap_or((0, 0));
                let item = if i < k {
                    self.heap.v(b + i)
                } else {
                    Value::small(0)
                };
                let byte = self.byte_of(item, ErrMsg::BytesRange)?;
                self.heap.bytes_mut()[data(w) + i] = byte;
            }
            self.bytes_done(w, ba)
        })();
        self.unroot(m);
        r
    }

    /// An int in `range(0, 256)` as a byte: `TypeError` for a non-int,
    /// `ValueError` with `msg` for one out of range.
    pub(crate) fn byte_of(&mut self, v: Value, msg: ErrMsg) -> R<u8> {
        match self.int_val(v) {
            Some(i) => match u8::try_from(i) {
                Ok(b) => Ok(b),
                Err(_) => self.raise(T::ValueError, msg),
            },
            None => self.raise_type(ErrMsg::ArgType, v),
        }
    }

    /// `a + b` (the type of `a`), `a * n`, for bytes-likes.
    pub(crate) fn bytes_concat(&mut self, a: Value, b: Value, times: usize) -> R<Value> {
        let ba = self.is_bytearray(a);
        let la = self.bytes_span(a).map_or(0, |s| s.1);
        let lb = self.bytes_span(b).map_or(0, |s| s.1);
        let Some(total) = la.checked_mul(times).and_then(|t| t.checked_add(lb)) else {
            return Err(self.raise_oom());
        };
        let w = self.bytes_alloc(total)?;
        let d = data(w);
        // No loop over `times` when there is nothing to copy (`b'' * 10**9`).
        if la > 0 {
            for k in 0..times {
                let (sa, _) = self.bytes_span(a).unwrap_or((0, 0));
                self.heap.bytes_mut().copy_within(sa..sa + la, d + k * la);
            }
        }
        if let Some((sb, _)) = self.bytes_span(b) {
            self.heap
                .bytes_mut()
                .copy_within(sb..sb + lb, d + la * times);
        }
        self.bytes_done(w, ba)
    }

    /// Replaces bytes `[lo, hi)` of bytearray `ba` with the content of the
    /// bytes-like `src` (rooted by the caller; not `ba` itself: callers
    /// copy first), growing the buffer when needed.
    pub(crate) fn bytearray_splice(
        &mut self,
        ba: Value,
        lo: usize,
        hi: usize,
        src: Value,
    ) -> R<()> {
        let (_, len) = self.bytes_span(ba).unwrap_or((0, 0));
        let (_, k) = self.bytes_span(src).unwrap_or((0, 0));
        let total = len - (hi - lo) + k;
        let buf = self.heap.v(ba.word() + 1).word();
        if total > (self.heap.size(buf) - 4) * 4 {
            // Grow by half again, so appends run in amortized O(1).
            let want = total + total / 2 + 4;
            let nb = self.alloc_grow(tag::BYTES, 4 + total.div_ceil(4), 4 + want.div_ceil(4))?;
            let old = self.heap.v(ba.word() + 1).word();
            self.heap
                .bytes_mut()
                .copy_within(data(old)..data(old) + len, data(nb));
            self.heap.setv(ba.word() + 1, Value::obj(nb));
        }
        let buf = self.heap.v(ba.word() + 1).word();
        let d = data(buf);
        self.heap
            .bytes_mut()
            .copy_within(d + hi..d + len, d + lo + k);
        if let Some((s, _)) = self.bytes_span(src) {
            self.heap.bytes_mut().copy_within(s..s + k, d + lo);
        }
        self.bytes_set_len(buf, total);
        Ok(())
    }

    /// Removes byte `i` (in range) of bytearray `ba` and returns it.
    pub(crate) fn bytearray_remove_at(&mut self, ba: Value, i: usize) -> u8 {
        let buf = self.heap.v(ba.word() + 1).word();
        let (d, len) = self.str_span(Value::obj(buf));
        let b = self.heap.byte(d + i);
        self.heap.bytes_mut().copy_within(d + i + 1..d + len, d + i);
        self.bytes_set_len(buf, len - 1);
        b
    }

    #[cfg(feature = "bytes")]
    /// Inserts byte `b` at `i` (at most the length) of bytearray `ba`.
    pub(crate) fn bytearray_insert(&mut self, ba: Value, i: usize, b: u8) -> R<()> {
        let one = self.bytes_from_slice(&[b])?;
        let m = self.root(one);
        let r = self.bytearray_splice(ba, i, i, one);
        self.unroot(m);
        r
    }

    /// `c[k]` for a bytes or bytearray `c`: an int, or a slice of the same
    /// type.
    pub(crate) fn bytes_getitem(&mut self, c: Value, k: Value) -> R<Value> {
        let ba = self.is_bytearray(c);
        let (_, n) = self.bytes_span(c).unwrap_or((0, 0));
        if self.is(k, tag::SLICE) {
            let (start, step, count) = self.slice_indices(k, n)?;
            let w = self.bytes_alloc(count)?;
            let (s, _) = self.bytes_span(c).unwrap_or((0, 0));
            for i in 0..count {
                let b = self.heap.byte(s + (start + i as isize * step) as usize);
                self.heap.bytes_mut()[data(w) + i] = b;
            }
            return self.bytes_done(w, ba);
        }
        let what: &[u8] = if ba { b"bytearray" } else { b"index" };
        let i = self.index(k, n, what)?;
        let (s, _) = self.bytes_span(c).unwrap_or((0, 0));
        Ok(Value::small(self.heap.byte(s + i) as i32))
    }

    /// `ba[k] = v` for a bytearray `ba`.
    pub(crate) fn bytearray_setitem(
        &mut self,
        host: &mut Hx<'_>,
        ba: Value,
        k: Value,
        v: Value,
    ) -> R<()> {
        let (_, n) = self.bytes_span(ba).unwrap_or((0, 0));
        if !self.is(k, tag::SLICE) {
            let i = self.index(k, n, b"bytearray")?;
            let b = self.byte_of(v, ErrMsg::ByteRange)?;
            let (s, _) = self.bytes_span(ba).unwrap_or((0, 0));
            self.heap.bytes_mut()[s + i] = b;
            return Ok(());
        }
        let (start, step, count) = self.slice_indices(k, n)?;
        if self.int_val(v).is_some() || self.is_str(v) {
            return self.raise(T::TypeError, ErrMsg::BytearrayAssign);
        }
        // A bytearray source (`ba` itself, maybe) is copied.
        let src = self.bytes_of(host, v, false)?;
        let m = self.root(src);
        let (_, kn) = self.bytes_span(src).unwrap_or((0, 0));
        let r = if step == 1 {
            let lo = start as usize;
            self.bytearray_splice(ba, lo, lo + count, src)
        } else if kn != count {
            let parts = [Part::Num(kn), Part::Num(count)];
            self.raise_parts(T::ValueError, ErrMsg::ExtendedSliceBytes, &parts)
        } else {
            for i in 0..count {
                let (s, _) = self.bytes_span(src).unwrap_or((0, 0));
                let b = self.heap.byte(s + i);
                let (d, _) = self.bytes_span(ba).unwrap_or((0, 0));
                self.heap.bytes_mut()[d + (start + i as isize * step) as usize] = b;
            }
            Ok(())
        };
        self.unroot(m);
        r
    }

    /// `del ba[k]` for a bytearray `ba`.
    pub(crate) fn bytearray_delitem(&mut self, ba: Value, k: Value) -> R<()> {
        let (_, n) = self.bytes_span(ba).unwrap_or((0, 0));
        if !self.is(k, tag::SLICE) {
            let i = self.index(k, n, b"bytearray")?;
            self.bytearray_remove_at(ba, i);
            return Ok(());
        }
        let (start, step, count) = self.slice_indices(k, n)?;
        // From the highest index down, so the lower ones stay put.
        for i in (0..count).rev() {
            let j = if step > 0 { i } else { count - 1 - i };
            self.bytearray_remove_at(ba, (start + j as isize * step) as usize);
        }
        Ok(())
    }

    /// `x in c` for a bytes-like `c`: an int byte or a subsequence.
    pub(crate) fn bytes_contains(&mut self, c: Value, x: Value) -> R<bool> {
        if self.int_val(x).is_some() {
            let b = self.byte_of(x, ErrMsg::ByteRange)?;
            return Ok(self.bytes_data(c).is_some_and(|d| d.contains(&b)));
        }
        match (self.bytes_data(c), self.bytes_data(x)) {
            (Some(h), Some(n)) => Ok(super::str::find_bytes(h, n, 0).is_some()),
            _ => self.raise(T::TypeError, ErrMsg::NeedBytesLike),
        }
    }
}
