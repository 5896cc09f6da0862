//! `p14p inspect` end to end: the inspector's data path (the session calls
//! its screen is drawn from) against `p14p-device --pty` while a program
//! runs, including `g` (a collection mid-run), and `p14p inspect --once`,
//! the one-screen text mode, on the pty device and the simulator.

use p14p::bench::spawn_pty_device;
use p14p::compile;
use p14p::inspect::{self, view};
use p14p::program::target_for;
use p14p::session::Outcome;
use p14p::transport::Port;
use p14p_tests::{bin, open, runtime};
use std::process::Command;

/// Keeps up to 200 strs alive and churns garbage; never ends by itself.
const GROWS: &str = "\
items = []
print('started')
while True:
    items.append('item %d' % len(items))
    if len(items) > 200:
        items = []
";

#[test]
fn the_inspector_samples_a_running_program_on_the_pty_device() {
    let device = spawn_pty_device(&bin("p14p-device")).expect("p14p-device --pty");
    runtime().block_on(async {
        let s = open(&Port::Serial(device.path.clone())).await;
        let target = target_for(s.info(), false);
        let compiled = compile::compile(GROWS, "grows.py", &target).unwrap();
        let hash = s.load(&compiled.image, None).await.unwrap();
        let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel();
        let run = s.run(hash, |_| {
            let _ = started_tx.send(());
        });
        let inspector = async {
            started.recv().await.unwrap();
            let mut state = inspect::initial_state(&s);
            assert!(state.gc_timed, "the posix port times its collections");
            state.program = Some("grows.py".into());
            // Several samples of the live heap, as the refresh loop takes them.
            for _ in 0..3 {
                state.update(inspect::sample(&s).await.expect("sampled mid-run"));
            }
            let sample = &state.sample;
            assert_eq!(sample.stats.total, s.info().heap_bytes);
            let strs = sample.types.iter().find(|t| t.tag == 3).expect("strs");
            assert!(strs.count > 0, "{:?}", sample.types);
            let words: u64 = sample.map.iter().map(|r| u64::from(r.words)).sum();
            // Pages of a live heap's map are read between instruction
            // slices, so blocks merge and split between two pages; still
            // the pages tile the arena (all but the reserved word 0).
            let total = u64::from(sample.stats.total);
            assert_eq!(words * 4 + 4, total, "the map tiles the arena");
            assert!(!sample.largest.is_empty());
            // `g`: a collection while the program runs.
            let before = sample.stats.gc_runs;
            let stats = s.collect().await.expect("Collect is served mid-run");
            assert!(stats.gc_runs > before, "{stats:?}");
            state.update(inspect::sample(&s).await.unwrap());
            let screen = view::text(&state, 100, 30).unwrap();
            s.interrupt().await.unwrap();
            screen
        };
        let (outcome, screen) = tokio::join!(run, inspector);
        match outcome.unwrap() {
            Outcome::Raised(e) => assert_eq!(e.exc_type, "KeyboardInterrupt"),
            Outcome::Done => panic!("the program only ends when interrupted"),
        }
        assert!(screen.contains("running grows.py"), "{screen}");
        assert!(screen.contains("in total, last"), "GC time shown: {screen}");
        assert!(screen.contains("│str "), "{screen}");
    });
}

/// The count in the `str` row of a rendered screen.
fn str_count(screen: &str) -> u32 {
    let row = screen
        .lines()
        .find(|l| l.contains("│str "))
        .unwrap_or_else(|| panic!("no str row:\n{screen}"));
    row.trim_start_matches('│')
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {row:?}"))
}

fn scratch_program() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("p14p-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join("grows.py");
    std::fs::write(&prog, GROWS).unwrap();
    prog
}

#[test]
fn inspect_once_prints_one_screen_of_a_program_on_the_pty_device() {
    let device = spawn_pty_device(&bin("p14p-device")).expect("p14p-device --pty");
    let prog = scratch_program();
    let out = Command::new(bin("p14p"))
        .args(["inspect", "--once", "--interval", "200", "--run"])
        .arg(&prog)
        .arg(&device.path)
        .env_remove("P14P_PORT")
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{screen}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        screen.lines().count(),
        30,
        "100×30 when not a terminal:\n{screen}"
    );
    assert!(
        screen.contains(&format!("@ {} running", device.path)),
        "{screen}"
    );
    assert!(str_count(&screen) > 0, "{screen}");
    // The program was stopped: the device is idle and serves a new session.
    let out = Command::new(bin("p14p"))
        .args(["inspect", "--once", &device.path])
        .env_remove("P14P_PORT")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("running"));
}

#[test]
fn inspect_once_on_the_simulator_shows_a_program_that_ended() {
    let dir = std::env::temp_dir().join(format!("p14p-inspect-end-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join("keeps.py");
    std::fs::write(
        &prog,
        "kept = ['x%d' % i for i in range(50)]\nimport gc\ngc.collect()\n",
    )
    .unwrap();
    let out = Command::new(bin("p14p"))
        .args(["inspect", "--once", "--interval", "5000", "--run"])
        .arg(&prog)
        .env_remove("P14P_PORT")
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{screen}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(screen.contains("the program ended"), "{screen}");
    assert!(str_count(&screen) >= 50, "the kept strs: {screen}");
    assert!(screen.contains("GC 1 run, "), "{screen}");
}
