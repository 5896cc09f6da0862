//! The one place the posix port chooses its [`Machine`]: the p14p VM over a
//! heap arena the caller owns.

use p14p_device::vm::{Vm, VmConfig};
use p14p_device::Machine;
use std::sync::OnceLock;
use std::time::Instant;

/// Maximum Python call depth on the posix port: CPython's default, since a
/// desktop has the memory for it (frames live in the VM heap, not on the
/// Rust stack, so the heap size is what bounds it in practice).
pub const RECURSION_LIMIT: u16 = 1000;

/// The machine the posix port serves, over a heap arena the caller owns,
/// timing its collections with [`micros`].
pub fn new_machine(arena: &mut [u32]) -> impl Machine + '_ {
    Vm::new(
        arena,
        VmConfig {
            recursion_limit: RECURSION_LIMIT,
        },
    )
    .with_clock(micros)
}

/// As [`new_machine`], executing stored images in place from `flash`, the
/// store chip's memory-mapped view ([`crate::flash::FileFlash::view`]).
pub fn new_machine_in_place<'a>(arena: &'a mut [u32], flash: &'a [u8]) -> impl Machine + 'a {
    Vm::new(
        arena,
        VmConfig {
            recursion_limit: RECURSION_LIMIT,
        },
    )
    .with_clock(micros)
    .with_flash(flash)
}

/// Microseconds since the first call, wrapping: the VM's [`p14p_device::Clock`]
/// (std's monotonic clock, 1 µs resolution).
pub fn micros() -> u32 {
    static START: OnceLock<Instant> = OnceLock::new();
    // Truncation is the contract: the clock wraps at u32::MAX.
    START.get_or_init(Instant::now).elapsed().as_micros() as u32
}
