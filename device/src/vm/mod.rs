//! The virtual machine: [`Vm`] owns the heap and the interpreter state and
//! implements [`Machine`] for the link.
//!
//! | module | what |
//! |--------|------|
//! | [`frame`]    | frame layout on the heap, entering and leaving frames |
//! | [`dispatch`] | the instruction loop |
//! | [`call`]     | calling functions, natives and types; argument binding |
//! | [`unwind`]   | raising, handler search, tracebacks |
//! | [`ops`]      | operators, comparisons, truth, subscripts, iteration |
//! | [`fmt`]      | `str()`/`repr()` rendering without allocation |
//! | [`image`]    | receiving, verifying and materializing images |
//! | [`import`]   | the module registry; running a module's body once |
//!
//! ## Errors
//! Every fallible operation returns [`R<T>`]; `Err(Raised)` means a Python
//! exception is in flight in [`Vm::exc`]. Native code propagates it with `?`.
//!
//! ## Temp roots
//! The collector knows the frames, their value stacks, globals, images and
//! the exception state. A native that holds a freshly allocated object in a
//! Rust local while allocating again MUST protect it first with
//! [`Vm::root`]: `let mark = self.root(v); … self.unroot(mark);`. Values
//! that are arguments on a value stack are already safe. The call layer
//! restores the temp-root depth after every native, so an early `?` return
//! cannot leak roots.

mod cache;
pub mod call;
pub mod dispatch;
mod eval;
pub mod fmt;
pub mod frame;
pub mod frozen;
pub mod image;
pub mod import;
mod nest;
pub mod ops;
mod percent;
#[cfg(feature = "soft-irq")]
mod soft;
pub mod unwind;

use crate::builtins::names;
use crate::heap::gc::Marker;
use crate::heap::{Heap, Value};
use crate::machine::{Clock, ExceptionReport, Host, Hx, Machine, RunOutcome, Traceback};
use crate::obj::T;
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::{DeviceError, HeapStats};

/// A pending Python exception: the exception value is in [`Vm::exc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raised;

/// Result of a fallible VM operation.
pub type R<T> = Result<T, Raised>;

/// VM tuning.
#[derive(Debug, Clone, Copy)]
pub struct VmConfig {
    /// Maximum Python call depth before `RecursionError`.
    pub recursion_limit: u16,
}

impl Default for VmConfig {
    fn default() -> Self {
        VmConfig {
            recursion_limit: 1000,
        }
    }
}

/// Temp-root stack size.
const ROOTS: usize = 32;
/// Named module images held at once.
pub const MAX_MODULES: usize = 16;
/// Depth of nested dispatch loops (natives calling back into Python); a
/// port with a small stack also sets a floor ([`Vm::set_stack_floor`]).
pub const MAX_NEST: u8 = 8;
/// Traceback entries kept at each end (fewer on a small arena, see
/// [`Vm::start`]).
const TB_KEEP: usize = 8;
/// Instructions between interrupt polls.
pub const POLL_EVERY: u32 = 1024;
/// Bytes of an exception's detail kept for the report.
const DETAIL_MAX: usize = 96;
/// Bytes of an exception's class name the report gives.
const TYPE_MAX: usize = 32;

/// Special-method names the VM looks up in user classes. The first 13
/// follow [`p14p_protocol::opcode::BinOp`], the next 6
/// [`p14p_protocol::opcode::CmpOp`].
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub enum Dunder {
    Add,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
    MatMul,
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
    Init,
    Str,
    Repr,
    GetItem,
    SetItem,
    DelItem,
    Len,
    Iter,
    Next,
    Contains,
    Call,
    Enter,
    Exit,
    Cause,
    RAdd,
    RSub,
    RMul,
    RTrueDiv,
    RFloorDiv,
    RMod,
    RPow,
    RLShift,
    RRShift,
    RAnd,
    ROr,
    RXor,
    RMatMul,
    Bool,
    Neg,
    Pos,
    Invert,
    Abs,
    GetAttr,
    Hash,
    Context,
}

/// The special methods' names without their underscores (`add` for
/// `__add__`, [`Vm::dunder`] adds them), in [`Dunder`]'s order.
const DUNDER_LIST: [&str; 54] = [
    "add",
    "sub",
    "mul",
    "truediv",
    "floordiv",
    "mod",
    "pow",
    "lshift",
    "rshift",
    "and",
    "or",
    "xor",
    "matmul",
    "lt",
    "le",
    "eq",
    "ne",
    "gt",
    "ge",
    "init",
    "str",
    "repr",
    "getitem",
    "setitem",
    "delitem",
    "len",
    "iter",
    "next",
    "contains",
    "call",
    "enter",
    "exit",
    "cause",
    "radd",
    "rsub",
    "rmul",
    "rtruediv",
    "rfloordiv",
    "rmod",
    "rpow",
    "rlshift",
    "rrshift",
    "rand",
    "ror",
    "rxor",
    "rmatmul",
    "bool",
    "neg",
    "pos",
    "invert",
    "abs",
    "getattr",
    "hash",
    "context",
];
/// [`DUNDER_LIST`] as it is kept in flash.
const DUNDER_BLOB: [u8; names::blob_len(&DUNDER_LIST)] = names::blob(&DUNDER_LIST);
static DUNDERS: names::Packed<{ DUNDER_LIST.len() }> =
    names::Packed::pack(DUNDER_LIST, &DUNDER_BLOB);
/// The longest name in [`DUNDER_LIST`] fits [`Vm::dunder`]'s buffer.
const _: () = {
    let mut i = 0;
    while i < DUNDER_LIST.len() {
        assert!(DUNDER_LIST[i].len() + 4 <= 16);
        i += 1;
    }
};

/// The container methods, from `__getitem__` to `__contains__` (with
/// `__next__`), that the frozen library defines for builtin types
/// (`lib/special.py`; [`Vm::library_method`]): which of them `name` is.
pub(crate) fn container_dunder(name: &[u8]) -> Option<usize> {
    let inner = name.strip_prefix(b"__")?.strip_suffix(b"__")?;
    let first = Dunder::GetItem as usize;
    (0..7).find(|&k| DUNDERS.get(first + k).as_bytes() == inner)
}

impl Dunder {
    /// The method for binary operator `op` (without the in-place flag).
    pub fn binop(op: u8) -> Option<Dunder> {
        use Dunder::*;
        const OPS: [Dunder; 13] = [
            Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor, MatMul,
        ];
        OPS.get(op as usize).copied()
    }

    /// The reflected method for binary operator `op` (`__radd__`, …).
    pub fn rbinop(op: u8) -> Option<Dunder> {
        use Dunder::*;
        const OPS: [Dunder; 13] = [
            RAdd, RSub, RMul, RTrueDiv, RFloorDiv, RMod, RPow, RLShift, RRShift, RAnd, ROr, RXor,
            RMatMul,
        ];
        OPS.get(op as usize).copied()
    }

    /// The method for comparison `op`.
    pub fn cmpop(op: u8) -> Option<Dunder> {
        use Dunder::*;
        const OPS: [Dunder; 6] = [Lt, Le, Eq, Ne, Gt, Ge];
        OPS.get(op as usize).copied()
    }
}

/// The last uncaught exception, kept for [`Machine::exception_report`].
/// Not an `Option`: `None` would be a non-zero niche of [`ErrMsg`], and
/// [`Vm::unstarted`] is all zeros but its references.
struct Report {
    /// A report is kept (the rest is meaningless without).
    kept: bool,
    msg: ErrMsg,
    /// The exception's class ([`Vm::exc_class_value`]): the report names
    /// it when asked, so no copy of the name is kept.
    class: Value,
    /// `str(exc)` rendered when the run ended, a str in the heap (NULL:
    /// empty, or no room left for it). Rendered then, not when the report
    /// is read: the exception's args may change or die after the run.
    detail: Value,
    /// Entries of the report's traceback ([`Vm::tb`]'s first ones).
    tb_len: usize,
    elided: u16,
}

impl Report {
    /// No report.
    const NONE: Report = Report {
        kept: false,
        msg: ErrMsg::Custom,
        class: Value::NULL,
        detail: Value::NULL,
        tb_len: 0,
        elided: 0,
    };
}

/// The p14p virtual machine over a word arena.
///
/// `repr(C)`, in this order: the fields the instruction loop touches on
/// every instruction first, then the heap (its arena reference first),
/// then the big tables. Cortex-M's 16-bit loads and stores reach only
/// small offsets (words below 128 bytes, halfwords below 64, bytes below
/// 32): left to rustc, the tables came first and every `sp`/`fp`/arena
/// access took a 32-bit instruction.
#[repr(C)]
pub struct Vm<'a> {
    /// Next free value-stack slot (absolute word index).
    pub(crate) sp: usize,
    /// Current frame (block word index; 0: none).
    pub(crate) fp: usize,
    /// Next instruction (absolute byte index in the arena).
    pub(crate) ip: usize,
    /// Instruction being executed (absolute byte index).
    pub(crate) op_ip: usize,
    /// The exception being raised (valid while `Err(Raised)` propagates).
    pub(crate) exc: Value,
    pub(crate) fuel: u32,
    /// Python call depth.
    pub(crate) depth: u16,
    /// Nested dispatch loops running.
    pub(crate) nest: u8,
    /// Lowest stack address a nested dispatch loop may start at (0: no
    /// check); see [`nest`].
    #[cfg(feature = "stack-floor")]
    stack_floor: usize,
    /// Nested `iter_next` calls (wrapping iterators).
    pub(crate) iter_depth: u8,
    config: VmConfig,
    /// Traceback entries recorded (the entries are in [`Vm::tb`]).
    tb_count: u16,
    pub(crate) nroots: usize,
    /// The exception being handled (what a bare `raise` re-raises).
    pub(crate) handled: Value,
    /// `__main__` globals.
    pub(crate) globals: Value,
    /// Return value of the generator that finished last under a native.
    pub(crate) gen_value: Value,
    /// The port's memory-mapped view of the store flash ([`Vm::with_flash`];
    /// empty: images never execute in place).
    pub(crate) flash: &'a [u8],
    /// The heap.
    pub(crate) heap: Heap<'a>,
    /// Interned special-method names, made on first use ([`Dunder`]): a
    /// tuple in the heap of one slot per name (NULL until made), itself
    /// made on first use. In the heap, not here: 216 bytes of static RAM
    /// for a table most programs never fill.
    dunders: Value,
    program: Value,
    /// Named module images held ([`MAX_MODULES`] slots, NULL: free): a
    /// tuple in the heap made with the first one (NULL: none yet), not 64
    /// bytes of static RAM most programs leave empty.
    pub(crate) modules: Value,
    /// Imported modules: dict name → `MODULE` object (NULL: none yet).
    loaded: Value,
    pending: Value,
    pending_hash: u32,
    tb_last_fp: usize,
    /// Times collections, if the port lent one ([`Vm::with_clock`]).
    clock: Option<Clock>,
    /// Global and class-attribute lookup caches (their tables at the
    /// arena's end, carved off by [`Vm::start`]).
    pub(crate) cache: cache::Caches<'a>,
    /// The temp-root stack ([`Vm::root`]): [`ROOTS`] words carved off the
    /// arena's end by [`Vm::start`], like the caches' tables (empty before).
    roots: &'a mut [u32],
    /// Traceback entries ([`Traceback::pack`]ed), carved off the arena's
    /// end by [`Vm::start`] like the temp roots: while a run raises, the
    /// traceback being recorded ([`Vm::tb_record`]): the innermost frames
    /// in the first half, the outermost so far in the second; once the
    /// report is kept, its entries outermost first. `2 * TB_KEEP` of them,
    /// fewer on a small arena (none before the start).
    tb: &'a mut [[u32; 2]],
    report: Report,
}

impl<'a> Vm<'a> {
    /// A VM over `arena` (word-aligned; its size is the heap size).
    pub fn new(arena: &'a mut [u32], config: VmConfig) -> Vm<'a> {
        let mut vm = Vm::unstarted(arena);
        vm.start(config);
        vm
    }

    /// The VM over `arena` before [`Vm::start`]: all zeros but the arena
    /// and flash references, so a port writing it into a static slot
    /// (with the rest of its device, [`crate::Device::unstarted`]) gets a
    /// memory clear and a few stores there, not a VM-sized temporary on
    /// its boot stack or a VM-sized constant in flash. It runs nothing.
    /// The arrays are `const` blocks: an array repeat of a struct is built
    /// by a loop, into a temporary (`scripts/footprint.sh` lists frames).
    #[inline(always)]
    pub const fn unstarted(arena: &'a mut [u32]) -> Vm<'a> {
        Vm {
            heap: Heap::unstarted(arena),
            config: VmConfig { recursion_limit: 0 },
            fp: 0,
            ip: 0,
            op_ip: 0,
            sp: 0,
            depth: 0,
            nest: 0,
            #[cfg(feature = "stack-floor")]
            stack_floor: 0,
            iter_depth: 0,
            exc: Value::NULL,
            handled: Value::NULL,
            globals: Value::NULL,
            roots: &mut [],
            tb: &mut [],
            nroots: 0,
            gen_value: Value::NULL,
            dunders: Value::NULL,
            program: Value::NULL,
            modules: Value::NULL,
            loaded: Value::NULL,
            pending: Value::NULL,
            pending_hash: 0,
            fuel: 0,
            tb_count: 0,
            tb_last_fp: 0,
            report: Report::NONE,
            clock: None,
            flash: &[],
            cache: cache::Caches::new(),
        }
    }

    /// Starts an [`unstarted`](Vm::unstarted) VM in place: frees the whole
    /// heap and resets the VM's state, field by field. The clock and the
    /// flash view are kept, so a port may lend them before or after.
    pub fn start(&mut self, config: VmConfig) {
        self.config = config;
        // The temp roots, the traceback entries and the lookup caches'
        // tables come off the arena's end (once: a VM started again keeps
        // them): the heap is what is left (and what the manifest reports).
        let mut arena = core::mem::take(&mut self.heap.arena);
        if self.roots.is_empty() && arena.len() >= 2 * ROOTS {
            let (heap, roots) = arena.split_at_mut(arena.len() - ROOTS);
            self.roots = roots;
            arena = heap;
        }
        if self.tb.is_empty() {
            // At most a 32nd of the arena: one below 4 KiB keeps fewer
            // entries at each end (none below 128 words) for its heap,
            // where few frames fit anyway.
            let keep = TB_KEEP.min(arena.len() / 128);
            let (heap, tb) = arena.split_at_mut(arena.len() - 4 * keep);
            self.tb = tb.as_chunks_mut::<2>().0;
            arena = heap;
        }
        self.heap.arena = self.cache.carve(arena);
        self.reset();
    }

    /// Times every collection with `clock`, in place ([`Vm::with_clock`]).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = Some(clock);
    }

    /// Lends the VM the flash view, in place ([`Vm::with_flash`]).
    pub fn set_flash(&mut self, view: &'a [u8]) {
        self.flash = view;
    }

    /// Times every collection with `clock`: the heap figures then carry the
    /// total and the last collection time, and the manifest has
    /// [`p14p_protocol::version::feature::GC_TIME`].
    #[inline(always)]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Lends the VM the port's memory-mapped view of the store flash, so
    /// stored images execute in place ([`image`]): byte `a` of `view` is
    /// store flash address `a`. The port guarantees the bytes change only
    /// through the store's program and erase (never behind a borrow the
    /// compiler can see), and the store never erases a page pinned by an
    /// image the VM holds ([`crate::Machine::flash_pins`]).
    #[inline(always)]
    pub fn with_flash(mut self, view: &'a [u8]) -> Self {
        self.flash = view;
        self
    }

    /// Pushes a temp root; returns the depth to restore with [`Vm::unroot`].
    /// When the temp-root stack is full the value is not protected, so
    /// natives root at most a handful of values (the stack has 32 entries
    /// and nesting is bounded by [`MAX_NEST`]). Out of line: inlined at its
    /// ~160 call sites it cost ~1 KiB more code on Cortex-M.
    #[inline(never)]
    pub(crate) fn root(&mut self, v: Value) -> usize {
        let mark = self.nroots;
        if let Some(r) = self.roots.get_mut(mark) {
            *r = v.0;
            self.nroots = mark + 1;
        }
        mark
    }

    /// The interned str for a special-method name.
    pub(crate) fn dunder(&mut self, d: Dunder) -> R<Value> {
        let i = d as usize;
        if self.dunders.is_null() {
            self.dunders = self.tuple_new(DUNDER_LIST.len())?;
        }
        // Tuple items start at word 2 of the block.
        let at = self.dunders.word() + 2 + i;
        let v = self.heap.v(at);
        if !v.is_null() {
            return Ok(v);
        }
        let inner = DUNDERS.get(i).as_bytes();
        let mut name = [b'_'; 16];
        let n = inner.len() + 4;
        if let Some(mid) = name.get_mut(2..n - 2) {
            mid.copy_from_slice(inner);
        }
        let s = self.str_from_bytes(name.get(..n).unwrap_or_default())?;
        let at = self.dunders.word() + 2 + i;
        self.heap.setv(at, s);
        Ok(s)
    }

    /// The method `d` of the class of instance `v` (a Python function), if
    /// `v` is an instance of a user class that defines it.
    pub(crate) fn special(&mut self, v: Value, d: Dunder) -> R<Option<Value>> {
        if !self.is(v, crate::obj::tag::INST) && !self.is(v, crate::obj::tag::EXC) {
            return Ok(None);
        }
        let c = self.class_of(v);
        if !self.is(c, crate::obj::tag::CLASS) {
            return Ok(None);
        }
        let name = self.dunder(d)?;
        Ok(self
            .class_lookup(c, name)
            .filter(|f| self.is(*f, crate::obj::tag::FUNC)))
    }

    /// Temp root `i`.
    #[inline]
    pub(crate) fn root_at(&self, i: usize) -> Value {
        self.roots.get(i).map_or(Value::NONE, |&r| Value(r))
    }

    /// Replaces temp root `i` (an accumulator slot).
    #[inline]
    pub(crate) fn set_root(&mut self, i: usize, v: Value) {
        if let Some(r) = self.roots.get_mut(i) {
            *r = v.0;
        }
    }

    /// Temp-root stack capacity.
    pub(crate) fn roots_cap(&self) -> usize {
        self.roots.len()
    }

    /// Pops temp roots down to `mark`.
    #[inline]
    pub(crate) fn unroot(&mut self, mark: usize) {
        self.nroots = mark;
    }

    /// Allocates a block, collecting once if needed; `MemoryError` if the
    /// heap is still too full. `gc`'s policy applies (MicroPython's
    /// `gc_alloc`): a threshold reached collects first, and with automatic
    /// collection off a full heap raises without collecting.
    pub(crate) fn alloc(&mut self, tag: u32, words: usize) -> R<usize> {
        if self.heap.charge(words) {
            self.threshold_gc(words);
        }
        if let Ok(w) = self.heap.alloc(tag, words) {
            return Ok(w);
        }
        match self.alloc_after_gc(&mut |heap| heap.alloc(tag, words)) {
            Ok(w) => Ok(w),
            Err(_) => {
                // Raising must not allocate: the class alone is the exception.
                self.exc = T::MemoryError.value();
                self.tb_reset();
                Err(Raised)
            }
        }
    }

    /// Allocates a growing container's storage: `want` words if the heap
    /// has them (collecting once if needed), else at least `need` words.
    /// Under pressure a fragmented heap may lack a `want`-sized hole while
    /// a smaller one still holds the container, so growth degrades to small
    /// steps instead of failing. The caller reads the capacity it got from
    /// the block's size.
    pub(crate) fn alloc_grow(&mut self, tag: u32, need: usize, want: usize) -> R<usize> {
        // Charged before the allocation, as in `alloc`: a collection
        // after it would free the new block, referenced by nothing yet.
        if self.heap.charge(want) {
            self.threshold_gc(want);
        }
        if let Ok(w) = self.heap.alloc(tag, want) {
            return Ok(w);
        }
        if let Ok(w) = self.alloc_after_gc(&mut |heap| heap.alloc(tag, want)) {
            return Ok(w);
        }
        self.alloc(tag, need.min(want))
    }

    /// A collection because the words allocated since the last one reached
    /// `gc.threshold()` ([`Heap::charge`]); the `words` being allocated
    /// count after it.
    #[inline(never)]
    fn threshold_gc(&mut self, words: usize) {
        if self.heap.auto_collect() && self.heap.threshold() != crate::heap::NO_LIMIT {
            self.gc();
        }
        self.heap.recharge(words);
    }

    /// An allocation that failed, tried `again` after a collection (unless
    /// `gc.disable()` turned automatic collection off); if the heap is
    /// still too full, after a second one that also drops the library
    /// modules nothing else refers to ([`Vm::collect_all`]). Library
    /// modules in use between collections so stay loaded, and cost their
    /// heap only until a program needs the room.
    #[inline(never)]
    pub(crate) fn alloc_after_gc(
        &mut self,
        again: &mut dyn FnMut(&mut Heap) -> Result<usize, crate::heap::Oom>,
    ) -> Result<usize, crate::heap::Oom> {
        if self.heap.auto_collect() {
            self.gc();
            if let Ok(w) = again(&mut self.heap) {
                return Ok(w);
            }
            self.collect_all();
        }
        again(&mut self.heap)
    }

    /// A full collection over every root, timed with the port's clock.
    /// Loaded library modules stay, as every module does.
    pub(crate) fn gc(&mut self) {
        let start = self.clock.map(|now| now());
        self.mark_and_sweep();
        // Freed classes and names may come back as other objects.
        self.cache.classes_changed();
        if let (Some(now), Some(start)) = (self.clock, start) {
            let took = now().wrapping_sub(start);
            self.heap.gc_last_us = took;
            self.heap.gc_us = self.heap.gc_us.wrapping_add(u64::from(took));
        }
    }

    /// A full collection that first unregisters the stateless library
    /// modules ([`Vm::drop_library`]), so that it frees those nothing else
    /// refers to: `gc.collect()`, and an allocation that found the heap
    /// still full after [`Vm::gc`]. Their next use loads them again from
    /// flash.
    pub(crate) fn collect_all(&mut self) {
        self.drop_library();
        self.gc();
    }

    fn mark_and_sweep(&mut self) {
        if self.fp != 0 {
            // The current frame's live stack extent.
            self.heap.set(self.fp + frame::SP, self.sp as u32);
        }
        let mut m = Marker::default();
        let fixed = [
            self.exc,
            self.handled,
            self.gen_value,
            self.globals,
            self.program,
            self.loaded,
            self.pending,
            Value::obj(self.fp),
        ];
        for v in fixed {
            if v.0 != 0 {
                self.heap.mark(&mut m, v);
                self.heap.drain(&mut m);
            }
        }
        for i in 0..self.nroots {
            let v = self.root_at(i);
            self.heap.mark(&mut m, v);
            self.heap.drain(&mut m);
        }
        if self.report.kept {
            for v in [self.report.class, self.report.detail] {
                self.heap.mark(&mut m, v);
                self.heap.drain(&mut m);
            }
        }
        if !self.dunders.is_null() {
            self.heap.mark(&mut m, self.dunders);
            self.heap.drain(&mut m);
        }
        if !self.modules.is_null() {
            self.heap.mark(&mut m, self.modules);
            self.heap.drain(&mut m);
        }
        self.heap.sweep();
    }

    fn fresh_globals(&mut self) {
        self.globals = Value::NULL;
        if let Ok(d) = self.dict_new(0) {
            self.globals = d;
        }
    }

    /// Clears run state (not globals or images).
    fn clear_run_state(&mut self) {
        self.fp = 0;
        self.ip = 0;
        self.op_ip = 0;
        self.sp = 0;
        self.depth = 0;
        self.nest = 0;
        self.iter_depth = 0;
        self.exc = Value::NULL;
        self.handled = Value::NONE;
        self.nroots = 0;
        self.gen_value = Value::NONE;
        self.fuel = POLL_EVERY;
    }

    /// The configuration.
    pub fn config(&self) -> VmConfig {
        self.config
    }

    // ---- tracebacks ----------------------------------------------------

    /// Forgets the traceback (a new exception is being raised).
    pub(crate) fn tb_reset(&mut self) {
        self.tb_count = 0;
        self.tb_last_fp = 0;
    }

    /// Records the current frame's position in the traceback: the first
    /// [`TB_KEEP`] entries (innermost) in the first half of [`Vm::tb`],
    /// the last ones in its second half, oldest first (a full second half
    /// slides down one to take a new entry, dropping its oldest: at most
    /// `TB_KEEP - 1` moves a frame, and only past `2 * TB_KEEP` frames).
    /// The report reuses the entries, so a kept report is dropped here.
    /// Out of line: it runs only while an exception unwinds.
    #[inline(never)]
    pub(crate) fn tb_record(&mut self) {
        let fp = self.fp;
        if fp == 0 || fp == self.tb_last_fp {
            return;
        }
        self.tb_last_fp = fp;
        self.report.kept = false;
        let e = Traceback::pack(self.frame_entry(fp));
        let n = self.tb_count as usize;
        let len = self.tb.len();
        let at = if n < len {
            n
        } else {
            if let Some(tail) = self.tb.get_mut(len / 2..) {
                for i in 1..tail.len() {
                    tail[i - 1] = tail[i];
                }
            }
            // No entries (an arena too small for them): no slot.
            len.wrapping_sub(1)
        };
        if let Some(slot) = self.tb.get_mut(at) {
            *slot = e;
        }
        self.tb_count = self.tb_count.saturating_add(1);
    }

    /// Builds the report for `exc`, the exception a run ended with (its
    /// frames already dropped, so the detail's str has their room).
    fn make_report(&mut self, exc: Value) {
        let mark = self.root(exc);
        let mut buf = [0u8; DETAIL_MAX];
        let n = self.exc_detail(exc, &mut buf);
        let detail = match buf.get(..n) {
            Some(b) if n > 0 => self.str_from_bytes(b).unwrap_or(Value::NULL),
            _ => Value::NULL,
        };
        self.unroot(mark);
        self.exc = Value::NULL;
        let (msg, _) = self.exc_msg(exc);
        let class = self.exc_class_value(exc);
        // Recorded innermost first (the head, then the tail); the report
        // is outermost first.
        let n = self.tb_count as usize;
        let len = n.min(self.tb.len());
        reverse(self.tb.get_mut(..len).unwrap_or_default());
        let r = &mut self.report;
        r.kept = true;
        r.msg = msg;
        r.class = class;
        r.detail = detail;
        r.tb_len = len;
        r.elided = (n - len) as u16;
    }

    /// Runs the module code of `image` (an `IMAGE` block) in `__main__`.
    pub(crate) fn run_image(&mut self, image: Value, host: &mut Hx<'_>) -> RunOutcome {
        self.clear_run_state();
        self.report.kept = false;
        self.tb_reset();
        if self.globals.is_null() {
            self.fresh_globals();
        }
        let r = match self.enter_module(image) {
            Ok(()) => self.execute(host).map(|_| ()),
            Err(e) => Err(e),
        };
        let out = match r {
            Ok(()) => RunOutcome::Done,
            Err(Raised) => {
                let exc = self.exc;
                self.clear_run_state();
                self.make_report(exc);
                RunOutcome::Raised
            }
        };
        self.clear_run_state();
        out
    }
}

/// Reverses traceback entries in place: a swap loop, not the slice
/// method's unrolled one (this runs once per uncaught exception).
fn reverse(entries: &mut [[u32; 2]]) {
    let mut it = entries.iter_mut();
    while let (Some(a), Some(b)) = (it.next(), it.next_back()) {
        core::mem::swap(a, b);
    }
}

/// The longest valid UTF-8 prefix of `b` (text may be cut mid-character).
fn utf8_prefix(b: &[u8]) -> &str {
    match core::str::from_utf8(b) {
        Ok(s) => s,
        Err(e) => core::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or(""),
    }
}

impl Machine for Vm<'_> {
    fn reset(&mut self) {
        self.heap.clear();
        self.cache.clear();
        self.dunders = Value::NULL;
        self.clear_run_state();
        self.program = Value::NULL;
        self.modules = Value::NULL;
        self.loaded = Value::NULL;
        self.pending = Value::NULL;
        self.report.kept = false;
        self.tb_reset();
        self.fresh_globals();
    }

    fn image_begin(&mut self, len: u32, hash: u32, name: Option<&str>) -> Result<(), DeviceError> {
        self.begin_image(len, hash, name)
    }

    fn image_write(&mut self, offset: u32, data: &[u8]) -> Result<(), DeviceError> {
        self.write_image(offset, data)
    }

    fn image_end(&mut self) -> Result<u32, DeviceError> {
        self.end_image()
    }

    fn image_in_place(
        &mut self,
        addr: u32,
        len: u32,
        name: Option<&str>,
    ) -> Result<u32, DeviceError> {
        if self.flash.is_empty() {
            return Err(DeviceError::BadRequest);
        }
        self.load_in_place(addr, len, name)
    }

    fn flash_pins(&mut self, pin: &mut dyn FnMut(u32, u32)) {
        if !self.flash.is_empty() {
            self.gc();
            self.each_in_place(pin);
        }
    }

    fn run(&mut self, hash: u32, host: &mut dyn Host) -> Result<RunOutcome, DeviceError> {
        let image = self.find_image(hash).ok_or(DeviceError::NoSuchImage)?;
        Ok(self.run_image(image, &mut Hx(host)))
    }

    fn exception_report(&self) -> Option<ExceptionReport<'_>> {
        let r = &self.report;
        if !r.kept {
            return None;
        }
        let name = self.exc_class_name(r.class);
        let detail = if r.detail.is_null() {
            &[][..]
        } else {
            self.str_bytes(r.detail)
        };
        Some(ExceptionReport {
            exc_type: utf8_prefix(name.get(..TYPE_MAX).unwrap_or(name)),
            msg: r.msg,
            detail: utf8_prefix(detail),
            traceback: Traceback(self.tb.get(..r.tb_len).unwrap_or(&[])),
            elided: r.elided,
        })
    }

    fn heap_stats(&self) -> HeapStats {
        crate::heap::census::stats(&self.heap)
    }

    fn collect(&mut self) {
        self.gc();
    }

    fn heap(&self) -> Option<&Heap<'_>> {
        Some(&self.heap)
    }

    fn heap_bytes(&self) -> u32 {
        self.heap.total_bytes()
    }

    fn recursion_limit(&self) -> u16 {
        self.config.recursion_limit
    }

    fn features(&self) -> u32 {
        use p14p_protocol::version::feature;
        let float = if cfg!(feature = "float32") {
            feature::FLOAT32
        } else if cfg!(feature = "float") {
            feature::FLOAT64
        } else {
            0
        };
        let bigint = if cfg!(feature = "bigint") {
            feature::BIGINT
        } else {
            0
        };
        let timed = if self.clock.is_some() {
            feature::GC_TIME
        } else {
            0
        };
        let bytes = if cfg!(feature = "bytes") {
            feature::BYTES
        } else {
            0
        };
        float | bigint | timed | bytes
    }
}
