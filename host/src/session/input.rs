//! Where a running program's `input()` gets its lines.
//!
//! The device asks the host for a line (`Input`) and waits for the
//! answer (`Line`). By default the host reads it from its own stdin, as
//! `p14p run` and `p14p repl` need. A front end that owns the terminal
//! (`p14p ui`, whose key reader has stdin) answers instead through
//! [`InputLines`]: the session tells it a line is wanted, and waits for
//! the line it sends.

use super::Session;
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// A front end's answers to `input()`: it hears each ask on `asks` and
/// sends the line (with its newline; empty for end of input) on the
/// sender whose receiver this holds.
#[derive(Debug)]
pub struct InputLines {
    asks: UnboundedSender<()>,
    lines: tokio::sync::Mutex<UnboundedReceiver<String>>,
}

impl InputLines {
    /// Asks go to `asks`; the lines come from `lines`.
    pub fn new(asks: UnboundedSender<()>, lines: UnboundedReceiver<String>) -> InputLines {
        InputLines {
            asks,
            lines: tokio::sync::Mutex::new(lines),
        }
    }

    /// The next line: asked for, then waited for (empty, which the
    /// program sees as end of input, once the front end is gone).
    async fn next(&self) -> String {
        let mut lines = self.lines.lock().await;
        // A line typed ahead of the ask was meant for an earlier one
        // (the program ended first): drop it.
        while lines.try_recv().is_ok() {}
        if self.asks.send(()).is_err() {
            return String::new();
        }
        lines.recv().await.unwrap_or_default()
    }
}

impl Session {
    /// Answers the `input()` of programs run on this session from
    /// `lines` from now on; `None`: from the host's stdin again.
    pub fn answer_input_with(&self, lines: Option<InputLines>) {
        if let Ok(mut input) = self.input.lock() {
            *input = lines.map(Arc::new);
        }
    }

    /// The line for a running program's `input()`.
    pub(super) async fn input_line(&self) -> String {
        let lines = self.input.lock().ok().and_then(|i| i.clone());
        match lines {
            Some(lines) => lines.next().await,
            None => tokio::task::spawn_blocking(read_stdin_line)
                .await
                .unwrap_or_default(),
        }
    }
}

/// A line of the host's stdin for a program's `input()`, with its newline
/// (the prompt, already written as output, is flushed first); empty at the
/// end of input or on a read error, which the program sees as EOFError.
fn read_stdin_line() -> String {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(_) => line,
        Err(_) => String::new(),
    }
}
