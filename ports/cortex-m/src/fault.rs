//! What happens when the firmware itself goes wrong: a failed check (a
//! bug: the device code never panics on input) or another HardFault. Either
//! way one line of text goes out on the link, then the chip resets.
//!
//! ```text
//! 0x00 "p14p: hardfault at pc=0x00001234" CR LF 0x00
//! 0x00 "p14p: panic at device/src/x.rs:123" CR LF 0x00   (feature panic-location)
//! 0x00 "p14p: panic" CR LF 0x00      (a plain `cargo build`, the prebuilt core)
//! ```
//!
//! The port owns the `#[panic_handler]` and the HardFault handler (a
//! library crate cannot know its UART) and passes its `say`, which writes
//! bytes if the UART is up: writing a gated UART would fault again, and a
//! disabled one would never drain its FIFO.
//!
//! `scripts/firmware.sh` builds with the panic strategy `immediate-abort`:
//! every bounds, slice and arithmetic check fails into a 2-byte `udf` of its
//! own, which faults, so a panic is reported as a HardFault whose PC is the
//! check (`arm-none-eabi-addr2line -i -e ELF PC` names the source line). The
//! panic handler below then runs only in a build with the `panic-location`
//! feature (`P14P_PANIC_LOCATION=1 scripts/firmware.sh run`), which keeps
//! the default strategy: reading `PanicInfo::location` keeps a 16-byte
//! `Location` and the file names for every check, each with its own call
//! to the panic entry, 10 KiB of flash more.
//!
//! The zeros around the line make the host's frame decoder drop it as one
//! bad frame (its CRC fails), so the link resynchronises; the `Boot` frame
//! after the reset tells the host what happened, and the host's reader
//! keeps the line to quote in that error (`host/src/session/reader.rs`). No `core::fmt`: numbers
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
