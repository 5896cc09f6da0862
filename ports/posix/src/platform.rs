//! [`PosixPlatform`]: the posix port's link, clock, memory map, flash and pins
//! (the small traits of [`p14p_device::platform`]), over any byte stream
//! (stdio, a pty master, a TCP stream, one end of a Unix socket pair).
//!
//! `Link::read` must not block, but `Read` does: a reader thread reads
//! the stream and passes chunks over a channel; `read` takes what is there,
//! and `idle` waits on the channel for at most a millisecond, so an idle
//! device sleeps instead of spinning yet answers within a millisecond.
//! When the stream ends (or a write fails) the platform reports
//! [`PosixPlatform::closed`] and the serving loop stops.

use crate::buses::SimBuses;
use crate::flash::FileFlash;
use crate::memmap::{self, MemMap};
use p14p_device::machine::MAX_UNIQUE_ID;
use p14p_device::platform::{self, BusError, Region};
use p14p_protocol::msg::Width;
use std::io::{ErrorKind, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The store's flash, shared so it outlives one connection's platform.
pub type SharedFlash = Arc<Mutex<FileFlash>>;

/// Board name in the manifest.
pub const BOARD: &str = "posix-sim";

/// How long [`platform::Link::idle`] waits for input.
const IDLE_WAIT: Duration = Duration::from_millis(1);

/// When the paced wire is free again, given when it was last due: a line
/// idle for more than a few milliseconds starts afresh from now; a busy one
/// keeps its schedule, so a late wake-up is made up for.
fn catch_up(due: Instant) -> Instant {
    let now = Instant::now();
    if now.saturating_duration_since(due) > Duration::from_millis(5) {
        now
    } else {
        due
    }
}

fn sleep_until(t: Instant) {
    if let Some(wait) = t.checked_duration_since(Instant::now()) {
        thread::sleep(wait);
    }
}

/// The posix port's platform.
pub struct PosixPlatform {
    rx: Receiver<Vec<u8>>,
    pending: Vec<u8>,
    pos: usize,
    writer: Box<dyn Write + Send>,
    mem: MemMap,
    buses: SimBuses,
    closed: bool,
    flash: Option<SharedFlash>,
    /// Output pacing: the wire's byte time and when it is next free.
    pace: Option<(Duration, Instant)>,
}

impl std::fmt::Debug for PosixPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PosixPlatform")
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl PosixPlatform {
    /// A platform reading `reader` (on a new thread) and writing `writer`.
    pub fn new<R, W>(reader: R, writer: W) -> Self
    where
        R: Read + Send + 'static,
        W: Write + Send + 'static,
    {
        Self::paced(reader, writer, None)
    }

    /// Like [`PosixPlatform::new`], but bytes travel no faster than a UART
    /// at `baud` (8N1: 10 bit times per byte) in both directions, as on a
    /// real board's serial line (a pty or socket cannot enforce a baud rate).
    pub fn paced<R, W>(mut reader: R, writer: W, baud: Option<u32>) -> Self
    where
        R: Read + Send + 'static,
        W: Write + Send + 'static,
    {
        let byte_time = baud.map(|b| Duration::from_secs_f64(10.0 / b.max(1) as f64));
        let (tx, rx) = mpsc::channel();
        // The thread ends at end of stream, on a read error, or when the
        // platform (the receiving side) is gone.
        let _ = thread::Builder::new()
            .name("p14p-link-rx".into())
            .spawn(move || {
                let mut buf = [0u8; 512];
                let mut wire_free = Instant::now();
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            if let Some(bt) = byte_time {
                                // Deliver bytes when the wire would have, in
                                // slices of about a millisecond, on a virtual
                                // clock that does not lose sleep overshoot.
                                let slice = (1_000_000 / bt.as_nanos().max(1)).max(1) as usize;
                                for part in buf[..n].chunks(slice) {
                                    wire_free = catch_up(wire_free) + bt * part.len() as u32;
                                    sleep_until(wire_free);
                                    if tx.send(part.to_vec()).is_err() {
                                        return;
                                    }
                                }
                                continue;
                            }
                            if tx.send(buf[..n].to_vec()).is_err() {
                                break;
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
            });
        PosixPlatform {
            rx,
            pending: Vec::new(),
            pos: 0,
            writer: Box::new(writer),
            mem: MemMap::new(),
            buses: SimBuses::default(),
            closed: false,
            flash: None,
            pace: byte_time.map(|bt| (bt, Instant::now())),
        }
    }

    /// Gives the platform a flash chip for the store.
    pub fn with_flash(mut self, flash: SharedFlash) -> Self {
        self.flash = Some(flash);
        self
    }

    fn flash_do<T>(&self, none: T, f: impl FnOnce(&mut FileFlash) -> T) -> T {
        match &self.flash {
            Some(fl) => match fl.lock() {
                Ok(mut g) => f(&mut g),
                Err(_) => none,
            },
            None => none,
        }
    }

    /// True once the stream has ended or failed: nothing more will arrive.
    pub fn closed(&self) -> bool {
        self.closed && self.pos >= self.pending.len()
    }

    fn take(&mut self, chunk: Vec<u8>) {
        self.pending = chunk;
        self.pos = 0;
    }
}

/// `machine.freq()` on the simulator: a stated figure, not a measured
/// one (it runs at the host's speed), in the range of the boards' (16 to
/// 125 MHz) so programs that scale by it behave as on one.
pub const SIM_FREQ_HZ: u32 = 100_000_000;

impl platform::Link for PosixPlatform {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        if self.pos >= self.pending.len() {
            match self.rx.try_recv() {
                Ok(chunk) => self.take(chunk),
                Err(TryRecvError::Empty) => return 0,
                Err(TryRecvError::Disconnected) => {
                    self.closed = true;
                    return 0;
                }
            }
        }
        let src = &self.pending[self.pos..];
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        self.pos += n;
        n
    }

    fn write(&mut self, bytes: &[u8]) {
        if let Some((bt, free)) = &mut self.pace {
            *free = catch_up(*free) + *bt * bytes.len() as u32;
            sleep_until(*free);
        }
        if self
            .writer
            .write_all(bytes)
            .and_then(|_| self.writer.flush())
            .is_err()
        {
            self.closed = true;
        }
    }

    fn idle(&mut self) {
        if self.closed || self.pos < self.pending.len() {
            return;
        }
        match self.rx.recv_timeout(IDLE_WAIT) {
            Ok(chunk) => self.take(chunk),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => self.closed = true,
        }
    }
}

impl platform::Clock for PosixPlatform {
    fn ticks_ms(&mut self) -> u32 {
        self.mem.ticks_ms()
    }

    fn ticks_us(&mut self) -> u64 {
        self.mem.ticks_us()
    }

    fn freq(&mut self) -> u32 {
        SIM_FREQ_HZ
    }
}

impl platform::MemoryMap for PosixPlatform {
    fn board(&self) -> &'static str {
        BOARD
    }

    fn memory_map(&self) -> &[Region] {
        memmap::REGIONS
    }

    fn mem_read(&mut self, addr: u32, width: Width) -> Option<u32> {
        self.mem.read(addr, width)
    }

    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> bool {
        self.mem.write(addr, width, value)
    }

    /// The simulated board's id: the same 8 bytes on every run
    /// ([`SIM_UNIQUE_ID`]), so programs and tests see one board.
    fn unique_id(&self, out: &mut [u8; MAX_UNIQUE_ID]) -> usize {
        out[..SIM_UNIQUE_ID.len()].copy_from_slice(SIM_UNIQUE_ID);
        SIM_UNIQUE_ID.len()
    }
}

/// What `machine.unique_id()` gives on the simulated device.
pub const SIM_UNIQUE_ID: &[u8; 8] = b"p14p-sim";

impl platform::Flash for PosixPlatform {
    fn page_size(&self) -> u32 {
        self.flash_do(0, |f| f.page_size())
    }

    fn page_count(&self) -> u32 {
        self.flash_do(0, |f| f.page_count())
    }

    fn volatile(&self) -> bool {
        self.flash_do(false, |f| f.volatile())
    }

    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
        self.flash_do(false, |f| f.read(addr, buf))
    }

    fn erase(&mut self, page: u32) -> bool {
        self.flash_do(false, |f| f.erase(page))
    }

    fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        self.flash_do(false, |f| f.program(addr, data))
    }
}

/// `machine.Pin`'s pins: the simulated GPIO block ([`crate::gpio`]).
impl platform::Gpio for PosixPlatform {
    fn pin_named(&self, name: &[u8]) -> Option<u32> {
        self.mem.gpio.pin_named(name)
    }

    fn pin_configure(
        &mut self,
        pin: u32,
        mode: Option<platform::PinMode>,
        pull: Option<platform::Pull>,
    ) -> bool {
        self.mem.gpio.pin_configure(pin, mode, pull)
    }

    fn pin_read(&mut self, pin: u32) -> Option<bool> {
        self.mem.gpio.pin_read(pin)
    }

    fn pin_write(&mut self, pin: u32, high: bool) -> bool {
        self.mem.gpio.pin_write(pin, high)
    }

    fn pin_irq(&mut self, pin: u32, trigger: u8) -> bool {
        self.mem.gpio.pin_irq(pin, trigger)
    }

    fn irq_take(&mut self) -> u32 {
        self.mem.gpio.irq_take()
    }
}

/// `machine.I2C`'s buses: the simulated ones ([`crate::buses`]).
impl platform::I2c for PosixPlatform {
    fn i2c_init(&mut self, bus: u32, freq: u32) -> Result<(), BusError> {
        self.buses.i2c_init(bus, freq)
    }

    fn i2c_transfer(
        &mut self,
        bus: u32,
        addr: u8,
        write: &[u8],
        read: &mut [u8],
    ) -> Result<(), BusError> {
        self.buses.i2c_transfer(bus, addr, write, read)
    }
}

/// `machine.SPI`'s: the simulated loopback.
impl platform::Spi for PosixPlatform {
    fn spi_init(&mut self, bus: u32, baud: u32, pol: bool, pha: bool) -> Result<(), BusError> {
        self.buses.spi_init(bus, baud, pol, pha)
    }

    fn spi_transfer(&mut self, bus: u32, data: &mut [u8]) -> Result<(), BusError> {
        self.buses.spi_transfer(bus, data)
    }
}

/// `machine.UART`'s: the simulated loopback.
impl platform::Uart for PosixPlatform {
    fn uart_init(&mut self, bus: u32, baudrate: u32) -> Result<(), BusError> {
        self.buses.uart_init(bus, baudrate)
    }

    fn uart_write(&mut self, bus: u32, data: &[u8]) -> Result<usize, BusError> {
        self.buses.uart_write(bus, data)
    }

    fn uart_read(&mut self, bus: u32, buf: &mut [u8]) -> Result<usize, BusError> {
        self.buses.uart_read(bus, buf)
    }

    fn uart_any(&mut self, bus: u32) -> Result<usize, BusError> {
        self.buses.uart_any(bus)
    }
}

// `NativeModules`: the `board` module, in `crate::board`.
