//! A transfer's progress line on stderr (`push`, `sync`, and the library
//! modules stored before a run): shown when stderr is a terminal, silent
//! otherwise, so piped output and logs hold no carriage returns.

use std::io::{IsTerminal, Write};
use std::time::Instant;

/// One transfer's progress bar.
pub struct Progress {
    on: bool,
    start: Instant,
}

impl Progress {
    /// A bar starting now.
    pub fn new() -> Self {
        Progress {
            on: std::io::stderr().is_terminal(),
            start: Instant::now(),
        }
    }

    /// Shows `done` of `total` bytes of `name` sent, and the rate so far.
    pub fn show(&self, name: &str, done: usize, total: usize) {
        if !self.on {
            return;
        }
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let width = 24;
        let filled = (done * width)
            .checked_div(total)
            .unwrap_or(width)
            .min(width);
        eprint!(
            "\r{name:<20} [{}{}] {done}/{total} B {:.1} KB/s ",
            "#".repeat(filled),
            " ".repeat(width - filled),
            done as f64 / 1024.0 / secs
        );
        let _ = std::io::stderr().flush();
    }

    /// Clears the line.
    pub fn end(&self) {
        if self.on {
            eprint!("\r\x1b[K");
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}
