//! Float math without libm: `sqrt`, `ln`, `exp` and `x ** y` for a
//! non-integer `y`, in plain `core` arithmetic (no_std has no float
//! functions). `sqrt` is Newton's method from a bit-level first guess, so
//! perfect squares come out exact (`4 ** 0.5 == 2.0`, as CPython);
//! `ln`/`exp` use range reduction and short series, accurate to a few ulp.

/// √x (NaN for x < 0).
pub fn sqrt(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 || x.is_infinite() {
        return x;
    }
    // Halving the exponent gives a guess within a factor of 2; Newton
    // doubles the correct bits each step (6 steps: > 53 bits).
    let mut r = f64::from_bits((x.to_bits() >> 1) + (1023u64 << 51));
    for _ in 0..6 {
        r = 0.5 * (r + x / r);
    }
    // Newton can land one ulp off: keep the neighbour whose exact square
    // is nearest x (|c² − x| grows with |c − √x|), i.e. round correctly.
    let mut best = (r, residual(r, x).abs());
    for c in [
        f64::from_bits(r.to_bits() - 1),
        f64::from_bits(r.to_bits() + 1),
    ] {
        let d = residual(c, x).abs();
        if d < best.1 {
            best = (c, d);
        }
    }
    best.0
}

/// `x − c²` computed exactly enough to compare neighbours (Dekker's
/// product: c² = p + e with p the rounded square).
fn residual(c: f64, x: f64) -> f64 {
    let t = 134_217_729.0 * c; // 2^27 + 1: Veltkamp split
    let hi = t - (t - c);
    let lo = c - hi;
    let p = c * c;
    let e = ((hi * hi - p) + 2.0 * hi * lo) + lo * lo;
    (x - p) - e
}

/// ln 2, to double precision.
const LN2: f64 = core::f64::consts::LN_2;

/// Natural logarithm (NaN for x < 0, -inf at 0).
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    // x = m · 2^e with m in [1, 2) (subnormals scaled up first).
    let (mut x, mut e) = (x, 0i64);
    if x < f64::MIN_POSITIVE {
        x *= 2f64.powi_exact(54);
        e -= 54;
    }
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7FF) as i64 - 1023;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > core::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2·atanh(z), z = (m-1)/(m+1), |z| < 0.172.
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let (mut term, mut sum) = (z, 0.0);
    let mut k = 1.0;
    while k < 40.0 {
        sum += term / k;
        term *= z2;
        k += 2.0;
    }
    2.0 * sum + e as f64 * LN2
}

/// e^x.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.8 {
        return f64::INFINITY;
    }
    if x < -745.2 {
        return 0.0;
    }
    // x = k·ln2 + r with |r| <= ln2/2; e^r by its Taylor series.
    let k = crate::vm::ops::floor(x / LN2 + 0.5);
    let r = x - k * LN2;
    let (mut term, mut sum) = (1.0, 1.0);
    let mut n = 1.0;
    while n < 24.0 {
        term *= r / n;
        sum += term;
        n += 1.0;
    }
    // 2^k in two steps so that neither factor overflows early.
    let k = k as i64;
    let half = k / 2;
    sum * 2f64.powi_exact(half) * 2f64.powi_exact(k - half)
}

/// `x ** y` for a non-integer `y` (the caller handles integer `y`);
/// None where Python raises (a negative base: the result is complex).
pub fn powf(x: f64, y: f64) -> Option<f64> {
    if x < 0.0 {
        return None;
    }
    if x == 0.0 {
        return Some(if y > 0.0 { 0.0 } else { f64::INFINITY });
    }
    if x == 1.0 {
        return Some(1.0);
    }
    // Halves are common (`x ** 0.5`): use sqrt for exact squares.
    let twice = y * 2.0;
    if crate::vm::ops::floor(twice) == twice && twice.abs() < 1e9 {
        return Some(crate::vm::ops::powi(sqrt(x), twice as i64));
    }
    Some(exp(y * ln(x)))
}

/// Exact powers of two by exponent construction.
trait Pow2 {
    fn powi_exact(self, e: i64) -> f64;
}

impl Pow2 for f64 {
    fn powi_exact(self, e: i64) -> f64 {
        crate::vm::ops::powi(self, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqrt_is_exact_on_squares_and_close_elsewhere() {
        assert_eq!(sqrt(4.0), 2.0);
        assert_eq!(sqrt(0.25), 0.5);
        assert_eq!(sqrt(1e300 * 1e-300 * 144.0), 12.0);
        assert_eq!(sqrt(2.0), core::f64::consts::SQRT_2);
        assert!(sqrt(-1.0).is_nan());
    }

    #[test]
    fn ln_and_exp_invert_each_other() {
        for &x in &[0.001, 0.5, 1.0, 2.0, 10.0, 12345.678, 1e-310] {
            let r = exp(ln(x));
            assert!((r - x).abs() <= x * 1e-14, "{x} -> {r}");
        }
        assert_eq!(ln(1.0), 0.0);
        assert!((ln(core::f64::consts::E) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn powf_matches_cpython_on_common_cases() {
        assert_eq!(powf(4.0, 0.5), Some(2.0));
        assert_eq!(powf(0.25, 0.5), Some(0.5));
        assert_eq!(powf(16.0, 1.5), Some(64.0));
        assert!((powf(2.0, 0.3).unwrap() - 1.2311444133449163).abs() < 1e-15);
        assert_eq!(powf(-8.0, 0.5), None);
    }
}
