//! Folders in the store: `sync` stores a subfolder's files under their
//! paths, a program imports them from the store (`import lib.util`,
//! `from lib import util`, a namespace package, a package's
//! `__init__.py`), `ls` draws a tree, `cat` of a pushed `.py` shows its
//! source (found by compiled hash) and never image bytes, `mkdir`,
//! `rm -r`, `cp` both ways and `sha256sum` (CPython's hashlib the oracle).

use p14p_tests::{p14p_with_store as p14p, stdout_of_success as ok};
use std::path::Path;
use std::process::Command;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_synced_folder_imports_from_the_store_and_reads_as_a_tree() {
    let dir = p14p_tests::scratch_dir("folders", "tree");
    let store = dir.join("flash.bin");
    let app = dir.join("app");
    write(&app.join("lib/util.py"), "def f():\n    return 42\n");
    write(&app.join("lib/deep/x.py"), "X = 'deep'\n");
    write(&app.join("pkg/__init__.py"), "NAME = 'pkg'\n");
    write(
        &app.join("pkg/m.py"),
        "from . import helper\nM = helper.H * 2\n",
    );
    write(&app.join("pkg/helper.py"), "H = 21\n");
    write(&app.join("notes/readme.txt"), "read me\n");
    let out = ok(&p14p(&["sync", app.to_str().unwrap()], &store));
    assert!(
        out.contains("add lib/util.py") && out.contains("add lib/__init__.py"),
        "{out}"
    );

    // A program elsewhere: every module comes from the device's store.
    // (Compiled without the folder, `from lib import util` reads an
    // attribute: the submodule must have been imported, as here.)
    let prog = dir.join("elsewhere").join("main.py");
    let source =
        "import lib.util\nfrom lib import util\nimport lib.deep.x\nfrom lib.deep import x\n\
                  import pkg\nimport pkg.m\nfrom pkg import m\n\
                  print(lib.util.f(), util.f(), x.X, pkg.NAME, m.M)\n\
                  print(open('notes/readme.txt').read(), end='')\n";
    write(&prog, source);
    let got = ok(&p14p(&["run", prog.to_str().unwrap()], &store));
    assert_eq!(got, "42 42 deep pkg 42\nread me\n");

    let ls = ok(&p14p(&["ls"], &store));
    let util = ls
        .lines()
        .find(|l| l.ends_with("util.py"))
        .unwrap_or_default();
    assert!(
        util.ends_with("    util.py") && ls.contains(" lib/\n"),
        "{ls}"
    );
    assert!(ls.lines().any(|l| l.ends_with("      x.py")), "{ls}");

    // `cat` of an image: its source, found by compiling, from the folder
    // it was synced from or from above it; never the image.
    let cat = Command::new(p14p_tests::bin("p14p"))
        .args(["cat", "lib/util.py"])
        .env("P14P_STORE", &store)
        .env_remove("P14P_PORT")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(ok(&cat), "def f():\n    return 42\n");
    let elsewhere = dir.join("elsewhere");
    let cat = Command::new(p14p_tests::bin("p14p"))
        .args(["cat", "lib/util.py"])
        .env("P14P_STORE", &store)
        .env_remove("P14P_PORT")
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    assert!(!cat.status.success());
    let err = String::from_utf8_lossy(&cat.stderr);
    assert!(err.contains("the device keeps no source"), "{err}");
    assert!(cat.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mkdir_rm_r_cp_and_sha256sum() {
    let dir = p14p_tests::scratch_dir("folders", "ops");
    let store = dir.join("flash.bin");
    let data = dir.join("data.bin");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    std::fs::write(&data, &bytes).unwrap();
    ok(&p14p(&["mkdir", "logs"], &store));
    let ls = ok(&p14p(&["ls"], &store));
    assert!(ls.contains(" logs/"), "{ls}");
    let out = ok(&p14p(&["cp", data.to_str().unwrap(), ":logs/"], &store));
    assert!(out.contains(":logs/data.bin (1000 bytes)"), "{out}");
    let back = dir.join("back.bin");
    ok(&p14p(
        &["cp", ":logs/data.bin", back.to_str().unwrap()],
        &store,
    ));
    assert_eq!(std::fs::read(&back).unwrap(), bytes);

    let sum = ok(&p14p(&["sha256sum", "logs/data.bin"], &store));
    let oracle = Command::new("python3")
        .args([
            "-c",
            "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
        ])
        .arg(&data)
        .output()
        .unwrap();
    let oracle = String::from_utf8_lossy(&oracle.stdout).trim().to_string();
    assert_eq!(sum, format!("{oracle}  logs/data.bin\n"));

    // A stored image does not come back as a `.py`.
    let prog = dir.join("p.py");
    std::fs::write(&prog, "print(1)\n").unwrap();
    ok(&p14p(&["cp", prog.to_str().unwrap(), ":logs/p.py"], &store));
    let out = p14p(
        &["cp", ":logs/p.py", dir.join("q.py").to_str().unwrap()],
        &store,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("compiled image"));

    let out = p14p(&["rm", "logs"], &store);
    assert!(String::from_utf8_lossy(&out.stderr).contains("rm -r"));
    let out = ok(&p14p(&["rm", "-r", "logs"], &store));
    assert!(
        out.contains("removed logs/data.bin") && out.contains("removed logs/"),
        "{out}"
    );
    assert_eq!(ok(&p14p(&["ls"], &store)), "");
    let _ = std::fs::remove_dir_all(&dir);
}
