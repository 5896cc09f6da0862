//! The native half of `sys`: what only the device knows, for the library
//! half (`lib/sys.py`, module `_sys`, which has every public name):
//! `_modules()`, the live registry of imported modules, and `_platform()`,
//! the port's board name.

use super::funcs::b;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::{Vm, R};

/// Calls `sys`'s native function `id` (`_modules`, `_platform`).
pub(super) fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32) -> R<Value> {
    if id == b::SYS_MODULES {
        vm.modules_dict()
    } else {
        vm.str_from_bytes(host.board().as_bytes())
    }
}
