//! The store commands of the link, and running the stored main program at
//! boot (in place when its bytes are contiguous, see [`crate::vm::image`]).
//!
//! Before every store write (`StoreBegin`, `StoreRemove`, `SetMain`) the
//! link pins in the store the flash that the machine still executes in
//! place, so the store's collector can never erase bytes that run: a
//! write that would need to is refused with `InUse`.
//!
//! The flash belongs to the platform; each operation lends it to the
//! [`Store`](crate::store::Store) through the platform's [`Flash`](crate::platform::Flash).

use super::rx::Rx;
use super::{Link, Outcome};
use crate::store::{FileKind as Kind, StoreError, MAX_NAME};
use crate::{Machine, Platform};
use p14p_protocol::frame::max_frame_len;
use p14p_protocol::msg::{Command, DeviceError, FileEntry, FileKind, Reply, StoreStats};
use p14p_protocol::seq::Seq;

/// Most files in one `Files` reply.
const LIST_MAX: usize = 5;

// A `Files` reply of LIST_MAX entries with the longest names fits one frame
// (every varint at its longest): seq 3, two tags 2, the length 1, entries ×
// (name 1 + MAX_NAME, kind 1, size 5, crc 5, main 1), `next` 1 + 3.
const _: () = assert!(
    max_frame_len(3 + 2 + 1 + LIST_MAX * (1 + MAX_NAME + 1 + 5 + 5 + 1) + 4) <= super::MAX_FRAME
);
/// Largest `StoreRead` answer.
pub(super) const READ_MAX: usize = super::MAX_PEEK_BYTES;

fn device_error(e: StoreError) -> DeviceError {
    match e {
        StoreError::NoStore => DeviceError::NoStore,
        StoreError::NoSpace => DeviceError::NoSpace,
        StoreError::NoSuchFile => DeviceError::NoSuchFile,
        StoreError::BadName => DeviceError::BadName,
        StoreError::OutOfOrder => DeviceError::OutOfOrder,
        StoreError::Range => DeviceError::ChunkRange,
        StoreError::NoWrite => DeviceError::NoTransfer,
        StoreError::HashMismatch => DeviceError::HashMismatch,
        StoreError::Flash => DeviceError::Flash,
        StoreError::InUse => DeviceError::InUse,
    }
}

fn outcome(r: Result<(), StoreError>) -> Outcome {
    match r {
        Ok(()) => Outcome::Ack,
        Err(e) => Outcome::Error(device_error(e)),
    }
}

impl<P: Platform, M: Machine> Link<P, M> {
    /// Carries out a store command. Returns the outcome to send and
    /// remember, or `None` when the reply was already sent (reads, which a
    /// retry simply repeats).
    pub(super) fn store_command(&mut self, seq: u16, cmd: Command<'_>) -> Option<Outcome> {
        if matches!(
            cmd,
            Command::StoreBegin { .. } | Command::StoreRemove { .. } | Command::SetMain { .. }
        ) {
            self.refresh_pins();
        }
        let flash: &mut dyn crate::store::Flash = &mut self.platform;
        Some(match cmd {
            Command::StoreBegin {
                name,
                kind,
                len,
                crc,
            } => {
                let kind = match kind {
                    FileKind::Image => Kind::Image,
                    FileKind::Data => Kind::Data,
                };
                outcome(self.store.begin(flash, name, kind, len, crc))
            }
            Command::StoreChunk { offset, data } => outcome(self.store.write(flash, offset, data)),
            Command::StoreCommit => outcome(self.store.commit(flash)),
            Command::StoreRemove { name } => outcome(self.store.remove(flash, name)),
            Command::SetMain { name } => {
                let r = match name {
                    Some(n) if self.store.find(flash, n.as_bytes()).is_none() => {
                        Err(StoreError::NoSuchFile)
                    }
                    _ => self.store.set_main(flash, name),
                };
                outcome(r)
            }
            Command::StoreRead { name, offset, len } => {
                let mut buf = [0u8; READ_MAX];
                let n = (len as usize).min(READ_MAX);
                let dst = buf.get_mut(..n).unwrap_or_default();
                match self.store.read(flash, name.as_bytes(), offset, dst) {
                    Ok(got) => {
                        let data = buf.get(..got).unwrap_or_default();
                        self.tx.reply(&mut self.platform, seq, Reply::Data(data));
                        return None;
                    }
                    Err(e) => Outcome::Error(device_error(e)),
                }
            }
            Command::StoreStats => {
                if !self.store.present() {
                    Outcome::Error(DeviceError::NoStore)
                } else {
                    let flash: &mut dyn crate::store::Flash = &mut self.platform;
                    let u = self.store.usage(flash);
                    let stats = StoreStats {
                        capacity: u.capacity,
                        used: u.used,
                        files: u.files,
                        page_size: u.page_size,
                        pages: u.pages,
                    };
                    self.tx.reply(&mut self.platform, seq, Reply::Store(stats));
                    return None;
                }
            }
            Command::StoreList { start } => {
                if !self.store.present() {
                    Outcome::Error(DeviceError::NoStore)
                } else {
                    self.send_list(seq, start as usize);
                    return None;
                }
            }
            _ => Outcome::Error(DeviceError::BadRequest),
        })
    }

    /// Pins exactly the flash the machine still executes in place (after
    /// a collection), before a store write that may need to collect pages.
    /// Between runs in-place images only ever go away, so refreshing at
    /// the start of each write (not at every chunk) keeps the pins a
    /// superset of what is in use.
    fn refresh_pins(&mut self) {
        self.store.unpin_all();
        let store = &mut self.store;
        self.machine
            .flash_pins(&mut |addr, len| store.pin(addr, len));
    }

    /// Sends one `Files` page from position `start` (records of the log
    /// passed, [`crate::store::Walk::passed`]): up to [`LIST_MAX`]
    /// entries, which always fit a frame, and the position of the next
    /// file, if there is one.
    fn send_list(&mut self, seq: u16, start: usize) {
        // The names are read from flash into `names`, which the entries
        // borrow once all are read.
        let flash: &mut dyn crate::store::Flash = &mut self.platform;
        let mut names = [None; LIST_MAX];
        let blank = FileEntry {
            name: "",
            kind: FileKind::Data,
            size: 0,
            crc: 0,
            main: false,
        };
        let mut entries = [blank; LIST_MAX];
        let mut n = 0;
        let mut at = self.store.walk_from(flash, start as u32);
        let next = loop {
            let Some(fi) = self.store.next_file(flash, &mut at) else {
                break None;
            };
            let (Some(name), Some(entry)) = (names.get_mut(n), entries.get_mut(n)) else {
                // The file just found starts the next page.
                break u16::try_from(at.passed() - 1).ok();
            };
            *name = self.store.name_of(flash, &fi);
            *entry = FileEntry {
                kind: match fi.kind {
                    Kind::Image => FileKind::Image,
                    Kind::Data => FileKind::Data,
                },
                size: fi.size,
                crc: self.store.crc_of(flash, &fi).unwrap_or(0),
                main: name.is_some_and(|n| self.store.is_main(flash, n.as_bytes())),
                ..blank
            };
            n += 1;
        };
        for (entry, name) in entries.iter_mut().zip(&names) {
            entry.name = name.as_ref().map_or("", |n| n.as_str());
        }
        let files = Seq::Slice(entries.get(..n).unwrap_or_default());
        let reply = Reply::Files { files, next };
        self.tx.reply(&mut self.platform, seq, reply);
    }

    /// Loads the stored main program into the VM and runs it, its output
    /// going out as `Output` frames with sequence number 0. A missing or
    /// broken main is skipped silently: the device just serves.
    pub(super) fn run_main(&mut self, rx: &mut Rx) {
        let flash: &mut dyn crate::store::Flash = &mut self.platform;
        let Some(name) = self.store.main(flash) else {
            return;
        };
        let Some(fi) = self.store.find(flash, name.as_bytes()) else {
            return;
        };
        if fi.kind != Kind::Image {
            return;
        }
        // In place when its bytes are contiguous and the machine can.
        let flash: &mut dyn crate::store::Flash = &mut self.platform;
        if let Some((addr, len)) = self.store.contiguous(flash, name.as_bytes()) {
            if let Ok(hash) = self.machine.image_in_place(addr, len, None) {
                self.store.pin(addr, len);
                let ran = self.run_image(hash, 0, rx);
                self.reset_after(&ran);
                return;
            }
        }
        let mut head = [0u8; 16];
        let flash: &mut dyn crate::store::Flash = &mut self.platform;
        if self.store.read(flash, name.as_bytes(), 0, &mut head) != Ok(16) {
            return;
        }
        let hash = u32::from_le_bytes([head[12], head[13], head[14], head[15]]);
        if self.machine.image_begin(fi.size, hash, None).is_err() {
            return;
        }
        let mut buf = [0u8; 128];
        let mut off = 0;
        while off < fi.size {
            let flash: &mut dyn crate::store::Flash = &mut self.platform;
            match self.store.read(flash, name.as_bytes(), off, &mut buf) {
                Ok(n) if n > 0 => {
                    let chunk = buf.get(..n).unwrap_or_default();
                    if self.machine.image_write(off, chunk).is_err() {
                        return;
                    }
                    off += n as u32;
                }
                _ => return,
            }
        }
        let Ok(hash) = self.machine.image_end() else {
            return;
        };
        let ran = self.run_image(hash, 0, rx);
        self.reset_after(&ran);
    }
}
