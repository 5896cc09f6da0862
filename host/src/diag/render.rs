//! rustc-style rendering of a [`Diagnostic`]: the only place that knows
//! about layout and colours.
//!
//! ```text
//! error: unexpected indentation
//!  --> app.py:3:5
//!   |
//! 3 |     x = 1
//!   |     ^^^^^
//!   = help: …
//! ```

use super::source::LineIndex;
use super::{Diagnostic, Level};
use std::fmt::Write;

/// ANSI styles, or nothing when colour is off.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Tabs would misalign the caret: show them as four spaces, like rustc.
fn detab(s: &str) -> String {
    s.replace('\t', "    ")
}

/// Renders `d` against `source`; `color` adds ANSI escapes.
pub fn render(d: &Diagnostic, filename: &str, source: &str, color: bool) -> String {
    let st = Style { on: color };
    let idx = LineIndex::new(source);
    let (level, level_color) = match d.level {
        Level::Error => ("error", "1;31"),
        Level::Note => ("note", "1;36"),
    };
    let start = d.span.start.min(source.len());
    let (line, col) = idx.line_col(source, start);
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let bar = st.paint("1;34", "|");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        st.paint(level_color, level),
        st.paint("1", &format!(": {}", d.message))
    );
    let _ = writeln!(
        out,
        "{pad}{} {filename}:{line}:{col}",
        st.paint("1;34", "-->")
    );
    let _ = writeln!(out, "{pad} {bar}");
    let range = idx.line_range(source, line);
    let text = &source[range.clone()];
    // The caret covers the span, cut at the end of its first line; an empty
    // span (or one at a line end) still gets one caret.
    let before = detab(&source[range.start..start.max(range.start).min(range.end)]);
    let end = d.span.end.clamp(start, range.end);
    let under = detab(source.get(start.min(range.end)..end).unwrap_or(""));
    let width = under.chars().count().max(1);
    let _ = writeln!(
        out,
        "{} {bar} {}",
        st.paint("1;34", &line.to_string()),
        detab(text).trim_end()
    );
    let _ = writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(before.chars().count()),
        st.paint(level_color, &"^".repeat(width))
    );
    for h in &d.help {
        let _ = writeln!(out, "{pad} {} {h}", st.paint("1;34", "="));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let src = "if x:\n    y = 1\n        x = 1\n";
        let at = src.find("x = 1").unwrap();
        let d = Diagnostic::error("unexpected indentation", at..at + 5);
        assert_eq!(
            render(&d, "app.py", src, false),
            "error: unexpected indentation\n --> app.py:3:9\n  |\n3 |         x = 1\n  |         ^^^^^\n"
        );
    }

    #[test]
    fn empty_span_at_end_of_file_gets_one_caret() {
        let src = "x = (";
        let d = Diagnostic::error("unclosed", 5..5);
        let r = render(&d, "a.py", src, false);
        assert!(r.ends_with("1 | x = (\n  |      ^\n"), "{r}");
    }

    #[test]
    fn help_lines_and_wide_gutters() {
        let src = "\n".repeat(11) + "async def f(): pass\n";
        let mut d = Diagnostic::error("async is not supported", 11..16);
        d.help.push("help: use a generator".into());
        let r = render(&d, "a.py", &src, false);
        assert_eq!(
            r,
            "error: async is not supported\n  --> a.py:12:1\n   |\n12 | async def f(): pass\n   | ^^^^^\n   = help: use a generator\n"
        );
    }
}
