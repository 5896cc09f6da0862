//! `machine.Pin` on the simulator: a program drives the simulated GPIO
//! block (`ports/posix/src/gpio.rs`) and the host reads its registers
//! through peek, as `p14p peek`/`watch` would; a poke plays the outside
//! world for an input. The class is the frozen library's (`lib/machine.py`).

use p14p::transport::Port;
use p14p_port_posix::gpio::{GPIO, IN};
use p14p_protocol::msg::Width;
use p14p_tests::{open, run_on, runtime};

/// `DIR`, `PULLUP` and `EXT`: offsets in the GPIO block.
const DIR: u32 = GPIO + 4;
const PULLUP: u32 = GPIO + 8;
const EXT: u32 = GPIO + 0x18;

async fn word(s: &p14p::session::Session, addr: u32) -> u32 {
    let b = s.peek(addr, Width::U32, 1).await.unwrap();
    u32::from_le_bytes(b[..4].try_into().unwrap())
}

#[test]
fn a_pin_toggle_shows_in_the_gpio_registers() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        let ran = run_on(
            &s,
            "from machine import Pin\nled = Pin('LED', Pin.OUT)\n",
            "a.py",
        )
        .await;
        assert_eq!(ran.traceback, None);
        assert_eq!((word(&s, GPIO).await, word(&s, DIR).await), (0, 1));
        let mut seen = Vec::new();
        for _ in 0..3 {
            // A new run (`run_on` resets the VM, not the pins): `Pin(id)`
            // without a mode leaves the pin an output.
            let src =
                "from machine import Pin\nled = Pin('LED')\nled.toggle()\nprint(led.value())\n";
            let ran = run_on(&s, src, "t.py").await;
            seen.push((ran.stdout, word(&s, GPIO).await, word(&s, GPIO + IN).await));
        }
        let want = |v: u32| (format!("{v}\n"), v, v);
        assert_eq!(seen, [want(1), want(0), want(1)]);
        let src =
            "from machine import Pin\nled = Pin(0)\nled.off()\nled(1)\nled.low()\nled.high()\n";
        let ran = run_on(&s, src, "o.py").await;
        assert_eq!((ran.traceback, word(&s, GPIO).await), (None, 1));
    });
}

#[test]
fn an_input_reads_its_pull_or_the_outside_world() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        let src = "\
from machine import Pin
b = Pin(1, Pin.IN, Pin.PULL_UP)
up = b.value()
b.init(pull=Pin.PULL_DOWN)
print(up, b.value())
b.init(pull=None)
";
        let ran = run_on(&s, src, "b.py").await;
        assert_eq!(ran.stdout, "1 0\n");
        assert_eq!(word(&s, PULLUP).await, 0);
        s.poke(EXT, Width::U32, 0b10).await.unwrap();
        let src = "from machine import Pin\nprint(Pin(1)(), Pin('BUTTON').value())\n";
        let ran = run_on(&s, src, "c.py").await;
        assert_eq!(ran.stdout, "1 1\n");
    });
}

#[test]
fn a_bad_pin_id_mode_or_pull_is_a_value_error() {
    runtime().block_on(async {
        let s = open(&Port::Sim).await;
        for (args, what) in [
            ("8", "id"),
            ("'LED9'", "id"),
            ("-1", "id"),
            ("0, 3", "mode"),
            ("0, Pin.IN, 3", "pull"),
        ] {
            let src = format!("from machine import Pin\nPin({args})\n");
            let tb = run_on(&s, &src, "bad.py")
                .await
                .traceback
                .unwrap_or_default();
            assert!(
                tb.ends_with(&format!("ValueError: bad argument value for Pin {what}\n")),
                "Pin({args}): {tb}"
            );
        }
    });
}
