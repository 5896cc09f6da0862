//! `p14p peek`, `p14p poke` and `p14p watch`: registers by address or, with
//! `--svd FILE`, by name (`GPIO.DATA`), with fields decoded.
//!
//! `watch` samples its registers every `--interval` ms and prints a line per
//! change. A device answers `Peek` while a program runs (protocol v3), so
//! `watch --run FILE` starts a program and watches it on the same
//! connection: the simulator and `p14p-device --tcp` serve one connection at
//! a time, and a board's UART is one link anyway.

use super::connection::Connection;
use super::exec::stop_run;
use super::run::print_diagnostics;
use super::{mem, Failure};
use crate::compile;
use crate::program::target_for;
use crate::regmap::{self, RegMap, Register};
use crate::session::{Outcome, Session};
use crate::trace::{self, Sources};
use p14p_protocol::msg::Width;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Options shared by the probe commands.
#[derive(Debug, Clone, Default)]
pub struct ProbeOptions {
    /// CMSIS-SVD file naming the registers.
    pub svd: Option<PathBuf>,
}

impl ProbeOptions {
    fn map(&self) -> Result<Option<RegMap>, Failure> {
        Ok(match &self.svd {
            Some(p) => Some(RegMap::load(p)?),
            None => None,
        })
    }
}

fn check_aligned(addr: u32, width: Width) -> Result<(), Failure> {
    if addr.is_multiple_of(width.bytes()) {
        Ok(())
    } else {
        Err(format!(
            "address {addr:#x} is not aligned to {} bytes",
            width.bytes()
        )
        .into())
    }
}

/// The value of one item, little-endian.
fn item(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .rev()
        .fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

/// `p14p peek ADDR [--count N] [--width W] [--svd FILE]`.
pub async fn peek(
    conn: &Connection,
    addr: &str,
    count: u32,
    width: Width,
    opts: &ProbeOptions,
) -> Result<ExitCode, Failure> {
    let map = opts.map()?;
    let (addr, reg) = regmap::resolve(map.as_ref(), addr)?;
    check_aligned(addr, width)?;
    let session = conn.session().await?;
    let bytes = mem::peek(session, addr, width, count).await?;
    match reg {
        Some(r) if count == 1 => {
            let v = item(&bytes);
            let digits = 2 + 2 * width.bytes() as usize;
            let fields = r.decode(v);
            println!("{} ({addr:#010x}): {v:#0digits$x}  ({v})  {fields}", r.name);
        }
        _ => print!("{}", mem::format(addr, width, &bytes)),
    }
    Ok(ExitCode::SUCCESS)
}

/// `p14p poke ADDR VALUE [--width W] [--svd FILE]`.
pub async fn poke(
    conn: &Connection,
    addr: &str,
    value: u32,
    width: Width,
    opts: &ProbeOptions,
) -> Result<ExitCode, Failure> {
    let map = opts.map()?;
    let (addr, _) = regmap::resolve(map.as_ref(), addr)?;
    check_aligned(addr, width)?;
    let session = conn.session().await?;
    session.poke(addr, width, value).await?;
    Ok(ExitCode::SUCCESS)
}

/// What `p14p watch` was asked.
#[derive(Debug, Clone)]
pub struct WatchArgs {
    /// Addresses or register names.
    pub addrs: Vec<String>,
    /// Sampling period.
    pub interval: Duration,
    /// Item width.
    pub width: Width,
    /// Stop after this many changes.
    pub changes: Option<u64>,
    /// A program to run while watching (the watch ends with it).
    pub run: Option<PathBuf>,
}

/// One watched location.
struct Watched {
    addr: u32,
    label: String,
    reg: Option<Register>,
    last: Option<u32>,
}

impl Watched {
    fn line(&self, t: Duration, new: u32, digits: usize) -> String {
        let secs = t.as_secs_f64();
        let what = match self.last {
            None => format!("{new:#0digits$x}"),
            Some(old) => format!("{old:#0digits$x} → {new:#0digits$x}"),
        };
        let fields = self
            .reg
            .as_ref()
            .map(|r| format!("  {}", r.decode(new)))
            .unwrap_or_default();
        format!("{secs:9.3}  {}  {what}{fields}", self.label)
    }
}

/// `p14p watch ADDR… [--interval MS] [--run FILE]`.
pub async fn watch(
    conn: &Connection,
    args: &WatchArgs,
    opts: &ProbeOptions,
) -> Result<ExitCode, Failure> {
    let map = opts.map()?;
    let mut watched = Vec::new();
    for a in &args.addrs {
        let (addr, reg) = regmap::resolve(map.as_ref(), a)?;
        check_aligned(addr, args.width)?;
        let label = match &reg {
            Some(r) => r.name.clone(),
            None => format!("{addr:#010x}"),
        };
        watched.push(Watched {
            addr,
            label,
            reg,
            last: None,
        });
    }
    let session = conn.session().await?;
    let mut sources = Sources::new();
    let program = match &args.run {
        Some(file) => match load_program(session, file, &mut sources).await? {
            Ok(hash) => Some(hash),
            Err(code) => return Ok(code),
        },
        None => None,
    };
    let start = Instant::now();
    let digits = 2 + 2 * args.width.bytes() as usize;
    let mut changes = 0u64;
    let mut sample = |watched: &mut Vec<Watched>, values: Vec<u32>| -> bool {
        let mut out = std::io::stdout().lock();
        for (w, v) in watched.iter_mut().zip(values) {
            if w.last != Some(v) {
                let _ = writeln!(out, "{}", w.line(start.elapsed(), v, digits));
                if w.last.is_some() {
                    changes += 1;
                }
                w.last = Some(v);
            }
        }
        let _ = out.flush();
        args.changes.is_some_and(|n| changes >= n)
    };
    let read_all = |watched: &Vec<Watched>| {
        let addrs: Vec<u32> = watched.iter().map(|w| w.addr).collect();
        let session = &session;
        async move {
            let mut values = Vec::with_capacity(addrs.len());
            for a in addrs {
                values.push(item(&session.peek(a, args.width, 1).await?));
            }
            Ok::<_, crate::session::Error>(values)
        }
    };
    let Some(hash) = program else {
        loop {
            let values = read_all(&watched).await?;
            if sample(&mut watched, values) {
                return Ok(ExitCode::SUCCESS);
            }
            tokio::select! {
                _ = tokio::time::sleep(args.interval) => {}
                _ = tokio::signal::ctrl_c() => return Ok(ExitCode::SUCCESS),
            }
        }
    };
    // The program's output goes to stderr so stdout holds only the watch.
    let run = session.run(hash, |bytes| {
        let _ = std::io::stderr().write_all(bytes);
    });
    let mut run = Box::pin(run);
    let outcome = loop {
        let values = read_all(&watched).await?;
        if sample(&mut watched, values) {
            break stop_run(session, &mut run).await?;
        }
        tokio::select! {
            outcome = &mut run => break outcome?,
            _ = tokio::time::sleep(args.interval) => {}
        }
    };
    // One last sample: the value the program left behind.
    let values = read_all(&watched).await?;
    sample(&mut watched, values);
    match outcome {
        Outcome::Done => Ok(ExitCode::SUCCESS),
        Outcome::Raised(exc) if args.changes.is_some() && exc.exc_type == "KeyboardInterrupt" => {
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Raised(exc) => {
            eprint!("{}", trace::render(&exc, &sources));
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Resets the device, compiles `file` for it and loads it; `Err(code)`
/// after printing compile errors.
pub async fn load_program(
    session: &Session,
    file: &Path,
    sources: &mut Sources,
) -> Result<Result<u32, ExitCode>, Failure> {
    let source = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let filename = file.display().to_string();
    session.reset().await?;
    let target = target_for(session.info(), false);
    let compiled = match compile::compile(&source, &filename, &target) {
        Ok(c) => c,
        Err(diags) => {
            print_diagnostics(&diags, &filename, &source);
            return Ok(Err(ExitCode::FAILURE));
        }
    };
    let hash = crate::program::load_image(session, &compiled.image, None).await?;
    sources.insert(hash, compiled.debug);
    Ok(Ok(hash))
}
