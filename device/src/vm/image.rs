//! Images: receiving in chunks, executing stored images in place,
//! verification, and the per-image tables of names and constants.
//!
//! ```text
//! word  field
//!  0    header (tag IMAGE)
//!  1    LEN      r  image length in bytes
//!  2    HASH     r  the image hash
//!  3    READY    r  1 once verified and materialized
//!  4    NAMES    v  ARRAY of str, one per image name
//!  5    CONSTS   v  ARRAY of values, one per constant
//!  6    MODNAME  v  module name (str) for named images, else NULL
//!  7    FLASH    v  in place: the flash address of the bytes (small int);
//!                   NULL: the bytes follow in the block
//!  8…   the image bytes, exactly as received (heap images only)
//! ```
//!
//! **Heap images.** The receive buffer *is* the image: chunks are written
//! straight into the block and the bytecode runs there.
//!
//! **In-place images.** A stored image whose bytes are one contiguous
//! extent of the store ([`crate::store::Store::contiguous`]) on a port that
//! lends the VM a memory-mapped view of its flash ([`Vm::with_flash`]) is
//! not copied: its block is the eight words above, its name and constant
//! tables hold its strs as image strs ([`Value::image_str`]: where they
//! lie, no heap copy; only one over 63 bytes is copied), and its code
//! addresses are the view's: `arena bytes + flash address`, which
//! [`Vm::code_space`] resolves on every fetch. The verifier checks the
//! bytes in flash before anything runs.
//!
//! **Pinning.** Bytes a running image was verified from must never change.
//! Store writes only append (committed bytes are never reprogrammed), so
//! the one danger is an erase: the store's collector refuses to erase a
//! pinned page ([`crate::store::Store::pin`], error `InUse`). The pages
//! pinned are those of every in-place image still in the heap after a full
//! collection ([`crate::Machine::flash_pins`]), i.e. still referenced by
//! the registry, a module, a function or a frame. Re-pushing an imported
//! module therefore succeeds (into fresh space), the old bytes stay intact
//! for whatever still runs them, and `Reset` releases every pin.
//!
//! **Frozen images.** The firmware's own library (`lib/`, compiled by the
//! host into `device/frozen/library.bin`) executes in place the same way,
//! at code addresses [`super::frozen::FROZEN_AT`] above the flash view's
//! (see [`super::frozen`]).
//!
//! An image is an ordinary heap object: it lives while the registry (the
//! current program, the named modules) or any function or frame refers to
//! it.

use super::{Vm, MAX_MODULES};
use crate::heap::value::kind;
use crate::heap::Value;
use crate::obj::tag;
#[cfg(not(feature = "bigint"))]
use crate::obj::T;
#[cfg(not(feature = "bigint"))]
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::image::{read_varint, unzigzag, Image, HEADER_LEN};
use p14p_protocol::msg::{DeviceError, ImageError};

/// Length.
pub const LEN: usize = 1;
/// Hash.
pub const HASH: usize = 2;
/// Verified flag.
pub const READY: usize = 3;
/// Name table.
pub const NAMES: usize = 4;
/// Constant table.
pub const CONSTS: usize = 5;
/// Module name.
pub const MODNAME: usize = 6;
/// Flash address of an in-place image's bytes (small int), else NULL.
pub const FLASH: usize = 7;
/// First word of the bytes.
pub const BYTES: usize = 8;

/// Absolute byte index of the image bytes of the block at `w`.
#[inline(always)]
pub fn bytes_start(w: usize) -> usize {
    (w + BYTES) * 4
}

impl Vm<'_> {
    /// `Machine::image_begin`.
    pub(crate) fn begin_image(
        &mut self,
        len: u32,
        hash: u32,
        name: Option<&str>,
    ) -> Result<(), DeviceError> {
        self.pending = Value::NULL;
        let len = len as usize;
        if len < HEADER_LEN || len > self.heap.arena.len() * 4 {
            return Err(DeviceError::TooLarge);
        }
        let words = BYTES + len.div_ceil(4);
        // A load is the host's allocation, not the program's: it collects
        // even under `gc.disable()`, or a REPL whose program filled the
        // heap could never send the `gc.collect()` that frees it.
        let w = match self.alloc(tag::IMAGE, words) {
            Err(_) if !self.heap.auto_collect() => {
                self.collect_all();
                self.alloc(tag::IMAGE, words)
            }
            r => r,
        }
        .map_err(|_| {
            self.exc = Value::NULL;
            DeviceError::NoMemory
        })?;
        self.heap.set(w + LEN, len as u32);
        self.heap.set(w + HASH, hash);
        self.pending = Value::obj(w);
        self.pending_hash = hash;
        self.name_pending(name)
    }

    /// Gives the pending image its module name (`None`: it is the program).
    /// Out of memory drops the pending image.
    fn name_pending(&mut self, name: Option<&str>) -> Result<(), DeviceError> {
        if let Some(name) = name {
            // A library module's name as stored in the firmware: no heap.
            let s = super::frozen::in_library(name.as_bytes());
            let s = s
                .map_or_else(|| self.str_from_bytes(name.as_bytes()), Ok)
                .map_err(|_| {
                    self.exc = Value::NULL;
                    self.pending = Value::NULL;
                    DeviceError::NoMemory
                })?;
            let w = self.pending.word();
            self.heap.setv(w + MODNAME, s);
        }
        Ok(())
    }

    /// `Machine::image_write`.
    pub(crate) fn write_image(&mut self, offset: u32, data: &[u8]) -> Result<(), DeviceError> {
        if self.pending.is_null() {
            return Err(DeviceError::NoTransfer);
        }
        let w = self.pending.word();
        let len = self.heap.w(w + LEN) as usize;
        let off = offset as usize;
        let end = off.checked_add(data.len()).ok_or(DeviceError::ChunkRange)?;
        if end > len {
            return Err(DeviceError::ChunkRange);
        }
        let start = bytes_start(w);
        self.heap.bytes_mut()[start + off..start + end].copy_from_slice(data);
        Ok(())
    }

    /// `Machine::image_end`.
    pub(crate) fn end_image(&mut self) -> Result<u32, DeviceError> {
        self.end_pending(true)
    }

    /// Checks, verifies and materializes the pending image; registers it
    /// if `register` (not `eval`'s and `exec`'s code: it lives while
    /// something runs it). Returns its hash.
    pub(crate) fn end_pending(&mut self, register: bool) -> Result<u32, DeviceError> {
        if self.pending.is_null() {
            return Err(DeviceError::NoTransfer);
        }
        let image = self.pending;
        let w = image.word();
        let len = self.heap.w(w + LEN) as usize;
        let start = bytes_start(w);
        check(&self.heap.bytes()[start..start + len], self.pending_hash)?;
        self.verify_pending(w, len)?;
        self.finish_image(image, register)
    }

    /// `Machine::image_in_place`: makes the image at flash `[addr, addr +
    /// len)` of the view runnable (and importable as `name`) without
    /// copying its bytes. Returns its hash.
    pub(crate) fn load_in_place(
        &mut self,
        addr: u32,
        len: u32,
        name: Option<&str>,
    ) -> Result<u32, DeviceError> {
        self.pending = Value::NULL;
        let flash = self.flash;
        let (a, n) = (addr as usize, len as usize);
        // Store addresses stay below the frozen library's code addresses.
        let bytes = a
            .checked_add(n)
            .and_then(|end| flash.get(a..end))
            .filter(|_| a < super::frozen::FROZEN_AT)
            .ok_or(DeviceError::BadAddress)?;
        self.load_at(bytes, addr, name, false)
    }

    /// Verifies `bytes`, which lie at code address `arena bytes + addr`
    /// (the flash view or the frozen library, see [`Vm::code_space`]), and
    /// makes them an image executing in place, named `name`. `verified`:
    /// these bytes passed already since the heap was cleared (a frozen
    /// library image, which cannot change), so they are not checked again.
    pub(crate) fn load_at(
        &mut self,
        bytes: &[u8],
        addr: u32,
        name: Option<&str>,
        verified: bool,
    ) -> Result<u32, DeviceError> {
        self.pending = Value::NULL;
        let len = bytes.len() as u32;
        let hash = Image::parse(bytes).map_err(DeviceError::BadImage)?.hash();
        if !verified {
            self.verify_at(bytes, hash)?;
        }
        let w = self.alloc(tag::IMAGE, BYTES).map_err(|_| {
            self.exc = Value::NULL;
            DeviceError::NoMemory
        })?;
        self.heap.set(w + LEN, len);
        self.heap.set(w + HASH, hash);
        self.heap.setv(w + FLASH, Value::small(addr as i32));
        // Pending: a root while the name and the tables are allocated.
        self.pending = Value::obj(w);
        self.name_pending(name)?;
        self.finish_image(Value::obj(w), true)
    }

    /// Checks image `bytes` (hash `hash`) and runs the verifier over them,
    /// before anything else is allocated: the scratch block is the only
    /// heap the verifier needs.
    fn verify_at(&mut self, bytes: &[u8], hash: u32) -> Result<(), DeviceError> {
        check(bytes, hash)?;
        let need = crate::load::scratch_needed(bytes).unwrap_or(0);
        let s = self.alloc(tag::RAW, 1 + need.div_ceil(4)).map_err(|_| {
            self.exc = Value::NULL;
            DeviceError::NoMemory
        })?;
        let size = self.heap.size(s);
        let r = {
            let scratch = &mut self.heap.arena[s + 1..s + size];
            crate::load::verify(bytes, bytemuck::cast_slice_mut(scratch))
        };
        self.heap.free(s);
        r.map_err(DeviceError::from)
    }

    /// Materializes the verified pending `image` and, if `register`,
    /// registers it: as the program, or as the module of its name.
    fn finish_image(&mut self, image: Value, register: bool) -> Result<u32, DeviceError> {
        let w = image.word();
        let named = !self.heap.v(w + MODNAME).is_null();
        let made = self.materialize(w).and_then(|()| {
            // The module table, made with the first named image (while the
            // image is still pending, so a root).
            if named && self.modules.is_null() {
                self.modules = self.tuple_new(MAX_MODULES)?;
            }
            Ok(())
        });
        made.map_err(|_| {
            self.exc = Value::NULL;
            self.pending = Value::NULL;
            DeviceError::NoMemory
        })?;
        self.heap.set(w + READY, 1);
        self.pending = Value::NULL;
        let hash = self.heap.w(w + HASH);
        let modname = self.heap.v(w + MODNAME);
        if !register {
            return Ok(hash);
        }
        if modname.is_null() {
            self.program = image;
        } else {
            let mut slot = None;
            for i in 0..MAX_MODULES {
                let m = self.module_at(i);
                if m.is_null() {
                    slot = slot.or(Some(i));
                } else if self.str_eq(self.heap.v(m.word() + MODNAME), modname) {
                    slot = Some(i);
                    break;
                }
            }
            let i = slot.ok_or(DeviceError::NoMemory)?;
            // Tuple items start at word 2 of the block.
            self.heap.setv(self.modules.word() + 2 + i, image);
            self.forget_module(modname);
        }
        Ok(hash)
    }

    /// Named module image `i` of the module table (NULL: none).
    pub(crate) fn module_at(&self, i: usize) -> Value {
        if self.modules.is_null() || i >= MAX_MODULES {
            return Value::NULL;
        }
        self.heap.v(self.modules.word() + 2 + i)
    }

    /// The code address of the first byte of `image`: in the arena for a
    /// heap image, above it (the flash view) for an in-place one.
    #[inline]
    pub(crate) fn image_base(&self, image: Value) -> usize {
        let w = image.word();
        let at = self.heap.v(w + FLASH);
        if at.is_small() {
            self.heap.bytes().len() + at.small_val() as usize
        } else {
            bytes_start(w)
        }
    }

    /// Calls `pin(addr, len)` for every in-place image in the heap, and
    /// for the bytes of every image str of the store a live object (or
    /// the kept report) holds: such a str outlives its image, whose pages
    /// must then stay. Run after a full collection (every block is live).
    /// Out of line: the link's main loop is its one caller.
    #[inline(never)]
    pub(crate) fn each_in_place(&self, pin: &mut dyn FnMut(u32, u32)) {
        let str_pin = |v: Value, pin: &mut dyn FnMut(u32, u32)| {
            if v.is_kind(kind::STORE_STR) {
                let (_, off, n) = v.image_str_parts();
                pin(off as u32, n as u32);
            }
        };
        if self.report.kept {
            str_pin(self.report.detail, pin);
        }
        for (w, t, _) in self.heap.blocks() {
            if t == tag::IMAGE {
                let at = self.heap.v(w + FLASH);
                // Frozen images are in the firmware, not the store.
                if at.is_small() && (at.small_val() as usize) < super::frozen::FROZEN_AT {
                    pin(at.small_val() as u32, self.heap.w(w + LEN));
                }
            }
            if t != crate::heap::FREE {
                self.heap.values_of(w).for_each(|v| str_pin(v, pin));
            }
        }
    }

    /// True if every image str in the heap (and the VM's roots) lies
    /// within `image` (the flash extent of the one image run in place) or
    /// within the frozen library: what the fuzz harness asks after running
    /// a mutated image in place (nothing in the firmware calls it, so the
    /// linker drops it). The extent is the caller's, not an image block's:
    /// a str may rightly outlive its image (a class kept in the REPL's
    /// globals names itself with one), its bytes pinned by
    /// [`Vm::each_in_place`].
    pub fn image_strs_within(&self, image: core::ops::Range<usize>) -> bool {
        let within = |v: Value| {
            if !v.is_image_str() {
                return true;
            }
            let (frozen, off, n) = v.image_str_parts();
            if frozen {
                off + n <= super::frozen::library().len()
            } else {
                image.start <= off && off + n <= image.end
            }
        };
        let roots = [self.exc, self.handled, self.gen_value, self.report.detail];
        roots.into_iter().all(within)
            && self
                .heap
                .blocks()
                .filter(|b| b.1 != crate::heap::FREE)
                .all(|(w, _, _)| self.heap.values_of(w).all(within))
    }

    /// Runs the verifier over the pending image, lending it a temporary
    /// heap block as scratch.
    fn verify_pending(&mut self, w: usize, len: usize) -> Result<(), DeviceError> {
        let need = {
            let start = bytes_start(w);
            crate::load::scratch_needed(&self.heap.bytes()[start..start + len]).unwrap_or(0)
        };
        let s = match self.alloc(tag::RAW, 1 + need.div_ceil(4)) {
            Ok(s) => s,
            Err(_) => {
                self.exc = Value::NULL;
                return Err(DeviceError::NoMemory);
            }
        };
        let size = self.heap.size(s);
        let r = {
            // The image and the scratch block are disjoint: split the arena
            // between them.
            let (lo, hi) = self.heap.arena.split_at_mut(s.max(w + BYTES));
            let (img_words, scratch_words): (&[u32], &mut [u32]) = if s > w {
                (&lo[w + BYTES..], &mut hi[1..size])
            } else {
                (&hi[..], &mut lo[s + 1..s + size])
            };
            let img_bytes: &[u8] = bytemuck::cast_slice(img_words);
            crate::load::verify(&img_bytes[..len], bytemuck::cast_slice_mut(scratch_words))
        };
        self.heap.free(s);
        r.map_err(DeviceError::from)
    }

    /// Builds the name and constant tables of the image at `w` (a root
    /// while pending).
    fn materialize(&mut self, w: usize) -> super::R<()> {
        let start = self.image_base(Value::obj(w));
        let (n_names, n_consts, names_off, consts_off) = (
            self.u16_at(start + 16) as usize,
            self.u16_at(start + 18) as usize,
            HEADER_LEN + 2 * self.u16_at(start + 6) as usize,
            self.u16_at(start + 20) as usize,
        );
        let names = self.alloc(tag::ARRAY, 1 + n_names)?;
        self.heap.setv(w + NAMES, Value::obj(names));
        let mut at = start + names_off;
        for i in 0..n_names {
            let n = self.code_byte(at) as usize;
            let s = self.image_str(at + 1, n)?;
            let names = self.heap.v(w + NAMES).word();
            self.heap.setv(names + 1 + i, s);
            at += 1 + n;
        }
        let consts = self.alloc(tag::ARRAY, 1 + n_consts)?;
        self.heap.setv(w + CONSTS, Value::obj(consts));
        let mut at = start + consts_off;
        for i in 0..n_consts {
            let k = self.code_byte(at);
            at += 1;
            let v = match k {
                0 => {
                    let (b, j) = self.code_space(at);
                    let mut k = j;
                    let v = read_varint(b, &mut k, 10).unwrap_or(0);
                    at += k - j;
                    self.int_from_i64(unzigzag(v))?
                }
                1 => {
                    let lo = self.u32_at(at) as u64;
                    let hi = self.u32_at(at + 4) as u64;
                    at += 8;
                    self.float_new(f64::from_bits(lo | (hi << 32)))?
                }
                2 => {
                    let n = self.varint_at(&mut at);
                    let s = self.image_str(at, n)?;
                    at += n;
                    s
                }
                3 => {
                    let n = self.varint_at(&mut at);
                    let w = self.bytes_alloc(n)?;
                    self.copy_code(at, crate::obj::str::data(w), n);
                    let b = self.bytes_done(w, false)?;
                    at += n;
                    b
                }
                4 => {
                    let c = self.varint_at(&mut at);
                    Value::imm(kind::CODE, c as u32)
                }
                5 => {
                    let n = self.varint_at(&mut at);
                    let t = self.tuple_new(n)?;
                    let consts = self.heap.v(w + CONSTS).word();
                    for j in 0..n {
                        let idx = self.varint_at(&mut at);
                        let item = self.heap.v(consts + 1 + idx);
                        self.heap.setv(t.word() + 2 + j, item);
                    }
                    t
                }
                6 => {
                    let neg = self.code_byte(at) == 1;
                    at += 1;
                    let n = self.varint_at(&mut at);
                    // The magnitude's bytes, most significant last, in
                    // 64 bits (no 128-bit arithmetic on a 32-bit core):
                    // `fits` drops when a shift would lose a set bit.
                    let mut mag: u64 = 0;
                    let mut fits = n <= 16;
                    for j in (0..n).rev() {
                        fits &= mag >> 56 == 0;
                        mag = (mag << 8) | u64::from(self.code_byte(at + j));
                    }
                    at += n;
                    fits = fits && mag <= (i64::MAX as u64) + u64::from(neg);
                    if fits {
                        let v = if neg {
                            (mag as i64).wrapping_neg()
                        } else {
                            mag as i64
                        };
                        self.int_from_i64(v)?
                    } else {
                        #[cfg(feature = "bigint")]
                        {
                            self.big_const(at - n, n, neg)?
                        }
                        #[cfg(not(feature = "bigint"))]
                        return self.raise(T::OverflowError, ErrMsg::IntOverflow);
                    }
                }
                7 => Value::ELLIPSIS,
                8 => Value::NONE,
                9 => Value::TRUE,
                _ => Value::FALSE,
            };
            let consts = self.heap.v(w + CONSTS).word();
            self.heap.setv(consts + 1 + i, v);
        }
        Ok(())
    }

    /// The str of the `n` bytes at code address `at` of an image being
    /// materialized: where they lie when the image executes in place (an
    /// image str: no heap), else a heap copy (a heap image is collected
    /// when unused, and a value cannot keep it alive).
    fn image_str(&mut self, at: usize, n: usize) -> super::R<Value> {
        let far = at.checked_sub(self.heap.bytes().len());
        let frozen = far.and_then(|i| i.checked_sub(super::frozen::FROZEN_AT));
        let made = match (far, frozen) {
            (_, Some(off)) => Value::image_str(true, off, n),
            (Some(off), None) => Value::image_str(false, off, n),
            (None, _) => None,
        };
        match made {
            Some(v) => Ok(v),
            None => self.str_from_arena(at, n),
        }
    }

    /// Copies `n` bytes at code address `at` (arena or flash) to arena
    /// byte `dst`: an image's bytes, whose ranges [`check`] checked, or a
    /// str's ([`Vm::str_span`]).
    pub(crate) fn copy_code(&mut self, at: usize, dst: usize, n: usize) {
        let flash = self.flash;
        let arena = self.heap.bytes_mut();
        match at.checked_sub(arena.len()) {
            None => arena.copy_within(at..at + n, dst),
            Some(i) => {
                let (src, i) = super::frozen::far_space(flash, i);
                arena[dst..dst + n].copy_from_slice(&src[i..i + n])
            }
        }
    }

    /// The byte at code address `at` (arena or flash; 0 past the bytes):
    /// a str's byte at its [`Vm::str_span`] address plus an index.
    pub(crate) fn span_byte(&self, at: usize) -> u8 {
        let (b, i) = self.code_space(at);
        b.get(i).copied().unwrap_or(0)
    }

    /// The `n` bytes at code address `at` (arena or flash; empty if they
    /// are not all there).
    #[cfg(feature = "files")]
    pub(crate) fn code_slice(&self, at: usize, n: usize) -> &[u8] {
        let (b, i) = self.code_space(at);
        b.get(i..i.saturating_add(n)).unwrap_or(&[])
    }

    /// Fills `out` from code address `at` (arena or flash; zeros where
    /// the bytes end).
    pub(crate) fn code_bytes(&self, at: usize, out: &mut [u8]) {
        let (b, i) = self.code_space(at);
        for (k, o) in out.iter_mut().enumerate() {
            *o = b.get(i + k).copied().unwrap_or(0);
        }
    }

    /// The ready image with `hash`.
    pub(crate) fn find_image(&self, hash: u32) -> Option<Value> {
        core::iter::once(self.program)
            .chain((0..MAX_MODULES).map(|i| self.module_at(i)))
            .find(|v| {
                v.is_obj()
                    && self.heap.w(v.word() + HASH) == hash
                    && self.heap.w(v.word() + READY) == 1
            })
    }
}

/// Checks what the materializer reads: the image parses, its hash is
/// `hash` and matches its contents, and every name and constant is
/// well-formed.
fn check(bytes: &[u8], hash: u32) -> Result<(), DeviceError> {
    let img = Image::parse(bytes).map_err(DeviceError::BadImage)?;
    if img.hash() != hash || !img.hash_ok() {
        return Err(DeviceError::HashMismatch);
    }
    for n in img.names() {
        n.map_err(DeviceError::BadImage)?;
    }
    for c in img.consts() {
        c.map_err(DeviceError::BadImage)?;
    }
    Ok(())
}

/// Why an image was refused (for tests).
pub type LoadError = ImageError;
