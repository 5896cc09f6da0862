//! Panic and HardFault on this board: the report of
//! [`p14p_cortex_m::fault`] on UART0 ([`say`]), then a reset.

use crate::uart;
use core::panic::PanicInfo;

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    p14p_cortex_m::fault::panic(info, say)
}

/// Writes `bytes` if UART0 is up: writing a gated UART would fault again,
/// and a disabled one would never drain its FIFO.
pub fn say(bytes: &[u8]) {
    if uart::is_up() {
        uart::write(bytes);
    }
}
