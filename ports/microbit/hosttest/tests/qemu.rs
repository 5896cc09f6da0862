//! The micro:bit firmware in QEMU (`-machine microbit`), end to end over
//! UART0 on a Unix socket: boot, handshake, peek of the chip's factory
//! information (FICR), poke/peek of the USER RAM, the memory map's
//! refusals, an image load verified on the Cortex-M0, the TIMER0 tick and
//! a receive burst.
//!
//! Needs `qemu-system-arm` and the release firmware
//! (`scripts/firmware.sh test --board microbit` builds it and runs this).

use p14p_microbit_hosttest::{firmware_path, symbol_address, Client, Qemu};
use p14p_protocol::image::{code_flags, CodeBuilder, Image, ImageBuilder};
use p14p_protocol::msg::{Command, DeviceError, ImageError, Reply, Width};
use p14p_protocol::opcode::Op;
use p14p_protocol::version;
use std::thread;
use std::time::Duration;

/// FICR (factory information) of the nRF51822 QFAA as QEMU models it
/// (hw/nvram/nrf51_nvm.c): CODEPAGESIZE 1024 bytes, CODESIZE 256 pages
/// (the 256 KiB part), DEVICEID. QEMU leaves CONFIGID (HWID, the variant
/// code a real chip has, e.g. 0x0072) at 0xFFFFFFFF.
const FICR: u32 = 0x1000_0000;
const CODEPAGESIZE: u32 = FICR + 0x010;
const CODESIZE: u32 = FICR + 0x014;
const USER: u32 = 0x2000_3F00;
const USER_LEN: u32 = 256;
/// GPIO P0's OUT and DIR registers (the LED matrix's rows and columns).
const GPIO_OUT: u32 = 0x5000_0504;
const GPIO_DIR: u32 = 0x5000_0514;
/// NVMC CONFIG: readable, never writable from outside (it would let a
/// poke erase flash).
const NVMC_CONFIG: u32 = 0x4001_E504;

fn boot() -> (Qemu, Client) {
    let mut qemu = Qemu::boot(&firmware_path()).expect("start qemu-system-arm");
    let mut client = qemu.connect().expect("connect to UART0");
    client.wait_for(0, |_| ()).expect("the Boot frame");
    (qemu, client)
}

fn peek(c: &mut Client, addr: u32, width: Width, count: u16) -> Result<Vec<u8>, DeviceError> {
    c.call(Command::Peek { addr, width, count }, |r| match r {
        Reply::Data(d) => Ok(d.to_vec()),
        Reply::Error(e) => Err(*e),
        other => panic!("peek {addr:#x}: unexpected {other:?}"),
    })
    .expect("peek reply")
}

fn peek32(c: &mut Client, addr: u32) -> Result<u32, DeviceError> {
    peek(c, addr, Width::U32, 1).map(|d| u32::from_le_bytes(d.try_into().expect("4 bytes")))
}

fn poke(c: &mut Client, addr: u32, width: Width, value: u32) -> Result<(), DeviceError> {
    c.call(Command::Poke { addr, width, value }, |r| match r {
        Reply::Ack => Ok(()),
        Reply::Error(e) => Err(*e),
        other => panic!("poke {addr:#x}: unexpected {other:?}"),
    })
    .expect("poke reply")
}

#[test]
fn firmware_serves_the_protocol_in_qemu() {
    let (_qemu, mut c) = boot();
    assert_eq!(c.boots, 1);

    // Handshake.
    let (board, heap, proto, machine_module, features) = c
        .call(
            Command::Hello {
                protocol: version::PROTOCOL,
            },
            |r| match r {
                Reply::Hello(m) => (
                    m.board.to_string(),
                    m.heap_bytes,
                    m.protocol,
                    m.natives.as_slice().first().map(|n| n.name.to_string()),
                    m.features,
                ),
                other => panic!("Hello: unexpected {other:?}"),
            },
        )
        .expect("Hello reply");
    assert_eq!(board, "microbit");
    assert_eq!(proto, version::PROTOCOL);
    // The default P14P_HEAP_BYTES arena (6 KiB), less what the VM carves
    // off its end: 32 words of temp roots, 32 of traceback entries and 144
    // of lookup caches.
    assert_eq!(
        heap,
        6 * 1024 - (32 + 32 + 144) * 4,
        "default P14P_HEAP_BYTES"
    );
    assert_eq!(machine_module.as_deref(), Some("machine"));
    let language = version::feature::FLOAT32 | version::feature::BIGINT | version::feature::BYTES;
    let want = if std::env::var("P14P_MINIMAL").as_deref() == Ok("1") {
        0
    } else {
        language
    };
    assert_eq!(features & language, want, "features {features:#x}");
    assert!(c.call(Command::Ping, |r| *r == Reply::Ack).unwrap());

    // The chip describes itself: 1 KiB pages, 256 of them; narrow peeks of
    // FICR read its bytes.
    assert_eq!(peek32(&mut c, CODEPAGESIZE), Ok(1024));
    assert_eq!(peek32(&mut c, CODESIZE), Ok(256));
    assert_eq!(
        peek(&mut c, CODEPAGESIZE, Width::U16, 4),
        Ok(vec![0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00])
    );

    // USER RAM keeps what is poked, at every width.
    assert_eq!(poke(&mut c, USER, Width::U32, 0xDEAD_BEEF), Ok(()));
    assert_eq!(peek32(&mut c, USER), Ok(0xDEAD_BEEF));
    assert_eq!(
        poke(&mut c, USER + 1, Width::U8, 0x1234),
        Ok(()),
        "truncated to 0x34"
    );
    assert_eq!(poke(&mut c, USER + 2, Width::U16, 0x5678), Ok(()));
    assert_eq!(peek32(&mut c, USER), Ok(0x5678_34EF));
    assert_eq!(
        poke(&mut c, USER + USER_LEN - 4, Width::U32, 7),
        Ok(()),
        "last word"
    );

    // Refusals: outside the map, past USER's end, read-only regions,
    // misaligned, narrow peripheral writes.
    assert_eq!(peek32(&mut c, 0x6000_0000), Err(DeviceError::BadAddress));
    assert_eq!(
        peek32(&mut c, USER + USER_LEN),
        Err(DeviceError::BadAddress)
    );
    assert_eq!(
        poke(&mut c, 0x2000_0000, Width::U32, 0),
        Err(DeviceError::BadAddress),
        "firmware RAM (the stack) is read-only"
    );
    assert_eq!(
        poke(&mut c, 0x0000_0000, Width::U32, 0),
        Err(DeviceError::BadAddress),
        "flash is read-only"
    );
    assert_eq!(
        poke(&mut c, NVMC_CONFIG, Width::U32, 2),
        Err(DeviceError::BadAddress),
        "the flash controller is read-only"
    );
    assert_eq!(
        peek32(&mut c, NVMC_CONFIG),
        Ok(0),
        "NVMC idle, read-only mode"
    );
    assert_eq!(peek32(&mut c, FICR + 2), Err(DeviceError::Unaligned));
    assert_eq!(
        poke(&mut c, GPIO_OUT, Width::U8, 0xFF),
        Err(DeviceError::BadAddress),
        "peripheral registers are written as whole words"
    );
    // Flash reads: the reset vector points into the firmware (Thumb), the
    // initial stack pointer below the statics (the stack sits at the
    // bottom of RAM, so an overflow faults).
    let reset = peek32(&mut c, 4).expect("reset vector");
    assert!(reset & 1 == 1 && reset < 192 * 1024, "{reset:#x}");
    let sp = peek32(&mut c, 0).expect("initial stack pointer");
    assert!((0x2000_1000..0x2000_3F00).contains(&sp), "{sp:#x}");

    // GPIO: the LED matrix's pins (rows P0.13-15, columns P0.4-12) are
    // driven through DIR and OUT, as machine.mem32 does.
    let leds = 0b111 << 13 | 0x1FF << 4;
    assert_eq!(poke(&mut c, GPIO_DIR, Width::U32, leds), Ok(()));
    assert_eq!(poke(&mut c, GPIO_OUT, Width::U32, 0b111 << 13), Ok(()));
    assert_eq!(peek32(&mut c, GPIO_DIR).map(|d| d & leds), Ok(leds));
    assert_eq!(peek32(&mut c, GPIO_OUT), Ok(0b111 << 13));
}

/// `<module>`: `return None`, or `code` if given.
fn image(code: Vec<u8>) -> Vec<u8> {
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

fn load(c: &mut Client, img: &[u8]) -> Reply<'static> {
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

#[test]
fn images_are_verified_on_the_device() {
    let (_qemu, mut c) = boot();
    let good = image(vec![Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8]);
    let hash = Image::parse(&good).unwrap().hash();
    assert_eq!(load(&mut c, &good), Reply::Loaded { hash });

    // Falls off the end of its code: rejected by the verifier.
    let bad = image(vec![Op::LOAD_NONE as u8]);
    assert_eq!(
        load(&mut c, &bad),
        Reply::Error(DeviceError::BadImage(ImageError::FallsOff { code: 0 })),
    );
}

#[test]
fn timer0_ticks_and_no_received_byte_is_lost() {
    let elf = firmware_path();
    let ticks = symbol_address(&elf, "5clock5TICKS").expect("clock::TICKS");
    let dropped = symbol_address(&elf, "4uart7DROPPED").expect("uart::DROPPED");
    let (_qemu, mut c) = boot();
    let t0 = peek32(&mut c, ticks).expect("ticks");
    // Only that the clock moves: no rate is asserted.
    thread::sleep(Duration::from_millis(200));
    let t1 = peek32(&mut c, ticks).expect("ticks");
    assert!(t1 > t0, "TIMER0 ticks: {t0} then {t1}");

    // A burst far larger than the 6-byte receive FIFO, sent in one write
    // while the device is busy answering: as many Pings back to back as the
    // 256-byte receive ring holds (uart.rs's RING_LEN), the most the link
    // may leave undrained. Not more: QEMU feeds the UART as fast as its
    // FIFO takes bytes, not at a baud rate, so a burst past the ring races
    // the main loop and lost a frame on a loaded machine.
    let ping = |seq: u16| {
        p14p_protocol::frame::encode_vec(&p14p_protocol::msg::Request {
            seq,
            cmd: Command::Ping,
        })
        .expect("frame")
    };
    let count = (256 / ping(1000).len()) as u16;
    assert!(count >= 20, "a burst of {count} frames");
    let seqs = 1000..1000 + count;
    let frames: Vec<u8> = seqs.clone().flat_map(ping).collect();
    assert!(frames.len() <= 256, "{} bytes", frames.len());
    c.send_raw(&frames).expect("burst");
    for seq in seqs {
        assert!(
            c.wait_for(seq, |r| *r == Reply::Ack).expect("reply"),
            "seq {seq}"
        );
    }
    assert_eq!(peek32(&mut c, dropped), Ok(0), "bytes lost on receive");
}
