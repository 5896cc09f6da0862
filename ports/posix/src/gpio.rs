//! The simulated GPIO block: eight pins behind ten 32-bit registers, what
//! `machine.Pin` drives on the posix port (through [`SimGpio`]'s
//! [`p14p_device::platform::Gpio`] methods) and what peek, poke, `watch`
//! and `machine.memN` see ([`crate::memmap`] maps it at [`GPIO`]).
//!
//! ```text
//! offset  name       access  bit n is pin n (pins 0..=7; 0 is 'LED', 1 'BUTTON')
//! +0x00   DATA       rw      output levels, as written
//! +0x04   DIR        rw      1 = output
//! +0x08   PULLUP     rw      1 = pulled up
//! +0x0C   PULLDOWN   rw      1 = pulled down
//! +0x10   OPENDRAIN  rw      1 = an output drives only low (a 1 releases it)
//! +0x14   IN         ro      the level on each pin (below)
//! +0x18   EXT        rw      the outside world: the level of a floating pin
//! +0x1C   IRQRISE    rw      1 = a rising edge on the pin sets its IRQPEND bit
//! +0x20   IRQFALL    rw      1 = a falling edge does
//! +0x24   IRQPEND    rw1c    edges seen and not yet taken; writing 1 clears
//! ```
//!
//! A pin's level (`IN`): an output driving it (`DIR`, and `DATA` 0 or not
//! `OPENDRAIN`) reads its `DATA` bit; an undriven pin reads 1 when pulled
//! up, 0 when pulled down, and otherwise floats to its `EXT` bit, which a
//! test pokes to play a signal arriving from outside. All zero at start:
//! every pin an input, floating low.
//!
//! `Pin.irq` sets IRQRISE/IRQFALL ([`Gpio::pin_irq`]); any register write
//! that changes a watched pin's level (a poke of EXT from outside, the
//! program's own `Pin.value`) sets its IRQPEND bit, the simulated
//! interrupt, which the VM takes at its next poll ([`Gpio::irq_take`])
//! and answers with the pin's handler.

use p14p_device::platform::{Gpio, PinMode, Pull, IRQ_FALLING, IRQ_RISING};

/// Base address of the block.
pub const GPIO: u32 = 0x4000_1000;
/// Bytes the block spans (ten registers).
pub const LEN: u32 = 0x28;
/// Pins: bits 0..=7 of each register.
pub const PINS: u32 = 8;

/// Register offsets, in words (the index into [`SimGpio`]'s registers).
mod reg {
    pub const DATA: usize = 0;
    pub const DIR: usize = 1;
    pub const PULLUP: usize = 2;
    pub const PULLDOWN: usize = 3;
    pub const OPENDRAIN: usize = 4;
    pub const IN: usize = 5;
    pub const EXT: usize = 6;
    pub const IRQRISE: usize = 7;
    pub const IRQFALL: usize = 8;
    pub const IRQPEND: usize = 9;
}

/// `IN`'s offset from [`GPIO`].
pub const IN: u32 = 4 * reg::IN as u32;

/// The block's state: the writable registers (`IN` is computed).
#[derive(Debug, Default, Clone, Copy)]
pub struct SimGpio {
    regs: [u32; 10],
}

impl SimGpio {
    /// The register at word `index` (0..7), `IN` computed from the rest.
    pub fn word(&self, index: usize) -> Option<u32> {
        if index == reg::IN {
            return Some(self.levels());
        }
        self.regs.get(index).copied()
    }

    /// Writes the register at word `index` under `mask` (IRQPEND: clears
    /// the bits written 1); `false` for `IN` (read-only) or past the
    /// block. A watched pin whose level changes records its edge.
    pub fn write(&mut self, index: usize, value: u32, mask: u32) -> bool {
        let before = self.levels();
        match self.regs.get_mut(index) {
            Some(r) if index == reg::IRQPEND => *r &= !(value & mask),
            Some(r) if index != reg::IN => *r = (*r & !mask) | (value & mask),
            _ => return false,
        }
        let after = self.levels();
        let r = &mut self.regs;
        r[reg::IRQPEND] |=
            (after & !before & r[reg::IRQRISE]) | (before & !after & r[reg::IRQFALL]);
        true
    }

    /// `IN`: each pin's level (see the module's table).
    fn levels(&self) -> u32 {
        let r = &self.regs;
        let driven = r[reg::DIR] & !(r[reg::OPENDRAIN] & r[reg::DATA]);
        let floating = !(driven | r[reg::PULLUP] | r[reg::PULLDOWN]);
        (driven & r[reg::DATA])
            | (!driven & r[reg::PULLUP] & !r[reg::PULLDOWN])
            | (floating & r[reg::EXT])
    }

    fn set_bit(&mut self, index: usize, pin: u32, on: bool) {
        let bit = 1 << pin;
        self.write(index, if on { bit } else { 0 }, bit);
    }
}

impl Gpio for SimGpio {
    fn pin_named(&self, name: &[u8]) -> Option<u32> {
        match name {
            b"LED" => Some(0),
            b"BUTTON" => Some(1),
            _ => None,
        }
    }

    fn pin_configure(&mut self, pin: u32, mode: Option<PinMode>, pull: Option<Pull>) -> bool {
        if pin >= PINS {
            return false;
        }
        if let Some(mode) = mode {
            self.set_bit(reg::DIR, pin, mode != PinMode::In);
            self.set_bit(reg::OPENDRAIN, pin, mode == PinMode::OpenDrain);
        }
        if let Some(pull) = pull {
            self.set_bit(reg::PULLUP, pin, pull == Pull::Up);
            self.set_bit(reg::PULLDOWN, pin, pull == Pull::Down);
        }
        true
    }

    fn pin_read(&mut self, pin: u32) -> Option<bool> {
        (pin < PINS).then(|| self.levels() >> pin & 1 == 1)
    }

    fn pin_write(&mut self, pin: u32, high: bool) -> bool {
        if pin >= PINS {
            return false;
        }
        self.set_bit(reg::DATA, pin, high);
        true
    }

    fn pin_irq(&mut self, pin: u32, trigger: u8) -> bool {
        if pin >= PINS {
            return false;
        }
        self.set_bit(reg::IRQRISE, pin, trigger & IRQ_RISING != 0);
        self.set_bit(reg::IRQFALL, pin, trigger & IRQ_FALLING != 0);
        // An edge from before the handler was set is not its.
        self.write(reg::IRQPEND, 1 << pin, 1 << pin);
        true
    }

    fn irq_take(&mut self) -> u32 {
        core::mem::take(&mut self.regs[reg::IRQPEND])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watched_edges_are_pending_until_taken() {
        let mut g = SimGpio::default();
        assert!(g.pin_irq(1, IRQ_RISING));
        assert!(g.write(reg::EXT, 2, u32::MAX));
        assert!(g.write(reg::EXT, 0, u32::MAX));
        assert_eq!(g.word(reg::IRQPEND), Some(2), "the rise, not the fall");
        assert_eq!(g.irq_take(), 2);
        assert_eq!(g.irq_take(), 0);
        assert!(g.pin_irq(1, IRQ_RISING | IRQ_FALLING));
        assert!(g.write(reg::EXT, 2, u32::MAX));
        assert!(g.write(reg::IRQPEND, 2, u32::MAX), "write 1 to clear");
        assert_eq!(g.irq_take(), 0);
        assert!(g.pin_irq(1, 0));
        assert!(g.write(reg::EXT, 0, u32::MAX));
        assert_eq!(g.irq_take(), 0, "no longer watched");
        assert!(!g.pin_irq(PINS, IRQ_RISING));
    }

    #[test]
    fn outputs_read_what_they_drive_and_inputs_their_pull_or_the_outside() {
        let mut g = SimGpio::default();
        assert!(g.pin_configure(0, Some(PinMode::Out), None));
        assert!(g.pin_write(0, true));
        assert_eq!(g.pin_read(0), Some(true));
        assert_eq!(g.word(reg::DATA), Some(1));
        assert_eq!(g.word(reg::DIR), Some(1));
        assert!(g.pin_configure(1, Some(PinMode::In), Some(Pull::Up)));
        assert_eq!(g.pin_read(1), Some(true), "pulled up");
        assert!(g.pin_configure(1, None, Some(Pull::Down)));
        assert_eq!(g.pin_read(1), Some(false), "pulled down");
        assert!(g.pin_configure(1, None, Some(Pull::None)));
        assert!(g.write(reg::EXT, 2, u32::MAX));
        assert_eq!(g.pin_read(1), Some(true), "floating: the outside's level");
        assert_eq!(g.word(reg::PULLDOWN), Some(0));
    }

    #[test]
    fn open_drain_drives_only_low() {
        let mut g = SimGpio::default();
        assert!(g.pin_configure(2, Some(PinMode::OpenDrain), Some(Pull::Up)));
        assert!(g.pin_write(2, false));
        assert_eq!(g.pin_read(2), Some(false));
        assert!(g.pin_write(2, true));
        assert_eq!(g.pin_read(2), Some(true), "released, pulled up");
        assert!(g.pin_configure(2, None, Some(Pull::None)));
        assert_eq!(g.pin_read(2), Some(false), "released, floating low");
    }

    #[test]
    fn no_pin_past_seven_and_in_is_read_only() {
        let mut g = SimGpio::default();
        assert!(!g.pin_configure(PINS, None, None));
        assert!(!g.pin_write(PINS, true));
        assert_eq!(g.pin_read(PINS), None);
        assert!(!g.write(reg::IN, 1, u32::MAX));
        assert_eq!(g.pin_named(b"LED"), Some(0));
        assert_eq!(g.pin_named(b"LED2"), None);
    }
}
