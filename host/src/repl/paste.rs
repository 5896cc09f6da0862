//! Paste mode, as MicroPython's REPL has it: Ctrl-E at the prompt starts
//! it, every line is then taken exactly as written (blank lines included,
//! no grouping, no auto-indent), Ctrl-D compiles and runs the whole text
//! as one program and Ctrl-C drops it.
//!
//! Like MicroPython's, the text runs as a file does: expression statements
//! are not echoed. With piped input (no terminal) a line holding only
//! `\x05` starts paste mode and one holding only `\x04` (or `\x03`) ends
//! it, so scripts and tests drive it with the same keys.

/// What paste mode prints when it starts.
pub const BANNER: &str = "paste mode; Ctrl-C to cancel, Ctrl-D to finish";

/// The prompt of each line in paste mode.
pub const PROMPT: &str = "=== ";

/// Ctrl-E: starts paste mode (a piped line holding only it).
pub const ENTER: &str = "\x05";

/// Ctrl-D: runs the pasted text (a piped line holding only it).
pub const FINISH: &str = "\x04";

/// Ctrl-C: drops the pasted text (a piped line holding only it).
pub const CANCEL: &str = "\x03";

/// The text collected in paste mode.
#[derive(Debug, Clone, Default)]
pub struct Paste {
    text: String,
}

impl Paste {
    /// An empty paste.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `text`: one line or several (a terminal's bracketed paste), as
    /// written.
    pub fn push(&mut self, text: &str) {
        for line in text.split('\n') {
            self.text.push_str(line.trim_end_matches('\r'));
            self.text.push('\n');
        }
    }

    /// The program: the text, or `None` when it holds only blank lines.
    pub fn finish(self) -> Option<String> {
        (!self.text.trim().is_empty()).then_some(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_kept_as_written() {
        let mut p = Paste::new();
        p.push("def f():");
        p.push("    a = 1");
        p.push("");
        p.push("    return a\r");
        p.push("x = 1\ny = 2");
        assert_eq!(
            p.finish().as_deref(),
            Some("def f():\n    a = 1\n\n    return a\nx = 1\ny = 2\n")
        );
        let mut empty = Paste::new();
        empty.push("  ");
        assert_eq!(empty.finish(), None);
    }
}
