//! `set`: a dict without values. A `SET` block has the `DICT` layout
//! (see [`super::dict`]) and every value word is `None`, so lookup,
//! insertion, deletion and ordered iteration are the dict's.

use super::tag;
use crate::heap::Value;
use crate::machine::Host;
use crate::vm::{Vm, R};

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
    pub(crate) fn set_update(&mut self, host: &mut dyn Host, s: Value, v: Value) -> R<()> {
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
    pub(crate) fn set_from(&mut self, host: &mut dyn Host, v: Value) -> R<Value> {
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
    pub(crate) fn set_op(&mut self, host: &mut dyn Host, op: u8, a: Value, b: Value) -> R<Value> {
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
}
