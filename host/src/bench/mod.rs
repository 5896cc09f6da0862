//! `p14p bench`: the numbers a user of a host-driven VM cares about.
//!
//! * REPL round trip: compile + load + run of the input `1`, over the
//!   simulator and over a pty to a `p14p-device --pty` process (the path a
//!   real UART takes, minus the wire), median and p95 over N iterations.
//! * Run time: for every `.py` program of a folder (default
//!   `../shared/bench/`, or one file), the wall time of `p14p run FILE`
//!   beside `python3 FILE`, and the ratio. Both are whole-process times
//!   (p14p's includes compiling, the handshake with the built-in simulator
//!   and loading the image). Absolute times on a shared machine are noise;
//!   the ratio is the figure. A program whose output differs from
//!   python3's is reported as a mismatch (its time means nothing). With
//!   `--micropython CMD`, MicroPython's time beside them in the same run
//!   (`scripts/micropython.sh`: a native `micropython`, else its
//!   WebAssembly port under node), and p14p's time over it.
//! * `p14p bench push`: store push throughput over a link paced like a
//!   UART ([`push`]).

pub mod push;

use crate::cli::Failure;
use crate::compile;
use crate::program::target_for;
use crate::session::{Outcome, Session};
use crate::transport::{OpenOptions, Port};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Arguments of `p14p bench`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    /// A single measurement instead of the default set.
    #[command(subcommand)]
    pub what: Option<BenchWhat>,
    /// Program, or folder of programs, to time against python3 (default:
    /// the shared bench folder beside the p14p repository, found from
    /// the repository and the executable, not the current directory).
    pub file: Option<PathBuf>,
    /// REPL round trips per device.
    #[arg(short = 'n', long, default_value_t = 50)]
    pub iterations: usize,
    /// The reference interpreter.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// A MicroPython to time the programs with as well, run as `CMD FILE`
    /// (words split at spaces): `scripts/micropython.sh` runs a
    /// `micropython` on PATH or else MicroPython's WebAssembly port under
    /// node. Its output must equal python3's too.
    #[arg(long, env = "P14P_MICROPYTHON", value_name = "CMD")]
    pub micropython: Option<String>,
    /// Skip the pty measurement.
    #[arg(long)]
    pub no_pty: bool,
    /// Heap of the simulated device the programs run on, in bytes (the
    /// benchmarks build lists and dicts of tens of thousands of items).
    #[arg(long = "bench-heap", default_value_t = 4 << 20)]
    pub bench_heap: usize,
}

/// The single measurements of `p14p bench`.
#[derive(Debug, clap::Subcommand)]
pub enum BenchWhat {
    /// Push throughput into a fresh store over a `p14p-device --pty` whose
    /// link is paced at `--baud` (8N1, both directions).
    Push(push::PushArgs),
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
    spawn_pty_device_with(device, &[])
}

/// As [`spawn_pty_device`], with more arguments for the device.
pub fn spawn_pty_device_with(
    device: &Path,
    args: &[std::ffi::OsString],
) -> Result<PtyDevice, Failure> {
    let mut child = Command::new(device)
        .arg("--pty")
        .args(args)
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

/// Wall time and stdout of `cmd`.
fn wall(cmd: &mut Command) -> Result<(Duration, Vec<u8>), Failure> {
    let start = Instant::now();
    let out = cmd.stderr(Stdio::null()).output()?;
    let t = start.elapsed();
    if !out.status.success() {
        return Err(format!("{cmd:?} failed with {}", out.status).into());
    }
    Ok((t, out.stdout))
}

/// The programs to time: `path` itself, or the `.py` files in it, sorted.
pub fn programs(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no .py programs in {}", path.display()).into());
    }
    Ok(files)
}

/// Where the shared bench folder may be, in order: beside the repository
/// holding the running executable (`REPO/target/PROFILE/p14p`), beside
/// the repository this p14p was built from, and `../shared/bench` from
/// the current directory (the repository's root, run from a clone).
pub fn default_bench_dirs(exe: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(repo) = exe.ancestors().nth(3) {
        dirs.push(repo.join("../shared/bench"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench"));
    dirs.push(PathBuf::from("../shared/bench"));
    dirs
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
    if let Some(BenchWhat::Push(p)) = &args.what {
        return push::main(p, open).await;
    }
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
    let folder = match &args.file {
        Some(f) => f.clone(),
        None => {
            let candidates = default_bench_dirs(&exe);
            match candidates.iter().find(|d| d.is_dir()) {
                Some(d) => d.clone(),
                None => {
                    let looked: Vec<String> =
                        candidates.iter().map(|d| d.display().to_string()).collect();
                    println!(
                        "run time: skipped: no bench folder (looked in {}); name one: p14p bench DIR",
                        looked.join(", ")
                    );
                    return Ok(ExitCode::SUCCESS);
                }
            }
        }
    };
    let micropython: Option<Vec<&str>> = args
        .micropython
        .as_deref()
        .map(|c| c.split_whitespace().collect())
        .filter(|w: &Vec<&str>| !w.is_empty());
    match &micropython {
        Some(words) => {
            // The script says which MicroPython it runs (native or wasm).
            let which = Command::new(words[0])
                .args(&words[1..])
                .arg("--which")
                .stderr(Stdio::null())
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default();
            println!("micropython: {}{}", words.join(" "), if which.is_empty() { String::new() } else { format!(" ({which})") });
        }
        None => println!(
            "micropython: not timed (--micropython scripts/micropython.sh: a `micropython` on PATH, \
             e.g. MicroPython's unix port built with -O2, or else its WebAssembly port under node)"
        ),
    }
    println!(
        "{:<16} {:>10} {:>10} {:>7}{}",
        "program",
        "p14p s",
        args.python,
        "ratio",
        if micropython.is_some() {
            format!(" {:>12} {:>8}", "micropython", "vs mp")
        } else {
            String::new()
        }
    );
    let mut failed = false;
    for file in programs(&folder)? {
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let ours = wall(
            Command::new(&exe)
                .arg("--heap")
                .arg(args.bench_heap.to_string())
                .arg("run")
                .arg(&file),
        );
        let theirs = wall(Command::new(&args.python).arg(&file))?;
        // MicroPython's column: its time and p14p's over it, or why not.
        let mp_column = |ours: Duration| -> String {
            let Some(words) = &micropython else {
                return String::new();
            };
            match wall(Command::new(words[0]).args(&words[1..]).arg(&file)) {
                Ok((t, out)) if out == theirs.1 => format!(
                    " {:>12.3} {:>7.2}x",
                    t.as_secs_f64(),
                    ours.as_secs_f64() / t.as_secs_f64()
                ),
                Ok(_) => format!(" {:>21}", "output differs"),
                Err(_) => format!(" {:>21}", "failed"),
            }
        };
        match ours {
            Ok((t, out)) if out == theirs.1 => println!(
                "{name:<16} {:>10.3} {:>10.3} {:>6.2}x{}",
                t.as_secs_f64(),
                theirs.0.as_secs_f64(),
                t.as_secs_f64() / theirs.0.as_secs_f64(),
                mp_column(t)
            ),
            Ok(_) => {
                failed = true;
                println!("{name:<16} output differs from {}", args.python);
            }
            Err(e) => {
                failed = true;
                println!("{name:<16} failed: {e}");
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_yields_its_python_programs_sorted() {
        let dir = std::env::temp_dir().join(format!("p14p-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["b.py", "a.py", "notes.txt"] {
            std::fs::write(dir.join(f), "print(1)\n").unwrap();
        }
        let got = programs(&dir).unwrap();
        let names: Vec<_> = got.iter().map(|p| p.file_name().unwrap()).collect();
        assert_eq!(names, ["a.py", "b.py"]);
        assert_eq!(programs(&dir.join("a.py")).unwrap(), [dir.join("a.py")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn median_and_p95_of_samples() {
        let mut s: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let (m, p) = median_p95(&mut s);
        assert_eq!(m, Duration::from_millis(51));
        assert_eq!(p, Duration::from_millis(95));
    }
}
