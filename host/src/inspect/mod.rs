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
//! v3), so with `--run FILE` the inspector starts the program and watches
//! its heap on the same connection.

pub mod input;
pub mod state;
pub mod tags;
pub mod term;
pub mod view;

use crate::cli::probe::load_program;
use crate::cli::Failure;
use crate::session::{self, Outcome, Session};
use crate::trace::Sources;
use crate::transport::{OpenOptions, Port};
use input::Intent;
use state::{Sample, State};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Arguments of `p14p inspect`.
#[derive(Debug, Clone, clap::Args)]
pub struct InspectArgs {
    /// Device to inspect (overrides --port).
    pub port: Option<String>,
    /// Start this program on the device and inspect it while it runs.
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    /// Refresh period in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS")]
    pub interval: u64,
}

/// How many of the largest objects to show.
const LARGEST: u8 = 6;

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

/// Runs the inspector until the user quits.
pub async fn main(
    port: &Port,
    open: &OpenOptions,
    args: &InspectArgs,
) -> Result<ExitCode, Failure> {
    let session = Session::open(port, open).await?;
    let mut state = State {
        board: session.info().board.clone(),
        port: session.port().to_string(),
        ..State::default()
    };
    let mut sources = Sources::new();
    let hash = match &args.run {
        Some(file) => match load_program(&session, file, &mut sources).await? {
            Ok(h) => {
                state.program = Some(file.display().to_string());
                Some(h)
            }
            Err(code) => return Ok(code),
        },
        None => None,
    };
    state.update(sample(&session).await?);

    // Keys arrive from a thread: crossterm's reader blocks.
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

    let (mut terminal, _restore) = term::enter()?;
    let run = async {
        match hash {
            Some(h) => Some(session.run(h, |_| {}).await),
            None => std::future::pending().await,
        }
    };
    tokio::pin!(run);
    let mut run_done = false;
    let interval = Duration::from_millis(args.interval.max(50));
    loop {
        terminal.draw(|f| view::render(f, &state))?;
        let intent = tokio::select! {
            i = keys.recv() => i.or(Some(Intent::Quit)),
            outcome = &mut run, if !run_done => {
                run_done = true;
                state.status = match outcome {
                    Some(Ok(Outcome::Done)) => "the program ended".into(),
                    Some(Ok(Outcome::Raised(e))) => format!("the program raised {}", crate::trace::exception_line(&e)),
                    Some(Err(e)) => format!("run failed: {e}"),
                    None => String::new(),
                };
                state.program = None;
                Some(Intent::Refresh)
            }
            _ = tokio::time::sleep(interval) => Some(Intent::Refresh),
        };
        match intent {
            Some(Intent::Quit) | None => break,
            Some(Intent::Refresh) => {}
            Some(Intent::Snapshot) => {
                state.take_snapshot();
                state.status = format!("snapshot taken at sample {}", state.samples);
            }
            Some(Intent::Collect) => {
                let t = Instant::now();
                match session.collect().await {
                    Ok(_) => {
                        state.gc_ms = Some(t.elapsed().as_secs_f64() * 1000.0);
                        state.status = "collected".into();
                    }
                    Err(e) => state.status = format!("gc: {e}"),
                }
            }
        }
        match sample(&session).await {
            Ok(s) => state.update(s),
            Err(e) => state.status = format!("sample failed: {e}"),
        }
    }
    if hash.is_some() && !run_done {
        // Leave the device idle: stop the program we started.
        let _ = session.interrupt().await;
    }
    Ok(ExitCode::SUCCESS)
}
