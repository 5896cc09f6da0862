//! Register names for peek, poke and watch: a CMSIS-SVD file (parsed with
//! `svd-parser`) flattened into `PERIPHERAL.REGISTER` entries with their
//! fields, so `SYSID.VERSION` resolves to an address and a value decodes as
//! `PROTOCOL=2 IMAGE_FORMAT=1`.
//!
//! Only what a probe needs is kept: absolute address, size, fields. Register
//! arrays and clusters are expanded by `svd-parser`'s own iterator
//! (`all_registers`); `dim` arrays keep their first element's name.

use crate::cli::mem::parse_number;
use std::fmt::Write;
use std::path::Path;

/// A bit field of a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Field name.
    pub name: String,
    /// Lowest bit.
    pub offset: u32,
    /// Width in bits.
    pub width: u32,
}

/// One register: `PERIPHERAL.REGISTER` at an absolute address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    /// `PERIPHERAL.REGISTER`.
    pub name: String,
    /// Absolute address.
    pub addr: u32,
    /// Size in bits (8, 16 or 32).
    pub bits: u32,
    /// Fields, lowest bit first.
    pub fields: Vec<Field>,
}

impl Register {
    /// `value` split into its fields: `LED=1 BUTTON=0 PINS=0x3`.
    pub fn decode(&self, value: u32) -> String {
        let mut out = String::new();
        for f in &self.fields {
            let mask = if f.width >= 32 {
                u32::MAX
            } else {
                (1 << f.width) - 1
            };
            let v = value.checked_shr(f.offset).unwrap_or(0) & mask;
            if !out.is_empty() {
                out.push(' ');
            }
            if v < 10 {
                let _ = write!(out, "{}={v}", f.name);
            } else {
                let _ = write!(out, "{}={v:#x}", f.name);
            }
        }
        out
    }
}

/// The registers of one SVD device, by address.
#[derive(Debug, Clone, Default)]
pub struct RegMap {
    /// Device name from the SVD.
    pub device: String,
    /// Registers sorted by address.
    pub registers: Vec<Register>,
}

impl RegMap {
    /// Reads and parses an SVD file.
    pub fn load(path: &Path) -> Result<RegMap, String> {
        let xml = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        RegMap::parse(&xml).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses SVD text.
    pub fn parse(xml: &str) -> Result<RegMap, String> {
        let dev = svd_parser::parse(xml).map_err(|e| format!("not a valid SVD file: {e:#}"))?;
        let mut registers = Vec::new();
        for p in &dev.peripherals {
            for r in p.all_registers() {
                let addr = p.base_address.wrapping_add(u64::from(r.address_offset));
                let Ok(addr) = u32::try_from(addr) else {
                    continue;
                };
                let bits = r
                    .properties
                    .size
                    .or(p.default_register_properties.size)
                    .or(dev.default_register_properties.size)
                    .unwrap_or(32);
                let mut fields: Vec<Field> = r
                    .fields()
                    .map(|f| Field {
                        name: f.name.clone(),
                        offset: f.bit_range.offset,
                        width: f.bit_range.width,
                    })
                    .collect();
                fields.sort_by_key(|f| std::cmp::Reverse(f.offset));
                registers.push(Register {
                    name: format!("{}.{}", p.name, r.name),
                    addr,
                    bits,
                    fields,
                });
            }
        }
        registers.sort_by_key(|r| r.addr);
        Ok(RegMap {
            device: dev.name,
            registers,
        })
    }

    /// The register at exactly `addr`.
    pub fn at(&self, addr: u32) -> Option<&Register> {
        self.registers.iter().find(|r| r.addr == addr)
    }

    /// The register named `name` (`PERIPH.REG`, case-insensitive).
    pub fn named(&self, name: &str) -> Option<&Register> {
        self.registers
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }
}

/// An address from the command line: a number, or a register name when a
/// map is given. Unknown names are an error that lists close ones.
pub fn resolve(map: Option<&RegMap>, text: &str) -> Result<(u32, Option<Register>), String> {
    if let Ok(addr) = parse_number(text) {
        return Ok((addr, map.and_then(|m| m.at(addr)).cloned()));
    }
    let Some(map) = map else {
        return Err(format!(
            "`{text}` is not a number; register names need --svd FILE"
        ));
    };
    if let Some(r) = map.named(text) {
        return Ok((r.addr, Some(r.clone())));
    }
    let periph = text.split('.').next().unwrap_or(text);
    let close: Vec<&str> = map
        .registers
        .iter()
        .filter(|r| {
            r.name
                .split('.')
                .next()
                .is_some_and(|p| p.eq_ignore_ascii_case(periph))
        })
        .map(|r| r.name.as_str())
        .collect();
    let hint = if close.is_empty() {
        let all: Vec<&str> = map.registers.iter().map(|r| r.name.as_str()).collect();
        format!("known registers: {}", all.join(", "))
    } else {
        format!("did you mean: {}", close.join(", "))
    };
    Err(format!(
        "no register `{text}` in the SVD of {} ({hint})",
        map.device
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> RegMap {
        let xml = include_str!("../../ports/posix/svd/p14p-sim.svd");
        RegMap::parse(xml).unwrap()
    }

    #[test]
    fn the_simulator_svd_names_its_registers() {
        let m = sim();
        assert_eq!(m.device, "P14P_SIM");
        let names: Vec<_> = m.registers.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "SYSID.DEVICE_ID",
                "SYSID.VERSION",
                "TIMER.MS",
                "GPIO.DATA",
                "GPIO.DIR",
                "GPIO.PULLUP",
                "GPIO.PULLDOWN",
                "GPIO.OPENDRAIN",
                "GPIO.IN",
                "GPIO.EXT",
                "GPIO.IRQRISE",
                "GPIO.IRQFALL",
                "GPIO.IRQPEND"
            ]
        );
        // The addresses are the simulator's.
        assert_eq!(
            m.named("gpio.data").unwrap().addr,
            p14p_port_posix::memmap::GPIO
        );
        assert_eq!(
            m.named("SYSID.DEVICE_ID").unwrap().addr,
            p14p_port_posix::memmap::SYSID
        );
    }

    #[test]
    fn fields_decode_highest_first() {
        let m = sim();
        let v = m.named("SYSID.VERSION").unwrap();
        assert_eq!(v.decode(0x0002_0001), "PROTOCOL=2 IMAGE_FORMAT=1");
        let d = m.named("GPIO.DATA").unwrap();
        assert_eq!(d.decode(0b1101), "PINS=3 BUTTON=0 LED=1");
    }

    #[test]
    fn resolve_numbers_names_and_unknowns() {
        let m = sim();
        assert_eq!(resolve(Some(&m), "0x40001000").unwrap().0, 0x4000_1000);
        assert_eq!(
            resolve(Some(&m), "0x40001000").unwrap().1.unwrap().name,
            "GPIO.DATA"
        );
        assert_eq!(resolve(Some(&m), "GPIO.DIR").unwrap().0, 0x4000_1004);
        let e = resolve(Some(&m), "GPIO.NOPE").unwrap_err();
        assert!(e.contains("did you mean: GPIO.DATA, GPIO.DIR"), "{e}");
        assert!(resolve(None, "GPIO.DATA").unwrap_err().contains("--svd"));
    }
}
