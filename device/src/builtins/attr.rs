//! Attribute lookup: `obj.name`, `obj.name = v`, and the method half of
//! `obj.name(...)`, by one path.
//!
//! As MicroPython's `mp_load_method_maybe`, one lookup ([`load_method`])
//! answers a pair, `(f, this)`: the attribute and, for a method, the self
//! to call it with (`NULL`: the attribute is a plain value, or a function
//! called as is). `LOAD_METHOD` pushes the pair and allocates nothing;
//! [`getattr`] binds a method (`BOUND`) only when `this` is not `NULL`.
//! The order is CPython's: a property or data descriptor of the class,
//! the instance's dict, the class (functions bind to the instance,
//! classmethods to the class), a builtin type's native methods (of a
//! subclass's instance: its native base's), the attributes every object
//! of a kind has (`__class__`, `__name__`, …), `__getattr__`, then a cold
//! method in the frozen library.

#[cfg(feature = "files")]
use super::file;
use super::names::{blob, blob_len, Names};
#[cfg(feature = "natives")]
use super::native;
use super::{builtin_name, machine, method_row, CLASS_METHODS, METHOD_INFO};
use super::{EXC_INIT, OBJECT_INIT, OBJECT_METHODS, OBJECT_NEW, PROPERTY_SETTER};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::exc::Part;
use crate::obj::{tag, T};
use crate::vm::{Raised, Vm, R};
use core::num::NonZeroU64;
use p14p_protocol::errmsg::ErrMsg;

/// `obj.name` as `LOAD_METHOD` wants it: `(f, this)`, the attribute and
/// the self to pass it (`NULL`: call `f` as it is, or `f` is a plain
/// value). Nothing is bound.
#[inline(always)]
pub fn load_method(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value) -> R<(Value, Value)> {
    let (f, this) = crate::heap::unpack(lookup(vm, host, obj, name).ok_or(Raised)?);
    Ok((Value(f as u32), Value(this as u32)))
}

/// `obj.name`. Never inlined: one copy of the shortcut serves every
/// caller (firmware size).
#[inline(never)]
pub fn getattr(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value) -> R<Value> {
    // The hottest path: an instance attribute of a class without
    // properties, straight from the instance dict, in a small function (the
    // general one has a large frame to set up).
    if let Some(v) = vm.inst_attr_plain(obj, name) {
        return Ok(v);
    }
    match load_method(vm, host, obj, name)? {
        (v, this) if this.is_null() => Ok(v),
        (f, this) => vm.bound_new(this, f),
    }
}

/// [`find`]'s pair in r0:r1 (`None`: an exception was raised), as
/// [`crate::heap::pack`] explains: a `Result` of two words would come
/// back through memory. The attribute is never `NULL`, so the pair is
/// never 0.
#[inline(never)]
fn lookup(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value) -> Option<NonZeroU64> {
    let (v, this) = find(vm, host, obj, name).ok()?;
    crate::heap::pack(v.0 as usize, this.0 as usize)
}

/// The attribute, a plain value: no self to pass.
fn plain(v: Value) -> (Value, Value) {
    (v, Value::NULL)
}

/// The lookup [`load_method`] and [`getattr`] share.
#[inline(always)]
fn find(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value) -> R<(Value, Value)> {
    // Whose native methods answer: a builtin type's subclass's instance
    // finds its base's, bound to the base.
    let mut base = obj;
    if vm.is(obj, tag::INST) || vm.is(obj, tag::EXC) {
        // One class lookup decides everything: a data descriptor first,
        // then the instance dict, then the class.
        let c = vm.class_of(obj);
        let cv = vm.class_lookup(c, name);
        let wrap = cv
            .filter(|p| vm.is(*p, tag::WRAP))
            .map(|p| vm.wrap_parts(p));
        if let Some((2, getter, _)) = wrap {
            return vm.call_nested(host, getter, &[obj]).map(plain);
        }
        // A user descriptor: a data one before the instance's dict, any
        // other after it.
        let desc = cv.filter(|d| vm.is(*d, tag::INST));
        if let Some(d) = desc {
            if let Some(v) = vm.descriptor_get(host, d, obj, c, true)? {
                return Ok(plain(v));
            }
        }
        if let Some(d) = vm.attr_dict(obj) {
            if let Some(v) = vm.dict_get_h(d, name, vm.str_hash(name)) {
                return Ok(plain(v));
            }
        }
        if let Some(d) = desc {
            if let Some(v) = vm.descriptor_get(host, d, obj, c, false)? {
                return Ok(plain(v));
            }
        }
        match (cv, wrap) {
            // A staticmethod, then a classmethod (a property answered above).
            (_, Some((0, g, _))) => return Ok(plain(g)),
            (_, Some((_, g, _))) => return Ok((g, c)),
            (Some(f), None) if vm.is(f, tag::FUNC) => return Ok((f, obj)),
            (Some(v), None) => return Ok(plain(v)),
            (None, _) => {}
        }
        base = vm.native_of(obj);
    } else if vm.is(obj, tag::CLASS) {
        if let Some(v) = vm.class_lookup(obj, name) {
            if vm.is(v, tag::WRAP) {
                return Ok(match vm.wrap_parts(v) {
                    (0, g, _) => plain(g),
                    (1, g, _) => (g, obj),
                    // A property, itself.
                    _ => plain(v),
                });
            }
            // Through the class, a descriptor gets None for the instance.
            if vm.is(v, tag::INST) {
                if let Some(r) = vm.descriptor_get(host, v, Value::NONE, obj, false)? {
                    return Ok(plain(r));
                }
            }
            return Ok(plain(v));
        }
    } else if vm.is(obj, tag::MODULE) {
        return match vm.module_attr(obj, name) {
            Some(v) => Ok(plain(v)),
            None => {
                let parts = [Part::Str(vm.module_name(obj)), Part::Str(name)];
                vm.raise_parts(T::AttributeError, ErrMsg::ModuleNoAttribute, &parts)
            }
        };
    } else if vm.is(obj, tag::SUPER) {
        if let Some(found) = super_method(vm, obj, name) {
            return Ok(found);
        }
    }
    if let Some(m) = native_method(vm, base, name) {
        return Ok((m, base));
    }
    by_kind(vm, host, obj, name).map(plain)
}

/// The method `name` of `obj`, a value of a builtin type (a list, a str,
/// a file, …), to be called with `obj` as self; None when it has none.
pub fn native_method(vm: &mut Vm, obj: Value, name: Value) -> Option<Value> {
    let t = vm.type_of(obj);
    if !matches!(
        t,
        T::list
            | T::dict
            | T::str
            | T::tuple
            | T::generator
            | T::property
            | T::set
            | T::frozenset
            | T::range
            | T::slice
            | T::float
            | T::bytes
            | T::bytearray
            | T::int
            | T::bool
    ) {
        #[cfg(feature = "files")]
        if matches!(t, T::TextIOWrapper | T::BufferedReader | T::BufferedWriter) {
            return file::find_method(vm.str_bytes(name));
        }
        return None;
    }
    // frozenset shares set's (non-mutating) methods, bool int's.
    let frozen = t == T::frozenset;
    let t = match t {
        T::frozenset => T::set,
        T::bool => T::int,
        t => t,
    };
    let found = builtin_method(vm, t, name);
    if frozen && found.is_some_and(|m| crate::obj::set::set_mutates(m.payload())) {
        return None;
    }
    found
}

/// A method through `super()`: along the MRO after its class, then
/// `object`'s methods, then (a builtin type's subclass) the native base's.
/// Out of line: the lookup of every other method stays small.
#[inline(never)]
fn super_method(vm: &mut Vm, obj: Value, name: Value) -> Option<(Value, Value)> {
    let (c, this) = (vm.heap.v(obj.word() + 1), vm.heap.v(obj.word() + 2));
    // `object`'s `__init__`, `__new__`, `__repr__`, `__str__`.
    let n = vm.str_bytes(name);
    let om = OBJECT_METHODS
        .iter()
        .find(|&&(m, _)| m.as_bytes() == n)
        .map(|&(_, v)| v);
    match vm.super_lookup(c, this, name) {
        // `__new__` is static: the class is its first argument.
        Some(f) if vm.is(f, tag::FUNC) => {
            return Some((
                f,
                if om == Some(OBJECT_NEW) {
                    Value::NULL
                } else {
                    this
                },
            ));
        }
        Some(_) => return None,
        None => {}
    }
    match om {
        Some(OBJECT_NEW) => return Some((OBJECT_NEW, Value::NULL)),
        Some(OBJECT_INIT) if vm.type_of(this).is_exception() => return Some((EXC_INIT, this)),
        Some(OBJECT_INIT) => return Some((OBJECT_INIT, this)),
        _ => {}
    }
    // Past the user classes: a builtin type's subclass's native base,
    // its `repr` and `str` and its methods.
    let b = vm.native_base(this)?;
    if om.is_some() {
        return Some((om?, b));
    }
    native_method(vm, b, name).map(|m| (m, b))
}

/// Builtin type `t`'s method `name`. A builtin type's methods are fixed:
/// remembered by (type, name) in the class-attribute cache (a type value
/// is never a class's).
fn builtin_method(vm: &mut Vm, t: T, name: Value) -> Option<Value> {
    if let Some(found) = vm.cache.attr(t.value(), name) {
        return found;
    }
    let h = vm.str_hash(name);
    let bytes = vm.str_bytes(name);
    let found = method_row(bytes, h, |mt| {
        mt == t || (t == T::bytearray && mt == T::bytes)
    })
    .map(|i| Value::imm(kind::METHOD, i));
    vm.cache.set_attr(t.value(), name, found);
    found
}

/// `obj.name` past the dicts, classes and method tables: a type's unbound
/// methods, a file's attributes, a native module's, the attributes every
/// object of a kind has, `__getattr__`, the frozen library. Raises
/// `AttributeError` when none answers. Out of line: [`lookup`]'s frame,
/// set up at every method call, stays small.
#[inline(never)]
fn by_kind(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value) -> R<Value> {
    if obj.is_kind(kind::TYPE) {
        if let Some(t) = T::from_id(obj.payload()) {
            // `str.upper` and friends: the unbound method (self comes
            // first); `dict.fromkeys` and `bytes.fromhex`: bound to the type.
            let h = vm.str_hash(name);
            let bytes = vm.str_bytes(name);
            // `object.__init__`/`__new__` serve every type
            // (`list.__init__(self, xs)`, `tuple.__new__(cls, xs)`).
            let ok = |mt| mt == t || mt == T::type_ || mt == T::object;
            if let Some(i) = method_row(bytes, h, ok) {
                let m = Value::imm(kind::METHOD, i);
                if METHOD_INFO[i as usize].0 != T::type_ {
                    return Ok(m);
                }
                if CLASS_METHODS.contains(&(t, i)) {
                    return vm.bound_new(obj, m);
                }
            }
        }
    }
    #[cfg(feature = "files")]
    if vm.is(obj, tag::FILE) {
        if let Some(v) = file::attr(vm, obj, name)? {
            return Ok(v);
        }
    }
    let n = vm.str_bytes(name);
    if obj.is_kind(kind::MODULE) {
        #[cfg(feature = "natives")]
        if obj.payload() >= native::FIRST_MODULE {
            return native::attr(vm, host, obj, name);
        }
        if let Some(v) = machine::module_attr(obj, n) {
            return Ok(v);
        }
        // Then its library half (`time.ticks_diff`, `machine.Pin`).
        if let Some(v) = vm.library_half_attr(host, obj, name)? {
            return Ok(v);
        }
        let parts = [Part::Bytes(machine::module_name(obj)), Part::Str(name)];
        return vm.raise_parts(T::AttributeError, ErrMsg::ModuleNoAttribute, &parts);
    }
    // The attributes every object of a kind has, by one name lookup.
    let t = vm.type_of(obj);
    match SPECIAL_NAMES.find(SPECIAL.len(), n, vm.str_hash(name), |_| true) {
        Some(S_NAME) if vm.is(obj, tag::CLASS) => return Ok(vm.class_name(obj)),
        Some(S_NAME) if obj.is_kind(kind::TYPE) => {
            let t = T::from_id(obj.payload()).unwrap_or(T::object);
            return vm.str_from_bytes(t.name().as_bytes());
        }
        Some(S_NAME) if vm.is(obj, tag::FUNC) => return Ok(vm.func_name(obj)),
        Some(S_NAME) if obj.is_kind(kind::BUILTIN) => {
            let name = builtin_name(obj.payload());
            #[cfg(feature = "natives")]
            let name = native::name(host, obj.payload()).unwrap_or(name);
            return vm.str_from_bytes(name.as_bytes());
        }
        Some(S_ARGS) if t.is_exception() => {
            vm.exc_expand(host, obj)?;
            return vm.exc_args(obj);
        }
        Some(S_CAUSE | S_CONTEXT) if t.is_exception() => return Ok(Value::NONE),
        Some(S_VALUE) if t == T::StopIteration => {
            let args = vm.exc_args(obj)?;
            return Ok(match vm.seq_items(args) {
                Some((b, k)) if k > 0 => vm.heap.v(b),
                _ => Value::NONE,
            });
        }
        Some(S_CLASS) => return Ok(vm.class_of(obj)),
        Some(k @ S_START..=S_STEP) if t == T::range => {
            let (a, b, s) = vm.range_parts(obj);
            return vm.int_from_i64([a, b, s][k - S_START]);
        }
        Some(k @ S_START..=S_STEP) if t == T::slice => {
            return Ok(vm.heap.v(obj.word() + 1 + k - S_START));
        }
        Some(S_SETTER) if vm.is(obj, tag::WRAP) => return vm.bound_new(obj, PROPERTY_SETTER),
        // The namespace itself (`vars(x)`), not a copy: as CPython's.
        Some(S_DICT) if vm.is(obj, tag::INST) || vm.is(obj, tag::EXC) => return vm.inst_dict(obj),
        Some(S_DICT) if vm.is(obj, tag::CLASS) => return Ok(vm.class_dict(obj)),
        Some(k @ (S_MRO | S_BASES)) if vm.is(obj, tag::CLASS) || obj.is_kind(kind::TYPE) => {
            return if k == S_MRO {
                vm.mro_tuple(obj)
            } else {
                vm.bases_tuple(obj)
            };
        }
        // `OSError(errno, strerror)`'s first two arguments, else None.
        Some(k @ S_ERRNO..S_MRO) if t.is_sub(T::OSError) => {
            vm.exc_expand(host, obj)?;
            let args = vm.exc_args(obj)?;
            return Ok(match vm.seq_items(args) {
                Some((b, n)) if n >= 2 => vm.heap.v(b + k - S_ERRNO),
                _ => Value::NONE,
            });
        }
        _ => {}
    }
    if let Some(f) = vm.special(obj, crate::vm::Dunder::GetAttr)? {
        return vm.call_nested(host, f, &[obj, name]);
    }
    // A cold method of a builtin type, in the frozen library (Python):
    // asked last, so that every attribute found natively costs nothing more.
    // (Of a subclass's instance, or through its `super()`: its base's.)
    let this = if vm.is(obj, tag::SUPER) {
        vm.heap.v(obj.word() + 2)
    } else {
        obj
    };
    if let Some(v) = vm.library_method(host, vm.native_of(this), name)? {
        return Ok(v);
    }
    let parts = [Part::TypeOf(obj), Part::Str(name)];
    vm.raise_parts(T::AttributeError, ErrMsg::ObjectNoAttribute, &parts)
}

/// The attributes [`find`] answers by kind of object, after
/// the dicts and method tables (their index: `S_…`).
const SPECIAL: [&str; 15] = [
    "__name__",
    "args",
    "__cause__",
    "__context__",
    "value",
    "__class__",
    "start",
    "stop",
    "step",
    "setter",
    "__dict__",
    "errno",
    "strerror",
    "__mro__",
    "__bases__",
];
const S_NAME: usize = 0;
const S_ARGS: usize = 1;
const S_CAUSE: usize = 2;
const S_CONTEXT: usize = 3;
const S_VALUE: usize = 4;
const S_CLASS: usize = 5;
const S_START: usize = 6;
const S_STEP: usize = 8;
const S_SETTER: usize = 9;
const S_DICT: usize = 10;
const S_ERRNO: usize = 11;
const S_MRO: usize = 13;
const S_BASES: usize = 14;
/// [`SPECIAL`] as it is kept in flash.
const SPECIAL_BLOB: [u8; blob_len(&SPECIAL)] = blob(&SPECIAL);
static SPECIAL_NAMES: Names<{ SPECIAL.len() }> = Names::pack(SPECIAL, &SPECIAL_BLOB);

/// `obj.name = v` (`v` NULL: `del obj.name`) for instances and classes;
/// `name` is a str. Never inlined, as [`getattr`].
#[inline(never)]
pub fn setattr(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value, v: Value) -> R<()> {
    // The hot path of `self.x = v`: an instance of a class without
    // properties stores into its own dict.
    if let Some(d) = vm.inst_dict_plain(obj) {
        if !v.is_null() {
            // Every caller passes a str name (names table, or checked).
            return vm.dict_set_h(d, name, vm.str_hash(name), v);
        }
    }
    setattr_general(vm, host, obj, name, v)
}

/// [`setattr`] past the instance-dict shortcut.
#[inline(never)]
fn setattr_general(vm: &mut Vm, host: &mut Hx<'_>, obj: Value, name: Value, v: Value) -> R<()> {
    if vm.is(obj, tag::INST) && !v.is_null() && !vm.class_plain(vm.class_of(obj)) {
        let c = vm.class_of(obj);
        let cv = vm.class_lookup(c, name);
        if let Some(p) = cv.filter(|p| vm.is(*p, tag::WRAP)) {
            let (kind, _, setter) = vm.wrap_parts(p);
            if kind == 2 {
                if setter.is_null() {
                    return vm.raise_v(T::AttributeError, ErrMsg::ReadOnlyAttribute, name);
                }
                return vm.call_nested(host, setter, &[obj, v]).map(|_| ());
            }
        }
        // A user data descriptor's `__set__(d, obj, v)`.
        if let Some(d) = cv.filter(|d| vm.is(*d, tag::INST)) {
            if let Some(set) = vm.descriptor_method(d, b"__set__")? {
                return vm.call_nested(host, set, &[d, obj, v]).map(|_| ());
            }
        }
    }
    let d = if vm.is(obj, tag::INST) || vm.is(obj, tag::EXC) {
        vm.inst_dict(obj)?
    } else if vm.is(obj, tag::CLASS) {
        // The one way a class's namespace changes once the class exists.
        vm.cache.classes_changed();
        if vm.is_descriptor(v)? {
            vm.cache.late_props = true;
        }
        vm.class_dict(obj)
    } else if vm.is(obj, tag::MODULE) {
        vm.module_globals(obj)
    } else {
        return vm.raise_v(T::AttributeError, ErrMsg::ReadOnlyAttribute, name);
    };
    if v.is_null() {
        if vm.dict_del(d, name)?.is_none() {
            return vm.raise_v(T::AttributeError, ErrMsg::NoAttribute, name);
        }
        return Ok(());
    }
    // Every caller passes a str name (names table, or checked).
    vm.dict_set_h(d, name, vm.str_hash(name), v)
}
