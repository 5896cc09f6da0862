# Big-int floor division, modulo, divmod and true division over operands of
# many sizes and every sign (a deterministic LCG picks them): the word-wise
# long division against CPython, including the add-back step (divisors
# whose top limb is small) and equal-length operands.
state = 12345


def rand(bits):
    global state
    x = 0
    while bits > 0:
        state = (state * 1103515245 + 12345) % 2147483648
        x = (x << 31) | state
        bits -= 31
    return x


checksum = 0
for size_a in [40, 64, 65, 96, 127, 200, 320, 700]:
    for size_b in [33, 64, 70, 96, 128, 200, 320]:
        a = rand(size_a) >> (state % 20)
        b = rand(size_b) >> (state % 7) | 1
        for sa, sb in [(1, 1), (-1, 1), (1, -1), (-1, -1)]:
            x, y = sa * a, sb * b
            q, r = divmod(x, y)
            assert q * y + r == x
            checksum = (checksum * 31 + q % 1000003 + r % 1000033) % 1000000007
        print(size_a, size_b, (a // b) % 10**12, a % b % 10**12, a % b == a - (a // b) * b)

# Divisors that make the estimated quotient digit too large (add-back).
for k in range(1, 8):
    d = (1 << (32 * k + 31)) + 1
    n = d * ((1 << (32 * k)) - 1) + d - 1
    print(k, n // d == (1 << (32 * k)) - 1, n % d == d - 1)
    n2 = (1 << (64 * k + 64)) - 1
    print(divmod(n2, (1 << (32 * k + 32)) - 1)[1] % 1000)

print(checksum)
print(10 ** 300 // 7 ** 100 % 10**9, (10 ** 300 + 1) / 10 ** 299, 2 ** 2000 / 3 ** 1000)
print((-(10 ** 80)) // 10 ** 40, (-(10 ** 80) - 1) // 10 ** 40, (10 ** 80) % -(10 ** 41 + 7))
