#!/usr/bin/env bash
# Runs FILE.py with MicroPython, the reference `p14p bench` compares with:
#
#   p14p bench bench/programs --micropython scripts/micropython.sh
#
# A `micropython` on PATH (the unix port; the fair reference is one built
# from MicroPython's sources with -O2: `make -C ports/unix`) is used as is.
# Otherwise MicroPython's WebAssembly port from npm runs under node,
# installed into target/micropython-wasm on first use (needs node and npm).
# WebAssembly is slower than a native build, so its times flatter p14p:
# say which one a figure came from (`scripts/micropython.sh --which`).
set -euo pipefail
file=${1:?usage: scripts/micropython.sh FILE.py | --which}
if command -v micropython >/dev/null 2>&1; then
    if [ "$file" = --which ]; then
        echo "MicroPython (native: $(command -v micropython))"
        exit 0
    fi
    exec micropython "$file"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/target/micropython-wasm"
if [ ! -d "$dir/node_modules/@micropython/micropython-webassembly-pyscript" ]; then
    mkdir -p "$dir"
    echo "installing MicroPython's WebAssembly port into $dir (npm)" >&2
    (cd "$dir" && npm install --silent --no-save @micropython/micropython-webassembly-pyscript@1.27.0 >&2)
fi
cp "$root/scripts/micropython-wasm.mjs" "$dir/run.mjs"
if [ "$file" = --which ]; then
    echo "MicroPython 1.27.0 (WebAssembly under node $(node --version): slower than a native build)"
    exit 0
fi
exec node "$dir/run.mjs" "$file"
