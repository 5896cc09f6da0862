//! How the store's flash is erased and written through the nRF51's NVMC,
//! as logic over the [`Nvmc`] trait: the firmware implements it with the
//! controller's registers (`store.rs`), and the host test
//! (`hosttest/tests/nvmc.rs`, which includes this file) with a model of
//! the flash that can cut the power after any erase or word write. No
//! `unsafe` and no hardware here.
//!
//! The NVMC erases 1 KiB pages and writes whole 32-bit words, and a write
//! only clears bits (the word becomes `old & value`). [`program`] writes
//! each word its range touches with `0xFF` in the bytes outside the range,
//! which the write leaves as they are: no byte outside `[addr, addr +
//! len)` ever changes, and a power cut between two word writes leaves each
//! byte either as it was or as written, as the store's records require
//! (`p14p_device::store::Flash`).

/// Erase page size in bytes (the nRF51's CODEPAGESIZE).
pub const PAGE_SIZE: u32 = 1024;
/// Number of store pages (the device crate's store takes at most 64).
pub const PAGES: u32 = 64;
/// The store region's size in bytes.
pub const LEN: usize = (PAGE_SIZE * PAGES) as usize;

/// The flash under the store region, as the NVMC and the bus see it.
/// Offsets are from the region's start.
pub trait Nvmc {
    /// The region's bytes as the bus reads them ([`LEN`] of them).
    fn bytes(&self) -> &[u8];
    /// Erases the page at `offset` (a multiple of [`PAGE_SIZE`]): every
    /// byte becomes `0xFF`.
    fn erase_page(&mut self, offset: u32);
    /// Writes the word at `offset` (4-aligned): it becomes `old & value`.
    fn write_word(&mut self, offset: u32, value: u32);
}

/// Reads `buf.len()` bytes at `addr`; false outside the region.
pub fn read(nv: &impl Nvmc, addr: u32, buf: &mut [u8]) -> bool {
    let start = addr as usize;
    match nv.bytes().get(start..start.saturating_add(buf.len())) {
        Some(src) => {
            buf.copy_from_slice(src);
            true
        }
        None => false,
    }
}

/// Sets page `page` to `0xFF`; false outside the region.
pub fn erase(nv: &mut impl Nvmc, page: u32) -> bool {
    if page >= PAGES {
        return false;
    }
    nv.erase_page(page * PAGE_SIZE);
    true
}

/// Programs `data` at `addr` with NOR rules: refused (false) outside the
/// region or if it would set a bit; else each touched word written once.
pub fn program(nv: &mut impl Nvmc, addr: u32, data: &[u8]) -> bool {
    let start = addr as usize;
    let Some(end) = start.checked_add(data.len()) else {
        return false;
    };
    let Some(old) = nv.bytes().get(start..end) else {
        return false;
    };
    if old.iter().zip(data).any(|(&o, &n)| o & n != n) {
        return false;
    }
    let mut word = start & !3;
    while word < end {
        // The word's bytes: `data`'s where it covers them, else 0xFF.
        let mut bytes = [0xFFu8; 4];
        for (i, b) in bytes.iter_mut().enumerate() {
            if let Some(d) = (word + i).checked_sub(start).and_then(|j| data.get(j)) {
                *b = *d;
            }
        }
        let value = u32::from_le_bytes(bytes);
        // An all-ones word changes nothing: not written (and not counted
        // against the word's write limit).
        if value != u32::MAX {
            nv.write_word(word as u32, value);
        }
        word += 4;
    }
    true
}
