//! Transports: how a PORT string becomes a byte stream to a device.
//!
//! | PORT               | transport |
//! |--------------------|-----------|
//! | `sim` (default)    | [`sim`]: the built-in simulated device, in a thread of this process |
//! | `tcp:HOST:PORT`    | [`tcp`]: e.g. `p14p-device --tcp` or QEMU's `-serial tcp:…` |
//! | `rfc2217://HOST:PORT` | [`rfc2217`]: a serial port exported with RFC 2217 (a board farm: ser2net, labgrid) |
//! | `qemu`, `qemu:ELF` | [`qemu`]: starts `qemu-system-arm` with the LM3S6965 firmware (default: the one `scripts/firmware.sh build` makes) and talks to UART0 through its stdio |
//! | `qemu:microbit`, `qemu:microbit:ELF` | [`qemu`]: the same with the micro:bit firmware on `-machine microbit` (default: `scripts/firmware.sh build --board microbit`'s) |
//! | anything else      | [`serial`]: a serial device path (`/dev/ttyUSB0`, `/dev/pts/3`, `COM3`) |
//!
//! Every transport yields a [`Link`]: a boxed `AsyncRead + AsyncWrite` that
//! carries framed protocol bytes exactly as a UART would. The session knows
//! nothing else about where the bytes go.

pub mod qemu;
pub mod rfc2217;
pub mod serial;
pub mod sim;
pub mod tcp;

use std::fmt;
use std::io;
use std::pin::Pin;
use tokio::io::{AsyncRead, AsyncWrite};

/// A byte stream to a device.
pub trait ByteStream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> ByteStream for T {}

/// An open connection to a device: its byte stream and a name for messages.
pub struct Link {
    /// The bytes.
    pub stream: Pin<Box<dyn ByteStream>>,
    /// What was opened, as the user wrote it (for error messages).
    pub name: String,
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link").field("name", &self.name).finish()
    }
}

/// A parsed PORT argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Port {
    /// The built-in simulator.
    Sim,
    /// A TCP endpoint, `HOST:PORT`.
    Tcp(String),
    /// An RFC 2217 server, `HOST:PORT` (from `rfc2217://HOST:PORT`).
    Rfc2217(String),
    /// A firmware in QEMU, started by this process: the LM3S6965's (the ELF
    /// given, or [`qemu::DEFAULT_FIRMWARE`]), or with `microbit[:ELF]` the
    /// micro:bit's ([`qemu::firmware`]).
    Qemu(Option<String>),
    /// A serial device path.
    Serial(String),
}

impl Port {
    /// Parses a PORT string (see the module docs). Never fails: anything
    /// that is not `sim`, `tcp:…`, `rfc2217://…` or `qemu[:…]` is taken as a
    /// serial path, and opening it reports what is wrong.
    pub fn parse(s: &str) -> Port {
        if s.is_empty() || s == "sim" {
            Port::Sim
        } else if let Some(addr) = s.strip_prefix("tcp:") {
            Port::Tcp(addr.to_string())
        } else if let Some(addr) = s.strip_prefix("rfc2217://") {
            Port::Rfc2217(addr.trim_end_matches('/').to_string())
        } else if s == "qemu" {
            Port::Qemu(None)
        } else if let Some(elf) = s.strip_prefix("qemu:") {
            Port::Qemu(Some(elf.to_string()))
        } else {
            Port::Serial(s.to_string())
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Port::Sim => f.write_str("sim"),
            Port::Tcp(a) => write!(f, "tcp:{a}"),
            Port::Rfc2217(a) => write!(f, "rfc2217://{a}"),
            Port::Qemu(None) => f.write_str("qemu"),
            Port::Qemu(Some(elf)) => write!(f, "qemu:{elf}"),
            Port::Serial(p) => f.write_str(p),
        }
    }
}

/// How to open a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOptions {
    /// Serial baud rate (8N1).
    pub baud: u32,
    /// Heap size of the simulated device.
    pub heap_bytes: usize,
    /// The simulated device's flash file (`None`: a RAM store).
    pub store: Option<std::path::PathBuf>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            baud: serial::DEFAULT_BAUD,
            heap_bytes: p14p_port_posix::sim::SimConfig::default().heap_bytes,
            store: None,
        }
    }
}

/// Opens `port`. Must be called inside a tokio runtime (TCP and the
/// simulator register with its reactor).
pub async fn open(port: &Port, options: &OpenOptions) -> io::Result<Link> {
    let stream: Pin<Box<dyn ByteStream>> = match port {
        Port::Sim => Box::pin(sim::open(options.heap_bytes, options.store.clone())?),
        Port::Tcp(addr) => Box::pin(tcp::open(addr).await?),
        Port::Rfc2217(addr) => Box::pin(rfc2217::open(addr, options.baud).await?),
        Port::Qemu(spec) => {
            let (board, elf) = qemu::firmware(spec.as_deref());
            Box::pin(qemu::open(board, &elf)?)
        }
        Port::Serial(path) => Box::pin(serial::open(path, options.baud)?),
    };
    Ok(Link {
        stream,
        name: port.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::{qemu, Port};

    #[test]
    fn parses_port_strings() {
        assert_eq!(Port::parse("sim"), Port::Sim);
        assert_eq!(Port::parse(""), Port::Sim);
        assert_eq!(
            Port::parse("tcp:127.0.0.1:4000"),
            Port::Tcp("127.0.0.1:4000".into())
        );
        assert_eq!(Port::parse("/dev/pts/3"), Port::Serial("/dev/pts/3".into()));
        assert_eq!(
            Port::parse("rfc2217://farm:4001"),
            Port::Rfc2217("farm:4001".into())
        );
        assert_eq!(
            Port::parse("rfc2217://farm:4001").to_string(),
            "rfc2217://farm:4001"
        );
        assert_eq!(
            Port::parse("tcp:localhost:1").to_string(),
            "tcp:localhost:1"
        );
        assert_eq!(Port::parse("qemu"), Port::Qemu(None));
        assert_eq!(
            Port::parse("qemu:fw.elf"),
            Port::Qemu(Some("fw.elf".into()))
        );
        assert_eq!(Port::parse("qemu:fw.elf").to_string(), "qemu:fw.elf");
        assert_eq!(
            qemu::firmware(Some("microbit")),
            (
                qemu::Board::Microbit,
                qemu::find_default(qemu::MICROBIT_FIRMWARE)
            )
        );
        assert_eq!(
            qemu::firmware(Some("microbit:x.elf")),
            (qemu::Board::Microbit, "x.elf".into())
        );
        assert_eq!(
            qemu::firmware(Some("fw.elf")),
            (qemu::Board::Lm3s6965, "fw.elf".into())
        );
        assert_eq!(
            qemu::firmware(None),
            (
                qemu::Board::Lm3s6965,
                qemu::find_default(qemu::DEFAULT_FIRMWARE)
            )
        );
    }
}
