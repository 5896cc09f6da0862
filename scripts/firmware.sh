#!/usr/bin/env bash
# Build, run and test the firmware of a board under QEMU: the LM3S6965
# (ports/lm3s6965, the default) or the BBC micro:bit (ports/microbit); or
# the Raspberry Pi Pico (ports/pico) under the rp2040js emulator.
#
#   scripts/firmware.sh build            release build (thumbv7m-none-eabi;
#                                        the micro:bit: thumbv6m-none-eabi,
#                                        and the .hex to copy to its drive)
#                                        (the Pico: the .uf2 for its RPI-RP2 drive)
#   scripts/firmware.sh run [PORT]       boot it in qemu-system-arm, UART0 on
#                                        tcp:127.0.0.1:PORT (default 7414);
#                                        the Pico: in rp2040js (ports/pico/emu),
#                                        its USB CDC on that TCP port
#   scripts/firmware.sh test             build, then the QEMU end-to-end test
#   scripts/firmware.sh footprint [--check]
#                                        size of the last build (footprint.sh)
# Right after the subcommand, --board microbit (or pico) selects the board, and
# --minimal the minimal firmware: no floats, no big ints (the port's
# --no-default-features), built into target/minimal and checked against
# footprint-budget-minimal.txt. For the Pico, --uart-link instead builds the
# link on UART0 (feature uart-link, into target/uart; `run` starts the
# emulator's bridge on UART0 rather than USB CDC, and `footprint` prints
# what the USB link costs against the USB build).
#
# P14P_HEAP_BYTES sets the heap arena at build time (default 32768).
# P14P_PANIC_LOCATION=1 builds with the port's panic-location feature: a
# panic names its source file and line (~10 KiB more flash).
# Needs: rustup's rust-src component (the firmware builds its own core),
# qemu-system-arm, binutils-arm-none-eabi (footprint and the .hex); for the
# Pico, node and npm (`npm ci` in ports/pico/emu) and P14P_SHARED or a
# shared/ folder beside the checkout (the RP2040 boot ROM).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
board=lm3s6965
if [[ "${2:-}" == "--board" ]]; then
    board="${3:-}"
    set -- "$1" "${@:4}"
fi
case "$board" in
lm3s6965)
    triple=thumbv7m-none-eabi
    qemu_machine=(-machine lm3s6965evb -cpu cortex-m3)
    ;;
microbit)
    triple=thumbv6m-none-eabi
    qemu_machine=(-machine microbit)
    ;;
pico)
    triple=thumbv6m-none-eabi
    ;;
*)
    echo "firmware.sh: unknown board '$board' (lm3s6965, microbit or pico)" >&2
    exit 2
    ;;
esac
port_dir="$root/ports/$board"
elf="$port_dir/target/$triple/release/p14p-$board"

build_args=(--release)
budget="$port_dir/footprint-budget.txt"
minimal=0
if [[ "${2:-}" == "--minimal" ]]; then
    minimal=1
    set -- "$1" "${@:3}"
    build_args+=(--no-default-features --target-dir "$port_dir/target/minimal")
    elf="$port_dir/target/minimal/$triple/release/p14p-$board"
    budget="$port_dir/footprint-budget-minimal.txt"
fi
uart_link=0
if [[ "${2:-}" == "--uart-link" ]]; then
    if [[ "$board" != pico ]]; then
        echo "firmware.sh: --uart-link is for --board pico (the other boards' link is UART0)" >&2
        exit 2
    fi
    uart_link=1
    set -- "$1" "${@:3}"
    usb_elf="$elf"
    build_args+=(--features uart-link --target-dir "$port_dir/target/uart")
    elf="$port_dir/target/uart/$triple/release/p14p-$board"
fi
# The firmware's own build of `core` (see "The firmware's core" in
# docs/ARCHITECTURE.md). The toolchain's prebuilt core for the thumb targets
# keeps a frame pointer in every function and a call to the panic entry at
# every check: 6.5 KiB of the LM3S6965's text. So the firmware builds core
# itself (`-Zbuild-std`, rust-src) for a target spec that is rustc's own with
# one field changed, frame pointers "may-omit", and with the panic strategy
# "immediate-abort": a failed check is a `udf`, which the HardFault handler
# reports with its PC (addr2line on the ELF names the check). These are
# unstable options of the same stable rustc (RUSTC_BOOTSTRAP=1, as the Linux
# kernel builds its Rust); the host crates never use them.
# Legacy symbol names, as the prebuilt core's: a compiler told it is nightly
# would mangle with v0, and footprint.sh groups symbols by their crate prefix.
unstable_flags="'-Zunstable-options', '-Csymbol-mangling-version=legacy', '-Cpanic=immediate-abort', "
if [[ -n "${P14P_PANIC_LOCATION:-}" ]]; then
    # A located panic needs the panic entry: the default strategy, abort.
    build_args+=(--features panic-location)
    unstable_flags="'-Zunstable-options', '-Csymbol-mangling-version=legacy', "
fi
spec_dir="$port_dir/target/spec"
spec="$spec_dir/$triple.json"
target_spec() {
    mkdir -p "$spec_dir"
    local json
    json="$(RUSTC_BOOTSTRAP=1 rustc -Z unstable-options --print target-spec-json --target "$triple")"
    if ! grep -q '"frame-pointer": "always"' <<< "$json"; then
        echo "firmware.sh: rustc's $triple spec no longer forces frame pointers; revisit target_spec" >&2
        exit 1
    fi
    json="${json/'"frame-pointer": "always"'/'"frame-pointer": "may-omit"'}"
    # Rewritten only when it changes: cargo rebuilds core when the spec's
    # file is newer.
    if [[ ! -f "$spec" ]] || [[ "$(cat "$spec")" != "$json" ]]; then
        printf '%s\n' "$json" > "$spec"
    fi
}

build() {
    # Cargo reads .cargo/config.toml (target, linker script) from the
    # working directory, so build from inside the port. Panic locations keep
    # source paths in the image: remap the checkout and cargo's home to fixed
    # names so the text size (and the footprint budget check) does not
    # depend on where the repository was cloned. Cargo appends these
    # rustflags to the port's own.
    local cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    local flags="[$unstable_flags'--remap-path-prefix=$root=p14p', '--remap-path-prefix=$cargo_home=cargo']"
    target_spec
    # The spec's file is named after the triple, so the output folders, the
    # `[target.<triple>]` settings and the ELF paths are the builtin target's.
    (cd "$port_dir" && RUSTC_BOOTSTRAP=1 cargo build "${build_args[@]}" \
        -Zjson-target-spec -Zbuild-std=core,compiler_builtins --target "$spec" \
        --config "target.$triple.rustflags=$flags")
    if [[ "$board" == microbit ]]; then
        # What a user copies to the MICROBIT drive (p14p flash does it).
        arm-none-eabi-objcopy -O ihex "$elf" "$elf.hex"
        echo "firmware: $elf.hex" >&2
    fi
    if [[ "$board" == pico ]]; then
        # What a user copies to the RPI-RP2 drive (p14p flash does it): the
        # flash image from 0x10000000 (boot2 first) in UF2 blocks.
        arm-none-eabi-objcopy -O binary "$elf" "$elf.bin"
        (cd "$root" && cargo run -q --release --manifest-path ports/pico/hosttest/Cargo.toml \
            --bin p14p-uf2 -- "$elf.bin" "$elf.uf2") >&2
    fi
}

case "${1:-}" in
build)
    build
    ;;
run)
    build
    tcp_port="${2:-7414}"
    if [[ "$board" == pico ]]; then
        link="USB CDC"
        bridge_args=(--port "$tcp_port")
        if ((uart_link)); then
            link="UART0"
            bridge_args+=(--uart)
        fi
        echo "$link on tcp:127.0.0.1:$tcp_port (e.g. p14p repl tcp:127.0.0.1:$tcp_port); Ctrl-C stops the emulator" >&2
        exec node "$root/ports/pico/emu/bridge.mjs" "$elf.uf2" "${bridge_args[@]}"
    fi
    echo "UART0 on tcp:127.0.0.1:$tcp_port (e.g. p14p repl tcp:127.0.0.1:$tcp_port); Ctrl-C stops QEMU" >&2
    exec qemu-system-arm "${qemu_machine[@]}" -nographic -monitor none \
        -serial "tcp:127.0.0.1:$tcp_port,server=on,wait=off" -kernel "$elf"
    ;;
test)
    if ((uart_link)); then
        # The Pico's host tests drive the emulated USB CDC.
        echo "firmware.sh: test has no --uart-link form (run it, then p14p -p tcp:...)" >&2
        exit 2
    fi
    build
    # From the repository root: the port's .cargo/config.toml (which
    # targets thumbv7m) must not apply to this host-side crate.
    # P14P_MINIMAL tells the test which language features to expect.
    # The Pico's tests start the rp2040js bridge on the .uf2 themselves.
    # The Pico's print the emulator's speed and the 64 KiB throughput.
    test_args=()
    if [[ "$board" == pico ]]; then test_args=(-- --nocapture); fi
    (cd "$root" && P14P_FIRMWARE="$elf" P14P_MINIMAL="$minimal" \
        cargo test --manifest-path "ports/$board/hosttest/Cargo.toml" "${test_args[@]}")
    ;;
footprint)
    shift
    # The minimal build is not the everyday one: build it here.
    if ((minimal)); then build; fi
    if ((uart_link)); then
        # The UART build has no budget of its own: it is measured against
        # the USB build, whose budget CI checks.
        build
        read -r uart_text _ < <(arm-none-eabi-size -B "$elf" | tail -n 1)
        read -r usb_text _ < <(arm-none-eabi-size -B "$usb_elf" | tail -n 1)
        echo "uart-link build: text $uart_text bytes; the USB build: $usb_text; the USB link costs $((usb_text - uart_text))"
        exit 0
    fi
    if [[ "$board" == pico ]]; then
        "$root/scripts/footprint.sh" --budget "$budget" "$@" "$elf"
        # The USB stack's share: usb-device, usbd-serial, the HAL's USB
        # driver and the port's own src/usb.rs, as sized symbols (the
        # controller's bring-up, inlined into main, is not counted; building
        # with --features uart-link measures the whole difference).
        usb=0
        while read -r _ size _ _; do
            usb=$((usb + 16#$size))
        done < <(arm-none-eabi-nm -C -S "$elf" |
            grep -E ' [tTrR] (usb_device|usbd_serial|rp2040_hal::usb|p14p_pico::usb)')
        echo "USB stack: $usb bytes of text (usb-device, usbd-serial, rp2040_hal::usb, src/usb.rs)"
        exit 0
    fi
    exec "$root/scripts/footprint.sh" --budget "$budget" "$@" "$elf"
    ;;
*)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
