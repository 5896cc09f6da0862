# gc.enable/disable/isenabled/threshold by MicroPython's documented
# behaviour (docs/library/gc.rst; py/gc.c's gc_alloc): a threshold makes
# a collection whenever that many bytes were allocated since the last;
# disabled, nothing collects but gc.collect(), not even a full heap (it
# raises MemoryError). The simulator's 64 KiB heap; each check prints a
# truth, so gc_policy.exp is written by construction.
import gc

# At boot a quarter of the heap (MicroPython: -1, none; see heap::BOOT_THRESHOLD_SHARE).
print("at boot", gc.isenabled(), gc.threshold())
gc.threshold(1000)
print("set", gc.threshold())
gc.threshold(1002)
print("rounded to the word", gc.threshold())
gc.threshold(-5)
print("negative is none", gc.threshold())


def churn(n):
    # n lists of 20 items, each garbage at the next: the least free seen.
    low = gc.mem_free()
    for i in range(n):
        x = [i] * 20
        f = gc.mem_free()
        if f < low:
            low = f
    return low


gc.collect()
base = gc.mem_free()
print("no threshold: garbage piles up", base - churn(200) > 10000)
gc.threshold(2048)
gc.collect()
base = gc.mem_free()
print("threshold 2048: collected on the way", base - churn(200) < 2048 + 512)
gc.disable()
print("disabled", gc.isenabled(), gc.threshold())
gc.collect()
base = gc.mem_free()
print("disabled: no threshold collection", base - churn(200) > 10000)
try:
    while True:
        x = [0] * 20
except MemoryError:
    gc.collect()
    print("disabled: a full heap raises MemoryError")
gc.enable()
print("enabled", gc.isenabled(), gc.mem_free() > base - 1000)
gc.threshold(-1)
