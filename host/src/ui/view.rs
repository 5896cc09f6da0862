//! The screen: the four panes and the key bar, a pure function of
//! [`App`], so it renders into ratatui's `TestBackend` for snapshots.
//!
//! ```text
//! ┌ REPL ─────────────────────────┐┌ heap ───────────────┐
//! │ output…                       ││ figures, gauge, map │
//! │ >>> _                         ││ types               │
//! ├ files ────────────────────────┤├ device ─────────────┤
//! │ name  local  device  compare  ││ board, store, link  │
//! └───────────────────────────────┘└─────────────────────┘
//!  Tab next pane · keys of the focused pane · status
//! ```

use super::state::{App, Pane};
use ratatui::backend::TestBackend;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::{Frame, Terminal};

/// A pane's frame: bold borders when it has the keys.
pub fn pane_block(title: &str, focused: bool) -> Block<'static> {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title.to_string());
    if focused {
        block
            .border_type(ratatui::widgets::BorderType::Double)
            .title_style(Style::default().add_modifier(Modifier::BOLD))
    } else {
        block
    }
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let [body, bar] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(1)]).areas(frame.area());
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
    let [repl, files] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(left);
    let [heap, device] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(right);
    super::repl_pane::render(frame, repl, &app.repl, app.focus == Pane::Repl);
    super::files_pane::render(frame, files, &app.files, app.focus == Pane::Files);
    super::heap_pane::render(frame, heap, &app.heap, app.focus == Pane::Heap);
    super::device_pane::render(
        frame,
        device,
        &app.device,
        &app.port,
        app.focus == Pane::Device,
    );
    // The status first: a narrow terminal cuts the keys, not the news.
    // In the REPL Tab completes (at an empty line it moves on, too).
    let next = if app.focus == Pane::Repl {
        "Shift-Tab"
    } else {
        "Tab"
    };
    let mut keys = format!("{next} next pane · Ctrl-Q quit · {}", app.focus.keys());
    if !app.status.is_empty() {
        keys = format!("{}  ·  {keys}", app.status);
    }
    frame.render_widget(Paragraph::new(keys), bar);
}

/// A drawing as plain text, one line per row with trailing blanks trimmed.
pub fn text(width: u16, height: u16, draw: impl FnOnce(&mut Frame)) -> std::io::Result<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(draw)?;
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out)
}
