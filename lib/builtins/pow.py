# pow(base, exp, mod), run from the firmware's frozen library: the native
# pow calls it for three arguments (device/src/builtins/funcs.rs; the
# module's name lists the builtins it defines).


def pow(base, exp, mod):
    if not (isinstance(base, int) and isinstance(exp, int) and isinstance(mod, int)):
        raise _err(TypeError, "pow() 3rd argument not allowed unless all arguments are integers")
    if mod == 0:
        raise _err(ValueError, "pow() 3rd argument cannot be 0")
    if exp < 0:
        # The inverse of base first (Python 3.8+), by extended Euclid:
        # x * base = r and y * base = s, modulo mod.
        x, y, r, s = 1, 0, base % abs(mod), abs(mod)
        while s:
            q = r // s
            x, y, r, s = y, x - q * y, s, r - q * s
        if r != 1:
            raise _err(ValueError, "base is not invertible for the given modulus")
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
