//! [`Device`]: a p14p device driven from a program on the host — the API
//! for scripted hardware-in-the-loop tests (issue 19).
//!
//! A `Device` is one [`Session`] plus what the host keeps for it: the
//! debug info of every image it sent, so a Python exception comes back as a
//! CPython-style traceback with source lines ([`Error::Exception`]). The
//! CLI's `run`, `exec` and `eval` are built on it.
//!
//! ```
//! use p14p::{Device, Value};
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let device = Device::open("sim").await?;
//! assert_eq!(device.exec("for i in range(3):\n    print(i)").await?, "0\n1\n2\n");
//! device.exec("x = 6").await?;                       // state stays until a reset
//! assert_eq!(device.eval("x * 7").await?, Value::Int(42));
//! device.reset().await?;
//! assert!(matches!(device.eval("x").await, Err(p14p::Error::Exception { .. })));
//! # Ok::<(), p14p::Error>(())
//! # }).unwrap();
//! ```
//!
//! `Device` is async (tokio), as the session is; [`blocking::Device`]
//! wraps it with a runtime of its own for scripts and the Python package.
//!
//! Port specs are the CLI's `--port` values (`sim`, a serial path,
//! `tcp:HOST:PORT`, `rfc2217://HOST:PORT`, `qemu[:…]`), see
//! [`crate::transport`].

pub mod blocking;
pub mod error;
pub mod value;

pub use crate::cli::sync::Synced;
pub use error::{Error, Result};
pub use value::Value;

use crate::cli::exec::STOP_AFTER;
use crate::compile;
use crate::modules::Failed;
use crate::program::{load_program, missing_modules, target_for};
use crate::session::{self, DeviceInfo, Outcome, Session, StoredFile};
use crate::trace::{self, Sources};
use crate::transport::{OpenOptions, Port};
use p14p_protocol::msg::{FileKind, HeapStats, Width};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The file name a program given as a string carries in diagnostics and
/// tracebacks (Python's own `-c` says `<string>`).
pub const STRING_FILENAME: &str = "<string>";

/// What [`Device::eval`] prints before the repr it reads back: output the
/// expression itself printed comes before it. An ASCII record separator,
/// which programs seldom print; one that does only delays its own output
/// (see `EvalOutput`).
const EVAL_MARK: char = '\x1e';

/// A check a running program's caller makes every [`STOP_POLL`]: `true`
/// asks to interrupt the program (a host's Ctrl-C, e.g. Python's signal
/// check).
pub type StopCheck = Arc<dyn Fn() -> bool + Send + Sync>;

/// How often [`RunOptions::stop`] is asked.
pub const STOP_POLL: Duration = Duration::from_millis(100);

/// A watched item's value as [`Device::watch_exec`] saw it change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// Time since the watch started.
    pub at: Duration,
    /// The item's address.
    pub addr: u32,
    /// The value before (`None` for the first sample).
    pub old: Option<u32>,
    /// The value now.
    pub new: u32,
}

/// How a program runs: [`Device::exec`] and friends take the defaults.
///
/// ```
/// use p14p::device::RunOptions;
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let device = p14p::Device::open("sim").await?;
/// // Another thread asks to stop the program (as a Ctrl-C handler would).
/// let stop = Arc::new(AtomicBool::new(false));
/// let asked = Arc::clone(&stop);
/// let opts = RunOptions {
///     stop: Some(Arc::new(move || asked.load(Ordering::Relaxed))),
///     ..RunOptions::default()
/// };
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(300));
///     stop.store(true, Ordering::Relaxed);
/// });
/// let r = device.exec_with("while True:\n    pass", &opts, |_| {}).await;
/// assert!(matches!(r, Err(p14p::Error::Exception { exception, .. })
///     if exception.exc_type == "KeyboardInterrupt"));
/// # Ok::<(), p14p::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Default)]
pub struct RunOptions {
    /// The file name in diagnostics and tracebacks (default `<string>`).
    pub filename: Option<String>,
    /// Where `import m` finds `m.py` (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Stop the program when it runs longer (it gets a `KeyboardInterrupt`,
    /// and a second one a second later if it catches that) and fail with
    /// [`Error::Timeout`]. `None`: no limit.
    pub timeout: Option<Duration>,
    /// Asked every [`STOP_POLL`] while the program runs; once it says
    /// `true` the program is interrupted as by a timeout, and the run ends
    /// with the program's `KeyboardInterrupt` ([`Error::Exception`]).
    pub stop: Option<StopCheck>,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("filename", &self.filename)
            .field("dir", &self.dir)
            .field("timeout", &self.timeout)
            .field("stop", &self.stop.as_ref().map(|_| "…"))
            .finish()
    }
}

/// A connected device.
///
/// All methods take `&self`: [`Device::interrupt`] can be sent while an
/// [`Device::exec_with`] future is pending.
#[derive(Debug)]
pub struct Device {
    /// Shared so a REPL on the same connection (a `+` chain's `repl`,
    /// `p14p ui`) can hold it too: see [`Device::shared_session`].
    session: Arc<Session>,
    /// The debug info of every image sent since the last reset.
    sources: Mutex<Sources>,
    /// The modules [`Device::load_module`] loaded since the last reset,
    /// as `NAME.py` (how the store would name them): imports the compiler
    /// cannot see.
    ram_modules: Mutex<Vec<String>>,
}

impl Device {
    /// Opens the device at `port` (`sim`, a serial path, `tcp:HOST:PORT`,
    /// `rfc2217://HOST:PORT`, `qemu`) and performs the handshake. A `sim`
    /// device is started in this process with a RAM store; serial ports
    /// open at 115200 baud. Must be called inside a tokio runtime.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// assert_eq!(device.info().board, "posix-sim");
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn open(port: &str) -> Result<Device> {
        Device::open_with(&Port::parse(port), &OpenOptions::default()).await
    }

    /// Opens `port` with `options` (baud rate, the simulator's heap and
    /// flash file).
    pub async fn open_with(port: &Port, options: &OpenOptions) -> Result<Device> {
        Ok(Device::from_session(Session::open(port, options).await?))
    }

    /// A device over an open session (e.g. one on a custom
    /// [`Link`](crate::transport::Link), see [`Session::connect`]).
    pub fn from_session(session: Session) -> Device {
        Device {
            session: Arc::new(session),
            sources: Mutex::new(Sources::new()),
            ram_modules: Mutex::new(Vec::new()),
        }
    }

    /// The session underneath, for requests this API does not wrap.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The debug info of every image sent since the last reset (a copy):
    /// for a REPL that goes on in the same `__main__` (`run app.py +
    /// repl`), so its tracebacks show the lines of app's functions.
    pub fn sources(&self) -> Sources {
        lock(&self.sources).clone()
    }

    /// The session underneath, shared: for a holder that must own it (a
    /// REPL's task) while this `Device` goes on serving other callers.
    pub fn shared_session(&self) -> Arc<Session> {
        Arc::clone(&self.session)
    }

    /// The device's manifest from the handshake: board, heap and store
    /// sizes, features, native modules.
    pub fn info(&self) -> &DeviceInfo {
        self.session.info()
    }

    /// Drops all of the VM's state (globals, loaded images, the heap), as
    /// `p14p run` does before a program. Stored files stay.
    pub async fn reset(&self) -> Result<()> {
        self.session.reset().await?;
        self.with_sources(Sources::clear);
        lock(&self.ram_modules).clear();
        Ok(())
    }

    /// Runs `source` in the device's `__main__` (the globals of earlier
    /// runs since the last [`Device::reset`] are visible) and returns its
    /// output once it has ended. Imports of `m` find `m.py` in the current
    /// folder, then the device's store and the library.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// assert_eq!(device.exec("print('hi', 1 + 1)").await?, "hi 2\n");
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn exec(&self, source: &str) -> Result<String> {
        let mut out = Vec::new();
        self.exec_with(source, &RunOptions::default(), |b| out.extend_from_slice(b))
            .await?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Runs `source` as [`Device::exec`] does, passing its output to
    /// `output` as it arrives. An uncaught `SystemExit` with status 0
    /// (`sys.exit()`) is a normal end.
    ///
    /// ```
    /// use p14p::device::RunOptions;
    /// use std::time::Duration;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// let mut lines = Vec::new();
    /// let opts = RunOptions { timeout: Some(Duration::from_millis(500)), ..Default::default() };
    /// let r = device
    ///     .exec_with("print('start')\nwhile True:\n    pass", &opts, |b| lines.push(b.to_vec()))
    ///     .await;
    /// assert!(matches!(r, Err(p14p::Error::Timeout { .. })));
    /// assert_eq!(lines.concat(), b"start\n");
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn exec_with(
        &self,
        source: &str,
        options: &RunOptions,
        mut output: impl FnMut(&[u8]),
    ) -> Result<()> {
        let filename = options.filename.as_deref().unwrap_or(STRING_FILENAME);
        let dir = options.dir.clone().unwrap_or_default();
        let target = target_for(self.info(), false);
        let program = crate::modules::compile_program(source, filename, &dir, &target)
            .map_err(|failed| Error::Compile(render_failures(&failed)))?;
        let missing = if lock(&self.ram_modules).is_empty() {
            missing_modules(&self.session, &program).await?
        } else {
            // The store's images and the modules loaded into RAM.
            let mut known = lock(&self.ram_modules).clone();
            if self.info().store_bytes > 0 && !program.unresolved.is_empty() {
                let files = self.session.store_list().await?;
                known.extend(
                    files
                        .into_iter()
                        .filter(|f| f.kind == FileKind::Image)
                        .map(|f| f.name),
                );
            }
            program.missing(&known)
        };
        if !missing.is_empty() {
            return Err(Error::Compile(render_failures(&missing)));
        }
        let mut sources = Sources::new();
        let hash = load_program(&self.session, &program, &mut sources).await?;
        self.with_sources(|s| s.extend(sources));
        let run = self.session.run(hash, &mut output);
        let (outcome, timed_out) = self.supervise(run, options).await?;
        let raised = match outcome {
            Outcome::Done => None,
            Outcome::Raised(e) if e.exit_status() == Some(0) => None,
            Outcome::Raised(e) => Some(e),
        };
        let traceback = raised
            .as_ref()
            .map(|e| self.with_sources(|s| trace::render(e, s)));
        match (timed_out, raised, traceback) {
            (Some(after), _, traceback) => Err(Error::Timeout {
                after,
                traceback: traceback.unwrap_or_default(),
            }),
            (None, Some(exception), Some(traceback)) => Err(Error::Exception {
                exception,
                traceback,
            }),
            _ => Ok(()),
        }
    }

    /// Waits for `run`, interrupting it when its [`RunOptions::timeout`]
    /// passes or its [`RunOptions::stop`] says so, and a second time
    /// ([`STOP_AFTER`] later) when it caught the first. Returns how it
    /// ended and the timeout when it passed.
    async fn supervise(
        &self,
        run: impl std::future::Future<Output = session::Result<Outcome>>,
        options: &RunOptions,
    ) -> Result<(Outcome, Option<Duration>)> {
        tokio::pin!(run);
        let far = tokio::time::Instant::now() + Duration::from_secs(365 * 24 * 3600);
        let deadline = options
            .timeout
            .map_or(far, |t| tokio::time::Instant::now() + t);
        let mut poll = tokio::time::interval(STOP_POLL);
        let mut timed_out = None;
        let mut first: Option<tokio::time::Instant> = None;
        let mut interrupts = 0;
        loop {
            let asking = options.stop.is_some() || interrupts == 1;
            tokio::select! {
                outcome = &mut run => return Ok((outcome?, timed_out)),
                () = tokio::time::sleep_until(deadline), if interrupts == 0 && options.timeout.is_some() => {
                    timed_out = options.timeout;
                }
                _ = poll.tick(), if asking => {}
            }
            let stop = interrupts == 0
                && (timed_out.is_some() || options.stop.as_ref().is_some_and(|s| s()));
            let again = interrupts == 1 && first.is_some_and(|t| t.elapsed() >= STOP_AFTER);
            if stop || again {
                self.session.interrupt().await?;
                interrupts += 1;
                first.get_or_insert_with(tokio::time::Instant::now);
            }
        }
    }

    /// Evaluates the Python expression `expr` on the device and returns
    /// its value (see [`Value`] for how values come back). Output the
    /// expression prints is dropped; [`Device::eval_with`] passes it on.
    ///
    /// ```
    /// use p14p::Value;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// assert_eq!(device.eval("2 ** 10").await?, Value::Int(1024));
    /// assert_eq!(
    ///     device.eval("[None, 'a' * 2, b'\\x01', (1.5,)]").await?,
    ///     Value::List(vec![
    ///         Value::None,
    ///         Value::Str("aa".into()),
    ///         Value::Bytes(vec![1]),
    ///         Value::Tuple(vec![Value::Float(1.5)]),
    ///     ])
    /// );
    /// assert!(matches!(device.eval("x = 1").await, Err(p14p::Error::Invalid(_))));
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn eval(&self, expr: &str) -> Result<Value> {
        let repr = self.eval_with(expr, &RunOptions::default(), |_| {}).await?;
        Ok(Value::parse(&repr))
    }

    /// Evaluates `expr` as [`Device::eval`] does and returns the repr text
    /// the device made (what `p14p eval` prints), passing the output the
    /// expression itself prints to `output`.
    pub async fn eval_with(
        &self,
        expr: &str,
        options: &RunOptions,
        mut output: impl FnMut(&[u8]),
    ) -> Result<String> {
        let source = eval_source(expr).map_err(Error::Invalid)?;
        let mut split = EvalOutput::default();
        let r = self
            .exec_with(&source, options, |b| split.push(b, &mut output))
            .await;
        let repr = split.finish(r.is_ok(), &mut output);
        r.map(|()| repr)
    }

    /// Runs the file at `path` as `p14p run` does (its imports found next
    /// to it), in the device's current state; returns its output.
    pub async fn run_file(&self, path: &Path) -> Result<String> {
        let mut out = Vec::new();
        self.run_file_with(path, &RunOptions::default(), |b| out.extend_from_slice(b))
            .await?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Runs the file at `path` as [`Device::run_file`] does, with
    /// `options` (their `filename` and `dir` default to the file's) and its
    /// output passed to `output` as it arrives.
    pub async fn run_file_with(
        &self,
        path: &Path,
        options: &RunOptions,
        output: impl FnMut(&[u8]),
    ) -> Result<()> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", path.display())))?;
        let options = RunOptions {
            filename: Some(
                options
                    .filename
                    .clone()
                    .unwrap_or_else(|| path.display().to_string()),
            ),
            dir: Some(
                options
                    .dir
                    .clone()
                    .unwrap_or_else(|| crate::modules::dir_of(path)),
            ),
            ..options.clone()
        };
        self.exec_with(&source, &options, output).await
    }

    /// Compiles `source` and loads it into the device's RAM as the module
    /// `name`, importable until the next reset (`p14p push --ram`).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// device.load_module("greet", "def hi(n):\n    return 'hi ' + n").await?;
    /// assert_eq!(device.exec("import greet\nprint(greet.hi('you'))").await?, "hi you\n");
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn load_module(&self, name: &str, source: &str) -> Result<()> {
        let filename = format!("{name}.py");
        let compiled = self.compile(source, &filename)?;
        let hash = crate::program::load_image(&self.session, &compiled.image, Some(name)).await?;
        self.with_sources(|s| s.insert(hash, compiled.debug));
        let mut ram = lock(&self.ram_modules);
        if !ram.contains(&filename) {
            ram.push(filename);
        }
        Ok(())
    }

    /// Stores `bytes` on the device's store as `name` (atomically: a
    /// failed transfer leaves the old copy). A `.py` name holding Python
    /// source is compiled and stored as an importable image, as `p14p push`
    /// does; anything else is stored as data, readable with `open()`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// device.push("notes.txt", b"hello").await?;
    /// device.push("util.py", b"def double(x):\n    return 2 * x").await?;
    /// let names: Vec<String> = device.ls().await?.into_iter().map(|f| f.name).collect();
    /// assert!(names.contains(&"notes.txt".to_string()));
    /// assert_eq!(device.cat("notes.txt").await?, b"hello");
    /// assert_eq!(device.exec("import util\nprint(util.double(21))").await?, "42\n");
    /// device.rm("notes.txt").await?;
    /// assert!(device.cat("notes.txt").await.is_err());
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn push(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let max = usize::from(self.info().store_max_name);
        if name.len() > max {
            return Err(Error::Invalid(format!(
                "{name}: the name is {} bytes long; the device's store takes at most {max}",
                name.len()
            )));
        }
        let (kind, data, library) = if name.ends_with(".py") {
            let source = std::str::from_utf8(bytes)
                .map_err(|_| Error::Invalid(format!("{name} is not UTF-8 text")))?;
            let compiled = self.compile(source, name)?;
            let library =
                crate::modules::library_needed(&compiled, &target_for(self.info(), false));
            (FileKind::Image, compiled.image, library)
        } else {
            (FileKind::Data, bytes.to_vec(), Vec::new())
        };
        self.session.store_put(name, kind, &data, |_| {}).await?;
        // What a stored program imports from the host's library, so that
        // it runs at boot without a host too.
        crate::program::store_library(&self.session, &library).await?;
        Ok(())
    }

    /// Makes the device's store match folder `dir` as `p14p sync DIR`
    /// does: subfolders included (`lib/util.py` imports as `lib.util`),
    /// `.py` files compiled for this device, only what changed sent, the
    /// library modules they import stored beside them; with `delete`, the
    /// files `dir` lacks removed. Prints nothing. What it did;
    /// [`Error::Compile`] with the diagnostics when a file does not
    /// compile (nothing after it sent).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let dir = std::env::temp_dir().join(format!("p14p-doc-sync-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("lib")).unwrap();
    /// std::fs::write(dir.join("lib/util.py"), "def triple(x):\n    return 3 * x\n").unwrap();
    /// let device = p14p::Device::open("sim").await?;
    /// let done = device.sync(&dir, false).await?;
    /// assert!(done.sent.contains(&"lib/util.py".to_string()));
    /// assert_eq!(device.exec("import lib.util\nprint(lib.util.triple(14))").await?, "42\n");
    /// // Nothing changed: nothing sent.
    /// assert!(device.sync(&dir, false).await?.sent.is_empty());
    /// // A file that does not compile: its diagnostic is the error.
    /// std::fs::write(dir.join("bad.py"), "def f(:\n").unwrap();
    /// match device.sync(&dir, false).await {
    ///     Err(p14p::Error::Compile(text)) => assert!(text.contains("bad.py"), "{text}"),
    ///     other => panic!("{other:?}"),
    /// }
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn sync(&self, dir: &Path, delete: bool) -> Result<Synced> {
        let done = crate::cli::sync::sync_pass(&self.session, dir, false, delete, &mut |_| {})
            .await
            .map_err(|e| Error::Invalid(e.to_string()))?;
        if let Some(failed) = done.failed {
            return Err(Error::Compile(render_failures(&[failed])));
        }
        Ok(done)
    }

    /// The files in the device's store.
    pub async fn ls(&self) -> Result<Vec<StoredFile>> {
        Ok(self.session.store_list().await?)
    }

    /// The bytes of the stored file `name` (an image's are the compiled
    /// image).
    pub async fn cat(&self, name: &str) -> Result<Vec<u8>> {
        let files = self.session.store_list().await?;
        let f = files
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| Error::Invalid(format!("no file {name} on the device")))?;
        Ok(self.session.store_read(name, f.size).await?)
    }

    /// Removes the stored file `name`.
    pub async fn rm(&self, name: &str) -> Result<()> {
        Ok(self.session.store_remove(name).await?)
    }

    /// Reads `count` items of `width` from the device's memory map at
    /// `addr` (aligned to the width), each as a number.
    ///
    /// ```
    /// use p14p_protocol::msg::Width;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// // The simulator's GPIO DATA register (see ports/posix/svd/p14p-sim.svd).
    /// device.poke(0x4000_1000, Width::U32, 5).await?;
    /// assert_eq!(device.peek(0x4000_1000, Width::U32, 1).await?, vec![5]);
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn peek(&self, addr: u32, width: Width, count: u32) -> Result<Vec<u32>> {
        let bytes = crate::cli::mem::peek(&self.session, addr, width, count).await?;
        Ok(bytes
            .chunks(width.bytes() as usize)
            .map(|c| c.iter().rev().fold(0u32, |acc, &b| acc << 8 | u32::from(b)))
            .collect())
    }

    /// Samples the items of `width` at `addrs` every `interval` while
    /// `source` runs (as [`Device::exec_with`] runs it), and once more
    /// after it ended; returns each item's first value and every change,
    /// in order. The hardware-in-the-loop check of what a program does to
    /// the pins (`p14p watch --run`).
    ///
    /// ```
    /// use p14p_protocol::msg::Width;
    /// use std::time::Duration;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// // The simulator's GPIO DATA register, toggled three times.
    /// let blink = "import machine, time\nfor v in (1, 0, 1):\n    \
    ///              machine.mem32[0x40001000] = v\n    time.sleep_ms(200)";
    /// let opts = Default::default();
    /// let changes = device
    ///     .watch_exec(blink, &opts, &[0x4000_1000], Width::U32, Duration::from_millis(20), |_| {})
    ///     .await?;
    /// let values: Vec<u32> = changes.iter().map(|c| c.new).collect();
    /// assert!(values.ends_with(&[1, 0, 1]), "{values:?}");
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn watch_exec(
        &self,
        source: &str,
        options: &RunOptions,
        addrs: &[u32],
        width: Width,
        interval: Duration,
        output: impl FnMut(&[u8]),
    ) -> Result<Vec<Change>> {
        let start = tokio::time::Instant::now();
        let mut last: Vec<Option<u32>> = vec![None; addrs.len()];
        let mut changes = Vec::new();
        let run = self.exec_with(source, options, output);
        tokio::pin!(run);
        loop {
            // The run is not polled while sampling: its events wait in
            // the session's channel, in order.
            self.sample(addrs, width, start, &mut last, &mut changes)
                .await?;
            tokio::select! {
                r = &mut run => {
                    // One last sample: what the program left behind.
                    self.sample(addrs, width, start, &mut last, &mut changes).await?;
                    return r.map(|()| changes);
                }
                () = tokio::time::sleep(interval) => {}
            }
        }
    }

    /// Reads the items at `addrs` once, noting the ones that changed.
    async fn sample(
        &self,
        addrs: &[u32],
        width: Width,
        start: tokio::time::Instant,
        last: &mut [Option<u32>],
        changes: &mut Vec<Change>,
    ) -> Result<()> {
        for (i, &addr) in addrs.iter().enumerate() {
            let new = self
                .peek(addr, width, 1)
                .await?
                .first()
                .copied()
                .unwrap_or(0);
            if last[i] != Some(new) {
                let at = start.elapsed();
                changes.push(Change {
                    at,
                    addr,
                    old: last[i],
                    new,
                });
                last[i] = Some(new);
            }
        }
        Ok(())
    }

    /// Writes `value` (truncated to `width`) at `addr`.
    pub async fn poke(&self, addr: u32, width: Width, value: u32) -> Result<()> {
        Ok(self.session.poke(addr, width, value).await?)
    }

    /// Asks the device to stop the running program with
    /// `KeyboardInterrupt` (a second call stops one that caught it).
    pub async fn interrupt(&self) -> Result<()> {
        Ok(self.session.interrupt().await?)
    }

    /// The heap's figures: size, used, free, largest free block, objects,
    /// collections.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let device = p14p::Device::open("sim").await?;
    /// let stats = device.heap_stats().await?;
    /// assert!(stats.free > 0 && stats.used + stats.free <= stats.total);
    /// # Ok::<(), p14p::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn heap_stats(&self) -> Result<HeapStats> {
        Ok(self.session.heap_stats().await?)
    }

    /// Runs a full collection, then returns the heap's figures.
    pub async fn collect(&self) -> Result<HeapStats> {
        Ok(self.session.collect().await?)
    }

    fn compile(&self, source: &str, filename: &str) -> Result<compile::Compiled> {
        let target = target_for(self.info(), false);
        compile::compile(source, filename, &target).map_err(|diags| {
            Error::Compile(render_failures(&[Failed {
                filename: filename.into(),
                source: source.into(),
                diags,
            }]))
        })
    }

    fn with_sources<T>(&self, f: impl FnOnce(&mut Sources) -> T) -> T {
        f(&mut lock(&self.sources))
    }
}

/// Locks `m`; a panic elsewhere while it was held leaves the data usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The diagnostics of failed files as `p14p run` prints them on stderr.
pub fn render_failures(failed: &[Failed]) -> String {
    let mut out = String::new();
    for f in failed {
        for d in &f.diags {
            out.push_str(&d.render(&f.filename, &f.source));
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}

/// The program that prints the repr of `expr` after a mark (`\x1e`), or why
/// `expr` is not one expression (a statement belongs to `exec`).
pub fn eval_source(expr: &str) -> std::result::Result<String, String> {
    let expr = expr.trim();
    if ruff_python_parser::parse_expression(expr).is_err() {
        return Err(format!(
            "`{expr}` is not an expression (statements run with `p14p exec`)"
        ));
    }
    // On its own lines inside the parentheses, so a trailing comment or a
    // multi-line expression stays whole (and is line 2 in a traceback).
    Ok(format!("print('\\x1e' + repr(\n{expr}\n))\n"))
}

/// Splits an eval's output into what the expression printed (passed on as
/// it comes) and the repr after the last [`EVAL_MARK`]. From a mark on,
/// output is held back; a later mark releases what was held, so a
/// program printing the mark itself loses nothing.
#[derive(Default)]
struct EvalOutput {
    held: Option<Vec<u8>>,
}

impl EvalOutput {
    fn push(&mut self, mut bytes: &[u8], output: &mut impl FnMut(&[u8])) {
        let mark = EVAL_MARK as u8;
        while !bytes.is_empty() {
            let at = bytes.iter().position(|&b| b == mark);
            match (&mut self.held, at) {
                (None, None) => {
                    output(bytes);
                    return;
                }
                (Some(held), None) => {
                    held.extend_from_slice(bytes);
                    return;
                }
                (held, Some(i)) => {
                    if let Some(h) = held.take() {
                        output(&h);
                        output(&bytes[..i]);
                    } else {
                        output(&bytes[..i]);
                    }
                    // The held part starts with the mark, released as is.
                    self.held = Some(vec![mark]);
                    bytes = &bytes[i + 1..];
                }
            }
        }
    }

    /// The repr (without the mark and the newline), or on a failed run an
    /// empty string after passing on what was held.
    fn finish(self, ok: bool, output: &mut impl FnMut(&[u8])) -> String {
        match self.held {
            Some(h) if ok => {
                let text = String::from_utf8_lossy(&h[1..]).into_owned();
                text.strip_suffix('\n').unwrap_or(&text).to_string()
            }
            Some(h) => {
                output(&h);
                String::new()
            }
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eval_wraps_an_expression_and_refuses_a_statement() {
        assert_eq!(
            eval_source(" 1 + 1  # two\n").unwrap(),
            "print('\\x1e' + repr(\n1 + 1  # two\n))\n"
        );
        assert!(eval_source("x = 1").unwrap_err().contains("p14p exec"));
        assert!(eval_source("1; 2").is_err());
    }

    #[test]
    fn eval_output_keeps_what_the_expression_printed() {
        let mut out = Vec::new();
        let mut split = EvalOutput::default();
        for chunk in [&b"side\x1ewa"[..], b"y\n\x1e", b"[1, ", b"2]\n"] {
            split.push(chunk, &mut |b: &[u8]| out.extend_from_slice(b));
        }
        let repr = split.finish(true, &mut |b: &[u8]| out.extend_from_slice(b));
        assert_eq!(repr, "[1, 2]");
        assert_eq!(out, b"side\x1eway\n");
        let mut split = EvalOutput::default();
        let mut out = Vec::new();
        split.push(b"a\x1eb", &mut |b: &[u8]| out.extend_from_slice(b));
        assert_eq!(
            split.finish(false, &mut |b: &[u8]| out.extend_from_slice(b)),
            ""
        );
        assert_eq!(out, b"a\x1eb");
    }
}
