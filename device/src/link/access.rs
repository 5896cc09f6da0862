//! Memory-map checks shared by peek/poke requests and `machine.memN` in a
//! running program: nothing reaches [`MemoryMap::mem_read`] or
//! [`MemoryMap::mem_write`] unless it is aligned and inside one region.
//!
//! [`MemoryMap::mem_read`]: crate::platform::MemoryMap::mem_read
//! [`MemoryMap::mem_write`]: crate::platform::MemoryMap::mem_write

use crate::platform::Region;
use p14p_protocol::msg::{DeviceError, Width};

/// Checks `count` items of `width` from `addr`: aligned to the width, and
/// wholly inside one region (a writable one when `write`).
pub fn check(
    map: &[Region],
    addr: u32,
    width: Width,
    count: u32,
    write: bool,
) -> Result<(), DeviceError> {
    let w = width.bytes();
    if !addr.is_multiple_of(w) {
        return Err(DeviceError::Unaligned);
    }
    let size = u32::try_from(count as u64 * w as u64).map_err(|_| DeviceError::BadAddress)?;
    if map
        .iter()
        .any(|r| r.contains(addr, size) && (r.writable || !write))
    {
        Ok(())
    } else {
        Err(DeviceError::BadAddress)
    }
}

/// `value` cut to `width` (a poke of `0x1234` as `U8` writes `0x34`).
pub fn truncate(value: u32, width: Width) -> u32 {
    match width {
        Width::U8 => value & 0xFF,
        Width::U16 => value & 0xFFFF,
        Width::U32 => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &[Region] = &[
        Region {
            start: 0x100,
            len: 0x10,
            writable: true,
            name: "RAM",
        },
        Region {
            start: 0xFFFF_FFF0,
            len: 0x10,
            writable: false,
            name: "TOP",
        },
    ];

    #[test]
    fn accesses_must_be_aligned_inside_and_writable() {
        assert_eq!(check(MAP, 0x100, Width::U32, 4, true), Ok(()));
        assert_eq!(
            check(MAP, 0x100, Width::U32, 5, false),
            Err(DeviceError::BadAddress),
            "runs past the region"
        );
        assert_eq!(
            check(MAP, 0x102, Width::U32, 1, false),
            Err(DeviceError::Unaligned)
        );
        assert_eq!(check(MAP, 0x10F, Width::U8, 1, false), Ok(()));
        assert_eq!(
            check(MAP, 0x110, Width::U8, 1, false),
            Err(DeviceError::BadAddress)
        );
        assert_eq!(check(MAP, 0xFFFF_FFFC, Width::U32, 1, false), Ok(()));
        assert_eq!(
            check(MAP, 0xFFFF_FFFC, Width::U32, 2, false),
            Err(DeviceError::BadAddress),
            "no wrap-around at the top of the address space"
        );
        assert_eq!(
            check(MAP, 0xFFFF_FFFC, Width::U32, 1, true),
            Err(DeviceError::BadAddress),
            "read-only"
        );
        assert_eq!(
            check(MAP, 0x100, Width::U32, u32::MAX, false),
            Err(DeviceError::BadAddress)
        );
    }
}
