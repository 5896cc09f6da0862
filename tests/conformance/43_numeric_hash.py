# Equal numbers hash alike: ints, floats and bools that are equal are the
# same dict key and the same set item, big ints included. The hash values
# themselves are not printed (CPython's are modulo 2**61 - 1).
vals = [0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 53, 2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 70, -(2 ** 100), 2 ** 1000, 3 * 2 ** 600]
for v in vals:
    f = float(v)
    print(v == f, hash(v) == hash(f), hash(-v) == hash(-f), {v: 'int'}[f], {f: 'float'}[v])
print(hash(True) == hash(1) == hash(1.0), hash(False) == hash(0.0), hash(0.5) == hash(0.5))
d = {1: 'a', 1.0: 'b', True: 'c'}
print(d, len({0, 0.0, False, -0.0}), len({2 ** 64, 2.0 ** 64, 18446744073709551616}))
print({2 ** 64: 'a'}[2.0 ** 64], {2.0 ** 100: 'x'}[2 ** 100], 2 ** 100 in {2.0 ** 100}, 2 ** 100 + 1 in {2.0 ** 100})
s = set()
for k in range(60, 70):
    s.add(2 ** k)
    s.add(float(2 ** k))
    s.add(-(2 ** k))
print(len(s), 2.0 ** 65 in s, -(2.0 ** 66) in s, 2 ** 65 + 1 in s)
print(hash((2 ** 64, 1)) == hash((2.0 ** 64, 1.0)), hash(-1) == hash(-1.0), hash(2 ** 64) == hash(2 ** 64))
