//! The peek/poke memory map: the LM3S6965's real address map, as far as it
//! is safe to touch from the host or from `machine.memN`.
//!
//! ```text
//! address      size     access  name    what
//! 0x0000_0000  256 KiB  r       FLASH   the firmware itself
//! 0x2000_0000   63 KiB  r       SRAM    firmware data, heap arena, store, stack
//! 0x2000_FC00    1 KiB  rw      USER    free SRAM for programs (memory.x)
//! 0x4000_4000    4 KiB  rw      GPIOA   } GPIO ports, APB aperture;
//! 0x4000_5000    4 KiB  rw      GPIOB   } only while their clock gate
//! 0x4000_6000    4 KiB  rw      GPIOC   } in SYSCTL RCGC2 is on
//! 0x4000_7000    4 KiB  rw      GPIOD   }
//! 0x4000_C000    4 KiB  rw      UART0   the link (gate: RCGC1 bit 0)
//! 0x4002_4000    4 KiB  rw      GPIOE   }
//! 0x4002_5000    4 KiB  rw      GPIOF   } as above
//! 0x4002_6000    4 KiB  rw      GPIOG   }
//! 0x400F_E000    4 KiB  rw      SYSCTL  DID0 +0x000, DID1 +0x004, RCC, RCGCn
//! ```
//!
//! Firmware SRAM is read-only: a poke there could break the VM's heap or
//! the stack under the running code. On silicon, touching a peripheral
//! whose clock is gated off is a bus fault (a reset for us), so
//! [`accessible`] reads the gate first and refuses (the host sees
//! `BadAddress`). Reading UART0's `DR` takes a byte from the link: don't.
//!
//! Peripheral registers are 32-bit words (QEMU models nothing narrower:
//! a 16-bit read of DID0's upper half reads an unknown offset there). A
//! narrow peek of a peripheral reads the whole register and returns its
//! part, as the posix port does; a narrow poke of one is refused, because
//! a read-modify-write could clear bits that clear on write.

use crate::mmio::sysctl;
use p14p_device::platform::Region;
use p14p_protocol::msg::Width;

/// Start of the USER SRAM, the writable scratch RAM (see `memory.x`).
pub const USER: u32 = 0x2000_FC00;
/// Size of the USER SRAM in bytes.
pub const USER_LEN: u32 = 1024;

/// Base addresses of GPIO ports A..=G, indexed by their RCGC2 bit.
const GPIO: [u32; 7] = crate::mmio::gpio::BASES;

/// Peripherals start here; below are flash and SRAM.
pub const PERIPHERALS: u32 = 0x4000_0000;

/// A peripheral block's size.
const BLOCK: u32 = 0x1000;

/// A 4 KiB read-write peripheral block.
const fn block(start: u32, name: &'static str) -> Region {
    Region {
        start,
        len: BLOCK,
        writable: true,
        name,
    }
}

/// The map, for the manifest and the link's checks.
pub static REGIONS: [Region; 12] = [
    Region {
        start: 0x0000_0000,
        len: 256 * 1024,
        writable: false,
        name: "FLASH",
    },
    Region {
        start: 0x2000_0000,
        len: USER - 0x2000_0000,
        writable: false,
        name: "SRAM",
    },
    Region {
        start: USER,
        len: USER_LEN,
        writable: true,
        name: "USER",
    },
    block(GPIO[0], "GPIOA"),
    block(GPIO[1], "GPIOB"),
    block(GPIO[2], "GPIOC"),
    block(GPIO[3], "GPIOD"),
    block(crate::mmio::uart0::BASE, "UART0"),
    block(GPIO[4], "GPIOE"),
    block(GPIO[5], "GPIOF"),
    block(GPIO[6], "GPIOG"),
    block(sysctl::BASE, "SYSCTL"),
];

/// True if `width` at `addr` may be accessed now: aligned, inside one
/// region (a writable one for a write; a whole word for a peripheral
/// write), and its clock gate on.
pub fn accessible(addr: u32, width: Width, write: bool) -> bool {
    let size = width.bytes();
    addr.is_multiple_of(size)
        && REGIONS
            .iter()
            .any(|r| r.contains(addr, size) && (r.writable || !write))
        && !(write && addr >= PERIPHERALS && width != Width::U32)
        && clocked(addr)
}

/// False if `addr` is in a peripheral block whose clock gate is off.
fn clocked(addr: u32) -> bool {
    let block = addr & !(BLOCK - 1);
    if block == crate::mmio::uart0::BASE {
        return sysctl::RCGC1.read() & 1 != 0;
    }
    match GPIO.iter().position(|&base| base == block) {
        Some(port) => sysctl::RCGC2.read() & (1 << port) != 0,
        None => true,
    }
}
