//! The native modules every p14p VM provides: one table of names, ids and
//! functions with their arity. The device sends it in its manifest (before
//! the port's own modules) and resolves `import` and module attributes
//! with it; the host's compiler knows a device's modules from that
//! manifest, the simulator's included, so nothing else lists them.

use crate::msg::{NativeFunction, NativeModule};
use crate::seq::Seq;

/// Module ids: a module's index in [`MODULES`], which the device keeps as
/// the payload of the module's value.
pub mod id {
    /// `machine`.
    pub const MACHINE: u32 = 0;
    /// `gc`.
    pub const GC: u32 = 1;
    /// `time`.
    pub const TIME: u32 = 2;
    /// `sys`.
    pub const SYS: u32 = 3;
    /// `math` (its functions exist where the device has floats).
    pub const MATH: u32 = 4;
    /// `os` (the device's feature `files`): last, so that a device without
    /// files provides a prefix of the table.
    pub const OS: u32 = 5;
}

const fn f(name: &'static str, min_args: u8, max_args: u8) -> NativeFunction<'static> {
    NativeFunction {
        name,
        min_args,
        max_args,
        args: 0,
    }
}

/// `machine`: `ticks_ms()`, and `mem8`, `mem16`, `mem32`, which are indexed
/// (`machine.mem32[addr]`, `machine.mem32[addr] = v`) and listed with the
/// arity of that access (address, value), then `unique_id()` (the board's
/// id as bytes, MicroPython's), then the one function behind the
/// library's `machine.Pin` (`lib/machine.py`): `_pin(id, mode, pull,
/// value)` configures a pin, sets its level unless `value` is None, and
/// then returns None, else the pin's level. Then MicroPython's `freq()`
/// (the CPU clock in Hz), `reset()` (the chip resets: the host sees the
/// device boot), `soft_reset()` (the program ends, uncatchably, and the
/// VM's state is cleared) and `idle()` (waits for an interrupt). Then
/// the two natives behind the library's buses and soft interrupts
/// (`device/src/builtins/bus.rs`, `device/src/vm/soft.rs`; on a device
/// built without the features `buses` or `soft-irq`, they raise
/// `NotImplementedError`): `_bus(op, id, a, b, c)` sets an I2C, SPI or
/// UART up or makes one transfer (`lib/i2c.py`, `spi.py`, `uart.py`), and `_irq(pin,
/// trigger, handler, arg)` is `Pin.irq` (a `pin` of None:
/// `micropython.schedule(handler, arg)`). The device's values for them
/// follow this order.
pub const MACHINE_FUNCTIONS: &[NativeFunction<'static>] = &[
    f("ticks_ms", 0, 0),
    f("mem8", 1, 2),
    f("mem16", 1, 2),
    f("mem32", 1, 2),
    f("unique_id", 0, 0),
    f("_pin", 4, 4),
    f("freq", 0, 0),
    f("reset", 0, 0),
    f("soft_reset", 0, 0),
    f("idle", 0, 0),
    f("_bus", 5, 5),
    f("_irq", 4, 4),
];

/// `gc`: `collect()`, `mem_free()`, `mem_alloc()` (bytes of the heap),
/// then MicroPython's `enable()`, `disable()`, `isenabled()` and
/// `threshold([bytes])` (-1: none, the default; in words, 4 bytes).
pub const GC_FUNCTIONS: &[NativeFunction<'static>] = &[
    f("collect", 0, 0),
    f("mem_free", 0, 0),
    f("mem_alloc", 0, 0),
    f("enable", 0, 0),
    f("disable", 0, 0),
    f("isenabled", 0, 0),
    f("threshold", 0, 1),
];

/// `time`'s native half: the port's clock and the wait (MicroPython's
/// names; the ticks wrap at 2**30, MicroPython's `TICKS_PERIOD`):
/// `ticks_ms()`, `ticks_us()`, `sleep_ms(ms)`, `sleep_us(us)` (both poll
/// for Ctrl-C while they wait), `time_ns()` (since boot), then
/// `ticks_cpu()` (the same counter as `ticks_us`). The rest of `time`
/// (`sleep`, `ticks_add`, `ticks_diff`, `time`) is its library half,
/// `lib/time.py`.
pub const TIME_FUNCTIONS: &[NativeFunction<'static>] = &[
    f("ticks_ms", 0, 0),
    f("ticks_us", 0, 0),
    f("sleep_ms", 1, 1),
    f("sleep_us", 1, 1),
    f("time_ns", 0, 0),
    f("ticks_cpu", 0, 0),
];

/// `sys`'s native half: what only the device knows, for its library half
/// (`lib/sys.py`, which has every public name): `_modules()` (the live
/// registry of imported modules) and `_platform()` (the port's board name).
pub const SYS_FUNCTIONS: &[NativeFunction<'static>] = &[f("_modules", 0, 0), f("_platform", 0, 0)];

/// `math`'s row in this table: empty. A device with floats sends the row
/// with its native kernels, [`MATH_KERNELS`], instead (one without floats
/// has none of them, and keeps no copy of their names). The rest of the
/// module is its library half, `lib/math.py`.
pub const MATH_FUNCTIONS: &[NativeFunction<'static>] = &[];

/// `math`'s native functions, the kernels plain float arithmetic cannot
/// give, or not well (`device/src/obj/fmath.rs`, no libm): `sqrt(x)`,
/// `exp(x)`, `log(x[, base])`, `sin`, `cos`, `tan`, `asin`, `acos`,
/// `atan`, `atan2(y, x)`, `frexp(x)`, `ldexp(x, i)`, `fmod(x, y)`
/// (exact), `copysign(x, y)` (the sign bit, of -0.0 and NaN too). The
/// device resolves `math.NAME` among these before the library half, so
/// a program using only them loads no Python.
pub const MATH_KERNELS: &[NativeFunction<'static>] = &[
    f("sqrt", 1, 1),
    f("exp", 1, 1),
    f("log", 1, 2),
    f("sin", 1, 1),
    f("cos", 1, 1),
    f("tan", 1, 1),
    f("asin", 1, 1),
    f("acos", 1, 1),
    f("atan", 1, 1),
    f("atan2", 2, 2),
    f("frexp", 1, 1),
    f("ldexp", 2, 2),
    f("fmod", 2, 2),
    f("copysign", 2, 2),
];

/// `os`, over the device's store: `listdir()`, `remove(name)`, `stat(name)`.
pub const OS_FUNCTIONS: &[NativeFunction<'static>] =
    &[f("listdir", 0, 1), f("remove", 1, 1), f("stat", 1, 1)];

/// The VM's native modules, by [`id`]. A device built without files
/// provides all but the last. A module's attribute that its row lacks is
/// looked up in its library half, the frozen library's module `_NAME`
/// (`lib/NAME.py`), when the library has one: the host's compiler knows
/// those names from the library it froze.
pub const MODULES: [NativeModule<'static>; 6] = [
    NativeModule {
        name: "machine",
        functions: Seq::Slice(MACHINE_FUNCTIONS),
    },
    NativeModule {
        name: "gc",
        functions: Seq::Slice(GC_FUNCTIONS),
    },
    NativeModule {
        name: "time",
        functions: Seq::Slice(TIME_FUNCTIONS),
    },
    NativeModule {
        name: "sys",
        functions: Seq::Slice(SYS_FUNCTIONS),
    },
    NativeModule {
        name: "math",
        functions: Seq::Slice(MATH_FUNCTIONS),
    },
    NativeModule {
        name: "os",
        functions: Seq::Slice(OS_FUNCTIONS),
    },
];
