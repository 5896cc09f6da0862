//! `str()` and `repr()`: one recursion renders any value and calls a user
//! `__repr__`/`__str__` where it meets one (MicroPython's
//! `mp_obj_print_helper`).
//!
//! [`Vm::write_value`] renders into an [`Out`]: the host's output (print),
//! a new str, or a fixed buffer (the exception report). Text gathers in the
//! `Out`'s own 128 bytes; when they fill, the host's output takes them, a
//! str's text moves to a heap block that doubles as it grows (MicroPython's
//! vstr), and a fixed buffer drops the rest. User methods run only when the
//! `Out` has a host: never for the exception report, which must not
//! allocate (it is also written after a `MemoryError`).
//!
//! A container inside itself (`a.append(a)`) renders as `[...]`, as
//! CPython's does: each level passes its object down in an [`Up`] chain on
//! the Rust stack. No heap mark bit is held, so Python code may run and a
//! collection may happen in the middle of a rendering; the object being
//! rendered is a temp root then, and containers are re-read after each
//! item (a user method may change them).
//!
//! The containers' and the larger types' own reprs are in their types'
//! files, called from [`Vm::write_obj`]'s dispatch on the block's tag:
//! tuple and list `obj/tuple.rs` ([`Vm::write_seq`]), dict, set and dict
//! views `obj/dict.rs` ([`Vm::write_entries`]), range `obj/range.rs`,
//! exceptions `obj/exc.rs` ([`Vm::write_exc`]). Here: the immediates,
//! strs and bytes (one escaping for both), and the one-line reprs.

use super::{Raised, Vm, R};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::{Host, Hx};
use crate::obj::float::{push_uint, write_float, Buf};
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::heap::str_layout;

/// Nesting depth past which rendering a container raises `RecursionError`.
const MAX_DEPTH: usize = 24;

/// Where the text of an [`Out`] goes when its buffer fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sink {
    /// Program output through the host.
    Host,
    /// A new str ([`Vm::str_done`]).
    Str,
    /// At most this many bytes (at most the buffer's), the rest dropped.
    Fixed(usize),
}

/// Rendered text on its way to its [`Sink`].
pub struct Out<'o> {
    /// The host: user methods run only with one.
    host: Option<&'o mut dyn Host>,
    sink: Sink,
    buf: [u8; 128],
    len: usize,
    /// A str's heap block once the text outgrew `buf` (0 before), its
    /// capacity and the bytes in it, and its temp-root slot.
    blk: usize,
    cap: usize,
    used: usize,
    slot: usize,
    /// A str's block could not grow: `MemoryError` is pending.
    failed: bool,
}

impl<'o> Out<'o> {
    fn new(host: Option<&'o mut dyn Host>, sink: Sink) -> Out<'o> {
        Out {
            host,
            sink,
            buf: [0; 128],
            len: 0,
            blk: 0,
            cap: 0,
            used: 0,
            slot: 0,
            failed: false,
        }
    }

    /// Buffered program output to `host`; user methods run.
    pub fn host(host: &'o mut Hx<'_>) -> Out<'o> {
        Out::new(Some(host.get()), Sink::Host)
    }

    /// At most `n` bytes (128 at most), read back with [`Out::text`];
    /// never allocates.
    pub(crate) fn fixed(n: usize) -> Out<'o> {
        Out::new(None, Sink::Fixed(n.min(128)))
    }

    /// The bytes a fixed `Out` kept.
    pub(crate) fn text(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Sends buffered host output.
    pub fn flush(&mut self) {
        if let (Sink::Host, Some(h)) = (self.sink, self.host.as_deref_mut()) {
            if self.len > 0 {
                h.output(&self.buf[..self.len]);
                self.len = 0;
            }
        }
    }
}

/// The objects a rendering is inside, innermost first (a type's repr
/// passes it on to its items' [`Vm::write_in`], which stops a cycle).
pub(crate) struct Up<'u> {
    v: Value,
    depth: usize,
    up: Option<&'u Up<'u>>,
}

impl Vm<'_> {
    /// Emits bytes that do not live in the arena.
    pub(crate) fn emit(&mut self, out: &mut Out, b: &[u8]) {
        for chunk in b.chunks(out.buf.len()) {
            if out.len + chunk.len() > out.buf.len() {
                self.spill(out);
            }
            let limit = match out.sink {
                Sink::Fixed(n) => n,
                _ => out.buf.len(),
            };
            let k = chunk.len().min(limit - out.len);
            out.buf[out.len..out.len + k].copy_from_slice(&chunk[..k]);
            out.len += k;
        }
    }

    /// Empties `out`'s buffer into its sink: the host's output, or the
    /// str's heap block, grown (doubled) when it lacks room. A fixed
    /// buffer keeps what it has.
    #[inline(never)]
    fn spill(&mut self, out: &mut Out) {
        match out.sink {
            Sink::Host => out.flush(),
            Sink::Fixed(_) => {}
            Sink::Str => {
                let n = core::mem::take(&mut out.len);
                if out.failed {
                    return;
                }
                if out.blk == 0 || out.used + n > out.cap {
                    let cap = (out.used + n) * 2;
                    let Ok(w) = self.str_alloc(cap) else {
                        out.failed = true;
                        return;
                    };
                    if out.blk != 0 {
                        let from = crate::obj::str::data(out.blk);
                        let to = crate::obj::str::data(w);
                        self.heap.bytes_mut().copy_within(from..from + out.used, to);
                        // Nothing but the root slot refers to the old block.
                        self.heap.free(out.blk);
                    }
                    if let Some(r) = self.roots.get_mut(out.slot) {
                        *r = Value::obj(w).0;
                    }
                    out.blk = w;
                    out.cap = cap;
                }
                let at = crate::obj::str::data(out.blk) + out.used;
                self.heap.bytes_mut()[at..at + n].copy_from_slice(&out.buf[..n]);
                out.used += n;
            }
        }
    }

    /// An [`Out`] for the text of a new str ([`Vm::str_done`]), whose
    /// block keeps a temp root the caller pops; user methods run when
    /// `host` is given.
    pub(crate) fn str_out<'o>(&mut self, host: Option<&'o mut dyn Host>) -> R<Out<'o>> {
        if self.nroots >= self.roots_cap() {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        let mut out = Out::new(host, Sink::Str);
        out.slot = self.root(Value::NONE);
        Ok(out)
    }

    /// The str an [`Vm::str_out`] rendered.
    pub(crate) fn str_done(&mut self, out: &mut Out) -> R<Value> {
        if out.blk == 0 {
            return self.str_from_bytes(&out.buf[..out.len]);
        }
        self.spill(out);
        if out.failed {
            return Err(Raised);
        }
        // The block becomes the str: its length set, its tail freed (no
        // copy: the peak stays the last growth's).
        let (w, n) = (core::mem::take(&mut out.blk), out.used);
        self.heap.set(w + 1 + str_layout::LEN, n as u32);
        self.heap.shrink(w, 1 + str_layout::DATA + n.div_ceil(4));
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// Emits the bytes `[start, start + n)` at code address `start` (the
    /// arena, or an image str's bytes: [`Vm::str_span`]).
    pub(crate) fn emit_arena(&mut self, out: &mut Out, start: usize, n: usize) {
        let mut tmp = [0u8; 64];
        let mut i = 0;
        while i < n {
            let k = (n - i).min(64);
            self.code_bytes(start + i, &mut tmp[..k]);
            self.emit(out, &tmp[..k]);
            i += k;
        }
    }

    /// Emits `open`, `mid`, `close`: the `<kind name>` shapes of reprs,
    /// one call each instead of three.
    #[inline(never)]
    pub(crate) fn emit_wrapped(&mut self, out: &mut Out, open: &[u8], mid: &[u8], close: &[u8]) {
        self.emit(out, open);
        self.emit(out, mid);
        self.emit(out, close);
    }

    /// As [`Vm::emit_wrapped`] with the str `name` in the middle (nothing
    /// there if it is not a str).
    #[inline(never)]
    pub(crate) fn emit_wrapped_str(
        &mut self,
        out: &mut Out,
        open: &[u8],
        name: Value,
        close: &[u8],
    ) {
        self.emit(out, open);
        if self.is_str(name) {
            let (s, n) = self.str_span(name);
            self.emit_arena(out, s, n);
        }
        self.emit(out, close);
    }

    pub(crate) fn emit_int(&mut self, out: &mut Out, i: i64) {
        let mut b = Buf::<24>::new();
        if i < 0 {
            b.push(b'-');
        }
        push_uint(&mut b, i.unsigned_abs(), 10, false);
        self.emit(out, b.bytes());
    }

    /// Renders `v` (`repr` if `repr`, else `str`). To the host, as
    /// CPython's print writes a value once its whole str is made: the text
    /// before it goes first (what its user methods print follows that),
    /// and a value whose rendering raises leaves no text (unless it was
    /// longer than the buffer).
    pub(crate) fn write_value(&mut self, out: &mut Out, v: Value, repr: bool) -> R<()> {
        if v.is_obj() && !self.is_str(v) {
            out.flush();
        }
        let r = self.write_in(out, v, repr, None);
        if r.is_err() && out.sink == Sink::Host {
            out.len = 0;
        }
        r
    }

    /// [`Vm::write_value`] inside the objects `up`.
    pub(crate) fn write_in(
        &mut self,
        out: &mut Out,
        v: Value,
        repr: bool,
        up: Option<&Up>,
    ) -> R<()> {
        if out.failed {
            return Err(Raised);
        }
        if let Some(i) = self
            .int_val(v)
            .filter(|_| v.is_small() || self.is(v, tag::INT))
        {
            self.emit_int(out, i);
            return Ok(());
        }
        #[cfg(feature = "bigint")]
        if let Some(x) = self.big_of(v).filter(|_| self.is_big(v)) {
            return self.big_write(out, &x, 10, b"");
        }
        if v.is_image_str() {
            return self.write_str(out, v, repr);
        }
        if v.is_imm() {
            match v.imm_kind() {
                kind::CONST => {
                    let s: &[u8] = match v {
                        Value::NONE => b"None",
                        Value::TRUE => b"True",
                        Value::FALSE => b"False",
                        Value::NOT_IMPLEMENTED => b"NotImplemented",
                        _ => b"Ellipsis",
                    };
                    self.emit(out, s);
                }
                kind::TYPE => {
                    let name = T::from_id(v.payload()).map_or("?", T::name);
                    self.emit_wrapped(out, b"<class '", name.as_bytes(), b"'>");
                }
                kind::BUILTIN => {
                    let name = crate::builtins::builtin_name(v.payload());
                    #[cfg(feature = "natives")]
                    let name = match out.host.as_deref_mut() {
                        Some(h) => {
                            crate::builtins::native::name(&mut Hx(h), v.payload()).unwrap_or(name)
                        }
                        None => name,
                    };
                    self.emit_wrapped(out, b"<built-in function ", name.as_bytes(), b">");
                }
                kind::METHOD => {
                    let name = crate::builtins::method_name(v.payload());
                    self.emit_wrapped(out, b"<built-in method ", name.as_bytes(), b">");
                }
                _ => self.emit(out, b"<code>"),
            }
            return Ok(());
        }
        if !v.is_obj() {
            self.emit(out, b"<NULL>");
            return Ok(());
        }
        let depth = up.map_or(0, |u| u.depth + 1);
        if depth > MAX_DEPTH || self.stack_room() == 0 {
            // Deeper than the renderer recurses on a board's small stack:
            // CPython's RecursionError (at its own, larger depth) rather
            // than a `...` that silently differs from its output. The bare
            // class: the exception report must not allocate.
            return Err(self.raise_bare(T::RecursionError));
        }
        let mut at = up;
        while let Some(u) = at {
            if u.v == v {
                let dots: &[u8] = match self.heap.tag(v.word()) {
                    tag::LIST => b"[...]",
                    tag::DICT => b"{...}",
                    _ => b"...",
                };
                self.emit(out, dots);
                return Ok(());
            }
            at = u.up;
        }
        let me = Up { v, depth, up };
        // Python code may run (with a host): keep `v` while it does, even
        // if that code takes it out of its container.
        let m = self.root(v);
        let r = self.write_obj(out, v, repr, &me);
        self.unroot(m);
        r
    }

    /// [`Vm::write_value`] for a heap object.
    fn write_obj(&mut self, out: &mut Out, v: Value, repr: bool, me: &Up) -> R<()> {
        let w = v.word();
        match self.heap.tag(w) {
            tag::FLOAT => {
                let f = self.float_val(v).unwrap_or(0.0);
                let mut b = Buf::<40>::new();
                let _ = write_float(f, &mut b);
                self.emit(out, b.bytes());
            }
            tag::BYTES | tag::BYTEARRAY => {
                // str() of a bytes is its repr, as in CPython.
                let ba = self.is_bytearray(v);
                self.emit(out, if ba { b"bytearray(b" } else { b"b" });
                let b = self.bytes_view(v).unwrap_or(v);
                self.write_str_repr(out, b, self.heap.tag(w));
                if ba {
                    self.emit(out, b")");
                }
            }
            tag::STR => return self.write_str(out, v, repr),
            t @ (tag::TUPLE | tag::LIST) => self.write_seq(out, v, t, me)?,
            t @ (tag::DICT | tag::SET | tag::FROZENSET | tag::DICTVIEW) => {
                self.write_entries(out, v, t, me)?
            }
            tag::SLICE => {
                self.emit(out, b"slice(");
                for i in 1..4 {
                    self.write_in(out, self.heap.v(w + i), true, Some(me))?;
                    self.emit(out, if i < 3 { b", " } else { b")" });
                }
            }
            tag::RANGE => self.write_range(out, v),
            tag::INST | tag::EXC if self.write_user(out, v, repr)? => {}
            // A builtin type's subclass without its own: as its base.
            tag::INST if self.native_base(v).is_some() => {
                self.write_in(out, self.native_of(v), repr, Some(me))?;
            }
            tag::CLASS | tag::INST => {
                let is_class = self.heap.tag(w) == tag::CLASS;
                let c = if is_class { v } else { self.heap.v(w + 1) };
                let (open, close): (&[u8], &[u8]) = if is_class {
                    (b"<class '", b"'>")
                } else {
                    (b"<", b" object>")
                };
                self.emit_wrapped_str(out, open, self.class_name(c), close);
            }
            tag::EXC => self.write_exc(out, v, repr, me)?,
            tag::MODULE => {
                self.emit_wrapped_str(out, b"<module '", self.module_name(v), b"'>");
            }
            tag::FUNC => {
                self.emit_wrapped_str(out, b"<function ", self.func_name(v), b">");
            }
            t => {
                let name = self.type_of(v).name();
                self.emit_wrapped(out, b"<", name.as_bytes(), b" object>");
                let _ = t;
            }
        }
        Ok(())
    }

    /// Renders str `v` (in the heap or an image str).
    fn write_str(&mut self, out: &mut Out, v: Value, repr: bool) -> R<()> {
        if repr {
            self.write_str_repr(out, v, tag::STR);
        } else {
            let (s, n) = self.str_span(v);
            self.emit_arena(out, s, n);
        }
        Ok(())
    }

    /// `repr(str)`: CPython's quote choice and escapes. For tag `t` BYTES
    /// or BYTEARRAY, of the content of bytes block `s`: every byte beyond
    /// ASCII as `\xNN`, and for a bytearray every `'` escaped (CPython's
    /// quirk).
    fn write_str_repr(&mut self, out: &mut Out, s: Value, t: u32) {
        let bytes = t != tag::STR;
        let text = self.str_bytes(s);
        let n = text.len();
        let has_sq = text.contains(&b'\'');
        let has_dq = text.contains(&b'"');
        let q = if has_sq && !has_dq { b'"' } else { b'\'' };
        self.emit(out, &[q]);
        let mut i = 0;
        while i < n {
            let c = self.str_bytes(s).get(i).copied().unwrap_or(0);
            let mut tmp = [0u8; 4];
            let esc: &[u8] = match c {
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                _ if c == q || (c == b'\'' && t == tag::BYTEARRAY) => {
                    let q = c;
                    tmp = [b'\\', q, 0, 0];
                    &tmp[..2]
                }
                _ if c < 0x20 || c == 0x7F || (bytes && c >= 0x80) => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    tmp = [b'\\', b'x', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]];
                    &tmp[..]
                }
                _ => {
                    tmp[0] = c;
                    &tmp[..1]
                }
            };
            let mut e = [0u8; 4];
            let k = esc.len();
            e[..k].copy_from_slice(esc);
            self.emit(out, &e[..k]);
            i += 1;
        }
        self.emit(out, &[q]);
    }

    /// Renders instance or exception `v` as its class's `__str__` (`repr`
    /// false) or `__repr__` says, when there is one and `out` has a host
    /// to run it (true then). An exception the VM raised gets its message
    /// text from the host first.
    fn write_user(&mut self, out: &mut Out, v: Value, repr: bool) -> R<bool> {
        if out.host.is_none() {
            return Ok(false);
        }
        let mut f = None;
        if !repr {
            f = self.special(v, super::Dunder::Str)?;
        }
        if f.is_none() {
            f = self.special(v, super::Dunder::Repr)?;
        }
        let Some(host) = out.host.as_deref_mut() else {
            return Ok(false);
        };
        let host = &mut Hx(host);
        self.exc_expand(host, v)?;
        let Some(f) = f else {
            return Ok(false);
        };
        let s = self.call_nested(host, f, &[v])?;
        if !self.is_str(s) {
            return self.raise_type(ErrMsg::NeedStr, s);
        }
        let m = self.root(s);
        let r = self.write_str(out, s, false);
        self.unroot(m);
        r.map(|_| true)
    }

    /// A new str with the rendering of `v`, running user methods when
    /// `host` is given.
    fn render(&mut self, host: Option<&mut Hx<'_>>, v: Value, repr: bool) -> R<Value> {
        if !repr && self.is_str(v) {
            return Ok(v);
        }
        let m = self.root(v);
        let r = self.str_out(host.map(Hx::get)).and_then(|mut out| {
            self.write_value(&mut out, v, repr)?;
            self.str_done(&mut out)
        });
        self.unroot(m);
        r
    }

    /// `str(v)` / `repr(v)` honouring user `__str__`/`__repr__` methods,
    /// also inside containers.
    pub(crate) fn format_host(&mut self, host: &mut Hx<'_>, v: Value, repr: bool) -> R<Value> {
        self.render(Some(host), v, repr)
    }

    /// `str(v)` without running Python code.
    pub(crate) fn str_of(&mut self, v: Value) -> R<Value> {
        self.render(None, v, false)
    }

    /// `repr(v)` without running Python code.
    pub(crate) fn repr_of(&mut self, v: Value) -> R<Value> {
        self.render(None, v, true)
    }

    /// `ValueError` for format specs the device does not implement.
    pub(crate) fn fmt_unsupported<X>(&mut self) -> R<X> {
        self.raise_s(T::ValueError, ErrMsg::Format, b"spec")
    }
}
