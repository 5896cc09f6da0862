//! The built-in simulated device: a [`Device`](p14p_device::Device) in its
//! own thread, talking over one end of a Unix socket pair with the same
//! framing as a UART. The host gets the other end.
//!
//! The heap arena is a `Vec<u32>` owned by the device thread and lent to the
//! machine for the thread's lifetime (no leak: it is freed when the thread
//! ends, which it does when the host closes its end of the socket).

use crate::flash::{self, FileFlash};
use crate::machine::new_machine_in_place;
use crate::platform::PosixPlatform;
use crate::serve::serve;
use std::os::unix::net::UnixStream;
use std::thread::{self, JoinHandle};

/// How to build a simulated device.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// VM heap size in bytes.
    pub heap_bytes: usize,
    /// The file standing for the store's flash chip; `None`: a RAM chip
    /// (also used when the file is held by another device).
    pub store: Option<std::path::PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            heap_bytes: 64 * 1024,
            store: None,
        }
    }
}

/// A running simulated device.
#[derive(Debug)]
pub struct Sim {
    /// The host's end of the link: framed protocol bytes, as on a UART.
    pub stream: UnixStream,
    /// The device thread; it ends when the host's end is closed.
    pub thread: JoinHandle<()>,
}

/// Starts a simulated device in a new thread.
pub fn spawn(config: SimConfig) -> std::io::Result<Sim> {
    let (host_end, device_end) = UnixStream::pair()?;
    let reader = device_end.try_clone()?;
    let thread = thread::Builder::new()
        .name("p14p-sim".into())
        .spawn(move || {
            let flash = config
                .store
                .as_deref()
                .and_then(|p| FileFlash::open(p, flash::PAGE_SIZE, flash::PAGES).ok())
                .unwrap_or_else(|| FileFlash::ram(flash::PAGE_SIZE, flash::PAGES));
            // Declared before the machine, which borrows it.
            let view = flash.view();
            let mut arena = vec![0u32; config.heap_bytes / 4];
            let platform = PosixPlatform::new(reader, device_end)
                .with_flash(std::sync::Arc::new(std::sync::Mutex::new(flash)));
            serve(platform, new_machine_in_place(&mut arena, &view));
        })?;
    Ok(Sim {
        stream: host_end,
        thread,
    })
}
