//! The p14p device on a desktop: the reference port.
//!
//! | module       | what |
//! |--------------|------|
//! | [`platform`] | [`platform::PosixPlatform`]: link bytes over any stream, clock, memory map |
//! | [`memmap`]   | the simulated memory map peek/poke reach (never this process's memory) |
//! | [`gpio`]     | the simulated GPIO block behind `machine.Pin` and `Pin.irq` |
//! | [`buses`]    | the simulated I2C devices, SPI and UART loopbacks behind `machine.I2C`, `SPI`, `UART` |
//! | [`board`]    | the `board` native module (a sensor register, the LED): `docs/PORTING.md`'s example |
//! | [`machine`]  | the one function that picks the [`p14p_device::Machine`] |
//! | [`serve`]    | the serving loop |
//! | [`sim`]      | the in-process simulated device the host uses by default: a device thread on a Unix socket pair |
//! | [`pty`]      | a raw pseudo-terminal for `p14p-device --pty` (the only `unsafe` code) |
//!
//! ## Safety
//! `unsafe` appears only in [`pty`] (libc calls to create and configure a
//! pseudo-terminal), each call with a `SAFETY:` comment.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod board;
pub mod buses;
pub mod flash;
pub mod gpio;
pub mod line;
pub mod machine;
pub mod memmap;
pub mod platform;
#[allow(unsafe_code)]
pub mod pty;
pub mod serve;
pub mod sim;
