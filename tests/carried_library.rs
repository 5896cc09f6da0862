//! The carried library (`host/src/library.rs` `CARRIED`): modules the
//! firmware leaves out, which the host stores on the device the first time
//! a program imports them, and then finds there.

use p14p_tests::{p14p_with_store as p14p, stdout_of_success as ok};

fn tmp(name: &str) -> std::path::PathBuf {
    p14p_tests::scratch_dir("carried", name)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `import struct` stores `struct.py` once: the next run finds the same
/// image in the store and sends nothing.
#[test]
fn a_carried_module_is_stored_on_first_import_and_kept() {
    let dir = tmp("once");
    let store = dir.join("flash.bin");
    let prog = dir.join("pack.py");
    std::fs::write(&prog, "import struct\nprint(struct.pack('<HB', 513, 7))\n").unwrap();
    let p = prog.to_str().unwrap();
    let first = p14p(&["run", p], &store);
    assert_eq!(ok(&first), "b'\\x01\\x02\\x07'\n");
    assert!(
        stderr(&first).contains("stored the library module struct.py"),
        "{}",
        stderr(&first)
    );
    let second = p14p(&["run", p], &store);
    assert_eq!(ok(&second), "b'\\x01\\x02\\x07'\n");
    assert!(
        !stderr(&second).contains("struct.py"),
        "{}",
        stderr(&second)
    );
    let ls = ok(&p14p(&["ls"], &store));
    assert_eq!(ls.matches(" struct.py").count(), 1, "{ls}");
}

/// A native module's carried half (`math`'s `_math`) is stored when a
/// program imports the native module, and its Python names resolve.
#[test]
fn a_native_modules_carried_half_is_stored_with_it() {
    let dir = tmp("half");
    let store = dir.join("flash.bin");
    let prog = dir.join("m.py");
    std::fs::write(
        &prog,
        "import math\nprint(math.floor(2.5), math.sqrt(16.0), math.gcd(12, 18))\n",
    )
    .unwrap();
    let out = p14p(&["run", prog.to_str().unwrap()], &store);
    assert_eq!(ok(&out), "2 4.0 6\n");
    let ls = ok(&p14p(&["ls"], &store));
    assert!(ls.contains(" _math.py"), "{ls}");
}

/// A file next to the program shadows a library module of the same name,
/// as the script's folder comes first on CPython's `sys.path`.
#[test]
fn a_local_file_shadows_a_carried_module() {
    let dir = tmp("shadow");
    let store = dir.join("flash.bin");
    std::fs::write(
        dir.join("random.py"),
        "def randint(a, b):\n    return 'local'\n",
    )
    .unwrap();
    let prog = dir.join("main.py");
    std::fs::write(&prog, "import random\nprint(random.randint(1, 6))\n").unwrap();
    let out = p14p(&["run", prog.to_str().unwrap()], &store);
    assert_eq!(ok(&out), "local\n");
    let ls = ok(&p14p(&["ls"], &store));
    assert!(!ls.contains("random.py"), "{ls}");
}

/// `push` stores what the pushed program imports from the library beside
/// it (so that it runs at boot without a host), and `sync --delete` keeps
/// those modules rather than removing them as strays.
#[test]
fn push_and_sync_store_a_programs_library_modules() {
    let dir = tmp("push");
    let store = dir.join("flash.bin");
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("main.py"), "import errno\nprint(errno.ENOENT)\n").unwrap();
    let out = p14p(&["push", app.join("main.py").to_str().unwrap()], &store);
    ok(&out);
    let ls = ok(&p14p(&["ls"], &store));
    assert!(ls.contains(" main.py") && ls.contains(" errno.py"), "{ls}");
    let out = ok(&p14p(&["sync", "--delete", app.to_str().unwrap()], &store));
    assert!(!out.contains("remove errno.py"), "{out}");
    let ls = ok(&p14p(&["ls"], &store));
    assert!(ls.contains(" errno.py"), "{ls}");
}
