//! Panic and HardFault on this board: the report of
//! [`p14p_cortex_m::fault`] on UART0's TX pin (GP0), then a reset. Not on
//! USB: the USB stack lives in the device being reported on, and a host
//! would need the device to enumerate again to read it.

use crate::uart;
use core::panic::PanicInfo;

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    p14p_cortex_m::fault::panic(info, say)
}

/// Writes `bytes` on UART0 if it is up (a UART held in reset would fault
/// again).
pub fn say(bytes: &[u8]) {
    if uart::is_up() {
        uart::write(bytes);
    }
}
