//! The `sim` transport: the simulated device of `p14p-port-posix`, running in
//! a thread of this process, reached over a Unix socket pair.

use p14p_port_posix::sim::{self, SimConfig};
use std::io;
use std::sync::Mutex;
use std::thread::JoinHandle;
use tokio::net::UnixStream;

/// The device threads started by [`open`].
static THREADS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

/// Waits for every simulated device started so far to end (their host
/// ends must be closed), so the next one gets the store file rather than
/// a RAM store: the commands of a `+` chain run one after the other.
pub fn join_all() {
    let threads = THREADS.lock().map(|mut t| std::mem::take(&mut *t));
    for t in threads.unwrap_or_default() {
        let _ = t.join();
    }
}

/// Starts a simulated device with a `heap_bytes` heap and returns the host's
/// end of its link. The device thread ends when the stream is dropped.
/// `store` is the file standing for its flash chip (`None`: RAM).
pub fn open(heap_bytes: usize, store: Option<std::path::PathBuf>) -> io::Result<UnixStream> {
    let sim = sim::spawn(SimConfig { heap_bytes, store })
        .map_err(|e| io::Error::new(e.kind(), format!("cannot start the simulator: {e}")))?;
    // The device thread owns its end of the socket pair and returns as
    // soon as ours is closed; it is kept so that [`join_all`] can wait
    // for it to let go of its store file.
    if let Ok(mut threads) = THREADS.lock() {
        threads.push(sim.thread);
    }
    sim.stream.set_nonblocking(true)?;
    UnixStream::from_std(sim.stream)
}
