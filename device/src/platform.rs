//! The contract between the device crate and a port, split per concern.
//!
//! As embassy splits its HAL into small driver traits, a port implements
//! nine small traits, each about one piece of hardware:
//!
//! | trait             | what                                   | a port without it |
//! |-------------------|----------------------------------------|-------------------|
//! | [`Link`]          | the byte link to the host: read, write, idle | (required) |
//! | [`Clock`]         | milliseconds since boot                | (required) |
//! | [`MemoryMap`]     | board name and id, regions, peek/poke  | (required) |
//! | [`Flash`]         | the pages that hold the store          | `impl Flash for X {}`: no store |
//! | [`Gpio`]          | the pins of `machine.Pin`, their edge interrupts | `impl Gpio for X {}`: no pins |
//! | [`I2c`]           | the I2C buses of `machine.I2C` (feature `buses`) | `impl I2c for X {}`: no bus |
//! | [`Spi`]           | the SPI buses of `machine.SPI` (feature `buses`) | `impl Spi for X {}`: no bus |
//! | [`Uart`]          | the UARTs of `machine.UART`, not the link's (feature `buses`) | `impl Uart for X {}`: no UART |
//! | [`NativeModules`] | the port's own Python modules in Rust  | `impl NativeModules for X {}` |
//!
//! [`Platform`] bundles them (blanket-implemented): the device's
//! [`crate::link::Device`] is generic over one type implementing all nine
//! (six without the feature `buses`: a port without buses writes no bus
//! `impl`),
//! and a port calls [`crate::link::Device::poll`] in its main loop.
//! Implementations MUST NOT panic: a panic on a microcontroller is a reset.

use crate::machine::MAX_UNIQUE_ID;
use p14p_protocol::msg::{NativeModule, Width};

pub use crate::store::Flash;

/// One region of the port's memory map, for peek/poke and `machine.memN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First address.
    pub start: u32,
    /// Length in bytes.
    pub len: u32,
    /// Writes allowed.
    pub writable: bool,
    /// Short name for the inspector and error messages (`"SRAM"`, `"SYSCTL"`).
    pub name: &'static str,
}

impl Region {
    /// True if `[addr, addr + size)` lies inside this region.
    pub fn contains(&self, addr: u32, size: u32) -> bool {
        addr >= self.start && (addr - self.start) as u64 + size as u64 <= self.len as u64
    }
}

/// The byte link to the host (a UART, USB CDC, a pty).
pub trait Link {
    /// Reads received link bytes into `buf` without blocking; returns how many
    /// (0 when none are waiting).
    fn read(&mut self, buf: &mut [u8]) -> usize;

    /// Writes all of `bytes` to the link, blocking until accepted.
    fn write(&mut self, bytes: &[u8]);

    /// Called when the device has nothing to do (and by `machine.idle()`);
    /// a port may sleep until input arrives (or for a millisecond). The
    /// default returns at once.
    fn idle(&mut self) {}

    /// Resets the chip (`machine.reset()`): a port that can MUST NOT
    /// return (on Cortex-M, `SCB::sys_reset`), and its boot announces
    /// itself to the host. The default returns, and the device then does
    /// what a reset would to its state: the VM's is dropped and `Boot`
    /// is announced.
    fn reset(&mut self) {}
}

/// The port's clock.
pub trait Clock {
    /// Milliseconds since boot. MUST be monotonic (wrapping at `u32::MAX`).
    fn ticks_ms(&mut self) -> u32;

    /// Microseconds since boot, monotonic (`time.ticks_us`, the sleeps).
    /// The default counts in milliseconds: a port with a finer counter
    /// says so.
    fn ticks_us(&mut self) -> u64 {
        u64::from(self.ticks_ms()) * 1000
    }

    /// The CPU clock in Hz (`machine.freq()`). The default, 0, says the
    /// port does not know.
    fn freq(&mut self) -> u32 {
        0
    }
}

/// What peek/poke (and `machine.memN`) may touch, and how.
pub trait MemoryMap {
    /// Board name reported in the manifest.
    fn board(&self) -> &'static str;

    /// The memory map that peek/poke may touch. Accesses outside it are
    /// rejected by the device before [`MemoryMap::mem_read`] is called.
    fn memory_map(&self) -> &[Region];

    /// Reads `width` at `addr` (already checked against the map and
    /// alignment). `None` if the hardware refuses.
    fn mem_read(&mut self, addr: u32, width: Width) -> Option<u32>;

    /// Writes `width` at `addr` (already checked). `false` if refused.
    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> bool;

    /// The board's unique id (`machine.unique_id()`), written into `out`:
    /// its length, 0 for a board without one (the default). It sits with
    /// the board's name: both say which board this is.
    fn unique_id(&self, out: &mut [u8; MAX_UNIQUE_ID]) -> usize {
        let _ = out;
        0
    }
}

/// What `Pin.IN`, `Pin.OUT` and `Pin.OPEN_DRAIN` ask of a pin (MicroPython's
/// numbers 0, 1, 2: the library's `Pin` passes them on unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinMode {
    /// An input: the pin is read, not driven.
    In,
    /// A push-pull output: the pin is driven to its output level.
    Out,
    /// An open-drain output: driven low at level 0, released at level 1.
    OpenDrain,
}

/// A pin's pull resistor (`None`, `Pin.PULL_UP` = 1, `Pin.PULL_DOWN` = 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pull {
    /// No pull: an undriven pin floats.
    None,
    /// Pulled up to the supply.
    Up,
    /// Pulled down to ground.
    Down,
}

/// The board's general-purpose pins, for `machine.Pin` (the class is
/// Python, `lib/machine.py`; it calls the VM's `machine._pin` and
/// `machine._pin_value`, which come here).
///
/// A pin is a number as the board's documentation numbers it (the port's
/// README says how); [`Gpio::pin_named`] may give some a name (`'LED'`).
/// Pins the firmware itself uses (the link's UART) are no pins here. Every
/// method answers for a pin that does not exist (`false`, `None`): the VM
/// turns that into a `ValueError`. The defaults are a board without pins.
pub trait Gpio {
    /// The pin called `name` (`b"LED"`), if the board names one.
    fn pin_named(&self, name: &[u8]) -> Option<u32> {
        let _ = name;
        None
    }

    /// Sets `pin`'s mode and pull, each left as it is when `None` (so
    /// `pin_configure(p, None, None)` only says whether `p` exists). A pin
    /// made an output drives the level last written ([`Gpio::pin_write`]).
    /// `false`: no such pin, or the board cannot do what is asked.
    fn pin_configure(&mut self, pin: u32, mode: Option<PinMode>, pull: Option<Pull>) -> bool {
        let _ = (pin, mode, pull);
        false
    }

    /// The level on `pin` (an output reads the level it drives); `None`:
    /// no such pin.
    fn pin_read(&mut self, pin: u32) -> Option<bool> {
        let _ = pin;
        None
    }

    /// Sets `pin`'s output level (kept while it is an input, driven once it
    /// is an output); `false`: no such pin.
    fn pin_write(&mut self, pin: u32, high: bool) -> bool {
        let _ = (pin, high);
        false
    }

    /// Watches `pin` for edges (`Pin.irq`; the device's feature
    /// `soft-irq`, without which the VM never asks): `trigger` is [`IRQ_RISING`],
    /// [`IRQ_FALLING`], both, or 0 (stop watching). An edge seen sets the
    /// pin's bit in the mask [`Gpio::irq_take`] returns; the port may
    /// record it from a hardware interrupt, but calls no Python: the VM
    /// runs the handler later, between instructions (a soft IRQ, as
    /// MicroPython's `hard=False`). Only pins 0 to 31 can be watched.
    /// `false`: no such pin, or no interrupts on it (the default: the
    /// VM raises `ValueError`).
    #[cfg(feature = "soft-irq")]
    fn pin_irq(&mut self, pin: u32, trigger: u8) -> bool {
        let _ = (pin, trigger);
        false
    }

    /// The pins whose watched edges were seen since the last call (bit n
    /// is pin n), cleared by the call. Called at the VM's polls once a
    /// program used `Pin.irq` or `micropython.schedule`: MUST be cheap.
    #[cfg(feature = "soft-irq")]
    fn irq_take(&mut self) -> u32 {
        0
    }
}

/// [`Gpio::pin_irq`]'s trigger bit for a rising edge (`Pin.IRQ_RISING`).
pub const IRQ_RISING: u8 = 1;
/// [`Gpio::pin_irq`]'s trigger bit for a falling edge (`Pin.IRQ_FALLING`).
pub const IRQ_FALLING: u8 = 2;

/// Why a bus transfer failed: `machine.I2C`, `SPI` and `UART` raise it as
/// MicroPython does (`lib/machine.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusError {
    /// No such bus on this board, or it cannot be set up as asked (a
    /// `ValueError` when the object is made).
    NoBus,
    /// No device acknowledged its address (I2C): `OSError` `ENODEV`, 19.
    NoDevice,
    /// The device refused a byte, or the bus failed: `OSError` `EIO`, 5.
    Io,
    /// The bus did not finish in time: `OSError` `ETIMEDOUT`, 110.
    Timeout,
}

impl BusError {
    /// The error number the Python side raises (`errno`'s values; 22,
    /// `EINVAL`, for [`BusError::NoBus`]).
    pub const fn errno(self) -> i32 {
        match self {
            BusError::NoBus => 22,
            BusError::NoDevice => 19,
            BusError::Io => 5,
            BusError::Timeout => 110,
        }
    }
}

/// The board's I2C buses as a controller (`machine.I2C`, whose methods are
/// Python over one transfer, `lib/machine.py`). A bus is a number as the
/// port's README gives it. The defaults are a board without I2C: every
/// call answers [`BusError::NoBus`].
pub trait I2c {
    /// Sets bus `bus` up at `freq` Hz (the port picks the nearest it can).
    fn i2c_init(&mut self, bus: u32, freq: u32) -> Result<(), BusError> {
        let _ = (bus, freq);
        Err(BusError::NoBus)
    }

    /// One transaction with the device at 7-bit address `addr`: START,
    /// the address, `write`'s bytes; then, if `read` is not empty, a
    /// repeated START and `read.len()` bytes read; STOP. With both empty
    /// it only probes the address (`I2C.scan`). [`BusError::NoDevice`]
    /// when the address is not acknowledged.
    fn i2c_transfer(
        &mut self,
        bus: u32,
        addr: u8,
        write: &[u8],
        read: &mut [u8],
    ) -> Result<(), BusError> {
        let _ = (bus, addr, write, read);
        Err(BusError::NoBus)
    }
}

/// The board's SPI buses as a controller (`machine.SPI`; chip select is a
/// `Pin` the program drives). The defaults are a board without SPI.
pub trait Spi {
    /// Sets bus `bus` up: `baudrate` Hz (the nearest the port can), clock
    /// `polarity` (idle level) and `phase` (0: sample on the first edge).
    fn spi_init(
        &mut self,
        bus: u32,
        baudrate: u32,
        polarity: bool,
        phase: bool,
    ) -> Result<(), BusError> {
        let _ = (bus, baudrate, polarity, phase);
        Err(BusError::NoBus)
    }

    /// Full duplex, in place: sends `data`'s bytes and replaces each with
    /// the byte received as it went out (embedded-hal's
    /// `transfer_in_place`).
    fn spi_transfer(&mut self, bus: u32, data: &mut [u8]) -> Result<(), BusError> {
        let _ = (bus, data);
        Err(BusError::NoBus)
    }
}

/// The board's UARTs (`machine.UART`), other than the one the link uses.
/// Reads never wait (MicroPython's `timeout=0`). The defaults are a board
/// without one.
pub trait Uart {
    /// Sets UART `bus` up at `baudrate` (8N1).
    fn uart_init(&mut self, bus: u32, baudrate: u32) -> Result<(), BusError> {
        let _ = (bus, baudrate);
        Err(BusError::NoBus)
    }

    /// Queues `data` for sending; how many bytes were taken (all, unless
    /// the port's buffer is full).
    fn uart_write(&mut self, bus: u32, data: &[u8]) -> Result<usize, BusError> {
        let _ = (bus, data);
        Err(BusError::NoBus)
    }

    /// Moves received bytes into `buf`, at most its length, without
    /// waiting: how many (0 when none arrived).
    fn uart_read(&mut self, bus: u32, buf: &mut [u8]) -> Result<usize, BusError> {
        let _ = (bus, buf);
        Err(BusError::NoBus)
    }

    /// How many received bytes wait to be read (`UART.any()`).
    fn uart_any(&mut self, bus: u32) -> Result<usize, BusError> {
        let _ = bus;
        Err(BusError::NoBus)
    }
}

/// One argument of a port's native function, checked against its declared
/// [`ArgType`](p14p_protocol::msg::ArgType) and converted by the VM: the
/// port never sees a Python object. Borrowed for the call only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// `None` (only where the declaration says `o`).
    None,
    /// A bool (`b`; `o` given True or False).
    Bool(bool),
    /// An int that fits 32 bits (`i`; a bool is 0 or 1).
    Int(i32),
    /// A str's UTF-8 bytes (`s`).
    Str(&'a [u8]),
    /// The content of a bytes or bytearray (`y`).
    Bytes(&'a [u8]),
}

/// What a port's native function returns; the VM makes it a Python value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret<'a> {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An int.
    Int(i32),
    /// Bytes, which the VM copies into a new bytes object (so the port may
    /// lend a buffer of its own).
    Bytes(&'a [u8]),
}

/// A port's native function failing: the VM raises it as the exception
/// named, with the message as `str(e)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NativeError {
    /// `ValueError(message)`: a bad argument value (no such register).
    Value(&'static str),
    /// `OSError(message)`: the hardware failed (a bus timeout).
    Os(&'static str),
}

/// The port's own native modules: Python modules written in Rust, declared
/// in a table and called through [`NativeModules::call`], without a line
/// of the VM changed (`docs/PORTING.md` has a complete example).
///
/// [`NativeModules::native_modules`] is the declaration: each module's
/// name and functions, each function made with
/// [`NativeFunction::typed`](p14p_protocol::msg::NativeFunction::typed)
/// (its name and argument types). The manifest announces it, so the host's
/// compiler refuses an unknown function or a wrong argument count before
/// anything runs; the VM checks the count and the types again and converts
/// the arguments ([`Arg`]) before it calls the port. A port's function
/// takes at most five arguments and no keywords; a module has at most 255
/// functions (the VM finds none past them).
pub trait NativeModules {
    /// Extra native modules the port describes in its manifest, beyond the
    /// device crate's own (`machine`, `gc`, ...). `import` finds them after
    /// the VM's own.
    fn native_modules(&self) -> &'static [NativeModule<'static>] {
        &[]
    }

    /// Calls function `function` of module `module` (indexes in
    /// [`NativeModules::native_modules`]) with `args`, already checked
    /// against its declaration (count and types). MUST NOT panic: an
    /// error is a [`NativeError`], raised in Python.
    fn call(
        &mut self,
        module: usize,
        function: usize,
        args: &[Arg<'_>],
    ) -> Result<Ret<'_>, NativeError> {
        let _ = (module, function, args);
        Err(NativeError::Os("no native modules"))
    }
}

/// Everything a port provides: implemented for every type that implements
/// the small traits, so a port never names it in an `impl`. The bus
/// traits ([`I2c`], [`Spi`], [`Uart`]) only with the device's feature
/// `buses`: a firmware without it neither needs nor calls them.
#[cfg(feature = "buses")]
pub trait Platform:
    Link + Clock + MemoryMap + Flash + Gpio + I2c + Spi + Uart + NativeModules
{
}

#[cfg(feature = "buses")]
impl<T: Link + Clock + MemoryMap + Flash + Gpio + I2c + Spi + Uart + NativeModules> Platform for T {}

/// Everything a port provides (a firmware without buses).
#[cfg(not(feature = "buses"))]
pub trait Platform: Link + Clock + MemoryMap + Flash + Gpio + NativeModules {}

#[cfg(not(feature = "buses"))]
impl<T: Link + Clock + MemoryMap + Flash + Gpio + NativeModules> Platform for T {}
