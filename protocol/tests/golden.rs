//! Golden bytes: the exact wire encoding of representative messages. A
//! change here is a protocol change: bump `version::PROTOCOL`.

use p14p_protocol::frame;
use p14p_protocol::msg::{
    BlockRun, Command, HeapObject, HeapStats, Reply, Request, Response, TypeCount, Width,
};
use p14p_protocol::seq::Seq;

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn requests_encode_to_known_bytes() {
    let cases: &[(Request, &str)] = &[
        (
            Request {
                seq: 1,
                cmd: Command::Hello { protocol: 1 },
            },
            "01 00 01",
        ),
        (
            Request {
                seq: 2,
                cmd: Command::Ping,
            },
            "02 01",
        ),
        (
            Request {
                seq: 300,
                cmd: Command::Run { hash: 0xdead_beef },
            },
            "ac 02 06 ef fd b6 f5 0d",
        ),
        (
            Request {
                seq: 3,
                cmd: Command::Peek {
                    addr: 0x4000_0000,
                    width: Width::U32,
                    count: 2,
                },
            },
            "03 08 80 80 80 80 04 02 02",
        ),
        (
            Request {
                seq: 4,
                cmd: Command::LoadChunk {
                    offset: 0,
                    data: &[0, 1],
                },
            },
            "04 04 00 02 00 01",
        ),
        (
            Request {
                seq: 5,
                cmd: Command::HeapCensus { from: 3 },
            },
            "05 14 03",
        ),
        (
            Request {
                seq: 5,
                cmd: Command::HeapWalk { from: 1 },
            },
            "05 15 01",
        ),
        (
            Request {
                seq: 6,
                cmd: Command::HeapLargest { count: 8 },
            },
            "06 16 08",
        ),
    ];
    for (msg, want) in cases {
        assert_eq!(hex(&postcard::to_stdvec(msg).unwrap()), *want, "{msg:?}");
    }
}

#[test]
fn a_frame_is_delimited_cobs_with_crc() {
    let msg = Response {
        seq: 1,
        reply: Reply::Ack,
    };
    let wire = frame::encode_vec(&msg).unwrap();
    // postcard: 01 02; CRC-16/IBM-3740 of that, little-endian; COBS; 0x00 on both ends.
    let crc = frame::CRC16.checksum(&[0x01, 0x02]).to_le_bytes();
    let mut raw = vec![0x01, 0x02, crc[0], crc[1]];
    let mut want = vec![0u8];
    if !raw.contains(&0) {
        want.push(raw.len() as u8 + 1);
        want.append(&mut raw);
    }
    want.push(0);
    assert_eq!(hex(&wire), hex(&want));
}

#[test]
fn heap_records_encode_to_known_bytes() {
    let census = Response {
        seq: 7,
        reply: Reply::Census {
            stats: HeapStats {
                total: 256,
                used: 8,
                free: 248,
                largest_free: 248,
                objects: 1,
                gc_runs: 2,
                gc_us: 1234,
                gc_last_us: 56,
            },
            types: Seq::Slice(&[TypeCount {
                tag: 3,
                count: 1,
                bytes: 8,
            }]),
            next: 0,
        },
    };
    // seq, variant 12, eight varints (256 = 80 02, 248 = f8 01, the
    // protocol-4 GC times 1234 µs = d2 09 and 56 µs), one entry, next.
    assert_eq!(
        hex(&postcard::to_stdvec(&census).unwrap()),
        "07 0c 80 02 08 f8 01 f8 01 01 02 d2 09 38 01 03 01 08 00"
    );
    // `Reply::Heap` (the answer to `HeapStats` and `Collect`) carries the
    // same record; a u64 total at its widest is a 10-byte varint.
    let heap = Response {
        seq: 9,
        reply: Reply::Heap(HeapStats {
            gc_us: u64::MAX,
            ..HeapStats::default()
        }),
    };
    assert_eq!(
        hex(&postcard::to_stdvec(&heap).unwrap()),
        "09 08 00 00 00 00 00 00 ff ff ff ff ff ff ff ff ff 01 00"
    );
    let blocks = Response {
        seq: 8,
        reply: Reply::Blocks {
            next: 0,
            runs: Seq::Slice(&[BlockRun {
                tag: 0,
                blocks: 1,
                words: 63,
            }]),
        },
    };
    assert_eq!(
        hex(&postcard::to_stdvec(&blocks).unwrap()),
        "08 0d 00 01 00 01 3f"
    );
    let largest = Response {
        seq: 9,
        reply: Reply::Largest(Seq::Slice(&[HeapObject {
            word: 1,
            tag: 3,
            bytes: 20,
            head: &[1, 2],
        }])),
    };
    let bytes = postcard::to_stdvec(&largest).unwrap();
    assert_eq!(hex(&bytes), "09 0e 01 01 03 14 02 01 02");
    // The host reads back what the device sends.
    let back: Response = postcard::from_bytes(&bytes).unwrap();
    match back.reply {
        Reply::Largest(objs) => assert_eq!(objs.as_slice()[0].head, &[1, 2]),
        other => panic!("got {other:?}"),
    }
}

#[test]
fn store_messages_encode_to_known_bytes() {
    use p14p_protocol::msg::{DeviceError, FileEntry, FileKind, StoreStats};
    use p14p_protocol::seq::Seq;
    let requests: &[(Command, &str)] = &[
        (Command::StoreList { start: 0 }, "0c 00"),
        (
            Command::StoreBegin {
                name: "a",
                kind: FileKind::Data,
                len: 3,
                crc: 1,
            },
            "0d 01 61 01 03 01",
        ),
        (
            Command::StoreChunk {
                offset: 0,
                data: &[9],
            },
            "0e 00 01 09",
        ),
        (Command::StoreCommit, "0f"),
        (
            Command::StoreRead {
                name: "a",
                offset: 2,
                len: 300,
            },
            "10 01 61 02 ac 02",
        ),
        (Command::StoreRemove { name: "a" }, "11 01 61"),
        (Command::StoreStats, "12"),
        (Command::SetMain { name: Some("a") }, "13 01 01 61"),
        (Command::SetMain { name: None }, "13 00"),
    ];
    for (cmd, want) in requests {
        let req = Request {
            seq: 7,
            cmd: cmd.clone(),
        };
        let got = hex(&postcard::to_stdvec(&req).unwrap());
        assert_eq!(got, format!("07 {want}"), "{cmd:?}");
    }
    let entry = [FileEntry {
        name: "a",
        kind: FileKind::Image,
        size: 3,
        crc: 2,
        main: true,
    }];
    let replies: &[(Reply, &str)] = &[
        (
            Reply::Files {
                files: Seq::Slice(&entry),
                next: None,
            },
            "0a 01 01 61 00 03 02 01 00",
        ),
        (
            Reply::Store(StoreStats {
                capacity: 1000,
                used: 10,
                files: 1,
                page_size: 256,
                pages: 4,
            }),
            "0b e8 07 0a 01 80 02 04",
        ),
        (Reply::Error(DeviceError::NoSpace), "09 0f"),
        (Reply::Error(DeviceError::OutOfOrder), "09 12"),
        (Reply::Error(DeviceError::InUse), "09 14"),
    ];
    for (reply, want) in replies {
        let resp = Response {
            seq: 3,
            reply: reply.clone(),
        };
        let got = hex(&postcard::to_stdvec(&resp).unwrap());
        assert_eq!(got, format!("03 {want}"), "{reply:?}");
        let bytes = postcard::to_stdvec(&resp).unwrap();
        let back: Response = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(postcard::to_stdvec(&back).unwrap(), bytes);
    }
}

#[test]
fn the_bytes_feature_bit_encodes_to_known_bytes() {
    use p14p_protocol::version::feature;
    let features = feature::FLOAT64 | feature::BIGINT | feature::BYTES;
    assert_eq!(hex(&postcard::to_stdvec(&features).unwrap()), "46");
}

#[test]
fn message_expansion_encodes_to_known_bytes() {
    use p14p_protocol::errmsg::ErrMsg;
    let ask = Response {
        seq: 7,
        reply: Reply::Expand {
            msg: ErrMsg::NameNotDefined,
            detail: b"x",
        },
    };
    assert_eq!(hex(&postcard::to_stdvec(&ask).unwrap()), "07 0f 01 01 78");
    let answer = Request {
        seq: 8,
        cmd: Command::Expanded { text: b"hi" },
    };
    assert_eq!(
        hex(&postcard::to_stdvec(&answer).unwrap()),
        "08 17 02 68 69"
    );
}

#[test]
fn input_and_its_line_encode_to_known_bytes() {
    let ask = Response {
        seq: 7,
        reply: Reply::Input,
    };
    assert_eq!(hex(&postcard::to_stdvec(&ask).unwrap()), "07 11");
    let answer = Request {
        seq: 8,
        cmd: Command::Line { text: b"42\n" },
    };
    assert_eq!(
        hex(&postcard::to_stdvec(&answer).unwrap()),
        "08 19 03 34 32 0a"
    );
}

#[test]
fn compile_and_its_code_encode_to_known_bytes() {
    let ask = Response {
        seq: 7,
        reply: Reply::Compile {
            eval: true,
            offset: 300,
            source: b"1+2",
        },
    };
    assert_eq!(
        hex(&postcard::to_stdvec(&ask).unwrap()),
        "07 12 01 ac 02 03 31 2b 32"
    );
    let answer = Request {
        seq: 8,
        cmd: Command::Code { bytes: b"P14I" },
    };
    assert_eq!(
        hex(&postcard::to_stdvec(&answer).unwrap()),
        "08 1a 04 50 31 34 49"
    );
}

#[test]
fn numbered_output_and_its_count_encode_to_known_bytes() {
    let output = Response {
        seq: 7,
        reply: Reply::Output {
            n: 300,
            bytes: b"hi",
        },
    };
    assert_eq!(
        hex(&postcard::to_stdvec(&output).unwrap()),
        "07 04 ac 02 02 68 69"
    );
    let done = Response {
        seq: 7,
        reply: Reply::Done { outputs: 301 },
    };
    assert_eq!(hex(&postcard::to_stdvec(&done).unwrap()), "07 05 ad 02");
    // The device's own codec writes the same bytes.
    for msg in [output, done] {
        let ours = p14p_protocol::wire::to_vec(&msg);
        assert_eq!(ours, postcard::to_stdvec(&msg).unwrap());
    }
}
