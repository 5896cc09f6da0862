//! Read-only views of the arena for the heap inspector: figures, objects per
//! tag, the block map in runs, and the largest objects.
//!
//! Everything here only reads the block headers the arena already keeps
//! (see [`super`]): no allocation, no marking, nothing a running program
//! could notice, so the link answers these requests during a run too. Each
//! function walks the arena once; results go into fixed buffers the caller
//! lends, and the wire records are [`p14p_protocol::msg`]'s.

use super::{Heap, FREE};
use p14p_protocol::msg::{BlockRun, HeapStats, TypeCount};

/// Tags per [`Reply::Census`](p14p_protocol::msg::Reply::Census) page: a
/// page of this many entries always fits a frame (checked in `link`).
pub const CENSUS_PAGE: usize = 16;
/// Runs per [`Reply::Blocks`](p14p_protocol::msg::Reply::Blocks) page.
pub const WALK_PAGE: usize = 20;
/// Objects in a [`Reply::Largest`](p14p_protocol::msg::Reply::Largest).
pub const LARGEST: usize = 6;

/// Heap figures (the same as the VM's `HeapStats` reply).
pub fn stats(heap: &Heap) -> HeapStats {
    let (free, largest_free, objects) = heap.census();
    let total = heap.total_bytes();
    HeapStats {
        total,
        used: total.saturating_sub(free),
        free,
        largest_free,
        objects,
        gc_runs: heap.gc_runs,
        gc_us: heap.gc_us,
        gc_last_us: heap.gc_last_us,
    }
}

/// Counts blocks per tag for tags `from .. from + CENSUS_PAGE`, into
/// `out`. Returns how many entries were written (tags without blocks are
/// skipped) and the next tag to ask for (0: no block has a higher tag).
pub fn census(heap: &Heap, from: u8, out: &mut [TypeCount; CENSUS_PAGE]) -> (usize, u8) {
    let mut counts = [(0u32, 0u32); CENSUS_PAGE];
    let from = u32::from(from);
    let end = from + CENSUS_PAGE as u32;
    let mut more = false;
    for (_, tag, size) in heap.blocks() {
        if tag >= end {
            more = true;
        } else if let Some(c) = tag
            .checked_sub(from)
            .and_then(|i| counts.get_mut(i as usize))
        {
            c.0 += 1;
            c.1 = c.1.saturating_add((size * 4) as u32);
        }
    }
    let mut n = 0;
    for (i, &(count, bytes)) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        if let Some(slot) = out.get_mut(n) {
            *slot = TypeCount {
                tag: (from + i as u32) as u8,
                count,
                bytes,
            };
            n += 1;
        }
    }
    // Tags are 7 bits, so `end` is at most 127 + 16 and fits a u8.
    let next = if more {
        end.min(u8::MAX as u32) as u8
    } else {
        0
    };
    (n, next)
}

/// The block map from arena word `from`, with adjacent blocks of one tag
/// merged, into `out`. Returns the runs written and the word to continue
/// from (0: the arena ended). A `from` inside a block (during a run, blocks
/// merge and split between two pages) counts that block's words from
/// `from` on, so the pages still tile the arena exactly.
pub fn walk(heap: &Heap, from: u32, out: &mut [BlockRun; WALK_PAGE]) -> (usize, u32) {
    let from = from as usize;
    let mut n = 0usize;
    for (w, tag, size) in heap.blocks() {
        if w + size <= from {
            continue;
        }
        let tag = tag as u8;
        let words = (w + size - w.max(from)) as u32;
        match n.checked_sub(1).and_then(|i| out.get_mut(i)) {
            Some(last) if last.tag == tag => {
                last.blocks += 1;
                last.words = last.words.saturating_add(words);
                continue;
            }
            _ => {}
        }
        match out.get_mut(n) {
            Some(slot) => {
                *slot = BlockRun {
                    tag,
                    blocks: 1,
                    words,
                };
                n += 1;
            }
            None => return (n, w as u32),
        }
    }
    (n, 0)
}

/// The largest live blocks, largest first: `(word, tag, size in words)`.
/// Returns how many were found (at most `LARGEST`).
pub fn largest(heap: &Heap, out: &mut [(usize, u32, usize); LARGEST]) -> usize {
    let mut n = 0usize;
    for (w, tag, size) in heap.blocks() {
        if tag == FREE {
            continue;
        }
        // Insertion into a short sorted list: find the first smaller entry.
        let at = out
            .iter()
            .take(n)
            .position(|&(_, _, s)| s < size)
            .unwrap_or(n);
        if at >= LARGEST {
            continue;
        }
        n = (n + 1).min(LARGEST);
        // Shift the smaller ones down; `at < n <= LARGEST` bounds both ranges.
        out.copy_within(at..n - 1, at + 1);
        if let Some(slot) = out.get_mut(at) {
            *slot = (w, tag, size);
        }
    }
    n
}

/// The first payload bytes of the block at `word` of `size` words (at most
/// `max`), for a short repr on the host.
pub fn head<'h>(heap: &'h Heap, word: usize, size: usize, max: usize) -> &'h [u8] {
    let start = (word + 1) * 4;
    let end = ((word + size) * 4).min(start + max);
    heap.bytes().get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heap_with(arena: &mut [u32]) -> Heap<'_> {
        let mut h = Heap::new(arena);
        // Three blocks: STR(3) of 4 words, LIST(5) of 3, STR of 6; rest free.
        h.alloc(3, 4).unwrap();
        h.alloc(5, 3).unwrap();
        h.alloc(3, 6).unwrap();
        h
    }

    #[test]
    fn census_counts_blocks_and_bytes_per_tag() {
        let mut arena = [0u32; 64];
        let h = heap_with(&mut arena);
        let mut out = [TypeCount {
            tag: 0,
            count: 0,
            bytes: 0,
        }; CENSUS_PAGE];
        let (n, next) = census(&h, 0, &mut out);
        assert_eq!(next, 0);
        let got: Vec<_> = out[..n].iter().map(|t| (t.tag, t.count, t.bytes)).collect();
        assert_eq!(got, vec![(0, 1, 4 * (63 - 13)), (3, 2, 40), (5, 1, 12)]);
        // A page past every tag is empty.
        assert_eq!(census(&h, 16, &mut out), (0, 0));
        // A page that stops below a present tag says where to go on.
        let (n, _) = census(&h, 4, &mut out);
        assert_eq!(out[..n].iter().map(|t| t.tag).collect::<Vec<_>>(), vec![5]);
    }

    #[test]
    fn walk_merges_runs_and_pages() {
        let mut arena = [0u32; 128];
        let mut h = Heap::new(&mut arena);
        for _ in 0..(WALK_PAGE + 5) {
            h.alloc(3, 2).unwrap();
            h.alloc(5, 2).unwrap();
        }
        let mut out = [BlockRun {
            tag: 0,
            blocks: 0,
            words: 0,
        }; WALK_PAGE];
        let (n, next) = walk(&h, 1, &mut out);
        assert_eq!(n, WALK_PAGE);
        assert_ne!(next, 0);
        let mut total: u32 = out.iter().map(|r| r.words).sum();
        let mut from = next;
        while from != 0 {
            let (n, next) = walk(&h, from, &mut out);
            total += out[..n].iter().map(|r| r.words).sum::<u32>();
            from = next;
        }
        assert_eq!(total, 127, "the pages tile the arena");
    }

    #[test]
    fn a_walk_from_inside_a_block_counts_the_rest_of_it() {
        // As after a merge between two pages of a live heap's map.
        let mut arena = [0u32; 64];
        let h = heap_with(&mut arena);
        let mut out = [BlockRun {
            tag: 0,
            blocks: 0,
            words: 0,
        }; WALK_PAGE];
        let (n, next) = walk(&h, 3, &mut out);
        assert_eq!(next, 0);
        let got: Vec<_> = out[..n].iter().map(|r| (r.tag, r.words)).collect();
        // The free block at word 1 (50 words; allocation takes from the
        // end of a free block), then the three objects.
        assert_eq!(got, vec![(0, 48), (3, 6), (5, 3), (3, 4)]);
    }

    #[test]
    fn largest_come_first() {
        let mut arena = [0u32; 64];
        let h = heap_with(&mut arena);
        let mut out = [(0, 0, 0); LARGEST];
        let n = largest(&h, &mut out);
        assert_eq!(n, 3);
        assert_eq!(
            out[..n].iter().map(|&(_, t, s)| (t, s)).collect::<Vec<_>>(),
            vec![(3, 6), (3, 4), (5, 3)]
        );
        assert_eq!(head(&h, out[0].0, out[0].2, 8).len(), 8);
    }
}
