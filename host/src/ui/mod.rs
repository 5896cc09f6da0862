//! `p14p ui [PORT]`: one terminal screen with a REPL, the heap, the local
//! folder against the device's store, and the device's figures.
//!
//! | module | what |
//! |--------|------|
//! | [`state`] | what is shown (plain data) |
//! | [`input`] | keys → [`input::Action`], per focused pane |
//! | [`repl_edit`] | the REPL pane's line editing: Tab, paste mode, `input()` |
//! | [`view`] | the layout and key bar; [`repl_pane`], [`heap_pane`], [`files_pane`], [`device_pane`] draw one pane each |
//! | [`capture`] | stdout and stderr into the REPL pane |
//!
//! The REPL pane is [`crate::repl::Repl`] itself (the same compiler,
//! session, `help()` and tracebacks as `p14p repl`), run in a task that
//! takes one input at a time; what it prints is captured ([`capture`]).
//! Its keys are edited as at the terminal REPL, with the same pieces
//! ([`repl_edit`]: completion, paste mode, auto-indent), and a program's
//! `input()` reads the line typed in the pane.
//! Connecting does not reset the device (as `p14p attach` after Ctrl-C:
//! the greeting stops a running main, its globals stay). The heap pane
//! samples every `--interval` ms, while an input runs too (the device
//! answers the heap requests during a run); store actions wait for the
//! REPL to be idle (the device answers them `Busy` during a run).

pub mod capture;
pub mod device_pane;
pub mod files_pane;
pub mod heap_pane;
pub mod input;
pub mod repl_edit;
pub mod repl_pane;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;

use crate::cli::connection::Connection;
use crate::cli::deploy::put;
use crate::cli::files::find_source;
use crate::cli::sync::{
    local_files, namespace_init, namespace_inits, prepare_local, sync_pass, Synced,
};
use crate::cli::Failure;
use crate::repl::Repl;
use crate::session::input::InputLines;
use crate::session::store::content_crc;
use crate::session::Session;
use input::Action;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use repl_edit::{Editor, Effect, Entry, PRIMARY};
use state::{App, Compare, Pane};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Arguments of `p14p ui`.
#[derive(Debug, Clone, clap::Args)]
pub struct UiArgs {
    /// Device (overrides --port).
    #[arg(value_name = "PORT")]
    pub device: Option<String>,
    /// The local folder the files pane compares with the store.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// Heap refresh period in milliseconds (raise it on a slow UART).
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub interval: u64,
}

/// Fills the files pane: the folder's files as `sync` stores them,
/// against the store's listing.
async fn refresh_files(session: &Session, dir: &Path, app: &mut App) -> Result<(), Failure> {
    let mut local = Vec::new();
    let files = local_files(dir)?;
    for f in &files {
        if let Ok(Ok(p)) = prepare_local(session, dir, f) {
            local.push((p.name, p.bytes.len() as u32, content_crc(&p.bytes)));
        }
    }
    // What `sync` adds for a folder without `__init__.py`.
    for init in namespace_inits(&files) {
        let p = namespace_init(session, init)?;
        local.push((p.name, p.bytes.len() as u32, content_crc(&p.bytes)));
    }
    let device = session.store_list().await?;
    app.files.rows = state::compare(&local, &device);
    app.device.store = session.store_stats().await.ok();
    Ok(())
}

/// The status line for a file that does not compile: its first error.
fn does_not_compile(failed: &crate::modules::Failed) -> String {
    let first = failed.diags.first().map_or(String::new(), |d| {
        let text = d.render(&failed.filename, &failed.source);
        text.lines().next().unwrap_or_default().to_string()
    });
    format!("{} does not compile: {first}", failed.filename)
}

/// The selected row's name and comparison.
fn selected(app: &App) -> Option<(String, Compare)> {
    let r = app.files.rows.get(app.files.selected)?;
    Some((r.name.clone(), r.compare))
}

/// Carries out a files-pane action; returns the status line.
async fn files_action(session: &Session, dir: &Path, app: &mut App, action: &Action) -> String {
    let result: Result<String, Failure> = async {
        let Some((name, compare)) = selected(app) else {
            return Ok("no file selected".into());
        };
        let local = local_files(dir)?.into_iter().find(|f| f.name == name);
        match action {
            Action::SyncOne | Action::PushMain => {
                let Some(local) = local else {
                    return Ok(format!("{name} is not in {}", dir.display()));
                };
                let p = match prepare_local(session, dir, &local)? {
                    Ok(p) => p,
                    Err(failed) => return Ok(does_not_compile(&failed)),
                };
                if compare != Compare::Same {
                    put(session, &p).await?;
                }
                if *action == Action::PushMain {
                    session.set_main(Some(&name)).await?;
                    Ok(format!("{name} sent; it is main"))
                } else {
                    Ok(format!("{name} sent"))
                }
            }
            Action::Delete => {
                session.store_remove(&name).await?;
                Ok(format!("{name} removed from the device"))
            }
            Action::View => {
                let stored = app.files.rows[app.files.selected].device.clone();
                let text = match (&local, &stored) {
                    (Some(l), _) => std::fs::read_to_string(&l.path)?,
                    (None, Some(f)) if f.kind == p14p_protocol::msg::FileKind::Image => {
                        match find_source(session, dir, f) {
                            Some(path) => std::fs::read_to_string(path)?,
                            None => "(a compiled image: the device keeps no source)".into(),
                        }
                    }
                    (None, Some(f)) => {
                        String::from_utf8_lossy(&session.store_read(&name, f.size).await?)
                            .into_owned()
                    }
                    (None, None) => String::new(),
                };
                app.files.view = Some((name.clone(), text));
                Ok(String::new())
            }
            _ => Ok(String::new()),
        }
    }
    .await;
    let status = result.unwrap_or_else(|e| format!("failed: {e}"));
    if let Err(e) = refresh_files(session, dir, app).await {
        return format!("{status} (listing failed: {e})");
    }
    status
}

/// `p14p ui [PORT]`.
pub async fn main(conn: &Connection, args: &UiArgs) -> Result<ExitCode, Failure> {
    let repl = Repl::attached(conn.device().await?.shared_session());
    let session: Arc<Session> = repl.shared_session();
    let mut app = App {
        port: session.port().to_string(),
        heap: crate::inspect::initial_state(&session),
        ..App::default()
    };
    app.repl.prompt = PRIMARY.into();
    app.files.dir = args.dir.display().to_string();
    app.device.info = Some(session.info().clone());
    refresh_files(&session, &args.dir, &mut app).await?;
    if let Ok(s) = crate::inspect::sample(&session).await {
        app.heap.update(s);
    }

    // The REPL runs in its own task, one input at a time, so the screen
    // keeps drawing (and the heap keeps sampling) while an input runs.
    let editor = Editor::new(repl.completer());
    let (inputs, mut inputs_rx) = mpsc::unbounded_channel::<Entry>();
    let (done_tx, done) = mpsc::unbounded_channel::<Result<bool, String>>();
    let mut repl = repl;
    let repl_task = tokio::spawn(async move {
        while let Some(entry) = inputs_rx.recv().await {
            let r = match &entry {
                Entry::Input(input) => repl.eval(input).await,
                Entry::Paste(text) => repl.eval_paste(text).await,
            };
            if done_tx.send(r.map_err(|e| e.to_string())).is_err() {
                return;
            }
        }
    });
    // A program's `input()` is answered from the REPL pane: the key
    // reader owns stdin.
    let (asks_tx, asks) = mpsc::unbounded_channel();
    let (lines, lines_rx) = mpsc::unbounded_channel();
    session.answer_input_with(Some(InputLines::new(asks_tx, lines_rx)));
    let mut links = ReplLinks {
        editor,
        inputs,
        done,
        asks,
        lines,
    };

    let (capture, screen, mut printed) = capture::Capture::start()?;
    enable_raw_mode()?;
    let mut screen = screen;
    execute!(
        screen,
        EnterAlternateScreen,
        ratatui::crossterm::event::EnableBracketedPaste
    )?;
    let mut terminal = ratatui::Terminal::new(CrosstermBackend::new(screen))?;
    let (keys_tx, mut keys) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        while let Ok(ev) = ratatui::crossterm::event::read() {
            if keys_tx.send(ev).is_err() {
                return;
            }
        }
    });

    let result = run(
        &session,
        &args.dir,
        Duration::from_millis(args.interval.max(100)),
        &mut app,
        &mut terminal,
        &mut links,
        &mut keys,
        &mut printed,
    )
    .await;
    let _ = disable_raw_mode();
    let _ = execute!(
        terminal.backend_mut(),
        ratatui::crossterm::event::DisableBracketedPaste,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    // Later commands of a `+` chain read `input()` lines from stdin again.
    session.answer_input_with(None);
    drop(capture);
    if app.repl.busy {
        let _ = session.interrupt().await;
    }
    repl_task.abort();
    result.map(|()| ExitCode::SUCCESS)
}

/// The REPL pane's editor and its channels to the REPL task and to the
/// session's `input()`.
struct ReplLinks {
    editor: Editor,
    /// Inputs for the REPL task.
    inputs: mpsc::UnboundedSender<Entry>,
    /// The end of each input the task ran.
    done: mpsc::UnboundedReceiver<Result<bool, String>>,
    /// A running program asks for an `input()` line.
    asks: mpsc::UnboundedReceiver<()>,
    /// The lines answering it.
    lines: mpsc::UnboundedSender<String>,
}

impl ReplLinks {
    /// Carries out what the editor asked; `Some` for a pane or quit.
    async fn effects(&self, session: &Session, effects: Vec<Effect>) -> Option<Action> {
        let mut then = None;
        for effect in effects {
            match effect {
                Effect::Run(entry) => {
                    let _ = self.inputs.send(entry);
                }
                Effect::Line(line) => {
                    let _ = self.lines.send(line);
                }
                Effect::Interrupt => {
                    let _ = session.interrupt().await;
                }
                Effect::NextPane => then = Some(Action::NextPane),
                Effect::Quit => then = Some(Action::Quit),
            }
        }
        then
    }
}

/// The loop: draw, then wait for a key, printed text, an input's end or
/// the next heap sample.
#[allow(clippy::too_many_arguments)]
async fn run(
    session: &Session,
    dir: &Path,
    interval: Duration,
    app: &mut App,
    terminal: &mut ratatui::Terminal<CrosstermBackend<std::fs::File>>,
    links: &mut ReplLinks,
    keys: &mut mpsc::UnboundedReceiver<ratatui::crossterm::event::Event>,
    printed: &mut mpsc::UnboundedReceiver<String>,
) -> Result<(), Failure> {
    let mut tick = tokio::time::interval(interval);
    loop {
        app.device.link = session.link_stats();
        terminal.draw(|f| view::render(f, app))?;
        let action = tokio::select! {
            ev = keys.recv() => match ev {
                Some(ev) => {
                    if app.files.view.is_some() && app.focus == Pane::Files {
                        if matches!(ev, ratatui::crossterm::event::Event::Key(_)) {
                            app.files.view = None;
                        }
                        continue;
                    }
                    match input::action(&ev, app.focus) {
                        Some(a) => a,
                        None => continue,
                    }
                }
                None => Action::Quit,
            },
            text = printed.recv() => {
                if let Some(text) = text {
                    app.repl.print(&text);
                }
                continue;
            }
            r = links.done.recv() => {
                if let Some(Err(e)) = r {
                    app.repl.print(&format!("p14p: {e}\n"));
                }
                let effects = links.editor.finished(app);
                links.effects(session, effects).await;
                continue;
            }
            Some(()) = links.asks.recv() => {
                app.repl.asked = true;
                continue;
            }
            _ = tick.tick() => Action::Tick,
        };
        let action = match action {
            Action::Complete => {
                // Completion may ask the device for live attributes.
                let effects = tokio::task::block_in_place(|| links.editor.act(&action, app));
                links.effects(session, effects).await
            }
            Action::Type(_)
            | Action::Backspace
            | Action::History(_)
            | Action::Enter
            | Action::PasteMode
            | Action::Pasted(_)
            | Action::EndOfInput
            | Action::Interrupt => {
                let effects = links.editor.act(&action, app);
                links.effects(session, effects).await
            }
            other => Some(other),
        };
        let Some(action) = action else {
            continue;
        };
        match action {
            Action::Quit => return Ok(()),
            Action::NextPane => app.focus = app.focus.next(),
            Action::Redraw => terminal.autoresize()?,
            Action::Select(down) => {
                let n = app.files.rows.len();
                let s = &mut app.files.selected;
                *s = if down {
                    (*s + 1).min(n.saturating_sub(1))
                } else {
                    s.saturating_sub(1)
                };
            }
            Action::SyncOne | Action::PushMain | Action::Delete | Action::View => {
                if app.repl.busy {
                    app.status = "the device is running an input: wait or Ctrl-C it".into();
                } else {
                    app.status = files_action(session, dir, app, &action).await;
                }
            }
            Action::SyncAll => {
                if app.repl.busy {
                    app.status = "the device is running an input: wait or Ctrl-C it".into();
                } else {
                    app.status = match sync_pass(session, dir, false, false, &mut |_| {}).await {
                        Ok(Synced {
                            failed: Some(f), ..
                        }) => does_not_compile(&f),
                        Ok(d) => format!("synced: {} sent, {} unchanged", d.sent.len(), d.same),
                        Err(e) => format!("sync failed: {e}"),
                    };
                    let _ = refresh_files(session, dir, app).await;
                }
            }
            Action::Collect => {
                app.status = match session.collect().await {
                    Ok(_) => "collected".into(),
                    Err(e) => format!("gc: {e}"),
                };
            }
            Action::Refresh | Action::Tick => {
                if action == Action::Refresh && app.focus == Pane::Files && !app.repl.busy {
                    if let Err(e) = refresh_files(session, dir, app).await {
                        app.status = format!("listing failed: {e}");
                    }
                }
                match crate::inspect::sample(session).await {
                    Ok(s) => app.heap.update(s),
                    // A running program lends its heap at its polls, not
                    // while it waits on the link (its output's window, an
                    // answer): a refusal then is no failure, the next tick
                    // samples again.
                    Err(crate::session::Error::Device {
                        error: p14p_protocol::msg::DeviceError::Busy,
                        ..
                    }) if app.repl.busy => {}
                    Err(e) => app.status = format!("heap sample failed: {e}"),
                }
                if action == Action::Refresh && !app.repl.busy {
                    app.device.store = session.store_stats().await.ok().or(app.device.store);
                }
            }
            // The editor's, handled above.
            Action::Type(_)
            | Action::Backspace
            | Action::History(_)
            | Action::Enter
            | Action::Complete
            | Action::PasteMode
            | Action::Pasted(_)
            | Action::EndOfInput
            | Action::Interrupt => {}
        }
    }
}
