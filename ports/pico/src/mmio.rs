//! Volatile access to memory-mapped registers and memory: the only module
//! with `unsafe` besides the HAL's own (clocks and the USB controller).
//!
//! Two kinds of access, each sound for its own reason:
//!
//! * [`Reg`]: a register the firmware itself drives. A `Reg` is made (safely)
//!   only here, by `reg`, from the RP2040 datasheet addresses in the
//!   submodules below ([`timer`], [`uart0`], [`resets`], [`io_bank0`],
//!   [`pads_bank0`], [`sio`], [`nvic`]), so every `Reg` names a 32-bit register that exists on the
//!   RP2040 and whose block the boot has taken out of reset.
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

/// A register of this chip, at a datasheet address.
const fn reg(addr: u32) -> Reg {
    // SAFETY: `reg` is private to this module and called only with the
    // datasheet addresses in the submodules below: each a 4-aligned RP2040
    // register of a block the boot takes out of reset before using it
    // (RESETS itself, the NVIC and the TIMER are never held in reset when
    // they are used), holding no Rust object.
    unsafe { Reg::at(addr) }
}

/// TIMER (RP2040 datasheet §4.6): the 1 MHz 64-bit counter, and ALARM0
/// that wakes the idle core.
pub mod timer {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4005_4000;
    /// Alarm 0: fires when the counter's low word equals it (writing arms it).
    pub const ALARM0: Reg = reg(BASE + 0x10);
    /// The counter's high word, read without the latch.
    pub const TIMERAWH: Reg = reg(BASE + 0x24);
    /// The counter's low word, read without the latch.
    pub const TIMERAWL: Reg = reg(BASE + 0x28);
    /// Raw interrupts (bit n: alarm n fired); write 1 to clear.
    pub const INTR: Reg = reg(BASE + 0x34);
    /// Interrupt enable (bit n: alarm n).
    pub const INTE: Reg = reg(BASE + 0x38);
}

/// RESETS (datasheet §2.14): the blocks the UART needs, out of reset.
pub mod resets {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4000_C000;
    /// The atomic clear alias of RESET (+0x3000): a 1 takes a block out.
    pub const RESET_CLR: Reg = reg(BASE + 0x3000);
    /// RESET_DONE: bit set once the block is out of reset.
    pub const RESET_DONE: Reg = reg(BASE + 0x008);
    /// IO_BANK0's bit.
    pub const IO_BANK0: u32 = 1 << 5;
    /// PADS_BANK0's bit.
    pub const PADS_BANK0: u32 = 1 << 8;
    /// UART0's bit.
    pub const UART0: u32 = 1 << 22;
}

/// IO_BANK0 (datasheet §2.19.6.1): pin functions.
pub mod io_bank0 {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4001_4000;

    /// GPIOn_CTRL: bits 4:0 select the pin's function.
    pub const fn ctrl(n: u32) -> Reg {
        reg(BASE + 8 * n + 4)
    }
}

/// PADS_BANK0 (datasheet §2.19.6.3): pad controls.
pub mod pads_bank0 {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4001_C000;
    /// GPIOn: bit 7 output disable, 6 input enable, 3 pull-up, 2 pull-down.
    pub const fn gpio(n: u32) -> Reg {
        reg(BASE + 4 * n + 4)
    }
}

/// SIO (datasheet §2.3.1.7): the GPIO registers of the pins whose
/// function is SIO, with atomic set, clear and xor aliases.
pub mod sio {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0xD000_0000;
    /// The pins' input levels.
    pub const GPIO_IN: Reg = reg(BASE + 0x004);
    /// The output levels.
    pub const GPIO_OUT: Reg = reg(BASE + 0x010);
    /// Sets the bits written in `GPIO_OUT`.
    pub const GPIO_OUT_SET: Reg = reg(BASE + 0x014);
    /// Clears them.
    pub const GPIO_OUT_CLR: Reg = reg(BASE + 0x018);
    /// Output enables.
    pub const GPIO_OE: Reg = reg(BASE + 0x020);
    /// Sets the bits written in `GPIO_OE`.
    pub const GPIO_OE_SET: Reg = reg(BASE + 0x024);
    /// Clears them.
    pub const GPIO_OE_CLR: Reg = reg(BASE + 0x028);
}

/// UART0 (datasheet §4.2, an Arm PL011): the fault report, and the link
/// with feature `uart-link`.
pub mod uart0 {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4003_4000;
    /// Data: a write sends, a read takes a received byte (bits 11:8 errors).
    pub const DR: Reg = reg(BASE);
    /// Flags (bit 4: receive FIFO empty, bit 5: transmit FIFO full).
    pub const FR: Reg = reg(BASE + 0x018);
    /// Integer part of the baud divisor.
    pub const IBRD: Reg = reg(BASE + 0x024);
    /// Fractional part of the baud divisor, in 1/64ths.
    pub const FBRD: Reg = reg(BASE + 0x028);
    /// Line control: word length, FIFOs.
    pub const LCRH: Reg = reg(BASE + 0x02C);
    /// Control: enables.
    pub const CR: Reg = reg(BASE + 0x030);
    /// Interrupt mask.
    #[cfg(feature = "uart-link")]
    pub const IMSC: Reg = reg(BASE + 0x038);
    /// Interrupt clear.
    #[cfg(feature = "uart-link")]
    pub const ICR: Reg = reg(BASE + 0x044);
}

/// The Cortex-M0+ NVIC (ARMv6-M ARM §B3.4).
pub mod nvic {
    use super::{reg, Reg};

    /// Interrupt set-enable for IRQs 0..=31: writing 1 enables, 0 is ignored.
    pub const ISER: Reg = reg(0xE000_E100);
    /// Interrupt set-pending for IRQs 0..=31: writing 1 pends, 0 is ignored
    /// (the UART link's ring pauses and resumes its interrupt with it).
    #[cfg(feature = "uart-link")]
    pub const ISPR: Reg = reg(0xE000_E200);
    /// Interrupt clear-enable: writing 1 disables, 0 is ignored.
    pub const ICER: Reg = reg(0xE000_E180);
}

/// This chip's peek/poke map ([`crate::memmap`]).
pub struct Map;

// SAFETY: `memmap::accessible` allows only accesses aligned to their width
// inside one region of `memmap::REGIONS`: the boot ROM, the XIP window,
// SRAM, or a register block out of reset whose reads have no side effect
// (the map leaves out SIO's spinlocks and FIFOs); a register write must be
// a whole word. The writable regions are register blocks the firmware
// does not rely on (GPIO through SIO, IO_BANK0, PADS_BANK0) and the USER
// SRAM that memory.x keeps outside the linker's RAM, so no Rust object is
// written.
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
