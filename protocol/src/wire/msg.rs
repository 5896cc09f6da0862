//! The messages' codecs: [`Request`] and [`Command`] both ways (the device
//! decodes them), [`Response`], [`Reply`] and what they carry written
//! (the device sends them; the host reads them with serde).
//!
//! Variant indices are written out: they are the wire format, the order
//! of the enums in [`crate::msg`] (`protocol/tests/wire.rs` checks each).

use super::{Encode, Malformed, Reader, Result, Writer};
use crate::errmsg::ErrMsg;
use crate::msg::*;
use crate::seq::Seq;

impl<'a> Request<'a> {
    /// Decodes a request from a frame's payload (bytes after it are ignored).
    pub fn decode(payload: &'a [u8]) -> Result<Self> {
        let r = &mut Reader::new(payload);
        Ok(Request {
            seq: r.u16()?,
            cmd: Command::decode(r)?,
        })
    }
}

impl Encode for Request<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.varint(self.seq.into());
        self.cmd.encode(w);
    }
}

impl<'a> Command<'a> {
    /// Reads a command: its variant index, then its fields.
    pub fn decode(r: &mut Reader<'a>) -> Result<Self> {
        use Command::*;
        Ok(match r.u32()? {
            0 => Hello { protocol: r.u16()? },
            1 => Ping,
            2 => Reset,
            3 => LoadBegin {
                len: r.u32()?,
                hash: r.u32()?,
                name: r.option(Reader::str)?,
            },
            4 => LoadChunk {
                offset: r.u32()?,
                data: r.bytes()?,
            },
            5 => LoadEnd,
            6 => Run { hash: r.u32()? },
            7 => Interrupt,
            8 => Peek {
                addr: r.u32()?,
                width: Width::decode(r)?,
                count: r.u16()?,
            },
            9 => Poke {
                addr: r.u32()?,
                width: Width::decode(r)?,
                value: r.u32()?,
            },
            10 => HeapStats,
            11 => Collect,
            12 => StoreList { start: r.u16()? },
            13 => StoreBegin {
                name: r.str()?,
                kind: FileKind::decode(r)?,
                len: r.u32()?,
                crc: r.u32()?,
            },
            14 => StoreChunk {
                offset: r.u32()?,
                data: r.bytes()?,
            },
            15 => StoreCommit,
            16 => StoreRead {
                name: r.str()?,
                offset: r.u32()?,
                len: r.u16()?,
            },
            17 => StoreRemove { name: r.str()? },
            18 => StoreStats,
            19 => SetMain {
                name: r.option(Reader::str)?,
            },
            20 => HeapCensus { from: r.u8()? },
            21 => HeapWalk { from: r.u32()? },
            22 => HeapLargest { count: r.u8()? },
            23 => Expanded { text: r.bytes()? },
            24 => Native { index: r.u8()? },
            25 => Line { text: r.bytes()? },
            26 => Code { bytes: r.bytes()? },
            _ => return Err(Malformed),
        })
    }
}

/// Writes an `Option<&str>`: a tag, then the text.
fn opt_str(w: &mut Writer<'_>, s: Option<&str>) {
    w.bool(s.is_some());
    if let Some(s) = s {
        w.str(s);
    }
}

impl Encode for Command<'_> {
    // Host side (the device only decodes commands): plain, one arm each.
    fn encode(&self, w: &mut Writer<'_>) {
        use Command::*;
        match *self {
            Hello { protocol } => {
                w.varint(0);
                w.varint(protocol.into());
            }
            Ping => w.varint(1),
            Reset => w.varint(2),
            LoadBegin { len, hash, name } => {
                w.varint(3);
                w.varint(len.into());
                w.varint(hash.into());
                opt_str(w, name);
            }
            LoadChunk { offset, data } => {
                w.varint(4);
                w.varint(offset.into());
                w.bytes(data);
            }
            LoadEnd => w.varint(5),
            Run { hash } => {
                w.varint(6);
                w.varint(hash.into());
            }
            Interrupt => w.varint(7),
            Peek { addr, width, count } => {
                w.varint(8);
                w.varint(addr.into());
                w.varint(width as u64);
                w.varint(count.into());
            }
            Poke { addr, width, value } => {
                w.varint(9);
                w.varint(addr.into());
                w.varint(width as u64);
                w.varint(value.into());
            }
            HeapStats => w.varint(10),
            Collect => w.varint(11),
            StoreList { start } => {
                w.varint(12);
                w.varint(start.into());
            }
            StoreBegin {
                name,
                kind,
                len,
                crc,
            } => {
                w.varint(13);
                w.str(name);
                w.varint(kind as u64);
                w.varint(len.into());
                w.varint(crc.into());
            }
            StoreChunk { offset, data } => {
                w.varint(14);
                w.varint(offset.into());
                w.bytes(data);
            }
            StoreCommit => w.varint(15),
            StoreRead { name, offset, len } => {
                w.varint(16);
                w.str(name);
                w.varint(offset.into());
                w.varint(len.into());
            }
            StoreRemove { name } => {
                w.varint(17);
                w.str(name);
            }
            StoreStats => w.varint(18),
            SetMain { name } => {
                w.varint(19);
                opt_str(w, name);
            }
            HeapCensus { from } => {
                w.varint(20);
                w.u8(from);
            }
            HeapWalk { from } => {
                w.varint(21);
                w.varint(from.into());
            }
            HeapLargest { count } => {
                w.varint(22);
                w.u8(count);
            }
            Expanded { text } => {
                w.varint(23);
                w.bytes(text);
            }
            Native { index } => {
                w.varint(24);
                w.u8(index);
            }
            Line { text } => {
                w.varint(25);
                w.bytes(text);
            }
            Code { bytes } => {
                w.varint(26);
                w.bytes(bytes);
            }
        }
    }
}

impl Width {
    /// Reads a width: its variant index.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self> {
        match r.u32()? {
            0 => Ok(Width::U8),
            1 => Ok(Width::U16),
            2 => Ok(Width::U32),
            _ => Err(Malformed),
        }
    }
}

impl FileKind {
    /// Reads a file kind: its variant index.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self> {
        match r.u32()? {
            0 => Ok(FileKind::Image),
            1 => Ok(FileKind::Data),
            _ => Err(Malformed),
        }
    }
}

impl Encode for Response<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.varint(self.seq.into());
        self.reply.encode(w);
    }
}

impl Encode for Reply<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        use Reply::*;
        // Every variant's index first: its position in the enum.
        let index = match self {
            Boot => 0,
            Hello(_) => 1,
            Ack => 2,
            Loaded { .. } => 3,
            Output { .. } => 4,
            Done { .. } => 5,
            Raised(_) => 6,
            Data(_) => 7,
            Heap(_) => 8,
            Error(_) => 9,
            Files { .. } => 10,
            Store(_) => 11,
            Census { .. } => 12,
            Blocks { .. } => 13,
            Largest(_) => 14,
            Expand { .. } => 15,
            Native(_) => 16,
            Input => 17,
            Compile { .. } => 18,
        };
        w.varint(index);
        match self {
            Boot | Ack | Input => {}
            Done { outputs } => w.varint((*outputs).into()),
            Hello(m) => m.encode(w),
            Loaded { hash } => w.varint((*hash).into()),
            Output { n, bytes } => {
                w.varint((*n).into());
                w.bytes(bytes);
            }
            Data(b) => w.bytes(b),
            Raised(r) => r.encode(w),
            Heap(s) => s.encode(w),
            Error(e) => e.encode(w),
            Files { files, next } => {
                files.encode(w);
                w.bool(next.is_some());
                if let Some(n) = next {
                    w.varint((*n).into());
                }
            }
            Store(s) => {
                for &v in &[
                    s.capacity,
                    s.used,
                    s.files.into(),
                    s.page_size,
                    s.pages.into(),
                ] {
                    w.varint(v.into());
                }
            }
            Census { stats, types, next } => {
                stats.encode(w);
                types.encode(w);
                w.u8(*next);
            }
            Blocks { next, runs } => {
                w.varint((*next).into());
                runs.encode(w);
            }
            Largest(objects) => objects.encode(w),
            Expand { msg, detail } => {
                msg.encode(w);
                w.bytes(detail);
            }
            Native(m) => m.encode(w),
            Compile {
                eval,
                offset,
                source,
            } => {
                w.bool(*eval);
                w.varint((*offset).into());
                w.bytes(source);
            }
        }
    }
}

impl<T: Encode> Encode for Seq<'_, T> {
    fn encode(&self, w: &mut Writer<'_>) {
        let items = self.as_slice();
        w.length(items.len());
        for item in items {
            item.encode(w);
        }
    }
}

impl Encode for Manifest<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.varint(self.protocol.into());
        w.varint(self.image_format.into());
        w.str(self.board);
        w.str(self.firmware);
        w.varint(self.heap_bytes.into());
        w.varint(self.store_bytes.into());
        w.varint(self.max_frame.into());
        w.u8(self.window);
        w.varint(self.recursion_limit.into());
        w.varint(self.features.into());
        w.u8(self.natives);
        w.varint(self.store_max_files.into());
        w.u8(self.store_max_name);
    }
}

impl Encode for NativeModule<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.str(self.name);
        self.functions.encode(w);
    }
}

impl Encode for NativeFunction<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.str(self.name);
        w.u8(self.min_args);
        w.u8(self.max_args);
        w.varint(self.args.into());
    }
}

impl Encode for Raised<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.str(self.exc_type);
        self.msg.encode(w);
        w.str(self.detail);
        self.traceback.encode(w);
        w.varint(self.elided.into());
        w.varint(self.outputs.into());
    }
}

impl Encode for TraceEntry {
    fn encode(&self, w: &mut Writer<'_>) {
        w.varint(self.image.into());
        w.varint(self.code.into());
        w.varint(self.pc.into());
    }
}

impl Encode for ErrMsg {
    fn encode(&self, w: &mut Writer<'_>) {
        w.varint(*self as u64);
    }
}

impl Encode for HeapStats {
    fn encode(&self, w: &mut Writer<'_>) {
        let s = self;
        for &v in &[
            s.total,
            s.used,
            s.free,
            s.largest_free,
            s.objects,
            s.gc_runs,
        ] {
            w.varint(v.into());
        }
        w.varint(s.gc_us);
        w.varint(s.gc_last_us.into());
    }
}

impl Encode for FileEntry<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.str(self.name);
        w.varint(self.kind as u64);
        w.varint(self.size.into());
        w.varint(self.crc.into());
        w.bool(self.main);
    }
}

/// `TypeCount` and `BlockRun` have one shape: a tag byte, two `u32`s.
fn tag_pair(w: &mut Writer<'_>, tag: u8, a: u32, b: u32) {
    w.u8(tag);
    w.varint(a.into());
    w.varint(b.into());
}

impl Encode for TypeCount {
    fn encode(&self, w: &mut Writer<'_>) {
        tag_pair(w, self.tag, self.count, self.bytes);
    }
}

impl Encode for BlockRun {
    fn encode(&self, w: &mut Writer<'_>) {
        tag_pair(w, self.tag, self.blocks, self.words);
    }
}

impl Encode for HeapObject<'_> {
    fn encode(&self, w: &mut Writer<'_>) {
        w.varint(self.word.into());
        w.u8(self.tag);
        w.varint(self.bytes.into());
        w.bytes(self.head);
    }
}

impl Encode for DeviceError {
    fn encode(&self, w: &mut Writer<'_>) {
        use DeviceError::*;
        let index = match self {
            BadRequest => 0,
            Version => 1,
            Busy => 2,
            Duplicate => 3,
            NoMemory => 4,
            TooLarge => 5,
            NoTransfer => 6,
            ChunkRange => 7,
            HashMismatch => 8,
            BadImage(_) => 9,
            NoSuchImage => 10,
            BadAddress => 11,
            Unaligned => 12,
            TooMany => 13,
            NoStore => 14,
            NoSpace => 15,
            NoSuchFile => 16,
            BadName => 17,
            OutOfOrder => 18,
            Flash => 19,
            InUse => 20,
        };
        w.varint(index);
        if let BadImage(e) = self {
            e.encode(w);
        }
    }
}

impl Encode for ImageError {
    fn encode(&self, w: &mut Writer<'_>) {
        use ImageError::*;
        // The variant index, then its `u16` fields.
        let (index, fields): (u64, &[u16]) = match *self {
            Magic => (0, &[]),
            Version(v) => (1, &[v]),
            Truncated => (2, &[]),
            Const(i) => (3, &[i]),
            Opcode { code, pc } => (4, &[code, pc]),
            Operand { code, pc } => (5, &[code, pc]),
            Target { code, pc } => (6, &[code, pc]),
            Stack { code, pc } => (7, &[code, pc]),
            FallsOff { code } => (8, &[code]),
            Header { code } => (9, &[code]),
        };
        w.varint(index);
        for &f in fields {
            w.varint(f.into());
        }
    }
}
