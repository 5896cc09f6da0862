//! A port's own native modules ([`crate::platform::NativeModules`]): the
//! VM's half of the call. The port declares its modules in a table and
//! implements one `call`; everything Python-facing is here, so a port
//! never touches the VM.
//!
//! Port module `j` (its index in the port's table) is the module
//! immediate [`FIRST_MODULE`]` + j`, after the protocol's own modules;
//! its function `k` is the builtin immediate [`FIRST_FN`]` | j << 8 | k`,
//! above every builtin id, so the call path routes it here with one
//! comparison ([`super::call_builtin`]).

use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::exc::Part;
use crate::obj::{tag, T};
use crate::platform::{Arg, NativeError, Ret};
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::{ArgType, NativeFunction};
use p14p_protocol::natives;

/// The module immediate's payload of the port's first module.
pub const FIRST_MODULE: u32 = natives::MODULES.len() as u32;

/// The builtin id of the port's first module's first function.
pub const FIRST_FN: u32 = 1 << 16;

/// Port module called `name`.
pub fn module(host: &mut Hx<'_>, name: &[u8]) -> Option<Value> {
    let ports = host.natives()?.native_modules();
    // A module's number is a byte of its functions' ids: any past 255 is
    // none (the manifest, a byte, cannot announce it either).
    let j = ports
        .iter()
        .take(256)
        .position(|m| m.name.as_bytes() == name)?;
    Some(Value::imm(kind::MODULE, FIRST_MODULE + j as u32))
}

/// The port's table row of module immediate `m`.
fn row(host: &mut Hx<'_>, m: Value) -> Option<&'static p14p_protocol::msg::NativeModule<'static>> {
    let ports = host.natives()?.native_modules();
    ports.get(m.payload().checked_sub(FIRST_MODULE)? as usize)
}

/// Attribute `name` of port module `m`: its function, or `AttributeError`.
pub fn attr(vm: &mut Vm, host: &mut Hx<'_>, m: Value, name: Value) -> R<Value> {
    let row = row(host, m);
    let functions = row.map_or(&[][..], |r| r.functions.as_slice());
    let n = vm.str_bytes(name);
    // As for modules, a function past 255 is none.
    if let Some(k) = functions
        .iter()
        .take(256)
        .position(|f| f.name.as_bytes() == n)
    {
        let j = m.payload() - FIRST_MODULE;
        return Ok(Value::imm(kind::BUILTIN, FIRST_FN | j << 8 | k as u32));
    }
    let module = row.map_or(&b"?"[..], |r| r.name.as_bytes());
    let parts = [Part::Bytes(module), Part::Str(name)];
    vm.raise_parts(T::AttributeError, ErrMsg::ModuleNoAttribute, &parts)
}

/// The name of port function `id`, if it is one (for its `repr` and
/// `__name__`: the builtin names do not hold it).
pub fn name(host: &mut Hx<'_>, id: u32) -> Option<&'static str> {
    let j = (id.checked_sub(FIRST_FN)? >> 8) as usize;
    let module = host.natives()?.native_modules().get(j)?;
    Some(module.functions.as_slice().get((id & 0xFF) as usize)?.name)
}

/// `v` as argument type `t`; `None` if it is not one. A bool is an int
/// and an int a bool, as in Python.
fn arg<'v>(vm: &'v Vm, v: Value, t: ArgType) -> Option<Arg<'v>> {
    let x = if v == Value::NONE {
        Arg::None
    } else if v == Value::TRUE || v == Value::FALSE {
        Arg::Bool(v == Value::TRUE)
    } else if let Some(i) = vm.int_val(v) {
        Arg::Int(i32::try_from(i).ok()?)
    } else if vm.is_str(v) {
        Arg::Str(vm.str_bytes(v))
    } else {
        Arg::Bytes(vm.bytes_data(v)?)
    };
    Some(match (t, x) {
        (ArgType::Int, Arg::Bool(b)) => Arg::Int(b.into()),
        (ArgType::Bool, Arg::Int(i)) => Arg::Bool(i != 0),
        (ArgType::Any, Arg::None)
        | (ArgType::Any | ArgType::Int, Arg::Int(_))
        | (ArgType::Any | ArgType::Bool, Arg::Bool(_))
        | (ArgType::Any | ArgType::Str, Arg::Str(_))
        | (ArgType::Any | ArgType::Bytes, Arg::Bytes(_)) => x,
        _ => return None,
    })
}

/// Calls port function `id` ([`FIRST_FN`]` | j << 8 | k`): checks the
/// count and the types against its declaration, converts the arguments,
/// calls the port and makes its result a value.
#[inline(never)]
pub fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    let (j, k) = ((id >> 8 & 0xFF) as usize, (id & 0xFF) as usize);
    // Only `attr` makes these ids, from the port's table: both exist.
    let Some(ports) = host.natives() else {
        return Ok(Value::NONE);
    };
    let Some(f) = ports
        .native_modules()
        .get(j)
        .and_then(|m| m.functions.as_slice().get(k))
    else {
        return Ok(Value::NONE);
    };
    let max = usize::from(f.max_args).min(NativeFunction::MAX_TYPED);
    if a.n < usize::from(f.min_args) || a.n > max || !a.kw.is_null() {
        return vm.raise_s(T::TypeError, ErrMsg::ArgCount, f.name.as_bytes());
    }
    let mut args = [Arg::None; NativeFunction::MAX_TYPED];
    for (i, slot) in args.iter_mut().enumerate().take(a.n) {
        let (v, t) = (vm.arg(a, i), f.arg_type(i));
        match arg(vm, v, t) {
            Some(x) => *slot = x,
            None => return bad_type(vm, f, i, v, t),
        }
    }
    let (t, m) = match ports.call(j, k, &args[..a.n]) {
        Ok(Ret::None) => return Ok(Value::NONE),
        Ok(Ret::Bool(b)) => return Ok(Value::bool(b)),
        Ok(Ret::Int(i)) => return vm.int_from_i64(i.into()),
        #[cfg(feature = "bytes")]
        Ok(Ret::Bytes(b)) => return vm.bytes_from_slice(b),
        #[cfg(not(feature = "bytes"))]
        Ok(Ret::Bytes(_)) => (T::NotImplementedError, "bytes"),
        Err(NativeError::Value(m)) => (T::ValueError, m),
        Err(NativeError::Os(m)) => (T::OSError, m),
    };
    vm.raise_s(t, ErrMsg::Custom, m.as_bytes())
}

/// `TypeError`: argument `i` of `f` is `v`, not a `t`.
#[inline(never)]
fn bad_type(vm: &mut Vm, f: &NativeFunction, i: usize, v: Value, t: ArgType) -> R<Value> {
    // An int too wide for 32 bits is the right type, the wrong size.
    if vm.is(v, tag::INT) && matches!(t, ArgType::Int | ArgType::Bool | ArgType::Any) {
        return vm.raise_s(T::OverflowError, ErrMsg::IntOverflow, b"");
    }
    let parts = [
        Part::Bytes(f.name.as_bytes()),
        Part::Bytes(&[b'1' + i as u8]),
        Part::Bytes(t.name().as_bytes()),
        Part::TypeOf(v),
    ];
    vm.raise_parts(T::TypeError, ErrMsg::NativeArgType, &parts)
}
