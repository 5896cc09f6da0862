# The methods the frozen library (lib/*.py) carries in Python, not Rust:
# str center/ljust/rjust/zfill/splitlines/expandtabs/title/capitalize/
# swapcase, dict.setdefault, list.count. Edge cases of each.

words = ["", "a", "ab", "abc", "-42", "+7", "-", "héllo"]
for s in words:
    for w in [-3, 0, 1, 2, 3, 4, 5, 6, 7]:
        print(repr(s), w, repr(s.center(w)), repr(s.center(w, "*")),
              repr(s.ljust(w)), repr(s.ljust(w, ".")),
              repr(s.rjust(w)), repr(s.rjust(w, "é")), repr(s.zfill(w)))

for fill in ["", "ab", 5]:
    for m in [str.center, str.ljust, str.rjust]:
        try:
            m("x", 4, fill)
        except TypeError:
            print(m.__name__, repr(fill), "TypeError")

texts = ["", "\n", "one", "a\nb", "a\nb\n", "a\r\nb\rc\n\nd", "x\x0by\x0cz",
         "p\x1cq\x1dr\x1es", "\r\n\r\n", "\n\nend"]
for t in texts:
    print(repr(t), t.splitlines(), t.splitlines(True), t.splitlines(keepends=True))

# Non-ASCII line breaks, by length (the VM's repr shows them unescaped).
u = "u\x85v\u2028w\u2029x"
print([len(p) for p in u.splitlines()], [len(p) for p in u.splitlines(True)])

for t in ["a\tb", "\t", "ab\tc\td", "12345678\tx", "a\nb\tc", "x\r\ty", "no tabs"]:
    print(repr(t), [t.expandtabs(), t.expandtabs(4), t.expandtabs(1),
                    t.expandtabs(0), t.expandtabs(-2), t.expandtabs(tabsize=3)])

for t in ["", "hello world", "HELLO", "they're bill's 1st", "a1b2 c3", "  x  y",
          "mIxEd CaSe", "x"]:
    print(repr(t), repr(t.title()), repr(t.capitalize()), repr(t.swapcase()))

print("ab".center(6, "-"), str.zfill("5", 3), str.title("ab cd"))
f = "x".rjust
print(f(3), f(3, "#"))

d = {}
print(d.setdefault("a"), d)
print(d.setdefault("a", 5), d)
print(d.setdefault("b", [1]), d)
d.setdefault("b", []).append(2)
d.setdefault("c", []).append(3)
print(d)
print({1: 2}.setdefault(1.0, 9), {}.setdefault((1, 2), "t"))

class Eq:
    def __eq__(self, other):
        return other == 3

nan_like = [1, 1.0, True, 2, "1", None, [1], (1,)]
print(nan_like.count(1), nan_like.count("1"), nan_like.count(None),
      nan_like.count([1]), nan_like.count(()), [].count(0))
print([3, 3, 4].count(Eq()), [Eq(), 3].count(3))
e = Eq()
print([e, e].count(e))
print(list.count([0, 0, 1], 0))
