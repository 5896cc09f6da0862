//! `str()` and `repr()` without allocating while rendering.
//!
//! [`Vm::write_value`] renders into an [`Out`]: the host's output (print),
//! a byte counter, a pre-allocated heap string, or a fixed buffer (the
//! exception report). Building a str is two passes: count, allocate once,
//! write. Rendering reads the heap by index and copies text through small
//! stack buffers, so it never holds a borrow of the arena across a write.

use super::{Vm, R};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Host;
use crate::obj::float::{push_uint, write_float, Buf};
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;

/// Nesting depth past which rendering a container raises `RecursionError`.
const MAX_DEPTH: usize = 24;

/// Where rendered text goes.
pub enum Out<'o> {
    /// Program output, buffered.
    Host {
        /// The host.
        host: &'o mut dyn Host,
        /// Pending bytes.
        buf: [u8; 128],
        /// Pending length.
        len: usize,
    },
    /// Counts bytes.
    Count(usize),
    /// Writes into the arena at an absolute byte index.
    Heap(usize),
    /// Fills a fixed buffer, dropping the excess.
    Buf {
        /// The buffer.
        buf: &'o mut [u8],
        /// Bytes written.
        len: usize,
    },
}

impl<'o> Out<'o> {
    /// Buffered output to `host`.
    pub fn host(host: &'o mut dyn Host) -> Out<'o> {
        Out::Host {
            host,
            buf: [0; 128],
            len: 0,
        }
    }

    /// Sends buffered host output.
    pub fn flush(&mut self) {
        if let Out::Host { host, buf, len } = self {
            if *len > 0 {
                host.output(&buf[..*len]);
                *len = 0;
            }
        }
    }
}

impl Vm<'_> {
    /// Emits bytes that do not live in the arena.
    pub(crate) fn emit(&mut self, out: &mut Out, b: &[u8]) {
        match out {
            Out::Host { host, buf, len } => {
                for chunk in b.chunks(buf.len()) {
                    if *len + chunk.len() > buf.len() {
                        host.output(&buf[..*len]);
                        *len = 0;
                    }
                    buf[*len..*len + chunk.len()].copy_from_slice(chunk);
                    *len += chunk.len();
                }
            }
            Out::Count(n) => *n += b.len(),
            Out::Heap(at) => {
                self.heap.bytes_mut()[*at..*at + b.len()].copy_from_slice(b);
                *at += b.len();
            }
            Out::Buf { buf, len } => {
                let k = b.len().min(buf.len() - *len);
                buf[*len..*len + k].copy_from_slice(&b[..k]);
                *len += k;
            }
        }
    }

    /// Emits the bytes `[start, start + n)` at code address `start` (the
    /// arena, or an image str's bytes: [`Vm::str_span`]).
    pub(crate) fn emit_arena(&mut self, out: &mut Out, start: usize, n: usize) {
        match out {
            Out::Count(c) => *c += n,
            Out::Heap(at) => {
                self.copy_code(start, *at, n);
                *at += n;
            }
            _ => {
                let mut tmp = [0u8; 64];
                let mut i = 0;
                while i < n {
                    let k = (n - i).min(64);
                    self.code_bytes(start + i, &mut tmp[..k]);
                    self.emit(out, &tmp[..k]);
                    i += k;
                }
            }
        }
    }

    /// Emits `open`, `mid`, `close`: the `<kind name>` shapes of reprs,
    /// one call each instead of three.
    #[inline(never)]
    fn emit_wrapped(&mut self, out: &mut Out, open: &[u8], mid: &[u8], close: &[u8]) {
        self.emit(out, open);
        self.emit(out, mid);
        self.emit(out, close);
    }

    /// As [`Vm::emit_wrapped`] with the str `name` in the middle (nothing
    /// there if it is not a str).
    #[inline(never)]
    fn emit_wrapped_str(&mut self, out: &mut Out, open: &[u8], name: Value, close: &[u8]) {
        self.emit(out, open);
        if self.is_str(name) {
            let (s, n) = self.str_span(name);
            self.emit_arena(out, s, n);
        }
        self.emit(out, close);
    }

    fn emit_int(&mut self, out: &mut Out, i: i64) {
        let mut b = Buf::<24>::new();
        if i < 0 {
            b.push(b'-');
        }
        push_uint(&mut b, i.unsigned_abs(), 10, false);
        self.emit(out, b.bytes());
    }

    /// Renders `v` (`repr` if `repr`, else `str`).
    pub(crate) fn write_value(
        &mut self,
        out: &mut Out,
        v: Value,
        repr: bool,
        depth: usize,
    ) -> R<()> {
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
        if depth > MAX_DEPTH || self.stack_room() == 0 {
            // Deeper than the renderer recurses on a board's small stack:
            // CPython's RecursionError (at its own, larger depth) rather
            // than a `...` that silently differs from its output. The bare
            // class: nothing may allocate while the
            // ancestors' mark bits are set (see below).
            return Err(self.raise_bare(T::RecursionError));
        }
        // A container inside itself (`a.append(a)`) renders as `[...]`, as
        // CPython's does, not as 2**24 copies of itself (a list holding
        // itself twice printed for ever without a poll). The block's mark
        // bit says "being rendered": nothing in `write_obj` may allocate
        // (a collection would take marked blocks for traced ones and free
        // their items), and the bit is cleared on every way out.
        let w = v.word();
        if self.heap.marked(w) {
            let dots: &[u8] = match self.heap.tag(w) {
                tag::LIST => b"[...]",
                tag::DICT => b"{...}",
                _ => b"...",
            };
            self.emit(out, dots);
            return Ok(());
        }
        self.heap.set_mark(w);
        let r = self.write_obj(out, v, repr, depth);
        self.heap.clear_mark(w);
        r
    }

    /// [`Vm::write_value`] for a heap object, marked as being rendered.
    fn write_obj(&mut self, out: &mut Out, v: Value, repr: bool, depth: usize) -> R<()> {
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
            tag::TUPLE | tag::LIST => {
                let is_list = self.heap.tag(w) == tag::LIST;
                self.emit(out, if is_list { b"[" } else { b"(" });
                let mut i = 0;
                loop {
                    let (b, n) = self.seq_items(v).unwrap_or((0, 0));
                    if i >= n {
                        if n == 1 && !is_list {
                            self.emit(out, b",");
                        }
                        break;
                    }
                    if i > 0 {
                        self.emit(out, b", ");
                    }
                    let x = self.heap.v(b + i);
                    self.write_value(out, x, true, depth + 1)?;
                    i += 1;
                }
                self.emit(out, if is_list { b"]" } else { b")" });
            }
            tag::DICT | tag::SET | tag::FROZENSET | tag::DICTVIEW => {
                // One loop over the entries of a dict, a set or a dict view:
                // `show` says what each entry shows (0 the key, 1 the value,
                // 2 `(key, value)`, 3 `key: value`).
                let t = self.heap.tag(w);
                let (d, show, open, close): (Value, u32, &[u8], &[u8]) = match t {
                    tag::DICT => (v, 3, b"{", b"}"),
                    tag::DICTVIEW => {
                        let k = self.heap.w(w + 1);
                        let open: &[u8] = match k {
                            0 => b"dict_keys([",
                            1 => b"dict_values([",
                            _ => b"dict_items([",
                        };
                        (self.heap.v(w + 2), k.min(2), open, b"])")
                    }
                    _ => {
                        let frozen = t == tag::FROZENSET;
                        if self.dict_len(v) == 0 {
                            self.emit(out, if frozen { b"frozenset()" } else { b"set()" });
                            return Ok(());
                        }
                        let (open, close): (&[u8], &[u8]) = if frozen {
                            (b"frozenset({", b"})")
                        } else {
                            (b"{", b"}")
                        };
                        (v, 0, open, close)
                    }
                };
                self.emit(out, open);
                let mut first = true;
                let mut i = 0;
                while i < self.dict_used(d) {
                    if let Some((key, x)) = self.dict_entry(d, i) {
                        if !first {
                            self.emit(out, b", ");
                        }
                        first = false;
                        if show == 2 {
                            self.emit(out, b"(");
                        }
                        if show != 1 {
                            self.write_value(out, key, true, depth + 1)?;
                        }
                        match show {
                            2 => self.emit(out, b", "),
                            3 => self.emit(out, b": "),
                            _ => {}
                        }
                        if show != 0 {
                            self.write_value(out, x, true, depth + 1)?;
                        }
                        if show == 2 {
                            self.emit(out, b")");
                        }
                    }
                    i += 1;
                }
                self.emit(out, close);
            }
            tag::SLICE => {
                self.emit(out, b"slice(");
                for i in 1..4 {
                    self.write_value(out, self.heap.v(w + i), true, depth + 1)?;
                    self.emit(out, if i < 3 { b", " } else { b")" });
                }
            }
            tag::RANGE => {
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
            tag::EXC => {
                if repr {
                    let mut name = [0u8; 32];
                    let k = self.exc_type_name(v, &mut name);
                    self.emit(out, &name[..k]);
                    // The args tuple, or the detail it would be made of:
                    // no allocation while containers are marked (above).
                    let args = self.heap.v(v.word() + crate::obj::exc::ARGS);
                    let detail = self.heap.v(v.word() + crate::obj::exc::DETAIL);
                    let n = match self.seq_items(args) {
                        Some((_, n)) if !args.is_null() => n,
                        _ => usize::from(!detail.is_null()),
                    };
                    self.emit(out, b"(");
                    for i in 0..n {
                        if i > 0 {
                            self.emit(out, b", ");
                        }
                        let x = match self.seq_items(args) {
                            Some((b, _)) if !args.is_null() => self.heap.v(b + i),
                            _ => detail,
                        };
                        self.write_value(out, x, true, depth + 1)?;
                    }
                    self.emit(out, b")");
                } else if let Some(s) = self.exc_str_source(v) {
                    let is_tuple = self.is(s, tag::TUPLE);
                    self.write_value(out, s, is_tuple, depth + 1)?;
                }
            }
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

    /// A new str with the rendering of `v`.
    pub(crate) fn render(&mut self, v: Value, repr: bool) -> R<Value> {
        let mut count = Out::Count(0);
        self.write_value(&mut count, v, repr, 0)?;
        let Out::Count(n) = count else {
            return Ok(Value::NONE);
        };
        let m = self.root(v);
        let w = self.str_alloc(n);
        self.unroot(m);
        let w = w?;
        let mut out = Out::Heap(crate::obj::str::data(w));
        self.write_value(&mut out, v, repr, 0)?;
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// The user `__str__` (`repr` false) or `__repr__` method for `v`, if
    /// its class defines one.
    fn user_format_method(&mut self, v: Value, repr: bool) -> R<Option<Value>> {
        if !self.is(v, tag::INST) && !self.is(v, tag::EXC) {
            return Ok(None);
        }
        let c = self.class_of(v);
        if !self.is(c, tag::CLASS) {
            return Ok(None);
        }
        if !repr {
            let n = self.dunder(super::Dunder::Str)?;
            if let Some(f) = self.class_lookup(c, n) {
                return Ok(Some(f));
            }
        }
        let n = self.dunder(super::Dunder::Repr)?;
        Ok(self.class_lookup(c, n))
    }

    /// `str(v)` / `repr(v)` honouring a user `__str__`/`__repr__` on `v`
    /// itself (not yet inside containers).
    pub(crate) fn format_host(&mut self, host: &mut dyn Host, v: Value, repr: bool) -> R<Value> {
        self.exc_expand(host, v)?;
        if let Some(f) = self.user_format_method(v, repr)? {
            let s = self.call_nested(host, f, &[v])?;
            if !self.is_str(s) {
                return self.raise_type(ErrMsg::NeedStr, s);
            }
            return Ok(s);
        }
        if self.needs_host(v, 0) {
            return self.repr_host(host, v, 0);
        }
        if repr {
            self.repr_of(v)
        } else {
            self.str_of(v)
        }
    }

    /// True if `v` is a container holding (at any depth up to 8) an
    /// instance of a user class, whose `__repr__` must run.
    pub(crate) fn needs_host(&self, v: Value, depth: usize) -> bool {
        if depth > 8 || !v.is_obj() {
            return false;
        }
        let w = v.word();
        match self.heap.tag(w) {
            tag::INST | tag::EXC => depth > 0 && self.is(self.class_of(v), tag::CLASS),
            tag::LIST | tag::TUPLE => {
                let (b, n) = self.seq_items(v).unwrap_or((0, 0));
                (0..n).any(|i| self.needs_host(self.heap.v(b + i), depth + 1))
            }
            tag::DICT | tag::SET | tag::FROZENSET => {
                (0..self.dict_used(v)).any(|i| match self.dict_entry(v, i) {
                    Some((k, x)) => self.needs_host(k, depth + 1) || self.needs_host(x, depth + 1),
                    None => false,
                })
            }
            _ => false,
        }
    }

    /// `repr(v)` for containers holding user instances: renders piece by
    /// piece (running each `__repr__`) and joins.
    fn repr_host(&mut self, host: &mut dyn Host, v: Value, depth: usize) -> R<Value> {
        if depth > MAX_DEPTH || !v.is_obj() {
            return self.repr_of(v);
        }
        let t = self.heap.tag(v.word());
        if matches!(t, tag::INST | tag::EXC) {
            return self.format_host(host, v, true);
        }
        if !matches!(
            t,
            tag::LIST | tag::TUPLE | tag::DICT | tag::SET | tag::FROZENSET
        ) || !self.needs_host(v, 1)
        {
            return self.repr_of(v);
        }
        let parts = self.list_new(0)?;
        let m = self.root(parts);
        self.root(v);
        let r = (|| {
            let (open, close): (&[u8], &[u8]) = match t {
                tag::LIST => (b"[", b"]"),
                tag::TUPLE => (b"(", b")"),
                _ => (b"{", b"}"),
            };
            let lit = |vm: &mut Self, b: &[u8]| -> R<()> {
                let s = vm.str_from_bytes(b)?;
                vm.list_push(parts, s)
            };
            lit(self, open)?;
            if matches!(t, tag::LIST | tag::TUPLE) {
                let (_, n) = self.seq_items(v).unwrap_or((0, 0));
                for i in 0..n {
                    if i > 0 {
                        lit(self, b", ")?;
                    }
                    let (b, _) = self.seq_items(v).unwrap_or((0, 0));
                    let x = self.heap.v(b + i);
                    let s = self.repr_host(host, x, depth + 1)?;
                    self.list_push(parts, s)?;
                }
                if n == 1 && t == tag::TUPLE {
                    lit(self, b",")?;
                }
            } else {
                let mut first = true;
                let mut i = 0;
                while i < self.dict_used(v) {
                    if let Some((k, x)) = self.dict_entry(v, i) {
                        if !first {
                            lit(self, b", ")?;
                        }
                        first = false;
                        let s = self.repr_host(host, k, depth + 1)?;
                        self.list_push(parts, s)?;
                        if t == tag::DICT {
                            lit(self, b": ")?;
                            let s = self.repr_host(host, x, depth + 1)?;
                            self.list_push(parts, s)?;
                        }
                    }
                    i += 1;
                }
            }
            lit(self, close)?;
            self.concat_strs(parts)
        })();
        self.unroot(m);
        r
    }

    /// `str(v)`.
    pub(crate) fn str_of(&mut self, v: Value) -> R<Value> {
        if self.is_str(v) {
            return Ok(v);
        }
        self.render(v, false)
    }

    /// `repr(v)`.
    pub(crate) fn repr_of(&mut self, v: Value) -> R<Value> {
        self.render(v, true)
    }

    /// `ValueError` for format specs the device does not implement.
    pub(crate) fn fmt_unsupported<X>(&mut self) -> R<X> {
        self.raise_s(T::ValueError, ErrMsg::Format, b"spec")
    }
}
