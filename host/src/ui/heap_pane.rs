//! The heap pane: the inspector's figures, a gauge, a small block map and
//! the commonest types, from the same [`crate::inspect::state::State`] that
//! `p14p inspect` draws.

use crate::inspect::state::State;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Gauge, Paragraph, Wrap};
use ratatui::Frame;

/// Draws the pane into `area`.
pub fn render(frame: &mut Frame, area: Rect, heap: &State, focused: bool) {
    let title = format!(" heap · sample {} ", heap.samples);
    let block = super::view::pane_block(&title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width == 0 {
        return;
    }
    let s = &heap.sample.stats;
    let [figures, gauge, map, types] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Min(0),
    ])
    .areas(inner);
    let lines = vec![
        Line::raw(format!(
            "used {} of {} B · objects {}",
            s.used, s.total, s.objects
        )),
        Line::raw(format!(
            "free {} B · largest {} B · frag {:.0}%",
            s.free,
            s.largest_free,
            heap.fragmentation() * 100.0
        )),
        Line::raw(format!("GC {}", heap.gc_summary())),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), figures);
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
    let cells = heap.map_cells(usize::from(map.width) * usize::from(map.height));
    frame.render_widget(Paragraph::new(cells).wrap(Wrap { trim: false }), map);
    let rows: Vec<Line> = heap
        .rows()
        .into_iter()
        .filter(|r| r.name != "free")
        .take(usize::from(types.height))
        .map(|r| Line::raw(format!("{:<12} {:>6} {:>8} B", r.name, r.count, r.bytes)))
        .collect();
    frame.render_widget(Paragraph::new(rows), types);
}
