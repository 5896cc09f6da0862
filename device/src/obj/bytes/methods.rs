//! The constructors and methods of `bytes` and `bytearray`, `str.encode`
//! and `bytes.fromhex` (the int conversions are Python in the frozen
//! library, `lib/int.py`).
//!
//! A bytes block has the str layout (see [`crate::obj::bytes`]), so the
//! methods whose algorithm is the same byte-wise (find, split, strip,
//! replace, join, upper, …) run the str method body itself on it
//! ([`crate::obj::str::methods::call_as`]): a bytearray operand stands in
//! as its buffer, and what the method makes has the receiver's type.

use crate::builtins::funcs::want;
use crate::builtins::methods::m;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::exc::Part;
use crate::obj::float::{Buf, Sink};
use crate::obj::str::data;
use crate::obj::str::methods::call_as as str_method;
use crate::obj::str::Kind;
use crate::obj::T;
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

/// Hex digits, lowercase as CPython writes them.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// Positional argument `i` (counting `self`), else keyword `name`.
fn opt(vm: &Vm, a: &Args, i: usize, name: &[u8]) -> Option<Value> {
    if a.n > i {
        Some(vm.arg(a, i))
    } else {
        vm.kwarg(a, name)
    }
}

/// The codecs: UTF-8 and ASCII, by any of their usual spellings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    Utf8,
    Ascii,
}

/// The codec named by argument `i` / keyword `encoding` (UTF-8 if absent);
/// `LookupError` for another; `errors` other than `'strict'` is refused.
fn codec(vm: &mut Vm, a: &Args, i: usize) -> R<Codec> {
    if let Some(e) = opt(vm, a, i + 1, b"errors") {
        if !vm.is_str(e) || vm.str_bytes(e) != b"strict" {
            return vm.raise_s(T::NotImplementedError, ErrMsg::NotImplemented, b"errors");
        }
    }
    let Some(e) = opt(vm, a, i, b"encoding") else {
        return Ok(Codec::Utf8);
    };
    if !vm.is_str(e) {
        return vm.raise_type(ErrMsg::ArgType, e);
    }
    let mut norm = [0u8; 8];
    let mut n = 0;
    for &c in vm.str_bytes(e) {
        if c != b'-' && c != b'_' {
            if n == norm.len() {
                n = 0;
                break;
            }
            norm[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    match &norm[..n] {
        b"utf8" => Ok(Codec::Utf8),
        b"ascii" | b"usascii" => Ok(Codec::Ascii),
        _ => vm.raise_v(T::LookupError, ErrMsg::Custom, e),
    }
}

/// `bytes.decode` / `str(b, encoding)`: a str, or `UnicodeDecodeError`
/// with CPython's message.
fn decode(vm: &mut Vm, b: Value, c: Codec) -> R<Value> {
    let (s, n) = vm.bytes_span(b).unwrap_or((0, 0));
    let bytes = &vm.heap.bytes()[s..s + n];
    let bad = match c {
        Codec::Ascii => bytes
            .iter()
            .position(|&x| x >= 0x80)
            .map(|p| (p, ErrMsg::DecodeAscii)),
        Codec::Utf8 => core::str::from_utf8(bytes).err().map(|e| {
            let p = e.valid_up_to();
            let why = match e.error_len() {
                None => ErrMsg::DecodeEnd,
                Some(_) if (0xC2..=0xF4).contains(&bytes[p]) => ErrMsg::DecodeContinuation,
                Some(_) => ErrMsg::DecodeStart,
            };
            (p, why)
        }),
    };
    let Some((p, why)) = bad else {
        return vm.str_from_arena(s, n);
    };
    // (A byte that fails to decode is >= 0x80: always two digits.)
    let x = bytes[p];
    let hex = [HEX[(x >> 4) as usize], HEX[(x & 15) as usize]];
    vm.raise_parts(
        T::UnicodeDecodeError,
        why,
        &[Part::Bytes(&hex), Part::Num(p)],
    )
}

/// `str.encode` / `bytes(s, encoding)`: a bytes (or bytearray).
fn encode(vm: &mut Vm, s: Value, c: Codec, ba: bool) -> R<Value> {
    let (start, n) = vm.str_span(s);
    if c == Codec::Ascii {
        let text = vm.str_bytes(s);
        if let Some(p) = text.iter().position(|&x| x >= 0x80) {
            let chars = |b: &[u8]| b.iter().filter(|&&x| x & 0xC0 != 0x80).count();
            let at = chars(&text[..p]);
            // CPython names the whole run of characters it cannot encode,
            // or the one character by its escape.
            let end = text[p..].iter().position(|&x| x < 0x80);
            let run = &text[p..end.map_or(text.len(), |e| p + e)];
            return match chars(run) {
                1 => {
                    let c = core::str::from_utf8(run)
                        .ok()
                        .and_then(|t| t.chars().next());
                    let c = c.map_or(0, u32::from);
                    let (esc, w) = match c {
                        0..=0xFF => (b"\\x", 2),
                        0x100..=0xFFFF => (b"\\u", 4),
                        _ => (b"\\U", 8),
                    };
                    let mut m = Buf::<10>::new();
                    m.push_all(esc);
                    for i in (0..w).rev() {
                        m.push_all(&[HEX[(c >> (4 * i)) as usize & 15]]);
                    }
                    let parts = [Part::Bytes(m.bytes()), Part::Num(at)];
                    vm.raise_parts(T::UnicodeEncodeError, ErrMsg::EncodeAsciiChar, &parts)
                }
                k => {
                    let parts = [Part::Num(at), Part::Num(at + k - 1)];
                    vm.raise_parts(T::UnicodeEncodeError, ErrMsg::EncodeAsciiChars, &parts)
                }
            };
        }
    }
    vm.bytes_from_arena(start, n, ba)
}

/// `bytes(…)` and `bytearray(…)`.
#[inline(never)]
pub fn construct(vm: &mut Vm, host: &mut Hx<'_>, t: T, a: &Args) -> R<Value> {
    let ba = t == T::bytearray;
    want(vm, a, 0, 3, t.name())?;
    let Some(x) = opt(vm, a, 0, b"source") else {
        let w = vm.bytes_alloc(0)?;
        return vm.bytes_done(w, ba);
    };
    if vm.is_str(x) && (a.n > 1 || vm.nkw(a) > 0) {
        let c = codec(vm, a, 1)?;
        return encode(vm, x, c, ba);
    }
    vm.bytes_of(host, x, ba)
}

/// `bytes.hex()`.
fn hex(vm: &mut Vm, this: Value) -> R<Value> {
    let (_, n) = vm.bytes_span(this).unwrap_or((0, 0));
    let w = vm.str_alloc(2 * n)?;
    let (s, _) = vm.bytes_span(this).unwrap_or((0, 0));
    for k in 0..n {
        let x = vm.heap.byte(s + k);
        let d = data(w) + 2 * k;
        vm.heap.bytes_mut()[d] = HEX[(x >> 4) as usize];
        vm.heap.bytes_mut()[d + 1] = HEX[(x & 15) as usize];
    }
    vm.str_finish(w);
    Ok(Value::obj(w))
}

/// `bytes.fromhex(s)`: pairs of hex digits, whitespace between pairs.
fn fromhex(vm: &mut Vm, s: Value, ba: bool) -> R<Value> {
    if !vm.is_str(s) {
        return vm.raise_type(ErrMsg::NeedStr, s);
    }
    let (start, n) = vm.str_span(s);
    let w = vm.bytes_alloc(n / 2)?;
    let digit = |c: u8| (c as char).to_digit(16);
    let (mut i, mut k) = (0, 0);
    while i < n {
        let c = vm.span_byte(start + i);
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let hi = digit(c);
        let lo = (i + 1 < n)
            .then(|| digit(vm.span_byte(start + i + 1)))
            .flatten();
        let (Some(hi), Some(lo)) = (hi, lo) else {
            let p = if hi.is_some() { i + 1 } else { i };
            return vm.raise_parts(T::ValueError, ErrMsg::FromhexDigit, &[Part::Num(p)]);
        };
        vm.heap.bytes_mut()[data(w) + k] = (hi * 16 + lo) as u8;
        k += 1;
        i += 2;
    }
    vm.heap.set(w + 2, k as u32);
    vm.heap.set(w + 3, k as u32);
    vm.bytes_done(w, ba)
}

/// The id of str method `name` (the bytes methods share str's names; an
/// unknown name gets an id `str_method` rejects).
fn str_id(name: &str) -> u32 {
    (0..crate::builtins::METHODS.len())
        .find(|&i| {
            crate::builtins::METHOD_INFO[i].0 == T::str
                && crate::builtins::method_name(i as u32) == name
        })
        .map_or(u32::MAX, |i| i as u32)
}

/// Methods of bytes and bytearray, `str.encode` and `bytes.fromhex`
/// (`self` is argument 0; for the class method, the class).
#[inline(never)]
pub fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    let this = vm.arg(a, 0);
    let ba = vm.is_bytearray(this);
    let arg = |vm: &Vm, i: usize| vm.arg(a, i + 1);
    match id {
        m::STR_ENCODE => {
            let c = codec(vm, a, 1)?;
            encode(vm, this, c, false)
        }
        m::BYTES_DECODE => {
            let c = codec(vm, a, 1)?;
            decode(vm, this, c)
        }
        m::BYTES_HEX => hex(vm, this),
        m::TYPE_FROMHEX => fromhex(vm, arg(vm, 0), this == T::bytearray.value()),
        m::BYTEARRAY_APPEND | m::BYTEARRAY_INSERT => {
            let (_, len) = vm.bytes_span(this).unwrap_or((0, 0));
            let at = if id == m::BYTEARRAY_APPEND {
                len
            } else {
                let Some(i) = vm.int_val(arg(vm, 0)) else {
                    return vm.raise_type(ErrMsg::IndexType, arg(vm, 0));
                };
                let i = if i < 0 { i + len as i64 } else { i };
                i.clamp(0, len as i64) as usize
            };
            let b = vm.byte_of(arg(vm, a.n - 2), ErrMsg::ByteRange)?;
            vm.bytearray_insert(this, at, b)?;
            Ok(Value::NONE)
        }
        m::BYTEARRAY_EXTEND => {
            let v = arg(vm, 0);
            if vm.int_val(v).is_some() || vm.is_str(v) {
                return vm.raise_type(ErrMsg::NotIterable, v);
            }
            let src = vm.bytes_of(host, v, false)?;
            let m = vm.root(src);
            let (_, len) = vm.bytes_span(this).unwrap_or((0, 0));
            let r = vm.bytearray_splice(this, len, len, src);
            vm.unroot(m);
            r.map(|_| Value::NONE)
        }
        m::BYTEARRAY_POP => {
            let (_, len) = vm.bytes_span(this).unwrap_or((0, 0));
            if len == 0 {
                return vm.raise(T::IndexError, ErrMsg::PopEmptyBytearray);
            }
            let i = if a.n == 2 {
                vm.index(arg(vm, 0), len, b"pop")?
            } else {
                len - 1
            };
            Ok(Value::small(vm.bytearray_remove_at(this, i) as i32))
        }
        m::BYTEARRAY_REMOVE => {
            let b = vm.byte_of(arg(vm, 0), ErrMsg::ByteRange)?;
            match vm
                .bytes_data(this)
                .and_then(|d| d.iter().position(|&x| x == b))
            {
                Some(i) => {
                    vm.bytearray_remove_at(this, i);
                    Ok(Value::NONE)
                }
                None => vm.raise(T::ValueError, ErrMsg::BytearrayRemoveNotIn),
            }
        }
        m::BYTEARRAY_CLEAR | m::BYTEARRAY_REVERSE => {
            let buf = vm.bytes_view(this).unwrap_or(this);
            let (s, n) = vm.str_span(buf);
            if id == m::BYTEARRAY_CLEAR {
                vm.heap.set(buf.word() + 2, 0);
                vm.heap.set(buf.word() + 3, 0);
            } else {
                vm.heap.bytes_mut()[s..s + n].reverse();
            }
            Ok(Value::NONE)
        }
        m::BYTEARRAY_COPY => {
            let (s, n) = vm.bytes_span(this).unwrap_or((0, 0));
            vm.bytes_from_arena(s, n, true)
        }
        // The rest are str's bodies, over the receiver's bytes.
        _ => {
            let k = if ba { Kind::ByteArray } else { Kind::Bytes };
            let name = crate::builtins::method_name(id);
            str_method(
                vm,
                host,
                vm.bytes_view(this).unwrap_or(this),
                str_id(name),
                a,
                k,
            )
        }
    }
}
