# Imports the stored modules ../xipmod.py (two 1 KiB pages of the lm3s6965
# store) and ../bigxipmod.py (five pages), pushed first (see .ci/run), and
# reports for each whether its bytecode was copied into the heap.
import gc

gc.collect()
before = gc.mem_alloc()
import xipmod

gc.collect()
grew = gc.mem_alloc() - before
print("total", xipmod.total(10))
print("in place" if grew < 1000 else "copied: %d bytes" % grew)

gc.collect()
before = gc.mem_alloc()
import bigxipmod

gc.collect()
grew = gc.mem_alloc() - before
print("big total", bigxipmod.total(10))
print("big in place" if grew < 1000 else "big copied: %d bytes" % grew)
