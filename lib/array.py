# array: typed arrays of numbers (MicroPython's and CPython's array.array),
# carried by the host and stored on first import (host/src/library.rs).
# The items are a list, checked against the typecode's range on the way
# in; tobytes/frombytes pack them little-endian through struct (imported
# then, so an array of ints needs no struct). Sizes are a 32-bit device's,
# as MicroPython's: 'l' and 'L' are 4 bytes ('q'/'Q' are 8).

_SIZES = {"b": 1, "B": 1, "h": 2, "H": 2, "i": 4, "I": 4, "l": 4, "L": 4, "q": 8, "Q": 8, "f": 4, "d": 8}


class array:
    def __init__(self, typecode, init=()):
        if typecode not in _SIZES or len(typecode) != 1:
            raise ValueError("bad typecode (must be b, B, h, H, i, I, l, L, q, Q, f or d)")
        self.typecode = typecode
        self.itemsize = _SIZES[typecode]
        self._a = []
        if isinstance(init, (bytes, bytearray)):
            self.frombytes(init)
        else:
            self.extend(init)

    def _item(self, x):
        t = self.typecode
        if t in "fd":
            if not isinstance(x, (int, float)):
                raise TypeError("must be real number, not " + type(x).__name__)
            if t == "f":
                # Stored as a 4-byte float: round as the bytes would.
                from struct import pack, unpack

                return unpack("<f", pack("<f", x))[0]
            return float(x)
        if not isinstance(x, int):
            raise TypeError("'" + type(x).__name__ + "' object cannot be interpreted as an integer")
        bits = self.itemsize * 8
        lo = 0 if t in "BHILQ" else -(1 << (bits - 1))
        if x < lo or x > lo + (1 << bits) - 1:
            raise OverflowError("array item out of range")
        return int(x)

    def _code(self):
        # struct's code for the items, at this device's sizes.
        return {"l": "i", "L": "I"}.get(self.typecode, self.typecode)

    def append(self, x):
        self._a.append(self._item(x))

    def extend(self, items):
        if isinstance(items, array) and items.typecode != self.typecode:
            raise TypeError("can only extend with array of same kind")
        for x in items:
            self.append(x)

    def insert(self, i, x):
        self._a.insert(i, self._item(x))

    def pop(self, i=-1):
        return self._a.pop(i)

    def remove(self, x):
        self._a.remove(x)

    def index(self, x):
        return self._a.index(x)

    def count(self, x):
        return self._a.count(x)

    def reverse(self):
        self._a.reverse()

    def tolist(self):
        return list(self._a)

    def tobytes(self):
        from struct import pack

        return pack("<" + str(len(self._a)) + self._code(), *self._a)

    def frombytes(self, b):
        if len(b) % self.itemsize:
            raise ValueError("bytes length not a multiple of item size")
        from struct import unpack

        self._a.extend(unpack("<" + str(len(b) // self.itemsize) + self._code(), b))

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return iter(self._a)

    def __contains__(self, x):
        return x in self._a

    def __getitem__(self, i):
        if isinstance(i, slice):
            return array(self.typecode, self._a[i])
        return self._a[i]

    def __setitem__(self, i, x):
        if isinstance(i, slice):
            if not isinstance(x, array) or x.typecode != self.typecode:
                raise TypeError("can only assign array (not \"" + type(x).__name__ + "\") to array slice")
            self._a[i] = x._a
        else:
            self._a[i] = self._item(x)

    def __add__(self, other):
        if not isinstance(other, array) or other.typecode != self.typecode:
            raise TypeError("can only append array to array")
        return array(self.typecode, self._a + other._a)

    def __iadd__(self, other):
        if not isinstance(other, array):
            raise TypeError("can only extend array with array")
        self.extend(other)
        return self

    def __eq__(self, other):
        return isinstance(other, array) and self._a == other._a

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        if not self._a:
            return "array('" + self.typecode + "')"
        return "array('" + self.typecode + "', " + repr(self._a) + ")"
