//! Builtins: functions, constructors of builtin types, methods of builtin
//! types, and attribute lookup.
//!
//! Builtin functions and methods are immediates (no heap objects): a
//! `BUILTIN` or `METHOD` value carries an index into the tables below.
//! Name lookup compares the cached str hash's low byte with those computed at
//! compile time before comparing bytes.
//!
//! | file | what |
//! |------|------|
//! | [`funcs`]   | `print`, `len`, `sorted`, … and the constructors' arity and dispatch (each type's own in its `obj/` file: `int(…)` in `obj/int.rs`, …) |
//! | [`methods`] | method dispatch by type (list's in `obj/list.rs`, dict's in `obj/dict.rs`, str's in `obj/str/methods.rs`, bytes' in `obj/bytes/methods.rs`, …) and the rarer types' methods |
//! | [`machine`] | the native `machine` module (memory access, ticks); every native module's import and attributes, from `p14p_protocol::natives` |
//! | [`bus`]     | `machine`'s bus natives: one transfer each for the library's `I2C`, `SPI` and `UART` |
//! | [`time`]    | the native half of `time`: the clock and the wait |
//! | [`math`]    | the native half of `math`: what float arithmetic cannot give |
//! | [`file`]    | `open()`, the file object, the native `os` module |
//! | [`format`]  | format specs and `str.format` |

#[cfg(all(feature = "buses", feature = "bytes"))]
pub mod bus;
#[cfg(feature = "files")]
pub mod file;
pub mod format;
pub mod funcs;
pub mod machine;
pub mod math;
pub mod methods;
mod names;
#[cfg(feature = "natives")]
pub mod native;
pub mod time;

use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::exc::Part;
use crate::obj::{tag, T};
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use names::{blob, blob_len, Names};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::NativeFunction;
use p14p_protocol::natives;

/// `a == b` for byte strings, usable in `const` items (the id tables of
/// `funcs::b` and `methods::m` resolve names at compile time).
const fn const_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A [`BUILTINS`] row for a native module's function.
const fn native(f: &NativeFunction<'static>) -> (&'static str, u8, u8) {
    (f.name, f.min_args, f.max_args)
}

/// Builtin functions: `(name, min, max)`; the index is the `BUILTIN`
/// payload. Entries from `__build_class__` on are not visible by name.
/// `min..=max` is the positional argument count, checked once by
/// [`funcs::call`] before dispatch (`ANY`: no upper limit).
pub const BUILTINS: [(&str, u8, u8); N_BUILTINS] = with_math_kernels(BASE_BUILTINS);

/// [`BUILTINS`] up to `math`'s kernels.
const BASE_BUILTINS: [(&str, u8, u8); 56] = [
    ("print", 0, ANY),
    ("len", 1, 1),
    ("repr", 1, 1),
    ("abs", 1, 1),
    ("pow", 2, 3),
    ("min", 1, ANY),
    ("max", 1, ANY),
    ("sum", 1, 2),
    ("sorted", 1, 1),
    ("isinstance", 2, 2),
    ("iter", 1, 1),
    ("next", 1, 2),
    ("any", 1, 1),
    ("all", 1, 1),
    ("chr", 1, 1),
    ("ord", 1, 1),
    ("callable", 1, 1),
    ("hash", 1, 1),
    ("super", 2, 2),
    ("issubclass", 2, 2),
    ("getattr", 2, 3),
    ("setattr", 3, 3),
    ("hasattr", 2, 2),
    ("format", 1, 2),
    ("delattr", 2, 2),
    ("round", 1, 2),
    ("id", 1, 1),
    ("globals", 0, 0),
    // `locals()`; in a function the compiler passes its slots' names
    // (`Vm::locals`).
    ("locals", 0, 1),
    ("input", 0, 1),
    // Compiled by the host (`vm/eval.rs`); in a function the compiler
    // passes `globals()` and `locals()`.
    ("eval", 1, 3),
    ("exec", 1, 3),
    // The builtin object a subclass's instance extends (itself for any
    // other): `lib/special.py`'s operators act on it, so that
    // `dict.__getitem__(self, k)` in a subclass's own `__getitem__` does
    // not call that method again.
    ("_native", 1, 1),
    ("__build_class__", 2, ANY),
    // The native modules' plain functions, from the protocol's table:
    // `machine.ticks_ms`, then `gc`'s in its order, then `machine`'s
    // from `unique_id` on (see `machine`).
    native(&natives::MACHINE_FUNCTIONS[0]),
    native(&natives::GC_FUNCTIONS[0]),
    native(&natives::GC_FUNCTIONS[1]),
    native(&natives::GC_FUNCTIONS[2]),
    native(&natives::GC_FUNCTIONS[3]),
    native(&natives::GC_FUNCTIONS[4]),
    native(&natives::GC_FUNCTIONS[5]),
    native(&natives::GC_FUNCTIONS[6]),
    native(&natives::MACHINE_FUNCTIONS[4]),
    native(&natives::MACHINE_FUNCTIONS[5]),
    native(&natives::MACHINE_FUNCTIONS[6]),
    native(&natives::MACHINE_FUNCTIONS[7]),
    native(&natives::MACHINE_FUNCTIONS[8]),
    native(&natives::MACHINE_FUNCTIONS[9]),
    native(&natives::MACHINE_FUNCTIONS[10]),
    native(&natives::MACHINE_FUNCTIONS[11]),
    // `time`'s from `ticks_us` to `time_ns` (`ticks_ms` is `machine`'s,
    // `ticks_cpu` is `ticks_us`), then `sys`'s, in their tables' order.
    native(&natives::TIME_FUNCTIONS[1]),
    native(&natives::TIME_FUNCTIONS[2]),
    native(&natives::TIME_FUNCTIONS[3]),
    native(&natives::TIME_FUNCTIONS[4]),
    native(&natives::SYS_FUNCTIONS[0]),
    native(&natives::SYS_FUNCTIONS[1]),
];
/// [`BUILTINS`]: `base`, then `math`'s kernels in their table's order
/// where the device has floats.
const fn with_math_kernels(
    base: [(&'static str, u8, u8); 56],
) -> [(&'static str, u8, u8); N_BUILTINS] {
    let mut out = [("", 0, 0); N_BUILTINS];
    let mut i = 0;
    while i < N_BUILTINS {
        out[i] = if i < base.len() {
            base[i]
        } else {
            native(&natives::MATH_KERNELS[i - base.len()])
        };
        i += 1;
    }
    out
}
/// How many builtin functions this build has: `math`'s need floats.
const N_BUILTINS: usize = BASE_BUILTINS.len()
    + if cfg!(feature = "float") {
        natives::MATH_KERNELS.len()
    } else {
        0
    };
const VISIBLE_BUILTINS: usize = funcs::b::BUILD_CLASS as usize;
const BUILTIN_NAME_LIST: [&str; N_BUILTINS] = builtin_names(BUILTINS);
/// [`BUILTINS`]' names as they are kept in flash.
const BUILTIN_BLOB: [u8; blob_len(&BUILTIN_NAME_LIST)] = blob(&BUILTIN_NAME_LIST);
static BUILTIN_NAMES: Names<N_BUILTINS> = Names::pack(BUILTIN_NAME_LIST, &BUILTIN_BLOB);
/// [`BUILTINS`]' arity columns as they are kept in flash (see [`arity`]).
pub(crate) static BUILTIN_ARITY: [u8; N_BUILTINS] = builtin_arity(BUILTINS);

/// The `__build_class__` builtin (pushed by `LOAD_BUILD_CLASS`).
pub const BUILD_CLASS: Value = Value::imm(kind::BUILTIN, funcs::b::BUILD_CLASS);

/// Builtin types visible by name.
const TYPES: [T; 53] = [
    T::frozenset,
    T::set,
    T::int,
    T::bool,
    T::float,
    T::str,
    T::tuple,
    T::list,
    T::dict,
    T::range,
    T::type_,
    T::enumerate,
    T::zip,
    T::map,
    T::object,
    T::slice,
    T::BaseException,
    T::Exception,
    T::ArithmeticError,
    T::ZeroDivisionError,
    T::OverflowError,
    T::LookupError,
    T::IndexError,
    T::KeyError,
    T::ValueError,
    T::TypeError,
    T::NameError,
    T::UnboundLocalError,
    T::AttributeError,
    T::AssertionError,
    T::RuntimeError,
    T::RecursionError,
    T::NotImplementedError,
    T::StopIteration,
    T::MemoryError,
    T::KeyboardInterrupt,
    T::SystemExit,
    T::GeneratorExit,
    T::StopAsyncIteration,
    T::EOFError,
    T::SyntaxError,
    T::ImportError,
    T::UnicodeError,
    T::UnicodeDecodeError,
    T::UnicodeEncodeError,
    T::bytes,
    T::bytearray,
    T::OSError,
    T::FileNotFoundError,
    T::staticmethod,
    T::classmethod,
    T::property,
    T::function,
];

/// The bit of each type in [`TYPES`] but the last (`function`, not a
/// builtin name), by payload.
const VISIBLE_TYPES: u128 = {
    let mut bits = 0u128;
    let mut i = 0;
    while i < TYPES.len() - 1 {
        bits |= 1 << TYPES[i] as u32;
        i += 1;
    }
    bits
};
const TYPE_COUNT: usize = T::NAMES.len();
/// Every type's name as kept in flash (8 bytes less per name than a `&str`).
const TYPE_BLOB: [u8; blob_len(&T::NAMES)] = blob(&T::NAMES);
static TYPE_NAMES: Names<TYPE_COUNT> = Names::pack(T::NAMES, &TYPE_BLOB);

/// The Python name of type `t`.
pub fn type_name(t: T) -> &'static str {
    TYPE_NAMES.get(t as usize)
}

/// The builtin named `name` (with str hash `h`).
pub fn lookup(name: &[u8], h: u32) -> Option<Value> {
    // (`Ellipsis` is the host compiler's: the constant `...`.)
    if name == b"NotImplemented" {
        return Some(Value::NOT_IMPLEMENTED);
    }
    #[cfg(feature = "files")]
    if name == b"open" {
        return Some(Value::imm(kind::BUILTIN, file::OPEN));
    }
    if let Some(i) = BUILTIN_NAMES.find(VISIBLE_BUILTINS, name, h, |_| true) {
        return Some(Value::imm(kind::BUILTIN, i as u32));
    }
    let i = TYPE_NAMES.find(TYPE_COUNT, name, h, |i| VISIBLE_TYPES >> i & 1 != 0)?;
    T::from_id(i as u32).map(T::value)
}

/// Name of builtin function `id`.
pub fn builtin_name(id: u32) -> &'static str {
    #[cfg(feature = "files")]
    if let Some(n) = file::builtin_name(id) {
        return n;
    }
    BUILTIN_NAMES.get(id as usize)
}

/// Methods of builtin types: `(type, name, min, max)`; the index is the
/// `METHOD` payload. Cold ones are Python in the frozen library instead
/// (`lib/`, see `vm/frozen.rs`), found when a name is not here. `min..=max` is the positional argument count, `self`
/// included, checked once by [`methods::call`] before dispatch (`ANY`: the
/// method takes any number, or checks its own keyword forms).
pub const METHODS: [(T, &str, u8, u8); 108] = [
    (T::list, "append", 2, 2),
    (T::list, "extend", 2, 2),
    (T::list, "pop", 1, 2),
    (T::list, "insert", 3, 3),
    (T::list, "remove", 2, 2),
    (T::list, "index", 2, 4),
    (T::list, "sort", 1, 1),
    (T::list, "reverse", 1, 1),
    (T::list, "copy", 1, 1),
    (T::list, "clear", 1, 1),
    (T::dict, "get", 2, 3),
    (T::dict, "keys", 1, 1),
    (T::dict, "values", 1, 1),
    (T::dict, "items", 1, 1),
    (T::dict, "pop", 2, 3),
    (T::dict, "popitem", 1, 1),
    (T::dict, "update", 1, 2),
    (T::dict, "copy", 1, 1),
    (T::dict, "clear", 1, 1),
    (T::str, "join", 2, 2),
    (T::str, "split", 1, 3),
    (T::str, "upper", 1, 1),
    (T::str, "lower", 1, 1),
    (T::str, "startswith", 2, 4),
    (T::str, "endswith", 2, 4),
    (T::str, "strip", 1, 2),
    (T::str, "lstrip", 1, 2),
    (T::str, "rstrip", 1, 2),
    (T::str, "replace", 3, 4),
    (T::str, "find", 2, 4),
    (T::str, "count", 2, 4),
    (T::str, "isdigit", 1, 1),
    (T::str, "isalpha", 1, 1),
    (T::str, "isspace", 1, 1),
    (T::str, "index", 2, 4),
    (T::str, "rfind", 2, 4),
    (T::str, "rindex", 2, 4),
    (T::tuple, "index", 2, 4),
    (T::tuple, "count", 2, 2),
    (T::str, "isupper", 1, 1),
    (T::str, "islower", 1, 1),
    (T::str, "isalnum", 1, 1),
    (T::generator, "send", 2, 2),
    (T::generator, "throw", 2, 2),
    (T::generator, "close", 1, 1),
    (T::BaseException, "__init__", 1, ANY),
    (T::object, "__init__", 1, ANY),
    (T::object, "__new__", 1, ANY),
    (T::object, "__repr__", 1, 1),
    (T::object, "__str__", 1, 1),
    (T::str, "format", 1, ANY),
    (T::property, "setter", 2, 2),
    (T::set, "add", 2, 2),
    (T::set, "remove", 2, 2),
    (T::set, "discard", 2, 2),
    (T::set, "pop", 1, 1),
    (T::set, "clear", 1, 1),
    (T::set, "copy", 1, 1),
    (T::set, "update", 1, ANY),
    (T::set, "union", 1, ANY),
    (T::set, "intersection", 1, ANY),
    (T::set, "difference", 1, ANY),
    (T::set, "symmetric_difference", 1, ANY),
    (T::set, "issubset", 2, 2),
    (T::set, "issuperset", 2, 2),
    (T::set, "isdisjoint", 2, 2),
    (T::set, "difference_update", 1, ANY),
    (T::set, "intersection_update", 1, ANY),
    (T::set, "symmetric_difference_update", 2, 2),
    (T::type_, "fromkeys", 2, 3),
    (T::range, "index", 2, 2),
    (T::range, "count", 2, 2),
    (T::slice, "indices", 2, 2),
    (T::float, "is_integer", 1, 1),
    // bytearray shares these (see `find_method`).
    (T::bytes, "decode", 1, 3),
    (T::bytes, "hex", 1, 1),
    (T::bytes, "find", 2, 4),
    (T::bytes, "rfind", 2, 4),
    (T::bytes, "rindex", 2, 4),
    (T::bytes, "index", 2, 4),
    (T::bytes, "count", 2, 4),
    (T::bytes, "startswith", 2, 4),
    (T::bytes, "endswith", 2, 4),
    (T::bytes, "split", 1, 3),
    (T::bytes, "join", 2, 2),
    (T::bytes, "strip", 1, 2),
    (T::bytes, "lstrip", 1, 2),
    (T::bytes, "rstrip", 1, 2),
    (T::bytes, "replace", 3, 4),
    (T::bytes, "upper", 1, 1),
    (T::bytes, "lower", 1, 1),
    (T::bytes, "isdigit", 1, 1),
    (T::bytes, "isalpha", 1, 1),
    (T::bytes, "isspace", 1, 1),
    (T::bytes, "isalnum", 1, 1),
    (T::bytearray, "append", 2, 2),
    (T::bytearray, "extend", 2, 2),
    (T::bytearray, "pop", 1, 2),
    (T::bytearray, "insert", 3, 3),
    (T::bytearray, "remove", 2, 2),
    (T::bytearray, "clear", 1, 1),
    (T::bytearray, "reverse", 1, 1),
    (T::bytearray, "copy", 1, 1),
    (T::str, "encode", 1, 3),
    // Class methods, bound to their class by `getattr`.
    (T::type_, "fromhex", 2, 2),
    (T::int, "bit_length", 1, 1),
    // More of bytes (and bytearray) through str's implementations.
    (T::bytes, "isupper", 1, 1),
    (T::bytes, "islower", 1, 1),
];
/// `dict.fromkeys` and `bytes.fromhex` (bound to the class; the
/// library's classmethods, `int.from_bytes`, bind in `Vm::library_method`).
const CLASS_METHODS: [(T, u32); 3] = [
    (T::dict, methods::m::TYPE_FROMKEYS),
    (T::bytes, methods::m::TYPE_FROMHEX),
    (T::bytearray, methods::m::TYPE_FROMHEX),
];
/// `property.setter`.
const PROPERTY_SETTER: Value = Value::imm(kind::METHOD, methods::m::PROPERTY_SETTER);
/// `BaseException.__init__` (reached through `super()`).
const EXC_INIT: Value = Value::imm(kind::METHOD, methods::m::BASEEXCEPTION_INIT);
/// `object.__init__` (reached through `super()`).
const OBJECT_INIT: Value = Value::imm(kind::METHOD, methods::m::OBJECT_INIT);
/// `object.__new__` (reached through `super()`; called with the class).
const OBJECT_NEW: Value = Value::imm(kind::METHOD, methods::m::OBJECT_NEW);
/// The methods of `object` that `super()` reaches past the user classes.
const OBJECT_METHODS: [(&str, Value); 4] = [
    ("__init__", OBJECT_INIT),
    ("__new__", OBJECT_NEW),
    (
        "__repr__",
        Value::imm(kind::METHOD, methods::m::OBJECT_REPR),
    ),
    ("__str__", Value::imm(kind::METHOD, methods::m::OBJECT_STR)),
];

/// A method arity bound for "no upper limit" (see [`METHODS`]).
pub(crate) const ANY: u8 = u8::MAX;

/// An arity packed into one byte: `min` in the low nibble, `max` in the
/// high one (15: [`ANY`]).
const fn pack_arity(min: u8, max: u8) -> u8 {
    let max = if max == ANY { 15 } else { max };
    assert!(min < 16 && max < 16);
    min | max << 4
}

/// Whether `n` positional arguments fit packed arity `packed`.
#[inline]
pub(crate) fn arity_ok(packed: u8, n: usize) -> bool {
    let max = usize::from(packed >> 4);
    n >= usize::from(packed & 15) && (max == 15 || n <= max)
}

const fn builtin_arity<const N: usize>(b: [(&'static str, u8, u8); N]) -> [u8; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = pack_arity(b[i].1, b[i].2);
        i += 1;
    }
    out
}

const fn builtin_names<const N: usize>(b: [(&'static str, u8, u8); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = b[i].0;
        i += 1;
    }
    out
}

const fn method_names<const N: usize>(m: [(T, &'static str, u8, u8); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = m[i].1;
        i += 1;
    }
    out
}
const METHOD_NAME_LIST: [&str; METHODS.len()] = method_names(METHODS);
/// Where each name of [`METHOD_NAME_LIST`] first occurs there (methods of
/// several types share a name: `index`, `count`, `pop`, …).
const METHOD_FIRST: [usize; METHODS.len()] = first_occurrences(&METHOD_NAME_LIST);
const METHOD_UNIQUE_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < METHOD_FIRST.len() {
        n += (METHOD_FIRST[i] == i) as usize;
        i += 1;
    }
    n
};
/// [`METHODS`]' names, each once: the names are interned, the table's
/// rows refer to them by index ([`METHOD_NAME_OF`]).
const METHOD_UNIQUE: [&str; METHOD_UNIQUE_COUNT] = {
    let mut out = [""; METHOD_UNIQUE_COUNT];
    let (mut i, mut k) = (0, 0);
    while i < METHOD_FIRST.len() {
        if METHOD_FIRST[i] == i {
            out[k] = METHOD_NAME_LIST[i];
            k += 1;
        }
        i += 1;
    }
    out
};
/// [`METHOD_UNIQUE`] as it is kept in flash.
const METHOD_BLOB: [u8; blob_len(&METHOD_UNIQUE)] = blob(&METHOD_UNIQUE);
static METHOD_NAMES: Names<METHOD_UNIQUE_COUNT> = Names::pack(METHOD_UNIQUE, &METHOD_BLOB);
/// The index in [`METHOD_NAMES`] of each [`METHODS`] row's name.
static METHOD_NAME_OF: [u8; METHODS.len()] = {
    let mut out = [0u8; METHODS.len()];
    let mut i = 0;
    while i < METHODS.len() {
        // The name's index: how many names first occur before it does.
        let (f, mut j) = (METHOD_FIRST[i], 0);
        while j < f {
            out[i] += (METHOD_FIRST[j] == j) as u8;
            j += 1;
        }
        i += 1;
    }
    out
};

/// For each of `names`, the index where it first occurs.
const fn first_occurrences<const N: usize>(names: &[&str; N]) -> [usize; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        let mut j = 0;
        while !const_eq(names[j].as_bytes(), names[i].as_bytes()) {
            j += 1;
        }
        out[i] = j;
        i += 1;
    }
    out
}

/// The first [`METHODS`] row named `name` (str hash `h`) whose type
/// passes `ok`.
fn method_row(name: &[u8], h: u32, ok: impl Fn(T) -> bool) -> Option<u32> {
    let k = METHOD_NAMES.find(METHOD_UNIQUE_COUNT, name, h, |_| true)? as u8;
    (0..METHODS.len())
        .find(|&i| METHOD_NAME_OF[i] == k && ok(METHOD_INFO[i].0))
        .map(|i| i as u32)
}

/// [`METHODS`]' type column as it is kept in flash (a 1-tuple: a row's
/// type is `METHOD_INFO[i].0`; the arity is [`METHOD_ARITY`]).
pub(crate) static METHOD_INFO: [(T,); METHODS.len()] = method_info(METHODS);
/// [`METHODS`]' arity columns, packed as [`arity_ok`] reads them.
pub(crate) static METHOD_ARITY: [u8; METHODS.len()] = method_arity(METHODS);

const fn method_info<const N: usize>(m: [(T, &'static str, u8, u8); N]) -> [(T,); N] {
    let mut out = [(T::object,); N];
    let mut i = 0;
    while i < N {
        out[i] = (m[i].0,);
        i += 1;
    }
    out
}

const fn method_arity<const N: usize>(m: [(T, &'static str, u8, u8); N]) -> [u8; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = pack_arity(m[i].2, m[i].3);
        i += 1;
    }
    out
}

/// Name of method `id`.
pub fn method_name(id: u32) -> &'static str {
    #[cfg(feature = "files")]
    if let Some(n) = file::method_name(id) {
        return n;
    }
    METHOD_NAME_OF
        .get(id as usize)
        .map_or("?", |&k| METHOD_NAMES.get(usize::from(k)))
}

/// For `LOAD_METHOD`: the method `name` of `obj` and the `self` to pass,
/// without making a bound method; None when `name` is not a method (then
/// the caller falls back to [`getattr`]).
pub fn find_method(vm: &mut Vm, mut obj: Value, name: Value) -> Option<(Value, Value)> {
    if vm.is(obj, tag::INST) || vm.is(obj, tag::EXC) {
        if let Some(d) = vm.attr_dict(obj) {
            if vm.dict_get_h(d, name, vm.str_hash(name)).is_some() {
                return None;
            }
        }
        let c = vm.class_of(obj);
        if let Some(f) = vm.class_lookup(c, name) {
            if vm.is(f, tag::WRAP) {
                return match vm.wrap_parts(f) {
                    (0, g, _) => Some((g, Value::NULL)),
                    (1, g, _) => Some((g, c)),
                    _ => None,
                };
            }
            return vm.is(f, tag::FUNC).then_some((f, obj));
        }
        // A builtin type's subclass: the base's methods, bound to the base.
        if vm.heap.tag(obj.word()) == tag::INST {
            obj = vm.native_of(obj);
        }
    }
    if vm.is(obj, tag::CLASS) {
        if let Some(f) = vm.class_lookup(obj, name) {
            if vm.is(f, tag::WRAP) {
                return match vm.wrap_parts(f) {
                    (0, g, _) => Some((g, Value::NULL)),
                    (1, g, _) => Some((g, obj)),
                    _ => None,
                };
            }
        }
    }
    if vm.is(obj, tag::SUPER) {
        return super_method(vm, obj, name);
    }
    let t = vm.type_of(obj);
    if !matches!(
        t,
        T::list
            | T::dict
            | T::str
            | T::tuple
            | T::generator
            | T::property
            | T::set
            | T::frozenset
            | T::range
            | T::slice
            | T::float
            | T::bytes
            | T::bytearray
            | T::int
            | T::bool
    ) {
        #[cfg(feature = "files")]
        if matches!(t, T::TextIOWrapper | T::BufferedReader | T::BufferedWriter) {
            return file::find_method(vm.str_bytes(name)).map(|m| (m, obj));
        }
        return None;
    }
    // frozenset shares set's (non-mutating) methods, bool int's.
    let frozen = t == T::frozenset;
    let t = match t {
        T::frozenset => T::set,
        T::bool => T::int,
        t => t,
    };
    let found = builtin_method(vm, t, name);
    if frozen && found.is_some_and(|m| crate::obj::set::set_mutates(m.payload())) {
        return None;
    }
    found.map(|m| (m, obj))
}

/// [`find_method`] through `super()`: along the MRO after its class, then
/// `object`'s methods, then (a builtin type's subclass) the native base's.
/// Out of line: the lookup of every other method stays small.
#[inline(never)]
fn super_method(vm: &mut Vm, obj: Value, name: Value) -> Option<(Value, Value)> {
    let (c, this) = (vm.heap.v(obj.word() + 1), vm.heap.v(obj.word() + 2));
    // `object`'s `__init__`, `__new__`, `__repr__`, `__str__`.
    let n = vm.str_bytes(name);
    let om = OBJECT_METHODS
        .iter()
        .find(|&&(m, _)| m.as_bytes() == n)
        .map(|&(_, v)| v);
    match vm.super_lookup(c, this, name) {
        // `__new__` is static: the class is its first argument.
        Some(f) if vm.is(f, tag::FUNC) => {
            return Some((
                f,
                if om == Some(OBJECT_NEW) {
                    Value::NULL
                } else {
                    this
                },
            ));
        }
        Some(_) => return None,
        None => {}
    }
    match om {
        Some(OBJECT_NEW) => return Some((OBJECT_NEW, Value::NULL)),
        Some(OBJECT_INIT) if vm.type_of(this).is_exception() => return Some((EXC_INIT, this)),
        Some(OBJECT_INIT) => return Some((OBJECT_INIT, this)),
        _ => {}
    }
    // Past the user classes: a builtin type's subclass's native base,
    // its `repr` and `str` and its methods.
    let b = vm.native_base(this)?;
    if om.is_some() {
        return Some((om?, b));
    }
    find_method(vm, b, name)
}

/// Builtin type `t`'s method `name`. A builtin type's methods are fixed:
/// remembered by (type, name) in the class-attribute cache (a type value
/// is never a class's).
fn builtin_method(vm: &mut Vm, t: T, name: Value) -> Option<Value> {
    if let Some(found) = vm.cache.attr(t.value(), name) {
        return found;
    }
    let h = vm.str_hash(name);
    let bytes = vm.str_bytes(name);
    let found = method_row(bytes, h, |mt| {
        mt == t || (t == T::bytearray && mt == T::bytes)
    })
    .map(|i| Value::imm(kind::METHOD, i));
    vm.cache.set_attr(t.value(), name, found);
    found
}

/// `obj.name`. Never inlined: one copy of the shortcut serves every
/// caller (firmware size).
#[inline(never)]
pub fn getattr(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value) -> R<Value> {
    // The hottest path: an instance attribute of a class without
    // properties, straight from the instance dict, in a small function (the
    // general one below has a large frame to set up).
    match vm.inst_attr_plain(obj, name) {
        Some(v) => Ok(v),
        None => getattr_general(vm, host, obj, name),
    }
}

/// [`getattr`] past the instance-dict shortcut.
#[inline(never)]
fn getattr_general(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value) -> R<Value> {
    if vm.is(obj, tag::MODULE) {
        return match vm.module_attr(obj, name) {
            Some(v) => Ok(v),
            None => {
                let parts = [Part::Str(vm.module_name(obj)), Part::Str(name)];
                vm.raise_parts(T::AttributeError, ErrMsg::ModuleNoAttribute, &parts)
            }
        };
    }
    if vm.is(obj, tag::INST) || vm.is(obj, tag::EXC) {
        // The hot path of `self.x`: one class lookup decides everything
        // `find_method` and the property check below would (a data
        // descriptor first, then the instance dict, then the class).
        let c = vm.class_of(obj);
        let cv = vm.class_lookup(c, name);
        let wrap = cv
            .filter(|p| vm.is(*p, tag::WRAP))
            .map(|p| vm.wrap_parts(p));
        if let Some((2, getter, _)) = wrap {
            return vm.call_nested(host, getter, &[obj]);
        }
        // A user descriptor: a data one before the instance's dict, any
        // other after it.
        let desc = cv.filter(|d| vm.is(*d, tag::INST));
        if let Some(d) = desc {
            if let Some(v) = vm.descriptor_get(host, d, obj, c, true)? {
                return Ok(v);
            }
        }
        if let Some(d) = vm.attr_dict(obj) {
            if let Some(v) = vm.dict_get_h(d, name, vm.str_hash(name)) {
                return Ok(v);
            }
        }
        if let Some(d) = desc {
            if let Some(v) = vm.descriptor_get(host, d, obj, c, false)? {
                return Ok(v);
            }
        }
        match (cv, wrap) {
            (_, Some((0, g, _))) => return Ok(g),
            (_, Some((_, g, _))) => return vm.bound_new(c, g),
            (Some(f), None) if vm.is(f, tag::FUNC) => return vm.bound_new(obj, f),
            (Some(v), None) => return Ok(v),
            (None, _) => {}
        }
    }
    if let Some((m, this)) = find_method(vm, obj, name) {
        if this.is_null() {
            return Ok(m);
        }
        return vm.bound_new(this, m);
    }
    if obj.is_kind(kind::TYPE) {
        if let Some(t) = T::from_id(obj.payload()) {
            // `str.upper` and friends: the unbound method (self comes
            // first); `dict.fromkeys` and `bytes.fromhex`: bound to the type.
            let h = vm.str_hash(name);
            let bytes = vm.str_bytes(name);
            // `object.__init__`/`__new__` serve every type
            // (`list.__init__(self, xs)`, `tuple.__new__(cls, xs)`).
            let ok = |mt| mt == t || mt == T::type_ || mt == T::object;
            if let Some(i) = method_row(bytes, h, ok) {
                let m = Value::imm(kind::METHOD, i);
                if METHOD_INFO[i as usize].0 != T::type_ {
                    return Ok(m);
                }
                if CLASS_METHODS.contains(&(t, i)) {
                    return vm.bound_new(obj, m);
                }
            }
        }
    }
    if vm.is(obj, tag::CLASS) {
        if let Some(v) = vm.class_lookup(obj, name) {
            // Through the class, a descriptor gets None for the instance.
            if vm.is(v, tag::INST) {
                if let Some(r) = vm.descriptor_get(host, v, Value::NONE, obj, false)? {
                    return Ok(r);
                }
            }
            return Ok(v);
        }
    }
    #[cfg(feature = "files")]
    if vm.is(obj, tag::FILE) {
        if let Some(v) = file::attr(vm, obj, name)? {
            return Ok(v);
        }
    }
    let n = vm.str_bytes(name);
    if obj.is_kind(kind::MODULE) {
        #[cfg(feature = "natives")]
        if obj.payload() >= native::FIRST_MODULE {
            return native::attr(vm, host, obj, name);
        }
        if let Some(v) = machine::module_attr(obj, n) {
            return Ok(v);
        }
        // Then its library half (`time.ticks_diff`, `machine.Pin`).
        if let Some(v) = vm.library_half_attr(host, obj, name)? {
            return Ok(v);
        }
        let parts = [Part::Bytes(machine::module_name(obj)), Part::Str(name)];
        return vm.raise_parts(T::AttributeError, ErrMsg::ModuleNoAttribute, &parts);
    }
    // The attributes every object of a kind has, by one name lookup.
    let t = vm.type_of(obj);
    match SPECIAL_NAMES.find(SPECIAL.len(), n, vm.str_hash(name), |_| true) {
        Some(S_NAME) if vm.is(obj, tag::CLASS) => return Ok(vm.class_name(obj)),
        Some(S_NAME) if obj.is_kind(kind::TYPE) => {
            let t = T::from_id(obj.payload()).unwrap_or(T::object);
            return vm.str_from_bytes(t.name().as_bytes());
        }
        Some(S_NAME) if vm.is(obj, tag::FUNC) => return Ok(vm.func_name(obj)),
        Some(S_NAME) if obj.is_kind(kind::BUILTIN) => {
            let name = builtin_name(obj.payload());
            #[cfg(feature = "natives")]
            let name = native::name(host, obj.payload()).unwrap_or(name);
            return vm.str_from_bytes(name.as_bytes());
        }
        Some(S_ARGS) if t.is_exception() => {
            vm.exc_expand(host, obj)?;
            return vm.exc_args(obj);
        }
        Some(S_CAUSE | S_CONTEXT) if t.is_exception() => return Ok(Value::NONE),
        Some(S_VALUE) if t == T::StopIteration => {
            let args = vm.exc_args(obj)?;
            return Ok(match vm.seq_items(args) {
                Some((b, k)) if k > 0 => vm.heap.v(b),
                _ => Value::NONE,
            });
        }
        Some(S_CLASS) => return Ok(vm.class_of(obj)),
        Some(k @ S_START..=S_STEP) if t == T::range => {
            let (a, b, s) = vm.range_parts(obj);
            return vm.int_from_i64([a, b, s][k - S_START]);
        }
        Some(k @ S_START..=S_STEP) if t == T::slice => {
            return Ok(vm.heap.v(obj.word() + 1 + k - S_START));
        }
        Some(S_SETTER) if vm.is(obj, tag::WRAP) => return vm.bound_new(obj, PROPERTY_SETTER),
        // The namespace itself (`vars(x)`), not a copy: as CPython's.
        Some(S_DICT) if vm.is(obj, tag::INST) || vm.is(obj, tag::EXC) => return vm.inst_dict(obj),
        Some(S_DICT) if vm.is(obj, tag::CLASS) => return Ok(vm.class_dict(obj)),
        Some(k @ (S_MRO | S_BASES)) if vm.is(obj, tag::CLASS) || obj.is_kind(kind::TYPE) => {
            return if k == S_MRO {
                vm.mro_tuple(obj)
            } else {
                vm.bases_tuple(obj)
            };
        }
        // `OSError(errno, strerror)`'s first two arguments, else None.
        Some(k @ S_ERRNO..S_MRO) if t.is_sub(T::OSError) => {
            vm.exc_expand(host, obj)?;
            let args = vm.exc_args(obj)?;
            return Ok(match vm.seq_items(args) {
                Some((b, n)) if n >= 2 => vm.heap.v(b + k - S_ERRNO),
                _ => Value::NONE,
            });
        }
        _ => {}
    }
    if let Some(f) = vm.special(obj, crate::vm::Dunder::GetAttr)? {
        return vm.call_nested(host, f, &[obj, name]);
    }
    // A cold method of a builtin type, in the frozen library (Python):
    // asked last, so that every attribute found natively costs nothing more.
    // (Of a subclass's instance, or through its `super()`: its base's.)
    let this = if vm.is(obj, tag::SUPER) {
        vm.heap.v(obj.word() + 2)
    } else {
        obj
    };
    if let Some(v) = vm.library_method(host, vm.native_of(this), name)? {
        return Ok(v);
    }
    let parts = [Part::TypeOf(obj), Part::Str(name)];
    vm.raise_parts(T::AttributeError, ErrMsg::ObjectNoAttribute, &parts)
}

/// The attributes [`getattr_general`] answers by kind of object, after
/// the dicts and method tables (their index: `S_…`).
const SPECIAL: [&str; 15] = [
    "__name__",
    "args",
    "__cause__",
    "__context__",
    "value",
    "__class__",
    "start",
    "stop",
    "step",
    "setter",
    "__dict__",
    "errno",
    "strerror",
    "__mro__",
    "__bases__",
];
const S_NAME: usize = 0;
const S_ARGS: usize = 1;
const S_CAUSE: usize = 2;
const S_CONTEXT: usize = 3;
const S_VALUE: usize = 4;
const S_CLASS: usize = 5;
const S_START: usize = 6;
const S_STEP: usize = 8;
const S_SETTER: usize = 9;
const S_DICT: usize = 10;
const S_ERRNO: usize = 11;
const S_MRO: usize = 13;
const S_BASES: usize = 14;
/// [`SPECIAL`] as it is kept in flash.
const SPECIAL_BLOB: [u8; blob_len(&SPECIAL)] = blob(&SPECIAL);
static SPECIAL_NAMES: Names<{ SPECIAL.len() }> = Names::pack(SPECIAL, &SPECIAL_BLOB);

/// `obj.name = v` (`v` NULL: `del obj.name`) for instances and classes;
/// `name` is a str. Never inlined, as [`getattr`].
#[inline(never)]
pub fn setattr(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value, v: Value) -> R<()> {
    // The hot path of `self.x = v`: an instance of a class without
    // properties stores into its own dict.
    if let Some(d) = vm.inst_dict_plain(obj) {
        if !v.is_null() {
            // Every caller passes a str name (names table, or checked).
            return vm.dict_set_h(d, name, vm.str_hash(name), v);
        }
    }
    setattr_general(vm, host, obj, name, v)
}

/// [`setattr`] past the instance-dict shortcut.
#[inline(never)]
fn setattr_general(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value, v: Value) -> R<()> {
    if vm.is(obj, tag::INST) && !v.is_null() && !vm.class_plain(vm.class_of(obj)) {
        let c = vm.class_of(obj);
        let cv = vm.class_lookup(c, name);
        if let Some(p) = cv.filter(|p| vm.is(*p, tag::WRAP)) {
            let (kind, _, setter) = vm.wrap_parts(p);
            if kind == 2 {
                if setter.is_null() {
                    return vm.raise_v(T::AttributeError, ErrMsg::ReadOnlyAttribute, name);
                }
                return vm.call_nested(host, setter, &[obj, v]).map(|_| ());
            }
        }
        // A user data descriptor's `__set__(d, obj, v)`.
        if let Some(d) = cv.filter(|d| vm.is(*d, tag::INST)) {
            if let Some(set) = vm.descriptor_method(d, b"__set__")? {
                return vm.call_nested(host, set, &[d, obj, v]).map(|_| ());
            }
        }
    }
    let d = if vm.is(obj, tag::INST) || vm.is(obj, tag::EXC) {
        vm.inst_dict(obj)?
    } else if vm.is(obj, tag::CLASS) {
        // The one way a class's namespace changes once the class exists.
        vm.cache.classes_changed();
        if vm.is_descriptor(v)? {
            vm.cache.late_props = true;
        }
        vm.class_dict(obj)
    } else if vm.is(obj, tag::MODULE) {
        vm.module_globals(obj)
    } else {
        return vm.raise_v(T::AttributeError, ErrMsg::ReadOnlyAttribute, name);
    };
    if v.is_null() {
        if vm.dict_del(d, name)?.is_none() {
            return vm.raise_v(T::AttributeError, ErrMsg::NoAttribute, name);
        }
        return Ok(());
    }
    // Every caller passes a str name (names table, or checked).
    vm.dict_set_h(d, name, vm.str_hash(name), v)
}

/// Calls builtin function `id`.
pub fn call_builtin(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    #[cfg(feature = "natives")]
    if id >= native::FIRST_FN {
        return native::call(vm, host, id, a);
    }
    #[cfg(feature = "files")]
    if id >= file::OPEN {
        return file::call(vm, host, id, a);
    }
    funcs::call(vm, host, id, a)
}

/// Calls method `id` (`self` is argument 0).
pub fn call_method(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    #[cfg(feature = "files")]
    if let Some(name) = file::method_name(id) {
        if a.n == 0 || !vm.is(vm.arg(a, 0), tag::FILE) {
            return vm.raise_s(T::TypeError, ErrMsg::ArgType, name.as_bytes());
        }
        return file::method(vm, host, id, a);
    }
    methods::call(vm, host, id, a)
}

/// Calls a builtin type or exception class.
pub fn construct(vm: &mut Vm, host: &mut Hx<'_>, t: T, a: &Args) -> R<Value> {
    funcs::construct(vm, host, t, a)
}
