# json: MicroPython's module (dumps, loads, dump, load) with CPython's
# output, carried by the host (stored on first import, module json). dumps
# writes as CPython's with ensure_ascii (its default); loads reads strict
# JSON (CPython's extras NaN, Infinity and -Infinity too) and raises
# ValueError on anything else.


def dumps(obj, separators=None):
    sep, colon = separators or (", ", ": ")

    # Each value becomes one str, joined by its container: no long list of
    # small pieces, which fragmented a small heap past use.
    def enc(o, key=False):
        t = type(o)
        if t is str:
            # Runs that need no escape are copied whole. An ASCII str's
            # bytes are its characters: iterating them makes no
            # 1-character strs (~20 bytes of heap each).
            b = o.encode()
            r = ""
            i = j = 0
            for n in b if len(b) == len(o) else map(ord, o):
                if not 31 < n < 127 or n == 34 or n == 92:
                    r += o[j:i]
                    j = i + 1
                    k = '"\\\n\r\t\b\f'.find(chr(n))
                    if k < 0:
                        c = ""
                        if n > 0xFFFF:
                            # A UTF-16 surrogate pair, as CPython writes it.
                            n -= 0x10000
                            c = "\\u%04x" % (0xD800 | n >> 10)
                            n = 0xDC00 | n & 0x3FF
                        r += c + "\\u%04x" % n
                    else:
                        r += "\\" + '"\\nrtbf'[k]
                i += 1
            return '"' + r + o[j:] + '"'
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if t is int:
            return repr(o)
        if t is float:
            return "NaN" if o != o else repr(o).replace("inf", "Infinity")
        if key:
            raise TypeError("keys must be str, int, float, bool or None, not " + t.__name__)
        # Subclasses too (a namedtuple, a defaultdict), as CPython's.
        if isinstance(o, (list, tuple)):
            return _join(sep, [enc(v) for v in o], "[]")
        if isinstance(o, dict):
            # Other scalar keys become strings: {1: 2} -> {"1": 2}.
            return _join(sep, [(enc(k) if type(k) is str else '"' + enc(k, True) + '"')
                               + colon + enc(o[k]) for k in o], "{}")
        raise TypeError("Object of type " + t.__name__ + " is not JSON serializable")

    return enc(obj)


def _join(sep, items, ends):
    # The brackets go onto the first and last items, so the container's
    # text is made once (a small heap may have no second hole that size).
    if not items:
        return ends
    items[0] = ends[0] + items[0]
    items[-1] += ends[1]
    return sep.join(items)


def dump(obj, fp, separators=None):
    fp.write(dumps(obj, separators))


def _err():
    raise ValueError("syntax error in JSON")


# loads reads bytes: indexing them makes ints, where a str's 1-character
# slices cost ~20 bytes of heap each. A NUL past the end stops every scan
# without a bounds check (a NUL inside is an error anyway).


def _ws(s, i):
    while s[i] in b" \t\n\r":
        i += 1
    return i


def _digits(s, i):
    # -> the index past a run of digits; the run must not be empty.
    j = i
    while 47 < s[j] < 58:
        j += 1
    if j == i:
        _err()
    return j


def _hex4(s, i):
    # A short escape reaches the NUL, which int() rejects.
    return int(s[i:i + 4].decode(), 16)


def _val(s, i):
    # -> (value, index past it), from the first non-space at or after i.
    i = _ws(s, i)
    c = s[i]
    if c == 34:
        r = ""
        while True:
            # The run up to the closing quote or the next escape, whole
            # (UTF-8 never has a quote or backslash byte inside a character).
            i += 1
            q = s.find(b'"', i)
            if q < 0:
                _err()
            t = s[i:q]
            b = t.find(b"\\")
            if b >= 0:
                t = t[:b]
            if t and min(t) < 32:
                _err()
            r += t.decode()
            if b < 0:
                return r, q + 1
            i += b + 1
            c = s[i]
            if c == 117:
                n = _hex4(s, i + 1)
                i += 4
                if 0xD800 <= n < 0xDC00 and s[i + 1:i + 3] == b"\\u":
                    m = _hex4(s, i + 3)
                    if 0xDC00 <= m < 0xE000:
                        n = 0x10000 + (n - 0xD800 << 10) + m - 0xDC00
                        i += 6
                r += chr(n)
            else:
                n = b'"\\/bfnrt'.find(c)
                if n < 0:
                    _err()
                r += '"\\/\b\f\n\r\t'[n]
    if c == 91 or c == 123:
        # [ or {, closed by ] or } (two codes on).
        e = c + 2
        r = []
        i = _ws(s, i + 1)
        if s[i] == e:
            i += 1
        else:
            while True:
                if c == 123:
                    k, i = _val(s, i)
                    if type(k) is not str:
                        _err()
                    i = _ws(s, i)
                    if s[i] != 58:
                        _err()
                    r.append(k)
                    i += 1
                v, i = _val(s, i)
                r.append(v)
                i = _ws(s, i) + 1
                if s[i - 1] == e:
                    break
                if s[i - 1] != 44:
                    _err()
        return (r if c == 91 else dict(zip(r[::2], r[1::2]))), i
    if c in b"tfnNI-":
        for k, w in enumerate((b"true", b"false", b"null", b"NaN", b"Infinity", b"-Infinity")):
            if s[i:i + len(w)] == w:
                return (True, False, None)[k] if k < 3 else float(w.decode()), i + len(w)
    # A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    j = i + (c == 45)
    k = _digits(s, j)
    if s[j] == 48 and k > j + 1:
        _err()
    f = int
    if s[k] == 46:
        k = _digits(s, k + 1)
        f = float
    if s[k] in b"eE":
        k += 1
        if s[k] in b"+-":
            k += 1
        k = _digits(s, k)
        f = float
    return f(s[i:k].decode()), k


def loads(s):
    if type(s) is str:
        s = s.encode()
    s = bytes(s) + b"\0"
    v, i = _val(s, 0)
    if _ws(s, i) != len(s) - 1:
        _err()
    return v


def load(fp):
    return loads(fp.read())
