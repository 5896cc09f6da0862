//! `time` and `sys` where only MicroPython defines the behaviour (CPython
//! has no ticks_* and prints a traceback for nothing here): the ticks'
//! wrap at MicroPython's TICKS_PERIOD (2**30), Ctrl-C in a sleep, and an
//! uncaught `SystemExit` ending a run quietly.

use p14p::compile;
use p14p::program::target_for;
use p14p::session::Outcome;
use p14p::transport::Port;
use p14p_tests::{bin, open, run_sim, runtime};
use std::time::{Duration, Instant};

/// MicroPython's documented ticks arithmetic: `ticks_add` wraps modulo
/// TICKS_PERIOD, `ticks_diff` is signed across the wrap, and the ticks
/// are within TICKS_MAX.
#[test]
fn ticks_wrap_at_the_period() {
    let src = "import time\n\
               from time import ticks_add, ticks_diff\n\
               M = 2**30 - 1\n\
               print(ticks_add(M, 1), ticks_add(0, -1) == M, ticks_add(5, 10))\n\
               print(ticks_diff(0, M), ticks_diff(M, 0), ticks_diff(ticks_add(M, 5), M))\n\
               print(ticks_diff(2**29, 0), ticks_diff(2**29 - 1, 0))\n\
               t = (time.ticks_ms(), time.ticks_us(), time.ticks_cpu())\n\
               print(all(0 <= x <= M for x in t))\n\
               u = time.ticks_us()\n\
               time.sleep_us(1500)\n\
               print(ticks_diff(time.ticks_us(), u) >= 1500)\n";
    let ran = run_sim(src, "ticks.py");
    assert_eq!(ran.traceback, None);
    assert_eq!(
        ran.stdout,
        "0 True 15\n1 -1 5\n-536870912 536870911\nTrue\nTrue\n"
    );
}

/// `time.sleep(100)` ends at a Ctrl-C with KeyboardInterrupt, long before
/// the hundred seconds.
#[test]
fn an_interrupt_ends_a_sleep() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        s.reset().await.unwrap();
        let target = target_for(s.info(), false);
        let c = compile::compile(
            "import time\nprint('asleep')\ntime.sleep(100)\n",
            "s.py",
            &target,
        )
        .expect("compiles");
        let hash = s.load(&c.image, None).await.unwrap();
        let start = Instant::now();
        let mut out = Vec::new();
        let run = s.run(hash, |b| out.extend_from_slice(b));
        let interrupt = async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            s.interrupt().await
        };
        let (outcome, sent) = tokio::join!(run, interrupt);
        sent.expect("the interrupt is acknowledged");
        match outcome.expect("the run ends") {
            Outcome::Raised(e) => assert_eq!(e.exc_type, "KeyboardInterrupt"),
            Outcome::Done => panic!("the sleep was not interrupted"),
        }
        assert!(start.elapsed() < Duration::from_secs(20));
        assert_eq!(String::from_utf8_lossy(&out), "asleep\n");
    });
}

/// `sys.exit(code)` ends `p14p run` without a traceback, its status the
/// code; `sys.print_exception` prints the exception's line.
#[test]
fn sys_exit_ends_a_run_quietly() {
    let dir = p14p_tests::scratch_dir("time_sys", "exit");
    let file = dir.join("exit.py");
    std::fs::write(
        &file,
        "import sys\nsys.print_exception(ValueError('bad'))\nprint('before')\nsys.exit(3)\nprint('after')\n",
    )
    .unwrap();
    let out = std::process::Command::new(bin("p14p"))
        .args(["run", "-p", "sim"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ValueError: bad\nbefore\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(3));
}
