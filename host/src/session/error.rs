//! Session errors, worded for the person at the terminal.

use p14p_protocol::msg::{DeviceError, ImageError};
use std::fmt;
use std::io;

/// Why a session request failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Opening or using the transport failed.
    Io(io::Error),
    /// Nothing answered the handshake.
    NoDevice {
        /// The port as the user gave it.
        port: String,
    },
    /// The device answered the handshake but stopped answering later.
    NoReply {
        /// The port.
        port: String,
        /// The request that went unanswered.
        what: &'static str,
        /// How often it was sent.
        tries: u32,
    },
    /// The connection ended.
    Closed {
        /// The port.
        port: String,
        /// Why, if known.
        reason: String,
    },
    /// The device speaks another protocol version.
    ProtocolVersion {
        /// The device's.
        device: u16,
        /// Ours.
        host: u16,
    },
    /// The device runs another image format.
    ImageFormat {
        /// The device's.
        device: u16,
        /// Ours.
        host: u16,
    },
    /// The device refused a request.
    Device {
        /// The request.
        what: &'static str,
        /// The device's reason.
        error: DeviceError,
    },
    /// The device answered with something that makes no sense here.
    Unexpected {
        /// The request.
        what: &'static str,
        /// The answer, debug-printed.
        got: String,
    },
    /// The device rebooted while a program was running.
    Restarted {
        /// The line the firmware wrote before it reset, when it faulted
        /// (`p14p: hardfault at pc=0x…`).
        fault: Option<String>,
    },
    /// Output frames of a run never arrived (the link lost them; the
    /// device keeps no copy to send again).
    OutputLost {
        /// Frames missing.
        lost: u32,
        /// The number of the first one missing.
        first: u16,
        /// Frames the run sent.
        sent: u16,
        /// How the run ended, e.g. "the program ran to its end".
        ended: String,
    },
    /// The run ended, but its final reply was lost and the device no
    /// longer holds it.
    RunEndLost,
    /// The host-side input was unusable (e.g. not an image).
    Invalid(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "{e}"),
            Error::NoDevice { port } => write!(
                f,
                "no p14p device answered on {port} — is the firmware flashed / the baud rate right?"
            ),
            Error::NoReply { port, what, tries } => write!(
                f,
                "the device on {port} stopped answering ({what} got no reply after {tries} tries)"
            ),
            Error::Closed { port, reason } => {
                write!(f, "the connection to {port} was closed")?;
                if !reason.is_empty() {
                    write!(f, ": {reason}")?;
                }
                Ok(())
            }
            Error::ProtocolVersion { device, host } => write!(
                f,
                "protocol version mismatch: the device speaks version {device}, this p14p speaks {host} \
                 — flash firmware built from the same p14p release"
            ),
            Error::ImageFormat { device, host } => write!(
                f,
                "image format mismatch: the device runs format {device}, this p14p compiles format {host} \
                 — flash firmware built from the same p14p release"
            ),
            Error::Device { what, error } => {
                write!(f, "the device refused {what}: {}", device_error_text(*error))
            }
            Error::Unexpected { what, got } => {
                write!(f, "the device answered {what} with an unexpected {got}")
            }
            Error::Restarted { fault: None } => f.write_str(
                "the device reset while the program was running (machine.reset(), or a fault)",
            ),
            Error::Restarted { fault: Some(line) } => {
                write!(f, "the firmware faulted and the device reset: {line}")?;
                if let Some(pc) = line.split("pc=").nth(1) {
                    write!(
                        f,
                        " (a firmware bug; `arm-none-eabi-addr2line -i -e FIRMWARE.elf {pc}` \
                         names the source line)"
                    )?;
                }
                Ok(())
            }
            Error::OutputLost {
                lost,
                first,
                sent,
                ended,
            } => write!(
                f,
                "program output was lost on the link: {lost} of {sent} output frames never \
                 arrived (the first missing is frame {first}), so what was printed above is \
                 incomplete; {ended}"
            ),
            Error::RunEndLost => f.write_str(
                "the program ended, but how it ended was lost on the link (the device no longer holds its final reply)",
            ),
            Error::Invalid(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

/// A sentence for a [`DeviceError`].
pub fn device_error_text(e: DeviceError) -> String {
    match e {
        DeviceError::BadRequest => "it could not decode the request".into(),
        DeviceError::Version => "protocol version mismatch".into(),
        DeviceError::Busy => "a program is running (interrupt it first)".into(),
        DeviceError::Duplicate => "a repeated request whose outcome is gone".into(),
        DeviceError::NoMemory => "not enough heap memory".into(),
        DeviceError::TooLarge => "the image is larger than the device accepts".into(),
        DeviceError::NoTransfer => "no image transfer was in progress".into(),
        DeviceError::ChunkRange => "a chunk lies outside the announced image".into(),
        DeviceError::HashMismatch => "the received image does not match its hash".into(),
        DeviceError::BadImage(ie) => {
            format!("the image failed verification: {}", image_error_text(ie))
        }
        DeviceError::NoSuchImage => "it does not hold that image".into(),
        DeviceError::BadAddress => {
            "the address is outside the device's memory map (or read-only)".into()
        }
        DeviceError::Unaligned => "the address is not aligned to the access width".into(),
        DeviceError::TooMany => "too many items for one reply".into(),
        DeviceError::NoStore => "the device has no store (no flash set aside for files)".into(),
        DeviceError::NoSpace => "the store is full, or holds as many files as it can".into(),
        DeviceError::NoSuchFile => "there is no such file in the store".into(),
        // The limit is the device's (`DeviceInfo::store_max_name`), which
        // `p14p push` checks before sending.
        DeviceError::BadName => {
            "the file name is empty or longer than the device's store takes".into()
        }
        DeviceError::OutOfOrder => "a chunk arrived out of order".into(),
        DeviceError::Flash => {
            "the flash refused a write or an erase (the chip may be worn out or failing)".into()
        }
        DeviceError::InUse => "the store would have to erase flash that imported modules \
             still run from in place (`p14p run` resets the device and releases it; then retry)"
            .into(),
        other => format!("{other:?}"),
    }
}

/// A sentence for an [`ImageError`]. These indicate a compiler bug or a
/// host/firmware mismatch, so they name the exact location.
pub fn image_error_text(e: ImageError) -> String {
    match e {
        ImageError::Magic => "not a p14p image (bad magic)".into(),
        ImageError::Version(v) => format!("unsupported image format {v}"),
        ImageError::Truncated => "a table extends past the end of the image".into(),
        ImageError::Const(i) => format!("malformed constant #{i}"),
        ImageError::Opcode { code, pc } => format!("unknown opcode in code #{code} at pc {pc}"),
        ImageError::Operand { code, pc } => {
            format!("operand out of range in code #{code} at pc {pc}")
        }
        ImageError::Target { code, pc } => format!("bad jump target in code #{code} at pc {pc}"),
        ImageError::Stack { code, pc } => format!("stack depth error in code #{code} at pc {pc}"),
        ImageError::FallsOff { code } => format!("code #{code} can run off its end"),
        ImageError::Header { code } => format!("inconsistent header of code #{code}"),
        other => format!("{other:?}"),
    }
}
