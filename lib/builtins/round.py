# The builtin round, run from the firmware's frozen library: the VM finds
# it here when a global name is neither the module's nor a native builtin
# (device/src/vm/frozen.rs; the module's name lists the builtins it
# defines). Names starting with `_` are private helpers.


def _index(x):
    if not isinstance(x, int):
        raise TypeError(
            "'" + type(x).__name__ + "' object cannot be interpreted as an integer"
        )
    return x


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
