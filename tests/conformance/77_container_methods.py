# The methods of list, tuple, dict and set, and the constructors int(),
# range(), set(), enumerate/zip/map and dict(), as their types' files
# implement them: each method's argument forms, edge cases and errors.


def err(f, *args, **kw):
    try:
        print(repr(f(*args, **kw)))
    except Exception as e:
        print(type(e).__name__, e)


# Only the type, where the device's message is not CPython's.
def err_type(f, *args, **kw):
    try:
        print(repr(f(*args, **kw)))
    except Exception as e:
        print(type(e).__name__)


l = [3, 1, 2]
l.append(4)
l.extend((5, 6))
l.extend(x for x in [7])
print(l, l.pop(), l.pop(0), l.pop(-2), l)
l.insert(0, "a")
l.insert(-1, "b")
l.insert(100, "c")
l.insert(-100, "d")
print(l)
l.remove("b")
print(l, l.index(2), l.index("c"), l.index(1, 2), l.index(2, -4, -1))
err(l.remove, "zz")
err(l.index, "zz")
err(l.index, 3, 4)
err([].pop)
err([1].pop, 5)
err_type(l.insert, "x", 1)
m = [5, 2, 8, 1]
m.sort()
print(m, m.copy(), m.copy() is m)
m.sort(reverse=True)
print(m)
m.sort(key=lambda x: x % 3)
print(m)
m.reverse()
print(m)
m.clear()
print(m, len(m))
print([1, 2, 1, 1].count(1), [[1], [1]].count([1]))
err_type(l.append)
err_type(l.append, 1, 2)

t = (1, 2, 3, 2, 1)
print(t.index(2), t.index(2, 2), t.index(1, -1), t.count(2), t.count(9), ().count(0))
err(t.index, 9)
err(t.index, 3, 0, 2)

d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", 0), list(d.keys()), list(d.values()), list(d.items()))
print(d.pop("a"), d.pop("z", None), d)
err(d.pop, "z")
d.update({"c": 3}, d=4)
d.update([("e", 5), ["f", 6]])
d.update(g=7)
print(d, d.popitem(), d)
e = d.copy()
e["x"] = 0
print(d, e, e is d)
e.clear()
print(e, len(e))
err({}.popitem)
err_type(d.update, [(1, 2, 3)])
err_type(d.update, [1])
print(dict.fromkeys("ab"), dict.fromkeys([1, 2], 0), dict.fromkeys([]))
print(d.setdefault("c", 9), d.setdefault("new", 9), d.setdefault("n2"), d)
print(dict(), dict(a=1), dict([(1, 2)], b=3), dict({1: 2}), dict(zip("xy", [1, 2])))
err(dict, 1)
err_type(dict, [1, 2])

s = {1, 2, 3}
s.add(4)
s.add(1)
s.remove(4)
s.discard(9)
s.discard(3)
print(s, s.copy(), s.copy() is s)
err(s.remove, 9)
p = {7}
print(p.pop(), p)
err(p.pop)
s.update([5, 6], (7,), {8})
print(sorted(s))
s.clear()
print(s, len(s))
a, b = {1, 2, 3}, {2, 3, 4}
print(sorted(a.union(b, [9])), sorted(a.intersection(b, [3])), sorted(a.difference(b)),
      sorted(a.symmetric_difference(b)), a.union() == a, a.union() is a)
print(a.issubset([1, 2, 3, 4]), a.issubset(b), a.issuperset({1}), a.issuperset([5]),
      a.isdisjoint([7, 8]), a.isdisjoint(b))
f = frozenset([1, 2])
print(f.union([3]) == {1, 2, 3}, f.issubset(a), f.isdisjoint([3]), sorted(f.copy()))
err(getattr, f, "add")
err(a.union, 5)
print(set(), frozenset(), set("aab") == {"a", "b"}, frozenset(range(3)), set({1: 2}))
err(set, 1)
err_type(set, 1, 2)

for args in [("12",), (" -7 ",), ("+0x1f", 16), ("0x1f", 0), ("0o17", 0), ("0b101", 0),
             ("1_000",), ("z", 36), ("777", 8), (3.9,), (-3.9,), (True,), ("10", 2),
             ("123456789012345678901234567890",), ("-0",)]:
    err(int, *args)
print(int(), int("11", base=3))
for bad in ["0x", "", "1_", "_1", "1__0", "12a", "0x1f", "--1", "1.5"]:
    err(int, bad)
err_type(int, "1", 1)
err_type(int, "1", 37)
err_type(int, 5, 10)
err_type(int, None)

print(list(range(3)), list(range(1, 4)), list(range(5, 0, -2)), list(range(0)), range(2, 9, 3))
err_type(range, 1, 2, 0)
err_type(range, 1.5)
err_type(range)

print(list(enumerate("ab")), list(enumerate("ab", 5)), list(enumerate("ab", start=-1)))
print(list(zip()), list(zip("ab", [1, 2, 3])), list(map(abs, [-1, 2])), list(map(pow, [2, 3], [2, 2])))
err_type(map, abs)
err(zip, 5)
err(enumerate, 5)
