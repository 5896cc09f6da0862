//! Small replacements for compiler_builtins' memory and 64-bit division
//! routines, in Thumb-2 for ARMv7-M or, with the `armv6m` feature, in
//! Thumb-1 for ARMv6-M (Cortex-M0/M0+).
//!
//! The precompiled compiler_builtins is built for speed: its `memmove`
//! alone is 1.6 KiB, `memcpy` 0.7 KiB, the `memclr`/`memcpy4` variants
//! another 0.7 KiB and the 64-bit division 1 KiB, ~4 KiB of a firmware
//! that shares its flash with the store. Its definitions are weak, so the
//! strong ones here take their place at link time (of its division, only
//! the few-byte `__aeabi_*divmod` wrappers around the entry points here
//! remain).
//!
//! The memory routines are assembly: written in Rust, LLVM would recognise
//! the copy loops and turn them back into calls to themselves. They copy a
//! word at a time when both pointers are word-aligned (heap blocks, image
//! code, frames: the copies that are long), else a byte at a time; the
//! Cortex-M0 faults on an unaligned word access, so there that check is
//! not only for speed. Division is Rust: LLVM does not rewrite a
//! shift-subtract loop into a division.
//!
//! The routine set is chosen by a feature, not by `target_feature`: Rust
//! exposes the Arm architecture features (`v7`, `thumb2`) only on nightly.

use core::arch::global_asm;

/// The section and instruction set both routine sets are assembled in.
macro_rules! mem_section {
    () => {
        ".section .text.p14p_mem,\"ax\",%progbits\n.syntax unified\n.thumb\n.balign 2"
    };
}

/// The lines that make `name` a global Thumb function entry at this point:
/// each routine has several names (the C ones and the AEABI ones).
macro_rules! entry {
    ($name:literal) => {
        concat!(
            ".global ",
            $name,
            "\n.thumb_func\n.type ",
            $name,
            ", %function\n",
            $name,
            ":"
        )
    };
}

// memcpy(dst r0, src r1, n r2) -> dst; memmove; memset(dst r0, c r1, n r2)
// -> dst; and their AEABI entries (the clears take dst r0, n r1), which
// compiler_builtins defines apart, calling its own copies directly.
// Thumb-1: low registers only (r4 saved), no cbz, no post-indexed loads
// (ldm/stm with writeback step a word), flags from `lsls #30` for the
// alignment test.
#[cfg(feature = "armv6m")]
global_asm!(
    mem_section!(),
    entry!("__aeabi_memmove"),
    entry!("__aeabi_memmove4"),
    entry!("__aeabi_memmove8"),
    entry!("memmove"),
    // dst at or below src: a forward copy never overwrites unread bytes.
    "    cmp r0, r1",
    "    bls memcpy",
    "    push {{r4, lr}}",
    // Backward, from the end: words when both ends and n are aligned.
    "    adds r3, r0, r2",
    "    adds r1, r1, r2",
    "    mov r4, r3",
    "    orrs r4, r1",
    "    orrs r4, r2",
    "    lsls r4, r4, #30",
    "    bne 2f",
    "1:  cmp r2, #0",
    "    beq 3f",
    "    subs r1, #4",
    "    subs r3, #4",
    "    ldr r4, [r1]",
    "    str r4, [r3]",
    "    subs r2, #4",
    "    b 1b",
    "2:  cmp r2, #0",
    "    beq 3f",
    "    subs r1, #1",
    "    subs r3, #1",
    "    ldrb r4, [r1]",
    "    strb r4, [r3]",
    "    subs r2, #1",
    "    b 2b",
    "3:  pop {{r4, pc}}",
    entry!("__aeabi_memcpy"),
    entry!("__aeabi_memcpy4"),
    entry!("__aeabi_memcpy8"),
    entry!("memcpy"),
    "    push {{r4, lr}}",
    "    mov r3, r0",
    "    mov r4, r0",
    "    orrs r4, r1",
    "    lsls r4, r4, #30",
    "    bne 2f",
    "1:  cmp r2, #4",
    "    blo 2f",
    "    ldm r1!, {{r4}}",
    "    stm r3!, {{r4}}",
    "    subs r2, #4",
    "    b 1b",
    "2:  cmp r2, #0",
    "    beq 3f",
    "    ldrb r4, [r1]",
    "    strb r4, [r3]",
    "    adds r1, #1",
    "    adds r3, #1",
    "    subs r2, #1",
    "    b 2b",
    "3:  pop {{r4, pc}}",
    entry!("__aeabi_memclr"),
    entry!("__aeabi_memclr4"),
    entry!("__aeabi_memclr8"),
    "    mov r2, r1",
    "    movs r1, #0",
    entry!("memset"),
    "    push {{r4, lr}}",
    "    mov r3, r0",
    "    movs r4, #255",
    "    ands r1, r4",
    "    lsls r4, r1, #8",
    "    orrs r1, r4",
    "    lsls r4, r1, #16",
    "    orrs r1, r4",
    "    lsls r4, r0, #30",
    "    bne 2f",
    "1:  cmp r2, #4",
    "    blo 2f",
    "    stm r3!, {{r1}}",
    "    subs r2, #4",
    "    b 1b",
    "2:  cmp r2, #0",
    "    beq 3f",
    "    strb r1, [r3]",
    "    adds r3, #1",
    "    subs r2, #1",
    "    b 2b",
    "3:  pop {{r4, pc}}",
);

// The same routines in Thumb-2 (r12 as scratch, cbz, post-indexed loads).
#[cfg(not(feature = "armv6m"))]
global_asm!(
    mem_section!(),
    entry!("__aeabi_memmove"),
    entry!("__aeabi_memmove4"),
    entry!("__aeabi_memmove8"),
    entry!("memmove"),
    // dst at or below src: a forward copy never overwrites unread bytes.
    "    cmp r0, r1",
    "    bls memcpy",
    // Backward, from the end: words when both ends and n are aligned.
    "    adds r3, r0, r2",
    "    add r1, r2",
    "    orr r12, r3, r1",
    "    orr r12, r12, r2",
    "    tst r12, #3",
    "    bne 2f",
    "1:  cbz r2, 3f",
    "    ldr r12, [r1, #-4]!",
    "    str r12, [r3, #-4]!",
    "    subs r2, #4",
    "    b 1b",
    "2:  cbz r2, 3f",
    "    ldrb r12, [r1, #-1]!",
    "    strb r12, [r3, #-1]!",
    "    subs r2, #1",
    "    b 2b",
    "3:  bx lr",
    entry!("__aeabi_memcpy"),
    entry!("__aeabi_memcpy4"),
    entry!("__aeabi_memcpy8"),
    entry!("memcpy"),
    "    mov r3, r0",
    "    orr r12, r0, r1",
    "    tst r12, #3",
    "    bne 2f",
    "1:  cmp r2, #4",
    "    blo 2f",
    "    ldr r12, [r1], #4",
    "    str r12, [r3], #4",
    "    subs r2, #4",
    "    b 1b",
    "2:  cbz r2, 3f",
    "    ldrb r12, [r1], #1",
    "    strb r12, [r3], #1",
    "    subs r2, #1",
    "    b 2b",
    "3:  bx lr",
    entry!("__aeabi_memclr"),
    entry!("__aeabi_memclr4"),
    entry!("__aeabi_memclr8"),
    "    mov r2, r1",
    "    movs r1, #0",
    entry!("memset"),
    "    mov r3, r0",
    "    uxtb r1, r1",
    "    orr r1, r1, r1, lsl #8",
    "    orr r1, r1, r1, lsl #16",
    "    tst r0, #3",
    "    bne 2f",
    "1:  cmp r2, #4",
    "    blo 2f",
    "    str r1, [r3], #4",
    "    subs r2, #4",
    "    b 1b",
    "2:  cbz r2, 3f",
    "    strb r1, [r3], #1",
    "    subs r2, #1",
    "    b 2b",
    "3:  bx lr",
);
/// `a / b` and `a % b` for `b != 0`: the 32-bit divide when both fit (the
/// Cortex-M3's `udiv`; on the M0, which has none, compiler_builtins'
/// 32-bit division), else one shift-subtract step per significant bit of
/// `a`.
fn udivmod(a: u64, b: u64) -> (u64, u64) {
    if (a | b) >> 32 == 0 {
        let (a, b) = (a as u32, b as u32);
        return (u64::from(a / b), u64::from(a % b));
    }
    let (mut q, mut r) = (0u64, 0u64);
    let mut i = 64 - a.leading_zeros();
    while i > 0 {
        i -= 1;
        r = r << 1 | (a >> i & 1);
        q <<= 1;
        if r >= b {
            r -= b;
            q |= 1;
        }
    }
    (q, r)
}

/// compiler_builtins' unsigned 64-bit division entry (its
/// `__aeabi_uldivmod` calls it): the quotient, the remainder through `rem`.
/// Rust's `/` checks for a zero divisor before it gets here.
#[allow(unsafe_code)]
#[no_mangle]
extern "C" fn __udivmoddi4(a: u64, b: u64, rem: Option<&mut u64>) -> u64 {
    let (q, r) = udivmod(a, b);
    if let Some(rem) = rem {
        *rem = r;
    }
    q
}

/// The signed entry (`__aeabi_ldivmod`): truncating, the remainder takes
/// the dividend's sign.
#[allow(unsafe_code)]
#[no_mangle]
extern "C" fn __divmoddi4(a: i64, b: i64, rem: Option<&mut i64>) -> i64 {
    let (q, r) = udivmod(a.unsigned_abs(), b.unsigned_abs());
    if let Some(rem) = rem {
        *rem = if a < 0 {
            (r as i64).wrapping_neg()
        } else {
            r as i64
        };
    }
    if (a < 0) != (b < 0) {
        (q as i64).wrapping_neg()
    } else {
        q as i64
    }
}
