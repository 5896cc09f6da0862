# A dict that deletes as it grows keeps its table: the deleted entries make
# the room in place (a module's globals after `except E as e`, too).
d = {}
for i in range(50):
    d[i] = i * i
    if i % 3 == 0:
        del d[i]
    if i % 7 == 0 and i - 1 in d:
        del d[i - 1]
print(len(d), list(d.items())[:10], sum(d.values()), 48 in d, 45 in d)
g = {}
for r in range(30):
    g["e"] = r
    del g["e"]
    g["k%d" % (r % 4)] = r
print(g)
s = set()
for i in range(40):
    s.add(i % 9)
    s.discard((i + 3) % 9)
print(sorted(s))
for i in range(5):
    try:
        raise ValueError(i)
    except ValueError as e:
        last = e
print(last, "e" in globals())
