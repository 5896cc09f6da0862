//! Owned forms of the device's replies.
//!
//! Wire messages borrow from the frame buffer; the reader task turns each
//! into one of these before handing it to whoever waits for it.

use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::{
    BlockRun, DeviceError, FileKind, HeapStats, Manifest, NativeModule, Raised, Reply, StoreStats,
    TraceEntry, TypeCount,
};

/// A file in the device's store (owned `FileEntry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// Its name.
    pub name: String,
    /// Image or data.
    pub kind: FileKind,
    /// Size in bytes.
    pub size: u32,
    /// CRC-32 of the content.
    pub crc: u32,
    /// The boot program.
    pub main: bool,
}

/// The device's self-description from the handshake (owned [`Manifest`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// The device's protocol version.
    pub protocol: u16,
    /// The device's image format version.
    pub image_format: u16,
    /// Board name, e.g. `posix-sim`.
    pub board: String,
    /// Firmware version.
    pub firmware: String,
    /// VM heap size in bytes.
    pub heap_bytes: u32,
    /// Store size in bytes (0: none).
    pub store_bytes: u32,
    /// Largest frame the device accepts, delimiters included.
    pub max_frame: u16,
    /// Load chunks that may be unacknowledged at once.
    pub window: u8,
    /// Python call depth limit.
    pub recursion_limit: u16,
    /// `p14p_protocol::version::feature` bits.
    pub features: u32,
    /// The device's native modules (the VM's, then the port's).
    pub natives: Vec<NativeModuleInfo>,
    /// How many native modules the handshake announced; `natives` holds
    /// them once the session has asked for each.
    pub natives_count: u8,
    /// Most files the store holds.
    pub store_max_files: u16,
    /// Longest store file name in bytes.
    pub store_max_name: u8,
}

/// A native module of the device (owned `NativeModule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeModuleInfo {
    /// Import name, e.g. `machine`.
    pub name: String,
    /// Its functions: name, fewest and most positional arguments, and
    /// argument types (`NativeFunction::signature`: `"i|b"`, empty when
    /// undeclared).
    pub functions: Vec<(String, u8, u8, String)>,
}

impl From<&NativeModule<'_>> for NativeModuleInfo {
    fn from(module: &NativeModule<'_>) -> Self {
        NativeModuleInfo {
            name: module.name.to_string(),
            functions: module
                .functions
                .as_slice()
                .iter()
                .map(|f| (f.name.to_string(), f.min_args, f.max_args, f.signature()))
                .collect(),
        }
    }
}

impl From<&Manifest<'_>> for DeviceInfo {
    fn from(m: &Manifest<'_>) -> Self {
        DeviceInfo {
            protocol: m.protocol,
            image_format: m.image_format,
            board: m.board.to_string(),
            firmware: m.firmware.to_string(),
            heap_bytes: m.heap_bytes,
            store_bytes: m.store_bytes,
            max_frame: m.max_frame,
            window: m.window,
            recursion_limit: m.recursion_limit,
            features: m.features,
            // Asked for one by one after the handshake (`Session::hello`).
            natives: Vec::new(),
            natives_count: m.natives,
            store_max_files: m.store_max_files,
            store_max_name: m.store_max_name,
        }
    }
}

/// An uncaught exception reported by the device (owned [`Raised`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// Class name, e.g. `ZeroDivisionError`.
    pub exc_type: String,
    /// Message number.
    pub msg: ErrMsg,
    /// The variable part of the message.
    pub detail: String,
    /// Outermost call first.
    pub traceback: Vec<TraceEntry>,
    /// Entries the device dropped from the middle.
    pub elided: u16,
}

impl Exception {
    /// The exit status of an uncaught `SystemExit` (`sys.exit(code)`),
    /// which ends a run quietly, as in MicroPython: 0 without a code (or
    /// `None`), an int code's low byte, 1 for any other code (which
    /// CPython prints: [`Exception::detail`]). `None` for any other
    /// exception.
    pub fn exit_status(&self) -> Option<u8> {
        if self.exc_type != "SystemExit" {
            return None;
        }
        Some(match self.detail.as_str() {
            "" | "None" => 0,
            d => d.parse::<i64>().map_or(1, |c| c as u8),
        })
    }
}

impl From<&Raised<'_>> for Exception {
    fn from(r: &Raised<'_>) -> Self {
        Exception {
            exc_type: r.exc_type.to_string(),
            msg: r.msg,
            detail: r.detail.to_string(),
            traceback: r.traceback.as_slice().to_vec(),
            elided: r.elided,
        }
    }
}

impl Exception {
    /// The message as Python shows it after the type name (may be empty).
    pub fn message(&self) -> String {
        self.msg.render(&self.detail)
    }
}

/// A reply to a request (everything but streamed output and boot notices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Handshake answer.
    Hello(DeviceInfo),
    /// One native module ([`p14p_protocol::msg::Command::Native`]).
    Native(NativeModuleInfo),
    /// Done.
    Ack,
    /// An image was received and verified.
    Loaded(u32),
    /// The program finished, after sending this many output frames.
    Done(u16),
    /// The program raised, after sending this many output frames.
    Raised(Exception, u16),
    /// Peeked bytes.
    Data(Vec<u8>),
    /// Heap statistics.
    Heap(HeapStats),
    /// The request failed.
    Error(DeviceError),
    /// A page of the store listing and where the next begins.
    Files(Vec<StoredFile>, Option<u16>),
    /// Store figures.
    Store(StoreStats),
    /// A census page: figures, `(tag, count, bytes)` rows, the next tag (0: end).
    Census(HeapStats, Vec<TypeCount>, u8),
    /// A block-map page: runs and the word to continue from (0: end).
    Blocks(Vec<BlockRun>, u32),
    /// The largest objects: `(object, its head bytes)`.
    Largest(Vec<LargeObject>),
}

/// One of the largest heap objects, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LargeObject {
    /// Arena word of its header.
    pub word: u32,
    /// Block tag.
    pub tag: u8,
    /// Size in bytes.
    pub bytes: u32,
    /// Its first payload bytes.
    pub head: Vec<u8>,
}

/// What the reader task hands to a waiting request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A reply with the request's sequence number.
    Answer(Answer),
    /// Program output of the run with this sequence number: the frame's
    /// number in the run, and its bytes.
    Output(u16, Vec<u8>),
    /// The running program needs a message text (protocol 7).
    Expand(ErrMsg, String),
    /// The running program's `input()` waits for a line (protocol 12).
    Input,
    /// The running program's `eval`/`exec` asks for bytes `offset..` of
    /// the compiled source (protocol 13): an expression (`eval`) or a
    /// module body, the source given with offset 0 only.
    Compile {
        /// An expression.
        eval: bool,
        /// Where in the answer.
        offset: u32,
        /// The source (empty past offset 0).
        source: String,
    },
    /// The device announced a (re)boot: its state is gone.
    Boot,
}

impl Event {
    /// Converts a decoded wire reply.
    pub fn from_reply(reply: &Reply<'_>) -> Event {
        Event::Answer(match reply {
            Reply::Boot => return Event::Boot,
            Reply::Output { n, bytes } => return Event::Output(*n, bytes.to_vec()),
            Reply::Expand { msg, detail } => {
                return Event::Expand(*msg, String::from_utf8_lossy(detail).into_owned())
            }
            Reply::Input => return Event::Input,
            Reply::Compile {
                eval,
                offset,
                source,
            } => {
                return Event::Compile {
                    eval: *eval,
                    offset: *offset,
                    source: String::from_utf8_lossy(source).into_owned(),
                }
            }
            Reply::Hello(m) => Answer::Hello(m.into()),
            Reply::Native(m) => Answer::Native(m.into()),
            Reply::Ack => Answer::Ack,
            Reply::Loaded { hash } => Answer::Loaded(*hash),
            Reply::Done { outputs } => Answer::Done(*outputs),
            Reply::Raised(r) => Answer::Raised(r.into(), r.outputs),
            Reply::Data(d) => Answer::Data(d.to_vec()),
            Reply::Heap(h) => Answer::Heap(*h),
            Reply::Error(e) => Answer::Error(*e),
            Reply::Files { files, next } => Answer::Files(
                files
                    .as_slice()
                    .iter()
                    .map(|f| StoredFile {
                        name: f.name.to_string(),
                        kind: f.kind,
                        size: f.size,
                        crc: f.crc,
                        main: f.main,
                    })
                    .collect(),
                *next,
            ),
            Reply::Store(s) => Answer::Store(*s),
            Reply::Census { stats, types, next } => {
                Answer::Census(*stats, types.as_slice().to_vec(), *next)
            }
            Reply::Blocks { next, runs } => Answer::Blocks(runs.as_slice().to_vec(), *next),
            Reply::Largest(objs) => Answer::Largest(
                objs.as_slice()
                    .iter()
                    .map(|o| LargeObject {
                        word: o.word,
                        tag: o.tag,
                        bytes: o.bytes,
                        head: o.head.to_vec(),
                    })
                    .collect(),
            ),
        })
    }
}
