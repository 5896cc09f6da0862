# The library half of `math` (module _math, carried: host/src/library.rs):
# CPython's names and behaviour. The native half's kernels
# (protocol/src/natives.rs MATH_KERNELS, device/src/builtins/math.rs) are
# what float arithmetic cannot give; the device finds them before this
# module, and the import below names them for the host's compiler (whose
# list of the module's names is this file's top-level names). The library
# is compiled for a device without floats, so no float literal appears
# here: constants come from exact int ratios or float(); a firmware
# without floats leaves this module out.
from math import acos, asin, atan, atan2, copysign, cos, exp, fmod, frexp, ldexp, log, sin, sqrt, tan

# Exact: the doubles nearest pi and e, as 53-bit mantissas over 2**51.
pi = 7074237752028440 / 2251799813685248
e = 6121026514868073 / 2251799813685248
tau = 2 * pi
inf = float("inf")
nan = float("nan")
_LN2 = log(2)
_LN10 = log(10)
_DOMAIN = "math domain error"


def _f(x):
    # A real number as float, with the TypeError CPython's math gives.
    if isinstance(x, float):
        return x
    if isinstance(x, int):
        return float(x)
    raise TypeError("must be real number, not " + type(x).__name__)


def _i(n):
    if not isinstance(n, int):
        raise TypeError("'" + type(n).__name__ + "' object cannot be interpreted as an integer")
    return int(n)


def isnan(x):
    x = _f(x)
    return x != x


def isinf(x):
    x = _f(x)
    return x == inf or x == -inf


def isfinite(x):
    x = _f(x)
    return x - x == 0


def _int(x, up):
    # floor (up False), ceil (up True) or trunc (up None): ints as they
    # are, a float through int() with CPython's errors for inf and nan.
    if isinstance(x, int):
        return int(x)
    x = _f(x)
    if x != x:
        raise ValueError("cannot convert float NaN to integer")
    if isinf(x):
        raise OverflowError("cannot convert float infinity to integer")
    i = int(x)
    if up is None:
        return i
    if up:
        return i + 1 if i < x else i
    return i - 1 if i > x else i


def floor(x):
    return _int(x, False)


def ceil(x):
    return _int(x, True)


def trunc(x):
    return _int(x, None)


def fabs(x):
    return abs(_f(x))


def modf(x):
    x = _f(x)
    if isinf(x):
        return (copysign(0, x), x)
    # From 2**52 on every float is an integer (and NaN stays NaN).
    i = float(int(x)) if abs(x) < 4503599627370496 else x
    return (copysign(x - i, x), copysign(i, x))


def log2(x):
    m, k = frexp(_f(x))
    if m + m == 1:
        return float(k - 1)
    return log(x) / _LN2


def log10(x):
    r = log(x) / _LN10
    # Powers of ten come out exact, as from C's log10.
    n = round(r) if isfinite(r) else 0
    if -23 < n < 23 and 10 ** n == x:
        return float(n)
    return r


def log1p(x):
    # Goldberg's correction: exact where 1 + x rounds away x's low bits.
    x = _f(x)
    u = 1 + x
    if u == 1:
        return x
    return log(u) * x / (u - 1)


def expm1(x):
    x = _f(x)
    if abs(x) > 1:
        return exp(x) - 1
    u = exp(x)
    if u == 1:
        return x
    return (u - 1) * x / log(u)


def pow(x, y):
    x = _f(x)
    y = _f(y)
    if y == 0 or x == 1:
        return float(1)
    if isfinite(x) and isfinite(y):
        if x == 0 and y < 0:
            raise ValueError(_DOMAIN)
        if x < 0 and y != int(y):
            raise ValueError(_DOMAIN)
        r = x**y
        if isinf(r):
            raise OverflowError("math range error")
        return r
    return x**y


def sinh(x):
    x = _f(x)
    if abs(x) < 1:
        u = expm1(x)
        return (u + u / (u + 1)) / 2
    u = exp(abs(x)) / 2
    return copysign(u - 1 / (4 * u), x)


def cosh(x):
    u = exp(abs(_f(x))) / 2
    return u + 1 / (4 * u)


def tanh(x):
    x = _f(x)
    if abs(x) > 22:
        return copysign(1, x)
    u = expm1(2 * abs(x))
    return copysign(u / (u + 2), x)


def asinh(x):
    x = _f(x)
    a = abs(x)
    if a > 1 << 28:
        return copysign(log(a) + _LN2, x)
    return copysign(log1p(a + a * a / (1 + sqrt(1 + a * a))), x)


def acosh(x):
    x = _f(x)
    if x < 1:
        raise ValueError(_DOMAIN)
    if x > 1 << 28:
        return log(x) + _LN2
    return log1p(x - 1 + sqrt((x - 1) * (x + 1)))


def atanh(x):
    x = _f(x)
    if abs(x) >= 1:
        raise ValueError(_DOMAIN)
    return copysign(log1p(2 * abs(x) / (1 - abs(x))) / 2, x)


def degrees(x):
    return _f(x) * (180 / pi)


def radians(x):
    return _f(x) * (pi / 180)


def hypot(*coords):
    xs = [abs(_f(x)) for x in coords]
    for x in xs:
        if isinf(x):
            return inf
    m = float(0)
    for x in xs:
        if x != x:
            return x
        if x > m:
            m = x
    if m == 0:
        return m
    # Scaled by the largest so that the squares neither overflow nor
    # underflow.
    s = 0
    for x in xs:
        x = x / m
        s += x * x
    return m * sqrt(s)


def dist(p, q):
    if len(p) != len(q):
        raise ValueError("both points must have the same number of dimensions")
    return hypot(*[_f(a) - _f(b) for a, b in zip(p, q)])


_RTOL = 1 / 1000000000


def isclose(a, b, *, rel_tol=_RTOL, abs_tol=0):
    a = _f(a)
    b = _f(b)
    if rel_tol < 0 or abs_tol < 0:
        raise ValueError("tolerances must be non-negative")
    if a == b:
        return True
    if isinf(a) or isinf(b):
        return False
    d = abs(b - a)
    return d <= abs(rel_tol * b) or d <= abs(rel_tol * a) or d <= abs_tol


def gcd(*integers):
    g = 0
    for n in integers:
        n = _i(n)
        while n:
            g, n = n, g % n
    return abs(g)


def lcm(*integers):
    r = 1
    for n in integers:
        n = _i(n)
        if n == 0:
            return 0
        r = abs(r * n) // gcd(r, n)
    return r


def factorial(n):
    n = _i(n)
    if n < 0:
        raise ValueError("factorial() not defined for negative values")
    r = 1
    for k in range(2, n + 1):
        r *= k
    return r


def isqrt(n):
    n = _i(n)
    if n < 0:
        raise ValueError("isqrt() argument must be nonnegative")
    if n == 0:
        return 0
    # Newton from above: 2**ceil(bits/2) >= sqrt(n).
    x = 1 << ((n.bit_length() + 1) // 2)
    while True:
        y = (x + n // x) // 2
        if y >= x:
            return x
        x = y


def perm(n, k=None):
    n = _i(n)
    if k is None:
        k = n
    k = _i(k)
    if n < 0 or k < 0:
        raise ValueError(("n" if n < 0 else "k") + " must be a non-negative integer")
    if k > n:
        return 0
    r = 1
    for i in range(n - k + 1, n + 1):
        r *= i
    return r


def comb(n, k):
    n = _i(n)
    k = _i(k)
    if n < 0 or k < 0:
        raise ValueError(("n" if n < 0 else "k") + " must be a non-negative integer")
    if k > n:
        return 0
    k = min(k, n - k)
    r = 1
    for i in range(k):
        r = r * (n - i) // (i + 1)
    return r


def prod(iterable, *, start=1):
    r = start
    for x in iterable:
        r *= x
    return r
