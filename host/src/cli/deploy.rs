//! `p14p push` and `df`: the device's store (`sync` is in [`super::sync`],
//! `ls`, `cat`, `rm`, `cp`, `mkdir` in [`super::files`]).
//!
//! `.py` files are compiled on the host and stored as images under their
//! file name (`app.py`); other files are stored as data. The device keeps a
//! CRC-32 of every file, so `sync` compares hashes and sends only what
//! changed. Transfers show a progress bar (bytes/s) when stderr is a
//! terminal and stay quiet when it is not.

use super::connection::Connection;
use super::run::print_failures;
use super::Failure;
use crate::compile;
use crate::modules::Failed;
use crate::program::target_for;
use crate::progress::Progress;
use crate::session::{Error, Session};
use p14p_protocol::msg::{DeviceError, FileKind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// A file ready to store.
pub struct Prepared {
    /// Its store name.
    pub name: String,
    /// Image (a compiled `.py`) or data.
    pub kind: FileKind,
    /// What is stored.
    pub bytes: Vec<u8>,
    /// The carried library modules it imports (stored beside it).
    pub library: Vec<&'static str>,
}

/// Compiles or reads `path` into what the device stores under `name`.
/// `Ok(None)`: a compile error was printed.
fn prepare(session: &Session, path: &Path, name: String) -> Result<Option<Prepared>, Failure> {
    prepare_with(path, name, &target_for(session.info(), false)).map(printed)
}

/// The prepared file, or `None` once its compile errors are printed.
pub fn printed(r: Result<Prepared, Failed>) -> Option<Prepared> {
    r.map_err(|f| print_failures(&[f])).ok()
}

/// As `prepare`, compiling for `target`; a file that does not compile is
/// `Ok(Err(_))`, its diagnostics for the caller to show (nothing printed).
pub fn prepare_with(
    path: &Path,
    name: String,
    target: &compile::Target,
) -> Result<Result<Prepared, Failed>, Failure> {
    let raw = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "py") {
        let source =
            String::from_utf8(raw).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
        let filename = path.display().to_string();
        match compile::compile(&source, &filename, target) {
            Ok(c) => Ok(Ok(Prepared {
                name,
                kind: FileKind::Image,
                library: crate::modules::library_needed(&c, target),
                bytes: c.image,
            })),
            Err(diags) => Ok(Err(Failed {
                filename,
                source,
                diags,
            })),
        }
    } else {
        Ok(Ok(Prepared {
            name,
            kind: FileKind::Data,
            bytes: raw,
            library: Vec::new(),
        }))
    }
}

/// Stores one prepared file, naming it on failure. Returns bytes sent.
pub async fn put(session: &Session, p: &Prepared) -> Result<usize, Failure> {
    let max = usize::from(session.info().store_max_name);
    if p.name.len() > max {
        return Err(format!(
            "{}: the name is {} bytes long; the device's store takes at most {max}",
            p.name,
            p.name.len()
        )
        .into());
    }
    let bar = Progress::new();
    let total = p.bytes.len();
    let r = session
        .store_put(&p.name, p.kind, &p.bytes, |done| {
            bar.show(&p.name, done, total)
        })
        .await;
    bar.end();
    if let Err(e) = r {
        let why = match e {
            Error::Device {
                error: DeviceError::NoSpace,
                ..
            } => no_space(session, p).await.unwrap_or_else(|| e.to_string()),
            e => e.to_string(),
        };
        return Err(format!(
            "{}: transfer failed, the device keeps its old copy: {why}",
            p.name
        )
        .into());
    }
    Ok(total)
}

/// Which limit a refused `p` ran into: the number of files, or the room.
async fn no_space(session: &Session, p: &Prepared) -> Option<String> {
    let stats = session.store_stats().await.ok()?;
    let files = session.store_list().await.ok()?;
    let replaces = files.iter().any(|f| f.name == p.name);
    if !replaces && stats.files >= session.info().store_max_files {
        return Some(format!(
            "the store holds {} files, the most it can (remove some with `p14p rm`)",
            stats.files
        ));
    }
    Some(format!(
        "the store is full: {} of its {} bytes are free and the file needs {} (see `p14p df`)",
        stats.capacity.saturating_sub(stats.used),
        stats.capacity,
        p.bytes.len()
    ))
}

fn store_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `p14p push FILE… [--main] [--ram]`.
pub async fn push(
    files: &[PathBuf],
    main: bool,
    ram: bool,
    conn: &Connection,
) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let mut library = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let name = store_name(path);
        let Some(p) = prepare(session, path, name)? else {
            return Ok(ExitCode::FAILURE);
        };
        if ram {
            let module = p.name.strip_suffix(".py").unwrap_or(&p.name).to_string();
            if p.kind != FileKind::Image {
                return Err(format!("{}: only .py files can be loaded to RAM", p.name).into());
            }
            crate::program::load_image(session, &p.bytes, Some(&module)).await?;
            println!("loaded {} ({} bytes) into RAM", p.name, p.bytes.len());
            continue;
        }
        for m in &p.library {
            if !library.contains(m) {
                library.push(m);
            }
        }
        let start = Instant::now();
        let n = put(session, &p).await?;
        let secs = start.elapsed().as_secs_f64().max(1e-6);
        println!(
            "pushed {} ({n} bytes, {:.1} KB/s)",
            p.name,
            n as f64 / 1024.0 / secs
        );
        if main && i == 0 {
            session.set_main(Some(&p.name)).await?;
            println!("main = {}", p.name);
        }
    }
    // What the stored programs import from the host's library, so that
    // they run at boot without a host.
    crate::program::store_library(session, &library).await?;
    Ok(ExitCode::SUCCESS)
}

/// `p14p df`.
pub async fn df(conn: &Connection) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let s = session.store_stats().await?;
    println!(
        "store: {} bytes, {} used, {} free, {} file(s); {} pages of {} bytes",
        s.capacity,
        s.used,
        s.capacity.saturating_sub(s.used),
        s.files,
        s.pages,
        s.page_size
    );
    Ok(ExitCode::SUCCESS)
}
