//! The contract between the p14p host tool and the p14p device firmware.
//!
//! Everything that crosses the wire or lives in an image is defined here and
//! nowhere else:
//!
//! | module      | what |
//! |-------------|------|
//! | [`version`] | protocol and image-format versions, feature bits |
//! | [`frame`]   | `0x00 ‖ COBS(postcard(msg) ‖ CRC-16) ‖ 0x00` framing, sans-I/O decoder |
//! | [`msg`]     | requests (host → device) and responses (device → host) |
//! | [`wire`]    | postcard's encoding of the messages by hand, for the device (no serde) |
//! | [`seq`]     | [`seq::Seq`]: a list that is a borrowed slice on the device and a `Vec` on the host |
//! | [`image`]   | the compiled-module image layout, shared by the compiler and the loader |
//! | [`opcode`]  | the single opcode table: mnemonic, operand format, stack effect |
//! | [`heap`]    | heap block tags and the object layouts the host's inspector reads |
//! | [`natives`] | the VM's native modules (`machine`, `gc`, `os`): names, ids, functions and arity |
//! | [`errmsg`]  | numbered error messages: the device sends a number, the host owns the text |
//! | [`frozen`]  | what the frozen library's modules need of a firmware (features) |
//!
//! The crate is `#![no_std]` with no allocator; the `std` feature (host only)
//! adds owned sequences.
#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod errmsg;
pub mod frame;
pub mod frozen;
pub mod heap;
pub mod image;
pub mod msg;
pub mod natives;
pub mod opcode;
pub mod seq;
pub mod version;
pub mod wire;

pub use msg::{Command, Reply, Request, Response};
