//! The device keeps serving after everything a program can throw at it:
//! an exhausted heap, runaway recursion, an endless loop stopped by an
//! interrupt. Each case runs over the in-process simulator and over the real
//! `p14p-device --pty`, then runs another program on the same connection.

use p14p::bench::spawn_pty_device;
use p14p::compile;
use p14p::program::target_for;
use p14p::session::{Outcome, Session};
use p14p::transport::{OpenOptions, Port};
use p14p_tests::{bin, open, run_on, runtime, tcp_device};
use std::time::Duration;

/// Keeps every list alive: the heap must run out.
const HOARDER: &str = "\
keep = []
while True:
    keep.append([0] * 64)
";

const RUNAWAY: &str = "\
def down(n):
    return down(n + 1)
down(0)
";

const AFTER: &str = "print(sum(range(10)), 'still serving')";

/// Allocates far more than the heap over its life, including garbage
/// cycles (self-references and pairs), and counts a lower bound of the
/// bytes it allocated: a 64-item list is at least 64 value words.
const CHURN: &str = "\
import gc
total = gc.mem_free() + gc.mem_alloc()
class Node:
    def __init__(self):
        self.me = self
        self.peer = None
made = 0
for i in range(30000):
    a = Node()
    b = Node()
    a.peer = b
    b.peer = a
    junk = [i] * 64
    made += 64 * 4
gc.collect()
print(made > 100 * total, gc.mem_alloc() < total // 2, len(junk), a.peer.peer is a)
";

async fn churn_runs_to_the_end(s: &Session) {
    let ran = run_on(s, CHURN, "churn.py").await;
    assert_eq!(ran.traceback, None);
    assert_eq!(ran.stdout, "True True 64 True\n");
}

fn last_line(traceback: &str) -> &str {
    traceback.trim_end().lines().last().unwrap_or("")
}

async fn heap_exhaustion_then_recovery(s: &Session) {
    let ran = run_on(s, HOARDER, "hoard.py").await;
    let tb = ran.traceback.expect("the hoarder must fail");
    assert_eq!(last_line(&tb), "MemoryError: out of memory", "{tb}");
    assert!(tb.contains("line 3"), "{tb}");
    assert_eq!(
        run_on(s, AFTER, "after.py").await.stdout,
        "45 still serving\n"
    );
    // The heap is usable again, not just the link: a fresh allocation-heavy
    // program completes.
    let again = run_on(
        s,
        "x = [[i] * 8 for i in range(200)]\nprint(len(x))",
        "b.py",
    )
    .await;
    assert_eq!(again.stdout, "200\n");
}

async fn runaway_recursion_then_recovery(s: &Session) {
    let ran = run_on(s, RUNAWAY, "deep.py").await;
    let tb = ran.traceback.expect("the recursion must fail");
    assert!(
        last_line(&tb).starts_with("RecursionError") || last_line(&tb).starts_with("MemoryError"),
        "{tb}"
    );
    assert_eq!(
        run_on(s, AFTER, "after.py").await.stdout,
        "45 still serving\n"
    );
}

async fn interrupt_then_recovery(s: &Session) {
    s.reset().await.unwrap();
    let target = target_for(s.info(), false);
    let compiled = compile::compile(
        "print('spinning')\nwhile True:\n    pass\n",
        "spin.py",
        &target,
    )
    .expect("compiles");
    let hash = s.load(&compiled.image, None).await.unwrap();
    let mut out = Vec::new();
    let run = s.run(hash, |b| out.extend_from_slice(b));
    let interrupt = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        s.interrupt().await
    };
    let (outcome, sent) = tokio::join!(run, interrupt);
    sent.expect("the interrupt is acknowledged");
    match outcome.expect("the run ends") {
        Outcome::Raised(e) => assert_eq!(e.exc_type, "KeyboardInterrupt"),
        Outcome::Done => panic!("an endless loop finished"),
    }
    assert_eq!(String::from_utf8_lossy(&out), "spinning\n");
    assert_eq!(
        run_on(s, AFTER, "after.py").await.stdout,
        "45 still serving\n"
    );
}

/// Catches everything, forever: the first interrupt cannot stop it.
const CATCH_ALL: &str = "\
print('spinning')
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
";

/// Loads `source` as the program; its hash.
async fn load(s: &Session, source: &str, name: &str) -> u32 {
    let target = target_for(s.info(), false);
    let compiled = compile::compile(source, name, &target).expect("compiles");
    s.load(&compiled.image, None).await.unwrap()
}

/// Runs `source`, and meanwhile `stop` (after the program printed its
/// first line): the run's outcome and output.
async fn run_stopped<F: std::future::Future<Output = ()>>(
    s: &Session,
    source: &str,
    stop: F,
) -> (Outcome, String) {
    let hash = load(s, source, "stop.py").await;
    let mut out = Vec::new();
    let run = s.run(hash, |b| out.extend_from_slice(b));
    let (outcome, ()) = tokio::join!(run, stop);
    let outcome = outcome.expect("the run ends");
    (outcome, String::from_utf8_lossy(&out).into_owned())
}

/// The catch-all loop survives one interrupt, and ends at the second,
/// whatever it catches; the device then serves the next program.
async fn second_interrupt_stops_a_catch_all_loop(s: &Session) {
    s.reset().await.unwrap();
    let stop = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        s.interrupt()
            .await
            .expect("the first interrupt is acknowledged");
        // Caught: the program keeps spinning.
        s.ping().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        s.interrupt()
            .await
            .expect("the second interrupt is acknowledged");
    };
    let (outcome, out) = run_stopped(s, CATCH_ALL, stop).await;
    match outcome {
        Outcome::Raised(e) => assert_eq!(e.exc_type, "KeyboardInterrupt"),
        Outcome::Done => panic!("an endless loop finished"),
    }
    assert_eq!(out, "spinning\n");
    assert_eq!(
        run_on(s, AFTER, "after.py").await.stdout,
        "45 still serving\n"
    );
}

/// A `Reset` during the catch-all loop ends it and resets the VM (the
/// globals are gone), then is acknowledged; the device serves on.
async fn reset_stops_a_catch_all_loop(s: &Session) {
    s.reset().await.unwrap();
    // A global the reset must clear.
    let (kept, out) = run_stopped(s, "kept = 1", async {}).await;
    assert_eq!((kept, out.as_str()), (Outcome::Done, ""));
    let hash = load(s, CATCH_ALL, "stop.py").await;
    let mut out = Vec::new();
    let run = s.run(hash, |b| out.extend_from_slice(b));
    let stop = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        s.reset().await
    };
    let (outcome, reset) = tokio::join!(run, stop);
    reset.expect("the reset is carried out during a run");
    assert!(matches!(outcome, Ok(Outcome::Raised(_))), "{outcome:?}");
    let probe = "try:\n    print(kept)\nexcept NameError:\n    print('reset')\n";
    let (_, out) = run_stopped(s, probe, async {}).await;
    assert_eq!(out, "reset\n");
}

/// CPython's semantics for the first interrupt: a program may catch it,
/// and its `finally` and `except` run.
async fn first_interrupt_is_catchable(s: &Session) {
    s.reset().await.unwrap();
    let source = "\
print('spinning')
try:
    try:
        while True:
            pass
    finally:
        print('finally')
except KeyboardInterrupt:
    print('caught')
print('after')
";
    let stop = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        s.interrupt().await.expect("acknowledged");
    };
    let (outcome, out) = run_stopped(s, source, stop).await;
    assert_eq!(outcome, Outcome::Done);
    assert_eq!(out, "spinning\nfinally\ncaught\nafter\n");
}

/// A new connection to a device stuck in a catch-all loop (its host gone)
/// gets through: the handshake stops the program.
async fn handshake_stops_a_catch_all_loop_left_running(port: &Port) {
    let s = open(port).await;
    s.reset().await.unwrap();
    let hash = load(&s, CATCH_ALL, "stop.py").await;
    let run = s.run(hash, |_| {});
    // The host gives up on the run (and the session) after a moment.
    let gave_up = tokio::time::timeout(Duration::from_millis(300), run).await;
    assert!(gave_up.is_err(), "an endless loop finished");
    drop(s);
    // The old session lets go of the port as its tasks wind down.
    let mut again = Session::open(port, &OpenOptions::default()).await;
    for _ in 0..50 {
        if again.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        again = Session::open(port, &OpenOptions::default()).await;
    }
    let again = again.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        run_on(&again, AFTER, "after.py").await.stdout,
        "45 still serving\n"
    );
}

/// The stop no program can block runs none of its code: no `finally`,
/// no `with` exit, so a file being written keeps its old content (as when
/// the device loses power).
async fn a_hard_stop_runs_no_finally_and_commits_no_file(s: &Session) {
    let old = "with open('f.txt', 'w') as f:\n    f.write('old')\n";
    let (done, out) = run_stopped(s, old, async {}).await;
    assert_eq!((done, out.as_str()), (Outcome::Done, ""));
    let source = "\
print('spinning')
with open('f.txt', 'w') as f:
    f.write('new')
    try:
        while True:
            try:
                while True:
                    pass
            except BaseException:
                pass
    finally:
        print('finally')
";
    let stop = async {
        for _ in 0..2 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            s.interrupt().await.expect("acknowledged");
        }
    };
    let (outcome, out) = run_stopped(s, source, stop).await;
    assert!(matches!(outcome, Outcome::Raised(_)), "{outcome:?}");
    assert_eq!(out, "spinning\n", "no finally ran");
    let (read, out) = run_stopped(s, "print(open('f.txt').read())", async {}).await;
    assert_eq!((read, out.as_str()), (Outcome::Done, "old\n"));
}

#[test]
fn sim_hard_stop_runs_no_finally_and_commits_no_file() {
    runtime().block_on(async {
        a_hard_stop_runs_no_finally_and_commits_no_file(&open(&Port::Sim).await).await
    });
}

#[test]
fn sim_catch_all_loop_ends_at_the_second_interrupt() {
    runtime()
        .block_on(async { second_interrupt_stops_a_catch_all_loop(&open(&Port::Sim).await).await });
}

#[test]
fn sim_catch_all_loop_ends_at_a_reset() {
    runtime().block_on(async { reset_stops_a_catch_all_loop(&open(&Port::Sim).await).await });
}

#[test]
fn sim_first_interrupt_is_catchable() {
    runtime().block_on(async { first_interrupt_is_catchable(&open(&Port::Sim).await).await });
}

#[test]
fn pty_device_left_in_a_catch_all_loop_serves_the_next_connection() {
    let device = spawn_pty_device(&bin("p14p-device")).expect("p14p-device --pty");
    let port = Port::Serial(device.path.clone());
    runtime().block_on(handshake_stops_a_catch_all_loop_left_running(&port));
}

/// The same over `p14p-device --tcp`, which the user tried: TCP is
/// a serial line there, so the next connection reaches the device that
/// still runs the program (it used to wait unanswered in the listen queue
/// until the device restarted).
#[test]
fn tcp_device_left_in_a_catch_all_loop_serves_the_next_connection() {
    let (mut device, addr) = tcp_device();
    runtime().block_on(handshake_stops_a_catch_all_loop_left_running(&Port::Tcp(
        addr,
    )));
    let _ = device.kill();
    let _ = device.wait();
}

#[test]
fn sim_collects_a_hundred_heaps_of_garbage_and_cycles() {
    runtime().block_on(async { churn_runs_to_the_end(&open(&Port::Sim).await).await });
}

#[test]
fn sim_survives_heap_exhaustion() {
    runtime().block_on(async { heap_exhaustion_then_recovery(&open(&Port::Sim).await).await });
}

#[test]
fn sim_survives_runaway_recursion() {
    runtime().block_on(async { runaway_recursion_then_recovery(&open(&Port::Sim).await).await });
}

#[test]
fn sim_endless_loop_stops_on_interrupt() {
    runtime().block_on(async { interrupt_then_recovery(&open(&Port::Sim).await).await });
}

#[test]
fn pty_device_survives_all_three_on_one_connection() {
    let device = spawn_pty_device(&bin("p14p-device")).expect("p14p-device --pty");
    runtime().block_on(async {
        let s = open(&Port::Serial(device.path.clone())).await;
        heap_exhaustion_then_recovery(&s).await;
        runaway_recursion_then_recovery(&s).await;
        interrupt_then_recovery(&s).await;
        second_interrupt_stops_a_catch_all_loop(&s).await;
        reset_stops_a_catch_all_loop(&s).await;
    });
}

/// Containers nested deeper than the device's renderer goes (24 levels: it
/// recurses on a board's small stack) raise RecursionError, as CPython does
/// at its own depth, where they used to print `...` in the middle of what
/// CPython prints in full; a program may catch it, and the device serves on.
/// (20 levels render as CPython's: conformance 75_deep_nesting.)
#[test]
fn sim_nesting_past_the_renderers_depth_raises_recursion_error() {
    let nest = "a = []\nfor i in range(30):\n    a = [a]\n";
    let uncaught = p14p_tests::run_sim(&format!("{nest}print(a)\n"), "deep.py");
    let tb = uncaught.traceback.expect("a RecursionError");
    assert_eq!(tb.lines().last(), Some("RecursionError"), "{tb}");
    let caught = p14p_tests::run_sim(
        &format!("{nest}try:\n    s = str(a)\nexcept RecursionError:\n    print('too deep')\nprint(len(repr([[1]])))\n"),
        "deep.py",
    );
    assert_eq!(
        (caught.stdout.as_str(), caught.traceback),
        ("too deep\n5\n", None)
    );
}
