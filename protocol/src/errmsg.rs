//! Numbered error messages.
//!
//! The VM raises builtin exceptions with an [`ErrMsg`] number and a short
//! variable part (a name, a type name); the text lives here, on the host
//! side only, so the firmware carries no error strings. Inside Python,
//! `str(exc)` of such an exception is the text the host renders, asked for
//! during the run (`Reply::Expand`), or its variable part when no host
//! answers.
//!
//! Placeholders in the host text: `{}` is the detail string; a text with
//! several `{}` takes a detail of as many parts separated by NUL bytes.

use serde::{Deserialize, Serialize};

macro_rules! messages {
    ($( $(#[$doc:meta])* $name:ident = $text:literal, )*) => {
        /// A message number. Stable on the wire: append, never reorder.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum ErrMsg { $( $(#[$doc])* $name, )* }

        impl ErrMsg {
            /// How many messages there are (wire numbers `0..COUNT`).
            pub const COUNT: u32 = [ $( ErrMsg::$name, )* ].len() as u32;

            /// The message with wire number `n` (its variant index), if
            /// there is one.
            pub fn from_index(n: u32) -> Option<ErrMsg> {
                const ALL: &[ErrMsg] = &[ $( ErrMsg::$name, )* ];
                ALL.get(n as usize).copied()
            }

            /// The message text with `{}` where the detail goes (host side).
            pub const fn template(self) -> &'static str {
                match self { $( ErrMsg::$name => $text, )* }
            }

            /// True when the text is the detail alone (`{}` or empty), so
            /// the device can render `str(e)` without asking the host.
            /// A table of bits evaluated at compile time: the texts
            /// themselves stay out of the firmware.
            pub const fn is_detail_only(self) -> bool {
                const ONLY: &[bool] = &[ $( detail_only($text), )* ];
                let i = self as usize;
                i < ONLY.len() && ONLY[i]
            }
        }
    };
}

/// Whether a template is nothing but the detail.
const fn detail_only(t: &str) -> bool {
    let b = t.as_bytes();
    b.is_empty() || (b.len() == 2 && b[0] == b'{' && b[1] == b'}')
}

messages! {
    /// Raised by Python code: the detail is `str(exc)`.
    Custom = "{}",
    /// A name lookup failed.
    NameNotDefined = "name '{}' is not defined",
    /// A local read before assignment. The detail is the name, or the slot
    /// number for a slot the image does not name (past the parameters):
    /// the host renders the name from the image's debug info.
    UnboundLocal = "local variable '{}' referenced before assignment",
    /// A free variable read before assignment (the detail as for
    /// [`ErrMsg::UnboundLocal`]).
    UnboundFree = "free variable '{}' referenced before assignment in enclosing scope",
    /// Binary operator on unsupported types; detail `op: 'a' and 'b'`.
    UnsupportedOperand = "unsupported operand type(s) for {}",
    /// Unary operator on an unsupported type.
    BadUnaryOperand = "bad operand type for unary {}",
    /// Ordering comparison between unorderable types.
    NotOrderable = "'{}' not supported between instances",
    /// Calling a non-callable.
    NotCallable = "'{}' object is not callable",
    /// Iterating a non-iterable.
    NotIterable = "'{}' object is not iterable",
    /// Subscripting a non-subscriptable.
    NotSubscriptable = "'{}' object is not subscriptable",
    /// Item assignment on an immutable object.
    NoItemAssignment = "'{}' object does not support item assignment",
    /// Item deletion unsupported.
    NoItemDeletion = "'{}' object doesn't support item deletion",
    /// `len()` of an object without length.
    NoLen = "object of type '{}' has no len()",
    /// Missing attribute.
    NoAttribute = "object has no attribute '{}'",
    /// Wrong number of positional arguments.
    ArgCount = "{}() takes a different number of positional arguments",
    /// Missing required argument.
    MissingArg = "missing required argument: '{}'",
    /// Unknown keyword argument.
    UnexpectedKeyword = "got an unexpected keyword argument '{}'",
    /// An argument given twice.
    DuplicateArg = "got multiple values for argument '{}'",
    /// Keywords must be strings.
    KeywordsNotStr = "keywords must be strings",
    /// Integer division or modulo by zero.
    DivisionByZero = "division by zero",
    /// Integer modulo by zero.
    ModuloByZero = "integer division or modulo by zero",
    /// Negative shift count.
    NegativeShift = "negative shift count",
    /// A result too large for the device's integers.
    IntOverflow = "integer too large for this device",
    /// `int()` could not parse a string.
    IntParse = "invalid literal for int() with base 10: {}",
    /// Sequence index out of range.
    IndexRange = "{} index out of range",
    /// Index of wrong type.
    IndexType = "indices must be integers or slices, not {}",
    /// Dict key missing; detail is `repr(key)`.
    KeyMissing = "{}",
    /// Unhashable key.
    Unhashable = "unhashable type: '{}'",
    /// Unpacking: too many values.
    UnpackTooMany = "too many values to unpack (expected {})",
    /// Unpacking: too few values.
    UnpackTooFew = "not enough values to unpack (expected {})",
    /// Wrong argument type for a builtin.
    ArgType = "bad argument type for {}",
    /// Wrong argument value for a builtin.
    ArgValue = "bad argument value for {}",
    /// The heap is exhausted.
    OutOfMemory = "out of memory",
    /// Too many nested calls.
    RecursionDepth = "maximum recursion depth exceeded",
    /// The host interrupted the program.
    Interrupted = "",
    /// A generator was resumed while running.
    GeneratorRunning = "generator already executing",
    /// An empty sequence given to min/max/pop.
    EmptySequence = "{} arg is an empty sequence",
    /// `list.remove`/`index` did not find the value.
    NotInList = "{} is not in list",
    /// Only exception classes and instances can be raised.
    NotAnException = "exceptions must derive from BaseException",
    /// No exception is being handled for a bare `raise`.
    NoActiveException = "No active exception to reraise",
    /// `import` of a module the device does not hold.
    NoModule = "No module named '{}'",
    /// Assignment to an attribute that cannot be set.
    ReadOnlyAttribute = "attribute '{}' is read-only",
    /// A value outside the allowed range (e.g. `chr`, `range` step 0).
    ValueRange = "{} out of range",
    /// A native peek/poke outside the memory map.
    BadAddress = "address {} is outside the memory map",
    /// `next()` on an exhausted iterator.
    StopIteration = "",
    /// An operation the VM does not implement for these types.
    NotImplemented = "{} is not supported on this device",
    /// A text conversion failed (bad UTF-8, bad format spec).
    Format = "bad format: {}",
    /// A string operation was given a non-string.
    NeedStr = "must be str, not {}",
    /// Float division by zero.
    FloatDivisionByZero = "float division by zero",
    /// `str()` of an int beyond CPython's 4300-digit limit.
    IntStrDigits = "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
    /// `float()` (or mixed arithmetic) of an int beyond the largest float.
    IntTooLargeForFloat = "int too large to convert to float",
    /// `int / int` whose quotient is beyond the largest float.
    IntDivTooLarge = "integer division result too large for a float",
    /// `pow(b, -e, m)` when `b` has no inverse modulo `m`.
    NotInvertible = "base is not invertible for the given modulus",
    /// `int()` of a string beyond CPython's 4300-digit limit; detail: the digit count.
    IntParseDigits = "Exceeds the limit (4300 digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
    /// A binary operator on unsupported types; detail `op\0type\0type`.
    OperandTypes = "unsupported operand type(s) for {}: '{}' and '{}'",
    /// A missing attribute; detail `type\0name`.
    ObjectNoAttribute = "'{}' object has no attribute '{}'",
    /// A missing module attribute; detail `module\0name`.
    ModuleNoAttribute = "module '{}' has no attribute '{}'",
    /// `list.pop()` of an empty list.
    PopEmpty = "pop from empty list",
    /// `int % 0`.
    IntModuloByZero = "integer modulo by zero",
    /// `float // 0`.
    FloatFloorDivByZero = "float floor division by zero",
    /// `float % 0`.
    FloatModuloByZero = "float modulo",
    /// `divmod(float, 0)`.
    FloatDivmodByZero = "float divmod()",
    /// `sequence * x` for a non-int `x`; detail: the type of `x`.
    SeqMulNonInt = "can't multiply sequence by non-int of type '{}'",
    /// `%` with fewer values than conversions.
    FormatArgsMissing = "not enough arguments for format string",
    /// `%` with more values than conversions.
    FormatArgsLeft = "not all arguments converted during string formatting",
    /// `%` with an unknown conversion; detail `char\0hex\0index`.
    FormatChar = "unsupported format character '{}' (0x{}) at index {}",
    /// `%d` of a non-number; detail `conversion\0type`.
    FormatNeedsReal = "%{} format: a real number is required, not {}",
    /// `%x` of a non-integer; detail `conversion\0type`.
    FormatNeedsInt = "%{} format: an integer is required, not {}",
    /// `%f` of a non-number; detail: the type.
    FormatNeedsFloat = "must be real number, not {}",
    /// `tuple.index` did not find the value.
    TupleIndexNotIn = "tuple.index(x): x not in tuple",
    /// `list.remove` did not find the value.
    ListRemoveNotIn = "list.remove(x): x not in list",
    /// `range.index` did not find the value.
    NotInRange = "{} is not in range",
    /// A big int where a machine integer is needed (`format(2**70, 'c')`).
    IntTooLargeForC = "Python int too large to convert to C long",
    /// A format spec's presentation type the value's type does not have.
    FormatCode = "Unknown format code '{}' for object of type '{}'",
    /// An ordering comparison between unorderable types; detail
    /// `op\0type\0type`.
    NotOrderableTypes = "'{}' not supported between instances of '{}' and '{}'",
    /// A `math` function's argument outside its domain (`sqrt(-1)`).
    MathDomain = "math domain error",
    /// A `math` function's result too large for a float (`exp(1000)`).
    MathRange = "math range error",
    /// A port's native function given an argument of another type than
    /// its declaration's; detail `function\0position\0type\0given type`.
    NativeArgType = "{}() argument {} must be {}, not {}",
    /// `input()` at the end of input, or with no host to ask.
    EofReading = "EOF when reading a line",
    // The frozen library's own messages (`_err(cls, "text", detail)` in
    // `lib/`; the host's compiler turns the text into its number, so no
    // library image carries it).
    /// `str.ljust` and its kin with a fill that is not one character.
    FillChar = "The fill character must be exactly one character long",
    /// `str.split('')` and its kin.
    EmptySeparator = "empty separator",
    /// `'%c' % x` for a str longer than one character or not an int.
    FormatCharArg = "%c requires int or char",
    /// `int.to_bytes`/`from_bytes` with another byte order.
    ByteOrder = "byteorder must be either 'little' or 'big'",
    /// `int.to_bytes` with a negative length.
    NegativeLength = "length argument must be non-negative",
    /// `int.to_bytes` of a negative int, unsigned.
    NegativeUnsigned = "can't convert negative int to unsigned",
    /// `int.to_bytes` of an int that needs more bytes.
    IntTooBig = "int too big to convert",
    /// `int.from_bytes` of what is not bytes-like; detail: its type.
    NotBytes = "cannot convert '{}' object to bytes",
    /// `vars(x)` of an object without `__dict__`.
    NoDict = "vars() argument must have __dict__ attribute",
    /// `pow(b, e, m)` with a non-int.
    PowModNonInt = "pow() 3rd argument not allowed unless all arguments are integers",
    /// `pow(b, e, 0)`.
    PowModZero = "pow() 3rd argument cannot be 0",
    /// `bin()`, `hex()`, `oct()` of a non-int; detail: its type.
    NotAnInt = "'{}' object cannot be interpreted as an integer",
    // The VM's own, numbered in session 20 (before, their texts were the
    // detail of `Custom`, in the firmware and copied to the heap).
    /// `str.index`, `bytes.index` and their kin, not found.
    SubstringNotFound = "substring not found",
    /// `bytearray.pop()` of an empty one.
    PopEmptyBytearray = "pop from empty bytearray",
    /// `bytes(-1)`, `bytearray(-1)`.
    NegativeCount = "negative count",
    /// `write()` on a file opened for reading.
    NotWritable = "not writable",
    /// `read()` on a file opened for writing.
    NotReadable = "not readable",
    /// `micropython.schedule` with its queue full.
    ScheduleFull = "schedule queue full",
    /// `eval`/`exec` given code the verifier refused.
    BadHostCode = "bad code from the host",
    // Numbered in session 22: the last texts the VM carried as details
    // (0.8 KiB of the firmware's flash). A detail with numbers is the
    // numbers in decimal, NUL-separated.
    /// `dict.popitem()` of an empty dict (a `KeyError`: its str is the
    /// repr of this text, as CPython's).
    PopitemEmpty = "popitem(): dictionary is empty",
    /// `set.pop()` of an empty set.
    SetPopEmpty = "pop from an empty set",
    /// `dict(seq)`/`update(seq)` with an item not a pair; detail
    /// `index\0length`.
    DictUpdateElement = "dictionary update sequence element #{} has length {}; 2 is required",
    /// `gen.send(x)`, `x` not None, before the generator started.
    SendJustStarted = "can't send non-None value to a just-started generator",
    /// `gen.close()` and the generator yielded.
    IgnoredGeneratorExit = "generator ignored GeneratorExit",
    /// `bytes.decode()`; detail `byte in hex\0position`.
    DecodeStart = "'utf-8' codec can't decode byte 0x{} in position {}: invalid start byte",
    /// As [`ErrMsg::DecodeStart`].
    DecodeContinuation =
        "'utf-8' codec can't decode byte 0x{} in position {}: invalid continuation byte",
    /// As [`ErrMsg::DecodeStart`].
    DecodeEnd = "'utf-8' codec can't decode byte 0x{} in position {}: unexpected end of data",
    /// As [`ErrMsg::DecodeStart`].
    DecodeAscii = "'ascii' codec can't decode byte 0x{} in position {}: ordinal not in range(128)",
    /// `str.encode('ascii')`; detail `escape\0position` (`\xe9\x002`).
    EncodeAsciiChar =
        "'ascii' codec can't encode character '{}' in position {}: ordinal not in range(128)",
    /// `str.encode('ascii')` of a run; detail `first\0last`.
    EncodeAsciiChars =
        "'ascii' codec can't encode characters in position {}-{}: ordinal not in range(128)",
    /// `bytes.fromhex`; detail: the position.
    FromhexDigit = "non-hexadecimal number found in fromhex() arg at position {}",
    /// A byte value outside 0..256.
    ByteRange = "byte must be in range(0, 256)",
    /// An item of `bytes([...])` outside 0..256.
    BytesRange = "bytes must be in range(0, 256)",
    /// `bytes('text')`.
    StrWithoutEncoding = "string argument without an encoding",
    /// `ba[i:j] = 3` and kin.
    BytearrayAssign = "can assign only bytes, buffers, or iterables of ints in range(0, 256)",
    /// `x in b` of what is neither an int nor bytes-like.
    NeedBytesLike = "a bytes-like object is required",
    /// `bytearray.remove(x)` did not find `x`.
    BytearrayRemoveNotIn = "value not found in bytearray",
    /// Assigning a sequence of another length to an extended slice;
    /// detail `given\0slice length`.
    ExtendedSlice = "attempt to assign sequence of size {} to extended slice of size {}",
    /// [`ErrMsg::ExtendedSlice`] of a bytearray.
    ExtendedSliceBytes = "attempt to assign bytes of size {} to extended slice of size {}",
    /// `(-8) ** 0.5` (a complex result, which the VM does not make).
    NegativeFractionalPower = "negative number cannot be raised to a fractional power",
    /// A file method after `close()`.
    ClosedFile = "I/O operation on closed file.",
    /// A text file's bytes are not UTF-8.
    FileNotUtf8 = "'utf-8' codec can't decode the file",
}

impl ErrMsg {
    /// Renders the message with its detail (host side).
    #[cfg(any(test, feature = "std"))]
    pub fn render(self, detail: &str) -> std::string::String {
        let t = self.template();
        if t.is_empty() {
            return detail.into();
        }
        let mut parts = detail.split('\0');
        let mut out = std::string::String::new();
        let mut rest = t;
        while let Some(i) = rest.find("{}") {
            out.push_str(&rest[..i]);
            out.push_str(parts.next().unwrap_or(""));
            rest = &rest[i + 2..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::ErrMsg;

    #[test]
    fn renders_detail_into_template() {
        assert_eq!(
            ErrMsg::NameNotDefined.render("x"),
            "name 'x' is not defined"
        );
        assert_eq!(ErrMsg::Custom.render("boom"), "boom");
        assert_eq!(ErrMsg::DivisionByZero.render(""), "division by zero");
        assert_eq!(
            ErrMsg::OperandTypes.render("+\0str\0int"),
            "unsupported operand type(s) for +: 'str' and 'int'"
        );
        assert_eq!(
            ErrMsg::ObjectNoAttribute.render("NoneType\0foo"),
            "'NoneType' object has no attribute 'foo'"
        );
    }

    #[test]
    fn detail_only_messages_are_known_without_their_text() {
        assert!(ErrMsg::Custom.is_detail_only());
        assert!(ErrMsg::KeyMissing.is_detail_only());
        assert!(ErrMsg::StopIteration.is_detail_only());
        assert!(!ErrMsg::NameNotDefined.is_detail_only());
        assert!(!ErrMsg::IntParseDigits.is_detail_only());
    }

    #[test]
    fn wire_numbers_are_stable() {
        assert_eq!(postcard::to_stdvec(&ErrMsg::Custom).unwrap(), [0]);
        assert_eq!(postcard::to_stdvec(&ErrMsg::NameNotDefined).unwrap(), [1]);
    }
}
