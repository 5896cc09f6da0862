//! How the store's flash is erased and written on the Pico's QSPI flash
//! (W25Q16JV, 2 MiB), as logic over the [`Qspi`] trait: the firmware
//! implements it with the boot ROM's flash functions (`store.rs`), and the
//! host test (`hosttest/tests/qspi.rs`, which includes this file) with a
//! model of the chip that can cut the power after any sector erase or page
//! program. No `unsafe` and no hardware here.
//!
//! The chip erases 4 KiB sectors (the store's page) and programs 256-byte
//! pages; the boot ROM's `flash_range_program` takes only whole, aligned
//! pages. A program only clears bits, and programming a byte to `0xFF`
//! leaves its cells alone. So [`program`] writes each flash page its range
//! touches as a 256-byte buffer holding `0xFF` outside the range: no byte
//! outside `[addr, addr + len)` ever changes, and a power cut during a
//! page program leaves only the range's bytes between old and new, as the
//! store's records require (`p14p_device::store::Flash`: they are written
//! with their commit word last, in a program of its own).

/// Erase unit in bytes: a 4 KiB sector, the store's page.
pub const SECTOR_SIZE: u32 = 4096;
/// Program unit in bytes: the chip's page, all the boot ROM programs.
pub const PROGRAM_SIZE: usize = 256;
/// Number of store sectors: the device crate's store takes at most 64
/// pages (`p14p_device::store::MAX_PAGES`), so 256 KiB.
pub const SECTORS: u32 = 64;
/// The store region's size in bytes.
pub const LEN: usize = (SECTOR_SIZE * SECTORS) as usize;

/// The flash under the store region, as the boot ROM and the XIP window
/// see it. Offsets are from the region's start.
pub trait Qspi {
    /// The region's bytes as the bus reads them ([`LEN`] of them).
    fn bytes(&self) -> &[u8];
    /// Erases the sector at `offset` (a multiple of [`SECTOR_SIZE`]):
    /// every byte becomes `0xFF`.
    fn erase_sector(&mut self, offset: u32);
    /// Programs the page at `offset` (a multiple of [`PROGRAM_SIZE`]):
    /// each byte becomes `old & data`.
    fn program_page(&mut self, offset: u32, data: &[u8; PROGRAM_SIZE]);
}

/// Reads `buf.len()` bytes at `addr`; false outside the region.
pub fn read(q: &impl Qspi, addr: u32, buf: &mut [u8]) -> bool {
    let start = addr as usize;
    match q.bytes().get(start..start.saturating_add(buf.len())) {
        Some(src) => {
            buf.copy_from_slice(src);
            true
        }
        None => false,
    }
}

/// Sets sector `sector` to `0xFF`; false outside the region.
pub fn erase(q: &mut impl Qspi, sector: u32) -> bool {
    if sector >= SECTORS {
        return false;
    }
    q.erase_sector(sector * SECTOR_SIZE);
    true
}

/// Programs `data` at `addr` with NOR rules: refused (false) outside the
/// region or if it would set a bit; else each touched flash page
/// programmed once, in a RAM buffer (`data` may be in the XIP window,
/// which is off while the ROM programs).
pub fn program(q: &mut impl Qspi, addr: u32, data: &[u8]) -> bool {
    let start = addr as usize;
    let Some(end) = start.checked_add(data.len()) else {
        return false;
    };
    let Some(old) = q.bytes().get(start..end) else {
        return false;
    };
    if old.iter().zip(data).any(|(&o, &n)| o & n != n) {
        return false;
    }
    let mut page = start & !(PROGRAM_SIZE - 1);
    while page < end {
        // The page's bytes: `data`'s where it covers them, else 0xFF.
        let mut buf = [0xFFu8; PROGRAM_SIZE];
        let from = start.max(page);
        let to = end.min(page + PROGRAM_SIZE);
        buf[from - page..to - page].copy_from_slice(&data[from - start..to - start]);
        // A page that changes nothing is not programmed.
        if buf.iter().any(|&b| b != 0xFF) {
            q.program_page(page as u32, &buf);
        }
        page += PROGRAM_SIZE;
    }
    true
}
