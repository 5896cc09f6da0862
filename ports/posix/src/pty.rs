//! A pseudo-terminal in raw mode, so `p14p-device --pty` looks like a
//! serial port to the host tool: no echo, no CR/LF translation, no signal
//! characters, 8-bit clean.
//!
//! The device keeps its own handle on the slave side open. Otherwise, each
//! time a client closed the slave, reads on the master would fail with
//! `EIO` until the next client opened it; with it, the master simply waits.
//!
//! This is the only module of the port with `unsafe` code: four libc calls
//! that have no safe wrapper in std.

use std::ffi::CStr;
use std::fs::{File, OpenOptions};
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

/// An open pseudo-terminal pair.
#[derive(Debug)]
pub struct Pty {
    /// The master side: the device reads and writes here.
    pub master: File,
    /// The device's own handle on the slave side (see the module docs).
    pub slave: File,
    /// The slave's path (`/dev/pts/N`), for the host to open.
    pub path: PathBuf,
}

fn check(ret: libc::c_int) -> io::Result<()> {
    if ret == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Opens a new pseudo-terminal and puts it in raw mode.
pub fn open_raw() -> io::Result<Pty> {
    // SAFETY: posix_openpt takes flags only and returns a new descriptor or -1.
    let fd = unsafe { libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by posix_openpt, is open, and nothing
    // else owns it; OwnedFd closes it exactly once.
    let master = File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    // SAFETY: `fd` is a valid pty master descriptor owned by `master`,
    // which outlives both calls.
    check(unsafe { libc::grantpt(fd) })?;
    // SAFETY: as above.
    check(unsafe { libc::unlockpt(fd) })?;
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: `name` is writable for `name.len()` bytes and ptsname_r writes
    // at most that many, NUL included; `fd` is valid as above.
    let ret = unsafe { libc::ptsname_r(fd, name.as_mut_ptr(), name.len()) };
    if ret != 0 {
        return Err(io::Error::from_raw_os_error(ret));
    }
    let bytes: Vec<u8> = name.iter().map(|&c| c as u8).collect();
    let path = CStr::from_bytes_until_nul(&bytes)
        .map_err(|_| io::Error::other("ptsname_r returned no NUL"))?
        .to_str()
        .map_err(|_| io::Error::other("pty path is not UTF-8"))?;
    let path = PathBuf::from(path);
    let slave = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(&path)?;
    make_raw(&slave)?;
    Ok(Pty {
        master,
        slave,
        path,
    })
}

/// Puts the terminal `tty` in raw mode (`cfmakeraw`): what a client opening
/// the slave side should do too.
pub fn make_raw(tty: &impl AsRawFd) -> io::Result<()> {
    let fd = tty.as_raw_fd();
    let mut t = MaybeUninit::<libc::termios>::uninit();
    // SAFETY: `t` is valid for writes of one termios; `fd` is open for the
    // duration of the borrow of `tty`.
    check(unsafe { libc::tcgetattr(fd, t.as_mut_ptr()) })?;
    // SAFETY: tcgetattr succeeded, so it initialised `t`.
    let mut t = unsafe { t.assume_init() };
    // SAFETY: `t` is a valid, initialised termios.
    unsafe { libc::cfmakeraw(&mut t) };
    // SAFETY: `t` is a valid termios; `fd` is open as above.
    check(unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) })
}
