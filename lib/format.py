# Formatting's cold half, run from the firmware's frozen library (module
# _format; device/src/builtins/format.rs): str.format, and printf-style %
# past the plain "%d:%s" shape that vm/percent.rs renders. Each field goes
# to the native format() with a format spec, so the spec mini-language
# stays native (f-strings with specs are everyday code, and as Python it
# cost the micro:bit's 7 KiB heap two conformance programs). Only a program
# that formats this way loads the module. Errors the native never had
# CPython's message for share one ValueError, to keep the module small.
# Errors are raised with the protocol's numbered messages (`_err`, see
# device/src/vm/frozen.rs): the text here compiles to its number.


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
            raise _err(ValueError, "bad format: {}", "spec")
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
            raise _err(ValueError, "bad format: {}", "spec")
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
                raise _err(ValueError, "bad format: {}", "spec")
            v = m[t[j + 1 : i]]
            j = i + 1
        i = j
        while j < n and t[j] in "-+ #0123456789.":
            j += 1
        if j >= n:
            raise _err(ValueError, "bad format: {}", "spec")
        c = t[j]
        d = t[i:j]
        i = j + 1
        if c == "%":
            o += c
            continue
        if not y:
            if k >= len(a):
                raise _err(TypeError, "not enough arguments for format string")
            v = a[k]
            k += 1
        # The flags become the spec's alignment, sign and "#".
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
                raise _err(TypeError, "%c requires int or char")
            c = ""
        elif c in "diuxXoeEfFgG":
            if c in "xXo":
                if not isinstance(v, int):
                    raise _err(TypeError, "%{} format: an integer is required, not {}", c + "\0" + type(v).__name__)
            elif not isinstance(v, (int, float)):
                if c in "diu":
                    raise _err(TypeError, "%{} format: a real number is required, not {}", c + "\0" + type(v).__name__)
                raise _err(TypeError, "must be real number, not {}", type(v).__name__)
            if c in "diu":
                v = int(v)
                c = "d"
            if x == ">" and "0" in f:
                x = "0="
            x += ("+" if "+" in f else " " if " " in f else "") + ("#" if "#" in f else "")
        else:
            raise _err(ValueError, "unsupported format character '{}' (0x{}) at index {}", "\0".join((c, format(ord(c), "x"), str(j))))
        o += format(v, x + d + c)
    if k < len(a) and m is None:
        raise _err(TypeError, "not all arguments converted during string formatting")
    return o + t[i:]
