//! Helpers for a port's `tests/qemu.rs` (boot, peek, poke, load) and the
//! checks every Cortex-M port passes the same way.

use crate::{symbol_address, Board, Client, Qemu};
use p14p_protocol::image::{code_flags, CodeBuilder, Image, ImageBuilder};
use p14p_protocol::msg::{Command, DeviceError, ImageError, Reply, Width};
use p14p_protocol::opcode::Op;
use std::thread;
use std::time::Duration;

/// Boots `board` in QEMU and connects, past the `Boot` frame.
pub fn boot(board: &Board) -> (Qemu, Client) {
    let mut qemu = Qemu::boot(board).expect("start qemu-system-arm");
    let mut client = qemu.connect().expect("connect to UART0");
    client.wait_for(0, |_| ()).expect("the Boot frame");
    (qemu, client)
}

/// Peeks `count` items of `width` at `addr`: the bytes, or the device's
/// refusal.
pub fn peek(c: &mut Client, addr: u32, width: Width, count: u16) -> Result<Vec<u8>, DeviceError> {
    c.call(Command::Peek { addr, width, count }, |r| match r {
        Reply::Data(d) => Ok(d.to_vec()),
        Reply::Error(e) => Err(*e),
        other => panic!("peek {addr:#x}: unexpected {other:?}"),
    })
    .expect("peek reply")
}

/// Peeks one word.
pub fn peek32(c: &mut Client, addr: u32) -> Result<u32, DeviceError> {
    peek(c, addr, Width::U32, 1).map(|d| u32::from_le_bytes(d.try_into().expect("4 bytes")))
}

/// Pokes `value` at `addr`.
pub fn poke(c: &mut Client, addr: u32, width: Width, value: u32) -> Result<(), DeviceError> {
    c.call(Command::Poke { addr, width, value }, |r| match r {
        Reply::Ack => Ok(()),
        Reply::Error(e) => Err(*e),
        other => panic!("poke {addr:#x}: unexpected {other:?}"),
    })
    .expect("poke reply")
}

/// `<module>` running `code`.
pub fn image(code: Vec<u8>) -> Vec<u8> {
    let mut b = ImageBuilder::new();
    let m = b.reserve_code();
    let name = b.name("<module>");
    b.set_code(
        m,
        CodeBuilder {
            flags: code_flags::MODULE,
            name,
            max_stack: 1,
            code,
            ..Default::default()
        },
    );
    b.finish().expect("image")
}

/// Loads `img` in 128-byte chunks; the `LoadEnd` reply.
pub fn load(c: &mut Client, img: &[u8]) -> Reply<'static> {
    let hash = Image::parse(img).expect("parse").hash();
    let len = img.len() as u32;
    let begin = Command::LoadBegin {
        len,
        hash,
        name: None,
    };
    assert!(c.call(begin, |r| *r == Reply::Ack).unwrap());
    for (i, chunk) in img.chunks(128).enumerate() {
        let cmd = Command::LoadChunk {
            offset: (i * 128) as u32,
            data: chunk,
        };
        assert!(c.call(cmd, |r| *r == Reply::Ack).unwrap());
    }
    c.call(Command::LoadEnd, |r| match r {
        Reply::Loaded { hash } => Reply::Loaded { hash: *hash },
        Reply::Error(e) => Reply::Error(*e),
        other => panic!("LoadEnd: unexpected {other:?}"),
    })
    .expect("LoadEnd reply")
}

/// A good image loads; one that falls off the end of its code is rejected
/// by the verifier, on the device.
pub fn images_are_verified_on_the_device(board: &Board) {
    let (_qemu, mut c) = boot(board);
    let good = image(vec![Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8]);
    let hash = Image::parse(&good).unwrap().hash();
    assert_eq!(load(&mut c, &good), Reply::Loaded { hash });

    let bad = image(vec![Op::LOAD_NONE as u8]);
    assert_eq!(
        load(&mut c, &bad),
        Reply::Error(DeviceError::BadImage(ImageError::FallsOff { code: 0 })),
    );
}

/// The millisecond counter `clock::TICKS` moves, and a burst of frames
/// sent in one write loses no byte (`uart::DROPPED` stays 0).
///
/// The burst (4 KiB of Pings back to back) is far larger than the UART's
/// receive FIFO and the 128-byte receive ring (uart.rs's `RING_LEN`), sent
/// while the device is busy answering. QEMU feeds the UART as fast as its
/// FIFO takes bytes, not at a baud rate, so this holds only because the
/// receive interrupt masks itself on a full ring (`Ring::fill`) and QEMU
/// then stops reading the socket: a ring that dropped what did not fit
/// lost most of such a burst.
pub fn clock_ticks_and_no_received_byte_is_lost(board: &Board) {
    /// Bytes in the burst.
    const BURST: usize = 4096;
    let elf = board.firmware_path();
    let ticks = symbol_address(&elf, "5clock5TICKS").expect("clock::TICKS");
    let dropped = symbol_address(&elf, "4uart7DROPPED").expect("uart::DROPPED");
    let (_qemu, mut c) = boot(board);
    let t0 = peek32(&mut c, ticks).expect("ticks");
    // Only that the clock moves: no rate is asserted.
    thread::sleep(Duration::from_millis(200));
    let t1 = peek32(&mut c, ticks).expect("ticks");
    assert!(t1 > t0, "the clock ticks: {t0} then {t1}");

    let ping = |seq: u16| {
        p14p_protocol::frame::encode_vec(&p14p_protocol::msg::Request {
            seq,
            cmd: Command::Ping,
        })
        .expect("frame")
    };
    let count = (BURST / ping(1000).len()) as u16;
    let seqs = 1000..1000 + count;
    let frames: Vec<u8> = seqs.clone().flat_map(ping).collect();
    assert!(frames.len() > 3000, "{} bytes", frames.len());
    c.send_raw(&frames).expect("burst");
    for seq in seqs {
        assert!(
            c.wait_for(seq, |r| *r == Reply::Ack).expect("reply"),
            "seq {seq}"
        );
    }
    assert_eq!(peek32(&mut c, dropped), Ok(0), "bytes lost on receive");
}
