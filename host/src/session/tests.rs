//! Session tests against a tiny fake device speaking the protocol over a
//! Unix socket pair: handshake, windowed loading, output streaming, retries
//! with the same sequence number, interrupts and errors — no VM needed.

use super::*;
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::frame::{Feed, FrameDecoder};
use p14p_protocol::msg::{DeviceError, Manifest, Raised, Reply, Response, TraceEntry};
use p14p_protocol::seq::Seq;
use std::sync::Mutex as StdMutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

/// How the fake device misbehaves.
#[derive(Debug, Default, Clone)]
struct Quirks {
    /// Ignore the first copy of every request of these sequence numbers.
    drop_first: Vec<u16>,
    /// Answer Hello with this protocol version.
    protocol: Option<u16>,
    /// Never answer anything.
    mute: bool,
    /// Wait for an Interrupt before finishing a run.
    run_until_interrupt: bool,
    /// Do not send the run's output frame of this number (lost on the link).
    lose_output: Option<u16>,
    /// Do not send the run's first final reply (lost on the link).
    lose_done: bool,
    /// Fault during a run: write these raw bytes (a firmware's fault line),
    /// then boot afresh.
    fault: Option<&'static [u8]>,
}

/// What the fake device saw.
#[derive(Debug, Default)]
struct Log {
    seqs: Vec<u16>,
    image: Vec<u8>,
    max_in_flight: usize,
}

const MAX_FRAME: u16 = 64;

async fn fake_device<L>(mut link: L, quirks: Quirks, log: Arc<StdMutex<Log>>)
where
    L: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut dec = FrameDecoder::<1024>::new();
    let mut buf = [0u8; 256];
    let mut dropped = Vec::new();
    let mut image = Vec::new();
    let mut run_seq = 0u16;
    // The run in progress, or the outputs count of the one that ended.
    let mut running = false;
    let mut ended = false;
    let mut unacked_chunks = 0usize;
    let mut faulted = false;
    loop {
        let n = match link.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let mut replies: Vec<Response<'static>> = Vec::new();
        for &b in &buf[..n] {
            let Feed::Frame(payload) = dec.push(b) else {
                continue;
            };
            let req: Request<'_> = frame::decode(payload).unwrap();
            let mut l = log.lock().unwrap();
            l.seqs.push(req.seq);
            if quirks.mute {
                continue;
            }
            if quirks.drop_first.contains(&req.seq) && !dropped.contains(&req.seq) {
                dropped.push(req.seq);
                continue;
            }
            let reply = match req.cmd {
                Command::Hello { .. } => Reply::Hello(Manifest {
                    protocol: quirks.protocol.unwrap_or(version::PROTOCOL),
                    image_format: version::IMAGE_FORMAT,
                    board: "fake",
                    firmware: "0.0",
                    heap_bytes: 1024,
                    store_bytes: 0,
                    max_frame: MAX_FRAME,
                    window: 2,
                    recursion_limit: 10,
                    features: 0,
                    natives: 0,
                    store_max_files: 0,
                    store_max_name: 0,
                }),
                Command::LoadBegin { len, .. } => {
                    image = vec![0; len as usize];
                    Reply::Ack
                }
                Command::LoadChunk { offset, data } => {
                    assert!(frame::encode_vec(&req).unwrap().len() <= usize::from(MAX_FRAME));
                    image[offset as usize..offset as usize + data.len()].copy_from_slice(data);
                    // Chunks are only acknowledged at the end of a read, so
                    // the host's window is visible in `max_in_flight`.
                    unacked_chunks += 1;
                    l.max_in_flight = l.max_in_flight.max(unacked_chunks);
                    Reply::Ack
                }
                Command::LoadEnd => {
                    l.image = image.clone();
                    Reply::Loaded {
                        hash: image_hash(&image).unwrap(),
                    }
                }
                // A repeated Run asks whether it still runs.
                Command::Run { .. } if req.seq == run_seq && running => {
                    Reply::Error(DeviceError::Busy)
                }
                Command::Run { .. } if req.seq == run_seq && ended => Reply::Done { outputs: 2 },
                Command::Run { .. } => {
                    run_seq = req.seq;
                    for (n, bytes) in [(0, &b"hello "[..]), (1, b"world\n")] {
                        if quirks.lose_output != Some(n) {
                            let reply = Reply::Output { n, bytes };
                            replies.push(Response {
                                seq: req.seq,
                                reply,
                            });
                        }
                    }
                    if quirks.run_until_interrupt {
                        running = true;
                        continue;
                    }
                    if quirks.fault.is_some() {
                        faulted = true;
                        continue;
                    }
                    ended = true;
                    if quirks.lose_done {
                        continue;
                    }
                    Reply::Done { outputs: 2 }
                }
                Command::Interrupt => {
                    replies.push(Response {
                        seq: req.seq,
                        reply: Reply::Ack,
                    });
                    replies.push(Response {
                        seq: run_seq,
                        reply: Reply::Raised(Raised {
                            exc_type: "KeyboardInterrupt",
                            msg: ErrMsg::Interrupted,
                            detail: "",
                            traceback: Seq::Slice(&[TraceEntry {
                                image: 1,
                                code: 0,
                                pc: 4,
                            }]),
                            elided: 0,
                            outputs: 2,
                        }),
                    });
                    (running, ended) = (false, true);
                    continue;
                }
                Command::Peek { addr, count, .. } => {
                    if addr == 0 {
                        Reply::Error(DeviceError::BadAddress)
                    } else {
                        Reply::Data(&[1, 2, 3, 4][..usize::from(count).min(4)])
                    }
                }
                _ => Reply::Ack,
            };
            replies.push(Response {
                seq: req.seq,
                reply,
            });
        }
        unacked_chunks = 0;
        for r in replies {
            let bytes = frame::encode_vec(&r).unwrap();
            if link.write_all(&bytes).await.is_err() {
                return;
            }
        }
        if std::mem::take(&mut faulted) {
            let boot = Response {
                seq: 0,
                reply: Reply::Boot,
            };
            let line = quirks.fault.unwrap_or_default();
            let boot = frame::encode_vec(&boot).unwrap();
            if link.write_all(line).await.is_err() || link.write_all(&boot).await.is_err() {
                return;
            }
        }
    }
}

async fn connect(quirks: Quirks) -> (Result<Session>, Arc<StdMutex<Log>>) {
    let (host, device) = UnixStream::pair().unwrap();
    let log = Arc::new(StdMutex::new(Log::default()));
    tokio::spawn(fake_device(device, quirks, Arc::clone(&log)));
    let link = Link {
        stream: Box::pin(host),
        name: "fake".into(),
    };
    let s = Session::connect(link, Duration::from_millis(100)).await;
    (s, log)
}

/// A syntactically valid image header (the fake does not verify more).
fn image(len: usize) -> Vec<u8> {
    let mut img: Vec<u8> = (0..len).map(|i| (i % 251) as u8 + 1).collect();
    img[..4].copy_from_slice(&p14p_protocol::image::MAGIC);
    img
}

#[tokio::test]
async fn handshake_reads_the_manifest() {
    let (s, _) = connect(Quirks::default()).await;
    let s = s.unwrap();
    assert_eq!(s.info().board, "fake");
    assert_eq!(s.info().max_frame, MAX_FRAME);
}

#[tokio::test]
async fn protocol_mismatch_is_a_clear_error() {
    let (s, _) = connect(Quirks {
        protocol: Some(99),
        ..Quirks::default()
    })
    .await;
    let e = s.unwrap_err();
    assert!(
        matches!(e, Error::ProtocolVersion { device: 99, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("protocol version mismatch"));
}

#[tokio::test]
async fn silent_device_is_reported_after_retries_with_one_seq() {
    let (s, log) = connect(Quirks {
        mute: true,
        ..Quirks::default()
    })
    .await;
    let e = s.unwrap_err();
    assert!(
        e.to_string().contains("no p14p device answered on fake"),
        "{e}"
    );
    assert_eq!(log.lock().unwrap().seqs, vec![1; RETRIES as usize + 1]);
}

#[tokio::test]
async fn lost_request_is_retried_with_the_same_seq() {
    // seq 1 is the handshake, seq 2 the ping.
    let (s, log) = connect(Quirks {
        drop_first: vec![2],
        ..Quirks::default()
    })
    .await;
    s.unwrap().ping().await.unwrap();
    assert_eq!(log.lock().unwrap().seqs, vec![1, 2, 2]);
}

#[tokio::test]
async fn load_sends_the_whole_image_in_windowed_chunks() {
    let (s, log) = connect(Quirks::default()).await;
    let s = s.unwrap();
    let img = image(1000);
    let hash = s.load(&img, None).await.unwrap();
    assert_eq!(hash, image_hash(&img).unwrap());
    let log = log.lock().unwrap();
    assert_eq!(log.image, img);
    assert!(
        log.max_in_flight <= 2,
        "window exceeded: {}",
        log.max_in_flight
    );
    // LoadBegin, ceil(1000 / chunk) chunks, LoadEnd after the handshake.
    let chunks = img.len().div_ceil(s.chunk_size());
    assert_eq!(log.seqs.len(), 1 + 1 + chunks + 1);
}

#[tokio::test]
async fn lost_chunk_is_resent() {
    let (s, log) = connect(Quirks {
        drop_first: vec![4],
        ..Quirks::default()
    })
    .await;
    let s = s.unwrap();
    let img = image(300);
    s.load(&img, Some("mod")).await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log.image, img);
    assert_eq!(log.seqs.iter().filter(|&&q| q == 4).count(), 2);
}

#[tokio::test]
async fn run_streams_output_in_order_then_done() {
    let (s, _) = connect(Quirks::default()).await;
    let s = s.unwrap();
    let mut out = Vec::new();
    let outcome = s.run(7, |b| out.extend_from_slice(b)).await.unwrap();
    assert_eq!(outcome, Outcome::Done);
    assert_eq!(out, b"hello world\n");
}

#[tokio::test]
async fn a_fault_names_its_pc_and_a_plain_reset_does_not() {
    // The line `ports/cortex-m/src/fault.rs` writes before the chip resets.
    let line = b"\0p14p: hardfault at pc=0x000009ba\r\n\0";
    let (s, _) = connect(Quirks {
        fault: Some(line),
        ..Quirks::default()
    })
    .await;
    let err = s.unwrap().run(7, |_| {}).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::Restarted { fault: Some(f) } if f == "p14p: hardfault at pc=0x000009ba"),
        "{err:?}"
    );
    assert!(
        text.contains("the firmware faulted and the device reset"),
        "{text}"
    );
    assert!(
        text.contains("addr2line -i -e FIRMWARE.elf 0x000009ba"),
        "{text}"
    );

    // A reset with no fault line before it (`machine.reset()`), and text
    // that is not a fault line, say only that the device reset.
    let (s, _) = connect(Quirks {
        fault: Some(b"\0hello\r\n\0"),
        ..Quirks::default()
    })
    .await;
    let err = s.unwrap().run(7, |_| {}).await.unwrap_err();
    assert!(matches!(err, Error::Restarted { fault: None }), "{err:?}");
    assert!(
        err.to_string().contains("machine.reset(), or a fault"),
        "{err}"
    );
}

#[tokio::test]
async fn a_lost_output_frame_is_an_error_not_a_gap() {
    let (s, _) = connect(Quirks {
        lose_output: Some(0),
        ..Quirks::default()
    })
    .await;
    let s = s.unwrap();
    let mut out = Vec::new();
    let e = s.run(7, |b| out.extend_from_slice(b)).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutputLost {
                lost: 1,
                first: 0,
                sent: 2,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("the program ran to its end"), "{e}");
    assert_eq!(out, b"world\n");
}

#[tokio::test]
async fn a_lost_last_output_frame_is_seen_in_the_count() {
    let (s, _) = connect(Quirks {
        lose_output: Some(1),
        ..Quirks::default()
    })
    .await;
    let e = s.unwrap().run(7, |_| {}).await.unwrap_err();
    assert!(matches!(e, Error::OutputLost { first: 1, .. }), "{e}");
}

#[tokio::test]
async fn a_lost_done_is_asked_for_again() {
    let (s, log) = connect(Quirks {
        lose_done: true,
        ..Quirks::default()
    })
    .await;
    let s = s.unwrap();
    let mut out = Vec::new();
    let outcome = s.run(7, |b| out.extend_from_slice(b)).await.unwrap();
    assert_eq!(outcome, Outcome::Done);
    assert_eq!(out, b"hello world\n");
    // The handshake, the run, and the run again (the ask).
    assert_eq!(log.lock().unwrap().seqs, [1, 2, 2]);
}

#[tokio::test]
async fn a_quiet_run_is_asked_about_and_goes_on() {
    let (s, log) = connect(Quirks {
        run_until_interrupt: true,
        ..Quirks::default()
    })
    .await;
    let s = s.unwrap();
    let mut run = Box::pin(s.run(7, |_| {}));
    // Several timeouts (100 ms) without a word: asked, Busy, still waiting.
    tokio::select! {
        _ = &mut run => panic!("the fake run ended without an interrupt"),
        _ = tokio::time::sleep(Duration::from_millis(450)) => {}
    }
    s.interrupt().await.unwrap();
    assert!(matches!(run.await.unwrap(), Outcome::Raised(_)));
    let asks = log.lock().unwrap().seqs.iter().filter(|&&q| q == 2).count();
    assert!(asks >= 3, "{asks} copies of the run");
}

#[tokio::test]
async fn interrupt_stops_a_running_program() {
    let (s, _) = connect(Quirks {
        run_until_interrupt: true,
        ..Quirks::default()
    })
    .await;
    let s = s.unwrap();
    let mut out = Vec::new();
    let run = s.run(7, |b| out.extend_from_slice(b));
    let mut run = Box::pin(run);
    // The run cannot finish by itself; interrupt it once it started.
    tokio::select! {
        _ = &mut run => panic!("the fake run ended without an interrupt"),
        _ = tokio::time::sleep(Duration::from_millis(50)) => {}
    }
    s.interrupt().await.unwrap();
    let outcome = run.await.unwrap();
    match outcome {
        Outcome::Raised(e) => assert_eq!(e.exc_type, "KeyboardInterrupt"),
        other => panic!("{other:?}"),
    }
    assert_eq!(out, b"hello world\n");
}

#[tokio::test]
async fn device_errors_become_sentences() {
    let (s, _) = connect(Quirks::default()).await;
    let s = s.unwrap();
    let e = s.peek(0, Width::U32, 1).await.unwrap_err();
    assert!(
        e.to_string().contains("outside the device's memory map"),
        "{e}"
    );
    assert_eq!(s.peek(4, Width::U8, 2).await.unwrap(), [1, 2]);
}

#[tokio::test]
async fn closed_link_fails_requests() {
    let (host, device) = UnixStream::pair().unwrap();
    let log = Arc::new(StdMutex::new(Log::default()));
    let dev = tokio::spawn(fake_device(device, Quirks::default(), log));
    let s = Session::connect(
        Link {
            stream: Box::pin(host),
            name: "fake".into(),
        },
        Duration::from_millis(100),
    )
    .await
    .unwrap();
    dev.abort();
    let _ = dev.await;
    let e = s.ping().await.unwrap_err();
    assert!(matches!(e, Error::Closed { .. }), "{e}");
}

#[tokio::test]
async fn tcp_transport_reaches_a_device() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(StdMutex::new(Log::default()));
    tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        fake_device(sock, Quirks::default(), log).await;
    });
    let port = Port::parse(&format!("tcp:{addr}"));
    let s = Session::open(&port, &OpenOptions::default()).await.unwrap();
    assert_eq!(s.port(), format!("tcp:{addr}"));
    s.ping().await.unwrap();
}

#[tokio::test]
async fn missing_serial_port_is_a_clear_error() {
    let port = Port::parse("/dev/p14p-no-such-tty");
    let e = Session::open(&port, &OpenOptions::default())
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cannot open /dev/p14p-no-such-tty: "),
        "{e}"
    );
}

#[test]
fn chunk_size_fits_the_frame_limit() {
    for max in [32u16, 64, 256, 1024, u16::MAX] {
        let n = chunk_size_for(max);
        let req = Request {
            seq: u16::MAX,
            cmd: Command::LoadChunk {
                offset: u32::MAX,
                data: &vec![0u8; n],
            },
        };
        assert!(frame::encode_vec(&req).unwrap().len() <= usize::from(max));
        // Overhead: the request's 12 worst-case bytes, CRC 2, two
        // delimiters, COBS one byte per 254.
        let overhead = 12 + 2 + 2 + usize::from(max) / 254 + 1;
        assert!(
            n + overhead >= usize::from(max),
            "chunk {n} wastes frame {max}"
        );
    }
}
