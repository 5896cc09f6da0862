//! `int`: 31-bit small ints in the value word, and boxed i64 beyond.
//!
//! A boxed int is `[header, low word, high word]`. Results that do not fit
//! 64 bits become big ints ([`super::bigint`], feature `bigint`) or, without
//! that feature, raise `OverflowError`, never a wrong answer. `bool`
//! is an int subtype: `True`/`False` take part in arithmetic as 1 and 0.

use super::tag;
use crate::heap::value::{SMALL_MAX, SMALL_MIN};
use crate::heap::Value;
// Raising needs these only where an int can overflow (no big ints) or a
// float can be converted.
#[cfg(any(not(feature = "bigint"), feature = "float"))]
use crate::obj::T;
use crate::vm::{Vm, R};
#[cfg(any(not(feature = "bigint"), feature = "float"))]
use p14p_protocol::errmsg::ErrMsg;

impl Vm<'_> {
    /// An int value for `i` (small or boxed).
    #[inline]
    pub(crate) fn int_from_i64(&mut self, i: i64) -> R<Value> {
        if (SMALL_MIN..=SMALL_MAX).contains(&i) {
            return Ok(Value::small(i as i32));
        }
        let w = self.alloc(tag::INT, 3)?;
        self.heap.set(w + 1, i as u64 as u32);
        self.heap.set(w + 2, ((i as u64) >> 32) as u32);
        Ok(Value::obj(w))
    }

    /// An int from an i128 result: a big int beyond 64 bits (feature
    /// `bigint`), else `OverflowError`.
    pub(crate) fn int_from_i128(&mut self, i: i128) -> R<Value> {
        #[cfg(feature = "bigint")]
        return self.big_from_i128(i);
        #[cfg(not(feature = "bigint"))]
        match i64::try_from(i) {
            Ok(i) => self.int_from_i64(i),
            Err(_) => self.raise(T::OverflowError, ErrMsg::IntOverflow),
        }
    }

    /// The integer value of an int or bool.
    #[inline]
    pub(crate) fn int_val(&self, v: Value) -> Option<i64> {
        if v.is_small() {
            return Some(v.small_val() as i64);
        }
        if v == Value::TRUE {
            return Some(1);
        }
        if v == Value::FALSE {
            return Some(0);
        }
        if self.is(v, tag::INT) {
            let w = v.word();
            let lo = self.heap.w(w + 1) as u64;
            let hi = self.heap.w(w + 2) as u64;
            return Some((lo | (hi << 32)) as i64);
        }
        None
    }

    /// True for any int (small, boxed, big) or bool.
    #[cfg(feature = "bigint")]
    #[inline]
    pub(crate) fn is_int(&self, v: Value) -> bool {
        self.int_val(v).is_some() || self.is(v, tag::BIGINT)
    }

    /// `int(f)` for a float: `ValueError` for NaN, `OverflowError` for the
    /// infinities (and beyond 64 bits without the `bigint` feature).
    #[cfg(feature = "float")]
    pub(crate) fn int_from_f64(&mut self, f: f64) -> R<Value> {
        if f.is_nan() {
            return self.raise_s(T::ValueError, ErrMsg::ArgValue, b"int");
        }
        if f.is_infinite() {
            return self.raise(T::OverflowError, ErrMsg::IntOverflow);
        }
        let t = if f < 0.0 {
            -crate::vm::ops::floor(-f)
        } else {
            crate::vm::ops::floor(f)
        };
        #[cfg(feature = "bigint")]
        return self.big_from_f64(t);
        #[cfg(not(feature = "bigint"))]
        if t.abs() >= 9.2e18 {
            self.raise(T::OverflowError, ErrMsg::IntOverflow)
        } else {
            self.int_from_i64(t as i64)
        }
    }
}
