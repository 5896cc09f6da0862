//! Link tests over a fake platform (byte queues, a small memory map) and a
//! fake machine (scripted runs): every request kind, framing damage,
//! interrupts and busy replies during a run, and idempotent retries.

use super::*;
use crate::heap::Heap;
use crate::machine::{ExceptionReport, Host, Poll, Traceback};
use crate::platform::{self, Region};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::frame::{self, encode_vec};
use p14p_protocol::msg::{HeapStats, Manifest, NativeFunction, NativeModule};
use std::collections::VecDeque;
use std::string::String;
use std::vec;
use std::vec::Vec;

/// A platform whose link is two byte queues. `read` hands out at most
/// `chunk` bytes per call, so a test can make frames arrive in pieces.
struct FakePlatform {
    input: VecDeque<u8>,
    output: Vec<u8>,
    chunk: usize,
    ram: [u8; 16],
    idles: usize,
}

static PORT_MODULES: &[NativeModule<'static>] = &[NativeModule {
    name: "led",
    functions: Seq::Slice(&[NativeFunction {
        name: "on",
        min_args: 0,
        max_args: 0,
        args: 0,
    }]),
}];

impl FakePlatform {
    fn new() -> Self {
        FakePlatform {
            input: VecDeque::new(),
            output: Vec::new(),
            chunk: usize::MAX,
            ram: [0; 16],
            idles: 0,
        }
    }
}

const RAM: u32 = 0x2000_0000;
const ROM: u32 = 0x0800_0000;

impl platform::Link for FakePlatform {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.chunk).min(self.input.len());
        for b in buf.iter_mut().take(n) {
            *b = self.input.pop_front().unwrap();
        }
        n
    }
    fn write(&mut self, bytes: &[u8]) {
        self.output.extend_from_slice(bytes);
    }
    fn idle(&mut self) {
        self.idles += 1;
    }
}

impl platform::Clock for FakePlatform {
    /// Time passes a millisecond per idle call.
    fn ticks_ms(&mut self) -> u32 {
        42 + self.idles as u32
    }
}

impl platform::MemoryMap for FakePlatform {
    fn board(&self) -> &'static str {
        "fake"
    }
    fn memory_map(&self) -> &[Region] {
        &[
            Region {
                start: RAM,
                len: 16,
                writable: true,
                name: "RAM",
            },
            Region {
                start: ROM,
                len: 4,
                writable: false,
                name: "ROM",
            },
        ]
    }
    fn mem_read(&mut self, addr: u32, width: Width) -> Option<u32> {
        if addr == ROM {
            return Some(0x1450_0001);
        }
        let at = (addr - RAM) as usize;
        let mut b = [0u8; 4];
        b[..width.bytes() as usize].copy_from_slice(&self.ram[at..at + width.bytes() as usize]);
        Some(u32::from_le_bytes(b))
    }
    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> bool {
        let at = (addr - RAM) as usize;
        let n = width.bytes() as usize;
        self.ram[at..at + n].copy_from_slice(&value.to_le_bytes()[..n]);
        true
    }
}

/// No flash: the link must work without a store.
impl platform::Flash for FakePlatform {}

/// No pins.
impl platform::Gpio for FakePlatform {}
impl platform::I2c for FakePlatform {}
impl platform::Spi for FakePlatform {}
impl platform::Uart for FakePlatform {}

impl platform::NativeModules for FakePlatform {
    fn native_modules(&self) -> &'static [NativeModule<'static>] {
        PORT_MODULES
    }
}

/// Scripted runs, by image hash.
const PRINTS: u32 = 1;
const SPINS: u32 = 2;
const RAISES_DEEP: u32 = 3;
const POKES: u32 = 4;
/// Spins like `SPINS`, polling with its heap lent (as the VM does), and
/// collects when the link asks.
const SPINS_WITH_HEAP: u32 = 5;
/// Asks the host for a message text, prints it (or `none`), then whether
/// an interrupt is pending.
const EXPANDS: u32 = 6;
/// Spins and catches every interrupt, as `except BaseException: pass` in
/// a loop does, until the host insists ([`Host::stopping`]).
const CATCHES_ALL: u32 = 8;

/// A machine that stores one image in a `Vec` and runs scripts.
#[derive(Default)]
struct FakeMachine {
    /// A small heap for the runs that lend one.
    heap: Option<Heap<'static>>,
    image: Vec<u8>,
    loading: Option<(u32, u32)>,
    loaded: Vec<u32>,
    runs: usize,
    /// Interrupts a run caught.
    caught: usize,
    resets: usize,
    collects: usize,
    raised: bool,
    traceback: Vec<[u32; 2]>,
}

impl Machine for FakeMachine {
    fn reset(&mut self) {
        self.resets += 1;
        self.loaded.clear();
    }
    fn image_begin(&mut self, len: u32, hash: u32, _name: Option<&str>) -> Result<(), DeviceError> {
        if len > 1000 {
            return Err(DeviceError::TooLarge);
        }
        self.image = vec![0; len as usize];
        self.loading = Some((len, hash));
        Ok(())
    }
    fn image_write(&mut self, offset: u32, data: &[u8]) -> Result<(), DeviceError> {
        let at = offset as usize;
        self.image[at..at + data.len()].copy_from_slice(data);
        Ok(())
    }
    fn image_end(&mut self) -> Result<u32, DeviceError> {
        let (_, hash) = self.loading.take().ok_or(DeviceError::NoTransfer)?;
        if p14p_protocol::image::fnv1a(&self.image) != hash {
            return Err(DeviceError::HashMismatch);
        }
        self.loaded.push(hash);
        Ok(hash)
    }
    fn run(&mut self, hash: u32, host: &mut dyn Host) -> Result<RunOutcome, DeviceError> {
        self.runs += 1;
        self.raised = false;
        match hash {
            PRINTS => {
                host.output(b"hello\n");
                host.output(&[b'x'; 500]);
                host.output(b"!");
                Ok(RunOutcome::Done)
            }
            SPINS => {
                for i in 0..10_000 {
                    if i % 1000 == 0 {
                        host.output(b"tick\n");
                    }
                    if host.poll_interrupt() {
                        self.raised = true;
                        self.traceback = vec![Traceback::pack(TraceEntry {
                            image: SPINS,
                            code: 0,
                            pc: 7,
                        })];
                        return Ok(RunOutcome::Raised);
                    }
                }
                Ok(RunOutcome::Done)
            }
            CATCHES_ALL => loop {
                if host.poll_interrupt() {
                    if host.stopping() {
                        self.raised = true;
                        self.traceback = vec![];
                        return Ok(RunOutcome::Raised);
                    }
                    self.caught += 1;
                }
            },
            EXPANDS => {
                let mut text = [0u8; 40];
                match host.expand(ErrMsg::NameNotDefined, b"x", &mut text) {
                    Some(n) => host.output(&text[..n]),
                    None => host.output(b"none"),
                }
                if host.poll_interrupt() {
                    host.output(b" interrupted");
                }
                Ok(RunOutcome::Done)
            }
            RAISES_DEEP => {
                self.raised = true;
                self.traceback = (0..40)
                    .map(|i| {
                        Traceback::pack(TraceEntry {
                            image: RAISES_DEEP,
                            code: i,
                            pc: i * 2,
                        })
                    })
                    .collect();
                Ok(RunOutcome::Raised)
            }
            SPINS_WITH_HEAP => {
                let heap = self
                    .heap
                    .get_or_insert_with(|| Heap::new(vec![0; 64].leak()));
                for i in 0..10_000 {
                    if i % 1000 == 0 {
                        host.output(b"tick\n");
                    }
                    match host.poll_with_heap(heap) {
                        Poll::Continue => {}
                        Poll::Interrupt => return Ok(RunOutcome::Done),
                        Poll::Collect => {
                            self.collects += 1;
                            heap.gc_runs += 1;
                            heap.gc_us += 7;
                            host.collected(heap);
                        }
                    }
                }
                Ok(RunOutcome::Done)
            }
            POKES => {
                host.mem_write(RAM + 4, Width::U16, 0xBEEF)?;
                let v = host.mem_read(RAM + 4, Width::U32)?;
                let bad = host.mem_read(RAM + 1, Width::U16);
                host.output(std::format!("{v:#x} {bad:?}\n").as_bytes());
                Ok(RunOutcome::Done)
            }
            _ => Err(DeviceError::NoSuchImage),
        }
    }
    fn exception_report(&self) -> Option<ExceptionReport<'_>> {
        self.raised.then(|| ExceptionReport {
            exc_type: if self.traceback.len() > 1 {
                "ZeroDivisionError"
            } else {
                "KeyboardInterrupt"
            },
            msg: ErrMsg::Custom,
            detail: "déjà vu",
            traceback: Traceback(&self.traceback),
            elided: 0,
        })
    }
    fn heap_stats(&self) -> HeapStats {
        HeapStats {
            total: 4096,
            gc_runs: self.collects as u32,
            ..Default::default()
        }
    }
    fn collect(&mut self) {
        self.collects += 1;
    }
    fn heap_bytes(&self) -> u32 {
        4096
    }
    fn recursion_limit(&self) -> u16 {
        64
    }
    fn features(&self) -> u32 {
        version::feature::FLOAT64
    }
}

type Dev = Device<FakePlatform, FakeMachine>;

fn device() -> Dev {
    let mut d = Device::new(FakePlatform::new(), FakeMachine::default());
    let boot = take_replies(&mut d);
    assert_eq!(boot, [(0, String::from("Boot"))]);
    d
}

fn frame_of(seq: u16, cmd: Command<'_>) -> Vec<u8> {
    encode_vec(&Request { seq, cmd }).unwrap()
}

/// Decodes everything the device wrote so far into `(seq, reply)` with the
/// reply in `Debug` form (replies borrow their frame).
fn take_replies(d: &mut Dev) -> Vec<(u16, String)> {
    let bytes = std::mem::take(&mut d.platform_mut().output);
    let mut dec = frame::FrameDecoder::<MAX_FRAME>::new();
    let mut got = Vec::new();
    for b in bytes {
        match dec.push(b) {
            Feed::Frame(p) => {
                let r: Response = frame::decode(p).expect("device sent a valid Response");
                got.push((r.seq, std::format!("{:?}", r.reply)));
            }
            Feed::Dropped(e) => panic!("device sent a bad frame: {e:?}"),
            Feed::Pending => {}
        }
    }
    got
}

/// Feeds bytes and polls until the device has consumed them all.
fn feed(d: &mut Dev, bytes: &[u8]) -> Vec<(u16, String)> {
    d.platform_mut().input.extend(bytes);
    while !d.platform().input.is_empty() {
        d.poll();
    }
    d.poll();
    take_replies(d)
}

fn ask(d: &mut Dev, seq: u16, cmd: Command<'_>) -> Vec<(u16, String)> {
    feed(d, &frame_of(seq, cmd))
}

fn one(seq: u16, reply: &str) -> Vec<(u16, String)> {
    vec![(seq, reply.into())]
}

#[test]
fn boot_then_handshake() {
    let mut d = device();
    let out = ask(
        &mut d,
        1,
        Command::Hello {
            protocol: version::PROTOCOL,
        },
    );
    assert_eq!(out.len(), 1);
    // Decode the manifest with the real types (the device wrote a twin).
    let f = encode_vec(&Request {
        seq: 1,
        cmd: Command::Hello {
            protocol: version::PROTOCOL,
        },
    })
    .unwrap();
    d.platform_mut().input.extend(&f);
    d.poll();
    let bytes = std::mem::take(&mut d.platform_mut().output);
    let mut dec = frame::FrameDecoder::<MAX_FRAME>::new();
    let mut checked = false;
    for b in bytes {
        if let Feed::Frame(p) = dec.push(b) {
            let r: Response = frame::decode(p).unwrap();
            let Reply::Hello(m) = r.reply else {
                panic!("not a Hello: {r:?}")
            };
            check_manifest(&m);
            checked = true;
        }
    }
    assert!(checked);
}

fn check_manifest(m: &Manifest<'_>) {
    assert_eq!(m.protocol, version::PROTOCOL);
    assert_eq!(m.image_format, version::IMAGE_FORMAT);
    assert_eq!(m.board, "fake");
    assert_eq!(m.heap_bytes, 4096);
    assert_eq!(m.max_frame as usize, MAX_FRAME);
    assert_eq!(m.window, WINDOW);
    assert_eq!(m.recursion_limit, 64);
    assert_eq!(m.features, version::feature::FLOAT64);
    // The VM's six modules and the port's `led`, asked for one by one.
    assert_eq!(m.natives, 7);
    assert_eq!(usize::from(m.store_max_files), usize::from(u16::MAX));
    assert_eq!(usize::from(m.store_max_name), crate::store::MAX_NAME);
}

#[test]
fn native_modules_are_asked_for_one_by_one() {
    let mut d = device();
    let mut names = Vec::new();
    for index in 0..7u8 {
        let seq = 10 + u16::from(index);
        let out = ask(&mut d, seq, Command::Native { index });
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].0, seq);
        let name = out[0].1.split('"').nth(1).unwrap_or_default().to_string();
        assert!(out[0].1.starts_with("Native("), "{out:?}");
        names.push(name);
    }
    assert_eq!(names, ["machine", "gc", "time", "sys", "math", "os", "led"]);
    // The port's module with its function, as the port declared it.
    let out = ask(&mut d, 20, Command::Native { index: 6 });
    assert!(
        out[0].1.contains("name: \"on\", min_args: 0, max_args: 0"),
        "{out:?}"
    );
    assert_eq!(
        ask(&mut d, 21, Command::Native { index: 7 }),
        one(21, "Error(BadRequest)")
    );
}

#[test]
fn hello_with_another_protocol_is_refused() {
    let mut d = device();
    assert_eq!(
        ask(&mut d, 1, Command::Hello { protocol: 99 }),
        one(1, "Error(Version)")
    );
}

#[test]
fn ping_heap_and_collect() {
    let mut d = device();
    assert_eq!(ask(&mut d, 1, Command::Ping), one(1, "Ack"));
    assert!(ask(&mut d, 2, Command::HeapStats)[0]
        .1
        .contains("total: 4096"));
    assert!(ask(&mut d, 3, Command::Collect)[0].1.contains("gc_runs: 1"));
    assert_eq!(d.machine().collects, 1);
    assert_eq!(ask(&mut d, 4, Command::Reset), one(4, "Ack"));
    assert_eq!(d.machine().resets, 1);
    assert_eq!(ask(&mut d, 5, Command::Interrupt), one(5, "Ack"), "idle");
}

fn load(d: &mut Dev, first_seq: u16, image: &[u8], chunk: usize) -> Vec<(u16, String)> {
    let hash = p14p_protocol::image::fnv1a(image);
    let mut bytes = frame_of(
        first_seq,
        Command::LoadBegin {
            len: image.len() as u32,
            hash,
            name: Some("app"),
        },
    );
    let mut seq = first_seq;
    for (i, part) in image.chunks(chunk).enumerate() {
        seq += 1;
        bytes.extend(frame_of(
            seq,
            Command::LoadChunk {
                offset: (i * chunk) as u32,
                data: part,
            },
        ));
    }
    bytes.extend(frame_of(seq + 1, Command::LoadEnd));
    feed(d, &bytes)
}

#[test]
fn chunked_load() {
    let mut d = device();
    let image: Vec<u8> = (0..700u32).map(|i| (i * 7) as u8).collect();
    let hash = p14p_protocol::image::fnv1a(&image);
    d.platform_mut().chunk = 5; // frames arrive in pieces
    let out = load(&mut d, 10, &image, 200);
    let mut want: Vec<_> = (10..15).map(|s| (s, String::from("Ack"))).collect();
    want.push((15, std::format!("Loaded {{ hash: {hash} }}")));
    assert_eq!(out, want);
    assert_eq!(d.machine().image, image);
}

#[test]
fn chunks_are_checked_against_the_transfer() {
    let mut d = device();
    let chunk = |offset, data| Command::LoadChunk { offset, data };
    assert_eq!(
        ask(&mut d, 1, chunk(0, &[1, 2])),
        one(1, "Error(NoTransfer)")
    );
    assert_eq!(
        ask(&mut d, 2, Command::LoadEnd),
        one(2, "Error(NoTransfer)")
    );
    let begin = Command::LoadBegin {
        len: 4,
        hash: 0,
        name: None,
    };
    assert_eq!(ask(&mut d, 3, begin), one(3, "Ack"));
    assert_eq!(
        ask(&mut d, 4, chunk(3, &[1, 2])),
        one(4, "Error(ChunkRange)")
    );
    assert_eq!(
        ask(&mut d, 5, chunk(u32::MAX, &[1])),
        one(5, "Error(ChunkRange)"),
        "no overflow"
    );
    assert_eq!(ask(&mut d, 6, chunk(2, &[1, 2])), one(6, "Ack"));
    assert_eq!(
        ask(&mut d, 7, Command::LoadEnd),
        one(7, "Error(HashMismatch)")
    );
    let huge = Command::LoadBegin {
        len: 5000,
        hash: 0,
        name: None,
    };
    assert_eq!(ask(&mut d, 8, huge), one(8, "Error(TooLarge)"));
}

#[test]
fn run_streams_output_then_done() {
    let mut d = device();
    let out = ask(&mut d, 7, Command::Run { hash: PRINTS });
    let (last, outputs) = out.split_last().unwrap();
    let done = std::format!("Done {{ outputs: {} }}", outputs.len());
    assert_eq!(last, &(7, done), "the count of output frames");
    // Every output frame carries the Run's seq and its number; together
    // they are the output.
    let mut text = Vec::new();
    for (i, (seq, reply)) in outputs.iter().enumerate() {
        assert_eq!(*seq, 7);
        let inner = reply
            .strip_prefix(&std::format!("Output {{ n: {i}, bytes: "))
            .unwrap()
            .strip_suffix(" }")
            .unwrap();
        let bytes: Vec<u8> = inner
            .trim_matches(['[', ']'])
            .split(", ")
            .map(|b| b.parse().unwrap())
            .collect();
        assert!(bytes.len() <= OUTPUT_CHUNK);
        text.extend(bytes);
    }
    let mut want = b"hello\n".to_vec();
    want.extend([b'x'; 500]);
    want.push(b'!');
    assert_eq!(text, want);
    assert!(outputs.len() >= 4, "split at the newline and when full");
}

#[test]
fn run_of_an_unknown_image_is_an_error() {
    let mut d = device();
    assert_eq!(
        ask(&mut d, 3, Command::Run { hash: 999 }),
        one(3, "Error(NoSuchImage)")
    );
}

#[test]
fn interrupt_during_a_run_and_busy_for_anything_else() {
    for chunk in [3, usize::MAX] {
        let mut d = device();
        d.platform_mut().chunk = chunk;
        let mut bytes = frame_of(5, Command::Run { hash: SPINS });
        bytes.extend(frame_of(6, Command::LoadEnd)); // not read-only: Busy
        bytes.extend([0x55, 0x13, 0x00]); // line noise between frames
        bytes.extend(frame_of(7, Command::Interrupt));
        bytes.extend(frame_of(7, Command::Interrupt)); // a retry
        bytes.extend(frame_of(8, Command::Ping)); // after the run
        let out = feed(&mut d, &bytes);
        let replies: Vec<_> = out
            .iter()
            .filter(|(_, r)| !r.starts_with("Output"))
            .collect();
        assert_eq!(
            replies[0],
            &(6, String::from("Error(Busy)")),
            "chunk {chunk}"
        );
        assert_eq!(replies[1], &(7, String::from("Ack")));
        assert!(replies[2]
            .1
            .starts_with("Raised(Raised { exc_type: \"KeyboardInterrupt\""));
        assert_eq!(replies[2].0, 5);
        assert_eq!(replies[3], &(7, String::from("Ack")), "the retry, now idle");
        assert_eq!(replies[4], &(8, String::from("Ack")));
        assert_eq!(d.machine().runs, 1);
    }
}

#[test]
fn programs_use_the_checked_memory_map() {
    let mut d = device();
    let out = ask(&mut d, 1, Command::Run { hash: POKES });
    assert_eq!(out[0].0, 1);
    let text: String = out[0]
        .1
        .trim_start_matches("Output { n: 0, bytes: [")
        .trim_end_matches("] }")
        .split(", ")
        .map(|b| b.parse::<u8>().unwrap() as char)
        .collect();
    assert_eq!(text, "0xbeef Err(Unaligned)\n");
    assert_eq!(out[1], (1, String::from("Done { outputs: 1 }")));
}

#[test]
fn long_tracebacks_are_elided_to_fit_a_frame() {
    let mut d = device();
    let out = ask(&mut d, 2, Command::Run { hash: RAISES_DEEP });
    assert_eq!(out.len(), 1);
    let r = &out[0].1;
    assert!(r.contains("elided: 24"), "{r}");
    assert!(r.contains("code: 0,") && r.contains("code: 3,") && r.contains("code: 39,"));
    assert!(!r.contains("code: 4,") && !r.contains("code: 27,"));
    assert!(r.contains("code: 28,"));
}

#[test]
fn peek_and_poke() {
    let mut d = device();
    let poke = |addr, width, value| Command::Poke { addr, width, value };
    let peek = |addr, width, count| Command::Peek { addr, width, count };
    assert_eq!(
        ask(&mut d, 1, poke(RAM, Width::U32, 0x1122_3344)),
        one(1, "Ack")
    );
    assert_eq!(
        ask(&mut d, 2, poke(RAM + 5, Width::U8, 0x1FF)),
        one(2, "Ack")
    );
    assert_eq!(
        ask(&mut d, 3, peek(RAM, Width::U8, 6)),
        one(3, "Data([68, 51, 34, 17, 0, 255])")
    );
    assert_eq!(
        ask(&mut d, 4, peek(ROM, Width::U32, 1)),
        one(4, "Data([1, 0, 80, 20])")
    );
    assert_eq!(
        ask(&mut d, 5, poke(ROM, Width::U32, 0)),
        one(5, "Error(BadAddress)"),
        "read-only"
    );
    assert_eq!(
        ask(&mut d, 6, peek(0x3000_0000, Width::U8, 1)),
        one(6, "Error(BadAddress)")
    );
    assert_eq!(
        ask(&mut d, 7, peek(RAM + 12, Width::U32, 2)),
        one(7, "Error(BadAddress)"),
        "runs off the region"
    );
    assert_eq!(
        ask(&mut d, 8, peek(RAM + 2, Width::U32, 1)),
        one(8, "Error(Unaligned)")
    );
    assert_eq!(
        ask(&mut d, 9, peek(RAM, Width::U32, 65)),
        one(9, "Error(TooMany)")
    );
    assert_eq!(
        ask(&mut d, 10, peek(RAM, Width::U16, 0)),
        one(10, "Data([])")
    );
}

#[test]
fn garbage_and_corrupted_frames_are_dropped() {
    let mut d = device();
    let mut bytes = vec![0xFF, 0x01, 0x02, 0x00, 0x00, 0x42];
    let mut bad = frame_of(1, Command::Ping);
    bad[3] ^= 0x10; // CRC catches it: no reply, the host retries
    bytes.extend(&bad);
    bytes.extend([0x13; 400]); // longer than any frame
    bytes.extend(frame_of(2, Command::Ping));
    assert_eq!(feed(&mut d, &bytes), one(2, "Ack"));
    // An intact frame that is not a Request.
    let not_a_request = encode_vec(&(9u16, 200u8, 1u8)).unwrap();
    assert_eq!(feed(&mut d, &not_a_request), one(9, "Error(BadRequest)"));
    assert_eq!(ask(&mut d, 3, Command::Ping), one(3, "Ack"));
}

#[test]
fn a_retry_gets_the_same_reply_without_redoing_the_work() {
    let mut d = device();
    assert_eq!(ask(&mut d, 1, Command::Reset), one(1, "Ack"));
    assert_eq!(ask(&mut d, 1, Command::Reset), one(1, "Ack"));
    assert_eq!(d.machine().resets, 1);
    // Collecting twice is harmless: a retried Collect is simply redone.
    assert_eq!(ask(&mut d, 2, Command::Collect).len(), 1);
    assert_eq!(ask(&mut d, 2, Command::Collect).len(), 1);
    assert_eq!(d.machine().collects, 2);
    // A run's retry repeats the final reply, not the run.
    let first = ask(&mut d, 3, Command::Run { hash: RAISES_DEEP });
    let again = ask(&mut d, 3, Command::Run { hash: RAISES_DEEP });
    assert_eq!(first, again);
    assert_eq!(d.machine().runs, 1);
    // The same number with different content is a new request.
    assert_eq!(ask(&mut d, 3, Command::Reset), one(3, "Ack"));
    assert_eq!(d.machine().resets, 2);
    // A Raised outcome whose report is gone becomes Duplicate.
    let _ = ask(&mut d, 4, Command::Run { hash: RAISES_DEEP });
    d.machine_mut().raised = false;
    assert_eq!(
        ask(&mut d, 4, Command::Run { hash: RAISES_DEEP }),
        one(4, "Error(Duplicate)")
    );
    assert_eq!(d.machine().runs, 2);
}

#[test]
fn idle_when_nothing_arrives() {
    let mut d = device();
    d.poll();
    d.poll();
    assert_eq!(d.platform().idles, 2);
    assert!(take_replies(&mut d).is_empty());
}

#[test]
fn collect_during_a_run_happens_at_the_next_poll_and_the_run_goes_on() {
    for chunk in [3, usize::MAX] {
        let mut d = device();
        d.platform_mut().chunk = chunk;
        let mut bytes = frame_of(
            5,
            Command::Run {
                hash: SPINS_WITH_HEAP,
            },
        );
        bytes.extend(frame_of(6, Command::Collect));
        bytes.extend(frame_of(7, Command::HeapStats));
        let out = feed(&mut d, &bytes);
        let replies: Vec<_> = out
            .iter()
            .filter(|(_, r)| !r.starts_with("Output"))
            .collect();
        assert_eq!(replies.len(), 3, "{out:?}");
        assert_eq!(replies[0].0, 6, "chunk {chunk}");
        assert!(replies[0].1.contains("gc_runs: 1, gc_us: 7"), "{out:?}");
        assert_eq!(replies[1].0, 7);
        assert!(replies[1].1.contains("gc_runs: 1"), "{out:?}");
        assert_eq!(replies[2].0, 5);
        assert!(replies[2].1.starts_with("Done"), "the run went on: {out:?}");
        let ticks = out.iter().filter(|(s, _)| *s == 5).count() - 1;
        assert!(ticks >= 2, "output continued after the collection: {out:?}");
        assert_eq!(d.machine().collects, 1);
    }
}

#[test]
fn collect_during_a_run_without_a_lent_heap_is_busy() {
    let mut d = device();
    let mut bytes = frame_of(5, Command::Run { hash: SPINS });
    bytes.extend(frame_of(6, Command::Collect));
    bytes.extend(frame_of(7, Command::Interrupt));
    let out = feed(&mut d, &bytes);
    assert!(out.contains(&(6, String::from("Error(Busy)"))), "{out:?}");
    assert_eq!(d.machine().collects, 0);
}

#[test]
fn a_run_asks_the_host_for_a_message_text_and_waits_for_it() {
    let mut d = device();
    let mut bytes = frame_of(5, Command::Run { hash: EXPANDS });
    bytes.extend(frame_of(6, Command::Ping)); // answered while waiting
    bytes.extend(frame_of(7, Command::Interrupt)); // kept for the next poll
    let text = b"name 'x' is not defined, and more than the forty bytes it takes";
    bytes.extend(frame_of(8, Command::Expanded { text }));
    let out = feed(&mut d, &bytes);
    assert_eq!(
        out,
        [
            (
                5,
                "Expand { msg: NameNotDefined, detail: [120] }".to_string()
            ),
            (6, "Ack".to_string()),
            (7, "Ack".to_string()),
            (
                5,
                format!(
                    "Output {{ n: 0, bytes: {:?} }}",
                    b"name 'x' is not defined, and more than t interrupted"
                ),
            ),
            (5, "Done { outputs: 1 }".to_string()),
        ]
    );
}

#[test]
fn without_an_answer_the_run_makes_do_after_a_second() {
    let mut d = device();
    let out = ask(&mut d, 5, Command::Run { hash: EXPANDS });
    assert_eq!(out[0].1, "Expand { msg: NameNotDefined, detail: [120] }");
    assert_eq!(
        out[1],
        (5, format!("Output {{ n: 0, bytes: {:?} }}", b"none"))
    );
    assert_eq!(out[2], (5, "Done { outputs: 1 }".to_string()));
    assert!(d.platform().idles >= 1000, "waited a second, idling");
    // A late answer is dropped; the device serves on.
    let text = b"late";
    assert!(ask(&mut d, 6, Command::Expanded { text }).is_empty());
    assert_eq!(ask(&mut d, 7, Command::Ping), one(7, "Ack"));
}

#[test]
fn a_second_interrupt_stops_a_run_that_catches_everything() {
    let mut d = device();
    let mut bytes = frame_of(5, Command::Run { hash: CATCHES_ALL });
    bytes.extend(frame_of(6, Command::Interrupt));
    bytes.extend(frame_of(6, Command::Interrupt)); // a retry: not a second
    bytes.extend(frame_of(7, Command::Ping));
    bytes.extend(frame_of(8, Command::Interrupt)); // the second
    bytes.extend(frame_of(9, Command::Ping)); // after the run
    let out = feed(&mut d, &bytes);
    assert_eq!(
        out[..3],
        [one(6, "Ack"), one(6, "Ack"), one(7, "Ack")].concat()
    );
    assert_eq!(out[3], (8, String::from("Ack")));
    assert_eq!(out[4].0, 5);
    assert!(out[4]
        .1
        .starts_with("Raised(Raised { exc_type: \"KeyboardInterrupt\""));
    assert!(out[4].1.ends_with("outputs: 0 })"), "{out:?}");
    assert_eq!(out[5..], one(9, "Ack"));
    assert_eq!(d.machine().caught, 1, "the first interrupt was caught");
}

#[test]
fn a_reset_stops_a_run_then_resets_and_is_acknowledged() {
    let mut d = device();
    let mut bytes = frame_of(5, Command::Run { hash: CATCHES_ALL });
    bytes.extend(frame_of(6, Command::Reset));
    let out = feed(&mut d, &bytes);
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(out[0]
        .1
        .starts_with("Raised(Raised { exc_type: \"KeyboardInterrupt\""));
    assert_eq!((out[0].0, &out[1]), (5, &(6, String::from("Ack"))));
    assert_eq!(d.machine().resets, 1);
    // Its retry is answered without a second reset.
    assert_eq!(ask(&mut d, 6, Command::Reset), one(6, "Ack"));
    assert_eq!(d.machine().resets, 1);
}

#[test]
fn a_repeated_run_is_busy_while_it_runs_then_repeats_the_end() {
    let mut d = device();
    let mut bytes = frame_of(5, Command::Run { hash: CATCHES_ALL });
    bytes.extend(frame_of(5, Command::Run { hash: CATCHES_ALL })); // "still running?"
    bytes.extend(frame_of(6, Command::Interrupt));
    bytes.extend(frame_of(7, Command::Interrupt));
    let out = feed(&mut d, &bytes);
    assert_eq!(out[0], (5, String::from("Error(Busy)")));
    let end = out.last().unwrap().clone();
    assert!(end.1.starts_with("Raised"), "{out:?}");
    // The final reply was lost: asking again gets it, also after requests
    // without side effects, and the program does not run again.
    let asked = |d: &mut Dev| ask(d, 5, Command::Run { hash: CATCHES_ALL });
    assert_eq!(asked(&mut d), std::slice::from_ref(&end));
    assert_eq!(ask(&mut d, 8, Command::Ping), one(8, "Ack"));
    assert_eq!(ask(&mut d, 9, Command::Interrupt), one(9, "Ack"));
    assert!(ask(&mut d, 10, Command::HeapStats)[0].1.starts_with("Heap"));
    assert_eq!(asked(&mut d), [end]);
    assert_eq!(d.machine().runs, 1);
}

#[test]
fn a_new_session_is_never_taken_for_a_retry() {
    let mut d = device();
    let hello = || Command::Hello {
        protocol: version::PROTOCOL,
    };
    let run = || Command::Run { hash: PRINTS };
    assert_eq!(ask(&mut d, 1, hello()).len(), 1);
    let first = ask(&mut d, 2, run());
    // The next session numbers its requests the same way.
    assert_eq!(ask(&mut d, 1, hello()).len(), 1);
    assert_eq!(ask(&mut d, 2, run()), first);
    assert_eq!(d.machine().runs, 2, "a new run, not a repeated end");
}
