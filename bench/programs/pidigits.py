# Digits of pi from Gibbons' unbounded spigot: every step multiplies and
# divides big ints that grow to thousands of digits, so the time is big-int
# multiplication and division by big ints. Prints the digits in lines of 50
# and a checksum.


def pi_digits(n):
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    digits = []
    while len(digits) < n:
        if 4 * q + r - t < m * t:
            digits.append(m)
            q, r, m = 10 * q, 10 * (r - m * t), (10 * (3 * q + r)) // t - 10 * m
        else:
            q, r, t, k, m, x = (
                q * k,
                (2 * q + r) * x,
                t * x,
                k + 1,
                (q * (7 * k + 2) + r * x) // (t * x),
                x + 2,
            )
    return digits


digits = pi_digits(2000)
for i in range(0, len(digits), 50):
    print("".join(str(d) for d in digits[i : i + 50]))
acc = 0
for d in digits:
    acc = (acc * 10 + d) % 1000000007
print(acc)
