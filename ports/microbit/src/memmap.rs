//! The peek/poke memory map: the nRF51822's real address map (Reference
//! Manual §5 and the product specification's memory map), as far as it is
//! safe to touch from the host or from `machine.memN`.
//!
//! ```text
//! address      size     access  name    what
//! 0x0000_0000  192 KiB  r       FLASH   the firmware itself
//! 0x0003_0000   64 KiB  r       STORE   the store's pages (src/store.rs)
//! 0x1000_0000  256 B    r       FICR    factory information: CODEPAGESIZE
//!                                       +0x010, CODESIZE +0x014, CONFIGID
//!                                       +0x05C (HWID, the part's code)
//! 0x1000_1000  256 B    r       UICR    user information
//! 0x2000_0000  16128 B  r       RAM     firmware data, heap arena, stack
//! 0x2000_3F00  256 B    rw      USER    free RAM for programs (memory.x)
//! 0x4000_0000    4 KiB  r       CLOCK   clock and power (HFCLKSTAT ...)
//! 0x4000_2000    4 KiB  r       UART0   the link
//! 0x4000_6000    4 KiB  rw      GPIOTE
//! 0x4000_7000    4 KiB  rw      ADC
//! 0x4000_8000    4 KiB  r       TIMER0  the clock
//! 0x4000_9000    4 KiB  rw      TIMER1
//! 0x4000_A000    4 KiB  rw      TIMER2
//! 0x4000_B000    4 KiB  rw      RTC0
//! 0x4000_C000    4 KiB  rw      TEMP
//! 0x4000_D000    4 KiB  rw      RNG
//! 0x4001_E000    4 KiB  r       NVMC    the store's flash controller
//! 0x5000_0000    4 KiB  rw      GPIO    P0: OUT +0x504, IN +0x510, DIR +0x514,
//!                                       PIN_CNF[n] +0x700 + 4n (LEDs, buttons)
//! ```
//!
//! Firmware RAM is read-only: a poke there could break the VM's heap or the
//! stack under the running code. The blocks the firmware drives (CLOCK,
//! UART0, TIMER0, NVMC) are read-only too: a poke could stop the link or
//! the clock, or erase flash. Reading UART0's `RXD` takes a byte from the
//! link: don't. The nRF51 gates no peripheral's bus access, so unlike the
//! LM3S6965 there is no clock gate to check.
//!
//! Peripheral registers are 32-bit words: a narrow peek of a peripheral
//! reads the whole register and returns its part; a narrow poke of one is
//! refused, because a read-modify-write could clear bits that clear on
//! write. FICR and UICR are read as words too: QEMU models them as
//! registers (a narrow read there returns the whole word), and on silicon
//! reading the word and taking its part gives the same bytes.

use crate::mmio;
use crate::store;
use p14p_device::platform::Region;
use p14p_protocol::msg::Width;

/// Start of the USER RAM, the writable scratch RAM (see `memory.x`).
pub const USER: u32 = 0x2000_3F00;
/// Size of the USER RAM in bytes.
pub const USER_LEN: u32 = 256;

/// Peripherals start here; below are flash, FICR/UICR and RAM.
pub const PERIPHERALS: u32 = 0x4000_0000;

/// FICR and UICR: read a word at a time ([`word_only`]).
const INFO: core::ops::Range<u32> = 0x1000_0000..0x1000_2000;

/// True if `addr` is read a whole word at a time (peripherals, FICR, UICR).
pub fn word_only(addr: u32) -> bool {
    addr >= PERIPHERALS || INFO.contains(&addr)
}

/// A peripheral block's size.
const BLOCK: u32 = 0x1000;

/// A 4 KiB peripheral block.
const fn block(start: u32, writable: bool, name: &'static str) -> Region {
    Region {
        start,
        len: BLOCK,
        writable,
        name,
    }
}

/// A read-only region.
const fn ro(start: u32, len: u32, name: &'static str) -> Region {
    Region {
        start,
        len,
        writable: false,
        name,
    }
}

/// The map, for the manifest and the link's checks.
pub static REGIONS: [Region; 18] = [
    ro(0x0000_0000, store::BASE, "FLASH"),
    ro(store::BASE, store::PAGES * store::PAGE_SIZE, "STORE"),
    ro(0x1000_0000, 0x100, "FICR"),
    ro(0x1000_1000, 0x100, "UICR"),
    ro(0x2000_0000, USER - 0x2000_0000, "RAM"),
    Region {
        start: USER,
        len: USER_LEN,
        writable: true,
        name: "USER",
    },
    block(mmio::clock::BASE, false, "CLOCK"),
    block(mmio::uart0::BASE, false, "UART0"),
    block(0x4000_6000, true, "GPIOTE"),
    block(0x4000_7000, true, "ADC"),
    block(mmio::timer0::BASE, false, "TIMER0"),
    block(0x4000_9000, true, "TIMER1"),
    block(0x4000_A000, true, "TIMER2"),
    block(0x4000_B000, true, "RTC0"),
    block(0x4000_C000, true, "TEMP"),
    block(0x4000_D000, true, "RNG"),
    block(mmio::nvmc::BASE, false, "NVMC"),
    block(mmio::gpio::BASE, true, "GPIO"),
];

/// True if `width` at `addr` may be accessed: aligned, inside one region
/// (a writable one for a write; a whole word for a peripheral write).
pub fn accessible(addr: u32, width: Width, write: bool) -> bool {
    let size = width.bytes();
    addr.is_multiple_of(size)
        && REGIONS
            .iter()
            .any(|r| r.contains(addr, size) && (r.writable || !write))
        && !(write && addr >= PERIPHERALS && width != Width::U32)
}
