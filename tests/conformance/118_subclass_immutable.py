# Classes deriving from str, int, float, tuple and bytes: the value comes
# from the class call (or `__new__`), methods and operators are the base's.


class Name(str):
    def shout(self):
        return self.upper() + "!"


n = Name("bob")
print(n, repr(n), n.shout(), n + "x", "x" + n, len(n), n == "bob", "bob" == n)
print(hash(n) == hash("bob"), {"bob": 1}[n], {n: 2}["bob"], n in {"bob"}, n in "a bob")
print(",".join(n), "-".join([Name("a"), Name("b")]), n.startswith(Name("b")), n[0], n * 2)
print(f"{n}", f"{n:>5}", str(n), "%s" % n, n < "c", sorted([Name("b"), Name("a")]))
print(n.split("o"), n.replace("b", "B"), n.find("o"), type(n.upper()).__name__, isinstance(n, str))
for ch in Name("hi"):
    print("char", ch)


class Shown(str):
    def __str__(self):
        return "S!"

    def __repr__(self):
        return "Shown(" + super().__repr__() + ")"


u = Shown("hi")
print(u, str(u), repr(u), [u], "%s" % u, f"{u}", u + "x", u.upper(), len(u))


class Flags(int):
    def has(self, bit):
        return self & bit != 0


f = Flags(5)
print(f, f + 1, f.has(4), f.has(2), int(f), float(f), f == 5, hash(f) == hash(5))
print(-f, abs(Flags(-2)), f > 3, type(f).__name__, f.bit_length(), f * 2, 10 - f, f // 2, f % 3)
print(isinstance(f, int), bool(Flags(0)), round(f), "%d" % f, "%x" % Flags(255), f"{f:03d}")
print([0, 1, 2, 3, 4, 5][f], range(10)[Flags(2)], Flags("12"), Flags("ff", 16))
