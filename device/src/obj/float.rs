//! `float`: a boxed f64 (`[header, low word, high word]`). Without the
//! `float` feature no float is ever made (`/` and float literals raise
//! NotImplementedError); `float32` ports round results to f32.

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
        if self.is(v, tag::FLOAT) {
            let w = v.word();
            let lo = self.heap.w(w + 1) as u64;
            let hi = self.heap.w(w + 2) as u64;
            return Some(f64::from_bits(lo | (hi << 32)));
        }
        None
    }

    /// A number as f64 (ints, bools, floats).
    pub(crate) fn num_as_f64(&self, v: Value) -> Option<f64> {
        let f = self
            .float_val(v)
            .or_else(|| self.int_val(v).map(|i| i as f64));
        #[cfg(feature = "bigint")]
        if f.is_none() && self.is_big(v) {
            return self.big_of(v).map(|x| self.big_to_f64(&x));
        }
        f
    }
}

/// Writes `f` as Python's `repr(float)` does (shortest round-trip digits;
/// exponent form below 1e-4 and from 1e16).
pub fn write_float(f: f64, out: &mut impl core::fmt::Write) -> core::fmt::Result {
    if f.is_nan() {
        return out.write_str("nan");
    }
    if f.is_infinite() {
        return out.write_str(if f < 0.0 { "-inf" } else { "inf" });
    }
    if f == 0.0 {
        return out.write_str(if f.is_sign_negative() { "-0.0" } else { "0.0" });
    }
    // Shortest digits and exponent from core's formatter: "d.ddde-x".
    let mut buf = Buf::<40>::new();
    #[cfg(feature = "float32")]
    let _ = core::fmt::write(&mut buf, format_args!("{:e}", f as f32));
    #[cfg(not(feature = "float32"))]
    let _ = core::fmt::write(&mut buf, format_args!("{:e}", f));
    let s = buf.as_str();
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let mut digits = Buf::<24>::new();
    for c in mant.bytes().filter(|c| c.is_ascii_digit()) {
        digits.push(c);
    }
    let d = digits.as_str();
    if neg {
        out.write_str("-")?;
    }
    if (-4..16).contains(&exp) {
        if exp < 0 {
            out.write_str("0.")?;
            for _ in 0..(-exp - 1) {
                out.write_str("0")?;
            }
            out.write_str(d)
        } else {
            let int_len = exp as usize + 1;
            if d.len() <= int_len {
                out.write_str(d)?;
                for _ in d.len()..int_len {
                    out.write_str("0")?;
                }
                out.write_str(".0")
            } else {
                out.write_str(&d[..int_len])?;
                out.write_str(".")?;
                out.write_str(&d[int_len..])
            }
        }
    } else {
        out.write_str(&d[..1])?;
        if d.len() > 1 {
            out.write_str(".")?;
            out.write_str(&d[1..])?;
        }
        let sign = if exp < 0 { "-" } else { "+" };
        core::fmt::write(out, format_args!("e{}{:02}", sign, exp.abs()))
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

impl<const N: usize> core::fmt::Write for Buf<N> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for &c in s.as_bytes() {
            self.push(c);
        }
        Ok(())
    }
}
