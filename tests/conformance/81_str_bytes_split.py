# partition, rpartition and rsplit of str, bytes and bytearray: Python in
# the frozen library (lib/str.py, lib/bytes.py), not Rust; bytes.hex. Edge
# cases: not found, empty and wrong-typed separators, maxsplit 0 and
# negative, whitespace runs, non-ASCII, the receiver's type kept.

for s in ["a,b,c", "abc", ",", "", ",x,", "héllo,wörld,ü"]:
    print(repr(s), s.partition(","), s.rpartition(","), s.partition("ö"),
          s.rpartition("l"), str.partition(s, "b"))

for s in ["  a b  c  ", "a b c", "", "   ", "x", "\ta\nb\x0bc\x0cd\re ", "é ü  ö"]:
    for m in [-1, 0, 1, 2, 5]:
        print(repr(s), m, s.rsplit(None, m), s.rsplit(maxsplit=m), s.split(None, m))

for s in ["a,b,,c", ",a,", ",", "", "abc", "a::b::c", "::"]:
    for sep in [",", "::"]:
        print(repr(s), repr(sep), s.rsplit(sep), s.rsplit(sep, 0),
              s.rsplit(sep, 1), s.rsplit(sep=sep, maxsplit=2), s.rsplit(sep, -5))

for bad in ["", 1, None]:
    for f in ["partition", "rpartition", "rsplit"]:
        try:
            print(f, repr(bad), getattr("a b", f)(bad))
        except (TypeError, ValueError) as e:
            print(f, repr(bad), type(e).__name__, e if type(e) is ValueError else "")

for x in [b"a,b,c", bytearray(b"a,b,c"), b"", b"  x y  z "]:
    print(x.partition(b","), x.rpartition(b","), x.partition(bytearray(b"y")),
          x.rsplit(None, 1), x.rsplit(b",", 1), x.rsplit(maxsplit=0), x.rsplit())
    print(type(x.partition(b",")[0]).__name__, type(x.rsplit(b",", 1)[-1]).__name__)
    try:
        x.partition(b"")
    except ValueError as e:
        print("ValueError", e)
    try:
        x.rsplit(b"", 1)
    except ValueError as e:
        print("ValueError", e)

ba = bytearray(b"abc")
p = ba.partition(b"x")
p[0].append(100)
print(ba, p)

for x in [b"", b"\x00", b"\x00\x0f\xf0\xff", bytes(range(0, 256, 17)), bytearray(b"hi")]:
    print(x.hex())
