// Reads a UF2 file (https://github.com/microsoft/uf2, the format the
// RP2040's boot ROM takes on its RPI-RP2 drive) into a flash image.

/** The two start magics, the end magic, and the family-id-present flag. */
const MAGIC_START0 = 0x0a324655;
const MAGIC_START1 = 0x9e5d5157;
const MAGIC_END = 0x0ab16f30;
const BLOCK = 512;

/**
 * Copies every block of `uf2` (a Buffer) into `flash` (a Uint8Array that
 * starts at address `base`); throws on a malformed block.
 */
export function loadUf2(uf2, flash, base) {
  if (uf2.length === 0 || uf2.length % BLOCK !== 0) {
    throw new Error(`UF2: ${uf2.length} bytes is not a whole number of 512-byte blocks`);
  }
  for (let off = 0; off < uf2.length; off += BLOCK) {
    const word = (i) => uf2.readUInt32LE(off + i);
    if (word(0) !== MAGIC_START0 || word(4) !== MAGIC_START1 || word(BLOCK - 4) !== MAGIC_END) {
      throw new Error(`UF2: bad magic in block ${off / BLOCK}`);
    }
    const addr = word(12);
    const size = word(16);
    if (size > 476 || addr < base || addr - base + size > flash.length) {
      throw new Error(`UF2: block ${off / BLOCK} (${size} bytes at 0x${addr.toString(16)}) is outside flash`);
    }
    flash.set(uf2.subarray(off + 32, off + 32 + size), addr - base);
  }
}
