//! Receiving: a small inbox of raw link bytes in front of the frame decoder.
//!
//! The inbox matters during a run: bytes read together with a `Run` request
//! (for instance an `Interrupt` sent right behind it) stay here, so the
//! running program's interrupt polling sees them before anything new.

use super::MAX_FRAME;
use crate::Platform;
use p14p_protocol::frame::FrameDecoder;

/// Bytes read from the platform per call: ~20 calls per full frame (a
/// syscall each on posix, microseconds next to the frame's 26 ms on a
/// 115200-baud line); every byte here is static RAM on a board, where the
/// UART ring holds what waits.
const INBOX: usize = 16;

/// The receive side of the link.
pub(super) struct Rx {
    /// Frame decoder over the byte stream.
    pub(super) dec: FrameDecoder<MAX_FRAME>,
    inbox: [u8; INBOX],
    pos: u8,
    len: u8,
}

impl Rx {
    #[inline(always)]
    pub(super) const fn new() -> Self {
        Rx {
            dec: FrameDecoder::new(),
            inbox: [0; INBOX],
            pos: 0,
            len: 0,
        }
    }

    /// Makes bytes available, reading the platform only when the inbox is
    /// empty. False when none are waiting.
    pub(super) fn fill<P: Platform>(&mut self, platform: &mut P) -> bool {
        if self.pos < self.len {
            return true;
        }
        // A platform reporting more than the buffer is clamped, not trusted.
        self.len = crate::platform::Link::read(platform, &mut self.inbox).min(INBOX) as u8;
        self.pos = 0;
        self.len > 0
    }

    /// The next inbox byte, if any.
    pub(super) fn next_byte(&mut self) -> Option<u8> {
        let b = *self
            .inbox
            .get(self.pos as usize)
            .filter(|_| self.pos < self.len)?;
        self.pos += 1;
        Some(b)
    }
}
