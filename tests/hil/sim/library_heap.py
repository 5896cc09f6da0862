# A frozen library module costs heap only while it is used: gc.collect(),
# and an allocation that finds the heap full, drop the stateless ones
# nothing refers to, and their next use loads them again from flash.
# str.center's module (str's padding methods, split off `_str`) takes about
# 0.9 KiB of functions, globals and tables when loaded; `sys.modules` shows
# it, and that the rest of `_str` stays out. Each check prints a truth, so
# library_heap.exp is written by construction.
import gc
import sys

mods = sys.modules
PAD = "_str:ljust:rjust:center:zfill"
gc.collect()
base = gc.mem_free()
print("loaded and used", "ab".center(6, "*"), PAD in mods, "_str" not in mods)
print("loading takes heap", base - gc.mem_free() > 600)
gc.collect()
print("dropped by gc.collect()", PAD not in mods, base - gc.mem_free() < 300)
print("loaded again", "ab".center(5, "-"), PAD in mods)
# A bound method keeps its function, and what the function needs.
f = "xy".center
gc.collect()
print("a kept method still runs", f(6, "."))
f = None


def fill():
    # Lists until the heap is full; then: is the module still loaded?
    big = []
    try:
        while True:
            big.append([0] * 64)
    except MemoryError:
        return PAD in mods


print("used again", "z".ljust(3, "!"), PAD in mods)
print("a full heap drops the library first", not fill())
gc.collect()
print("the heap came back", gc.mem_free() > base - 300)
print("and the library works", "q".rjust(3, "+"))
