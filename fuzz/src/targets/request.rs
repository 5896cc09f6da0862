//! `Request::decode`, the device's hand-written wire codec, on encoded
//! requests (mutated) and random bytes. What it accepts must survive a
//! round trip through its encoder, and agree with postcard's serde decoder,
//! the host's codec (the wire format's definition).

use super::Verdict;
use crate::mutate;
use crate::rng::Rng;
use crate::seeds::Corpus;
use p14p_protocol::msg::Request;
use p14p_protocol::wire;

/// A seed request with up to four byte changes, or random bytes.
pub fn generate(corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    if rng.chance(1, 8) {
        return (0..rng.below(64)).map(|_| rng.byte()).collect();
    }
    let mut p = rng.pick(&corpus.requests).clone();
    let other = rng.pick(&corpus.requests).clone();
    for _ in 0..rng.below(5) {
        mutate::bytes_once(rng, &mut p, &other);
    }
    p
}

/// Decodes; a request that decodes must round-trip and match postcard.
pub fn execute(input: &[u8]) -> Verdict {
    let ours = Request::decode(input);
    let theirs = postcard::from_bytes::<Request<'_>>(input);
    match (ours, theirs) {
        (Ok(r), Ok(s)) => {
            assert_eq!(r, s, "the device codec and postcard decode differently");
            let again = wire::to_vec(&r);
            assert_eq!(Request::decode(&again), Ok(r), "no round trip");
            Verdict::Accepted
        }
        (Err(_), Err(_)) => Verdict::Rejected,
        (ours, theirs) => panic!("codecs disagree: device {ours:?}, postcard {theirs:?}"),
    }
}
