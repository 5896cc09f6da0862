//! Handler rules beyond the stack proof: a handler never protects its own
//! entry point.
//!
//! A handler whose target lies inside the range it protects catches the
//! exceptions of its own code, `KeyboardInterrupt` included: `1 / 0` with a
//! handler over it that jumps back onto the division raises, catches and
//! raises again forever, deaf to interrupts. The compiler always places a
//! handler's code after the block it protects, so this rejects nothing it
//! makes. (Loops that catch everything can still be written in Python,
//! `while True: try: ... except: pass`; those the link's escalation ends.)

use super::VerifyError;
use p14p_protocol::image::Code;
use p14p_protocol::msg::ImageError;

/// Rejects a handler whose target is inside its own range.
pub(super) fn check(c: &Code<'_>) -> Result<(), VerifyError> {
    for h in c.handlers() {
        if (h.start..h.end).contains(&h.target) {
            return Err(VerifyError::Bad(ImageError::Target {
                code: c.index,
                pc: h.target,
            }));
        }
    }
    Ok(())
}
