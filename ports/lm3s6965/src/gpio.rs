//! `machine.Pin` on the LM3S6965 ([`p14p_device::platform::Gpio`]): pin
//! id 8 × port + pin (PA0 = 0, PB0 = 8, ..., PF0 = 40, PG1 = 49), `'LED'`
//! the EVB's status LED on PF0 (40, lit when high). Refused: PA0/PA1
//! (UART0, the link), PB7 and PC0-PC3 (JTAG/SWD, the pins the commit
//! register GPIOCR protects: their AFSEL bits do not change without the
//! GPIOLOCK unlock, and taking them would lock a debugger out), and the
//! pins the 100-pin part does not bond out (PE4-7, PF4-7, PG2-7), which
//! QEMU models but silicon lacks.
//!
//! A configured pin is a digital GPIO (AFSEL clear, DEN set), an output
//! when DIR is set, open drain when ODR is set too (a 1 releases it); its
//! pull is PUR or PDR. Its port's clock gate goes on first
//! ([`gpio::port`]). The PL061 drops DATA writes to input pins, so the
//! level a program sets is kept here ([`LATCH`]) and written again when
//! the pin becomes an output, just after DIR: on silicon the pin drives
//! the port's stale DATA bit for those few cycles.
//!
//! DATA reads an output's latch (an open-drain one's too, released or
//! not) and an input's pin. QEMU (hw/gpio/pl061.c, the Luminary variant)
//! stores AFSEL, ODR, PUR, PDR and DEN as plain registers: an input reads
//! what is wired to it, nothing on the emulated EVB, so 0 whatever its
//! pull (checked: a pulled-up input reads 0). On silicon a pulled input
//! nothing drives reads its pull, and setting a bit in PUR clears it in
//! PDR and the other way round (written both ways here, so QEMU shows the
//! same).

use crate::mmio::{gpio, Reg};
use crate::platform::Lm3s6965;
use core::sync::atomic::{AtomicU8, Ordering};
use p14p_device::platform::{Gpio, PinMode, Pull};

/// `'LED'`: PF0, the EVB's status LED.
pub const LED: u32 = 40;

/// The pins of ports A..=G `machine.Pin` may have (see the module doc).
const PINS: [u8; 7] = [0xFC, 0x7F, 0xF0, 0xFF, 0x0F, 0x0F, 0x03];

/// Each port's output levels as last set, one bit a pin.
static LATCH: [AtomicU8; 7] = [const { AtomicU8::new(0) }; 7];

/// Id `pin`'s port (clocked), its index and the pin's bit, if it is a pin
/// here.
fn locate(pin: u32) -> Option<(gpio::Port, usize, u8)> {
    let index = (pin / 8) as usize;
    let b = 1 << (pin % 8);
    if PINS.get(index)? & b == 0 {
        return None;
    }
    Some((gpio::port(index)?, index, b))
}

/// Sets (`on`) or clears the bits `b` of `r`.
// Out of line: six registers of `pin_configure` share it.
#[inline(never)]
fn assign(r: Reg, b: u8, on: bool) {
    let v = r.read() & !u32::from(b);
    r.write(if on { v | u32::from(b) } else { v });
}

impl Gpio for Lm3s6965 {
    fn pin_named(&self, name: &[u8]) -> Option<u32> {
        (name == b"LED").then_some(LED)
    }

    fn pin_configure(&mut self, pin: u32, mode: Option<PinMode>, pull: Option<Pull>) -> bool {
        let Some((port, index, b)) = locate(pin) else {
            return false;
        };
        if let Some(pull) = pull {
            assign(port.pur(), b, pull == Pull::Up);
            assign(port.pdr(), b, pull == Pull::Down);
        }
        if let Some(mode) = mode {
            assign(port.afsel(), b, false);
            assign(port.odr(), b, mode == PinMode::OpenDrain);
            assign(port.den(), b, true);
            assign(port.dir(), b, mode != PinMode::In);
            port.data(b)
                .write(u32::from(LATCH[index].load(Ordering::Relaxed)));
        }
        true
    }

    /// An output reads the level it is told (DATA's latch), an input its
    /// pin.
    fn pin_read(&mut self, pin: u32) -> Option<bool> {
        let (port, _, b) = locate(pin)?;
        Some(port.data(b).read() != 0)
    }

    fn pin_write(&mut self, pin: u32, high: bool) -> bool {
        let Some((port, index, b)) = locate(pin) else {
            return false;
        };
        // Load and store, not a read-modify-write instruction: only the
        // VM, on the main loop, comes here.
        let latch = LATCH[index].load(Ordering::Relaxed) & !b;
        let latch = if high { latch | b } else { latch };
        LATCH[index].store(latch, Ordering::Relaxed);
        port.data(b).write(u32::from(latch));
        true
    }
}
