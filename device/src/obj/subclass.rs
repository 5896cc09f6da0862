//! Classes deriving from a builtin type (`class Stack(list)`, `class
//! Name(str)`, `class Flags(int)`, `class P(tuple)`), as MicroPython's
//! `py/objtype.c`: an instance carries a *native base*, a value of the
//! builtin type (its "subobj"), and where native code needs a value of that
//! type it takes the base instead (`mp_obj_cast_to_native_base`).
//!
//! ```text
//! INST  [header, class, dict]          a plain class's instance (no word more)
//! INST  [header, class, dict, base]    a class whose nearest builtin ancestor
//!                                      (`C_BASE_T`) is one of [`native_kind`]'s
//! ```
//!
//! A plain instance can have a fourth word too (the allocator leaves a lone
//! word attached to a block): it is NULL, which [`Vm::native_base`] reads as
//! "no base".
//!
//! The class's own methods always answer first; the base is reached only
//! where an instance would fail. The unwrapping happens at a few central
//! points, each on its failure path, so plain values pay nothing:
//!
//! * attributes: `builtins::native_method` (a method of the base, bound to
//!   the base; through `super()` past the user classes, with object's
//!   `__init__`, `__new__`, `__repr__` and `__str__` method rows),
//!   `attr::by_kind`'s library methods (`super().__getitem__(k)`);
//! * method calls with an instance as `self` (`list.append(s, x)`):
//!   `methods::call`, once its receiver check fails;
//! * operators: `dispatch::binary_general` after the classes' methods
//!   ([`Vm::binary_native`]), `ops::compare_dunder` and `ops::eq_depth`
//!   ([`Vm::eq_native`]: comparisons, dict keys), `hash_depth`,
//!   `truth_host`, unary operators, `getitem`/`setitem`/`delitem` (and a
//!   dict subclass's `__missing__`: [`Vm::inst_getitem`]), `contains`;
//! * iteration (`iter_of`), `len`, `repr`/`str` (`fmt`), `format_spec`
//!   and `%`'s numeric conversions, the str methods' operands, `int_arg`,
//!   `int()`, `float()`, `abs()`, `round()`, indexes, `**` unpacking and
//!   `dict(d)`.
//!
//! Construction (`construct_class`, [`Vm::native_inst`]) makes the base as the builtin
//! constructor would from the call's arguments; a mutable base (list, dict,
//! set, bytearray) starts empty when the class has its own `__init__`,
//! which fills it through `super().__init__(...)` ([`Vm::object_init`]). A
//! class with `__new__` (`return super().__new__(cls, (x, y))`) is built
//! by calling it ([`Vm::construct_new`]; `object.__new__` is
//! [`Vm::object_new`]).

use super::{tag, T};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::call::Args;
use crate::vm::{Dunder, Vm, R};
use p14p_protocol::errmsg::ErrMsg;

/// Whether an instance of a class whose nearest builtin ancestor is `t`
/// carries a native value of `t` (other builtin ancestors, as `object`,
/// give plain instances).
pub(crate) fn native_kind(t: T) -> bool {
    matches!(
        t,
        T::int
            | T::float
            | T::str
            | T::bytes
            | T::bytearray
            | T::tuple
            | T::list
            | T::dict
            | T::set
            | T::frozenset
    )
}

/// Builtin types whose `__init__` fills the value (the others are whole
/// once made).
fn mutable(t: T) -> bool {
    matches!(t, T::list | T::dict | T::set | T::bytearray)
}

impl Vm<'_> {
    /// The native base of `v` if it is an instance of a class deriving
    /// from a builtin type. Out of line: it is asked on failure paths only.
    #[inline(never)]
    pub(crate) fn native_base(&self, v: Value) -> Option<Value> {
        if !self.is(v, tag::INST) || self.heap.size(v.word()) <= 3 {
            return None;
        }
        Some(self.heap.v(v.word() + 3)).filter(|b| !b.is_null())
    }

    /// `v`'s native base, or `v` itself.
    pub(crate) fn native_of(&self, v: Value) -> Value {
        self.native_base(v).unwrap_or(v)
    }

    /// A new instance of `cls`, whose nearest builtin ancestor `t` is a
    /// [`native_kind`]: its base made by `t`'s constructor from the call's
    /// arguments `a`, or empty when `t` is mutable and `init_fills` (the
    /// class has its own `__init__`, or this is `__new__`: CPython's
    /// `list.__new__` ignores its arguments, `list.__init__` takes them).
    pub(crate) fn native_inst(
        &mut self,
        host: &mut Hx<'_>,
        cls: Value,
        t: T,
        a: &Args,
        init_fills: bool,
    ) -> R<Value> {
        let args = if mutable(t) && init_fills {
            Args {
                n: 0,
                kw: Value::NULL,
                ..*a
            }
        } else {
            *a
        };
        let b = crate::builtins::construct(self, host, t, &args)?;
        let m = self.root(b);
        let r = self.inst_new(cls, b);
        self.unroot(m);
        r
    }

    /// Class `cls`'s own `__init__` (a user method), if it has one.
    pub(crate) fn own_init(&mut self, cls: Value) -> R<Option<Value>> {
        let name = self.dunder(Dunder::Init)?;
        Ok(self.class_lookup(cls, name))
    }

    /// `cls(*a)` for a class with `__new__` ([`super::class::CF_NEW`]):
    /// `__new__(cls, *a)`, then `__init__(obj, *a)` when what it made is
    /// an instance of `cls` (CPython's `type.__call__`).
    pub(crate) fn construct_new(&mut self, host: &mut Hx<'_>, cls: Value, a: &Args) -> R<Value> {
        // A name made now (not interned: only such classes ask), looked up
        // through the cache like any (the next collection empties it).
        let name = self.str_from_bytes(b"__new__")?;
        let new = match self.class_lookup(cls, name) {
            // `@staticmethod def __new__`: the function.
            Some(f) if self.is(f, tag::WRAP) => self.wrap_parts(f).1,
            Some(f) => f,
            None => return self.raise(T::TypeError, ErrMsg::NotCallable),
        };
        let obj = self.call_with_first(host, new, cls, a)?;
        if !self.is_subclass(self.class_of(obj), cls) {
            return Ok(obj);
        }
        let m = self.root(obj);
        let r = match self.own_init(cls) {
            Ok(Some(init)) => self.call_with_first(host, init, obj, a).map(|_| obj),
            Ok(None) => Ok(obj),
            Err(e) => Err(e),
        };
        self.unroot(m);
        r
    }

    /// `object.__new__(cls, *args)` (and `tuple.__new__`, `str.__new__`,
    /// …: one method, as `super().__new__` reaches it from any class): an
    /// instance of `cls` with its native base made from `args`, or a
    /// builtin type's value (`tuple.__new__(tuple, x)`).
    pub(crate) fn object_new(&mut self, host: &mut Hx<'_>, a: &Args) -> R<Value> {
        let cls = self.arg(a, 0);
        let rest = a.after(1);
        if cls.is_kind(kind::TYPE) {
            if let Some(t) = T::from_id(cls.payload()) {
                return crate::builtins::construct(self, host, t, &rest);
            }
        }
        if !self.is(cls, tag::CLASS) {
            return self.raise_type(ErrMsg::ArgType, cls);
        }
        match self.class_base_t(cls) {
            t if native_kind(t) => self.native_inst(host, cls, t, &rest, true),
            // (An exception class's `__new__` is not offered.)
            t if t.is_exception() => self.raise_type(ErrMsg::ArgType, cls),
            _ => self.inst_new(cls, Value::NULL),
        }
    }

    /// `object.__init__(self, *args)`, reached by `super().__init__(...)`
    /// or `list.__init__(self, ...)`: fills a mutable native base from
    /// `args` (a dict is updated, as CPython's `dict.__init__`; a list,
    /// set or bytearray gets a new value, as their `__init__` clears it
    /// first); nothing for any other object.
    pub(crate) fn object_init(&mut self, host: &mut Hx<'_>, a: &Args) -> R<Value> {
        let this = self.arg(a, 0);
        let Some(b) = self.native_base(this) else {
            return Ok(Value::NONE);
        };
        let t = self.class_base_t(self.class_of(this));
        if self.is(b, tag::DICT) {
            self.dict_update_args(host, b, a, 1)?;
        } else if mutable(t) {
            let v = crate::builtins::construct(self, host, t, &a.after(1))?;
            self.heap.setv(this.word() + 3, v);
        }
        Ok(Value::NONE)
    }

    /// `c[k]` for an instance whose class has no `__getitem__`: its native
    /// base's item; a dict subclass's `__missing__(k)` answers a missing
    /// key, as CPython's `dict.__getitem__`.
    #[inline(never)]
    pub(crate) fn inst_getitem(&mut self, host: &mut Hx<'_>, c: Value, k: Value) -> R<Value> {
        let Some(b) = self.native_base(c).filter(|b| self.is(*b, tag::DICT)) else {
            return self.getitem(c, k);
        };
        if let Some(v) = self.dict_get(b, k)? {
            return Ok(v);
        }
        let m = self.root(k);
        let name = self.str_from_bytes(b"__missing__");
        self.unroot(m);
        let cls = self.class_of(c);
        match self.class_lookup(cls, name?) {
            Some(f) if self.is(f, tag::FUNC) => self.call_nested(host, f, &[c, k]),
            _ => self.raise_key(k),
        }
    }

    /// `a == b` without Python code, with an instance on either side
    /// (`a` is not `b`): different instances are unequal, but for their
    /// native bases (a str subclass's instance as a dict key).
    #[inline(never)]
    pub(crate) fn eq_native(&self, a: Value, b: Value, depth: usize) -> bool {
        let (x, y) = (self.native_of(a), self.native_of(b));
        (x != a || y != b) && self.eq_depth(x, y, depth)
    }

    /// `a op b` once the classes' own methods declined, with an instance
    /// on either side: the operator on their native bases (None when
    /// neither has one). An
    /// in-place operator that changed a mutable base (`s += [x]`) leaves
    /// the instance as the result.
    #[inline(never)]
    pub(crate) fn binary_native(
        &mut self,
        host: &mut Hx<'_>,
        arg: u8,
        a: Value,
        b: Value,
    ) -> R<Option<Value>> {
        use p14p_protocol::opcode::BinOp;
        let (x, mut y) = (self.native_of(a), self.native_of(b));
        // `str % x` formats x itself (`__str__` and all), but a tuple
        // subclass's instance as its items.
        if arg & !BinOp::INPLACE == BinOp::Mod as u8 && self.is_str(a) && !self.is(y, tag::TUPLE) {
            y = b;
        }
        if x == a && y == b {
            return Ok(None);
        }
        let r = self.binary_general(host, arg, x, y)?;
        let kept = arg & BinOp::INPLACE != 0
            && r == x
            && x != a
            && (self.is(r, tag::LIST) || self.is(r, tag::SET) || self.is_bytearray(r));
        Ok(Some(if kept { a } else { r }))
    }
}
