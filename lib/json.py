# json: MicroPython's module (dumps, loads, dump, load) with CPython's
# output, run from the firmware's frozen library (module json). dumps
# writes as CPython's with ensure_ascii (its default); loads reads strict
# JSON (CPython's extras NaN, Infinity and -Infinity too) and raises
# ValueError on anything else.


def dumps(obj, separators=None):
    sep, colon = separators or (", ", ": ")
    out = []
    w = out.append

    def enc(o, key=False):
        t = type(o)
        if t is str:
            w('"')
            for c in o:
                n = ord(c)
                if c in '"\\':
                    w("\\" + c)
                elif 31 < n < 127:
                    w(c)
                elif c in "\n\r\t\b\f":
                    w("\\" + "nrtbf"["\n\r\t\b\f".find(c)])
                else:
                    if n > 0xFFFF:
                        # A UTF-16 surrogate pair, as CPython writes it.
                        n -= 0x10000
                        w("\\u%04x" % (0xD800 | n >> 10))
                        n = 0xDC00 | n & 0x3FF
                    w("\\u%04x" % n)
            w('"')
        elif o is None:
            w("null")
        elif o is True:
            w("true")
        elif o is False:
            w("false")
        elif t is int:
            w(repr(o))
        elif t is float:
            w("NaN" if o != o else repr(o).replace("inf", "Infinity"))
        elif key:
            raise TypeError("keys must be str, int, float, bool or None, not " + t.__name__)
        # A collections.namedtuple or defaultdict (classes over a tuple or a
        # dict here, where CPython's subclass them) is written as its base.
        elif t is list or t is tuple or hasattr(o, "_fields"):
            w("[")
            for i, v in enumerate(o):
                if i:
                    w(sep)
                enc(v)
            w("]")
        elif t is dict or hasattr(o, "default_factory"):
            w("{")
            for i, k in enumerate(o):
                if i:
                    w(sep)
                if type(k) is str:
                    enc(k)
                else:
                    # Other scalar keys become strings: {1: 2} -> {"1": 2}.
                    w('"')
                    enc(k, True)
                    w('"')
                w(colon)
                enc(o[k])
            w("}")
        else:
            raise TypeError("Object of type " + t.__name__ + " is not JSON serializable")

    enc(obj)
    return "".join(out)


def dump(obj, fp, separators=None):
    fp.write(dumps(obj, separators))


def _err():
    raise ValueError("syntax error in JSON")


def _ws(s, i):
    while s[i:i + 1] in (" ", "\t", "\n", "\r"):
        i += 1
    return i


def _digits(s, i):
    # -> the index past a run of digits; the run must not be empty.
    j = i
    while s[j:j + 1].isdigit():
        j += 1
    if j == i:
        _err()
    return j


def _val(s, i):
    # -> (value, index past it), from the first non-space at or after i.
    i = _ws(s, i)
    c = s[i:i + 1]
    if c == '"':
        r = ""
        while True:
            i += 1
            c = s[i:i + 1]
            if c == '"':
                return r, i + 1
            if c == "\\":
                i += 1
                c = s[i:i + 1]
                if c == "u":
                    n = _hex4(s, i + 1)
                    i += 4
                    if 0xD800 <= n < 0xDC00 and s[i + 1:i + 3] == "\\u":
                        m = _hex4(s, i + 3)
                        if 0xDC00 <= m < 0xE000:
                            n = 0x10000 + (n - 0xD800 << 10) + m - 0xDC00
                            i += 6
                    c = chr(n)
                else:
                    n = '"\\/bfnrt'.find(c)
                    if not c or n < 0:
                        _err()
                    c = '"\\/\b\f\n\r\t'[n]
            elif c < " ":
                # The end of the input, or a raw control character.
                _err()
            r += c
    if c == "[" or c == "{":
        e = "]" if c == "[" else "}"
        r = []
        i = _ws(s, i + 1)
        if s[i:i + 1] == e:
            i += 1
        else:
            while True:
                if c == "{":
                    k, i = _val(s, i)
                    if type(k) is not str:
                        _err()
                    i = _ws(s, i)
                    if s[i:i + 1] != ":":
                        _err()
                    r.append(k)
                    i += 1
                v, i = _val(s, i)
                r.append(v)
                i = _ws(s, i) + 1
                if s[i - 1:i] == e:
                    break
                if s[i - 1:i] != ",":
                    _err()
        return (r if c == "[" else dict(zip(r[::2], r[1::2]))), i
    for w, v in (("true", True), ("false", False), ("null", None)):
        if s[i:i + len(w)] == w:
            return v, i + len(w)
    for w in ("NaN", "Infinity", "-Infinity"):
        if s[i:i + len(w)] == w:
            return float(w), i + len(w)
    # A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    j = i + (c == "-")
    k = _digits(s, j)
    if s[j] == "0" and k > j + 1:
        _err()
    f = int
    if s[k:k + 1] == ".":
        k = _digits(s, k + 1)
        f = float
    if s[k:k + 1] in ("e", "E"):
        k += 1
        if s[k:k + 1] in ("+", "-"):
            k += 1
        k = _digits(s, k)
        f = float
    return f(s[i:k]), k


def _hex4(s, i):
    h = s[i:i + 4]
    if len(h) < 4:
        _err()
    return int(h, 16)


def loads(s):
    if type(s) is not str:
        s = s.decode()
    v, i = _val(s, 0)
    if _ws(s, i) != len(s):
        _err()
    return v


def load(fp):
    return loads(fp.read())
