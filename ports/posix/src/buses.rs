//! The simulated buses behind `machine.I2C`, `SPI` and `UART` on the posix
//! port ([`SimBuses`], lent through the platform's
//! [`p14p_device::platform::I2c`], `Spi` and `Uart`), so programs and
//! tests that use them run without hardware.
//!
//! ```text
//! bus      id  what is on it
//! I2C      0   0x48 a temperature sensor: 16 byte registers, a register
//!                   pointer set by the first byte written (then each
//!                   byte read or written moves it on, wrapping):
//!                   0x00-0x01 TEMP 21.5 C in LM75 form (0x15 0x80),
//!                   0x02 CONFIG (0x00), 0x0F WHO_AM_I (0x48)
//!               0x50 an EEPROM: 256 bytes read as 0xFF until written,
//!                   one address byte, the same pointer rules
//! SPI      0   a loopback: MISO wired to MOSI, each byte received is the
//!              byte sent
//! UART     1   a loopback: TX wired to RX, what is written waits to be
//!              read (at most 256 bytes; more is not taken)
//! ```
//!
//! Any other bus id is no bus; any other I2C address answers nothing
//! (`OSError` `ENODEV` in Python). Rates and modes are accepted as given:
//! nothing here has a clock.

use p14p_device::platform::{BusError, I2c, Spi, Uart};
use std::collections::VecDeque;

/// The UART loopback's buffer, as a real UART's receive FIFO and ring.
pub const UART_BUFFER: usize = 256;

/// An I2C device of byte registers with an auto-incrementing pointer.
#[derive(Debug, Clone)]
struct RegisterFile {
    addr: u8,
    pointer: u8,
    regs: Vec<u8>,
}

impl RegisterFile {
    fn new(addr: u8, regs: Vec<u8>) -> Self {
        RegisterFile {
            addr,
            pointer: 0,
            regs,
        }
    }

    fn step(&mut self) -> usize {
        let at = usize::from(self.pointer) % self.regs.len();
        self.pointer = ((at + 1) % self.regs.len()) as u8;
        at
    }

    /// A transaction addressed to this device: the first byte written
    /// sets the pointer, the rest are stored; then the reads.
    fn transfer(&mut self, write: &[u8], read: &mut [u8]) {
        if let Some((&reg, data)) = write.split_first() {
            self.pointer = reg;
            for &b in data {
                let at = self.step();
                self.regs[at] = b;
            }
        }
        for b in read {
            let at = self.step();
            *b = self.regs[at];
        }
    }
}

/// The simulated buses' state (see the module's table).
#[derive(Debug, Clone)]
pub struct SimBuses {
    i2c: [RegisterFile; 2],
    uart: VecDeque<u8>,
}

impl Default for SimBuses {
    fn default() -> Self {
        let mut sensor = vec![0u8; 16];
        sensor[..2].copy_from_slice(&[0x15, 0x80]);
        sensor[0x0F] = 0x48;
        SimBuses {
            i2c: [
                RegisterFile::new(0x48, sensor),
                RegisterFile::new(0x50, vec![0xFF; 256]),
            ],
            uart: VecDeque::new(),
        }
    }
}

fn only(bus: u32, id: u32) -> Result<(), BusError> {
    if bus == id {
        Ok(())
    } else {
        Err(BusError::NoBus)
    }
}

impl I2c for SimBuses {
    fn i2c_init(&mut self, bus: u32, _freq: u32) -> Result<(), BusError> {
        only(bus, 0)
    }

    fn i2c_transfer(
        &mut self,
        bus: u32,
        addr: u8,
        write: &[u8],
        read: &mut [u8],
    ) -> Result<(), BusError> {
        only(bus, 0)?;
        let dev = self.i2c.iter_mut().find(|d| d.addr == addr);
        let dev = dev.ok_or(BusError::NoDevice)?;
        dev.transfer(write, read);
        Ok(())
    }
}

impl Spi for SimBuses {
    fn spi_init(&mut self, bus: u32, _baud: u32, _pol: bool, _pha: bool) -> Result<(), BusError> {
        only(bus, 0)
    }

    /// The loopback: each byte comes back as it went (`data` unchanged).
    fn spi_transfer(&mut self, bus: u32, _data: &mut [u8]) -> Result<(), BusError> {
        only(bus, 0)
    }
}

impl Uart for SimBuses {
    fn uart_init(&mut self, bus: u32, _baudrate: u32) -> Result<(), BusError> {
        only(bus, 1)
    }

    fn uart_write(&mut self, bus: u32, data: &[u8]) -> Result<usize, BusError> {
        only(bus, 1)?;
        let n = data.len().min(UART_BUFFER - self.uart.len());
        self.uart.extend(&data[..n]);
        Ok(n)
    }

    fn uart_read(&mut self, bus: u32, buf: &mut [u8]) -> Result<usize, BusError> {
        only(bus, 1)?;
        let n = buf.len().min(self.uart.len());
        for (b, x) in buf.iter_mut().zip(self.uart.drain(..n)) {
            *b = x;
        }
        Ok(n)
    }

    fn uart_any(&mut self, bus: u32) -> Result<usize, BusError> {
        only(bus, 1)?;
        Ok(self.uart.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sensor_keeps_a_register_pointer_and_the_eeprom_its_bytes() {
        let mut b = SimBuses::default();
        let mut two = [0u8; 2];
        b.i2c_transfer(0, 0x48, &[0], &mut two).unwrap();
        assert_eq!(two, [0x15, 0x80]);
        b.i2c_transfer(0, 0x48, &[2, 7], &mut []).unwrap();
        let mut one = [0u8; 1];
        b.i2c_transfer(0, 0x48, &[], &mut one).unwrap();
        assert_eq!(one, [0], "the pointer moved past CONFIG to register 3");
        b.i2c_transfer(0, 0x48, &[2], &mut one).unwrap();
        assert_eq!(one, [7]);
        b.i2c_transfer(0, 0x50, &[0xFF, 1, 2], &mut []).unwrap();
        b.i2c_transfer(0, 0x50, &[0xFF], &mut two).unwrap();
        assert_eq!(two, [1, 2], "the pointer wraps from 0xFF to 0");
        assert_eq!(
            b.i2c_transfer(0, 0x49, &[], &mut []),
            Err(BusError::NoDevice)
        );
        assert_eq!(b.i2c_transfer(1, 0x48, &[], &mut []), Err(BusError::NoBus));
    }

    #[test]
    fn the_uart_loops_back_up_to_its_buffer() {
        let mut b = SimBuses::default();
        assert_eq!(b.uart_write(1, &[7; 300]), Ok(UART_BUFFER));
        assert_eq!(b.uart_any(1), Ok(UART_BUFFER));
        let mut buf = [0u8; 10];
        assert_eq!(b.uart_read(1, &mut buf), Ok(10));
        assert_eq!(b.uart_any(1), Ok(UART_BUFFER - 10));
        assert_eq!(b.uart_any(0), Err(BusError::NoBus));
    }
}
