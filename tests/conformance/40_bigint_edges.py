# Big ints at the edges: promotion from small and 64-bit ints and back,
# floor division and modulo over every sign pair, shifts and bitwise ops
# on negatives (two's complement), conversions, hashing as dict keys.
M = 2 ** 63
print(M - 1 + 1, -M - 1, (M - 1) * 2, -(-M), M // 2, (M + 5) - M)
big = 12345678901234567890123456789
for a in (big, -big):
    for b in (97, -97, 2 ** 70 + 3, -(2 ** 70 + 3)):
        q, r = divmod(a, b)
        print(q, r, q * b + r == a, a // b == q, a % b == r)
for s in (0, 1, 31, 32, 33, 64, 95, 200):
    print(s, -big >> s, big >> s, (-big << s) >> s == -big)
x, y = -(2 ** 80) + 12345, 2 ** 75 - 1
print(x & y, x | y, x ^ y, ~x, ~y, x & -1 == x, x | 0 == x)
print(-2 ** 64 & 2 ** 64, -1 ^ 2 ** 90, (2 ** 90) & -(2 ** 89))
print(int('-0x' + 'f' * 20, 16), int('1_000_000_000_000_000_000_000'), int('  -12' + '0' * 30 + ' '))
print(hex(-(2 ** 100) + 1), oct(2 ** 70), bin(-(2 ** 66)))
print(float(2 ** 80), 2 ** 80 / 2 ** 78, 2 ** 100 > 1e29, 2 ** 100 < 1e31, 2 ** 64 == 2.0 ** 64)
print(int(1e30) == 10 ** 30, int(-2.0 ** 70), 2 ** 70 + 0.5 == 2.0 ** 70)
d = {}
for k in (2 ** 64, 2 ** 64 + 1, -(2 ** 64), 2 ** 100):
    d[k] = str(k)
print(d[2 ** 64], d[-(2 ** 64)], len(d), (2 ** 64 + 1) in d, (2 ** 64 + 2) in d)
print(sorted([2 ** 70, -3, 2 ** 64, -(2 ** 70), 0]), min(2 ** 65, 2 ** 64), abs(-(2 ** 65)))
print(bool(2 ** 70), not 2 ** 70, 2 ** 70 == 2 ** 70, 2 ** 70 != 2 ** 70 + 1)
print(3 ** 100 % 1000, pow(2, 200) // pow(2, 190), (-3) ** 41, 0 ** 100, 1 ** (2 ** 70))
print(str(10 ** 50)[:5], len(str(-(10 ** 50))), repr(-(10 ** 40) - 1))
