//! `machine.Pin` on the RP2040 ([`p14p_device::platform::Gpio`]): pins
//! GP2..=GP29 by their GPIO number, `'LED'` the Pico's GPIO25. GP0 and GP1
//! carry UART0 (the fault report, and the link with feature `uart-link`)
//! and are no pins here.
//!
//! A configured pin's function is SIO (IO_BANK0 GPIOn_CTRL = 5); SIO's
//! `GPIO_OE` makes it an output and `GPIO_OUT` holds its level; its pad
//! (PADS_BANK0 GPIOn) has its input enabled and the pull resistors the
//! pull asks for. The RP2040 has no open-drain pads: as MicroPython's rp2
//! port, an open-drain pin keeps `GPIO_OUT` at 0 and drives low by turning
//! its output on, releases by turning it off ([`OPEN_DRAIN`] says which
//! pins are so driven).

use crate::mmio::{io_bank0, pads_bank0, sio};
use crate::platform::Pico;
use core::sync::atomic::{AtomicU32, Ordering};
use p14p_device::platform::{Gpio, PinMode, Pull};

/// The pins `machine.Pin` may have.
const PINS: core::ops::RangeInclusive<u32> = 2..=29;
/// The Pico's LED.
pub const LED: u32 = 25;
/// IO_BANK0 FUNCSEL: SIO.
const FUNC_SIO: u32 = 5;
/// PADS_BANK0 bits: output disable, input enable, pull-up, pull-down.
const PAD_OD: u32 = 1 << 7;
const PAD_IE: u32 = 1 << 6;
const PAD_PUE: u32 = 1 << 3;
const PAD_PDE: u32 = 1 << 2;

/// The open-drain pins, one bit each.
static OPEN_DRAIN: AtomicU32 = AtomicU32::new(0);

/// `pin`'s bit in the SIO registers, if it is a pin here.
fn bit(pin: u32) -> Option<u32> {
    PINS.contains(&pin).then(|| 1 << pin)
}

/// The level the pin is told to have: its `GPIO_OUT` bit, or for an
/// open-drain pin, whether it is released.
fn latched(b: u32) -> bool {
    if OPEN_DRAIN.load(Ordering::Relaxed) & b != 0 {
        sio::GPIO_OE.read() & b == 0
    } else {
        sio::GPIO_OUT.read() & b != 0
    }
}

/// Sets the level of the pins in `b`.
fn drive(b: u32, high: bool) {
    if OPEN_DRAIN.load(Ordering::Relaxed) & b != 0 {
        sio::GPIO_OUT_CLR.write(b);
        if high {
            sio::GPIO_OE_CLR
        } else {
            sio::GPIO_OE_SET
        }
        .write(b);
    } else {
        if high {
            sio::GPIO_OUT_SET
        } else {
            sio::GPIO_OUT_CLR
        }
        .write(b);
    }
}

impl Gpio for Pico {
    fn pin_named(&self, name: &[u8]) -> Option<u32> {
        (name == b"LED").then_some(LED)
    }

    fn pin_configure(&mut self, pin: u32, mode: Option<PinMode>, pull: Option<Pull>) -> bool {
        let Some(b) = bit(pin) else {
            return false;
        };
        let pad = pads_bank0::gpio(pin);
        if let Some(pull) = pull {
            let bits = match pull {
                Pull::None => 0,
                Pull::Up => PAD_PUE,
                Pull::Down => PAD_PDE,
            };
            pad.write(pad.read() & !(PAD_PUE | PAD_PDE) | bits);
        }
        if let Some(mode) = mode {
            let high = latched(b);
            // Load and store (the M0+ has no atomic read-modify-write):
            // only the VM, on the one core's main loop, comes here.
            let od = OPEN_DRAIN.load(Ordering::Relaxed) & !b;
            let od = if mode == PinMode::OpenDrain {
                od | b
            } else {
                od
            };
            OPEN_DRAIN.store(od, Ordering::Relaxed);
            pad.write(pad.read() & !PAD_OD | PAD_IE);
            io_bank0::ctrl(pin).write(FUNC_SIO);
            drive(b, high);
            match mode {
                PinMode::In => sio::GPIO_OE_CLR.write(b),
                PinMode::Out => sio::GPIO_OE_SET.write(b),
                PinMode::OpenDrain => {}
            }
        }
        true
    }

    /// An output reads the level it drives (`GPIO_OUT`: rp2040js's
    /// `GPIO_IN` leaves outputs out), anything else its pad's level.
    fn pin_read(&mut self, pin: u32) -> Option<bool> {
        let b = bit(pin)?;
        let r = if sio::GPIO_OE.read() & b != 0 {
            sio::GPIO_OUT.read()
        } else {
            sio::GPIO_IN.read()
        };
        Some(r & b != 0)
    }

    fn pin_write(&mut self, pin: u32, high: bool) -> bool {
        bit(pin).map(|b| drive(b, high)).is_some()
    }
}
