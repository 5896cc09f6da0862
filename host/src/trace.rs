//! Device tracebacks → CPython-style tracebacks.
//!
//! The device reports an uncaught exception as a type name, a message number
//! with a detail string, and a list of `(image hash, code index, pc)`
//! entries. The host kept each image's [`DebugInfo`] (file name, source,
//! line tables) keyed by hash when it compiled it, so it can print:
//!
//! ```text
//! Traceback (most recent call last):
//!   File "app.py", line 12, in <module>
//!     f(0)
//!   File "app.py", line 3, in f
//!     return 1 / x
//! ZeroDivisionError: division by zero
//! ```

use crate::compile::DebugInfo;
use crate::session::Exception;
use std::collections::HashMap;
use std::fmt::Write;

/// Debug info of every image sent to the device, by image hash.
#[derive(Debug, Default)]
pub struct Sources {
    images: HashMap<u32, DebugInfo>,
}

impl Sources {
    /// No images.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers the debug info of image `hash`.
    pub fn insert(&mut self, hash: u32, debug: DebugInfo) {
        self.images.insert(hash, debug);
    }

    /// The debug info of image `hash`, if this host compiled it.
    pub fn get(&self, hash: u32) -> Option<&DebugInfo> {
        self.images.get(&hash)
    }

    /// Forgets everything (after the device was reset).
    pub fn clear(&mut self) {
        self.images.clear();
    }
}

/// The last line of a traceback: `ZeroDivisionError: division by zero`, or
/// just the type name when the message is empty (as CPython prints
/// `raise ValueError()` / `KeyboardInterrupt`).
pub fn exception_line(exc: &Exception) -> String {
    let msg = exc.message();
    if msg.is_empty() {
        exc.exc_type.clone()
    } else {
        format!("{}: {msg}", exc.exc_type)
    }
}

/// Renders `exc` as CPython would, resolving entries through `sources`.
/// The result ends with a newline.
pub fn render(exc: &Exception, sources: &Sources) -> String {
    let mut out = String::new();
    if !exc.traceback.is_empty() {
        out.push_str("Traceback (most recent call last):\n");
    }
    // The device drops entries from the middle of a deep traceback, keeping
    // the outermost and innermost halves.
    let gap_at = exc.traceback.len() / 2;
    for (i, entry) in exc.traceback.iter().enumerate() {
        if i == gap_at && exc.elided > 0 {
            let _ = writeln!(out, "  [... {} more frames ...]", exc.elided);
        }
        match sources.get(entry.image) {
            Some(debug) => {
                let name = debug
                    .codes
                    .get(usize::from(entry.code))
                    .map_or("?", |c| c.name.as_str());
                match debug.line_of(entry.code, entry.pc) {
                    Some(line) => {
                        let _ =
                            writeln!(out, "  File \"{}\", line {line}, in {name}", debug.filename);
                        if let Some(text) = source_line(&debug.source, line) {
                            let _ = writeln!(out, "    {text}");
                        }
                    }
                    None => {
                        let _ = writeln!(out, "  File \"{}\", in {name}", debug.filename);
                    }
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "  <image {:08x}>, code {}, pc {}",
                    entry.image, entry.code, entry.pc
                );
            }
        }
    }
    out.push_str(&exception_line(exc));
    out.push('\n');
    out
}

/// Line `line` (1-based) of `source`, without surrounding whitespace;
/// `None` if missing or blank.
fn source_line(source: &str, line: u32) -> Option<&str> {
    let text = source
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?
        .trim();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::CodeDebug;
    use p14p_protocol::errmsg::ErrMsg;
    use p14p_protocol::msg::TraceEntry;

    fn sources() -> Sources {
        let mut s = Sources::new();
        s.insert(
            0xabcd,
            DebugInfo {
                filename: "app.py".into(),
                source: "def f(x):\n    return 1 / x\n\nf(0)\n".into(),
                codes: vec![
                    CodeDebug {
                        name: "<module>".into(),
                        lines: vec![(0, 1), (6, 4)],
                    },
                    CodeDebug {
                        name: "f".into(),
                        lines: vec![(0, 2)],
                    },
                ],
            },
        );
        s
    }

    fn exc(msg: ErrMsg, detail: &str, tb: Vec<TraceEntry>) -> Exception {
        Exception {
            exc_type: "ZeroDivisionError".into(),
            msg,
            detail: detail.into(),
            traceback: tb,
            elided: 0,
        }
    }

    #[test]
    fn renders_like_cpython() {
        let e = exc(
            ErrMsg::DivisionByZero,
            "",
            vec![
                TraceEntry {
                    image: 0xabcd,
                    code: 0,
                    pc: 8,
                },
                TraceEntry {
                    image: 0xabcd,
                    code: 1,
                    pc: 3,
                },
            ],
        );
        assert_eq!(
            render(&e, &sources()),
            "Traceback (most recent call last):\n\
             \x20 File \"app.py\", line 4, in <module>\n\
             \x20   f(0)\n\
             \x20 File \"app.py\", line 2, in f\n\
             \x20   return 1 / x\n\
             ZeroDivisionError: division by zero\n"
        );
    }

    #[test]
    fn custom_exception_without_message_prints_only_its_type() {
        let mut e = exc(ErrMsg::Custom, "", vec![]);
        e.exc_type = "ValueError".into();
        assert_eq!(render(&e, &sources()), "ValueError\n");
        e.detail = "bad".into();
        assert_eq!(exception_line(&e), "ValueError: bad");
    }

    #[test]
    fn unknown_images_and_elided_frames_are_shown() {
        let entry = |image| TraceEntry {
            image,
            code: 1,
            pc: 0,
        };
        let mut e = exc(
            ErrMsg::RecursionDepth,
            "",
            vec![entry(0xabcd), entry(0x1234)],
        );
        e.exc_type = "RecursionError".into();
        e.elided = 40;
        let text = render(&e, &sources());
        assert!(text.contains("[... 40 more frames ...]"), "{text}");
        assert!(text.contains("<image 00001234>, code 1, pc 0"), "{text}");
        assert!(text.ends_with("RecursionError: maximum recursion depth exceeded\n"));
    }
}
