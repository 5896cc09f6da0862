//! p14p firmware for the TI LM3S6965 (Cortex-M3), as on the LM3S6965EVB and
//! in `qemu-system-arm -machine lm3s6965evb`.
//!
//! Boot: clock to 50 MHz and 1 kHz SysTick ([`clock`]), UART0 with its
//! receive interrupt ([`uart`]), the heap arena taken once, then the
//! [`p14p_device::Device`] link served forever over [`platform::Lm3s6965`].
//!
//! | module       | what |
//! |--------------|------|
//! | [`mmio`]     | volatile register and peek/poke access (the `unsafe`) |
//! | [`memmap`]   | the peek/poke memory map and its clock-gate check |
//! | [`clock`]    | PLL setup, SysTick, `ticks_ms`, `micros` |
//! | [`uart`]     | UART0: blocking transmit, interrupt-fed receive ring |
//! | [`platform`] | the small platform traits (link, clock, memory map, flash) |
//! | [`gpio`]     | `machine.Pin`: the GPIO ports' pins and `'LED'` |
//! | [`store`]    | the store's flash: a volatile SRAM region (the `unsafe`) |
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
    // The device (link buffers, store tables, VM registers: ~4 KiB), put
    // in place by `p14p_cortex_m::serve::boot`. (Not a `static` initialised by a `const`: the
    // VM's arena and flash view are references, so no constant unstarted
    // device is all zeros, and a non-zero one would go to .data, its 4 KiB
    // initial value in flash.)
    static mut DEVICE: MaybeUninit<Board> = MaybeUninit::uninit();

    // `take` succeeds: this is its first and only call.
    let Some(mut core) = cortex_m::Peripherals::take() else {
        p14p_cortex_m::fault::reset()
    };
    clock::init(&mut core.SYST);
    uart::init(clock::SYSCLK_HZ);
    store::erase_all();

    p14p_cortex_m::serve::run(DEVICE, ARENA, platform::Lm3s6965::new(), machine::start)
}

/// This port's device: the link over the board, serving the VM.
type Board = p14p_cortex_m::serve::Board<platform::Lm3s6965>;

#[exception]
fn SysTick() {
    clock::on_tick();
}

// cortex-m-rt requires the HardFault handler to be an `unsafe fn`; its
// body is safe code.
#[allow(unsafe_code)]
#[exception]
unsafe fn HardFault(frame: &cortex_m_rt::ExceptionFrame) -> ! {
    p14p_cortex_m::fault::hard_fault(frame.pc(), fault::say)
}

/// Entries in the device interrupt vector table: up to the highest line the
/// firmware enables (UART0's), not all 64 of QEMU's NVIC for this board
/// (232 bytes of flash) nor cortex-m-rt's generic 240. The NVIC only
/// fetches the vector of an enabled line's interrupt, and only the
/// firmware enables lines: the NVIC is not in the peek/poke map
/// (`memmap.rs`).
const IRQ_LINES: usize = uart::IRQ + 1;

extern "C" {
    /// cortex-m-rt's default handler (a loop; never enabled here).
    fn DefaultHandler();
}

/// UART0's interrupt handler.
extern "C" fn uart0_irq() {
    uart::on_interrupt();
}

/// The device interrupt vectors, after cortex-m-rt's 16 exception vectors.
/// Only UART0's line is ever enabled in the NVIC.
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
    v
};
