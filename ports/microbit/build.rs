//! Build script: puts the linker scripts where the linker finds them, lays
//! out RAM for the heap size chosen at build time, and turns that size into
//! a constant.
//!
//! `P14P_HEAP_BYTES` (default 8960, a multiple of 4 between 4 KiB and
//! 10 KiB: the nRF51822 has 16 KiB of RAM) sets the VM heap arena; the
//! firmware reads `HEAP_WORDS` from `$OUT_DIR/config.rs`. The stack gets
//! the RAM the arena and [`STATIC_ROOM`] leave, and sits *below* the
//! statics (`ram.x`, included by memory.x): an overflow runs off the
//! bottom of RAM into unmapped memory and faults (on the Cortex-M0 a fault
//! while stacking locks the core up, and the nRF51 resets on lockup)
//! instead of silently overwriting the device or the heap.

use std::env;
use std::fs;
use std::path::PathBuf;

/// Heap arena size when `P14P_HEAP_BYTES` is not set: what leaves the
/// stack 5888 bytes. The stack holds the boot (3648 bytes measured under
/// QEMU), then the running program's native calls down to the nesting
/// floor ([`DEFAULT_NEST_MARGIN`] above the bottom), below which nested
/// dispatch loops and container rendering raise RecursionError. At 7936
/// a 5632-byte stack was too small (with 8192, data/05_str_format hit the
/// floor at top level); 8960 takes what [`STATIC_ROOM`] no longer needed
/// and leaves the stack as it was. After the whole conformance corpus the
/// stack's high-water mark is 4656 bytes (see README.md).
const DEFAULT_HEAP_BYTES: u32 = 8960;

/// Stack kept below the nesting floor (src/machine.rs's `NEST_MARGIN`),
/// overridable by `P14P_NEST_MARGIN` to measure it: the most one nested
/// level was measured to use below its check is 1720 bytes (a `sorted`
/// key calling `sorted` with a key rendering a big int; `repr` nested
/// through f-strings: 1590), so 2048 leaves ~330 bytes of slack.
const DEFAULT_NEST_MARGIN: u32 = 2048;

/// RAM from 0x2000_0000 to the USER area (memory.x).
const RAM_BYTES: u32 = 16128;

/// RAM kept for the statics besides the heap arena (the device, the UART
/// ring; 1020 bytes measured, 2040 before issue 13): the link fails if
/// they outgrow it.
const STATIC_ROOM: u32 = 1280;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    fs::copy("memory.x", out.join("memory.x")).expect("copy memory.x");

    // cortex-m-rt's `device` feature INCLUDEs device.x for interrupt names;
    // this port builds its own vector table in src/main.rs and names none.
    fs::write(
        out.join("device.x"),
        "/* Interrupt vectors: see __INTERRUPTS in src/main.rs. */\n",
    )
    .expect("write device.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x");

    println!("cargo:rerun-if-env-changed=P14P_HEAP_BYTES");
    let heap = match env::var("P14P_HEAP_BYTES") {
        Ok(s) => s
            .trim()
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("P14P_HEAP_BYTES={s:?} is not a number")),
        Err(_) => DEFAULT_HEAP_BYTES,
    };
    assert!(
        heap % 4 == 0 && (4096..=10 * 1024).contains(&heap),
        "P14P_HEAP_BYTES={heap}: must be a multiple of 4 between 4096 and 10240"
    );
    println!("cargo:rerun-if-env-changed=P14P_NEST_MARGIN");
    let margin = match env::var("P14P_NEST_MARGIN") {
        Ok(s) => s
            .trim()
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("P14P_NEST_MARGIN={s:?} is not a number")),
        Err(_) => DEFAULT_NEST_MARGIN,
    };
    // The stack, 8-aligned as the AAPCS (and cortex-m-rt) wants it.
    let stack = (RAM_BYTES - STATIC_ROOM - heap) & !7;
    fs::write(
        out.join("ram.x"),
        format!(
            "/* Written by build.rs for a {heap}-byte heap arena. */\n\
             MEMORY\n{{\n  RAM : ORIGIN = 0x20000000 + {stack}, LENGTH = {}\n}}\n\
             _stack_start = 0x20000000 + {stack};\n\
             _stack_end = 0x20000000;\n",
            RAM_BYTES - stack
        ),
    )
    .expect("write ram.x");
    fs::write(
        out.join("config.rs"),
        format!(
            "/// Words in the VM heap arena (`P14P_HEAP_BYTES` / 4 at build time).\n\
             pub const HEAP_WORDS: usize = {};\n\
             /// Stack bytes kept below the deepest nested dispatch loop\n\
             /// (`P14P_NEST_MARGIN`, default {DEFAULT_NEST_MARGIN}).\n\
             pub const NEST_MARGIN: usize = {margin};\n",
            heap / 4
        ),
    )
    .expect("write config.rs");
}
