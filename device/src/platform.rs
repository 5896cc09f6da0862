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
}
