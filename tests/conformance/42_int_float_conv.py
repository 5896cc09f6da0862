# int -> float conversion is correctly rounded (round half to even), the
# overflow past the largest float raises, and int / int is the correctly
# rounded quotient even for big ints.
def kind(fn):
    try:
        fn()
        return 'ok'
    except Exception as e:
        return type(e).__name__

print(float(2 ** 53 + 1), float(2 ** 53 + 2), float(2 ** 53 + 3), float(-(2 ** 53) - 1))
print(float(2 ** 54 + 2), float(2 ** 54 + 6), float(2 ** 63 - 1), float(2 ** 64 - 1))
print(float(2 ** 100 + 2 ** 47), float(2 ** 100 + 2 ** 47 + 1), float(2 ** 100 + 3 * 2 ** 47))
print(float(3 ** 200), float(-(7 ** 300)), float(10 ** 308), float(2 ** 1023))
print(float(2 ** 1024 - 2 ** 971), float(2 ** 1024 - 2 ** 970 - 1), kind(lambda: float(2 ** 1024 - 2 ** 970)))
print(kind(lambda: float(2 ** 1024)), kind(lambda: float(-(2 ** 1024))), kind(lambda: 2 ** 1024 + 0.5))
print(kind(lambda: 2 ** 1024 * 1.0), kind(lambda: 2 ** 2000 / 3), kind(lambda: 1.5 < 2 ** 2000))
print(2 ** 2000 > 1e308, -(2 ** 2000) < -1e308, 2 ** 1024 > float('inf'), 2 ** 1024 != float('inf'))
print((2 ** 53 + 1) / 1, (2 ** 64 + 1) / 3, 10 ** 30 / 7, -(10 ** 30) / 7, 1 / 3)
print(2 ** 2000 / 2 ** 1990, (2 ** 1100 + 1) / 2 ** 1000, 10 ** 400 / 10 ** 399, 1 / 10 ** 400)
print((2 ** 80 + 1) / (2 ** 27), (3 ** 100) / (7 ** 50), -(3 ** 100) / -(7 ** 50), 7 / -(2 ** 70))
print(10 ** 20 / 3, 12345678901234567890 / 10, (10 ** 22 + 1) / 10 ** 22, 0 / 2 ** 70)
print(2 ** 53 + 1 == float(2 ** 53 + 1), 2 ** 53 + 1 > 2.0 ** 53, 2 ** 53 + 1.0, 9007199254740993 < 9007199254740992.0)
print(kind(lambda: 2 ** 70 / 0), kind(lambda: 1 / (2 ** 70 - 2 ** 70)), float(True), 2 ** 70 / True)
print(int(2.0 ** 80) == 2 ** 80, int(1.5e300) == 15 * 10 ** 299, int(-1e20), 2 ** 1024 / 2 ** 1023)
