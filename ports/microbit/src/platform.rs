//! [`Microbit`]: this port's link, clock, memory map and flash (the small
//! traits of [`p14p_device::platform`]) over UART0, TIMER0, the
//! memory map of [`crate::memmap`] and the flash store of
//! [`crate::store`].

use crate::{clock, memmap, mmio, store, uart};
use p14p_device::machine::MAX_UNIQUE_ID;
use p14p_device::platform::{self, Region};
use p14p_protocol::msg::Width;

/// Board name in the manifest.
pub const BOARD: &str = "microbit";

/// The micro:bit platform. Zero-sized: the hardware is the state. Use it
/// only after [`clock::init`] and [`uart::init`].
#[derive(Debug)]
pub struct Microbit {
    _private: (),
}

impl Microbit {
    /// The platform over the UART, the clock and the store's flash; the
    /// boot initialises the first two before the device starts.
    pub const fn new() -> Self {
        Microbit { _private: () }
    }
}

impl platform::Link for Microbit {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        uart::read(buf)
    }

    fn write(&mut self, bytes: &[u8]) {
        uart::write(bytes);
    }

    fn idle(&mut self) {
        // Sleep until the next interrupt: a received byte or, at the
        // latest, the next TIMER0 tick (1 ms). A byte arriving between the
        // check and the `wfi` costs at most that millisecond.
        if !uart::pending() {
            cortex_m::asm::wfi();
        }
    }

    fn reset(&mut self) {
        p14p_cortex_m::fault::reset()
    }
}

impl platform::Clock for Microbit {
    fn ticks_ms(&mut self) -> u32 {
        clock::ticks_ms()
    }

    fn ticks_us(&mut self) -> u64 {
        clock::micros64()
    }

    fn freq(&mut self) -> u32 {
        // The nRF51's core runs from the 16 MHz HFCLK (the crystal,
        // started by `clock::init`).
        16_000_000
    }
}

impl platform::MemoryMap for Microbit {
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

    /// FICR DEVICEID[0] then DEVICEID[1], each little-endian: the nRF51's
    /// 64-bit random device id, set at the factory.
    fn unique_id(&self, out: &mut [u8; MAX_UNIQUE_ID]) -> usize {
        /// FICR DEVICEID[0..2].
        const DEVICEID: u32 = 0x1000_0060;
        for (i, chunk) in out[..8].chunks_exact_mut(4).enumerate() {
            let w = mmio::peek(DEVICEID + 4 * i as u32, Width::U32).unwrap_or(0);
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        8
    }
}

impl platform::Flash for Microbit {
    fn page_size(&self) -> u32 {
        store::PAGE_SIZE
    }

    fn page_count(&self) -> u32 {
        store::PAGES
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

impl platform::NativeModules for Microbit {}
