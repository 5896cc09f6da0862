# Formatting's cold half, run from the firmware's frozen library (module
# _format; device/src/builtins/format.rs): the format-spec mini-language,
# str.format and printf-style % past the plain "%d:%s" shape. The native
# format() renders a number's digits for a bare spec ([#][.precision]
# and a lower-case type) and hands every other spec here; this module
# parses it, asks the native for the digits and lays them out. Only a
# program that formats this way loads it. Errors the native never had
# CPython's message for share one ValueError, to keep the module small.


def spec(v, s):
    # format(v, s): [[fill]align][sign][#][0][width][,|_][.precision][type]
    # (s is not empty: the native formats an empty spec as str(v)).
    k = type(v).__name__
    if not isinstance(v, (str, int, float)):
        raise TypeError("unsupported format string passed to %s.__format__" % k)
    n = len(s)
    # A NUL past the end: the parse below reads one byte ahead unchecked.
    s += "\0"
    f = a = ""
    i = 0
    if s[1] in "<>=^":
        f = s[0]
        a = s[1]
        i = 2
    elif s[0] in "<>=^":
        a = s[0]
        i = 1
    g = ""
    if s[i] in "+- ":
        g = s[i]
        i += 1
    alt = ""
    if s[i] == "#":
        alt = "#"
        i += 1
    # The 0 flag fills with zeros unless a fill is given; with no
    # alignment a number is then aligned after its sign.
    z = s[i] == "0"
    f = f or ("0" if z else " ")
    j = i
    while "0" <= s[i] <= "9":
        i += 1
    w = int(s[j:i] or 0)
    c = ""
    if s[i] in ",_":
        c = s[i]
        i += 1
    p = ""
    if s[i] == ".":
        j = i
        i += 1
        while "0" <= s[i] <= "9":
            i += 1
        p = s[j:i]
    t = s[i:n]
    if len(t) > 1 or p == ".":
        raise ValueError("bad format: spec")
    # The types of a str, of a float (the first 8) and of an int.
    if t and t not in ("s" if isinstance(v, str) else "eEfFgGn%bcdoxX"[: 8 + 6 * isinstance(v, int)]):
        raise ValueError("Unknown format code '%s' for object of type '%s'" % (t, k))
    u = t != t.lower()
    t = t.lower()
    if isinstance(v, str):
        if g or alt or a == "=" or c:
            raise ValueError("bad format: spec")
        h = ""
        b = v[: int(p[1:])] if p else v
        a = a or "<"
    else:
        if t == "n":
            t = "d" if isinstance(v, int) else "g"
        if isinstance(v, int):
            # A plain int (not bool) for the native digits.
            v = float(v) if t and t in "efg%" else int(v)
        if p and isinstance(v, int) or c and t not in ("", "d", "e", "f", "g", "%") and (c == "," or t not in "box"):
            raise ValueError("bad format: spec")
        h = ""
        if t == "c":
            if g or alt:
                raise ValueError("bad format: spec")
            if v >> 63 not in (0, -1):
                raise OverflowError("Python int too large to convert to C long")
            b = chr(v)
        else:
            # The digits from the native format(): sign first, then any
            # radix prefix.
            b = format(v, alt + p + t)
            if b[0] == "-":
                h = "-"
                b = b[1:]
            elif g != "-":
                h = g
            if alt and t and t in "box":
                h += b[:2]
                b = b[2:]
            if u:
                h = h.upper()
                b = b.upper()
            if c:
                # Group the integer part; zero padding goes inside the
                # grouping, as CPython's.
                e = 4 if t and t in "box" else 3
                j = len(b)
                if isinstance(v, float):
                    j = 0
                    while b[j : j + 1].isdigit():
                        j += 1
                d = b[:j]
                if j and f == "0" and a in "=":
                    while len(d) + (len(d) - 1) // e < w - len(h) - len(b) + j:
                        d = "0" + d
                b = b[j:]
                while len(d) > e:
                    b = c + d[-e:] + b
                    d = d[:-e]
                b = d + b
        a = a or ("=" if z else ">")
    # Fill and alignment.
    w -= len(h) + len(b)
    if w <= 0:
        return h + b
    if a == "<":
        return h + b + f * w
    if a == "^":
        return f * (w // 2) + h + b + f * (w - w // 2)
    if a == "=":
        return h + f * w + b
    return f * w + h + b


def strformat(t, *a, **k):
    # str.format: {name!conversion:spec}, the name an index (the next one
    # when empty) or a keyword, then any .attr and [key] parts.
    o = ""
    i = j = auto = 0
    n = len(t)
    while j < n:
        c = t[j]
        if c not in "{}":
            j += 1
            continue
        if t[j + 1 : j + 2] == c:
            o += t[i : j + 1]
            j += 2
            i = j
            continue
        if c == "}":
            raise ValueError("bad format: spec")
        o += t[i:j]
        # The closing brace: a spec may hold fields of its own.
        d = 0
        e = j + 1
        while e < n and (d or t[e] != "}"):
            if t[e] == "{":
                d += 1
            elif t[e] == "}":
                d -= 1
            e += 1
        if e >= n:
            raise ValueError("bad format: spec")
        f = t[j + 1 : e]
        j = i = e + 1
        s = r = ""
        x = f.find(":")
        if x >= 0:
            s = f[x + 1 :]
            f = f[:x]
        x = f.find("!")
        if x >= 0:
            r = f[x + 1 :]
            f = f[:x]
        x = 0
        while x < len(f) and f[x] not in ".[":
            x += 1
        m = f[:x]
        f = f[x:]
        if m.isdigit():
            v = a[int(m)]
        elif m:
            v = k[m]
        else:
            v = a[auto]
            auto += 1
        while f:
            x = 1
            while x < len(f) and f[x] not in ".[]":
                x += 1
            m = f[1:x]
            if f[0] == ".":
                v = getattr(v, m)
                f = f[x:]
            else:
                v = v[int(m) if m.isdigit() else m]
                f = f[x + 1 :]
        if r == "r":
            v = repr(v)
        elif r:
            v = str(v)
        if "{" in s:
            # The spec's own fields, numbered on from this one's.
            x = s.count("{}")
            s = strformat(s, *a[auto:], **k)
            auto += x
        o += format(v, s)
    return o + t[i:]


def percent(t, a):
    # t % a, printf-style: %[(key)][flags][width][.precision]type.
    m = a if isinstance(a, dict) else None
    if not isinstance(a, tuple):
        a = (a,)
    o = ""
    k = i = 0
    n = len(t)
    while True:
        j = t.find("%", i)
        if j < 0:
            break
        o += t[i:j]
        j += 1
        y = t[j : j + 1] == "("
        if y:
            i = t.find(")", j)
            if m is None or i < 0:
                raise ValueError("bad format: spec")
            v = m[t[j + 1 : i]]
            j = i + 1
        i = j
        while j < n and t[j] in "-+ #0123456789.":
            j += 1
        if j >= n:
            raise ValueError("bad format: spec")
        c = t[j]
        d = t[i:j]
        i = j + 1
        if c == "%":
            o += c
            continue
        if not y:
            if k >= len(a):
                raise TypeError("not enough arguments for format string")
            v = a[k]
            k += 1
        # The flags become the spec's alignment, sign and '#'.
        f = d[: len(d) - len(d.lstrip("-+ #0"))]
        d = d[len(f) :]
        # The alignment only with a width.
        x = ("<" if "-" in f else ">") if d[:1] > "." else ""
        if c == "s" or c == "r":
            v = str(v) if c == "s" else repr(v)
            c = ""
        elif c == "c":
            if isinstance(v, int):
                v = chr(v)
            if not isinstance(v, str) or len(v) != 1:
                raise TypeError("%c requires int or char")
            c = ""
        elif c in "diuxXoeEfFgG":
            if c in "xXo":
                if not isinstance(v, int):
                    raise TypeError("%%%s format: an integer is required, not %s" % (c, type(v).__name__))
            elif not isinstance(v, (int, float)):
                if c in "diu":
                    raise TypeError("%%%s format: a real number is required, not %s" % (c, type(v).__name__))
                raise TypeError("must be real number, not " + type(v).__name__)
            if c in "diu":
                v = int(v)
                c = "d"
            if x == ">" and "0" in f:
                x = "0="
            x += ("+" if "+" in f else " " if " " in f else "") + ("#" if "#" in f else "")
        else:
            raise ValueError("unsupported format character '%s' (0x%s) at index %d" % (c, format(ord(c), "x"), j))
        o += format(v, x + d + c)
    if k < len(a) and m is None:
        raise TypeError("not all arguments converted during string formatting")
    return o + t[i:]
