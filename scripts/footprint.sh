#!/usr/bin/env bash
# Footprint of the LM3S6965 firmware, from its ELF.
#
#   scripts/footprint.sh [--check] [ELF]
#
# Prints text/data/bss (berkeley `size`: text = vector table + code +
# constants, i.e. flash without .data's initial values), the flash and
# static RAM totals, the 20 largest flash symbols and the 5 largest RAM
# symbols. With --check, exits 1 when text exceeds the ceiling in
# ports/lm3s6965/footprint-budget.txt.
#
# Needs arm-none-eabi-size and arm-none-eabi-nm (Debian: binutils-arm-none-eabi).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check=0
if [[ "${1:-}" == "--check" ]]; then
    check=1
    shift
fi
elf="${1:-$root/ports/lm3s6965/target/thumbv7m-none-eabi/release/p14p-lm3s6965}"
budget_file="$root/ports/lm3s6965/footprint-budget.txt"

for tool in arm-none-eabi-size arm-none-eabi-nm; do
    command -v "$tool" >/dev/null || {
        echo "footprint: $tool not found (apt-get install binutils-arm-none-eabi)" >&2
        exit 2
    }
done
[[ -f "$elf" ]] || {
    echo "footprint: no ELF at $elf (build first: scripts/firmware.sh build)" >&2
    exit 2
}

read -r text data bss _ < <(arm-none-eabi-size -B "$elf" | tail -n 1)
echo "firmware: $elf"
printf '%-6s %7d bytes   (flash: vector table, code, constants)\n' text "$text"
printf '%-6s %7d bytes   (flash and RAM: initialised statics)\n' data "$data"
printf '%-6s %7d bytes   (RAM: zeroed statics, heap arena included)\n' bss "$bss"
printf 'flash  %7d bytes of 262144\n' $((text + data))
printf 'RAM    %7d bytes of  64512 static (the rest of RAM is stack)\n' $((data + bss))

echo
echo "largest flash symbols (bytes, kind, name):"
arm-none-eabi-nm -C -S --size-sort -t d "$elf" |
    awk '$3 ~ /^[tTrR]$/ { printf "%7d  %s  ", $2 + 0, $3; $1=$2=$3=""; sub(/^ +/, ""); print }' |
    sort -rn | awk 'NR <= 20' # not head: under pipefail, sort would die of SIGPIPE
echo
echo "largest RAM symbols:"
arm-none-eabi-nm -C -S --size-sort -t d "$elf" |
    awk '$3 ~ /^[bBdD]$/ { printf "%7d  %s  ", $2 + 0, $3; $1=$2=$3=""; sub(/^ +/, ""); print }' |
    sort -rn | awk 'NR <= 5'

if ((check)); then
    budget="$(grep -v '^#' "$budget_file" | tr -d '[:space:]')"
    echo
    if ((text > budget)); then
        echo "footprint: FAIL: text $text bytes exceeds the budget of $budget ($budget_file)" >&2
        exit 1
    fi
    echo "footprint: ok: text $text bytes <= budget $budget"
fi
