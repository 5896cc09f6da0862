//! [`RunHost`]: the [`Host`] a running program sees, built on the link.
//!
//! * `output` collects bytes and sends them as `Reply::Output` frames
//!   carrying the `Run`'s sequence number and their number in the run
//!   (the final reply carries the count, so a host sees a lost frame):
//!   when the buffer fills, after a newline, and (via [`RunHost::flush`])
//!   before the run's final reply.
//! * `poll_interrupt` reads whatever the link has, without blocking. A
//!   complete `Interrupt` request is acknowledged and stops the program.
//!   The program may catch the first one; a second (a new sequence
//!   number) or a `Reset` makes the stop one it cannot block
//!   ([`Host::stopping`]): a program that catches everything in a loop
//!   still ends, and the `Reset` is carried out once it has.
//!   The read-only requests (`Ping`, `Peek`, `HeapStats` and the heap views
//!   of [`super::inspect`], served from the heap the VM lends through
//!   [`Host::poll_with_heap`]) are answered at once. `Collect` makes the
//!   poll answer [`Poll::Collect`]: the VM collects right there (a poll is
//!   a safe point, see `vm::dispatch`) and the reply goes out from
//!   [`Host::collected`]. Any other request is answered `Busy` (the host
//!   retries it later).
//! * `mem_read` / `mem_write` go through the same memory-map checks as
//!   peek and poke.
//! * `stored_image` / `stored_read` serve `import` of stored modules from
//!   the store; `pin_flash` pins what the VM now executes in place.

use super::rx::Rx;
use super::tx::Tx;
use super::{access, inspect, request_seq, Memo, Outcome, OUTPUT_CHUNK};
use crate::heap::{census, Heap};
use crate::machine::StoredImage;
use crate::store::{FileKind, Store};
#[cfg(feature = "files")]
use crate::store::{StoreError, Stream, Walk, MAX_NAME};
use crate::{Host, Platform, Poll};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::frame::{Feed, CRC16};
use p14p_protocol::msg::{Command, DeviceError, Reply, Request, Width};

/// How long a program waits for the host to expand a message before it
/// makes do with the detail: generous for a round trip at 9600 baud.
const EXPAND_WAIT_MS: u32 = 1000;

/// What [`RunHost::serve`] stopped at.
enum Served {
    /// Every complete request was served.
    Idle,
    /// A new `Interrupt`.
    Interrupt,
    /// A `Collect`, with the heap lent.
    Collect,
    /// The awaited answer: bytes copied.
    Expanded(usize),
}

/// The answer a run waits for: `Expanded`, `Line` or `Code`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// A message's text ([`Host::expand`]).
    Expanded,
    /// `input()`'s line ([`Host::read_line`]).
    Line,
    /// Compiled code for `eval`/`exec` ([`Host::compile`]).
    Code,
}

/// The [`Host`] of one run.
pub(super) struct RunHost<'l, P: Platform> {
    pub(super) platform: &'l mut P,
    pub(super) tx: &'l mut Tx,
    pub(super) rx: &'l mut Rx,
    /// Sequence number of the `Run`: every `Output` frame carries it.
    pub(super) seq: u16,
    /// The last `Interrupt` acted on, so a retried one is acknowledged
    /// without interrupting a second time.
    pub(super) interrupt_seq: Option<u16>,
    /// A `Collect` waiting for the VM's collection: its sequence number.
    pub(super) collect_seq: Option<u16>,
    /// An `Interrupt` that arrived while the program waited for a message
    /// text: the next poll acts on it.
    pub(super) interrupt_pending: bool,
    /// The run must end whatever it catches: a second `Interrupt` or a
    /// `Reset` arrived.
    pub(super) stop: bool,
    /// A `Reset` that arrived during the run, as the link will remember
    /// it: carried out, and acknowledged, after the run's final reply.
    pub(super) reset: Option<Memo>,
    /// The program called `machine.reset()` (`Some(true)`) or
    /// `machine.soft_reset()`: the link carries it out after the run.
    pub(super) restart: Option<bool>,
    /// `Output` frames sent so far: the next one's number.
    pub(super) outputs: u16,
    pub(super) out: [u8; OUTPUT_CHUNK],
    pub(super) out_len: usize,
    /// The store, for imports of stored modules and the program's files.
    pub(super) store: &'l mut Store,
}

impl<P: Platform> RunHost<'_, P> {
    /// Serves every complete request waiting on the link, up to an
    /// `Interrupt` (not a retry of the last one) or, when the VM lent its
    /// heap (so it can collect at this point), a `Collect`; the rest of
    /// the bytes wait in the inbox for the next poll.
    fn poll(&mut self, heap: Option<&Heap<'_>>) -> Poll {
        if core::mem::take(&mut self.interrupt_pending) || self.stop {
            return Poll::Interrupt;
        }
        match self.serve(heap, None, Ask::Expanded) {
            Served::Interrupt => Poll::Interrupt,
            Served::Collect => Poll::Collect,
            Served::Idle | Served::Expanded(_) => Poll::Continue,
        }
    }

    /// Serves requests as [`RunHost::poll`] describes, and stops at the
    /// answer `ask` names when `text` can take it (copied in, cut to fit).
    fn serve(&mut self, heap: Option<&Heap<'_>>, mut text: Option<&mut [u8]>, ask: Ask) -> Served {
        while self.rx.fill(self.platform) {
            while let Some(b) = self.rx.next_byte() {
                let Feed::Frame(payload) = self.rx.dec.push(b) else {
                    continue;
                };
                match Request::decode(payload) {
                    Ok(Request {
                        seq,
                        cmd: Command::Interrupt,
                    }) => {
                        self.tx.reply(self.platform, seq, Reply::Ack);
                        if self.interrupt_seq != Some(seq) {
                            // The second one is the user insisting.
                            self.stop |= self.interrupt_seq.is_some();
                            self.interrupt_seq = Some(seq);
                            return Served::Interrupt;
                        }
                    }
                    Ok(Request {
                        seq,
                        cmd: Command::Reset,
                    }) => {
                        self.stop = true;
                        let crc = CRC16.checksum(payload);
                        let outcome = Outcome::Ack;
                        self.reset = Some(Memo { seq, crc, outcome });
                        return Served::Interrupt;
                    }
                    Ok(Request {
                        seq,
                        cmd: Command::Collect,
                    }) if heap.is_some() => {
                        self.collect_seq = Some(seq);
                        return Served::Collect;
                    }
                    Ok(Request {
                        cmd:
                            cmd @ (Command::Expanded { text: t }
                            | Command::Line { text: t }
                            | Command::Code { bytes: t }),
                        ..
                    }) => {
                        // Only the one being waited for counts: a late
                        // answer to an ask that timed out is dropped.
                        let got = match cmd {
                            Command::Line { .. } => Ask::Line,
                            Command::Code { .. } => Ask::Code,
                            _ => Ask::Expanded,
                        };
                        let wanted = got == ask;
                        if let Some(out) = text.take_if(|_| wanted) {
                            let n = t.len().min(out.len());
                            if let (Some(d), Some(s)) = (out.get_mut(..n), t.get(..n)) {
                                d.copy_from_slice(s);
                            }
                            return Served::Expanded(n);
                        }
                    }
                    Ok(Request {
                        seq,
                        cmd: Command::Ping,
                    }) => self.tx.reply(self.platform, seq, Reply::Ack),
                    Ok(Request {
                        seq,
                        cmd: Command::Peek { addr, width, count },
                    }) => {
                        let item = (addr, width, count);
                        inspect::peek(self.platform, self.tx, seq, item);
                    }
                    Ok(Request { seq, cmd }) => {
                        let served =
                            heap.is_some_and(|h| serve_heap(self.platform, self.tx, seq, &cmd, h));
                        if !served {
                            let busy = Reply::Error(DeviceError::Busy);
                            self.tx.reply(self.platform, seq, busy);
                        }
                    }
                    Err(_) => {
                        let seq = request_seq(payload);
                        let bad = Reply::Error(DeviceError::BadRequest);
                        self.tx.reply(self.platform, seq, bad);
                    }
                }
            }
        }
        Served::Idle
    }

    /// Waits for the answer `ask` names, copied into `out`: as long as
    /// the host takes (a user typing, a compiler), which keeps asking
    /// whether the run goes on (`Busy`); an `Interrupt` ends the wait.
    fn wait_for(&mut self, ask: Ask, out: &mut [u8]) -> Option<usize> {
        loop {
            match self.serve(None, Some(&mut *out), ask) {
                Served::Expanded(n) => return Some(n),
                Served::Interrupt => return None,
                Served::Idle | Served::Collect => {}
            }
            if self.stop {
                return None;
            }
            self.platform.idle();
        }
    }

    /// Answers the `Collect` that asked for the collection just done.
    fn answer_collect(&mut self, heap: &Heap<'_>) {
        if let Some(seq) = self.collect_seq.take() {
            let stats = census::stats(heap);
            self.tx.reply(self.platform, seq, Reply::Heap(stats));
        }
    }

    /// Sends buffered output, if any.
    pub(super) fn flush(&mut self) {
        if self.out_len > 0 {
            let bytes = self.out.get(..self.out_len).unwrap_or_default();
            let n = self.outputs;
            let reply = Reply::Output { n, bytes };
            self.tx.reply(self.platform, self.seq, reply);
            self.outputs = n.wrapping_add(1);
            self.out_len = 0;
        }
    }
}

impl<P: Platform> Host for RunHost<'_, P> {
    fn output(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let room = OUTPUT_CHUNK - self.out_len;
            let n = room.min(bytes.len());
            let (now, rest) = bytes.split_at(n);
            if let Some(dst) = self.out.get_mut(self.out_len..self.out_len + n) {
                dst.copy_from_slice(now);
            }
            self.out_len += n;
            bytes = rest;
            if self.out_len == OUTPUT_CHUNK || now.contains(&b'\n') {
                self.flush();
            }
        }
    }

    fn poll_interrupt(&mut self) -> bool {
        self.poll(None) == Poll::Interrupt
    }

    fn expand(&mut self, msg: ErrMsg, detail: &[u8], out: &mut [u8]) -> Option<usize> {
        // Sequence 0 is a run no host started (the boot main): nobody to ask.
        if self.seq == 0 {
            return None;
        }
        self.flush();
        let ask = Reply::Expand { msg, detail };
        self.tx.reply(self.platform, self.seq, ask);
        let start = self.platform.ticks_ms();
        loop {
            match self.serve(None, Some(&mut *out), Ask::Expanded) {
                Served::Expanded(n) => return Some(n),
                Served::Interrupt => self.interrupt_pending = true,
                Served::Idle | Served::Collect => {}
            }
            if self.stop || self.platform.ticks_ms().wrapping_sub(start) >= EXPAND_WAIT_MS {
                return None;
            }
            self.platform.idle();
        }
    }

    fn read_line(&mut self, out: &mut [u8]) -> Option<usize> {
        // The boot main: no host, no input.
        if self.seq == 0 {
            return Some(0);
        }
        self.flush();
        self.tx.reply(self.platform, self.seq, Reply::Input);
        self.wait_for(Ask::Line, out)
    }

    fn compile(&mut self, eval: bool, offset: u32, source: &[u8], out: &mut [u8]) -> Option<usize> {
        // The boot main: no host to compile.
        if self.seq == 0 {
            return Some(0);
        }
        self.flush();
        let ask = Reply::Compile {
            eval,
            offset,
            source,
        };
        self.tx.reply(self.platform, self.seq, ask);
        self.wait_for(Ask::Code, out)
    }

    fn poll_with_heap(&mut self, heap: &Heap<'_>) -> Poll {
        self.poll(Some(heap))
    }

    fn stopping(&mut self) -> bool {
        self.stop
    }

    fn collected(&mut self, heap: &Heap<'_>) {
        self.answer_collect(heap);
    }

    fn ticks_ms(&mut self) -> u32 {
        self.platform.ticks_ms()
    }

    fn ticks_us(&mut self) -> u64 {
        self.platform.ticks_us()
    }

    fn idle(&mut self) {
        // Output waiting in the buffer goes out before the wait.
        self.flush();
        self.platform.idle();
    }

    fn board(&mut self) -> &'static str {
        self.platform.board()
    }

    fn freq(&mut self) -> u32 {
        self.platform.freq()
    }

    fn reset(&mut self, hard: bool) {
        self.stop = true;
        if hard {
            // What the program printed goes out first; a port that can
            // resets the chip here, and its boot announces itself.
            self.flush();
            self.platform.reset();
        }
        self.restart = Some(hard);
    }

    fn unique_id(&mut self, out: &mut [u8; crate::machine::MAX_UNIQUE_ID]) -> usize {
        self.platform.unique_id(out)
    }

    fn gpio(&mut self) -> Option<&mut dyn crate::platform::Gpio> {
        Some(&mut *self.platform)
    }

    #[cfg(feature = "natives")]
    fn natives(&mut self) -> Option<&mut dyn crate::platform::NativeModules> {
        Some(&mut *self.platform)
    }

    fn mem_read(&mut self, addr: u32, width: Width) -> Result<u32, DeviceError> {
        access::check(self.platform.memory_map(), addr, width, 1, false)?;
        self.platform
            .mem_read(addr, width)
            .ok_or(DeviceError::BadAddress)
    }

    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> Result<(), DeviceError> {
        access::check(self.platform.memory_map(), addr, width, 1, true)?;
        let value = access::truncate(value, width);
        if self.platform.mem_write(addr, width, value) {
            Ok(())
        } else {
            Err(DeviceError::BadAddress)
        }
    }

    #[cfg(feature = "files")]
    fn file_size(&mut self, name: &str) -> Result<u32, StoreError> {
        if !self.store.present() {
            return Err(StoreError::NoStore);
        }
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        let fi = self.store.find(flash, name.as_bytes());
        fi.map(|fi| fi.size).ok_or(StoreError::NoSuchFile)
    }

    #[cfg(feature = "files")]
    fn file_read(&mut self, name: &str, offset: u32, buf: &mut [u8]) -> Result<usize, StoreError> {
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        self.store.read(flash, name.as_bytes(), offset, buf)
    }

    #[cfg(feature = "files")]
    fn file_begin(&mut self, name: &str, append: bool) -> Result<Stream, StoreError> {
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        let mut s = self.store.stream_begin(flash, name)?;
        if append {
            if let Err(e) = self.store.stream_copy(flash, &mut s, name.as_bytes()) {
                self.store.stream_abort(&s);
                return Err(e);
            }
        }
        Ok(s)
    }

    #[cfg(feature = "files")]
    fn file_write(&mut self, s: &mut Stream, name: &str, data: &[u8]) -> Result<(), StoreError> {
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        self.store.stream_write(flash, s, name.as_bytes(), data)
    }

    #[cfg(feature = "files")]
    fn file_commit(&mut self, s: &Stream, name: &str) -> Result<(), StoreError> {
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        self.store
            .stream_commit(flash, s, name.as_bytes(), FileKind::Data)
    }

    #[cfg(feature = "files")]
    fn file_abort(&mut self, s: &Stream) {
        self.store.stream_abort(s);
    }

    #[cfg(feature = "files")]
    fn file_remove(&mut self, name: &str) -> Result<(), StoreError> {
        if !self.store.present() {
            return Err(StoreError::NoStore);
        }
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        self.store.remove(flash, name)
    }

    #[cfg(feature = "files")]
    fn file_next(&mut self, at: &mut Walk, name: &mut [u8; MAX_NAME]) -> Option<usize> {
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        let fi = self.store.next_file(flash, at)?;
        let n = self.store.name_of(flash, &fi)?;
        let b = n.as_bytes();
        name.get_mut(..b.len())?.copy_from_slice(b);
        Some(b.len())
    }

    fn stored_image(&mut self, name: &[u8]) -> Option<StoredImage> {
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        let fi = self
            .store
            .find(flash, name)
            .filter(|fi| fi.kind == FileKind::Image)?;
        let len = fi.size;
        let flash = self.store.contiguous(flash, name).map(|(addr, _)| addr);
        Some(StoredImage { len, flash })
    }

    fn stored_read(&mut self, name: &[u8], offset: u32, buf: &mut [u8]) -> usize {
        let flash: &mut dyn crate::store::Flash = &mut *self.platform;
        self.store.read(flash, name, offset, buf).unwrap_or(0)
    }

    fn pin_flash(&mut self, addr: u32, len: u32) {
        self.store.pin(addr, len);
    }
}

/// Answers a heap request (`HeapStats` or a view of [`inspect`]) from the
/// lent heap; false, with nothing sent, for any other command.
fn serve_heap<P: Platform>(
    platform: &mut P,
    tx: &mut Tx,
    seq: u16,
    cmd: &Command<'_>,
    heap: &Heap<'_>,
) -> bool {
    if let Command::HeapStats = cmd {
        tx.reply(platform, seq, Reply::Heap(census::stats(heap)));
        return true;
    }
    inspect::heap_request(platform, tx, seq, cmd, heap)
}
