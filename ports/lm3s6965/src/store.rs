//! The store's flash: a reserved 16 KiB SRAM region standing in for flash,
//! volatile (lost at every reset), reported so in the manifest
//! (`STORE_VOLATILE`).
//!
//! Why RAM: the firmware lives in the chip's flash, and QEMU's
//! `lm3s6965evb` does not model the flash controller, so there is nothing
//! to program. The region keeps NOR rules (erase sets a page to `0xFF`,
//! program only clears bits) so the store behaves as on a real chip.
//!
//! The VM executes stored images in place from [`view`], as it would from
//! memory-mapped flash. Like a flash controller's writes, [`erase`] and
//! [`program`] change the region only through volatile raw-pointer
//! stores, never through a Rust reference, and the store never changes
//! bytes the VM executes: it pins their pages and its collector refuses to
//! erase a pinned page (`p14p_device::vm::image`).
//!
//! Geometry: 16 pages of 1 KiB, the erase block of the LM3S6965's real
//! flash. An image larger than a page is written as a *span* of
//! consecutive pages and runs in place from it; a span of `k` pages needs
//! `2k + 2` pages of the store (its own, a free run of `k + 1` the
//! collector can move it into, and the log head), so finer pages let
//! larger images run in place: up to 7 pages here (about 7 KiB of image;
//! about 6 KiB beside a second, small spanned module), against 3 pages
//! (6 KiB, and then nothing beside it) with 8 pages of 2 KiB, or 1 page (4
//! KiB) with 4 of 4 KiB. Small files waste less of a small page too:
//! files get 14 KiB when no image spans pages. The page table costs the
//! device 2 bytes a page.
//!
//! RAM: 64 KiB holds the 32 KiB heap arena, this region, the device (about
//! 4 KiB) and the UART ring; the stack gets the remaining 11 KiB, in which
//! the largest frame (building the device at boot) leaves more than 4 KiB
//! (`scripts/footprint.sh --check`).

use core::cell::UnsafeCell;
use core::ptr;

/// Erase page size in bytes.
pub const PAGE_SIZE: u32 = 1024;
/// Number of pages.
pub const PAGES: u32 = 16;
/// Region size in bytes.
const LEN: usize = (PAGE_SIZE * PAGES) as usize;

/// The region, in .bss (zeroed by the runtime; [`erase_all`] makes it an
/// erased chip).
struct Region(UnsafeCell<[u8; LEN]>);

// SAFETY: one core, and the region is written only by [`erase`] and
// [`program`], which the link calls from thread mode, never from an
// interrupt handler.
unsafe impl Sync for Region {}

static REGION: Region = Region(UnsafeCell::new([0; LEN]));

fn base() -> *mut u8 {
    REGION.0.get().cast::<u8>()
}

/// The region as memory-mapped flash: byte `a` is store address `a`.
pub fn view() -> &'static [u8] {
    // SAFETY: the region is `LEN` bytes and lives forever. Its bytes change
    // only through the volatile stores of `erase` and `program` (the way a
    // flash controller changes flash under the bus), and never while the
    // VM runs code from them: the store pins the pages of every image
    // executing in place.
    unsafe { core::slice::from_raw_parts(base(), LEN) }
}

/// Erases every page (at boot: the store mounts an empty chip).
pub fn erase_all() {
    for p in 0..PAGES {
        erase(p);
    }
}

/// Reads `buf.len()` bytes at `addr`; false outside the region.
pub fn read(addr: u32, buf: &mut [u8]) -> bool {
    match view().get(addr as usize..addr as usize + buf.len()) {
        Some(src) => {
            buf.copy_from_slice(src);
            true
        }
        None => false,
    }
}

/// Sets page `page` to `0xFF`; false outside the region.
pub fn erase(page: u32) -> bool {
    if page >= PAGES {
        return false;
    }
    let start = (page * PAGE_SIZE) as usize;
    for i in start..start + PAGE_SIZE as usize {
        // SAFETY: `i < LEN` (checked page), inside the region.
        unsafe { ptr::write_volatile(base().add(i), 0xFF) };
    }
    true
}

/// Programs `data` at `addr` with NOR rules: refused (false) outside the
/// region or if it would set a bit.
pub fn program(addr: u32, data: &[u8]) -> bool {
    let start = addr as usize;
    let Some(old) = view().get(start..start + data.len()) else {
        return false;
    };
    if old.iter().zip(data).any(|(&o, &n)| o & n != n) {
        return false;
    }
    for (i, &b) in data.iter().enumerate() {
        // SAFETY: `start + i` is inside the region (the range was checked).
        unsafe { ptr::write_volatile(base().add(start + i), b) };
    }
    true
}
