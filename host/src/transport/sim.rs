//! The `sim` transport: the simulated device of `p14p-port-posix`, running in
//! a thread of this process, reached over a Unix socket pair.

use p14p_port_posix::sim::{self, SimConfig};
use std::io;
use tokio::net::UnixStream;

/// Starts a simulated device with a `heap_bytes` heap and returns the host's
/// end of its link. The device thread ends when the stream is dropped.
/// `store` is the file standing for its flash chip (`None`: RAM).
pub fn open(heap_bytes: usize, store: Option<std::path::PathBuf>) -> io::Result<UnixStream> {
    let sim = sim::spawn(SimConfig { heap_bytes, store })
        .map_err(|e| io::Error::new(e.kind(), format!("cannot start the simulator: {e}")))?;
    // The device thread owns its end of the socket pair and returns as
    // soon as ours is closed. A `+` chain opens one simulator for all its
    // commands (`cli::connection`), so none waits for another's store.
    drop(sim.thread);
    sim.stream.set_nonblocking(true)?;
    UnixStream::from_std(sim.stream)
}
