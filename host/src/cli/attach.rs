//! `p14p attach [PORT]`: join a running device without resetting it.
//!
//! The session listens before it speaks ([`Session::listen`]): a main
//! that runs goes on, and a device that just booted runs its stored main
//! after its grace period as if no host were there. What main prints
//! (framed `Output` with sequence number 0) is decoded to stdout, a
//! device restart is noted on stderr, and the watch goes on (a board that
//! resets runs main again). The device sends no final reply for its boot
//! main, so its end (or an uncaught exception's traceback) is not shown.
//!
//! Ctrl-C does what it does in mpremote's `repl`: it interrupts main
//! (KeyboardInterrupt on the device) and leaves you at the REPL, on the
//! same connection and without a reset, so main's globals can be looked
//! at. Ctrl-D then exits. Nothing reaches the device before that Ctrl-C.
//!
//! After other commands of a `+` chain (`p14p push app.py --main +
//! attach`) the connection is greeted already, and a greeting stops what
//! runs: nothing is left to join. Attach then starts the stored main as a
//! boot would (reset, then main; as `sync --watch` does), shows its
//! output and opens the REPL when main ends or at Ctrl-C.

use super::connection::Connection;
use super::exec::{stop_run, write_stdout};
use super::Failure;
use crate::device::Device;
use crate::repl::{self, Repl};
use crate::session::{self, Event, Outcome, Session};
use crate::trace::{self, Sources};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use tokio::sync::mpsc::UnboundedReceiver;

/// `p14p attach [PORT]`.
pub async fn attach(conn: &Connection) -> Result<ExitCode, Failure> {
    let (device, sources) = if conn.is_open() {
        restart_main(conn).await?
    } else {
        (listen(conn).await?, Sources::new())
    };
    let mut repl = Repl::attached(device.shared_session());
    // Main's debug info, for tracebacks through its functions.
    repl.learn_sources(sources);
    repl::drive(&mut repl).await?;
    Ok(ExitCode::SUCCESS)
}

/// Joins the device without a word until Ctrl-C, then interrupts main
/// and greets; the greeted session becomes the connection's.
async fn listen(conn: &Connection) -> Result<&Device, Failure> {
    let port = conn.port();
    let link = conn.link().await?;
    let mut session = Session::listen(link, session::DEFAULT_TIMEOUT);
    let mut events = session.unprompted();
    eprintln!(
        "p14p: attached to {port}: main's output follows; Ctrl-C interrupts it and opens the REPL"
    );
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => show(&event),
                None => return Err(closed(&session)),
            },
            signal = tokio::signal::ctrl_c() => {
                signal?;
                break;
            }
        }
    }
    // The interrupt is acknowledged, and ignored when nothing runs. The
    // device reports no end of its boot main (no final reply with
    // sequence 0), so there is no traceback to wait for.
    session.interrupt().await?;
    eprintln!("KeyboardInterrupt (sent to main)");
    drain(&mut events);
    session.greet().await?;
    Ok(conn.adopt(session))
}

/// Attach on a connection earlier commands of the chain greeted: runs the
/// stored main afresh (its source, for tracebacks, from the current
/// folder when it is there) until it ends or Ctrl-C interrupts it.
/// Returns the device and main's debug info.
async fn restart_main(conn: &Connection) -> Result<(&Device, Sources), Failure> {
    let device = conn.device().await?;
    let session = device.session();
    let mut sources = Sources::new();
    let Some((name, hash)) = super::watch::load_main(session, Path::new(""), &mut sources).await?
    else {
        eprintln!("p14p: {}: no main is set; opening the REPL", conn.port());
        return Ok((device, sources));
    };
    eprintln!(
        "p14p: {}: restarted {name}: its output follows; Ctrl-C interrupts it and opens the REPL",
        conn.port()
    );
    let mut run = Box::pin(session.run(hash, write_stdout));
    let outcome = tokio::select! {
        outcome = &mut run => outcome?,
        signal = tokio::signal::ctrl_c() => {
            signal?;
            stop_run(session, &mut run).await?
        }
    };
    match outcome {
        Outcome::Done => eprintln!("p14p: {name} ended"),
        Outcome::Raised(exc) => eprint!("{}", trace::render(&exc, &sources)),
    }
    Ok((device, sources))
}

/// Shows one unprompted event: main's output on stdout, the rest as
/// notes on stderr.
pub fn show(event: &Event) {
    match event {
        Event::Output(_, bytes) => {
            let mut out = std::io::stdout().lock();
            // A closed stdout must not end the watch.
            let _ = out.write_all(bytes).and_then(|()| out.flush());
        }
        Event::Boot => eprintln!("p14p: the device (re)started"),
        // A boot main asks nothing of the host (no `input()`, no message
        // texts, no `eval` source) and sends no final reply: these belong
        // to no run of ours.
        Event::Answer(_) | Event::Expand(..) | Event::Input | Event::Compile { .. } => {}
    }
}

/// Shows what is already queued, without waiting.
fn drain(events: &mut UnboundedReceiver<Event>) {
    while let Ok(event) = events.try_recv() {
        show(&event);
    }
}

fn closed(session: &Session) -> Failure {
    format!("{}: the device closed the link", session.port()).into()
}
