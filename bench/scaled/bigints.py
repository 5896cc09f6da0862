# Big-int arithmetic: a spigot for digits of e, then factorial and power sums.
def e_digits(n):
    # e = sum 1/k!; scaled by 10**n
    scale = 10 ** n
    total = 0
    term = scale
    k = 1
    while term:
        total += term
        term //= k
        k += 1
    return total


def run():
    s = str(e_digits(4000))
    acc = 0
    for ch in s:
        acc = (acc * 31 + ord(ch)) % 50000000
    f = 1
    for i in range(2, 3000):
        f *= i
    acc = (acc + f % 49912217) % 50000000
    p = 0
    for i in range(1, 2000):
        p += i ** 40
    return (acc + p % 50000000) % 50000000


total = 0
for _ in range(1):
    total = (total + run()) % 50000000
print(total)
