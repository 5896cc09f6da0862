//! Methods of builtin types (`self` is argument 0): the arity and receiver
//! checks, dispatch by type (list, tuple, dict and set methods live in their
//! types' `obj/` files), and str's and the rarer types' methods.

use super::{method_name, METHODS};
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::{tag, T};
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

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
    pub const GENERATOR_THROW: u32 = id(T::generator, "throw");
    pub const GENERATOR_CLOSE: u32 = id(T::generator, "close");
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
    pub const OBJECT_NEW: u32 = id(T::object, "__new__");
    pub const OBJECT_REPR: u32 = id(T::object, "__repr__");
    pub const OBJECT_STR: u32 = id(T::object, "__str__");
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
    pub const STR_RINDEX: u32 = id(T::str, "rindex");
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
    pub const SET_DIFFERENCE_UPDATE: u32 = id(T::set, "difference_update");
    pub const SET_INTERSECTION_UPDATE: u32 = id(T::set, "intersection_update");
    pub const SET_SYMMETRIC_DIFFERENCE_UPDATE: u32 = id(T::set, "symmetric_difference_update");
    pub const TUPLE_COUNT: u32 = id(T::tuple, "count");
    pub const TUPLE_INDEX: u32 = id(T::tuple, "index");
    pub const TYPE_FROMHEX: u32 = id(T::type_, "fromhex");
    pub const TYPE_FROMKEYS: u32 = id(T::type_, "fromkeys");
}

/// Dispatches method `id`.
#[inline(never)]
pub fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    let (Some(&(t,)), Some(&arity)) = (
        super::METHOD_INFO.get(id as usize),
        super::METHOD_ARITY.get(id as usize),
    ) else {
        return vm.raise(T::TypeError, ErrMsg::NotCallable);
    };
    let this_t = vm.type_of(vm.arg(a, 0));
    // A frozenset takes the set methods that do not mutate.
    let frozen_ok = this_t == T::frozenset && t == T::set && !crate::obj::set::set_mutates(id);
    let shared_ok = this_t == T::bytearray && t == T::bytes;
    if a.n == 0 || !(this_t.is_sub(t) || frozen_ok || shared_ok) {
        // `list.append(s, x)` with `s` a list subclass's instance: on its
        // native base (`call_value` drops the temp roots after).
        if let Some(b) = vm.native_base(vm.arg(a, 0)).filter(|_| a.n > 0) {
            let a = vm.args_with_first(a, b)?;
            return call(vm, host, id, &a);
        }
        return vm.raise_s(T::TypeError, ErrMsg::ArgType, method_name(id).as_bytes());
    }
    // The arity column, checked here once for every method below
    // (`str_method` and the bytes methods included).
    if !super::arity_ok(arity, a.n) {
        return vm.raise_s(T::TypeError, ErrMsg::ArgCount, method_name(id).as_bytes());
    }
    let this = vm.arg(a, 0);
    let arg = |vm: &Vm, i: usize| vm.arg(a, i + 1);
    match id {
        _ if t == T::list => vm.list_method(host, id, a),
        _ if t == T::tuple => vm.tuple_method(host, id, a),
        _ if t == T::dict => vm.dict_method(host, id, a),
        m::STR_ENCODE | m::TYPE_FROMHEX => bytes_call(vm, host, id, a),
        _ if t == T::bytes || t == T::bytearray => bytes_call(vm, host, id, a),
        _ if t == T::str => crate::obj::str::methods::call(vm, host, this, id, a),
        _ if t == T::set => vm.set_method(host, id, a),
        m::BASEEXCEPTION_INIT => {
            let t = super::funcs::args_tuple(vm, a, 1)?;
            if vm.is(this, tag::EXC) {
                vm.heap.setv(this.word() + 3, t);
            }
            Ok(Value::NONE)
        }
        m::OBJECT_INIT => vm.object_init(host, a),
        m::OBJECT_NEW => vm.object_new(host, a),
        // `super().__repr__()` of a builtin type's subclass: its base's
        // (a plain instance's without its class's own, which would call
        // this again).
        m::OBJECT_REPR | m::OBJECT_STR => {
            let v = vm.native_of(this);
            if vm.is(v, tag::INST) {
                return vm.repr_of(v);
            }
            vm.format_host(host, v, id == m::OBJECT_REPR)
        }
        m::TYPE_FROMKEYS => vm.dict_fromkeys(host, a),
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
        m::GENERATOR_SEND | m::GENERATOR_THROW => {
            let r = if id == m::GENERATOR_SEND {
                vm.gen_send(host, this, arg(vm, 0))
            } else {
                vm.gen_throw(host, this, arg(vm, 0))
            };
            match r? {
                Some(v) => Ok(v),
                None => stop_iteration(vm),
            }
        }
        m::GENERATOR_CLOSE => vm.gen_close(host, this),
        _ => vm.raise_s(
            T::NotImplementedError,
            ErrMsg::NotImplemented,
            super::method_name(id).as_bytes(),
        ),
    }
}

/// `ValueError: x is not in list` (`list.index`) or `… in range`.
pub(crate) fn not_in(vm: &mut Vm, x: Value, msg: ErrMsg) -> R<Value> {
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

/// The bytes methods, `str.encode` and `int.to_bytes`/`from_bytes`.
#[cfg(feature = "bytes")]
fn bytes_call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    crate::obj::bytes::methods::call(vm, host, id, a)
}

/// Without the `bytes` feature: NotImplementedError (no bytes object can
/// exist, so only `str.encode` and `int.to_bytes`/`from_bytes` get here).
#[cfg(not(feature = "bytes"))]
fn bytes_call(vm: &mut Vm, _: &mut Hx<'_>, _: u32, _: &Args) -> R<Value> {
    vm.raise_s(T::NotImplementedError, ErrMsg::NotImplemented, b"bytes")
}
