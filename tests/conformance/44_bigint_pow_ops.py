# pow() with a modulus on big ints (and negative exponents: the modular
# inverse), floor division and modulo signs, int() of long strings in any
# base, bit operations on negative big ints, int.bit_length().
def kind(fn):
    try:
        fn()
        return 'ok'
    except Exception as e:
        return type(e).__name__

p = 2 ** 127 - 1
print(pow(3, p - 1, p), pow(2, 10 ** 20, 10 ** 9 + 7), pow(12345678901234567890, 98765, 2 ** 89 - 1))
print(pow(-7, 2 ** 70 + 1, 10 ** 25 + 3), pow(7, 123, -(2 ** 70)), pow(-(2 ** 80), 3, 97), pow(5, 0, 1))
print(pow(3, -1, 7), pow(3, -2, 2 ** 64 + 13), pow(2 ** 70 + 1, -1, 10 ** 30 + 7), pow(-3, -1, 11), pow(3, -1, -7))
print(kind(lambda: pow(2, -1, 4)), kind(lambda: pow(2 ** 70, -1, 2 ** 71)), kind(lambda: pow(3, 5, 0)), kind(lambda: pow(3, -1, 1)))
print(pow(2, 100), pow(-2, 101), pow(2 ** 64, 2), pow(2, -2), pow(7, 2, 5))
a, b = 3 ** 80, 7 ** 20
for x in (a, -a):
    for y in (b, -b, 13, -13):
        print(x // y, x % y, divmod(x, y) == (x // y, x % y), (x // y) * y + x % y == x)
print(kind(lambda: a // 0), kind(lambda: a % 0), kind(lambda: divmod(a, 0)), -a // a, a % a, -1 % a == a - 1)
print(int('1' * 300, 2) == 2 ** 300 - 1, int('z' * 50, 36) == 36 ** 50 - 1, int('-' + '7' * 100, 8) == -(8 ** 100 - 1))
print(int('0x' + 'ab' * 40, 16) % 1000, int('0b' + '10' * 70, 0), int('0o' + '7' * 30, 0), int(' +' + '9' * 60 + '\n'))
print(int('1_0000_0000_0000_0000_0000', 0), int('12' * 30, 3), kind(lambda: int('9' * 40, 8)))
x, y = -(3 ** 90), -(5 ** 40) + 1
print(x & y, x | y, x ^ y, ~x, x & 0xFFFF, x | 1, y ^ -1)
print(x >> 10, x >> 200, x >> 143, x << 37, (x << 100) >> 100 == x, -1 << 100, ~(2 ** 100))
print((-(2 ** 64)) & (2 ** 64 - 1), (-(2 ** 64)) | (2 ** 64 - 1), (2 ** 100) ^ -(2 ** 100), -(2 ** 65) & -(2 ** 64))
for n in (0, 1, -1, 255, -256, 2 ** 31, 2 ** 63 - 1, -(2 ** 63), 2 ** 64, -(2 ** 64), 3 ** 100, -(2 ** 1000)):
    print(n.bit_length(), end=' ')
print()
print(True.bit_length(), (7).bit_length(), (2 ** 70).bit_length() == len(bin(2 ** 70)) - 2)
