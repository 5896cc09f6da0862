# Lists and tuples holding instances order by the first unequal items
# (found with ==, identity first) through the items' own methods; the
# slice() builtin (repr, attributes, indexing, equality, indices); a
# subclass on the right has its reflected method tried first.

class A:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v < o.v
    def __eq__(self, o):
        return isinstance(o, A) and self.v == o.v
    def __repr__(self):
        return "A(%d)" % self.v

print([A(1)] < [A(2)])
print([A(2)] < [A(1)])
print([A(1)] > [A(2)])
print((A(1), 2) <= (A(1), 3))
print((A(1), 2) >= (A(1), 3))
print(max([[A(2)], [A(1)]]))
print(min([[A(2)], [A(1)]]))
print(sorted([(A(3), 'c'), (A(1), 'a'), (A(2), 'b')]))
print(sorted([(1, A(3)), (1, A(1)), (0, A(2))]))
print([A(1), A(1)] < [A(1), A(1), 0])
print([[A(1)], 2] < [[A(1)], 3])
a = A(5)
print([a] <= [a], [a] < [a])

class B:
    pass
b1 = B()
print([b1] <= [b1])
for f in [lambda: [B()] < [B()], lambda: (1, B()) > (1, B()), lambda: sorted([(1, B()), (1, B())]),
          lambda: B() < B(), lambda: [1] < ["x"]]:
    try:
        print(f())
    except TypeError as e:
        print("TypeError", e)

class G:
    def __init__(self, v):
        self.v = v
    def __gt__(self, o):
        print("G.__gt__")
        return self.v > o.v
print([G(1)] < [G(2)])
print((G(3),) > (G(2),))

class N:
    def __lt__(self, o):
        return NotImplemented
try:
    print([N()] < [N()])
except TypeError as e:
    print("TypeError", e)

# slice()
s = slice(3)
print(s, s.start, s.stop, s.step)
s = slice(1, 5)
print(s, s.start, s.stop, s.step)
s = slice(1, 5, 2)
print(s, repr(s), s.start, s.stop, s.step)
print(slice(None, None, -1))
print(slice('a', [1], None))
lst = [0, 1, 2, 3, 4, 5, 6]
print(lst[slice(1, 3)], lst[slice(None, None, -1)], lst[slice(1, 5, 2)], lst[slice(4)])
print("hello"[slice(None, None, -1)], (1, 2, 3)[slice(1, None)])
print(b"abcdef"[slice(1, 4)])
print(range(10)[slice(2, 8, 3)])
print(lst[1:3:1] == lst[slice(1, 3, 1)])
print(slice(1, 2) == slice(1, 2), slice(1, 2) == slice(1, 3), slice(1, 2) != slice(1, 2, None))
print(slice(1, 2, 3) == (1, 2, 3))
x = [0, 1, 2, 3, 4]
x[slice(1, 3)] = ['a', 'b', 'c']
print(x)
del x[slice(0, 2)]
print(x)
print(type(slice(1)) is slice, isinstance(slice(1), slice), type(slice(1)).__name__)
print(slice(1, 10, 2).indices(5), slice(None, None, -1).indices(4), slice(-3, None).indices(10))
d = {}
class K:
    def __getitem__(self, k):
        return k
print(K()[1:2], K()[slice(3)] == slice(None, 3, None))

# reflected-method priority
class RA:
    def __add__(self, o):
        return "RA.__add__"
    def __radd__(self, o):
        return "RA.__radd__"
    def __sub__(self, o):
        return "RA.__sub__"
    def __lt__(self, o):
        return "RA.__lt__"
    def __gt__(self, o):
        return "RA.__gt__"

class B(RA):
    def __radd__(self, o):
        return "B.__radd__"
    def __gt__(self, o):
        return "B.__gt__"

class C(RA):
    pass

class D(RA):
    def __radd__(self, o):
        return NotImplemented

print(RA() + B())
print(B() + RA())
print(RA() + C())
print(RA() - B())
print(RA() + D())
print(RA() < B())
print(B() < RA())
print(RA() < C())
print(B() + B())

class E:
    def __mul__(self, o):
        return "E.__mul__"
class F(E):
    def __rmul__(self, o):
        return "F.__rmul__"
print(E() * F())
print(F() * E())

