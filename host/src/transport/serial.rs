//! The serial transport: a UART, a USB CDC-ACM device or a pty slave.
//!
//! The port is opened 8N1 at the requested baud rate and **DTR/RTS are left
//! as they are**: many boards wire DTR to reset or to the boot-mode pin, so a
//! tool that toggles them on open reboots (or bricks until power-cycled) the
//! board it wanted to talk to. (Linux itself raises DTR when a tty is first
//! opened; nothing in user space can prevent that.)
//!
//! serialport's API is blocking, so the port is served by two threads: a
//! reader that polls with a short timeout and forwards chunks into a tokio
//! channel, and a writer fed by a std channel. [`SerialStream`] turns the two
//! channels back into `AsyncRead + AsyncWrite`. Both threads end when the
//! stream is dropped.

use serialport::{ErrorKind, SerialPort};
use std::io::{self, IsTerminal, Read, Write};
use std::pin::Pin;
use std::sync::{mpsc as std_mpsc, Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;

/// The baud rate used when none is given.
pub const DEFAULT_BAUD: u32 = 115_200;

/// How long the reader thread blocks before checking whether the stream
/// was dropped.
const POLL: Duration = Duration::from_millis(50);

/// An open serial port as an async byte stream.
#[derive(Debug)]
pub struct SerialStream {
    rx: mpsc::UnboundedReceiver<io::Result<Vec<u8>>>,
    pending: Vec<u8>,
    pos: usize,
    tx: Option<std_mpsc::Sender<Vec<u8>>>,
    write_error: Arc<Mutex<Option<io::Error>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for SerialStream {
    /// Closes the port before returning, so it can be opened again at once
    /// (it is opened exclusively). The reader notices within `POLL`.
    fn drop(&mut self) {
        self.tx = None;
        self.rx.close();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Opens `path` at `baud` 8N1, without touching DTR/RTS.
pub fn open(path: &str, baud: u32) -> io::Result<SerialStream> {
    let port = serialport::new(path, baud)
        .data_bits(serialport::DataBits::Eight)
        .parity(serialport::Parity::None)
        .stop_bits(serialport::StopBits::One)
        .flow_control(serialport::FlowControl::None)
        .preserve_dtr_on_open()
        .timeout(POLL)
        .open()
        .map_err(|e| open_error(path, e))?;
    let reader = port
        .try_clone()
        .map_err(|e| io::Error::other(format!("cannot open {path}: {e}")))?;
    Ok(SerialStream::spawn(reader, port))
}

/// A readable message for a failed open, with the usual remedy.
fn open_error(path: &str, e: serialport::Error) -> io::Error {
    let (kind, hint) = match e.kind() {
        ErrorKind::Io(io::ErrorKind::PermissionDenied) => (
            io::ErrorKind::PermissionDenied,
            " (add yourself to the dialout group: `sudo usermod -aG dialout $USER`, then log in again)",
        ),
        ErrorKind::Io(io::ErrorKind::NotFound) => (
            io::ErrorKind::NotFound,
            " (is the board plugged in? `p14p devices` lists serial ports)",
        ),
        ErrorKind::NoDevice => (
            io::ErrorKind::ResourceBusy,
            " (is another program, e.g. a serial monitor, using it?)",
        ),
        ErrorKind::Io(k) => (k, ""),
        _ => (io::ErrorKind::Other, ""),
    };
    // A path that opens but is no terminal (a regular file, /dev/null)
    // fails in the serial setup with the system's bare "Not a typewriter"
    // (ENOTTY): say what PORT has to be instead.
    if !matches!(
        kind,
        io::ErrorKind::PermissionDenied | io::ErrorKind::NotFound | io::ErrorKind::ResourceBusy
    ) && std::fs::File::open(path).is_ok_and(|f| !f.is_terminal())
    {
        return io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "cannot open {path}: not a serial port ({}); PORT is a serial device \
                 (/dev/ttyUSB0, /dev/ttyACM0, a pty), tcp:HOST:PORT, sim or qemu \
                 (`p14p devices` lists serial ports)",
                e.description
            ),
        );
    }
    let what = match kind {
        io::ErrorKind::PermissionDenied => "Permission denied".to_string(),
        io::ErrorKind::NotFound => "No such file or directory".to_string(),
        io::ErrorKind::ResourceBusy => "Device or resource busy".to_string(),
        _ => e.description.clone(),
    };
    io::Error::new(kind, format!("cannot open {path}: {what}{hint}"))
}

impl SerialStream {
    /// Serves a blocking port (`reader` and `writer` are clones of one port)
    /// from two threads.
    fn spawn(mut reader: Box<dyn SerialPort>, mut writer: Box<dyn SerialPort>) -> Self {
        let (in_tx, in_rx) = mpsc::unbounded_channel();
        let reader_thread = std::thread::Builder::new()
            .name("p14p-serial-rx".into())
            .spawn(move || {
                let mut buf = [0u8; 1024];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => return,
                        Ok(n) => {
                            if in_tx.send(Ok(buf[..n].to_vec())).is_err() {
                                return;
                            }
                        }
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::TimedOut
                                    | io::ErrorKind::WouldBlock
                                    | io::ErrorKind::Interrupted
                            ) =>
                        {
                            if in_tx.is_closed() {
                                return;
                            }
                        }
                        Err(e) => {
                            let _ = in_tx.send(Err(e));
                            return;
                        }
                    }
                }
            })
            .expect("spawning a thread");
        let (out_tx, out_rx) = std_mpsc::channel::<Vec<u8>>();
        let write_error = Arc::new(Mutex::new(None));
        let error_slot = Arc::clone(&write_error);
        let writer_thread = std::thread::Builder::new()
            .name("p14p-serial-tx".into())
            .spawn(move || {
                for chunk in out_rx {
                    if let Err(e) = writer.write_all(&chunk).and_then(|()| writer.flush()) {
                        if let Ok(mut slot) = error_slot.lock() {
                            *slot = Some(e);
                        }
                        return;
                    }
                }
            })
            .expect("spawning a thread");
        SerialStream {
            rx: in_rx,
            pending: Vec::new(),
            pos: 0,
            tx: Some(out_tx),
            write_error,
            threads: vec![reader_thread, writer_thread],
        }
    }

    fn take_write_error(&self) -> Option<io::Error> {
        self.write_error.lock().ok().and_then(|mut e| e.take())
    }
}

impl AsyncRead for SerialStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        while this.pos == this.pending.len() {
            match this.rx.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                // The reader thread ended: end of stream.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(e)),
                Poll::Ready(Some(Ok(chunk))) => {
                    this.pending = chunk;
                    this.pos = 0;
                }
            }
        }
        let n = buf.remaining().min(this.pending.len() - this.pos);
        buf.put_slice(&this.pending[this.pos..this.pos + n]);
        this.pos += n;
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for SerialStream {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(e) = self.take_write_error() {
            return Poll::Ready(Err(e));
        }
        let sent = self.tx.as_ref().map(|tx| tx.send(data.to_vec()));
        match sent {
            Some(Ok(())) => Poll::Ready(Ok(data.len())),
            _ => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the serial port was closed",
            ))),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The writer thread flushes after every chunk.
        Poll::Ready(match self.take_write_error() {
            Some(e) => Err(e),
            None => Ok(()),
        })
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Dropping the sender ends the writer thread once it has written
        // everything queued.
        self.tx = None;
        Poll::Ready(Ok(()))
    }
}

/// A serial port found on this machine, for `p14p devices`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// Device path.
    pub path: String,
    /// A human description (USB product, manufacturer, VID:PID).
    pub description: String,
    /// Whether this looks like a development board (a USB serial adapter).
    pub likely_board: bool,
}

/// Lists the serial ports of this machine.
pub fn list() -> io::Result<Vec<PortInfo>> {
    let ports = serialport::available_ports()
        .map_err(|e| io::Error::other(format!("cannot list serial ports: {e}")))?;
    Ok(ports
        .into_iter()
        .map(|p| {
            let (description, likely_board) = match &p.port_type {
                serialport::SerialPortType::UsbPort(usb) => {
                    let mut d = format!("USB {:04x}:{:04x}", usb.vid, usb.pid);
                    for s in [&usb.manufacturer, &usb.product].into_iter().flatten() {
                        d.push(' ');
                        d.push_str(s);
                    }
                    (d, true)
                }
                serialport::SerialPortType::PciPort => ("PCI".to_string(), false),
                serialport::SerialPortType::BluetoothPort => ("Bluetooth".to_string(), false),
                serialport::SerialPortType::Unknown => (String::new(), false),
            };
            PortInfo {
                path: p.port_name,
                description,
                likely_board,
            }
        })
        .collect())
}
