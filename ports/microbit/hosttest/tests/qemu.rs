//! The micro:bit firmware in QEMU (`-machine microbit`), end to end over
//! UART0 on a Unix socket: boot, handshake, peek of the chip's factory
//! information (FICR), poke/peek of the USER RAM, the memory map's
//! refusals, an image load verified on the Cortex-M0, the TIMER0 tick and
//! a receive burst.
//!
//! Needs `qemu-system-arm` and the release firmware
//! (`scripts/firmware.sh test --board microbit` builds it and runs this).

use p14p_microbit_hosttest::check::{self, peek, peek32, poke};
use p14p_microbit_hosttest::{Client, Qemu, BOARD};
use p14p_protocol::msg::{Command, DeviceError, Reply, Width};
use p14p_protocol::version;

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
    check::boot(&BOARD)
}

/// The `heap N` line of the footprint budget this build is checked
/// against (`footprint-budget-minimal.txt` when `P14P_MINIMAL=1`).
fn heap_floor() -> u32 {
    let name = if std::env::var("P14P_MINIMAL").as_deref() == Ok("1") {
        "footprint-budget-minimal.txt"
    } else {
        "footprint-budget.txt"
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the footprint budget");
    text.lines()
        .find_map(|l| l.strip_prefix("heap ")?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `heap N` line in {}", path.display()))
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
    assert_eq!(board, "microbit");
    assert_eq!(proto, version::PROTOCOL);
    // The heap the board offers (the arena less what the VM carves off its
    // end) is at least the floor in the footprint budget.
    let floor = heap_floor();
    assert!(
        heap >= floor,
        "the manifest announces {heap} bytes of heap, under the budget's floor of {floor}"
    );
    assert_eq!(machine_module, "machine");
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

#[test]
fn images_are_verified_on_the_device() {
    check::images_are_verified_on_the_device(&BOARD);
}

#[test]
fn timer0_ticks_and_no_received_byte_is_lost() {
    check::clock_ticks_and_no_received_byte_is_lost(&BOARD);
}
