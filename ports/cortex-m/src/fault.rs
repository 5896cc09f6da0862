//! What happens when the firmware itself goes wrong: a panic (a bug: the
//! device code never panics on input) or a HardFault. Either way one line
//! of text goes out on the link, then the chip resets.
//!
//! ```text
//! 0x00 "p14p: panic" CR LF 0x00
//! 0x00 "p14p: panic at device/src/x.rs:123" CR LF 0x00   (feature panic-location)
//! 0x00 "p14p: hardfault at pc=0x00001234" CR LF 0x00
//! ```
//!
//! The port owns the `#[panic_handler]` and the HardFault handler (a
//! library crate cannot know its UART) and passes its `say`, which writes
//! bytes if the UART is up: writing a gated UART would fault again, and a
//! disabled one would never drain its FIFO.
//!
//! The panic's source location is left out unless the port is built with
//! the `panic-location` feature: reading `PanicInfo::location` keeps a
//! 16-byte `Location` (and the file names) for every bounds check, slice
//! and arithmetic check in the firmware, each with its own call to the
//! panic entry; without it LLVM drops the arguments and folds the ~200
//! panic paths together, 10 KiB of flash less. A panic is a firmware bug,
//! so the location is for the developer who rebuilds to find it
//! (`P14P_PANIC_LOCATION=1 scripts/firmware.sh run`).
//!
//! The zeros around the line make the host's frame decoder drop it as one
//! bad frame (its CRC fails), so the link resynchronises; the `Boot` frame
//! after the reset tells the host what happened. No `core::fmt`: numbers
//! are written by hand.

use core::panic::PanicInfo;

/// Reports a panic through `say`, then resets: the body of a port's
/// `#[panic_handler]`.
#[inline(always)]
pub fn panic(info: &PanicInfo<'_>, say: fn(&[u8])) -> ! {
    say(b"\0p14p: panic");
    #[cfg(feature = "panic-location")]
    if let Some(loc) = info.location() {
        say(b" at ");
        say(loc.file().as_bytes());
        say(b":");
        let mut digits = [0u8; 10];
        say(decimal(loc.line(), &mut digits));
    }
    #[cfg(not(feature = "panic-location"))]
    let _ = info;
    end_and_reset(say)
}

/// Reports a HardFault at `pc` through `say`, then resets.
pub fn hard_fault(pc: u32, say: fn(&[u8])) -> ! {
    say(b"\0p14p: hardfault at pc=0x");
    let mut hex = [0u8; 8];
    for (i, d) in hex.iter_mut().enumerate() {
        let nibble = (pc >> (28 - 4 * i)) & 0xF;
        *d = b"0123456789abcdef"[nibble as usize];
    }
    say(&hex);
    end_and_reset(say)
}

/// Resets the chip (also used where boot cannot go on).
pub fn reset() -> ! {
    cortex_m::peripheral::SCB::sys_reset()
}

fn end_and_reset(say: fn(&[u8])) -> ! {
    say(b"\r\n\0");
    reset()
}

/// `n` in decimal, in the tail of `buf`.
#[cfg(feature = "panic-location")]
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    &buf[at..]
}
