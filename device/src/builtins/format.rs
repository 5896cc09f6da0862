//! `format(v, spec)` and f-string `{v:spec}`: the native half.
//!
//! The native renders what programs format most: an empty spec (`str(v)`)
//! and a *bare* spec, `[#][.precision][type]` with a lower-case type, of
//! an int (`d b o x`: `f"{n:x}"`, `hex(n)`) or a float (`e f g %`:
//! `f"{t:.2f}"`). Every other spec (fill, alignment, sign, width,
//! grouping, `c`, `n`, upper-case types, strs and the errors) goes to the
//! frozen library's `_format.spec` (`lib/format.py`), which parses the
//! mini-language and lays out the digits it asks of this bare form; the
//! library also holds `str.format` and printf-style `%` past the plain
//! shape of `vm/percent.rs`. So only a program that formats that way loads
//! `_format`, and the Python never hands a bare spec back here (no loop).

use crate::heap::Value;
use crate::machine::Host;
#[cfg(feature = "float")]
use crate::obj::flib;
#[cfg(feature = "float")]
use crate::obj::float::{push_exp, write_float};
#[cfg(any(feature = "float", not(feature = "bigint")))]
use crate::obj::float::{Buf, Sink};
use crate::vm::{Vm, R};

/// Longest formatted float.
#[cfg(feature = "float")]
const MAX_FIELD: usize = 128;

impl Vm<'_> {
    /// `format(v, spec)`: `str(v)` for an empty spec, the native digits
    /// for a bare one, else `_format.spec(v, spec)`.
    pub(crate) fn format_spec(&mut self, host: &mut dyn Host, v: Value, spec: Value) -> R<Value> {
        if self.str_span(spec).1 == 0 {
            return self.format_host(host, v, false);
        }
        if let Some(s) = self.format_bare(v, spec)? {
            return Ok(s);
        }
        self.format_library(host, b"spec", &[v, spec])
    }

    /// `_format.NAME(*args)`: the library's cold formatting.
    #[inline(never)]
    pub(crate) fn format_library(
        &mut self,
        host: &mut dyn Host,
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

    /// `v` formatted with a bare spec (see the module doc); `None` when
    /// `v` or `spec` is not of that shape.
    fn format_bare(&mut self, v: Value, spec: Value) -> R<Option<Value>> {
        let (ss, sl) = self.str_span(spec);
        let mut raw = [0u8; 8];
        let Some(s) = raw.get_mut(..sl) else {
            return Ok(None);
        };
        self.code_bytes(ss, s);
        let (alt, s) = match s {
            [b'#', r @ ..] => (true, &*r),
            _ => (false, &*s),
        };
        let (ty, s) = match s {
            [r @ .., c] if c.is_ascii_lowercase() || *c == b'%' => (*c, r),
            _ => (0, s),
        };
        let prec = match s {
            [] => None,
            [b'.', d @ ..] if !d.is_empty() && d.iter().all(u8::is_ascii_digit) => {
                Some(d.iter().fold(0, |p, c| p * 10 + usize::from(c - b'0')))
            }
            _ => return Ok(None),
        };
        let radix = match ty {
            b'b' => 2,
            b'o' => 8,
            b'x' => 16,
            b'd' | 0 => 10,
            _ => 0,
        };
        #[cfg(feature = "bigint")]
        let int = self.is_int(v);
        #[cfg(not(feature = "bigint"))]
        let int = self.int_val(v).is_some();
        if int && radix != 0 && prec.is_none() {
            let prefix: &[u8] = match radix {
                2 if alt => b"0b",
                8 if alt => b"0o",
                16 if alt => b"0x",
                _ => b"",
            };
            #[cfg(feature = "bigint")]
            return self.big_render(v, radix, prefix).map(Some);
            #[cfg(not(feature = "bigint"))]
            {
                let i = self.int_val(v).unwrap_or(0);
                let mut b = Buf::<80>::new();
                if i < 0 {
                    b.push(b'-');
                }
                b.push_all(prefix);
                crate::obj::float::push_uint(&mut b, i.unsigned_abs(), radix, false);
                return self.str_from_bytes(b.bytes()).map(Some);
            }
        }
        #[cfg(feature = "float")]
        if matches!(ty, 0 | b'e' | b'f' | b'g' | b'%') {
            // An int takes a float type; with none it is not a float.
            let x = self
                .float_val(v)
                .or_else(|| self.int_val(v).filter(|_| ty != 0).map(|i| i as f64));
            if let Some(x) = x {
                if prec.is_some_and(|p| p >= 64) {
                    return self.fmt_unsupported();
                }
                let mut d = Buf::<MAX_FIELD>::new();
                if x.is_sign_negative() && !x.is_nan() {
                    d.push(b'-');
                }
                float_digits(x.abs(), ty, prec, alt, &mut d);
                return self.str_from_bytes(d.bytes()).map(Some);
            }
        }
        Ok(None)
    }
}

/// The digits of float magnitude `a` for presentation type `ty` (one of
/// `e f g %`, or 0 for none), precision `prec` and the `#` option `alt`.
#[cfg(feature = "float")]
#[inline(never)]
fn float_digits(a: f64, ty: u8, prec: Option<usize>, alt: bool, digits: &mut Buf<MAX_FIELD>) {
    let p = prec.unwrap_or(6);
    match ty {
        _ if !a.is_finite() => {
            // CPython: no exponent or digits.
            digits.push_all(if a.is_nan() { b"nan" } else { b"inf" });
            if ty == b'%' {
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
        0 if prec.is_none() => {
            let _ = write_float(a, digits);
        }
        _ => {
            // 'g', and a precision without a type: significant digits.
            let p = p.max(1);
            let exp = if a == 0.0 { 0 } else { log10_floor(a) };
            let mut t = Buf::<MAX_FIELD>::new();
            // Without a type, fixed notation keeps a digit past the point,
            // so it gives way to scientific one digit sooner.
            let bare = ty == 0;
            let sci = exp < -4 || exp >= p as i32 - i32::from(bare);
            let e = if sci {
                flib::sci(a, p - 1, &mut t)
            } else {
                flib::fixed(a, (p as i32 - 1 - exp).max(0) as usize, &mut t);
                0
            };
            let m = if alt {
                t.as_str()
            } else {
                trim_zeros(t.as_str())
            };
            digits.push_all(m.as_bytes());
            if sci {
                push_exp(digits, b'e', e);
            } else if (bare || alt) && !m.contains('.') {
                digits.push_all(if bare { b".0" } else { b"." });
            }
        }
    }
}

#[cfg(feature = "float")]
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

#[cfg(feature = "float")]
/// Drops trailing zeros (and a trailing point) of a decimal mantissa.
fn trim_zeros(m: &str) -> &str {
    if !m.contains('.') {
        return m;
    }
    m.trim_end_matches('0').trim_end_matches('.')
}
