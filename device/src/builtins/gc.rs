//! The native `gc` module: `collect()`, `mem_free()`, `mem_alloc()` (bytes
//! of the heap), then MicroPython's `enable()`, `disable()`, `isenabled()`
//! and `threshold([bytes])`. The policy they set is kept in the heap
//! ([`crate::heap::Heap::charge`]).

use super::funcs::b;
use crate::heap::Value;
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

/// Calls `gc`'s function `id` (`collect` to `threshold`).
pub(super) fn call(vm: &mut Vm, id: u32, a: &Args) -> R<Value> {
    match id {
        b::GC_ENABLE | b::GC_DISABLE => {
            vm.heap.set_auto_collect(id == b::GC_ENABLE);
            Ok(Value::NONE)
        }
        b::GC_ISENABLED => Ok(Value::bool(vm.heap.auto_collect())),
        b::GC_THRESHOLD => vm.gc_threshold(a),
        b::MEM_FREE | b::MEM_ALLOC => {
            let (free, _, _) = vm.heap.census();
            let n = if id == b::MEM_FREE {
                free
            } else {
                vm.heap.total_bytes().saturating_sub(free)
            };
            vm.int_from_i64(n as i64)
        }
        // `collect`, the range's first (`funcs::call` passes no other id).
        _ => {
            vm.collect_all();
            Ok(Value::NONE)
        }
    }
}

impl Vm<'_> {
    /// `gc.threshold([bytes])`, MicroPython's: with no argument, the
    /// threshold in bytes (-1: none); with one, a collection runs whenever
    /// that many bytes were allocated since the last (-1 or any negative:
    /// none). Counted in words, so rounded down to a multiple of 4 (of 16,
    /// MicroPython's block, there).
    pub(crate) fn gc_threshold(&mut self, a: &Args) -> R<Value> {
        if a.n == 0 {
            let t = self.heap.threshold();
            let bytes = if t == crate::heap::NO_LIMIT {
                -1
            } else {
                i64::from(t) * 4
            };
            return self.int_from_i64(bytes);
        }
        let v = self.arg(a, 0);
        let Some(n) = self.int_val(v) else {
            return self.raise_type(ErrMsg::ArgType, v);
        };
        let words = if n < 0 {
            crate::heap::NO_LIMIT
        } else {
            // A threshold too large for any arena still is one.
            (n / 4).min(i64::from(crate::heap::NO_LIMIT - 1)) as u32
        };
        self.heap.set_threshold(words);
        Ok(Value::NONE)
    }
}
