//! The simulated memory map: what peek, poke and `machine.memN` reach on
//! the posix port. Never the host process's own memory.
//!
//! ```text
//! address       size  access  name    contents
//! 0x2000_0000   4 KiB  rw     SRAM    plain memory, zeroed at start
//! 0x4000_0000   8 B    ro     SYSID   +0 DEVICE_ID = 0x1450_0001
//!                                     +4 VERSION   = protocol << 16 | image format
//! 0x4000_0100   4 B    ro     TIMER   +0 MS: milliseconds since start (free-running, wraps)
//! 0x4000_1000  40 B    rw     GPIO    +0 DATA: output levels (as written)
//!                                     +4 DIR:  1 = output
//!                                     +8 PULLUP, +C PULLDOWN, +10 OPENDRAIN
//!                                     +14 IN: pin levels (read-only)
//!                                     +18 EXT: levels of floating pins
//!                                     +1C IRQRISE, +20 IRQFALL: watched edges
//!                                     +24 IRQPEND: edges seen (write 1 to clear)
//! ```
//!
//! The GPIO block is `machine.Pin`'s on this port: [`crate::gpio`] draws
//! its registers and how a pin's level follows from them.
//!
//! Registers are 32-bit words; 8- and 16-bit reads return part of the word
//! (little-endian), narrow writes change only their bytes.

use crate::gpio::{self, SimGpio};
use p14p_device::platform::Region;
use p14p_protocol::msg::Width;
use p14p_protocol::version;
use std::time::Instant;

/// Start of simulated SRAM.
pub const SRAM: u32 = 0x2000_0000;
/// Size of simulated SRAM in bytes.
pub const SRAM_LEN: u32 = 4096;
/// The read-only system identification block.
pub const SYSID: u32 = 0x4000_0000;
/// `SYSID + 0`: the device id word.
pub const DEVICE_ID: u32 = 0x1450_0001;
/// The free-running millisecond counter register.
pub const TIMER_MS: u32 = 0x4000_0100;
/// The GPIO block ([`crate::gpio`]): `DATA` at `+0`, `DIR` at `+4`, ...
pub const GPIO: u32 = gpio::GPIO;

/// The regions, for the manifest, the link's checks and `--help`.
pub const REGIONS: &[Region] = &[
    Region {
        start: SRAM,
        len: SRAM_LEN,
        writable: true,
        name: "SRAM",
    },
    Region {
        start: SYSID,
        len: 8,
        writable: false,
        name: "SYSID",
    },
    Region {
        start: TIMER_MS,
        len: 4,
        writable: false,
        name: "TIMER",
    },
    Region {
        start: GPIO,
        len: gpio::LEN,
        writable: true,
        name: "GPIO",
    },
];

/// The map as text, for `p14p-device --help`.
pub const HELP: &str = "\
Simulated memory map (peek/poke, machine.memN):
  0x20000000  4 KiB  rw  SRAM   plain memory, zeroed at start
  0x40000000  8 B    ro  SYSID  +0 DEVICE_ID = 0x14500001, +4 VERSION
  0x40000100  4 B    ro  TIMER  +0 milliseconds since start
  0x40001000  40 B   rw  GPIO   +0 DATA, +4 DIR, +8 PULLUP, +C PULLDOWN,
                             +10 OPENDRAIN, +14 IN (ro), +18 EXT,
                             +1C IRQRISE, +20 IRQFALL, +24 IRQPEND (w1c)";

/// The state behind the map.
#[derive(Debug)]
pub struct MemMap {
    sram: Vec<u8>,
    /// The GPIO block, `machine.Pin`'s pins.
    pub gpio: SimGpio,
    start: Instant,
}

impl Default for MemMap {
    fn default() -> Self {
        Self::new()
    }
}

impl MemMap {
    /// A fresh map: SRAM and GPIO zeroed, the timer at 0.
    pub fn new() -> Self {
        MemMap {
            sram: vec![0; SRAM_LEN as usize],
            gpio: SimGpio::default(),
            start: Instant::now(),
        }
    }

    /// Milliseconds since the map was created (wrapping).
    pub fn ticks_ms(&self) -> u32 {
        self.start.elapsed().as_millis() as u32
    }

    /// Microseconds since the map was created (std's monotonic clock:
    /// 1 µs resolution).
    pub fn ticks_us(&self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }

    /// Reads `width` at `addr`; `None` outside the map.
    pub fn read(&self, addr: u32, width: Width) -> Option<u32> {
        let n = width.bytes() as usize;
        if let Some(at) = addr.checked_sub(SRAM).filter(|&o| o < SRAM_LEN) {
            let bytes = self.sram.get(at as usize..at as usize + n)?;
            let mut word = [0u8; 4];
            word[..n].copy_from_slice(bytes);
            return Some(u32::from_le_bytes(word));
        }
        let (base, word) = self.register(addr)?;
        Some(narrow(word, addr - base, width))
    }

    /// Writes `width` at `addr`; `false` outside the writable regions.
    pub fn write(&mut self, addr: u32, width: Width, value: u32) -> bool {
        let n = width.bytes() as usize;
        if let Some(at) = addr.checked_sub(SRAM).filter(|&o| o < SRAM_LEN) {
            return match self.sram.get_mut(at as usize..at as usize + n) {
                Some(dst) => {
                    dst.copy_from_slice(&value.to_le_bytes()[..n]);
                    true
                }
                None => false,
            };
        }
        let Some(off) = addr.checked_sub(GPIO).filter(|&o| o < gpio::LEN) else {
            return false;
        };
        let shift = (off & 3) * 8;
        let mask = match width {
            Width::U8 => 0xFF,
            Width::U16 => 0xFFFF,
            Width::U32 => u32::MAX,
        } << shift;
        self.gpio.write(off as usize / 4, value << shift, mask)
    }

    /// The register word containing `addr` and the word's address.
    fn register(&self, addr: u32) -> Option<(u32, u32)> {
        let base = addr & !3;
        let word = match base {
            SYSID => DEVICE_ID,
            a if a == SYSID + 4 => (version::PROTOCOL as u32) << 16 | version::IMAGE_FORMAT as u32,
            TIMER_MS => self.ticks_ms(),
            a if (GPIO..GPIO + gpio::LEN).contains(&a) => {
                self.gpio.word((a - GPIO) as usize / 4)?
            }
            _ => return None,
        };
        Some((base, word))
    }
}

/// The `width` part of register `word` at byte offset `off`.
fn narrow(word: u32, off: u32, width: Width) -> u32 {
    let v = word >> (off * 8);
    match width {
        Width::U8 => v & 0xFF,
        Width::U16 => v & 0xFFFF,
        Width::U32 => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_read_whole_and_in_parts() {
        let m = MemMap::new();
        assert_eq!(m.read(SYSID, Width::U32), Some(DEVICE_ID));
        assert_eq!(m.read(SYSID + 2, Width::U16), Some(0x1450));
        assert_eq!(m.read(SYSID + 3, Width::U8), Some(0x14));
        assert_eq!(m.read(0x4000_0008, Width::U32), None);
    }

    #[test]
    fn sram_and_gpio_keep_what_is_written() {
        let mut m = MemMap::new();
        assert!(m.write(SRAM + 10, Width::U16, 0xABCD));
        assert_eq!(m.read(SRAM + 8, Width::U32), Some(0xABCD_0000));
        assert!(m.write(GPIO, Width::U32, 0x1234_5678));
        assert!(m.write(GPIO + 1, Width::U8, 0xFF));
        assert_eq!(m.read(GPIO, Width::U32), Some(0x1234_FF78));
        assert!(!m.write(SYSID, Width::U32, 0), "read-only");
        assert!(!m.write(SRAM + SRAM_LEN - 2, Width::U32, 0), "past the end");
    }

    #[test]
    fn every_register_is_inside_a_region() {
        for addr in [
            SYSID,
            SYSID + 4,
            TIMER_MS,
            GPIO,
            GPIO + 4,
            GPIO + gpio::IN + 4,
        ] {
            assert!(REGIONS.iter().any(|r| r.contains(addr, 4)), "{addr:#x}");
        }
    }
}
