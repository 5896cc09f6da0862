//! [`FileFlash`]: a NOR flash chip simulated by a file (or by RAM).
//!
//! The whole image is read into a buffer the flash owns at open; every
//! erase and program updates the buffer and is written through to the file
//! at once (`pwrite` of exactly the changed bytes), so a killed process
//! leaves the file as a real chip would be after a power cut between two
//! operations. NOR rules are enforced: a program that would set a bit is
//! refused, erase sets a page to `0xFF`.
//!
//! The file is locked (`flock`) while open, so two simulated devices never
//! share one chip; [`FileFlash::open`] fails if another holds it.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

/// Default page size of the simulated chip.
pub const PAGE_SIZE: u32 = 4096;
/// Default number of pages (256 KiB).
pub const PAGES: u32 = 64;

/// A simulated flash chip.
pub struct FileFlash {
    bytes: Vec<u8>,
    page_size: u32,
    file: Option<File>,
}

impl std::fmt::Debug for FileFlash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileFlash")
            .field("page_size", &self.page_size)
            .field("pages", &self.page_count())
            .field("file", &self.file.is_some())
            .finish()
    }
}

impl FileFlash {
    /// A chip in RAM (lost when the process ends), erased.
    pub fn ram(page_size: u32, pages: u32) -> Self {
        FileFlash {
            bytes: vec![0xFF; (page_size * pages) as usize],
            page_size,
            file: None,
        }
    }

    /// Opens (or creates, erased) the chip file at `path` with this
    /// geometry. An existing file of another size is refused.
    pub fn open(path: &Path, page_size: u32, pages: u32) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        // SAFETY: `flock` on a descriptor this function owns; no memory
        // is passed.
        #[allow(unsafe_code)]
        let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if locked != 0 {
            return Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!("{} is in use by another device", path.display()),
            ));
        }
        let size = (page_size as u64) * (pages as u64);
        let len = file.metadata()?.len();
        let mut bytes = vec![0xFF; size as usize];
        if len == 0 {
            file.write_all_at(&bytes, 0)?;
        } else if len != size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} holds {len} bytes, not {pages} pages of {page_size}",
                    path.display()
                ),
            ));
        } else {
            file.read_exact_at(&mut bytes, 0)?;
        }
        Ok(FileFlash {
            bytes,
            page_size,
            file: Some(file),
        })
    }

    /// Page size in bytes.
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Number of pages.
    pub fn page_count(&self) -> u32 {
        (self.bytes.len() / self.page_size.max(1) as usize) as u32
    }

    /// True if the chip is RAM only.
    pub fn volatile(&self) -> bool {
        self.file.is_none()
    }

    /// Reads `buf.len()` bytes at `addr`.
    pub fn read(&self, addr: u32, buf: &mut [u8]) -> bool {
        match self.bytes.get(addr as usize..addr as usize + buf.len()) {
            Some(src) => {
                buf.copy_from_slice(src);
                true
            }
            None => false,
        }
    }

    /// Erases `page`.
    pub fn erase(&mut self, page: u32) -> bool {
        let ps = self.page_size as usize;
        let start = page as usize * ps;
        let Some(dst) = self.bytes.get_mut(start..start + ps) else {
            return false;
        };
        dst.fill(0xFF);
        self.sync(start, ps)
    }

    /// Programs `data` at `addr`; refused if it would set a bit.
    pub fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        let start = addr as usize;
        let Some(dst) = self.bytes.get_mut(start..start + data.len()) else {
            return false;
        };
        if dst.iter().zip(data).any(|(&old, &new)| old & new != new) {
            return false;
        }
        dst.copy_from_slice(data);
        self.sync(start, data.len())
    }

    fn sync(&mut self, start: usize, len: usize) -> bool {
        match &self.file {
            None => true,
            Some(f) => f
                .write_all_at(&self.bytes[start..start + len], start as u64)
                .is_ok(),
        }
    }
}

/// Where the simulated chip lives by default: `$XDG_STATE_HOME/p14p/NAME`,
/// else `~/.local/state/p14p/NAME`, else the temporary directory.
pub fn default_path(name: &str) -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("p14p").join(name)
}
