//! TCP as a serial line: every connection a host makes reaches the same
//! running device, as a new host opening a board's serial port does.
//!
//! A board does not stop when its host goes away: a program keeps running,
//! and the next host that opens the port talks to it at once (and may stop
//! it: protocol 9's second `Interrupt` or `Reset`). Serving one TCP
//! connection at a time with a fresh link each could not show that: a
//! program still running when its host vanished kept the device inside that
//! connection's run, and every later connection waited unanswered in the
//! listen queue. So the device is served once, over a [`Line`] whose reader
//! and writer follow the newest connection: an acceptor thread installs
//! each connection as it arrives (a second host takes the line from the
//! first, whose socket is shut down), bytes written while no host is
//! connected are dropped (as a UART's are with nobody listening), and the
//! reader waits for the next connection instead of ending at a host's EOF.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

/// The connection the line currently carries, and how many there were.
#[derive(Default)]
struct State {
    stream: Option<TcpStream>,
    generation: u64,
}

/// A serial line over the newest TCP connection of a listener.
#[derive(Clone)]
pub struct Line {
    shared: Arc<(Mutex<State>, Condvar)>,
}

impl Line {
    /// Accepts connections on `listener` for as long as the process lives,
    /// each one replacing the last.
    pub fn serve(listener: TcpListener) -> Line {
        let line = Line {
            shared: Arc::new((Mutex::new(State::default()), Condvar::new())),
        };
        let acceptor = line.clone();
        let _ = thread::Builder::new()
            .name("p14p-tcp-accept".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    match stream {
                        Ok(s) => acceptor.install(s),
                        Err(e) => eprintln!("p14p-device: accept: {e}"),
                    }
                }
            });
        line
    }

    fn install(&self, stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let (lock, changed) = &*self.shared;
        let mut st = lock.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = st.stream.take() {
            // Two hosts on one line cannot both be served: the newest wins.
            let _ = old.shutdown(Shutdown::Both);
        }
        st.stream = Some(stream);
        st.generation += 1;
        changed.notify_all();
    }

    /// The current connection (a handle of its own) and its generation,
    /// waiting for one if no host is connected.
    fn current(&self) -> (TcpStream, u64) {
        let (lock, changed) = &*self.shared;
        let mut st = lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(s) = st.stream.as_ref().and_then(|s| s.try_clone().ok()) {
                return (s, st.generation);
            }
            st = changed.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The host of `generation` went away: the line is idle until the next.
    fn hang_up(&self, generation: u64) {
        let (lock, _) = &*self.shared;
        let mut st = lock.lock().unwrap_or_else(|e| e.into_inner());
        if st.generation == generation {
            st.stream = None;
        }
    }
}

impl Read for Line {
    /// Blocks until a connected host sends something; never reports the
    /// end of the stream (the line outlives its hosts).
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let (mut s, generation) = self.current();
            match s.read(buf) {
                Ok(0) | Err(_) => self.hang_up(generation),
                Ok(n) => return Ok(n),
            }
        }
    }
}

impl Write for Line {
    /// Sends to the connected host; with none (or a failing one) the bytes
    /// are dropped, as a UART's are with nobody listening.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let stream = {
            let (lock, _) = &*self.shared;
            let st = lock.lock().unwrap_or_else(|e| e.into_inner());
            st.stream.as_ref().and_then(|s| s.try_clone().ok())
        };
        if let Some(mut s) = stream {
            let _ = s.write_all(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
