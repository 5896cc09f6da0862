//! [`Pico`]: this port's link, clock and memory map (the small traits of
//! [`p14p_device::platform`]) over USB CDC-ACM ([`crate::usb`], or UART0
//! with feature `uart-link`), the TIMER and the memory map of
//! [`crate::memmap`], and the store in the QSPI flash ([`crate::store`]).

use crate::{clock, memmap, mmio, store};
use core::sync::atomic::Ordering;
use p14p_device::machine::MAX_UNIQUE_ID;
use p14p_device::platform::{self, Region};
use p14p_protocol::msg::Width;

/// Board name in the manifest.
pub const BOARD: &str = "pico";

/// Longest idle sleep: a millisecond, as the other ports' tick.
const IDLE_US: u32 = 1000;

/// The link's hardware: the USB device, or nothing (UART0 is a static).
#[cfg(not(feature = "uart-link"))]
type Port = crate::usb::Usb;
#[cfg(feature = "uart-link")]
type Port = ();

/// The Pico platform: the link; the rest of the hardware is the state.
pub struct Pico {
    // Unit with `uart-link`: UART0 is a static there, so nothing reads it.
    #[cfg_attr(feature = "uart-link", allow(dead_code))]
    port: Port,
}

impl Pico {
    /// The platform over `port`, after the boot has brought the clocks,
    /// the TIMER and the link up.
    pub fn new(port: Port) -> Self {
        Pico { port }
    }
}

#[cfg(not(feature = "uart-link"))]
impl platform::Link for Pico {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        self.port.read(buf)
    }

    fn write(&mut self, bytes: &[u8]) {
        self.port.write(bytes);
    }

    fn idle(&mut self) {
        self.port.sleep(IDLE_US);
    }

    fn reset(&mut self) {
        // The USB device goes with the chip: the host's serial port
        // disappears and comes back, as after MicroPython's reset.
        p14p_cortex_m::fault::reset()
    }
}

#[cfg(feature = "uart-link")]
impl platform::Link for Pico {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        crate::uart::read(buf)
    }

    fn write(&mut self, bytes: &[u8]) {
        crate::uart::write(bytes);
    }

    fn idle(&mut self) {
        // Sleep until the next interrupt: a received byte or the alarm. A
        // byte arriving between the check and the `wfi` costs at most
        // that millisecond.
        if !crate::uart::pending() {
            clock::wake_in(IDLE_US);
            cortex_m::asm::wfi();
        }
    }

    fn reset(&mut self) {
        p14p_cortex_m::fault::reset()
    }
}

impl platform::Clock for Pico {
    fn ticks_ms(&mut self) -> u32 {
        clock::ticks_ms()
    }

    fn ticks_us(&mut self) -> u64 {
        clock::micros64()
    }

    fn freq(&mut self) -> u32 {
        // clk_sys from the PLL as `main` sets it up (the HAL's default).
        125_000_000
    }
}

impl platform::MemoryMap for Pico {
    fn board(&self) -> &'static str {
        BOARD
    }

    fn memory_map(&self) -> &[Region] {
        &memmap::REGIONS
    }

    fn mem_read(&mut self, addr: u32, width: Width) -> Option<u32> {
        mmio::peek(addr, width)
    }

    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> bool {
        mmio::poke(addr, width, value)
    }

    /// The flash chip's 64-bit id, read at boot, as MicroPython's
    /// `machine.unique_id()` on the RP2040 gives it (the chip's byte order).
    fn unique_id(&self, out: &mut [u8; MAX_UNIQUE_ID]) -> usize {
        for (chunk, w) in out.chunks_exact_mut(4).zip(&store::UNIQUE_ID) {
            chunk.copy_from_slice(&w.load(Ordering::Relaxed).to_le_bytes());
        }
        8
    }
}

impl platform::Flash for Pico {
    fn page_size(&self) -> u32 {
        store::SECTOR_SIZE
    }

    fn page_count(&self) -> u32 {
        store::SECTORS
    }

    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
        store::read(addr, buf)
    }

    fn erase(&mut self, page: u32) -> bool {
        store::erase(page)
    }

    fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        store::program(addr, data)
    }
}

impl platform::NativeModules for Pico {}
