//! UART0 on GP0 (TX) and GP1 (RX), 115200 8N1: the fault report always,
//! and the link with feature `uart-link` (a USB-serial adapter on those
//! pins, or a Pico Probe's UART bridge).
//!
//! Transmit is blocking (into the PL011's 32-byte FIFO). Receive is
//! interrupt driven into a [`p14p_cortex_m::ring::Ring`] as on the other
//! ports; [`DROPPED`] counts bytes lost to a full ring or an overrun.

use crate::mmio::{io_bank0, resets, uart0};
#[cfg(feature = "uart-link")]
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
#[cfg(feature = "uart-link")]
use p14p_cortex_m::ring::Ring;

/// UART0_IRQ's NVIC line.
#[cfg(feature = "uart-link")]
pub const IRQ: usize = 20;

/// clk_peri after the HAL's clock init: clk_sys, 125 MHz.
const CLK_PERI_HZ: u32 = 125_000_000;
/// The line rate.
const BAUD: u32 = 115_200;
/// IO_BANK0 FUNCSEL of the UART on GP0 and GP1.
const FUNC_UART: u32 = 2;
/// Flag bits: receive FIFO empty, transmit FIFO full.
#[cfg(feature = "uart-link")]
const FR_RXFE: u32 = 1 << 4;
const FR_TXFF: u32 = 1 << 5;
/// DR bit 11: the FIFO overran before this byte.
#[cfg(feature = "uart-link")]
const DR_OE: u32 = 1 << 11;
/// LCR_H: 8 data bits, FIFOs on.
const LCRH_8N1_FIFO: u32 = (0b11 << 5) | (1 << 4);
/// CR: UART, TX and RX enabled.
const CR_ENABLE: u32 = 1 | (1 << 8) | (1 << 9);
/// Receive and receive-timeout interrupts.
#[cfg(feature = "uart-link")]
const INT_RX: u32 = (1 << 4) | (1 << 6);
/// How many polls of a full transmit FIFO before giving up on a byte (a
/// fault report must not hang on a UART that never drains).
const TX_POLLS: u32 = 1_000_000;

/// Receive ring size in bytes, as on the other ports (the LM3S6965's
/// `uart::RING_LEN` gives the reckoning).
#[cfg(feature = "uart-link")]
pub const RING_LEN: usize = 128;

/// Received bytes.
#[cfg(feature = "uart-link")]
static RX: Ring<RING_LEN> = Ring::new();
/// Bytes lost: the receiver overran (while the ring was full).
#[cfg(feature = "uart-link")]
static DROPPED: AtomicU32 = AtomicU32::new(0);
/// The interrupt masked itself on a full ring; [`read`] unmasks it.
#[cfg(feature = "uart-link")]
static PAUSED: AtomicBool = AtomicBool::new(false);

/// Brings UART0 up at 115200 baud on GP0/GP1 (after the HAL's clock init).
pub fn init() {
    let blocks = resets::IO_BANK0 | resets::PADS_BANK0 | resets::UART0;
    resets::RESET_CLR.write(blocks);
    while resets::RESET_DONE.read() & blocks != blocks {}
    io_bank0::ctrl(0).write(FUNC_UART);
    io_bank0::ctrl(1).write(FUNC_UART);
    uart0::CR.write(0);
    // Divisor = clk_peri / (16 × baud) in 1/64ths, rounded.
    let div64 = (CLK_PERI_HZ * 4 + BAUD / 2) / BAUD;
    uart0::IBRD.write(div64 / 64);
    uart0::FBRD.write(div64 % 64);
    uart0::LCRH.write(LCRH_8N1_FIFO);
    #[cfg(feature = "uart-link")]
    {
        uart0::ICR.write(INT_RX);
        uart0::IMSC.write(INT_RX);
        crate::mmio::nvic::ISER.write(1 << IRQ);
    }
    uart0::CR.write(CR_ENABLE);
}

/// True once [`init`] has enabled UART0.
pub fn is_up() -> bool {
    resets::RESET_DONE.read() & resets::UART0 != 0 && uart0::CR.read() & CR_ENABLE == CR_ENABLE
}

/// Writes all of `bytes` into the transmit FIFO.
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        for _ in 0..TX_POLLS {
            if uart0::FR.read() & FR_TXFF == 0 {
                break;
            }
        }
        uart0::DR.write(u32::from(b));
    }
}

/// Takes received bytes into `buf` without blocking; returns how many.
/// If the interrupt paused on a full ring, turns it back on and pends it,
/// so that it moves what waits in the FIFO now.
#[cfg(feature = "uart-link")]
pub fn read(buf: &mut [u8]) -> usize {
    let n = RX.read(buf);
    if PAUSED.load(Ordering::Relaxed) {
        // The interrupt is masked while paused, so it cannot race this.
        PAUSED.store(false, Ordering::Relaxed);
        uart0::IMSC.write(INT_RX);
        crate::mmio::nvic::ISPR.write(1 << IRQ);
    }
    n
}

/// True if received bytes are waiting.
#[cfg(feature = "uart-link")]
pub fn pending() -> bool {
    RX.pending()
}

/// One more lost byte (a load and a store: only the interrupt writes it).
#[cfg(feature = "uart-link")]
fn drop_one() {
    DROPPED.store(
        DROPPED.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
}

/// The UART0 interrupt: moves every received byte into the ring, or, when
/// the ring is full, masks itself and leaves the rest in the FIFO until
/// [`read`] makes room ([`Ring::fill`] says why).
#[cfg(feature = "uart-link")]
pub fn on_interrupt() {
    let full = RX.fill(
        || uart0::FR.read() & FR_RXFE == 0,
        || {
            let word = uart0::DR.read();
            if word & DR_OE != 0 {
                drop_one();
            }
            word as u8
        },
    );
    if full {
        uart0::IMSC.write(0);
        PAUSED.store(true, Ordering::Relaxed);
    }
    uart0::ICR.write(INT_RX);
}
