//! `p14p inspect [PORT] [--run FILE]`: a live terminal view of the device's
//! heap: figures, a block map, objects by type, the largest objects; `g`
//! runs a collection, `s` takes a snapshot and the table shows what grew.
//!
//! | module  | what |
//! |---------|------|
//! | [`state`] | the data shown (pure) |
//! | [`input`] | keys → [`input::Intent`] |
//! | [`view`]  | `render(frame, &State)`, pure |
//! | [`term`]  | raw mode and alternate screen, restored by a drop guard |
//! | [`tags`]  | names and short reprs of the device's block tags |
//!
//! The device answers the heap requests while a program runs (protocol
//! v3), and collects at its next poll when asked (v4), so with `--run FILE`
//! the inspector starts the program and watches its heap on the same
//! connection. `--once` prints one screen as text and exits (scripts, CI).
//!
//! [`main`] is the only place with I/O: it turns [`input::Intent`]s and
//! the run's end into session calls and [`State`] updates, and redraws.

pub mod input;
pub mod state;
pub mod tags;
pub mod term;
pub mod view;

use crate::cli::connection::Connection;
use crate::cli::probe::load_program;
use crate::cli::Failure;
use crate::session::{self, Outcome, Session};
use crate::trace::Sources;
use input::Intent;
use state::{Sample, State};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `p14p inspect`.
#[derive(Debug, Clone, clap::Args)]
pub struct InspectArgs {
    /// Device to inspect (overrides --port). Not called `port`: a
    /// positional of that name would shadow the global `--port`.
    #[arg(value_name = "PORT")]
    pub device: Option<String>,
    /// Start this program on the device and inspect it while it runs.
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    /// Refresh period in milliseconds (with --once: how long the program
    /// runs before the sample).
    #[arg(long, default_value_t = 500, value_name = "MS")]
    pub interval: u64,
    /// Print one screen as text and exit (the terminal's size, or 100×30
    /// when stdout is not a terminal). With --run, the program is sampled
    /// after --interval ms (or when it ends), then stopped.
    #[arg(long)]
    pub once: bool,
}

/// How many of the largest objects to show.
const LARGEST: u8 = 6;

/// The screen size of `--once` when stdout is not a terminal.
const ONCE_SIZE: (u16, u16) = (100, 30);

/// One full sample: census, block map, largest objects.
pub async fn sample(session: &Session) -> session::Result<Sample> {
    let (stats, types) = session.census().await?;
    let map = session.heap_map().await?;
    let largest = session.largest(LARGEST).await?;
    Ok(Sample {
        stats,
        types,
        map,
        largest,
    })
}

/// The state for a fresh inspector on `session`.
pub fn initial_state(session: &Session) -> State {
    let info = session.info();
    State {
        board: info.board.clone(),
        port: session.port().to_string(),
        gc_timed: info.features & p14p_protocol::version::feature::GC_TIME != 0,
        ..State::default()
    }
}

/// The status line for how a run ended.
fn ended(outcome: session::Result<Outcome>) -> String {
    match outcome {
        Ok(Outcome::Done) => "the program ended".into(),
        Ok(Outcome::Raised(e)) => {
            format!("the program raised {}", crate::trace::exception_line(&e))
        }
        Err(e) => format!("run failed: {e}"),
    }
}

/// Runs the inspector until the user quits (or, with `--once`, prints one
/// screen).
pub async fn main(conn: &Connection, args: &InspectArgs) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let mut state = initial_state(session);
    let mut sources = Sources::new();
    let hash = match &args.run {
        Some(file) => match load_program(session, file, &mut sources).await? {
            Ok(h) => {
                state.program = Some(file.display().to_string());
                Some(h)
            }
            Err(code) => return Ok(code),
        },
        None => None,
    };
    let interval = Duration::from_millis(args.interval.max(50));
    if args.once {
        once(session, &mut state, hash, interval).await?;
    } else {
        live(session, &mut state, hash, interval).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--once`: start the program (if any), sample after `interval` or when it
/// ends, stop it, print the screen.
async fn once(
    session: &Session,
    state: &mut State,
    hash: Option<u32>,
    interval: Duration,
) -> Result<(), Failure> {
    if let Some(h) = hash {
        let run = session.run(h, |_| {});
        tokio::pin!(run);
        let finished = tokio::select! {
            outcome = &mut run => Some(outcome),
            _ = tokio::time::sleep(interval) => None,
        };
        state.update(sample(session).await?);
        match finished {
            Some(outcome) => {
                state.status = ended(outcome);
                state.program = None;
            }
            None => {
                // Leave the device idle: stop the program, await its end.
                session.interrupt().await?;
                let _ = run.await;
            }
        }
    } else {
        state.update(sample(session).await?);
    }
    let (width, height) = if std::io::stdout().is_terminal() {
        ratatui::crossterm::terminal::size().unwrap_or(ONCE_SIZE)
    } else {
        ONCE_SIZE
    };
    print!("{}", view::text(state, width, height)?);
    Ok(())
}

/// The interactive screen: redraw, wait for a key, the run's end or the
/// next refresh, act, sample again.
async fn live(
    session: &Session,
    state: &mut State,
    hash: Option<u32>,
    interval: Duration,
) -> Result<(), Failure> {
    state.update(sample(session).await?);
    let (mut terminal, _restore) = term::enter()?;
    // Keys arrive from a thread (crossterm's reader blocks), started once
    // the terminal is in raw mode so no key is read line-buffered.
    let (keys_tx, mut keys) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        while let Ok(ev) = ratatui::crossterm::event::read() {
            if let Some(i) = input::intent(&ev) {
                if keys_tx.send(i).is_err() {
                    return;
                }
            }
        }
    });
    let run = async {
        match hash {
            Some(h) => session.run(h, |_| {}).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(run);
    let mut running = hash.is_some();
    loop {
        terminal.draw(|f| view::render(f, state))?;
        let intent = tokio::select! {
            i = keys.recv() => i.unwrap_or(Intent::Quit),
            outcome = &mut run, if running => {
                running = false;
                state.status = ended(outcome);
                state.program = None;
                Intent::Refresh
            }
            _ = tokio::time::sleep(interval) => Intent::Refresh,
        };
        match intent {
            Intent::Quit => break,
            Intent::Refresh => {}
            Intent::Snapshot => {
                state.take_snapshot();
                state.status = format!("snapshot taken at sample {}", state.samples);
            }
            // Served during a run too (protocol 4): the device collects at
            // its next poll and times the collection itself.
            Intent::Collect => match session.collect().await {
                Ok(stats) => {
                    let took = state::duration(u64::from(stats.gc_last_us));
                    state.status = if state.gc_timed {
                        format!("collected in {took}")
                    } else {
                        "collected".into()
                    };
                }
                Err(e) => state.status = format!("gc: {e}"),
            },
        }
        match sample(session).await {
            Ok(s) => state.update(s),
            Err(e) => state.status = format!("sample failed: {e}"),
        }
    }
    if running {
        // Leave the device idle: stop the program we started.
        let _ = session.interrupt().await;
    }
    Ok(())
}
