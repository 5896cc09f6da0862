//! The disassembler behind `p14p dis FILE`: every code object of an image
//! with its header, slots, instructions (operands resolved to constants,
//! names, locals and jump targets) and handler table.
//!
//! ```text
//! code 1 f  flags=GENERATOR  args=1 posonly=0 kwonly=0  max_stack=2
//!   slots: 0 x (cell)  1 y (free)
//!   line    pc  LOAD_FAST         0  (x)
//! ```
//!
//! It reads the image back through `p14p_protocol::image::Image`, so it also
//! shows what the device will see.

use super::Compiled;
use p14p_protocol::image::{code_flags, Code, Const, Image};
use p14p_protocol::opcode::{instructions, make_fn, BinOp, CmpOp, Op};
use std::fmt::Write;

/// Python-style `repr` of a string.
fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn repr_bytes(b: &[u8]) -> String {
    let mut out = String::from("b'");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(c as char),
            _ => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push('\'');
    out
}

/// Decimal digits of a little-endian magnitude.
fn decimal(magnitude: &[u8]) -> String {
    let mut n: Vec<u8> = magnitude.iter().rev().copied().collect(); // big-endian
    let mut digits = Vec::new();
    while n.iter().any(|&b| b != 0) {
        let mut rem = 0u32;
        for b in n.iter_mut() {
            let v = (rem << 8) | *b as u32;
            *b = (v / 10) as u8;
            rem = v % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

struct Tables<'a> {
    names: Vec<&'a str>,
    consts: Vec<Const<'a>>,
    code_names: Vec<String>,
    /// Every code's slot names from the debug info (the image names only
    /// the parameter slots).
    slots: Vec<&'a [String]>,
}

impl Tables<'_> {
    /// The name of slot `i` of `code`: the image's, else the debug info's.
    fn slot(&self, code: &Code, i: u16) -> Option<String> {
        match code.slot_name(i as usize) {
            Some(n) => Some(self.name(n)),
            None => self
                .slots
                .get(code.index as usize)
                .and_then(|s| s.get(i as usize))
                .cloned(),
        }
    }

    fn name(&self, i: u16) -> String {
        self.names
            .get(i as usize)
            .map_or_else(|| format!("<bad name {i}>"), |s| s.to_string())
    }

    fn konst(&self, i: u16, depth: usize) -> String {
        let Some(c) = self.consts.get(i as usize) else {
            return format!("<bad const {i}>");
        };
        match *c {
            Const::Int(v) => v.to_string(),
            Const::Float(v) => {
                if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e16 {
                    format!("{v:.1}")
                } else {
                    format!("{v:?}")
                }
            }
            Const::Str(s) => repr_str(s),
            Const::Bytes(b) => repr_bytes(b),
            Const::Code(c) => format!(
                "<code {c} {}>",
                self.code_names.get(c as usize).map_or("?", |s| s.as_str())
            ),
            Const::Tuple(t) => {
                if depth > 8 {
                    return "(…)".into();
                }
                let items: Vec<String> = t.iter().map(|j| self.konst(j, depth + 1)).collect();
                if items.len() == 1 {
                    format!("({},)", items[0])
                } else {
                    format!("({})", items.join(", "))
                }
            }
            Const::BigInt {
                negative,
                magnitude,
            } => format!("{}{}", if negative { "-" } else { "" }, decimal(magnitude)),
            Const::Ellipsis => "Ellipsis".into(),
            Const::None => "None".into(),
            Const::True => "True".into(),
            Const::False => "False".into(),
        }
    }
}

fn flag_names(flags: u16) -> String {
    let all = [
        (code_flags::MODULE, "MODULE"),
        (code_flags::CLASS_BODY, "CLASS_BODY"),
        (code_flags::GENERATOR, "GENERATOR"),
        (code_flags::VARARGS, "VARARGS"),
        (code_flags::VARKW, "VARKW"),
        (code_flags::LAMBDA, "LAMBDA"),
        (code_flags::COMPREHENSION, "COMPREHENSION"),
    ];
    let names: Vec<&str> = all
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|&(_, n)| n)
        .collect();
    if names.is_empty() {
        "-".into()
    } else {
        names.join("|")
    }
}

fn resolve(t: &Tables, code: &Code, op: Op, arg: u16) -> String {
    let slot = |i: u16| t.slot(code, i).unwrap_or_else(|| format!("<bad slot {i}>"));
    match op {
        Op::LOAD_CONST => t.konst(arg, 0),
        Op::LOAD_INT => p14p_protocol::opcode::load_int_value(arg).to_string(),
        Op::LOAD_GLOBAL
        | Op::STORE_GLOBAL
        | Op::DELETE_GLOBAL
        | Op::LOAD_NAME
        | Op::STORE_NAME
        | Op::DELETE_NAME
        | Op::LOAD_ATTR
        | Op::STORE_ATTR
        | Op::DELETE_ATTR
        | Op::LOAD_METHOD
        | Op::IMPORT_NAME
        | Op::IMPORT_FROM => t.name(arg),
        Op::LOAD_FAST
        | Op::STORE_FAST
        | Op::DELETE_FAST
        | Op::LOAD_DEREF
        | Op::STORE_DEREF
        | Op::DELETE_DEREF
        | Op::LOAD_CLOSURE => slot(arg),
        Op::BINARY_OP => {
            let inplace = arg as u8 & BinOp::INPLACE != 0;
            BinOp::from_u8(arg as u8 & !BinOp::INPLACE).map_or("?".into(), |b| {
                if inplace {
                    format!("{}=", b.symbol())
                } else {
                    b.symbol().into()
                }
            })
        }
        Op::COMPARE_OP => CmpOp::from_u8(arg as u8).map_or("?", |c| c.symbol()).into(),
        Op::IS_OP => if arg == 1 { "is not" } else { "is" }.into(),
        Op::CONTAINS_OP => if arg == 1 { "not in" } else { "in" }.into(),
        Op::UNPACK_EX => format!("{} before, {} after", arg & 0xFF, arg >> 8),
        Op::MAKE_FUNCTION => {
            let code = arg & make_fn::CODE;
            let name = t.code_names.get(code as usize).map_or("?", |s| s.as_str());
            let mut parts = vec![format!("<code {code} {name}>")];
            let flags = arg >> make_fn::FLAGS_SHIFT;
            for (bit, part) in [(1, "defaults"), (2, "kwdefaults"), (8, "closure")] {
                if flags & bit != 0 {
                    parts.push(part.into());
                }
            }
            parts.join(", ")
        }
        Op::FORMAT_VALUE => {
            let conv = ["", "!s", "!r", "!a"][(arg & 3) as usize];
            let spec = if arg & 4 != 0 { " with spec" } else { "" };
            format!("{conv}{spec}").trim().to_string()
        }
        op if op.is_jump() => format!("to {arg}"),
        _ => String::new(),
    }
}

/// Disassembles every code object of `compiled`, with source lines.
pub fn disassemble(compiled: &Compiled) -> String {
    let mut out = String::new();
    let img = match Image::parse(&compiled.image) {
        Ok(i) => i,
        Err(e) => return format!("bad image: {e:?}\n"),
    };
    let names: Vec<&str> = img.names().map_while(Result::ok).collect();
    let consts: Vec<Const> = img.consts().map_while(Result::ok).collect();
    // The debug info's names: the module body's is not in the image.
    let code_names = (0..img.n_codes)
        .map(|i| {
            compiled.debug.codes.get(usize::from(i)).map_or_else(
                || {
                    img.code(i)
                        .ok()
                        .and_then(|c| names.get(c.name as usize).map(|s| s.to_string()))
                        .unwrap_or_default()
                },
                |c| c.name.clone(),
            )
        })
        .collect();
    let slots = compiled
        .debug
        .codes
        .iter()
        .map(|c| c.slots.as_slice())
        .collect();
    let t = Tables {
        names,
        consts,
        code_names,
        slots,
    };
    for i in 0..img.n_codes {
        let code = match img.code(i) {
            Ok(c) => c,
            Err(e) => {
                let _ = writeln!(out, "code {i}: bad record: {e:?}");
                continue;
            }
        };
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "code {i} {}  flags={}  args={} posonly={} kwonly={}  max_stack={}",
            t.code_names.get(usize::from(i)).map_or("?", |s| s.as_str()),
            flag_names(code.flags),
            code.argcount,
            code.posonly,
            code.kwonly,
            code.max_stack
        );
        if code.nlocals > 0 {
            let first_free = code.nlocals.saturating_sub(code.nfree);
            let slots: Vec<String> = (0..code.nlocals)
                .map(|s| {
                    let n = t.slot(&code, s.into()).unwrap_or_else(|| "?".into());
                    let tag = if s >= first_free {
                        " (free)"
                    } else if code.cells.contains(&s) {
                        " (cell)"
                    } else {
                        ""
                    };
                    format!("{s} {n}{tag}")
                })
                .collect();
            let _ = writeln!(out, "  slots: {}", slots.join("  "));
        }
        let mut last_line = None;
        for ins in instructions(code.code) {
            let ins = match ins {
                Ok(i) => i,
                Err(pc) => {
                    let _ = writeln!(out, "        {pc:>4}  <undecodable>");
                    break;
                }
            };
            let line = compiled.debug.line_of(i, ins.pc as u16);
            let line_col = match line {
                Some(l) if Some(l) != last_line => format!("{l:>5}"),
                _ => "     ".into(),
            };
            last_line = line.or(last_line);
            let has_arg = p14p_protocol::opcode::operand_len(ins.op) > 0;
            let arg = if has_arg {
                ins.arg.to_string()
            } else {
                String::new()
            };
            let res = resolve(&t, &code, ins.op, ins.arg);
            let res = if res.is_empty() {
                res
            } else {
                format!("  ({res})")
            };
            let _ = writeln!(
                out,
                "{line_col}  {:>4}  {:<20} {arg:>5}{res}",
                ins.pc,
                ins.op.name()
            );
            let _ = &out;
        }
        if code.n_handlers() > 0 {
            let _ = writeln!(out, "  handlers:");
            for h in code.handlers() {
                let _ = writeln!(
                    out,
                    "    {}..{} -> {} depth {}",
                    h.start, h.end, h.target, h.depth
                );
            }
        }
    }
    // Trim trailing spaces that empty operand columns leave.
    out.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
