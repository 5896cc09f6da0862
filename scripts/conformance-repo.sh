#!/usr/bin/env bash
# The repository's own conformance programs (tests/conformance/*.py, each
# with the output CPython gives in its .exp) on a device, as a regression
# gate like scripts/conformance.sh's over the shared corpus:
#
#   scripts/conformance-repo.sh --known FILE [P14P_ARGS...]
#   e.g. scripts/conformance-repo.sh --known tests/conformance-repo-known-failures-lm3s6965.txt \
#            --port tcp:127.0.0.1:7415
#
# A failure not on the known list fails the gate; a listed file that now
# passes fails it too, so the list says exactly where the device stands.
# A `skip NAME reason` line leaves a file out (one whose result is not
# deterministic there).
# (On the simulator, tests/conformance.rs runs them all and every one must
# pass.) CONFORMANCE_TIMEOUT bounds each program (default 60 s).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "${1:-}" = --known ] || { echo "usage: $0 --known FILE [P14P_ARGS...]" >&2; exit 2; }
known="$2"
shift 2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for f in "$root"/tests/conformance/*.py; do
    name="$(basename "$f")"
    if grep -q "^skip $name\b" "$known"; then
        echo "SKIP $name"
        continue
    fi
    if timeout "${CONFORMANCE_TIMEOUT:-60}" "$root/target/release/p14p" "$@" run "$f" 2> /dev/null \
        | cmp -s "${f%.py}.exp" -; then
        echo "PASS $name" | tee -a "$log"
    else
        echo "FAIL $name" | tee -a "$log"
    fi
done
"$root/scripts/known-gate.sh" "$log" "$known" conformance-repo
