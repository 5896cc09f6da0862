# Fannkuch-redux: every permutation of 1..n, each flipped (its prefix
# reversed) until 1 leads; the largest flip count and a signed checksum.
# Stresses list indexing, slicing and small-int loops.


def fannkuch(n):
    perm = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r > 1:
            count[r - 1] = r
            r -= 1
        p = perm[:]
        flips = 0
        first = p[0]
        while first:
            p[: first + 1] = p[first::-1]
            flips += 1
            first = p[0]
        if flips > max_flips:
            max_flips = flips
        checksum += flips * sign
        sign = -sign
        # The next permutation in the counting order.
        while True:
            if r == n:
                return checksum, max_flips
            p0 = perm[0]
            for i in range(r):
                perm[i] = perm[i + 1]
            perm[r] = p0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


for n in (7, 8, 9):
    checksum, flips = fannkuch(n)
    print(checksum)
    print("Pfannkuchen(%d) = %d" % (n, flips))
