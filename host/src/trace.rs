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
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::TraceEntry;
use std::collections::HashMap;
use std::fmt::Write;

/// Debug info of every image sent to the device, by image hash.
#[derive(Debug, Clone, Default)]
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

    /// The debug info of image `hash`, if this host compiled it (the
    /// frozen library's images included: the host compiles `lib/` too).
    pub fn get(&self, hash: u32) -> Option<&DebugInfo> {
        self.images
            .get(&hash)
            .or_else(|| crate::library::debug(hash))
            .or_else(|| crate::session::dynamic::debug(hash))
    }

    /// Takes in everything `other` holds.
    pub fn extend(&mut self, other: Sources) {
        self.images.extend(other.images);
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
    type_and(exc, exc.message())
}

/// [`exception_line`] naming a local slot the image does not name (an
/// `UnboundLocalError` on a slot past the parameters: the device says its
/// number) from the debug info of the innermost frame.
pub fn exception_line_in(exc: &Exception, sources: &Sources) -> String {
    let slot = match exc.msg {
        ErrMsg::UnboundLocal | ErrMsg::UnboundFree => exc.detail.parse::<usize>().ok(),
        _ => None,
    };
    let name = slot.and_then(|s| {
        let e = exc.traceback.last()?;
        let code = sources.get(e.image)?.codes.get(usize::from(e.code))?;
        code.slots.get(s)
    });
    match name {
        Some(n) => type_and(exc, exc.msg.render(n)),
        None => exception_line(exc),
    }
}

fn type_and(exc: &Exception, msg: String) -> String {
    if msg.is_empty() {
        exc.exc_type.clone()
    } else {
        format!("{}: {msg}", exc.exc_type)
    }
}

/// How many identical frames in a row are printed before CPython's
/// `[Previous line repeated N more times]` takes over.
const REPEAT_SHOWN: usize = 3;

/// Renders `exc` as CPython would, resolving entries through `sources`.
/// The result ends with a newline.
///
/// Runs of identical frames (same file, line and function, as in a
/// runaway recursion) collapse as in CPython: three are printed, then
/// `[Previous line repeated N more times]`. The device drops frames from
/// the middle of a deep traceback (`exc.elided`), keeping the outermost
/// and innermost halves; when a run continues across that gap the line
/// says so instead of guessing what the unrecorded frames were.
pub fn render(exc: &Exception, sources: &Sources) -> String {
    let mut out = String::new();
    if !exc.traceback.is_empty() {
        out.push_str("Traceback (most recent call last):\n");
    }
    let gap_at = exc.traceback.len() / 2;
    let frames: Vec<String> = exc
        .traceback
        .iter()
        .map(|entry| frame_text(entry, sources))
        .collect();
    let mut i = 0;
    while i < frames.len() {
        if i == gap_at && exc.elided > 0 {
            let _ = writeln!(out, "  [... {} more frames ...]", exc.elided);
        }
        // The run of frames equal to this one, and whether it spans the gap.
        let mut end = i + 1;
        while end < frames.len() && frames[end] == frames[i] {
            end += 1;
        }
        let spans_gap = exc.elided > 0 && i < gap_at && gap_at < end;
        if spans_gap {
            // Print the run's outer part, the gap, then the rest as repeats.
            let before = gap_at - i;
            for _ in 0..before.min(REPEAT_SHOWN) {
                out.push_str(&frames[i]);
            }
            let repeated = end - i - before.min(REPEAT_SHOWN);
            let _ = writeln!(
                out,
                "  [Previous line repeated {repeated} more times, {} frames between not recorded]",
                exc.elided
            );
        } else {
            for _ in 0..(end - i).min(REPEAT_SHOWN) {
                out.push_str(&frames[i]);
            }
            if end - i > REPEAT_SHOWN {
                let _ = writeln!(
                    out,
                    "  [Previous line repeated {} more times]",
                    end - i - REPEAT_SHOWN
                );
            }
        }
        i = end;
    }
    out.push_str(&exception_line_in(exc, sources));
    out.push('\n');
    out
}

/// One traceback entry as CPython prints it: the `File` line and, when
/// the source is known, the source line under it.
fn frame_text(entry: &TraceEntry, sources: &Sources) -> String {
    let mut out = String::new();
    match sources.get(entry.image) {
        Some(debug) => {
            let name = debug
                .codes
                .get(usize::from(entry.code))
                .map_or("?", |c| c.name.as_str());
            match debug.line_of(entry.code, entry.pc) {
                Some(line) => {
                    let _ = writeln!(out, "  File \"{}\", line {line}, in {name}", debug.filename);
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
                        slots: vec![],
                    },
                    CodeDebug {
                        name: "f".into(),
                        lines: vec![(0, 2)],
                        slots: vec!["x".into(), "y".into()],
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
    fn names_an_unbound_slot_the_device_reports_by_number() {
        let at = |code, pc| TraceEntry {
            image: 0xabcd,
            code,
            pc,
        };
        let mut e = exc(ErrMsg::UnboundLocal, "1", vec![at(0, 6), at(1, 0)]);
        e.exc_type = "UnboundLocalError".into();
        let text = render(&e, &sources());
        assert!(
            text.ends_with("UnboundLocalError: local variable 'y' referenced before assignment\n"),
            "{text}"
        );
        // Without the debug info: the number the device sent.
        assert_eq!(
            exception_line(&e),
            "UnboundLocalError: local variable '1' referenced before assignment"
        );
        // A name (a parameter slot, named by the image) stays as it is.
        e.detail = "x".into();
        assert!(render(&e, &sources()).ends_with("variable 'x' referenced before assignment\n"));
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

    /// `<module>` calling `f`, then `f` calling itself `depth - 1` times.
    fn recursion(depth: usize) -> Vec<TraceEntry> {
        let mut tb = vec![TraceEntry {
            image: 0xabcd,
            code: 0,
            pc: 8,
        }];
        tb.extend((0..depth).map(|_| TraceEntry {
            image: 0xabcd,
            code: 1,
            pc: 3,
        }));
        tb
    }

    #[test]
    fn repeated_frames_collapse_like_cpython() {
        let e = exc(ErrMsg::DivisionByZero, "", recursion(10));
        let text = render(&e, &sources());
        assert_eq!(text.matches("in f\n").count(), 3, "{text}");
        assert!(
            text.contains(
                "    return 1 / x\n  [Previous line repeated 7 more times]\nZeroDivisionError"
            ),
            "{text}"
        );
        // Three in a row are printed as they are.
        let text = render(&exc(ErrMsg::DivisionByZero, "", recursion(3)), &sources());
        assert_eq!(text.matches("in f\n").count(), 3, "{text}");
        assert!(!text.contains("Previous line"), "{text}");
    }

    #[test]
    fn a_run_across_the_elided_gap_says_what_was_not_recorded() {
        // 1 + 39 entries kept, 960 frames elided from the middle (gap at 20).
        let mut e = exc(ErrMsg::RecursionDepth, "", recursion(39));
        e.exc_type = "RecursionError".into();
        e.elided = 960;
        let text = render(&e, &sources());
        assert_eq!(text.matches("in f\n").count(), 3, "{text}");
        assert!(
            text.contains(
                "[Previous line repeated 36 more times, 960 frames between not recorded]"
            ),
            "{text}"
        );
        assert!(!text.contains("more frames ..."), "{text}");
    }
}
