//! p14p firmware for the BBC micro:bit v1 (nRF51822, Cortex-M0), as on the
//! board and in `qemu-system-arm -machine microbit`.
//!
//! Boot: the 16 MHz crystal and a 1 kHz tick from TIMER0 ([`clock`]),
//! UART0 with its receive interrupt ([`uart`]), the heap arena taken once,
//! then the [`p14p_device::Device`] link served forever over
//! [`platform::Microbit`]. Its structure is the LM3S6965 port's.
//!
//! | module       | what |
//! |--------------|------|
//! | [`mmio`]     | volatile register and peek/poke access (the `unsafe`) |
//! | [`memmap`]   | the peek/poke memory map |
//! | [`clock`]    | HFXO start, TIMER0 tick, `ticks_ms`, `micros` |
//! | [`uart`]     | UART0: blocking transmit, interrupt-fed receive ring |
//! | [`platform`] | the small platform traits (link, clock, memory map, flash) |
//! | [`gpio`]     | `machine.Pin`: the P0 pins and `'LED'` |
//! | [`nvmc`]     | erase and word-write logic for the store (no hardware) |
//! | [`store`]    | the store in the chip's flash, through the NVMC (the `unsafe`) |
//! | [`machine`]  | `start`: the VM over the static heap, in place |
//! | [`fault`]    | panic and HardFault: report on UART0, then reset |
//!
//! What every Cortex-M port shares (the memory routines, the fault
//! report, `Reg`, the receive ring, the boot-and-serve loop) is in
//! `p14p-cortex-m` (ports/cortex-m).
#![no_std]
#![no_main]
#![deny(unsafe_code)]

mod clock;
mod fault;
mod gpio;
mod machine;
mod memmap;
#[allow(unsafe_code)]
mod mmio;
mod nvmc;
mod platform;
#[allow(unsafe_code)]
mod store;
mod uart;

use core::mem::MaybeUninit;
use cortex_m_rt::{entry, exception};

mod config {
    //! Build-time settings written by `build.rs`.
    include!(concat!(env!("OUT_DIR"), "/config.rs"));
}

#[entry]
fn main() -> ! {
    // cortex-m-rt turns a `static mut` declared at the top of the entry
    // function into a `&'static mut` that exists exactly once (the entry
    // function is never re-entered): the heap arena and the device's slot
    // are handed over without `unsafe`. Both live in .bss, zeroed by the
    // runtime before `main`.
    static mut ARENA: [u32; config::HEAP_WORDS] = [0; config::HEAP_WORDS];
    // The device (link buffers, store tables, VM registers), put
    // in place by `p14p_cortex_m::serve::boot`. (Not a `static` initialised by a `const`: the
    // VM's arena and flash view are references, so no constant unstarted
    // device is all zeros, and a non-zero one would go to .data, its 4 KiB
    // initial value in flash.)
    static mut DEVICE: MaybeUninit<Board> = MaybeUninit::uninit();

    clock::init();
    uart::init();

    p14p_cortex_m::serve::run(DEVICE, ARENA, platform::Microbit::new(), machine::start)
}

/// This port's device: the link over the board, serving the VM.
type Board = p14p_cortex_m::serve::Board<platform::Microbit>;

// cortex-m-rt requires the HardFault handler to be an `unsafe fn`; its
// body is safe code.
#[allow(unsafe_code)]
#[exception]
unsafe fn HardFault(frame: &cortex_m_rt::ExceptionFrame) -> ! {
    p14p_cortex_m::fault::hard_fault(frame.pc(), fault::say)
}

/// Entries in the device interrupt vector table: up to the highest line the
/// firmware enables (TIMER0's), not all 32 of the nRF51's (92 bytes of
/// flash) nor cortex-m-rt's generic 240. The NVIC only fetches the vector
/// of an enabled line's interrupt, and only the firmware enables lines:
/// the NVIC is not in the peek/poke map (`memmap.rs`).
const IRQ_LINES: usize = if uart::IRQ > clock::IRQ { uart::IRQ } else { clock::IRQ } + 1;

extern "C" {
    /// cortex-m-rt's default handler (a loop; never enabled here).
    fn DefaultHandler();
}

/// UART0's interrupt handler.
extern "C" fn uart0_irq() {
    uart::on_interrupt();
}

/// TIMER0's interrupt handler: the millisecond tick.
extern "C" fn timer0_irq() {
    clock::on_tick();
}

/// The device interrupt vectors, after cortex-m-rt's 16 exception vectors.
/// Only UART0's and TIMER0's lines are ever enabled in the NVIC.
#[allow(unsafe_code)]
// SAFETY: `no_mangle` and `link_section` give the symbol and section that
// cortex-m-rt's link.x expects of a device crate (its `device` feature is
// on); nothing else defines `__INTERRUPTS`. Every entry is a handler with
// the C ABI and no arguments, as the NVIC calls it.
#[no_mangle]
#[link_section = ".vector_table.interrupts"]
static __INTERRUPTS: [unsafe extern "C" fn(); IRQ_LINES] = {
    let mut v: [unsafe extern "C" fn(); IRQ_LINES] = [DefaultHandler; IRQ_LINES];
    v[uart::IRQ] = uart0_irq;
    v[clock::IRQ] = timer0_irq;
    v
};
