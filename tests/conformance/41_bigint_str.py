# str() and repr() of big ints up to CPython's limit of 4300 decimal
# digits, and the ValueError beyond it (str(), repr(), int() alike);
# hex/oct/bin have no limit.
def kind(fn):
    try:
        fn()
        return 'ok'
    except Exception as e:
        return type(e).__name__

for e in (19, 100, 617, 618, 700, 1000, 2048, 3000, 4299, 4300):
    n = 10 ** e - 1
    s = str(n)
    print(e, len(s), s[:12], s[-12:], s == '9' * e, int(s) == n)
for n in (2 ** 2048, -(2 ** 2048) - 1, 2 ** 4096 + 12345, 7 ** 5000):
    s = repr(n)
    print(len(s), s[:15], s[-15:], int(s) == n)
big = 10 ** 4299
print(len(str(-big)), len(str(big * 9 + (big - 1))))
print(kind(lambda: str(big * 10)), kind(lambda: repr(-big * 10)))
print(kind(lambda: str(2 ** 20000)), kind(lambda: '%d' % (big * 10)))
print(kind(lambda: int('7' * 4300)), kind(lambda: int('7' * 4301)))
print(kind(lambda: int('-' + '1' * 4301)), kind(lambda: int('1' * 5000, 16)))
print(len(hex(2 ** 20000)), len(bin(-(2 ** 5000))), len(oct(3 ** 4000)))
print([10 ** 40, -(10 ** 45)], (2 ** 100,), {2 ** 70: -(2 ** 70)})
print(f'{2 ** 200}', '{}'.format(-(3 ** 150)), str(2 ** 64 - 1), str(-(2 ** 63)))
print('%d' % (2 ** 100), '{:d}'.format(-(2 ** 100)), f'{2 ** 100:x}', '%i' % 3 ** 50, '{}'.format(2 ** 99))
