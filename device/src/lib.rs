//! The p14p device: a flyweight Python VM for microcontrollers.
//!
//! `#![no_std]`, no allocator: every object lives in a fixed arena that the
//! port hands over. The crate is organised by concept:
//!
//! | module       | what |
//! |--------------|------|
//! | [`platform`] | the small traits a port implements, bundled as [`Platform`] |
//! | [`machine`]  | [`Machine`] (what the link asks of the VM) and [`Host`] (what the running VM asks of the world) |
//! | `heap`       | the arena, value encoding, garbage collector |
//! | `obj`        | one module per object type |
//! | `vm`         | frames, dispatch, calls, unwinding; `Vm` implements [`Machine`] |
//! | `builtins`   | builtin functions, exception classes, native modules |
//! | [`load`]     | image verification: nothing runs until every operand is checked |
//! | [`link`]     | the sans-I/O protocol state machine and [`link::Device`], the port's entry point |
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod link;
pub mod load;
pub mod machine;
pub mod platform;
pub mod store;

pub use link::Device;
pub use load::{verify, VerifyError};
pub use machine::{Clock, Host, Machine, Poll, RunOutcome};
pub use platform::Platform;
pub mod builtins;
pub mod heap;
pub mod obj;
pub mod vm;

pub use vm::{Vm, VmConfig};
