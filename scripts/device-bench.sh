#!/usr/bin/env bash
# The benchmark programs timed on the device itself: the LM3S6965 firmware
# under QEMU with `-icount shift=0`, where virtual time advances by the
# instructions executed, so the device's own clock (`time.ticks_us()`,
# SysTick at 50 MHz) measures a program by the work the CPU does, the
# same on a loaded machine as on an idle one. `p14p bench` times the
# simulator (the host's code); this times the firmware's (its code
# generation, its runtime routines, its layout).
#
#   scripts/device-bench.sh [--base OLD_ELF] [ELF] [PROGRAM.py ...]
#
# ELF defaults to the LM3S6965 build (scripts/firmware.sh build); the
# programs to ../shared/bench (or $P14P_SHARED/bench). Each program is run
# with a prologue that reads the clock and an epilogue that prints the
# ticks, so the upload is not counted. Prints the virtual milliseconds per
# program (a figure that stands for instructions, not the wall time of a
# real board); with --base, the same for OLD_ELF (a build of an earlier
# commit), their ratio and the geometric mean of the ratios. A program
# that does not fit the board's heap prints its error instead. Not exact:
# the host asks about a long run now and then, and each answer costs the
# device instructions, so a program moves by up to ~4% between runs (the
# calls and arithmetic programs by less than 0.1%); read the geometric
# mean. The whole corpus takes about 6 minutes per firmware.
# Needs: qemu-system-arm, target/release/p14p (cargo build --release -p p14p).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=""
if [[ "${1:-}" == "--base" ]]; then
    base="${2:?--base needs an ELF}"
    shift 2
fi
elf="$root/ports/lm3s6965/target/thumbv7m-none-eabi/release/p14p-lm3s6965"
if [[ "${1:-}" != "" && "${1:-}" != *.py ]]; then
    elf="$1"
    shift
fi
programs=("$@")
if ((${#programs[@]} == 0)); then
    shared="${P14P_SHARED:-$root/../shared}"
    programs=("$shared"/bench/*.py)
fi
p14p="$root/target/release/p14p"
for f in "$elf" ${base:+"$base"} "$p14p"; do
    if [[ ! -e "$f" ]]; then
        echo "device-bench: no $f (scripts/firmware.sh build; cargo build --release -p p14p)" >&2
        exit 2
    fi
done

work="$(mktemp -d)"
qemu_pid=""
trap 'if [[ -n "$qemu_pid" ]]; then kill "$qemu_pid" 2> /dev/null || true; fi; rm -rf "$work"' EXIT
for p in "${programs[@]}"; do
    {
        echo "import time as _bench_time"
        echo "_bench_t0 = _bench_time.ticks_us()"
        cat "$p"
        echo
        echo 'print("device-bench ticks", _bench_time.ticks_diff(_bench_time.ticks_us(), _bench_t0))'
    } > "$work/$(basename "$p")"
done

# Times every program on firmware $1 into $2: "name ticks" or "name !error".
measure() {
    local port=7470
    qemu-system-arm -machine lm3s6965evb -cpu cortex-m3 -icount shift=0 -nographic \
        -monitor none -serial "tcp:127.0.0.1:$port,server=on,wait=off" -kernel "$1" \
        > /dev/null 2>&1 &
    qemu_pid=$!
    for _ in $(seq 100); do
        if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then break; fi
        sleep 0.1
    done
    for p in "${programs[@]}"; do
        local name out ticks
        name="$(basename "$p")"
        out="$("$p14p" -p "tcp:127.0.0.1:$port" run "$work/$name" 2>&1 || true)"
        ticks="$(sed -n 's/^device-bench ticks \([0-9]*\)$/\1/p' <<< "$out" | tail -n 1)"
        if [[ -n "$ticks" ]]; then
            echo "$name $ticks"
        else
            echo "$name !$(grep -E 'Error|error' <<< "$out" | tail -n 1)"
        fi
    done > "$2"
    kill "$qemu_pid" 2> /dev/null || true
    wait "$qemu_pid" 2> /dev/null || true
    qemu_pid=""
}

measure "$elf" "$work/new.txt"
if [[ -n "$base" ]]; then
    measure "$base" "$work/old.txt"
else
    : > "$work/old.txt"
fi
python3 - "$work/new.txt" "$work/old.txt" << 'EOF'
import math, sys

def load(path):
    rows = {}
    for line in open(path):
        name, value = line.rstrip("\n").split(" ", 1)
        rows[name] = value
    return rows

new, old = load(sys.argv[1]), load(sys.argv[2])
print("device (LM3S6965 under QEMU -icount shift=0): virtual ms, instructions in effect")
header = f"{'program':<18} {'ms':>10}"
if old:
    header += f" {'base ms':>10} {'ratio':>7}"
print(header)
ratios = []
for name, value in new.items():
    if value.startswith("!"):
        print(f"{name:<18} {value[1:].strip()}")
        continue
    ms = int(value) / 1000
    row = f"{name:<18} {ms:>10.1f}"
    base = old.get(name, "")
    if base and not base.startswith("!"):
        b = int(base) / 1000
        ratios.append(ms / b)
        row += f" {b:>10.1f} {ms / b:>6.3f}x"
    print(row)
if ratios:
    geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"geometric mean of the ratios over {len(ratios)} programs: {geo:.3f}x")
EOF
