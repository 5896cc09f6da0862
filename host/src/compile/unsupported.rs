//! Constructs the device cannot run, each rejected at compile time with a
//! source-located diagnostic instead of failing on the board.
//!
//! Every variant documents *What* is rejected, *Why* the device does not
//! support it, and what to write *Instead* (the `help:` line).

use crate::diag::Diagnostic;
use ruff_text_size::TextRange;

/// A construct p14p rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// What: async comprehensions (`[x async for x in it]`; `async def`,
    /// `await`, `async with` and `async for` compile: a coroutine is a
    /// generator).
    /// Why: a comprehension's own scope would have to be a coroutine too.
    /// Instead: an `async for` loop that appends.
    Async,
    /// What: async generators (`yield` inside `async def`).
    /// Why: a coroutine is a generator whose yields go to the scheduler;
    /// values yielded to an `async for` would need a second channel.
    /// Instead: a class with `__aiter__` and an `async def __anext__`.
    AsyncGenerator,
    /// What: the `match` statement.
    /// Why: pattern matching needs many opcodes and is rarely worth its
    /// code size on a microcontroller.
    /// Instead: `if`/`elif` chains or a dict of handlers.
    Match,
    /// What: `try: … except* E:` (exception groups).
    /// Why: the VM has no `ExceptionGroup`.
    /// Instead: plain `except`.
    TryStar,
    /// What: `type X = …` aliases and generic parameter lists (`def f[T]()`).
    /// Why: they are typing constructs with run-time objects the VM lacks.
    /// Instead: plain assignments; annotations are ignored anyway.
    TypeAlias,
    /// What: a float literal on a device built without floats.
    /// Why: the target's handshake says it has no float type.
    /// Instead: scaled integers (e.g. millivolts instead of volts).
    Float,
    /// What: a bytes literal (`b'…'`) on a device built without bytes.
    /// Why: the target's handshake says it has no bytes type (the minimal
    /// firmware leaves bytes and bytearray out).
    /// Instead: a str, or a list of small ints.
    Bytes,
    /// What: complex literals (`1j`).
    /// Why: complex is a carried class of floats (`lib/complex.py`).
    /// Instead: a pair of numbers (a firmware without floats).
    Complex,
    /// What: an integer literal wider than 64 bits on a device without big ints.
    /// Why: the target's handshake says ints are limited.
    /// Instead: split the value, or use a device with big ints.
    BigInt,
    /// What: t-strings (`t"…"`).
    /// Why: template objects are a Python 3.14 feature the VM lacks.
    /// Instead: f-strings.
    TString,
    /// What: keyword arguments in a class header (`metaclass=…`).
    /// Why: the VM's classes have no metaclasses.
    /// Instead: a plain class, or a class decorator.
    ClassKeywords,
    /// What: a function with more than 255 parameters and locals, or a call
    /// with more than 255 arguments.
    /// Why: slots and argument counts are one byte in the bytecode.
    /// Instead: pass a list or dict.
    TooManySlots,
}

impl Unsupported {
    /// The one-line message.
    pub fn message(self) -> &'static str {
        match self {
            Unsupported::Async => "async comprehensions are not supported on p14p",
            Unsupported::AsyncGenerator => "async generators are not supported on p14p",
            Unsupported::Match => "the `match` statement is not supported on p14p",
            Unsupported::TryStar => "`except*` is not supported on p14p",
            Unsupported::TypeAlias => "type aliases and type parameters are not supported on p14p",
            Unsupported::Float => "this device has no floating-point numbers",
            Unsupported::Bytes => "this device has no bytes objects",
            Unsupported::Complex => "this device has no complex numbers (they need floats)",
            Unsupported::BigInt => "integer literal too large for this device",
            Unsupported::TString => "t-strings are not supported on p14p",
            Unsupported::ClassKeywords => "class keyword arguments are not supported on p14p",
            Unsupported::TooManySlots => "too many arguments or local variables (the limit is 255)",
        }
    }

    /// What to write instead.
    pub fn instead(self) -> &'static str {
        match self {
            Unsupported::Async => "use an `async for` loop that appends to a list",
            Unsupported::AsyncGenerator => {
                "write a class with `__aiter__` and an `async def __anext__`"
            }
            Unsupported::Match => "use an `if`/`elif` chain or a dict of handlers",
            Unsupported::TryStar => "use a plain `except` clause",
            Unsupported::TypeAlias => "use a plain assignment",
            Unsupported::Float => "use scaled integers (e.g. millivolts instead of volts)",
            Unsupported::Bytes => "use a str, or a list of ints in range(0, 256)",
            Unsupported::Complex => "use a pair of numbers",
            Unsupported::BigInt => "split the value into smaller integers",
            Unsupported::TString => "use an f-string",
            Unsupported::ClassKeywords => "use a plain class, or a class decorator",
            Unsupported::TooManySlots => "pass a list or a dict instead",
        }
    }

    /// The diagnostic for this construct at `range`.
    pub fn at(self, range: TextRange) -> Diagnostic {
        Diagnostic::error(
            self.message(),
            range.start().to_usize()..range.end().to_usize(),
        )
        .with_help(self.instead())
    }
}
