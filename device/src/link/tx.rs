//! Sending: a message's postcard bytes into one frame-sized buffer, then
//! COBS-encoded on the way out to the platform (no second buffer for the
//! encoded frame: [`frame::encode_to`]).

use super::MAX_FRAME;
use crate::Platform;
use p14p_protocol::frame::{self, FrameError};
use p14p_protocol::msg::{Reply, Response};
use serde::Serialize;

/// Bytes of an encoded frame gathered before each platform write.
const STAGE: usize = 64;

/// The transmit side of the link: the postcard bytes of the frame being
/// sent.
pub(super) struct Tx {
    scratch: [u8; MAX_FRAME],
}

impl Tx {
    #[inline(always)]
    pub(super) const fn new() -> Self {
        Tx {
            scratch: [0; MAX_FRAME],
        }
    }

    /// Frames and writes any message. Nothing is written if it does not fit
    /// one frame; the caller decides on a smaller fallback.
    pub(super) fn send<P: Platform, T: Serialize>(
        &mut self,
        platform: &mut P,
        msg: &T,
    ) -> Result<(), FrameError> {
        // COBS hands out a piece per zero in the message: gather them on
        // the stack so a port pays one write (a syscall on posix) per
        // `STAGE` bytes, not per piece.
        let mut stage = [0u8; STAGE];
        let mut len = 0;
        let r = frame::encode_to(msg, &mut self.scratch, MAX_FRAME, |mut piece| {
            while !piece.is_empty() {
                if len == STAGE {
                    platform.write(&stage);
                    len = 0;
                }
                let free = stage.get_mut(len..).unwrap_or_default();
                let n = piece.len().min(free.len());
                let (now, rest) = piece.split_at(n);
                free.get_mut(..n).unwrap_or_default().copy_from_slice(now);
                len += n;
                piece = rest;
            }
        });
        if len > 0 {
            platform.write(stage.get(..len).unwrap_or_default());
        }
        r
    }

    /// Sends `reply` to request `seq`. Every fixed-size reply fits a frame
    /// (checked by the constants in [`super`]), so the error is dropped.
    pub(super) fn reply<P: Platform>(&mut self, platform: &mut P, seq: u16, reply: Reply<'_>) {
        let _ = self.send(platform, &Response { seq, reply });
    }
}
