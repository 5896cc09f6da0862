# Cold int methods, run from the firmware's frozen library (module _int;
# device/src/vm/frozen.rs): the conversions to and from bytes.


def _little(byteorder):
    if byteorder == "little":
        return True
    if byteorder != "big":
        raise _err(ValueError, "byteorder must be either 'little' or 'big'")
    return False


def to_bytes(self, length=1, byteorder="big", *, signed=False):
    if length < 0:
        raise _err(ValueError, "length argument must be non-negative")
    little = _little(byteorder)
    neg = self < 0
    if neg and not signed:
        raise _err(OverflowError, "can't convert negative int to unsigned")
    # Least significant byte first; an arithmetic shift keeps the sign, so
    # what is left past `length` bytes is 0 (or -1) when the int fits, and
    # a signed int also needs the top bit to say its sign.
    out = []
    n = self
    for _ in range(length):
        out.append(n & 255)
        n >>= 8
    if n != (-1 if neg else 0) or signed and (out[-1] > 127 if out else neg) != neg:
        raise _err(OverflowError, "int too big to convert")
    if not little:
        out.reverse()
    return bytes(out)


@classmethod
def from_bytes(cls, data, byteorder="big", *, signed=False):
    little = _little(byteorder)
    if type(data) is int or type(data) is str:
        raise _err(TypeError, "cannot convert '{}' object to bytes", type(data).__name__)
    data = bytes(data)
    if little:
        data = data[::-1]
    # A negative number is summed from its complement, so that no step
    # needs a bigger int than the result (8 bytes fit a small firmware's).
    neg = signed and len(data) > 0 and data[0] > 127
    n = 0
    for b in data:
        n = n * 256 + (255 - b if neg else b)
    return -n - 1 if neg else n
