# collections: namedtuple, deque, OrderedDict and defaultdict, printing
# only what CPython and the device agree on.
from collections import namedtuple, deque, OrderedDict, defaultdict
import collections

Point = namedtuple("Point", "x y")
p = Point(1, 2)
print(p, p.x, p.y, p[0], p[-1], p[:1], len(p))
x, y = p
print(x, y, list(p), tuple(p), 2 in p, 3 in p)
print(p == (1, 2), (1, 2) == p, p == Point(1, 2), p != (2, 1), p == Point(2, 1))
print(Point._fields, p._asdict(), type(p).__name__)
P3 = namedtuple("P3", ["a", "b", "c"])
q = P3(1, c=3, b="two")
print(q, q.b, sum(p), max(P3(4, 5, 6)))
P2 = collections.namedtuple("P2", "u,v")
print(P2(u=[1], v=None), P2._fields)
for f in (lambda: Point(1), lambda: Point(1, 2, 3), lambda: Point(1, z=2)):
    try:
        f()
    except TypeError:
        print("TypeError")
try:
    p.z
except AttributeError as e:
    print("AttributeError", e)

d = deque()
print(len(d), bool(d))
d.append(1)
d.append(2)
d.appendleft(0)
d.extend([3, 4])
print(list(d), len(d), bool(d), d[0], d[-1], d)
print(d.pop(), d.popleft(), list(d))
for e in d:
    print(e, end=" ")
print()
d = deque((1, 2, 3), 3)
d.append(4)
print(list(d), d)
d.appendleft(0)
print(list(d), d.maxlen)
while d:
    print(d.popleft(), end=" ")
print()
for f in (d.pop, d.popleft):
    try:
        f()
    except IndexError as e:
        print("IndexError", e)
print(list(deque([], 0)), list(deque("ab")))
z = deque([], 0)
z.append(1)
print(len(z))

o = OrderedDict()
o["z"] = 1
o["a"] = 2
o["m"] = 3
print(list(o), list(o.items()), o["a"], len(o))
del o["a"]
o["a"] = 4
print(list(o.keys()), list(OrderedDict([("b", 1), ("a", 2)]).values()))

dd = defaultdict(int)
for c in "abracadabra":
    dd[c] += 1
print(dd, dd["a"], len(dd), "z" in dd, dd["z"], "z" in dd)
print(sorted(dd.items()), list(dd), dd == {"a": 5, "b": 2, "r": 2, "c": 1, "d": 1, "z": 0})
dl = defaultdict(list)
dl["k"].append(1)
dl["k"].append(2)
print(dl, dl.get("q"), dl.get("k"), list(dl.keys()))
del dl["k"]
print(len(dl), dl.pop("x", 9))
dn = defaultdict()
try:
    dn["x"]
except KeyError as e:
    print("KeyError", e.args)
print(defaultdict(int, {"a": 1}), defaultdict(int, b=2)["b"], dn.default_factory, dl.default_factory)
