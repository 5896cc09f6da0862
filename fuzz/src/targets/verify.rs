//! `load::verify` on mutated images, with the scratch memory
//! `scratch_needed` asks for and with less than that.

use super::Verdict;
use crate::mutate;
use crate::rng::Rng;
use crate::seeds::Corpus;
use p14p_device::load::{scratch_needed, verify, VerifyError};

/// A mutated seed image (length and hash usually re-fixed).
pub fn generate(corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    mutate::image(rng, &corpus.images)
}

/// Verifies; accepted if the image passed.
pub fn execute(input: &[u8]) -> Verdict {
    let need = scratch_needed(input).unwrap_or(0);
    // A u16 code length bounds the table at 128 KiB.
    assert!(need <= 2 * 0xFFFF, "scratch_needed {need}");
    let mut scratch = vec![0xA5u8; need];
    let r = verify(input, &mut scratch);
    if need > 0 {
        // Too little scratch: refused (or passed if no code needs it all),
        // never a panic nor a different verdict on the image.
        let short = verify(input, &mut scratch[..need - 1]);
        assert!(
            short == r || short == Err(VerifyError::Scratch),
            "{short:?} with less scratch, {r:?} with enough"
        );
    }
    if r.is_ok() {
        Verdict::Accepted
    } else {
        Verdict::Rejected
    }
}
