//! UF2, the file format the RP2040's boot ROM takes on its RPI-RP2 drive
//! (<https://github.com/microsoft/uf2>): 512-byte blocks, each carrying
//! 256 bytes of flash at a target address, with the RP2040's family id so
//! that a drive of another chip family ignores them.

/// First magic word of a block.
pub const MAGIC_START0: u32 = 0x0A32_4655;
/// Second magic word of a block.
pub const MAGIC_START1: u32 = 0x9E5D_5157;
/// Last word of a block.
pub const MAGIC_END: u32 = 0x0AB1_6F30;
/// Flag: the family id field is present.
pub const FLAG_FAMILY_ID: u32 = 0x0000_2000;
/// The RP2040's family id.
pub const FAMILY_RP2040: u32 = 0xE48B_FF56;
/// Flash bytes per block (the boot ROM writes whole 256-byte pages).
pub const PAYLOAD: usize = 256;
/// Bytes per block.
pub const BLOCK: usize = 512;

/// The UF2 blocks that put `image` at `base` (a flash address, 256-aligned).
pub fn from_image(image: &[u8], base: u32) -> Vec<u8> {
    let count = image.len().div_ceil(PAYLOAD);
    let mut out = Vec::with_capacity(count * BLOCK);
    for (i, chunk) in image.chunks(PAYLOAD).enumerate() {
        let mut block = [0u8; BLOCK];
        let words = [
            MAGIC_START0,
            MAGIC_START1,
            FLAG_FAMILY_ID,
            base + (i * PAYLOAD) as u32,
            PAYLOAD as u32,
            i as u32,
            count as u32,
            FAMILY_RP2040,
        ];
        for (slot, w) in block.chunks_exact_mut(4).zip(words) {
            slot.copy_from_slice(&w.to_le_bytes());
        }
        // A short last chunk is padded with erased flash.
        let data = &mut block[32..32 + PAYLOAD];
        data.fill(0xFF);
        data[..chunk.len()].copy_from_slice(chunk);
        block[BLOCK - 4..].copy_from_slice(&MAGIC_END.to_le_bytes());
        out.extend_from_slice(&block);
    }
    out
}

/// The flash bytes a UF2 file puts at `base..`, erased (0xFF) where it puts
/// nothing; `None` if a block is malformed or lies below `base`.
pub fn to_image(uf2: &[u8], base: u32) -> Option<Vec<u8>> {
    if !uf2.len().is_multiple_of(BLOCK) {
        return None;
    }
    let mut image = Vec::new();
    for block in uf2.chunks_exact(BLOCK) {
        let word = |i: usize| u32::from_le_bytes(block[i..i + 4].try_into().unwrap());
        if word(0) != MAGIC_START0 || word(4) != MAGIC_START1 || word(BLOCK - 4) != MAGIC_END {
            return None;
        }
        let at = word(12).checked_sub(base)? as usize;
        let size = word(16) as usize;
        if size > 476 {
            return None;
        }
        if image.len() < at + size {
            image.resize(at + size, 0xFF);
        }
        image[at..at + size].copy_from_slice(&block[32..32 + size]);
    }
    Some(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_and_carry_the_rp2040_family() {
        let image: Vec<u8> = (0..600u32).map(|i| (i * 7) as u8).collect();
        let uf2 = from_image(&image, 0x1000_0000);
        assert_eq!(uf2.len(), 3 * BLOCK);
        let word = |b: usize, i: usize| {
            u32::from_le_bytes(uf2[b * BLOCK + i..b * BLOCK + i + 4].try_into().unwrap())
        };
        assert_eq!(word(2, 12), 0x1000_0200, "third block's address");
        assert_eq!((word(1, 20), word(1, 24)), (1, 3), "block 1 of 3");
        assert_eq!(word(0, 28), FAMILY_RP2040);
        let back = to_image(&uf2, 0x1000_0000).unwrap();
        assert_eq!(&back[..600], &image[..]);
        assert!(
            back[600..].iter().all(|&b| b == 0xFF),
            "padding is erased flash"
        );
        assert_eq!(to_image(&uf2[..100], 0x1000_0000), None);
    }
}
