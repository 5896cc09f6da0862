//! Frames live on the heap (stackless: a Python call never recurses on the
//! Rust stack).
//!
//! ```text
//! word  field
//!  0    header (tag FRAME)
//!  1    IP       r  next instruction, a code address (arena byte index;
//!                   above the arena: the flash view, see `code_space`)
//!  2    OPC      r  instruction in flight (tracebacks, handler search)
//!  3    SP       r  next free stack slot, absolute word index
//!  4    CODE     r  absolute byte index of the bytecode
//!  5    INFO     r  code index | flags << 16 | nlocals << 24
//!  6    BACK     v  calling frame (NULL: bottom)
//!  7    FUNC     v  the function (NULL: module code)
//!  8    IMAGE    v  the image the code belongs to
//!  9    GLOBALS  v  globals dict
//! 10    NAMES    v  the image's name table (ARRAY of str)
//! 11    CONSTS   v  the image's constant table (ARRAY)
//! 12    NS       v  a class body's namespace dict (NULL: names are globals)
//! 13    locals[nlocals], then the value stack (max_stack slots)
//! ```
//!
//! The blocks are scanned from `BACK` to `SP`: the stack above `SP` holds
//! stale words the collector must not follow (so a new frame's stack is
//! not zeroed). The SP/IP of the current frame live in [`Vm`] fields and
//! are written back whenever control leaves the frame (and SP before every
//! collection). The handler table is not cached in the frame: only an
//! exception needs it, and [`Vm::find_handler`] reads the code record then.
//!
//! Frames of returning calls are freed at once (they are never shared)
//! unless a generator owns them.

use super::{Raised, Vm, R};
use crate::heap::Value;
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::image::{code_flags, read_varint16, CodeHeader, CODE_HEADER_MAX, HEADER_LEN};
use p14p_protocol::msg::TraceEntry;

/// Next instruction.
pub const IP: usize = 1;
/// Instruction in flight.
pub const OPC: usize = 2;
/// Stack pointer.
pub const SP: usize = 3;
/// Bytecode start.
pub const CODE: usize = 4;
/// Code index, flags, nlocals.
pub const INFO: usize = 5;
/// Caller.
pub const BACK: usize = 6;
/// Function.
pub const FUNC: usize = 7;
/// Image.
pub const IMAGE: usize = 8;
/// Globals.
pub const GLOBALS: usize = 9;
/// Name table.
pub const NAMES: usize = 10;
/// Constant table.
pub const CONSTS: usize = 11;
/// Class-body namespace.
pub const NS: usize = 12;
/// First local.
pub const LOCALS: usize = 13;

// The runs read or written through one bounds check
// ([`crate::heap::Heap::words`]) must stay adjacent.
const _: () = assert!(OPC == IP + 1 && SP == IP + 2 && BACK == INFO + 1);
const _: () = assert!(super::image::CONSTS == super::image::NAMES + 1);
const _: () = assert!(crate::obj::func::F_GLOBALS == crate::obj::func::F_IMAGE + 1);

/// Frame flags (INFO bits 16..24).
pub mod flag {
    /// Owned by a generator: not freed on return.
    pub const GEN: u32 = 1;
    /// Returning from (or raising out of) it ends the dispatch loop.
    pub const BOUNDARY: u32 = 2;
    /// The generator is running.
    pub const RUNNING: u32 = 4;
    /// The generator has finished.
    pub const DONE: u32 = 8;
    /// The generator has started.
    pub const STARTED: u32 = 16;
    /// An `__init__` call: its return value is dropped, the instance the
    /// caller left below the arguments is the call's result.
    pub const CTOR: u32 = 32;
}

/// A code record's header fields, read from the image.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// Code index.
    pub index: u16,
    /// Flags.
    pub flags: u16,
    /// Positional parameters.
    pub argcount: u8,
    /// Positional-only parameters.
    pub posonly: u8,
    /// Keyword-only parameters.
    pub kwonly: u8,
    /// Local slots.
    pub nlocals: u8,
    /// Cell table entries.
    pub ncells: u8,
    /// Free variables.
    pub nfree: u8,
    /// Stack size.
    pub max_stack: u16,
    /// Names index of the name.
    pub name: u16,
    /// Absolute byte index of the cell table.
    pub cells: usize,
    /// Absolute byte index of the handler table (the slot names follow
    /// it: [`Vm::slot_name_index`]).
    pub handlers: usize,
    /// Absolute byte index of the bytecode.
    pub code: usize,
    /// Bytecode length.
    pub code_len: usize,
    /// Handler count.
    pub n_handlers: usize,
}

impl CodeInfo {
    /// Parameter slots: positional, keyword-only, `*args`, `**kwargs`.
    pub fn param_slots(&self) -> usize {
        self.argcount as usize
            + self.kwonly as usize
            + usize::from(self.flags & code_flags::VARARGS != 0)
            + usize::from(self.flags & code_flags::VARKW != 0)
    }
}

impl Vm<'_> {
    /// `locals()` of the calling frame: a class body's namespace; module
    /// code's globals; in a function (`names`: its slots' names, a tuple
    /// the compiler passes, since the image names only parameters) a new
    /// dict of every bound slot, cells and free variables read through,
    /// as CPython's snapshot.
    pub(crate) fn locals(&mut self, names: Option<Value>) -> R<Value> {
        let f = self.fp;
        let ns = self.heap.v(f + NS);
        if !ns.is_null() {
            return Ok(ns);
        }
        let Some(names) = names.filter(|n| self.is(*n, tag::TUPLE)) else {
            return Ok(self.heap.v(f + GLOBALS));
        };
        let nlocals = (self.heap.w(f + INFO) >> 24) as usize;
        let n = (self.heap.w(names.word() + 1) as usize).min(nlocals);
        let d = self.dict_new(n)?;
        let mark = self.root(d);
        let r = (0..n).try_for_each(|i| {
            let mut v = self.heap.v(f + LOCALS + i);
            if self.is(v, tag::CELL) {
                v = self.heap.v(v.word() + 1);
            }
            if v.is_null() {
                return Ok(());
            }
            let k = self.heap.v(names.word() + 2 + i);
            self.dict_set(d, k, v)
        });
        self.unroot(mark);
        r.map(|()| d)
    }

    /// The bytes a code address lies in, and its index there. Code
    /// addresses below the arena's byte length are arena bytes (images
    /// received into the heap); the ones above index the port's flash view
    /// (images executing in place, see [`super::image`]), and above
    /// [`super::frozen::FROZEN_AT`] past it the frozen library.
    #[inline]
    pub(crate) fn code_space(&self, at: usize) -> (&[u8], usize) {
        let arena = self.heap.bytes();
        match at.checked_sub(arena.len()) {
            None => (arena, at),
            Some(i) => super::frozen::far_space(self.flash, i),
        }
    }

    /// The byte at code address `at`. Out of line: its callers (image
    /// materializing, cells, generators) are off the fetch loop, which
    /// reads its own code words.
    #[inline(never)]
    pub(crate) fn code_byte(&self, at: usize) -> u8 {
        let (b, i) = self.code_space(at);
        b[i]
    }

    /// Little-endian u16 at code address `at` (arena or flash). Out of
    /// line, as [`Vm::code_byte`].
    #[inline(never)]
    pub(crate) fn u16_at(&self, at: usize) -> u16 {
        let (b, i) = self.code_space(at);
        u16::from_le_bytes([b[i], b[i + 1]])
    }

    /// Little-endian u32 at code address `at` (arena or flash).
    pub(crate) fn u32_at(&self, at: usize) -> u32 {
        let (b, i) = self.code_space(at);
        u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
    }

    /// The varint at code address `*at` (arena or flash), moving `*at`
    /// past it. Out of line, as [`Vm::code_byte`]; 0 past the end (the
    /// verifier proved the tables it reads well-formed).
    #[inline(never)]
    pub(crate) fn varint_at(&self, at: &mut usize) -> usize {
        let (b, i) = self.code_space(*at);
        let mut j = i;
        let v = read_varint16(b, &mut j).unwrap_or(0);
        *at += j - i;
        v as usize
    }

    /// Reads code record `index` of the (verified) image block `image`.
    /// On every call: decodes the record header from one slice (one bounds
    /// check, not one per byte).
    pub(crate) fn code_info(&self, image: Value, index: u16) -> CodeInfo {
        let base = self.image_base(image);
        let off = base + self.u16_at(base + HEADER_LEN + 2 * index as usize) as usize;
        let (b, i) = self.code_space(off);
        // The header alone, so that a record at the very end of the space
        // still reads (a shorter slice only if the space ends first).
        let end = b.len().min(i + CODE_HEADER_MAX);
        let h = b
            .get(i..end)
            .and_then(|s| CodeHeader::read(s, 0).ok())
            .unwrap_or_default();
        let cells = off + h.len as usize;
        let code = cells + h.ncells as usize;
        CodeInfo {
            index,
            flags: h.flags,
            argcount: h.argcount,
            posonly: h.posonly,
            kwonly: h.kwonly,
            nlocals: h.nlocals,
            ncells: h.ncells,
            nfree: h.nfree,
            max_stack: h.max_stack,
            name: h.name,
            cells,
            handlers: code + h.code_len as usize,
            code,
            code_len: h.code_len as usize,
            n_handlers: h.n_handlers as usize,
        }
    }

    /// Names index of parameter slot `j` of `ci` (`j < ci.param_slots()`,
    /// the named slots): the slot names follow the handler
    /// table, both varints, walked (error messages and keyword binding,
    /// off the fast call path).
    pub(crate) fn slot_name_index(&self, ci: &CodeInfo, j: usize) -> usize {
        let mut at = ci.handlers;
        for _ in 0..4 * ci.n_handlers + j {
            self.varint_at(&mut at);
        }
        self.varint_at(&mut at)
    }

    /// Fills the code fields of the new FUNC block `w` for code record
    /// `index` of `image` (an index the verifier checked): the record is
    /// decoded here, once, for every later call.
    pub(crate) fn func_init(&mut self, w: usize, image: Value, index: u16) {
        use crate::obj::func::{shape, F_CODE, F_ENTRY, F_FAST, F_IMAGE, F_SHAPE};
        let ci = self.code_info(image, index);
        let slow = code_flags::GENERATOR | code_flags::VARARGS | code_flags::VARKW;
        let fast = ci.flags & slow == 0 && ci.kwonly == 0 && ci.ncells == 0 && ci.nfree == 0;
        let h = &mut self.heap;
        h.set(w + F_CODE, index as u32 | if fast { F_FAST } else { 0 });
        h.set(w + F_ENTRY, ci.code as u32);
        h.set(w + F_SHAPE, shape(ci.argcount, ci.nlocals, ci.max_stack));
        h.setv(w + F_IMAGE, image);
    }

    /// Allocates and fills a frame for `ci` (locals empty, stack empty).
    /// The caller's state must already be saved (a collection may run).
    pub(crate) fn new_frame(
        &mut self,
        ci: &CodeInfo,
        image: Value,
        func: Value,
        globals: Value,
    ) -> R<usize> {
        let nl = ci.nlocals as usize;
        let f = self.frame_alloc(nl, ci.max_stack as usize, 0)?;
        self.frame_fill(f, ci.code, ci.index as u32, nl, func, image, globals);
        Ok(f)
    }

    /// Allocates a frame block for `nlocals` locals and `max_stack` stack
    /// slots. Locals from `first_null` on are NULL (the caller binds the
    /// ones below); header and stack are left for [`Vm::frame_fill`] and
    /// the code (the collector reads neither the stack above `SP` nor, as
    /// no collection runs before the fill, the header).
    #[inline(always)]
    pub(crate) fn frame_alloc(
        &mut self,
        nlocals: usize,
        max_stack: usize,
        first_null: usize,
    ) -> R<usize> {
        let words = LOCALS + nlocals + max_stack;
        let zero = LOCALS + first_null..LOCALS + nlocals;
        if let Ok(w) = self.heap.alloc_part(tag::FRAME, words, zero.clone()) {
            return Ok(w);
        }
        self.frame_alloc_gc(words, zero)
    }

    /// [`Vm::frame_alloc`] after a failed allocation: collects (unless
    /// `gc.disable()`d), then tries once more. Frames are not counted
    /// against `gc.threshold()`: freed on return, they make no garbage
    /// (MicroPython's live on the C stack, outside its count too).
    #[inline(never)]
    fn frame_alloc_gc(&mut self, words: usize, zero: core::ops::Range<usize>) -> R<usize> {
        match self.alloc_after_gc(&mut |heap| heap.alloc_part(tag::FRAME, words, zero.clone())) {
            Ok(w) => Ok(w),
            Err(_) => Err(self.raise_oom()),
        }
    }

    /// Fills the header of frame `f` (from [`Vm::frame_alloc`]): entry at
    /// code address `code`, no flags, empty stack, no caller yet.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn frame_fill(
        &mut self,
        f: usize,
        code: usize,
        index: u32,
        nlocals: usize,
        func: Value,
        image: Value,
        globals: Value,
    ) {
        let info = index | ((nlocals as u32) << 24);
        self.frame_header(f, code, info, Value::NULL, func, image, globals);
    }

    /// Writes the whole header of frame `f` (`IP` to `NS`) in one go: entry
    /// at `code`, `info` as the `INFO` word, empty stack, caller `back`.
    /// The header is one run of words inside the block (every frame block
    /// has at least `LOCALS` words), so it is written through a single
    /// bounds check.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn frame_header(
        &mut self,
        f: usize,
        code: usize,
        info: u32,
        back: Value,
        func: Value,
        image: Value,
        globals: Value,
    ) {
        let iw = image.word();
        let [names, consts] = match self.heap.words::<2>(iw + super::image::NAMES) {
            Some(&t) => t,
            None => [0; 2],
        };
        let sp = (f + LOCALS + (info >> 24) as usize) as u32;
        let code = code as u32;
        if let Some(h) = self.heap.words_mut::<{ LOCALS - 1 }>(f + IP) {
            *h = [
                code,
                code,
                sp,
                code,
                info,
                back.0,
                func.0,
                image.0,
                globals.0,
                names,
                consts,
                Value::NULL.0,
            ];
        }
    }

    /// Allocates, fills and enters the frame of a call that binds nothing
    /// but `n` positional arguments at arena `args` (the exact-positional
    /// fast path, see [`crate::obj::func::F_FAST`]): the caller's registers
    /// are saved with `SP` cut to `ret` (or the frame is a boundary), the
    /// arguments become the first locals, and the new frame's registers
    /// are set from the values just written instead of read back.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(crate) fn enter_fast(
        &mut self,
        func: Value,
        code: usize,
        index: u32,
        nlocals: usize,
        max_stack: usize,
        args: usize,
        n: usize,
        ret: Option<usize>,
    ) -> R<()> {
        if self.depth >= self.config.recursion_limit {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        // The arguments stay reachable during the allocation: they are on
        // the caller's stack below `sp` (or in a rooted tuple).
        let f = self.frame_alloc(nlocals, max_stack, n)?;
        let fw = func.word();
        let (image, globals) = match self.heap.words::<2>(fw + crate::obj::func::F_IMAGE) {
            Some(&[i, g]) => (Value(i), Value(g)),
            None => (Value::NULL, Value::NULL),
        };
        let flags = match ret {
            Some(slot) => {
                self.sp = slot;
                0
            }
            None => flag::BOUNDARY,
        };
        let info = index | flags << 16 | (nlocals as u32) << 24;
        let back = if self.fp == 0 {
            Value::NULL
        } else {
            Value::obj(self.fp)
        };
        self.frame_header(f, code, info, back, func, image, globals);
        // `n == argcount <= param_slots() <= nlocals` (the verifier's
        // `code::check_header`), so the arguments fit the locals; they
        // lie below the caller's `sp` (dispatch) or in a rooted tuple.
        // A word loop, not `copy_within`: `n` is a handful of words, less
        // than a call to `memmove` costs. Through a local slice (its
        // bounds stay in registers across the stores), one checked word
        // at a time: the compiler does not widen that into a vector copy
        // whose set-up costs more than the usual one or two words.
        let arena: &mut [u32] = &mut *self.heap.arena;
        for i in 0..n {
            if let Some(&v) = arena.get(args + i) {
                if let Some(d) = arena.get_mut(f + LOCALS + i) {
                    *d = v;
                }
            }
        }
        self.save_frame();
        self.depth += 1;
        self.fp = f;
        self.ip = code;
        self.op_ip = code;
        self.sp = f + LOCALS + nlocals;
        Ok(())
    }

    /// Frame flags.
    #[inline]
    pub(crate) fn frame_flags(&self, f: usize) -> u32 {
        (self.heap.w(f + INFO) >> 16) & 0xFF
    }

    /// Sets frame flags.
    pub(crate) fn set_frame_flags(&mut self, f: usize, flags: u32) {
        let i = self.heap.w(f + INFO);
        self.heap
            .set_hot(f + INFO, (i & !(0xFF << 16)) | (flags << 16));
    }

    /// Number of locals.
    #[inline]
    pub(crate) fn frame_nlocals(&self, f: usize) -> usize {
        (self.heap.w(f + INFO) >> 24) as usize
    }

    /// Saves the current frame's registers.
    #[inline]
    pub(crate) fn save_frame(&mut self) {
        let f = self.fp;
        if f != 0 {
            // IP, OPC, SP are adjacent: one bounds check.
            if let Some(r) = self.heap.words_mut::<3>(f + IP) {
                *r = [self.ip as u32, self.op_ip as u32, self.sp as u32];
            }
        }
    }

    /// Makes `f` current, loading its registers.
    #[inline]
    pub(crate) fn load_frame(&mut self, f: usize) {
        self.fp = f;
        if f != 0 {
            if let Some(&[ip, opc, sp]) = self.heap.words::<3>(f + IP) {
                self.ip = ip as usize;
                self.op_ip = opc as usize;
                self.sp = sp as usize;
            }
        }
    }

    /// Links frame `f` above the current one and makes it current.
    pub(crate) fn push_frame(&mut self, f: usize) -> R<()> {
        if self.depth >= self.config.recursion_limit {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        self.depth += 1;
        self.save_frame();
        let back = if self.fp == 0 {
            Value::NULL
        } else {
            Value::obj(self.fp)
        };
        self.heap.set_hot(f + BACK, back.0);
        self.load_frame(f);
        Ok(())
    }

    /// `return v` from a frame with no flags (a plain call from this
    /// dispatch loop: not a generator, boundary or constructor, so its
    /// caller is the frame below): frees the frame, makes the caller
    /// current and pushes `v` there. False (nothing done) for any other
    /// frame, which takes [`Vm::pop_frame`] and the flag handling.
    #[inline(always)]
    pub(crate) fn return_fast(&mut self, v: Value) -> bool {
        let f = self.fp;
        let (info, back) = match self.heap.words::<2>(f + INFO) {
            Some(&[i, b]) => (i, Value(b)),
            None => return false,
        };
        if info & (0xFF << 16) != 0 || !back.is_obj() {
            return false;
        }
        self.depth = self.depth.saturating_sub(1);
        self.heap.free(f);
        self.load_frame(back.word());
        self.push(v);
        true
    }

    /// Leaves the current frame (freeing it unless a generator owns it) and
    /// makes the caller current. Returns the left frame's flags.
    pub(crate) fn pop_frame(&mut self) -> u32 {
        let f = self.fp;
        // INFO and BACK are adjacent: one bounds check.
        let (info, back) = match self.heap.words::<2>(f + INFO) {
            Some(&[i, b]) => (i, Value(b)),
            None => (0, Value::NULL),
        };
        let flags = (info >> 16) & 0xFF;
        self.depth = self.depth.saturating_sub(1);
        if flags & flag::GEN == 0 {
            self.heap.free(f);
        } else {
            self.save_frame();
            self.heap.set_hot(f + BACK, Value::NULL.0);
        }
        self.load_frame(if back.is_obj() { back.word() } else { 0 });
        flags
    }

    /// Pushes the module frame of `image` as a boundary frame.
    pub(crate) fn enter_module(&mut self, image: Value) -> R<()> {
        let ci = self.code_info(image, 0);
        let globals = self.globals;
        if globals.is_null() {
            return Err(self.raise_oom());
        }
        let f = self.new_frame(&ci, image, Value::NULL, globals)?;
        self.set_frame_flags(f, flag::BOUNDARY);
        self.push_frame(f)
    }

    /// The traceback entry for frame `f`.
    pub(crate) fn frame_entry(&self, f: usize) -> TraceEntry {
        let image = self.heap.v(f + IMAGE);
        let hash = if image.is_obj() {
            self.heap.w(image.word() + super::image::HASH)
        } else {
            0
        };
        let code = self.heap.w(f + CODE) as usize;
        let opc = self.heap.w(f + OPC) as usize;
        TraceEntry {
            image: hash,
            code: (self.heap.w(f + INFO) & 0xFFFF) as u16,
            pc: opc.saturating_sub(code) as u16,
        }
    }

    /// Searches the handler table of the current frame for `pc`
    /// (absolute); returns `(target, depth)` as absolute byte / word indices.
    pub(crate) fn find_handler(&self, f: usize, opc: usize) -> Option<(usize, usize)> {
        let image = self.heap.v(f + IMAGE);
        let ci = self.code_info(image, (self.heap.w(f + INFO) & 0xFFFF) as u16);
        let code = ci.code;
        let mut at = ci.handlers;
        let n = ci.n_handlers;
        let pc = opc.checked_sub(code)?;
        for _ in 0..n {
            let start = self.varint_at(&mut at);
            let end = self.varint_at(&mut at);
            let target = self.varint_at(&mut at);
            let depth = self.varint_at(&mut at);
            if start <= pc && pc < end {
                let base = f + LOCALS + self.frame_nlocals(f);
                return Some((code + target, base + depth));
            }
        }
        None
    }

    /// MemoryError without allocating.
    pub(crate) fn raise_oom(&mut self) -> Raised {
        self.raise_bare(T::MemoryError)
    }

    /// Raises the bare class `t` (no message), without allocating: for
    /// where the heap is full or must not change.
    #[inline(never)]
    pub(crate) fn raise_bare(&mut self, t: T) -> Raised {
        self.exc = t.value();
        self.tb_reset();
        Raised
    }
}
