//! `int`: 31-bit small ints in the value word, and boxed i64 beyond.
//!
//! A boxed int is `[header, low word, high word]`. Results that do not fit
//! 64 bits become big ints ([`super::bigint`], feature `bigint`) or, without
//! that feature, raise `OverflowError`, never a wrong answer. `bool`
//! is an int subtype: `True`/`False` take part in arithmetic as 1 and 0.
//!
//! Here too: the constructor, `int(x)` and `int(s, base)`.

use super::tag;
use crate::heap::value::{SMALL_MAX, SMALL_MIN};
use crate::heap::Value;
use crate::obj::T;
use crate::vm::call::Args;
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
            // Both words with one bounds check.
            let [lo, hi] = self
                .heap
                .words::<2>(v.word() + 1)
                .copied()
                .unwrap_or_default();
            return Some((u64::from(lo) | u64::from(hi) << 32) as i64);
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

    /// `int()`, `int(x)`, `int(s, base)` (the arity checked by the caller).
    pub(crate) fn int_construct(&mut self, a: &Args) -> R<Value> {
        if a.n == 0 {
            return Ok(Value::small(0));
        }
        // (Of a subclass's instance: of its native base.)
        let v = self.native_of(self.arg(a, 0));
        if a.n == 2 || self.kwarg(a, b"base").is_some() {
            let base = if a.n == 2 {
                self.arg(a, 1)
            } else {
                self.kwarg(a, b"base").unwrap_or(Value::NONE)
            };
            let base = crate::builtins::funcs::int_arg(self, base, "int() base")?;
            if !self.is_str(v) {
                return self.raise_s(T::TypeError, ErrMsg::ArgType, b"int() with base");
            }
            return self.parse_int(v, base as u32);
        }
        if let Some(i) = self.int_val(v) {
            return self.int_from_i64(i);
        }
        #[cfg(feature = "bigint")]
        if self.is_big(v) {
            return Ok(v);
        }
        #[cfg(feature = "float")]
        if let Some(f) = self.float_val(v) {
            return self.int_from_f64(f);
        }
        if self.is_str(v) {
            return self.parse_int(v, 10);
        }
        self.raise_type(ErrMsg::ArgType, v)
    }

    /// `int(s, base)`.
    fn parse_int(&mut self, s: Value, base: u32) -> R<Value> {
        let b = self.str_bytes(s);
        let mut i = 0;
        let n = b.len();
        while i < n && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut end = n;
        while end > i && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let mut neg = false;
        if i < end && (b[i] == b'+' || b[i] == b'-') {
            neg = b[i] == b'-';
            i += 1;
        }
        let mut base = base;
        if end - i >= 2 && b[i] == b'0' {
            let p = b[i + 1].to_ascii_lowercase();
            let pb = match p {
                b'x' => 16,
                b'o' => 8,
                b'b' => 2,
                _ => 0,
            };
            if pb != 0 && (base == 0 || base == pb) {
                base = pb;
                i += 2;
            }
        }
        if base == 0 {
            base = 10;
        }
        let mut acc: u64 = 0;
        let mut digits = 0;
        let start = i;
        let mut big = false;
        let mut ok = (2..=36).contains(&base);
        let mut prev_us = true;
        while ok && i < end {
            let c = b[i];
            i += 1;
            if c == b'_' && !prev_us {
                prev_us = true;
                continue;
            }
            let d = match c {
                b'0'..=b'9' => (c - b'0') as u32,
                b'a'..=b'z' => (c - b'a') as u32 + 10,
                b'A'..=b'Z' => (c - b'A') as u32 + 10,
                _ => 99,
            };
            if d >= base {
                ok = false;
                break;
            }
            prev_us = false;
            digits += 1;
            if big {
                continue;
            }
            match acc
                .checked_mul(base.into())
                .and_then(|x| x.checked_add(d.into()))
            {
                Some(x) if x <= 1 << 63 => acc = x,
                // Past 64 bits: keep validating; the digits are parsed again
                // as a big int below.
                _ => big = true,
            }
        }
        if !ok || digits == 0 || prev_us {
            let r = self.repr_of(s)?;
            return self.raise_v(T::ValueError, ErrMsg::IntParse, r);
        }
        if big {
            #[cfg(feature = "bigint")]
            {
                // CPython's limit on decimal-ish conversions (not for bases
                // that are powers of two).
                if digits > crate::obj::bigint::MAX_STR_DIGITS && !base.is_power_of_two() {
                    let mut b = crate::obj::float::Buf::<24>::new();
                    crate::obj::float::push_uint(&mut b, digits as u64, 10, false);
                    let mut tmp = [0u8; 24];
                    let n = b.bytes().len().min(24);
                    tmp[..n].copy_from_slice(b.bytes());
                    return self.raise_s(T::ValueError, ErrMsg::IntParseDigits, &tmp[..n]);
                }
                let at = self.str_span(s).0 + start;
                let v = self.big_parse(at, end - start, base, neg)?;
                return Ok(v.unwrap_or(Value::small(0)));
            }
            #[cfg(not(feature = "bigint"))]
            {
                let _ = start;
                return self.raise(T::OverflowError, ErrMsg::IntOverflow);
            }
        }
        let acc = i128::from(acc);
        self.int_from_i128(if neg { -acc } else { acc })
    }
}
