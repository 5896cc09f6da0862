//! End-to-end tests of `open()` and `os` on the device's store: programs
//! run by `p14p run` on the simulator with a store file and on
//! `p14p-device --pty --store FILE`; files cross between `p14p push`/`cat`
//! and `open()`; a program interrupted in the middle of a write leaves the
//! old file, and a power cut at any step of one the old or the new.

use p14p_tests::{
    bin, p14p_with_store as p14p, power_cuts, pty_device_with_store, stdout_of_success as ok, Found,
};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A `p14p-device --pty --store` process, killed when dropped (also when
/// a test fails).
struct Dev(std::process::Child, String);

impl Dev {
    fn start(store: &Path) -> Dev {
        let (child, pty) = pty_device_with_store(store);
        Dev(child, pty)
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tmp(name: &str) -> PathBuf {
    p14p_tests::scratch_dir("files", name)
}

/// Writes `source` to `dir/name` and runs it with `p14p run` (extra args
/// select the device); returns stdout and stderr.
fn run(dir: &Path, name: &str, source: &str, store: &Path, extra: &[&str]) -> (String, String) {
    let prog = dir.join(name);
    std::fs::write(&prog, source).unwrap();
    let mut args = vec!["run", prog.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = p14p(&args, store);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What CPython prints for `source` run in an empty directory (the oracle).
fn cpython(source: &str, dir: &Path) -> String {
    let work = dir.join("cpython");
    std::fs::create_dir_all(&work).unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(source)
        .current_dir(&work)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A program using every part of the file API; its output must match
/// CPython's.
const TOUR: &str = r#"
with open('data.txt', 'w') as f:
    print(f.write('hello\n'), f.name, f.mode, f.closed)
    for i in range(40):
        f.write('line %d: wörld\n' % i)
print(f.closed)
f = open('data.txt')
print(repr(f.read(3)), repr(f.readline()), repr(f.read(6)))
n = 0
for line in f:
    n += len(line)
print(n, repr(line))
print(repr(f.read()), repr(f.readline()))
f.close()
f.close()
with open('data.txt', 'a') as f:
    f.write('appended')
with open('data.txt') as f:
    lines = f.readlines()
print(len(lines), lines[0], lines[-1])
print(len(open('data.txt').read()))
try:
    open('missing.txt')
except OSError as e:
    print(type(e).__name__, isinstance(e, FileNotFoundError), e, e.errno)
try:
    f.read()
except ValueError as e:
    print('ValueError', e)
try:
    open('data.txt', 'z')
except ValueError:
    print('bad mode')
import os
print(sorted(n for n in os.listdir() if n.endswith('.txt')))
print(os.stat('data.txt')[6])
os.remove('data.txt')
print('data.txt' in os.listdir())
try:
    os.remove('data.txt')
except OSError as e:
    print(e, e.errno, e.args[0])
"#;

#[test]
fn the_file_api_matches_cpython_on_the_simulator() {
    let dir = tmp("tour");
    let store = dir.join("flash.bin");
    let (out, err) = run(&dir, "tour.py", TOUR, &store, &[]);
    assert_eq!(out, cpython(TOUR, &dir), "stderr: {err}");
}

#[test]
fn the_file_api_on_a_pty_device_and_files_cross_with_the_host() {
    let dir = tmp("pty");
    let store = dir.join("flash.bin");
    let dev = Dev::start(&store);
    let pty = dev.1.clone();
    let (out, err) = run(&dir, "tour.py", TOUR, &store, &["-p", &pty]);
    assert_eq!(out, cpython(TOUR, &dir), "stderr: {err}");
    // Written on the device, seen by the host.
    let prog = "with open('made.txt', 'w') as f:\n    f.write('from the device\\n' * 20)\n";
    let (_, err) = run(&dir, "make.py", prog, &store, &["-p", &pty]);
    assert!(err.is_empty(), "{err}");
    let ls = ok(&p14p(&["ls", "-p", &pty], &store));
    assert!(ls.contains("made.txt"), "{ls}");
    let cat = ok(&p14p(&["cat", "made.txt", "-p", &pty], &store));
    assert_eq!(cat, "from the device\n".repeat(20));
    // Pushed by the host, read by the device.
    let pushed = dir.join("pushed.txt");
    std::fs::write(&pushed, "alpha\nbeta\ngamma\n").unwrap();
    ok(&p14p(
        &["push", pushed.to_str().unwrap(), "-p", &pty],
        &store,
    ));
    let prog = "for l in open('pushed.txt'):\n    print(l.strip().upper())\n";
    let (out, err) = run(&dir, "read.py", prog, &store, &["-p", &pty]);
    assert_eq!(out, "ALPHA\nBETA\nGAMMA\n", "{err}");
}

/// Binary mode: bytes in and out, CPython's classes and modes.
const BINARY: &str = r#"
with open('b.bin', 'wb') as f:
    print(f.write(b'\x00\x01\xffabc\n'), f.write(bytearray(b'xyz\n' * 50)), f.mode, type(f).__name__)
with open('b.bin', 'ab') as f:
    f.write(b'tail')
with open('b.bin', 'rb') as f:
    print(type(f).__name__, f.mode)
    print(f.read(4), f.readline(), len(f.read()))
print(open('b.bin', 'rb').readlines()[-1])
for line in open('b.bin', 'rb'):
    last = line
print(last)
try:
    open('b.bin', 'w').write(b'x')
except TypeError as e:
    print('TypeError')
try:
    open('b.bin', 'wb').write('x')
except TypeError as e:
    print('TypeError')
with open('u.txt', 'wb') as f:
    f.write(b'\xff\xfe')
try:
    open('u.txt').read()
except UnicodeDecodeError:
    print('UnicodeDecodeError')
print(type(open('u.txt')).__name__)
"#;

#[test]
fn binary_mode_matches_cpython_on_the_simulator() {
    let dir = tmp("binary");
    let store = dir.join("flash.bin");
    let (out, err) = run(&dir, "binary.py", BINARY, &store, &[]);
    assert_eq!(out, cpython(BINARY, &dir), "stderr: {err}");
}

#[test]
fn a_missing_file_reads_as_cpython_says() {
    let dir = tmp("missing");
    let store = dir.join("flash.bin");
    let (_, err) = run(&dir, "m.py", "open('nope.txt')\n", &store, &[]);
    assert!(
        err.contains("FileNotFoundError: [Errno 2] No such file or directory: 'nope.txt'"),
        "{err}"
    );
}

/// A program that rewrites `data.txt` forever inside a `with` block,
/// saying so once it is writing.
const WRITER: &str = r#"
with open('data.txt', 'w') as f:
    print('writing', flush=True)
    i = 0
    while True:
        f.write('new content %d\n' % i)
        i += 1
"#;

/// Starts `p14p run WRITER -p pty` and waits until it prints "writing".
fn start_writer(dir: &Path, store: &Path, pty: &str) -> std::process::Child {
    let prog = dir.join("writer.py");
    std::fs::write(&prog, WRITER).unwrap();
    let mut child = Command::new(bin("p14p"))
        .args(["run", prog.to_str().unwrap(), "-p", pty])
        .env("P14P_STORE", store)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("output").expect("readable");
    assert_eq!(first, "writing");
    std::thread::spawn(move || for _ in lines {});
    // Let it write a good many extents.
    std::thread::sleep(std::time::Duration::from_millis(300));
    child
}

#[test]
fn an_interrupted_program_leaves_the_old_file() {
    let dir = tmp("interrupt");
    let store = dir.join("flash.bin");
    let dev = Dev::start(&store);
    let pty = dev.1.clone();
    let old = dir.join("data.txt");
    std::fs::write(&old, "the old content\n").unwrap();
    ok(&p14p(&["push", old.to_str().unwrap(), "-p", &pty], &store));
    let mut writer = start_writer(&dir, &store, &pty);
    // Ctrl-C: `p14p run` interrupts the program.
    let kill = Command::new("kill")
        .args(["-INT", &writer.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    writer.wait().unwrap();
    let cat = ok(&p14p(&["cat", "data.txt", "-p", &pty], &store));
    assert_eq!(cat, "the old content\n");
    // The device still writes files.
    let prog = "with open('data.txt', 'w') as f:\n    f.write('fresh')\n";
    run(&dir, "fresh.py", prog, &store, &["-p", &pty]);
    assert_eq!(ok(&p14p(&["cat", "data.txt", "-p", &pty], &store)), "fresh");
    drop(dev);
}

/// A program that writes `data.txt` whole and closes it.
const BOUNDED_WRITER: &str = r#"
with open('data.txt', 'w') as f:
    for i in range(300):
        f.write('new content %d\n' % i)
"#;

/// The power cut at points chosen from the store's own write steps while
/// a program writes a file with `open()`: after every cut the file is the
/// old one or the whole new one, and both are seen.
#[test]
fn a_power_cut_at_any_step_of_a_file_write_leaves_old_or_new() {
    let dir = tmp("reset");
    let store = dir.join("flash.bin");
    let base = dir.join("base.bin");
    let old = dir.join("data.txt");
    std::fs::write(&old, "the old content\n").unwrap();
    let dev = Dev::start(&store);
    ok(&p14p(
        &["push", old.to_str().unwrap(), "-p", &dev.1],
        &store,
    ));
    drop(dev);
    std::fs::copy(&store, &base).unwrap();
    let prog = dir.join("writer.py");
    std::fs::write(&prog, BOUNDED_WRITER).unwrap();
    // The new file as CPython writes it.
    let new = cpython(
        &format!("{BOUNDED_WRITER}print(open('data.txt').read(), end='')\n"),
        &dir,
    );
    let report = power_cuts(
        &base,
        &store,
        &[],
        |pty| p14p(&["run", prog.to_str().unwrap(), "-p", pty], &store),
        |pty| {
            let got = ok(&p14p(&["cat", "data.txt", "-p", pty], &store));
            if got == "the old content\n" {
                Found::Old
            } else if got == new {
                Found::New
            } else {
                panic!("data.txt is neither version: {got:?}")
            }
        },
    );
    eprintln!("{report:?}");
    assert!(report.old > 0, "no cut kept the old file: {report:?}");
    assert!(
        report.new_after_cut + report.uncut > 0,
        "the new file was never seen: {report:?}"
    );
}

#[test]
fn bench_push_reports_throughput_against_the_wire() {
    // A small size keeps it quick; the figure itself is not asserted.
    let out = Command::new(bin("p14p"))
        .args(["bench", "push", "--size", "3000", "--baud", "460800"])
        .env_remove("P14P_PORT")
        .output()
        .expect("p14p runs");
    let text = ok(&out);
    assert!(
        text.starts_with("push 3000 bytes in ")
            && text.contains(" KB/s, ")
            && text.contains("% of the wire (460800 baud 8N1 = 46080 B/s)"),
        "{text}"
    );
}

/// The `OSError`s of `open()` and `os` name the file in full as CPython's
/// do: an empty name, a missing file, names past the store's 32 bytes
/// (not found when read) and past any POSIX file system's 255 (too long).
const OS_ERRORS: &str = r#"
import os
for name, mode in [('', 'r'), ('', 'w'), ('missing.txt', 'r'), ('missing.txt', 'rb'),
                   ('a' * 40, 'r'), ('b' * 300, 'w'), ('b' * 300, 'r'), ('d' * 32, 'r'),
                   ('\u00e9' * 20, 'r'), ('\u00e9' * 200, 'r')]:
    try:
        open(name, mode)
    except OSError as e:
        print(type(e).__name__, e)
for name in ['gone.txt', 'q' * 300]:
    try:
        os.remove(name)
    except OSError as e:
        print(type(e).__name__, e)
"#;

#[test]
fn os_errors_name_the_file_in_full_as_cpython() {
    let dir = tmp("os_errors");
    let store = dir.join("flash.bin");
    let (out, err) = run(&dir, "errors.py", OS_ERRORS, &store, &[]);
    assert_eq!(out, cpython(OS_ERRORS, &dir), "stderr: {err}");
}
