//! `p14p sync --watch DIR`: live reload, as `jag watch` does.
//!
//! Syncs DIR ([`super::sync`]), then runs the stored main (if one is set)
//! and shows its output, and polls DIR's files every [`POLL`]: when one is
//! saved, main is interrupted, the changed files are sent and main starts
//! again. Polling modification times and sizes needs no dependency and
//! works on every file system (network mounts and editors that replace a
//! file instead of writing it included); 200 ms is well inside the second
//! an edit may take to reach the device.
//!
//! Main is started by the host, as a boot would: the device's state is
//! reset, main's image is loaded and run on this connection, so its
//! output (and an uncaught exception's traceback, with source lines from
//! the local file) shows here. A board left alone afterwards still runs
//! the stored main at its next boot.

use super::connection::Connection;
use super::exec::stop_run;
use super::sync::{local_files, sync_pass};
use super::Failure;
use crate::program::target_for;
use crate::session::{self, Outcome, Session};
use crate::trace::{self, Sources};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

/// How often DIR is looked at.
pub const POLL: Duration = Duration::from_millis(200);

/// What a look at DIR saw: each file's modification time and size.
type Snapshot = BTreeMap<PathBuf, (Option<SystemTime>, u64)>;

/// Looks at every file [`local_files`] syncs.
fn snapshot(dir: &Path) -> Snapshot {
    local_files(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let meta = std::fs::metadata(&f.path).ok();
            let stamp = (
                meta.as_ref().and_then(|m| m.modified().ok()),
                meta.map_or(0, |m| m.len()),
            );
            (f.path, stamp)
        })
        .collect()
}

/// Waits until DIR differs from `seen` (then until it has stayed the same
/// for one [`POLL`], so a save in several writes is taken whole), and
/// returns the new look; `None` on Ctrl-C.
async fn next_change(dir: &Path, seen: &Snapshot) -> Option<Snapshot> {
    let mut tick = tokio::time::interval(POLL);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let now = snapshot(dir);
                if &now != seen {
                    let mut settled = now;
                    loop {
                        tokio::time::sleep(POLL).await;
                        let again = snapshot(dir);
                        if again == settled {
                            return Some(settled);
                        }
                        settled = again;
                    }
                }
            }
            _ = tokio::signal::ctrl_c() => return None,
        }
    }
}

/// The stored main, ready to run: its image's hash once loaded, and the
/// debug info for its tracebacks (`dir`'s file when it has main's
/// source). `None` when no main is set.
pub(super) async fn load_main(
    session: &Session,
    dir: &Path,
    sources: &mut Sources,
) -> Result<Option<(String, u32)>, Failure> {
    let files = session.store_list().await?;
    let Some(main) = files.iter().find(|f| f.main) else {
        return Ok(None);
    };
    session.reset().await?;
    let local = dir.join(&main.name);
    let hash = match std::fs::read_to_string(&local) {
        // The local source: the same image the sync stored, with its lines.
        Ok(source) if main.name.ends_with(".py") => {
            let mut target = target_for(session.info(), false);
            target.local = Some(dir.to_path_buf());
            let filename = local.display().to_string();
            let Ok(c) = crate::compile::compile(&source, &filename, &target) else {
                return Ok(None);
            };
            let hash = session.load(&c.image, None).await?;
            sources.insert(hash, c.debug);
            hash
        }
        // Not in DIR: what the store holds.
        _ => {
            let image = session.store_read(&main.name, main.size).await?;
            session.load(&image, None).await?
        }
    };
    Ok(Some((main.name.clone(), hash)))
}

/// Shows how a run of main ended.
fn ended(name: &str, outcome: session::Result<Outcome>, sources: &Sources) -> Result<(), Failure> {
    match outcome {
        Ok(Outcome::Done) => eprintln!("p14p: {name} ended; watching for changes"),
        Ok(Outcome::Raised(exc)) => {
            eprint!("{}", trace::render(&exc, sources));
            eprintln!("p14p: {name} failed; watching for changes");
        }
        Err(session::Error::Restarted { fault: None }) => eprintln!("p14p: the device restarted"),
        Err(e @ session::Error::Restarted { .. }) => eprintln!("p14p: {e}"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// `p14p sync --watch DIR [--delete]`.
pub async fn watch(dir: &Path, delete: bool, conn: &Connection) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let mut seen = snapshot(dir);
    eprintln!(
        "p14p: watching {} (every {} ms); Ctrl-C stops",
        dir.display(),
        POLL.as_millis()
    );
    loop {
        let done = sync_pass(session, dir, false, delete, &mut |line| println!("{line}")).await?;
        let mut sources = Sources::new();
        let main = if let Some(failed) = done.failed {
            super::run::print_failures(&[failed]);
            None
        } else {
            load_main(session, dir, &mut sources).await?
        };
        let Some((name, hash)) = main else {
            match next_change(dir, &seen).await {
                Some(now) => {
                    seen = now;
                    continue;
                }
                None => return Ok(ExitCode::SUCCESS),
            }
        };
        eprintln!("p14p: running {name}");
        let run = session.run(hash, |bytes| {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(bytes).and_then(|()| out.flush());
        });
        let mut run = Box::pin(run);
        let change = {
            let change = next_change(dir, &seen);
            tokio::pin!(change);
            tokio::select! {
                outcome = &mut run => {
                    ended(&name, outcome, &sources)?;
                    change.await
                }
                now = &mut change => {
                    // Stopped to be replaced: its KeyboardInterrupt is ours.
                    let _ = stop_run(session, &mut run).await?;
                    now
                }
            }
        };
        match change {
            Some(now) => {
                seen = now;
                eprintln!("p14p: change seen; syncing and restarting {name}");
            }
            None => {
                // Ctrl-C: a main still running is stopped (its run future
                // is dropped; the device is told).
                let _ = session.interrupt().await;
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
}
