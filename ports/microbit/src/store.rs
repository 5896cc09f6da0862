//! The store's flash: the last 64 KiB of the nRF51822's own flash, 64
//! pages of 1 KiB (its erase page), erased and written through the NVMC.
//! Persistent: files survive a reset and a power cut (the manifest does
//! not say `STORE_VOLATILE`).
//!
//! The region is outside the linker's `FLASH` (memory.x), so neither the
//! firmware nor a `.hex` of it ever covers it: reflashing the firmware
//! keeps the files unless the whole chip is erased.
//!
//! The NVMC writes whole 32-bit words and only clears bits: how a write
//! becomes word writes, so that a power cut leaves every byte old or new,
//! is [`crate::nvmc`], tested against a flash model that cuts the power at
//! every step (`hosttest/tests/nvmc.rs`). This module drives the
//! controller's registers for it.
//!
//! Execute in place: the VM runs stored images straight from [`view`],
//! the memory-mapped flash. The NVMC changes that memory under the bus,
//! never through a Rust reference, and the store never changes bytes the VM
//! executes: it pins their pages, and its collector refuses to erase a
//! pinned page (`p14p_device::vm::image`).
//!
//! The CPU stalls while the NVMC works (a page erase takes up to 22.3 ms,
//! a word write up to 46 µs on the nRF51), interrupts too; the UART's
//! receive ring covers that (see `uart.rs`). The nRF51 rates each word for
//! a limited number of writes between erases (nWRITE in the product
//! specification): the store's small records write a word several times
//! at most.
//!
//! The NVMC register access goes through [`crate::mmio`]; the flash words
//! themselves are written here, the module's `unsafe`.

use crate::mmio::nvmc;
use crate::nvmc::{Nvmc, LEN};
use core::ptr;

pub use crate::nvmc::{PAGES, PAGE_SIZE};

/// The first page's address: the flash after the firmware's 192 KiB.
pub const BASE: u32 = 0x0003_0000;

/// `CONFIG` values.
const CONFIG_READ: u32 = 0;
const CONFIG_WRITE: u32 = 1;
const CONFIG_ERASE: u32 = 2;

/// The region as memory-mapped flash: byte `a` is store address `a`.
pub fn view() -> &'static [u8] {
    // SAFETY: `[BASE, BASE + LEN)` is flash on every nRF51822 with 256 KiB
    // (the micro:bit's QFAA), always readable, outside anything the linker
    // places. Its bytes change only through the NVMC (`erase`, `program`,
    // the way a flash controller changes flash under the bus), and never
    // while the VM runs code from them: the store pins the pages of every
    // image executing in place.
    unsafe { core::slice::from_raw_parts(BASE as *const u8, LEN) }
}

/// The chip's NVMC over the store region.
struct Hardware;

/// Waits for the NVMC to finish (the CPU stalls on silicon anyway; QEMU
/// is done at once).
fn wait_ready() {
    while nvmc::READY.read() & 1 == 0 {}
}

impl Nvmc for Hardware {
    fn bytes(&self) -> &[u8] {
        view()
    }

    fn erase_page(&mut self, offset: u32) {
        wait_ready();
        nvmc::CONFIG.write(CONFIG_ERASE);
        nvmc::ERASEPAGE.write(BASE + offset);
        wait_ready();
        nvmc::CONFIG.write(CONFIG_READ);
    }

    fn write_word(&mut self, offset: u32, value: u32) {
        wait_ready();
        nvmc::CONFIG.write(CONFIG_WRITE);
        // SAFETY: `crate::nvmc::program` passes only 4-aligned offsets
        // inside the region (it checked the range), so the address is an
        // aligned flash word of the store; with CONFIG = write, a word
        // store to flash programs it through the NVMC. No Rust object
        // lives in the region.
        unsafe { ptr::write_volatile((BASE + offset) as *mut u32, value) };
        wait_ready();
        nvmc::CONFIG.write(CONFIG_READ);
    }
}

/// Reads `buf.len()` bytes at `addr`; false outside the region.
pub fn read(addr: u32, buf: &mut [u8]) -> bool {
    crate::nvmc::read(&Hardware, addr, buf)
}

/// Sets page `page` to `0xFF`; false outside the region.
pub fn erase(page: u32) -> bool {
    crate::nvmc::erase(&mut Hardware, page)
}

/// Programs `data` at `addr` with NOR rules: refused (false) outside the
/// region or if it would set a bit.
pub fn program(addr: u32, data: &[u8]) -> bool {
    crate::nvmc::program(&mut Hardware, addr, data)
}
