//! Diagnostics: what went wrong and where, as byte spans into the source.
//!
//! | module     | what |
//! |------------|------|
//! | [`source`] | the line index (byte offset → line, column) |
//! | [`render`] | rustc-style text, optionally coloured |

pub mod render;
pub mod source;

use std::ops::Range;

/// Severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Stops compilation.
    Error,
    /// Informational.
    Note,
}

/// A message about a span of source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Severity.
    pub level: Level,
    /// One-line message.
    pub message: String,
    /// Byte range in the source.
    pub span: Range<usize>,
    /// Extra lines (`help: …`).
    pub help: Vec<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(message: impl Into<String>, span: Range<usize>) -> Self {
        Diagnostic {
            level: Level::Error,
            message: message.into(),
            span,
            help: Vec::new(),
        }
    }

    /// Adds a `help: …` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(format!("help: {}", help.into()));
        self
    }

    /// Renders rustc-style: `error: msg`, ` --> file:line:col`, the source
    /// line and a caret under the span. Plain text, no colour.
    pub fn render(&self, filename: &str, source: &str) -> String {
        render::render(self, filename, source, false)
    }

    /// [`Diagnostic::render`] with ANSI colours (for terminals).
    pub fn render_color(&self, filename: &str, source: &str) -> String {
        render::render(self, filename, source, true)
    }

    /// The 1-based line and column where the span starts.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        source::LineIndex::new(source).line_col(source, self.span.start)
    }
}
