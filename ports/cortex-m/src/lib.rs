//! What every p14p Cortex-M firmware shares, so that a port keeps only its
//! registers, memory map, clock, UART and flash drivers, `memory.x` and
//! README (see docs/PORTING.md).
//!
//! | module    | what |
//! |-----------|------|
//! | `rt`      | compact memcpy/memmove/memset (Thumb-1 or Thumb-2) and 64-bit division, in place of compiler_builtins' |
//! | [`fault`] | panic and HardFault: one line on the link, then reset |
//! | [`peek`]  | [`peek::peek`] / [`peek::poke`] by width over a port's [`peek::AccessMap`] |
//! | [`reg`]   | [`reg::Reg`], a 32-bit device register |
//! | [`ring`]  | [`ring::Ring`], the interrupt-fed UART receive ring |
//! | [`serve`] | [`serve::boot`]: the device put in place, started, served forever |
//! | [`softfloat`] | compact f64 soft float (`__aeabi_d*`), in place of compiler_builtins' |
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod fault;
pub mod peek;
pub mod reg;
pub mod ring;
#[allow(unsafe_code)]
mod rt;
pub mod serve;
pub mod softfloat;
