//! The native methods of `str` (`self` is argument 0), dispatched by
//! method id from [`crate::builtins::methods::call`], which has checked
//! the receiver's type and the arity. `bytes` and `bytearray` run the same
//! code on their bytes (see [`crate::obj::bytes::methods`]): every
//! algorithm here is over the byte slice of a str-layout block, so one
//! code path serves the three types. The cold methods are Python in
//! `lib/str.py` and `lib/bytes.py` (the frozen library).

use super::{data, find_bytes, rfind_bytes, Kind};
use crate::builtins::methods::m;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::T;
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// The ASCII classes of [`byte_class`], as bits; `ANY` is set for every
/// byte, so a non-empty text has it in its union.
const DIGIT: u8 = 1;
const ALPHA: u8 = 2;
const ALNUM: u8 = 4;
const SPACE: u8 = 8;
const UPPER: u8 = 16;
const LOWER: u8 = 32;
const ANY: u8 = 64;

/// The classes byte `c` is in (the `str.is…` methods test the ASCII
/// classes, as the device's str has no Unicode tables).
fn byte_class(c: u8) -> u8 {
    let mut k = ANY;
    if c.is_ascii_digit() {
        k |= DIGIT | ALNUM;
    }
    if c.is_ascii_uppercase() {
        k |= UPPER | ALPHA | ALNUM;
    }
    if c.is_ascii_lowercase() {
        k |= LOWER | ALPHA | ALNUM;
    }
    if is_space(c) {
        k |= SPACE;
    }
    k
}

/// The byte range `(from, to)` of `s[start:end]` for a method's optional
/// `start` and `end` (arguments 2 and 3, `self` counted): character
/// indices, normalized as slice bounds, except that a start past the end
/// stays past it (`from` is then `usize::MAX`: CPython finds nothing
/// there, not even "", and no prefix matches).
fn window(vm: &Vm, s: Value, a: &Args) -> (usize, usize) {
    let chars = vm.str_chars(s) as i64;
    let mut b = [0, chars];
    for (i, out) in b.iter_mut().enumerate() {
        if let Some(v) = (a.n > i + 2)
            .then(|| vm.int_val(vm.arg(a, i + 2)))
            .flatten()
        {
            *out = if v < 0 {
                (v + chars).max(0)
            } else {
                v.min(chars + i64::from(i == 0))
            };
        }
    }
    let [lo, hi] = b;
    // lo > hi needs no case of its own: a search starting past the end of
    // the haystack finds nothing.
    let from = if lo > hi {
        usize::MAX
    } else {
        vm.str_char_offset(s, lo as usize)
    };
    (from, vm.str_char_offset(s, hi as usize))
}

/// Operand `v` as a block of the str layout: a str for a str receiver
/// (kind `k`), a bytes or a bytearray's buffer for a bytes-like one;
/// `TypeError` for anything else.
fn operand(vm: &mut Vm, k: Kind, v: Value) -> R<Value> {
    match pick(vm, k, v) {
        Some(b) => Ok(b),
        None => operand_native(vm, k, v),
    }
}

/// [`operand`]'s value as it is, if it has the receiver's type.
#[inline]
fn pick(vm: &Vm, k: Kind, v: Value) -> Option<Value> {
    if k.is_str() {
        vm.is_str(v).then_some(v)
    } else {
        vm.bytes_view(v)
    }
}

/// [`operand`] past a value of another type: a str subclass's instance
/// gives its native base; anything else is a `TypeError`.
#[inline(never)]
fn operand_native(vm: &mut Vm, k: Kind, v: Value) -> R<Value> {
    match pick(vm, k, vm.native_of(v)) {
        Some(b) => Ok(b),
        None => vm.raise_type(ErrMsg::NeedStr, v),
    }
}

/// Separator `sep` as [`operand`] gives it, and its byte length (not 0).
fn separator(vm: &mut Vm, k: Kind, sep: Value) -> R<(Value, usize)> {
    let sep = operand(vm, k, sep)?;
    match vm.str_span(sep).1 {
        0 => vm.raise(T::ValueError, ErrMsg::EmptySeparator),
        n => Ok((sep, n)),
    }
}

/// Converts a byte offset in str `s` to a character index.
fn char_index(vm: &Vm, s: Value, byte: usize) -> usize {
    if vm.str_chars(s) == vm.str_span(s).1 {
        return byte;
    }
    vm.str_bytes(s)[..byte]
        .iter()
        .filter(|&&c| c & 0xC0 != 0x80)
        .count()
}

/// The methods of str.
#[inline]
pub(crate) fn call(vm: &mut Vm, host: &mut Hx<'_>, s: Value, id: u32, a: &Args) -> R<Value> {
    call_as(vm, host, s, id, a, Kind::Str)
}

/// The methods of str, bytes and bytearray (bytes' reach here through
/// [`crate::obj::bytes::methods`], with a bytearray's buffer as `s`):
/// operands must have the receiver's type, and what they make has kind `k`.
#[inline(never)]
pub(crate) fn call_as(
    vm: &mut Vm,
    host: &mut Hx<'_>,
    s: Value,
    id: u32,
    a: &Args,
    k: Kind,
) -> R<Value> {
    let n = a.n - 1;
    let arg = |vm: &Vm, i: usize| vm.arg(a, i + 1);
    let need_str = |vm: &mut Vm, v: Value| operand(vm, k, v);
    match id {
        m::STR_JOIN => {
            // `s` rooted: a bytearray's buffer, which the iteration's own
            // code may replace (growing it) and so leave unreachable.
            let mk = vm.root(s);
            let r = (|| {
                let items = vm.list_from_iter(host, arg(vm, 0))?;
                vm.root(items);
                let (_, cnt) = vm.seq_items(items).unwrap_or((0, 0));
                let sep = vm.str_span(s).1;
                let mut total = 0;
                for i in 0..cnt {
                    let (b, _) = vm.seq_items(items).unwrap_or((0, 0));
                    let x = need_str(vm, vm.heap.v(b + i))?;
                    // `items` is join's own list: keep the operand (a
                    // subclass's instance's base) for the copy below.
                    vm.heap.setv(b + i, x);
                    total += vm.str_span(x).1 + if i > 0 { sep } else { 0 };
                }
                let w = vm.seq_alloc(k, total)?;
                let mut d = data(w);
                for i in 0..cnt {
                    if i > 0 {
                        let (ss, sl) = vm.str_span(s);
                        vm.copy_code(ss, d, sl);
                        d += sl;
                    }
                    let (b, _) = vm.seq_items(items).unwrap_or((0, 0));
                    let x = vm.heap.v(b + i);
                    let (xs, xl) = vm.str_span(vm.bytes_view(x).unwrap_or(x));
                    vm.copy_code(xs, d, xl);
                    d += xl;
                }
                vm.seq_finish(k, w)
            })();
            vm.unroot(mk);
            r
        }
        m::STR_SPLIT => {
            let sep = if n >= 1 {
                arg(vm, 0)
            } else {
                vm.kwarg(a, b"sep").unwrap_or(Value::NONE)
            };
            let maxsplit = if n >= 2 {
                vm.int_val(arg(vm, 1)).unwrap_or(-1)
            } else {
                -1
            };
            let sep = if sep == Value::NONE {
                sep
            } else {
                separator(vm, k, sep)?.0
            };
            let l = vm.list_new(0)?;
            let mk = vm.root(l);
            let r = (|| {
                let (start, len) = vm.str_span(s);
                let mut pos = 0;
                let mut splits = 0i64;
                if sep == Value::NONE {
                    loop {
                        let b = vm.str_bytes(s);
                        while pos < len && is_space(b[pos]) {
                            pos += 1;
                        }
                        if pos >= len {
                            break;
                        }
                        let mut end = pos;
                        if maxsplit >= 0 && splits >= maxsplit {
                            // The rest, as it is: CPython strips only the
                            // whitespace before it.
                            end = len;
                        } else {
                            while end < len && !is_space(b[end]) {
                                end += 1;
                            }
                        }
                        let piece = vm.seq_from_arena(k, start + pos, end - pos)?;
                        vm.list_push(l, piece)?;
                        splits += 1;
                        pos = end;
                    }
                } else {
                    let sl = vm.str_span(sep).1;
                    loop {
                        let found = if maxsplit >= 0 && splits >= maxsplit {
                            None
                        } else {
                            find_bytes(vm.str_bytes(s), vm.str_bytes(sep), pos)
                        };
                        let end = found.unwrap_or(len);
                        let piece = vm.seq_from_arena(k, start + pos, end - pos)?;
                        vm.list_push(l, piece)?;
                        splits += 1;
                        match found {
                            Some(f) => pos = f + sl,
                            None => break,
                        }
                    }
                }
                Ok(l)
            })();
            vm.unroot(mk);
            r
        }
        // The library's (lib/format.py), with this call's arguments.
        m::STR_FORMAT => match vm.library_module_function(host, b"_format", b"strformat")? {
            Some(f) => vm.call_args_nested(host, f, *a),
            None => vm.fmt_unsupported(),
        },
        m::STR_UPPER | m::STR_LOWER => {
            let (start, len) = vm.str_span(s);
            let up = id == m::STR_UPPER;
            if k.is_str() && vm.str_chars(s) != len {
                // Letters past ASCII: the library's case tables
                // (lib/case.py, loaded only for such a str).
                let name: &[u8] = if up { b"upper" } else { b"lower" };
                if let Some(f) = vm.library_module_function(host, b"_case", name)? {
                    return vm.call_nested(host, f, &[s]);
                }
            }
            let w = vm.seq_alloc(k, len)?;
            let d = data(w);
            vm.copy_code(start, d, len);
            for i in 0..len {
                let c = vm.heap.byte(d + i);
                vm.heap.bytes_mut()[d + i] = if up {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
            }
            vm.seq_finish(k, w)
        }
        m::STR_STARTSWITH | m::STR_ENDSWITH => {
            let p = arg(vm, 0);
            // Within `s[start:end]`; a start past the end matches nothing.
            let (from, to) = window(vm, s, a);
            let check = |vm: &Vm, p: Value| -> bool {
                let (b, pb) = (vm.str_bytes(s), vm.str_bytes(p));
                let Some(b) = b.get(from..to) else {
                    return false;
                };
                if id == m::STR_STARTSWITH {
                    b.starts_with(pb)
                } else {
                    b.ends_with(pb)
                }
            };
            if let Some((b, cnt)) = vm.seq_items(p) {
                for i in 0..cnt {
                    let x = need_str(vm, vm.heap.v(b + i))?;
                    if check(vm, x) {
                        return Ok(Value::TRUE);
                    }
                }
                return Ok(Value::FALSE);
            }
            let p = need_str(vm, p)?;
            Ok(Value::bool(check(vm, p)))
        }
        m::STR_STRIP | m::STR_LSTRIP | m::STR_RSTRIP => {
            let chars = if n == 1 { arg(vm, 0) } else { Value::NONE };
            let chars = if chars == Value::NONE {
                chars
            } else {
                need_str(vm, chars)?
            };
            let (start, len) = vm.str_span(s);
            let strip = |vm: &Vm, c: u8| -> bool {
                if chars == Value::NONE {
                    is_space(c)
                } else {
                    vm.str_bytes(chars).contains(&c)
                }
            };
            let (mut lo, mut hi) = (0, len);
            if id != m::STR_RSTRIP {
                while lo < hi && strip(vm, vm.span_byte(start + lo)) {
                    lo += 1;
                }
            }
            if id != m::STR_LSTRIP {
                while hi > lo && strip(vm, vm.span_byte(start + hi - 1)) {
                    hi -= 1;
                }
            }
            vm.seq_from_arena(k, start + lo, hi - lo)
        }
        m::STR_REPLACE => {
            let old = need_str(vm, arg(vm, 0))?;
            let new = need_str(vm, arg(vm, 1))?;
            let limit = if n == 3 {
                vm.int_val(arg(vm, 2)).unwrap_or(-1)
            } else {
                -1
            };
            let (ol, nl) = (vm.str_span(old).1, vm.str_span(new).1);
            let (_, len) = vm.str_span(s);
            // Pass 1: count matches.
            let mut count = 0usize;
            let mut pos = 0;
            while limit < 0 || (count as i64) < limit {
                if ol == 0 {
                    if pos > len {
                        break;
                    }
                    count += 1;
                    pos += 1;
                    continue;
                }
                match find_bytes(vm.str_bytes(s), vm.str_bytes(old), pos) {
                    Some(f) => {
                        count += 1;
                        pos = f + ol;
                    }
                    None => break,
                }
            }
            let total = len + count * nl - count * ol;
            let w = vm.seq_alloc(k, total)?;
            let mut d = data(w);
            let mut pos = 0;
            for k in 0..count {
                let f = if ol == 0 {
                    pos
                } else {
                    find_bytes(vm.str_bytes(s), vm.str_bytes(old), pos).unwrap_or(len)
                };
                let (ss, _) = vm.str_span(s);
                vm.copy_code(ss + pos, d, f - pos);
                d += f - pos;
                let (ns, _) = vm.str_span(new);
                vm.copy_code(ns, d, nl);
                d += nl;
                if ol == 0 {
                    if f < len {
                        let l1 =
                            crate::obj::str::utf8_len(vm.str_bytes(s).get(f).copied().unwrap_or(0));
                        vm.copy_code(ss + f, d, l1);
                        d += l1;
                        pos = f + l1;
                    } else {
                        pos = f;
                    }
                    let _ = k;
                } else {
                    pos = f + ol;
                }
            }
            let (ss, _) = vm.str_span(s);
            if pos < len {
                vm.copy_code(ss + pos, d, len - pos);
            }
            vm.seq_finish(k, w)
        }
        m::STR_FIND | m::STR_INDEX | m::STR_RFIND | m::STR_RINDEX | m::STR_COUNT => {
            let sub = arg(vm, 0);
            #[cfg(feature = "bytes")]
            let sub = if k != Kind::Str && vm.int_val(sub).is_some() {
                // A bytes-like's needle may be one byte, as an int (the
                // search below allocates nothing that could collect it).
                let x = vm.byte_of(sub, ErrMsg::ByteRange)?;
                vm.bytes_from_slice(&[x])?
            } else {
                sub
            };
            let sub = need_str(vm, sub)?;
            let (from, to) = window(vm, s, a);
            let (hay, nd) = (&vm.str_bytes(s)[..to], vm.str_bytes(sub));
            if id == m::STR_COUNT {
                let mut c = 0;
                let mut pos = from;
                while let Some(f) = find_bytes(hay, nd, pos) {
                    c += 1;
                    pos = f + nd.len().max(1);
                    if pos > hay.len() {
                        break;
                    }
                }
                return vm.int_from_i64(c);
            }
            let found = if id == m::STR_RFIND || id == m::STR_RINDEX {
                rfind_bytes(hay, nd, from)
            } else {
                find_bytes(hay, nd, from)
            };
            match found {
                Some(f) => {
                    let ci = char_index(vm, s, f);
                    vm.int_from_i64(ci as i64)
                }
                None if id == m::STR_INDEX || id == m::STR_RINDEX => {
                    vm.raise(T::ValueError, ErrMsg::SubstringNotFound)
                }
                None => Ok(Value::small(-1)),
            }
        }
        m::STR_ISDIGIT
        | m::STR_ISALPHA
        | m::STR_ISSPACE
        | m::STR_ISUPPER
        | m::STR_ISLOWER
        | m::STR_ISALNUM => {
            // One pass: which classes every byte has, and which some byte has.
            let (mut all, mut any) = (u8::MAX, 0u8);
            for &c in vm.str_bytes(s) {
                let k = byte_class(c);
                all &= k;
                any |= k;
            }
            let r = match id {
                m::STR_ISDIGIT => any != 0 && all & DIGIT != 0,
                m::STR_ISALPHA => any != 0 && all & ALPHA != 0,
                m::STR_ISALNUM => any != 0 && all & ALNUM != 0,
                m::STR_ISSPACE => any != 0 && all & SPACE != 0,
                m::STR_ISUPPER => any & UPPER != 0 && any & LOWER == 0,
                _ => any & LOWER != 0 && any & UPPER == 0,
            };
            Ok(Value::bool(r))
        }
        _ => vm.raise_s(
            T::NotImplementedError,
            ErrMsg::NotImplemented,
            crate::builtins::method_name(id).as_bytes(),
        ),
    }
}
