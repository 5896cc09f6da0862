# machine.UART (module _uart): a UART other than the link's,
# loaded by machine's __getattr__ (lib/machine.py) the first time a
# program asks machine for it, and carried by the host, which stores it
# on the device only beside a program that names it (host/src/library.rs,
# LAZY). One module per class, so a program using one bus holds only its
# class. MicroPython's class over one native function, machine._bus(op,
# id, a, b, c) (device/src/builtins/bus.rs): ops 0-2 set an I2C, SPI or
# UART up, 3-5 make one transfer. It answers -errno when the bus fails;
# _ok raises that as MicroPython's OSError. On a firmware without buses
# (the device's feature `buses`) _bus raises NotImplementedError, and the
# constructor MicroPython's ValueError: I2C(0) doesn't exist. Keyword
# arguments MicroPython takes keyword-only (freq=, addrsize=, polarity=)
# may come by position here: a keyword-only default costs a dict per
# function in the heap.
from machine import _bus


def _ok(r):
    if type(r) is int and r < 0:
        raise OSError(-r, {19: "ENODEV", 110: "ETIMEDOUT"}.get(-r, "EIO"))
    return r


def _init(kind, id, rate, mode):
    try:
        r = _bus(kind, id, rate, mode, 0)
    except NotImplementedError:
        # A firmware without buses: every id is one that does not exist.
        r = -22
    if r:
        raise ValueError("%s(%d) doesn't exist" % (("I2C", "SPI", "UART")[kind], id))


class UART:
    def __init__(self, id, *a, **kw):
        self._id = id
        self.init(*a, **kw)

    # 8N1 only; reads never wait (timeout=0).
    def init(self, baudrate=115200, *a, **kw):
        _init(2, self._id, baudrate, 0)

    def deinit(self):
        pass

    def any(self):
        return _ok(_bus(5, self._id, None, -1, 0))

    def write(self, buf):
        return _ok(_bus(5, self._id, buf, 0, 0))

    def read(self, nbytes=0x3FFFFFFF):
        return _ok(_bus(5, self._id, None, nbytes, 0)) or None

    def readinto(self, buf, nbytes=None):
        r = self.read(len(buf) if nbytes is None else nbytes)
        if r:
            buf[: len(r)] = r
            return len(r)

    def readline(self):
        # No bytes literal: the library compiles for boards without bytes.
        line = bytes()
        while True:
            c = _ok(_bus(5, self._id, None, 1, 0))
            if not c:
                break
            line += c
            if c[0] == 10:
                break
        return line or None
