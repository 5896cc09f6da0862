//! Iterators: sequence iterators, range iterators, enumerate, zip, map,
//! dict views, and generators.
//!
//! ```text
//! ITER        [header, kind, position, sequence]
//! RANGE_ITER  [header, next, stop, step]
//! ENUMERATE   [header, count, iterator]
//! ZIP         [header, tuple of iterators]
//! MAP         [header, function, tuple of iterators]
//! GEN         [header, frame]
//! ```
//!
//! [`Vm::iter_next`] is the general protocol; the dispatch loop inlines
//! the range/list/tuple cases of `FOR_ITER` and resumes generators
//! without nesting. Natives that drain a generator run it in a nested
//! dispatch loop ([`Vm::gen_next`]).

use super::{tag, T};
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::call::Args;
use crate::vm::frame::{self, flag};
use crate::vm::{Vm, R};

/// Nesting limit of wrapping iterators (`enumerate(zip(map(…)))`).
const MAX_ITER_NEST: u8 = 32;
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::{decode_at, Op};

/// ITER kinds.
pub mod kind {
    /// Over a list.
    pub const LIST: u32 = 0;
    /// Over a tuple.
    pub const TUPLE: u32 = 1;
    /// Over a str (position is a byte offset).
    pub const STR: u32 = 2;
    /// Over dict keys.
    pub const KEYS: u32 = 3;
    /// Over dict values.
    pub const VALUES: u32 = 4;
    /// Over dict items.
    pub const ITEMS: u32 = 5;
    /// Over a list, backwards (position counts down from len).
    pub const LIST_REV: u32 = 6;
    /// Over an instance with `__getitem__` but no `__iter__` (the old
    /// sequence protocol: indexes 0, 1, … until IndexError).
    pub const GETITEM: u32 = 7;
    /// Over a bytes or bytearray (yields ints).
    pub const BYTES: u32 = 8;
}

impl Vm<'_> {
    /// A sequence iterator.
    pub(crate) fn seq_iter(&mut self, k: u32, seq: Value, pos: usize) -> R<Value> {
        let m = self.root(seq);
        let w = self.alloc(tag::ITER, 4);
        self.unroot(m);
        let w = w?;
        self.heap.set(w + 1, k);
        self.heap.set(w + 2, pos as u32);
        self.heap.setv(w + 3, seq);
        Ok(Value::obj(w))
    }

    /// `iter(v)`.
    pub(crate) fn get_iter(&mut self, v: Value) -> R<Value> {
        if v.is_image_str() {
            return self.seq_iter(kind::STR, v, 0);
        }
        if !v.is_obj() {
            return self.raise_type(ErrMsg::NotIterable, v);
        }
        let w = v.word();
        match self.heap.tag(w) {
            tag::LIST => self.seq_iter(kind::LIST, v, 0),
            tag::TUPLE => self.seq_iter(kind::TUPLE, v, 0),
            tag::STR => self.seq_iter(kind::STR, v, 0),
            tag::BYTES | tag::BYTEARRAY => self.seq_iter(kind::BYTES, v, 0),
            tag::DICT | tag::SET | tag::FROZENSET => self.seq_iter(kind::KEYS, v, 0),
            tag::DICTVIEW => {
                let k = kind::KEYS + self.heap.w(w + 1);
                let d = self.heap.v(w + 2);
                self.seq_iter(k, d, 0)
            }
            tag::RANGE => {
                let (a, b, s) = self.range_parts(v);
                let it = self.alloc(tag::RANGE_ITER, 4)?;
                self.heap.set(it + 1, a as i32 as u32);
                self.heap.set(it + 2, b as i32 as u32);
                self.heap.set(it + 3, s as i32 as u32);
                Ok(Value::obj(it))
            }
            tag::ITER
            | tag::RANGE_ITER
            | tag::ENUMERATE
            | tag::ZIP
            | tag::MAP
            | tag::GEN
            | tag::FILE => Ok(v),
            // An instance with __next__ iterates itself (__iter__ is honoured
            // where the caller can run Python: GET_ITER).
            tag::INST => Ok(v),
            _ => self.raise_type(ErrMsg::NotIterable, v),
        }
    }

    /// `iter(v)` honouring a user `__iter__`.
    pub(crate) fn iter_of(&mut self, host: &mut Hx<'_>, v: Value) -> R<Value> {
        match self.special(v, crate::vm::Dunder::Iter)? {
            Some(f) => self.call_nested(host, f, &[v]),
            None if self.is(v, tag::INST)
                && self.native_base(v).is_none()
                && self.special(v, crate::vm::Dunder::Next)?.is_none()
                && self.special(v, crate::vm::Dunder::GetItem)?.is_some() =>
            {
                self.seq_iter(kind::GETITEM, v, 0)
            }
            // A builtin type's subclass iterates its native base.
            None => self.get_iter(self.native_of(v)),
        }
    }

    /// The next item of iterator `it`, or None when exhausted. Wrapping
    /// iterators (enumerate, zip, map) recurse on the Rust stack, so their
    /// nesting is bounded.
    pub(crate) fn iter_next(&mut self, host: &mut Hx<'_>, it: Value) -> R<Option<Value>> {
        if self.iter_depth >= MAX_ITER_NEST {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        self.iter_depth += 1;
        let r = self.iter_next_inner(host, it);
        self.iter_depth -= 1;
        r
    }

    fn iter_next_inner(&mut self, host: &mut Hx<'_>, it: Value) -> R<Option<Value>> {
        if !it.is_obj() {
            return self.raise_type(ErrMsg::NotIterable, it);
        }
        let w = it.word();
        match self.heap.tag(w) {
            tag::RANGE_ITER => {
                // A native consuming a range (`sum`, `max`, `all`, through
                // `map` or `zip`) runs as long as an int says, with no
                // instruction between two items: it polls as they do.
                self.native_tick(host, 1)?;
                let [cur, stop, step] = self.heap.words::<3>(w + 1).copied().unwrap_or_default();
                let (cur, stop, step) = (cur as i32, stop as i32, step as i32);
                if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
                    self.heap.set(w + 1, cur.saturating_add(step) as u32);
                    // Range bounds are small ints (`range_construct`), as
                    // `FOR_ITER`'s shortcut also relies on.
                    Ok(Some(Value::small(cur)))
                } else {
                    Ok(None)
                }
            }
            tag::ITER if self.heap.w(w + 1) == kind::GETITEM => self.getitem_iter_next(host, it),
            tag::ITER => self.seq_iter_next(w),
            tag::ENUMERATE => {
                let inner = self.heap.v(w + 2);
                let Some(v) = self.iter_next(host, inner)? else {
                    return Ok(None);
                };
                let n = self.heap.w(w + 1);
                self.heap.set(w + 1, n.wrapping_add(1));
                let m = self.root(v);
                let i = self.int_from_i64(n as i32 as i64);
                self.unroot(m);
                Ok(Some(self.tuple2(i?, v)?))
            }
            tag::ZIP | tag::MAP => {
                let is_map = self.heap.tag(w) == tag::MAP;
                let iters = self.heap.v(w + if is_map { 2 } else { 1 });
                let (_, n) = self.seq_items(iters).unwrap_or((0, 0));
                if n == 0 {
                    // `zip()` is empty (not an endless run of `()`).
                    return Ok(None);
                }
                let t = self.tuple_new(n)?;
                let m = self.root(t);
                self.root(it);
                for i in 0..n {
                    let (b, _) = self.seq_items(iters).unwrap_or((0, 0));
                    let sub = self.heap.v(b + i);
                    match self.iter_next(host, sub) {
                        Ok(Some(v)) => self.heap.setv(t.word() + 2 + i, v),
                        Ok(None) => {
                            self.unroot(m);
                            return Ok(None);
                        }
                        Err(e) => {
                            self.unroot(m);
                            return Err(e);
                        }
                    }
                }
                let r = if is_map {
                    let f = self.heap.v(it.word() + 1);
                    self.call_with_tuple(host, f, t)
                } else {
                    Ok(t)
                };
                self.unroot(m);
                r.map(Some)
            }
            tag::GEN => self.gen_next(host, it),
            #[cfg(feature = "files")]
            tag::FILE => crate::builtins::file::next_line(self, host, it),
            tag::INST => match self.special(it, crate::vm::Dunder::Next)? {
                Some(f) => match self.call_nested(host, f, &[it]) {
                    Ok(v) => Ok(Some(v)),
                    Err(e) => {
                        if self.exc_class(self.exc) == T::StopIteration {
                            self.exc = Value::NULL;
                            Ok(None)
                        } else {
                            Err(e)
                        }
                    }
                },
                None => self.raise_type(ErrMsg::NotIterable, it),
            },
            _ => self.raise_type(ErrMsg::NotIterable, it),
        }
    }

    /// Next item of a [`kind::GETITEM`] iterator: `seq[pos]`, ending at
    /// IndexError or StopIteration.
    fn getitem_iter_next(&mut self, host: &mut Hx<'_>, it: Value) -> R<Option<Value>> {
        let w = it.word();
        let pos = self.heap.w(w + 2);
        let seq = self.heap.v(w + 3);
        let Some(f) = self.special(seq, crate::vm::Dunder::GetItem)? else {
            return Ok(None);
        };
        let m = self.root(it);
        let r = self.call_nested(host, f, &[seq, Value::small(pos as i32)]);
        self.unroot(m);
        match r {
            Ok(v) => {
                self.heap.set(w + 2, pos + 1);
                Ok(Some(v))
            }
            Err(e) => {
                let c = self.exc_class(self.exc);
                if c.is_sub(T::IndexError) || c == T::StopIteration {
                    self.exc = Value::NULL;
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Next item of a sequence iterator at `w`.
    pub(crate) fn seq_iter_next(&mut self, w: usize) -> R<Option<Value>> {
        let k = self.heap.w(w + 1);
        let pos = self.heap.w(w + 2) as usize;
        let seq = self.heap.v(w + 3);
        match k {
            kind::LIST | kind::TUPLE => {
                let (b, n) = self.seq_items(seq).unwrap_or((0, 0));
                if pos < n {
                    self.heap.set(w + 2, pos as u32 + 1);
                    Ok(Some(self.heap.v(b + pos)))
                } else {
                    Ok(None)
                }
            }
            kind::LIST_REV => {
                let (b, n) = self.seq_items(seq).unwrap_or((0, 0));
                if pos > 0 && pos <= n {
                    self.heap.set(w + 2, pos as u32 - 1);
                    Ok(Some(self.heap.v(b + pos - 1)))
                } else {
                    Ok(None)
                }
            }
            kind::BYTES => {
                let (s0, n) = self.bytes_span(seq).unwrap_or((0, 0));
                if pos >= n {
                    return Ok(None);
                }
                self.heap.set(w + 2, pos as u32 + 1);
                Ok(Some(Value::small(i32::from(self.heap.byte(s0 + pos)))))
            }
            kind::STR => {
                let (s0, n) = self.str_span(seq);
                if pos >= n {
                    return Ok(None);
                }
                let l = crate::obj::str::utf8_len(self.span_byte(s0 + pos)).min(n - pos);
                self.heap.set(w + 2, (pos + l) as u32);
                Ok(Some(self.str_from_arena(s0 + pos, l)?))
            }
            _ => {
                let used = self.dict_used(seq);
                let mut p = pos;
                while p < used {
                    if let Some((key, v)) = self.dict_entry(seq, p) {
                        self.heap.set(w + 2, p as u32 + 1);
                        return Ok(Some(match k {
                            kind::KEYS => key,
                            kind::VALUES => v,
                            _ => self.tuple2(key, v)?,
                        }));
                    }
                    p += 1;
                }
                self.heap.set(w + 2, used as u32);
                Ok(None)
            }
        }
    }

    /// A generator over frame `f` (already bound, not started).
    pub(crate) fn gen_new(&mut self, f: usize) -> R<Value> {
        let m = self.root(Value::obj(f));
        let w = self.alloc(tag::GEN, 2);
        self.unroot(m);
        let w = w?;
        self.heap.setv(w + 1, Value::obj(f));
        let fl = self.frame_flags(f);
        self.set_frame_flags(f, fl | flag::GEN);
        Ok(Value::obj(w))
    }

    /// Makes generator `g`'s frame current, sending `sent`. False if the
    /// generator has finished.
    pub(crate) fn gen_resume(&mut self, g: Value, sent: Value, boundary: bool) -> R<bool> {
        let f = self.heap.v(g.word() + 1).word();
        let fl = self.frame_flags(f);
        if fl & flag::DONE != 0 {
            return Ok(false);
        }
        if fl & flag::RUNNING != 0 {
            return self.raise(T::ValueError, ErrMsg::GeneratorRunning);
        }
        self.push_frame(f)?;
        let mut nf = fl | flag::RUNNING | flag::STARTED;
        if boundary {
            nf |= flag::BOUNDARY;
        }
        self.set_frame_flags(f, nf);
        if fl & flag::STARTED != 0 {
            let sp = self.sp;
            self.heap.setv(sp, sent);
            self.sp = sp + 1;
        }
        Ok(true)
    }

    /// Runs generator `g` to its next yield in a nested loop (for natives).
    /// None when it finishes; its return value is then in [`Vm::gen_value`].
    pub(crate) fn gen_next(&mut self, host: &mut Hx<'_>, g: Value) -> R<Option<Value>> {
        self.gen_send(host, g, Value::NONE)
    }

    /// `g.send(v)` in a nested loop: the next yielded value, or None when
    /// the generator returns (value in [`Vm::gen_value`]).
    pub(crate) fn gen_send(&mut self, host: &mut Hx<'_>, g: Value, v: Value) -> R<Option<Value>> {
        if self.nest_full() {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        self.gen_value = Value::NONE;
        let f = self.heap.v(g.word() + 1).word();
        if v != Value::NONE && self.frame_flags(f) & flag::STARTED == 0 {
            return self.raise(T::TypeError, ErrMsg::SendJustStarted);
        }
        let m = self.root(g);
        self.root(v);
        let started = self.gen_resume(g, v, true);
        if !matches!(started, Ok(true)) {
            self.unroot(m);
            return started.map(|_| None);
        }
        self.nest += 1;
        let r = self.execute(host);
        self.nest -= 1;
        self.unroot(m);
        let v = r?;
        if self.frame_flags(f) & flag::DONE != 0 {
            self.gen_value = v;
            return Ok(None);
        }
        Ok(Some(v))
    }

    /// `g.throw(e)` in a nested loop: raises exception `e` where the
    /// generator is paused, as CPython. The next value it yields if a
    /// handler there catches `e`, None if it then returns (the value in
    /// [`Vm::gen_value`]), else the exception that leaves it. A generator
    /// not started, or finished, is closed and `e` raised in the caller.
    pub(crate) fn gen_throw(&mut self, host: &mut Hx<'_>, g: Value, e: Value) -> R<Option<Value>> {
        let m = self.root(g);
        let r = self.gen_throw_rooted(host, g, e);
        self.unroot(m);
        r
    }

    fn gen_throw_rooted(&mut self, host: &mut Hx<'_>, g: Value, e: Value) -> R<Option<Value>> {
        let e = self.exc_from(host, e)?;
        self.root(e);
        self.gen_value = Value::NONE;
        let f = self.heap.v(g.word() + 1).word();
        let fl = self.frame_flags(f);
        if fl & flag::STARTED == 0 || fl & flag::DONE != 0 {
            self.set_frame_flags(f, fl | flag::DONE);
            self.exc = e;
            self.tb_reset();
            return Err(crate::vm::Raised);
        }
        if self.nest_full() {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        let mut e = e;
        // Paused in `yield from` (or `await`) on a generator: thrown into
        // that one first, as CPython does, so its handlers and `finally`
        // blocks run (a cancelled task's inner coroutine cleans up).
        if let Some((inner, exit)) = self.delegate(f) {
            match self.gen_throw(host, inner, e) {
                // It yielded: so does this one, still delegating.
                Ok(Some(v)) => return Ok(Some(v)),
                // It returned: this one's `yield from` ends with its value.
                Ok(None) => {
                    let r = self.gen_value;
                    let sp = self.heap.w(f + frame::SP);
                    self.heap.set(f + frame::SP, sp - 1);
                    let code = self.heap.w(f + frame::CODE);
                    self.heap.set(f + frame::IP, code + exit as u32);
                    return self.gen_send(host, g, r);
                }
                // It raised: raised here, at the `yield from`.
                Err(_) => e = self.exc,
            }
        }
        // Resumed as by `send`, then raised at its `yield` (the frame's
        // saved instruction), whose handlers see it first.
        self.gen_resume(g, Value::NONE, true)?;
        self.exc = e;
        self.tb_reset();
        self.nest += 1;
        let r = if self.unwind(!host.stopping()) {
            self.execute(host)
        } else {
            Err(crate::vm::Raised)
        };
        self.nest -= 1;
        let v = r?;
        if self.frame_flags(f) & flag::DONE != 0 {
            self.gen_value = v;
            return Ok(None);
        }
        Ok(Some(v))
    }

    /// The generator that paused generator frame `f` delegates to
    /// (`yield from`, `await`), and the code offset where that `yield
    /// from` loop ends: paused on the loop's `YIELD_VALUE`, the frame's
    /// next instruction is the `JUMP` back to the loop's `SEND`, and the
    /// delegate is on top of its stack (as the code generator emits it;
    /// the verifier checked the stack depths).
    fn delegate(&self, f: usize) -> Option<(Value, usize)> {
        let code = self.heap.w(f + frame::CODE) as usize;
        let (b, i) = self.code_space(self.heap.w(f + frame::IP) as usize);
        let jump = decode_at(b, i).ok().filter(|j| j.op == Op::JUMP)?;
        let (b, i) = self.code_space(code + jump.arg as usize);
        let send = decode_at(b, i).ok().filter(|s| s.op == Op::SEND)?;
        let top = (self.heap.w(f + frame::SP) as usize).checked_sub(1)?;
        let inner = self.heap.v(top);
        self.is(inner, tag::GEN)
            .then_some((inner, send.arg as usize))
    }

    /// `g.close()`: `GeneratorExit` thrown in, as CPython; the generator
    /// may run its `finally` blocks but must not yield again.
    pub(crate) fn gen_close(&mut self, host: &mut Hx<'_>, g: Value) -> R<Value> {
        match self.gen_throw(host, g, T::GeneratorExit.value()) {
            Ok(None) => Ok(Value::NONE),
            Ok(Some(_)) => self.raise(T::RuntimeError, ErrMsg::IgnoredGeneratorExit),
            Err(raised) => {
                let c = self.exc_class(self.exc);
                if c == T::GeneratorExit || c == T::StopIteration {
                    self.exc = Value::NULL;
                    return Ok(Value::NONE);
                }
                Err(raised)
            }
        }
    }

    /// Raises `StopIteration(value)` (`StopIteration()` for None). Always
    /// inlined around one out-of-line builder, as the `raise` helpers.
    #[inline(always)]
    pub(crate) fn raise_stop_value<X>(&mut self, value: Value) -> R<X> {
        self.throw_stop_value(value);
        Err(crate::vm::Raised)
    }

    /// [`Vm::raise_stop_value`]'s work (a MemoryError if the heap cannot
    /// hold it).
    #[inline(never)]
    fn throw_stop_value(&mut self, value: Value) {
        if value == Value::NONE || value.is_null() {
            let _: R<()> = self.raise_stop();
            return;
        }
        let m = self.root(value);
        let r = (|| {
            let args = self.tuple_new(1)?;
            self.heap.setv(args.word() + 2, value);
            self.exc_new(
                T::StopIteration,
                crate::obj::exc::PY_MADE,
                args,
                Value::NULL,
            )
        })();
        self.unroot(m);
        // On failure the allocation already recorded its MemoryError.
        if let Ok(e) = r {
            self.exc = e;
            self.tb_reset();
        }
    }
}

impl Vm<'_> {
    /// `list(v)`: a new list with the items of iterable `v`.
    pub(crate) fn list_from_iter(&mut self, host: &mut Hx<'_>, v: Value) -> R<Value> {
        if let Some((b, n)) = self.seq_items(v) {
            let m = self.root(v);
            let r = if n == 0 {
                self.list_new(0)
            } else {
                self.list_from_words(b, n)
            };
            self.unroot(m);
            return r;
        }
        let m = self.root(v);
        let r = (|| {
            let it = self.iter_of(host, v)?;
            self.root(it);
            let l = self.list_new(0)?;
            self.root(l);
            self.list_extend_from(host, l, it)?;
            Ok(l)
        })();
        self.unroot(m);
        r
    }

    /// Appends every remaining item of iterator `it` to list `l` (both
    /// rooted by the caller).
    fn list_extend_from(&mut self, host: &mut Hx<'_>, l: Value, it: Value) -> R<()> {
        while let Some(x) = self.iter_next(host, it)? {
            self.list_push(l, x)?;
        }
        Ok(())
    }

    /// `tuple(v)`.
    pub(crate) fn tuple_from_iter(&mut self, host: &mut Hx<'_>, v: Value) -> R<Value> {
        if self.is(v, tag::TUPLE) {
            return Ok(v);
        }
        let l = self.list_from_iter(host, v)?;
        let m = self.root(l);
        let (b, n) = self.seq_items(l).unwrap_or((0, 0));
        let r = self.tuple_from_words(b, n);
        self.unroot(m);
        r
    }

    /// `l.extend(v)` for any iterable.
    pub(crate) fn list_extend_iter(&mut self, host: &mut Hx<'_>, l: Value, v: Value) -> R<()> {
        if self.seq_items(v).is_some() {
            return self.list_extend_seq(l, v);
        }
        let m = self.root(l);
        self.root(v);
        let r = (|| {
            let it = self.iter_of(host, v)?;
            self.root(it);
            self.list_extend_from(host, l, it)
        })();
        self.unroot(m);
        r
    }

    /// `enumerate(…)`, `zip(…)` and `map(…)` (type `t`; the arity checked
    /// by the caller).
    pub(crate) fn iter_construct(&mut self, host: &mut Hx<'_>, t: T, a: &Args) -> R<Value> {
        if t == T::enumerate {
            let start = match self.kwarg(a, b"start") {
                Some(s) => Some(s),
                None if a.n == 2 => Some(self.arg(a, 1)),
                None => None,
            };
            let start = match start {
                Some(s) => crate::builtins::funcs::int_arg(self, s, "enumerate()")?,
                None => 0,
            };
            let it = self.iter_of(host, self.arg(a, 0))?;
            let mk = self.root(it);
            let w = self.alloc(tag::ENUMERATE, 3);
            self.unroot(mk);
            let w = w?;
            self.heap.set(w + 1, start as u32);
            self.heap.setv(w + 2, it);
            return Ok(Value::obj(w));
        }
        let first = usize::from(t == T::map);
        if a.n < first + usize::from(t == T::map) {
            return self.raise_s(T::TypeError, ErrMsg::ArgCount, t.name().as_bytes());
        }
        let n = a.n - first;
        let iters = self.tuple_new(n)?;
        let mk = self.root(iters);
        let r = (|| {
            for i in 0..n {
                let it = self.iter_of(host, self.arg(a, first + i))?;
                self.heap.setv(iters.word() + 2 + i, it);
            }
            let w = self.alloc(if t == T::map { tag::MAP } else { tag::ZIP }, 3)?;
            if t == T::map {
                let f = self.arg(a, 0);
                self.heap.setv(w + 1, f);
                self.heap.setv(w + 2, iters);
            } else {
                self.heap.setv(w + 1, iters);
            }
            Ok(Value::obj(w))
        })();
        self.unroot(mk);
        r
    }
}
