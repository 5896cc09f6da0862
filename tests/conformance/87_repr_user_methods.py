# str() and repr() run user __repr__/__str__ wherever they meet an
# instance: inside lists, tuples, dicts, sets and dict views, in print, in
# f-strings and in str.format and %; what such a method prints comes first.


class A:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        return "A(%d)" % self.n


class S:
    def __str__(self):
        return "S-str"

    def __repr__(self):
        return "S-repr"


class Loud:
    def __repr__(self):
        print("loud")
        return "Loud"


class Bad:
    def __repr__(self):
        return 5


a = [A(1), A(2), {"k": A(3)}, (A(4),)]
print(a)
print(str(a), repr(a))
print(S(), [S()], str(S()), repr(S()), f"{S()} {S()!r} {[S()]}")
print({"a": A(5)}.values(), {"b": A(6)}.items(), {A(7)} == {1})
print("{} {!r} {}".format(S(), S(), [A(8)]), "%s %r" % (S(), [S()]))
l = [1, 2]
l.append(l)
d = {"a": A(9)}
d["self"] = d
print(l, d)
big = [A(i) for i in range(60)]
s = str(big)
print(len(s), s[:24], s[-12:])
print(len(repr(list(range(300)))), len(repr("x" * 1000)))
print("before", Loud(), "after")
print([Loud()])
try:
    print("kept", [Bad()])
except TypeError:
    print("TypeError")
try:
    str((Bad(),))
except TypeError:
    print("TypeError")


class Shrinks:
    def __init__(self, l):
        self.l = l

    def __repr__(self):
        self.l.clear()
        return "Shrinks"


inner = [1]
outer = [inner, 2]
inner.append(Shrinks(outer))
print(outer)
try:
    int("zz")
except ValueError as e:
    print([e], (e,))


class E(Exception):
    pass


print([E("x", 1)], E("y"), repr(E()))
