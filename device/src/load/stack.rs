//! The stack-depth proof: abstract interpretation over a depth table.
//!
//! The table has one entry per byte of code, in the caller's scratch buffer:
//!
//! ```text
//! entry = NOT_START   the byte is inside an operand (no instruction starts here)
//!       = UNKNOWN     an instruction starts here; not reached yet
//!       = d           an instruction starts here and is reached with depth d
//! ```
//!
//! Entries are one byte when `max_stack <= 253`, two (little-endian) beyond,
//! so the usual function needs exactly `code_len` bytes. Depths flow forward
//! along fall-through, jump and handler edges; the table is swept linearly
//! until a sweep changes nothing. Every entry is written at most once (a
//! second, different depth is an error), so the number of sweeps is bounded
//! by the number of instructions; straight-line code and loops need two or
//! three.

use super::VerifyError;
use p14p_protocol::image::Code;
use p14p_protocol::msg::ImageError;
use p14p_protocol::opcode::{decode_at, Flow};

/// Largest `max_stack` a code object may declare (the top two table values
/// are marks).
pub(super) const MAX_STACK: u16 = u16::MAX - 2;

/// Largest `max_stack` whose depths fit one byte per table entry.
const NARROW_MAX: u16 = u8::MAX as u16 - 2;

/// Bytes of depth table code object `c` needs.
pub(super) fn table_len(c: &Code<'_>) -> usize {
    c.code.len() * if c.max_stack <= NARROW_MAX { 1 } else { 2 }
}

/// A depth table over borrowed scratch memory.
struct Table<'s> {
    t: &'s mut [u8],
    wide: bool,
}

impl Table<'_> {
    fn unknown(&self) -> u16 {
        if self.wide {
            u16::MAX
        } else {
            u8::MAX as u16
        }
    }

    fn not_start(&self) -> u16 {
        self.unknown() - 1
    }

    fn get(&self, pc: usize) -> u16 {
        if self.wide {
            match self.t.get(2 * pc..2 * pc + 2) {
                Some(b) => u16::from_le_bytes([b[0], b[1]]),
                None => self.not_start(),
            }
        } else {
            self.t.get(pc).map_or(self.not_start(), |&b| b as u16)
        }
    }

    fn set(&mut self, pc: usize, v: u16) {
        if self.wide {
            if let Some(b) = self.t.get_mut(2 * pc..2 * pc + 2) {
                b.copy_from_slice(&v.to_le_bytes());
            }
        } else if let Some(b) = self.t.get_mut(pc) {
            // Narrow tables only ever hold values below 256.
            *b = v as u8;
        }
    }

    fn is_start(&self, pc: usize) -> bool {
        self.get(pc) != self.not_start()
    }
}

/// Proves the stack discipline of `c` (see the module docs). Assumes
/// [`super::code::check_operands`] passed.
pub(super) fn check(c: &Code<'_>, scratch: &mut [u8]) -> Result<(), VerifyError> {
    let code = c.index;
    let len = c.code.len();
    if len == 0 {
        return Err(VerifyError::Bad(ImageError::FallsOff { code }));
    }
    let need = table_len(c);
    let t = scratch.get_mut(..need).ok_or(VerifyError::Scratch)?;
    let mut table = Table {
        t,
        wide: c.max_stack > NARROW_MAX,
    };
    let (unknown, not_start) = (table.unknown(), table.not_start());

    // Sweep 1: where instructions start.
    for pc in 0..len {
        table.set(pc, not_start);
    }
    let mut pc = 0;
    while pc < len {
        let i = decode_at(c.code, pc).map_err(|_| {
            VerifyError::Bad(ImageError::Opcode {
                code,
                pc: pc as u16,
            })
        })?;
        table.set(pc, unknown);
        pc = i.next_pc();
    }

    // Jump and handler targets must start instructions.
    let mut pc = 0;
    while pc < len {
        let i = decode_at(c.code, pc).map_err(|_| {
            VerifyError::Bad(ImageError::Opcode {
                code,
                pc: pc as u16,
            })
        })?;
        if i.op.is_jump() && !table.is_start(i.arg as usize) {
            return Err(target(code, pc));
        }
        pc = i.next_pc();
    }
    for h in c.handlers() {
        let (start, end) = (h.start as usize, h.end as usize);
        let end_ok = end == len || (end < len && table.is_start(end));
        if start >= end || end > len || !table.is_start(start) || !end_ok {
            return Err(target(code, start));
        }
        if !table.is_start(h.target as usize) {
            return Err(target(code, h.target as usize));
        }
        if h.depth >= c.max_stack {
            return Err(stack(code, h.target as usize));
        }
    }

    // Sweeps 2..: propagate depths to a fixpoint.
    table.set(0, 0);
    loop {
        let mut changed = false;
        let mut pc = 0;
        while pc < len {
            let i = decode_at(c.code, pc).map_err(|_| {
                VerifyError::Bad(ImageError::Opcode {
                    code,
                    pc: pc as u16,
                })
            })?;
            let next = i.next_pc();
            let d = table.get(pc);
            if d == unknown {
                pc = next;
                continue;
            }
            let e =
                i.op.effect(i.arg)
                    .ok_or(VerifyError::Bad(ImageError::Operand {
                        code,
                        pc: pc as u16,
                    }))?;
            if d < e.needs {
                return Err(stack(code, pc));
            }
            let after = |delta: i16| -> Result<u16, VerifyError> {
                let v = d as i32 + delta as i32;
                if v < 0 || v > c.max_stack as i32 {
                    Err(stack(code, pc))
                } else {
                    Ok(v as u16)
                }
            };
            let flow = i.op.flow();
            if matches!(flow, Flow::Next | Flow::Branch) {
                if next >= len {
                    return Err(VerifyError::Bad(ImageError::FallsOff { code }));
                }
                changed |= reach(&mut table, code, next, after(e.next)?)?;
            }
            if matches!(flow, Flow::Branch | Flow::Jump) {
                changed |= reach(&mut table, code, i.arg as usize, after(e.jump)?)?;
            }
            for h in c.handlers() {
                if (h.start as usize..h.end as usize).contains(&pc) {
                    if h.depth > d {
                        return Err(stack(code, pc));
                    }
                    changed |= reach(&mut table, code, h.target as usize, h.depth + 1)?;
                }
            }
            pc = next;
        }
        if !changed {
            return Ok(());
        }
    }
}

/// Records that instruction `to` is reached with `depth`; true if that is new.
fn reach(table: &mut Table<'_>, code: u16, to: usize, depth: u16) -> Result<bool, VerifyError> {
    let cur = table.get(to);
    if cur == table.unknown() {
        table.set(to, depth);
        Ok(true)
    } else if cur == depth {
        Ok(false)
    } else {
        Err(stack(code, to))
    }
}

fn target(code: u16, pc: usize) -> VerifyError {
    VerifyError::Bad(ImageError::Target {
        code,
        pc: pc as u16,
    })
}

fn stack(code: u16, pc: usize) -> VerifyError {
    VerifyError::Bad(ImageError::Stack {
        code,
        pc: pc as u16,
    })
}
