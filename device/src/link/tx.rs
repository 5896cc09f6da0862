//! Sending: a message encoded by its hand-written codec
//! ([`p14p_protocol::wire`]: no serde in the firmware) and COBS-encoded on
//! the way out to the platform, through a small window on the stack and no
//! frame buffer at all ([`frame::encode_windowed`]: the message is encoded
//! a few times, each pass keeping [`WINDOW`] bytes of it).

use super::MAX_FRAME;
use crate::Platform;
use p14p_protocol::frame::{self, FrameError};
use p14p_protocol::msg::{Reply, Response};
use p14p_protocol::wire::Encode;

/// Bytes of an encoded frame gathered before each platform write.
const STAGE: usize = 64;

/// Bytes of the message each serialisation pass keeps: a frame of
/// [`MAX_FRAME`] bytes takes about five passes.
const WINDOW: usize = 64;

/// The transmit side of the link. It holds no state: a frame exists only
/// on its way out (it was a frame-sized buffer of static RAM).
pub(super) struct Tx {}

impl Tx {
    #[inline(always)]
    pub(super) const fn new() -> Self {
        Tx {}
    }

    /// Frames and writes any message. Nothing is written if it does not fit
    /// one frame; the caller decides on a smaller fallback.
    pub(super) fn send<P: Platform>(
        &mut self,
        platform: &mut P,
        msg: &dyn Encode,
    ) -> Result<(), FrameError> {
        // COBS hands out a piece per zero in the message: gather them on
        // the stack so a port pays one write (a syscall on posix) per
        // `STAGE` bytes, not per piece.
        let mut stage = [0u8; STAGE];
        let mut len = 0;
        let mut window = [0u8; WINDOW];
        let r = frame::encode_windowed(msg, &mut window, MAX_FRAME, |mut piece| {
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
