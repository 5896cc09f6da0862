//! The millisecond tick and the microsecond clock, from TIMER0.
//!
//! The nRF51's Cortex-M0 has no SysTick, so TIMER0 keeps time: a 32-bit
//! timer at 1 MHz (16 MHz / 2^4) whose COMPARE0 event at 1000 clears the
//! counter (a shortcut, so no tick drifts by the handler's latency) and
//! interrupts; the handler advances [`TICKS`]. [`micros`] adds the
//! microseconds counted into the current millisecond, captured into
//! `CC[1]`, for timing short things (the VM's collections).
//!
//! [`init`] first starts the 16 MHz crystal (HFXO): the internal RC
//! oscillator the chip starts on is too coarse for the UART's 115200 baud
//! on silicon. QEMU does not model CLOCK (its event never comes): the wait
//! is bounded, and QEMU's timers run at the nominal rate either way.

use crate::mmio::{clock, nvic, timer0};
use core::sync::atomic::{AtomicU32, Ordering};

/// TIMER0's interrupt number (its NVIC line).
pub const IRQ: usize = 8;

/// Microseconds in one tick.
const TICK_US: u32 = 1000;

/// Polls for the crystal before going on without it (it starts in
/// about 0.8 ms on the micro:bit; this is far more).
const XTAL_POLLS: u32 = 100_000;

/// Milliseconds since [`init`], advanced by the TIMER0 handler.
static TICKS: AtomicU32 = AtomicU32::new(0);

/// Starts the crystal and the 1 kHz tick.
pub fn init() {
    clock::HFCLKSTARTED.write(0);
    clock::HFCLKSTART.write(1);
    for _ in 0..XTAL_POLLS {
        if clock::HFCLKSTARTED.read() != 0 {
            break;
        }
    }

    timer0::MODE.write(0);
    timer0::BITMODE.write(3);
    timer0::PRESCALER.write(4);
    timer0::CC0.write(TICK_US);
    timer0::SHORTS.write(1);
    timer0::COMPARE0.write(0);
    timer0::INTENSET.write(1 << 16);
    nvic::ISER.write(1 << IRQ);
    timer0::CLEAR.write(1);
    timer0::START.write(1);
}

/// Milliseconds since [`init`] (wrapping).
pub fn ticks_ms() -> u32 {
    TICKS.load(Ordering::Relaxed)
}

/// Microseconds since [`init`] (wrapping): the millisecond count plus the
/// counter's position in the current millisecond; 1 µs resolution. The VM
/// times its collections with it ([`p14p_device::Clock`]).
pub fn micros() -> u32 {
    // Truncation is the contract: this clock wraps at u32::MAX.
    micros64() as u32
}

/// Microseconds since [`init`], not wrapping before the millisecond count
/// does (49 days): `time.ticks_us` and the sleeps ([`platform::Clock`]).
///
/// [`platform::Clock`]: p14p_device::platform::Clock
pub fn micros64() -> u64 {
    loop {
        let ms = TICKS.load(Ordering::Relaxed);
        let pending = timer0::COMPARE0.read() != 0;
        timer0::CAPTURE1.write(1);
        let into = timer0::CC1.read();
        // Read again if the handler ran in between (the millisecond moved)
        // or the counter wrapped around the capture (the event appeared).
        if TICKS.load(Ordering::Relaxed) != ms || (timer0::COMPARE0.read() != 0) != pending {
            continue;
        }
        // A wrap whose interrupt is still pending has begun a millisecond
        // the handler has not counted yet: without it, time would step back.
        let ms = ms.wrapping_add(u32::from(pending));
        return u64::from(ms) * u64::from(TICK_US) + u64::from(into.min(TICK_US - 1));
    }
}

/// The TIMER0 handler's work: one more millisecond.
pub fn on_tick() {
    timer0::COMPARE0.write(0);
    // Read back: the event register's write must land before the handler
    // returns, or the still-set event interrupts again at once.
    let _ = timer0::COMPARE0.read();
    // A load and a store, not `fetch_add`: the Cortex-M0 has no atomic
    // read-modify-write, and this handler is the only writer.
    TICKS.store(
        TICKS.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
}
