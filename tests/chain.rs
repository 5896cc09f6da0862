//! `+` chaining and port aliases: `p14p -p ALIAS push a.py --main + run
//! b.py + ls` runs the commands in order with the alias resolved from the
//! project's `p14p.toml`, and a failing command ends the chain with its
//! status. The commands of a chain share one connection (one session,
//! one handshake): the built-in simulator keeps its VM's state from one
//! to the next, and a TCP device sees one connection and one `Hello`.

use p14p_protocol::frame::{self, Feed, FrameDecoder};
use p14p_protocol::msg::{Command as Request, Request as Frame};
use p14p_tests::{
    bin, output_with_stdin, p14p_with_store, scratch_dir, stdout_of_success, tcp_device,
};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn a_chain_runs_in_order_with_a_port_alias_and_stops_at_a_failure() {
    let dir = p14p_tests::scratch_dir("chain", "alias");
    std::fs::write(dir.join("a.py"), "print('from a')\n").unwrap();
    std::fs::write(dir.join("b.py"), "print('from b')\n").unwrap();
    std::fs::write(dir.join("p14p.toml"), "[ports]\nmine = \"sim\"\n").unwrap();
    let p14p = |args: &[&str]| {
        Command::new(bin("p14p"))
            .args(args)
            .current_dir(&dir)
            .env("P14P_STORE", dir.join("flash.bin"))
            .env_remove("P14P_PORT")
            .output()
            .unwrap()
    };
    let out = p14p(&[
        "-p", "mine", "push", "a.py", "--main", "+", "run", "b.py", "+", "ls", "+", "eval", "1 + 2",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("pushed a.py ("), "{stdout}");
    assert_eq!(lines[1..3], ["main = a.py", "from b"]);
    assert!(lines[3].ends_with("a.py  (main)"), "{stdout}");
    assert_eq!(lines[4], "3");

    let out = p14p(&["run", "missing.py", "+", "ls"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "ls ran after a failure");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_chain_keeps_the_simulators_state_from_one_command_to_the_next() {
    let dir = scratch_dir("chain", "state");
    let store = dir.join("flash.bin");
    let out = p14p_with_store(
        &["exec", "x = 41", "+", "exec", "--no-reset", "print(x + 1)"],
        &store,
    );
    assert_eq!(stdout_of_success(&out), "42\n");
    // `exec` resets by default: the chain's second command starts afresh.
    let out = p14p_with_store(&["exec", "x = 41", "+", "eval", "x"], &store);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NameError"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The device keeps the debug info of what the chain sent: a function
    // of the first command's file shows its source line in the second's
    // traceback.
    let m = dir.join("m.py");
    std::fs::write(&m, "def f():\n    return 1 / 0\n").unwrap();
    let out = p14p_with_store(
        &["run", m.to_str().unwrap(), "+", "exec", "--no-reset", "f()"],
        &store,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("    return 1 / 0\nZeroDivisionError"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn repl_and_attach_in_a_chain_see_what_the_commands_before_left() {
    let dir = scratch_dir("chain", "repl");
    std::fs::write(
        dir.join("app.py"),
        "print('app runs')\ny = 7\ndef boom():\n    return 1 / 0\n",
    )
    .unwrap();
    let p14p = |args: &[&str], stdin: &str| {
        let mut cmd = Command::new(bin("p14p"));
        cmd.args(args)
            .current_dir(&dir)
            .env("P14P_STORE", dir.join("flash.bin"))
            .env_remove("P14P_PORT");
        output_with_stdin(&mut cmd, stdin.as_bytes())
    };
    // `repl` after `run` joins the __main__ the run left (no reset), and
    // its tracebacks show the lines of app's functions.
    let out = p14p(&["run", "app.py", "+", "repl"], "y * 6\nboom()\n");
    assert_eq!(stdout_of_success(&out), "app runs\n42\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("    return 1 / 0\nZeroDivisionError"),
        "{stderr}"
    );
    // `attach` after `push --main` on the same connection starts main as
    // a boot would, then opens the REPL on main's globals.
    let out = p14p(&["push", "app.py", "--main", "+", "attach"], "y + 1\n");
    let stdout = stdout_of_success(&out);
    assert!(stdout.ends_with("main = app.py\napp runs\n8\n"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Counts what a TCP proxy between `p14p` and a `p14p-device --tcp` sees.
#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    hellos: AtomicUsize,
}

/// Forwards each connection to `upstream`, counting connections and the
/// handshakes (`Hello` requests) the host sends.
fn counting_proxy(upstream: String, seen: Arc<Seen>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for host in listener.incoming() {
            let Ok(host) = host else { return };
            seen.connections.fetch_add(1, Ordering::SeqCst);
            let device = TcpStream::connect(&upstream).unwrap();
            let (mut from_device, mut to_host) =
                (device.try_clone().unwrap(), host.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut from_device, &mut to_host);
            });
            let (mut from_host, mut to_device) = (host, device);
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || {
                let mut decoder = FrameDecoder::<4096>::new();
                let mut buf = [0u8; 1024];
                while let Ok(n) = from_host.read(&mut buf) {
                    if n == 0 || to_device.write_all(&buf[..n]).is_err() {
                        return;
                    }
                    for &b in &buf[..n] {
                        if let Feed::Frame(payload) = decoder.push(b) {
                            if let Ok(Frame {
                                cmd: Request::Hello { .. },
                                ..
                            }) = frame::decode::<Frame>(payload)
                            {
                                seen.hellos.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn a_chain_makes_one_connection_and_one_handshake_with_a_tcp_device() {
    let dir = scratch_dir("chain", "tcp");
    std::fs::write(dir.join("a.py"), "print('from a')\n").unwrap();
    let (mut device, upstream) = tcp_device();
    let seen = Arc::new(Seen::default());
    let proxy = counting_proxy(upstream, Arc::clone(&seen));
    let port = format!("tcp:{proxy}");
    let out = Command::new(bin("p14p"))
        .args(["-p", &port, "push", "a.py", "+", "exec", "x = 41"])
        .args(["+", "ls", "+", "exec", "--no-reset", "print(x + 1)"])
        .args(["+", "eval", "--no-reset", "x", "+", "df"])
        .current_dir(&dir)
        .env_remove("P14P_PORT")
        .output()
        .unwrap();
    let stdout = stdout_of_success(&out);
    assert!(stdout.contains("\n42\n41\n"), "{stdout}");
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1, "{stdout}");
    assert_eq!(seen.hellos.load(Ordering::SeqCst), 1, "{stdout}");
    // Without `+`, two commands are two connections and two handshakes.
    for _ in 0..2 {
        let out = Command::new(bin("p14p"))
            .args(["-p", &port, "eval", "1"])
            .env_remove("P14P_PORT")
            .output()
            .unwrap();
        assert_eq!(stdout_of_success(&out), "1\n");
    }
    assert_eq!(seen.connections.load(Ordering::SeqCst), 3);
    assert_eq!(seen.hellos.load(Ordering::SeqCst), 3);
    let _ = device.kill();
    let _ = device.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
