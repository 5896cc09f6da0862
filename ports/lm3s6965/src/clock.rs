//! The system clock (50 MHz from the PLL) and the millisecond tick.
//!
//! At reset the LM3S6965 runs from its ±30 % internal oscillator. [`init`]
//! switches to the PLL fed by the EVB's 8 MHz crystal, divided to 50 MHz,
//! following the datasheet's sequence (§6.3, "PLL configuration"): bypass,
//! set crystal and source, power the PLL up, set the divider, wait for lock,
//! leave bypass. QEMU models exactly this divider (200 MHz / (SYSDIV + 1))
//! and sets the lock bit when the PLL powers up, so both agree on 50 MHz.
//!
//! SysTick then counts core cycles and interrupts at 1 kHz; its handler
//! advances [`TICKS`]. [`micros`] adds the cycles counted into the current
//! millisecond, for timing short things (the VM's collections).

use crate::mmio::sysctl;
use core::sync::atomic::{AtomicU32, Ordering};
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m::peripheral::{SCB, SYST};

/// The system clock after [`init`].
pub const SYSCLK_HZ: u32 = 50_000_000;

/// `RCC` fields.
const RCC_MOSCDIS: u32 = 1 << 0;
const RCC_OSCSRC: u32 = 0b11 << 4;
const RCC_XTAL: u32 = 0xF << 6;
const RCC_XTAL_8MHZ: u32 = 0xE << 6;
const RCC_BYPASS: u32 = 1 << 11;
const RCC_OEN: u32 = 1 << 12;
const RCC_PWRDN: u32 = 1 << 13;
const RCC_USESYSDIV: u32 = 1 << 22;
const RCC_SYSDIV: u32 = 0xF << 23;
/// SYSDIV = 3: the 200 MHz PLL output divided by 4.
const RCC_SYSDIV_50MHZ: u32 = 3 << 23;
/// `RIS`: the PLL has locked.
const RIS_PLLLRIS: u32 = 1 << 6;

/// Lock polls before giving up (lock takes < 0.5 ms; this is far more).
const LOCK_POLLS: u32 = 1_000_000;

/// Milliseconds since [`init`], advanced by the SysTick handler.
static TICKS: AtomicU32 = AtomicU32::new(0);

/// Sets the system clock to [`SYSCLK_HZ`] and starts the 1 kHz SysTick.
pub fn init(syst: &mut SYST) {
    let mut rcc = sysctl::RCC.read();
    rcc = (rcc | RCC_BYPASS) & !RCC_USESYSDIV;
    sysctl::RCC.write(rcc);

    // The main oscillator is off at reset; give the crystal time to start
    // (about 4 ms at the 12 MHz the core runs at now).
    if rcc & RCC_MOSCDIS != 0 {
        rcc &= !RCC_MOSCDIS;
        sysctl::RCC.write(rcc);
        cortex_m::asm::delay(50_000);
    }
    rcc = (rcc & !(RCC_XTAL | RCC_OSCSRC | RCC_PWRDN | RCC_OEN)) | RCC_XTAL_8MHZ;
    sysctl::RCC.write(rcc);
    rcc = (rcc & !RCC_SYSDIV) | RCC_SYSDIV_50MHZ | RCC_USESYSDIV;
    sysctl::RCC.write(rcc);
    // Bounded: a PLL that never locks leaves us on the crystal (a wrong
    // tick rate) rather than hung.
    for _ in 0..LOCK_POLLS {
        if sysctl::RIS.read() & RIS_PLLLRIS != 0 {
            sysctl::RCC.write(rcc & !RCC_BYPASS);
            break;
        }
    }

    syst.set_clock_source(SystClkSource::Core);
    syst.set_reload(SYSCLK_HZ / 1000 - 1);
    syst.clear_current();
    syst.enable_interrupt();
    syst.enable_counter();
}

/// Milliseconds since [`init`] (wrapping).
pub fn ticks_ms() -> u32 {
    TICKS.load(Ordering::Relaxed)
}

/// Microseconds since [`init`] (wrapping): the millisecond count plus how
/// far SysTick (counting core cycles down from its reload value) is into
/// the current millisecond; 1 µs resolution. The VM times its collections
/// with it ([`p14p_device::Clock`]).
pub fn micros() -> u32 {
    // Truncation is the contract: this clock wraps at u32::MAX.
    micros64() as u32
}

/// Microseconds since [`init`], not wrapping before the millisecond count
/// does (49 days): `time.ticks_us` and the sleeps ([`platform::Clock`]).
///
/// [`platform::Clock`]: p14p_device::platform::Clock
pub fn micros64() -> u64 {
    const CYCLES_PER_US: u32 = SYSCLK_HZ / 1_000_000;
    loop {
        let ms = TICKS.load(Ordering::Relaxed);
        let pending = SCB::is_pendst_pending();
        let left = SYST::get_current();
        // Read again if the handler ran in between (the millisecond moved)
        // or the counter wrapped around the read (the pending bit changed).
        if TICKS.load(Ordering::Relaxed) != ms || SCB::is_pendst_pending() != pending {
            continue;
        }
        // A wrap whose interrupt is still pending has begun a millisecond
        // the handler has not counted yet: without it, time would step back.
        let ms = ms.wrapping_add(u32::from(pending));
        let into = (SYST::get_reload().saturating_sub(left) / CYCLES_PER_US).min(999);
        return u64::from(ms) * 1000 + u64::from(into);
    }
}

/// The SysTick handler's work: one more millisecond.
pub fn on_tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
}
