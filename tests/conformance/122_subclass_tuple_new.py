# Classes deriving from float, tuple and bytes; `__new__` making the value
# (`super().__new__(cls, ...)`, `tuple.__new__(cls, ...)`) and a singleton.

class Celsius(float):
    def __repr__(self):
        return "%.1fC" % self


c = Celsius(21.5)
print(c, c + 1, round(c), c * 2, int(c), c > 20, [c])


class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))

    @property
    def x(self):
        return self[0]

    def __add__(self, o):
        return Point(self[0] + o[0], self[1] + o[1])

    def __repr__(self):
        return "Point(%r, %r)" % self


p = Point(1, 2) + Point(3, 4)
print(p, p.x, p[1], len(p), p == (4, 6), hash(p) == hash((4, 6)), {p: 1}[(4, 6)])
a, b = p
print(a, b, tuple(p), list(p), isinstance(p, tuple), type(p).__name__, p.count(4))


class Pair(tuple):
    def __new__(cls, a, b):
        return tuple.__new__(cls, (a, b))

    def swap(self):
        return Pair(self[1], self[0])


print(Pair(1, 2).swap(), Pair("a", "b") < Pair("a", "c"), Pair(1, 2)[::-1])


class Plain(tuple):
    pass


print(Plain([1, 2]), Plain(), Plain("ab") + (1,), len(Plain(range(3))))


class Blob(bytes):
    pass


bb = Blob(b"ab")
print(bb, len(bb), bb[0], bb + b"c", bb.decode(), bb == b"ab", list(bb))


class Single:
    made = None

    def __new__(cls):
        if cls.made is None:
            cls.made = super().__new__(cls)
        return cls.made

    def __init__(self):
        print("init")


print(Single() is Single())
