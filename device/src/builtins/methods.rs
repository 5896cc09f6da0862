//! Methods of builtin types (`self` is argument 0).

use super::{method_name, METHODS};
use crate::heap::Value;
use crate::machine::Host;
use crate::obj::str::{data, find_bytes, rfind_bytes};
use crate::obj::{tag, T};
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::CmpOp;

/// Method ids (the index in [`METHODS`]) resolved at compile time, so
/// that [`call`] dispatches on an integer rather than on (type, name).
#[allow(dead_code)] // FLOAT_IS_INTEGER without feature "float", BYTES_* without "bytes"
pub(super) mod m {
    use crate::obj::T;

    /// The index of `(t, name)` in [`super::METHODS`]; a pair not in the
    /// table does not compile.
    const fn id(t: T, name: &str) -> u32 {
        let name = name.as_bytes();
        let mut i = 0;
        while i < super::METHODS.len() {
            let (mt, n, _, _) = super::METHODS[i];
            if mt as u32 == t as u32 && super::super::const_eq(n.as_bytes(), name) {
                return i as u32;
            }
            i += 1;
        }
        panic!("not a builtin method")
    }
    pub const BYTES_DECODE: u32 = id(T::bytes, "decode");
    pub const BYTES_JOIN: u32 = id(T::bytes, "join");
    pub const BYTES_FIND: u32 = id(T::bytes, "find");
    pub const BYTES_RFIND: u32 = id(T::bytes, "rfind");
    pub const BYTES_INDEX: u32 = id(T::bytes, "index");
    pub const BYTES_COUNT: u32 = id(T::bytes, "count");
    pub const BYTEARRAY_APPEND: u32 = id(T::bytearray, "append");
    pub const BYTEARRAY_INSERT: u32 = id(T::bytearray, "insert");
    pub const BYTEARRAY_EXTEND: u32 = id(T::bytearray, "extend");
    pub const BYTEARRAY_POP: u32 = id(T::bytearray, "pop");
    pub const BYTEARRAY_REMOVE: u32 = id(T::bytearray, "remove");
    pub const BYTEARRAY_CLEAR: u32 = id(T::bytearray, "clear");
    pub const BYTEARRAY_REVERSE: u32 = id(T::bytearray, "reverse");
    pub const BYTEARRAY_COPY: u32 = id(T::bytearray, "copy");
    pub const BASEEXCEPTION_INIT: u32 = id(T::BaseException, "__init__");
    pub const DICT_CLEAR: u32 = id(T::dict, "clear");
    pub const DICT_COPY: u32 = id(T::dict, "copy");
    pub const DICT_GET: u32 = id(T::dict, "get");
    pub const DICT_ITEMS: u32 = id(T::dict, "items");
    pub const DICT_KEYS: u32 = id(T::dict, "keys");
    pub const DICT_POP: u32 = id(T::dict, "pop");
    pub const DICT_POPITEM: u32 = id(T::dict, "popitem");
    pub const DICT_UPDATE: u32 = id(T::dict, "update");
    pub const DICT_VALUES: u32 = id(T::dict, "values");
    pub const FLOAT_IS_INTEGER: u32 = id(T::float, "is_integer");
    pub const GENERATOR_SEND: u32 = id(T::generator, "send");
    pub const INT_BIT_LENGTH: u32 = id(T::int, "bit_length");
    pub const INT_TO_BYTES: u32 = id(T::int, "to_bytes");
    pub const LIST_APPEND: u32 = id(T::list, "append");
    pub const LIST_CLEAR: u32 = id(T::list, "clear");
    pub const LIST_COPY: u32 = id(T::list, "copy");
    pub const LIST_EXTEND: u32 = id(T::list, "extend");
    pub const LIST_INDEX: u32 = id(T::list, "index");
    pub const LIST_INSERT: u32 = id(T::list, "insert");
    pub const LIST_POP: u32 = id(T::list, "pop");
    pub const LIST_REMOVE: u32 = id(T::list, "remove");
    pub const LIST_REVERSE: u32 = id(T::list, "reverse");
    pub const LIST_SORT: u32 = id(T::list, "sort");
    pub const OBJECT_INIT: u32 = id(T::object, "__init__");
    pub const PROPERTY_SETTER: u32 = id(T::property, "setter");
    pub const RANGE_COUNT: u32 = id(T::range, "count");
    pub const RANGE_INDEX: u32 = id(T::range, "index");
    pub const SLICE_INDICES: u32 = id(T::slice, "indices");
    pub const SET_ADD: u32 = id(T::set, "add");
    pub const SET_CLEAR: u32 = id(T::set, "clear");
    pub const SET_DISCARD: u32 = id(T::set, "discard");
    pub const SET_POP: u32 = id(T::set, "pop");
    pub const SET_REMOVE: u32 = id(T::set, "remove");
    pub const SET_UPDATE: u32 = id(T::set, "update");
    pub const STR_ENCODE: u32 = id(T::str, "encode");
    pub const STR_COUNT: u32 = id(T::str, "count");
    pub const STR_ENDSWITH: u32 = id(T::str, "endswith");
    pub const STR_FIND: u32 = id(T::str, "find");
    pub const STR_FORMAT: u32 = id(T::str, "format");
    pub const STR_INDEX: u32 = id(T::str, "index");
    pub const STR_ISALNUM: u32 = id(T::str, "isalnum");
    pub const STR_ISALPHA: u32 = id(T::str, "isalpha");
    pub const STR_ISDIGIT: u32 = id(T::str, "isdigit");
    pub const STR_ISLOWER: u32 = id(T::str, "islower");
    pub const STR_ISSPACE: u32 = id(T::str, "isspace");
    pub const STR_ISUPPER: u32 = id(T::str, "isupper");
    pub const STR_JOIN: u32 = id(T::str, "join");
    pub const STR_LOWER: u32 = id(T::str, "lower");
    pub const STR_LSTRIP: u32 = id(T::str, "lstrip");
    pub const STR_REPLACE: u32 = id(T::str, "replace");
    pub const STR_RFIND: u32 = id(T::str, "rfind");
    pub const STR_RSTRIP: u32 = id(T::str, "rstrip");
    pub const STR_SPLIT: u32 = id(T::str, "split");
    pub const STR_STARTSWITH: u32 = id(T::str, "startswith");
    pub const STR_STRIP: u32 = id(T::str, "strip");
    pub const STR_UPPER: u32 = id(T::str, "upper");
    pub const SET_COPY: u32 = id(T::set, "copy");
    pub const SET_DIFFERENCE: u32 = id(T::set, "difference");
    pub const SET_INTERSECTION: u32 = id(T::set, "intersection");
    pub const SET_ISDISJOINT: u32 = id(T::set, "isdisjoint");
    pub const SET_ISSUBSET: u32 = id(T::set, "issubset");
    pub const SET_ISSUPERSET: u32 = id(T::set, "issuperset");
    pub const SET_SYMMETRIC_DIFFERENCE: u32 = id(T::set, "symmetric_difference");
    pub const SET_UNION: u32 = id(T::set, "union");
    pub const TUPLE_COUNT: u32 = id(T::tuple, "count");
    pub const TUPLE_INDEX: u32 = id(T::tuple, "index");
    pub const TYPE_FROM_BYTES: u32 = id(T::type_, "from_bytes");
    pub const TYPE_FROMHEX: u32 = id(T::type_, "fromhex");
    pub const TYPE_FROMKEYS: u32 = id(T::type_, "fromkeys");
}

/// True for the set methods that change the set (a frozenset has none).
pub(crate) fn set_mutates(id: u32) -> bool {
    matches!(
        id,
        m::SET_ADD | m::SET_REMOVE | m::SET_DISCARD | m::SET_POP | m::SET_CLEAR | m::SET_UPDATE
    )
}

/// Dispatches method `id`.
#[inline(never)]
pub fn call(vm: &mut Vm, host: &mut dyn Host, id: u32, a: &Args) -> R<Value> {
    let Some(&(t, min, max)) = super::METHOD_INFO.get(id as usize) else {
        return vm.raise(T::TypeError, ErrMsg::NotCallable);
    };
    let this_t = vm.type_of(vm.arg(a, 0));
    // A frozenset takes the set methods that do not mutate.
    let frozen_ok = this_t == T::frozenset && t == T::set && !set_mutates(id);
    let shared_ok = this_t == T::bytearray && t == T::bytes;
    if a.n == 0 || !(this_t.is_sub(t) || frozen_ok || shared_ok) {
        return vm.raise_s(T::TypeError, ErrMsg::ArgType, method_name(id).as_bytes());
    }
    // The arity column, checked here once for every method below
    // (`str_method` and the bytes methods included).
    if a.n < min as usize || a.n > max as usize {
        return vm.raise_s(T::TypeError, ErrMsg::ArgCount, method_name(id).as_bytes());
    }
    let this = vm.arg(a, 0);
    let n = a.n - 1;
    let arg = |vm: &Vm, i: usize| vm.arg(a, i + 1);
    match id {
        m::LIST_APPEND => {
            vm.list_push(this, arg(vm, 0))?;
            Ok(Value::NONE)
        }
        m::LIST_EXTEND => {
            vm.list_extend_iter(host, this, arg(vm, 0))?;
            Ok(Value::NONE)
        }
        m::LIST_POP => {
            let len = vm.list_len(this);
            if len == 0 {
                return vm.raise(T::IndexError, ErrMsg::PopEmpty);
            }
            let i = if n == 1 {
                vm.index(arg(vm, 0), len, b"pop")?
            } else {
                len - 1
            };
            Ok(vm.list_remove_at(this, i))
        }
        m::LIST_INSERT => {
            let Some(i) = vm.int_val(arg(vm, 0)) else {
                return vm.raise_type(ErrMsg::IndexType, arg(vm, 0));
            };
            let len = vm.list_len(this) as i64;
            let i = if i < 0 { (i + len).max(0) } else { i.min(len) };
            vm.list_insert(this, i as usize, arg(vm, 1))?;
            Ok(Value::NONE)
        }
        m::LIST_REMOVE | m::LIST_INDEX | m::TUPLE_INDEX => {
            let x = arg(vm, 0);
            let (_, len) = vm.seq_items(this).unwrap_or((0, 0));
            let bound = |vm: &Vm, i: usize, dflt: usize| -> usize {
                if n > i {
                    let v = vm.int_val(arg(vm, i)).unwrap_or(0);
                    let v = if v < 0 { v + len as i64 } else { v };
                    v.clamp(0, len as i64) as usize
                } else {
                    dflt
                }
            };
            let (lo, hi) = (bound(vm, 1, 0), bound(vm, 2, len));
            match vm.seq_find(host, this, x, lo, hi)? {
                Some(i) if id == m::LIST_REMOVE => {
                    vm.list_remove_at(this, i);
                    Ok(Value::NONE)
                }
                Some(i) => vm.int_from_i64(i as i64),
                None if id == m::LIST_INDEX => not_in(vm, x, ErrMsg::NotInList),
                None if id == m::LIST_REMOVE => vm.raise(T::ValueError, ErrMsg::ListRemoveNotIn),
                None => vm.raise(T::ValueError, ErrMsg::TupleIndexNotIn),
            }
        }
        m::TUPLE_COUNT => {
            let x = arg(vm, 0);
            let (mut c, mut i) = (0, 0);
            while let Some(j) = vm.seq_find(host, this, x, i, usize::MAX)? {
                (c, i) = (c + 1, j + 1);
            }
            vm.int_from_i64(c)
        }
        m::LIST_SORT => {
            let key = vm.kwarg(a, b"key").unwrap_or(Value::NONE);
            let rev = vm.kwarg(a, b"reverse").is_some_and(|r| vm.truthy(r));
            list_sort(vm, host, this, key, rev)?;
            Ok(Value::NONE)
        }
        m::LIST_REVERSE => {
            let len = vm.list_len(this);
            if len > 1 {
                let b = vm.list_base(this);
                vm.heap.arena[b..b + len].reverse();
            }
            Ok(Value::NONE)
        }
        m::LIST_COPY => vm.list_from_iter(host, this),
        m::LIST_CLEAR => {
            vm.list_truncate(this, 0);
            Ok(Value::NONE)
        }
        m::DICT_GET => {
            let d = if n == 2 { arg(vm, 1) } else { Value::NONE };
            Ok(vm.dict_get(this, arg(vm, 0))?.unwrap_or(d))
        }
        m::DICT_KEYS | m::DICT_VALUES | m::DICT_ITEMS => {
            let k = match id {
                m::DICT_KEYS => 0,
                m::DICT_VALUES => 1,
                _ => 2,
            };
            let w = vm.alloc(tag::DICTVIEW, 3)?;
            vm.heap.set(w + 1, k);
            vm.heap.setv(w + 2, this);
            Ok(Value::obj(w))
        }
        m::DICT_POP => {
            let k = arg(vm, 0);
            match vm.dict_del(this, k)? {
                Some(v) => Ok(v),
                None if n == 2 => Ok(arg(vm, 1)),
                None => vm.raise_key(k),
            }
        }
        m::DICT_POPITEM => match vm.dict_pop_last(this) {
            Some((k, v)) => {
                let mk = vm.root(k);
                vm.root(v);
                let t = vm.tuple2(k, v);
                vm.unroot(mk);
                t
            }
            None => vm.raise_s(
                T::KeyError,
                ErrMsg::KeyMissing,
                b"'popitem(): dictionary is empty'",
            ),
        },
        m::DICT_UPDATE => {
            if n == 1 {
                dict_update_from(vm, host, this, arg(vm, 0))?;
            }
            for j in 0..vm.nkw(a) {
                let k = vm.kw_name(a, j);
                let v = vm.arg(a, a.n + j);
                vm.dict_set(this, k, v)?;
            }
            Ok(Value::NONE)
        }
        m::DICT_COPY => {
            let d = vm.dict_new(vm.dict_len(this))?;
            let mk = vm.root(d);
            let r = dict_update_from(vm, host, d, this);
            vm.unroot(mk);
            r.map(|_| d)
        }
        m::DICT_CLEAR => {
            let w = this.word();
            for i in 1..5 {
                vm.heap.set(w + i, 0);
            }
            Ok(Value::NONE)
        }
        m::STR_ENCODE | m::INT_TO_BYTES | m::TYPE_FROM_BYTES | m::TYPE_FROMHEX => {
            bytes_call(vm, host, id, a)
        }
        _ if t == T::bytes || t == T::bytearray => bytes_call(vm, host, id, a),
        _ if t == T::str => str_method(vm, host, this, id, a),
        _ if t == T::set => set_method(vm, host, this, id, a),
        m::BASEEXCEPTION_INIT => {
            let t = super::funcs::args_tuple(vm, a, 1)?;
            if vm.is(this, tag::EXC) {
                vm.heap.setv(this.word() + 3, t);
            }
            Ok(Value::NONE)
        }
        m::OBJECT_INIT => Ok(Value::NONE),
        m::TYPE_FROMKEYS => {
            let d = vm.dict_new(0)?;
            let mk = vm.root(d);
            let r = (|| {
                let fill = if n == 2 { arg(vm, 1) } else { Value::NONE };
                let it = vm.iter_of(host, arg(vm, 0))?;
                vm.root(it);
                while let Some(k) = vm.iter_next(host, it)? {
                    vm.dict_set(d, k, fill)?;
                }
                Ok(d)
            })();
            vm.unroot(mk);
            r
        }
        m::RANGE_INDEX | m::RANGE_COUNT => {
            let (lo, hi, st) = vm.range_parts(this);
            let len = crate::obj::range::range_len(lo, hi, st);
            let hit = vm.int_val(arg(vm, 0)).filter(|&x| {
                let d = x.wrapping_sub(lo);
                d % st == 0 && (0..len).contains(&(d / st))
            });
            match (id, hit) {
                (m::RANGE_COUNT, h) => Ok(Value::small(h.is_some() as i32)),
                (_, Some(x)) => vm.int_from_i64((x - lo) / st),
                (_, None) => not_in(vm, arg(vm, 0), ErrMsg::NotInRange),
            }
        }
        m::SLICE_INDICES => {
            // The bounds a sequence of that length takes (CPython's are
            // the same, but for steps saturated far beyond any length).
            let n = match vm.int_val(arg(vm, 0)) {
                Some(n) if n >= 0 => n.min(i32::MAX as i64) as usize,
                _ => return vm.raise_type(ErrMsg::ArgType, arg(vm, 0)),
            };
            let (start, stop, step) = vm.slice_bounds(this, n)?;
            let t = vm.tuple_new(3)?;
            for (i, x) in [start, stop, step].into_iter().enumerate() {
                vm.heap.setv(t.word() + 2 + i, Value::small(x as i32));
            }
            Ok(t)
        }
        #[cfg(feature = "float")]
        m::FLOAT_IS_INTEGER => {
            let f = vm.float_val(this).unwrap_or(0.0);
            Ok(Value::bool(f.is_finite() && crate::vm::ops::floor(f) == f))
        }
        m::INT_BIT_LENGTH => {
            #[cfg(feature = "bigint")]
            if let Some(x) = vm.big_of(this) {
                return vm.big_bit_length(&x);
            }
            let bits = 64 - vm.int_val(this).unwrap_or(0).unsigned_abs().leading_zeros();
            Ok(Value::small(bits as i32))
        }
        m::PROPERTY_SETTER => {
            let (_, getter, _) = vm.wrap_parts(this);
            vm.wrap_new(2, getter, arg(vm, 0))
        }
        m::GENERATOR_SEND => match vm.gen_send(host, this, arg(vm, 0))? {
            Some(v) => Ok(v),
            None => stop_iteration(vm),
        },
        _ => vm.raise_s(
            T::NotImplementedError,
            ErrMsg::NotImplemented,
            super::method_name(id).as_bytes(),
        ),
    }
}

/// `ValueError: x is not in list` (`list.index`) or `… in range`.
fn not_in(vm: &mut Vm, x: Value, msg: ErrMsg) -> R<Value> {
    let r = vm.repr_of(x)?;
    vm.raise_v(T::ValueError, msg, r)
}

/// Raises the `StopIteration` of an exhausted generator, with the value it
/// returned (`next()`, `send()`).
pub(crate) fn stop_iteration(vm: &mut Vm) -> R<Value> {
    let v = vm.gen_value;
    vm.gen_value = Value::NONE;
    vm.raise_stop_value(v)
}

/// `d.update(src)`: from a dict or an iterable of pairs.
pub(crate) fn dict_update_from(vm: &mut Vm, host: &mut dyn Host, d: Value, src: Value) -> R<()> {
    if vm.is(src, tag::DICT) {
        let mut i = 0;
        while i < vm.dict_used(src) {
            if let Some((k, v)) = vm.dict_entry(src, i) {
                vm.dict_set(d, k, v)?;
            }
            i += 1;
        }
        return Ok(());
    }
    let it = vm.iter_of(host, src)?;
    let mk = vm.root(it);
    let r = (|| {
        while let Some(pair) = vm.iter_next(host, it)? {
            let m2 = vm.root(pair);
            let p = if vm.seq_items(pair).is_some() {
                pair
            } else {
                vm.list_from_iter(host, pair)?
            };
            vm.root(p);
            let (b, n) = vm.seq_items(p).unwrap_or((0, 0));
            if n != 2 {
                return vm.raise_s(
                    T::ValueError,
                    ErrMsg::ArgValue,
                    b"dict update sequence element",
                );
            }
            let (k, v) = (vm.heap.v(b), vm.heap.v(b + 1));
            vm.dict_set(d, k, v)?;
            vm.unroot(m2);
        }
        Ok(())
    })();
    vm.unroot(mk);
    r
}

/// Stable merge sort of list `l` in place, by `key` (None: the items).
pub(crate) fn list_sort(
    vm: &mut Vm,
    host: &mut dyn Host,
    l: Value,
    key: Value,
    rev: bool,
) -> R<()> {
    let n = vm.list_len(l);
    if n < 2 {
        return Ok(());
    }
    let mk = vm.root(l);
    let r = (|| {
        // pairs[2i] = key, pairs[2i+1] = item; tmp is the merge target.
        let pairs = vm.alloc(tag::ARRAY, 1 + 2 * n)?;
        vm.root(Value::obj(pairs));
        let tmp = vm.alloc(tag::ARRAY, 1 + 2 * n)?;
        vm.root(Value::obj(tmp));
        for i in 0..n {
            let x = vm.heap.v(vm.list_base(l) + i);
            vm.heap.setv(pairs + 1 + 2 * i + 1, x);
            vm.heap.setv(pairs + 1 + 2 * i, x);
        }
        if key != Value::NONE {
            for i in 0..n {
                let x = vm.heap.v(pairs + 2 + 2 * i);
                let k = vm.call_nested(host, key, &[x])?;
                vm.heap.setv(pairs + 1 + 2 * i, k);
            }
        }
        let (mut src, mut dst) = (pairs, tmp);
        let mut width = 1;
        while width < n {
            let mut lo = 0;
            while lo < n {
                let mid = (lo + width).min(n);
                let hi = (lo + 2 * width).min(n);
                let (mut i, mut j, mut k) = (lo, mid, lo);
                while i < mid || j < hi {
                    let take_right = if i >= mid {
                        true
                    } else if j >= hi {
                        false
                    } else {
                        let ki = vm.heap.v(src + 1 + 2 * i);
                        let kj = vm.heap.v(src + 1 + 2 * j);
                        if rev {
                            vm.compare_host(host, CmpOp::Lt, ki, kj)?
                        } else {
                            vm.compare_host(host, CmpOp::Lt, kj, ki)?
                        }
                    };
                    let from = if take_right { &mut j } else { &mut i };
                    let (kk, vv) = (
                        vm.heap.w(src + 1 + 2 * *from),
                        vm.heap.w(src + 2 + 2 * *from),
                    );
                    *from += 1;
                    vm.heap.set(dst + 1 + 2 * k, kk);
                    vm.heap.set(dst + 2 + 2 * k, vv);
                    k += 1;
                }
                lo = hi;
            }
            core::mem::swap(&mut src, &mut dst);
            width *= 2;
        }
        let n2 = vm.list_len(l).min(n);
        let b = vm.list_base(l);
        for i in 0..n2 {
            let v = vm.heap.v(src + 2 + 2 * i);
            vm.heap.setv(b + i, v);
        }
        Ok(())
    })();
    vm.unroot(mk);
    r
}

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

/// `TypeError` unless operand `v` has the type of receiver `s` (str with
/// str, bytes with bytes).
fn need_same(vm: &mut Vm, s: Value, v: Value) -> R<()> {
    if vm.is(v, vm.heap.tag(s.word())) {
        Ok(())
    } else {
        vm.raise_type(ErrMsg::NeedStr, v)
    }
}

/// The byte length of separator `sep`: of the receiver's type, not empty.
fn sep_len(vm: &mut Vm, s: Value, sep: Value) -> R<usize> {
    need_same(vm, s, sep)?;
    match vm.str_span(sep).1 {
        0 => vm.raise_s(T::ValueError, ErrMsg::Custom, b"empty separator"),
        n => Ok(n),
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

/// The bytes methods, `str.encode` and `int.to_bytes`/`from_bytes`.
#[cfg(feature = "bytes")]
fn bytes_call(vm: &mut Vm, host: &mut dyn Host, id: u32, a: &Args) -> R<Value> {
    super::bytes_methods::call(vm, host, id, a)
}

/// Without the `bytes` feature: NotImplementedError (no bytes object can
/// exist, so only `str.encode` and `int.to_bytes`/`from_bytes` get here).
#[cfg(not(feature = "bytes"))]
fn bytes_call(vm: &mut Vm, _: &mut dyn Host, _: u32, _: &Args) -> R<Value> {
    vm.raise_s(T::NotImplementedError, ErrMsg::NotImplemented, b"bytes")
}

/// The methods of str; bytes reuses them (see [`super::bytes_methods`]):
/// operands must have the receiver's type.
#[inline(never)]
pub(crate) fn str_method(
    vm: &mut Vm,
    host: &mut dyn Host,
    s: Value,
    id: u32,
    a: &Args,
) -> R<Value> {
    let n = a.n - 1;
    let arg = |vm: &Vm, i: usize| vm.arg(a, i + 1);
    let need_str = |vm: &mut Vm, v: Value| need_same(vm, s, v);
    match id {
        m::STR_JOIN => {
            let items = vm.list_from_iter(host, arg(vm, 0))?;
            let mk = vm.root(items);
            let r = (|| {
                let (_, cnt) = vm.seq_items(items).unwrap_or((0, 0));
                let sep = vm.str_span(s).1;
                let mut total = 0;
                for i in 0..cnt {
                    let (b, _) = vm.seq_items(items).unwrap_or((0, 0));
                    let x = vm.heap.v(b + i);
                    need_str(vm, x)?;
                    total += vm.str_span(x).1 + if i > 0 { sep } else { 0 };
                }
                let w = vm.str_alloc(total)?;
                let mut d = data(w);
                for i in 0..cnt {
                    if i > 0 {
                        let (ss, sl) = vm.str_span(s);
                        vm.heap.bytes_mut().copy_within(ss..ss + sl, d);
                        d += sl;
                    }
                    let (b, _) = vm.seq_items(items).unwrap_or((0, 0));
                    let (xs, xl) = vm.str_span(vm.heap.v(b + i));
                    vm.heap.bytes_mut().copy_within(xs..xs + xl, d);
                    d += xl;
                }
                vm.str_finish(w);
                Ok(Value::obj(w))
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
            if sep != Value::NONE {
                sep_len(vm, s, sep)?;
            }
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
                        let piece = vm.str_from_arena(start + pos, end - pos)?;
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
                        let piece = vm.str_from_arena(start + pos, end - pos)?;
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
        m::STR_FORMAT => vm.str_format(host, s, a),
        m::STR_UPPER | m::STR_LOWER => {
            let (start, len) = vm.str_span(s);
            let r = vm.str_from_arena(start, len)?;
            let d = data(r.word());
            let up = id == m::STR_UPPER;
            for i in 0..len {
                let c = vm.heap.byte(d + i);
                vm.heap.bytes_mut()[d + i] = if up {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
            }
            vm.str_finish(r.word());
            Ok(r)
        }
        m::STR_STARTSWITH | m::STR_ENDSWITH => {
            let p = arg(vm, 0);
            let check = |vm: &Vm, p: Value| -> bool {
                let (b, pb) = (vm.str_bytes(s), vm.str_bytes(p));
                if id == m::STR_STARTSWITH {
                    b.starts_with(pb)
                } else {
                    b.ends_with(pb)
                }
            };
            if let Some((b, cnt)) = vm.seq_items(p) {
                for i in 0..cnt {
                    let x = vm.heap.v(b + i);
                    need_str(vm, x)?;
                    if check(vm, x) {
                        return Ok(Value::TRUE);
                    }
                }
                return Ok(Value::FALSE);
            }
            need_str(vm, p)?;
            Ok(Value::bool(check(vm, p)))
        }
        m::STR_STRIP | m::STR_LSTRIP | m::STR_RSTRIP => {
            let chars = if n == 1 { arg(vm, 0) } else { Value::NONE };
            if chars != Value::NONE {
                need_str(vm, chars)?;
            }
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
                while lo < hi && strip(vm, vm.heap.byte(start + lo)) {
                    lo += 1;
                }
            }
            if id != m::STR_LSTRIP {
                while hi > lo && strip(vm, vm.heap.byte(start + hi - 1)) {
                    hi -= 1;
                }
            }
            vm.str_from_arena(start + lo, hi - lo)
        }
        m::STR_REPLACE => {
            let (old, new) = (arg(vm, 0), arg(vm, 1));
            need_str(vm, old)?;
            need_str(vm, new)?;
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
            let w = vm.str_alloc(total)?;
            let mut d = data(w);
            let mut pos = 0;
            for k in 0..count {
                let f = if ol == 0 {
                    pos
                } else {
                    find_bytes(vm.str_bytes(s), vm.str_bytes(old), pos).unwrap_or(len)
                };
                let (ss, _) = vm.str_span(s);
                vm.heap.bytes_mut().copy_within(ss + pos..ss + f, d);
                d += f - pos;
                let (ns, _) = vm.str_span(new);
                vm.heap.bytes_mut().copy_within(ns..ns + nl, d);
                d += nl;
                if ol == 0 {
                    if f < len {
                        let l1 = crate::obj::str::utf8_len(vm.heap.byte(ss + f));
                        vm.heap.bytes_mut().copy_within(ss + f..ss + f + l1, d);
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
                vm.heap.bytes_mut().copy_within(ss + pos..ss + len, d);
            }
            vm.str_finish(w);
            Ok(Value::obj(w))
        }
        m::STR_FIND | m::STR_INDEX | m::STR_RFIND | m::STR_COUNT => {
            let sub = arg(vm, 0);
            need_str(vm, sub)?;
            // start/end are character indices, normalized as slice bounds,
            // except that a start past the end stays past it (CPython finds
            // nothing there, not even "").
            let chars = vm.str_chars(s) as i64;
            let bound = |vm: &Vm, i: usize, dflt: i64| -> i64 {
                match (n > i).then(|| vm.int_val(arg(vm, i))).flatten() {
                    Some(v) if v < 0 => (v + chars).max(0),
                    Some(v) => v.min(chars + i64::from(i == 1)),
                    None => dflt,
                }
            };
            let (lo, hi) = (bound(vm, 1, 0), bound(vm, 2, chars));
            // lo > hi needs no case of its own: the search starts past the
            // end of the haystack, where every search finds nothing.
            let from = if lo > hi {
                usize::MAX
            } else {
                vm.str_char_offset(s, lo as usize)
            };
            let to = vm.str_char_offset(s, hi as usize);
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
            let found = if id == m::STR_RFIND {
                rfind_bytes(hay, nd, from)
            } else {
                find_bytes(hay, nd, from)
            };
            match found {
                Some(f) => {
                    let ci = char_index(vm, s, f);
                    vm.int_from_i64(ci as i64)
                }
                None if id == m::STR_INDEX => {
                    vm.raise_s(T::ValueError, ErrMsg::ArgValue, b"substring not found")
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
            super::method_name(id).as_bytes(),
        ),
    }
}

#[inline(never)]
fn set_method(vm: &mut Vm, host: &mut dyn Host, s: Value, id: u32, a: &Args) -> R<Value> {
    let n = a.n - 1;
    let arg = |vm: &Vm, i: usize| vm.arg(a, i + 1);
    match id {
        m::SET_ADD | m::SET_REMOVE | m::SET_DISCARD => {
            let x = arg(vm, 0);
            if id == m::SET_ADD {
                vm.set_add(s, x)?;
            } else if vm.dict_del(s, x)?.is_none() && id == m::SET_REMOVE {
                return vm.raise_key(x);
            }
            Ok(Value::NONE)
        }
        m::SET_POP => match vm.dict_pop_last(s) {
            Some((k, _)) => Ok(k),
            None => vm.raise_s(T::KeyError, ErrMsg::KeyMissing, b"'pop from an empty set'"),
        },
        m::SET_CLEAR => {
            for i in 1..5 {
                vm.heap.set(s.word() + i, 0);
            }
            Ok(Value::NONE)
        }
        m::SET_COPY => vm.set_from(host, s),
        m::SET_UPDATE => {
            for i in 0..n {
                vm.set_update(host, s, arg(vm, i))?;
            }
            Ok(Value::NONE)
        }
        m::SET_UNION | m::SET_INTERSECTION | m::SET_DIFFERENCE | m::SET_SYMMETRIC_DIFFERENCE => {
            let op = match id {
                m::SET_UNION => b'|',
                m::SET_INTERSECTION => b'&',
                m::SET_DIFFERENCE => b'-',
                _ => b'^',
            };
            let mut acc = s;
            let mark = vm.nroots;
            for i in 0..n {
                acc = match vm.set_op(host, op, acc, arg(vm, i)) {
                    Ok(r) => r,
                    Err(e) => {
                        vm.unroot(mark);
                        return Err(e);
                    }
                };
                vm.root(acc);
            }
            vm.unroot(mark);
            if n == 0 {
                return vm.set_from(host, s);
            }
            Ok(acc)
        }
        m::SET_ISSUBSET | m::SET_ISSUPERSET | m::SET_ISDISJOINT => {
            let o = arg(vm, 0);
            let other = if vm.is_anyset(o) {
                o
            } else {
                vm.set_from(host, o)?
            };
            let mk = vm.root(other);
            let r = match id {
                m::SET_ISSUBSET => vm.set_subset(s, other),
                m::SET_ISSUPERSET => vm.set_subset(other, s),
                _ => vm.set_op(host, b'&', s, other).map(|i| vm.dict_len(i) == 0),
            };
            vm.unroot(mk);
            r.map(Value::bool)
        }
        _ => vm.raise_s(
            T::NotImplementedError,
            ErrMsg::NotImplemented,
            super::method_name(id).as_bytes(),
        ),
    }
}
