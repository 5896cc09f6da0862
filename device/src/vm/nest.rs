//! How deep native code may re-enter the dispatch loop.
//!
//! Python calls do not nest on the native stack (their frames live in the
//! heap), but a native that calls back into Python (`repr` of an object
//! with `__repr__`, `==` with `__eq__`, `sorted` with a key, a generator
//! driven by a builtin, an import, a class body) runs a nested dispatch
//! loop, and each nesting costs native stack: the dispatch loop's frame,
//! the native's, and whatever the innermost level calls (a big int's text
//! takes a 2 KiB frame). Two bounds apply, both raising `RecursionError`
//! (the CPython exception for too-deep recursion) before a nested loop
//! starts:
//!
//! * [`MAX_NEST`](super::MAX_NEST) nested loops at most, everywhere;
//! * on a port that sets one ([`Vm::set_stack_floor`]), the stack pointer
//!   must be above the floor. The renderer checks it at each level of a
//!   nested container too, and a long int's decimal scratch before taking
//!   its 1.9 KiB frame. A stack-pointer check rather than a smaller
//!   per-port `MAX_NEST`: what one level costs depends on the path (a
//!   `__repr__` under `format` under `sorted` costs more than a bare one),
//!   so a count would have to assume the worst path at every level and
//!   waste the stack of the common ones. The floor is the stack's bottom
//!   plus the most one level may use below its own check (the port
//!   measures it), so the deepest level still fits.

use super::Vm;

impl Vm<'_> {
    /// Makes a nested dispatch loop raise `RecursionError` unless the stack
    /// pointer is above `floor` (an address; 0, the default, checks
    /// nothing). For a port whose stack is small next to what a nested
    /// level may use; the stack must grow down. (Feature `stack-floor`.)
    #[cfg(feature = "stack-floor")]
    pub fn set_stack_floor(&mut self, floor: usize) {
        self.stack_floor = floor;
    }

    /// True if no further dispatch loop may nest: [`super::MAX_NEST`] are
    /// running, or the stack is down to the floor.
    #[inline(always)]
    pub(crate) fn nest_full(&self) -> bool {
        self.nest >= super::MAX_NEST || self.stack_room() == 0
    }

    /// Bytes of stack above the floor (`usize::MAX` without one): what
    /// a deep native (the renderer's next level, a long int's scratch)
    /// checks before it goes on.
    #[cfg(feature = "stack-floor")]
    #[inline(never)]
    pub(crate) fn stack_room(&self) -> usize {
        if self.stack_floor == 0 {
            return usize::MAX;
        }
        // The address of a local of this (out-of-line) function is the
        // stack pointer near enough: within this frame's few bytes.
        let probe = 0u8;
        let sp = core::hint::black_box(&probe) as *const u8 as usize;
        sp.saturating_sub(self.stack_floor)
    }

    /// Without the `stack-floor` feature there is no floor: the checks fold
    /// away.
    #[cfg(not(feature = "stack-floor"))]
    #[inline(always)]
    pub(crate) fn stack_room(&self) -> usize {
        usize::MAX
    }
}
