//! `int`: 31-bit small ints in the value word, and boxed i64 beyond.
//!
//! A boxed int is `[header, low word, high word]`. Results that do not fit
//! 64 bits raise `OverflowError` (big ints are a later milestone). `bool`
//! is an int subtype: `True`/`False` take part in arithmetic as 1 and 0.

use super::tag;
use crate::heap::value::{SMALL_MAX, SMALL_MIN};
use crate::heap::Value;
use crate::obj::T;
use crate::vm::{Vm, R};
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

    /// An int from an i128 result; `OverflowError` beyond 64 bits.
    pub(crate) fn int_from_i128(&mut self, i: i128) -> R<Value> {
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
}
