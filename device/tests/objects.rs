//! Objects and builtins through assembled programs.

mod support;

use p14p_device::machine::{Machine, RunOutcome};
use p14p_device::vm::{Vm, VmConfig};
use support::*;

fn out_of(src: &str) -> String {
    let mut arena = vec![0u32; 16 * 1024];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let (r, out) = run(&mut vm, src);
    assert_eq!(
        r,
        RunOutcome::Done,
        "{:?} after {out:?}",
        vm.exception_report()
    );
    out
}

#[test]
fn generators_run_under_for_and_under_natives() {
    // def gen(n): i = 0; while i < n: yield i * i; i += 1
    // for x in gen(4): print(x, end=' ')
    // print(sum(gen(5)), list(gen(3)))
    let src = "code <module>
 MAKE_FUNCTION gen
 STORE_NAME gen
 LOAD_NAME gen
 LOAD_INT 4
 CALL 1
 GET_ITER
top:
 FOR_ITER done
 STORE_NAME x
 LOAD_GLOBAL print
 LOAD_NAME x
 LOAD_CONST ' '
 LOAD_CONST names:end
 CALL_KW 2
 POP_TOP
 JUMP top
done:
 LOAD_GLOBAL print
 LOAD_GLOBAL sum
 LOAD_NAME gen
 LOAD_INT 5
 CALL 1
 CALL 1
 LOAD_GLOBAL list
 LOAD_NAME gen
 LOAD_INT 3
 CALL 1
 CALL 1
 CALL 2
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
code gen args=1 flags=generator locals=n,i
 LOAD_INT 0
 STORE_FAST i
loop:
 LOAD_FAST i
 LOAD_FAST n
 COMPARE_OP Lt
 POP_JUMP_IF_FALSE end
 LOAD_FAST i
 LOAD_FAST i
 BINARY_OP Mul
 YIELD_VALUE
 POP_TOP
 LOAD_FAST i
 LOAD_INT 1
 BINARY_OP IAdd
 STORE_FAST i
 JUMP loop
end:
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(out_of(src), "0 1 4 9 30 [0, 1, 4]\n");
}

#[test]
fn extended_slices_delete_and_assign() {
    // l = list(range(10)); del l[::2]; l[1:3] = 'ab'; print(l, l[::-1][:2], 'hello'[1:4])
    let src = "code <module>
 LOAD_GLOBAL list
 LOAD_GLOBAL range
 LOAD_INT 10
 CALL 1
 CALL 1
 STORE_NAME l
 LOAD_NAME l
 LOAD_NONE
 LOAD_NONE
 LOAD_INT 2
 BUILD_SLICE 3
 DELETE_SUBSCR
 LOAD_CONST 'ab'
 LOAD_NAME l
 LOAD_INT 1
 LOAD_INT 3
 BUILD_SLICE 2
 STORE_SUBSCR
 LOAD_GLOBAL print
 LOAD_NAME l
 LOAD_NAME l
 LOAD_NONE
 LOAD_NONE
 LOAD_INT -1
 BUILD_SLICE 3
 BINARY_SUBSCR
 LOAD_NONE
 LOAD_INT 2
 BUILD_SLICE 2
 BINARY_SUBSCR
 LOAD_CONST 'hello'
 LOAD_INT 1
 LOAD_INT 4
 BUILD_SLICE 2
 BINARY_SUBSCR
 CALL 3
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(out_of(src), "[1, 'a', 'b', 7, 9] [9, 7] ell\n");
}

#[test]
fn sorted_with_key_and_reverse_is_stable() {
    // print(sorted(['bb', 'a', 'cc', 'd'], key=len, reverse=True))
    let src = "code <module>
 LOAD_GLOBAL print
 LOAD_GLOBAL sorted
 LOAD_CONST 'bb'
 LOAD_CONST 'a'
 LOAD_CONST 'cc'
 LOAD_CONST 'd'
 BUILD_LIST 4
 LOAD_GLOBAL len
 LOAD_TRUE
 LOAD_CONST names:key,reverse
 CALL_KW 3
 CALL 1
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(out_of(src), "['bb', 'cc', 'a', 'd']\n");
}

#[test]
fn exceptions_made_by_python_keep_their_args() {
    // e = ValueError('bad', 2); print(e.args, str(ValueError('x')), repr(KeyError('k')))
    let src = "code <module>
 LOAD_GLOBAL ValueError
 LOAD_CONST 'bad'
 LOAD_INT 2
 CALL 2
 STORE_NAME e
 LOAD_GLOBAL print
 LOAD_NAME e
 LOAD_ATTR args
 LOAD_GLOBAL str
 LOAD_GLOBAL ValueError
 LOAD_CONST 'x'
 CALL 1
 CALL 1
 LOAD_GLOBAL repr
 LOAD_GLOBAL KeyError
 LOAD_CONST 'k'
 CALL 1
 CALL 1
 CALL 3
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(out_of(src), "('bad', 2) x KeyError('k')\n");
}

#[test]
fn str_and_dict_methods() {
    // print('-'.join('a b  c'.split()), ' x '.strip().upper(), {'a': 1}.get('b', 0))
    let src = "code <module>
 LOAD_GLOBAL print
 LOAD_CONST '-'
 LOAD_METHOD join
 LOAD_CONST 'a b  c'
 LOAD_METHOD split
 CALL_METHOD 0
 CALL_METHOD 1
 LOAD_CONST ' x '
 LOAD_METHOD strip
 CALL_METHOD 0
 LOAD_METHOD upper
 CALL_METHOD 0
 LOAD_CONST 'a'
 LOAD_INT 1
 BUILD_MAP 1
 LOAD_METHOD get
 LOAD_CONST 'b'
 LOAD_INT 0
 CALL_METHOD 2
 CALL 3
 POP_TOP
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(out_of(src), "a-b-c X 0\n");
}

#[test]
fn an_unreferenced_program_image_is_collected() {
    let mut arena = vec![0u32; 16 * 1024];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let padding: String = (0..200)
        .map(|i| format!(" LOAD_INT {i}\n POP_TOP\n"))
        .collect();
    let a = asm(&format!(
        "code <module>\n{padding} LOAD_NONE\n RETURN_VALUE\n"
    ));
    let b = asm(&format!(
        "code <module>\n{padding} LOAD_INT 1\n RETURN_VALUE\n"
    ));
    let ha = load(&mut vm, &a);
    vm.collect();
    let with_a = vm.heap_stats().used;
    let hb = load(&mut vm, &b);
    vm.collect();
    let with_b = vm.heap_stats().used;
    assert!(with_b < with_a + a.len() as u32 / 2, "{with_a} {with_b}");
    let mut host = TestHost::default();
    assert!(vm.run(ha, &mut host).is_err(), "image A is gone");
    assert_eq!(vm.run(hb, &mut host).unwrap(), RunOutcome::Done);
}

#[test]
fn machine_module_reads_and_writes_memory_through_the_host() {
    // import machine; machine.mem32[RAM] = 0x1234_5678
    // print(hex(machine.mem32[RAM]), machine.mem8[RAM]); machine.mem32[0]
    let src = "code <module>
 IMPORT_NAME machine
 STORE_NAME machine
 LOAD_CONST int:305419896
 LOAD_NAME machine
 LOAD_ATTR mem32
 LOAD_CONST int:536870912
 STORE_SUBSCR
 LOAD_GLOBAL print
 LOAD_GLOBAL hex
 LOAD_NAME machine
 LOAD_ATTR mem32
 LOAD_CONST int:536870912
 BINARY_SUBSCR
 CALL 1
 LOAD_NAME machine
 LOAD_ATTR mem8
 LOAD_CONST int:536870912
 BINARY_SUBSCR
 CALL 2
 POP_TOP
 LOAD_NAME machine
 LOAD_ATTR mem32
 LOAD_INT 0
 BINARY_SUBSCR
 RETURN_VALUE
";
    let mut arena = vec![0u32; 4096];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let hash = load(&mut vm, &asm(src));
    let mut host = TestHost::default();
    assert_eq!(vm.run(hash, &mut host).unwrap(), RunOutcome::Raised);
    assert_eq!(host.text(), "0x12345678 120\n");
    assert_eq!(host.mem[&RAM], 0x1234_5678);
    let rep = vm.exception_report().unwrap();
    assert_eq!((rep.exc_type, rep.detail), ("ValueError", "0x00000000"));
}

#[test]
fn classes_with_init_operators_repr_and_exception_subclasses() {
    // class Point:
    //     def __init__(self, x): self.x = x
    //     def __add__(self, o): return Point(self.x + o.x)
    //     def __repr__(self): return 'P'
    // class MyErr(ValueError): pass
    // p = Point(1) + Point(2)
    // print(p.x, repr(p), isinstance(p, Point))
    // try: raise MyErr('bad')
    // except ValueError as e: print(type(e).__name__, e.args, isinstance(e, MyErr))
    let src = "code <module>
 LOAD_BUILD_CLASS
 MAKE_FUNCTION Point
 LOAD_CONST 'Point'
 CALL 2
 STORE_NAME Point
 LOAD_BUILD_CLASS
 MAKE_FUNCTION MyErr
 LOAD_CONST 'MyErr'
 LOAD_GLOBAL ValueError
 CALL 3
 STORE_NAME MyErr
 LOAD_NAME Point
 LOAD_INT 1
 CALL 1
 LOAD_NAME Point
 LOAD_INT 2
 CALL 1
 BINARY_OP Add
 STORE_NAME p
 LOAD_GLOBAL print
 LOAD_NAME p
 LOAD_ATTR x
 LOAD_GLOBAL repr
 LOAD_NAME p
 CALL 1
 LOAD_GLOBAL isinstance
 LOAD_NAME p
 LOAD_NAME Point
 CALL 2
 CALL 3
 POP_TOP
start:
 LOAD_NAME MyErr
 LOAD_CONST 'bad'
 CALL 1
 RAISE_VARARGS 1
end:
handler_at:
 PUSH_EXC_INFO
 LOAD_GLOBAL ValueError
 CHECK_EXC_MATCH
 POP_JUMP_IF_FALSE reraise
 STORE_NAME e
 LOAD_GLOBAL print
 LOAD_GLOBAL type
 LOAD_NAME e
 CALL 1
 LOAD_ATTR __name__
 LOAD_NAME e
 LOAD_ATTR args
 LOAD_GLOBAL isinstance
 LOAD_NAME e
 LOAD_NAME MyErr
 CALL 2
 CALL 3
 POP_TOP
 POP_EXCEPT
 LOAD_NONE
 RETURN_VALUE
reraise:
 RERAISE
handler start end handler_at 0
code Point flags=class
 MAKE_FUNCTION __init__
 STORE_NAME __init__
 MAKE_FUNCTION __add__
 STORE_NAME __add__
 MAKE_FUNCTION __repr__
 STORE_NAME __repr__
 LOAD_NONE
 RETURN_VALUE
code __init__ args=2 locals=self,x
 LOAD_FAST x
 LOAD_FAST self
 STORE_ATTR x
 LOAD_NONE
 RETURN_VALUE
code __add__ args=2 locals=self,o
 LOAD_GLOBAL Point
 LOAD_FAST self
 LOAD_ATTR x
 LOAD_FAST o
 LOAD_ATTR x
 BINARY_OP Add
 CALL 1
 RETURN_VALUE
code __repr__ args=1 locals=self
 LOAD_CONST 'P'
 RETURN_VALUE
code MyErr flags=class
 LOAD_NONE
 RETURN_VALUE
";
    assert_eq!(out_of(src), "3 P True\nMyErr ('bad',) True\n");
}
