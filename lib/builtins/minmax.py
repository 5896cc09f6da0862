# min() and max(), run from the firmware's frozen library (the module's
# name lists the builtins it defines; device/src/vm/frozen.rs).

# No default given (a fresh list: nothing a caller passes is it).
_NONE = []


def _best(name, args, key, default, gt):
    if len(args) == 1:
        args = args[0]
    elif not args:
        raise TypeError(name + " expected at least 1 argument, got 0")
    found = False
    for x in args:
        k = x if key is None else key(x)
        # The first of equal items wins, as in CPython.
        if not found or (k > bk if gt else k < bk):
            found = True
            best = x
            bk = k
    if found:
        return best
    if default is _NONE:
        raise ValueError(name + "() arg is an empty sequence")
    return default


def max(*args, key=None, default=_NONE):
    return _best("max", args, key, default, True)


def min(*args, key=None, default=_NONE):
    return _best("min", args, key, default, False)
