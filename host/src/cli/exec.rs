//! Running compiled code on a device from a terminal: program output to
//! stdout, and Ctrl-C as an interrupt (what `run` and the REPL share).

use crate::session::{self, Outcome, Session};
use std::future::Future;
use std::io::{self, Write};
use std::time::Duration;

/// How long a program may go on after a Ctrl-C's `KeyboardInterrupt`
/// before p14p stops it for good (it caught the interrupt).
pub const STOP_AFTER: Duration = Duration::from_secs(1);

/// Writes program output to stdout as it arrives.
pub fn write_stdout(bytes: &[u8]) {
    let mut out = io::stdout().lock();
    // A closed stdout (e.g. `| head`) must not stop the device's run.
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

/// Runs loaded image `hash`, writing its output to stdout as it arrives,
/// with Ctrl-C handled as [`interruptible`] says.
pub async fn run_interruptible(session: &Session, hash: u32) -> session::Result<Outcome> {
    interruptible(session, session.run(hash, write_stdout)).await
}

/// Waits for `run`, a program running on `session`'s device.
///
/// Ctrl-C sends an interrupt to the device (the program then ends with
/// `KeyboardInterrupt`, which it may catch). A program still running
/// [`STOP_AFTER`] later, or at a second Ctrl-C, gets a second interrupt,
/// which stops it whatever it catches; a third Ctrl-C, for a device that
/// does not react at all, abandons the run with an error.
pub async fn interruptible<T, E: From<session::Error>>(
    session: &Session,
    run: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let mut run = Box::pin(run);
    let mut interrupts = 0;
    let stop_at = tokio::time::sleep(Duration::MAX);
    tokio::pin!(stop_at);
    loop {
        tokio::select! {
            outcome = &mut run => return outcome,
            () = &mut stop_at, if interrupts == 1 => {
                eprintln!(
                    "p14p: the program caught KeyboardInterrupt and goes on; stopping it"
                );
                interrupts = 2;
                session.interrupt().await?;
            }
            signal = tokio::signal::ctrl_c() => {
                if signal.is_err() {
                    // No signal handling here: wait for the run alone.
                    return run.await;
                }
                interrupts += 1;
                if interrupts > 2 {
                    return Err(session::Error::Io(io::Error::new(
                        io::ErrorKind::Interrupted,
                        "interrupted three times; the device did not stop the program",
                    ))
                    .into());
                }
                if interrupts == 1 {
                    stop_at.as_mut().reset(tokio::time::Instant::now() + STOP_AFTER);
                }
                session.interrupt().await?;
            }
        }
    }
}

/// Interrupts the program whose `run` is pending and waits for its end:
/// one still running [`STOP_AFTER`] after the first interrupt (it caught
/// it) gets the second, which it cannot catch.
pub async fn stop_run(
    session: &Session,
    run: &mut (impl Future<Output = session::Result<Outcome>> + Unpin),
) -> session::Result<Outcome> {
    session.interrupt().await?;
    match tokio::time::timeout(STOP_AFTER, &mut *run).await {
        Ok(outcome) => outcome,
        Err(_) => {
            session.interrupt().await?;
            run.await
        }
    }
}
