//! The LM3S6965 firmware's soft float (`ports/cortex-m/src/softfloat.rs`)
//! against the host's hardware f64: every operation on special values,
//! boundaries and pseudo-random bit patterns (all exponents, subnormals,
//! near-ties) must give the same bits (NaN results: any NaN).

#[path = "../ports/cortex-m/src/softfloat.rs"]
#[allow(dead_code)]
mod softfloat;

/// Draws from the fuzz harness's seeded PRNG.
struct Rng(p14p_fuzz::rng::Rng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A value drawn to hit the hard cases: any bits, small or huge
    /// exponents, subnormals, few-bit significands (exact ties).
    fn f64_bits(&mut self) -> u64 {
        let r = self.next();
        match r % 8 {
            0 => SPECIALS[(r >> 8) as usize % SPECIALS.len()],
            1 => r >> 12 | (r & (1 << 63)),
            2 => (r & 0x800F_0000_0000_00FF) | ((1023 + (r >> 20) % 64) << 52),
            3 => (r & 0x800F_FFFF_FFFF_FFFF) | (((r >> 30) % 4) << 52),
            4 => (r & 0x8000_0000_0000_0000) | (((r >> 33) % 2047) << 52) | (r >> 40 & 7),
            _ => r,
        }
    }
}

const SPECIALS: [u64; 14] = [
    0,
    1 << 63,
    0x7FF0_0000_0000_0000,
    0xFFF0_0000_0000_0000,
    0x7FF8_0000_0000_0000,
    1,
    0x000F_FFFF_FFFF_FFFF,
    0x0010_0000_0000_0000,
    0x7FEF_FFFF_FFFF_FFFF,
    0x3FF0_0000_0000_0000,
    0xBFF0_0000_0000_0000,
    0x4340_0000_0000_0000,
    0x3FE0_0000_0000_0000,
    0x47EF_FFFF_E000_0000,
];

/// Same bits, or both NaN.
fn same(got: u64, want: f64) -> bool {
    got == want.to_bits() || (want.is_nan() && f64::from_bits(got).is_nan())
}

#[test]
fn arithmetic_matches_the_hardware() {
    let mut rng = Rng(p14p_fuzz::rng::Rng::new(1));
    for _ in 0..400_000 {
        let (a, b) = (rng.f64_bits(), rng.f64_bits());
        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
        assert!(same(softfloat::add(a, b), x + y), "{x:e} + {y:e}");
        assert!(same(softfloat::add(a, b ^ 1 << 63), x - y), "{x:e} - {y:e}");
        assert!(same(softfloat::mul(a, b), x * y), "{x:e} * {y:e}");
        assert!(same(softfloat::div(a, b), x / y), "{x:e} / {y:e}");
        let want = match x.partial_cmp(&y) {
            None => 2,
            Some(o) => o as i32,
        };
        assert_eq!(softfloat::cmp(a, b), want, "{x:e} <=> {y:e}");
    }
}

#[test]
fn conversions_match_the_hardware() {
    let mut rng = Rng(p14p_fuzz::rng::Rng::new(2));
    for _ in 0..400_000 {
        let a = rng.f64_bits();
        let x = f64::from_bits(a);
        let f = softfloat::d2f(a);
        let want = x as f32;
        assert!(
            f == want.to_bits() || (want.is_nan() && f32::from_bits(f).is_nan()),
            "{x:e} as f32"
        );
        let s = rng.next() as u32;
        assert!(
            same(softfloat::f2d(s), f64::from(f32::from_bits(s))),
            "{s:#x} as f64"
        );
        let i = rng.next() >> (rng.next() % 64);
        assert_eq!(softfloat::u2d(i), (i as f64).to_bits(), "{i} as f64");
        let j = i as i64;
        assert_eq!(softfloat::i2d(j), (j as f64).to_bits(), "{j} as f64");
        if !x.is_nan() && x.abs() < 9.2e18 {
            assert_eq!(softfloat::d2l(a), x as i64, "{x:e} as i64");
        }
        if !x.is_nan() && x < 1.8e19 {
            assert_eq!(softfloat::d2ul(a), x as u64, "{x:e} as u64");
        }
    }
}
