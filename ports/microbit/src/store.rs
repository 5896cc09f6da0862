//! The store's flash: the last 64 KiB of the nRF51822's own flash, 64
//! pages of 1 KiB (its erase page), erased and written through the NVMC.
//! Persistent: files survive a reset and a power cut (the manifest does
//! not say `STORE_VOLATILE`).
//!
//! The region is outside the linker's `FLASH` (memory.x), so neither the
//! firmware nor a `.hex` of it ever covers it: reflashing the firmware
//! keeps the files unless the whole chip is erased.
//!
//! The NVMC writes whole 32-bit words and only clears bits; [`program`]
//! writes each word `data` touches, with `0xFF` in the bytes outside
//! `[addr, addr + data.len())`, which programming leaves as they are. So a
//! write never changes a byte outside its range, and a power cut during one
//! leaves every byte either as it was or as written: the store's records
//! (`p14p_device::store`) are built for that, as on the other ports.
//! [`erase`] and [`program`] check the NOR rule first and refuse a write
//! that would set a bit.
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
use core::ptr;

/// Erase page size in bytes (the nRF51's CODEPAGESIZE).
pub const PAGE_SIZE: u32 = 1024;
/// Number of pages (the device crate's store takes at most 64).
pub const PAGES: u32 = 64;
/// The first page's address: the flash after the firmware's 192 KiB.
pub const BASE: u32 = 0x0003_0000;
/// Region size in bytes.
const LEN: usize = (PAGE_SIZE * PAGES) as usize;

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

/// Reads `buf.len()` bytes at `addr`; false outside the region.
pub fn read(addr: u32, buf: &mut [u8]) -> bool {
    match view().get(addr as usize..(addr as usize).saturating_add(buf.len())) {
        Some(src) => {
            buf.copy_from_slice(src);
            true
        }
        None => false,
    }
}

/// Waits for the NVMC to finish (the CPU stalls on silicon anyway; QEMU
/// is done at once).
fn wait_ready() {
    while nvmc::READY.read() & 1 == 0 {}
}

/// Sets page `page` to `0xFF`; false outside the region.
pub fn erase(page: u32) -> bool {
    if page >= PAGES {
        return false;
    }
    wait_ready();
    nvmc::CONFIG.write(CONFIG_ERASE);
    nvmc::ERASEPAGE.write(BASE + page * PAGE_SIZE);
    wait_ready();
    nvmc::CONFIG.write(CONFIG_READ);
    true
}

/// Programs `data` at `addr` with NOR rules: refused (false) outside the
/// region or if it would set a bit.
pub fn program(addr: u32, data: &[u8]) -> bool {
    let start = addr as usize;
    let Some(old) = view().get(start..start.saturating_add(data.len())) else {
        return false;
    };
    if old.iter().zip(data).any(|(&o, &n)| o & n != n) {
        return false;
    }
    let end = start + data.len();
    let mut word = start & !3;
    nvmc::CONFIG.write(CONFIG_WRITE);
    while word < end {
        // The word's bytes: `data`'s where it covers them, else 0xFF.
        let mut bytes = [0xFFu8; 4];
        for (i, b) in bytes.iter_mut().enumerate() {
            if let Some(i) = (word + i).checked_sub(start) {
                if let Some(&d) = data.get(i) {
                    *b = d;
                }
            }
        }
        let value = u32::from_le_bytes(bytes);
        if value != u32::MAX {
            wait_ready();
            // SAFETY: `word` is 4-aligned and inside the region (its range
            // was checked above and `word` rounds `start` down to a word
            // inside the same 4-aligned region); with CONFIG = write, a
            // word store to flash programs it through the NVMC. No Rust
            // object lives in the region.
            unsafe { ptr::write_volatile((BASE as usize + word) as *mut u32, value) };
        }
        word += 4;
    }
    wait_ready();
    nvmc::CONFIG.write(CONFIG_READ);
    true
}
