//! The `p14p` binary: `run` of good and bad programs (exit status, stdout,
//! and stderr naming file:line with the source line), `peek`/`poke`,
//! `compile`.

use p14p_tests::{bin, SIM_DEVICE_ID, SIM_GPIO_OUT};
use std::path::PathBuf;
use std::process::{Command, Output};

/// Writes `source` to a fresh file named `name` and returns its path.
fn file(name: &str, source: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("p14p-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, source).unwrap();
    path
}

fn p14p(args: &[&str]) -> Output {
    Command::new(bin("p14p"))
        .args(args)
        .env_remove("P14P_PORT")
        .output()
        .expect("running p14p")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn run_prints_program_output() {
    let f = file("hello.py", "for i in range(3):\n    print('hello', i)\n");
    let out = p14p(&["run", f.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "hello 0\nhello 1\nhello 2\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn run_syntax_error_shows_file_line_and_source() {
    let f = file("syntax.py", "x = 1\ny = (2 +\nprint(x y)\n");
    let out = p14p(&["run", f.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.contains("error"), "{err}");
    // As CPython: the unclosed bracket is the error, on the line it opens.
    assert!(err.contains("'(' was never closed"), "{err}");
    assert!(err.contains(&format!("{}:2:5", f.display())), "{err}");
    assert!(err.contains("y = (2 +"), "{err}");
}

#[test]
fn run_unsupported_construct_is_rejected_with_its_location() {
    let f = file(
        "unsupported.py",
        "print('start')\nasync def fetch():\n    return 1\n",
    );
    let out = p14p(&["run", f.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Nothing ran: the compiler refused the whole file.
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(err.contains(&format!("{}:2:", f.display())), "{err}");
    assert!(err.contains("async def fetch():"), "{err}");
}

#[test]
fn run_uncaught_exception_prints_traceback_and_fails() {
    let f = file(
        "raises.py",
        "def check(v):\n    if v > 2:\n        raise ValueError('too big: ' + str(v))\n\nfor v in range(5):\n    print(v)\n    check(v)\n",
    );
    let out = p14p(&["run", f.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(text(&out.stdout), "0\n1\n2\n3\n");
    let name = f.display();
    assert!(
        err.starts_with("Traceback (most recent call last):\n"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "  File \"{name}\", line 7, in <module>\n    check(v)\n"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "  File \"{name}\", line 3, in check\n    raise ValueError('too big: ' + str(v))\n"
        )),
        "{err}"
    );
    assert!(err.ends_with("ValueError: too big: 3\n"), "{err}");
}

#[test]
fn missing_file_is_a_tool_error() {
    let out = p14p(&["run", "/nonexistent/p14p.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read /nonexistent/p14p.py"));
}

#[test]
fn silent_port_is_reported() {
    let out = p14p(&["run", "--port", "/dev/p14p-no-such-tty", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot open /dev/p14p-no-such-tty"));
}

#[test]
fn qemu_port_without_firmware_says_what_to_do() {
    let out = p14p(&["run", "-p", "qemu:/nonexistent/p14p.elf", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no firmware at /nonexistent/p14p.elf"));
    // The default firmware is the repository's build, relative to the
    // working directory (here tests/, where there is none).
    let out = p14p(&["run", "-p", "qemu", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("scripts/firmware.sh build"), "{err}");
}

#[test]
fn peek_and_poke_on_the_simulator() {
    // Each invocation is a fresh simulated device: poke succeeds, peek reads
    // the read-only id register in the documented format.
    let out = p14p(&[
        "poke",
        &format!("{SIM_GPIO_OUT:#x}"),
        "0xff",
        "--width",
        "8",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (id_addr, id) = SIM_DEVICE_ID;
    let out = p14p(&["peek", &id_addr.to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{id_addr:#010x}: {id:#010x}  ({id})\n")
    );
    let out = p14p(&["peek", &format!("{id_addr:#x}"), "2", "--width", "16"]);
    assert_eq!(
        text(&out.stdout),
        format!("{id_addr:#010x}: {:04x} {:04x}\n", id & 0xffff, id >> 16)
    );
    let out = p14p(&["poke", &format!("{id_addr:#x}"), "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("read-only"),
        "{}",
        text(&out.stderr)
    );
    let out = p14p(&["peek", "0xfffffff0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("memory map"),
        "{}",
        text(&out.stderr)
    );
}

/// `repl` and `inspect` take the device as a positional or as the global
/// `--port`/`-p` every other command takes; the positional wins.
#[test]
fn repl_and_inspect_take_the_port_either_way() {
    let refused = "tcp:127.0.0.1:9";
    for args in [
        &["repl", "--port", refused][..],
        &["repl", "-p", refused],
        &["inspect", "--once", "--port", refused],
        &["inspect", "--once", refused],
    ] {
        let out = p14p(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(&format!("cannot connect to {refused}")),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = Command::new(bin("p14p"))
        .args(["repl", "--port", refused, "sim"])
        .env_remove("P14P_PORT")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn compile_writes_an_image() {
    let f = file("comp.py", "print(42)\n");
    let img = f.with_extension("p14i");
    let out = p14p(&["compile", f.to_str().unwrap(), "-o", img.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&img).unwrap();
    assert_eq!(&bytes[..4], b"P14I");
    assert!(text(&out.stdout).contains(&format!("{} bytes", bytes.len())));
}
