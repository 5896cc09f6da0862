//! The device heap as the host sees it: block tags and the payload layouts
//! the inspector decodes. The device allocates and reads its objects with
//! these numbers; the host names and summarises blocks with them, so the
//! two never drift.
//!
//! A block is a header word (`size << 8 | mark << 7 | tag`) and its payload
//! words; every layout below counts words from the payload's start (the
//! word after the header). The device's `obj` module documents every
//! layout; the ones here are those the host reads.

/// Block tags: the low 7 bits of a block header, as the device writes them
/// and `HeapObject` and `census` report them.
pub mod tag {
    /// Boxed i64.
    pub const INT: u32 = 1;
    /// Boxed float.
    pub const FLOAT: u32 = 2;
    /// String.
    pub const STR: u32 = 3;
    /// Tuple.
    pub const TUPLE: u32 = 4;
    /// List.
    pub const LIST: u32 = 5;
    /// Value array (list storage, image tables).
    pub const ARRAY: u32 = 6;
    /// Raw words.
    pub const RAW: u32 = 7;
    /// Dict.
    pub const DICT: u32 = 8;
    /// Dict entry array.
    pub const ENTRIES: u32 = 9;
    /// Range.
    pub const RANGE: u32 = 10;
    /// Python function.
    pub const FUNC: u32 = 11;
    /// Cell.
    pub const CELL: u32 = 12;
    /// Bound method.
    pub const BOUND: u32 = 13;
    /// Sequence iterator.
    pub const ITER: u32 = 14;
    /// Range iterator.
    pub const RANGE_ITER: u32 = 15;
    /// enumerate.
    pub const ENUMERATE: u32 = 16;
    /// zip.
    pub const ZIP: u32 = 17;
    /// map.
    pub const MAP: u32 = 18;
    /// Exception instance.
    pub const EXC: u32 = 19;
    /// Generator.
    pub const GEN: u32 = 20;
    /// Frame.
    pub const FRAME: u32 = 21;
    /// Loaded image.
    pub const IMAGE: u32 = 22;
    /// Slice.
    pub const SLICE: u32 = 23;
    /// dict keys/values/items view.
    pub const DICTVIEW: u32 = 24;
    /// User class.
    pub const CLASS: u32 = 25;
    /// Instance of a user class.
    pub const INST: u32 = 26;
    /// `super()` proxy.
    pub const SUPER: u32 = 27;
    /// staticmethod / classmethod / property wrapper.
    pub const WRAP: u32 = 28;
    /// Set (dict layout, values None).
    pub const SET: u32 = 29;
    /// Frozenset (the set layout, hashable, never mutated by methods).
    pub const FROZENSET: u32 = 30;
    /// Arbitrary-precision int (feature `bigint`).
    pub const BIGINT: u32 = 31;
    /// bytes (the str layout).
    pub const BYTES: u32 = 32;
    /// bytearray (a header over a `BYTES` buffer).
    pub const BYTEARRAY: u32 = 33;
    /// A module imported from an image (the native modules are immediates).
    pub const MODULE: u32 = 40;
    /// A file object (`open()`).
    pub const FILE: u32 = 41;
}

/// The tag of a free block.
pub const FREE: u32 = 0;

/// `STR` payload (and `BYTES`, whose char count is the byte length).
pub mod str_layout {
    /// Word: the cached str hash.
    pub const HASH: usize = 0;
    /// Word: the length in bytes.
    pub const LEN: usize = 1;
    /// Word: the length in characters.
    pub const CHARS: usize = 2;
    /// First word of the UTF-8 bytes.
    pub const DATA: usize = 3;
}

/// Word of the item count in a `TUPLE`, `LIST`, `DICT`, `SET` or
/// `FROZENSET` payload.
pub const LEN: usize = 0;

/// `INT` payload: the i64, low word then high word.
pub mod int_layout {
    /// Word: the low 32 bits.
    pub const LOW: usize = 0;
    /// Word: the high 32 bits.
    pub const HIGH: usize = 1;
}
