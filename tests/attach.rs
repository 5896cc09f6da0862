//! `p14p attach`: after `push --main` and a device restart, attach shows
//! what main prints without stopping it; at a real terminal (tmux) Ctrl-C
//! interrupts main and leaves the REPL open on main's globals.

use p14p_tests::tmux::Tmux;
use p14p_tests::{bin, p14p_with_store, pty_device_with_store, stdout_of_success};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// A program that prints forever, numbering its lines.
const TICK: &str =
    "import time\nn = 0\nwhile True:\n    print('tick', n)\n    n += 1\n    time.sleep(0.1)\n";

/// A `p14p-device --pty` process, killed when dropped.
struct Dev(std::process::Child, String);

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(store: &Path) -> Dev {
    let (child, pty) = pty_device_with_store(store);
    Dev(child, pty)
}

/// The numbers of the `tick N` lines in `text`, in order.
fn ticks(text: &str) -> Vec<u32> {
    text.lines()
        .filter_map(|l| l.strip_prefix("tick ")?.trim().parse().ok())
        .collect()
}

#[test]
fn attach_to_the_simulator_shows_the_stored_main_running() {
    let dir = p14p_tests::scratch_dir("attach", "sim");
    let store = dir.join("flash.bin");
    std::fs::write(dir.join("tick.py"), TICK).unwrap();
    let pushed = p14p_with_store(
        &["push", "--main", dir.join("tick.py").to_str().unwrap()],
        &store,
    );
    stdout_of_success(&pushed);
    // The built-in simulator boots afresh for each command: attaching is
    // a restart, and main runs after the boot grace period.
    let mut child = Command::new(bin("p14p"))
        .arg("attach")
        .env("P14P_STORE", &store)
        .env_remove("P14P_PORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        seen.push_str(&line.unwrap());
        seen.push('\n');
        if ticks(&seen).len() >= 3 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(ticks(&seen), vec![0, 1, 2], "{seen}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn attach_after_a_restart_shows_main_and_ctrl_c_opens_the_repl() {
    if !Tmux::available() {
        return;
    }
    let dir = p14p_tests::scratch_dir("attach", "pty");
    let store = dir.join("flash.bin");
    let prog = dir.join("tick.py");
    std::fs::write(&prog, TICK).unwrap();
    {
        let dev = start(&store);
        let out = Command::new(bin("p14p"))
            .args(["push", "--main", prog.to_str().unwrap(), "-p", &dev.1])
            .output()
            .unwrap();
        stdout_of_success(&out);
    }
    // The device restarts (a new process on the same flash) and runs its
    // main with no host; attach joins it.
    let dev = start(&store);
    std::thread::sleep(std::time::Duration::from_millis(800));
    let state = dir.join("state");
    std::fs::create_dir_all(&state).unwrap();
    let state = state.to_str().unwrap();
    let term = Tmux::start(
        "attach",
        100,
        40,
        &[("XDG_STATE_HOME", state), ("HOME", state)],
        &format!("{} attach {}", bin("p14p").display(), dev.1),
    );
    let screen = term.wait(20, |s| ticks(s).len() >= 3);
    let seen = ticks(&screen);
    assert!(seen.len() >= 3, "{screen}");
    assert!(seen.windows(2).all(|w| w[1] == w[0] + 1), "{screen}");
    // Attaching stops nothing: main goes on counting (what it printed
    // before the host came may show first, from the line's buffer).
    let last = *seen.last().unwrap();
    let screen = term.wait(20, |s| ticks(s).last().is_some_and(|&n| n >= last + 5));
    assert!(
        ticks(&screen).last().is_some_and(|&n| n >= last + 5),
        "{screen}"
    );

    term.keys(&["C-c"]);
    let screen = term.wait(20, |s| s.contains(">>>"));
    assert!(screen.contains("KeyboardInterrupt"), "{screen}");
    // The REPL runs in main's namespace: its counter is there.
    term.line("print('counted', n > 3)");
    let screen = term.wait(20, |s| s.lines().any(|l| l == "counted True"));
    assert!(screen.lines().any(|l| l == "counted True"), "{screen}");
    term.keys(&["C-d"]);
    let screen = term.wait(20, |s| s.contains("[exited"));
    assert!(screen.contains("[exited 0]"), "{screen}");
    drop(dev);
    let _ = std::fs::remove_dir_all(&dir);
}
