//! Volatile access to memory-mapped registers and memory: with
//! [`crate::store`], the only module with `unsafe` besides the vector table
//! in `main.rs`.
//!
//! Two kinds of access, each sound for its own reason:
//!
//! * [`Reg`]: a register the firmware itself drives. A `Reg` is made (safely)
//!   only here, by `reg`, from the datasheet addresses in the submodules below
//!   ([`sysctl`], [`uart0`], [`gpioa`], [`gpio`], [`nvic`]), so every `Reg` names a
//!   32-bit device register that exists on the LM3S6965 (and in QEMU's
//!   model of it).
//! * [`peek`] / [`poke`]: any address of the peek/poke map, for the link
//!   and `machine.memN`: `p14p_cortex_m::peek`'s accesses by width over
//!   this chip's [`Map`]. Each call checks the address against
//!   [`crate::memmap`] itself (the device crate has checked it too, but a
//!   safe function must not rely on its caller), so only aligned accesses
//!   inside a mapped, clocked region reach the bus.

use crate::memmap;
use p14p_cortex_m::peek::AccessMap;
pub use p14p_cortex_m::reg::Reg;
use p14p_protocol::msg::Width;

/// A register of this chip, at a manual address.
const fn reg(addr: u32) -> Reg {
    // SAFETY: `reg` is private to this module and called only with the
    // datasheet addresses in the submodules below: each a 4-aligned LM3S6965
    // peripheral register whose clock the firmware turns on before first use
    // (so no access faults), holding no Rust object.
    unsafe { Reg::at(addr) }
}

/// System control (datasheet §6): clocks and clock gating. (DID0 at
/// `BASE` and DID1 at `BASE + 4` identify the part; the host peeks them.)
pub mod sysctl {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x400F_E000;
    /// Raw interrupt status (bit 6: PLL locked).
    pub const RIS: Reg = reg(BASE + 0x050);
    /// Run-mode clock configuration.
    pub const RCC: Reg = reg(BASE + 0x060);
    /// Run-mode clock gating 1 (bit 0: UART0).
    pub const RCGC1: Reg = reg(BASE + 0x104);
    /// Run-mode clock gating 2 (bits 0..=6: GPIO ports A..=G).
    pub const RCGC2: Reg = reg(BASE + 0x108);
}

/// UART0, an ARM PL011 (datasheet §13).
pub mod uart0 {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4000_C000;
    /// Data: a read pops the receive FIFO, a write pushes the transmit FIFO.
    pub const DR: Reg = reg(BASE);
    /// Flags (bit 4: receive FIFO empty, bit 5: transmit FIFO full).
    pub const FR: Reg = reg(BASE + 0x018);
    /// Integer part of the baud-rate divisor.
    pub const IBRD: Reg = reg(BASE + 0x024);
    /// Fractional part of the baud-rate divisor (1/64ths).
    pub const FBRD: Reg = reg(BASE + 0x028);
    /// Line control: word length, FIFO enable; a write latches the divisor.
    pub const LCRH: Reg = reg(BASE + 0x02C);
    /// Control: UART, transmit and receive enable.
    pub const CTL: Reg = reg(BASE + 0x030);
    /// Interrupt mask (bit 4: receive, bit 6: receive timeout).
    pub const IM: Reg = reg(BASE + 0x038);
    /// Interrupt clear.
    pub const ICR: Reg = reg(BASE + 0x044);
}

/// GPIO port A, whose pins PA0/PA1 carry U0Rx/U0Tx (datasheet §8).
pub mod gpioa {
    use super::{reg, Reg};

    /// Base address of the block.
    pub const BASE: u32 = 0x4000_4000;
    /// Alternate function select: 1 = the pin belongs to a peripheral.
    pub const AFSEL: Reg = reg(BASE + 0x420);
    /// Digital enable.
    pub const DEN: Reg = reg(BASE + 0x51C);
}

/// GPIO ports A..=G (datasheet §8), for `machine.Pin` ([`crate::gpio`]):
/// a [`Port`](gpio::Port) is had only through [`gpio::port`], which turns
/// its clock gate on first, so its registers answer without a fault.
pub mod gpio {
    use super::{reg, sysctl, Reg};

    /// Base addresses of ports A..=G (the APB aperture), indexed by their
    /// RCGC2 bit.
    pub const BASES: [u32; 7] = [
        0x4000_4000,
        0x4000_5000,
        0x4000_6000,
        0x4000_7000,
        0x4002_4000,
        0x4002_5000,
        0x4002_6000,
    ];

    /// One clocked GPIO port: its base address.
    #[derive(Clone, Copy)]
    pub struct Port(u32);

    /// Port `index` (0 = A .. 6 = G), its clock gate turned on.
    pub fn port(index: usize) -> Option<Port> {
        let base = *BASES.get(index)?;
        sysctl::RCGC2.set_bits(1 << index);
        // A few cycles must pass after gating a clock on before the block
        // answers (datasheet §6.3): the read back gives them, as in
        // `uart::init`.
        let _ = sysctl::RCGC2.read();
        Some(Port(base))
    }

    impl Port {
        /// DATA through the address mask: only the pins in `pins` are
        /// read (the others read 0) or written.
        pub fn data(self, pins: u8) -> Reg {
            reg(self.0 + ((pins as u32) << 2))
        }
        /// Direction: 1 = output.
        pub fn dir(self) -> Reg {
            reg(self.0 + 0x400)
        }
        /// Alternate function select: 1 = the pin belongs to a peripheral.
        pub fn afsel(self) -> Reg {
            reg(self.0 + 0x420)
        }
        /// Open drain select.
        pub fn odr(self) -> Reg {
            reg(self.0 + 0x50C)
        }
        /// Pull-up select.
        pub fn pur(self) -> Reg {
            reg(self.0 + 0x510)
        }
        /// Pull-down select.
        pub fn pdr(self) -> Reg {
            reg(self.0 + 0x514)
        }
        /// Digital enable.
        pub fn den(self) -> Reg {
            reg(self.0 + 0x51C)
        }
    }
}

/// The Cortex-M3 NVIC (ARMv7-M ARM §B3.4).
pub mod nvic {
    use super::{reg, Reg};

    /// Interrupt set-enable for IRQs 0..=31: writing 1 enables, 0 is ignored.
    pub const ISER0: Reg = reg(0xE000_E100);
    /// Interrupt set-pending for IRQs 0..=31: writing 1 pends, 0 is ignored.
    pub const ISPR0: Reg = reg(0xE000_E200);
}

/// This chip's peek/poke map ([`crate::memmap`]).
pub struct Map;

// SAFETY: `memmap::accessible` allows only accesses aligned to their width
// inside one region of `memmap::REGIONS`: flash, SRAM, or a peripheral
// block whose clock gate is on, all of which answer reads of any width
// without a fault; it refuses narrower-than-word writes to the peripherals
// (`word_only`), whose words it allows wherever it allows a byte. The
// writable regions are peripheral blocks and the USER SRAM that memory.x
// keeps outside the linker's RAM, so no Rust object is written.
unsafe impl AccessMap for Map {
    fn accessible(addr: u32, width: Width, write: bool) -> bool {
        memmap::accessible(addr, width, write)
    }

    fn word_only(addr: u32) -> bool {
        addr >= memmap::PERIPHERALS
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
