# The str and bytes methods that share one byte-wise implementation: the
# is... classes (empty, mixed, ASCII), find/index/count with bounds that
# cross, empty separators, and the codec errors' messages.
words = ["", "abc", "ABC", "aBc", "123", "a1", "A1", " \t\n", "a b", "1 ", "_", "Ab1!", "\x0b\x0c"]
for w in words:
    b = w.encode()
    r = [w.isdigit(), w.isalpha(), w.isalnum(), w.isspace(), w.isupper(), w.islower()]
    rb = [b.isdigit(), b.isalpha(), b.isalnum(), b.isspace()]
    print(repr(w), r, r[:4] == rb)

t = "hello world"
for lo, hi in [(0, 11), (5, 2), (11, 0), (-1, -5), (3, 3), (20, 30)]:
    print(lo, hi, t.find("o", lo, hi), t.rfind("o", lo, hi), t.count("o", lo, hi),
          t.find("", lo, hi), t.count("", lo, hi), t.rfind("", lo, hi))
    bt = t.encode()
    print(bt.find(b"o", lo, hi), bt.count(b"", lo, hi), bt.rfind(b"", lo, hi))
    try:
        print(t.index("o", lo, hi))
    except ValueError:
        print("ValueError index")
u = "aé€b€"
print(u.find("€"), u.rfind("€"), u.find("b", 2), u.count("€", 3), u.find("", 6, 1), u.index("b"))
print(u.find("", 5), u.find("", 6), u.rfind("", 6), u.count("", 6), u.count("", 5), u.find("", 2**40))

for call in [lambda: "a,b".split(""), lambda: "a,b".rsplit("", 1),
             lambda: "a,b".partition(""), lambda: "a,b".rpartition(""),
             lambda: b"a,b".split(b""), lambda: b"a,b".rsplit(b"", 1)]:
    try:
        print(call())
    except ValueError:
        print("ValueError")
print("a,b".partition(","), "a,b".rpartition(","), b"a,b".rsplit(b",", 1))
try:
    "a".split(1)
except TypeError:
    print("TypeError")
try:
    b"a".split("a")
except TypeError:
    print("TypeError")

for data, codec in [(b"ab\xffc", "utf-8"), (b"\xc3", "utf-8"), (b"ab\x80", "ascii"),
                    (b"\xe2\x28\xa1", "utf-8")]:
    try:
        data.decode(codec)
    except UnicodeDecodeError as e:
        print("UnicodeDecodeError:", e)
try:
    "abcé€x".encode("ascii")
except UnicodeEncodeError as e:
    print(type(e).__name__)
for h in ["0g", "abc", "a b", "12 345 6789 0123 4567 89ab cdef 01 2z"]:
    try:
        print(bytes.fromhex(h))
    except ValueError as e:
        print("ValueError:", e)
print(hex(255), oct(-8), bin(5), hex(-2**63), bin(0))
for s in ["a,b,,c", ",a,", "", "abc", "  a b  c "]:
    for n in [0, 1, 2, 5]:
        print(repr(s), n, s.rsplit(",", n), s.rsplit(",,", n), s.rsplit(None, n),
              s.encode().rsplit(b",", n), s.encode().rsplit(None, n))
