//! The one place the posix port chooses its [`Machine`].
//!
//! The VM (`p14p_device::vm::Vm`) is being written in parallel; until it is
//! merged, [`new_machine`] returns [`StandIn`], which receives and verifies
//! images (with the real verifier) but cannot run them. When merging, this
//! function becomes `Vm::new(arena, VmConfig::default())`.

use p14p_device::machine::ExceptionReport;
use p14p_device::{load, Host, Machine, RunOutcome};
use p14p_protocol::image::fnv1a;
use p14p_protocol::msg::{DeviceError, HeapStats};

/// The machine the posix port serves, over a heap arena the caller owns.
pub fn new_machine(arena: &mut [u32]) -> impl Machine + '_ {
    StandIn::new(arena)
}

/// A machine without a VM: loads and verifies images, answers every run
/// with `NoSuchImage`. The image buffer is a `Vec` (this is a std port).
#[derive(Debug)]
pub struct StandIn<'a> {
    arena: &'a mut [u32],
    image: Vec<u8>,
    hash: u32,
    receiving: bool,
}

impl<'a> StandIn<'a> {
    /// A stand-in over `arena` (only its size is used).
    pub fn new(arena: &'a mut [u32]) -> Self {
        StandIn {
            arena,
            image: Vec::new(),
            hash: 0,
            receiving: false,
        }
    }
}

impl Machine for StandIn<'_> {
    fn reset(&mut self) {
        self.image.clear();
        self.receiving = false;
    }

    fn image_begin(&mut self, len: u32, hash: u32, _name: Option<&str>) -> Result<(), DeviceError> {
        if len > self.heap_bytes() {
            return Err(DeviceError::TooLarge);
        }
        self.image = vec![0; len as usize];
        self.hash = hash;
        self.receiving = true;
        Ok(())
    }

    fn image_write(&mut self, offset: u32, data: &[u8]) -> Result<(), DeviceError> {
        let at = offset as usize;
        let dst = self
            .image
            .get_mut(at..at + data.len())
            .ok_or(DeviceError::ChunkRange)?;
        dst.copy_from_slice(data);
        Ok(())
    }

    fn image_end(&mut self) -> Result<u32, DeviceError> {
        if !std::mem::take(&mut self.receiving) {
            return Err(DeviceError::NoTransfer);
        }
        if self.image.len() < 16 || fnv1a(&self.image[16..]) != self.hash {
            return Err(DeviceError::HashMismatch);
        }
        let mut scratch = vec![0u8; load::scratch_needed(&self.image).unwrap_or(0)];
        load::verify(&self.image, &mut scratch)?;
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
        (self.arena.len() * 4).min(u32::MAX as usize) as u32
    }

    fn recursion_limit(&self) -> u16 {
        0
    }

    fn features(&self) -> u32 {
        0
    }
}
