//! What the Cortex-M ports' end-to-end tests share (each port's
//! `hosttest/tests/qemu.rs`): a QEMU launcher for a [`Board`], a tiny
//! blocking p14p client, and in [`check`] the peek/poke/load helpers and
//! the checks every port passes; with the `powercut` feature, in
//! [`powercut`] the power-cut harness of the ports' store drivers.
//!
//! [`Qemu::boot`] starts `qemu-system-arm` with the board's machine and UART0
//! on a Unix socket of its own (`server=on,wait=on`: QEMU waits for us, so
//! the `Boot` frame is never missed) and kills it when dropped. A socket
//! path, unlike a TCP port picked by binding port 0 and letting go, cannot
//! be taken by a second QEMU that the parallel tests start at the same time:
//! that race once let two clients reach one QEMU and the second was reset. [`Client`] frames
//! requests with `frame::encode_vec` and reads replies with `FrameDecoder`.

pub mod check;
#[cfg(feature = "powercut")]
pub mod powercut;

use p14p_protocol::frame::{self, Feed, FrameDecoder};
use p14p_protocol::msg::{Command, Reply, Request, Response};
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for QEMU to listen, and for any one reply. Generous:
/// these only turn a hang into a failure, they measure nothing.
const PATIENCE: Duration = Duration::from_secs(20);

/// A board as QEMU runs it.
#[derive(Debug, Clone, Copy)]
pub struct Board {
    /// Short name, in socket names and messages (`"microbit"`).
    pub name: &'static str,
    /// QEMU's arguments that pick the machine (`["-machine", "microbit"]`).
    pub machine: &'static [&'static str],
    /// The release firmware ELF when `$P14P_FIRMWARE` is not set (the
    /// port's hosttest names it from its own `CARGO_MANIFEST_DIR`).
    pub firmware: &'static str,
    /// The command that builds it, for the message when it is missing.
    pub build: &'static str,
}

impl Board {
    /// The firmware ELF: `$P14P_FIRMWARE`, else [`Board::firmware`].
    pub fn firmware_path(&self) -> PathBuf {
        match std::env::var_os("P14P_FIRMWARE") {
            Some(p) => PathBuf::from(p),
            None => PathBuf::from(self.firmware),
        }
    }
}

/// The address of the firmware static whose mangled symbol name contains
/// `path` (e.g. `"5clock5TICKS"` for `clock::TICKS`), from the ELF's symbol
/// table; SRAM is peekable, so the host can read the firmware's counters.
pub fn symbol_address(elf: &Path, path: &str) -> io::Result<u32> {
    use object::{Object, ObjectSymbol};
    let data = std::fs::read(elf)?;
    let file = object::File::parse(&*data).map_err(io::Error::other)?;
    let addr = file
        .symbols()
        .find(|s| s.name().is_ok_and(|n| n.contains(path)))
        .map(|s| s.address())
        .ok_or_else(|| io::Error::other(format!("no symbol {path} in {}", elf.display())))?;
    u32::try_from(addr).map_err(io::Error::other)
}

/// A running QEMU, killed on drop.
pub struct Qemu {
    child: Child,
    /// The Unix socket UART0 is served on (removed on drop).
    pub socket: PathBuf,
}

impl Qemu {
    /// Boots `board`'s firmware with UART0 on a fresh Unix socket in the
    /// temp directory.
    pub fn boot(board: &Board) -> io::Result<Qemu> {
        let elf = &board.firmware_path();
        if !elf.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "no firmware at {} (build it: {})",
                    elf.display(),
                    board.build
                ),
            ));
        }
        // Unique per process and per boot: tests run in parallel threads.
        static BOOTS: AtomicUsize = AtomicUsize::new(0);
        let socket = std::env::temp_dir().join(format!(
            "p14p-qemu-{}-{}-{}.sock",
            board.name,
            std::process::id(),
            BOOTS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_file(&socket);
        let child = Process::new("qemu-system-arm")
            .args(board.machine)
            .args(["-nographic", "-monitor", "none"])
            .arg("-serial")
            .arg(format!("unix:{},server=on,wait=on", socket.display()))
            .arg("-kernel")
            .arg(elf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("qemu-system-arm: {e}")))?;
        Ok(Qemu { child, socket })
    }

    /// Connects to UART0, retrying while QEMU starts.
    pub fn connect(&mut self) -> io::Result<Client> {
        let start = Instant::now();
        loop {
            match UnixStream::connect(&self.socket) {
                Ok(s) => return Client::new(s),
                Err(e) if start.elapsed() > PATIENCE => return Err(e),
                Err(_) => {
                    if let Some(status) = self.child.try_wait()? {
                        return Err(io::Error::other(format!("qemu exited: {status}")));
                    }
                    thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
}

impl Drop for Qemu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// A byte stream a [`Client`] talks over: QEMU's Unix socket, or a TCP
/// connection (the Pico's emulator bridge). Its reads must time out.
pub trait Stream: Read + Write {}

impl<T: Read + Write> Stream for T {}

/// A blocking client on one connection.
pub struct Client {
    stream: Box<dyn Stream>,
    dec: Box<FrameDecoder<4096>>,
    /// Bytes read but not yet decoded (those after a returned reply).
    inbox: VecDeque<u8>,
    next_seq: u16,
    /// `Boot` frames seen so far.
    pub boots: usize,
}

impl Client {
    fn new(stream: UnixStream) -> io::Result<Client> {
        stream.set_read_timeout(Some(Duration::from_millis(200)))?;
        Ok(Client::over(stream))
    }

    /// A client over `stream`, whose reads time out (e.g. after 200 ms) so
    /// that [`Client::wait_for`] can give up.
    pub fn over(stream: impl Stream + 'static) -> Client {
        Client {
            stream: Box::new(stream),
            dec: Box::new(FrameDecoder::new()),
            inbox: VecDeque::new(),
            next_seq: 1,
            boots: 0,
        }
    }

    /// The name of native module `index` (protocol 10: asked for on its
    /// own after the handshake, which only counts the modules).
    pub fn native_name(&mut self, index: u8) -> io::Result<String> {
        self.call(Command::Native { index }, |r| match r {
            Reply::Native(m) => m.name.to_string(),
            other => panic!("Native: unexpected {other:?}"),
        })
    }

    /// Sends `cmd` and hands its reply to `f`.
    pub fn call<T>(&mut self, cmd: Command<'_>, f: impl FnOnce(&Reply<'_>) -> T) -> io::Result<T> {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1).max(1);
        let bytes = frame::encode_vec(&Request { seq, cmd }).map_err(invalid)?;
        self.stream.write_all(&bytes)?;
        self.wait_for(seq, f)
    }

    /// Writes raw bytes (e.g. several frames at once).
    pub fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// Waits for a reply with sequence number `seq` (0: the `Boot` frame).
    pub fn wait_for<T>(&mut self, seq: u16, f: impl FnOnce(&Reply<'_>) -> T) -> io::Result<T> {
        let start = Instant::now();
        let mut buf = [0u8; 512];
        let mut f = Some(f);
        loop {
            while let Some(b) = self.inbox.pop_front() {
                let Feed::Frame(payload) = self.dec.push(b) else {
                    continue;
                };
                let resp: Response<'_> = frame::decode(payload).map_err(invalid)?;
                if resp.seq == 0 && resp.reply == Reply::Boot {
                    self.boots += 1;
                }
                if resp.seq == seq {
                    if let Some(f) = f.take() {
                        return Ok(f(&resp.reply));
                    }
                }
            }
            if start.elapsed() > PATIENCE {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no reply to seq {seq}"),
                ));
            }
            match self.stream.read(&mut buf) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => self.inbox.extend(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

fn invalid(e: frame::FrameError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("{e:?}"))
}
