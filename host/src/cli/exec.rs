//! Running compiled code on a device: what `run` and the REPL share.

use crate::compile::Target;
use crate::session::{self, DeviceInfo, Outcome, Session};
use p14p_protocol::version::feature;
use std::io::{self, Write};

/// What the compiler may assume of the device described by `info`.
pub fn target_for(info: &DeviceInfo, repl: bool) -> Target {
    Target {
        repl,
        floats: info.features & (feature::FLOAT32 | feature::FLOAT64) != 0,
        bigint: info.features & feature::BIGINT != 0,
        natives: info
            .natives
            .iter()
            .map(|m| {
                let fns = m.functions.iter().map(|f| f.0.clone()).collect();
                (m.name.clone(), fns)
            })
            .collect(),
    }
}

/// The target for compiling without a device (`p14p compile`, `p14p dis`):
/// what the built-in simulator provides.
pub fn offline_target() -> Target {
    Target {
        repl: false,
        floats: true,
        bigint: false,
        natives: vec![
            (
                "machine".into(),
                ["mem8", "mem16", "mem32", "ticks_ms"]
                    .map(String::from)
                    .to_vec(),
            ),
            (
                "gc".into(),
                ["collect", "mem_free", "mem_alloc"]
                    .map(String::from)
                    .to_vec(),
            ),
        ],
    }
}

/// Runs loaded image `hash`, writing its output to stdout as it arrives.
///
/// Ctrl-C sends an interrupt to the device (the program then ends with
/// `KeyboardInterrupt`); a second Ctrl-C, for a device that does not react,
/// abandons the run with an error.
pub async fn run_interruptible(session: &Session, hash: u32) -> session::Result<Outcome> {
    let run = session.run(hash, |bytes| {
        let mut out = io::stdout().lock();
        // A closed stdout (e.g. `| head`) must not stop the device's run.
        let _ = out.write_all(bytes).and_then(|()| out.flush());
    });
    let mut run = Box::pin(run);
    let mut interrupted = false;
    loop {
        tokio::select! {
            outcome = &mut run => return outcome,
            signal = tokio::signal::ctrl_c() => {
                if signal.is_err() {
                    // No signal handling here: wait for the run alone.
                    return run.await;
                }
                if interrupted {
                    return Err(session::Error::Io(io::Error::new(
                        io::ErrorKind::Interrupted,
                        "interrupted twice; the device did not stop the program",
                    )));
                }
                interrupted = true;
                session.interrupt().await?;
            }
        }
    }
}
