//! The fuzz targets. Each makes an input from a seeded [`Rng`] and the
//! [`Corpus`], and feeds it to one piece of device code.
//!
//! | target    | input | fed to |
//! |-----------|-------|--------|
//! | [`frame`]   | UART bytes   | `FrameDecoder`, then `Request::decode` on each good frame |
//! | [`request`] | a payload    | `Request::decode` (the device's hand-written codec), and its round trip |
//! | [`image`]   | an image     | `Image::parse` and every accessor |
//! | [`verify`]  | an image     | `load::verify` with the scratch it asks for, and with too little |
//! | [`run`]     | an image     | load, verify and run on a fresh VM whose host interrupts after a budget |

pub mod frame;
pub mod image;
pub mod request;
pub mod run;
pub mod verify;

use crate::rng::Rng;
use crate::seeds::Corpus;

/// What one input did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Turned away (malformed, failed verification, dropped frame).
    Rejected,
    /// Accepted (decoded, verified, ran to an end).
    Accepted,
    /// A run that did not end on the interrupt: why.
    Hang(String),
}

/// A target: its name, how an input is made, what it is fed to.
#[derive(Clone, Copy)]
pub struct Target {
    /// The name on the command line and in crash file names.
    pub name: &'static str,
    /// Makes one input.
    pub generate: fn(&Corpus, &mut Rng) -> Vec<u8>,
    /// Feeds one input to the device code (panics are the caller's to catch).
    pub execute: fn(&[u8]) -> Verdict,
}

/// Every target, in the order `all` runs them.
pub const TARGETS: [Target; 5] = [
    Target {
        name: "frame",
        generate: frame::generate,
        execute: frame::execute,
    },
    Target {
        name: "request",
        generate: request::generate,
        execute: request::execute,
    },
    Target {
        name: "image",
        generate: image::generate,
        execute: image::execute,
    },
    Target {
        name: "verify",
        generate: verify::generate,
        execute: verify::execute,
    },
    Target {
        name: "run",
        generate: run::generate,
        execute: run::execute,
    },
];

/// The target called `name`.
pub fn by_name(name: &str) -> Option<Target> {
    TARGETS.iter().copied().find(|t| t.name == name)
}
