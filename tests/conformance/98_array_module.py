# array.array: typed arrays of numbers (MicroPython's array; CPython's
# behaviour; 'l'/'L' sizes differ between a 32-bit device and CPython on
# a 64-bit host, so they are left out).
from array import array

a = array("i", [1, 2, 3])
print(a, len(a), a[0], a[-1], a.typecode, a.itemsize)
a.append(4)
a.extend([5, 6])
a.extend(array("i", [7]))
print(a, list(a), a.tolist())
print(a[1:3], a[::-2], 3 in a, 9 in a)
a[0] = 10
a[1:3] = array("i", [20, 30])
print(a, a.index(30), a.count(30))
a.insert(0, -1)
print(a.pop(), a.pop(0), a)
a.remove(10)
a.reverse()
print(a)
print(array("h"), array("B", b"\x01\x02\xff"), bool(array("b")), bool(a))
print(array("H", [1, 2]) + array("H", [3]))
b = array("b", [1])
b += array("b", [2, 3])
print(b, b == array("b", [1, 2, 3]), b != array("b", [1, 2]), b == [1, 2, 3])
print(array("h", [1, -2, 3]).tobytes(), array("I", [1, 0xFFFFFFFF]).tobytes())
print(array("H", b"\x01\x00\x02\x01"), array("q", [-1]).tobytes())
c = array("B")
c.frombytes(b"ab")
print(c, [x for x in c])
print(array("d", [1, 2.5]), array("f", [0.1, 2]), array("f", [0.5])[0])
for t, v in (("b", 128), ("b", -129), ("B", -1), ("H", 65536), ("i", 2**31), ("Q", -1)):
    try:
        array(t, [v])
        print("no error", t, v)
    except OverflowError:
        print("OverflowError", t, v)
for bad in (
    lambda: array("z"),
    lambda: array("i", [1.5]),
    lambda: array("d", ["x"]),
    lambda: array("i").extend(array("h")),
    lambda: array("i") + array("h"),
    lambda: array("h", b"\x01"),
):
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__)
