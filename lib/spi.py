# machine.SPI (module _spi): the SPI controller,
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


class SPI:
    MSB = 0
    LSB = 1

    def __init__(self, id=0, *a, **kw):
        self._id = id
        self.init(*a, **kw)

    def init(self, baudrate=1000000, polarity=0, phase=0, **kw):
        _init(1, self._id, baudrate, polarity * 2 + phase)

    def deinit(self):
        pass

    def read(self, nbytes, write=0):
        return _ok(_bus(4, self._id, bytes([write]) * nbytes, 0, 0))

    def readinto(self, buf, write=0):
        buf[:] = self.read(len(buf), write)

    def write(self, buf):
        _ok(_bus(4, self._id, buf, 0, 0))

    def write_readinto(self, write_buf, read_buf):
        if len(write_buf) != len(read_buf):
            raise ValueError("buffers must be the same length")
        read_buf[:] = _ok(_bus(4, self._id, write_buf, 0, 0))
