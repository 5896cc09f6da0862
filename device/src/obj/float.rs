//! `float`: a boxed f64 (`[header, low word, high word]`). Without the
//! `float` feature no float is ever made (`/` and float literals raise
//! NotImplementedError); `float32` ports round results to f32.

use super::flib;
use super::tag;
use crate::heap::Value;
use crate::vm::{Vm, R};

impl Vm<'_> {
    /// A new float.
    #[cfg(feature = "float")]
    pub(crate) fn float_new(&mut self, f: f64) -> R<Value> {
        #[cfg(feature = "float32")]
        let f = f as f32 as f64;
        let w = self.alloc(tag::FLOAT, 3)?;
        let bits = f.to_bits();
        self.heap.set(w + 1, bits as u32);
        self.heap.set(w + 2, (bits >> 32) as u32);
        Ok(Value::obj(w))
    }

    /// Without float support: `NotImplementedError`.
    #[cfg(not(feature = "float"))]
    pub(crate) fn float_new(&mut self, _f: f64) -> R<Value> {
        self.raise_s(
            crate::obj::T::NotImplementedError,
            p14p_protocol::errmsg::ErrMsg::NotImplemented,
            b"float",
        )
    }

    /// The value of a float object.
    #[inline]
    pub(crate) fn float_val(&self, v: Value) -> Option<f64> {
        // Without the feature no float exists: `None` lets the compiler
        // drop every float path.
        if cfg!(feature = "float") && self.is(v, tag::FLOAT) {
            // Both words with one bounds check.
            let [lo, hi] = self
                .heap
                .words::<2>(v.word() + 1)
                .copied()
                .unwrap_or_default();
            return Some(f64::from_bits(u64::from(lo) | u64::from(hi) << 32));
        }
        None
    }

    /// A number as f64 (ints, bools, floats). Without float support,
    /// `None`: every caller has handled int with int before, so this only
    /// serves mixed float arithmetic, and `None` lets the compiler drop it.
    pub(crate) fn num_as_f64(&self, v: Value) -> Option<f64> {
        if !cfg!(feature = "float") {
            return None;
        }
        let f = self
            .float_val(v)
            .or_else(|| self.int_val(v).map(|i| i as f64));
        #[cfg(all(feature = "bigint", feature = "float"))]
        if f.is_none() && self.is_big(v) {
            return self.big_of(v).map(|x| self.big_to_f64(&x));
        }
        f
    }
}

/// Writes `f` as Python's `repr(float)` does (shortest round-trip digits;
/// exponent form below 1e-4 and from 1e16).
pub fn write_float(f: f64, out: &mut dyn Sink) -> core::fmt::Result {
    if f.is_nan() {
        out.push_all(b"nan");
        return Ok(());
    }
    if f.is_infinite() {
        out.push_all(if f < 0.0 { b"-inf" } else { b"inf" });
        return Ok(());
    }
    if f.is_sign_negative() {
        out.push(b'-');
    }
    if f == 0.0 {
        out.push_all(b"0.0");
        return Ok(());
    }
    let mut digits = Buf::<24>::new();
    let exp = flib::shortest(f.abs(), &mut digits);
    let d = digits.bytes();
    if (-4..16).contains(&exp) {
        if exp < 0 {
            out.push_all(b"0.");
            for _ in 0..(-exp - 1) {
                out.push(b'0');
            }
            out.push_all(d);
        } else {
            let int_len = exp as usize + 1;
            if d.len() <= int_len {
                out.push_all(d);
                for _ in d.len()..int_len {
                    out.push(b'0');
                }
                out.push_all(b".0");
            } else {
                out.push_all(&d[..int_len]);
                out.push(b'.');
                out.push_all(&d[int_len..]);
            }
        }
    } else {
        out.push_all(&d[..1]);
        if d.len() > 1 {
            out.push(b'.');
            out.push_all(&d[1..]);
        }
        push_exp(out, b'e', exp);
    }
    Ok(())
}

/// Writes an exponent as Python does: `e`, the sign, at least two digits.
pub fn push_exp(out: &mut dyn Sink, e_char: u8, exp: i32) {
    out.push(e_char);
    out.push(if exp < 0 { b'-' } else { b'+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push(b'0');
    }
    push_uint(out, u64::from(e), 10, false);
}

/// Writes `u` in `radix` (2..=16), upper-case hex digits if `upper`.
pub fn push_uint(out: &mut dyn Sink, mut u: u64, radix: u32, upper: bool) {
    let mut tmp = [0u8; 64];
    let mut i = tmp.len();
    let radix = u64::from(radix.clamp(2, 16));
    let alpha = if upper { b'A' } else { b'a' };
    loop {
        let d = (u % radix) as u8;
        i -= 1;
        tmp[i] = if d < 10 { b'0' + d } else { alpha + d - 10 };
        u /= radix;
        if u == 0 || i == 0 {
            break;
        }
    }
    out.push_all(&tmp[i..]);
}

/// floor(log10(a)) for finite a > 0 (0 for anything else, which must not
/// loop), by repeated division: float text's exponent (both float
/// libraries and `format`'s `g`).
pub fn log10_floor(a: f64) -> i32 {
    let mut e = 0;
    let mut x = a;
    if !a.is_finite() || a <= 0.0 {
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

/// A destination for text made a byte at a time (a [`Buf`] of any size);
/// a tiny trait instead of `core::fmt::Write`, whose `write_fmt` would
/// link the formatting machinery into the firmware.
pub trait Sink {
    /// Appends a byte.
    fn push(&mut self, c: u8);
    /// Appends bytes.
    fn push_all(&mut self, s: &[u8]) {
        for &c in s {
            self.push(c);
        }
    }
}

/// A small fixed text buffer.
pub struct Buf<const N: usize> {
    b: [u8; N],
    n: usize,
}

impl<const N: usize> Buf<N> {
    /// Empty.
    pub fn new() -> Self {
        Buf { b: [0; N], n: 0 }
    }
    /// Appends a byte (dropped when full).
    pub fn push(&mut self, c: u8) {
        if self.n < N {
            self.b[self.n] = c;
            self.n += 1;
        }
    }
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.b[..self.n]
    }
    /// As text (only ASCII is ever written).
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.bytes()).unwrap_or("")
    }
}

impl<const N: usize> Default for Buf<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Sink for Buf<N> {
    fn push(&mut self, c: u8) {
        Buf::push(self, c);
    }
    fn push_all(&mut self, s: &[u8]) {
        push_into(&mut self.b, &mut self.n, s);
    }
}

/// Appends `s` to the `*n` bytes used of `b`, dropping what does not fit:
/// one copy for every size of [`Buf`] (each `N` had its own).
#[inline(never)]
fn push_into(b: &mut [u8], n: &mut usize, s: &[u8]) {
    for &c in s {
        if let Some(d) = b.get_mut(*n) {
            *d = c;
            *n += 1;
        }
    }
}
