//! Soft interrupts: `Pin.irq` handlers and `micropython.schedule`'s calls
//! (feature `soft-irq`; without it `machine._irq` raises
//! `NotImplementedError` and the polls do not look here).
//!
//! Nothing here runs inside a hardware interrupt. A port notes a watched
//! pin's edge in a mask ([`crate::platform::Gpio::irq_take`]); the VM
//! reads it where it already polls the link for Ctrl-C (every
//! [`super::POLL_EVERY`] instructions, and in `time.sleep_*`), queues the
//! pin's handler, and calls the oldest queued function there, between two
//! instructions, as MicroPython's soft IRQs (`hard=False`) and its
//! scheduler do. So a handler may allocate and raise like any code; it
//! runs up to a poll's distance (about a thousand instructions) after
//! the edge, and an edge that comes while the queue is full is dropped.
//!
//! One call at a time, as MicroPython's scheduler: while one runs, the
//! queue waits (a handler is not interrupted by the next). An exception
//! a handler does not catch propagates into the code it interrupted,
//! with its traceback (MicroPython prints it and goes on: here the host
//! shows it, and the program may catch it).
//!
//! The state is a tuple in the heap, made by the first `Pin.irq` or
//! `schedule`, in the last slot of the VM's table of named module images
//! (`Vm::modules`, made then if no import made it): no static RAM (a VM
//! word put the LM3S6965 at 1,028 bytes, over its 1,024), and no heap for
//! a program that imports nothing (a slot of the special-name table,
//! which every class makes, tipped a conformance program over a 7 KiB
//! heap). Until then a poll costs two tests.
//!
//! ```text
//! state tuple, STATE_LEN slots:
//! [0]           small int: calls queued (0..=DEPTH), + RUNNING while one runs
//! [1]           dict pin number -> (handler, arg), or None before Pin.irq
//! [2+2i, 3+2i]  queued call i (function, argument), oldest first
//! ```

use super::{Vm, MAX_MODULES, R};
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::T;
use crate::vm::call::Args;
use p14p_protocol::errmsg::ErrMsg;

/// Calls queued at most (MicroPython's `MICROPY_SCHEDULER_DEPTH`).
const DEPTH: i32 = 4;
/// Slot 0's flag while a queued call runs.
const RUNNING: i32 = 8;
/// The state tuple's length.
const STATE_LEN: usize = 2 + 2 * DEPTH as usize;

impl Vm<'_> {
    /// Word index of the state tuple's first item, if it was made.
    fn soft_state(&self) -> Option<usize> {
        if self.modules.is_null() {
            return None;
        }
        let v = self.heap.v(self.modules.word() + 2 + MAX_MODULES);
        (!v.is_null()).then(|| v.word() + 2)
    }

    /// The state tuple's items, made on first use.
    fn soft_make(&mut self) -> R<usize> {
        if let Some(s) = self.soft_state() {
            return Ok(s);
        }
        if self.modules.is_null() {
            self.modules = self.tuple_new(MAX_MODULES + 1)?;
        }
        let t = self.tuple_new(STATE_LEN)?;
        let s = t.word() + 2;
        self.heap.setv(s, Value::small(0));
        for i in 1..STATE_LEN {
            self.heap.setv(s + i, Value::NONE);
        }
        self.heap.setv(self.modules.word() + 2 + MAX_MODULES, t);
        Ok(s)
    }

    /// Queues `f(arg)`; `false` when the queue is full.
    fn soft_queue(&mut self, s: usize, f: Value, arg: Value) -> bool {
        let state = self.heap.v(s).small_val();
        let n = state & (RUNNING - 1);
        if n >= DEPTH {
            return false;
        }
        let at = s + 2 + 2 * n as usize;
        self.heap.setv(at, f);
        self.heap.setv(at + 1, arg);
        self.heap.setv(s, Value::small(state + 1));
        true
    }

    /// `micropython.schedule(f, arg)`: `f(arg)` runs at the next poll;
    /// `RuntimeError` when [`DEPTH`] calls wait already.
    fn schedule(&mut self, f: Value, arg: Value) -> R<Value> {
        let s = self.soft_make()?;
        if !self.soft_queue(s, f, arg) {
            return self.raise(T::RuntimeError, ErrMsg::ScheduleFull);
        }
        Ok(Value::NONE)
    }

    /// `machine._irq(pin, trigger, handler, arg)`, what `Pin.irq` does:
    /// watches the pin for `trigger`'s edges (bit 0 rising, bit 1
    /// falling) and queues `handler(arg)` at each; a `handler` of None
    /// (or a trigger of 0) stops watching. `ValueError` for a pin the
    /// port cannot watch (on a port without pin interrupts, every pin).
    /// A `pin` of None is `micropython.schedule(handler, arg)`.
    #[inline(never)]
    pub(crate) fn pin_irq(&mut self, host: &mut Hx<'_>, a: &Args) -> R<Value> {
        let (id, trigger, handler, arg) = (
            self.arg(a, 0),
            self.arg(a, 1),
            self.arg(a, 2),
            self.arg(a, 3),
        );
        if id == Value::NONE {
            return self.schedule(handler, arg);
        }
        let trigger = match self.int_val(trigger) {
            Some(t @ 0..=3) if handler != Value::NONE => t as u8,
            Some(0..=3) => 0,
            _ => return self.raise_s(T::ValueError, ErrMsg::ArgValue, b"Pin trigger"),
        };
        let pin = host
            .gpio()
            .and_then(|g| {
                let pin = self.pin_number(g, id).filter(|&p| p < 32)?;
                g.pin_irq(pin, trigger).then_some(pin)
            })
            .map(|p| Value::small(p as i32));
        let Some(pin) = pin else {
            return self.raise_s(T::ValueError, ErrMsg::ArgValue, b"Pin irq");
        };
        let s = self.soft_make()?;
        let mut handlers = self.heap.v(s + 1);
        if handlers == Value::NONE {
            handlers = self.dict_new(0)?;
            self.heap.setv(s + 1, handlers);
        }
        if trigger == 0 {
            self.dict_del(handlers, pin)?;
        } else {
            let entry = self.tuple2(handler, arg)?;
            self.dict_set(handlers, pin, entry)?;
        }
        Ok(Value::NONE)
    }

    /// At a poll: queues the handlers of the pins whose edges the port
    /// saw, then, unless one is running, calls the oldest queued function
    /// with `self.ip` at `resume` (where the interrupted code goes on).
    /// True if it called one (the caller's frame is as it was, but the
    /// dispatch loop must fetch at `resume` again).
    #[inline(never)]
    pub(crate) fn soft_poll(&mut self, host: &mut Hx<'_>, resume: usize) -> R<bool> {
        let Some(s) = self.soft_state() else {
            return Ok(false);
        };
        let mut edges = host.gpio().map_or(0, |g| g.irq_take());
        let handlers = self.heap.v(s + 1);
        while edges != 0 && handlers != Value::NONE {
            let pin = edges.trailing_zeros();
            edges &= edges - 1;
            if let Some(e) = self.dict_get(handlers, Value::small(pin as i32))? {
                let w = e.word();
                let (f, arg) = (self.heap.v(w + 2), self.heap.v(w + 3));
                // A full queue drops the edge, as MicroPython's.
                self.soft_queue(s, f, arg);
            }
        }
        let state = self.heap.v(s).small_val();
        if state & RUNNING != 0 || state == 0 {
            return Ok(false);
        }
        let (f, arg) = (self.heap.v(s + 2), self.heap.v(s + 3));
        // Pop the oldest: the others move up a place (four at most).
        for i in 2..STATE_LEN - 2 {
            let v = self.heap.v(s + i + 2);
            self.heap.setv(s + i, v);
        }
        self.heap.setv(s + STATE_LEN - 2, Value::NONE);
        self.heap.setv(s + STATE_LEN - 1, Value::NONE);
        self.heap.setv(s, Value::small((state - 1) | RUNNING));
        self.ip = resume;
        let r = self.call_nested(host, f, &[arg]);
        // The tuple does not move; a reset cannot happen while a run goes on.
        let state = self.heap.v(s).small_val();
        self.heap.setv(s, Value::small(state & !RUNNING));
        r.map(|_| true)
    }
}
