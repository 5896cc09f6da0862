//! The device keeps serving after everything a program can throw at it:
//! an exhausted heap, runaway recursion, an endless loop stopped by an
//! interrupt. Each case runs over the in-process simulator and over the real
//! `p14p-device --pty`, then runs another program on the same connection.

use p14p::bench::spawn_pty_device;
use p14p::cli::exec::target_for;
use p14p::compile;
use p14p::session::{Outcome, Session};
use p14p::transport::Port;
use p14p_tests::{bin, open, run_on, runtime};
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
    });
}
