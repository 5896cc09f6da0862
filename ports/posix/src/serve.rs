//! The serving loop shared by the simulator and the `p14p-device` binary.

use crate::platform::PosixPlatform;
use p14p_device::{Device, Machine};

/// Boots a [`Device`] on `platform` and serves until the stream closes;
/// returns the machine so the next connection can keep its state.
pub fn serve<M: Machine>(platform: PosixPlatform, machine: M) -> M {
    let mut device = Device::new(platform, machine);
    while !device.platform().closed() {
        device.poll();
    }
    device.into_parts().1
}
