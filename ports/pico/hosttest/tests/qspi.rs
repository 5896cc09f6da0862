//! The Pico's QSPI store logic (`src/qspi.rs`, included here) against a
//! model of the W25Q16JV that can cut the power at every step: each 4 KiB
//! sector erase and each 256-byte page program is one step (what one call
//! of the boot ROM's `flash_range_erase` or `flash_range_program` does);
//! the step the power goes in is torn (an erase sets only the sector's
//! first half, a page program clears only the new bits of its first half)
//! and nothing happens after it. The firmware runs the same file over the
//! boot ROM (`src/store.rs`); rp2040js does not model flash writes.
//!
//! Checked: NOR semantics and byte ranges of `program`, whole aligned
//! pages only (the ROM's rule); that a cut write leaves each byte old or
//! new; and the device's store over it (the one the firmware mounts), a
//! file overwritten with the power cut at every step, is the old or the
//! new version after the reboot, and the store still takes writes.
//!
//! The cutting, rebooting and old-or-new checks are the shared harness
//! (`p14p_cortex_m_hosttest::powercut`); the chip model is this file's.

#[path = "../../src/qspi.rs"]
mod qspi;

use p14p_cortex_m_hosttest::powercut::{self, get, put, Chip, Power};
use p14p_device::store::{Flash, Store};
use qspi::{Qspi, LEN, PROGRAM_SIZE, SECTORS, SECTOR_SIZE};

/// The flash under the store region, with a power-cut budget.
#[derive(Clone)]
struct Model {
    mem: Vec<u8>,
    power: Power,
    /// Programs of each 256-byte page since its sector's erase.
    programs: Vec<u16>,
    /// Sector erases done.
    erased: usize,
}

impl Model {
    /// A flash fresh from the factory: all erased.
    fn new() -> Model {
        Model {
            mem: vec![0xFF; LEN],
            power: Power::default(),
            programs: vec![0; LEN / PROGRAM_SIZE],
            erased: 0,
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

impl Qspi for Model {
    fn bytes(&self) -> &[u8] {
        &self.mem
    }

    fn erase_sector(&mut self, offset: u32) {
        assert_eq!(offset % SECTOR_SIZE, 0, "erase of a sector boundary");
        let Some(torn) = self.power.step() else {
            return;
        };
        let start = offset as usize;
        let len = if torn { SECTOR_SIZE / 2 } else { SECTOR_SIZE } as usize;
        self.mem[start..start + len].fill(0xFF);
        if !torn {
            let pages = start / PROGRAM_SIZE..(start + SECTOR_SIZE as usize) / PROGRAM_SIZE;
            self.programs[pages].fill(0);
            self.erased += 1;
        }
    }

    fn program_page(&mut self, offset: u32, data: &[u8; PROGRAM_SIZE]) {
        assert_eq!(offset as usize % PROGRAM_SIZE, 0, "whole pages only");
        let Some(torn) = self.power.step() else {
            return;
        };
        let at = offset as usize;
        let done = if torn { PROGRAM_SIZE / 2 } else { PROGRAM_SIZE };
        for (m, &d) in self.mem[at..at + done].iter_mut().zip(data) {
            *m &= d;
        }
        self.programs[at / PROGRAM_SIZE] += 1;
    }
}

/// The model as the device's store sees the chip.
impl Flash for Model {
    fn page_size(&self) -> u32 {
        SECTOR_SIZE
    }
    fn page_count(&self) -> u32 {
        SECTORS
    }
    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
        qspi::read(self, addr, buf)
    }
    fn erase(&mut self, page: u32) -> bool {
        qspi::erase(self, page)
    }
    fn program(&mut self, addr: u32, data: &[u8]) -> bool {
        qspi::program(self, addr, data)
    }
}

#[test]
fn program_keeps_nor_rules_and_its_range() {
    let mut f = Model::new();
    // Within a page, across page and sector boundaries, a whole page.
    for (addr, len) in [(1u32, 2usize), (250, 9), (300, 1), (4090, 700), (8192, 256)] {
        let data: Vec<u8> = (0..len)
            .map(|i| (i as u8).wrapping_mul(37) & 0xF5)
            .collect();
        let before = f.mem.clone();
        assert!(qspi::program(&mut f, addr, &data), "{addr}+{len}");
        let (a, b) = (addr as usize, addr as usize + len);
        assert_eq!(&f.mem[a..b], &data[..], "{addr}+{len}: written");
        assert_eq!(&f.mem[..a], &before[..a], "{addr}+{len}: before untouched");
        assert_eq!(&f.mem[b..], &before[b..], "{addr}+{len}: after untouched");
    }
    // 4090+700 touches the pages at 3840, 4096, 4352 and 4608: four steps.
    let mut g = Model::new();
    assert!(qspi::program(&mut g, 4090, &[0; 700]));
    assert_eq!(g.power.steps, 4);
    // Setting a bit is refused, and changes nothing.
    let before = f.mem.clone();
    assert!(!qspi::program(&mut f, 1, &[0xFF]));
    assert_eq!(f.mem, before);
    // Out of range: refused, never a panic.
    assert!(!qspi::program(&mut f, LEN as u32 - 1, &[0, 0]));
    assert!(!qspi::program(&mut f, u32::MAX, &[0]));
    assert!(!qspi::erase(&mut f, SECTORS));
    let mut buf = [0u8; 4];
    assert!(!qspi::read(&f, LEN as u32 - 2, &mut buf));
    // Erase: the sector, only the sector.
    assert!(qspi::erase(&mut f, 1));
    assert!(f.mem[4096..8192].iter().all(|&b| b == 0xFF));
    assert_eq!(f.mem[4090..4096], before[4090..4096]);
    assert_eq!(f.mem[8192..8194], [0, 37 & 0xF5]);
}

#[test]
fn a_cut_write_leaves_each_byte_old_or_new() {
    let data: Vec<u8> = (0..600u32).map(|i| !(i as u8) & 0x7E).collect();
    let total = powercut::cut_program_at_every_step(Model::new(), 200, &data, |f, at, d| {
        qspi::program(f, at, d)
    });
    assert_eq!(total, 4, "pages 0..=3 touched by bytes 200..800");
}

#[test]
fn power_cut_at_every_step_of_an_overwrite_on_the_store() {
    // Larger than a sector: the new version takes a span of two.
    let old: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
    let new: Vec<u8> = (0..5000u32).map(|i| (i * 13 + 1) as u8).collect();
    powercut::cut_overwrite_at_every_step(Model::new(), &old, &new, |_, _| {});
}

/// Rewrites of a 3500-byte file: 160 take every sector through the
/// collector at least once.
const ROUNDS: u32 = 160;

#[test]
fn a_full_ring_of_collections_survives_cuts_all_along() {
    // Enough rewrites that the collector goes round the ring and erases
    // sectors: each cut then falls in a collection too.
    let mut base = Model::new();
    let mut s = Store::mount(&mut base, false);
    let keep: Vec<u8> = (0..1500u32).map(|i| (i * 3) as u8).collect();
    assert!(put(&mut s, &mut base, "keep", &keep));
    let mut clean = base.rebooted();
    clean.power.steps = 0;
    let mut s = Store::mount(&mut clean, false);
    // The step count at the end of each round, uncut.
    let mut ends = Vec::new();
    for round in 0..ROUNDS {
        let v = vec![round as u8; 3500];
        assert!(put(&mut s, &mut clean, "churn", &v), "round {round}");
        ends.push(clean.power.steps);
    }
    let total = clean.power.steps;
    assert!(
        clean.erased >= 64,
        "the collector went round the ring: {} erases",
        clean.erased
    );
    // Page programs per page between erases: what the chip is asked for.
    let most = *clean.programs.iter().max().unwrap();
    assert!(most <= 16, "a page programmed {most} times");
    // Cut at a sample of steps across the run (every 31st: the run is
    // long), each a different offset into a program or an erase.
    for k in (1..=total).step_by(31) {
        let mut f = base.cut_after(k);
        let mut s = Store::mount(&mut f, false);
        for round in 0..ROUNDS {
            let _ = put(&mut s, &mut f, "churn", &vec![round as u8; 3500]);
            if f.power.budget == Some(0) {
                break;
            }
        }
        // The round the power went in: its version or the one before.
        let cut = ends.iter().position(|&e| e >= k).unwrap() as u32;
        let mut f = f.rebooted();
        let s = Store::mount(&mut f, false);
        assert_eq!(get(&s, &mut f, "keep"), Some(keep.clone()), "cut {k}");
        match get(&s, &mut f, "churn") {
            Some(v) => {
                let round = u32::from(v[0]);
                assert!(v.len() == 3500 && v.iter().all(|&b| b == v[0]), "cut {k}");
                assert!(
                    round == cut || round + 1 == cut,
                    "cut {k} in round {cut}: {round}"
                );
            }
            None => assert_eq!(cut, 0, "cut {k}: churn lost in round {cut}"),
        }
    }
}
