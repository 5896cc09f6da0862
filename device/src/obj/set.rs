//! `set`: a dict without values. A `SET` block has the `DICT` layout
//! (see [`super::dict`]) and every value word is `None`, so lookup,
//! insertion, deletion and ordered iteration are the dict's.

use super::{tag, T};
use crate::builtins::methods::m;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

/// True for the set methods that change the set (a frozenset has none).
pub(crate) fn set_mutates(id: u32) -> bool {
    matches!(
        id,
        m::SET_ADD
            | m::SET_REMOVE
            | m::SET_DISCARD
            | m::SET_POP
            | m::SET_CLEAR
            | m::SET_UPDATE
            | m::SET_DIFFERENCE_UPDATE
            | m::SET_INTERSECTION_UPDATE
            | m::SET_SYMMETRIC_DIFFERENCE_UPDATE
    )
}

impl Vm<'_> {
    /// An empty set.
    pub(crate) fn set_new(&mut self) -> R<Value> {
        let d = self.dict_new(0)?;
        // Same layout: retag the block.
        let w = d.word();
        let size = self.heap.size(w);
        self.heap.set(w, ((size as u32) << 8) | tag::SET);
        Ok(d)
    }

    /// `s.add(x)`.
    pub(crate) fn set_add(&mut self, s: Value, x: Value) -> R<()> {
        self.dict_set(s, x, Value::NONE)
    }

    /// True for sets and frozensets.
    #[inline]
    pub(crate) fn is_anyset(&self, v: Value) -> bool {
        self.is(v, tag::SET) || self.is(v, tag::FROZENSET)
    }

    /// Freezes set `s` in place (the `frozenset(…)` constructor's result).
    pub(crate) fn set_freeze(&mut self, s: Value) {
        let w = s.word();
        let size = self.heap.size(w);
        self.heap.set(w, ((size as u32) << 8) | tag::FROZENSET);
    }

    /// Adds every item of iterable `v` to set `s` (rooted by the caller).
    pub(crate) fn set_update(&mut self, host: &mut Hx<'_>, s: Value, v: Value) -> R<()> {
        if self.is_anyset(v) || self.is(v, tag::DICT) {
            let mut i = 0;
            while i < self.dict_used(v) {
                if let Some((k, _)) = self.dict_entry(v, i) {
                    self.set_add(s, k)?;
                }
                i += 1;
            }
            return Ok(());
        }
        let it = self.iter_of(host, v)?;
        let m = self.root(it);
        let r = (|| {
            while let Some(x) = self.iter_next(host, it)? {
                self.set_add(s, x)?;
            }
            Ok(())
        })();
        self.unroot(m);
        r
    }

    /// A new set with the items of iterable `v`.
    pub(crate) fn set_from(&mut self, host: &mut Hx<'_>, v: Value) -> R<Value> {
        let s = self.set_new()?;
        let m = self.root(s);
        let r = self.set_update(host, s, v);
        self.unroot(m);
        r.map(|_| s)
    }

    /// True if `x` is in set (or dict) `s`.
    pub(crate) fn set_has(&mut self, s: Value, x: Value) -> R<bool> {
        Ok(self.dict_get(s, x)?.is_some())
    }

    /// Set algebra: `op` is `|`, `&`, `-` or `^`; `b` any iterable (a set
    /// for the operators).
    pub(crate) fn set_op(&mut self, host: &mut Hx<'_>, op: u8, a: Value, b: Value) -> R<Value> {
        let other = if self.is_anyset(b) {
            b
        } else {
            self.set_from(host, b)?
        };
        let m = self.root(other);
        let r = (|| {
            let out = self.set_new()?;
            self.root(out);
            let mut i = 0;
            while i < self.dict_used(a) {
                if let Some((k, _)) = self.dict_entry(a, i) {
                    let in_b = self.set_has(other, k)?;
                    let keep = match op {
                        b'|' => true,
                        b'&' => in_b,
                        _ => !in_b,
                    };
                    if keep {
                        self.set_add(out, k)?;
                    }
                }
                i += 1;
            }
            if op == b'|' || op == b'^' {
                let mut i = 0;
                while i < self.dict_used(other) {
                    if let Some((k, _)) = self.dict_entry(other, i) {
                        if op == b'|' || !self.set_has(a, k)? {
                            self.set_add(out, k)?;
                        }
                    }
                    i += 1;
                }
            }
            // The result has the left operand's type, as in CPython.
            if self.is(a, tag::FROZENSET) {
                self.set_freeze(out);
            }
            Ok(out)
        })();
        self.unroot(m);
        r
    }

    /// `a <= b` for sets.
    pub(crate) fn set_subset(&mut self, a: Value, b: Value) -> R<bool> {
        let mut i = 0;
        while i < self.dict_used(a) {
            if let Some((k, _)) = self.dict_entry(a, i) {
                if !self.set_has(b, k)? {
                    return Ok(false);
                }
            }
            i += 1;
        }
        Ok(true)
    }

    /// Calls set method `id` on `self` (argument 0, a set, or a frozenset
    /// for the methods that do not mutate: checked by `methods::call`,
    /// with the arity).
    #[inline(never)]
    pub(crate) fn set_method(&mut self, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
        let s = self.arg(a, 0);
        let x = self.arg(a, 1);
        match id {
            m::SET_ADD => self.set_add(s, x)?,
            m::SET_REMOVE | m::SET_DISCARD => {
                if self.dict_del(s, x)?.is_none() && id == m::SET_REMOVE {
                    return self.raise_key(x);
                }
            }
            m::SET_POP => {
                return match self.dict_pop_last(s) {
                    Some((k, _)) => Ok(k),
                    None => self.raise(T::KeyError, ErrMsg::SetPopEmpty),
                }
            }
            m::SET_CLEAR => self.dict_clear(s),
            m::SET_COPY => return self.set_from(host, s),
            m::SET_UPDATE => {
                for i in 1..a.n {
                    self.set_update(host, s, self.arg(a, i))?;
                }
            }
            m::SET_ISSUBSET | m::SET_ISSUPERSET | m::SET_ISDISJOINT => {
                let other = if self.is_anyset(x) {
                    x
                } else {
                    self.set_from(host, x)?
                };
                let mk = self.root(other);
                let r = match id {
                    m::SET_ISSUBSET => self.set_subset(s, other),
                    m::SET_ISSUPERSET => self.set_subset(other, s),
                    _ => self
                        .set_op(host, b'&', s, other)
                        .map(|i| self.dict_len(i) == 0),
                };
                self.unroot(mk);
                return r.map(Value::bool);
            }
            // union, intersection, difference, symmetric_difference: the
            // operator over every argument in turn (a copy for none). The
            // `_update` forms then put the result in `s`.
            _ => {
                let (op, update) = match id {
                    m::SET_UNION => (b'|', false),
                    m::SET_INTERSECTION => (b'&', false),
                    m::SET_DIFFERENCE => (b'-', false),
                    m::SET_SYMMETRIC_DIFFERENCE => (b'^', false),
                    m::SET_INTERSECTION_UPDATE => (b'&', true),
                    m::SET_DIFFERENCE_UPDATE => (b'-', true),
                    _ => (b'^', true),
                };
                if a.n == 1 {
                    return if update {
                        Ok(Value::NONE)
                    } else {
                        self.set_from(host, s)
                    };
                }
                let mut acc = s;
                let mark = self.nroots;
                for i in 1..a.n {
                    acc = match self.set_op(host, op, acc, self.arg(a, i)) {
                        Ok(r) => r,
                        Err(e) => {
                            self.unroot(mark);
                            return Err(e);
                        }
                    };
                    self.root(acc);
                }
                if update {
                    self.dict_clear(s);
                    let r = self.set_update(host, s, acc);
                    self.unroot(mark);
                    return r.map(|_| Value::NONE);
                }
                self.unroot(mark);
                return Ok(acc);
            }
        }
        Ok(Value::NONE)
    }

    /// `set(…)` and `frozenset(…)` (type `t`; the arity checked by the
    /// caller).
    pub(crate) fn set_construct(&mut self, host: &mut Hx<'_>, t: T, a: &Args) -> R<Value> {
        let s = if a.n == 0 {
            self.set_new()?
        } else {
            self.set_from(host, self.arg(a, 0))?
        };
        if t == T::frozenset {
            self.set_freeze(s);
        }
        Ok(s)
    }
}
