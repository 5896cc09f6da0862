//! p14p firmware for the Raspberry Pi Pico (RP2040, Cortex-M0+), as on the
//! board and in the rp2040js emulator (`emu/`).
//!
//! Boot: the second-stage boot loader sets the QSPI flash up for execute
//! in place; then the 12 MHz crystal, the PLLs (125 MHz system, 48 MHz
//! USB) and the TIMER through the HAL, UART0 for fault reports, the USB
//! controller as a CDC-ACM device ([`usb`]), the heap arena taken once,
//! then the [`p14p_device::Device`] link served forever over
//! [`platform::Pico`]. Its structure is the micro:bit port's.
//!
//! | module       | what |
//! |--------------|------|
//! | [`mmio`]     | volatile register and peek/poke access (the `unsafe`) |
//! | [`memmap`]   | the peek/poke memory map |
//! | [`clock`]    | `ticks_ms` and `micros` from the TIMER; ALARM0 ends an idle `wfi` |
//! | [`usb`]      | the link on USB CDC-ACM: polled, flow-controlled |
//! | [`uart`]     | UART0: fault reports, and the link with feature `uart-link` |
//! | [`qspi`]     | erase and page-program logic for the store (no hardware) |
//! | [`store`]    | the store in the QSPI flash, through the boot ROM with XIP off (the `unsafe`) |
//! | [`platform`] | the small platform traits (link, clock, memory map, flash) |
//! | [`machine`]  | `start`: the VM over the static heap, in place |
//! | [`fault`]    | panic and HardFault: report on UART0, then reset |
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
mod qspi;
#[allow(unsafe_code)]
mod store;
mod uart;
#[cfg(not(feature = "uart-link"))]
mod usb;

use core::mem::MaybeUninit;
use cortex_m_rt::exception;
use rp2040_hal as hal;
use rp2040_hal::pac::{self, interrupt};

mod config {
    //! Build-time settings written by `build.rs`.
    include!(concat!(env!("OUT_DIR"), "/config.rs"));
}

/// The Pico's crystal.
const XOSC_HZ: u32 = 12_000_000;

/// The second-stage boot loader for the Pico's W25Q080 flash: the boot
/// ROM copies these 256 bytes (first in flash) to SRAM, checks their CRC
/// and runs them; they set the QSPI interface up for XIP and jump to the
/// vector table after them.
#[allow(unsafe_code)]
// SAFETY: the `.boot2` section is placed by memory.x at the start of
// flash, where the boot ROM looks for it; nothing else is put there.
#[link_section = ".boot2"]
#[used]
pub static BOOT2: [u8; 256] = rp2040_boot2::BOOT_LOADER_W25Q080;

// The HAL's `entry` clears the SIO spinlocks (a soft reset leaves them
// held, and the critical sections use one) in an `unsafe` block of its
// own, then is cortex-m-rt's.
#[allow(unsafe_code)]
#[hal::entry]
fn main() -> ! {
    // cortex-m-rt turns a `static mut` declared at the top of the entry
    // function into a `&'static mut` that exists exactly once: the heap
    // arena, the device's slot and the USB allocator (the device stack
    // borrows it for good) are handed over without `unsafe`.
    static mut ARENA: [u32; config::HEAP_WORDS] = [0; config::HEAP_WORDS];
    static mut DEVICE: MaybeUninit<Board> = MaybeUninit::uninit();
    #[cfg(not(feature = "uart-link"))]
    static mut USB_ALLOC: MaybeUninit<usb_device::bus::UsbBusAllocator<hal::usb::UsbBus>> =
        MaybeUninit::uninit();

    let Some(mut pac) = pac::Peripherals::take() else {
        panic!("peripherals taken twice")
    };
    let mut watchdog = hal::Watchdog::new(pac.WATCHDOG);
    // Also starts the watchdog's 1 MHz tick, the TIMER's time base.
    let Ok(clocks) = hal::clocks::init_clocks_and_plls(
        XOSC_HZ,
        pac.XOSC,
        pac.CLOCKS,
        pac.PLL_SYS,
        pac.PLL_USB,
        &mut pac.RESETS,
        &mut watchdog,
    ) else {
        panic!("clocks")
    };
    // Takes the TIMER out of reset; clock.rs reads it from then on.
    let _timer = hal::Timer::new(pac.TIMER, &mut pac.RESETS, &clocks);
    uart::init();
    // The flash chip's unique id, while nothing else runs.
    store::read_unique_id();

    #[cfg(not(feature = "uart-link"))]
    let port = {
        // VBUS is not wired to the controller on the Pico: the bus is
        // taken as powered.
        let bus = hal::usb::UsbBus::new(
            pac.USBCTRL_REGS,
            pac.USBCTRL_DPRAM,
            clocks.usb_clock,
            true,
            &mut pac.RESETS,
        );
        usb::Usb::new(USB_ALLOC.write(usb_device::bus::UsbBusAllocator::new(bus)))
    };
    #[cfg(feature = "uart-link")]
    let port = ();

    p14p_cortex_m::serve::run(DEVICE, ARENA, platform::Pico::new(port), machine::start)
}

/// This port's device: the link over the board, serving the VM.
type Board = p14p_cortex_m::serve::Board<platform::Pico>;

// cortex-m-rt requires the HardFault handler to be an `unsafe fn`; its
// body is safe code.
#[allow(unsafe_code)]
#[exception]
unsafe fn HardFault(frame: &cortex_m_rt::ExceptionFrame) -> ! {
    p14p_cortex_m::fault::hard_fault(frame.pc(), fault::say)
}

/// TIMER ALARM0: ends an idle `wfi`.
#[interrupt]
fn TIMER_IRQ_0() {
    clock::on_alarm();
}

/// The USB controller: ends an idle `wfi` (the stack is polled).
#[cfg(not(feature = "uart-link"))]
#[interrupt]
fn USBCTRL_IRQ() {
    usb::on_interrupt();
}

/// UART0's receive interrupt: bytes into the ring.
#[cfg(feature = "uart-link")]
#[interrupt]
fn UART0_IRQ() {
    uart::on_interrupt();
}
