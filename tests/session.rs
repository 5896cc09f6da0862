//! Programs through the host library: the in-process simulator, and the real
//! `p14p-device --pty` binary opened through the serial transport.

use p14p::bench::spawn_pty_device;
use p14p::transport::Port;
use p14p_protocol::msg::Width;
use p14p_tests::{bin, open, run_on, run_sim, runtime, SIM_DEVICE_ID, SIM_GPIO_OUT, UNMAPPED};

const PROGRAM: &str = "\
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

squares = [i * i for i in range(6)]
print('fib', fib(20), squares)
";

const RAISES: &str = "\
def inner(x):
    return 10 // x

def outer():
    return inner(0)

print('before')
outer()
print('not reached')
";

#[test]
fn sim_runs_a_program() {
    let ran = run_sim(PROGRAM, "fib.py");
    assert_eq!(ran.stdout, "fib 6765 [0, 1, 4, 9, 16, 25]\n");
    assert_eq!(ran.traceback, None);
}

#[test]
fn sim_traceback_names_files_lines_and_functions() {
    let ran = run_sim(RAISES, "app.py");
    assert_eq!(ran.stdout, "before\n");
    assert_eq!(
        ran.traceback.as_deref(),
        Some(
            "Traceback (most recent call last):\n\
             \x20 File \"app.py\", line 8, in <module>\n\
             \x20   outer()\n\
             \x20 File \"app.py\", line 5, in outer\n\
             \x20   return inner(0)\n\
             \x20 File \"app.py\", line 2, in inner\n\
             \x20   return 10 // x\n\
             ZeroDivisionError: integer division or modulo by zero\n"
        )
    );
}

#[test]
fn sim_session_survives_an_exception() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        assert!(run_on(&s, "raise ValueError('x')", "a.py")
            .await
            .traceback
            .is_some());
        let ran = run_on(&s, "print(1 + 1)", "b.py").await;
        assert_eq!(ran.stdout, "2\n");
    });
}

#[test]
fn sim_peek_and_poke_round_trip() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        s.poke(SIM_GPIO_OUT, Width::U32, 0x1234_5678).await.unwrap();
        let bytes = s.peek(SIM_GPIO_OUT, Width::U32, 1).await.unwrap();
        assert_eq!(bytes, 0x1234_5678u32.to_le_bytes());
        let e = s.peek(UNMAPPED, Width::U32, 1).await.unwrap_err();
        assert!(e.to_string().contains("memory map"), "{e}");
        let e = s.poke(SIM_GPIO_OUT + 1, Width::U32, 0).await.unwrap_err();
        assert!(e.to_string().contains("aligned"), "{e}");
    });
}

#[test]
fn pty_device_runs_a_program_over_the_serial_transport() {
    let device = spawn_pty_device(&bin("p14p-device")).expect("p14p-device --pty");
    runtime().block_on(async {
        let s = open(&Port::Serial(device.path.clone())).await;
        assert_eq!(s.port(), device.path);
        let ran = run_on(&s, PROGRAM, "fib.py").await;
        assert_eq!(ran.stdout, "fib 6765 [0, 1, 4, 9, 16, 25]\n");
        let ran = run_on(&s, RAISES, "app.py").await;
        assert!(ran
            .traceback
            .unwrap()
            .ends_with("ZeroDivisionError: integer division or modulo by zero\n"));
    });
}

#[test]
fn pty_device_handshakes_and_serves_peek_poke_over_the_serial_transport() {
    let device = spawn_pty_device(&bin("p14p-device")).expect("p14p-device --pty");
    runtime().block_on(async {
        let s = open(&Port::Serial(device.path.clone())).await;
        assert!(!s.info().board.is_empty());
        let (addr, id) = SIM_DEVICE_ID;
        assert_eq!(s.peek(addr, Width::U32, 1).await.unwrap(), id.to_le_bytes());
        s.poke(SIM_GPIO_OUT, Width::U16, 0xbeef).await.unwrap();
        assert_eq!(
            s.peek(SIM_GPIO_OUT, Width::U8, 4).await.unwrap(),
            [0xef, 0xbe, 0, 0]
        );
        let stats = s.heap_stats().await.unwrap();
        assert_eq!(stats.total, s.info().heap_bytes);
    });
    // A second connection to the same device process works too.
    runtime().block_on(async {
        let s = open(&Port::Serial(device.path.clone())).await;
        assert_eq!(
            s.peek(SIM_GPIO_OUT, Width::U16, 1).await.unwrap(),
            [0xef, 0xbe]
        );
    });
}
