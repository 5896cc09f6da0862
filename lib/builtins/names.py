# vars() and dir(), run from the firmware's frozen library (module
# _b:dir:vars; device/src/vm/frozen.rs): an object's namespace, its
# `__dict__`, and the names along its class's `__mro__`.


def dir(obj):
    # The instance's names and its classes' (a builtin type's methods are
    # not listed: the device keeps no table of them as Python names).
    names = set(getattr(obj, "__dict__", ()))
    cls = obj if isinstance(obj, type) else type(obj)
    for c in getattr(cls, "__mro__", ()):
        names.update(getattr(c, "__dict__", ()))
    return sorted(names)


def vars(obj):
    try:
        return obj.__dict__
    except AttributeError:
        raise _err(TypeError, "vars() argument must have __dict__ attribute")
