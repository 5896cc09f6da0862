//! The handshake answer, a [`Manifest`] built from the machine and the
//! platform, and the device's native modules, which the host then asks for
//! one by one (`Command::Native`, [`native_module`]): the VM's own
//! ([`p14p_protocol::natives`]), then the port's
//! ([`NativeModules::native_modules`](crate::platform::NativeModules::native_modules)).
//! One module per frame, so a port's modules never depend on what room
//! the handshake's one frame leaves.
//!
//! [`Manifest`]: p14p_protocol::msg::Manifest

use super::{MAX_FRAME, WINDOW};
use crate::builtins::machine;
use crate::{Machine, Platform};
use p14p_protocol::msg::{Manifest, NativeModule};
use p14p_protocol::natives;
use p14p_protocol::version;

/// Firmware version reported in the manifest.
const FIRMWARE: &str = env!("CARGO_PKG_VERSION");

/// The manifest answering `Hello`.
pub(super) fn manifest<P: Platform, M: Machine>(
    platform: &P,
    machine: &M,
    store: &crate::store::Store,
    store_bytes: u32,
) -> Manifest<'static> {
    let mut features = machine.features();
    if store.present() {
        features |= version::feature::STORE;
    }
    if store.volatile() {
        features |= version::feature::STORE_VOLATILE;
    }
    Manifest {
        protocol: version::PROTOCOL,
        image_format: version::IMAGE_FORMAT,
        board: platform.board(),
        firmware: FIRMWARE,
        heap_bytes: machine.heap_bytes(),
        store_bytes,
        max_frame: MAX_FRAME as u16,
        window: WINDOW,
        recursion_limit: machine.recursion_limit(),
        features,
        natives: (machine::PROVIDED + port_modules(platform).len()).min(255) as u8,
        // No limit but the space: the store keeps no file table.
        store_max_files: u16::MAX,
        store_max_name: crate::store::MAX_NAME as u8,
    }
}

/// Native module number `index`: the VM's this build provides, then the
/// port's.
pub(super) fn native_module<P: Platform>(
    platform: &P,
    index: u8,
) -> Option<&'static NativeModule<'static>> {
    /// `math` with floats: the module with its kernels.
    #[cfg(feature = "float")]
    static MATH: NativeModule<'static> = NativeModule {
        name: "math",
        functions: p14p_protocol::seq::Seq::Slice(natives::MATH_KERNELS),
    };
    let i = usize::from(index);
    match i.checked_sub(machine::PROVIDED) {
        #[cfg(feature = "float")]
        None if i == natives::id::MATH as usize => Some(&MATH),
        None => natives::MODULES.get(i),
        Some(j) => port_modules(platform).get(j),
    }
}

/// The port's modules, if this build can call them (feature `natives`).
fn port_modules<P: Platform>(platform: &P) -> &'static [NativeModule<'static>] {
    if cfg!(feature = "natives") {
        platform.native_modules()
    } else {
        &[]
    }
}
