#!/usr/bin/env bash
# Regenerates every *.exp in this folder from CPython: the expected output of
# FILE.py is exactly what `python3 FILE.py` prints. Never edit .exp by hand;
# the conformance test fails when a committed .exp is stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
py="${PYTHON:-python3}"
for f in *.py; do
    "$py" "$f" > "${f%.py}.exp"
done
echo "regenerated $(ls *.exp | wc -l) expected outputs with $("$py" --version)"
