//! Image verification: nothing runs until every operand is checked.
//!
//! [`verify`] walks every code object of an image and proves that each
//! opcode exists, each operand (constant, name, local, cell index) is in
//! range, each jump and handler target starts an instruction, the value stack
//! never underflows nor exceeds the code's `max_stack`, every instruction is
//! reached with one stack depth, and execution cannot run off the end. The
//! interpreter then trusts the image and does not re-check operands.
//!
//! The checks, in order (the first failure is reported):
//!
//! 1. the header ([`Image::parse`]: magic, format, length, table bounds);
//! 2. the hash over bytes `16..` ([`Image::hash_ok`]) → [`VerifyError::Hash`];
//! 3. every name is UTF-8 and every constant parses (tuples refer backwards,
//!    code constants name a code object of this image);
//! 4. per code object, [`code::check_header`], then [`code::check_operands`]
//!    (one linear pass), [`stack::check`] (depth fixpoint), then
//!    [`handlers::check`].
//!
//! Memory is bounded and there is no allocation: the only working memory is
//! the caller's `scratch`, one (or two, for `max_stack > 253`) bytes per byte
//! of the largest code object. See [`scratch_needed`].
//!
//! What the verifier guarantees the VM (beyond "every operand is in range"):
//! * a `*_FAST` slot is never a cell or free slot, and a `*_DEREF` or
//!   `LOAD_CLOSURE` slot always is one;
//! * code 0 (the module body) takes no arguments and has no free variables;
//! * at every reachable instruction covered by a handler, the depth before
//!   the instruction is at least the handler's depth (so cutting the stack to
//!   the handler depth never *grows* it at an instruction boundary);
//! * a handler's target is entered with depth `handler.depth + 1`, and lies
//!   past the end of the range the handler protects ([`handlers::check`]: a
//!   handler over its own code, or just before it, would catch every
//!   exception that code raises, interrupts included, forever).
//!
//! What stays a run-time check in the VM, and why: the *types* of stack
//! values. Proving them would take a type per stack slot per instruction
//! (scratch memory many times the depth table's, and a lattice of types in
//! the verifier's code) while the compiler's output needs no proof and a
//! check where the VM relies on a type costs a compare and a branch to a
//! shared raise. Each of these raises `TypeError` rather than trusting:
//! * the container of `LIST_APPEND`/`LIST_EXTEND` (a list),
//!   `SET_ADD`/`SET_UPDATE` (a set), `MAP_ADD`/`DICT_UPDATE`/`DICT_MERGE`
//!   (a dict), `Vm::container` (a `SET_ADD` on a tuple used to probe it as a
//!   hash table forever);
//! * the parts of `BUILD_STRING` (strs);
//! * the names of `CALL_KW`/`CALL_METHOD_KW` (a tuple naming no more than
//!   the arguments given; its items are checked as strs when bound);
//! * the parts `MAKE_FUNCTION` takes (defaults and closure tuples, a
//!   keyword-defaults dict); a closure tuple of `nfree` cells (its code
//!   record is its operand, checked here against the image).
//!
//! The "no self" `NULL` of `LOAD_METHOD` is a value the image can move like
//! any other: everything that reads a value treats `NULL` as "not an
//! object" (no heap access), so a misplaced one is at worst shown as
//! `<NULL>` or raises, never indexes the heap.
//!
//! Behind all of these, every heap word the VM reads or writes by an index
//! it computed goes through `Heap::w`/`v`/`set`/`setv`, which are total (0
//! outside the arena, writes there dropped): a value an image shaped can
//! give a wrong result, never a panic.
//!
//! Run time is not the verifier's either: a verified image may loop. The
//! interpreter polls the host every `POLL_EVERY` instructions; a native
//! that iterates as long as an int says (a range consumed by `sum`) polls
//! through `Vm::native_tick`, big-int work charges the poll's fuel in
//! proportion to its limb operations (`Vm::burn`), repetitions of empty
//! sequences do not loop, and everything else is bounded by the heap it
//! fills. `scripts/fuzz.sh` (the `fuzz/` crate) checks all of this on
//! mutants of the compiler's own images.

mod code;
mod handlers;
mod stack;

use p14p_protocol::image::Image;
use p14p_protocol::msg::{DeviceError, ImageError};

/// Why verification failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyError {
    /// The image is malformed or unsafe to run.
    Bad(ImageError),
    /// The scratch buffer was too small for this image (the caller reports
    /// `DeviceError::NoMemory`).
    Scratch,
    /// The stored hash does not match the content (the caller reports
    /// `DeviceError::HashMismatch`).
    Hash,
}

impl From<VerifyError> for DeviceError {
    fn from(e: VerifyError) -> Self {
        match e {
            VerifyError::Bad(e) => DeviceError::BadImage(e),
            VerifyError::Scratch => DeviceError::NoMemory,
            VerifyError::Hash => DeviceError::HashMismatch,
        }
    }
}

impl From<ImageError> for VerifyError {
    fn from(e: ImageError) -> Self {
        VerifyError::Bad(e)
    }
}

/// Scratch bytes [`verify`] needs for `image`: the size of the depth table of
/// its largest code object. `None` if the image or a code record cannot be
/// parsed (then [`verify`] reports why without touching scratch).
pub fn scratch_needed(image: &[u8]) -> Option<usize> {
    let img = Image::parse(image).ok()?;
    let mut need = 0;
    for i in 0..img.n_codes {
        let c = img.code(i).ok()?;
        need = need.max(stack::table_len(&c));
    }
    Some(need)
}

/// Verifies `image`. `scratch` is working memory (depth tables); the VM lends
/// free heap space. [`scratch_needed`] says how much is enough.
pub fn verify(image: &[u8], scratch: &mut [u8]) -> Result<(), VerifyError> {
    let img = Image::parse(image)?;
    if !img.hash_ok() {
        return Err(VerifyError::Hash);
    }
    for name in img.names() {
        name?;
    }
    for c in img.consts() {
        c?;
    }
    for i in 0..img.n_codes {
        let c = img.code(i)?;
        code::check_header(&img, &c)?;
        code::check_operands(&img, &c)?;
        stack::check(&c, scratch)?;
        handlers::check(&c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
