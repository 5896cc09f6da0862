//! The micro:bit's NVMC logic (`src/nvmc.rs`, included here) against a
//! model of the nRF51's flash that can cut the power at every step: each
//! page erase and each word write is one step; the step the power goes in
//! is torn (an erase sets only the page's first half, a word write clears
//! only its low half's bits) and nothing happens after it. The firmware
//! runs the same file over the real controller (`src/store.rs`).
//!
//! Checked: NOR semantics and byte ranges of `program`; that a cut write
//! leaves each byte old or new; and the device's store over it (the one
//! the firmware mounts), a file overwritten with the power cut at every
//! step, is the old or the new version after the reboot, and the store
//! still takes writes.
//!
//! The cutting, rebooting and old-or-new checks are the shared harness
//! (`p14p_cortex_m_hosttest::powercut`); the chip model is this file's.

#[path = "../../src/nvmc.rs"]
mod nvmc;

use nvmc::{Nvmc, LEN, PAGES, PAGE_SIZE};
use p14p_cortex_m_hosttest::powercut::{self, Chip, Power};
use p14p_device::store::Flash;

/// The flash under the store region, with a power-cut budget.
#[derive(Clone)]
struct Model {
    mem: Vec<u8>,
    power: Power,
    /// Writes to each word since its page's erase (the nRF51 allows few).
    writes: Vec<u8>,
}

impl Model {
    /// A flash fresh from the factory: all erased.
    fn new() -> Model {
        Model {
            mem: vec![0xFF; LEN],
            power: Power::default(),
            writes: vec![0; LEN / 4],
        }
    }
}

impl Chip for Model {
    fn power(&mut self) -> &mut Power {
        &mut self.power
    }
    fn mem(&self) -> &[u8] {
        &self.mem
    }
}

impl Nvmc for Model {
    fn bytes(&self) -> &[u8] {
        &self.mem
    }

    fn erase_page(&mut self, offset: u32) {
        assert_eq!(offset % PAGE_SIZE, 0, "erase of a page boundary");
        let Some(torn) = self.power.step() else {
            return;
        };
        let start = offset as usize;
        let len = if torn { PAGE_SIZE / 2 } else { PAGE_SIZE } as usize;
        self.mem[start..start + len].fill(0xFF);
        if !torn {
            self.writes[start / 4..(start + PAGE_SIZE as usize) / 4].fill(0);
        }
    }

    fn write_word(&mut self, offset: u32, value: u32) {
        assert_eq!(offset % 4, 0, "word writes are aligned");
        let Some(torn) = self.power.step() else {
            return;
        };
        let at = offset as usize;
        let value = if torn { value | 0xFFFF_0000 } else { value };
        let old = u32::from_le_bytes(self.mem[at..at + 4].try_into().unwrap());
        self.mem[at..at + 4].copy_from_slice(&(old & value).to_le_bytes());
        self.writes[at / 4] += 1;
    }
}

/// The model as the device's store sees the chip.
impl Flash for Model {
    fn page_size(&self) -> u32 {
        PAGE_SIZE
    }
    fn page_count(&self) -> u32 {
        PAGES
    }
    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
        nvmc::read(self, addr, buf)
    }
    fn erase(&mut self, page: u32) -> bool {
        nvmc::erase(self, page)
    }
    fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        nvmc::program(self, addr, data)
    }
}

#[test]
fn program_keeps_nor_rules_and_its_range() {
    let mut f = Model::new();
    // Unaligned starts and ends, within a word and across words.
    for (addr, len) in [(1u32, 2usize), (5, 9), (100, 1), (1021, 7), (2048, 64)] {
        let data: Vec<u8> = (0..len)
            .map(|i| (i as u8).wrapping_mul(37) & 0xF5)
            .collect();
        let before = f.mem.clone();
        assert!(nvmc::program(&mut f, addr, &data), "{addr}+{len}");
        let (a, b) = (addr as usize, addr as usize + len);
        assert_eq!(&f.mem[a..b], &data[..], "{addr}+{len}: written");
        assert_eq!(&f.mem[..a], &before[..a], "{addr}+{len}: before untouched");
        assert_eq!(&f.mem[b..], &before[b..], "{addr}+{len}: after untouched");
    }
    // Setting a bit is refused, and changes nothing.
    let before = f.mem.clone();
    assert!(!nvmc::program(&mut f, 1, &[0xFF]));
    assert_eq!(f.mem, before);
    // Out of range: refused, never a panic.
    assert!(!nvmc::program(&mut f, LEN as u32 - 1, &[0, 0]));
    assert!(!nvmc::program(&mut f, u32::MAX, &[0]));
    assert!(!nvmc::erase(&mut f, PAGES));
    let mut buf = [0u8; 4];
    assert!(!nvmc::read(&f, LEN as u32 - 2, &mut buf));
    // Erase: the page, only the page.
    assert!(nvmc::erase(&mut f, 2));
    assert!(f.mem[2048..3072].iter().all(|&b| b == 0xFF));
    assert_eq!(f.mem[1021..1024], [0, 37 & 0xF5, 74 & 0xF5]);
}

#[test]
fn a_cut_write_leaves_each_byte_old_or_new() {
    let data: Vec<u8> = (0..40u8).map(|i| !i & 0x7E).collect();
    let total = powercut::cut_program_at_every_step(Model::new(), 3, &data, |f, at, d| {
        nvmc::program(f, at, d)
    });
    assert_eq!(total, 11, "words 0..=10 touched by bytes 3..43");
}

#[test]
fn power_cut_at_every_step_of_an_overwrite_on_the_store() {
    let old: Vec<u8> = (0..700u32).map(|i| (i * 7) as u8).collect();
    let new: Vec<u8> = (0..900u32).map(|i| (i * 13 + 1) as u8).collect();
    powercut::cut_overwrite_at_every_step(Model::new(), &old, &new, |k, f| {
        // The nRF51 allows each word only a few writes between erases.
        assert!(
            f.writes.iter().all(|&w| w <= 2),
            "cut {k}: a word written {} times",
            f.writes.iter().max().unwrap()
        );
    });
}
