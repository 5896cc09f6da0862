//! The firmware's life after the hardware is up: the device put in place
//! in its static slot, started, and served forever.
//!
//! A port's `#[entry]` declares the two `static mut`s (cortex-m-rt turns
//! them into `&'static mut`s that exist exactly once, so they are handed
//! over without `unsafe`), brings up its clock and UART, and calls
//! [`run`].

use core::mem::MaybeUninit;
use p14p_device::platform::Platform;
use p14p_device::{Device, Vm};

/// A port's device: the link over its platform, serving the VM.
pub type Board<P> = Device<P, Vm<'static>>;

/// Boots the device in `slot` over `arena` (see [`boot`]), then polls it
/// forever. Inlined into the port's `main`, with the clock and UART
/// bring-up before it.
#[inline(always)]
pub fn run<P: Platform>(
    slot: &'static mut MaybeUninit<Board<P>>,
    arena: &'static mut [u32],
    platform: P,
    start_vm: fn(&mut Vm<'static>),
) -> ! {
    let device = boot(slot, arena, platform, start_vm);
    loop {
        device.poll();
    }
}

/// Brings the device up in `slot`, in place. The unstarted device is all
/// zeros but the arena reference, so writing it compiles to a clear of
/// the slot and a few stores; the VM (`start_vm`, the port's clock and
/// flash view) and the link then start field by field. No device-sized or
/// VM-sized value is built on the stack (built by value, they took a
/// 5 KiB frame on the LM3S6965; on 16 KiB of RAM it would not fit at
/// all), nor kept as a constant in flash. Out of line, so what the start
/// needs (the store's mount) is off the stack before the VM runs.
#[inline(never)]
pub fn boot<P: Platform>(
    slot: &'static mut MaybeUninit<Board<P>>,
    arena: &'static mut [u32],
    platform: P,
    start_vm: fn(&mut Vm<'static>),
) -> &'static mut Board<P> {
    let device = slot.write(Device::unstarted(platform, Vm::unstarted(arena)));
    start_vm(device.machine_mut());
    device.start();
    device
}
