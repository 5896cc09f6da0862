//! The link: the protocol state machine and [`Device`], the port's entry
//! point.
//!
//! ```text
//!  Link::read     ─► Rx (inbox, FrameDecoder) ─► Request ─► dispatch ─► Machine
//!                                                              │
//!  Link::write    ◄─ Tx (wire + CRC + COBS) ◄─ Response ◄─┘
//! ```
//!
//! A port builds one [`Device`] and calls [`Device::poll`] in its main loop.
//! Nothing here blocks except [`crate::Machine::run`], during which the
//! link keeps serving through [`host::RunHost`] (output frames, interrupts,
//! the read-only requests of [`inspect`], `Collect` at the VM's next poll,
//! `Busy` for anything else).
//!
//! ## Errors and retries
//! * A frame with bad COBS or a bad CRC, or one longer than [`MAX_FRAME`], is
//!   dropped silently: the host sees no reply and retries.
//! * A frame that is intact but not a valid `Request` is answered
//!   `Error(BadRequest)` (with its sequence number if one can be read).
//! * The device remembers the last completed request: its sequence number,
//!   the CRC of its payload and a small outcome. A byte-identical repeat
//!   (a retry) gets the same reply without doing the work again; a `Run`
//!   retry re-sends its final reply (the program's output is not repeated),
//!   or `Error(Duplicate)` if the exception report is gone. Matching the
//!   payload CRC, not just the number, keeps a new session that restarts its
//!   numbering from being mistaken for a retry. Requests without side
//!   effects (`Ping`, `Interrupt`, `Peek`, `HeapStats`, `Collect`, the heap
//!   views) are simply redone and leave the memory alone, so a host that
//!   lost a run's final reply can ask for it again by repeating the `Run`
//!   (`Error(Busy)` while the program still runs) even if it interrupted
//!   meanwhile; `Hello`, a new session, clears it.

mod access;
mod host;
mod inspect;
mod manifest;
mod rx;
mod store;
mod tx;

#[cfg(test)]
mod tests;

pub use access::check as check_access;

use crate::machine::Traceback;
use crate::store::Store;
use crate::{Machine, Platform, RunOutcome};
use host::RunHost;
use p14p_protocol::frame::{max_frame_len, Feed, CRC16};
use p14p_protocol::msg::{
    Command, DeviceError, Raised, Reply, Request, Response, TraceEntry, Width,
};
use p14p_protocol::seq::Seq;
use p14p_protocol::version;
use p14p_protocol::wire::Reader;
use rx::Rx;
use tx::Tx;

/// Largest frame the device accepts or sends, delimiters included; reported
/// as `Manifest::max_frame`. Small enough for a microcontroller's RAM: the
/// device holds one receive buffer of this size, and sends without one
/// ([`tx`]).
pub const MAX_FRAME: usize = 300;

/// How many `LoadChunk` requests the host may have unacknowledged.
pub const WINDOW: u8 = 2;

/// How long a booted device waits for a host before running its stored
/// main program. Any request in this window keeps main from running this
/// boot, so a broken main can never lock the user out.
pub const BOOT_GRACE_MS: u32 = 500;

/// Largest `Peek` reply in bytes (`count × width`): the protocol's limit.
pub const MAX_PEEK_BYTES: usize = p14p_protocol::msg::Command::PEEK_MAX;

/// Program output bytes per `Output` frame.
const OUTPUT_CHUNK: usize = 192;

/// Traceback entries sent in a `Raised` reply: the outermost
/// [`TRACE_HEAD`] and the innermost rest; the middle is counted in `elided`.
const TRACE_MAX: usize = 16;
/// Outermost traceback entries kept when eliding.
const TRACE_HEAD: usize = 4;

// A `Response` adds at most 8 bytes around a byte-slice reply (sequence
// varint, two variant tags, length varint), and `Output` its number (a
// u16 varint, 3 more): these replies always fit.
const _: () = assert!(max_frame_len(MAX_PEEK_BYTES + 8) <= MAX_FRAME);
const _: () = assert!(max_frame_len(OUTPUT_CHUNK + 11) <= MAX_FRAME);

/// The sequence number of an undecodable request, if its first field reads.
fn request_seq(payload: &[u8]) -> u16 {
    Reader::new(payload).u16().unwrap_or(0)
}

/// What the last completed request produced, small enough to keep.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// Side-effect free: a repeat is simply carried out again. Also the
    /// outcome of the memo before any request ([`Memo::NONE`]).
    Redo,
    /// `Ack`.
    Ack,
    /// `Loaded { hash }`.
    Loaded(u32),
    /// `Done`, with the number of `Output` frames the run sent.
    Done(u16),
    /// `Raised(..)`, rebuilt from [`Machine::exception_report`], with the
    /// number of `Output` frames.
    Raised(u16),
    /// `Error(..)`.
    Error(DeviceError),
}

/// The last completed request.
#[derive(Debug, Clone, Copy)]
struct Memo {
    seq: u16,
    crc: u16,
    outcome: Outcome,
}

impl Memo {
    /// Nothing remembered: a `Redo` matches no retry. Not an `Option`,
    /// whose `None` would be a non-zero niche of [`Outcome`]: an unstarted
    /// device is all zeros.
    const NONE: Memo = Memo {
        seq: 0,
        crc: 0,
        outcome: Outcome::Redo,
    };
}

/// How a run went, as [`Link::run_image`] reports it.
struct Ran {
    result: Result<RunOutcome, DeviceError>,
    /// `Output` frames sent.
    outputs: u16,
    /// A `Reset` received during the run, as it is to be remembered.
    reset: Option<Memo>,
    /// The program called `machine.reset()` (`Some(true)`, on a port
    /// whose chip did not reset) or `machine.soft_reset()` (`Some(false)`).
    restart: Option<bool>,
}

/// A `Run` decoded from a frame, started once the frame's buffer is free.
#[derive(Debug, Clone, Copy)]
struct PendingRun {
    seq: u16,
    crc: u16,
    hash: u32,
}

/// A p14p device: the link state machine over a [`Platform`], driving a
/// [`Machine`].
///
/// `repr(C)` with the machine at offset 0 (first in [`Link`], which comes
/// first here): a port keeps its device in a static, so the compiler
/// addresses the VM's fields from the static's address, and the VM puts
/// its hot fields where 16-bit Cortex-M loads reach them
/// ([`crate::vm::Vm`]).
#[repr(C)]
pub struct Device<P: Platform, M: Machine> {
    link: Link<P, M>,
    rx: Rx,
}

/// Everything but the receiver, so a request borrowed from the receive
/// buffer can be handled while the rest of the device is mutable.
/// `repr(C)`, the machine first (see [`Device`]).
#[repr(C)]
struct Link<P: Platform, M: Machine> {
    machine: M,
    platform: P,
    tx: Tx,
    memo: Memo,
    /// Length of the image being received plus one, between `LoadBegin`
    /// and `LoadEnd`; 0 outside (no tag: the device is 8-aligned, and
    /// this and `boot_main` without theirs make it 8 bytes smaller).
    transfer: u32,
    /// The flash store (empty if the port has none).
    store: Store,
    /// When the boot grace period began (in ms ticks), while main is still
    /// to run; 0 when it is not (a start at tick 0 is kept as 1: a
    /// millisecond less of grace for 4 bytes of RAM, `Option`'s tag).
    boot_main: u32,
}

impl<P: Platform, M: Machine> Device<P, M> {
    /// Boots the link: sends a lone `0x00` (so the host's decoder resyncs)
    /// and an unprompted `Boot` frame with sequence number 0.
    pub fn new(platform: P, machine: M) -> Self {
        let mut device = Device::unstarted(platform, machine);
        device.start();
        device
    }

    /// The device before [`Device::start`]: no store mounted, nothing sent.
    /// Apart from `platform` and `machine` it is all zeros, and its parts
    /// are `const` blocks, so a port writing it into a static slot gets a
    /// memory clear there: no device-sized temporary on its boot stack,
    /// no device-sized constant in flash. The port then brings the
    /// machine up in place ([`Device::machine_mut`]) and calls
    /// [`Device::start`].
    pub const fn unstarted(platform: P, machine: M) -> Self {
        Device {
            rx: const { Rx::new() },
            link: Link {
                platform,
                machine,
                tx: const { Tx::new() },
                memo: Memo::NONE,
                transfer: 0,
                store: const { Store::none() },
                boot_main: 0,
            },
        }
    }

    /// Starts an [`unstarted`](Device::unstarted) device in place: mounts
    /// the store, notes a main to run after the grace period, and
    /// announces the boot (a lone `0x00`, then `Boot`). Out of line: its
    /// temporaries (the mount's page order, the frame encoder's) are gone
    /// before the first [`Device::poll`].
    #[inline(never)]
    pub fn start(&mut self) {
        let link = &mut self.link;
        let volatile = link.platform.volatile();
        link.store.mount_into(&mut link.platform, volatile);
        let has_main = link.store.main(&mut link.platform).is_some();
        if has_main {
            link.boot_main = link.platform.ticks_ms().max(1);
        }
        link.platform.write(&[0]);
        link.tx.reply(&mut link.platform, 0, Reply::Boot);
    }

    /// Serves the link once: handles every complete request in the bytes
    /// available now (running a program to its end if one is requested),
    /// or calls [`Link::idle`](crate::platform::Link::idle) when nothing arrived.
    pub fn poll(&mut self) {
        let start = self.link.boot_main;
        if start != 0 && self.link.platform.ticks_ms().wrapping_sub(start) >= BOOT_GRACE_MS {
            self.link.boot_main = 0;
            self.link.run_main(&mut self.rx);
        }
        if !self.rx.fill(&mut self.link.platform) {
            self.link.platform.idle();
            return;
        }
        while let Some(b) = self.rx.next_byte() {
            let run = match self.rx.dec.push(b) {
                Feed::Frame(payload) => self.link.on_frame(payload),
                Feed::Pending | Feed::Dropped(_) => None,
            };
            if let Some(run) = run {
                self.link.run(run, &mut self.rx);
            }
        }
    }

    /// The platform.
    pub fn platform(&self) -> &P {
        &self.link.platform
    }

    /// The platform, mutably.
    pub fn platform_mut(&mut self) -> &mut P {
        &mut self.link.platform
    }

    /// The machine.
    pub fn machine(&self) -> &M {
        &self.link.machine
    }

    /// The machine, mutably.
    pub fn machine_mut(&mut self) -> &mut M {
        &mut self.link.machine
    }

    /// Takes the device apart (e.g. to serve the same machine on a new
    /// connection with a fresh `Device::new`).
    pub fn into_parts(self) -> (P, M) {
        (self.link.platform, self.link.machine)
    }
}

impl<P: Platform, M: Machine> Link<P, M> {
    fn reply(&mut self, seq: u16, reply: Reply<'_>) {
        self.tx.reply(&mut self.platform, seq, reply);
    }

    /// Handles one intact frame. A `Run` is returned rather than started:
    /// the frame still borrows the receive buffer the run needs.
    fn on_frame(&mut self, payload: &[u8]) -> Option<PendingRun> {
        // A host is here: it decides what runs.
        self.boot_main = 0;
        let crc = CRC16.checksum(payload);
        let Ok(req) = Request::decode(payload) else {
            let seq = request_seq(payload);
            self.reply(seq, Reply::Error(DeviceError::BadRequest));
            return None;
        };
        // A message text (an input line, compiled code) that came after
        // its run stopped waiting: dropped, as `Expanded`, `Line` and
        // `Code` are never answered.
        if let Command::Expanded { .. } | Command::Line { .. } | Command::Code { .. } = req.cmd {
            return None;
        }
        let m = self.memo;
        if m.seq == req.seq && m.crc == crc && m.outcome != Outcome::Redo {
            self.send_outcome(req.seq, m.outcome);
            return None;
        }
        if let Command::Hello { .. } = req.cmd {
            // A new session: nothing before it is a retry of its requests.
            self.memo = Memo::NONE;
        }
        let outcome = match req.cmd {
            Command::Run { hash } => {
                return Some(PendingRun {
                    seq: req.seq,
                    crc,
                    hash,
                })
            }
            cmd => self.dispatch(req.seq, cmd),
        };
        if outcome != Outcome::Redo {
            self.memo = Memo {
                seq: req.seq,
                crc,
                outcome,
            };
        }
        None
    }

    /// Carries out every command but `Run`, sends the reply, and returns
    /// what to remember for a retry.
    fn dispatch(&mut self, seq: u16, cmd: Command<'_>) -> Outcome {
        let outcome = match cmd {
            Command::Hello { protocol } => {
                if protocol != version::PROTOCOL {
                    Outcome::Error(DeviceError::Version)
                } else {
                    self.send_hello(seq);
                    return Outcome::Redo;
                }
            }
            Command::Native { index } => {
                self.send_native(seq, index);
                return Outcome::Redo;
            }
            Command::Ping | Command::Interrupt => {
                self.reply(seq, Reply::Ack);
                return Outcome::Redo;
            }
            Command::Reset => {
                self.reset();
                Outcome::Ack
            }
            Command::LoadBegin { len, hash, name } => {
                self.transfer = 0;
                match self.machine.image_begin(len, hash, name) {
                    Ok(()) => {
                        // No image of u32::MAX bytes is begun, so + 1 fits.
                        self.transfer = len.wrapping_add(1);
                        Outcome::Ack
                    }
                    Err(e) => Outcome::Error(e),
                }
            }
            Command::LoadChunk { offset, data } => match self.transfer {
                0 => Outcome::Error(DeviceError::NoTransfer),
                end if offset as u64 + data.len() as u64 + 1 > end as u64 => {
                    Outcome::Error(DeviceError::ChunkRange)
                }
                _ => match self.machine.image_write(offset, data) {
                    Ok(()) => Outcome::Ack,
                    Err(e) => Outcome::Error(e),
                },
            },
            Command::LoadEnd => match core::mem::take(&mut self.transfer) {
                0 => Outcome::Error(DeviceError::NoTransfer),
                _ => match self.machine.image_end() {
                    Ok(hash) => Outcome::Loaded(hash),
                    Err(e) => Outcome::Error(e),
                },
            },
            Command::Peek { addr, width, count } => {
                let item = (addr, width, count);
                inspect::peek(&mut self.platform, &mut self.tx, seq, item);
                return Outcome::Redo;
            }
            Command::Poke { addr, width, value } => match self.poke(addr, width, value) {
                Ok(()) => Outcome::Ack,
                Err(e) => Outcome::Error(e),
            },
            Command::HeapStats => {
                let stats = self.machine.heap_stats();
                self.reply(seq, Reply::Heap(stats));
                return Outcome::Redo;
            }
            Command::Collect => {
                // Redone on a retry: a second collection is harmless.
                self.machine.collect();
                let stats = self.machine.heap_stats();
                self.reply(seq, Reply::Heap(stats));
                return Outcome::Redo;
            }
            Command::HeapCensus { .. } | Command::HeapWalk { .. } | Command::HeapLargest { .. } => {
                let Some(heap) = self.machine.heap() else {
                    self.reply(seq, Reply::Error(DeviceError::BadRequest));
                    return Outcome::Redo;
                };
                let (platform, tx) = (&mut self.platform, &mut self.tx);
                inspect::heap_request(platform, tx, seq, &cmd, heap);
                return Outcome::Redo;
            }
            cmd => match self.store_command(seq, cmd) {
                Some(outcome) => outcome,
                None => return Outcome::Redo,
            },
        };
        self.send_outcome(seq, outcome);
        outcome
    }

    /// Sends the reply an outcome stands for.
    fn send_outcome(&mut self, seq: u16, outcome: Outcome) {
        let reply = match outcome {
            Outcome::Redo | Outcome::Ack => Reply::Ack,
            Outcome::Loaded(hash) => Reply::Loaded { hash },
            Outcome::Done(outputs) => Reply::Done { outputs },
            Outcome::Error(e) => Reply::Error(e),
            Outcome::Raised(outputs) => return self.send_raised(seq, outputs),
        };
        self.reply(seq, reply);
    }

    /// Sends the manifest.
    fn send_hello(&mut self, seq: u16) {
        let capacity = self.store.capacity(&mut self.platform);
        let m = manifest::manifest(&self.platform, &self.machine, &self.store, capacity);
        self.reply(seq, Reply::Hello(m));
    }

    /// Sends native module `index`; `TooLarge` for a port's module that
    /// does not fit a frame.
    fn send_native(&mut self, seq: u16, index: u8) {
        let reply = match manifest::native_module(&self.platform, index) {
            Some(m) => Reply::Native(m.clone()),
            None => Reply::Error(DeviceError::BadRequest),
        };
        if self
            .tx
            .send(&mut self.platform, &Response { seq, reply })
            .is_err()
        {
            self.reply(seq, Reply::Error(DeviceError::TooLarge));
        }
    }

    /// Drops the VM's state as a fresh boot would (the store stays).
    fn reset(&mut self) {
        self.machine.reset();
        // Nothing executes in place any more.
        self.store.unpin_all();
        self.transfer = 0;
    }

    fn poke(&mut self, addr: u32, width: Width, value: u32) -> Result<(), DeviceError> {
        access::check(self.platform.memory_map(), addr, width, 1, true)?;
        let value = access::truncate(value, width);
        if self.platform.mem_write(addr, width, value) {
            Ok(())
        } else {
            Err(DeviceError::BadAddress)
        }
    }

    /// Runs a program to its end, serving the link meanwhile, then sends the
    /// final reply and remembers it.
    ///
    /// A retry of the remembered `Run` never gets here: [`Link::on_frame`]
    /// re-sends its reply (`Error(Duplicate)` from [`Link::send_raised`]
    /// if the exception report is gone).
    fn run(&mut self, run: PendingRun, rx: &mut Rx) {
        let ran = self.run_image(run.hash, run.seq, rx);
        let outcome = match ran.result {
            Ok(RunOutcome::Done) => Outcome::Done(ran.outputs),
            Ok(RunOutcome::Raised) => Outcome::Raised(ran.outputs),
            Err(e) => Outcome::Error(e),
        };
        // A rebooting device ends no run: the host hears `Boot` instead,
        // as from a chip that reset.
        if ran.restart != Some(true) {
            self.send_outcome(run.seq, outcome);
        }
        self.memo = Memo {
            seq: run.seq,
            crc: run.crc,
            outcome,
        };
        self.reset_after(&ran);
    }

    /// Carries out a `Reset` that stopped a run, now that the run's final
    /// reply is out, and remembers it (a retry is acknowledged without a
    /// second reset); then the program's own `machine.soft_reset()` (the
    /// VM's state dropped) or `machine.reset()` on a port whose chip did
    /// not reset (dropped too, and `Boot` announced as after a power-up).
    fn reset_after(&mut self, ran: &Ran) {
        if let Some(memo) = ran.reset {
            self.reset();
            self.send_outcome(memo.seq, memo.outcome);
            self.memo = memo;
        }
        if let Some(hard) = ran.restart {
            self.reset();
            if hard {
                self.platform.write(&[0]);
                self.tx.reply(&mut self.platform, 0, Reply::Boot);
            }
        }
    }

    /// Runs image `hash` with the link serving meanwhile: output frames
    /// carry `seq`. Does not send the final reply, nor carry out a `Reset`
    /// that stopped the run ([`Link::reset_after`]).
    fn run_image(&mut self, hash: u32, seq: u16, rx: &mut Rx) -> Ran {
        let mut host = RunHost {
            platform: &mut self.platform,
            tx: &mut self.tx,
            rx,
            seq,
            interrupt_seq: None,
            collect_seq: None,
            interrupt_pending: false,
            stop: false,
            reset: None,
            restart: None,
            outputs: 0,
            out: [0; OUTPUT_CHUNK],
            out_len: 0,
            store: &mut self.store,
        };
        let result = self.machine.run(hash, &mut host);
        host.flush();
        let (outputs, reset, restart) = (host.outputs, host.reset, host.restart);
        // A machine that was asked to collect but ended first still owes
        // the `Collect` its answer.
        if let Some(seq) = host.collect_seq.take() {
            self.machine.collect();
            let stats = self.machine.heap_stats();
            self.reply(seq, Reply::Heap(stats));
        }
        Ran {
            result,
            outputs,
            reset,
            restart,
        }
    }

    /// Sends `Raised` from the machine's exception report, trimmed to fit one
    /// frame: long tracebacks keep their ends, an overlong detail is cut.
    fn send_raised(&mut self, seq: u16, outputs: u16) {
        let Some(report) = self.machine.exception_report() else {
            // The machine said "raised" but kept no report: say so plainly.
            return self.tx.reply(
                &mut self.platform,
                seq,
                Reply::Error(DeviceError::Duplicate),
            );
        };
        // The entries into a stack copy (the report packs them): all of
        // them, or the outermost TRACE_HEAD and the innermost rest.
        let tb = report.traceback.0;
        let n = tb.len();
        let shown = n.min(TRACE_MAX);
        let elided = n - shown;
        let kept: [TraceEntry; TRACE_MAX] = core::array::from_fn(|i| {
            let at = if i < TRACE_HEAD { i } else { i + elided };
            Traceback::unpack(tb.get(at).copied().unwrap_or_default())
        });
        let entries = kept.get(..shown).unwrap_or(&[]);
        let elided = (report.elided as usize + elided).min(u16::MAX as usize) as u16;
        // Shrink until it fits: halve the detail, then drop the traceback,
        // then cut the type name. Every step is at a character boundary.
        let (mut exc_type, mut detail, mut entries) = (report.exc_type, report.detail, entries);
        loop {
            let raised = Raised {
                exc_type,
                msg: report.msg,
                detail,
                traceback: Seq::Slice(entries),
                elided,
                outputs,
            };
            let msg = Response {
                seq,
                reply: Reply::Raised(raised),
            };
            if self.tx.send(&mut self.platform, &msg).is_ok() {
                return;
            }
            if !detail.is_empty() {
                detail = halve(detail);
            } else if !entries.is_empty() {
                entries = &[];
            } else if !exc_type.is_empty() {
                exc_type = halve(exc_type);
            } else {
                return;
            }
        }
    }
}

/// The first half of `s`, cut at a character boundary.
fn halve(s: &str) -> &str {
    let mut cut = s.len() / 2;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.get(..cut).unwrap_or_default()
}
