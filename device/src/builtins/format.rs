//! Format specs (`format(v, spec)`, f-string `{v:spec}`, and each field of
//! `str.format` and `%`, whose templates the frozen library parses:
//! `lib/format.py`, reached through [`Vm::format_library`]).
//!
//! Spec grammar (as CPython's mini-language, without `=` alignment for
//! non-numbers): `[[fill]align][sign][#][0][width][,|_][.precision][type]`
//! with types `s d b o x X c f F e E % g G n`. Rendering goes through a
//! stack buffer of [`MAX_FIELD`] bytes for numbers; strings are padded in
//! place.

use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::exc::Part;
use crate::obj::flib;
use crate::obj::float::{log10_floor, push_exp, write_float, Buf, Sink};
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

impl Vm<'_> {
    /// `format(v, spec)`: the spec parsed into a [`Spec`], the value
    /// rendered as text (an int's digits, a float's, or `str(v)`), then one
    /// [`Vm::lay_out`] for every type.
    pub(crate) fn format_spec(&mut self, host: &mut Hx<'_>, v: Value, spec: Value) -> R<Value> {
        let (ss, sl) = self.str_span(spec);
        if sl == 0 {
            return self.format_host(host, v, false);
        }
        // A subclass's instance formats as its base (CPython's
        // `int.__format__` and kin use the value, not `__str__`).
        let v = self.native_of(v);
        let mut raw = [0u8; 48];
        if sl > raw.len() {
            return self.fmt_unsupported();
        }
        self.code_bytes(ss, &mut raw[..sl]);
        let Some(sp) = parse_spec(&raw[..sl]) else {
            return self.fmt_unsupported();
        };
        let mut f = Field {
            head: Buf::new(),
            from: 0,
            group: usize::MAX,
            every: 3,
            numeric: true,
            upper: sp.ty.is_ascii_uppercase(),
        };
        let int = self.int_val(v).is_some() || self.is(v, crate::obj::tag::BIGINT);
        let text = if int && !matches!(sp.ty, b'f' | b'F' | b'e' | b'E' | b'%' | b'g' | b'G' | b's')
        {
            if sp.ty == b'c' {
                let Some(i) = self.int_val(v) else {
                    return self.raise(T::OverflowError, ErrMsg::IntTooLargeForC);
                };
                let c = u32::try_from(i)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('?');
                f.numeric = false;
                self.str_from_bytes(c.encode_utf8(&mut [0; 4]).as_bytes())?
            } else {
                self.int_field(v, &sp, &mut f)?
            }
        } else if let Some(x) = self.num_as_f64(v) {
            if !float_type(sp.ty) {
                return self.raise_format_code(sp.ty, v);
            }
            #[cfg(all(feature = "bigint", feature = "float"))]
            if let Some(b) = self.big_of(v).filter(|_| self.is_big(v)) {
                // OverflowError past a float, as CPython.
                self.big_float(&b)?;
            }
            let mut digits = Buf::<MAX_FIELD>::new();
            push_sign(&mut f.head, x.is_sign_negative() && !x.is_nan(), sp.sign);
            float_digits(x.abs(), &sp, &mut digits);
            // Group the integer part only.
            let d = digits.bytes();
            f.group = d
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(d.len());
            self.str_from_bytes(digits.bytes())?
        } else {
            if !matches!(sp.ty, 0 | b's') || sp.sign != 0 {
                return self.fmt_unsupported();
            }
            f.numeric = false;
            self.format_host(host, v, false)?
        };
        self.lay_out(&sp, &f, text)
    }

    /// The digits of int `v` for an integer presentation type (not `c`),
    /// its sign and prefix into `f`.
    fn int_field(&mut self, v: Value, sp: &Spec, f: &mut Field) -> R<Value> {
        let (base, prefix): (u32, &[u8]) = match sp.ty {
            b'b' => (2, b"0b"),
            b'o' => (8, b"0o"),
            b'x' | b'X' => (16, b"0x"),
            b'd' | b'n' | 0 => (10, b""),
            _ => return self.raise_format_code(sp.ty, v),
        };
        if base != 10 {
            f.every = 4;
        }
        let digits = self.int_text(v, base)?;
        let neg = self.str_bytes(digits).first() == Some(&b'-');
        f.from = usize::from(neg);
        push_sign(&mut f.head, neg, sp.sign);
        if sp.alt {
            f.head.push_all(prefix);
        }
        Ok(digits)
    }

    /// The digits of int `v` in `base` (a `-` first if negative).
    fn int_text(&mut self, v: Value, base: u32) -> R<Value> {
        #[cfg(feature = "bigint")]
        return self.big_render(v, base, b"");
        #[cfg(not(feature = "bigint"))]
        {
            let i = self.int_val(v).unwrap_or(0);
            let mut b = Buf::<80>::new();
            if i < 0 {
                b.push(b'-');
            }
            crate::obj::float::push_uint(&mut b, i.unsigned_abs(), base, false);
            self.str_from_bytes(b.bytes())
        }
    }

    /// Lays a rendered value out as `sp` says, into a new str: fill, the
    /// field's head (sign and prefix), fill (`=` alignment), the text from
    /// `f.from` (grouped, cut to the precision for strings), fill.
    #[inline(never)]
    fn lay_out(&mut self, sp: &Spec, f: &Field, text: Value) -> R<Value> {
        let m = self.root(text);
        let r = (|| {
            let n = self.str_span(text).1 - f.from;
            let mut chars = self.str_chars(text) - f.from;
            let mut keep = n;
            if let Some(p) = sp.precision.filter(|&p| !f.numeric && p < chars) {
                keep = self.str_char_offset(text, p);
                chars = p;
            }
            let group = f.group.min(keep);
            let seps = if sp.grouping != 0 && group > 0 {
                (group - 1) / f.every
            } else {
                0
            };
            let head = f.head.bytes();
            let pad = sp.width.saturating_sub(head.len() + chars + seps);
            let align = match sp.align {
                0 if f.numeric => b'>',
                0 => b'<',
                a => a,
            };
            let (l, mid, r) = match align {
                b'<' => (0, 0, pad),
                b'^' => (pad / 2, 0, pad - pad / 2),
                b'=' => (0, pad, 0),
                _ => (pad, 0, 0),
            };
            let w = self.str_alloc(head.len() + keep + seps + pad)?;
            // The text may be an image str in flash: its bytes are read
            // through their code address, one at a time.
            let src = self.str_span(text).0 + f.from;
            let mut k = data(w);
            let up = |c: u8| if f.upper { c.to_ascii_uppercase() } else { c };
            let mut put = |vm: &mut Self, c: u8, times: usize| {
                let bytes = vm.heap.bytes_mut();
                for _ in 0..times {
                    bytes[k] = c;
                    k += 1;
                }
            };
            put(self, sp.fill, l);
            for &c in head {
                put(self, up(c), 1);
            }
            put(self, sp.fill, mid);
            for i in 0..keep {
                if seps != 0 && i > 0 && i < group && (group - i).is_multiple_of(f.every) {
                    put(self, sp.grouping, 1);
                }
                let c = self.span_byte(src + i);
                put(self, up(c), 1);
            }
            put(self, sp.fill, r);
            self.str_finish(w);
            Ok(Value::obj(w))
        })();
        self.unroot(m);
        r
    }

    /// `_format.NAME(*args)`: the library's cold formatting
    /// (`lib/format.py`).
    #[inline(never)]
    pub(crate) fn format_library(
        &mut self,
        host: &mut Hx<'_>,
        name: &[u8],
        args: &[Value],
    ) -> R<Value> {
        // The arguments stay rooted while the module loads.
        let m = self.nroots;
        for &a in args {
            self.root(a);
        }
        let r = match self.library_module_function(host, b"_format", name) {
            Ok(Some(f)) => self.call_nested(host, f, args),
            Ok(None) => self.fmt_unsupported(),
            Err(e) => Err(e),
        };
        self.unroot(m);
        r
    }
}

/// What [`Vm::lay_out`] needs to know of a rendered value besides its text.
struct Field {
    /// Sign and radix prefix, before any `=` fill.
    head: Buf<4>,
    /// Text bytes to skip (an int's `-`, which goes in `head`).
    from: usize,
    /// How many leading text bytes are digits to group.
    group: usize,
    /// Digits per group: 3, or 4 in binary, octal and hex.
    every: usize,
    /// A number (aligned right by default, never cut to the precision).
    numeric: bool,
    /// `X`, `E`, `F`, `G`: the whole field in upper case.
    upper: bool,
}

/// Pushes the sign of a number: `-` if `neg`, else what the spec's sign
/// option asks for.
fn push_sign(head: &mut Buf<4>, neg: bool, sign: u8) {
    match (neg, sign) {
        (true, _) => head.push(b'-'),
        (false, b'+' | b' ') => head.push(sign),
        _ => {}
    }
}

/// The digits of float magnitude `a` as `sp`'s type and precision say
/// (`inf` and `nan` in lower case: [`Field::upper`] raises them).
#[inline(never)]
fn float_digits(a: f64, sp: &Spec, digits: &mut Buf<MAX_FIELD>) {
    let p = sp.precision.unwrap_or(6);
    match sp.ty.to_ascii_lowercase() {
        _ if !a.is_finite() => {
            // CPython: no exponent or digits.
            digits.push_all(if a.is_nan() { b"nan" } else { b"inf" });
            if sp.ty == b'%' {
                digits.push(b'%');
            }
        }
        b'f' => flib::fixed(a, p, digits),
        b'%' => {
            flib::fixed(a * 100.0, p, digits);
            digits.push(b'%');
        }
        b'e' => {
            let e = flib::sci(a, p, digits);
            push_exp(digits, b'e', e);
        }
        0 if sp.precision.is_none() => {
            let _ = write_float(a, digits);
        }
        _ => {
            // 'g' and precision without a type: significant digits.
            let p = p.max(1);
            let exp = if a == 0.0 { 0 } else { log10_floor(a) };
            let mut t = Buf::<MAX_FIELD>::new();
            // Without a type, fixed notation keeps a digit past the point,
            // so it gives way to scientific one digit sooner.
            let bare = sp.ty == 0;
            let sci = exp < -4 || exp >= p as i32 - i32::from(bare);
            let e = if sci {
                flib::sci(a, p - 1, &mut t)
            } else {
                flib::fixed(a, (p as i32 - 1 - exp).max(0) as usize, &mut t);
                0
            };
            let m = if sp.alt {
                t.as_str()
            } else {
                trim_zeros(t.as_str())
            };
            digits.push_all(m.as_bytes());
            if sci {
                push_exp(digits, b'e', e);
            } else if (bare || sp.alt) && !m.contains('.') {
                digits.push_all(if bare { b".0" } else { b"." });
            }
        }
    }
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
    /// ValueError for a presentation type `ty` that `v`'s type lacks.
    #[inline(never)]
    fn raise_format_code<X>(&mut self, ty: u8, v: Value) -> R<X> {
        let parts = [Part::Bytes(&[ty]), Part::TypeOf(v)];
        self.raise_parts(T::ValueError, ErrMsg::FormatCode, &parts)
    }
}
