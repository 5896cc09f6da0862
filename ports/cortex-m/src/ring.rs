//! [`Ring`]: the UART receive ring between a receive interrupt and the
//! main loop.
//!
//! ```text
//!  UART RX ─ISR─► Ring [head (ISR writes) .. tail (main writes)] ─read─► link
//! ```
//!
//! Single-producer (the interrupt, [`Ring::fill`]) single-consumer (the
//! main loop, [`Ring::read`]): each index is written by one side only, and
//! the byte slots are atomics, so it needs neither `unsafe` nor a critical
//! section (nor the atomic read-modify-writes the Cortex-M0 lacks). The
//! indices count bytes ever written and taken, wrapping; `N` is a power of
//! two so that the wrap keeps `index % N` continuous.

use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// A receive ring of `N` bytes (`N` a power of two).
///
/// The indices come first: Thumb-1 loads reach a word at most 124 bytes
/// past a base register, so behind 256 slots each would cost an add.
#[repr(C)]
pub struct Ring<const N: usize> {
    /// Bytes ever written into the ring (the interrupt's index).
    head: AtomicUsize,
    /// Bytes ever taken out (the main loop's index).
    tail: AtomicUsize,
    slots: [AtomicU8; N],
}

impl<const N: usize> Ring<N> {
    /// An empty ring, for a `static`.
    pub const fn new() -> Self {
        assert!(N.is_power_of_two());
        Ring {
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
            slots: [const { AtomicU8::new(0) }; N],
        }
    }

    /// Main loop: takes received bytes into `buf` without blocking;
    /// returns how many.
    pub fn read(&self, buf: &mut [u8]) -> usize {
        let head = self.head.load(Ordering::Acquire);
        let mut tail = self.tail.load(Ordering::Relaxed);
        let mut n = 0;
        for slot in buf.iter_mut() {
            if tail == head {
                break;
            }
            *slot = self.slots[tail % N].load(Ordering::Relaxed);
            tail = tail.wrapping_add(1);
            n += 1;
        }
        self.tail.store(tail, Ordering::Release);
        n
    }

    /// True if received bytes are waiting.
    pub fn pending(&self) -> bool {
        self.head.load(Ordering::Acquire) != self.tail.load(Ordering::Relaxed)
    }

    /// Interrupt: while `ready()`, moves the byte `take()` returns into the
    /// ring. Stops when the ring is full, leaving the rest in the UART's
    /// own FIFO, and then returns `true`: the interrupt should mask itself
    /// until the main loop has read ([`Ring::read`]) and turns it back on.
    ///
    /// Why not drop what does not fit: the byte that arrives next is lost
    /// either way on silicon (the hardware FIFO overruns, which the UART
    /// flags), but an emulator's UART has no line rate and stops taking
    /// bytes from its socket while its FIFO is full; a ring that drops
    /// would lose bytes there on every burst larger than itself (QEMU's
    /// LM3S6965 lost 48 KB over one conformance run, each loss a retried
    /// frame and now and then a transfer that gave up).
    #[inline(always)]
    pub fn fill(&self, mut ready: impl FnMut() -> bool, mut take: impl FnMut() -> u8) -> bool {
        let tail = self.tail.load(Ordering::Acquire);
        let mut head = self.head.load(Ordering::Relaxed);
        let mut full = false;
        while ready() {
            if head.wrapping_sub(tail) >= N {
                full = true;
                break;
            }
            self.slots[head % N].store(take(), Ordering::Relaxed);
            head = head.wrapping_add(1);
        }
        self.head.store(head, Ordering::Release);
        full
    }
}

impl<const N: usize> Default for Ring<N> {
    fn default() -> Self {
        Self::new()
    }
}
