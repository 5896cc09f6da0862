#!/usr/bin/env bash
# The micro:bit firmware under QEMU, end to end through the p14p CLI, on
# one boot: the conformance corpus (against
# tests/conformance-known-failures-microbit.txt), the HIL tests
# (tests/hil/common, tests/hil/microbit), push/ls/cat and import in place
# of a stored module larger than the heap could load, peek of FICR, and
# poke/peek of a USER RAM word.
#
#   ports/microbit/qemu-e2e.sh [TCP_PORT]     (default 7416)
#
# Needs the release firmware (scripts/firmware.sh build --board microbit),
# target/release/p14p (cargo build --release -p p14p) and qemu-system-arm.
# Prints `N passed, M failed` for its own checks; exits non-zero if any
# step fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tcp="${1:-7416}"
elf="$root/ports/microbit/target/thumbv6m-none-eabi/release/p14p-microbit"
p14p="$root/target/release/p14p"
[[ -f "$elf" ]] || { echo "qemu-e2e: no firmware at $elf (scripts/firmware.sh build --board microbit)" >&2; exit 2; }
[[ -x "$p14p" ]] || { echo "qemu-e2e: no $p14p (cargo build --release -p p14p)" >&2; exit 2; }

qemu-system-arm -machine microbit -nographic -monitor none \
    -serial "tcp:127.0.0.1:$tcp,server=on,wait=off" -kernel "$elf" </dev/null >/dev/null &
qemu=$!
work="$(mktemp -d)"
trap 'kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null; rm -rf "$work"' EXIT
port=(--port "tcp:127.0.0.1:$tcp")
# Wait for QEMU to listen (bounded).
for _ in $(seq 50); do
    if timeout 5 "$p14p" "${port[@]}" df >/dev/null 2>&1; then break; fi
    sleep 0.2
done

passed=0
failed=0
check() { # NAME EXPECTED ACTUAL
    if [[ "$2" == "$3" ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: expected [$2], got [$3]" >&2
    fi
}

# FICR: 1 KiB code pages, 256 of them (the 256 KiB nRF51822 QFAA).
check "peek FICR CODEPAGESIZE" "0x10000010: 0x00000400  (1024)" "$("$p14p" "${port[@]}" peek 0x10000010 1)"
check "peek FICR CODESIZE" "0x10000014: 0x00000100  (256)" "$("$p14p" "${port[@]}" peek 0x10000014 1)"
"$p14p" "${port[@]}" poke 0x20003F00 0xC0FFEE42 >/dev/null
check "poke/peek USER RAM" "0x20003f00: 0xc0ffee42  (3237998146)" "$("$p14p" "${port[@]}" peek 0x20003F00 1)"

# The store: a data file and a module pushed, listed, read back; the
# module (a 3.6 KiB image in IMAGE_FORMAT 5: RAM loading refuses it, the 5.3 KiB heap cannot
# hold it beside the program) imported in place from flash.
mkdir -p "$work/dev" "$work/prog"
printf 'x,y\n1,2\n' >"$work/dev/data.csv"
python3 - "$work/dev/bigmod.py" <<'PY'
import sys
body = ["def total(x):", "    s = 0"]
body += [f"    s = s + x * {i % 7} - {i % 5}" for i in range(400)]
body.append("    return s")
open(sys.argv[1], "w").write("\n".join(body) + "\n")
PY
printf 'import bigmod\nprint(bigmod.total(3))\nprint(open("data.csv").read().split())\n' >"$work/prog/main.py"
"$p14p" "${port[@]}" push "$work/dev/bigmod.py" "$work/dev/data.csv" >/dev/null
check "ls" "bigmod.py data.csv" "$("$p14p" "${port[@]}" ls | awk '{print $4}' | sort | xargs)"
check "cat" "$(cat "$work/dev/data.csv")" "$("$p14p" "${port[@]}" cat data.csv)"
want="$(cd "$work/dev" && PYTHONPATH=. python3 "$work/prog/main.py")"
check "import in place" "$want" "$("$p14p" "${port[@]}" run "$work/prog/main.py" 2>&1)"
check "RAM load refused" "refused" "$("$p14p" "${port[@]}" push --ram "$work/dev/bigmod.py" 2>&1 | grep -o refused | head -1 || true)"
"$p14p" "${port[@]}" rm bigmod.py data.csv >/dev/null

status=0
"$p14p" test "$root/tests/hil/common" "$root/tests/hil/microbit" "${port[@]}" || status=1
"$root/scripts/conformance.sh" --known "$root/tests/conformance-known-failures-microbit.txt" "${port[@]}" || status=1
echo "qemu-e2e: $passed passed, $failed failed"
((failed == 0)) || status=1
exit "$status"
