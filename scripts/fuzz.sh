#!/usr/bin/env bash
# Fuzzes the device's untrusted inputs (frames, requests, images, the
# verifier, verify-then-run) with the p14p-fuzz harness, release build.
#
#   scripts/fuzz.sh            the CI run: 150 s in all (30 s a target)
#   scripts/fuzz.sh 3600       a developer's long run: an hour in all
#   FUZZ_SEED=7 scripts/fuzz.sh 600   a chosen input stream
#
# The seed is fixed (1) when CI is set, so CI sees the same inputs every
# time and a red run is reproducible; otherwise it is the clock, so long
# runs explore new inputs. Each run's seed is printed; a crashing input lands in fuzz/crashes/ and
# the script fails. Replay one with
#   target/release/p14p-fuzz --replay <target> fuzz/crashes/<file>.bin
# and, once fixed, move it to fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
total="${1:-150}"
per=$(( total / 5 ))
(( per >= 1 )) || per=1
if [ -n "${CI:-}" ]; then default_seed=1; else default_seed="$(date +%s)"; fi
seed="${FUZZ_SEED:-$default_seed}"
cargo build --release -q -p p14p-fuzz
target/release/p14p-fuzz all --seconds "$per" --seed "$seed"
