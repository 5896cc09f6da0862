//! UART0: the link to the host, 115200 8N1 on PA0 (U0Rx) / PA1 (U0Tx).
//!
//! Transmit is a blocking write into the PL011's transmit FIFO. Receive is
//! interrupt driven: the UART0 interrupt moves every byte from the 16-byte
//! receive FIFO into [`RX`], and [`read`] takes them from there. The link
//! only reads between requests and VM slices, so on silicon a polled FIFO
//! (1.4 ms of line time) would overrun; the ring only has to cover the
//! longest stretch in which the link reads nothing (see [`RING_LEN`]), not
//! a whole frame: the link's frame decoder holds that.
//!
//! ```text
//!  UART0 RX FIFO ─ISR─► RX [head (ISR writes) .. tail (main writes)] ─read─► link
//! ```
//!
//! The ring ([`p14p_cortex_m::ring::Ring`]) is single-producer (the
//! interrupt) single-consumer (the main loop), so it needs neither
//! `unsafe` nor a critical section.
//!
//! When the ring is full the interrupt masks itself and leaves bytes in
//! the FIFO until [`read`] makes room. On silicon that is 16 more bytes of
//! buffer before an overrun; under QEMU it is flow control, since QEMU
//! stops taking bytes from the TCP socket while the FIFO is full, and its
//! UART has no line rate (a ring that dropped lost bytes on every burst).
//! [`DROPPED`] counts FIFO overruns (always 0 under QEMU); SRAM is
//! peekable, so the host reads it at the address `nm` gives for it (see
//! README.md).

use crate::mmio::{gpioa, nvic, sysctl, uart0};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use p14p_cortex_m::ring::Ring;

/// The UART0 interrupt's number (its NVIC line).
pub const IRQ: usize = 5;

/// Receive ring size in bytes (a power of two): 11 ms of line time at
/// 115200 baud (11.5 bytes a millisecond; a full 300-byte frame takes
/// 26 ms).
///
/// The link drains the ring into its frame decoder whenever it polls: all
/// the time when idle, every `POLL_EVERY` VM instructions while a program
/// runs (well under a millisecond, a collection of the whole heap a few).
/// It reads nothing while it handles one request and sends its reply, and
/// that is what the ring must cover: the host then has at most one more
/// request in flight (`WINDOW` = 2 chunk frames), whose bytes arrive
/// meanwhile. Handling a chunk takes well under a millisecond here (the
/// store is SRAM; its two bitwise CRCs over 286 bytes are ~25k cycles at
/// 50 MHz), on the micro:bit's flash ~3.3 ms (72 word writes of 46 µs)
/// plus ~1 ms of CRCs at 16 MHz, and its `Ack` another millisecond on
/// the wire: under 60 bytes arrive. Replies block on the transmit FIFO
/// for as long as they take on the wire, up to 26 ms for a full frame,
/// but only to requests the host waits for (`Hello`, `Peek`, store reads,
/// heap views: nothing else is in flight) or, during a run, `Output`
/// frames, next to which the host sends only single small requests
/// (`Interrupt`, inspection: ~10-20 bytes). What a ring cannot cover is a
/// collection of the store on real flash (a page erase, and a walk of the
/// log per live record of the page): bytes lost there, or anywhere, are
/// counted in [`DROPPED`] and cost one retry of their frame (its CRC
/// fails), never a wrong request. (It was 1 KiB, the host's two chunk
/// frames in full, then 256 bytes.)
pub const RING_LEN: usize = 128;

/// Line rate on silicon (QEMU ignores the divisor).
const BAUD: u32 = 115_200;

/// `FR` bits.
const FR_RXFE: u32 = 1 << 4;
const FR_TXFF: u32 = 1 << 5;
/// Transmitting: the FIFO or the shift register still holds bits.
const FR_BUSY: u32 = 1 << 3;
/// `DR` error bits on a received byte (framing, parity, break, overrun).
const DR_OE: u32 = 1 << 11;
/// `LCRH`: 8 data bits, FIFOs on.
const LCRH_8N1_FIFO: u32 = (0b11 << 5) | (1 << 4);
/// `CTL`: UART, transmit and receive enable.
const CTL_ENABLE: u32 = 1 | (1 << 8) | (1 << 9);
/// `IM`/`ICR`: receive and receive-timeout interrupts.
const INT_RX: u32 = (1 << 4) | (1 << 6);

/// Received bytes ([`p14p_cortex_m::ring`]).
static RX: Ring<RING_LEN> = Ring::new();
/// Bytes lost: the FIFO overran (on silicon, while the ring was full).
static DROPPED: AtomicU32 = AtomicU32::new(0);
/// The interrupt masked itself on a full ring; [`read`] unmasks it.
static PAUSED: AtomicBool = AtomicBool::new(false);

/// Brings UART0 up at [`BAUD`] for a system clock of `sysclk_hz`: clock
/// gates, pin muxing, divisor, FIFOs, receive interrupt.
pub fn init(sysclk_hz: u32) {
    sysctl::RCGC1.set_bits(1); // UART0
    sysctl::RCGC2.set_bits(1); // GPIOA, for the pins
                               // A few cycles must pass after gating a clock on before the block
                               // answers (datasheet §6.3); the reads below are enough.
    let _ = sysctl::RCGC2.read();
    gpioa::AFSEL.set_bits(0b11);
    gpioa::DEN.set_bits(0b11);

    uart0::CTL.write(0);
    // Divisor = sysclk / (16 × baud) in 1/64ths, rounded.
    let div64 = (sysclk_hz * 4 + BAUD / 2) / BAUD;
    uart0::IBRD.write(div64 / 64);
    uart0::FBRD.write(div64 % 64);
    uart0::LCRH.write(LCRH_8N1_FIFO);
    uart0::ICR.write(INT_RX);
    uart0::IM.write(INT_RX);
    uart0::CTL.write(CTL_ENABLE);
    nvic::ISER0.write(1 << IRQ);
}

/// True once [`init`] has clocked and enabled UART0 (the fault handlers
/// ask before writing).
pub fn is_up() -> bool {
    sysctl::RCGC1.read() & 1 != 0 && uart0::CTL.read() & CTL_ENABLE == CTL_ENABLE
}

/// Writes all of `bytes`, waiting for room in the transmit FIFO.
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        while uart0::FR.read() & FR_TXFF != 0 {}
        uart0::DR.write(u32::from(b));
    }
}

/// Waits until every byte written has left the line (before a reset,
/// which would cut the FIFO's last 16 bytes: the run's last frame).
pub fn drain() {
    while uart0::FR.read() & FR_BUSY != 0 {}
}

/// Takes received bytes into `buf` without blocking; returns how many.
/// If the interrupt paused on a full ring, turns it back on and pends it,
/// so that it moves what waits in the FIFO now.
pub fn read(buf: &mut [u8]) -> usize {
    let n = RX.read(buf);
    if PAUSED.load(Ordering::Relaxed) {
        // The interrupt is masked while paused, so it cannot race this.
        PAUSED.store(false, Ordering::Relaxed);
        uart0::IM.write(INT_RX);
        nvic::ISPR0.write(1 << IRQ);
    }
    n
}

/// True if received bytes are waiting.
pub fn pending() -> bool {
    RX.pending()
}

/// The UART0 interrupt: drains the receive FIFO into the ring, or, when
/// the ring is full, masks itself and leaves the rest in the FIFO until
/// [`read`] makes room ([`Ring::fill`] says why).
pub fn on_interrupt() {
    let full = RX.fill(
        || uart0::FR.read() & FR_RXFE == 0,
        || {
            let word = uart0::DR.read();
            if word & DR_OE != 0 {
                // The FIFO overflowed before this byte: something was lost.
                DROPPED.fetch_add(1, Ordering::Relaxed);
            }
            word as u8
        },
    );
    if full {
        uart0::IM.write(0);
        PAUSED.store(true, Ordering::Relaxed);
    }
    uart0::ICR.write(INT_RX);
}
