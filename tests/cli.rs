//! The `p14p` binary: `run` of good and bad programs (exit status, stdout,
//! and stderr naming file:line with the source line), `peek`/`poke`,
//! `compile`.

use p14p_tests::{bin, output_with_stdin, SIM_DEVICE_ID, SIM_GPIO_OUT};
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

/// Runs `p14p ARGS` with `stdin` piped in.
fn p14p_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut p14p = Command::new(bin("p14p"));
    p14p.args(args).env_remove("P14P_PORT");
    output_with_stdin(&mut p14p, stdin.as_bytes())
}

/// `input()` over the link (protocol 12): the device asks, `p14p run`
/// answers with a line of its stdin, and at the end of input the program
/// gets EOFError, as CPython's does reading the same stdin.
#[test]
fn input_reads_lines_of_the_hosts_stdin() {
    let source = "name = input('name? ')\nprint('hello', name, len(name))\n\
                  n = int(input())\nprint(n * 2, repr(input('')))\n\
                  try:\n    input('more> ')\nexcept EOFError as e:\n    print('EOF', repr(e))\n";
    let f = file("input.py", source);
    let stdin = "Ada Lovelace \u{e9}\n21\n\n";
    let want = output_with_stdin(Command::new("python3").arg(&f), stdin.as_bytes());
    let out = p14p_with_stdin(&["run", f.to_str().unwrap()], stdin);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), text(&want.stdout));
    // The piped REPL: the program's input() reads the lines after it.
    let out = p14p_with_stdin(&["repl"], "x = input()\nsome text\nprint(x.upper())\n");
    assert_eq!(text(&out.stdout), "SOME TEXT\n", "{}", text(&out.stderr));
}

/// `machine.reset()` on the simulator (a port that cannot reset a chip):
/// the device drops its state and announces `Boot`, so `run` ends at once
/// with the output so far and says the device reset, rather than waiting
/// for a run that is gone.
#[test]
fn run_of_a_program_that_resets_ends_saying_the_device_reset() {
    let f = file(
        "reset.py",
        "import machine\nprint('before')\nmachine.reset()\nprint('after')\n",
    );
    let out = p14p(&["run", f.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "before\n");
    assert!(
        text(&out.stderr).contains("the device reset while the program was running"),
        "{}",
        text(&out.stderr)
    );
}

/// The REPL goes on after `machine.reset()`, with a fresh device (the
/// global `x` is gone), and after `machine.soft_reset()` likewise.
#[test]
fn the_repl_goes_on_after_a_reset_with_the_state_gone() {
    for call in ["reset", "soft_reset"] {
        let input = format!("x = 1\nimport machine\nmachine.{call}()\nprint(x)\nprint(2)\n");
        let out = p14p_with_stdin(&["repl"], &input);
        let stderr = text(&out.stderr);
        assert_eq!(text(&out.stdout), "2\n", "{call}: {stderr}");
        assert!(stderr.contains("NameError"), "{call}: {stderr}");
        assert_eq!(
            stderr.contains("p14p: the device reset"),
            call == "reset",
            "{call}: {stderr}"
        );
    }
}

/// After `gc.disable()` a program that fills the heap with garbage gets
/// `MemoryError` (MicroPython's: nothing collects automatically), but the
/// REPL's next input still loads: a load collects whatever the policy.
#[test]
fn the_repl_loads_the_next_input_after_a_disabled_gc_filled_the_heap() {
    let input = "import gc\ngc.disable()\ntry:\n    while True:\n        x = [0] * 20\n\
                 except MemoryError:\n    print('MemoryError')\n\nprint('next', gc.isenabled())\n";
    let out = p14p_with_stdin(&["repl"], input);
    assert_eq!(
        text(&out.stdout),
        "MemoryError\nnext False\n",
        "{}",
        text(&out.stderr)
    );
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
        "print('start')\nmatch 1:\n    case 1:\n        pass\n",
    );
    let out = p14p(&["run", f.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Nothing ran: the compiler refused the whole file.
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(err.contains(&format!("{}:2:", f.display())), "{err}");
    assert!(err.contains("match 1:"), "{err}");
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
    // A missing build at the default firmware's path (what `-p qemu` asks
    // for when no checkout around holds one) says how to build it. The
    // path is spelled out: `-p qemu` alone would find this checkout's
    // build whenever one exists (unit tests of `find_from` cover that).
    let missing =
        "qemu:/nonexistent/ports/lm3s6965/target/thumbv7m-none-eabi/release/p14p-lm3s6965";
    let out = p14p(&["run", "-p", missing, "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("scripts/firmware.sh build"), "{err}");
}

#[test]
fn big_int_chains_survive_collections_on_a_small_heap() {
    // pow(b, e, m) passed the product it had just made to the modulo
    // unrooted: on a small heap a collection freed it mid-chain and the
    // result was wrong. The expected output is CPython's.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("gc");
    let program = dir.join("bigint_chains.py");
    let out = p14p(&["--heap", "6144", "run", program.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = std::fs::read_to_string(dir.join("bigint_chains.exp")).unwrap();
    assert_eq!(text(&out.stdout), expected);
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

/// The repository's root (tests run in `tests/`).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn empty_store_and_svd_variables_mean_unset() {
    // `P14P_STORE=` used to fail with "a value is required for '--store'".
    let (addr, id) = SIM_DEVICE_ID;
    let out = Command::new(bin("p14p"))
        .args(["peek", &addr.to_string()])
        .env_remove("P14P_PORT")
        .env("P14P_STORE", "")
        .env("P14P_SVD", "")
        .output()
        .expect("running p14p");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("{id:#010x}")),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn peek_of_more_items_than_one_reply_holds_is_split() {
    // 70 words (280 bytes) are more than one `Data` reply carries (256):
    // the device used to answer "too many items for one reply".
    let dir = p14p_tests::scratch_dir("cli", "peek70");
    let (mut dev, pty) = p14p_tests::pty_device_with_store(&dir.join("flash.bin"));
    let sram = p14p_port_posix::memmap::SRAM;
    let last = sram + 4 * 69;
    let poke = p14p(&["poke", &last.to_string(), "0x12345678", "-p", &pty]);
    assert!(poke.status.success(), "{}", text(&poke.stderr));
    let out = p14p(&["peek", &sram.to_string(), "70", "-p", &pty]);
    let _ = dev.kill();
    let _ = dev.wait();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // 280 bytes, 16 a row: 18 rows, the last with the two last words.
    assert_eq!(stdout.lines().count(), 18, "{stdout}");
    let row = format!("{:#010x}: 00000000 12345678", sram + 0x110);
    assert_eq!(stdout.lines().last(), Some(row.as_str()), "{stdout}");
}

#[test]
fn an_image_too_large_says_its_size_and_the_limit() {
    let source: String = (0..400).map(|i| format!("v{i} = 'value {i}'\n")).collect();
    let f = file("huge.py", &source);
    let out = p14p(&["--heap", "4096", "run", f.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let compiled = Command::new(bin("p14p"))
        .args(["compile", f.to_str().unwrap(), "-o"])
        .arg(f.with_extension("p14i"))
        .output()
        .unwrap();
    let len = std::fs::metadata(f.with_extension("p14i")).unwrap().len();
    assert!(compiled.status.success() && len > 4096, "{len} bytes");
    assert!(err.contains(&format!("is {len} bytes")), "{err}");
    // The limit: the heap the device reports (a little under --heap).
    let limit: u64 = err
        .split("its heap, which holds every loaded image, is ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no limit in: {err}"));
    assert!(limit <= 4096 && limit < len, "{err}");
}

#[test]
fn a_port_that_is_no_serial_device_says_so() {
    // It used to say only "Not a typewriter".
    let f = file("nottty.py", "print(1)\n");
    for port in ["/dev/null", f.to_str().unwrap()] {
        let out = p14p(&["run", "-p", port, f.to_str().unwrap()]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("cannot open {port}: not a serial port")),
            "{err}"
        );
        assert!(err.contains("tcp:HOST:PORT"), "{err}");
    }
}

#[test]
fn bench_finds_its_folder_from_any_directory() {
    // The default bench folder used to be relative to the current
    // directory, so `p14p bench` failed anywhere but one place. A copy of
    // the binary in a repository laid out as a clone (REPO/target/debug)
    // with `shared/bench` beside it, run from an unrelated directory.
    let dir = p14p_tests::scratch_dir("cli", "bench");
    let exe_dir = dir.join("repo/target/debug");
    std::fs::create_dir_all(&exe_dir).unwrap();
    let exe = exe_dir.join("p14p");
    if std::fs::hard_link(bin("p14p"), &exe).is_err() {
        std::fs::copy(bin("p14p"), &exe).unwrap();
    }
    let bench = dir.join("shared/bench");
    std::fs::create_dir_all(&bench).unwrap();
    std::fs::write(bench.join("tiny.py"), "print(sum(range(10)))\n").unwrap();
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = Command::new(&exe)
        .args(["bench", "-n", "2", "--no-pty"])
        .current_dir(&elsewhere)
        .env_remove("P14P_PORT")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("repl round trip ( sim)"), "{stdout}");
    let row = stdout.lines().find(|l| l.starts_with("tiny.py"));
    assert!(row.is_some_and(|r| r.ends_with('x')), "{stdout}");
}

#[test]
fn the_readme_watch_example_shows_the_led_change() {
    // The README's `watch` example ran a blink that toggled six times in
    // microseconds: a watch sampling every 100 ms showed no change.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("p14p watch ") && l.contains("examples/blink.py"))
        .expect("the README's watch example");
    let command = line.split('#').next().unwrap().trim();
    let svd = "ports/posix/svd/p14p-sim.svd";
    let args: Vec<&str> = command
        .split_whitespace()
        .skip(1)
        .map(|a| if a == "$svd" { svd } else { a })
        .collect();
    let out = Command::new(bin("p14p"))
        .args(&args)
        .current_dir(root())
        .env_remove("P14P_PORT")
        .env_remove("P14P_SVD")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let changes: Vec<&str> = stdout.lines().filter(|l| l.contains(" → ")).collect();
    assert!(changes.len() >= 3, "{stdout}");
    assert!(changes[0].contains("0x00000000 → 0x00000001"), "{stdout}");
    assert!(changes[0].contains("LED=1"), "{stdout}");
}

/// `p14p freeze -o FILE` writes the frozen library's blob: the committed
/// one the device crate includes (when `lib/` is unchanged).
#[test]
fn freeze_writes_the_committed_library_blob() {
    let dir = p14p_tests::scratch_dir("cli", "freeze");
    let blob = dir.join("library.bin");
    let out = p14p(&["freeze", "-o", blob.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("_str: "),
        "{}",
        text(&out.stdout)
    );
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../device/frozen/library.bin"
    ))
    .unwrap();
    assert_eq!(std::fs::read(&blob).unwrap(), committed);
}

/// `p14p dis big.py | head -1`: once the reader hangs up, p14p stops quietly
/// (exit 0, nothing on stderr) as `head`'s writers do, instead of std's
/// "failed printing to stdout" panic.
#[test]
fn closed_stdout_ends_quietly() {
    use std::process::Stdio;
    let body: String = (0..400).map(|i| format!("x{i} = {i} * 2\n")).collect();
    let f = file("long.py", &body);
    let mut child = Command::new(bin("p14p"))
        .args(["dis", f.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running p14p");
    // Hang up before p14p writes anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waiting for p14p");
    assert_eq!(text(&out.stderr), "");
    assert!(out.status.success(), "{:?}", out.status);
}
