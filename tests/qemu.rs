//! `-p qemu`: p14p starts `qemu-system-arm` with the LM3S6965 firmware and
//! stops it again on every way out. Each run used to leave its emulator
//! running (ten runs, ten emulators): the stream that owned it was still in
//! a task when the process ended, and a signal ended p14p without it.
//!
//! The firmware is built (`scripts/firmware.sh build`) when it is missing.
//! Outside CI a machine without `qemu-system-arm` skips these tests with a
//! message; in CI (`CI` set) that is a failure.

use p14p_tests::bin;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A test's own copy of the firmware. When the test ends, passing or
/// not, any emulator still running it is killed, so a failing test does
/// not itself leave emulators behind.
struct Firmware(PathBuf);

impl std::ops::Deref for Firmware {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Firmware {
    fn drop(&mut self) {
        for pid in emulators(&self.0) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

/// A copy of the firmware at a path of this test's own, so the emulators
/// it starts are told apart from any other on the machine by their
/// command line; `None` (outside CI) without QEMU.
fn firmware(tag: &str) -> Option<Firmware> {
    let qemu = Command::new("qemu-system-arm").arg("--version").output();
    if !qemu.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "qemu-system-arm is required for the -p qemu tests in CI"
        );
        eprintln!("qemu-system-arm is not installed: skipping the -p qemu test");
        return None;
    }
    let built = root().join(p14p::transport::qemu::DEFAULT_FIRMWARE);
    if !built.is_file() {
        let status = Command::new("bash")
            .arg(root().join("scripts/firmware.sh"))
            .arg("build")
            .status()
            .expect("scripts/firmware.sh runs");
        assert!(status.success(), "scripts/firmware.sh build failed");
    }
    let dir = p14p_tests::scratch_dir("qemu", tag);
    let elf = dir.join("p14p-lm3s6965.elf");
    std::fs::copy(&built, &elf).unwrap();
    Some(Firmware(elf))
}

/// The live processes whose command line names `elf` (a zombie's command
/// line is empty, so a reaped or dying emulator is not among them).
fn emulators(elf: &Path) -> Vec<u32> {
    let want = elf.as_os_str().as_encoded_bytes();
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if cmdline.split(|&b| b == 0).any(|arg| arg == want) {
            pids.push(pid);
        }
    }
    pids
}

/// Waits up to `limit` for `check` to hold.
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    loop {
        if check() {
            return true;
        }
        if Instant::now() > end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn p14p(args: &[&str]) -> Output {
    Command::new(bin("p14p"))
        .args(args)
        .current_dir(root())
        .env_remove("P14P_PORT")
        .output()
        .expect("running p14p")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn runs_leave_no_emulator_behind() {
    let Some(elf) = firmware("runs") else { return };
    let port = format!("qemu:{}", elf.display());
    let dir = elf.parent().unwrap();
    let raises = dir.join("raises.py");
    std::fs::write(&raises, "print('before')\nraise ValueError('no')\n").unwrap();
    let broken = dir.join("broken.py");
    std::fs::write(&broken, "print(\n").unwrap();
    for i in 0..3 {
        // A program that ends well.
        let out = p14p(&["run", "examples/hello.py", "-p", &port]);
        assert!(out.status.success(), "run {i}: {}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with("Hello from p14p!\n"));
        assert_eq!(emulators(&elf), [], "run {i} left its emulator");
        // An uncaught exception, and a compile error after the handshake.
        let out = p14p(&["run", raises.to_str().unwrap(), "-p", &port]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("ValueError: no"));
        let out = p14p(&["run", broken.to_str().unwrap(), "-p", &port]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert_eq!(emulators(&elf), [], "failing run {i} left its emulator");
    }
}

/// Starts `p14p repl -p qemu:ELF` (stdin kept open) and waits for its
/// emulator.
fn repl_with_emulator(elf: &Path) -> Child {
    let child = Command::new(bin("p14p"))
        .args(["repl", "-p", &format!("qemu:{}", elf.display())])
        .current_dir(root())
        .env_remove("P14P_PORT")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        eventually(Duration::from_secs(20), || !emulators(elf).is_empty()),
        "the emulator never started"
    );
    child
}

fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn a_terminated_p14p_stops_its_emulator() {
    let Some(elf) = firmware("term") else { return };
    let mut repl = repl_with_emulator(&elf);
    signal(&repl, "TERM");
    let status = repl.wait().unwrap();
    assert_eq!(status.code(), Some(128 + 15), "{status}");
    assert_eq!(emulators(&elf), [], "SIGTERM left the emulator running");
}

#[test]
fn a_killed_p14p_takes_its_emulator_along() {
    // SIGKILL runs no code in p14p: the kernel ends the emulator with it
    // (its parent-death signal).
    let Some(elf) = firmware("kill") else { return };
    let mut repl = repl_with_emulator(&elf);
    signal(&repl, "KILL");
    repl.wait().unwrap();
    assert!(
        eventually(Duration::from_secs(5), || emulators(&elf).is_empty()),
        "SIGKILL left the emulator running: {:?}",
        emulators(&elf)
    );
}
