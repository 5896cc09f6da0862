# machine.I2C, SPI and UART (module _buses): carried by the host and
# stored on the device the first time a program names one of them
# (host/src/library.rs, LAZY), loaded by machine's __getattr__
# (lib/machine.py) on first use. MicroPython's classes over one native
# function, machine._bus(op, id, a, b, c) (device/src/builtins/bus.rs):
# ops 0-2 set an I2C, SPI or UART up, 3-5 make one transfer. It answers
# -errno when the bus fails; _ok raises that as MicroPython's OSError. On
# a firmware without buses (the device's feature `buses`) _bus raises
# NotImplementedError, and the constructors MicroPython's ValueError:
# I2C(0) doesn't exist.
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

    def init(self, *, freq=400000, **kw):
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

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        return _ok(_bus(3, self._id, addr, memaddr.to_bytes(addrsize // 8, "big"), nbytes))

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        buf[:] = self.readfrom_mem(addr, memaddr, len(buf), addrsize=addrsize)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        _ok(_bus(3, self._id, addr, memaddr.to_bytes(addrsize // 8, "big") + buf, 0))


class SPI:
    MSB = 0
    LSB = 1

    def __init__(self, id=0, *a, **kw):
        self._id = id
        self.init(*a, **kw)

    def init(self, baudrate=1000000, *, polarity=0, phase=0, **kw):
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
