//! Float math without libm: `sqrt`, `ln`, `exp` and `x ** y` for a
//! non-integer `y`, and the `math` module's trigonometry, in plain `core`
//! arithmetic (no_std has no float functions). `sqrt` is Newton's method
//! from a bit-level first guess, so perfect squares come out exact
//! (`4 ** 0.5 == 2.0`, as CPython); `ln`/`exp` use range reduction and
//! short series, accurate to a few ulp.
//!
//! `sin`, `cos`, `tan` and `atan` are fdlibm's (Sun's freely
//! distributable libm, which musl and CPython's platforms' libms descend
//! from): the same polynomial kernels, with a simpler argument reduction
//! (three-part π/2, Cody–Waite) in place of fdlibm's 1,200-bit table of
//! 2/π: within 2 ulp of CPython for |x| < 1.6e6, and losing bits beyond,
//! where the quotient's product with the first part is no longer exact.
//! `asin`, `acos` and `atan2` are built on `atan` and `sqrt`.

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

/// π/2 in three parts of 33 bits and a tail (fdlibm's `pio2_1`,
/// `pio2_2`, `pio2_3`, `pio2_3t`): `n · part` is exact for n < 2^20, so
/// `x − n·π/2` keeps its bits where they cancel.
const PIO2: [f64; 4] = [
    1.5707963267341256,
    6.077100506303966e-11,
    2.0222662487111665e-21,
    8.4784276603689e-32,
];

/// `x = n·π/2 + r`, |r| <= π/4: `(n mod 4, r)`.
fn reduce(x: f64) -> (u32, f64) {
    if x.abs() < core::f64::consts::FRAC_PI_4 {
        return (0, x);
    }
    let n = crate::vm::ops::floor(x * core::f64::consts::FRAC_2_PI + 0.5);
    let r = x - n * PIO2[0] - n * PIO2[1] - n * PIO2[2] - n * PIO2[3];
    // `n` can exceed i64 for huge x: the saturated cast still picks a
    // quadrant, and the result is then only approximate anyway.
    ((n as i64 & 3) as u32, r)
}

/// sin on [−π/4, π/4] (fdlibm's `__kernel_sin`).
fn ksin(x: f64) -> f64 {
    const S: [f64; 6] = [
        -0.16666666666666632,
        0.00833333333332249,
        -0.0001984126982985795,
        2.7557313707070068e-06,
        -2.5050760253406863e-08,
        1.58969099521155e-10,
    ];
    let z = x * x;
    let r = S[1] + z * (S[2] + z * (S[3] + z * (S[4] + z * S[5])));
    x + z * x * (S[0] + z * r)
}

/// cos on [−π/4, π/4] (fdlibm's `__kernel_cos`): 1 − z/2 split so the
/// rounding of `1 − z/2` is added back.
fn kcos(x: f64) -> f64 {
    const C: [f64; 6] = [
        0.0416666666666666,
        -0.001388888888887411,
        2.480158728947673e-05,
        -2.7557314351390663e-07,
        2.087572321298175e-09,
        -1.1359647557788195e-11,
    ];
    let z = x * x;
    let r = z * (C[0] + z * (C[1] + z * (C[2] + z * (C[3] + z * (C[4] + z * C[5])))));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + z * r)
}

/// sin x (NaN for infinite x).
pub fn sin(x: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN;
    }
    match reduce(x) {
        (0, r) => ksin(r),
        (1, r) => kcos(r),
        (2, r) => -ksin(r),
        (_, r) => -kcos(r),
    }
}

/// cos x (NaN for infinite x).
pub fn cos(x: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN;
    }
    match reduce(x) {
        (0, r) => kcos(r),
        (1, r) => -ksin(r),
        (2, r) => -kcos(r),
        (_, r) => ksin(r),
    }
}

/// tan x (NaN for infinite x): the kernels' ratio, within 3 ulp.
pub fn tan(x: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN;
    }
    let (q, r) = reduce(x);
    if q & 1 == 0 {
        ksin(r) / kcos(r)
    } else {
        -kcos(r) / ksin(r)
    }
}

/// atan x (fdlibm's `atan`): |x| folded into four intervals around
/// atan's table points 0.5, 1, 1.5 and ∞, then an odd polynomial.
pub fn atan(x: f64) -> f64 {
    const HI: [f64; 4] = [
        0.4636476090008061,
        core::f64::consts::FRAC_PI_4,
        0.982793723247329,
        core::f64::consts::FRAC_PI_2,
    ];
    const LO: [f64; 4] = [
        2.2698777452961687e-17,
        3.061616997868383e-17,
        1.3903311031230998e-17,
        6.123233995736766e-17,
    ];
    const T: [f64; 11] = [
        0.3333333333333293,
        -0.19999999999876483,
        0.14285714272503466,
        -0.11111110405462356,
        0.09090887133436507,
        -0.0769187620504483,
        0.06661073137387531,
        -0.058335701337905735,
        0.049768779946159324,
        -0.036531572744216916,
        0.016285820115365782,
    ];
    if x.is_nan() {
        return x;
    }
    let a = x.abs();
    let r = if a >= 7.378_697_629_483_821e19 {
        // 2^66: atan is π/2 to double precision.
        HI[3] + LO[3]
    } else {
        let (i, t) = if a < 0.4375 {
            (None, a)
        } else if a < 0.6875 {
            (Some(0), (2.0 * a - 1.0) / (2.0 + a))
        } else if a < 1.1875 {
            (Some(1), (a - 1.0) / (a + 1.0))
        } else if a < 2.4375 {
            (Some(2), (a - 1.5) / (1.0 + 1.5 * a))
        } else {
            (Some(3), -1.0 / a)
        };
        let z = t * t;
        let w = z * z;
        let s1 = z * (T[0] + w * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * T[10])))));
        let s2 = w * (T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * T[9]))));
        match i {
            None => t - t * (s1 + s2),
            Some(i) => HI[i] - ((t * (s1 + s2) - LO[i]) - t),
        }
    };
    copysign(r, x)
}

/// π's rounding error (π = `PI` + `PI_LO`), for `π − z` in `atan2`.
const PI_LO: f64 = 1.2246467991473532e-16;

/// atan2(y, x): the angle of (x, y), with C99's signed zeros and
/// infinities (as CPython's).
pub fn atan2(y: f64, x: f64) -> f64 {
    use core::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    let neg_x = x.is_sign_negative();
    let r = if y == 0.0 {
        if neg_x {
            PI
        } else {
            0.0
        }
    } else if x == 0.0 {
        FRAC_PI_2
    } else if x.is_infinite() {
        match (y.is_infinite(), neg_x) {
            (true, false) => FRAC_PI_4,
            (true, true) => 3.0 * FRAC_PI_4,
            (false, false) => 0.0,
            (false, true) => PI,
        }
    } else if y.is_infinite() {
        FRAC_PI_2
    } else {
        let z = atan((y / x).abs());
        if neg_x {
            PI - (z - PI_LO)
        } else {
            z
        }
    };
    copysign(r, y)
}

/// asin x (NaN outside [−1, 1]): atan2(x, √(1−x²)), with 1 − x² as
/// (1−x)(1+x), whose factors are exact where it matters (|x| near 1).
pub fn asin(x: f64) -> f64 {
    if x.is_nan() || x.abs() > 1.0 {
        return f64::NAN;
    }
    atan2(x, sqrt((1.0 - x) * (1.0 + x)))
}

/// acos x (NaN outside [−1, 1]).
pub fn acos(x: f64) -> f64 {
    if x.is_nan() || x.abs() > 1.0 {
        return f64::NAN;
    }
    atan2(sqrt((1.0 - x) * (1.0 + x)), x)
}

/// `x` with the sign bit of `s` (C's `copysign`: −0.0 and NaN's sign
/// count).
pub fn copysign(x: f64, s: f64) -> f64 {
    f64::from_bits((x.to_bits() & !(1 << 63)) | (s.to_bits() & (1 << 63)))
}

/// `(m, e)` with x = m · 2^e and 0.5 <= |m| < 1 (x itself and 0 for
/// zero, infinities and NaN), at bit level: C's `frexp`.
pub fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    // Subnormals: scaled into the normal range first.
    let (x, shift) = if x.abs() < f64::MIN_POSITIVE {
        (x * f64::from_bits((1023 + 54) << 52), -54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7FF) as i32 - 1022;
    let m = f64::from_bits((bits & !(0x7FF << 52)) | (1022 << 52));
    (m, e + shift)
}

/// x · 2^e (C's `ldexp`): infinite past the range, rounded once into a
/// subnormal (the last step carries all of a negative scaling's
/// rounding).
pub fn ldexp(x: f64, e: i64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let (m, k) = frexp(x);
    let e = (k as i64).saturating_add(e).clamp(-1100, 1100);
    // m · 2^e with m in [0.5, 1): build 2^(e−1) · (2m), where 2m in [1, 2).
    let m2 = m * 2.0;
    let e = e - 1;
    if e > 1023 {
        return copysign(f64::INFINITY, x);
    }
    if e >= -1022 {
        return m2 * f64::from_bits(((e + 1023) as u64) << 52);
    }
    // A subnormal result: m2 · 2^(e+1074) is exact (a normal float), and
    // the one multiply by 2^-1074 (the least subnormal) rounds once.
    m2 * f64::from_bits(((e + 1074 + 1023) as u64) << 52) * f64::from_bits(1)
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

    /// Distance in units in the last place (same sign only).
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn trigonometry_is_within_a_few_ulp_of_the_host_libm() {
        // A deterministic sweep (xorshift) over the reduction's exact range.
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = (s >> 11) as f64 / (1u64 << 53) as f64 * 2e5 - 1e5;
            assert!(ulps(sin(x), x.sin()) <= 2, "sin {x}");
            assert!(ulps(cos(x), x.cos()) <= 2, "cos {x}");
            assert!(ulps(tan(x), x.tan()) <= 4, "tan {x}");
            let t = x / 1e4;
            assert!(ulps(atan(t), t.atan()) <= 1, "atan {t}");
            assert!(ulps(atan2(t, x), t.atan2(x)) <= 2, "atan2 {t} {x}");
            let u = t / 10.0;
            assert!(ulps(asin(u), u.asin()) <= 3, "asin {u}");
            assert!(ulps(acos(u), u.acos()) <= 3, "acos {u}");
        }
        assert_eq!(sin(0.0), 0.0);
        assert_eq!(cos(0.0), 1.0);
        assert!(sin(f64::INFINITY).is_nan() && asin(1.5).is_nan());
        assert_eq!(atan2(0.0, -1.0), core::f64::consts::PI);
        assert_eq!(atan2(-0.0, -1.0), -core::f64::consts::PI);
        assert_eq!(atan2(1.0, 0.0), core::f64::consts::FRAC_PI_2);
        assert_eq!(acos(-1.0), core::f64::consts::PI);
        assert_eq!(asin(1.0), core::f64::consts::FRAC_PI_2);
    }

    #[test]
    fn frexp_and_ldexp_work_at_bit_level() {
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(-3.0), (-0.75, 2));
        assert_eq!(frexp(0.0), (0.0, 0));
        assert_eq!(frexp(5e-324), (0.5, -1073));
        assert_eq!(ldexp(0.5, 4), 8.0);
        assert_eq!(ldexp(0.5, -1073), 5e-324);
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(-1.0, -2000), -0.0);
        assert_eq!(ldexp(1.5, -1074), 5e-324 * 2.0);
        for &x in &[1.0, 0.1, -123.456, 1e300, 2.5e-310] {
            let (m, e) = frexp(x);
            assert_eq!(ldexp(m, e as i64), x);
        }
        assert_eq!(copysign(1.0, -0.0), -1.0);
        assert_eq!(copysign(-2.0, f64::NAN), 2.0);
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
