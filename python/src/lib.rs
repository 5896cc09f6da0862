//! `p14p._p14p`: the Python binding of [`p14p::device::blocking::Device`].
//!
//! The Python package (`python/p14p/`) re-exports what is here; its
//! `__init__.pyi` documents the API for type checkers. Every call that
//! talks to the device releases the GIL, so another Python thread may run
//! (and call [`PyDevice::interrupt`]) meanwhile.

use p14p::device::blocking;
use p14p::device::RunOptions;
use p14p::transport::{OpenOptions, Port};
use p14p::{Error, Value};
use p14p_protocol::msg::{FileKind, HeapStats, Width};
use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PySet, PyString, PyTuple};
use pyo3::{create_exception, IntoPyObjectExt};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

create_exception!(
    p14p,
    DeviceError,
    PyException,
    "A program on the device failed: an uncaught exception (its traceback is the message and `.traceback`), or a compile error."
);
create_exception!(
    p14p,
    DeviceTimeout,
    DeviceError,
    "A program ran longer than its timeout and was stopped."
);
create_exception!(
    p14p,
    LinkError,
    PyOSError,
    "The device or the link failed: no answer, a refused request, a closed connection."
);

/// A value with no literal form (a function, an instance): its repr as
/// the device gave it.
#[pyclass(module = "p14p", name = "Repr", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
struct PyRepr {
    /// The repr text.
    #[pyo3(get)]
    text: String,
}

#[pymethods]
impl PyRepr {
    #[new]
    fn new(text: String) -> Self {
        PyRepr { text }
    }

    fn __repr__(&self) -> String {
        self.text.clone()
    }
}

/// A p14p device: `Device("sim")`, `Device("/dev/ttyACM0")`,
/// `Device("tcp:host:port")`, `Device("rfc2217://host:port")`.
#[pyclass(module = "p14p", name = "Device", frozen)]
struct PyDevice {
    port: String,
    /// `None` once closed. An `Arc` so a call does not hold the lock while
    /// it runs (`interrupt` from another thread, `close` after it).
    device: RwLock<Option<Arc<blocking::Device>>>,
    /// Everything programs printed since the transcript was last cleared:
    /// what the pytest plugin shows for a failed test.
    transcript: Arc<Mutex<String>>,
}

impl PyDevice {
    fn get(&self) -> PyResult<Arc<blocking::Device>> {
        self.device
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| LinkError::new_err(format!("the device on {} is closed", self.port)))
    }

    /// Runs `call` without the GIL, with an output sink that appends to
    /// the transcript, to the returned text and (with the GIL) to
    /// `on_output`.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        on_output: Option<Py<PyAny>>,
        call: impl FnOnce(&blocking::Device, &mut (dyn FnMut(&[u8]) + Send)) -> p14p::device::Result<T>
            + Send,
    ) -> PyResult<(T, String)> {
        let device = self.get()?;
        let transcript = Arc::clone(&self.transcript);
        let (result, out, callback_error) = py.detach(move || {
            let mut out = Utf8Stream::default();
            let mut callback_error: Option<PyErr> = None;
            let mut sink = |bytes: &[u8]| {
                let text = out.push(bytes);
                if text.is_empty() {
                    return;
                }
                transcript
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&text);
                if let (Some(cb), None) = (&on_output, &callback_error) {
                    Python::attach(|py| {
                        if let Err(e) = cb.call1(py, (text,)) {
                            callback_error = Some(e);
                        }
                    });
                }
            };
            let result = call(&device, &mut sink);
            (result, out.text, callback_error)
        });
        if let Some(e) = callback_error {
            return Err(e);
        }
        match result {
            Ok(v) => Ok((v, out)),
            Err(e) => Err(to_py_err(py, e, &out)),
        }
    }
}

/// Bytes of output → text, keeping a UTF-8 sequence cut between two
/// chunks whole.
#[derive(Default)]
struct Utf8Stream {
    pending: Vec<u8>,
    text: String,
}

impl Utf8Stream {
    fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // An incomplete sequence at the end waits for the next chunk;
            // an invalid one is replaced.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        let chunk: Vec<u8> = self.pending.drain(..valid).collect();
        let text = String::from_utf8_lossy(&chunk).into_owned();
        self.text.push_str(&text);
        text
    }
}

fn to_py_err(py: Python<'_>, e: Error, output: &str) -> PyErr {
    let message = e.to_string();
    let (err, exc_type, traceback) = match &e {
        Error::Exception {
            exception,
            traceback,
        } => (
            DeviceError::new_err(message),
            Some(exception.exc_type.clone()),
            Some(traceback.clone()),
        ),
        Error::Timeout { traceback, .. } => (
            DeviceTimeout::new_err(message),
            Some("KeyboardInterrupt".to_string()).filter(|_| !traceback.is_empty()),
            Some(traceback.clone()).filter(|t| !t.is_empty()),
        ),
        Error::Compile(_) => (DeviceError::new_err(message), None, None),
        Error::Invalid(_) => return PyValueError::new_err(message),
        _ => return LinkError::new_err(message),
    };
    let value = err.value(py);
    let _ = value.setattr("exc_type", exc_type);
    let _ = value.setattr("traceback", traceback);
    let _ = value.setattr("output", output);
    err
}

/// A signal's exception (Ctrl-C's `KeyboardInterrupt`) that arrived while
/// a program ran: the program was interrupted, and this is raised.
type Pending = Arc<Mutex<Option<PyErr>>>;

/// The options of a run with `timeout` seconds, whose program is
/// interrupted when a signal handler raises (Ctrl-C): Python's handlers
/// run only when asked, and the GIL is released while the device runs, so
/// the run asks ([`RunOptions::stop`]).
fn options(timeout: Option<f64>) -> PyResult<(RunOptions, Pending)> {
    let timeout = match timeout {
        None => None,
        Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
        Some(t) => {
            return Err(PyValueError::new_err(format!(
                "timeout must be positive, not {t}"
            )))
        }
    };
    let pending = Pending::default();
    let seen = Arc::clone(&pending);
    let stop = move || {
        Python::attach(|py| match py.check_signals() {
            Ok(()) => false,
            Err(e) => {
                *seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                true
            }
        })
    };
    let options = RunOptions {
        timeout,
        stop: Some(Arc::new(stop)),
        ..RunOptions::default()
    };
    Ok((options, pending))
}

/// The signal's exception if one interrupted the run, else `result`.
fn or_signal<T>(result: PyResult<T>, pending: &Pending) -> PyResult<T> {
    match pending.lock().unwrap_or_else(|e| e.into_inner()).take() {
        Some(e) => Err(e),
        None => result,
    }
}

fn width(bits: u32) -> PyResult<Width> {
    match bits {
        8 => Ok(Width::U8),
        16 => Ok(Width::U16),
        32 => Ok(Width::U32),
        _ => Err(PyValueError::new_err(format!(
            "width must be 8, 16 or 32, not {bits}"
        ))),
    }
}

fn value_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::None => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_bound_py_any(py)?,
        Value::BigInt(s) => py.get_type::<PyInt>().call1((s,))?,
        Value::Float(x) => PyFloat::new(py, *x).into_any(),
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Bytes(b) => PyBytes::new(py, b).into_any(),
        Value::List(items) => PyList::new(py, items_to_py(py, items)?)?.into_any(),
        Value::Tuple(items) => PyTuple::new(py, items_to_py(py, items)?)?.into_any(),
        Value::Set(items) => PySet::new(py, items_to_py(py, items)?)?.into_any(),
        Value::Dict(pairs) => {
            let d = PyDict::new(py);
            for (k, v) in pairs {
                d.set_item(value_to_py(py, k)?, value_to_py(py, v)?)?;
            }
            d.into_any()
        }
        Value::Repr(text) => Bound::new(py, PyRepr { text: text.clone() })?.into_any(),
    })
}

fn items_to_py<'py>(py: Python<'py>, items: &[Value]) -> PyResult<Vec<Bound<'py, PyAny>>> {
    items.iter().map(|v| value_to_py(py, v)).collect()
}

fn heap_dict<'py>(py: Python<'py>, s: &HeapStats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("total", s.total)?;
    d.set_item("used", s.used)?;
    d.set_item("free", s.free)?;
    d.set_item("largest_free", s.largest_free)?;
    d.set_item("objects", s.objects)?;
    d.set_item("gc_runs", s.gc_runs)?;
    d.set_item("gc_us", s.gc_us)?;
    Ok(d)
}

#[pymethods]
impl PyDevice {
    /// Opens the device at `port` and performs the handshake.
    #[new]
    #[pyo3(signature = (port = "sim", *, baud = 115_200, heap = None))]
    fn new(py: Python<'_>, port: &str, baud: u32, heap: Option<usize>) -> PyResult<Self> {
        let mut open = OpenOptions {
            baud,
            ..OpenOptions::default()
        };
        if let Some(h) = heap {
            open.heap_bytes = h;
        }
        let parsed = Port::parse(port);
        let device = py
            .detach(|| blocking::Device::open_with(&parsed, &open))
            .map_err(|e| to_py_err(py, e, ""))?;
        Ok(PyDevice {
            port: port.to_string(),
            device: RwLock::new(Some(Arc::new(device))),
            transcript: Arc::default(),
        })
    }

    /// The port as given.
    #[getter]
    fn port(&self) -> &str {
        &self.port
    }

    /// The device's manifest: board, firmware, heap and store sizes.
    #[getter]
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let device = self.get()?;
        let i = device.info();
        let d = PyDict::new(py);
        d.set_item("board", &i.board)?;
        d.set_item("firmware", &i.firmware)?;
        d.set_item("heap_bytes", i.heap_bytes)?;
        d.set_item("store_bytes", i.store_bytes)?;
        d.set_item("protocol", i.protocol)?;
        let natives: Vec<&str> = i.natives.iter().map(|m| m.name.as_str()).collect();
        d.set_item("native_modules", natives)?;
        Ok(d)
    }

    /// What programs printed since the last `clear_transcript()`.
    #[getter]
    fn transcript(&self) -> String {
        self.transcript
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Empties the transcript.
    fn clear_transcript(&self) {
        self.transcript
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Drops the VM's state (globals, loaded modules, the heap).
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        let device = self.get()?;
        py.detach(|| device.reset())
            .map_err(|e| to_py_err(py, e, ""))
    }

    /// Runs `code` in the device's `__main__` and returns its output.
    #[pyo3(signature = (code, *, timeout = None, on_output = None))]
    fn exec(
        &self,
        py: Python<'_>,
        code: &str,
        timeout: Option<f64>,
        on_output: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let (opts, pending) = options(timeout)?;
        let r = self.run(py, on_output, |d, sink| d.exec_with(code, &opts, sink));
        Ok(or_signal(r, &pending)?.1)
    }

    /// Evaluates the expression `expr` and returns its value.
    #[pyo3(signature = (expr, *, timeout = None, on_output = None))]
    fn eval<'py>(
        &self,
        py: Python<'py>,
        expr: &str,
        timeout: Option<f64>,
        on_output: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (opts, pending) = options(timeout)?;
        let r = self.run(py, on_output, |d, sink| d.eval_with(expr, &opts, sink));
        value_to_py(py, &Value::parse(&or_signal(r, &pending)?.0))
    }

    /// Runs the Python file at `path` (its imports found next to it) and
    /// returns its output.
    #[pyo3(signature = (path, *, timeout = None, on_output = None))]
    fn run_file(
        &self,
        py: Python<'_>,
        path: std::path::PathBuf,
        timeout: Option<f64>,
        on_output: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let (opts, pending) = options(timeout)?;
        let r = self.run(py, on_output, |d, sink| {
            d.run_file_with(Path::new(&path), &opts, sink)
        });
        Ok(or_signal(r, &pending)?.1)
    }

    /// Compiles `source` and loads it into RAM as the module `name`.
    fn load_module(&self, py: Python<'_>, name: &str, source: &str) -> PyResult<()> {
        self.run(py, None, |d, _| d.load_module(name, source))
            .map(|_| ())
    }

    /// Stores `data` as `name` (`.py` source is compiled to an image).
    fn push(&self, py: Python<'_>, name: &str, data: Vec<u8>) -> PyResult<()> {
        self.run(py, None, |d, _| d.push(name, &data)).map(|_| ())
    }

    /// Makes the store match folder `dir` as `p14p sync` does (`delete`:
    /// files `dir` lacks removed): a dict with `sent`, `removed` (lists
    /// of names), `same` and `bytes`.
    #[pyo3(signature = (dir, *, delete = false))]
    fn sync<'py>(
        &self,
        py: Python<'py>,
        dir: std::path::PathBuf,
        delete: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (done, _) = self.run(py, None, |d, _| d.sync(&dir, delete))?;
        let r = PyDict::new(py);
        r.set_item("sent", &done.sent)?;
        r.set_item("removed", &done.removed)?;
        r.set_item("same", done.same)?;
        r.set_item("bytes", done.bytes)?;
        Ok(r)
    }

    /// The stored files: dicts with name, size, kind, crc, main.
    fn ls<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let (files, _) = self.run(py, None, |d, _| d.ls())?;
        files
            .iter()
            .map(|f| {
                let d = PyDict::new(py);
                d.set_item("name", &f.name)?;
                d.set_item("size", f.size)?;
                let kind = match f.kind {
                    FileKind::Image => "image",
                    FileKind::Data => "data",
                };
                d.set_item("kind", kind)?;
                d.set_item("crc", f.crc)?;
                d.set_item("main", f.main)?;
                Ok(d)
            })
            .collect()
    }

    /// The bytes of the stored file `name`.
    fn cat<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyBytes>> {
        let (bytes, _) = self.run(py, None, |d, _| d.cat(name))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Removes the stored file `name`.
    fn rm(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        self.run(py, None, |d, _| d.rm(name)).map(|_| ())
    }

    /// Reads `count` items of `width` bits at `addr`.
    #[pyo3(signature = (addr, count = 1, *, width = 32))]
    fn peek(&self, py: Python<'_>, addr: u32, count: u32, width: u32) -> PyResult<Vec<u32>> {
        let w = self::width(width)?;
        Ok(self.run(py, None, |d, _| d.peek(addr, w, count))?.0)
    }

    /// Runs `code` while sampling the items at `addrs` every `interval`
    /// seconds; returns `(seconds, addr, old, new)` for each item's first
    /// value (`old` None) and every change.
    #[pyo3(signature = (addrs, code, *, width = 32, interval = 0.05, timeout = None, on_output = None))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn watch(
        &self,
        py: Python<'_>,
        addrs: Vec<u32>,
        code: &str,
        width: u32,
        interval: f64,
        timeout: Option<f64>,
        on_output: Option<Py<PyAny>>,
    ) -> PyResult<Vec<(f64, u32, Option<u32>, u32)>> {
        let w = self::width(width)?;
        if !(interval.is_finite() && interval > 0.0) {
            return Err(PyValueError::new_err(format!(
                "interval must be positive, not {interval}"
            )));
        }
        let every = Duration::from_secs_f64(interval);
        let (opts, pending) = options(timeout)?;
        let r = self.run(py, on_output, |d, sink| {
            d.watch_exec(code, &opts, &addrs, w, every, sink)
        });
        let changes = or_signal(r, &pending)?.0;
        Ok(changes
            .iter()
            .map(|c| (c.at.as_secs_f64(), c.addr, c.old, c.new))
            .collect())
    }

    /// Writes `value` (`width` bits) at `addr`.
    #[pyo3(signature = (addr, value, *, width = 32))]
    fn poke(&self, py: Python<'_>, addr: u32, value: u32, width: u32) -> PyResult<()> {
        let w = self::width(width)?;
        self.run(py, None, |d, _| d.poke(addr, w, value))
            .map(|_| ())
    }

    /// Stops the running program with KeyboardInterrupt (from another
    /// thread; a second call stops one that caught it).
    fn interrupt(&self, py: Python<'_>) -> PyResult<()> {
        self.run(py, None, |d, _| d.interrupt()).map(|_| ())
    }

    /// The heap's figures.
    fn heap_stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (s, _) = self.run(py, None, |d, _| d.heap_stats())?;
        heap_dict(py, &s)
    }

    /// Runs a full collection, then returns the heap's figures.
    fn collect<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (s, _) = self.run(py, None, |d, _| d.collect())?;
        heap_dict(py, &s)
    }

    /// Closes the connection (a `sim` device ends). Idempotent.
    fn close(&self, py: Python<'_>) {
        let device = self
            .device
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        // Dropping joins the link's threads: not with the GIL held.
        py.detach(move || drop(device));
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        let open = self.device.read().map(|d| d.is_some()).unwrap_or(false);
        let closed = if open { "" } else { " (closed)" };
        format!("<p14p.Device '{}'{closed}>", self.port)
    }
}

/// The module `p14p._p14p`.
#[pymodule]
fn _p14p(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyDevice>()?;
    m.add_class::<PyRepr>()?;
    m.add("DeviceError", py.get_type::<DeviceError>())?;
    m.add("DeviceTimeout", py.get_type::<DeviceTimeout>())?;
    m.add("LinkError", py.get_type::<LinkError>())?;
    Ok(())
}
