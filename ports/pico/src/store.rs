//! The store's flash: the last 256 KiB of the Pico's 2 MiB QSPI flash, 64
//! sectors of 4 KiB (the chip's erase unit), erased and programmed through
//! the boot ROM's flash functions. Persistent: files survive a reset and
//! a power cut.
//!
//! Why the end of the flash: the region is outside the linker's `FLASH`
//! (memory.x), so neither the firmware nor its `.uf2` ever covers it, and
//! the firmware may grow without moving the store (a new `.uf2` keeps the
//! files). 256 KiB because the device's store takes at most 64 pages.
//!
//! How a write becomes sector erases and 256-byte page programs, so that a
//! power cut leaves every byte old or new, is [`crate::qspi`], tested
//! against a model of the chip that cuts the power at every step
//! (`hosttest/tests/qspi.rs`). This module runs the boot ROM for it.
//!
//! **XIP off.** The code runs from the flash through the XIP window, and
//! the ROM's erase and program take the QSPI interface out of XIP mode:
//! while they run, nothing may fetch from flash. So the sequence (connect
//! the flash, leave XIP, erase or program, flush the XIP cache, set XIP up
//! again) is one function placed in `.data` (copied to SRAM by the boot,
//! [`with_xip_off`]), calling only the ROM (function pointers looked up
//! beforehand, while XIP works) and a copy of the second-stage boot loader
//! on the stack; its arguments are on the stack too, and the bytes to
//! program in a RAM buffer ([`crate::qspi::program`]). Interrupts are
//! masked meanwhile: the USB and TIMER handlers are in flash. The USB
//! controller NAKs the host in the meantime (a sector erase takes ~45 ms
//! typically, 400 ms at most on the W25Q16JV; a page program ~0.4 ms).
//!
//! **Fast reads back.** The ROM's `flash_enter_cmd_xip` would leave the
//! slow serial read command (0x03), every later code fetch several times
//! slower; instead, as the Pico SDK does, the routine calls boot2 (its 256
//! bytes copied from the start of flash to the stack before XIP goes off),
//! which sets the W25Q080 quad I/O fast read up again and returns (boot2
//! returns to a caller whose `lr` is not 0).
//!
//! **Execute in place.** The VM runs stored images straight from
//! [`view`], the XIP window over the region (0x101C_0000). The ROM changes
//! that flash under the bus, never through a Rust reference, and the store
//! never changes bytes the VM executes: it pins their pages, and its
//! collector refuses to erase a pinned page (`p14p_device::vm::image`).
//! Each operation flushes the XIP cache, so reads see the new bytes.

use crate::qspi::{Qspi, LEN, PROGRAM_SIZE};
use core::ptr;
use core::sync::atomic::{AtomicU32, Ordering};

pub use crate::qspi::{SECTORS, SECTOR_SIZE};

/// The region's offset in the flash: the last 256 KiB of the 2 MiB.
pub const OFFSET: u32 = 2 * 1024 * 1024 - LEN as u32;
/// The XIP window: flash offset `o` reads at `XIP + o`.
const XIP: u32 = 0x1000_0000;
/// The region's first byte in the XIP window.
pub const BASE: u32 = XIP + OFFSET;

/// `flash_range_erase`'s block arguments, as the Pico SDK passes them:
/// 64 KiB blocks with command 0xD8 where a range covers them, else the
/// 4 KiB sector erase (0x20), which is all the store asks.
const BLOCK_SIZE: u32 = 1 << 16;
const BLOCK_ERASE: u32 = 0xD8;

/// The region as memory-mapped flash: byte `a` is store address `a`.
pub fn view() -> &'static [u8] {
    // SAFETY: `[BASE, BASE + LEN)` is the last 256 KiB of the Pico's 2 MiB
    // flash through the XIP window, readable whenever XIP is on (always,
    // except inside `with_xip_off`, which runs with interrupts masked
    // and reads nothing through this slice), outside anything the linker
    // places. Its bytes change only through the ROM (`erase`, `program`,
    // the way a flash controller changes flash under the bus), and never
    // while the VM runs code from them: the store pins the pages of every
    // image executing in place.
    unsafe { core::slice::from_raw_parts(BASE as *const u8, LEN) }
}

/// A boot ROM function taking up to four words (the ROM's erase takes
/// four, its program three: a fourth argument in r3 is ignored).
type RomFn = unsafe extern "C" fn(u32, u32, u32, u32);
/// A boot ROM function without arguments.
type RomVoid = unsafe extern "C" fn();

/// One flash operation, everything [`with_xip_off`] touches: on the
/// stack, in SRAM.
#[repr(C)]
struct Op {
    connect: RomVoid,
    exit_xip: RomVoid,
    op: RomFn,
    args: [u32; 4],
    flush: RomVoid,
    /// boot2's copy, entered in Thumb state (address | 1).
    boot2: RomVoid,
}

/// Looks a boot ROM function up by its two-letter code (RP2040 datasheet
/// §2.8.3: the function table's address at 0x14, the lookup function's at
/// 0x18, both 16-bit).
fn rom_fn(code: [u8; 2]) -> usize {
    // SAFETY: 0x14 and 0x18 are halfwords of the boot ROM (always mapped,
    // read-only), holding the table's and the lookup's ROM addresses; the
    // lookup is a Thumb function with this C signature, and returns the
    // address of the function named by a code the ROM has.
    unsafe {
        let table = ptr::read_volatile(0x14 as *const u16) as usize as *const u16;
        let lookup: unsafe extern "C" fn(*const u16, u32) -> usize =
            core::mem::transmute(ptr::read_volatile(0x18 as *const u16) as usize);
        lookup(table, u32::from(u16::from_le_bytes(code)))
    }
}

/// The ROM's erase (`RE`) or program (`RP`).
fn rom_op(code: [u8; 2]) -> RomFn {
    // SAFETY: both are Thumb functions of the ROM taking words
    // (flash_range_erase: addr, count, block_size, block_cmd;
    // flash_range_program: addr, data, count).
    unsafe { core::mem::transmute::<usize, RomFn>(rom_fn(code)) }
}

/// Runs `op` with XIP off: connect, leave XIP, the operation, flush the
/// cache, boot2 sets XIP up again. In SRAM (`.data`), calling only the ROM
/// and boot2's RAM copy, reading only `op` (on the caller's stack).
#[inline(never)]
#[link_section = ".data.ram_func"]
unsafe extern "C" fn with_xip_off(op: &Op) {
    (op.connect)();
    (op.exit_xip)();
    (op.op)(op.args[0], op.args[1], op.args[2], op.args[3]);
    (op.flush)();
    (op.boot2)();
}

/// Runs `op` (a ROM function, or [`ruid`] in SRAM) with `args` with XIP
/// off, interrupts masked.
///
/// # Safety
/// `op` must run without XIP (in ROM or SRAM) and be sound with `args`:
/// pointers in them into RAM, alive across the call.
unsafe fn run(op: RomFn, args: [u32; 4]) {
    // boot2's 256 bytes from the start of flash, to run from the stack.
    let mut boot2 = [0u32; 64];
    for (i, w) in boot2.iter_mut().enumerate() {
        // SAFETY: the first 256 bytes of the XIP window are boot2, word
        // aligned, readable while XIP is on (it is: this code runs there).
        *w = unsafe { ptr::read_volatile((XIP as *const u32).add(i)) };
    }
    // SAFETY: the addresses come from the ROM's own table (`rom_fn`), each
    // a Thumb function taking nothing (connect_internal_flash,
    // flash_exit_xip, flash_flush_cache). boot2's copy is a Thumb function
    // that returns to a caller whose lr is not 0.
    let op = unsafe {
        Op {
            connect: core::mem::transmute::<usize, RomVoid>(rom_fn(*b"IF")),
            exit_xip: core::mem::transmute::<usize, RomVoid>(rom_fn(*b"EX")),
            op,
            args,
            flush: core::mem::transmute::<usize, RomVoid>(rom_fn(*b"FC")),
            boot2: core::mem::transmute::<usize, RomVoid>(boot2.as_ptr() as usize | 1),
        }
    };
    // SAFETY: `with_xip_off` is in SRAM and touches only `op`, the ROM,
    // boot2's copy (both on this stack frame, alive across the call) and
    // what the operation does: a ROM function or `ruid` (in SRAM), with
    // `args` its callers vouch for (a RAM buffer, an offset in the store);
    // interrupts are masked, so no handler fetches from flash while XIP
    // is off, and the second core never runs (it waits in the ROM).
    cortex_m::interrupt::free(|_| unsafe { with_xip_off(&op) });
}

/// The flash chip's 64-bit unique id (W25Q16JV READ_UNIQUE_ID, 0x4B),
/// read once at boot by [`read_unique_id`]: low word first, as the chip
/// sends its bytes. `machine.unique_id()` reads it; unmangled so that the
/// host tests find it by name too (peek it at the address `nm` gives: 8
/// bytes of RAM).
#[no_mangle]
pub static UNIQUE_ID: [AtomicU32; 2] = [AtomicU32::new(0), AtomicU32::new(0)];

/// READ_UNIQUE_ID's command, its dummy bytes, the id's bytes.
const RUID_CMD: u32 = 0x4B;
const RUID_DUMMY: u32 = 4;
const RUID_LEN: u32 = 8;

/// Sends READ_UNIQUE_ID through the SSI and writes the id's 8 bytes at
/// `out`, as the Pico SDK's `flash_do_cmd` does: chip select forced low
/// (IO_QSPI GPIO_QSPI_SS_CTRL's OUTOVER), the bytes clocked through the
/// SSI's FIFO (serial mode, after `flash_exit_xip`), chip select high.
/// Runs as [`with_xip_off`]'s operation, so in SRAM too.
#[inline(never)]
#[link_section = ".data.ram_func"]
unsafe extern "C" fn ruid(out: u32, _: u32, _: u32, _: u32) {
    /// IO_QSPI GPIO_QSPI_SS_CTRL, its OUTOVER field (bits 8-9: 2 low, 3 high).
    const SS_CTRL: *mut u32 = 0x4001_800C as *mut u32;
    const OUTOVER: u32 = 3 << 8;
    const LOW: u32 = 2 << 8;
    /// SSI SR (TFNF bit 1, RFNE bit 3) and DR0.
    const SR: *const u32 = 0x1800_0028 as *const u32;
    const DR0: *mut u32 = 0x1800_0060 as *mut u32;
    let total = 1 + RUID_DUMMY + RUID_LEN;
    let ctrl = ptr::read_volatile(SS_CTRL) & !OUTOVER;
    ptr::write_volatile(SS_CTRL, ctrl | LOW);
    let (mut tx, mut rx) = (0, 0);
    while rx < total {
        let sr = ptr::read_volatile(SR);
        // At most the FIFO's depth less two in flight, as the SDK.
        if sr & 2 != 0 && tx < total && tx - rx < 14 {
            ptr::write_volatile(DR0, if tx == 0 { RUID_CMD } else { 0 });
            tx += 1;
        }
        if sr & 8 != 0 && rx < tx {
            let b = ptr::read_volatile(DR0) as u8;
            if rx > RUID_DUMMY {
                ptr::write_volatile((out as *mut u8).add((rx - 1 - RUID_DUMMY) as usize), b);
            }
            rx += 1;
        }
    }
    ptr::write_volatile(SS_CTRL, ctrl | OUTOVER);
}

/// Reads the flash chip's unique id into [`UNIQUE_ID`] (at boot, before
/// anything runs: a few microseconds with XIP off).
pub fn read_unique_id() {
    let mut id = [0u32; 2];
    // SAFETY: `ruid` is in SRAM and writes 8 bytes at its first argument:
    // `id`, alive on this stack across the call.
    unsafe { run(ruid, [id.as_mut_ptr() as u32, 0, 0, 0]) };
    for (w, v) in UNIQUE_ID.iter().zip(id) {
        w.store(u32::from_le(v), Ordering::Relaxed);
    }
}

/// The chip's flash under the store region.
struct Hardware;

impl Qspi for Hardware {
    fn bytes(&self) -> &[u8] {
        view()
    }

    fn erase_sector(&mut self, offset: u32) {
        let args = [OFFSET + offset, SECTOR_SIZE, BLOCK_SIZE, BLOCK_ERASE];
        // SAFETY: the ROM's erase, of one sector of the store region
        // (`qspi::erase` checked the sector); no pointer.
        unsafe { run(rom_op(*b"RE"), args) };
    }

    fn program_page(&mut self, offset: u32, data: &[u8; PROGRAM_SIZE]) {
        let at = data.as_ptr() as u32;
        // SAFETY: the ROM's program, of one page of the store region
        // (`qspi::program` checked the range), from `data`: a RAM buffer
        // (`qspi::program`'s), readable with XIP off.
        unsafe {
            run(
                rom_op(*b"RP"),
                [OFFSET + offset, at, PROGRAM_SIZE as u32, 0],
            )
        };
    }
}

/// Reads `buf.len()` bytes at `addr`; false outside the region.
pub fn read(addr: u32, buf: &mut [u8]) -> bool {
    crate::qspi::read(&Hardware, addr, buf)
}

/// Sets sector `sector` to `0xFF`; false outside the region.
pub fn erase(sector: u32) -> bool {
    crate::qspi::erase(&mut Hardware, sector)
}

/// Programs `data` at `addr` with NOR rules: refused (false) outside the
/// region or if it would set a bit.
pub fn program(addr: u32, data: &[u8]) -> bool {
    crate::qspi::program(&mut Hardware, addr, data)
}
