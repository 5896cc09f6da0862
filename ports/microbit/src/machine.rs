//! The one place this port chooses its [`Machine`]: the p14p VM over the
//! static heap arena taken at boot.

use crate::{clock, store};
use p14p_device::vm::{Vm, VmConfig};

/// Maximum Python call depth. Frames live in the heap (8 KiB by default): a
/// small function's frame takes about 48 bytes, so 100 frames take about
/// 5 KiB and a runaway recursion ends as a RecursionError (not a
/// MemoryError) in the default heap.
pub const RECURSION_LIMIT: u16 = 100;

/// Starts the VM this port serves, in place (built by `Vm::unstarted`
/// over the heap arena taken at boot): timing its collections with
/// [`clock::micros`] and executing stored images in place from the store
/// flash ([`store::view`]).
pub fn start(vm: &mut Vm<'static>) {
    vm.set_clock(clock::micros);
    vm.set_flash(store::view());
    vm.start(VmConfig {
        recursion_limit: RECURSION_LIMIT,
    });
}
