//! Volatile access to memory-mapped registers and memory: with
//! [`crate::store`], the only module with `unsafe` besides the vector table
//! in `main.rs`.
//!
//! Two kinds of access, each sound for its own reason:
//!
//! * [`Reg`]: a register the firmware itself drives. A `Reg` is made (safely)
//!   only here, by `reg`, from the nRF51 Reference Manual addresses in the
//!   submodules below ([`uart0`], [`timer0`], [`clock`], [`nvmc`],
//!   [`gpio`], [`nvic`]), so every `Reg` names a 32-bit register that exists
//!   on the nRF51822 (QEMU's `microbit` answers reads of those it does not
//!   model, such as CLOCK's, with 0).
//! * [`peek`] / [`poke`]: any address of the peek/poke map, for the link
//!   and `machine.memN`: `p14p_cortex_m::peek`'s accesses by width over
//!   this chip's [`Map`]. Each call checks the address against
//!   [`crate::memmap`] itself (the device crate has checked it too, but a
//!   safe function must not rely on its caller), so only aligned accesses
//!   inside a mapped region reach the bus.

use crate::memmap;
use p14p_cortex_m::peek::AccessMap;
pub use p14p_cortex_m::reg::Reg;
use p14p_protocol::msg::Width;

/// A register of this chip, at a manual address.
const fn reg(addr: u32) -> Reg {
    // SAFETY: `reg` is private to this module and called only with the
    // Reference Manual addresses in the submodules below: each a 4-aligned
    // nRF51 peripheral register (the nRF51 gates no peripheral's bus access,
    // and QEMU's `microbit` answers reads of those it does not model, such as
    // CLOCK's, with 0), holding no Rust object.
    unsafe { Reg::at(addr) }
}

/// UART0 (nRF51 Reference Manual §29, "UART"): the link.
pub mod uart0 {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4000_2000;
    /// Task: start the receiver.
    pub const STARTRX: Reg = reg(BASE);
    /// Task: start the transmitter.
    pub const STARTTX: Reg = reg(BASE + 0x008);
    /// Event: a byte is ready in `RXD`.
    pub const RXDRDY: Reg = reg(BASE + 0x108);
    /// Event: the byte written to `TXD` has gone out.
    pub const TXDRDY: Reg = reg(BASE + 0x11C);
    /// Event: a receive error (see `ERRORSRC`).
    pub const ERROR: Reg = reg(BASE + 0x124);
    /// Interrupt enable set (bit 2: RXDRDY, bit 9: ERROR).
    pub const INTENSET: Reg = reg(BASE + 0x304);
    /// Interrupt enable clear (the bits as `INTENSET`).
    pub const INTENCLR: Reg = reg(BASE + 0x308);
    /// Error source (bit 0: overrun); write 1s to clear.
    pub const ERRORSRC: Reg = reg(BASE + 0x480);
    /// Enable: 4 = UART on, 0 = off.
    pub const ENABLE: Reg = reg(BASE + 0x500);
    /// Pin of TXD.
    pub const PSELTXD: Reg = reg(BASE + 0x50C);
    /// Pin of RXD.
    pub const PSELRXD: Reg = reg(BASE + 0x514);
    /// Received byte (a read takes it from the 6-byte receive FIFO).
    pub const RXD: Reg = reg(BASE + 0x518);
    /// Byte to send.
    pub const TXD: Reg = reg(BASE + 0x51C);
    /// Baud rate (a table value, not a divisor).
    pub const BAUDRATE: Reg = reg(BASE + 0x524);
}

/// TIMER0 (Reference Manual §18, "Timer/counter"): the clock.
pub mod timer0 {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4000_8000;
    /// Task: start counting.
    pub const START: Reg = reg(BASE);
    /// Task: clear the counter.
    pub const CLEAR: Reg = reg(BASE + 0x00C);
    /// Task: copy the counter into `CC[1]`.
    pub const CAPTURE1: Reg = reg(BASE + 0x044);
    /// Event: the counter reached `CC[0]`.
    pub const COMPARE0: Reg = reg(BASE + 0x140);
    /// Shortcuts (bit 0: COMPARE0 clears the counter).
    pub const SHORTS: Reg = reg(BASE + 0x200);
    /// Interrupt enable set (bit 16: COMPARE0).
    pub const INTENSET: Reg = reg(BASE + 0x304);
    /// Mode: 0 = timer.
    pub const MODE: Reg = reg(BASE + 0x504);
    /// Counter width: 3 = 32 bits.
    pub const BITMODE: Reg = reg(BASE + 0x508);
    /// The 16 MHz clock divided by 2^PRESCALER.
    pub const PRESCALER: Reg = reg(BASE + 0x510);
    /// Compare value 0 (the millisecond).
    pub const CC0: Reg = reg(BASE + 0x540);
    /// Capture register 1 (read by `micros`).
    pub const CC1: Reg = reg(BASE + 0x544);
}

/// CLOCK (Reference Manual §13): the 16 MHz crystal for the UART's rate.
pub mod clock {
    use super::{reg, Reg};

    /// Base address of the block (shared with POWER).
    pub const BASE: u32 = 0x4000_0000;
    /// Task: start the crystal oscillator (HFXO).
    pub const HFCLKSTART: Reg = reg(BASE);
    /// Event: the crystal runs.
    pub const HFCLKSTARTED: Reg = reg(BASE + 0x100);
}

/// NVMC (Reference Manual §6, "Non-volatile memory controller"): flash
/// erase and write, for the store.
pub mod nvmc {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4001_E000;
    /// Bit 0: ready (no erase or write in progress).
    pub const READY: Reg = reg(BASE + 0x400);
    /// 0 = read only, 1 = write enabled, 2 = erase enabled.
    pub const CONFIG: Reg = reg(BASE + 0x504);
    /// Write a page's address to erase it (with CONFIG = 2).
    pub const ERASEPAGE: Reg = reg(BASE + 0x508);
}

/// GPIO port 0 (Reference Manual §14): the UART's pins and `machine.Pin`
/// ([`crate::gpio`]); the LED matrix and buttons through `machine.mem32`.
pub mod gpio {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x5000_0000;
    /// Set output bits: writing 1 drives the pin high.
    pub const OUTSET: Reg = reg(BASE + 0x508);
    /// Clear output bits: writing 1 drives the pin low.
    pub const OUTCLR: Reg = reg(BASE + 0x50C);
    /// The pins' levels (of those whose input buffer is connected).
    pub const IN: Reg = reg(BASE + 0x510);
    /// Set direction bits: writing 1 makes the pin an output.
    pub const DIRSET: Reg = reg(BASE + 0x518);

    /// Pin configuration of pin `n` (0..=31).
    pub const fn pin_cnf(n: u32) -> Reg {
        reg(BASE + 0x700 + 4 * n)
    }
}

/// The Cortex-M0 NVIC (ARMv6-M ARM §B3.4).
pub mod nvic {
    use super::{reg, Reg};

    /// Interrupt set-enable for IRQs 0..=31: writing 1 enables, 0 is ignored.
    pub const ISER: Reg = reg(0xE000_E100);
    /// Interrupt set-pending for IRQs 0..=31: writing 1 pends, 0 is ignored.
    pub const ISPR: Reg = reg(0xE000_E200);
}

/// This chip's peek/poke map ([`crate::memmap`]).
pub struct Map;

// SAFETY: `memmap::accessible` allows only accesses aligned to their width
// inside one region of `memmap::REGIONS`: flash, FICR/UICR, RAM, or a
// peripheral block, all of which answer reads of any width without a
// fault; it refuses narrower-than-word writes to the peripherals. The
// writable regions are peripheral blocks the firmware does not drive and
// the USER RAM that memory.x keeps outside the linker's RAM, so no Rust
// object is written.
unsafe impl AccessMap for Map {
    fn accessible(addr: u32, width: Width, write: bool) -> bool {
        memmap::accessible(addr, width, write)
    }

    fn word_only(addr: u32) -> bool {
        memmap::word_only(addr)
    }
}

/// Reads `width` at `addr` if the peek/poke map allows it; `None` otherwise.
pub fn peek(addr: u32, width: Width) -> Option<u32> {
    p14p_cortex_m::peek::peek::<Map>(addr, width)
}

/// Writes `width` at `addr` if the peek/poke map allows it; `false`
/// otherwise. `value` is truncated to `width`.
pub fn poke(addr: u32, width: Width, value: u32) -> bool {
    p14p_cortex_m::peek::poke::<Map>(addr, width, value)
}
