//! Format specs (`format(v, spec)`, f-string `{v:spec}`) and `str.format`.
//!
//! Spec grammar (as CPython's mini-language, without `=` alignment for
//! non-numbers): `[[fill]align][sign][#][0][width][,|_][.precision][type]`
//! with types `s d b o x X c f F e E % g G n`. Rendering goes through a
//! stack buffer of [`MAX_FIELD`] bytes for numbers; strings are padded in
//! place.

use crate::heap::Value;
use crate::machine::Host;
use crate::obj::exc::Part;
use crate::obj::flib;
use crate::obj::float::{push_exp, push_uint, write_float, Buf, Sink};
use crate::obj::str::data;
use crate::obj::T;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

/// Longest formatted number.
const MAX_FIELD: usize = 128;

#[derive(Default, Clone, Copy)]
struct Spec {
    fill: u8,
    align: u8,
    sign: u8,
    alt: bool,
    width: usize,
    grouping: u8,
    precision: Option<usize>,
    ty: u8,
}

fn parse_spec(s: &[u8]) -> Option<Spec> {
    let mut sp = Spec {
        fill: b' ',
        ..Default::default()
    };
    let mut i = 0;
    let is_align = |c: u8| matches!(c, b'<' | b'>' | b'^' | b'=');
    if s.len() >= 2 && is_align(s[1]) {
        sp.fill = s[0];
        sp.align = s[1];
        i = 2;
    } else if !s.is_empty() && is_align(s[0]) {
        sp.align = s[0];
        i = 1;
    }
    if i < s.len() && matches!(s[i], b'+' | b'-' | b' ') {
        sp.sign = s[i];
        i += 1;
    }
    if i < s.len() && s[i] == b'#' {
        sp.alt = true;
        i += 1;
    }
    if i < s.len() && s[i] == b'0' {
        if sp.align == 0 {
            sp.fill = b'0';
            sp.align = b'=';
        }
        i += 1;
    }
    while i < s.len() && s[i].is_ascii_digit() {
        sp.width = sp
            .width
            .checked_mul(10)?
            .checked_add((s[i] - b'0') as usize)?;
        i += 1;
    }
    if i < s.len() && matches!(s[i], b',' | b'_') {
        sp.grouping = s[i];
        i += 1;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let mut p = 0usize;
        let start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            p = p.checked_mul(10)?.checked_add((s[i] - b'0') as usize)?;
            i += 1;
        }
        if i == start {
            return None;
        }
        sp.precision = Some(p);
    }
    if i < s.len() {
        sp.ty = s[i];
        i += 1;
    }
    (i == s.len() && sp.width < 4096 && sp.precision.is_none_or(|p| p < 64)).then_some(sp)
}

/// Inserts grouping separators into the integer digits of `b[start..]`.
fn group(b: &mut Buf<MAX_FIELD>, digits: &[u8], sep: u8, every: usize) {
    let n = digits.len();
    for (k, &d) in digits.iter().enumerate() {
        if k > 0 && (n - k).is_multiple_of(every) {
            b.push(sep);
        }
        b.push(d);
    }
}

impl Vm<'_> {
    /// `format(v, spec)`.
    pub(crate) fn format_spec(&mut self, host: &mut dyn Host, v: Value, spec: Value) -> R<Value> {
        let (ss, sl) = self.str_span(spec);
        if sl == 0 {
            return self.format_host(host, v, false);
        }
        let mut raw = [0u8; 48];
        if sl > raw.len() {
            return self.fmt_unsupported();
        }
        self.code_bytes(ss, &mut raw[..sl]);
        let Some(sp) = parse_spec(&raw[..sl]) else {
            return self.fmt_unsupported();
        };
        // A big int: integer types through its own digits; float types
        // convert first (OverflowError past a float, as CPython).
        #[cfg(feature = "bigint")]
        if self.is_big(v) {
            match sp.ty {
                b'd' | b'n' | 0 | b'x' | b'X' | b'o' | b'b' => return self.format_big(v, &sp),
                b'c' => return self.raise(T::OverflowError, ErrMsg::IntTooLargeForC),
                t if float_type(t) =>
                {
                    #[cfg(feature = "float")]
                    if let Some(x) = self.big_of(v) {
                        self.big_float(&x)?;
                    }
                }
                _ => return self.raise_format_code(sp.ty, v),
            }
        }
        let mut body = Buf::<MAX_FIELD>::new();
        let mut numeric = true;
        if let Some(i) = self
            .int_val(v)
            .filter(|_| !matches!(sp.ty, b'f' | b'F' | b'e' | b'E' | b'%' | b'g' | b'G' | b's'))
        {
            let neg = i < 0;
            let u = i.unsigned_abs();
            let mut digits = Buf::<80>::new();
            let prefix: &[u8] = match sp.ty {
                b'b' => {
                    push_uint(&mut digits, u, 2, false);
                    b"0b"
                }
                b'o' => {
                    push_uint(&mut digits, u, 8, false);
                    b"0o"
                }
                b'x' => {
                    push_uint(&mut digits, u, 16, false);
                    b"0x"
                }
                b'X' => {
                    push_uint(&mut digits, u, 16, true);
                    b"0X"
                }
                b'c' => {
                    let c = u32::try_from(u)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('?');
                    digits.push_all(c.encode_utf8(&mut [0; 4]).as_bytes());
                    numeric = false;
                    b""
                }
                b'd' | b'n' | 0 => {
                    push_uint(&mut digits, u, 10, false);
                    b""
                }
                _ => return self.raise_format_code(sp.ty, v),
            };
            if numeric {
                match (neg, sp.sign) {
                    (true, _) => body.push(b'-'),
                    (false, b'+') => body.push(b'+'),
                    (false, b' ') => body.push(b' '),
                    _ => {}
                }
                if sp.alt {
                    for &c in prefix {
                        body.push(c);
                    }
                }
            }
            if sp.grouping != 0 {
                let every = if matches!(sp.ty, b'b' | b'o' | b'x' | b'X') {
                    4
                } else {
                    3
                };
                group(&mut body, digits.bytes(), sp.grouping, every);
            } else {
                for &c in digits.bytes() {
                    body.push(c);
                }
            }
        } else if let Some(f) = self.num_as_f64(v) {
            if !float_type(sp.ty) {
                return self.raise_format_code(sp.ty, v);
            }
            let mut digits = Buf::<MAX_FIELD>::new();
            let neg = f.is_sign_negative() && !f.is_nan();
            let a = f.abs();
            let p = sp.precision.unwrap_or(6);
            match sp.ty {
                _ if !a.is_finite() => {
                    // CPython: no exponent or digits, upper case for F/E/G.
                    let t: &[u8] = match (a.is_nan(), sp.ty.is_ascii_uppercase()) {
                        (true, false) => b"nan",
                        (true, true) => b"NAN",
                        (false, false) => b"inf",
                        (false, true) => b"INF",
                    };
                    digits.push_all(t);
                    if sp.ty == b'%' {
                        digits.push(b'%');
                    }
                }
                b'f' | b'F' => {
                    flib::fixed(a, p, &mut digits);
                }
                b'%' => {
                    flib::fixed(a * 100.0, p, &mut digits);
                    digits.push(b'%');
                }
                b'e' | b'E' => {
                    let e = flib::sci(a, p, &mut digits);
                    push_exp(&mut digits, if sp.ty == b'E' { b'E' } else { b'e' }, e);
                }
                0 if sp.precision.is_none() => {
                    let _ = write_float(a, &mut digits);
                }
                _ => {
                    // 'g' and precision without a type: significant digits.
                    let p = p.max(1);
                    let exp = if a == 0.0 { 0 } else { log10_floor(a) };
                    if exp < -4 || exp >= p as i32 {
                        let q = p - 1;
                        let mut t = Buf::<MAX_FIELD>::new();
                        let e = flib::sci(a, q, &mut t);
                        let m = if sp.alt {
                            t.as_str()
                        } else {
                            trim_zeros(t.as_str())
                        };
                        digits.push_all(m.as_bytes());
                        push_exp(&mut digits, b'e', e);
                    } else {
                        let q = (p as i32 - 1 - exp).max(0) as usize;
                        let mut t = Buf::<MAX_FIELD>::new();
                        flib::fixed(a, q, &mut t);
                        let m = if sp.alt {
                            t.as_str()
                        } else {
                            trim_zeros(t.as_str())
                        };
                        digits.push_all(m.as_bytes());
                    }
                }
            }
            match (neg, sp.sign) {
                (true, _) => body.push(b'-'),
                (false, b'+') => body.push(b'+'),
                (false, b' ') => body.push(b' '),
                _ => {}
            }
            let d = digits.bytes();
            if sp.grouping != 0 {
                let int_end = d
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(d.len());
                group(&mut body, &d[..int_end], sp.grouping, 3);
                for &c in &d[int_end..] {
                    body.push(c);
                }
            } else {
                for &c in d {
                    body.push(c);
                }
            }
        } else {
            numeric = false;
            if !matches!(sp.ty, 0 | b's') || sp.sign != 0 {
                return self.fmt_unsupported();
            }
        }
        if numeric || sp.ty == b'c' {
            return self.pad_bytes(body.bytes(), &sp, numeric);
        }
        // A string (or anything else rendered by str()).
        let s = self.format_host(host, v, false)?;
        let m = self.root(s);
        let r = (|| {
            let chars = self.str_chars(s);
            let keep = match sp.precision {
                Some(p) if p < chars => self.str_char_offset(s, p),
                _ => self.str_span(s).1,
            };
            let kept_chars = sp.precision.map_or(chars, |p| p.min(chars));
            let pad = sp.width.saturating_sub(kept_chars);
            let (l, r) = match sp.align {
                b'>' => (pad, 0),
                b'^' => (pad / 2, pad - pad / 2),
                _ => (0, pad),
            };
            let w = self.str_alloc(l + keep + r)?;
            let d = data(w);
            let (src, _) = self.str_span(s);
            let fill = sp.fill;
            self.copy_code(src, d + l, keep);
            let bytes = self.heap.bytes_mut();
            for k in 0..l {
                bytes[d + k] = fill;
            }
            for k in 0..r {
                bytes[d + l + keep + k] = fill;
            }
            self.str_finish(w);
            Ok(Value::obj(w))
        })();
        self.unroot(m);
        r
    }

    /// `format(v, spec)` for a big int `v` and an integer type: the
    /// digits come from [`Vm::big_render`] into the heap (they may be
    /// longer than [`MAX_FIELD`]), then sign, prefix, grouping and padding
    /// are laid out straight into the result.
    #[cfg(feature = "bigint")]
    fn format_big(&mut self, v: Value, sp: &Spec) -> R<Value> {
        let (base, prefix): (u32, &[u8]) = match sp.ty {
            b'x' | b'X' => (16, b"0x"),
            b'o' => (8, b"0o"),
            b'b' => (2, b"0b"),
            _ => (10, b""),
        };
        let digits = self.big_render(v, base, b"")?;
        let m = self.root(digits);
        let r = (|| {
            let (s, n) = self.str_span(digits);
            let neg = self.heap.byte(s) == b'-';
            let dn = n - neg as usize;
            let sign: &[u8] = match (neg, sp.sign) {
                (true, _) => b"-",
                (false, b'+') => b"+",
                (false, b' ') => b" ",
                _ => b"",
            };
            let head = sign.len() + if sp.alt { prefix.len() } else { 0 };
            let every = if base == 10 { 3 } else { 4 };
            let seps = if sp.grouping != 0 {
                (dn - 1) / every
            } else {
                0
            };
            let body = head + dn + seps;
            let pad = sp.width.saturating_sub(body);
            let (l, mid, r) = match sp.align {
                b'<' => (0, 0, pad),
                b'^' => (pad / 2, 0, pad - pad / 2),
                b'=' => (0, pad, 0),
                _ => (pad, 0, 0),
            };
            let w = self.str_alloc(body + pad)?;
            let (s, _) = self.str_span(digits);
            let ds = s + neg as usize;
            let d = data(w);
            let upper = sp.ty == b'X';
            let bytes = self.heap.bytes_mut();
            let mut k = d;
            let mut put = |bytes: &mut [u8], c: u8| {
                bytes[k] = c;
                k += 1;
            };
            for _ in 0..l {
                put(bytes, sp.fill);
            }
            for &c in sign {
                put(bytes, c);
            }
            if sp.alt {
                for &c in prefix {
                    put(bytes, if upper { c.to_ascii_uppercase() } else { c });
                }
            }
            for _ in 0..mid {
                put(bytes, sp.fill);
            }
            for i in 0..dn {
                if seps != 0 && i > 0 && (dn - i).is_multiple_of(every) {
                    put(bytes, sp.grouping);
                }
                let c = bytes[ds + i];
                put(bytes, if upper { c.to_ascii_uppercase() } else { c });
            }
            for _ in 0..r {
                put(bytes, sp.fill);
            }
            self.str_finish(w);
            Ok(Value::obj(w))
        })();
        self.unroot(m);
        r
    }

    /// Pads a rendered number or char to the spec's width.
    fn pad_bytes(&mut self, body: &[u8], sp: &Spec, numeric: bool) -> R<Value> {
        let n = body.len();
        let pad = sp.width.saturating_sub(n);
        let align = match sp.align {
            0 if numeric => b'>',
            0 => b'<',
            a => a,
        };
        let sign_len = if align == b'=' {
            let signs = body
                .iter()
                .take_while(|c| matches!(c, b'+' | b'-' | b' '))
                .count();
            let radix = body.get(signs) == Some(&b'0')
                && body.get(signs + 1).is_some_and(|c| c.is_ascii_alphabetic());
            signs + if radix { 2 } else { 0 }
        } else {
            0
        };
        let (l, r) = match align {
            b'<' => (0, pad),
            b'^' => (pad / 2, pad - pad / 2),
            _ => (pad, 0),
        };
        // Written straight into the new str: no stack buffer of width bytes.
        let w = self.str_alloc(n + pad)?;
        let d = data(w);
        let out = &mut self.heap.bytes_mut()[d..d + n + pad];
        out[..sign_len].copy_from_slice(&body[..sign_len]);
        let mut k = sign_len;
        for _ in 0..l {
            out[k] = sp.fill;
            k += 1;
        }
        out[k..k + n - sign_len].copy_from_slice(&body[sign_len..]);
        k += n - sign_len;
        for _ in 0..r {
            out[k] = sp.fill;
            k += 1;
        }
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// `template.format(*args, **kwargs)` (args from `a`, after `self`).
    pub(crate) fn str_format(
        &mut self,
        host: &mut dyn Host,
        template: Value,
        a: &crate::vm::call::Args,
    ) -> R<Value> {
        // Collect rendered pieces in a list, then join.
        let parts = self.list_new(0)?;
        let m = self.root(parts);
        let r = (|| {
            let (_, len) = self.str_span(template);
            let mut i = 0;
            let mut lit_start = 0;
            let mut auto = 0usize;
            while i < len {
                let c = self.span_byte(self.str_span(template).0 + i);
                let next = if i + 1 < len {
                    self.span_byte(self.str_span(template).0 + i + 1)
                } else {
                    0
                };
                if (c == b'{' && next == b'{') || (c == b'}' && next == b'}') {
                    let (s0, _) = self.str_span(template);
                    let lit = self.str_from_arena(s0 + lit_start, i + 1 - lit_start)?;
                    self.list_push(parts, lit)?;
                    i += 2;
                    lit_start = i;
                    continue;
                }
                if c != b'{' {
                    i += 1;
                    continue;
                }
                let (s0, _) = self.str_span(template);
                let lit = self.str_from_arena(s0 + lit_start, i - lit_start)?;
                self.list_push(parts, lit)?;
                // The matching brace: a spec may nest one level (`{:>{}}`).
                let mut depth = 0usize;
                let close = (i + 1..len).find(|&j| match self.span_byte(s0 + j) {
                    b'{' => {
                        depth += 1;
                        false
                    }
                    b'}' if depth > 0 => {
                        depth -= 1;
                        false
                    }
                    b'}' => true,
                    _ => false,
                });
                let Some(close) = close else {
                    return self.fmt_unsupported();
                };
                let mut field = [0u8; 64];
                let flen = (close - i - 1).min(64);
                self.code_bytes(s0 + i + 1, &mut field[..flen]);
                let field = &field[..flen];
                let (head, spec) = match field.iter().position(|&c| c == b':') {
                    Some(p) => (&field[..p], &field[p + 1..]),
                    None => (field, &field[flen..]),
                };
                let (name, conv) = match head.iter().position(|&c| c == b'!') {
                    Some(p) => (&head[..p], head.get(p + 1).copied()),
                    None => (head, None),
                };
                let v = self.format_field(host, a, name, &mut auto)?;
                let mark = self.root(v);
                // Replacement fields inside the spec are formatted with str().
                let mut nested = [0u8; 64];
                let mut nlen = 0;
                let mut k = 0;
                while k < spec.len() {
                    if spec[k] == b'{' {
                        let end = spec[k..]
                            .iter()
                            .position(|&c| c == b'}')
                            .map_or(spec.len(), |p| k + p);
                        let inner = self.format_field(host, a, &spec[k + 1..end], &mut auto)?;
                        let s = self.format_host(host, inner, false)?;
                        let b = self.str_bytes(s);
                        let take = b.len().min(64 - nlen);
                        nested[nlen..nlen + take].copy_from_slice(&b[..take]);
                        nlen += take;
                        k = end + 1;
                    } else {
                        if nlen < 64 {
                            nested[nlen] = spec[k];
                            nlen += 1;
                        }
                        k += 1;
                    }
                }
                let spec_s = self.str_from_bytes(&nested[..nlen])?;
                self.root(spec_s);
                let v = match conv {
                    Some(b'r') => self.format_host(host, v, true)?,
                    Some(b's') => self.format_host(host, v, false)?,
                    _ => v,
                };
                self.root(v);
                let piece = self.format_spec(host, v, spec_s)?;
                self.list_push(parts, piece)?;
                // Each field's temporaries are dropped before the next.
                self.unroot(mark);
                i = close + 1;
                lit_start = i;
            }
            let (s0, _) = self.str_span(template);
            let lit = self.str_from_arena(s0 + lit_start, len - lit_start)?;
            self.list_push(parts, lit)?;
            self.concat_strs(parts)
        })();
        self.unroot(m);
        r
    }

    /// The value of replacement field `name` (`""`, `0`, `key`, with any
    /// `[index]` and `.attr` accessors after it).
    fn format_field(
        &mut self,
        host: &mut dyn Host,
        a: &crate::vm::call::Args,
        name: &[u8],
        auto: &mut usize,
    ) -> R<Value> {
        let end = name
            .iter()
            .position(|&c| c == b'[' || c == b'.')
            .unwrap_or(name.len());
        let (base, mut rest) = name.split_at(end);
        let mut v = if base.is_empty() {
            *auto += 1;
            self.pos_arg(a, *auto - 1)?
        } else if let Some(k) = decimal(base) {
            self.pos_arg(a, k)?
        } else {
            match (0..self.nkw(a)).find(|&j| self.str_bytes(self.kw_name(a, j)) == base) {
                Some(j) => self.arg(a, a.n + j),
                None => return self.raise_s(T::KeyError, ErrMsg::KeyMissing, base),
            }
        };
        while let Some((&c, tail)) = rest.split_first() {
            let stop = tail
                .iter()
                .position(|&x| x == b']' || (c == b'.' && (x == b'[' || x == b'.')))
                .unwrap_or(tail.len());
            let key = &tail[..stop];
            rest = if c == b'[' {
                tail.get(stop + 1..).unwrap_or(&[])
            } else {
                &tail[stop..]
            };
            let m = self.root(v);
            let k = match decimal(key) {
                Some(i) if c == b'[' => self.int_from_i64(i as i64),
                _ => self.str_from_bytes(key),
            };
            let r = match k {
                Ok(k) if c == b'[' => self.getitem(v, k),
                Ok(k) => super::getattr(self, host, v, k),
                Err(e) => Err(e),
            };
            self.unroot(m);
            v = r?;
        }
        Ok(v)
    }

    /// `template % args` (printf-style): each `%[flags][width][.prec]type`
    /// becomes a format spec for [`Vm::format_spec`]; `%s`/`%r` go through
    /// str()/repr() first. `args` is a tuple of values or a single value.
    pub(crate) fn str_percent(
        &mut self,
        host: &mut dyn Host,
        template: Value,
        args: Value,
    ) -> R<Value> {
        let parts = self.list_new(0)?;
        let m = self.root(parts);
        self.root(template);
        self.root(args);
        let r = (|| {
            let (items, count) = match self
                .seq_items(args)
                .filter(|_| self.is(args, crate::obj::tag::TUPLE))
            {
                Some((_, n)) => (true, n),
                None => (false, 1),
            };
            let mut next = 0usize;
            let len = self.str_span(template).1;
            let (mut i, mut lit) = (0usize, 0usize);
            while i < len {
                let byte = |vm: &Self, j: usize| {
                    if j < len {
                        vm.span_byte(vm.str_span(template).0 + j)
                    } else {
                        0
                    }
                };
                if byte(self, i) != b'%' {
                    i += 1;
                    continue;
                }
                let s0 = self.str_span(template).0;
                let piece = self.str_from_arena(s0 + lit, i - lit)?;
                self.list_push(parts, piece)?;
                i += 1;
                if byte(self, i) == b'%' {
                    let pct = self.str_from_bytes(b"%")?;
                    self.list_push(parts, pct)?;
                    i += 1;
                    lit = i;
                    continue;
                }
                // Flags, width, precision, conversion.
                let (mut left, mut zero, mut sign, mut alt) = (false, false, 0u8, false);
                while let c @ (b'-' | b'0' | b'+' | b' ' | b'#') = byte(self, i) {
                    match c {
                        b'-' => left = true,
                        b'0' => zero = true,
                        b'#' => alt = true,
                        _ => sign = c,
                    }
                    i += 1;
                }
                let mut spec = [0u8; 32];
                let mut n = 0;
                let mut put = |s: &mut [u8; 32], c: u8| {
                    if n < 32 {
                        s[n] = c;
                        n += 1;
                    }
                };
                let conv_at = {
                    let mut j = i;
                    while byte(self, j).is_ascii_digit() || byte(self, j) == b'.' {
                        j += 1;
                    }
                    j
                };
                let conv = byte(self, conv_at);
                if left {
                    put(&mut spec, b'<');
                } else if !zero || conv == b's' || conv == b'r' {
                    put(&mut spec, b'>');
                }
                if sign != 0 {
                    put(&mut spec, sign);
                }
                if alt && matches!(conv, b'x' | b'X' | b'o') {
                    put(&mut spec, b'#');
                }
                if zero && !left && conv != b's' && conv != b'r' {
                    put(&mut spec, b'0');
                }
                while i < conv_at {
                    put(&mut spec, byte(self, i));
                    i += 1;
                }
                let ty = match conv {
                    b'i' | b'u' => b'd',
                    b'd' | b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'x' | b'X' | b'o' => conv,
                    b's' | b'r' => 0,
                    _ => return self.raise_format_char(template, conv_at),
                };
                if ty != 0 {
                    put(&mut spec, ty);
                }
                i += 1;
                lit = i;
                if next >= count {
                    return self.raise(T::TypeError, ErrMsg::FormatArgsMissing);
                }
                let v = if items {
                    let (b, _) = self.seq_items(args).unwrap_or((0, 0));
                    self.heap.v(b + next)
                } else {
                    args
                };
                if ty != 0 {
                    self.percent_operand(conv, v)?;
                }
                next += 1;
                let mark = self.root(v);
                let v = match conv {
                    b's' => self.format_host(host, v, false)?,
                    b'r' => self.format_host(host, v, true)?,
                    _ => v,
                };
                self.root(v);
                let spec_s = self.str_from_bytes(&spec[..n])?;
                self.root(spec_s);
                let piece = self.format_spec(host, v, spec_s)?;
                self.list_push(parts, piece)?;
                self.unroot(mark);
            }
            if next < count {
                return self.raise(T::TypeError, ErrMsg::FormatArgsLeft);
            }
            let s0 = self.str_span(template).0;
            let piece = self.str_from_arena(s0 + lit, len - lit)?;
            self.list_push(parts, piece)?;
            self.concat_strs(parts)
        })();
        self.unroot(m);
        r
    }

    fn pos_arg(&mut self, a: &crate::vm::call::Args, k: usize) -> R<Value> {
        if k + 1 < a.n {
            Ok(self.arg(a, k + 1))
        } else {
            self.raise_s(T::IndexError, ErrMsg::IndexRange, b"format argument")
        }
    }

    /// Concatenates the strs of list `l`.
    pub(crate) fn concat_strs(&mut self, l: Value) -> R<Value> {
        let (_, n) = self.seq_items(l).unwrap_or((0, 0));
        let mut total = 0;
        for i in 0..n {
            let (b, _) = self.seq_items(l).unwrap_or((0, 0));
            total += self.str_span(self.heap.v(b + i)).1;
        }
        let w = self.str_alloc(total)?;
        let mut d = data(w);
        for i in 0..n {
            let (b, _) = self.seq_items(l).unwrap_or((0, 0));
            let (s, k) = self.str_span(self.heap.v(b + i));
            self.copy_code(s, d, k);
            d += k;
        }
        self.str_finish(w);
        Ok(Value::obj(w))
    }
}

/// `s` as a decimal number, if it is one (and not empty).
fn decimal(s: &[u8]) -> Option<usize> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0usize, |acc, d| {
        acc.saturating_mul(10).saturating_add((d - b'0') as usize)
    }))
}

/// floor(log10(a)) for finite a > 0 (0 for inf and nan, which must not
/// loop).
fn log10_floor(a: f64) -> i32 {
    let mut e = 0;
    let mut x = a;
    if !a.is_finite() {
        return 0;
    }
    while x >= 10.0 {
        x /= 10.0;
        e += 1;
    }
    while x < 1.0 {
        x *= 10.0;
        e -= 1;
    }
    e
}

/// Whether `ty` is a presentation type of floats (`n` and none too).
fn float_type(ty: u8) -> bool {
    matches!(
        ty,
        0 | b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'n' | b'%'
    )
}

/// Drops trailing zeros (and a trailing point) of a decimal mantissa.
fn trim_zeros(m: &str) -> &str {
    if !m.contains('.') {
        return m;
    }
    m.trim_end_matches('0').trim_end_matches('.')
}

impl Vm<'_> {
    /// Checks the value of a numeric `%` conversion as CPython does: `%d`
    /// and `%f` take any real number, `%x` and `%o` an integer.
    fn percent_operand(&mut self, conv: u8, v: Value) -> R<()> {
        let t = self.type_of(v);
        let int = matches!(t, T::int | T::bool);
        let real = int || t == T::float;
        let c = [conv];
        match conv {
            b'x' | b'X' | b'o' if !int => {
                let parts = [Part::Bytes(&c), Part::TypeOf(v)];
                self.raise_parts(T::TypeError, ErrMsg::FormatNeedsInt, &parts)
            }
            b'd' | b'i' | b'u' if !real => {
                let parts = [Part::Bytes(&c), Part::TypeOf(v)];
                self.raise_parts(T::TypeError, ErrMsg::FormatNeedsReal, &parts)
            }
            b'f' | b'F' | b'e' | b'E' | b'g' | b'G' if !real => {
                self.raise_parts(T::TypeError, ErrMsg::FormatNeedsFloat, &[Part::TypeOf(v)])
            }
            _ => Ok(()),
        }
    }

    /// ValueError for a presentation type `ty` that `v`'s type lacks.
    #[inline(never)]
    fn raise_format_code<X>(&mut self, ty: u8, v: Value) -> R<X> {
        let parts = [Part::Bytes(&[ty]), Part::TypeOf(v)];
        self.raise_parts(T::ValueError, ErrMsg::FormatCode, &parts)
    }

    /// ValueError for an unknown `%` conversion at byte `at` of `template`.
    #[inline(never)]
    fn raise_format_char<X>(&mut self, template: Value, at: usize) -> R<X> {
        let c = self.str_bytes(template).get(at).copied().unwrap_or(b'?');
        let hex = [hex_digit(c >> 4), hex_digit(c & 15)];
        let mut index = [0u8; 10];
        let mut k = index.len();
        let mut n = at;
        loop {
            k -= 1;
            index[k] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 || k == 0 {
                break;
            }
        }
        let parts = [
            Part::Bytes(&[c]),
            Part::Bytes(&hex),
            Part::Bytes(index.get(k..).unwrap_or_default()),
        ];
        self.raise_parts(T::ValueError, ErrMsg::FormatChar, &parts)
    }
}

/// The lowercase hex digit of `n` (< 16).
fn hex_digit(n: u8) -> u8 {
    if n < 10 {
        b'0' + n
    } else {
        b'a' + n - 10
    }
}
