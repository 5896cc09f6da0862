#!/usr/bin/env bash
# The shared conformance corpus as a regression gate.
#
#   scripts/conformance.sh [--known FILE] [P14P_ARGS...]
#   e.g. scripts/conformance.sh --known tests/conformance-known-failures-lm3s6965.txt --port tcp:127.0.0.1:7415
#
# Runs every program of ../shared/conformance through
# `target/release/p14p run [P14P_ARGS...]` with the shared runner, then
# compares the failing files with the known-failures list (default
# tests/conformance-known-failures.txt, the simulator's):
# a failure not on that list fails the gate (a regression); a listed file
# that now passes also fails it, so the list only ever shrinks and always
# says exactly where the project stands. Without ../shared it says so and
# fails when CI is set (a fresh clone must not silently drop the gate);
# elsewhere it says so and passes. P14P_SHARED names the shared folder
# when it is not beside the checkout (a git worktree elsewhere).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${P14P_SHARED:-$root/../shared}/conformance"
known="$root/tests/conformance-known-failures.txt"
if [ "${1:-}" = --known ]; then
    known="$2"
    shift 2
fi
if [ ! -d "$corpus" ]; then
    if [ -n "${CI:-}" ]; then
        echo "conformance: $corpus not found: CI cannot run the conformance gate (clone p14p beside shared/, or set P14P_SHARED)" >&2
        exit 1
    fi
    echo "conformance: $corpus not found; skipped (CI fails here)" >&2
    exit 0
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# run.sh exits non-zero when anything fails; the gate below decides.
bash "$corpus/run.sh" "$root/target/release/p14p" run "$@" | tee "$log" || true
"$root/scripts/known-gate.sh" "$log" "$known" conformance
