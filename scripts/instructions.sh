#!/usr/bin/env bash
# Instructions executed by the benchmark programs, counted by callgrind:
# the figure for a speed comparison on a shared machine, where wall time
# swings by ±30% with the load and this count moves by well under 0.1%.
#
#   scripts/instructions.sh [--base OLD_P14P] [P14P]
#
# Runs each bench/scaled/*.py (the ../shared/bench programs with their
# loop counts cut so that one runs in seconds under callgrind) with
# `P14P run -p sim --heap 4194304 FILE` (default: target/release/p14p; the simulated
# device runs in the same process, so the count covers the host's compile
# and the VM), checks its output against python3's, and prints the count.
# With --base, it runs the other binary too (e.g. one built from an older
# commit: `git worktree add /tmp/old REV && cargo build --release -p p14p
# --manifest-path /tmp/old/Cargo.toml`) and prints the change per program
# and their geometric mean; the footprint issue allows +10% overall.
#
# Needs valgrind and python3. Exits 1 when an output differs from python3's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=""
if [[ "${1:-}" == "--base" ]]; then
    base="$2"
    shift 2
fi
new="${1:-$root/target/release/p14p}"
for tool in valgrind python3; do
    command -v "$tool" > /dev/null || {
        echo "instructions: $tool not found" >&2
        exit 2
    }
done
for bin in "$new" ${base:+"$base"}; do
    [[ -x "$bin" ]] || {
        echo "instructions: no p14p at $bin (cargo build --release -p p14p)" >&2
        exit 2
    }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Instructions of one run of $1 on program $2, its output checked.
count() {
    local bin="$1" file="$2" want="$3"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$bin" run -p sim --heap 4194304 "$file" > "$work/out" 2> "$work/err" || {
        echo "instructions: $bin run $file failed:" >&2
        tail -5 "$work/err" >&2
        return 1
    }
    if ! cmp -s "$work/out" "$want"; then
        echo "instructions: $file printed something else than python3 (with $bin)" >&2
        diff "$want" "$work/out" | head -5 >&2
        return 1
    fi
    awk '/Collected :/ { print $NF }' "$work/err"
}

status=0
if [[ -n "$base" ]]; then
    printf '%-12s %14s %14s %8s\n' program base new change
else
    printf '%-12s %14s\n' program instructions
fi
log_sum=0
n=0
for file in "$root"/bench/scaled/*.py; do
    name="$(basename "$file" .py)"
    python3 "$file" > "$work/want"
    new_count="$(count "$new" "$file" "$work/want")" || { status=1; continue; }
    if [[ -z "$base" ]]; then
        printf '%-12s %14d\n' "$name" "$new_count"
        continue
    fi
    base_count="$(count "$base" "$file" "$work/want")" || { status=1; continue; }
    read -r change log_ratio < <(python3 -c "import math; r = $new_count / $base_count; print(f'{(r - 1) * 100:+.2f}%', math.log(r))")
    printf '%-12s %14d %14d %8s\n' "$name" "$base_count" "$new_count" "$change"
    log_sum="$(python3 -c "print($log_sum + $log_ratio)")"
    n=$((n + 1))
done
if ((n > 0)); then
    python3 -c "import math; print(f'geometric mean: {(math.exp($log_sum / $n) - 1) * 100:+.2f}% instructions over {$n} programs')"
fi
exit "$status"
