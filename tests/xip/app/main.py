# Imports the stored module ../xipmod.py (pushed first, see .ci/run) and
# reports whether its bytecode was copied into the heap.
import gc

gc.collect()
before = gc.mem_alloc()
import xipmod

gc.collect()
grew = gc.mem_alloc() - before
print("total", xipmod.total(10))
print("in place" if grew < 1000 else "copied: %d bytes" % grew)
