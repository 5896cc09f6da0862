//! Heap behaviour: collection, MemoryError, deep graphs, recursion limits,
//! interrupts.

mod support;

use p14p_device::machine::{Machine, RunOutcome};
use p14p_device::vm::{Vm, VmConfig};
use support::*;

const PRINT_NONE: &str = " LOAD_NONE\n RETURN_VALUE\n";

#[test]
fn gc_reclaims_garbage_in_a_loop_allocating_far_more_than_the_heap() {
    // for i in range(N): x = [i, i, i, i, i, i, i, i]   (~16 words each)
    // 16 KiB arena; allocates ~100x that.
    let src = format!(
        "code <module>
 LOAD_GLOBAL range
 LOAD_CONST int:13000
 CALL 1
 GET_ITER
top:
 FOR_ITER done
 STORE_NAME i
 LOAD_NAME i
 LOAD_NAME i
 LOAD_NAME i
 LOAD_NAME i
 LOAD_NAME i
 LOAD_NAME i
 LOAD_NAME i
 LOAD_NAME i
 BUILD_LIST 8
 STORE_NAME x
 JUMP top
done:
 LOAD_GLOBAL print
 LOAD_NAME x
 CALL 1
 POP_TOP
{PRINT_NONE}"
    );
    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let (r, out) = run(&mut vm, &src);
    assert_eq!(r, RunOutcome::Done, "{:?}", vm.exception_report());
    assert_eq!(
        out,
        "[12999, 12999, 12999, 12999, 12999, 12999, 12999, 12999]\n"
    );
    assert!(vm.heap_stats().gc_runs > 10, "{:?}", vm.heap_stats());
}

#[test]
fn memory_error_when_live_data_exceeds_the_heap_then_the_vm_still_works() {
    // def f(): x = []; while True: x.append([0] * 8)
    let src = "code <module>
 MAKE_FUNCTION f
 STORE_NAME f
 LOAD_NAME f
 CALL 0
 RETURN_VALUE
code f locals=x
 BUILD_LIST 0
 STORE_FAST x
top:
 LOAD_FAST x
 LOAD_METHOD append
 LOAD_INT 0
 BUILD_LIST 1
 LOAD_INT 8
 BINARY_OP Mul
 CALL_METHOD 1
 POP_TOP
 JUMP top
";
    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let (r, _) = run(&mut vm, src);
    assert_eq!(r, RunOutcome::Raised);
    assert_eq!(exc_type(&vm), "MemoryError");
    // The list died with f's frame: a fresh program on the same VM runs.
    let (r, out) = run(
        &mut vm,
        "code <module>
 LOAD_GLOBAL print
 LOAD_INT 40
 LOAD_INT 2
 BINARY_OP Add
 LOAD_INT 10
 BUILD_LIST 1
 LOAD_INT 100
 BINARY_OP Mul
 LOAD_GLOBAL len
 SWAP 2
 CALL 1
 CALL 2
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
",
    );
    assert_eq!(r, RunOutcome::Done, "{:?}", vm.exception_report());
    assert_eq!(out, "42 100\n");
}

/// `def f(n): return f(n + 1)` then `f(0)`: recursion without end.
const UNBOUNDED_RECURSION: &str = "code <module>
 MAKE_FUNCTION f
 STORE_NAME f
 LOAD_NAME f
 LOAD_INT 0
 CALL 1
 RETURN_VALUE
code f args=1 locals=n
 LOAD_GLOBAL f
 LOAD_FAST n
 LOAD_INT 1
 BINARY_OP Add
 CALL 1
 RETURN_VALUE
";

#[test]
fn unbounded_recursion_raises_recursion_error_and_the_vm_recovers() {
    let src = UNBOUNDED_RECURSION;
    let mut arena = vec![0u32; 64 * 1024];
    let mut vm = Vm::new(
        &mut arena,
        VmConfig {
            recursion_limit: 100,
        },
    );
    let (r, _) = run(&mut vm, src);
    assert_eq!(r, RunOutcome::Raised);
    assert_eq!(exc_type(&vm), "RecursionError");
    let rep = vm.exception_report().unwrap();
    assert_eq!(rep.traceback.len(), 16, "first and last 8 kept");
    assert_eq!(rep.elided as usize, 100 - 16);
    let (r, out) = run(
        &mut vm,
        "code <module>\n LOAD_GLOBAL print\n LOAD_INT 7\n CALL 1\n RETURN_VALUE\n",
    );
    assert_eq!(r, RunOutcome::Done);
    assert_eq!(out, "7\n");
}

#[test]
fn keyboard_interrupt_when_the_host_asks() {
    let src = "code <module>
top:
 JUMP top
";
    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let img = asm(src);
    let hash = load(&mut vm, &img);
    let mut host = TestHost {
        interrupt_at: Some(3),
        ..Default::default()
    };
    assert_eq!(vm.run(hash, &mut host).unwrap(), RunOutcome::Raised);
    assert_eq!(exc_type(&vm), "KeyboardInterrupt");
    assert_eq!(host.polls, 3);
}

#[test]
fn a_10000_long_chain_of_lists_is_marked_without_stack_overflow() {
    // x = None; for i in range(10000): x = [x]; then force collections.
    let src = "code <module>
 LOAD_NONE
 STORE_NAME x
 LOAD_GLOBAL range
 LOAD_CONST int:10000
 CALL 1
 GET_ITER
top:
 FOR_ITER done
 POP_TOP
 LOAD_NAME x
 BUILD_LIST 1
 STORE_NAME x
 JUMP top
done:
 LOAD_NONE
 RETURN_VALUE
";
    let mut arena = vec![0u32; 64 * 1024];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let (r, _) = run(&mut vm, src);
    assert_eq!(r, RunOutcome::Done, "{:?}", vm.exception_report());
    let before = vm.heap_stats();
    vm.collect();
    let after = vm.heap_stats();
    // The chain survives: every list and its array are still there.
    assert!(after.objects >= 20_000, "{before:?} {after:?}");
    // Dropping it frees it.
    let (r, _) = run(
        &mut vm,
        "code <module>\n LOAD_NONE\n STORE_NAME x\n LOAD_NONE\n RETURN_VALUE\n",
    );
    assert_eq!(r, RunOutcome::Done);
    vm.collect();
    assert!(vm.heap_stats().objects < 1000, "{:?}", vm.heap_stats());
}

#[test]
fn reset_drops_globals_and_images() {
    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let (r, _) = run(
        &mut vm,
        "code <module>\n LOAD_INT 1\n STORE_NAME y\n LOAD_NONE\n RETURN_VALUE\n",
    );
    assert_eq!(r, RunOutcome::Done);
    vm.reset();
    let (r, _) = run(&mut vm, "code <module>\n LOAD_NAME y\n RETURN_VALUE\n");
    assert_eq!(r, RunOutcome::Raised);
    assert_eq!(exc_type(&vm), "NameError");
}

/// A clock that advances 5 µs at every reading.
fn five_us_per_read() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NOW: AtomicU32 = AtomicU32::new(0);
    NOW.fetch_add(5, Ordering::Relaxed)
}

#[test]
fn collections_are_timed_with_the_clock_the_port_lends() {
    use p14p_protocol::version::feature;
    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    assert_eq!(vm.features() & feature::GC_TIME, 0, "no clock, no times");
    vm.collect();
    let s = vm.heap_stats();
    assert_eq!((s.gc_runs, s.gc_us, s.gc_last_us), (1, 0, 0));

    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default()).with_clock(five_us_per_read);
    assert_ne!(vm.features() & feature::GC_TIME, 0);
    vm.collect();
    vm.collect();
    vm.reset();
    vm.collect();
    let s = vm.heap_stats();
    // Two readings per collection, 5 µs apart; a reset keeps the totals.
    assert_eq!((s.gc_runs, s.gc_us, s.gc_last_us), (3, 15, 5));
}

#[test]
fn lookup_caches_come_off_a_large_arena_and_a_small_one_runs_without() {
    // x = 0
    // for i in range(50): x = x + len('ab'.upper())
    // print(x)
    let src = format!(
        "code <module>
 LOAD_INT 0
 STORE_NAME x
 LOAD_GLOBAL range
 LOAD_INT 50
 CALL 1
 GET_ITER
top:
 FOR_ITER done
 STORE_NAME i
 LOAD_NAME x
 LOAD_GLOBAL len
 LOAD_CONST 'ab'
 LOAD_METHOD upper
 CALL_METHOD 0
 CALL 1
 BINARY_OP Add
 STORE_NAME x
 JUMP top
done:
 LOAD_GLOBAL print
 LOAD_NAME x
 CALL 1
 POP_TOP
{PRINT_NONE}"
    );
    // The temp roots' 32 words and the traceback's 32 (28 of the 968 words
    // left of 1000: at most a 32nd) come off the end of every arena; the
    // caches' 144 words off one of 4096 words, but one of 1000 words is too
    // small to spare them and keeps them for its heap.
    for (words, heap_words) in [(4096, 4096 - 32 - 32 - 144), (1000, 1000 - 32 - 28)] {
        let mut arena = vec![0u32; words];
        let mut vm = Vm::new(&mut arena, VmConfig::default());
        assert_eq!(vm.heap_bytes(), heap_words * 4);
        let (r, out) = run(&mut vm, &src);
        assert_eq!(r, RunOutcome::Done, "{:?}", vm.exception_report());
        assert_eq!(out, "100\n");
        // A reset keeps the heap it has (the tables are not carved twice).
        vm.reset();
        assert_eq!(vm.heap_bytes(), heap_words * 4);
        let (r, out) = run(&mut vm, &src);
        assert_eq!((r, out.as_str()), (RunOutcome::Done, "100\n"));
    }
}

#[test]
fn the_exception_report_lives_in_the_heap_through_collections() {
    // raise ValueError('ab' * 3)
    let src = "code <module>
 LOAD_GLOBAL ValueError
 LOAD_CONST 'ab'
 LOAD_INT 3
 BINARY_OP Mul
 CALL 1
 RAISE_VARARGS 1
";
    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let (r, _) = run(&mut vm, src);
    assert_eq!(r, RunOutcome::Raised);
    // The exception and its argument are garbage now; the report's class
    // and rendered detail are not.
    vm.collect();
    vm.collect();
    let rep = vm.exception_report().unwrap();
    assert_eq!((rep.exc_type, rep.detail), ("ValueError", "ababab"));
    vm.reset();
    assert!(vm.exception_report().is_none());
}

/// `f(n)`: `g(n - 1)` while `n`, else `1 // 0`; `g(n)`: `f(n)`. A raise
/// from `f(n)` has `2n + 2` frames: the module's, then `f` and `g` by turns,
/// then the innermost `f` at its division. `n` is a constant, not a
/// `LOAD_INT` (whose length depends on `n`: `LOAD_INT 1` is one byte), so
/// the module's pc is the same for every `n`.
fn mutual_recursion(n: u32) -> String {
    format!(
        "code <module>
 MAKE_FUNCTION f
 STORE_NAME f
 MAKE_FUNCTION g
 STORE_NAME g
 LOAD_NAME f
 LOAD_CONST int:{n}
 CALL 1
 RETURN_VALUE
code f args=1 locals=n
 LOAD_FAST n
 POP_JUMP_IF_FALSE bottom
 LOAD_GLOBAL g
 LOAD_FAST n
 LOAD_INT 1
 BINARY_OP Sub
 CALL 1
 RETURN_VALUE
bottom:
 LOAD_INT 1
 LOAD_INT 0
 BINARY_OP FloorDiv
 RETURN_VALUE
code g args=1 locals=n
 LOAD_GLOBAL f
 LOAD_FAST n
 CALL 1
 RETURN_VALUE
"
    )
}

/// The report of the run of `src` on a reset `vm` (a small heap holds one
/// program at a time): `(code, pc)` entries and `elided`.
fn traceback_of(vm: &mut Vm, src: &str) -> (Vec<(u16, u16)>, u16) {
    vm.reset();
    let (r, _) = run(vm, src);
    assert_eq!(r, RunOutcome::Raised);
    let rep = vm.exception_report().unwrap();
    assert_eq!(rep.exc_type, "ZeroDivisionError", "{:?}", vm.heap_stats());
    let entries = rep.traceback.iter().map(|e| (e.code, e.pc)).collect();
    (entries, rep.elided)
}

#[test]
fn deep_tracebacks_keep_the_outermost_and_innermost_frames_in_order() {
    // 4096 words keep 8 entries at each end (the traceback's 32 words off
    // the arena); 1055 words (1023 after the temp roots) keep 7 (28 words:
    // at most a 32nd), and have heap for f(8) (18 frames: 4 elided).
    for (words, keep, deep) in [(4096, 8, 20), (1055, 7, 8)] {
        let mut arena = vec![0u32; words];
        let mut vm = Vm::new(&mut arena, VmConfig::default());
        // f(1): module, f, g, f at the division: the four distinct entries.
        let (shallow, elided) = traceback_of(&mut vm, &mutual_recursion(1));
        assert_eq!((shallow.len(), elided), (4, 0), "{words} words");
        let [m, f, g, d] = [shallow[0], shallow[1], shallow[2], shallow[3]];
        for n in [keep as u32 - 1, keep as u32, keep as u32 + 1, deep] {
            let mut all = vec![m];
            for _ in 0..n {
                all.extend([f, g]);
            }
            all.push(d);
            let mut want = all.clone();
            if all.len() > 2 * keep {
                want = all[..keep].to_vec();
                want.extend(&all[all.len() - keep..]);
            }
            let elided = all.len().saturating_sub(2 * keep) as u16;
            assert_eq!(
                traceback_of(&mut vm, &mutual_recursion(n)),
                (want, elided),
                "{words} words, f({n})"
            );
        }
        // The VM still runs after a deep raise.
        let (r, out) = run(
            &mut vm,
            "code <module>\n LOAD_GLOBAL print\n LOAD_INT 7\n CALL 1\n RETURN_VALUE\n",
        );
        assert_eq!((r, out.as_str()), (RunOutcome::Done, "7\n"));
    }
}

#[test]
fn a_small_arena_keeps_fewer_traceback_entries_and_counts_the_rest() {
    // With a recursion limit of 3.
    let recursion = UNBOUNDED_RECURSION;
    let divide = "code <module>\n LOAD_INT 1\n LOAD_INT 0\n BINARY_OP FloorDiv\n RETURN_VALUE\n";
    let config = VmConfig { recursion_limit: 3 };
    let report = |vm: &mut Vm, src: &str| {
        let (r, _) = run(vm, src);
        assert_eq!(r, RunOutcome::Raised);
        let rep = vm.exception_report().unwrap();
        let entries: Vec<_> = rep.traceback.iter().collect();
        (rep.exc_type.to_string(), entries, rep.elided)
    };
    // The whole traceback, from an arena that keeps 8 entries at each end.
    let mut arena = vec![0u32; 4096];
    let (exc, full, elided) = report(&mut Vm::new(&mut arena, config), recursion);
    assert_eq!((exc.as_str(), elided), ("RecursionError", 0));
    assert!(full.len() > 2, "{full:?}");
    // 287 words, 255 after the temp roots, keep 1 entry at each end (4
    // words off the arena): the outermost and the innermost.
    let mut arena = vec![0u32; 287];
    let mut vm = Vm::new(&mut arena, config);
    assert_eq!(vm.heap_bytes(), (287 - 32 - 4) * 4);
    let want = vec![full[0], full[full.len() - 1]];
    let elided = (full.len() - 2) as u16;
    assert_eq!(report(&mut vm, recursion), (exc, want, elided));
    // 150 words, 118 after the temp roots: no entries, all counted.
    let mut arena = vec![0u32; 150];
    let mut vm = Vm::new(&mut arena, config);
    assert_eq!(vm.heap_bytes(), (150 - 32) * 4);
    let (exc, entries, elided) = report(&mut vm, divide);
    assert_eq!(
        (exc.as_str(), entries, elided),
        ("ZeroDivisionError", vec![], 1)
    );
}

/// `gc`'s policy lives in the free lists' two unused slots: a threshold
/// is reached after that many words, a collection starts the count again
/// and keeps the policy, disabling hides the threshold, allocation of
/// the smallest blocks is unaffected, and `clear` (a `Reset`) restores
/// the boot policy: a quarter of the heap ([`BOOT_THRESHOLD_SHARE`]).
#[test]
fn the_gc_policy_survives_sweeps_and_allocation_and_a_clear_restores_it() {
    use p14p_device::heap::{Heap, BOOT_THRESHOLD_SHARE, NO_LIMIT};
    let mut arena = vec![0u32; 1024];
    let mut heap = Heap::new(&mut arena);
    assert!(heap.auto_collect());
    assert_eq!(BOOT_THRESHOLD_SHARE, 4);
    assert_eq!(heap.threshold(), 256, "a quarter of the heap at boot");
    assert!(!heap.charge(256), "0 counted before");
    assert!(heap.charge(1), "256 counted before: reached");
    heap.set_threshold(NO_LIMIT);
    heap.recharge(0);
    assert!(!heap.charge(1000), "no threshold: never reached");
    heap.set_threshold(10);
    heap.sweep();
    assert_eq!(heap.threshold(), 10, "a sweep keeps the policy");
    assert!(!heap.charge(6), "0 counted before");
    assert!(!heap.charge(4), "6 counted before");
    assert!(heap.charge(2), "10 counted before: reached");
    heap.set_auto_collect(false);
    assert!(!heap.auto_collect());
    assert_eq!(heap.threshold(), 10);
    assert!(!heap.charge(2), "disabled: never reached");
    // The smallest blocks come and go through their lists as before.
    for _ in 0..100 {
        let w = heap.alloc(1, 2).unwrap();
        heap.free(w);
    }
    heap.sweep();
    assert!(
        !heap.auto_collect(),
        "the allocations left the policy alone"
    );
    assert_eq!(heap.threshold(), 10);
    heap.clear();
    assert!(heap.auto_collect());
    assert_eq!(heap.threshold(), 256);
}
