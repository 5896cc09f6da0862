//! A real terminal for end-to-end tests: a detached tmux session runs one
//! command in a pseudo-terminal of a fixed size; tests type keys into it
//! and read its screen, as a user at a terminal would.
//!
//! Outside CI a machine without tmux skips these tests with a message; in
//! CI (`CI` set) a missing tmux is a failure, so the terminal runs can
//! never silently stop being tested.

use std::process::Command;
use std::time::{Duration, Instant};

/// One detached tmux session; killed on drop.
pub struct Tmux {
    name: String,
}

impl Tmux {
    /// Whether tmux can run here; panics in CI when it cannot.
    pub fn available() -> bool {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is required for the terminal tests in CI"
            );
            eprintln!("tmux is not installed: skipping the terminal run");
        }
        ok
    }

    /// Starts `command` (a shell command line) in a `cols` x `rows`
    /// terminal, with `env` added to its environment.
    pub fn start(tag: &str, cols: u16, rows: u16, env: &[(&str, &str)], command: &str) -> Tmux {
        let name = format!("p14p-{tag}-{}", std::process::id());
        let mut cmd = Command::new("tmux");
        cmd.args(["new-session", "-d", "-s", &name]).args([
            "-x",
            &cols.to_string(),
            "-y",
            &rows.to_string(),
        ]);
        for (k, v) in env {
            cmd.args(["-e", &format!("{k}={v}")]);
        }
        // The shell line outlives the command, so a test can read what it
        // printed on the way out and how it exited.
        let line = format!("{command}; echo \"[exited $?]\"; sleep 30");
        let status = cmd.arg(line).status().expect("running tmux");
        assert!(status.success(), "tmux new-session failed");
        Tmux { name }
    }

    /// Types `keys` (tmux key names: `Enter`, `C-c`, `C-d`, or literal
    /// text with `-l`).
    pub fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .expect("running tmux");
        assert!(status.success());
    }

    /// Types `text` literally, then Enter.
    pub fn line(&self, text: &str) {
        self.keys(&["-l", text]);
        self.keys(&["Enter"]);
    }

    /// Pastes `text` as a terminal paste does: bracketed (`ESC [200~`
    /// ... `ESC [201~`) when the program asked for it, as rustyline does.
    pub fn paste(&self, text: &str) {
        let buffer = format!("{}-paste", self.name);
        let status = Command::new("tmux")
            .args(["set-buffer", "-b", &buffer, "--", text])
            .status()
            .expect("running tmux");
        assert!(status.success());
        let status = Command::new("tmux")
            .args(["paste-buffer", "-p", "-d", "-b", &buffer, "-t", &self.name])
            .status()
            .expect("running tmux");
        assert!(status.success());
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("running tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (up to 20 s) until a fresh `prompt` (`>>>`, `...`, `===`;
    /// tmux trims its trailing blank) stands on a line below the last one
    /// containing `after`: the REPL reads again. Keys sent earlier, while
    /// an input runs, may be lost: rustyline, entering raw mode for the
    /// next line, can drop what was typed ahead. A user types at the
    /// prompt, and so do the tests.
    pub fn wait_prompt(&self, after: &str, prompt: &str) -> String {
        let ready = |s: &str| {
            let lines: Vec<&str> = s.lines().collect();
            lines
                .iter()
                .rposition(|l| l.contains(after))
                .is_some_and(|i| lines[i + 1..].iter().any(|l| l.trim_end() == prompt))
        };
        let screen = self.wait(20, ready);
        assert!(ready(&screen), "no {prompt} after {after:?}:\n{screen}");
        screen
    }

    /// Waits until the screen satisfies `done` (up to `secs` seconds) and
    /// returns it; the last screen on timeout, for the assertion message.
    pub fn wait(&self, secs: u64, done: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if done(&screen) || Instant::now() > end {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}
