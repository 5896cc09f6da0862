//! Test support: a tiny text assembler for p14p images and a fake host.
//!
//! ```text
//! code <module>                      # code 0 is the module body
//!   LOAD_INT 2
//!   LOAD_INT 3
//!   BINARY_OP Add
//!   RETURN_VALUE
//! code f args=2 locals=a,b,t flags=varargs cells=0 free=1 kwonly=0 posonly=0
//! loop:
//!   LOAD_FAST a                      # locals by name (or number)
//!   POP_JUMP_IF_FALSE done           # jumps by label
//!   LOAD_CONST 'text'                # constants: 'str', int:N, float:X, code:NAME,
//!                                    #   (int:N beyond i64 becomes a big int constant)
//!   LOAD_CONST names:sep,end         #   names:a,b (a tuple of str), none
//!   LOAD_GLOBAL print                # names by identifier
//!   MAKE_FUNCTION f 8                # code by name, then the flags (default 0)
//! handler start end target 0         # handler table entry (labels)
//! ```
#![allow(dead_code)]

use p14p_device::machine::{Host, Machine, RunOutcome};
use p14p_protocol::image::{code_flags, CodeBuilder, Handler, ImageBuilder, OwnedConst};
use p14p_protocol::msg::{DeviceError, Width};
use p14p_protocol::opcode::{BinOp, CmpOp, Format, Op};
use std::collections::HashMap;

struct PendingCode {
    name: String,
    cb: CodeBuilder,
    locals: Vec<String>,
    lines: Vec<Vec<String>>,
}

fn op_by_name(s: &str) -> Op {
    *Op::ALL
        .iter()
        .find(|o| o.name() == s)
        .unwrap_or_else(|| panic!("unknown opcode {s}"))
}

fn binop(s: &str) -> Option<u16> {
    let (inplace, s) = match s.strip_prefix('I') {
        Some(r)
            if BinOp::from_u8(0).is_some()
                && r.chars().next().is_some_and(|c| c.is_uppercase()) =>
        {
            (true, r)
        }
        _ => (false, s),
    };
    let v = (0..13u8).find(|&i| format!("{:?}", BinOp::from_u8(i).unwrap()) == s)?;
    Some(v as u16 | if inplace { BinOp::INPLACE as u16 } else { 0 })
}

fn cmpop(s: &str) -> Option<u16> {
    (0..6u8)
        .find(|&i| format!("{:?}", CmpOp::from_u8(i).unwrap()) == s)
        .map(|v| v as u16)
}

/// Assembles `src` into an image.
pub fn asm(src: &str) -> Vec<u8> {
    let mut b = ImageBuilder::new();
    let mut codes: Vec<PendingCode> = Vec::new();
    for raw in src.lines() {
        let line = raw.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<String> = split_words(line);
        if words[0] == "code" {
            let mut cb = CodeBuilder {
                max_stack: 32,
                ..Default::default()
            };
            let mut locals = Vec::new();
            for w in &words[2..] {
                let (k, v) = w.split_once('=').unwrap();
                match k {
                    "args" => cb.argcount = v.parse().unwrap(),
                    "posonly" => cb.posonly = v.parse().unwrap(),
                    "kwonly" => cb.kwonly = v.parse().unwrap(),
                    "free" => cb.nfree = v.parse().unwrap(),
                    "locals" => locals = v.split(',').map(String::from).collect(),
                    "cells" => cb.cells = v.split(',').map(|c| c.parse().unwrap()).collect(),
                    "flags" => {
                        for f in v.split(',') {
                            cb.flags |= match f {
                                "varargs" => code_flags::VARARGS,
                                "varkw" => code_flags::VARKW,
                                "generator" => code_flags::GENERATOR,
                                "lambda" => code_flags::LAMBDA,
                                "class" => code_flags::CLASS_BODY,
                                _ => panic!("flag {f}"),
                            };
                        }
                    }
                    _ => panic!("code attribute {k}"),
                }
            }
            if codes.is_empty() {
                cb.flags |= code_flags::MODULE;
            }
            codes.push(PendingCode {
                name: words[1].clone(),
                cb,
                locals,
                lines: Vec::new(),
            });
        } else {
            codes.last_mut().expect("code first").lines.push(words);
        }
    }
    let indices: HashMap<String, u16> = codes
        .iter()
        .map(|c| (c.name.clone(), b.reserve_code()))
        .collect();
    for c in codes {
        let mut cb = c.cb;
        cb.name = b.name(&c.name);
        cb.slot_names = c.locals.iter().map(|l| b.name(l)).collect();
        // Pass 1: operands (a jump's label for now), each instruction's
        // length (a jump's is 3 until relaxed below) and each label's
        // instruction index.
        let mut at_instr = HashMap::new();
        let mut instrs: Vec<(Op, u16, Option<&str>)> = Vec::new();
        let mut lens: Vec<usize> = Vec::new();
        for l in &c.lines {
            if l[0].ends_with(':') {
                at_instr.insert(l[0].trim_end_matches(':').to_string(), instrs.len());
                continue;
            }
            if l[0] == "handler" {
                continue;
            }
            let op = op_by_name(&l[0]);
            let fmt = Format::of(op as u8).unwrap();
            if fmt == Format::None {
                instrs.push((op, 0, None));
                lens.push(1);
                continue;
            }
            let a = &l[1];
            let arg: u16 = if op.is_jump() {
                instrs.push((op, 0, Some(a.as_str())));
                lens.push(3);
                continue;
            } else if op == Op::MAKE_FUNCTION {
                // `MAKE_FUNCTION NAME [FLAGS]`: the code by name.
                let flags = l.get(2).map_or(0, |f| f.parse().unwrap());
                p14p_protocol::opcode::make_fn::operand(indices[a.as_str()], flags).unwrap()
            } else if op == Op::LOAD_INT {
                p14p_protocol::opcode::load_int_operand(a.parse().unwrap()).unwrap()
            } else if op == Op::LOAD_CONST {
                let k = if let Some(s) = a.strip_prefix('\'') {
                    OwnedConst::Str(s.trim_end_matches('\'').replace("\\n", "\n"))
                } else if let Some(i) = a.strip_prefix("int:") {
                    match i.parse() {
                        Ok(i) => OwnedConst::Int(i),
                        // Beyond i64: a big int constant (up to i128 here).
                        Err(_) => {
                            let v: i128 = i.parse().unwrap();
                            let mut mag = v.unsigned_abs().to_le_bytes().to_vec();
                            while mag.last() == Some(&0) {
                                mag.pop();
                            }
                            OwnedConst::BigInt(v < 0, mag)
                        }
                    }
                } else if let Some(f) = a.strip_prefix("float:") {
                    OwnedConst::Float(f.parse().unwrap())
                } else if let Some(n) = a.strip_prefix("code:") {
                    OwnedConst::Code(indices[n])
                } else if let Some(ns) = a.strip_prefix("names:") {
                    let items = ns
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| b.constant(OwnedConst::Str(s.into())))
                        .collect();
                    OwnedConst::Tuple(items)
                } else if a == "none" {
                    OwnedConst::None
                } else {
                    panic!("constant {a}")
                };
                b.constant(k)
            } else if let Ok(n) = a.parse::<i32>() {
                n as u16
            } else if op == Op::BINARY_OP {
                binop(a).unwrap_or_else(|| panic!("binop {a}"))
            } else if op == Op::COMPARE_OP {
                cmpop(a).unwrap()
            } else if matches!(
                op,
                Op::LOAD_FAST
                    | Op::STORE_FAST
                    | Op::DELETE_FAST
                    | Op::LOAD_DEREF
                    | Op::STORE_DEREF
                    | Op::DELETE_DEREF
                    | Op::LOAD_CLOSURE
            ) {
                c.locals
                    .iter()
                    .position(|x| x == a)
                    .unwrap_or_else(|| panic!("local {a}")) as u16
            } else {
                b.name(a)
            };
            instrs.push((op, arg, None));
            let mut bytes = Vec::new();
            p14p_protocol::opcode::encode(op, arg, &mut bytes);
            lens.push(bytes.len());
        }
        // The jumps relaxed as the compiler's assembler does: narrow (two
        // bytes) once the target fits a byte, until none changes.
        let labels = loop {
            let mut pcs = vec![0usize];
            for n in &lens {
                pcs.push(pcs.last().unwrap() + n);
            }
            let labels: HashMap<String, u16> = at_instr
                .iter()
                .map(|(k, &i)| (k.clone(), pcs[i] as u16))
                .collect();
            let mut changed = false;
            for (i, (_, _, label)) in instrs.iter().enumerate() {
                if let Some(a) = label {
                    let target = *labels.get(*a).unwrap_or_else(|| panic!("label {a}"));
                    if lens[i] == 3 && target <= 0xFF {
                        lens[i] = 2;
                        changed = true;
                    }
                }
            }
            if !changed {
                break labels;
            }
        };
        for l in &c.lines {
            if l[0] == "handler" {
                let lab = |s: &str| labels.get(s).copied().unwrap_or_else(|| s.parse().unwrap());
                cb.handlers.push(Handler {
                    start: lab(&l[1]),
                    end: lab(&l[2]),
                    target: lab(&l[3]),
                    depth: l[4].parse().unwrap(),
                });
            }
        }
        for (op, arg, label) in instrs {
            let arg = label.map_or(arg, |a| {
                *labels.get(a).unwrap_or_else(|| panic!("label {a}"))
            });
            p14p_protocol::opcode::encode(op, arg, &mut cb.code)
                .unwrap_or_else(|| panic!("{} {arg} does not encode", op.name()));
        }
        b.set_code(indices[&c.name], cb);
    }
    b.finish().unwrap()
}

fn split_words(line: &str) -> Vec<String> {
    // Quoted strings may contain spaces.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '\'' => {
                quoted = !quoted;
                cur.push(ch);
            }
            ' ' | '\t' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(ch),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A host that collects output and can request an interrupt.
#[derive(Default)]
pub struct TestHost {
    /// Everything printed.
    pub out: Vec<u8>,
    /// Raise KeyboardInterrupt at this poll (1-based), if set.
    pub interrupt_at: Option<u32>,
    /// Polls seen.
    pub polls: u32,
    /// Fake memory: words at 0x2000_0000..0x2000_0100 (others are outside
    /// the map).
    pub mem: HashMap<u32, u32>,
}

/// Start of the fake memory map.
pub const RAM: u32 = 0x2000_0000;

impl TestHost {
    /// The output as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.out).into_owned()
    }
}

impl Host for TestHost {
    fn output(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
    fn poll_interrupt(&mut self) -> bool {
        self.polls += 1;
        self.interrupt_at.is_some_and(|n| self.polls >= n)
    }
    fn ticks_ms(&mut self) -> u32 {
        0
    }
    fn mem_read(&mut self, addr: u32, width: Width) -> Result<u32, DeviceError> {
        if !(RAM..RAM + 0x100).contains(&addr) {
            return Err(DeviceError::BadAddress);
        }
        let mask = if width == Width::U32 {
            u32::MAX
        } else {
            (1 << (8 * width.bytes())) - 1
        };
        Ok(self.mem.get(&addr).copied().unwrap_or(0) & mask)
    }
    fn mem_write(&mut self, addr: u32, _width: Width, value: u32) -> Result<(), DeviceError> {
        if !(RAM..RAM + 0x100).contains(&addr) {
            return Err(DeviceError::BadAddress);
        }
        self.mem.insert(addr, value);
        Ok(())
    }
}

/// Loads `image` into `vm` in 64-byte chunks; returns its hash.
pub fn load(vm: &mut impl Machine, image: &[u8]) -> u32 {
    let hash = u32::from_le_bytes(image[12..16].try_into().unwrap());
    vm.image_begin(image.len() as u32, hash, None)
        .expect("begin");
    for (i, chunk) in image.chunks(64).enumerate() {
        vm.image_write((i * 64) as u32, chunk).expect("write");
    }
    vm.image_end().expect("end")
}

/// Loads and runs `src`; returns the outcome and the output.
pub fn run(vm: &mut impl Machine, src: &str) -> (RunOutcome, String) {
    let img = asm(src);
    let hash = load(vm, &img);
    let mut host = TestHost::default();
    let r = vm.run(hash, &mut host).expect("run");
    (r, host.text())
}

/// The uncaught exception's type name, or "" when none.
pub fn exc_type(vm: &impl Machine) -> String {
    vm.exception_report()
        .map(|r| r.exc_type.to_string())
        .unwrap_or_default()
}
