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
//!
//! The same table remembers the methods of builtin types, keyed by the
//! type's value (an immediate, never a class object): `(str, "split")` →
//! the method. Those never change; the resets only cost a re-lookup.

use crate::heap::Value;

/// Entries of the class-attribute table: `2^ATTR_BITS`, in pairs (a pair
/// is a two-way set: a hit in either entry counts).
const ATTR_BITS: u32 = 5;
const ATTR_N: usize = 1 << ATTR_BITS;
/// Entries of the globals table (a power of two).
const GLOBAL_N: usize = 16;

/// The lookup caches of a VM: `attr` holds `[class, name, value]` (class 0:
/// empty; value NULL: absent), `global` holds `[dict, name, entry number]`
/// (dict 0: empty).
pub(crate) struct Caches {
    attr: [[u32; 3]; ATTR_N],
    global: [[u32; 3]; GLOBAL_N],
    /// A class gained a property after it was made: the per-class "no
    /// property along the MRO" flags (see [`crate::obj::class`]) may be
    /// stale (a subclass's flag is computed from its bases' when it is
    /// made), so none is trusted until the next reset.
    pub(crate) late_props: bool,
}

impl Caches {
    /// Empty caches. Inlined, so a VM built in place gets its tables
    /// zeroed where they lie rather than through a 576-byte temporary.
    #[inline(always)]
    pub(crate) const fn new() -> Caches {
        Caches {
            attr: [[0; 3]; ATTR_N],
            global: [[0; 3]; GLOBAL_N],
            late_props: false,
        }
    }

    /// The first of the two entries `(class, name)` may be in: a
    /// multiplicative hash (Fibonacci hashing) of both addresses, so the
    /// hot pairs of a program (a few classes × the names of one name
    /// table, all allocated close together) spread over the table.
    #[inline(always)]
    fn attr_slot(class: Value, name: Value) -> usize {
        let x = (class.0 ^ name.0.rotate_left(11)).wrapping_mul(0x9E37_79B1);
        (x >> (32 - ATTR_BITS)) as usize
    }

    #[inline(always)]
    fn global_slot(dict: Value, name: Value) -> usize {
        ((name.0 >> 2) ^ (dict.0 >> 4)) as usize & (GLOBAL_N - 1)
    }

    /// The remembered lookup of `name` on `class`: `Some(None)` for a
    /// remembered miss, `None` when nothing is remembered.
    #[inline]
    pub(crate) fn attr(&self, class: Value, name: Value) -> Option<Option<Value>> {
        let s = Self::attr_slot(class, name);
        // `s ^ 1 < ATTR_N` as `s < ATTR_N` and ATTR_N is even.
        for e in [self.attr[s], self.attr[s ^ 1]] {
            let [c, n, v] = e;
            if c == class.0 && n == name.0 {
                return Some((v != 0).then_some(Value(v)));
            }
        }
        None
    }

    /// Remembers the lookup of `name` on `class` (`class` is a heap object)
    /// in the first entry of its pair, moving what was there to the second
    /// (the older of the two is forgotten).
    #[inline]
    pub(crate) fn set_attr(&mut self, class: Value, name: Value, found: Option<Value>) {
        let s = Self::attr_slot(class, name);
        self.attr[s ^ 1] = self.attr[s];
        self.attr[s] = [class.0, name.0, found.map_or(0, |v| v.0)];
    }

    /// A class dict changed, or objects may have been freed: forgets every
    /// class lookup.
    pub(crate) fn classes_changed(&mut self) {
        self.attr.fill([0; 3]);
    }

    /// The entry number remembered for global `name` of `dict` (to be
    /// validated by the caller).
    #[inline]
    pub(crate) fn global(&self, dict: Value, name: Value) -> Option<usize> {
        let [d, n, e] = self.global[Self::global_slot(dict, name)];
        (d == dict.0 && n == name.0).then_some(e as usize)
    }

    /// Remembers that global `name` of `dict` is entry `entry`.
    #[inline]
    pub(crate) fn set_global(&mut self, dict: Value, name: Value, entry: usize) {
        self.global[Self::global_slot(dict, name)] = [dict.0, name.0, entry as u32];
    }

    /// Forgets everything (a VM reset). Field by field, in place: a whole
    /// new `Caches` assigned here was built on the stack first.
    pub(crate) fn clear(&mut self) {
        self.classes_changed();
        self.global.fill([0; 3]);
        self.late_props = false;
    }
}
