//! Float text and remainder for f32 ports (feature `float32`, or no
//! floats at all): about 1.5 KiB instead of core's ~25 KiB of exact
//! formatting and parsing (Grisu/Dragon tables, `POWER_OF_FIVE_128`) and
//! libm's 3 KiB `fmod`.
//!
//! Values are f32 held in an f64, so f64 arithmetic carries 29 spare bits:
//! scaling by a power of ten (error a few f64 ulps) and rounding gives
//! the right f32 digits except at exact f32 rounding ties, which is the
//! accuracy the conformance suite asks of an f32 port (it skips
//! `float/`). At most 17 significant digits are produced; further places
//! print as `0`. Same five functions as `flib_core.rs`.

use super::float::{log10_floor, push_uint, Buf, Sink};

/// Significant digits an f32 needs to read back exactly.
const F32_DIGITS: i32 = 9;

/// At most this many significant digits are computed (f64's precision).
const MAX_DIGITS: i32 = 17;

/// 10^k (k may be negative).
fn pow10(k: i32) -> f64 {
    crate::vm::ops::powi(10.0, i64::from(k))
}

/// `s * 10^k`, dividing for negative `k` (exact powers up to 1e22 keep
/// the division correctly rounded).
fn scale(s: f64, k: i32) -> f64 {
    if k >= 0 {
        s * pow10(k)
    } else {
        s / pow10(-k)
    }
}

/// `s` (>= 0, < 2^63) rounded half to even.
fn round_u64(s: f64) -> u64 {
    let t = s as u64;
    let d = s - t as f64;
    if d > 0.5 || (d == 0.5 && t & 1 == 1) {
        t + 1
    } else {
        t
    }
}

/// `a` (finite, > 0) rounded to `n` (1..=17) significant digits: the
/// digits as an integer of exactly `n` digits and the decimal exponent
/// of the first one.
fn digits(a: f64, n: i32) -> (u64, i32) {
    let lo = pow10(n - 1) as u64;
    let mut e = log10_floor(a);
    let mut r = 0;
    // log10_floor may be off by one near powers of ten, and rounding may
    // carry into a new digit: re-aim at most twice.
    for _ in 0..3 {
        r = round_u64(scale(a, n - 1 - e));
        if r >= lo * 10 {
            e += 1;
        } else if r < lo {
            e -= 1;
        } else {
            break;
        }
    }
    (r, e)
}

/// The shortest digits that read back as `a` (finite, > 0) into `d`;
/// returns the decimal exponent of the first digit.
pub fn shortest(a: f64, d: &mut Buf<24>) -> i32 {
    let want = a as f32;
    let mut best = digits(a, F32_DIGITS);
    for n in 1..F32_DIGITS {
        let (r, e) = digits(a, n);
        if scale(r as f64, e - (n - 1)) as f32 == want {
            best = (r, e);
            break;
        }
    }
    let (mut r, e) = best;
    while r % 10 == 0 && r > 0 {
        r /= 10;
    }
    push_uint(d, r, 10, false);
    e
}

/// Writes the digits of `r` (whose first digit has exponent `e`) at
/// places `hi` down to `lo` (`hi >= lo`), zeros outside them, with a
/// point before place -1.
fn place(r: u64, e: i32, hi: i32, lo: i32, out: &mut dyn Sink) {
    let mut text = Buf::<24>::new();
    if r > 0 {
        push_uint(&mut text, r, 10, false);
    }
    let t = text.bytes();
    let mut k = hi;
    while k >= lo {
        if k == -1 {
            out.push(b'.');
        }
        let i = e - k;
        let c = if i >= 0 { t.get(i as usize) } else { None };
        out.push(c.copied().unwrap_or(b'0'));
        k -= 1;
    }
}

/// Writes `inf`/`nan` for a non-finite `a`; false for a finite one.
fn non_finite(a: f64, out: &mut dyn Sink) -> bool {
    if a.is_finite() {
        return false;
    }
    out.push_all(if a.is_nan() { b"nan" } else { b"inf" });
    true
}

/// `a` with `p` decimals, as `{a:.p$}` (round half to even).
pub fn fixed(a: f64, p: usize, out: &mut dyn Sink) {
    if a.is_sign_negative() && !a.is_nan() {
        out.push(b'-');
    }
    let a = a.abs();
    if non_finite(a, out) {
        return;
    }
    let p = p.min(400) as i32;
    let (r, e) = if a == 0.0 {
        (0, 0)
    } else {
        let e = log10_floor(a);
        if e + 1 + p <= MAX_DIGITS {
            // The whole value to the last place fits an exact integer.
            let r = round_u64(scale(a, p));
            let mut len = 1;
            while r >= 10u64.pow(len) && len < 19 {
                len += 1;
            }
            (r, len as i32 - 1 - p)
        } else {
            digits(a, MAX_DIGITS)
        }
    };
    place(r, e, e.max(0), -p, out);
}

/// `a` (>= 0) in scientific notation with `p` digits after the point:
/// writes the mantissa (`d.ddd`) and returns the exponent.
pub fn sci(a: f64, p: usize, out: &mut dyn Sink) -> i32 {
    if non_finite(a, out) {
        return 0;
    }
    let p = p.min(400) as i32;
    let (r, e) = if a == 0.0 {
        (0, 0)
    } else {
        digits(a, (p + 1).min(MAX_DIGITS))
    };
    // The first digit sits at place 0.
    place(r, 0, 0, -p, out);
    e
}

/// Parses a decimal float (`1.5`, `-2e-3`, `.5`, `inf`, `nan`); `None` if
/// `s` is not one. Digits past the 19th only scale the value.
pub fn parse(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let v = special(b).or_else(|| number(b))?;
    Some(if neg { -v } else { v })
}

/// `inf`, `infinity`, `nan` in any case.
fn special(b: &[u8]) -> Option<f64> {
    let mut l = [0u8; 8];
    if b.len() > l.len() {
        return None;
    }
    for (d, c) in l.iter_mut().zip(b) {
        *d = c.to_ascii_lowercase();
    }
    match &l[..b.len()] {
        b"inf" | b"infinity" => Some(f64::INFINITY),
        b"nan" => Some(f64::NAN),
        _ => None,
    }
}

/// Digits, an optional point and fraction, an optional exponent.
fn number(b: &[u8]) -> Option<f64> {
    let mut m: u64 = 0;
    let mut exp: i32 = 0;
    let mut seen = false;
    let mut point = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if m < 1_000_000_000_000_000_000 {
                    m = m * 10 + u64::from(c - b'0');
                    exp -= i32::from(point);
                } else {
                    exp += i32::from(!point);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let neg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i32 = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            e = (e * 10 + i32::from(c - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp = exp.saturating_add(if neg { -e } else { e });
    }
    if i != b.len() {
        return None;
    }
    Some(match exp {
        _ if m == 0 => 0.0,
        ..=-400 => 0.0,
        400.. => f64::INFINITY,
        // 10^-k underflows below 1e-308: divide in two steps.
        -399..=-300 => scale(scale(m as f64, -200), exp + 200),
        _ => scale(m as f64, exp),
    })
}

/// C's `fmod` (the remainder with the sign of `a`) through the truncated
/// quotient: exact for f32 operands while the quotient is below 2^29
/// (the product then fits f64's 53 bits); beyond, the quotient's own
/// rounding makes the result approximate.
pub fn fmod(a: f64, b: f64) -> f64 {
    if !a.is_finite() || b.is_nan() || b == 0.0 {
        return f64::NAN;
    }
    if b.is_infinite() {
        return a;
    }
    let q = a / b;
    let t = if q.abs() < 4_503_599_627_370_496.0 {
        q as i64 as f64
    } else {
        q
    };
    let r = a - t * b;
    // A quotient rounded up to the next integer leaves a remainder of the
    // wrong sign: step back by one |b|.
    if r != 0.0 && (r < 0.0) != (a < 0.0) {
        r + if a < 0.0 { -b.abs() } else { b.abs() }
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    //! Run with `cargo test -p p14p-device --no-default-features --features float32`.
    use super::*;
    use crate::obj::float::write_float;

    fn repr(f: f32) -> Buf<40> {
        let mut b = Buf::<40>::new();
        let _ = write_float(f64::from(f), &mut b);
        b
    }

    fn fixed_s(a: f64, p: usize) -> Buf<80> {
        let mut b = Buf::<80>::new();
        fixed(a, p, &mut b);
        b
    }

    fn sci_s(a: f64, p: usize) -> (Buf<40>, i32) {
        let mut b = Buf::<40>::new();
        let e = sci(a, p, &mut b);
        (b, e)
    }

    #[test]
    fn repr_is_the_shortest_f32_round_trip() {
        for (f, s) in [
            (1.5f32, "1.5"),
            (0.1, "0.1"),
            (-2.25, "-2.25"),
            (1.0 / 3.0, "0.33333334"),
            (100.0, "100.0"),
            (1e16, "1e+16"),
            (1.2345e-5, "1.2345e-05"),
            (3.4028235e38, "3.4028235e+38"),
            (0.0001, "0.0001"),
            (123456790.0, "123456790.0"),
        ] {
            assert_eq!(repr(f).as_str(), s, "{f}");
        }
    }

    #[test]
    fn every_printed_f32_reads_back() {
        let mut x = 1.0e-38f32;
        while x < 1.0e38 {
            let r = repr(x);
            assert_eq!(
                parse(r.as_str()).map(|v| v as f32),
                Some(x),
                "{}",
                r.as_str()
            );
            x *= 1.37;
        }
    }

    #[test]
    fn fixed_rounds_half_to_even_at_the_last_place() {
        assert_eq!(fixed_s(0.5, 0).as_str(), "0");
        assert_eq!(fixed_s(1.5, 0).as_str(), "2");
        assert_eq!(fixed_s(123.456, 2).as_str(), "123.46");
        assert_eq!(fixed_s(0.001234, 5).as_str(), "0.00123");
        assert_eq!(fixed_s(-2.5, 1).as_str(), "-2.5");
        assert_eq!(fixed_s(0.0, 3).as_str(), "0.000");
        assert_eq!(fixed_s(1e20, 2).as_str(), "100000000000000000000.00");
        assert_eq!(fixed_s(9.999, 2).as_str(), "10.00");
        assert_eq!(fixed_s(f64::NEG_INFINITY, 2).as_str(), "-inf");
        assert_eq!(fixed_s(f64::NAN, 2).as_str(), "nan");
        assert_eq!(sci_s(f64::INFINITY, 2).0.as_str(), "inf");
    }

    #[test]
    fn sci_gives_mantissa_and_exponent() {
        let (m, e) = sci_s(12345.0, 2);
        assert_eq!((m.as_str(), e), ("1.23", 4));
        let (m, e) = sci_s(0.00099999, 1);
        assert_eq!((m.as_str(), e), ("1.0", -3));
        let (m, e) = sci_s(0.0, 3);
        assert_eq!((m.as_str(), e), ("0.000", 0));
        let (m, e) = sci_s(7.0, 0);
        assert_eq!((m.as_str(), e), ("7", 0));
    }

    #[test]
    fn parse_accepts_python_float_text_only() {
        assert_eq!(parse("1.5"), Some(1.5));
        assert_eq!(parse("-2e-3"), Some(-0.002));
        assert_eq!(parse(".5"), Some(0.5));
        assert_eq!(parse("5."), Some(5.0));
        assert_eq!(parse("+1E2"), Some(100.0));
        assert_eq!(parse("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse("1e999"), Some(f64::INFINITY));
        assert_eq!(parse("1e-999"), Some(0.0));
        for bad in ["", ".", "e5", "1e", "1.2.3", "1x", "--1", "in"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn fmod_keeps_the_sign_of_the_dividend() {
        assert_eq!(fmod(7.0, 3.0), 1.0);
        assert_eq!(fmod(-7.0, 3.0), -1.0);
        assert_eq!(fmod(7.5, -2.0), 1.5);
        assert_eq!(fmod(5.0, f64::INFINITY), 5.0);
        assert!(fmod(1.0, 0.0).is_nan());
        assert!(fmod(f64::INFINITY, 2.0).is_nan());
        let r = fmod(f64::from(0.3f32), f64::from(0.1f32));
        assert!((0.0..0.1).contains(&r));
    }
}
