//! The microbit board for the shared QEMU test client
//! ([`p14p_cortex_m_hosttest`], ports/cortex-m/hosttest), used by
//! the micro:bit firmware's end-to-end test (`tests/qemu.rs`).

pub use p14p_cortex_m_hosttest::*;

/// QEMU's `microbit` machine running this port's release firmware.
pub const BOARD: Board = Board {
    name: "microbit",
    machine: &["-machine", "microbit"],
    firmware: concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/thumbv6m-none-eabi/release/p14p-microbit"
    ),
    build: "scripts/firmware.sh build --board microbit",
};
