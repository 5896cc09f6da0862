//! Captures what the REPL prints while the UI owns the terminal.
//!
//! The REPL ([`crate::repl::Repl`]) prints program output on stdout and
//! errors and tracebacks on stderr, as `p14p repl` must. In the UI those
//! writes would land on the drawn screen, so for the UI's lifetime file
//! descriptors 1 and 2 point into a pipe whose text goes to the REPL pane,
//! and the screen is drawn on a duplicate of the original stdout. The same
//! `Repl` thus serves both front ends, unchanged. [`Capture`]'s drop puts
//! the descriptors back.
//!
//! The one module of the host with `unsafe`: std has no `dup2`, and the
//! alternative, threading an output sink through every print of the REPL,
//! the tracebacks and the diagnostics, would fork those front ends.
#![allow(unsafe_code)]

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{FromRawFd, RawFd};
use tokio::sync::mpsc;

/// Descriptors 1 and 2 redirected; undone on drop.
pub struct Capture {
    saved: [RawFd; 2],
}

impl Capture {
    /// Redirects stdout and stderr into a pipe. Returns the guard, the
    /// original terminal (for drawing) and the captured text, in chunks.
    pub fn start() -> io::Result<(Capture, File, mpsc::UnboundedReceiver<String>)> {
        let mut fds = [0 as RawFd; 2];
        // SAFETY: plain POSIX calls on descriptors this function owns; each
        // result is checked before use.
        unsafe {
            if libc::pipe(fds.as_mut_ptr()) != 0 {
                return Err(io::Error::last_os_error());
            }
            let out = libc::dup(1);
            let err = libc::dup(2);
            let screen = libc::dup(1);
            if out < 0 || err < 0 || screen < 0 {
                return Err(io::Error::last_os_error());
            }
            if libc::dup2(fds[1], 1) < 0 || libc::dup2(fds[1], 2) < 0 {
                return Err(io::Error::last_os_error());
            }
            libc::close(fds[1]);
            let (tx, rx) = mpsc::unbounded_channel();
            let mut pipe = File::from_raw_fd(fds[0]);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0
                        || tx
                            .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                            .is_err()
                    {
                        return;
                    }
                }
            });
            Ok((Capture { saved: [out, err] }, File::from_raw_fd(screen), rx))
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        use std::io::Write;
        let _ = io::stdout().flush();
        // SAFETY: the saved descriptors are ours, duplicated in `start`.
        unsafe {
            libc::dup2(self.saved[0], 1);
            libc::dup2(self.saved[1], 2);
            libc::close(self.saved[0]);
            libc::close(self.saved[1]);
        }
    }
}
