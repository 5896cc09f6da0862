//! The one place this port chooses its [`Machine`].
//!
//! The VM (`p14p_device::vm::Vm`) is being written in parallel; until it is
//! merged, [`new_machine`] returns [`StandIn`], which receives images into
//! the heap arena and verifies them (with the real verifier) but cannot run
//! them. When merging, this function becomes
//! `Vm::new(arena, VmConfig::default())`.
//!
//! ```text
//! arena: [ image (len bytes) | verifier scratch ............ ]
//! ```

use p14p_device::machine::ExceptionReport;
use p14p_device::{load, Host, Machine, RunOutcome};
use p14p_protocol::image::fnv1a;
use p14p_protocol::msg::{DeviceError, HeapStats};

/// The machine this port serves, over the heap arena taken at boot.
pub fn new_machine(arena: &'static mut [u32]) -> impl Machine {
    StandIn::new(bytemuck::cast_slice_mut(arena))
}

/// Bytes of the image header not covered by its hash.
const HASH_FROM: usize = 16;

/// A machine without a VM: loads and verifies images in its arena, answers
/// every run with `NoSuchImage`.
#[derive(Debug)]
pub struct StandIn {
    arena: &'static mut [u8],
    /// Length of the image at the start of the arena (0: none).
    len: usize,
    hash: u32,
    receiving: bool,
}

impl StandIn {
    /// A stand-in over `arena`.
    pub fn new(arena: &'static mut [u8]) -> Self {
        StandIn {
            arena,
            len: 0,
            hash: 0,
            receiving: false,
        }
    }
}

impl Machine for StandIn {
    fn reset(&mut self) {
        self.len = 0;
        self.receiving = false;
    }

    fn image_begin(&mut self, len: u32, hash: u32, _name: Option<&str>) -> Result<(), DeviceError> {
        let len = len as usize;
        let image = self.arena.get_mut(..len).ok_or(DeviceError::TooLarge)?;
        image.fill(0);
        self.len = len;
        self.hash = hash;
        self.receiving = true;
        Ok(())
    }

    fn image_write(&mut self, offset: u32, data: &[u8]) -> Result<(), DeviceError> {
        let at = offset as usize;
        let end = at.checked_add(data.len()).ok_or(DeviceError::ChunkRange)?;
        if end > self.len {
            return Err(DeviceError::ChunkRange);
        }
        let dst = self.arena.get_mut(at..end).ok_or(DeviceError::ChunkRange)?;
        dst.copy_from_slice(data);
        Ok(())
    }

    fn image_end(&mut self) -> Result<u32, DeviceError> {
        if !core::mem::take(&mut self.receiving) {
            return Err(DeviceError::NoTransfer);
        }
        let (image, scratch) = self.arena.split_at_mut(self.len);
        match image.get(HASH_FROM..) {
            Some(body) if fnv1a(body) == self.hash => {}
            _ => return Err(DeviceError::HashMismatch),
        }
        let need = load::scratch_needed(image).unwrap_or(0);
        let scratch = scratch.get_mut(..need).ok_or(DeviceError::NoMemory)?;
        load::verify(image, scratch)?;
        Ok(self.hash)
    }

    fn run(&mut self, _hash: u32, _host: &mut dyn Host) -> Result<RunOutcome, DeviceError> {
        Err(DeviceError::NoSuchImage)
    }

    fn exception_report(&self) -> Option<ExceptionReport<'_>> {
        None
    }

    fn heap_stats(&self) -> HeapStats {
        let total = self.heap_bytes();
        HeapStats {
            total,
            free: total,
            largest_free: total,
            ..HeapStats::default()
        }
    }

    fn collect(&mut self) {}

    fn heap_bytes(&self) -> u32 {
        u32::try_from(self.arena.len()).unwrap_or(u32::MAX)
    }

    fn recursion_limit(&self) -> u16 {
        0
    }

    fn features(&self) -> u32 {
        0
    }
}
