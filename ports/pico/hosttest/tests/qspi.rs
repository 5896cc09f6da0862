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

#[path = "../../src/qspi.rs"]
mod qspi;

use p14p_device::store::{FileKind, Flash, Store};
use qspi::{Qspi, LEN, PROGRAM_SIZE, SECTORS, SECTOR_SIZE};

/// The flash under the store region, with a power-cut budget.
#[derive(Clone)]
struct Model {
    mem: Vec<u8>,
    /// Steps left before the power goes (`None`: never).
    budget: Option<usize>,
    /// Steps taken so far.
    steps: usize,
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
            budget: None,
            steps: 0,
            programs: vec![0; LEN / PROGRAM_SIZE],
            erased: 0,
        }
    }

    /// Takes a step: `Some(torn)` if it happens (torn: the power goes
    /// during it), `None` once the power is gone.
    fn step(&mut self) -> Option<bool> {
        self.steps += 1;
        match self.budget {
            None => Some(false),
            Some(0) => None,
            Some(1) => {
                self.budget = Some(0);
                Some(true)
            }
            Some(n) => {
                self.budget = Some(n - 1);
                Some(false)
            }
        }
    }

    /// The same flash after the power comes back.
    fn rebooted(&self) -> Model {
        Model {
            budget: None,
            ..self.clone()
        }
    }
}

impl Qspi for Model {
    fn bytes(&self) -> &[u8] {
        &self.mem
    }

    fn erase_sector(&mut self, offset: u32) {
        assert_eq!(offset % SECTOR_SIZE, 0, "erase of a sector boundary");
        let Some(torn) = self.step() else { return };
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
        let Some(torn) = self.step() else { return };
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

/// CRC-32 (ISO-HDLC), as the store checks files.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                crc >> 1 ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn put(s: &mut Store, f: &mut Model, name: &str, data: &[u8]) -> bool {
    let ok = s
        .begin(f, name, FileKind::Data, data.len() as u32, crc32(data))
        .is_ok()
        && data
            .chunks(100)
            .enumerate()
            .all(|(i, c)| s.write(f, (i * 100) as u32, c).is_ok());
    ok && s.commit(f).is_ok()
}

fn get(s: &Store, f: &mut Model, name: &str) -> Option<Vec<u8>> {
    let size = s.find(f, name.as_bytes())?.size as usize;
    let mut buf = vec![0; size];
    let n = s.read(f, name.as_bytes(), 0, &mut buf).ok()?;
    assert_eq!(n, size);
    assert_eq!(crc32(&buf), crc32(&buf[..n]));
    Some(buf)
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
    assert_eq!(g.steps, 4);
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
    let mut clean = Model::new();
    assert!(qspi::program(&mut clean, 200, &data));
    let total = clean.steps;
    assert_eq!(total, 4, "pages 0..=3 touched by bytes 200..800");
    for k in 0..=total + 1 {
        let mut f = Model::new();
        f.budget = Some(k);
        qspi::program(&mut f, 200, &data);
        for (i, &b) in f.mem.iter().enumerate() {
            let new = i.checked_sub(200).and_then(|j| data.get(j)).copied();
            // A torn page may have cleared some of its new bits only:
            // still between old and new, and never outside the range.
            match new {
                Some(n) => assert!(b & n == n, "cut {k}: byte {i} {b:#x} vs {n:#x}"),
                None => assert_eq!(b, 0xFF, "cut {k}: byte {i} outside the range"),
            }
        }
    }
}

#[test]
fn power_cut_at_every_step_of_an_overwrite_on_the_store() {
    // Larger than a sector: the new version takes a span of two.
    let old: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
    let new: Vec<u8> = (0..5000u32).map(|i| (i * 13 + 1) as u8).collect();
    let mut base = Model::new();
    let mut s = Store::mount(&mut base, false);
    assert!(put(&mut s, &mut base, "f.bin", &old));
    // How many steps the overwrite takes, uncut.
    let mut clean = base.rebooted();
    clean.steps = 0;
    let mut s = Store::mount(&mut clean, false);
    assert!(put(&mut s, &mut clean, "f.bin", &new));
    let total = clean.steps;
    assert!(total > 10, "{total} steps");
    let (mut saw_old, mut saw_new) = (false, false);
    // Budget k: k steps happen, the k-th torn; total + 1: none torn.
    for k in 0..=total + 1 {
        let mut f = base.rebooted();
        f.budget = Some(k);
        let mut s = Store::mount(&mut f, false);
        let _ = put(&mut s, &mut f, "f.bin", &new);
        let mut f = f.rebooted();
        let mut s = Store::mount(&mut f, false);
        match get(&s, &mut f, "f.bin") {
            Some(v) if v == old => saw_old = true,
            Some(v) if v == new => saw_new = true,
            other => panic!("cut at step {k}: {:?} bytes", other.map(|v| v.len())),
        }
        assert!(
            put(&mut s, &mut f, "after", b"still works"),
            "write after a cut at {k}"
        );
        let s = Store::mount(&mut f, false);
        assert_eq!(
            get(&s, &mut f, "after").as_deref(),
            Some(&b"still works"[..])
        );
    }
    assert!(
        saw_old && saw_new,
        "the cuts fell before and after the commit"
    );
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
    clean.steps = 0;
    let mut s = Store::mount(&mut clean, false);
    // The step count at the end of each round, uncut.
    let mut ends = Vec::new();
    for round in 0..ROUNDS {
        let v = vec![round as u8; 3500];
        assert!(put(&mut s, &mut clean, "churn", &v), "round {round}");
        ends.push(clean.steps);
    }
    let total = clean.steps;
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
        let mut f = base.rebooted();
        f.budget = Some(k);
        let mut s = Store::mount(&mut f, false);
        for round in 0..ROUNDS {
            let _ = put(&mut s, &mut f, "churn", &vec![round as u8; 3500]);
            if f.budget == Some(0) {
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
