# struct: pack and unpack with CPython's behaviour, standard sizes and
# byte orders (native '@' sizes differ between a 64-bit host and the
# device for l, L and P, so they are not printed here).
import struct

print(struct.pack("<hHiI", -2, 65535, -70000, 4000000000))
print(struct.pack(">hHiI", -2, 65535, -70000, 4000000000))
print(struct.pack("!bB?", -128, 255, 7))
print(struct.unpack("<hHiI", b"\xfe\xff\xff\xff\x90\xee\xfe\xff\x00(k\xee"))
print(struct.unpack(">bB?", b"\x80\xff\x01"))
print(struct.pack("<qQ", -2**63, 2**64 - 1))
print(struct.unpack("<qQ", struct.pack("<qQ", -5, 2**63 + 7)))
print(struct.pack("<lL", -1, 2**32 - 1), struct.calcsize("<lL"))
print(struct.pack("=i", 1), struct.calcsize("=bi"), struct.calcsize("@bi"), struct.calcsize("@bh0i"))
print(struct.calcsize("<"), struct.calcsize("<3s2xhd"), struct.calcsize("@3sd"), struct.calcsize("b i"))
print(struct.pack("<3s", b"abcdef"), struct.pack("<5s", b"ab"), struct.pack("<0s", b"a"))
print(struct.pack("<5p", b"ab"), struct.pack("<3p", b"abcdef"), struct.unpack("<5p", b"\x02abzz"))
print(struct.unpack("<4s2x", b"spam\x00\x00"), struct.pack("<2xb2x", 1))
print(struct.pack("<cc", b"a", b"\xff"), struct.unpack("<2c", b"xy"))
print(struct.pack("<3h", 1, 2, 3), struct.unpack("<3h", b"\x01\x00\x02\x00\x03\x00"))
print(struct.pack("@bhi", 1, 2, 3), struct.unpack("@bhi", struct.pack("@bhi", -1, -2, -3)))
print(struct.pack("@bq", 1, 2))
for x in (0.0, -0.0, 1.0, -1.5, 0.1, 3.141592653589793, 1e300, -2.5e-310, 5e-324,
          1.7976931348623157e308, float("inf"), -float("inf")):
    d = struct.pack("<d", x)
    f = struct.pack(">f", x) if abs(x) < 3e38 or x != x or abs(x) == float("inf") else b""
    print(d, struct.unpack("<d", d)[0] == x, repr(struct.unpack("<d", d)[0]), f)
for x in (0.1, 1/3, 16777217.0, 1e-40, 1e-45, 7e-46, 3.4028234e38, -65504.0, 2.0**-24, 0.5):
    f = struct.pack("<f", x)
    print(f, repr(struct.unpack("<f", f)[0]))
for x in (1.0, 0.1, 65504.0, -2.0**-24, 2.0**-25, 1/3, 0.0001):
    e = struct.pack("<e", x)
    print(e, repr(struct.unpack("<e", e)[0]))
n = struct.unpack("<d", struct.pack("<d", float("nan")))[0]
print(n != n, struct.pack("<d", 1) == struct.pack("<d", 1.0), struct.pack("<f", True))
buf = bytearray(10)
struct.pack_into("<hi", buf, 2, 513, -1)
print(buf, struct.unpack_from("<hi", buf, 2), struct.unpack_from("<i", buf), struct.unpack_from("<h", buf, -2))
struct.pack_into("<h", buf, -2, 258)
print(buf)
print(list(struct.iter_unpack("<h", b"\x01\x00\x02\x00\x03\x00")))
for fmt, args in [("<b", (200,)), ("<B", (300,)), ("<h", (70000,)), ("<H", (-1,)),
                  ("<i", (2**40,)), ("<I", (2**33,)), ("<l", (2**40,)), ("<q", (2**70,)),
                  ("<Q", (-1,)), ("<i", (1.5,)), ("<i", ("x",)), ("<f", ("x",)),
                  ("<s", (1,)), ("<c", (b"ab",)), ("<i", ()), ("<i", (1, 2)),
                  ("<e", (1e6,)), ("<f", (1e40,)), ("<y", (1,)), ("<P", (1,)), ("<2", ())]:
    try:
        print(fmt, struct.pack(fmt, *args))
    except (struct.error, OverflowError) as e:
        print(fmt, type(e).__name__, e)
for call in (lambda: struct.unpack("<i", b"abc"), lambda: struct.unpack_from("<i", b"abcde", 2),
             lambda: struct.pack_into("<i", bytearray(6), 4, 1), lambda: struct.calcsize(5)):
    try:
        call()
    except (struct.error, TypeError) as e:
        print(type(e).__name__, e)
print(issubclass(struct.error, Exception), struct.pack(b"<h", 1))
