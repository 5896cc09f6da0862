//! Compact IEEE 754 double-precision soft float: the `__aeabi_d*` entry
//! points the firmware calls, in place of compiler_builtins' ones.
//!
//! The device's floats are f32 values held in f64 (`p14p_device::obj::
//! float`): the formatting and parsing need f64's spare precision, so f64
//! addition, multiplication, division, comparison and conversion stay in
//! the firmware. compiler_builtins' versions are generic over the format
//! and built for speed (`__adddf3` 864 bytes, `__muldf3` 768, `__divdf3`
//! 892 with its Newton iteration, six comparisons of ~100 each: ~4 KiB);
//! here one unpack and one round-and-pack serve every operation, the
//! division is a shift-subtract loop (one quotient bit per step, ~60
//! steps) and one three-way comparison serves the six predicates. Its
//! definitions are weak, so these strong ones take their place at link
//! time (see `rt.rs`).
//!
//! Every result is the correctly rounded one (round half to even, with
//! subnormals; NaN results are the one quiet NaN), as the host's
//! hardware gives: `tests/softfloat.rs` compares them on the host.
//!
//! Working form: a finite non-zero value is `sig / 2^62 * 2^(exp - bias)`
//! with `sig`'s leading one at bit 62 (bit 63 free for a carry; the bits
//! below the format's fraction are guard bits, the lowest one sticky).
//!
//! Only integer operations are used here: an `f64` operator would call
//! back into these functions.

/// The sign bit of an f64.
const SIGN: u64 = 1 << 63;
/// +infinity (and the exponent field's mask).
const INF: u64 = 0x7FF0_0000_0000_0000;
/// The quiet NaN every NaN result is.
const QNAN: u64 = 0x7FF8_0000_0000_0000;
/// f64's exponent bias.
const BIAS: i32 = 1023;

/// True for a NaN (f64 bits).
fn is_nan(a: u64) -> bool {
    a << 1 > INF << 1
}

/// `x >> n`, with the bits shifted out OR-ed into bit 0 (sticky).
fn shr_sticky(x: u64, n: u32) -> u64 {
    if n == 0 {
        x
    } else if n >= 63 {
        u64::from(x != 0)
    } else {
        x >> n | u64::from(x << (64 - n) != 0)
    }
}

/// A finite non-zero value of a format with `frac` fraction bits: its
/// biased exponent and significand in working form (subnormals
/// normalised, their exponent below 1).
fn unpack(bits: u64, frac: u32) -> (i32, u64) {
    let field = (bits >> frac) as i32 & if frac == 52 { 0x7FF } else { 0xFF };
    let mut sig = bits & ((1 << frac) - 1);
    if field != 0 {
        sig |= 1 << frac;
    }
    sig <<= 62 - frac;
    let n = sig.leading_zeros() - 1;
    (field.max(1) - n as i32, sig << n)
}

/// Rounds `sig` (working form, or 0) at biased exponent `exp` to a format
/// with `frac` fraction bits and `emax` the infinities' exponent field:
/// the bits without the sign (subnormal, overflow to infinity).
fn round_pack(mut exp: i32, mut sig: u64, frac: u32, emax: i32) -> u64 {
    if sig == 0 {
        return 0;
    }
    let inf = (emax as u64) << frac;
    if exp >= emax {
        return inf;
    }
    if exp < 1 {
        sig = shr_sticky(sig, (1 - exp) as u32);
        exp = 1;
    }
    let guard = 62 - frac;
    let half = 1u64 << (guard - 1);
    let rest = sig & ((half << 1) - 1);
    let mut m = sig >> guard;
    if rest > half || (rest == half && m & 1 == 1) {
        m += 1;
    }
    // The leading one (or a rounding carry) adds 1 to `exp - 1`; a
    // subnormal's fraction below it leaves the field at 0.
    ((((exp - 1) as u64) << frac) + m).min(inf)
}

/// An f64 from working form with a sign.
fn pack(sign: u64, exp: i32, sig: u64) -> u64 {
    sign | round_pack(exp, sig, 52, 0x7FF)
}

/// `a + b` (f64 bits).
pub fn add(a: u64, b: u64) -> u64 {
    // |a| >= |b| from here on: without the sign, the bits order the
    // magnitudes (a NaN above the infinities above the finite values).
    let (a, b) = if a << 1 < b << 1 { (b, a) } else { (a, b) };
    if a & INF == INF {
        // A NaN, or inf - inf: NaN; else the infinity.
        return if is_nan(a) || a ^ b == SIGN { QNAN } else { a };
    }
    if b << 1 == 0 {
        // +0 + -0 is +0, -0 + -0 is -0.
        return if a << 1 == 0 { a & b } else { a };
    }
    let (mut xa, ma) = unpack(a, 52);
    let (xb, mb) = unpack(b, 52);
    let mb = shr_sticky(mb, (xa - xb).min(63) as u32);
    let mut m;
    if (a ^ b) & SIGN == 0 {
        m = ma + mb;
        if m >> 63 != 0 {
            m = shr_sticky(m, 1);
            xa += 1;
        }
    } else {
        m = ma - mb;
        if m == 0 {
            return 0;
        }
        let n = m.leading_zeros() - 1;
        m <<= n;
        xa -= n as i32;
    }
    pack(a & SIGN, xa, m)
}

/// `a * b` (f64 bits).
pub fn mul(a: u64, b: u64) -> u64 {
    let sign = (a ^ b) & SIGN;
    if is_nan(a) || is_nan(b) {
        return QNAN;
    }
    let (za, zb) = (a << 1 == 0, b << 1 == 0);
    if a & INF == INF || b & INF == INF {
        return if za || zb { QNAN } else { sign | INF };
    }
    if za || zb {
        return sign;
    }
    let (xa, ma) = unpack(a, 52);
    let (xb, mb) = unpack(b, 52);
    // ma * (mb << 1), 128 bits from four 32x32 products: in [2^125, 2^127).
    let (hi, lo) = mul_wide(ma, mb << 1);
    let mut exp = xa + xb - BIAS + 1;
    let mut sig = hi;
    let mut lo = lo;
    if sig >> 62 == 0 {
        sig = sig << 1 | lo >> 63;
        lo <<= 1;
        exp -= 1;
    }
    pack(sign, exp, sig | u64::from(lo != 0))
}

/// The 128-bit product of `x` and `y` as (high, low) words.
fn mul_wide(x: u64, y: u64) -> (u64, u64) {
    let (x0, x1) = (x & 0xFFFF_FFFF, x >> 32);
    let (y0, y1) = (y & 0xFFFF_FFFF, y >> 32);
    let p00 = x0 * y0;
    let p01 = x0 * y1;
    let p10 = x1 * y0;
    let p11 = x1 * y1;
    let mid = (p00 >> 32) + (p01 & 0xFFFF_FFFF) + (p10 & 0xFFFF_FFFF);
    let lo = (mid << 32) | (p00 & 0xFFFF_FFFF);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (hi, lo)
}

/// `a / b` (f64 bits).
pub fn div(a: u64, b: u64) -> u64 {
    let sign = (a ^ b) & SIGN;
    if is_nan(a) || is_nan(b) {
        return QNAN;
    }
    let (ia, ib) = (a & INF == INF, b & INF == INF);
    let (za, zb) = (a << 1 == 0, b << 1 == 0);
    if (ia && ib) || (za && zb) {
        return QNAN;
    }
    if ia || zb {
        return sign | INF;
    }
    if za || ib {
        return sign;
    }
    let (xa, ma) = unpack(a, 52);
    let (xb, mb) = unpack(b, 52);
    let mut exp = xa - xb + BIAS;
    let mut r = ma;
    if r < mb {
        r <<= 1;
        exp -= 1;
    }
    // One quotient bit a step: 63 bits, the first one at bit 62.
    let mut q = 0u64;
    for _ in 0..63 {
        q <<= 1;
        if r >= mb {
            r -= mb;
            q |= 1;
        }
        r <<= 1;
    }
    pack(sign, exp, q | u64::from(r != 0))
}

/// Three-way comparison: -1, 0, 1, or 2 when either is a NaN.
pub fn cmp(a: u64, b: u64) -> i32 {
    if is_nan(a) || is_nan(b) {
        return 2;
    }
    if (a | b) << 1 == 0 {
        return 0;
    }
    // Sign-magnitude to an order-preserving unsigned key.
    let key = |x: u64| if x & SIGN != 0 { !x } else { x | SIGN };
    match key(a).cmp(&key(b)) {
        core::cmp::Ordering::Less => -1,
        core::cmp::Ordering::Equal => 0,
        core::cmp::Ordering::Greater => 1,
    }
}

/// f64 to f32, rounded (f32 bits).
pub fn d2f(a: u64) -> u32 {
    let sign = (a >> 32) as u32 & 0x8000_0000;
    if is_nan(a) {
        return 0x7FC0_0000;
    }
    if a & INF == INF {
        return sign | 0x7F80_0000;
    }
    if a << 1 == 0 {
        return sign;
    }
    let (x, m) = unpack(a, 52);
    sign | round_pack(x - BIAS + 127, m, 23, 0xFF) as u32
}

/// f32 to f64, exact (f32 bits in).
pub fn f2d(a: u32) -> u64 {
    let sign = u64::from(a & 0x8000_0000) << 32;
    let mag = a & 0x7FFF_FFFF;
    if mag > 0x7F80_0000 {
        return QNAN;
    }
    if mag == 0x7F80_0000 {
        return sign | INF;
    }
    if mag == 0 {
        return sign;
    }
    let (x, m) = unpack(u64::from(a), 23);
    pack(sign, x - 127 + BIAS, m)
}

/// An unsigned integer to f64, rounded.
pub fn u2d(x: u64) -> u64 {
    if x == 0 {
        return 0;
    }
    let lz = x.leading_zeros();
    if lz == 0 {
        return pack(0, BIAS + 63, shr_sticky(x, 1));
    }
    pack(0, BIAS + 63 - lz as i32, x << (lz - 1))
}

/// A signed integer to f64, rounded.
pub fn i2d(x: i64) -> u64 {
    let sign = (x as u64) & SIGN;
    sign | u2d(x.unsigned_abs())
}

/// f64 to an integer magnitude, truncated toward zero: (negative, |a|
/// saturated at 2^64 - 1). NaN gives 0 (Rust's `as` checks NaN and range
/// itself before it calls the entry points).
fn d2u_mag(a: u64) -> (bool, u64) {
    let neg = a & SIGN != 0;
    if is_nan(a) {
        return (false, 0);
    }
    if a << 1 == 0 || (a & INF) >> 52 < BIAS as u64 {
        return (neg, 0);
    }
    let (x, m) = unpack(a, 52);
    let e = x - BIAS;
    if e > 63 {
        return (neg, u64::MAX);
    }
    // m / 2^62 * 2^e.
    let v = if e >= 62 {
        m << (e - 62)
    } else {
        m >> (62 - e)
    };
    (neg, v)
}

/// f64 to i64, truncated, saturating.
pub fn d2l(a: u64) -> i64 {
    let (neg, m) = d2u_mag(a);
    if neg {
        if m >= 1 << 63 {
            i64::MIN
        } else {
            -(m as i64)
        }
    } else {
        m.min(i64::MAX as u64) as i64
    }
}

/// f64 to u64, truncated, saturating (negative gives 0).
pub fn d2ul(a: u64) -> u64 {
    match d2u_mag(a) {
        (true, _) => 0,
        (false, m) => m,
    }
}

/// The entry points, with the AEABI's names and base-standard calling
/// convention (doubles in core register pairs), for the Arm firmware
/// only: on the host the tests call the functions above.
#[cfg(target_arch = "arm")]
#[allow(unsafe_code)]
mod entry {
    use super::*;

    #[no_mangle]
    extern "aapcs" fn __aeabi_dadd(a: f64, b: f64) -> f64 {
        f64::from_bits(add(a.to_bits(), b.to_bits()))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dsub(a: f64, b: f64) -> f64 {
        f64::from_bits(add(a.to_bits(), b.to_bits() ^ SIGN))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dmul(a: f64, b: f64) -> f64 {
        f64::from_bits(mul(a.to_bits(), b.to_bits()))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_ddiv(a: f64, b: f64) -> f64 {
        f64::from_bits(div(a.to_bits(), b.to_bits()))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dcmpeq(a: f64, b: f64) -> i32 {
        i32::from(cmp(a.to_bits(), b.to_bits()) == 0)
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dcmplt(a: f64, b: f64) -> i32 {
        i32::from(cmp(a.to_bits(), b.to_bits()) == -1)
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dcmple(a: f64, b: f64) -> i32 {
        i32::from(cmp(a.to_bits(), b.to_bits()) <= 0)
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dcmpge(a: f64, b: f64) -> i32 {
        i32::from(cmp(b.to_bits(), a.to_bits()) <= 0)
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dcmpgt(a: f64, b: f64) -> i32 {
        i32::from(cmp(b.to_bits(), a.to_bits()) == -1)
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_dcmpun(a: f64, b: f64) -> i32 {
        i32::from(cmp(a.to_bits(), b.to_bits()) == 2)
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_d2f(a: f64) -> f32 {
        f32::from_bits(d2f(a.to_bits()))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_f2d(a: f32) -> f64 {
        f64::from_bits(f2d(a.to_bits()))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_l2d(a: i64) -> f64 {
        f64::from_bits(i2d(a))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_ul2d(a: u64) -> f64 {
        f64::from_bits(u2d(a))
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_d2lz(a: f64) -> i64 {
        d2l(a.to_bits())
    }
    #[no_mangle]
    extern "aapcs" fn __aeabi_d2ulz(a: f64) -> u64 {
        d2ul(a.to_bits())
    }
}
