//! Verified images whose stack values have the wrong *type* for their
//! opcode (the verifier proves depths, not types): each run must end with a
//! Python exception, never a panic or a loop. These are the shapes the fuzz
//! harness (`fuzz/`) found or that its findings suggest.

mod support;

use p14p_device::machine::{Machine, RunOutcome};
use p14p_device::vm::{Vm, VmConfig};
use support::*;

/// Runs `body` as a module (it must leave nothing on the stack), with a
/// host that interrupts at poll 8; returns the exception type raised.
fn raised_by(body: &str) -> String {
    raised_in(&format!(
        "code <module>\n{body}\n LOAD_NONE\n RETURN_VALUE\n"
    ))
}

/// [`raised_by`] for a whole listing.
fn raised_in(src: &str) -> String {
    let mut arena = vec![0u32; 16 * 1024];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let hash = load(&mut vm, &asm(src));
    let mut host = TestHost {
        interrupt_at: Some(8),
        ..Default::default()
    };
    let r = vm.run(hash, &mut host).expect("run");
    assert!(host.polls < 12, "{} polls", host.polls);
    assert_eq!(r, RunOutcome::Raised, "output {:?}", host.text());
    exc_type(&vm)
}

#[test]
fn set_add_to_a_tuple_raises_instead_of_probing_forever() {
    let t =
        raised_by(" LOAD_INT 1\n LOAD_INT 2\n BUILD_TUPLE 2\n LOAD_INT 3\n SET_ADD 1\n POP_TOP");
    assert_eq!(t, "TypeError");
}

#[test]
fn container_opcodes_check_their_container() {
    for (build, op) in [
        ("LOAD_INT 5", "LIST_APPEND 1"),
        ("BUILD_SET 0", "LIST_EXTEND 1"),
        ("BUILD_LIST 0", "SET_ADD 1"),
        ("LOAD_NONE", "SET_UPDATE 1"),
        ("BUILD_LIST 0", "DICT_UPDATE 1"),
        ("BUILD_TUPLE 0", "DICT_MERGE 1"),
    ] {
        let t = raised_by(&format!(" {build}\n BUILD_MAP 0\n {op}\n POP_TOP"));
        assert_eq!(t, "TypeError", "{build} / {op}");
    }
    let t = raised_by(" BUILD_LIST 0\n LOAD_INT 1\n LOAD_INT 2\n MAP_ADD 1\n POP_TOP");
    assert_eq!(t, "TypeError");
}

#[test]
fn build_string_of_a_non_str_raises() {
    let t = raised_by(" LOAD_CONST 'a'\n LOAD_INT 5\n BUILD_STRING 2\n POP_TOP");
    assert_eq!(t, "TypeError");
}

#[test]
fn call_kw_with_more_names_than_arguments_raises() {
    let t =
        raised_by(" LOAD_GLOBAL print\n LOAD_INT 1\n LOAD_CONST names:a,b,c\n CALL_KW 1\n POP_TOP");
    assert_eq!(t, "TypeError");
    let t = raised_by(
        " LOAD_GLOBAL print\n LOAD_INT 1\n LOAD_INT 2\n BUILD_TUPLE 1\n CALL_KW 1\n POP_TOP",
    );
    assert_eq!(t, "TypeError");
}

#[test]
fn reraise_of_a_non_exception_ends_the_run() {
    raised_by(" LOAD_INT 5\n RERAISE");
}

#[test]
fn empty_repetitions_end_at_once_whatever_the_count() {
    for seq in ["LOAD_CONST ''", "BUILD_LIST 0", "BUILD_TUPLE 0"] {
        let t = raised_by(&format!(
            " {seq}\n LOAD_CONST int:1000000000000\n BINARY_OP Mul\n POP_TOP\n LOAD_INT 1\n LOAD_INT 0\n BINARY_OP TrueDiv\n POP_TOP"
        ));
        assert_eq!(t, "ZeroDivisionError", "{seq}");
    }
}

#[test]
fn natives_consuming_a_huge_range_reach_the_interrupt() {
    for f in ["sum", "max", "min", "all"] {
        let t = raised_by(&format!(
            " LOAD_GLOBAL {f}\n LOAD_GLOBAL range\n LOAD_INT 1\n LOAD_CONST int:1000000000\n CALL 2\n CALL 1\n POP_TOP"
        ));
        assert_eq!(t, "KeyboardInterrupt", "{f}");
    }
}

/// Issue 12's examples: `s = [v for v in range(3)]` with the comprehension's
/// `BUILD_LIST` made a `BUILD_TUPLE` (printed `<NULL>`), or its
/// `LIST_APPEND` a `SET_ADD` (an index panic).
#[test]
fn a_comprehension_on_the_wrong_container_raises() {
    for (build, add) in [
        ("BUILD_TUPLE 0", "LIST_APPEND 2"),
        ("BUILD_LIST 0", "SET_ADD 2"),
    ] {
        let src = format!(
            "code <module>
  LOAD_GLOBAL print
  MAKE_FUNCTION lc
  LOAD_GLOBAL range
  LOAD_INT 3
  CALL 1
  GET_ITER
  CALL 1
  CALL 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code lc args=1 locals=it,v
  {build}
  LOAD_FAST it
loop:
  FOR_ITER end
  STORE_FAST v
  LOAD_FAST v
  {add}
  JUMP loop
end:
  RETURN_VALUE
"
        );
        assert_eq!(raised_in(&src), "TypeError", "{build} / {add}");
    }
}

#[test]
fn make_function_checks_its_defaults_and_closure() {
    for (arg, parts) in [(2, "LOAD_INT 5"), (1, "LOAD_NONE"), (8, "BUILD_LIST 0")] {
        let src = format!(
            "code <module>
  {parts}
  MAKE_FUNCTION f {arg}
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code f args=0 kwonly=1 locals=k
  LOAD_NONE
  RETURN_VALUE
"
        );
        assert_eq!(raised_in(&src), "TypeError", "MAKE_FUNCTION {arg}");
    }
}

#[test]
fn an_except_clause_on_a_list_that_holds_itself_does_not_recurse() {
    // `a = [1]; a.append(a)`, then `try: 1 / 0` with `except a:`
    // (CHECK_EXC_MATCH on the list): no match, the ZeroDivisionError
    // escapes (it recursed through the list until the stack overflowed).
    let t = raised_by(
        " LOAD_INT 1\n BUILD_LIST 1\n STORE_NAME a\n LOAD_NAME a\n LOAD_NAME a\n LIST_APPEND 1\n POP_TOP
body:
 LOAD_INT 1\n LOAD_INT 0\n BINARY_OP TrueDiv\n POP_TOP
end:
 JUMP done
catch:
 LOAD_NAME a\n CHECK_EXC_MATCH\n POP_JUMP_IF_FALSE reraise\n POP_TOP\n JUMP done
reraise:
 RERAISE
done:
handler body end catch 0",
    );
    assert_eq!(t, "ZeroDivisionError");
}
