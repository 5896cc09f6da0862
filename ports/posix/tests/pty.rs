//! The real `p14p-device --pty` binary: open the printed slave path in raw
//! mode, handshake and peek through it.

mod common;

use common::Client;
use p14p_device::Machine;
use p14p_port_posix::memmap::{DEVICE_ID, SYSID};
use p14p_port_posix::pty::make_raw;
use p14p_protocol::msg::{Command, Width};
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::OpenOptionsExt;
use std::process::{Child, Command as Process, Stdio};

/// Kills the device process however the test ends.
struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn handshake_and_peek_over_a_real_pty() {
    let mut child = Process::new(env!("CARGO_BIN_EXE_p14p-device"))
        .args(["--pty", "--heap", "16384"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let path = line.trim();
    assert!(path.starts_with("/dev/"), "printed {path:?}");

    let tty = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(path)
        .unwrap();
    make_raw(&tty).unwrap();
    let mut c = Client::new(tty.try_clone().unwrap(), tty);
    // The Boot frame went out before we opened the slave; the device keeps
    // the slave open, so it may still be queued: do not depend on it.
    let (board, heap, _) = hello_skipping_boot(&mut c);
    assert_eq!(board, "posix-sim");
    // The heap the device announces is its 16 KiB arena less the VM's
    // working tables carved off its end: as an in-process machine on the
    // same arena says.
    let mut arena = vec![0u32; 16384 / 4];
    let same = p14p_port_posix::machine::new_machine(&mut arena).heap_bytes();
    assert!(same < 16384);
    assert_eq!(heap, same);
    let peek = Command::Peek {
        addr: SYSID,
        width: Width::U32,
        count: 2,
    };
    let want: Vec<u8> = [
        DEVICE_ID,
        (p14p_protocol::version::PROTOCOL as u32) << 16
            | p14p_protocol::version::IMAGE_FORMAT as u32,
    ]
    .iter()
    .flat_map(|w| w.to_le_bytes())
    .collect();
    assert_eq!(c.ask(2, peek), format!("Data({want:?})"));
    // 0x00 and 0x0A/0x0D survive the tty untranslated.
    let poke = Command::Poke {
        addr: 0x2000_0000,
        width: Width::U32,
        value: 0x0A0D_000A,
    };
    assert_eq!(c.ask(3, poke), "Ack");
    let peek = Command::Peek {
        addr: 0x2000_0000,
        width: Width::U32,
        count: 1,
    };
    assert_eq!(c.ask(4, peek), "Data([10, 0, 13, 10])");
}

fn hello_skipping_boot<W: std::io::Write>(c: &mut Client<W>) -> (String, u32, Vec<String>) {
    c.send(
        1,
        Command::Hello {
            protocol: p14p_protocol::version::PROTOCOL,
        },
    );
    loop {
        let got = c.next(|r| match r.reply {
            p14p_protocol::msg::Reply::Boot => None,
            p14p_protocol::msg::Reply::Hello(m) => {
                assert_eq!(r.seq, 1);
                Some((m.board.to_string(), m.heap_bytes, Vec::new()))
            }
            other => panic!("unexpected {other:?}"),
        });
        if let Some(v) = got {
            return v;
        }
    }
}
