//! Time from the RP2040's TIMER: a 64-bit microsecond counter, driven by
//! the watchdog's tick generator (1 MHz from the 12 MHz crystal, set up by
//! the HAL's clock init). No tick interrupt: [`ticks_ms`] and [`micros`]
//! read the counter, and ALARM0 only wakes an idle core ([`sleep_until_irq`]).

use crate::mmio::{nvic, timer};

/// TIMER_IRQ_0's NVIC line (ALARM0).
pub const IRQ: usize = 0;

/// The 1 MHz TIMER's count in microseconds since boot, both halves read
/// consistently (the high word again if the low one wrapped in between):
/// `time.ticks_us` and the sleeps ([`platform::Clock`]).
///
/// [`platform::Clock`]: p14p_device::platform::Clock
pub fn micros64() -> u64 {
    loop {
        let hi = timer::TIMERAWH.read();
        let lo = timer::TIMERAWL.read();
        if timer::TIMERAWH.read() == hi {
            return (u64::from(hi) << 32) | u64::from(lo);
        }
    }
}

/// Milliseconds since boot (wrapping).
pub fn ticks_ms() -> u32 {
    (micros64() / 1000) as u32
}

/// Microseconds since boot (wrapping): the counter's low word. The VM times
/// its collections with it ([`p14p_device::Clock`]).
pub fn micros() -> u32 {
    timer::TIMERAWL.read()
}

/// Arms ALARM0 `us` microseconds ahead and lets its interrupt through, so
/// that a `wfi` after this returns at the latest then.
pub fn wake_in(us: u32) {
    timer::INTR.write(1);
    timer::INTE.write(1);
    timer::ALARM0.write(micros().wrapping_add(us));
    nvic::ISER.write(1 << IRQ);
}

/// The TIMER_IRQ_0 handler's work: acknowledge the alarm and mask it again
/// (it only ends a `wfi`).
pub fn on_alarm() {
    timer::INTR.write(1);
    timer::INTE.write(0);
    nvic::ICER.write(1 << IRQ);
}
