//! The one place this port chooses its [`Machine`]: the p14p VM over the
//! static heap arena taken at boot.

use crate::{clock, config, store};
use p14p_device::vm::{Vm, VmConfig};

/// Maximum Python call depth, as on the LM3S6965. Frames live in the heap
/// (192 KiB): a small function's frame takes about 48 bytes, so 400 take
/// about 19 KiB.
pub const RECURSION_LIMIT: u16 = 400;

/// The stack's lowest address (`_stack_end` in the `ram.x` that build.rs
/// writes): below it is the read-only XIP window, so an overflow faults.
const STACK_BOTTOM: usize = 0x2000_0000;

/// Starts the VM this port serves, in place: timing its collections with
/// [`clock::micros`] and executing stored images in place from the store
/// flash's XIP window ([`store::view`]); a native calling back into Python nests a dispatch
/// loop on the stack, so RecursionError comes before one would run off
/// its bottom.
pub fn start(vm: &mut Vm<'static>) {
    vm.set_clock(clock::micros);
    vm.set_flash(store::view());
    vm.set_stack_floor(STACK_BOTTOM + config::NEST_MARGIN);
    vm.start(VmConfig {
        recursion_limit: RECURSION_LIMIT,
    });
}
