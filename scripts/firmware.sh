#!/usr/bin/env bash
# Build, run and test the LM3S6965 firmware (ports/lm3s6965) under QEMU.
#
#   scripts/firmware.sh build            release build (thumbv7m-none-eabi)
#   scripts/firmware.sh run [PORT]       boot it in qemu-system-arm, UART0 on
#                                        tcp:127.0.0.1:PORT (default 7414)
#   scripts/firmware.sh test             build, then the QEMU end-to-end test
#   scripts/firmware.sh footprint [--check]
#
# P14P_HEAP_BYTES sets the heap arena at build time (default 32768).
# Needs: rustup target thumbv7m-none-eabi, qemu-system-arm,
# binutils-arm-none-eabi (footprint only).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port_dir="$root/ports/lm3s6965"
elf="$port_dir/target/thumbv7m-none-eabi/release/p14p-lm3s6965"

build() {
    # Cargo reads .cargo/config.toml (target, linker script) from the
    # working directory, so build from inside the port.
    (cd "$port_dir" && cargo build --release)
}

case "${1:-}" in
build)
    build
    ;;
run)
    build
    tcp_port="${2:-7414}"
    echo "UART0 on tcp:127.0.0.1:$tcp_port (e.g. p14p repl tcp:127.0.0.1:$tcp_port); Ctrl-C stops QEMU" >&2
    exec qemu-system-arm -machine lm3s6965evb -cpu cortex-m3 -nographic -monitor none \
        -serial "tcp:127.0.0.1:$tcp_port,server=on,wait=off" -kernel "$elf"
    ;;
test)
    build
    # From the repository root: the port's .cargo/config.toml (which
    # targets thumbv7m) must not apply to this host-side crate.
    (cd "$root" && P14P_FIRMWARE="$elf" cargo test --manifest-path ports/lm3s6965/hosttest/Cargo.toml)
    ;;
footprint)
    shift
    exec "$root/scripts/footprint.sh" "$@" "$elf"
    ;;
*)
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
