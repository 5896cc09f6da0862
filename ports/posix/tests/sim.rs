//! The simulated device over its Unix socket: handshake, the memory map
//! through peek and poke, image loading, and a clean shutdown.

mod common;

use common::Client;
use p14p_device::Machine;
use p14p_port_posix::memmap::{DEVICE_ID, GPIO, SRAM, SYSID};
use p14p_port_posix::sim::{spawn, SimConfig};
use p14p_protocol::image::{code_flags, fnv1a, CodeBuilder, ImageBuilder};
use p14p_protocol::msg::{Command, Width};
use p14p_protocol::opcode::Op;

fn sim() -> (
    Client<std::os::unix::net::UnixStream>,
    std::thread::JoinHandle<()>,
) {
    let s = spawn(SimConfig {
        heap_bytes: 8192,
        store: None,
    })
    .unwrap();
    let reader = s.stream.try_clone().unwrap();
    let mut c = Client::new(reader, s.stream);
    c.expect_boot();
    (c, s.thread)
}

fn data(words: &[u32]) -> String {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    format!("Data({bytes:?})")
}

#[test]
fn handshake() {
    let (mut c, _t) = sim();
    let (board, heap, natives) = c.hello(1);
    assert_eq!(board, "posix-sim");
    // The 8 KiB arena less the VM's working tables carved off its end, as
    // an in-process machine on the same arena says.
    let mut arena = vec![0u32; 8192 / 4];
    let same = p14p_port_posix::machine::new_machine(&mut arena).heap_bytes();
    assert!(same < 8192);
    assert_eq!(heap, same);
    // The device's own, then the simulator's `board` (docs/PORTING.md).
    assert_eq!(
        natives,
        ["machine", "gc", "time", "sys", "math", "os", "board"]
    );
    assert_eq!(c.ask(2, Command::Ping), "Ack");
}

#[test]
fn peek_sysid_and_poke_sram() {
    let (mut c, _t) = sim();
    let peek = |addr, width, count| Command::Peek { addr, width, count };
    let poke = |addr, width, value| Command::Poke { addr, width, value };
    assert_eq!(c.ask(1, peek(SYSID, Width::U32, 1)), data(&[DEVICE_ID]));
    assert_eq!(c.ask(2, poke(SRAM + 8, Width::U32, 0xCAFE_F00D)), "Ack");
    assert_eq!(c.ask(3, poke(SRAM + 12, Width::U8, 0x1A5)), "Ack");
    assert_eq!(
        c.ask(4, peek(SRAM + 8, Width::U32, 2)),
        data(&[0xCAFE_F00D, 0xA5])
    );
    assert_eq!(c.ask(5, poke(GPIO + 4, Width::U32, 0b101)), "Ack");
    assert_eq!(c.ask(6, peek(GPIO + 4, Width::U16, 1)), "Data([5, 0])");
}

#[test]
fn out_of_map_and_read_only_accesses_are_refused() {
    let (mut c, _t) = sim();
    let peek = |addr, width, count| Command::Peek { addr, width, count };
    assert_eq!(
        c.ask(1, peek(0x1000, Width::U32, 1)),
        "Error(BadAddress)",
        "the host process's memory is never reachable"
    );
    assert_eq!(
        c.ask(2, peek(SRAM + 4094, Width::U32, 1)),
        "Error(Unaligned)"
    );
    assert_eq!(
        c.ask(3, peek(SRAM + 4092, Width::U32, 2)),
        "Error(BadAddress)"
    );
    let poke = Command::Poke {
        addr: SYSID,
        width: Width::U32,
        value: 0,
    };
    assert_eq!(c.ask(4, poke), "Error(BadAddress)");
}

#[test]
fn images_are_loaded_and_verified() {
    let (mut c, _t) = sim();
    let mut b = ImageBuilder::new();
    let m = b.reserve_code();
    let name = b.name("<module>");
    b.set_code(
        m,
        CodeBuilder {
            flags: code_flags::MODULE,
            name,
            max_stack: 1,
            code: vec![Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8],
            ..Default::default()
        },
    );
    let image = b.finish().unwrap();
    let hash = u32::from_le_bytes(image[12..16].try_into().unwrap());
    assert_eq!(hash, fnv1a(&image[16..]));
    let begin = Command::LoadBegin {
        len: image.len() as u32,
        hash,
        name: None,
    };
    assert_eq!(c.ask(1, begin.clone()), "Ack");
    for (i, part) in image.chunks(32).enumerate() {
        let chunk = Command::LoadChunk {
            offset: (i * 32) as u32,
            data: part,
        };
        assert_eq!(c.ask(2 + i as u16, chunk), "Ack");
    }
    assert_eq!(
        c.ask(100, Command::LoadEnd),
        format!("Loaded {{ hash: {hash} }}")
    );
    // A corrupt image is refused by the verifier.
    let mut bad = image.clone();
    let code = [Op::LOAD_NONE as u8, Op::RETURN_VALUE as u8];
    let at = bad
        .windows(2)
        .position(|w| w == code)
        .expect("the code in the image");
    // A byte that is no opcode in any form (short, implied, narrow), in
    // place of LOAD_NONE.
    bad[at] = (0..=u8::MAX)
        .find(|&b| Op::of_byte(b).is_none())
        .expect("an unused opcode byte");
    let hash = fnv1a(&bad[16..]);
    bad[12..16].copy_from_slice(&hash.to_le_bytes());
    let begin = Command::LoadBegin {
        len: bad.len() as u32,
        hash,
        name: None,
    };
    assert_eq!(c.ask(101, begin), "Ack");
    let chunk = Command::LoadChunk {
        offset: 0,
        data: &bad,
    };
    assert_eq!(c.ask(102, chunk), "Ack");
    let end = c.ask(103, Command::LoadEnd);
    assert!(end.starts_with("Error(BadImage(Opcode"), "{end}");
}

#[test]
fn the_device_thread_ends_when_the_host_hangs_up() {
    let s = spawn(SimConfig::default()).unwrap();
    drop(s.stream);
    s.thread.join().unwrap();
}
