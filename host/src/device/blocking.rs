//! [`Device`]: the [`super::Device`] API without async, for scripts and
//! the Python package. It owns a small tokio runtime (one worker thread,
//! which keeps the link's reader and writer tasks going between calls) and
//! blocks on each call.
//!
//! ```
//! use p14p::device::blocking::Device;
//! let device = Device::open("sim")?;
//! assert_eq!(device.exec("print(6 * 7)")?, "42\n");
//! assert_eq!(device.eval("divmod(7, 2)")?.to_string(), "(3, 1)");
//! # Ok::<(), p14p::Error>(())
//! ```
//!
//! Calling it from inside an async runtime panics (as any `block_on`
//! there does): async code uses [`super::Device`].

use super::{Change, Result, RunOptions, Value};
use crate::session::{DeviceInfo, StoredFile};
use crate::transport::{OpenOptions, Port};
use p14p_protocol::msg::{HeapStats, Width};
use std::path::Path;
use std::time::Duration;

/// A connected device whose calls block.
///
/// `Sync`: [`Device::interrupt`] may be called from another thread while
/// one runs a program.
#[derive(Debug)]
pub struct Device {
    // Dropped before the runtime its tasks run on.
    inner: super::Device,
    rt: tokio::runtime::Runtime,
}

impl Device {
    /// Opens the device at `port` (see [`super::Device::open`]).
    pub fn open(port: &str) -> Result<Device> {
        Device::open_with(&Port::parse(port), &OpenOptions::default())
    }

    /// Opens `port` with `options` (see [`super::Device::open_with`]).
    pub fn open_with(port: &Port, options: &OpenOptions) -> Result<Device> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| super::Error::Invalid(format!("cannot start a tokio runtime: {e}")))?;
        let inner = rt.block_on(super::Device::open_with(port, options))?;
        Ok(Device { inner, rt })
    }

    /// The async device underneath.
    pub fn inner(&self) -> &super::Device {
        &self.inner
    }

    /// See [`super::Device::info`].
    pub fn info(&self) -> &DeviceInfo {
        self.inner.info()
    }

    /// See [`super::Device::reset`].
    pub fn reset(&self) -> Result<()> {
        self.rt.block_on(self.inner.reset())
    }

    /// See [`super::Device::exec`].
    pub fn exec(&self, source: &str) -> Result<String> {
        self.rt.block_on(self.inner.exec(source))
    }

    /// See [`super::Device::exec_with`].
    pub fn exec_with(
        &self,
        source: &str,
        options: &RunOptions,
        output: impl FnMut(&[u8]),
    ) -> Result<()> {
        self.rt
            .block_on(self.inner.exec_with(source, options, output))
    }

    /// See [`super::Device::eval`].
    pub fn eval(&self, expr: &str) -> Result<Value> {
        self.rt.block_on(self.inner.eval(expr))
    }

    /// See [`super::Device::eval_with`].
    pub fn eval_with(
        &self,
        expr: &str,
        options: &RunOptions,
        output: impl FnMut(&[u8]),
    ) -> Result<String> {
        self.rt
            .block_on(self.inner.eval_with(expr, options, output))
    }

    /// See [`super::Device::run_file_with`].
    pub fn run_file_with(
        &self,
        path: &Path,
        options: &RunOptions,
        output: impl FnMut(&[u8]),
    ) -> Result<()> {
        self.rt
            .block_on(self.inner.run_file_with(path, options, output))
    }

    /// See [`super::Device::load_module`].
    pub fn load_module(&self, name: &str, source: &str) -> Result<()> {
        self.rt.block_on(self.inner.load_module(name, source))
    }

    /// See [`super::Device::push`].
    pub fn push(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.rt.block_on(self.inner.push(name, bytes))
    }

    /// See [`super::Device::sync`].
    pub fn sync(&self, dir: &std::path::Path, delete: bool) -> Result<super::Synced> {
        self.rt.block_on(self.inner.sync(dir, delete))
    }

    /// See [`super::Device::ls`].
    pub fn ls(&self) -> Result<Vec<StoredFile>> {
        self.rt.block_on(self.inner.ls())
    }

    /// See [`super::Device::cat`].
    pub fn cat(&self, name: &str) -> Result<Vec<u8>> {
        self.rt.block_on(self.inner.cat(name))
    }

    /// See [`super::Device::rm`].
    pub fn rm(&self, name: &str) -> Result<()> {
        self.rt.block_on(self.inner.rm(name))
    }

    /// See [`super::Device::peek`].
    pub fn peek(&self, addr: u32, width: Width, count: u32) -> Result<Vec<u32>> {
        self.rt.block_on(self.inner.peek(addr, width, count))
    }

    /// See [`super::Device::watch_exec`].
    pub fn watch_exec(
        &self,
        source: &str,
        options: &RunOptions,
        addrs: &[u32],
        width: Width,
        interval: Duration,
        output: impl FnMut(&[u8]),
    ) -> Result<Vec<Change>> {
        self.rt.block_on(
            self.inner
                .watch_exec(source, options, addrs, width, interval, output),
        )
    }

    /// See [`super::Device::poke`].
    pub fn poke(&self, addr: u32, width: Width, value: u32) -> Result<()> {
        self.rt.block_on(self.inner.poke(addr, width, value))
    }

    /// See [`super::Device::interrupt`].
    pub fn interrupt(&self) -> Result<()> {
        self.rt.block_on(self.inner.interrupt())
    }

    /// See [`super::Device::heap_stats`].
    pub fn heap_stats(&self) -> Result<HeapStats> {
        self.rt.block_on(self.inner.heap_stats())
    }

    /// See [`super::Device::collect`].
    pub fn collect(&self) -> Result<HeapStats> {
        self.rt.block_on(self.inner.collect())
    }
}
