//! Mutations: how a valid input becomes a suspicious one.
//!
//! Bytes of any input: flips, random bytes, inserts, deletes, splices from
//! another input. Images get structure-aware ones too: an opcode replaced
//! by another of the same operand width (so the rest of the code still
//! decodes: `LIST_APPEND` → `SET_ADD`, `BUILD_LIST` → `BUILD_TUPLE`), an
//! operand set to an edge value, a code-record header field changed.
//! [`fix_image`] then rewrites the header's length and hash (most of the
//! time), so a mutant is judged by the verifier's real checks rather than
//! rejected by the hash.

use crate::rng::Rng;
use p14p_protocol::image::{fnv1a, CodeHeader, Image};
use p14p_protocol::opcode::{
    decode_at, Format, Op, IMPLIED, NARROW, OPERATOR_FORMS, SHORT_LOAD_FAST, SHORT_STORE_FAST,
};

/// One random byte-level change to `b` (`other` is a splice donor).
pub fn bytes_once(rng: &mut Rng, b: &mut Vec<u8>, other: &[u8]) {
    if b.is_empty() {
        b.push(rng.byte());
        return;
    }
    let at = rng.below(b.len());
    match rng.below(7) {
        0 => b[at] ^= 1 << rng.below(8),
        1 => b[at] = rng.byte(),
        2 => b[at] = *rng.pick(&[0, 1, 0x7F, 0x80, 0xFF]),
        3 => {
            let n = 1 + rng.below(8);
            for _ in 0..n {
                b.insert(at, rng.byte());
            }
        }
        4 => {
            let n = (1 + rng.below(8)).min(b.len() - at);
            b.drain(at..at + n);
        }
        5 if !other.is_empty() => {
            // Splice: a run of the donor over ours, at the same offset half
            // of the time (images share their layout).
            let from = if rng.chance(1, 2) {
                at.min(other.len() - 1)
            } else {
                rng.below(other.len())
            };
            let n = (1 + rng.below(64))
                .min(other.len() - from)
                .min(b.len() - at);
            b[at..at + n].copy_from_slice(&other[from..from + n]);
        }
        _ => {
            // A duplicated run (repeated structures, longer lengths).
            let n = (1 + rng.below(16)).min(b.len() - at);
            let run: Vec<u8> = b[at..at + n].to_vec();
            b.splice(at..at, run);
        }
    }
}

/// Instruction starts of every code object of `img`: `(absolute offset,
/// opcode byte)`.
fn instructions(img: &[u8]) -> Vec<(usize, u8)> {
    let mut out = Vec::new();
    let Ok(image) = Image::parse(img) else {
        return out;
    };
    for i in 0..image.n_codes {
        let Ok(c) = image.code(i) else { continue };
        let mut pc = 0;
        while let Ok(ins) = decode_at(c.code, pc) {
            out.push((c.code_offset + pc, c.code[pc]));
            pc = ins.next_pc();
        }
    }
    out
}

/// One structure-aware change to image `b`; false if it found no place
/// (then the caller falls back to a byte change).
pub fn image_once(rng: &mut Rng, b: &mut [u8]) -> bool {
    match rng.below(4) {
        0 | 1 => {
            // Opcode swap, same operand width.
            let ins = instructions(b);
            if ins.is_empty() {
                return false;
            }
            let (at, byte) = *rng.pick(&ins);
            // Narrow, short, implied and operator forms included: a swap
            // between the `u8` ranges turns an index into a count and
            // back (or a jump target); one to a one-byte form drops an
            // operand byte.
            let narrow = Op::ALL.iter().filter(|o| o.has_narrow());
            let same: Vec<u8> = Op::ALL
                .iter()
                .map(|&o| o as u8)
                .chain(narrow.map(|&o| o as u8 | NARROW))
                .chain(SHORT_LOAD_FAST..=SHORT_STORE_FAST | 0x0F)
                .chain(IMPLIED.iter().map(|&(b, _, _)| b))
                .chain(OPERATOR_FORMS.iter().flat_map(|&(b, _, _, n)| b..b + n))
                .filter(|&o| Format::of(o) == Format::of(byte))
                .collect();
            b[at] = *rng.pick(&same);
            true
        }
        2 => {
            // Operand to an edge value.
            let ins = instructions(b);
            let with: Vec<(usize, u8)> = ins
                .into_iter()
                .filter(|&(_, o)| Format::of(o) != Some(Format::None))
                .collect();
            if with.is_empty() {
                return false;
            }
            let (at, byte) = *rng.pick(&with);
            let v = rng.interesting_u16();
            match Format::of(byte) {
                Some(Format::U8) => b[at + 1] = v as u8,
                Some(Format::U16) => b[at + 1..at + 3].copy_from_slice(&v.to_le_bytes()),
                _ => {}
            }
            true
        }
        _ => {
            // A code-record header byte (flags, counts, and the varints:
            // max_stack, name, lengths, whose continuation bits a change
            // may flip, shifting every field after it).
            let Ok(image) = Image::parse(b) else {
                return false;
            };
            let i = rng.below(image.n_codes as usize) as u16;
            let Ok(off) = image.code_offset(i) else {
                return false;
            };
            let Ok(header) = CodeHeader::read(b, off) else {
                return false;
            };
            let field = rng.below(header.len as usize);
            let Some(slot) = b.get_mut(off + field) else {
                return false;
            };
            *slot = match rng.below(3) {
                0 => slot.wrapping_add(1),
                1 => slot.wrapping_sub(1),
                _ => rng.byte(),
            };
            true
        }
    }
}

/// Rewrites the header's length (usually) and hash (almost always) so the
/// mutant gets past both.
pub fn fix_image(rng: &mut Rng, b: &mut [u8]) {
    if b.len() >= 16 {
        if !rng.chance(1, 20) {
            let n = b.len() as u32;
            b[8..12].copy_from_slice(&n.to_le_bytes());
        }
        if !rng.chance(1, 50) {
            let h = fnv1a(&b[16..]);
            b[12..16].copy_from_slice(&h.to_le_bytes());
        }
    }
}

/// A mutant of a random seed image: 1 to 4 changes, then [`fix_image`].
pub fn image(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut b = rng.pick(seeds).clone();
    let other = rng.pick(seeds);
    let n = 1 + rng.below(4);
    for _ in 0..n {
        if !(rng.chance(3, 5) && image_once(rng, &mut b)) {
            bytes_once(rng, &mut b, other);
        }
    }
    fix_image(rng, &mut b);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_image_makes_length_and_hash_match_most_of_the_time() {
        let mut rng = Rng::new(3);
        let (mut hashes, mut lengths) = (0, 0);
        for i in 0..1000u32 {
            let mut b = vec![0u8; 64];
            b[40..44].copy_from_slice(&i.to_le_bytes());
            fix_image(&mut rng, &mut b);
            hashes +=
                usize::from(u32::from_le_bytes(b[12..16].try_into().unwrap()) == fnv1a(&b[16..]));
            lengths += usize::from(u32::from_le_bytes(b[8..12].try_into().unwrap()) == 64);
        }
        assert!((950..1000).contains(&hashes), "{hashes}");
        assert!((900..1000).contains(&lengths), "{lengths}");
    }
}
