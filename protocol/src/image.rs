//! The image: one compiled module, as the host writes it and the device
//! executes it in place (from RAM or flash) without rewriting it.
//!
//! All fixed-size integers are little-endian. Offsets are from the start of
//! the image, which is at most 64 KiB. `varint` is unsigned LEB128 (7 bits
//! a byte, low first, the top bit set on all but the last), at most three
//! bytes for the 16-bit fields; `zigzag` maps signed to unsigned
//! (`0, -1, 1, -2 ..` to `0, 1, 2, 3 ..`) before it. Counts, indices and
//! offsets are nearly always below 128, so most take one byte, as in
//! MicroPython's `.mpy`.
//!
//! ```text
//! header (22 bytes)
//!   0  magic      b"P14I"
//!   4  format     u16   = version::IMAGE_FORMAT
//!   6  n_codes    u16   code 0 is the module body
//!   8  len        u32   total length of the image
//!  12  hash       u32   FNV-1a-32 of bytes [16 .. len]
//!  16  n_names    u16
//!  18  n_consts   u16
//!  20  consts_off u16   where the constants start
//!  22  codes      n_codes × u16: offset of each code record
//!      names      n_names × { len: u8, utf8 bytes }, from 22 + 2 n_codes
//!      consts     n_consts × { kind: u8, payload }   (see ConstKind)
//!      code records
//!
//! code record
//!   0  flags      u8      CodeFlags; bit 7 (EXTRA): the extra fields follow
//!   1  argcount   u8      positional parameters (including positional-only)
//!   2  nlocals    u8      slots: params, kw-only, *args, **kwargs, others, free vars last
//!      max_stack  varint  value stack size the verifier proved sufficient
//!      name       varint  names index of the function's name (the module
//!                         body, never a function, names any name: 0)
//!      code_len   varint
//!      [EXTRA: posonly u8, kwonly u8, ncells u8, nfree u8, n_handlers varint]
//!      cells      ncells × u8       slots that become cells at entry
//!      code       code_len bytes    see opcode
//!      handlers   n_handlers × { start, end, target, depth: varint }
//!      slot_names params × varint   names index of each parameter slot
//!                                   (keyword arguments, messages); `params`
//!                                   is argcount + kwonly + `*args` + `**kwargs`
//!                                   (flags). The other slots' names are host
//!                                   debug info: an error about one names it
//!                                   by number, the host by name.
//! ```
//!
//! The slot names come last so that finding the code (every call that
//! decodes the record) never walks them.
//!
//! Constant payloads (`kind` byte, then):
//!
//! | kind | payload |
//! |------|---------|
//! | 0 INT      | zigzag varint (up to 64 bits) |
//! | 1 FLOAT    | f64 |
//! | 2 STR      | varint len, UTF-8 bytes |
//! | 3 BYTES    | varint len, bytes |
//! | 4 CODE     | varint code index |
//! | 5 TUPLE    | varint n, n × varint constant indices, each lower than this one's |
//! | 6 BIGINT   | u8 sign (1 = negative), varint len, magnitude bytes little-endian |
//! | 7 ELLIPSIS | — |
//! | 8 NONE, 9 TRUE, 10 FALSE | — |
//!
//! Line tables, source and (beyond the slots') local names never enter the
//! image: the host keeps them, keyed by the image hash, and maps
//! `(hash, code, pc)` traceback entries back to source lines.

use crate::msg::ImageError;

/// The magic bytes.
pub const MAGIC: [u8; 4] = *b"P14I";
/// Header size in bytes (before the code offsets).
pub const HEADER_LEN: usize = 22;
/// The most bytes a code record's header takes (three fixed bytes, three
/// varints, the extra fields).
pub const CODE_HEADER_MAX: usize = 3 + 3 * 3 + 4 + 3;
/// The [`CodeHeader`] flag byte's bit saying the extra fields follow.
pub const EXTRA: u8 = 0x80;

/// Reads the unsigned LEB128 varint at `*at` of at most `bytes` bytes,
/// moving `*at` past it: `None` if it is truncated or longer.
pub fn read_varint(b: &[u8], at: &mut usize, bytes: usize) -> Option<u64> {
    let mut v: u64 = 0;
    for i in 0..bytes {
        let byte = *b.get(*at + i)?;
        v |= u64::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            *at += i + 1;
            return Some(v);
        }
    }
    None
}

/// [`read_varint`] of a 16-bit field (at most three bytes, at most
/// `u16::MAX`).
pub fn read_varint16(b: &[u8], at: &mut usize) -> Result<u16, ImageError> {
    let v = read_varint(b, at, 3).ok_or(ImageError::Truncated)?;
    u16::try_from(v).map_err(|_| ImageError::Truncated)
}

/// Decodes a zigzag-mapped integer.
pub const fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// Code record flags.
pub mod code_flags {
    /// Calling the function creates a generator.
    pub const GENERATOR: u16 = 1 << 0;
    /// Has a `*args` parameter.
    pub const VARARGS: u16 = 1 << 1;
    /// Has a `**kwargs` parameter.
    pub const VARKW: u16 = 1 << 2;
    /// A class body: names go through a namespace dict (`*_NAME` opcodes).
    pub const CLASS_BODY: u16 = 1 << 3;
    /// The module body.
    pub const MODULE: u16 = 1 << 4;
    /// A lambda (for tracebacks: `<lambda>`).
    pub const LAMBDA: u16 = 1 << 5;
    /// A comprehension or generator expression body.
    pub const COMPREHENSION: u16 = 1 << 6;
}

/// Constant kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ConstKind {
    /// Signed 64-bit integer.
    Int = 0,
    /// Float.
    Float = 1,
    /// String.
    Str = 2,
    /// Bytes.
    Bytes = 3,
    /// A code object of this image.
    Code = 4,
    /// A tuple of earlier constants.
    Tuple = 5,
    /// An integer that does not fit 64 bits.
    BigInt = 6,
    /// `...`
    Ellipsis = 7,
    /// `None`
    None = 8,
    /// `True`
    True = 9,
    /// `False`
    False = 10,
}

/// FNV-1a, 32 bits: the image hash. Cheap on a microcontroller and enough to
/// name an image; transfer integrity is the frame CRC's job.
pub const fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u32;
        h = h.wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, ImageError> {
    match b.get(at..at + 2) {
        Some(s) => Ok(u16::from_le_bytes([s[0], s[1]])),
        None => Err(ImageError::Truncated),
    }
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, ImageError> {
    match b.get(at..at + 4) {
        Some(s) => Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]])),
        None => Err(ImageError::Truncated),
    }
}

fn slice(b: &[u8], at: usize, len: usize) -> Result<&[u8], ImageError> {
    b.get(at..at.checked_add(len).ok_or(ImageError::Truncated)?)
        .ok_or(ImageError::Truncated)
}

/// A parsed image header over the image bytes. Every accessor is
/// bounds-checked; nothing here trusts the bytes.
#[derive(Debug, Clone, Copy)]
pub struct Image<'a> {
    bytes: &'a [u8],
    /// Number of names.
    pub n_names: u16,
    /// Number of constants.
    pub n_consts: u16,
    /// Number of code objects.
    pub n_codes: u16,
    names_off: usize,
    consts_off: usize,
}

impl<'a> Image<'a> {
    /// Checks the header (magic, version, length, table bounds). Does not
    /// check the hash (see [`Image::hash_ok`]) or the code.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ImageError> {
        if bytes.len() < HEADER_LEN {
            return Err(ImageError::Truncated);
        }
        if bytes[0..4] != MAGIC {
            return Err(ImageError::Magic);
        }
        let format = u16_at(bytes, 4)?;
        if format != crate::version::IMAGE_FORMAT {
            return Err(ImageError::Version(format));
        }
        if u32_at(bytes, 8)? as usize != bytes.len() {
            return Err(ImageError::Truncated);
        }
        let n_codes = u16_at(bytes, 6)?;
        let img = Image {
            bytes,
            n_names: u16_at(bytes, 16)?,
            n_consts: u16_at(bytes, 18)?,
            n_codes,
            names_off: HEADER_LEN + 2 * n_codes as usize,
            consts_off: u16_at(bytes, 20)? as usize,
        };
        if img.n_codes == 0 {
            return Err(ImageError::Header { code: 0 });
        }
        if img.names_off > img.consts_off || img.consts_off > bytes.len() {
            return Err(ImageError::Truncated);
        }
        Ok(img)
    }

    /// The whole image.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The hash stored in the header.
    pub fn hash(&self) -> u32 {
        u32::from_le_bytes([
            self.bytes[12],
            self.bytes[13],
            self.bytes[14],
            self.bytes[15],
        ])
    }

    /// True when the stored hash matches the content.
    pub fn hash_ok(&self) -> bool {
        fnv1a(&self.bytes[16..]) == self.hash()
    }

    /// The names, in index order. Yields `Err` once on a malformed entry.
    pub fn names(&self) -> impl Iterator<Item = Result<&'a str, ImageError>> + 'a {
        let bytes = self.bytes;
        let mut at = self.names_off;
        let mut left = self.n_names;
        core::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            left -= 1;
            let r = (|| {
                let len = *bytes.get(at).ok_or(ImageError::Truncated)? as usize;
                let s = slice(bytes, at + 1, len)?;
                at += 1 + len;
                core::str::from_utf8(s).map_err(|_| ImageError::Truncated)
            })();
            if r.is_err() {
                left = 0;
            }
            Some(r)
        })
    }

    /// The constants, in index order. Yields `Err` once on a malformed entry.
    /// Tuple items are checked to refer to earlier constants.
    pub fn consts(&self) -> impl Iterator<Item = Result<Const<'a>, ImageError>> + 'a {
        let bytes = self.bytes;
        let n_codes = self.n_codes;
        let mut at = self.consts_off;
        let mut index: u16 = 0;
        let total = self.n_consts;
        core::iter::from_fn(move || {
            if index >= total {
                return None;
            }
            let this = index;
            let r = read_const(bytes, &mut at, this, n_codes);
            index = if r.is_err() { total } else { index + 1 };
            Some(r)
        })
    }

    /// The code record with index `i`, bounds-checked.
    pub fn code(&self, i: u16) -> Result<Code<'a>, ImageError> {
        if i >= self.n_codes {
            return Err(ImageError::Header { code: i });
        }
        Code::parse(self.bytes, self.code_offset(i)?, i)
    }

    /// Byte ranges of the header and tables (for size reports): the
    /// names end where the constants start; the constants end at the
    /// first code record.
    pub fn sections(&self) -> Sections {
        let first_code = self.code_offset(0).unwrap_or(self.consts_off);
        Sections {
            header: 0..HEADER_LEN,
            names: self.names_off..self.consts_off,
            consts: self.consts_off..first_code.max(self.consts_off),
            code_table: HEADER_LEN..self.names_off,
        }
    }

    /// Offset of code record `i` (unchecked beyond the table itself).
    pub fn code_offset(&self, i: u16) -> Result<usize, ImageError> {
        if i >= self.n_codes {
            return Err(ImageError::Header { code: i });
        }
        Ok(u16_at(self.bytes, HEADER_LEN + 2 * i as usize)? as usize)
    }
}

/// Byte ranges of an image's header and tables ([`Image::sections`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sections {
    /// The fixed header.
    pub header: core::ops::Range<usize>,
    /// The names.
    pub names: core::ops::Range<usize>,
    /// The constants.
    pub consts: core::ops::Range<usize>,
    /// The code record offsets.
    pub code_table: core::ops::Range<usize>,
}

fn read_const<'a>(
    b: &'a [u8],
    at: &mut usize,
    index: u16,
    n_codes: u16,
) -> Result<Const<'a>, ImageError> {
    let bad = ImageError::Const(index);
    let kind = *b.get(*at).ok_or(ImageError::Truncated)?;
    *at += 1;
    let c = match kind {
        0 => Const::Int(unzigzag(
            read_varint(b, at, 10).ok_or(ImageError::Truncated)?,
        )),
        1 => {
            let s = slice(b, *at, 8)?;
            *at += 8;
            Const::Float(f64::from_le_bytes([
                s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
            ]))
        }
        2 | 3 => {
            let len = read_varint16(b, at)? as usize;
            let s = slice(b, *at, len)?;
            *at += len;
            if kind == 2 {
                Const::Str(core::str::from_utf8(s).map_err(|_| bad)?)
            } else {
                Const::Bytes(s)
            }
        }
        4 => {
            let code = read_varint16(b, at)?;
            if code >= n_codes {
                return Err(bad);
            }
            Const::Code(code)
        }
        5 => {
            let n = read_varint16(b, at)?;
            let first = *at;
            for _ in 0..n {
                if read_varint16(b, at)? >= index {
                    return Err(bad);
                }
            }
            Const::Tuple(TupleItems {
                n,
                raw: &b[first..*at],
            })
        }
        6 => {
            let sign = *b.get(*at).ok_or(ImageError::Truncated)?;
            *at += 1;
            let len = read_varint16(b, at)? as usize;
            let mag = slice(b, *at, len)?;
            *at += len;
            if sign > 1 {
                return Err(bad);
            }
            Const::BigInt {
                negative: sign == 1,
                magnitude: mag,
            }
        }
        7 => Const::Ellipsis,
        8 => Const::None,
        9 => Const::True,
        10 => Const::False,
        _ => return Err(bad),
    };
    Ok(c)
}

/// A constant as read from an image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Const<'a> {
    /// Integer.
    Int(i64),
    /// Float.
    Float(f64),
    /// String.
    Str(&'a str),
    /// Bytes.
    Bytes(&'a [u8]),
    /// A code object index.
    Code(u16),
    /// A tuple of earlier constants.
    Tuple(TupleItems<'a>),
    /// A big integer: sign and little-endian magnitude.
    BigInt {
        /// Negative?
        negative: bool,
        /// Magnitude, little-endian bytes.
        magnitude: &'a [u8],
    },
    /// `...`
    Ellipsis,
    /// `None`
    None,
    /// `True`
    True,
    /// `False`
    False,
}

/// The constant indices of a tuple constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TupleItems<'a> {
    n: u16,
    /// `n` varints, checked when the constant was read.
    raw: &'a [u8],
}

impl<'a> TupleItems<'a> {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.n as usize
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
    /// The constant indices.
    pub fn iter(&self) -> impl Iterator<Item = u16> + 'a {
        let raw = self.raw;
        let mut at = 0;
        (0..self.n).map_while(move |_| read_varint16(raw, &mut at).ok())
    }
}

/// A code record's header fields ([`CodeHeader::read`]): what the device
/// decodes when it makes a function or a frame, without the tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeHeader {
    /// [`code_flags`].
    pub flags: u16,
    /// Positional parameters.
    pub argcount: u8,
    /// Positional-only parameters.
    pub posonly: u8,
    /// Keyword-only parameters.
    pub kwonly: u8,
    /// Local slots.
    pub nlocals: u8,
    /// Cell table entries.
    pub ncells: u8,
    /// Free variables (last slots).
    pub nfree: u8,
    /// Maximum value stack depth.
    pub max_stack: u16,
    /// Names index of the function name.
    pub name: u16,
    /// Bytecode length.
    pub code_len: u16,
    /// Handler entries.
    pub n_handlers: u16,
    /// Bytes of the header itself (the cell table follows).
    pub len: u8,
}

impl CodeHeader {
    /// Number of parameter slots: positional, keyword-only, `*args`,
    /// `**kwargs` (the named slots).
    pub fn param_slots(&self) -> usize {
        self.argcount as usize
            + self.kwonly as usize
            + usize::from(self.flags & code_flags::VARARGS != 0)
            + usize::from(self.flags & code_flags::VARKW != 0)
    }

    /// Reads the header of the code record at `at`.
    pub fn read(b: &[u8], at: usize) -> Result<Self, ImageError> {
        let fixed = slice(b, at, 3)?;
        let mut p = at + 3;
        let mut h = CodeHeader {
            flags: u16::from(fixed[0] & !EXTRA),
            argcount: fixed[1],
            nlocals: fixed[2],
            max_stack: read_varint16(b, &mut p)?,
            name: read_varint16(b, &mut p)?,
            code_len: read_varint16(b, &mut p)?,
            ..Default::default()
        };
        if fixed[0] & EXTRA != 0 {
            let x = slice(b, p, 4)?;
            (h.posonly, h.kwonly, h.ncells, h.nfree) = (x[0], x[1], x[2], x[3]);
            p += 4;
            h.n_handlers = read_varint16(b, &mut p)?;
        }
        h.len = (p - at) as u8;
        Ok(h)
    }
}

/// A code record, bounds-checked against the image.
#[derive(Debug, Clone, Copy)]
pub struct Code<'a> {
    /// Index in the image.
    pub index: u16,
    /// Offset of the record in the image.
    pub offset: usize,
    /// [`code_flags`].
    pub flags: u16,
    /// Positional parameters.
    pub argcount: u8,
    /// Positional-only parameters.
    pub posonly: u8,
    /// Keyword-only parameters.
    pub kwonly: u8,
    /// Local slots.
    pub nlocals: u8,
    /// Free variables (last slots).
    pub nfree: u8,
    /// Maximum value stack depth.
    pub max_stack: u16,
    /// Names index of the function name.
    pub name: u16,
    /// Slots that become cells at entry.
    pub cells: &'a [u8],
    /// `nlocals` varints, checked by [`Code::parse`].
    slot_names: &'a [u8],
    /// The bytecode.
    pub code: &'a [u8],
    /// Offset of the bytecode in the image.
    pub code_offset: usize,
    /// `n_handlers` × 4 varints, checked by [`Code::parse`].
    handlers: &'a [u8],
    n_handlers: u16,
}

/// Steps over `n` 16-bit varints at `*at`.
fn skip_varints(b: &[u8], at: &mut usize, n: usize) -> Result<(), ImageError> {
    for _ in 0..n {
        read_varint16(b, at)?;
    }
    Ok(())
}

impl<'a> Code<'a> {
    /// Parses the code record at `off`.
    pub fn parse(b: &'a [u8], off: usize, index: u16) -> Result<Self, ImageError> {
        let h = CodeHeader::read(b, off)?;
        let mut at = off + h.len as usize;
        let cells = slice(b, at, h.ncells as usize)?;
        at += h.ncells as usize;
        let code = slice(b, at, h.code_len as usize)?;
        let code_offset = at;
        at += h.code_len as usize;
        let handlers_at = at;
        skip_varints(b, &mut at, 4 * h.n_handlers as usize)?;
        let handlers = &b[handlers_at..at];
        let names_at = at;
        skip_varints(b, &mut at, h.param_slots())?;
        Ok(Code {
            index,
            offset: off,
            flags: h.flags,
            argcount: h.argcount,
            posonly: h.posonly,
            kwonly: h.kwonly,
            nlocals: h.nlocals,
            nfree: h.nfree,
            max_stack: h.max_stack,
            name: h.name,
            cells,
            slot_names: &b[names_at..at],
            code,
            code_offset,
            handlers,
            n_handlers: h.n_handlers,
        })
    }

    /// Names index of local slot `i`: `None` past the parameter slots
    /// (their names are host debug info).
    pub fn slot_name(&self, i: usize) -> Option<u16> {
        let mut at = 0;
        skip_varints(self.slot_names, &mut at, i).ok()?;
        read_varint16(self.slot_names, &mut at).ok()
    }

    /// Bytes of the slot-name table.
    pub fn slot_names_len(&self) -> usize {
        self.slot_names.len()
    }

    /// Bytes of the handler table.
    pub fn handlers_len(&self) -> usize {
        self.handlers.len()
    }

    /// Number of parameter slots: positional, keyword-only, `*args`, `**kwargs`.
    pub fn param_slots(&self) -> usize {
        self.argcount as usize
            + self.kwonly as usize
            + usize::from(self.flags & code_flags::VARARGS != 0)
            + usize::from(self.flags & code_flags::VARKW != 0)
    }

    /// The exception handler table, innermost first.
    pub fn handlers(&self) -> impl Iterator<Item = Handler> + 'a {
        let raw = self.handlers;
        let mut at = 0;
        let mut next = move || read_varint16(raw, &mut at).unwrap_or(0);
        (0..self.n_handlers).map(move |_| Handler {
            start: next(),
            end: next(),
            target: next(),
            depth: next(),
        })
    }

    /// Number of handler entries.
    pub fn n_handlers(&self) -> usize {
        self.n_handlers as usize
    }
}

/// One exception handler entry: an exception raised at `start <= pc < end`
/// cuts the stack to `depth`, pushes itself and continues at `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handler {
    /// First covered byte offset.
    pub start: u16,
    /// One past the last covered byte offset.
    pub end: u16,
    /// Where the handler code starts.
    pub target: u16,
    /// Stack depth to cut to before pushing the exception.
    pub depth: u16,
}

#[cfg(any(test, feature = "std"))]
pub use builder::{write_varint, CodeBuilder, ImageBuilder, OwnedConst};

#[cfg(any(test, feature = "std"))]
mod builder {
    //! The writer side (host only): mirrors the reader above field by field.
    use super::*;
    use std::string::String;
    use std::vec::Vec;

    /// A constant to put in an image.
    #[derive(Debug, Clone, PartialEq)]
    pub enum OwnedConst {
        /// Integer.
        Int(i64),
        /// Float (compared bitwise for de-duplication).
        Float(f64),
        /// String.
        Str(String),
        /// Bytes.
        Bytes(Vec<u8>),
        /// Code object index.
        Code(u16),
        /// Tuple of earlier constant indices.
        Tuple(Vec<u16>),
        /// Big integer: sign and little-endian magnitude.
        BigInt(bool, Vec<u8>),
        /// `...`
        Ellipsis,
        /// `None`
        None,
        /// `True`
        True,
        /// `False`
        False,
    }

    impl OwnedConst {
        fn same(&self, other: &OwnedConst) -> bool {
            match (self, other) {
                (OwnedConst::Float(a), OwnedConst::Float(b)) => a.to_bits() == b.to_bits(),
                _ => self == other,
            }
        }
    }

    /// A code object to put in an image.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct CodeBuilder {
        /// [`code_flags`].
        pub flags: u16,
        /// Positional parameters.
        pub argcount: u8,
        /// Positional-only parameters.
        pub posonly: u8,
        /// Keyword-only parameters.
        pub kwonly: u8,
        /// Names index of the first local slots, at least the parameter
        /// slots; only the parameters' are written (the image names no
        /// other slot), 0 for any missing (malformed images for tests).
        pub slot_names: Vec<u16>,
        /// Local slots after those of `slot_names` (`nlocals` is the sum).
        pub unnamed_slots: u8,
        /// Slots that become cells at entry.
        pub cells: Vec<u8>,
        /// Free variables (the last `nfree` slots).
        pub nfree: u8,
        /// Maximum stack depth.
        pub max_stack: u16,
        /// Names index of the function name.
        pub name: u16,
        /// Bytecode.
        pub code: Vec<u8>,
        /// Handler table, innermost first.
        pub handlers: Vec<Handler>,
    }

    /// Builds an image: names and constants are de-duplicated.
    #[derive(Debug, Default)]
    pub struct ImageBuilder {
        names: Vec<String>,
        consts: Vec<OwnedConst>,
        codes: Vec<Option<CodeBuilder>>,
    }

    /// Why an image could not be written.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum BuildError {
        /// A table exceeds its 16-bit index space, or a name its 255 bytes.
        TooBig(&'static str),
    }

    impl ImageBuilder {
        /// An empty builder.
        pub fn new() -> Self {
            Self::default()
        }

        /// The index of `name`, adding it if new.
        pub fn name(&mut self, name: &str) -> u16 {
            if let Some(i) = self.names.iter().position(|n| n == name) {
                return i as u16;
            }
            self.names.push(name.into());
            (self.names.len() - 1) as u16
        }

        /// The index of constant `c`, adding it if new.
        pub fn constant(&mut self, c: OwnedConst) -> u16 {
            if let Some(i) = self.consts.iter().position(|k| k.same(&c)) {
                return i as u16;
            }
            self.consts.push(c);
            (self.consts.len() - 1) as u16
        }

        /// Reserves a code index (so nested functions can refer to their
        /// code before it is finished). Code 0 must be the module.
        pub fn reserve_code(&mut self) -> u16 {
            self.codes.push(None);
            (self.codes.len() - 1) as u16
        }

        /// Fills a reserved code slot.
        pub fn set_code(&mut self, index: u16, code: CodeBuilder) {
            self.codes[index as usize] = Some(code);
        }

        /// The names so far.
        pub fn names(&self) -> &[String] {
            &self.names
        }

        /// Writes the image.
        pub fn finish(&self) -> Result<Vec<u8>, BuildError> {
            if self.names.len() > u16::MAX as usize {
                return Err(BuildError::TooBig("names"));
            }
            if self.consts.len() > u16::MAX as usize {
                return Err(BuildError::TooBig("constants"));
            }
            // `MAKE_FUNCTION` names a code record in 12 bits.
            if self.codes.len() > usize::from(crate::opcode::make_fn::CODE) + 1 {
                return Err(BuildError::TooBig("code records"));
            }
            let n_codes = self.codes.len();
            let mut out = vec![0u8; HEADER_LEN + 2 * n_codes];
            out[0..4].copy_from_slice(&MAGIC);
            out[4..6].copy_from_slice(&crate::version::IMAGE_FORMAT.to_le_bytes());
            out[6..8].copy_from_slice(&len16(n_codes, "functions")?);
            out[16..18].copy_from_slice(&(self.names.len() as u16).to_le_bytes());
            out[18..20].copy_from_slice(&(self.consts.len() as u16).to_le_bytes());
            for n in &self.names {
                if n.len() > 255 {
                    return Err(BuildError::TooBig("name longer than 255 bytes"));
                }
                out.push(n.len() as u8);
                out.extend_from_slice(n.as_bytes());
            }
            let consts_off = len16(out.len(), "image over 64 KiB")?;
            out[20..22].copy_from_slice(&consts_off);
            for c in &self.consts {
                write_const(&mut out, c)?;
            }
            for (i, code) in self.codes.iter().enumerate() {
                let at = len16(out.len(), "image over 64 KiB")?;
                out[HEADER_LEN + 2 * i..][..2].copy_from_slice(&at);
                let code = code
                    .as_ref()
                    .ok_or(BuildError::TooBig("unfilled code slot"))?;
                write_code(&mut out, code)?;
            }
            let len = u32::try_from(out.len()).map_err(|_| BuildError::TooBig("image"))?;
            out[8..12].copy_from_slice(&len.to_le_bytes());
            let hash = fnv1a(&out[16..]);
            out[12..16].copy_from_slice(&hash.to_le_bytes());
            Ok(out)
        }
    }

    fn len16(n: usize, what: &'static str) -> Result<[u8; 2], BuildError> {
        u16::try_from(n)
            .map(u16::to_le_bytes)
            .map_err(|_| BuildError::TooBig(what))
    }

    /// Appends `v` as an unsigned LEB128 varint.
    pub fn write_varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    /// Appends a length or count that must fit 16 bits as a varint.
    fn varint16(out: &mut Vec<u8>, n: usize, what: &'static str) -> Result<(), BuildError> {
        let v = u16::try_from(n).map_err(|_| BuildError::TooBig(what))?;
        write_varint(out, v.into());
        Ok(())
    }

    fn write_const(out: &mut Vec<u8>, c: &OwnedConst) -> Result<(), BuildError> {
        match c {
            OwnedConst::Int(v) => {
                out.push(ConstKind::Int as u8);
                write_varint(out, ((v << 1) ^ (v >> 63)) as u64);
            }
            OwnedConst::Float(v) => {
                out.push(ConstKind::Float as u8);
                out.extend_from_slice(&v.to_le_bytes());
            }
            OwnedConst::Str(s) => {
                out.push(ConstKind::Str as u8);
                varint16(out, s.len(), "string constant")?;
                out.extend_from_slice(s.as_bytes());
            }
            OwnedConst::Bytes(s) => {
                out.push(ConstKind::Bytes as u8);
                varint16(out, s.len(), "bytes constant")?;
                out.extend_from_slice(s);
            }
            OwnedConst::Code(i) => {
                out.push(ConstKind::Code as u8);
                write_varint(out, u64::from(*i));
            }
            OwnedConst::Tuple(items) => {
                out.push(ConstKind::Tuple as u8);
                varint16(out, items.len(), "tuple constant")?;
                for &i in items {
                    write_varint(out, u64::from(i));
                }
            }
            OwnedConst::BigInt(neg, mag) => {
                out.push(ConstKind::BigInt as u8);
                out.push(u8::from(*neg));
                varint16(out, mag.len(), "integer constant")?;
                out.extend_from_slice(mag);
            }
            OwnedConst::Ellipsis => out.push(ConstKind::Ellipsis as u8),
            OwnedConst::None => out.push(ConstKind::None as u8),
            OwnedConst::True => out.push(ConstKind::True as u8),
            OwnedConst::False => out.push(ConstKind::False as u8),
        }
        Ok(())
    }

    fn write_code(out: &mut Vec<u8>, c: &CodeBuilder) -> Result<(), BuildError> {
        let nlocals = u8::try_from(c.slot_names.len() + usize::from(c.unnamed_slots))
            .map_err(|_| BuildError::TooBig("locals"))?;
        let ncells = u8::try_from(c.cells.len()).map_err(|_| BuildError::TooBig("cells"))?;
        let flags = u8::try_from(c.flags)
            .ok()
            .filter(|f| f & EXTRA == 0)
            .ok_or(BuildError::TooBig("code flags"))?;
        let extra = c.posonly != 0
            || c.kwonly != 0
            || ncells != 0
            || c.nfree != 0
            || !c.handlers.is_empty();
        out.extend_from_slice(&[flags | if extra { EXTRA } else { 0 }, c.argcount, nlocals]);
        write_varint(out, c.max_stack.into());
        write_varint(out, c.name.into());
        varint16(out, c.code.len(), "function body (bytecode over 64 KiB)")?;
        if extra {
            out.extend_from_slice(&[c.posonly, c.kwonly, ncells, c.nfree]);
            varint16(out, c.handlers.len(), "handlers")?;
        }
        out.extend_from_slice(&c.cells);
        out.extend_from_slice(&c.code);
        for h in &c.handlers {
            for v in [h.start, h.end, h.target, h.depth] {
                write_varint(out, v.into());
            }
        }
        let params = CodeHeader {
            flags: c.flags,
            argcount: c.argcount,
            kwonly: c.kwonly,
            ..Default::default()
        }
        .param_slots();
        for i in 0..params {
            write_varint(out, c.slot_names.get(i).copied().unwrap_or(0).into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcode::Op;

    fn sample() -> Vec<u8> {
        let mut b = ImageBuilder::new();
        let module = b.reserve_code();
        let f = b.reserve_code();
        let name = b.name("<module>");
        let fname = b.name("f");
        let x = b.name("x");
        let s = b.constant(OwnedConst::Str("héllo".into()));
        let one = b.constant(OwnedConst::Int(1 << 40));
        let tup = b.constant(OwnedConst::Tuple(vec![s, one]));
        let code = b.constant(OwnedConst::Code(f));
        assert_eq!(
            b.constant(OwnedConst::Str("héllo".into())),
            s,
            "constants are de-duplicated"
        );
        b.set_code(
            module,
            CodeBuilder {
                flags: code_flags::MODULE,
                name,
                max_stack: 1,
                code: vec![Op::LOAD_CONST as u8, tup as u8, 0, Op::RETURN_VALUE as u8],
                ..Default::default()
            },
        );
        b.set_code(
            f,
            CodeBuilder {
                argcount: 1,
                name: fname,
                slot_names: vec![x],
                cells: vec![0],
                max_stack: 1,
                code: vec![Op::LOAD_DEREF as u8, 0, Op::RETURN_VALUE as u8],
                handlers: vec![Handler {
                    start: 0,
                    end: 2,
                    target: 2,
                    depth: 0,
                }],
                ..Default::default()
            },
        );
        let _ = code;
        b.finish().unwrap()
    }

    #[test]
    fn written_image_reads_back_field_by_field() {
        let bytes = sample();
        let img = Image::parse(&bytes).unwrap();
        assert!(img.hash_ok());
        let names: Vec<_> = img.names().map(|n| n.unwrap()).collect();
        assert_eq!(names, ["<module>", "f", "x"]);
        let consts: Vec<_> = img.consts().map(|c| c.unwrap()).collect();
        assert_eq!(consts[0], Const::Str("héllo"));
        assert_eq!(consts[1], Const::Int(1 << 40));
        match consts[2] {
            Const::Tuple(t) => assert_eq!(t.iter().collect::<Vec<_>>(), [0, 1]),
            other => panic!("{other:?}"),
        }
        assert_eq!(consts[3], Const::Code(1));
        let f = img.code(1).unwrap();
        assert_eq!(
            (f.argcount, f.nlocals, f.cells, f.slot_name(0)),
            (1, 1, &[0u8][..], Some(2))
        );
        assert_eq!(f.code, &[Op::LOAD_DEREF as u8, 0, Op::RETURN_VALUE as u8]);
        assert_eq!(
            f.handlers().collect::<Vec<_>>(),
            [Handler {
                start: 0,
                end: 2,
                target: 2,
                depth: 0
            }]
        );
        assert!(img.code(2).is_err());
    }

    #[test]
    fn varints_round_trip_and_refuse_overlong_16_bit_fields() {
        for v in [0u64, 1, 127, 128, 300, 0xFFFF, 1 << 40, u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, v);
            let mut at = 0;
            assert_eq!(read_varint(&out, &mut at, 10), Some(v));
            assert_eq!(at, out.len());
        }
        let mut at = 0;
        assert_eq!(
            read_varint16(&[0xFF, 0xFF, 0x04], &mut at),
            Err(ImageError::Truncated),
            "0x13FFFF is over 16 bits"
        );
        assert_eq!(
            read_varint16(&[0x80, 0x80, 0x80, 0], &mut 0),
            Err(ImageError::Truncated)
        );
        for v in [0i64, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(unzigzag(((v << 1) ^ (v >> 63)) as u64), v);
        }
    }

    #[test]
    fn a_flipped_byte_fails_the_hash() {
        let mut bytes = sample();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(!Image::parse(&bytes).unwrap().hash_ok());
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            let mut b = bytes[..cut].to_vec();
            if b.len() >= 12 {
                b[8..12].copy_from_slice(&(cut as u32).to_le_bytes());
            }
            if let Ok(img) = Image::parse(&b) {
                let _ = img.names().count();
                let _ = img.consts().count();
                for i in 0..img.n_codes {
                    let _ = img.code(i);
                }
            }
        }
    }
}
