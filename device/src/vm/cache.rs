//! Lookup caches: the two name lookups every Python-level call and
//! attribute access repeats (a global in the globals dict, a name along a
//! class's MRO), remembered in small direct-mapped tables.
//!
//! **Globals** remember `(dict, name) → entry number`. A hit is *validated*
//! against the dict itself (the entry is still in use and its key is `name`,
//! the same str object), so no write, deletion, resize or collection ever
//! needs to invalidate it: a dict holds one entry per key, so the entry
//! whose key is `name` is *the* value of `name`. The dict (a frame's
//! globals) and the name (from the frame's name table) are live at every
//! lookup, so the validation reads a live dict.
//!
//! **Class attributes** remember `(class, name) → value or absent`. A
//! class's answer depends on the dicts of its whole MRO, which only
//! `setattr`/`delattr` on a class change after the class exists (a class
//! body's namespace is not reachable from Python once the class is made,
//! and bases are fixed), so [`Caches::classes_changed`] empties the table
//! then. A collection empties it too: a freed class or name could come
//! back at the same address as another one.

use crate::heap::Value;

/// Entries of the class-attribute table (a power of two).
const ATTR_N: usize = 32;
/// Entries of the globals table (a power of two).
const GLOBAL_N: usize = 16;

/// `(class, name, value)`; class 0: empty; value NULL: absent.
#[derive(Clone, Copy)]
struct AttrEntry {
    class: u32,
    name: u32,
    value: Value,
}

/// `(dict, name, entry number)`; dict 0: empty.
#[derive(Clone, Copy)]
struct GlobalEntry {
    dict: u32,
    name: u32,
    entry: u32,
}

/// The lookup caches of a VM.
pub(crate) struct Caches {
    attr: [AttrEntry; ATTR_N],
    global: [GlobalEntry; GLOBAL_N],
}

impl Caches {
    /// Empty caches.
    pub(crate) const fn new() -> Caches {
        Caches {
            attr: [AttrEntry {
                class: 0,
                name: 0,
                value: Value::NULL,
            }; ATTR_N],
            global: [GlobalEntry {
                dict: 0,
                name: 0,
                entry: 0,
            }; GLOBAL_N],
        }
    }

    #[inline(always)]
    fn attr_slot(class: Value, name: Value) -> usize {
        ((class.0 >> 2) ^ (name.0 >> 2).wrapping_mul(5)) as usize & (ATTR_N - 1)
    }

    #[inline(always)]
    fn global_slot(dict: Value, name: Value) -> usize {
        ((name.0 >> 2) ^ (dict.0 >> 4)) as usize & (GLOBAL_N - 1)
    }

    /// The remembered lookup of `name` on `class`: `Some(None)` for a
    /// remembered miss, `None` when nothing is remembered.
    #[inline]
    pub(crate) fn attr(&self, class: Value, name: Value) -> Option<Option<Value>> {
        let e = self.attr[Self::attr_slot(class, name)];
        (e.class == class.0 && e.name == name.0).then_some((!e.value.is_null()).then_some(e.value))
    }

    /// Remembers the lookup of `name` on `class` (`class` is a heap object).
    #[inline]
    pub(crate) fn set_attr(&mut self, class: Value, name: Value, found: Option<Value>) {
        self.attr[Self::attr_slot(class, name)] = AttrEntry {
            class: class.0,
            name: name.0,
            value: found.unwrap_or(Value::NULL),
        };
    }

    /// A class dict changed, or objects may have been freed: forgets every
    /// class lookup.
    pub(crate) fn classes_changed(&mut self) {
        for e in &mut self.attr {
            e.class = 0;
        }
    }

    /// The entry number remembered for global `name` of `dict` (to be
    /// validated by the caller).
    #[inline]
    pub(crate) fn global(&self, dict: Value, name: Value) -> Option<usize> {
        let e = self.global[Self::global_slot(dict, name)];
        (e.dict == dict.0 && e.name == name.0).then_some(e.entry as usize)
    }

    /// Remembers that global `name` of `dict` is entry `entry`.
    #[inline]
    pub(crate) fn set_global(&mut self, dict: Value, name: Value, entry: usize) {
        self.global[Self::global_slot(dict, name)] = GlobalEntry {
            dict: dict.0,
            name: name.0,
            entry: entry as u32,
        };
    }

    /// Forgets everything (a VM reset).
    pub(crate) fn clear(&mut self) {
        *self = Caches::new();
    }
}
