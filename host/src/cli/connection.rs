//! The connection commands talk over: opened once, on first use, and lent
//! to every command of a `+` chain ([`super::chain`]).
//!
//! A [`Connection`] is a port, how to open it, and the [`Device`] (one
//! link, one [`Session`], one handshake) once a command asked for it.
//! `cli::main` makes one per port of a chain and hands each command a
//! `&Connection`; the commands ask it for the device or its session and
//! never open a port themselves. So `p14p exec 'x = 41' + exec --no-reset
//! 'print(x + 1)'` prints 42 on the built-in simulator too (one simulated
//! device for the whole chain), a board is greeted once, and commands
//! that need no device (`compile`, `dis`, `freeze`, `devices`, `flash`)
//! open nothing.
//!
//! The one command that must not greet is `attach` (a greeting stops a
//! running main): it takes the raw link ([`Connection::link`]), listens,
//! greets when it is done listening and hands the session back
//! ([`Connection::adopt`]) for the commands after it.

use crate::device::Device;
use crate::session::{self, Session};
use crate::transport::{self, Link, OpenOptions, Port};
use std::io;
use tokio::sync::OnceCell;

/// A device connection, opened when a command first needs it.
#[derive(Debug)]
pub struct Connection {
    port: Port,
    options: OpenOptions,
    device: OnceCell<Device>,
}

impl Connection {
    /// A connection to `port`, not opened yet.
    pub fn new(port: Port, options: OpenOptions) -> Connection {
        Connection {
            port,
            options,
            device: OnceCell::new(),
        }
    }

    /// The port, as the command line named it (an alias resolved).
    pub fn port(&self) -> &Port {
        &self.port
    }

    /// How the port is opened (baud rate, the simulator's heap and store).
    pub fn options(&self) -> &OpenOptions {
        &self.options
    }

    /// Whether this connection serves `port` opened with `options`: a
    /// chain's command with other global options gets its own.
    pub fn serves(&self, port: &Port, options: &OpenOptions) -> bool {
        self.port == *port && self.options == *options
    }

    /// Whether an earlier command opened (and greeted) the device.
    pub fn is_open(&self) -> bool {
        self.device.initialized()
    }

    /// The device: opened and greeted by the first command that asks
    /// (which stops a program the device runs, see `Session::connect`),
    /// the same one for every later command.
    pub async fn device(&self) -> session::Result<&Device> {
        self.device
            .get_or_try_init(|| async {
                Session::open(&self.port, &self.options)
                    .await
                    .map(Device::from_session)
            })
            .await
    }

    /// The device's session (see [`Connection::device`]).
    pub async fn session(&self) -> session::Result<&Session> {
        Ok(self.device().await?.session())
    }

    /// The port's byte stream, not greeted, for a command that listens
    /// before it speaks (`attach`); it gives the session back with
    /// [`Connection::adopt`]. Only for a connection not yet open.
    pub async fn link(&self) -> io::Result<Link> {
        if self.is_open() {
            return Err(io::Error::other(format!(
                "{}: already open; a second link would not be the same connection",
                self.port
            )));
        }
        transport::open(&self.port, &self.options).await
    }

    /// Makes `session`, greeted on this connection's [`Connection::link`],
    /// the device later commands use, and returns it.
    pub fn adopt(&self, session: Session) -> &Device {
        // `link` refused a second link, so the cell is empty; were it not,
        // the device already there stays and `session` is dropped.
        let _ = self.device.set(Device::from_session(session));
        self.device.get().expect("the cell was just set")
    }
}
