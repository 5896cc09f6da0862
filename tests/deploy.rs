//! End-to-end tests of the store: `p14p push`/`sync`/`ls`/`cat` against the
//! simulator and `p14p-device --pty`, boot-time main across a device
//! restart, and SIGKILL of the device in the middle of writes.

use p14p_tests::{bin, p14p_with_store as p14p, pty_device_with_store, stdout_of_success as ok};
use std::process::{Command, Stdio};
use std::time::Duration;

fn tmp(name: &str) -> std::path::PathBuf {
    p14p_tests::scratch_dir("deploy", name)
}

#[test]
fn sync_sends_only_what_changed() {
    let dir = tmp("sync");
    let store = dir.join("flash.bin");
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("main.py"), "print('hi')\n").unwrap();
    std::fs::write(app.join("lib.py"), "def f():\n    return 1\n").unwrap();
    std::fs::write(app.join("data.txt"), "one\n").unwrap();
    let a = app.to_str().unwrap();
    let out = ok(&p14p(&["sync", a], &store));
    assert!(out.contains("transferred 3 file(s)"), "{out}");
    let out = ok(&p14p(&["sync", a], &store));
    assert!(
        out.contains("transferred 0 file(s)") && out.contains("3 unchanged"),
        "{out}"
    );
    std::fs::write(app.join("data.txt"), "two\n").unwrap();
    let out = ok(&p14p(&["sync", "--dry-run", a], &store));
    assert!(out.contains("would update data.txt"), "{out}");
    let out = ok(&p14p(&["sync", a], &store));
    assert!(
        out.contains("update data.txt") && out.contains("transferred 1 file(s)"),
        "{out}"
    );
    assert!(!out.contains("main.py"), "{out}");
    assert_eq!(ok(&p14p(&["cat", "data.txt"], &store)), "two\n");
    std::fs::remove_file(app.join("lib.py")).unwrap();
    let out = ok(&p14p(&["sync", "--delete", a], &store));
    assert!(out.contains("remove lib.py"), "{out}");
    let ls = ok(&p14p(&["ls"], &store));
    assert!(
        ls.contains("main.py") && ls.contains("data.txt") && !ls.contains("lib.py"),
        "{ls}"
    );
    let df = ok(&p14p(&["df"], &store));
    assert!(df.contains("2 file(s)"), "{df}");
}

#[test]
fn pushed_main_runs_after_the_device_restarts() {
    let dir = tmp("main");
    let store = dir.join("flash.bin");
    let app = dir.join("boot.py");
    std::fs::write(&app, "import machine\nmachine.mem8[0x40001000] = 0x5a\n").unwrap();
    let (mut dev, pty) = pty_device_with_store(&store);
    let out = ok(&p14p(
        &["push", "--main", app.to_str().unwrap(), "-p", &pty],
        &store,
    ));
    assert!(out.contains("main = boot.py"), "{out}");
    let peek = ok(&p14p(
        &["peek", "0x40001000", "--width", "8", "-p", &pty],
        &store,
    ));
    assert!(
        peek.contains("0x00"),
        "main did not run on this boot: {peek}"
    );
    dev.kill().unwrap();
    dev.wait().unwrap();
    // A new device process on the same flash file: main runs after the
    // grace period because no host spoke.
    let (mut dev, pty) = pty_device_with_store(&store);
    std::thread::sleep(Duration::from_millis(1500));
    let peek = ok(&p14p(
        &["peek", "0x40001000", "--width", "8", "-p", &pty],
        &store,
    ));
    assert!(peek.contains("0x5a"), "main ran at boot: {peek}");
    dev.kill().unwrap();
    dev.wait().unwrap();
}

#[test]
fn killing_the_device_mid_write_leaves_old_or_new() {
    let dir = tmp("kill");
    let store = dir.join("flash.bin");
    let old: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let new: Vec<u8> = (0..24_000u32).map(|i| (i % 241) as u8 ^ 0x55).collect();
    let (oldf, newf) = (dir.join("old"), dir.join("new"));
    std::fs::write(&oldf, &old).unwrap();
    std::fs::write(&newf, &new).unwrap();
    let file = dir.join("blob.bin");
    std::fs::copy(&oldf, &file).unwrap();
    let (mut dev, pty) = pty_device_with_store(&store);
    ok(&p14p(&["push", file.to_str().unwrap(), "-p", &pty], &store));
    dev.kill().unwrap();
    dev.wait().unwrap();
    let mut seen_old = false;
    let mut seen_new = false;
    for i in 0..12u64 {
        let (mut dev, pty) = pty_device_with_store(&store);
        // Alternate which content is being written, so every round changes it.
        let src = if i % 2 == 0 { &newf } else { &oldf };
        std::fs::copy(src, &file).unwrap();
        let mut push = Command::new(bin("p14p"))
            .args(["push", file.to_str().unwrap(), "-p", &pty])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + i * 25));
        dev.kill().unwrap(); // SIGKILL
        dev.wait().unwrap();
        let _ = push.wait();
        // The store mounts and holds one whole version.
        let (mut dev, pty) = pty_device_with_store(&store);
        let got = p14p(&["cat", "blob.bin", "-p", &pty], &store);
        let got = got.stdout;
        assert!(
            got == old || got == new,
            "round {i}: {} bytes, neither version",
            got.len()
        );
        seen_old |= got == old;
        seen_new |= got == new;
        dev.kill().unwrap();
        dev.wait().unwrap();
    }
    assert!(seen_old || seen_new);
}
