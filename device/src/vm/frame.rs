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
//!  6    HANDLERS r  absolute byte index of the handler table
//!  7    NHAND    r  handler count
//!  8    BACK     v  calling frame (NULL: bottom)
//!  9    FUNC     v  the function (NULL: module code)
//! 10    IMAGE    v  the image the code belongs to
//! 11    GLOBALS  v  globals dict
//! 12    NAMES    v  the image's name table (ARRAY of str)
//! 13    CONSTS   v  the image's constant table (ARRAY)
//! 14    NS       v  a class body's namespace dict (NULL: names are globals)
//! 15    locals[nlocals], then the value stack (max_stack slots)
//! ```
//!
//! The blocks are scanned from `BACK` to `SP`: the stack above `SP` holds
//! stale words the collector must not follow. The SP/IP of the current
//! frame live in [`Vm`] fields and are written back whenever control
//! leaves the frame (and SP before every collection).
//!
//! Frames of returning calls are freed at once (they are never shared)
//! unless a generator owns them.

use super::{Raised, Vm, R};
use crate::heap::Value;
use crate::obj::{tag, T};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::image::{code_flags, CODE_HEADER_LEN, HANDLER_LEN};
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
/// Handler table start.
pub const HANDLERS: usize = 6;
/// Handler count.
pub const NHAND: usize = 7;
/// Caller.
pub const BACK: usize = 8;
/// Function.
pub const FUNC: usize = 9;
/// Image.
pub const IMAGE: usize = 10;
/// Globals.
pub const GLOBALS: usize = 11;
/// Name table.
pub const NAMES: usize = 12;
/// Constant table.
pub const CONSTS: usize = 13;
/// Class-body namespace.
pub const NS: usize = 14;
/// First local.
pub const LOCALS: usize = 15;

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
    /// Absolute byte index of the slot-name table.
    pub slot_names: usize,
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
    /// The bytes a code address lies in, and its index there. Code
    /// addresses below the arena's byte length are arena bytes (images
    /// received into the heap); the ones above index the port's flash view
    /// (images executing in place, see [`super::image`]).
    #[inline(always)]
    pub(crate) fn code_space(&self, at: usize) -> (&[u8], usize) {
        let arena = self.heap.bytes();
        match at.checked_sub(arena.len()) {
            None => (arena, at),
            Some(i) => (self.flash, i),
        }
    }

    /// The byte at code address `at`.
    #[inline(always)]
    pub(crate) fn code_byte(&self, at: usize) -> u8 {
        let (b, i) = self.code_space(at);
        b[i]
    }

    /// Little-endian u16 at code address `at` (arena or flash).
    #[inline(always)]
    pub(crate) fn u16_at(&self, at: usize) -> u16 {
        let (b, i) = self.code_space(at);
        u16::from_le_bytes([b[i], b[i + 1]])
    }

    /// Little-endian u32 at code address `at` (arena or flash).
    pub(crate) fn u32_at(&self, at: usize) -> u32 {
        let (b, i) = self.code_space(at);
        u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
    }

    /// Reads code record `index` of the (verified) image block `image`.
    /// On every call: reads the record header as one slice (one bounds
    /// check, not one per byte).
    pub(crate) fn code_info(&self, image: Value, index: u16) -> CodeInfo {
        let base = self.image_base(image);
        let codes_off = self.u32_at(base + 32) as usize;
        let off = base + self.u32_at(base + codes_off + 4 * index as usize) as usize;
        let mut h = [0u8; CODE_HEADER_LEN];
        let (b, i) = self.code_space(off);
        if let Some(src) = b.get(i..i + CODE_HEADER_LEN) {
            h.copy_from_slice(src);
        }
        let u16_of = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]);
        let ncells = h[6];
        let nlocals = h[5];
        let cells = off + CODE_HEADER_LEN;
        let slot_names = cells + ncells as usize;
        let code = slot_names + 2 * nlocals as usize;
        CodeInfo {
            index,
            flags: u16_of(0),
            argcount: h[2],
            posonly: h[3],
            kwonly: h[4],
            nlocals,
            ncells,
            nfree: h[7],
            max_stack: u16_of(8),
            name: u16_of(10),
            cells,
            slot_names,
            code,
            code_len: u16_of(12) as usize,
            n_handlers: u16_of(14) as usize,
        }
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
        let words = LOCALS + nl + ci.max_stack as usize;
        let f = self.alloc(tag::FRAME, words)?;
        let h = &mut self.heap;
        h.set(f + IP, ci.code as u32);
        h.set(f + OPC, ci.code as u32);
        h.set(f + SP, (f + LOCALS + nl) as u32);
        h.set(f + CODE, ci.code as u32);
        h.set(f + INFO, ci.index as u32 | ((nl as u32) << 24));
        h.set(f + HANDLERS, (ci.code + ci.code_len) as u32);
        h.set(f + NHAND, ci.n_handlers as u32);
        h.setv(f + FUNC, func);
        h.setv(f + IMAGE, image);
        h.setv(f + GLOBALS, globals);
        let iw = image.word();
        let names = h.v(iw + super::image::NAMES);
        let consts = h.v(iw + super::image::CONSTS);
        h.setv(f + NAMES, names);
        h.setv(f + CONSTS, consts);
        Ok(f)
    }

    /// Frame flags.
    #[inline]
    pub(crate) fn frame_flags(&self, f: usize) -> u32 {
        (self.heap.w(f + INFO) >> 16) & 0xFF
    }

    /// Sets frame flags.
    pub(crate) fn set_frame_flags(&mut self, f: usize, flags: u32) {
        let i = self.heap.w(f + INFO);
        self.heap.set(f + INFO, (i & !(0xFF << 16)) | (flags << 16));
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
            self.heap.set(f + IP, self.ip as u32);
            self.heap.set(f + OPC, self.op_ip as u32);
            self.heap.set(f + SP, self.sp as u32);
        }
    }

    /// Makes `f` current, loading its registers.
    #[inline]
    pub(crate) fn load_frame(&mut self, f: usize) {
        self.fp = f;
        if f != 0 {
            self.ip = self.heap.w(f + IP) as usize;
            self.op_ip = self.heap.w(f + OPC) as usize;
            self.sp = self.heap.w(f + SP) as usize;
        }
    }

    /// Links frame `f` above the current one and makes it current.
    pub(crate) fn push_frame(&mut self, f: usize) -> R<()> {
        if self.depth >= self.config.recursion_limit {
            return self.raise(T::RecursionError, ErrMsg::RecursionDepth);
        }
        self.depth += 1;
        self.save_frame();
        self.heap.setv(f + BACK, Value::obj(self.fp));
        if self.fp == 0 {
            self.heap.setv(f + BACK, Value::NULL);
        }
        self.load_frame(f);
        Ok(())
    }

    /// Leaves the current frame (freeing it unless a generator owns it) and
    /// makes the caller current. Returns the left frame's flags.
    pub(crate) fn pop_frame(&mut self) -> u32 {
        let f = self.fp;
        let flags = self.frame_flags(f);
        let back = self.heap.v(f + BACK);
        self.depth = self.depth.saturating_sub(1);
        if flags & flag::GEN == 0 {
            self.heap.free(f);
        } else {
            self.save_frame();
            self.heap.setv(f + BACK, Value::NULL);
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
        let code = self.heap.w(f + CODE) as usize;
        let table = self.heap.w(f + HANDLERS) as usize;
        let n = self.heap.w(f + NHAND) as usize;
        let pc = opc.checked_sub(code)?;
        for i in 0..n {
            let at = table + i * HANDLER_LEN;
            let start = self.u16_at(at) as usize;
            let end = self.u16_at(at + 2) as usize;
            if start <= pc && pc < end {
                let target = self.u16_at(at + 4) as usize;
                let depth = self.u16_at(at + 6) as usize;
                let base = f + LOCALS + self.frame_nlocals(f);
                return Some((code + target, base + depth));
            }
        }
        None
    }

    /// MemoryError without allocating.
    pub(crate) fn raise_oom(&mut self) -> Raised {
        self.exc = T::MemoryError.value();
        self.tb_reset();
        Raised
    }
}
