//! The Pico firmware in the rp2040js emulator, end to end through its own
//! USB stack: `emu/bridge.mjs` runs the UF2 and serves the emulated USB CDC
//! on a TCP port; these tests talk the p14p protocol over it. Handshake,
//! the chip's boot ROM, peek/poke of the LED's GPIO through SIO, the USER
//! RAM and the map's refusals, images verified on the Cortex-M0+, the
//! TIMER, a receive burst far past any buffer (USB flow control), Ctrl-C
//! stopping `while True: pass`, closing and reopening the port (mid-output
//! too), and the throughput of a 64 KiB transfer.
//!
//! Needs node (with `npm ci` run in ports/pico/emu), the release firmware
//! and the boot ROM (`scripts/firmware.sh test --board pico`).

use p14p_cortex_m_hosttest::check::{image, load, peek, peek32, poke};
use p14p_cortex_m_hosttest::{symbol_address, Client};
use p14p_pico_hosttest::uf2;
use p14p_protocol::frame::{self, max_frame_len};
use p14p_protocol::image::Image;
use p14p_protocol::msg::{Command, DeviceError, ImageError, Reply, Request, Width};
use p14p_protocol::opcode::Op;
use p14p_protocol::version;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The boot ROM's magic at 0x10: 'M', 'u', 0x01, then its version (B1: 2).
const ROM_MAGIC: u32 = 0x10;
/// SRAM5: the USER window.
const USER: u32 = 0x2004_1000;
const USER_LEN: u32 = 4096;
/// IO_BANK0 GPIO25_CTRL: FUNCSEL 5 gives the pin to SIO.
const GPIO25_CTRL: u32 = 0x4001_40CC;
/// SIO's GPIO output, its set/clear aliases, and output enable set.
const GPIO_OUT: u32 = 0xD000_0010;
const GPIO_OUT_SET: u32 = 0xD000_0014;
const GPIO_OUT_CLR: u32 = 0xD000_0018;
const GPIO_OE: u32 = 0xD000_0020;
const GPIO_OE_SET: u32 = 0xD000_0024;
/// The onboard LED's pin.
const LED: u32 = 1 << 25;
/// TIMER's raw low word (µs).
const TIMERAWL: u32 = 0x4005_4028;
/// A SIO spinlock: a read claims it, so the map leaves it out.
const SPINLOCK0: u32 = 0xD000_0100;

/// The ELF (symbols) and the UF2 the bridge runs.
fn firmware() -> (PathBuf, PathBuf) {
    let elf = match std::env::var_os("P14P_FIRMWARE") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/thumbv6m-none-eabi/release/p14p-pico"),
    };
    let mut uf2 = elf.clone().into_os_string();
    uf2.push(".uf2");
    (elf, PathBuf::from(uf2))
}

/// A running bridge, killed on drop.
struct Emu {
    child: Child,
    port: u16,
}

impl Emu {
    /// Starts `node emu/bridge.mjs` on the firmware's UF2, on a free port.
    fn start() -> Emu {
        Emu::start_with(&[])
    }

    /// [`Emu::start`] with more bridge options.
    fn start_with(options: &[&str]) -> Emu {
        let (_, uf2) = firmware();
        assert!(
            uf2.is_file(),
            "no firmware at {} (scripts/firmware.sh build --board pico)",
            uf2.display()
        );
        let bridge = Path::new(env!("CARGO_MANIFEST_DIR")).join("../emu/bridge.mjs");
        let mut child = Process::new("node")
            .arg(bridge)
            .arg(&uf2)
            .args(["--port", "0", "--stats"])
            .args(options)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node (apt-get install nodejs npm; npm ci in ports/pico/emu)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the bridge's first line");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("bridge said {line:?}"));
        Emu { child, port }
    }

    /// Opens the port (DTR rises) and waits until the device answers.
    fn connect(&self) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        stream.set_nodelay(true).expect("nodelay");
        let mut c = Client::over(stream);
        // Enumeration and the device's boot take a moment of emulated time.
        let start = Instant::now();
        loop {
            match c.call(Command::Ping, |r| *r == Reply::Ack) {
                Ok(true) => return c,
                _ if start.elapsed() > Duration::from_secs(60) => panic!("no answer over USB"),
                _ => {}
            }
        }
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        // SIGTERM: the bridge prints its instruction rate on the way out.
        let _ = Process::new("kill")
            .arg(self.child.id().to_string())
            .status();
        if self.child.wait().is_err() {
            let _ = self.child.kill();
        }
    }
}

/// The `heap N` line of the footprint budget.
fn heap_floor() -> u32 {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../footprint-budget.txt");
    let text = std::fs::read_to_string(&path).expect("the footprint budget");
    text.lines()
        .find_map(|l| l.strip_prefix("heap ")?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `heap N` line in {}", path.display()))
}

#[test]
fn uf2_holds_the_elf_flash_image() {
    let (elf, uf2_path) = firmware();
    let blocks = std::fs::read(&uf2_path).expect("the .uf2");
    let image = uf2::to_image(&blocks, 0x1000_0000).expect("well-formed UF2");
    let mut bin = elf.into_os_string();
    bin.push(".bin");
    assert_eq!(image.len().div_ceil(256), blocks.len() / uf2::BLOCK);
    let flat = std::fs::read(PathBuf::from(bin)).expect("the .bin");
    assert_eq!(&image[..flat.len()], &flat[..], "the UF2 carries the image");
    // The boot ROM runs the first 256 bytes (boot2) only if its CRC holds:
    // that rp2040js boots it is checked by every test below.
    assert_eq!(blocks.len() % uf2::BLOCK, 0);
}

#[test]
fn firmware_serves_the_protocol_over_usb() {
    let emu = Emu::start();
    let mut c = emu.connect();
    let (board, heap, proto, features) = c
        .call(
            Command::Hello {
                protocol: version::PROTOCOL,
            },
            |r| match r {
                Reply::Hello(m) => (m.board.to_string(), m.heap_bytes, m.protocol, m.features),
                other => panic!("Hello: unexpected {other:?}"),
            },
        )
        .expect("Hello reply");
    assert_eq!(board, "pico");
    // The flash chip's unique id, read at boot with XIP off (the bridge
    // answers READ_UNIQUE_ID with these bytes).
    let uid = symbol_address(&firmware().0, "UNIQUE_ID").expect("UNIQUE_ID in the ELF");
    assert_eq!(
        peek(&mut c, uid, Width::U8, 8),
        Ok(vec![0xE6, 0x60, 0x58, 0x38, 0x83, 0x1C, 0x22, 0x2A])
    );
    assert_eq!(proto, version::PROTOCOL);
    println!("manifest: {heap} bytes of heap");
    let floor = heap_floor();
    assert!(
        heap >= floor,
        "heap {heap} under the budget's floor {floor}"
    );
    let language = version::feature::FLOAT32 | version::feature::BIGINT | version::feature::BYTES;
    assert_eq!(features & language, language, "features {features:#x}");

    // The chip's boot ROM: its magic and version.
    assert_eq!(
        peek(&mut c, ROM_MAGIC, Width::U8, 4),
        Ok(vec![b'M', b'u', 1, 2])
    );

    // The LED: GPIO25 to SIO, an output, then on and off through SIO's
    // set and clear aliases.
    assert_eq!(poke(&mut c, GPIO25_CTRL, Width::U32, 5), Ok(()));
    assert_eq!(peek32(&mut c, GPIO25_CTRL).map(|v| v & 0x1F), Ok(5));
    assert_eq!(poke(&mut c, GPIO_OE_SET, Width::U32, LED), Ok(()));
    assert_eq!(peek32(&mut c, GPIO_OE).map(|v| v & LED), Ok(LED));
    assert_eq!(poke(&mut c, GPIO_OUT_SET, Width::U32, LED), Ok(()));
    assert_eq!(peek32(&mut c, GPIO_OUT).map(|v| v & LED), Ok(LED), "LED on");
    assert_eq!(poke(&mut c, GPIO_OUT_CLR, Width::U32, LED), Ok(()));
    assert_eq!(peek32(&mut c, GPIO_OUT).map(|v| v & LED), Ok(0), "LED off");

    // USER RAM keeps what is poked, at every width.
    assert_eq!(poke(&mut c, USER, Width::U32, 0xDEAD_BEEF), Ok(()));
    assert_eq!(poke(&mut c, USER + 1, Width::U8, 0x1234), Ok(()));
    assert_eq!(poke(&mut c, USER + 2, Width::U16, 0x5678), Ok(()));
    assert_eq!(peek32(&mut c, USER), Ok(0x5678_34EF));
    assert_eq!(poke(&mut c, USER + USER_LEN - 4, Width::U32, 7), Ok(()));

    // Refusals: outside the map, past USER, firmware RAM, the TIMER, a
    // narrow register write, a spinlock (a read would claim it).
    assert_eq!(peek32(&mut c, 0x6000_0000), Err(DeviceError::BadAddress));
    assert_eq!(
        poke(&mut c, USER + USER_LEN, Width::U32, 0),
        Err(DeviceError::BadAddress)
    );
    assert_eq!(
        poke(&mut c, 0x2000_8000, Width::U32, 0),
        Err(DeviceError::BadAddress)
    );
    assert_eq!(
        poke(&mut c, TIMERAWL, Width::U32, 0),
        Err(DeviceError::BadAddress)
    );
    assert_eq!(
        poke(&mut c, GPIO_OUT_SET, Width::U8, 1),
        Err(DeviceError::BadAddress)
    );
    assert_eq!(peek32(&mut c, SPINLOCK0), Err(DeviceError::BadAddress));
}

#[test]
fn images_are_verified_and_the_timer_runs() {
    let emu = Emu::start();
    let mut c = emu.connect();
    let good = image(vec![Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8]);
    let hash = Image::parse(&good).unwrap().hash();
    assert_eq!(load(&mut c, &good), Reply::Loaded { hash });
    let bad = image(vec![Op::LOAD_NONE as u8]);
    assert_eq!(
        load(&mut c, &bad),
        Reply::Error(DeviceError::BadImage(ImageError::FallsOff { code: 0 })),
    );

    // Only that the TIMER counts: no rate is asserted (emulated time).
    let t0 = peek32(&mut c, TIMERAWL).expect("timer");
    thread::sleep(Duration::from_millis(100));
    let t1 = peek32(&mut c, TIMERAWL).expect("timer");
    assert!(t1 != t0, "the TIMER counts: {t0} then {t1}");
}

/// A Ping frame with sequence number `seq`.
fn ping(seq: u16) -> Vec<u8> {
    frame::encode_vec(&Request {
        seq,
        cmd: Command::Ping,
    })
    .expect("frame")
}

#[test]
fn a_burst_far_past_every_buffer_loses_nothing() {
    // 8 KiB of Pings in one write: sixty-four times the UART ports'
    // receive ring. Over USB the device reads a packet when it has room, and the
    // host's next packets wait (NAK): nothing can be dropped.
    let emu = Emu::start();
    let mut c = emu.connect();
    let count = (8192 / ping(1000).len()) as u16;
    let seqs = 1000..1000 + count;
    let frames: Vec<u8> = seqs.clone().flat_map(ping).collect();
    c.send_raw(&frames).expect("burst");
    for seq in seqs {
        assert!(
            c.wait_for(seq, |r| *r == Reply::Ack).expect("reply"),
            "seq {seq}"
        );
    }
}

/// `while True: pass` as module code: a jump to itself (its narrow form,
/// the one encoding of a target that fits a byte).
fn spin() -> Vec<u8> {
    image(vec![Op::JUMP as u8 | p14p_protocol::opcode::NARROW, 0])
}

#[test]
fn interrupt_stops_while_true_pass() {
    let emu = Emu::start();
    let mut c = emu.connect();
    let img = spin();
    let hash = Image::parse(&img).unwrap().hash();
    assert_eq!(load(&mut c, &img), Reply::Loaded { hash });
    let run = frame::encode_vec(&Request {
        seq: 500,
        cmd: Command::Run { hash },
    })
    .expect("frame");
    c.send_raw(&run).expect("run");
    thread::sleep(Duration::from_millis(300));
    // Still running: anything but the read-only requests is Busy.
    assert!(c.call(Command::Ping, |r| *r == Reply::Ack).expect("ping"));
    assert!(c
        .call(Command::Interrupt, |r| *r == Reply::Ack)
        .expect("interrupt ack"));
    let exc = c
        .wait_for(500, |r| match r {
            Reply::Raised(r) => r.exc_type.to_string(),
            other => panic!("run: unexpected {other:?}"),
        })
        .expect("the run's reply");
    assert_eq!(exc, "KeyboardInterrupt");
    assert!(c.call(Command::Ping, |r| *r == Reply::Ack).expect("ping"));
}

#[test]
fn closing_and_reopening_the_port_keeps_the_device() {
    let emu = Emu::start();
    let mut c = emu.connect();
    let img = spin();
    let hash = Image::parse(&img).unwrap().hash();
    assert_eq!(load(&mut c, &img), Reply::Loaded { hash });
    drop(c);
    for round in 0..3u16 {
        // Reopened (DTR rises again): the device answers as before.
        let mut c = emu.connect();
        assert_eq!(
            peek(&mut c, ROM_MAGIC, Width::U8, 2),
            Ok(vec![b'M', b'u']),
            "round {round}"
        );
        // Start a program, then close the port under it.
        let run = frame::encode_vec(&Request {
            seq: 600 + round,
            cmd: Command::Run { hash },
        })
        .expect("frame");
        c.send_raw(&run).expect("run");
        thread::sleep(Duration::from_millis(200));
        drop(c);
        // Reopened while it runs: a host stops it as `p14p` does (its
        // final reply comes on the new connection), and talks on.
        let mut c = emu.connect();
        assert!(c
            .call(Command::Interrupt, |r| *r == Reply::Ack)
            .expect("interrupt"));
        let exc = c
            .wait_for(600 + round, |r| match r {
                Reply::Raised(r) => r.exc_type.to_string(),
                other => panic!("run: unexpected {other:?}"),
            })
            .expect("the run's reply, on the new connection");
        assert_eq!(exc, "KeyboardInterrupt", "round {round}");
    }
}

#[test]
fn a_host_that_never_raises_dtr_is_answered_once_it_talks() {
    // Some hosts open the port without DTR: the first bytes they send show
    // they are there (usb.rs's `heard`), and the device answers them.
    let emu = Emu::start_with(&["--no-dtr"]);
    let mut c = emu.connect();
    assert_eq!(peek(&mut c, ROM_MAGIC, Width::U8, 2), Ok(vec![b'M', b'u']));
    drop(c);
    let mut c = emu.connect();
    assert!(c.call(Command::Ping, |r| *r == Reply::Ack).expect("ping"));
}

#[test]
fn transfer_of_64_kib_and_its_throughput() {
    // The store comes with the port's next stage: the 64 KiB go as an
    // image load (LoadChunk frames, the window the manifest announces),
    // the same frames and flow control a push uses.
    let emu = Emu::start();
    let mut c = emu.connect();
    let max_frame = 300usize;
    let mut chunk = max_frame - 12;
    while max_frame_len(chunk + 12) > max_frame {
        chunk -= 1;
    }
    let data: Vec<u8> = (0..65536u32).map(|i| (i * 31 + 7) as u8).collect();
    let begin = Command::LoadBegin {
        len: data.len() as u32,
        hash: 0,
        name: None,
    };
    assert!(c.call(begin, |r| *r == Reply::Ack).unwrap());
    let start = Instant::now();
    let chunks: Vec<(usize, &[u8])> = data.chunks(chunk).enumerate().collect();
    // Two in flight (the device's window).
    let mut inflight = std::collections::VecDeque::new();
    for (i, part) in chunks {
        let seq = 2000 + i as u16;
        let bytes = frame::encode_vec(&Request {
            seq,
            cmd: Command::LoadChunk {
                offset: (i * chunk) as u32,
                data: part,
            },
        })
        .expect("frame");
        c.send_raw(&bytes).expect("chunk");
        inflight.push_back(seq);
        if inflight.len() == 2 {
            let s = inflight.pop_front().unwrap();
            assert!(
                c.wait_for(s, |r| *r == Reply::Ack).expect("ack"),
                "chunk {s}"
            );
        }
    }
    for s in inflight {
        assert!(
            c.wait_for(s, |r| *r == Reply::Ack).expect("ack"),
            "chunk {s}"
        );
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "64 KiB over the emulated USB CDC in {secs:.2} s: {:.1} KB/s ({chunk}-byte chunks, window 2)",
        65536.0 / 1000.0 / secs
    );
    assert!(c.call(Command::Ping, |r| *r == Reply::Ack).expect("ping"));
}
