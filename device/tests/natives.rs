//! A port's native module through the VM alone: a fake host lends a
//! `NativeModules` whose functions take every argument type, and the
//! programs (assembled) call them with the right and the wrong values.

#![cfg(feature = "natives")]

mod support;

use p14p_device::machine::{Host, Machine, RunOutcome};
use p14p_device::platform::{Arg, NativeError, NativeModules, Ret};
use p14p_device::vm::{Vm, VmConfig};
use p14p_protocol::msg::{DeviceError, NativeFunction, NativeModule, Width};
use p14p_protocol::seq::Seq;
use support::*;

static ECHO: &[NativeModule<'static>] = &[NativeModule {
    name: "echo",
    functions: Seq::Slice(&[
        NativeFunction::typed("show", "|ooooo"),
        NativeFunction::typed("strict", "isyb"),
        NativeFunction::typed("fail", "i"),
    ]),
}];

/// [`TestHost`] with the `echo` module.
#[derive(Default)]
struct Echo {
    host: TestHost,
    /// `show`'s description of what it received.
    text: Vec<u8>,
}

impl NativeModules for Echo {
    fn native_modules(&self) -> &'static [NativeModule<'static>] {
        ECHO
    }

    fn call(
        &mut self,
        module: usize,
        function: usize,
        args: &[Arg<'_>],
    ) -> Result<Ret<'_>, NativeError> {
        assert_eq!(module, 0);
        match function {
            0 => {
                self.text.clear();
                for a in args {
                    let item = match a {
                        Arg::None => "N".to_string(),
                        Arg::Bool(b) => format!("B{}", u8::from(*b)),
                        Arg::Int(i) => format!("I{i}"),
                        Arg::Str(s) => format!("S{}", String::from_utf8_lossy(s)),
                        Arg::Bytes(b) => format!("Y{b:?}"),
                    };
                    self.text.extend_from_slice(item.as_bytes());
                    self.text.push(b' ');
                }
                Ok(Ret::Bytes(&self.text))
            }
            1 => {
                assert!(matches!(
                    args,
                    [Arg::Int(_), Arg::Str(_), Arg::Bytes(_), Arg::Bool(_)]
                ));
                Ok(Ret::Bool(true))
            }
            _ => match args {
                [Arg::Int(0)] => Err(NativeError::Value("bad value")),
                [Arg::Int(1)] => Err(NativeError::Os("bus timeout")),
                _ => Ok(Ret::Int(i32::MIN)),
            },
        }
    }
}

impl Host for Echo {
    fn output(&mut self, bytes: &[u8]) {
        self.host.output(bytes)
    }
    fn poll_interrupt(&mut self) -> bool {
        false
    }
    fn ticks_ms(&mut self) -> u32 {
        0
    }
    fn mem_read(&mut self, addr: u32, width: Width) -> Result<u32, DeviceError> {
        self.host.mem_read(addr, width)
    }
    fn mem_write(&mut self, addr: u32, width: Width, value: u32) -> Result<(), DeviceError> {
        self.host.mem_write(addr, width, value)
    }
    fn natives(&mut self) -> Option<&mut dyn NativeModules> {
        Some(self)
    }
}

/// Runs `import echo; print(echo.FUNCTION(ARGS))` where `args` is the
/// assembly pushing the arguments, `n` of them: the output, or the
/// exception's type and detail.
fn call(function: &str, args: &str, n: usize) -> Result<String, (String, String)> {
    let src = format!(
        "code <module>
 IMPORT_NAME echo
 STORE_NAME echo
 LOAD_GLOBAL print
 LOAD_NAME echo
 LOAD_ATTR {function}
{args}
 CALL {n}
 CALL 1
 POP_TOP
 LOAD_CONST none
 RETURN_VALUE
"
    );
    let mut arena = vec![0u32; 8192];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let hash = load(&mut vm, &asm(&src));
    let mut host = Echo::default();
    match vm.run(hash, &mut host).unwrap() {
        RunOutcome::Done => Ok(host.host.text()),
        RunOutcome::Raised => {
            let r = vm.exception_report().unwrap();
            Err((r.exc_type.to_string(), r.detail.replace('\0', "|")))
        }
    }
}

#[test]
fn every_argument_type_reaches_the_port_converted() {
    let args = " LOAD_CONST none
 LOAD_CONST int:1
 LOAD_CONST int:1
 COMPARE_OP Eq
 LOAD_CONST int:-7
 LOAD_CONST 'hé'
 LOAD_GLOBAL bytes
 LOAD_INT 2
 CALL 1";
    assert_eq!(
        call("show", args, 5),
        Ok("b'N B1 I-7 Sh\\xc3\\xa9 Y[0, 0] '\n".into())
    );
    assert_eq!(call("show", "", 0), Ok("b''\n".into()));
    let strict = " LOAD_INT 1
 LOAD_CONST 's'
 LOAD_GLOBAL bytearray
 LOAD_INT 1
 CALL 1
 LOAD_INT 0";
    // An int stands for a bool (and a bool for an int).
    assert_eq!(call("strict", strict, 4), Ok("True\n".into()));
}

#[test]
fn a_wrong_type_or_count_is_a_type_error_before_the_port_sees_it() {
    let type_error = |detail: &str| Err(("TypeError".to_string(), detail.to_string()));
    let strict = |a: &str, b: &str| format!(" {a}\n LOAD_CONST 's'\n {b}\n LOAD_INT 0");
    assert_eq!(
        call("strict", &strict("LOAD_CONST 'x'", "LOAD_CONST 'y'"), 4),
        type_error("strict|1|int|str")
    );
    assert_eq!(
        call("strict", &strict("LOAD_INT 1", "LOAD_CONST 'y'"), 4),
        type_error("strict|3|bytes|str")
    );
    // `o` takes no list; a float is no int.
    assert_eq!(
        call("show", " BUILD_LIST 0", 1),
        type_error("show|1|None, bool, int, str or bytes|list")
    );
    assert_eq!(
        call("fail", " LOAD_CONST float:1.5", 1),
        type_error("fail|1|int|float")
    );
    assert_eq!(call("fail", "", 0), type_error("fail"));
    assert_eq!(
        call("show", &" LOAD_INT 1\n".repeat(6), 6),
        type_error("show")
    );
    // An int beyond 32 bits is the right type, too wide.
    assert_eq!(
        call("fail", " LOAD_CONST int:4294967296", 1).map_err(|e| e.0),
        Err("OverflowError".to_string())
    );
}

#[test]
fn a_ports_error_is_raised_and_its_result_becomes_a_value() {
    assert_eq!(
        call("fail", " LOAD_INT 0", 1),
        Err(("ValueError".into(), "bad value".into()))
    );
    assert_eq!(
        call("fail", " LOAD_INT 1", 1),
        Err(("OSError".into(), "bus timeout".into()))
    );
    // Beyond a small int: a heap int.
    assert_eq!(call("fail", " LOAD_INT 2", 1), Ok("-2147483648\n".into()));
    assert_eq!(
        call("nope", "", 0),
        Err(("AttributeError".into(), "echo|nope".into()))
    );
}
