# memoryview: MicroPython's subset, carried by the host (module _memoryview)
# and stored on the device the first time a program names `memoryview` (the
# compiler loads the name from this module: no device code). A view is
# (object, start, stop) over a bytes or bytearray: len, int indexing,
# slices sharing the memory (step 1, as MicroPython's), assignment into a
# bytearray through it, iteration, ==, tobytes/tolist/hex, readonly and
# nbytes. bytes(mv), bytearray(mv) and ba[i:j] = mv take it as an iterable.


class memoryview:
    def __init__(self, obj):
        if isinstance(obj, memoryview):
            self._o = obj._o
            self._a = obj._a
            self._b = obj._b
        elif isinstance(obj, (bytes, bytearray)):
            self._o = obj
            self._a = 0
            self._b = len(obj)
        else:
            raise TypeError(
                "memoryview: a bytes-like object is required, not '%s'" % type(obj).__name__
            )

    def __len__(self):
        return self._b - self._a

    def _at(self, i):
        n = self._b - self._a
        if isinstance(i, slice):
            a, b, s = i.indices(n)
            if s != 1:
                raise NotImplementedError("only slices with step=1 (aka None) are supported")
            return self._a + a, self._a + max(a, b)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("index out of bounds on dimension 1")
        return self._a + i

    def __getitem__(self, i):
        at = self._at(i)
        if isinstance(at, int):
            return self._o[at]
        m = memoryview(self)
        m._a, m._b = at
        return m

    def __setitem__(self, i, v):
        if isinstance(self._o, bytes):
            raise TypeError("cannot modify read-only memory")
        at = self._at(i)
        if isinstance(at, int):
            self._o[at] = v
            return
        a, b = at
        if len(v) != b - a:
            raise ValueError("memoryview assignment: lvalue and rvalue have different structures")
        self._o[a:b] = v

    def __iter__(self):
        for i in range(self._a, self._b):
            yield self._o[i]

    def __eq__(self, other):
        if isinstance(other, memoryview):
            other = other.tobytes()
        return self.tobytes() == other

    def tobytes(self):
        return bytes(self._o[self._a : self._b])

    def tolist(self):
        return list(self.tobytes())

    def hex(self):
        return self.tobytes().hex()

    @property
    def readonly(self):
        return isinstance(self._o, bytes)

    @property
    def nbytes(self):
        return self._b - self._a
