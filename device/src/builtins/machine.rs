//! The native `machine` module: `ticks_ms()`, `freq()`, `reset()`,
//! `soft_reset()`, `idle()` (through [`Host`]) and the memory accessors
//! `mem8`, `mem16`, `mem32`, indexed by address (`machine.mem32[a]`,
//! `machine.mem32[a] = v`) or called (`mem32(a)`, `mem32(a, v)`). Every
//! access goes through [`Host::mem_read`]/[`Host::mem_write`], which check
//! the port's memory map: a bad address is a `ValueError`, never a fault.
//!
//! `machine.Pin` is Python (`lib/machine.py`, module `_machine`): every
//! method calls the one function here, `_pin` (configure, write, read),
//! which reaches the port's pins through [`Host::gpio`]
//! ([`crate::platform::Gpio`]). A bad pin id, mode or pull is a
//! `ValueError`. `Pin.irq` and `micropython.schedule` are `vm/soft.rs`'s
//! (`_irq`, feature `soft-irq`); `I2C`, `SPI` and `UART` (`lib/i2c.py`, ...)
//! `builtins/bus.rs`'s (`_bus`, feature `buses`).
//!
//! The lookup of every native module and its attributes lives here too
//! (`gc`'s functions are `builtins/gc.rs`'s, `time`'s `time.rs`'s, `sys`'s
//! `sys.rs`'s): module
//! immediates whose payload is the module's id in the protocol's table
//! ([`p14p_protocol::natives`]). An attribute a module's row lacks is
//! looked up in its library half ([`Vm::library_half_attr`]).

use super::funcs::b;
use crate::heap::value::kind;
use crate::heap::Value;
#[cfg(doc)]
use crate::machine::Host;
use crate::machine::{Hx, MAX_UNIQUE_ID};
use crate::obj::T;
use crate::platform::{PinMode, Pull};
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::Width;
use p14p_protocol::natives::{self, id};

/// The `machine` module value.
pub const MACHINE: Value = Value::imm(kind::MODULE, id::MACHINE);

/// The `gc` module value.
pub const GC: Value = Value::imm(kind::MODULE, id::GC);

/// How many of the protocol's [`natives::MODULES`] this build provides
/// from the first (`os` needs files).
pub const PROVIDED: usize = natives::MODULES.len() - if cfg!(feature = "files") { 0 } else { 1 };

// `gc`'s, `time`'s and `sys`'s functions sit in `BUILTINS` in the
// protocol table's order, and so do `machine`'s from `unique_id` on.
const _: () = assert!(b::MEM_FREE == b::COLLECT + 1 && b::MEM_ALLOC == b::COLLECT + 2);
const _: () = assert!(
    b::SLEEP_MS == b::TICKS_US + 1
        && b::SLEEP_US == b::TICKS_US + 2
        && b::TIME_NS == b::TICKS_US + 3
);
const _: () = assert!(b::SYS_PLATFORM == b::SYS_MODULES + 1);
const _: () = assert!(
    b::PIN == b::UNIQUE_ID + 1
        && b::FREQ == b::UNIQUE_ID + 2
        && b::RESET == b::UNIQUE_ID + 3
        && b::SOFT_RESET == b::UNIQUE_ID + 4
        && b::IDLE == b::UNIQUE_ID + 5
        && b::BUS == b::UNIQUE_ID + 6
        && b::IRQ == b::UNIQUE_ID + 7
);
const _: () = assert!(b::GC_ENABLE == b::COLLECT + 3 && b::GC_THRESHOLD == b::COLLECT + 6);

/// Attribute `name` of native module `m`: its index in the module's
/// function table ([`natives`]) picks the value.
pub fn module_attr(m: Value, name: &[u8]) -> Option<Value> {
    if m.payload() == id::MATH {
        return super::math::attr(name);
    }
    let module = natives::MODULES[..PROVIDED].get(m.payload() as usize)?;
    let functions = module.functions.as_slice();
    let i = functions.iter().position(|f| f.name.as_bytes() == name)? as u32;
    Some(match m.payload() {
        // `ticks_ms`, then `mem8`, `mem16`, `mem32`, then `unique_id`,
        // `_pin`, `freq`, `reset`, `soft_reset`, `idle`, `_bus`, `_irq`
        // (consecutive in `BUILTINS`).
        id::MACHINE if i == 0 => Value::imm(kind::BUILTIN, b::TICKS_MS),
        id::MACHINE if i >= 4 => Value::imm(kind::BUILTIN, b::UNIQUE_ID + i - 4),
        id::MACHINE => Value::imm(kind::MEM, i - 1),
        id::GC => Value::imm(kind::BUILTIN, b::COLLECT + i),
        // `ticks_ms` is `machine`'s; `ticks_cpu` (last) is `ticks_us`.
        id::TIME if i == 0 => Value::imm(kind::BUILTIN, b::TICKS_MS),
        id::TIME if i == 5 => Value::imm(kind::BUILTIN, b::TICKS_US),
        id::TIME => Value::imm(kind::BUILTIN, b::TICKS_US + i - 1),
        id::SYS => Value::imm(kind::BUILTIN, b::SYS_MODULES + i),
        #[cfg(feature = "files")]
        _ => super::file::os_function(i),
        #[cfg(not(feature = "files"))]
        _ => return None,
    })
}

/// The native module called `name`.
pub fn module(name: &[u8]) -> Option<Value> {
    let i = natives::MODULES[..PROVIDED]
        .iter()
        .position(|m| m.name.as_bytes() == name)?;
    Some(Value::imm(kind::MODULE, i as u32))
}

/// The name of native module `m` (for messages).
pub fn module_name(m: Value) -> &'static [u8] {
    natives::MODULES
        .get(m.payload() as usize)
        .map_or(b"?", |module| module.name.as_bytes())
}

fn width(m: Value) -> Width {
    match m.payload() {
        0 => Width::U8,
        1 => Width::U16,
        _ => Width::U32,
    }
}

/// Calls `machine`'s function `id` (`unique_id` to `_irq`).
pub(super) fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    match id {
        b::UNIQUE_ID => vm.unique_id(host),
        b::PIN => vm.pin(host, a),
        // Without the features, `_bus` and `_irq` fall to the last arm's
        // `NotImplementedError` (no code of their own): `lib/i2c.py` (...)
        // raises MicroPython's `ValueError: I2C(0) doesn't exist` for it.
        #[cfg(all(feature = "buses", feature = "bytes"))]
        b::BUS => vm.bus(host, a),
        #[cfg(feature = "soft-irq")]
        b::IRQ => vm.pin_irq(host, a),
        b::FREQ => vm.int_from_i64(i64::from(host.freq())),
        b::IDLE => {
            host.idle();
            Ok(Value::NONE)
        }
        // The run ends whatever it catches (the host stops it), as
        // MicroPython's reset never returns; the link then resets.
        b::RESET | b::SOFT_RESET => {
            host.reset(id == b::RESET);
            vm.raise(T::SystemExit, ErrMsg::Custom)
        }
        _ => super::funcs::not_implemented(vm, id),
    }
}

impl Vm<'_> {
    fn address(&mut self, a: Value) -> R<u32> {
        match self.int_val(a).and_then(|i| u32::try_from(i).ok()) {
            Some(x) => Ok(x),
            None => self.raise_type(ErrMsg::IndexType, a),
        }
    }

    fn bad_address<X>(&mut self, addr: u32) -> R<X> {
        let mut b = crate::obj::float::Buf::<16>::new();
        crate::obj::float::Sink::push_all(&mut b, b"0x");
        for k in (0..8).rev() {
            crate::obj::float::push_uint(&mut b, u64::from(addr >> (4 * k) & 15), 16, false);
        }
        self.raise_s(T::ValueError, ErrMsg::BadAddress, b.bytes())
    }

    /// `machine.unique_id()`: the board's id ([`Host::unique_id`]) as
    /// bytes. A board without one, or a build without bytes, raises
    /// `NotImplementedError` rather than return an id that is not unique.
    pub(crate) fn unique_id(&mut self, host: &mut Hx<'_>) -> R<Value> {
        let mut id = [0u8; MAX_UNIQUE_ID];
        let n = host.unique_id(&mut id).min(MAX_UNIQUE_ID);
        #[cfg(feature = "bytes")]
        if n > 0 {
            return self.bytes_from_slice(&id[..n]);
        }
        let _ = n;
        self.raise_s(
            T::NotImplementedError,
            ErrMsg::NotImplemented,
            b"machine.unique_id",
        )
    }

    /// `machine._pin(id, mode, pull, value)`, what every `Pin` method
    /// does: `id` is the board's pin number or name; `mode` is `Pin.IN`,
    /// `OUT`, `OPEN_DRAIN` or -1 (unchanged); `pull` is `None` or 0 (no
    /// pull), `PULL_UP`, `PULL_DOWN` or -1 (unchanged). `value`, unless
    /// None, is written first (so an output starts at that level) and the
    /// call returns None; with `value` None it returns the pin's level, 0
    /// or 1 (`Pin.value()`).
    // Out of line: inlined into `funcs::call` it took 32 bytes more.
    #[inline(never)]
    pub(crate) fn pin(&mut self, host: &mut Hx<'_>, a: &Args) -> R<Value> {
        let (id, mode, pull, value) = (
            self.arg(a, 0),
            self.arg(a, 1),
            self.arg(a, 2),
            self.arg(a, 3),
        );
        let mode = match self.int_val(mode) {
            Some(-1) => None,
            Some(0) => Some(PinMode::In),
            Some(1) => Some(PinMode::Out),
            Some(2) => Some(PinMode::OpenDrain),
            _ => return self.raise_s(T::ValueError, ErrMsg::ArgValue, b"Pin mode"),
        };
        // `None` is no pull.
        let pull = match if pull == Value::NONE {
            Some(0)
        } else {
            self.int_val(pull)
        } {
            Some(-1) => None,
            Some(0) => Some(Pull::None),
            Some(1) => Some(Pull::Up),
            Some(2) => Some(Pull::Down),
            _ => return self.raise_s(T::ValueError, ErrMsg::ArgValue, b"Pin pull"),
        };
        let high = self.truthy(value);
        let level = host.gpio().and_then(|g| {
            let pin = self.pin_number(g, id)?;
            if value != Value::NONE {
                g.pin_write(pin, high).then_some(())?;
            }
            g.pin_configure(pin, mode, pull).then_some(())?;
            g.pin_read(pin)
        });
        match level {
            Some(_) if value != Value::NONE => Ok(Value::NONE),
            Some(l) => Ok(Value::small(l.into())),
            None => self.raise_s(T::ValueError, ErrMsg::ArgValue, b"Pin id"),
        }
    }

    /// The number of pin `id` on `g`: an int as it is, a str by the
    /// board's name for it; `None`: neither.
    pub(crate) fn pin_number(&self, g: &dyn crate::platform::Gpio, id: Value) -> Option<u32> {
        match self.int_val(id) {
            Some(i) => u32::try_from(i).ok(),
            None if self.is_str(id) => g.pin_named(self.str_bytes(id)),
            None => None,
        }
    }

    /// `memN[addr]`.
    pub(crate) fn mem_get(&mut self, host: &mut Hx<'_>, m: Value, a: Value) -> R<Value> {
        let addr = self.address(a)?;
        match host.mem_read(addr, width(m)) {
            Ok(v) => self.int_from_i64(v as i64),
            Err(_) => self.bad_address(addr),
        }
    }

    /// `memN[addr] = v` (truncated to the width).
    pub(crate) fn mem_set(&mut self, host: &mut Hx<'_>, m: Value, a: Value, v: Value) -> R<()> {
        let addr = self.address(a)?;
        let Some(x) = self.int_val(v) else {
            return self.raise_type(ErrMsg::ArgType, v);
        };
        let w = width(m);
        let mask = if w == Width::U32 {
            u32::MAX
        } else {
            (1u32 << (8 * w.bytes())) - 1
        };
        match host.mem_write(addr, w, (x as u32) & mask) {
            Ok(()) => Ok(()),
            Err(_) => self.bad_address(addr),
        }
    }
}
