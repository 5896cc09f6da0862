//! The campaign loop: inputs made and fed one by one, panics caught (the
//! default hook's output silenced, its message and location kept), hangs
//! counted, every failing input written to `fuzz/crashes/`, and a watchdog
//! for the input that never returns at all.

use crate::rng::Rng;
use crate::seeds::{repo_root, Corpus};
use crate::targets::run::IgnoredInterrupt;
use crate::targets::{Target, Verdict};
use p14p_protocol::image::fnv1a;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// How long a campaign runs.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    /// This many inputs.
    Iterations(u64),
    /// Until this much time has passed.
    Time(Duration),
}

/// What a campaign did.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Inputs tried.
    pub tried: u64,
    /// Inputs turned away.
    pub rejected: u64,
    /// Inputs accepted (decoded, verified, ran).
    pub accepted: u64,
    /// Inputs that panicked.
    pub panics: u64,
    /// Runs that ignored the interrupt.
    pub hangs: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// The first few distinct failure messages, each with its crash file.
    pub failures: Vec<String>,
}

impl Stats {
    /// Inputs a second.
    pub fn rate(&self) -> f64 {
        self.tried as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The outcome of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It returned: how.
    Done(Verdict),
    /// It panicked: message and location.
    Panic(String),
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the panic hook with one that records the message and location
/// instead of printing them (a campaign would print thousands).
pub fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if info.payload().is::<IgnoredInterrupt>() {
                return;
            }
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic)".into());
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            // P14P_FUZZ_BACKTRACE=1 (with --replay) says how it got there.
            let trace = match std::env::var_os("P14P_FUZZ_BACKTRACE") {
                Some(_) => format!("\n{}", std::backtrace::Backtrace::force_capture()),
                None => String::new(),
            };
            *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(format!("{msg} at {at}{trace}"));
        }));
    });
}

/// Feeds one input to `target`, catching a panic.
pub fn execute(target: &Target, input: &[u8]) -> Outcome {
    quiet_panics();
    match catch_unwind(AssertUnwindSafe(|| (target.execute)(input))) {
        Ok(v) => Outcome::Done(v),
        Err(_) => Outcome::Panic(
            LAST_PANIC
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_else(|| "panic".into()),
        ),
    }
}

/// Where crashing inputs go.
pub fn crash_dir() -> PathBuf {
    repo_root().join("fuzz").join("crashes")
}

/// Writes `input` to `fuzz/crashes/<target>-<hash>.bin`; returns the path.
pub fn save_crash(target: &str, input: &[u8]) -> PathBuf {
    let dir = crash_dir();
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{target}-{:08x}.bin", fnv1a(input)));
    let _ = std::fs::write(&path, input);
    path
}

/// The input being executed and since when, for the watchdog.
struct Current {
    target: &'static str,
    input: Vec<u8>,
    since: Instant,
}

static CURRENT: Mutex<Option<Current>> = Mutex::new(None);

/// An input running longer than this is written out and the process
/// aborted (it never polled, so nothing else would stop it).
pub const WATCHDOG: Duration = Duration::from_secs(10);

fn start_watchdog() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::thread::spawn(|| loop {
            std::thread::sleep(Duration::from_millis(250));
            let guard = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = guard.as_ref() {
                if c.since.elapsed() > WATCHDOG {
                    let path = save_crash(c.target, &c.input);
                    eprintln!(
                        "watchdog: a {} input ran for more than {} s without returning; saved to {}",
                        c.target,
                        WATCHDOG.as_secs(),
                        path.display()
                    );
                    std::process::abort();
                }
            }
        });
    });
}

/// Runs `target` on inputs made from `seed` until `budget` is spent.
pub fn campaign(target: &Target, corpus: &Corpus, seed: u64, budget: Budget) -> Stats {
    start_watchdog();
    // P14P_FUZZ_KEEP_LAST=1: each input is written to
    // `fuzz/crashes/<target>-last.bin` before it runs, so one that kills the
    // process outright (a stack overflow, which no hook sees) is kept.
    let keep_last = std::env::var_os("P14P_FUZZ_KEEP_LAST").map(|_| {
        let _ = std::fs::create_dir_all(crash_dir());
        crash_dir().join(format!("{}-last.bin", target.name))
    });
    let mut stats = Stats::default();
    let start = Instant::now();
    let mut i: u64 = 0;
    loop {
        match budget {
            Budget::Iterations(n) if i >= n => break,
            Budget::Time(t) if i.is_multiple_of(64) && start.elapsed() >= t => break,
            _ => {}
        }
        let mut rng = Rng::new(seed.wrapping_mul(0x1_0000_0001).wrapping_add(i));
        i += 1;
        let input = (target.generate)(corpus, &mut rng);
        if let Some(path) = &keep_last {
            let _ = std::fs::write(path, &input);
        }
        *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(Current {
            target: target.name,
            input: input.clone(),
            since: Instant::now(),
        });
        let outcome = execute(target, &input);
        *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = None;
        stats.tried += 1;
        let failure = match outcome {
            Outcome::Done(Verdict::Rejected) => {
                stats.rejected += 1;
                None
            }
            Outcome::Done(Verdict::Accepted) => {
                stats.accepted += 1;
                None
            }
            Outcome::Done(Verdict::Hang(why)) => {
                stats.hangs += 1;
                Some(format!("hang: {why}"))
            }
            Outcome::Panic(msg) => {
                stats.panics += 1;
                Some(format!("panic: {msg}"))
            }
        };
        if let Some(msg) = failure {
            let path = save_crash(target.name, &input);
            if stats.failures.len() < 20 && !stats.failures.iter().any(|f| f.starts_with(&msg)) {
                stats.failures.push(format!("{msg} ({})", path.display()));
            }
        }
    }
    stats.elapsed = start.elapsed();
    stats
}
