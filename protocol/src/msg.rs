//! Messages: [`Request`] (host → device) and [`Response`] (device → host).
//!
//! Every request carries a sequence number chosen by the host; every reply to
//! it echoes that number. Streamed program output ([`Reply::Output`]) carries
//! the sequence number of the [`Command::Run`] that produced it, so output can
//! never be mistaken for a reply. Sequence number 0 is reserved for messages
//! the device sends unprompted ([`Reply::Boot`]).
//!
//! ## Conversation
//! ```text
//! host                                   device
//! Hello{protocol}                  ──►
//!                                  ◄──   Hello(Manifest)
//! LoadBegin{len,hash,name}         ──►
//!                                  ◄──   Ack
//! LoadChunk{offset,data} ×N        ──►   (up to Manifest::window in flight)
//!                                  ◄──   Ack ×N
//! LoadEnd                          ──►   verifies the whole image
//!                                  ◄──   Loaded{hash}
//! Native{index} ×Manifest::natives ──►   (the device's modules)
//!                                  ◄──   Native(NativeModule) ×N
//! Run{hash}                        ──►
//!                                  ◄──   Output(bytes) ×M   (seq of the Run)
//! Interrupt (optional)             ──►   raises KeyboardInterrupt in the VM
//!                                  ◄──   Done | Raised(..)  (seq of the Run)
//! ```
//!
//! During a run the program may ask the host for something and wait:
//! `Expand{msg,detail}` → `Expanded{text}` (a message's text), and
//! `input()`'s `Input` → `Line{text}` (a line from the host's terminal),
//! and `eval`/`exec`'s `Compile{eval,offset,source}` → `Code{bytes}` (the
//! compiled image, pulled chunk by chunk).
//!
//! Output frames are numbered (0, 1, … in each run) and `Done`/`Raised`
//! say how many were sent, so a host sees a frame the link lost. A host
//! that has not seen the final reply re-sends the `Run` (same seq): the
//! device answers `Error(Busy)` while the program still runs, and the
//! remembered final reply once it has ended.
//!
//! ```text
//! ```
//!
//! ## Retries
//! A host that sees no reply re-sends the same request with the same sequence
//! number. The device remembers the sequence number of the last request it
//! completed; a repeat of it is answered without doing the work twice
//! ([`Reply::Ack`] for chunk writes, which are idempotent anyway, or the
//! original outcome where the device kept it, else [`DeviceError::Duplicate`]).

use crate::errmsg::ErrMsg;
use crate::seq::Seq;
use serde::{Deserialize, Serialize};

/// A framed request from the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request<'a> {
    /// Host-chosen sequence number, echoed by every reply (never 0).
    pub seq: u16,
    /// What to do.
    #[serde(borrow)]
    pub cmd: Command<'a>,
}

/// What the host asks of the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command<'a> {
    /// Handshake. The device answers with its [`Manifest`].
    Hello {
        /// The host's [`crate::version::PROTOCOL`].
        protocol: u16,
    },
    /// Liveness check; answered with [`Reply::Ack`].
    Ping,
    /// Drops all VM state (globals, loaded images, the heap) as if freshly
    /// booted, without touching the store. Answered with [`Reply::Ack`].
    /// During a run (protocol 9) it first stops the program as a second
    /// [`Command::Interrupt`] does; the run's final reply goes out, then
    /// the `Ack`.
    Reset,
    /// Starts receiving an image of `len` bytes whose header hash is `hash`.
    /// `name` registers it as an importable module; `None` makes it the
    /// anonymous program image (replacing the previous one once unused).
    LoadBegin {
        /// Total image length in bytes.
        len: u32,
        /// The image's hash (see [`crate::image`]).
        hash: u32,
        /// Module name for `import`, if any.
        name: Option<&'a str>,
    },
    /// Writes part of the image being received. Chunks may arrive in any
    /// order and may repeat; each is acknowledged with [`Reply::Ack`].
    LoadChunk {
        /// Byte offset of `data` in the image.
        offset: u32,
        /// The bytes.
        data: &'a [u8],
    },
    /// Ends the transfer: the device checks the hash, verifies the image and
    /// answers [`Reply::Loaded`] or an error. Nothing has run yet.
    LoadEnd,
    /// Runs the module code of the loaded image with this hash in the
    /// `__main__` namespace (which persists across runs until [`Command::Reset`]).
    Run {
        /// Which image.
        hash: u32,
    },
    /// Stops the running program with `KeyboardInterrupt`. Ignored (but
    /// acknowledged) when nothing runs. The first `Interrupt` of a run can
    /// be caught like CPython's; a second (a new sequence number) during
    /// the same run stops it whatever it catches (protocol 9): no `except`
    /// or `finally` runs, and the run ends `Raised(KeyboardInterrupt)`.
    Interrupt,
    /// Reads `count` items of `width` starting at `addr` from the device's
    /// memory map. Answered with [`Reply::Data`] (little-endian items).
    Peek {
        /// First address.
        addr: u32,
        /// Item size.
        width: Width,
        /// Number of items.
        count: u16,
    },
    /// Writes one item to the device's memory map. Answered with [`Reply::Ack`].
    Poke {
        /// Address.
        addr: u32,
        /// Item size.
        width: Width,
        /// Value (truncated to `width`).
        value: u32,
    },
    /// Asks for heap statistics ([`Reply::Heap`]).
    HeapStats,
    /// Runs a full garbage collection, then answers like [`Command::HeapStats`].
    /// During a run (protocol 4) the collection happens at the VM's next
    /// poll, between two instructions, and the reply follows it.
    Collect,
    /// Lists stored files from position `start`: answered with
    /// [`Reply::Files`], as many as fit a frame, and where to continue.
    StoreList {
        /// Where to list from: 0 for the first page, then the `next` of
        /// the page before (a position the device chose).
        start: u16,
    },
    /// Starts writing a stored file of `len` bytes whose CRC-32 is `crc`.
    /// The file changes only at [`Command::StoreCommit`]; until then (and if
    /// the transfer never ends) the old version stays.
    StoreBegin {
        /// File name (1–32 bytes).
        name: &'a str,
        /// Module image or data.
        kind: FileKind,
        /// Length in bytes.
        len: u32,
        /// CRC-32 (ISO-HDLC, as zlib's `crc32`) of the content.
        crc: u32,
    },
    /// Writes part of the file being stored, like [`Command::LoadChunk`]
    /// with the same window; bytes must arrive in order (a chunk past the
    /// written end gets [`DeviceError::OutOfOrder`]; a repeat is acknowledged).
    StoreChunk {
        /// Byte offset of `data` in the file.
        offset: u32,
        /// The bytes.
        data: &'a [u8],
    },
    /// Checks the length and CRC, then commits the file atomically; [`Reply::Ack`].
    StoreCommit,
    /// Reads up to `len` bytes of a stored file from `offset`: [`Reply::Data`]
    /// (shorter at the end of the file).
    StoreRead {
        /// File name.
        name: &'a str,
        /// First byte.
        offset: u32,
        /// Most bytes to return.
        len: u16,
    },
    /// Removes a stored file; [`Reply::Ack`].
    StoreRemove {
        /// File name.
        name: &'a str,
    },
    /// Asks for store figures ([`Reply::Store`]).
    StoreStats,
    /// Names the stored image that runs at boot (`None`: nothing runs).
    SetMain {
        /// File name.
        name: Option<&'a str>,
    },
    /// Heap figures and per-type object counts for block tags `from` and up
    /// ([`Reply::Census`]). Read-only: answered during a run too.
    HeapCensus {
        /// First block tag to report (0 for a fresh census).
        from: u8,
    },
    /// A page of the arena's block map starting at arena word `from`
    /// ([`Reply::Blocks`]). Read-only: answered during a run too.
    HeapWalk {
        /// First arena word (1 for the start of the heap).
        from: u32,
    },
    /// The `count` largest heap objects, largest first ([`Reply::Largest`]).
    /// Read-only: answered during a run too.
    HeapLargest {
        /// How many (the device may send fewer).
        count: u8,
    },
    /// The text of the numbered message the device asked for with
    /// [`Reply::Expand`] (protocol 7): `msg` rendered with `detail`, at
    /// most [`Command::EXPANDED_MAX`] bytes cut at a character boundary.
    /// Not answered.
    Expanded {
        /// The message, UTF-8.
        text: &'a [u8],
    },
    /// Native module number `index` (protocol 10), of the
    /// [`Manifest::natives`] the device has: answered [`Reply::Native`],
    /// or `Error(BadArgument)` past the last. One module per frame, so a
    /// port may add modules the handshake's one frame could not hold.
    Native {
        /// Which module, from 0.
        index: u8,
    },
    /// The line a running program's `input()` asked for with
    /// [`Reply::Input`] (protocol 12): the bytes typed with their
    /// newline, at most [`Command::LINE_MAX`] bytes (a longer line is cut
    /// at a character boundary); empty at the end of input (the program
    /// raises EOFError). Not answered.
    Line {
        /// The line, UTF-8.
        text: &'a [u8],
    },
    /// Bytes of the host's answer to a running program's
    /// [`Reply::Compile`] (protocol 13), from the offset it asked for: at
    /// most [`Command::CODE_MAX`] bytes of the compiled image, or of the
    /// `SyntaxError` message (UTF-8) when the answer does not begin with
    /// the image magic. Empty when the host has nothing there. Not
    /// answered.
    Code {
        /// The bytes.
        bytes: &'a [u8],
    },
}

impl Command<'_> {
    /// The longest [`Command::Line`] text: the device's buffer for it.
    pub const LINE_MAX: usize = 160;

    /// The longest [`Command::Code`] bytes: the device's buffer for them.
    pub const CODE_MAX: usize = 160;

    /// The longest [`Command::Expanded`] text: the device's buffer for it.
    pub const EXPANDED_MAX: usize = 160;

    /// Largest [`Command::Peek`] reply in bytes (`count × width`): the
    /// device answers more with [`DeviceError::TooMany`], so the host splits
    /// longer reads into requests of at most this many bytes.
    pub const PEEK_MAX: usize = 256;
}

/// What a stored file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// A compiled module image (importable, runnable as main).
    Image,
    /// Plain bytes (for `open()`).
    Data,
}

/// One stored file in [`Reply::Files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry<'a> {
    /// Its name.
    pub name: &'a str,
    /// Image or data.
    pub kind: FileKind,
    /// Size in bytes.
    pub size: u32,
    /// CRC-32 of the content.
    pub crc: u32,
    /// True if it is the boot program.
    pub main: bool,
}

/// Store figures, the answer to [`Command::StoreStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StoreStats {
    /// Bytes available for files in total.
    pub capacity: u32,
    /// Bytes used by files (with their metadata).
    pub used: u32,
    /// Number of files.
    pub files: u16,
    /// Flash page size.
    pub page_size: u32,
    /// Number of flash pages.
    pub pages: u16,
}

/// Access width for peek and poke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Width {
    /// 8 bits.
    U8,
    /// 16 bits (address must be 2-aligned).
    U16,
    /// 32 bits (address must be 4-aligned).
    U32,
}

impl Width {
    /// Size in bytes.
    pub const fn bytes(self) -> u32 {
        match self {
            Width::U8 => 1,
            Width::U16 => 2,
            Width::U32 => 4,
        }
    }
}

/// A framed message from the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response<'a> {
    /// The sequence number of the request this answers (0: unprompted).
    pub seq: u16,
    /// The answer.
    #[serde(borrow)]
    pub reply: Reply<'a>,
}

/// What the device says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply<'a> {
    /// Sent unprompted (seq 0) after the device boots or resets its link.
    Boot,
    /// The handshake answer.
    #[serde(borrow)]
    Hello(Manifest<'a>),
    /// The request was carried out.
    Ack,
    /// An image was received and verified.
    Loaded {
        /// Its hash, the handle for [`Command::Run`].
        hash: u32,
    },
    /// Program output (from `print`), in order, as it is produced.
    /// Frames are numbered from 0 in each run (protocol 9), so a host can
    /// tell a lost frame from silence: see [`Reply::Done`].
    Output {
        /// This frame's number in the run (wrapping).
        n: u16,
        /// The bytes.
        bytes: &'a [u8],
    },
    /// The program ran to its end.
    Done {
        /// How many [`Reply::Output`] frames the run sent (protocol 9,
        /// wrapping): a host that received fewer lost some on the link.
        outputs: u16,
    },
    /// The program ended with an uncaught exception.
    Raised(Raised<'a>),
    /// Bytes read by [`Command::Peek`].
    Data(&'a [u8]),
    /// Heap statistics.
    Heap(HeapStats),
    /// The request failed; the device is still serving.
    Error(DeviceError),
    /// A page of the store listing.
    Files {
        /// The files.
        #[serde(borrow)]
        files: Seq<'a, FileEntry<'a>>,
        /// Index to ask for next, if more files follow.
        next: Option<u16>,
    },
    /// Store figures.
    Store(StoreStats),
    /// Answer to [`Command::HeapCensus`].
    Census {
        /// Heap figures, as [`Reply::Heap`].
        stats: HeapStats,
        /// Live blocks per tag, in ascending tag order (free blocks are
        /// tag 0); tags without blocks are left out.
        #[serde(borrow)]
        types: Seq<'a, TypeCount>,
        /// The next tag to ask for, or 0 when this reply ends the census.
        next: u8,
    },
    /// Answer to [`Command::HeapWalk`]: consecutive blocks of one tag
    /// merged into runs, in arena order.
    Blocks {
        /// The arena word to continue from, or 0 at the end of the arena.
        next: u32,
        /// The runs.
        #[serde(borrow)]
        runs: Seq<'a, BlockRun>,
    },
    /// Answer to [`Command::HeapLargest`].
    #[serde(borrow)]
    Largest(Seq<'a, HeapObject<'a>>),
    /// During a run (seq of the `Run`), protocol 7: the program needs the
    /// text of a numbered message (`str(e)` of an exception the VM
    /// raised), which only the host has. The host answers
    /// [`Command::Expanded`]; the program waits for it.
    Expand {
        /// The message.
        msg: ErrMsg,
        /// Its variable part.
        detail: &'a [u8],
    },
    /// Answer to [`Command::Native`]: one native module.
    #[serde(borrow)]
    Native(NativeModule<'a>),
    /// During a run (seq of the `Run`), protocol 12: the program called
    /// `input()` (its prompt already sent as [`Reply::Output`]) and waits
    /// for a line, which the host reads from its terminal and sends as
    /// [`Command::Line`]. An `Interrupt` ends the wait.
    Input,
    /// During a run (seq of the `Run`), protocol 13: the program called
    /// `eval` or `exec` and asks for `offset..` of the host's answer to
    /// compiling `source` (a module body, or with `eval` an expression):
    /// the image, which the device loads into its heap chunk by chunk,
    /// or a `SyntaxError` message. `source` comes with offset 0 only; the
    /// host keeps its answer for the next offsets. The host answers with
    /// [`Command::Code`]; an `Interrupt` ends the wait.
    Compile {
        /// An expression (`eval`), else a module body (`exec`).
        eval: bool,
        /// Where in the answer to start.
        offset: u32,
        /// The source text (UTF-8), empty past offset 0.
        source: &'a [u8],
    },
}

/// How many blocks of one tag the heap holds, and their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeCount {
    /// The device's block tag (0: free). The host names tags.
    pub tag: u8,
    /// Number of blocks.
    pub count: u32,
    /// Their bytes, headers included.
    pub bytes: u32,
}

/// Adjacent heap blocks with the same tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockRun {
    /// Block tag (0: free).
    pub tag: u8,
    /// Number of blocks in the run.
    pub blocks: u32,
    /// Their total size in words (4 bytes), headers included.
    pub words: u32,
}

/// One heap object: where, what, how big, and its first payload bytes (from
/// which the host renders a short repr).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeapObject<'a> {
    /// Arena word of its header.
    pub word: u32,
    /// Block tag.
    pub tag: u8,
    /// Size in bytes, header included.
    pub bytes: u32,
    /// The first payload bytes (after the header word), at most
    /// [`HeapObject::HEAD`].
    pub head: &'a [u8],
}

impl HeapObject<'_> {
    /// Most payload bytes a [`HeapObject`] carries.
    pub const HEAD: usize = 24;
}

/// The device's self-description, the answer to [`Command::Hello`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest<'a> {
    /// The device's [`crate::version::PROTOCOL`].
    pub protocol: u16,
    /// The device's [`crate::version::IMAGE_FORMAT`].
    pub image_format: u16,
    /// Board name, e.g. `posix-sim` or `lm3s6965evb`.
    pub board: &'a str,
    /// Firmware version string.
    pub firmware: &'a str,
    /// Size of the VM heap arena in bytes.
    pub heap_bytes: u32,
    /// Size of the persistent store in bytes (0: none).
    pub store_bytes: u32,
    /// Largest frame (encoded bytes, delimiters included) the device accepts.
    pub max_frame: u16,
    /// How many [`Command::LoadChunk`] may be unacknowledged at once.
    pub window: u8,
    /// Maximum Python call depth before `RecursionError`.
    pub recursion_limit: u16,
    /// [`crate::version::feature`] bits.
    pub features: u32,
    /// How many native modules the device has (the VM's, then the
    /// port's): the host asks for each with [`Command::Native`] (protocol
    /// 10; before, the modules themselves were here and a port's did not
    /// fit the frame).
    pub natives: u8,
    /// Most files the store holds.
    pub store_max_files: u16,
    /// Longest store file name in bytes.
    pub store_max_name: u8,
}

/// A native module: a name and its functions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NativeModule<'a> {
    /// Import name, e.g. `machine`.
    pub name: &'a str,
    /// Its functions.
    #[serde(borrow)]
    pub functions: Seq<'a, NativeFunction<'a>>,
}

/// One native function and how many arguments it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NativeFunction<'a> {
    /// Attribute name in its module.
    pub name: &'a str,
    /// Fewest positional arguments.
    pub min_args: u8,
    /// Most positional arguments ([`NativeFunction::VARIADIC`]: no limit).
    pub max_args: u8,
    /// The declared type of each positional argument (protocol 11), an
    /// [`ArgType`] in 3 bits each, the first argument lowest: 0 (all
    /// [`ArgType::Any`]) for the VM's own functions, which check their
    /// arguments themselves. A port's function takes at most
    /// [`NativeFunction::MAX_TYPED`] arguments; the VM checks and converts
    /// them before the port sees them, and the host's compiler shows them.
    pub args: u16,
}

/// What a native function's argument must be (see [`NativeFunction::args`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ArgType {
    /// None, a bool, an int, a str or bytes: passed as it is.
    Any = 0,
    /// An int that fits 32 bits (a bool is an int, as in Python).
    Int = 1,
    /// A bool (or an int: 0 is false).
    Bool = 2,
    /// A str.
    Str = 3,
    /// Bytes or a bytearray.
    Bytes = 4,
}

impl ArgType {
    /// The type whose code is `code` (3 bits); `Any` for an unknown one.
    pub const fn from_code(code: u16) -> ArgType {
        match code & 7 {
            1 => ArgType::Int,
            2 => ArgType::Bool,
            3 => ArgType::Str,
            4 => ArgType::Bytes,
            _ => ArgType::Any,
        }
    }

    /// Its letter in a signature ([`NativeFunction::typed`]).
    pub const fn letter(self) -> char {
        match self {
            ArgType::Any => 'o',
            ArgType::Int => 'i',
            ArgType::Bool => 'b',
            ArgType::Str => 's',
            ArgType::Bytes => 'y',
        }
    }

    /// Its Python name, for messages.
    pub const fn name(self) -> &'static str {
        match self {
            ArgType::Any => "None, bool, int, str or bytes",
            ArgType::Int => "int",
            ArgType::Bool => "bool",
            ArgType::Str => "str",
            ArgType::Bytes => "bytes",
        }
    }
}

impl<'a> NativeFunction<'a> {
    /// `max_args` value meaning "any number".
    pub const VARIADIC: u8 = u8::MAX;

    /// Most arguments a typed function declares (3 bits each in a u16).
    pub const MAX_TYPED: usize = 5;

    /// A port's function `name` with signature `sig`, one letter per
    /// positional argument as in CPython's `PyArg_ParseTuple`: `i` int,
    /// `b` bool, `s` str, `y` bytes, `o` any of those or None; the
    /// arguments after a `|` are optional. `typed("read_sensor", "i")`,
    /// `typed("led", "b")`, `typed("log", "s|i")`.
    ///
    /// For a `const` or `static` table: a bad signature (another letter,
    /// more than [`NativeFunction::MAX_TYPED`] arguments) then fails the
    /// build, never the device.
    pub const fn typed(name: &'a str, sig: &str) -> NativeFunction<'a> {
        let s = sig.as_bytes();
        let (mut i, mut n, mut min, mut args) = (0, 0u8, None, 0u16);
        while i < s.len() {
            let t = match s[i] {
                b'|' if min.is_none() => {
                    min = Some(n);
                    i += 1;
                    continue;
                }
                b'o' => ArgType::Any,
                b'i' => ArgType::Int,
                b'b' => ArgType::Bool,
                b's' => ArgType::Str,
                b'y' => ArgType::Bytes,
                _ => panic!("a signature letter is one of i b s y o, and one |"),
            };
            assert!((n as usize) < Self::MAX_TYPED, "at most 5 typed arguments");
            args |= (t as u16) << (3 * n);
            n += 1;
            i += 1;
        }
        NativeFunction {
            name,
            min_args: match min {
                Some(m) => m,
                None => n,
            },
            max_args: n,
            args,
        }
    }

    /// The declared type of argument `i` (0-based).
    pub const fn arg_type(&self, i: usize) -> ArgType {
        if i >= Self::MAX_TYPED {
            return ArgType::Any;
        }
        ArgType::from_code(self.args >> (3 * i))
    }

    /// The signature [`NativeFunction::typed`] reads: `"i|b"`; empty for
    /// an untyped function.
    #[cfg(any(test, feature = "std"))]
    pub fn signature(&self) -> std::string::String {
        let mut s = std::string::String::new();
        if self.args == 0 {
            return s;
        }
        for i in 0..usize::from(self.max_args).min(Self::MAX_TYPED) {
            if i == usize::from(self.min_args) {
                s.push('|');
            }
            s.push(self.arg_type(i).letter());
        }
        s
    }
}

/// An uncaught exception, as reported to the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raised<'a> {
    /// The exception's class name, e.g. `ZeroDivisionError` or a user class.
    pub exc_type: &'a str,
    /// The message number for exceptions the VM raised itself; the host owns
    /// the text. [`ErrMsg::Custom`] for exceptions raised by Python code.
    pub msg: ErrMsg,
    /// The variable part: a name, a type name, or `str(exc)` for `Custom`.
    pub detail: &'a str,
    /// Where it travelled, outermost call first.
    #[serde(borrow)]
    pub traceback: Seq<'a, TraceEntry>,
    /// Entries dropped from the middle of a deep traceback.
    pub elided: u16,
    /// How many [`Reply::Output`] frames the run sent (protocol 9), as
    /// in [`Reply::Done`].
    pub outputs: u16,
}

/// One traceback line: a program counter in a code object of an image.
/// The host maps it to file, line and source text; the device has no lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEntry {
    /// Hash of the image the code object belongs to.
    pub image: u32,
    /// Index of the code object in its image.
    pub code: u16,
    /// Byte offset of the instruction that was executing.
    pub pc: u16,
}

/// Heap and collector figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HeapStats {
    /// Arena size in bytes.
    pub total: u32,
    /// Bytes in live or not yet collected objects.
    pub used: u32,
    /// Bytes free.
    pub free: u32,
    /// The largest free block in bytes (fragmentation: compare with `free`).
    pub largest_free: u32,
    /// Number of allocated objects.
    pub objects: u32,
    /// Collections run since boot.
    pub gc_runs: u32,
    /// Time spent collecting since boot, in microseconds (protocol 4),
    /// measured with the port's clock; 0 on a device without one (see
    /// [`crate::version::feature::GC_TIME`]).
    pub gc_us: u64,
    /// Duration of the last collection in microseconds (protocol 4).
    pub gc_last_us: u32,
}

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum DeviceError {
    /// The request could not be decoded (unknown command, bad fields).
    BadRequest,
    /// Protocol version mismatch in [`Command::Hello`].
    Version,
    /// A program is running; the request was not carried out. A
    /// repeated [`Command::Run`] gets it while its program still runs
    /// (how a host asks whether a run whose final reply it has not seen
    /// is still going).
    Busy,
    /// The request repeats the last sequence number and its outcome is gone.
    Duplicate,
    /// Not enough heap for the image (or other request).
    NoMemory,
    /// The image is longer than the device accepts.
    TooLarge,
    /// [`Command::LoadChunk`] or [`Command::LoadEnd`] without a [`Command::LoadBegin`].
    NoTransfer,
    /// A chunk lies outside the announced image length.
    ChunkRange,
    /// The received image's hash differs from the announced one.
    HashMismatch,
    /// The image failed verification.
    BadImage(ImageError),
    /// [`Command::Run`] named an image the device does not hold.
    NoSuchImage,
    /// Peek/poke outside the port's memory map, or not writable.
    BadAddress,
    /// Peek/poke address not aligned to its width.
    Unaligned,
    /// Peek count too large for one reply frame.
    TooMany,
    /// The device has no store.
    NoStore,
    /// Not enough room in the store (or too many files).
    NoSpace,
    /// No stored file of that name.
    NoSuchFile,
    /// A file name that is empty, too long or not allowed.
    BadName,
    /// A store chunk beyond the bytes written so far; resend from there.
    OutOfOrder,
    /// The flash refused an operation.
    Flash,
    /// The store would have to erase flash that an image executing in place
    /// still runs from (protocol 5): `Reset` releases it.
    InUse,
}

/// What the image verifier rejected, with the offending location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ImageError {
    /// Wrong magic bytes.
    Magic,
    /// Unsupported image format version.
    Version(u16),
    /// A table or record extends past the end of the image.
    Truncated,
    /// A malformed constant (bad kind, bad UTF-8, forward tuple reference).
    Const(u16),
    /// Code object `code` has an unknown opcode at `pc`.
    Opcode {
        /// Code object index.
        code: u16,
        /// Byte offset.
        pc: u16,
    },
    /// An operand (constant, name, local, cell index) is out of range.
    Operand {
        /// Code object index.
        code: u16,
        /// Byte offset.
        pc: u16,
    },
    /// A jump or handler target is not the start of an instruction.
    Target {
        /// Code object index.
        code: u16,
        /// Byte offset.
        pc: u16,
    },
    /// The stack would underflow, overflow `max_stack`, or have two depths
    /// at one instruction.
    Stack {
        /// Code object index.
        code: u16,
        /// Byte offset.
        pc: u16,
    },
    /// Execution could run off the end of the code.
    FallsOff {
        /// Code object index.
        code: u16,
    },
    /// A code object header is inconsistent (e.g. more arguments than locals).
    Header {
        /// Code object index.
        code: u16,
    },
}

#[cfg(test)]
mod native_tests {
    use super::{ArgType, NativeFunction};

    /// A signature's letters become the arity and one type per argument,
    /// and read back the same.
    #[test]
    fn a_typed_function_declares_its_arity_and_argument_types() {
        const F: NativeFunction<'static> = NativeFunction::typed("f", "is|yob");
        assert_eq!((F.min_args, F.max_args), (2, 5));
        let types: Vec<ArgType> = (0..6).map(|i| F.arg_type(i)).collect();
        use ArgType::*;
        assert_eq!(types, [Int, Str, Bytes, Any, Bool, Any]);
        assert_eq!(F.signature(), "is|yob");
        assert_eq!(NativeFunction::typed("g", "|b").signature(), "|b");
        assert_eq!(NativeFunction::typed("h", "").signature(), "");
        assert_eq!(
            (NativeFunction::typed("h", "").max_args, F.args >> 15),
            (0, 0)
        );
    }

    /// A bad signature fails (at compile time in a `const`).
    #[test]
    #[should_panic]
    fn a_sixth_argument_is_refused() {
        let _ = NativeFunction::typed("f", "iiiiii");
    }
}
