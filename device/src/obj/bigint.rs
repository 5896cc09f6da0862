//! Arbitrary-precision ints (cargo feature `bigint`).
//!
//! ```text
//! ┌────────┬──────────────────────┬─────────┬─────────┬───┐
//! │ header │ N│ limb count (24 bits)│ limb 0  │ limb 1  │ … │   limbs: u32 magnitude,
//! └────────┴──────────────────────┴─────────┴─────────┴───┘   least significant first
//! ```
//!
//! N (bit 31) is the sign. A `BIGINT` block only ever holds a value outside
//! i64 (its top limb is non-zero, and it never fits the boxed `INT`), so an
//! int has exactly one representation, equality of a big and a small int
//! is always false, and `int_val` keeps serving every int that fits 64 bits:
//! the small-int and boxed-i64 fast paths stay as they are, and big ints
//! are reached only when those overflow or see a `BIGINT` operand.
//!
//! Every operation works on [`Big`], a sign-magnitude view of any int
//! (inline limbs for small and boxed ints, arena limbs for big ones), and
//! writes its result straight into a fresh block that [`Vm::big_finish`]
//! normalises. The collector never moves blocks, so a view of a rooted
//! operand stays valid across allocations. Division is schoolbook
//! shift-subtract (short division for one-limb divisors): the values a
//! microcontroller program meets are a few limbs long.

use super::tag;
use crate::heap::Value;
use crate::obj::T;
use crate::vm::fmt::Out;
use crate::vm::{Vm, R};
use core::cmp::Ordering;
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::BinOp;

/// Sign bit of the meta word.
const NEG: u32 = 1 << 31;
/// Limb count mask of the meta word.
const LEN: u32 = 0x00FF_FFFF;
/// Largest int (in limbs) that `str()` renders: the digit conversion works
/// in two stack buffers of this size (2048 bits, 617 decimal digits).
const MAX_DEC_LIMBS: usize = 64;
/// Largest shift or power result, in limbs, tried before `MemoryError`.
const MAX_LIMBS: usize = 1 << 14;

/// A sign-magnitude view of an int operand.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Big {
    /// Negative (never set for zero).
    neg: bool,
    /// Limb count without leading zeros.
    n: usize,
    /// Word of limb 0 in the arena, or 0 for `inl`.
    at: usize,
    /// The limbs of an i64.
    inl: [u32; 2],
}

impl Big {
    /// The view of an i64.
    pub(crate) fn from_i64(i: i64) -> Big {
        let u = i.unsigned_abs();
        let inl = [u as u32, (u >> 32) as u32];
        let n = if inl[1] != 0 {
            2
        } else {
            usize::from(inl[0] != 0)
        };
        Big {
            neg: i < 0,
            n,
            at: 0,
            inl,
        }
    }

    /// The same magnitude with sign `neg` (zero stays non-negative).
    fn with_sign(self, neg: bool) -> Big {
        Big {
            neg: neg && self.n != 0,
            ..self
        }
    }

    fn is_zero(&self) -> bool {
        self.n == 0
    }
}

impl Vm<'_> {
    /// Limb `i` of `x` (0 beyond its length).
    #[inline]
    fn limb(&self, x: &Big, i: usize) -> u32 {
        if i >= x.n {
            0
        } else if x.at == 0 {
            x.inl[i]
        } else {
            self.heap.w(x.at + i)
        }
    }

    /// The view of an int or bool; `None` for anything else.
    pub(crate) fn big_of(&self, v: Value) -> Option<Big> {
        if let Some(i) = self.int_val(v) {
            return Some(Big::from_i64(i));
        }
        if self.is(v, tag::BIGINT) {
            let w = v.word();
            let meta = self.heap.w(w + 1);
            return Some(Big {
                neg: meta & NEG != 0,
                n: (meta & LEN) as usize,
                at: w + 2,
                inl: [0; 2],
            });
        }
        None
    }

    /// Sign and magnitude length in bytes of any int (`int.to_bytes`).
    pub(crate) fn big_mag(&self, v: Value) -> Option<(bool, usize)> {
        self.big_of(v).map(|x| (x.neg, 4 * x.n))
    }

    /// Byte `k` (little-endian) of the magnitude of int `v`.
    pub(crate) fn big_mag_byte(&self, v: Value, k: usize) -> u8 {
        self.big_of(v)
            .map_or(0, |x| (self.limb(&x, k / 4) >> (8 * (k % 4))) as u8)
    }

    /// True for a `BIGINT` block.
    #[inline]
    pub(crate) fn is_big(&self, v: Value) -> bool {
        self.is(v, tag::BIGINT)
    }

    /// A zeroed result block of `n` limbs; its limbs start at `w + 2`.
    fn big_alloc(&mut self, n: usize) -> R<usize> {
        if n > MAX_LIMBS {
            self.exc = T::MemoryError.value();
            self.tb_reset();
            return Err(crate::vm::Raised);
        }
        self.alloc(tag::BIGINT, 2 + n.max(1))
    }

    /// Normalises the result block `w` with sign `neg` into an int value:
    /// a small or boxed int if it fits i64, else the block itself.
    fn big_finish(&mut self, w: usize, neg: bool) -> R<Value> {
        let mut n = self.heap.size(w) - 2;
        while n > 0 && self.heap.w(w + 1 + n) == 0 {
            n -= 1;
        }
        if n <= 2 {
            let hi = if n == 2 { self.heap.w(w + 3) as u64 } else { 0 };
            let lo = if n >= 1 { self.heap.w(w + 2) as u64 } else { 0 };
            let mag = lo | (hi << 32);
            let fits = if neg { mag <= 1 << 63 } else { mag < 1 << 63 };
            if fits {
                let i = if neg {
                    (mag as i64).wrapping_neg()
                } else {
                    mag as i64
                };
                return self.int_from_i64(i);
            }
        }
        self.heap
            .set(w + 1, n as u32 | if neg && n > 0 { NEG } else { 0 });
        Ok(Value::obj(w))
    }

    /// An int from an i128 (promoted to a big int beyond i64).
    pub(crate) fn big_from_i128(&mut self, i: i128) -> R<Value> {
        if let Ok(s) = i64::try_from(i) {
            return self.int_from_i64(s);
        }
        let u = i.unsigned_abs();
        let w = self.big_alloc(4)?;
        for k in 0..4 {
            self.heap.set(w + 2 + k, (u >> (32 * k)) as u32);
        }
        self.big_finish(w, i < 0)
    }

    /// Compares magnitudes.
    fn mag_cmp(&self, a: &Big, b: &Big) -> Ordering {
        if a.n != b.n {
            return a.n.cmp(&b.n);
        }
        for i in (0..a.n).rev() {
            match self.limb(a, i).cmp(&self.limb(b, i)) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        Ordering::Equal
    }

    /// Compares two ints.
    pub(crate) fn big_cmp(&self, a: &Big, b: &Big) -> Ordering {
        match (a.neg, b.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.mag_cmp(a, b),
            (true, true) => self.mag_cmp(b, a),
        }
    }

    /// `a + b`, or `a - b` if `sub`.
    fn big_addsub(&mut self, a: Big, b: Big, sub: bool) -> R<Value> {
        let b = b.with_sign(b.neg ^ sub);
        if a.neg == b.neg {
            let n = a.n.max(b.n) + 1;
            let w = self.big_alloc(n)?;
            let mut carry = 0u64;
            for i in 0..n {
                let t = self.limb(&a, i) as u64 + self.limb(&b, i) as u64 + carry;
                self.heap.set(w + 2 + i, t as u32);
                carry = t >> 32;
            }
            return self.big_finish(w, a.neg);
        }
        let (x, y) = if self.mag_cmp(&a, &b) == Ordering::Less {
            (b, a)
        } else {
            (a, b)
        };
        let w = self.big_alloc(x.n)?;
        let mut borrow = 0i64;
        for i in 0..x.n {
            let t = self.limb(&x, i) as i64 - self.limb(&y, i) as i64 - borrow;
            self.heap.set(w + 2 + i, t as u32);
            borrow = i64::from(t < 0);
        }
        self.big_finish(w, x.neg)
    }

    /// `a * b`.
    fn big_mul(&mut self, a: Big, b: Big) -> R<Value> {
        if a.is_zero() || b.is_zero() {
            return Ok(Value::small(0));
        }
        let w = self.big_alloc(a.n + b.n)?;
        let out = w + 2;
        for i in 0..a.n {
            let x = self.limb(&a, i) as u64;
            let mut carry = 0u64;
            for j in 0..b.n {
                let t = x * self.limb(&b, j) as u64 + self.heap.w(out + i + j) as u64 + carry;
                self.heap.set(out + i + j, t as u32);
                carry = t >> 32;
            }
            self.heap.set(out + i + b.n, carry as u32);
        }
        self.big_finish(w, a.neg != b.neg)
    }

    /// Floor division and modulo, as Python's `divmod`.
    pub(crate) fn big_divmod(&mut self, a: Big, b: Big) -> R<(Value, Value)> {
        if b.is_zero() {
            return self.raise(T::ZeroDivisionError, ErrMsg::ModuloByZero);
        }
        let qw = self.big_alloc(a.n + 1)?;
        let m = self.root(Value::obj(qw));
        let rw = self.big_alloc(b.n + 1);
        let rw = match rw {
            Ok(rw) => rw,
            Err(e) => {
                self.unroot(m);
                return Err(e);
            }
        };
        self.root(Value::obj(rw));
        let (q, r) = (qw + 2, rw + 2);
        if b.n == 1 {
            // Short division.
            let d = self.limb(&b, 0) as u64;
            let mut rem = 0u64;
            for i in (0..a.n).rev() {
                let t = (rem << 32) | self.limb(&a, i) as u64;
                self.heap.set(q + i, (t / d) as u32);
                rem = t % d;
            }
            self.heap.set(r, rem as u32);
        } else {
            // Shift-subtract, one bit of `a` at a time; r has b.n + 1 limbs.
            for bit in (0..a.n * 32).rev() {
                let mut carry = (self.limb(&a, bit / 32) >> (bit % 32)) & 1;
                for i in 0..=b.n {
                    let x = self.heap.w(r + i);
                    self.heap.set(r + i, (x << 1) | carry);
                    carry = x >> 31;
                }
                if !self.rem_below(r, &b) {
                    let mut borrow = 0i64;
                    for i in 0..=b.n {
                        let t = self.heap.w(r + i) as i64 - self.limb(&b, i) as i64 - borrow;
                        self.heap.set(r + i, t as u32);
                        borrow = i64::from(t < 0);
                    }
                    let qi = q + bit / 32;
                    self.heap.set(qi, self.heap.w(qi) | 1 << (bit % 32));
                }
            }
        }
        // Python floors: with signs that differ and a remainder, the
        // quotient's magnitude grows by one and the remainder is |b| - r.
        let nonzero = (0..=b.n).any(|i| self.heap.w(r + i) != 0);
        if a.neg != b.neg && nonzero {
            let mut carry = 1u64;
            for i in 0..=a.n {
                let t = self.heap.w(q + i) as u64 + carry;
                self.heap.set(q + i, t as u32);
                carry = t >> 32;
            }
            let mut borrow = 0i64;
            for i in 0..=b.n {
                let t = self.limb(&b, i) as i64 - self.heap.w(r + i) as i64 - borrow;
                self.heap.set(r + i, t as u32);
                borrow = i64::from(t < 0);
            }
        }
        let res = (|| {
            let qv = self.big_finish(qw, a.neg != b.neg)?;
            self.root(qv);
            let rv = self.big_finish(rw, b.neg)?;
            Ok((qv, rv))
        })();
        self.unroot(m);
        res
    }

    /// True if the remainder limbs at `r` (b.n + 1 of them) are below |b|.
    fn rem_below(&self, r: usize, b: &Big) -> bool {
        for i in (0..=b.n).rev() {
            match self.heap.w(r + i).cmp(&self.limb(b, i)) {
                Ordering::Equal => {}
                o => return o == Ordering::Less,
            }
        }
        false
    }

    /// `a << s`.
    fn big_shl(&mut self, a: Big, s: u64) -> R<Value> {
        if a.is_zero() {
            return Ok(Value::small(0));
        }
        let (k, sh) = ((s / 32) as usize, (s % 32) as u32);
        if s / 32 > MAX_LIMBS as u64 {
            return self.big_alloc(MAX_LIMBS + 1).map(|_| Value::NONE);
        }
        let w = self.big_alloc(a.n + k + 1)?;
        let out = w + 2 + k;
        for i in 0..a.n {
            let x = self.limb(&a, i);
            self.heap.set(out + i, self.heap.w(out + i) | (x << sh));
            if sh > 0 {
                self.heap.set(out + i + 1, x >> (32 - sh));
            }
        }
        self.big_finish(w, a.neg)
    }

    /// `x << s` for an i64 whose shift overflows 64 bits.
    pub(crate) fn big_shl_i64(&mut self, x: i64, s: u64) -> R<Value> {
        self.big_shl(Big::from_i64(x), s)
    }

    /// `a >> s` (floor: negative values round towards minus infinity).
    fn big_shr(&mut self, a: Big, s: u64) -> R<Value> {
        let (k, sh) = ((s / 32).min(a.n as u64) as usize, (s % 32) as u32);
        let n = a.n - k;
        let lost = (0..k).any(|i| self.limb(&a, i) != 0)
            || (s / 32 < a.n as u64 && sh > 0 && self.limb(&a, k) & ((1 << sh) - 1) != 0)
            || (s / 32 >= a.n as u64 && !a.is_zero());
        let w = self.big_alloc(n + 1)?;
        for i in 0..n {
            let lo = self.limb(&a, k + i);
            let hi = self.limb(&a, k + i + 1);
            let x = if sh == 0 {
                lo
            } else {
                (lo >> sh) | (hi << (32 - sh))
            };
            self.heap.set(w + 2 + i, x);
        }
        if a.neg && lost {
            let mut carry = 1u64;
            for i in 0..=n {
                let t = self.heap.w(w + 2 + i) as u64 + carry;
                self.heap.set(w + 2 + i, t as u32);
                carry = t >> 32;
            }
        }
        self.big_finish(w, a.neg)
    }

    /// `a & b`, `a | b`, `a ^ b` on two's-complement limbs one wider than
    /// the wider operand (so the sign limb is always there).
    fn big_bitwise(&mut self, op: BinOp, a: Big, b: Big) -> R<Value> {
        let n = a.n.max(b.n) + 1;
        let w = self.big_alloc(n)?;
        let (mut ca, mut cb) = (1u32, 1u32);
        for i in 0..n {
            let x = self.twos(&a, i, &mut ca);
            let y = self.twos(&b, i, &mut cb);
            let r = match op {
                BinOp::And => x & y,
                BinOp::Or => x | y,
                _ => x ^ y,
            };
            self.heap.set(w + 2 + i, r);
        }
        let neg = self.heap.w(w + 1 + n) >> 31 != 0;
        if neg {
            // Back to sign-magnitude: |r| = !r + 1.
            let mut carry = 1u32;
            for i in 0..n {
                let (t, c) = (!self.heap.w(w + 2 + i)).overflowing_add(carry);
                self.heap.set(w + 2 + i, t);
                carry = u32::from(c);
            }
        }
        self.big_finish(w, neg)
    }

    /// Limb `i` of `x` in two's complement (`carry` threads the +1 of the
    /// negation through the limbs; start it at 1).
    fn twos(&self, x: &Big, i: usize, carry: &mut u32) -> u32 {
        let l = self.limb(x, i);
        if !x.neg {
            return l;
        }
        let (t, c) = (!l).overflowing_add(*carry);
        *carry = u32::from(c);
        t
    }

    /// `base ** e` by repeated squaring.
    pub(crate) fn big_pow(&mut self, base: Value, mut e: u64) -> R<Value> {
        let m = self.root(Value::small(1));
        self.root(base);
        let r = (|| loop {
            if e & 1 == 1 {
                let (acc, b) = (self.root_at(m), self.root_at(m + 1));
                let p = self.big_binop(BinOp::Mul, acc, b)?;
                self.set_root(m, p);
            }
            e >>= 1;
            if e == 0 {
                return Ok(self.root_at(m));
            }
            let b = self.root_at(m + 1);
            let sq = self.big_binop(BinOp::Mul, b, b)?;
            self.set_root(m + 1, sq);
        })();
        self.unroot(m);
        r
    }

    /// `a op b` for two ints where at least one is big, or whose i64
    /// result overflowed. `TypeError` if either is not an int.
    pub(crate) fn big_binop(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
        let (Some(x), Some(y)) = (self.big_of(a), self.big_of(b)) else {
            return self.raise_s(
                T::TypeError,
                ErrMsg::UnsupportedOperand,
                op.symbol().as_bytes(),
            );
        };
        match op {
            BinOp::Add => self.big_addsub(x, y, false),
            BinOp::Sub => self.big_addsub(x, y, true),
            BinOp::Mul => self.big_mul(x, y),
            BinOp::FloorDiv => self.big_divmod(x, y).map(|(q, _)| q),
            BinOp::Mod => self.big_divmod(x, y).map(|(_, r)| r),
            BinOp::TrueDiv => {
                if y.is_zero() {
                    return self.raise(T::ZeroDivisionError, ErrMsg::DivisionByZero);
                }
                let f = self.big_to_f64(&x) / self.big_to_f64(&y);
                self.float_new(f)
            }
            BinOp::Pow => {
                if y.neg {
                    if x.is_zero() {
                        return self.raise(T::ZeroDivisionError, ErrMsg::DivisionByZero);
                    }
                    let e = self.int_val(b).unwrap_or(i64::MIN);
                    return self.float_new(crate::vm::ops::powi(self.big_to_f64(&x), e));
                }
                match self.int_val(b) {
                    Some(e) => self.big_pow(a, e as u64),
                    // A big exponent: only 0, 1 and -1 have a result that fits.
                    None if x.n == 0 => Ok(Value::small(0)),
                    None if x.n == 1 && self.limb(&x, 0) == 1 => {
                        let odd = self.limb(&y, 0) & 1 == 1;
                        Ok(Value::small(if x.neg && odd { -1 } else { 1 }))
                    }
                    None => self.big_alloc(MAX_LIMBS + 1).map(|_| Value::NONE),
                }
            }
            BinOp::LShift | BinOp::RShift => {
                if y.neg {
                    return self.raise(T::ValueError, ErrMsg::NegativeShift);
                }
                let s = match self.int_val(b) {
                    Some(s) => s as u64,
                    None if op == BinOp::RShift => u64::MAX,
                    None => return self.big_alloc(MAX_LIMBS + 1).map(|_| Value::NONE),
                };
                if op == BinOp::LShift {
                    self.big_shl(x, s)
                } else {
                    self.big_shr(x, s)
                }
            }
            BinOp::And | BinOp::Or | BinOp::Xor => self.big_bitwise(op, x, y),
            BinOp::MatMul => self.raise_s(T::TypeError, ErrMsg::UnsupportedOperand, b"@"),
        }
    }

    /// `-a`, `+a` (`sign` 0: negate, 1: keep) or `~a` (2) of an int.
    pub(crate) fn big_unary(&mut self, a: Big, op: u8) -> R<Value> {
        let zero = Big::from_i64(0);
        match op {
            0 => self.big_addsub(zero, a, true),
            1 => self.big_addsub(zero, a, false),
            // ~a == -a - 1
            _ => self.big_addsub(a.with_sign(!a.neg), Big::from_i64(1), true),
        }
    }

    /// `abs(a)`.
    pub(crate) fn big_abs(&mut self, a: Big) -> R<Value> {
        self.big_addsub(Big::from_i64(0), a.with_sign(false), false)
    }

    /// The nearest f64 (limb by limb from the top; exact up to 2**53).
    pub(crate) fn big_to_f64(&self, x: &Big) -> f64 {
        let mut f = 0.0;
        for i in (0..x.n).rev() {
            f = f * 4294967296.0 + self.limb(x, i) as f64;
        }
        if x.neg {
            -f
        } else {
            f
        }
    }

    /// The hash of a big int: its limbs folded (a big int never equals a
    /// small one, so only big ints must agree among themselves).
    pub(crate) fn big_hash(&self, x: &Big) -> u32 {
        let mut h = x.n as u32 ^ if x.neg { 0x9E37_79B9 } else { 0 };
        for i in 0..x.n {
            h = h.rotate_left(5) ^ self.limb(x, i);
        }
        h
    }

    /// An int from an f64 that is integral and finite (the caller checks):
    /// the mantissa shifted by the exponent.
    #[cfg(feature = "float")]
    pub(crate) fn big_from_f64(&mut self, f: f64) -> R<Value> {
        if f.abs() < 9.2e18 {
            return self.int_from_i64(f as i64);
        }
        let bits = f.to_bits();
        let exp = ((bits >> 52) & 0x7FF) as i64 - 1075;
        let mant = (bits & ((1 << 52) - 1)) | (1 << 52);
        let m = Big::from_i64(mant as i64).with_sign(f < 0.0);
        self.big_shl(m, exp as u64)
    }

    /// A big int constant from an image: `n` magnitude bytes, little
    /// endian, at code address `start` (arena or flash).
    pub(crate) fn big_const(&mut self, start: usize, n: usize, neg: bool) -> R<Value> {
        let w = self.big_alloc(n.div_ceil(4))?;
        for j in 0..n {
            let limb = w + 2 + j / 4;
            let b = self.code_byte(start + j) as u32;
            self.heap.set(limb, self.heap.w(limb) | b << (8 * (j % 4)));
        }
        self.big_finish(w, neg)
    }

    /// Parses digits (ASCII, `_` already allowed by the caller) in `base`
    /// from arena bytes `[start, start + n)` into an int; `None` if a byte
    /// is not a digit of `base`.
    pub(crate) fn big_parse(
        &mut self,
        start: usize,
        n: usize,
        base: u32,
        neg: bool,
    ) -> R<Option<Value>> {
        let bits = 32 - (base - 1).leading_zeros() as usize;
        let w = self.big_alloc(n * bits / 32 + 2)?;
        let limbs = self.heap.size(w) - 2;
        for k in 0..n {
            let c = self.heap.bytes()[start + k];
            if c == b'_' {
                continue;
            }
            let Some(d) = (c as char).to_digit(base) else {
                return Ok(None);
            };
            let mut carry = d as u64;
            for i in 0..limbs {
                let t = self.heap.w(w + 2 + i) as u64 * base as u64 + carry;
                self.heap.set(w + 2 + i, t as u32);
                carry = t >> 32;
            }
        }
        self.big_finish(w, neg).map(Some)
    }

    /// Writes a big int in `base` (2, 8, 10 or 16) with `prefix` after the
    /// sign. `OverflowError` for a decimal beyond [`MAX_DEC_LIMBS`].
    pub(crate) fn big_write(&mut self, out: &mut Out, x: &Big, base: u32, prefix: &[u8]) -> R<()> {
        if x.neg {
            self.emit(out, b"-");
        }
        self.emit(out, prefix);
        if x.is_zero() {
            self.emit(out, b"0");
            return Ok(());
        }
        if base != 10 {
            let bits = base.trailing_zeros() as usize;
            let total = x.n * 32;
            let mut started = false;
            let mut pos = total.div_ceil(bits) * bits;
            while pos > 0 {
                pos -= bits;
                let mut d = 0u32;
                for k in (0..bits).rev() {
                    let b = pos + k;
                    d = (d << 1) | ((self.limb(x, b / 32) >> (b % 32)) & 1);
                }
                if d != 0 || started {
                    started = true;
                    self.emit(out, &[b"0123456789abcdef"[d as usize]]);
                }
            }
            return Ok(());
        }
        if x.n > MAX_DEC_LIMBS {
            return self.raise(T::OverflowError, ErrMsg::IntOverflow);
        }
        // Repeated short division by 10**9 on a stack copy; chunks of nine
        // digits come out least significant first.
        let mut mag = [0u32; MAX_DEC_LIMBS];
        for (i, m) in mag.iter_mut().enumerate().take(x.n) {
            *m = self.limb(x, i);
        }
        let mut chunks = [0u32; MAX_DEC_LIMBS * 10 / 9 + 2];
        let (mut n, mut c) = (x.n, 0);
        while n > 0 {
            let mut rem = 0u64;
            for i in (0..n).rev() {
                let t = (rem << 32) | mag[i] as u64;
                mag[i] = (t / 1_000_000_000) as u32;
                rem = t % 1_000_000_000;
            }
            chunks[c] = rem as u32;
            c += 1;
            while n > 0 && mag[n - 1] == 0 {
                n -= 1;
            }
        }
        for (k, &chunk) in chunks[..c].iter().rev().enumerate() {
            let mut d = [0u8; 9];
            let mut v = chunk;
            for slot in d.iter_mut().rev() {
                *slot = b'0' + (v % 10) as u8;
                v /= 10;
            }
            let skip = if k == 0 {
                d.iter().position(|&b| b != b'0').unwrap_or(8)
            } else {
                0
            };
            self.emit(out, &d[skip..]);
        }
        Ok(())
    }

    /// A new str: `v` in `base` with `prefix` (for `hex`/`oct`/`bin`/`str`).
    pub(crate) fn big_render(&mut self, v: Value, base: u32, prefix: &[u8]) -> R<Value> {
        let Some(x) = self.big_of(v) else {
            return self.raise_type(ErrMsg::ArgType, v);
        };
        let mut count = Out::Count(0);
        self.big_write(&mut count, &x, base, prefix)?;
        let Out::Count(n) = count else {
            return Ok(Value::NONE);
        };
        let m = self.root(v);
        let w = self.str_alloc(n);
        self.unroot(m);
        let w = w?;
        let x = self.big_of(v).unwrap_or(x);
        let mut out = Out::Heap(crate::obj::str::data(w));
        self.big_write(&mut out, &x, base, prefix)?;
        self.str_finish(w);
        Ok(Value::obj(w))
    }
}
