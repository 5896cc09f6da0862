//! The built-in simulated device (interface; the port fills it in).

use std::os::unix::net::UnixStream;
use std::thread::JoinHandle;

/// How to build a simulated device.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// VM heap size in bytes.
    pub heap_bytes: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            heap_bytes: 64 * 1024,
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
    let _ = config;
    Err(std::io::Error::other("the simulator is not built yet"))
}
