//! Name tables packed for flash.
//!
//! The builtin and method tables are written as `&str` arrays (readable,
//! checked at compile time), but a `&str` costs 8 bytes of pointer and
//! length in flash besides its bytes. [`Names`] packs the same names at
//! compile time into one byte blob with a 2-byte end offset and the 4-byte
//! str hash per name; only the packed form is reachable at run time.

/// `N` names packed into an `L`-byte blob (see the module doc).
pub struct Names<const N: usize, const L: usize> {
    blob: [u8; L],
    /// `ends[i]`: where name `i` ends in `blob` (it starts where name
    /// `i - 1` ends).
    ends: [u16; N],
    /// The str hash of each name (`fnv1a`, as the VM caches it in a str).
    hashes: [u32; N],
}

/// The bytes of all `names` together: the `L` of their [`Names`].
pub const fn blob_len(names: &[&str]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < names.len() {
        n += names[i].len();
        i += 1;
    }
    n
}

impl<const N: usize, const L: usize> Names<N, L> {
    /// Packs `names`; `L` must be `blob_len(&names)` (checked at compile
    /// time: a wrong `L` does not compile).
    pub const fn pack(names: [&str; N]) -> Self {
        let mut blob = [0u8; L];
        let mut ends = [0u16; N];
        let mut hashes = [0u32; N];
        let mut at = 0;
        let mut i = 0;
        while i < N {
            let b = names[i].as_bytes();
            let mut j = 0;
            while j < b.len() {
                blob[at] = b[j];
                at += 1;
                j += 1;
            }
            assert!(at <= u16::MAX as usize);
            ends[i] = at as u16;
            hashes[i] = p14p_protocol::image::fnv1a(b);
            i += 1;
        }
        assert!(at == L);
        Names { blob, ends, hashes }
    }

    /// Name `i` ("?" past the end).
    #[inline]
    pub fn get(&'static self, i: usize) -> &'static str {
        name_at(&self.blob, &self.ends, i)
    }

    /// The first index below `n` named `name` (with str hash `h`) for
    /// which `ok` holds: the hash first, then `ok`, then the bytes.
    pub fn find(
        &'static self,
        n: usize,
        name: &[u8],
        h: u32,
        ok: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        (0..n.min(N)).find(|&i| self.hashes[i] == h && ok(i) && self.get(i).as_bytes() == name)
    }
}

/// Name `i` of a blob and its end offsets (one copy for every [`Names`]).
#[inline(never)]
fn name_at(blob: &'static [u8], ends: &[u16], i: usize) -> &'static str {
    let Some(&end) = ends.get(i) else {
        return "?";
    };
    let start = match i.checked_sub(1) {
        Some(p) => ends.get(p).map_or(0, |&e| usize::from(e)),
        None => 0,
    };
    // The blob holds whole `&str`s, split at their boundaries.
    blob.get(start..usize::from(end))
        .and_then(|b| core::str::from_utf8(b).ok())
        .unwrap_or("?")
}
