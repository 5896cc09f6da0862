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

use super::Failure;
use crate::repl::{self, Repl};
use crate::session::{self, Event, Session};
use crate::transport::{self, OpenOptions, Port};
use std::io::Write;
use std::process::ExitCode;
use tokio::sync::mpsc::UnboundedReceiver;

/// `p14p attach [PORT]`.
pub async fn attach(port: &Port, open: &OpenOptions) -> Result<ExitCode, Failure> {
    let link = transport::open(port, open).await?;
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
    let mut repl = Repl::attached(session);
    repl::drive(&mut repl).await?;
    Ok(ExitCode::SUCCESS)
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
