# Slicing at the edges: every start/stop/step from a set that crosses the
# sequence's ends and the 64-bit int range, on lists, tuples, str, range and
# bytes, with item assignment and deletion through extended slices.
B = [None, 0, 1, 2, -1, -2, 3, -4, 7, -8, 2**31, -2**31, 2**62, -2**62, 2**63 - 1, -2**63]
S = [None, 1, 2, 3, -1, -2, -3, 5, -7, 2**31, -2**31, 2**63 - 1, -2**63]

for n in range(0, 7):
    seq = list(range(n))
    tup = tuple(seq)
    txt = "abcdefg"[:n]
    rng = range(10, 10 + 3 * n, 3)
    byt = bytes(range(65, 65 + n))
    acc = 0
    lines = []
    for a in B:
        for b in B:
            for c in S:
                r = seq[a:b:c]
                assert tup[a:b:c] == tuple(r)
                assert txt[a:b:c] == "".join("abcdefg"[i] for i in r)
                assert byt[a:b:c] == bytes(65 + i for i in r)
                try:
                    assert list(rng[a:b:c]) == [10 + 3 * i for i in r]
                except OverflowError:
                    pass
                acc = (acc * 31 + len(r) * 7 + sum(r)) % 1000000007
                # del and assignment of the same shape.
                d = list(seq)
                del d[a:b:c]
                assert sorted(d + r) == seq
                e = list(seq)
                e[a:b:c] = [100 + i for i in range(len(r))]
                ba = bytearray(byt)
                ba[a:b:c] = bytes(range(len(r)))
                if c is None or c == 1:
                    e2 = list(seq)
                    e2[a:b:c] = ["x"]
                    lines.append(len(e2))
                else:
                    try:
                        e[a:b:c] = [0] * (len(r) + 1)
                        lines.append("no error")
                    except ValueError:
                        pass
                acc = (acc * 31 + sum(e)) % 1000000007
    print(n, acc, sum(x for x in lines if type(x) is int), [x for x in lines if type(x) is str])

print([0, 1, 2, 3, 4][::2**63 - 1], [0, 1, 2, 3, 4][::-2**63], [0, 1][-2**63:2**63 - 1])
print("hello"[2**62::-2**62], "hello"[-2**62:-1:2], list(range(10)[::3]), list(range(10)[::-4]))
try:
    [1, 2][::0]
except ValueError as e:
    print("ValueError")
