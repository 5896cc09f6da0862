//! `eval` and `exec`. The device carries no compiler: it asks the host
//! that started the run to compile the source (protocol 13,
//! `Reply::Compile`), pulls the image chunk by chunk into a heap block
//! (`Command::Code`, as `input()` pulls a line), verifies it as any image
//! from the host, and runs its module body in a nested loop, in the
//! namespaces CPython would use:
//!
//! - `globals`: the dict given, else the caller's;
//! - `locals`: the dict given; else the caller's namespace, which is
//!   the globals at module level and a class body's namespace. In a
//!   function the compiler passes `globals()` and `locals()` itself
//!   (a snapshot of the slots, as CPython's), since a frame has no dict.
//!
//! The host compiles the module's names by name (`LOAD_NAME`: the locals
//! dict, then the globals, then the builtins), and an `eval` body returns
//! its expression's value. The image is registered nowhere: it lives
//! while its frame or a function it made refers to it, so a loop of
//! `eval`s leaves no garbage. With no host (a stored main at boot) the
//! call raises `RuntimeError`.

use super::frame::{flag, GLOBALS, NS};
use super::{Vm, R};
use crate::heap::Value;
use crate::machine::Hx;
use crate::obj::{tag, T};
use crate::vm::call::Args;
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::image::MAGIC;
use p14p_protocol::msg::{Command, DeviceError};

impl Vm<'_> {
    /// `eval(source, globals=None, locals=None)` (`eval`) or `exec(…)`.
    // Out of line, as its two helpers: 32 bytes less than inlined into
    // `funcs::call` (LM3S6965).
    #[inline(never)]
    pub(crate) fn eval_exec(&mut self, host: &mut Hx<'_>, a: &Args, eval: bool) -> R<Value> {
        let src = self.arg(a, 0);
        let opt = |vm: &Vm, i: usize| if a.n > i { vm.arg(a, i) } else { Value::NONE };
        let (globals, locals) = (opt(self, 1), opt(self, 2));
        let dict_or_none = |vm: &Vm, d: Value| d == Value::NONE || vm.is(d, tag::DICT);
        if !self.is_str(src) || !dict_or_none(self, globals) || !dict_or_none(self, locals) {
            let name = if eval { "eval" } else { "exec" };
            return self.raise_s(T::TypeError, ErrMsg::ArgType, name.as_bytes());
        }
        let g = if globals == Value::NONE {
            self.heap.v(self.fp + GLOBALS)
        } else {
            globals
        };
        // NULL: the globals.
        let ns = match (globals, locals) {
            (Value::NONE, Value::NONE) => self.heap.v(self.fp + NS),
            (_, Value::NONE) => Value::NULL,
            _ => locals,
        };
        let image = self.compiled(host, src, eval)?;
        let m = self.root(image);
        let r = self.run_body(host, image, g, ns);
        self.unroot(m);
        r.map(|v| if eval { v } else { Value::NONE })
    }

    /// The host's image for `src`, loaded and verified, registered nowhere.
    #[inline(never)]
    fn compiled(&mut self, host: &mut Hx<'_>, src: Value, eval: bool) -> R<Value> {
        let mut buf = [0u8; Command::CODE_MAX];
        let (mut off, mut len) = (0u32, 0u32);
        loop {
            let source = if off == 0 { self.str_bytes(src) } else { &[] };
            let Some(n) = host.compile(eval, off, source, &mut buf) else {
                self.pending = Value::NULL;
                return self.raise(T::KeyboardInterrupt, ErrMsg::Interrupted);
            };
            let chunk = buf.get(..n).unwrap_or_default();
            if off == 0 {
                if n == 0 {
                    let why = b"eval and exec need the host to compile";
                    return self.raise_s(T::RuntimeError, ErrMsg::Custom, why);
                }
                // The image header's length and hash; anything else is
                // the host's `SyntaxError` text.
                let word = |i: usize| chunk.get(i..i + 4).map(|b| [b[0], b[1], b[2], b[3]]);
                let (Some(l), Some(hash), true) = (word(8), word(12), chunk.starts_with(&MAGIC))
                else {
                    return self.raise_s(T::SyntaxError, ErrMsg::Custom, chunk);
                };
                len = u32::from_le_bytes(l);
                if self
                    .begin_image(len, u32::from_le_bytes(hash), None)
                    .is_err()
                {
                    return Err(self.raise_oom());
                }
            }
            // An empty chunk (the host lost its answer), one past the
            // length, or an image the verifier refuses.
            if n == 0 || self.write_image(off, chunk).is_err() {
                break;
            }
            off += n as u32;
            if off >= len {
                let image = self.pending;
                match self.end_pending(false) {
                    Ok(_) => return Ok(image),
                    Err(DeviceError::NoMemory) => return Err(self.raise_oom()),
                    Err(_) => break,
                }
            }
        }
        self.pending = Value::NULL;
        self.raise(T::RuntimeError, ErrMsg::BadHostCode)
    }

    /// Runs `image`'s module body with `globals` and namespace `ns` (NULL:
    /// the globals) in a nested loop; its return value.
    #[inline(never)]
    fn run_body(&mut self, host: &mut Hx<'_>, image: Value, g: Value, ns: Value) -> R<Value> {
        if self.nest_full() {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        let ci = self.code_info(image, 0);
        self.save_frame();
        let f = self.new_frame(&ci, image, Value::NULL, g)?;
        self.heap.setv(f + NS, ns);
        self.set_frame_flags(f, flag::BOUNDARY);
        self.push_frame(f)?;
        self.nest += 1;
        let r = self.execute(host);
        self.nest -= 1;
        r
    }
}
