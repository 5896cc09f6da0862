//! Collections during a run (protocol 4): the link asks the VM to collect
//! at its next poll, between two instructions. These tests check the claim
//! that a poll is a safe point: a collection at *every* poll leaves every
//! conformance program's output unchanged, and a `Collect` from the host
//! during a run is answered while the program goes on to print the right
//! result.

use p14p::compile;
use p14p::transport::Port;
use p14p_device::heap::Heap;
use p14p_device::{Host, Machine, Poll, RunOutcome};
use p14p_protocol::errmsg::ErrMsg;
use p14p_protocol::msg::{DeviceError, Width};
use p14p_tests::{open, runtime, sim_target};
use std::path::{Path, PathBuf};

/// A host that asks for a collection at every poll and counts them.
#[derive(Default)]
struct CollectEveryPoll {
    out: Vec<u8>,
    asked: u32,
    collected: u32,
    /// The heap's collection count seen at the last `collected`.
    gc_runs: u32,
    /// The clock [`Host::ticks_ms`] reads.
    ms: u32,
    /// `eval`/`exec`'s code, compiled as the host's session does.
    answers: p14p::session::dynamic::Answers,
}

impl Host for CollectEveryPoll {
    fn output(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
    fn poll_interrupt(&mut self) -> bool {
        false
    }
    fn poll_with_heap(&mut self, _heap: &Heap<'_>) -> Poll {
        self.asked += 1;
        Poll::Collect
    }
    fn collected(&mut self, heap: &Heap<'_>) {
        self.collected += 1;
        assert!(heap.gc_runs > self.gc_runs, "a collection ran");
        self.gc_runs = heap.gc_runs;
    }
    /// A clock that moves a millisecond per reading, so that the
    /// corpus's sleeps (which poll it) end.
    fn ticks_ms(&mut self) -> u32 {
        self.ms = self.ms.wrapping_add(1);
        self.ms
    }
    fn mem_read(&mut self, _addr: u32, _width: Width) -> Result<u32, DeviceError> {
        Err(DeviceError::BadAddress)
    }
    fn mem_write(&mut self, _addr: u32, _width: Width, _value: u32) -> Result<(), DeviceError> {
        Err(DeviceError::BadAddress)
    }
    /// As the host's session answers (`eval`'s code in the corpus).
    fn compile(&mut self, eval: bool, offset: u32, source: &[u8], out: &mut [u8]) -> Option<usize> {
        let source = String::from_utf8_lossy(source);
        let bytes = self
            .answers
            .answer(eval, offset, &source, &sim_target(), out.len());
        out[..bytes.len()].copy_from_slice(bytes);
        Some(bytes.len())
    }
    /// As the host's session answers (the message texts live there).
    fn expand(&mut self, msg: ErrMsg, detail: &[u8], out: &mut [u8]) -> Option<usize> {
        let text = p14p::session::expansion(msg, &String::from_utf8_lossy(detail));
        let n = text.len().min(out.len());
        out[..n].copy_from_slice(&text.as_bytes()[..n]);
        Some(n)
    }
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

#[test]
fn a_collection_at_every_poll_changes_no_program_output() {
    let mut arena = vec![0u32; 64 * 1024 / 4];
    let mut vm = p14p_port_posix::machine::new_machine(&mut arena);
    // What the simulator offers (its own manifest).
    let target = sim_target();
    let mut total = 0;
    let mut failures = Vec::new();
    for py in corpus() {
        let name = py.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&py).unwrap();
        let want = std::fs::read_to_string(py.with_extension("exp")).unwrap();
        let compiled = compile::compile(&source, &name, &target)
            .unwrap_or_else(|_| panic!("{name} does not compile"));
        vm.reset();
        // The carried library modules it imports, as the host would send
        // them to a device without a store: named images in RAM.
        for module in p14p::modules::library_needed(&compiled, &target) {
            let (_, lib) = p14p::library::carried(module).unwrap();
            vm.image_begin(lib.image.len() as u32, lib.hash, Some(module))
                .unwrap();
            vm.image_write(0, &lib.image).unwrap();
            vm.image_end().unwrap();
        }
        let image = &compiled.image;
        vm.image_begin(image.len() as u32, compiled.hash, None)
            .unwrap();
        vm.image_write(0, image).unwrap();
        let hash = vm.image_end().unwrap();
        let mut host = CollectEveryPoll::default();
        let outcome = vm.run(hash, &mut host).unwrap();
        assert_eq!(host.collected, host.asked, "{name}: every request served");
        total += host.collected;
        let out = String::from_utf8_lossy(&host.out);
        if outcome != RunOutcome::Done || out != want {
            let exc = vm.exception_report().map(|r| r.exc_type.to_string());
            failures.push(format!("{name}: {outcome:?} {exc:?}\n{out}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(total > 20, "the corpus ran {total} polls: too few to test");
}

/// Builds live data, then churns garbage until interrupted; the sums of
/// the live data show it survived every collection.
const CHURN: &str = "\
keep = [[i] * 4 for i in range(100)]
names = {'k%d' % i: i for i in range(50)}
print('started')
n = 0
try:
    while True:
        junk = [str(i) for i in range(20)]
        n += 1
        if keep[7][3] + names['k7'] != 14:
            print('live data changed')
except KeyboardInterrupt:
    pass
print(sum(sum(k) for k in keep), sum(names.values()), len(junk))
";

#[test]
fn collect_during_a_run_is_answered_and_the_program_ends_right() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        let target = p14p::program::target_for(s.info(), false);
        let compiled = compile::compile(CHURN, "churn.py", &target).unwrap();
        let hash = s.load(&compiled.image, None).await.unwrap();
        let before = s.heap_stats().await.unwrap();
        let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel();
        let mut out = Vec::new();
        let run = s.run(hash, |b| {
            out.extend_from_slice(b);
            let _ = started_tx.send(());
        });
        let host = async {
            started.recv().await.unwrap();
            // The program loops until interrupted, so this is mid-run.
            let stats = s.collect().await.expect("Collect is served during a run");
            s.interrupt().await.unwrap();
            stats
        };
        let (outcome, stats) = tokio::join!(run, host);
        assert!(matches!(outcome, Ok(p14p::session::Outcome::Done)));
        assert_eq!(
            String::from_utf8_lossy(&out),
            "started\n19800 1225 20\n",
            "the live data survived"
        );
        assert!(stats.gc_runs > before.gc_runs, "{stats:?}");
        // The total time includes the last collection's.
        assert!(stats.gc_us >= before.gc_us + u64::from(stats.gc_last_us));
        let after = s.heap_stats().await.unwrap();
        assert!(after.gc_runs >= stats.gc_runs);
        assert!(
            s.info().features & p14p_protocol::version::feature::GC_TIME != 0,
            "the simulator times its collections"
        );
    });
}
