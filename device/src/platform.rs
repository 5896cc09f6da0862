//! The contract between the device crate and a port.
//!
//! A port (posix, lm3s6965, …) implements [`Platform`] and calls
//! [`crate::link::Device::poll`] in its main loop. Implementations MUST NOT
//! panic: a panic on a microcontroller is a reset.

use p14p_protocol::msg::{NativeModule, Width};

/// One region of the port's memory map, for peek/poke and `machine.memN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First address.
    pub start: u32,
    /// Length in bytes.
    pub len: u32,
    /// Writes allowed.
    pub writable: bool,
    /// Short name for the inspector and error messages (`"SRAM"`, `"SYSCTL"`).
    pub name: &'static str,
}

impl Region {
    /// True if `[addr, addr + size)` lies inside this region.
    pub fn contains(&self, addr: u32, size: u32) -> bool {
        addr >= self.start && (addr - self.start) as u64 + size as u64 <= self.len as u64
    }
}

/// What a port provides.
pub trait Platform {
    /// Reads received link bytes into `buf` without blocking; returns how many
    /// (0 when none are waiting).
    fn read(&mut self, buf: &mut [u8]) -> usize;

    /// Writes all of `bytes` to the link, blocking until accepted.
    fn write(&mut self, bytes: &[u8]);

    /// Called when the device has nothing to do; a port may sleep until input
    /// arrives (or for a millisecond). The default returns at once.
    fn idle(&mut self) {}

    /// Milliseconds since boot. MUST be monotonic (wrapping at `u32::MAX`).
    fn ticks_ms(&mut self) -> u32;

    /// Board name reported in the manifest.
    fn board(&self) -> &'static str;

    /// The memory map that peek/poke may touch. Accesses outside it are
    /// rejected by the device before [`Platform::mem_read`] is called.
    fn memory_map(&self) -> &[Region];

    /// Reads `width` at `addr` (already checked against the map and
    /// alignment). `None` if the hardware refuses.
    fn mem_read(&mut self, addr: u32, width: Width) -> Option<u32>;

    /// Writes `width` at `addr` (already checked). `false` if refused.
    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> bool;

    /// Extra native modules the port describes in its manifest, beyond the
    /// device crate's own (`machine`, `gc`).
    fn native_modules(&self) -> &'static [NativeModule<'static>] {
        &[]
    }

    /// Erase page size of the flash that holds the store, in bytes (a
    /// multiple of 4, at least 256). The default (and `0` pages) means the
    /// port has no store. See [`crate::store::Flash`] for the semantics.
    fn flash_page_size(&self) -> u32 {
        1024
    }

    /// Number of store pages; 0 (the default) means no store.
    fn flash_page_count(&self) -> u32 {
        0
    }

    /// True if the store does not survive a reset (a RAM region standing in
    /// for flash, e.g. on an emulator). Reported as `STORE_VOLATILE`.
    fn flash_volatile(&self) -> bool {
        false
    }

    /// Reads `buf.len()` bytes of store flash at byte address `addr`.
    /// MUST return `false` (not panic) for a range outside the flash.
    fn flash_read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
        let _ = (addr, buf);
        false
    }

    /// Erases store page `page`: every byte becomes `0xFF`.
    fn flash_erase(&mut self, page: u32) -> bool {
        let _ = page;
        false
    }

    /// Programs `data` at `addr`. NOR semantics: programming MUST only clear
    /// bits (the result is `old & data`); a port may refuse a write that
    /// would set a bit by returning `false`. MUST NOT touch bytes outside
    /// `[addr, addr + data.len())`.
    fn flash_program(&mut self, addr: u32, data: &[u8]) -> bool {
        let _ = (addr, data);
        false
    }
}
