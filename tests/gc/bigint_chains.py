# Big-int operations that chain fresh intermediate results (pow with a
# modulus, the modular inverse, big powers, divmod) while garbage keeps the
# collector busy: run on a small heap, every collection lands mid-chain.
junk = []
acc = 0
for i in range(40):
    b = 3 ** 70 + i * 7919
    e = 2 ** 65 + i
    m = 10 ** 30 + 57 + i
    junk.append([i] * 5)
    if len(junk) > 3:
        junk.pop(0)
    acc = (acc * 31 + pow(b, e, m)) % (2 ** 61 - 1)
print(acc)
print(pow(5 ** 40, -1, 10 ** 25 + 13))
print(pow(-(7 ** 50), 3, -(10 ** 21 + 9)))
q, r = divmod(13 ** 60, 7 ** 30 + 1)
print(q, r)
print((11 ** 45) // (3 ** 40 + 17), (11 ** 45) % (3 ** 40 + 17))
print(sum(pow(k, 40) % 1000003 for k in range(2, 30)))
