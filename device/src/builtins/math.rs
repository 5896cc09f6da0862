//! The native half of `math`: what plain float arithmetic cannot give, or
//! not well, over the kernels of [`crate::obj::fmath`] (no libm): `sqrt`,
//! `exp`, `log`, the trigonometric functions, `frexp`/`ldexp` (bit level),
//! `fmod` (exact) and `copysign` (the sign bit): the protocol's
//! [`p14p_protocol::natives::MATH_KERNELS`], `math`'s row, resolved before the
//! library half, so a program using only these loads no Python. The rest
//! of the module is Python, the library's `_math` (`lib/math.py`).
//!
//! Errors are CPython's rule for its libm wrappers: a NaN from arguments
//! without one is `ValueError("math domain error")`, an infinity from
//! finite arguments is `OverflowError("math range error")`; `log` of a
//! non-positive number is a domain error up front. A firmware without
//! floats has none of these functions (`math` then has no attributes).

use crate::heap::value::kind;
use crate::heap::Value;

/// Attribute `name` of `math` among its kernels (they sit in `BUILTINS`
/// in their table's order); `None` without floats, where it has none.
pub fn attr(name: &[u8]) -> Option<Value> {
    #[cfg(feature = "float")]
    {
        let i = p14p_protocol::natives::MATH_KERNELS
            .iter()
            .position(|f| f.name.as_bytes() == name)?;
        Some(Value::imm(
            kind::BUILTIN,
            super::funcs::b::MATH_SQRT + i as u32,
        ))
    }
    #[cfg(not(feature = "float"))]
    {
        let _ = (name, kind::BUILTIN);
        None
    }
}

#[cfg(feature = "float")]
mod call {
    use crate::heap::Value;
    use crate::obj::exc::Part;
    use crate::obj::fmath;
    use crate::obj::T;
    use crate::vm::call::Args;
    use crate::vm::{Vm, R};
    use p14p_protocol::errmsg::ErrMsg;

    // The kernels' order (`natives::MATH_KERNELS`).
    const SQRT: u32 = 0;
    const EXP: u32 = 1;
    const LOG: u32 = 2;
    const SIN: u32 = 3;
    const COS: u32 = 4;
    const TAN: u32 = 5;
    const ASIN: u32 = 6;
    const ACOS: u32 = 7;
    const ATAN: u32 = 8;
    const ATAN2: u32 = 9;
    const FREXP: u32 = 10;
    const LDEXP: u32 = 11;
    const FMOD: u32 = 12;

    impl Vm<'_> {
        /// A number as f64 (int, bool, float), else CPython's `TypeError`.
        fn real(&mut self, v: Value) -> R<f64> {
            match self.num_as_f64(v) {
                Some(x) => Ok(x),
                None => {
                    self.raise_parts(T::TypeError, ErrMsg::FormatNeedsFloat, &[Part::TypeOf(v)])
                }
            }
        }

        /// `math` kernel `i` (its index in the table) of `a`, whose count
        /// the table's arity has checked.
        pub(crate) fn math(&mut self, i: u32, a: &Args) -> R<Value> {
            let x = self.real(self.arg(a, 0))?;
            if i == FREXP {
                let (m, e) = fmath::frexp(x);
                let m = self.float_new(m)?;
                return self.tuple2(m, Value::small(e));
            }
            let two = a.n > 1;
            let y = match (two, i) {
                (false, _) => 0.0,
                (true, LDEXP) => {
                    let e = self.arg(a, 1);
                    match self.int_val(e) {
                        Some(e) => e as f64,
                        None => return self.raise_s(T::TypeError, ErrMsg::ArgType, b"ldexp"),
                    }
                }
                (true, _) => self.real(self.arg(a, 1))?,
            };
            if i == LOG && (x <= 0.0 || (two && y <= 0.0)) {
                return self.raise(T::ValueError, ErrMsg::MathDomain);
            }
            let r = match i {
                SQRT => fmath::sqrt(x),
                EXP => fmath::exp(x),
                LOG if two => {
                    let base = fmath::ln(y);
                    if base == 0.0 {
                        return self.raise(T::ZeroDivisionError, ErrMsg::FloatDivisionByZero);
                    }
                    fmath::ln(x) / base
                }
                LOG => fmath::ln(x),
                SIN => fmath::sin(x),
                COS => fmath::cos(x),
                TAN => fmath::tan(x),
                ASIN => fmath::asin(x),
                ACOS => fmath::acos(x),
                ATAN => fmath::atan(x),
                ATAN2 => fmath::atan2(x, y),
                LDEXP => fmath::ldexp(x, y as i64),
                FMOD => crate::obj::flib::fmod(x, y),
                _ => fmath::copysign(x, y),
            };
            if r.is_nan() && !x.is_nan() && !y.is_nan() {
                return self.raise(T::ValueError, ErrMsg::MathDomain);
            }
            if r.is_infinite() && x.is_finite() && y.is_finite() {
                return self.raise(T::OverflowError, ErrMsg::MathRange);
            }
            self.float_new(r)
        }
    }
}
