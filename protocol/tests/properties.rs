//! Properties of the framing and message layer: any message round-trips,
//! garbage before a frame is skipped, a flipped bit is detected.

use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::frame::{self, Feed, FrameDecoder};
use p14p_protocol::msg::{
    Command, DeviceError, HeapStats, ImageError, Manifest, NativeFunction, NativeModule, Raised,
    Reply, Request, Response, TraceEntry, Width,
};
use p14p_protocol::seq::Seq;
use proptest::prelude::*;

/// Owned inputs from which a borrowed message is built.
#[derive(Debug, Clone)]
struct Owned {
    kind: u8,
    seq: u16,
    n: u32,
    m: u32,
    text: String,
    bytes: Vec<u8>,
    entries: Vec<(u32, u16, u16)>,
}

fn owned() -> impl Strategy<Value = Owned> {
    (
        0u8..24,
        1u16..,
        any::<u32>(),
        any::<u32>(),
        "[a-zA-Z0-9_ .]{0,40}",
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::collection::vec((any::<u32>(), any::<u16>(), any::<u16>()), 0..20),
    )
        .prop_map(|(kind, seq, n, m, text, bytes, entries)| Owned {
            kind,
            seq,
            n,
            m,
            text,
            bytes,
            entries,
        })
}

fn width(n: u32) -> Width {
    [Width::U8, Width::U16, Width::U32][(n % 3) as usize]
}

fn request(o: &Owned) -> Option<Request<'_>> {
    let cmd = match o.kind {
        0 => Command::Hello {
            protocol: o.n as u16,
        },
        1 => Command::Ping,
        2 => Command::Reset,
        3 => Command::LoadBegin {
            len: o.n,
            hash: o.m,
            name: Some(&o.text),
        },
        4 => Command::LoadBegin {
            len: o.n,
            hash: o.m,
            name: None,
        },
        5 => Command::LoadChunk {
            offset: o.n,
            data: &o.bytes,
        },
        6 => Command::LoadEnd,
        7 => Command::Run { hash: o.m },
        8 => Command::Interrupt,
        9 => Command::Peek {
            addr: o.n,
            width: width(o.m),
            count: o.m as u16,
        },
        10 => Command::Poke {
            addr: o.n,
            width: width(o.m),
            value: o.m,
        },
        11 => Command::HeapStats,
        12 => Command::Collect,
        _ => return None,
    };
    Some(Request { seq: o.seq, cmd })
}

fn response<'a>(
    o: &'a Owned,
    entries: &'a [TraceEntry],
    natives: &'a [NativeModule<'a>],
) -> Response<'a> {
    let reply = match o.kind % 12 {
        0 => Reply::Boot,
        1 => Reply::Hello(Manifest {
            protocol: o.n as u16,
            image_format: o.m as u16,
            board: &o.text,
            firmware: "0.1.0",
            heap_bytes: o.n,
            store_bytes: o.m,
            max_frame: 300,
            window: 2,
            recursion_limit: 200,
            features: o.m,
            natives: natives.len() as u8,
            store_max_files: o.n as u16,
            store_max_name: o.m as u8,
        }),
        2 => Reply::Ack,
        3 => Reply::Loaded { hash: o.n },
        4 => Reply::Output {
            n: o.n as u16,
            bytes: &o.bytes,
        },
        5 => Reply::Done {
            outputs: o.m as u16,
        },
        6 => Reply::Raised(Raised {
            exc_type: &o.text,
            msg: ErrMsg::NameNotDefined,
            detail: &o.text,
            traceback: Seq::Slice(entries),
            elided: o.m as u16,
            outputs: o.n as u16,
        }),
        7 => Reply::Data(&o.bytes),
        8 => Reply::Heap(HeapStats {
            total: o.n,
            used: o.m,
            free: 1,
            largest_free: 2,
            objects: 3,
            gc_runs: 4,
            gc_us: u64::from(o.n) << 20,
            gc_last_us: o.m,
        }),
        9 => Reply::Error(DeviceError::BadImage(ImageError::Stack {
            code: o.n as u16,
            pc: o.m as u16,
        })),
        10 => Reply::Error(DeviceError::Busy),
        _ => Reply::Error(DeviceError::BadAddress),
    };
    Response { seq: o.seq, reply }
}

fn entries(o: &Owned) -> Vec<TraceEntry> {
    o.entries
        .iter()
        .map(|&(image, code, pc)| TraceEntry { image, code, pc })
        .collect()
}

const FNS: &[NativeFunction<'static>] = &[
    NativeFunction {
        name: "mem32",
        min_args: 1,
        max_args: 2,
        args: 0,
    },
    NativeFunction {
        name: "ticks_ms",
        min_args: 0,
        max_args: 0,
        args: 0,
    },
];
const NATIVES: &[NativeModule<'static>] = &[NativeModule {
    name: "machine",
    functions: Seq::Slice(FNS),
}];

/// Feeds bytes to a decoder and collects every complete payload.
fn frames(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut dec = FrameDecoder::<1024>::new();
    let mut out = Vec::new();
    for &b in bytes {
        if let Feed::Frame(p) = dec.push(b) {
            out.push(p.to_vec());
        }
    }
    out
}

/// Compares by re-encoding: owned (`Seq::Owned`) and borrowed forms encode alike.
fn same_encoding<T: serde::Serialize>(a: &T, b: &T) -> bool {
    postcard::to_stdvec(a).unwrap() == postcard::to_stdvec(b).unwrap()
}

proptest! {
    #[test]
    fn any_request_round_trips(o in owned()) {
        if let Some(req) = request(&o) {
            let wire = frame::encode_vec(&req).unwrap();
            let payloads = frames(&wire);
            prop_assert_eq!(payloads.len(), 1);
            let back: Request = frame::decode(&payloads[0]).unwrap();
            prop_assert_eq!(back, req);
        }
    }

    #[test]
    fn any_response_round_trips(o in owned()) {
        let e = entries(&o);
        let resp = response(&o, &e, NATIVES);
        let wire = frame::encode_vec(&resp).unwrap();
        let payloads = frames(&wire);
        prop_assert_eq!(payloads.len(), 1);
        let back: Response = frame::decode(&payloads[0]).unwrap();
        prop_assert!(same_encoding(&back, &resp), "{:?} != {:?}", back, resp);
    }

    #[test]
    fn garbage_before_a_frame_is_skipped(o in owned(), garbage in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Some(req) = request(&o) {
            let mut wire = garbage.clone();
            wire.extend(frame::encode_vec(&req).unwrap());
            let payloads = frames(&wire);
            // Garbage may itself contain delimiters and, very rarely, a valid
            // frame; the real frame must always come through, last.
            let last = payloads.last().expect("the real frame");
            let back: Request = frame::decode(last).unwrap();
            prop_assert_eq!(back, req);
        }
    }

    #[test]
    fn a_flipped_bit_is_detected(o in owned(), pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        if let Some(req) = request(&o) {
            let mut wire = frame::encode_vec(&req).unwrap();
            // Flip a bit inside the body (not the delimiters: a flipped
            // delimiter just splits or merges frames, which the CRC catches too).
            let i = 1 + pos.index(wire.len() - 2);
            wire[i] ^= 1 << bit;
            let good = frames(&wire).into_iter().filter(|p| frame::decode::<Request>(p).map(|r| r == req).unwrap_or(false)).count();
            prop_assert_eq!(good, 0, "a corrupted frame was accepted as the original");
        }
    }
}

#[test]
fn a_native_module_decodes_into_owned_lists_on_the_host() {
    let resp = Response {
        seq: 9,
        reply: Reply::Native(NATIVES[0].clone()),
    };
    let wire = frame::encode_vec(&resp).unwrap();
    let payload = &frames(&wire)[0];
    let back: Response = frame::decode(payload).unwrap();
    match back.reply {
        Reply::Native(m) => {
            assert!(matches!(m.functions, Seq::Owned(_)));
            let names: Vec<_> = m.functions.as_slice().iter().map(|f| f.name).collect();
            assert_eq!(names, ["mem32", "ticks_ms"]);
        }
        other => panic!("{other:?}"),
    }
}
