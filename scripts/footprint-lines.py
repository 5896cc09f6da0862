#!/usr/bin/env python3
"""Flash bytes by source line and by inlined helper, from a firmware ELF.

    scripts/footprint-lines.py [--top N] [--symbol NAME] [--base OLD_ELF] [ELF]

`scripts/footprint.sh` sums bytes per function; a function's bytes are
mostly other functions inlined into it. This attributes every instruction of
`.text` to the innermost frame of its inlining chain that is the project's
own code (`device/`, `protocol/`, `ports/`), using the ELF's line tables
(`addr2line -i`), and prints:

* the source lines that cost the most bytes, wherever they were inlined
  (`device/src/heap/mod.rs:186 6064`: the checked heap read, everywhere);
* the inlined helpers that cost the most, with the number of functions
  they were inlined into (a helper in many functions at many bytes each is
  the place to look for a cheaper shape, or for taking it out of line).

With `--symbol NAME`, only the instructions of the largest function whose
name contains NAME (a look inside one function). With `--base OLD_ELF`,
the same tables for the change from OLD_ELF (a build of an earlier
commit) to ELF: the lines and helpers whose bytes moved most, either way
(an edit that shifts lines shows its unchanged code as a − and a +; the
helpers' table is the one to read for a change). ELF defaults to the
LM3S6965 full build. Needs python3 and arm-none-eabi-objdump, -addr2line
and -nm (Debian: binutils-arm-none-eabi). Lines shown as `file:?` are code
the line tables leave without a line (jump tables, merged tails).
"""

import argparse
import collections
import os
import re
import signal
import subprocess
import sys

# Piped into `head`: end quietly when the reader stops.
signal.signal(signal.SIGPIPE, signal.SIG_DFL)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ELF = os.path.join(
    ROOT, "ports/lm3s6965/target/thumbv7m-none-eabi/release/p14p-lm3s6965"
)
# Where the project's own sources are; everything else (core, compiler
# builtins, crates.io) is attributed to the project frame that called it.
OWN = re.compile(r"/(device|protocol|ports)/")


def run(args, stdin=None):
    return subprocess.run(
        args, input=stdin, capture_output=True, text=True, check=True
    ).stdout


def instructions(elf, symbol):
    """(address, size in bytes) of each instruction in .text, or in the
    largest function whose name contains `symbol`."""
    span = []
    if symbol:
        rows = []
        for line in run(["arm-none-eabi-nm", "-C", "-S", elf]).splitlines():
            parts = line.split(None, 3)
            if len(parts) == 4 and parts[2] in "tT" and symbol in parts[3]:
                rows.append((int(parts[1], 16), int(parts[0], 16) & ~1, parts[3]))
        if not rows:
            sys.exit(f"footprint-lines: no function named like {symbol!r}")
        size, start, name = max(rows)
        print(f"{name}: {size} bytes")
        span = [f"--start-address={start}", f"--stop-address={start + size}"]
    out = run(["arm-none-eabi-objdump", "-d", "-j", ".text", *span, elf])
    found = []
    for line in out.splitlines():
        m = re.match(r"\s+([0-9a-f]+):\s+((?:[0-9a-f]{4} ?){1,2})\s", line)
        if m:
            found.append((int(m.group(1), 16), 2 * len(m.group(2).split())))
    return found


def frames(elf, addrs):
    """Per address, its inlining chain, innermost first: (function, file:line)."""
    out = run(
        ["arm-none-eabi-addr2line", "-a", "-i", "-f", "-C", "-e", elf],
        stdin="".join(f"{a:#x}\n" for a in addrs),
    )
    chains, cur = {}, None
    for line in out.splitlines():
        if re.fullmatch(r"0x[0-9a-f]+", line):
            cur = chains.setdefault(int(line, 16), [])
        elif cur is not None:
            cur.append(line)
    return {a: list(zip(c[0::2], c[1::2])) for a, c in chains.items()}


def costs(elf, symbol):
    """(bytes of code, bytes per source line, bytes per inlined helper,
    the functions each helper was inlined into) of `elf`."""
    ins = instructions(elf, symbol)
    chains = frames(elf, [a for a, _ in ins])
    by_line = collections.Counter()
    by_helper = collections.Counter()
    callers = collections.defaultdict(set)
    for addr, size in ins:
        chain = chains.get(addr) or [("?", "?:?")]
        func, loc = next(((f, l) for f, l in chain if OWN.search(l)), chain[-1])
        loc = re.sub(r" \(discriminator \d+\)", "", loc)
        # The path from the crate's folder on (the line tables give paths
        # from where each crate was built).
        loc = re.sub(r"^.*/((device|protocol|ports/[^/]+)/src/)", r"\1", loc)
        by_line[loc] += size
        outer = chain[-1][0]
        if func != outer:
            by_helper[func] += size
            callers[func].add(outer)
    return sum(size for _, size in ins), by_line, by_helper, callers


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("elf", nargs="?", default=DEFAULT_ELF)
    ap.add_argument("--top", type=int, default=25, help="rows per table (25)")
    ap.add_argument("--symbol", help="only this function (largest match)")
    ap.add_argument("--base", help="an earlier build: show the change from it")
    args = ap.parse_args()
    for elf in [args.elf] + ([args.base] if args.base else []):
        if not os.path.exists(elf):
            sys.exit(f"footprint-lines: no ELF at {elf} (scripts/firmware.sh build)")
    total, by_line, by_helper, callers = costs(args.elf, args.symbol)
    if args.base:
        base_total, base_line, base_helper, _ = costs(args.base, args.symbol)
        print(f"{base_total} -> {total} bytes of code ({total - base_total:+})\n")
        for title, new, old in (
            ("source line", by_line, base_line),
            ("inlined helper", by_helper, base_helper),
        ):
            delta = {k: new[k] - old[k] for k in set(new) | set(old)}
            moved = sorted((k for k in delta if delta[k]), key=lambda k: -abs(delta[k]))
            print(f"change  {title}")
            for k in moved[: args.top]:
                print(f"{delta[k]:+6}  {k[:110]}")
            print()
        return
    print(f"{total} bytes of code\n")
    print("bytes  source line (innermost project frame)")
    for loc, n in by_line.most_common(args.top):
        print(f"{n:6}  {loc}")
    print("\nbytes  functions  inlined helper")
    for func, n in by_helper.most_common(args.top):
        print(f"{n:6}  {len(callers[func]):9}  {func[:110]}")


if __name__ == "__main__":
    main()
