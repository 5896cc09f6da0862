//! End-to-end tests of the store: `p14p push`/`sync`/`ls`/`cat` against the
//! simulator and `p14p-device --pty`, boot-time main across a device
//! restart, and power cuts in the middle of writes.

use p14p_tests::{
    p14p_with_store as p14p, power_cuts, pty_device_with_store, stdout_of_success as ok, Found,
};
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
fn more_files_than_the_store_once_held_are_listed_page_by_page() {
    // The store kept a 32-file table in RAM; now it walks its records, and
    // a listing pages through them five files a frame.
    let dir = tmp("many");
    let store = dir.join("flash.bin");
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    for i in 0..40 {
        std::fs::write(app.join(format!("f{i:02}.txt")), format!("{i}\n")).unwrap();
    }
    let a = app.to_str().unwrap();
    let out = ok(&p14p(&["sync", a], &store));
    assert!(out.contains("transferred 40 file(s)"), "{out}");
    // A second sync compares every file's CRC from the listing.
    let out = ok(&p14p(&["sync", a], &store));
    assert!(out.contains("40 unchanged"), "{out}");
    let ls = ok(&p14p(&["ls"], &store));
    for i in 0..40 {
        assert_eq!(ls.matches(&format!(" f{i:02}.txt")).count(), 1, "{ls}");
    }
    let df = ok(&p14p(&["df"], &store));
    assert!(df.contains("40 file(s)"), "{df}");
    assert_eq!(ok(&p14p(&["cat", "f33.txt"], &store)), "33\n");
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

/// `eval` in a boot main, with no host to compile it: RuntimeError, which
/// the program can catch (it writes 0x11 then; 0x22 had eval answered).
#[test]
fn eval_in_a_boot_main_without_a_host_raises_runtime_error() {
    let dir = tmp("evalboot");
    let store = dir.join("flash.bin");
    let app = dir.join("boot.py");
    std::fs::write(
        &app,
        "import machine\ntry:\n    eval('1 + 1')\n    r = 0x22\nexcept RuntimeError:\n    r = 0x11\n\
         machine.mem8[0x40001000] = r\n",
    )
    .unwrap();
    let (mut dev, pty) = pty_device_with_store(&store);
    ok(&p14p(
        &["push", "--main", app.to_str().unwrap(), "-p", &pty],
        &store,
    ));
    dev.kill().unwrap();
    dev.wait().unwrap();
    let (mut dev, pty) = pty_device_with_store(&store);
    std::thread::sleep(Duration::from_millis(1500));
    let peek = ok(&p14p(
        &["peek", "0x40001000", "--width", "8", "-p", &pty],
        &store,
    ));
    assert!(peek.contains("0x11"), "eval at boot: {peek}");
    dev.kill().unwrap();
    dev.wait().unwrap();
    // With a host, the same program's eval is answered.
    let out = ok(&p14p(&["run", app.to_str().unwrap()], &store));
    assert_eq!(out, "");
    let run = p14p(
        &[
            "exec",
            "import machine\ntry:\n    print(eval('1 + 1'))\nexcept RuntimeError:\n    print('no host')",
        ],
        &store,
    );
    assert_eq!(ok(&run), "2\n");
}

/// The power cut at points chosen from the store's own write steps (from
/// the first to the last of a whole push): after every cut the store
/// mounts and holds one whole version of the file, old or new, and both
/// are seen.
#[test]
fn a_power_cut_at_any_step_of_a_push_leaves_old_or_new() {
    let dir = tmp("kill");
    let store = dir.join("flash.bin");
    let base = dir.join("base.bin");
    let old: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let new: Vec<u8> = (0..24_000u32).map(|i| (i % 241) as u8 ^ 0x55).collect();
    let file = dir.join("blob.bin");
    std::fs::write(&file, &old).unwrap();
    let (mut dev, pty) = pty_device_with_store(&store);
    ok(&p14p(&["push", file.to_str().unwrap(), "-p", &pty], &store));
    dev.kill().unwrap();
    dev.wait().unwrap();
    std::fs::copy(&store, &base).unwrap();
    std::fs::write(&file, &new).unwrap();
    let report = power_cuts(
        &base,
        &store,
        &[],
        |pty| p14p(&["push", file.to_str().unwrap(), "-p", pty], &store),
        |pty| {
            let got = p14p(&["cat", "blob.bin", "-p", pty], &store).stdout;
            if got == old {
                Found::Old
            } else if got == new {
                Found::New
            } else {
                panic!("{} bytes, neither version", got.len())
            }
        },
    );
    eprintln!("{report:?}");
    assert!(report.steps > 10, "{report:?}");
    assert!(report.old > 0, "no cut kept the old file: {report:?}");
    assert!(
        report.new_after_cut + report.uncut > 0,
        "the new file was never seen: {report:?}"
    );
}

#[test]
fn sync_recurses_into_subfolders_and_counts_dry_run_bytes() {
    // It used to skip subfolders (the store had no folders), and its dry
    // run said "1 file(s) (0 bytes)" for an 11-byte file.
    let dir = tmp("subfolders");
    let store = dir.join("flash.bin");
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("lib")).unwrap();
    std::fs::write(app.join("notes.txt"), "hello world").unwrap();
    std::fs::write(app.join("lib").join("util.txt"), "nested").unwrap();
    let a = app.to_str().unwrap();
    let out = p14p(&["sync", "--dry-run", a], &store);
    let stdout = ok(&out);
    assert!(
        stdout.contains("would add notes.txt (11 bytes)")
            && stdout.contains("would add lib/util.txt (6 bytes)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("would transfer 2 file(s) (17 bytes)"),
        "{stdout}"
    );
    let out = p14p(&["sync", a], &store);
    let stdout = ok(&out);
    assert!(
        stdout.contains("transferred 2 file(s) (17 bytes)"),
        "{stdout}"
    );
    let ls = ok(&p14p(&["ls"], &store));
    assert!(
        ls.contains("notes.txt") && ls.contains("lib/") && ls.contains("  util.txt"),
        "{ls}"
    );
    assert_eq!(ok(&p14p(&["cat", "lib/util.txt"], &store)), "nested");
}
