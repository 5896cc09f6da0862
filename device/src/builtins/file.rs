//! Data files in the store: `open()`, the file object, and the native `os`
//! module (`listdir`, `remove`, `stat`).
//!
//! ## The file object
//! A `FILE` block: `[header, flags, name, pos, ver, len, crc, buffered,
//! buffer…]` (word 2, the name str, is the only value word). The store
//! is reached through [`Host`]'s `file_*` methods, so the object holds
//! plain numbers: the read position, or the [`Stream`] of a write.
//!
//! * Reading (`'r'`) goes to the store on every call, in small stack
//!   pieces; no buffer is kept. A reader sees the file's current version.
//! * Writing (`'w'`, `'a'`) makes a new version of the file
//!   ([`crate::store::Stream`]): `write()` gathers bytes in the object's
//!   [`WBUF`]-byte buffer (whole EXTENT records cost 24 bytes of flash
//!   each, so tiny writes are batched), and `close()` commits. Until then
//!   the old file is the file: a program that dies, is interrupted, or a
//!   device that resets leaves it intact. Leaving a `with` block by an
//!   exception drops the new version too (CPython would keep what was
//!   written; here a file is all or nothing). A file never closed is never
//!   written.
//! * Binary mode (`'rb'`, `'wb'`, `'ab'`) reads `bytes` and counts in
//!   bytes, and writes any bytes-like object; text mode reads `str`
//!   (UTF-8, checked) and counts in characters.
//!
//! Errors are `OSError`s worded as CPython's (`[Errno 2] No such file or
//! directory: 'x'`, a `FileNotFoundError`), with the arguments
//! `(errno, text)` that Python's `OSError(2, "No such file or directory:
//! 'x'")` would have, so `e.errno` is CPython's (its `args` hold the text
//! with the name; CPython's keep the name apart, in `filename`).

use super::funcs::want;
use crate::heap::value::kind;
use crate::heap::Value;
#[cfg(doc)]
use crate::machine::Host;
use crate::machine::Hx;
use crate::obj::float::{Buf, Sink};
use crate::obj::str::data;
use crate::obj::{tag, T};
use crate::store::{StoreError, Stream, Walk, MAX_NAME};
use crate::vm::call::Args;
use crate::vm::{Vm, R};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::natives::{self, OS_FUNCTIONS};

/// Bytes a writing file object gathers before it writes them to the store.
pub const WBUF: usize = 128;

const FLAGS: usize = 1;
const NAME: usize = 2;
const POS: usize = 3;
const VER: usize = 4;
const LEN: usize = 5;
const CRC: usize = 6;
const BUFFERED: usize = 7;
/// Words before the write buffer.
const HEAD: usize = 8;

const FLAG_READ: u32 = 1;
const FLAG_WRITE: u32 = 2;
const FLAG_APPEND: u32 = 4;
const FLAG_CLOSED: u32 = 8;
const FLAG_BINARY: u32 = 16;

/// `BUILTIN` payload of `open`, the first after [`super::BUILTINS`]; the
/// `os` functions follow.
pub const OPEN: u32 = super::BUILTINS.len() as u32;
const LISTDIR: u32 = OPEN + 1;
const REMOVE: u32 = OPEN + 2;
const NAMES: [&str; 4] = [
    "open",
    OS_FUNCTIONS[0].name,
    OS_FUNCTIONS[1].name,
    OS_FUNCTIONS[2].name,
];

/// Methods of the file object, `(name, min, max)` with `self` counted;
/// `METHOD` payloads from [`FIRST_METHOD`], after [`super::METHODS`].
const METHODS: [(&str, u8, u8); 8] = [
    ("read", 1, 2),
    ("readline", 1, 1),
    ("readlines", 1, 1),
    ("write", 2, 2),
    ("close", 1, 1),
    ("flush", 1, 1),
    ("__enter__", 1, 1),
    ("__exit__", 1, 4),
];
const READ: usize = 0;
const READLINE: usize = 1;
const WRITE: usize = 3;
const CLOSE: usize = 4;
const FLUSH: usize = 5;
const ENTER: usize = 6;
const FIRST_METHOD: u32 = super::METHODS.len() as u32;

/// Name of builtin function `id`, if it is one of this module's.
pub fn builtin_name(id: u32) -> Option<&'static str> {
    NAMES.get(id.checked_sub(OPEN)? as usize).copied()
}

/// Name of method `id`, if it is the file object's.
pub fn method_name(id: u32) -> Option<&'static str> {
    Some(METHODS.get(id.checked_sub(FIRST_METHOD)? as usize)?.0)
}

/// The class of a file object with `flags` (CPython's `io` classes).
pub fn type_of(flags: u32) -> T {
    match (flags & FLAG_BINARY != 0, flags & FLAG_WRITE != 0) {
        (false, _) => T::TextIOWrapper,
        (true, false) => T::BufferedReader,
        (true, true) => T::BufferedWriter,
    }
}

/// The file object's method `name`, as a `METHOD` immediate.
pub fn find_method(name: &[u8]) -> Option<Value> {
    let i = METHODS.iter().position(|m| m.0.as_bytes() == name)?;
    Some(Value::imm(kind::METHOD, FIRST_METHOD + i as u32))
}

/// The `os` module value.
pub const OS: Value = Value::imm(kind::MODULE, natives::id::OS);

/// Function `i` of `os`, in the protocol's table ([`OS_FUNCTIONS`]), which
/// `NAMES` follows after `open`.
pub fn os_function(i: u32) -> Value {
    Value::imm(kind::BUILTIN, LISTDIR + i)
}

/// Calls `open` or an `os` function.
#[inline(never)]
pub fn call(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    // An `os` function's arity, from the protocol's table.
    if let Some(f) = OS_FUNCTIONS.get(id.wrapping_sub(LISTDIR) as usize) {
        want(vm, a, f.min_args.into(), f.max_args.into(), f.name)?;
    }
    match id {
        OPEN => open(vm, host, a),
        LISTDIR => {
            let l = vm.list_new(0)?;
            let m = vm.root(l);
            let mut name = [0u8; MAX_NAME];
            let mut at = Walk::default();
            while let Some(n) = host.file_next(&mut at, &mut name) {
                let s = vm.str_from_bytes(name.get(..n).unwrap_or_default());
                let r = s.and_then(|s| vm.list_push(l, s));
                if r.is_err() {
                    vm.unroot(m);
                    return Err(crate::vm::Raised);
                }
            }
            vm.unroot(m);
            Ok(l)
        }
        REMOVE => {
            let path = name_arg(vm, vm.arg(a, 0))?;
            let name = path.get();
            match host.file_remove(name) {
                Ok(()) => Ok(Value::NONE),
                Err(e) => raise_os(vm, e, &path),
            }
        }
        _ => {
            // `stat(name)`: a 10-tuple as CPython's, with the size at [6]
            // and the mode saying "regular file".
            let path = name_arg(vm, vm.arg(a, 0))?;
            let name = path.get();
            let size = match host.file_size(name) {
                Ok(s) => s,
                Err(e) => return raise_os(vm, e, &path),
            };
            let t = vm.tuple_new(10)?;
            let m = vm.root(t);
            let size = vm.int_from_i64(i64::from(size));
            vm.unroot(m);
            let size = size?;
            let base = t.word() + 2;
            for i in 0..10 {
                vm.heap.setv(base + i, Value::small(0));
            }
            vm.heap.setv(base, Value::small(0o100_000 | 0o644));
            vm.heap.setv(base + 6, size);
            Ok(t)
        }
    }
}

/// A file name copied out of the heap (the heap moves nothing, but the
/// host call that follows must not borrow it).
struct Path {
    /// The name's bytes, one more than a name can have.
    b: [u8; MAX_NAME + 1],
    /// How many of them.
    n: usize,
    /// The str itself, for a message that names the file in full.
    v: Value,
}

impl Path {
    /// The bytes of str `v`. A longer name cannot exist; one byte more is
    /// kept so the store says "too long" rather than finding a truncated
    /// name.
    #[inline(never)]
    fn of(vm: &Vm, v: Value) -> Path {
        let b = vm.str_bytes(v);
        let n = b.len().min(MAX_NAME + 1);
        let mut out = [0u8; MAX_NAME + 1];
        out.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(b.get(..n).unwrap_or_default());
        Path { b: out, n, v }
    }

    /// The name as a str, cut at a character boundary if the copy cut a
    /// character.
    #[inline(never)]
    fn get(&self) -> &str {
        let b = self.b.get(..self.n).unwrap_or_default();
        match core::str::from_utf8(b) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(b.get(..e.valid_up_to()).unwrap_or_default())
                .unwrap_or_default(),
        }
    }
}

/// The name argument `v`, which must be a str.
fn name_arg(vm: &mut Vm, v: Value) -> R<Path> {
    if !vm.is_str(v) {
        return vm.raise_s(
            T::TypeError,
            ErrMsg::NeedStr,
            vm.type_of(v).name().as_bytes(),
        );
    }
    Ok(Path::of(vm, v))
}

/// Raises the `OSError` CPython would for `e` on file `path`: a generic
/// shell around one out-of-line [`os_error`] for every result type.
#[inline(always)]
fn raise_os<X>(vm: &mut Vm, e: StoreError, path: &Path) -> R<X> {
    os_error(vm, e, path);
    Err(crate::vm::Raised)
}

/// Sets the pending exception [`raise_os`] raises. Its text is built on
/// the heap with the whole name in it (a host's expansion of a numbered
/// message would cut a long name); a name longer than any POSIX file
/// system's 255 bytes is "too long" as CPython finds it, also where the
/// store only looks it up.
#[inline(never)]
fn os_error(vm: &mut Vm, e: StoreError, path: &Path) {
    let len = vm.str_bytes(path.v).len();
    let (errno, text): (u8, &[u8]) = match e {
        StoreError::NoSuchFile | StoreError::BadName if len > 255 => (36, b"File name too long"),
        StoreError::NoSuchFile => (2, b"No such file or directory"),
        StoreError::NoSpace => (28, b"No space left on device"),
        StoreError::BadName if len == 0 => (2, b"No such file or directory"),
        StoreError::BadName => (36, b"File name too long"),
        StoreError::NoStore => (19, b"No such device"),
        StoreError::InUse => (16, b"Device or resource busy"),
        _ => (5, b"Input/output error"),
    };
    let mut b = Buf::<48>::new();
    b.push_all(text);
    let named = matches!(errno, 2 | 19 | 36);
    if named {
        b.push_all(b": '");
    }
    let head = b.bytes();
    let total = head.len() + if named { len + 1 } else { 0 };
    let t = if errno == 2 {
        T::FileNotFoundError
    } else {
        T::OSError
    };
    let Ok(w) = vm.str_alloc(total) else {
        return;
    };
    let d = data(w);
    let (src, _) = vm.str_span(path.v);
    if named {
        vm.copy_code(src, d + head.len(), len);
    }
    let bytes = vm.heap.bytes_mut();
    if let Some(out) = bytes.get_mut(d..d + head.len()) {
        out.copy_from_slice(head);
    }
    if named {
        if let Some(q) = bytes.get_mut(d + total - 1) {
            *q = b'\'';
        }
    }
    vm.str_finish(w);
    // Raised as `OSError(errno, text)` from Python would be: `e.errno`,
    // `e.args`, and str()'s `[Errno 2] No such file or directory: 'x'`
    // rendered from them (`write_in`).
    let s = Value::obj(w);
    let r = vm.root(s);
    let args = vm.tuple_new(2);
    vm.unroot(r);
    let Ok(args) = args else {
        return;
    };
    vm.heap.setv(args.word() + 2, Value::small(errno as i32));
    vm.heap.setv(args.word() + 3, s);
    let _: R<()> = vm.raise_args(t, args, s);
}

/// `open(name, mode='r')`.
#[inline(never)]
fn open(vm: &mut Vm, host: &mut Hx<'_>, a: &Args) -> R<Value> {
    want(vm, a, 1, 2, "open")?;
    let mode = if a.n > 1 {
        vm.arg(a, 1)
    } else {
        vm.kwarg(a, b"mode").unwrap_or(Value::NULL)
    };
    let flags = if mode.is_null() {
        FLAG_READ
    } else if !vm.is_str(mode) {
        return vm.raise_type(ErrMsg::NeedStr, mode);
    } else {
        match vm.str_bytes(mode) {
            b"r" | b"rt" => FLAG_READ,
            b"w" | b"wt" => FLAG_WRITE,
            b"a" | b"at" => FLAG_WRITE | FLAG_APPEND,
            b"rb" => FLAG_READ | FLAG_BINARY,
            b"wb" => FLAG_WRITE | FLAG_BINARY,
            b"ab" => FLAG_WRITE | FLAG_APPEND | FLAG_BINARY,
            _ => return vm.raise_v(T::ValueError, ErrMsg::ArgValue, mode),
        }
    };
    let name_v = vm.arg(a, 0);
    let path = name_arg(vm, name_v)?;
    let name = path.get();
    let (words, stream) = if flags & FLAG_WRITE != 0 {
        match host.file_begin(name, flags & FLAG_APPEND != 0) {
            Ok(s) => (HEAD + WBUF / 4, s),
            Err(e) => return raise_os(vm, e, &path),
        }
    } else {
        match host.file_size(name) {
            Ok(_) => (HEAD, Stream::default()),
            Err(e) => return raise_os(vm, e, &path),
        }
    };
    let m = vm.root(name_v);
    let w = vm.alloc(tag::FILE, words);
    vm.unroot(m);
    let Ok(w) = w else {
        host.file_abort(&stream);
        return Err(crate::vm::Raised);
    };
    vm.heap.set(w + FLAGS, flags);
    vm.heap.setv(w + NAME, name_v);
    set_stream(vm, w, &stream);
    Ok(Value::obj(w))
}

fn stream(vm: &Vm, w: usize) -> Stream {
    Stream {
        ver: vm.heap.w(w + VER),
        len: vm.heap.w(w + LEN),
        crc: vm.heap.w(w + CRC),
    }
}

fn set_stream(vm: &mut Vm, w: usize, s: &Stream) {
    vm.heap.set(w + VER, s.ver);
    vm.heap.set(w + LEN, s.len);
    vm.heap.set(w + CRC, s.crc);
}

/// The file's name, copied out.
fn file_name(vm: &Vm, w: usize) -> Path {
    Path::of(vm, vm.heap.v(w + NAME))
}

/// `f.closed`, `f.name`, `f.mode`.
#[inline(never)]
pub fn attr(vm: &mut Vm, f: Value, name: Value) -> R<Option<Value>> {
    let w = f.word();
    let flags = vm.heap.w(w + FLAGS);
    let which = match vm.str_bytes(name) {
        b"closed" => 0,
        b"name" => 1,
        b"mode" => 2,
        _ => return Ok(None),
    };
    Ok(Some(match which {
        0 => Value::bool(flags & FLAG_CLOSED != 0),
        1 => vm.heap.v(w + NAME),
        _ => {
            let m: &[u8] = match (flags & FLAG_APPEND != 0, flags & FLAG_WRITE != 0) {
                (true, _) => b"ab",
                (_, true) => b"wb",
                _ => b"rb",
            };
            let binary = flags & FLAG_BINARY != 0;
            vm.str_from_bytes(m.get(..1 + usize::from(binary)).unwrap_or_default())?
        }
    }))
}

/// Calls a method of the file object (`self` is argument 0).
#[inline(never)]
pub fn method(vm: &mut Vm, host: &mut Hx<'_>, id: u32, a: &Args) -> R<Value> {
    let i = id.wrapping_sub(FIRST_METHOD) as usize;
    let Some(&(name, min, max)) = METHODS.get(i) else {
        return vm.raise(T::TypeError, ErrMsg::NotCallable);
    };
    // The arity column, checked here once for every method.
    want(vm, a, min.into(), max.into(), name)?;
    let f = vm.arg(a, 0);
    let w = f.word();
    let flags = vm.heap.w(w + FLAGS);
    match i {
        CLOSE => {
            close(vm, host, w, true)?;
            return Ok(Value::NONE);
        }
        ENTER => return Ok(f),
        READ..=FLUSH => {}
        _ => {
            // Commit on a normal exit; an exception drops the new version.
            let ok = a.n < 2 || vm.arg(a, 1) == Value::NONE;
            close(vm, host, w, ok)?;
            return Ok(Value::FALSE);
        }
    }
    if flags & FLAG_CLOSED != 0 {
        return vm.raise(T::ValueError, ErrMsg::ClosedFile);
    }
    match i {
        WRITE => {
            if flags & FLAG_WRITE == 0 {
                return vm.raise(T::OSError, ErrMsg::NotWritable);
            }
            let s = vm.arg(a, 1);
            let span = if flags & FLAG_BINARY != 0 {
                vm.bytes_span(s)
            } else {
                vm.is_str(s).then(|| vm.str_span(s))
            };
            let Some(span) = span else {
                return vm.raise_type(ErrMsg::ArgType, s);
            };
            write(vm, host, w, span)?;
            let n = if vm.is_str(s) {
                vm.str_chars(s)
            } else {
                span.1
            };
            vm.int_from_i64(n as i64)
        }
        FLUSH => Ok(Value::NONE),
        _ if flags & FLAG_READ == 0 => vm.raise(T::OSError, ErrMsg::NotReadable),
        READ => {
            let limit = match a.n {
                2 if vm.arg(a, 1) != Value::NONE => match vm.int_val(vm.arg(a, 1)) {
                    Some(n) if n >= 0 => Some(n as u64),
                    Some(_) => None,
                    None => return vm.raise_type(ErrMsg::ArgType, vm.arg(a, 1)),
                },
                _ => None,
            };
            let n = measure(vm, host, w, limit, false)?;
            take(vm, host, w, n)
        }
        READLINE => {
            let n = measure(vm, host, w, None, true)?;
            take(vm, host, w, n)
        }
        // readlines
        _ => {
            let l = vm.list_new(0)?;
            let m = vm.root(l);
            let r = loop {
                match next_line(vm, host, f) {
                    Ok(Some(s)) => {
                        if let Err(e) = vm.list_push(l, s) {
                            break Err(e);
                        }
                    }
                    Ok(None) => break Ok(l),
                    Err(e) => break Err(e),
                }
            };
            vm.unroot(m);
            r
        }
    }
}

/// The next line of a file being iterated (`for line in f`), None at the
/// end.
#[inline(never)]
pub fn next_line(vm: &mut Vm, host: &mut Hx<'_>, f: Value) -> R<Option<Value>> {
    let w = f.word();
    let flags = vm.heap.w(w + FLAGS);
    if flags & FLAG_CLOSED != 0 || flags & FLAG_READ == 0 {
        return vm.raise(T::ValueError, ErrMsg::ClosedFile);
    }
    let n = measure(vm, host, w, None, true)?;
    if n == 0 {
        return Ok(None);
    }
    take(vm, host, w, n).map(Some)
}

/// Bytes from the read position to the end of the file, or to the end of
/// the first line (`line`), or up to `limit` characters, whichever comes
/// first. Reads in small pieces; nothing is allocated.
fn measure(vm: &mut Vm, host: &mut Hx<'_>, w: usize, limit: Option<u64>, line: bool) -> R<usize> {
    let path = file_name(vm, w);
    let name = path.get();
    let pos = vm.heap.w(w + POS);
    let binary = vm.heap.w(w + FLAGS) & FLAG_BINARY != 0;
    let mut buf = [0u8; 64];
    let (mut len, mut chars) = (0usize, 0u64);
    loop {
        let got = match host.file_read(name, pos + len as u32, &mut buf) {
            Ok(g) => g,
            Err(e) => return raise_os(vm, e, &path),
        };
        if got == 0 {
            return Ok(len);
        }
        for &b in buf.get(..got).unwrap_or_default() {
            // A character starts here (every byte, in binary mode).
            let start = binary || b & 0xC0 != 0x80;
            if start && limit == Some(chars) {
                return Ok(len);
            }
            len += 1;
            chars += u64::from(start);
            if line && b == b'\n' {
                return Ok(len);
            }
        }
    }
}

/// Reads the next `n` bytes into a new str (bytes in binary mode) and
/// advances the position.
fn take(vm: &mut Vm, host: &mut Hx<'_>, w: usize, n: usize) -> R<Value> {
    let path = file_name(vm, w);
    let name = path.get();
    let pos = vm.heap.w(w + POS);
    let binary = vm.heap.w(w + FLAGS) & FLAG_BINARY != 0;
    let s = if binary {
        vm.bytes_alloc(n)?
    } else {
        vm.str_alloc(n)?
    };
    let d = data(s);
    let dst = vm.heap.bytes_mut().get_mut(d..d + n).unwrap_or_default();
    let r = host.file_read(name, pos, dst);
    if let Err(e) = r {
        return raise_os(vm, e, &path);
    }
    if r != Ok(n) {
        // The file changed under the reader.
        return raise_os(vm, StoreError::Flash, &path);
    }
    vm.heap.set(w + POS, pos + n as u32);
    if binary {
        return Ok(vm.bytes_finish(s));
    }
    if core::str::from_utf8(vm.heap.bytes().get(d..d + n).unwrap_or_default()).is_err() {
        return vm.raise(T::UnicodeDecodeError, ErrMsg::FileNotUtf8);
    }
    vm.str_finish(s);
    Ok(Value::obj(s))
}

/// Appends the bytes `(start, len)` at a code address (of a str or a
/// bytes-like: [`Vm::str_span`]) to
/// the file's buffer, writing out full buffers (and a long string straight
/// from the heap).
fn write(vm: &mut Vm, host: &mut Hx<'_>, w: usize, (d, n): (usize, usize)) -> R<()> {
    let buffered = vm.heap.w(w + BUFFERED) as usize;
    if buffered + n <= WBUF {
        let at = (w + HEAD) * 4 + buffered;
        vm.copy_code(d, at, n);
        vm.heap.set(w + BUFFERED, (buffered + n) as u32);
        return Ok(());
    }
    flush(vm, host, w)?;
    if n <= WBUF {
        let at = (w + HEAD) * 4;
        vm.copy_code(d, at, n);
        vm.heap.set(w + BUFFERED, n as u32);
        return Ok(());
    }
    let mut st = stream(vm, w);
    let path = file_name(vm, w);
    let r = host.file_write(&mut st, path.get(), vm.code_slice(d, n));
    set_stream(vm, w, &st);
    r.or_else(|e| fail(vm, host, w, e))
}

/// Writes the buffered bytes to the store.
fn flush(vm: &mut Vm, host: &mut Hx<'_>, w: usize) -> R<()> {
    let buffered = vm.heap.w(w + BUFFERED) as usize;
    if buffered == 0 {
        return Ok(());
    }
    let mut st = stream(vm, w);
    let path = file_name(vm, w);
    let at = (w + HEAD) * 4;
    let bytes = vm.heap.bytes().get(at..at + buffered).unwrap_or_default();
    let r = host.file_write(&mut st, path.get(), bytes);
    set_stream(vm, w, &st);
    vm.heap.set(w + BUFFERED, 0);
    r.or_else(|e| fail(vm, host, w, e))
}

/// A write failed: the new version is dropped, the file object closed, and
/// the error raised.
fn fail(vm: &mut Vm, host: &mut Hx<'_>, w: usize, e: StoreError) -> R<()> {
    host.file_abort(&stream(vm, w));
    let flags = vm.heap.w(w + FLAGS);
    vm.heap.set(w + FLAGS, flags | FLAG_CLOSED);
    let path = file_name(vm, w);
    raise_os(vm, e, &path)
}

/// Closes the file: a writer commits its new version (`commit`) or drops
/// it. Closing twice does nothing.
fn close(vm: &mut Vm, host: &mut Hx<'_>, w: usize, commit: bool) -> R<()> {
    let flags = vm.heap.w(w + FLAGS);
    if flags & FLAG_CLOSED != 0 {
        return Ok(());
    }
    if flags & FLAG_WRITE != 0 {
        if !commit {
            host.file_abort(&stream(vm, w));
        } else {
            flush(vm, host, w)?;
            if let Err(e) = host.file_commit(&stream(vm, w), file_name(vm, w).get()) {
                return fail(vm, host, w, e);
            }
        }
    }
    vm.heap.set(w + FLAGS, flags | FLAG_CLOSED);
    Ok(())
}
