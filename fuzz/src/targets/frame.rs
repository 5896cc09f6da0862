//! `FrameDecoder` (the device's buffer size) fed UART bytes: noise, good
//! frames around random payloads and encoded requests, over-long frames,
//! and all of these mutated. Every good frame goes on to `Request::decode`
//! as the link does.

use super::Verdict;
use crate::mutate;
use crate::rng::Rng;
use crate::seeds::Corpus;
use p14p_device::link::MAX_FRAME;
use p14p_protocol::frame::{Feed, FrameDecoder, CRC16};
use p14p_protocol::msg::Request;

/// `payload` as a frame: `0x00 ‖ COBS(payload ‖ crc16_le) ‖ 0x00`.
pub fn frame(payload: &[u8]) -> Vec<u8> {
    let mut raw = payload.to_vec();
    raw.extend_from_slice(&CRC16.checksum(payload).to_le_bytes());
    let mut out = vec![0u8; corncobs::max_encoded_len(raw.len()) + 1];
    let n = corncobs::encode_buf(&raw, &mut out[1..]);
    out.truncate(n + 1);
    out
}

/// One to four pieces of line traffic, then (half of the time) mutated.
pub fn generate(corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..1 + rng.below(4) {
        match rng.below(4) {
            0 => {
                // Noise, zeros common (delimiters, empty frames).
                for _ in 0..rng.below(400) {
                    out.push(if rng.chance(1, 8) { 0 } else { rng.byte() });
                }
            }
            1 => {
                // A good frame around random bytes, sometimes longer than
                // the device's buffer.
                let n = rng.below(MAX_FRAME + 64);
                let p: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
                out.extend(frame(&p));
            }
            _ => {
                let p = rng.pick(&corpus.requests).clone();
                out.extend(frame(&p));
            }
        }
    }
    if rng.chance(1, 2) {
        let other = rng.pick(&corpus.requests).clone();
        for _ in 0..1 + rng.below(3) {
            mutate::bytes_once(rng, &mut out, &other);
        }
    }
    out
}

/// Feeds the bytes; accepted if any frame decoded to a request.
pub fn execute(input: &[u8]) -> Verdict {
    let mut dec = FrameDecoder::<MAX_FRAME>::new();
    let mut any = false;
    for &b in input {
        if let Feed::Frame(p) = dec.push(b) {
            assert!(p.len() <= MAX_FRAME, "payload longer than the buffer");
            any |= Request::decode(p).is_ok();
        }
    }
    if any {
        Verdict::Accepted
    } else {
        Verdict::Rejected
    }
}
