//! The native half of `time`: the port's clock and the wait. The rest of
//! the module (`sleep`, `ticks_add`, `ticks_diff`, `time`) is Python, the
//! library's `_time` (`lib/time.py`).
//!
//! The ticks are MicroPython's: they count modulo `TICKS_PERIOD` = 2**30,
//! so every value is a small int (no allocation in a timing loop) and
//! `ticks_diff` can wrap them; a port's clock counts in u32 or u64, both
//! multiples of the period, so masking keeps the count continuous.

use super::funcs::{b, int_arg};
use crate::heap::value::SMALL_MAX;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::call::Args;
use crate::vm::{Vm, POLL_EVERY, R};

/// Calls `time`'s native function `id` (`ticks_ms`, which is
/// `machine.ticks_ms` too, and `ticks_us` to `time_ns`).
pub(super) fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    match id {
        b::TICKS_MS => Ok(ticks(host.ticks_ms())),
        b::TICKS_US => Ok(ticks(host.ticks_us() as u32)),
        b::SLEEP_MS | b::SLEEP_US => {
            let n = int_arg(vm, vm.arg(a, 0), "sleep")?;
            let scale = if id == b::SLEEP_MS { 1000 } else { 1 };
            vm.sleep_us(host, (n.max(0) as u64).saturating_mul(scale))
        }
        // `time_ns`, the range's last (`funcs::call` passes no other id).
        _ => vm.int_from_i64((host.ticks_us() as i64).saturating_mul(1000)),
    }
}

/// A clock count as ticks: modulo 2**30 (`TICKS_MAX` is [`SMALL_MAX`]).
pub fn ticks(count: u32) -> Value {
    Value::small((count & SMALL_MAX as u32) as i32)
}

/// Below this many microseconds left, a sleep spins rather than idles:
/// a port's idle may last up to a millisecond.
const IDLE_AT_US: u64 = 1000;

impl Vm<'_> {
    /// `sleep_ms`/`sleep_us`: waits `us` microseconds by the port's
    /// clock, idling the port a millisecond at a time while more than that
    /// is left, and polling the host between, as the dispatch loop does:
    /// Ctrl-C raises `KeyboardInterrupt` in the sleep, and the link keeps
    /// answering the host's requests.
    pub(crate) fn sleep_us(&mut self, host: &mut Hx<'_>, us: u64) -> R<Value> {
        let start = host.ticks_us();
        loop {
            // A whole fuel's worth: the tick polls now, as the loop would.
            self.native_tick(host, POLL_EVERY)?;
            // A wait is where soft interrupts run, as in MicroPython's
            // sleeps: all that wait, so none waits for the sleep's end.
            #[cfg(feature = "soft-irq")]
            {
                let resume = self.ip;
                while self.soft_poll(host, resume)? {}
            }
            let left = us.saturating_sub(host.ticks_us().wrapping_sub(start));
            if left == 0 {
                return Ok(Value::NONE);
            }
            if left >= IDLE_AT_US {
                host.idle();
            }
        }
    }
}
