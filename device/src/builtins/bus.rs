//! `machine`'s bus native (feature `buses`, with `bytes`): what the
//! library's `machine.I2C`, `SPI` and `UART` (`lib/i2c.py`, `spi.py`,
//! `uart.py`, which `machine` loads on first use) cannot do in Python, one
//! transfer per call, through the port's [`I2c`], [`Spi`] and [`Uart`]
//! traits ([`Host::i2c`](crate::machine::Host::i2c), ...). Everything else (`scan`, the `_mem` forms,
//! `readinto`, `readline`, the errors' `OSError`) is Python. Without the
//! feature `_bus` raises `NotImplementedError` (`builtins/funcs.rs`'s
//! last arm: no code of its own), which `lib/i2c.py` (...) turns into
//! MicroPython's `ValueError: I2C(0) doesn't exist`.
//!
//! ```text
//! _bus(op, id, a, b, c), by op:
//! 0  I2C `id` set up at `a` Hz                      0, or -errno
//! 1  SPI `id` set up at `a` Hz, mode b = polarity*2 + phase
//! 2  UART `id` set up at `a` baud
//! 3  one I2C transaction with address `a`: writes `b` (None: nothing),
//!    reads `c` bytes: those bytes (b'' for c == 0: a write or a probe)
//! 4  SPI full duplex: the bytes received while `a` went out
//! 5  UART: `a` not None: sends it, how many went; else b < 0: how many
//!    wait (`any`); else up to `b` of them as bytes (b'': none)
//! ```
//!
//! A bus failing is a result, not an exception: `-errno` (19 `ENODEV`
//! when no device answered, 22 when there is no such bus), which the
//! library turns into MicroPython's `OSError(19, 'ENODEV')` (or a
//! `ValueError` for a bus that does not exist), and `scan` reads without
//! an exception per silent address. A bad argument (a non-int id, an
//! address past 127, a negative count, a str for bytes) raises here, and
//! no argument reaches the port unchecked.

use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::{str::data, T};
use crate::platform::BusError;
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

/// A transfer's result as the library reads it: `-errno` on failure.
fn failed(e: BusError) -> Value {
    Value::small(-e.errno())
}

impl Vm<'_> {
    /// `_bus(op, id, a, b, c)`: see the module.
    #[inline(never)]
    pub(crate) fn bus(&mut self, host: &mut Hx<'_>, a: &Args) -> R<Value> {
        let op = self.bus_int(a, 0, 5, b"bus op")?;
        let id = self.bus_int(a, 1, u32::MAX.into(), b"bus id")? as u32;
        match op {
            0..=2 => {
                let rate = self.bus_int(a, 2, u32::MAX.into(), b"bus rate")? as u32;
                let mode = self.bus_int(a, 3, 3, b"bus mode")?;
                let r = match op {
                    0 => host.i2c().map(|p| p.i2c_init(id, rate)),
                    1 => host
                        .spi()
                        .map(|p| p.spi_init(id, rate, mode & 2 != 0, mode & 1 != 0)),
                    _ => host.uart().map(|p| p.uart_init(id, rate)),
                };
                Ok(match r.unwrap_or(Err(BusError::NoBus)) {
                    Ok(()) => Value::small(0),
                    Err(e) => failed(e),
                })
            }
            3 => {
                let addr = self.bus_int(a, 2, 127, b"I2C address")? as u8;
                let write = self.bus_buffer(self.arg(a, 3), true)?;
                let n = self.bus_int(a, 4, i64::from(i32::MAX), b"I2C read length")? as usize;
                self.bus_transfer(host, id, Some(addr), write, n)
            }
            // In place: the bytes out are copied into the new block the
            // bytes in then replace.
            4 => {
                let data = self.bus_buffer(self.arg(a, 2), false)?;
                self.bus_transfer(host, id, None, data, 0)
            }
            _ => self.uart(host, id, a),
        }
    }

    /// `_bus(5, id, write, n, _)`: the UART.
    fn uart(&mut self, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
        let Some(p) = host.uart() else {
            return Ok(failed(BusError::NoBus));
        };
        if let Some(w) = self.bus_buffer(self.arg(a, 2), true)? {
            let bytes = self.bytes_data(w).unwrap_or(&[]);
            let sent = match p.uart_write(id, bytes) {
                Ok(n) => n.min(bytes.len()),
                Err(e) => return Ok(failed(e)),
            };
            return self.int_from_i64(sent as i64);
        }
        let n = self.bus_int(a, 3, i64::from(i32::MAX), b"")?;
        let waiting = match p.uart_any(id) {
            Ok(k) => k.min(1 << 24),
            Err(e) => return Ok(failed(e)),
        };
        if n < 0 {
            return self.int_from_i64(waiting as i64);
        }
        // Never more than what waits: a huge `n` allocates nothing.
        let want = waiting.min(n as usize);
        let w = self.bytes_alloc(want)?;
        let d = data(w);
        let got = match p.uart_read(id, &mut self.heap.bytes_mut()[d..d + want]) {
            Ok(k) => k.min(want),
            Err(e) => return Ok(failed(e)),
        };
        self.bytes_set_len(w, got);
        Ok(self.bytes_finish(w))
    }

    /// Integer argument `i` in `0..=max`; `n` < 0 is allowed for `_uart`'s
    /// count only (`what` empty). `TypeError` for a non-int, `ValueError`
    /// naming `what` out of range.
    fn bus_int(&mut self, a: &Args, i: usize, max: i64, what: &[u8]) -> R<i64> {
        let v = self.arg(a, i);
        match self.int_val(v) {
            Some(x) if x <= max && (x >= 0 || what.is_empty()) => Ok(x),
            Some(_) => self.raise_s(T::ValueError, ErrMsg::ArgValue, what),
            None => self.raise_type(ErrMsg::ArgType, v),
        }
    }

    /// A bytes or bytearray argument (`None` too, when `none_ok`);
    /// `TypeError` for anything else.
    fn bus_buffer(&mut self, v: Value, none_ok: bool) -> R<Option<Value>> {
        if none_ok && v == Value::NONE {
            return Ok(None);
        }
        match self.bytes_view(v) {
            Some(_) => Ok(Some(v)),
            None => self.raise_type(ErrMsg::ArgType, v),
        }
    }

    /// One I2C transaction with `addr` (or, `None`, one SPI transfer) over
    /// a new bytes block holding a copy of `write`'s bytes, then `n` bytes
    /// for the read (SPI's `n` is 0: the copy is read in place); returns
    /// the bytes read (the block, its read part moved to the front) or
    /// `-errno`.
    fn bus_transfer(
        &mut self,
        host: &mut Hx<'_>,
        id: u32,
        addr: Option<u8>,
        write: Option<Value>,
        n: usize,
    ) -> R<Value> {
        let (src, wn) = write.and_then(|v| self.bytes_span(v)).unwrap_or((0, 0));
        let w = self.bytes_alloc(wn.saturating_add(n))?;
        let d = data(w);
        self.copy_code(src, d, wn);
        let block = &mut self.heap.bytes_mut()[d..d + wn + n];
        let r = match addr {
            Some(addr) => {
                let (out, back) = block.split_at_mut(wn);
                host.i2c().map(|p| p.i2c_transfer(id, addr, out, back))
            }
            None => host.spi().map(|p| p.spi_transfer(id, block)),
        };
        if let Err(e) = r.unwrap_or(Err(BusError::NoBus)) {
            return Ok(failed(e));
        }
        if addr.is_some() {
            block.copy_within(wn.., 0);
            self.bytes_set_len(w, n);
        }
        Ok(self.bytes_finish(w))
    }
}
