# Dict insert, lookup, update and delete with int and str keys.
def run(n):
    d = {}
    for i in range(n):
        d[i] = i * 2
    s = 0
    for i in range(0, n, 3):
        s += d[i]
    names = {}
    for i in range(n // 4):
        key = "k" + str(i % 500)
        names[key] = names.get(key, 0) + 1
    for i in range(0, n, 2):
        del d[i]
    return (s & 0xFFFFF) + len(d) + len(names) + names["k7"]

total = 0
for _ in range(8):
    total += run(2000)
print("dicts", total)
