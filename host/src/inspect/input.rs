//! Keys → intents. Every binding is here; nothing here does I/O.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Leave the inspector.
    Quit,
    /// Run `gc.collect()` on the device.
    Collect,
    /// Remember the counts now; the table then shows growth since then.
    Snapshot,
    /// Sample now.
    Refresh,
}

/// The key bindings, for the footer.
pub const HELP: &str = "q quit  g gc.collect()  s snapshot  r refresh";

/// The intent of a terminal event, if any.
pub fn intent(event: &Event) -> Option<Intent> {
    let Event::Key(KeyEvent {
        code,
        modifiers,
        kind,
        ..
    }) = event
    else {
        return None;
    };
    if *kind == KeyEventKind::Release {
        return None;
    }
    match code {
        KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => Some(Intent::Quit),
        KeyCode::Char('q') | KeyCode::Esc => Some(Intent::Quit),
        KeyCode::Char('g') => Some(Intent::Collect),
        KeyCode::Char('s') => Some(Intent::Snapshot),
        KeyCode::Char('r') => Some(Intent::Refresh),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_intents() {
        let key = |c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
        assert_eq!(intent(&key(KeyCode::Char('q'))), Some(Intent::Quit));
        assert_eq!(intent(&key(KeyCode::Char('g'))), Some(Intent::Collect));
        assert_eq!(intent(&key(KeyCode::Char('s'))), Some(Intent::Snapshot));
        assert_eq!(intent(&key(KeyCode::Char('x'))), None);
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(intent(&ctrl_c), Some(Intent::Quit));
    }
}
