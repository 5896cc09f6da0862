# machine.I2C (module _i2c): the I2C controller,
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


class I2C:
    # Pins (scl=, sda=) and the rest are the port's: accepted, unused.
    def __init__(self, id=0, **kw):
        self._id = id
        self.init(**kw)

    def init(self, freq=400000, **kw):
        _init(0, self._id, freq, 0)

    def deinit(self):
        pass

    def scan(self):
        return [a for a in range(8, 0x78) if type(_bus(3, self._id, a, None, 0)) is bytes]

    def writeto(self, addr, buf, stop=True):
        _ok(_bus(3, self._id, addr, buf, 0))
        return len(buf)

    def readfrom(self, addr, nbytes, stop=True):
        return _ok(_bus(3, self._id, addr, None, nbytes))

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self.readfrom(addr, len(buf))

    def readfrom_mem(self, addr, memaddr, nbytes, addrsize=8):
        return _ok(_bus(3, self._id, addr, memaddr.to_bytes(addrsize // 8, "big"), nbytes))

    def readfrom_mem_into(self, addr, memaddr, buf, addrsize=8):
        buf[:] = self.readfrom_mem(addr, memaddr, len(buf), addrsize=addrsize)

    def writeto_mem(self, addr, memaddr, buf, addrsize=8):
        _ok(_bus(3, self._id, addr, memaddr.to_bytes(addrsize // 8, "big") + buf, 0))
