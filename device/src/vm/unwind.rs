//! Running and unwinding: [`Vm::execute`] runs the dispatch loop until the
//! boundary frame it was started for returns; an exception searches the
//! handler table of each frame it leaves (CPython 3.11 style: no block
//! stack, `try` costs nothing until something is raised).

use super::frame::flag;
use super::{Raised, Vm, R};
use crate::heap::Value;
use crate::machine::Hx;

impl Vm<'_> {
    /// Runs until the current boundary frame returns (its value) or an
    /// exception escapes it.
    pub(crate) fn execute(&mut self, host: &mut Hx<'_>) -> R<Value> {
        loop {
            match self.dispatch(host) {
                Ok(v) => return Ok(v),
                Err(Raised) => {
                    // A stop the host insists on reaches no handler.
                    let catch = !host.stopping();
                    if !self.unwind(catch) {
                        return Err(Raised);
                    }
                }
            }
        }
    }

    /// Delivers the exception in [`Vm::exc`]: to a handler of the current
    /// frame or a caller (true), or out of the boundary frame (false).
    /// Without `catch` no handler is entered: every frame up to the
    /// boundary is left (the traceback still records them).
    pub(crate) fn unwind(&mut self, catch: bool) -> bool {
        loop {
            let f = self.fp;
            if f == 0 {
                return false;
            }
            self.save_frame();
            self.tb_record();
            let handler = self.find_handler(f, self.op_ip).filter(|_| catch);
            if let Some((target, depth)) = handler {
                self.sp = depth;
                let e = self.exc;
                self.heap.setv(self.sp, e);
                self.sp += 1;
                self.ip = target;
                return true;
            }
            let flags = self.frame_flags(f);
            if flags & flag::GEN != 0 {
                self.set_frame_flags(f, (flags | flag::DONE) & !(flag::RUNNING | flag::BOUNDARY));
            }
            self.pop_frame();
            if flags & flag::BOUNDARY != 0 {
                return false;
            }
        }
    }

    /// `isinstance(exc, cls)` for `except cls` (cls may be a tuple).
    pub(crate) fn exc_matches(&self, exc: Value, cls: Value) -> bool {
        self.exc_matches_in(exc, cls, 0)
    }

    /// [`Vm::exc_matches`] at tuple nesting `depth`: tuples only (as
    /// CPython's `except`; a list could hold itself and recurse for ever)
    /// and at most 16 deep (the device's stack is a few KiB).
    fn exc_matches_in(&self, exc: Value, cls: Value, depth: u8) -> bool {
        if self.is(cls, crate::obj::tag::TUPLE) {
            let (b, n) = self.seq_items(cls).unwrap_or((0, 0));
            return depth < 16
                && (0..n).any(|i| self.exc_matches_in(exc, self.heap.v(b + i), depth + 1));
        }
        // An exception in flight may be a bare class (raised without
        // allocating).
        let c = if exc.is_kind(crate::heap::value::kind::TYPE) {
            exc
        } else {
            self.class_of(exc)
        };
        self.is_subclass(c, cls)
    }
}
