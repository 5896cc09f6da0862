//! [`PosixPlatform`]: the [`Platform`] of the posix port, over any byte
//! stream (stdio, a pty master, a TCP stream, one end of a Unix socket pair).
//!
//! `Platform::read` must not block, but `Read` does: a reader thread reads
//! the stream and passes chunks over a channel; `read` takes what is there,
//! and `idle` waits on the channel for at most a millisecond, so an idle
//! device sleeps instead of spinning yet answers within a millisecond.
//! When the stream ends (or a write fails) the platform reports
//! [`PosixPlatform::closed`] and the serving loop stops.

use crate::memmap::{self, MemMap};
use p14p_device::platform::Region;
use p14p_device::Platform;
use p14p_protocol::msg::Width;
use std::io::{ErrorKind, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::Duration;

/// Board name in the manifest.
pub const BOARD: &str = "posix-sim";

/// How long [`Platform::idle`] waits for input.
const IDLE_WAIT: Duration = Duration::from_millis(1);

/// The posix port's platform.
pub struct PosixPlatform {
    rx: Receiver<Vec<u8>>,
    pending: Vec<u8>,
    pos: usize,
    writer: Box<dyn Write + Send>,
    mem: MemMap,
    closed: bool,
}

impl std::fmt::Debug for PosixPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PosixPlatform")
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl PosixPlatform {
    /// A platform reading `reader` (on a new thread) and writing `writer`.
    pub fn new<R, W>(mut reader: R, writer: W) -> Self
    where
        R: Read + Send + 'static,
        W: Write + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        // The thread ends at end of stream, on a read error, or when the
        // platform (the receiving side) is gone.
        let _ = thread::Builder::new()
            .name("p14p-link-rx".into())
            .spawn(move || {
                let mut buf = [0u8; 512];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            if tx.send(buf[..n].to_vec()).is_err() {
                                break;
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
            });
        PosixPlatform {
            rx,
            pending: Vec::new(),
            pos: 0,
            writer: Box::new(writer),
            mem: MemMap::new(),
            closed: false,
        }
    }

    /// True once the stream has ended or failed: nothing more will arrive.
    pub fn closed(&self) -> bool {
        self.closed && self.pos >= self.pending.len()
    }

    fn take(&mut self, chunk: Vec<u8>) {
        self.pending = chunk;
        self.pos = 0;
    }
}

impl Platform for PosixPlatform {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        if self.pos >= self.pending.len() {
            match self.rx.try_recv() {
                Ok(chunk) => self.take(chunk),
                Err(TryRecvError::Empty) => return 0,
                Err(TryRecvError::Disconnected) => {
                    self.closed = true;
                    return 0;
                }
            }
        }
        let src = &self.pending[self.pos..];
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        self.pos += n;
        n
    }

    fn write(&mut self, bytes: &[u8]) {
        if self
            .writer
            .write_all(bytes)
            .and_then(|_| self.writer.flush())
            .is_err()
        {
            self.closed = true;
        }
    }

    fn idle(&mut self) {
        if self.closed || self.pos < self.pending.len() {
            return;
        }
        match self.rx.recv_timeout(IDLE_WAIT) {
            Ok(chunk) => self.take(chunk),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => self.closed = true,
        }
    }

    fn ticks_ms(&mut self) -> u32 {
        self.mem.ticks_ms()
    }

    fn board(&self) -> &'static str {
        BOARD
    }

    fn memory_map(&self) -> &[Region] {
        memmap::REGIONS
    }

    fn mem_read(&mut self, addr: u32, width: Width) -> Option<u32> {
        self.mem.read(addr, width)
    }

    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> bool {
        self.mem.write(addr, width, value)
    }
}
