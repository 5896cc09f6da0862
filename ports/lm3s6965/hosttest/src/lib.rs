//! The lm3s6965 board for the shared QEMU test client
//! ([`p14p_cortex_m_hosttest`], ports/cortex-m/hosttest), used by
//! the LM3S6965 firmware's end-to-end test (`tests/qemu.rs`).

pub use p14p_cortex_m_hosttest::*;

/// QEMU's `lm3s6965evb` machine running this port's release firmware.
pub const BOARD: Board = Board {
    name: "lm3s6965",
    machine: &["-machine", "lm3s6965evb", "-cpu", "cortex-m3"],
    firmware: concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/thumbv7m-none-eabi/release/p14p-lm3s6965"
    ),
    build: "scripts/firmware.sh build",
};
