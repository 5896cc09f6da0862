//! Read-only requests: `Peek` and the heap views (`HeapStats`,
//! `HeapCensus`, `HeapWalk`, `HeapLargest`). They change nothing, so the
//! link answers them both when idle and during a run (from
//! [`super::host::RunHost`], with the heap the VM lends at each poll): a
//! watcher or the inspector sees a live program.

use super::tx::Tx;
use super::{access, MAX_FRAME, MAX_PEEK_BYTES};
use crate::heap::census::{self, CENSUS_PAGE, LARGEST, WALK_PAGE};
use crate::heap::Heap;
use crate::Platform;
use p14p_protocol::frame::max_frame_len;
use p14p_protocol::msg::{BlockRun, Command, DeviceError, HeapObject, Reply, TypeCount, Width};
use p14p_protocol::seq::Seq;

// Worst-case encodings (every varint at its longest) fit one frame:
// seq 3, two tags 2, stats 7×5 + 10 (the u64 `gc_us`), entries × (tag 2 +
// 2×5) + length and `next`.
const _: () = assert!(max_frame_len(3 + 2 + 45 + 2 + CENSUS_PAGE * 12 + 2 + 2) <= MAX_FRAME);
const _: () = assert!(max_frame_len(3 + 2 + 5 + 2 + WALK_PAGE * 12 + 2) <= MAX_FRAME);
const _: () = assert!(
    max_frame_len(3 + 2 + 2 + LARGEST * (5 + 2 + 5 + 1 + HeapObject::HEAD) + 2) <= MAX_FRAME
);

/// Answers `Peek`: the `count` items as `Data`, or the error. Redone on a
/// retry like every read-only request, so the error is sent here too.
pub(super) fn peek<P: Platform>(
    platform: &mut P,
    tx: &mut Tx,
    seq: u16,
    (addr, width, count): (u32, Width, u16),
) {
    let mut buf = [0u8; MAX_PEEK_BYTES];
    let reply = match read(platform, addr, width, count, &mut buf) {
        Ok(total) => Reply::Data(buf.get(..total).unwrap_or_default()),
        Err(e) => Reply::Error(e),
    };
    tx.reply(platform, seq, reply);
}

/// Reads `count` items of `width` at `addr` into `buf`; returns how many
/// bytes.
fn read<P: Platform>(
    platform: &mut P,
    addr: u32,
    width: Width,
    count: u16,
    buf: &mut [u8; MAX_PEEK_BYTES],
) -> Result<usize, DeviceError> {
    let w = width.bytes() as usize;
    let total = count as usize * w;
    if total > MAX_PEEK_BYTES {
        return Err(DeviceError::TooMany);
    }
    access::check(platform.memory_map(), addr, width, count as u32, false)?;
    for (i, item) in buf.chunks_exact_mut(w).take(count as usize).enumerate() {
        let at = addr + (i * w) as u32;
        let v = platform
            .mem_read(at, width)
            .ok_or(DeviceError::BadAddress)?;
        item.copy_from_slice(v.to_le_bytes().get(..w).unwrap_or_default());
    }
    Ok(total)
}

/// Sends a `Census` page for tags from `from`.
pub(super) fn census<P: Platform>(platform: &mut P, tx: &mut Tx, seq: u16, heap: &Heap, from: u8) {
    let mut types = [TypeCount {
        tag: 0,
        count: 0,
        bytes: 0,
    }; CENSUS_PAGE];
    let (n, next) = census::census(heap, from, &mut types);
    let reply = Reply::Census {
        stats: census::stats(heap),
        types: Seq::Slice(types.get(..n).unwrap_or_default()),
        next,
    };
    tx.reply(platform, seq, reply);
}

/// Sends a `Blocks` page from arena word `from`.
pub(super) fn walk<P: Platform>(platform: &mut P, tx: &mut Tx, seq: u16, heap: &Heap, from: u32) {
    let mut runs = [BlockRun {
        tag: 0,
        blocks: 0,
        words: 0,
    }; WALK_PAGE];
    let (n, next) = census::walk(heap, from, &mut runs);
    let runs = Seq::Slice(runs.get(..n).unwrap_or_default());
    tx.reply(platform, seq, Reply::Blocks { next, runs });
}

/// Sends the `count` (at most [`LARGEST`]) largest objects.
pub(super) fn largest<P: Platform>(
    platform: &mut P,
    tx: &mut Tx,
    seq: u16,
    heap: &Heap,
    count: u8,
) {
    let mut found = [(0usize, 0u32, 0usize); LARGEST];
    let n = census::largest(heap, &mut found).min(count as usize);
    let list: [HeapObject; LARGEST] = core::array::from_fn(|i| match found.get(i) {
        Some(&(w, tag, size)) if i < n => HeapObject {
            word: w as u32,
            tag: tag as u8,
            bytes: (size * 4) as u32,
            head: census::head(heap, w, size, HeapObject::HEAD),
        },
        _ => HeapObject {
            word: 0,
            tag: 0,
            bytes: 0,
            head: &[],
        },
    });
    let reply = Reply::Largest(Seq::Slice(list.get(..n).unwrap_or_default()));
    tx.reply(platform, seq, reply);
}

/// Answers `HeapCensus`, `HeapWalk` or `HeapLargest` from `heap`; false
/// (nothing sent) for any other command.
pub(super) fn heap_request<P: Platform>(
    platform: &mut P,
    tx: &mut Tx,
    seq: u16,
    cmd: &Command<'_>,
    heap: &Heap,
) -> bool {
    match *cmd {
        Command::HeapCensus { from } => census(platform, tx, seq, heap, from),
        Command::HeapWalk { from } => walk(platform, tx, seq, heap, from),
        Command::HeapLargest { count } => largest(platform, tx, seq, heap, count),
        _ => return false,
    }
    true
}
