# Cold str methods that pad, run from the firmware's frozen library (module
# _str:ljust:rjust:center:zfill: the name lists the methods, so the device
# finds their module without loading lib/str.py's others, and a program that
# lines up its output loads only these; device/src/vm/frozen.rs).


def _fill(c):
    if type(c) is not str or len(c) != 1:
        raise _err(TypeError, "The fill character must be exactly one character long")


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
