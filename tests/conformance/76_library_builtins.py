# Builtin functions: pow with three arguments, which the frozen library
# (lib/builtins/pow.py) carries in Python, not Rust, and the cold native
# ones measured against moving them (bin/oct/hex, divmod, any/all, sorted,
# filter, min/max, round). Edge cases and error types of each.


def err(f, *args, **kw):
    try:
        print(repr(f(*args, **kw)))
    except Exception as e:
        print(type(e).__name__, e)


# Only the type, where the device's message is not CPython's.
def err_type(f, *args):
    try:
        print(repr(f(*args)))
    except Exception as e:
        print(type(e).__name__)


for x in [0, 1, -1, 255, -255, 2**31, -(2**31), 2**63, -(2**64) + 1, True, False]:
    print(bin(x), oct(x), hex(x))
for f in [bin, oct, hex]:
    err_type(f, 1.5)
    err_type(f, "7")
    err_type(f, None)

for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (2**64 + 3, 7),
             (-(2**70), 3), (7.5, 2), (-7.5, 2), (7, 0.5), (True, 2)]:
    print(a, b, divmod(a, b))
err(divmod, 1, 0)
err(divmod, 2**70, 0)
err_type(divmod, "a", 2)

for args in [(2, 10), (2, -1), (-2, 3), (2.0, 3), (0, 0), (2, 10, 1000),
             (2, 100, 17), (-3, 5, 7), (3, 5, -7), (-3, 5, -7), (0, 0, 5),
             (5, 0, 1), (2, 200, 2**70 + 1), (3, -1, 7), (3, -2, 10),
             (-3, -1, 7), (2**80, -1, 7), (3, -1, 1), (7, 3, -1)]:
    print(args, pow(*args))
err(pow, 2, 3, 0)
err(pow, 2, -1, 4)
err(pow, 2.0, 3, 5)
err(pow, 2, 3, 5.0)
err_type(pow, "2", 3, 5)

def gen(xs):
    for x in xs:
        yield x

for xs in [[], [0], [1], [0, 1], [1, 0], ["", "a"], [None], [[]], [0.0, 0]]:
    print(xs, any(xs), all(xs), any(gen(xs)), all(iter(xs)))
print(any(x > 2 for x in range(5)), all(x < 5 for x in range(5)))
err(any, 5)
err(all, None)

print(sorted([3, 1, 2]), sorted("hello"), sorted((3, 1), reverse=True))
print(sorted({"b": 1, "a": 2}), sorted({3, 1, 2}), sorted(range(5), key=lambda x: -x))
print(sorted(["bb", "a", "ccc", "dd"], key=len), sorted(["bb", "a", "ccc", "dd"], key=len, reverse=True))
print(sorted(gen([5, 4, 6])), sorted([]), sorted([1, 1.5, True, 0]))
l = [2, 1]
s = sorted(l)
print(s, l, s is l)
err(sorted, [1, "a"])
err(sorted, 5)

print(list(filter(None, [0, 1, "", "x", None, [], [0]])))
print(list(filter(lambda x: x % 2, range(10))), list(filter(str.isdigit, "a1b2")))
f = filter(None, [1, 0, 2])
print(next(f), list(f))
err(filter, None, 5)
err(lambda: list(filter(lambda x: 1 / x, [1, 0])))

print(min(3, 1, 2), max(3, 1, 2), min([4, 5]), max("hello"), min((2, 1)), max({1: 2, 3: 4}))
print(min([], default=7), max([], default=None), min([1], default=0), max(gen([1, 9, 3])))
print(min("ab", "b", "abc", key=len), max(["a", "bb", "cc"], key=len), min([1, -3, 2], key=abs))
print(max([1, 1.0, True]), min([1, 1.0, True]), max([2, 3], key=None))
print(max(x * x for x in range(-3, 3)), min(range(5, 0, -1)))
err(min, [])
err(max, [])
err_type(max)
err(max, 5)
err(min, 1, "a")

for x in [0, 1, -1, 5, 15, 25, -25, 149, 150, 250, 2**40 + 5, True]:
    print(x, round(x), round(x, 2), round(x, -1), round(x, -2), round(x, None))
for x in [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.4999, 2.675, -2.675, 1e20, 123.456, -0.0]:
    print(x, round(x), round(x, 1), round(x, 2), round(x, -1), round(x, -2), round(x, None))
print(round(1234.5678, -2), round(-1234.5678, 3), round(0.125, 2), round(0.375, 2), round(5e-324, 2))
print(round(1.5, -400), round(-1.5, -400), round(float("inf"), 2), round(float("nan"), -1))
print(type(round(2.5)), type(round(2.5, 0)), type(round(3, 1)))
err_type(round, float("inf"))
err_type(round, float("nan"))
err_type(round, "1")
err_type(round, 1.5, 1.0)
err_type(round, 2, 1.0)

# A module's own name shadows the library's.
def sorted(x):
    return "mine"


print(sorted([2, 1]))
del sorted
print(sorted([2, 1]))

err(divmod, 7.5, 0)
err(divmod, 7, 0.0)
err(divmod, 0.0, 0.0)
