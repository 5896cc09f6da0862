//! The `qemu[:ELF]` transport: starts `qemu-system-arm -machine lm3s6965evb`
//! with the LM3S6965 firmware (or, for `qemu:microbit[:ELF]`, `-machine
//! microbit` with the micro:bit firmware) and talks to its UART0 through
//! the emulator's stdin and stdout.
//!
//! Pipes instead of QEMU's `-serial tcp:…`: no port to pick or to race
//! another process for. QEMU's stdio character device passes bytes
//! through untranslated when stdin is not a terminal, so the frames arrive
//! as a UART would deliver them.
//!
//! The emulator lives exactly as long as the [`Qemu`] stream, and never
//! longer than p14p, on every way out (each run used to leave one
//! `qemu-system-arm` behind):
//! * the stream's drop kills and reaps it;
//! * [`stop_all`] kills and reaps every emulator still running: `p14p`'s
//!   `main` calls it before it returns (the stream may still sit in a
//!   task the runtime drops too late, after the process ended), and its
//!   panic hook calls it;
//! * SIGTERM and SIGHUP to p14p stop them, then end p14p (128 + signal);
//! * a p14p that dies without running any code (SIGKILL, or Ctrl-C
//!   before a program runs: the emulator is in its own process group, so
//!   the terminal's SIGINT does not reach it) takes the emulator with it:
//!   it is started through `setpriv --pdeathsig KILL` where that exists
//!   (util-linux), so the kernel kills it when its parent goes.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Mutex, Once};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::process::{ChildStdin, ChildStdout};

/// The firmware `scripts/firmware.sh build` makes, relative to the
/// repository's root: what `qemu` alone runs.
pub const DEFAULT_FIRMWARE: &str = "ports/lm3s6965/target/thumbv7m-none-eabi/release/p14p-lm3s6965";

/// The micro:bit firmware `scripts/firmware.sh build --board microbit`
/// makes: what `qemu:microbit` runs.
pub const MICROBIT_FIRMWARE: &str =
    "ports/microbit/target/thumbv6m-none-eabi/release/p14p-microbit";

/// The boards QEMU emulates for p14p.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Board {
    /// TI LM3S6965 (`-machine lm3s6965evb`), ports/lm3s6965.
    Lm3s6965,
    /// BBC micro:bit v1 (`-machine microbit`), ports/microbit.
    Microbit,
}

impl Board {
    /// QEMU's machine options for the board.
    fn machine_args(self) -> &'static [&'static str] {
        match self {
            Board::Lm3s6965 => &["-machine", "lm3s6965evb", "-cpu", "cortex-m3"],
            Board::Microbit => &["-machine", "microbit"],
        }
    }

    /// The firmware the repository's build makes for the board, and how.
    fn default_firmware(self) -> (&'static str, &'static str) {
        match self {
            Board::Lm3s6965 => (DEFAULT_FIRMWARE, "scripts/firmware.sh build"),
            Board::Microbit => (
                MICROBIT_FIRMWARE,
                "scripts/firmware.sh build --board microbit",
            ),
        }
    }
}

/// The emulator binary.
const QEMU: &str = "qemu-system-arm";

/// Runs a command with the parent-death signal set (util-linux).
const SETPRIV: &str = "setpriv";

/// Every emulator this process started and has not stopped yet.
static RUNNING: Mutex<Vec<std::process::Child>> = Mutex::new(Vec::new());

/// A running emulated board: reads are UART0's output, writes its input.
#[derive(Debug)]
pub struct Qemu {
    // The emulator's process id, its entry in `RUNNING`.
    id: u32,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

impl Drop for Qemu {
    fn drop(&mut self) {
        let child = {
            let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            running
                .iter()
                .position(|c| c.id() == self.id)
                .map(|i| running.swap_remove(i))
        };
        if let Some(child) = child {
            stop(child);
        }
    }
}

/// Kills `child` and waits for it, so it is neither left running nor left
/// a zombie. (SIGKILL: QEMU has nothing to save.)
fn stop(mut child: std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Kills and reaps every emulator this process started that still runs.
/// Called on p14p's way out, whichever way that is.
pub fn stop_all() {
    let children: Vec<_> = {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.drain(..).collect()
    };
    for child in children {
        stop(child);
    }
}

/// Ends p14p on SIGTERM or SIGHUP after stopping the emulators (their
/// default action would end p14p and leave them running). Installed with
/// the first emulator, so other commands keep the default actions.
fn stop_on_termination() {
    use tokio::signal::unix::{signal, SignalKind};
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        for (kind, number) in [(SignalKind::terminate(), 15), (SignalKind::hangup(), 1)] {
            let Ok(mut s) = signal(kind) else { continue };
            tokio::spawn(async move {
                if s.recv().await.is_some() {
                    stop_all();
                    std::process::exit(128 + number);
                }
            });
        }
    });
}

/// The board and firmware a `qemu[:SPEC]` port names: `qemu` and
/// `qemu:ELF` the LM3S6965 with ELF or [`DEFAULT_FIRMWARE`];
/// `qemu:microbit` and `qemu:microbit:ELF` the micro:bit with ELF or
/// [`MICROBIT_FIRMWARE`]. A default firmware is looked up by
/// [`find_default`], so `-p qemu` works from any directory of the
/// checkout; a named ELF is taken as given.
pub fn firmware(spec: Option<&str>) -> (Board, PathBuf) {
    match spec {
        Some("microbit") => (Board::Microbit, find_default(MICROBIT_FIRMWARE)),
        Some(s) => match s.strip_prefix("microbit:") {
            Some(elf) => (Board::Microbit, PathBuf::from(elf)),
            None => (Board::Lm3s6965, PathBuf::from(s)),
        },
        None => (Board::Lm3s6965, find_default(DEFAULT_FIRMWARE)),
    }
}

/// Where the repository-relative firmware path `rel` is: under the current
/// directory or the nearest ancestor that has it (a user working in
/// `examples/` or `ports/microbit/`), else under the checkout this p14p was
/// built from (`cargo install --path host` leaves no repository beside the
/// binary). `rel` itself when none has it, so the error names the path the
/// build makes.
pub fn find_default(rel: &str) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).parent();
    find_from(rel, &cwd, built_from)
}

/// [`find_default`] from directory `start`, with `built_from` the checkout
/// to fall back on.
fn find_from(rel: &str, start: &Path, built_from: Option<&Path>) -> PathBuf {
    start
        .ancestors()
        .chain(built_from)
        .map(|dir| dir.join(rel))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(rel))
}

/// Whether `program` is an executable file in a directory of `$PATH`.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Boots `elf` on the emulated `board`. Fails, saying what to do, when the
/// firmware is not there or QEMU is not installed. Must be called inside a
/// tokio runtime (the pipes register with its reactor).
pub fn open(board: Board, elf: &Path) -> io::Result<Qemu> {
    if !elf.is_file() {
        let (default, build) = board.default_firmware();
        let hint = if elf.ends_with(default) {
            format!(" (build it with `{build}` in the p14p repository, or name one: -p qemu:FIRMWARE.elf, -p qemu:microbit:FIRMWARE.elf)")
        } else {
            String::new()
        };
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no firmware at {}{hint}", elf.display()),
        ));
    }
    if !on_path(QEMU) {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{QEMU} not found (Debian: apt-get install qemu-system-arm)"),
        ));
    }
    let mut cmd = if on_path(SETPRIV) {
        let mut c = std::process::Command::new(SETPRIV);
        c.args(["--pdeathsig", "KILL", "--", QEMU]);
        c
    } else {
        std::process::Command::new(QEMU)
    };
    cmd.args(board.machine_args())
        .args(["-display", "none", "-monitor", "none", "-serial", "stdio"])
        .arg("-kernel")
        .arg(elf)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // QEMU's own notes (e.g. "Timer with period zero") are not the
        // device's output.
        .stderr(Stdio::null());
    // Its own process group: Ctrl-C at the REPL interrupts the Python
    // program (the session sends Interrupt), not the emulator.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    stop_on_termination();
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    let mut child = cmd
        .spawn()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot start {QEMU}: {e}")))?;
    let pipes = (child.stdin.take(), child.stdout.take());
    let (Some(stdin), Some(stdout)) = pipes else {
        stop(child);
        return Err(io::Error::other("qemu-system-arm started without pipes"));
    };
    let id = child.id();
    running.push(child);
    Ok(Qemu {
        id,
        stdin: ChildStdin::from_std(stdin)?,
        stdout: ChildStdout::from_std(stdout)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_firmware_is_found_from_any_directory_of_the_checkout() {
        let root = std::env::temp_dir().join(format!("p14p-qemu-find-{}", std::process::id()));
        let elf = root.join(DEFAULT_FIRMWARE);
        std::fs::create_dir_all(elf.parent().unwrap()).unwrap();
        std::fs::write(&elf, b"\x7fELF").unwrap();
        let deep = root.join("examples/microbit");
        std::fs::create_dir_all(&deep).unwrap();
        // From the root, from a subdirectory, and from outside the checkout
        // through the checkout p14p was built from.
        assert_eq!(find_from(DEFAULT_FIRMWARE, &root, None), elf);
        assert_eq!(find_from(DEFAULT_FIRMWARE, &deep, None), elf);
        let outside = std::env::temp_dir();
        assert_eq!(find_from(DEFAULT_FIRMWARE, &outside, Some(&root)), elf);
        // Nowhere: the repository-relative path, for the error message.
        assert_eq!(
            find_from(MICROBIT_FIRMWARE, &deep, None),
            PathBuf::from(MICROBIT_FIRMWARE)
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
