//! Build script: puts the linker scripts where the linker finds them, lays
//! out RAM for the heap size chosen at build time, and turns that size into
//! a constant.
//!
//! `P14P_HEAP_BYTES` (default 6144, a multiple of 4 between 4 KiB and
//! 8 KiB: the nRF51822 has 16 KiB of RAM) sets the VM heap arena; the
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
/// stack 7.5 KiB. The VM re-enters its dispatch loop for user methods called
/// from native code (`__repr__`, `__eq__`, ... up to `MAX_NEST` deep), and
/// with a big int's text rendered at the bottom that was measured at
/// 7.2 KiB of stack under QEMU (see README.md).
const DEFAULT_HEAP_BYTES: u32 = 6 * 1024;

/// RAM from 0x2000_0000 to the USER area (memory.x).
const RAM_BYTES: u32 = 16128;

/// RAM kept for the statics besides the heap arena (the device, the UART
/// ring; 2040 bytes measured): the link fails if they outgrow it.
const STATIC_ROOM: u32 = 2304;

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
        heap % 4 == 0 && (4096..=8 * 1024).contains(&heap),
        "P14P_HEAP_BYTES={heap}: must be a multiple of 4 between 4096 and 8192"
    );
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
             pub const HEAP_WORDS: usize = {};\n",
            heap / 4
        ),
    )
    .expect("write config.rs");
}
