//! Float text and remainder for f64 ports, through core's exact formatter
//! and parser (Grisu/Dragon and Eisel-Lemire: correctly rounded, the same
//! digits as CPython) and libm's `fmod`. About 28 KiB of flash: small
//! ports use `flib_small.rs` (feature `float32`) instead; both files have
//! the same five functions.

use super::float::{Buf, Sink};

/// Adapts a [`Sink`] to `core::fmt::Write` for core's formatter.
struct Fmt<'a>(&'a mut dyn Sink);

impl core::fmt::Write for Fmt<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0.push_all(s.as_bytes());
        Ok(())
    }
}

/// The shortest digits that read back as `a` (finite, > 0) into `d`;
/// returns the decimal exponent of the first digit.
pub fn shortest(a: f64, d: &mut Buf<24>) -> i32 {
    let mut t = Buf::<40>::new();
    let _ = core::fmt::write(&mut Fmt(&mut t), format_args!("{a:e}"));
    split_exp(t.bytes(), d)
}

/// `a` (finite) with `p` decimals, as `{a:.p$}` (round half to even on
/// the exact value).
pub fn fixed(a: f64, p: usize, out: &mut dyn Sink) {
    let _ = core::fmt::write(&mut Fmt(out), format_args!("{a:.p$}"));
}

/// `a` (finite, >= 0) in scientific notation with `p` digits after the
/// point: writes the mantissa (`d.ddd`) and returns the exponent.
pub fn sci(a: f64, p: usize, out: &mut dyn Sink) -> i32 {
    let mut t = Buf::<400>::new();
    let _ = core::fmt::write(&mut Fmt(&mut t), format_args!("{a:.p$e}"));
    let b = t.bytes();
    let at = b.iter().position(|&c| c == b'e').unwrap_or(b.len());
    out.push_all(&b[..at]);
    exp_of(&b[at..])
}

/// Parses a decimal float (`1.5`, `-2e-3`, `.5`, `inf`, `nan`), correctly
/// rounded; `None` if `s` is not one.
pub fn parse(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

/// C's `fmod`: the exact remainder with the sign of `a`.
pub fn fmod(a: f64, b: f64) -> f64 {
    a % b
}

/// Splits `d.ddde-x` into its digits (into `d`) and exponent.
fn split_exp(b: &[u8], d: &mut Buf<24>) -> i32 {
    let at = b.iter().position(|&c| c == b'e').unwrap_or(b.len());
    for &c in b[..at].iter().filter(|c| c.is_ascii_digit()) {
        d.push(c);
    }
    exp_of(&b[at..])
}

/// The value of `e-12` / `e7` (0 if absent).
fn exp_of(b: &[u8]) -> i32 {
    let (neg, digits) = match b.get(1) {
        Some(b'-') => (true, b.get(2..).unwrap_or(&[])),
        _ => (false, b.get(1..).unwrap_or(&[])),
    };
    let e = digits.iter().fold(0i32, |e, &c| {
        e.saturating_mul(10).saturating_add(i32::from(c) - 48)
    });
    if neg {
        -e
    } else {
        e
    }
}
