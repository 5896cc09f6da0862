//! [`Lm3s6965`]: this port's link, clock, memory map and flash (the small
//! traits of [`p14p_device::platform`]) over UART0, SysTick, the
//! memory map of [`crate::memmap`] and the volatile store of
//! [`crate::store`].

use crate::{clock, memmap, mmio, store, uart};
use p14p_device::platform::{self, Region};
use p14p_protocol::msg::Width;

/// Board name in the manifest.
pub const BOARD: &str = "lm3s6965evb";

/// The LM3S6965 platform. Zero-sized: the hardware is the state. A
/// `const`, so the device holding it can be a `static`; use it only after
/// [`clock::init`], [`uart::init`] and [`store::erase_all`].
#[derive(Debug)]
pub struct Lm3s6965 {
    _private: (),
}

impl Lm3s6965 {
    /// The platform over the UART, the clock and the store region, which
    /// the boot initialises before the device starts.
    pub const fn new() -> Self {
        Lm3s6965 { _private: () }
    }
}

impl platform::Link for Lm3s6965 {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        uart::read(buf)
    }

    fn write(&mut self, bytes: &[u8]) {
        uart::write(bytes);
    }

    fn idle(&mut self) {
        // Sleep until the next interrupt: a received byte or, at the
        // latest, the next SysTick (1 ms). A byte arriving between the
        // check and the `wfi` costs at most that millisecond.
        if !uart::pending() {
            cortex_m::asm::wfi();
        }
    }

    fn reset(&mut self) {
        uart::drain();
        p14p_cortex_m::fault::reset()
    }
}

impl platform::Clock for Lm3s6965 {
    fn ticks_ms(&mut self) -> u32 {
        clock::ticks_ms()
    }

    fn ticks_us(&mut self) -> u64 {
        clock::micros64()
    }

    fn freq(&mut self) -> u32 {
        clock::SYSCLK_HZ
    }
}

impl platform::MemoryMap for Lm3s6965 {
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
}

impl platform::Flash for Lm3s6965 {
    fn page_size(&self) -> u32 {
        store::PAGE_SIZE
    }

    fn page_count(&self) -> u32 {
        store::PAGES
    }

    fn volatile(&self) -> bool {
        true
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

impl platform::NativeModules for Lm3s6965 {}
