//! Name tables packed for flash.
//!
//! The builtin and method tables are written as `&str` arrays (readable,
//! checked at compile time), but a `&str` costs 8 bytes of pointer and
//! length in flash besides its bytes. [`Names`] packs the same names at
//! compile time into one text with a 2-byte end offset and the low byte
//! of the str hash per name (one byte tells most names apart before their
//! bytes are compared, and a table of 100 names takes 300 bytes less than
//! with whole hashes); only the packed form is reachable at run time.

/// `N` names packed into one text (see the module doc).
pub struct Names<const N: usize> {
    /// The names.
    packed: Packed<N>,
    /// The low byte of each name's str hash (`fnv1a`, as the VM caches it
    /// in a str).
    hashes: [u8; N],
}

/// `N` names packed into one text, without the hashes that [`Names`]
/// searches by: for a table read by index only (the special methods'
/// names, `crate::vm::Dunder`).
pub struct Packed<const N: usize> {
    /// All the names, one after the other (see [`blob`]).
    text: &'static str,
    /// `ends[i]`: where name `i` ends in `text` (it starts where name
    /// `i - 1` ends).
    ends: [u16; N],
}

impl<const N: usize> Packed<N> {
    /// Packs `names`, whose [`blob`] is `blob` (validated as UTF-8 here,
    /// at compile time, so reading a name costs no check at run time).
    pub const fn pack(names: [&str; N], blob: &'static [u8]) -> Self {
        let Ok(text) = core::str::from_utf8(blob) else {
            panic!("names are not UTF-8")
        };
        let mut ends = [0u16; N];
        let mut at = 0;
        let mut i = 0;
        while i < N {
            at += names[i].len();
            assert!(at <= u16::MAX as usize);
            ends[i] = at as u16;
            i += 1;
        }
        assert!(at == blob.len());
        Packed { text, ends }
    }

    /// Name `i` ("?" past the end).
    #[inline]
    pub fn get(&self, i: usize) -> &'static str {
        name_at(self.text, &self.ends, i)
    }
}

/// The bytes of all `names` together: the length of their [`blob`].
pub const fn blob_len(names: &[&str]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < names.len() {
        n += names[i].len();
        i += 1;
    }
    n
}

/// All `names` one after the other; `L` must be `blob_len(names)` (a
/// wrong `L` does not compile).
pub const fn blob<const L: usize>(names: &[&str]) -> [u8; L] {
    let mut out = [0u8; L];
    let mut at = 0;
    let mut i = 0;
    while i < names.len() {
        let b = names[i].as_bytes();
        let mut j = 0;
        while j < b.len() {
            out[at] = b[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(at == L);
    out
}

impl<const N: usize> Names<N> {
    /// Packs `names`, whose [`blob`] is `blob` (validated as UTF-8 here,
    /// at compile time, so reading a name costs no check at run time).
    pub const fn pack(names: [&str; N], blob: &'static [u8]) -> Self {
        let mut hashes = [0u8; N];
        let mut i = 0;
        while i < N {
            hashes[i] = p14p_protocol::image::fnv1a(names[i].as_bytes()) as u8;
            i += 1;
        }
        Names {
            packed: Packed::pack(names, blob),
            hashes,
        }
    }

    /// Name `i` ("?" past the end).
    #[inline]
    pub fn get(&self, i: usize) -> &'static str {
        self.packed.get(i)
    }

    /// The first index below `n` named `name` (with str hash `h`) for
    /// which `ok` holds: the hash's low byte first, then `ok`, then the bytes.
    pub fn find(&self, n: usize, name: &[u8], h: u32, ok: impl Fn(usize) -> bool) -> Option<usize> {
        let h = h as u8;
        (0..n.min(N)).find(|&i| self.hashes[i] == h && ok(i) && self.get(i).as_bytes() == name)
    }
}

/// Name `i` of a packed table (one copy for every table size).
#[inline(never)]
fn name_at(text: &'static str, ends: &[u16], i: usize) -> &'static str {
    let Some(&end) = ends.get(i) else {
        return "?";
    };
    let start = match i.checked_sub(1) {
        Some(p) => ends.get(p).map_or(0, |&e| usize::from(e)),
        None => 0,
    };
    // Every offset is a name boundary, so a char boundary: no `None`.
    text.get(start..usize::from(end)).unwrap_or("?")
}
