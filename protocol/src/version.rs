//! Versions and feature bits exchanged in the handshake.
//!
//! A host refuses to talk to a device whose [`PROTOCOL`] differs from its
//! own, and refuses to send images to a device whose [`IMAGE_FORMAT`]
//! differs; both are clear errors, never hangs.

/// Version of the message set and framing. Bumped on any incompatible change
/// (8: new `ErrMsg` numbers a host of 7 does not know; 9: numbered
/// `Output` frames, the count in `Done`/`Raised`, a second `Interrupt` or a
/// `Reset` stops a run whatever it catches; 10: native modules asked one
/// by one with `Native`, the manifest only counting them; 11: a native
/// function's argument types, `NativeFunction::args`; 12: `input()`'s
/// `Input` and `Line`; 13: `eval`/`exec`'s `Compile` and `Code`; 14: the
/// frozen library's numbered messages, `ErrMsg::FillChar` on).
pub const PROTOCOL: u16 = 14;

/// Version of the image layout and bytecode ([`crate::image`], [`crate::opcode`]).
pub const IMAGE_FORMAT: u16 = 5;

/// Feature bits a device reports in [`crate::msg::Manifest::features`].
pub mod feature {
    /// Floats are IEEE-754 single precision.
    pub const FLOAT32: u32 = 1 << 0;
    /// Floats are IEEE-754 double precision.
    pub const FLOAT64: u32 = 1 << 1;
    /// Integers have arbitrary precision (otherwise: 64-bit, then OverflowError).
    pub const BIGINT: u32 = 1 << 2;
    /// The device has a persistent store for images and files.
    pub const STORE: u32 = 1 << 3;
    /// The store does not survive a reset (e.g. a RAM region on an emulator).
    pub const STORE_VOLATILE: u32 = 1 << 4;
    /// The device times its collections: `HeapStats::gc_us` and
    /// `gc_last_us` are measured (in microseconds, at the port's clock
    /// resolution), not left at 0.
    pub const GC_TIME: u32 = 1 << 5;
    /// The device has `bytes` and `bytearray` (and `str.encode`,
    /// `int.to_bytes`/`from_bytes`); without it the host refuses `b'…'`
    /// literals and `bytes()` raises NotImplementedError.
    pub const BYTES: u32 = 1 << 6;
}
