# complex numbers where the firmware has floats (issue 17): the builtin
# `complex`, carried by the host (module _complex) and stored on the device
# the first time a program names `complex` or writes a literal such as 2j
# (the compiler turns `2j` into `complex(0.0, 2.0)`: no device code).
# Arithmetic, abs, ==, repr and the constructor as CPython 3.11's (its
# formulas: Smith's division, binary powers for int exponents). Not here:
# hashing by value (the device hashes instances by identity, so a complex
# is no dict key), powers with a non-integer exponent, format specs.


def _parts(x):
    # (real, imag) of an int, float or complex; None for anything else.
    if isinstance(x, complex):
        return x.real, x.imag
    if isinstance(x, (int, float)):
        return float(x), 0.0
    return None


def _text(x):
    # A part as CPython writes it: repr without a trailing ".0".
    s = repr(x)
    return s[:-2] if s[-2:] == ".0" else s


def _parse(s):
    # complex("1+2j"), "(1-2.5e3j)", "3", "-j": CPython's forms.
    t = s.strip()
    if t[:1] == "(" and t[-1:] == ")":
        t = t[1:-1].strip()
    try:
        if t[-1:] not in "jJ" or not t:
            return float(t), 0.0
        t = t[:-1]
        # The imaginary part starts at the last sign not after an exponent.
        i = len(t) - 1
        while i > 0 and not (t[i] in "+-" and t[i - 1] not in "eE"):
            i -= 1
        re, im = t[:i], t[i:]
        if im in ("", "+", "-"):
            im += "1"
        return float(re) if re else 0.0, float(im)
    except ValueError:
        pass
    raise ValueError("complex() arg is a malformed string")


class complex:
    def __init__(self, real=0, imag=0):
        if isinstance(real, str):
            if imag != 0:
                raise TypeError("complex() can't take second arg if first is a string")
            self.real, self.imag = _parse(real)
            return
        r = _parts(real)
        i = _parts(imag)
        if r is None or i is None:
            bad = real if r is None else imag
            raise TypeError(
                "complex() argument must be a string or a number, not '%s'"
                % type(bad).__name__
            )
        # complex(a, b) is a + b*1j, either of them complex (a float part
        # is taken as is: complex(0.0, -0.0) keeps its -0.0).
        re, im = r[0], i[0]
        if isinstance(imag, complex):
            re -= i[1]
        if isinstance(real, complex):
            im += r[1]
        self.real = re
        self.imag = im

    def __repr__(self):
        re, im = self.real, self.imag
        if re == 0 and _text(re)[0] != "-":
            return _text(im) + "j"
        t = _text(im)
        return "(" + _text(re) + ("" if t[0] == "-" else "+") + t + "j)"

    def __eq__(self, other):
        o = _parts(other)
        if o is None:
            return NotImplemented
        return self.real == o[0] and self.imag == o[1]

    def __bool__(self):
        return self.real != 0 or self.imag != 0

    def __neg__(self):
        return complex(-self.real, -self.imag)

    def __abs__(self):
        # hypot without overflow: the larger part scaled out.
        a, b = abs(self.real), abs(self.imag)
        m = a if a > b else b
        if m == 0 or m - m != 0:
            return a + b
        a, b = a / m, b / m
        return m * (a * a + b * b) ** 0.5

    def conjugate(self):
        return complex(self.real, -self.imag)

    def __add__(self, other):
        o = _parts(other)
        if o is None:
            return NotImplemented
        return complex(self.real + o[0], self.imag + o[1])

    __radd__ = __add__

    def __sub__(self, other):
        o = _parts(other)
        if o is None:
            return NotImplemented
        return complex(self.real - o[0], self.imag - o[1])

    def __rsub__(self, other):
        o = _parts(other)
        if o is None:
            return NotImplemented
        return complex(o[0] - self.real, o[1] - self.imag)

    def __mul__(self, other):
        o = _parts(other)
        if o is None:
            return NotImplemented
        a, b, c, d = self.real, self.imag, o[0], o[1]
        return complex(a * c - b * d, a * d + b * c)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = _parts(other)
        if o is None:
            return NotImplemented
        return _div(self.real, self.imag, o[0], o[1])

    def __rtruediv__(self, other):
        o = _parts(other)
        if o is None:
            return NotImplemented
        return _div(o[0], o[1], self.real, self.imag)

    def __pow__(self, other):
        if not isinstance(other, int) or isinstance(other, bool) or abs(other) > 100:
            o = _parts(other)
            if o is None:
                return NotImplemented
            if o[1] == 0 and o[0] == int(o[0]) and abs(o[0]) <= 100:
                other = int(o[0])
            else:
                raise NotImplementedError("complex power with a non-integer exponent")
        # CPython's c_powu: binary powers; a negative one divides 1 by it.
        r = complex(1.0, 0.0)
        x = self
        n = abs(other)
        while n:
            if n & 1:
                r = r * x
            x = x * x
            n >>= 1
        return _div(1.0, 0.0, r.real, r.imag) if other < 0 else r


def _div(a, b, c, d):
    # Smith's method, as CPython's _Py_c_quot.
    ac, ad = abs(c), abs(d)
    if ac >= ad:
        if ac == 0:
            raise ZeroDivisionError("complex division by zero")
        ratio = d / c
        denom = c + d * ratio
        return complex((a + b * ratio) / denom, (b - a * ratio) / denom)
    ratio = c / d
    denom = c * ratio + d
    return complex((a * ratio + b) / denom, (b * ratio - a) / denom)
