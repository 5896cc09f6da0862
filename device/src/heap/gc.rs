//! Mark-sweep garbage collection with a bounded mark stack.
//!
//! Marking never recurses on the machine stack (a 10,000-long chain of
//! lists must not overflow a microcontroller's few KiB of stack). Reached
//! blocks are marked and pushed on a fixed [`Marker`] stack of
//! [`MARK_STACK`] entries; popping one scans its value words. When the stack
//! is full, the block stays marked but unscanned and the overflow flag is
//! set; after the stack drains, the whole heap is rescanned for marked
//! blocks and their children are marked (as MicroPython's `py/gc.c`
//! `gc_deal_with_stack_overflow`). Memory stays bounded; deep graphs cost
//! extra rescans only.
//!
//! Which words of a block hold values is decided by its tag alone
//! ([`value_words`]); raw words (lengths, hashes, bytes) are never
//! mistaken for references.

use super::{Heap, Value};
use crate::obj::tag;
use crate::vm::frame;

/// Entries in the mark stack.
pub const MARK_STACK: usize = 64;

/// The mark stack.
pub struct Marker {
    stack: [u32; MARK_STACK],
    len: usize,
    overflow: bool,
}

impl Default for Marker {
    fn default() -> Self {
        Marker {
            stack: [0; MARK_STACK],
            len: 0,
            overflow: false,
        }
    }
}

/// The range `[start, end)` of word offsets (from the block start) that hold
/// values, for the block at `w`. Dict entry arrays are handled separately
/// (every third word is a hash).
pub fn value_words(heap: &Heap, w: usize) -> (usize, usize) {
    let size = heap.size(w);
    match heap.tag(w) {
        tag::TUPLE => (2, size),
        tag::LIST => (2, 3),
        tag::ARRAY => (1, size),
        tag::DICT | tag::SET | tag::FROZENSET => (3, 5),
        tag::FUNC => (crate::obj::func::FUNC_VALUES, size),
        tag::CELL => (1, 2),
        tag::BOUND => (1, 3),
        tag::ITER => (3, 4),
        tag::ENUMERATE => (2, 3),
        tag::ZIP | tag::MAP => (1, size),
        tag::EXC => (2, 6),
        tag::CLASS => (2, 5),
        // An instance's native base, if it has one, is its fourth word.
        tag::INST => (1, size),
        tag::SUPER => (1, 3),
        tag::WRAP => (2, 4),
        tag::GEN | tag::BYTEARRAY => (1, 2),
        tag::MODULE => (1, 3),
        tag::FRAME => {
            let sp = heap.w(w + frame::SP) as usize;
            (frame::BACK, sp.saturating_sub(w).min(size))
        }
        tag::IMAGE => (4, 8),
        tag::SLICE => (1, 4),
        tag::DICTVIEW => (2, 3),
        tag::FILE => (2, 3),
        _ => (0, 0),
    }
}

impl Heap<'_> {
    /// The values the block at `w` holds (a dict's entries without their
    /// hashes), as the collector scans them.
    pub fn values_of(&self, w: usize) -> impl Iterator<Item = Value> + '_ {
        let entries = self.tag(w) == tag::ENTRIES;
        let (a, b) = if entries {
            (1, self.size(w))
        } else {
            value_words(self, w)
        };
        (a..b)
            .filter(move |i| !entries || (i - 1) % 3 < 2)
            .map(move |i| self.v(w + i))
    }

    /// Marks `v` if it is an unmarked heap reference and queues it for
    /// scanning.
    #[inline]
    pub fn mark(&mut self, m: &mut Marker, v: Value) {
        if !v.is_obj() {
            return;
        }
        let w = v.word();
        if w >= self.arena.len() || self.marked(w) {
            return;
        }
        self.set_mark(w);
        if m.len < MARK_STACK {
            m.stack[m.len] = w as u32;
            m.len += 1;
        } else {
            m.overflow = true;
        }
    }

    fn scan(&mut self, m: &mut Marker, w: usize) {
        if self.tag(w) == tag::ENTRIES {
            let size = self.size(w);
            let mut i = 1;
            while i + 1 < size {
                let (k, v) = (self.v(w + i), self.v(w + i + 1));
                self.mark(m, k);
                self.mark(m, v);
                i += 3;
            }
            return;
        }
        let (a, b) = value_words(self, w);
        for i in a..b {
            let v = self.v(w + i);
            self.mark(m, v);
        }
    }

    /// Scans queued blocks until the stack is empty, then deals with any
    /// overflow by rescanning the heap for marked blocks.
    pub fn drain(&mut self, m: &mut Marker) {
        loop {
            while m.len > 0 {
                m.len -= 1;
                let w = m.stack[m.len] as usize;
                self.scan(m, w);
            }
            if !m.overflow {
                return;
            }
            m.overflow = false;
            let end = self.arena.len();
            let mut w = 1;
            while w < end {
                let size = self.size(w).max(1);
                if self.tag(w) != super::FREE && self.marked(w) {
                    self.scan(m, w);
                    while m.len > 0 {
                        m.len -= 1;
                        let c = m.stack[m.len] as usize;
                        self.scan(m, c);
                    }
                }
                w += size;
            }
        }
    }
}
