//! User classes and their instances (minimal: single and multiple
//! inheritance with a depth-first method resolution order, `__init__`,
//! attributes, `super()`).
//!
//! ```text
//! CLASS  [header, base type, name, bases, dict]   base type: the nearest builtin
//!                                                 ancestor (a `T` id; exceptions!)
//! INST   [header, class, dict]
//! SUPER  [header, class, object]
//! WRAP   [header, kind, function, setter]       kind 0 staticmethod, 1 classmethod,
//!                                                2 property (getter, setter or NULL)
//! ```
//!
//! Instances of classes that derive from a builtin exception are `EXC`
//! blocks whose class word holds the user class, so raising, matching and
//! reporting them works like for builtin exceptions.

use super::{tag, T};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::vm::{Vm, R};

/// CLASS fields.
const C_BASE_T: usize = 1;
const C_NAME: usize = 2;
const C_BASES: usize = 3;
const C_DICT: usize = 4;
/// Depth limit when walking base classes.
const MAX_BASES_DEPTH: usize = 32;

impl Vm<'_> {
    /// A new class.
    pub(crate) fn class_new(&mut self, name: Value, bases: Value, dict: Value) -> R<Value> {
        let mut base_t = T::object;
        if let Some((b, n)) = self.seq_items(bases) {
            for i in 0..n {
                let base = self.heap.v(b + i);
                let t = if base.is_kind(kind::TYPE) {
                    T::from_id(base.payload()).unwrap_or(T::object)
                } else if self.is(base, tag::CLASS) {
                    self.class_base_t(base)
                } else {
                    T::object
                };
                if t != T::object {
                    base_t = t;
                    break;
                }
            }
        }
        let m = self.root(name);
        self.root(bases);
        self.root(dict);
        let w = self.alloc(tag::CLASS, 5);
        self.unroot(m);
        let w = w?;
        self.heap.set(w + C_BASE_T, base_t as u32);
        self.heap.setv(w + C_NAME, name);
        self.heap.setv(w + C_BASES, bases);
        self.heap.setv(w + C_DICT, dict);
        Ok(Value::obj(w))
    }

    /// The nearest builtin ancestor of class `c`.
    pub(crate) fn class_base_t(&self, c: Value) -> T {
        T::from_id(self.heap.w(c.word() + C_BASE_T)).unwrap_or(T::object)
    }

    /// The name (a str) of class `c`.
    pub(crate) fn class_name(&self, c: Value) -> Value {
        self.heap.v(c.word() + C_NAME)
    }

    /// The namespace dict of class `c`.
    pub(crate) fn class_dict(&self, c: Value) -> Value {
        self.heap.v(c.word() + C_DICT)
    }

    /// Looks `name` up in `c` and its bases (depth first).
    pub(crate) fn class_lookup(&self, c: Value, name: Value) -> Option<Value> {
        self.class_lookup_depth(c, name, 0)
    }

    fn class_lookup_depth(&self, c: Value, name: Value, depth: usize) -> Option<Value> {
        if !self.is(c, tag::CLASS) || depth > MAX_BASES_DEPTH {
            return None;
        }
        let h = self.str_hash(name);
        if let Some(v) = self.dict_get_h(self.class_dict(c), name, h) {
            return Some(v);
        }
        let (b, n) = self.seq_items(self.heap.v(c.word() + C_BASES))?;
        (0..n).find_map(|i| self.class_lookup_depth(self.heap.v(b + i), name, depth + 1))
    }

    /// Looks `name` up in the bases of `c` only (for `super()`).
    pub(crate) fn class_lookup_bases(&self, c: Value, name: Value) -> Option<Value> {
        let (b, n) = self.seq_items(self.heap.v(c.word() + C_BASES))?;
        (0..n).find_map(|i| self.class_lookup_depth(self.heap.v(b + i), name, 1))
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

    /// `isinstance(v, cls)`.
    pub(crate) fn is_instance(&self, v: Value, cls: Value) -> bool {
        if cls == T::function.value() {
            return self.is(v, tag::FUNC);
        }
        self.is_subclass(self.class_of(v), cls)
    }

    /// A new instance of (non-exception) class `c` with an empty dict.
    pub(crate) fn inst_new(&mut self, c: Value) -> R<Value> {
        let d = self.dict_new(0)?;
        let m = self.root(d);
        self.root(c);
        let w = self.alloc(tag::INST, 3);
        self.unroot(m);
        let w = w?;
        self.heap.setv(w + 1, c);
        self.heap.setv(w + 2, d);
        Ok(Value::obj(w))
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
