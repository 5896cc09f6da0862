//! The `tcp:HOST:PORT` transport: a device (or an emulator's UART) behind a
//! TCP socket, e.g. `p14p-device --tcp` or `qemu-system-arm -serial tcp:…`.

use std::io;
use tokio::net::TcpStream;

/// Connects to `addr` (`HOST:PORT`).
pub async fn open(addr: &str) -> io::Result<TcpStream> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| io::Error::new(e.kind(), format!("cannot connect to tcp:{addr}: {e}")))?;
    // Frames are small and latency matters more than throughput.
    stream.set_nodelay(true)?;
    Ok(stream)
}
