//! The assembler for one code object: bytes, labels, stack depth, handler
//! ranges and the line table.
//!
//! Every instruction goes through [`Asm::emit`] (or [`Asm::emit_jump`]),
//! which applies the opcode's documented stack effect from
//! [`Op::effect`], so `max_stack` falls out of emission as in MicroPython's
//! `emitbc.c`. Control flow is tracked too: after an unconditional jump,
//! `return` or `raise` the code is unreachable and further instructions are
//! dropped until a label that some jump targets is bound; that label carries
//! the stack depth recorded by its jumps.
//!
//! Jumps are emitted in their wide form (two operand bytes) and *relaxed*
//! in [`Asm::finish`]: each jump whose target fits a byte takes the narrow
//! form, which moves the code after it one byte down and so may bring
//! further targets under 256; repeated until no jump changes. Positions
//! only ever decrease, so a narrowed jump stays in range and the result is
//! the one encoding the verifier accepts: narrow exactly when the target
//! fits.
//!
//! Exception handlers are a compile-time stack ([`Asm::push_handler`],
//! [`Asm::pop_handler`]): each change closes the current pc range and opens
//! one for the new innermost handler, so the table comes out as
//! non-overlapping ranges, each naming only the innermost handler.

use p14p_protocol::image::Handler;
use p14p_protocol::opcode::{Flow, Op, NARROW};

/// A jump target inside one code object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label(usize);

#[derive(Debug, Clone, Default)]
struct LabelInfo {
    pos: Option<usize>,
    /// Stack depth on arrival, from the jumps (or handlers) that target it.
    depth: Option<i32>,
}

/// What the assembler produced.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The bytecode.
    pub code: Vec<u8>,
    /// The deepest stack any instruction needs.
    pub max_stack: u16,
    /// Handler table, non-overlapping.
    pub handlers: Vec<Handler>,
    /// Sorted `(pc, line)` pairs.
    pub lines: Vec<(u16, u32)>,
}

/// Why a code object cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsmError {
    /// Code longer than the 64 KiB a u16 jump operand can reach.
    TooLong,
    /// An operand outside what its opcode accepts (e.g. over 255 for a
    /// one-byte operand).
    BadOperand(&'static str),
}

/// The assembler. See the module docs.
#[derive(Debug, Default)]
pub struct Asm {
    code: Vec<u8>,
    depth: i32,
    max_depth: i32,
    unreachable: bool,
    labels: Vec<LabelInfo>,
    /// Each jump's opcode offset (in emission order, so ascending) and
    /// target.
    fixups: Vec<(usize, Label)>,
    lines: Vec<(u16, u32)>,
    /// The source line that instructions emitted now come from.
    pub line: u32,
    handler_stack: Vec<(Label, u16)>,
    open: Option<(usize, Label, u16)>,
    ranges: Vec<(usize, usize, Label, u16)>,
    bad_operand: Option<&'static str>,
}

impl Asm {
    /// An empty code object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Current stack depth.
    pub fn depth(&self) -> u16 {
        self.depth.max(0) as u16
    }

    /// True when the next instruction could run.
    pub fn reachable(&self) -> bool {
        !self.unreachable
    }

    /// Current byte offset.
    pub fn pc(&self) -> usize {
        self.code.len()
    }

    /// A new, unbound label.
    pub fn label(&mut self) -> Label {
        self.labels.push(LabelInfo::default());
        Label(self.labels.len() - 1)
    }

    fn arrive(&mut self, l: Label, depth: i32) {
        let info = &mut self.labels[l.0];
        match info.depth {
            None => info.depth = Some(depth),
            Some(d) => debug_assert_eq!(d, depth, "label reached with two stack depths"),
        }
    }

    /// Binds `l` here. Unreachable code becomes reachable again if some
    /// jump targets `l`.
    pub fn bind(&mut self, l: Label) {
        self.labels[l.0].pos = Some(self.code.len());
        if self.unreachable {
            if let Some(d) = self.labels[l.0].depth {
                self.depth = d;
                self.unreachable = false;
            }
        } else {
            let d = self.depth;
            self.arrive(l, d);
        }
    }

    fn write(&mut self, op: Op, arg: u16) {
        let pc = self.code.len();
        if self.lines.last().is_none_or(|&(_, l)| l != self.line) && self.line != 0 {
            self.lines.push((pc as u16, self.line));
        }
        if p14p_protocol::opcode::encode(op, arg, &mut self.code).is_none() {
            self.bad_operand = Some(op.name());
        }
    }

    fn apply(&mut self, op: Op, arg: u16) -> i32 {
        let Some(eff) = op.effect(arg) else {
            self.bad_operand = Some(op.name());
            return self.depth;
        };
        debug_assert!(
            self.depth >= eff.needs as i32,
            "{} needs {} items, stack has {}",
            op.name(),
            eff.needs,
            self.depth
        );
        let before = self.depth;
        self.depth += eff.next as i32;
        // An instruction may push temporarily beyond its net effect (e.g.
        // FOR_ITER pushes one); `needs + max(next, 0)` bounds it.
        self.max_depth = self.max_depth.max(self.depth).max(before);
        match op.flow() {
            Flow::Jump | Flow::Stop => self.unreachable = true,
            _ => {}
        }
        before + eff.jump as i32
    }

    /// Emits `op` with operand `arg` (0 when it has none).
    pub fn emit(&mut self, op: Op, arg: u16) {
        debug_assert!(!op.is_jump(), "use emit_jump for {}", op.name());
        if self.unreachable {
            return;
        }
        self.write(op, arg);
        self.apply(op, arg);
    }

    /// Emits a jump-class `op` to `target`.
    pub fn emit_jump(&mut self, op: Op, target: Label) {
        debug_assert!(op.is_jump());
        if self.unreachable {
            return;
        }
        // The wide form whatever the target: `finish` narrows it.
        let at = self.code.len();
        self.write(op, 0x100);
        self.fixups.push((at, target));
        let at_target = self.apply(op, 0);
        self.arrive(target, at_target);
    }

    /// Sets the depth by hand, for code reached only from a handler whose
    /// depth the caller knows.
    pub fn set_depth(&mut self, depth: u16) {
        self.depth = depth as i32;
    }

    fn switch_handler(&mut self) {
        let pc = self.code.len();
        if let Some((start, l, d)) = self.open.take() {
            if start < pc {
                self.ranges.push((start, pc, l, d));
            }
        }
        if let Some(&(l, d)) = self.handler_stack.last() {
            self.open = Some((pc, l, d));
        }
    }

    /// From here on, an exception cuts the stack to `depth`, pushes itself
    /// and continues at `target`.
    pub fn push_handler(&mut self, target: Label, depth: u16) {
        if !self.unreachable {
            self.arrive(target, depth as i32 + 1);
        }
        self.handler_stack.push((target, depth));
        self.switch_handler();
    }

    /// Ends the innermost handler's range.
    pub fn pop_handler(&mut self) {
        self.handler_stack.pop();
        self.switch_handler();
    }

    /// The compile-time handler stack (to restore after an unwinding exit).
    pub fn handler_stack(&self) -> Vec<(Label, u16)> {
        self.handler_stack.clone()
    }

    /// Replaces the handler stack (see [`Asm::handler_stack`]).
    pub fn set_handler_stack(&mut self, stack: Vec<(Label, u16)>) {
        if stack != self.handler_stack {
            self.handler_stack = stack;
            self.switch_handler();
        }
    }

    /// Resolves labels and produces the code.
    pub fn finish(mut self) -> Result<Assembled, AsmError> {
        self.handler_stack.clear();
        self.switch_handler();
        if self.code.len() > u16::MAX as usize {
            return Err(AsmError::TooLong);
        }
        if let Some(op) = self.bad_operand {
            return Err(AsmError::BadOperand(op));
        }
        let old_pos = |l: Label| -> usize {
            self.labels[l.0]
                .pos
                .expect("jump to a label that was never bound")
        };
        // Relaxation (see the module docs). `narrowed` holds the opcode
        // offsets of the narrowed jumps, ascending: each takes one byte
        // from every position after it.
        let mut narrow = vec![false; self.fixups.len()];
        let mut narrowed: Vec<usize> = Vec::new();
        let moved = |narrowed: &[usize], p: usize| p - narrowed.partition_point(|&at| at < p);
        loop {
            let mut changed = false;
            for (i, &(at, l)) in self.fixups.iter().enumerate() {
                if !narrow[i] && moved(&narrowed, old_pos(l)) <= 0xFF {
                    narrow[i] = true;
                    let k = narrowed.partition_point(|&a| a < at);
                    narrowed.insert(k, at);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let pos = |p: usize| moved(&narrowed, p) as u16;
        let mut code = Vec::with_capacity(self.code.len() - narrowed.len());
        let mut from = 0;
        for (i, &(at, l)) in self.fixups.iter().enumerate() {
            code.extend_from_slice(&self.code[from..at]);
            let [lo, hi] = pos(old_pos(l)).to_le_bytes();
            if narrow[i] {
                code.extend([self.code[at] | NARROW, lo]);
            } else {
                code.extend([self.code[at], lo, hi]);
            }
            from = at + 3;
        }
        code.extend_from_slice(&self.code[from..]);
        let handlers = self
            .ranges
            .iter()
            .map(|&(start, end, l, depth)| Handler {
                start: pos(start),
                end: pos(end),
                target: pos(old_pos(l)),
                depth,
            })
            .collect();
        let lines = self
            .lines
            .iter()
            .map(|&(pc, line)| (pos(pc as usize), line))
            .collect();
        Ok(Assembled {
            max_stack: self.max_depth.max(0) as u16,
            code,
            handlers,
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_depth_and_patches_forward_jumps() {
        let mut a = Asm::new();
        a.line = 1;
        let end = a.label();
        a.emit(Op::LOAD_TRUE, 0);
        a.emit_jump(Op::POP_JUMP_IF_FALSE, end);
        a.emit(Op::LOAD_INT, 1);
        a.emit(Op::LOAD_INT, 3);
        a.emit(Op::BINARY_OP, 0);
        a.emit(Op::POP_TOP, 0);
        a.bind(end);
        a.emit(Op::LOAD_NONE, 0);
        a.emit(Op::RETURN_VALUE, 0);
        let out = a.finish().unwrap();
        assert_eq!(out.max_stack, 2);
        // 3 (the jump, relaxed to its narrow form) + LOAD_INT 1 (implied
        // form: 1) + LOAD_INT 3 (2) + BINARY_OP 0 (operator form: 1) +
        // POP_TOP (1).
        assert_eq!(&out.code[1..3], &[Op::POP_JUMP_IF_FALSE as u8 | NARROW, 8]);
        assert_eq!(out.lines, [(0, 1)]);
    }

    #[test]
    fn relaxation_narrows_jumps_until_no_more_fit() {
        // The first jump's target is at 257 while every jump is wide: it
        // fits a byte only once the two backward jumps after it have been
        // narrowed (a second round). The last one's target stays past 255.
        let mut a = Asm::new();
        let top = a.label();
        let end = a.label();
        let far = a.label();
        a.bind(top);
        a.emit(Op::LOAD_TRUE, 0);
        a.emit_jump(Op::POP_JUMP_IF_FALSE, end);
        for _ in 0..2 {
            a.emit(Op::LOAD_TRUE, 0);
            a.emit_jump(Op::POP_JUMP_IF_TRUE, top);
        }
        // 245 bytes.
        for _ in 0..61 {
            a.emit(Op::LOAD_CONST, 300);
            a.emit(Op::POP_TOP, 0);
        }
        a.emit(Op::NOP, 0);
        a.bind(end);
        a.emit(Op::LOAD_TRUE, 0);
        a.emit_jump(Op::POP_JUMP_IF_FALSE, far);
        for _ in 0..100 {
            a.emit(Op::NOP, 0);
        }
        a.bind(far);
        a.emit(Op::LOAD_NONE, 0);
        a.emit(Op::RETURN_VALUE, 0);
        let out = a.finish().unwrap();
        let jumps: Vec<_> = p14p_protocol::opcode::instructions(&out.code)
            .map(|i| i.unwrap())
            .filter(|i| i.op.is_jump())
            .map(|i| (i.pc, i.op, i.arg, i.operand_len))
            .collect();
        assert_eq!(
            jumps,
            [
                (1, Op::POP_JUMP_IF_FALSE, 254, 1),
                (4, Op::POP_JUMP_IF_TRUE, 0, 1),
                (7, Op::POP_JUMP_IF_TRUE, 0, 1),
                (255, Op::POP_JUMP_IF_FALSE, 358, 2),
            ]
        );
        assert_eq!(out.code.len(), 360);
    }

    #[test]
    fn drops_dead_code_until_a_targeted_label() {
        let mut a = Asm::new();
        let l = a.label();
        let unused = a.label();
        a.emit(Op::LOAD_NONE, 0);
        a.emit(Op::RETURN_VALUE, 0);
        a.bind(unused);
        a.emit(Op::LOAD_NONE, 0);
        assert!(!a.reachable());
        a.bind(l);
        assert!(!a.reachable(), "no jump targets l");
        let out = a.finish().unwrap();
        assert_eq!(out.code, [Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8]);
    }

    #[test]
    fn handler_ranges_do_not_overlap() {
        let mut a = Asm::new();
        let outer = a.label();
        let inner = a.label();
        a.push_handler(outer, 0);
        a.emit(Op::NOP, 0);
        a.push_handler(inner, 0);
        a.emit(Op::NOP, 0);
        a.pop_handler();
        a.emit(Op::NOP, 0);
        a.pop_handler();
        a.emit(Op::LOAD_NONE, 0);
        a.emit(Op::RETURN_VALUE, 0);
        a.bind(inner);
        a.emit(Op::RERAISE, 0);
        a.bind(outer);
        a.emit(Op::RERAISE, 0);
        let out = a.finish().unwrap();
        let h: Vec<_> = out
            .handlers
            .iter()
            .map(|h| (h.start, h.end, h.target))
            .collect();
        assert_eq!(h, [(0, 1, 6), (1, 2, 5), (2, 3, 6)]);
        assert_eq!(out.max_stack, 1);
    }
}
