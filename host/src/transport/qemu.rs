//! The `qemu[:ELF]` transport: starts `qemu-system-arm -machine lm3s6965evb`
//! with the LM3S6965 firmware and talks to its UART0 through the
//! emulator's stdin and stdout.
//!
//! Pipes instead of QEMU's `-serial tcp:…`: no port to pick or to race
//! another process for, and the emulator lives exactly as long as the
//! [`Qemu`] stream (it is killed on drop). QEMU's stdio character device
//! passes bytes through untranslated when stdin is not a terminal, so the
//! frames arrive as a UART would deliver them.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// The firmware `scripts/firmware.sh build` makes, relative to the
/// repository's root: what `qemu` alone runs.
pub const DEFAULT_FIRMWARE: &str = "ports/lm3s6965/target/thumbv7m-none-eabi/release/p14p-lm3s6965";

/// The emulator binary.
const QEMU: &str = "qemu-system-arm";

/// A running emulated board: reads are UART0's output, writes its input.
#[derive(Debug)]
pub struct Qemu {
    // Kept so the emulator is killed when the stream is dropped.
    _child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

/// The firmware a `qemu[:ELF]` port names: ELF, or [`DEFAULT_FIRMWARE`].
pub fn firmware(elf: Option<&str>) -> PathBuf {
    PathBuf::from(elf.unwrap_or(DEFAULT_FIRMWARE))
}

/// Boots `elf` in QEMU. Fails, saying what to do, when the firmware is
/// not there or QEMU is not installed.
pub fn open(elf: &Path) -> io::Result<Qemu> {
    if !elf.is_file() {
        let hint = if elf == Path::new(DEFAULT_FIRMWARE) {
            " (build it with `scripts/firmware.sh build` in the p14p repository, or name one: -p qemu:FIRMWARE.elf)"
        } else {
            ""
        };
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no firmware at {}{hint}", elf.display()),
        ));
    }
    let mut child = Command::new(QEMU)
        .args(["-machine", "lm3s6965evb", "-cpu", "cortex-m3"])
        .args(["-display", "none", "-monitor", "none", "-serial", "stdio"])
        .arg("-kernel")
        .arg(elf)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // QEMU's own notes (e.g. "Timer with period zero") are not the
        // device's output.
        .stderr(Stdio::null())
        // Its own process group: Ctrl-C at the REPL interrupts the Python
        // program (the session sends Interrupt), not the emulator.
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                io::Error::new(
                    e.kind(),
                    format!("{QEMU} not found (Debian: apt-get install qemu-system-arm)"),
                )
            } else {
                io::Error::new(e.kind(), format!("cannot start {QEMU}: {e}"))
            }
        })?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(io::Error::other("qemu-system-arm started without pipes"));
    };
    Ok(Qemu {
        _child: child,
        stdin,
        stdout,
    })
}

impl AsyncRead for Qemu {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stdout).poll_read(cx, buf)
    }
}

impl AsyncWrite for Qemu {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stdin).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stdin).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stdin).poll_shutdown(cx)
    }
}
