//! The peek/poke memory map: the RP2040's real address map (datasheet
//! §2.2), as far as it is safe to touch from the host or from
//! `machine.memN`.
//!
//! ```text
//! address      size     access  name       what
//! 0x0000_0000   16 KiB  r       ROM        the boot ROM (its function table)
//! 0x1000_0000    2 MiB  r       XIP        the QSPI flash: this firmware
//! 0x2000_0000  260 KiB  r       SRAM       stack, firmware data, heap arena
//! 0x2004_1000    4 KiB  rw      USER       SRAM5: free RAM for programs
//! 0x4000_0000   64 B    r       SYSINFO    CHIP_ID +0x0 (0x?0002927 on a B1..B2)
//! 0x4001_4000    4 KiB  rw      IO_BANK0   pin functions: GPIOn_CTRL +8n+4
//! 0x4001_C000    4 KiB  rw      PADS_BANK0 pad controls: GPIOn +4n+4
//! 0x4005_4000   68 B    r       TIMER      TIMERAWH +0x24, TIMERAWL +0x28 (µs)
//! 0xD000_0000  256 B    rw      SIO        GPIO_IN +0x4, GPIO_OUT +0x10,
//!                                          OUT_SET/CLR/XOR +0x14/18/1C,
//!                                          GPIO_OE +0x20, OE_SET +0x24
//! ```
//!
//! The onboard LED is GPIO25: `IO_BANK0` GPIO25_CTRL (+0xCC) = 5 (SIO),
//! `GPIO_OE_SET` = 1 << 25, then `GPIO_OUT_XOR` = 1 << 25 toggles it.
//!
//! Firmware RAM is read-only: a poke there could break the VM's heap or the
//! stack under the running code. The TIMER is read-only (a poke could stop
//! the clock). SIO stops before its spinlocks (+0x100: a read claims one,
//! and the critical sections use one) and its inter-core FIFO's read
//! register (+0x58) is the other core's: neither is in a region.
//! UART0 and USBCTRL are the link's and stay out of the map.
//!
//! Peripheral registers are 32-bit words: a narrow peek of one reads the
//! whole register and returns its part; a narrow poke of one is refused
//! (the RP2040's APB registers take only word writes).

use crate::mmio;
use p14p_device::platform::Region;
use p14p_protocol::msg::Width;

/// Start of the USER RAM (SRAM5, see `memory.x`).
pub const USER: u32 = 0x2004_1000;
/// Size of the USER RAM in bytes.
pub const USER_LEN: u32 = 4096;

/// Peripherals start here; below are ROM, flash and SRAM.
pub const PERIPHERALS: u32 = 0x4000_0000;

/// SIO: the GPIO registers the LED needs, before the FIFO and spinlocks.
pub const SIO: u32 = 0xD000_0000;

/// True if `addr` is read a whole word at a time (the register blocks).
pub fn word_only(addr: u32) -> bool {
    addr >= PERIPHERALS
}

/// A region.
const fn region(start: u32, len: u32, writable: bool, name: &'static str) -> Region {
    Region {
        start,
        len,
        writable,
        name,
    }
}

/// The map, for the manifest and the link's checks.
pub static REGIONS: [Region; 9] = [
    region(0x0000_0000, 16 * 1024, false, "ROM"),
    region(0x1000_0000, 2 * 1024 * 1024, false, "XIP"),
    region(0x2000_0000, USER - 0x2000_0000, false, "SRAM"),
    region(USER, USER_LEN, true, "USER"),
    region(0x4000_0000, 0x40, false, "SYSINFO"),
    region(0x4001_4000, 0x1000, true, "IO_BANK0"),
    region(0x4001_C000, 0x1000, true, "PADS_BANK0"),
    region(mmio::timer::BASE, 0x44, false, "TIMER"),
    region(SIO, 0x58, true, "SIO"),
];

/// True if `width` at `addr` may be accessed: aligned, inside one region
/// (a writable one for a write; a whole word for a register write).
pub fn accessible(addr: u32, width: Width, write: bool) -> bool {
    let size = width.bytes();
    addr.is_multiple_of(size)
        && REGIONS
            .iter()
            .any(|r| r.contains(addr, size) && (r.writable || !write))
        && !(write && addr >= PERIPHERALS && width != Width::U32)
}
