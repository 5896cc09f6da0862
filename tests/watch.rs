//! `p14p sync --watch`: a saved edit reaches the device and main restarts
//! with it, its output shown (asserted on output, not on timing).

use p14p_tests::{bin, p14p_with_store, stdout_of_success};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn main_source(version: u32) -> String {
    format!("import time\nprint('version', {version})\nwhile True:\n    time.sleep(0.05)\n")
}

/// Waits up to 30 s for a stdout line starting with `want`; every line seen
/// is kept in `seen`.
fn expect(lines: &mpsc::Receiver<String>, want: &str, seen: &mut Vec<String>) {
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(30)) {
        seen.push(line.clone());
        if line.starts_with(want) {
            return;
        }
    }
    panic!("no line {want:?}; saw {seen:?}");
}

#[test]
fn a_saved_edit_reaches_the_device_and_main_restarts() {
    let dir = p14p_tests::scratch_dir("watch", "edit");
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("lib")).unwrap();
    let store = dir.join("flash.bin");
    std::fs::write(app.join("main.py"), main_source(1)).unwrap();
    std::fs::write(app.join("lib").join("util.py"), "WORD = 'one'\n").unwrap();
    let pushed = p14p_with_store(
        &["push", "--main", app.join("main.py").to_str().unwrap()],
        &store,
    );
    stdout_of_success(&pushed);
    let mut child = Command::new(bin("p14p"))
        .args(["sync", "--watch"])
        .arg(&app)
        .env("P14P_STORE", &store)
        .env_remove("P14P_PORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut seen = Vec::new();
    expect(&lines, "version 1", &mut seen);
    // An edit of main: sent, and main runs again with it.
    std::fs::write(app.join("main.py"), main_source(2)).unwrap();
    expect(&lines, "update main.py", &mut seen);
    expect(&lines, "version 2", &mut seen);
    // An edit of a module in a subfolder that main now imports.
    std::fs::write(
        app.join("main.py"),
        "from lib import util\nimport time\nprint('word', util.WORD)\nwhile True:\n    time.sleep(0.05)\n",
    )
    .unwrap();
    expect(&lines, "word one", &mut seen);
    std::fs::write(app.join("lib").join("util.py"), "WORD = 'two'\n").unwrap();
    expect(&lines, "word two", &mut seen);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
