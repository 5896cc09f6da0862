//! The wire codec: postcard's encoding of the messages, written by hand.
//!
//! The host serializes and deserializes [`crate::msg`] with serde and
//! postcard; the device uses this module instead, which writes and reads
//! exactly the same bytes in about half the code (the LM3S6965 firmware's
//! text is 2.2 KB smaller than with serde's derived code and postcard's
//! generic serializer). `protocol/tests/wire.rs` checks, for every
//! variant, that both codecs agree byte for byte.
//!
//! What postcard writes, and so what this module writes:
//!
//! | value                 | bytes |
//! |-----------------------|-------|
//! | `u8`, `bool`          | one byte (`bool`: 0 or 1) |
//! | `u16`, `u32`, `u64`   | varint: LEB128, 7 bits a byte, low first, high bit = more |
//! | enum variant          | its index as a `u32` varint, then its fields |
//! | `&[u8]`, `&str`, seq  | the length as a varint, then the bytes / elements |
//! | `Option<T>`           | 0, or 1 then the `T` |
//! | struct, tuple         | the fields in order, nothing around them |
//!
//! [`Reader`] checks everything it reads, as postcard does: a truncated
//! input, a varint too long or too large for its type, a `bool` or an
//! option tag other than 0 and 1, an unknown variant, a `str` that is not
//! UTF-8 are all [`Malformed`], never a panic. Like postcard's `from_bytes`
//! it ignores bytes after the message. [`Writer`] hands the bytes to a
//! sink as they are produced, so a message is never held whole (see
//! [`crate::frame::encode_windowed`]).

mod msg;

/// Bytes that are not the encoding of the expected message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// What a read gives.
pub type Result<T> = core::result::Result<T, Malformed>;

/// Reads postcard values from a byte slice, front to back.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub const fn new(buf: &'a [u8]) -> Self {
        Reader { buf }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.buf
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.buf.len() {
            return Err(Malformed);
        }
        let (now, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(now)
    }

    /// A `u8`: one byte.
    pub fn u8(&mut self) -> Result<u8> {
        let (&b, rest) = self.buf.split_first().ok_or(Malformed)?;
        self.buf = rest;
        Ok(b)
    }

    /// A varint of a type whose largest value is `max`. As postcard: at
    /// most as many bytes as that type's bits need, and the last of them
    /// may not carry bits beyond `max`.
    fn varint(&mut self, max: u64) -> Result<u64> {
        let bits = 64 - max.leading_zeros();
        let last = bits.div_ceil(7) - 1;
        let mut out = 0u64;
        for i in 0..=last {
            let b = self.u8()?;
            out |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                if i == last && u64::from(b) > max >> (7 * i) {
                    return Err(Malformed);
                }
                return Ok(out);
            }
        }
        Err(Malformed)
    }

    /// A `u16` varint.
    pub fn u16(&mut self) -> Result<u16> {
        self.varint(u16::MAX.into()).map(|v| v as u16)
    }

    /// A `u32` varint (also an enum's variant index).
    pub fn u32(&mut self) -> Result<u32> {
        self.varint(u32::MAX.into()).map(|v| v as u32)
    }

    /// A `u64` varint.
    pub fn u64(&mut self) -> Result<u64> {
        self.varint(u64::MAX)
    }

    /// A length: a `usize` varint, as wide as the reader's `usize` (as
    /// postcard reads it).
    pub fn length(&mut self) -> Result<usize> {
        self.varint(usize::MAX as u64).map(|v| v as usize)
    }

    /// A `bool`: 0 or 1.
    pub fn bool(&mut self) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Malformed),
        }
    }

    /// An `Option`: a 0 or 1 tag, then the value read by `some`.
    pub fn option<T>(&mut self, some: impl FnOnce(&mut Self) -> Result<T>) -> Result<Option<T>> {
        match self.u8()? {
            0 => Ok(None),
            1 => some(self).map(Some),
            _ => Err(Malformed),
        }
    }

    /// A byte slice: its length, then the bytes (borrowed).
    pub fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.length()?;
        self.take(n)
    }

    /// A `str`: as [`Reader::bytes`], and UTF-8.
    pub fn str(&mut self) -> Result<&'a str> {
        core::str::from_utf8(self.bytes()?).map_err(|_| Malformed)
    }
}

/// Writes postcard values to a sink, piece by piece.
pub struct Writer<'s> {
    sink: &'s mut dyn FnMut(&[u8]),
}

impl<'s> Writer<'s> {
    /// A writer handing every piece to `sink`. A trait object, so one
    /// copy of each message's encoder serves every sink.
    pub fn new(sink: &'s mut dyn FnMut(&[u8])) -> Self {
        Writer { sink }
    }

    /// Raw bytes, as they are.
    pub fn raw(&mut self, bytes: &[u8]) {
        (self.sink)(bytes);
    }

    /// A `u8`: one byte.
    pub fn u8(&mut self, v: u8) {
        self.raw(&[v]);
    }

    /// A `bool`: 0 or 1.
    pub fn bool(&mut self, v: bool) {
        self.u8(v.into());
    }

    /// Any unsigned integer but `u8` (`u16`, `u32`, `u64`, `usize`, an
    /// enum's variant index): a varint.
    pub fn varint(&mut self, mut v: u64) {
        let mut buf = [0u8; 10];
        let mut n = 0;
        for slot in buf.iter_mut() {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            n += 1;
            if v == 0 {
                *slot = low;
                break;
            }
            *slot = low | 0x80;
        }
        self.raw(buf.get(..n).unwrap_or_default());
    }

    /// A length (`usize`): a varint.
    pub fn length(&mut self, n: usize) {
        self.varint(n as u64);
    }

    /// A byte slice: its length, then the bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.length(bytes.len());
        self.raw(bytes);
    }

    /// A `str`: as its bytes.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
}

/// A value this module can write.
pub trait Encode {
    /// Writes the value's postcard bytes to `w`.
    fn encode(&self, w: &mut Writer<'_>);
}

/// A byte slice on its own (postcard writes `&[u8]` as its length and bytes).
impl Encode for &[u8] {
    fn encode(&self, w: &mut Writer<'_>) {
        w.bytes(self);
    }
}

/// `msg`'s bytes in a new `Vec` (host side and tests).
#[cfg(any(test, feature = "std"))]
pub fn to_vec(msg: &dyn Encode) -> std::vec::Vec<u8> {
    let mut out = std::vec::Vec::new();
    msg.encode(&mut Writer::new(&mut |b| out.extend_from_slice(b)));
    out
}
