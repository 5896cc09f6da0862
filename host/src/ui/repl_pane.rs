//! The REPL pane: the output, newest at the bottom, and the prompt.

use super::state::Repl;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the pane into `area`; `focused` puts the cursor at the prompt.
pub fn render(frame: &mut Frame, area: Rect, repl: &Repl, focused: bool) {
    let title = if repl.asked {
        " REPL · input() waits (Enter answers) "
    } else if repl.busy {
        " REPL · running (Ctrl-C interrupts) "
    } else {
        " REPL "
    };
    let block = super::view::pane_block(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut shown = repl.shown();
    let prompt = if repl.asked {
        // The program's own prompt (its unfinished last line) leads the
        // answer being typed, as at a terminal.
        let partial = repl
            .lines
            .last()
            .is_some_and(|l| !l.is_empty() && !l.ends_with('\n'));
        let theirs = if partial { shown.pop() } else { None };
        format!("{}{}", theirs.unwrap_or(""), repl.input)
    } else if repl.busy {
        String::new()
    } else {
        format!("{}{}", repl.prompt, repl.input)
    };
    let typing = repl.asked || !repl.busy;
    // The last lines that fit, the prompt under them; long lines are cut
    // (a pane that wrapped would have to count rows per line).
    let room = usize::from(inner.height).saturating_sub(1);
    let start = shown.len().saturating_sub(room);
    let mut lines: Vec<Line> = shown[start..]
        .iter()
        .map(|l| Line::raw(l.to_string()))
        .collect();
    lines.push(Line::raw(prompt.clone()));
    frame.render_widget(Paragraph::new(lines), inner);
    if focused && typing {
        let used = (shown.len() - start) as u16;
        let x = inner.x + (prompt.chars().count() as u16).min(inner.width.saturating_sub(1));
        frame.set_cursor_position((x, inner.y + used));
    }
}
