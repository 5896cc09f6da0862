//! Sending: frame encoding into fixed buffers, then one platform write.

use super::MAX_FRAME;
use crate::Platform;
use p14p_protocol::frame::{self, FrameError};
use p14p_protocol::msg::{Reply, Response};
use serde::Serialize;

/// The transmit side of the link: postcard scratch and the encoded frame.
pub(super) struct Tx {
    scratch: [u8; MAX_FRAME],
    out: [u8; MAX_FRAME],
}

impl Tx {
    #[inline(always)]
    pub(super) const fn new() -> Self {
        Tx {
            scratch: [0; MAX_FRAME],
            out: [0; MAX_FRAME],
        }
    }

    /// Frames and writes any message. Nothing is written if it does not fit
    /// one frame; the caller decides on a smaller fallback.
    pub(super) fn send<P: Platform, T: Serialize>(
        &mut self,
        platform: &mut P,
        msg: &T,
    ) -> Result<(), FrameError> {
        let n = frame::encode(msg, &mut self.scratch, &mut self.out)?;
        platform.write(self.out.get(..n).unwrap_or_default());
        Ok(())
    }

    /// Sends `reply` to request `seq`. Every fixed-size reply fits a frame
    /// (checked by the constants in [`super`]), so the error is dropped.
    pub(super) fn reply<P: Platform>(&mut self, platform: &mut P, seq: u16, reply: Reply<'_>) {
        let _ = self.send(platform, &Response { seq, reply });
    }
}
