//! The contract between the device crate and a port, split per concern.
//!
//! As embassy splits its HAL into small driver traits, a port implements
//! six small traits, each about one piece of hardware:
//!
//! | trait             | what                                   | a port without it |
//! |-------------------|----------------------------------------|-------------------|
//! | [`Link`]          | the byte link to the host: read, write, idle | (required) |
//! | [`Clock`]         | milliseconds since boot                | (required) |
//! | [`MemoryMap`]     | board name and id, regions, peek/poke  | (required) |
//! | [`Flash`]         | the pages that hold the store          | `impl Flash for X {}`: no store |
//! | [`Gpio`]          | the pins of `machine.Pin`              | `impl Gpio for X {}`: no pins |
//! | [`NativeModules`] | the port's own Python modules in Rust  | `impl NativeModules for X {}` |
//!
//! [`Platform`] bundles them (blanket-implemented): the device's
//! [`crate::link::Device`] is generic over one type implementing all six,
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
/// the six small traits, so a port never names it in an `impl`.
pub trait Platform: Link + Clock + MemoryMap + Flash + Gpio + NativeModules {}

impl<T: Link + Clock + MemoryMap + Flash + Gpio + NativeModules> Platform for T {}
