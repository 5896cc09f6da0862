//! The REPL's own keys at a terminal, bound into rustyline.
//!
//! rustyline's handlers only choose an editing command; what the REPL does
//! next is decided after `readline` returns. So a key that starts or ends
//! something sets a flag in [`Keys`] and accepts the line, and the REPL
//! loop reads (and clears) the flag.
//!
//! * Ctrl-E on an empty line at the primary prompt: paste mode
//!   ([`super::paste`]); elsewhere it keeps its meaning (end of line).
//! * Ctrl-D in paste mode on a non-empty line: finish the paste with that
//!   line (on an empty line rustyline's end of input does the same).
//! * Backspace in a line's leading spaces: back one indentation level
//!   (four spaces), as MicroPython's REPL does, so the auto-indent is undone
//!   one level at a time.

use rustyline::{
    Cmd, ConditionalEventHandler, Editor, Event, EventContext, EventHandler, KeyCode, KeyEvent,
    Modifiers, Movement, RepeatCount,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// One indentation level.
pub const INDENT: usize = 4;

/// State shared between the key handlers and the REPL loop.
#[derive(Debug, Default)]
pub struct Keys {
    /// The prompt is the primary one (no input pending): Ctrl-E may start
    /// paste mode.
    pub primary: AtomicBool,
    /// In paste mode: Ctrl-D finishes it.
    pub pasting: AtomicBool,
    /// Ctrl-E asked for paste mode.
    pub paste: AtomicBool,
    /// Ctrl-D finished the paste with the line it was pressed on.
    pub finish: AtomicBool,
}

impl Keys {
    /// Reads and clears `flag`.
    pub fn take(flag: &AtomicBool) -> bool {
        flag.swap(false, Ordering::Relaxed)
    }

    /// Binds the keys into `editor`; returns the shared state.
    pub fn bind<H: rustyline::Helper, I: rustyline::history::History>(
        editor: &mut Editor<H, I>,
    ) -> Arc<Keys> {
        let keys = Arc::new(Keys::default());
        editor.bind_sequence(
            KeyEvent::ctrl('E'),
            EventHandler::Conditional(Box::new(CtrlE(keys.clone()))),
        );
        editor.bind_sequence(
            KeyEvent::ctrl('D'),
            EventHandler::Conditional(Box::new(CtrlD(keys.clone()))),
        );
        editor.bind_sequence(
            KeyEvent(KeyCode::Backspace, Modifiers::NONE),
            EventHandler::Conditional(Box::new(Dedent)),
        );
        keys
    }
}

struct CtrlE(Arc<Keys>);

impl ConditionalEventHandler for CtrlE {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        if ctx.line().is_empty() && self.0.primary.load(Ordering::Relaxed) {
            self.0.paste.store(true, Ordering::Relaxed);
            Some(Cmd::AcceptLine)
        } else {
            None
        }
    }
}

struct CtrlD(Arc<Keys>);

impl ConditionalEventHandler for CtrlD {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        if !ctx.line().is_empty() && self.0.pasting.load(Ordering::Relaxed) {
            self.0.finish.store(true, Ordering::Relaxed);
            Some(Cmd::AcceptLine)
        } else {
            None
        }
    }
}

struct Dedent;

impl ConditionalEventHandler for Dedent {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        // rustyline's dedent removes up to `Config::indent_size` (set to
        // [`INDENT`] by the REPL) leading spaces. Not a `Kill` of four
        // characters: rustyline replays an edit with the key's repeat
        // count (one), which would kill one.
        in_indentation(&ctx.line()[..ctx.pos()]).then_some(Cmd::Dedent(Movement::WholeLine))
    }
}

/// Whether `before` (the line up to the cursor) is leading spaces only,
/// where Backspace removes one indentation level.
pub fn in_indentation(before: &str) -> bool {
    !before.is_empty() && before.bytes().all(|b| b == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_dedents_only_in_leading_spaces() {
        assert!(in_indentation("        "));
        assert!(in_indentation(" "));
        assert!(!in_indentation(""));
        assert!(!in_indentation("    x"));
        assert!(!in_indentation("\t"));
    }
}
