# binascii: MicroPython's module (hexlify, unhexlify, b2a_base64,
# a2b_base64, crc32) with CPython's results and messages, run from the
# firmware's frozen library (module binascii). Bad input raises Error, a
# ValueError as MicroPython raises (CPython's binascii.Error is one too).


class Error(ValueError):
    pass


_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def hexlify(data, sep=None):
    h = data.hex()
    if sep is not None:
        if type(sep) is not str:
            sep = sep.decode()
        h = sep.join(h[i:i + 2] for i in range(0, len(h), 2))
    return h.encode()


def unhexlify(s):
    if type(s) is not str:
        s = s.decode()
    if len(s) & 1:
        raise Error("Odd-length string")
    try:
        r = bytes.fromhex(s)
    except ValueError:
        r = b""
    # fromhex skips spaces; unhexlify takes none.
    if len(r) * 2 != len(s):
        raise Error("Non-hexadecimal digit found")
    return r


def b2a_base64(data, *, newline=True):
    n = len(data)
    d = bytes(data) + b"\0\0"
    r = bytearray()
    for i in range(0, n, 3):
        v = d[i] << 16 | d[i + 1] << 8 | d[i + 2]
        for s in (18, 12, 6, 0):
            r.append(_B64[v >> s & 63])
    p = -n % 3
    if p:
        r[-p:] = b"=="[:p]
    if newline:
        r.append(10)
    return bytes(r)


def a2b_base64(s):
    # CPython's non-strict decoding: characters outside the alphabet are
    # skipped, and a complete pad ends the input.
    if type(s) is str:
        s = s.encode()
    r = bytearray()
    q = v = pads = 0
    for c in s:
        if c == 61:
            if q > 1:
                pads += 1
                if q + pads > 3:
                    return bytes(r)
            continue
        c = _B64.find(c)
        if c < 0:
            continue
        pads = 0
        # The q-th character of a quad completes a byte with the 2q bits
        # left over from the one before; the rest carry on.
        if q:
            r.append(v << 2 * q | c >> 6 - 2 * q)
        v = c & (1 << 6 - 2 * q) - 1
        q = q + 1 & 3
    if q == 1:
        raise Error("Invalid base64-encoded string: number of data characters (%d)"
                    " cannot be 1 more than a multiple of 4" % (len(r) // 3 * 4 + 1))
    if q:
        raise Error("Incorrect padding")
    return bytes(r)


def crc32(data, value=0):
    # Bit by bit over two 16-bit halves: each stays a small int, so a
    # device's 31-bit immediates never spill into big ints.
    c = ~value
    h = c >> 16 & 0xFFFF
    l = c & 0xFFFF
    for b in data:
        l ^= b
        for _ in range(8):
            m = l & 1
            l = (l >> 1 | (h & 1) << 15) ^ 0x8320 * m
            h = h >> 1 ^ 0xEDB8 * m
    return (h ^ 0xFFFF) << 16 | l ^ 0xFFFF
