//! The hand-written codec ([`p14p_protocol::wire`]) against postcard: for
//! every `Command` and `Reply` variant, with edge values, both write the
//! same bytes and the codec reads postcard's bytes back to the value; on
//! truncated, corrupted and random input the codec fails exactly where
//! postcard fails, and never panics.

use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::frame::{self, FrameDecoder};
use p14p_protocol::msg::*;
use p14p_protocol::seq::Seq;
use p14p_protocol::wire::{self, Reader};
use proptest::prelude::*;

const LONG: &[u8] = &[0xa5; 300];
const TEXT: &str = "a name with ünïcode, 32 bytes.";

/// Every command, each with edge values in its fields.
fn commands() -> Vec<Command<'static>> {
    use Command::*;
    let mut all = vec![
        Ping,
        Reset,
        LoadEnd,
        Interrupt,
        HeapStats,
        Collect,
        StoreCommit,
        StoreStats,
    ];
    for n in [0u32, 1, 127, 128, 16_383, 16_384, 0xdead_beef, u32::MAX] {
        let h = n as u16;
        all.extend([
            Hello { protocol: h },
            LoadBegin {
                len: n,
                hash: !n,
                name: None,
            },
            LoadBegin {
                len: n,
                hash: n,
                name: Some(TEXT),
            },
            LoadChunk {
                offset: n,
                data: &[],
            },
            LoadChunk {
                offset: n,
                data: LONG,
            },
            Run { hash: n },
            StoreList { start: h },
            StoreBegin {
                name: "",
                kind: FileKind::Data,
                len: n,
                crc: !n,
            },
            StoreChunk {
                offset: n,
                data: &[0, 0, 1],
            },
            StoreRead {
                name: TEXT,
                offset: n,
                len: u16::MAX - h,
            },
            StoreRemove { name: "main" },
            SetMain { name: None },
            SetMain { name: Some("") },
            HeapCensus { from: n as u8 },
            HeapWalk { from: n },
            HeapLargest { count: !n as u8 },
            Expanded {
                text: &LONG[..n as usize % 161],
            },
            Native { index: n as u8 },
            Line {
                text: &LONG[..n as usize % 161],
            },
            Code {
                bytes: &LONG[..n as usize % 161],
            },
        ]);
        for width in [Width::U8, Width::U16, Width::U32] {
            all.push(Peek {
                addr: n,
                width,
                count: h,
            });
            all.push(Poke {
                addr: !n,
                width,
                value: n,
            });
        }
    }
    all.push(StoreBegin {
        name: TEXT,
        kind: FileKind::Image,
        len: 0,
        crc: 0,
    });
    all
}

static TRACE: [TraceEntry; 3] = [
    TraceEntry {
        image: 0,
        code: 0,
        pc: 0,
    },
    TraceEntry {
        image: u32::MAX,
        code: u16::MAX,
        pc: 128,
    },
    TraceEntry {
        image: 0x8000,
        code: 300,
        pc: 7,
    },
];

// The third with argument types whose code needs a two-byte varint.
static FUNCTIONS: [NativeFunction<'static>; 3] = [
    NativeFunction {
        name: "ticks_ms",
        min_args: 0,
        max_args: 0,
        args: 0,
    },
    NativeFunction {
        name: "print",
        min_args: 1,
        max_args: NativeFunction::VARIADIC,
        args: 0,
    },
    NativeFunction::typed("write", "i|yb"),
];

static MODULES: [NativeModule<'static>; 2] = [
    NativeModule {
        name: "machine",
        functions: Seq::Slice(&FUNCTIONS),
    },
    NativeModule {
        name: "empty",
        functions: Seq::Slice(&[]),
    },
];

static FILES: [FileEntry<'static>; 2] = [
    FileEntry {
        name: "main",
        kind: FileKind::Image,
        size: 0,
        crc: u32::MAX,
        main: true,
    },
    FileEntry {
        name: TEXT,
        kind: FileKind::Data,
        size: 1 << 20,
        crc: 0,
        main: false,
    },
];

static TYPES: [TypeCount; 2] = [
    TypeCount {
        tag: 0,
        count: 0,
        bytes: 0,
    },
    TypeCount {
        tag: 255,
        count: u32::MAX,
        bytes: 128,
    },
];

static RUNS: [BlockRun; 2] = [
    BlockRun {
        tag: 3,
        blocks: 1,
        words: 16_384,
    },
    BlockRun {
        tag: 0,
        blocks: u32::MAX,
        words: 0,
    },
];

static OBJECTS: [HeapObject<'static>; 2] = [
    HeapObject {
        word: 1,
        tag: 9,
        bytes: 8,
        head: &[],
    },
    HeapObject {
        word: u32::MAX,
        tag: 200,
        bytes: 1 << 31,
        head: &[0; HeapObject::HEAD],
    },
];

const STATS: [HeapStats; 2] = [
    HeapStats {
        total: 0,
        used: 0,
        free: 0,
        largest_free: 0,
        objects: 0,
        gc_runs: 0,
        gc_us: 0,
        gc_last_us: 0,
    },
    HeapStats {
        total: u32::MAX,
        used: 128,
        free: 127,
        largest_free: 16_384,
        objects: 1,
        gc_runs: 300,
        gc_us: u64::MAX,
        gc_last_us: u32::MAX,
    },
];

/// Every device error, `BadImage` with every image error.
fn errors() -> Vec<DeviceError> {
    use DeviceError::*;
    let mut all = vec![
        BadRequest,
        Version,
        Busy,
        Duplicate,
        NoMemory,
        TooLarge,
        NoTransfer,
        ChunkRange,
        HashMismatch,
        NoSuchImage,
        BadAddress,
        Unaligned,
        TooMany,
        NoStore,
        NoSpace,
        NoSuchFile,
        BadName,
        OutOfOrder,
        Flash,
        InUse,
    ];
    for (code, pc) in [(0, 0), (u16::MAX, 128), (5, u16::MAX)] {
        use ImageError::*;
        for e in [
            Magic,
            Version(code),
            Truncated,
            Const(pc),
            Opcode { code, pc },
            Operand { code, pc },
            Target { code, pc },
            Stack { code, pc },
            FallsOff { code },
            Header { code },
        ] {
            all.push(BadImage(e));
        }
    }
    all
}

/// Every reply, each with edge values in its fields.
fn replies() -> Vec<Reply<'static>> {
    use Reply::*;
    let mut all = vec![Boot, Ack];
    for big in [false, true] {
        let n = if big { u32::MAX } else { 0 };
        let stats = STATS[big as usize];
        let bytes: &'static [u8] = if big { LONG } else { &[] };
        let text = if big { TEXT } else { "" };
        all.extend([
            Hello(Manifest {
                protocol: n as u16,
                image_format: 1,
                board: text,
                firmware: "0.1.0",
                heap_bytes: n,
                store_bytes: 16_384,
                max_frame: 300,
                window: n as u8,
                recursion_limit: 128,
                features: !n,
                natives: n as u8,
                store_max_files: n as u16,
                store_max_name: n as u8,
            }),
            Loaded { hash: n },
            Output { n: n as u16, bytes },
            Done { outputs: n as u16 },
            Raised(p14p_protocol::msg::Raised {
                exc_type: text,
                msg: if big {
                    ErrMsg::UnsupportedOperand
                } else {
                    ErrMsg::Custom
                },
                detail: text,
                traceback: Seq::Slice(if big { &TRACE } else { &[] }),
                elided: n as u16,
                outputs: !n as u16,
            }),
            Data(bytes),
            Heap(stats),
            Files {
                files: Seq::Slice(if big { &FILES } else { &[] }),
                next: None,
            },
            Files {
                files: Seq::Slice(&FILES[..1]),
                next: Some(n as u16),
            },
            Store(StoreStats {
                capacity: n,
                used: 128,
                files: n as u16,
                page_size: 1024,
                pages: 16,
            }),
            Census {
                stats,
                types: Seq::Slice(if big { &TYPES } else { &[] }),
                next: n as u8,
            },
            Blocks {
                next: n,
                runs: Seq::Slice(if big { &RUNS } else { &[] }),
            },
            Largest(Seq::Slice(if big { &OBJECTS } else { &[] })),
            Expand {
                msg: ErrMsg::NameNotDefined,
                detail: bytes,
            },
            Native(MODULES[big as usize].clone()),
            Input,
            Compile {
                eval: big,
                offset: n,
                source: bytes,
            },
        ]);
    }
    all.extend(errors().into_iter().map(Error));
    all
}

/// Every message number, as `Expand` carries it.
fn every_errmsg() -> Vec<ErrMsg> {
    (0..).map_while(ErrMsg::from_index).collect::<Vec<_>>()
}

#[test]
fn every_variant_is_listed() {
    // The lists above cover each variant index (postcard's first byte
    // after the sequence number), so a new variant cannot go untested.
    let index = |bytes: Vec<u8>| Reader::new(&bytes).u32().unwrap();
    let mut cmds: Vec<u32> = commands()
        .iter()
        .map(|c| index(postcard::to_stdvec(c).unwrap()))
        .collect();
    cmds.sort();
    cmds.dedup();
    assert_eq!(cmds, (0..27).collect::<Vec<_>>());
    let mut reps: Vec<u32> = replies()
        .iter()
        .map(|r| index(postcard::to_stdvec(r).unwrap()))
        .collect();
    reps.sort();
    reps.dedup();
    assert_eq!(reps, (0..19).collect::<Vec<_>>());
    // Every message number up to the last: more than a byte's worth of
    // varint would show in `from_index`.
    let msgs = every_errmsg();
    assert!(msgs.len() > 60);
    for (i, m) in msgs.iter().enumerate() {
        assert_eq!(*m as usize, i);
    }
}

#[test]
fn commands_encode_as_postcard_and_decode_back() {
    for cmd in commands() {
        let want = postcard::to_stdvec(&cmd).unwrap();
        assert_eq!(wire::to_vec(&cmd), want, "{cmd:?}");
        assert_eq!(Command::decode(&mut Reader::new(&want)), Ok(cmd.clone()));
        for seq in [1u16, 127, 128, u16::MAX] {
            let req = Request {
                seq,
                cmd: cmd.clone(),
            };
            let bytes = postcard::to_stdvec(&req).unwrap();
            assert_eq!(wire::to_vec(&req), bytes, "{req:?}");
            assert_eq!(Request::decode(&bytes), Ok(req));
        }
    }
}

#[test]
fn replies_encode_as_postcard() {
    let mut all = replies();
    all.extend(
        every_errmsg()
            .into_iter()
            .map(|msg| Reply::Expand { msg, detail: b"x" }),
    );
    for reply in all {
        let want = postcard::to_stdvec(&reply).unwrap();
        assert_eq!(wire::to_vec(&reply), want, "{reply:?}");
        for seq in [0u16, 300] {
            let resp = Response {
                seq,
                reply: reply.clone(),
            };
            assert_eq!(
                wire::to_vec(&resp),
                postcard::to_stdvec(&resp).unwrap(),
                "{resp:?}"
            );
        }
    }
}

#[test]
fn windowed_frames_of_replies_are_serdes_frames() {
    for reply in replies() {
        let resp = Response { seq: 9, reply };
        let want = frame::encode_vec(&resp).unwrap();
        let mut got = Vec::new();
        frame::encode_windowed(&resp, &mut [0u8; 64], 1024, |b| got.extend_from_slice(b)).unwrap();
        assert_eq!(got, want, "{resp:?}");
        let mut dec = FrameDecoder::<1024>::new();
        let mut back = None;
        for &b in &got {
            if let frame::Feed::Frame(p) = dec.push(b) {
                // Compared as bytes: the host decodes a `Seq` as `Owned`.
                let r = frame::decode::<Response>(p);
                back = Some(r.map(|r| postcard::to_stdvec(&r).unwrap()));
            }
        }
        assert_eq!(back, Some(Ok(postcard::to_stdvec(&resp).unwrap())));
    }
}

/// The codec's answer for `bytes`, which must be postcard's.
fn decode_like_postcard(bytes: &[u8]) {
    let ours = Request::decode(bytes).ok();
    let theirs = postcard::from_bytes::<Request>(bytes).ok();
    assert_eq!(ours, theirs, "{bytes:02x?}");
}

#[test]
fn truncated_requests_are_malformed() {
    for cmd in commands() {
        let bytes = postcard::to_stdvec(&Request { seq: 200, cmd }).unwrap();
        for n in 0..bytes.len() {
            assert!(
                Request::decode(&bytes[..n]).is_err(),
                "{:02x?}",
                &bytes[..n]
            );
            decode_like_postcard(&bytes[..n]);
        }
    }
}

#[test]
fn corrupted_requests_decode_as_postcard_decodes_them() {
    for cmd in commands() {
        let bytes = postcard::to_stdvec(&Request { seq: 200, cmd }).unwrap();
        for i in 0..bytes.len().min(24) {
            for flip in [0x01, 0x03, 0x40, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= flip;
                decode_like_postcard(&bad);
            }
        }
    }
}

#[test]
fn malformed_fields_are_errors() {
    for bad in [
        &[1, 24][..],                           // unknown command
        &[1, 0x80, 0x80, 0x80, 0x80, 0x10],     // variant index past u32
        &[1, 0, 0xff, 0xff, 0x04],              // protocol past u16
        &[1, 0, 0x80, 0x80, 0x80, 0x00],        // u16 varint of four bytes
        &[1, 3, 0, 0, 2],                       // option tag 2
        &[1, 3, 0, 0, 1, 2, 0xc3, 0x28],        // name not UTF-8
        &[1, 4, 0, 5, 1, 2],                    // data shorter than its length
        &[1, 8, 0, 3, 0],                       // width 3
        &[1, 13, 1, b'a', 2, 0, 0],             // kind 2
        &[1, 21, 0xff, 0xff, 0xff, 0xff, 0x1f], // u32 varint's last byte too big
    ] {
        assert!(Request::decode(bad).is_err(), "{bad:02x?}");
        decode_like_postcard(bad);
    }
    // Like postcard, bytes after the message are not read.
    assert_eq!(
        Request::decode(&[7, 1, 0xff]),
        Ok(Request {
            seq: 7,
            cmd: Command::Ping
        })
    );
}

#[test]
fn reader_varints_at_their_limits() {
    let read = |b: &[u8]| {
        let r = &mut Reader::new(b);
        (r.clone().u16().ok(), r.clone().u32().ok(), r.u64().ok())
    };
    assert_eq!(
        read(&[0xff, 0xff, 0x03]),
        (Some(u16::MAX), Some(65_535), Some(65_535))
    );
    assert_eq!(
        read(&[0x80, 0x80, 0x04]),
        (None, Some(1 << 16), Some(1 << 16))
    );
    assert_eq!(
        read(&[0xff, 0xff, 0xff, 0xff, 0x0f]),
        (None, Some(u32::MAX), Some(u32::MAX.into()))
    );
    let max64 = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    assert_eq!(read(&max64), (None, None, Some(u64::MAX)));
    let mut over = max64;
    over[9] = 0x02;
    assert_eq!(read(&over), (None, None, None));
    assert_eq!(read(&[0x80]), (None, None, None));
    assert_eq!(read(&[]), (None, None, None));
}

proptest! {
    #[test]
    fn random_bytes_decode_as_postcard_decodes_them(
        bytes in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        decode_like_postcard(&bytes);
    }

    #[test]
    fn random_commands_round_trip(seq in any::<u16>(), i in any::<prop::sample::Index>()) {
        let all = commands();
        let cmd = all[i.index(all.len())].clone();
        let req = Request { seq, cmd };
        let bytes = wire::to_vec(&req);
        prop_assert_eq!(&bytes, &postcard::to_stdvec(&req).unwrap());
        prop_assert_eq!(Request::decode(&bytes), Ok(req));
    }
}

#[test]
fn a_byte_slice_encodes_as_postcard() {
    for n in [0usize, 1, 127, 128, 300] {
        let msg: &[u8] = &LONG[..n];
        assert_eq!(wire::to_vec(&msg), postcard::to_stdvec(&msg).unwrap());
    }
}
