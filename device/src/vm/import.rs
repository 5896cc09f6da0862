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
//! **Cycles.** The module is registered *before* its body runs: `a`
//! importing `b` importing `a` gets the partly initialised `a`, as in
//! CPython. A body that raises leaves its partial module registered;
//! loading a new image of the same name drops the cached module, so the
//! next import runs the new body.

use super::frame::flag;
use super::{Vm, R};
use crate::heap::Value;
use crate::machine::Host;
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;

/// Module name.
pub const NAME: usize = 1;
/// Module globals.
pub const GLOBALS: usize = 2;

impl Vm<'_> {
    /// `IMPORT_NAME`: pushes the module called `name`, or pushes it and
    /// enters its body (which leaves it as the result when it returns).
    pub(crate) fn import(&mut self, _host: &mut dyn Host, name: Value) -> R<()> {
        if let Some(m) = self.loaded_module(name) {
            self.push(m);
            return Ok(());
        }
        if let Some(m) = crate::builtins::machine::module(self.str_bytes(name)) {
            self.push(m);
            return Ok(());
        }
        let Some(image) = self.module_image(name) else {
            return self.raise_v(T::ImportError, ErrMsg::NoModule, name);
        };
        let g = self.dict_new(0)?;
        let mark = self.root(g);
        let w = self.alloc(tag::MODULE, 3)?;
        self.unroot(mark);
        self.heap.setv(w + NAME, name);
        self.heap.setv(w + GLOBALS, g);
        let m = Value::obj(w);
        // On the stack from here: the module (and its globals) are rooted
        // and it is the instruction's result.
        self.push(m);
        let key = self.str_from_bytes(b"__name__")?;
        self.dict_set(g, key, name)?;
        if self.loaded.is_null() {
            self.loaded = self.dict_new(0)?;
        }
        self.dict_set(self.loaded, name, m)?;
        let ci = self.code_info(image, 0);
        self.save_frame();
        let f = self.new_frame(&ci, image, Value::NULL, g)?;
        self.set_frame_flags(f, flag::CTOR);
        self.push_frame(f)
    }

    /// The cached module called `name`.
    fn loaded_module(&self, name: Value) -> Option<Value> {
        if self.loaded.is_null() {
            return None;
        }
        self.dict_get_h(self.loaded, name, self.str_hash(name))
    }

    /// The ready named image for module `name`.
    fn module_image(&self, name: Value) -> Option<Value> {
        self.modules.iter().copied().find(|m| {
            m.is_obj()
                && self.heap.w(m.word() + super::image::READY) == 1
                && self.str_eq(self.heap.v(m.word() + super::image::MODNAME), name)
        })
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

    /// The globals dict of module object `m`.
    pub(crate) fn module_globals(&self, m: Value) -> Value {
        self.heap.v(m.word() + GLOBALS)
    }

    /// The name (str) of module object `m`.
    pub(crate) fn module_name(&self, m: Value) -> Value {
        self.heap.v(m.word() + NAME)
    }
}
