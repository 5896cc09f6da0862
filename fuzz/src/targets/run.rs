//! Verify-then-run: a mutated image is loaded through the same calls the
//! link makes for `LoadBegin`/`LoadChunk`/`LoadEnd`/`Run`, on a fresh VM,
//! with a host that asks for `KeyboardInterrupt` after [`INTERRUPT_AT`]
//! polls (an instruction budget: the VM polls every `POLL_EVERY`
//! instructions) and insists [`INSIST_AFTER`] polls later, as the link does
//! on a second `Interrupt` (the hard stop no `except` catches, see
//! [`Host::stopping`]). The run must end within [`GRACE`] polls of the first
//! interrupt, and
//! no stretch between two polls (or before the first, or after the last)
//! may take longer than [`MAX_GAP`]: either is a run that ignores the
//! interrupt.

use super::Verdict;
use crate::mutate;
use crate::rng::Rng;
use crate::seeds::Corpus;
use p14p_device::machine::{Host, Machine};
use p14p_device::vm::{Vm, VmConfig};
use p14p_protocol::msg::{DeviceError, Width};
use std::time::{Duration, Instant};

/// Polls before the host asks for an interrupt (1024 instructions each).
pub const INTERRUPT_AT: u32 = 32;
/// Polls after the first interrupt by which the run must have ended.
pub const GRACE: u32 = 8;
/// Polls after the first interrupt at which the host insists (a second
/// interrupt): a program may catch the first `KeyboardInterrupt`, as in
/// CPython, but not the hard stop.
pub const INSIST_AFTER: u32 = 2;
/// Longest time the VM may go without polling (a device is ~100 times
/// slower than the machine this runs on: 250 ms here is ~25 s there). A
/// debug build (overflow checks on, as in tests) is some 20 times slower.
pub const MAX_GAP: Duration =
    Duration::from_millis(if cfg!(debug_assertions) { 5000 } else { 250 });
/// Heap words of the VM (48 KiB, an LM3S6965-sized heap).
pub const ARENA_WORDS: usize = 12 * 1024;

/// The panic payload the host throws to stop a run that keeps going after
/// [`GRACE`] interrupts (the driver counts it as a hang, not a panic).
#[derive(Debug)]
pub struct IgnoredInterrupt(pub u32);

/// A host that interrupts after a budget and times the gaps between polls.
struct FuzzHost {
    polls: u32,
    last: Instant,
    max_gap: Duration,
}

impl FuzzHost {
    fn gap(&mut self) {
        let now = Instant::now();
        self.max_gap = self.max_gap.max(now - self.last);
        self.last = now;
    }
}

impl Host for FuzzHost {
    fn output(&mut self, _bytes: &[u8]) {}
    fn poll_interrupt(&mut self) -> bool {
        self.polls += 1;
        self.gap();
        if self.polls >= INTERRUPT_AT + GRACE {
            std::panic::panic_any(IgnoredInterrupt(self.polls));
        }
        self.polls >= INTERRUPT_AT
    }
    fn stopping(&mut self) -> bool {
        self.polls >= INTERRUPT_AT + INSIST_AFTER
    }
    fn ticks_ms(&mut self) -> u32 {
        self.polls
    }
    fn mem_read(&mut self, _addr: u32, _width: Width) -> Result<u32, DeviceError> {
        Err(DeviceError::BadAddress)
    }
    fn mem_write(&mut self, _addr: u32, _width: Width, _value: u32) -> Result<(), DeviceError> {
        Err(DeviceError::BadAddress)
    }
}

/// A mutated seed image (length and hash usually re-fixed).
pub fn generate(corpus: &Corpus, rng: &mut Rng) -> Vec<u8> {
    mutate::image(rng, &corpus.images)
}

/// Loads in 200-byte chunks as the link would, runs, and times the polls.
/// A gap between polls is timed on a shared machine: one is confirmed by a
/// second run before it counts (a preempted process is not a hang).
pub fn execute(input: &[u8]) -> Verdict {
    match execute_once(input) {
        Verdict::Hang(why) if why.starts_with("no poll") => execute_once(input),
        v => v,
    }
}

fn execute_once(input: &[u8]) -> Verdict {
    let mut arena = vec![0u32; ARENA_WORDS];
    let hash = match input.get(12..16) {
        Some(h) => u32::from_le_bytes([h[0], h[1], h[2], h[3]]),
        None => 0,
    };
    // Half the images (by a bit of their hash) execute in place from a
    // flash view, as a stored image does: their names and strs are image
    // strs, which must never point outside the image. The view holds the
    // image between two runs of 0xFF, as a store's page might.
    let in_place = hash & 1 == 1;
    let mut flash = vec![0xFFu8; input.len() + 2 * PAD];
    flash[PAD..PAD + input.len()].copy_from_slice(input);
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    if in_place {
        vm = vm.with_flash(&flash);
        let r = vm.image_in_place(PAD as u32, input.len() as u32, None);
        let Ok(hash) = r else {
            return Verdict::Rejected;
        };
        let extent = PAD..PAD + input.len();
        assert!(
            vm.image_strs_within(extent.clone()),
            "an image str left its image"
        );
        let v = run_loaded(&mut vm, hash);
        // After the run and a collection the image may be gone while a
        // str of it lives on (kept in the globals): still within its bytes.
        assert!(vm.image_strs_within(extent), "an image str left its image");
        return v;
    }
    if vm.image_begin(input.len() as u32, hash, None).is_err() {
        return Verdict::Rejected;
    }
    for (i, chunk) in input.chunks(200).enumerate() {
        if vm.image_write((i * 200) as u32, chunk).is_err() {
            return Verdict::Rejected;
        }
    }
    let Ok(hash) = vm.image_end() else {
        return Verdict::Rejected;
    };
    run_loaded(&mut vm, hash)
}

/// Bytes of erased flash on each side of an image run in place.
const PAD: usize = 64;

/// Runs the loaded image `hash` with the interrupting host.
fn run_loaded(vm: &mut Vm, hash: u32) -> Verdict {
    let mut host = FuzzHost {
        polls: 0,
        last: Instant::now(),
        max_gap: Duration::ZERO,
    };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| vm.run(hash, &mut host)));
    host.gap();
    let r = match r {
        Ok(r) => r,
        Err(p) => match p.downcast::<IgnoredInterrupt>() {
            Ok(i) => {
                return Verdict::Hang(format!(
                    "still running after {} polls ({} with an interrupt)",
                    i.0,
                    i.0 - INTERRUPT_AT + 1
                ))
            }
            Err(p) => std::panic::resume_unwind(p),
        },
    };
    if host.max_gap > MAX_GAP {
        return Verdict::Hang(format!("no poll for {} ms", host.max_gap.as_millis()));
    }
    // What the link does after a run: the report, the heap's figures.
    let _ = vm
        .exception_report()
        .map(|e| (e.exc_type.len(), e.traceback.len()));
    let _ = vm.heap_stats();
    vm.collect();
    match r {
        Ok(_) => Verdict::Accepted,
        Err(_) => Verdict::Rejected,
    }
}
