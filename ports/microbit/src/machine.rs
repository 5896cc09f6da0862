//! The one place this port chooses its [`Machine`]: the p14p VM over the
//! static heap arena taken at boot.

use crate::{clock, config, store};
use p14p_device::vm::{Vm, VmConfig};

/// Maximum Python call depth. Frames live in the heap (8 KiB by default): a
/// small function's frame takes about 48 bytes, so 100 frames take about
/// 5 KiB and a runaway recursion ends as a RecursionError (not a
/// MemoryError) in the default heap.
pub const RECURSION_LIMIT: u16 = 100;

/// The stack's lowest address (`_stack_end` in the `ram.x` that build.rs
/// writes): below it is unmapped, so an overflow faults.
const STACK_BOTTOM: usize = 0x2000_0000;

/// Stack a nested dispatch loop may use below the point where it checks
/// the floor, until the next level checks again: the dispatch loop's frame
/// and the deepest native a level may call (a big int's decimal text,
/// `big_write`'s 1956-byte frame, under `repr`/`str`/`format`). Measured
/// under QEMU with `tests/hil/microbit/deep_repr.py` (see README.md).
const NEST_MARGIN: usize = config::NEST_MARGIN;

/// Starts the VM this port serves, in place (built by `Vm::unstarted`
/// over the heap arena taken at boot): timing its collections with
/// [`clock::micros`] and executing stored images in place from the store
/// flash ([`store::view`]).
pub fn start(vm: &mut Vm<'static>) {
    vm.set_clock(clock::micros);
    vm.set_flash(store::view());
    // A native calling back into Python nests a dispatch loop on this
    // small stack: RecursionError before one would run off its bottom.
    vm.set_stack_floor(STACK_BOTTOM + NEST_MARGIN);
    vm.start(VmConfig {
        recursion_limit: RECURSION_LIMIT,
    });
}
