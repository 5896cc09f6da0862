# Containers compare items with a user __eq__ (identity first); a reflected
# binary method only for mixed types; range slices; not-found messages;
# more bytes methods; the ascii encoder's message.


class A:
    def __init__(self, x):
        self.x = x

    def __eq__(self, o):
        print("eq", self.x, getattr(o, "x", o))
        return self.x == o.x if isinstance(o, A) else NotImplemented


class N:
    """Never equal, not even to itself: identity decides for items."""

    def __eq__(self, o):
        return False


a1 = A(1)
print([A(1)] == [A(1)], [A(1)] != [A(1)], [A(1)] == [A(2)])
print((A(2),) == (A(2),), (A(2), 3) == (A(2), 4), (A(1),) == (A(1), 1))
print({1: A(1)} == {1: A(1)}, {1: A(1)} != {1: A(2)}, {1: A(1)} == {2: A(1)})
print([[A(3)], (A(4),)] == [[A(3)], (A(4),)], {0: [A(5)]} == {0: [A(5)]})
print([A(1), A(2), A(1)].count(A(1)), [A(1), A(2)].index(A(2)), (A(7), A(8)).index(A(8)))
print((A(1), A(1)).count(A(1)), [A(1), A(2), A(1)].index(A(1), 1))
print(1 in [A(1)], A(1) in [1], [A(6)] in [[A(6)]])
n = N()
print(n == n, [n] == [n], n in [n], [n].count(n), (n,).index(n), {0: n} == {0: n})
l = [A(1), A(2), A(3)]
l.remove(A(2))
print([x.x for x in l])
nan = float("nan")
print(nan == nan, [nan] == [nan], (nan,) == (nan,), [nan].count(nan))
print([1, "a", (2.0,)] == [1, "a", (2,)], {"k": [1, 2]} == {"k": [1, 2]})
print(sorted([[3], [1], [2]]), max([(1, A(0)), (2, A(0))], key=lambda t: t[0])[0])


class Shrink:
    def __eq__(self, o):
        del big[:]
        return True


big = [Shrink(), 1, 2]
print(big == [0, 1, 2], big)


class B:
    def __radd__(self, o):
        return "radd"

    def __rmul__(self, o):
        return "rmul"

    def __rsub__(self, o):
        return "rsub"


class C(B):
    pass


print(1 + B(), 2 * B(), 3 - B(), B() + C(), C() * B())
for f in (lambda: B() + B(), lambda: B() * B(), lambda: B() - B(), lambda: C() - C()):
    try:
        print(f())
    except TypeError as e:
        print("TypeError", e)
b = B()
try:
    b += b
except TypeError as e:
    print("TypeError", e)
try:
    b //= 2
except TypeError as e:
    print("TypeError", e)
x = [1]
try:
    x -= 1
except TypeError as e:
    print("TypeError", e)

r = range(10)
for x in (r[::3], r[1::3], r[::-3], r[::-1], r[2:8:2], r[8:2:-2], r[5:5], r[9:0:-4], r[-3:],
          r[100:200], r[::7], r[3:-1:4], r[-100:100:3], r[100:-100:-3], r[-1:-11:-2]):
    print(x, list(x))
r2 = range(5, -7, -3)
for x in (r2[::2], r2[::-2], r2[1:3], r2[::5], r2[-2::-3]):
    print(x, list(x))
print(range(0, 10, 4)[::2], range(1, 20, 6)[1::2], range(0)[::2], range(3, 3)[::-1])

for f in (lambda: (1, 2).index(3), lambda: [1].remove(3), lambda: [1].index(3),
          lambda: (A(1),).index(A(2)), lambda: range(3).index(5)):
    try:
        f()
    except ValueError as e:
        print("ValueError", e)

for x in (b"ABC", b"abc", b"Abc", b"1A", b"", b"a b", b"A1!", bytearray(b"XY")):
    print(x.isupper(), x.islower(), x.isalpha(), x.isdigit(), x.isalnum(), x.isspace())
print(b"key=val=x".partition(b"="), b"key=val=x".rpartition(b"="))
print(b"abc".partition(b"-"), b"abc".rpartition(b"-"))
print(bytearray(b"a,b").partition(b","), bytearray(b"a,b").rpartition(bytearray(b",")))

for s in ("é", "aé", "aéb", "aéé€b", "x€", "\U0001f600", "ab\U0001f600\U0001f600c", "ok\x7f\x80"):
    try:
        print(s.encode("ascii"))
    except UnicodeEncodeError as e:
        print("UnicodeEncodeError", e)
