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
//! | [`attr`]    | attribute lookup: `getattr`, `setattr`, and `LOAD_METHOD`'s `load_method`, one path |
//! | [`funcs`]   | `print`, `len`, `sorted`, … and the constructors' arity and dispatch (each type's own in its `obj/` file: `int(…)` in `obj/int.rs`, …) |
//! | [`methods`] | method dispatch by type (list's in `obj/list.rs`, dict's in `obj/dict.rs`, str's in `obj/str/methods.rs`, bytes' in `obj/bytes/methods.rs`, …) and the rarer types' methods |
//! | [`machine`] | the native `machine` module (memory access, pins, reset); every native module's import and attributes, from `p14p_protocol::natives` |
//! | [`bus`]     | `machine`'s bus natives: one transfer each for the library's `I2C`, `SPI` and `UART` |
//! | [`time`]    | the native half of `time`: the clock and the wait |
//! | [`gc`]      | the native `gc` module: collection, heap figures, the policy |
//! | [`sys`]     | the native half of `sys`: the module registry, the board's name |
//! | [`math`]    | the native half of `math`: what float arithmetic cannot give |
//! | [`file`]    | `open()`, the file object, the native `os` module |
//! | [`format`]  | format specs and `str.format` |

mod attr;
#[cfg(all(feature = "buses", feature = "bytes"))]
pub mod bus;
#[cfg(feature = "files")]
pub mod file;
pub mod format;
pub mod funcs;
pub mod gc;
pub mod machine;
pub mod math;
pub mod methods;
pub(crate) mod names;
#[cfg(feature = "natives")]
pub mod native;
pub mod sys;
pub mod time;

pub use attr::{getattr, load_method, native_method, setattr};

use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::T;
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use names::{blob, blob_len, Names};
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
const BASE_BUILTINS: [(&str, u8, u8); 57] = [
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
    // `_err(cls, msg, detail)`: the frozen library's exception with a
    // numbered message (`msg`, an `ErrMsg` number the host's compiler put
    // where `lib/` wrote its text), as the VM's own.
    ("_err", 2, 3),
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
    base: [(&'static str, u8, u8); 57],
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
    // bytearray shares these (see `attr::native_method`).
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
        if a.n == 0 || !vm.is(vm.arg(a, 0), crate::obj::tag::FILE) {
            let m = p14p_protocol::errmsg::ErrMsg::ArgType;
            return vm.raise_s(T::TypeError, m, name.as_bytes());
        }
        return file::method(vm, host, id, a);
    }
    methods::call(vm, host, id, a)
}

/// Calls a builtin type or exception class.
pub fn construct(vm: &mut Vm, host: &mut Hx<'_>, t: T, a: &Args) -> R<Value> {
    funcs::construct(vm, host, t, a)
}
