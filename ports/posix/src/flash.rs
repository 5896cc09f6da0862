//! [`FileFlash`]: a NOR flash chip simulated by a file (or by RAM).
//!
//! The chip's bytes are the file, memory-mapped read-only ([`FlashView`]):
//! that mapping is the chip's memory-mapped view, which the VM executes
//! stored images from in place (`Vm::with_flash`), exactly as a
//! microcontroller reads its flash through the bus. Every erase and program
//! goes to the file (`pwrite` of exactly the changed bytes), never through
//! the mapping, the way a flash controller changes flash behind the CPU's
//! back; the shared mapping shows the change at once. So a killed process
//! leaves the file as a real chip would be after a power cut between two
//! operations. NOR rules are enforced: a program that would set a bit is
//! refused, erase sets a page to `0xFF`. A RAM chip is the same over an
//! unlinked temporary file.
//!
//! The file is locked (`flock`) while open, so two simulated devices never
//! share one chip; [`FileFlash::open`] fails if another holds it.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// Default page size of the simulated chip.
pub const PAGE_SIZE: u32 = 4096;
/// Default number of pages (256 KiB).
pub const PAGES: u32 = 64;

/// The read-only memory mapping of a chip: its bytes as the CPU would see
/// them. Dereferences to the whole chip.
pub struct FlashView {
    ptr: *const u8,
    len: usize,
}

// SAFETY: the mapping is read-only and owned by this value (unmapped on
// drop only); sharing reads across threads is what a mapping is for.
#[allow(unsafe_code)]
unsafe impl Send for FlashView {}
#[allow(unsafe_code)]
unsafe impl Sync for FlashView {}

impl FlashView {
    fn map(file: &File, len: usize) -> io::Result<FlashView> {
        // SAFETY: maps `len` bytes of a file this process holds open (and
        // sized to `len`) read-only and shared; the pointer is checked
        // before use and unmapped only in `drop`.
        #[allow(unsafe_code)]
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(FlashView {
            ptr: ptr as *const u8,
            len,
        })
    }
}

impl std::ops::Deref for FlashView {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes for as long as `self`
        // lives. The bytes change only through `pwrite` on the file (a
        // system call, never a Rust write), which is how flash changes
        // under a CPU; the store never changes bytes the VM executes (see
        // `p14p_device::vm::image`, pinning).
        #[allow(unsafe_code)]
        unsafe {
            std::slice::from_raw_parts(self.ptr, self.len)
        }
    }
}

impl Drop for FlashView {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `map`; no borrow of
        // it outlives `self`.
        #[allow(unsafe_code)]
        unsafe {
            libc::munmap(self.ptr as *mut libc::c_void, self.len);
        }
    }
}

/// The exit status of a `p14p-device` whose power was cut by
/// [`FileFlash::cut_power_after`] (`p14p-device --power-cut-after`).
pub const POWER_CUT_STATUS: i32 = 86;

/// A simulated flash chip.
pub struct FileFlash {
    view: Arc<FlashView>,
    page_size: u32,
    file: File,
    volatile: bool,
    /// Erase and program steps left before the power goes; `None`: never.
    power: Option<u64>,
}

impl std::fmt::Debug for FileFlash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileFlash")
            .field("page_size", &self.page_size)
            .field("pages", &self.page_count())
            .field("volatile", &self.volatile)
            .finish()
    }
}

impl FileFlash {
    /// A chip in RAM (lost when the process ends), erased: an unlinked
    /// temporary file.
    ///
    /// # Panics
    /// If no temporary file can be made or mapped (the test or device
    /// cannot run without its chip).
    pub fn ram(page_size: u32, pages: u32) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "p14p-ram-flash-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let chip = (|| {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)?;
            std::fs::remove_file(&path)?;
            Self::over(file, page_size, pages, true)
        })();
        chip.unwrap_or_else(|e| panic!("a RAM flash chip in {}: {e}", path.display()))
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
        if len != 0 && len != size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} holds {len} bytes, not {pages} pages of {page_size}",
                    path.display()
                ),
            ));
        }
        Self::over(file, page_size, pages, false)
    }

    /// The chip over `file` (erased first if empty), mapped.
    fn over(file: File, page_size: u32, pages: u32, volatile: bool) -> io::Result<Self> {
        let size = page_size as usize * pages as usize;
        if file.metadata()?.len() == 0 {
            file.write_all_at(&vec![0xFF; size], 0)?;
        }
        let view = Arc::new(FlashView::map(&file, size)?);
        Ok(FileFlash {
            view,
            page_size,
            file,
            volatile,
            power: None,
        })
    }

    /// Cuts the power after `steps` more erase or program steps: the next
    /// step is not done and the process ends at once with
    /// [`POWER_CUT_STATUS`], leaving the file as a chip is left when the
    /// power goes between two of its operations. Power-cut tests choose
    /// the cut by the store's own write steps (each one, or a spread over
    /// a whole write), not by the wall clock.
    pub fn cut_power_after(&mut self, steps: u64) {
        self.power = Some(steps);
    }

    /// Counts one erase or program step against the power budget.
    fn step(&mut self) {
        if let Some(left) = self.power.as_mut() {
            if *left == 0 {
                std::process::exit(POWER_CUT_STATUS);
            }
            *left -= 1;
        }
    }

    /// The chip's memory-mapped view, for the VM to execute in place. It
    /// stays valid (and current) while any clone lives.
    pub fn view(&self) -> Arc<FlashView> {
        Arc::clone(&self.view)
    }

    /// Page size in bytes.
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Number of pages.
    pub fn page_count(&self) -> u32 {
        (self.view.len() / self.page_size.max(1) as usize) as u32
    }

    /// True if the chip is RAM only.
    pub fn volatile(&self) -> bool {
        self.volatile
    }

    /// Reads `buf.len()` bytes at `addr`.
    pub fn read(&self, addr: u32, buf: &mut [u8]) -> bool {
        match self.view.get(addr as usize..addr as usize + buf.len()) {
            Some(src) => {
                buf.copy_from_slice(src);
                true
            }
            None => false,
        }
    }

    /// Erases `page`.
    pub fn erase(&mut self, page: u32) -> bool {
        self.step();
        let ps = self.page_size as usize;
        let start = page as usize * ps;
        if start + ps > self.view.len() {
            return false;
        }
        self.file
            .write_all_at(&vec![0xFF; ps], start as u64)
            .is_ok()
    }

    /// Programs `data` at `addr`; refused if it would set a bit.
    pub fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        self.step();
        let start = addr as usize;
        let Some(old) = self.view.get(start..start + data.len()) else {
            return false;
        };
        if old.iter().zip(data).any(|(&old, &new)| old & new != new) {
            return false;
        }
        self.file.write_all_at(data, start as u64).is_ok()
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
