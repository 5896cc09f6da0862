//! The power-cut harness the ports' store drivers are tested with
//! (`ports/microbit/hosttest/tests/nvmc.rs`, `ports/pico/hosttest/tests/qspi.rs`),
//! over a model of each chip's flash ([`Chip`]).
//!
//! The model counts steps (an erase, a program of the chip's write unit)
//! against a [`Power`] budget: the step the power goes in is torn (the
//! model decides how) and nothing happens after it. The harness cuts a
//! driver's write, or a store overwrite, at every step, reboots, and checks
//! the result is the old or the new one, never anything else.

use p14p_device::store::{FileKind, Flash, Store};

/// The power of a chip model: how many steps happen before it goes.
#[derive(Debug, Clone, Default)]
pub struct Power {
    /// Steps left before the power goes (`None`: never).
    pub budget: Option<usize>,
    /// Steps taken so far.
    pub steps: usize,
}

impl Power {
    /// Takes a step: `Some(torn)` if it happens (torn: the power goes
    /// during it), `None` once the power is gone.
    pub fn step(&mut self) -> Option<bool> {
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
}

/// A model of a chip's flash under the store, with a power-cut budget.
pub trait Chip: Flash + Clone {
    /// Its power.
    fn power(&mut self) -> &mut Power;

    /// Its bytes.
    fn mem(&self) -> &[u8];

    /// The same flash after the power comes back.
    fn rebooted(&self) -> Self {
        let mut m = self.clone();
        m.power().budget = None;
        m
    }

    /// A copy whose power goes after `budget` steps (the last one torn).
    fn cut_after(&self, budget: usize) -> Self {
        let mut m = self.rebooted();
        m.power().budget = Some(budget);
        m
    }
}

/// CRC-32 (ISO-HDLC), as the store checks files.
pub fn crc32(data: &[u8]) -> u32 {
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

/// Writes `data` as file `name` the link's way (100-byte chunks); true if
/// every step succeeded.
pub fn put(s: &mut Store, f: &mut dyn Flash, name: &str, data: &[u8]) -> bool {
    let ok = s
        .begin(f, name, FileKind::Data, data.len() as u32, crc32(data))
        .is_ok()
        && data
            .chunks(100)
            .enumerate()
            .all(|(i, c)| s.write(f, (i * 100) as u32, c).is_ok());
    ok && s.commit(f).is_ok()
}

/// The content of file `name`, if there is one.
pub fn get(s: &Store, f: &mut dyn Flash, name: &str) -> Option<Vec<u8>> {
    let size = s.find(f, name.as_bytes())?.size as usize;
    let mut buf = vec![0; size];
    let n = s.read(f, name.as_bytes(), 0, &mut buf).ok()?;
    assert_eq!(n, size);
    Some(buf)
}

/// Programs `data` at `at` of a fresh chip with the power cut after every
/// number of steps up to one past the uncut program's, and checks that
/// every byte is then between old and new (a torn program may have
/// cleared only some of its new bits) and none outside the range changed.
/// Returns the uncut program's steps.
pub fn cut_program_at_every_step<C: Chip>(
    fresh: C,
    at: u32,
    data: &[u8],
    program: impl Fn(&mut C, u32, &[u8]) -> bool,
) -> usize {
    let mut clean = fresh.clone();
    assert!(program(&mut clean, at, data));
    let total = clean.power().steps;
    for k in 0..=total + 1 {
        let mut f = fresh.cut_after(k);
        program(&mut f, at, data);
        for (i, &b) in f.mem().iter().enumerate() {
            let new = i
                .checked_sub(at as usize)
                .and_then(|j| data.get(j))
                .copied();
            match new {
                Some(n) => assert!(b & n == n, "cut {k}: byte {i} {b:#x} vs {n:#x}"),
                None => assert_eq!(b, 0xFF, "cut {k}: byte {i} outside the range"),
            }
        }
    }
    total
}

/// Overwrites file `f.bin` (`old` on `base`) with `new`, the power cut
/// after every number of steps up to one past the uncut overwrite's;
/// after each cut and reboot the file is `old` or `new` and the store
/// takes a write. `check` sees the chip after each. Both outcomes must
/// occur.
pub fn cut_overwrite_at_every_step<C: Chip>(
    mut base: C,
    old: &[u8],
    new: &[u8],
    mut check: impl FnMut(usize, &C),
) {
    let mut s = Store::mount(&mut base, false);
    assert!(put(&mut s, &mut base, "f.bin", old));
    // How many steps the overwrite takes, uncut.
    let mut clean = base.rebooted();
    clean.power().steps = 0;
    let mut s = Store::mount(&mut clean, false);
    assert!(put(&mut s, &mut clean, "f.bin", new));
    let total = clean.power().steps;
    assert!(total > 10, "{total} steps");
    let (mut saw_old, mut saw_new) = (false, false);
    // Budget k: k steps happen, the k-th torn; total + 1: none torn.
    for k in 0..=total + 1 {
        let mut f = base.cut_after(k);
        let mut s = Store::mount(&mut f, false);
        let _ = put(&mut s, &mut f, "f.bin", new);
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
        check(k, &f);
    }
    assert!(
        saw_old && saw_new,
        "the cuts fell before and after the commit"
    );
}
