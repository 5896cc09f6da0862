//! The store: files (compiled module images and data) in flash pages,
//! written atomically and power-safe, with wear spread over all pages.
//!
//! ## Design: a log of records over a ring of pages
//! Every change appends records (layout in [`record`]): a file version is
//! its EXTENT records (the bytes) followed by one COMMIT record (name,
//! size, content CRC-32). Records carry a CRC and a commit word that is
//! programmed last, so a record torn by a power cut is never believed, and
//! a file version without its COMMIT does not exist. The newest version
//! (highest `ver`) of a name wins; a REMOVE record deletes a name, a MAIN
//! record names the boot program.
//!
//! **Mount** reads every page header, orders the pages by their log
//! sequence number, and checks every record (CRC and commit word); a torn
//! record *seals* its page (nothing more is appended there), and so does a
//! page header that is neither valid nor erased. A store always mounts.
//!
//! **No index in RAM.** The flash is the index: a lookup walks the
//! records' headers ([`Store::find`]: the COMMIT or REMOVE of the name
//! with the highest `ver` decides, exactly as mount would), a listing
//! walks them too ([`Store::next_file`]), and the collector asks a lookup
//! whether a record is live. Walks read headers only, no CRCs: mount
//! checked every record once, the store's own records are whole, and a
//! unit mount found torn (or whose programming failed since) is marked
//! *sealed* and walked with its CRCs. A walk reads each record's 20-byte
//! header once, so a lookup costs one read per record in the log (and the
//! name's bytes where length and version could match); the RAM is a page
//! table (a byte a page) and the writes in progress. There is no limit on
//! the number of files but the space.
//!
//! **Allocation** takes the next free page in round-robin order (wear
//! spread: every page is erased once per trip round the ring). One page is
//! kept in reserve for the collector.
//!
//! **Collection** takes the oldest page of the log, copies its live records
//! (the newest version of every file, the current MAIN) unchanged to the
//! head, then erases it. A cut during collection leaves duplicates with the
//! same `ver`, which are harmless. REMOVE records and superseded MAIN
//! records are dropped when their page is collected: every older record
//! they could override lives in that page or an older one, already gone.
//!
//! **Power-cut model** (what the tests inject): a cut stops the device
//! between two single-byte programs or before/after an erase. Under it,
//! after a cut at any step of a write, the store mounts with the file as it
//! was before the write or as it is after, never anything else.
//!
//! Files whose bytes fit one extent are contiguous in flash
//! ([`Store::contiguous`]): a port that maps flash into memory can run such
//! an image in place. A write starts a file that fits one page in a page
//! with room for all of it; an image larger than a page gets a *span*, a
//! run of consecutive erased pages that is one unit of the log (layout in
//! [`record`]), so every image is contiguous. To make a run the writer
//! collects (which also slides the free pages round the ring); the
//! collector moves a live span into a new span. Where no run can be made
//! (or a pinned page stops the collector) the bytes are split into
//! page-sized extents instead: still stored, copied to run. The collector
//! must be able to move the largest span while the log is full, so the
//! reserve is that span's pages plus one ([`Usage::capacity`] says so).
//! Data files written by programs stream in page-sized extents.
//!
//! **Reading** walks the log (checking each record's CRC) only to find the
//! extent holding an offset; the last extent found is remembered, so a
//! sequential read walks once per extent, not once per call.
//!
//! **Pins** ([`Store::pin`]): pages holding bytes that execute in place.
//! Committed bytes are never reprogrammed, only erased by the collector, so
//! the collector refuses ([`StoreError::InUse`]) to erase a pinned page:
//! what runs can never turn stale or torn under the VM.

pub mod flash;
pub mod record;

#[cfg(test)]
mod tests;

use core::cell::Cell;
pub use flash::Flash;
use record::{kind, Header, Next, Rec, CRC32, HEADER, MAGIC, PAGE_HEADER, SPAN_HEADER, SPAN_MAGIC};

/// Most pages a store may span: the posix port's 64 (the page table is
/// RAM on every port: a byte a page).
pub const MAX_PAGES: usize = 64;
/// Longest file name in bytes.
pub const MAX_NAME: usize = 32;
/// Pages kept free for the collector.
const RESERVE: u32 = 1;
/// Smallest extent payload worth starting in a page's remainder.
const MIN_EXTENT: u32 = 32;
/// Program writes ([`Stream`]s) in progress at once; a further one evicts
/// the oldest (whose commit then fails, leaving its file as it was).
pub const MAX_STREAMS: usize = 4;

/// What a file holds. Numbered from 1, so that `Option<Write>`'s `None`
/// is all zeros, like the rest of an unstarted device ([`Store::none`];
/// `scripts/footprint.sh --check` fails if the device leaves .bss). Flash
/// records carry [`FileKind::flags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum FileKind {
    /// A compiled module image.
    Image = 1,
    /// Plain bytes.
    Data = 2,
}

impl FileKind {
    /// Its code in a commit record's `flags` (the flash format).
    const fn flags(self) -> u16 {
        match self {
            FileKind::Image => 0,
            FileKind::Data => 1,
        }
    }

    /// The kind a commit record's `flags` say.
    fn of(flags: u16) -> FileKind {
        if flags == FileKind::Data.flags() {
            FileKind::Data
        } else {
            FileKind::Image
        }
    }
}

/// Why a store operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreError {
    /// The port has no store.
    NoStore,
    /// Not enough free space.
    NoSpace,
    /// No file of that name.
    NoSuchFile,
    /// Empty, too long, or not UTF-8 name.
    BadName,
    /// A chunk past the end of what was written so far.
    OutOfOrder,
    /// A chunk beyond the announced length, or a commit before all bytes.
    Range,
    /// No write in progress.
    NoWrite,
    /// The content's CRC differs from the announced one.
    HashMismatch,
    /// The flash refused an operation.
    Flash,
    /// Making room would erase a page pinned by an image that executes in
    /// place ([`Store::pin`]).
    InUse,
}

/// A bounded name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    len: u8,
    buf: [u8; MAX_NAME],
}

impl Name {
    const EMPTY: Name = Name {
        len: 0,
        buf: [0; MAX_NAME],
    };

    /// `s` as a name, if it is 1..=[`MAX_NAME`] bytes.
    pub fn new(s: &[u8]) -> Option<Name> {
        if s.is_empty() || s.len() > MAX_NAME {
            return None;
        }
        let mut n = Name::EMPTY;
        n.buf.get_mut(..s.len())?.copy_from_slice(s);
        n.len = s.len() as u8;
        Some(n)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len as usize).unwrap_or_default()
    }

    /// The name as text (names are checked UTF-8 on the way in).
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    fn read(f: &mut dyn Flash, addr: u32, len: u8) -> Option<Name> {
        let mut n = Name::EMPTY;
        if len as usize > MAX_NAME || !f.read(addr, n.buf.get_mut(..len as usize)?) {
            return None;
        }
        n.len = len;
        Some(n)
    }
}

/// A file, as a lookup found it: its COMMIT record, where its name and
/// content CRC stay ([`Store::name_of`], [`Store::crc_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileInfo {
    /// Flash address of the COMMIT record.
    at: u32,
    /// Size in bytes.
    pub size: u32,
    /// The version (internal order of writes).
    ver: u32,
    /// Image or data.
    pub kind: FileKind,
    /// Name length in bytes.
    name_len: u8,
}

impl FileInfo {
    /// The file COMMIT record `r` makes.
    fn of(r: &Rec) -> FileInfo {
        let h = r.head;
        FileInfo {
            at: r.addr,
            size: h.aux,
            ver: h.ver,
            kind: FileKind::of(h.flags),
            name_len: h.name_len,
        }
    }
}

/// A position in a walk over the log's records ([`Store::next_file`]):
/// units in address order, records in log order within each. Between
/// two steps nothing may be written (a collection moves records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Walk {
    page: u32,
    /// Offset of the next record in the unit at `page`; 0: its first.
    off: u32,
    /// Records passed.
    passed: u32,
}

impl Walk {
    /// How many records the walk has passed: where
    /// [`Store::walk_from`] resumes it.
    pub fn passed(&self) -> u32 {
        self.passed
    }
}

/// Flash address of the name in record `r` (a COMMIT's follows its
/// content CRC; a REMOVE's and a MAIN's is the payload).
fn name_at(r: &Rec) -> u32 {
    r.payload() + if r.head.kind == kind::COMMIT { 4 } else { 0 }
}

/// True if the `len` flash bytes at `addr` are `name`.
fn flash_eq(f: &mut dyn Flash, addr: u32, name: &[u8]) -> bool {
    let mut buf = [0u8; MAX_NAME];
    match buf.get_mut(..name.len()) {
        Some(b) => f.read(addr, b) && b == name,
        None => false,
    }
}

/// Store figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Bytes the store can hold for files (after metadata and reserve).
    pub capacity: u32,
    /// Bytes in use by live files, metadata included.
    pub used: u32,
    /// Number of files.
    pub files: u16,
    /// Page size in bytes.
    pub page_size: u32,
    /// Number of pages.
    pub pages: u16,
}

// What a page is: a byte each in [`Store::state`], zero for erased so
// that [`Store::none`] is all zeros. The first page of a unit of the log
// holds its page count (1, or a span's count), with [`SEALED`] set if its
// records are walked with their CRCs; its sequence number stays in its
// header in flash ([`Store::seq_of`]).
/// Erased.
const FREE: u8 = 0;
/// Neither erased nor in the log: erased before reuse.
const DIRTY: u8 = 0xFE;
/// A span's page after its first.
const CONT: u8 = 0xFF;
/// A unit whose records mount found torn, or whose programming failed:
/// walks check each record's CRC there.
const SEALED: u8 = 0x80;

/// The extent a read found last: reads go straight to its bytes while
/// they ask for its range of the same file version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    ver: u32,
    file_off: u32,
    len: u32,
    addr: u32,
}

impl Cursor {
    /// No extent (no file has version 0).
    const NONE: Cursor = Cursor {
        ver: 0,
        file_off: 0,
        len: 0,
        addr: 0,
    };
}

/// The link's write in progress ([`Store::begin`]): the bytes, and what
/// its commit checks them against.
#[derive(Debug, Clone, Copy)]
struct Write {
    name: Name,
    /// The announced CRC-32 of the content.
    crc: u32,
    put: Put,
}

/// One file version's bytes being programmed into EXTENT records: the one
/// writer of the link's uploads ([`Store::write`]) and of a program's
/// streams ([`Store::stream_write`]), whose `Put` lives for one call.
#[derive(Debug, Clone, Copy)]
struct Put {
    /// An image larger than a page gets a span.
    kind: FileKind,
    /// The version its records carry.
    ver: u32,
    /// File offset at which it is done (the extent then closes).
    len: u32,
    /// File bytes programmed so far.
    written: u32,
    /// CRC-32 state of the content so far.
    content: u32,
    /// The collector's ([`Store::copy_split`]): it runs inside a
    /// collection, so it takes fresh pages from the reserve rather than
    /// collecting for them.
    moving: bool,
    /// An extent is open for writing (`ext` is meaningless without). Here,
    /// not in `Extent`, where its padding made the store 8 bytes larger.
    open: bool,
    /// The extent being streamed: its address, file offset, bytes so far,
    /// room left, record CRC state.
    ext: Extent,
}

/// An extent of a [`Put`]. Not an `Option`: `Option<Write>`'s `None`
/// would be its tag's spare value, not zero as [`Store::none`] must be.
#[derive(Debug, Clone, Copy)]
struct Extent {
    /// The unit it is in.
    page: u32,
    addr: u32,
    file_off: u32,
    len: u32,
    room: u32,
    crc: u32,
}

impl Extent {
    /// No extent open.
    const CLOSED: Extent = Extent {
        page: 0,
        addr: 0,
        file_off: 0,
        len: 0,
        room: 0,
        crc: 0,
    };
}

/// A new version of a file being written by a running program
/// (`open(name, 'w')`), whose state the caller keeps (in the VM heap, with
/// the name it passes to each write and to the commit): no store RAM is
/// tied to it but its version in the table of streams, which keeps its
/// extents alive through collections.
///
/// Unlike the link's write ([`Store::begin`]), neither the length nor the
/// CRC is known up front, and every [`Store::stream_write`] appends whole
/// EXTENT records, so streams interleave freely with each other and with
/// the link. The version exists only once [`Store::stream_commit`] has
/// written its COMMIT record: a program that dies, or a device that resets,
/// before that leaves the old file intact (the extents are garbage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stream {
    /// The file version its records carry.
    pub ver: u32,
    /// Bytes written so far.
    pub len: u32,
    /// CRC-32 register of those bytes.
    pub crc: u32,
}

/// A mounted store. The flash is passed to every call (it is the port's).
#[derive(Debug, Clone)]
pub struct Store {
    page_size: u32,
    pages: u32,
    /// Page states (see [`FREE`]).
    state: [u8; MAX_PAGES],
    /// Bytes the live files cost ([`Usage::used`]): counted at mount, kept
    /// as files are committed and removed.
    used: u32,
    next_ver: u32,
    next_seq: u32,
    /// The page being appended to and the offset of its free space.
    head: Option<(u32, u32)>,
    /// Round-robin allocation cursor.
    cursor: u32,
    write: Option<Write>,
    /// The versions of the program writes in progress ([`Stream`]; 0:
    /// none), whose extents the collector keeps.
    #[cfg(feature = "files")]
    streams: [u32; MAX_STREAMS],
    volatile: bool,
    /// Pages the collector must not erase (bit `p` of word `p / 32`).
    pinned: [u32; MAX_PAGES / 32],
    /// The extent the last read used (cleared whenever a page is erased).
    cursor_cache: Cell<Cursor>,
    /// A collection has run to its end since mount. Until then the oldest
    /// unit may hold extents that a collection cut by a power loss already
    /// copied, and each must be looked for before it is copied again; after
    /// it, no victim can, and the look (a walk of the whole log per record)
    /// is skipped: it made every write into a full store take seconds.
    collected: bool,
}

/// CRC-32 state helpers: `crc` keeps no borrow, so the running value is
/// stored as the raw register and resumed.
fn crc_update(state: u32, bytes: &[u8]) -> u32 {
    // The register is kept unreflected-by-`init`: `digest_with_initial`
    // reflects its argument, so hand it the reflected register.
    let mut d = CRC32.digest_with_initial(state.reverse_bits());
    d.update(bytes);
    // `finalize` applies the output xor; undo it to resume later.
    d.finalize() ^ CRC_XOROUT
}
const CRC_XOROUT: u32 = 0xFFFF_FFFF;
const CRC_INIT: u32 = 0xFFFF_FFFF;
fn crc_final(state: u32) -> u32 {
    state ^ CRC_XOROUT
}

impl Store {
    /// A store with no flash: every operation fails with `NoStore`. All
    /// zeros (the counters start at mount), so a device in a port's
    /// `static` costs no flash for it.
    #[inline(always)]
    pub const fn none() -> Store {
        Store {
            page_size: 0,
            pages: 0,
            state: [FREE; MAX_PAGES],
            used: 0,
            next_ver: 0,
            next_seq: 0,
            head: None,
            cursor: 0,
            write: None,
            #[cfg(feature = "files")]
            streams: [0; MAX_STREAMS],
            volatile: false,
            pinned: [0; MAX_PAGES / 32],
            cursor_cache: Cell::new(Cursor::NONE),
            collected: false,
        }
    }

    /// Mounts the store on `f`. Never fails: unreadable or torn parts are
    /// treated as garbage and reclaimed later. A flash with no pages (or an
    /// unusable geometry) gives a store that answers `NoStore`.
    pub fn mount(f: &mut dyn Flash, volatile: bool) -> Store {
        let mut s = Store::none();
        s.mount_into(f, volatile);
        s
    }

    /// [`Store::mount`] into `self`, in place, which must be fresh from
    /// [`Store::none`]: a device in a static (`Device::start`) mounts
    /// without a store-sized temporary on a small boot stack.
    pub(crate) fn mount_into(&mut self, f: &mut dyn Flash, volatile: bool) {
        let s = self;
        let (ps, n) = (f.page_size(), f.page_count());
        if n < 3 || ps < 256 || ps % 4 != 0 || n as usize > MAX_PAGES {
            return;
        }
        s.page_size = ps;
        s.pages = n;
        s.volatile = volatile;
        s.next_ver = 1;
        s.next_seq = 1;
        // Page states and the log order.
        let mut order = [(0u32, 0u16); MAX_PAGES];
        let mut used = 0usize;
        // In address order: a span's first page claims the pages after it
        // (whose bytes are file bytes, not headers).
        let mut p = 0;
        while p < n {
            let mut h = [0u8; 12];
            let ok = f.read(p * ps, &mut h);
            let w = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
            let (magic, seq, count) = (w(0), w(4), w(8));
            let pages = match magic {
                MAGIC => 1,
                SPAN_MAGIC if (2..=n - p).contains(&count) && count <= u8::MAX as u32 => count,
                _ => 0,
            };
            let st = if ok && pages > 0 && seq != u32::MAX {
                if let Some(o) = order.get_mut(used) {
                    *o = (seq, p as u16);
                }
                used += 1;
                s.next_seq = s.next_seq.max(seq + 1);
                pages as u8
            } else if ok && record::all_ff(f, p * ps, ps) {
                FREE
            } else {
                DIRTY
            };
            s.set_state(p, st);
            let pages = s.unit_pages(p);
            for q in p + 1..p + pages {
                s.set_state(q, CONT);
            }
            p += pages;
        }
        let order = order.get_mut(..used).unwrap_or_default();
        // Insertion sort: at most MAX_PAGES entries, once per boot, and
        // no generic sort's code in the firmware (about 1.9 KiB).
        for i in 1..order.len() {
            let mut j = i;
            while j > 0 && order[j - 1].0 > order[j].0 {
                order.swap(j - 1, j);
                j -= 1;
            }
        }
        // Check every record once; walks trust what passed.
        for (i, &(_, p)) in order.iter().enumerate() {
            let p = p as u32;
            let (pages, mut off) = (s.unit_pages(p), s.first_record(p));
            let end = loop {
                match record::next(f, p, pages, off, true) {
                    Next::Rec(r) => {
                        s.next_ver = s.next_ver.max(r.head.ver.wrapping_add(1));
                        off += r.size();
                    }
                    Next::Free => break Some(off),
                    Next::Sealed => break None,
                }
            };
            if end.is_none() {
                s.set_state(p, pages as u8 | SEALED);
            }
            if i + 1 == order.len() {
                s.head = end.map(|off| (p, off));
                s.cursor = (p + pages) % n;
            }
            // A sealed unit without one whole record (a header, then a
            // cut in its first record: a torn copy or write) holds nothing
            // any order depends on: give its pages back now, or a span
            // torn at the full log's edge would leave the collector too
            // few pages to move the oldest one.
            if end.is_none() && off == s.first_record(p) {
                // Best effort: a page that fails to erase stays claimed.
                let _ = s.erase_unit(f, p);
            }
        }
        let mut w = Walk::default();
        while let Some(fi) = s.next_file(f, &mut w) {
            s.used += s.cost_of(&fi);
        }
    }

    /// The state of page `p` (see [`FREE`]); past the pages, [`CONT`].
    fn state(&self, p: u32) -> u8 {
        self.state.get(p as usize).copied().unwrap_or(CONT)
    }

    fn set_state(&mut self, p: u32, st: u8) {
        if let Some(s) = self.state.get_mut(p as usize) {
            *s = st;
        }
    }

    /// The number of pages of the unit of the log that starts at page
    /// `p`, if one does.
    fn unit_at(&self, p: u32) -> Option<u32> {
        let st = self.state(p);
        (st != FREE && st < DIRTY).then_some((st & !SEALED) as u32)
    }

    /// True if page `p` is outside the log (free or dirty).
    fn spare(&self, p: u32) -> bool {
        matches!(self.state(p), FREE | DIRTY)
    }

    /// The log sequence number of the unit at page `p`, from its header
    /// (`u32::MAX` if `p` starts no unit or the header is unreadable).
    fn seq_of(&self, f: &mut dyn Flash, p: u32) -> u32 {
        let mut seq = [0xFF; 4];
        if self.unit_at(p).is_some() {
            let _ = f.read(p * self.page_size + 4, &mut seq);
        }
        u32::from_le_bytes(seq)
    }

    /// Pages in the unit that starts at page `p` (1 if it is no unit).
    fn unit_pages(&self, p: u32) -> u32 {
        self.unit_at(p).unwrap_or(1).max(1)
    }

    /// Bytes in the unit that starts at page `p`.
    fn unit_len(&self, p: u32) -> u32 {
        self.unit_pages(p) * self.page_size
    }

    /// Offset of the first record in the unit at page `p`.
    fn first_record(&self, p: u32) -> u32 {
        if self.unit_pages(p) > 1 {
            SPAN_HEADER
        } else {
            PAGE_HEADER
        }
    }

    /// Pages a span for an `len`-byte extent takes; 1 if the extent fits
    /// a page.
    fn span_pages(&self, len: u32) -> u32 {
        let size = record::size(len);
        if self.page_size == 0 || size + PAGE_HEADER <= self.page_size {
            1
        } else {
            (SPAN_HEADER + size).div_ceil(self.page_size)
        }
    }

    /// Pages kept free so the collector can always run: one, or the
    /// largest image span (live or being written) plus one, since moving
    /// a span without a free run of pages splits it into page extents.
    fn reserve(&self, f: &mut dyn Flash) -> u32 {
        let writing = self.write.filter(|w| w.put.kind == FileKind::Image);
        let mut k = writing.map_or(1, |w| self.span_pages(w.put.len));
        let mut w = Walk::default();
        while let Some(r) = self.next_record(f, &mut w) {
            let h = r.head;
            let pages = self.span_pages(h.aux);
            if h.kind == kind::COMMIT
                && FileKind::of(h.flags) == FileKind::Image
                && pages > k
                && self.live_commit(f, &r)
            {
                k = pages;
            }
        }
        if k > 1 {
            k + 1
        } else {
            RESERVE
        }
    }

    // ---- walking the log ----

    /// The next record of a walk over the whole log: headers only, but in
    /// a sealed unit the records mount would believe ([`record::next`]).
    fn next_record(&self, f: &mut dyn Flash, w: &mut Walk) -> Option<Rec> {
        while w.page < self.pages {
            if let Some(pages) = self.unit_at(w.page) {
                if w.off == 0 {
                    w.off = self.first_record(w.page);
                }
                let sealed = self.state(w.page) & SEALED != 0;
                if let Next::Rec(r) = record::next(f, w.page, pages, w.off, sealed) {
                    w.off += r.size();
                    w.passed += 1;
                    return Some(r);
                }
            }
            w.page += 1;
            w.off = 0;
        }
        None
    }

    /// The record that decides what `name` is (`Some`): the COMMIT or
    /// REMOVE of it with the highest version, the first of equal ones (a
    /// collection cut by a power loss leaves copies). `None` (the name
    /// given as `None`): the MAIN record that decides the boot program.
    fn newest(&self, f: &mut dyn Flash, name: Option<&[u8]>) -> Option<Rec> {
        let mut best: Option<Rec> = None;
        let mut w = Walk::default();
        while let Some(r) = self.next_record(f, &mut w) {
            let h = r.head;
            if best.is_some_and(|b| h.ver <= b.head.ver) {
                continue;
            }
            let hit = match name {
                None => h.kind == kind::MAIN,
                Some(n) => {
                    matches!(h.kind, kind::COMMIT | kind::REMOVE)
                        && h.name_len as usize == n.len()
                        && flash_eq(f, name_at(&r), n)
                }
            };
            if hit {
                best = Some(r);
            }
        }
        best
    }

    /// [`Store::newest`] for the name in record `r`.
    fn newest_of(&self, f: &mut dyn Flash, r: &Rec) -> Option<Rec> {
        let name = Name::read(f, name_at(r), r.head.name_len)?;
        self.newest(f, Some(name.as_bytes()))
    }

    /// True if COMMIT record `r` is its file's current version (or a copy
    /// of it).
    fn live_commit(&self, f: &mut dyn Flash, r: &Rec) -> bool {
        self.newest_of(f, r)
            .is_some_and(|n| n.head.ver == r.head.ver)
    }

    /// A walk that has passed the first `n` records (or all there are).
    pub fn walk_from(&self, f: &mut dyn Flash, n: u32) -> Walk {
        let mut w = Walk::default();
        while w.passed < n && self.next_record(f, &mut w).is_some() {}
        w
    }

    /// The next file of a walk (`Walk::default()` starts one): the
    /// current COMMIT record of each name, once.
    pub fn next_file(&self, f: &mut dyn Flash, w: &mut Walk) -> Option<FileInfo> {
        while let Some(r) = self.next_record(f, w) {
            if r.head.kind == kind::COMMIT && self.newest_of(f, &r).is_some_and(|n| n == r) {
                return Some(FileInfo::of(&r));
            }
        }
        None
    }

    /// The name of file `fi`, read from its COMMIT record.
    pub fn name_of(&self, f: &mut dyn Flash, fi: &FileInfo) -> Option<Name> {
        Name::read(f, fi.at + HEADER + 4, fi.name_len)
    }

    /// The CRC-32 of file `fi`'s content, read from its COMMIT record.
    pub fn crc_of(&self, f: &mut dyn Flash, fi: &FileInfo) -> Option<u32> {
        let mut crc = [0u8; 4];
        f.read(fi.at + HEADER, &mut crc)
            .then(|| u32::from_le_bytes(crc))
    }

    /// True if the port has a store.
    pub fn present(&self) -> bool {
        self.pages > 0
    }

    /// True if the store does not survive a reset.
    pub fn volatile(&self) -> bool {
        self.volatile
    }

    /// The file called `name`: a walk of the log.
    pub fn find(&self, f: &mut dyn Flash, name: &[u8]) -> Option<FileInfo> {
        let r = self.newest(f, Some(name))?;
        (r.head.kind == kind::COMMIT).then(|| FileInfo::of(&r))
    }

    /// The current MAIN record, if it names a program.
    fn main_rec(&self, f: &mut dyn Flash) -> Option<Rec> {
        self.newest(f, None).filter(|r| r.head.name_len > 0)
    }

    /// The boot program's name, if one is set (the file may be gone), read
    /// from its MAIN record.
    pub fn main(&self, f: &mut dyn Flash) -> Option<Name> {
        let r = self.main_rec(f)?;
        Name::read(f, r.payload(), r.head.name_len)
    }

    /// True if the boot program is `name`.
    pub fn is_main(&self, f: &mut dyn Flash, name: &[u8]) -> bool {
        self.main(f).is_some_and(|n| n.as_bytes() == name)
    }

    /// Space figures (the number of files is a walk of the log).
    pub fn usage(&self, f: &mut dyn Flash) -> Usage {
        let mut files = 0u16;
        let mut w = Walk::default();
        while self.next_file(f, &mut w).is_some() {
            files = files.saturating_add(1);
        }
        Usage {
            capacity: self.capacity(f),
            used: self.used,
            files,
            page_size: self.page_size,
            pages: self.pages as u16,
        }
    }

    /// Bytes the store can hold for files ([`Usage::capacity`]).
    pub fn capacity(&self, f: &mut dyn Flash) -> u32 {
        self.capacity_with(self.reserve(f))
    }

    /// The capacity with `reserve` pages kept for the collector (and one
    /// for the log head).
    fn capacity_with(&self, reserve: u32) -> u32 {
        let payload = self.page_size.saturating_sub(PAGE_HEADER);
        self.pages.saturating_sub(reserve + 1) * payload
    }

    /// Bytes file `fi` costs in flash, worst case.
    fn cost_of(&self, fi: &FileInfo) -> u32 {
        self.cost_kind(fi.size, fi.name_len, fi.kind)
    }

    /// Bytes a file of `size` bytes and `kind` costs: an image in a span
    /// takes whole pages (counted as page payloads, as the capacity is).
    fn cost_kind(&self, size: u32, name_len: u8, kind: FileKind) -> u32 {
        let split = self.cost(size, name_len);
        let k = self.span_pages(size);
        if kind == FileKind::Image && k > 1 {
            split.max(k * self.page_size.saturating_sub(PAGE_HEADER))
        } else {
            split
        }
    }

    /// Bytes a file of `size` bytes costs in flash split into extents,
    /// worst case.
    fn cost(&self, size: u32, name_len: u8) -> u32 {
        let per = self
            .page_size
            .saturating_sub(PAGE_HEADER + record::OVERHEAD)
            .max(1);
        let extents = size.div_ceil(per) + 1;
        size + extents * (record::OVERHEAD + 3) + record::size(4 + name_len as u32)
    }

    // ---- pinning ----

    /// Pins the pages holding flash `[addr, addr + len)`: the collector
    /// refuses (with [`StoreError::InUse`]) to erase them until
    /// [`Store::unpin_all`]. For images executing in place.
    pub fn pin(&mut self, addr: u32, len: u32) {
        if self.page_size == 0 || len == 0 {
            return;
        }
        let first = addr / self.page_size;
        let last = addr.saturating_add(len - 1) / self.page_size;
        for p in first..=last.min(self.pages.saturating_sub(1)) {
            if let Some(w) = self.pinned.get_mut(p as usize / 32) {
                *w |= 1 << (p % 32);
            }
        }
    }

    /// Drops every pin.
    pub fn unpin_all(&mut self) {
        self.pinned = [0; MAX_PAGES / 32];
    }

    /// True if page `p` is pinned.
    pub fn pinned(&self, p: u32) -> bool {
        self.pinned
            .get(p as usize / 32)
            .is_some_and(|w| w & (1 << (p % 32)) != 0)
    }

    // ---- writing ----

    /// Starts writing a new version of `name`: `len` bytes whose CRC-32 is
    /// `crc`. Replaces an unfinished write (whose bytes become garbage).
    pub fn begin(
        &mut self,
        f: &mut dyn Flash,
        name: &str,
        kind: FileKind,
        len: u32,
        crc: u32,
    ) -> Result<(), StoreError> {
        if !self.present() {
            return Err(StoreError::NoStore);
        }
        self.write = None;
        let name = Name::new(name.as_bytes()).ok_or(StoreError::BadName)?;
        self.check_room(f, name.as_bytes(), kind, len)?;
        self.write = Some(Write {
            name,
            crc,
            put: Put {
                kind,
                ver: self.bump(),
                len,
                written: 0,
                content: CRC_INIT,
                moving: false,
                open: false,
                ext: Extent::CLOSED,
            },
        });
        Ok(())
    }

    /// Fails with `NoSpace` unless a new version of `name`, `len` bytes of
    /// `kind`, fits beside the other files: the check of every writer,
    /// before it writes.
    fn check_room(
        &self,
        f: &mut dyn Flash,
        name: &[u8],
        kind: FileKind,
        len: u32,
    ) -> Result<(), StoreError> {
        let k = self.span_pages(len);
        let span = kind == FileKind::Image && k > 1;
        let reserve = if span {
            self.reserve(f).max(k + 1)
        } else {
            self.reserve(f)
        };
        // A span is written whole beside the old version: its pages are
        // needed before the old version's are free.
        let old = match self.find(f, name) {
            Some(fi) if !span => self.cost_of(&fi),
            _ => 0,
        };
        let need = self.cost_kind(len, name.len() as u8, kind);
        if self.used.saturating_sub(old) as u64 + need as u64 > self.capacity_with(reserve) as u64 {
            return Err(StoreError::NoSpace);
        }
        Ok(())
    }

    /// Writes `data` at `offset` of the file being written. Bytes must come
    /// in order; a repeat of bytes already written is accepted (a retry).
    pub fn write(&mut self, f: &mut dyn Flash, offset: u32, data: &[u8]) -> Result<(), StoreError> {
        // A copy: the store's own (its version and length) keeps the
        // extents already written live through the collections that
        // opening an extent may run.
        let mut w = self.write.ok_or(StoreError::NoWrite)?.put;
        let end = offset as u64 + data.len() as u64;
        if end > w.len as u64 {
            return Err(StoreError::Range);
        }
        if offset > w.written {
            return Err(StoreError::OutOfOrder);
        }
        let skip = (w.written - offset) as usize;
        let r = self.put(f, &mut w, data.get(skip..).unwrap_or_default());
        match (r, self.write.as_mut()) {
            (Ok(()), Some(cur)) => cur.put = w,
            _ => self.write = None,
        }
        r
    }

    /// Programs all of `data` as the next bytes of `w`.
    fn put(&mut self, f: &mut dyn Flash, w: &mut Put, mut data: &[u8]) -> Result<(), StoreError> {
        while !data.is_empty() {
            let n = self.stream(f, w, data)?;
            data = data.get(n..).unwrap_or_default();
        }
        Ok(())
    }

    /// Programs a prefix of `data` into `w`'s open extent (opening one if
    /// needed); returns how many bytes went.
    fn stream(&mut self, f: &mut dyn Flash, w: &mut Put, data: &[u8]) -> Result<usize, StoreError> {
        if !w.open {
            // An image larger than a page goes whole into a span, if a run
            // of pages can be had (a span is opened whole, never after the
            // first byte).
            let k = self.span_pages(w.len);
            let span = if w.written == 0 && w.kind == FileKind::Image && k > 1 {
                self.room_for_span(f, k)?
            } else {
                None
            };
            let (page, off) = match span {
                Some(page) => (page, SPAN_HEADER),
                None => {
                    // A file that fits one page starts where it fits whole
                    // (a fresh page if the head's remainder is short and a
                    // page is free without collecting), so it is one
                    // extent: contiguous, executable in place. Larger
                    // files, and any file when space is tight, are split
                    // where the space is.
                    let n = record::size(w.len);
                    let whole = w.written == 0
                        && n <= self.page_size.saturating_sub(PAGE_HEADER)
                        && (self
                            .head
                            .is_some_and(|(p, off)| off + n <= self.unit_len(p))
                            || self.spare_pages() > self.reserve(f));
                    let want = if whole {
                        n
                    } else {
                        MIN_EXTENT + record::OVERHEAD
                    };
                    match self.head {
                        Some((p, off)) if w.moving && off + want <= self.unit_len(p) => (p, off),
                        _ if w.moving => self.open_page(f)?,
                        _ => self.room_for(f, want)?,
                    }
                }
            };
            w.open = true;
            w.ext = Extent {
                page,
                addr: page * self.page_size + off,
                file_off: w.written,
                len: 0,
                room: (self.unit_len(page) - off - record::OVERHEAD) & !3,
                crc: CRC_INIT,
            };
            // Reserve the space now, so nothing else is appended into it.
            self.head = Some((page, self.unit_len(page)));
        }
        let ext = &mut w.ext;
        let n = (ext.room - ext.len).min(data.len() as u32);
        let chunk = data.get(..n as usize).unwrap_or_default();
        self.program(f, ext.addr + HEADER + ext.len, chunk)?;
        ext.crc = crc_update(ext.crc, chunk);
        ext.len += n;
        w.content = crc_update(w.content, chunk);
        w.written += n;
        if ext.len == ext.room || w.written == w.len {
            self.close_extent(f, w)?;
        }
        Ok(n as usize)
    }

    /// Writes the open extent's header and commit word.
    fn close_extent(&mut self, f: &mut dyn Flash, w: &mut Put) -> Result<(), StoreError> {
        if !core::mem::replace(&mut w.open, false) {
            return Ok(());
        }
        let ext = w.ext;
        let head = Header {
            kind: kind::EXTENT,
            name_len: 0,
            flags: 0,
            len: ext.len,
            ver: w.ver,
            aux: ext.file_off,
        };
        let crc = crc_final(crc_update(ext.crc, &head.bytes()));
        let end = ext.addr + record::size(ext.len);
        self.seal(f, ext.addr, &head, crc)?;
        // Give back the space the extent did not use, unless the log moved
        // on meanwhile (a program's stream opened a newer page).
        let page = ext.page;
        if self.head == Some((page, self.unit_len(page))) {
            self.head = Some((page, end - page * self.page_size));
        }
        Ok(())
    }

    /// Programs a header then the commit word of a record at `addr`.
    fn seal(
        &mut self,
        f: &mut dyn Flash,
        addr: u32,
        head: &Header,
        crc: u32,
    ) -> Result<(), StoreError> {
        let mut hb = [0u8; 20];
        hb[..16].copy_from_slice(&head.bytes());
        hb[16..].copy_from_slice(&crc.to_le_bytes());
        let commit_at = addr + HEADER + record::pad4(head.len);
        self.program(f, addr, &hb)?;
        self.program(f, commit_at, &[0; 4])
    }

    /// Ends the write: checks length and CRC, then commits the new version
    /// with one COMMIT record. Before that record is whole, the old version
    /// (if any) is the file.
    pub fn commit(&mut self, f: &mut dyn Flash) -> Result<(), StoreError> {
        let Write { name, crc, mut put } = self.write.ok_or(StoreError::NoWrite)?;
        if put.written != put.len {
            return Err(StoreError::Range);
        }
        self.write = None;
        if crc_final(put.content) != crc {
            return Err(StoreError::HashMismatch);
        }
        self.close_extent(f, &mut put)?;
        self.commit_version(f, name.as_bytes(), put.kind, put.ver, put.len, crc)
    }

    /// Makes version `ver` (its extents written) the file `name`, `len`
    /// bytes of `kind` whose CRC-32 is `crc`, with one COMMIT record.
    /// Fails with `NoWrite` if a newer version or a removal of the name
    /// was committed since `ver` began: mount would let that one win.
    fn commit_version(
        &mut self,
        f: &mut dyn Flash,
        name: &[u8],
        kind: FileKind,
        ver: u32,
        len: u32,
        crc: u32,
    ) -> Result<(), StoreError> {
        let old = self.newest(f, Some(name));
        if old.is_some_and(|r| r.head.ver > ver) {
            return Err(StoreError::NoWrite);
        }
        let head = Header {
            kind: kind::COMMIT,
            name_len: name.len() as u8,
            flags: kind.flags(),
            len: 4 + name.len() as u32,
            ver,
            aux: len,
        };
        self.append(f, &head, &crc.to_le_bytes(), name)?;
        self.used += self.cost_kind(len, head.name_len, kind);
        self.forget(old);
        Ok(())
    }

    /// Takes the cost of the version record `old` decided off
    /// [`Store::used`] (a file's old version, now superseded or removed).
    fn forget(&mut self, old: Option<Rec>) {
        if let Some(h) = old.map(|r| r.head).filter(|h| h.kind == kind::COMMIT) {
            let cost = self.cost_kind(h.aux, h.name_len, FileKind::of(h.flags));
            self.used = self.used.saturating_sub(cost);
        }
    }

    /// Removes `name` (and clears main if it named it).
    pub fn remove(&mut self, f: &mut dyn Flash, name: &str) -> Result<(), StoreError> {
        let name = name.as_bytes();
        let old = self
            .newest(f, Some(name))
            .filter(|r| r.head.kind == kind::COMMIT)
            .ok_or(StoreError::NoSuchFile)?;
        let was_main = self.is_main(f, name);
        let ver = self.bump();
        let head = Header {
            kind: kind::REMOVE,
            name_len: name.len() as u8,
            flags: 0,
            len: name.len() as u32,
            ver,
            aux: 0,
        };
        self.append(f, &head, &[], name)?;
        self.forget(Some(old));
        // Its own record: a cut between the two leaves main naming a file
        // that is gone, which boot skips.
        if was_main {
            self.set_main(f, None)?;
        }
        Ok(())
    }

    /// Names the file that runs at boot (`None`: nothing runs).
    pub fn set_main(&mut self, f: &mut dyn Flash, name: Option<&str>) -> Result<(), StoreError> {
        if !self.present() {
            return Err(StoreError::NoStore);
        }
        let name = match name {
            Some(n) => Some(Name::new(n.as_bytes()).ok_or(StoreError::BadName)?),
            None => None,
        };
        let ver = self.bump();
        let bytes = name.as_ref().map_or(&[][..], |n| n.as_bytes());
        let head = Header {
            kind: kind::MAIN,
            name_len: bytes.len() as u8,
            flags: 0,
            len: bytes.len() as u32,
            ver,
            aux: 0,
        };
        self.append(f, &head, &[], bytes)
    }

    fn bump(&mut self) -> u32 {
        let v = self.next_ver;
        self.next_ver += 1;
        v
    }

    /// Appends a whole record (payload = `a ‖ b`): header and payload, then
    /// the commit word.
    fn append(
        &mut self,
        f: &mut dyn Flash,
        head: &Header,
        a: &[u8],
        b: &[u8],
    ) -> Result<(), StoreError> {
        if !self.present() {
            return Err(StoreError::NoStore);
        }
        let size = record::size(head.len);
        let (page, off) = self.room_for(f, size)?;
        let addr = page * self.page_size + off;
        let mut d = CRC32.digest();
        d.update(a);
        d.update(b);
        d.update(&head.bytes());
        let crc = d.finalize();
        self.program(f, addr + HEADER, a)?;
        self.program(f, addr + HEADER + a.len() as u32, b)?;
        self.head = Some((page, off + size));
        self.seal(f, addr, head, crc)
    }

    /// Programs `data` at `addr`. If the flash refuses, the unit holding
    /// `addr` may hold a torn record: it is sealed (walked with CRCs,
    /// appended to no more), as mount would find it.
    fn program(&mut self, f: &mut dyn Flash, addr: u32, data: &[u8]) -> Result<(), StoreError> {
        if f.program(addr, data) {
            return Ok(());
        }
        let mut p = addr / self.page_size.max(1);
        while p > 0 && self.state(p) == CONT {
            p -= 1;
        }
        if let Some(n) = self.unit_at(p) {
            self.set_state(p, n as u8 | SEALED);
        }
        if self.head.is_some_and(|(h, _)| h == p) {
            self.head = None;
        }
        Err(StoreError::Flash)
    }

    // ---- space ----

    /// A place for `size` bytes at the head of the log: the current head
    /// page if it has room, else a fresh page (collecting first if the
    /// reserve would be touched).
    fn room_for(&mut self, f: &mut dyn Flash, size: u32) -> Result<(u32, u32), StoreError> {
        if let Some((p, off)) = self.head {
            if off + size <= self.unit_len(p) {
                return Ok((p, off));
            }
        }
        // What the reserve is does not change as the collector runs (it
        // moves live files; a lookup walks the log).
        let reserve = self.reserve(f);
        let mut rounds = 0;
        while self.spare_pages() <= reserve {
            rounds += 1;
            if rounds > self.pages {
                return Err(StoreError::NoSpace);
            }
            self.collect(f)?;
            // Collection may have left room at the head.
            if let Some((p, off)) = self.head {
                if off + size <= self.unit_len(p) {
                    return Ok((p, off));
                }
            }
        }
        self.open_page(f)
    }

    /// A new span of `k` pages for an image, collecting until there is a
    /// free run of them beyond the reserve; `None` if there cannot be
    /// (the caller splits the image instead).
    fn room_for_span(&mut self, f: &mut dyn Flash, k: u32) -> Result<Option<u32>, StoreError> {
        let reserve = self.reserve(f);
        if k > u8::MAX as u32 || k + reserve > self.pages {
            return Ok(None);
        }
        for _ in 0..=self.pages {
            if self.spare_pages() >= k + reserve {
                if let Some(p) = self.free_run(k) {
                    return self.open_unit(f, p, k).map(|(p, _)| Some(p));
                }
            }
            // Collecting frees the oldest unit and slides the free pages
            // round the ring, so a run appears unless live data is in the
            // way everywhere.
            match self.collect(f) {
                Ok(()) => {}
                Err(StoreError::NoSpace | StoreError::InUse) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// The first page, in round-robin order from the cursor, of `k`
    /// consecutive pages outside the log.
    fn free_run(&self, k: u32) -> Option<u32> {
        (0..self.pages)
            .map(|i| (self.cursor + i) % self.pages)
            .filter(|&p| p + k <= self.pages)
            .find(|&p| (p..p + k).all(|q| self.spare(q)))
    }

    fn spare_pages(&self) -> u32 {
        (0..self.pages).filter(|&p| self.spare(p)).count() as u32
    }

    /// Starts the next page in round-robin order as the head.
    fn open_page(&mut self, f: &mut dyn Flash) -> Result<(u32, u32), StoreError> {
        let p = self.free_run(1).ok_or(StoreError::NoSpace)?;
        self.open_unit(f, p, 1)
    }

    /// Makes pages `p..p + k` (outside the log) a unit of the log and its
    /// head: erases the dirty ones, then programs the header.
    fn open_unit(&mut self, f: &mut dyn Flash, p: u32, k: u32) -> Result<(u32, u32), StoreError> {
        for q in p..p + k {
            if self.state(q) == DIRTY {
                if !f.erase(q) {
                    return Err(StoreError::Flash);
                }
                self.set_state(q, FREE);
            }
        }
        let seq = self.next_seq;
        let mut h = [0u8; 12];
        h[4..8].copy_from_slice(&seq.to_le_bytes());
        let first = if k > 1 {
            h[..4].copy_from_slice(&SPAN_MAGIC.to_le_bytes());
            h[8..].copy_from_slice(&k.to_le_bytes());
            SPAN_HEADER
        } else {
            h[..4].copy_from_slice(&MAGIC.to_le_bytes());
            PAGE_HEADER
        };
        let hb = h.get(..first as usize).unwrap_or_default();
        if !f.program(p * self.page_size, hb) {
            self.set_state(p, DIRTY);
            return Err(StoreError::Flash);
        }
        self.next_seq += 1;
        self.set_state(p, k as u8);
        for q in p + 1..p + k {
            self.set_state(q, CONT);
        }
        self.cursor = (p + k) % self.pages;
        self.head = Some((p, first));
        Ok((p, first))
    }

    /// Collects the oldest page: copies its live records to the head, then
    /// erases it.
    fn collect(&mut self, f: &mut dyn Flash) -> Result<(), StoreError> {
        let head_page = self.head.map(|(p, _)| p);
        let victim = (0..self.pages)
            .filter(|&p| Some(p) != head_page && self.unit_at(p).is_some())
            .min_by_key(|&p| self.seq_of(f, p))
            .ok_or(StoreError::NoSpace)?;
        let pages = self.unit_pages(victim);
        // Only the oldest unit may go (a REMOVE record dropped from a
        // younger page could resurrect a file in an older one), so a
        // pinned oldest unit stops the collector.
        if (victim..victim + pages).any(|p| self.pinned(p)) {
            return Err(StoreError::InUse);
        }
        // Until this collection ends, it is the one that may be cut (by a
        // flash error here; a power cut remounts).
        let checked = !self.collected;
        self.collected = false;
        let mut off = self.first_record(victim);
        // The verdict on the last extent's version: a file's extents
        // usually follow each other, and each verdict is two walks.
        let mut last = (0, false);
        while let Next::Rec(r) = record::next(f, victim, pages, off, true) {
            off += r.size();
            if self.is_live(f, &r, &mut last)
                && !(r.head.kind == kind::EXTENT && checked && self.has_copy(f, victim, &r))
            {
                self.copy(f, &r)?;
            }
        }
        self.erase_unit(f, victim)?;
        self.collected = true;
        Ok(())
    }

    /// Erases the unit at page `p`: a span's first page last, since until
    /// it goes its header claims the others, whatever a cut left in them.
    fn erase_unit(&mut self, f: &mut dyn Flash, p: u32) -> Result<(), StoreError> {
        self.cursor_cache.set(Cursor::NONE);
        for q in (p..p + self.unit_pages(p)).rev() {
            if !f.erase(q) {
                return Err(StoreError::Flash);
            }
            self.set_state(q, FREE);
        }
        Ok(())
    }

    /// True if the bytes of extent `r` are whole somewhere else: a
    /// collection a cut interrupted copied it (or all of the span it was
    /// split from). Copying it again could need more free pages than the
    /// reserve.
    fn has_copy(&self, f: &mut dyn Flash, victim: u32, r: &Rec) -> bool {
        let (from, ver) = (r.head.aux, r.head.ver);
        self.find_extent(f, ver, from, from + r.head.len, victim)
            .is_some()
    }

    /// True if a write in progress (the link's or a program's) has a
    /// version older than `ver` (`below`), or `ver` itself (`!below`).
    fn pending(&self, ver: u32, below: bool) -> bool {
        let hit = |v: u32| v != 0 && if below { v < ver } else { v == ver };
        #[cfg(feature = "files")]
        if self.streams.iter().any(|&v| hit(v)) {
            return true;
        }
        self.write.is_some_and(|w| hit(w.put.ver))
    }

    /// True if the collector must keep record `r`. `last` is the verdict
    /// on the last extent's version, reused while the version stays.
    fn is_live(&self, f: &mut dyn Flash, r: &Rec, last: &mut (u32, bool)) -> bool {
        let h = r.head;
        match h.kind {
            kind::EXTENT => {
                if self.pending(h.ver, false) {
                    return true;
                }
                if last.0 != h.ver {
                    *last = (h.ver, self.version_live(f, h.ver));
                }
                last.1
            }
            kind::COMMIT => self.live_commit(f, r),
            kind::MAIN => self.main_rec(f).is_some_and(|m| m.head.ver == h.ver),
            // A removal stays while an older write may still commit: that
            // commit must find it and fail ([`Store::commit_version`]).
            _ => self.pending(h.ver, true),
        }
    }

    /// True if version `ver` is committed and its file's current version.
    fn version_live(&self, f: &mut dyn Flash, ver: u32) -> bool {
        let mut w = Walk::default();
        while let Some(r) = self.next_record(f, &mut w) {
            if r.head.kind == kind::COMMIT && r.head.ver == ver {
                return self.live_commit(f, &r);
            }
        }
        false
    }

    /// Copies a whole record to the head, unchanged (it holds no address):
    /// into the head unit's remainder or a fresh page, or, for an extent
    /// larger than a page (a span's), into a new span if a free run of
    /// pages is there, else split into page extents.
    fn copy(&mut self, f: &mut dyn Flash, r: &Rec) -> Result<(), StoreError> {
        let size = r.size();
        // Never into the reserve beyond what the victim frees: its live
        // records fit the head's remainder plus the reserve's pages.
        let (page, off) = match self.head {
            Some((p, off)) if off + size <= self.unit_len(p) => (p, off),
            _ => {
                let k = self.span_pages(r.head.len);
                let run = if k > 1 { self.free_run(k) } else { None };
                match run {
                    Some(p) => self.open_unit(f, p, k)?,
                    None if k > 1 => return self.copy_split(f, r),
                    None => self.open_page(f)?,
                }
            }
        };
        let dst = page * self.page_size + off;
        let body = size - record::COMMIT;
        let mut buf = [0u8; 64];
        let mut done = 0;
        while done < body {
            let n = (body - done).min(64);
            let b = buf.get_mut(..n as usize).ok_or(StoreError::Flash)?;
            if !f.read(r.addr + done, b) {
                return Err(StoreError::Flash);
            }
            self.program(f, dst + done, b)?;
            done += n;
        }
        self.program(f, dst + body, &[0; 4])?;
        self.head = Some((page, off + size));
        Ok(())
    }

    /// Copies extent `r` as page-sized extents of the same version.
    fn copy_split(&mut self, f: &mut dyn Flash, r: &Rec) -> Result<(), StoreError> {
        let mut w = Put {
            kind: FileKind::Data,
            ver: r.head.ver,
            len: r.head.aux + r.head.len,
            written: r.head.aux,
            content: CRC_INIT,
            moving: true,
            open: false,
            ext: Extent::CLOSED,
        };
        self.put_from(f, &mut w, Source::Flash(r.payload()))
    }

    /// Programs the rest of `w` (up to its length) from `src`, which holds
    /// those bytes from its start.
    fn put_from(
        &mut self,
        f: &mut dyn Flash,
        w: &mut Put,
        src: Source<'_>,
    ) -> Result<(), StoreError> {
        let start = w.written;
        if let Source::Bytes(b) = src {
            return self.put(f, w, b);
        }
        let mut buf = [0u8; 64];
        while w.written < w.len {
            let at = w.written - start;
            let n = (w.len - w.written).min(64) as usize;
            let b = buf.get_mut(..n).unwrap_or_default();
            // A file is found again by version on every read: a
            // collection the writer runs may move it.
            let read = match src {
                Source::File(fi) => self.read_version(f, &fi, at, b) == Ok(n),
                Source::Flash(addr) => f.read(addr + at, b),
                Source::Bytes(_) => false,
            };
            if !read {
                return Err(StoreError::Flash);
            }
            self.put(f, w, b)?;
        }
        Ok(())
    }

    // ---- reading ----

    /// Reads up to `buf.len()` bytes of `name` from `offset`; returns how
    /// many (0 at the end).
    pub fn read(
        &self,
        f: &mut dyn Flash,
        name: &[u8],
        offset: u32,
        buf: &mut [u8],
    ) -> Result<usize, StoreError> {
        let fi = self.find(f, name).ok_or(StoreError::NoSuchFile)?;
        self.read_version(f, &fi, offset, buf)
    }

    /// As [`Store::read`], for the version `fi` names.
    fn read_version(
        &self,
        f: &mut dyn Flash,
        fi: &FileInfo,
        offset: u32,
        buf: &mut [u8],
    ) -> Result<usize, StoreError> {
        let want = (fi.size.saturating_sub(offset) as usize).min(buf.len());
        let mut got = 0usize;
        while got < want {
            let pos = offset + got as u32;
            let holds =
                |c: &Cursor| c.ver == fi.ver && c.file_off <= pos && pos < c.file_off + c.len;
            let c = match Some(self.cursor_cache.get()).filter(holds) {
                Some(c) => c,
                None => {
                    // Walk the log for the extent holding `pos`.
                    let r = self
                        .find_extent(f, fi.ver, pos, pos + 1, u32::MAX)
                        .ok_or(StoreError::Flash)?;
                    let c = Cursor {
                        ver: fi.ver,
                        file_off: r.head.aux,
                        len: r.head.len,
                        addr: r.payload(),
                    };
                    self.cursor_cache.set(c);
                    c
                }
            };
            let n = ((c.file_off + c.len - pos) as usize).min(want - got);
            let dst = buf.get_mut(got..got + n).ok_or(StoreError::Flash)?;
            if !f.read(c.addr + (pos - c.file_off), dst) {
                return Err(StoreError::Flash);
            }
            got += n;
        }
        Ok(want)
    }

    /// The flash address of a file whose bytes are one contiguous extent
    /// (can be executed in place where flash is memory-mapped).
    pub fn contiguous(&self, f: &mut dyn Flash, name: &[u8]) -> Option<(u32, u32)> {
        let fi = self.find(f, name)?;
        let r = self.find_extent(f, fi.ver, 0, fi.size, u32::MAX)?;
        Some((r.payload(), fi.size))
    }

    /// The first EXTENT record of version `ver` that holds all of file
    /// bytes `[from, to)` (at least byte `from`), outside the unit at page
    /// `skip`: any of the duplicates a cut during collection left, whose
    /// bytes are identical.
    fn find_extent(
        &self,
        f: &mut dyn Flash,
        ver: u32,
        from: u32,
        to: u32,
        skip: u32,
    ) -> Option<Rec> {
        let mut w = Walk::default();
        while let Some(r) = self.next_record(f, &mut w) {
            let h = r.head;
            let end = h.aux + h.len;
            if w.page != skip
                && h.kind == kind::EXTENT
                && h.ver == ver
                && h.aux <= from
                && from < end
                && to <= end
            {
                return Some(r);
            }
        }
        None
    }
}

/// Where the bytes [`Store::put_from`] programs come from.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// A program's bytes.
    #[cfg_attr(not(feature = "files"), allow(dead_code))]
    Bytes(&'a [u8]),
    /// A stored file (`open(name, 'a')` copies it first).
    #[cfg_attr(not(feature = "files"), allow(dead_code))]
    File(FileInfo),
    /// Flash from this address (the collector splitting a span's extent).
    Flash(u32),
}

#[cfg(feature = "files")]
impl Store {
    // ---- program writes ----

    /// Starts a new, empty version of `name` written by a program. Nothing
    /// is visible until [`Store::stream_commit`].
    pub fn stream_begin(&mut self, f: &mut dyn Flash, name: &str) -> Result<Stream, StoreError> {
        if !self.present() {
            return Err(StoreError::NoStore);
        }
        let name = Name::new(name.as_bytes()).ok_or(StoreError::BadName)?;
        self.check_room(f, name.as_bytes(), FileKind::Data, 0)?;
        let ver = self.bump();
        // A free entry (0), else the oldest stream's (it was most likely
        // left open by a program that ended).
        if let Some(e) = self.streams.iter_mut().min() {
            *e = ver;
        }
        Ok(Stream {
            ver,
            len: 0,
            crc: CRC_INIT,
        })
    }

    /// Appends `data` to stream `s` of file `name` as whole EXTENT records.
    pub fn stream_write(
        &mut self,
        f: &mut dyn Flash,
        s: &mut Stream,
        name: &[u8],
        data: &[u8],
    ) -> Result<(), StoreError> {
        self.stream_put(f, s, name, Source::Bytes(data))
    }

    /// Appends the whole content of `name` (if there is such a file) to its
    /// stream `s`: `open(name, 'a')` starts this way.
    pub fn stream_copy(
        &mut self,
        f: &mut dyn Flash,
        s: &mut Stream,
        name: &[u8],
    ) -> Result<(), StoreError> {
        match self.find(f, name) {
            Some(src) => self.stream_put(f, s, name, Source::File(src)),
            None => Ok(()),
        }
    }

    /// Appends all of `src` to the stream, through the link's writer
    /// ([`Store::put`]): the extents it writes are sealed by the end of
    /// the call, so streams interleave with each other and with the link.
    fn stream_put(
        &mut self,
        f: &mut dyn Flash,
        s: &mut Stream,
        name: &[u8],
        src: Source<'_>,
    ) -> Result<(), StoreError> {
        self.still_wanted(f, s, name)?;
        let total = match src {
            Source::Bytes(b) => b.len() as u32,
            Source::File(fi) => fi.size,
            Source::Flash(_) => 0,
        };
        let len = s.len.saturating_add(total);
        self.check_room(f, name, FileKind::Data, len)?;
        let mut w = Put {
            kind: FileKind::Data,
            ver: s.ver,
            len,
            written: s.len,
            content: s.crc,
            moving: false,
            open: false,
            ext: Extent::CLOSED,
        };
        self.put_from(f, &mut w, src)?;
        s.len = w.written;
        s.crc = w.content;
        Ok(())
    }

    /// Fails with `NoWrite` (and forgets the stream) unless stream `s` of
    /// `name` may still commit: it was not evicted, and no newer version
    /// or removal of the name was committed since it began.
    fn still_wanted(
        &mut self,
        f: &mut dyn Flash,
        s: &Stream,
        name: &[u8],
    ) -> Result<(), StoreError> {
        let slot = self.streams.iter().position(|&v| v != 0 && v == s.ver);
        let newer = self
            .newest(f, Some(name))
            .is_some_and(|r| r.head.ver > s.ver);
        match slot {
            Some(_) if !newer && Name::new(name).is_some() => Ok(()),
            _ => {
                self.stream_abort(s);
                Err(StoreError::NoWrite)
            }
        }
    }

    /// Makes the stream the file `name`'s new version with one COMMIT
    /// record. Fails with `NoWrite` if the stream was superseded (the name
    /// was written or removed since it began) or evicted.
    pub fn stream_commit(
        &mut self,
        f: &mut dyn Flash,
        s: &Stream,
        name: &[u8],
        kind: FileKind,
    ) -> Result<(), StoreError> {
        self.still_wanted(f, s, name)?;
        let r = self.commit_version(f, name, kind, s.ver, s.len, crc_final(s.crc));
        // Committed (its extents live on as the file's), or failed.
        self.stream_abort(s);
        r
    }

    /// Forgets the stream: its extents become garbage.
    pub fn stream_abort(&mut self, s: &Stream) {
        for e in self.streams.iter_mut().filter(|e| **e == s.ver) {
            *e = 0;
        }
    }
}
