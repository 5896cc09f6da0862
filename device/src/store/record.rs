//! The on-flash layout: page headers and records.
//!
//! ```text
//! page:    0  MAGIC u32   "P14S" once the page joined the log
//!          4  SEQ   u32   its place in the log (allocation order)
//!          8  records, each 4-aligned, until free space (all 0xFF)
//!
//! span:    0  MAGIC u32   "P14M": the first of PAGES consecutive pages
//!          4  SEQ   u32   that form one unit of the log
//!          8  PAGES u32   2..; the pages after the first have no header
//!         12  records, crossing page boundaries, until free space
//!
//! record:  0  KIND u8 | NAME_LEN u8 | FLAGS u16
//!          4  LEN  u32    payload bytes (unpadded)
//!          8  VER  u32    the file version it belongs to (global counter)
//!         12  AUX  u32    extent: file offset; commit: file size
//!         16  CRC  u32    CRC-32 of payload ‖ bytes 0..16
//!         20  payload, padded with 0xFF to a multiple of 4
//!          …  COMMIT u32  0xFFFF_FFFF until the record is whole, then 0
//! ```
//!
//! Payloads: an EXTENT holds file bytes; a COMMIT holds the content CRC-32
//! (u32) then the name; a REMOVE and a MAIN hold a name (MAIN's may be
//! empty: "no main"). The CRC covers the payload *before* the header so an
//! extent can be streamed to flash and its header written last.
//!
//! A *unit* of the log is a page or a span. A span holds an image too large
//! for one page as one EXTENT (then, in its last page's remainder, more
//! records): its bytes are contiguous in flash and execute in place. Only
//! a span's first page says what it is, so mount reads headers in address
//! order and skips the pages a span claims; the collector erases a span's
//! last pages first and its first page last, so no claimed page is ever
//! left without the header that claims it. PAGES is programmed after MAGIC
//! and SEQ, and any torn value of it is out of range: a span whose header a
//! cut tore is a dirty page, its other pages still erased.

use super::flash::Flash;
use crc::{Crc, NoTable, CRC_32_ISO_HDLC};

/// CRC-32 (ISO-HDLC, as zlib) for records and file contents. Bitwise
/// (`NoTable`): a 1 KiB lookup table would cost more flash than the
/// store's throughput gains, which flash writes bound anyway.
pub static CRC32: Crc<u32, NoTable> = Crc::<u32, NoTable>::new(&CRC_32_ISO_HDLC);

/// Page header magic ("P14S").
pub const MAGIC: u32 = u32::from_le_bytes(*b"P14S");
/// Page header size.
pub const PAGE_HEADER: u32 = 8;
/// Span header magic ("P14M").
pub const SPAN_MAGIC: u32 = u32::from_le_bytes(*b"P14M");
/// Span header size.
pub const SPAN_HEADER: u32 = 12;
/// Record header size.
pub const HEADER: u32 = 20;
/// Commit word size.
pub const COMMIT: u32 = 4;
/// Bytes a record costs beyond its padded payload.
pub const OVERHEAD: u32 = HEADER + COMMIT;

/// Record kinds.
pub mod kind {
    /// A run of file bytes.
    pub const EXTENT: u8 = 1;
    /// A file version is complete: name, size, content hash.
    pub const COMMIT: u8 = 2;
    /// A file was removed.
    pub const REMOVE: u8 = 3;
    /// Which file runs at boot (empty name: none).
    pub const MAIN: u8 = 4;
}

/// `len` rounded up to 4 (saturating: a length read from a torn header
/// may be anything).
pub const fn pad4(len: u32) -> u32 {
    len.saturating_add(3) & !3
}

/// Bytes a record with an `len`-byte payload occupies (saturating).
pub const fn size(len: u32) -> u32 {
    OVERHEAD.saturating_add(pad4(len))
}

/// A record header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// [`kind`].
    pub kind: u8,
    /// Name length (COMMIT, REMOVE, MAIN).
    pub name_len: u8,
    /// COMMIT: the file kind.
    pub flags: u16,
    /// Payload length.
    pub len: u32,
    /// File version.
    pub ver: u32,
    /// Extent offset or file size.
    pub aux: u32,
}

impl Header {
    /// The first 16 bytes (everything the CRC covers after the payload).
    pub fn bytes(&self) -> [u8; 16] {
        let first =
            u32::from(self.kind) | u32::from(self.name_len) << 8 | u32::from(self.flags) << 16;
        let mut b = [0u8; 16];
        for (d, w) in b
            .chunks_exact_mut(4)
            .zip([first, self.len, self.ver, self.aux])
        {
            d.copy_from_slice(&w.to_le_bytes());
        }
        b
    }

    fn parse(b: &[u8; 20]) -> (Header, u32) {
        let w = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        (
            Header {
                kind: w(0) as u8,
                name_len: (w(0) >> 8) as u8,
                flags: (w(0) >> 16) as u16,
                len: w(4),
                ver: w(8),
                aux: w(12),
            },
            w(16),
        )
    }
}

/// A whole, committed record found by [`next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    /// Its header.
    pub head: Header,
    /// Flash address of the record.
    pub addr: u32,
}

impl Rec {
    /// Flash address of the payload.
    pub fn payload(&self) -> u32 {
        self.addr + HEADER
    }
    /// Bytes the record occupies.
    pub fn size(&self) -> u32 {
        size(self.head.len)
    }
}

/// What lies at a position in a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// A committed record; the next one starts at `addr + size`.
    Rec(Rec),
    /// Free space from here to the end of the page: appending may resume.
    Free,
    /// A torn or uncommitted record, or bytes where free space should be:
    /// nothing more may be written to this page.
    Sealed,
}

/// The record whose header is at byte `off` of the unit of `pages` pages
/// that starts at page `page`, and its CRC, if the header is one (a valid
/// kind, inside the unit).
fn at(f: &mut dyn Flash, page: u32, pages: u32, off: u32) -> Option<(Rec, u32)> {
    let base = page * f.page_size();
    let ps = pages * f.page_size();
    let mut hb = [0u8; 20];
    if off + OVERHEAD > ps || !f.read(base + off, &mut hb) {
        return None;
    }
    let (head, crc) = Header::parse(&hb);
    let valid_kind = (kind::EXTENT..=kind::MAIN).contains(&head.kind);
    // Bound `len` before any arithmetic on it: a torn header holds anything.
    let r = Rec {
        head,
        addr: base + off,
    };
    (valid_kind && head.len <= ps && off + size(head.len) <= ps).then_some((r, crc))
}

/// Reads the record at byte `off` of the unit of `pages` pages that
/// starts at page `page`, and with `check` checks it: its CRC and commit
/// word, and that free space is erased. Without `check` the header alone
/// decides (no CRC, no commit word, and whatever follows a header that is
/// no record is free space): only for units whose records mount checked
/// and the store's own whole records after them, where an erased header
/// ends the unit's records. Bounds are checked either way.
pub fn next(f: &mut dyn Flash, page: u32, pages: u32, off: u32, check: bool) -> Next {
    let Some((r, crc)) = at(f, page, pages, off) else {
        // Too short for a record, or an unwritten header: free space,
        // unless a torn streamed extent left payload bytes behind it (or
        // the header is torn).
        let (base, ps) = (page * f.page_size(), pages * f.page_size());
        return if !check || all_ff(f, base + off, ps.saturating_sub(off)) {
            Next::Free
        } else {
            Next::Sealed
        };
    };
    if !check {
        return Next::Rec(r);
    }
    let mut d = CRC32.digest();
    if !digest_range(f, r.payload(), r.head.len, &mut d) {
        return Next::Sealed;
    }
    d.update(&r.head.bytes());
    let mut cw = [0u8; 4];
    let commit_at = r.payload() + pad4(r.head.len);
    if d.finalize() != crc || !f.read(commit_at, &mut cw) || cw != [0; 4] {
        return Next::Sealed;
    }
    Next::Rec(r)
}

/// Feeds `len` flash bytes at `addr` to `d`.
pub fn digest_range(
    f: &mut dyn Flash,
    addr: u32,
    len: u32,
    d: &mut crc::Digest<'_, u32, NoTable>,
) -> bool {
    let mut buf = [0u8; 64];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(buf.len() as u32);
        let Some(b) = buf.get_mut(..n as usize) else {
            return false;
        };
        if !f.read(addr + done, b) {
            return false;
        }
        d.update(b);
        done += n;
    }
    true
}

/// True if `len` bytes at `addr` are all `0xFF`.
pub fn all_ff(f: &mut dyn Flash, addr: u32, len: u32) -> bool {
    let mut buf = [0u8; 64];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(buf.len() as u32);
        let Some(b) = buf.get_mut(..n as usize) else {
            return false;
        };
        if !f.read(addr + done, b) || b.iter().any(|&x| x != 0xFF) {
            return false;
        }
        done += n;
    }
    true
}
