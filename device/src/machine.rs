//! The seam between the link (protocol) and the VM.
//!
//! [`Machine`] is what the link state machine needs from a VM; the VM (`vm::Vm`)
//! implements it, and link tests may use a small fake. [`Host`] is what a
//! *running* program needs from the outside world; the link implements it on
//! top of the [`crate::Platform`] (output becomes [`p14p_protocol::Reply::Output`]
//! frames, interrupt polling reads the link).

use crate::heap::Heap;
#[cfg(feature = "files")]
use crate::store::{StoreError, Stream, Walk, MAX_NAME};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::{DeviceError, HeapStats, TraceEntry, Width};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// The module body returned.
    Done,
    /// An exception escaped; fetch it with [`Machine::exception_report`].
    Raised,
}

/// An uncaught exception as the VM reports it; borrowed from the VM so no
/// copy is needed to send it.
#[derive(Debug, Clone, Copy)]
pub struct ExceptionReport<'a> {
    /// Class name.
    pub exc_type: &'a str,
    /// Message number (host owns the text).
    pub msg: ErrMsg,
    /// Variable part or `str(exc)`.
    pub detail: &'a str,
    /// Traceback, outermost first.
    pub traceback: Traceback<'a>,
    /// Entries dropped from the middle.
    pub elided: u16,
}

/// A traceback's entries, outermost first, each packed in two words
/// ([`Traceback::pack`]): the VM keeps them in words carved off its heap
/// arena, not in a static `TraceEntry` array (128 bytes of static RAM).
#[derive(Debug, Clone, Copy, Default)]
pub struct Traceback<'a>(pub &'a [[u32; 2]]);

impl<'a> Traceback<'a> {
    /// `e` packed: the image hash, then the code index and the pc.
    pub const fn pack(e: TraceEntry) -> [u32; 2] {
        [e.image, e.code as u32 | (e.pc as u32) << 16]
    }

    /// The entry packed in `w`.
    pub const fn unpack(w: [u32; 2]) -> TraceEntry {
        TraceEntry {
            image: w[0],
            code: w[1] as u16,
            pc: (w[1] >> 16) as u16,
        }
    }

    /// Entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, outermost first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = TraceEntry> + 'a {
        self.0.iter().map(|&w| Self::unpack(w))
    }
}

/// A microsecond clock the port lends the VM to time its collections
/// ([`crate::vm::Vm::with_clock`]): microseconds since an arbitrary start,
/// wrapping at `u32::MAX`.
///
/// A plain function, not a [`Host`] method: the collector runs inside any
/// allocation, where no `Host` is at hand. It MUST be monotonic (up to the
/// wrap), cheap, and MUST NOT panic. Its resolution is the port's: posix
/// reads a 1 µs monotonic clock; lm3s6965 adds SysTick's progress through
/// the current millisecond to its millisecond count (1 µs).
pub type Clock = fn() -> u32;

/// What the link wants from a running VM, the answer of a poll
/// ([`Host::poll_with_heap`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Poll {
    /// Nothing: carry on.
    Continue,
    /// Raise `KeyboardInterrupt` now.
    Interrupt,
    /// Run a full collection now (the host's `Collect`, e.g. the
    /// inspector's `g`), then call [`Host::collected`].
    Collect,
}

/// The longest board id [`Host::unique_id`] gives (RP2040 and nRF51: 8
/// bytes; STM32: 12).
pub const MAX_UNIQUE_ID: usize = 16;

/// What the running VM asks of the world.
pub trait Host {
    /// Program output (from `print`), in order. The link frames it.
    fn output(&mut self, bytes: &[u8]);
    /// Called every few hundred instructions; `true` means "raise
    /// KeyboardInterrupt now". MUST be cheap when nothing arrived.
    fn poll_interrupt(&mut self) -> bool;
    /// As [`Host::poll_interrupt`], with the VM's heap lent for the
    /// duration so the link can answer read-only heap requests (the
    /// inspector) while the program runs, and may ask for a collection.
    /// The VM calls this one at a point where a collection is safe; the
    /// default ignores the heap and never asks to collect.
    fn poll_with_heap(&mut self, heap: &Heap<'_>) -> Poll {
        let _ = heap;
        if self.poll_interrupt() {
            Poll::Interrupt
        } else {
            Poll::Continue
        }
    }
    /// True once the host insists that the run end (a second interrupt, a
    /// reset): the exception then in flight, and any raised after it,
    /// unwinds to the run's end without entering an `except` or `finally`
    /// handler, as MicroPython's soft reset. Every poll from then on
    /// answers [`Poll::Interrupt`]. The default never insists.
    fn stopping(&mut self) -> bool {
        false
    }
    /// Called after the collection a [`Poll::Collect`] asked for, with the
    /// heap lent again so the link can answer with its figures.
    fn collected(&mut self, heap: &Heap<'_>) {
        let _ = heap;
    }
    /// The text of message `msg` with `detail`, written into `out`: its
    /// length, or `None` when no host can say (the device keeps no texts;
    /// the link asks the host). The default knows none.
    fn expand(&mut self, msg: ErrMsg, detail: &[u8], out: &mut [u8]) -> Option<usize> {
        let _ = (msg, detail, out);
        None
    }
    /// A line for `input()`, written into `out` with its newline (cut to
    /// fit): its length, 0 at the end of input; `None` when the host
    /// interrupted the wait. The default (no host) is the end of input.
    fn read_line(&mut self, out: &mut [u8]) -> Option<usize> {
        let _ = out;
        Some(0)
    }
    /// `eval`/`exec`: bytes `offset..` of the host's answer to compiling
    /// `source` (given with offset 0 only; `eval`: an expression) written
    /// into `out`: the image, or a `SyntaxError` message when it does not
    /// begin with the image magic. Their count (0: nothing there, or no
    /// host to compile: the boot main); `None` when the host interrupted
    /// the wait. The default: no host.
    fn compile(&mut self, eval: bool, offset: u32, source: &[u8], out: &mut [u8]) -> Option<usize> {
        let _ = (eval, offset, source, out);
        Some(0)
    }
    /// Milliseconds since boot (monotonic, wrapping).
    fn ticks_ms(&mut self) -> u32;
    /// Microseconds since boot (monotonic), for `time.ticks_us` and the
    /// sleeps. The default has the millisecond clock's resolution.
    fn ticks_us(&mut self) -> u64 {
        u64::from(self.ticks_ms()) * 1000
    }
    /// Called while `time.sleep_ms` waits with a millisecond or more to
    /// go, and by `machine.idle()`: the port may sleep up to a millisecond
    /// (or until input). The default returns at once (the sleep then
    /// spins).
    fn idle(&mut self) {}
    /// The CPU clock in Hz (`machine.freq()`); the default, 0, is a
    /// board that does not say.
    fn freq(&mut self) -> u32 {
        0
    }
    /// `machine.reset()` (`hard`) or `machine.soft_reset()`: the program
    /// asks to end and the device to start afresh. The host stops the
    /// run ([`Host::stopping`]) and, once it ended, clears the VM's state;
    /// a hard reset resets the chip (the link's host announces the boot)
    /// where the port can. The default does nothing (the run goes on
    /// unwinding the `SystemExit` the VM raises).
    fn reset(&mut self, hard: bool) {
        let _ = hard;
    }
    /// The board's name (`sys.platform`).
    fn board(&mut self) -> &'static str {
        "p14p"
    }
    /// Checked memory read for `machine.memN[addr]`: `Err` if outside the
    /// port's memory map or misaligned.
    fn mem_read(&mut self, addr: u32, width: Width) -> Result<u32, DeviceError>;
    /// Checked memory write for `machine.memN[addr] = v`.
    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> Result<(), DeviceError>;
    /// The board's unique id for `machine.unique_id()`, written into `out`:
    /// its length, 0 for a board without one (the default).
    fn unique_id(&mut self, out: &mut [u8; MAX_UNIQUE_ID]) -> usize {
        let _ = out;
        0
    }
    /// The board's pins for `machine.Pin` (the link lends its platform's
    /// [`crate::platform::Gpio`]); `None`, the default: no pins, every
    /// pin id is a `ValueError`.
    fn gpio(&mut self) -> Option<&mut dyn crate::platform::Gpio> {
        None
    }
    /// The board's I2C buses for `machine.I2C` (the link lends its
    /// platform's [`crate::platform::I2c`]); `None`, the default: none.
    #[cfg(feature = "buses")]
    fn i2c(&mut self) -> Option<&mut dyn crate::platform::I2c> {
        None
    }
    /// The board's SPI buses for `machine.SPI`; `None`: none.
    #[cfg(feature = "buses")]
    fn spi(&mut self) -> Option<&mut dyn crate::platform::Spi> {
        None
    }
    /// The board's UARTs for `machine.UART`; `None`: none.
    #[cfg(feature = "buses")]
    fn uart(&mut self) -> Option<&mut dyn crate::platform::Uart> {
        None
    }
    /// The port's own native modules (the link lends its platform's
    /// [`crate::platform::NativeModules`]); `None`, the default: none.
    #[cfg(feature = "natives")]
    fn natives(&mut self) -> Option<&mut dyn crate::platform::NativeModules> {
        None
    }

    // Files in the store, for `open()` and `os` (feature `files`, see
    // `builtins::file`). The defaults are a device without a store.

    /// Size in bytes of the stored file `name`.
    #[cfg(feature = "files")]
    fn file_size(&mut self, name: &str) -> Result<u32, StoreError> {
        let _ = name;
        Err(StoreError::NoStore)
    }
    /// Reads up to `buf.len()` bytes of `name` from `offset`; how many (0
    /// at the end).
    #[cfg(feature = "files")]
    fn file_read(&mut self, name: &str, offset: u32, buf: &mut [u8]) -> Result<usize, StoreError> {
        let _ = (name, offset, buf);
        Err(StoreError::NoStore)
    }
    /// Starts a new version of `name`: empty, or (`append`) a copy of the
    /// current one. Nothing changes until [`Host::file_commit`].
    #[cfg(feature = "files")]
    fn file_begin(&mut self, name: &str, append: bool) -> Result<Stream, StoreError> {
        let _ = (name, append);
        Err(StoreError::NoStore)
    }
    /// Appends `data` to the new version.
    #[cfg(feature = "files")]
    fn file_write(&mut self, s: &mut Stream, name: &str, data: &[u8]) -> Result<(), StoreError> {
        let _ = (s, name, data);
        Err(StoreError::NoStore)
    }
    /// Makes the new version the file `name`, atomically.
    #[cfg(feature = "files")]
    fn file_commit(&mut self, s: &Stream, name: &str) -> Result<(), StoreError> {
        let _ = (s, name);
        Err(StoreError::NoStore)
    }
    /// Drops the new version (the file stays as it was).
    #[cfg(feature = "files")]
    fn file_abort(&mut self, s: &Stream) {
        let _ = s;
    }
    /// Removes `name`.
    #[cfg(feature = "files")]
    fn file_remove(&mut self, name: &str) -> Result<(), StoreError> {
        let _ = name;
        Err(StoreError::NoStore)
    }
    /// The name of the next file of walk `at` (`Walk::default()` starts
    /// at the first), copied into `name`: its length, or None past the
    /// last file.
    #[cfg(feature = "files")]
    fn file_next(&mut self, at: &mut Walk, name: &mut [u8; MAX_NAME]) -> Option<usize> {
        let _ = (at, name);
        None
    }
    /// The stored image file `name` (`"mod.py"`), for `import mod` when no
    /// loaded image has that name. The default: there is no store.
    fn stored_image(&mut self, name: &[u8]) -> Option<StoredImage> {
        let _ = name;
        None
    }
    /// Reads bytes of stored file `name` from `offset` into `buf`; returns
    /// how many (0 at the end or on error). For images that cannot run in
    /// place and are copied into the heap.
    fn stored_read(&mut self, name: &[u8], offset: u32, buf: &mut [u8]) -> usize {
        let _ = (name, offset, buf);
        0
    }
    /// The VM now executes flash `[addr, addr + len)` in place: the store
    /// must not erase it ([`crate::store::Store::pin`]).
    fn pin_flash(&mut self, addr: u32, len: u32) {
        let _ = (addr, len);
    }
}

/// A stored image as [`Host::stored_image`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredImage {
    /// Size in bytes.
    pub len: u32,
    /// The flash address of its bytes if they are one contiguous extent
    /// (then it can execute in place).
    pub flash: Option<u32>,
}

/// What the link asks of the VM.
pub trait Machine {
    /// Drops all program state (globals, images, heap contents).
    fn reset(&mut self);
    /// Prepares to receive an image of `len` bytes (allocates its buffer in
    /// the heap). Replaces an unfinished transfer.
    fn image_begin(&mut self, len: u32, hash: u32, name: Option<&str>) -> Result<(), DeviceError>;
    /// Stores a chunk of the image being received.
    fn image_write(&mut self, offset: u32, data: &[u8]) -> Result<(), DeviceError>;
    /// Checks the hash, verifies the image ([`crate::load::verify`]) and makes
    /// it runnable (and importable if named). Returns its hash.
    fn image_end(&mut self) -> Result<u32, DeviceError>;
    /// Runs the module code of the image with `hash` in `__main__`, to the end
    /// or to an uncaught exception (including KeyboardInterrupt).
    fn run(&mut self, hash: u32, host: &mut dyn Host) -> Result<RunOutcome, DeviceError>;
    /// The last uncaught exception, valid until the next `run` or `reset`.
    fn exception_report(&self) -> Option<ExceptionReport<'_>>;
    /// Heap figures.
    fn heap_stats(&self) -> HeapStats;
    /// Runs a full collection.
    fn collect(&mut self);
    /// The heap, for read-only inspection ([`crate::heap::census`]); `None`
    /// if the machine has none to show (heap requests then get an error).
    fn heap(&self) -> Option<&Heap<'_>> {
        None
    }
    /// Makes the stored image at flash `[addr, addr + len)` runnable (and
    /// importable as `name`) in place, without copying its bytes into the
    /// heap: verifies it where it lies. Returns its hash. The default (a
    /// machine without a flash view) refuses with `BadRequest`: the link
    /// then copies the image through [`Machine::image_begin`].
    fn image_in_place(
        &mut self,
        addr: u32,
        len: u32,
        name: Option<&str>,
    ) -> Result<u32, DeviceError> {
        let _ = (addr, len, name);
        Err(DeviceError::BadRequest)
    }
    /// Collects, then calls `pin(addr, len)` for the flash range of every
    /// image still executing in place (referenced by anything). The link
    /// pins those in the store before it writes. The default: none.
    fn flash_pins(&mut self, pin: &mut dyn FnMut(u32, u32)) {
        let _ = pin;
    }
    /// Heap size in bytes (for the manifest).
    fn heap_bytes(&self) -> u32;
    /// Maximum call depth (for the manifest).
    fn recursion_limit(&self) -> u16;
    /// [`p14p_protocol::version::feature`] bits.
    fn features(&self) -> u32;
}

/// The host as the VM passes it around: a thin pointer (one register)
/// to the `&mut dyn Host` (two words: data and vtable) the run began with.
/// Nearly every VM function takes the host; passing one word instead of
/// two frees a register at each of those calls.
pub struct Hx<'a>(pub &'a mut dyn Host);

impl Hx<'_> {
    /// The host itself, for as long as this borrow.
    pub fn get(&mut self) -> &mut dyn Host {
        &mut *self.0
    }
}

impl<'a> core::ops::Deref for Hx<'a> {
    type Target = dyn Host + 'a;
    fn deref(&self) -> &(dyn Host + 'a) {
        self.0
    }
}

impl<'a> core::ops::DerefMut for Hx<'a> {
    fn deref_mut(&mut self) -> &mut (dyn Host + 'a) {
        self.0
    }
}
