//! UART0: the link to the host, 115200 8N1 on P0.24 (TXD) / P0.25 (RXD),
//! the pins the micro:bit v1's interface chip bridges to its USB serial
//! port (`/dev/ttyACM0` on the PC).
//!
//! Transmit is blocking: a byte into `TXD`, then wait for `TXDRDY`.
//! Receive is interrupt driven: the UART0 interrupt moves every received
//! byte into [`RX`], and [`read`] takes them from there. The nRF51's
//! receive FIFO holds only 6 bytes (0.5 ms at 115200) and the micro:bit
//! wires no flow control, so polling would lose bytes; the ring covers
//! the longest stretch in which the link reads nothing (see the LM3S6965
//! port's `uart.rs` for that reckoning; it holds here, with one more
//! source of delay: a flash page erase, which stalls the CPU for up to
//! 22 ms on the nRF51 while the ring's interrupt is held off too, see
//! `store.rs`).
//!
//! ```text
//!  UART0 RXD ─ISR─► RX [head (ISR writes) .. tail (main writes)] ─read─► link
//! ```
//!
//! The ring ([`p14p_cortex_m::ring::Ring`]) is single-producer (the
//! interrupt) single-consumer (the main loop), without `unsafe` or a
//! critical section (nor the atomic read-modify-writes the Cortex-M0 lacks).
//!
//! When the ring is full the interrupt masks RXDRDY and leaves bytes in
//! the receiver until [`read`] makes room: on silicon the receiver then
//! overruns, under QEMU (which stops reading the socket while the UART
//! holds a byte, and has no line rate) it is flow control.
//! [`DROPPED`] counts receive overruns and errors (always 0 under QEMU);
//! RAM is peekable, so the host reads it at the address `nm` gives for it.

use crate::mmio::{gpio, nvic, uart0};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use p14p_cortex_m::ring::Ring;

/// The UART0 interrupt's number (its NVIC line).
pub const IRQ: usize = 2;

/// Receive ring size in bytes (a power of two): 11 ms of line time at
/// 115200 baud (11.5 bytes a millisecond), as on the LM3S6965 (whose
/// `uart::RING_LEN` gives the reckoning, this board's flash included).
pub const RING_LEN: usize = 128;

/// TXD pin (P0.24) on the micro:bit v1 (no `machine.Pin`).
pub const PIN_TXD: u32 = 24;
/// RXD pin (P0.25) on the micro:bit v1 (no `machine.Pin`).
pub const PIN_RXD: u32 = 25;
/// `BAUDRATE` value for 115200 baud (Reference Manual, UART BAUDRATE).
const BAUD_115200: u32 = 0x01D7_E000;
/// `ENABLE` value that turns the UART on.
const ENABLE_UART: u32 = 4;
/// `INTENSET` bits: RXDRDY and ERROR.
const INT_RXDRDY: u32 = 1 << 2;
const INT_ERROR: u32 = 1 << 9;
/// How many polls of `TXDRDY` before giving up on a byte (a byte takes
/// 87 µs on the wire; a UART that never reports must not hang a fault
/// report).
const TX_POLLS: u32 = 100_000;

/// Received bytes ([`p14p_cortex_m::ring`]).
static RX: Ring<RING_LEN> = Ring::new();
/// Bytes lost: the receiver overran (on silicon, while the ring was full).
static DROPPED: AtomicU32 = AtomicU32::new(0);
/// The interrupt masked RXDRDY on a full ring; [`read`] unmasks it.
static PAUSED: AtomicBool = AtomicBool::new(false);

/// Brings UART0 up at 115200 baud: pins, rate, receive interrupt.
pub fn init() {
    // TXD an output driven high (idle line) before the UART takes it;
    // RXD an input with its buffer connected (PIN_CNF 0).
    gpio::OUTSET.write(1 << PIN_TXD);
    gpio::DIRSET.write(1 << PIN_TXD);
    gpio::pin_cnf(PIN_RXD).write(0);

    uart0::PSELTXD.write(PIN_TXD);
    uart0::PSELRXD.write(PIN_RXD);
    uart0::BAUDRATE.write(BAUD_115200);
    uart0::ENABLE.write(ENABLE_UART);
    uart0::RXDRDY.write(0);
    uart0::ERROR.write(0);
    uart0::INTENSET.write(INT_RXDRDY | INT_ERROR);
    uart0::STARTRX.write(1);
    uart0::STARTTX.write(1);
    nvic::ISER.write(1 << IRQ);
}

/// True once [`init`] has enabled UART0 (the fault handlers ask before
/// writing).
pub fn is_up() -> bool {
    uart0::ENABLE.read() == ENABLE_UART
}

/// Writes all of `bytes`, each waiting for the one before to go out.
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        uart0::TXDRDY.write(0);
        uart0::TXD.write(u32::from(b));
        for _ in 0..TX_POLLS {
            if uart0::TXDRDY.read() != 0 {
                break;
            }
        }
    }
}

/// Takes received bytes into `buf` without blocking; returns how many.
/// If the interrupt paused on a full ring, turns it back on and pends it,
/// so that it moves the byte waiting in `RXD` now.
pub fn read(buf: &mut [u8]) -> usize {
    let n = RX.read(buf);
    if PAUSED.load(Ordering::Relaxed) {
        // RXDRDY is masked while paused, so the interrupt cannot race this.
        PAUSED.store(false, Ordering::Relaxed);
        uart0::INTENSET.write(INT_RXDRDY);
        nvic::ISPR.write(1 << IRQ);
    }
    n
}

/// True if received bytes are waiting.
pub fn pending() -> bool {
    RX.pending()
}

/// One more lost byte (a load and a store: only the interrupt writes it).
fn drop_one() {
    DROPPED.store(
        DROPPED.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
}

/// The UART0 interrupt: moves every received byte into the ring, or, when
/// the ring is full, masks RXDRDY and leaves the bytes in the receiver
/// until [`read`] makes room ([`Ring::fill`] says why).
pub fn on_interrupt() {
    if uart0::ERROR.read() != 0 {
        uart0::ERROR.write(0);
        // Overrun, parity, framing or break: something was lost.
        uart0::ERRORSRC.write(uart0::ERRORSRC.read());
        drop_one();
    }
    let full = RX.fill(
        || uart0::RXDRDY.read() != 0,
        || {
            // Clear the event before reading RXD: reading it lets the next
            // byte in, whose event must not be cleared unseen.
            uart0::RXDRDY.write(0);
            uart0::RXD.read() as u8
        },
    );
    if full {
        uart0::INTENCLR.write(INT_RXDRDY);
        PAUSED.store(true, Ordering::Relaxed);
    }
}
