//! Interpreter basics with hand-assembled images.

mod support;

use p14p_device::machine::{Machine, RunOutcome};
use p14p_device::vm::{Vm, VmConfig};
use support::*;

fn vm(arena: &mut [u32]) -> Vm<'_> {
    Vm::new(arena, VmConfig::default())
}

/// `print(<expr>)` around a snippet that leaves one value on the stack.
fn print_of(body: &str) -> String {
    format!(
        "code <module>\n LOAD_GLOBAL print\n{body}\n CALL 1\n POP_TOP\n LOAD_NONE\n RETURN_VALUE\n"
    )
}

fn out_of(src: &str) -> String {
    let mut arena = vec![0u32; 16 * 1024];
    let mut vm = vm(&mut arena);
    let (r, out) = run(&mut vm, src);
    assert_eq!(
        r,
        RunOutcome::Done,
        "raised {:?} with output {out:?}",
        vm.exception_report()
    );
    out
}

#[test]
fn adds_small_ints() {
    assert_eq!(
        out_of(&print_of(" LOAD_INT 2\n LOAD_INT 3\n BINARY_OP Add")),
        "5\n"
    );
}

#[test]
fn floor_division_and_modulo_follow_the_divisor_sign() {
    let cases = [
        (7, 2, 3, 1),
        (-7, 2, -4, 1),
        (7, -2, -4, -1),
        (-7, -2, 3, -1),
    ];
    for (a, b, q, r) in cases {
        let src = print_of(&format!(
            " LOAD_INT {a}\n LOAD_INT {b}\n BINARY_OP FloorDiv\n LOAD_INT {a}\n LOAD_INT {b}\n BINARY_OP Mod\n BUILD_TUPLE 2"
        ));
        assert_eq!(out_of(&src), format!("({q}, {r})\n"), "{a} {b}");
    }
}

#[test]
fn small_int_overflow_boxes_then_big_or_overflow_error_beyond_i64() {
    let src = print_of(" LOAD_CONST int:1073741823\n LOAD_INT 1\n BINARY_OP Add");
    assert_eq!(out_of(&src), "1073741824\n");
    let src = print_of(" LOAD_CONST int:4611686018427387904\n LOAD_CONST int:3\n BINARY_OP Mul");
    if cfg!(feature = "bigint") {
        assert_eq!(out_of(&src), "13835058055282163712\n");
    } else {
        // Without big ints: an error, never a wrapped result.
        let mut arena = vec![0u32; 4096];
        let mut vm = vm(&mut arena);
        let (r, _) = run(&mut vm, &src);
        assert_eq!(r, RunOutcome::Raised);
        assert_eq!(exc_type(&vm), "OverflowError");
    }
    let src = print_of(" LOAD_INT 2\n LOAD_INT 62\n BINARY_OP Pow\n LOAD_INT 1\n BINARY_OP Sub\n LOAD_INT 2\n BINARY_OP Mul");
    assert_eq!(out_of(&src), "9223372036854775806\n");
}

#[test]
fn true_division_makes_floats() {
    assert_eq!(
        out_of(&print_of(" LOAD_INT 7\n LOAD_INT 2\n BINARY_OP TrueDiv")),
        "3.5\n"
    );
    assert_eq!(
        out_of(&print_of(" LOAD_INT 1\n LOAD_INT 4\n BINARY_OP TrueDiv")),
        "0.25\n"
    );
    assert_eq!(
        out_of(&print_of(" LOAD_INT -4\n LOAD_INT 4\n BINARY_OP TrueDiv")),
        "-1.0\n"
    );
    assert_eq!(out_of(&print_of(" LOAD_CONST float:1e22")), "1e+22\n");
    assert_eq!(out_of(&print_of(" LOAD_CONST float:0.0001")), "0.0001\n");
    assert_eq!(out_of(&print_of(" LOAD_CONST float:0.00001")), "1e-05\n");
}

#[test]
fn reprs_match_cpython() {
    let src = print_of(
        " LOAD_CONST 'it''s'\n LOAD_CONST 'a\\nb'\n LOAD_INT 1\n BUILD_TUPLE 1\n LOAD_NONE\n LOAD_TRUE\n BUILD_LIST 0\n BUILD_TUPLE 0\n BUILD_LIST 7\n",
    );
    // 'it''s' in the assembler is the two-word string "its"? use a plain one instead.
    let _ = src;
    let src = "code <module>
 LOAD_GLOBAL print
 LOAD_CONST 'a\\nb'
 LOAD_INT 1
 BUILD_TUPLE 1
 LOAD_NONE
 LOAD_TRUE
 BUILD_LIST 0
 BUILD_TUPLE 0
 LOAD_CONST 'k'
 LOAD_INT -3
 BUILD_MAP 1
 BUILD_LIST 7
 CALL 1
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(
        out_of(src),
        "['a\\nb', (1,), None, True, [], (), {'k': -3}]\n"
    );
}

#[test]
fn functions_with_defaults_keywords_and_varargs() {
    // def f(a, b=10, *args, c, **kw): return (a, b, args, c, kw)
    let src = "code <module>
 LOAD_INT 10
 BUILD_TUPLE 1
 MAKE_FUNCTION f 1
 STORE_NAME f
 LOAD_GLOBAL print
 LOAD_NAME f
 LOAD_INT 1
 LOAD_INT 3
 LOAD_CONST names:c
 CALL_KW 2
 LOAD_NAME f
 LOAD_INT 1
 LOAD_INT 2
 LOAD_INT 3
 LOAD_INT 4
 LOAD_INT 5
 LOAD_INT 6
 LOAD_CONST names:c,z
 CALL_KW 6
 CALL 2
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
code f args=2 kwonly=1 flags=varargs,varkw locals=a,b,c,args,kw
 LOAD_FAST a
 LOAD_FAST b
 LOAD_FAST args
 LOAD_FAST c
 LOAD_FAST kw
 BUILD_TUPLE 5
 RETURN_VALUE
";
    assert_eq!(
        out_of(src),
        "(1, 10, (), 3, {}) (1, 2, (3, 4), 5, {'z': 6})\n"
    );
}

#[test]
fn call_ex_with_args_and_kwargs() {
    // print(*[1, 2], **{'sep': '-'})
    let src = "code <module>
 LOAD_GLOBAL print
 LOAD_INT 1
 LOAD_INT 2
 BUILD_TUPLE 2
 LOAD_CONST 'sep'
 LOAD_CONST '-'
 BUILD_MAP 1
 CALL_EX 1
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(out_of(src), "1-2\n");
}

#[test]
fn closures_share_cells() {
    // def outer(): n = 0; def inc(): nonlocal n; n += 1; return n; inc(); inc(); return n
    let src = "code <module>
 MAKE_FUNCTION outer
 STORE_NAME outer
 LOAD_GLOBAL print
 LOAD_NAME outer
 CALL 0
 CALL 1
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
code outer locals=n,inc cells=0
 LOAD_INT 0
 STORE_DEREF n
 LOAD_CLOSURE n
 BUILD_TUPLE 1
 MAKE_FUNCTION inc 8
 STORE_FAST inc
 LOAD_FAST inc
 CALL 0
 POP_TOP
 LOAD_FAST inc
 CALL 0
 POP_TOP
 LOAD_DEREF n
 RETURN_VALUE
code inc free=1 locals=n
 LOAD_DEREF n
 LOAD_INT 1
 BINARY_OP IAdd
 STORE_DEREF n
 LOAD_DEREF n
 RETURN_VALUE
";
    assert_eq!(out_of(src), "2\n");
}

#[test]
fn handler_catches_and_binds_the_exception() {
    // try: 1 // 0 except ZeroDivisionError as e: print(type(e).__name__)
    let src = "code <module>
start:
 LOAD_INT 1
 LOAD_INT 0
 BINARY_OP FloorDiv
 POP_TOP
end:
 JUMP done
handler_at:
 PUSH_EXC_INFO
 LOAD_GLOBAL ZeroDivisionError
 CHECK_EXC_MATCH
 POP_JUMP_IF_FALSE reraise
 STORE_NAME e
 LOAD_GLOBAL print
 LOAD_GLOBAL type
 LOAD_NAME e
 CALL 1
 LOAD_ATTR __name__
 CALL 1
 POP_TOP
 POP_EXCEPT
 JUMP done
reraise:
 RERAISE
done:
 LOAD_NONE
 RETURN_VALUE
handler start end handler_at 0
";
    assert_eq!(out_of(src), "ZeroDivisionError\n");
}

#[test]
fn uncaught_exception_reports_type_and_traceback() {
    let src = "code <module>
 MAKE_FUNCTION f
 STORE_NAME f
 LOAD_NAME f
 CALL 0
 RETURN_VALUE
code f
 LOAD_GLOBAL nope
 RETURN_VALUE
";
    let mut arena = vec![0u32; 4096];
    let mut vm = vm(&mut arena);
    let (r, _) = run(&mut vm, src);
    assert_eq!(r, RunOutcome::Raised);
    let rep = vm.exception_report().unwrap();
    assert_eq!(rep.exc_type, "NameError");
    assert_eq!(rep.msg, p14p_protocol::errmsg::ErrMsg::NameNotDefined);
    assert_eq!(rep.detail, "nope");
    let codes: Vec<(u16, u16)> = rep.traceback.iter().map(|e| (e.code, e.pc)).collect();
    // CALL at 6: MAKE_FUNCTION f 2 bytes (narrow), STORE_NAME 2, LOAD_NAME 2.
    assert_eq!(codes, [(0, 6), (1, 0)]);
}

/// `a op b` for two int constants, printed.
#[cfg(feature = "bigint")]
fn big(a: &str, op: &str, b: &str) -> String {
    out_of(&print_of(&format!(
        " LOAD_CONST int:{a}\n LOAD_CONST int:{b}\n BINARY_OP {op}"
    )))
    .trim_end()
    .to_string()
}

#[cfg(feature = "bigint")]
#[test]
fn big_ints_follow_cpython() {
    // Expected values from CPython 3.11.
    assert_eq!(
        big("9223372036854775807", "Add", "1"),
        "9223372036854775808"
    );
    assert_eq!(
        big("-9223372036854775808", "Sub", "1"),
        "-9223372036854775809"
    );
    assert_eq!(big("2", "Pow", "100"), "1267650600228229401496703205376");
    assert_eq!(
        big("4294967296", "Mul", "-18446744073709551616"),
        "-79228162514264337593543950336"
    );
    // Floor semantics for every sign pair.
    assert_eq!(
        big("-36893488147419103232", "FloorDiv", "7"),
        "-5270498306774157605"
    );
    assert_eq!(big("-36893488147419103232", "Mod", "7"), "3");
    assert_eq!(big("36893488147419103232", "Mod", "-7"), "-3");
    assert_eq!(
        big("-36893488147419103232", "FloorDiv", "-18446744073709551617"),
        "1"
    );
    // Shifts and two's-complement bitwise ops.
    assert_eq!(big("1", "LShift", "70"), "1180591620717411303424");
    assert_eq!(big("-1180591620717411303425", "RShift", "70"), "-2");
    assert_eq!(big("-1180591620717411303424", "And", "65535"), "0");
    assert_eq!(
        big("-1180591620717411303424", "Or", "1"),
        "-1180591620717411303423"
    );
    assert_eq!(
        big("1180591620717411303423", "Xor", "-1"),
        "-1180591620717411303424"
    );
    // Results that fit 64 bits again come back as ordinary ints.
    assert_eq!(
        big("18446744073709551616", "Sub", "18446744073709551615"),
        "1"
    );
}
