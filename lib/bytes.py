# Cold bytes and bytearray methods, run from the firmware's frozen library
# (module _bytes; device/src/vm/frozen.rs). Those whose code is the same for
# str are str's (lib/str.py), imported here by name.

from _str import partition, rpartition, rsplit


# A digit's value is its index here, modulo 16.
_HEX = "0123456789abcdef0123456789ABCDEF"


def hex(self):
    return ("%02x" * len(self)) % tuple(self)


@classmethod
def fromhex(cls, s):
    if type(s) is not str:
        raise TypeError("fromhex() argument must be str, not " + type(s).__name__)
    # Pairs of digits, whitespace only between pairs; CPython names the
    # first character that is not a digit where one must be (or the end).
    out = []
    hi = None
    for i, c in enumerate(s):
        if hi is None and c in " \t\n\r\x0c":
            continue
        k = _HEX.find(c)
        if k < 0:
            break
        if hi is None:
            hi = k & 15
        else:
            out.append(hi * 16 + (k & 15))
            hi = None
    else:
        if hi is None:
            return cls(out)
        i = len(s)
    raise ValueError("non-hexadecimal number found in fromhex() arg at position %d" % i)
