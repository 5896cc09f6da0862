//! Build script: puts the linker scripts where the linker finds them, and
//! turns the heap size chosen at build time into a constant.
//!
//! `P14P_HEAP_BYTES` (default 8192, a multiple of 4 between 4 KiB and
//! 12 KiB: the nRF51822 has 16 KiB of RAM) sets the VM heap arena; the firmware reads `HEAP_WORDS` from
//! `$OUT_DIR/config.rs`.

use std::env;
use std::fs;
use std::path::PathBuf;

/// Heap arena size when `P14P_HEAP_BYTES` is not set.
const DEFAULT_HEAP_BYTES: u32 = 8 * 1024;

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
        heap % 4 == 0 && (4096..=12 * 1024).contains(&heap),
        "P14P_HEAP_BYTES={heap}: must be a multiple of 4 between 4096 and 12288"
    );
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
