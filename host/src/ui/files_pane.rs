//! The files pane: the local folder beside the device's store, one row per
//! name, saying which differ; or, while `v` shows one, that file's text.

use super::state::{Compare, Files};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

/// Draws the pane into `area`.
pub fn render(frame: &mut Frame, area: Rect, files: &Files, focused: bool) {
    if let Some((title, text)) = &files.view {
        let block = super::view::pane_block(&format!(" {title} (any key closes) "), focused);
        let lines: Vec<Line> = text.lines().map(|l| Line::raw(l.to_string())).collect();
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let title = format!(" files · {} ↔ device ", files.dir);
    let block = super::view::pane_block(&title, focused);
    let rows = files.rows.iter().map(|r| {
        let size = |s: Option<u32>| s.map_or_else(|| "-".to_string(), |s| s.to_string());
        let main = if r.device.as_ref().is_some_and(|d| d.main) {
            " (main)"
        } else {
            ""
        };
        let mark = match r.compare {
            Compare::Same => " ",
            _ => "*",
        };
        Row::new(vec![
            Cell::from(mark),
            Cell::from(format!("{}{main}", r.name)),
            Cell::from(size(r.local)),
            Cell::from(size(r.device.as_ref().map(|d| d.size))),
            Cell::from(r.compare.word()),
        ])
    });
    let header = Row::new(vec!["", "name", "local", "device", ""])
        .style(Style::default().add_modifier(Modifier::BOLD));
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Min(16),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(11),
        ],
    )
    .header(header)
    .block(block)
    .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED))
    .highlight_symbol("› ")
    .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let mut state = TableState::default();
    if !files.rows.is_empty() {
        state.select(Some(files.selected.min(files.rows.len() - 1)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}
