//! Host side of the Pico port: the UF2 writer ([`uf2`], bin `p14p-uf2`)
//! and, in `tests/`, the firmware end to end in the rp2040js emulator.

pub mod uf2;
