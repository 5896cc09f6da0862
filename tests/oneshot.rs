//! `p14p exec`, `p14p eval` and `--no-reset`: strings run as `run` runs a
//! file, on the simulator; on `p14p-device --pty`, state carried from one
//! command to the next with `--no-reset` and dropped without it.

use p14p_tests::{
    bin, output_with_stdin, p14p_with_store as p14p, pty_device_with_store, stdout_of_success as ok,
};
use std::process::Command;

/// A `p14p-device --pty --store` process, killed when dropped.
struct Dev(std::process::Child);

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn exec_and_eval_run_strings_on_the_simulator() {
    let dir = p14p_tests::scratch_dir("oneshot", "sim");
    let store = dir.join("flash.bin");
    assert_eq!(ok(&p14p(&["exec", "print(6 * 7)"], &store)), "42\n");
    assert_eq!(
        ok(&p14p(
            &["exec", "def f(n):\n    return n + 1\nprint(f(1))"],
            &store
        )),
        "2\n"
    );
    // eval prints the repr, None included.
    assert_eq!(ok(&p14p(&["eval", "'a' * 2"], &store)), "'aa'\n");
    assert_eq!(
        ok(&p14p(&["eval", "[2 ** 10, None]"], &store)),
        "[1024, None]\n"
    );
    assert_eq!(ok(&p14p(&["eval", "None"], &store)), "None\n");
    // A statement is not an expression.
    let out = p14p(&["eval", "x = 1"], &store);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("p14p exec"),
        "{}",
        text(&out.stderr)
    );
    // An exception: a traceback naming <string>, status 1.
    let out = p14p(&["exec", "print('before')\n1 / 0"], &store);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "before\n");
    let err = text(&out.stderr);
    assert!(err.contains("File \"<string>\", line 2"), "{err}");
    assert!(err.contains("ZeroDivisionError"), "{err}");
    // `-` reads the code from stdin.
    for (cmd, code, want) in [
        ("exec", "for i in range(3):\n    print(i)\n", "0\n1\n2\n"),
        ("eval", "(1 +\n 2)\n", "3\n"),
    ] {
        let mut p14p = Command::new(bin("p14p"));
        p14p.args([cmd, "-"])
            .env("P14P_STORE", &store)
            .env_remove("P14P_PORT");
        assert_eq!(ok(&output_with_stdin(&mut p14p, code.as_bytes())), want);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_reset_keeps_the_devices_state_between_commands() {
    let dir = p14p_tests::scratch_dir("oneshot", "pty");
    let store = dir.join("device-flash.bin");
    let (child, pty) = pty_device_with_store(&store);
    let _dev = Dev(child);
    let host_store = dir.join("host-flash.bin");
    let on_dev = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["-p", &pty]);
        p14p(&all, &host_store)
    };
    assert_eq!(
        ok(&on_dev(&[
            "exec",
            "--no-reset",
            "x = 41\ndef inc(n): return n + 1"
        ])),
        ""
    );
    assert_eq!(ok(&on_dev(&["eval", "--no-reset", "inc(x)"])), "42\n");
    let prog = dir.join("uses_x.py");
    std::fs::write(&prog, "x = inc(x)\nprint('x is', x)\n").unwrap();
    assert_eq!(
        ok(&on_dev(&["run", "--no-reset", prog.to_str().unwrap()])),
        "x is 42\n"
    );
    assert_eq!(ok(&on_dev(&["eval", "--no-reset", "x"])), "42\n");
    // Without --no-reset the device starts afresh: x is gone, also for the
    // next command that keeps the state.
    let out = on_dev(&["eval", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("NameError"),
        "{}",
        text(&out.stderr)
    );
    let out = on_dev(&["run", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("NameError"),
        "{}",
        text(&out.stderr)
    );
    let out = on_dev(&["eval", "--no-reset", "x"]);
    assert!(
        text(&out.stderr).contains("NameError"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
