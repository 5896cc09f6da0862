//! `rfc2217://HOST:PORT`: p14p through an RFC 2217 server (pyserial's
//! `PortManager`, `tests/support/rfc2217_server.py`) exporting the pty of
//! a `p14p-device --pty`, as a board farm exports a board's serial port.
//!
//! Needs a Python with pyserial: `$P14P_PYTHON`, else `python3`. Without
//! one the test is skipped, except under CI, where it fails.

use p14p_tests::{p14p_with_store as p14p, pty_device_with_store, stdout_of_success as ok};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A child process, killed when dropped.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn python() -> Option<String> {
    let python = std::env::var("P14P_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_pyserial = Command::new(&python)
        .args(["-c", "import serial.rfc2217"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pyserial {
        assert!(
            std::env::var_os("CI").is_none(),
            "the RFC 2217 test needs pyserial in CI ({python}; set P14P_PYTHON)"
        );
        eprintln!("{python} has no pyserial (pip install pyserial): skipping the RFC 2217 test");
        return None;
    }
    Some(python)
}

/// Starts the RFC 2217 server on `serial` and returns it, its TCP port and
/// its later lines of output.
fn server(python: &str, serial: &str) -> (Kill, u16, mpsc::Receiver<String>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/rfc2217_server.py");
    let mut child = Command::new(python)
        .arg(script)
        .arg(serial)
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("the RFC 2217 server starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let first = lines.next().expect("the server's port").expect("stdout");
    let port = first
        .strip_prefix("listening on ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected server output: {first}"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (Kill(child), port, rx)
}

#[test]
fn exec_and_run_through_an_rfc2217_server() {
    let Some(python) = python() else { return };
    let dir = p14p_tests::scratch_dir("rfc2217", "exec");
    let (dev, pty) = pty_device_with_store(&dir.join("device-flash.bin"));
    let _dev = Kill(dev);
    let (_server, port, said) = server(&python, &pty);
    let spec = format!("rfc2217://127.0.0.1:{port}");
    let store = dir.join("host-flash.bin");
    let on = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["-p", &spec]);
        p14p(&all, &store)
    };
    assert_eq!(ok(&on(&["exec", "print(6 * 7)"])), "42\n");
    // The client set the line's baud rate (--baud, default 115200).
    assert_eq!(ok(&on(&["--baud", "57600", "eval", "1"])), "1\n");
    let bauds: Vec<String> = (0..2)
        .map(|_| {
            said.recv_timeout(Duration::from_secs(10))
                .expect("the server's report")
        })
        .collect();
    assert_eq!(bauds, ["closed; baud 115200", "closed; baud 57600"]);
    // Bytes 0xFF (Telnet's IAC) both ways: in the image (a constant) and
    // in the output (their repr is ASCII, so also a str of U+00FF, whose
    // UTF-8 holds 0xC3 0xBF, and a long output spanning many frames).
    let prog = dir.join("iac.py");
    std::fs::write(
        &prog,
        "blob = b'\\xff' * 700\nprint(len(blob), blob[:3])\nprint('\\xff' * 3)\nfor i in range(40):\n    print(i, 'x' * 60)\n",
    )
    .unwrap();
    let out = ok(&on(&["run", prog.to_str().unwrap()]));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("700 b'\\xff\\xff\\xff'"));
    assert_eq!(lines.next(), Some("ÿÿÿ"));
    assert_eq!(lines.count(), 40);
    // A traceback comes back as on any port, and a second connection to
    // the same server works (the board stays exported).
    let out = on(&["exec", "1 / 0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ZeroDivisionError"));
    assert_eq!(ok(&on(&["eval", "'\\xff'.encode()"])), "b'\\xc3\\xbf'\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_plain_tcp_server_is_not_taken_for_rfc2217() {
    // A listener that accepts and says nothing: the negotiation times out
    // with a message pointing at tcp:.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hold = std::thread::spawn(move || {
        let conn = listener.accept();
        std::thread::sleep(Duration::from_secs(5));
        drop(conn);
    });
    let dir = p14p_tests::scratch_dir("rfc2217", "plain");
    let spec = format!("rfc2217://127.0.0.1:{port}");
    let out = p14p(&["exec", "1", "-p", &spec], &dir.join("flash.bin"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did not agree to RFC 2217"), "{err}");
    assert!(err.contains(&format!("tcp:127.0.0.1:{port}")), "{err}");
    let _ = hold.join();
    let _ = std::fs::remove_dir_all(&dir);
}
