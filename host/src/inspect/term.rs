//! The terminal: raw mode and the alternate screen, restored by a guard's
//! `Drop` (also on an early `?` return or a panic unwinding).

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::Terminal;
use std::io::{self, Stdout};

/// Leaves raw mode and the alternate screen when dropped.
pub struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = disable_raw_mode();
        let _ = execute!(
            io::stdout(),
            LeaveAlternateScreen,
            ratatui::crossterm::cursor::Show
        );
    }
}

/// Enters raw mode and the alternate screen; the guard undoes both.
pub fn enter() -> io::Result<(Terminal<CrosstermBackend<Stdout>>, Restore)> {
    enable_raw_mode()?;
    let guard = Restore;
    execute!(io::stdout(), EnterAlternateScreen)?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((terminal, guard))
}
