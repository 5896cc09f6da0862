//! Getting a compiled program onto a device: the compile target its
//! handshake describes, the carried library modules it imports stored
//! first, then its modules' and main's images loaded. What `run`, the
//! REPL, the workbench, `p14p::Device` and the benchmarks share, below the
//! command line.

use crate::compile::{NativeSig, Target};
use crate::progress::Progress;
use crate::session::store::content_crc;
use crate::session::{self, DeviceInfo, Session};
use crate::transport::{OpenOptions, Port};
use p14p_protocol::msg::{DeviceError, FileKind};
use p14p_protocol::version::feature;

/// What the compiler may assume of the device described by `info`.
pub fn target_for(info: &DeviceInfo, repl: bool) -> Target {
    Target {
        repl,
        floats: info.features & (feature::FLOAT32 | feature::FLOAT64) != 0,
        bigint: info.features & feature::BIGINT != 0,
        bytes: info.features & feature::BYTES != 0,
        natives: info
            .natives
            .iter()
            .map(|m| {
                // The native row's names, then its library half's, then
                // those its half serves lazily (`machine.I2C`).
                let mut fns: Vec<String> = m.functions.iter().map(|f| f.0.clone()).collect();
                fns.extend(crate::library::module_names(&format!("_{}", m.name)));
                for (_, carried) in crate::library::LAZY.iter().filter(|l| l.0 == m.name) {
                    fns.extend(crate::library::lazy_names(carried));
                }
                (m.name.clone(), fns)
            })
            .collect(),
        // The port's modules: those after the VM's own.
        port_modules: info
            .natives
            .iter()
            .filter(|m| {
                !p14p_protocol::natives::MODULES
                    .iter()
                    .any(|v| v.name == m.name)
            })
            .map(|m| {
                let sigs = m
                    .functions
                    .iter()
                    .map(|(name, min, max, signature)| NativeSig {
                        name: name.clone(),
                        min: *min,
                        max: *max,
                        signature: signature.clone(),
                    });
                (m.name.clone(), sigs.collect())
            })
            .collect(),
        // A program's directory is set where it is compiled
        // (`modules::compile_program`).
        local: None,
        package: None,
    }
}

/// The target for compiling without a device (`p14p compile`, `p14p dis`):
/// the built-in simulator's own manifest, asked of a simulator started for
/// the purpose (a RAM store, so nothing persists), so `p14p compile`
/// accepts exactly what `p14p run` on the simulator accepts.
pub async fn offline_target() -> session::Result<Target> {
    let options = OpenOptions {
        store: None,
        ..OpenOptions::default()
    };
    let sim = Session::open(&Port::Sim, &options).await?;
    Ok(target_for(sim.info(), false))
}

/// Checks the imports of `program` that no file provides against the
/// device's store (asking it only when there are such imports). Returns
/// the diagnostics for the ones it does not hold either.
pub async fn missing_modules(
    session: &Session,
    program: &crate::modules::Program,
) -> session::Result<Vec<crate::modules::Failed>> {
    if program.unresolved.is_empty() {
        return Ok(Vec::new());
    }
    let stored: Vec<String> = if session.info().store_bytes > 0 {
        session
            .store_list()
            .await?
            .into_iter()
            .filter(|f| f.kind == p14p_protocol::msg::FileKind::Image)
            .map(|f| f.name)
            .collect()
    } else {
        Vec::new()
    };
    Ok(program.missing(&stored))
}

/// Makes the carried library modules `names` importable on the device:
/// each is stored as `NAME.py` unless the store holds that very image
/// already (same CRC), so a module is sent once and then kept across
/// resets, executed in place. A device without a store, or whose store
/// cannot take it now (full, or its flash in use by a running module),
/// gets it loaded into RAM instead, for this run. Says on stderr what it
/// sent. Debug info needs no registering: tracebacks find library images
/// by hash ([`crate::library::debug`]).
pub async fn store_library(session: &Session, names: &[&str]) -> session::Result<()> {
    if names.is_empty() {
        return Ok(());
    }
    let has_store = session.info().store_bytes > 0;
    let stored = if has_store {
        session.store_list().await?
    } else {
        Vec::new()
    };
    for &name in names {
        let Some((_, c)) = crate::library::carried(name) else {
            continue;
        };
        let file = format!("{name}.py");
        let crc = content_crc(&c.image);
        if stored
            .iter()
            .any(|f| f.name == file && f.kind == FileKind::Image && f.crc == crc)
        {
            continue;
        }
        let why = if has_store {
            let bar = Progress::new();
            let total = c.image.len();
            let r = session
                .store_put(&file, FileKind::Image, &c.image, |done| {
                    bar.show(&file, done, total)
                })
                .await;
            bar.end();
            match r {
                Ok(()) => {
                    eprintln!(
                        "p14p: stored the library module {file} on the device ({total} bytes; kept for later runs)"
                    );
                    continue;
                }
                Err(session::Error::Device {
                    error: DeviceError::NoSpace,
                    ..
                }) => "its store is full (see `p14p df`)".to_string(),
                Err(session::Error::Device {
                    error: DeviceError::InUse,
                    ..
                }) => "its store's flash is in use by imported modules".to_string(),
                Err(e) => return Err(e),
            }
        } else {
            "it has no store".to_string()
        };
        load_image(session, &c.image, Some(name)).await?;
        eprintln!(
            "p14p: loaded the library module {name} into the device's RAM for this run: {why}"
        );
    }
    Ok(())
}

/// Loads the modules of `program` (each under its import name), then its
/// main image, once the carried library modules it imports are on the
/// device ([`store_library`]); registers every image's debug info in
/// `sources` for tracebacks. Returns the main image's hash.
pub async fn load_program(
    session: &Session,
    program: &crate::modules::Program,
    sources: &mut crate::trace::Sources,
) -> session::Result<u32> {
    store_library(session, &program.library).await?;
    for m in &program.modules {
        let hash = load_image(session, &m.compiled.image, Some(&m.name)).await?;
        sources.insert(hash, m.compiled.debug.clone());
    }
    let hash = load_image(session, &program.main.image, None).await?;
    sources.insert(hash, program.main.debug.clone());
    Ok(hash)
}

/// [`Session::load`], with a refusal for size saying the image's size and
/// the device's limit (its heap holds every loaded image), so the user
/// knows how far over it is.
pub async fn load_image(
    session: &Session,
    image: &[u8],
    name: Option<&str>,
) -> session::Result<u32> {
    session.load(image, name).await.map_err(|e| match e {
        session::Error::Device {
            error: DeviceError::TooLarge,
            ..
        } => session::Error::Invalid(too_large(image.len(), name, session.info().heap_bytes)),
        e => e,
    })
}

/// The message for an image of `len` bytes that a device with a heap of
/// `heap` bytes (as its handshake says) refused as too large.
pub fn too_large(len: usize, name: Option<&str>, heap: u32) -> String {
    let what = name.map_or_else(|| "the program".to_string(), |n| format!("module {n}"));
    format!(
        "the image of {what} is {len} bytes, larger than the device accepts: \
         its heap, which holds every loaded image, is {heap} bytes \
         (a simulator takes --heap BYTES)"
    )
}
