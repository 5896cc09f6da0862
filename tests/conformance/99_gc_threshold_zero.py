# Growing containers and temporaries with a collection at every
# allocation (MicroPython's gc.threshold(0); CPython has no gc.threshold,
# so there the program just runs): whatever the VM holds between two
# allocations must be rooted, or these results change. Small enough for
# the micro:bit's 7 KB heap.
import gc

if hasattr(gc, "threshold"):
    gc.threshold(0)

items = []
for i in range(60):
    items.append([i, str(i), (i, i * i)])
print(len(items), items[-1], sum(x[2][1] for x in items))
items = None
text = "".join(str(i) for i in range(120))
print(len(text), text[-12:])
d = {}
for i in range(60):
    d["k" + str(i)] = [i] * (i % 7)
print(len(d), d["k59"], sum(len(v) for v in d.values()))
d = None
words = " ".join("w%d" % i for i in range(60)).split()
print(len(words), words[50], sorted(words)[:3])
words = None
print([x * 2 for x in range(20) if x % 3], {i: i * i for i in range(5)})
s = set()
for i in range(80):
    s.add((i % 40, str(i % 40)))
print(len(s), min(s), max(s))
if hasattr(gc, "threshold"):
    gc.threshold(-1)
