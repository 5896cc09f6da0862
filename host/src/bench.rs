//! `p14p bench`: the numbers a user of a host-driven VM cares about.
//!
//! * REPL round trip: compile + load + run of the input `1`, over the
//!   simulator and over a pty to a `p14p-device --pty` process (the path a
//!   real UART takes, minus the wire), median and p95 over N iterations.
//! * Run time: wall time of `p14p run FILE` beside `python3 FILE`, and the
//!   ratio. Absolute times on a shared machine are noise; the ratio is the
//!   figure.

use crate::cli::exec::target_for;
use crate::cli::Failure;
use crate::compile;
use crate::session::{Outcome, Session};
use crate::transport::{OpenOptions, Port};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Arguments of `p14p bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Program to time against python3.
    #[arg(default_value = "../shared/bench/loops.py")]
    pub file: PathBuf,
    /// REPL round trips per device.
    #[arg(short = 'n', long, default_value_t = 50)]
    pub iterations: usize,
    /// The reference interpreter.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Skip the pty measurement.
    #[arg(long)]
    pub no_pty: bool,
}

/// Median and 95th percentile of `samples` (sorted in place).
pub fn median_p95(samples: &mut [Duration]) -> (Duration, Duration) {
    if samples.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

/// Times `n` REPL round trips of the input `1` on `session`.
pub async fn repl_latency(session: &Session, n: usize) -> Result<Vec<Duration>, Failure> {
    session.reset().await?;
    let target = target_for(session.info(), true);
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let compiled = compile::compile("1", "<stdin>", &target).map_err(|d| {
            format!(
                "cannot compile `1`: {}",
                d.first().map_or("", |d| &d.message)
            )
        })?;
        let hash = session.load(&compiled.image, None).await?;
        let mut echoed = Vec::new();
        match session.run(hash, |b| echoed.extend_from_slice(b)).await? {
            Outcome::Done => {}
            Outcome::Raised(e) => return Err(format!("`1` raised {}", e.exc_type).into()),
        }
        samples.push(start.elapsed());
        if echoed != b"1\n" {
            return Err(format!("`1` echoed {:?}", String::from_utf8_lossy(&echoed)).into());
        }
    }
    Ok(samples)
}

/// A `p14p-device --pty` child and the pty path it serves.
#[derive(Debug)]
pub struct PtyDevice {
    /// The device process.
    pub child: Child,
    /// The slave side to open as a serial port.
    pub path: String,
}

impl Drop for PtyDevice {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `device --pty` and waits for it to print its pty path (the first
/// word starting with `/dev/` on its stdout).
pub fn spawn_pty_device(device: &Path) -> Result<PtyDevice, Failure> {
    let mut child = Command::new(device)
        .arg("--pty")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", device.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut dev = PtyDevice {
        child,
        path: String::new(),
    };
    for line in lines.by_ref() {
        let line = line?;
        if let Some(path) = line.split_whitespace().find(|w| w.starts_with("/dev/")) {
            dev.path = path
                .trim_matches(|c: char| c == '\'' || c == '"')
                .to_string();
            break;
        }
    }
    if dev.path.is_empty() {
        return Err(format!("{} --pty printed no /dev/ path", device.display()).into());
    }
    // Keep draining its stdout so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Ok(dev)
}

/// The `p14p-device` binary next to the running executable.
pub fn device_binary() -> Result<PathBuf, Failure> {
    let exe = std::env::current_exe()?;
    let dev = exe.with_file_name(format!("p14p-device{}", std::env::consts::EXE_SUFFIX));
    if dev.exists() {
        Ok(dev)
    } else {
        Err(format!(
            "{} not found (build it: cargo build --release -p p14p-port-posix)",
            dev.display()
        )
        .into())
    }
}

async fn pty_latency(n: usize, open: &OpenOptions) -> Result<Vec<Duration>, Failure> {
    let pty = spawn_pty_device(&device_binary()?)?;
    let session = Session::open(&Port::Serial(pty.path.clone()), open).await?;
    repl_latency(&session, n).await
}

fn wall(cmd: &mut Command) -> Result<Duration, Failure> {
    let start = Instant::now();
    let status = cmd.stdout(Stdio::null()).status()?;
    let t = start.elapsed();
    if !status.success() {
        return Err(format!("{cmd:?} failed with {status}").into());
    }
    Ok(t)
}

fn report(name: &str, samples: &mut [Duration]) {
    let (median, p95) = median_p95(samples);
    println!(
        "repl round trip ({name:>4}): median {:>8.3} ms   p95 {:>8.3} ms   (n = {})",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        samples.len()
    );
}

/// `p14p bench`.
pub async fn main(args: &BenchArgs, open: &OpenOptions) -> Result<ExitCode, Failure> {
    let sim = Session::open(&Port::Sim, open).await?;
    let mut samples = repl_latency(&sim, args.iterations).await?;
    report("sim", &mut samples);
    drop(sim);

    if !args.no_pty {
        match pty_latency(args.iterations, open).await {
            Ok(mut samples) => report("pty", &mut samples),
            Err(e) => println!("repl round trip ( pty): skipped: {e}"),
        }
    }

    let exe = std::env::current_exe()?;
    let ours = wall(Command::new(&exe).arg("run").arg(&args.file))?;
    let theirs = wall(Command::new(&args.python).arg(&args.file))?;
    println!(
        "{}: p14p run {:.3} s, {} {:.3} s, ratio {:.2}x",
        args.file.display(),
        ours.as_secs_f64(),
        args.python,
        theirs.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95_of_samples() {
        let mut s: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let (m, p) = median_p95(&mut s);
        assert_eq!(m, Duration::from_millis(51));
        assert_eq!(p, Duration::from_millis(95));
    }
}
