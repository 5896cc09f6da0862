//! The p14p device on a desktop: the reference port.
//!
//! * [`sim`] — the in-process simulated device the host uses by default: the
//!   device runs in its own thread and talks to the host over a real byte
//!   stream (a Unix socket pair) with the same framing as a UART.
#![deny(unsafe_code)]

pub mod sim;
