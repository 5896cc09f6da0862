//! The heap: a fixed arena of words handed over by the port, carved into
//! blocks, with free-list allocation and a mark-sweep collector ([`gc`]).
//!
//! ## Blocks
//! Every object is a word-aligned block that starts with a header word:
//!
//! ```text
//!  31                          8 7 6     0
//! ┌─────────────────────────────┬─┬───────┐
//! │ size in words (with header) │M│  tag  │   M = mark bit (set only during a collection)
//! └─────────────────────────────┴─┴───────┘
//! ```
//!
//! Blocks tile the arena from word 1 to the end: walking `w += size(w)`
//! visits every block, live or free. Word 0 is never allocated, so a heap
//! reference (the byte offset `4 * w`) is never 0 and 0 can mean NULL.
//! The smallest block is 2 words.
//!
//! ## Free blocks and allocation
//! A free block has tag [`FREE`] and the word index of the next free block
//! of its list in word 1 (0 ends the list). Blocks of 2..=[`SMALL`] words
//! sit in one exact-size list per size (O(1) allocation for the many tiny
//! objects: boxed ints, cells, iterators, frames of small functions); larger
//! ones in one general list searched first-fit. (32 words covers the
//! frames of small functions, allocated and freed on every call.) A block taken from the
//! general list is split and the rest stays free. `free` (used to release
//! frames of returning calls eagerly) pushes a block on its list without
//! coalescing; the collector's sweep rebuilds all lists from scratch and
//! merges every run of adjacent free blocks.
//!
//! Allocation returns a block whose payload is zero (all NULL), so a
//! collection in the middle of filling an object is always safe.

pub mod census;
pub mod gc;
pub mod value;

pub use value::Value;

/// Tag of a free block (shared with the host's inspector).
pub use p14p_protocol::heap::FREE;
/// Largest block size (in words) with an exact-size free list.
pub const SMALL: usize = 32;

const MARK: u32 = 1 << 7;

/// `small`'s slot of the collection policy (see [`Heap`]).
const POLICY: usize = 0;
/// `small`'s slot of the words allocated since the last collection.
const ALLOCATED: usize = 1;
/// The policy's bit for automatic collection off (`gc.disable()`).
const DISABLED: u32 = 1 << 31;
/// The policy's threshold field for no threshold (`gc.threshold(-1)`,
/// the default): more words than any arena has.
pub const NO_LIMIT: u32 = DISABLED - 1;

/// The boot threshold is the heap over this: a collection after every
/// quarter of the heap allocated, where MicroPython waits for a full heap.
/// Collected only when full, a non-moving heap has the survivors of a
/// whole heap's worth of garbage scattered over all of it, and a growing
/// list soon finds no hole to grow into: a loop appending a 48-byte str
/// per 12 temporary ints got `MemoryError` at 200 items on a 64 KiB heap
/// (12 KiB in use) and 400 on 192 KiB; with this threshold, at 512 and
/// 2,048. It costs 0.4% more instructions over the benchmarks
/// (`scripts/instructions.sh`; `objects` +2.6%). `gc.threshold(-1)`
/// restores MicroPython's policy.
pub const BOOT_THRESHOLD_SHARE: usize = 4;
const TAG_MASK: u32 = 0x7F;

/// Heap exhausted (even after a collection, when the caller collected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oom;

/// The arena and its free lists.
///
/// `repr(C)` with the arena reference first: it is read on every heap
/// access, and the VM embeds the heap near its start, so the reference
/// sits where a 16-bit Cortex-M load reaches it (see [`crate::vm::Vm`]).
#[repr(C)]
pub struct Heap<'a> {
    /// The arena. Word 0 is never allocated (offset 0 is `NULL`).
    pub arena: &'a mut [u32],
    big: u32,
    /// Collections run.
    pub gc_runs: u32,
    /// Microseconds the last collection took.
    pub gc_last_us: u32,
    /// The exact-size free lists' heads, by size: `small[2..]`. No block
    /// is smaller than 2 words, so the first two slots hold the collection
    /// policy of `gc` instead (no static RAM of their own):
    ///
    /// ```text
    /// small[POLICY]     31 30                             0
    ///                  ┌──┬───────────────────────────────┐
    ///                  │D │ threshold in words (NO_LIMIT) │   D = gc.disable()d
    ///                  └──┴───────────────────────────────┘
    /// small[ALLOCATED]  words allocated since the last collection
    /// ```
    ///
    /// One compare, `allocated >= policy`, decides a threshold collection
    /// ([`Heap::charge`]): `NO_LIMIT` (no threshold) and the `D` bit both
    /// put the policy above any count a collection leaves time to reach.
    small: [u32; SMALL + 1],
    /// Microseconds spent collecting, as the VM's clock measured them (0
    /// without one); like `gc_runs`, kept across [`Heap::clear`]. Last:
    /// 8-aligned at offset 152, it leaves no padding on 32-bit targets.
    pub gc_us: u64,
}

impl<'a> Heap<'a> {
    /// Takes over `arena` and makes all of it (but word 0) one free block.
    pub fn new(arena: &'a mut [u32]) -> Heap<'a> {
        let mut h = Heap::unstarted(arena);
        h.clear();
        h
    }

    /// The heap over `arena` before [`Heap::clear`] makes it usable: all
    /// zeros but the arena reference, so a VM built in place in a port's
    /// static compiles to a memory clear ([`crate::vm::Vm::unstarted`]).
    #[inline(always)]
    pub const fn unstarted(arena: &'a mut [u32]) -> Heap<'a> {
        Heap {
            arena,
            small: const { [0; SMALL + 1] },
            big: 0,
            gc_runs: 0,
            gc_us: 0,
            gc_last_us: 0,
        }
    }

    /// Frees everything, and puts the collection policy back to the one at
    /// boot: enabled, with a threshold of a quarter of the heap
    /// ([`BOOT_THRESHOLD_SHARE`]).
    pub fn clear(&mut self) {
        self.small = [0; SMALL + 1];
        self.small[POLICY] = (self.arena.len() / BOOT_THRESHOLD_SHARE) as u32;
        self.big = 0;
        let n = self.arena.len();
        if n >= 3 {
            self.arena[0] = 0;
            self.push_free(1, n - 1);
        }
    }

    /// Header of the block at `w`.
    #[inline(always)]
    pub fn tag(&self, w: usize) -> u32 {
        self.w(w) & TAG_MASK
    }

    /// Size in words (with header) of the block at `w`.
    #[inline(always)]
    pub fn size(&self, w: usize) -> usize {
        (self.w(w) >> 8) as usize
    }

    /// Is the block at `w` marked?
    #[inline(always)]
    pub fn marked(&self, w: usize) -> bool {
        self.w(w) & MARK != 0
    }

    /// Sets the mark bit of the block at `w`.
    #[inline(always)]
    pub fn set_mark(&mut self, w: usize) {
        self.arena[w] |= MARK;
    }

    /// Clears the mark bit of the block at `w`.
    #[inline(always)]
    pub fn clear_mark(&mut self, w: usize) {
        self.arena[w] &= !MARK;
    }

    /// Word `i` of the arena (absolute index); 0 (NULL, a free block's
    /// header) outside it.
    ///
    /// Total rather than indexing: an index the VM computed from a value an
    /// image shaped (a mistyped operand, a corrupt length) reads a harmless
    /// 0 instead of panicking, and on Cortex-M a conditional load is
    /// smaller than a bounds check that branches to a panic site.
    #[inline(always)]
    pub fn w(&self, i: usize) -> u32 {
        self.arena.get(i).copied().unwrap_or(0)
    }

    /// Word `i` as a value (NULL outside the arena, see [`Heap::w`]).
    #[inline(always)]
    pub fn v(&self, i: usize) -> Value {
        Value(self.w(i))
    }

    /// Sets word `i` (nothing outside the arena, see [`Heap::w`]). Out
    /// of line on the boards (no OS): a call is smaller than the inlined
    /// bounds-checked store at its ~500 sites (0.6 KiB of flash); the
    /// dispatch loop's and the frames' stores take [`Heap::set_hot`]. The
    /// simulator inlines it: out of line, its optimiser lost ~10% on the
    /// benchmarks (dict and list stores).
    #[cfg_attr(target_os = "none", inline(never))]
    #[cfg_attr(not(target_os = "none"), inline(always))]
    pub fn set(&mut self, i: usize, x: u32) {
        self.set_hot(i, x);
    }

    /// [`Heap::set`] inlined, for the dispatch loop.
    #[inline(always)]
    pub fn set_hot(&mut self, i: usize, x: u32) {
        if let Some(s) = self.arena.get_mut(i) {
            *s = x;
        }
    }

    /// Sets word `i` to a value (nothing outside the arena).
    #[inline(always)]
    pub fn setv(&mut self, i: usize, v: Value) {
        self.set(i, v.0);
    }

    /// Words `at..at + N` as an array: one bounds check for a whole run of
    /// fields (a frame header, a function's code words) instead of one per
    /// word. None only if the run leaves the arena, which no block does.
    #[inline(always)]
    pub fn words<const N: usize>(&self, at: usize) -> Option<&[u32; N]> {
        self.arena.get(at..at.checked_add(N)?)?.try_into().ok()
    }

    /// [`Heap::words`], mutable.
    #[inline(always)]
    pub fn words_mut<const N: usize>(&mut self, at: usize) -> Option<&mut [u32; N]> {
        self.arena.get_mut(at..at.checked_add(N)?)?.try_into().ok()
    }

    /// The arena as bytes.
    #[inline(always)]
    pub fn bytes(&self) -> &[u8] {
        bytemuck::cast_slice(self.arena)
    }

    /// The arena as mutable bytes.
    #[inline(always)]
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        bytemuck::cast_slice_mut(self.arena)
    }

    /// Byte `i` of the arena.
    #[inline(always)]
    pub fn byte(&self, i: usize) -> u8 {
        self.bytes().get(i).copied().unwrap_or(0)
    }

    /// Arena size in bytes.
    pub fn total_bytes(&self) -> u32 {
        (self.arena.len() * 4) as u32
    }

    /// Counts `words` about to be allocated for the program; true when
    /// the words counted before them reached the threshold, so the VM
    /// collects first (MicroPython's `gc_alloc_amount >=
    /// gc_alloc_threshold`). Never with automatic collection off.
    #[inline(always)]
    pub fn charge(&mut self, words: usize) -> bool {
        let n = self.small[ALLOCATED];
        self.small[ALLOCATED] = n.wrapping_add(words as u32);
        n >= self.small[POLICY]
    }

    /// Restarts the count at `words` after a threshold was reached
    /// ([`Heap::charge`]): a collection restarts it at 0 and the charge
    /// that found the threshold reached counts after it. Also what a
    /// count that wrapped past the policy (billions of words without a
    /// collection) comes to.
    pub fn recharge(&mut self, words: usize) {
        self.small[ALLOCATED] = words as u32;
    }

    /// Is automatic collection on (`gc.isenabled()`)?
    pub fn auto_collect(&self) -> bool {
        self.small[POLICY] & DISABLED == 0
    }

    /// Turns automatic collection on or off (`gc.enable()`,
    /// `gc.disable()`): off, an allocation the heap cannot satisfy raises
    /// `MemoryError` without collecting, and no threshold collects.
    pub fn set_auto_collect(&mut self, on: bool) {
        let p = self.small[POLICY] & !DISABLED;
        self.small[POLICY] = if on { p } else { p | DISABLED };
    }

    /// The threshold in words ([`NO_LIMIT`]: none).
    pub fn threshold(&self) -> u32 {
        self.small[POLICY] & !DISABLED
    }

    /// Sets the threshold in words ([`NO_LIMIT`] or more: none).
    pub fn set_threshold(&mut self, words: u32) {
        let d = self.small[POLICY] & DISABLED;
        self.small[POLICY] = d | words.min(NO_LIMIT);
    }

    fn push_free(&mut self, w: usize, size: usize) {
        self.arena[w] = ((size as u32) << 8) | FREE;
        if size <= SMALL {
            self.arena[w + 1] = self.small[size];
            self.small[size] = w as u32;
        } else {
            self.arena[w + 1] = self.big;
            self.big = w as u32;
        }
    }

    /// Allocates a block of `words` words (header included, at least 2)
    /// tagged `tag`, with a zero payload. Does not collect.
    pub fn alloc(&mut self, tag: u32, words: usize) -> Result<usize, Oom> {
        self.alloc_part(tag, words, 1..usize::MAX)
    }

    /// Like [`Heap::alloc`], but zeroes only the payload words in `zero`
    /// (block-relative, cut at the block's end): for frames, whose header
    /// the caller writes at once and whose value stack above `SP` the
    /// collector never reads, so zeroing them on every call would be
    /// wasted work.
    #[inline]
    pub fn alloc_part(
        &mut self,
        tag: u32,
        words: usize,
        zero: core::ops::Range<usize>,
    ) -> Result<usize, Oom> {
        // The common case inline: the exact-size list has a block (a frame
        // of a function called before, a freed object of the same size).
        let w = match self.small.get(words) {
            Some(&w) if w != 0 && words >= 2 => {
                let w = w as usize;
                self.small[words] = self.arena.get(w + 1).copied().unwrap_or(0);
                w
            }
            _ => self.take(words.max(2)).ok_or(Oom)?,
        };
        let size = self.size(w);
        self.arena[w] = ((size as u32) << 8) | tag;
        let end = zero.end.min(size);
        let start = zero.start.min(end);
        // No call for an empty range (a frame whose locals are all bound).
        if start < end {
            if let Some(z) = self.arena.get_mut(w + start..w + end) {
                z.fill(0);
            }
        }
        Ok(w)
    }

    /// Finds a free block of at least `words`, unlinks it and splits off
    /// the rest; the result's header holds its (possibly one word larger)
    /// size.
    fn take(&mut self, words: usize) -> Option<usize> {
        if words <= SMALL && self.small[words] != 0 {
            let w = self.small[words] as usize;
            self.small[words] = self.arena[w + 1];
            return Some(w);
        }
        // First fit in the general list: allocate from the block's tail so
        // the head stays linked in place when it is still big.
        let mut prev = 0usize;
        let mut cur = self.big as usize;
        while cur != 0 {
            let size = self.size(cur);
            let next = self.arena[cur + 1] as usize;
            if size >= words {
                let rest = size - words;
                if rest > SMALL {
                    self.arena[cur] = ((rest as u32) << 8) | FREE;
                    let w = cur + rest;
                    self.arena[w] = (words as u32) << 8;
                    return Some(w);
                }
                if prev == 0 {
                    self.big = next as u32;
                } else {
                    self.arena[prev + 1] = next as u32;
                }
                return Some(self.split(cur, size, words));
            }
            prev = cur;
            cur = next;
        }
        // Split a larger small block.
        for s in (words + 2).max(2)..=SMALL {
            if self.small[s] != 0 {
                let w = self.small[s] as usize;
                self.small[s] = self.arena[w + 1];
                return Some(self.split(w, s, words));
            }
        }
        None
    }

    /// `w` (of `size`, unlinked) becomes a block of `words`; a remainder of
    /// 2 or more words goes back to a free list, 1 word stays attached.
    fn split(&mut self, w: usize, size: usize, words: usize) -> usize {
        let rest = size - words;
        if rest >= 2 {
            self.push_free(w + words, rest);
            self.arena[w] = (words as u32) << 8;
        } else {
            self.arena[w] = (size as u32) << 8;
        }
        w
    }

    /// Shrinks the block at `w` to `words` (at least 2, header included):
    /// the rest goes back to a free list (a lone word stays attached). For
    /// a buffer that grew past what it finally holds (a rendered str).
    pub fn shrink(&mut self, w: usize, words: usize) {
        let (size, tag) = (self.size(w), self.tag(w));
        if words >= 2 && words < size {
            self.split(w, size, words);
            self.arena[w] |= tag;
        }
    }

    /// Returns the block at `w` to the free lists at once (no coalescing
    /// until the next sweep). The caller guarantees nothing refers to it.
    pub fn free(&mut self, w: usize) {
        let size = self.size(w);
        self.push_free(w, size);
    }

    /// Walks all blocks: `(word, tag, size)`.
    pub fn blocks(&self) -> impl Iterator<Item = (usize, u32, usize)> + '_ {
        let mut w = 1usize;
        let end = self.arena.len();
        core::iter::from_fn(move || {
            if w >= end || end < 3 {
                return None;
            }
            let size = self.size(w).max(1);
            let r = (w, self.tag(w), size);
            w += size;
            Some(r)
        })
    }

    /// Free bytes and the largest free block, in bytes, and live objects.
    pub fn census(&self) -> (u32, u32, u32) {
        let (mut free, mut largest, mut objects) = (0usize, 0usize, 0u32);
        for (_, tag, size) in self.blocks() {
            if tag == FREE {
                free += size;
                largest = largest.max(size);
            } else {
                objects += 1;
            }
        }
        ((free * 4) as u32, (largest * 4) as u32, objects)
    }

    /// Sweeps: frees every unmarked block, clears marks, merges adjacent
    /// free blocks and rebuilds the free lists.
    pub fn sweep(&mut self) {
        // The lists only: the policy stays; the count starts again.
        self.small[ALLOCATED..].fill(0);
        self.big = 0;
        let end = self.arena.len();
        let mut w = 1usize;
        let mut run = 0usize; // start of the current free run (0: none)
        while w < end {
            let size = self.size(w).max(1);
            let live = self.tag(w) != FREE && self.marked(w);
            if live {
                self.clear_mark(w);
                if run != 0 {
                    self.push_free(run, w - run);
                    run = 0;
                }
            } else if run == 0 {
                run = w;
            }
            w += size;
        }
        if run != 0 {
            self.push_free(run, end - run);
        }
        self.gc_runs = self.gc_runs.wrapping_add(1);
    }
}

/// Two words as one `u64` in a register pair. An `Option<(usize, usize)>`
/// is three words, which the ARM calling convention returns through
/// memory: the caller reserves a stack slot, passes its address and loads
/// the words back at each call. `Option<NonZeroU64>` comes back in r0:r1.
/// `a` must not be 0 (a heap index past word 0, the arena's reserved
/// word), which makes the `None` for `a == 0` unreachable.
#[inline(always)]
pub(crate) fn pack(a: usize, b: usize) -> Option<core::num::NonZeroU64> {
    core::num::NonZeroU64::new((a as u32 as u64) | ((b as u32 as u64) << 32))
}

/// The pair [`pack`] made.
#[inline(always)]
pub(crate) fn unpack(p: core::num::NonZeroU64) -> (usize, usize) {
    (p.get() as u32 as usize, (p.get() >> 32) as u32 as usize)
}
