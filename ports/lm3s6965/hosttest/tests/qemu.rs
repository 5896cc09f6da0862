//! The LM3S6965 firmware in QEMU, end to end over UART0 on a Unix socket: boot,
//! handshake, peek of the chip's identification registers, poke/peek of
//! the USER SRAM, the memory map's refusals, and an image load verified on
//! the Cortex-M3.
//!
//! Needs `qemu-system-arm` and the release firmware
//! (`scripts/firmware.sh test` builds it and runs this).

use p14p_lm3s6965_hosttest::check::{self, peek, peek32, poke};
use p14p_lm3s6965_hosttest::{Client, Qemu, BOARD};
use p14p_protocol::msg::{Command, DeviceError, Reply, Width};
use p14p_protocol::version;

/// DID0 and DID1 of the LM3S6965 as QEMU models them (hw/arm/stellaris.c,
/// board "LM3S6965EVB"). DID0: version 1, class 0x01 (Fury), revision A2.
/// DID1: version 1, family 0 (Stellaris), part number 0x73 (LM3S6965),
/// 100 pins, industrial range, LQFP, RoHS, fully qualified.
const DID0: u32 = 0x1001_0002;
const DID1: u32 = 0x1073_402E;
const SYSCTL: u32 = 0x400F_E000;
const RCGC2: u32 = SYSCTL + 0x108;
const USER: u32 = 0x2000_FC00;
const GPIOB_DATA_ALL: u32 = 0x4000_5000 + 0x3FC;

fn boot() -> (Qemu, Client) {
    check::boot(&BOARD)
}

#[test]
fn firmware_serves_the_protocol_in_qemu() {
    let (_qemu, mut c) = boot();
    assert_eq!(c.boots, 1);

    // Handshake.
    let (board, heap, proto, natives, features) = c
        .call(
            Command::Hello {
                protocol: version::PROTOCOL,
            },
            |r| match r {
                Reply::Hello(m) => (
                    m.board.to_string(),
                    m.heap_bytes,
                    m.protocol,
                    m.natives,
                    m.features,
                ),
                other => panic!("Hello: unexpected {other:?}"),
            },
        )
        .expect("Hello reply");
    // The first native module, asked for on its own (protocol 10). A
    // minimal build has no files, so no `os`: five modules.
    assert!(natives >= 5, "{natives} native modules");
    let machine_module = c.native_name(0).expect("Native reply");
    assert_eq!(board, "lm3s6965evb");
    assert_eq!(proto, version::PROTOCOL);
    // The default P14P_HEAP_BYTES arena, less what the VM carves off its
    // end: 32 words of temp roots, 32 of traceback entries and 144 of
    // lookup caches.
    assert_eq!(
        heap,
        32 * 1024 - (32 + 32 + 144) * 4,
        "default P14P_HEAP_BYTES"
    );
    assert_eq!(machine_module, "machine");
    // The language features the build has (`scripts/firmware.sh test
    // --minimal` sets P14P_MINIMAL=1: no floats, big ints or bytes).
    let language = version::feature::FLOAT32 | version::feature::BIGINT | version::feature::BYTES;
    let want = if std::env::var("P14P_MINIMAL").as_deref() == Ok("1") {
        0
    } else {
        language
    };
    assert_eq!(features & language, want, "features {features:#x}");
    assert!(c.call(Command::Ping, |r| *r == Reply::Ack).unwrap());

    // The chip identifies itself, whole and in parts (narrow peeks of a
    // register read the word and return their part).
    assert_eq!(peek32(&mut c, SYSCTL), Ok(DID0));
    assert_eq!(peek32(&mut c, SYSCTL + 4), Ok(DID1));
    assert_eq!(
        peek(&mut c, SYSCTL, Width::U16, 4),
        Ok(vec![0x02, 0x00, 0x01, 0x10, 0x2E, 0x40, 0x73, 0x10])
    );

    // USER SRAM keeps what is poked, at every width.
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
        poke(&mut c, USER + 1020, Width::U32, 7),
        Ok(()),
        "last word"
    );

    // Refusals: outside the map, past USER's end, read-only regions,
    // misaligned.
    assert_eq!(peek32(&mut c, 0x6000_0000), Err(DeviceError::BadAddress));
    assert_eq!(peek32(&mut c, USER + 1024), Err(DeviceError::BadAddress));
    assert_eq!(
        poke(&mut c, 0x2000_0000, Width::U32, 0),
        Err(DeviceError::BadAddress),
        "firmware SRAM is read-only"
    );
    assert_eq!(
        poke(&mut c, 0x0000_0000, Width::U32, 0),
        Err(DeviceError::BadAddress),
        "flash is read-only"
    );
    assert_eq!(peek32(&mut c, SYSCTL + 2), Err(DeviceError::Unaligned));
    assert_eq!(
        poke(&mut c, RCGC2, Width::U8, 0xFF),
        Err(DeviceError::BadAddress),
        "peripheral registers are written as whole words"
    );
    // Flash reads: the vector table's reset vector points into flash (Thumb).
    let reset = peek32(&mut c, 4).expect("reset vector");
    assert!(reset & 1 == 1 && reset < 256 * 1024, "{reset:#x}");

    // A GPIO port is refused while its clock is gated (a bus fault on
    // silicon), and reachable once the program turns the clock on.
    let gates = peek32(&mut c, RCGC2).expect("RCGC2");
    assert_eq!(gates & 0b10, 0, "GPIOB starts gated");
    assert_eq!(peek32(&mut c, GPIOB_DATA_ALL), Err(DeviceError::BadAddress));
    assert_eq!(poke(&mut c, RCGC2, Width::U32, gates | 0b10), Ok(()));
    assert_eq!(peek32(&mut c, GPIOB_DATA_ALL), Ok(0));
}

#[test]
fn images_are_verified_on_the_device() {
    check::images_are_verified_on_the_device(&BOARD);
}

#[test]
fn systick_counts_and_no_received_byte_is_lost() {
    check::clock_ticks_and_no_received_byte_is_lost(&BOARD);
}
