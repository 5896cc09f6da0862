//! Every program of the shared conformance corpus compiles without
//! diagnostics, passes the device verifier, and reads back through the
//! protocol's image reader; an independent stack-depth check (a small
//! dataflow over `Op::effect`) proves each code object's `max_stack` and
//! that every instruction is reached with one depth.

use p14p::compile::{compile, Target};
use p14p_protocol::image::{Const, Image};
use p14p_protocol::opcode::{decode_at, instructions, Flow};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    dir.is_dir().then_some(dir)
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            python_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

/// Checks stack discipline of one code object; returns the proven maximum.
fn check_stack(code: &p14p_protocol::image::Code) -> Result<u16, String> {
    let bytes = code.code;
    let mut depth_at: Vec<Option<i32>> = vec![None; bytes.len() + 1];
    let mut work = vec![(0usize, 0i32)];
    for h in code.handlers() {
        if h.start >= h.end {
            return Err(format!("empty handler range {h:?}"));
        }
        decode_at(bytes, h.target as usize).map_err(|pc| format!("handler target {pc}"))?;
        work.push((h.target as usize, h.depth as i32 + 1));
    }
    // Instruction starts, so jumps can be checked to land on one.
    let starts: Vec<usize> = instructions(bytes).map(|i| i.unwrap().pc).collect();
    let mut max = 0;
    while let Some((pc, d)) = work.pop() {
        if let Some(old) = depth_at[pc] {
            if old != d {
                return Err(format!("pc {pc} reached with depths {old} and {d}"));
            }
            continue;
        }
        depth_at[pc] = Some(d);
        if pc >= bytes.len() {
            return Err(format!("runs off the end at {pc}"));
        }
        let ins = decode_at(bytes, pc).map_err(|pc| format!("undecodable at {pc}"))?;
        let eff = ins
            .op
            .effect(ins.arg)
            .ok_or_else(|| format!("bad operand {} {} at {pc}", ins.op.name(), ins.arg))?;
        if d < eff.needs as i32 {
            return Err(format!("underflow at {pc} {}", ins.op.name()));
        }
        max = max.max(d).max(d + eff.next as i32);
        // Handlers covering pc cut the stack to their depth: it must exist.
        for h in code.handlers() {
            if (h.start as usize) <= pc && pc < h.end as usize && h.depth as i32 > d {
                return Err(format!("handler depth {} above stack {d} at {pc}", h.depth));
            }
        }
        match ins.op.flow() {
            Flow::Next => work.push((ins.next_pc(), d + eff.next as i32)),
            Flow::Branch | Flow::Jump => {
                let t = ins.arg as usize;
                if !starts.contains(&t) {
                    return Err(format!("jump into the middle of an instruction at {pc}"));
                }
                work.push((t, d + eff.jump as i32));
                if ins.op.flow() == Flow::Branch {
                    work.push((ins.next_pc(), d + eff.next as i32));
                }
            }
            Flow::Stop => {}
        }
    }
    if max > code.max_stack as i32 {
        return Err(format!("max_stack {} but needs {max}", code.max_stack));
    }
    Ok(max as u16)
}

/// Parses every part of an image and checks every code object.
pub fn check_image(bytes: &[u8]) -> Result<(), String> {
    let img = Image::parse(bytes).map_err(|e| format!("{e:?}"))?;
    if !img.hash_ok() {
        return Err("hash mismatch".into());
    }
    let names: Vec<_> = img
        .names()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{e:?}"))?;
    let consts: Vec<_> = img
        .consts()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{e:?}"))?;
    for i in 0..img.n_codes {
        let code = img.code(i).map_err(|e| format!("code {i}: {e:?}"))?;
        let name = names[code.name as usize];
        for ins in instructions(code.code) {
            let ins = ins.map_err(|pc| format!("{name}: undecodable at {pc}"))?;
            use p14p_protocol::opcode::Op::*;
            let ok = match ins.op {
                LOAD_CONST => (ins.arg as usize) < consts.len(),
                LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL | LOAD_NAME | STORE_NAME
                | DELETE_NAME | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD
                | IMPORT_NAME | IMPORT_FROM => (ins.arg as usize) < names.len(),
                LOAD_FAST | STORE_FAST | DELETE_FAST => ins.arg < code.nlocals as u16,
                LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE => {
                    let first_free = code.nlocals - code.nfree;
                    ins.arg < code.nlocals as u16
                        && (ins.arg >= first_free as u16 || code.cells.contains(&(ins.arg as u8)))
                }
                _ => true,
            };
            if !ok {
                return Err(format!(
                    "{name}: bad operand {} {} at {}",
                    ins.op.name(),
                    ins.arg,
                    ins.pc
                ));
            }
        }
        check_stack(&code).map_err(|e| format!("{name}: {e}"))?;
    }
    for c in consts {
        if let Const::Code(i) = c {
            img.code(i).map_err(|e| format!("{e:?}"))?;
        }
    }
    Ok(())
}

#[test]
fn every_conformance_program_compiles_verifies_and_round_trips() {
    let Some(dir) = corpus() else {
        eprintln!("note: ../../shared/conformance not found, skipping");
        return;
    };
    let mut files = Vec::new();
    python_files(&dir, &mut files);
    assert!(!files.is_empty());
    let target = Target::full();
    let mut failures = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let compiled = match compile(&src, &name, &target) {
            Ok(c) => c,
            Err(diags) => {
                let text: String = diags.iter().map(|d| d.render(&name, &src)).collect();
                failures.push(format!("{}:\n{text}", f.display()));
                continue;
            }
        };
        let mut scratch = vec![0u8; 64 * 1024];
        if let Err(e) = p14p_device::load::verify(&compiled.image, &mut scratch) {
            failures.push(format!("{}: verifier: {e:?}", f.display()));
        }
        if let Err(e) = check_image(&compiled.image) {
            failures.push(format!("{}: {e}", f.display()));
        }
        let img = Image::parse(&compiled.image).unwrap();
        assert_eq!(img.hash(), compiled.hash);
        assert_eq!(compiled.debug.codes.len(), img.n_codes as usize);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Control flow that leaves through `finally`, `except` and `with`, nested
/// comprehensions and closures: every image must pass the stack check.
#[test]
fn tricky_control_flow_keeps_the_stack_consistent() {
    let programs = [
        "for i in range(3):\n    try:\n        if i: break\n        continue\n    finally:\n        print(i)\n",
        "def f():\n    for x in y:\n        with a as b, c:\n            try:\n                return x\n            except E as e:\n                continue\n            finally:\n                return 2\n",
        "while 1:\n    try:\n        pass\n    except:\n        break\n    else:\n        continue\n    finally:\n        x = 1\n",
        "def g():\n    try:\n        yield 1\n    finally:\n        yield 2\n    return [[a * b for a in r if a for b in s] for r in t]\n",
        "def h(*a, **k):\n    return f(*a, 1, *a, x=1, **k, y=2, **k)\nclass K(*bases):\n    m = lambda self: super().m()\n",
        "x = {**a, 'b': 1, **c, 'd': 2}\ny = {*a, 1}\nz = (*a, *b)\n[p, *q], r = s\nprint(f'{x!a:{w}.{p}}')\n",
        "def outer():\n    v = 1\n    class C:\n        w = v\n        def m(self):\n            return v + w\n    return C\n",
        "try:\n    pass\nexcept A:\n    pass\nexcept (B, C) as e:\n    raise X from e\nexcept:\n    raise\n",
        "assert a < b < c, 'msg'\ndel a, b[1], c.d, e[1:2]\nif not (a and b or c):\n    pass\n",
        "def f():\n    x = 1\n    def g():\n        return [x for _ in range(2)]\n    return (y := g())\n",
    ];
    for src in programs {
        let c = compile(src, "t.py", &Target::full()).unwrap_or_else(|d| {
            panic!(
                "{}",
                d.iter().map(|d| d.render("t.py", src)).collect::<String>()
            )
        });
        if let Err(e) = check_image(&c.image) {
            panic!("{e}\n{src}\n{}", p14p::compile::dis::disassemble(&c));
        }
    }
}

/// `_err(cls, "text", detail)` (the frozen library's raises): the text is
/// one of the protocol's numbered messages and leaves the image, its
/// number taking its place; any other text is an error at the call.
#[test]
fn numbered_messages_leave_the_image() {
    let src = "def f(x):\n    raise _err(TypeError, \"'{}' object cannot be interpreted as an integer\", x)\n";
    let c = compile(src, "lib.py", &Target::full()).expect("compiles");
    check_image(&c.image).expect("a sound image");
    let img = Image::parse(&c.image).unwrap();
    let strs: Vec<_> = img
        .consts()
        .filter_map(|k| match k {
            Ok(Const::Str(s)) => Some(s.to_string()),
            _ => None,
        })
        .collect();
    assert!(strs.iter().all(|s| !s.contains("interpreted")), "{strs:?}");
    let text = "raise _err(ValueError, \"no such message\")\n";
    let err = compile(text, "lib.py", &Target::full()).unwrap_err();
    assert!(
        err[0].message.contains("not a numbered message"),
        "{}",
        err[0].message
    );
    assert_eq!(err[0].span, 6..41);
    // A program's own `_err` is its own function, compiled as any call.
    let own = "def _err(c, m):\n    return c(m)\nraise _err(ValueError, 'mine')\n";
    assert!(compile(own, "a.py", &Target::full()).is_ok());
}

#[test]
fn native_imports_are_checked_against_the_device() {
    let target = Target {
        natives: vec![("machine".into(), vec!["mem32".into(), "ticks_ms".into()])],
        ..Target::full()
    };
    assert!(compile("from machine import mem32\n", "a.py", &target).is_ok());
    let err = compile("from machine import pin\n", "a.py", &target).unwrap_err();
    assert_eq!(
        err[0].message,
        "module 'machine' has no 'pin' on this device"
    );
    assert_eq!(err[0].span, 20..23);
}

#[test]
fn constructs_the_device_cannot_run_are_located() {
    let cases = [
        (
            "async def f():\n    return [i async for i in y]\n",
            "async comprehensions are not supported on p14p",
        ),
        (
            "async def f():\n    yield 1\n",
            "async generators are not supported on p14p",
        ),
        (
            "def f():\n    async for i in y:\n        pass\n",
            "'async for' outside async function",
        ),
        (
            "def f():\n    await g()\n",
            "'await' outside async function",
        ),
        (
            "x = 1j\n",
            "this device has no complex numbers (they need floats)",
        ),
        (
            "from . import x\n",
            "attempted relative import with no known parent package",
        ),
        (
            "class A(metaclass=M): pass\n",
            "class keyword arguments are not supported on p14p",
        ),
        ("return 1\n", "'return' outside function"),
        (
            "def f():\n    return super().x\n",
            "super() without arguments outside a class method",
        ),
        (
            "x = 123456789012345678901234567890\n",
            "integer literal too large for this device",
        ),
    ];
    let small = Target::default();
    let err = compile("type X = int\n", "a.py", &small).unwrap_err();
    assert!(err[0]
        .message
        .starts_with("cannot use `type` alias statement"));
    for (src, msg) in cases {
        let err = compile(src, "a.py", &small).expect_err(src);
        assert_eq!(err[0].message, msg, "{src}");
        assert!(err[0].span.start < src.len(), "{src}");
    }
}
