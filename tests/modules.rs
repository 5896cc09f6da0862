//! `import` of modules compiled from files next to the program, end to
//! end: `p14p run` on the simulator and on `p14p-device --pty`, and the
//! REPL. Expected outputs come from CPython running the same files.

use p14p_tests::{bin, output_with_stdin, pty_device_with_store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh folder holding `files` (name, source).
fn folder(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("p14p-modules-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, src) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, src).unwrap();
    }
    dir
}

fn p14p(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin("p14p"))
        .args(args)
        .current_dir(dir)
        .env("P14P_STORE", dir.join("flash.bin"))
        .env_remove("P14P_PORT")
        .output()
        .expect("running p14p")
}

fn python(dir: &Path, file: &str) -> Output {
    Command::new("python3")
        .arg(file)
        .current_dir(dir)
        .output()
        .expect("running python3")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Two modules importing each other's functions, each imported twice;
/// their side effects (prints) happen once.
const PACKAGE: &[(&str, &str)] = &[
    (
        "main.py",
        "import a\nfrom b import twice\nimport a\nimport b as bee\n\
         print('main', a.inc(1), twice(4), bee.twice(1))\nprint(a.cross(3), a.__name__)\n\
         a.counter += 1\nprint(a.counter, a.bump(), bee.a.counter)\n",
    ),
    (
        "a.py",
        "print('a loaded')\nimport b\ncounter = 0\ndef inc(x):\n    return x + 1\n\
         def cross(x):\n    return b.twice(x) + 1\ndef bump():\n    global counter\n    counter += 10\n    return counter\n",
    ),
    (
        "b.py",
        "print('b loaded')\nimport a\ndef twice(x):\n    return a.inc(x) * 2 - 2\n",
    ),
];

#[test]
fn modules_import_each_other_and_run_once() {
    let dir = folder("pkg", PACKAGE);
    let want = python(&dir, "main.py");
    assert!(want.status.success(), "{}", text(&want.stderr));
    let out = p14p(&dir, &["run", "main.py"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), text(&want.stdout));
    assert_eq!(text(&out.stdout).matches("a loaded").count(), 1);
    // From another folder: modules are found next to the program.
    let out = p14p(
        &std::env::temp_dir(),
        &["run", dir.join("main.py").to_str().unwrap()],
    );
    assert_eq!(
        text(&out.stdout),
        text(&want.stdout),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn error_in_an_imported_module_shows_its_file_and_line() {
    let dir = folder(
        "tb",
        &[
            (
                "main.py",
                "import util\nprint(util.ratio(4, 2))\nprint(util.ratio(1, 0))\n",
            ),
            (
                "util.py",
                "def ratio(a, b):\n    q = a // b\n    return q\n",
            ),
        ],
    );
    let out = p14p(&dir, &["run", "main.py"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(text(&out.stdout), "2\n");
    assert!(
        err.contains("File \"main.py\", line 3, in <module>"),
        "{err}"
    );
    assert!(err.contains("File \"util.py\", line 2, in ratio"), "{err}");
    assert!(err.contains("q = a // b"), "{err}");
    assert!(err.contains("ZeroDivisionError"), "{err}");
}

#[test]
fn error_while_importing_shows_the_module_body_line() {
    let dir = folder(
        "tbbody",
        &[
            ("main.py", "print('start')\nimport broken\n"),
            ("broken.py", "x = 1\nraise ValueError('bad module')\n"),
        ],
    );
    let out = p14p(&dir, &["run", "main.py"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("File \"main.py\", line 2, in <module>"),
        "{err}"
    );
    assert!(
        err.contains("File \"broken.py\", line 2, in <module>"),
        "{err}"
    );
    assert!(err.contains("ValueError: bad module"), "{err}");
}

#[test]
fn a_missing_module_is_a_compile_time_diagnostic() {
    let dir = folder("missing", &[("main.py", "print('x')\nimport helper\n")]);
    let out = p14p(&dir, &["run", "main.py"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty(), "nothing runs: {}", text(&out.stdout));
    assert!(err.contains("no module named 'helper'"), "{err}");
    assert!(err.contains("main.py:2:8"), "{err}");
    // A native module of the device is no file and needs none.
    let dir = folder(
        "native",
        &[("main.py", "import gc\nprint(gc.collect() is None)\n")],
    );
    let out = p14p(&dir, &["run", "main.py"]);
    assert_eq!(text(&out.stdout), "True\n", "{}", text(&out.stderr));
}

#[test]
fn modules_over_a_pty_device() {
    let dir = folder("pty", PACKAGE);
    let want = python(&dir, "main.py");
    let (mut child, pty) = pty_device_with_store(&dir.join("pty-flash.bin"));
    let out = p14p(&dir, &["run", "main.py", "-p", &pty]);
    let _ = child.kill();
    let _ = child.wait();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), text(&want.stdout));
}

#[test]
fn the_repl_imports_files_of_the_current_folder() {
    let dir = folder(
        "repl",
        &[(
            "greet.py",
            "print('greet loaded')\ndef hi(n):\n    return 'hi ' + n\n",
        )],
    );
    let mut p14p = Command::new(bin("p14p"));
    p14p.arg("repl")
        .current_dir(&dir)
        .env("P14P_STORE", dir.join("flash.bin"))
        .env_remove("P14P_PORT");
    let input = b"import greet\ngreet.hi('a')\nimport greet\nfrom greet import hi\nhi('b')\n";
    let out = output_with_stdin(&mut p14p, input);
    assert_eq!(
        text(&out.stdout),
        "greet loaded\n'hi a'\n'hi b'\n",
        "{}",
        text(&out.stderr)
    );
}

/// The native modules' attributes come from the protocol's table, each
/// module its own: `os` lends none of `machine`'s or `gc`'s functions.
#[test]
fn native_modules_have_only_their_own_functions() {
    let src = "import os, gc\n\
               for m, names in ((os, ('listdir', 'remove', 'stat', 'ticks_ms', 'mem32', 'collect')),\n\
                                (gc, ('collect', 'ticks_ms', 'mem8', 'listdir'))):\n    \
                   print([n for n in names if hasattr(m, n)])\n";
    let dir = folder("natives", &[("natives.py", src)]);
    let want = python(&dir, "natives.py");
    assert!(want.status.success(), "{}", text(&want.stderr));
    let ran = p14p_tests::run_sim(src, "natives.py");
    assert_eq!(ran.traceback, None);
    assert_eq!(ran.stdout, text(&want.stdout));
}

/// `machine.unique_id()` gives the board's id as bytes: on the simulated
/// device its fixed 8 bytes (`SIM_UNIQUE_ID`, the port's constant), the
/// same on every call; a wrong argument count raises TypeError.
#[test]
fn machine_unique_id_is_the_boards_bytes() {
    let id = p14p_port_posix::platform::SIM_UNIQUE_ID;
    let ran = p14p_tests::run_sim(
        "import machine\nu = machine.unique_id()\nprint(u, type(u).__name__, len(u), u == machine.unique_id())\n",
        "uid.py",
    );
    assert_eq!(ran.traceback, None);
    let repr = format!("b'{}'", std::str::from_utf8(id).unwrap());
    assert_eq!(ran.stdout, format!("{repr} bytes 8 True\n"));
    let dir = folder(
        "uid",
        &[("arity.py", "import machine\nmachine.unique_id(1)\n")],
    );
    let out = p14p(&dir, &["run", "arity.py"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("unique_id"),
        "{}",
        text(&out.stderr)
    );
}

/// The frozen library (`lib/*.py`): an error raised in library code shows
/// the library's file and line in the traceback and ends with CPython's
/// line; its modules import by name (`_str`: CPython has none, so its
/// output is compared with CPython calling the method itself).
#[test]
fn library_code_has_tracebacks_and_imports() {
    let dir = folder(
        "lib",
        &[
            ("bad.py", "def f():\n    return 'x'.center(3, 'ab')\nf()\n"),
            (
                "imp.py",
                "import _str\nprint(_str.swapcase('aB'), _str.partition('a-b', '-'))\n",
            ),
            ("ref.py", "print('aB'.swapcase(), 'a-b'.partition('-'))\n"),
        ],
    );
    let want = python(&dir, "bad.py");
    let out = p14p(&dir, &["run", "bad.py"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("File \"lib/str_pad.py\", line "), "{err}");
    assert!(err.contains("    _fill(fillchar)\n"), "{err}");
    assert_eq!(
        err.lines().last(),
        text(&want.stderr).lines().last(),
        "{err}"
    );
    let want = python(&dir, "ref.py");
    let out = p14p(&dir, &["run", "imp.py"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), text(&want.stdout));
}

/// `from m import *` is resolved on the host: a module beside the program
/// gives its `__all__`, or its top-level names not starting with `_`; a
/// native module its manifest's names (with its library half's). The
/// output is CPython's for the same files.
const STAR: &[(&str, &str)] = &[
    (
        "main.py",
        "from shapes import *\nfrom picked import *\nfrom math import *\n\
         print(area(2), TAU, Square(3).side, sqrt(16.0), floor(pi))\n\
         print(shown(), _kept())\n\
         for name in ('_helper', 'unlisted', 'hidden'):\n    \
         try:\n        eval_ = globals()[name]\n    except KeyError:\n        print('no', name)\n",
    ),
    (
        "shapes.py",
        "import math as _math\nTAU = 6.25\n\ndef area(r):\n    return TAU / 2 * r * r\n\n\
         def _helper():\n    return 0\n\nclass Square:\n    def __init__(self, s):\n        self.side = s\n",
    ),
    (
        "picked.py",
        "__all__ = ['shown', '_kept']\ndef shown():\n    return 'shown'\n\
         def _kept():\n    return 'kept'\ndef unlisted():\n    return 0\nhidden = 1\n",
    ),
];

#[test]
fn star_imports_bind_what_cpython_binds() {
    let dir = folder("star", STAR);
    let want = python(&dir, "main.py");
    assert!(want.status.success(), "{}", text(&want.stderr));
    let out = p14p(&dir, &["run", "main.py"]);
    assert_eq!(
        text(&out.stdout),
        text(&want.stdout),
        "{}",
        text(&out.stderr)
    );
    // Inside a function it is CPython's SyntaxError; a module the host
    // cannot see is a diagnostic saying so, before anything runs.
    let dir = folder(
        "star-bad",
        &[
            ("f.py", "print('x')\ndef f():\n    from math import *\n"),
            ("g.py", "print('x')\nfrom nowhere import *\n"),
        ],
    );
    let out = p14p(&dir, &["run", "f.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("import * only allowed at module level"));
    let out = p14p(&dir, &["run", "g.py"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("cannot see the names of module 'nowhere'"),
        "{err}"
    );
    assert!(err.contains("g.py:2:6"), "{err}");
}

/// A package folder beside the program: `pkg/__init__.py` with modules
/// and a subpackage, relative imports inside it (`from . import`,
/// `from ..helper import`), and `ns/` without `__init__.py` (a namespace
/// package). Each submodule is bound on its package as CPython binds it.
const PACKAGES: &[(&str, &str)] = &[
    (
        "main.py",
        "import pkg.sub\nprint(pkg.NAME, pkg.sub.twice(3), pkg.sub.__name__)\nfrom pkg import helper\nprint(helper.shout(\"hi\"), helper.__name__)\nfrom pkg.inner.leaf import leaf, LEVEL\nprint(leaf(), LEVEL)\nimport pkg.inner.leaf as lf\nprint(lf is pkg.inner.leaf, lf.LEVEL)\nimport ns.plain\nprint(ns.plain.VALUE, ns.__name__)\nfrom ns import plain as p2\nprint(p2 is ns.plain)\nfrom pkg import NAME, sub\nprint(NAME, sub.twice(5))\ndef f():\n    import pkg.inner\n    return pkg.inner.__name__\nprint(f())\n",
    ),
    (
        "pkg/__init__.py",
        "print(\"pkg init\")\nNAME = \"package\"\n",
    ),
    (
        "pkg/sub.py",
        "print(\"sub loaded\", __name__)\nfrom . import helper\ndef twice(x):\n    return helper.mul(x, 2)\n",
    ),
    (
        "pkg/helper.py",
        "def mul(a, b):\n    return a * b\ndef shout(s):\n    return s.upper() + \"!\"\n",
    ),
    (
        "pkg/inner/__init__.py",
        "from .. import NAME as parent_name\nprint(\"inner init\", parent_name)\n",
    ),
    (
        "pkg/inner/leaf.py",
        "from ..helper import mul\nfrom . import __name__ as inner_name\nLEVEL = 2\ndef leaf():\n    return mul(7, 6), inner_name\n",
    ),
    (
        "ns/plain.py",
        "VALUE = 42\n",
    ),
];

#[test]
fn packages_import_as_cpython_imports_them() {
    let dir = folder("packages", PACKAGES);
    let want = python(&dir, "main.py");
    assert!(want.status.success(), "{}", text(&want.stderr));
    let out = p14p(&dir, &["run", "main.py"]);
    assert_eq!(
        text(&out.stdout),
        text(&want.stdout),
        "{}",
        text(&out.stderr)
    );
    // A relative import outside a package is CPython's ImportError, here
    // a diagnostic before anything runs.
    let dir = folder("packages-bad", &[("r.py", "print('x')\nfrom . import y\n")]);
    let out = p14p(&dir, &["run", "r.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("attempted relative import with no known parent package"),
        "{err}"
    );
}
