//! Handler rules beyond the stack proof: a handler's code starts after the
//! block it protects.
//!
//! A handler whose target lies inside the range it protects, or before it
//! (falling through into it), catches the exceptions of its own code,
//! `KeyboardInterrupt` included: `1 / 0` with a handler over it that
//! leads back onto the division raises, catches and raises again forever,
//! deaf to interrupts. The compiler always places a handler's code after
//! the block it protects, so this rejects nothing it makes. (Loops that catch everything can still be written in Python,
//! `while True: try: ... except: pass`; those the link's escalation ends.)

use super::VerifyError;
use p14p_protocol::image::Code;
use p14p_protocol::msg::ImageError;

/// Rejects a handler whose target is not past the end of its range.
pub(super) fn check(c: &Code<'_>) -> Result<(), VerifyError> {
    for h in c.handlers() {
        if h.target < h.end {
            return Err(VerifyError::Bad(ImageError::Target {
                code: c.index,
                pc: h.target,
            }));
        }
    }
    Ok(())
}
