//! `dict`: insertion-ordered hash table with open addressing (as CPython's
//! compact dict).
//!
//! ```text
//! DICT     [header, len, used, entries, index]
//! ENTRIES  [header, (key, value, hash) × capacity]    insertion order; key NULL = deleted
//! index    RAW [header, slot × 2^k]                   0 = empty, else entry number + 1
//! ```
//!
//! Lookups probe the index linearly from `hash & mask`; a deleted entry
//! keeps its index slot (probing continues past it) until the next resize
//! compacts the entries. Used for globals, `**kwargs` and Python dicts.
//!
//! Here too: the dict's methods ([`Vm::dict_method`]; `setdefault` is
//! Python, in `lib/dict.py`) and its construction from arguments.

use super::exc::Part;
use super::{tag, T};
use crate::builtins::methods::m;
use crate::heap::Value;
use crate::machine::Hx;
use crate::vm::call::Args;
use crate::vm::fmt::{Out, Up};
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;

const LEN: usize = 1;
// `dict_method` makes the view kind from the method id.
const _: () = assert!(m::DICT_VALUES == m::DICT_KEYS + 1 && m::DICT_ITEMS == m::DICT_KEYS + 2);
// ENTRIES and INDEX are read as one run by lookups.
const _: () = assert!(INDEX == ENTRIES + 1);
const USED: usize = 2;
const ENTRIES: usize = 3;
const INDEX: usize = 4;

impl Vm<'_> {
    /// An empty dict with room for `cap` entries.
    pub(crate) fn dict_new(&mut self, cap: usize) -> R<Value> {
        let w = self.alloc(tag::DICT, 5)?;
        let d = Value::obj(w);
        if cap > 0 {
            let m = self.root(d);
            let r = self.dict_resize(d, cap, cap);
            self.unroot(m);
            r?;
        }
        Ok(d)
    }

    /// Number of entries.
    #[inline]
    pub(crate) fn dict_len(&self, d: Value) -> usize {
        self.heap.w(d.word() + LEN) as usize
    }

    /// Entry slots used (live and deleted), for iteration.
    #[inline]
    pub(crate) fn dict_used(&self, d: Value) -> usize {
        self.heap.w(d.word() + USED) as usize
    }

    /// Entry `i` (`i < used`), or None if deleted.
    #[inline(always)]
    pub(crate) fn dict_entry(&self, d: Value, i: usize) -> Option<(Value, Value)> {
        let (k, v) = crate::heap::unpack(self.dict_entry_packed(d, i)?);
        Some((Value(k as u32), Value(v as u32)))
    }

    /// [`Vm::dict_entry`] in a register pair ([`crate::heap::pack`]; a
    /// live entry's key is never NULL).
    fn dict_entry_packed(&self, d: Value, i: usize) -> Option<core::num::NonZeroU64> {
        let e = self.heap.v(d.word() + ENTRIES);
        if e.is_null() {
            return None;
        }
        let at = e.word() + 1 + 3 * i;
        crate::heap::pack(self.heap.w(at) as usize, self.heap.w(at + 1) as usize)
    }

    /// The arena word of entry `i`'s key (`i < used`); its value is the
    /// next word.
    pub(crate) fn dict_entry_at(&self, d: Value, i: usize) -> usize {
        self.heap.v(d.word() + ENTRIES).word() + 1 + 3 * i
    }

    /// Deletes the live entry whose key is at arena word `at`: no hashing,
    /// no allocation (the collector drops library modules this way).
    pub(crate) fn dict_delete_at(&mut self, d: Value, at: usize) {
        self.heap.setv(at, Value::NULL);
        self.heap.setv(at + 1, Value::NULL);
        let len = self.dict_len(d);
        self.heap.set(d.word() + LEN, len.saturating_sub(1) as u32);
    }

    fn dict_cap(&self, d: Value) -> usize {
        let e = self.heap.v(d.word() + ENTRIES);
        if e.is_null() {
            0
        } else {
            (self.heap.size(e.word()) - 1) / 3
        }
    }

    /// Rebuilds the tables with room for `cap` entries, dropping deleted ones.
    /// `cap` is the wanted capacity; under memory pressure the table may
    /// get less, but always room for `need` entries.
    fn dict_resize(&mut self, d: Value, need: usize, cap: usize) -> R<()> {
        let need = need.max(4);
        let cap = cap.max(need);
        let entries = self.alloc_grow(tag::ENTRIES, 1 + 3 * need, 1 + 3 * cap)?;
        let cap = (self.heap.size(entries) - 1) / 3;
        let mut isize = 8;
        while isize < cap * 2 {
            isize *= 2;
        }
        let m = self.root(Value::obj(entries));
        let index = self.alloc(tag::RAW, 1 + isize);
        self.unroot(m);
        let index = index?;
        let old = self.heap.v(d.word() + ENTRIES).word();
        self.dict_rehash(d, old, entries, index, isize);
        let w = d.word();
        self.heap.setv(w + ENTRIES, Value::obj(entries));
        self.heap.setv(w + INDEX, Value::obj(index));
        Ok(())
    }

    /// Moves `d`'s live entries from block `old` to block `entries` in
    /// order (the same block for a compaction: an entry only moves down)
    /// and indexes them in `index`, `isize` empty slots (a power of two);
    /// sets the used and live counts; returns them.
    fn dict_rehash(
        &mut self,
        d: Value,
        old: usize,
        entries: usize,
        index: usize,
        isize: usize,
    ) -> usize {
        let mut n = 0;
        for i in 0..self.dict_used(d) {
            let at = old + 1 + 3 * i;
            let k = self.heap.v(at);
            if k.is_null() {
                continue;
            }
            let (v, h) = (self.heap.w(at + 1), self.heap.w(at + 2));
            let dst = entries + 1 + 3 * n;
            self.heap.setv(dst, k);
            self.heap.set(dst + 1, v);
            self.heap.set(dst + 2, h);
            // A free slot is always found: the index has more slots than
            // entries. Bounded all the same.
            let mut s = h as usize & isize.wrapping_sub(1);
            for _ in 0..isize {
                if self.heap.w(index + 1 + s) == 0 {
                    break;
                }
                s = (s + 1) & isize.wrapping_sub(1);
            }
            self.heap.set(index + 1 + s, (n + 1) as u32);
            n += 1;
        }
        self.heap.set(d.word() + USED, n as u32);
        self.heap.set(d.word() + LEN, n as u32);
        n
    }

    /// Drops the deleted entries in place: the live ones move down in
    /// order, and the index is rebuilt in its own block. No allocation.
    fn dict_compact(&mut self, d: Value) {
        let w = d.word();
        let (entries, used) = (self.heap.v(w + ENTRIES).word(), self.dict_used(d));
        let iw = self.heap.v(w + INDEX).word();
        let isize = self.heap.size(iw).saturating_sub(1);
        for s in 0..isize {
            self.heap.set(iw + 1 + s, 0);
        }
        let n = self.dict_rehash(d, entries, entries, iw, isize);
        // The moved-from tail holds nothing for the collector to keep.
        for i in n..used {
            self.heap.setv(entries + 1 + 3 * i, Value::NULL);
            self.heap.setv(entries + 2 + 3 * i, Value::NULL);
        }
    }

    /// Finds `key` (with hash `h`): `(index slot, entry number)`; or the
    /// first empty index slot.
    fn dict_find(&self, d: Value, key: Value, h: u32) -> Result<(usize, usize), usize> {
        // ENTRIES and INDEX are adjacent: one bounds check for both.
        let Some(&[entries, index]) = self.heap.words::<2>(d.word() + ENTRIES) else {
            return Err(usize::MAX);
        };
        if index == 0 {
            return Err(usize::MAX);
        }
        let iw = Value(index).word();
        // 0 only for a block that is no index (an image's mistyped value).
        let Some(n) = self.heap.size(iw).checked_sub(1) else {
            return Err(usize::MAX);
        };
        let mask = (1usize << (usize::BITS - 1 - n.leading_zeros())) - 1;
        let Some(slots) = self.heap.arena.get(iw + 1..iw + 1 + n) else {
            return Err(usize::MAX);
        };
        let entries = Value(entries).word() + 1;
        let mut s = h as usize & mask;
        // The index has a free slot (it is at least twice the entries'
        // capacity), so the probe ends.
        while let Some(&slot) = slots.get(s) {
            if slot == 0 {
                return Err(s);
            }
            let at = entries + 3 * (slot as usize - 1);
            if let Some(&[k, _, eh]) = self.heap.words::<3>(at) {
                let k = Value(k);
                if eh == h && !k.is_null() && (k == key || self.eq(k, key)) {
                    return Ok((s, slot as usize - 1));
                }
            }
            s = (s + 1) & mask;
        }
        Err(usize::MAX)
    }

    /// `d[key]`, or None when missing.
    pub(crate) fn dict_get(&mut self, d: Value, key: Value) -> R<Option<Value>> {
        let h = self.hash(key)?;
        Ok(self.dict_get_h(d, key, h))
    }

    /// Lookup with a known hash.
    #[inline]
    pub(crate) fn dict_get_h(&self, d: Value, key: Value, h: u32) -> Option<Value> {
        match self.dict_find(d, key, h) {
            Ok((_, e)) => {
                let entries = self.heap.v(d.word() + ENTRIES).word() + 1;
                Some(self.heap.v(entries + 3 * e + 1))
            }
            Err(_) => None,
        }
    }

    /// The common hit, inline: the entry named by `key`'s home slot holds
    /// the very object `key` (attribute and global names come from one
    /// name table, so the key stored and the key looked up are the same
    /// str). Any entry whose key *is* `key` is `key`'s entry (a dict holds
    /// one entry per key), so the answer needs no comparison call; None
    /// only means "not found this way".
    #[inline(always)]
    fn dict_first_probe(&self, d: Value, key: Value, h: u32) -> Option<Value> {
        let &[entries, index] = self.heap.words::<2>(d.word() + ENTRIES)?;
        if index == 0 {
            return None;
        }
        let iw = Value(index).word();
        // The index has 2^k slots (k >= 3), its block maybe one word more
        // (see `dict_resize`).
        let mask = ((self.heap.size(iw) - 1) & !1).wrapping_sub(1);
        let slot = self
            .heap
            .arena
            .get(iw + 1 + (h as usize & mask))?
            .checked_sub(1)?;
        let &[k, v] = self
            .heap
            .words::<2>(Value(entries).word() + 1 + 3 * slot as usize)?;
        (k == key.0).then_some(Value(v))
    }

    /// [`Vm::dict_get_h`] with the first-probe hit inline, for the hottest
    /// lookups (instance attributes).
    #[inline(always)]
    pub(crate) fn dict_get_fast(&self, d: Value, key: Value, h: u32) -> Option<Value> {
        match self.dict_first_probe(d, key, h) {
            Some(v) => Some(v),
            None => self.dict_get_h(d, key, h),
        }
    }

    /// The entry number of `key` (with hash `h`), if present.
    pub(crate) fn dict_entry_index(&self, d: Value, key: Value, h: u32) -> Option<usize> {
        self.dict_find(d, key, h).ok().map(|(_, e)| e)
    }

    /// The value of entry `e` (from [`Vm::dict_entry_index`]).
    pub(crate) fn dict_value_at(&self, d: Value, e: usize) -> Value {
        let entries = self.heap.v(d.word() + ENTRIES).word() + 1;
        self.heap.v(entries + 3 * e + 1)
    }

    /// The value of entry `e` if that entry is in use with the very key
    /// `key` (the same object): then it is `d[key]` (see
    /// [`crate::vm::cache`]).
    #[inline]
    pub(crate) fn dict_entry_if(&self, d: Value, e: usize, key: Value) -> Option<Value> {
        let w = d.word();
        let entries = self.heap.v(w + ENTRIES);
        if e >= self.heap.w(w + USED) as usize || entries.is_null() {
            return None;
        }
        let at = entries.word() + 1 + 3 * e;
        (self.heap.v(at) == key).then(|| self.heap.v(at + 1))
    }

    /// `d[key] = v`.
    pub(crate) fn dict_set(&mut self, d: Value, key: Value, v: Value) -> R<()> {
        let h = self.hash(key)?;
        self.dict_set_h(d, key, h, v)
    }

    /// Store with a known hash.
    pub(crate) fn dict_set_h(&mut self, d: Value, key: Value, h: u32, v: Value) -> R<()> {
        if let Ok((_, e)) = self.dict_find(d, key, h) {
            let entries = self.heap.v(d.word() + ENTRIES).word() + 1;
            self.heap.setv(entries + 3 * e + 1, v);
            return Ok(());
        }
        let used = self.dict_used(d);
        if used >= self.dict_cap(d) {
            let len = self.dict_len(d);
            if len < used {
                // Deleted entries make the room, in place: a heap too
                // fragmented for a new table (a module's globals after
                // `except E as e` deleted `e`) still takes the key.
                self.dict_compact(d);
            } else {
                let m = self.root(d);
                self.root(key);
                self.root(v);
                let r = self.dict_resize(d, len + len / 4 + 1, len * 2);
                self.unroot(m);
                r?;
            }
        }
        let Err(s) = self.dict_find(d, key, h) else {
            return Ok(());
        };
        let w = d.word();
        let used = self.dict_used(d);
        let entries = self.heap.v(w + ENTRIES).word() + 1;
        let at = entries + 3 * used;
        self.heap.setv(at, key);
        self.heap.setv(at + 1, v);
        self.heap.set(at + 2, h);
        let iw = self.heap.v(w + INDEX).word();
        self.heap.set(iw + 1 + s, (used + 1) as u32);
        self.heap.set(w + USED, (used + 1) as u32);
        let len = self.dict_len(d);
        self.heap.set(w + LEN, (len + 1) as u32);
        Ok(())
    }

    /// Removes `key`; returns its value if it was present.
    pub(crate) fn dict_del(&mut self, d: Value, key: Value) -> R<Option<Value>> {
        let h = self.hash(key)?;
        match self.dict_find(d, key, h) {
            Ok((_, e)) => {
                let at = self.dict_entry_at(d, e);
                let v = self.heap.v(at + 1);
                self.dict_delete_at(d, at);
                Ok(Some(v))
            }
            Err(_) => Ok(None),
        }
    }

    /// Removes the last entry (`popitem`).
    pub(crate) fn dict_pop_last(&mut self, d: Value) -> Option<(Value, Value)> {
        let used = self.dict_used(d);
        for i in (0..used).rev() {
            if let Some((k, v)) = self.dict_entry(d, i) {
                let w = d.word();
                let at = self.heap.v(w + ENTRIES).word() + 1 + 3 * i;
                self.heap.setv(at, Value::NULL);
                self.heap.setv(at + 1, Value::NULL);
                let len = self.dict_len(d);
                self.heap.set(w + LEN, (len - 1) as u32);
                self.heap.set(w + USED, i as u32);
                return Some((k, v));
            }
        }
        None
    }

    /// Empties dict (or set) `d`.
    pub(crate) fn dict_clear(&mut self, d: Value) {
        for i in LEN..=INDEX {
            self.heap.set(d.word() + i, 0);
        }
    }

    /// Calls dict method `id` on `self` (argument 0, a dict: checked by
    /// `methods::call`, with the arity).
    pub(crate) fn dict_method(&mut self, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
        let this = self.arg(a, 0);
        let k = self.arg(a, 1);
        // The default of `get` and `pop`: NULL if not given.
        let dflt = if a.n == 3 {
            self.arg(a, 2)
        } else {
            Value::NULL
        };
        match id {
            m::DICT_GET => Ok(match self.dict_get(this, k)? {
                Some(v) => v,
                None if dflt.is_null() => Value::NONE,
                None => dflt,
            }),
            m::DICT_KEYS | m::DICT_VALUES | m::DICT_ITEMS => {
                let w = self.alloc(tag::DICTVIEW, 3)?;
                self.heap.set(w + 1, id - m::DICT_KEYS);
                self.heap.setv(w + 2, this);
                Ok(Value::obj(w))
            }
            m::DICT_POP => match self.dict_del(this, k)? {
                Some(v) => Ok(v),
                None if !dflt.is_null() => Ok(dflt),
                None => self.raise_key(k),
            },
            m::DICT_POPITEM => match self.dict_pop_last(this) {
                Some((k, v)) => {
                    let mk = self.root(k);
                    self.root(v);
                    let t = self.tuple2(k, v);
                    self.unroot(mk);
                    t
                }
                None => self.raise(T::KeyError, ErrMsg::PopitemEmpty),
            },
            m::DICT_UPDATE => self.dict_update_args(host, this, a, 1).map(|_| Value::NONE),
            m::DICT_COPY => {
                let d = self.dict_new(self.dict_len(this))?;
                let mk = self.root(d);
                let r = self.dict_update_from(host, d, this);
                self.unroot(mk);
                r.map(|_| d)
            }
            _ => {
                self.dict_clear(this);
                Ok(Value::NONE)
            }
        }
    }

    /// `d.update(…)` and `dict(…)`: from the positional argument `a[at]`
    /// if there is one, then from the keyword arguments.
    pub(crate) fn dict_update_args(
        &mut self,
        host: &mut Hx<'_>,
        d: Value,
        a: &Args,
        at: usize,
    ) -> R<()> {
        if a.n > at {
            self.dict_update_from(host, d, self.arg(a, at))?;
        }
        for j in 0..self.nkw(a) {
            let k = self.kw_name(a, j);
            let v = self.arg(a, a.n + j);
            self.dict_set(d, k, v)?;
        }
        Ok(())
    }

    /// `d.update(src)`: from a dict or an iterable of pairs.
    pub(crate) fn dict_update_from(&mut self, host: &mut Hx<'_>, d: Value, src: Value) -> R<()> {
        // A dict subclass's items are its base's.
        let base = self.native_of(src);
        if self.is(base, tag::DICT) {
            let src = base;
            let mut i = 0;
            while i < self.dict_used(src) {
                if let Some((k, v)) = self.dict_entry(src, i) {
                    self.dict_set(d, k, v)?;
                }
                i += 1;
            }
            return Ok(());
        }
        let it = self.iter_of(host, src)?;
        let mk = self.root(it);
        let r = (|| {
            let mut i = 0;
            while let Some(pair) = self.iter_next(host, it)? {
                let m2 = self.root(pair);
                let p = if self.seq_items(pair).is_some() {
                    pair
                } else {
                    self.list_from_iter(host, pair)?
                };
                self.root(p);
                let (b, n) = self.seq_items(p).unwrap_or((0, 0));
                if n != 2 {
                    let parts = [Part::Num(i), Part::Num(n)];
                    return self.raise_parts(T::ValueError, ErrMsg::DictUpdateElement, &parts);
                }
                let (k, v) = (self.heap.v(b), self.heap.v(b + 1));
                self.dict_set(d, k, v)?;
                self.unroot(m2);
                i += 1;
            }
            Ok(())
        })();
        self.unroot(mk);
        r
    }

    /// `dict.fromkeys(keys[, value])` (`keys` and `value` from argument 1).
    pub(crate) fn dict_fromkeys(&mut self, host: &mut Hx<'_>, a: &Args) -> R<Value> {
        let d = self.dict_new(0)?;
        let mk = self.root(d);
        let r = (|| {
            let fill = if a.n == 3 {
                self.arg(a, 2)
            } else {
                Value::NONE
            };
            let it = self.iter_of(host, self.arg(a, 1))?;
            self.root(it);
            while let Some(k) = self.iter_next(host, it)? {
                self.dict_set(d, k, fill)?;
            }
            Ok(d)
        })();
        self.unroot(mk);
        r
    }
}

impl Vm<'_> {
    /// Writes dict `v`'s repr, or a set's, a frozenset's or a dict view's
    /// (a set is a dict's layout, see `obj/set.rs`): items are written
    /// inside `me`, so a dict that holds itself shows `{...}`; `t` is its
    /// tag, which the caller dispatched on.
    pub(crate) fn write_entries(&mut self, out: &mut Out, v: Value, t: u32, me: &Up) -> R<()> {
        // One loop over the entries of a dict, a set or a dict view:
        // `show` says what each entry shows (0 the key, 1 the value,
        // 2 `(key, value)`, 3 `key: value`).
        let w = v.word();
        let (d, show, open, close): (Value, u32, &[u8], &[u8]) = match t {
            tag::DICT => (v, 3, b"{", b"}"),
            tag::DICTVIEW => {
                let k = self.heap.w(w + 1);
                let open: &[u8] = match k {
                    0 => b"dict_keys([",
                    1 => b"dict_values([",
                    _ => b"dict_items([",
                };
                (self.heap.v(w + 2), k.min(2), open, b"])")
            }
            _ => {
                let frozen = t == tag::FROZENSET;
                if self.dict_len(v) == 0 {
                    self.emit(out, if frozen { b"frozenset()" } else { b"set()" });
                    return Ok(());
                }
                let (open, close): (&[u8], &[u8]) = if frozen {
                    (b"frozenset({", b"})")
                } else {
                    (b"{", b"}")
                };
                (v, 0, open, close)
            }
        };
        self.emit(out, open);
        let mut first = true;
        let mut i = 0;
        while i < self.dict_used(d) {
            if let Some((key, x)) = self.dict_entry(d, i) {
                if !first {
                    self.emit(out, b", ");
                }
                first = false;
                if show == 2 {
                    self.emit(out, b"(");
                }
                if show != 1 {
                    self.write_in(out, key, true, Some(me))?;
                }
                match show {
                    2 => self.emit(out, b", "),
                    3 => self.emit(out, b": "),
                    _ => {}
                }
                if show != 0 {
                    // The key's repr may have run Python code that
                    // changed the dict: the value as it is now.
                    let x = self.dict_entry(d, i).map_or(x, |e| e.1);
                    self.write_in(out, x, true, Some(me))?;
                }
                if show == 2 {
                    self.emit(out, b")");
                }
            }
            i += 1;
        }
        self.emit(out, close);
        Ok(())
    }
}
