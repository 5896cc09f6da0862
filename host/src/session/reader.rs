//! The reader task: bytes from the link → frames → events routed by
//! sequence number to whoever waits for them.

use super::reply::Event;
use p14p_protocol::frame::{self, Feed, FrameDecoder};
use p14p_protocol::msg::Response;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc::UnboundedSender;

/// The largest frame a device may send: `Manifest::max_frame` is a `u16`.
const MAX_FRAME: usize = u16::MAX as usize + 1;

/// State shared between the session and its reader task.
#[derive(Debug, Default)]
pub struct Routes {
    /// Who waits for replies to which sequence number.
    waiters: Mutex<HashMap<u16, UnboundedSender<Event>>>,
    /// Set when the link ended; later requests fail with it.
    closed: Mutex<Option<String>>,
    /// The last line the firmware wrote before a reset
    /// (`p14p: hardfault at pc=0x…`), if one came since it was taken.
    fault: Mutex<Option<String>>,
    /// Link health, for `p14p ui`'s device pane.
    pub stats: LinkCounters,
}

/// Counters of one link's traffic (relaxed atomics: figures to show, not
/// to synchronise on).
#[derive(Debug, Default)]
pub struct LinkCounters {
    /// Intact frames received.
    pub frames: std::sync::atomic::AtomicU64,
    /// Frames dropped: bad CRC, bad COBS or undecodable.
    pub bad_frames: std::sync::atomic::AtomicU64,
    /// Requests re-sent after a timeout.
    pub retries: std::sync::atomic::AtomicU64,
}

impl Routes {
    /// Registers a waiter for `seq` (replacing any previous one).
    pub fn register(&self, seq: u16, tx: UnboundedSender<Event>) {
        if let Ok(mut w) = self.waiters.lock() {
            w.insert(seq, tx);
        }
    }

    /// Forgets the waiter for `seq`.
    pub fn unregister(&self, seq: u16) {
        if let Ok(mut w) = self.waiters.lock() {
            w.remove(&seq);
        }
    }

    /// The fault line the firmware wrote before it reset (`FaultLine`, in
    /// this file), if one came since the last call.
    pub fn take_fault(&self) -> Option<String> {
        self.fault.lock().ok().and_then(|mut f| f.take())
    }

    /// Why the link closed, if it did.
    pub fn closed(&self) -> Option<String> {
        self.closed.lock().ok().and_then(|c| c.clone())
    }

    fn deliver(&self, seq: u16, event: Event) {
        let Ok(waiters) = self.waiters.lock() else {
            return;
        };
        if seq == 0 {
            // Unprompted (boot): everyone waiting learns the device restarted.
            for tx in waiters.values() {
                let _ = tx.send(event.clone());
            }
        } else if let Some(tx) = waiters.get(&seq) {
            let _ = tx.send(event);
        }
        // A reply nobody waits for is a late duplicate of a retried
        // request: dropping it is correct.
    }

    fn close(&self, reason: String) {
        if let Ok(mut c) = self.closed.lock() {
            c.get_or_insert(reason);
        }
        // Dropping the senders wakes every waiter with `None`.
        if let Ok(mut w) = self.waiters.lock() {
            w.clear();
        }
    }
}

/// Watches the raw bytes for the one line of text a firmware writes when it
/// faults, just before it resets (`ports/cortex-m/src/fault.rs`): NUL, the
/// line, CR LF, NUL. The frame decoder drops it as a bad frame; this keeps
/// it, so that the error for the reset can say where the firmware failed.
#[derive(Debug, Default)]
struct FaultLine {
    /// The bytes since the last NUL, up to [`FaultLine::MAX`].
    line: Vec<u8>,
}

impl FaultLine {
    /// Longer than any fault line (a `panic-location` build's names a
    /// source path).
    const MAX: usize = 160;

    /// Feeds one byte; on the NUL after a fault line, the line.
    fn push(&mut self, byte: u8) -> Option<String> {
        if byte != 0 {
            if self.line.len() < Self::MAX {
                self.line.push(byte);
            }
            return None;
        }
        let line = std::mem::take(&mut self.line);
        let text = line.strip_suffix(b"\r\n")?;
        let printable = text.iter().all(|b| (0x20..0x7F).contains(b));
        (printable && text.starts_with(b"p14p: "))
            .then(|| String::from_utf8_lossy(text).into_owned())
    }
}

/// Reads frames until the link ends, delivering each to its waiter.
pub async fn run<R: AsyncRead + Unpin>(mut link: R, routes: &Routes) {
    let mut decoder: Box<FrameDecoder<MAX_FRAME>> = Box::default();
    let mut fault = FaultLine::default();
    let mut buf = vec![0u8; 4096];
    let reason = loop {
        let n = match link.read(&mut buf).await {
            Ok(0) => break String::from("the device closed the link"),
            Ok(n) => n,
            Err(e) => break e.to_string(),
        };
        for &byte in &buf[..n] {
            use std::sync::atomic::Ordering::Relaxed;
            if let Some(line) = fault.push(byte) {
                if let Ok(mut f) = routes.fault.lock() {
                    *f = Some(line);
                }
            }
            match decoder.push(byte) {
                // Frames that fail their CRC or do not decode are dropped:
                // the request they answered times out and is retried.
                Feed::Frame(payload) => match frame::decode::<Response<'_>>(payload) {
                    Ok(resp) => {
                        routes.stats.frames.fetch_add(1, Relaxed);
                        routes.deliver(resp.seq, Event::from_reply(&resp.reply));
                    }
                    Err(_) => {
                        routes.stats.bad_frames.fetch_add(1, Relaxed);
                    }
                },
                Feed::Dropped(_) => {
                    routes.stats.bad_frames.fetch_add(1, Relaxed);
                }
                Feed::Pending => {}
            }
        }
    };
    routes.close(reason);
}
