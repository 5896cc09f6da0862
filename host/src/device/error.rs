//! [`Error`]: why a [`Device`](super::Device) operation failed, with the
//! device's traceback text for a Python exception.

use crate::session::{self, Exception};
use std::fmt;
use std::time::Duration;

/// Result of a [`Device`](super::Device) operation.
pub type Result<T> = std::result::Result<T, Error>;

/// Why a [`Device`](super::Device) operation failed.
///
/// A program's own failure ([`Error::Compile`], [`Error::Exception`],
/// [`Error::Timeout`]) is told apart from the device or link failing
/// ([`Error::Session`]) and from a request the host refuses before it
/// reaches the device ([`Error::Invalid`]). `Display` gives the text a
/// person reads: for an exception, the CPython-style traceback.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let device = p14p::Device::open("sim").await?;
/// match device.exec("def f(x):\n    return 1 / x\nf(0)").await {
///     Err(p14p::Error::Exception { exception, traceback }) => {
///         assert_eq!(exception.exc_type, "ZeroDivisionError");
///         assert!(traceback.contains("line 2, in f"));
///     }
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), p14p::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The program did not compile (or imports a module nobody has): the
    /// diagnostics, rendered rustc-style, one after the other.
    Compile(String),
    /// The program raised an exception nobody caught.
    Exception {
        /// The exception as the device reported it (type, message,
        /// traceback entries).
        exception: Exception,
        /// The CPython-style traceback, with source lines, ending in a
        /// newline.
        traceback: String,
    },
    /// The program ran longer than its
    /// [`RunOptions::timeout`](super::RunOptions::timeout) and was stopped.
    Timeout {
        /// The time it was given.
        after: Duration,
        /// The traceback of the `KeyboardInterrupt` that stopped it (where
        /// it was), or empty when it ended otherwise.
        traceback: String,
    },
    /// The device or the link failed: no answer, a refused request, a
    /// closed connection.
    Session(session::Error),
    /// The host refused the request before sending it: not an expression,
    /// an unreadable file, a name the store cannot take.
    Invalid(String),
}

impl Error {
    /// The device's traceback text, for an exception or a timeout.
    pub fn traceback(&self) -> Option<&str> {
        match self {
            Error::Exception { traceback, .. } => Some(traceback),
            Error::Timeout { traceback, .. } if !traceback.is_empty() => Some(traceback),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(text) => f.write_str(text.trim_end()),
            Error::Exception { traceback, .. } => f.write_str(traceback.trim_end()),
            Error::Timeout { after, traceback } => {
                write!(f, "the program ran longer than {after:?} and was stopped")?;
                if !traceback.is_empty() {
                    write!(f, "\n{}", traceback.trim_end())?;
                }
                Ok(())
            }
            Error::Session(e) => write!(f, "{e}"),
            Error::Invalid(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Session(e) => Some(e),
            _ => None,
        }
    }
}

impl From<session::Error> for Error {
    fn from(e: session::Error) -> Self {
        Error::Session(e)
    }
}
