//! Snapshots of the inspector screen (ratatui `TestBackend` + insta).

use super::text;
use crate::inspect::state::{Sample, State};
use crate::session::LargeObject;
use p14p_protocol::msg::{BlockRun, HeapStats, TypeCount};

fn sample(strs: u32) -> Sample {
    let mut head = vec![0, 0, 0, 0, 11, 0, 0, 0, 11, 0, 0, 0];
    head.extend(b"hello world\0");
    Sample {
        stats: HeapStats {
            total: 4096,
            used: 1024 + strs * 16,
            free: 3072 - strs * 16,
            largest_free: 2048,
            objects: 12 + strs,
            gc_runs: 3,
            gc_us: 1_840 + u64::from(strs) * 100,
            gc_last_us: 610,
        },
        types: vec![
            TypeCount {
                tag: 0,
                count: 2,
                bytes: 3072 - strs * 16,
            },
            TypeCount {
                tag: 3,
                count: 4 + strs,
                bytes: 64 + strs * 16,
            },
            TypeCount {
                tag: 5,
                count: 2,
                bytes: 24,
            },
            TypeCount {
                tag: 22,
                count: 1,
                bytes: 900,
            },
        ],
        map: vec![
            BlockRun {
                tag: 22,
                blocks: 1,
                words: 225,
            },
            BlockRun {
                tag: 3,
                blocks: 4 + strs,
                words: 16 + strs * 4,
            },
            BlockRun {
                tag: 0,
                blocks: 1,
                words: 512,
            },
            BlockRun {
                tag: 5,
                blocks: 2,
                words: 6,
            },
            BlockRun {
                tag: 0,
                blocks: 1,
                words: 265 - strs * 4,
            },
        ],
        largest: vec![
            LargeObject {
                word: 1,
                tag: 22,
                bytes: 900,
                head: vec![],
            },
            LargeObject {
                word: 300,
                tag: 3,
                bytes: 28,
                head,
            },
            LargeObject {
                word: 320,
                tag: 5,
                bytes: 12,
                head: vec![2, 0, 0, 0],
            },
        ],
    }
}

fn screen(state: &State) -> String {
    text(state, 100, 24).unwrap()
}

fn state() -> State {
    let mut s = State {
        board: "posix-sim".into(),
        port: "sim".into(),
        gc_timed: true,
        ..State::default()
    };
    s.update(sample(0));
    s
}

#[test]
fn the_screen_shows_figures_map_types_and_largest() {
    let text = screen(&state());
    assert!(
        text.contains("GC 3 runs, 1.8 ms in total, last 610 µs"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn after_a_snapshot_the_table_shows_growth() {
    let mut s = state();
    s.take_snapshot();
    s.update(sample(5));
    s.status = "snapshot taken at sample 1".into();
    let text = screen(&s);
    assert!(text.contains("+5"), "{text}");
    insta::assert_snapshot!(text);
}
