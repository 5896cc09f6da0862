//! Methods of builtin types (`self` is argument 0).

use super::{method_name, METHODS};
use crate::heap::Value;
use crate::machine::Host;
use crate::obj::{tag, T};
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::opcode::CmpOp;

/// Method ids (the index in [`METHODS`]) resolved at compile time, so
/// that [`call`] dispatches on an integer rather than on (type, name).
#[allow(dead_code)] // FLOAT_IS_INTEGER without feature "float", BYTES_* without "bytes"
pub(crate) mod m {
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
    pub const BYTES_HEX: u32 = id(T::bytes, "hex");
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
    // (the str and bytes methods included).
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
        m::STR_ENCODE | m::TYPE_FROMHEX => bytes_call(vm, host, id, a),
        _ if t == T::bytes || t == T::bytearray => bytes_call(vm, host, id, a),
        _ if t == T::str => crate::obj::str::methods::call(vm, host, this, id, a),
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

/// The bytes methods, `str.encode` and `int.to_bytes`/`from_bytes`.
#[cfg(feature = "bytes")]
fn bytes_call(vm: &mut Vm, host: &mut dyn Host, id: u32, a: &Args) -> R<Value> {
    crate::obj::bytes::methods::call(vm, host, id, a)
}

/// Without the `bytes` feature: NotImplementedError (no bytes object can
/// exist, so only `str.encode` and `int.to_bytes`/`from_bytes` get here).
#[cfg(not(feature = "bytes"))]
fn bytes_call(vm: &mut Vm, _: &mut dyn Host, _: u32, _: &Args) -> R<Value> {
    vm.raise_s(T::NotImplementedError, ErrMsg::NotImplemented, b"bytes")
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
