//! Every input the fuzzer ever found a bug with replays clean: no panic,
//! and (for `run`) a run that ends on the interrupt. Plus a short fixed-seed
//! campaign per target, and the seed corpus itself: every image the
//! compiler makes from it passes the verifier (a verifier rule that turned
//! away the compiler's own output would be a bug too).

use p14p_device::load::{scratch_needed, verify};
use p14p_fuzz::driver::{campaign, execute, Budget, Outcome};
use p14p_fuzz::seeds::{corpus, repo_root, seed_images};
use p14p_fuzz::targets::{Verdict, TARGETS};

#[test]
fn every_saved_input_replays_clean() {
    let mut replayed = 0;
    for t in TARGETS {
        let dir = repo_root().join("fuzz/regressions").join(t.name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "bin"))
            .collect();
        files.sort();
        for f in files {
            let input = std::fs::read(&f).unwrap();
            match execute(&t, &input) {
                Outcome::Done(Verdict::Hang(why)) => panic!("{}: hang: {why}", f.display()),
                Outcome::Panic(msg) => panic!("{}: panic: {msg}", f.display()),
                Outcome::Done(_) => replayed += 1,
            }
        }
    }
    assert!(
        replayed >= TARGETS.len(),
        "only {replayed} regression inputs"
    );
}

#[test]
fn a_short_campaign_of_each_target_finds_nothing() {
    let corpus = corpus();
    for t in TARGETS {
        let s = campaign(&t, corpus, 20_261_206, Budget::Iterations(300));
        assert_eq!(s.tried, 300);
        assert_eq!((s.panics, s.hangs), (0, 0), "{}: {:?}", t.name, s.failures);
        assert!(s.rejected > 0, "{}: no input was turned away", t.name);
        assert!(s.accepted > 0, "{}: no input got through", t.name);
    }
}

#[test]
fn every_seed_image_verifies() {
    let seeds = seed_images();
    assert!(seeds.len() >= 50, "only {} seed images", seeds.len());
    for (name, img) in seeds {
        let mut scratch = vec![0u8; scratch_needed(&img).unwrap()];
        assert_eq!(verify(&img, &mut scratch), Ok(()), "{name}");
    }
}

#[test]
fn programs_that_catch_everything_still_stop() {
    // Legitimate Python that swallows every KeyboardInterrupt: the first is
    // catchable (as in CPython), the host's insisting stop is not, so the
    // run target's host (a second interrupt two polls after the first) ends
    // each of these; without the hard stop they run forever (a hang).
    let programs = [
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n",
        "while True:\n    try:\n        pass\n    finally:\n        continue\n",
        "def f():\n    while True:\n        try:\n            yield 1\n        except BaseException:\n            pass\nfor _ in f():\n    pass\n",
    ];
    let run = p14p_fuzz::targets::by_name("run").unwrap();
    for src in programs {
        let image = p14p::compile::compile(src, "catchall.py", &p14p::compile::Target::full())
            .unwrap_or_else(|e| panic!("{src}: {e:?}"))
            .image;
        match execute(&run, &image) {
            Outcome::Done(Verdict::Hang(why)) => panic!("{src}: hang: {why}"),
            Outcome::Panic(msg) => panic!("{src}: panic: {msg}"),
            Outcome::Done(_) => {}
        }
    }
}
