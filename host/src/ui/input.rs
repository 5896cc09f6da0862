//! Keys → [`Action`]s, by the focused pane: pure, so the key map is
//! tested without a terminal.

use super::state::Pane;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Leave the UI.
    Quit,
    /// REPL: Ctrl-D (run the paste in paste mode, end of input for a
    /// program's `input()`, else leave the UI).
    EndOfInput,
    /// REPL: Tab (complete the line; at an empty line, the next pane).
    Complete,
    /// REPL: Ctrl-E (paste mode).
    PasteMode,
    /// REPL: text the terminal pasted (a bracketed paste), whole.
    Pasted(String),
    /// Focus the next pane.
    NextPane,
    /// Redraw (the terminal was resized).
    Redraw,
    /// REPL: a character typed.
    Type(char),
    /// REPL: delete before the cursor.
    Backspace,
    /// REPL: enter the line.
    Enter,
    /// REPL: older (`true`) or newer history.
    History(bool),
    /// REPL: Ctrl-C (interrupt the running input, or drop the line).
    Interrupt,
    /// Files: move the selection down (`true`) or up.
    Select(bool),
    /// Files: send the selected file.
    SyncOne,
    /// Files: sync the whole folder.
    SyncAll,
    /// Files: send the selected file and make it main.
    PushMain,
    /// Files: remove the selected file from the device.
    Delete,
    /// Files: show the selected file.
    View,
    /// Heap: run a collection.
    Collect,
    /// Any pane: sample again now (and, in the files pane, list again).
    Refresh,
    /// The heap refresh period passed (not a key).
    Tick,
}

/// The action of terminal event `ev` with `pane` focused, if any.
pub fn action(ev: &Event, pane: Pane) -> Option<Action> {
    let key = match ev {
        Event::Resize(..) => return Some(Action::Redraw),
        Event::Paste(text) if pane == Pane::Repl => return Some(Action::Pasted(text.clone())),
        Event::Key(k) if k.kind != KeyEventKind::Release => k,
        _ => return None,
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('q') if ctrl => return Some(Action::Quit),
        KeyCode::BackTab => return Some(Action::NextPane),
        KeyCode::Tab if pane != Pane::Repl => return Some(Action::NextPane),
        _ => {}
    }
    match pane {
        Pane::Repl => repl_key(key, ctrl),
        Pane::Files => match key.code {
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Select(true)),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Select(false)),
            KeyCode::Char('s') => Some(Action::SyncOne),
            KeyCode::Char('a') => Some(Action::SyncAll),
            KeyCode::Char('m') => Some(Action::PushMain),
            KeyCode::Char('d') => Some(Action::Delete),
            KeyCode::Char('v') | KeyCode::Enter => Some(Action::View),
            KeyCode::Char('r') => Some(Action::Refresh),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        },
        Pane::Heap => match key.code {
            KeyCode::Char('g') => Some(Action::Collect),
            KeyCode::Char('r') => Some(Action::Refresh),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        },
        Pane::Device => match key.code {
            KeyCode::Char('r') => Some(Action::Refresh),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        },
    }
}

fn repl_key(key: &KeyEvent, ctrl: bool) -> Option<Action> {
    match key.code {
        KeyCode::Char('c') if ctrl => Some(Action::Interrupt),
        KeyCode::Char('d') if ctrl => Some(Action::EndOfInput),
        KeyCode::Char('e') if ctrl => Some(Action::PasteMode),
        KeyCode::Tab => Some(Action::Complete),
        KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::Enter => Some(Action::Enter),
        KeyCode::Up => Some(Action::History(true)),
        KeyCode::Down => Some(Action::History(false)),
        _ => None,
    }
}
