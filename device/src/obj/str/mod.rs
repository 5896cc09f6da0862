//! `str`: immutable UTF-8 text with a cached hash and character count.
//!
//! Layout: `[header, hash, byte length, char count, bytes…]`. Indexing by
//! character is O(1) when the string is ASCII (char count == byte length),
//! otherwise a scan.
//!
//! **Image strs.** The names and string constants of an image that
//! executes in place (the frozen library, a stored image) are not copied:
//! they are immediates pointing at the image's bytes
//! ([`Value::image_str`]), with no heap block. Every accessor here sees
//! them as strs; their hash and char count are computed when asked.
//! [`Vm::str_span`] gives a *code address* ([`Vm::code_space`]: the arena
//! below its length, the flash view and the library above), so code that
//! copies a str's bytes goes through [`Vm::copy_code`], never the arena
//! alone. A value cannot point outside its image: the loader makes one
//! only for a name or constant the image check found within the image.

pub mod methods;

use super::tag;
use crate::heap::Value;
use crate::vm::{Vm, R};
use p14p_protocol::heap::str_layout;

// Word offsets from the block's header word (the protocol's layout counts
// from the payload, which the host's inspector sees).
const HASH: usize = 1 + str_layout::HASH;
const LEN: usize = 1 + str_layout::LEN;
const CHARS: usize = 1 + str_layout::CHARS;
const DATA: usize = 1 + str_layout::DATA;

/// Absolute byte index of the data of the str block at `w`.
#[inline(always)]
pub fn data(w: usize) -> usize {
    (w + DATA) * 4
}

/// The hash function for str (FNV-1a, as the image hash).
pub fn hash_bytes(b: &[u8]) -> u32 {
    p14p_protocol::image::fnv1a(b)
}

/// The type of what a sequence-of-bytes method makes: the receiver's
/// (`str`, `bytes` and `bytearray` share the method bodies of
/// [`methods`], as MicroPython's objstr.c serves the three).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    // Made only by the bytes methods (feature `bytes`).
    #[cfg_attr(not(feature = "bytes"), allow(dead_code))]
    Bytes,
    #[cfg_attr(not(feature = "bytes"), allow(dead_code))]
    ByteArray,
}

impl Kind {
    /// True for `str`: always in a firmware without bytes (feature
    /// `bytes`), so that its str methods keep no bytes code.
    #[inline(always)]
    pub(crate) fn is_str(self) -> bool {
        !cfg!(feature = "bytes") || self == Kind::Str
    }
}

impl Vm<'_> {
    /// Allocates a block of `n` bytes for a result of kind `k` (fill it,
    /// then call [`Vm::seq_finish`]); str and bytes share the layout.
    pub(crate) fn seq_alloc(&mut self, k: Kind, n: usize) -> R<usize> {
        if k.is_str() {
            self.str_alloc(n)
        } else {
            self.bytes_alloc(n)
        }
    }

    /// Finishes block `w` from [`Vm::seq_alloc`] as a value of kind `k`.
    pub(crate) fn seq_finish(&mut self, k: Kind, w: usize) -> R<Value> {
        if k.is_str() {
            self.str_finish(w);
            return Ok(Value::obj(w));
        }
        self.bytes_done(w, k == Kind::ByteArray)
    }

    /// A new value of kind `k` copied from the bytes `[src, src + n)` at
    /// code address `src`.
    pub(crate) fn seq_from_arena(&mut self, k: Kind, src: usize, n: usize) -> R<Value> {
        let w = self.seq_alloc(k, n)?;
        self.copy_code(src, data(w), n);
        self.seq_finish(k, w)
    }

    /// Allocates a str of `n` bytes (content zero; call [`Vm::str_finish`]
    /// after filling it).
    pub(crate) fn str_alloc(&mut self, n: usize) -> R<usize> {
        let w = self.alloc(tag::STR, DATA + n.div_ceil(4))?;
        self.heap.set(w + LEN, n as u32);
        Ok(w)
    }

    /// Computes the cached hash and char count.
    pub(crate) fn str_finish(&mut self, w: usize) {
        let n = self.heap.w(w + LEN) as usize;
        let d = data(w);
        let b = &self.heap.bytes()[d..d + n];
        let h = hash_bytes(b);
        let chars = char_count(b);
        self.heap.set(w + HASH, h);
        self.heap.set(w + CHARS, chars as u32);
    }

    /// A new str with `bytes` (valid UTF-8).
    pub(crate) fn str_from_bytes(&mut self, bytes: &[u8]) -> R<Value> {
        let w = self.str_alloc(bytes.len())?;
        let d = data(w);
        self.heap.bytes_mut()[d..d + bytes.len()].copy_from_slice(bytes);
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// A new str copied from the bytes `[src, src + n)` at code address
    /// `src` (the arena or an image's bytes, as [`Vm::str_span`] gives).
    pub(crate) fn str_from_arena(&mut self, src: usize, n: usize) -> R<Value> {
        let w = self.str_alloc(n)?;
        self.copy_code(src, data(w), n);
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// True if `v` is a str (in the heap or an image str).
    #[inline]
    pub(crate) fn is_str(&self, v: Value) -> bool {
        self.is(v, tag::STR) || v.is_image_str()
    }

    /// The bytes of str `v`.
    #[inline]
    pub(crate) fn str_bytes(&self, v: Value) -> &[u8] {
        if v.is_image_str() {
            return self.image_str_bytes(v);
        }
        let w = v.word();
        let n = self.heap.w(w + LEN) as usize;
        let d = data(w);
        // Total: a non-str an image slipped in (e.g. as a keyword name) has
        // no str layout, and reads as an empty str rather than a panic.
        self.heap.bytes().get(d..d.saturating_add(n)).unwrap_or(&[])
    }

    /// The bytes of image str `v`, where they lie (empty if they left
    /// their bytes, which the loader never lets happen).
    fn image_str_bytes(&self, v: Value) -> &[u8] {
        let (frozen, off, n) = v.image_str_parts();
        let space = if frozen {
            crate::vm::frozen::library()
        } else {
            self.flash
        };
        space.get(off..off + n).unwrap_or(&[])
    }

    /// `(code address of the first byte, byte length)` of str `v`: an
    /// arena byte index for a heap str, past the arena for an image str
    /// (read it with [`Vm::copy_code`]).
    #[inline]
    pub(crate) fn str_span(&self, v: Value) -> (usize, usize) {
        if v.is_image_str() {
            let (frozen, off, n) = v.image_str_parts();
            let far = if frozen {
                crate::vm::frozen::FROZEN_AT
            } else {
                0
            };
            return (self.heap.bytes().len() + far + off, n);
        }
        let w = v.word();
        (data(w), self.heap.w(w + LEN) as usize)
    }

    /// Character count.
    pub(crate) fn str_chars(&self, v: Value) -> usize {
        if v.is_image_str() {
            return char_count(self.str_bytes(v));
        }
        self.heap.w(v.word() + CHARS) as usize
    }

    /// Hash (cached in a heap str, computed for an image str).
    pub(crate) fn str_hash(&self, v: Value) -> u32 {
        if v.is_image_str() {
            return hash_bytes(self.str_bytes(v));
        }
        self.heap.w(v.word() + HASH)
    }

    /// Equality of two strs (false if either is not a str).
    pub(crate) fn str_eq(&self, a: Value, b: Value) -> bool {
        if a == b {
            return true;
        }
        if !self.is_str(a) || !self.is_str(b) {
            return false;
        }
        self.str_hash(a) == self.str_hash(b) && self.str_bytes(a) == self.str_bytes(b)
    }

    /// Byte offset (within the data) of character `i` of str `v`.
    pub(crate) fn str_char_offset(&self, v: Value, i: usize) -> usize {
        let b = self.str_bytes(v);
        if self.str_chars(v) == b.len() {
            return i;
        }
        let mut seen = 0;
        for (k, &c) in b.iter().enumerate() {
            if c & 0xC0 != 0x80 {
                if seen == i {
                    return k;
                }
                seen += 1;
            }
        }
        b.len()
    }

    /// `a + b`.
    pub(crate) fn str_concat(&mut self, a: Value, b: Value) -> R<Value> {
        let (la, lb) = (self.str_span(a).1, self.str_span(b).1);
        let w = self.str_alloc(la + lb)?;
        let d = data(w);
        let (sa, _) = self.str_span(a);
        let (sb, _) = self.str_span(b);
        self.copy_code(sa, d, la);
        self.copy_code(sb, d + la, lb);
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// `s * n`.
    pub(crate) fn str_repeat(&mut self, s: Value, n: i64) -> R<Value> {
        let (_, len) = self.str_span(s);
        // Saturating: on a 32-bit device `as usize` would wrap 2**32 + 1 to 1.
        let n = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
        let total = len.checked_mul(n).filter(|&t| t < (1 << 24));
        let Some(total) = total else {
            return Err(self.raise_oom());
        };
        let w = self.str_alloc(total)?;
        let d = data(w);
        let (src, _) = self.str_span(s);
        // No loop over `n` for an empty str (`'' * 10**9` must not spend a
        // billion empty copies between two polls).
        if len > 0 {
            for k in 0..n {
                self.copy_code(src, d + k * len, len);
            }
        }
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// One-character str at char index `i` (already in range).
    pub(crate) fn str_char_at(&mut self, s: Value, i: usize) -> R<Value> {
        let off = self.str_char_offset(s, i);
        let b = self.str_bytes(s);
        let first = b.get(off).copied().unwrap_or(0);
        let n = utf8_len(first).min(b.len().saturating_sub(off));
        let (start, _) = self.str_span(s);
        self.str_from_arena(start + off, n)
    }

    /// `s[k]`: a character or a slice.
    pub(crate) fn str_getitem(&mut self, s: Value, k: Value) -> R<Value> {
        let n = self.str_chars(s);
        if !self.is(k, tag::SLICE) {
            let i = self.index(k, n, b"string")?;
            return self.str_char_at(s, i);
        }
        let (start, step, count) = self.slice_indices(k, n)?;
        let (s0, _) = self.str_span(s);
        if step == 1 {
            let a = self.str_char_offset(s, start as usize);
            let b = self.str_char_offset(s, start as usize + count);
            return self.str_from_arena(s0 + a, b - a);
        }
        // Two passes: measure, then copy the chosen characters.
        let len_at = |vm: &Vm, i: usize| {
            let o = vm.str_char_offset(s, (start + i as isize * step) as usize);
            (o, utf8_len(vm.str_bytes(s).get(o).copied().unwrap_or(0)))
        };
        let bytes = (0..count).map(|i| len_at(self, i).1).sum();
        let w = self.str_alloc(bytes)?;
        let mut d = data(w);
        // The str did not move: an image str lies in flash, and the
        // collector never moves a heap block.
        for i in 0..count {
            let (o, l) = len_at(self, i);
            self.copy_code(s0 + o, d, l);
            d += l;
        }
        self.str_finish(w);
        Ok(Value::obj(w))
    }

    /// Substring `needle` of `hay` starting at or after byte `from`.
    pub(crate) fn str_find(&self, hay: Value, needle: Value, from: usize) -> Option<usize> {
        find_bytes(self.str_bytes(hay), self.str_bytes(needle), from)
    }
}

/// Characters in UTF-8 `b`: its bytes that start a sequence.
fn char_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c & 0xC0) != 0x80).count()
}

/// Length of the UTF-8 sequence starting with byte `b`.
pub fn utf8_len(b: u8) -> usize {
    match b {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// First index of `needle` in `hay` at or after `from`.
pub fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return (from <= hay.len()).then_some(from);
    }
    if needle.len() > hay.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// Last index of `needle` in `hay` at or after `from`.
pub fn rfind_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let last = hay.len().checked_sub(needle.len())?;
    (from..=last).rev().find(|&i| hay[i..].starts_with(needle))
}
