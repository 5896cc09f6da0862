//! `import`: the module registry, and running a module's body once.
//!
//! A module is a *named* image (`LoadBegin { name: Some(..) }`, kept in
//! [`Vm`]'s image slots) or a native module (`machine`, `gc`: immediates).
//! Importing a named image the first time creates its module object and
//! runs the image's body with the module's globals; the module is cached in
//! the registry (a heap dict name → module, a collector root, cleared by
//! `Reset`), so later imports return it without running anything.
//!
//! ```text
//! MODULE block
//! word  field
//!  0    header (tag MODULE)
//!  1    NAME     v  the module name (str)
//!  2    GLOBALS  v  its globals dict: the module's attributes
//! ```
//!
//! **Stackless.** The body does not run in a nested dispatch loop: the
//! importer's `IMPORT_NAME` pushes the module object on its own stack, then
//! enters the body's frame flagged `CTOR`, whose return value is dropped,
//! so the module left below is the instruction's result (the same trick as
//! `__init__`). Import chains are therefore as deep as the recursion limit.
//!
//! **Stored modules.** A name no loaded image has is looked up in the
//! device's store as `NAME.py` ([`Host::stored_image`](crate::machine::Host::stored_image)), a dotted `a.b`
//! as `a/b.py` (the store is flat; the host syncs folders as names with
//! `/`), then as `NAME/__init__.py` (a package): an image whose
//! bytes are contiguous in flash executes in place (verified where it
//! lies, pinned against erasure; see [`super::image`]); any other is copied
//! into a heap image as if it had been loaded. Either way it then becomes
//! the named image of the module, as a loaded one would.
//!
//! **Cycles.** The module is registered *before* its body runs: `a`
//! importing `b` importing `a` gets the partly initialised `a`, as in
//! CPython. A body that raises leaves its partial module registered;
//! loading a new image of the same name drops the cached module, so the
//! next import runs the new body.

use super::frame::flag;
use super::{Vm, R};
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::DeviceError;

/// Module name.
pub const NAME: usize = 1;
/// Module globals.
pub const GLOBALS: usize = 2;

impl Vm<'_> {
    /// `IMPORT_NAME`: pushes the module called `name`, or pushes it and
    /// enters its body (which leaves it as the result when it returns).
    pub(crate) fn import(&mut self, host: &mut Hx<'_>, name: Value) -> R<()> {
        if let Some(m) = self.loaded_module(name) {
            self.push(m);
            return Ok(());
        }
        let n = self.str_bytes(name);
        let m = crate::builtins::machine::module(n);
        // After the VM's own, the port's.
        #[cfg(feature = "natives")]
        let m = m.or_else(|| crate::builtins::native::module(host, n));
        if let Some(m) = m {
            self.push(m);
            return Ok(());
        }
        let Some(image) = self.image_of_module(host, name)? else {
            return self.raise_v(T::ImportError, ErrMsg::NoModule, name);
        };
        self.begin_module(name, image, flag::CTOR).map(|_| ())
    }

    /// The image of module `name`: one in the module table, else the
    /// frozen library's, else the store's (loaded now); `None` if there is
    /// no such module.
    pub(super) fn image_of_module(&mut self, host: &mut Hx<'_>, name: Value) -> R<Option<Value>> {
        if let Some(image) = self.module_image(name) {
            return Ok(Some(image));
        }
        match self.frozen_image(name)? {
            Some(image) => Ok(Some(image)),
            None => self.stored_module(host, name),
        }
    }

    /// Makes module `name` ([`Vm::new_module`]) and enters its body,
    /// `image`'s code 0, with frame `flags` ([`Vm::enter_module_body`]);
    /// for `CTOR` (`IMPORT_NAME`), the module is pushed first, as the
    /// instruction's result. The image is rooted until its frame holds it:
    /// a library module's image in the table may be dropped by a
    /// collection (see `frozen::Vm::unhook_library`).
    pub(super) fn begin_module(&mut self, name: Value, image: Value, flags: u32) -> R<Value> {
        let mark = self.root(image);
        let r = self.new_module(name).and_then(|m| {
            self.root(m);
            if flags & flag::CTOR != 0 {
                self.push(m);
            }
            self.enter_module_body(m, image, flags).map(|()| m)
        });
        self.unroot(mark);
        r
    }

    /// A new module `name` with its globals (`__name__` set), registered
    /// as loaded before its body runs, so an import cycle finds it (and the
    /// registry keeps it reachable).
    pub(crate) fn new_module(&mut self, name: Value) -> R<Value> {
        let g = self.dict_new(0)?;
        let mark = self.root(g);
        let r = self.alloc(tag::MODULE, 3).and_then(|w| {
            self.heap.setv(w + NAME, name);
            self.heap.setv(w + GLOBALS, g);
            let m = Value::obj(w);
            self.root(m);
            let key = self.str_from_bytes(b"__name__")?;
            self.dict_set(g, key, name)?;
            if self.loaded.is_null() {
                self.loaded = self.dict_new(0)?;
            }
            self.dict_set(self.loaded, name, m)?;
            Ok(m)
        });
        self.unroot(mark);
        r
    }

    /// Pushes the frame of module `m`'s body (code 0 of `image`) over its
    /// globals, with frame `flags`: `CTOR` for `IMPORT_NAME` (the body's
    /// return leaves the module as the result), `BOUNDARY` for a body run
    /// in a nested loop.
    pub(crate) fn enter_module_body(&mut self, m: Value, image: Value, flags: u32) -> R<()> {
        let g = self.heap.v(m.word() + GLOBALS);
        let ci = self.code_info(image, 0);
        self.save_frame();
        let f = self.new_frame(&ci, image, Value::NULL, g)?;
        self.set_frame_flags(f, flags);
        self.push_frame(f)
    }

    /// Loads the stored image of module `name` as that module: `a.b` is
    /// the file `a/b.py` (a folder the host synced), else `a/b/__init__.py`
    /// (a package); in place if the host finds it contiguous and the VM has
    /// a flash view, else copied into the heap. `None` if the store has no
    /// such image.
    pub(super) fn stored_module(&mut self, host: &mut Hx<'_>, name: Value) -> R<Option<Value>> {
        let mut file = [0u8; crate::store::MAX_NAME];
        let mut modname = [0u8; crate::store::MAX_NAME];
        let n = self.str_bytes(name).len();
        let mut found = None;
        for suffix in [&b".py"[..], b"/__init__.py"] {
            let Some(dst) = file.get_mut(..n + suffix.len()) else {
                return Ok(None);
            };
            let (path, tail) = dst.split_at_mut(n);
            for ((d, m), &c) in path.iter_mut().zip(&mut modname).zip(self.str_bytes(name)) {
                *d = if c == b'.' { b'/' } else { c };
                *m = c;
            }
            tail.copy_from_slice(suffix);
            if let Some(stored) = host.stored_image(dst) {
                found = Some((stored, n + suffix.len()));
                break;
            }
        }
        let Some((stored, len)) = found else {
            return Ok(None);
        };
        let file = file.get(..len).unwrap_or_default();
        // Module names are identifiers: UTF-8 by construction.
        let modname =
            core::str::from_utf8(modname.get(..n).unwrap_or_default()).unwrap_or_default();
        let r = match stored.flash {
            Some(addr) if !self.flash.is_empty() => {
                let r = self.load_in_place(addr, stored.len, Some(modname));
                if r.is_ok() {
                    host.pin_flash(addr, stored.len);
                }
                r
            }
            _ => self.copy_stored(host, file, stored.len, modname),
        };
        match r {
            Ok(_) => Ok(self.module_image(name)),
            Err(DeviceError::NoMemory) => Err(self.raise_oom()),
            Err(_) => self.raise_v(T::ImportError, ErrMsg::NoModule, name),
        }
    }

    /// Copies stored image `file` into a heap image named `modname`,
    /// through the same receive path as a loaded one.
    fn copy_stored(
        &mut self,
        host: &mut Hx<'_>,
        file: &[u8],
        len: u32,
        modname: &str,
    ) -> Result<u32, DeviceError> {
        let mut buf = [0u8; 64];
        let head = buf.get_mut(..16).unwrap_or_default();
        if host.stored_read(file, 0, head) != 16 {
            return Err(DeviceError::Flash);
        }
        let hash = u32::from_le_bytes([buf[12], buf[13], buf[14], buf[15]]);
        self.begin_image(len, hash, Some(modname))?;
        let mut off = 0;
        while off < len {
            let n = host.stored_read(file, off, &mut buf);
            if n == 0 {
                self.pending = Value::NULL;
                return Err(DeviceError::Flash);
            }
            self.write_image(off, buf.get(..n).unwrap_or_default())?;
            off += n as u32;
        }
        let r = self.end_image();
        self.pending = Value::NULL;
        r
    }

    /// The cached module called `name`.
    pub(super) fn loaded_module(&self, name: Value) -> Option<Value> {
        if self.loaded.is_null() {
            return None;
        }
        self.dict_get_h(self.loaded, name, self.str_hash(name))
    }

    /// The ready named image for module `name`.
    pub(super) fn module_image(&self, name: Value) -> Option<Value> {
        (0..super::MAX_MODULES)
            .map(|i| self.module_at(i))
            .find(|m| {
                m.is_obj()
                    && self.heap.w(m.word() + super::image::READY) == 1
                    && self.str_eq(self.heap.v(m.word() + super::image::MODNAME), name)
            })
    }

    /// `sys._modules()` (`sys.modules`): the registry itself, made now if
    /// nothing was imported yet, so that it shows later imports too.
    pub(crate) fn modules_dict(&mut self) -> R<Value> {
        if self.loaded.is_null() {
            self.loaded = self.dict_new(0)?;
        }
        Ok(self.loaded)
    }

    /// Drops the cached module `name` (a new image of it arrived).
    pub(crate) fn forget_module(&mut self, name: Value) {
        if !self.loaded.is_null() {
            // Str keys hash without allocating, so this cannot raise.
            let _ = self.dict_del(self.loaded, name);
        }
    }

    /// Attribute `name` of module object `m`.
    pub(crate) fn module_attr(&self, m: Value, name: Value) -> Option<Value> {
        let g = self.heap.v(m.word() + GLOBALS);
        self.dict_get_h(g, name, self.str_hash(name))
    }

    /// [`Vm::module_attr`], else what module `m`'s own `__getattr__(name)`
    /// returns, if it defines one (PEP 562, CPython's module
    /// `__getattr__`): `machine`'s library half loads the bus classes so,
    /// on first use (`lib/machine.py`). `None`: neither. `m` and `name`
    /// must be rooted. Only a native
    /// module's library half is asked so ([`Vm::library_half_attr`]): a
    /// program's own module with a `__getattr__` is not (CPython's is),
    /// which would cost every board another 48 bytes of code.
    pub(crate) fn module_attr_or_hook(
        &mut self,
        host: &mut Hx<'_>,
        m: Value,
        name: Value,
    ) -> R<Option<Value>> {
        if let Some(v) = self.module_attr(m, name) {
            return Ok(Some(v));
        }
        // `dunder` may allocate: the caller roots `m` and `name`.
        let hook = self.dunder(super::Dunder::GetAttr)?;
        match self.module_attr(m, hook) {
            Some(f) => self.call_nested(host, f, &[name]).map(Some),
            None => Ok(None),
        }
    }

    /// The globals dict of module object `m`.
    pub(crate) fn module_globals(&self, m: Value) -> Value {
        self.heap.v(m.word() + GLOBALS)
    }

    /// The name (str) of module object `m`.
    pub(crate) fn module_name(&self, m: Value) -> Value {
        self.heap.v(m.word() + NAME)
    }
}
