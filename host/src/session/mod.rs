//! A session: one connection to one device, on tokio.
//!
//! ```text
//!  Session::request ──► writer task ──► link ──► device
//!        ▲                                         │
//!        └── per-seq channel ◄── reader task ◄─────┘
//! ```
//!
//! Every request gets a fresh sequence number (1, 2, … wrapping to 1, never
//! 0) and a channel registered under it; the [`reader`] task decodes frames
//! and routes each reply to the channel of its sequence number. A request
//! that gets no reply within [`Session::timeout`] is re-sent with the *same*
//! sequence number (the device answers a repeat without doing the work
//! twice), up to [`RETRIES`] times. A `Run` has no acknowledgement, and
//! the program may run silently for a long time; its output streams to the
//! caller in order until `Done` or `Raised`. Each output frame is numbered
//! and the final reply says how many were sent, so a frame lost on the
//! link is an error ([`Error::OutputLost`]), never a silent gap. After
//! each [`Session::timeout`] without a word the `Run` is re-sent with the
//! same sequence number, which asks whether it still runs: the device
//! answers `Busy` while it does and repeats the final reply once it has
//! ended (so a lost `Done` costs a timeout, not a hang). After
//! [`RUN_SILENCE`] unanswered asks in a row the device is given up on.
//!
//! All methods take `&self`, so [`Session::interrupt`] can be sent while a
//! [`Session::run`] future is pending.

pub mod attach;
pub mod dynamic;
pub mod error;
pub mod input;
pub mod reader;
pub mod reply;
pub mod store;

pub use error::Error;
pub use reply::{Answer, DeviceInfo, Event, Exception, LargeObject, NativeModuleInfo, StoredFile};

use crate::transport::{self, Link, OpenOptions, Port};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::frame::{self, max_frame_len};
use p14p_protocol::msg::{BlockRun, Command, DeviceError, HeapStats, Request, TypeCount, Width};
use p14p_protocol::version;
use reader::Routes;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{timeout_at, Instant};

/// How often an unanswered request is re-sent before giving up.
pub const RETRIES: u32 = 3;

/// How many [`Session::timeout`] periods in a row a run may go without a
/// word from the device (output, or `Busy` to the asks whether it still
/// runs) before the session gives up on it.
pub const RUN_SILENCE: u32 = 10;

/// How long to wait for a reply before re-sending, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// Bytes a `LoadChunk` request adds to its data, worst case: seq varint (3),
/// command tag (1), offset varint (5), data length varint (3).
const CHUNK_REQUEST_OVERHEAD: usize = 12;

/// Result of a session operation.
pub type Result<T> = std::result::Result<T, Error>;

/// How a program run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It ran to its end.
    Done,
    /// It raised an exception nobody caught.
    Raised(Exception),
}

/// A connected, handshaken device.
#[derive(Debug)]
pub struct Session {
    port: String,
    info: DeviceInfo,
    routes: Arc<Routes>,
    writer: mpsc::UnboundedSender<Vec<u8>>,
    next_seq: AtomicU16,
    timeout: Duration,
    /// Who answers `input()`, when not the host's stdin ([`input`]).
    input: std::sync::Mutex<Option<Arc<input::InputLines>>>,
    tasks: [JoinHandle<()>; 2],
}

impl Drop for Session {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Session {
    /// Opens `port` and performs the handshake.
    pub async fn open(port: &Port, options: &OpenOptions) -> Result<Session> {
        let link = transport::open(port, options).await?;
        Session::connect(link, DEFAULT_TIMEOUT).await
    }

    /// Starts the reader and writer tasks on `link` and performs the
    /// handshake, waiting `timeout` per try for each reply.
    pub async fn connect(link: Link, timeout: Duration) -> Result<Session> {
        let mut session = Session::start(link, timeout);
        session.info = session.hello().await?;
        Ok(session)
    }

    /// Starts the reader and writer tasks on `link`, sending nothing: the
    /// session has no manifest until a handshake ([`Session::connect`],
    /// or [`Session::greet`] for one that listened first).
    fn start(link: Link, timeout: Duration) -> Session {
        let (rd, mut wr) = tokio::io::split(link.stream);
        let routes = Arc::new(Routes::default());
        let reader_routes = Arc::clone(&routes);
        let reader = tokio::spawn(async move { reader::run(rd, &reader_routes).await });
        let (writer, mut outgoing) = mpsc::unbounded_channel::<Vec<u8>>();
        let writer_task = tokio::spawn(async move {
            while let Some(bytes) = outgoing.recv().await {
                if wr.write_all(&bytes).await.is_err() || wr.flush().await.is_err() {
                    // The reader sees the link end and reports why.
                    return;
                }
            }
        });
        Session {
            port: link.name,
            info: placeholder_info(),
            routes,
            writer,
            next_seq: AtomicU16::new(1),
            timeout,
            input: std::sync::Mutex::new(None),
            tasks: [reader, writer_task],
        }
    }

    /// The device's manifest from the handshake.
    pub fn info(&self) -> &DeviceInfo {
        &self.info
    }

    /// The port this session talks to, as the user named it.
    pub fn port(&self) -> &str {
        &self.port
    }

    /// The reply timeout per try.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// This link's traffic so far: frames received, frames dropped (bad
    /// CRC or undecodable), requests re-sent.
    pub fn link_stats(&self) -> (u64, u64, u64) {
        let s = &self.routes.stats;
        (
            s.frames.load(Ordering::Relaxed),
            s.bad_frames.load(Ordering::Relaxed),
            s.retries.load(Ordering::Relaxed),
        )
    }

    async fn hello(&self) -> Result<DeviceInfo> {
        let cmd = Command::Hello {
            protocol: version::PROTOCOL,
        };
        let mut answer = match self.request("the handshake", &cmd).await {
            Err(Error::NoReply { .. }) => {
                return Err(Error::NoDevice {
                    port: self.port.clone(),
                })
            }
            other => other?,
        };
        // The device runs a program (its boot-time main, or one a host
        // left running): stop it, so no program can lock us out, and greet
        // again. The first interrupt may be caught, the second may not;
        // a reset (which also stops it) is the last resort.
        let stops = [Command::Interrupt, Command::Interrupt, Command::Reset];
        for stop in &stops {
            if answer != Answer::Error(DeviceError::Busy) {
                break;
            }
            let _ = self.request("stopping the running program", stop).await;
            answer = self.request("the handshake", &cmd).await?;
        }
        let info = match answer {
            Answer::Hello(info) => info,
            Answer::Error(p14p_protocol::msg::DeviceError::Version) => {
                // The device could not even decode our Hello's version field
                // as its own; it did not say which it speaks.
                return Err(Error::ProtocolVersion {
                    device: 0,
                    host: version::PROTOCOL,
                });
            }
            other => return Err(unexpected("the handshake", other)),
        };
        if info.protocol != version::PROTOCOL {
            return Err(Error::ProtocolVersion {
                device: info.protocol,
                host: version::PROTOCOL,
            });
        }
        if info.image_format != version::IMAGE_FORMAT {
            return Err(Error::ImageFormat {
                device: info.image_format,
                host: version::IMAGE_FORMAT,
            });
        }
        let mut info = info;
        for index in 0..info.natives_count {
            match self
                .request("the native modules", &Command::Native { index })
                .await?
            {
                Answer::Native(m) => info.natives.push(m),
                other => return Err(unexpected("the native modules", other)),
            }
        }
        Ok(info)
    }

    fn seq(&self) -> u16 {
        loop {
            let s = self.next_seq.fetch_add(1, Ordering::Relaxed);
            if s != 0 {
                return s;
            }
        }
    }

    fn send(&self, bytes: Vec<u8>) -> Result<()> {
        self.writer.send(bytes).map_err(|_| self.closed_error())
    }

    fn closed_error(&self) -> Error {
        Error::Closed {
            port: self.port.clone(),
            reason: self.routes.closed().unwrap_or_default(),
        }
    }

    /// Encodes `cmd` as a frame under a new sequence number and registers a
    /// waiter for it.
    fn prepare(&self, cmd: &Command<'_>) -> Result<Pending> {
        let seq = self.seq();
        let frame = frame::encode_vec(&Request {
            seq,
            cmd: cmd.clone(),
        })
        .map_err(|e| Error::Invalid(format!("cannot encode a request: {e:?}")))?;
        let (tx, rx) = mpsc::unbounded_channel();
        self.routes.register(seq, tx);
        if let Some(reason) = self.routes.closed() {
            self.routes.unregister(seq);
            return Err(Error::Closed {
                port: self.port.clone(),
                reason,
            });
        }
        Ok(Pending { seq, frame, rx })
    }

    /// Waits for the answer to a sent request, re-sending it on timeouts.
    async fn finish(&self, what: &'static str, mut p: Pending) -> Result<Answer> {
        let result = async {
            for _ in 0..RETRIES {
                if let Some(a) = self.wait_answer(&mut p.rx).await? {
                    return Ok(a);
                }
                self.routes.stats.retries.fetch_add(1, Ordering::Relaxed);
                self.send(p.frame.clone())?;
            }
            match self.wait_answer(&mut p.rx).await? {
                Some(a) => Ok(a),
                None => Err(Error::NoReply {
                    port: self.port.clone(),
                    what,
                    tries: RETRIES + 1,
                }),
            }
        }
        .await;
        self.routes.unregister(p.seq);
        result
    }

    /// One timeout period's wait: `Some(answer)`, or `None` on timeout.
    async fn wait_answer(&self, rx: &mut mpsc::UnboundedReceiver<Event>) -> Result<Option<Answer>> {
        let deadline = Instant::now() + self.timeout;
        loop {
            match timeout_at(deadline, rx.recv()).await {
                Err(_) => return Ok(None),
                Ok(None) => return Err(self.closed_error()),
                Ok(Some(Event::Answer(a))) => return Ok(Some(a)),
                // A boot notice means our request was lost with the device's
                // state; the retry resends it. Output has no business here.
                Ok(Some(
                    Event::Boot
                    | Event::Output(..)
                    | Event::Expand(..)
                    | Event::Input
                    | Event::Compile { .. },
                )) => {}
            }
        }
    }

    /// Sends `cmd` and waits for its answer, with retries.
    pub async fn request(&self, what: &'static str, cmd: &Command<'_>) -> Result<Answer> {
        let p = self.prepare(cmd)?;
        self.send(p.frame.clone())?;
        self.finish(what, p).await
    }

    /// Sends `cmd` and expects a plain `Ack`.
    async fn request_ack(&self, what: &'static str, cmd: &Command<'_>) -> Result<()> {
        match self.request(what, cmd).await? {
            Answer::Ack => Ok(()),
            other => Err(refused(what, other)),
        }
    }

    /// Liveness check.
    pub async fn ping(&self) -> Result<()> {
        self.request_ack("ping", &Command::Ping).await
    }

    /// Drops all VM state on the device (globals, images, heap).
    pub async fn reset(&self) -> Result<()> {
        self.request_ack("reset", &Command::Reset).await
    }

    /// The largest `LoadChunk` data that fits the device's frame limit.
    pub fn chunk_size(&self) -> usize {
        chunk_size_for(self.info.max_frame)
    }

    /// Sends `image` to the device (registered as module `name`, or as the
    /// program when `None`) and returns its hash once the device verified it.
    pub async fn load(&self, image: &[u8], name: Option<&str>) -> Result<u32> {
        let hash = image_hash(image)?;
        let len = u32::try_from(image.len())
            .map_err(|_| Error::Invalid("the image is larger than 4 GiB".into()))?;
        let begin = Command::LoadBegin { len, hash, name };
        self.request_ack("the image transfer", &begin).await?;
        let chunk = self.chunk_size();
        if chunk == 0 {
            return Err(Error::Invalid(format!(
                "the device's frame limit ({} bytes) is too small for image chunks",
                self.info.max_frame
            )));
        }
        let window = usize::from(self.info.window.max(1));
        let mut in_flight = std::collections::VecDeque::with_capacity(window);
        for (i, data) in image.chunks(chunk).enumerate() {
            if in_flight.len() == window {
                self.await_chunk(in_flight.pop_front()).await?;
            }
            let offset = (i * chunk) as u32;
            let p = self.prepare(&Command::LoadChunk { offset, data })?;
            self.send(p.frame.clone())?;
            in_flight.push_back(p);
        }
        while let Some(p) = in_flight.pop_front() {
            self.await_chunk(Some(p)).await?;
        }
        match self
            .request("the image transfer", &Command::LoadEnd)
            .await?
        {
            Answer::Loaded(h) if h == hash => Ok(h),
            Answer::Loaded(h) => Err(Error::Unexpected {
                what: "the image transfer",
                got: format!("hash {h:#010x} (expected {hash:#010x})"),
            }),
            other => Err(refused("the image", other)),
        }
    }

    async fn await_chunk(&self, p: Option<Pending>) -> Result<()> {
        let Some(p) = p else { return Ok(()) };
        match self.finish("an image chunk", p).await? {
            Answer::Ack => Ok(()),
            other => Err(refused("an image chunk", other)),
        }
    }

    /// Runs the loaded image `hash` in `__main__`. Program output is passed
    /// to `output` in order as it arrives. Waits as long as the program
    /// runs, asking after each quiet [`Session::timeout`] whether it still
    /// does (see the module docs). Fails with [`Error::OutputLost`] when
    /// output frames went missing, once the program has ended.
    pub async fn run(&self, hash: u32, mut output: impl FnMut(&[u8])) -> Result<Outcome> {
        let mut p = self.prepare(&Command::Run { hash })?;
        let sent = self.send(p.frame.clone());
        // `eval`/`exec` in the program: compiled for this device.
        let mut answers = dynamic::Answers::default();
        let mut target = None;
        let result = async {
            sent?;
            let mut frames = Frames::default();
            let mut silent = 0;
            loop {
                let event = match tokio::time::timeout(self.timeout, p.rx.recv()).await {
                    Err(_) if silent < RUN_SILENCE => {
                        silent += 1;
                        // The same request again: "are you still running?"
                        self.send(p.frame.clone())?;
                        continue;
                    }
                    Err(_) => {
                        return Err(Error::NoReply {
                            port: self.port.clone(),
                            what: "the running program (asked whether it still runs)",
                            tries: silent,
                        })
                    }
                    Ok(None) => return Err(self.closed_error()),
                    Ok(Some(event)) => event,
                };
                silent = 0;
                match event {
                    Event::Output(n, bytes) => {
                        if frames.take(n) {
                            output(&bytes);
                        }
                    }
                    Event::Expand(msg, detail) => self.expanded(msg, &detail)?,
                    Event::Input => {
                        let line = self.input_line().await;
                        self.send_line(&line)?;
                    }
                    Event::Compile {
                        eval,
                        offset,
                        source,
                    } => {
                        let target = target
                            .get_or_insert_with(|| crate::program::target_for(&self.info, false));
                        let max = Command::CODE_MAX;
                        let bytes = answers.answer(eval, offset, &source, target, max);
                        self.send_code(bytes)?;
                    }
                    Event::Boot => {
                        let fault = self.routes.take_fault();
                        return Err(Error::Restarted { fault });
                    }
                    // The answer to an ask: it still runs.
                    Event::Answer(Answer::Error(DeviceError::Busy)) => {}
                    Event::Answer(Answer::Done(sent)) => {
                        let ended = "the program ran to its end";
                        return frames.end(sent, ended.into()).map(|()| Outcome::Done);
                    }
                    Event::Answer(Answer::Raised(e, sent)) => {
                        let ended = format!("the program ended with {}", e.exc_type);
                        return frames.end(sent, ended).map(|()| Outcome::Raised(e));
                    }
                    Event::Answer(Answer::Error(DeviceError::Duplicate)) => {
                        return Err(Error::RunEndLost)
                    }
                    Event::Answer(other) => return Err(refused("the run", other)),
                }
            }
        }
        .await;
        self.routes.unregister(p.seq);
        result
    }

    /// Answers a running program's `Expand`: the message rendered exactly
    /// as a traceback shows it, cut to what the device takes. Not answered
    /// by the device, so not waited for.
    fn expanded(&self, msg: ErrMsg, detail: &str) -> Result<()> {
        let text = expansion(msg, detail);
        let text = text.as_bytes();
        let frame = frame::encode_vec(&Request {
            seq: self.seq(),
            cmd: Command::Expanded { text },
        })
        .map_err(|e| Error::Invalid(format!("cannot encode a request: {e:?}")))?;
        self.send(frame)
    }

    /// Answers a running program's `input()` with `line` (with its
    /// newline; empty at the end of input), cut at a character boundary to
    /// what the device takes. Not answered by the device.
    fn send_line(&self, line: &str) -> Result<()> {
        let mut end = line.len().min(Command::LINE_MAX);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let frame = frame::encode_vec(&Request {
            seq: self.seq(),
            cmd: Command::Line {
                text: &line.as_bytes()[..end],
            },
        })
        .map_err(|e| Error::Invalid(format!("cannot encode a request: {e:?}")))?;
        self.send(frame)
    }

    /// Answers a running program's `Compile` with `bytes` of the answer.
    /// Not answered by the device.
    fn send_code(&self, bytes: &[u8]) -> Result<()> {
        let frame = frame::encode_vec(&Request {
            seq: self.seq(),
            cmd: Command::Code { bytes },
        })
        .map_err(|e| Error::Invalid(format!("cannot encode a request: {e:?}")))?;
        self.send(frame)
    }

    /// Loads `image` as the program and runs it: [`Session::load`] then
    /// [`Session::run`].
    pub async fn load_and_run(&self, image: &[u8], output: impl FnMut(&[u8])) -> Result<Outcome> {
        let hash = self.load(image, None).await?;
        self.run(hash, output).await
    }

    /// Asks the device to stop the running program with `KeyboardInterrupt`.
    /// The program may catch the first interrupt of a run; a second one
    /// stops it whatever it catches (no `except` or `finally` runs).
    pub async fn interrupt(&self) -> Result<()> {
        self.request_ack("the interrupt", &Command::Interrupt).await
    }

    /// Reads `count` items of `width` from `addr`: little-endian bytes.
    pub async fn peek(&self, addr: u32, width: Width, count: u16) -> Result<Vec<u8>> {
        match self
            .request("peek", &Command::Peek { addr, width, count })
            .await?
        {
            Answer::Data(d) => Ok(d),
            other => Err(refused("peek", other)),
        }
    }

    /// Writes one item of `width` at `addr`.
    pub async fn poke(&self, addr: u32, width: Width, value: u32) -> Result<()> {
        self.request_ack("poke", &Command::Poke { addr, width, value })
            .await
    }

    /// Heap statistics.
    pub async fn heap_stats(&self) -> Result<HeapStats> {
        match self.request("heap stats", &Command::HeapStats).await? {
            Answer::Heap(h) => Ok(h),
            other => Err(refused("heap stats", other)),
        }
    }

    /// Runs a full collection, then returns heap statistics.
    pub async fn collect(&self) -> Result<HeapStats> {
        match self.request("collect", &Command::Collect).await? {
            Answer::Heap(h) => Ok(h),
            other => Err(refused("collect", other)),
        }
    }

    /// The whole heap census: figures and `(tag, count, bytes)` per block
    /// tag (free blocks are tag 0), in as many pages as the device needs.
    /// Answered during a run too; then the pages are taken at different
    /// moments, and the figures are the first page's, taken with the
    /// commonest tags (the lowest numbers), so they agree with most rows.
    pub async fn census(&self) -> Result<(HeapStats, Vec<TypeCount>)> {
        let mut from = 0u8;
        let mut all = Vec::new();
        let mut figures = None;
        loop {
            match self
                .request("the heap census", &Command::HeapCensus { from })
                .await?
            {
                Answer::Census(stats, types, next) => {
                    all.extend(types);
                    let stats = *figures.get_or_insert(stats);
                    // A device that does not move forward would loop forever.
                    if next == 0 || next <= from {
                        return Ok((stats, all));
                    }
                    from = next;
                }
                other => return Err(refused("the heap census", other)),
            }
        }
    }

    /// The arena's block map, as runs of one tag, in arena order.
    pub async fn heap_map(&self) -> Result<Vec<BlockRun>> {
        let mut from = 1u32;
        let mut all = Vec::new();
        loop {
            match self
                .request("the heap walk", &Command::HeapWalk { from })
                .await?
            {
                Answer::Blocks(runs, next) => {
                    all.extend(runs);
                    if next == 0 || next <= from {
                        return Ok(all);
                    }
                    from = next;
                }
                other => return Err(refused("the heap walk", other)),
            }
        }
    }

    /// The `count` largest heap objects, largest first.
    pub async fn largest(&self, count: u8) -> Result<Vec<LargeObject>> {
        match self
            .request("the largest objects", &Command::HeapLargest { count })
            .await?
        {
            Answer::Largest(objs) => Ok(objs),
            other => Err(refused("the largest objects", other)),
        }
    }
}

/// The numbering of a run's output frames as they arrive: which are
/// missing.
#[derive(Debug, Default)]
struct Frames {
    /// The number the next frame should have.
    next: u16,
    /// Frames skipped so far.
    lost: u32,
    /// The first skipped frame's number.
    first: Option<u16>,
}

impl Frames {
    /// Notes frame `n`; false for a frame seen already (a duplicate).
    fn take(&mut self, n: u16) -> bool {
        let ahead = n.wrapping_sub(self.next);
        if ahead >= 0x8000 {
            return false;
        }
        if ahead > 0 {
            self.first.get_or_insert(self.next);
            self.lost += u32::from(ahead);
        }
        self.next = n.wrapping_add(1);
        true
    }

    /// The run ended after sending `sent` frames: an error if any never
    /// arrived.
    fn end(&mut self, sent: u16, ended: String) -> Result<()> {
        let tail = sent.wrapping_sub(self.next);
        if tail < 0x8000 && tail > 0 {
            self.first.get_or_insert(self.next);
            self.lost += u32::from(tail);
        }
        match self.first {
            None => Ok(()),
            Some(first) => Err(Error::OutputLost {
                lost: self.lost,
                first,
                sent,
                ended,
            }),
        }
    }
}

/// A request that was encoded and registered but not yet answered.
#[derive(Debug)]
struct Pending {
    seq: u16,
    frame: Vec<u8>,
    rx: mpsc::UnboundedReceiver<Event>,
}

/// The hash in an image header (bytes 12..16).
pub fn image_hash(image: &[u8]) -> Result<u32> {
    match image.get(12..16) {
        Some(h) if image.starts_with(&p14p_protocol::image::MAGIC) => {
            Ok(u32::from_le_bytes([h[0], h[1], h[2], h[3]]))
        }
        _ => Err(Error::Invalid("not a p14p image (bad header)".into())),
    }
}

/// The largest chunk of image data whose `LoadChunk` frame fits `max_frame`.
pub fn chunk_size_for(max_frame: u16) -> usize {
    let max = usize::from(max_frame);
    let mut n = max.saturating_sub(CHUNK_REQUEST_OVERHEAD);
    while n > 0 && max_frame_len(n + CHUNK_REQUEST_OVERHEAD) > max {
        n -= 1;
    }
    n
}

fn refused(what: &'static str, answer: Answer) -> Error {
    match answer {
        Answer::Error(error) => Error::Device { what, error },
        other => unexpected(what, other),
    }
}

fn unexpected(what: &'static str, answer: Answer) -> Error {
    Error::Unexpected {
        what,
        got: format!("{answer:?}"),
    }
}

fn placeholder_info() -> DeviceInfo {
    DeviceInfo {
        protocol: 0,
        image_format: 0,
        board: String::new(),
        firmware: String::new(),
        heap_bytes: 0,
        store_bytes: 0,
        max_frame: 0,
        window: 0,
        recursion_limit: 0,
        features: 0,
        natives: Vec::new(),
        natives_count: 0,
        store_max_files: 0,
        store_max_name: 0,
    }
}

/// The text a device asking `Expand { msg, detail }` gets: the message as
/// a traceback shows it, cut at a character boundary to
/// [`Command::EXPANDED_MAX`] bytes.
pub fn expansion(msg: ErrMsg, detail: &str) -> String {
    let mut text = msg.render(detail);
    let mut end = text.len().min(Command::EXPANDED_MAX);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}

#[cfg(test)]
mod tests;
