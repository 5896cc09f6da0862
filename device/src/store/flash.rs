//! The flash a store lives on: [`Flash`], with NOR semantics.
//!
//! A port's [`crate::Platform`] exposes its flash through the `flash_*`
//! methods; [`PlatformFlash`] adapts those to this trait, and tests use
//! [`RamFlash`](super::tests) models that cut the power at a chosen step.

use crate::Platform;

/// A NOR flash divided into equal erase pages, addressed by byte from 0.
///
/// Implementations MUST:
/// * set every byte of a page to `0xFF` on [`Flash::erase`];
/// * on [`Flash::program`], only clear bits: the result is `old & new`
///   (a port may refuse, returning `false`, a write that would set a bit);
/// * leave every byte outside the addressed range untouched;
/// * return `false` (never panic) for an address range outside the flash.
///
/// A power cut may interrupt a program or an erase: the store assumes that
/// bytes already programmed keep their value, and that an interrupted
/// operation leaves only its own range in an unknown state.
pub trait Flash {
    /// Erase page size in bytes (a multiple of 4, at least 256).
    fn page_size(&self) -> u32;
    /// Number of pages (0: no flash).
    fn page_count(&self) -> u32;
    /// Reads `buf.len()` bytes at `addr`.
    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool;
    /// Sets page `page` to all `0xFF`.
    fn erase(&mut self, page: u32) -> bool;
    /// Clears bits at `addr` so that the bytes become `data`.
    fn program(&mut self, addr: u32, data: &[u8]) -> bool;
}

/// A [`Platform`]'s flash as a [`Flash`].
pub struct PlatformFlash<'a, P: Platform>(pub &'a mut P);

impl<P: Platform> Flash for PlatformFlash<'_, P> {
    fn page_size(&self) -> u32 {
        self.0.flash_page_size()
    }
    fn page_count(&self) -> u32 {
        self.0.flash_page_count()
    }
    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
        self.0.flash_read(addr, buf)
    }
    fn erase(&mut self, page: u32) -> bool {
        self.0.flash_erase(page)
    }
    fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        self.0.flash_program(addr, data)
    }
}
