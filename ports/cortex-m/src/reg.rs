//! [`Reg`]: a 32-bit memory-mapped device register the firmware drives.

use core::ptr;

/// A 32-bit device register at a reference-manual address.
///
/// Making one is `unsafe` ([`Reg::at`]); reading and writing it is then
/// safe, because the maker promised what makes those sound. A port names
/// its registers as constants in its `mmio.rs`, the one place that says
/// which chip's manual each address comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reg(u32);

impl Reg {
    /// The register at `addr`.
    ///
    /// # Safety
    ///
    /// `addr` MUST be 4-aligned and name a device register of the chip the
    /// firmware runs on whose bus access cannot fault when the firmware
    /// touches it (its clock gate on, if it has one), and no Rust object may
    /// live there.
    #[allow(unsafe_code)]
    pub const unsafe fn at(addr: u32) -> Reg {
        Reg(addr)
    }

    /// The register's address.
    pub const fn addr(self) -> u32 {
        self.0
    }

    /// Reads the register.
    #[inline]
    pub fn read(self) -> u32 {
        // SAFETY: `Reg::at`'s contract: an aligned device register that
        // answers without a fault and holds no Rust object.
        #[allow(unsafe_code)]
        unsafe {
            ptr::read_volatile(self.0 as *const u32)
        }
    }

    /// Writes the register.
    #[inline]
    pub fn write(self, value: u32) {
        // SAFETY: as in `read`; writing a device register touches no Rust
        // object.
        #[allow(unsafe_code)]
        unsafe {
            ptr::write_volatile(self.0 as *mut u32, value)
        }
    }

    /// Sets the bits of `mask` (a read-modify-write: not atomic).
    #[inline]
    pub fn set_bits(self, mask: u32) {
        self.write(self.read() | mask);
    }
}
