//! `Image::parse` and every accessor the device uses on an image: names,
//! constants (tuple items included), code records, slot names, handlers
//! and instruction decoding.

use super::Verdict;
use crate::mutate;
use crate::rng::Rng;
use crate::seeds::Corpus;
use p14p_protocol::image::{Const, Image};
use p14p_protocol::opcode::decode_at;

/// A mutated seed image (length and hash usually re-fixed).
pub fn generate(corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    mutate::image(rng, &corpus.images)
}

/// Parses and walks everything; accepted if every accessor succeeded.
pub fn execute(input: &[u8]) -> Verdict {
    let Ok(img) = Image::parse(input) else {
        return Verdict::Rejected;
    };
    let mut ok = img.hash_ok();
    let _ = img.hash();
    for n in img.names() {
        ok &= n.is_ok();
    }
    for c in img.consts() {
        match c {
            Ok(Const::Tuple(items)) => {
                let n = items.iter().count();
                assert_eq!(n, items.len(), "tuple length disagrees with its items");
            }
            Ok(_) => {}
            Err(_) => ok = false,
        }
    }
    // Every code index a u16 can name is asked for (bounded by the count).
    for i in 0..img.n_codes {
        let _ = img.code_offset(i);
        let Ok(c) = img.code(i) else {
            ok = false;
            continue;
        };
        for s in 0..=c.nlocals as usize {
            let _ = c.slot_name(s);
        }
        let _ = c.param_slots();
        assert_eq!(c.handlers().count(), c.n_handlers());
        let mut pc = 0;
        while pc < c.code.len() {
            match decode_at(c.code, pc) {
                Ok(i) => {
                    assert!(i.next_pc() > pc);
                    pc = i.next_pc();
                }
                Err(_) => {
                    ok = false;
                    break;
                }
            }
        }
    }
    let _ = img.code(img.n_codes);
    if ok {
        Verdict::Accepted
    } else {
        Verdict::Rejected
    }
}
