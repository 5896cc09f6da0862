//! Per-code-object checks that need no working memory: the record header and
//! every instruction's operand, in one linear pass.

use super::VerifyError;
use p14p_protocol::image::{code_flags, Code, Image};
use p14p_protocol::msg::ImageError;
use p14p_protocol::opcode::{decode_at, make_fn, Op};

/// Every flag bit the format defines; any other bit is rejected so a newer
/// compiler's meaning is never silently ignored.
const KNOWN_FLAGS: u16 = code_flags::GENERATOR
    | code_flags::VARARGS
    | code_flags::VARKW
    | code_flags::CLASS_BODY
    | code_flags::MODULE
    | code_flags::LAMBDA
    | code_flags::COMPREHENSION;

/// Checks the code record header against itself and the image tables.
pub(super) fn check_header(img: &Image<'_>, c: &Code<'_>) -> Result<(), VerifyError> {
    let bad = VerifyError::Bad(ImageError::Header { code: c.index });
    let nlocals = c.nlocals as usize;
    let ok = c.flags & !KNOWN_FLAGS == 0
        && c.posonly <= c.argcount
        && c.param_slots() <= nlocals
        && (c.nfree as usize) <= nlocals
        && c.name < img.n_names
        // The depth table reserves its top two values as marks.
        && c.max_stack <= super::stack::MAX_STACK;
    if !ok {
        return Err(bad);
    }
    // Code 0 runs as the module body: nobody passes it arguments or a closure.
    if c.index == 0
        && (c.param_slots() != 0 || c.nfree != 0 || c.flags & code_flags::GENERATOR != 0)
    {
        return Err(bad);
    }
    // Cells are distinct ordinary slots (free slots already hold cells).
    let first_free = nlocals - c.nfree as usize;
    for (i, &slot) in c.cells.iter().enumerate() {
        if slot as usize >= first_free || c.cells[..i].contains(&slot) {
            return Err(bad);
        }
    }
    for i in 0..c.param_slots() {
        match c.slot_name(i) {
            Some(n) if n < img.n_names => {}
            _ => return Err(bad),
        }
    }
    Ok(())
}

/// True if local slot `slot` holds a cell (a cell-table slot or a free slot).
pub(super) fn is_cell_slot(c: &Code<'_>, slot: u16) -> bool {
    let first_free = c.nlocals as u16 - c.nfree as u16;
    (slot >= first_free && slot < c.nlocals as u16) || c.cells.contains(&(slot as u8))
}

/// Decodes every instruction from offset 0 and checks its opcode and operand
/// (jump targets are checked by [`super::stack`], which knows where
/// instructions start).
pub(super) fn check_operands(img: &Image<'_>, c: &Code<'_>) -> Result<(), VerifyError> {
    let code = c.index;
    let mut pc = 0;
    while pc < c.code.len() {
        let at = pc as u16;
        let byte = c.code[pc];
        let Some(op) = Op::of_byte(byte) else {
            return Err(VerifyError::Bad(ImageError::Opcode { code, pc: at }));
        };
        let operand = ImageError::Operand { code, pc: at };
        // An opcode whose operand runs past the end has a bad operand.
        let instr = decode_at(c.code, pc).map_err(|_| VerifyError::Bad(operand))?;
        if !operand_ok(img, c, op, instr.arg) || op.effect(instr.arg).is_none() {
            return Err(VerifyError::Bad(operand));
        }
        pc = instr.next_pc();
    }
    Ok(())
}

/// The table-independent part of an operand check: indices into the image
/// and frame tables.
fn operand_ok(img: &Image<'_>, c: &Code<'_>, op: Op, arg: u16) -> bool {
    use Op::*;
    match op {
        LOAD_CONST => arg < img.n_consts,
        MAKE_FUNCTION => arg & make_fn::CODE < img.n_codes,
        LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL | LOAD_NAME | STORE_NAME | DELETE_NAME
        | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_NAME | IMPORT_FROM => {
            arg < img.n_names
        }
        // A value slot: never one that holds a cell, or the cell would leak
        // into Python as a value (and a store would drop the cell).
        LOAD_FAST | STORE_FAST | DELETE_FAST => arg < c.nlocals as u16 && !is_cell_slot(c, arg),
        LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE => is_cell_slot(c, arg),
        _ => true,
    }
}
