//! Build script: puts the linker scripts where the linker finds them, lays
//! out RAM for the heap size chosen at build time, and turns that size into
//! a constant.
//!
//! `P14P_HEAP_BYTES` (default 196608, 192 KiB: a multiple of 4 between
//! 16 KiB and 208 KiB; the RP2040 has 264 KiB of SRAM) sets the VM heap
//! arena; the firmware reads `HEAP_WORDS` from `$OUT_DIR/config.rs`. The
//! stack ([`STACK_BYTES`]) sits *below* the statics (`ram.x`, included by
//! memory.x): an overflow runs off the bottom of SRAM into the read-only
//! XIP window and faults instead of silently overwriting the device or the
//! heap.

use std::env;
use std::fs;
use std::path::PathBuf;

/// Heap arena size when `P14P_HEAP_BYTES` is not set.
const DEFAULT_HEAP_BYTES: u32 = 192 * 1024;

/// The stack: generous on this chip (the micro:bit's whole 5.75 KiB stack
/// holds the boot and nesting to its floor; the nesting floor sits
/// `NEST_MARGIN` above the bottom here too).
const STACK_BYTES: u32 = 32 * 1024;

/// Stack kept below the nesting floor (src/machine.rs): the micro:bit's
/// measured 1720 bytes per nested level, doubled.
const NEST_MARGIN: u32 = 4096;

/// SRAM0-3 (striped, 256 KiB) and SRAM4: the firmware's RAM. SRAM5 is the
/// USER window (memory.x).
const RAM_BYTES: u32 = 260 * 1024;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    fs::copy("memory.x", out.join("memory.x")).expect("copy memory.x");
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
        heap % 4 == 0 && (16 * 1024..=208 * 1024).contains(&heap),
        "P14P_HEAP_BYTES={heap}: must be a multiple of 4 between 16384 and 212992"
    );
    fs::write(
        out.join("ram.x"),
        format!(
            "/* Written by build.rs for a {heap}-byte heap arena. */\n\
             MEMORY\n{{\n  RAM : ORIGIN = 0x20000000 + {STACK_BYTES}, LENGTH = {}\n}}\n\
             _stack_start = 0x20000000 + {STACK_BYTES};\n\
             _stack_end = 0x20000000;\n",
            RAM_BYTES - STACK_BYTES
        ),
    )
    .expect("write ram.x");
    fs::write(
        out.join("config.rs"),
        format!(
            "/// Words in the VM heap arena (`P14P_HEAP_BYTES` / 4 at build time).\n\
             pub const HEAP_WORDS: usize = {};\n\
             /// Stack bytes kept below the deepest nested dispatch loop.\n\
             pub const NEST_MARGIN: usize = {NEST_MARGIN};\n",
            heap / 4
        ),
    )
    .expect("write config.rs");
}
