//! The project's own gates cannot silently stop gating: in CI (`CI` set)
//! a missing `../shared` corpus fails the conformance gate instead of
//! skipping it, and the device's feature combinations all build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_clone_without_shared_fails_the_conformance_gate_in_ci() {
    // A fresh clone with no `shared/` beside it.
    let dir = p14p_tests::scratch_dir("gates", "noshared");
    let scripts = dir.join("p14p/scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    std::fs::copy(
        root().join("scripts/conformance.sh"),
        scripts.join("conformance.sh"),
    )
    .unwrap();
    let run = |ci: Option<&str>| {
        let mut cmd = Command::new("bash");
        cmd.arg(scripts.join("conformance.sh")).env_remove("CI");
        if let Some(v) = ci {
            cmd.env("CI", v);
        }
        cmd.output().unwrap()
    };
    let out = run(Some("true"));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("shared/conformance not found"), "{err}");
    // Elsewhere it says so, and passes.
    let out = run(None);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("not found; skipped"), "{err}");
}

#[test]
fn big_ints_without_floats_build() {
    // `--features bigint,files,bytes` (no `float`) did not compile.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root())
        .args(["check", "--quiet", "-p", "p14p-device", "--lib"])
        .args(["--no-default-features", "--features", "bigint,files,bytes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}
