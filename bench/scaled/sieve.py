# List indexing and stores: a sieve of Eratosthenes, repeated.
def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    p = 2
    while p * p <= n:
        if flags[p]:
            for m in range(p * p, n + 1, p):
                flags[m] = False
        p += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    return count

total = 0
for _ in range(18):
    total += sieve(2500)
print("sieve", total)
