# Cold str methods, run from the firmware's frozen library (module _str).
# Each is a plain function taking the string as `self`; the VM binds it
# when a str method is not one of its native ones (device/src/vm/frozen.rs).
# Hot methods (join, split, find, strip, replace, format...) stay native.

# The line boundaries str.splitlines splits on, as CPython's.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _fill(c):
    if type(c) is not str or len(c) != 1:
        raise TypeError("The fill character must be exactly one character long")


def ljust(self, width, fillchar=" "):
    _fill(fillchar)
    return self + fillchar * (width - len(self))


def rjust(self, width, fillchar=" "):
    _fill(fillchar)
    return fillchar * (width - len(self)) + self


def center(self, width, fillchar=" "):
    _fill(fillchar)
    pad = width - len(self)
    if pad <= 0:
        return self
    # CPython puts the extra fill on the right, except when both the pad
    # and the width are odd.
    left = pad // 2 + (pad & width & 1)
    return fillchar * left + self + fillchar * (pad - left)


def zfill(self, width):
    pad = width - len(self)
    if pad <= 0:
        return self
    if self[:1] == "+" or self[:1] == "-":
        return self[0] + "0" * pad + self[1:]
    return "0" * pad + self


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
        raise ValueError("empty separator")
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


# str.format and the general `str % args` (the native method and operator
# call these; `%d`/`%s` on small ints and strs stay native in
# device/src/vm/percent.rs). Each field's value goes through the builtin
# format(), kept as _format before this module's own `format` hides it.
_format = format


def _field(name, args, kwargs, auto):
    # The value of replacement field `name`: "", "0" or "key", then any
    # "[index]" and ".attr" accessors.
    end = 0
    while end < len(name) and name[end] != "[" and name[end] != ".":
        end += 1
    base = name[:end]
    if not base:
        base = auto[0]
        auto[0] += 1
    elif base.isdigit():
        base = int(base)
    else:
        return _access(kwargs[base], name[end:])
    if base >= len(args):
        raise IndexError(
            "Replacement index %d out of range for positional args tuple" % base
        )
    return _access(args[base], name[end:])


def _access(v, rest):
    while rest:
        if rest[0] == "[":
            e = rest.find("]")
            key = rest[1:e]
            v = v[int(key) if key.isdigit() else key]
            rest = rest[e + 1 :]
        else:
            e = 1
            while e < len(rest) and rest[e] != "[" and rest[e] != ".":
                e += 1
            v = getattr(v, rest[1:e])
            rest = rest[e:]
    return v


def format(self, *args, **kwargs):
    out = []
    auto = [0]
    n = len(self)
    i = 0
    lit = 0
    while i < n:
        c = self[i]
        if (c == "{" or c == "}") and self[i + 1 : i + 2] == c:
            out.append(self[lit : i + 1])
            i += 2
            lit = i
            continue
        if c != "{":
            i += 1
            continue
        out.append(self[lit:i])
        # The matching brace: a spec may nest one level ("{:>{}}").
        depth = 0
        j = i + 1
        while j < n and (self[j] != "}" or depth):
            if self[j] == "{":
                depth += 1
            elif self[j] == "}":
                depth -= 1
            j += 1
        if j >= n:
            raise ValueError("expected '}' before end of string")
        field, _, spec = self[i + 1 : j].partition(":")
        name, _, conv = field.partition("!")
        v = _field(name, args, kwargs, auto)
        k = spec.find("{")
        while k >= 0:
            e = spec.find("}", k)
            s = str(_field(spec[k + 1 : e], args, kwargs, auto))
            spec = spec[:k] + s + spec[e + 1 :]
            k = spec.find("{", k + len(s))
        if conv == "r":
            v = repr(v)
        elif conv == "s":
            v = str(v)
        out.append(_format(v, spec))
        i = j + 1
        lit = i
    out.append(self[lit:])
    return "".join(out)


def _percent(self, args):
    # Each "%[(key)][flags][width][.precision]type" becomes a spec for
    # format(); "*" takes a width or precision from the arguments.
    items = args if type(args) is tuple else (args,)
    nxt = 0
    out = []
    n = len(self)
    i = self.find("%")
    lit = 0
    while i >= 0:
        out.append(self[lit:i])
        i += 1
        if self[i : i + 1] == "%":
            out.append("%")
            lit = i + 1
            i = self.find("%", lit)
            continue
        key = None
        if self[i : i + 1] == "(":
            e = self.find(")", i)
            key = self[i + 1 : e]
            i = e + 1
        flags = ""
        while i < n and self[i] in "-0+ #":
            flags += self[i]
            i += 1
        num = ""
        while i < n and (self[i].isdigit() or self[i] in ".*"):
            if self[i] == "*":
                if nxt >= len(items):
                    raise TypeError("not enough arguments for format string")
                num += str(int(items[nxt]))
                nxt += 1
            else:
                num += self[i]
            i += 1
        if i >= n:
            raise ValueError("incomplete format")
        conv = self[i]
        if conv not in "diufFeEgGxXosr":
            raise ValueError(
                "unsupported format character '%s' (0x%x) at index %d"
                % (conv, ord(conv), i)
            )
        sr = conv in "sr"
        left = "-" in flags
        zero = "0" in flags and not left and not sr
        spec = "<" if left else "" if zero else ">"
        if "+" in flags:
            spec += "+"
        elif " " in flags:
            spec += " "
        if "#" in flags and conv in "xXo":
            spec += "#"
        if zero:
            spec += "0"
        spec += num
        if key is not None:
            v = args[key]
        elif nxt < len(items):
            v = items[nxt]
            nxt += 1
        else:
            raise TypeError("not enough arguments for format string")
        if sr:
            v = repr(v) if conv == "r" else str(v)
        else:
            real = isinstance(v, int) or isinstance(v, float)
            name = type(v).__name__
            if conv in "xXo":
                if not isinstance(v, int):
                    raise TypeError(
                        "%" + conv + " format: an integer is required, not " + name
                    )
            elif conv in "diu":
                if not real:
                    raise TypeError(
                        "%" + conv + " format: a real number is required, not " + name
                    )
                v = int(v)
                conv = "d"
            elif not real:
                raise TypeError("must be real number, not " + name)
            spec += conv
        out.append(_format(v, spec))
        lit = i + 1
        i = self.find("%", lit)
    if nxt < len(items) and type(args) is not dict:
        raise TypeError("not all arguments converted during string formatting")
    out.append(self[lit:])
    return "".join(out)
