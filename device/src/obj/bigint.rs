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
/// CPython's default limit on the decimal digits of an int <-> str
/// conversion (`sys.get_int_max_str_digits()`); beyond it `ValueError`.
pub(crate) const MAX_STR_DIGITS: usize = 4300;
/// Limbs of the largest magnitude within [`MAX_STR_DIGITS`] decimal digits
/// (10**4300 < 2**14285): anything longer is refused before converting.
const MAX_DEC_LIMBS: usize = 447;
/// Words of the decimal scratch: the magnitude at the bottom, shrinking,
/// and its 9-digit chunks from the top down, growing. Each division by
/// 10**9 frees 29.9 of 32 bits while a chunk takes a word, so the two meet
/// only past 479 chunks (4311 digits). Below that, n + n/8 + 3 words hold
/// both at every step (the chunks outgrow what the divisions free by
/// 0.07 words each, and there are at most 1.07n + 1 of them).
const DEC_SCRATCH: usize = 480;
/// Words of the small decimal scratch (256 bytes: ints up to 54 limbs,
/// ~520 digits); longer ones take [`DEC_SCRATCH`] in a frame of their own.
const DEC_STACK: usize = 64;
/// Limb operations (a multiply-add over the heap) that cost about as much
/// as one interpreted instruction: what [`Vm::burn`] charges big-int work,
/// so that the next poll comes as soon as the work would have taken 1024
/// instructions (a loop calling `str(10**4000)` polls every few calls, not
/// every 1024 calls).
const LIMB_OPS_PER_STEP: usize = 8;
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

    /// A non-negative view of the `n` limbs from word `at` of a block
    /// being built (leading zero limbs allowed): the in-place carry and
    /// compare loops take it as an operand like any other.
    fn limbs(at: usize, n: usize) -> Big {
        Big {
            neg: false,
            n,
            at,
            inl: [0; 2],
        }
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
        // Filling n limbs is work at least linear in n.
        self.burn(n);
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
        self.limbs_cmp(a, b, a.n)
    }

    /// Compares the low `n` limbs of `a` and `b` as magnitudes.
    fn limbs_cmp(&self, a: &Big, b: &Big, n: usize) -> Ordering {
        for i in (0..n).rev() {
            match self.limb(a, i).cmp(&self.limb(b, i)) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        Ordering::Equal
    }

    /// Writes `|x| + |y|`, or `|x| - |y|` with `sub`, into the `n` limbs
    /// at word `dst`, modulo 2**(32n). One loop for every carry and borrow
    /// chain: the signed carry is 1 after an overflow, -1 after a borrow.
    /// `dst` may be either operand's own limbs (limb i is read before it
    /// is written).
    #[inline(never)]
    fn mag_acc(&mut self, dst: usize, n: usize, x: &Big, y: &Big, sub: bool) {
        let mut carry = 0i64;
        for i in 0..n {
            let b = self.limb(y, i) as i64;
            let t = self.limb(x, i) as i64 + if sub { -b } else { b } + carry;
            self.heap.set(dst + i, t as u32);
            carry = t >> 32;
        }
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
        let differ = a.neg != b.neg;
        // A difference takes the larger magnitude's sign.
        let (x, y) = if differ && self.mag_cmp(&a, &b) == Ordering::Less {
            (b, a)
        } else {
            (a, b)
        };
        let n = x.n.max(y.n) + usize::from(!differ);
        let w = self.big_alloc(n)?;
        self.mag_acc(w + 2, n, &x, &y, differ);
        self.big_finish(w, x.neg)
    }

    /// `a * b`.
    fn big_mul(&mut self, a: Big, b: Big) -> R<Value> {
        if a.is_zero() || b.is_zero() {
            return Ok(Value::small(0));
        }
        self.burn(a.n * b.n / LIMB_OPS_PER_STEP);
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
        } else if a.n < b.n {
            // |a| < |b|: the quotient is 0 and the remainder a.
            for i in 0..a.n {
                self.heap.set(r + i, self.limb(&a, i));
            }
        } else if let Err(e) = self.long_division(&a, &b, q, r) {
            self.unroot(m);
            return Err(e);
        }
        // Python floors: with signs that differ and a remainder, the
        // quotient's magnitude grows by one and the remainder is |b| - r.
        let zero = Big::from_i64(0);
        let nonzero = self.limbs_cmp(&Big::limbs(r, b.n + 1), &zero, b.n + 1) != Ordering::Equal;
        if a.neg != b.neg && nonzero {
            let one = Big::from_i64(1);
            self.mag_acc(q, a.n + 1, &Big::limbs(q, a.n + 1), &one, false);
            self.mag_acc(r, b.n + 1, &b, &Big::limbs(r, b.n + 1), true);
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

    /// `|a| / |b|` into the zeroed limbs at `q` (`a.n - b.n + 1` of them)
    /// and `|a| % |b|` into those at `r` (`b.n`), for `a.n >= b.n >= 2`:
    /// Knuth's algorithm D (TAOCP 4.3.1, as in Hacker's Delight `divmnu`),
    /// one quotient limb per step, `O(a.n · b.n)` limb operations. (The
    /// bit-at-a-time shift-subtract it replaces took 32 times as long: over
    /// operands of a few thousand limbs, minutes on a device without a
    /// poll.) `b`, normalised, lives in `r` until the remainder replaces
    /// it; `a`, normalised, in a scratch block.
    #[inline(never)]
    fn long_division(&mut self, a: &Big, b: &Big, q: usize, r: usize) -> R<()> {
        let (m, n) = (a.n, b.n);
        self.burn(m * n / LIMB_OPS_PER_STEP);
        let un = self.big_alloc(m + 1)? + 2;
        let vn = r;
        let s = self.limb(b, n - 1).leading_zeros();
        // `x << s` across limbs; a u64 shift by 32 - s is 0 when s is 0.
        let shl = |hi: u32, lo: u32| ((u64::from(hi) << s) | (u64::from(lo) >> (32 - s))) as u32;
        for i in (1..n).rev() {
            let v = shl(self.limb(b, i), self.limb(b, i - 1));
            self.heap.set(vn + i, v);
        }
        self.heap.set(vn, self.limb(b, 0) << s);
        self.heap.set(un + m, shl(0, self.limb(a, m - 1)));
        for i in (1..m).rev() {
            let v = shl(self.limb(a, i), self.limb(a, i - 1));
            self.heap.set(un + i, v);
        }
        self.heap.set(un, self.limb(a, 0) << s);
        let base = 1u64 << 32;
        let (v1, v2) = (
            u64::from(self.heap.w(vn + n - 1)),
            u64::from(self.heap.w(vn + n - 2)),
        );
        for j in (0..=m - n).rev() {
            let top =
                (u64::from(self.heap.w(un + j + n)) << 32) | u64::from(self.heap.w(un + j + n - 1));
            let (mut qhat, mut rhat) = (top / v1, top % v1);
            let u2 = u64::from(self.heap.w(un + j + n - 2));
            while qhat >= base || qhat * v2 > (rhat << 32) + u2 {
                qhat -= 1;
                rhat += v1;
                if rhat >= base {
                    break;
                }
            }
            // un[j..=j+n] -= qhat * vn.
            let mut k = 0i64;
            for i in 0..n {
                let p = qhat * u64::from(self.heap.w(vn + i));
                let t = i64::from(self.heap.w(un + i + j)) - k - (p & 0xFFFF_FFFF) as i64;
                self.heap.set(un + i + j, t as u32);
                k = (p >> 32) as i64 - (t >> 32);
            }
            let t = i64::from(self.heap.w(un + j + n)) - k;
            self.heap.set(un + j + n, t as u32);
            if t < 0 {
                // Subtracted one `vn` too many: add it back.
                qhat -= 1;
                let mut c = 0u64;
                for i in 0..n {
                    let x = u64::from(self.heap.w(un + i + j)) + u64::from(self.heap.w(vn + i)) + c;
                    self.heap.set(un + i + j, x as u32);
                    c = x >> 32;
                }
                let x = self.heap.w(un + j + n).wrapping_add(c as u32);
                self.heap.set(un + j + n, x);
            }
            self.heap.set(q + j, qhat as u32);
        }
        // The remainder: un >> s (over vn, no longer needed).
        for i in 0..n {
            let v = ((u64::from(self.heap.w(un + i + 1)) << 32 | u64::from(self.heap.w(un + i)))
                >> s) as u32;
            self.heap.set(r + i, v);
        }
        Ok(())
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

    /// `a >> s` (floor: negative values round towards minus infinity).
    fn big_shr(&mut self, a: Big, s: u64) -> R<Value> {
        let k = (s / 32).min(a.n as u64) as usize;
        let n = a.n - k;
        let lost = self.low_bits(&a, s);
        let w = self.big_alloc(n + 1)?;
        for i in 0..n {
            // The loop runs only when s / 32 < a.n: no overflow.
            let x = self.bits_at(&a, s + 32 * i as u64) as u32;
            self.heap.set(w + 2 + i, x);
        }
        if a.neg && lost {
            let one = Big::from_i64(1);
            self.mag_acc(w + 2, n + 1, &Big::limbs(w + 2, n + 1), &one, false);
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
            // Back to sign-magnitude: |r| = 0 - r modulo 2**(32n).
            let zero = Big::from_i64(0);
            self.mag_acc(w + 2, n, &zero, &Big::limbs(w + 2, n), true);
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
        // The operations below read the operands' limbs through views
        // (`Big`) after allocating, and a collection in between would free
        // an operand nothing else holds: `pow(b, e, m)` and the modular
        // inverse pass the product they just made. So both are rooted here.
        let mark = self.root(a);
        self.root(b);
        let r = self.big_binop_rooted(op, a, b);
        self.unroot(mark);
        r
    }

    /// [`Vm::big_binop`] once `a` and `b` are rooted.
    fn big_binop_rooted(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
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
                #[cfg(feature = "float")]
                return self.big_truediv(x, y);
                #[cfg(not(feature = "float"))]
                self.float_new(0.0)
            }
            BinOp::Pow => {
                if y.neg {
                    if x.is_zero() {
                        return self.raise(T::ZeroDivisionError, ErrMsg::DivisionByZero);
                    }
                    #[cfg(feature = "float")]
                    let f = {
                        let e = self.int_val(b).unwrap_or(i64::MIN);
                        crate::vm::ops::powi(self.big_float(&x)?, e)
                    };
                    #[cfg(not(feature = "float"))]
                    let f = 0.0;
                    return self.float_new(f);
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

    /// Bit length of |x|.
    pub(crate) fn big_bits(&self, x: &Big) -> u64 {
        match x.n {
            0 => 0,
            n => 32 * n as u64 - self.limb(x, n - 1).leading_zeros() as u64,
        }
    }

    /// The 64 bits of |x| from bit `pos` up.
    fn bits_at(&self, x: &Big, pos: u64) -> u64 {
        let (k, s) = ((pos / 32) as usize, pos % 32);
        let lo = self.limb(x, k) as u64 | (self.limb(x, k + 1) as u64) << 32;
        if s == 0 {
            lo
        } else {
            (lo >> s) | (self.limb(x, k + 2) as u64) << (64 - s)
        }
    }

    /// True if |x| has a set bit below bit `pos`.
    fn low_bits(&self, x: &Big, pos: u64) -> bool {
        let k = (pos / 32).min(x.n as u64) as usize;
        (0..k).any(|i| self.limb(x, i) != 0)
            || (!pos.is_multiple_of(32) && self.limb(x, k) & ((1 << (pos % 32)) - 1) != 0)
    }

    /// |x| as `(m, e)` with |x| ~ m * 2**e: the top 64 bits, the lowest
    /// one set if any bit below them is (a sticky bit, enough for one
    /// correct rounding to 53 bits), or all of |x| if it fits 64 bits.
    #[cfg(feature = "float")]
    fn big_top64(&self, x: &Big) -> (u64, i64) {
        let bits = self.big_bits(x);
        if bits <= 64 {
            return (self.bits_at(x, 0), 0);
        }
        let e = bits - 64;
        (
            self.bits_at(x, e) | u64::from(self.low_bits(x, e)),
            e as i64,
        )
    }

    /// The nearest f64, ties to even (as CPython's `float(int)`); infinite
    /// beyond the largest float.
    #[cfg(feature = "float")]
    pub(crate) fn big_to_f64(&self, x: &Big) -> f64 {
        let (m, e) = self.big_top64(x);
        let f = compose_f64(m, e);
        if x.neg {
            -f
        } else {
            f
        }
    }

    /// The nearest f64 to an int; `OverflowError` beyond the largest float.
    #[cfg(feature = "float")]
    pub(crate) fn big_float(&mut self, x: &Big) -> R<f64> {
        let f = self.big_to_f64(x);
        if f.is_infinite() {
            return self.raise(T::OverflowError, ErrMsg::IntTooLargeForFloat);
        }
        Ok(f)
    }

    /// `a / b` for ints, correctly rounded: the quotient scaled to 62..64
    /// bits by an exact big division, its remainder as the sticky bit.
    #[cfg(feature = "float")]
    pub(crate) fn big_truediv(&mut self, a: Big, b: Big) -> R<Value> {
        if b.is_zero() {
            return self.raise(T::ZeroDivisionError, ErrMsg::DivisionByZero);
        }
        let neg = a.neg != b.neg;
        let (la, lb) = (self.big_bits(&a), self.big_bits(&b));
        if la <= 53 && lb <= 53 {
            // Both exact as f64: one IEEE division rounds once.
            let f = self.big_to_f64(&a) / self.big_to_f64(&b);
            return self.float_new(f);
        }
        let s = 63 - (la as i64 - lb as i64);
        let (a, b) = (a.with_sign(false), b.with_sign(false));
        let m = self.nroots;
        let r = (|| {
            let (num, den) = if s >= 0 {
                let v = self.big_shl(a, s as u64)?;
                self.root(v);
                (self.big_of(v).unwrap_or(a), b)
            } else {
                let v = self.big_shl(b, s.unsigned_abs())?;
                self.root(v);
                (a, self.big_of(v).unwrap_or(b))
            };
            let (q, r) = self.big_divmod(num, den)?;
            let q = self.big_of(q).map_or(0, |q| self.bits_at(&q, 0));
            let sticky = self.big_of(r).is_some_and(|r| !r.is_zero());
            Ok(compose_f64(q | u64::from(sticky), -s))
        })();
        self.unroot(m);
        let f = r?;
        if f.is_infinite() {
            return self.raise(T::OverflowError, ErrMsg::IntDivTooLarge);
        }
        self.float_new(if neg { -f } else { f })
    }

    /// Exact ordering of an int and a float (`None` against NaN): rounding
    /// is monotone, so the rounded int orders as the int unless it equals
    /// the float, and then the bits of the int below the float's settle it.
    #[cfg(feature = "float")]
    pub(crate) fn big_cmp_f64(&self, x: &Big, f: f64) -> Option<Ordering> {
        if f.is_infinite() {
            return Some(if f > 0.0 {
                Ordering::Less
            } else {
                Ordering::Greater
            });
        }
        let xf = self.big_to_f64(x);
        if xf != f || f.is_nan() || self.big_bits(x) <= 53 {
            return xf.partial_cmp(&f);
        }
        // |f| >= 2**53: an integer mant * 2**exp with exp >= 1.
        let bits = f.to_bits();
        let exp = ((bits >> 52) & 0x7FF) - 1075;
        let mant = (bits & ((1 << 52) - 1)) | (1 << 52);
        let mag = if self.big_bits(x) > exp + 64 {
            Ordering::Greater
        } else {
            match self.bits_at(x, exp).cmp(&mant) {
                Ordering::Equal if self.low_bits(x, exp) => Ordering::Greater,
                o => o,
            }
        };
        Some(if x.neg { mag.reverse() } else { mag })
    }

    /// The hash of a big int: |x| modulo the Mersenne prime 2**31 - 1 (so
    /// an integral float beyond i64 hashes alike, see [`float_big_hash`]),
    /// negated for negatives.
    pub(crate) fn big_hash(&self, x: &Big) -> u32 {
        // 2**32 = 2 (mod 2**31 - 1): Horner over the limbs with base 2.
        let mut h = 0u64;
        for i in (0..x.n).rev() {
            h = mersenne(2 * h + self.limb(x, i) as u64);
        }
        signed_hash(h as u32, x.neg)
    }

    /// `x.bit_length()`.
    pub(crate) fn big_bit_length(&mut self, x: &Big) -> R<Value> {
        self.int_from_i64(self.big_bits(x) as i64)
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
        self.burn(n * limbs / LIMB_OPS_PER_STEP);
        for k in 0..n {
            let c = self.span_byte(start + k);
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
        // Quadratic: each output chunk divides what is left of x.
        self.burn(x.n * x.n / LIMB_OPS_PER_STEP);
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
                let d = (self.bits_at(x, pos as u64) & ((1 << bits) - 1)) as u32;
                if d != 0 || started {
                    started = true;
                    self.emit(out, &[b"0123456789abcdef"[d as usize]]);
                }
            }
            return Ok(());
        }
        if x.n > MAX_DEC_LIMBS {
            return self.raise(T::ValueError, ErrMsg::IntStrDigits);
        }
        // Repeated short division by 10**9; the chunks of nine digits come
        // out least significant first and are stacked from the top of the
        // scratch down, so they read most significant first. A scratch of
        // DEC_STACK words holds ints of up to ~520 digits; longer ones take
        // the full scratch in a frame of their own, so a nested `repr` of
        // an ordinary big int costs 256 bytes of stack, not 1.9 KiB
        // (vm/nest.rs). Not in the heap: this runs while the renderer has
        // ancestors marked, where nothing may allocate.
        // Without a stack floor (a port whose stack holds the long scratch
        // at every level) the small scratch is not built.
        let words = x.n + x.n / 8 + 3;
        if !cfg!(feature = "stack-floor") || words > DEC_STACK {
            return self.big_write_long(out, x);
        }
        let mut buf = [0u32; DEC_STACK];
        self.dec_write(out, x, &mut buf)
    }

    /// [`Vm::big_write`]'s decimal text of an int too long for its small
    /// scratch. `RecursionError` if the stack cannot take the scratch
    /// above the port's floor.
    #[cfg_attr(feature = "stack-floor", inline(never))]
    fn big_write_long(&mut self, out: &mut Out, x: &Big) -> R<()> {
        if self.stack_room() < DEC_SCRATCH * 4 {
            return Err(self.raise_bare(T::RecursionError));
        }
        let mut buf = [0u32; DEC_SCRATCH];
        self.dec_write(out, x, &mut buf)
    }

    /// The decimal text of `x` by way of `buf`, a scratch of at least
    /// n + n/8 + 3 words (else `ValueError`, as past [`MAX_STR_DIGITS`]).
    fn dec_write(&mut self, out: &mut Out, x: &Big, buf: &mut [u32]) -> R<()> {
        for (i, m) in buf.iter_mut().enumerate().take(x.n) {
            *m = self.limb(x, i);
        }
        let Some(c) = dec_chunks(buf, x.n) else {
            return self.raise(T::ValueError, ErrMsg::IntStrDigits);
        };
        let chunks = buf.get(buf.len() - c..).unwrap_or(&[]);
        let top = chunks.first().copied().unwrap_or(0);
        let top_digits = (1..10).find(|&k| top < 10u32.pow(k)).unwrap_or(9);
        if 9 * (c - 1) + top_digits as usize > MAX_STR_DIGITS {
            return self.raise(T::ValueError, ErrMsg::IntStrDigits);
        }
        for (k, &chunk) in chunks.iter().enumerate() {
            let mut d = [0u8; 9];
            let mut v = chunk;
            for slot in d.iter_mut().rev() {
                *slot = b'0' + (v % 10) as u8;
                v /= 10;
            }
            let skip = if k == 0 { 9 - top_digits as usize } else { 0 };
            self.emit(out, d.get(skip..).unwrap_or(&[]));
        }
        Ok(())
    }

    /// A new str: `v` in `base` with `prefix` (for `hex`/`oct`/`bin`/`str`).
    pub(crate) fn big_render(&mut self, v: Value, base: u32, prefix: &[u8]) -> R<Value> {
        let Some(x) = self.big_of(v) else {
            return self.raise_type(ErrMsg::ArgType, v);
        };
        let m = self.root(v);
        let r = self.str_out(None).and_then(|mut out| {
            self.big_write(&mut out, &x, base, prefix)?;
            self.str_done(&mut out)
        });
        self.unroot(m);
        r
    }
}

/// `t` reduced modulo the Mersenne prime 2**31 - 1, for `t < 2**62`.
fn mersenne(t: u64) -> u64 {
    const P: u64 = (1 << 31) - 1;
    let t = (t & P) + (t >> 31);
    let t = (t & P) + (t >> 31);
    if t >= P {
        t - P
    } else {
        t
    }
}

/// A magnitude's hash with the sign applied, as ints and floats share it.
fn signed_hash(h: u32, neg: bool) -> u32 {
    if neg {
        h.wrapping_neg()
    } else {
        h
    }
}

/// The hash of an integral float outside i64, equal to [`Vm::big_hash`]
/// of the int it equals: `mant * 2**exp` modulo 2**31 - 1.
#[cfg(feature = "float")]
pub(crate) fn float_big_hash(f: f64) -> u32 {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7FF).saturating_sub(1075);
    let mant = (bits & ((1 << 52) - 1)) | (1 << 52);
    // 2**31 = 1 (mod 2**31 - 1): only exp mod 31 matters.
    let h = mersenne(mersenne(mant) << (exp % 31));
    signed_hash(h as u32, f < 0.0)
}

/// `m * 2**e` rounded to the nearest f64, ties to even, subnormals and
/// overflow (to infinity) included; bit 0 of `m` may be a sticky bit.
#[cfg(feature = "float")]
pub(crate) fn compose_f64(m: u64, e: i64) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let top = 63 - m.leading_zeros() as i64 + e;
    if top > 1023 {
        return f64::INFINITY;
    }
    // The weight of the last kept bit: 53 bits for normals, 2**-1074 below.
    let mut lsb = (top - 52).max(-1074);
    let drop = lsb - e;
    let mut q = if drop <= 0 {
        m << -drop
    } else if drop >= 64 {
        u64::from(drop == 64 && m > 1 << 63)
    } else {
        let (q, rest, half) = (m >> drop, m & ((1 << drop) - 1), 1u64 << (drop - 1));
        q + u64::from(rest > half || (rest == half && q & 1 == 1))
    };
    if q == 1 << 53 {
        q >>= 1;
        lsb += 1;
    }
    if q < 1 << 52 {
        return f64::from_bits(q); // subnormal (lsb is 2**-1074)
    }
    let biased = lsb + 52 + 1023;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    f64::from_bits((biased as u64) << 52 | (q & ((1 << 52) - 1)))
}

#[cfg(all(test, feature = "float"))]
mod tests {
    use super::{compose_f64, float_big_hash, mersenne};

    #[test]
    fn compose_rounds_half_to_even_once() {
        // 2**53 + 1 is a tie: to the even 2**53; 2**53 + 3 up to 2**53 + 4.
        assert_eq!(compose_f64((1 << 53) + 1, 0), 9007199254740992.0);
        assert_eq!(compose_f64((1 << 53) + 3, 0), 9007199254740996.0);
        // A sticky bit below the tie breaks it upwards.
        assert_eq!(
            compose_f64(((1 << 53) + 1) << 2 | 1, -2),
            9007199254740994.0
        );
        assert_eq!(compose_f64(3, -1), 1.5);
    }

    #[test]
    fn compose_overflows_and_underflows_like_ieee() {
        assert_eq!(compose_f64(u64::MAX, 960), f64::INFINITY);
        assert_eq!(compose_f64((1 << 53) - 1, 971), f64::MAX);
        assert_eq!(compose_f64(1, -1074), f64::from_bits(1));
        assert_eq!(compose_f64(1, -1075), 0.0); // a tie: to even zero
        assert_eq!(compose_f64(3, -1076), f64::from_bits(1));
    }

    #[test]
    fn float_hash_is_the_mersenne_residue() {
        // 2**64 = 2**(64 mod 31) = 4 (mod 2**31 - 1).
        assert_eq!(float_big_hash(18446744073709551616.0), 4);
        assert_eq!(float_big_hash(-18446744073709551616.0), 4u32.wrapping_neg());
        assert_eq!(mersenne((1 << 31) - 1), 0);
    }
}

/// Divides the `n`-limb magnitude at the bottom of `buf` by 10**9 until
/// nothing is left, stacking each remainder (a 9-digit chunk) from the top
/// of `buf` down: the chunk count, or `None` if the chunks would meet the
/// shrinking magnitude (`buf` too small).
fn dec_chunks(buf: &mut [u32], mut n: usize) -> Option<usize> {
    let len = buf.len();
    let mut c = 0;
    while n > 0 {
        let mut rem = 0u64;
        for m in buf.iter_mut().take(n).rev() {
            let t = (rem << 32) | *m as u64;
            *m = (t / 1_000_000_000) as u32;
            rem = t % 1_000_000_000;
        }
        while n > 0 && buf.get(n - 1) == Some(&0) {
            n -= 1;
        }
        c += 1;
        let at = len.checked_sub(c).filter(|&at| at >= n)?;
        *buf.get_mut(at)? = rem as u32;
    }
    Some(c)
}
