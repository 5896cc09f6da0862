# The library half of `sys` (module _sys, device/src/vm/frozen.rs): every
# public name of the module, MicroPython's set. The native half
# (protocol/src/natives.rs) gives what only the device knows: the registry
# of imported modules and the board's name.
from sys import _modules, _platform

argv = []
byteorder = "little"
# MicroPython's on a 32-bit microcontroller.
maxsize = 2147483647
modules = _modules()
path = [""]
platform = _platform()
# The language p14p compiles (CPython 3.11's), then the implementation.
version = "3.11.0; p14p 0.1.0"
version_info = (3, 11, 0)


class _Implementation:
    # `sys.implementation.name` is how a program tells implementations
    # apart: "cpython", "micropython", and this one.
    name = "p14p"
    version = (0, 1, 0)


implementation = _Implementation()


def exit(code=None):
    # SystemExit ends a run quietly (the host shows no traceback).
    if code is None:
        raise SystemExit
    raise SystemExit(code)


def print_exception(exc, file=None):
    # MicroPython's: the exception's line (the traceback's source lines
    # live on the host). `file` is accepted; output goes to stdout.
    s = str(exc)
    print(type(exc).__name__ + (": " + s if s else ""))


class _Stdout:
    def write(self, s):
        print(s, end="")
        return len(s)


stdout = _Stdout()
