//! The frozen library (`lib/*.py`, `device/src/vm/frozen.rs`): cold
//! builtin-type methods found in it, bound and run in place; its modules
//! importable; a `Reset` loads them again.

mod support;

use p14p_device::machine::{Machine, RunOutcome};
use p14p_device::vm::{Vm, VmConfig};
use p14p_protocol::errmsg::ErrMsg;
use support::*;

/// `print('ab'.center(7, '*'))`, `print('-5'.zfill(4))`, and
/// `print(str.title('a b'))` (the unbound function through the type);
/// the expected output is CPython's.
const METHODS: &str = "
code <module>
 LOAD_GLOBAL print
 LOAD_CONST 'ab'
 LOAD_METHOD center
 LOAD_INT 7
 LOAD_CONST '*'
 CALL_METHOD 2
 CALL 1
 POP_TOP
 LOAD_GLOBAL print
 LOAD_CONST '-5'
 LOAD_ATTR zfill
 LOAD_INT 4
 CALL 1
 CALL 1
 POP_TOP
 LOAD_GLOBAL print
 LOAD_GLOBAL str
 LOAD_ATTR title
 LOAD_CONST 'a b'
 CALL 1
 CALL 1
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";

#[test]
fn cold_methods_run_from_the_library_and_again_after_reset() {
    let mut arena = vec![0u32; 16 * 1024];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    for _ in 0..2 {
        let (r, out) = run(&mut vm, METHODS);
        assert_eq!(r, RunOutcome::Done, "{:?}", vm.exception_report());
        assert_eq!(out, "***ab**\n-005\nA B\n");
        vm.reset();
    }
}

#[test]
fn library_modules_import_and_unknown_methods_still_raise() {
    let mut arena = vec![0u32; 16 * 1024];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let src = "
code <module>
 IMPORT_NAME _dict
 STORE_GLOBAL d
 LOAD_GLOBAL print
 LOAD_GLOBAL d
 LOAD_ATTR setdefault
 BUILD_MAP 0
 LOAD_CONST 'k'
 LOAD_INT 3
 CALL 3
 CALL 1
 POP_TOP
 LOAD_CONST 'x'
 LOAD_ATTR no_such_method
 RETURN_VALUE
";
    let (r, out) = run(&mut vm, src);
    assert_eq!(out, "3\n");
    assert_eq!(r, RunOutcome::Raised);
    assert_eq!(exc_type(&vm), "AttributeError");
}

#[test]
fn a_heap_too_small_for_the_library_raises_memory_error() {
    // 520 words: room for a program calling a native method, not for the
    // library module's tables and functions (600 are enough since frozen
    // images need no verifier scratch and plain functions are 6 words;
    // 650 were since its functions need no code constants; 800 were: its
    // names and strs stay in flash; with heap copies 1000 were).
    let native = "
code <module>
 LOAD_GLOBAL print
 LOAD_CONST 'ab'
 LOAD_METHOD upper
 CALL_METHOD 0
 CALL 1
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";
    let mut arena = vec![0u32; 520];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let (r, out) = run(&mut vm, native);
    assert_eq!((r, out.as_str()), (RunOutcome::Done, "AB\n"));
    vm.reset();
    let (r, _) = run(&mut vm, METHODS);
    assert_eq!(
        (r, exc_type(&vm).as_str()),
        (RunOutcome::Raised, "MemoryError")
    );
}

/// `raise _err(cls, msg, detail)`, the frozen library's raise (the host's
/// compiler puts the message's number where `lib/` wrote its text): the
/// exception is `cls` with that numbered message and detail, as the VM's
/// own; anything else given to `_err` is a TypeError, not a bad message.
#[test]
fn the_library_raises_numbered_messages() {
    let raise = |cls: &str, msg: u32, detail: &str| {
        format!(
            "
code <module>
 LOAD_GLOBAL _err
 LOAD_GLOBAL {cls}
 LOAD_INT {msg}
 {detail}
 CALL 3
 RAISE_VARARGS 1
"
        )
    };
    let mut arena = vec![0u32; 4 * 1024];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let not_an_int = ErrMsg::NotAnInt as u32;
    let (r, _) = run(
        &mut vm,
        &raise("TypeError", not_an_int, "LOAD_CONST 'float'"),
    );
    assert_eq!(r, RunOutcome::Raised);
    let e = vm.exception_report().expect("an exception");
    assert_eq!(
        (e.exc_type, e.msg, e.detail),
        ("TypeError", ErrMsg::NotAnInt, "float")
    );
    for bad in [
        raise("len", not_an_int, "LOAD_NONE"),
        raise("TypeError", ErrMsg::COUNT, "LOAD_NONE"),
        raise("TypeError", not_an_int, "LOAD_INT 5"),
    ] {
        vm.reset();
        let (r, _) = run(&mut vm, &bad);
        assert_eq!(
            (r, exc_type(&vm).as_str()),
            (RunOutcome::Raised, "TypeError"),
            "{bad}"
        );
        let e = vm.exception_report().expect("an exception");
        assert_eq!(e.msg, ErrMsg::ArgType, "{bad}");
    }
}
