//! What the inspector shows: the last heap sample, the snapshot to compare
//! against, and status text. Pure data; the session fills it, the view
//! draws it.

use super::tags;
use crate::session::LargeObject;
use p14p_protocol::msg::{BlockRun, HeapStats, TypeCount};
use std::collections::BTreeMap;

/// One heap sample from the device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sample {
    /// Figures.
    pub stats: HeapStats,
    /// Blocks per tag (tag 0 = free).
    pub types: Vec<TypeCount>,
    /// The block map.
    pub map: Vec<BlockRun>,
    /// The largest objects.
    pub largest: Vec<LargeObject>,
}

/// A row of the objects-by-type table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRow {
    /// Type name.
    pub name: String,
    /// Objects.
    pub count: u32,
    /// Bytes.
    pub bytes: u32,
    /// Change in count since the snapshot (None: no snapshot).
    pub d_count: Option<i64>,
    /// Change in bytes since the snapshot.
    pub d_bytes: Option<i64>,
}

/// The inspector's state.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Board name from the handshake.
    pub board: String,
    /// The port.
    pub port: String,
    /// The program running, if the inspector started one.
    pub program: Option<String>,
    /// The last sample.
    pub sample: Sample,
    /// Samples taken.
    pub samples: u64,
    /// Per-tag counts at the last snapshot (`s`).
    pub snapshot: Option<BTreeMap<u8, (u32, u32)>>,
    /// The device times its collections (`GC_TIME` in its manifest), so
    /// the figures' `gc_us` and `gc_last_us` mean something.
    pub gc_timed: bool,
    /// A one-line message (errors, "collected", "snapshot taken").
    pub status: String,
}

impl State {
    /// Takes a new sample.
    pub fn update(&mut self, sample: Sample) {
        self.sample = sample;
        self.samples += 1;
    }

    /// Remembers the current counts for comparison.
    pub fn take_snapshot(&mut self) {
        let snap = self
            .sample
            .types
            .iter()
            .map(|t| (t.tag, (t.count, t.bytes)))
            .collect();
        self.snapshot = Some(snap);
    }

    /// The live types, largest first, with growth since the snapshot.
    pub fn rows(&self) -> Vec<TypeRow> {
        let mut rows: Vec<TypeRow> = self
            .sample
            .types
            .iter()
            .filter(|t| t.tag != 0)
            .map(|t| {
                let before = self
                    .snapshot
                    .as_ref()
                    .map(|s| s.get(&t.tag).copied().unwrap_or((0, 0)));
                TypeRow {
                    name: tags::name(t.tag),
                    count: t.count,
                    bytes: t.bytes,
                    d_count: before.map(|b| i64::from(t.count) - i64::from(b.0)),
                    d_bytes: before.map(|b| i64::from(t.bytes) - i64::from(b.1)),
                }
            })
            .collect();
        // Types that vanished since the snapshot show as shrunk to zero.
        if let Some(snap) = &self.snapshot {
            for (&tag, &(count, bytes)) in snap {
                if tag != 0 && !self.sample.types.iter().any(|t| t.tag == tag) {
                    rows.push(TypeRow {
                        name: tags::name(tag),
                        count: 0,
                        bytes: 0,
                        d_count: Some(-i64::from(count)),
                        d_bytes: Some(-i64::from(bytes)),
                    });
                }
            }
        }
        rows.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
        rows
    }

    /// The block map as `cells` characters: each covers an equal share of
    /// the arena and shows the tag holding most of its words.
    pub fn map_cells(&self, cells: usize) -> String {
        let total: u64 = self.sample.map.iter().map(|r| u64::from(r.words)).sum();
        if total == 0 || cells == 0 {
            return String::new();
        }
        let mut out = String::with_capacity(cells);
        let mut runs = self.sample.map.iter().peekable();
        let mut run_left = runs.peek().map_or(0, |r| u64::from(r.words));
        for c in 0..cells as u64 {
            // Words [lo, hi) of the arena belong to this cell.
            let lo = total * c / cells as u64;
            let hi = total * (c + 1) / cells as u64;
            let mut need = hi - lo;
            let mut best: (u64, u8) = (0, 0);
            let mut by_tag: BTreeMap<u8, u64> = BTreeMap::new();
            while need > 0 {
                let Some(r) = runs.peek() else { break };
                let take = need.min(run_left);
                *by_tag.entry(r.tag).or_default() += take;
                need -= take;
                run_left -= take;
                if run_left == 0 {
                    runs.next();
                    run_left = runs.peek().map_or(0, |r| u64::from(r.words));
                }
            }
            for (tag, n) in by_tag {
                if n > best.0 {
                    best = (n, tag);
                }
            }
            out.push(tags::glyph(best.1));
        }
        out
    }

    /// The collector line: runs, and the time the device measured (total
    /// and last collection), e.g. `12 runs, 3.4 ms in total, last 210 µs`.
    pub fn gc_summary(&self) -> String {
        let s = &self.sample.stats;
        let runs = match s.gc_runs {
            1 => "1 run".to_string(),
            n => format!("{n} runs"),
        };
        if !self.gc_timed {
            format!("{runs} (not timed by this device)")
        } else if s.gc_runs == 0 {
            runs
        } else {
            format!(
                "{runs}, {} in total, last {}",
                duration(s.gc_us),
                duration(u64::from(s.gc_last_us))
            )
        }
    }

    /// Fragmentation: the share of free bytes outside the largest free block.
    pub fn fragmentation(&self) -> f64 {
        let s = &self.sample.stats;
        if s.free == 0 {
            0.0
        } else {
            1.0 - f64::from(s.largest_free) / f64::from(s.free)
        }
    }
}

/// A duration in microseconds, in the unit that reads best: `850 µs`,
/// `12.5 ms`, `3.20 s`.
pub fn duration(us: u64) -> String {
    if us < 1_000 {
        format!("{us} µs")
    } else if us < 1_000_000 {
        format!("{:.1} ms", us as f64 / 1e3)
    } else {
        format!("{:.2} s", us as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_the_collector_line() {
        assert_eq!(duration(850), "850 µs");
        assert_eq!(duration(12_500), "12.5 ms");
        assert_eq!(duration(3_200_000), "3.20 s");
        let mut s = State::default();
        assert_eq!(s.gc_summary(), "0 runs (not timed by this device)");
        s.gc_timed = true;
        assert_eq!(s.gc_summary(), "0 runs");
        s.sample.stats.gc_runs = 1;
        s.sample.stats.gc_us = 2_400;
        s.sample.stats.gc_last_us = 2_400;
        assert_eq!(s.gc_summary(), "1 run, 2.4 ms in total, last 2.4 ms");
    }
}
