# Cold bytes and bytearray methods, run from the firmware's frozen library
# (module _bytes; device/src/vm/frozen.rs). Those whose code is the same for
# str are str's (lib/str.py), imported here by name.

from _str import partition, rpartition, rsplit


def hex(self):
    out = []
    for b in self:
        out.append("%02x" % b)
    return "".join(out)


_HEX = "0123456789abcdef"


@classmethod
def fromhex(cls, s):
    if type(s) is not str:
        raise TypeError("fromhex() argument must be str, not " + type(s).__name__)
    out = []
    i = 0
    n = len(s)
    while i < n:
        if s[i] in " \t\n\r\x0b\x0c":
            i += 1
            continue
        hi = _HEX.find(s[i].lower())
        lo = _HEX.find(s[i + 1].lower()) if i + 1 < n else -1
        if hi < 0 or lo < 0:
            raise ValueError(
                "non-hexadecimal number found in fromhex() arg at position %d"
                % (i if hi < 0 else i + 1)
            )
        out.append(hi * 16 + lo)
        i += 2
    return cls(out)
