# The dispatch loop's shortcuts must agree with the general paths: small-int
# arithmetic and comparisons (and their overflow into big ints), the exact
# positional call and the plain return, and `str % args` for plain %d/%s.

# Small ints grow past 30 bits and back, in a loop.
x = 1
for i in range(70):
    x = x + x
print(x)
for i in range(70):
    x = x - (x // 2)
print(x)
y = 2**29 - 1
print(y + 1, y + y, -y - 2, -y - y - 2, y * y, (-y) * 3)
z = 12345
for i in range(6):
    z = z * 1000
    print(z)
print(z - z, z // 1000 // 1000 // 1000)
m = -(2**30)
print(m, m - 1, m + (-1), m * -1, -m, abs(m))
a = 7
a += 2**30
a -= 2**30
print(a)

# Floor division and modulo of negatives, shifts, bit operations.
for p in (7, -7):
    for q in (2, -2, 3, -3):
        print(p // q, p % q, divmod(p, q))
print(1 << 29, 1 << 30, 1 << 62, -1 >> 1, 5 & -2, 5 | -8, 5 ^ -1)

# Comparisons that mix int, float, bool and big ints.
vals = [0, 1, -1, 2**30, -(2**30), 2**70, 0.5, 1.0, -1.5, True, False, 1e300]
n = 0
for p in vals:
    for q in vals:
        r = (p < q, p <= q, p == q, p != q, p > q, p >= q)
        n = n * 3 + sum(r)
        n %= 1000003
print(n)
print(True + True, True * 3, False - 1, 1 < True, True == 1.0, 2 > 1.5)

# Comparisons as conditions (the jump after them is taken by the compare).
hits = []
for p in vals:
    if p < 1:
        hits.append("lt")
    elif p == 1:
        hits.append("eq")
    if not p >= 2**30:
        hits.append("n")
    if 0 < p < 2:
        hits.append("in")
print(hits)
t, w = 0.0, 0
while t < 3:
    t += 0.75
    w += 1
while w != 0:
    w -= 1
print(t, w)
try:
    if 1 < "x":
        print("no")
except TypeError:
    print("TypeError")
assert 2 > 1, "never"
print("x" if "b" > "a" else "y", [i for i in range(10) if i % 3 == 0 if i >= 3])


# Instances with operator methods next to small ints take the general path.
class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return "add"

    def __radd__(self, other):
        return "radd"

    def __sub__(self, other):
        return self.v - other

    def __lt__(self, other):
        return "lt"

    def __eq__(self, other):
        return self.v == other


k = Num(3)
print(k + 1, 1 + k, k < 5, 5 > k, k - 1, k == 3, 3 == k, k != 4)


# Calls: exact positional, defaults, keywords, *args, methods, recursion.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def dflt(a, b=10):
    return a + b


def kw(a, *, c=3):
    return a * c


def star(*args):
    return len(args)


print(fib(20), dflt(1), dflt(1, 2), dflt(b=5, a=1), kw(2), kw(2, c=4), star(), star(1, 2))


class Acc:
    def __init__(self, start):
        self.total = start

    def add(self, v):
        self.total = self.total + v
        return self

    def get(self):
        return self.total


acc = Acc(5)
for i in range(10):
    acc.add(i)
print(acc.get(), Acc(1).add(2).add(3).get())
f = acc.add
f(100)
print(acc.total)


def gen(n):
    for i in range(n):
        yield i * i
    return "done"


g = gen(4)
print(list(g), sum(gen(10)))


def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)


print(deep(200))
try:
    deep(100000)
except (RecursionError, MemoryError):
    # Which one depends on the heap: the frames or the depth run out.
    print("too deep")


def wrong(a, b):
    return a


try:
    wrong(1)
except TypeError:
    print("missing")
try:
    wrong(1, 2, 3)
except TypeError:
    print("too many")

# str % args: the plain shape and everything around it.
print("sensor-%d:%d" % (5, -12), "%s=%s" % ("k", "v"), "%i%%" % 50)
print("%d" % 7, "%s" % "only", "%s" % 3, "%s|%d" % ("x", 2**29 - 1))
print("%d" % True, "%s" % True, "%s" % None, "%s" % 1.5, "%d" % 2**40)
print("%5d|%-4s|%05d|%x|%r" % (42, "ab", -3, 255, "q"))
print("%s" % (1,), "%s" % [1, 2], "no conversions" % (), "%% only" % ())
print("héllo %s ü" % "wörld", "%s%s%s" % ("", "", ""))
for bad in [("%d %d", (1,)), ("%d", (1, 2)), ("trail %", (1,))]:
    try:
        print(bad[0] % bad[1])
    except (TypeError, ValueError) as e:
        print(type(e).__name__)
