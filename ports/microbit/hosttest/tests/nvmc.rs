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

#[path = "../../src/nvmc.rs"]
mod nvmc;

use nvmc::{Nvmc, LEN, PAGES, PAGE_SIZE};
use p14p_device::store::{FileKind, Flash, Store};

/// The flash under the store region, with a power-cut budget.
#[derive(Clone)]
struct Model {
    mem: Vec<u8>,
    /// Steps left before the power goes (`None`: never).
    budget: Option<usize>,
    /// Steps taken so far.
    steps: usize,
    /// Writes to each word since its page's erase (the nRF51 allows few).
    writes: Vec<u8>,
}

impl Model {
    /// A flash fresh from the factory: all erased.
    fn new() -> Model {
        Model {
            mem: vec![0xFF; LEN],
            budget: None,
            steps: 0,
            writes: vec![0; LEN / 4],
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

impl Nvmc for Model {
    fn bytes(&self) -> &[u8] {
        &self.mem
    }

    fn erase_page(&mut self, offset: u32) {
        assert_eq!(offset % PAGE_SIZE, 0, "erase of a page boundary");
        let Some(torn) = self.step() else { return };
        let start = offset as usize;
        let len = if torn { PAGE_SIZE / 2 } else { PAGE_SIZE } as usize;
        self.mem[start..start + len].fill(0xFF);
        if !torn {
            self.writes[start / 4..(start + PAGE_SIZE as usize) / 4].fill(0);
        }
    }

    fn write_word(&mut self, offset: u32, value: u32) {
        assert_eq!(offset % 4, 0, "word writes are aligned");
        let Some(torn) = self.step() else { return };
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
    let mut clean = Model::new();
    assert!(nvmc::program(&mut clean, 3, &data));
    let total = clean.steps;
    assert_eq!(total, 11, "words 0..=10 touched by bytes 3..43");
    for k in 0..=total + 1 {
        let mut f = Model::new();
        f.budget = Some(k);
        nvmc::program(&mut f, 3, &data);
        for (i, &b) in f.mem.iter().enumerate() {
            let new = i.checked_sub(3).and_then(|j| data.get(j)).copied();
            // A torn word may have cleared some of its new bits only:
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
    let old: Vec<u8> = (0..700u32).map(|i| (i * 7) as u8).collect();
    let new: Vec<u8> = (0..900u32).map(|i| (i * 13 + 1) as u8).collect();
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
        // The nRF51 allows each word only a few writes between erases.
        assert!(
            f.writes.iter().all(|&w| w <= 2),
            "cut {k}: a word written {} times",
            f.writes.iter().max().unwrap()
        );
    }
    assert!(
        saw_old && saw_new,
        "the cuts fell before and after the commit"
    );
}
