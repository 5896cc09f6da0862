# Int arithmetic at the i64 edges (overflow into big ints), bool bit
# operations, and the one ordering recursion (sets, sequences, instances).
M = -2**63
vals = [0, 1, -1, 7, -7, 2**30, -2**30, 2**31, 2**62, 2**63 - 1, M, 3**39, True, False]
for x in vals:
    print(-x, +x, ~x, x << 3, x >> 3, x << 64, x << 65, x >> 64, x >> 70)
    for y in [1, -1, 3, -3, 2**62, M, 63, 64, True]:
        r = [x + y, x - y, x * y, x & y, x | y, x ^ y]
        if y: r += [x // y, x % y, divmod(x, y)]
        if 0 <= y < 70: r += [x << y, x >> y]
        if 0 <= y < 5: r += [x ** y]
        print(r)
print(M // -1, M % -1, 2 ** 64, (-2) ** 63, 3 ** 41, 1 << 200, -1 << 100, 0 << 10**6)
try:
    1 << -1
except ValueError as e: print('VE', e)
try:
    5 // 0
except ZeroDivisionError as e: print('ZE', e)
try:
    5 % 0
except ZeroDivisionError as e: print('ZE', e)
print(2 ** -1, 10 / 4, -M, abs(M))
class A:
    def __init__(s, v): s.v = v
    def __lt__(s, o): return s.v < o.v
    def __eq__(s, o): return isinstance(o, A) and s.v == o.v
    def __hash__(s): return hash(s.v)
print([A(1)] < [A(2)], (A(1), 3) < (A(1), 4), [A(1)] == [A(1)], {1: A(2)} == {1: A(2)})
print({1, 2} < {1, 2, 3}, {1, 2} <= {1, 2}, frozenset([1]) >= {1}, {1} > {2})
print([1, 2] < [1, 2, 3], (1, 'a') < (1, 'b'), 'abc' < 'abd', b'a' < b'b', 1.5 < 2, 2**70 > 1.0)
print(float('nan') < 1, [float('nan')] == [float('nan')], (1, [2]) == (1, [2]))
for a, b in [(1, 'x'), ([1], (1,)), (None, None), ({}, {})]:
    try:
        print(a < b)
    except TypeError as e:
        print('TypeError', e)
class B: pass
b = B()
print(b == b, b != B(), b in [b])
try:
    b < b
except TypeError as e:
    print('TE', e)
print(slice(1, 2) == slice(1, 2), range(0) == range(2, 2), {frozenset([1]): 5}[frozenset([1])])
print(sorted([(2, 'b'), (1, 'z'), (2, 'a')]), max([[1, 2], [1, 3]]), min('b', 'a'))
s = '%s=%d' % ('x', 5); print(s, '%5.2f|%-4s|' % (3.14159, 'ab'), {1, 2} | {3}, {1, 2} - {1})
class V:
    def __init__(s, x): s.x = x
    def __add__(s, o): return V(s.x + (o.x if isinstance(o, V) else o))
    def __radd__(s, o): return V(o + s.x)
    def __mod__(s, o): return 'mod'
    def __call__(s, *a, **k): return (s.x, a, k)
print((V(1) + V(2)).x, (V(1) + 5).x, (5 + V(1)).x, V(1) % 3, [1] + [2], (1,) * 2, 'ab' * 2)
v = V(7); m = v.__add__
print(v(1, k=2), m(1).x, list(map(v, [1, 2])), [x for x in range(-3, 9, 4)], list(enumerate(range(2))))
x = [1]; x += (2,); print(x)
class A:
    def __init__(s, v): s.v = v
    def __eq__(s, o): print('A.eq'); return isinstance(o, A) and s.v == o.v
    def __lt__(s, o): print('A.lt'); return NotImplemented
    def __gt__(s, o): print('A.gt'); return s.v > o.v
class B(A):
    def __eq__(s, o): print('B.eq'); return NotImplemented
    def __gt__(s, o): print('B.gt'); return True
print(A(1) != A(1), A(1) != A(2), A(1) == B(1), A(1) != B(1), B(1) != A(1))
print(A(1) < A(0), A(1) < B(5), B(1) > A(1))
class N:
    def __add__(s, o): print('N.add'); return NotImplemented
    def __radd__(s, o): print('N.radd'); return 'r'
class M(N):
    def __radd__(s, o): print('M.radd'); return 'm'
print(1 + N(), N() + M(), M() + N())
try:
    N() + N()
except TypeError as e: print(e)
class O: pass
print(O() != O(), O() == 1)
