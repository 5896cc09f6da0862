# binascii: MicroPython's module (hexlify, unhexlify, b2a_base64,
# a2b_base64, crc32) with CPython's results and messages, carried by the
# host and stored on first import (module binascii). Bad input raises Error, a
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
    # The output is laid out at once and filled in place: a loop that
    # builds a tuple, a range or a longer bytearray per step costs a
    # device's heap ~40 bytes a time.
    n = len(data)
    d = bytes(data) + b"\0\0"
    m = (n + 2) // 3 * 4
    r = bytearray(m + 1)
    k = 0
    for i in range(0, n, 3):
        v = d[i] << 16 | d[i + 1] << 8 | d[i + 2]
        s = 18
        while s >= 0:
            r[k] = _B64[v >> s & 63]
            k += 1
            s -= 6
    p = -n % 3
    r[m - p:m] = b"=="[:p]
    r[m] = 10
    return bytes(r if newline else r[:m])


def a2b_base64(s):
    # CPython's non-strict decoding: characters outside the alphabet are
    # skipped, and a complete pad ends the input. The output is laid out at
    # once (appending grows a bytearray a copy at a time).
    if type(s) is str:
        s = s.encode()
    r = bytearray(len(s) * 3 // 4 + 2)
    k = q = v = pads = 0
    for c in s:
        if c == 61:
            if q > 1:
                pads += 1
                if q + pads > 3:
                    break
            continue
        # The alphabet's value by ranges (bytes.find(int) makes a bytes
        # each call).
        if 64 < c < 91:
            c -= 65
        elif 96 < c < 123:
            c -= 71
        elif 47 < c < 58:
            c += 4
        elif c == 43:
            c = 62
        elif c == 47:
            c = 63
        else:
            continue
        pads = 0
        # The q-th character of a quad completes a byte with the 2q bits
        # left over from the one before; the rest carry on.
        if q:
            r[k] = v << 2 * q | c >> 6 - 2 * q
            k += 1
        v = c & (1 << 6 - 2 * q) - 1
        q = q + 1 & 3
    else:
        if q == 1:
            raise Error("Invalid base64-encoded string: number of data characters (%d)"
                        " cannot be 1 more than a multiple of 4" % (k // 3 * 4 + 1))
        if q:
            raise Error("Incorrect padding")
    return bytes(r[:k])


def crc32(data, value=0):
    # Bit by bit over two 16-bit halves: each stays a small int, so a
    # device's 31-bit immediates never spill into big ints.
    c = ~value
    h = c >> 16 & 0xFFFF
    l = c & 0xFFFF
    for b in data:
        l ^= b
        k = 8
        while k:
            m = l & 1
            l = (l >> 1 | (h & 1) << 15) ^ 0x8320 * m
            h = h >> 1 ^ 0xEDB8 * m
            k -= 1
    return (h ^ 0xFFFF) << 16 | l ^ 0xFFFF
