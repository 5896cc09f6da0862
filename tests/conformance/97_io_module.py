# io.StringIO and io.BytesIO: in-memory streams (MicroPython's io, CPython's
# behaviour).
import io

s = io.StringIO()
print(s.write("hello\n"), s.write("world\n"), s.tell())
print(repr(s.getvalue()))
s.seek(0)
print(repr(s.readline()), repr(s.read()), repr(s.read()))
s.seek(2)
print(repr(s.read(3)), s.tell())
s.seek(0, 2)
print(s.tell(), s.seek(0, 1))
s.seek(3)
s.write("LO")
print(repr(s.getvalue()))
s.seek(15)
s.write("x")
print(repr(s.getvalue()), len(s.getvalue()))

t = io.StringIO("a\nbb\nccc")
print(t.readlines())
t.seek(0)
print([line for line in t])
t.seek(0)
print(repr(t.readline(1)), repr(t.readline()), repr(t.readline(2)))

with io.StringIO("x") as u:
    print(u.read(), u.closed)
print(u.closed)
try:
    u.read()
except ValueError as e:
    print("ValueError", e)

for bad in (lambda: io.StringIO().write(1), lambda: io.BytesIO().write("s")):
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
try:
    io.StringIO().seek(-1)
except ValueError as e:
    print("ValueError", e)

b = io.BytesIO(b"\x01\x02\x03")
print(b.read(1), b.read(), b.tell())
print(b.write(b"\x04\x05"), b.getvalue())
b.write(bytearray(b"!"))
b.seek(0)
print(b.read(), type(b.getvalue()).__name__)
b = io.BytesIO(bytearray(b"line1\nline2\n"))
print(list(b))
b.seek(10)
b.write(b"Z")
print(b.getvalue())
b = io.BytesIO()
b.seek(2)
b.write(b"a")
print(b.getvalue())
