//! Builtin functions and the constructors of builtin types.

use super::builtin_name;
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::flib;
use crate::obj::float::Buf;
use crate::obj::{exc::PY_MADE, tag, T};
use crate::vm::call::Args;
use crate::vm::fmt::Out;
use crate::vm::ops::floor;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::{BinOp, CmpOp};

/// Checks the positional count; raises `TypeError` naming `name`.
pub(crate) fn want(vm: &mut Vm, a: &Args, min: usize, max: usize, name: &str) -> R<()> {
    if a.n < min || a.n > max {
        return vm.raise_s(T::TypeError, ErrMsg::ArgCount, name.as_bytes());
    }
    Ok(())
}

/// The i64 value of int argument `v`; `TypeError` naming `what` if none.
pub(crate) fn int_arg(vm: &mut Vm, v: Value, what: &str) -> R<i64> {
    // (An int subclass's instance: its native base.)
    match vm.int_val(v).or_else(|| vm.int_val(vm.native_of(v))) {
        Some(i) => Ok(i),
        None => vm.raise_s(T::TypeError, ErrMsg::ArgType, what.as_bytes()),
    }
}

/// Builtin function ids (the index in [`super::BUILTINS`]), resolved at
/// compile time so that [`call`] dispatches on an integer, not on names.
pub(crate) mod b {
    /// The index of `name` in [`super::super::BUILTINS`]; a name not in
    /// the table does not compile.
    const fn id(name: &str) -> u32 {
        let (names, name) = (super::super::BUILTINS, name.as_bytes());
        let mut i = 0;
        while i < names.len() {
            if super::super::const_eq(names[i].0.as_bytes(), name) {
                return i as u32;
            }
            i += 1;
        }
        panic!("not a builtin")
    }
    pub const BUILD_CLASS: u32 = id("__build_class__");
    pub const ABS: u32 = id("abs");
    pub const CALLABLE: u32 = id("callable");
    pub const CHR: u32 = id("chr");
    pub const COLLECT: u32 = id("collect");
    pub const DELATTR: u32 = id("delattr");
    pub const FORMAT: u32 = id("format");
    pub const GETATTR: u32 = id("getattr");
    pub const HASATTR: u32 = id("hasattr");
    pub const HASH: u32 = id("hash");
    pub const ID: u32 = id("id");
    pub const GLOBALS: u32 = id("globals");
    pub const LOCALS: u32 = id("locals");
    pub const INPUT: u32 = id("input");
    pub const EVAL: u32 = id("eval");
    pub const EXEC: u32 = id("exec");
    pub const NATIVE: u32 = id("_native");
    pub const ERR: u32 = id("_err");
    pub const ISINSTANCE: u32 = id("isinstance");
    pub const ISSUBCLASS: u32 = id("issubclass");
    pub const ITER: u32 = id("iter");
    pub const LEN: u32 = id("len");
    pub const MEM_ALLOC: u32 = id("mem_alloc");
    pub const MEM_FREE: u32 = id("mem_free");
    pub const NEXT: u32 = id("next");
    pub const ORD: u32 = id("ord");
    pub const PRINT: u32 = id("print");
    pub const REPR: u32 = id("repr");
    pub const POW: u32 = id("pow");
    pub const MAX: u32 = id("max");
    pub const MIN: u32 = id("min");
    pub const ROUND: u32 = id("round");
    pub const SORTED: u32 = id("sorted");
    pub const ANY: u32 = id("any");
    pub const ALL: u32 = id("all");
    pub const SETATTR: u32 = id("setattr");
    pub const SUM: u32 = id("sum");
    pub const SUPER: u32 = id("super");
    pub const TICKS_MS: u32 = id("ticks_ms");
    pub const TICKS_US: u32 = id("ticks_us");
    pub const SLEEP_MS: u32 = id("sleep_ms");
    pub const SLEEP_US: u32 = id("sleep_us");
    pub const TIME_NS: u32 = id("time_ns");
    pub const SYS_MODULES: u32 = id("_modules");
    pub const SYS_PLATFORM: u32 = id("_platform");
    pub const UNIQUE_ID: u32 = id("unique_id");
    pub const PIN: u32 = id("_pin");
    pub const FREQ: u32 = id("freq");
    pub const RESET: u32 = id("reset");
    pub const SOFT_RESET: u32 = id("soft_reset");
    pub const IDLE: u32 = id("idle");
    pub const BUS: u32 = id("_bus");
    pub const IRQ: u32 = id("_irq");
    pub const GC_ENABLE: u32 = id("enable");
    pub const GC_DISABLE: u32 = id("disable");
    pub const GC_ISENABLED: u32 = id("isenabled");
    pub const GC_THRESHOLD: u32 = id("threshold");
    /// `math`'s first kernel (the rest follow in their table's order).
    #[cfg(feature = "float")]
    pub const MATH_SQRT: u32 = id("sqrt");
    /// `math`'s last kernel.
    #[cfg(feature = "float")]
    pub const MATH_COPYSIGN: u32 = id("copysign");
}

/// Dispatches builtin function `id`.
#[inline(never)]
pub fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    let Some(&arity) = super::BUILTIN_ARITY.get(id as usize) else {
        return vm.raise_s(T::NotImplementedError, ErrMsg::NotImplemented, b"?");
    };
    // The arity column, checked here once for every function below.
    if !super::arity_ok(arity, a.n) {
        return vm.raise_s(T::TypeError, ErrMsg::ArgCount, builtin_name(id).as_bytes());
    }
    match id {
        b::PRINT => print(vm, host, a),
        b::INPUT => input(vm, host, a),
        b::EVAL | b::EXEC => vm.eval_exec(host, a, id == b::EVAL),
        b::NATIVE => Ok(vm.native_of(vm.arg(a, 0))),
        b::ERR => {
            // A builtin exception class, a message number, a str detail.
            let (c, m) = (vm.arg(a, 0), vm.arg(a, 1));
            let d = if a.n == 3 { vm.arg(a, 2) } else { Value::NULL };
            let t = T::from_id(c.payload()).filter(|t| c.is_kind(kind::TYPE) && t.is_exception());
            match t {
                Some(t)
                    if m.is_small()
                        && (m.small_val() as u32) < ErrMsg::COUNT
                        && (d.is_null() || vm.is_str(d)) =>
                {
                    vm.exc_new(t, m.small_val() as u32, Value::NULL, d)
                }
                _ => vm.raise_s(T::TypeError, ErrMsg::ArgType, b"_err"),
            }
        }
        b::LEN => {
            let v = vm.arg(a, 0);
            if let Some(f) = vm.special(v, crate::vm::Dunder::Len)? {
                return vm.call_nested(host, f, &[v]);
            }
            let n = len(vm, v)?;
            vm.int_from_i64(n as i64)
        }
        b::REPR => vm.format_host(host, vm.arg(a, 0), true),
        b::ABS => {
            // (Of a number subclass's instance: of its native base.)
            let v = vm.native_of(vm.arg(a, 0));
            if let Some(i) = vm.int_val(v) {
                return vm.int_from_i128((i as i128).abs());
            }
            #[cfg(feature = "bigint")]
            if let Some(x) = vm.big_of(v) {
                return vm.big_abs(x);
            }
            if let Some(f) = vm.float_val(v) {
                return vm.float_new(f.abs());
            }
            // A class's `__abs__` (the carried `complex`'s).
            if let Some(f) = vm.special(v, crate::vm::Dunder::Abs)? {
                return vm.call_nested(host, f, &[v]);
            }
            vm.raise_type(ErrMsg::BadUnaryOperand, v)
        }
        b::POW => {
            let (x, y) = (vm.arg(a, 0), vm.arg(a, 1));
            if a.n == 2 {
                return vm.binary_op(BinOp::Pow as u8, x, y);
            }
            // `pow(b, e, m)` is Python (lib/builtins/pow.py).
            library_call(vm, host, b"pow", &[x, y, vm.arg(a, 2)])
        }
        b::ROUND => {
            let v = vm.native_of(vm.arg(a, 0));
            let nd = if a.n == 2 && vm.arg(a, 1) != Value::NONE {
                Some(int_arg(vm, vm.arg(a, 1), builtin_name(id))?)
            } else {
                None
            };
            if let Some(i) = vm.int_val(v) {
                // Negative digits round to tens, hundreds, ... (half to even).
                return match nd {
                    Some(d) if d < 0 => {
                        // Half to even is symmetric under negation: round
                        // the magnitude. |i| <= 2**63 < 10**20 / 2, so
                        // 10**20 and beyond round everything to 0; the
                        // rounded magnitude is at most |i| + p < 2**64.
                        let Some(p) = 10u64.checked_pow(d.unsigned_abs().min(20) as u32) else {
                            return Ok(Value::small(0));
                        };
                        let m = i.unsigned_abs();
                        let (q, r) = (m / p, m % p);
                        let up = r > p - r || (r == p - r && q & 1 == 1);
                        let m = i128::from((q + u64::from(up)) * p);
                        vm.int_from_i128(if i < 0 { -m } else { m })
                    }
                    _ => vm.int_from_i64(i),
                };
            }
            let Some(f) = vm.float_val(v) else {
                return vm.raise_type(ErrMsg::ArgType, v);
            };
            match nd {
                None => {
                    #[cfg(feature = "float")]
                    return vm.int_from_f64(round_half_even(f));
                    #[cfg(not(feature = "float"))]
                    vm.int_from_i64(round_half_even(f) as i64)
                }
                Some(d) if d < 0 => {
                    // To tens, hundreds, …: half to even on the scaled value.
                    let p = crate::vm::ops::powi(10.0, -d.max(-400));
                    // Past 10**308 every finite f rounds to zero; a zero
                    // keeps f's sign (round(-5.0, -1) is -0.0).
                    let r = if p.is_finite() {
                        round_half_even(f / p) * p
                    } else {
                        0.0
                    };
                    vm.float_new(if f.is_finite() { r.copysign(f) } else { f })
                }
                Some(d) => {
                    // Through the decimal text, as CPython rounds the exact value.
                    let d = d.clamp(0, 30) as usize;
                    let mut b = Buf::<80>::new();
                    flib::fixed(f, d, &mut b);
                    let r = flib::parse(b.as_str()).unwrap_or(f);
                    vm.float_new(r)
                }
            }
        }
        b::MIN | b::MAX => min_max(vm, host, a, id == b::MAX),
        b::SUM => {
            let it = vm.iter_of(host, vm.arg(a, 0))?;
            let start = if a.n > 1 {
                vm.arg(a, 1)
            } else {
                Value::small(0)
            };
            let mk = vm.root(it);
            let slot = vm.nroots;
            vm.root(start);
            let r = (|| {
                vm.root(Value::NULL);
                while let Some(x) = vm.iter_next(host, it)? {
                    // x may be fresh (a generator's value): keep it alive
                    // while the sum allocates.
                    vm.set_root(slot + 1, x);
                    let acc = vm.root_at(slot);
                    let s = add_any(vm, host, acc, x)?;
                    vm.set_root(slot, s);
                }
                Ok(vm.root_at(slot))
            })();
            vm.unroot(mk);
            r
        }
        b::SORTED => {
            let l = vm.list_from_iter(host, vm.arg(a, 0))?;
            let mk = vm.root(l);
            let key = vm.kwarg(a, b"key").unwrap_or(Value::NONE);
            let rev = vm.kwarg(a, b"reverse").is_some_and(|r| vm.truthy(r));
            let r = vm.list_sort(host, l, key, rev);
            vm.unroot(mk);
            r.map(|_| l)
        }
        b::ISINSTANCE | b::ISSUBCLASS => {
            // `c` a class or a tuple of classes; `issubclass` wants a class `x`.
            let (x, c) = (vm.arg(a, 0), vm.arg(a, 1));
            let sub = id == b::ISSUBCLASS;
            let seq = vm.seq_items(c);
            let n = seq.map_or(1, |s| s.1);
            let at = |vm: &Vm, i: usize| seq.map_or(c, |(b, _)| vm.heap.v(b + i));
            if sub && !vm.is_class(x) {
                return vm.raise_s(T::TypeError, ErrMsg::ArgType, builtin_name(id).as_bytes());
            }
            // In order, as CPython: a class that matches ends the search
            // before a bad item further on is seen.
            for i in 0..n {
                let k = at(vm, i);
                if !vm.is_class(k) {
                    return vm.raise_s(T::TypeError, ErrMsg::ArgType, builtin_name(id).as_bytes());
                }
                if (sub && vm.is_subclass(x, k)) || (!sub && vm.is_instance(x, k)) {
                    return Ok(Value::TRUE);
                }
            }
            Ok(Value::FALSE)
        }
        b::SUPER => {
            let (c, obj) = (vm.arg(a, 0), vm.arg(a, 1));
            vm.super_new(c, obj)
        }
        b::BUILD_CLASS => build_class(vm, host, a),
        b::FORMAT => {
            let v = vm.arg(a, 0);
            if a.n == 1 {
                return vm.format_host(host, v, false);
            }
            let spec = vm.arg(a, 1);
            if !vm.is_str(spec) {
                return vm.raise_type(ErrMsg::NeedStr, spec);
            }
            vm.format_spec(host, v, spec)
        }
        b::GETATTR | b::HASATTR | b::SETATTR | b::DELATTR => {
            let (obj, attr) = (vm.arg(a, 0), vm.arg(a, 1));
            if !vm.is_str(attr) {
                return vm.raise_type(ErrMsg::NeedStr, attr);
            }
            if id == b::SETATTR || id == b::DELATTR {
                // `delattr` stores NULL.
                let v = if a.n == 3 { vm.arg(a, 2) } else { Value::NULL };
                return super::setattr(vm, host, obj, attr, v).map(|_| Value::NONE);
            }
            match super::getattr(vm, host, obj, attr) {
                Ok(v) => Ok(if id == b::GETATTR { v } else { Value::TRUE }),
                Err(e) => {
                    if vm.exc_class(vm.exc) != T::AttributeError {
                        return Err(e);
                    }
                    if id == b::HASATTR {
                        Ok(Value::FALSE)
                    } else if a.n == 3 {
                        Ok(vm.arg(a, 2))
                    } else {
                        Err(e)
                    }
                }
            }
        }
        b::ITER => vm.iter_of(host, vm.arg(a, 0)),
        b::NEXT => {
            let it = vm.arg(a, 0);
            if let Some(f) = vm.special(it, crate::vm::Dunder::Next)? {
                // The iterator's own StopIteration (with its value) propagates.
                return match vm.call_nested(host, f, &[it]) {
                    Err(_) if a.n == 2 && vm.exc_class(vm.exc) == T::StopIteration => {
                        Ok(vm.arg(a, 1))
                    }
                    r => r,
                };
            }
            match vm.iter_next(host, vm.arg(a, 0))? {
                Some(v) => Ok(v),
                None if a.n == 2 => Ok(vm.arg(a, 1)),
                None => super::methods::stop_iteration(vm),
            }
        }
        b::ANY | b::ALL => {
            let it = vm.iter_of(host, vm.arg(a, 0))?;
            let mk = vm.root(it);
            let want_true = id == b::ANY;
            let r = (|| {
                while let Some(x) = vm.iter_next(host, it)? {
                    if vm.truthy(x) == want_true {
                        return Ok(Value::bool(want_true));
                    }
                }
                Ok(Value::bool(!want_true))
            })();
            vm.unroot(mk);
            r
        }
        b::CHR => {
            let i = int_arg(vm, vm.arg(a, 0), builtin_name(id))?;
            let Some(c) = u32::try_from(i).ok().and_then(char::from_u32) else {
                return vm.raise_s(T::ValueError, ErrMsg::ValueRange, b"chr() arg");
            };
            let mut b = [0u8; 4];
            let s = c.encode_utf8(&mut b);
            let n = s.len();
            vm.str_from_bytes(&b[..n])
        }
        b::ORD => {
            let v = vm.arg(a, 0);
            // A bytes-like of length 1: its byte.
            #[cfg(feature = "bytes")]
            if let Some((d, 1)) = vm.bytes_span(v) {
                return Ok(Value::small(i32::from(vm.span_byte(d))));
            }
            if !vm.is_str(v) || vm.str_chars(v) != 1 {
                return vm.raise_s(T::TypeError, ErrMsg::ArgType, b"ord()");
            }
            // One char, valid UTF-8: the lead byte's payload bits (its
            // length prefix ends in a 0 bit the mask may keep), then 6 bits
            // per continuation byte.
            let b = vm.str_bytes(v);
            let lead = b
                .first()
                .map_or(0, |&l| u32::from(l & (0x7F >> (b.len() - 1).min(7))));
            let c = b
                .iter()
                .skip(1)
                .fold(lead, |c, &x| (c << 6) | u32::from(x & 0x3F));
            vm.int_from_i64(c as i64)
        }
        b::CALLABLE => {
            let v = vm.arg(a, 0);
            let c = vm.is(v, tag::FUNC)
                || vm.is(v, tag::BOUND)
                || v.is_kind(kind::BUILTIN)
                || v.is_kind(kind::METHOD)
                || v.is_kind(kind::TYPE)
                || vm.is(v, tag::CLASS)
                || v.is_kind(kind::MEM);
            let c = c || vm.special(v, crate::vm::Dunder::Call)?.is_some();
            Ok(Value::bool(c))
        }
        // The native modules' functions, each in its module's file.
        b::TICKS_MS | b::TICKS_US..=b::TIME_NS => super::time::call(vm, host, id, a),
        b::SYS_MODULES..=b::SYS_PLATFORM => super::sys::call(vm, host, id),
        #[cfg(feature = "float")]
        b::MATH_SQRT..=b::MATH_COPYSIGN => vm.math(id - b::MATH_SQRT, a),
        b::UNIQUE_ID..=b::IRQ => super::machine::call(vm, host, id, a),
        b::COLLECT..=b::GC_THRESHOLD => super::gc::call(vm, id, a),
        b::HASH => {
            let h = vm.hash(vm.arg(a, 0))?;
            vm.int_from_i64(h as i32 as i64)
        }
        // The value's word: unique among the objects alive, as CPython's.
        b::ID => vm.int_from_i64(i64::from(vm.arg(a, 0).0)),
        // The calling frame's (a native pushes none).
        b::GLOBALS => Ok(vm.heap.v(vm.fp + crate::vm::frame::GLOBALS)),
        b::LOCALS => vm.locals((a.n == 1).then(|| vm.arg(a, 0))),
        _ => not_implemented(vm, id),
    }
}

/// `NotImplementedError` naming builtin `id`: a function this build
/// leaves out (`machine._bus` without the `buses` feature).
pub(crate) fn not_implemented(vm: &mut Vm, id: u32) -> R<Value> {
    vm.raise_s(
        T::NotImplementedError,
        ErrMsg::NotImplemented,
        builtin_name(id).as_bytes(),
    )
}

/// Calls library builtin `name` (the Python half of a native builtin).
fn library_call(vm: &mut Vm, host: &mut Hx<'_>, name: &[u8], args: &[Value]) -> R<Value> {
    match vm.library_function(host, name)? {
        Some(f) => vm.call_nested(host, f, args),
        None => vm.raise_s(T::NotImplementedError, ErrMsg::NotImplemented, name),
    }
}

/// `__build_class__(body, name, *bases)`: runs the class body with a fresh
/// namespace, makes the class and fills the body's `__class__` cell.
fn build_class(vm: &mut Vm, host: &mut Hx<'_>, a: &Args) -> R<Value> {
    let (body, name) = (vm.arg(a, 0), vm.arg(a, 1));
    if !vm.is(body, tag::FUNC) || !vm.is_str(name) {
        return vm.raise_s(T::TypeError, ErrMsg::ArgType, b"__build_class__");
    }
    if vm.nest_full() {
        return vm.raise(T::RecursionError, ErrMsg::RecursionDepth);
    }
    let ns = vm.dict_new(0)?;
    let mk = vm.root(ns);
    let r = (|| {
        let bases = vm.tuple_new(a.n - 2)?;
        for i in 2..a.n {
            let b = vm.arg(a, i);
            if !b.is_kind(kind::TYPE) && !vm.is(b, tag::CLASS) {
                return vm.raise_type(ErrMsg::ArgType, b);
            }
            vm.heap.setv(bases.word() + i, b);
        }
        vm.root(bases);
        let cell = match vm.call_value(host, body, Args::arena(0, 0), None)? {
            Some(v) => v,
            None => {
                let f = vm.fp;
                vm.heap.setv(f + crate::vm::frame::NS, ns);
                vm.nest += 1;
                let r = vm.execute(host);
                vm.nest -= 1;
                r?
            }
        };
        vm.root(cell);
        let cls = vm.class_new(name, bases, ns)?;
        if vm.is(cell, tag::CELL) {
            vm.heap.setv(cell.word() + 1, cls);
        }
        Ok(cls)
    })();
    vm.unroot(mk);
    r
}

/// Rounds half to even (Python's `round`).
fn round_half_even(f: f64) -> f64 {
    let fl = floor(f);
    let diff = f - fl;
    if diff > 0.5 || (diff == 0.5 && floor(fl / 2.0) * 2.0 != fl) {
        fl + 1.0
    } else {
        fl
    }
}

/// `len(v)`.
#[inline]
pub(crate) fn len(vm: &mut Vm, v: Value) -> R<usize> {
    // A builtin type's subclass: its native base's (a loop, not a call:
    // a recursive `len` would not inline into its caller).
    let orig = v;
    let mut v = v;
    loop {
        if v.is_image_str() {
            return Ok(vm.str_chars(v));
        }
        if !v.is_obj() {
            break;
        }
        let w = v.word();
        match vm.heap.tag(w) {
            tag::STR | tag::BYTES => return Ok(vm.str_chars(v)),
            tag::BYTEARRAY => return Ok(vm.bytes_span(v).map_or(0, |s| s.1)),
            tag::TUPLE | tag::LIST | tag::DICT | tag::SET | tag::FROZENSET => {
                return Ok(vm.heap.w(w + 1) as usize)
            }
            tag::RANGE => {
                let (a, b, c) = vm.range_parts(v);
                return Ok(crate::obj::range::range_len(a, b, c) as usize);
            }
            tag::DICTVIEW => return Ok(vm.dict_len(vm.heap.v(w + 2))),
            _ => {}
        }
        match vm.native_base(v) {
            Some(b) => v = b,
            None => break,
        }
    }
    vm.raise_type(ErrMsg::NoLen, orig)
}

/// `input([prompt])`: the prompt written as `print(prompt, end='')`
/// would, then a line from the host ([`Host::read_line`](crate::machine::Host::read_line): the terminal of
/// `p14p run` or the REPL), without its newline. EOFError at the end of
/// input or with no host (a program run at boot); KeyboardInterrupt when
/// the host interrupts the wait.
fn input(vm: &mut Vm, host: &mut Hx<'_>, a: &Args) -> R<Value> {
    if a.n == 1 {
        let mut out = Out::host(host);
        let r = vm.write_value(&mut out, vm.arg(a, 0), false);
        out.flush();
        r?;
    }
    let mut line = [0u8; p14p_protocol::msg::Command::LINE_MAX];
    let Some(n) = host.read_line(&mut line) else {
        return vm.raise(T::KeyboardInterrupt, ErrMsg::Interrupted);
    };
    let got = line.get(..n).unwrap_or_default();
    let Some(text) = got.strip_suffix(b"\n") else {
        if n == 0 {
            return vm.raise(T::EOFError, ErrMsg::EofReading);
        }
        return vm.str_from_bytes(valid_utf8(got));
    };
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    vm.str_from_bytes(valid_utf8(text))
}

/// The longest valid UTF-8 prefix of `b` (the host sends UTF-8; a str
/// never holds anything else).
fn valid_utf8(b: &[u8]) -> &[u8] {
    match core::str::from_utf8(b) {
        Ok(_) => b,
        Err(e) => b.get(..e.valid_up_to()).unwrap_or_default(),
    }
}

fn print(vm: &mut Vm, host: &mut Hx<'_>, a: &Args) -> R<Value> {
    let sep = vm.kwarg(a, b"sep").filter(|v| *v != Value::NONE);
    let end = vm.kwarg(a, b"end").filter(|v| *v != Value::NONE);
    // Streamed argument by argument; a user `__str__` runs where it is
    // met, after the text before it is sent (as CPython's print writes).
    let mut out = Out::host(host);
    let mut r = Ok(());
    for i in 0..a.n {
        if i > 0 {
            match sep {
                Some(s) => {
                    r = vm.write_value(&mut out, s, false);
                }
                None => vm.emit(&mut out, b" "),
            }
        }
        if r.is_ok() {
            r = vm.write_value(&mut out, vm.arg(a, i), false);
        }
        if r.is_err() {
            break;
        }
    }
    if r.is_ok() {
        match end {
            Some(e) => r = vm.write_value(&mut out, e, false),
            None => vm.emit(&mut out, b"\n"),
        }
    }
    out.flush();
    r.map(|_| Value::NONE)
}

fn min_max(vm: &mut Vm, host: &mut Hx<'_>, a: &Args, is_max: bool) -> R<Value> {
    let key = vm.kwarg(a, b"key").filter(|k| *k != Value::NONE);
    let default = vm.kwarg(a, b"default");
    let src = if a.n == 1 {
        vm.arg(a, 0)
    } else {
        // Several arguments: iterate over them as a tuple.
        let mut t = vm.tuple_new(a.n)?;
        for i in 0..a.n {
            let x = vm.arg(a, i);
            vm.heap.setv(t.word() + 2 + i, x);
        }
        t = Value(t.0);
        t
    };
    let mk = vm.root(src);
    let r = (|| {
        let it = vm.iter_of(host, src)?;
        vm.root(it);
        let best = vm.nroots;
        vm.root(Value::NULL);
        let best_key = vm.nroots;
        vm.root(Value::NULL);
        while let Some(x) = vm.iter_next(host, it)? {
            let slot = vm.nroots;
            vm.root(x);
            let k = match key {
                Some(f) => vm.call_nested(host, f, &[x])?,
                None => x,
            };
            // x and k stay rooted while a user __lt__/__gt__ runs.
            vm.root(k);
            let cur = vm.root_at(best_key);
            let better = cur.is_null() || {
                let op = if is_max { CmpOp::Gt } else { CmpOp::Lt };
                vm.compare_host(host, op, k, cur)?
            };
            vm.unroot(slot);
            if better {
                vm.set_root(best, x);
                vm.set_root(best_key, k);
            }
        }
        let b = vm.root_at(best);
        if b.is_null() {
            if let Some(d) = default {
                return Ok(d);
            }
            let msg: &[u8] = if is_max { b"max()" } else { b"min()" };
            return vm.raise_s(T::ValueError, ErrMsg::EmptySequence, msg);
        }
        Ok(b)
    })();
    vm.unroot(mk);
    r
}

/// Calls builtin type `t` (constructors, exception classes).
#[inline(never)]
pub fn construct(vm: &mut Vm, host: &mut Hx<'_>, t: T, a: &Args) -> R<Value> {
    if t.is_exception() {
        let args = args_tuple(vm, a, 0)?;
        return vm.exc_new(t, PY_MADE, args, Value::NULL);
    }
    let name = t.name();
    // The arity column of the constructors (one check for all of them).
    let (min, max) = match t {
        T::int => (0, 2),
        T::range | T::slice => (1, 3),
        T::staticmethod | T::classmethod | T::property | T::enumerate => (1, 2),
        T::type_ => (1, 1),
        T::bool | T::float | T::str | T::tuple | T::list | T::dict | T::set | T::frozenset => {
            (0, 1)
        }
        _ => (0, usize::MAX),
    };
    want(vm, a, min, max, name)?;
    match t {
        #[cfg(feature = "bytes")]
        T::bytes | T::bytearray => crate::obj::bytes::methods::construct(vm, host, t, a),
        #[cfg(not(feature = "bytes"))]
        T::bytes | T::bytearray => vm.raise_s(
            T::NotImplementedError,
            ErrMsg::NotImplemented,
            t.name().as_bytes(),
        ),
        T::int => vm.int_construct(a),
        T::range => vm.range_construct(a),
        T::set | T::frozenset => vm.set_construct(host, t, a),
        T::enumerate | T::zip | T::map => vm.iter_construct(host, t, a),
        T::bool => Ok(Value::bool(a.n == 1 && vm.truth_host(host, vm.arg(a, 0))?)),
        T::float => {
            if a.n == 0 {
                return vm.float_new(0.0);
            }
            // (Of a subclass's instance: of its native base.)
            let v = vm.native_of(vm.arg(a, 0));
            #[cfg(all(feature = "bigint", feature = "float"))]
            if let Some(x) = vm.big_of(v).filter(|_| vm.is_big(v)) {
                let f = vm.big_float(&x)?;
                return vm.float_new(f);
            }
            if let Some(f) = vm.num_as_f64(v) {
                return vm.float_new(f);
            }
            if vm.is_str(v) {
                // Python allows one `_` between digits ("1_000.5"); Rust's
                // parser does not, so drop those (any other `_` stays and
                // makes the parse fail).
                // Surrounding whitespace is ASCII's, as `int()` and `str.strip()` take it.
                let mut buf = [0u8; 64];
                let b = vm.str_bytes(v).trim_ascii();
                let mut n = 0;
                for (i, &c) in b.iter().enumerate().take(64) {
                    let digit_at = |j: usize| b.get(j).is_some_and(u8::is_ascii_digit);
                    if c == b'_' && i > 0 && digit_at(i - 1) && digit_at(i + 1) {
                        continue;
                    }
                    buf[n] = c;
                    n += 1;
                }
                let s = core::str::from_utf8(&buf[..n]).unwrap_or("");
                // Both parsers take `inf`, `infinity` and `nan` in any
                // case. Without floats `float_new` raises: skip the parser.
                let f = if cfg!(feature = "float") {
                    flib::parse(s)
                } else {
                    Some(0.0)
                };
                return match f {
                    Some(f) => vm.float_new(f),
                    None => {
                        let r = vm.repr_of(v)?;
                        vm.raise_v(T::ValueError, ErrMsg::ArgValue, r)
                    }
                };
            }
            vm.raise_type(ErrMsg::ArgType, v)
        }
        T::str => {
            if a.n == 0 {
                return vm.str_from_bytes(b"");
            }
            vm.format_host(host, vm.arg(a, 0), false)
        }
        T::tuple => {
            if a.n == 0 {
                return vm.tuple_new(0);
            }
            vm.tuple_from_iter(host, vm.arg(a, 0))
        }
        T::list => {
            if a.n == 0 {
                return vm.list_new(0);
            }
            let v = vm.arg(a, 0);
            vm.list_from_iter(host, v)
        }
        T::dict => {
            let d = vm.dict_new(0)?;
            let mk = vm.root(d);
            let r = vm.dict_update_args(host, d, a, 0);
            vm.unroot(mk);
            r.map(|_| d)
        }
        T::slice => {
            // `slice(stop)` or `slice(start, stop[, step])`, as BUILD_SLICE.
            let w = vm.alloc(tag::SLICE, 4)?;
            for i in 0..3usize {
                let j = if a.n == 1 { i.wrapping_sub(1) } else { i };
                let v = if j < a.n { vm.arg(a, j) } else { Value::NONE };
                vm.heap.setv(w + 1 + i, v);
            }
            Ok(Value::obj(w))
        }
        T::staticmethod | T::classmethod | T::property => {
            let kind = match t {
                T::staticmethod => 0,
                T::classmethod => 1,
                _ => 2,
            };
            let setter = if a.n == 2 { vm.arg(a, 1) } else { Value::NULL };
            vm.wrap_new(kind, vm.arg(a, 0), setter)
        }
        T::type_ => Ok(vm.class_of(vm.arg(a, 0))),
        _ => vm.raise_s(
            T::NotImplementedError,
            ErrMsg::NotImplemented,
            name.as_bytes(),
        ),
    }
}

/// A tuple of the positional arguments from `from` on (an exception's
/// `args`).
pub(crate) fn args_tuple(vm: &mut Vm, a: &Args, from: usize) -> R<Value> {
    let n = a.n.saturating_sub(from);
    let t = vm.tuple_new(n)?;
    for i in 0..n {
        let x = vm.arg(a, from + i);
        vm.heap.setv(t.word() + 2 + i, x);
    }
    Ok(t)
}

/// `a + b` from native code, as the `+` operator does it: a user
/// `__add__` of `a`, else `__radd__` of `b` (so `sum()` starts from `0`
/// and meets instances through `0 + x` → `x.__radd__(0)`), else the
/// builtin types' addition.
fn add_any(vm: &mut Vm, host: &mut Hx<'_>, a: Value, b: Value) -> R<Value> {
    use crate::vm::Dunder;
    if let Some(f) = vm.special(a, Dunder::Add)? {
        return vm.call_nested(host, f, &[a, b]);
    }
    if let Some(f) = vm.special(b, Dunder::RAdd)? {
        return vm.call_nested(host, f, &[b, a]);
    }
    vm.binary_op(BinOp::Add as u8, a, b)
}
