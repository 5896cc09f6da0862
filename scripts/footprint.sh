#!/usr/bin/env bash
# Footprint of the LM3S6965 firmware, from its ELF.
#
#   scripts/footprint.sh [--budget FILE] [--check] [ELF]
#
# Prints text/data/bss (berkeley `size`: text = vector table + code +
# constants, i.e. flash without .data's initial values), text split into
# native code and the frozen library's bytes (lib/*.py compiled), the flash and
# static RAM totals, the flash bytes summed per part (VM, types, numbers,
# builtins, link, loader, store, port, runtime, frozen library; issue 4's aim
# counts VM + link + loader + store), per module (the 15 largest
# module paths, three path segments deep, e.g. p14p_device::vm::dispatch;
# per crate too), the 20 largest flash symbols and the 5 largest RAM
# symbols, then the stack: what RAM leaves it and the 5 largest stack
# frames (`sub sp, #N` in each function's prologue). It also prints the
# static RAM besides the heap arena (`ARENA`, handed to the VM) and the
# store region (`store::REGION`, which stands for flash on a real chip):
# the device, the UART ring and the rest; issue 4 aimed at 2048 bytes, issue 13 at 1024.
#
# With --check, exits 1 when text exceeds the ceiling in the budget file
# (default ports/lm3s6965/footprint-budget.txt), when that static RAM
# exceeds the file's `static-ram` ceiling (if it has one), or when one
# frame leaves less than 4 KiB of the stack to everything else (a 20 KiB
# frame in `main` once let deep calls overwrite .bss).
#
# Budget file: `#` comment lines, the text ceiling in bytes alone on a line
# (text includes the frozen library: it is the sum native + library),
# optionally `library N` (the frozen library's ceiling) and `static-ram N`,
# each on a line of its own.
#
# Inside the functions: scripts/footprint-lines.py attributes the code to
# source lines and inlined helpers (what a helper costs over all its sites).
#
# Needs arm-none-eabi-size, -nm and -objdump (Debian: binutils-arm-none-eabi).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check=0
budget_file="$root/ports/lm3s6965/footprint-budget.txt"
if [[ "${1:-}" == "--budget" ]]; then
    budget_file="$2"
    shift 2
fi
if [[ "${1:-}" == "--check" ]]; then
    check=1
    shift
fi
elf="${1:-$root/ports/lm3s6965/target/thumbv7m-none-eabi/release/p14p-lm3s6965}"

for tool in arm-none-eabi-size arm-none-eabi-nm arm-none-eabi-objdump; do
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
# The stack, from cortex-m-rt's symbols: it grows down from `_stack_start`
# to `_stack_end` (on the LM3S6965 from the end of RAM to the statics; on
# the micro:bit from below the statics to the start of RAM).
sym_addr() { arm-none-eabi-nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
stack=$(($(sym_addr _stack_start) - $(sym_addr _stack_end)))
# The frozen library (lib/*.py compiled by the host, device/src/vm/frozen.rs)
# is one array static inside text: its size is the library's bytes.
library="$(arm-none-eabi-nm -C -S -t d "$elf" | awk '$4 ~ /::frozen::LIBRARY$/ { s += $2 } END { print s + 0 }')"
echo "firmware: $elf"
printf '%-6s %7d bytes   (flash: vector table, code, constants)\n' text "$text"
printf '  native  %7d bytes   (text without the library)\n' $((text - library))
printf '  library %7d bytes   (the frozen library: lib/*.py compiled, run in place)\n' "$library"
printf '  sum     %7d bytes   (native + library = text)\n' "$text"
printf '%-6s %7d bytes   (flash and RAM: initialised statics)\n' data "$data"
printf '%-6s %7d bytes   (RAM: zeroed statics, heap arena included)\n' bss "$bss"
printf 'flash  %7d bytes of 262144\n' $((text + data))
printf 'RAM    %7d bytes static, %d bytes of stack\n' $((data + bss)) "$stack"

# Flash symbols (sized, in text/rodata) as "bytes<TAB>module path". A symbol's
# module is its path minus the item name: `<impl X>` and closure segments are
# dropped, `<T as Trait>::f` counts for T's module, primitive types' methods
# (`<i128>::rem_euclid`) for core, and unmangled runtime symbols (memcpy,
# __aeabi_*: compiler_builtins' C-ABI entry points) for
# compiler_builtins. What has no sized symbol (string literals merged into
# anonymous sections, alignment padding) shows as the remainder.
modules() {
    arm-none-eabi-nm -C -S -t d "$elf" | perl -ne '
        next unless /^\S+ (\d+) [tTrR] (.+)$/;
        my ($size, $name) = ($1 + 0, $2);
        my $path;
        if ($name =~ /::frozen::LIBRARY$/) {
            $path = "[frozen library]";
        } elsif ($name =~ /^\.L/) {
            $path = "[anonymous constants]";
        } elsif ($name !~ /::/) {
            $path = "compiler_builtins (runtime entry points)";
        } else {
            # Drop balanced <...> groups, outermost first, except the leading
            # <T as Trait> / <T> whose T names the module.
            if ($name =~ /^<(?:&(?:mut )?)?([^<> ]+)/) {
                my $self_ty = $1;
                $name = $self_ty =~ /::/ ? $self_ty : "core::primitive::_";
            }
            1 while $name =~ s/<[^<>]*>//g;
            $name =~ s/\{\{closure\}\}//g;
            my @seg = grep { length } split /::/, $name;
            pop @seg;
            $path = join "::", @seg[0 .. ($#seg < 2 ? $#seg : 2)];
        }
        print "$size\t$path\n";
    '
}

sym_total="$(modules | awk -F'\t' '{ s += $1 } END { print s + 0 }')"
echo
echo "flash by crate (bytes):"
modules | awk -F'\t' '{ split($2, p, "::"); s[p[1]] += $1 } END { for (c in s) printf "%7d  %s\n", s[c], c }' |
    sort -rn | awk 'NR <= 10'
printf '%7d  (no sized symbol: merged string literals, padding)\n' $((text - sym_total))
echo
# The parts issue 4's aim names (VM, link, loader, store: 32 KiB), apart from
# the types' own code (organised by type, as MicroPython's obj*.c), the
# numbers beyond int, the builtins, the port and the Rust runtime. Symbols
# inlined into another part's function count there: the port's `main` holds
# the link's inlined command dispatch. Unmangled symbols without a path
# (memcpy, __aeabi_*, LLVM's OUTLINED_FUNCTION_*) count as runtime.
parts="$(modules | awk -F'\t' '
    { m = $2; p = "VM: interpreter, heap, classes, functions, exceptions" }
    m ~ /^p14p_device::obj::(str|bytes|list|tuple|dict|set|int|range|iter)(::|$)/ { p = "types: str, bytes, list, tuple, dict, set, int, range, iterators" }
    m ~ /^p14p_device::obj::(bigint|float|fmath|flib)/ || m ~ /^p14p_cortex_m::softfloat/ { p = "numbers: big int, float, soft float" }
    m ~ /^p14p_device::(builtins|vm::fmt)(::|$)/ { p = "builtins: functions, formatting, files, machine" }
    m ~ /^p14p_device::link/ || m ~ /^p14p_protocol::(frame|msg|seq|version|wire)/ || m ~ /^(serde|serde_core|postcard|crc)(::|$)/ { p = "link: protocol, codec, CRC, command handling" }
    m ~ /^p14p_device::load/ || m ~ /^p14p_protocol::(image|opcode)/ { p = "loader: image parsing, verifier" }
    m ~ /^p14p_device::store/ { p = "store: flash file system" }
    m ~ /^(p14p_lm3s6965|p14p_microbit|p14p_pico|p14p_cortex_m|cortex_m|cortex_m_rt)(::|$)/ && m !~ /softfloat/ { p = "port: boot, UART, clock, memory map, main loop" }
    m ~ /^(core|compiler_builtins|\[anonymous)/ { p = "runtime: core, compiler_builtins, outlined code" }
    m == "[frozen library]" { p = "frozen library: lib/*.py, compiled Python" }
    { s[p] += $1 }
    END { for (k in s) printf "%7d  %s\n", s[k], k }' | sort -rn)"
echo "flash by part (bytes):"
echo "$parts"
awk '/  (VM|link|loader|store):/ { s += $1 } END { printf "%7d  VM + link + loader + store (aim 32768)\n", s }' <<< "$parts"
echo
echo "flash by module (bytes, the 15 largest):"
modules | awk -F'\t' '{ s[$2] += $1 } END { for (m in s) printf "%7d  %s\n", s[m], m }' |
    sort -rn | awk 'NR <= 15'

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

# Static RAM besides the heap arena and the store region (both found by
# name; a build without one counts 0 for it).
sym_size() {
    arm-none-eabi-nm -C -S -t d "$elf" | awk -v re="$1" '$3 ~ /^[bBdD]$/ && $4 ~ re { s += $2 } END { print s + 0 }'
}
arena="$(sym_size '::ARENA$')"
region="$(sym_size '::store::REGION$')"
static_ram=$((data + bss - arena - region))
echo
echo "static RAM besides the heap and the store: $static_ram bytes (aim 1024, issue 13)"
echo "summary: text $((text - library)) + library $library = $text bytes; static RAM $static_ram bytes"
echo "  (heap arena $arena and store region $region bytes left out: the arena is the"
echo "  heap the manifest announces; the region stands for flash on a real chip)"

echo
echo "stack: $stack bytes; largest frames:"
frames="$(arm-none-eabi-objdump -d --no-show-raw-insn -C "$elf" |
    awk '/^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn) }
         /\tsub(\.w|w)?\tsp, / { if (match($0, /#[0-9]+/)) { n = substr($0, RSTART + 1, RLENGTH - 1) + 0; if (n > max[fn]) max[fn] = n } }
         END { for (f in max) printf "%7d  %s\n", max[f], f }' | sort -rn)"
awk 'NR <= 5' <<< "$frames"
largest_frame="$(awk 'NR == 1 { print $1 + 0 }' <<< "$frames")"

if ((check)); then
    # The text ceiling: the line that is a number alone.
    budget="$(awk '/^[[:space:]]*[0-9]+[[:space:]]*$/ { print $1 + 0; exit }' "$budget_file")"
    ram_budget="$(awk '$1 == "static-ram" { print $2 + 0; exit }' "$budget_file")"
    lib_budget="$(awk '$1 == "library" { print $2 + 0; exit }' "$budget_file")"
    [[ -n "$budget" ]] || {
        echo "footprint: no text ceiling in $budget_file" >&2
        exit 2
    }
    echo
    if ((largest_frame + 4096 > stack)); then
        echo "footprint: FAIL: a $largest_frame-byte stack frame leaves less than 4 KiB of the $stack-byte stack" >&2
        exit 1
    fi
    if ((text > budget)); then
        echo "footprint: FAIL: text $text bytes exceeds the budget of $budget ($budget_file)" >&2
        exit 1
    fi
    if [[ -n "$ram_budget" ]] && ((static_ram > ram_budget)); then
        echo "footprint: FAIL: static RAM besides the heap and the store, $static_ram bytes, exceeds the budget of $ram_budget ($budget_file)" >&2
        exit 1
    fi
    if [[ -n "$lib_budget" ]] && ((library > lib_budget)); then
        echo "footprint: FAIL: the frozen library, $library bytes, exceeds the budget of $lib_budget ($budget_file)" >&2
        exit 1
    fi
    echo "footprint: ok: text (native + library) $text bytes <= budget $budget${lib_budget:+; library $library bytes <= budget $lib_budget}${ram_budget:+; static RAM $static_ram bytes <= budget $ram_budget}"
fi
