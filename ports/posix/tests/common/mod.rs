//! A minimal blocking protocol client for the port's tests: send a request
//! frame, collect response frames, with a generous timeout so a broken
//! device fails the test instead of hanging it.

#![allow(dead_code)]

use p14p_protocol::frame::{self, encode_vec, Feed, FrameDecoder};
use p14p_protocol::msg::{Command, Reply, Request, Response};
use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

/// Give up waiting for a reply after this long (a hang guard, not a timing
/// assertion).
const PATIENCE: Duration = Duration::from_secs(20);

/// A client over any byte stream; a thread reads and decodes frames.
pub struct Client<W: Write> {
    writer: W,
    frames: Receiver<Vec<u8>>,
}

impl<W: Write> Client<W> {
    /// Starts reading `reader` on a thread.
    pub fn new<R: Read + Send + 'static>(mut reader: R, writer: W) -> Self {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut dec = FrameDecoder::<1024>::new();
            let mut buf = [0u8; 256];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                for &b in &buf[..n] {
                    if let Feed::Frame(p) = dec.push(b) {
                        if tx.send(p.to_vec()).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Client { writer, frames: rx }
    }

    /// The next frame's payload.
    pub fn next_payload(&mut self) -> Vec<u8> {
        self.frames
            .recv_timeout(PATIENCE)
            .expect("the device answered in time")
    }

    /// The next response, decoded, passed to `f` (replies borrow the frame).
    pub fn next<T>(&mut self, f: impl FnOnce(Response<'_>) -> T) -> T {
        let p = self.next_payload();
        f(frame::decode::<Response>(&p).expect("a valid Response"))
    }

    /// Sends a request.
    pub fn send(&mut self, seq: u16, cmd: Command<'_>) {
        let bytes = encode_vec(&Request { seq, cmd }).unwrap();
        self.writer.write_all(&bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Sends a request and returns its reply in `Debug` form, checking the
    /// sequence number.
    pub fn ask(&mut self, seq: u16, cmd: Command<'_>) -> String {
        self.send(seq, cmd);
        self.next(|r| {
            assert_eq!(r.seq, seq);
            format!("{:?}", r.reply)
        })
    }

    /// Expects the unprompted `Boot` frame.
    pub fn expect_boot(&mut self) {
        self.next(|r| {
            assert_eq!(r.seq, 0);
            assert_eq!(r.reply, Reply::Boot);
        });
    }

    /// Handshakes, then asks for each native module (sequence numbers
    /// from `seq` on); returns (board, heap bytes, the modules' names).
    pub fn hello(&mut self, seq: u16) -> (String, u32, Vec<String>) {
        self.send(
            seq,
            Command::Hello {
                protocol: p14p_protocol::version::PROTOCOL,
            },
        );
        let (board, heap, count) = self.next(|r| {
            assert_eq!(r.seq, seq);
            let Reply::Hello(m) = r.reply else {
                panic!("expected Hello, got {:?}", r.reply)
            };
            assert_eq!(m.protocol, p14p_protocol::version::PROTOCOL);
            (m.board.to_string(), m.heap_bytes, m.natives)
        });
        let mut natives = Vec::new();
        for index in 0..count {
            let s = seq + 1 + u16::from(index);
            self.send(s, Command::Native { index });
            natives.push(self.next(|r| {
                assert_eq!(r.seq, s);
                let Reply::Native(m) = r.reply else {
                    panic!("expected Native, got {:?}", r.reply)
                };
                m.name.to_string()
            }));
        }
        (board, heap, natives)
    }
}
