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

//! The tables live at the end of the heap arena, carved off when the VM
//! starts ([`Caches::carve`]), not in the VM itself: 576 bytes of static
//! RAM on a chip with 64 KiB is worth more as heap a program can give back
//! (the manifest's heap size is what is left). An arena too small to spare
//! them runs without caches: every lookup then takes the slow path.

use crate::heap::Value;

/// Entries of the class-attribute table: `2^ATTR_BITS`, in pairs (a pair
/// is a two-way set: a hit in either entry counts).
const ATTR_BITS: u32 = 5;
const ATTR_N: usize = 1 << ATTR_BITS;
/// Entries of the globals table (a power of two).
const GLOBAL_N: usize = 16;
/// Entries of both tables: the class-attribute table first, then globals.
const ENTRIES: usize = ATTR_N + GLOBAL_N;
/// Arena words the tables take.
pub(crate) const WORDS: usize = 3 * ENTRIES;
/// The smallest arena (in words) the tables are carved from: they take at
/// most an eighth of it, so a small test arena keeps its whole heap.
const MIN_ARENA: usize = 8 * WORDS;

/// The tables: `[class, name, value]` entries (class 0: empty; value
/// NULL: absent) for class attributes, then `[dict, name, entry number]`
/// entries (dict 0: empty) for globals.
type Tables = [[u32; 3]; ENTRIES];

/// The lookup caches of a VM: the tables in the arena's tail (none: no
/// caches), and the property flag.
pub(crate) struct Caches<'a> {
    tables: Option<&'a mut Tables>,
    /// A class gained a property after it was made: the per-class "no
    /// property along the MRO" flags (see [`crate::obj::class`]) may be
    /// stale (a subclass's flag is computed from its bases' when it is
    /// made), so none is trusted until the next reset.
    pub(crate) late_props: bool,
}

impl<'a> Caches<'a> {
    /// No tables yet ([`Caches::carve`] gives them).
    pub(crate) const fn new() -> Caches<'a> {
        Caches {
            tables: None,
            late_props: false,
        }
    }

    /// Takes the tables from the end of `arena` (once: a VM started again
    /// keeps the ones it has) and returns what is left for the heap; an
    /// arena smaller than [`MIN_ARENA`] words is returned whole and the VM
    /// runs without caches. The tables are emptied.
    pub(crate) fn carve(&mut self, arena: &'a mut [u32]) -> &'a mut [u32] {
        let arena = match self.tables {
            Some(_) => arena,
            None if arena.len() < MIN_ARENA => arena,
            None => {
                let (heap, tail) = arena.split_at_mut(arena.len() - WORDS);
                self.tables = tail.as_chunks_mut::<3>().0.try_into().ok();
                heap
            }
        };
        self.clear();
        arena
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

    /// The globals entry of `(dict, name)`, past the attribute entries.
    #[inline(always)]
    fn global_slot(dict: Value, name: Value) -> usize {
        ATTR_N + (((name.0 >> 2) ^ (dict.0 >> 4)) as usize & (GLOBAL_N - 1))
    }

    /// The remembered lookup of `name` on `class`: `Some(None)` for a
    /// remembered miss, `None` when nothing is remembered.
    #[inline]
    pub(crate) fn attr(&self, class: Value, name: Value) -> Option<Option<Value>> {
        let t = self.tables.as_deref()?;
        let s = Self::attr_slot(class, name);
        // `s ^ 1 < ATTR_N` as `s < ATTR_N` and ATTR_N is even.
        for e in [t[s], t[s ^ 1]] {
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
        if let Some(t) = self.tables.as_deref_mut() {
            let s = Self::attr_slot(class, name);
            t[s ^ 1] = t[s];
            t[s] = [class.0, name.0, found.map_or(0, |v| v.0)];
        }
    }

    /// A class dict changed, or objects may have been freed: forgets every
    /// class lookup.
    pub(crate) fn classes_changed(&mut self) {
        if let Some(t) = self.tables.as_deref_mut() {
            t[..ATTR_N].fill([0; 3]);
        }
    }

    /// The entry number remembered for global `name` of `dict` (to be
    /// validated by the caller).
    #[inline]
    pub(crate) fn global(&self, dict: Value, name: Value) -> Option<usize> {
        let [d, n, e] = self.tables.as_deref()?[Self::global_slot(dict, name)];
        (d == dict.0 && n == name.0).then_some(e as usize)
    }

    /// Remembers that global `name` of `dict` is entry `entry`.
    #[inline]
    pub(crate) fn set_global(&mut self, dict: Value, name: Value, entry: usize) {
        if let Some(t) = self.tables.as_deref_mut() {
            t[Self::global_slot(dict, name)] = [dict.0, name.0, entry as u32];
        }
    }

    /// Forgets everything (a VM reset).
    pub(crate) fn clear(&mut self) {
        if let Some(t) = self.tables.as_deref_mut() {
            t.fill([0; 3]);
        }
        self.late_props = false;
    }
}
