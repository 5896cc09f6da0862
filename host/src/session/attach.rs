//! Joining a device without disturbing it: listen first, greet later.
//!
//! [`Session::connect`] greets at once, and a greeting stops whatever
//! runs (see `hello`): right for commands that need the device, wrong for
//! watching a stored main. A listening session ([`Session::listen`])
//! sends nothing, so a running main goes on and a device still in its boot
//! grace period (`BOOT_GRACE_MS` on the device: any request keeps main
//! from running) starts main as it would without a host. What the device
//! sends unprompted, with sequence number 0 (its `Boot` notice and the boot
//! main's `Output` frames and final `Done`/`Raised`), reaches
//! [`Session::unprompted`]. Nothing in the protocol or on the device
//! changes: this is only a host that keeps quiet.

use super::{reply::Event, Result, Session};
use crate::transport::Link;
use std::time::Duration;
use tokio::sync::mpsc;

impl Session {
    /// A session on `link` that has sent nothing and has no manifest
    /// ([`Session::info`] is empty) until [`Session::greet`].
    pub fn listen(link: Link, timeout: Duration) -> Session {
        Session::start(link, timeout)
    }

    /// What the device sends with sequence number 0, from now on: its
    /// `Boot` notices, and the boot main's output ([`Event::Output`]) and
    /// end ([`Event::Answer`] with `Done` or `Raised`). Each call replaces
    /// the previous receiver.
    pub fn unprompted(&self) -> mpsc::UnboundedReceiver<Event> {
        let (tx, rx) = mpsc::unbounded_channel();
        // Sequence 0 is never a request's (see `seq`), so the slot is free;
        // the reader hands seq-0 events to every waiter, this one included.
        self.routes.register(0, tx);
        rx
    }

    /// Performs the handshake on a listening session (stopping a program
    /// that still runs, as [`Session::connect`] does) and stops delivering
    /// [`Session::unprompted`] events.
    pub async fn greet(&mut self) -> Result<()> {
        self.routes.unregister(0);
        self.info = self.hello().await?;
        Ok(())
    }
}
