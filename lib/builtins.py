# Cold builtin functions, run from the firmware's frozen library (module
# _builtins). The VM looks a global name up here when it is neither one of
# the module's globals nor a native builtin (device/src/vm/frozen.rs).
# Hot builtins (len, print, isinstance, iter, next, sum, range...) stay
# native; names starting with `_` are this module's private helpers.

# The "no default given" marker of min and max: a list, so no value a
# caller passes is it.
_NO = []


def _index(x):
    if not isinstance(x, int):
        raise TypeError(
            "'" + type(x).__name__ + "' object cannot be interpreted as an integer"
        )
    return x


def bin(x):
    return format(_index(x), "#b")


def oct(x):
    return format(_index(x), "#o")


def hex(x):
    return format(_index(x), "#x")


def divmod(a, b):
    if b == 0 and (type(a) is float or type(b) is float):
        raise ZeroDivisionError("float divmod()")
    return (a // b, a % b)


def pow(base, exp, mod=None):
    if mod is None:
        return base**exp
    if not (isinstance(base, int) and isinstance(exp, int) and isinstance(mod, int)):
        raise TypeError(
            "pow() 3rd argument not allowed unless all arguments are integers"
        )
    if mod == 0:
        raise ValueError("pow() 3rd argument cannot be 0")
    if exp < 0:
        # The inverse of base first (Python 3.8+), by extended Euclid:
        # x * base = r and y * base = s, modulo mod.
        x, y, r, s = 1, 0, base % abs(mod), abs(mod)
        while s:
            q = r // s
            x, y, r, s = y, x - q * y, s, r - q * s
        if r != 1:
            raise ValueError("base is not invertible for the given modulus")
        base, exp = x, -exp
    # Every value below is reduced modulo mod: the result has its sign.
    r = 1 % mod
    base %= mod
    while exp:
        if exp & 1:
            r = r * base % mod
        base = base * base % mod
        exp >>= 1
    return r


def any(iterable):
    for x in iterable:
        if x:
            return True
    return False


def all(iterable):
    for x in iterable:
        if not x:
            return False
    return True


def sorted(iterable, key=None, reverse=False):
    items = list(iterable)
    items.sort(key=key, reverse=reverse)
    return items


def _filter(function, it):
    for x in it:
        if function(x) if function is not None else x:
            yield x


def filter(function, iterable):
    # iter() now, so that a non-iterable raises at the call, as CPython's.
    return _filter(function, iter(iterable))


def _minmax(name, args, key, default, is_max):
    if not args:
        raise TypeError(name + " expected at least 1 argument, got 0")
    if len(args) > 1:
        if default is not _NO:
            raise TypeError(
                "Cannot specify a default for "
                + name
                + "() with multiple positional arguments"
            )
        items = args
    else:
        items = args[0]
    best = best_key = _NO
    for x in items:
        k = x if key is None else key(x)
        if best_key is _NO or (k > best_key if is_max else k < best_key):
            best, best_key = x, k
    if best_key is _NO:
        if default is _NO:
            raise ValueError(name + "() arg is an empty sequence")
        return default
    return best


def min(*args, key=None, default=_NO):
    return _minmax("min", args, key, default, False)


def max(*args, key=None, default=_NO):
    return _minmax("max", args, key, default, True)


def _half_even(q, rest, half):
    # q rounded up by one if rest (of 2 * half) is past the half, or is
    # the half and q is odd.
    if rest > half or (rest == half and q % 2):
        return q + 1
    return q


def round(number, ndigits=None):
    if isinstance(number, int):
        if ndigits is None or _index(ndigits) >= 0:
            return int(number)
        p = 10 ** -ndigits
        # Half to even is symmetric under negation: round the magnitude.
        m = abs(number)
        m = _half_even(m // p, 2 * (m % p), p) * p
        return -m if number < 0 else m
    if type(number) is not float:
        raise TypeError(
            "type " + type(number).__name__ + " doesn't define __round__ method"
        )
    if ndigits is None:
        # int() raises for infinities and NaN as CPython's round does.
        i = int(number)
        f = number - i
        if f < 0:
            return -_half_even(-i, -2 * f, 1)
        return _half_even(i, 2 * f, 1)
    if _index(ndigits) >= 0:
        # Through the decimal text, as CPython rounds the exact value.
        return float(format(number, "." + str(ndigits if ndigits < 30 else 30) + "f"))
    if ndigits < -308:
        return number * 0
    p = 10 ** -ndigits
    y = number / p
    q = y // 1
    r = _half_even(q, 2 * (y - q), 1) * p
    if r - r != 0:
        # An infinity or NaN stays itself.
        return number
    # A zero keeps the sign of number.
    return r if r else number * 0
