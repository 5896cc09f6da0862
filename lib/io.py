# io: MicroPython's in-memory streams, StringIO and BytesIO, carried by the
# host and stored on first import (host/src/library.rs). One class does
# both: BytesIO differs only in its empty value (b'' instead of '').
# The value is kept whole and rebuilt on a write, which is simple and fine
# for the small buffers a device holds.


class StringIO:
    _empty = ""

    def __init__(self, initial=None):
        self._v = self._empty if initial is None else self._as(initial)
        self._pos = 0
        self.closed = False

    def _as(self, s):
        # A str for StringIO; bytes (from bytes or a bytearray) for BytesIO.
        e = self._empty
        if type(s) is type(e):
            return s
        if isinstance(e, bytes) and isinstance(s, bytearray):
            return bytes(s)
        if isinstance(e, str):
            raise TypeError("string argument expected, got '" + type(s).__name__ + "'")
        raise TypeError("a bytes-like object is required, not '" + type(s).__name__ + "'")

    def _open(self):
        if self.closed:
            raise ValueError("I/O operation on closed file")

    def write(self, s):
        self._open()
        s = self._as(s)
        v = self._v
        p = self._pos
        if p > len(v):
            # Written past the end after a seek: the gap reads as NULs.
            v += ("\0" if isinstance(v, str) else b"\0") * (p - len(v))
        self._v = v[:p] + s + v[p + len(s) :]
        self._pos = p + len(s)
        return len(s)

    def read(self, size=-1):
        self._open()
        v = self._v
        p = min(self._pos, len(v))
        end = len(v) if size is None or size < 0 else min(p + size, len(v))
        self._pos = max(self._pos, end)
        return v[p:end]

    def readline(self, size=-1):
        self._open()
        v = self._v
        p = min(self._pos, len(v))
        nl = v.find("\n" if isinstance(v, str) else b"\n", p)
        end = len(v) if nl < 0 else nl + 1
        if size is not None and size >= 0:
            end = min(end, p + size)
        self._pos = max(self._pos, end)
        return v[p:end]

    def readlines(self):
        return list(self)

    def getvalue(self):
        self._open()
        return self._v

    def seek(self, pos, whence=0):
        self._open()
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += len(self._v)
        elif whence != 0:
            raise ValueError("invalid whence (" + str(whence) + ", should be 0, 1 or 2)")
        if pos < 0:
            raise ValueError("Negative seek position " + str(pos))
        self._pos = pos
        return pos

    def tell(self):
        self._open()
        return self._pos

    def flush(self):
        self._open()

    def close(self):
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class BytesIO(StringIO):
    _empty = b""
