//! Golden bytes: the exact wire encoding of representative messages. A
//! change here is a protocol change: bump `version::PROTOCOL`.

use p14p_protocol::frame;
use p14p_protocol::msg::{Command, Reply, Request, Response, Width};

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
