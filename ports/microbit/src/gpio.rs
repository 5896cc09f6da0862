//! `machine.Pin` on the micro:bit ([`p14p_device::platform::Gpio`]): pins
//! P0.0..=P0.31 by their GPIO number, except P0.24 and P0.25, UART0's TXD
//! and RXD (the link). `'LED'` is id [`LED`]: the top-left LED of the 5x5
//! matrix, ROW1 (P0.13, high selects) with COL1 (P0.4, low lights) driven
//! low, so the LED follows ROW1's level. It has an id of its own so that
//! `Pin(13)` stays a plain pin that leaves COL1 alone.
//!
//! A pin's mode is its PIN_CNF word: DIR (bit 0) makes it an output,
//! DRIVE S0D1 (bits 8-10 = 6) an open-drain one (a 1 releases it), PULL
//! (bits 2-3) its resistor. `OUT` holds the level whatever the direction,
//! so a level written to an input is driven once it is an output. Setting
//! any mode connects the input buffer (PIN_CNF INPUT, bit 1, 0): `IN`
//! then reads the pin's real level, an output's included (an open-drain
//! pin that is released reads what pulls it). A pin never given a mode
//! keeps the reset's disconnected buffer: on silicon its IN bit does not
//! follow the pin (QEMU's shows its pull).

use crate::mmio::gpio;
use crate::platform::Microbit;
use crate::uart::{PIN_RXD, PIN_TXD};
use p14p_device::platform::{Gpio, PinMode, Pull};

/// `'LED'`: the id past the GPIO numbers, P0.13 with COL1 grounded.
pub const LED: u32 = 32;
/// The LED matrix's ROW1 and COL1 (micro:bit v1 schematic).
const ROW1: u32 = 13;
const COL1: u32 = 4;
/// PIN_CNF bits: DIR output; PULL's field, pull-down and pull-up; DRIVE
/// S0D1 (standard 0, disconnected 1: open drain).
const CNF_OUT: u32 = 1;
const CNF_PULL: u32 = 3 << 2;
const CNF_PULLDOWN: u32 = 1 << 2;
const CNF_PULLUP: u32 = 3 << 2;
const CNF_S0D1: u32 = 6 << 8;

/// The P0 pin behind id `pin`, if it is a pin here.
fn gpio_pin(pin: u32) -> Option<u32> {
    match pin {
        LED => Some(ROW1),
        PIN_TXD | PIN_RXD => None,
        0..32 => Some(pin),
        _ => None,
    }
}

impl Gpio for Microbit {
    fn pin_named(&self, name: &[u8]) -> Option<u32> {
        (name == b"LED").then_some(LED)
    }

    fn pin_configure(&mut self, pin: u32, mode: Option<PinMode>, pull: Option<Pull>) -> bool {
        let Some(n) = gpio_pin(pin) else {
            return false;
        };
        let cnf = gpio::pin_cnf(n);
        let mut v = cnf.read();
        if let Some(pull) = pull {
            v = v & !CNF_PULL
                | match pull {
                    Pull::None => 0,
                    Pull::Up => CNF_PULLUP,
                    Pull::Down => CNF_PULLDOWN,
                };
        }
        if let Some(mode) = mode {
            // Only the pull survives a new mode: INPUT (bit 1) 0, connected.
            v = v & CNF_PULL
                | match mode {
                    PinMode::In => 0,
                    PinMode::Out => CNF_OUT,
                    PinMode::OpenDrain => CNF_OUT | CNF_S0D1,
                };
            if pin == LED && mode != PinMode::In {
                gpio::OUTCLR.write(1 << COL1);
                gpio::pin_cnf(COL1).write(CNF_OUT);
            }
        }
        cnf.write(v);
        true
    }

    fn pin_read(&mut self, pin: u32) -> Option<bool> {
        let n = gpio_pin(pin)?;
        Some(gpio::IN.read() & 1 << n != 0)
    }

    fn pin_write(&mut self, pin: u32, high: bool) -> bool {
        let Some(n) = gpio_pin(pin) else {
            return false;
        };
        if high { gpio::OUTSET } else { gpio::OUTCLR }.write(1 << n);
        true
    }
}
