//! The flash a store lives on: [`Flash`], with NOR semantics.
//!
//! A port implements this trait for its [`crate::Platform`] (it is
//! [`crate::platform::Flash`]); tests use [`RamFlash`](super::tests) models
//! that cut the power at a chosen step. The defaults describe no flash: a
//! port without a store writes `impl Flash for Board {}`.

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
    fn page_size(&self) -> u32 {
        1024
    }
    /// Number of pages (0, the default: no flash, no store).
    fn page_count(&self) -> u32 {
        0
    }
    /// True if the flash does not survive a reset (a RAM region standing in
    /// for flash, e.g. on an emulator). Reported as `STORE_VOLATILE`.
    /// Only the link asks, before mounting: `Self: Sized` keeps it out of
    /// the `dyn Flash` vtable the store works through.
    fn volatile(&self) -> bool
    where
        Self: Sized,
    {
        false
    }
    /// Reads `buf.len()` bytes at `addr`.
    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
        let _ = (addr, buf);
        false
    }
    /// Sets page `page` to all `0xFF`.
    fn erase(&mut self, page: u32) -> bool {
        let _ = page;
        false
    }
    /// Clears bits at `addr` so that the bytes become `data`.
    fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        let _ = (addr, data);
        false
    }
}
