# Integer builtins, run from the firmware's frozen library (the module's
# name lists the builtins it defines; device/src/vm/frozen.rs). The digits
# come from the native format().


def _int(x):
    if not isinstance(x, int):
        raise _err(TypeError, "'{}' object cannot be interpreted as an integer", type(x).__name__)
    return x


def bin(x):
    return format(_int(x), "#b")


def divmod(a, b):
    if b == 0 and (isinstance(a, float) or isinstance(b, float)):
        raise _err(ZeroDivisionError, "float divmod()")
    return a // b, a % b


def hex(x):
    return format(_int(x), "#x")


def oct(x):
    return format(_int(x), "#o")
