# A list that keeps growing while temporaries churn around it (a logger
# keeping lines): on the simulator's 64 KiB heap it must reach 400 lines
# of 48 characters (about 27 KiB in use). With MicroPython's policy of
# collecting only a full heap (gc.threshold(-1)) the survivors lie
# scattered over the whole heap and the list found no hole to grow into at
# 200; the boot threshold of a quarter of the heap keeps them together
# (device/src/heap/mod.rs, BOOT_THRESHOLD_SHARE).
lines = []
seed = 1
while len(lines) < 400:
    line = []
    for k in range(12):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        line.append(str(seed >> 20))
    lines.append(" ".join(line))
print(len(lines), len(lines[-1]) > 20)
