//! `p14p compile` (no device) and `p14p run` on the simulator agree on what
//! the simulator accepts: the same programs, through the real binary both
//! ways, get the same verdict. The programs cover the optional features
//! (big int, float and bytes literals) and every function of every native
//! module the simulator's manifest lists.

use p14p::transport::Port;
use p14p_tests::{open, p14p_with_store, runtime, scratch_dir};
use std::path::Path;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `p14p compile` accepts `file`.
fn compile_accepts(file: &str, store: &Path) -> bool {
    let out = p14p_with_store(&["compile", file, "-o", &format!("{file}.p14i")], store);
    match out.status.code() {
        Some(0) => true,
        Some(1) => false,
        _ => panic!("p14p compile {file}: {}", text(&out.stderr)),
    }
}

/// Whether `p14p run` on the simulator accepts `file` (every program here
/// prints `ok` once it runs; a rejected one runs nothing).
fn run_accepts(file: &str, store: &Path) -> bool {
    let out = p14p_with_store(&["run", file], store);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    if out.status.success() && stdout == "ok\n" {
        return true;
    }
    // A compile error: status 1, nothing ran, no traceback.
    assert_eq!(out.status.code(), Some(1), "{file}: {stdout}{stderr}");
    assert!(
        stdout.is_empty() && !stderr.contains("Traceback"),
        "{file}: {stdout}{stderr}"
    );
    false
}

/// Every native module of the simulator and its functions, from its own
/// manifest.
fn sim_natives() -> Vec<(String, Vec<String>)> {
    runtime().block_on(async {
        let session = open(&Port::Sim).await;
        session
            .info()
            .natives
            .iter()
            .map(|m| {
                let fns = m.functions.iter().map(|f| f.0.clone()).collect();
                (m.name.clone(), fns)
            })
            .collect()
    })
}

#[test]
fn compile_and_run_agree_on_what_the_simulator_accepts() {
    // (name, source, the verdict the simulator gives).
    let mut programs: Vec<(String, String, bool)> = vec![
        (
            "bigint".into(),
            "x = 123456789012345678901234567890\n".into(),
            true,
        ),
        (
            "bigneg".into(),
            "x = -(2 ** 64) + -18446744073709551617\n".into(),
            true,
        ),
        ("float".into(), "x = 1.5\n".into(), true),
        ("bytes".into(), "x = b'ab' + bytearray(b'c')\n".into(), true),
        (
            "no_fn".into(),
            "from machine import no_such_function\n".into(),
            false,
        ),
        (
            "async_with".into(),
            "async def f(lock):\n    async with lock:\n        return 1\n".into(),
            true,
        ),
        (
            "async_for".into(),
            "async def f(it):\n    async for x in it:\n        return x\n".into(),
            true,
        ),
        (
            "async_gen".into(),
            "async def f(it):\n    yield 1\n".into(),
            false,
        ),
    ];
    let natives = sim_natives();
    let names: Vec<&str> = natives.iter().map(|(m, _)| m.as_str()).collect();
    for m in ["machine", "gc", "os"] {
        assert!(names.contains(&m), "the simulator lists {names:?}");
    }
    // `math`'s row is empty (its kernels would overflow the manifest's
    // frame): the host knows its names from the library half, which
    // imports the kernels, so `compile` and `run` agree on them too.
    for (f, ok) in [
        ("sqrt", true),
        ("copysign", true),
        ("floor", true),
        ("nope", false),
    ] {
        let src = format!("from math import {f}\nimport math\n");
        programs.push((format!("math_{f}"), src, ok));
    }
    for (module, fns) in &natives {
        assert!(
            !fns.is_empty() || module == "math",
            "{module} lists no functions"
        );
        for f in fns {
            let src = format!("from {module} import {f}\nimport {module}\n");
            programs.push((format!("{module}_{f}"), src, true));
        }
    }
    let d = scratch_dir("offline", "programs");
    let store = d.join("flash.bin");
    let mut disagree = Vec::new();
    for (name, source, want) in &programs {
        let path = d.join(format!("{name}.py"));
        std::fs::write(&path, format!("{source}print('ok')\n")).unwrap();
        let file = path.display().to_string();
        let (compiled, ran) = (compile_accepts(&file, &store), run_accepts(&file, &store));
        if compiled != ran || ran != *want {
            disagree.push(format!(
                "{name}: compile {compiled}, run {ran}, want {want}"
            ));
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}
