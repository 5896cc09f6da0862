//! Exception instances: `[header, msg, class, args, detail, dict]` (the
//! class is a builtin class or a user class deriving from one; the dict
//! holds attributes set by Python code and is made on first use).
//!
//! * Raised by the VM: `msg` is an [`ErrMsg`] number and `detail` a short
//!   str (a name, a type name) or NULL; `args` is NULL until `e.args` is
//!   read, then `(detail,)` or `()`.
//! * Made by Python code (`ValueError('x')`): `msg` is [`PY_MADE`], `args`
//!   the real argument tuple.
//!
//! An exception class value alone (a `TYPE` immediate) may also be in
//! flight: that is how `MemoryError` is raised without allocating.

use super::{tag, T};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::fmt::{Out, Up};
use crate::vm::{Raised, Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::Command;

/// A piece of a several-part detail ([`Vm::raise_parts`]).
pub(crate) enum Part<'a> {
    /// These bytes.
    Bytes(&'a [u8]),
    /// The text of a str value.
    Str(Value),
    /// The name of the value's type.
    TypeOf(Value),
    /// A number, in decimal.
    Num(usize),
}

/// `msg` word of an exception made by Python code.
pub const PY_MADE: u32 = 0xFF;
const MSG: usize = 1;
const CLASS: usize = 2;
pub(crate) const ARGS: usize = 3;
pub(crate) const DETAIL: usize = 4;

/// The [`ErrMsg`] with wire number `n`.
pub fn errmsg_from(n: u32) -> ErrMsg {
    ErrMsg::from_index(n).unwrap_or(ErrMsg::Custom)
}

impl Vm<'_> {
    /// A new exception instance.
    pub(crate) fn exc_new(&mut self, t: T, msg: u32, args: Value, detail: Value) -> R<Value> {
        let m = self.root(args);
        self.root(detail);
        let w = self.alloc(tag::EXC, 6);
        self.unroot(m);
        let w = w?;
        self.heap.set(w + MSG, msg);
        self.heap.setv(w + CLASS, t.value());
        self.heap.setv(w + ARGS, args);
        self.heap.setv(w + DETAIL, detail);
        Ok(Value::obj(w))
    }

    // The `raise*` helpers are generic over the caller's result type only
    // to return `Err(Raised)`: each is an always-inlined wrapper around one
    // out-of-line function that builds and records the exception, so the
    // firmware holds one copy of the work, not one per result type.

    /// Raises `t` with message `m` and no detail.
    #[inline(always)]
    pub(crate) fn raise<X>(&mut self, t: T, m: ErrMsg) -> R<X> {
        self.throw_v(t, m, Value::NULL);
        Err(Raised)
    }

    /// Raises `t` with message `m` and detail `d` (a str or NULL).
    #[inline(always)]
    pub(crate) fn raise_v<X>(&mut self, t: T, m: ErrMsg, d: Value) -> R<X> {
        self.throw_v(t, m, d);
        Err(Raised)
    }

    /// Raises `t` with message `m` and a detail copied from `d`.
    #[inline(always)]
    pub(crate) fn raise_s<X>(&mut self, t: T, m: ErrMsg, d: &[u8]) -> R<X> {
        self.throw_s(t, m, d);
        Err(Raised)
    }

    /// Records `t(m, d)` as the exception in flight (the bare class when
    /// the heap cannot hold it).
    #[inline(never)]
    fn throw_v(&mut self, t: T, m: ErrMsg, d: Value) {
        self.throw_new(t, m as u32, Value::NULL, d);
    }

    /// Raises `t` as Python code would with `args` (`OSError(errno,
    /// text)`: `e.args`, `e.errno`), `detail` its str until rendered.
    // (Only `open()`'s OSError so far: a build without files has no caller.)
    #[cfg_attr(not(feature = "files"), allow(dead_code))]
    pub(crate) fn raise_args<X>(&mut self, t: T, args: Value, detail: Value) -> R<X> {
        self.throw_new(t, PY_MADE, args, detail);
        Err(Raised)
    }

    /// Records a new `t` exception as the one in flight (the bare class
    /// when the heap cannot hold it).
    fn throw_new(&mut self, t: T, msg: u32, args: Value, d: Value) {
        self.tb_reset();
        let e = match self.exc_new(t, msg, args, d) {
            Ok(e) => e,
            Err(Raised) => t.value(),
        };
        self.exc = e;
        self.tb_reset();
    }

    /// As [`Vm::throw_v`] with a detail copied from `d` (a MemoryError if
    /// the copy does not fit).
    #[inline(never)]
    fn throw_s(&mut self, t: T, m: ErrMsg, d: &[u8]) {
        if let Ok(s) = self.str_from_bytes(d) {
            self.throw_v(t, m, s);
        }
    }

    /// Raises `t` with message `m` whose text has several `{}`: the detail
    /// joins `parts` with NUL bytes, one part per `{}` (the host fills them
    /// in order), cut at 96 bytes.
    #[inline(always)]
    pub(crate) fn raise_parts<X>(&mut self, t: T, m: ErrMsg, parts: &[Part<'_>]) -> R<X> {
        self.throw_parts(t, m, parts);
        Err(Raised)
    }

    /// [`Vm::raise_parts`]'s work, out of line.
    #[inline(never)]
    fn throw_parts(&mut self, t: T, m: ErrMsg, parts: &[Part<'_>]) {
        let mut buf = [0u8; 96];
        let mut n = 0;
        for (i, p) in parts.iter().enumerate() {
            let mut digits = crate::obj::float::Buf::<20>::new();
            let (sep, text): (&[u8], &[u8]) = match *p {
                Part::Bytes(b) => (b"\0", b),
                Part::Str(v) => (b"\0", self.str_bytes(v)),
                Part::TypeOf(v) => (b"\0", self.type_name_bytes(v)),
                Part::Num(u) => {
                    crate::obj::float::push_uint(&mut digits, u as u64, 10, false);
                    (b"\0", digits.bytes())
                }
            };
            let sep = if i == 0 { &[][..] } else { sep };
            for &b in sep.iter().chain(text) {
                if let Some(slot) = buf.get_mut(n) {
                    *slot = b;
                    n += 1;
                }
            }
        }
        self.throw_s(t, m, buf.get(..n).unwrap_or_default());
    }

    /// The name of `v`'s type as Python shows it: a user class's own name
    /// for its instances.
    pub(crate) fn type_name_bytes(&self, v: Value) -> &[u8] {
        if self.is(v, tag::INST) || self.is(v, tag::EXC) {
            let c = self.class_of(v);
            if self.is(c, tag::CLASS) {
                return self.str_bytes(self.class_name(c));
            }
        }
        self.type_of(v).name().as_bytes()
    }

    /// Raises a TypeError naming the type of `v` (a user class by its own
    /// name).
    #[inline(always)]
    pub(crate) fn raise_type<X>(&mut self, m: ErrMsg, v: Value) -> R<X> {
        self.throw_type(m, v);
        Err(Raised)
    }

    /// [`Vm::raise_type`]'s work, out of line.
    #[inline(never)]
    fn throw_type(&mut self, m: ErrMsg, v: Value) {
        let mut name = [0u8; 32];
        let src = self.type_name_bytes(v);
        let n = src.len().min(name.len());
        name[..n].copy_from_slice(&src[..n]);
        self.throw_s(T::TypeError, m, &name[..n]);
    }

    /// Raises `StopIteration()` (the bare class if the heap is full).
    #[inline(always)]
    pub(crate) fn raise_stop<X>(&mut self) -> R<X> {
        self.raise(T::StopIteration, ErrMsg::StopIteration)
    }

    /// The class of an exception value.
    pub(crate) fn exc_class(&self, e: Value) -> T {
        if e.is_kind(kind::TYPE) {
            return T::from_id(e.payload()).unwrap_or(T::Exception);
        }
        if self.is(e, tag::EXC) {
            let c = self.heap.v(e.word() + CLASS);
            if c.is_obj() {
                return self.class_base_t(c);
            }
            return T::from_id(c.payload()).unwrap_or(T::Exception);
        }
        T::Exception
    }

    /// The class of an exception value: a class object, or a builtin
    /// type's value (an exception raised as a bare class is its class).
    pub(crate) fn exc_class_value(&self, e: Value) -> Value {
        if self.is(e, tag::EXC) {
            let c = self.heap.v(e.word() + CLASS);
            if c.is_obj() {
                return c;
            }
        }
        self.exc_class(e).value()
    }

    /// The name of an exception class ([`Vm::exc_class_value`]).
    pub(crate) fn exc_class_name(&self, c: Value) -> &[u8] {
        if c.is_obj() {
            self.str_bytes(self.class_name(c))
        } else {
            T::from_id(c.payload()).map_or("", T::name).as_bytes()
        }
    }

    /// The class name of an exception value, copied into `buf`.
    pub(crate) fn exc_type_name(&self, e: Value, buf: &mut [u8]) -> usize {
        let name = self.exc_class_name(self.exc_class_value(e));
        let n = name.len().min(buf.len());
        buf[..n].copy_from_slice(&name[..n]);
        n
    }

    /// `(message, detail)` of an exception value.
    pub(crate) fn exc_msg(&self, e: Value) -> (ErrMsg, Value) {
        if self.is(e, tag::EXC) {
            let w = e.word();
            let m = self.heap.w(w + MSG);
            if m == PY_MADE {
                return (ErrMsg::Custom, Value::NULL);
            }
            return (errmsg_from(m), self.heap.v(w + DETAIL));
        }
        let m = match self.exc_class(e) {
            T::MemoryError => ErrMsg::OutOfMemory,
            T::KeyboardInterrupt => ErrMsg::Interrupted,
            T::StopIteration => ErrMsg::StopIteration,
            _ => ErrMsg::Custom,
        };
        (m, Value::NULL)
    }

    /// `e.args` (built on first use for VM-raised exceptions).
    pub(crate) fn exc_args(&mut self, e: Value) -> R<Value> {
        if !self.is(e, tag::EXC) {
            return self.tuple_new(0);
        }
        let w = e.word();
        let a = self.heap.v(w + ARGS);
        if !a.is_null() {
            return Ok(a);
        }
        let d = self.heap.v(w + DETAIL);
        let t = if d.is_null() {
            self.tuple_new(0)?
        } else {
            let t = self.tuple_new(1)?;
            let d = self.heap.v(e.word() + DETAIL);
            self.heap.setv(t.word() + 2, d);
            t
        };
        self.heap.setv(e.word() + ARGS, t);
        Ok(t)
    }

    /// Writes `str(e)` (truncated) into `buf`; returns the length: the
    /// exception's own text (`[Errno 19] ENODEV`, a KeyError's `'k'`), with
    /// no user `__str__` run. Never allocates, so it works after a
    /// MemoryError.
    pub(crate) fn exc_detail(&mut self, e: Value, buf: &mut [u8]) -> usize {
        // A class raised alone (MemoryError, RecursionError: raising them
        // must not allocate) has no text; its str would be its repr.
        if !self.is(e, tag::EXC) {
            return 0;
        }
        let mut out = crate::vm::fmt::Out::fixed(buf.len());
        let _ = self.write_value(&mut out, e, false);
        let t = out.text();
        let n = t.len().min(buf.len());
        if let (Some(d), Some(s)) = (buf.get_mut(..n), t.get(..n)) {
            d.copy_from_slice(s);
        }
        n
    }

    /// What `str(e)` renders: the detail, the single argument, or the
    /// argument tuple (None: empty).
    pub(crate) fn exc_str_source(&self, e: Value) -> Option<Value> {
        if !self.is(e, tag::EXC) {
            return None;
        }
        let w = e.word();
        let a = self.heap.v(w + ARGS);
        if self.heap.w(w + MSG) != PY_MADE || a.is_null() {
            let d = self.heap.v(w + DETAIL);
            return (!d.is_null()).then_some(d);
        }
        let (base, n) = self.seq_items(a)?;
        match n {
            0 => None,
            1 => Some(self.heap.v(base)),
            _ => Some(a),
        }
    }

    /// True if `str(e)` renders [`Vm::exc_str_source`] as its repr: a
    /// KeyError made by Python code with one argument (CPython's
    /// `KeyError.__str__`: `str(KeyError('k'))` is `'k'`).
    pub(crate) fn exc_str_is_repr(&self, e: Value) -> bool {
        let a = self.heap.v(e.word() + ARGS);
        self.exc_class(e) == T::KeyError
            && self.heap.w(e.word() + MSG) == PY_MADE
            && self.seq_items(a).is_some_and(|(_, n)| n == 1)
    }

    /// Gives an exception the VM raised its message text, asked of the host
    /// once (the device keeps no texts) and then kept as its argument, as
    /// if Python code had raised it: `str(e)`, `repr(e)` and `e.args` then
    /// read as in CPython. Left as it is: exceptions Python code made,
    /// messages that are their detail alone, and any the host cannot
    /// expand (none attached: then `str(e)` stays the detail).
    #[inline(never)]
    pub(crate) fn exc_expand(&mut self, host: &mut Hx<'_>, e: Value) -> R<()> {
        if !self.is(e, tag::EXC) {
            return Ok(());
        }
        let m = self.heap.w(e.word() + MSG);
        let msg = errmsg_from(m);
        if m == PY_MADE || msg.is_detail_only() {
            return Ok(());
        }
        let mut detail = [0u8; 64];
        let n = self.exc_detail(e, &mut detail);
        let mut text = [0u8; Command::EXPANDED_MAX];
        let detail = detail.get(..n).unwrap_or_default();
        let Some(k) = host.expand(msg, detail, &mut text) else {
            return Ok(());
        };
        let s = self.str_from_bytes(text.get(..k).unwrap_or_default())?;
        let r = self.root(s);
        let t = self.tuple_new(1);
        self.unroot(r);
        let t = t?;
        self.heap.setv(t.word() + 2, s);
        self.heap.setv(e.word() + ARGS, t);
        self.heap.set(e.word() + MSG, PY_MADE);
        Ok(())
    }

    /// Makes `v` (a class or an instance) the exception to raise.
    pub(crate) fn exc_from(&mut self, host: &mut crate::machine::Hx<'_>, v: Value) -> R<Value> {
        if self.is(v, tag::CLASS) && self.class_base_t(v).is_exception() {
            let a = crate::vm::call::Args::arena(0, 0);
            return self.call_args_nested(host, v, a);
        }
        if v.is_kind(kind::TYPE) {
            if let Some(t) = T::from_id(v.payload()).filter(|t| t.is_exception()) {
                let args = self.tuple_new(0)?;
                return self.exc_new(t, PY_MADE, args, Value::NULL);
            }
        }
        if self.is(v, tag::EXC) {
            return Ok(v);
        }
        self.raise(T::TypeError, ErrMsg::NotAnException)
    }
}

impl Vm<'_> {
    /// Writes exception `v`: its repr (`ValueError('x')`) or its str (the
    /// message, `[Errno 19] ENODEV` for an OSError), inside `me`.
    pub(crate) fn write_exc(&mut self, out: &mut Out, v: Value, repr: bool, me: &Up) -> R<()> {
        if repr {
            let mut name = [0u8; 32];
            let k = self.exc_type_name(v, &mut name);
            self.emit(out, &name[..k]);
            // The args tuple, or the detail it would be made of.
            let args = self.heap.v(v.word() + crate::obj::exc::ARGS);
            let detail = self.heap.v(v.word() + crate::obj::exc::DETAIL);
            self.emit(out, b"(");
            if self.is(args, tag::TUPLE) {
                self.write_items(out, args, me)?;
            } else if !detail.is_null() {
                self.write_in(out, detail, true, Some(me))?;
            }
            self.emit(out, b")");
        } else if let Some(s) = self.exc_str_source(v) {
            let as_repr = self.is(s, tag::TUPLE) || self.exc_str_is_repr(v);
            let args = self.heap.v(v.word() + crate::obj::exc::ARGS);
            match self.seq_items(s) {
                // `OSError(errno, strerror)`: `[Errno 19] ENODEV`,
                // as CPython's and MicroPython's.
                Some((b, 2)) if s == args && self.exc_class(v).is_sub(T::OSError) => {
                    self.emit(out, b"[Errno ");
                    self.write_in(out, self.heap.v(b), false, Some(me))?;
                    self.emit(out, b"] ");
                    self.write_in(out, self.heap.v(b + 1), false, Some(me))?;
                }
                _ => self.write_in(out, s, as_repr, Some(me))?,
            }
        }
        Ok(())
    }
}
