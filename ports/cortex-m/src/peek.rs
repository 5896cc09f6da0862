//! [`peek`] and [`poke`]: a volatile access of any width to any address of
//! a port's peek/poke map, for the link and `machine.memN`. Each port says
//! which accesses reach the bus ([`AccessMap`], over its `memmap.rs`); the
//! accesses by width are written once, here.

use core::ptr;
use p14p_protocol::msg::Width;

/// A port's peek/poke memory map: the check [`peek`] and [`poke`] make
/// before every access (the device crate checks too, but a safe function
/// must not rely on its caller).
///
/// # Safety
///
/// `accessible(addr, width, write)` MUST be true only if `addr` is aligned
/// to `width` and `[addr, addr + width)` lies inside one region of the
/// chip whose bus answers that access without a fault, where a read has no
/// side effect, and, for a write, where no Rust object lives. Where
/// `word_only(addr)` is true, `accessible` MUST refuse writes narrower than
/// a word and allow word reads of the aligned word around any byte it
/// allows (a narrower read reads that word and returns the part).
#[allow(unsafe_code)]
pub unsafe trait AccessMap {
    /// True if `width` at `addr` may be read (`write` false) or written.
    fn accessible(addr: u32, width: Width, write: bool) -> bool;
    /// True if `addr` is in registers (or memory) that answer only words.
    fn word_only(addr: u32) -> bool;
}

/// Reads `width` at `addr` if map `M` allows it; `None` otherwise.
pub fn peek<M: AccessMap>(addr: u32, width: Width) -> Option<u32> {
    if !M::accessible(addr, width, false) {
        return None;
    }
    if M::word_only(addr) && width != Width::U32 {
        // Registers are words: read the whole one, return the part.
        let word = addr & !3;
        let value = peek::<M>(word, Width::U32)? >> ((addr - word) * 8);
        return Some(value & if width == Width::U8 { 0xFF } else { 0xFFFF });
    }
    // SAFETY: `M::accessible` just checked that `addr` is aligned to
    // `width` and lies inside a region that answers this read without a
    // fault or a side effect (`AccessMap`'s contract). That region may hold
    // Rust objects; a volatile read of plain memory from the only thread
    // does not change them (it is what a debugger does).
    #[allow(unsafe_code)]
    let value = unsafe {
        match width {
            Width::U8 => u32::from(ptr::read_volatile(addr as *const u8)),
            Width::U16 => u32::from(ptr::read_volatile(addr as *const u16)),
            Width::U32 => ptr::read_volatile(addr as *const u32),
        }
    };
    Some(value)
}

/// Writes `width` at `addr` if map `M` allows it; `false` otherwise.
/// `value` is truncated to `width`.
pub fn poke<M: AccessMap>(addr: u32, width: Width, value: u32) -> bool {
    if !M::accessible(addr, width, true) {
        return false;
    }
    // SAFETY: `M::accessible` just checked alignment and that the write
    // lies inside one writable region, where no Rust object lives
    // (`AccessMap`'s contract).
    #[allow(unsafe_code)]
    unsafe {
        match width {
            Width::U8 => ptr::write_volatile(addr as *mut u8, value as u8),
            Width::U16 => ptr::write_volatile(addr as *mut u16, value as u16),
            Width::U32 => ptr::write_volatile(addr as *mut u32, value),
        }
    }
    true
}
