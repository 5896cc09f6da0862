//! The device pane: what the board said in the handshake, its store's
//! figures and the link's health.

use super::state::Device;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the pane into `area`.
pub fn render(frame: &mut Frame, area: Rect, device: &Device, port: &str, focused: bool) {
    let block = super::view::pane_block(" device ", focused);
    let mut lines = Vec::new();
    if let Some(i) = &device.info {
        lines.push(Line::raw(format!("{} · firmware {}", i.board, i.firmware)));
        lines.push(Line::raw(format!("port {port}")));
        lines.push(Line::raw(format!("heap {} B", i.heap_bytes)));
        lines.push(Line::raw(format!(
            "frames ≤ {} B · window {}",
            i.max_frame, i.window
        )));
        let natives: Vec<&str> = i.natives.iter().map(|m| m.name.as_str()).collect();
        lines.push(Line::raw(format!("modules {}", natives.join(" "))));
    }
    if let Some(s) = &device.store {
        lines.push(Line::raw(format!(
            "store {} of {} B used",
            s.used, s.capacity
        )));
        lines.push(Line::raw(format!("      {} file(s)", s.files)));
    }
    let (frames, bad, retries) = device.link;
    lines.push(Line::raw(format!("link {frames} frames in")));
    lines.push(Line::raw(format!(
        "     {bad} bad (CRC/COBS) · {retries} retries"
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}
