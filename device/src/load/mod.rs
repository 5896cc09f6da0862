//! Image verification: nothing runs until every operand is checked.
//!
//! [`verify`] walks every code object of an image and proves that each
//! opcode exists, each operand (constant, name, local, cell index) is in
//! range, each jump and handler target starts an instruction, the value stack
//! never underflows nor exceeds the code's `max_stack`, every instruction is
//! reached with one stack depth, and execution cannot run off the end. The
//! interpreter then trusts the image and does not re-check operands.

use p14p_protocol::msg::ImageError;

/// Why verification failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyError {
    /// The image is malformed or unsafe to run.
    Bad(ImageError),
    /// The scratch buffer was too small for this image (the caller reports
    /// `DeviceError::NoMemory`).
    Scratch,
}

/// Verifies `image`. `scratch` is working memory (depth tables); the VM lends
/// free heap space. Placeholder: the real verifier replaces this body.
pub fn verify(image: &[u8], scratch: &mut [u8]) -> Result<(), VerifyError> {
    let _ = scratch;
    p14p_protocol::image::Image::parse(image)
        .map(|_| ())
        .map_err(VerifyError::Bad)
}
