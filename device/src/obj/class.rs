//! User classes and their instances (minimal: single and multiple
//! inheritance with a depth-first method resolution order, `__init__`,
//! attributes, `super()`).
//!
//! ```text
//! CLASS  [header, base type, name, bases, dict]   base type: the nearest builtin
//!                                                 ancestor (a `T` id) and the class
//!                                                 flags (`CF_PROPS`, `CF_NEW`)
//! INST   [header, class, dict]                    an instance of a plain class
//! INST   [header, class, dict, base]              of a class deriving from a builtin
//!                                                 type (list, str, ...): `base` is the
//!                                                 native value ([`super::subclass`])
//! SUPER  [header, class, object]
//! WRAP   [header, kind, function, setter]       kind 0 staticmethod, 1 classmethod,
//!                                                2 property (getter, setter or NULL)
//! ```
//!
//! Instances of classes that derive from a builtin exception are `EXC`
//! blocks whose class word holds the user class, so raising, matching and
//! reporting them works like for builtin exceptions. Those of classes that
//! derive from another builtin type (list, dict, str, int, tuple, …) are
//! `INST` blocks one word longer, holding the native value the builtin
//! operations work on ([`super::subclass`]); a plain class's instance
//! has no such word.

use super::{tag, T};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::vm::{Vm, R};

/// CLASS fields. `C_BASE_T` is raw: the type id in bits 0..16, class flags
/// ([`CF_PROPS`]) above.
const C_BASE_T: usize = 1;
/// Class flag: a property, or an instance of a class with `__get__` or
/// `__set__` (a user descriptor), may be found along the MRO. Without it,
/// an instance's own dict answers an attribute read or write before the
/// class is looked at. Set when the class is made if its namespace holds
/// one or a base class has the flag; one added to a class later sets
/// `Caches::late_props` instead (which disables the shortcut for every
/// class).
pub const CF_PROPS: u32 = 1 << 16;
/// Class flag: the class or a base defines `__new__`, which construction
/// then calls (its name is made only for such classes: no interned name).
pub const CF_NEW: u32 = 1 << 17;
const TYPE_ID_MASK: u32 = 0xFFFF;
const C_NAME: usize = 2;
const C_BASES: usize = 3;
const C_DICT: usize = 4;
/// Depth limit when walking base classes.
const MAX_BASES_DEPTH: usize = 32;
/// Longest method resolution order.
pub const MAX_MRO: usize = 16;

impl Vm<'_> {
    /// A new class.
    pub(crate) fn class_new(&mut self, name: Value, bases: Value, dict: Value) -> R<Value> {
        let mut base_t = T::object;
        let mut flags = 0;
        if let Some((b, n)) = self.seq_items(bases) {
            for i in 0..n {
                let base = self.heap.v(b + i);
                if self.is(base, tag::CLASS) {
                    flags |= self.heap.w(base.word() + C_BASE_T) & (CF_PROPS | CF_NEW);
                }
                let t = if base.is_kind(kind::TYPE) {
                    T::from_id(base.payload()).unwrap_or(T::object)
                } else if self.is(base, tag::CLASS) {
                    self.class_base_t(base)
                } else {
                    T::object
                };
                if t != T::object && base_t == T::object {
                    base_t = t;
                }
            }
        }
        if self.is(dict, tag::DICT) {
            for i in 0..self.dict_used(dict) {
                if let Some((k, v)) = self.dict_entry(dict, i) {
                    if self.is_descriptor(v)? {
                        flags |= CF_PROPS;
                    }
                    if self.is_str(k) && self.str_bytes(k) == b"__new__" {
                        flags |= CF_NEW;
                    }
                }
            }
        }
        let m = self.root(name);
        self.root(bases);
        self.root(dict);
        let w = self.alloc(tag::CLASS, 5);
        self.unroot(m);
        let w = w?;
        self.heap.set(w + C_BASE_T, base_t as u32 | flags);
        self.heap.setv(w + C_NAME, name);
        self.heap.setv(w + C_BASES, bases);
        self.heap.setv(w + C_DICT, dict);
        Ok(Value::obj(w))
    }

    /// The nearest builtin ancestor of class `c`.
    pub(crate) fn class_base_t(&self, c: Value) -> T {
        T::from_id(self.heap.w(c.word() + C_BASE_T) & TYPE_ID_MASK).unwrap_or(T::object)
    }

    /// The class flags of class `c` ([`CF_PROPS`], [`CF_NEW`]).
    pub(crate) fn class_flags(&self, c: Value) -> u32 {
        self.heap.w(c.word() + C_BASE_T) & !TYPE_ID_MASK
    }

    /// Is `v` a property (a data descriptor)?
    pub(crate) fn is_property(&self, v: Value) -> bool {
        self.is(v, tag::WRAP) && self.heap.w(v.word() + 1) == 2
    }

    /// Is `v` a property or a user descriptor (its class has `__get__` or
    /// `__set__`), which a class attribute's read or write must ask?
    pub(crate) fn is_descriptor(&mut self, v: Value) -> R<bool> {
        Ok(self.is_property(v)
            || self.descriptor_method(v, b"__get__")?.is_some()
            || self.descriptor_method(v, b"__set__")?.is_some())
    }

    /// `__get__` or `__set__` of `v`'s class, if `v` is an instance: the
    /// names made when asked (a class attribute holding an instance is
    /// rare), not kept with the interned special names.
    pub(crate) fn descriptor_method(&mut self, v: Value, name: &[u8]) -> R<Option<Value>> {
        if !self.is(v, tag::INST) {
            return Ok(None);
        }
        let c = self.class_of(v);
        let n = self.str_from_bytes(name)?;
        Ok(self.class_lookup(c, n).filter(|f| self.is(*f, tag::FUNC)))
    }

    /// The user descriptor `d`'s `__get__(d, obj, cls)` when `d` has one:
    /// `obj` None for a read through the class. A data descriptor (with
    /// `__set__` too) answers before the instance's dict (`data`).
    pub(crate) fn descriptor_get(
        &mut self,
        host: &mut crate::machine::Hx<'_>,
        d: Value,
        obj: Value,
        cls: Value,
        data: bool,
    ) -> R<Option<Value>> {
        let Some(get) = self.descriptor_method(d, b"__get__")? else {
            return Ok(None);
        };
        if data && self.descriptor_method(d, b"__set__")?.is_none() {
            return Ok(None);
        }
        self.call_nested(host, get, &[d, obj, cls]).map(Some)
    }

    /// True when no property can be found along the MRO of class `c`, so
    /// an instance's dict answers for attributes before the class.
    #[inline]
    pub(crate) fn class_plain(&self, c: Value) -> bool {
        !self.cache.late_props && self.heap.w(c.word() + C_BASE_T) & CF_PROPS == 0
    }

    /// `obj.name` from the instance dict when that is the answer: `obj` an
    /// instance of a class without properties ([`Vm::class_plain`]) whose
    /// dict has `name` (a str). None: take the general path.
    #[inline(always)]
    pub(crate) fn inst_attr_plain(&self, obj: Value, name: Value) -> Option<Value> {
        let d = self.inst_dict_plain(obj)?;
        self.dict_get_fast(d, name, self.str_hash(name))
    }

    /// The dict of `obj` if it is an instance of a class without
    /// properties ([`Vm::class_plain`]): the dict alone then holds its
    /// attributes' values (before any class attribute).
    #[inline(always)]
    pub(crate) fn inst_dict_plain(&self, obj: Value) -> Option<Value> {
        if !self.is(obj, tag::INST) {
            return None;
        }
        // INST is [header, class, dict]; the class is a CLASS (`inst_new`).
        let &[c, d] = self.heap.words::<2>(obj.word() + 1)?;
        self.class_plain(Value(c)).then_some(Value(d))
    }

    /// The name (a str) of class `c`.
    pub(crate) fn class_name(&self, c: Value) -> Value {
        self.heap.v(c.word() + C_NAME)
    }

    /// The namespace dict of class `c`.
    pub(crate) fn class_dict(&self, c: Value) -> Value {
        self.heap.v(c.word() + C_DICT)
    }

    /// `c.__mro__` for a class or a builtin type: its user classes in
    /// [`Vm::mro`]'s order, then the builtin types from the nearest builtin
    /// ancestor up to `object`.
    pub(crate) fn mro_tuple(&mut self, c: Value) -> R<Value> {
        let mut users = [Value::NULL; MAX_MRO];
        let (n, mut t) = if self.is(c, tag::CLASS) {
            (self.mro(c, &mut users), self.class_base_t(c))
        } else {
            (0, T::from_id(c.payload()).unwrap_or(T::object))
        };
        let mut chain = 1;
        let mut u = t;
        while u != T::object {
            u = u.parent();
            chain += 1;
        }
        let tup = self.tuple_new(n + chain)?;
        let b = tup.word() + 2;
        for (i, &k) in users.iter().take(n).enumerate() {
            self.heap.setv(b + i, k);
        }
        for i in n..n + chain {
            self.heap.setv(b + i, t.value());
            t = t.parent();
        }
        Ok(tup)
    }

    /// `c.__bases__`: a class's bases as written (`(object,)` for none), a
    /// builtin type's parent (none for `object`).
    pub(crate) fn bases_tuple(&mut self, c: Value) -> R<Value> {
        if self.is(c, tag::CLASS) {
            let bases = self.heap.v(c.word() + C_BASES);
            if self.seq_items(bases).is_some_and(|(_, n)| n > 0) {
                return Ok(bases);
            }
        }
        let t = if self.is(c, tag::CLASS) {
            T::object
        } else {
            match T::from_id(c.payload()) {
                Some(T::object) | None => return self.tuple_new(0),
                Some(t) => t.parent(),
            }
        };
        let tup = self.tuple_new(1)?;
        self.heap.setv(tup.word() + 2, t.value());
        Ok(tup)
    }

    /// The method resolution order of `c` into `out` (user classes only):
    /// depth-first, left to right, keeping the *last* occurrence of a class
    /// seen twice (Python 2.2's rule, equal to C3 for the usual diamonds).
    /// Returns the count; hierarchies are cut at [`MAX_MRO`] entries.
    pub(crate) fn mro(&self, c: Value, out: &mut [Value; MAX_MRO]) -> usize {
        let mut all = [Value::NULL; 2 * MAX_MRO];
        let mut n = 0;
        // Explicit DFS stack of (class, next base index).
        let mut stack = [(Value::NULL, 0usize); MAX_BASES_DEPTH];
        let mut sp = 0;
        if self.is(c, tag::CLASS) {
            stack[0] = (c, 0);
            sp = 1;
            all[0] = c;
            n = 1;
        }
        while sp > 0 {
            let (k, i) = stack[sp - 1];
            let (b, nb) = self
                .seq_items(self.heap.v(k.word() + C_BASES))
                .unwrap_or((0, 0));
            if i >= nb {
                sp -= 1;
                continue;
            }
            stack[sp - 1].1 += 1;
            let base = self.heap.v(b + i);
            if self.is(base, tag::CLASS) && n < all.len() && sp < stack.len() {
                all[n] = base;
                n += 1;
                stack[sp] = (base, 0);
                sp += 1;
            }
        }
        let mut k = 0;
        for i in 0..n {
            if (i + 1..n).all(|j| all[j] != all[i]) && k < MAX_MRO {
                out[k] = all[i];
                k += 1;
            }
        }
        k
    }

    /// Looks `name` (a str) up along the MRO of `c`, through the class
    /// lookup cache ([`crate::vm::cache`]).
    /// The cache probe is inlined, the walk of a miss is not: the small
    /// hit path then inlines into every attribute access.
    #[inline]
    pub(crate) fn class_lookup(&mut self, c: Value, name: Value) -> Option<Value> {
        match self.cache.attr(c, name) {
            Some(r) => r,
            None => self.class_lookup_miss(c, name),
        }
    }

    /// [`Vm::class_lookup`] past the cache: walks the MRO and remembers
    /// the answer.
    #[inline(never)]
    fn class_lookup_miss(&mut self, c: Value, name: Value) -> Option<Value> {
        let r = self.class_lookup_uncached(c, name);
        if self.is(c, tag::CLASS) {
            self.cache.set_attr(c, name, r);
        }
        r
    }

    /// [`Vm::class_lookup`] without the cache.
    pub(crate) fn class_lookup_uncached(&self, c: Value, name: Value) -> Option<Value> {
        let h = self.str_hash(name);
        // Single inheritance (the common case, and the hot path of every
        // attribute access): the MRO is the chain of bases, walked without
        // building it. At the first class with several bases, fall back to
        // the full MRO; the chain walked so far is its prefix (a class
        // cannot be an ancestor of its own ancestors), so nothing changes.
        let mut k = c;
        loop {
            if !self.is(k, tag::CLASS) {
                return None;
            }
            if let Some(v) = self.dict_get_h(self.class_dict(k), name, h) {
                return Some(v);
            }
            match self.seq_items(self.heap.v(k.word() + C_BASES)) {
                Some((b, 1)) => k = self.heap.v(b),
                Some((_, 0)) | None => return None,
                Some(_) => break,
            }
        }
        let mut mro = [Value::NULL; MAX_MRO];
        let n = self.mro(c, &mut mro);
        mro[..n]
            .iter()
            .find_map(|&k| self.dict_get_h(self.class_dict(k), name, h))
    }

    /// `super(c, obj).name`: looks `name` up in the MRO of `obj`'s class
    /// after `c`.
    pub(crate) fn super_lookup(&self, c: Value, obj: Value, name: Value) -> Option<Value> {
        let start = if self.is(obj, tag::CLASS) {
            obj
        } else {
            self.class_of(obj)
        };
        let mut mro = [Value::NULL; MAX_MRO];
        let n = self.mro(start, &mut mro);
        let at = mro[..n].iter().position(|&k| k == c)?;
        let h = self.str_hash(name);
        mro[at + 1..n]
            .iter()
            .find_map(|&k| self.dict_get_h(self.class_dict(k), name, h))
    }

    /// The class of `v`: a user class or a builtin type value.
    pub(crate) fn class_of(&self, v: Value) -> Value {
        if self.is(v, tag::INST) || self.is(v, tag::EXC) {
            return self
                .heap
                .v(v.word() + if self.is(v, tag::INST) { 1 } else { 2 });
        }
        self.type_of(v).value()
    }

    /// `issubclass(c, target)` for classes and builtin types.
    pub(crate) fn is_subclass(&self, c: Value, target: Value) -> bool {
        self.is_subclass_depth(c, target, 0)
    }

    fn is_subclass_depth(&self, c: Value, target: Value, depth: usize) -> bool {
        if c == target {
            return true;
        }
        if depth > MAX_BASES_DEPTH {
            return false;
        }
        if target.is_kind(kind::TYPE) {
            let Some(t) = T::from_id(target.payload()) else {
                return false;
            };
            if c.is_kind(kind::TYPE) {
                return T::from_id(c.payload()).is_some_and(|ct| ct.is_sub(t));
            }
            if self.is(c, tag::CLASS) {
                return t == T::object || self.class_base_t(c).is_sub(t);
            }
            return false;
        }
        if !self.is(c, tag::CLASS) {
            return false;
        }
        let Some((b, n)) = self.seq_items(self.heap.v(c.word() + C_BASES)) else {
            return false;
        };
        (0..n).any(|i| self.is_subclass_depth(self.heap.v(b + i), target, depth + 1))
    }

    /// True if `v` is a class (builtin or user), as `isinstance` wants.
    pub(crate) fn is_class(&self, v: Value) -> bool {
        v.is_kind(kind::TYPE) || self.is(v, tag::CLASS)
    }

    /// `isinstance(v, cls)`.
    pub(crate) fn is_instance(&self, v: Value, cls: Value) -> bool {
        if cls == T::function.value() {
            return self.is(v, tag::FUNC);
        }
        self.is_subclass(self.class_of(v), cls)
    }

    /// A new instance of (non-exception) class `c` with an empty dict;
    /// `base` its native base value, or NULL for a plain class (whose
    /// instance then has no word for one). `base` must be reachable.
    #[inline(never)]
    pub(crate) fn inst_new(&mut self, c: Value, base: Value) -> R<Value> {
        self.inst_alloc(c, base)
    }

    /// [`Vm::inst_new`], inlined where a plain class is called (a hot path).
    #[inline(always)]
    pub(crate) fn inst_alloc(&mut self, c: Value, base: Value) -> R<Value> {
        let d = self.dict_new(0)?;
        let m = self.root(d);
        self.root(c);
        let w = self.alloc(tag::INST, 3 + usize::from(!base.is_null()));
        self.unroot(m);
        let w = w?;
        self.heap.setv(w + 1, c);
        self.heap.setv(w + 2, d);
        if !base.is_null() {
            self.heap.setv(w + 3, base);
        }
        Ok(Value::obj(w))
    }

    /// The attribute dict of an instance or an exception, if it has one
    /// (an exception's is made by its first attribute store).
    pub(crate) fn attr_dict(&self, v: Value) -> Option<Value> {
        let at = if self.is(v, tag::INST) {
            2
        } else if self.is(v, tag::EXC) {
            5
        } else {
            return None;
        };
        Some(self.heap.v(v.word() + at)).filter(|d| !d.is_null())
    }

    /// The attribute dict of an instance (created on demand for exceptions).
    pub(crate) fn inst_dict(&mut self, v: Value) -> R<Value> {
        if self.is(v, tag::INST) {
            return Ok(self.heap.v(v.word() + 2));
        }
        let d = self.heap.v(v.word() + 5);
        if !d.is_null() {
            return Ok(d);
        }
        let d = self.dict_new(0)?;
        self.heap.setv(v.word() + 5, d);
        Ok(d)
    }

    /// A staticmethod (0), classmethod (1) or property (2) wrapper.
    pub(crate) fn wrap_new(&mut self, kind: u32, f: Value, setter: Value) -> R<Value> {
        let m = self.root(f);
        self.root(setter);
        let w = self.alloc(tag::WRAP, 4);
        self.unroot(m);
        let w = w?;
        self.heap.set(w + 1, kind);
        self.heap.setv(w + 2, f);
        self.heap.setv(w + 3, setter);
        Ok(Value::obj(w))
    }

    /// `(kind, function, setter)` of a wrapper.
    pub(crate) fn wrap_parts(&self, v: Value) -> (u32, Value, Value) {
        let w = v.word();
        (self.heap.w(w + 1), self.heap.v(w + 2), self.heap.v(w + 3))
    }

    /// `super(cls, obj)`.
    pub(crate) fn super_new(&mut self, c: Value, obj: Value) -> R<Value> {
        let w = self.alloc(tag::SUPER, 3)?;
        self.heap.setv(w + 1, c);
        self.heap.setv(w + 2, obj);
        Ok(Value::obj(w))
    }
}
