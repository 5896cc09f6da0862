//! Drawing: a pure function of [`State`], so the screen can be rendered
//! into ratatui's `TestBackend` and snapshotted.
//!
//! ```text
//! ┌ p14p inspect ─ board @ port ───────────────────────────┐
//! │ heap 65536 B  used … free … largest free … fragmentation │  header
//! │ objects …  GC runs, total and last collection time      │
//! │ [used gauge]                                            │
//! ├ block map ──────────────────────────────────────────────┤  one char per arena share
//! ├ objects by type ─────────────┬ largest objects ─────────┤
//! └ keys · status ──────────────────────────────────────────┘
//! ```

use super::input::HELP;
use super::state::State;
use super::tags;
use ratatui::backend::TestBackend;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Gauge, Paragraph, Row, Table, Wrap};
use ratatui::{Frame, Terminal};

/// Draws the whole screen.
pub fn render(frame: &mut Frame, state: &State) {
    let [header, map, tables, footer] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Min(5),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    render_header(frame, header, state);
    render_map(frame, map, state);
    let [types, largest] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(tables);
    render_types(frame, types, state);
    render_largest(frame, largest, state);
    let status = if state.status.is_empty() {
        HELP.to_string()
    } else {
        format!("{HELP}  ·  {}", state.status)
    };
    frame.render_widget(Paragraph::new(status), footer);
}

/// The screen as plain text, `width` × `height` cells, one line per row
/// with trailing blanks trimmed: what `p14p inspect --once` prints, and
/// what the snapshot tests compare.
pub fn text(state: &State, width: u16, height: u16) -> std::io::Result<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|f| render(f, state))?;
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out)
}

fn render_header(frame: &mut Frame, area: Rect, state: &State) {
    let s = &state.sample.stats;
    let program = state
        .program
        .as_deref()
        .map(|p| format!(" running {p}"))
        .unwrap_or_default();
    let title = format!(" p14p inspect · {} @ {}{program} ", state.board, state.port);
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [text, gauge] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(inner);
    let lines = vec![
        Line::raw(format!(
            "heap {} B   used {} B   free {} B   largest free {} B   fragmentation {:.0}%",
            s.total,
            s.used,
            s.free,
            s.largest_free,
            state.fragmentation() * 100.0,
        )),
        Line::raw(format!(
            "objects {}   GC {}   samples {}",
            s.objects,
            state.gc_summary(),
            state.samples
        )),
    ];
    frame.render_widget(Paragraph::new(lines), text);
    let ratio = if s.total == 0 {
        0.0
    } else {
        f64::from(s.used) / f64::from(s.total)
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(format!("{:.1}% used", ratio * 100.0)),
        gauge,
    );
}

fn render_map(frame: &mut Frame, area: Rect, state: &State) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" block map  . free  s str  l list  t tuple  d dict/set  n number  f function  F frame  I image  o object ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = state.map_cells(inner.width as usize * inner.height as usize);
    let lines: Vec<Line> = cells
        .as_bytes()
        .chunks(inner.width.max(1) as usize)
        .map(|c| Line::raw(String::from_utf8_lossy(c).into_owned()))
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn delta(d: Option<i64>) -> String {
    match d {
        None => String::new(),
        Some(0) => "·".into(),
        Some(d) => format!("{d:+}"),
    }
}

fn render_types(frame: &mut Frame, area: Rect, state: &State) {
    let title = if state.snapshot.is_some() {
        " objects by type (Δ since snapshot) "
    } else {
        " objects by type "
    };
    let rows = state.rows().into_iter().map(|r| {
        Row::new(vec![
            Cell::from(r.name),
            Cell::from(r.count.to_string()),
            Cell::from(r.bytes.to_string()),
            Cell::from(delta(r.d_count)),
            Cell::from(delta(r.d_bytes)),
        ])
    });
    let header = Row::new(["type", "count", "bytes", "Δcount", "Δbytes"])
        .style(Style::default().add_modifier(Modifier::BOLD));
    let table = Table::new(
        rows,
        [
            Constraint::Min(14),
            Constraint::Length(7),
            Constraint::Length(8),
            Constraint::Length(7),
            Constraint::Length(8),
        ],
    )
    .header(header)
    .block(Block::default().borders(Borders::ALL).title(title));
    frame.render_widget(table, area);
}

fn render_largest(frame: &mut Frame, area: Rect, state: &State) {
    let rows = state.sample.largest.iter().map(|o| {
        Row::new(vec![
            Cell::from(o.bytes.to_string()),
            Cell::from(tags::short_repr(o.tag, o.bytes, &o.head)),
        ])
    });
    let header = Row::new(["bytes", "object"]).style(Style::default().add_modifier(Modifier::BOLD));
    let table = Table::new(rows, [Constraint::Length(7), Constraint::Min(10)])
        .header(header)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" largest objects "),
        );
    frame.render_widget(table, area);
}

#[cfg(test)]
mod tests;
