//! The frozen library: Python the firmware carries, run from flash.
//!
//! Cold methods of builtin types (and the library halves of native
//! modules every program may use) are Python in the repository's `lib/`, compiled by the host's own compiler into one
//! blob, `device/frozen/library.bin` (`p14p freeze`; a host test fails
//! when it is stale), which every firmware includes. Each entry is one
//! image, importable as a module (`lib/str.py` is `_str`):
//!
//! ```text
//! entry: name length (1 byte) ‖ name ‖ image length (u32 LE) ‖ image
//! ```
//!
//! **In place.** A frozen image is loaded like a stored one that executes
//! in place ([`Vm::load_at`]): an 8-word `IMAGE` block in the heap, its
//! code addresses [`FROZEN_AT`] past the flash view's ([`Vm::code_space`]
//! resolves them through [`far_space`]). `Reset` drops it with every
//! module; the next use loads it again.
//!
//! **Verified when the firmware is built, not on the device.** The blob is
//! the firmware's own bytes, as trusted as its native code (flash that
//! could change them could change the code too): `every_frozen_image_
//! passes_the_verifier` (below) runs the device's verifier over each image
//! a firmware keeps, and `library_blob_is_fresh` (host) ties the blob to
//! `lib/`. Images from the host or the store are verified as always. On the
//! device that saves, at a module's first use, the verifier's scratch
//! block (a byte per code byte, which fragmented the micro:bit's 7 KiB
//! heap) and its time (about 0.5 M instructions for `_str`).
//!
//! **Dropped when the heap needs the room.** A module the freezer flags
//! [`STATELESS`] (functions and immutable constants only) is unregistered
//! by `gc.collect()` and by an allocation that still fails after an
//! ordinary collection ([`Vm::drop_library`]); what nothing else refers to
//! is then freed, and the next use loads it again.
//!
//! **Methods.** When a builtin type has no native method of a name,
//! `getattr` asks [`Vm::library_method`]: the type's library module
//! (imported on first use, its body run in a nested loop) and a function
//! of that name in it, which the caller binds to `self`. A type's module
//! may be split: a module whose name is the type's, `:` and the methods it
//! defines (`_str:ljust:rjust:center:zfill`) is asked first, so a program
//! that uses one of them loads only those few (on the micro:bit's 7 KiB
//! heap, all of `_str` took 1.6 KiB). Hot methods stay
//! native (the dispatch loop never gets here for them); names starting
//! with `_` are the modules' private helpers, except special methods
//! (`__contains__`, `__setitem__`...), which the library defines over the
//! operators for code that calls them by name.
//!
//! **Builtin functions.** A global name found neither in the module's
//! globals nor among the native builtins is looked up in the library
//! ([`Vm::library_builtin`]): rarely called builtins, or the cold half of
//! one (`pow(b, e, m)`, which the native `pow` calls), are Python in
//! `lib/builtins/`, a few per module so that first use loads little (a
//! library module takes heap: its name and constant tables, functions and
//! globals, but not its names' and strs' bytes, which stay here as image
//! strs, see [`crate::heap::value`]); a
//! module's name is `_b:` and the names of the builtins it defines
//! (`_b:pow`).
//!
//! **Error messages.** The library raises with the protocol's numbered
//! messages, as the VM does: `raise _err(TypeError, "text", detail)`,
//! where the host's compiler turns `"text"`, which must be one of
//! [`ErrMsg`]'s templates, into its number, and the builtin `_err` makes
//! the exception (`builtins/funcs.rs`). So no error text is in the
//! firmware (the host renders it, `str(e)` asks the host during a run),
//! and the library and the VM share one text for the same error.

use super::frame::flag;
use super::{Vm, R};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::frozen::{lists, NAME_LEN, NEEDS_BYTES, NEEDS_FLOAT, STATELESS};
use p14p_protocol::msg::DeviceError;

/// The library images, as the host compiled `lib/`. An array static, so
/// that the firmware's symbol table names it and shows its size
/// (`scripts/footprint.sh` reports it as the library's bytes).
static LIBRARY: [u8; kept_len(BLOB)] = kept(BLOB);
const BLOB: &[u8] = include_bytes!("../../frozen/library.bin");

/// True if the blob's entry at `at` (name length `n`) is kept: a firmware
/// without bytes or floats leaves out the modules that need them
/// ([`p14p_protocol::frozen`]), which it could not run.
const fn keeps(b: &[u8], at: usize, n: usize) -> bool {
    let (name, _) = b.split_at(at + 1 + n);
    let (_, name) = name.split_at(at + 1);
    (cfg!(feature = "bytes") || !lists(&NEEDS_BYTES, name))
        && (cfg!(feature = "float") || !lists(&NEEDS_FLOAT, name))
}

/// `(name length, whole entry length)` of the blob's entry at `at`.
const fn entry(b: &[u8], at: usize) -> (usize, usize) {
    let n = (b[at] & NAME_LEN) as usize;
    let l = at + 1 + n;
    let len = u32::from_le_bytes([b[l], b[l + 1], b[l + 2], b[l + 3]]) as usize;
    (n, 5 + n + len)
}

/// Bytes of the blob's kept entries.
const fn kept_len(b: &[u8]) -> usize {
    let (mut at, mut total) = (0, 0);
    while at < b.len() {
        let (n, e) = entry(b, at);
        if keeps(b, at, n) {
            total += e;
        }
        at += e;
    }
    total
}

/// The blob's kept entries, in order.
const fn kept<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut out = [0; N];
    let (mut at, mut o) = (0, 0);
    while at < b.len() {
        let (n, e) = entry(b, at);
        if keeps(b, at, n) {
            let mut i = 0;
            while i < e {
                out[o + i] = b[at + i];
                i += 1;
            }
            o += e;
        }
        at += e;
    }
    out
}

/// Code address of the library's first byte, counted past the arena (as
/// the flash view's are): above any store's flash, within a small int.
pub(crate) const FROZEN_AT: usize = 1 << 24;

/// The bytes a code address past the arena lies in (the flash view or the
/// library), and its index there; `i` counts from the arena's end.
#[inline(always)]
pub(crate) fn far_space(flash: &[u8], i: usize) -> (&[u8], usize) {
    match i.checked_sub(FROZEN_AT) {
        None => (flash, i),
        Some(j) => (&LIBRARY, j),
    }
}

/// The library's bytes (where its image strs lie).
#[inline(always)]
pub(crate) fn library() -> &'static [u8] {
    &LIBRARY
}

/// Bytes the library takes in the firmware.
pub fn library_len() -> usize {
    LIBRARY.len()
}

/// The library's entries: each module's name as stored, and the offset
/// and length of its image in [`LIBRARY`].
fn entries() -> impl Iterator<Item = (&'static [u8], usize, usize)> {
    let mut at = 0;
    core::iter::from_fn(move || {
        let n = (*LIBRARY.get(at)? & NAME_LEN) as usize;
        let stored = LIBRARY.get(at + 1..at + 1 + n)?;
        let len = LIBRARY.get(at + 1 + n..at + 5 + n)?;
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let start = at + 5 + n;
        at = start + len;
        Some((stored, start, len))
    })
}

/// The entry of module `name`: its name as stored, and the offset and
/// length of its image in [`LIBRARY`].
fn find(name: &[u8]) -> Option<(&'static str, usize, usize)> {
    let (stored, start, len) = entries().find(|e| e.0 == name)?;
    Some((core::str::from_utf8(stored).ok()?, start, len))
}

/// The name of the library module that lists function `name`: one named
/// `prefix`, `:`, and its functions' names, `:`-separated (`_b:pow` for
/// builtin functions, `_str:ljust:…` for some of a type's methods).
fn listing_module(prefix: &[u8], name: &[u8]) -> Option<&'static [u8]> {
    entries().map(|e| e.0).find(|m| {
        m.strip_prefix(prefix)
            .and_then(|fs| fs.strip_prefix(b":"))
            .is_some_and(|fs| fs.split(|&c| c == b':').any(|f| f == name))
    })
}

/// The frozen name (an image str, so that the lookup allocates nothing)
/// of native module `module`'s library half: the entry `_` ‖ `module`.
fn half_of(module: &[u8]) -> Option<Value> {
    let (stored, _, _) = entries().find(|e| e.0.split_first() == Some((&b'_', module)))?;
    in_library(stored)
}

/// `bytes` as an image str if they lie in the library (a module's name as
/// stored): no heap, and [`stateless`] can tell the module's flag from it.
pub(crate) fn in_library(bytes: &[u8]) -> Option<Value> {
    let off = (bytes.as_ptr() as usize).checked_sub(LIBRARY.as_ptr() as usize)?;
    if off + bytes.len() > LIBRARY.len() {
        return None;
    }
    Value::image_str(true, off, bytes.len())
}

/// True if `name` is the stored name of a library module flagged
/// [`STATELESS`]: the name-length byte just before it says so. (Any other
/// image str is preceded by its own length, a byte below 64.)
fn stateless(name: Value) -> bool {
    if !name.is_kind(kind::FROZEN_STR) {
        return false;
    }
    let (_, off, n) = name.image_str_parts();
    off.checked_sub(1)
        .and_then(|i| LIBRARY.get(i))
        .is_some_and(|&b| b == n as u8 | STATELESS)
}

/// The library module holding builtin type `t`'s cold methods.
fn module_of(t: T) -> Option<&'static [u8]> {
    match t {
        T::str => Some(b"_str"),
        T::bytes | T::bytearray => Some(b"_bytes"),
        T::int | T::bool => Some(b"_int"),
        T::list => Some(b"_list"),
        T::dict => Some(b"_dict"),
        T::set | T::frozenset => Some(b"_set"),
        _ => None,
    }
}

/// Which of the container methods (`__getitem__`, `__setitem__`,
/// `__delitem__`, `__len__`, `__iter__`, `__next__`, `__contains__`, bit i
/// as [`super::container_dunder`] numbers them) type `t` has.
fn special_methods(t: T) -> u32 {
    match t {
        T::list | T::dict | T::bytearray => 0b101_1111,
        T::str | T::bytes | T::tuple => 0b101_1001,
        T::set | T::frozenset => 0b101_1000,
        // Iterators: `it.__next__()`, and `__iter__` returning `it`.
        T::generator | T::iterator | T::enumerate | T::zip | T::map => 0b011_0000,
        _ => 0,
    }
}

impl Vm<'_> {
    /// Unregisters every stateless library module and its image (before
    /// a collection that makes room): whatever refers to neither anymore
    /// is freed, so no library module costs heap between uses. The next
    /// use loads the module again from flash; one still referred to (a
    /// running frame's, a method a program keeps) lives on unregistered,
    /// and a stateless module loaded twice behaves as one.
    pub(crate) fn drop_library(&mut self) {
        if !self.loaded.is_null() {
            for i in 0..self.dict_used(self.loaded) {
                let at = self.dict_entry_at(self.loaded, i);
                if stateless(self.heap.v(at)) {
                    self.dict_delete_at(self.loaded, at);
                }
            }
        }
        for i in 0..super::MAX_MODULES {
            let image = self.module_at(i);
            if image.is_obj() && stateless(self.heap.v(image.word() + super::image::MODNAME)) {
                self.heap.setv(self.modules.word() + 2 + i, Value::NULL);
            }
        }
    }

    /// Function `name` of library module `module` (imported on first
    /// use), if both exist: for natives that hand a case to Python.
    pub(crate) fn library_module_function(
        &mut self,
        host: &mut Hx<'_>,
        module: &[u8],
        name: &[u8],
    ) -> R<Option<Value>> {
        let Some(m) = self.library_module(host, module)? else {
            return Ok(None);
        };
        let mark = self.root(m);
        let name = self.str_from_bytes(name);
        self.unroot(mark);
        Ok(self.module_attr(m, name?))
    }

    /// The image of library module `name`, loaded in place now; `None`
    /// if the library has no such module. Not verified: the library is the
    /// firmware's own, verified when it is built (see the module doc).
    pub(crate) fn frozen_image(&mut self, name: Value) -> R<Option<Value>> {
        let Some((stored, off, len)) = find(self.str_bytes(name)) else {
            return Ok(None);
        };
        let bytes = LIBRARY.get(off..off + len).unwrap_or_default();
        match self.load_at(bytes, (FROZEN_AT + off) as u32, Some(stored), true) {
            Ok(_) => Ok(self.module_image(name)),
            Err(DeviceError::NoMemory) => Err(self.raise_oom()),
            Err(_) => self.raise_v(T::ImportError, ErrMsg::NoModule, name),
        }
    }

    /// Attribute `name` of `obj`, a builtin type or an instance of one,
    /// from the type's library module (imported on first use): a function
    /// bound to the instance (unbound on the type itself: `str.center`), or
    /// a classmethod bound to the type (`bytes.fromhex`, `int.from_bytes`);
    /// `None` when there is none.
    pub(crate) fn library_method(
        &mut self,
        host: &mut Hx<'_>,
        obj: Value,
        name: Value,
    ) -> R<Option<Value>> {
        let t = if obj.is_kind(kind::TYPE) {
            T::from_id(obj.payload())
        } else {
            Some(self.type_of(obj))
        };
        let Some(t) = t else {
            return Ok(None);
        };
        // `_name`s are the modules' private helpers. A container's special
        // methods called by name (`d.__setitem__(k, v)`) are `_special`'s,
        // a module of their own that only such a call loads, for the types
        // that have the operation.
        let n = self.str_bytes(name);
        let modname: &[u8] = if n.first() == Some(&b'_') {
            let i = super::container_dunder(n);
            match i {
                Some(i) if special_methods(t) >> i & 1 != 0 => b"_special",
                _ => return Ok(None),
            }
        } else {
            match module_of(t) {
                // A module split off the type's (`_str:ljust:…`) first.
                Some(m) => listing_module(m, n).unwrap_or(m),
                None => return Ok(None),
            }
        };
        let mark = self.root(name);
        let m = self.library_module(host, modname);
        self.unroot(mark);
        let Some(f) = m?.and_then(|m| self.module_attr(m, name)) else {
            return Ok(None);
        };
        if self.is(f, tag::WRAP) && self.wrap_parts(f).0 == 1 {
            let (_, g, _) = self.wrap_parts(f);
            return self.bound_new(t.value(), g).map(Some);
        }
        if !self.is(f, tag::FUNC) {
            return Ok(None);
        }
        if obj.is_kind(kind::TYPE) {
            return Ok(Some(f));
        }
        self.bound_new(obj, f).map(Some)
    }

    /// The cold builtin function `name`: a function
    /// of the library module whose name lists it (`_b:pow`, from
    /// `lib/builtins/`), imported on first use; `None` when there is none
    /// (found from the entries' names: a `NameError` loads nothing). Asked
    /// only when a global lookup missed both the module's globals and the
    /// native builtins, so that a native builtin costs nothing more.
    pub(crate) fn library_builtin(&mut self, host: &mut Hx<'_>, name: Value) -> R<Option<Value>> {
        let Some(modname) = listing_module(b"_b", self.str_bytes(name)) else {
            return Ok(None);
        };
        let mark = self.root(name);
        let m = self.library_module(host, modname);
        self.unroot(mark);
        let Some(m) = m? else {
            return Ok(None);
        };
        Ok(self.module_attr(m, name).filter(|f| self.is(*f, tag::FUNC)))
    }

    /// [`Vm::library_builtin`] by bytes: the Python half of a native
    /// builtin (`pow(b, e, m)`), which a native arm calls.
    pub(crate) fn library_function(&mut self, host: &mut Hx<'_>, name: &[u8]) -> R<Option<Value>> {
        let name = self.str_from_bytes(name)?;
        self.library_builtin(host, name)
    }

    /// Attribute `name` of native module `m` (a module immediate) from its
    /// library half, `_NAME` (`lib/NAME.py`: frozen, or stored by the host
    /// as `_NAME.py` when the firmware leaves it out), imported on first use and
    /// kept as any module is; `None` when there is no half or it has no
    /// such attribute (nor a `__getattr__` that gives it, PEP 562).
    /// `import` of the native module loads nothing: the half loads on the
    /// first attribute the native row lacks.
    pub(crate) fn library_half_attr(
        &mut self,
        host: &mut Hx<'_>,
        m: Value,
        name: Value,
    ) -> R<Option<Value>> {
        let mark = self.root(name);
        let module = crate::builtins::machine::module_name(m);
        let half = match half_of(module) {
            Some(half) => Ok(half),
            // Not frozen: the host carries it and stores it (`_math.py`)
            // when a program imports the native module.
            None => {
                let mut half = [b'_'; 16];
                let n = module.len().min(half.len() - 1);
                half[1..=n].copy_from_slice(&module[..n]);
                self.str_from_bytes(&half[..=n])
            }
        };
        let r = half.and_then(|half| {
            self.root(half);
            match self.library_module_named(host, half)? {
                Some(h) => self.module_attr_or_hook(host, h, name),
                None => Ok(None),
            }
        });
        self.unroot(mark);
        r
    }

    /// Library module `modname`, imported (its body run to the end in a
    /// nested loop) if it was not yet.
    fn library_module(&mut self, host: &mut Hx<'_>, modname: &[u8]) -> R<Option<Value>> {
        // A frozen module's name as stored: no heap, and the collector
        // reads its flag there.
        let stored = find(modname).and_then(|(stored, _, _)| in_library(stored.as_bytes()));
        let name = match stored {
            Some(name) => name,
            None => self.str_from_bytes(modname)?,
        };
        let mark = self.root(name);
        let r = self.library_module_named(host, name);
        self.unroot(mark);
        r
    }

    /// [`Vm::library_module`] with the name as a (rooted) str.
    fn library_module_named(&mut self, host: &mut Hx<'_>, name: Value) -> R<Option<Value>> {
        if let Some(m) = self.loaded_module(name) {
            return Ok(Some(m));
        }
        let Some(image) = self.image_of_module(host, name)? else {
            return Ok(None);
        };
        if self.nest_full() {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        // As `IMPORT_NAME` does, but run here: the caller needs the module's
        // functions now.
        let m = self.begin_module(name, image, flag::BOUNDARY)?;
        // Rooted for the caller too: the registry may drop a library module
        // (`unhook_library`) while its body runs.
        self.root(m);
        self.nest += 1;
        let r = self.execute(host);
        self.nest -= 1;
        if let Err(e) = r {
            // A body that raised is run again by the next use.
            self.forget_module(name);
            return Err(e);
        }
        Ok(Some(m))
    }
}

#[cfg(test)]
mod tests {
    use super::{entries, LIBRARY};
    use p14p_protocol::image::Image;

    /// The device trusts its frozen images without verifying them (see
    /// the module doc): here every image this build keeps passes the
    /// device's own verifier, with its hash and tables intact.
    #[test]
    fn every_frozen_image_passes_the_verifier() {
        let mut n = 0;
        for (name, off, len) in entries() {
            let name = core::str::from_utf8(name).unwrap();
            let bytes = &LIBRARY[off..off + len];
            let img = Image::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(img.hash_ok(), "{name}: hash");
            assert!(img.names().all(|n| n.is_ok()), "{name}: names");
            assert!(img.consts().all(|c| c.is_ok()), "{name}: constants");
            let mut scratch = vec![0u8; crate::load::scratch_needed(bytes).unwrap()];
            crate::load::verify(bytes, &mut scratch)
                .unwrap_or_else(|e| panic!("{name} fails the verifier: {e:?}"));
            n += 1;
        }
        assert!(n >= 10, "only {n} frozen images");
    }
}
