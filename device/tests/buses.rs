//! `machine`'s bus and soft-interrupt natives (`builtins/bus.rs`,
//! `vm/soft.rs`) through the VM alone: a fake port records what reaches
//! it; the programs (assembled) call `machine._bus` (set up, I2C, SPI,
//! UART) and `_irq` (`Pin.irq`, and `schedule` with no pin) with good and
//! bad arguments. Bad ones
//! are Python exceptions, never a panic, and never reach the port.

#![cfg(all(feature = "bytes", feature = "buses", feature = "soft-irq"))]

mod support;

use p14p_device::machine::{Host, Machine, RunOutcome};
use p14p_device::platform::{BusError, Gpio, I2c, Spi, Uart};
use p14p_device::vm::{Vm, VmConfig};
use p14p_protocol::msg::{DeviceError, Width};
use support::*;

/// [`TestHost`] with one of each bus (id 0) and pins 0..8, logging calls.
#[derive(Default)]
struct Fake {
    host: TestHost,
    log: Vec<String>,
    uart: Vec<u8>,
    watched: u32,
    edges: u32,
}

impl I2c for Fake {
    fn i2c_init(&mut self, bus: u32, freq: u32) -> Result<(), BusError> {
        self.log.push(format!("i2c_init {bus} {freq}"));
        if bus == 0 {
            Ok(())
        } else {
            Err(BusError::NoBus)
        }
    }
    fn i2c_transfer(&mut self, bus: u32, addr: u8, w: &[u8], r: &mut [u8]) -> Result<(), BusError> {
        self.log
            .push(format!("i2c {bus} {addr:#x} {w:?} {}", r.len()));
        match addr {
            0x10 => {
                for (i, b) in r.iter_mut().enumerate() {
                    *b = i as u8 + 1;
                }
                Ok(())
            }
            0x11 => Err(BusError::Timeout),
            _ => Err(BusError::NoDevice),
        }
    }
}

impl Spi for Fake {
    fn spi_init(&mut self, bus: u32, baud: u32, pol: bool, pha: bool) -> Result<(), BusError> {
        self.log.push(format!("spi_init {bus} {baud} {pol} {pha}"));
        Ok(())
    }
    fn spi_transfer(&mut self, _bus: u32, data: &mut [u8]) -> Result<(), BusError> {
        self.log.push(format!("spi {data:?}"));
        for b in data {
            *b = !*b;
        }
        Ok(())
    }
}

impl Uart for Fake {
    fn uart_write(&mut self, _bus: u32, data: &[u8]) -> Result<usize, BusError> {
        self.uart.extend_from_slice(data);
        Ok(data.len())
    }
    fn uart_read(&mut self, _bus: u32, buf: &mut [u8]) -> Result<usize, BusError> {
        let n = buf.len().min(self.uart.len());
        buf[..n].copy_from_slice(&self.uart[..n]);
        self.uart.drain(..n);
        Ok(n)
    }
    fn uart_any(&mut self, _bus: u32) -> Result<usize, BusError> {
        Ok(self.uart.len())
    }
}

impl Gpio for Fake {
    fn pin_irq(&mut self, pin: u32, trigger: u8) -> bool {
        self.log.push(format!("pin_irq {pin} {trigger}"));
        if trigger == 0 {
            self.watched &= !(1 << pin);
        } else {
            self.watched |= 1 << pin;
            // The edge a test wants: pending as soon as watched.
            self.edges |= 1 << pin;
        }
        pin < 8
    }
    fn irq_take(&mut self) -> u32 {
        core::mem::take(&mut self.edges) & self.watched
    }
}

impl Host for Fake {
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
    fn gpio(&mut self) -> Option<&mut dyn Gpio> {
        Some(self)
    }
    fn i2c(&mut self) -> Option<&mut dyn I2c> {
        Some(self)
    }
    fn spi(&mut self) -> Option<&mut dyn Spi> {
        Some(self)
    }
    fn uart(&mut self) -> Option<&mut dyn Uart> {
        Some(self)
    }
}

/// Runs `print(machine.FUNCTION(ARGS))` (`args`: the assembly pushing
/// `n` arguments) after `before` (assembly run first); the output (or the
/// exception's type and detail) and the port's log.
fn call_after(
    before: &str,
    function: &str,
    args: &str,
    n: usize,
) -> (Result<String, String>, Vec<String>) {
    let src = format!(
        "code <module>
 IMPORT_NAME machine
 STORE_NAME machine
{before}
 LOAD_GLOBAL print
 LOAD_NAME machine
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
    let mut host = Fake::default();
    let r = match vm.run(hash, &mut host).unwrap() {
        RunOutcome::Done => Ok(host.host.text()),
        RunOutcome::Raised => {
            let r = vm.exception_report().unwrap();
            // The detail, or the message's name when it has none.
            let detail = match r.detail {
                "" => format!("{:?}", r.msg),
                d => d.replace('\0', "|"),
            };
            Err(format!("{} {detail}", r.exc_type))
        }
    };
    (r, host.log)
}

fn call(function: &str, args: &str, n: usize) -> (Result<String, String>, Vec<String>) {
    call_after("", function, args, n)
}

/// The assembly of `_bus(op, ...)`'s arguments: `args` push the first `n`
/// of the four after `op`, zeros the rest.
fn bus_args(op: u32, args: &str, n: usize) -> String {
    let mut s = format!(" LOAD_INT {op}\n{args}");
    for _ in n..4 {
        s.push_str("\n LOAD_INT 0");
    }
    s
}

/// [`call_after`] of `_bus` op `op` (0-2: set up; 3: I2C, 4: SPI, 5: UART).
fn bus_after(before: &str, op: u32, args: &str, n: usize) -> (Result<String, String>, Vec<String>) {
    call_after(before, "_bus", &bus_args(op, args, n), 5)
}

fn bus(op: u32, args: &str, n: usize) -> (Result<String, String>, Vec<String>) {
    bus_after("", op, args, n)
}

/// The assembly pushing `bytes(n)`.
fn zeros(n: usize) -> String {
    format!(" LOAD_GLOBAL bytes\n LOAD_INT {n}\n CALL 1")
}

#[test]
fn i2c_transfers_reach_the_port_and_failures_are_negative_errnos() {
    let read = format!(" LOAD_INT 0\n LOAD_INT 16\n{}\n LOAD_INT 3", zeros(2));
    let (r, log) = bus(3, &read, 4);
    assert_eq!(r, Ok("b'\\x01\\x02\\x03'\n".into()));
    assert_eq!(log, ["i2c 0 0x10 [0, 0] 3"]);
    // A write (or probe) answers b''; a silent address -19, a timeout -110.
    let probe = |addr: u32| format!(" LOAD_INT 0\n LOAD_INT {addr}\n LOAD_CONST none\n LOAD_INT 0");
    assert_eq!(bus(3, &probe(0x10), 4).0, Ok("b''\n".into()));
    assert_eq!(bus(3, &probe(0x42), 4).0, Ok("-19\n".into()));
    assert_eq!(bus(3, &probe(0x11), 4).0, Ok("-110\n".into()));
    let (r, log) = bus(0, " LOAD_INT 3\n LOAD_INT 100\n LOAD_INT 0", 3);
    assert_eq!(
        (r, log),
        (Ok("-22\n".into()), vec!["i2c_init 3 100".into()])
    );
}

#[test]
fn bad_bus_arguments_raise_before_the_port_sees_them() {
    let i2c = |id: &str, addr: &str, w: &str, n: &str| format!(" {id}\n {addr}\n {w}\n {n}");
    let cases = [
        // A negative or too wide address, a negative or huge length.
        (
            i2c(
                "LOAD_INT 0",
                "LOAD_CONST int:-1",
                "LOAD_CONST none",
                "LOAD_INT 0",
            ),
            "ValueError",
        ),
        (
            i2c(
                "LOAD_INT 0",
                "LOAD_INT 128",
                "LOAD_CONST none",
                "LOAD_INT 0",
            ),
            "ValueError",
        ),
        (
            i2c(
                "LOAD_INT 0",
                "LOAD_INT 16",
                "LOAD_CONST none",
                "LOAD_CONST int:-5",
            ),
            "ValueError",
        ),
        (
            i2c(
                "LOAD_INT 0",
                "LOAD_INT 16",
                "LOAD_CONST none",
                "LOAD_CONST int:99999999999",
            ),
            "ValueError",
        ),
        (
            i2c(
                "LOAD_INT 0",
                "LOAD_INT 16",
                "LOAD_CONST none",
                "LOAD_CONST int:100000000",
            ),
            "MemoryError",
        ),
        // Wrong types: a str for bytes, a str id, a float length.
        (
            i2c("LOAD_INT 0", "LOAD_INT 16", "LOAD_CONST 'ab'", "LOAD_INT 0"),
            "TypeError",
        ),
        (
            i2c(
                "LOAD_CONST 'x'",
                "LOAD_INT 16",
                "LOAD_CONST none",
                "LOAD_INT 0",
            ),
            "TypeError",
        ),
        (
            i2c(
                "LOAD_CONST int:-1",
                "LOAD_INT 16",
                "LOAD_CONST none",
                "LOAD_INT 0",
            ),
            "ValueError",
        ),
        (
            i2c(
                "LOAD_INT 0",
                "LOAD_INT 16",
                "LOAD_CONST none",
                "LOAD_CONST float:1.5",
            ),
            "TypeError",
        ),
    ];
    for (args, want) in cases {
        let (r, log) = bus(3, &args, 4);
        let e = r.expect_err(&args);
        assert!(e.starts_with(want), "{args}: {e}");
        assert!(log.is_empty(), "{args}: {log:?}");
    }
    for (args, n) in [
        (bus_args(4, " LOAD_INT 0\n LOAD_CONST none", 2), 5),
        (bus_args(4, " LOAD_INT 0\n LOAD_CONST 'abc'", 2), 5),
        (" LOAD_INT 4\n LOAD_INT 0".to_string(), 2),
    ] {
        let (r, log) = call("_bus", &args, n);
        assert!(
            r.as_ref().is_err_and(|e| e.starts_with("TypeError")),
            "{args}: {r:?}"
        );
        assert!(log.is_empty());
    }
    // No op 6; an SPI mode past 3.
    let (r, log) = bus(6, " LOAD_INT 0\n LOAD_INT 1\n LOAD_INT 0", 3);
    assert!(r.is_err_and(|e| e.starts_with("ValueError")) && log.is_empty());
    let (r, _) = bus(1, " LOAD_INT 0\n LOAD_INT 1\n LOAD_INT 4", 3);
    assert!(r.is_err_and(|e| e.starts_with("ValueError")));
}

#[test]
fn spi_is_in_place_and_uart_reads_what_waits() {
    let (r, log) = bus(4, &format!(" LOAD_INT 0\n{}", zeros(2)), 2);
    assert_eq!(r, Ok("b'\\xff\\xff'\n".into()));
    assert_eq!(log, ["spi [0, 0]"]);
    let (r, log) = bus(1, " LOAD_INT 0\n LOAD_INT 1000\n LOAD_INT 3", 3);
    assert_eq!(
        (r, log),
        (Ok("0\n".into()), vec!["spi_init 0 1000 true true".into()])
    );
    let write = format!(
        " LOAD_NAME machine\n LOAD_ATTR _bus\n{}\n CALL 5\n POP_TOP",
        bus_args(5, &format!(" LOAD_INT 0\n{}", zeros(3)), 2)
    );
    // A huge count reads what waits, no more; a negative one is `any`.
    let huge = " LOAD_INT 0\n LOAD_CONST none\n LOAD_CONST int:1000000000";
    assert_eq!(
        bus_after(&write, 5, huge, 3).0,
        Ok("b'\\x00\\x00\\x00'\n".into())
    );
    let any = " LOAD_INT 0\n LOAD_CONST none\n LOAD_CONST int:-1";
    assert_eq!(bus_after(&write, 5, any, 3).0, Ok("3\n".into()));
    assert_eq!(bus(5, huge, 3).0, Ok("b''\n".into()));
}

#[test]
fn irq_and_schedule_check_their_arguments_and_queue_at_most_four() {
    let irq = |pin: &str, trigger: &str| {
        format!(" {pin}\n {trigger}\n LOAD_GLOBAL print\n LOAD_CONST 'arg'")
    };
    // The program ends before a poll: only the registration shows (the
    // next test runs a handler). Bad values raise.
    let (r, log) = call("_irq", &irq("LOAD_INT 3", "LOAD_INT 1"), 4);
    assert_eq!(r, Ok("None\n".into()));
    assert_eq!(log, ["pin_irq 3 1"]);
    for args in [
        irq("LOAD_INT 3", "LOAD_INT 4"),
        irq("LOAD_INT 3", "LOAD_CONST int:-1"),
        irq("LOAD_INT 9", "LOAD_INT 1"),
        irq("LOAD_CONST int:-2", "LOAD_INT 1"),
        irq("LOAD_CONST int:40", "LOAD_INT 1"),
        irq("LOAD_CONST 'NOPE'", "LOAD_INT 1"),
    ] {
        let (r, _) = call("_irq", &args, 4);
        assert!(
            r.as_ref().is_err_and(|e| e.starts_with("ValueError")),
            "{args}: {r:?}"
        );
    }
    // `_irq(None, 0, f, arg)` is `schedule(f, arg)`.
    let schedule = " LOAD_NAME machine\n LOAD_ATTR _irq\n LOAD_CONST none\n LOAD_INT 0\n LOAD_GLOBAL print\n LOAD_INT 7\n CALL 4\n POP_TOP\n";
    let four = schedule.repeat(4);
    let (r, _) = call_after(
        &four,
        "_irq",
        " LOAD_CONST none\n LOAD_INT 0\n LOAD_GLOBAL print\n LOAD_INT 8",
        4,
    );
    assert_eq!(r, Err("RuntimeError ScheduleFull".into()));
}

#[test]
fn a_scheduled_call_and_a_pin_handler_run_at_the_next_poll() {
    // machine._irq(None, 0, print, 'soon') (a schedule);
    // machine._irq(3, 3, print, 'edge');
    // then a loop long enough to reach a poll (2000 iterations).
    let src = "code <module>
 IMPORT_NAME machine
 STORE_NAME machine
 LOAD_NAME machine
 LOAD_ATTR _irq
 LOAD_CONST none
 LOAD_INT 0
 LOAD_GLOBAL print
 LOAD_CONST 'soon'
 CALL 4
 POP_TOP
 LOAD_NAME machine
 LOAD_ATTR _irq
 LOAD_INT 3
 LOAD_INT 3
 LOAD_GLOBAL print
 LOAD_CONST 'edge'
 CALL 4
 POP_TOP
 LOAD_GLOBAL range
 LOAD_INT 2000
 CALL 1
 GET_ITER
loop:
 FOR_ITER end
 POP_TOP
 JUMP loop
end:
 LOAD_GLOBAL print
 LOAD_CONST 'done'
 CALL 1
 POP_TOP
 LOAD_CONST none
 RETURN_VALUE
";
    let mut arena = vec![0u32; 8192];
    let mut vm = Vm::new(&mut arena, VmConfig::default());
    let hash = load(&mut vm, &asm(src));
    let mut host = Fake::default();
    assert_eq!(vm.run(hash, &mut host).unwrap(), RunOutcome::Done);
    assert_eq!(host.host.text(), "soon\nedge\ndone\n");
}
