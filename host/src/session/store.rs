//! Store requests: list, put (windowed, in order), read, remove, stats,
//! boot program.

use super::{chunk_size_for, refused, Answer, Error, Pending, Result, Session, StoredFile};
use p14p_protocol::msg::{Command, DeviceError, FileKind, StoreStats};
use std::collections::VecDeque;

/// Bytes of file data per `StoreRead`.
const READ_CHUNK: u16 = 256;

/// CRC-32 (ISO-HDLC, as zlib) of `bytes`: the store's content hash.
pub fn content_crc(bytes: &[u8]) -> u32 {
    crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(bytes)
}

impl Session {
    /// Every file in the device's store.
    pub async fn store_list(&self) -> Result<Vec<StoredFile>> {
        let mut all = Vec::new();
        let mut start = 0u16;
        loop {
            match self
                .request("the store listing", &Command::StoreList { start })
                .await?
            {
                Answer::Files(files, next) => {
                    all.extend(files);
                    match next {
                        Some(n) if n > start => start = n,
                        _ => return Ok(all),
                    }
                }
                other => return Err(refused("the store listing", other)),
            }
        }
    }

    /// Store figures.
    pub async fn store_stats(&self) -> Result<StoreStats> {
        match self.request("store stats", &Command::StoreStats).await? {
            Answer::Store(s) => Ok(s),
            other => Err(refused("store stats", other)),
        }
    }

    /// Writes `data` as stored file `name`, atomically: the device's copy
    /// changes only when every byte arrived and matched its CRC.
    /// `progress` is told the bytes acknowledged so far.
    pub async fn store_put(
        &self,
        name: &str,
        kind: FileKind,
        data: &[u8],
        mut progress: impl FnMut(usize),
    ) -> Result<()> {
        let len = u32::try_from(data.len())
            .map_err(|_| Error::Invalid("the file is larger than 4 GiB".into()))?;
        let begin = Command::StoreBegin {
            name,
            kind,
            len,
            crc: content_crc(data),
        };
        self.ack("the store transfer", &begin).await?;
        let chunk = chunk_size_for(self.info.max_frame);
        if chunk == 0 {
            return Err(Error::Invalid("the device's frames are too small".into()));
        }
        let window = usize::from(self.info.window.max(1));
        let mut in_flight: VecDeque<(usize, Pending)> = VecDeque::with_capacity(window);
        let mut next = 0usize;
        while next < data.len() || !in_flight.is_empty() {
            while next < data.len() && in_flight.len() < window {
                let end = (next + chunk).min(data.len());
                let cmd = Command::StoreChunk {
                    offset: next as u32,
                    data: &data[next..end],
                };
                let p = self.prepare(&cmd)?;
                self.send(p.frame.clone())?;
                in_flight.push_back((next, p));
                next = end;
            }
            let Some((offset, p)) = in_flight.pop_front() else {
                break;
            };
            match self.finish("a store chunk", p).await? {
                Answer::Ack => progress((offset + chunk).min(data.len())),
                Answer::Error(DeviceError::OutOfOrder) => {
                    // An earlier chunk was lost and resent: go back to here.
                    for (_, p) in in_flight.drain(..) {
                        self.routes.unregister(p.seq);
                    }
                    next = offset;
                }
                other => return Err(refused("a store chunk", other)),
            }
        }
        self.ack("the store commit", &Command::StoreCommit).await
    }

    /// Reads all `size` bytes of stored file `name`.
    pub async fn store_read(&self, name: &str, size: u32) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(size as usize);
        while (out.len() as u32) < size {
            let cmd = Command::StoreRead {
                name,
                offset: out.len() as u32,
                len: READ_CHUNK,
            };
            match self.request("a store read", &cmd).await? {
                Answer::Data(d) if d.is_empty() => break,
                Answer::Data(d) => out.extend(d),
                other => return Err(refused("a store read", other)),
            }
        }
        Ok(out)
    }

    /// Removes stored file `name`.
    pub async fn store_remove(&self, name: &str) -> Result<()> {
        self.ack("the removal", &Command::StoreRemove { name })
            .await
    }

    /// Names the boot program (`None`: none).
    pub async fn set_main(&self, name: Option<&str>) -> Result<()> {
        self.ack("setting main", &Command::SetMain { name }).await
    }

    async fn ack(&self, what: &'static str, cmd: &Command<'_>) -> Result<()> {
        match self.request(what, cmd).await? {
            Answer::Ack => Ok(()),
            other => Err(refused(what, other)),
        }
    }
}
