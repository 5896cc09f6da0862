//! Object types: block tags and layouts, builtin type ids, and one module
//! per type with its operations (as `impl Vm` blocks, since most
//! operations allocate and therefore need the collector's roots).
//!
//! ## Block layouts (word offsets after the header, `v` = value word, `r` = raw)
//!
//! | tag | layout |
//! |-----|--------|
//! | `INT`        | r i64 low, r i64 high |
//! | `FLOAT`      | r f64 low, r f64 high |
//! | `STR`        | r hash, r byte length, r char count, UTF-8 bytes… |
//! | `BYTES`      | as `STR`, the char count being the byte length (see [`bytes`]) |
//! | `BYTEARRAY`  | v buffer (a `BYTES` block; its size is the capacity) |
//! | `TUPLE`      | r len, v items… |
//! | `LIST`       | r len, v items (`ARRAY` or NULL; its size is the capacity) |
//! | `ARRAY`      | v items… (unused slots NULL) |
//! | `RAW`        | r words… (never scanned) |
//! | `DICT`       | r len, r used, v entries (`ENTRIES`), v index (`RAW`) |
//! | `ENTRIES`    | (v key, v value, r hash)…; a deleted entry has key NULL |
//! | `RANGE`      | r start, r stop, r step (i32) |
//! | `FUNC`       | r code index, v image, v globals, v defaults, v kwdefaults, v closure |
//! | `CELL`       | v content (NULL: empty) |
//! | `BOUND`      | v self, v function |
//! | `ITER`       | r kind ([`iter`]), r position, v sequence |
//! | `RANGE_ITER` | r next, r stop, r step |
//! | `ENUMERATE`  | r count, v iterator |
//! | `ZIP`        | v tuple of iterators |
//! | `MAP`        | v function, v tuple of iterators |
//! | `EXC`        | r (ErrMsg, or 0xFF: Python-made), v class, v args tuple, v detail str, v dict |
//! | `GEN`        | v frame |
//! | `FRAME`      | see [`crate::vm::frame`] |
//! | `IMAGE`      | see [`crate::vm::image`] |
//! | `SLICE`      | v start, v stop, v step |
//! | `DICTVIEW`   | r kind (0 keys, 1 values, 2 items), v dict |
//! | `CLASS`, `INST`, `SUPER`, `WRAP` | see [`class`] (an `INST` of a class deriving from a builtin type: [`subclass`]) |
//! | `SET`, `FROZENSET` | as `DICT` (see [`set`]) |
//! | `BIGINT`     | r sign and limb count, r u32 limbs… (see `bigint`, feature `bigint`) |
//! | `MODULE`     | v name (str), v globals dict (see [`crate::vm::import`]) |
//! | `FILE`       | r flags, v name, r position, r stream…, write buffer (see [`crate::builtins::file`]) |

#[cfg(feature = "bigint")]
pub mod bigint;
pub mod bytes;
pub mod class;
pub mod dict;
pub mod exc;
pub mod float;
// Float text, parsing and remainder: exact (core, libm) for f64 ports,
// compact for f32 ports; one whole file per configuration.
#[cfg(all(feature = "float", not(feature = "float32")))]
#[path = "flib_core.rs"]
pub mod flib;
#[cfg(any(not(feature = "float"), feature = "float32"))]
#[path = "flib_small.rs"]
pub mod flib;
pub mod fmath;
pub mod func;
pub mod int;
pub mod iter;
pub mod list;
pub mod range;
pub mod set;
pub mod str;
pub mod subclass;
pub mod tuple;

use crate::heap::value::kind;
use crate::heap::Value;
use crate::vm::Vm;

/// Block tags: defined in the protocol, where the host's inspector reads
/// them too.
pub use p14p_protocol::heap::tag;

macro_rules! types {
    ($( $name:ident = $py:literal, $parent:ident; )*) => {
        /// Builtin types and exception classes (payload of a `TYPE` immediate).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        #[allow(non_camel_case_types, missing_docs)]
        pub enum T { $( $name, )* }

        impl T {
            const ALL: &'static [T] = &[ $( T::$name, )* ];
            /// The Python names, in payload order (packed for flash by
            /// `builtins`, which [`T::name`] reads).
            pub(crate) const NAMES: [&'static str; T::ALL.len()] = [ $( $py, )* ];
            /// The base class (`object` is its own).
            pub const fn parent(self) -> T {
                match self { $( T::$name => T::$parent, )* }
            }
        }
    };
}

types! {
    object = "object", object;
    NoneType = "NoneType", object;
    int = "int", object;
    bool = "bool", int;
    float = "float", object;
    str = "str", object;
    tuple = "tuple", object;
    list = "list", object;
    dict = "dict", object;
    set = "set", object;
    frozenset = "frozenset", object;
    range = "range", object;
    function = "function", object;
    builtin_function = "builtin_function_or_method", object;
    method = "method", object;
    type_ = "type", object;
    generator = "generator", object;
    cell = "cell", object;
    iterator = "iterator", object;
    enumerate = "enumerate", object;
    zip = "zip", object;
    map = "map", object;
    slice = "slice", object;
    dict_keys = "dict_keys", object;
    dict_values = "dict_values", object;
    dict_items = "dict_items", object;
    ellipsis = "ellipsis", object;
    code = "code", object;
    frame = "frame", object;
    module = "module", object;
    staticmethod = "staticmethod", object;
    classmethod = "classmethod", object;
    property = "property", object;
    mem = "mem", object;
    BaseException = "BaseException", object;
    Exception = "Exception", BaseException;
    ArithmeticError = "ArithmeticError", Exception;
    ZeroDivisionError = "ZeroDivisionError", ArithmeticError;
    OverflowError = "OverflowError", ArithmeticError;
    LookupError = "LookupError", Exception;
    IndexError = "IndexError", LookupError;
    KeyError = "KeyError", LookupError;
    ValueError = "ValueError", Exception;
    TypeError = "TypeError", Exception;
    NameError = "NameError", Exception;
    UnboundLocalError = "UnboundLocalError", NameError;
    AttributeError = "AttributeError", Exception;
    AssertionError = "AssertionError", Exception;
    RuntimeError = "RuntimeError", Exception;
    RecursionError = "RecursionError", RuntimeError;
    NotImplementedError = "NotImplementedError", RuntimeError;
    StopIteration = "StopIteration", Exception;
    MemoryError = "MemoryError", Exception;
    KeyboardInterrupt = "KeyboardInterrupt", BaseException;
    SystemExit = "SystemExit", BaseException;
    GeneratorExit = "GeneratorExit", BaseException;
    StopAsyncIteration = "StopAsyncIteration", Exception;
    EOFError = "EOFError", Exception;
    SyntaxError = "SyntaxError", Exception;
    ImportError = "ImportError", Exception;
    UnicodeError = "UnicodeError", ValueError;
    UnicodeDecodeError = "UnicodeDecodeError", UnicodeError;
    UnicodeEncodeError = "UnicodeEncodeError", UnicodeError;
    bytes = "bytes", object;
    bytearray = "bytearray", object;
    OSError = "OSError", Exception;
    FileNotFoundError = "FileNotFoundError", OSError;
    TextIOWrapper = "TextIOWrapper", object;
    BufferedReader = "BufferedReader", object;
    BufferedWriter = "BufferedWriter", object;
}

impl T {
    /// From a `TYPE` immediate payload.
    pub fn from_id(id: u32) -> Option<T> {
        T::ALL.get(id as usize).copied()
    }

    /// The Python name.
    pub fn name(self) -> &'static str {
        crate::builtins::type_name(self)
    }

    /// As a value.
    pub const fn value(self) -> Value {
        Value::imm(kind::TYPE, self as u32)
    }

    /// True if `self` is `other` or derives from it.
    pub fn is_sub(self, other: T) -> bool {
        let mut t = self;
        loop {
            if t == other {
                return true;
            }
            if t == T::object {
                return false;
            }
            t = t.parent();
        }
    }

    /// True for exception classes.
    pub fn is_exception(self) -> bool {
        self.is_sub(T::BaseException)
    }

    /// All builtin type names visible as builtins (name, type).
    pub fn by_name(name: &[u8]) -> Option<T> {
        T::ALL.iter().copied().find(|t| {
            t.name().as_bytes() == name
                && !matches!(
                    t,
                    T::NoneType
                        | T::function
                        | T::builtin_function
                        | T::method
                        | T::generator
                        | T::cell
                        | T::iterator
                        | T::dict_keys
                        | T::dict_values
                        | T::dict_items
                        | T::ellipsis
                        | T::code
                        | T::frame
                        | T::module
                        | T::mem
                        | T::type_
                        | T::TextIOWrapper
                        | T::BufferedReader
                        | T::BufferedWriter
                )
        })
    }
}

/// A value's class, for `type()`, `isinstance` and error messages.
impl Vm<'_> {
    /// The builtin type of `v`.
    pub fn type_of(&self, v: Value) -> T {
        if v.is_small() {
            return T::int;
        }
        if v.is_imm() {
            return match v.imm_kind() {
                kind::CONST => match v {
                    Value::NONE => T::NoneType,
                    Value::ELLIPSIS => T::ellipsis,
                    Value::NOT_IMPLEMENTED => T::object,
                    _ => T::bool,
                },
                kind::TYPE => T::type_,
                kind::CODE => T::code,
                kind::MODULE => T::module,
                kind::MEM => T::mem,
                kind::FROZEN_STR | kind::STORE_STR => T::str,
                _ => T::builtin_function,
            };
        }
        if !v.is_obj() {
            return T::NoneType;
        }
        let w = v.word();
        match self.heap.tag(w) {
            tag::INT | tag::BIGINT => T::int,
            tag::FLOAT => T::float,
            tag::STR => T::str,
            tag::BYTES => T::bytes,
            tag::BYTEARRAY => T::bytearray,
            tag::TUPLE => T::tuple,
            tag::LIST => T::list,
            tag::DICT => T::dict,
            tag::SET => T::set,
            tag::FROZENSET => T::frozenset,
            tag::RANGE => T::range,
            tag::FUNC => T::function,
            tag::CELL => T::cell,
            tag::BOUND => T::method,
            tag::ITER | tag::RANGE_ITER => T::iterator,
            tag::ENUMERATE => T::enumerate,
            tag::ZIP => T::zip,
            tag::MAP => T::map,
            tag::EXC => {
                let c = self.heap.v(w + 2);
                if c.is_obj() {
                    self.class_base_t(c)
                } else {
                    T::from_id(c.payload()).unwrap_or(T::Exception)
                }
            }
            tag::CLASS => T::type_,
            tag::WRAP => match self.heap.w(w + 1) {
                0 => T::staticmethod,
                1 => T::classmethod,
                _ => T::property,
            },
            tag::GEN => T::generator,
            tag::MODULE => T::module,
            #[cfg(feature = "files")]
            tag::FILE => crate::builtins::file::type_of(self.heap.w(w + 1)),
            tag::SLICE => T::slice,
            tag::DICTVIEW => match self.heap.w(w + 1) {
                0 => T::dict_keys,
                1 => T::dict_values,
                _ => T::dict_items,
            },
            _ => T::object,
        }
    }

    /// True if `v` is a heap object with tag `t`. A hint, not
    /// `inline(always)`: forced into its ~600 call sites it cost 1.5 KiB
    /// of flash; the compiler still inlines it where it pays (all but two
    /// of the dispatch loop's).
    #[inline]
    pub fn is(&self, v: Value, t: u32) -> bool {
        v.is_obj() && self.heap.tag(v.word()) == t
    }
}
