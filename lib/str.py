# Cold str methods, run from the firmware's frozen library (module _str).
# Each is a plain function taking the string as `self`; the VM binds it
# when a str method is not one of its native ones (device/src/vm/frozen.rs).
# Hot methods (join, split, find, strip, replace, format...) stay native;
# the padding ones (ljust, center...) are lib/str_pad.py's.

# The line boundaries str.splitlines splits on, as CPython's.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def splitlines(self, keepends=False):
    lines = []
    start = 0
    i = 0
    n = len(self)
    while i < n:
        c = self[i]
        i += 1
        if c in _BREAKS:
            end = i - 1
            if c == "\r" and i < n and self[i] == "\n":
                i += 1
            lines.append(self[start:i] if keepends else self[start:end])
            start = i
    if start < n:
        lines.append(self[start:])
    return lines


def expandtabs(self, tabsize=8):
    out = []
    col = 0
    for c in self:
        if c == "\t":
            if tabsize > 0:
                k = tabsize - col % tabsize
                out.append(" " * k)
                col += k
        else:
            out.append(c)
            col = 0 if c == "\n" or c == "\r" else col + 1
    return "".join(out)


def capitalize(self):
    return self[:1].upper() + self[1:].lower()


def title(self):
    out = []
    cased = False
    for c in self:
        out.append(c.lower() if cased else c.upper())
        cased = c.isalpha()
    return "".join(out)


def swapcase(self):
    out = []
    for c in self:
        out.append(c.lower() if c.isupper() else c.upper())
    return "".join(out)


# partition, rpartition and rsplit serve bytes and bytearray too (lib/bytes.py
# imports them): they use only methods and slices both types have, so the
# pieces come out with the receiver's type. find/rfind/split check the
# separator's type as CPython does.


def _part(self, sep, i):
    if not sep:
        raise _err(ValueError, "empty separator")
    j = i + len(sep)
    # CPython gives back the separator itself, but a bytearray's own copy.
    if type(self) is bytearray:
        sep = self[i:j]
    return self[:i], sep, self[j:]


def partition(self, sep):
    i = self.find(sep)
    if i < 0:
        return self[:], self[:0], self[:0]
    return _part(self, sep, i)


def rpartition(self, sep):
    i = self.rfind(sep)
    if i < 0:
        return self[:0], self[:0], self[:]
    return _part(self, sep, i)


def rsplit(self, sep=None, maxsplit=-1):
    if maxsplit < 0:
        return self.split(sep)
    # CPython's TypeError or ValueError for a bad separator.
    self.split(sep, 0)
    out = []
    rest = self
    if sep is None:
        rest = rest.rstrip()
        while rest:
            i = len(rest)
            if maxsplit > 0:
                while i and not rest[i - 1 : i].isspace():
                    i -= 1
            else:
                i = 0
            out.append(rest[i:])
            rest = rest[:i].rstrip()
            maxsplit -= 1
    else:
        while maxsplit > 0:
            i = rest.rfind(sep)
            if i < 0:
                break
            out.append(rest[i + len(sep) :])
            rest = rest[:i]
            maxsplit -= 1
        out.append(rest)
    out.reverse()
    return out
