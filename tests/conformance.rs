//! The conformance corpus: every `conformance/*.py` runs on the simulator and
//! its stdout must equal the committed `*.exp`, which is CPython's output
//! (regenerate with `conformance/regen.sh`; never edit by hand).

use p14p::transport::Port;
use p14p_tests::{open, run_on, runtime};
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 16,
        "the corpus is missing in {}",
        dir.display()
    );
    files
}

fn expected(py: &Path) -> String {
    let exp = py.with_extension("exp");
    std::fs::read_to_string(&exp)
        .unwrap_or_else(|e| panic!("{}: {e} (run conformance/regen.sh)", exp.display()))
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_program_matches_cpython_on_the_simulator() {
    check_corpus("");
}

/// The corpus again with a collection before every allocation but a
/// frame's (MicroPython's `gc.threshold(0)`, two lines before each
/// program): a value the VM holds unrooted across an allocation shows as
/// a wrong output or a crash here, where a collection at a random
/// allocation would rarely catch it.
#[test]
fn every_program_matches_cpython_with_a_collection_at_every_allocation() {
    check_corpus("import gc\ngc.threshold(0)\n");
}

/// Runs every program of the corpus after `prefix` on the simulator and
/// fails listing those whose output is not CPython's.
fn check_corpus(prefix: &str) {
    let failures: Vec<String> = runtime().block_on(async {
        let session = open(&Port::Sim).await;
        let mut failures = Vec::new();
        for py in corpus() {
            let source = prefix.to_owned() + &std::fs::read_to_string(&py).unwrap();
            let ran = run_on(&session, &source, &name(&py)).await;
            let want = expected(&py);
            if let Some(tb) = ran.traceback {
                failures.push(format!("{}: raised\n{tb}", name(&py)));
            } else if ran.stdout != want {
                let line = want
                    .lines()
                    .zip(ran.stdout.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| want.lines().count().min(ran.stdout.lines().count()));
                failures.push(format!(
                    "{}: output differs at line {}: expected {:?}, got {:?}",
                    name(&py),
                    line + 1,
                    want.lines().nth(line).unwrap_or("<end>"),
                    ran.stdout.lines().nth(line).unwrap_or("<end>"),
                ));
            }
        }
        failures
    });
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn expected_outputs_are_cpythons() {
    let python = std::env::var("CONFORMANCE_PYTHON").unwrap_or_else(|_| "python3".into());
    if Command::new(&python).arg("--version").output().is_err() {
        // In CI the check must run: a machine without python3 fails it
        // instead of dropping it unseen.
        assert!(
            std::env::var_os("CI").is_none(),
            "{python} not found: CI must check the .exp files are CPython's"
        );
        eprintln!("{python} not found: cannot check the .exp files are current (skipped)");
        return;
    }
    let mut stale = Vec::new();
    for py in corpus() {
        let out = Command::new(&python).arg(&py).output().unwrap();
        assert!(out.status.success(), "{} fails under {python}", name(&py));
        if String::from_utf8_lossy(&out.stdout) != expected(&py) {
            stale.push(name(&py));
        }
    }
    assert!(
        stale.is_empty(),
        "stale .exp (run tests/conformance/regen.sh): {}",
        stale.join(", ")
    );
}
