//! [`Value`]: the one-word tagged representation of every Python value.
//!
//! ```text
//!  31                                   2 1 0
//! ┌──────────────────────────────────────┬─┬─┐
//! │ signed 31-bit integer                    │1│  small int: value = (bits as i32) >> 1
//! ├──────────────────────────────────────┼─┼─┤
//! │ byte offset of a block in the arena  │0│0│  heap reference (never 0; 0 is NULL)
//! ├───────────────────────┬──────────────┼─┼─┤
//! │ payload (24 bits)     │ kind (6 bits)│1│0│  immediate
//! └───────────────────────┴──────────────┴─┴─┘
//! ```
//!
//! Immediate kinds (bits 2..8):
//!
//! | kind | payload | meaning |
//! |------|---------|---------|
//! | 0 | 0 / 1 / 2 / 3 | `None` / `True` / `False` / `Ellipsis` |
//! | 1 | type id    | a builtin type or exception class ([`crate::obj::T`]) |
//! | 2 | builtin id | a builtin function ([`crate::builtins::Builtin`]) |
//! | 3 | method id  | a builtin method, unbound ([`crate::builtins::Method`]) |
//! | 4 | code index | a code constant of the running image (for `MAKE_FUNCTION`) |
//! | 5 | module id  | a native module ([`crate::builtins::machine`]) |
//! | 6 | width      | `machine.mem8/16/32`: 0, 1, 2 |
//! | 8 | length ‖ offset | a str in the frozen library's bytes |
//! | 9 | length ‖ offset | a str in the store's flash view |
//!
//! The image strs (kinds 8 and 9, [`Value::image_str`]) are the names and
//! string constants of images that execute in place, used where they lie:
//! no heap block, so the collector never frees or moves them. Payload:
//!
//! ```text
//!  23        18 17                        0
//! ┌────────────┬───────────────────────────┐
//! │ byte length│ byte offset in its bytes   │  (length < 64, offset < 256 KiB)
//! └────────────┴───────────────────────────┘
//! ```
//!
//! `NULL` (all zero bits) is not a Python value: it marks an empty local
//! slot, an empty cell, and the "no self" slot pushed by `LOAD_METHOD`.
//! Because a zero-filled block is all `NULL`, fresh objects are always safe
//! for the collector to scan.

/// A tagged 32-bit value. See the module docs for the encoding.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[repr(transparent)]
pub struct Value(pub u32);

/// Immediate kinds (bits 2..8 of an immediate).
pub mod kind {
    /// `None`, `True`, `False`, `Ellipsis`.
    pub const CONST: u32 = 0;
    /// A builtin type or exception class.
    pub const TYPE: u32 = 1;
    /// A builtin function.
    pub const BUILTIN: u32 = 2;
    /// A builtin method.
    pub const METHOD: u32 = 3;
    /// A code object index of the current image.
    pub const CODE: u32 = 4;
    /// A native module.
    pub const MODULE: u32 = 5;
    /// A memory accessor (`machine.memN`).
    pub const MEM: u32 = 6;
    /// A str in the frozen library's bytes (see the module docs).
    pub const FROZEN_STR: u32 = 8;
    /// A str in the store's flash view (see the module docs).
    pub const STORE_STR: u32 = 9;
}

/// Longest image str (bytes): a longer one is copied into the heap.
pub const IMAGE_STR_MAX: usize = 63;
/// Image strs lie below this byte offset of their bytes.
pub const IMAGE_STR_SPAN: usize = 1 << 18;

/// Smallest small int.
pub const SMALL_MIN: i64 = -(1 << 30);
/// Largest small int.
pub const SMALL_MAX: i64 = (1 << 30) - 1;

impl Value {
    /// The empty marker (not a Python value).
    pub const NULL: Value = Value(0);
    /// `None`.
    pub const NONE: Value = Value::imm(kind::CONST, 0);
    /// `True`.
    pub const TRUE: Value = Value::imm(kind::CONST, 1);
    /// `False`.
    pub const FALSE: Value = Value::imm(kind::CONST, 2);
    /// `Ellipsis`.
    pub const ELLIPSIS: Value = Value::imm(kind::CONST, 3);
    /// `NotImplemented`: what a binary or comparison method returns to
    /// let the other operand's reflected method try.
    pub const NOT_IMPLEMENTED: Value = Value::imm(kind::CONST, 4);

    /// An immediate of `kind` with `payload` (24 bits).
    pub const fn imm(kind: u32, payload: u32) -> Value {
        Value((payload << 8) | (kind << 2) | 0b10)
    }

    /// A small int; the caller guarantees `SMALL_MIN <= i <= SMALL_MAX`.
    #[inline(always)]
    pub const fn small(i: i32) -> Value {
        Value(((i as u32) << 1) | 1)
    }

    /// A bool.
    #[inline(always)]
    pub const fn bool(b: bool) -> Value {
        if b {
            Value::TRUE
        } else {
            Value::FALSE
        }
    }

    /// A heap reference to the block at word index `w` (`w > 0`).
    #[inline(always)]
    pub const fn obj(w: usize) -> Value {
        Value((w as u32) << 2)
    }

    /// True for a small int.
    #[inline(always)]
    pub const fn is_small(self) -> bool {
        self.0 & 1 == 1
    }

    /// The small int (only meaningful if [`Value::is_small`]).
    #[inline(always)]
    pub const fn small_val(self) -> i32 {
        (self.0 as i32) >> 1
    }

    /// True for a heap reference (not NULL).
    #[inline(always)]
    pub const fn is_obj(self) -> bool {
        self.0 & 3 == 0 && self.0 != 0
    }

    /// Word index of the referenced block (only meaningful if [`Value::is_obj`]).
    #[inline(always)]
    pub const fn word(self) -> usize {
        (self.0 >> 2) as usize
    }

    /// True for NULL.
    #[inline(always)]
    pub const fn is_null(self) -> bool {
        self.0 == 0
    }

    /// True for an immediate.
    #[inline(always)]
    pub const fn is_imm(self) -> bool {
        self.0 & 3 == 2
    }

    /// The immediate's kind.
    #[inline(always)]
    pub const fn imm_kind(self) -> u32 {
        (self.0 >> 2) & 0x3F
    }

    /// The immediate's payload.
    #[inline(always)]
    pub const fn payload(self) -> u32 {
        self.0 >> 8
    }

    /// The image str of `len` bytes at byte `off` of the frozen library
    /// (`frozen`) or of the store's flash view; `None` unless `0 < len <=`
    /// [`IMAGE_STR_MAX`] and `off <` [`IMAGE_STR_SPAN`]. Never empty: an
    /// immediate is true, as a non-empty str is.
    pub const fn image_str(frozen: bool, off: usize, len: usize) -> Option<Value> {
        if len == 0 || len > IMAGE_STR_MAX || off >= IMAGE_STR_SPAN {
            return None;
        }
        let k = if frozen {
            kind::FROZEN_STR
        } else {
            kind::STORE_STR
        };
        Some(Value::imm(k, ((len as u32) << 18) | off as u32))
    }

    /// True for an image str (either kind).
    #[inline(always)]
    pub const fn is_image_str(self) -> bool {
        self.0 & 0xFB == (kind::FROZEN_STR << 2) | 0b10
    }

    /// An image str's `(frozen, byte offset, byte length)` (only
    /// meaningful if [`Value::is_image_str`]).
    #[inline(always)]
    pub const fn image_str_parts(self) -> (bool, usize, usize) {
        let p = self.payload();
        (
            self.imm_kind() == kind::FROZEN_STR,
            (p & (IMAGE_STR_SPAN as u32 - 1)) as usize,
            (p >> 18) as usize,
        )
    }

    /// True if this is an immediate of `kind`.
    #[inline(always)]
    pub const fn is_kind(self, k: u32) -> bool {
        self.0 & 0xFF == (k << 2) | 0b10
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_str_keeps_its_place_and_is_no_other_value() {
        let v = Value::image_str(true, 0x3_FFFF, 63).unwrap();
        assert!(v.is_image_str() && v.is_imm() && !v.is_obj() && !v.is_small());
        assert_eq!(v.image_str_parts(), (true, 0x3_FFFF, 63));
        let s = Value::image_str(false, 5, 1).unwrap();
        assert!(s.is_image_str() && s.is_kind(kind::STORE_STR));
        assert_eq!(s.image_str_parts(), (false, 5, 1));
        // Too long, too far or empty: the loader copies it instead.
        assert_eq!(Value::image_str(true, 0, 64), None);
        assert_eq!(Value::image_str(false, IMAGE_STR_SPAN, 1), None);
        assert_eq!(Value::image_str(true, 0, 0), None);
        // No other immediate reads as one.
        for k in 0..64 {
            let other = Value::imm(k, 0x12345);
            let image = k == kind::FROZEN_STR || k == kind::STORE_STR;
            assert_eq!(other.is_image_str(), image, "kind {k}");
        }
        assert!(!Value::NONE.is_image_str() && !Value::obj(8).is_image_str());
    }
}
