# struct: pack and unpack binary records (register layouts, packets), carried
# by the host and stored on the device on first import (host/src/library.rs).
# All Python: the device keeps no native code for it (issue 13). Floats are
# packed by exact power-of-two scaling and one correctly rounded round().
#
# Formats as CPython's and MicroPython's: a byte order first ('@' native,
# the default, with alignment; '=' native order, standard sizes; '<'; '>'
# and '!'), then items with optional counts: x c b B ? h H i I l L q Q e f
# d s p, and P (native only). Native here is the device's: little-endian,
# 32-bit (l, L and P are 4 bytes, as on MicroPython's 32-bit ports).


class error(Exception):
    pass


# Item characters and their sizes (standard sizes; native ones differ
# only in alignment here, P being 4 bytes too).
_CHARS = "xcbB?sphHeiIlLfPqQd"
_SIZES = b"\x01\x01\x01\x01\x01\x01\x01\x02\x02\x02\x04\x04\x04\x04\x04\x04\x08\x08\x08"
# The ranged integer items and their names in CPython's range message
# (q, Q and P say "argument out of range").
_RANGED = "bBhHiIlL"
_NAMES = ("byte", "ubyte", "short", "ushort", "'i'", "'I'", "'l'", "'L'")
# Float items: exponent bits, fraction bits.
_FLOATS = "efd"
_BITS = ((5, 10), (8, 23), (11, 52))


def _parse(fmt):
    # -> (little, native, [(char, count, offset)], size)
    if type(fmt) is bytes:
        fmt = fmt.decode()
    if type(fmt) is not str:
        raise TypeError("Struct() argument 1 must be a str or bytes object, not "
                        + type(fmt).__name__)
    native = True
    little = True
    i = 0
    if fmt and fmt[0] in "@=<>!":
        c = fmt[0]
        native = c == "@"
        little = c in "@=<"
        i = 1
    items = []
    off = 0
    n = len(fmt)
    while i < n:
        c = fmt[i]
        if c in " \t\n\r\x0b\x0c":
            i += 1
            continue
        count = None
        while "0" <= c <= "9":
            count = (count or 0) * 10 + ord(c) - 48
            i += 1
            if i == n:
                raise error("repeat count given without format specifier")
            c = fmt[i]
        i += 1
        k = _CHARS.find(c)
        if k < 0 or c == "P" and not native:
            raise error("bad char in struct format")
        size = _SIZES[k]
        if count is None:
            count = 1
        if native and size > 1:
            off = (off + size - 1) // size * size
        items.append((c, count, off))
        off += count * size
    return little, native, items, off


def calcsize(fmt):
    return _parse(fmt)[3]


def _int_bytes(buf, at, v, size, little):
    for k in range(size):
        buf[at + k if little else at + size - 1 - k] = v & 255
        v >>= 8


def _put_int(buf, at, c, v, size, little):
    if type(v) is not int and type(v) is not bool:
        raise error("required argument is not an integer")
    signed = c in "bhilq"
    bits = size * 8
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if v < lo or v > hi:
        k = _RANGED.find(c)
        if k < 0:
            raise error("argument out of range")
        raise error("%s format requires %d <= number <= %d" % (_NAMES[k], lo, hi))
    _int_bytes(buf, at, v, size, little)


def _float_bits(x, eb, mb, c):
    bias = (1 << (eb - 1)) - 1
    top = (1 << eb) - 1
    if x != x:
        return top << mb | 1 << (mb - 1)
    sign = 0
    if x < 0 or x == 0 and repr(x)[0] == "-":
        sign = 1 << (eb + mb)
        x = -x
    if x == 0:
        return sign
    if x == float("inf"):
        return sign | top << mb
    # x = m * 2**e with m in [1, 2): scaling by powers of two is exact.
    e = 0
    while x >= 65536.0:
        x *= 1.52587890625e-05
        e += 16
    while x >= 2.0:
        x *= 0.5
        e += 1
    while x < 1.52587890625e-05:
        x *= 65536.0
        e -= 16
    while x < 1.0:
        x *= 2.0
        e -= 1
    if e + bias <= 0:
        # Subnormal: the fraction holds x * 2**(e + bias - 1 + mb), rounded
        # half to even; a carry out of it is the smallest normal, as wanted.
        return sign | round(x * 2.0 ** (e + bias - 1 + mb))
    m = round((x - 1.0) * 2.0 ** mb)
    if m >> mb:
        m = 0
        e += 1
    if e + bias >= top:
        raise OverflowError("float too large to pack with %s format" % c)
    return sign | (e + bias) << mb | m


def _bits_float(bits, eb, mb):
    bias = (1 << (eb - 1)) - 1
    top = (1 << eb) - 1
    exp = bits >> mb & top
    m = bits & ((1 << mb) - 1)
    if exp == top:
        x = float("nan") if m else float("inf")
    elif exp == 0:
        x = m * 2.0 ** -mb * 2.0 ** (1 - bias)
    else:
        x = (m + (1 << mb)) * 2.0 ** (exp - bias - mb)
    return -x if bits >> (eb + mb) else x


def _room(what, need, size, offset, have):
    if offset < 0:
        raise error("offset %d out of range for %d-byte buffer" % (offset, have))
    if offset + size > have:
        if what == "unpack":
            raise error("unpack requires a buffer of %d bytes" % size)
        raise error(
            "%s requires a buffer of at least %d bytes for %s %d bytes at offset %d "
            "(actual buffer size is %d)"
            % (what, need, "unpacking" if what == "unpack_from" else "packing",
               size, offset, have))


def pack_into(fmt, buffer, offset, *values):
    little, native, items, size = _parse(fmt)
    want = 0
    for c, count, _ in items:
        if c != "x":
            want += 1 if c in "sp" else count
    if len(values) != want:
        raise error("pack expected %d items for packing (got %d)" % (want, len(values)))
    if offset < 0:
        offset += len(buffer)
    _room("pack_into", offset + size, size, offset, len(buffer))
    j = 0
    for c, count, at in items:
        at += offset
        if c == "x":
            for k in range(count):
                buffer[at + k] = 0
            continue
        if c in "sp":
            v = values[j]
            j += 1
            if type(v) is not bytes and type(v) is not bytearray:
                raise error("argument for '%s' must be a bytes object" % c)
            n = count
            if c == "p" and count:
                n = min(len(v), count - 1, 255)
                buffer[at] = n
                at += 1
                n = count - 1
            for k in range(n):
                buffer[at + k] = v[k] if k < len(v) else 0
            continue
        size1 = _SIZES[_CHARS.find(c)]
        for k in range(count):
            v = values[j]
            j += 1
            p = at + k * size1
            if c == "?":
                buffer[p] = 1 if v else 0
            elif c == "c":
                if (type(v) is not bytes and type(v) is not bytearray) or len(v) != 1:
                    raise error("char format requires a bytes object of length 1")
                buffer[p] = v[0]
            elif c in _FLOATS:
                if type(v) is not float and type(v) is not int and type(v) is not bool:
                    raise error("required argument is not a float")
                eb, mb = _BITS[_FLOATS.find(c)]
                _int_bytes(buffer, p, _float_bits(float(v), eb, mb, c), size1, little)
            else:
                _put_int(buffer, p, c, v, size1, little)


def pack(fmt, *values):
    buf = bytearray(calcsize(fmt))
    pack_into(fmt, buf, 0, *values)
    return bytes(buf)


def unpack_from(fmt, buffer, offset=0):
    return _unpack("unpack_from", fmt, buffer, offset)


def unpack(fmt, buffer):
    return _unpack("unpack", fmt, buffer, 0)


def _unpack(what, fmt, buffer, offset):
    little, native, items, size = _parse(fmt)
    have = len(buffer)
    if what == "unpack" and have != size:
        raise error("unpack requires a buffer of %d bytes" % size)
    if offset < 0:
        offset += have
    _room(what, offset + size, size, offset, have)
    out = []
    for c, count, at in items:
        at += offset
        if c == "x":
            continue
        if c == "s":
            out.append(bytes(buffer[at:at + count]))
            continue
        if c == "p":
            n = min(buffer[at], count - 1) if count else 0
            out.append(bytes(buffer[at + 1:at + 1 + n]))
            continue
        size1 = _SIZES[_CHARS.find(c)]
        for k in range(count):
            p = at + k * size1
            if c == "c":
                out.append(bytes(buffer[p:p + 1]))
                continue
            if c == "?":
                out.append(buffer[p] != 0)
                continue
            v = 0
            for b in range(size1):
                v = v << 8 | buffer[p + (size1 - 1 - b if little else b)]
            if c in _FLOATS:
                eb, mb = _BITS[_FLOATS.find(c)]
                out.append(_bits_float(v, eb, mb))
            elif c in "bhilq" and v >> (size1 * 8 - 1):
                out.append(v - (1 << (size1 * 8)))
            else:
                out.append(v)
    return tuple(out)


def iter_unpack(fmt, buffer):
    size = calcsize(fmt)
    if size == 0:
        raise error("cannot iteratively unpack with a struct of length 0")
    if len(buffer) % size:
        raise error("iterative unpacking requires a buffer of a multiple of %d bytes" % size)
    return (unpack_from(fmt, buffer, k) for k in range(0, len(buffer), size))
