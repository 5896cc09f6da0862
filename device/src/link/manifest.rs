//! The handshake answer: a [`Manifest`] built from the machine and the
//! platform, and the device's own native module table.
//!
//! The manifest's `natives` list is the VM's own modules
//! ([`p14p_protocol::natives`]) followed by [`NativeModules::native_modules`](crate::platform::NativeModules::native_modules). Two static slices cannot become
//! one `Seq` without an allocator, so the reply is written by
//! [`HelloResponse`], which encodes the same bytes as
//! `Response { seq, reply: Reply::Hello(manifest) }` with the port's
//! modules chained after the manifest's own ([`Manifest::encode_with`],
//! the one copy of the manifest's encoder). A test decodes it with the
//! real types.
//!
//! [`Manifest`]: p14p_protocol::msg::Manifest

use super::{MAX_FRAME, WINDOW};
use crate::builtins::machine;
use crate::{Machine, Platform};
use p14p_protocol::msg::{Manifest, NativeModule};
use p14p_protocol::natives;
use p14p_protocol::seq::Seq;
use p14p_protocol::version;
use p14p_protocol::wire::{Encode, Writer};

/// The native modules of the VM itself, before the port's: the protocol's
/// table, of which the manifest sends the ones this build provides.
static VM_MODULES: [NativeModule<'static>; natives::MODULES.len()] = natives::MODULES;

/// Firmware version reported in the manifest.
const FIRMWARE: &str = env!("CARGO_PKG_VERSION");

/// Index of `Reply::Hello` in the `Reply` enum (written before the manifest).
const HELLO_VARIANT: u64 = 1;

/// `Response { seq, reply: Reply::Hello(manifest) }` on the wire, the
/// manifest's own natives (the VM's) followed by `port`'s.
pub(super) struct HelloResponse<'a> {
    seq: u16,
    manifest: Manifest<'a>,
    port: &'a [NativeModule<'a>],
}

impl Encode for HelloResponse<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.varint(self.seq.into());
        w.varint(HELLO_VARIANT);
        self.manifest.encode_with(w, self.port);
    }
}

impl HelloResponse<'static> {
    /// The answer to `Hello` with sequence number `seq`. With
    /// `with_port_natives == false` the port's modules are left out (the
    /// fallback when a port's table would not fit one frame).
    pub(super) fn new<P: Platform, M: Machine>(
        seq: u16,
        platform: &P,
        machine: &M,
        store: &crate::store::Store,
        store_bytes: u32,
        with_port_natives: bool,
    ) -> Self {
        let mut features = machine.features();
        if store.present() {
            features |= version::feature::STORE;
        }
        if store.volatile() {
            features |= version::feature::STORE_VOLATILE;
        }
        let port: &'static [NativeModule<'static>] = if with_port_natives {
            platform.native_modules()
        } else {
            &[]
        };
        HelloResponse {
            seq,
            port,
            manifest: Manifest {
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
                natives: Seq::Slice(&VM_MODULES[..machine::PROVIDED]),
                // No limit but the space: the store keeps no file table.
                store_max_files: u16::MAX,
                store_max_name: crate::store::MAX_NAME as u8,
            },
        }
    }
}
