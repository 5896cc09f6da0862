//! Operators: hashing, equality, ordering, truth, arithmetic, subscripts
//! and membership, with small-int fast paths first.

use super::{Vm, R};
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::exc::Part;
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::{BinOp, CmpOp};

/// Nesting limit for recursive equality/ordering of containers.
const EQ_DEPTH: usize = 32;

/// Whether the ordering `o` satisfies the ordering operator `op` (NaN's
/// `None` satisfies none).
fn op_holds(op: CmpOp, o: Option<core::cmp::Ordering>) -> bool {
    o.is_some_and(|o| match op {
        CmpOp::Lt => o.is_lt(),
        CmpOp::Le => o.is_le(),
        CmpOp::Gt => o.is_gt(),
        _ => o.is_ge(),
    })
}

/// Hash of an integer value (bools and integral floats hash alike).
pub fn int_hash(i: i64) -> u32 {
    if (i32::MIN as i64..=i32::MAX as i64).contains(&i) {
        i as i32 as u32
    } else {
        (i ^ (i >> 32)) as u32
    }
}

/// Largest-integer-not-above for f64 without libm.
pub fn floor(x: f64) -> f64 {
    if !x.is_finite() || x.abs() >= 4_503_599_627_370_496.0 {
        return x;
    }
    let t = x as i64 as f64;
    if t > x {
        t - 1.0
    } else {
        t
    }
}

/// Python's float modulo (sign of the divisor).
pub fn fmod_py(a: f64, b: f64) -> f64 {
    let r = crate::obj::flib::fmod(a, b);
    if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
        r + b
    } else {
        r
    }
}

impl Vm<'_> {
    /// `hash(v)`; `TypeError` for unhashable values.
    pub(crate) fn hash(&mut self, v: Value) -> R<u32> {
        self.hash_depth(v, 0)
    }

    fn hash_depth(&mut self, v: Value, depth: usize) -> R<u32> {
        // Ints, bools, strs, bytes and the immediates.
        if let Some(h) = self.hash_pure(v) {
            return Ok(h);
        }
        let w = v.word();
        match self.heap.tag(w) {
            tag::FLOAT => {
                let f = self.float_val(v).unwrap_or(0.0);
                // Equal numbers hash alike: an integral float hashes as
                // the int it equals, an i64 or a big int.
                if floor(f) == f
                    && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
                {
                    return Ok(int_hash(f as i64));
                }
                #[cfg(all(feature = "bigint", feature = "float"))]
                if f.is_finite() && floor(f) == f {
                    return Ok(crate::obj::bigint::float_big_hash(f));
                }
                let b = f.to_bits();
                Ok((b ^ (b >> 32)) as u32)
            }
            tag::TUPLE => {
                let n = self.heap.w(w + 1) as usize;
                let mut h: u32 = 0x345678;
                if depth > EQ_DEPTH {
                    // Deeper tuples hash by length only: still consistent
                    // with equality, and bounded on the Rust stack.
                    return Ok(h ^ n as u32);
                }
                for i in 0..n {
                    let x = self.heap.v(w + 2 + i);
                    let hx = self.hash_depth(x, depth + 1)?;
                    h = (h ^ hx).wrapping_mul(1_000_003);
                }
                Ok(h ^ n as u32)
            }
            tag::LIST | tag::DICT | tag::DICTVIEW | tag::SET | tag::BYTEARRAY => {
                self.raise_type(ErrMsg::Unhashable, v)
            }
            tag::FROZENSET => {
                // Order-independent: the xor of the items' hashes.
                let mut h: u32 = 0x1f2e3d4c;
                let mut i = 0;
                while i < self.dict_used(v) {
                    if let Some((k, _)) = self.dict_entry(v, i) {
                        h ^= self.hash_depth(k, depth + 1)?.wrapping_mul(0x9e37_79b9);
                    }
                    i += 1;
                }
                Ok(h)
            }
            // An instance hashes by identity; a str, int or tuple
            // subclass's as its base (an unhashable base raises).
            _ => match self.native_base(v) {
                Some(b) => self.hash_depth(b, depth),
                None => Ok(v.0),
            },
        }
    }

    /// `a == b` without calling Python code (identity first): what a
    /// dict's key lookup and an instance without `__eq__` need. Dicts
    /// (never keys) compare in [`Vm::eq_host`] only; so do lists, which
    /// share the tuple's arm here.
    pub(crate) fn eq(&self, a: Value, b: Value) -> bool {
        self.eq_depth(a, b, 0)
    }

    pub(crate) fn eq_depth(&self, a: Value, b: Value, depth: usize) -> bool {
        if a == b {
            return depth > 0 || !self.float_val(a).is_some_and(f64::is_nan);
        }
        if self.is(a, tag::INST) || self.is(b, tag::INST) {
            return self.eq_native(a, b, depth);
        }
        if let Some(o) = self.num_order(a, b) {
            return o == Some(core::cmp::Ordering::Equal);
        }
        if a.is_image_str() || b.is_image_str() {
            return self.str_eq(a, b);
        }
        if !a.is_obj() || !b.is_obj() || depth > EQ_DEPTH {
            return false;
        }
        if let Some(e) = self.bytes_eq(a, b) {
            return e;
        }
        // set == frozenset compares as sets.
        let norm = |t: u32| if t == tag::FROZENSET { tag::SET } else { t };
        let (ta, tb) = (norm(self.heap.tag(a.word())), norm(self.heap.tag(b.word())));
        if ta != tb {
            return false;
        }
        match ta {
            tag::STR => self.str_eq(a, b),
            tag::TUPLE | tag::LIST => {
                let (ba, na) = self.seq_items(a).unwrap_or((0, 0));
                let (bb, nb) = self.seq_items(b).unwrap_or((0, 0));
                na == nb
                    && (0..na)
                        .all(|i| self.eq_depth(self.heap.v(ba + i), self.heap.v(bb + i), depth + 1))
            }
            tag::SLICE => (1..4).all(|i| {
                let (x, y) = (self.heap.v(a.word() + i), self.heap.v(b.word() + i));
                self.eq_depth(x, y, depth + 1)
            }),
            tag::RANGE => {
                // Equal as sequences: same length, first item and step.
                let (a0, a1, as_) = self.range_parts(a);
                let (b0, b1, bs) = self.range_parts(b);
                let (na, nb) = (
                    crate::obj::range::range_len(a0, a1, as_),
                    crate::obj::range::range_len(b0, b1, bs),
                );
                na == nb && (na == 0 || (a0 == b0 && (na == 1 || as_ == bs)))
            }
            tag::SET => {
                self.dict_len(a) == self.dict_len(b)
                    && (0..self.dict_used(a)).all(|i| match self.dict_entry(a, i) {
                        None => true,
                        Some((k, _)) => self
                            .hash_pure(k)
                            .and_then(|h| self.dict_get_h(b, k, h))
                            .is_some(),
                    })
            }
            _ => false,
        }
    }

    /// The ordering of two numbers (ints, bools, floats, big ints; the
    /// inner `None` against NaN), or `None` unless both are numbers: the
    /// one numeric path of `==` and of the orderings. Out of line where big
    /// ints make it long (inlined without them, the minimal build, where it
    /// is two comparisons: +28 bytes out of line there).
    #[cfg_attr(feature = "bigint", inline(never))]
    #[cfg_attr(not(feature = "bigint"), inline(always))]
    fn num_order(&self, a: Value, b: Value) -> Option<Option<core::cmp::Ordering>> {
        if let (Some(x), Some(y)) = (self.int_val(a), self.int_val(b)) {
            return Some(Some(x.cmp(&y)));
        }
        #[cfg(feature = "bigint")]
        if let (Some(x), Some(y)) = (self.big_of(a), self.big_of(b)) {
            return Some(Some(self.big_cmp(&x, &y)));
        }
        #[cfg(all(feature = "bigint", feature = "float"))]
        if let Some(o) = self.int_float_cmp(a, b) {
            return Some(o);
        }
        let (x, y) = (self.num_as_f64(a)?, self.num_as_f64(b)?);
        Some(x.partial_cmp(&y))
    }

    /// The exact ordering of an int and a float (either way round; the
    /// inner `None` against NaN), or `None` unless one of each.
    #[cfg(all(feature = "bigint", feature = "float"))]
    fn int_float_cmp(&self, a: Value, b: Value) -> Option<Option<core::cmp::Ordering>> {
        if let (Some(x), Some(f)) = (self.big_of(a), self.float_val(b)) {
            return Some(self.big_cmp_f64(&x, f));
        }
        let (f, y) = (self.float_val(a)?, self.big_of(b)?);
        Some(self.big_cmp_f64(&y, f).map(core::cmp::Ordering::reverse))
    }

    /// Hash without raising (None for unhashable).
    fn hash_pure(&self, v: Value) -> Option<u32> {
        if v.is_small() {
            return Some(v.small_val() as u32);
        }
        if self.is_str(v) || self.is(v, tag::BYTES) {
            return Some(self.str_hash(v));
        }
        if let Some(i) = self.int_val(v) {
            return Some(int_hash(i));
        }
        if !v.is_obj() {
            return Some(v.0);
        }
        #[cfg(feature = "bigint")]
        if let Some(x) = self.big_of(v).filter(|_| self.is_big(v)) {
            return Some(self.big_hash(&x));
        }
        None
    }

    /// `a <op> b` honouring the comparison methods of user instances
    /// (and their reflections), also inside lists, tuples and dict values
    /// when they are compared for equality; for `COMPARE_OP` and natives
    /// such as `sorted` and `max`.
    pub(crate) fn compare_host(
        &mut self,
        host: &mut Hx<'_>,
        op: CmpOp,
        a: Value,
        b: Value,
    ) -> R<bool> {
        match op {
            CmpOp::Eq => self.eq_host(host, a, b, 0),
            CmpOp::Ne => Ok(!self.eq_host(host, a, b, 0)?),
            _ => self.order(host, op, a, b, 0),
        }
    }

    /// `a <op> b` for the orderings, the one ordering recursion: user
    /// methods when an instance is on either side ([`Vm::compare_dunder`]);
    /// numbers, strs, bytes, sets (inclusion); lists and tuples compare
    /// their first items that differ (found by [`Vm::eq_host`], identity
    /// first) with `op` again, so instances inside them order by their
    /// methods, or their lengths when one is a prefix of the other, as
    /// CPython. The sequences are rooted while Python code runs and re-read
    /// after each item. Anything else raises `TypeError`.
    fn order(&mut self, host: &mut Hx<'_>, op: CmpOp, a: Value, b: Value, depth: usize) -> R<bool> {
        if self.is(a, tag::INST) || self.is(b, tag::INST) {
            let r = self.compare_dunder(host, op, a, b)?;
            return self.truth_host(host, r);
        }
        let ord = if let Some(o) = self.num_order(a, b) {
            o
        } else if self.is_str(a) && self.is_str(b) {
            Some(self.str_bytes(a).cmp(self.str_bytes(b)))
        } else if let (Some(x), Some(y)) = (self.bytes_data(a), self.bytes_data(b)) {
            Some(x.cmp(y))
        } else if self.is_anyset(a) && self.is_anyset(b) {
            let (la, lb) = (self.dict_len(a), self.dict_len(b));
            return Ok(match op {
                CmpOp::Le => self.set_subset(a, b)?,
                CmpOp::Lt => la < lb && self.set_subset(a, b)?,
                CmpOp::Ge => self.set_subset(b, a)?,
                _ => la > lb && self.set_subset(b, a)?,
            });
        } else {
            let seq = (self.is(a, tag::TUPLE) && self.is(b, tag::TUPLE))
                || (self.is(a, tag::LIST) && self.is(b, tag::LIST));
            if !seq || depth > EQ_DEPTH {
                return self.raise_unorderable(op, a, b);
            }
            let m = self.root(a);
            self.root(b);
            let mut i = 0;
            let r = loop {
                let (ba, na) = self.seq_items(a).unwrap_or((0, 0));
                let (bb, nb) = self.seq_items(b).unwrap_or((0, 0));
                if i >= na || i >= nb {
                    break Ok(op_holds(op, Some(na.cmp(&nb))));
                }
                let (x, y) = (self.heap.v(ba + i), self.heap.v(bb + i));
                match self.eq_host(host, x, y, 1) {
                    Ok(true) => i += 1,
                    Ok(false) => break self.order(host, op, x, y, depth + 1),
                    Err(e) => break Err(e),
                }
            };
            self.unroot(m);
            return r;
        };
        Ok(op_holds(op, ord))
    }

    /// `a == b` as a container compares an item (`in`, `index`, `count`,
    /// `remove`): identity first, then [`Vm::eq_host`], as CPython's
    /// `PyObject_RichCompareBool`.
    pub(crate) fn eq_item_host(&mut self, host: &mut Hx<'_>, a: Value, b: Value) -> R<bool> {
        self.eq_host(host, a, b, 1)
    }

    /// `a == b` with a user `__eq__` deciding wherever an instance meets
    /// a value, also as an item of equal-length lists or tuples or as a
    /// dict's value (items by identity first: `depth > 0`). Everything
    /// without instances is [`Vm::eq`]'s. The containers are rooted while
    /// Python code runs, and re-read after each item, which that code may
    /// have changed (as CPython, the lengths then decide).
    fn eq_host(&mut self, host: &mut Hx<'_>, a: Value, b: Value, depth: usize) -> R<bool> {
        // Small ints are equal only when identical: `in` and `count` over
        // lists of ints stay a word compare.
        if a.is_small() && b.is_small() {
            return Ok(a == b);
        }
        if depth > 0 && a == b {
            return Ok(true);
        }
        if self.is(a, tag::INST) || self.is(b, tag::INST) {
            let r = self.compare_dunder(host, CmpOp::Eq, a, b)?;
            return self.truth_host(host, r);
        }
        let seq = (self.is(a, tag::TUPLE) && self.is(b, tag::TUPLE))
            || (self.is(a, tag::LIST) && self.is(b, tag::LIST));
        let dict = self.is(a, tag::DICT) && self.is(b, tag::DICT);
        if !(seq || dict) || depth > EQ_DEPTH {
            return Ok(self.eq_depth(a, b, depth));
        }
        let m = self.root(a);
        self.root(b);
        let mut i = 0;
        let r = loop {
            let pair = if seq {
                let (ba, na) = self.seq_items(a).unwrap_or((0, 0));
                let (bb, nb) = self.seq_items(b).unwrap_or((0, 0));
                if i >= na || i >= nb {
                    break Ok(na == nb);
                }
                (self.heap.v(ba + i), Some(self.heap.v(bb + i)))
            } else {
                if i == 0 && self.dict_len(a) != self.dict_len(b) {
                    break Ok(false);
                }
                if i >= self.dict_used(a) {
                    break Ok(true);
                }
                let Some((k, v)) = self.dict_entry(a, i) else {
                    i += 1;
                    continue;
                };
                match self.dict_get(b, k) {
                    Ok(v2) => (v, v2),
                    Err(e) => break Err(e),
                }
            };
            match pair {
                (x, Some(y)) => match self.eq_host(host, x, y, depth + 1) {
                    Ok(true) => i += 1,
                    r => break r,
                },
                _ => break Ok(false),
            }
        };
        self.unroot(m);
        r
    }

    /// `a <op> b` with a user instance on either side, as CPython: the
    /// method of `a`, then the reflection of `b` (`a < b` is `b > a`), each
    /// passed over when it returns `NotImplemented`; `!=` then inverts
    /// `__eq__`; at last `==`/`!=` compare identity and ordering raises
    /// `TypeError`. The method's result is returned as it is.
    pub(crate) fn compare_dunder(
        &mut self,
        host: &mut Hx<'_>,
        op: CmpOp,
        a: Value,
        b: Value,
    ) -> R<Value> {
        const SWAP: [u8; 6] = [4, 5, 2, 3, 0, 1];
        let d = super::Dunder::cmpop(op as u8).unwrap_or(super::Dunder::Eq);
        let rd = super::Dunder::cmpop(SWAP[op as usize % 6]).unwrap_or(super::Dunder::Eq);
        if let Some(r) = self.dunder_pair(host, a, b, d, rd, true)? {
            return Ok(r);
        }
        if op == CmpOp::Ne {
            let eq = super::Dunder::Eq;
            if let Some(r) = self.dunder_pair(host, a, b, eq, eq, true)? {
                let t = self.truth_host(host, r)?;
                return Ok(Value::bool(!t));
            }
        }
        // Then the native bases of builtin types' subclasses.
        let (x, y) = (self.native_of(a), self.native_of(b));
        if x != a || y != b {
            return self.compare_host(host, op, x, y).map(Value::bool);
        }
        match op {
            CmpOp::Eq => Ok(Value::bool(self.eq(a, b))),
            CmpOp::Ne => Ok(Value::bool(!self.eq(a, b))),
            _ => self.raise_unorderable(op, a, b),
        }
    }

    /// `TypeError`: `op` does not order the types of `a` and `b`.
    #[inline(never)]
    fn raise_unorderable<X>(&mut self, op: CmpOp, a: Value, b: Value) -> R<X> {
        let parts = [
            Part::Bytes(op.symbol().as_bytes()),
            Part::TypeOf(a),
            Part::TypeOf(b),
        ];
        self.raise_parts(T::TypeError, ErrMsg::NotOrderableTypes, &parts)
    }

    /// `a op b` through user methods: `a.__op__(b)`, then `b.__rop__(a)`
    /// when `b`'s class is not `a`'s (as CPython: a reflection is for mixed
    /// types), each passed over when it returns `NotImplemented`; `None`
    /// when neither answers (the builtin operators then try, or raise
    /// `TypeError`).
    pub(crate) fn binop_dunder(
        &mut self,
        host: &mut Hx<'_>,
        op: u8,
        a: Value,
        b: Value,
    ) -> R<Option<Value>> {
        let d = super::Dunder::binop(op).unwrap_or(super::Dunder::Add);
        let rd = super::Dunder::rbinop(op).unwrap_or(super::Dunder::RAdd);
        self.dunder_pair(host, a, b, d, rd, false)
    }

    /// The one place reflected methods are tried, for operators and
    /// comparisons: `a.d(b)`, then `b.rd(a)`, the first result that is not
    /// `NotImplemented`, or `None`. A subclass on the right goes first
    /// (CPython: it specialises the left's behaviour), for an operator
    /// only when it overrides `rd`; an operator's reflection is tried for
    /// mixed types only, a comparison's always.
    fn dunder_pair(
        &mut self,
        host: &mut Hx<'_>,
        a: Value,
        b: Value,
        d: super::Dunder,
        rd: super::Dunder,
        cmp: bool,
    ) -> R<Option<Value>> {
        let (ca, cb) = (self.class_of(a), self.class_of(b));
        let mixed = ca != cb;
        let swap = mixed
            && self.is_subclass(cb, ca)
            && (cmp || self.special(b, rd)? != self.special(a, rd)?);
        let order = if swap {
            [(b, a, rd), (a, b, d)]
        } else {
            [(a, b, d), (b, a, rd)]
        };
        let n = if mixed || cmp { 2 } else { 1 };
        for &(x, y, d) in order.iter().take(n) {
            if let Some(f) = self.special(x, d)? {
                let r = self.call_nested(host, f, &[x, y])?;
                if r != Value::NOT_IMPLEMENTED {
                    return Ok(Some(r));
                }
            }
        }
        Ok(None)
    }

    /// Truth value honouring a user `__bool__` or `__len__`.
    pub(crate) fn truth_host(&mut self, host: &mut Hx<'_>, v: Value) -> R<bool> {
        if self.is(v, tag::INST) {
            if let Some(f) = self.special(v, super::Dunder::Bool)? {
                let r = self.call_nested(host, f, &[v])?;
                return Ok(self.truthy(r));
            }
            if let Some(f) = self.special(v, super::Dunder::Len)? {
                let r = self.call_nested(host, f, &[v])?;
                return Ok(self.truthy(r));
            }
            return Ok(self.truthy(self.native_of(v)));
        }
        Ok(self.truthy(v))
    }

    /// Truth value (builtin types; instances are true).
    #[inline]
    pub(crate) fn truthy(&self, v: Value) -> bool {
        if v.is_small() {
            return v.small_val() != 0;
        }
        if !v.is_obj() {
            return !(v == Value::NONE || v == Value::FALSE || v.is_null());
        }
        let w = v.word();
        match self.heap.tag(w) {
            tag::INT => self.int_val(v) != Some(0),
            tag::FLOAT => self.float_val(v) != Some(0.0),
            tag::STR | tag::BYTES => self.heap.w(w + 2) != 0,
            tag::BYTEARRAY => self.heap.w(self.heap.v(w + 1).word() + 2) != 0,
            tag::TUPLE | tag::LIST | tag::DICT | tag::SET | tag::FROZENSET => {
                self.heap.w(w + 1) != 0
            }
            tag::RANGE => {
                let (a, b, c) = self.range_parts(v);
                crate::obj::range::range_len(a, b, c) > 0
            }
            tag::DICTVIEW => self.dict_len(self.heap.v(w + 2)) != 0,
            _ => true,
        }
    }

    /// `a op b`.
    pub(crate) fn binary_op(&mut self, op: u8, a: Value, b: Value) -> R<Value> {
        let inplace = op & BinOp::INPLACE != 0;
        let Some(bop) = BinOp::from_u8(op & !BinOp::INPLACE) else {
            return self.raise(T::TypeError, ErrMsg::UnsupportedOperand);
        };
        if let (Some(x), Some(y)) = (self.int_val(a), self.int_val(b)) {
            // Beyond 2**53 an i64 is inexact as f64: the big path divides
            // exactly and rounds once.
            #[cfg(all(feature = "bigint", feature = "float"))]
            if bop == BinOp::TrueDiv && (x.unsigned_abs() > 1 << 53 || y.unsigned_abs() > 1 << 53) {
                return self.big_binop(bop, a, b);
            }
            return self.int_op(bop, a, b, x, y);
        }
        #[cfg(feature = "bigint")]
        if (self.is_big(a) || self.is_big(b)) && self.is_int(a) && self.is_int(b) {
            return self.big_binop(bop, a, b);
        }
        if let (Some(x), Some(y)) = (self.num_as_f64(a), self.num_as_f64(b)) {
            #[cfg(all(feature = "bigint", feature = "float"))]
            if (x.is_infinite() && self.is_big(a)) || (y.is_infinite() && self.is_big(b)) {
                return self.raise(T::OverflowError, ErrMsg::IntTooLargeForFloat);
            }
            return self.float_op(bop, x, y);
        }
        match bop {
            BinOp::Add => {
                if self.is_str(a) && self.is_str(b) {
                    return self.str_concat(a, b);
                }
                if self.bytes_view(a).is_some() && self.bytes_view(b).is_some() {
                    if inplace && self.is_bytearray(a) {
                        // `ba += x`: in place; a copy when x is ba itself.
                        let src = self.bytes_concat(b, Value::NULL, 1)?;
                        let m = self.root(src);
                        let len = self.bytes_span(a).map_or(0, |s| s.1);
                        let r = self.bytearray_splice(a, len, len, src);
                        self.unroot(m);
                        return r.map(|_| a);
                    }
                    return self.bytes_concat(a, b, 1);
                }
                if self.is(a, tag::LIST) && self.is(b, tag::LIST) {
                    if inplace {
                        self.list_extend_seq(a, b)?;
                        return Ok(a);
                    }
                    return self.seq_concat(a, b, tag::LIST);
                }
                if self.is(a, tag::TUPLE) && self.is(b, tag::TUPLE) {
                    return self.seq_concat(a, b, tag::TUPLE);
                }
                if inplace && self.is(a, tag::LIST) && self.is(b, tag::TUPLE) {
                    self.list_extend_seq(a, b)?;
                    return Ok(a);
                }
            }
            BinOp::Mul => {
                let (s, n) = if let Some(n) = self.int_val(b) {
                    (a, n)
                } else if let Some(n) = self.int_val(a) {
                    (b, n)
                } else {
                    (Value::NULL, 0)
                };
                if self.is_str(s) {
                    return self.str_repeat(s, n);
                }
                if self.bytes_view(s).is_some() {
                    let n = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
                    return self.bytes_concat(s, Value::NULL, n);
                }
                if self.is(s, tag::LIST) || self.is(s, tag::TUPLE) {
                    let r = self.seq_repeat(s, n)?;
                    if inplace && s == a && self.is(a, tag::LIST) {
                        // In place: the list object keeps its identity.
                        let n0 = self.list_len(a);
                        self.list_splice(a, 0, n0, r)?;
                        return Ok(a);
                    }
                    return Ok(r);
                }
            }
            _ => {}
        }
        let seq = |t: T| matches!(t, T::str | T::list | T::tuple | T::bytes | T::bytearray);
        let (ta, tb) = (self.type_of(a), self.type_of(b));
        if bop == BinOp::Mul && (seq(ta) || seq(tb)) {
            let other = if seq(ta) { b } else { a };
            let parts = [Part::TypeOf(other)];
            return self.raise_parts(T::TypeError, ErrMsg::SeqMulNonInt, &parts);
        }
        // `+=` and its kin name themselves, as CPython.
        let op = bop.symbol().as_bytes();
        let mut sym = [b'='; 3];
        for (d, s) in sym.iter_mut().zip(op) {
            *d = *s;
        }
        let sym = sym.get(..op.len() + usize::from(inplace)).unwrap_or(op);
        let parts = [Part::Bytes(sym), Part::TypeOf(a), Part::TypeOf(b)];
        self.raise_parts(T::TypeError, ErrMsg::OperandTypes, &parts)
    }

    /// `x op y` for two ints that fit an i64 (`a` and `b` are their
    /// values): i64 arithmetic, and on overflow the big-int path (feature
    /// `bigint`; `OverflowError` without). One call serves every overflow,
    /// where 128-bit arithmetic per operation was several times the code
    /// on a 32-bit core.
    fn int_op(&mut self, op: BinOp, a: Value, b: Value, x: i64, y: i64) -> R<Value> {
        let r = match op {
            BinOp::Add => x.checked_add(y),
            BinOp::Sub => x.checked_sub(y),
            BinOp::Mul => x.checked_mul(y),
            BinOp::FloorDiv | BinOp::Mod => {
                if y == 0 {
                    let m = if op == BinOp::Mod {
                        ErrMsg::IntModuloByZero
                    } else {
                        ErrMsg::ModuloByZero
                    };
                    return self.raise(T::ZeroDivisionError, m);
                }
                // `None` only for i64::MIN // -1 (the quotient is 2**63).
                floor_divmod(x, y).map(|(q, r)| if op == BinOp::FloorDiv { q } else { r })
            }
            BinOp::TrueDiv => {
                if y == 0 {
                    return self.raise(T::ZeroDivisionError, ErrMsg::DivisionByZero);
                }
                // Without floats `float_new` raises; `cfg!` drops the
                // soft-float division with the dead operand.
                return self.float_new(if cfg!(feature = "float") {
                    x as f64 / y as f64
                } else {
                    0.0
                });
            }
            BinOp::Pow => {
                if y < 0 {
                    if x == 0 {
                        return self.raise(T::ZeroDivisionError, ErrMsg::DivisionByZero);
                    }
                    return self.float_new(if cfg!(feature = "float") {
                        powi(x as f64, y)
                    } else {
                        0.0
                    });
                }
                ipow(x, y as u64)
            }
            BinOp::LShift | BinOp::RShift => {
                if y < 0 {
                    return self.raise(T::ValueError, ErrMsg::NegativeShift);
                }
                let s = y.min(63) as u32;
                if op == BinOp::RShift {
                    Some(x >> s)
                } else if x == 0 {
                    Some(0)
                } else {
                    // Exact when shifting back gives x (and y < 64).
                    Some(x << s).filter(|r| y < 64 && r >> s == x)
                }
            }
            BinOp::And | BinOp::Or | BinOp::Xor => {
                let r = match op {
                    BinOp::And => x & y,
                    BinOp::Or => x | y,
                    _ => x ^ y,
                };
                // bool & bool is a bool, as in CPython.
                let is_bool = |v: Value| v == Value::TRUE || v == Value::FALSE;
                if is_bool(a) && is_bool(b) {
                    return Ok(Value::bool(r != 0));
                }
                Some(r)
            }
            BinOp::MatMul => return self.raise_s(T::TypeError, ErrMsg::UnsupportedOperand, b"@"),
        };
        match r {
            Some(r) => self.int_from_i64(r),
            #[cfg(feature = "bigint")]
            None => self.big_binop(op, a, b),
            #[cfg(not(feature = "bigint"))]
            None => {
                let _ = (a, b);
                self.raise(T::OverflowError, ErrMsg::IntOverflow)
            }
        }
    }

    fn float_op(&mut self, op: BinOp, x: f64, y: f64) -> R<Value> {
        let r = match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::TrueDiv | BinOp::FloorDiv | BinOp::Mod => {
                if y == 0.0 {
                    let m = match op {
                        BinOp::TrueDiv => ErrMsg::FloatDivisionByZero,
                        BinOp::FloorDiv => ErrMsg::FloatFloorDivByZero,
                        _ => ErrMsg::FloatModuloByZero,
                    };
                    return self.raise(T::ZeroDivisionError, m);
                }
                match op {
                    BinOp::TrueDiv => x / y,
                    BinOp::FloorDiv => floor(x / y),
                    _ => fmod_py(x, y),
                }
            }
            BinOp::Pow => {
                if floor(y) == y && y.abs() < 1e9 {
                    if x == 0.0 && y < 0.0 {
                        return self.raise(T::ZeroDivisionError, ErrMsg::DivisionByZero);
                    }
                    powi(x, y as i64)
                } else {
                    match crate::obj::fmath::powf(x, y) {
                        Some(r) => r,
                        None => return self.raise(T::ValueError, ErrMsg::NegativeFractionalPower),
                    }
                }
            }
            _ => {
                return self.raise_s(
                    T::TypeError,
                    ErrMsg::UnsupportedOperand,
                    op.symbol().as_bytes(),
                )
            }
        };
        self.float_new(r)
    }

    /// Unary operators: `n` is the opcode.
    pub(crate) fn unary_op(&mut self, op: p14p_protocol::opcode::Op, a: Value) -> R<Value> {
        use p14p_protocol::opcode::Op;
        if let Some(x) = self.int_val(a) {
            let r = match op {
                Op::UNARY_NEGATIVE => x.checked_neg(),
                Op::UNARY_POSITIVE => Some(x),
                _ => Some(!x),
            };
            // -i64::MIN: the big-int path below, or OverflowError.
            match r {
                Some(r) => return self.int_from_i64(r),
                #[cfg(not(feature = "bigint"))]
                None => return self.raise(T::OverflowError, ErrMsg::IntOverflow),
                #[cfg(feature = "bigint")]
                None => {}
            }
        }
        #[cfg(feature = "bigint")]
        if let Some(x) = self.big_of(a) {
            return self.big_unary(
                x,
                match op {
                    Op::UNARY_NEGATIVE => 0,
                    Op::UNARY_POSITIVE => 1,
                    _ => 2,
                },
            );
        }
        if let Some(f) = self.float_val(a) {
            match op {
                Op::UNARY_NEGATIVE => return self.float_new(-f),
                Op::UNARY_POSITIVE => return Ok(a),
                _ => {}
            }
        }
        let sym: &[u8] = match op {
            Op::UNARY_NEGATIVE => b"-",
            Op::UNARY_POSITIVE => b"+",
            _ => b"~",
        };
        self.raise_s(T::TypeError, ErrMsg::BadUnaryOperand, sym)
    }

    /// New list or tuple `a + b`.
    fn seq_concat(&mut self, a: Value, b: Value, t: u32) -> R<Value> {
        let na = self.seq_items(a).map_or(0, |s| s.1);
        let nb = self.seq_items(b).map_or(0, |s| s.1);
        let r = if t == tag::LIST {
            self.list_new(na + nb)?
        } else {
            self.tuple_new(na + nb)?
        };
        let (ba, _) = self.seq_items(a).unwrap_or((0, 0));
        let (bb, _) = self.seq_items(b).unwrap_or((0, 0));
        if t == tag::LIST {
            self.heap.set(r.word() + 1, (na + nb) as u32);
        }
        let (br, _) = self.seq_items(r).unwrap_or((0, 0));
        if na > 0 {
            self.heap.arena.copy_within(ba..ba + na, br);
        }
        if nb > 0 {
            self.heap.arena.copy_within(bb..bb + nb, br + na);
        }
        Ok(r)
    }

    /// New list or tuple `s * n`.
    fn seq_repeat(&mut self, s: Value, n: i64) -> R<Value> {
        let is_list = self.is(s, tag::LIST);
        let len = self.seq_items(s).map_or(0, |x| x.1);
        let n = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
        let Some(total) = len.checked_mul(n).filter(|&t| t < (1 << 22)) else {
            return Err(self.raise_oom());
        };
        let r = if is_list {
            self.list_new(total)?
        } else {
            self.tuple_new(total)?
        };
        if is_list {
            self.heap.set(r.word() + 1, total as u32);
        }
        let (bs, _) = self.seq_items(s).unwrap_or((0, 0));
        let (br, _) = self.seq_items(r).unwrap_or((0, 0));
        // Nothing to copy for an empty sequence, whatever `n` is: no loop
        // over `n` (a billion empty copies would never reach a poll).
        if len > 0 {
            for k in 0..n {
                self.heap.arena.copy_within(bs..bs + len, br + k * len);
            }
        }
        Ok(r)
    }

    /// `list.extend(seq)` for a list or tuple `seq`.
    pub(crate) fn list_extend_seq(&mut self, l: Value, seq: Value) -> R<()> {
        let (_, k) = self.seq_items(seq).unwrap_or((0, 0));
        let n = self.list_len(l);
        let m = self.root(seq);
        let r = self.list_reserve(l, n + k);
        self.unroot(m);
        r?;
        if k > 0 {
            let (sb, _) = self.seq_items(seq).unwrap_or((0, 0));
            let b = self.list_base(l);
            self.heap.arena.copy_within(sb..sb + k, b + n);
            self.heap.set(l.word() + 1, (n + k) as u32);
        }
        Ok(())
    }

    /// Normalizes index `i` against `len`; `IndexError` when out of range.
    pub(crate) fn index(&mut self, i: Value, len: usize, what: &[u8]) -> R<usize> {
        let Some(i) = self.int_val(i) else {
            return self.index_other(i, len, what);
        };
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            return self.raise_s(T::IndexError, ErrMsg::IndexRange, what);
        }
        Ok(j as usize)
    }

    /// [`Vm::index`] of a value that is no int: an int subclass's instance
    /// indexes by its base; anything else is a `TypeError`.
    #[inline(never)]
    fn index_other(&mut self, i: Value, len: usize, what: &[u8]) -> R<usize> {
        match self.native_base(i).filter(|b| self.int_val(*b).is_some()) {
            Some(b) => self.index(b, len, what),
            None => self.raise_type(ErrMsg::IndexType, i),
        }
    }

    /// `slice.indices(len)`: `(start, stop, step)` in the machine's word,
    /// the ends clamped to the sequence as CPython's
    /// `PySlice_GetLongIndices` (a range's slice scales them).
    ///
    /// Exact for every int bound and step: an int past `-len - 2..=len + 2`
    /// selects the same items as any larger one of its sign (a bound clamps
    /// to the sequence anyway; a step that large takes at most one item), so
    /// each is saturated once, far beyond that, and the rest is word
    /// arithmetic, never 64-bit. A saturated step is still 1 only when it
    /// was 1, and `start + i * step` stays in the sequence for `i < count`.
    /// Who needs the step itself (a range's slice) reads it from the slice.
    pub(crate) fn slice_bounds(&mut self, s: Value, len: usize) -> R<(isize, isize, isize)> {
        /// Beyond every sequence's `len + 2` (lengths are heap counts) and
        /// far from overflowing the word in the sums below.
        const SAT: i64 = (isize::MAX >> 2) as i64;
        let sat = |x: i64| x.clamp(-SAT, SAT) as isize;
        let w = s.word();
        let c = self.heap.v(w + 3);
        let step = if c == Value::NONE {
            1
        } else {
            match self.int_val(c) {
                Some(0) => return self.raise_s(T::ValueError, ErrMsg::ValueRange, b"slice step"),
                Some(x) => sat(x),
                None => return self.raise_type(ErrMsg::IndexType, c),
            }
        };
        let len = len as isize;
        // start, then stop; each defaults to an end, in the step's direction.
        let mut ends = if step > 0 { [0, len] } else { [len - 1, -1] };
        for (j, end) in ends.iter_mut().enumerate() {
            let v = self.heap.v(w + 1 + j);
            if v == Value::NONE {
                continue;
            }
            let Some(x) = self.int_val(v) else {
                return self.raise_type(ErrMsg::IndexType, v);
            };
            let mut x = sat(x);
            if x < 0 {
                x += len;
                if x < 0 {
                    x = if step < 0 { -1 } else { 0 };
                }
            } else if x >= len {
                x = if step < 0 { len - 1 } else { len };
            }
            *end = x;
        }
        let [start, stop] = ends;
        Ok((start, stop, step))
    }

    /// A slice of `len` items as `(start, step, count)`: item `i < count`
    /// is at `start + i * step` (see [`Vm::slice_bounds`]).
    pub(crate) fn slice_indices(&mut self, s: Value, len: usize) -> R<(isize, isize, usize)> {
        let (start, stop, step) = self.slice_bounds(s, len)?;
        // Both ends are within -1..=len: no difference overflows.
        let count = if step > 0 {
            if stop > start {
                (stop - start - 1) / step + 1
            } else {
                0
            }
        } else if start > stop {
            (start - stop - 1) / -step + 1
        } else {
            0
        };
        Ok((start, step, count as usize))
    }

    /// `c[k]`.
    pub(crate) fn getitem(&mut self, c: Value, k: Value) -> R<Value> {
        if self.is_str(c) {
            return self.str_getitem(c, k);
        }
        if !c.is_obj() {
            return self.raise_type(ErrMsg::NotSubscriptable, c);
        }
        let cw = c.word();
        let t = self.heap.tag(cw);
        match t {
            tag::LIST | tag::TUPLE => {
                let (base, n) = self.seq_items(c).unwrap_or((0, 0));
                if self.is(k, tag::SLICE) {
                    let (start, step, count) = self.slice_indices(k, n)?;
                    let r = if t == tag::LIST {
                        let r = self.list_new(count)?;
                        self.heap.set(r.word() + 1, count as u32);
                        r
                    } else {
                        self.tuple_new(count)?
                    };
                    let (base, _) = self.seq_items(c).unwrap_or((0, 0));
                    let (rb, _) = self.seq_items(r).unwrap_or((0, 0));
                    for i in 0..count {
                        let x = self.heap.v(base + (start + i as isize * step) as usize);
                        self.heap.setv(rb + i, x);
                    }
                    return Ok(r);
                }
                let what: &[u8] = if t == tag::LIST { b"list" } else { b"tuple" };
                let i = self.index(k, n, what)?;
                Ok(self.heap.v(base + i))
            }
            tag::DICT => match self.dict_get(c, k)? {
                Some(v) => Ok(v),
                None => self.raise_key(k),
            },
            tag::BYTES | tag::BYTEARRAY => self.bytes_getitem(c, k),
            tag::RANGE => {
                let (a, b, s) = self.range_parts(c);
                let n = crate::obj::range::range_len(a, b, s) as usize;
                if self.is(k, tag::SLICE) {
                    // A range of a range: start, stop and step scale.
                    // As CPython's compute_slice: the clamped ends scale.
                    let (start, stop, _) = self.slice_bounds(k, n)?;
                    // The step as given, not saturated (it scales).
                    let step = self.int_val(self.heap.v(k.word() + 3)).unwrap_or(1);
                    let a2 = a + start as i64 * s;
                    let fits = |x: i64| i32::try_from(x).is_ok();
                    let s2 = step.checked_mul(s).filter(|&x| fits(x));
                    let Some(s2) = s2.filter(|_| fits(a2)) else {
                        return self.raise(T::OverflowError, ErrMsg::IntOverflow);
                    };
                    // |a|, |s| < 2^31 and -1 <= stop <= n < 2^32: no i64
                    // overflow.
                    let b2 = a + stop as i64 * s;
                    if !fits(b2) {
                        return self.raise(T::OverflowError, ErrMsg::IntOverflow);
                    }
                    return self.range_new(a2 as i32, b2 as i32, s2 as i32);
                }
                let i = self.index(k, n, b"range object")?;
                self.int_from_i64(a + i as i64 * s)
            }
            _ => match self.native_base(c) {
                Some(b) => self.getitem(b, k),
                None => self.raise_type(ErrMsg::NotSubscriptable, c),
            },
        }
    }

    /// `KeyError(k)`: `args` is `(k,)`, the reported detail `repr(k)`.
    /// Always inlined around one out-of-line builder, as the `raise`
    /// helpers: one copy of the work, not one per result type.
    #[inline(always)]
    pub(crate) fn raise_key<X>(&mut self, k: Value) -> R<X> {
        self.throw_key(k);
        Err(super::Raised)
    }

    /// [`Vm::raise_key`]'s work (a MemoryError if the heap cannot hold it).
    #[inline(never)]
    fn throw_key(&mut self, k: Value) {
        let m = self.root(k);
        let r = (|| {
            let s = self.repr_of(k)?;
            self.root(s);
            let args = self.tuple_new(1)?;
            self.heap.setv(args.word() + 2, k);
            self.exc_new(T::KeyError, ErrMsg::KeyMissing as u32, args, s)
        })();
        self.unroot(m);
        // On failure the allocation already recorded its MemoryError.
        if let Ok(e) = r {
            self.exc = e;
            self.tb_reset();
        }
    }

    /// `c[k] = v`.
    pub(crate) fn setitem(&mut self, host: &mut Hx<'_>, c: Value, k: Value, v: Value) -> R<()> {
        if self.is(c, tag::LIST) {
            let n = self.list_len(c);
            if self.is(k, tag::SLICE) {
                let (start, step, count) = self.slice_indices(k, n)?;
                // The new items as a tuple (never aliasing the list).
                let m = self.root(k);
                let items = self.seq_as_tuple(host, v);
                self.unroot(m);
                let items = items?;
                let (_, kn) = self.seq_items(items).unwrap_or((0, 0));
                if step == 1 {
                    let lo = start as usize;
                    return self.list_splice(c, lo, lo + count, items);
                }
                if kn != count {
                    let parts = [Part::Num(kn), Part::Num(count)];
                    return self.raise_parts(T::ValueError, ErrMsg::ExtendedSlice, &parts);
                }
                let (ib, _) = self.seq_items(items).unwrap_or((0, 0));
                let b = self.list_base(c);
                for i in 0..count {
                    let x = self.heap.v(ib + i);
                    self.heap.setv(b + (start + i as isize * step) as usize, x);
                }
                return Ok(());
            }
            let i = self.index(k, n, b"list assignment")?;
            let b = self.list_base(c);
            self.heap.setv(b + i, v);
            return Ok(());
        }
        if self.is(c, tag::DICT) {
            return self.dict_set(c, k, v);
        }
        if self.is_bytearray(c) {
            return self.bytearray_setitem(host, c, k, v);
        }
        if let Some(b) = self.native_base(c) {
            return self.setitem(host, b, k, v);
        }
        self.raise_type(ErrMsg::NoItemAssignment, c)
    }

    /// A tuple with the items of iterable `v` (a copy for lists, so it never
    /// aliases the list being assigned to).
    fn seq_as_tuple(&mut self, host: &mut Hx<'_>, v: Value) -> R<Value> {
        if let Some((b, n)) = self.seq_items(v).filter(|_| !self.is(v, tag::TUPLE)) {
            return self.tuple_from_words(b, n);
        }
        self.tuple_from_iter(host, v)
    }

    /// `del c[k]`.
    pub(crate) fn delitem(&mut self, c: Value, k: Value) -> R<()> {
        if self.is(c, tag::LIST) {
            let n = self.list_len(c);
            if self.is(k, tag::SLICE) {
                let (start, step, count) = self.slice_indices(k, n)?;
                if count == 0 {
                    return Ok(());
                }
                let (lo, step) = if step < 0 {
                    (start + (count as isize - 1) * step, -step)
                } else {
                    (start, step)
                };
                let lo = lo as usize;
                let step = step as usize;
                let b = self.list_base(c);
                // Compact: keep items not at lo + j*step (j < count).
                let mut dst = lo;
                for src in lo..n {
                    let off = src - lo;
                    if off.is_multiple_of(step) && off / step < count {
                        continue;
                    }
                    let x = self.heap.v(b + src);
                    self.heap.setv(b + dst, x);
                    dst += 1;
                }
                self.list_truncate(c, dst);
                return Ok(());
            }
            let i = self.index(k, n, b"list assignment")?;
            self.list_remove_at(c, i);
            return Ok(());
        }
        if self.is_bytearray(c) {
            return self.bytearray_delitem(c, k);
        }
        if self.is(c, tag::DICT) {
            return match self.dict_del(c, k)? {
                Some(_) => Ok(()),
                None => self.raise_key(k),
            };
        }
        if let Some(b) = self.native_base(c) {
            return self.delitem(b, k);
        }
        self.raise_type(ErrMsg::NoItemDeletion, c)
    }

    /// `x in c`. Out of line: `CONTAINS_OP` is one call in the loop.
    #[inline(never)]
    pub(crate) fn contains(&mut self, host: &mut Hx<'_>, x: Value, c: Value) -> R<bool> {
        if let Some(f) = self.special(c, super::Dunder::Contains)? {
            let r = self.call_nested(host, f, &[c, x])?;
            return Ok(self.truthy(r));
        }
        let c = self.native_of(c);
        if self.seq_items(c).is_some() {
            return Ok(self.seq_find(host, c, x, 0, usize::MAX)?.is_some());
        }
        if self.is_str(c) {
            let x = self.native_of(x);
            if !self.is_str(x) {
                return self.raise_type(ErrMsg::NeedStr, x);
            }
            return Ok(self.str_find(c, x, 0).is_some());
        }
        if self.bytes_view(c).is_some() {
            return self.bytes_contains(c, x);
        }
        if self.is(c, tag::DICT) || self.is_anyset(c) {
            return Ok(self.dict_get(c, x)?.is_some());
        }
        if self.is(c, tag::DICTVIEW) && self.heap.w(c.word() + 1) == 0 {
            let d = self.heap.v(c.word() + 2);
            return Ok(self.dict_get(d, x)?.is_some());
        }
        if self.is(c, tag::RANGE) {
            let (a, b, s) = self.range_parts(c);
            let Some(i) = self.int_val(x) else {
                return Ok(false);
            };
            let n = crate::obj::range::range_len(a, b, s);
            let k = (i - a) / s;
            return Ok((i - a) % s == 0 && k >= 0 && k < n);
        }
        // Any other iterable: iterate.
        let it = self.iter_of(host, c)?;
        let m = self.root(it);
        self.root(x);
        let r = loop {
            match self.iter_next(host, it) {
                Ok(Some(v)) => match self.eq_item_host(host, v, x) {
                    Ok(false) => {}
                    r => break r,
                },
                Ok(None) => break Ok(false),
                Err(e) => break Err(e),
            }
        };
        self.unroot(m);
        r
    }

    /// The first index in `lo..hi` of list or tuple `s` whose item equals
    /// `x` ([`Vm::eq_item_host`]: `x in s`, `index`, `remove`). The length
    /// is re-read after each item, as a user `__eq__` may change it.
    pub(crate) fn seq_find(
        &mut self,
        host: &mut Hx<'_>,
        s: Value,
        x: Value,
        lo: usize,
        hi: usize,
    ) -> R<Option<usize>> {
        let m = self.root(s);
        self.root(x);
        let mut i = lo;
        let r = loop {
            let Some((b, _)) = self.seq_items(s).filter(|&(_, n)| i < n.min(hi)) else {
                break Ok(None);
            };
            match self.eq_item_host(host, self.heap.v(b + i), x) {
                Ok(false) => i += 1,
                Ok(true) => break Ok(Some(i)),
                Err(e) => break Err(e),
            }
        };
        self.unroot(m);
        r
    }
}

/// Floor division and modulo (Python semantics), `y != 0`. `None` when
/// the quotient leaves i64 (only `i64::MIN // -1`, whose quotient is
/// 2**63): the callers promote that one case, so no 128-bit division
/// (a kilobyte of code on a 32-bit core) is ever needed.
pub fn floor_divmod(x: i64, y: i64) -> Option<(i64, i64)> {
    let mut q = x.checked_div(y)?;
    let mut r = x.wrapping_rem(y);
    if r != 0 && ((r < 0) != (y < 0)) {
        q -= 1;
        r += y;
    }
    Some((q, r))
}

/// `x ** e`, `None` when the result leaves i64 (the caller promotes to a
/// big int or raises `OverflowError`).
pub fn ipow(x: i64, mut e: u64) -> Option<i64> {
    let mut base = x;
    let mut acc: i64 = 1;
    while e > 0 {
        if e & 1 == 1 {
            acc = acc.checked_mul(base)?;
        }
        e >>= 1;
        if e > 0 {
            // Squared only while a higher bit of `e` will multiply it into
            // `acc`: if the square overflows (|x| >= 2), so does the result.
            base = base.checked_mul(base)?;
        }
    }
    Some(acc)
}

/// `x ** e` for float base and integer exponent.
pub fn powi(x: f64, e: i64) -> f64 {
    let n = e.unsigned_abs();
    let r = pow_u(x, n);
    if e >= 0 {
        r
    } else if r.is_infinite() {
        // `x ** -n` may be a subnormal whose reciprocal overflows
        // (`2.0 ** -1074`): power the reciprocal instead (exact for a
        // power of two).
        pow_u(1.0 / x, n)
    } else {
        1.0 / r
    }
}

/// `x ** n` by squaring.
fn pow_u(x: f64, mut n: u64) -> f64 {
    let mut r = 1.0;
    let mut b = x;
    while n > 0 {
        if n & 1 == 1 {
            r *= b;
        }
        b *= b;
        n >>= 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::{floor_divmod, ipow};

    #[test]
    fn floor_divmod_follows_python_and_flags_the_one_overflow() {
        assert_eq!(floor_divmod(-7, 2), Some((-4, 1)));
        assert_eq!(floor_divmod(7, -2), Some((-4, -1)));
        assert_eq!(floor_divmod(-7, -2), Some((3, -1)));
        assert_eq!(floor_divmod(i64::MIN, 1), Some((i64::MIN, 0)));
        assert_eq!(floor_divmod(i64::MIN, 7), Some((-1317624576693539402, 6)));
        assert_eq!(floor_divmod(i64::MIN, -1), None);
    }

    #[test]
    fn ipow_is_exact_within_i64_and_none_beyond() {
        assert_eq!(ipow(2, 62), Some(1 << 62));
        assert_eq!(ipow(-2, 63), Some(i64::MIN));
        assert_eq!(ipow(2, 63), None);
        assert_eq!(ipow(-2, 64), None);
        assert_eq!(ipow(3, 39), Some(4052555153018976267));
        assert_eq!(ipow(3, 40), None);
        assert_eq!(ipow(0, 0), Some(1));
        assert_eq!(ipow(-1, u64::MAX), Some(-1));
        assert_eq!(ipow(1, u64::MAX), Some(1));
    }
}
